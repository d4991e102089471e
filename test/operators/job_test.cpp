#include "operators/job.h"

#include <doctest/doctest.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "connectors/blackhole/blackhole_sink.h"
#include "connectors/datagen/datagen_source.h"
#include "test/job_test_support.h"
#include "test/model_table.h"
#include "test/test_rows.h"

namespace cdc {
namespace {

using testing::DelayedCompleter;
using testing::ModelTarget;
using testing::ModelWriters;
using testing::VectorSource;

std::map<std::string, std::string> ExpectedRows(const DatagenOptions& options, size_t parallelism) {
  ModelTarget expected;
  class Apply final : public Output {
   public:
    explicit Apply(ModelTarget& model) : model_(model) {}
    Status Emit(RowChange&& change) override {
      model_.Apply(change);
      return Status::Ok();
    }
    ModelTarget& model_;
  } apply(expected);
  ManualClock clock;
  for (size_t i = 0; i < parallelism; ++i) {
    DatagenSource source(options);
    REQUIRE(source.Open(SubtaskInfo{"datagen", i, parallelism}, clock).ok());
    while (true) {
      auto result = source.PollNext(apply);
      REQUIRE(result.ok());
      if (result->state == PollResult::State::kEndOfInput) break;
    }
  }
  REQUIRE(expected.violations().empty());
  return expected.rows();
}

template <typename Predicate>
void SpinUntil(Predicate done) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!done()) {
    REQUIRE(std::chrono::steady_clock::now() < deadline);
    std::this_thread::yield();
  }
}

}  // namespace

TEST_CASE(
    "per-key order is preserved under parallel flushes with random writer delays and many tables") {
  DatagenOptions datagen;
  datagen.tables = 6;
  datagen.key_space = 40;  // few keys: every key changes many times
  datagen.count = 30000;
  datagen.key_update_percent = 25;
  datagen.rows_per_poll = 100;
  for (size_t source_parallelism : {1, 2}) {
    CAPTURE(source_parallelism);
    DelayedCompleter completer(3);
    auto writers = std::make_shared<ModelWriters>();
    writers->completer = &completer;
    JobOptions options;
    options.parallelism = 4;
    options.threads = 3;
    options.batch_rows = 32;
    options.channel_capacity = 4;
    Job job(options);
    FlushPolicy flush;
    flush.flush_rows = 16;
    flush.capacity_rows = 48;
    job.AddSource("datagen", DatagenSource::Factory(datagen), source_parallelism)
        .KeyBy()
        .SinkTo("model", writers, flush);
    REQUIRE(job.Run().ok());
    CHECK(writers->model.violations().empty());
    CHECK(writers->overlaps.load() == 0);
    CHECK(writers->model.rows() == ExpectedRows(datagen, source_parallelism));
    JobMetrics metrics = job.metrics();
    CHECK(metrics.rows_emitted == 30000);
    CHECK(metrics.rows_written == metrics.rows_buffered);
    CHECK(metrics.rows_written >= 30000);  // key-changing updates count twice
  }
}

// Records which subtasks wrote each table.
class SubtaskRecorder final : public TableWriterFactory {
 public:
  Result<std::unique_ptr<TableWriter>> CreateWriter(const TableWriterContext& context) override {
    std::lock_guard lock(mu);
    subtasks[context.table.ToString()].insert(context.subtask);
    return std::unique_ptr<TableWriter>(std::make_unique<Writer>(*this));
  }
  std::mutex mu;
  std::map<std::string, std::set<size_t>> subtasks;
  std::atomic<uint64_t> rows{0};

 private:
  class Writer final : public TableWriter {
   public:
    explicit Writer(SubtaskRecorder& owner) : owner_(owner) {}
    void Write(FlushBatch batch, std::function<void(Status)> done) override {
      owner_.rows.fetch_add(batch.changes.size());
      done(Status::Ok());
    }

   private:
    SubtaskRecorder& owner_;
  };
};

TEST_CASE("KeyByTable sends every change of a table to one subtask, KeyBy spreads its keys") {
  DatagenOptions datagen;
  datagen.tables = 8;
  datagen.key_space = 1000;
  datagen.count = 20000;
  for (bool by_table : {true, false}) {
    CAPTURE(by_table);
    auto recorder = std::make_shared<SubtaskRecorder>();
    JobOptions options;
    options.parallelism = 4;
    Job job(options);
    DataStream source = job.AddSource("datagen", DatagenSource::Factory(datagen));
    (by_table ? source.KeyByTable() : source.KeyBy()).SinkTo("recorder", recorder);
    REQUIRE(job.Run().ok());
    CHECK(recorder->rows.load() >= 20000);
    REQUIRE(recorder->subtasks.size() == 8);
    std::set<size_t> used;
    for (const auto& entry : recorder->subtasks) {
      const std::set<size_t>& subtasks = entry.second;
      if (by_table) CHECK(subtasks.size() == 1);
      if (!by_table) CHECK(subtasks.size() == 4);  // 1000 keys reach every subtask
      used.insert(subtasks.begin(), subtasks.end());
    }
    CHECK(used.size() > 1);  // tables spread over the subtasks
  }
}

TEST_CASE("a key-changing update lands as a delete of the old key and an insert of the new one") {
  auto t = testing::MakeTable("t");
  std::vector<RowChange> changes = {testing::Insert(t, 1, "a"), testing::Update(t, 1, "a", 2, "b"),
                                    testing::Insert(t, 1, "c"), testing::Update(t, 2, "b", 3, "d")};
  auto writers = std::make_shared<ModelWriters>();
  JobOptions options;
  options.parallelism = 4;
  Job job(options);
  job.AddSource("changes",
                [&](const SubtaskInfo&) { return std::make_unique<VectorSource>(changes, false); })
      .KeyBy()
      .SinkTo("model", writers);
  REQUIRE(job.Run().ok());
  CHECK(writers->model.violations().empty());
  auto rows = writers->model.rows();
  CHECK(rows.size() == 2);
  CHECK(rows.count("db.t|1") == 1);
  CHECK(rows.count("db.t|3") == 1);
  CHECK(job.metrics().rows_written == 6);  // 2 inserts + 2 x (delete + insert)
}

TEST_CASE("the flush timer writes rows below the size threshold exactly at the interval") {
  ManualClock clock;
  auto t = testing::MakeTable("t");
  auto writers = std::make_shared<ModelWriters>();
  JobOptions options;
  options.clock = &clock;
  options.parallelism = 1;
  Job job(options);
  FlushPolicy flush;
  flush.flush_rows = 100;
  flush.flush_interval = Micros(1'000'000);
  std::vector<RowChange> changes = {testing::Insert(t, 1, "a"), testing::Insert(t, 2, "b"),
                                    testing::Insert(t, 3, "c")};
  job.AddSource("changes",
                [&](const SubtaskInfo&) { return std::make_unique<VectorSource>(changes, true); })
      .KeyBy()
      .SinkTo("model", writers, flush);
  Status status;
  std::thread runner([&] { status = job.Run(); });
  SpinUntil([&] { return job.metrics().rows_buffered == 3; });
  clock.Advance(Micros(999'999));
  CHECK(writers->rows.load() == 0);
  clock.Advance(Micros(1));  // the tick runs here and posts the flush
  SpinUntil([&] { return writers->rows.load() == 3; });
  CHECK(job.metrics().flushes == 1);
  job.Stop();
  runner.join();
  CHECK(status.ok());
  CHECK(writers->model.rows().size() == 3);
}

TEST_CASE("a source that has caught up has its rows written at once, not at the flush interval") {
  // Emits its changes, says once that it has caught up, then waits (a live stream, idle).
  class CaughtUpSource final : public Source {
   public:
    explicit CaughtUpSource(std::vector<RowChange> changes) : changes_(std::move(changes)) {}
    Result<PollResult> PollNext(Output& out) override {
      if (next_ < changes_.size()) {
        CDC_RETURN_IF_ERROR(out.Emit(RowChange(changes_[next_++])));
        return PollResult::More();
      }
      if (!said_) {
        said_ = true;
        return PollResult::CaughtUp();
      }
      return PollResult::WaitUntil(Micros(int64_t{1} << 40));
    }

   private:
    std::vector<RowChange> changes_;
    size_t next_ = 0;
    bool said_ = false;
  };
  ManualClock clock;  // never advanced: the flush timer never ticks
  auto t = testing::MakeTable("t");
  auto writers = std::make_shared<ModelWriters>();
  JobOptions options;
  options.clock = &clock;
  options.parallelism = 2;
  Job job(options);
  FlushPolicy flush;
  flush.flush_rows = 100;
  flush.flush_interval = Micros(3'600'000'000);
  std::vector<RowChange> changes;
  for (int64_t key = 1; key <= 10; ++key) changes.push_back(testing::Insert(t, key, "v"));
  // Through an operator stage of its own, which passes the signal on to the sinks.
  job.AddSource("changes",
                [&](const SubtaskInfo&) { return std::make_unique<CaughtUpSource>(changes); })
      .KeyBy()
      .Filter("all", [](const RowChange&) { return true; })
      .SinkTo("model", writers, flush);
  REQUIRE(job.graph().vertices.size() == 3);
  Status status;
  std::thread runner([&] { status = job.Run(); });
  SpinUntil([&] { return writers->rows.load() == 10; });
  CHECK(writers->model.rows().size() == 10);
  job.Stop();
  runner.join();
  CHECK(status.ok());
}

TEST_CASE("a full queue blocks the producer, memory stays bounded, and everything lands after") {
  DatagenOptions datagen;
  datagen.count = 200000;
  datagen.key_space = 100000;
  datagen.rows_per_poll = 64;
  auto writers = std::make_shared<ModelWriters>();
  DelayedCompleter completer(1);
  writers->completer = &completer;
  writers->gate_open = false;  // the first batch stalls at the writer
  JobOptions options;
  options.parallelism = 1;
  options.batch_rows = 64;
  options.channel_capacity = 4;
  Job job(options);
  FlushPolicy flush;
  flush.flush_rows = 100;
  flush.capacity_rows = 1000;
  job.AddSource("datagen", DatagenSource::Factory(datagen)).KeyBy().SinkTo("model", writers, flush);
  Status status;
  std::thread runner([&] { status = job.Run(); });
  SpinUntil([&] { return writers->batches_at_gate.load() == 1; });
  // The source can run ahead of the stalled writer by at most: the table's capacity, one
  // input batch of overshoot, the channel's batches and one batch being built.
  uint64_t bound = 1000 + 64 + 4 * 64 + 64 + 64;
  uint64_t last = 0;
  int stable = 0;
  while (stable < 50) {  // watch the source until it has stopped moving for a while
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    uint64_t now = job.metrics().rows_emitted;
    stable = now == last ? stable + 1 : 0;
    last = now;
  }
  CHECK(last <= bound);
  CHECK(last >= 1000);
  writers->OpenGate();
  runner.join();
  REQUIRE(status.ok());
  CHECK(job.metrics().rows_written == 200000);
  CHECK(writers->model.violations().empty());
}

TEST_CASE("a failing writer stops the job, and Run returns its message with the table") {
  DatagenOptions datagen;  // unbounded: only the failure can end the job
  datagen.tables = 3;
  auto writers = std::make_shared<ModelWriters>();
  writers->failing_table = "t1";
  JobOptions options;
  options.parallelism = 2;
  Job job(options);
  FlushPolicy flush;
  flush.flush_rows = 10;
  job.AddSource("datagen", DatagenSource::Factory(datagen)).KeyBy().SinkTo("model", writers, flush);
  Status status = job.Run();
  REQUIRE_FALSE(status.ok());
  CHECK(status.code() == StatusCode::kIoError);
  CHECK(status.message().find("datagen.t1") != std::string::npos);
  CHECK(status.message().find("boom: the target refused the row") != std::string::npos);
}

TEST_CASE("an operator error stops the job with the operator's message") {
  DatagenOptions datagen;
  auto writers = std::make_shared<BlackholeSink>();
  Job job;
  job.AddSource("datagen", DatagenSource::Factory(datagen))
      .Map("reject",
           [](RowChange& change) {
             if (change.position.offset == 500) return Status::InvalidArgument("row 500 is bad");
             return Status::Ok();
           })
      .KeyBy()
      .SinkTo("blackhole", writers);
  Status status = job.Run();
  CHECK(status.code() == StatusCode::kInvalidArgument);
  CHECK(status.message().find("row 500 is bad") != std::string::npos);
  CHECK(status.message().find("source 'datagen'") != std::string::npos);
}

TEST_CASE("Stop drains everything in flight: every change read is written") {
  DatagenOptions datagen;  // unbounded
  datagen.tables = 4;
  datagen.key_space = 500;
  auto writers = std::make_shared<ModelWriters>();
  Job job;
  writers->after_batch = [&job](uint64_t rows) {
    if (rows >= 20000) job.Stop();
  };
  job.AddSource("datagen", DatagenSource::Factory(datagen))
      .KeyBy()
      .SinkTo("model", writers, FlushPolicy{}, 3);
  REQUIRE(job.Run().ok());
  JobMetrics metrics = job.metrics();
  CHECK(metrics.rows_emitted >= 20000);
  CHECK(metrics.rows_written == metrics.rows_emitted);
  datagen.count = metrics.rows_emitted;
  CHECK(writers->model.rows() == ExpectedRows(datagen, 1));
}

TEST_CASE("a checkpoint completes only after every change before its barrier is written") {
  DatagenOptions datagen;  // unbounded
  datagen.tables = 3;
  auto writers = std::make_shared<ModelWriters>();
  std::atomic<bool> triggered{false};
  std::vector<std::pair<std::string, uint64_t>> completed;  // source state, rows written then
  JobOptions options;
  options.parallelism = 2;
  Job* job_ptr = nullptr;
  options.on_checkpoint = [&](const CompletedCheckpoint& checkpoint) {
    completed.emplace_back(checkpoint.source_states.at(0), writers->rows.load());
    job_ptr->Stop();
  };
  Job job(options);
  job_ptr = &job;
  writers->after_batch = [&](uint64_t rows) {
    if (rows >= 5000 && !triggered.exchange(true)) CHECK(job.TriggerCheckpoint());
  };
  job.AddSource("datagen", DatagenSource::Factory(datagen)).KeyBy().SinkTo("model", writers);
  REQUIRE(job.Run().ok());
  REQUIRE(completed.size() == 1);
  uint64_t emitted_at_barrier =
      std::stoull(completed[0].first.substr(std::string("emitted=").size()));
  CHECK(emitted_at_barrier >= 5000);
  CHECK(completed[0].second >= emitted_at_barrier);
  CHECK(job.metrics().checkpoints == 1);
}

TEST_CASE("a final checkpoint holds the source's last state when its input ends or the job stops") {
  for (bool stop : {false, true}) {
    CAPTURE(stop);
    DatagenOptions datagen;
    datagen.count = stop ? 0 : 20000;  // 0: endless, ended by Stop()
    datagen.tables = 3;
    auto writers = std::make_shared<ModelWriters>();
    std::vector<std::pair<std::string, uint64_t>> completed;  // source state, rows written then
    JobOptions options;
    options.parallelism = 2;
    options.final_checkpoint = true;
    options.on_checkpoint = [&](const CompletedCheckpoint& checkpoint) {
      completed.emplace_back(checkpoint.source_states.at(0), writers->rows.load());
    };
    Job job(options);
    job.AddSource("datagen", DatagenSource::Factory(datagen)).KeyBy().SinkTo("model", writers);
    Status status;
    std::thread runner([&] { status = job.Run(); });
    if (stop) {
      SpinUntil([&] { return job.metrics().rows_emitted >= 10000; });
      job.Stop();
    }
    runner.join();
    REQUIRE(status.ok());
    REQUIRE(completed.size() == 1);
    uint64_t emitted = job.metrics().rows_emitted;
    CHECK(completed[0].first == "emitted=" + std::to_string(emitted));  // the very last state
    CHECK(completed[0].second >= emitted);  // everything was written before it completed
    if (!stop) CHECK(emitted == 20000);
  }
}

TEST_CASE("one stream fans out to several sinks, each receiving every change") {
  DatagenOptions datagen;
  datagen.count = 5000;
  datagen.tables = 2;
  auto keyed = std::make_shared<ModelWriters>();
  auto single = std::make_shared<ModelWriters>();
  JobOptions options;
  options.parallelism = 3;
  Job job(options);
  DataStream changes = job.AddSource("datagen", DatagenSource::Factory(datagen));
  changes.KeyBy().SinkTo("keyed", keyed);
  changes.SinkTo("single", single);
  REQUIRE(job.Run().ok());
  auto expected = ExpectedRows(datagen, 1);
  CHECK(keyed->model.rows() == expected);
  CHECK(single->model.rows() == expected);
}

TEST_CASE("broadcast sends every change to every subtask") {
  DatagenOptions datagen;
  datagen.count = 1000;
  auto blackhole = std::make_shared<BlackholeSink>();
  JobOptions options;
  options.parallelism = 3;
  Job job(options);
  job.AddSource("datagen", DatagenSource::Factory(datagen)).Broadcast().SinkTo("all", blackhole);
  REQUIRE(job.Run().ok());
  CHECK(blackhole->rows() == 3000);
}

TEST_CASE("operators after a key-by run in their own parallel subtasks") {
  DatagenOptions datagen;
  datagen.count = 4000;
  auto writers = std::make_shared<ModelWriters>();
  JobOptions options;
  options.parallelism = 2;
  Job job(options);
  std::atomic<int> seen{0};
  job.AddSource("datagen", DatagenSource::Factory(datagen))
      .KeyBy()
      .Filter("count", [&](const RowChange&) { return seen.fetch_add(1) >= 0; })
      .SinkTo("model", writers);
  REQUIRE(job.graph().vertices.size() == 3);
  REQUIRE(job.Run().ok());
  CHECK(seen.load() == 4000);
  CHECK(writers->model.rows() == ExpectedRows(datagen, 1));
}

TEST_CASE("a job is validated before it starts, naming the problem and the fix") {
  SUBCASE("no sink") {
    Job job;
    job.AddSource("datagen", DatagenSource::Factory({})).KeyBy();
    Status status = job.Run();
    CHECK(status.code() == StatusCode::kInvalidArgument);
    CHECK(status.message().find("leads nowhere: end it with SinkTo") != std::string::npos);
  }
  SUBCASE("forward edge between different parallelisms") {
    Job job;
    job.AddSource("datagen", DatagenSource::Factory({}))
        .SinkTo("blackhole", std::make_shared<BlackholeSink>(), {}, 2);
    Status status = job.Run();
    CHECK(status.message().find("insert KeyBy() or Rebalance()") != std::string::npos);
  }
  SUBCASE("bad flush policy") {
    Job job;
    FlushPolicy flush;
    flush.capacity_rows = 1;
    job.AddSource("datagen", DatagenSource::Factory({}))
        .KeyBy()
        .SinkTo("blackhole", std::make_shared<BlackholeSink>(), flush);
    Status status = job.Run();
    CHECK(status.message().find("sink 'blackhole'") != std::string::npos);
    CHECK(status.message().find("capacity_rows") != std::string::npos);
  }
  SUBCASE("bad source options surface from the source") {
    Job job;
    DatagenOptions datagen;
    datagen.tables = 0;
    job.AddSource("datagen", DatagenSource::Factory(datagen))
        .KeyBy()
        .SinkTo("blackhole", std::make_shared<BlackholeSink>());
    Status status = job.Run();
    CHECK(status.message().find("datagen: tables must be at least 1") != std::string::npos);
  }
}

}  // namespace cdc

namespace cdc {
namespace {

// Emits 1000 inserts into its own table, waits until a checkpoint completes, then ends; its
// state names its subtask.
class NamedSource final : public Source {
 public:
  Status Open(const SubtaskInfo& info, Clock&) override {
    info_ = info;
    table_ = testing::MakeTable("s" + std::to_string(info.index));
    return Status::Ok();
  }
  Result<PollResult> PollNext(Output& out) override {
    if (checkpointed_) return PollResult::End();
    if (emitted_ == 1000) return PollResult::WaitUntil(Micros(int64_t{1} << 40));
    ++emitted_;
    CDC_RETURN_IF_ERROR(out.Emit(testing::Insert(table_, static_cast<int64_t>(emitted_), "x")));
    return PollResult::More();
  }
  std::string SnapshotState() override { return info_.name + "/" + std::to_string(info_.index); }
  void NotifyCheckpointComplete(uint64_t) override { checkpointed_ = true; }

 private:
  SubtaskInfo info_;
  TableSchemaPtr table_;
  uint64_t emitted_ = 0;
  bool checkpointed_ = false;
};

}  // namespace

TEST_CASE("a completed checkpoint lists each source subtask's state in subtask order") {
  std::vector<CompletedCheckpoint> completed;
  std::mutex completed_mu;
  JobOptions options;
  options.parallelism = 2;
  options.on_checkpoint = [&](const CompletedCheckpoint& checkpoint) {
    std::lock_guard lock(completed_mu);
    completed.push_back(checkpoint);
  };
  Job job(options);
  auto sink = std::make_shared<BlackholeSink>();
  auto factory = [](const SubtaskInfo&) { return std::make_unique<NamedSource>(); };
  job.AddSource("a", factory, 3).KeyBy().SinkTo("sink-a", sink);
  job.AddSource("b", factory, 2).KeyBy().SinkTo("sink-b", sink);
  Status status;
  std::thread runner([&] { status = job.Run(); });
  SpinUntil([&] { return job.metrics().rows_emitted == 5000; });
  CHECK(job.TriggerCheckpoint());  // the sources wait for it before they end
  runner.join();
  REQUIRE(status.ok());
  CHECK(sink->rows() == 5000);
  REQUIRE(completed.size() == 1);
  CHECK(completed[0].source_states == std::vector<std::string>{"a/0", "a/1", "a/2", "b/0", "b/1"});
}

}  // namespace cdc

namespace cdc {

TEST_CASE("a truncate is applied once, after every earlier change and before every later one") {
  auto t = testing::MakeTable("t");
  auto other = testing::MakeTable("other");
  std::vector<RowChange> changes;
  for (int64_t id = 0; id < 400; ++id) changes.push_back(testing::Insert(t, id, "before"));
  for (int64_t id = 0; id < 50; ++id) changes.push_back(testing::Insert(other, id, "kept"));
  RowChange truncate;
  truncate.kind = ChangeKind::kTruncate;
  truncate.table = t.get();
  changes.push_back(truncate);
  for (int64_t id = 200; id < 500; ++id) changes.push_back(testing::Insert(t, id, "after"));
  for (int64_t id = 200; id < 300; ++id) changes.push_back(testing::Delete(t, id, "after"));
  changes.push_back(truncate);
  for (int64_t id = 0; id < 10; ++id) changes.push_back(testing::Insert(t, id, "last"));
  for (size_t round = 0; round < 3; ++round) {
    DelayedCompleter completer(3);
    auto writers = std::make_shared<ModelWriters>();
    writers->completer = &completer;
    JobOptions options;
    options.parallelism = 4;
    options.threads = 3;
    options.batch_rows = 16;
    Job job(options);
    FlushPolicy flush;
    flush.flush_rows = 8;
    flush.capacity_rows = 32;
    job.AddSource(
           "changes",
           [&](const SubtaskInfo&) { return std::make_unique<VectorSource>(changes, false); })
        .KeyBy()
        .SinkTo("model", writers, flush);
    REQUIRE(job.Run().ok());
    CHECK(writers->model.violations().empty());
    // Barriers reach all 4 subtasks but are not rows: the counts agree.
    CHECK(job.metrics().rows_emitted == changes.size() - 2);
    CHECK(job.metrics().rows_written == job.metrics().rows_emitted);
    auto rows = writers->model.rows();
    size_t t_rows = 0, other_rows = 0;
    for (const auto& [key, row] : rows) {
      if (key.starts_with("db.t|")) {
        ++t_rows;
        CHECK(row.find("'last'") != std::string::npos);
      } else {
        ++other_rows;
      }
    }
    CHECK(t_rows == 10);
    CHECK(other_rows == 50);
  }
}

}  // namespace cdc
