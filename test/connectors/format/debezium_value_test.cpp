#include "connectors/format/debezium_value.h"

#include <string>

#include <doctest/doctest.h>

namespace cdc {
namespace {

std::string Base64(std::string_view bytes) {
  std::string out;
  AppendBase64(bytes, out);
  return out;
}

std::string FromBase64(std::string_view text) {
  std::string out;
  REQUIRE(DecodeBase64(text, out));
  return out;
}

std::string DecimalValue(std::string_view text, int precision, int scale) {
  ColumnSchema column;
  column.name = "d";
  column.type = ColumnType::kDecimal;
  column.precision = static_cast<uint8_t>(precision);
  column.scale = static_cast<uint8_t>(scale);
  std::string out;
  REQUIRE(AppendDebeziumValue(column, Value::Decimal(text), DebeziumOptions(), out).ok());
  return out;
}

std::string DecimalText(std::string_view base64, int scale) {
  std::string text;
  REQUIRE(DecimalTextFromUnscaled(FromBase64(base64), scale, text));
  return text;
}

}  // namespace

TEST_CASE("base64 is RFC 4648's with padding, both ways") {
  CHECK(Base64("") == "");
  CHECK(Base64("f") == "Zg==");
  CHECK(Base64("fo") == "Zm8=");
  CHECK(Base64("foo") == "Zm9v");
  CHECK(Base64(std::string("\x00\xff\x00\x01", 4)) == "AP8AAQ==");  // the fixture's bin
  CHECK(FromBase64("Zm9vYg==") == "foob");
  std::string out;
  CHECK_FALSE(DecodeBase64("Zm9", out));
  CHECK_FALSE(DecodeBase64("Zm9*", out));
}

// Kafka Connect's Decimal: Java BigInteger.toByteArray of the unscaled value. The expected
// texts are Debezium's own (the fixture) and BigInteger's documented two's complement form.
TEST_CASE("a DECIMAL is its unscaled value's fewest two's complement bytes, both ways") {
  const std::string max = "-" + std::string(35, '9') + "." + std::string(30, '9');
  CHECK(DecimalValue(max, 65, 30) == "\"/wzp2OOAPG91dBC5sca6EIXayfYAAAAAAAAAAQ==\"");
  CHECK(DecimalValue("0.000000000000000000000000000001", 65, 30) == "\"AQ==\"");
  CHECK(DecimalValue("0.00", 5, 2) == "\"AA==\"");
  CHECK(DecimalValue("1.28", 5, 2) == "\"AIA=\"");   // 128 needs a sign byte
  CHECK(DecimalValue("-1.28", 5, 2) == "\"gA==\"");  // -128 fits one byte
  CHECK(DecimalValue("-1.29", 5, 2) == "\"/38=\"");  // -129
  CHECK(DecimalValue("12.5", 5, 2) == "\"BOI=\"");   // padded to the scale: 1250
  CHECK(DecimalText("/wzp2OOAPG91dBC5sca6EIXayfYAAAAAAAAAAQ==", 30) == max);
  CHECK(DecimalText("AQ==", 30) == "0.000000000000000000000000000001");
  CHECK(DecimalText("AA==", 2) == "0.00");
  CHECK(DecimalText("/38=", 2) == "-1.29");
  CHECK(DecimalText("AIA=", 0) == "128");
}

TEST_CASE("latin1 text is MySQL's cp1252 in UTF-8, both ways") {
  ColumnSchema column;
  column.type = ColumnType::kVarChar;
  column.collation = "latin1_swedish_ci";
  std::string utf8;
  REQUIRE(TextToUtf8(column, "caf\xe9 \x80", utf8));
  CHECK(utf8 == "caf\xc3\xa9 \xe2\x82\xac");
  std::string back;
  REQUIRE(TextFromUtf8(column, utf8, back));
  CHECK(back == "caf\xe9 \x80");
  back.clear();
  CHECK_FALSE(TextFromUtf8(column, "\xf0\x9f\x98\x80", back));  // no emoji in latin1
  column.collation = "gbk_chinese_ci";
  CHECK_FALSE(TextToUtf8(column, "x", utf8));
}

TEST_CASE("temporal values are Debezium's numbers and ISO text, zero dates null or the epoch") {
  ColumnSchema column;
  column.name = "c";
  auto encode = [&](const Value& value) {
    std::string out;
    REQUIRE(AppendDebeziumValue(column, value, DebeziumOptions(), out).ok());
    return out;
  };
  column.type = ColumnType::kDate;
  CHECK(encode(Value::Date(DateValue{9999, 12, 31})) == "2932896");  // the fixture's
  CHECK(encode(Value::Date(DateValue{1969, 12, 31})) == "-1");
  CHECK(encode(Value::Date(DateValue{0, 0, 0})) == "null");
  column.nullable = false;
  CHECK(encode(Value::Date(DateValue{2024, 0, 0})) == "0");
  column.type = ColumnType::kDateTime;
  column.fsp = 3;
  CHECK(encode(Value::DateTime(DateTimeValue{DateValue{1969, 12, 31}, 23, 59, 59, 999000}, 3)) ==
        "-1");
  column.fsp = 6;
  CHECK(encode(Value::DateTime(DateTimeValue{DateValue{9999, 12, 31}, 23, 59, 59, 999999}, 6)) ==
        "253402300799999999");
  column.type = ColumnType::kTime;
  CHECK(encode(Value::Time(TimeValue{true, 838, 59, 58, 999999}, 6)) == "-3020398999999");
  column.type = ColumnType::kTimestamp;
  column.fsp = 0;
  CHECK(encode(Value::Timestamp(TimestampValue{2147483647, 0}, 0)) == "\"2038-01-19T03:14:07Z\"");
  column.fsp = 3;
  CHECK(encode(Value::Timestamp(TimestampValue{1, 5000}, 3)) == "\"1970-01-01T00:00:01.005Z\"");
  CHECK(encode(Value::Timestamp(TimestampValue{0, 0}, 3)) == "\"1970-01-01T00:00:00.000Z\"");
}

TEST_CASE("BIT(n) is little-endian bytes, BIT(1) a boolean") {
  ColumnSchema column;
  column.name = "b";
  column.type = ColumnType::kBit;
  column.length = 12;
  std::string out;
  REQUIRE(AppendDebeziumValue(column, Value::Bit(0x123, 12), DebeziumOptions(), out).ok());
  CHECK(out == "\"IwE=\"");  // 0x23 0x01
  column.length = 1;
  out.clear();
  REQUIRE(AppendDebeziumValue(column, Value::Bit(1, 1), DebeziumOptions(), out).ok());
  CHECK(out == "true");
}

}  // namespace cdc
