// CheckpointCoordinator: numbers checkpoints, collects each source subtask's state at its
// barrier and each sink subtask's acknowledgement that everything before the barrier is
// written, and declares a checkpoint complete when every acknowledgement is in.
//
// The flow: Trigger() opens checkpoint N; each source subtask, at a consistent point between
// records, calls SourceState(N, i, state) and sends barrier N downstream; each sink subtask,
// once barrier N has arrived on all its inputs and all it buffered before it is written, calls
// Acknowledge(N, j). When the last acknowledgement arrives, the completion callback receives
// the checkpoint (persisting it is the caller's business). Checkpoints complete in order.
//
// Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace cdc {

struct CheckpointBarrier {
  uint64_t id = 0;
  int64_t trigger_time_us = 0;  // wall-clock time the checkpoint was triggered
};

struct CompletedCheckpoint {
  uint64_t id = 0;
  std::vector<std::string> source_states;  // one per source subtask, in subtask order
  // State the job's owner saves with the checkpoint (the schema catalog, say), by name.
  std::map<std::string, std::string> attachments;
};

class CheckpointCoordinator {
 public:
  using CompletionCallback = std::function<void(const CompletedCheckpoint&)>;

  CheckpointCoordinator(size_t source_subtasks, size_t sink_subtasks,
                        CompletionCallback on_complete);

  // Opens the next checkpoint and returns its barrier.
  CheckpointBarrier Trigger(int64_t now_us);

  void SourceState(uint64_t checkpoint_id, size_t source_subtask, std::string state);
  void Acknowledge(uint64_t checkpoint_id, size_t sink_subtask);

  // The id of the newest completed checkpoint, 0 when none.
  uint64_t last_completed() const;

 private:
  struct Pending {
    std::vector<std::string> source_states;
    size_t states_in = 0;
    std::vector<bool> acked;
    size_t acks_in = 0;
  };
  void CompleteReady(std::unique_lock<std::mutex>& lock);

  const size_t source_subtasks_;
  const size_t sink_subtasks_;
  CompletionCallback on_complete_;
  mutable std::mutex mu_;  // guards everything below
  uint64_t next_id_ = 1;
  uint64_t last_completed_ = 0;
  bool completing_ = false;  // a thread is running completion callbacks
  std::map<uint64_t, Pending> pending_;
};

}  // namespace cdc
