// How an edge feeds the next step's subtasks, through whole jobs: Rebalance() deals the changes
// round-robin (each of P subtasks gets every P-th change of a producer), and everything dealt
// is written once.
#include "operators/engine/edge_output.h"

#include <doctest/doctest.h>

#include <map>
#include <mutex>
#include <set>

#include "operators/job.h"
#include "test/job_test_support.h"
#include "test/test_rows.h"

namespace cdc {
namespace {

using testing::ModelWriters;
using testing::VectorSource;

// The ids each subtask of a "tally" step received, in order.
struct Tally {
  std::mutex mu;  // guards ids
  std::map<size_t, std::vector<int64_t>> ids;
};

class TallyOperator final : public Operator {
 public:
  explicit TallyOperator(Tally& tally) : tally_(tally) {}
  Status Open(const SubtaskInfo& info) override {
    subtask_ = info.index;
    return Status::Ok();
  }
  Status Process(RowChange&& change, Output& out) override {
    {
      std::lock_guard lock(tally_.mu);
      tally_.ids[subtask_].push_back(change.after[0].int_value());
    }
    return out.Emit(std::move(change));
  }

 private:
  Tally& tally_;
  size_t subtask_ = 0;
};

}  // namespace

TEST_CASE(
    "rebalance deals a producer's changes round-robin over the next step's subtasks, each written "
    "once") {
  auto table = testing::MakeTable("t");
  std::vector<RowChange> changes;
  for (int64_t id = 0; id < 3000; ++id) changes.push_back(testing::Insert(table, id, "v"));
  Tally tally;
  auto writers = std::make_shared<ModelWriters>();
  JobOptions options;
  options.parallelism = 3;
  options.batch_rows = 64;
  Job job(options);
  job.AddSource("changes",
                [&](const SubtaskInfo&) { return std::make_unique<VectorSource>(changes, false); })
      .Rebalance()
      .Process("tally", [&](const SubtaskInfo&) { return std::make_unique<TallyOperator>(tally); })
      .KeyBy()
      .SinkTo("model", writers, FlushPolicy{}, 2);
  REQUIRE(job.graph().vertices.size() == 3);  // the tally step runs in subtasks of its own
  REQUIRE(job.Run().ok());
  REQUIRE(tally.ids.size() == 3);
  for (const auto& [subtask, ids] : tally.ids) {
    const auto& subtask_shown = subtask;  // CAPTURE cannot name a structured binding under clang 14
    CAPTURE(subtask_shown);
    std::vector<int64_t> expected;
    for (int64_t id = static_cast<int64_t>(subtask); id < 3000; id += 3) expected.push_back(id);
    CHECK(ids == expected);  // every third change, in the producer's order
  }
  CHECK(writers->model.violations().empty());
  CHECK(writers->model.rows().size() == 3000);
  CHECK(job.metrics().rows_written == 3000);
}

TEST_CASE("rebalance straight into a sink spreads the rows over its subtasks") {
  auto table = testing::MakeTable("t");
  std::vector<RowChange> changes;
  for (int64_t id = 0; id < 900; ++id) changes.push_back(testing::Insert(table, id, "v"));
  struct Counting final : TableWriterFactory {
    std::mutex mu;  // guards per_subtask
    std::map<size_t, size_t> per_subtask;
    Result<std::unique_ptr<TableWriter>> CreateWriter(const TableWriterContext& context) override {
      struct Writer final : TableWriter {
        Counting& owner;
        size_t subtask;
        Writer(Counting& o, size_t s) : owner(o), subtask(s) {}
        void Write(FlushBatch batch, std::function<void(Status)> done) override {
          {
            std::lock_guard lock(owner.mu);
            owner.per_subtask[subtask] += batch.changes.size();
          }
          done(Status::Ok());
        }
      };
      return std::unique_ptr<TableWriter>(std::make_unique<Writer>(*this, context.subtask));
    }
  };
  auto counting = std::make_shared<Counting>();
  JobOptions options;
  options.parallelism = 3;
  Job job(options);
  job.AddSource("changes",
                [&](const SubtaskInfo&) { return std::make_unique<VectorSource>(changes, false); })
      .Rebalance()
      .SinkTo("count", counting);
  REQUIRE(job.Run().ok());
  CHECK(counting->per_subtask == std::map<size_t, size_t>{{0, 300}, {1, 300}, {2, 300}});
}

}  // namespace cdc
