#include "schema/value.h"

#include <bit>
#include <memory>
#include <utility>

#include <fmt/format.h>

#include "runtime/assertions.h"

namespace cdc {

namespace {

constexpr int64_t kSecondsPerDay = 86400;

// A proleptic Gregorian date far outside MySQL's range is still rendered correctly, so the
// year is 64-bit here even though DateValue's is 16-bit.
struct CivilDate {
  int64_t year;
  unsigned month;
  unsigned day;
};

// Days since 1970-01-01 to a civil date. The calendar repeats every 400 years (146097 days),
// so the day is split into an era and a day-of-era; years are counted from March 1 so the
// leap day falls at the end of the counted year and month lengths follow a 153-day pattern.
CivilDate CivilFromDays(int64_t days) {
  const int64_t shifted = days + 719468;  // days from 0000-03-01 to 1970-01-01
  const int64_t era = (shifted >= 0 ? shifted : shifted - 146096) / 146097;
  const uint64_t day_of_era = static_cast<uint64_t>(shifted - era * 146097);  // [0, 146096]
  const uint64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const uint64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);  // [0, 365]
  const uint64_t month_from_march = (5 * day_of_year + 2) / 153;               // [0, 11]
  const unsigned day = static_cast<unsigned>(day_of_year - (153 * month_from_march + 2) / 5 + 1);
  const unsigned month =
      static_cast<unsigned>(month_from_march < 10 ? month_from_march + 3 : month_from_march - 9);
  const int64_t year = static_cast<int64_t>(year_of_era) + era * 400 + (month <= 2 ? 1 : 0);
  return {year, month, day};
}

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

std::string QuotedText(const std::string& text) {
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

std::string HexBytes(const std::string& bytes) {
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

Value Value::Int(int64_t v) {
  Value value;
  value.kind_ = ValueKind::kInt;
  value.scalar_.i = v;
  return value;
}

Value Value::UInt(uint64_t v) {
  Value value;
  value.kind_ = ValueKind::kUInt;
  value.scalar_.u = v;
  return value;
}

Value Value::Float(float v) {
  Value value;
  value.kind_ = ValueKind::kFloat;
  value.scalar_.f = v;
  return value;
}

Value Value::Double(double v) {
  Value value;
  value.kind_ = ValueKind::kDouble;
  value.scalar_.d = v;
  return value;
}

Value Value::Decimal(std::string text) {
  CDC_ASSERT(IsDecimalText(text));
  Value value;
  value.kind_ = ValueKind::kDecimal;
  value.bytes_ = std::move(text);
  return value;
}

Value Value::Bit(uint64_t bits, uint8_t width) {
  CDC_ASSERT(width >= 1 && width <= 64);
  CDC_ASSERT(width == 64 || (bits >> width) == 0);
  Value value;
  value.kind_ = ValueKind::kBit;
  value.aux_ = width;
  value.scalar_.u = bits;
  return value;
}

Value Value::Year(uint16_t year) {
  Value value;
  value.kind_ = ValueKind::kYear;
  value.scalar_.u = year;
  return value;
}

// The struct members of Scalar have default member initializers, so they are begun with
// construct_at rather than assigned while another member is active.
Value Value::Date(DateValue v) {
  Value value;
  value.kind_ = ValueKind::kDate;
  std::construct_at(&value.scalar_.date, v);
  return value;
}

Value Value::Time(TimeValue v, uint8_t fsp) {
  Value value;
  value.kind_ = ValueKind::kTime;
  value.aux_ = fsp;
  std::construct_at(&value.scalar_.time, v);
  return value;
}

Value Value::DateTime(DateTimeValue v, uint8_t fsp) {
  Value value;
  value.kind_ = ValueKind::kDateTime;
  value.aux_ = fsp;
  std::construct_at(&value.scalar_.datetime, v);
  return value;
}

Value Value::Timestamp(TimestampValue v, uint8_t fsp) {
  Value value;
  value.kind_ = ValueKind::kTimestamp;
  value.aux_ = fsp;
  std::construct_at(&value.scalar_.timestamp, v);
  return value;
}

Value Value::String(std::string bytes, uint16_t collation_id) {
  Value value;
  value.kind_ = ValueKind::kString;
  value.aux_ = collation_id;
  value.bytes_ = std::move(bytes);
  return value;
}

Value Value::Bytes(std::string bytes) {
  Value value;
  value.kind_ = ValueKind::kBytes;
  value.bytes_ = std::move(bytes);
  return value;
}

Value Value::Enum(uint16_t index, std::string label) {
  Value value;
  value.kind_ = ValueKind::kEnum;
  value.scalar_.u = index;
  value.bytes_ = std::move(label);
  return value;
}

Value Value::Set(uint64_t members, std::string labels) {
  Value value;
  value.kind_ = ValueKind::kSet;
  value.scalar_.u = members;
  value.bytes_ = std::move(labels);
  return value;
}

Value Value::Json(std::string text) {
  Value value;
  value.kind_ = ValueKind::kJson;
  value.bytes_ = std::move(text);
  return value;
}

Value Value::Geometry(uint32_t srid, std::string wkb) {
  Value value;
  value.kind_ = ValueKind::kGeometry;
  value.scalar_.u = srid;
  value.bytes_ = std::move(wkb);
  return value;
}

std::string Value::ToString() const {
  switch (kind_) {
    case ValueKind::kNull: return "NULL";
    case ValueKind::kInt: return fmt::format("{}", scalar_.i);
    case ValueKind::kUInt: return fmt::format("{}", scalar_.u);
    case ValueKind::kFloat: return fmt::format("{}", scalar_.f);
    case ValueKind::kDouble: return fmt::format("{}", scalar_.d);
    case ValueKind::kDecimal: return bytes_;
    case ValueKind::kBit: return BitText(scalar_.u, bit_width());
    case ValueKind::kYear: return fmt::format("{:04}", year());
    case ValueKind::kDate: return "'" + DateText(scalar_.date) + "'";
    case ValueKind::kTime: {
      const TimeValue& t = scalar_.time;
      return fmt::format("'{}{:02}:{:02}:{:02}{}'", t.negative ? "-" : "", t.hours, t.minutes,
                         t.seconds, Fraction(t.micros, fsp()));
    }
    case ValueKind::kDateTime: {
      const DateTimeValue& dt = scalar_.datetime;
      return fmt::format("'{} {:02}:{:02}:{:02}{}'", DateText(dt.date), dt.hour, dt.minute,
                         dt.second, Fraction(dt.micros, fsp()));
    }
    case ValueKind::kTimestamp: {
      const TimestampValue& ts = scalar_.timestamp;
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
      return fmt::format("'{:04}-{:02}-{:02} {:02}:{:02}:{:02}{}'", date.year, date.month,
                         date.day, second_of_day / 3600, second_of_day / 60 % 60,
                         second_of_day % 60, Fraction(ts.micros, fsp()));
    }
    case ValueKind::kString:
    case ValueKind::kEnum:
    case ValueKind::kSet:
    case ValueKind::kJson:
      return QuotedText(bytes_);
    case ValueKind::kBytes: return HexBytes(bytes_);
    case ValueKind::kGeometry:
      return fmt::format("GEOMETRY(srid={}, {} bytes)", srid(), bytes_.size());
  }
  return "?";
}

bool operator==(const Value& a, const Value& b) {
  if (a.kind_ != b.kind_ || a.aux_ != b.aux_) return false;
  bool same_scalar = true;
  switch (a.kind_) {
    case ValueKind::kNull:
      break;
    case ValueKind::kInt:
      same_scalar = a.scalar_.i == b.scalar_.i;
      break;
    case ValueKind::kFloat:
      same_scalar = std::bit_cast<uint32_t>(a.scalar_.f) == std::bit_cast<uint32_t>(b.scalar_.f);
      break;
    case ValueKind::kDouble:
      same_scalar = std::bit_cast<uint64_t>(a.scalar_.d) == std::bit_cast<uint64_t>(b.scalar_.d);
      break;
    case ValueKind::kDate:
      same_scalar = a.scalar_.date == b.scalar_.date;
      break;
    case ValueKind::kTime:
      same_scalar = a.scalar_.time == b.scalar_.time;
      break;
    case ValueKind::kDateTime:
      same_scalar = a.scalar_.datetime == b.scalar_.datetime;
      break;
    case ValueKind::kTimestamp:
      same_scalar = a.scalar_.timestamp == b.scalar_.timestamp;
      break;
    case ValueKind::kUInt:
    case ValueKind::kBit:
    case ValueKind::kYear:
    case ValueKind::kEnum:
    case ValueKind::kSet:
    case ValueKind::kGeometry:
      same_scalar = a.scalar_.u == b.scalar_.u;
      break;
    case ValueKind::kDecimal:
    case ValueKind::kString:
    case ValueKind::kBytes:
    case ValueKind::kJson:
      break;  // the payload is all in bytes_
  }
  return same_scalar && a.bytes_ == b.bytes_;
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
