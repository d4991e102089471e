// End to end against the sandboxed MariaDB: generated inserts, updates (some changing the
// key) and deletes over several tables, keyed over parallel sink subtasks into MySQL, must
// leave the target equal to the source's final state, with and without logical deletes.
#include <doctest/doctest.h>

#include <map>

#include "connectors/datagen/datagen_source.h"
#include "connectors/mysql/sink/mysql_sink.h"
#include "operators/job.h"
#include "runtime/executor.h"
#include "test/integration/mysql_test_env.h"
#include "test/job_test_support.h"

namespace cdc {
namespace {

using testing::ConnectOrFail;
using testing::Exec;

// "id|k|c|updated_at" per row of every table, keyed "table|id", from running the generator.
std::map<std::string, std::string> SourceFinalState(const DatagenOptions& options) {
  struct Model final : Output {
    std::map<std::string, std::string> rows;
    static std::string Text(const Row& row) {
      std::string text;
      for (const Value& value : row) text += value.ToString() + "|";
      return text;
    }
    Status Emit(RowChange&& change) override {
      std::string table = change.table->id().table + "|";
      if (change.kind != ChangeKind::kInsert) rows.erase(table + change.before[0].ToString());
      if (change.kind != ChangeKind::kDelete)
        rows[table + change.after[0].ToString()] = Text(change.after);
      return Status::Ok();
    }
  } model;
  DatagenSource source(options);
  Executor executor(1);
  SystemClock clock(executor);
  REQUIRE(source.Open(SubtaskInfo{"datagen", 0, 1}, clock).ok());
  while (true) {
    auto polled = source.PollNext(model);
    REQUIRE(polled.ok());
    if (polled->state == PollResult::State::kEndOfInput) break;
  }
  return model.rows;
}

// The same rendering of the target's rows, read back through SQL.
std::map<std::string, std::string> TargetState(MysqlConnection& check,
                                               const DatagenOptions& options,
                                               const std::string& where) {
  std::map<std::string, std::string> rows;
  for (size_t t = 0; t < options.tables; ++t) {
    std::string table = options.table_prefix + std::to_string(t);
    auto result = check.Query("SELECT id, k, QUOTE(c), CONCAT('''', updated_at, '''') FROM `" +
                              options.database + "`.`" + table + "`" + where);
    REQUIRE(result.ok());
    for (const auto& row : *result) {
      rows[table + "|" + *row[0]] = *row[0] + "|" + *row[1] + "|" + *row[2] + "|" + *row[3] + "|";
    }
  }
  return rows;
}

DatagenOptions Workload(const std::string& database) {
  DatagenOptions datagen;
  datagen.database = database;
  datagen.tables = 3;
  datagen.key_space = 300;  // every key changes many times
  datagen.count = 30000;
  datagen.key_update_percent = 20;
  return datagen;
}

Status RunJob(const DatagenOptions& datagen, const MysqlSinkOptions& sink_options) {
  JobOptions options;
  options.parallelism = 3;
  Job job(options);
  FlushPolicy flush;
  flush.flush_rows = 200;
  flush.capacity_rows = 800;
  job.AddSource("datagen", DatagenSource::Factory(datagen))
      .KeyBy()
      .SinkTo("mysql", std::make_shared<MysqlSink>(sink_options), flush);
  return job.Run();
}

}  // namespace

TEST_CASE("a keyed job into MySQL leaves the target equal to the source") {
  MysqlConnection check;
  ConnectOrFail(check);
  Exec(check, "DROP DATABASE IF EXISTS it_pipeline");
  DatagenOptions datagen = Workload("it_pipeline");
  MysqlSinkOptions sink;
  sink.connection = testing::SandboxOptions();
  Status status = RunJob(datagen, sink);
  REQUIRE_MESSAGE(status.ok(), status.ToString());
  auto expected = SourceFinalState(datagen);
  CHECK(expected.size() > 100);
  CHECK(TargetState(check, datagen, "") == expected);
}

TEST_CASE("with logical deletes the live rows equal the source and every other row is flagged") {
  MysqlConnection check;
  ConnectOrFail(check);
  Exec(check, "DROP DATABASE IF EXISTS it_pipeline_logical");
  DatagenOptions datagen = Workload("it_pipeline_logical");
  MysqlSinkOptions sink;
  sink.connection = testing::SandboxOptions();
  sink.logical_delete.enabled = true;
  Status status = RunJob(datagen, sink);
  REQUIRE_MESSAGE(status.ok(), status.ToString());
  auto expected = SourceFinalState(datagen);
  CHECK(TargetState(check, datagen, " WHERE _is_deleted = 0") == expected);
  auto flagged = TargetState(check, datagen, " WHERE _is_deleted = 1");
  CHECK_FALSE(flagged.empty());
  for (const auto& [key, row] : flagged) CHECK(expected.count(key) == 0);
}

}  // namespace cdc

namespace cdc {

TEST_CASE("a truncate through a 3-subtask job lands once, between the rows before and after it") {
  MysqlConnection check;
  ConnectOrFail(check);
  Exec(check, "DROP DATABASE IF EXISTS it_pipeline_truncate");
  std::vector<ColumnSchema> columns(2);
  columns[0].name = "id";
  columns[0].type = ColumnType::kInt;
  columns[0].nullable = false;
  columns[1].name = "v";
  columns[1].type = ColumnType::kVarChar;
  columns[1].length = 16;
  columns[1].collation = "utf8mb4_general_ci";
  auto table = *TableSchema::Make(TableId{"it_pipeline_truncate", "kv"}, columns, {0});
  auto insert = [&](int64_t id, const char* v) {
    RowChange change;
    change.kind = ChangeKind::kInsert;
    change.table = table.get();
    change.after = Row{Value::Int(id), Value::String(v, 45)};
    return change;
  };
  std::vector<RowChange> changes;
  for (int64_t id = 0; id < 3000; ++id) changes.push_back(insert(id, "before"));
  RowChange truncate;
  truncate.kind = ChangeKind::kTruncate;
  truncate.table = table.get();
  changes.push_back(truncate);
  for (int64_t id = 2000; id < 2500; ++id) changes.push_back(insert(id, "after"));
  MysqlSinkOptions sink;
  sink.connection = testing::SandboxOptions();
  JobOptions options;
  options.parallelism = 3;
  Job job(options);
  FlushPolicy flush;
  flush.flush_rows = 100;
  flush.capacity_rows = 400;
  job.AddSource("changes",
                [&](const SubtaskInfo&) {
                  return std::make_unique<testing::VectorSource>(changes, false);
                })
      .KeyBy()
      .SinkTo("mysql", std::make_shared<MysqlSink>(sink), flush);
  Status status = job.Run();
  REQUIRE_MESSAGE(status.ok(), status.ToString());
  auto rows = check.Query(
      "SELECT COUNT(*), MIN(id), MAX(id), SUM(v = 'after') FROM it_pipeline_truncate.kv");
  REQUIRE(rows.ok());
  CHECK(*(*rows)[0][0] == "500");
  CHECK(*(*rows)[0][1] == "2000");
  CHECK(*(*rows)[0][2] == "2499");
  CHECK(*(*rows)[0][3] == "500");
}

}  // namespace cdc
