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
  for (const ColumnSchema& column : schema->columns())
    out.push_back(column.name + ":" + column.SqlType());
  return out;
}

}  // namespace

TEST_CASE("the catalog follows CREATE, ALTER, RENAME and DROP TABLE through the stream") {
  SchemaCatalog catalog("utf8mb4_general_ci");
  CHECK(Apply(catalog, "CREATE DATABASE other CHARACTER SET latin1").empty());
  CHECK(
      Apply(catalog, "CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(10), UNIQUE KEY (name))") ==
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
  CHECK(Columns(catalog, TableId{"other", "u"}) ==
        std::vector<std::string>{"id:int", "c:datetime(3)"});

  CHECK(Apply(catalog, "CREATE TABLE other.v (s TEXT)").size() == 1);
  CHECK(catalog.Find(TableId{"other", "v"})->columns()[0].collation ==
        "latin1_swedish_ci");  // the database's
  CHECK(Apply(catalog, "CREATE TABLE w LIKE other.u") == std::vector<std::string>{"db.w"});
  CHECK(Columns(catalog, TableId{"db", "w"}) == Columns(catalog, TableId{"other", "u"}));

  CHECK(Apply(catalog, "DROP TABLE IF EXISTS w, missing") ==
        std::vector<std::string>{"db.w", "db.missing"});
  CHECK(catalog.Find(TableId{"db", "w"}) == nullptr);
  CHECK(Apply(catalog, "DROP DATABASE other") == std::vector<std::string>{"other.u", "other.v"});
  CHECK(catalog.tables().empty());
  CHECK(Apply(catalog, "GRANT SELECT ON *.* TO x").empty());
  CHECK(Apply(catalog, "TRUNCATE t").empty());
}

TEST_CASE(
    "an ALTER that does not fit the catalog's schema is an error that leaves the table as it was") {
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
  CHECK(Apply(catalog, "ALTER TABLE unknown ADD COLUMN x INT") ==
        std::vector<std::string>{"db.unknown"});
  CHECK(catalog.tables().empty());
}

}  // namespace cdc

namespace cdc {
namespace {

std::vector<SchemaChange> Describe(SchemaCatalog& catalog, const std::string& sql) {
  auto statement = ParseDdl(sql, "db");
  REQUIRE_MESSAGE(statement.ok(), statement.status().ToString());
  std::vector<TableId> named;
  std::vector<SchemaChange> changes;
  Status status = catalog.Apply(*statement, sql, named, changes);
  REQUIRE_MESSAGE(status.ok(), status.ToString());
  return changes;
}

}  // namespace

TEST_CASE("the catalog describes what each statement did as schema changes") {
  SchemaCatalog catalog("utf8mb4_general_ci");
  auto created = Describe(catalog, "CREATE TABLE a (id INT PRIMARY KEY, v INT)");
  REQUIRE(created.size() == 1);
  CHECK(created[0].kind == SchemaChangeKind::kCreateTable);
  CHECK(created[0].before == nullptr);
  CHECK(created[0].after == catalog.Find(TableId{"db", "a"}));
  CHECK(created[0].statement == "CREATE TABLE a (id INT PRIMARY KEY, v INT)");
  // IF NOT EXISTS of a table the catalog holds changes nothing, even with other columns.
  CHECK(Describe(catalog, "CREATE TABLE IF NOT EXISTS a (x TEXT)").empty());
  CHECK(catalog.Find(TableId{"db", "a"})->columns().size() == 2);

  TableSchemaPtr before = catalog.Find(TableId{"db", "a"});
  auto altered = Describe(catalog, "ALTER TABLE a ADD COLUMN w INT FIRST, DROP COLUMN v");
  REQUIRE(altered.size() == 1);
  CHECK(altered[0].kind == SchemaChangeKind::kAlterTable);
  CHECK(altered[0].before == before);
  CHECK(altered[0].after->columns()[0].name == "w");
  CHECK(altered[0].clauses.size() == 2);
  CHECK(altered[0].Tables() == std::vector<TableId>{TableId{"db", "a"}});

  // ALTER ... RENAME TO: one change, a barrier for both names.
  auto moved = Describe(catalog, "ALTER TABLE a RENAME TO a2");
  REQUIRE(moved.size() == 1);
  CHECK(moved[0].Tables() == std::vector<TableId>{TableId{"db", "a"}, TableId{"db", "a2"}});
  CHECK(moved[0].SchemaOf(TableId{"db", "a2"}) == catalog.Find(TableId{"db", "a2"}));

  // A swap through a temporary name: one change with the three steps, in order.
  Describe(catalog, "CREATE TABLE b (id INT PRIMARY KEY, side CHAR(1))");
  TableSchemaPtr a2 = catalog.Find(TableId{"db", "a2"});
  TableSchemaPtr b = catalog.Find(TableId{"db", "b"});
  auto swapped = Describe(catalog, "RENAME TABLE a2 TO tmp, b TO a2, tmp TO b");
  REQUIRE(swapped.size() == 1);
  const SchemaChange& swap = swapped[0];
  CHECK(swap.kind == SchemaChangeKind::kRenameTable);
  REQUIRE(swap.renames.size() == 3);
  CHECK(swap.renames[0].from == a2);
  CHECK(swap.renames[1].from == b);
  CHECK(swap.renames[2].from->id() == TableId{"db", "tmp"});
  CHECK(swap.Tables() ==
        std::vector<TableId>{TableId{"db", "a2"}, TableId{"db", "tmp"}, TableId{"db", "b"}});
  // Each final name carries the catalog's schema: b now has a2's old columns.
  CHECK(swap.SchemaOf(TableId{"db", "b"}) == catalog.Find(TableId{"db", "b"}));
  CHECK(catalog.Find(TableId{"db", "b"})->columns()[0].name == "w");

  // CREATE OR REPLACE of a table that exists: a drop, then a create.
  auto replaced = Describe(catalog, "CREATE OR REPLACE TABLE b (id BIGINT PRIMARY KEY)");
  REQUIRE(replaced.size() == 2);
  CHECK(replaced[0].kind == SchemaChangeKind::kDropTable);
  CHECK(replaced[1].kind == SchemaChangeKind::kCreateTable);

  // A plain CREATE of a table the catalog already holds (a catalog read ahead of the stream)
  // is a create only: nothing is dropped on the target.
  auto again = Describe(catalog, "CREATE TABLE b (id INT PRIMARY KEY, extra INT)");
  REQUIRE(again.size() == 1);
  CHECK(again[0].kind == SchemaChangeKind::kCreateTable);

  // DROP DATABASE drops each table the catalog held there; TRUNCATE is not a schema change.
  CHECK(Describe(catalog, "TRUNCATE TABLE a2").empty());
  auto dropped = Describe(catalog, "DROP DATABASE db");
  CHECK(dropped.size() == 2);
  for (const SchemaChange& change : dropped) {
    CHECK(change.kind == SchemaChangeKind::kDropTable);
    CHECK(change.drops_database);  // the sink may drop the database it made
  }
  CHECK(catalog.tables().empty());
  CHECK_FALSE(Describe(catalog, "CREATE TABLE c (id INT)").empty());
  auto dropped_table = Describe(catalog, "DROP TABLE c");
  REQUIRE(dropped_table.size() == 1);
  CHECK_FALSE(dropped_table[0].drops_database);
}

TEST_CASE("a saved catalog loads back with the same schemas and default collations") {
  SchemaCatalog catalog("latin1_swedish_ci");
  Describe(catalog, "CREATE DATABASE other COLLATE utf8mb4_bin");
  Describe(catalog,
           "CREATE TABLE `we``ird`.`t\tab` (`id` BIGINT UNSIGNED NOT NULL, `e` ENUM('a','it''s') "
           "CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci, d DECIMAL(65,30), `x\ny` "
           "DATETIME(6) NULL, b BIT(7), j JSON, g GEOMETRY, bin VARBINARY(16), s SET('p','q'), "
           "y YEAR, tx MEDIUMTEXT, PRIMARY KEY (id), UNIQUE KEY u (d, y)) DEFAULT CHARSET=utf8mb4");
  Describe(catalog, "CREATE TABLE other.plain (k VARCHAR(10) NOT NULL, UNIQUE KEY (k))");
  std::vector<std::string> lines = catalog.Save();
  for (const std::string& line : lines) {
    CHECK(line.find('\n') == std::string::npos);
    CHECK(line.find('\t') == std::string::npos);
  }
  auto loaded = SchemaCatalog::Load(lines);
  REQUIRE_MESSAGE(loaded.ok(), loaded.status().ToString());
  REQUIRE(loaded->tables().size() == 2);
  for (const auto& [id, schema] : catalog.tables()) {
    TableSchemaPtr back = loaded->Find(id);
    REQUIRE(back != nullptr);
    CHECK(back->columns() == schema->columns());
    CHECK(back->primary_key() == schema->primary_key());
    CHECK(back->unique_keys() == schema->unique_keys());
  }
  // Defaults survive: a column added later takes the table's, a table created later the
  // database's.
  Describe(*loaded, "ALTER TABLE other.plain ADD COLUMN n VARCHAR(4)");
  CHECK(loaded->Find(TableId{"other", "plain"})->columns()[1].collation == "utf8mb4_bin");
  Describe(*loaded, "CREATE TABLE other.later (c CHAR(2))");
  CHECK(loaded->Find(TableId{"other", "later"})->columns()[0].collation == "utf8mb4_bin");
  CHECK(loaded->Save().size() == lines.size() + 1);

  auto bad = SchemaCatalog::Load({"table CREATE TABLE broken ("});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message().find("saved schema catalog line") != std::string::npos);
}

}  // namespace cdc

namespace cdc {

TEST_CASE("a saved catalog keeps defaults, comments, every index and the table options") {
  // As the server's information_schema gives them (mysql_catalog.h), not as a statement wrote
  // them: quoted literals with doubled quotes, bare expressions.
  auto column = [](std::string name, ColumnType type, std::optional<std::string> default_value,
                   std::string comment = "") {
    ColumnSchema c;
    c.name = std::move(name);
    c.type = type;
    c.default_value = std::move(default_value);
    c.comment = std::move(comment);
    if (IsTextType(type)) c.collation = "latin1_swedish_ci";
    if (type == ColumnType::kVarChar) c.length = 10;
    return c;
  };
  std::vector<ColumnSchema> columns = {
      column("id", ColumnType::kInt, std::nullopt),
      column("s", ColumnType::kVarChar, "'it''s \\\\ x'", "a 'quoted'\ncomment\twith \\"),
      column("b", ColumnType::kBit, "b'101'"),
      column("d", ColumnType::kDouble, "-1.5"),
      column("u", ColumnType::kVarChar, "uuid()"),
      column("e", ColumnType::kInt, "(1 + 2)"),
      column("ts", ColumnType::kTimestamp, "current_timestamp(6)"),
      column("doc", ColumnType::kText, std::nullopt),
      column("p", ColumnType::kGeometry, std::nullopt),
      column("uid", ColumnType::kBinary, "'00000000-0000-0000-0000-000000000001'"),
      column("ip", ColumnType::kBinary, std::nullopt),
  };
  columns[0].nullable = false;
  columns[2].length = 3;
  columns[6].fsp = 6;
  columns[6].nullable = false;
  columns[6].on_update = "current_timestamp(6)";
  columns[8].nullable = false;
  columns[9].fixed_binary = FixedBinaryType::kUuid;
  columns[9].length = 16;
  columns[10].fixed_binary = FixedBinaryType::kInet4;
  columns[10].length = 4;
  std::vector<IndexSchema> indexes = {
      {"PRIMARY", {0}, IndexKind::kPrimary},
      {"us", {1, 3}, IndexKind::kUnique, {4, 0}, {true, false}},
      {"k", {4}, IndexKind::kPlain},
      {"ft", {7}, IndexKind::kFulltext},
      {"sp", {8}, IndexKind::kSpatial},
  };
  auto schema = TableSchema::Define(TableId{"db", "t"}, columns, indexes,
                                    TableAttributes{"latin1_swedish_ci", "table's \\ comment"});
  REQUIRE_MESSAGE(schema.ok(), schema.status().ToString());
  SchemaCatalog catalog;
  catalog.Put(*schema);
  auto loaded = SchemaCatalog::Load(catalog.Save());
  REQUIRE_MESSAGE(loaded.ok(), loaded.status().ToString());
  TableSchemaPtr back = loaded->Find(TableId{"db", "t"});
  REQUIRE(back != nullptr);
  for (size_t i = 0; i < columns.size(); ++i) {
    CAPTURE(columns[i].name);
    CHECK(back->columns()[i] == (*schema)->columns()[i]);
  }
  CHECK(back->indexes() == (*schema)->indexes());
  CHECK(back->attributes() == (*schema)->attributes());
  CHECK(back->key().index_name == "PRIMARY");
}

TEST_CASE("a catalog saved by an earlier version, without defaults and plain indexes, loads") {
  auto loaded = SchemaCatalog::Load(
      {"server utf8mb4_general_ci",
       "table CREATE TABLE `db`.`t` (`id` int NOT NULL, `v` varchar(5) CHARACTER SET latin1 "
       "COLLATE latin1_swedish_ci NULL, PRIMARY KEY (`id`), UNIQUE KEY `uv` (`v`)) DEFAULT "
       "CHARSET=latin1 COLLATE=latin1_swedish_ci"});
  REQUIRE_MESSAGE(loaded.ok(), loaded.status().ToString());
  TableSchemaPtr schema = loaded->Find(TableId{"db", "t"});
  REQUIRE(schema != nullptr);
  CHECK(schema->default_collation() == "latin1_swedish_ci");
  CHECK(schema->indexes().size() == 2);
  CHECK_FALSE(schema->columns()[1].default_value.has_value());
  // Its plain indexes are unknown: dropping one is no error.
  Describe(*loaded, "ALTER TABLE db.t DROP INDEX iv, ADD INDEX iv2 (v)");
  CHECK(loaded->Find(TableId{"db", "t"})->indexes().size() == 3);
}

}  // namespace cdc
