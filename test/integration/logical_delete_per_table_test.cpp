// Per-table logical-delete overrides (LogicalDeleteOptions::per_table, YAML
// logical-delete.tables / .exclude) end to end against the sandboxed MariaDB: a binlog stream
// that creates three tables, writes, deletes and drops one is replicated twice, once with
// logical deletes off except for one table and once on except for one. Each table gets what
// its own setting says: the flag column or none, deleted rows flagged or removed, a dropped
// table kept with its rows flagged or dropped.
#include <doctest/doctest.h>

#include <string>

#include "connectors/mysql/sink/mysql_sink.h"
#include "connectors/mysql/source/mysql_cdc_source.h"
#include "operators/job.h"
#include "test/integration/mysql_source_test_support.h"
#include "test/integration/mysql_test_env.h"

namespace cdc {
namespace {

using testing::ConnectOrFail;
using testing::Exec;
using testing::QueryValue;

// Replicates it_ld's stream from `start` into `copy` with `logical` and returns the job's status.
Status Replicate(const std::string& start, const std::string& copy,
                 const LogicalDeleteOptions& logical) {
  MysqlCdcSourceOptions source = testing::StreamOptions("it_ld", start);
  source.server_id = 4291;
  MysqlSinkOptions sink;
  sink.connection = testing::SandboxOptions();
  sink.target_database = copy;
  sink.logical_delete = logical;
  JobOptions options;
  options.parallelism = 2;
  Job job(options);
  job.AddSource("mysql", MysqlCdcSource::Factory(source))
      .KeyBy()
      .SinkTo("copy", std::make_shared<MysqlSink>(sink));
  return job.Run();
}

// "id:v:flag" per row of `table` (flag "-" when the table has no flag column), or "no table".
std::string Rows(MysqlConnection& check, const std::string& table) {
  auto dot = table.find('.');
  std::string columns = QueryValue(
      check,
      "SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY ORDINAL_POSITION) FROM information_schema.COLUMNS "
      "WHERE TABLE_SCHEMA = '" +
          table.substr(0, dot) + "' AND TABLE_NAME = '" + table.substr(dot + 1) + "'");
  if (columns == "NULL") return "no table";
  bool flagged = columns == "id,v,_is_deleted,_deleted_at";
  REQUIRE_MESSAGE((flagged || columns == "id,v"), columns);
  return QueryValue(check, "SELECT GROUP_CONCAT(id, ':', v, ':', " +
                               std::string(flagged ? "_is_deleted" : "'-'") +
                               " ORDER BY id) FROM " + table);
}

}  // namespace

TEST_CASE("per-table logical-delete overrides give each table its own deletes, both ways") {
  MysqlConnection check;
  ConnectOrFail(check);
  for (const char* database : {"it_ld", "it_ld_off", "it_ld_on"}) {
    Exec(check, std::string("DROP DATABASE IF EXISTS ") + database);
  }
  Exec(check, "CREATE DATABASE it_ld");
  std::string start = testing::MasterPosition(check);
  for (const char* table : {"a", "b", "c"}) {
    std::string name = std::string("it_ld.") + table;
    Exec(check, "CREATE TABLE " + name + " (id INT PRIMARY KEY, v VARCHAR(10))");
    Exec(check, "INSERT INTO " + name + " VALUES (1, 'x'), (2, 'x'), (3, 'x'), (4, 'x')");
    Exec(check, "DELETE FROM " + name + " WHERE id = 1");
    Exec(check, "UPDATE " + name + " SET v = 'u' WHERE id = 2");
  }
  Exec(check, "DROP TABLE it_ld.c");

  LogicalDeleteOptions off;  // off, but on for a
  off.enabled = false;
  off.per_table = {{"it_ld.a", true}};
  off.time_column = "_deleted_at";
  Status status = Replicate(start, "it_ld_off", off);
  REQUIRE_MESSAGE(status.ok(), status.ToString());
  CHECK(Rows(check, "it_ld_off.a") == "1:x:1,2:u:0,3:x:0,4:x:0");
  CHECK(Rows(check, "it_ld_off.b") == "2:u:-,3:x:-,4:x:-");
  CHECK(Rows(check, "it_ld_off.c") == "no table");
  CHECK(QueryValue(check, "SELECT COUNT(*) FROM it_ld_off.a WHERE _deleted_at IS NOT NULL") == "1");

  LogicalDeleteOptions on;  // on, but off for b
  on.enabled = true;
  on.per_table = {{"it_ld.b", false}};
  on.time_column = "_deleted_at";
  status = Replicate(start, "it_ld_on", on);
  REQUIRE_MESSAGE(status.ok(), status.ToString());
  CHECK(Rows(check, "it_ld_on.a") == "1:x:1,2:u:0,3:x:0,4:x:0");
  CHECK(Rows(check, "it_ld_on.b") == "2:u:-,3:x:-,4:x:-");
  CHECK(Rows(check, "it_ld_on.c") == "1:x:1,2:u:1,3:x:1,4:x:1");  // the drop flagged every row
}

}  // namespace cdc
