#include "runtime/clock.h"

#include <doctest/doctest.h>

#include <thread>
#include <vector>

#include "runtime/executor.h"

namespace cdc {

TEST_CASE("a manual clock fires a periodic timer exactly at each period and not before") {
  ManualClock clock;
  std::vector<int64_t> ticks;
  auto timer = clock.Every(Micros(100), [&] { ticks.push_back(clock.Now().count()); });
  clock.Advance(Micros(99));
  CHECK(ticks.empty());
  clock.Advance(Micros(1));
  CHECK(ticks == std::vector<int64_t>{100});
  clock.Advance(Micros(250));
  CHECK(ticks == std::vector<int64_t>{100, 200, 300});
  CHECK(clock.Now().count() == 350);
}

TEST_CASE("a destroyed manual timer never fires again") {
  ManualClock clock;
  int ticks = 0;
  auto timer = clock.Every(Micros(10), [&] { ++ticks; });
  clock.Advance(Micros(10));
  timer.reset();
  clock.Advance(Micros(100));
  CHECK(ticks == 1);
}

TEST_CASE("timers of a manual clock fire in time order") {
  ManualClock clock;
  std::vector<char> order;
  auto a = clock.Every(Micros(30), [&] { order.push_back('a'); });
  auto b = clock.Every(Micros(20), [&] { order.push_back('b'); });
  clock.Advance(Micros(60));
  CHECK(order == std::vector<char>{'b', 'a', 'b', 'a', 'b'});
}

TEST_CASE("WaitUntil on a manual clock returns once time reaches the deadline") {
  ManualClock clock;
  std::atomic<bool> woke{false};
  std::thread waiter([&] {
    clock.WaitUntil(Micros(500), [] { return false; });
    woke = true;
  });
  clock.Advance(Micros(499));
  CHECK_FALSE(woke.load());
  clock.Advance(Micros(1));
  waiter.join();
  CHECK(woke.load());
}

TEST_CASE("WaitUntil returns early when interrupted and its condition holds") {
  ManualClock clock;
  std::atomic<bool> stop{false};
  std::thread waiter([&] { clock.WaitUntil(Micros(1'000'000), [&] { return stop.load(); }); });
  stop = true;
  clock.Interrupt();
  waiter.join();
  CHECK(clock.Now().count() == 0);
}

TEST_CASE("the system clock runs a periodic timer on the executor") {
  Executor executor(1);
  SystemClock clock(executor);
  std::atomic<int> ticks{0};
  auto timer = clock.Every(Micros(1000), [&] { ticks.fetch_add(1); });
  while (ticks.load() < 3) std::this_thread::yield();
  timer.reset();
  int after = ticks.load();
  executor.WaitIdle();
  CHECK(ticks.load() == after);
}

}  // namespace cdc

namespace cdc {

TEST_CASE("After runs a function once when its delay has passed") {
  ManualClock clock;
  std::vector<int64_t> fired;
  clock.After(Micros(50), [&] { fired.push_back(clock.Now().count()); });
  clock.Advance(Micros(49));
  CHECK(fired.empty());
  clock.Advance(Micros(1));
  CHECK(fired == std::vector<int64_t>{50});
  clock.Advance(Micros(1000));
  CHECK(fired.size() == 1);
}

TEST_CASE("the system clock's After runs on the executor") {
  Executor executor(1);
  SystemClock clock(executor);
  std::atomic<bool> fired{false};
  clock.After(Micros(1000), [&] { fired = true; });
  while (!fired.load()) std::this_thread::yield();
  executor.WaitIdle();
  CHECK(fired.load());
}

}  // namespace cdc
