#include "runtime/channel.h"

#include <doctest/doctest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace cdc {

TEST_CASE("a channel keeps each producer's items in order while producers interleave") {
  Channel<int> channel(1024);
  constexpr int kProducers = 4;
  constexpr int kItems = 2000;
  std::vector<std::thread> threads;
  for (int p = 0; p < kProducers; ++p) {
    threads.emplace_back([&channel, p] {
      auto producer = channel.MakeProducer();
      for (int i = 0; i < kItems; ++i) REQUIRE(producer.Push(p * kItems + i));
    });
  }
  std::vector<int> last(kProducers, -1);
  int received = 0;
  while (received < kProducers * kItems) {
    int item;
    if (!channel.TryPop(item)) continue;
    int p = item / kItems;
    CHECK(item % kItems == last[p] + 1);
    last[p] = item % kItems;
    ++received;
  }
  for (auto& thread : threads) thread.join();
  CHECK(channel.empty());
}

TEST_CASE("a full channel refuses TryPush and calls OnSpace back once an item is popped") {
  Channel<int> channel(2);
  auto producer = channel.MakeProducer();
  int a = 1, b = 2, c = 3;
  CHECK(producer.TryPush(a));
  CHECK(producer.TryPush(b));
  CHECK_FALSE(producer.TryPush(c));
  CHECK(c == 3);  // left untouched
  int called = 0;
  CHECK(channel.OnSpace([&] { ++called; }));
  CHECK(called == 0);
  int item;
  REQUIRE(channel.TryPop(item));
  CHECK(item == 1);
  CHECK(called == 1);
  CHECK(producer.TryPush(c));
  CHECK(channel.OnSpace([&] { ++called; }));  // full again: registers
  REQUIRE(channel.TryPop(item));
  CHECK(called == 2);
}

TEST_CASE("OnSpace declines to register when the channel already has room") {
  Channel<int> channel(2);
  bool called = false;
  CHECK_FALSE(channel.OnSpace([&] { called = true; }));
  CHECK_FALSE(called);
}

TEST_CASE("a producer blocked on a full channel resumes after a pop, and never exceeds capacity") {
  Channel<int> channel(3);
  std::atomic<int> pushed{0};
  std::thread producer_thread([&] {
    auto producer = channel.MakeProducer();
    for (int i = 0; i < 100; ++i) {
      REQUIRE(producer.Push(i));
      pushed.fetch_add(1);
    }
  });
  int expected = 0;
  while (expected < 100) {
    CHECK(channel.size() <= 3);
    int item;
    if (channel.TryPop(item)) CHECK(item == expected++);
  }
  producer_thread.join();
  CHECK(pushed.load() == 100);
}

TEST_CASE("closing a channel wakes a blocked producer, whose push then fails") {
  Channel<int> channel(1);
  auto producer = channel.MakeProducer();
  REQUIRE(producer.Push(1));
  std::atomic<bool> result{true};
  std::thread blocked([&] { result = producer.Push(2); });
  channel.Close();
  blocked.join();
  CHECK_FALSE(result.load());
  int item;
  CHECK(channel.TryPop(item));  // what was queued before closing can still be taken
  CHECK(item == 1);
}

TEST_CASE("the data callback runs on every push") {
  Channel<int> channel(8);
  int calls = 0;
  channel.SetDataCallback([&] { ++calls; });
  auto producer = channel.MakeProducer();
  REQUIRE(producer.Push(1));
  int two = 2;
  REQUIRE(producer.TryPush(two));
  CHECK(calls == 2);
}

}  // namespace cdc
