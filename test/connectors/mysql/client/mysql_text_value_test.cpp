#include "connectors/mysql/client/mysql_text_value.h"

#include <doctest/doctest.h>

namespace cdc {

TEST_CASE("query-result text parses to the values the binlog decoder makes") {
  auto parse = [](const ColumnSchema& column, std::string_view text) {
    auto value = ParseMysqlText(column, text);
    REQUIRE_MESSAGE(value.ok(), value.status().ToString());
    return std::move(value).value();
  };
  ColumnSchema column;
  column.type = ColumnType::kBigInt;
  column.is_unsigned = true;
  CHECK(parse(column, "18446744073709551615") == Value::UInt(18446744073709551615ULL));
  column.is_unsigned = false;
  CHECK(parse(column, "-9223372036854775808") == Value::Int(-9223372036854775807LL - 1));
  column.type = ColumnType::kFloat;
  CHECK(parse(column, "3.4028234663852886e38") == Value::Float(3.40282347e38f));
  column.type = ColumnType::kTime;
  column.fsp = 6;
  CHECK(parse(column, "-838:59:58.999999") == Value::Time(TimeValue{true, 838, 59, 58, 999999}, 6));
  column.type = ColumnType::kTimestamp;
  CHECK(parse(column, "2038-01-19 03:14:07.999999") ==
        Value::Timestamp(TimestampValue{2147483647, 999999}, 6));
  CHECK(parse(column, "0000-00-00 00:00:00.000000") == Value::Timestamp(TimestampValue{0, 0}, 6));
  column.type = ColumnType::kDate;
  CHECK(parse(column, "0000-00-00") == Value::Date(DateValue{0, 0, 0}));
  column.type = ColumnType::kBit;
  column.length = 12;
  CHECK(parse(column, std::string_view("\x0f\xff", 2)) == Value::Bit(0xfff, 12));
  column.type = ColumnType::kSet;
  column.labels = {"x", "y", "z"};
  CHECK(parse(column, "x,z") == Value::Set(5, "x,z"));
  column.type = ColumnType::kEnum;
  CHECK(parse(column, "y") == Value::Enum(2, "y"));
  CHECK(parse(column, "") == Value::Enum(0, ""));
  CHECK(ParseMysqlText(column, std::nullopt)->kind() == ValueKind::kNull);
  auto bad = ParseMysqlText(column, std::string_view("w"));
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message().find("'w' is not a value") != std::string::npos);
  ColumnSchema number;
  number.name = "n";
  number.type = ColumnType::kInt;
  CHECK_FALSE(ParseMysqlText(number, std::string_view("12x")).ok());
}

}  // namespace cdc
