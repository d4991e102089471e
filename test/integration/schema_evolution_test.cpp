// Schema evolution end to end against the sandboxed MariaDB: a live MySQL CDC source keyed
// over two sink subtasks into a copy database, while the source runs DDL interleaved with
// inserts, updates and deletes. The copy must end with the source's schema (column names,
// native types, nullability, defaults, comments, collations, indexes, table options) and rows;
// a DDL held up on the target delays only its own table; each schema change behaviour does what
// it says.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <chrono>
#include <future>
#include <string>

#include "connectors/mysql/client/sql_literal.h"
#include "connectors/mysql/sink/mysql_sink.h"
#include "schema/ddl_parser.h"
#include "schema/schema_catalog.h"
#include "test/integration/catalog_schema_change.h"
#include "test/integration/live_job.h"
#include "test/integration/mysql_test_env.h"
#include "test/integration/table_definitions.h"

namespace cdc {
namespace {

using testing::ConnectOrFail;
using testing::Eventually;
using testing::Exec;
using testing::LiveJob;
using testing::QueryValue;
using testing::TableText;

// db.table's definition as information_schema shows it (test/integration/table_definitions.h):
// columns with their types, defaults, comments, character sets and collations, indexes, and
// the table's comment and collation.
std::string Definition(MysqlConnection& check, const std::string& database,
                       const std::string& table) {
  return testing::TableDefinition(check, database, table, {}, true);
}

std::string Tables(MysqlConnection& check, const std::string& database) {
  return QueryValue(check,
                    fmt::format("SELECT IFNULL(GROUP_CONCAT(TABLE_NAME ORDER BY TABLE_NAME), '') "
                                "FROM information_schema.TABLES WHERE TABLE_SCHEMA = '{}'",
                                database));
}

// The first difference between source `database` and its copy (tables, definitions, rows);
// empty when they are equal.
std::string Difference(MysqlConnection& check, const std::string& database,
                       const std::string& copy) {
  std::string tables = Tables(check, database);
  if (tables != Tables(check, copy)) return "tables: " + tables + " vs " + Tables(check, copy);
  size_t start = 0;
  while (start < tables.size()) {
    size_t comma = tables.find(',', start);
    if (comma == std::string::npos) comma = tables.size();
    std::string table = tables.substr(start, comma - start);
    start = comma + 1;
    std::string source = Definition(check, database, table),
                target = Definition(check, copy, table);
    if (source != target) return table + " definition:\n" + source + "vs\n" + target;
    source = TableText(check, database + "." + table);
    target = TableText(check, copy + "." + table);
    if (source != target) return table + " rows:\n" + source + "vs\n" + target;
  }
  return "";
}

bool Equal(MysqlConnection& check, const std::string& database, const std::string& copy) {
  return Difference(check, database, copy).empty();
}

void Recreate(MysqlConnection& check, const std::string& database, const std::string& copy) {
  Exec(check, "DROP DATABASE IF EXISTS " + database);
  Exec(check, "DROP DATABASE IF EXISTS " + copy);
  Exec(check, "CREATE DATABASE " + database);
}

}  // namespace

TEST_CASE("DDL interleaved with row changes leaves the copy with the source's schema and rows") {
  MysqlConnection check;
  ConnectOrFail(check);
  Recreate(check, "it_evo", "it_evo_copy");
  Exec(check,
       "CREATE TABLE it_evo.orders (id INT PRIMARY KEY, qty INT NOT NULL, note VARCHAR(20)) "
       "DEFAULT CHARSET=utf8mb4");
  Exec(check,
       "CREATE TABLE it_evo.items (sku VARCHAR(16) NOT NULL, wh INT NOT NULL, n INT, "
       "PRIMARY KEY (sku)) DEFAULT CHARSET=latin1");
  Exec(check, "CREATE TABLE it_evo.a (id INT PRIMARY KEY, side CHAR(1))");
  Exec(check, "CREATE TABLE it_evo.b (id INT PRIMARY KEY, side CHAR(1), extra INT)");
  Exec(check, "CREATE TABLE it_evo.temp (id INT PRIMARY KEY, v INT)");
  Exec(check, "CREATE TABLE it_evo.steps (id INT AUTO_INCREMENT PRIMARY KEY, statement TEXT)");
  for (int i = 0; i < 50; ++i) {
    Exec(check, fmt::format("INSERT INTO it_evo.orders VALUES ({}, {}, 'n{}')", i, i % 7, i));
    Exec(check, fmt::format("INSERT INTO it_evo.items VALUES ('s{}', {}, {})", i, i % 3, i));
  }
  Exec(check, "INSERT INTO it_evo.a VALUES (1, 'a'), (2, 'a')");
  Exec(check, "INSERT INTO it_evo.b VALUES (1, 'b', 10)");
  Exec(check, "INSERT INTO it_evo.temp VALUES (1, 1)");

  LiveJob job("it_evo", "it_evo_copy", 4301, SchemaChangeBehavior::kEvolve);
  REQUIRE_MESSAGE(Eventually([&] { return Equal(check, "it_evo", "it_evo_copy"); }),
                  Difference(check, "it_evo", "it_evo_copy"));

  const char* workload[] = {
      "ALTER TABLE it_evo.orders ADD COLUMN status VARCHAR(10) NOT NULL DEFAULT 'new' AFTER qty",
      "UPDATE it_evo.orders SET status = 'paid' WHERE id % 3 = 0",
      "INSERT INTO it_evo.orders VALUES (100, 1, 'shipped', 'late')",
      "ALTER TABLE it_evo.orders MODIFY note VARCHAR(100) CHARACTER SET latin1 COLLATE latin1_bin",
      "UPDATE it_evo.orders SET note = CONCAT(note, ' caf\xc3\xa9') WHERE id < 10",
      "ALTER TABLE it_evo.orders CHANGE qty quantity BIGINT UNSIGNED NOT NULL",
      "UPDATE it_evo.orders SET quantity = quantity + 5000000000 WHERE id % 4 = 0",
      "ALTER TABLE it_evo.orders RENAME COLUMN status TO state",
      "INSERT INTO it_evo.orders (id, quantity, state) VALUES (101, 2, 'renamed')",
      "ALTER TABLE it_evo.orders DROP COLUMN note, ADD INDEX idx_state (state)",
      "DELETE FROM it_evo.orders WHERE id % 5 = 1",
      "ALTER TABLE it_evo.orders DROP INDEX idx_state, ADD COLUMN created DATETIME(3) NULL FIRST",
      "UPDATE it_evo.orders SET created = '2024-05-06 07:08:09.123' WHERE id % 2 = 0",
      "ALTER TABLE it_evo.items DROP PRIMARY KEY, ADD PRIMARY KEY (sku, wh)",
      "INSERT INTO it_evo.items VALUES ('s1', 9, 1)",
      "DELETE FROM it_evo.items WHERE sku = 's2'",
      "RENAME TABLE it_evo.items TO it_evo.items_v2",
      "INSERT INTO it_evo.items_v2 VALUES ('s100', 1, 100)",
      "UPDATE it_evo.items_v2 SET n = n * 2 WHERE wh = 1",
      "TRUNCATE TABLE it_evo.a",
      "INSERT INTO it_evo.a VALUES (5, 'a')",
      "DROP TABLE it_evo.temp",
      "CREATE TABLE it_evo.temp (id BIGINT PRIMARY KEY, label VARCHAR(8) CHARACTER SET ascii)",
      "INSERT INTO it_evo.temp VALUES (7, 'again')",
      "CREATE TABLE it_evo.orders_archive LIKE it_evo.orders",
      "INSERT INTO it_evo.orders_archive SELECT * FROM it_evo.orders WHERE id < 20",
      "RENAME TABLE it_evo.a TO it_evo.tmp, it_evo.b TO it_evo.a, it_evo.tmp TO it_evo.b",
      "INSERT INTO it_evo.a VALUES (9, 'b', 99)",
      "INSERT INTO it_evo.b VALUES (9, 'a')",
      "ALTER TABLE it_evo.orders CONVERT TO CHARACTER SET latin1",
      "UPDATE it_evo.orders SET state = 'conv' WHERE id = 100",
  };
  for (const char* statement : workload) {
    Exec(check, statement);
    std::string step = "INSERT INTO it_evo.steps (statement) VALUES (";
    AppendQuoted(statement, step);
    Exec(check, step + ")");
  }
  bool equal = Eventually([&] { return Equal(check, "it_evo", "it_evo_copy"); });
  Status status = job.Stop();
  REQUIRE_MESSAGE(status.ok(), status.ToString());
  CHECK_MESSAGE(equal, Difference(check, "it_evo", "it_evo_copy"));
  for (const char* table : {"orders", "items_v2", "a", "b", "temp", "orders_archive", "steps"}) {
    INFO(table);
    CHECK(Definition(check, "it_evo", table) == Definition(check, "it_evo_copy", table));
    CHECK(TableText(check, std::string("it_evo.") + table) ==
          TableText(check, std::string("it_evo_copy.") + table));
  }
  CHECK(Tables(check, "it_evo") == Tables(check, "it_evo_copy"));
  // Every change was recorded once in the schema history.
  CHECK(std::stoi(QueryValue(check,
                             "SELECT COUNT(*) FROM cdc_state.schema_history WHERE pipeline = "
                             "'it_evo_copy'")) >= 14);
}

TEST_CASE("a DDL held up on the target delays only its own table's rows") {
  MysqlConnection check;
  ConnectOrFail(check);
  Recreate(check, "it_evo_slow", "it_evo_slow_copy");
  Exec(check, "CREATE TABLE it_evo_slow.big (id INT PRIMARY KEY, v INT)");
  Exec(check, "CREATE TABLE it_evo_slow.other (id INT PRIMARY KEY, v INT)");
  Exec(check, "INSERT INTO it_evo_slow.big VALUES (1, 1)");
  Exec(check, "INSERT INTO it_evo_slow.other VALUES (1, 1)");
  LiveJob job("it_evo_slow", "it_evo_slow_copy", 4302, SchemaChangeBehavior::kEvolve);
  REQUIRE(Eventually([&] { return Equal(check, "it_evo_slow", "it_evo_slow_copy"); }));

  // An open transaction that read the copy holds its metadata lock: the ALTER waits for it.
  MysqlConnection blocker;
  ConnectOrFail(blocker);
  Exec(blocker, "START TRANSACTION");
  Exec(blocker, "SELECT * FROM it_evo_slow_copy.big");
  Exec(check, "ALTER TABLE it_evo_slow.big ADD COLUMN w INT");
  Exec(check, "INSERT INTO it_evo_slow.big VALUES (2, 2, 2)");
  for (int i = 2; i <= 20; ++i)
    Exec(check, fmt::format("INSERT INTO it_evo_slow.other VALUES ({}, {})", i, i));
  // The other table's rows arrive while the ALTER still waits.
  bool other_flowed = Eventually(
      [&] { return QueryValue(check, "SELECT COUNT(*) FROM it_evo_slow_copy.other") == "20"; });
  // The ALTER is still waiting (reading the copy's table itself would wait behind it too).
  std::string waiting =
      QueryValue(check,
                 "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE "
                 "'ALTER TABLE `it_evo_slow_copy`.`big`%' AND STATE LIKE '%metadata lock%'");
  Exec(blocker, "COMMIT");
  bool equal = Eventually([&] { return Equal(check, "it_evo_slow", "it_evo_slow_copy"); });
  Status status = job.Stop();
  REQUIRE_MESSAGE(status.ok(), status.ToString());
  CHECK(other_flowed);
  CHECK(waiting == "1");
  CHECK(equal);
}

namespace {

// The behaviours' shared workload on it_beh.t (id, a, b, c): add d, drop b, rename c to c2,
// truncate, then rows.
void RunBehaviourWorkload(MysqlConnection& check) {
  Exec(check, "ALTER TABLE it_beh.t ADD COLUMN d INT NOT NULL DEFAULT 4");
  Exec(check, "INSERT INTO it_beh.t VALUES (2, 'a2', 'b2', 'c2', 42)");
  Exec(check, "ALTER TABLE it_beh.t DROP COLUMN b");
  Exec(check, "INSERT INTO it_beh.t VALUES (3, 'a3', 'c3', 43)");
  Exec(check, "ALTER TABLE it_beh.t RENAME COLUMN c TO c2");
  Exec(check, "INSERT INTO it_beh.t VALUES (4, 'a4', 'c4', 44)");
  Exec(check, "UPDATE it_beh.t SET c2 = 'c1x' WHERE id = 1");
}

void PrepareBehaviour(MysqlConnection& check) {
  Recreate(check, "it_beh", "it_beh_copy");
  Exec(check,
       "CREATE TABLE it_beh.t (id INT PRIMARY KEY, a VARCHAR(8), b VARCHAR(8) NOT NULL, c "
       "VARCHAR(8))");
  Exec(check, "INSERT INTO it_beh.t VALUES (1, 'a1', 'b1', 'c1')");
}

std::string Columns(MysqlConnection& check) {
  return QueryValue(check,
                    "SELECT GROUP_CONCAT(CONCAT(COLUMN_NAME, IF(IS_NULLABLE = 'YES', '?', '')) "
                    "ORDER BY ORDINAL_POSITION) FROM information_schema.COLUMNS WHERE "
                    "TABLE_SCHEMA = 'it_beh_copy' AND TABLE_NAME = 't'");
}

}  // namespace

TEST_CASE("schema change behaviours: evolve, lenient, ignore, try_evolve and exception") {
  MysqlConnection check;
  ConnectOrFail(check);

  SUBCASE("evolve applies every change") {
    PrepareBehaviour(check);
    LiveJob job("it_beh", "it_beh_copy", 4311, SchemaChangeBehavior::kEvolve);
    REQUIRE(Eventually([&] { return Equal(check, "it_beh", "it_beh_copy"); }));
    RunBehaviourWorkload(check);
    CHECK(Eventually([&] { return Equal(check, "it_beh", "it_beh_copy"); }));
    Status status = job.Stop();
    REQUIRE_MESSAGE(status.ok(), status.ToString());
    CHECK(Columns(check) == "id,a?,c2?,d");
  }

  SUBCASE("lenient keeps dropped and renamed columns, nullable, and adds the new name") {
    PrepareBehaviour(check);
    LiveJob job("it_beh", "it_beh_copy", 4312, SchemaChangeBehavior::kLenient);
    REQUIRE(Eventually([&] { return Equal(check, "it_beh", "it_beh_copy"); }));
    RunBehaviourWorkload(check);
    Exec(check, "TRUNCATE TABLE it_beh.t");
    Exec(check, "INSERT INTO it_beh.t VALUES (5, 'a5', 'c5', 45)");
    bool arrived = Eventually([&] {
      return QueryValue(check, "SELECT COUNT(*) FROM it_beh_copy.t WHERE id = 5") == "1";
    });
    Status status = job.Stop();
    REQUIRE_MESSAGE(status.ok(), status.ToString());
    CHECK(arrived);
    CHECK(Columns(check) == "id,a?,b?,c?,d?,c2?");
    // Nothing was lost: the truncate was not applied and old values stay in old columns.
    CHECK(TableText(check, "it_beh_copy.t") ==
          "1|a1|b1|c1|4|c1x|\n2|a2|b2|c2|42|NULL|\n3|a3|NULL|c3|43|NULL|\n4|a4|NULL|NULL|44|c4|\n"
          "5|a5|NULL|NULL|45|c5|\n");
  }

  SUBCASE("ignore keeps the target's columns and writes rows to them") {
    PrepareBehaviour(check);
    LiveJob job("it_beh", "it_beh_copy", 4313, SchemaChangeBehavior::kIgnore);
    REQUIRE(Eventually([&] { return Equal(check, "it_beh", "it_beh_copy"); }));
    // b is NOT NULL on the target: give it a default so rows without it can land.
    Exec(check, "ALTER TABLE it_beh_copy.t MODIFY b VARCHAR(8) NOT NULL DEFAULT '-'");
    RunBehaviourWorkload(check);
    bool arrived =
        Eventually([&] { return QueryValue(check, "SELECT COUNT(*) FROM it_beh_copy.t") == "4"; });
    Status status = job.Stop();
    REQUIRE_MESSAGE(status.ok(), status.ToString());
    CHECK(arrived);
    CHECK(Columns(check) == "id,a?,b,c?");
    CHECK(TableText(check, "it_beh_copy.t") ==
          "1|a1|b1|c1|\n2|a2|b2|c2|\n3|a3|-|c3|\n4|a4|-|NULL|\n");
  }

  SUBCASE("try_evolve keeps going when the target rejects a change") {
    PrepareBehaviour(check);
    LiveJob job("it_beh", "it_beh_copy", 4314, SchemaChangeBehavior::kTryEvolve);
    REQUIRE(Eventually([&] { return Equal(check, "it_beh", "it_beh_copy"); }));
    // The copy holds a duplicate the source does not: the unique key cannot be added there.
    Exec(check, "INSERT INTO it_beh_copy.t VALUES (90, 'a1', 'x', NULL)");
    Exec(check, "ALTER TABLE it_beh.t ADD UNIQUE KEY uk_a (a), ADD COLUMN e INT");
    Exec(check, "INSERT INTO it_beh.t VALUES (2, 'a2', 'b2', 'c2', 7)");
    bool arrived = Eventually([&] {
      return QueryValue(check, "SELECT COUNT(*) FROM it_beh_copy.t WHERE id = 2") == "1";
    });
    Status status = job.Stop();
    REQUIRE_MESSAGE(status.ok(), status.ToString());
    CHECK(arrived);
    CHECK(Columns(check) == "id,a?,b,c?");  // the whole ALTER was rejected; e is not written
  }

  SUBCASE("evolve stops the job when the target rejects a change, naming it and the fix") {
    PrepareBehaviour(check);
    LiveJob job("it_beh", "it_beh_copy", 4316, SchemaChangeBehavior::kEvolve);
    REQUIRE(Eventually([&] { return Equal(check, "it_beh", "it_beh_copy"); }));
    Exec(check, "INSERT INTO it_beh_copy.t VALUES (90, 'a1', 'x', NULL)");
    Exec(check, "ALTER TABLE it_beh.t ADD UNIQUE KEY uk_a (a)");
    auto ended = job.run.wait_for(std::chrono::seconds(30));
    REQUIRE(ended == std::future_status::ready);
    Status status = job.run.get();
    REQUIRE_FALSE(status.ok());
    CHECK(status.message().find(
              "the target rejected the schema change at source position mysql-bin.") !=
          std::string::npos);
    CHECK(status.message().find("ADD UNIQUE KEY uk_a (a)") != std::string::npos);
    CHECK(status.message().find("server error 1062") != std::string::npos);
    CHECK(status.message().find("set schema.change.behavior to try_evolve or lenient") !=
          std::string::npos);
  }

  SUBCASE("exception stops the job at the first schema change, after the rows before it") {
    PrepareBehaviour(check);
    LiveJob job("it_beh", "it_beh_copy", 4315, SchemaChangeBehavior::kException);
    REQUIRE(Eventually([&] { return Equal(check, "it_beh", "it_beh_copy"); }));
    Exec(check, "INSERT INTO it_beh.t VALUES (2, 'a2', 'b2', 'c2')");
    Exec(check, "ALTER TABLE it_beh.t ADD COLUMN d INT");
    Exec(check, "INSERT INTO it_beh.t VALUES (3, 'a3', 'b3', 'c3', 3)");
    auto ended = job.run.wait_for(std::chrono::seconds(30));
    REQUIRE(ended == std::future_status::ready);
    Status status = job.run.get();
    CHECK_FALSE(status.ok());
    CHECK(status.message().find("schema.change.behavior is exception") != std::string::npos);
    CHECK(status.message().find("ADD COLUMN d INT") != std::string::npos);
    CHECK(TableText(check, "it_beh_copy.t") == "1|a1|b1|c1|\n2|a2|b2|c2|\n");
    CHECK(Columns(check) == "id,a?,b,c?");
  }
}

}  // namespace cdc

namespace cdc {
namespace {

RowChange Insert(const TableSchemaPtr& schema, Row row, uint64_t offset) {
  RowChange change;
  change.kind = ChangeKind::kInsert;
  change.table = schema.get();
  change.after = std::move(row);
  change.position = SourcePosition{"mysql-bin.000007", offset, ""};
  return change;
}

// `database`.t (id INT PRIMARY KEY, a INT, b INT), v1, then ALTER TABLE t DROP COLUMN a, v2,
// and that DROP as the schema change a source emits (without a position).
testing::CatalogSchemaChange DropColumnOf(const std::string& database) {
  return testing::SchemaChangeOf(database, "CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT)",
                                 "ALTER TABLE t DROP COLUMN a");
}

}  // namespace

TEST_CASE("after a restart, a replayed schema change and the rows before it are passed over") {
  MysqlConnection check;
  ConnectOrFail(check);
  Exec(check, "DROP DATABASE IF EXISTS it_evo_replay");
  auto [v1, v2, drop] = DropColumnOf("it_evo_replay");
  drop.position = SourcePosition{"mysql-bin.000007", 200, ""};

  MysqlSinkOptions options;
  options.connection = testing::SandboxOptions();
  options.pipeline_name = "it_evo_replay";
  {
    MysqlSink first(options);  // the run that crashed after applying the DROP COLUMN
    REQUIRE(testing::WriteThroughSink(
                first, v1, {Insert(v1, {Value::Int(1), Value::Int(10), Value::Int(100)}, 100)})
                .ok());
    Status dropped = testing::WriteThroughSink(first, v2, {drop});
    REQUIRE_MESSAGE(dropped.ok(), dropped.ToString());
  }
  options.resuming = true;
  MysqlSink second(options);  // the restart replays from a checkpoint before both
  Status replayed = testing::WriteThroughSink(
      second, v1,
      {Insert(v1, {Value::Int(1), Value::Int(10), Value::Int(100)}, 100),
       Insert(v1, {Value::Int(2), Value::Int(20), Value::Int(200)}, 150)});
  REQUIRE_MESSAGE(replayed.ok(), replayed.ToString());
  REQUIRE(testing::WriteThroughSink(second, v2, {drop}).ok());
  REQUIRE(testing::WriteThroughSink(second, v2, {Insert(v2, {Value::Int(3), Value::Int(300)}, 250)})
              .ok());
  // Row 2 was written before the DROP in the first run (its barrier saw to it), so nothing is lost
  // by passing it over here; in this test it never was, which shows it was passed over.
  CHECK(TableText(check, "it_evo_replay.t") == "1|100|\n3|300|\n");
  CHECK(QueryValue(
            check,
            "SELECT COUNT(*) FROM cdc_state.schema_history WHERE pipeline = 'it_evo_replay'") ==
        "1");
}

TEST_CASE(
    "after a failover, changes from the new server are ordered against the applied ones by GTID") {
  // The first run applied a DROP COLUMN read from server A; the restart reads server B, whose
  // binlog holds the same transactions (same GTIDs) in an earlier-numbered file.
  MysqlConnection check;
  ConnectOrFail(check);
  Exec(check, "DROP DATABASE IF EXISTS it_evo_failover");
  auto [v1, v2, drop] = DropColumnOf("it_evo_failover");
  auto at = [](RowChange change, const char* file, uint64_t offset, const char* gtid) {
    change.position =
        SourcePosition{file, offset, gtid, change.kind == ChangeKind::kSchemaChange ? 0u : 1u};
    return change;
  };

  MysqlSinkOptions options;
  options.connection = testing::SandboxOptions();
  options.pipeline_name = "it_evo_failover";
  {
    MysqlSink first(options);  // from server A, then stopped
    RowChange one = Insert(v1, {Value::Int(1), Value::Int(10), Value::Int(100)}, 0);
    REQUIRE(testing::WriteThroughSink(first, v1, {at(one, "mysql-bin.000007", 100, "0-1-5")}).ok());
    Status dropped =
        testing::WriteThroughSink(first, v2, {at(drop, "mysql-bin.000007", 200, "0-1-6")});
    REQUIRE_MESSAGE(dropped.ok(), dropped.ToString());
  }
  options.resuming = true;
  MysqlSink second(options);  // from server B: the replay, then what is new
  RowChange two = Insert(v1, {Value::Int(2), Value::Int(20), Value::Int(200)}, 0);
  REQUIRE(testing::WriteThroughSink(second, v1, {at(two, "mysql-bin.000002", 90, "0-1-5")}).ok());
  Status replayed =
      testing::WriteThroughSink(second, v2, {at(drop, "mysql-bin.000002", 150, "0-1-6")});
  REQUIRE_MESSAGE(replayed.ok(), replayed.ToString());  // applied already: not run again
  RowChange three = Insert(v2, {Value::Int(3), Value::Int(300)}, 0);
  REQUIRE(
      testing::WriteThroughSink(second, v2, {at(three, "mysql-bin.000002", 300, "0-1-7")}).ok());
  // Row 2 precedes the DROP (GTID 0-1-5 < 0-1-6) and is passed over as in any replay; row 3
  // follows it although its file sorts before A's.
  CHECK(TableText(check, "it_evo_failover.t") == "1|100|\n3|300|\n");
  CHECK(QueryValue(
            check,
            "SELECT COUNT(*) FROM cdc_state.schema_history WHERE pipeline = 'it_evo_failover'") ==
        "1");
}

TEST_CASE("rows of another GTID domain order against a DDL by the source's GTIDs after it") {
  // Domain 1's transactions up to 1-1-40 came before the DROP (0-1-6); the binlog was then
  // rebuilt by RESET MASTER, so a later row sits in a file numbered lower than the DROP's.
  MysqlConnection check;
  ConnectOrFail(check);
  Exec(check, "DROP DATABASE IF EXISTS it_evo_domains");
  auto [v1, v2, drop] = DropColumnOf("it_evo_domains");
  SchemaChange with_state = *drop.schema_change;
  with_state.source_gtids = "0-1-6,1-1-40";
  drop.schema_change = std::make_shared<const SchemaChange>(with_state);
  auto at = [](RowChange change, const char* file, uint64_t offset, const char* gtid) {
    change.position =
        SourcePosition{file, offset, gtid, change.kind == ChangeKind::kSchemaChange ? 0u : 1u, 7};
    return change;
  };
  MysqlSinkOptions options;
  options.connection = testing::SandboxOptions();
  options.pipeline_name = "it_evo_domains";
  {
    MysqlSink first(options);
    REQUIRE(
        testing::WriteThroughSink(first, v2, {at(drop, "mysql-bin.000007", 200, "0-1-6")}).ok());
  }
  options.resuming = true;
  MysqlSink second(options);
  RowChange before = Insert(v1, {Value::Int(1), Value::Int(10), Value::Int(100)}, 0);
  REQUIRE(
      testing::WriteThroughSink(second, v1, {at(before, "mysql-bin.000007", 150, "1-1-40")}).ok());
  RowChange after = Insert(v2, {Value::Int(2), Value::Int(200)}, 0);
  REQUIRE(
      testing::WriteThroughSink(second, v2, {at(after, "mysql-bin.000001", 300, "1-1-41")}).ok());
  // A row of the DDL's own transaction after it (as CREATE TABLE ... SELECT logs its rows).
  RowChange same = Insert(v2, {Value::Int(3), Value::Int(300)}, 0);
  REQUIRE(testing::WriteThroughSink(second, v2, {at(same, "mysql-bin.000007", 250, "0-1-6")}).ok());
  CHECK(TableText(check, "it_evo_domains.t") == "2|200|\n3|300|\n");
  CHECK(
      QueryValue(
          check,
          "SELECT source_gtids FROM cdc_state.schema_history WHERE pipeline = 'it_evo_domains'") ==
      "0-1-6,1-1-40");
}

TEST_CASE("after a failover, rows of a table whose last schema change was its snapshot are kept") {
  // The snapshot's create carries a file position and no GTID; rows from the other server,
  // whose file sorts before it, cannot be ordered against it and are applied, never dropped.
  MysqlConnection check;
  ConnectOrFail(check);
  Exec(check, "DROP DATABASE IF EXISTS it_evo_snapfloor");
  SchemaCatalog catalog;
  std::vector<TableId> named;
  std::vector<SchemaChange> changes;
  const std::string sql = "CREATE TABLE t (id INT PRIMARY KEY, v INT)";
  auto statement = ParseDdl(sql, "it_evo_snapfloor");
  REQUIRE(statement.ok());
  REQUIRE(catalog.Apply(*statement, sql, named, changes).ok());
  REQUIRE(changes.size() == 1);
  TableSchemaPtr schema = catalog.Find(TableId{"it_evo_snapfloor", "t"});
  RowChange create;
  create.kind = ChangeKind::kSchemaChange;
  create.table = schema.get();
  create.schema_change = std::make_shared<const SchemaChange>(changes[0]);
  create.position = SourcePosition{"mysql-bin.000042", 4, ""};  // a snapshot's, on server A

  MysqlSinkOptions options;
  options.connection = testing::SandboxOptions();
  options.pipeline_name = "it_evo_snapfloor";
  {
    MysqlSink first(options);
    REQUIRE(testing::WriteThroughSink(first, schema, {create}).ok());
  }
  options.resuming = true;
  MysqlSink second(options);  // streaming from server B
  RowChange one = Insert(schema, {Value::Int(1), Value::Int(10)}, 0);
  one.position = SourcePosition{"mysql-bin.000007", 900, "0-2-31", 1};
  REQUIRE(testing::WriteThroughSink(second, schema, {one}).ok());
  CHECK(TableText(check, "it_evo_snapfloor.t") == "1|10|\n");
}

}  // namespace cdc
