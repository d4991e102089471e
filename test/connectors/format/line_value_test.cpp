#include "connectors/format/line_value.h"

#include <cmath>
#include <limits>
#include <string>

#include <doctest/doctest.h>

namespace cdc {
namespace {

ColumnSchema Column(ColumnType type, uint8_t fsp = 0) {
  ColumnSchema column;
  column.name = "c";
  column.type = type;
  column.fsp = fsp;
  return column;
}

// Reads `text` whole as a value of `column`.
Result<Value> Read(std::string_view text, const ColumnSchema& column) {
  Result<Value> value = ReadLineValue(text, column);
  if (value.ok() && !text.empty()) return Status::Internal("left over: " + std::string(text));
  return value;
}

// `value` printed and read back as a value of `column` is `value` again.
bool RoundTrips(const Value& value, const ColumnSchema& column) {
  Result<Value> back = Read(value.ToString(), column);
  return back.ok() && *back == value;
}

}  // namespace

TEST_CASE("floats and doubles read back bit for bit, infinities and signed zeros included") {
  const ColumnSchema f = Column(ColumnType::kFloat);
  const ColumnSchema d = Column(ColumnType::kDouble);
  for (float v : {0.0f, -0.0f, 1.0f / 3, std::numeric_limits<float>::max(),
                  std::numeric_limits<float>::denorm_min(), std::numeric_limits<float>::infinity(),
                  -std::numeric_limits<float>::infinity()}) {
    CHECK_MESSAGE(RoundTrips(Value::Float(v), f), Value::Float(v).ToString());
  }
  for (double v : {-0.0, 1e-310, 1.0 / 3, std::numeric_limits<double>::lowest(),
                   std::numeric_limits<double>::infinity()}) {
    CHECK_MESSAGE(RoundTrips(Value::Double(v), d), Value::Double(v).ToString());
  }
  // A NaN reads back as a NaN (its payload bits are not printed).
  Result<Value> nan = Read(Value::Double(std::nan("")).ToString(), d);
  REQUIRE(nan.ok());
  CHECK(std::isnan(nan->double_value()));
}

TEST_CASE("temporal values read back with the column's precision, finer micros included") {
  // A value finer than its column's fsp prints all six digits, and so reads back.
  CHECK(RoundTrips(Value::Time({false, 1, 2, 3, 450000}, 1), Column(ColumnType::kTime, 1)));
  CHECK(RoundTrips(Value::Time({false, 1, 2, 3, 450001}, 1), Column(ColumnType::kTime, 1)));
  CHECK(RoundTrips(Value::Time({true, 0, 0, 1, 0}, 0), Column(ColumnType::kTime)));
  CHECK(RoundTrips(Value::DateTime({{2024, 0, 0}, 0, 0, 0, 7}, 0), Column(ColumnType::kDateTime)));
  CHECK(RoundTrips(Value::Timestamp({0, 1}, 0), Column(ColumnType::kTimestamp)));
  CHECK(RoundTrips(Value::Timestamp({-86401, 0}, 0), Column(ColumnType::kTimestamp)));
  CHECK(RoundTrips(Value::Timestamp({951782400, 0}, 2), Column(ColumnType::kTimestamp, 2)));
  CHECK(RoundTrips(Value::Timestamp({0, 0}, 2), Column(ColumnType::kTimestamp, 2)));
  CHECK(RoundTrips(Value::Date({2024, 2, 0}), Column(ColumnType::kDate)));
  // The precision is the column's: a value printed at fsp 3 read by an fsp-6 column differs.
  Result<Value> wider = Read("'01:02:03.400'", Column(ColumnType::kTime, 6));
  REQUIRE(wider.ok());
  CHECK(*wider == Value::Time({false, 1, 2, 3, 400000}, 6));
}

TEST_CASE("a value stops at the space or arrow after it and leaves the rest") {
  std::string_view text = "-5->-6 next";
  Result<Value> before = ReadLineValue(text, Column(ColumnType::kInt));
  REQUIRE(before.ok());
  CHECK(*before == Value::Int(-5));
  CHECK(text == "->-6 next");
  text.remove_prefix(2);
  Result<Value> after = ReadLineValue(text, Column(ColumnType::kInt));
  REQUIRE(after.ok());
  CHECK(*after == Value::Int(-6));
  CHECK(text == " next");
  text = "NULL->'x'";
  Result<Value> null = ReadLineValue(text, Column(ColumnType::kDate));
  REQUIRE(null.ok());
  CHECK(null->is_null());
  CHECK(text == "->'x'");
}

TEST_CASE("text that is not a value of the column's type is an error naming the column") {
  ColumnSchema enumeration = Column(ColumnType::kEnum);
  enumeration.labels = {"a", "b"};
  ColumnSchema set = Column(ColumnType::kSet);
  set.labels = {"a", "b"};
  ColumnSchema decimal = Column(ColumnType::kDecimal);
  ColumnSchema unsigned_int = Column(ColumnType::kInt);
  unsigned_int.is_unsigned = true;
  const std::pair<const char*, ColumnSchema> cases[] = {
      {"12x", Column(ColumnType::kInt)},
      {"-1", unsigned_int},
      {"18446744073709551616", unsigned_int},
      {"01.50", decimal},
      {"1.", decimal},
      {"'c'", enumeration},
      {"'a,c'", set},
      {"'a,'", set},
      {"b'102'", Column(ColumnType::kBit)},
      {"b'11111111111111111111111111111111111111111111111111111111111111111'",  // 65 bits
       Column(ColumnType::kBit)},
      {"x'0g'", Column(ColumnType::kBlob)},
      {"x'0'", Column(ColumnType::kBlob)},
      {"'abc", Column(ColumnType::kText)},
      {"'a\\qb'", Column(ColumnType::kText)},
      {"'x'y", Column(ColumnType::kText)},
      {"2024-01-02", Column(ColumnType::kDate)},
      {"'2024-13-02'", Column(ColumnType::kDate)},
      {"'2024-01-02 24:00:00'", Column(ColumnType::kDateTime)},
      {"'01:60:00'", Column(ColumnType::kTime)},
      {"'01:00:00.1234567'", Column(ColumnType::kTime)},
      {"'0000-00-00 00:00:01'", Column(ColumnType::kTimestamp)},
      {"'abc'", Column(ColumnType::kYear)},
  };
  for (const auto& [text, column] : cases) {
    Result<Value> value = Read(text, column);
    const auto& text_shown =
        text;  // doctest's messages cannot name a structured binding under clang 14
    CHECK_MESSAGE(!value.ok(), text_shown);
    if (!value.ok()) {
      CHECK(value.status().code() == StatusCode::kInvalidArgument);
      CHECK(value.status().message().starts_with("column c ("));
    }
  }
}

}  // namespace cdc
