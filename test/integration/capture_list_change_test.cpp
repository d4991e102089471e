// Tables that join or leave the capture list between runs of a MySQL-to-MySQL job restarted
// from its checkpoint: an added table that already holds rows is read by a snapshot of its own
// while writes go on, the other tables are not read again, a removed table's target is left as
// it is, and a table added back is reconciled (rows the source no longer has are removed, or
// marked deleted under logical deletes).
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <future>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "connectors/mysql/sink/mysql_sink.h"
#include "connectors/mysql/source/mysql_cdc_source.h"
#include "operators/job.h"
#include "test/integration/mysql_test_env.h"

namespace cdc {
namespace {

using testing::TableText;

constexpr const char* kSource = "it_cap";
constexpr const char* kCopy = "it_cap_copy";

// Snapshot rows each table had emitted in one run (a snapshot row carries no GTID; the
// stream's rows on MariaDB all do).
struct SnapshotRows {
  std::mutex mutex;
  std::map<std::string, size_t> by_table;
  size_t Of(const std::string& table) {
    std::lock_guard lock(mutex);
    return by_table.count(table) != 0 ? by_table[table] : 0;
  }
};

struct Run {
  Run(std::vector<std::string> captured, std::string state)
      : tables(std::move(captured)), resume(std::move(state)) {}
  std::vector<std::string> tables;  // of kSource
  std::string resume;               // empty: a fresh start (initial)
  bool logical_deletes = false;
  size_t chunk_rows = 50;
  // While the job runs (after it started); the run ends once this returned and the target
  // equals the source for every captured table.
  std::function<void()> meanwhile = [] {};
  // When set, the run stops once this holds instead of once the copy equals the source.
  std::function<bool()> stop_when;
};

std::string CopyTable(const std::string& table) {
  return std::string(kCopy) + "." + table;
}
std::string SourceTable(const std::string& table) {
  return std::string(kSource) + "." + table;
}

// The live rows of the copy, without the logical-delete columns.
std::string LiveCopyText(MysqlConnection& check, const std::string& table, bool logical) {
  if (!logical) return TableText(check, CopyTable(table));
  return TableText(check, fmt::format("(SELECT id, grp, v FROM {} WHERE _is_deleted = 0) AS live",
                                      CopyTable(table)));
}

// Runs the job to the point where the copy equals the source for each captured table (or
// run.stop_when holds), stops it and returns its final checkpoint's source state.
std::string RunUntilEqual(const Run& run, SnapshotRows& snapshot_rows) {
  MysqlCdcSourceOptions source;
  source.connection = testing::SandboxOptions();
  source.server_id = 4271;
  source.startup = StartupMode::kInitial;
  for (const std::string& table : run.tables)
    source.include_tables.push_back(std::string(kSource) + "\\." + table);
  source.snapshot.chunk_rows = run.chunk_rows;
  source.snapshot.parallelism = 2;
  source.heartbeat_ms = 100;
  source.resume_state = run.resume;
  MysqlSinkOptions sink;
  sink.connection = testing::SandboxOptions();
  sink.target_database = kCopy;
  sink.resuming = !run.resume.empty();
  sink.logical_delete.enabled = run.logical_deletes;
  JobOptions options;
  options.parallelism = 2;
  options.final_checkpoint = true;
  std::string state;
  options.on_checkpoint = [&](const CompletedCheckpoint& checkpoint) {
    state = checkpoint.source_states.at(0);
  };
  Job job(options);
  job.AddSource("mysql", MysqlCdcSource::Factory(source))
      .Map("count-snapshot-rows",
           [&](RowChange& change) {
             if (change.kind == ChangeKind::kInsert && change.position.gtid.empty()) {
               std::lock_guard lock(snapshot_rows.mutex);
               ++snapshot_rows.by_table[change.table->id().table];
             }
             return Status::Ok();
           })
      .KeyBy()
      .SinkTo("copy", std::make_shared<MysqlSink>(sink));
  auto running = std::async(std::launch::async, [&] { return job.Run(); });
  run.meanwhile();
  MysqlConnection check;
  testing::ConnectOrFail(check);
  // Polled until it holds, for up to a minute either way: stop_when every millisecond (the run
  // must stop soon after it holds), the comparison every 100 ms. The bound is a time, not a
  // number of polls: 600 polls of 1 ms gave the added table's snapshot under a second to land
  // its first rows, a speed that this test does not assert and a loaded machine does not have.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  const auto poll = std::chrono::milliseconds(run.stop_when ? 1 : 100);
  bool equal = false;
  while (!equal && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(poll);
    if (run.stop_when) {
      equal = run.stop_when();
      continue;
    }
    equal = true;
    for (const std::string& table : run.tables) {
      auto exists =
          check.Query(fmt::format("SELECT COUNT(*) FROM information_schema.TABLES WHERE "
                                  "TABLE_SCHEMA = '{}' AND TABLE_NAME = '{}'",
                                  kCopy, table));
      equal =
          equal && exists.ok() && *(*exists)[0][0] == "1" &&
          TableText(check, SourceTable(table)) == LiveCopyText(check, table, run.logical_deletes);
    }
  }
  job.Stop();
  Status status = running.get();
  REQUIRE_MESSAGE(status.ok(), status.ToString());
  CHECK(equal);
  REQUIRE_FALSE(state.empty());
  return state;
}

// `rounds` random updates, deletes and inserts on the tables, with a short pause now and then
// so that they spread over the run.
void Write(const std::vector<std::string>& tables, int rounds, unsigned seed) {
  MysqlConnection connection;
  REQUIRE(connection.Connect(testing::SandboxOptions()).ok());
  std::mt19937 random(seed);
  for (int round = 0; round < rounds; ++round) {
    const std::string table = SourceTable(tables[round % tables.size()]);
    int id = static_cast<int>(random() % 13000);
    std::string sql;
    switch (random() % 4) {
      case 0: sql = fmt::format("DELETE FROM {} WHERE id = {}", table, id); break;
      case 1:
        sql =
            fmt::format("INSERT INTO {} VALUES ({}, {}, 'n{}') ON DUPLICATE KEY UPDATE v = 'dup{}'",
                        table, id, id % 7, round, round);
        break;
      default:
        sql = fmt::format("UPDATE {} SET v = 'u{}' WHERE grp = {} AND id % 13 = {}", table, round,
                          id % 7, round % 13);
        break;
    }
    REQUIRE(connection.Execute(sql).ok());
    if (round % 40 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

// Waits until the copy of `table` holds some rows but not `all`: its snapshot has begun and is
// not through. Then its last rows change: their chunks come after these updates in the stream.
void UpdateAheadOfSnapshot(const std::string& table, int all) {
  MysqlConnection connection;
  REQUIRE(connection.Connect(testing::SandboxOptions()).ok());
  for (int attempt = 0;; ++attempt) {
    REQUIRE(attempt < 3000);
    auto rows = connection.Query("SELECT COUNT(*) FROM " + CopyTable(table));
    if (rows.ok() && *(*rows)[0][0] != "0") {
      REQUIRE(std::stoi(*(*rows)[0][0]) < all - 1000);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  for (int from = all - 1000; from < all; from += 100) {
    REQUIRE(connection
                .Execute(fmt::format("UPDATE {} SET v = 'ahead' WHERE id >= {} AND id < {}",
                                     SourceTable(table), from, from + 100))
                .ok());
  }
}

void FreshSource(MysqlConnection& check) {
  testing::Exec(check, fmt::format("DROP DATABASE IF EXISTS {}", kSource));
  testing::Exec(check, fmt::format("DROP DATABASE IF EXISTS {}", kCopy));
  testing::Exec(check, fmt::format("CREATE DATABASE {}", kSource));
  for (const auto& [table, rows] : {std::pair{"a", 4000}, std::pair{"b", 12000}}) {
    testing::Exec(
        check,
        fmt::format("CREATE TABLE {}.{} (id INT PRIMARY KEY, grp INT NOT NULL, v VARCHAR(40))",
                    kSource, table));
    std::string values;
    for (int i = 0; i < rows; ++i)
      values += fmt::format("{}({}, {}, '{}{}')", i ? "," : "", i, i % 7, table, i);
    testing::Exec(check, fmt::format("INSERT INTO {}.{} VALUES {}", kSource, table, values));
  }
}

}  // namespace

TEST_CASE(
    "a table added to the capture list gets a snapshot of its own; one removed is left, one added "
    "back is reconciled") {
  MysqlConnection check;
  testing::ConnectOrFail(check);
  FreshSource(check);
  SnapshotRows first;
  std::string state = RunUntilEqual(Run{{"a"}, ""}, first);
  CHECK(first.Of("a") == 4000);
  CHECK(first.Of("b") == 0);
  CHECK(state.find("captured\tit_cap\ta\n") != std::string::npos);

  // b, with its rows, joins while both tables are written to.
  Write({"a", "b"}, 200, 1);  // while the job is down
  SnapshotRows second;
  Run added{{"a", "b"}, state};
  added.chunk_rows = 3;  // a slow snapshot, so the stream meets the table's events while it runs
  added.meanwhile = [] {
    UpdateAheadOfSnapshot("b", 12000);
    Write({"a", "b"}, 1500, 2);
  };
  state = RunUntilEqual(added, second);
  CHECK(second.Of("a") == 0);      // streamed on, not read again
  CHECK(second.Of("b") >= 11000);  // 12000 rows, less what the writes deleted before its snapshot
  CHECK(state.find("captured\tit_cap\tb\n") != std::string::npos);
  CHECK(state.find("backfill") == std::string::npos);

  // b leaves the list: its copy stays as it was while the source's b changes.
  const std::string b_when_left = TableText(check, CopyTable("b"));
  SnapshotRows third;
  Run removed{{"a"}, state};
  removed.meanwhile = [] { Write({"a", "b"}, 600, 3); };
  state = RunUntilEqual(removed, third);
  CHECK(TableText(check, CopyTable("b")) == b_when_left);
  CHECK(TableText(check, SourceTable("b")) != b_when_left);
  CHECK(state.find("released\tit_cap\tb\n") != std::string::npos);
  CHECK(third.Of("a") + third.Of("b") == 0);

  // b comes back: rows deleted from the source while it was out are gone from the copy too.
  SnapshotRows fourth;
  Run back{{"a", "b"}, state};
  back.meanwhile = [] { Write({"a", "b"}, 600, 4); };
  state = RunUntilEqual(back, fourth);
  CHECK(fourth.Of("a") == 0);
  CHECK(fourth.Of("b") >= 11000);
  CHECK(TableText(check, SourceTable("a")) == TableText(check, CopyTable("a")));
  CHECK(TableText(check, SourceTable("b")) == TableText(check, CopyTable("b")));
  CHECK(state.find("released") == std::string::npos);
}

TEST_CASE("under logical deletes a table added back marks the rows the source lost as deleted") {
  MysqlConnection check;
  testing::ConnectOrFail(check);
  FreshSource(check);
  SnapshotRows runs[3];
  Run first{{"a", "b"}, ""};
  first.logical_deletes = true;
  std::string state = RunUntilEqual(first, runs[0]);
  Run removed{{"a"}, state};
  removed.logical_deletes = true;
  state = RunUntilEqual(removed, runs[1]);
  testing::Exec(check,
                fmt::format("DELETE FROM {} WHERE id < 100", SourceTable("b")));  // while b is out
  testing::Exec(check, fmt::format("UPDATE {} SET v = 'changed' WHERE id BETWEEN 100 AND 149",
                                   SourceTable("b")));
  Run back{{"a", "b"}, state};
  back.logical_deletes = true;
  back.meanwhile = [] { Write({"a"}, 300, 5); };  // b's ids below 100 stay deleted
  RunUntilEqual(back, runs[2]);
  // The live rows equal the source (checked by RunUntilEqual); the lost ones are kept, marked.
  auto marked = check.Query(
      fmt::format("SELECT COUNT(*) FROM {} WHERE _is_deleted = 1 AND id < 100", CopyTable("b")));
  REQUIRE(marked.ok());
  CHECK(*(*marked)[0][0] == "100");
  CHECK(TableText(check, SourceTable("b")) == LiveCopyText(check, "b", true));
}

TEST_CASE("a restart while an added table's snapshot runs continues that snapshot where it stood") {
  MysqlConnection check;
  testing::ConnectOrFail(check);
  FreshSource(check);
  SnapshotRows runs[3];
  std::string state = RunUntilEqual(Run{{"a"}, ""}, runs[0]);
  Run interrupted{{"a", "b"}, state};
  interrupted.chunk_rows = 3;
  interrupted.stop_when = [&] {
    auto rows = check.Query("SELECT COUNT(*) FROM " + CopyTable("b"));
    return rows.ok() && (*rows)[0][0] != "0";
  };
  state = RunUntilEqual(interrupted, runs[1]);
  INFO(state);
  REQUIRE(state.find("backfill\tit_cap\tb\n") != std::string::npos);
  REQUIRE(state.find("table\tit_cap\tb\tpartial\t") != std::string::npos);
  const size_t before_restart = runs[1].Of("b");
  CHECK(before_restart > 0);
  CHECK(before_restart < 6000);
  // What the final checkpoint holds is written: ids 0 to before_restart - 1.
  CHECK(TableText(check, CopyTable("b")) ==
        TableText(check, fmt::format("(SELECT * FROM {} WHERE id < {}) AS written",
                                     SourceTable("b"), before_restart)));
  Run resumed{{"a", "b"}, state};
  resumed.meanwhile = [] { Write({"a"}, 600, 6); };
  state = RunUntilEqual(resumed, runs[2]);
  CHECK(runs[2].Of("a") == 0);
  // Continued after the last key the checkpoint holds: b (ids 0 to 11999, unchanged) is read
  // exactly once over both runs.
  CHECK(runs[2].Of("b") == 12000 - before_restart);
  CHECK(state.find("backfill") == std::string::npos);
}

}  // namespace cdc
