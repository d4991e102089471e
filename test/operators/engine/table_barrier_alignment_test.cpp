#include "operators/engine/table_barrier_alignment.h"

#include <doctest/doctest.h>

#include <deque>

#include "connectors/datagen/datagen_source.h"
#include "operators/job.h"
#include "test/job_test_support.h"
#include "test/test_rows.h"

namespace cdc {
namespace {

using testing::DelayedCompleter;
using testing::ModelWriters;
using testing::VectorSource;

RowChange Truncate(const TableSchemaPtr& table, uint64_t offset) {
  RowChange truncate;
  truncate.kind = ChangeKind::kTruncate;
  truncate.table = table.get();
  truncate.position.offset = offset;
  return truncate;
}

StreamBatch BatchOf(uint32_t producer, std::vector<RowChange> rows) {
  StreamBatch batch;
  batch.producer = producer;
  for (const RowChange& row : rows)
    batch.row_bytes.push_back(static_cast<uint32_t>(row.ByteSize()));
  batch.rows = std::move(rows);
  return batch;
}

std::string Ids(const StreamBatch& batch) {
  std::string ids;
  for (const RowChange& row : batch.rows) {
    ids += row.kind == ChangeKind::kTruncate ? "T" : std::to_string(row.image()[0].int_value());
    ids += " ";
  }
  return ids;
}

}  // namespace

TEST_CASE(
    "a table barrier is let through once, after every producer's rows before it and before any "
    "after it") {
  auto t = testing::MakeTable("t");
  TableBarrierAlignment alignment(2);
  REQUIRE(alignment.active());
  std::deque<StreamBatch> channel;
  channel.push_back(
      BatchOf(0, {testing::Insert(t, 1, "a"), Truncate(t, 9), testing::Insert(t, 2, "a")}));
  channel.push_back(BatchOf(0, {testing::Insert(t, 3, "a")}));
  channel.push_back(BatchOf(1, {testing::Insert(t, 10, "b")}));
  channel.push_back(
      BatchOf(1, {testing::Insert(t, 11, "b"), Truncate(t, 9), testing::Insert(t, 12, "b")}));
  auto pop = [&](StreamBatch& batch) {
    if (channel.empty()) return false;
    batch = std::move(channel.front());
    channel.pop_front();
    return true;
  };
  std::vector<std::string> processed;  // what the subtask would process, in order
  StreamBatch batch;
  while (alignment.Next(batch, pop)) {
    std::optional<StreamBatch> aligned;
    REQUIRE(alignment.Split(batch, aligned).ok());
    processed.push_back(Ids(batch));
    if (aligned) processed.push_back(Ids(*aligned));
  }
  // Producer 0's batch after its copy waits; producer 1 goes on to its own copy; then the
  // barrier once, then what both sent after it.
  CHECK(processed == std::vector<std::string>{"1 ", "10 ", "11 ", "T ", "2 ", "3 ", "12 "});
}

TEST_CASE("copies of different table barriers from two producers are an error naming both") {
  auto t = testing::MakeTable("t");
  auto u = testing::MakeTable("u");
  TableBarrierAlignment alignment(2);
  std::optional<StreamBatch> aligned;
  StreamBatch first = BatchOf(0, {Truncate(t, 5)});
  REQUIRE(alignment.Split(first, aligned).ok());
  StreamBatch second = BatchOf(1, {Truncate(u, 7)});
  Status status = alignment.Split(second, aligned);
  REQUIRE_FALSE(status.ok());
  CHECK(status.message() ==
        "two upstream subtasks delivered different table barriers in the same place (truncate of "
        "db.t at 5, and truncate of db.u at 7): barriers of several source subtasks cannot be "
        "ordered after two redistributing steps; give the source parallelism 1, or key the "
        "stream once (source -> KeyBy() -> sink)");
  CHECK_FALSE(aligned);
}

TEST_CASE(
    "a truncate after two redistributing steps lands once, between the rows before and after it") {
  auto t = testing::MakeTable("t");
  std::vector<RowChange> changes;
  for (int64_t id = 0; id < 400; ++id) changes.push_back(testing::Insert(t, id, "before"));
  changes.push_back(Truncate(t, 1));
  for (int64_t id = 200; id < 500; ++id) changes.push_back(testing::Insert(t, id, "after"));
  changes.push_back(Truncate(t, 2));
  for (int64_t id = 0; id < 10; ++id) changes.push_back(testing::Insert(t, id, "last"));
  for (bool rebalance : {false, true}) {
    for (int round = 0; round < 3; ++round) {
      CAPTURE(rebalance);
      CAPTURE(round);
      DelayedCompleter completer(2);
      auto writers = std::make_shared<ModelWriters>();
      writers->completer = &completer;
      JobOptions options;
      options.parallelism = 3;
      options.batch_rows = 16;
      Job job(options);
      FlushPolicy flush;
      flush.flush_rows = 8;
      DataStream stream = job.AddSource("changes", [&](const SubtaskInfo&) {
        return std::make_unique<VectorSource>(changes, false);
      });
      stream = rebalance ? stream.Rebalance() : stream.KeyBy();
      stream.Map("pass", [](RowChange&) { return Status::Ok(); })
          .KeyBy()
          .SinkTo("model", writers, flush, 2);
      Status status = job.Run();
      REQUIRE_MESSAGE(status.ok(), status.ToString());
      CHECK(writers->model.violations().empty());
      CHECK(writers->model.applied() == changes.size());  // each truncate applied once
      auto rows = writers->model.rows();
      CHECK(rows.size() == 10);
      for (const auto& [key, row] : rows) CHECK(row.find("'last'") != std::string::npos);
      CHECK(job.metrics().rows_written == changes.size() - 2);
    }
  }
}

TEST_CASE("streams without table barriers flow through two redistributing steps as before") {
  DatagenOptions datagen;
  datagen.tables = 3;
  datagen.key_space = 50;
  datagen.count = 20000;
  datagen.key_update_percent = 10;
  auto writers = std::make_shared<ModelWriters>();
  JobOptions options;
  options.parallelism = 3;
  options.batch_rows = 32;
  Job job(options);
  job.AddSource("datagen", DatagenSource::Factory(datagen), 2)
      .KeyBy()
      .Map("pass", [](RowChange&) { return Status::Ok(); })
      .KeyBy()
      .SinkTo("model", writers);
  REQUIRE(job.Run().ok());
  CHECK(writers->model.violations().empty());
  CHECK(job.metrics().rows_emitted == 20000);  // split over the two source subtasks
  CHECK(job.metrics().rows_written >= 20000);
}

}  // namespace cdc
