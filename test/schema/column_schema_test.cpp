#include "schema/column_schema.h"

#include <string>

#include <doctest/doctest.h>

namespace cdc {
namespace {

ColumnSchema Column(ColumnType type) {
  ColumnSchema column;
  column.name = "c";
  column.type = type;
  return column;
}

TEST_CASE("integer types print without display width and with unsigned when unsigned") {
  CHECK(Column(ColumnType::kTinyInt).SqlType() == "tinyint");
  ColumnSchema column = Column(ColumnType::kInt);
  column.is_unsigned = true;
  CHECK(column.SqlType() == "int unsigned");
  column.type = ColumnType::kBigInt;
  CHECK(column.SqlType() == "bigint unsigned");
  CHECK(column.value_kind() == ValueKind::kUInt);
  column.is_unsigned = false;
  CHECK(column.value_kind() == ValueKind::kInt);
}

TEST_CASE("numeric, bit and temporal types print their precision") {
  CHECK(Column(ColumnType::kFloat).SqlType() == "float");
  CHECK(Column(ColumnType::kDouble).SqlType() == "double");
  ColumnSchema decimal = Column(ColumnType::kDecimal);
  decimal.precision = 65;
  decimal.scale = 30;
  CHECK(decimal.SqlType() == "decimal(65,30)");
  ColumnSchema bit = Column(ColumnType::kBit);
  bit.length = 64;
  CHECK(bit.SqlType() == "bit(64)");
  CHECK(Column(ColumnType::kYear).SqlType() == "year");
  CHECK(Column(ColumnType::kDate).SqlType() == "date");
  ColumnSchema time = Column(ColumnType::kTime);
  CHECK(time.SqlType() == "time");
  time.fsp = 6;
  CHECK(time.SqlType() == "time(6)");
  ColumnSchema datetime = Column(ColumnType::kDateTime);
  datetime.fsp = 6;
  CHECK(datetime.SqlType() == "datetime(6)");
  CHECK(Column(ColumnType::kTimestamp).SqlType() == "timestamp");
}

TEST_CASE("text and binary types print their length where MySQL declares one") {
  ColumnSchema column = Column(ColumnType::kChar);
  column.length = 10;
  CHECK(column.SqlType() == "char(10)");
  column.type = ColumnType::kVarChar;
  column.length = 255;
  CHECK(column.SqlType() == "varchar(255)");
  CHECK(Column(ColumnType::kText).SqlType() == "text");
  CHECK(Column(ColumnType::kLongText).SqlType() == "longtext");
  column.type = ColumnType::kBinary;
  column.length = 16;
  CHECK(column.SqlType() == "binary(16)");
  column.type = ColumnType::kVarBinary;
  column.length = 64;
  CHECK(column.SqlType() == "varbinary(64)");
  CHECK(Column(ColumnType::kBlob).SqlType() == "blob");
  CHECK(Column(ColumnType::kLongBlob).SqlType() == "longblob");
  CHECK(Column(ColumnType::kJson).SqlType() == "json");
  CHECK(Column(ColumnType::kGeometry).SqlType() == "geometry");
}

TEST_CASE("enum and set labels are quoted with quotes doubled") {
  ColumnSchema column = Column(ColumnType::kEnum);
  column.labels = {"a", "b'c"};
  CHECK(column.SqlType() == "enum('a','b''c')");
  column.type = ColumnType::kSet;
  column.labels = {"x", "y"};
  CHECK(column.SqlType() == "set('x','y')");
  column.labels = {"back\\slash"};
  CHECK(column.SqlType() == "set('back\\\\slash')");
}

TEST_CASE("each column type has the value kind its values are built with") {
  CHECK(Column(ColumnType::kFloat).value_kind() == ValueKind::kFloat);
  CHECK(Column(ColumnType::kDouble).value_kind() == ValueKind::kDouble);
  CHECK(Column(ColumnType::kDecimal).value_kind() == ValueKind::kDecimal);
  CHECK(Column(ColumnType::kBit).value_kind() == ValueKind::kBit);
  CHECK(Column(ColumnType::kYear).value_kind() == ValueKind::kYear);
  CHECK(Column(ColumnType::kDate).value_kind() == ValueKind::kDate);
  CHECK(Column(ColumnType::kTime).value_kind() == ValueKind::kTime);
  CHECK(Column(ColumnType::kDateTime).value_kind() == ValueKind::kDateTime);
  CHECK(Column(ColumnType::kTimestamp).value_kind() == ValueKind::kTimestamp);
  CHECK(Column(ColumnType::kVarChar).value_kind() == ValueKind::kString);
  CHECK(Column(ColumnType::kMediumText).value_kind() == ValueKind::kString);
  CHECK(Column(ColumnType::kVarBinary).value_kind() == ValueKind::kBytes);
  CHECK(Column(ColumnType::kTinyBlob).value_kind() == ValueKind::kBytes);
  CHECK(Column(ColumnType::kEnum).value_kind() == ValueKind::kEnum);
  CHECK(Column(ColumnType::kSet).value_kind() == ValueKind::kSet);
  CHECK(Column(ColumnType::kJson).value_kind() == ValueKind::kJson);
  CHECK(Column(ColumnType::kGeometry).value_kind() == ValueKind::kGeometry);
}

TEST_CASE("only the character types carry a collation") {
  CHECK(IsTextType(ColumnType::kChar));
  CHECK(IsTextType(ColumnType::kVarChar));
  CHECK(IsTextType(ColumnType::kTinyText));
  CHECK(IsTextType(ColumnType::kLongText));
  CHECK_FALSE(IsTextType(ColumnType::kBinary));
  CHECK_FALSE(IsTextType(ColumnType::kBlob));
  CHECK_FALSE(IsTextType(ColumnType::kEnum));
  CHECK_FALSE(IsTextType(ColumnType::kJson));
  CHECK(std::string(ColumnTypeName(ColumnType::kMediumInt)) == "mediumint");
  CHECK(std::string(ColumnTypeName(ColumnType::kVarBinary)) == "varbinary");
}

}  // namespace
}  // namespace cdc
