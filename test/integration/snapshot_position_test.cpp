// The binlog position a table's snapshot records must be exactly the snapshot's: a position
// later than the snapshot passes over changes the snapshot cannot see (a lost update), so
// these tests open the server's race windows on purpose, with gdb (server_thread_pause.h), and
// under load from concurrent SHOW GLOBAL STATUS pollers.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <atomic>
#include <future>
#include <random>
#include <thread>

#include "connectors/mysql/sink/mysql_sink.h"
#include "connectors/mysql/source/mysql_catalog.h"
#include "connectors/mysql/source/mysql_cdc_source.h"
#include "connectors/mysql/source/snapshot/snapshot_reader.h"
#include "connectors/mysql/source/table_filter.h"
#include "operators/job.h"
#include "test/integration/mysql_source_test_support.h"
#include "test/integration/mysql_test_env.h"
#include "test/integration/server_thread_pause.h"

namespace cdc {
namespace {

using testing::Exec;
using testing::QueryValue;

// A table it_snap_pos.t (id INT PRIMARY KEY, n INT) holding (1, 0); its schema.
TableSchemaPtr CounterTable(MysqlConnection& check) {
  Exec(check, "DROP DATABASE IF EXISTS it_snap_pos");
  Exec(check, "CREATE DATABASE it_snap_pos");
  Exec(check, "CREATE TABLE it_snap_pos.t (id INT PRIMARY KEY, n INT NOT NULL)");
  Exec(check, "INSERT INTO it_snap_pos.t VALUES (1, 0)");
  auto filter = TableFilter::Make({"it_snap_pos\\.t"}, {});
  REQUIRE(filter.ok());
  auto tables = ReadTableSchemas(check, *filter);
  REQUIRE_MESSAGE(tables.ok(), tables.status().ToString());
  REQUIRE(tables->size() == 1);
  return tables->begin()->second;
}

// The server's binlog end (testing::MasterPosition) as a position to compare.
BinlogPosition MasterPosition(MysqlConnection& check) {
  auto position = BinlogPosition::Parse(testing::MasterPosition(check));
  REQUIRE(position.ok());
  return *position;
}

std::vector<SnapshotChunk> ReadAll(SnapshotReader& reader) {
  std::vector<SnapshotChunk> chunks;
  while (!reader.finished()) {
    auto chunk = reader.Next(std::chrono::milliseconds(50));
    if (!chunk.ok()) FAIL(chunk.status().ToString());
    if (*chunk) chunks.push_back(std::move(**chunk));
  }
  return chunks;
}

// Runs `sql` on a connection of its own, ignoring the result.
void RunAlone(const std::string& sql) {
  MysqlConnection connection;
  if (connection.Connect(testing::SandboxOptions()).ok()) (void)connection.Query(sql);
}

SnapshotOptions OneTableOptions() {
  SnapshotOptions options;
  options.parallelism = 1;
  options.chunk_rows = 100;
  options.locking = SnapshotLocking::kMinimal;
  return options;
}

// The snapshot of it_snap_pos.t, read while one UPDATE n = n + 1 was logged between `before`
// and `after`, agrees with its position: it shows the update exactly when its position is past
// it, so the binlog from there delivers the update exactly when the snapshot lacks it.
void CheckSnapshotAgreesWithPosition(const std::vector<SnapshotChunk>& chunks,
                                     const BinlogPosition& before, const BinlogPosition& after) {
  REQUIRE(chunks.size() == 1);
  REQUIRE(chunks[0].rows.size() == 1);
  int64_t n = chunks[0].rows[0][1].int_value();
  const BinlogPosition& position = chunks[0].state.position;
  INFO("snapshot n = ", n, " at ", position.ToString(), "; the update was logged between ",
       before.ToString(), " and ", after.ToString());
  if (n == 0) {
    CHECK(position <= before);
  } else {
    CHECK(n == 1);
    CHECK(after <= position);
  }
}

TEST_CASE(
    "a snapshot's binlog position is its own, whatever another session's SHOW STATUS does "
    "meanwhile") {
  MysqlConnection check;
  testing::ConnectOrFail(check);
  TableSchemaPtr table = CounterTable(check);
  // MariaDB copies a session's Binlog_snapshot_* through process-wide variables: stop the
  // first thread that has just made that copy, so that another session can overwrite it.
  testing::ServerThreadPause pause("_ZN13MYSQL_BIN_LOG20set_status_variablesEP3THD");
  SnapshotReader reader(testing::SandboxOptions(), OneTableOptions(), {table}, {});
  reader.Start();
  auto chunks = std::async(std::launch::async, [&] { return ReadAll(reader); });
  bool reader_paused = pause.WaitPaused(std::chrono::seconds(3));

  BinlogPosition before = MasterPosition(check);
  Exec(check, "UPDATE it_snap_pos.t SET n = n + 1");
  BinlogPosition after = MasterPosition(check);
  std::thread poller([] { RunAlone("SHOW GLOBAL STATUS LIKE 'binlog_snapshot_%'"); });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  pause.Disarm([] { RunAlone("SHOW STATUS LIKE 'binlog_snapshot_%'"); });
  poller.join();
  std::string seen = reader_paused ? "the reader read the status copies (and was stopped there)"
                                   : "the reader never read the status copies";
  MESSAGE(seen);
  CheckSnapshotAgreesWithPosition(chunks.get(), before, after);
}

TEST_CASE("commits wait while a table's snapshot opens, and land after its position") {
  MysqlConnection check;
  testing::ConnectOrFail(check);
  TableSchemaPtr table = CounterTable(check);
  // Stop the reader just after its consistent snapshot opened, before it reads its position.
  testing::ServerThreadPause pause("_Z28ha_start_consistent_snapshotP3THD");
  SnapshotReader reader(testing::SandboxOptions(), OneTableOptions(), {table}, {});
  reader.Start();
  auto chunks = std::async(std::launch::async, [&] { return ReadAll(reader); });
  REQUIRE(pause.WaitPaused(std::chrono::seconds(30)));

  BinlogPosition before = MasterPosition(check);
  std::atomic<bool> committed{false};
  std::thread writer([&] {
    RunAlone("UPDATE it_snap_pos.t SET n = n + 1");
    committed = true;
  });
  std::thread poller([] { RunAlone("SHOW GLOBAL STATUS LIKE 'binlog_snapshot_%'"); });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  bool committed_while_opening = committed;
  pause.Disarm([] {});
  writer.join();
  poller.join();
  BinlogPosition after = MasterPosition(check);
  CHECK_FALSE(committed_while_opening);
  auto read = chunks.get();
  CheckSnapshotAgreesWithPosition(read, before, after);
  REQUIRE(read.size() == 1);
  CHECK(read[0].state.position == before);
  CommitBlockStats blocks = reader.commit_blocks();
  CHECK(blocks.blocks == 1);
  CHECK(blocks.longest >= std::chrono::milliseconds(500));  // the pause held the block
}

// Rounds of the snapshot-under-load test: CDC_TEST_SNAPSHOT_ROUNDS (the stress script sets more).
int SnapshotRounds() {
  const char* rounds = std::getenv("CDC_TEST_SNAPSHOT_ROUNDS");
  return rounds != nullptr ? std::max(1, std::atoi(rounds)) : 2;
}

TEST_CASE("snapshots opened among SHOW GLOBAL STATUS pollers and writers end equal to the source") {
  constexpr int kTables = 12;
  constexpr int kRows = 300;
  MysqlConnection check;
  testing::ConnectOrFail(check);
  for (int round = 0; round < SnapshotRounds(); ++round) {
    CAPTURE(round);
    Exec(check, "DROP DATABASE IF EXISTS it_snap_load");
    Exec(check, "DROP DATABASE IF EXISTS it_snap_load_copy");
    Exec(check, "CREATE DATABASE it_snap_load");
    for (int t = 0; t < kTables; ++t) {
      Exec(check,
           fmt::format("CREATE TABLE it_snap_load.t{} (id INT PRIMARY KEY, n INT NOT NULL)", t));
      std::string values;
      for (int i = 0; i < kRows; ++i) values += fmt::format("{}({}, 0)", i ? "," : "", i);
      Exec(check, fmt::format("INSERT INTO it_snap_load.t{} VALUES {}", t, values));
    }
    std::atomic<bool> loading{true};
    std::vector<std::thread> load;
    for (int p = 0; p < 3; ++p) {
      load.emplace_back([&] {
        MysqlConnection poller;
        REQUIRE(poller.Connect(testing::SandboxOptions()).ok());
        while (loading) (void)poller.Query("SHOW GLOBAL STATUS LIKE 'binlog_snapshot_%'");
      });
    }
    for (int w = 0; w < 2; ++w) {
      load.emplace_back([&, w] {
        MysqlConnection writer;
        REQUIRE(writer.Connect(testing::SandboxOptions()).ok());
        std::mt19937 random(round * 10 + w);
        while (loading) {
          (void)writer.Execute(fmt::format("UPDATE it_snap_load.t{} SET n = n + 1 WHERE id = {}",
                                           random() % kTables, random() % kRows));
        }
      });
    }

    MysqlCdcSourceOptions options;
    options.connection = testing::SandboxOptions();
    options.server_id = 4250;
    options.include_tables = {"it_snap_load\\..*"};
    options.snapshot.chunk_rows = 50;
    options.snapshot.parallelism = 4;
    options.heartbeat_ms = 100;
    MysqlSinkOptions sink;
    sink.connection = testing::SandboxOptions();
    sink.target_database = "it_snap_load_copy";
    JobOptions job_options;
    job_options.parallelism = 2;
    Job job(job_options);
    job.AddSource("mysql", MysqlCdcSource::Factory(options))
        .KeyBy()
        .SinkTo("copy", std::make_shared<MysqlSink>(sink));
    auto run = std::async(std::launch::async, [&] { return job.Run(); });
    // Keep writing until every table's snapshot is on the target, then a little more.
    for (int wait = 0; wait < 600; ++wait) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (QueryValue(check,
                     "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                     "'it_snap_load_copy'") == std::to_string(kTables) &&
          QueryValue(check, fmt::format("SELECT COUNT(*) FROM it_snap_load_copy.t{}",
                                        kTables - 1)) == std::to_string(kRows)) {
        break;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    loading = false;
    for (auto& thread : load) thread.join();
    auto all_equal = [&] {
      for (int t = 0; t < kTables; ++t) {
        std::string name = fmt::format("t{}", t);
        if (testing::TableText(check, "it_snap_load." + name) !=
            testing::TableText(check, "it_snap_load_copy." + name)) {
          return false;
        }
      }
      return true;
    };
    bool equal = false;
    for (int attempt = 0; attempt < 300 && !(equal = all_equal()); ++attempt) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    job.Stop();
    Status status = run.get();
    REQUIRE_MESSAGE(status.ok(), status.ToString());
    for (int t = 0; t < kTables; ++t) {
      std::string name = fmt::format("t{}", t);
      CAPTURE(name);
      CHECK(testing::TableText(check, "it_snap_load." + name) ==
            testing::TableText(check, "it_snap_load_copy." + name));
    }
    REQUIRE(equal);
  }
}

TEST_CASE(
    "a source user without RELOAD is refused with the grant to give, unless locking is none") {
  MysqlConnection check;
  testing::ConnectOrFail(check);
  Exec(check, "DROP USER IF EXISTS 'it_noreload'@'%'");
  Exec(check, "CREATE USER 'it_noreload'@'%' IDENTIFIED BY 'pw'");
  Exec(check, "GRANT SELECT, REPLICATION SLAVE, BINLOG MONITOR ON *.* TO 'it_noreload'@'%'");
  MysqlCdcSourceOptions options;
  options.connection = testing::SandboxOptions();
  options.connection.user = "it_noreload";
  options.connection.password = "pw";
  options.server_id = 4251;
  Status refused = MysqlCdcSource(options).Check();
  CHECK_FALSE(refused.ok());
  CHECK(refused.message().find("GRANT RELOAD ON *.*") != std::string::npos);
  CHECK(refused.message().find("scan.snapshot.locking: none") != std::string::npos);
  options.startup = StartupMode::kLatest;  // no snapshot: no RELOAD needed
  Status streaming = MysqlCdcSource(options).Check();
  CHECK_MESSAGE(streaming.ok(), streaming.ToString());
  options.startup = StartupMode::kInitial;
  options.snapshot.locking = SnapshotLocking::kNone;
  Status weaker = MysqlCdcSource(options).Check();
  CHECK_MESSAGE(weaker.ok(), weaker.ToString());
  Exec(check, "DROP USER 'it_noreload'@'%'");
}

}  // namespace
}  // namespace cdc

namespace cdc {
namespace {

TEST_CASE(
    "the session that blocks commits is opened again when the server dropped it between tables") {
  MysqlConnection check;
  testing::ConnectOrFail(check);
  MysqlConnection reader;
  testing::ConnectOrFail(reader);
  SnapshotOpener opener(testing::SandboxOptions(), SnapshotLocking::kMinimal);
  auto first = opener.Open(reader);
  REQUIRE_MESSAGE(first.ok(), first.status().ToString());
  Exec(reader, "COMMIT");
  // Every other session of the test's user goes: the opener's blocking session among them.
  std::string keep = QueryValue(check, "SELECT CONNECTION_ID()") + ", " +
                     QueryValue(reader, "SELECT CONNECTION_ID()");
  auto others = check.Query(
      "SELECT ID FROM information_schema.PROCESSLIST WHERE USER = 'cdc' AND ID NOT IN (" + keep +
      ")");
  REQUIRE(others.ok());
  REQUIRE_FALSE(others->empty());
  for (const auto& row : *others) (void)check.Execute("KILL " + *row[0]);
  auto second = opener.Open(reader);
  REQUIRE_MESSAGE(second.ok(), second.status().ToString());
  CHECK(opener.stats().blocks == 2);
  Exec(reader, "COMMIT");
}

}  // namespace
}  // namespace cdc
