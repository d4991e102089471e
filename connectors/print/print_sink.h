// PrintSink: a table-writer factory whose writers print one readable line per change
// ("2> update datagen.t0 id=7 k=5->9 ... @42"), prefixed with the sink subtask, like Flink's
// print sink. For examples and debugging. The line is the value a ChangeEncoder gives for the
// change, the line format (connectors/format/line_encoder.h) unless another is given; the
// sink adds only the prefix and the newline.
//
// Thread-safe: writers of all subtasks share one stream under one lock, so lines never mix.
#pragma once

#include <memory>
#include <mutex>
#include <ostream>

#include "connectors/format/change_encoder.h"
#include "operators/table_writer.h"

namespace cdc {

class PrintSink final : public TableWriterFactory {
 public:
  // `out` must outlive the sink. `encoder` (Encode called from every subtask's writer, so it
  // must be thread-safe) writes each change's line; null means the line format.
  explicit PrintSink(std::ostream& out, std::unique_ptr<const ChangeEncoder> encoder = nullptr);

  Result<std::unique_ptr<TableWriter>> CreateWriter(const TableWriterContext& context) override;

 private:
  class Writer;

  std::ostream& out_;
  std::unique_ptr<const ChangeEncoder> encoder_;
  std::mutex out_mu_;  // guards out_
};

}  // namespace cdc
