// A table with a column of every MySQL type and two rows of edge values (the maxima, and the
// minima / NULLs), shared by the sink and binlog integration tests; and the same columns as a
// user would declare them, with defaults, comments and indexes, for the table definition tests.
#pragma once

#include <cstring>
#include <string>
#include <vector>

#include "schema/row_change.h"

namespace cdc::testing {

inline ColumnSchema AllTypesColumn(std::string name, ColumnType type, bool nullable = true) {
  ColumnSchema column;
  column.name = std::move(name);
  column.type = type;
  column.nullable = nullable;
  return column;
}

struct AllTypes {
  TableSchemaPtr schema;
  Row max_row;
  Row min_row;
  std::string decimal;  // the max row's DECIMAL(65,30) text

  // An insert of `row` (max_row or min_row) into the table.
  RowChange Insert(const Row& row) const {
    RowChange change;
    change.kind = ChangeKind::kInsert;
    change.table = schema.get();
    change.after = row;
    return change;
  }
};

inline AllTypes MakeAllTypes(const std::string& database) {
  auto Column = [](std::string name, ColumnType type, bool nullable = true) {
    return AllTypesColumn(std::move(name), type, nullable);
  };
  std::vector<ColumnSchema> columns = {Column("id", ColumnType::kBigInt, false),
                                       Column("ti", ColumnType::kTinyInt),
                                       Column("bu", ColumnType::kBigInt),
                                       Column("bi", ColumnType::kBigInt),
                                       Column("f", ColumnType::kFloat),
                                       Column("d", ColumnType::kDouble),
                                       Column("dec", ColumnType::kDecimal),
                                       Column("b", ColumnType::kBit),
                                       Column("y", ColumnType::kYear),
                                       Column("dt", ColumnType::kDate),
                                       Column("t", ColumnType::kTime),
                                       Column("dtm", ColumnType::kDateTime),
                                       Column("ts", ColumnType::kTimestamp),
                                       Column("vc", ColumnType::kVarChar),
                                       Column("l1", ColumnType::kVarChar),
                                       Column("bin", ColumnType::kVarBinary),
                                       Column("blb", ColumnType::kBlob),
                                       Column("e", ColumnType::kEnum),
                                       Column("s", ColumnType::kSet),
                                       Column("j", ColumnType::kJson),
                                       Column("g", ColumnType::kGeometry)};
  columns[0].is_unsigned = true;
  columns[2].is_unsigned = true;
  columns[6].precision = 65;
  columns[6].scale = 30;
  columns[7].length = 64;
  columns[10].fsp = 6;
  columns[11].fsp = 6;
  columns[12].fsp = 6;
  columns[13].length = 64;
  columns[13].collation = "utf8mb4_general_ci";
  columns[14].length = 32;
  columns[14].collation = "latin1_swedish_ci";
  columns[15].length = 16;
  columns[17].labels = {"a", "b'c", "d"};
  columns[18].labels = {"x", "y", "z"};
  auto schema = *TableSchema::Make(TableId{database, "all_types"}, std::move(columns), {0});

  float tiny_float;
  uint32_t denormal_bits = 1;
  std::memcpy(&tiny_float, &denormal_bits, sizeof(tiny_float));
  std::string decimal = "-" + std::string(35, '9') + "." + std::string(30, '9');
  std::string wkb = std::string("\x01\x01\x00\x00\x00", 5) +
                    std::string("\x00\x00\x00\x00\x00\x00\xf0\x3f", 8) +
                    std::string("\x00\x00\x00\x00\x00\x00\x00\x40", 8);
  Row max_row = {Value::UInt(18446744073709551615ULL),
                 Value::Int(-128),
                 Value::UInt(18446744073709551615ULL),
                 Value::Int(-9223372036854775807LL - 1),
                 Value::Float(3.40282347e38f),
                 Value::Double(0.30000000000000004),
                 Value::Decimal(decimal),
                 Value::Bit(~0ULL, 64),
                 Value::Year(2155),
                 Value::Date(DateValue{9999, 12, 31}),
                 Value::Time(TimeValue{true, 838, 59, 58, 999999}, 6),
                 Value::DateTime(DateTimeValue{DateValue{9999, 12, 31}, 23, 59, 59, 999999}, 6),
                 Value::Timestamp(TimestampValue{2147483647, 999999}, 6),
                 Value::String("h\xc3\xa9llo \xf0\x9f\x98\x80 'q' \\", 45),
                 Value::String("caf\xe9", 8),  // latin1 bytes
                 Value::Bytes(std::string("\x00\xff\x00\x01", 4)),
                 Value::Bytes(std::string(60000, '\0') + "end"),
                 Value::Enum(2, "b'c"),
                 Value::Set(5, "x,z"),
                 Value::Json("{\"k\": [1, 2.5, \"s\"]}"),
                 Value::Geometry(4326, wkb)};
  Row min_row(max_row.size());  // NULLs except the key and a few edge values
  min_row[0] = Value::UInt(0);
  min_row[4] = Value::Float(tiny_float);
  min_row[5] = Value::Double(-1e-300);
  min_row[6] = Value::Decimal("0.000000000000000000000000000001");
  min_row[7] = Value::Bit(0, 64);
  min_row[8] = Value::Year(0);
  min_row[9] = Value::Date(DateValue{0, 0, 0});
  min_row[10] = Value::Time(TimeValue{true, 0, 0, 0, 1}, 6);
  min_row[11] = Value::DateTime(DateTimeValue{DateValue{0, 0, 0}, 0, 0, 0, 0}, 6);
  min_row[12] = Value::Timestamp(TimestampValue{1, 0}, 6);
  min_row[13] = Value::String("", 45);
  min_row[15] = Value::Bytes("");

  return AllTypes{schema, std::move(max_row), std::move(min_row), decimal};
}

// CREATE TABLE `database`.`table` with MakeAllTypes' columns, as a user declares them: a
// default of each kind (literals, NULL, CURRENT_TIMESTAMP with ON UPDATE, an expression),
// column comments, plain, prefix, descending, unique and FULLTEXT indexes, a table comment and
// a default character set.
inline std::string AllTypesCreateSql(const std::string& database,
                                     const std::string& table = "all_types") {
  return "CREATE TABLE `" + database + "`.`" + table +
         "` ("
         "id BIGINT UNSIGNED NOT NULL COMMENT 'the key', "
         "ti TINYINT DEFAULT -1, "
         "bu BIGINT UNSIGNED DEFAULT 18446744073709551615, "
         "bi BIGINT NOT NULL DEFAULT 0, "
         "f FLOAT DEFAULT 1.5, "
         "d DOUBLE DEFAULT -0.25 COMMENT 'a double', "
         "`dec` DECIMAL(65,30) DEFAULT 3.14, "
         "b BIT(64) DEFAULT b'101', "
         "y YEAR DEFAULT 2024, "
         "dt DATE DEFAULT '2024-02-29', "
         "t TIME(6) DEFAULT '-838:59:59.000000', "
         "dtm DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), "
         "ts TIMESTAMP(6) NULL DEFAULT '2038-01-19 03:14:07.999999', "
         "vc VARCHAR(64) DEFAULT 'it''s \\\\ h\xc3\xa9' COMMENT 'utf8 ''text''', "
         "l1 VARCHAR(32) CHARACTER SET latin1 DEFAULT 'caf' COMMENT 'latin1', "
         "bin VARBINARY(16) DEFAULT 'ab', "
         "blb BLOB DEFAULT 'zz', "
         "e ENUM('a','b''c','d') NOT NULL DEFAULT 'b''c', "
         "s SET('x','y','z') DEFAULT 'x,z', "
         "j JSON DEFAULT '{}', "
         "g GEOMETRY DEFAULT NULL, "
         "n INT DEFAULT (1 + 2), "
         "PRIMARY KEY (id), UNIQUE KEY uk_bi (bi), KEY k_vc_ti (vc(10), ti DESC), "
         "KEY k_dt (dt DESC), KEY k_blb (blb(8)), FULLTEXT KEY ft_vc (vc)) "
         "DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='every type'";
}

}  // namespace cdc::testing
