// Clock: the time source and timer service that every time-driven part of a job uses, injected
// so tests advance time by hand instead of sleeping.
//
// SystemClock reads the steady clock and runs timers on the Executor (Boost.Asio timers).
// ManualClock stands still until Advance() is called, which runs the timers that fall due, in
// time order, on the calling thread. Both are thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

namespace cdc {

class Executor;

using Micros = std::chrono::microseconds;

// A repeating timer; destroying it cancels it and waits for a tick that is running to end.
class PeriodicTimer {
 public:
  virtual ~PeriodicTimer() = default;
};

class Clock {
 public:
  virtual ~Clock() = default;

  // Monotonic time since an arbitrary origin.
  virtual Micros Now() const = 0;

  // Calls `tick` every `period` (> 0), first at Now() + period, until the returned timer is
  // destroyed. Ticks of one timer never overlap. `tick` must not destroy its own timer.
  virtual std::unique_ptr<PeriodicTimer> Every(Micros period, std::function<void()> tick) = 0;

  // Calls `fn` once, `delay` from now (on the executor for the system clock; inside Advance for
  // the manual clock). Not cancellable: the caller keeps what `fn` touches alive until it ran.
  virtual void After(Micros delay, std::function<void()> fn) = 0;

  // Blocks the calling thread until Now() >= deadline or `interrupted()` turns true (checked
  // whenever Interrupt() is called). For source threads only; pool tasks never wait.
  virtual void WaitUntil(Micros deadline, const std::function<bool()>& interrupted) = 0;

  // Wakes every WaitUntil so it re-checks its `interrupted` condition.
  virtual void Interrupt() = 0;
};

class SystemClock final : public Clock {
 public:
  explicit SystemClock(Executor& executor) : executor_(executor) {}

  Micros Now() const override;
  std::unique_ptr<PeriodicTimer> Every(Micros period, std::function<void()> tick) override;
  void After(Micros delay, std::function<void()> fn) override;
  void WaitUntil(Micros deadline, const std::function<bool()>& interrupted) override;
  void Interrupt() override;

 private:
  Executor& executor_;
  std::mutex wait_mu_;  // guards nothing but the wait below
  std::condition_variable wait_cv_;
};

class ManualClock final : public Clock {
 public:
  explicit ManualClock(Micros start = Micros(0)) : now_(start) {}

  Micros Now() const override;
  std::unique_ptr<PeriodicTimer> Every(Micros period, std::function<void()> tick) override;
  void After(Micros delay, std::function<void()> fn) override;
  void WaitUntil(Micros deadline, const std::function<bool()>& interrupted) override;
  void Interrupt() override;

  // Moves time forward by `delta`, running every tick that falls due on this thread, in order.
  void Advance(Micros delta);

 private:
  struct Entry {
    Micros period;  // zero: a one-shot timer from After()
    std::function<void()> tick;
  };
  class Timer;

  void Cancel(uint64_t id);

  mutable std::mutex mu_;  // guards now_, timers_, next_id_
  std::condition_variable cv_;
  std::mutex advance_mu_;  // one Advance at a time; held while ticks run
  std::atomic<std::thread::id> advancing_thread_{};
  Micros now_;
  uint64_t next_id_ = 0;
  std::multimap<Micros, std::pair<uint64_t, std::shared_ptr<Entry>>> timers_;  // by due time
};

}  // namespace cdc
