// The MySQL sink's schema history against a sandboxed MariaDB: a schema change is recorded as
// started before its DDL runs on the target and as done after, so a sink stopped in between
// (kill -9, a crash) replays correctly: the rows before the change are passed over (its
// barrier wrote them before the DDL began) and the change is applied again.
#include "connectors/mysql/sink/mysql_sink_state.h"

#include <doctest/doctest.h>

#include <chrono>
#include <future>
#include <thread>

#include "connectors/mysql/sink/mysql_sink.h"
#include "schema/ddl_parser.h"
#include "schema/schema_catalog.h"
#include "test/integration/catalog_schema_change.h"
#include "test/integration/mysql_test_env.h"

namespace cdc {
namespace {

using testing::ConnectOrFail;
using testing::Exec;
using testing::QueryValue;
using testing::TableText;

// `database`.t (id INT PRIMARY KEY, discount INT), then ALTER TABLE t RENAME COLUMN discount
// TO rebate, and that change as a barrier at offset 200.
testing::CatalogSchemaChange RenameColumnOf(const std::string& database) {
  auto result =
      testing::SchemaChangeOf(database, "CREATE TABLE t (id INT PRIMARY KEY, discount INT)",
                              "ALTER TABLE t RENAME COLUMN discount TO rebate");
  result.barrier.position = SourcePosition{"mysql-bin.000007", 200, ""};
  return result;
}

RowChange Insert(const TableSchemaPtr& schema, int64_t id, int64_t value, uint64_t offset) {
  RowChange change;
  change.kind = ChangeKind::kInsert;
  change.table = schema.get();
  change.after = Row{Value::Int(id), Value::Int(value)};
  change.position = SourcePosition{"mysql-bin.000007", offset, ""};
  return change;
}

MysqlSinkOptions Options(const std::string& pipeline) {
  MysqlSinkOptions options;
  options.connection = testing::SandboxOptions();
  options.pipeline_name = pipeline;
  return options;
}

// Removes what earlier runs of `pipeline` left in the history (creating it if need be).
void ForgetHistory(MysqlConnection& check, const std::string& pipeline) {
  MysqlSinkState state("cdc_state.schema_history", "cdc_state.progress", pipeline);
  REQUIRE(state.Ensure(check).ok());
  Exec(check, "DELETE FROM cdc_state.schema_history WHERE pipeline = '" + pipeline + "'");
}

std::string History(MysqlConnection& check, const std::string& pipeline) {
  return QueryValue(
      check,
      "SELECT IFNULL(GROUP_CONCAT(change_kind, ':', done, ':', statements <> ''), 'none') "
      "FROM cdc_state.schema_history WHERE pipeline = '" +
          pipeline + "'");
}

}  // namespace

TEST_CASE(
    "a schema change is recorded as started before its DDL runs on the target, and done after") {
  MysqlConnection check;
  ConnectOrFail(check);
  Exec(check, "DROP DATABASE IF EXISTS it_state_order");
  ForgetHistory(check, "it_state_order");
  auto [before, after, rename] = RenameColumnOf("it_state_order");
  MysqlSink sink(Options("it_state_order"));
  REQUIRE(testing::WriteThroughSink(sink, before, {Insert(before, 1, 10, 100)}).ok());
  // A reader holds the table's metadata lock, so the DDL waits: the history says started.
  MysqlConnection reader;
  ConnectOrFail(reader);
  Exec(reader, "START TRANSACTION");
  Exec(reader, "SELECT * FROM it_state_order.t");
  auto applied = std::async(std::launch::async, [&sink, &after = after, &rename = rename] {
    return testing::WriteThroughSink(sink, after, {rename});
  });
  std::string during;
  for (int i = 0; i < 1000 && during != "alter table:0:0"; ++i) {
    during = History(check, "it_state_order");
    if (during != "alter table:0:0") std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(during == "alter table:0:0");
  CHECK(QueryValue(check,
                   "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                   "'it_state_order' AND COLUMN_NAME = 'rebate'") == "0");  // not yet run
  Exec(reader, "COMMIT");
  Status status = applied.get();
  REQUIRE_MESSAGE(status.ok(), status.ToString());
  CHECK(History(check, "it_state_order") == "alter table:1:1");
}

TEST_CASE(
    "a replay after a stop between a schema change's DDL and its record passes over the rows "
    "before it and applies it again") {
  MysqlConnection check;
  ConnectOrFail(check);
  Exec(check, "DROP DATABASE IF EXISTS it_state_crash");
  ForgetHistory(check, "it_state_crash");
  auto [before, after, rename] = RenameColumnOf("it_state_crash");
  {
    MysqlSink first(Options("it_state_crash"));  // writes row 1, renames, and is killed...
    REQUIRE(testing::WriteThroughSink(first, before,
                                      {Insert(before, 1, 10, 100), Insert(before, 2, 20, 150)})
                .ok());
    Status renamed = testing::WriteThroughSink(first, after, {rename});
    REQUIRE_MESSAGE(renamed.ok(), renamed.ToString());
  }
  // ... after the DDL ran, before the history said it was done.
  Exec(check,
       "UPDATE cdc_state.schema_history SET done = 0, statements = '' WHERE pipeline = "
       "'it_state_crash'");

  MysqlSinkOptions options = Options("it_state_crash");
  options.resuming = true;
  MysqlSink second(options);  // replays from a checkpoint before the rows and the rename
  Status replayed = testing::WriteThroughSink(
      second, before, {Insert(before, 1, 10, 100), Insert(before, 2, 20, 150)});
  REQUIRE_MESSAGE(replayed.ok(), replayed.ToString());
  Status renamed = testing::WriteThroughSink(second, after, {rename});
  REQUIRE_MESSAGE(renamed.ok(), renamed.ToString());
  REQUIRE(testing::WriteThroughSink(second, after, {Insert(after, 3, 30, 250)}).ok());
  CHECK(TableText(check, "it_state_crash.t") == "1|10|\n2|20|\n3|30|\n");
  CHECK(QueryValue(check,
                   "SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY ORDINAL_POSITION) FROM "
                   "information_schema.COLUMNS "
                   "WHERE TABLE_SCHEMA = 'it_state_crash' AND TABLE_NAME = 't'") == "id,rebate");
  CHECK(History(check, "it_state_crash") == "alter table:1:1");
}

}  // namespace cdc
