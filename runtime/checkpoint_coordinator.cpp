#include "runtime/checkpoint_coordinator.h"

#include "runtime/assertions.h"

namespace cdc {

CheckpointCoordinator::CheckpointCoordinator(size_t source_subtasks, size_t sink_subtasks,
                                             CompletionCallback on_complete)
    : source_subtasks_(source_subtasks),
      sink_subtasks_(sink_subtasks),
      on_complete_(std::move(on_complete)) {}

CheckpointBarrier CheckpointCoordinator::Trigger(int64_t now_us) {
  std::lock_guard lock(mu_);
  uint64_t id = next_id_++;
  Pending& pending = pending_[id];
  pending.source_states.resize(source_subtasks_);
  pending.acked.assign(sink_subtasks_, false);
  return CheckpointBarrier{id, now_us};
}

void CheckpointCoordinator::SourceState(uint64_t checkpoint_id, size_t source_subtask,
                                        std::string state) {
  std::unique_lock lock(mu_);
  auto it = pending_.find(checkpoint_id);
  CDC_ASSERT(it != pending_.end() && source_subtask < source_subtasks_);
  it->second.source_states[source_subtask] = std::move(state);
  ++it->second.states_in;
  CompleteReady(lock);
}

void CheckpointCoordinator::Acknowledge(uint64_t checkpoint_id, size_t sink_subtask) {
  std::unique_lock lock(mu_);
  auto it = pending_.find(checkpoint_id);
  CDC_ASSERT(it != pending_.end() && sink_subtask < sink_subtasks_);
  CDC_ASSERT(!it->second.acked[sink_subtask]);
  it->second.acked[sink_subtask] = true;
  ++it->second.acks_in;
  CompleteReady(lock);
}

uint64_t CheckpointCoordinator::last_completed() const {
  std::lock_guard lock(mu_);
  return last_completed_;
}

void CheckpointCoordinator::CompleteReady(std::unique_lock<std::mutex>& lock) {
  // Complete in id order: a later checkpoint never completes before an earlier one, and one
  // thread at a time runs the callbacks so they are never concurrent or out of order.
  if (completing_) return;
  completing_ = true;
  while (!pending_.empty()) {
    auto it = pending_.begin();
    Pending& p = it->second;
    if (p.states_in < source_subtasks_ || p.acks_in < sink_subtasks_) break;
    CompletedCheckpoint done{it->first, std::move(p.source_states), {}};
    pending_.erase(it);
    last_completed_ = done.id;
    lock.unlock();
    if (on_complete_) on_complete_(done);
    lock.lock();
  }
  completing_ = false;
}

}  // namespace cdc
