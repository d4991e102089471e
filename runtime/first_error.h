// FirstError: the sticky first failure of a running job (leveldb's bg_error_). The first
// non-OK Status reported wins and is what Run() returns; later ones are dropped. Reporting
// the first error calls the stop callback once, so the job stops cleanly.
//
// Thread-safe.
#pragma once

#include <atomic>
#include <functional>
#include <mutex>

#include "runtime/status.h"

namespace cdc {

class FirstError {
 public:
  // Called once, on the thread that reports the first error. Set before the job starts.
  void SetStopCallback(std::function<void()> on_first_error) {
    on_first_error_ = std::move(on_first_error);
  }

  // Records `status` when it is the first error; OK statuses are ignored.
  void Report(const Status& status) {
    if (status.ok()) return;
    {
      std::lock_guard lock(mu_);
      if (failed_.load(std::memory_order_relaxed)) return;
      status_ = status;
      failed_.store(true, std::memory_order_release);
    }
    if (on_first_error_) on_first_error_();
  }

  bool failed() const { return failed_.load(std::memory_order_acquire); }

  // OK, or the first error reported.
  Status status() const {
    std::lock_guard lock(mu_);
    return status_;
  }

 private:
  mutable std::mutex mu_;  // guards status_
  Status status_;
  std::atomic<bool> failed_{false};
  std::function<void()> on_first_error_;
};

}  // namespace cdc
