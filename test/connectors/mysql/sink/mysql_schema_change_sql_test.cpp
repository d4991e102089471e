#include "connectors/mysql/sink/mysql_schema_change_sql.h"

#include <doctest/doctest.h>

#include "schema/ddl_parser.h"
#include "schema/schema_catalog.h"

namespace cdc {
namespace {

// What `sql` (current database "src") does to a catalog holding `setup`'s tables, translated
// for a target where database src is called dst.
struct Translation {
  std::vector<SchemaChange> changes;
  std::vector<TargetSchemaSql> target;
};

Translation Translate(const std::vector<std::string>& setup, const std::string& sql,
                      SchemaChangeBehavior behavior, bool mariadb = true, bool logical = false) {
  SchemaCatalog catalog("utf8mb4_general_ci");
  std::vector<TableId> named;
  std::vector<SchemaChange> ignored;
  for (const std::string& statement : setup) {
    auto parsed = ParseDdl(statement, "src");
    REQUIRE(parsed.ok());
    REQUIRE(catalog.Apply(*parsed, statement, named, ignored).ok());
  }
  auto parsed = ParseDdl(sql, "src");
  REQUIRE_MESSAGE(parsed.ok(), parsed.status().ToString());
  Translation out;
  REQUIRE(catalog.Apply(*parsed, sql, named, out.changes).ok());
  TargetNaming naming{[](const TableId& id) {
                        return TableId{"dst", id.table};
                      },
                      [logical](const TableId&) {
                        return LogicalDeleteColumns{logical, "_is_deleted", "_deleted_at"};
                      },
                      mariadb};
  for (const SchemaChange& change : out.changes) {
    auto target = TranslateSchemaChange(change, behavior, naming);
    REQUIRE_MESSAGE(target.ok(), target.status().ToString());
    out.target.push_back(*target);
  }
  return out;
}

const std::vector<std::string> kOrders = {
    "CREATE TABLE orders (id INT AUTO_INCREMENT PRIMARY KEY, qty INT NOT NULL, note VARCHAR(20)) "
    "DEFAULT CHARSET=latin1"};

}  // namespace

TEST_CASE("evolve: ALTER clauses become target clauses with native definitions and IF EXISTS") {
  auto t = Translate(kOrders,
                     "ALTER TABLE orders ADD COLUMN status VARCHAR(10) NOT NULL DEFAULT 'new' "
                     "COMMENT 'state' AFTER qty, CHANGE qty quantity BIGINT UNSIGNED NOT NULL, "
                     "DROP COLUMN note, ADD INDEX idx (status(4) DESC), ADD UNIQUE KEY (quantity), "
                     "ALTER COLUMN status SET DEFAULT 'x', ALGORITHM=INPLACE, ENGINE=Aria, "
                     "COMMENT 'c', RENAME INDEX idx TO idx2",
                     SchemaChangeBehavior::kEvolve);
  REQUIRE(t.target.size() == 1);
  REQUIRE(t.target[0].statements.size() == 1);
  INFO(t.target[0].statements[0]);
  CHECK(t.target[0].statements ==
        std::vector<std::string>{
            "ALTER TABLE `dst`.`orders` ADD COLUMN IF NOT EXISTS `status` varchar(10) CHARACTER "
            "SET latin1 COLLATE latin1_swedish_ci NOT NULL DEFAULT 'new' COMMENT 'state' AFTER "
            "`qty`, CHANGE COLUMN IF EXISTS `qty` `quantity` bigint unsigned NOT NULL, DROP "
            "COLUMN IF EXISTS `note`, ADD INDEX IF NOT EXISTS `idx` (`status`(4) DESC), ADD "
            "UNIQUE INDEX (`quantity`), ALTER COLUMN `status` SET DEFAULT 'x', COMMENT 'c', "
            "RENAME INDEX `idx` TO `idx2`"});
  CHECK_FALSE(t.target[0].diverges);
}

TEST_CASE("a MySQL target gets no IF [NOT] EXISTS; the errors that mean done are known") {
  auto t = Translate(kOrders, "ALTER TABLE orders ADD COLUMN a INT, DROP COLUMN note",
                     SchemaChangeBehavior::kEvolve, /*mariadb=*/false);
  CHECK(t.target[0].statements ==
        std::vector<std::string>{
            "ALTER TABLE `dst`.`orders` ADD COLUMN `a` int NULL, DROP COLUMN `note`"});
  for (unsigned error : {1050u, 1051u, 1060u, 1061u, 1091u, 1146u, 1068u})
    CHECK(IsAlreadyDoneDdlError(error));
  CHECK_FALSE(IsAlreadyDoneDdlError(1062));  // a duplicate entry is a real conflict
}

TEST_CASE("generated and AUTO_INCREMENT columns become plain columns on the target") {
  auto t = Translate(kOrders,
                     "ALTER TABLE orders ADD COLUMN total INT AS (qty * 2) VIRTUAL, "
                     "MODIFY id BIGINT AUTO_INCREMENT",
                     SchemaChangeBehavior::kEvolve);
  CHECK(t.target[0].statements ==
        std::vector<std::string>{
            "ALTER TABLE `dst`.`orders` ADD COLUMN IF NOT EXISTS `total` int NULL, MODIFY COLUMN "
            "IF EXISTS `id` bigint NOT NULL"});
}

TEST_CASE("lenient: nothing is dropped; renames add the new name; added columns are nullable") {
  auto t = Translate(kOrders,
                     "ALTER TABLE orders DROP COLUMN qty, RENAME COLUMN note TO memo, ADD COLUMN "
                     "n INT NOT NULL DEFAULT 1",
                     SchemaChangeBehavior::kLenient);
  CHECK(t.target[0].statements ==
        std::vector<std::string>{
            "ALTER TABLE `dst`.`orders` MODIFY COLUMN IF EXISTS `qty` int NULL, ADD COLUMN IF "
            "NOT EXISTS `memo` varchar(20) CHARACTER SET latin1 COLLATE latin1_swedish_ci NULL, "
            "ADD COLUMN IF NOT EXISTS `n` int NULL DEFAULT 1"});
  CHECK(t.target[0].note.find("column 'qty' is kept") != std::string::npos);
  auto dropped = Translate(kOrders, "DROP TABLE orders", SchemaChangeBehavior::kLenient);
  CHECK(dropped.target[0].statements.empty());
}

TEST_CASE("ignore creates tables and applies nothing else; the target then diverges") {
  auto altered =
      Translate(kOrders, "ALTER TABLE orders ADD COLUMN a INT", SchemaChangeBehavior::kIgnore);
  CHECK(altered.target[0].statements.empty());
  CHECK(altered.target[0].diverges);
  auto created =
      Translate({}, "CREATE TABLE t (id INT PRIMARY KEY)", SchemaChangeBehavior::kIgnore);
  CHECK(created.target[0].databases == std::vector<std::string>{"dst"});
  REQUIRE(created.target[0].statements.size() == 1);
  CHECK(created.target[0].statements[0].starts_with("CREATE TABLE IF NOT EXISTS `dst`.`t`"));
}

TEST_CASE("drops, renames and truncating logical-delete tables on the target") {
  auto dropped = Translate(kOrders, "DROP TABLE orders", SchemaChangeBehavior::kEvolve);
  CHECK(dropped.target[0].statements ==
        std::vector<std::string>{"DROP TABLE IF EXISTS `dst`.`orders`"});
  auto kept = Translate(kOrders, "DROP TABLE orders", SchemaChangeBehavior::kEvolve, true,
                        /*logical=*/true);
  CHECK(kept.target[0].statements ==
        std::vector<std::string>{"UPDATE `dst`.`orders` SET `_is_deleted` = 1, `_deleted_at` = "
                                 "NOW(6) WHERE `_is_deleted` = 0"});
  auto swapped =
      Translate({"CREATE TABLE a (id INT)", "CREATE TABLE b (id INT)"},
                "RENAME TABLE a TO tmp, b TO a, tmp TO b", SchemaChangeBehavior::kEvolve);
  CHECK(swapped.target[0].statements ==
        std::vector<std::string>{"RENAME TABLE `dst`.`a` TO `dst`.`tmp`, `dst`.`b` TO `dst`.`a`, "
                                 "`dst`.`tmp` TO `dst`.`b`"});
  auto moved = Translate(kOrders, "ALTER TABLE orders ADD COLUMN a INT, RENAME TO orders_v2",
                         SchemaChangeBehavior::kEvolve);
  CHECK(moved.target[0].statements ==
        std::vector<std::string>{
            "ALTER TABLE `dst`.`orders` ADD COLUMN IF NOT EXISTS `a` int NULL, RENAME TO "
            "`dst`.`orders_v2`"});
}

}  // namespace cdc

namespace cdc {

TEST_CASE(
    "with logical deletes a unique key other than the row key reaches the target as a plain "
    "index") {
  // orders has a primary key: a new unique key is not the row key.
  auto t = Translate(kOrders, "ALTER TABLE orders ADD UNIQUE KEY uk_qty (qty)",
                     SchemaChangeBehavior::kEvolve, /*mariadb=*/true, /*logical=*/true);
  REQUIRE(t.target.size() == 1);
  CHECK(t.target[0].statements ==
        std::vector<std::string>{
            "ALTER TABLE `dst`.`orders` ADD INDEX IF NOT EXISTS `uk_qty` (`qty`)"});
  CHECK(t.target[0].note.find("unique index `uk_qty` is added as a plain index") !=
        std::string::npos);
  // Without a primary key the unique key is the row key: it stays unique.
  auto keyed = Translate({"CREATE TABLE codes (code INT NOT NULL, label VARCHAR(10))"},
                         "ALTER TABLE codes ADD UNIQUE KEY uk_code (code)",
                         SchemaChangeBehavior::kEvolve, /*mariadb=*/true, /*logical=*/true);
  CHECK(keyed.target[0].statements ==
        std::vector<std::string>{
            "ALTER TABLE `dst`.`codes` ADD UNIQUE INDEX IF NOT EXISTS `uk_code` (`code`)"});
  // And a created table: only the primary key is unique.
  auto created = Translate({},
                           "CREATE TABLE people (id INT PRIMARY KEY, email VARCHAR(40) NOT NULL, "
                           "UNIQUE KEY uk_email (email))",
                           SchemaChangeBehavior::kEvolve, /*mariadb=*/true, /*logical=*/true);
  REQUIRE(created.target[0].statements.size() == 1);
  CHECK(created.target[0].statements[0].find("  KEY `uk_email` (`email`)") != std::string::npos);
  CHECK(created.target[0].statements[0].find("UNIQUE") == std::string::npos);
}

}  // namespace cdc

namespace cdc {

TEST_CASE("the target's table options and renamed columns keep the source's definitions") {
  const std::vector<std::string> table = {
      "CREATE TABLE t (id INT PRIMARY KEY, note VARCHAR(10) NOT NULL DEFAULT 'n' COMMENT 'the "
      "note') "
      "DEFAULT CHARSET=latin1"};
  // CONVERT TO changes the table's default too; a rename keeps the default and the comment.
  auto converted =
      Translate(table, "ALTER TABLE t CONVERT TO CHARACTER SET utf8mb4, RENAME COLUMN note TO memo",
                SchemaChangeBehavior::kEvolve);
  CHECK(converted.target[0].statements ==
        std::vector<std::string>{
            "ALTER TABLE `dst`.`t` MODIFY COLUMN `memo` varchar(10) CHARACTER SET utf8mb4 COLLATE "
            "utf8mb4_general_ci NOT NULL DEFAULT 'n' COMMENT 'the note', DEFAULT CHARACTER SET "
            "utf8mb4 "
            "COLLATE utf8mb4_general_ci, CHANGE COLUMN IF EXISTS `note` `memo` varchar(10) "
            "CHARACTER SET "
            "utf8mb4 COLLATE utf8mb4_general_ci NOT NULL DEFAULT 'n' COMMENT 'the note'"});
  // A table option names the collation the source resolved, and the comment.
  auto options = Translate(table, "ALTER TABLE t DEFAULT CHARSET utf8mb4, COMMENT 'c''s'",
                           SchemaChangeBehavior::kEvolve);
  CHECK(options.target[0].statements ==
        std::vector<std::string>{"ALTER TABLE `dst`.`t` DEFAULT CHARACTER SET utf8mb4 COLLATE "
                                 "utf8mb4_general_ci, COMMENT 'c\\'s'"});
}

TEST_CASE(
    "a DROP DATABASE asks for the target database to go once empty; a create needs its database") {
  auto dropped = Translate(kOrders, "DROP DATABASE src", SchemaChangeBehavior::kEvolve);
  REQUIRE(dropped.target.size() == 1);
  CHECK(dropped.target[0].statements ==
        std::vector<std::string>{"DROP TABLE IF EXISTS `dst`.`orders`"});
  CHECK(dropped.target[0].drop_database_if_empty == "dst");
  CHECK(Translate(kOrders, "DROP TABLE orders", SchemaChangeBehavior::kEvolve)
            .target[0]
            .drop_database_if_empty.empty());
  // Logical deletes keep the table (its rows marked deleted), and so its database.
  auto kept = Translate(kOrders, "DROP DATABASE src", SchemaChangeBehavior::kEvolve, true,
                        /*logical=*/true);
  CHECK(kept.target[0].drop_database_if_empty.empty());
  auto created = Translate({}, "CREATE TABLE t (id INT)", SchemaChangeBehavior::kEvolve);
  CHECK(created.target[0].databases == std::vector<std::string>{"dst"});
  CHECK(created.target[0].statements.size() == 1);
}

}  // namespace cdc
