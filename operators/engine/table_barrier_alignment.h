// TableBarrierAlignment: makes one table barrier (a TRUNCATE or a schema change) out of the
// copies that reach a subtask from each of its producers, in the right place.
//
// A table barrier goes to every subtask of each redistributing edge (KeyBy, Rebalance,
// Broadcast), since each holds part of the table. After two such edges (source -> KeyBy ->
// operator -> KeyBy -> sink) every subtask of the second step receives one copy from each
// upstream subtask. Handling each copy as a barrier would apply a TRUNCATE several times, with
// rows that came after it through one producer emptied by another producer's later copy.
// Instead, when a producer delivers its copy, its later batches are parked until every
// producer has delivered the same barrier; then the barrier is processed once and the parked
// batches resume. Rows before the barrier (from every producer) are thus processed before it,
// and rows after it after it: the order a single stream would have.
//
// Parked batches are bounded in practice: the producers share one upstream, which blocks when
// the slowest of them has a full input, so one cannot run far ahead of another.
//
// Copies must arrive in the same order from every producer, which holds when the barriers
// come from one source subtask. Copies that differ (barriers of several source subtasks,
// interleaved differently by the producers) are an error naming the barriers and the fix.
//
// Thread-bound: owned by one subtask.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <vector>

#include "operators/engine/stream_batch.h"
#include "runtime/status.h"

namespace cdc {

class TableBarrierAlignment {
 public:
  // `producers` each deliver a copy of every table barrier (see JobExecution::Build).
  explicit TableBarrierAlignment(size_t producers);

  // True when batches must pass through Next and Split: more than one copy per barrier.
  bool active() const { return producers_ > 1; }

  // The next batch that may be processed now: a batch released from the parking, else one
  // `pop` gives (false when it has none). Batches `pop` gives from a producer that waits at a
  // barrier are parked on the way. False when no batch may be processed now.
  bool Next(StreamBatch& batch, const std::function<bool(StreamBatch&)>& pop);

  // Cuts `batch` at its first table barrier, if any: `batch` keeps the rows before it (and
  // loses its control event), the rest is parked until every producer delivered the barrier.
  // When this copy is the last, `aligned` receives a batch holding the barrier alone, to be
  // processed after `batch`, and the parked batches are released to Next. An error when the
  // copies differ.
  Status Split(StreamBatch& batch, std::optional<StreamBatch>& aligned);

  // Drops everything held (the job failed).
  void Clear();

 private:
  struct Producer {
    bool arrived = false;            // delivered the barrier being aligned
    std::deque<StreamBatch> parked;  // its batches after that barrier
  };

  const size_t producers_;
  std::vector<Producer> by_producer_;
  std::optional<RowChange> barrier_;  // the barrier being aligned (its first copy)
  size_t arrived_ = 0;
  std::deque<StreamBatch> released_;  // parked batches that may be processed again
};

}  // namespace cdc
