#include "schema/ddl_parser.h"

#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "test/schema/ddl_test_support.h"

// ALTER TABLE, CREATE / DROP INDEX, RENAME, DROP, TRUNCATE and database statements.
namespace cdc {
namespace {

TEST_CASE("ALTER TABLE ADD COLUMN with positions, IF NOT EXISTS and several columns") {
  const AlterTable alter = ParseAs<AlterTable>(
      "ALTER TABLE t ADD COLUMN a INT NOT NULL FIRST, ADD b VARCHAR(10) AFTER `a`, "
      "ADD COLUMN IF NOT EXISTS c DATE, ADD (d INT, e TEXT), ADD f INT UNIQUE");
  CHECK(alter.table == TableId{"shop", "t"});
  REQUIRE(alter.clauses.size() == 7);
  const auto& a = std::get<AddColumn>(alter.clauses[0]);
  CHECK(Summary(a.definition.column) == "a int NOT NULL");
  CHECK(a.position == ColumnPosition{ColumnPlacement::kFirst, ""});
  CHECK_FALSE(a.if_not_exists);
  const auto& b = std::get<AddColumn>(alter.clauses[1]);
  CHECK(b.position == ColumnPosition{ColumnPlacement::kAfter, "a"});
  CHECK(b.definition.sql == "b VARCHAR(10)");
  CHECK(std::get<AddColumn>(alter.clauses[2]).if_not_exists);
  CHECK(std::get<AddColumn>(alter.clauses[3]).definition.column.name == "d");
  CHECK(std::get<AddColumn>(alter.clauses[4]).definition.column.name == "e");
  CHECK(std::get<AddColumn>(alter.clauses[5]).definition.column.name == "f");
  CHECK(std::get<AddIndex>(alter.clauses[6]).index ==
        IndexDefinition{IndexKind::kUnique, "", {{"f", 0, false, ""}}});
}

TEST_CASE("ALTER TABLE DROP, MODIFY, CHANGE and RENAME COLUMN") {
  const AlterTable alter = ParseAs<AlterTable>(
      "alter table shop2.t drop column a, drop b, drop column if exists c cascade, "
      "modify column d bigint unsigned not null after e, modify if exists x int, "
      "change e e2 varchar(20) first, change column if exists f g int, "
      "rename column h to i");
  CHECK(alter.table == TableId{"shop2", "t"});
  REQUIRE(alter.clauses.size() == 8);
  CHECK(std::get<DropColumn>(alter.clauses[0]) == DropColumn{"a", false});
  CHECK(std::get<DropColumn>(alter.clauses[1]) == DropColumn{"b", false});
  CHECK(std::get<DropColumn>(alter.clauses[2]) == DropColumn{"c", true});
  const auto& modify = std::get<ModifyColumn>(alter.clauses[3]);
  CHECK(Summary(modify.definition.column) == "d bigint unsigned NOT NULL");
  CHECK(modify.position == ColumnPosition{ColumnPlacement::kAfter, "e"});
  CHECK(std::get<ModifyColumn>(alter.clauses[4]).if_exists);
  const auto& change = std::get<ChangeColumn>(alter.clauses[5]);
  CHECK(change.old_name == "e");
  CHECK(Summary(change.definition.column) == "e2 varchar(20)");
  CHECK(change.position.placement == ColumnPlacement::kFirst);
  CHECK(std::get<ChangeColumn>(alter.clauses[6]).if_exists);
  CHECK(std::get<ChangeColumn>(alter.clauses[6]).definition.column.name == "g");
  CHECK(std::get<RenameColumn>(alter.clauses[7]) == RenameColumn{"h", "i", false});
}

TEST_CASE("ALTER TABLE key clauses") {
  const AlterTable alter = ParseAs<AlterTable>(
      "ALTER TABLE t ADD PRIMARY KEY (a, b), ADD UNIQUE KEY uk (c), ADD UNIQUE (d), "
      "ADD INDEX idx (e(5)), ADD KEY IF NOT EXISTS k2 (f), ADD CONSTRAINT uq UNIQUE (g), "
      "ADD FULLTEXT INDEX ft (h), DROP PRIMARY KEY, DROP INDEX idx, DROP KEY IF EXISTS k2, "
      "RENAME INDEX uk TO uk2, RENAME KEY a TO b, DROP CONSTRAINT uq, DROP FOREIGN KEY fk1, "
      "ADD CONSTRAINT fk2 FOREIGN KEY (a) REFERENCES p (id), DROP CHECK c1, "
      "ADD CONSTRAINT c2 CHECK (a > 1), ALTER INDEX idx INVISIBLE");
  REQUIRE(alter.clauses.size() == 18);
  CHECK(
      std::get<AddIndex>(alter.clauses[0]).index ==
      IndexDefinition{IndexKind::kPrimary, "PRIMARY", {{"a", 0, false, ""}, {"b", 0, false, ""}}});
  CHECK(std::get<AddIndex>(alter.clauses[1]).index.name == "uk");
  CHECK(std::get<AddIndex>(alter.clauses[2]).index.name.empty());
  CHECK(std::get<AddIndex>(alter.clauses[3]).index ==
        IndexDefinition{IndexKind::kPlain, "idx", {{"e", 5, false, ""}}});
  CHECK(std::get<AddIndex>(alter.clauses[4]).if_not_exists);
  CHECK(std::get<AddIndex>(alter.clauses[5]).index.name == "uq");
  CHECK(std::get<AddIndex>(alter.clauses[5]).index.kind == IndexKind::kUnique);
  CHECK(std::get<AddIndex>(alter.clauses[6]).index.kind == IndexKind::kFulltext);
  CHECK(std::holds_alternative<DropPrimaryKey>(alter.clauses[7]));
  CHECK(std::get<DropIndex>(alter.clauses[8]) == DropIndex{"idx", false});
  CHECK(std::get<DropIndex>(alter.clauses[9]) == DropIndex{"k2", true});
  CHECK(std::get<RenameIndex>(alter.clauses[10]) == RenameIndex{"uk", "uk2"});
  CHECK(std::get<RenameIndex>(alter.clauses[11]) == RenameIndex{"a", "b"});
  CHECK(std::get<DropConstraint>(alter.clauses[12]) == DropConstraint{"uq", false});
  CHECK(std::get<NeutralAlterClause>(alter.clauses[13]).sql == "DROP FOREIGN KEY fk1");
  CHECK(std::get<NeutralAlterClause>(alter.clauses[14]).sql ==
        "ADD CONSTRAINT fk2 FOREIGN KEY (a) REFERENCES p (id)");
  CHECK(std::get<NeutralAlterClause>(alter.clauses[15]).sql == "DROP CHECK c1");
  CHECK(std::holds_alternative<NeutralAlterClause>(alter.clauses[16]));
  CHECK(std::get<NeutralAlterClause>(alter.clauses[17]).sql == "ALTER INDEX idx INVISIBLE");
}

TEST_CASE("ALTER TABLE defaults, renames, charsets, options and neutral clauses") {
  const AlterTable alter = ParseAs<AlterTable>(
      "ALTER ONLINE IGNORE TABLE IF EXISTS t WAIT 5 ALTER COLUMN a SET DEFAULT 'x', "
      "ALTER b DROP DEFAULT, ALTER COLUMN c SET DEFAULT (now()), RENAME TO other.t2, "
      "CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci, "
      "ENGINE=InnoDB DEFAULT CHARSET=latin1 COMMENT 'c', ALGORITHM=INPLACE, LOCK=NONE, FORCE, "
      "ORDER BY a, b, DISABLE KEYS, ALTER COLUMN d SET INVISIBLE");
  CHECK(alter.if_exists);
  REQUIRE(alter.clauses.size() == 12);
  CHECK(std::get<AlterColumnDefault>(alter.clauses[0]) == AlterColumnDefault{"a", "'x'"});
  CHECK(std::get<AlterColumnDefault>(alter.clauses[1]) == AlterColumnDefault{"b", std::nullopt});
  CHECK(std::get<AlterColumnDefault>(alter.clauses[2]) == AlterColumnDefault{"c", "(now())"});
  CHECK(std::get<RenameTo>(alter.clauses[3]).table == TableId{"other", "t2"});
  CHECK(std::get<ConvertToCharset>(alter.clauses[4]) ==
        ConvertToCharset{"utf8mb4", "utf8mb4_unicode_ci"});
  const auto& options = std::get<ChangeTableOptions>(alter.clauses[5]).options;
  CHECK(options.engine == "InnoDB");
  CHECK(options.charset == "latin1");
  CHECK(options.comment == "c");
  CHECK(std::get<NeutralAlterClause>(alter.clauses[6]).sql == "ALGORITHM=INPLACE");
  CHECK(std::get<NeutralAlterClause>(alter.clauses[7]).sql == "LOCK=NONE");
  CHECK(std::get<NeutralAlterClause>(alter.clauses[8]).sql == "FORCE");
  CHECK(std::get<NeutralAlterClause>(alter.clauses[9]).sql == "ORDER BY a, b");
  CHECK(std::get<NeutralAlterClause>(alter.clauses[10]).sql == "DISABLE KEYS");
  CHECK(std::get<NeutralAlterClause>(alter.clauses[11]).sql == "ALTER COLUMN d SET INVISIBLE");
  CHECK(std::get<NeutralAlterClause>(
            ParseAs<AlterTable>("ALTER TABLE t ORDER BY a DESC, b").clauses[0])
            .sql == "ORDER BY a DESC, b");
  CHECK(std::get<RenameTo>(ParseAs<AlterTable>("ALTER TABLE t RENAME AS t3").clauses[0]).table ==
        TableId{"shop", "t3"});
  CHECK(std::get<ConvertToCharset>(
            ParseAs<AlterTable>("ALTER TABLE t CONVERT TO CHARSET latin1").clauses[0]) ==
        ConvertToCharset{"latin1", ""});
}

TEST_CASE("ALTER TABLE partition maintenance is one neutral clause to the end") {
  const AlterTable alter = ParseAs<AlterTable>("ALTER TABLE t ADD c INT, DROP PARTITION p1, p2");
  REQUIRE(alter.clauses.size() == 2);
  CHECK(std::holds_alternative<AddColumn>(alter.clauses[0]));
  CHECK(std::get<NeutralAlterClause>(alter.clauses[1]).sql == "DROP PARTITION p1, p2");
  // NOLINTBEGIN(bugprone-suspicious-missing-comma): one statement is split over two lines
  for (const char* sql :
       {"ALTER TABLE t PARTITION BY HASH(a) PARTITIONS 4", "ALTER TABLE t REMOVE PARTITIONING",
        "ALTER TABLE t TRUNCATE PARTITION p0, p1", "ALTER TABLE t COALESCE PARTITION 2",
        "ALTER TABLE t EXCHANGE PARTITION p0 WITH TABLE t2",
        "ALTER TABLE t REORGANIZE PARTITION p0 INTO "
        "(PARTITION a VALUES LESS THAN (5), PARTITION b VALUES LESS THAN (10))",
        "ALTER TABLE t ADD PARTITION (PARTITION p3 VALUES LESS THAN (30))",
        "ALTER TABLE t ENGINE=InnoDB PARTITION BY KEY(a) PARTITIONS 2"}) {
    // NOLINTEND(bugprone-suspicious-missing-comma)
    CAPTURE(sql);
    const AlterTable partitioned = ParseAs<AlterTable>(sql);
    REQUIRE_FALSE(partitioned.clauses.empty());
    CHECK(std::holds_alternative<NeutralAlterClause>(partitioned.clauses.back()));
  }
  CHECK(ParseAs<AlterTable>("ALTER TABLE t").clauses.empty());
  CHECK(ParseAs<AlterTable>("ALTER TABLE t;").clauses.empty());
}

TEST_CASE("ALTER TABLE with comments, executable comments and odd spacing") {
  const AlterTable alter = ParseAs<AlterTable>(
      "ALTER /* why */ TABLE `t` -- line\n ADD `n`  INT  /*!50100 COMMENT 'new' */ ,"
      "# hash\n DROP `o`");
  REQUIRE(alter.clauses.size() == 2);
  const auto& add = std::get<AddColumn>(alter.clauses[0]);
  CHECK(add.definition.comment == "new");
  CHECK(add.definition.sql == "`n` INT COMMENT 'new'");
  CHECK(std::get<DropColumn>(alter.clauses[1]).name == "o");
}

TEST_CASE("CREATE INDEX and DROP INDEX ... ON are ALTER TABLEs of their table") {
  const AlterTable unique = ParseAs<AlterTable>(
      "CREATE UNIQUE INDEX uk_email USING BTREE ON customers (email(20), id DESC) "
      "ALGORITHM=INPLACE LOCK=NONE");
  CHECK(unique.table == TableId{"shop", "customers"});
  REQUIRE(unique.clauses.size() == 1);
  CHECK(std::get<AddIndex>(unique.clauses[0]).index ==
        IndexDefinition{
            IndexKind::kUnique, "uk_email", {{"email", 20, false, ""}, {"id", 0, true, ""}}});
  const AlterTable plain = ParseAs<AlterTable>("create index if not exists i on db2.t (a)");
  CHECK(plain.table == TableId{"db2", "t"});
  CHECK(std::get<AddIndex>(plain.clauses[0]).if_not_exists);
  CHECK(std::get<AddIndex>(plain.clauses[0]).index.kind == IndexKind::kPlain);
  CHECK(std::get<AddIndex>(ParseAs<AlterTable>("CREATE FULLTEXT INDEX f ON t (a)").clauses[0])
            .index.kind == IndexKind::kFulltext);
  const AlterTable replace = ParseAs<AlterTable>("CREATE OR REPLACE UNIQUE INDEX u ON t (a)");
  REQUIRE(replace.clauses.size() == 2);
  CHECK(std::get<DropIndex>(replace.clauses[0]) == DropIndex{"u", true});

  const AlterTable drop = ParseAs<AlterTable>("DROP INDEX IF EXISTS `uk_email` ON customers");
  CHECK(std::get<DropIndex>(drop.clauses[0]) == DropIndex{"uk_email", true});
  CHECK(std::holds_alternative<DropPrimaryKey>(
      ParseAs<AlterTable>("DROP INDEX `PRIMARY` ON t ALGORITHM=COPY").clauses[0]));
}

TEST_CASE("RENAME TABLE renames several tables across databases in order") {
  const RenameTable rename =
      ParseAs<RenameTable>("RENAME TABLE a TO tmp, b TO a, tmp TO b, db1.x TO db2.`y z`");
  CHECK(rename.renames == std::vector<TableRename>{{{"shop", "a"}, {"shop", "tmp"}},
                                                   {{"shop", "b"}, {"shop", "a"}},
                                                   {{"shop", "tmp"}, {"shop", "b"}},
                                                   {{"db1", "x"}, {"db2", "y z"}}});
}

TEST_CASE("DROP TABLE lists its tables with IF EXISTS and TEMPORARY") {
  const DropTable drop =
      ParseAs<DropTable>("DROP TABLE IF EXISTS `a`, other.b, c /* generated by server */");
  CHECK(drop.if_exists);
  CHECK_FALSE(drop.temporary);
  CHECK(drop.tables == std::vector<TableId>{{"shop", "a"}, {"other", "b"}, {"shop", "c"}});
  const DropTable temporary = ParseAs<DropTable>("drop temporary table t restrict");
  CHECK(temporary.temporary);
  CHECK_FALSE(temporary.if_exists);
  CHECK(ParseAs<DropTable>("DROP TABLE t CASCADE;").tables.size() == 1);
}

TEST_CASE("TRUNCATE, with or without TABLE") {
  CHECK(ParseAs<TruncateTable>("TRUNCATE TABLE t").table == TableId{"shop", "t"});
  CHECK(ParseAs<TruncateTable>("truncate db.t").table == TableId{"db", "t"});
}

TEST_CASE("CREATE, ALTER and DROP DATABASE or SCHEMA") {
  const CreateDatabase create = ParseAs<CreateDatabase>(
      "CREATE DATABASE IF NOT EXISTS `app` /*!40100 DEFAULT CHARACTER SET utf8mb4 "
      "COLLATE utf8mb4_unicode_ci */");
  CHECK(create.database == "app");
  CHECK(create.if_not_exists);
  CHECK(create.charset == "utf8mb4");
  CHECK(create.collation == "utf8mb4_unicode_ci");
  CHECK(ParseAs<CreateDatabase>("create schema s charset = latin1").charset == "latin1");
  const AlterDatabase alter = ParseAs<AlterDatabase>("ALTER DATABASE app COLLATE = utf8_bin");
  CHECK(alter.database == "app");
  CHECK(alter.collation == "utf8mb3_bin");
  CHECK(ParseAs<AlterDatabase>("ALTER SCHEMA DEFAULT CHARACTER SET latin1").database == "shop");
  const DropDatabase drop = ParseAs<DropDatabase>("DROP SCHEMA IF EXISTS app");
  CHECK(drop.database == "app");
  CHECK(drop.if_exists);
}

TEST_CASE("the DDL of online schema change tools and ORM migrations parses") {
  // gh-ost
  CHECK(ParseAs<CreateTableLike>(
            "create /* gh-ost */ table `shop`.`_orders_gho` like `shop`.`orders`")
            .source == TableId{"shop", "orders"});
  CHECK(std::get<AddColumn>(ParseAs<AlterTable>("alter /* gh-ost */ table `shop`.`_orders_gho` "
                                                "add column x int not null default 0")
                                .clauses[0])
            .definition.column.name == "x");
  const CreateTable changelog = ParseAs<CreateTable>(
      "create /* gh-ost */ table `shop`.`_orders_ghc` (\n"
      "  id bigint auto_increment,\n"
      "  last_update timestamp not null DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,\n"
      "  hint varchar(64) charset ascii not null,\n"
      "  value varchar(4096) charset ascii not null,\n"
      "  primary key(id),\n"
      "  unique key hint_uidx(hint)\n"
      ") auto_increment=256");
  CHECK(changelog.columns.size() == 4);
  CHECK(Summary(changelog.columns[2].column) == "hint varchar(64) NOT NULL ascii_general_ci");
  CHECK(ParseAs<RenameTable>("rename /* gh-ost */ table `shop`.`orders` to `shop`.`_orders_del`, "
                             "`shop`.`_orders_gho` to `shop`.`orders`")
            .renames.size() == 2);
  CHECK(ParseAs<DropTable>("drop /* gh-ost */ table if exists `shop`.`_orders_del`").if_exists);
  // pt-online-schema-change
  CHECK(ParseAs<NotSchemaChange>(
            "CREATE TRIGGER `pt_osc_shop_orders_del` AFTER DELETE ON `shop`.`orders` FOR EACH ROW "
            "BEGIN DECLARE CONTINUE HANDLER FOR 1146 begin end; DELETE IGNORE FROM "
            "`shop`.`_orders_new` WHERE `shop`.`_orders_new`.`id` <=> OLD.`id`; END")
            .verb == "CREATE TRIGGER");
  // Rails
  CHECK(ParseAs<CreateTable>("CREATE TABLE `users` (`id` bigint NOT NULL AUTO_INCREMENT PRIMARY "
                             "KEY, `name` varchar(255), `created_at` datetime(6) NOT NULL, "
                             "`updated_at` datetime(6) NOT NULL)")
            .indexes.size() == 1);
  CHECK(std::get<AddIndex>(ParseAs<AlterTable>("CREATE UNIQUE INDEX `index_users_on_email` ON "
                                               "`users` (`email`)")
                               .clauses[0])
            .index.name == "index_users_on_email");
  // Django
  CHECK(std::holds_alternative<NeutralAlterClause>(
      ParseAs<AlterTable>("ALTER TABLE `polls_choice` ADD CONSTRAINT "
                          "`polls_choice_question_id_c5b4b260_fk_polls_question_id` FOREIGN KEY "
                          "(`question_id`) REFERENCES `polls_question` (`id`)")
          .clauses[0]));
  // Laravel
  const CreateTable laravel = ParseAs<CreateTable>(
      "create table `users` (`id` bigint unsigned not null auto_increment primary key, `name` "
      "varchar(255) not null, `email` varchar(255) not null, `email_verified_at` timestamp null, "
      "`remember_token` varchar(100) null, `created_at` timestamp null, `updated_at` timestamp "
      "null) default character set utf8mb4 collate 'utf8mb4_unicode_ci'");
  CHECK(laravel.columns.size() == 7);
  CHECK(laravel.options.collation == "utf8mb4_unicode_ci");
  CHECK(std::get<AddIndex>(
            ParseAs<AlterTable>("alter table `users` add unique `users_email_unique`(`email`)")
                .clauses[0])
            .index.name == "users_email_unique");
}

}  // namespace
}  // namespace cdc
