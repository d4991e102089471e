// BlackholeSink: a table-writer factory whose writers accept every batch at once and drop it,
// counting rows and batches. For benchmarks (the cost of everything but the target) and tests.
//
// Thread-safe.
#pragma once

#include <atomic>

#include "operators/table_writer.h"

namespace cdc {

class BlackholeSink final : public TableWriterFactory {
 public:
  Result<std::unique_ptr<TableWriter>> CreateWriter(const TableWriterContext& context) override;

  uint64_t rows() const { return rows_.load(std::memory_order_relaxed); }
  uint64_t batches() const { return batches_.load(std::memory_order_relaxed); }

 private:
  class Writer;

  std::atomic<uint64_t> rows_{0};
  std::atomic<uint64_t> batches_{0};
};

}  // namespace cdc
