// TableBarriers: where the subtasks of one sink meet at a table barrier (a TRUNCATE or a schema
// change). Every subtask holds
// part of the table, so the barrier must be applied once, after every subtask has written all
// it holds from before the barrier, and before any of them writes what came after.
//
// Each subtask arrives once its table queue reaches the barrier; the last to arrive applies the
// barrier through its own table writer and calls Complete, which releases every subtask. After
// the job fails, CancelAll releases waiting subtasks and later arrivals at once with the error.
//
// Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <utility>
#include <vector>

#include "runtime/status.h"
#include "schema/table_id.h"

namespace cdc {

// Which barrier: the `sequence`-th of `table` (sequences count from 1 in each subtask; all
// subtasks see a table's barriers in the same order), or, for one change that is a barrier for
// several tables at once (a RENAME TABLE), that change's address in every table.
struct BarrierKey {
  TableId table;
  uint64_t sequence = 0;
  const void* shared = nullptr;
  friend auto operator<=>(const BarrierKey&, const BarrierKey&) = default;
};

class TableBarriers {
 public:
  using Release = std::function<void(const Status&)>;

  explicit TableBarriers(size_t parallelism) : parallelism_(parallelism) {}

  // Subtask arrival at barrier `key` from one of the `tables` tables it spans (1 for a
  // per-table barrier). `release` is called once, from any thread, when the barrier is done.
  // Returns true when this arrival is the last of parallelism x tables: the caller must then
  // apply the barrier and call Complete.
  bool Arrive(const BarrierKey& key, size_t tables, Release release);

  // The barrier was applied (or failed): releases every subtask with `status`.
  void Complete(const BarrierKey& key, const Status& status);

  // The job is failing: releases every waiting subtask, and any later arrival, with `status`.
  void CancelAll(const Status& status);

 private:
  struct Pending {
    size_t arrived = 0;
    std::vector<Release> releases;
  };

  const size_t parallelism_;
  std::mutex mu_;  // guards pending_ and cancelled_
  std::map<BarrierKey, Pending> pending_;
  Status cancelled_;
};

}  // namespace cdc
