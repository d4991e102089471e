#include "connectors/format/line_value.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <system_error>

#include <fmt/format.h>

#include "schema/civil_date.h"
#include "schema/collation.h"

namespace cdc {
namespace {

constexpr int64_t kSecondsPerDay = 86400;
// Value::Timestamp holds seconds in a signed 44-bit field.
constexpr int64_t kTimestampSecondsLimit = int64_t{1} << 43;

// The whole of `text` as a number of type T, if it is one (from_chars: no locale, no throw).
template <typename T>
std::optional<T> WholeNumber(std::string_view text) {
  T number{};
  const char* end = text.data() + text.size();
  auto [at, error] = std::from_chars(text.data(), end, number);
  if (error != std::errc() || at != end || text.empty()) return std::nullopt;
  return number;
}

// Where a bare value (a number, NULL, a decimal) ends: at ' ', at "->" or at the end. A '-'
// that does not start "->" (a sign, an exponent's sign) belongs to the value.
size_t BareEnd(std::string_view text) {
  size_t end = 0;
  while (end < text.size() && text[end] != ' ' &&
         !(text[end] == '-' && end + 1 < text.size() && text[end + 1] == '>')) {
    ++end;
  }
  return end;
}

std::string_view TakeBare(std::string_view& text) {
  const std::string_view bare = text.substr(0, BareEnd(text));
  text.remove_prefix(bare.size());
  return bare;
}

// The text of a quoted value ('...', escapes as Value::ToString writes them: \\ \' \n \r \t
// \0), with `text` advanced past the closing quote.
std::optional<std::string> TakeQuoted(std::string_view& text) {
  if (text.empty() || text[0] != '\'') return std::nullopt;
  std::string out;
  for (size_t i = 1; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\'') {
      text.remove_prefix(i + 1);
      return out;
    }
    if (c != '\\') {
      out.push_back(c);
      continue;
    }
    if (++i == text.size()) return std::nullopt;
    switch (text[i]) {
      case '\\': out.push_back('\\'); break;
      case '\'': out.push_back('\''); break;
      case 'n': out.push_back('\n'); break;
      case 'r': out.push_back('\r'); break;
      case 't': out.push_back('\t'); break;
      case '0': out.push_back('\0'); break;
      default: return std::nullopt;
    }
  }
  return std::nullopt;  // no closing quote
}

// The digits between `prefix` (b or x) and the closing quote: b'0101', x'00ff'.
std::optional<std::string_view> TakePrefixed(std::string_view& text, char prefix) {
  if (text.size() < 3 || text[0] != prefix || text[1] != '\'') return std::nullopt;
  const size_t close = text.find('\'', 2);
  if (close == std::string_view::npos) return std::nullopt;
  const std::string_view digits = text.substr(2, close - 2);
  text.remove_prefix(close + 1);
  return digits;
}

// ".ffffff" (one to six digits) as microseconds; "" is 0.
std::optional<uint32_t> Micros(std::string_view fraction) {
  if (fraction.empty()) return 0u;
  if (fraction[0] != '.' || fraction.size() < 2 || fraction.size() > 7) return std::nullopt;
  auto digits = WholeNumber<uint32_t>(fraction.substr(1));
  if (!digits) return std::nullopt;
  uint32_t micros = *digits;
  for (size_t i = fraction.size() - 1; i < 6; ++i) micros *= 10;
  return micros;
}

// Two digits, as the printer pads minutes, seconds, months and days.
std::optional<uint8_t> TwoDigits(std::string_view text) {
  if (text.size() != 2 || text[0] < '0' || text[0] > '9' || text[1] < '0' || text[1] > '9') {
    return std::nullopt;
  }
  return static_cast<uint8_t>((text[0] - '0') * 10 + (text[1] - '0'));
}

struct CivilDateTime {
  int64_t year = 0;  // a TIMESTAMP far from the epoch may print a year outside 0..9999
  uint8_t month = 0, day = 0, hour = 0, minute = 0, second = 0;
  uint32_t micros = 0;
};

// "YYYY-MM-DD" (the year possibly longer or negative) and, with `with_time`,
// " HH:MM:SS[.ffffff]". Field ranges are checked: a DATE may hold zero parts, nothing may
// exceed what MySQL writes (month 12, day 31, hour 23, minute and second 59).
std::optional<CivilDateTime> ParseCivil(std::string_view text, bool with_time) {
  const size_t date_end = with_time ? text.find(' ') : text.size();
  if (date_end == std::string_view::npos || date_end < 7) return std::nullopt;
  const std::string_view date = text.substr(0, date_end);
  const size_t month_at = date.size() - 6;  // "-MM-DD"
  if (date[month_at] != '-' || date[month_at + 3] != '-') return std::nullopt;
  CivilDateTime out;
  auto year = WholeNumber<int64_t>(date.substr(0, month_at));
  auto month = TwoDigits(date.substr(month_at + 1, 2));
  auto day = TwoDigits(date.substr(month_at + 4, 2));
  if (!year || !month || !day || *month > 12 || *day > 31) return std::nullopt;
  out.year = *year;
  out.month = *month;
  out.day = *day;
  if (!with_time) return out;
  const std::string_view time = text.substr(date_end + 1);
  if (time.size() < 8 || time[2] != ':' || time[5] != ':') return std::nullopt;
  auto hour = TwoDigits(time.substr(0, 2));
  auto minute = TwoDigits(time.substr(3, 2));
  auto second = TwoDigits(time.substr(6, 2));
  auto micros = Micros(time.substr(8));
  if (!hour || !minute || !second || !micros || *hour > 23 || *minute > 59 || *second > 59) {
    return std::nullopt;
  }
  out.hour = *hour;
  out.minute = *minute;
  out.second = *second;
  out.micros = *micros;
  return out;
}

std::optional<Value> ReadTime(std::string_view body, uint8_t fsp) {
  TimeValue time;
  if (!body.empty() && body[0] == '-') {
    time.negative = true;
    body.remove_prefix(1);
  }
  const size_t colon = body.find(':');
  if (colon == std::string_view::npos || body.size() < colon + 6 || body[colon + 3] != ':') {
    return std::nullopt;
  }
  auto hours = WholeNumber<uint16_t>(body.substr(0, colon));
  auto minutes = TwoDigits(body.substr(colon + 1, 2));
  auto seconds = TwoDigits(body.substr(colon + 4, 2));
  auto micros = Micros(body.substr(colon + 6));
  if (!hours || !minutes || !seconds || !micros || *minutes > 59 || *seconds > 59) {
    return std::nullopt;
  }
  time.hours = *hours;
  time.minutes = *minutes;
  time.seconds = *seconds;
  time.micros = *micros;
  return Value::Time(time, fsp);
}

std::optional<Value> ReadDateTime(std::string_view body, uint8_t fsp) {
  auto civil = ParseCivil(body, true);
  if (!civil || civil->year < 0 || civil->year > 9999) return std::nullopt;
  return Value::DateTime({{static_cast<uint16_t>(civil->year), civil->month, civil->day},
                          civil->hour,
                          civil->minute,
                          civil->second,
                          civil->micros},
                         fsp);
}

std::optional<Value> ReadTimestamp(std::string_view body, uint8_t fsp) {
  auto civil = ParseCivil(body, true);
  if (!civil) return std::nullopt;
  if (civil->month == 0 || civil->day == 0) {
    // Only the zero timestamp has zero parts ('0000-00-00 00:00:00[.000]').
    const bool zero = civil->year == 0 && civil->month == 0 && civil->day == 0 &&
                      civil->hour == 0 && civil->minute == 0 && civil->second == 0 &&
                      civil->micros == 0;
    if (!zero) return std::nullopt;
    return Value::Timestamp({0, 0}, fsp);
  }
  // Beyond about +-2.8e8 years the seconds would overflow; such a year is no timestamp.
  if (civil->year < -300'000'000 || civil->year > 300'000'000) return std::nullopt;
  const int64_t seconds = DaysFromCivil(civil->year, civil->month, civil->day) * kSecondsPerDay +
                          int64_t{civil->hour} * 3600 + int64_t{civil->minute} * 60 + civil->second;
  if (seconds < -kTimestampSecondsLimit || seconds >= kTimestampSecondsLimit) return std::nullopt;
  return Value::Timestamp({seconds, civil->micros}, fsp);
}

std::optional<Value> ReadBit(std::string_view digits) {
  if (digits.empty() || digits.size() > 64) return std::nullopt;
  uint64_t bits = 0;
  for (char c : digits) {
    if (c != '0' && c != '1') return std::nullopt;
    bits = bits << 1 | static_cast<uint64_t>(c - '0');
  }
  return Value::Bit(bits, static_cast<uint8_t>(digits.size()));
}

std::optional<Value> ReadBytes(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  std::string bytes;
  bytes.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    const int high = nibble(hex[i]);
    const int low = nibble(hex[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    bytes.push_back(static_cast<char>(high << 4 | low));
  }
  return Value::Bytes(bytes);
}

// The 1-based index of `label` among the column's labels; 0 for '' when no label is '' (the
// value MySQL stores for an invalid ENUM value).
std::optional<Value> ReadEnum(const std::string& label, const ColumnSchema& column) {
  for (size_t i = 0; i < column.labels.size(); ++i) {
    if (column.labels[i] == label) return Value::Enum(static_cast<uint16_t>(i + 1), label);
  }
  if (label.empty()) return Value::Enum(0, label);
  return std::nullopt;
}

// Member bits from comma-joined labels (SET labels cannot hold commas).
std::optional<Value> ReadSet(const std::string& labels, const ColumnSchema& column) {
  uint64_t members = 0;
  std::string_view rest = labels;
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    const std::string_view label = rest.substr(0, comma);
    size_t i = 0;
    while (i < column.labels.size() && i < 64 && column.labels[i] != label) ++i;
    if (i == column.labels.size() || i == 64) return std::nullopt;
    members |= uint64_t{1} << i;
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    if (comma != std::string_view::npos && rest.empty()) return std::nullopt;  // "a,"
  }
  return Value::Set(members, labels);
}

// The value of `column`'s kind at the front of `text`, or nullopt when the text is not one.
std::optional<Value> ReadTyped(std::string_view& text, const ColumnSchema& column) {
  switch (column.value_kind()) {
    case ValueKind::kInt: {
      auto v = WholeNumber<int64_t>(TakeBare(text));
      return v ? std::optional(Value::Int(*v)) : std::nullopt;
    }
    case ValueKind::kUInt: {
      auto v = WholeNumber<uint64_t>(TakeBare(text));
      return v ? std::optional(Value::UInt(*v)) : std::nullopt;
    }
    case ValueKind::kFloat: {
      auto v = WholeNumber<float>(TakeBare(text));
      return v ? std::optional(Value::Float(*v)) : std::nullopt;
    }
    case ValueKind::kDouble: {
      auto v = WholeNumber<double>(TakeBare(text));
      return v ? std::optional(Value::Double(*v)) : std::nullopt;
    }
    case ValueKind::kDecimal: {
      const std::string_view bare = TakeBare(text);
      return IsDecimalText(bare) ? std::optional(Value::Decimal(bare)) : std::nullopt;
    }
    case ValueKind::kYear: {
      auto v = WholeNumber<uint16_t>(TakeBare(text));
      return v ? std::optional(Value::Year(*v)) : std::nullopt;
    }
    case ValueKind::kBit: {
      auto digits = TakePrefixed(text, 'b');
      return digits ? ReadBit(*digits) : std::nullopt;
    }
    case ValueKind::kBytes: {
      auto hex = TakePrefixed(text, 'x');
      return hex ? ReadBytes(*hex) : std::nullopt;
    }
    default: break;
  }
  auto body = TakeQuoted(text);
  if (!body) return std::nullopt;
  switch (column.value_kind()) {
    case ValueKind::kDate: {
      auto civil = ParseCivil(*body, false);
      if (!civil || civil->year < 0 || civil->year > 9999) return std::nullopt;
      return Value::Date({static_cast<uint16_t>(civil->year), civil->month, civil->day});
    }
    case ValueKind::kTime: return ReadTime(*body, column.fsp);
    case ValueKind::kDateTime: return ReadDateTime(*body, column.fsp);
    case ValueKind::kTimestamp: return ReadTimestamp(*body, column.fsp);
    case ValueKind::kString: return Value::String(*body, CollationIdByName(column.collation));
    case ValueKind::kEnum: return ReadEnum(*body, column);
    case ValueKind::kSet: return ReadSet(*body, column);
    case ValueKind::kJson: return Value::Json(*body);
    default: return std::nullopt;
  }
}

}  // namespace

Result<Value> ReadLineValue(std::string_view& text, const ColumnSchema& column) {
  if (text.substr(0, BareEnd(text)) == "NULL") {
    text.remove_prefix(4);
    return Value::Null();
  }
  if (column.value_kind() == ValueKind::kGeometry) {
    return Status::InvalidArgument(fmt::format(
        "column {} ({}): the line format writes a GEOMETRY as its SRID and size only, not its "
        "WKB, so it cannot be read back; read such tables from a format that carries the bytes",
        column.name, column.SqlType()));
  }
  const std::string_view start = text;
  std::optional<Value> value = ReadTyped(text, column);
  if (!value || (!text.empty() && text[0] != ' ' && !text.starts_with("->"))) {
    return Status::InvalidArgument(
        fmt::format("column {} ({}): \"{}\" is not a value of its type", column.name,
                    column.SqlType(), start.substr(0, std::min<size_t>(start.size(), 80))));
  }
  return std::move(*value);
}

}  // namespace cdc
