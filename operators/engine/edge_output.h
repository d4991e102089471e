// EdgeOutput: one producing subtask's end of an edge of the job graph. It partitions row
// changes over the edge's downstream subtasks (forward, key hash, broadcast or round-robin),
// gathers them into batches, and pushes the batches into the downstream channels. Control
// events (barriers, end of input) go to every downstream subtask behind the rows before them.
//
// Thread-bound: owned by one producing subtask.
#pragma once

#include <functional>
#include <vector>

#include "operators/engine/stream_batch.h"
#include "operators/key_router.h"
#include "runtime/channel.h"
#include "runtime/partitioning.h"

namespace cdc {

class EdgeOutput {
 public:
  // `targets` are the downstream channels this producer feeds: all of the edge's downstream
  // subtasks, or for a forward edge only the one with the producer's index.
  // `producer_index` is this producer's number among each target's producers.
  EdgeOutput(Partitioning partitioning, const std::vector<Channel<StreamBatch>*>& targets,
             size_t batch_rows, uint32_t producer_index = 0);

  // Adds a change to the batch of the subtask(s) it is routed to.
  void Add(RowChange&& change);
  void Add(const RowChange& change);  // a copy, for fan-out

  // Appends `event` to every target's batch; push before adding more rows.
  void AddControl(const ControlEvent& event);

  // Source threads: pushes every batch that is full, or whose channel is idle (so a slow
  // trickle still flows at once), or every non-empty batch when `all`; blocks while a
  // channel is full. Returns false if a channel closed (the job is stopping).
  bool PushBlocking(bool all);

  // Pool tasks: pushes every non-empty batch without blocking. When a channel is full,
  // registers `on_space` with it and returns false; call again after it fires.
  bool TryPushAll(const std::function<void()>& on_space);

 private:
  struct Target {
    Channel<StreamBatch>* channel;
    Channel<StreamBatch>::Producer producer;
    StreamBatch pending;
  };

  size_t Route(const RowChange& change);

  const Partitioning partitioning_;
  const size_t batch_rows_;
  const uint32_t producer_index_;
  std::vector<Target> targets_;
  KeyRouter router_;
  size_t next_ = 0;      // round-robin cursor
  bool urgent_ = false;  // a table barrier is pending: push every batch on the next push
};

}  // namespace cdc
