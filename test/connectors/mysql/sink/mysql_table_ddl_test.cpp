#include "connectors/mysql/sink/mysql_table_ddl.h"

#include <doctest/doctest.h>

#include "schema/ddl_apply.h"
#include "schema/ddl_parser.h"

namespace cdc {
namespace {

TableSchemaPtr Create(const std::string& sql) {
  auto parsed = ParseDdl(sql, "r");
  REQUIRE_MESSAGE(parsed.ok(), parsed.status().ToString());
  auto schema = SchemaFromCreateTable(std::get<CreateTable>(*parsed), "utf8mb4_general_ci");
  REQUIRE_MESSAGE(schema.ok(), schema.status().ToString());
  return *schema;
}

}  // namespace

TEST_CASE("a created target table has the source's defaults, comments, indexes and options") {
  TableSchemaPtr schema = Create(
      "CREATE TABLE a (id INT PRIMARY KEY AUTO_INCREMENT, v INT DEFAULT 5 COMMENT 'c', w "
      "VARCHAR(5) NOT NULL DEFAULT 'x', doc TEXT, u UUID DEFAULT "
      "'00000000-0000-0000-0000-000000000001', "
      "KEY iv (v), KEY (w(3) DESC, v), FULLTEXT KEY ft (doc), UNIQUE KEY uw (w)) "
      "COMMENT='the a' DEFAULT CHARSET=latin1 ENGINE=MyISAM");
  CHECK(CreateTableSql(*schema, TableId{"copy", "a"}, LogicalDeleteColumns{}) ==
        "CREATE TABLE IF NOT EXISTS `copy`.`a` (\n"
        "  `id` int NOT NULL,\n"
        "  `v` int NULL DEFAULT 5 COMMENT 'c',\n"
        "  `w` varchar(5) CHARACTER SET latin1 COLLATE latin1_swedish_ci NOT NULL DEFAULT 'x',\n"
        "  `doc` text CHARACTER SET latin1 COLLATE latin1_swedish_ci NULL,\n"
        "  `u` uuid NULL DEFAULT '00000000-0000-0000-0000-000000000001',\n"
        "  PRIMARY KEY (`id`),\n"
        "  KEY `iv` (`v`),\n"
        "  KEY `w` (`w`(3) DESC, `v`),\n"
        "  FULLTEXT KEY `ft` (`doc`),\n"
        "  UNIQUE KEY `uw` (`w`)\n"
        ") ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci COMMENT='the a'");
  // Logical deletes: the flag columns, and the unique key that is not the row key made plain.
  const std::string logical = CreateTableSql(
      *schema, TableId{"copy", "a"}, LogicalDeleteColumns{true, "_is_deleted", "_deleted_at"});
  CHECK(
      logical.find(
          "  `_is_deleted` TINYINT(1) NOT NULL DEFAULT 0,\n  `_deleted_at` DATETIME(6) NULL,\n") !=
      std::string::npos);
  CHECK(logical.find("  KEY `uw` (`w`)\n") != std::string::npos);
  // A MySQL target has no UUID: the bytes go to BINARY(16), without the text default.
  const std::string mysql =
      CreateTableSql(*schema, TableId{"copy", "a"}, LogicalDeleteColumns{}, false);
  CHECK(mysql.find("  `u` binary(16) NULL,\n") != std::string::npos);
}

TEST_CASE("a primary key or plain index over TEXT without a prefix gets one on the target") {
  // A schema made by hand (or a unique key over a BLOB, hashed whole, that logical deletes
  // make plain) names no prefix; the target needs one.
  TableSchemaPtr schema = Create("CREATE TABLE t (k TEXT NOT NULL, b BLOB, UNIQUE KEY ub (b))");
  auto keyed = TableSchema::Define(schema->id(), schema->columns(),
                                   {{"PRIMARY", {0}, IndexKind::kPrimary}, schema->indexes()[0]});
  REQUIRE(keyed.ok());
  const std::string plain = CreateTableSql(**keyed, schema->id(), LogicalDeleteColumns{});
  CHECK(plain.find("  PRIMARY KEY (`k`(191)),\n  UNIQUE KEY `ub` (`b`)\n") != std::string::npos);
  const std::string logical =
      CreateTableSql(**keyed, schema->id(), LogicalDeleteColumns{true, "_is_deleted", ""});
  CHECK(logical.find("  KEY `ub` (`b`(191))\n") != std::string::npos);
}

}  // namespace cdc
