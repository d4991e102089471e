#include "schema/value.h"

#include <bit>
#include <cstring>

#include <fmt/format.h>

#include "runtime/assertions.h"
#include "schema/civil_date.h"

namespace cdc {

namespace {

constexpr int64_t kSecondsPerDay = 86400;

// ".ffffff" cut to the column's fsp digits. When the cut would hide non-zero digits (a value
// finer than its column claims), all six are shown: a log line must not lose data.
std::string Fraction(uint32_t micros, uint8_t fsp) {
  unsigned digits = fsp > 6 ? 6 : fsp;
  uint32_t divisor = 1;
  for (unsigned i = digits; i < 6; ++i) divisor *= 10;
  if (micros % divisor != 0) digits = 6;
  if (digits == 0) return {};
  return fmt::format(".{:06}", micros).substr(0, digits + 1);
}

std::string QuotedText(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out.push_back('\'');
  for (char c : text) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\'': out += "\\'"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\0': out += "\\0"; break;
      default: out.push_back(c);
    }
  }
  out.push_back('\'');
  return out;
}

std::string HexBytes(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "x'";
  out.reserve(bytes.size() * 2 + 3);
  for (char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    out.push_back(kHex[byte >> 4]);
    out.push_back(kHex[byte & 0xF]);
  }
  out.push_back('\'');
  return out;
}

std::string BitText(uint64_t bits, uint8_t width) {
  unsigned digits = width;
  if (digits == 0) digits = bits == 0 ? 1 : 64 - static_cast<unsigned>(std::countl_zero(bits));
  std::string out = "b'";
  for (unsigned i = digits; i-- > 0;) out.push_back(i < 64 && ((bits >> i) & 1) ? '1' : '0');
  out.push_back('\'');
  return out;
}

std::string DateText(const DateValue& d) {
  return fmt::format("{:04}-{:02}-{:02}", d.year, d.month, d.day);
}

// Bit layouts of the packed temporal scalars, low bit first. Each field is at least as wide as
// MySQL's binlog encoding of it (micros, at most 999,999, need 20 bits), so every value a
// binlog can hold fits. Packing is one-to-one, so equal packed bits mean equal values.
constexpr unsigned kMicrosBits = 20;  // micros, the low bits of TIME, DATETIME and TIMESTAMP
constexpr uint64_t kMicrosLimit = uint64_t{1} << kMicrosBits;
// TIME: micros, seconds (8 bits), minutes (8), hours (16), negative (1).
constexpr unsigned kTimeSecondsShift = 20, kTimeMinutesShift = 28, kTimeHoursShift = 36;
constexpr unsigned kTimeNegativeShift = 52;
// DATETIME: micros, second (6 bits), minute (6), hour (5), day (5), month (4), year (16).
constexpr unsigned kSecondShift = 20, kMinuteShift = 26, kHourShift = 32, kDayShift = 37;
constexpr unsigned kMonthShift = 42, kYearShift = 46;
// TIMESTAMP: micros, then seconds as a signed 44-bit field.
constexpr int64_t kTimestampSecondsLimit = int64_t{1} << 43;

uint64_t Field(uint64_t packed, unsigned shift, unsigned width) {
  return (packed >> shift) & ((uint64_t{1} << width) - 1);
}

// DATE: day (8 bits), month (8), year (16); every DateValue fits.
uint64_t PackDate(const DateValue& d) {
  return uint64_t{d.year} << 16 | uint64_t{d.month} << 8 | d.day;
}

DateValue UnpackDate(uint64_t packed) {
  return {static_cast<uint16_t>(Field(packed, 16, 16)), static_cast<uint8_t>(Field(packed, 8, 8)),
          static_cast<uint8_t>(Field(packed, 0, 8))};
}

}  // namespace

const char* ValueKindName(ValueKind kind) {
  switch (kind) {
    case ValueKind::kNull: return "null";
    case ValueKind::kInt: return "int";
    case ValueKind::kUInt: return "uint";
    case ValueKind::kFloat: return "float";
    case ValueKind::kDouble: return "double";
    case ValueKind::kDecimal: return "decimal";
    case ValueKind::kBit: return "bit";
    case ValueKind::kYear: return "year";
    case ValueKind::kDate: return "date";
    case ValueKind::kTime: return "time";
    case ValueKind::kDateTime: return "datetime";
    case ValueKind::kTimestamp: return "timestamp";
    case ValueKind::kString: return "string";
    case ValueKind::kBytes: return "bytes";
    case ValueKind::kEnum: return "enum";
    case ValueKind::kSet: return "set";
    case ValueKind::kJson: return "json";
    case ValueKind::kGeometry: return "geometry";
  }
  return "unknown";
}

void Value::SetHeapBytes(std::string_view bytes) {
  CDC_ASSERT(bytes.size() <= UINT32_MAX);
  size_ = static_cast<uint32_t>(bytes.size());
  char* buffer = new char[bytes.size()];
  std::memcpy(buffer, bytes.data(), bytes.size());
  std::memcpy(payload_, &buffer, sizeof buffer);
  heap_ = true;
}

void Value::CopyHeapFrom(const Value& other) {
  char* buffer = new char[size_];
  std::memcpy(buffer, other.heap_data(), size_);
  std::memcpy(payload_, &buffer, sizeof buffer);
}

void Value::FreeHeap() {
  delete[] heap_data();
}

// Bit patterns are stored as they are, so NaN payloads and the sign of zero survive.
Value Value::Float(float v) {
  return Value(ValueKind::kFloat, 0, std::bit_cast<uint32_t>(v));
}

Value Value::Double(double v) {
  return Value(ValueKind::kDouble, 0, std::bit_cast<uint64_t>(v));
}

Value Value::Decimal(std::string_view text) {
  CDC_ASSERT(IsDecimalText(text));
  Value value(ValueKind::kDecimal);
  value.SetBytes(text);
  return value;
}

Value Value::Bit(uint64_t bits, uint8_t width) {
  CDC_ASSERT(width >= 1 && width <= 64);
  CDC_ASSERT(width == 64 || (bits >> width) == 0);
  return Value(ValueKind::kBit, width, bits);
}

Value Value::Year(uint16_t year) {
  return Value(ValueKind::kYear, 0, year);
}

Value Value::Date(DateValue v) {
  return Value(ValueKind::kDate, 0, PackDate(v));
}

Value Value::Time(TimeValue v, uint8_t fsp) {
  CDC_ASSERT(v.micros < kMicrosLimit);
  return Value(ValueKind::kTime, fsp,
               uint64_t{v.negative} << kTimeNegativeShift | uint64_t{v.hours} << kTimeHoursShift |
                   uint64_t{v.minutes} << kTimeMinutesShift |
                   uint64_t{v.seconds} << kTimeSecondsShift | v.micros);
}

Value Value::DateTime(DateTimeValue v, uint8_t fsp) {
  CDC_ASSERT(v.date.month < 16 && v.date.day < 32 && v.hour < 32 && v.minute < 64 &&
             v.second < 64 && v.micros < kMicrosLimit);
  return Value(ValueKind::kDateTime, fsp,
               uint64_t{v.date.year} << kYearShift | uint64_t{v.date.month} << kMonthShift |
                   uint64_t{v.date.day} << kDayShift | uint64_t{v.hour} << kHourShift |
                   uint64_t{v.minute} << kMinuteShift | uint64_t{v.second} << kSecondShift |
                   v.micros);
}

Value Value::Timestamp(TimestampValue v, uint8_t fsp) {
  CDC_ASSERT(v.seconds >= -kTimestampSecondsLimit && v.seconds < kTimestampSecondsLimit);
  CDC_ASSERT(v.micros < kMicrosLimit);
  return Value(ValueKind::kTimestamp, fsp,
               static_cast<uint64_t>(v.seconds) << kMicrosBits | v.micros);
}

DateValue Value::date() const {
  return UnpackDate(scalar());
}

TimeValue Value::time() const {
  const uint64_t packed = scalar();
  return {Field(packed, kTimeNegativeShift, 1) != 0,
          static_cast<uint16_t>(Field(packed, kTimeHoursShift, 16)),
          static_cast<uint8_t>(Field(packed, kTimeMinutesShift, 8)),
          static_cast<uint8_t>(Field(packed, kTimeSecondsShift, 8)),
          static_cast<uint32_t>(Field(packed, 0, kMicrosBits))};
}

DateTimeValue Value::datetime() const {
  const uint64_t packed = scalar();
  return {{static_cast<uint16_t>(Field(packed, kYearShift, 16)),
           static_cast<uint8_t>(Field(packed, kMonthShift, 4)),
           static_cast<uint8_t>(Field(packed, kDayShift, 5))},
          static_cast<uint8_t>(Field(packed, kHourShift, 5)),
          static_cast<uint8_t>(Field(packed, kMinuteShift, 6)),
          static_cast<uint8_t>(Field(packed, kSecondShift, 6)),
          static_cast<uint32_t>(Field(packed, 0, kMicrosBits))};
}

TimestampValue Value::timestamp() const {
  const uint64_t packed = scalar();
  // An arithmetic right shift restores the sign of the 44-bit seconds field.
  return {static_cast<int64_t>(packed) >> kMicrosBits,
          static_cast<uint32_t>(Field(packed, 0, kMicrosBits))};
}

Value Value::Enum(uint16_t index, std::string_view label) {
  Value value(ValueKind::kEnum, 0, index);
  value.SetBytes(label);
  return value;
}

Value Value::Set(uint64_t members, std::string_view labels) {
  Value value(ValueKind::kSet, 0, members);
  value.SetBytes(labels);
  return value;
}

Value Value::Json(std::string_view text) {
  Value value(ValueKind::kJson);
  value.SetBytes(text);
  return value;
}

Value Value::Geometry(uint32_t srid, std::string_view wkb) {
  Value value(ValueKind::kGeometry, 0, srid);
  value.SetBytes(wkb);
  return value;
}

std::string Value::ToString() const {
  switch (kind_) {
    case ValueKind::kNull: return "NULL";
    case ValueKind::kInt: return fmt::format("{}", int_value());
    case ValueKind::kUInt: return fmt::format("{}", uint_value());
    case ValueKind::kFloat: return fmt::format("{}", float_value());
    case ValueKind::kDouble: return fmt::format("{}", double_value());
    case ValueKind::kDecimal: return std::string(bytes());
    case ValueKind::kBit: return BitText(bits(), bit_width());
    case ValueKind::kYear: return fmt::format("{:04}", year());
    case ValueKind::kDate: return "'" + DateText(date()) + "'";
    case ValueKind::kTime: {
      const TimeValue t = time();
      return fmt::format("'{}{:02}:{:02}:{:02}{}'", t.negative ? "-" : "", t.hours, t.minutes,
                         t.seconds, Fraction(t.micros, fsp()));
    }
    case ValueKind::kDateTime: {
      const DateTimeValue dt = datetime();
      return fmt::format("'{} {:02}:{:02}:{:02}{}'", DateText(dt.date), dt.hour, dt.minute,
                         dt.second, Fraction(dt.micros, fsp()));
    }
    case ValueKind::kTimestamp: {
      const TimestampValue ts = timestamp();
      if (ts.seconds == 0 && ts.micros == 0) {
        return fmt::format("'0000-00-00 00:00:00{}'", Fraction(0, fsp()));
      }
      // Floor division: an instant before the epoch lies in the previous day.
      int64_t days = ts.seconds / kSecondsPerDay;
      int64_t second_of_day = ts.seconds % kSecondsPerDay;
      if (second_of_day < 0) {
        second_of_day += kSecondsPerDay;
        --days;
      }
      const CivilDate date = CivilFromDays(days);
      return fmt::format("'{:04}-{:02}-{:02} {:02}:{:02}:{:02}{}'", date.year, date.month, date.day,
                         second_of_day / 3600, second_of_day / 60 % 60, second_of_day % 60,
                         Fraction(ts.micros, fsp()));
    }
    case ValueKind::kString:
    case ValueKind::kEnum:
    case ValueKind::kSet:
    case ValueKind::kJson: return QuotedText(bytes());
    case ValueKind::kBytes: return HexBytes(bytes());
    case ValueKind::kGeometry: return fmt::format("GEOMETRY(srid={}, {} bytes)", srid(), size_);
  }
  return "?";
}

// Payload bytes that hold nothing are zero and scalars are stored as their exact bits (floats
// included), so without heap buffers the payloads compare as bytes. Equal kinds and sizes
// imply the same choice of inline or heap bytes.
bool operator==(const Value& a, const Value& b) {
  if (a.kind_ != b.kind_ || a.aux_ != b.aux_ || a.size_ != b.size_) return false;
  if (!a.heap_) return std::memcmp(a.payload_, b.payload_, Value::kPayloadSize) == 0;
  return a.scalar() == b.scalar() && std::memcmp(a.heap_data(), b.heap_data(), a.size_) == 0;
}

bool IsDecimalText(std::string_view text) {
  size_t pos = 0;
  if (pos < text.size() && text[pos] == '-') ++pos;
  const size_t int_start = pos;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
  const size_t int_digits = pos - int_start;
  if (int_digits == 0) return false;
  if (int_digits > 1 && text[int_start] == '0') return false;
  size_t scale = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    const size_t frac_start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    scale = pos - frac_start;
    if (scale == 0) return false;
  }
  return pos == text.size() && scale <= 30 && int_digits + scale <= 65;
}

}  // namespace cdc
