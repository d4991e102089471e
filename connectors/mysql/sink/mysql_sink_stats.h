// MysqlSinkStats: what a MySQL sink has written, as MysqlSink::stats() reports it; and
// MysqlSinkCounters, the live counters its table writers add to, from which it is read.
//
// MysqlSinkStats is a value; MysqlSinkCounters is thread-safe (relaxed atomics: each counter
// is exact, a read of all of them is not one instant).
#pragma once

#include <atomic>
#include <cstdint>

namespace cdc {

struct MysqlSinkStats {
  uint64_t rows_written = 0;  // compacted rows (keys) written
  uint64_t array_rows = 0;    // of which upserted by array binding (mysql_array_upsert.h)
  uint64_t transactions = 0;
  uint64_t retries = 0;   // transient failures retried
  uint64_t failures = 0;  // flushes failed for good
  // The newest source commit time among the changes applied (microseconds, UTC); 0 before
  // the first. Lag behind the source is measured against it.
  int64_t applied_commit_time_us = 0;
};

class MysqlSinkCounters {
 public:
  // A flush applied in one transaction: `rows` compacted rows (or changes of a keyless table),
  // `array_rows` of them by array binding, the newest commit time among them.
  void AddApplied(uint64_t rows, uint64_t array_rows, int64_t newest_commit_time_us) {
    transactions_.fetch_add(1, std::memory_order_relaxed);
    rows_written_.fetch_add(rows, std::memory_order_relaxed);
    if (array_rows != 0) array_rows_.fetch_add(array_rows, std::memory_order_relaxed);
    int64_t seen = applied_commit_time_us_.load(std::memory_order_relaxed);
    while (newest_commit_time_us > seen &&
           !applied_commit_time_us_.compare_exchange_weak(seen, newest_commit_time_us,
                                                          std::memory_order_relaxed)) {
    }
  }
  void AddRetry() { retries_.fetch_add(1, std::memory_order_relaxed); }
  void AddFailure() { failures_.fetch_add(1, std::memory_order_relaxed); }

  MysqlSinkStats Read() const {
    return MysqlSinkStats{rows_written_.load(), array_rows_.load(), transactions_.load(),
                          retries_.load(),      failures_.load(),   applied_commit_time_us_.load()};
  }

 private:
  std::atomic<uint64_t> rows_written_{0};
  std::atomic<uint64_t> array_rows_{0};
  std::atomic<uint64_t> transactions_{0};
  std::atomic<uint64_t> retries_{0};
  std::atomic<uint64_t> failures_{0};
  std::atomic<int64_t> applied_commit_time_us_{0};
};

}  // namespace cdc
