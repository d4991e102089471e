// Channel<T>: a bounded multi-producer, single-consumer queue between subtasks, with
// backpressure. The only file that names the queue library (moodycamel::ConcurrentQueue).
//
// Each producer pushes through its own Producer handle, which keeps that producer's items in
// FIFO order even when the producer is a pool task that hops between threads. Producers on
// their own threads (sources) block in Push() while the channel is full; producers on the pool
// use TryPush() and, when it fails, OnSpace() to be called back when there is room again. The
// single consumer is told by the data callback that items arrived.
//
// Thread-safe: any number of producers, one consumer at a time.
#pragma once

#include <concurrentqueue/concurrentqueue.h>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <utility>
#include <vector>

namespace cdc {

template <typename T>
class Channel {
 public:
  class Producer {
   public:
    // Blocks while the channel is full. Returns false (and drops `item`) once it is closed.
    bool Push(T item) { return channel_->Push(token_, std::move(item)); }
    // Pushes and returns true when there is room; otherwise leaves `item` as it was.
    bool TryPush(T& item) { return channel_->TryPush(token_, item); }

   private:
    friend class Channel;
    explicit Producer(Channel* channel) : channel_(channel), token_(channel->queue_) {}
    Channel* channel_;
    moodycamel::ProducerToken token_;
  };

  // `capacity` (> 0) items may be queued at once.
  explicit Channel(size_t capacity) : capacity_(capacity) {}

  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;

  // A new producer handle; one per producing subtask. The channel must outlive it.
  Producer MakeProducer() { return Producer(this); }

  // Called after every push that makes items available; must be cheap and must not block.
  // Set once, before any push.
  void SetDataCallback(std::function<void()> on_data) { on_data_ = std::move(on_data); }

  // Takes the oldest item of some producer; false when the channel is empty.
  bool TryPop(T& item) {
    if (!queue_.try_dequeue(item)) return false;
    size_t left = size_.fetch_sub(1, std::memory_order_seq_cst) - 1;
    // Wake waiting producers only once the channel has drained to half: they then push a run
    // of items instead of ping-ponging with the consumer one item at a time.
    if (left <= capacity_ / 2 && waiters_.load(std::memory_order_seq_cst) > 0) WakeProducers();
    return true;
  }

  // Calls `on_space` once, from some thread, when the channel has drained to half its
  // capacity (or closes).
  // Returns false without registering when it has room already: the caller should retry.
  bool OnSpace(std::function<void()> on_space) {
    std::lock_guard lock(mu_);
    waiters_.fetch_add(1, std::memory_order_seq_cst);
    if (closed_ || size_.load(std::memory_order_seq_cst) < capacity_) {
      waiters_.fetch_sub(1, std::memory_order_seq_cst);
      return false;
    }
    space_callbacks_.push_back(std::move(on_space));
    return true;
  }

  // Wakes every blocked producer; later pushes fail. Items already queued can still be popped.
  void Close() {
    {
      std::lock_guard lock(mu_);
      closed_.store(true, std::memory_order_release);
    }
    WakeProducers();
  }

  size_t size() const { return size_.load(std::memory_order_relaxed); }
  bool empty() const { return size() == 0; }
  size_t capacity() const { return capacity_; }

 private:
  bool Reserve() {
    size_t size = size_.load(std::memory_order_relaxed);
    while (size < capacity_) {
      if (size_.compare_exchange_weak(size, size + 1, std::memory_order_seq_cst)) return true;
    }
    return false;
  }

  void Publish(moodycamel::ProducerToken& token, T&& item) {
    queue_.enqueue(token, std::move(item));
    if (on_data_) on_data_();
  }

  bool Push(moodycamel::ProducerToken& token, T item) {
    while (!Reserve()) {
      std::unique_lock lock(mu_);
      if (closed_) return false;
      // Dekker-style handshake with TryPop: announce the wait, then re-check the size.
      waiters_.fetch_add(1, std::memory_order_seq_cst);
      space_cv_.wait(lock,
                     [&] { return closed_ || size_.load(std::memory_order_seq_cst) < capacity_; });
      waiters_.fetch_sub(1, std::memory_order_seq_cst);
      if (closed_) return false;
    }
    if (closed_flag()) {
      size_.fetch_sub(1, std::memory_order_seq_cst);
      return false;
    }
    Publish(token, std::move(item));
    return true;
  }

  bool TryPush(moodycamel::ProducerToken& token, T& item) {
    if (closed_flag()) return true;  // closed: the item is dropped, as Push does
    if (!Reserve()) return false;
    Publish(token, std::move(item));
    return true;
  }

  bool closed_flag() const { return closed_.load(std::memory_order_acquire); }

  void WakeProducers() {
    std::vector<std::function<void()>> callbacks;
    {
      std::lock_guard lock(mu_);
      callbacks.swap(space_callbacks_);
      waiters_.fetch_sub(static_cast<int>(callbacks.size()), std::memory_order_seq_cst);
      space_cv_.notify_all();
    }
    for (auto& callback : callbacks) callback();
  }

  const size_t capacity_;
  moodycamel::ConcurrentQueue<T> queue_;
  std::atomic<size_t> size_{0};
  std::atomic<int> waiters_{0};  // blocked Push calls plus registered OnSpace callbacks
  std::function<void()> on_data_;
  std::mutex mu_;  // guards closed_, space_callbacks_; pairs with space_cv_
  std::condition_variable space_cv_;
  std::vector<std::function<void()>> space_callbacks_;
  std::atomic<bool> closed_{false};  // written under mu_
};

}  // namespace cdc
