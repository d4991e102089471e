// Executor: the job's one thread pool (Boost.Asio), on which every operator subtask, flush and
// timer callback runs. Tasks never block on each other; blocking I/O inside a task is allowed
// (a table writer's round trip) and only occupies that one thread.
//
// Thread-safe: Post may be called from any thread, including from tasks.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>

namespace boost::asio {
class thread_pool;
}

namespace cdc {

class Executor {
 public:
  // Starts `threads` worker threads (at least 1).
  explicit Executor(size_t threads);
  ~Executor();  // Joins: waits for queued tasks to finish.

  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  // Runs `task` on a pool thread, soon. Tasks posted from one thread are started in order,
  // but may run concurrently with each other.
  void Post(std::function<void()> task);

  // Waits until no task is queued or running, including tasks posted by tasks.
  void WaitIdle();

  // The underlying pool, for runtime/ code that binds Asio timers to it.
  boost::asio::thread_pool& pool() { return *pool_; }

 private:
  size_t threads_;
  std::unique_ptr<boost::asio::thread_pool> pool_;
  std::mutex idle_mu_;  // guards outstanding_, pairs with idle_cv_
  std::condition_variable idle_cv_;
  int64_t outstanding_ = 0;
};

// Number of threads to use when the configuration says 0: the machine's cores.
size_t DefaultThreadCount();

}  // namespace cdc
