#include "schema/ddl_parser.h"

#include <string>
#include <tuple>
#include <vector>

#include <doctest/doctest.h>

#include "test/schema/ddl_test_support.h"

namespace cdc {
namespace {

// The one column of "CREATE TABLE t (c <definition>)".
ColumnDefinition Column(const std::string& definition) {
  CreateTable create = ParseAs<CreateTable>("CREATE TABLE t (c " + definition + ")");
  REQUIRE(create.columns.size() == 1);
  return create.columns[0];
}

std::string ColumnSummary(const std::string& definition) {
  return Summary(Column(definition).column);
}

TEST_CASE("CREATE TABLE yields its columns, keys and options") {
  const CreateTable create = ParseAs<CreateTable>(
      "CREATE TABLE orders (\n"
      "  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,\n"
      "  email VARCHAR(255) NOT NULL,\n"
      "  total DECIMAL(12,2) DEFAULT '0.00',\n"
      "  created DATETIME(3) NULL,\n"
      "  PRIMARY KEY (id),\n"
      "  UNIQUE KEY uk_email (email),\n"
      "  KEY idx_created (created)\n"
      ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='orders'");
  CHECK(create.table == TableId{"shop", "orders"});
  CHECK_FALSE(create.temporary);
  CHECK_FALSE(create.if_not_exists);
  REQUIRE(create.columns.size() == 4);
  CHECK(Summary(create.columns[0].column) == "id bigint unsigned NOT NULL");
  CHECK(create.columns[0].auto_increment);
  CHECK(create.columns[0].sql == "id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT");
  CHECK(create.columns[0].type_sql == "BIGINT UNSIGNED");
  CHECK(Summary(create.columns[1].column) == "email varchar(255) NOT NULL");
  CHECK(create.columns[1].column.collation.empty());  // takes the table's default
  CHECK(Summary(create.columns[2].column) == "total decimal(12,2)");
  CHECK(create.columns[2].default_value == "'0.00'");
  CHECK(Summary(create.columns[3].column) == "created datetime(3)");
  REQUIRE(create.indexes.size() == 3);
  CHECK(create.indexes[0] ==
        IndexDefinition{IndexKind::kPrimary, "PRIMARY", {{"id", 0, false, ""}}});
  CHECK(create.indexes[1] ==
        IndexDefinition{IndexKind::kUnique, "uk_email", {{"email", 0, false, ""}}});
  CHECK(create.indexes[2] ==
        IndexDefinition{IndexKind::kPlain, "idx_created", {{"created", 0, false, ""}}});
  CHECK(create.options.engine == "InnoDB");
  CHECK(create.options.charset == "utf8mb4");
  CHECK(create.options.collation == "utf8mb4_unicode_ci");
  CHECK(create.options.comment == "orders");
}

TEST_CASE("table names are qualified by the current database unless written with one") {
  CHECK(ParseAs<CreateTable>("create table t (a int)", "db1").table == TableId{"db1", "t"});
  CHECK(ParseAs<CreateTable>("create table other.t (a int)", "db1").table == TableId{"other", "t"});
  CHECK(ParseAs<CreateTable>("create table `my db`.`my table` (a int)", "db1").table ==
        TableId{"my db", "my table"});
  CHECK(ParseAs<CreateTable>("CREATE TABLE `we``ird` (`co``l` int)").table ==
        TableId{"shop", "we`ird"});
  CHECK(ParseAs<CreateTable>("CREATE TABLE `we``ird` (`co``l` int)").columns[0].column.name ==
        "co`l");
  CHECK(ParseAs<CreateTable>("CREATE TABLE \"ansi\" (\"c\" int)").table == TableId{"shop", "ansi"});
  CHECK(ParseAs<CreateTable>("CREATE TABLE `größe` (`名前` int)").columns[0].column.name == "名前");
}

TEST_CASE("keywords are read whatever their case") {
  const CreateTable lower = ParseAs<CreateTable>(
      "create temporary table if not exists t (a int unsigned not null default 1 primary key)");
  const CreateTable mixed = ParseAs<CreateTable>(
      "CrEaTe TeMpOrArY tAbLe If NoT eXiStS t (a InT uNsIgNeD nOt NuLl DeFaUlT 1 PrImArY kEy)");
  CHECK(lower.temporary);
  CHECK(lower.if_not_exists);
  CHECK(Summary(lower.columns[0].column) == "a int unsigned NOT NULL");
  CHECK(lower.columns[0].column == mixed.columns[0].column);
  CHECK(lower.indexes == mixed.indexes);
  CHECK(mixed.temporary);
}

TEST_CASE("integer types, their aliases and display widths") {
  CHECK(ColumnSummary("TINYINT") == "c tinyint");
  CHECK(ColumnSummary("tinyint(4) unsigned zerofill") == "c tinyint unsigned");
  CHECK(ColumnSummary("INT1") == "c tinyint");
  CHECK(ColumnSummary("BOOL") == "c tinyint");
  CHECK(ColumnSummary("BOOLEAN NOT NULL") == "c tinyint NOT NULL");
  CHECK(ColumnSummary("SMALLINT(6)") == "c smallint");
  CHECK(ColumnSummary("INT2 UNSIGNED") == "c smallint unsigned");
  CHECK(ColumnSummary("MEDIUMINT(8) UNSIGNED") == "c mediumint unsigned");
  CHECK(ColumnSummary("INT3") == "c mediumint");
  CHECK(ColumnSummary("MIDDLEINT") == "c mediumint");
  CHECK(ColumnSummary("INT(11)") == "c int");
  CHECK(ColumnSummary("INTEGER SIGNED") == "c int");
  CHECK(ColumnSummary("INT4") == "c int");
  CHECK(ColumnSummary("INT ZEROFILL") == "c int unsigned");
  CHECK(ColumnSummary("BIGINT(20) UNSIGNED") == "c bigint unsigned");
  CHECK(ColumnSummary("INT8") == "c bigint");
}

TEST_CASE("SERIAL is a NOT NULL AUTO_INCREMENT unsigned bigint with a unique key") {
  const CreateTable create = ParseAs<CreateTable>("CREATE TABLE t (id SERIAL, v INT)");
  CHECK(Summary(create.columns[0].column) == "id bigint unsigned NOT NULL");
  CHECK(create.columns[0].auto_increment);
  CHECK(create.columns[0].type_sql == "SERIAL");
  REQUIRE(create.indexes.size() == 1);
  CHECK(create.indexes[0] == IndexDefinition{IndexKind::kUnique, "", {{"id", 0, false, ""}}});

  const CreateTable attribute =
      ParseAs<CreateTable>("CREATE TABLE t (id INT SERIAL DEFAULT VALUE)");
  CHECK(Summary(attribute.columns[0].column) == "id int NOT NULL");
  CHECK(attribute.columns[0].auto_increment);
  CHECK(attribute.indexes.size() == 1);
}

TEST_CASE("floating point and fixed point types") {
  CHECK(ColumnSummary("FLOAT") == "c float");
  CHECK(ColumnSummary("FLOAT(7,3) UNSIGNED") == "c float unsigned");
  CHECK(ColumnSummary("FLOAT(24)") == "c float");
  CHECK(ColumnSummary("FLOAT(25)") == "c double");
  CHECK(ColumnSummary("FLOAT4") == "c float");
  CHECK(ColumnSummary("FLOAT8") == "c double");
  CHECK(ColumnSummary("DOUBLE") == "c double");
  CHECK(ColumnSummary("DOUBLE PRECISION(10,2)") == "c double");
  CHECK(ColumnSummary("REAL") == "c double");
  CHECK(ColumnSummary("DECIMAL") == "c decimal(10,0)");
  CHECK(ColumnSummary("DECIMAL(5)") == "c decimal(5,0)");
  CHECK(ColumnSummary("decimal(65,30) unsigned") == "c decimal(65,30) unsigned");
  CHECK(ColumnSummary("NUMERIC(8,3)") == "c decimal(8,3)");
  CHECK(ColumnSummary("DEC(4,1)") == "c decimal(4,1)");
  CHECK(ColumnSummary("FIXED(6,2)") == "c decimal(6,2)");
}

TEST_CASE("bit, year and temporal types with fractional seconds") {
  CHECK(ColumnSummary("BIT") == "c bit(1)");
  CHECK(ColumnSummary("BIT(64)") == "c bit(64)");
  CHECK(ColumnSummary("YEAR") == "c year");
  CHECK(ColumnSummary("YEAR(4)") == "c year");
  CHECK(ColumnSummary("DATE") == "c date");
  CHECK(ColumnSummary("TIME") == "c time");
  CHECK(ColumnSummary("TIME(3)") == "c time(3)");
  CHECK(ColumnSummary("DATETIME") == "c datetime");
  CHECK(ColumnSummary("DATETIME(6)") == "c datetime(6)");
  CHECK(ColumnSummary("TIMESTAMP") == "c timestamp");
  CHECK(ColumnSummary("TIMESTAMP(6) NOT NULL") == "c timestamp(6) NOT NULL");
  CHECK(Column("TIMESTAMP(2)").column.fsp == 2);
}

TEST_CASE("character types, national types and their character sets") {
  CHECK(ColumnSummary("CHAR") == "c char(1)");
  CHECK(ColumnSummary("CHAR(10)") == "c char(10)");
  CHECK(ColumnSummary("CHARACTER(3)") == "c char(3)");
  CHECK(ColumnSummary("VARCHAR(64)") == "c varchar(64)");
  CHECK(ColumnSummary("CHARACTER VARYING(64)") == "c varchar(64)");
  CHECK(ColumnSummary("CHAR VARYING(5)") == "c varchar(5)");
  CHECK(ColumnSummary("NATIONAL CHAR(5)") == "c char(5) utf8mb3_general_ci");
  CHECK(ColumnSummary("NCHAR(5)") == "c char(5) utf8mb3_general_ci");
  CHECK(ColumnSummary("NATIONAL VARCHAR(5)") == "c varchar(5) utf8mb3_general_ci");
  CHECK(ColumnSummary("NATIONAL CHARACTER VARYING(5)") == "c varchar(5) utf8mb3_general_ci");
  CHECK(ColumnSummary("NVARCHAR(5)") == "c varchar(5) utf8mb3_general_ci");
  CHECK(ColumnSummary("NCHAR VARCHAR(5)") == "c varchar(5) utf8mb3_general_ci");
  CHECK(ColumnSummary("VARCHAR(5) CHARACTER SET latin1") == "c varchar(5) latin1_swedish_ci");
  CHECK(ColumnSummary("VARCHAR(5) CHARSET utf8") == "c varchar(5) utf8mb3_general_ci");
  CHECK(ColumnSummary("VARCHAR(5) CHARSET ascii") == "c varchar(5) ascii_general_ci");
  CHECK(ColumnSummary("VARCHAR(5) CHARSET utf8mb4") == "c varchar(5) utf8mb4_general_ci");
  CHECK(ColumnSummary("VARCHAR(5) COLLATE utf8mb4_bin") == "c varchar(5) utf8mb4_bin");
  CHECK(ColumnSummary("VARCHAR(5) CHARACTER SET utf8 COLLATE utf8_unicode_ci") ==
        "c varchar(5) utf8mb3_unicode_ci");
  CHECK(ColumnSummary("VARCHAR(5) COLLATE 'latin1_bin' CHARACTER SET 'latin1'") ==
        "c varchar(5) latin1_bin");
  CHECK(ColumnSummary("VARCHAR(5) CHARACTER SET latin1 BINARY") == "c varchar(5) latin1_bin");
  CHECK(ColumnSummary("CHAR(2) ASCII") == "c char(2) latin1_swedish_ci");
  CHECK(Column("VARCHAR(5) BINARY").binary_collation);
  CHECK(Column("VARCHAR(5) BINARY").column.collation.empty());
  CHECK(Column("VARCHAR(5) CHARACTER SET UTF8MB4").charset == "utf8mb4");
}

TEST_CASE("text, binary and blob types") {
  CHECK(ColumnSummary("TINYTEXT") == "c tinytext");
  CHECK(ColumnSummary("TEXT") == "c text");
  CHECK(ColumnSummary("MEDIUMTEXT") == "c mediumtext");
  CHECK(ColumnSummary("LONGTEXT") == "c longtext");
  CHECK(ColumnSummary("LONG") == "c mediumtext");
  CHECK(ColumnSummary("LONG VARCHAR") == "c mediumtext");
  CHECK(ColumnSummary("LONG VARBINARY") == "c mediumblob");
  CHECK(Column("TEXT(1000)").text_length == 1000);
  CHECK(ColumnSummary("BINARY") == "c binary(1)");
  CHECK(ColumnSummary("BINARY(16)") == "c binary(16)");
  CHECK(ColumnSummary("CHAR(16) BYTE") == "c binary(16)");
  CHECK(ColumnSummary("VARBINARY(255)") == "c varbinary(255)");
  CHECK(ColumnSummary("TINYBLOB") == "c tinyblob");
  CHECK(ColumnSummary("BLOB") == "c blob");
  CHECK(Column("BLOB(70000)").text_length == 70000);
  CHECK(ColumnSummary("MEDIUMBLOB") == "c mediumblob");
  CHECK(ColumnSummary("LONGBLOB") == "c longblob");
}

TEST_CASE("ENUM and SET keep their labels, quotes and escapes included") {
  const ColumnDefinition e = Column("ENUM('a','it''s','back\\\\slash','q\\'uote', 'with space')");
  CHECK(e.column.type == ColumnType::kEnum);
  CHECK(e.column.labels ==
        std::vector<std::string>{"a", "it's", "back\\slash", "q'uote", "with space"});
  const ColumnDefinition s = Column("set('x','y') CHARACTER SET latin1 NOT NULL DEFAULT 'x'");
  CHECK(Summary(s.column) == "c set('x','y') NOT NULL latin1_swedish_ci");
  CHECK(Column("ENUM(_utf8mb4'a', 'b')").column.labels == std::vector<std::string>{"a", "b"});
  CHECK(Column("enum('')").column.labels == std::vector<std::string>{""});
}

TEST_CASE("JSON, spatial and MariaDB's UUID / INET types") {
  CHECK(ColumnSummary("JSON") == "c json");
  for (const char* type :
       {"GEOMETRY", "POINT", "LINESTRING", "POLYGON", "MULTIPOINT", "MULTILINESTRING",
        "MULTIPOLYGON", "GEOMETRYCOLLECTION", "GEOMCOLLECTION"}) {
    CAPTURE(type);
    CHECK(Column(type).column.type == ColumnType::kGeometry);
  }
  CHECK(ColumnSummary("POINT NOT NULL SRID 4326") == "c point NOT NULL");  // GEOMETRY values
  CHECK(ColumnSummary("GEOMCOLLECTION") == "c geometrycollection");
  // The bytes the binlog carries: BINARY(16) and BINARY(4), with the type's name.
  CHECK(ColumnSummary("UUID") == "c uuid");
  CHECK(Column("UUID").type_sql == "UUID");
  CHECK(ColumnSummary("INET6") == "c inet6");
  CHECK(ColumnSummary("INET4") == "c inet4");
  for (auto [type, fixed, length] : {std::tuple{"UUID", FixedBinaryType::kUuid, 16u},
                                     std::tuple{"INET6", FixedBinaryType::kInet6, 16u},
                                     std::tuple{"INET4", FixedBinaryType::kInet4, 4u}}) {
    const auto& type_shown = type;  // CAPTURE cannot name a structured binding under clang 14
    CAPTURE(type_shown);
    CHECK(Column(type).column.type == ColumnType::kBinary);
    CHECK(Column(type).column.length == length);
    CHECK(Column(type).column.fixed_binary == fixed);
  }
}

TEST_CASE("DEFAULT values keep their text: literals, functions and expressions") {
  CHECK(Column("INT DEFAULT 0").default_value == "0");
  CHECK(Column("INT DEFAULT -1").default_value == "-1");
  CHECK(Column("DOUBLE DEFAULT +1.5e3").default_value == "+1.5e3");
  CHECK(Column("VARCHAR(5) DEFAULT 'it''s'").default_value == "'it''s'");
  CHECK(Column("VARCHAR(5) DEFAULT _utf8mb4'x' COLLATE utf8mb4_bin").default_value ==
        "_utf8mb4'x'");
  CHECK(Column("INT DEFAULT NULL").default_value == "NULL");
  CHECK(Column("BIT(1) DEFAULT b'0'").default_value == "b'0'");
  CHECK(Column("BINARY(2) DEFAULT 0x0A0B").default_value == "0x0A0B");
  CHECK(Column("TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6)")
            .default_value == "CURRENT_TIMESTAMP(6)");
  CHECK(Column("TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6)")
            .on_update == "CURRENT_TIMESTAMP(6)");
  CHECK(
      Column("DATETIME DEFAULT current_timestamp() ON UPDATE current_timestamp()").default_value ==
      "current_timestamp()");
  CHECK(Column("DATETIME DEFAULT NOW()").default_value == "NOW()");
  CHECK(Column("DATE DEFAULT DATE '2020-01-01'").default_value == "DATE '2020-01-01'");
  CHECK(Column("BINARY(16) DEFAULT (uuid_to_bin(uuid()))").default_value ==
        "(uuid_to_bin(uuid()))");
  CHECK(Column("INT DEFAULT (1 + 2) NOT NULL").default_value == "(1 + 2)");
  CHECK(Column("INT DEFAULT 1 + 2").default_value == "1 + 2");
  CHECK(Column("CHAR(36) DEFAULT uuid()").default_value == "uuid()");
  CHECK(Column("BIGINT DEFAULT nextval(`seq`)").default_value == "nextval(`seq`)");
  CHECK(Column("INT DEFAULT 5 NOT NULL").column.nullable == false);
  CHECK_FALSE(Column("INT").default_value.has_value());
}

TEST_CASE("column attributes: comments, generated columns, visibility, checks, references") {
  const ColumnDefinition commented = Column("INT NOT NULL COMMENT 'the ''count'''");
  CHECK(commented.comment == "the 'count'");
  CHECK(commented.sql == "c INT NOT NULL COMMENT 'the ''count'''");

  const ColumnDefinition virtual_column = Column("INT AS (a + 1)");
  CHECK(virtual_column.generated_as == "(a + 1)");
  CHECK(virtual_column.generated_storage == GeneratedColumnStorage::kVirtual);
  CHECK(Column("INT GENERATED ALWAYS AS (a * 2) STORED NOT NULL").generated_storage ==
        GeneratedColumnStorage::kStored);
  CHECK(Column("INT AS (a * 2) PERSISTENT").generated_storage == GeneratedColumnStorage::kStored);
  CHECK(Column("INT AS (a) VIRTUAL").generated_storage == GeneratedColumnStorage::kVirtual);
  CHECK(Column("TIMESTAMP(6) GENERATED ALWAYS AS ROW START").generated_as == "ROW START");

  CHECK(Column("INT INVISIBLE").invisible);
  CHECK_FALSE(Column("INT VISIBLE").invisible);
  CHECK(ColumnSummary("INT CHECK (c > 0)") == "c int");
  CHECK(ColumnSummary("INT CONSTRAINT positive CHECK (c > 0) NOT ENFORCED") == "c int");
  CHECK(ColumnSummary("INT REFERENCES parent (id) ON DELETE CASCADE ON UPDATE SET NULL") ==
        "c int");
  CHECK(ColumnSummary("INT REFERENCES other.parent (id) MATCH FULL ON DELETE NO ACTION") ==
        "c int");
  CHECK(ColumnSummary("INT COLUMN_FORMAT FIXED STORAGE DISK") == "c int");
  CHECK(ColumnSummary("BLOB COMPRESSED") == "c blob");
  CHECK(ColumnSummary("INT WITHOUT SYSTEM VERSIONING") == "c int");
}

TEST_CASE("inline PRIMARY KEY and UNIQUE become keys on the column") {
  const CreateTable create = ParseAs<CreateTable>(
      "CREATE TABLE t (id INT KEY, a INT UNIQUE, b INT UNIQUE KEY, c INT PRIMARY KEY)");
  REQUIRE(create.indexes.size() == 4);
  CHECK(create.indexes[0] ==
        IndexDefinition{IndexKind::kPrimary, "PRIMARY", {{"id", 0, false, ""}}});
  CHECK(create.indexes[1] == IndexDefinition{IndexKind::kUnique, "", {{"a", 0, false, ""}}});
  CHECK(create.indexes[2] == IndexDefinition{IndexKind::kUnique, "", {{"b", 0, false, ""}}});
  CHECK(create.indexes[3].kind == IndexKind::kPrimary);
}

TEST_CASE("table constraints: names, prefixes, order, index types and kinds") {
  const CreateTable create = ParseAs<CreateTable>(
      "CREATE TABLE t (a INT, b VARCHAR(100), c TEXT, g GEOMETRY NOT NULL,\n"
      "  CONSTRAINT pk PRIMARY KEY USING BTREE (a),\n"
      "  CONSTRAINT uq_named UNIQUE (b(10) DESC, a ASC),\n"
      "  UNIQUE INDEX uq2 USING HASH (a, b) COMMENT 'x' KEY_BLOCK_SIZE=8,\n"
      "  UNIQUE (b),\n"
      "  INDEX (b), KEY k_c (c(20)) INVISIBLE,\n"
      "  FULLTEXT KEY ft (c) WITH PARSER ngram, SPATIAL INDEX sp (g),\n"
      "  CONSTRAINT fk FOREIGN KEY (a) REFERENCES p (id) ON DELETE CASCADE,\n"
      "  FOREIGN KEY fk2 (b) REFERENCES p (name),\n"
      "  CONSTRAINT chk CHECK (a > 0), CHECK (b <> ''),\n"
      "  UNIQUE KEY uq_expr ((lower(b)))\n"
      ")");
  REQUIRE(create.indexes.size() == 9);
  CHECK(create.indexes[0] ==
        IndexDefinition{IndexKind::kPrimary, "PRIMARY", {{"a", 0, false, ""}}});
  CHECK(create.indexes[1] == IndexDefinition{IndexKind::kUnique,
                                             "uq_named",
                                             {{"b", 10, true, ""}, {"a", 0, false, ""}}});
  CHECK(create.indexes[2] ==
        IndexDefinition{IndexKind::kUnique, "uq2", {{"a", 0, false, ""}, {"b", 0, false, ""}}});
  CHECK(create.indexes[3] == IndexDefinition{IndexKind::kUnique, "", {{"b", 0, false, ""}}});
  CHECK(create.indexes[4] == IndexDefinition{IndexKind::kPlain, "", {{"b", 0, false, ""}}});
  CHECK(create.indexes[5] == IndexDefinition{IndexKind::kPlain, "k_c", {{"c", 20, false, ""}}});
  CHECK(create.indexes[6].kind == IndexKind::kFulltext);
  CHECK(create.indexes[7].kind == IndexKind::kSpatial);
  CHECK(create.indexes[8] ==
        IndexDefinition{IndexKind::kUnique, "uq_expr", {{"", 0, false, "(lower(b))"}}});
}

TEST_CASE("table options, partitioning and executable comments after the columns") {
  const CreateTable create = ParseAs<CreateTable>(
      "CREATE TABLE t (a INT NOT NULL, PRIMARY KEY (a)) ENGINE = MyISAM AUTO_INCREMENT=10 "
      "AVG_ROW_LENGTH=100 CHECKSUM=1 ROW_FORMAT=DYNAMIC, DEFAULT CHARACTER SET = latin1 "
      "PACK_KEYS=0 STATS_PERSISTENT=1 MAX_ROWS=1000 DATA DIRECTORY='/tmp' "
      "KEY_BLOCK_SIZE=8 COMPRESSION='zlib' TABLESPACE ts1 STORAGE DISK UNION=(a,b) "
      "PAGE_COMPRESSED=1 TRANSACTIONAL=0 ENCRYPTED=YES "
      "/*!50100 PARTITION BY RANGE (a) (PARTITION p0 VALUES LESS THAN (10), "
      "PARTITION p1 VALUES LESS THAN MAXVALUE) */");
  CHECK(create.options.engine == "MyISAM");
  CHECK(create.options.charset == "latin1");
  CHECK(create.options.collation.empty());
  CHECK(create.columns.size() == 1);

  const CreateTable versioned = ParseAs<CreateTable>(
      "CREATE TABLE t (a INT) WITH SYSTEM VERSIONING PARTITION BY SYSTEM_TIME INTERVAL 1 MONTH");
  CHECK(versioned.columns.size() == 1);
  CHECK(ParseAs<CreateTable>("CREATE TABLE t (a INT) CHARSET utf8 COLLATE utf8_bin;")
            .options.collation == "utf8mb3_bin");
}

TEST_CASE("MariaDB's SHOW CREATE TABLE output for a table of every type parses exactly") {
  const CreateTable create = ParseAs<CreateTable>(R"(CREATE TABLE `all_types` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `ti` tinyint(4) DEFAULT NULL,
  `si` smallint(5) unsigned NOT NULL DEFAULT 0,
  `mi` mediumint(9) DEFAULT NULL,
  `i` int(11) NOT NULL,
  `f` float DEFAULT NULL,
  `d` double NOT NULL DEFAULT 1.5,
  `dec` decimal(10,2) DEFAULT 0.00,
  `b` bit(5) DEFAULT b'101',
  `y` year(4) DEFAULT NULL,
  `dt` date DEFAULT '2000-01-01',
  `tm` time(3) DEFAULT NULL,
  `dtm` datetime(6) DEFAULT current_timestamp(6),
  `ts` timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp(),
  `c` char(10) NOT NULL DEFAULT '',
  `vc` varchar(255) CHARACTER SET latin1 COLLATE latin1_bin DEFAULT NULL,
  `tt` tinytext DEFAULT NULL,
  `t` text NOT NULL,
  `mt` mediumtext DEFAULT NULL,
  `lt` longtext DEFAULT NULL,
  `bn` binary(16) DEFAULT NULL,
  `vb` varbinary(64) DEFAULT NULL,
  `tb` tinyblob DEFAULT NULL,
  `bl` blob DEFAULT NULL,
  `mb` mediumblob DEFAULT NULL,
  `lb` longblob DEFAULT NULL,
  `e` enum('small','medium','large') NOT NULL DEFAULT 'small',
  `s` set('r','g','b') DEFAULT NULL,
  `j` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL CHECK (json_valid(`j`)),
  `g` geometry DEFAULT NULL,
  `p` point NOT NULL,
  `u` uuid DEFAULT NULL,
  `gen` int(11) GENERATED ALWAYS AS (`i` + 1) VIRTUAL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `uk_c` (`c`,`i`),
  KEY `idx_vc` (`vc`(10)),
  SPATIAL KEY `sp` (`p`)
) ENGINE=InnoDB AUTO_INCREMENT=3 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci)");
  std::vector<std::string> summaries;
  for (const ColumnDefinition& column : create.columns) summaries.push_back(Summary(column.column));
  CHECK(summaries == std::vector<std::string>{
                         "id bigint unsigned NOT NULL",
                         "ti tinyint",
                         "si smallint unsigned NOT NULL",
                         "mi mediumint",
                         "i int NOT NULL",
                         "f float",
                         "d double NOT NULL",
                         "dec decimal(10,2)",
                         "b bit(5)",
                         "y year",
                         "dt date",
                         "tm time(3)",
                         "dtm datetime(6)",
                         "ts timestamp NOT NULL",
                         "c char(10) NOT NULL",
                         "vc varchar(255) latin1_bin",
                         "tt tinytext",
                         "t text NOT NULL",
                         "mt mediumtext",
                         "lt longtext",
                         "bn binary(16)",
                         "vb varbinary(64)",
                         "tb tinyblob",
                         "bl blob",
                         "mb mediumblob",
                         "lb longblob",
                         "e enum('small','medium','large') NOT NULL",
                         "s set('r','g','b')",
                         "j longtext utf8mb4_bin",
                         "g geometry",
                         "p point NOT NULL",
                         "u uuid",
                         "gen int",
                     });
  CHECK(create.columns[13].on_update == "current_timestamp()");
  CHECK(create.columns[32].generated_as == "(`i` + 1)");
  CHECK(create.columns[15].sql ==
        "`vc` varchar(255) CHARACTER SET latin1 COLLATE latin1_bin DEFAULT NULL");
  REQUIRE(create.indexes.size() == 4);
  CHECK(create.indexes[1] ==
        IndexDefinition{IndexKind::kUnique, "uk_c", {{"c", 0, false, ""}, {"i", 0, false, ""}}});
  CHECK(create.indexes[2].parts[0].prefix_length == 10);
  CHECK(create.options.collation == "utf8mb4_general_ci");
}

TEST_CASE("mysqldump's CREATE TABLE with executable comments parses") {
  CHECK(std::holds_alternative<NotSchemaChange>(
      Parse("/*!40101 SET @saved_cs_client     = @@character_set_client */")));
  const CreateTable dumped = ParseAs<CreateTable>(
      "CREATE TABLE `customers` (\n"
      "  `id` int(11) NOT NULL AUTO_INCREMENT,\n"
      "  `name` varchar(100) COLLATE utf8mb4_unicode_ci NOT NULL,\n"
      "  `created_at` timestamp NULL DEFAULT NULL,\n"
      "  PRIMARY KEY (`id`),\n"
      "  KEY `customers_name_index` (`name`)\n"
      ") /*!50100 TABLESPACE `innodb_system` */ ENGINE=InnoDB AUTO_INCREMENT=42 "
      "/*!40100 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci */ "
      "/*!80016 DEFAULT ENCRYPTION='N' */;");
  CHECK(dumped.columns.size() == 3);
  CHECK(Summary(dumped.columns[1].column) == "name varchar(100) NOT NULL utf8mb4_unicode_ci");
  CHECK(Summary(dumped.columns[2].column) == "created_at timestamp");
  CHECK(dumped.options.collation == "utf8mb4_unicode_ci");
}

TEST_CASE("CREATE TABLE ... LIKE names its source, in or out of parentheses") {
  const CreateTableLike like =
      ParseAs<CreateTableLike>("CREATE TABLE IF NOT EXISTS t2 LIKE other.t1");
  CHECK(like.table == TableId{"shop", "t2"});
  CHECK(like.source == TableId{"other", "t1"});
  CHECK(like.if_not_exists);
  CHECK(ParseAs<CreateTableLike>("create table t2 (like t1)").source == TableId{"shop", "t1"});
  CHECK(ParseAs<CreateTableLike>("CREATE OR REPLACE TABLE t2 LIKE t1").or_replace);
}

TEST_CASE("CREATE TABLE ... SELECT is reported as unsupported for its table") {
  for (const char* sql :
       {"CREATE TABLE t AS SELECT * FROM s", "CREATE TABLE t SELECT a, b FROM s",
        "CREATE TABLE t (x INT) SELECT a FROM s",
        "CREATE TABLE t (x INT PRIMARY KEY) ENGINE=InnoDB IGNORE SELECT a FROM s",
        "CREATE TABLE t REPLACE SELECT a FROM s", "CREATE TABLE t (SELECT 1 AS a)",
        "create table t as with c as (select 1) select * from c"}) {
    CAPTURE(sql);
    const UnsupportedDdl unsupported = ParseAs<UnsupportedDdl>(sql);
    CHECK(unsupported.table == TableId{"shop", "t"});
    CHECK(unsupported.reason == "unsupported: CREATE TABLE ... SELECT");
  }
}

TEST_CASE("CREATE OR REPLACE TABLE is a CREATE TABLE that replaces") {
  const CreateTable create = ParseAs<CreateTable>("CREATE OR REPLACE TABLE t (a INT)");
  CHECK(create.or_replace);
  CHECK(create.columns.size() == 1);
}

TEST_CASE("statements that change no table schema are NotSchemaChange") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"BEGIN", "BEGIN"},
      {"COMMIT", "COMMIT"},
      {"INSERT INTO t VALUES (1)", "INSERT"},
      {"GRANT SELECT ON *.* TO 'u'@'%'", "GRANT"},
      {"CREATE USER 'u'@'%' IDENTIFIED BY 'p'", "CREATE USER"},
      {"CREATE OR REPLACE VIEW v AS SELECT 1", "CREATE VIEW"},
      {"CREATE ALGORITHM=UNDEFINED DEFINER=`root`@`localhost` SQL SECURITY DEFINER VIEW v AS "
       "SELECT 1",
       "CREATE VIEW"},
      {"CREATE DEFINER=`root`@`%` TRIGGER trg BEFORE INSERT ON t FOR EACH ROW SET NEW.a = 1",
       "CREATE TRIGGER"},
      {"CREATE PROCEDURE p() BEGIN SELECT 'it''s'; END", "CREATE PROCEDURE"},
      {"CREATE FUNCTION f() RETURNS INT RETURN 1", "CREATE FUNCTION"},
      {"CREATE EVENT e ON SCHEDULE EVERY 1 HOUR DO DELETE FROM t", "CREATE EVENT"},
      {"CREATE SEQUENCE s START WITH 1", "CREATE SEQUENCE"},
      {"DROP VIEW IF EXISTS v", "DROP VIEW"},
      {"DROP USER u", "DROP USER"},
      {"ALTER USER u IDENTIFIED BY 'x'", "ALTER USER"},
      {"ALTER VIEW v AS SELECT 2", "ALTER VIEW"},
      {"RENAME USER a TO b", "RENAME USER"},
      {"SET NAMES utf8mb4", "SET"},
      {"FLUSH PRIVILEGES", "FLUSH"},
      {"ANALYZE TABLE t", "ANALYZE"},
      {"OPTIMIZE TABLE t", "OPTIMIZE"},
      {"REPAIR TABLE t", "REPAIR"},
      {"XA START 'x'", "XA"},
      {"", ""},
      {"/* only a comment */", ""},
      // Malformed but clearly not a schema change (a NO_BACKSLASH_ESCAPES string).
      {"INSERT INTO t VALUES ('C:\\')", "INSERT"},
  };
  for (const auto& [sql, verb] : cases) {
    const auto& sql_shown = sql;  // CAPTURE cannot name a structured binding under clang 14
    CAPTURE(sql_shown);
    CHECK(ParseAs<NotSchemaChange>(sql).verb == verb);
  }
}

TEST_CASE("a schema change that cannot be parsed names the offset, the token and the statement") {
  CHECK(ErrorOf("CREATE TABLE t (a FOO)") ==
        "cannot parse DDL at byte 18 near 'FOO': expected a data type; statement: "
        "\"CREATE TABLE t (a FOO)\"");
  CHECK(ErrorOf("ALTER TABLE t ADD COLUMN") ==
        "cannot parse DDL at byte 24 near the end of the statement: expected a column name; "
        "statement: \"ALTER TABLE t ADD COLUMN\"");
  CHECK(ErrorOf("ALTER TABLE t FROB x") ==
        "cannot parse DDL at byte 14 near 'FROB': expected an ALTER TABLE clause (ADD, DROP, "
        "MODIFY, CHANGE, RENAME, ...); statement: \"ALTER TABLE t FROB x\"");
  CHECK(ErrorOf("CREATE TABLE t (a INT NOT NULL BLAH)") ==
        "cannot parse DDL at byte 31 near 'BLAH': expected a column attribute (NOT NULL, "
        "DEFAULT, COMMENT, ...); statement: \"CREATE TABLE t (a INT NOT NULL BLAH)\"");
  CHECK(ErrorOf("CREATE TABLE t (a VARCHAR)") ==
        "cannot parse DDL at byte 25 near ')': expected a (length); statement: "
        "\"CREATE TABLE t (a VARCHAR)\"");
  CHECK(ErrorOf("CREATE TABLE t (a INT") ==
        "cannot parse DDL at byte 21 near the end of the statement: expected ')'; statement: "
        "\"CREATE TABLE t (a INT\"");
  CHECK(ErrorOf("DROP TABLE a b") ==
        "cannot parse DDL at byte 13 near 'b': expected the end of the statement; statement: "
        "\"DROP TABLE a b\"");
  CHECK(ErrorOf("CREATE TABLE t (a DECIMAL(66,2))") ==
        "cannot parse DDL at byte 25 near '(': DECIMAL precision 66 is out of range (at most "
        "65); statement: \"CREATE TABLE t (a DECIMAL(66,2))\"");
  CHECK(ErrorOf("CREATE TABLE t (a DATETIME(7))") ==
        "cannot parse DDL at byte 26 near '(': fractional seconds precision 7 is out of range "
        "(at most 6); statement: \"CREATE TABLE t (a DATETIME(7))\"");
  CHECK(ErrorOf("CREATE TABLE t (a VARCHAR(5) CHARSET klingon)") ==
        "cannot parse DDL at byte 37 near 'klingon': unknown character set 'klingon'; "
        "statement: \"CREATE TABLE t (a VARCHAR(5) CHARSET klingon)\"");
  CHECK(ErrorOf("CREATE TABLE t (a ENUM(1, 2))") ==
        "cannot parse DDL at byte 23 near '1': expected a quoted ENUM / SET label; statement: "
        "\"CREATE TABLE t (a ENUM(1, 2))\"");
  CHECK(ErrorOf("RENAME TABLE a b") ==
        "cannot parse DDL at byte 15 near 'b': expected TO; statement: \"RENAME TABLE a b\"");
  CHECK(ErrorOf("CREATE TABLE t (a INT COMMENT 'x)") ==
        "cannot tokenize the statement: a string is not closed by its quote (byte 30); "
        "statement: \"CREATE TABLE t (a INT COMMENT 'x)\"");
}

TEST_CASE("an unqualified table without a current database is an error") {
  auto statement = ParseDdl("CREATE TABLE t (a INT)", "");
  REQUIRE_FALSE(statement.ok());
  CHECK(statement.status().message() ==
        "cannot parse DDL at byte 13 near 't': table 't' is not qualified by a database and "
        "the statement has no current database; statement: \"CREATE TABLE t (a INT)\"");
  CHECK(ParseDdl("CREATE TABLE db.t (a INT)", "").ok());
}

TEST_CASE("a long statement is cut to 200 bytes in error messages") {
  std::string sql = "CREATE TABLE t (a INT, ";
  for (int i = 0; i < 40; ++i) sql += "c" + std::to_string(i) + " INT, ";
  sql += "z BOGUS)";
  const std::string message = ErrorOf(sql);
  CHECK(message.find("near 'BOGUS': expected a data type") != std::string::npos);
  const std::string quoted = "statement: \"" + sql.substr(0, 200) + "...\"";
  CHECK(message.ends_with(quoted));
}

TEST_CASE("every prefix of a real statement parses or fails with InvalidArgument") {
  // NOLINTBEGIN(bugprone-suspicious-missing-comma): long statements are split over lines
  const std::string statements[] = {
      "CREATE TABLE `t` (\n  `id` int(11) NOT NULL AUTO_INCREMENT,\n  `s` varchar(10) "
      "CHARACTER SET latin1 DEFAULT 'a''b' COMMENT 'x',\n  `e` enum('a','b') NOT NULL,\n  "
      "`g` int AS (`id` + 1) STORED,\n  PRIMARY KEY (`id`),\n  UNIQUE KEY `u` (`s`(5) DESC),\n"
      "  CONSTRAINT `fk` FOREIGN KEY (`id`) REFERENCES `p` (`id`) ON DELETE CASCADE\n) "
      "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 /*!50100 PARTITION BY HASH (`id`) */",
      "ALTER TABLE t ADD COLUMN a INT FIRST, DROP b, MODIFY c TEXT AFTER d, CHANGE e f INT, "
      "ADD UNIQUE KEY k (a), RENAME TO u, CONVERT TO CHARSET latin1, ALGORITHM=INPLACE",
      "RENAME TABLE a TO b, c TO d",
      "DROP TABLE IF EXISTS a, b",
      "CREATE UNIQUE INDEX i ON t (a(10), b DESC)",
  };
  // NOLINTEND(bugprone-suspicious-missing-comma)
  for (const std::string& sql : statements) {
    for (size_t length = 0; length <= sql.size(); ++length) {
      const std::string_view prefix = std::string_view(sql).substr(0, length);
      CAPTURE(prefix);
      auto statement = ParseDdl(prefix, "shop");
      if (!statement.ok()) CHECK(statement.status().code() == StatusCode::kInvalidArgument);
    }
    CHECK(ParseDdl(sql, "shop").ok());
  }
}

}  // namespace
}  // namespace cdc
