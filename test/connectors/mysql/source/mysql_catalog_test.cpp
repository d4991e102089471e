#include "connectors/mysql/source/mysql_catalog.h"

#include <doctest/doctest.h>

#include <tuple>

namespace cdc {
namespace {

ColumnSchema OfType(ColumnType type) {
  ColumnSchema column;
  column.name = "c";
  column.type = type;
  return column;
}

}  // namespace

TEST_CASE("UUID, INET4, INET6 and GEOMETRY's subtypes keep their type's name") {
  for (auto [type, fixed, length] : {std::tuple{"uuid", FixedBinaryType::kUuid, 16u},
                                     std::tuple{"inet4", FixedBinaryType::kInet4, 4u},
                                     std::tuple{"inet6", FixedBinaryType::kInet6, 16u}}) {
    const char* type_shown = type;  // CAPTURE cannot name a structured binding under clang 14
    CAPTURE(type_shown);
    auto column = ColumnFromInformationSchema("c", type, type);
    REQUIRE_MESSAGE(column.ok(), column.status().ToString());
    CHECK(column->type == ColumnType::kBinary);
    CHECK(column->length == length);
    CHECK(column->fixed_binary == fixed);
    CHECK(column->SqlType() == type);
  }
  auto point = ColumnFromInformationSchema("c", "point", "point");
  REQUIRE(point.ok());
  CHECK(point->type == ColumnType::kGeometry);
  CHECK(point->geometry_type == GeometryType::kPoint);
  CHECK(point->SqlType() == "point");
  auto unknown = ColumnFromInformationSchema("c", "vector", "vector(3)");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.status().message() ==
        "column c has type vector(3), which the binlog source does not know");
}

TEST_CASE("MariaDB's COLUMN_DEFAULT is SQL already; 'NULL' and generated columns have none") {
  const ColumnSchema text = OfType(ColumnType::kVarChar);
  CHECK(DefaultFromInformationSchema("'it''s'", "", text, true) == "'it''s'");
  CHECK(DefaultFromInformationSchema("current_timestamp(6)", "on update current_timestamp(6)",
                                     OfType(ColumnType::kTimestamp),
                                     true) == "current_timestamp(6)");
  CHECK(DefaultFromInformationSchema("(1 + 2)", "", OfType(ColumnType::kInt), true) == "(1 + 2)");
  CHECK(DefaultFromInformationSchema("NULL", "", text, true) == std::nullopt);
  CHECK(DefaultFromInformationSchema(std::nullopt, "", text, true) == std::nullopt);
  CHECK(DefaultFromInformationSchema("NULL", "VIRTUAL GENERATED", text, true) == std::nullopt);
}

TEST_CASE("MySQL's bare COLUMN_DEFAULT is quoted, or parenthesised when it is an expression") {
  const ColumnSchema text = OfType(ColumnType::kVarChar);
  CHECK(DefaultFromInformationSchema("it's", "", text, false) == "'it\\'s'");
  CHECK(DefaultFromInformationSchema("5", "", OfType(ColumnType::kInt), false) == "'5'");
  CHECK(DefaultFromInformationSchema("CURRENT_TIMESTAMP(3)", "DEFAULT_GENERATED",
                                     OfType(ColumnType::kDateTime),
                                     false) == "CURRENT_TIMESTAMP(3)");
  CHECK(DefaultFromInformationSchema("(uuid())", "DEFAULT_GENERATED", text, false) == "((uuid()))");
  CHECK(DefaultFromInformationSchema("b'101'", "", OfType(ColumnType::kBit), false) == "b'101'");
  CHECK(DefaultFromInformationSchema(std::nullopt, "", text, false) == std::nullopt);
}

TEST_CASE("ON UPDATE comes from EXTRA") {
  CHECK(OnUpdateFromInformationSchema("on update current_timestamp(6)") == "current_timestamp(6)");
  CHECK(OnUpdateFromInformationSchema("DEFAULT_GENERATED on update CURRENT_TIMESTAMP") ==
        "CURRENT_TIMESTAMP");
  CHECK(OnUpdateFromInformationSchema("auto_increment") == std::nullopt);
}

TEST_CASE("information_schema types map to column schemas") {
  auto column = ColumnFromInformationSchema("e", "enum", "enum('a','b''c','d\\\\e')");
  REQUIRE(column.ok());
  CHECK(column->labels == std::vector<std::string>{"a", "b'c", "d\\e"});
  auto decimal = ColumnFromInformationSchema("d", "decimal", "decimal(65,30) unsigned");
  REQUIRE(decimal.ok());
  CHECK(decimal->precision == 65);
  CHECK(decimal->scale == 30);
  CHECK(decimal->is_unsigned);
  auto time = ColumnFromInformationSchema("t", "datetime", "datetime(6)");
  REQUIRE(time.ok());
  CHECK(time->fsp == 6);
  CHECK(ColumnFromInformationSchema("v", "varchar", "varchar(64)")->length == 64);
  CHECK_FALSE(ColumnFromInformationSchema("x", "vector", "vector(3)").ok());
}

}  // namespace cdc
