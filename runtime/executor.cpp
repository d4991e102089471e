#include "runtime/executor.h"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <thread>

namespace cdc {

Executor::Executor(size_t threads)
    : threads_(std::max<size_t>(threads, 1)),
      pool_(std::make_unique<boost::asio::thread_pool>(threads_)) {}

Executor::~Executor() {
  pool_->join();
}

void Executor::Post(std::function<void()> task) {
  {
    std::lock_guard idle_lock(idle_mu_);
    ++outstanding_;
  }
  boost::asio::post(*pool_, [this, task = std::move(task)] {
    task();
    std::lock_guard idle_lock(idle_mu_);
    if (--outstanding_ == 0) idle_cv_.notify_all();
  });
}

void Executor::WaitIdle() {
  std::unique_lock idle_lock(idle_mu_);
  idle_cv_.wait(idle_lock, [this] { return outstanding_ == 0; });
}

size_t DefaultThreadCount() {
  return std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace cdc
