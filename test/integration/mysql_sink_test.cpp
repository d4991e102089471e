// Integration tests of the MySQL sink against the sandboxed MariaDB (test/run-integration.sh).
#include "connectors/mysql/sink/mysql_sink.h"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <future>
#include <thread>

#include "runtime/executor.h"
#include "schema/schema_change_behavior.h"
#include "schema/schema_projection.h"
#include "test/integration/all_types.h"
#include "test/integration/mysql_test_env.h"

namespace cdc {
namespace {

using testing::ConnectOrFail;
using testing::Exec;
using testing::QueryValue;

ColumnSchema Column(std::string name, ColumnType type, bool nullable = true) {
  ColumnSchema column;
  column.name = std::move(name);
  column.type = type;
  column.nullable = nullable;
  return column;
}

MysqlSinkOptions SinkOptions() {
  MysqlSinkOptions options;
  options.connection = testing::SandboxOptions();
  options.retry.initial_backoff_ms = 10;
  return options;
}

// The clock retries wait on, as a job's would be.
Clock& TestClock() {
  static Executor executor(2);
  static SystemClock clock(executor);
  return clock;
}

// Writes one batch through a fresh writer of `sink` and waits for it to complete.
Status WriteBatch(MysqlSink& sink, const TableSchemaPtr& schema, std::vector<RowChange> changes) {
  auto writer =
      sink.CreateWriter(TableWriterContext{schema->id(), schema, 0, 1, &TestClock(), nullptr});
  REQUIRE_MESSAGE(writer.ok(), writer.status().ToString());
  std::promise<Status> result;
  (*writer)->Write(FlushBatch{schema->id(), 0, std::move(changes)},
                   [&](Status status) { result.set_value(std::move(status)); });
  return result.get_future().get();
}

RowChange Change(ChangeKind kind, const TableSchemaPtr& schema, Row before, Row after,
                 uint64_t offset = 0) {
  RowChange change;
  change.kind = kind;
  change.table = schema.get();
  change.before = std::move(before);
  change.after = std::move(after);
  change.position = SourcePosition{"mysql-bin.000001", offset, ""};
  change.commit_time_us = 1'700'000'000'000'000 + static_cast<int64_t>(offset);
  return change;
}

// `db`.`kv` (id INT NOT NULL PRIMARY KEY, v VARCHAR(32)).
TableSchemaPtr KeyValueTable(const std::string& database) {
  std::vector<ColumnSchema> columns = {Column("id", ColumnType::kInt, false),
                                       Column("v", ColumnType::kVarChar)};
  columns[1].length = 32;
  columns[1].collation = "utf8mb4_general_ci";
  return *TableSchema::Make(TableId{database, "kv"}, std::move(columns), {0});
}

// `db`.`kv` (id INT, v VARCHAR(32)), without a key.
TableSchemaPtr KeylessTable(const std::string& database) {
  std::vector<ColumnSchema> columns = {Column("id", ColumnType::kInt),
                                       Column("v", ColumnType::kVarChar)};
  columns[1].length = 32;
  columns[1].collation = "utf8mb4_general_ci";
  return *TableSchema::Make(TableId{database, "kv"}, std::move(columns), {});
}

Row KV(int64_t id, const std::string& v) {
  return Row{Value::Int(id), Value::String(v, 45)};
}

std::string Rows(MysqlConnection& connection, const std::string& table,
                 const std::string& extra = "") {
  auto rows = connection.Query("SELECT id, v" + extra + " FROM " + table + " ORDER BY id, v");
  REQUIRE(rows.ok());
  std::string text;
  for (const auto& row : *rows) {
    for (const auto& cell : row) text += (cell ? *cell : "NULL") + ",";
    text += ";";
  }
  return text;
}

}  // namespace

TEST_CASE("every MySQL type round-trips exactly through the sink") {
  testing::AllTypes all = testing::MakeAllTypes("it_types");
  auto& schema = all.schema;
  auto& max_row = all.max_row;
  auto& min_row = all.min_row;
  const std::string& decimal = all.decimal;
  MysqlConnection check;
  ConnectOrFail(check);
  Exec(check, "DROP DATABASE IF EXISTS it_types");
  MysqlSink sink(SinkOptions());
  Status written = WriteBatch(sink, schema,
                              {Change(ChangeKind::kInsert, schema, {}, max_row, 1),
                               Change(ChangeKind::kInsert, schema, {}, min_row, 2)});
  REQUIRE_MESSAGE(written.ok(), written.ToString());

  auto row_text = [&](const std::string& id) {
    auto rows = check.Query(
        "SELECT id, ti, bu, bi, CAST(f AS DOUBLE), d, `dec`, HEX(b), y, dt, t, dtm, ts, HEX(vc), "
        "HEX(l1), HEX(bin), LENGTH(blb), HEX(RIGHT(blb, 4)), e, s, j, ST_SRID(g), "
        "HEX(ST_AsWKB(g)) FROM it_types.all_types WHERE id = " +
        id);
    REQUIRE(rows.ok());
    REQUIRE(rows->size() == 1);
    std::vector<std::string> cells;
    for (const auto& cell : (*rows)[0]) cells.push_back(cell ? *cell : "NULL");
    return cells;
  };
  std::vector<std::string> expected_max = {"18446744073709551615",
                                           "-128",
                                           "18446744073709551615",
                                           "-9223372036854775808",
                                           "3.4028234663852886e38",
                                           "0.30000000000000004",
                                           decimal,
                                           "FFFFFFFFFFFFFFFF",
                                           "2155",
                                           "9999-12-31",
                                           "-838:59:58.999999",
                                           "9999-12-31 23:59:59.999999",
                                           "2038-01-19 03:14:07.999999",
                                           "68C3A96C6C6F20F09F988020277127205C",
                                           "636166E9",
                                           "00FF0001",
                                           "60003",
                                           "00656E64",
                                           "b'c",
                                           "x,z",
                                           "{\"k\": [1, 2.5, \"s\"]}",
                                           "4326",
                                           "0101000000000000000000F03F0000000000000040"};
  CHECK(row_text("18446744073709551615") == expected_max);
  std::vector<std::string> expected_min = {"0",
                                           "NULL",
                                           "NULL",
                                           "NULL",
                                           "1.401298464324817e-45",
                                           "-1e-300",
                                           "0.000000000000000000000000000001",
                                           "0",
                                           "0000",
                                           "0000-00-00",
                                           "-00:00:00.000001",
                                           "0000-00-00 00:00:00.000000",
                                           "1970-01-01 00:00:01.000000",
                                           "",
                                           "NULL",
                                           "",
                                           "NULL",
                                           "NULL",
                                           "NULL",
                                           "NULL",
                                           "NULL",
                                           "NULL",
                                           "NULL"};
  CHECK(row_text("0") == expected_min);
  // The auto-created table has the source's native types.
  CHECK(QueryValue(check,
                   "SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                   "'it_types' AND COLUMN_NAME = 'dec'") == "decimal(65,30)");
  CHECK(QueryValue(check,
                   "SELECT COLLATION_NAME FROM information_schema.COLUMNS WHERE "
                   "TABLE_SCHEMA = 'it_types' AND COLUMN_NAME = 'l1'") == "latin1_swedish_ci");
}

TEST_CASE("array binding writes every value exactly as the SQL text does") {
  // Every type but latin1 text and GEOMETRY, which always travel as SQL text.
  testing::AllTypes all = testing::MakeAllTypes("it_array");
  std::vector<size_t> positions;
  for (size_t i = 0; i < all.schema->columns().size(); ++i) {
    const std::string& name = all.schema->columns()[i].name;
    if (name != "l1" && name != "g") positions.push_back(i);
  }
  auto projected = ProjectSchema(*all.schema, positions, "array binding test");
  REQUIRE(projected.ok());
  TableSchemaPtr schema = *projected;
  Row max_row = Project(Row(all.max_row), positions);
  Row min_row = Project(Row(all.min_row), positions);
  // Row 0 again, updated to the maxima: the upsert's update path.
  Row updated = max_row;
  updated[0] = min_row[0];
  // A batch of one row that is NULL but for its key: every other column binds no value.
  Row nulls(max_row.size(), Value::Null());
  nulls[0] = Value::UInt(7);

  MysqlConnection check;
  ConnectOrFail(check);
  std::string selected;  // every column as the server prints it (FLOAT widened: exact)
  for (const ColumnSchema& column : schema->columns()) {
    if (!selected.empty()) selected += ", ";
    selected += column.type == ColumnType::kFloat ? "CAST(`" + column.name + "` AS DOUBLE)"
                                                  : "`" + column.name + "`";
  }
  auto table_text = [&](const std::string& database) {
    auto rows = check.Query("SELECT " + selected + " FROM " + database + ".all_types ORDER BY id");
    REQUIRE_MESSAGE(rows.ok(), rows.status().ToString());
    std::vector<std::vector<std::string>> cells;
    for (const auto& row : *rows) {
      cells.emplace_back();
      for (const auto& cell : row) cells.back().push_back(cell ? *cell : "NULL");
    }
    return cells;
  };
  std::vector<std::vector<std::vector<std::string>>> tables;
  for (bool array_binding : {true, false}) {
    std::string database = array_binding ? "it_array_bound" : "it_array_text";
    Exec(check, "DROP DATABASE IF EXISTS " + database);
    MysqlSinkOptions options = SinkOptions();
    options.target_database = database;
    options.array_binding = array_binding;
    options.max_statement_bytes = 4096;  // below the max row's blob: one array (statement) per row
    MysqlSink sink(options);
    Status written = WriteBatch(sink, schema,
                                {Change(ChangeKind::kInsert, schema, {}, max_row, 1),
                                 Change(ChangeKind::kInsert, schema, {}, min_row, 2)});
    REQUIRE_MESSAGE(written.ok(), written.ToString());
    written = WriteBatch(sink, schema, {Change(ChangeKind::kUpdate, schema, min_row, updated, 3)});
    REQUIRE_MESSAGE(written.ok(), written.ToString());
    written = WriteBatch(sink, schema, {Change(ChangeKind::kInsert, schema, {}, nulls, 4)});
    REQUIRE_MESSAGE(written.ok(), written.ToString());
    CHECK(sink.stats().array_rows == (array_binding ? 4u : 0u));
    tables.push_back(table_text(database));
  }
  REQUIRE(tables[0].size() == 3);
  CHECK(tables[0] == tables[1]);
  // Spot checks against the values themselves (the full list is in the test above).
  CHECK(tables[0][2][0] == "18446744073709551615");
  CHECK(tables[0][1][0] == "7");
  CHECK(tables[0][1][1] == "NULL");
  CHECK(tables[0][0][5] == "0.30000000000000004");  // d, updated to the maxima
  CHECK(tables[0][0][6] == all.decimal);

  SUBCASE("a latin1 value sends the batch as SQL text") {
    MysqlSinkOptions options = SinkOptions();
    options.target_database = "it_array_latin1";
    Exec(check, "DROP DATABASE IF EXISTS it_array_latin1");
    MysqlSink sink(options);
    Status written = WriteBatch(sink, all.schema, {all.Insert(all.max_row)});
    REQUIRE_MESSAGE(written.ok(), written.ToString());
    CHECK(sink.stats().array_rows == 0);
    CHECK(sink.stats().rows_written == 1);
    CHECK(QueryValue(check, "SELECT HEX(l1) FROM it_array_latin1.all_types") == "636166E9");
  }
}

TEST_CASE("a batch the server will not take by array binding is written as SQL text") {
  MysqlConnection check;
  ConnectOrFail(check);
  Exec(check, "DROP DATABASE IF EXISTS it_array_fallback");
  TableSchemaPtr schema = KeyValueTable("it_array_fallback");
  std::string limit = QueryValue(check, "SELECT @@GLOBAL.max_prepared_stmt_count");
  Exec(check, "SET GLOBAL max_prepared_stmt_count = 0");  // every prepare fails (error 1461)
  MysqlSink sink(SinkOptions());
  Status written = WriteBatch(sink, schema,
                              {Change(ChangeKind::kInsert, schema, {}, KV(1, "a"), 1),
                               Change(ChangeKind::kInsert, schema, {}, KV(2, "b"), 2)});
  Exec(check, "SET GLOBAL max_prepared_stmt_count = " + limit);
  REQUIRE_MESSAGE(written.ok(), written.ToString());
  CHECK(Rows(check, "it_array_fallback.kv") == "1,a,;2,b,;");
  CHECK(sink.stats().array_rows == 0);
  CHECK(sink.stats().retries == 0);  // tried again as text at once, not after a backoff
  CHECK(sink.stats().transactions == 1);
}

TEST_CASE("replaying a batch leaves the same state") {
  MysqlConnection check;
  ConnectOrFail(check);
  Exec(check, "DROP DATABASE IF EXISTS it_replay");
  auto schema = KeyValueTable("it_replay");
  std::vector<RowChange> batch = {Change(ChangeKind::kInsert, schema, {}, KV(1, "a"), 1),
                                  Change(ChangeKind::kInsert, schema, {}, KV(2, "b"), 2),
                                  Change(ChangeKind::kUpdate, schema, KV(1, "a"), KV(1, "a2"), 3),
                                  Change(ChangeKind::kDelete, schema, KV(2, "b"), {}, 4),
                                  Change(ChangeKind::kInsert, schema, {}, KV(3, "c"), 5)};
  MysqlSink sink(SinkOptions());
  REQUIRE(WriteBatch(sink, schema, batch).ok());
  std::string first = Rows(check, "it_replay.kv");
  CHECK(first == "1,a2,;3,c,;");
  REQUIRE(WriteBatch(sink, schema, batch).ok());
  CHECK(Rows(check, "it_replay.kv") == first);
}

TEST_CASE("compaction ends as applying the changes one by one would") {
  MysqlConnection check;
  ConnectOrFail(check);
  Exec(check, "DROP DATABASE IF EXISTS it_compact");
  auto schema = KeyValueTable("it_compact");
  MysqlSink sink(SinkOptions());
  REQUIRE(
      WriteBatch(sink, schema, {Change(ChangeKind::kInsert, schema, {}, KV(9, "old"), 1)}).ok());
  std::vector<RowChange> batch = {
      // insert -> delete -> insert of one key leaves the last row
      Change(ChangeKind::kInsert, schema, {}, KV(1, "x"), 2),
      Change(ChangeKind::kDelete, schema, KV(1, "x"), {}, 3),
      Change(ChangeKind::kInsert, schema, {}, KV(1, "y"), 4),
      // a key-changing update (not split by key-by) removes the old key
      Change(ChangeKind::kUpdate, schema, KV(9, "old"), KV(10, "moved"), 5),
      // an update chain keeps the last image
      Change(ChangeKind::kInsert, schema, {}, KV(2, "v1"), 6),
      Change(ChangeKind::kUpdate, schema, KV(2, "v1"), KV(2, "v2"), 7),
      Change(ChangeKind::kUpdate, schema, KV(2, "v2"), KV(2, "v3"), 8),
      // insert then delete leaves nothing
      Change(ChangeKind::kInsert, schema, {}, KV(3, "gone"), 9),
      Change(ChangeKind::kDelete, schema, KV(3, "gone"), {}, 10)};
  REQUIRE(WriteBatch(sink, schema, batch).ok());
  CHECK(Rows(check, "it_compact.kv") == "1,y,;2,v3,;10,moved,;");
  CHECK(sink.stats().transactions == 2);
}

TEST_CASE("logical deletes flag the row with its deletion time, and a re-insert clears the flag") {
  MysqlConnection check;
  ConnectOrFail(check);
  Exec(check, "DROP DATABASE IF EXISTS it_logical");
  auto schema = KeyValueTable("it_logical");
  MysqlSinkOptions options = SinkOptions();
  options.logical_delete.enabled = true;
  options.logical_delete.time_column = "_deleted_at";
  MysqlSink sink(options);
  REQUIRE(WriteBatch(sink, schema,
                     {Change(ChangeKind::kInsert, schema, {}, KV(1, "a"), 1),
                      Change(ChangeKind::kInsert, schema, {}, KV(2, "b"), 2)})
              .ok());
  REQUIRE(WriteBatch(sink, schema, {Change(ChangeKind::kDelete, schema, KV(1, "a"), {}, 3)}).ok());
  CHECK(Rows(check, "it_logical.kv", ", _is_deleted, _deleted_at") ==
        "1,a,1,2023-11-14 22:13:20.000003,;2,b,0,NULL,;");
  REQUIRE(
      WriteBatch(sink, schema, {Change(ChangeKind::kInsert, schema, {}, KV(1, "again"), 4)}).ok());
  CHECK(Rows(check, "it_logical.kv", ", _is_deleted, _deleted_at") ==
        "1,again,0,NULL,;2,b,0,NULL,;");
}

TEST_CASE("a truncate empties the table, or with logical deletes flags every live row") {
  MysqlConnection check;
  ConnectOrFail(check);
  auto physical_schema = KeyValueTable("it_truncate");
  auto logical_schema = KeyValueTable("it_truncate_logical");
  Exec(check, "DROP DATABASE IF EXISTS it_truncate");
  Exec(check, "DROP DATABASE IF EXISTS it_truncate_logical");
  for (bool logical : {false, true}) {
    CAPTURE(logical);
    const TableSchemaPtr& schema = logical ? logical_schema : physical_schema;
    MysqlSinkOptions options = SinkOptions();
    options.logical_delete.enabled = logical;
    MysqlSink sink(options);
    REQUIRE(WriteBatch(sink, schema,
                       {Change(ChangeKind::kInsert, schema, {}, KV(1, "a"), 1),
                        Change(ChangeKind::kInsert, schema, {}, KV(2, "b"), 2)})
                .ok());
    RowChange truncate = Change(ChangeKind::kTruncate, schema, {}, {}, 3);
    REQUIRE(WriteBatch(sink, schema, {truncate}).ok());
    REQUIRE(WriteBatch(sink, schema, {truncate}).ok());  // replay-safe
    REQUIRE(
        WriteBatch(sink, schema, {Change(ChangeKind::kInsert, schema, {}, KV(2, "c"), 4)}).ok());
    std::string table = schema->id().database + ".kv";
    if (logical) {
      CHECK(Rows(check, table, ", _is_deleted") == "1,a,1,;2,c,0,;");
    } else {
      CHECK(Rows(check, table) == "2,c,;");
    }
  }
}

TEST_CASE("a snapshot's reload of a keyless table empties its target under every behaviour") {
  // A source TRUNCATE is a schema change to admit; the truncate a snapshot sends before
  // reloading a keyless table is part of the snapshot (without it, rows a stopped snapshot
  // wrote would be there twice).
  MysqlConnection check;
  ConnectOrFail(check);
  auto schema = KeylessTable("it_reload");
  for (SchemaChangeBehavior behavior :
       {SchemaChangeBehavior::kLenient, SchemaChangeBehavior::kIgnore,
        SchemaChangeBehavior::kException}) {
    CAPTURE(SchemaChangeBehaviorName(behavior));
    Exec(check, "DROP DATABASE IF EXISTS it_reload");
    MysqlSinkOptions options = SinkOptions();
    options.schema_change = behavior;
    MysqlSink sink(options);
    REQUIRE(
        WriteBatch(sink, schema, {Change(ChangeKind::kInsert, schema, {}, KV(1, "a"), 1)}).ok());
    RowChange source_truncate = Change(ChangeKind::kTruncate, schema, {}, {}, 2);
    Status admitted = WriteBatch(sink, schema, {source_truncate});
    CHECK(admitted.ok() == (behavior != SchemaChangeBehavior::kException));
    CHECK(Rows(check, "it_reload.kv") == "1,a,;");  // not applied: lenient, ignore (or stopped)
    RowChange reload = Change(ChangeKind::kTruncate, schema, {}, {}, 3);
    reload.snapshot_reload = true;
    Status reloaded = WriteBatch(sink, schema, {reload});
    REQUIRE_MESSAGE(reloaded.ok(), reloaded.ToString());
    CHECK(Rows(check, "it_reload.kv") == "");
  }
}

TEST_CASE("a keyless table gets plain inserts and single-row updates and deletes") {
  MysqlConnection check;
  ConnectOrFail(check);
  Exec(check, "DROP DATABASE IF EXISTS it_keyless");
  auto schema = KeylessTable("it_keyless");
  MysqlSink sink(SinkOptions());
  REQUIRE(WriteBatch(sink, schema,
                     {Change(ChangeKind::kInsert, schema, {}, KV(1, "dup"), 1),
                      Change(ChangeKind::kInsert, schema, {}, KV(1, "dup"), 2),
                      Change(ChangeKind::kInsert, schema, {}, KV(2, "x"), 3),
                      Change(ChangeKind::kUpdate, schema, KV(1, "dup"), KV(1, "one"), 4),
                      Change(ChangeKind::kDelete, schema, KV(2, "x"), {}, 5)})
              .ok());
  CHECK(Rows(check, "it_keyless.kv") == "1,dup,;1,one,;");
}

TEST_CASE("a resumed job applies a keyless table's replayed changes once") {
  MysqlConnection check;
  ConnectOrFail(check);
  Exec(check, "DROP DATABASE IF EXISTS it_keyless_once");
  auto schema = KeylessTable("it_keyless_once");
  // Three rows of one rows event, then an update in a later event.
  auto at = [&](RowChange change, uint64_t offset, uint32_t index) {
    change.position = SourcePosition{"mysql-bin.000009", offset, "", index};
    return change;
  };
  std::vector<RowChange> first = {
      at(Change(ChangeKind::kInsert, schema, {}, KV(1, "a"), 0), 500, 1),
      at(Change(ChangeKind::kInsert, schema, {}, KV(1, "a"), 0), 500, 2),
      at(Change(ChangeKind::kInsert, schema, {}, KV(2, "b"), 0), 500, 3)};
  std::vector<RowChange> second = {
      at(Change(ChangeKind::kUpdate, schema, KV(2, "b"), KV(2, "c"), 0), 700, 1)};
  MysqlSinkOptions options = SinkOptions();
  options.pipeline_name = "it_keyless_once";
  {
    MysqlSink crashed(options);  // wrote the first flush, then the process died
    REQUIRE(WriteBatch(crashed, schema, first).ok());
  }
  CHECK(QueryValue(check,
                   "SELECT CONCAT(source_offset, '/', source_index) FROM cdc_state.progress "
                   "WHERE pipeline = 'it_keyless_once'") == "500/3");
  options.resuming = true;
  MysqlSink resumed(options);  // replays from a checkpoint before both
  std::vector<RowChange> replay = first;
  replay.erase(replay.begin());  // a batch may start anywhere
  REQUIRE(WriteBatch(resumed, schema, first).ok());
  REQUIRE(WriteBatch(resumed, schema, replay).ok());
  Status updated = WriteBatch(resumed, schema, second);
  REQUIRE_MESSAGE(updated.ok(), updated.ToString());
  CHECK(Rows(check, "it_keyless_once.kv") == "1,a,;1,a,;2,c,;");
  // Without the progress check the replay would have doubled the rows.
  options.resuming = false;
  MysqlSink fresh(options);
  REQUIRE(WriteBatch(fresh, schema, first).ok());
  CHECK(Rows(check, "it_keyless_once.kv") == "1,a,;1,a,;1,a,;1,a,;2,b,;2,c,;");
}

TEST_CASE("a connection killed between batches is reconnected and the batch retried") {
  MysqlConnection check;
  ConnectOrFail(check);
  Exec(check, "DROP DATABASE IF EXISTS it_kill");
  auto schema = KeyValueTable("it_kill");
  MysqlSink sink(SinkOptions());
  REQUIRE(WriteBatch(sink, schema, {Change(ChangeKind::kInsert, schema, {}, KV(1, "a"), 1)}).ok());
  auto ids = check.Query(
      "SELECT ID FROM information_schema.PROCESSLIST WHERE USER = 'cdc' AND ID <> CONNECTION_ID()");
  REQUIRE(ids.ok());
  REQUIRE_FALSE(ids->empty());
  for (const auto& row : *ids) Exec(check, "KILL " + *row[0]);
  REQUIRE(WriteBatch(sink, schema, {Change(ChangeKind::kInsert, schema, {}, KV(2, "b"), 2)}).ok());
  CHECK(Rows(check, "it_kill.kv") == "1,a,;2,b,;");
  CHECK(sink.stats().retries >= 1);
}

TEST_CASE("a connection killed in the middle of a batch is retried and the result is exact") {
  MysqlConnection check;
  ConnectOrFail(check);
  Exec(check, "DROP DATABASE IF EXISTS it_midkill");
  auto schema = KeyValueTable("it_midkill");
  MysqlSink sink(SinkOptions());
  REQUIRE(WriteBatch(sink, schema, {Change(ChangeKind::kInsert, schema, {}, KV(1, "a"), 1)}).ok());
  // Hold a lock on key 5 so the sink's next transaction stops half way, after its delete.
  MysqlConnection blocker;
  ConnectOrFail(blocker);
  Exec(blocker, "START TRANSACTION");
  Exec(blocker, "SELECT * FROM it_midkill.kv WHERE id = 5 FOR UPDATE");
  Status written = Status::Internal("not run");
  std::thread writer([&] {
    written = WriteBatch(sink, schema,
                         {Change(ChangeKind::kDelete, schema, KV(1, "a"), {}, 2),
                          Change(ChangeKind::kInsert, schema, {}, KV(5, "e"), 3),
                          Change(ChangeKind::kInsert, schema, {}, KV(6, "f"), 4)});
  });
  // Wait (bounded) until the sink's statement waits on the lock, then kill its connection.
  std::string victim;
  for (int i = 0; i < 2000 && victim.empty(); ++i) {
    auto rows = check.Query(
        "SELECT ID FROM information_schema.PROCESSLIST WHERE USER = 'cdc' AND INFO LIKE "
        "'INSERT INTO `it_midkill`%'");
    REQUIRE(rows.ok());
    if (!rows->empty()) victim = *(*rows)[0][0];
    if (victim.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  REQUIRE_FALSE(victim.empty());
  Exec(check, "KILL " + victim);
  Exec(blocker, "ROLLBACK");
  writer.join();
  REQUIRE_MESSAGE(written.ok(), written.ToString());
  CHECK(Rows(check, "it_midkill.kv") == "5,e,;6,f,;");  // the killed half-batch left no trace
  CHECK(sink.stats().retries >= 1);
}

TEST_CASE("a server restart during a flush is waited out and the batch lands exactly") {
  const char* script = std::getenv("CDC_TEST_SANDBOX_SCRIPT");
  const char* dir = std::getenv("CDC_TEST_SANDBOX_DIR");
  REQUIRE_MESSAGE(
      (script != nullptr && dir != nullptr),
      "run through test/run-integration.sh, which exports the sandbox's script and dir");
  MysqlConnection check;
  ConnectOrFail(check);
  Exec(check, "DROP DATABASE IF EXISTS it_restart");
  auto schema = KeyValueTable("it_restart");
  MysqlSink sink(SinkOptions());
  REQUIRE(WriteBatch(sink, schema, {Change(ChangeKind::kInsert, schema, {}, KV(1, "a"), 1)}).ok());
  std::string sandbox = std::string("'") + script + "' ";
  std::string port = std::to_string(testing::SandboxOptions().port);
  REQUIRE(std::system((sandbox + "stop '" + dir + "' > /dev/null").c_str()) == 0);
  Status written = Status::Internal("not run");
  std::thread writer([&] {
    written = WriteBatch(sink, schema,
                         {Change(ChangeKind::kUpdate, schema, KV(1, "a"), KV(1, "b"), 2),
                          Change(ChangeKind::kInsert, schema, {}, KV(2, "c"), 3)});
  });
  REQUIRE(std::system((sandbox + "start '" + dir + "' " + port + " > /dev/null").c_str()) == 0);
  writer.join();
  REQUIRE_MESSAGE(written.ok(), written.ToString());
  MysqlConnection after;
  ConnectOrFail(after);
  CHECK(Rows(after, "it_restart.kv") == "1,b,;2,c,;");
  CHECK(sink.stats().retries >= 1);
}

TEST_CASE("an unreachable server is reported with the address and the fix") {
  MysqlSinkOptions options = SinkOptions();
  options.connection.port = 1;  // nothing listens there
  MysqlSink sink(options);
  Status status = sink.Check();
  REQUIRE_FALSE(status.ok());
  CHECK(status.message().find("cdc@127.0.0.1:1") != std::string::npos);
  CHECK(status.message().find("check that the server runs") != std::string::npos);
}

TEST_CASE("a value the target rejects fails with the table, the key, the error and the position") {
  MysqlConnection check;
  ConnectOrFail(check);
  Exec(check, "DROP DATABASE IF EXISTS it_reject");
  Exec(check, "CREATE DATABASE it_reject");
  Exec(check, "CREATE TABLE it_reject.kv (id INT PRIMARY KEY, v VARCHAR(2))");
  auto schema = KeyValueTable("it_reject");
  MysqlSink sink(SinkOptions());
  Status status = WriteBatch(sink, schema,
                             {Change(ChangeKind::kInsert, schema, {}, KV(1, "ok"), 1),
                              Change(ChangeKind::kInsert, schema, {}, KV(2, "too long"), 77)});
  REQUIRE_FALSE(status.ok());
  CHECK(status.message().find("it_reject.kv") != std::string::npos);
  CHECK(status.message().find("key id=2") != std::string::npos);
  CHECK(status.message().find("mysql-bin.000001:77") != std::string::npos);
  CHECK(status.message().find("1406") != std::string::npos);  // ER_DATA_TOO_LONG
  CHECK(Rows(check, "it_reject.kv").empty());                 // the whole batch rolled back
}

TEST_CASE("rows that trade unique values within a batch and across batches end as the source") {
  MysqlConnection check;
  ConnectOrFail(check);
  Exec(check, "DROP DATABASE IF EXISTS it_unique");
  std::vector<ColumnSchema> columns = {Column("id", ColumnType::kInt, false),
                                       Column("v", ColumnType::kVarChar, false)};
  columns[1].length = 32;
  columns[1].collation = "utf8mb4_general_ci";
  auto schema = *TableSchema::Make(TableId{"it_unique", "kv"}, std::move(columns), {0},
                                   {IndexSchema{"uk_v", {1}}});
  MysqlSink sink(SinkOptions());
  REQUIRE(WriteBatch(sink, schema,
                     {Change(ChangeKind::kInsert, schema, {}, KV(1, "x"), 1),
                      Change(ChangeKind::kInsert, schema, {}, KV(2, "y"), 2)})
              .ok());
  // Swap x and y through a temporary value, as an application must under the constraint.
  Status swapped = WriteBatch(sink, schema,
                              {Change(ChangeKind::kUpdate, schema, KV(1, "x"), KV(1, "tmp"), 3),
                               Change(ChangeKind::kUpdate, schema, KV(2, "y"), KV(2, "x"), 4),
                               Change(ChangeKind::kUpdate, schema, KV(1, "tmp"), KV(1, "y"), 5)});
  REQUIRE_MESSAGE(swapped.ok(), swapped.ToString());
  CHECK(Rows(check, "it_unique.kv") == "1,y,;2,x,;");
  // A value freed in one batch and taken by another row in the next.
  REQUIRE(WriteBatch(sink, schema, {Change(ChangeKind::kUpdate, schema, KV(1, "y"), KV(1, "z"), 6)})
              .ok());
  REQUIRE(WriteBatch(sink, schema,
                     {Change(ChangeKind::kInsert, schema, {}, KV(3, "y"), 7),
                      Change(ChangeKind::kDelete, schema, KV(2, "x"), {}, 8),
                      Change(ChangeKind::kUpdate, schema, KV(3, "y"), KV(3, "x"), 9),
                      Change(ChangeKind::kInsert, schema, {}, KV(4, "y"), 10)})
              .ok());
  CHECK(Rows(check, "it_unique.kv") == "1,z,;3,x,;4,y,;");
}

TEST_CASE("with logical deletes a deleted row's unique value can be taken by a new row") {
  MysqlConnection check;
  ConnectOrFail(check);
  auto unique_kv = [](const std::string& database) {
    std::vector<ColumnSchema> columns = {Column("id", ColumnType::kInt, false),
                                         Column("v", ColumnType::kVarChar, false)};
    columns[1].length = 32;
    columns[1].collation = "utf8mb4_general_ci";
    return *TableSchema::Make(TableId{database, "kv"}, std::move(columns), {0},
                              {IndexSchema{"uk_v", {1}}});
  };
  MysqlSinkOptions options = SinkOptions();
  options.logical_delete.enabled = true;

  // Auto-created: uk_v is a plain index, as a deleted row keeps its value.
  Exec(check, "DROP DATABASE IF EXISTS it_unique_logical");
  TableSchemaPtr schema = unique_kv("it_unique_logical");
  MysqlSink sink(options);
  REQUIRE(WriteBatch(sink, schema, {Change(ChangeKind::kInsert, schema, {}, KV(1, "x"), 1)}).ok());
  REQUIRE(WriteBatch(sink, schema, {Change(ChangeKind::kDelete, schema, KV(1, "x"), {}, 2)}).ok());
  Status written =
      WriteBatch(sink, schema, {Change(ChangeKind::kInsert, schema, {}, KV(2, "x"), 3)});
  REQUIRE_MESSAGE(written.ok(), written.ToString());
  // Without the plain index the upsert of row 2 met row 1 on uk_v and overwrote it.
  CHECK(Rows(check, "it_unique_logical.kv", ", _is_deleted") == "1,x,1,;2,x,0,;");
  CHECK(QueryValue(check,
                   "SELECT NON_UNIQUE FROM information_schema.STATISTICS WHERE TABLE_SCHEMA "
                   "= 'it_unique_logical' AND INDEX_NAME = 'uk_v'") == "1");

  // A target made by hand with the unique key: refused before any row is written.
  Exec(check, "DROP DATABASE IF EXISTS it_unique_existing");
  Exec(check, "CREATE DATABASE it_unique_existing");
  Exec(check,
       "CREATE TABLE it_unique_existing.kv (id INT PRIMARY KEY, v VARCHAR(32) NOT NULL, "
       "_is_deleted TINYINT(1) NOT NULL DEFAULT 0, UNIQUE KEY uk_v (v))");
  TableSchemaPtr existing = unique_kv("it_unique_existing");
  MysqlSink strict(options);
  Status refused =
      WriteBatch(strict, existing, {Change(ChangeKind::kInsert, existing, {}, KV(1, "x"), 1)});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.message().find("has unique key `uk_v` (v) besides its row key") !=
        std::string::npos);
  CHECK(refused.message().find("logical-delete.tables.exclude: it_unique_existing.kv") !=
        std::string::npos);
  CHECK(QueryValue(check, "SELECT COUNT(*) FROM it_unique_existing.kv") == "0");
}

TEST_CASE("a wrong password is reported at start with the user, the server and the fix") {
  MysqlSinkOptions options = SinkOptions();
  options.connection.password = "wrong";
  MysqlSink sink(options);
  Status status = sink.Check();
  REQUIRE_FALSE(status.ok());
  CHECK(status.message().find("cdc@127.0.0.1") != std::string::npos);
  CHECK(status.message().find("1045") != std::string::npos);
  CHECK(status.message().find("check the user name and password") != std::string::npos);
}

}  // namespace cdc

namespace cdc {

TEST_CASE("with sql-log-bin off the target does not binlog the sink's writes") {
  MysqlConnection check;
  ConnectOrFail(check);
  auto binlog_end = [&] {
    auto rows = check.Query("SHOW MASTER STATUS");
    REQUIRE(rows.ok());
    REQUIRE(rows->size() == 1);
    return *(*rows)[0][0] + ":" + *(*rows)[0][1];
  };
  Exec(check, "DROP DATABASE IF EXISTS it_nobinlog");
  Exec(check, "CREATE DATABASE it_nobinlog");
  Exec(check, "CREATE TABLE it_nobinlog.kv (id INT NOT NULL PRIMARY KEY, v VARCHAR(32))");
  TableSchemaPtr schema = KeyValueTable("it_nobinlog");
  for (bool write_binlog : {false, true}) {
    CAPTURE(write_binlog);
    MysqlSinkOptions options = SinkOptions();
    options.write_binlog = write_binlog;
    MysqlSink sink(options);
    std::string before = binlog_end();
    Status written = WriteBatch(sink, schema,
                                {Change(ChangeKind::kInsert, schema, {}, KV(1, "a"), 1),
                                 Change(ChangeKind::kInsert, schema, {}, KV(2, "b"), 2)});
    REQUIRE_MESSAGE(written.ok(), written.ToString());
    CHECK(QueryValue(check, "SELECT COUNT(*) FROM it_nobinlog.kv") == "2");
    CHECK((binlog_end() == before) == !write_binlog);
    Exec(check, "SET sql_log_bin = 0");
    Exec(check, "DELETE FROM it_nobinlog.kv");
    Exec(check, "SET sql_log_bin = 1");
  }

  SUBCASE("a user who may not turn the binlog off is told the privilege to grant") {
    Exec(check, "DROP USER IF EXISTS 'it_plain'@'%'");
    Exec(check, "CREATE USER 'it_plain'@'%' IDENTIFIED BY 'plain'");
    Exec(check, "GRANT ALL ON it_nobinlog.* TO 'it_plain'@'%'");
    MysqlSinkOptions options = SinkOptions();
    options.connection.user = "it_plain";
    options.connection.password = "plain";
    options.write_binlog = false;
    MysqlSink sink(options);
    Status status = sink.Check();
    REQUIRE_FALSE(status.ok());
    CHECK(status.message().find("BINLOG ADMIN") != std::string::npos);
    CHECK(status.message().find("sql-log-bin: true") != std::string::npos);
    Exec(check, "DROP USER 'it_plain'@'%'");
  }
}

}  // namespace cdc
