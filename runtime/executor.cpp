#include "runtime/executor.h"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <thread>

namespace cdc {

Executor::Executor(size_t threads)
    : threads_(std::max<size_t>(threads, 1)),
      pool_(std::make_unique<boost::asio::thread_pool>(threads_)) {}

Executor::~Executor() { pool_->join(); }

void Executor::Post(std::function<void()> task) {
  outstanding_.fetch_add(1, std::memory_order_relaxed);
  boost::asio::post(*pool_, [this, task = std::move(task)] {
    task();
    if (outstanding_.fetch_sub(1, std::memory_order_acq_rel) == 1) outstanding_.notify_all();
  });
}

void Executor::WaitIdle() {
  for (int64_t n = outstanding_.load(std::memory_order_acquire); n != 0;
       n = outstanding_.load(std::memory_order_acquire)) {
    outstanding_.wait(n, std::memory_order_acquire);
  }
}

size_t DefaultThreadCount() { return std::max(1u, std::thread::hardware_concurrency()); }

}  // namespace cdc
