// Target tables as the source has them, end to end against the sandboxed MariaDB: a live MySQL
// CDC source into a copy database, and the copy's definitions compared with the source's in
// information_schema (test/integration/table_definitions.h) for tables the sink creates at the
// snapshot, by CREATE TABLE, CREATE TABLE ... LIKE and auto-create, and after ALTERs; the
// documented differences under logical deletes and projections; MariaDB's UUID, INET4 and INET6
// values through the snapshot and the binlog; and DROP DATABASE.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <map>
#include <string>
#include <vector>

#include "test/integration/all_types.h"
#include "test/integration/live_job.h"
#include "test/integration/mysql_test_env.h"
#include "test/integration/table_definitions.h"

namespace cdc {
namespace {

using testing::ConnectOrFail;
using testing::DefinitionAllowance;
using testing::DefinitionDifference;
using testing::Eventually;
using testing::Exec;
using testing::LiveJob;
using testing::LiveJobOptions;
using testing::QueryValue;
using testing::TableText;

std::vector<std::string> Tables(MysqlConnection& check, const std::string& database) {
  auto rows = check.Query(fmt::format(
      "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '{}' ORDER BY 1",
      database));
  REQUIRE(rows.ok());
  std::vector<std::string> names;
  for (const auto& row : *rows) names.push_back(*row[0]);
  return names;
}

// The first difference between every table of `database` and its copy: the tables there,
// their definitions (but for `allowance`, by table) and their rows (`columns` of them: the
// projected ones under a projection); empty when equal.
std::string Difference(MysqlConnection& check, const std::string& database, const std::string& copy,
                       const std::map<std::string, DefinitionAllowance>& allowances = {},
                       const std::map<std::string, std::string>& columns = {}) {
  const std::vector<std::string> tables = Tables(check, database);
  if (tables != Tables(check, copy)) {
    return fmt::format("tables: {} vs {}", fmt::join(tables, ","),
                       fmt::join(Tables(check, copy), ","));
  }
  for (const std::string& table : tables) {
    auto allowance = allowances.find(table);
    std::string difference = DefinitionDifference(
        check, database, check, copy, table,
        allowance == allowances.end() ? DefinitionAllowance{} : allowance->second);
    if (!difference.empty()) return difference;
    auto selected = columns.find(table);
    std::string list = selected == columns.end() ? "*" : selected->second;
    std::string where = selected == columns.end() ? "" : " WHERE _is_deleted = 0";
    std::string source =
        TableText(check, fmt::format("(SELECT {} FROM {}.{}) s", list, database, table));
    std::string target =
        TableText(check, fmt::format("(SELECT {} FROM {}.{}{}) t", list, copy, table, where));
    if (source != target) return table + " rows:\n" + source + "vs\n" + target;
  }
  return "";
}

void Recreate(MysqlConnection& check, const std::string& database, const std::string& copy) {
  Exec(check, "DROP DATABASE IF EXISTS " + database);
  Exec(check, "DROP DATABASE IF EXISTS " + copy);
  Exec(check, "CREATE DATABASE " + database);
}

std::string ColumnDefault(MysqlConnection& check, const std::string& database,
                          const std::string& table, const std::string& column) {
  return QueryValue(
      check, fmt::format("SELECT IFNULL(COLUMN_DEFAULT, '(none)') FROM information_schema.COLUMNS "
                         "WHERE TABLE_SCHEMA = '{}' AND TABLE_NAME = '{}' AND COLUMN_NAME = '{}'",
                         database, table, column));
}

std::string Indexes(MysqlConnection& check, const std::string& database, const std::string& table) {
  return QueryValue(
      check, fmt::format("SELECT IFNULL(GROUP_CONCAT(DISTINCT INDEX_NAME ORDER BY INDEX_NAME), '') "
                         "FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = '{}' AND "
                         "TABLE_NAME = '{}'",
                         database, table));
}

}  // namespace

TEST_CASE(
    "tables created at the snapshot, by CREATE, CREATE ... LIKE and ALTERed keep the source's "
    "definitions") {
  MysqlConnection check;
  ConnectOrFail(check);
  Recreate(check, "it_def", "it_def_copy");
  // sysbench's table, in latin1.
  Exec(check,
       "CREATE TABLE it_def.sbtest1 (id INT AUTO_INCREMENT PRIMARY KEY, k INT NOT NULL DEFAULT 0, "
       "c CHAR(120) NOT NULL DEFAULT '', pad CHAR(60) NOT NULL DEFAULT '', KEY k_1 (k)) "
       "DEFAULT CHARSET=latin1");
  for (int i = 1; i <= 20; ++i) {
    Exec(check, fmt::format("INSERT INTO it_def.sbtest1 (k, c, pad) VALUES ({}, 'c{}', 'p{}')",
                            i % 5, i, i));
  }
  Exec(check,
       "CREATE TABLE it_def.a (id INT PRIMARY KEY, v INT DEFAULT 5 COMMENT 'c', "
       "w VARCHAR(5) NOT NULL DEFAULT 'x', KEY iv (v))");
  Exec(check, "INSERT INTO it_def.a (id) VALUES (1), (2)");
  Exec(check, testing::AllTypesCreateSql("it_def"));
  Exec(check, "INSERT INTO it_def.all_types (id) VALUES (1)");
  Exec(check,
       "CREATE TABLE it_def.places (id INT PRIMARY KEY, p POINT NOT NULL, label TEXT, "
       "SPATIAL KEY sp (p), FULLTEXT KEY ft (label)) COMMENT 'it''s \\\\ here' ENGINE=Aria");
  Exec(check, "INSERT INTO it_def.places VALUES (1, ST_PointFromText('POINT(1 2)'), 'one')");
  Exec(check,
       "CREATE TABLE it_def.ids (id UUID PRIMARY KEY, ip4 INET4 DEFAULT '10.0.0.1', "
       "ip6 INET6 NOT NULL DEFAULT '::1', KEY k_ip6 (ip6))");
  Exec(check, "INSERT INTO it_def.ids (id) VALUES ('123e4567-e89b-12d3-a456-426655440000')");

  LiveJob job(LiveJobOptions{"it_def", "it_def_copy", 4401});
  REQUIRE_MESSAGE(Eventually([&] { return Difference(check, "it_def", "it_def_copy").empty(); }),
                  Difference(check, "it_def", "it_def_copy"));
  // The comparison is not vacuous: the snapshot's tables have what they lacked before.
  CHECK(ColumnDefault(check, "it_def_copy", "sbtest1", "k") == "0");
  CHECK(ColumnDefault(check, "it_def_copy", "sbtest1", "pad") == "''");
  CHECK(Indexes(check, "it_def_copy", "sbtest1") == "k_1,PRIMARY");
  CHECK(QueryValue(check,
                   "SELECT TABLE_COLLATION FROM information_schema.TABLES WHERE "
                   "TABLE_SCHEMA = 'it_def_copy' AND TABLE_NAME = 'sbtest1'") ==
        "latin1_swedish_ci");
  CHECK(ColumnDefault(check, "it_def_copy", "all_types", "dtm") == "current_timestamp(6)");

  const char* workload[] = {
      "CREATE TABLE it_def.b LIKE it_def.a",
      "INSERT INTO it_def.b (id, v) VALUES (1, 1)",
      "CREATE TABLE it_def.c (id INT PRIMARY KEY, v INT DEFAULT 5 COMMENT 'c', w VARCHAR(5) NOT "
      "NULL DEFAULT 'x', doc TEXT, at DATETIME(3) DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE "
      "CURRENT_TIMESTAMP(3), KEY iv (v), UNIQUE KEY uw (w), KEY kd (doc(20) DESC), FULLTEXT KEY "
      "fd (doc)) COMMENT='made in the stream' DEFAULT CHARSET=latin1 COLLATE latin1_bin",
      "INSERT INTO it_def.c (id, doc) VALUES (1, 'text')",
      "CREATE TABLE it_def.all_types_copy LIKE it_def.all_types",
      "INSERT INTO it_def.all_types_copy (id) VALUES (7)",
      "ALTER TABLE it_def.a ADD INDEX iw (w(3) DESC), ALTER COLUMN v SET DEFAULT 7, MODIFY w "
      "VARCHAR(5) NOT NULL DEFAULT 'y' COMMENT 'w col', COMMENT = 'a changed'",
      "INSERT INTO it_def.a (id) VALUES (3)",
      "CREATE INDEX ivw ON it_def.b (v, w)",
      "DROP INDEX iv ON it_def.b",
      "ALTER TABLE it_def.c RENAME INDEX iv TO iv2, ALTER COLUMN w DROP DEFAULT, DEFAULT "
      "CHARSET=utf8mb4",
      "ALTER TABLE it_def.c ADD COLUMN e ENUM('p','q') NOT NULL DEFAULT 'q' COMMENT 'added' AFTER "
      "v, "
      "ADD UNIQUE KEY ue (e, v)",
      "INSERT INTO it_def.c (id, w, v) VALUES (2, 'w', 6)",
      "ALTER TABLE it_def.sbtest1 CONVERT TO CHARACTER SET utf8mb4, ADD KEY k_2 (c(10), k)",
      "INSERT INTO it_def.sbtest1 (k, c, pad) VALUES (9, 'after', 'convert')",
      "ALTER TABLE it_def.all_types DROP INDEX k_dt, MODIFY ti TINYINT NOT NULL DEFAULT 3 COMMENT "
      "'tiny'",
      "ALTER TABLE it_def.ids ADD COLUMN u2 UUID DEFAULT '00000000-0000-0000-0000-000000000002', "
      "ADD INDEX k_u2 (u2)",
      "INSERT INTO it_def.ids (id) VALUES ('00000000-0000-0000-0000-000000000009')",
  };
  for (const char* statement : workload) Exec(check, statement);
  bool equal = Eventually([&] { return Difference(check, "it_def", "it_def_copy").empty(); });
  Status status = job.Stop();
  REQUIRE_MESSAGE(status.ok(), status.ToString());
  CHECK_MESSAGE(equal, Difference(check, "it_def", "it_def_copy"));
  CHECK(ColumnDefault(check, "it_def_copy", "a", "v") == "7");
  CHECK(Indexes(check, "it_def_copy", "a") == "iv,iw,PRIMARY");
  CHECK(Indexes(check, "it_def_copy", "b") == "ivw,PRIMARY");
  CHECK(QueryValue(check,
                   "SELECT TABLE_COMMENT FROM information_schema.TABLES WHERE "
                   "TABLE_SCHEMA = 'it_def_copy' AND TABLE_NAME = 'c'") == "made in the stream");
}

TEST_CASE("with logical deletes and a projection the copies differ only as documented") {
  MysqlConnection check;
  ConnectOrFail(check);
  Recreate(check, "it_defl", "it_defl_copy");
  // A primary key, and a unique key that logical deletes keep as a plain index.
  Exec(check,
       "CREATE TABLE it_defl.people (id INT PRIMARY KEY, email VARCHAR(40) NOT NULL DEFAULT '' "
       "COMMENT 'mail', nick VARCHAR(10) DEFAULT 'anon', secret VARCHAR(10), UNIQUE KEY uk_email "
       "(email), KEY k_nick (nick), KEY k_secret (secret, nick)) COMMENT 'p' DEFAULT "
       "CHARSET=latin1");
  // No primary key: the first NOT NULL unique key is the row key and stays unique.
  Exec(check,
       "CREATE TABLE it_defl.codes (code INT NOT NULL, label VARCHAR(10) DEFAULT 'none', "
       "UNIQUE KEY uk_code (code), UNIQUE KEY uk_label (label))");
  Exec(check, "INSERT INTO it_defl.people VALUES (1, 'a@x', 'a', 's1'), (2, 'b@x', 'b', 's2')");
  Exec(check, "INSERT INTO it_defl.codes VALUES (1, 'one'), (2, 'two')");
  LiveJobOptions options{"it_defl", "it_defl_copy", 4402};
  options.logical_deletes = true;
  // The projection drops `secret`: its index goes with it; the table is auto-created from the
  // projected rows (a projection passes no schema change but drops).
  options.transforms = {TransformRule{"it_defl\\.people", {"id", "email", "nick"}, "", ""}};
  LiveJob job(options);
  const DefinitionAllowance logical{{"_is_deleted"}, {}, {}};
  const std::map<std::string, DefinitionAllowance> allowances = {
      {"people", {{"_is_deleted"}, {"uk_email"}, {"secret"}}},
      {"codes", {{"_is_deleted"}, {"uk_label"}, {}}},
      {"later", {{"_is_deleted"}, {"uk_u"}, {}}},
  };
  const std::map<std::string, std::string> columns = {
      {"people", "id, email, nick"}, {"codes", "code, label"}, {"later", "id, u"}};
  REQUIRE_MESSAGE(
      Eventually([&] {
        return Difference(check, "it_defl", "it_defl_copy", allowances, columns).empty();
      }),
      Difference(check, "it_defl", "it_defl_copy", allowances, columns));
  Exec(check,
       "CREATE TABLE it_defl.later (id INT PRIMARY KEY, u INT DEFAULT 4, UNIQUE KEY uk_u (u))");
  Exec(check, "INSERT INTO it_defl.later VALUES (1, 1)");
  Exec(check, "DELETE FROM it_defl.codes WHERE code = 2");
  bool equal = Eventually(
      [&] { return Difference(check, "it_defl", "it_defl_copy", allowances, columns).empty(); });
  Status status = job.Stop();
  REQUIRE_MESSAGE(status.ok(), status.ToString());
  CHECK_MESSAGE(equal, Difference(check, "it_defl", "it_defl_copy", allowances, columns));
  // Without the allowances the copies differ exactly there.
  CHECK_FALSE(
      DefinitionDifference(check, "it_defl", check, "it_defl_copy", "codes", logical).empty());
  CHECK(Indexes(check, "it_defl_copy", "people") == "k_nick,PRIMARY,uk_email");
  CHECK(QueryValue(check,
                   "SELECT NON_UNIQUE FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = "
                   "'it_defl_copy' AND TABLE_NAME = 'codes' AND INDEX_NAME = 'uk_code'") == "0");
}

}  // namespace cdc

namespace cdc {
namespace {

bool DatabaseExists(MysqlConnection& check, const std::string& database) {
  return QueryValue(check, fmt::format("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE "
                                       "SCHEMA_NAME = '{}'",
                                       database)) == "1";
}

}  // namespace

TEST_CASE(
    "DROP DATABASE on the source drops the copy's database when the sink made it and it is empty") {
  MysqlConnection check;
  ConnectOrFail(check);

  SUBCASE("made by the sink and empty: dropped") {
    Recreate(check, "it_dropdb", "it_dropdb_copy");
    Exec(check, "CREATE TABLE it_dropdb.a (id INT PRIMARY KEY)");
    Exec(check, "CREATE TABLE it_dropdb.b (id INT PRIMARY KEY)");
    Exec(check, "INSERT INTO it_dropdb.a VALUES (1)");
    LiveJob job(LiveJobOptions{"it_dropdb", "it_dropdb_copy", 4411});
    REQUIRE(Eventually([&] { return Difference(check, "it_dropdb", "it_dropdb_copy").empty(); }));
    CHECK(QueryValue(check,
                     "SELECT COUNT(*) FROM cdc_state.created_databases WHERE database_name = "
                     "'it_dropdb_copy'") == "1");
    Exec(check, "DROP DATABASE it_dropdb");
    bool dropped = Eventually([&] { return !DatabaseExists(check, "it_dropdb_copy"); });
    Status status = job.Stop();
    REQUIRE_MESSAGE(status.ok(), status.ToString());
    CHECK(dropped);
    CHECK(QueryValue(check,
                     "SELECT COUNT(*) FROM cdc_state.created_databases WHERE database_name = "
                     "'it_dropdb_copy'") == "0");
  }

  SUBCASE("made by the sink, but holding a table of someone else: kept") {
    Recreate(check, "it_dropdb", "it_dropdb_copy");
    Exec(check, "CREATE TABLE it_dropdb.a (id INT PRIMARY KEY)");
    LiveJob job(LiveJobOptions{"it_dropdb", "it_dropdb_copy", 4412});
    REQUIRE(Eventually([&] { return Difference(check, "it_dropdb", "it_dropdb_copy").empty(); }));
    Exec(check, "CREATE TABLE it_dropdb_copy.mine (id INT PRIMARY KEY)");
    Exec(check, "DROP DATABASE it_dropdb");
    bool table_gone = Eventually(
        [&] { return Tables(check, "it_dropdb_copy") == std::vector<std::string>{"mine"}; });
    Status status = job.Stop();
    REQUIRE_MESSAGE(status.ok(), status.ToString());
    CHECK(table_gone);
    CHECK(DatabaseExists(check, "it_dropdb_copy"));
  }

  SUBCASE("made before the job, not by the sink: kept, empty") {
    Recreate(check, "it_dropdb", "it_dropdb_own");
    Exec(check, "CREATE DATABASE it_dropdb_own");
    Exec(check, "CREATE TABLE it_dropdb.a (id INT PRIMARY KEY)");
    LiveJob job(LiveJobOptions{"it_dropdb", "it_dropdb_own", 4413});
    REQUIRE(Eventually([&] { return Difference(check, "it_dropdb", "it_dropdb_own").empty(); }));
    Exec(check, "DROP DATABASE it_dropdb");
    bool table_gone = Eventually([&] { return Tables(check, "it_dropdb_own").empty(); });
    Status status = job.Stop();
    REQUIRE_MESSAGE(status.ok(), status.ToString());
    CHECK(table_gone);
    CHECK(DatabaseExists(check, "it_dropdb_own"));
  }
}

TEST_CASE(
    "MariaDB's UUID, INET4 and INET6 values reach the copy exactly, by snapshot and by binlog") {
  MysqlConnection check;
  ConnectOrFail(check);
  Recreate(check, "it_uuid", "it_uuid_copy");
  // `t` goes through the array-bound upserts, `t_latin1` (a latin1 column) as SQL text.
  Exec(check,
       "CREATE TABLE it_uuid.t (id UUID PRIMARY KEY, a INET4, b INET6, "
       "c UUID NOT NULL DEFAULT '00000000-0000-0000-0000-000000000001', n INT)");
  Exec(check,
       "CREATE TABLE it_uuid.t_latin1 (id INT PRIMARY KEY, u UUID, ip INET6, "
       "l VARCHAR(10) CHARACTER SET latin1)");
  // Version 1-5 UUIDs are stored with their segments swapped, others as written; zero tails,
  // which the binlog trims from BINARY(n); addresses at the edges.
  const char* uuids[] = {
      "123e4567-e89b-12d3-a456-426655440000", "00112233-4455-6677-8899-aabbccddeeff",
      "ffffffff-ffff-4fff-bfff-ffffffffffff", "00000000-0000-0000-0000-000000000000",
      "01890a5d-ac96-774b-bcce-b302099a8057", "9f2c1a80-0000-1000-8000-000000000000",
      "c0ffee00-1234-5678-9abc-def012345678"};
  const char* ip4[] = {"0.0.0.0", "255.255.255.255", "192.168.1.2", "10.0.0.0",
                       "1.2.3.4", "127.0.0.1",       "8.8.8.8"};
  const char* ip6[] = {"::",
                       "::ffff:1.2.3.4",
                       "2001:db8::ff00:42:8329",
                       "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
                       "fe80::1",
                       "::1",
                       "2001:db8::"};
  for (int i = 0; i < 7; ++i) {
    Exec(check, fmt::format("INSERT INTO it_uuid.t VALUES ('{}', '{}', '{}', '{}', {})", uuids[i],
                            ip4[i], ip6[i], uuids[6 - i], i));
    Exec(check, fmt::format("INSERT INTO it_uuid.t_latin1 VALUES ({}, '{}', '{}', 'caf\xc3\xa9')",
                            i, uuids[i], ip6[i]));
  }
  Exec(check, "INSERT INTO it_uuid.t (id) VALUES ('11111111-2222-3333-8444-555555555555')");
  Exec(check, "INSERT INTO it_uuid.t_latin1 (id) VALUES (99)");  // NULLs

  // The exact bytes and the text of each value, both sides.
  auto values = [&](const std::string& database) {
    return TableText(check,
                     "(SELECT HEX(CAST(id AS BINARY(16))), id, HEX(CAST(a AS BINARY(4))), a, "
                     "HEX(CAST(b AS BINARY(16))), b, HEX(CAST(c AS BINARY(16))), c, n FROM " +
                         database + ".t) v") +
           TableText(check,
                     "(SELECT id, HEX(CAST(u AS BINARY(16))), u, HEX(CAST(ip AS BINARY(16))), ip, "
                     "HEX(l) FROM " +
                         database + ".t_latin1) v");
  };
  LiveJobOptions options{"it_uuid", "it_uuid_copy", 4421};
  options.snapshot_chunk_rows = 3;  // chunks bounded by UUID keys
  LiveJob job(options);
  bool snapshot_equal =
      Eventually([&] { return Difference(check, "it_uuid", "it_uuid_copy").empty(); });
  std::string after_snapshot = values("it_uuid_copy");

  Exec(check,
       "INSERT INTO it_uuid.t VALUES ('22222222-3333-1444-9555-666666666600', '172.16.0.1', "
       "'2001:db8:1::', '00000000-0000-0000-0000-0000000000ff', 100)");
  Exec(check,
       "UPDATE it_uuid.t SET a = '0.0.0.1', b = '::2', c = '123e4567-e89b-12d3-a456-426655440000' "
       "WHERE n = 3");
  Exec(check,
       "UPDATE it_uuid.t SET id = '33333333-4444-1555-a666-777777777700' WHERE n = 2");  // the key
  Exec(check, "DELETE FROM it_uuid.t WHERE n = 4");
  Exec(check,
       "INSERT INTO it_uuid.t_latin1 VALUES (100, '44444444-5555-1666-b777-888888888800', "
       "'::ffff:0.0.0.0', 'x')");
  Exec(check,
       "UPDATE it_uuid.t_latin1 SET u = 'ffffffff-ffff-1fff-8fff-fffffffffff0' WHERE id = 1");
  bool stream_equal =
      Eventually([&] { return Difference(check, "it_uuid", "it_uuid_copy").empty(); });
  Status status = job.Stop();
  REQUIRE_MESSAGE(status.ok(), status.ToString());
  CHECK(snapshot_equal);
  CHECK(after_snapshot.find(
            "123E4567E89B12D3A456426655440000|123e4567-e89b-12d3-a456-426655440000|") !=
        std::string::npos);
  CHECK_MESSAGE(stream_equal, Difference(check, "it_uuid", "it_uuid_copy"));
  CHECK(values("it_uuid_copy") == values("it_uuid"));
  CHECK(QueryValue(check, "SELECT COUNT(*) FROM it_uuid_copy.t") == "8");
  CHECK(
      QueryValue(
          check,
          "SELECT GROUP_CONCAT(DATA_TYPE ORDER BY ORDINAL_POSITION) FROM "
          "information_schema.COLUMNS WHERE TABLE_SCHEMA = 'it_uuid_copy' AND TABLE_NAME = 't'") ==
      "uuid,inet4,inet6,uuid,int");
}

}  // namespace cdc
