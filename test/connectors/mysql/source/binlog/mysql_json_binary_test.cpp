#include "connectors/mysql/source/binlog/mysql_json_binary.h"

#include <doctest/doctest.h>

#include <bit>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "test/hex.h"

namespace cdc {
namespace {

using testing::Hex;

// An encoder for the format as json_binary.h describes it, to build test documents: a value
// is its type byte and the bytes that follow it.
struct Encoded {
  uint8_t type;
  std::string bytes;
};

std::string LittleEndian(uint64_t value, size_t size) {
  std::string out;
  for (size_t i = 0; i < size; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
  return out;
}

std::string VariableLength(uint64_t length) {
  std::string out;
  do {
    auto byte = static_cast<uint8_t>(length & 0x7F);
    length >>= 7;
    if (length != 0) byte |= 0x80;
    out.push_back(static_cast<char>(byte));
  } while (length != 0);
  return out;
}

Encoded Null() {
  return {0x04, std::string(1, '\0')};
}
Encoded True() {
  return {0x04, std::string(1, '\1')};
}
Encoded False() {
  return {0x04, std::string(1, '\2')};
}
Encoded Int16(int16_t v) {
  return {0x05, LittleEndian(static_cast<uint16_t>(v), 2)};
}
Encoded UInt16(uint16_t v) {
  return {0x06, LittleEndian(v, 2)};
}
Encoded Int32(int32_t v) {
  return {0x07, LittleEndian(static_cast<uint32_t>(v), 4)};
}
Encoded UInt32(uint32_t v) {
  return {0x08, LittleEndian(v, 4)};
}
Encoded Int64(int64_t v) {
  return {0x09, LittleEndian(static_cast<uint64_t>(v), 8)};
}
Encoded UInt64(uint64_t v) {
  return {0x0A, LittleEndian(v, 8)};
}
Encoded Double(double v) {
  return {0x0B, LittleEndian(std::bit_cast<uint64_t>(v), 8)};
}
Encoded String(std::string_view s) {
  return {0x0C, VariableLength(s.size()) + std::string(s)};
}
Encoded Opaque(uint8_t field_type, std::string_view data) {
  return {0x0F, std::string(1, static_cast<char>(field_type)) + VariableLength(data.size()) +
                    std::string(data)};
}

std::string Document(const Encoded& value) {
  return std::string(1, static_cast<char>(value.type)) + value.bytes;
}

// A value entry: the type and either the value itself, widened as MySQL's int4store of the
// int32 value widens it, or the offset where the value is stored.
std::string ValueEntry(const Encoded& value, bool large, std::string& data, size_t data_start) {
  size_t width = large ? 4 : 2;
  std::string entry(1, static_cast<char>(value.type));
  bool inlined = value.type == 0x04 || value.type == 0x05 || value.type == 0x06 ||
                 (large && (value.type == 0x07 || value.type == 0x08));
  if (inlined) {
    bool negative = value.type == 0x05 && (static_cast<uint8_t>(value.bytes.back()) & 0x80);
    std::string widened = value.bytes;
    widened.resize(width, negative ? '\xFF' : '\0');
    return entry + widened;
  }
  entry += LittleEndian(data_start + data.size(), width);
  data += value.bytes;
  return entry;
}

Encoded Array(const std::vector<Encoded>& elements, bool large = false) {
  size_t width = large ? 4 : 2;
  size_t header = 2 * width + elements.size() * (1 + width);
  std::string entries;
  std::string data;
  for (const Encoded& element : elements) entries += ValueEntry(element, large, data, header);
  return {static_cast<uint8_t>(large ? 0x03 : 0x02), LittleEndian(elements.size(), width) +
                                                         LittleEndian(header + data.size(), width) +
                                                         entries + data};
}

Encoded Object(const std::vector<std::pair<std::string, Encoded>>& members, bool large = false) {
  size_t width = large ? 4 : 2;
  size_t header = 2 * width + members.size() * (width + 2 + 1 + width);
  std::string key_entries;
  std::string keys;
  for (const auto& [key, value] : members) {
    key_entries += LittleEndian(header + keys.size(), width) + LittleEndian(key.size(), 2);
    keys += key;
  }
  std::string value_entries;
  std::string data;
  for (const auto& [key, value] : members) {
    value_entries += ValueEntry(value, large, data, header + keys.size());
  }
  size_t size = header + keys.size() + data.size();
  return {static_cast<uint8_t>(large ? 0x01 : 0x00), LittleEndian(members.size(), width) +
                                                         LittleEndian(size, width) + key_entries +
                                                         value_entries + keys + data};
}

std::string Text(const std::string& document) {
  auto text = MysqlBinaryJsonToText(document);
  REQUIRE_MESSAGE(text.ok(), text.status().ToString());
  return *text;
}

std::string Text(const Encoded& value) {
  return Text(Document(value));
}

// The message of the InvalidArgument that `document` must produce.
std::string Error(const std::string& document) {
  auto text = MysqlBinaryJsonToText(document);
  REQUIRE_MESSAGE(!text.ok(), "decoded as " << *text);
  CHECK(text.status().code() == StatusCode::kInvalidArgument);
  return text.status().message();
}

Encoded Nested(int depth) {
  Encoded value = Array({});
  for (int i = 1; i < depth; ++i) value = Array({value});
  return value;
}

Encoded SampleDocument() {
  return Object({{"a", Int16(-7)},
                 {"id", UInt64(18446744073709551615ULL)},
                 {"tags", Array({String("x"), Double(1.5), Null(), Int32(70000)})},
                 {"price", Opaque(246, Hex("03028300"))},
                 {"when", Opaque(12, Hex("00000019761f9519"))},
                 {"nested", Object({{"k", Array({True(), False()}, true)}})}});
}

}  // namespace

TEST_CASE("an empty binary JSON value is JSON null, as MySQL reads it") {
  CHECK(Text(std::string()) == "null");
}

TEST_CASE("JSON literals and integers of every width print as MySQL prints them") {
  CHECK(Text(Null()) == "null");
  CHECK(Text(True()) == "true");
  CHECK(Text(False()) == "false");
  CHECK(Text(Int16(-32768)) == "-32768");
  CHECK(Text(UInt16(65535)) == "65535");
  CHECK(Text(Int32(-2147483647 - 1)) == "-2147483648");
  CHECK(Text(UInt32(4294967295U)) == "4294967295");
  CHECK(Text(Int64(-9223372036854775807LL - 1)) == "-9223372036854775808");
  CHECK(Text(UInt64(18446744073709551615ULL)) == "18446744073709551615");
  // Spec-derived: int16 7 at the top level; uint64 1.
  CHECK(Text(Hex("050700")) == "7");
  CHECK(Text(Hex("0a0100000000000000")) == "1");
}

TEST_CASE("JSON doubles print with the shortest round-trip digits in my_gcvt's notation") {
  CHECK(Text(Double(1.5)) == "1.5");
  CHECK(Text(Double(-2.5)) == "-2.5");
  CHECK(Text(Double(3.14)) == "3.14");
  CHECK(Text(Double(0.1)) == "0.1");
  CHECK(Text(Double(100.0)) == "100.0");
  CHECK(Text(Double(0.0)) == "0.0");
  CHECK(Text(Double(-0.0)) == "-0.0");
  CHECK(Text(Double(1e14)) == "100000000000000.0");
  CHECK(Text(Double(1e15)) == "1e15");
  CHECK(Text(Double(1e100)) == "1e100");
  CHECK(Text(Double(-1.25e100)) == "-1.25e100");
  CHECK(Text(Double(123456789012345.6)) == "123456789012345.6");
  CHECK(Text(Double(1234567890123456.8)) == "1234567890123456.8");
  CHECK(Text(Double(1.2345678901234567e19)) == "1.2345678901234567e19");
  CHECK(Text(Double(1e-15)) == "0.000000000000001");
  CHECK(Text(Double(1.5e-15)) == "0.0000000000000015");
  CHECK(Text(Double(1e-16)) == "1e-16");
  CHECK(Text(Double(1.5e-7)) == "0.00000015");
  CHECK(Text(Double(5e-324)) == "5e-324");
  CHECK(Text(Double(1.7976931348623157e308)) == "1.7976931348623157e308");
  // Spec-derived: float8store(1.5) is 0x3FF8000000000000 little-endian.
  CHECK(Text(Hex("0b000000000000f83f")) == "1.5");
}

TEST_CASE("JSON arrays and objects print with MySQL's separators and keys in stored order") {
  // Spec-derived by hand: {"a": 1} is count 1, size 12, key entry (11, 1), value entry
  // inlined int16 1, key "a".
  CHECK(Text(Hex("0001000c000b00010005010061")) == R"({"a": 1})");
  // [1, "x"]: count 2, size 12, inlined int16 1, string at offset 10.
  CHECK(Text(Hex("0202000c000501000c0a000178")) == R"([1, "x"])");
  CHECK(Text(Array({})) == "[]");
  CHECK(Text(Object({})) == "{}");
  CHECK(Text(Object({{"b", Int16(1)}, {"a", Int16(2)}})) == R"({"b": 1, "a": 2})");
  CHECK(Text(Object({{"a", Array({Int16(1), Int16(2), String("x")})},
                     {"b", Object({{"c", Null()}, {"dd", Array({Array({})})}})}})) ==
        R"({"a": [1, 2, "x"], "b": {"c": null, "dd": [[]]}})");
  CHECK(Text(SampleDocument()) ==
        R"({"a": -7, "id": 18446744073709551615, "tags": ["x", 1.5, null, 70000], )"
        R"("price": 3.00, "when": "2015-01-15 23:24:25.000000", "nested": {"k": [true, false]}})");
}

TEST_CASE("a large JSON object uses 4-byte offsets and inlines 32-bit integers") {
  Encoded large = Object({{"i", Int32(-5)},
                          {"u", UInt32(4000000000U)},
                          {"s", Int16(-1)},
                          {"t", String("text")},
                          {"arr", Array({UInt16(9), Int64(1LL << 40)})}},
                         true);
  CHECK(large.type == 0x01);
  CHECK(Text(large) ==
        R"({"i": -5, "u": 4000000000, "s": -1, "t": "text", "arr": [9, 1099511627776]})");
  // A value past 64 KiB is what makes MySQL choose the large form.
  std::string long_string(70000, 'z');
  CHECK(Text(Object({{"k", String(long_string)}, {"n", Int32(1)}}, true)) ==
        R"({"k": ")" + long_string + R"(", "n": 1})");
  CHECK(Text(Array({Int32(-70000), Array({True()}, true)}, true)) == "[-70000, [true]]");
}

TEST_CASE("32-bit integers in a small JSON container are stored after the entries") {
  Encoded array = Array({Int32(-70000), UInt32(70000)});
  CHECK(array.bytes.size() == 4 + 2 * 3 + 2 * 4);
  CHECK(Text(array) == "[-70000, 70000]");
}

TEST_CASE("JSON strings escape quotes, backslashes and control characters as MySQL does") {
  CHECK(Text(String("a\"b\\c/d")) == R"("a\"b\\c/d")");
  CHECK(Text(String("\n\t\r\b\f")) == R"("\n\t\r\b\f")");
  CHECK(Text(String(std::string("\0\x01\x1f\x7f", 4))) == "\"\\u0000\\u0001\\u001f\x7f\"");
  CHECK(Text(Object({{"k\"\n", String("")}})) == R"({"k\"\n": ""})");
}

TEST_CASE("UTF-8 in JSON strings and keys passes through unchanged") {
  std::string utf8 = "h\xC3\xA9llo \xE2\x9C\x93 \xF0\x9F\x98\x80";
  CHECK(Text(String(utf8)) == "\"" + utf8 + "\"");
  CHECK(Text(Object({{utf8, Array({String(utf8)})}})) == "{\"" + utf8 + "\": [\"" + utf8 + "\"]}");
}

TEST_CASE("a JSON string's length is stored in 7-bit groups, low group first") {
  std::string x128(128, 'x');
  CHECK(Text(Hex("0c8001") + x128) == "\"" + x128 + "\"");
  std::string y16384(16384, 'y');
  CHECK(VariableLength(16384) == Hex("808001"));
  CHECK(Text(String(y16384)) == "\"" + y16384 + "\"");
  CHECK(Text(String(std::string(127, 'w'))) == "\"" + std::string(127, 'w') + "\"");
}

TEST_CASE("DECIMAL opaques print with their scale, as decimal2string prints them") {
  // Derived by hand: precision, scale, then the binary DECIMAL with its sign bit flipped.
  CHECK(Text(Opaque(246, Hex("0302830e"))) == "3.14");
  CHECK(Text(Opaque(246, Hex("03027cf1"))) == "-3.14");
  CHECK(Text(Opaque(246, Hex("04028132"))) == "1.50");
  CHECK(Text(Opaque(246, Hex("020285"))) == "0.05");
  CHECK(Text(Opaque(246, Hex("0500803039"))) == "12345");
  CHECK(Text(Opaque(246, Hex("1309810dfb38d2075bcd15"))) == "1234567890.123456789");
  // A MariaDB server's binlog bytes of DECIMAL(10,3) -123.456.
  CHECK(Text(Opaque(246, Hex("0a037fffff84fe37"))) == "-123.456");
  CHECK(Text(Array({Opaque(246, Hex("0302830e")), Opaque(246, Hex("03028000"))})) ==
        "[3.14, 0.00]");
}

TEST_CASE("temporal opaques print as my_TIME_to_str prints them, with six fraction digits") {
  // 2015-01-15 23:24:25: ((2015 * 13 + 1) << 5 | 15) << 17 | 23 << 12 | 24 << 6 | 25, << 24.
  CHECK(Text(Opaque(12, Hex("00000019761f9519"))) == R"("2015-01-15 23:24:25.000000")");
  CHECK(Text(Opaque(7, Hex("00000019761f9519"))) == R"("2015-01-15 23:24:25.000000")");
  CHECK(Text(Opaque(10, Hex("00000000001e9519"))) == R"("2015-01-15")");
  // -12:00:01.5: the packed (12 << 12 | 1) << 24 | 500000, negated.
  CHECK(Text(Opaque(11, Hex("e05ef8fe3fffffff"))) == R"("-12:00:01.500000")");
  CHECK(Text(Opaque(11, Hex("3f420f0000000000"))) == R"("00:00:00.999999")");
  CHECK(Text(Opaque(12, Hex("0000000000000000"))) == R"("0000-00-00 00:00:00.000000")");
  CHECK(Text(Opaque(12, Hex("3f420f19761f9519"))) == R"("2015-01-15 23:24:25.999999")");
}

TEST_CASE("VAR_STRING opaques print as strings and other opaques as MySQL's base64 form") {
  CHECK(Text(Opaque(253, "a\"b")) == R"("a\"b")");
  // MySQL prints CAST(x'01' AS JSON) as "base64:type15:AQ==".
  CHECK(Text(Opaque(15, Hex("01"))) == R"("base64:type15:AQ==")");
  CHECK(Text(Opaque(15, "U")) == R"("base64:type15:VQ==")");
  CHECK(Text(Opaque(16, Hex("0102"))) == R"("base64:type16:AQI=")");
  CHECK(Text(Opaque(252, Hex("010203"))) == R"("base64:type252:AQID")");
  CHECK(Text(Opaque(255, "")) == R"("base64:type255:")");
  // base64_encode breaks the line after 76 characters; the newline is escaped in JSON.
  CHECK(Text(Opaque(252, std::string(60, '\0'))) ==
        "\"base64:type252:" + std::string(76, 'A') + "\\nAAAA\"");
  CHECK(Text(Opaque(252, std::string(57, '\0'))) ==
        "\"base64:type252:" + std::string(76, 'A') + "\"");
}

TEST_CASE("JSON nested 100 levels deep decodes and 101 levels is rejected") {
  CHECK(Text(Nested(100)) == std::string(100, '[') + std::string(100, ']'));
  std::string message = Error(Document(Nested(101)));
  CHECK(message.find("nested deeper than 100 levels") != std::string::npos);
  CHECK(message.find("at byte 701 of 705") != std::string::npos);  // 100 arrays of 4 + 3 bytes
}

TEST_CASE("malformed binary JSON is rejected naming what and at which byte") {
  CHECK(Error(Hex("0d")).find("at byte 0 of 1: unknown value type 0x0d") != std::string::npos);
  CHECK(Error(Hex("0903")).find("at byte 1 of 2: a number or literal needs 8 bytes") !=
        std::string::npos);
  CHECK(Error(Hex("0403")).find("literal 0x03") != std::string::npos);
  CHECK(Error(Hex("0c05abcd")).find("at byte 2 of 4: a string needs 5 bytes but only 2 remain") !=
        std::string::npos);
  CHECK(Error(Hex("0c8080808080")).find("a length runs over 5 bytes") != std::string::npos);
  CHECK(Error(Hex("0c8080808010")).find("exceeds 2^32 - 1") != std::string::npos);
  // An array claiming 20 bytes in an 8-byte document.
  CHECK(Error(Hex("0201001400050100")).find("at byte 1 of 8: an array needs 20 bytes") !=
        std::string::npos);
  // Two entries of 3 bytes do not fit in an array of 6 bytes.
  CHECK(Error(Hex("0202000600000000")).find("cannot hold the entries of 2 elements") !=
        std::string::npos);
  // A string entry pointing at offset 40 of a 9-byte array; one pointing into the header.
  CHECK(Error(Hex("02010009000c2800017a")).find("at byte 5 of 10: value 0 lies outside") !=
        std::string::npos);
  CHECK(Error(Hex("02010009000c0200017a")).find("value 0 lies outside its array") !=
        std::string::npos);
  // The key of {"a": 1} pointing past the object; an unknown entry type inside it.
  CHECK(Error(Hex("0001000c000c00010005010061")).find("at byte 5 of 13: key 0 lies outside") !=
        std::string::npos);
  CHECK(Error(Hex("0001000c000b0001000e010061")).find("at byte 9 of 13: unknown value type 0x0e") !=
        std::string::npos);
  CHECK(Error(Document(Opaque(246, Hex("030283")))).find("DECIMAL(3,2) has 1 bytes, not 2") !=
        std::string::npos);
  CHECK(Error(Document(Opaque(246, Hex("0203830e")))).find("not a valid precision and scale") !=
        std::string::npos);
  CHECK(Error(Document(Opaque(246, Hex("0302ff0e")))).find("digit group out of range") !=
        std::string::npos);
  CHECK(Error(Document(Opaque(12, Hex("00000019761f95")))).find("DATETIME opaque has 7 bytes") !=
        std::string::npos);
  CHECK(Error(Document(Opaque(11, Hex("000000000f000000")))).find("TIME opaque is out of range") !=
        std::string::npos);
  CHECK(Error(Document(Opaque(10, Hex("0000000000000080")))).find("DATE opaque is out of range") !=
        std::string::npos);
  CHECK(Error(Document(Double(std::bit_cast<double>(0x7FF8000000000000ULL))))
            .find("NaN or infinite") != std::string::npos);
  CHECK(Error(Document(Double(std::bit_cast<double>(0xFFF0000000000000ULL))))
            .find("NaN or infinite") != std::string::npos);
}

TEST_CASE("entries that share their values cannot blow the JSON text up exponentially") {
  // Each level holds 100 entries all pointing at one child array, five levels deep: about
  // 1.5 KB of input that would print 10^10 elements.
  constexpr size_t kFanOut = 100;
  std::string level = Array(std::vector<Encoded>(kFanOut, Null())).bytes;
  for (int i = 0; i < 4; ++i) {
    size_t header = 4 + 3 * kFanOut;
    std::string entries;
    for (size_t j = 0; j < kFanOut; ++j) entries += "\x02" + LittleEndian(header, 2);
    level = LittleEndian(kFanOut, 2) + LittleEndian(header + level.size(), 2) + entries + level;
  }
  std::string document = "\x02" + level;
  CHECK(document.size() < 2000);
  CHECK(Error(document).find("values overlap") != std::string::npos);
}

TEST_CASE("every truncation of a valid JSON document is an error, never a crash") {
  std::string document = Document(SampleDocument());
  REQUIRE(Text(document).size() > 100);
  CHECK(Text(document.substr(0, 0)) == "null");
  for (size_t length = 1; length < document.size(); ++length) {
    CAPTURE(length);
    CHECK_FALSE(MysqlBinaryJsonToText(document.substr(0, length)).ok());
  }
}

TEST_CASE("corrupted JSON bytes decode to a value or an error, never a crash") {
  std::string document = Document(SampleDocument());
  size_t decoded = 0;
  size_t rejected = 0;
  for (size_t pos = 0; pos < document.size(); ++pos) {
    for (int value : {0x00, 0x01, 0x02, 0x03, 0x0b, 0x0c, 0x0f, 0x7f, 0x80, 0xff}) {
      std::string corrupt = document;
      corrupt[pos] = static_cast<char>(value);
      (MysqlBinaryJsonToText(corrupt).ok() ? decoded : rejected) += 1;
    }
  }
  uint64_t state = 88172645463325252ULL;  // xorshift64: deterministic multi-byte corruption
  for (int round = 0; round < 20000; ++round) {
    std::string corrupt = document;
    for (int flips = 0; flips < 4; ++flips) {
      state ^= state << 13;
      state ^= state >> 7;
      state ^= state << 17;
      corrupt[state % corrupt.size()] = static_cast<char>(state >> 56);
    }
    (MysqlBinaryJsonToText(corrupt).ok() ? decoded : rejected) += 1;
  }
  CHECK(decoded > 0);
  CHECK(rejected > 0);
}

}  // namespace cdc
