#include "schema/table_schema_sql.h"

#include <doctest/doctest.h>

#include "schema/ddl_apply.h"
#include "schema/ddl_parser.h"

namespace cdc {

TEST_CASE("string literals escape what the server would read otherwise") {
  CHECK(QuoteString("plain") == "'plain'");
  CHECK(QuoteString(std::string("it's \\ a\nb\rc\0d\032", 15)) == "'it\\'s \\\\ a\\nb\\rc\\0d\\Z'");
}

TEST_CASE("a column definition carries its default, ON UPDATE and comment") {
  ColumnSchema column;
  column.name = "ts";
  column.type = ColumnType::kTimestamp;
  column.fsp = 6;
  column.nullable = false;
  column.default_value = "current_timestamp(6)";
  column.on_update = "current_timestamp(6)";
  column.comment = "changed at";
  CHECK(ColumnDefinitionSql(column, false) ==
        "`ts` timestamp(6) NOT NULL DEFAULT current_timestamp(6) ON UPDATE current_timestamp(6) "
        "COMMENT 'changed at'");
  // Made nullable (a lenient target), it keeps its default.
  CHECK(ColumnDefinitionSql(column, true).starts_with("`ts` timestamp(6) NULL DEFAULT"));
  ColumnSchema uuid;
  uuid.name = "u";
  uuid.type = ColumnType::kBinary;
  uuid.length = 16;
  uuid.fixed_binary = FixedBinaryType::kUuid;
  CHECK(ColumnDefinitionSql(uuid, true) == "`u` uuid NULL");
}

TEST_CASE("CREATE TABLE text reads back as the same schema") {
  const char* sql =
      "CREATE TABLE r.a (id INT PRIMARY KEY, v INT DEFAULT 5 COMMENT 'c', w VARCHAR(5) NOT NULL "
      "DEFAULT 'x', ip INET6, KEY iv (v), UNIQUE KEY uw (w(2) DESC)) COMMENT 'ra' CHARSET latin1";
  auto parsed = ParseDdl(sql, "r");
  REQUIRE(parsed.ok());
  auto schema = SchemaFromCreateTable(std::get<CreateTable>(*parsed), "utf8mb4_general_ci");
  REQUIRE(schema.ok());
  const std::string text = CreateTableStatement(**schema);
  CHECK(text ==
        "CREATE TABLE `r`.`a` (`id` int NOT NULL, `v` int NULL DEFAULT 5 COMMENT 'c', `w` "
        "varchar(5) CHARACTER SET latin1 COLLATE latin1_swedish_ci NOT NULL DEFAULT 'x', `ip` "
        "inet6 NULL, PRIMARY KEY (`id`), KEY `iv` (`v`), UNIQUE KEY `uw` (`w`(2) DESC)) DEFAULT "
        "CHARSET=latin1 COLLATE=latin1_swedish_ci COMMENT='ra'");
  auto again = ParseDdl(text, "");
  REQUIRE(again.ok());
  auto back = SchemaFromCreateTable(std::get<CreateTable>(*again), "utf8mb4_general_ci");
  REQUIRE(back.ok());
  CHECK((*back)->columns() == (*schema)->columns());
  CHECK((*back)->indexes() == (*schema)->indexes());
  CHECK((*back)->attributes() == (*schema)->attributes());
}

}  // namespace cdc
