// Value: one column value of a MySQL row, held losslessly.
//
// Every MySQL column type has an exact representation: 64-bit signed and unsigned integers,
// FLOAT and DOUBLE bit-for-bit, DECIMAL up to (65,30) as canonical decimal text, BIT up to 64
// bits, YEAR, DATE, TIME (negative, with microseconds), DATETIME, TIMESTAMP (UTC seconds since
// the epoch plus microseconds), text with its collation id, binary with NUL bytes, ENUM (index
// and label), SET (member bitmask and labels), JSON text, GEOMETRY (SRID and WKB), and NULL.
// Zero dates ('0000-00-00') are representable.
//
// A Value is a plain value type: copyable, movable (a moved-from value is NULL), immutable
// once built; safe to share between threads when not mutated.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

namespace cdc {

enum class ValueKind : uint8_t {
  kNull,
  kInt,   // TINYINT..BIGINT, signed
  kUInt,  // TINYINT..BIGINT UNSIGNED
  kFloat,
  kDouble,
  kDecimal,  // canonical text: optional '-', digits, optional '.' and scale digits
  kBit,      // up to 64 bits, with the column's width
  kYear,     // 0 or 1901..2155
  kDate,
  kTime,
  kDateTime,
  kTimestamp,  // UTC, never the host's time zone
  kString,     // text bytes in the column's character set, with its collation id
  kBytes,      // BINARY / VARBINARY / BLOB, any bytes including NUL
  kEnum,
  kSet,
  kJson,      // JSON document as text
  kGeometry,  // SRID and WKB
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

// Layout (32 bytes): an 8-byte header {kind, heap flag, aux (bit width, fsp or collation id),
// byte length} and a 24-byte payload. A kind with only a scalar keeps it in the payload's last
// 8 bytes; temporal values are bit-packed into those 64 bits. A kind with only bytes keeps up to
// 24 of them inline; ENUM, SET and GEOMETRY keep their scalar in the last 8 bytes and up to 16
// bytes inline. Longer bytes live in a heap buffer this value owns, its pointer in the
// payload's first 8 bytes. Payload bytes that hold nothing are zero, so two values without a
// heap buffer are equal exactly when their headers and payloads are.
class Value {
 public:
  Value() = default;  // NULL
  // A copy has its own heap buffer; a moved-from value is NULL.
  Value(const Value& other)
      : kind_(other.kind_), heap_(other.heap_), aux_(other.aux_), size_(other.size_) {
    std::memcpy(payload_, other.payload_, kPayloadSize);
    if (heap_) CopyHeapFrom(other);
  }
  Value(Value&& other) noexcept { StealFrom(other); }
  Value& operator=(const Value& other) {
    if (this != &other) *this = Value(other);
    return *this;
  }
  Value& operator=(Value&& other) noexcept {
    if (this != &other) {
      if (heap_) FreeHeap();
      StealFrom(other);
    }
    return *this;
  }
  ~Value() {
    if (heap_) FreeHeap();
  }

  static Value Null() { return Value(); }
  static Value Int(int64_t v);
  static Value UInt(uint64_t v);
  static Value Float(float v);
  static Value Double(double v);
  // `text` must be canonical decimal text ("-12.50", "0.000", "123"); see IsDecimalText.
  static Value Decimal(std::string_view text);
  // `width` is the column's bit count (1..64); bits above it must be zero.
  static Value Bit(uint64_t bits, uint8_t width);
  static Value Year(uint16_t year);
  static Value Date(DateValue v);
  // `fsp` is the column's fractional-seconds precision (0..6), kept for formatting.
  // Temporal values must fit their packed fields, which hold every value MySQL can store:
  // micros < 2^20; for DATETIME month < 16, day and hour < 32, minute and second < 64; for
  // TIMESTAMP -2^43 <= seconds < 2^43 (about 278,000 years). TIME's other fields and every
  // DateValue fit whole.
  static Value Time(TimeValue v, uint8_t fsp = 0);
  static Value DateTime(DateTimeValue v, uint8_t fsp = 0);
  static Value Timestamp(TimestampValue v, uint8_t fsp = 0);
  // `collation_id` is MySQL's collation number (45 = utf8mb4_general_ci, 8 = latin1_swedish_ci).
  // Factories taking bytes copy them; MySQL's largest value is 4 GiB - 1 bytes, and a longer
  // one is a bug.
  static Value String(std::string_view bytes, uint16_t collation_id);
  static Value Bytes(std::string_view bytes);
  // `index` is 1-based as MySQL stores it (0 is the '' error value); `label` its text.
  static Value Enum(uint16_t index, std::string_view label);
  // `members` is the bitmask MySQL stores; `labels` the comma-joined member names.
  static Value Set(uint64_t members, std::string_view labels);
  static Value Json(std::string_view text);
  static Value Geometry(uint32_t srid, std::string_view wkb);

  ValueKind kind() const { return kind_; }
  bool is_null() const { return kind_ == ValueKind::kNull; }

  // Accessors require the matching kind.
  int64_t int_value() const { return static_cast<int64_t>(scalar()); }  // kInt
  uint64_t uint_value() const { return scalar(); }                      // kUInt
  float float_value() const {                                           // kFloat
    return std::bit_cast<float>(static_cast<uint32_t>(scalar()));
  }
  double double_value() const { return std::bit_cast<double>(scalar()); }  // kDouble
  uint64_t bits() const { return scalar(); }                               // kBit
  uint8_t bit_width() const { return static_cast<uint8_t>(aux_); }         // kBit
  uint16_t year() const { return static_cast<uint16_t>(scalar()); }        // kYear
  DateValue date() const;                                                  // kDate
  TimeValue time() const;                                                  // kTime
  DateTimeValue datetime() const;                                          // kDateTime
  TimestampValue timestamp() const;                                        // kTimestamp
  uint8_t fsp() const { return static_cast<uint8_t>(aux_); }  // kTime, kDateTime, kTimestamp
  uint16_t collation_id() const { return aux_; }              // kString
  uint16_t enum_index() const { return static_cast<uint16_t>(scalar()); }  // kEnum
  uint64_t set_members() const { return scalar(); }                        // kSet
  uint32_t srid() const { return static_cast<uint32_t>(scalar()); }        // kGeometry
  // kDecimal text, kString / kBytes bytes, kEnum / kSet labels, kJson text, kGeometry WKB;
  // empty for the other kinds. Valid until this value is changed, moved from or destroyed.
  std::string_view bytes() const { return {heap_ ? heap_data() : payload_, size_}; }

  // sizeof(Value) plus the heap buffer this value owns (none when its bytes are inline); used
  // for buffer byte thresholds.
  size_t ByteSize() const { return sizeof(Value) + (heap_ ? size_ : 0); }

  // Readable text: 42, -1.5, 'abc' (quoted, escaped), x'00ff' (binary), b'101',
  // '2024-01-02 03:04:05.000006', NULL. For logs and the print sink, not for SQL.
  std::string ToString() const;

  // Exact identity: same kind and the same payload (floats compared bit-for-bit, so
  // NaN == NaN and 0.0 != -0.0). Collations are not applied here; see row_key.h.
  friend bool operator==(const Value& a, const Value& b);

 private:
  static constexpr size_t kPayloadSize = 24;
  static constexpr size_t kScalarOffset = 16;  // the scalar is the payload's last 8 bytes

  explicit Value(ValueKind kind, uint16_t aux = 0, uint64_t scalar = 0) : kind_(kind), aux_(aux) {
    std::memcpy(payload_ + kScalarOffset, &scalar, sizeof scalar);
  }

  uint64_t scalar() const {
    uint64_t v;
    std::memcpy(&v, payload_ + kScalarOffset, sizeof v);
    return v;
  }
  const char* heap_data() const {
    const char* p;
    std::memcpy(&p, payload_, sizeof p);
    return p;
  }
  // Copies `bytes` inline when they fit beside the kind's scalar, else to a new heap buffer.
  // Inline: the decoders build a value per column of every row.
  void SetBytes(std::string_view bytes) {
    const bool has_scalar =
        kind_ == ValueKind::kEnum || kind_ == ValueKind::kSet || kind_ == ValueKind::kGeometry;
    if (bytes.size() <= (has_scalar ? kScalarOffset : kPayloadSize)) {
      size_ = static_cast<uint32_t>(bytes.size());
      if (!bytes.empty()) std::memcpy(payload_, bytes.data(), bytes.size());  // data() may be null
      return;
    }
    SetHeapBytes(bytes);
  }
  void SetHeapBytes(std::string_view bytes);  // the case of bytes too long to hold inline
  // Points this value, a fresh copy of `other`, at its own copy of `other`'s heap buffer.
  void CopyHeapFrom(const Value& other);
  void FreeHeap();
  // Takes `other`'s contents, heap buffer included, and leaves `other` NULL. `*this` must own
  // no heap buffer.
  void StealFrom(Value& other) noexcept {
    kind_ = other.kind_;
    heap_ = other.heap_;
    aux_ = other.aux_;
    size_ = other.size_;
    std::memcpy(payload_, other.payload_, kPayloadSize);
    other.kind_ = ValueKind::kNull;
    other.heap_ = false;
    other.aux_ = 0;
    other.size_ = 0;
    std::memset(other.payload_, 0, kPayloadSize);
  }

  ValueKind kind_ = ValueKind::kNull;
  bool heap_ = false;  // the bytes are in a heap buffer, owned, whose pointer leads payload_
  uint16_t aux_ = 0;   // bit width, fsp or collation id, by kind
  uint32_t size_ = 0;  // length of bytes()
  alignas(8) char payload_[kPayloadSize] = {};
};

inline Value Value::Int(int64_t v) {
  return Value(ValueKind::kInt, 0, static_cast<uint64_t>(v));
}

inline Value Value::UInt(uint64_t v) {
  return Value(ValueKind::kUInt, 0, v);
}

inline Value Value::String(std::string_view bytes, uint16_t collation_id) {
  Value value(ValueKind::kString, collation_id);
  value.SetBytes(bytes);
  return value;
}

inline Value Value::Bytes(std::string_view bytes) {
  Value value(ValueKind::kBytes);
  value.SetBytes(bytes);
  return value;
}

static_assert(sizeof(Value) == 32);
// std::vector<Value> moves its elements when it grows only if moving cannot throw.
static_assert(std::is_nothrow_move_constructible_v<Value>);
static_assert(std::is_nothrow_move_assignable_v<Value>);

// True when `text` is canonical decimal text: [-]digits[.digits], no leading zeros except a
// single "0" before the point, at most 65 digits in all and at most 30 after the point.
bool IsDecimalText(std::string_view text);

}  // namespace cdc
