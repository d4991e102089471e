#include "connectors/mysql/source/binlog/binary_decimal.h"

#include <fmt/format.h>
#include <cstdint>
#include <iterator>

namespace cdc {
namespace {

constexpr unsigned kDigitsPerGroup = 9;
constexpr size_t kBytesForDigits[] = {0, 1, 1, 2, 2, 3, 3, 4, 4, 4};
constexpr uint64_t kPowersOf10[] = {1,      10,      100,      1000,      10000,
                                    100000, 1000000, 10000000, 100000000, 1000000000};

}  // namespace

std::optional<size_t> BinaryDecimalSize(unsigned precision, unsigned scale) {
  if (precision == 0 || precision > 65 || scale > 30 || scale > precision) return std::nullopt;
  unsigned integer_digits = precision - scale;
  return size_t{integer_digits / kDigitsPerGroup} * 4 +
         kBytesForDigits[integer_digits % kDigitsPerGroup] + size_t{scale / kDigitsPerGroup} * 4 +
         kBytesForDigits[scale % kDigitsPerGroup];
}

std::optional<DecimalDigits> DecodeBinaryDecimal(std::string_view bytes, unsigned precision,
                                                 unsigned scale) {
  std::optional<size_t> size = BinaryDecimalSize(precision, scale);
  if (!size || bytes.size() != *size) return std::nullopt;
  DecimalDigits out;
  out.negative = (static_cast<uint8_t>(bytes[0]) & 0x80) == 0;
  // The sign bit flipped back, and every byte inverted back for a negative value.
  uint8_t invert = out.negative ? 0xFF : 0x00;
  size_t next = 0;
  // Appends the next group of `digits` decimal digits, zero-padded; false if it has more.
  auto append_group = [&](std::string& text, unsigned digits) {
    uint64_t group = 0;
    for (size_t i = 0; i < kBytesForDigits[digits]; ++i, ++next) {
      uint8_t byte = static_cast<uint8_t>(bytes[next]) ^ invert;
      if (next == 0) byte ^= 0x80;
      group = (group << 8) | byte;
    }
    if (group >= kPowersOf10[digits]) return false;
    fmt::format_to(std::back_inserter(text), "{:0{}}", group, digits);
    return true;
  };
  unsigned integer_digits = precision - scale;
  std::string integer;
  bool valid = integer_digits % kDigitsPerGroup == 0 ||
               append_group(integer, integer_digits % kDigitsPerGroup);
  for (unsigned i = 0; valid && i < integer_digits / kDigitsPerGroup; ++i) {
    valid = append_group(integer, kDigitsPerGroup);
  }
  for (unsigned i = 0; valid && i < scale / kDigitsPerGroup; ++i) {
    valid = append_group(out.fraction, kDigitsPerGroup);
  }
  if (valid && scale % kDigitsPerGroup != 0) {
    valid = append_group(out.fraction, scale % kDigitsPerGroup);
  }
  if (!valid) return std::nullopt;
  size_t first = integer.find_first_not_of('0');
  out.integer = first == std::string::npos ? "0" : integer.substr(first);
  return out;
}

}  // namespace cdc
