#include "runtime/checkpoint_coordinator.h"

#include <doctest/doctest.h>

#include <vector>

namespace cdc {

TEST_CASE("a checkpoint completes only when every source state and sink acknowledgement is in") {
  std::vector<CompletedCheckpoint> done;
  CheckpointCoordinator coordinator(2, 3, [&](const CompletedCheckpoint& c) { done.push_back(c); });
  CheckpointBarrier barrier = coordinator.Trigger(123);
  CHECK(barrier.id == 1);
  CHECK(barrier.trigger_time_us == 123);
  coordinator.SourceState(1, 1, "b");
  coordinator.Acknowledge(1, 0);
  coordinator.Acknowledge(1, 2);
  coordinator.SourceState(1, 0, "a");
  CHECK(done.empty());
  coordinator.Acknowledge(1, 1);
  REQUIRE(done.size() == 1);
  CHECK(done[0].id == 1);
  CHECK(done[0].source_states == std::vector<std::string>{"a", "b"});
  CHECK(coordinator.last_completed() == 1);
}

TEST_CASE("checkpoints complete in id order even when a later one is acknowledged first") {
  std::vector<uint64_t> done;
  CheckpointCoordinator coordinator(1, 1,
                                    [&](const CompletedCheckpoint& c) { done.push_back(c.id); });
  coordinator.Trigger(0);
  coordinator.Trigger(0);
  coordinator.SourceState(1, 0, "");
  coordinator.SourceState(2, 0, "");
  coordinator.Acknowledge(2, 0);
  CHECK(done.empty());
  coordinator.Acknowledge(1, 0);
  CHECK(done == std::vector<uint64_t>{1, 2});
}

}  // namespace cdc
