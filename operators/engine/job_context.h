// JobContext: what every task of a running job shares: the thread pool, the clock, the first
// error, the checkpoint coordinator, the stop request and the finish notification.
// Thread-safe (each member is).
#pragma once

#include <atomic>
#include <functional>

#include "runtime/checkpoint_coordinator.h"
#include "runtime/clock.h"
#include "runtime/executor.h"
#include "runtime/first_error.h"

namespace cdc {

struct JobContext {
  Executor& executor;
  Clock& clock;
  FirstError& errors;
  CheckpointCoordinator& checkpoints;
  size_t batch_rows;                        // rows per batch between subtasks
  std::atomic<bool> stop_requested{false};  // graceful stop: sources end, everything drains
  std::function<void()> on_sink_finished;   // a sink subtask wrote everything and finished
  // Called by a source subtask whose input ended or that was stopped, before it sends its end
  // of input: starts the job's final checkpoint when JobOptions::final_checkpoint asks for one.
  std::function<void()> on_source_ending;

  bool stopping() const {
    return stop_requested.load(std::memory_order_acquire) || errors.failed();
  }
};

}  // namespace cdc
