// Value: one column value of a MySQL row, held losslessly.
//
// Every MySQL column type has an exact representation: 64-bit signed and unsigned integers,
// FLOAT and DOUBLE bit-for-bit, DECIMAL up to (65,30) as canonical decimal text, BIT up to 64
// bits, YEAR, DATE, TIME (negative, with microseconds), DATETIME, TIMESTAMP (UTC seconds since
// the epoch plus microseconds), text with its collation id, binary with NUL bytes, ENUM (index
// and label), SET (member bitmask and labels), JSON text, GEOMETRY (SRID and WKB), and NULL.
// Zero dates ('0000-00-00') are representable.
//
// A Value is a plain value type: copyable, movable, immutable once built; safe to share
// between threads when not mutated.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace cdc {

enum class ValueKind : uint8_t {
  kNull,
  kInt,        // TINYINT..BIGINT, signed
  kUInt,       // TINYINT..BIGINT UNSIGNED
  kFloat,
  kDouble,
  kDecimal,    // canonical text: optional '-', digits, optional '.' and scale digits
  kBit,        // up to 64 bits, with the column's width
  kYear,       // 0 or 1901..2155
  kDate,
  kTime,
  kDateTime,
  kTimestamp,  // UTC, never the host's time zone
  kString,     // text bytes in the column's character set, with its collation id
  kBytes,      // BINARY / VARBINARY / BLOB, any bytes including NUL
  kEnum,
  kSet,
  kJson,       // JSON document as text
  kGeometry,   // SRID and WKB
};

const char* ValueKindName(ValueKind kind);

// A calendar date as MySQL stores it: zero parts allowed ('0000-00-00', '2024-00-00').
struct DateValue {
  uint16_t year = 0;
  uint8_t month = 0;
  uint8_t day = 0;
  friend bool operator==(const DateValue&, const DateValue&) = default;
};

// A MySQL TIME: an interval of -838:59:59.999999 .. 838:59:59.999999.
struct TimeValue {
  bool negative = false;
  uint16_t hours = 0;
  uint8_t minutes = 0;
  uint8_t seconds = 0;
  uint32_t micros = 0;
  friend bool operator==(const TimeValue&, const TimeValue&) = default;
};

// A MySQL DATETIME: a wall-clock date and time with no time zone.
struct DateTimeValue {
  DateValue date;
  uint8_t hour = 0;
  uint8_t minute = 0;
  uint8_t second = 0;
  uint32_t micros = 0;
  friend bool operator==(const DateTimeValue&, const DateTimeValue&) = default;
};

// A MySQL TIMESTAMP: an instant, seconds since 1970-01-01 00:00:00 UTC plus microseconds.
// The zero timestamp ('0000-00-00 00:00:00') is seconds == 0 and micros == 0.
struct TimestampValue {
  int64_t seconds = 0;
  uint32_t micros = 0;
  friend bool operator==(const TimestampValue&, const TimestampValue&) = default;
};

class Value {
 public:
  Value() = default;  // NULL

  static Value Null() { return Value(); }
  static Value Int(int64_t v);
  static Value UInt(uint64_t v);
  static Value Float(float v);
  static Value Double(double v);
  // `text` must be canonical decimal text ("-12.50", "0.000", "123"); see IsDecimalText.
  static Value Decimal(std::string text);
  // `width` is the column's bit count (1..64); bits above it must be zero.
  static Value Bit(uint64_t bits, uint8_t width);
  static Value Year(uint16_t year);
  static Value Date(DateValue v);
  // `fsp` is the column's fractional-seconds precision (0..6), kept for formatting.
  static Value Time(TimeValue v, uint8_t fsp = 0);
  static Value DateTime(DateTimeValue v, uint8_t fsp = 0);
  static Value Timestamp(TimestampValue v, uint8_t fsp = 0);
  // `collation_id` is MySQL's collation number (45 = utf8mb4_general_ci, 8 = latin1_swedish_ci).
  static Value String(std::string bytes, uint16_t collation_id);
  static Value Bytes(std::string bytes);
  // `index` is 1-based as MySQL stores it (0 is the '' error value); `label` its text.
  static Value Enum(uint16_t index, std::string label);
  // `members` is the bitmask MySQL stores; `labels` the comma-joined member names.
  static Value Set(uint64_t members, std::string labels);
  static Value Json(std::string text);
  static Value Geometry(uint32_t srid, std::string wkb);

  ValueKind kind() const { return kind_; }
  bool is_null() const { return kind_ == ValueKind::kNull; }

  // Accessors require the matching kind.
  int64_t int_value() const { return scalar_.i; }         // kInt
  uint64_t uint_value() const { return scalar_.u; }       // kUInt
  float float_value() const { return scalar_.f; }         // kFloat
  double double_value() const { return scalar_.d; }       // kDouble
  uint64_t bits() const { return scalar_.u; }             // kBit
  uint8_t bit_width() const { return static_cast<uint8_t>(aux_); }  // kBit
  uint16_t year() const { return static_cast<uint16_t>(scalar_.u); }  // kYear
  DateValue date() const { return scalar_.date; }         // kDate
  TimeValue time() const { return scalar_.time; }         // kTime
  DateTimeValue datetime() const { return scalar_.datetime; }  // kDateTime
  TimestampValue timestamp() const { return scalar_.timestamp; }  // kTimestamp
  uint8_t fsp() const { return static_cast<uint8_t>(aux_); }  // kTime, kDateTime, kTimestamp
  uint16_t collation_id() const { return aux_; }          // kString
  uint16_t enum_index() const { return static_cast<uint16_t>(scalar_.u); }  // kEnum
  uint64_t set_members() const { return scalar_.u; }      // kSet
  uint32_t srid() const { return static_cast<uint32_t>(scalar_.u); }  // kGeometry
  // kDecimal text, kString / kBytes bytes, kEnum / kSet labels, kJson text, kGeometry WKB.
  const std::string& bytes() const { return bytes_; }

  // Approximate heap and inline bytes this value occupies; used for buffer byte thresholds.
  size_t ByteSize() const { return sizeof(Value) + (bytes_.size() > 15 ? bytes_.capacity() : 0); }

  // Readable text: 42, -1.5, 'abc' (quoted, escaped), x'00ff' (binary), b'101',
  // '2024-01-02 03:04:05.000006', NULL. For logs and the print sink, not for SQL.
  std::string ToString() const;

  // Exact identity: same kind and the same payload (floats compared bit-for-bit, so
  // NaN == NaN and 0.0 != -0.0). Collations are not applied here; see row_key.h.
  friend bool operator==(const Value& a, const Value& b);

 private:
  union Scalar {
    int64_t i;
    uint64_t u;
    float f;
    double d;
    DateValue date;
    TimeValue time;
    DateTimeValue datetime;
    TimestampValue timestamp;
  };

  ValueKind kind_ = ValueKind::kNull;
  uint16_t aux_ = 0;  // bit width, fsp or collation id, by kind
  Scalar scalar_{.u = 0};
  std::string bytes_;
};

// True when `text` is canonical decimal text: [-]digits[.digits], no leading zeros except a
// single "0" before the point, at most 65 digits in all and at most 30 after the point.
bool IsDecimalText(std::string_view text);

}  // namespace cdc
