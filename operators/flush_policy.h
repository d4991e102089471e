// FlushPolicy: when a table's buffered changes are flushed and how much a table may buffer.
// A table flushes when it holds flush_rows rows or flush_bytes bytes, and every non-empty
// table flushes on each tick of flush_interval. A flush takes at most flush_rows rows and
// flush_bytes bytes (at least one row). When a table holds capacity_rows rows or
// capacity_bytes bytes (in-flight flushes included), its producer waits: backpressure.
// Immutable value type.
#pragma once

#include <cstddef>

#include "runtime/clock.h"
#include "runtime/status.h"

namespace cdc {

struct FlushPolicy {
  size_t flush_rows = 2048;
  size_t flush_bytes = size_t{4} << 20;
  // Bounds the lag a quiet table adds: measured by test/bench/run-lag-bench.sh, 1 s gave a p99
  // lag of 1.09 s under sysbench, 200 ms 0.29 s, with busy tables flushed by size either way.
  Micros flush_interval = Micros(200'000);
  size_t capacity_rows = 8192;
  size_t capacity_bytes = size_t{16} << 20;

  // InvalidArgument naming the field when a value is zero or a capacity is below its
  // flush threshold (the queue could never reach the threshold).
  Status Validate() const;
};

}  // namespace cdc
