// BinaryDecimal: MySQL's and MariaDB's binary DECIMAL(precision, scale), the form of NEWDECIMAL
// columns in binlog row images and of DECIMAL values inside binary JSON (decimal2bin in the
// servers' strings/decimal.c). Groups of nine decimal digits take four big-endian bytes; the
// leftover digits of the integer part come first and those of the fraction last, in fewer
// bytes; the first bit is flipped so values sort as bytes, and a negative value has every byte
// inverted. Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace cdc {

// A decoded DECIMAL's digits. The callers print them as their formats require: the binlog's
// row values drop the sign of a zero, JSON keeps it as MySQL's decimal2string() does.
struct DecimalDigits {
  bool negative = false;  // the sign bit, also for a zero
  std::string integer;    // no leading zeros; "0" when the integer part is zero
  std::string fraction;   // exactly `scale` digits; empty for scale 0
};

// Bytes that a DECIMAL(precision, scale) takes; nullopt when precision is not 1-65, scale is
// over 30 or scale is over precision.
std::optional<size_t> BinaryDecimalSize(unsigned precision, unsigned scale);

// `bytes` as a DECIMAL(precision, scale); nullopt when the precision and scale are invalid,
// `bytes` is not BinaryDecimalSize() long, or a digit group is out of range (corrupt bytes).
std::optional<DecimalDigits> DecodeBinaryDecimal(std::string_view bytes, unsigned precision,
                                                 unsigned scale);

}  // namespace cdc
