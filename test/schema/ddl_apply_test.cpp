#include "schema/ddl_apply.h"

#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "schema/ddl_parser.h"
#include "schema/table_schema_sql.h"
#include "test/schema/ddl_test_support.h"

namespace cdc {
namespace {

constexpr std::string_view kUtf8mb4 = "utf8mb4_general_ci";

TableSchemaPtr Create(std::string_view sql, std::string_view database_collation = kUtf8mb4) {
  auto statement = ParseDdl(sql, "shop");
  REQUIRE_MESSAGE(statement.ok(), statement.status().ToString());
  REQUIRE(std::holds_alternative<CreateTable>(*statement));
  auto schema = SchemaFromCreateTable(std::get<CreateTable>(*statement), database_collation);
  REQUIRE_MESSAGE(schema.ok(), schema.status().ToString());
  return *schema;
}

Result<TableSchemaPtr> TryAlter(const TableSchemaPtr& before, std::string_view sql,
                                std::string_view table_collation = kUtf8mb4) {
  auto statement = ParseDdl(sql, "shop");
  REQUIRE_MESSAGE(statement.ok(), statement.status().ToString());
  REQUIRE(std::holds_alternative<AlterTable>(*statement));
  return ApplyAlterTable(*before, std::get<AlterTable>(*statement), table_collation);
}

TableSchemaPtr Alter(const TableSchemaPtr& before, std::string_view sql,
                     std::string_view table_collation = kUtf8mb4) {
  auto schema = TryAlter(before, sql, table_collation);
  REQUIRE_MESSAGE(schema.ok(), schema.status().ToString());
  return *schema;
}

std::string AlterError(const TableSchemaPtr& before, std::string_view sql) {
  auto schema = TryAlter(before, sql);
  REQUIRE_FALSE(schema.ok());
  CHECK(schema.status().code() == StatusCode::kInvalidArgument);
  return schema.status().message();
}

std::string CreateError(std::string_view sql) {
  auto statement = ParseDdl(sql, "shop");
  REQUIRE(statement.ok());
  auto schema = SchemaFromCreateTable(std::get<CreateTable>(*statement), kUtf8mb4);
  REQUIRE_FALSE(schema.ok());
  CHECK(schema.status().code() == StatusCode::kInvalidArgument);
  return schema.status().message();
}

// "name sqltype [NOT NULL] [collation]" for every column.
std::vector<std::string> Columns(const TableSchemaPtr& schema) {
  std::vector<std::string> out;
  for (const ColumnSchema& column : schema->columns()) out.push_back(Summary(column));
  return out;
}

// "PRIMARY(a,b) uk(c)": the primary key, then the unique keys, by column name.
std::string Keys(const TableSchemaPtr& schema) {
  auto names = [&schema](const std::vector<size_t>& positions) {
    std::string out;
    for (size_t position : positions) {
      if (!out.empty()) out += ",";
      out += schema->columns()[position].name;
    }
    return out;
  };
  std::string out;
  if (!schema->primary_key().empty()) out = "PRIMARY(" + names(schema->primary_key()) + ")";
  for (const IndexSchema& index : schema->unique_keys()) {
    if (!out.empty()) out += " ";
    out += index.name + "(" + names(index.columns) + ")";
  }
  return out;
}

TableSchemaPtr Orders() {
  return Create(
      "CREATE TABLE orders (id BIGINT NOT NULL, email VARCHAR(64) NOT NULL, a INT, b INT, "
      "note TEXT, PRIMARY KEY (id), UNIQUE KEY uk_email (email), UNIQUE KEY uk_ab (a, b))");
}

TEST_CASE("CREATE TABLE yields the exact schema, text columns taking the table's collation") {
  const TableSchemaPtr schema = Create(
      "CREATE TABLE t (id INT UNSIGNED AUTO_INCREMENT, name VARCHAR(10), "
      "code CHAR(2) CHARACTER SET ascii, tag VARCHAR(5) COLLATE utf8mb4_bin, "
      "e ENUM('a','b') NOT NULL, amount DECIMAL(10,2), at DATETIME(3), raw VARBINARY(8), "
      "PRIMARY KEY (id)) DEFAULT CHARSET=latin1");
  CHECK(schema->id() == TableId{"shop", "t"});
  CHECK(Columns(schema) == std::vector<std::string>{
                               "id int unsigned NOT NULL",
                               "name varchar(10) latin1_swedish_ci",
                               "code char(2) ascii_general_ci",
                               "tag varchar(5) utf8mb4_bin",
                               "e enum('a','b') NOT NULL latin1_swedish_ci",
                               "amount decimal(10,2)",
                               "at datetime(3)",
                               "raw varbinary(8)",
                           });
  CHECK(Keys(schema) == "PRIMARY(id)");
  CHECK(schema->key().kind == KeyKind::kPrimary);
}

TEST_CASE("the table's default collation comes from COLLATE, CHARSET or the database") {
  CHECK(Columns(Create("CREATE TABLE t (a TEXT)")) ==
        std::vector<std::string>{"a text " + std::string(kUtf8mb4)});
  CHECK(Columns(Create("CREATE TABLE t (a TEXT)", "latin1_german1_ci")) ==
        std::vector<std::string>{"a text latin1_german1_ci"});
  CHECK(Columns(Create("CREATE TABLE t (a TEXT) CHARSET utf8")) ==
        std::vector<std::string>{"a text utf8mb3_general_ci"});
  CHECK(Columns(Create("CREATE TABLE t (a TEXT) DEFAULT CHARSET=utf8mb4", "utf8mb4_unicode_ci")) ==
        std::vector<std::string>{"a text utf8mb4_general_ci"});
  CHECK(Columns(Create("CREATE TABLE t (a TEXT) CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci")) ==
        std::vector<std::string>{"a text utf8mb4_unicode_ci"});
  CHECK(Columns(Create("CREATE TABLE t (a TEXT) COLLATE=latin1_bin")) ==
        std::vector<std::string>{"a text latin1_bin"});
  TableOptions options;
  CHECK(*TableDefaultCollation(options, "utf8_bin") == "utf8mb3_bin");
  options.charset = "binary";
  CHECK(*TableDefaultCollation(options, kUtf8mb4) == "binary");
  options.charset = "nope";
  CHECK(TableDefaultCollation(options, kUtf8mb4).status().message() ==
        "the table's default character set 'nope' is not known");
}

TEST_CASE("the BINARY attribute selects the _bin collation of the column's character set") {
  CHECK(Columns(Create("CREATE TABLE t (a VARCHAR(5) BINARY, b CHAR(1) CHARSET latin1 BINARY)")) ==
        std::vector<std::string>{"a varchar(5) utf8mb4_bin", "b char(1) latin1_bin"});
  CHECK(Columns(Create("CREATE TABLE t (a VARCHAR(5) BINARY) CHARSET=latin1")) ==
        std::vector<std::string>{"a varchar(5) latin1_bin"});
}

TEST_CASE("TEXT(n) and BLOB(n) become the smallest type that holds n") {
  CHECK(Columns(Create("CREATE TABLE t (a TEXT(63), b TEXT(64), c TEXT(16383), d TEXT(16384), "
                       "e TEXT(4194303), f TEXT(4194304), g TEXT(255) CHARSET latin1, "
                       "h BLOB(255), i BLOB(256), j BLOB(16777216))")) ==
        std::vector<std::string>{"a tinytext utf8mb4_general_ci", "b text utf8mb4_general_ci",
                                 "c text utf8mb4_general_ci", "d mediumtext utf8mb4_general_ci",
                                 "e mediumtext utf8mb4_general_ci", "f longtext utf8mb4_general_ci",
                                 "g tinytext latin1_swedish_ci", "h tinyblob", "i blob",
                                 "j longblob"});
}

TEST_CASE("character types of the binary character set are binary types") {
  CHECK(Columns(Create("CREATE TABLE t (a CHAR(4) CHARACTER SET binary, "
                       "b VARCHAR(8) CHARSET binary, c TEXT CHARSET binary, "
                       "d MEDIUMTEXT CHARSET binary, e ENUM('x') CHARSET binary)")) ==
        std::vector<std::string>{"a binary(4)", "b varbinary(8)", "c blob", "d mediumblob",
                                 "e enum('x') binary"});
  CHECK(Columns(Create("CREATE TABLE t (a VARCHAR(3)) CHARSET=binary")) ==
        std::vector<std::string>{"a varbinary(3)"});
}

TEST_CASE("primary key columns are NOT NULL and unnamed unique keys are named as MySQL does") {
  const TableSchemaPtr schema = Create(
      "CREATE TABLE t (a INT, b INT NULL, c INT, d INT, PRIMARY KEY (a, b), "
      "UNIQUE (c), UNIQUE (c, d), KEY d (d), UNIQUE (d), UNIQUE KEY c_3 (d, c), "
      "UNIQUE KEY ((c + 1)))");
  CHECK(Columns(schema) ==
        std::vector<std::string>{"a int NOT NULL", "b int NOT NULL", "c int", "d int"});
  CHECK(Keys(schema) == "PRIMARY(a,b) c(c) c_2(c,d) d_2(d) c_3(d,c)");

  const TableSchemaPtr serial = Create("CREATE TABLE t (id SERIAL, v INT UNIQUE)");
  CHECK(Keys(serial) == "id(id) v(v)");
  CHECK(serial->key().kind == KeyKind::kUnique);
  CHECK(serial->key().index_name == "id");

  CHECK(Keys(Create("CREATE TABLE t (a INT PRIMARY KEY, b INT NOT NULL UNIQUE KEY)")) ==
        "PRIMARY(a) b(b)");
}

TEST_CASE("MariaDB's SHOW CREATE TABLE output yields the schema the catalog would read") {
  const TableSchemaPtr schema = Create(R"(CREATE TABLE `t` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `name` varchar(50) NOT NULL,
  `l1` varchar(10) CHARACTER SET latin1 COLLATE latin1_swedish_ci DEFAULT NULL,
  `j` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL CHECK (json_valid(`j`)),
  `s` set('a','b') DEFAULT NULL,
  `ts` timestamp(6) NOT NULL DEFAULT current_timestamp(6),
  `d` decimal(65,30) unsigned DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `name` (`name`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci)");
  CHECK(Columns(schema) == std::vector<std::string>{
                               "id int NOT NULL",
                               "name varchar(50) NOT NULL utf8mb4_unicode_ci",
                               "l1 varchar(10) latin1_swedish_ci",
                               "j longtext utf8mb4_bin",
                               "s set('a','b') utf8mb4_unicode_ci",
                               "ts timestamp(6) NOT NULL",
                               "d decimal(65,30) unsigned",
                           });
  CHECK(Keys(schema) == "PRIMARY(id) name(name)");
}

TEST_CASE("impossible CREATE TABLEs are errors naming the table and the column") {
  CHECK(CreateError("CREATE TABLE t (a INT, A INT)") ==
        "CREATE TABLE shop.t: duplicate column 'A': the table has a column of that name");
  CHECK(CreateError("CREATE TABLE t (a INT PRIMARY KEY, b INT, PRIMARY KEY (b))") ==
        "CREATE TABLE shop.t: the statement defines more than one primary key");
  CHECK(CreateError("CREATE TABLE t (a INT, UNIQUE KEY u (nope))") ==
        "CREATE TABLE shop.t: cannot add key 'u': it names column 'nope', which the table does "
        "not have (columns: a)");
  CHECK(CreateError("CREATE TABLE t (a INT, UNIQUE KEY u (a), KEY u (a))") ==
        "CREATE TABLE shop.t: cannot add index 'u': a key of that name exists");
  CHECK(CreateError("CREATE TABLE t (a VARCHAR(3), b INT) DEFAULT CHARSET=klingon") ==
        "CREATE TABLE shop.t: the table's default character set 'klingon' is not known");
}

TEST_CASE("ADD COLUMN places the column last, FIRST or AFTER another") {
  const TableSchemaPtr schema = Alter(
      Orders(), "ALTER TABLE orders ADD c1 INT, ADD c0 INT FIRST, ADD c2 VARCHAR(3) AFTER email");
  CHECK(Columns(schema) == std::vector<std::string>{"c0 int", "id bigint NOT NULL",
                                                    "email varchar(64) NOT NULL utf8mb4_general_ci",
                                                    "c2 varchar(3) utf8mb4_general_ci", "a int",
                                                    "b int", "note text utf8mb4_general_ci",
                                                    "c1 int"});
  // Keys follow their columns to their new positions.
  CHECK(Keys(schema) == "PRIMARY(id) uk_email(email) uk_ab(a,b)");
  CHECK(schema->primary_key() == std::vector<size_t>{1});
  CHECK(Columns(Alter(Orders(), "ALTER TABLE orders ADD COLUMN (x INT, y INT)")).size() == 7);
  CHECK(Columns(Alter(Orders(), "ALTER TABLE orders ADD COLUMN IF NOT EXISTS a INT")).size() == 5);
}

TEST_CASE("a dropped column leaves its keys, and a key left empty is dropped") {
  const TableSchemaPtr schema = Alter(Orders(), "ALTER TABLE orders DROP COLUMN a, DROP email");
  CHECK(Columns(schema) ==
        std::vector<std::string>{"id bigint NOT NULL", "b int", "note text utf8mb4_general_ci"});
  CHECK(Keys(schema) == "PRIMARY(id) uk_ab(b)");
  CHECK(Keys(Alter(Orders(), "ALTER TABLE orders DROP id")) == "uk_email(email) uk_ab(a,b)");
  CHECK(Alter(Orders(), "ALTER TABLE orders DROP id")->key().index_name == "uk_email");
  CHECK(Columns(Alter(Orders(), "ALTER TABLE orders DROP COLUMN IF EXISTS nope")).size() == 5);
}

TEST_CASE("CHANGE renames and redefines a column inside its keys; MODIFY redefines it") {
  const TableSchemaPtr changed =
      Alter(Orders(),
            "ALTER TABLE orders CHANGE email mail VARCHAR(128) CHARSET latin1 NOT NULL FIRST, "
            "MODIFY a BIGINT UNSIGNED AFTER note, RENAME COLUMN b TO bee");
  CHECK(Columns(changed) == std::vector<std::string>{"mail varchar(128) NOT NULL latin1_swedish_ci",
                                                     "id bigint NOT NULL", "bee int",
                                                     "note text utf8mb4_general_ci",
                                                     "a bigint unsigned"});
  CHECK(Keys(changed) == "PRIMARY(id) uk_email(mail) uk_ab(a,bee)");
  // MODIFY without a collation takes the table's default, not the column's old one.
  const TableSchemaPtr latin = Create("CREATE TABLE t (a VARCHAR(5) CHARSET latin1)");
  CHECK(Columns(Alter(latin, "ALTER TABLE t MODIFY a VARCHAR(9)")) ==
        std::vector<std::string>{"a varchar(9) utf8mb4_general_ci"});
  CHECK(Columns(Alter(Orders(), "ALTER TABLE orders MODIFY IF EXISTS nope INT")).size() == 5);
  CHECK(Columns(Alter(Orders(), "ALTER TABLE orders CHANGE a A INT NOT NULL"))[2] ==
        "A int NOT NULL");
}

TEST_CASE("key clauses add, drop and rename primary and unique keys") {
  const TableSchemaPtr base = Create("CREATE TABLE t (a INT, b INT, c INT)");
  const TableSchemaPtr keyed =
      Alter(base,
            "ALTER TABLE t ADD PRIMARY KEY (a, b), ADD UNIQUE (c), ADD UNIQUE KEY uk (b, c), "
            "ADD INDEX plain (a)");
  CHECK(Columns(keyed) == std::vector<std::string>{"a int NOT NULL", "b int NOT NULL", "c int"});
  CHECK(Keys(keyed) == "PRIMARY(a,b) c(c) uk(b,c)");
  CHECK(Keys(Alter(keyed, "ALTER TABLE t DROP PRIMARY KEY, DROP INDEX c")) == "uk(b,c)");
  CHECK(Keys(Alter(keyed, "ALTER TABLE t RENAME INDEX uk TO uk2, DROP KEY plain")) ==
        "PRIMARY(a,b) c(c) uk2(b,c)");
  CHECK(Keys(Alter(keyed, "ALTER TABLE t DROP CONSTRAINT uk, DROP CONSTRAINT some_check")) ==
        "PRIMARY(a,b) c(c)");
  CHECK(Keys(Alter(keyed, "ALTER TABLE t ADD UNIQUE (c)")) == "PRIMARY(a,b) c(c) uk(b,c) c_2(c)");
  CHECK(Keys(Alter(keyed, "ALTER TABLE t ADD UNIQUE KEY IF NOT EXISTS uk (a)")) ==
        "PRIMARY(a,b) c(c) uk(b,c)");
  CHECK(Keys(Alter(keyed, "ALTER TABLE t DROP PRIMARY KEY, ADD PRIMARY KEY (c)")) ==
        "PRIMARY(c) c(c) uk(b,c)");
  CHECK(Keys(Alter(keyed, "ALTER TABLE t DROP INDEX `PRIMARY`")) == "c(c) uk(b,c)");
}

TEST_CASE("CREATE INDEX and DROP INDEX apply as ALTER TABLE") {
  const TableSchemaPtr base = Create("CREATE TABLE t (a INT NOT NULL, b INT)");
  const TableSchemaPtr indexed = Alter(base, "CREATE UNIQUE INDEX ua ON t (a)");
  CHECK(Keys(indexed) == "ua(a)");
  CHECK(indexed->key().kind == KeyKind::kUnique);
  CHECK(Keys(Alter(indexed, "DROP INDEX ua ON t")).empty());
  CHECK(Keys(Alter(indexed, "CREATE INDEX ib ON t (b)")) == "ua(a)");
}

TEST_CASE("CONVERT TO CHARACTER SET gives every text column the collation and keeps lengths") {
  const TableSchemaPtr latin = Create(
      "CREATE TABLE t (id INT, a VARCHAR(10), b TEXT, c TINYTEXT, d MEDIUMTEXT, "
      "e VARCHAR(20000), f ENUM('x'), g VARBINARY(4), h TEXT COLLATE latin1_bin) CHARSET=latin1");
  CHECK(Columns(
            Alter(latin, "ALTER TABLE t CONVERT TO CHARACTER SET utf8mb4", "latin1_swedish_ci")) ==
        std::vector<std::string>{"id int", "a varchar(10) utf8mb4_general_ci",
                                 "b mediumtext utf8mb4_general_ci", "c text utf8mb4_general_ci",
                                 "d longtext utf8mb4_general_ci", "e mediumtext utf8mb4_general_ci",
                                 "f enum('x') utf8mb4_general_ci", "g varbinary(4)",
                                 "h mediumtext utf8mb4_general_ci"});
  CHECK(Columns(Alter(latin, "ALTER TABLE t CONVERT TO CHARSET utf8mb4 COLLATE utf8mb4_bin"))[1] ==
        "a varchar(10) utf8mb4_bin");
  const TableSchemaPtr wide = Create("CREATE TABLE t (b TEXT, c TINYTEXT)");
  CHECK(Columns(Alter(wide, "ALTER TABLE t CONVERT TO CHARACTER SET latin1")) ==
        std::vector<std::string>{"b text latin1_swedish_ci", "c tinytext latin1_swedish_ci"});
}

TEST_CASE("a new default character set applies to the columns the statement adds, not others") {
  const TableSchemaPtr schema = Alter(
      Orders(), "ALTER TABLE orders ADD x VARCHAR(5), DEFAULT CHARSET=latin1, MODIFY note TEXT");
  CHECK(Columns(schema)[1] == "email varchar(64) NOT NULL utf8mb4_general_ci");
  CHECK(Columns(schema)[4] == "note text latin1_swedish_ci");
  CHECK(Columns(schema)[5] == "x varchar(5) latin1_swedish_ci");

  auto after = [](std::string_view sql, std::string_view before) {
    auto statement = ParseDdl(sql, "shop");
    REQUIRE(statement.ok());
    auto collation = TableDefaultCollationAfter(std::get<AlterTable>(*statement), before);
    REQUIRE(collation.ok());
    return *collation;
  };
  CHECK(after("ALTER TABLE t ENGINE=InnoDB", kUtf8mb4) == kUtf8mb4);
  CHECK(after("ALTER TABLE t DEFAULT CHARSET utf8", kUtf8mb4) == "utf8mb3_general_ci");
  CHECK(after("ALTER TABLE t COLLATE utf8mb4_bin", kUtf8mb4) == "utf8mb4_bin");
  CHECK(after("ALTER TABLE t CONVERT TO CHARACTER SET latin1 COLLATE latin1_bin", kUtf8mb4) ==
        "latin1_bin");
  CHECK(after("ALTER TABLE t CHARACTER SET DEFAULT", "latin1_bin") == "latin1_bin");
}

TEST_CASE("RENAME TO, CREATE TABLE ... LIKE and RENAME TABLE change the table's id only") {
  const TableSchemaPtr renamed = Alter(Orders(), "ALTER TABLE orders RENAME TO archive.orders_old");
  CHECK(renamed->id() == TableId{"archive", "orders_old"});
  CHECK(Columns(renamed) == Columns(Orders()));
  CHECK(Keys(renamed) == Keys(Orders()));
  auto copy = RenamedSchema(*Orders(), TableId{"shop", "orders_copy"});
  REQUIRE(copy.ok());
  CHECK((*copy)->id() == TableId{"shop", "orders_copy"});
  CHECK((*copy)->columns() == Orders()->columns());
  CHECK((*copy)->unique_keys() == Orders()->unique_keys());
}

TEST_CASE("clauses without an effect on columns and keys leave them as they were") {
  const TableSchemaPtr schema =
      Alter(Orders(),
            "ALTER TABLE orders ALTER COLUMN a SET DEFAULT 5, ALTER b DROP DEFAULT, "
            "ENGINE=InnoDB, ALGORITHM=INPLACE, LOCK=NONE, FORCE, "
            "ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES p (id), ADD CHECK (a > 0), "
            "ADD FULLTEXT INDEX ft (note), PARTITION BY HASH (id) PARTITIONS 4");
  CHECK(Columns(schema) == Columns(Orders()));
  CHECK(Keys(schema) == Keys(Orders()));
}

TEST_CASE("impossible ALTER TABLEs are errors naming the table and the column") {
  CHECK(AlterError(Orders(), "ALTER TABLE orders DROP COLUMN nope") ==
        "ALTER TABLE shop.orders: cannot drop column 'nope': the table has no such column "
        "(columns: id, email, a, b, note); if the source has it, the schema the pipeline holds "
        "is stale: resnapshot the table");
  CHECK(AlterError(Orders(), "ALTER TABLE orders ADD a INT") ==
        "ALTER TABLE shop.orders: cannot add column 'a': the table has a column of that name");
  CHECK(AlterError(Orders(), "ALTER TABLE orders ADD z INT AFTER nope") ==
        "ALTER TABLE shop.orders: cannot add a column after 'nope': the table has no such "
        "column (columns: id, email, a, b, note)");
  CHECK(AlterError(Orders(), "ALTER TABLE orders CHANGE a b INT") ==
        "ALTER TABLE shop.orders: cannot rename column 'a' to 'b': the table has a column of "
        "that name");
  CHECK(AlterError(Orders(), "ALTER TABLE orders RENAME COLUMN nope TO x")
            .starts_with("ALTER TABLE shop.orders: cannot rename column 'nope': the table has no "
                         "such column"));
  CHECK(AlterError(Orders(), "ALTER TABLE orders MODIFY nope INT")
            .starts_with("ALTER TABLE shop.orders: cannot modify column 'nope'"));
  CHECK(AlterError(Orders(), "ALTER TABLE orders ALTER nope SET DEFAULT 1")
            .starts_with("ALTER TABLE shop.orders: cannot change the default of column 'nope'"));
  CHECK(AlterError(Orders(), "ALTER TABLE orders ADD PRIMARY KEY (a)") ==
        "ALTER TABLE shop.orders: cannot add a primary key: the table has one; drop it first");
  CHECK(AlterError(Create("CREATE TABLE t (a INT)"), "ALTER TABLE t DROP PRIMARY KEY") ==
        "ALTER TABLE shop.t: cannot drop the primary key: the table has none");
  CHECK(AlterError(Orders(), "ALTER TABLE orders ADD UNIQUE KEY uk_ab (note)") ==
        "ALTER TABLE shop.orders: cannot add unique key 'uk_ab': a key of that name exists");
  CHECK(AlterError(Orders(), "ALTER TABLE orders ADD UNIQUE (nope)") ==
        "ALTER TABLE shop.orders: cannot add key 'nope': it names column 'nope', which the "
        "table does not have (columns: id, email, a, b, note)");
  CHECK(AlterError(Create("CREATE TABLE t (a INT)"), "ALTER TABLE t DROP a") ==
        "ALTER TABLE: table shop.t has no columns; a table schema needs at least one column");
}

TEST_CASE("a column without a collation needs the table's default") {
  ColumnDefinition definition;
  definition.column.name = "c";
  definition.column.type = ColumnType::kVarChar;
  definition.column.length = 3;
  auto column = ResolveColumn(definition, "");
  REQUIRE_FALSE(column.ok());
  CHECK(column.status().message() ==
        "column 'c' names no collation and the table's default collation is not known; give "
        "the table's default collation");
  definition.column.type = ColumnType::kInt;
  CHECK(ResolveColumn(definition, "").ok());
}

TEST_CASE("a gh-ost migration replayed through the statements ends with the altered table") {
  const TableSchemaPtr orders = Orders();
  const auto like = ParseAs<CreateTableLike>(
      "create /* gh-ost */ table `shop`.`_orders_gho` like `shop`.`orders`");
  auto ghost = RenamedSchema(*orders, like.table);
  REQUIRE(ghost.ok());
  const TableSchemaPtr altered =
      Alter(*ghost,
            "alter /* gh-ost */ table `shop`.`_orders_gho` add column `status` "
            "enum('new','paid') not null default 'new' after `id`, drop key `uk_ab`");
  const auto rename = ParseAs<RenameTable>(
      "rename /* gh-ost */ table `shop`.`orders` to `shop`.`_orders_del`, "
      "`shop`.`_orders_gho` to `shop`.`orders`");
  REQUIRE(rename.renames.size() == 2);
  CHECK(rename.renames[1].from == altered->id());
  auto final_schema = RenamedSchema(*altered, rename.renames[1].to);
  REQUIRE(final_schema.ok());
  CHECK((*final_schema)->id() == TableId{"shop", "orders"});
  CHECK(Columns(*final_schema) ==
        std::vector<std::string>{"id bigint NOT NULL",
                                 "status enum('new','paid') NOT NULL utf8mb4_general_ci",
                                 "email varchar(64) NOT NULL utf8mb4_general_ci", "a int", "b int",
                                 "note text utf8mb4_general_ci"});
  CHECK(Keys(*final_schema) == "PRIMARY(id) uk_email(email)");
}

TEST_CASE("CREATE TABLE keeps defaults, ON UPDATE, comments, every index and the table options") {
  const TableSchemaPtr schema = Create(
      "CREATE TABLE t (id INT PRIMARY KEY, v INT DEFAULT 5 COMMENT 'c', w VARCHAR(5) NOT NULL "
      "DEFAULT 'x', n INT DEFAULT NULL, ts TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON "
      "UPDATE CURRENT_TIMESTAMP(6), g INT AS (v + 1) VIRTUAL, doc TEXT, p POINT NOT NULL, "
      "KEY iv (v), KEY (w(3) DESC, v), FULLTEXT KEY ft (doc), SPATIAL INDEX (p), UNIQUE (n)) "
      "COMMENT='the table' DEFAULT CHARSET=latin1");
  CHECK(CreateTableStatement(*schema) ==
        "CREATE TABLE `shop`.`t` (`id` int NOT NULL, `v` int NULL DEFAULT 5 COMMENT 'c', "
        "`w` varchar(5) CHARACTER SET latin1 COLLATE latin1_swedish_ci NOT NULL DEFAULT 'x', "
        "`n` int NULL, `ts` timestamp(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE "
        "CURRENT_TIMESTAMP(6), `g` int NULL, `doc` text CHARACTER SET latin1 COLLATE "
        "latin1_swedish_ci NULL, `p` point NOT NULL, PRIMARY KEY (`id`), KEY `iv` (`v`), "
        "KEY `w` (`w`(3) DESC, `v`), FULLTEXT KEY `ft` (`doc`), SPATIAL KEY `p` (`p`), "
        "UNIQUE KEY `n` (`n`)) DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci "
        "COMMENT='the table'");
  CHECK(Keys(schema) == "PRIMARY(id) n(n)");  // the row key's choice is unchanged
  CHECK(schema->indexes().size() == 6);
}

TEST_CASE("ALTER TABLE changes defaults, comments, indexes and the table's comment") {
  const TableSchemaPtr base = Create(
      "CREATE TABLE t (id INT PRIMARY KEY, v INT DEFAULT 5 COMMENT 'c', w VARCHAR(5) NOT NULL "
      "DEFAULT 'x', KEY iv (v), KEY iw (w, v))");
  auto text = [](const TableSchemaPtr& schema) { return CreateTableStatement(*schema); };
  CHECK(text(Alter(base, "ALTER TABLE t ALTER COLUMN v SET DEFAULT 7, ALTER w DROP DEFAULT")) ==
        "CREATE TABLE `shop`.`t` (`id` int NOT NULL, `v` int NULL DEFAULT 7 COMMENT 'c', `w` "
        "varchar(5) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci NOT NULL, PRIMARY KEY "
        "(`id`), KEY `iv` (`v`), KEY `iw` (`w`, `v`)) DEFAULT CHARSET=utf8mb4 "
        "COLLATE=utf8mb4_general_ci");
  // MODIFY redefines the whole column: what it leaves out is gone.
  CHECK(text(Alter(base, "ALTER TABLE t MODIFY v BIGINT COMMENT 'big', COMMENT 'x''s'")) ==
        "CREATE TABLE `shop`.`t` (`id` int NOT NULL, `v` bigint NULL COMMENT 'big', `w` "
        "varchar(5) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci NOT NULL DEFAULT 'x', "
        "PRIMARY KEY (`id`), KEY `iv` (`v`), KEY `iw` (`w`, `v`)) DEFAULT CHARSET=utf8mb4 "
        "COLLATE=utf8mb4_general_ci COMMENT='x\\'s'");
  auto indexes = [](const TableSchemaPtr& schema) {
    std::string out;
    for (const IndexSchema& index : schema->indexes()) {
      out += (out.empty() ? "" : " ") + IndexDefinitionSql(*schema, index, index.kind);
    }
    return out;
  };
  CHECK(indexes(Alter(base,
                      "ALTER TABLE t DROP INDEX iv, ADD INDEX iw2 (w(2)), RENAME INDEX "
                      "iw TO iwv, DROP COLUMN v")) ==
        "PRIMARY KEY (`id`) KEY `iwv` (`w`) KEY `iw2` (`w`(2))");
  CHECK(indexes(Alter(base, "CREATE FULLTEXT INDEX fw ON t (w)")) ==
        "PRIMARY KEY (`id`) KEY `iv` (`v`) KEY `iw` (`w`, `v`) FULLTEXT KEY `fw` (`w`)");
  CHECK(indexes(Alter(base, "DROP INDEX iw ON t")) == "PRIMARY KEY (`id`) KEY `iv` (`v`)");
  CHECK(indexes(Alter(base, "ALTER TABLE t ADD INDEX (v)")) ==
        "PRIMARY KEY (`id`) KEY `iv` (`v`) KEY `iw` (`w`, `v`) KEY `v` (`v`)");
  CHECK(indexes(Alter(base, "ALTER TABLE t CHANGE v value INT")) ==
        "PRIMARY KEY (`id`) KEY `iv` (`value`) KEY `iw` (`w`, `value`)");
  // A name not held (a catalog saved by an earlier version holds no plain indexes) is no error.
  CHECK(indexes(Alter(base, "ALTER TABLE t DROP INDEX unknown")) == indexes(base));
  CHECK(AlterError(base, "ALTER TABLE t ADD INDEX iv (w)") ==
        "ALTER TABLE shop.t: cannot add index 'iv': a key of that name exists");
}

TEST_CASE("DEFAULT NULL is no default, and a generated column has none") {
  const TableSchemaPtr schema = Create(
      "CREATE TABLE t (a INT DEFAULT NULL, b INT NULL DEFAULT null, c INT AS (a) STORED, "
      "d INT NOT NULL DEFAULT 0)");
  CHECK_FALSE(schema->columns()[0].default_value.has_value());
  CHECK_FALSE(schema->columns()[1].default_value.has_value());
  CHECK_FALSE(schema->columns()[2].default_value.has_value());
  CHECK(schema->columns()[3].default_value == "0");
  CHECK_FALSE(Alter(schema, "ALTER TABLE t ALTER d SET DEFAULT NULL")->columns()[3].default_value);
}

TEST_CASE("CREATE TABLE ... LIKE and RENAME keep the whole definition") {
  const TableSchemaPtr schema = Create(
      "CREATE TABLE t (id INT PRIMARY KEY, v INT DEFAULT 5 COMMENT 'c', KEY iv (v)) "
      "COMMENT 'tc' CHARSET latin1");
  auto copy = RenamedSchema(*schema, TableId{"shop", "t2"});
  REQUIRE(copy.ok());
  CHECK((*copy)->columns() == schema->columns());
  CHECK((*copy)->indexes() == schema->indexes());
  CHECK((*copy)->attributes() == TableAttributes{"latin1_swedish_ci", "tc"});
  CHECK(Alter(schema, "ALTER TABLE t RENAME TO t3")->indexes() == schema->indexes());
}

}  // namespace
}  // namespace cdc
