// SerialTask: a unit of work that runs on the Executor whenever it is woken, never on two
// threads at once (an actor's mailbox loop). Each run calls `step` until it reports no more
// work or a fairness budget is spent, then yields the thread to other tasks.
//
// Thread-safe: Wake() may be called from any thread at any time; a wake that arrives while a
// step runs makes the task run again, so no wake-up is lost.
#pragma once

#include <atomic>
#include <functional>

#include "runtime/executor.h"

namespace cdc {

class SerialTask {
 public:
  // `step` returns true when it may have more work right away. The task object must outlive
  // every run; call Wake() only while it is alive.
  SerialTask(Executor& executor, std::function<bool()> step)
      : executor_(executor), step_(std::move(step)) {}

  SerialTask(const SerialTask&) = delete;
  SerialTask& operator=(const SerialTask&) = delete;

  void Wake() {
    if (pending_.fetch_add(1, std::memory_order_acq_rel) == 0) {
      executor_.Post([this] { Run(); });
    }
  }

 private:
  static constexpr int kStepsPerRun = 16;

  void Run() {
    while (true) {
      int64_t seen = pending_.load(std::memory_order_acquire);
      bool more = false;
      for (int i = 0; i < kStepsPerRun; ++i) {
        more = step_();
        if (!more) break;
      }
      if (more) {
        // Budget spent: requeue behind other tasks instead of looping here.
        executor_.Post([this] { Run(); });
        return;
      }
      if (pending_.fetch_sub(seen, std::memory_order_acq_rel) == seen) return;
    }
  }

  Executor& executor_;
  std::function<bool()> step_;
  std::atomic<int64_t> pending_{0};
};

}  // namespace cdc
