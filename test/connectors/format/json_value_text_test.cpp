#include "connectors/format/json_value_text.h"

#include <cstring>
#include <string>

#include <doctest/doctest.h>

namespace cdc::json_text {
namespace {

template <typename Append, typename T>
std::string Text(Append append, T v) {
  std::string out;
  append(v, out);
  return out;
}

float Denormal() {
  float f;
  const uint32_t bits = 1;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

// Go's strconv.FormatFloat(v, 'f', -1, 32/64), as TiCDC writes canal-json floats.
TEST_CASE("plain floats are Go's shortest 'f' text") {
  CHECK(Text(AppendPlainFloat, 3.40282347e38f) == "340282350000000000000000000000000000000");
  CHECK(Text(AppendPlainFloat, 3.14f) == "3.14");
  CHECK(Text(AppendPlainFloat, Denormal()) == "0.000000000000000000000000000000000000000000001");
  CHECK(Text(AppendPlainDouble, 0.1 + 0.2) == "0.30000000000000004");
  CHECK(Text(AppendPlainDouble, 2.71) == "2.71");
  CHECK(Text(AppendPlainDouble, -0.0) == "-0");
  CHECK(Text(AppendPlainDouble, 1e21) == "1000000000000000000000");
  CHECK(ReadFloat("340282350000000000000000000000000000000") == 3.40282347e38f);
  CHECK(ReadFloat("0.000000000000000000000000000000000000000000001") == Denormal());
}

// Java's Float/Double.toString, as Maxwell (Jackson) writes floats.
TEST_CASE("Java floats switch to E notation outside 1e-3 .. 1e7") {
  CHECK(Text(AppendJavaDouble, 4.2341) == "4.2341");  // Maxwell's dataformat example
  CHECK(Text(AppendJavaDouble, 1.0) == "1.0");
  CHECK(Text(AppendJavaDouble, 100.0) == "100.0");
  CHECK(Text(AppendJavaDouble, 0.001) == "0.001");
  CHECK(Text(AppendJavaDouble, 1e7) == "1.0E7");
  CHECK(Text(AppendJavaDouble, -1e-300) == "-1.0E-300");
  CHECK(Text(AppendJavaFloat, 3.40282347e38f) == "3.4028235E38");
  CHECK(Text(AppendJavaFloat, Denormal()) == "1.4E-45");
  CHECK(Text(AppendJavaDouble, 0.0) == "0.0");
  CHECK(ReadFloat("3.4028235E38") == 3.40282347e38f);
  CHECK(ReadDouble("-1.0E-300") == -1e-300);
}

TEST_CASE("DECIMAL text as Java's BigDecimal.toString and back at the column's scale") {
  CHECK(Text(AppendBigDecimal, std::string_view("123.4560")) == "123.4560");
  CHECK(Text(AppendBigDecimal, std::string_view("0.000001")) == "0.000001");
  CHECK(Text(AppendBigDecimal, std::string_view("0.0000001")) == "1E-7");
  CHECK(Text(AppendBigDecimal, std::string_view("-0.00000015")) == "-1.5E-7");
  CHECK(Text(AppendBigDecimal, std::string_view("0.000000000000000000000000000001")) == "1E-30");
  CHECK(Text(AppendBigDecimal, std::string_view("0.000000000000000000000000000000")) == "0E-30");
  ColumnSchema column;
  column.type = ColumnType::kDecimal;
  column.precision = 65;
  column.scale = 30;
  CHECK(ReadDecimal("1E-30", column) == "0.000000000000000000000000000001");
  CHECK(ReadDecimal("0E-30", column) == "0.000000000000000000000000000000");
  CHECK(ReadDecimal("-1.5E-7", column) == "-0.000000150000000000000000000000");
  column.precision = 5;
  column.scale = 2;
  CHECK(ReadDecimal("2333", column) == std::nullopt);  // 4 integer digits > 5 - 2
  CHECK(ReadDecimal("233", column) == "233.00");
  CHECK(ReadDecimal("1.234", column) == std::nullopt);
  CHECK(ReadDecimal("1.230", column) == "1.23");
  CHECK(ReadDecimal("1.", column) == std::nullopt);
}

TEST_CASE("bytes as ISO-8859-1 characters and as base64 read back exactly") {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  std::string utf8;
  AppendLatin1AsUtf8(all, utf8);
  CHECK(ReadUtf8AsLatin1(utf8) == all);
  CHECK(ReadUtf8AsLatin1("\xe2\x82\xac") == std::nullopt);  // U+20AC is no latin1 character
  for (size_t n = 0; n < 6; ++n) {
    std::string encoded;
    AppendBase64(all.substr(250, n), encoded);
    CHECK(ReadBase64(encoded) == all.substr(250, n));
  }
  std::string encoded;
  AppendBase64("Man", encoded);
  CHECK(encoded == "TWFu");
  CHECK(ReadBase64("TWE=") == "Ma");
  CHECK(ReadBase64("TWE") == std::nullopt);
}

TEST_CASE("temporal text reads back to the exact parts") {
  std::string out;
  AppendTimestampUtc({2147483647, 999999}, 6, out);
  CHECK(out == "2038-01-19 03:14:07.999999");
  CHECK(ReadTimestampUtc(out) == TimestampValue{2147483647, 999999});
  CHECK(ReadTimestampUtc("0000-00-00 00:00:00") == TimestampValue{0, 0});
  CHECK(ReadTimestampUtc("0000-00-00 00:00:01") == std::nullopt);
  CHECK(ReadTime("-838:59:58.999999") == TimeValue{true, 838, 59, 58, 999999});
  CHECK(ReadTime("839:00:00") == std::nullopt);
  CHECK(ReadDate("2024-13-01") == std::nullopt);
  out.clear();
  AppendTime({false, 2, 20, 20, 500000}, 3, out);
  CHECK(out == "02:20:20.500");
}

}  // namespace
}  // namespace cdc::json_text
