#include "runtime/serial_task.h"

#include <doctest/doctest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace cdc {

TEST_CASE("a serial task never runs on two threads at once and loses no wake-up") {
  Executor executor(4);
  std::atomic<int> running{0};
  std::atomic<int> overlaps{0};
  std::atomic<int> work{0};
  std::atomic<int> done{0};
  SerialTask task(executor, [&] {
    if (running.fetch_add(1) != 0) overlaps.fetch_add(1);
    bool more = false;
    if (work.load() > 0) {
      work.fetch_sub(1);
      done.fetch_add(1);
      more = true;
    }
    running.fetch_sub(1);
    return more;
  });
  std::vector<std::thread> wakers;
  for (int t = 0; t < 4; ++t) {
    wakers.emplace_back([&] {
      for (int i = 0; i < 5000; ++i) {
        work.fetch_add(1);
        task.Wake();
      }
    });
  }
  for (auto& thread : wakers) thread.join();
  executor.WaitIdle();
  CHECK(overlaps.load() == 0);
  CHECK(done.load() == 20000);
  CHECK(work.load() == 0);
}

}  // namespace cdc
