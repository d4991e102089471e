#include "runtime/clock.h"

#include <algorithm>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include "runtime/executor.h"

namespace cdc {
namespace {

// State shared between a SystemClock timer and its pending Asio wait, so a wait that fires
// after the timer is destroyed finds it cancelled.
struct AsioTimerState : std::enable_shared_from_this<AsioTimerState> {
  AsioTimerState(boost::asio::thread_pool& pool, Micros period, std::function<void()> tick)
      : timer(pool), period(period), tick(std::move(tick)) {}

  void Arm() {
    // Skip ticks missed while the pool was busy rather than firing them back to back.
    next_due = std::max(next_due + period, std::chrono::steady_clock::now());
    timer.expires_at(next_due);
    timer.async_wait([self = shared_from_this()](const boost::system::error_code& error) {
      if (error) return;
      std::lock_guard tick_lock(self->tick_mu);
      if (self->cancelled) return;
      self->tick();
      self->Arm();
    });
  }

  boost::asio::steady_timer timer;
  Micros period;
  std::function<void()> tick;
  std::chrono::steady_clock::time_point next_due = std::chrono::steady_clock::now();
  std::mutex tick_mu;  // guards cancelled; held while a tick runs so cancel waits for it
  bool cancelled = false;
};

class AsioPeriodicTimer final : public PeriodicTimer {
 public:
  explicit AsioPeriodicTimer(std::shared_ptr<AsioTimerState> state) : state_(std::move(state)) {}
  ~AsioPeriodicTimer() override {
    std::lock_guard tick_lock(state_->tick_mu);
    state_->cancelled = true;
    state_->timer.cancel();
  }

 private:
  std::shared_ptr<AsioTimerState> state_;
};

}  // namespace

Micros SystemClock::Now() const {
  return std::chrono::duration_cast<Micros>(std::chrono::steady_clock::now().time_since_epoch());
}

std::unique_ptr<PeriodicTimer> SystemClock::Every(Micros period, std::function<void()> tick) {
  auto state = std::make_shared<AsioTimerState>(executor_.pool(), period, std::move(tick));
  {
    std::lock_guard tick_lock(state->tick_mu);
    state->Arm();
  }
  return std::make_unique<AsioPeriodicTimer>(std::move(state));
}

void SystemClock::After(Micros delay, std::function<void()> fn) {
  auto timer = std::make_shared<boost::asio::steady_timer>(executor_.pool());
  timer->expires_after(delay);
  timer->async_wait([timer, fn = std::move(fn)](const boost::system::error_code&) { fn(); });
}

void SystemClock::WaitUntil(Micros deadline, const std::function<bool()>& interrupted) {
  std::unique_lock lock(wait_mu_);
  while (!interrupted()) {
    Micros now = Now();
    if (now >= deadline) return;
    wait_cv_.wait_for(lock, deadline - now);
  }
}

void SystemClock::Interrupt() {
  std::lock_guard lock(wait_mu_);
  wait_cv_.notify_all();
}

class ManualClock::Timer final : public PeriodicTimer {
 public:
  Timer(ManualClock& clock, uint64_t id) : clock_(clock), id_(id) {}
  ~Timer() override { clock_.Cancel(id_); }

 private:
  ManualClock& clock_;
  uint64_t id_;
};

Micros ManualClock::Now() const {
  std::lock_guard lock(mu_);
  return now_;
}

std::unique_ptr<PeriodicTimer> ManualClock::Every(Micros period, std::function<void()> tick) {
  std::lock_guard lock(mu_);
  uint64_t id = ++next_id_;
  auto entry = std::make_shared<Entry>(Entry{period, std::move(tick)});
  timers_.emplace(now_ + period, std::make_pair(id, std::move(entry)));
  return std::make_unique<Timer>(*this, id);
}

void ManualClock::After(Micros delay, std::function<void()> fn) {
  std::lock_guard lock(mu_);
  uint64_t id = ++next_id_;
  timers_.emplace(now_ + delay,
                  std::make_pair(id, std::make_shared<Entry>(Entry{Micros(0), std::move(fn)})));
}

void ManualClock::Cancel(uint64_t id) {
  // Wait for a running Advance (and so a running tick) unless this thread is the one advancing.
  std::unique_lock<std::mutex> advance_lock;
  if (advancing_thread_.load() != std::this_thread::get_id()) {
    advance_lock = std::unique_lock(advance_mu_);
  }
  std::lock_guard lock(mu_);
  for (auto it = timers_.begin(); it != timers_.end(); ++it) {
    if (it->second.first == id) {
      timers_.erase(it);
      return;
    }
  }
}

void ManualClock::WaitUntil(Micros deadline, const std::function<bool()>& interrupted) {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return now_ >= deadline || interrupted(); });
}

void ManualClock::Interrupt() {
  std::lock_guard lock(mu_);
  cv_.notify_all();
}

void ManualClock::Advance(Micros delta) {
  std::lock_guard advance_lock(advance_mu_);
  advancing_thread_.store(std::this_thread::get_id());
  struct Reset {
    std::atomic<std::thread::id>& id;
    ~Reset() { id.store(std::thread::id()); }
  } reset{advancing_thread_};
  Micros target;
  {
    std::lock_guard lock(mu_);
    target = now_ + delta;
  }
  while (true) {
    std::unique_lock lock(mu_);
    auto due = timers_.begin();
    if (due == timers_.end() || due->first > target) {
      now_ = target;
      cv_.notify_all();
      return;
    }
    Micros when = due->first;
    auto [id, entry] = due->second;
    timers_.erase(due);
    now_ = when;
    if (entry->period.count() > 0) timers_.emplace(when + entry->period, std::make_pair(id, entry));
    cv_.notify_all();
    lock.unlock();
    entry->tick();  // outside mu_: a tick may read Now() or start timers
  }
}

}  // namespace cdc
