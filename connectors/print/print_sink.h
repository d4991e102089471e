// PrintSink: a table-writer factory whose writers print one readable line per change
// ("2> update datagen.t0 id=7 k=5->9 ... @42"), prefixed with the sink subtask, like Flink's
// print sink. For examples and debugging.
//
// Thread-safe: writers of all subtasks share one stream under one lock, so lines never mix.
#pragma once

#include <mutex>
#include <ostream>

#include "operators/table_writer.h"

namespace cdc {

class PrintSink final : public TableWriterFactory {
 public:
  // `out` must outlive the sink.
  explicit PrintSink(std::ostream& out) : out_(out) {}

  Result<std::unique_ptr<TableWriter>> CreateWriter(const TableWriterContext& context) override;

 private:
  class Writer;

  std::ostream& out_;
  std::mutex out_mu_;  // guards out_
};

}  // namespace cdc
