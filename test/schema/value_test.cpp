#include "schema/value.h"

#include <bit>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <doctest/doctest.h>

namespace cdc {
namespace {

TEST_CASE("a default value is NULL and prints as NULL") {
  Value value;
  CHECK(value.is_null());
  CHECK(value.kind() == ValueKind::kNull);
  CHECK(value.ToString() == "NULL");
  CHECK(value == Value::Null());
  CHECK_FALSE(value == Value::Int(0));
  CHECK(std::string(ValueKindName(ValueKind::kTimestamp)) == "timestamp");
}

TEST_CASE("the extreme signed integers keep their exact value") {
  const Value min = Value::Int(std::numeric_limits<int64_t>::min());
  const Value max = Value::Int(std::numeric_limits<int64_t>::max());
  CHECK(min.int_value() == std::numeric_limits<int64_t>::min());
  CHECK(min.ToString() == "-9223372036854775808");
  CHECK(max.ToString() == "9223372036854775807");
  CHECK(Value::Int(-1).ToString() == "-1");
}

TEST_CASE("a BIGINT UNSIGNED above 2^63 keeps its exact value") {
  const Value max = Value::UInt(std::numeric_limits<uint64_t>::max());
  CHECK(max.kind() == ValueKind::kUInt);
  CHECK(max.uint_value() == 18446744073709551615ULL);
  CHECK(max.ToString() == "18446744073709551615");
  CHECK(Value::UInt(9223372036854775808ULL).ToString() == "9223372036854775808");
  // The same bits as a signed -1 are a different value.
  CHECK_FALSE(max == Value::Int(-1));
}

TEST_CASE("floats and doubles keep their bit patterns and compare bit for bit") {
  const float float_nan = std::bit_cast<float>(0x7FC00001U);
  const Value f = Value::Float(float_nan);
  CHECK(std::bit_cast<uint32_t>(f.float_value()) == 0x7FC00001U);
  CHECK(f == Value::Float(float_nan));
  CHECK_FALSE(f == Value::Float(std::bit_cast<float>(0x7FC00002U)));

  const double double_nan = std::bit_cast<double>(0x7FF8000000000123ULL);
  CHECK(Value::Double(double_nan) == Value::Double(double_nan));
  CHECK(std::bit_cast<uint64_t>(Value::Double(double_nan).double_value()) == 0x7FF8000000000123ULL);

  CHECK_FALSE(Value::Double(0.0) == Value::Double(-0.0));
  CHECK(std::bit_cast<uint64_t>(Value::Double(-0.0).double_value()) == 0x8000000000000000ULL);
  CHECK_FALSE(Value::Float(1.0F) == Value::Double(1.0));
}

TEST_CASE("floats and doubles print the shortest text that reads back exactly") {
  CHECK(Value::Double(0.1).ToString() == "0.1");
  CHECK(Value::Double(-1.5).ToString() == "-1.5");
  CHECK(Value::Double(-0.0).ToString() == "-0");
  CHECK(Value::Float(0.1F).ToString() == "0.1");
  CHECK(Value::Double(std::numeric_limits<double>::max()).ToString() == "1.7976931348623157e+308");
}

TEST_CASE("a DECIMAL(65,30) keeps its full text") {
  const std::string text = "-12345678901234567890123456789012345.123456789012345678901234567890";
  REQUIRE(IsDecimalText(text));
  const Value value = Value::Decimal(text);
  CHECK(value.kind() == ValueKind::kDecimal);
  CHECK(value.bytes() == text);
  CHECK(value.ToString() == text);
  // A different scale is a different value, even when numerically close.
  CHECK_FALSE(value == Value::Decimal(text.substr(0, text.size() - 1)));
}

TEST_CASE("decimal text is canonical only without leading zeros and within 65 digits") {
  CHECK(IsDecimalText("0"));
  CHECK(IsDecimalText("-0.50"));
  CHECK(IsDecimalText("123"));
  CHECK(IsDecimalText("0.000000000000000000000000000001"));  // scale 30
  CHECK(IsDecimalText(std::string(65, '9')));
  CHECK_FALSE(IsDecimalText(""));
  CHECK_FALSE(IsDecimalText("-"));
  CHECK_FALSE(IsDecimalText("01"));
  CHECK_FALSE(IsDecimalText("00.5"));
  CHECK_FALSE(IsDecimalText(".5"));
  CHECK_FALSE(IsDecimalText("5."));
  CHECK_FALSE(IsDecimalText("+5"));
  CHECK_FALSE(IsDecimalText("1e5"));
  CHECK_FALSE(IsDecimalText(" 1"));
  CHECK_FALSE(IsDecimalText("0.0000000000000000000000000000001"));  // scale 31
  CHECK_FALSE(IsDecimalText(std::string(66, '9')));
  CHECK_FALSE(IsDecimalText(std::string(36, '9') + "." + std::string(30, '9')));
}

TEST_CASE("a BIT(64) of all ones prints every bit and a narrow BIT is padded to its width") {
  const Value ones = Value::Bit(~uint64_t{0}, 64);
  CHECK(ones.bits() == ~uint64_t{0});
  CHECK(ones.bit_width() == 64);
  CHECK(ones.ToString() == "b'" + std::string(64, '1') + "'");
  CHECK(Value::Bit(5, 4).ToString() == "b'0101'");
  CHECK(Value::Bit(0, 1).ToString() == "b'0'");
  CHECK_FALSE(Value::Bit(5, 4) == Value::Bit(5, 8));
}

TEST_CASE("a YEAR prints four digits, including the zero year") {
  CHECK(Value::Year(2155).ToString() == "2155");
  CHECK(Value::Year(0).ToString() == "0000");
  CHECK(Value::Year(1901).year() == 1901);
}

TEST_CASE("zero dates and dates with zero parts are kept and printed") {
  CHECK(Value::Date({}).ToString() == "'0000-00-00'");
  CHECK(Value::Date({2024, 0, 0}).ToString() == "'2024-00-00'");
  CHECK(Value::Date({2024, 2, 29}).ToString() == "'2024-02-29'");
  CHECK(Value::Date({2024, 2, 29}).date() == DateValue{2024, 2, 29});
  CHECK(Value::DateTime({}).ToString() == "'0000-00-00 00:00:00'");
  CHECK_FALSE(Value::Date({}) == Value::Date({0, 0, 1}));
}

TEST_CASE("a negative TIME prints its sign, hours beyond 99 and micros to the column's fsp") {
  const TimeValue longest{true, 838, 59, 59, 999999};
  CHECK(Value::Time(longest, 6).ToString() == "'-838:59:59.999999'");
  CHECK(Value::Time({true, 0, 0, 1, 500000}, 1).ToString() == "'-00:00:01.5'");
  CHECK(Value::Time({true, 0, 0, 1, 500000}, 3).ToString() == "'-00:00:01.500'");
  CHECK(Value::Time({false, 12, 3, 4, 0}, 0).ToString() == "'12:03:04'");
  CHECK(Value::Time({false, 12, 3, 4, 0}, 2).ToString() == "'12:03:04.00'");
  CHECK(Value::Time(longest, 6).time() == longest);
  CHECK(Value::Time(longest, 6).fsp() == 6);
  // Microseconds finer than the column's fsp are shown rather than silently cut.
  CHECK(Value::Time({false, 0, 0, 0, 123456}, 2).ToString() == "'00:00:00.123456'");
  CHECK_FALSE(Value::Time({true, 1, 0, 0, 0}) == Value::Time({false, 1, 0, 0, 0}));
}

TEST_CASE("a DATETIME prints date, time and micros") {
  const DateTimeValue dt{{2024, 1, 2}, 3, 4, 5, 6};
  CHECK(Value::DateTime(dt, 6).ToString() == "'2024-01-02 03:04:05.000006'");
  CHECK(Value::DateTime({{9999, 12, 31}, 23, 59, 59, 0}).ToString() == "'9999-12-31 23:59:59'");
  CHECK(Value::DateTime(dt, 6).datetime() == dt);
  CHECK_FALSE(Value::DateTime(dt, 6) == Value::DateTime(dt, 3));
}

TEST_CASE("a TIMESTAMP prints in UTC, past 2038 and before 1970") {
  CHECK(Value::Timestamp({2147483647, 0}).ToString() == "'2038-01-19 03:14:07'");
  CHECK(Value::Timestamp({2147483648, 0}).ToString() == "'2038-01-19 03:14:08'");
  CHECK(Value::Timestamp({4102444800, 0}).ToString() == "'2100-01-01 00:00:00'");
  CHECK(Value::Timestamp({951782400, 0}).ToString() == "'2000-02-29 00:00:00'");
  CHECK(Value::Timestamp({1709164800, 250000}, 6).ToString() == "'2024-02-29 00:00:00.250000'");
  CHECK(Value::Timestamp({253402300799, 0}).ToString() == "'9999-12-31 23:59:59'");
  CHECK(Value::Timestamp({-1, 0}).ToString() == "'1969-12-31 23:59:59'");
  CHECK(Value::Timestamp({-86400, 0}).ToString() == "'1969-12-31 00:00:00'");
  CHECK(Value::Timestamp({-2208988800, 0}).ToString() == "'1900-01-01 00:00:00'");
  CHECK(Value::Timestamp({-62135596800, 0}).ToString() == "'0001-01-01 00:00:00'");
  CHECK(Value::Timestamp({1, 0}).ToString() == "'1970-01-01 00:00:01'");
  CHECK(Value::Timestamp({0, 1}, 6).ToString() == "'1970-01-01 00:00:00.000001'");
}

TEST_CASE("the zero TIMESTAMP prints as the zero date") {
  CHECK(Value::Timestamp({}).ToString() == "'0000-00-00 00:00:00'");
  CHECK(Value::Timestamp({}, 3).ToString() == "'0000-00-00 00:00:00.000'");
  CHECK(Value::Timestamp({}).timestamp() == TimestampValue{});
}

TEST_CASE("text is quoted with its special characters escaped and keeps its collation") {
  const Value value = Value::String(std::string("it's\\\n\r\t\0end", 12), 45);
  CHECK(value.kind() == ValueKind::kString);
  CHECK(value.collation_id() == 45);
  CHECK(value.ToString() == "'it\\'s\\\\\\n\\r\\t\\0end'");
  CHECK(Value::String("abc", 45).ToString() == "'abc'");
  // Equal bytes under different collations are different values; collations apply in keys.
  CHECK_FALSE(Value::String("abc", 45) == Value::String("abc", 46));
  CHECK_FALSE(Value::String("abc", 45) == Value::String("ABC", 45));
}

TEST_CASE("binary with NUL bytes stays intact and is unequal to a shorter prefix") {
  const std::string bytes("\x00\xff\x00\x01", 4);
  const Value value = Value::Bytes(bytes);
  CHECK(value.bytes().size() == 4);
  CHECK(value.bytes() == bytes);
  CHECK(value.ToString() == "x'00ff0001'");
  CHECK_FALSE(value == Value::Bytes(std::string("\x00\xff\x00", 3)));
  CHECK_FALSE(Value::Bytes(std::string(1, '\0')) == Value::Bytes(""));
  CHECK(Value::Bytes("").ToString() == "x''");
  CHECK_FALSE(Value::Bytes("abc") == Value::String("abc", 63));
}

TEST_CASE("enum, set, json and geometry keep their payloads") {
  const Value e = Value::Enum(2, "b'c");
  CHECK(e.enum_index() == 2);
  CHECK(e.ToString() == "'b\\'c'");
  CHECK_FALSE(e == Value::Enum(3, "b'c"));

  const Value s = Value::Set(0b101, "x,z");
  CHECK(s.set_members() == 0b101);
  CHECK(s.ToString() == "'x,z'");

  CHECK(Value::Json(R"({"a":1})").ToString() == R"('{"a":1}')");

  const std::string wkb(21, '\0');
  const Value g = Value::Geometry(4326, wkb);
  CHECK(g.srid() == 4326);
  CHECK(g.bytes() == wkb);
  CHECK(g.ToString() == "GEOMETRY(srid=4326, 21 bytes)");
  CHECK_FALSE(g == Value::Geometry(0, wkb));
}

TEST_CASE("ByteSize counts the inline value and a heap buffer only when there is one") {
  CHECK(Value::Int(1).ByteSize() == sizeof(Value));
  CHECK(Value::String("abc", 45).ByteSize() == sizeof(Value));
  CHECK(Value::Bytes(std::string(100, 'x')).ByteSize() == sizeof(Value) + 100);
}

// True when `value`'s bytes are stored inside the Value itself rather than on the heap.
bool BytesInline(const Value& value) {
  const auto* begin = reinterpret_cast<const char*>(&value);
  return value.bytes().data() >= begin && value.bytes().data() < begin + sizeof(Value);
}

TEST_CASE("a value is 32 bytes and moves without throwing") {
  CHECK(sizeof(Value) == 32);
  CHECK(std::is_nothrow_move_constructible_v<Value>);
  CHECK(std::is_nothrow_move_assignable_v<Value>);
}

TEST_CASE("text up to 24 bytes is inline and longer text is on the heap") {
  for (size_t size : {0, 1, 15, 16, 17, 23, 24, 25, 26, 67}) {
    CAPTURE(size);
    std::string text(size, 'a');
    for (size_t i = 0; i < size; ++i) text[i] = static_cast<char>('a' + i % 26);
    const Value value = Value::String(text, 45);
    CHECK(value.bytes() == text);
    CHECK(value.collation_id() == 45);
    CHECK(BytesInline(value) == (size <= 24));
    CHECK(value.ByteSize() == sizeof(Value) + (size <= 24 ? 0 : size));
    CHECK(value == Value::String(text, 45));
    if (size > 0) {
      std::string other = text;
      other.back() = '!';
      CHECK_FALSE(value == Value::String(other, 45));
    }
  }
}

TEST_CASE("enum, set and geometry bytes up to 16 are inline beside their scalar") {
  const std::string sixteen(16, 'e');
  const std::string seventeen(17, 'e');
  const Value e16 = Value::Enum(7, sixteen);
  const Value e17 = Value::Enum(7, seventeen);
  CHECK(BytesInline(e16));
  CHECK_FALSE(BytesInline(e17));
  CHECK(e16.enum_index() == 7);
  CHECK(e17.enum_index() == 7);
  CHECK(e16.bytes() == sixteen);
  CHECK(e17.bytes() == seventeen);
  CHECK(e17.ByteSize() == sizeof(Value) + 17);
  CHECK_FALSE(e17 == Value::Enum(8, seventeen));
  CHECK(e17 == Value::Enum(7, seventeen));

  const Value s = Value::Set(~uint64_t{0}, seventeen);
  CHECK(s.set_members() == ~uint64_t{0});
  CHECK(s.bytes() == seventeen);
  CHECK_FALSE(s == Value::Set(1, seventeen));

  const Value g = Value::Geometry(0xFFFFFFFF, sixteen);
  CHECK(g.srid() == 0xFFFFFFFF);
  CHECK(g.bytes() == sixteen);
  CHECK_FALSE(g == Value::Geometry(4326, sixteen));
}

TEST_CASE("a copy of long text owns its own bytes and a move takes them, leaving NULL") {
  const std::string text = "a string well past the inline capacity";
  Value original = Value::String(text, 45);
  REQUIRE_FALSE(BytesInline(original));

  Value copy = original;
  CHECK(copy == original);
  CHECK(copy.bytes() == text);
  CHECK(copy.bytes().data() != original.bytes().data());

  const char* heap = original.bytes().data();
  Value moved = std::move(original);
  CHECK(moved.bytes().data() == heap);
  CHECK(moved.bytes() == text);
  // NOLINTNEXTLINE(bugprone-use-after-move): the moved-from state is the contract under test
  CHECK(original.is_null());  // a moved-from value is defined to be NULL
  CHECK(original.bytes().empty());
  CHECK(original.ByteSize() == sizeof(Value));

  Value assigned = Value::Bytes(std::string(40, 'z'));
  assigned = moved;  // copy-assign over a heap buffer
  CHECK(assigned == moved);
  assigned = std::move(moved);  // move-assign over a heap buffer
  CHECK(assigned.bytes() == text);
  CHECK(moved.is_null());  // NOLINT(bugprone-use-after-move): the contract under test
  Value& self = assigned;
  assigned = self;
  assigned = std::move(self);
  CHECK(assigned.bytes() == text);

  std::vector<Value> row;
  for (int i = 0; i < 100; ++i) row.push_back(Value::String(text + std::to_string(i), 45));
  for (int i = 0; i < 100; ++i) CHECK(row[i].bytes() == text + std::to_string(i));
}

TEST_CASE("a 1 MiB blob with every byte value round-trips through copy and move") {
  std::string blob(1 << 20, '\0');
  for (size_t i = 0; i < blob.size(); ++i) blob[i] = static_cast<char>(i * 131 % 256);
  const Value value = Value::Bytes(blob);
  CHECK(value.bytes() == blob);
  CHECK(value.ByteSize() == sizeof(Value) + blob.size());
  Value copy = value;
  Value moved = std::move(copy);
  CHECK(moved == value);
  CHECK(moved.bytes() == blob);
  std::string changed = blob;
  changed[changed.size() / 2] ^= 1;
  CHECK_FALSE(value == Value::Bytes(changed));
  CHECK_FALSE(value == Value::Json(blob));
}

TEST_CASE("temporal values at their extremes read back exactly") {
  const TimeValue shortest{true, 838, 59, 59, 999999};
  CHECK(Value::Time(shortest, 6).time() == shortest);
  CHECK(Value::Time(shortest, 6).ToString() == "'-838:59:59.999999'");
  const TimeValue widest{false, 65535, 255, 255, 999999};
  CHECK(Value::Time(widest).time() == widest);
  CHECK_FALSE(Value::Time(shortest) == Value::Time({false, 838, 59, 59, 999999}));

  const DateTimeValue last{{9999, 12, 31}, 23, 59, 59, 999999};
  CHECK(Value::DateTime(last, 6).datetime() == last);
  CHECK(Value::DateTime(last, 6).fsp() == 6);
  CHECK(Value::DateTime(last, 6).ToString() == "'9999-12-31 23:59:59.999999'");
  CHECK(Value::DateTime({}).datetime() == DateTimeValue{});
  CHECK(Value::Date({}).date() == DateValue{});
  CHECK(Value::Date({65535, 255, 255}).date() == DateValue{65535, 255, 255});
  CHECK_FALSE(Value::DateTime(last) == Value::DateTime({{9999, 12, 31}, 23, 59, 59, 999998}));

  const TimestampValue before_epoch{-62135596800, 999999};
  CHECK(Value::Timestamp(before_epoch, 6).timestamp() == before_epoch);
  CHECK(Value::Timestamp(before_epoch, 6).ToString() == "'0001-01-01 00:00:00.999999'");
  CHECK(Value::Timestamp({-1, 0}).timestamp() == TimestampValue{-1, 0});
  const TimestampValue far{int64_t{1} << 40, 123456};
  CHECK(Value::Timestamp(far).timestamp() == far);
  const TimestampValue lowest{-(int64_t{1} << 43), 0};
  const TimestampValue highest{(int64_t{1} << 43) - 1, 999999};
  CHECK(Value::Timestamp(lowest).timestamp() == lowest);
  CHECK(Value::Timestamp(highest).timestamp() == highest);
  CHECK_FALSE(Value::Timestamp({-1, 0}) == Value::Timestamp({1, 0}));
}

}  // namespace
}  // namespace cdc
