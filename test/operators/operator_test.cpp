// The operator API's hooks run by the job runtime: Finish when the input ends and OnBarrier
// when a checkpoint barrier passes, for an operator chained to the source and for one running
// in its own parallel subtasks after a key-by or a rebalance (where a barrier arrives from
// every producer and the hook runs once, after the last copy).
#include "operators/operator.h"

#include <doctest/doctest.h>

#include <map>
#include <mutex>
#include <thread>

#include "operators/job.h"
#include "test/job_test_support.h"
#include "test/test_rows.h"

namespace cdc {
namespace {

using testing::ModelWriters;
using testing::VectorSource;

// What the HoldBack operators of one job saw, per subtask index.
struct HookLog {
  std::mutex mu;  // guards the maps
  std::map<size_t, int> finishes;
  std::map<size_t, std::vector<uint64_t>> barriers;  // checkpoint ids, in order
};

// Emits nothing from Process: every change is held until the next barrier or the end, the
// way a batching or aggregating operator holds state.
class HoldBack final : public Operator {
 public:
  explicit HoldBack(HookLog& log) : log_(log) {}
  Status Open(const SubtaskInfo& info) override {
    subtask_ = info.index;
    return Status::Ok();
  }
  Status Process(RowChange&& change, Output&) override {
    held_.push_back(std::move(change));
    return Status::Ok();
  }
  Status OnBarrier(const CheckpointBarrier& barrier, Output& out) override {
    {
      std::lock_guard lock(log_.mu);
      log_.barriers[subtask_].push_back(barrier.id);
    }
    return EmitHeld(out);
  }
  Status Finish(Output& out) override {
    {
      std::lock_guard lock(log_.mu);
      ++log_.finishes[subtask_];
    }
    return EmitHeld(out);
  }

 private:
  Status EmitHeld(Output& out) {
    for (RowChange& change : held_) CDC_RETURN_IF_ERROR(out.Emit(std::move(change)));
    held_.clear();
    return Status::Ok();
  }
  HookLog& log_;
  size_t subtask_ = 0;
  std::vector<RowChange> held_;
};

OperatorFactory HoldBackFactory(HookLog& log) {
  return [&log](const SubtaskInfo&) { return std::make_unique<HoldBack>(log); };
}

// Inserts of ids first .. first + count - 1 into db.t.
std::vector<RowChange> Inserts(const TableSchemaPtr& table, int64_t first, int64_t count) {
  std::vector<RowChange> changes;
  for (int64_t id = first; id < first + count; ++id)
    changes.push_back(testing::Insert(table, id, "v"));
  return changes;
}

template <typename Predicate>
void SpinUntil(Predicate done) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!done()) {
    REQUIRE(std::chrono::steady_clock::now() < deadline);
    std::this_thread::yield();
  }
}

enum class Placement { kChainedToSource, kAfterKeyBy };

// Adds the HoldBack operator where `placement` says, then a sink into `writers`.
void Wire(DataStream stream, Placement placement, HookLog& log,
          const std::shared_ptr<ModelWriters>& writers) {
  if (placement == Placement::kChainedToSource) {
    stream.Process("hold", HoldBackFactory(log)).KeyBy().SinkTo("model", writers);
  } else {
    stream.KeyBy().Process("hold", HoldBackFactory(log)).SinkTo("model", writers);
  }
}

}  // namespace

TEST_CASE(
    "Finish runs once per operator subtask when the input ends, and what it emits is written") {
  auto table = testing::MakeTable("t");
  for (Placement placement : {Placement::kChainedToSource, Placement::kAfterKeyBy}) {
    CAPTURE(static_cast<int>(placement));
    HookLog log;
    auto writers = std::make_shared<ModelWriters>();
    JobOptions options;
    options.parallelism = 3;
    Job job(options);
    auto changes = Inserts(table, 1, 300);
    Wire(job.AddSource(
             "changes",
             [&](const SubtaskInfo&) { return std::make_unique<VectorSource>(changes, false); }),
         placement, log, writers);
    REQUIRE(job.Run().ok());
    std::map<size_t, int> expected = placement == Placement::kChainedToSource
                                         ? std::map<size_t, int>{{0, 1}}
                                         : std::map<size_t, int>{{0, 1}, {1, 1}, {2, 1}};
    CHECK(log.finishes == expected);
    CHECK(writers->model.rows().size() == 300);
    CHECK(job.metrics().rows_written == 300);
  }
}

TEST_CASE(
    "OnBarrier runs as a checkpoint barrier passes, and the checkpoint completes after what it "
    "emits is written") {
  auto table = testing::MakeTable("t");
  for (Placement placement : {Placement::kChainedToSource, Placement::kAfterKeyBy}) {
    CAPTURE(static_cast<int>(placement));
    HookLog log;
    auto writers = std::make_shared<ModelWriters>();
    std::vector<uint64_t> written_at_checkpoint;
    JobOptions options;
    options.parallelism = 2;
    options.on_checkpoint = [&](const CompletedCheckpoint&) {
      written_at_checkpoint.push_back(writers->rows.load());
    };
    Job job(options);
    auto changes = Inserts(table, 1, 200);
    // The source emits its changes, then waits: nothing ends the input before the checkpoint.
    Wire(job.AddSource(
             "changes",
             [&](const SubtaskInfo&) { return std::make_unique<VectorSource>(changes, true); }),
         placement, log, writers);
    Status status;
    std::thread runner([&] { status = job.Run(); });
    SpinUntil([&] { return job.metrics().rows_emitted == 200; });
    REQUIRE(job.TriggerCheckpoint());
    SpinUntil([&] { return job.metrics().checkpoints == 1; });
    job.Stop();
    runner.join();
    REQUIRE(status.ok());
    CHECK(written_at_checkpoint == std::vector<uint64_t>{200});  // held back until the barrier
    std::lock_guard lock(log.mu);
    size_t subtasks = placement == Placement::kChainedToSource ? 1 : 2;
    CHECK(log.barriers.size() == subtasks);
    for (const auto& [subtask, ids] : log.barriers) CHECK(ids == std::vector<uint64_t>{1});
  }
}

TEST_CASE(
    "after a rebalance an operator subtask fed by two source subtasks runs OnBarrier once, after "
    "both copies") {
  auto table = testing::MakeTable("t");
  HookLog log;
  auto writers = std::make_shared<ModelWriters>();
  std::vector<uint64_t> written_at_checkpoint;
  JobOptions options;
  options.parallelism = 3;
  options.on_checkpoint = [&](const CompletedCheckpoint&) {
    written_at_checkpoint.push_back(writers->rows.load());
  };
  Job job(options);
  auto first = Inserts(table, 1, 150);
  auto second = Inserts(table, 1001, 150);
  job.AddSource(
         "changes",
         [&](const SubtaskInfo& info) {
           return std::make_unique<VectorSource>(info.index == 0 ? first : second, true);
         },
         2)
      .Rebalance()
      .Process("hold", HoldBackFactory(log))
      .KeyBy()
      .SinkTo("model", writers);
  Status status;
  std::thread runner([&] { status = job.Run(); });
  SpinUntil([&] { return job.metrics().rows_emitted == 300; });
  REQUIRE(job.TriggerCheckpoint());
  SpinUntil([&] { return job.metrics().checkpoints == 1; });
  REQUIRE(job.TriggerCheckpoint());
  SpinUntil([&] { return job.metrics().checkpoints == 2; });
  job.Stop();
  runner.join();
  REQUIRE(status.ok());
  CHECK(written_at_checkpoint == std::vector<uint64_t>{300, 300});
  std::lock_guard lock(log.mu);
  CHECK(log.barriers.size() == 3);
  for (const auto& [subtask, ids] : log.barriers) CHECK(ids == std::vector<uint64_t>{1, 2});
  CHECK(log.finishes == std::map<size_t, int>{{0, 1}, {1, 1}, {2, 1}});
}

}  // namespace cdc
