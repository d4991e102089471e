#include "schema/schema_catalog.h"

#include <doctest/doctest.h>

#include "schema/ddl_parser.h"

namespace cdc {
namespace {

// Applies `sql` (current database "db") and returns the tables it named, as "db.t" strings.
std::vector<std::string> Apply(SchemaCatalog& catalog, const std::string& sql) {
  auto statement = ParseDdl(sql, "db");
  REQUIRE_MESSAGE(statement.ok(), statement.status().ToString());
  std::vector<TableId> named;
  Status status = catalog.Apply(*statement, named);
  REQUIRE_MESSAGE(status.ok(), status.ToString());
  std::vector<std::string> out;
  for (const TableId& id : named) out.push_back(id.ToString());
  return out;
}

std::vector<std::string> Columns(const SchemaCatalog& catalog, const TableId& id) {
  std::vector<std::string> out;
  TableSchemaPtr schema = catalog.Find(id);
  REQUIRE(schema != nullptr);
  for (const ColumnSchema& column : schema->columns()) out.push_back(column.name + ":" + column.SqlType());
  return out;
}

}  // namespace

TEST_CASE("the catalog follows CREATE, ALTER, RENAME and DROP TABLE through the stream") {
  SchemaCatalog catalog("utf8mb4_general_ci");
  CHECK(Apply(catalog, "CREATE DATABASE other CHARACTER SET latin1").empty());
  CHECK(Apply(catalog, "CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(10), UNIQUE KEY (name))") ==
        std::vector<std::string>{"db.t"});
  TableId t{"db", "t"};
  CHECK(Columns(catalog, t) == std::vector<std::string>{"id:int", "name:varchar(10)"});
  CHECK(catalog.Find(t)->columns()[1].collation == "utf8mb4_general_ci");
  CHECK(catalog.Find(t)->unique_keys().size() == 1);

  CHECK(Apply(catalog, "ALTER TABLE t ADD COLUMN c DATETIME(3) AFTER id, DROP COLUMN name") ==
        std::vector<std::string>{"db.t"});
  CHECK(Columns(catalog, t) == std::vector<std::string>{"id:int", "c:datetime(3)"});
  CHECK(catalog.Find(t)->unique_keys().empty());  // its only column was dropped

  CHECK(Apply(catalog, "RENAME TABLE t TO other.u") == std::vector<std::string>{"db.t", "other.u"});
  CHECK(catalog.Find(t) == nullptr);
  CHECK(Columns(catalog, TableId{"other", "u"}) == std::vector<std::string>{"id:int", "c:datetime(3)"});

  CHECK(Apply(catalog, "CREATE TABLE other.v (s TEXT)").size() == 1);
  CHECK(catalog.Find(TableId{"other", "v"})->columns()[0].collation == "latin1_swedish_ci");  // the database's
  CHECK(Apply(catalog, "CREATE TABLE w LIKE other.u") == std::vector<std::string>{"db.w"});
  CHECK(Columns(catalog, TableId{"db", "w"}) == Columns(catalog, TableId{"other", "u"}));

  CHECK(Apply(catalog, "DROP TABLE IF EXISTS w, missing") == std::vector<std::string>{"db.w", "db.missing"});
  CHECK(catalog.Find(TableId{"db", "w"}) == nullptr);
  CHECK(Apply(catalog, "DROP DATABASE other") == std::vector<std::string>{"other.u", "other.v"});
  CHECK(catalog.tables().empty());
  CHECK(Apply(catalog, "GRANT SELECT ON *.* TO x").empty());
  CHECK(Apply(catalog, "TRUNCATE t").empty());
}

TEST_CASE("an ALTER that does not fit the catalog's schema is an error that leaves the table as it was") {
  SchemaCatalog catalog;
  (void)Apply(catalog, "CREATE TABLE t (id INT PRIMARY KEY)");
  auto statement = ParseDdl("ALTER TABLE t DROP COLUMN missing", "db");
  REQUIRE(statement.ok());
  std::vector<TableId> named;
  Status status = catalog.Apply(*statement, named);
  REQUIRE_FALSE(status.ok());
  CHECK(status.message().find("missing") != std::string::npos);
  CHECK(named == std::vector<TableId>{TableId{"db", "t"}});
  CHECK(Columns(catalog, TableId{"db", "t"}) == std::vector<std::string>{"id:int"});
}

TEST_CASE("tables the catalog does not hold are still named by the statements that touch them") {
  SchemaCatalog catalog;
  CHECK(Apply(catalog, "ALTER TABLE unknown ADD COLUMN x INT") == std::vector<std::string>{"db.unknown"});
  CHECK(catalog.tables().empty());
}

}  // namespace cdc
