#include "connectors/format/json_value_text.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <system_error>

#include "schema/character_set.h"
#include "schema/civil_date.h"

namespace cdc::json_text {
namespace {

constexpr int64_t kSecondsPerDay = 86400;
constexpr int64_t kTimestampSecondsLimit = int64_t{1} << 43;  // Value::Timestamp's field

// `v` as `width` digits, zero-padded (width 0: as many as it takes).
void AppendPadded(uint64_t v, int width, std::string& out) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  for (int pad = width - static_cast<int>(end - buf); pad > 0; --pad) out.push_back('0');
  out.append(buf, end);
}

// ".ffffff" cut to `fsp` digits; all six when the cut would drop non-zero digits (a value finer
// than its column claims is written whole, never rounded).
void AppendFraction(uint32_t micros, uint8_t fsp, std::string& out) {
  unsigned digits = fsp > 6 ? 6 : fsp;
  uint32_t divisor = 1;
  for (unsigned i = digits; i < 6; ++i) divisor *= 10;
  if (micros % divisor != 0) {
    digits = 6;
    divisor = 1;
  }
  if (digits == 0) return;
  out.push_back('.');
  AppendPadded(micros / divisor, static_cast<int>(digits), out);
}

// The shortest digits that read back as `v` (positive, finite, non-zero) and the decimal
// exponent of the first: v = d.ddd x 10^exponent.
template <typename T>
void ShortestDigits(T v, std::string& digits, int& exponent) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  const std::string_view sci(buf, static_cast<size_t>(end - buf));  // "d[.ddd]e[+-]nn"
  const size_t e_at = sci.find('e');
  digits.clear();
  for (char c : sci.substr(0, e_at)) {
    if (c != '.') digits.push_back(c);
  }
  exponent = 0;
  std::from_chars(sci.data() + e_at + (sci[e_at + 1] == '+' ? 2 : 1), sci.data() + sci.size(),
                  exponent);
}

// digits x 10^(exponent - digits + 1) in plain digits; `min_fraction` fraction digits at least.
void AppendPlainDigits(const std::string& digits, int exponent, size_t min_fraction,
                       std::string& out) {
  if (exponent >= 0) {
    const size_t int_digits = static_cast<size_t>(exponent) + 1;
    if (digits.size() <= int_digits) {
      out += digits;
      out.append(int_digits - digits.size(), '0');
      if (min_fraction > 0) {
        out.push_back('.');
        out.append(min_fraction, '0');
      }
    } else {
      out.append(digits, 0, int_digits);
      out.push_back('.');
      out.append(digits, int_digits);
    }
    return;
  }
  out += "0.";
  out.append(static_cast<size_t>(-exponent - 1), '0');
  out += digits;
}

// Go's strconv.FormatFloat(v, 'f', -1, bits): the shortest digits, zero-padded, no exponent.
template <typename T>
void AppendPlain(T v, std::string& out) {
  if (std::isnan(v)) {
    out += "NaN";
    return;
  }
  if (std::signbit(v)) out.push_back('-');
  v = std::fabs(v);
  if (std::isinf(v)) {
    out += "+Inf";
    return;
  }
  if (v == 0) {
    out.push_back('0');
    return;
  }
  std::string digits;
  int exponent = 0;
  ShortestDigits(v, digits, exponent);
  AppendPlainDigits(digits, exponent, 0, out);
}

// Java's Float/Double.toString from the shortest digits.
template <typename T>
void AppendJava(T v, std::string& out) {
  if (std::isnan(v)) {
    out += "NaN";
    return;
  }
  if (std::signbit(v)) out.push_back('-');
  v = std::fabs(v);
  if (std::isinf(v)) {
    out += "Infinity";
    return;
  }
  if (v == 0) {
    out += "0.0";
    return;
  }
  std::string digits;
  int exponent = 0;
  ShortestDigits(v, digits, exponent);
  if (digits.size() == 1) {
    // Java picks among the decimals of one or two digits the one closest to v (JDK 19
    // Double.toString): Float.MIN_VALUE is "1.4E-45", not "1.0E-45".
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific, 1);
    if (buf[2] != '0') {
      digits = {buf[0], buf[2]};
      std::from_chars(buf + 4 + (buf[4] == '+' ? 1 : 0), end, exponent);
    }
  }
  if (v >= T(1e-3) && v < T(1e7)) {
    AppendPlainDigits(digits, exponent, 1, out);
    return;
  }
  out.push_back(digits[0]);
  out.push_back('.');
  if (digits.size() == 1) {
    out.push_back('0');
  } else {
    out.append(digits, 1);
  }
  out.push_back('E');
  AppendInt(exponent, out);
}

std::optional<unsigned> Digits(std::string_view text) {
  if (text.empty() || text.size() > 9) return std::nullopt;
  unsigned v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  return v;
}

// "[.f]" with one to six digits as microseconds.
std::optional<uint32_t> Micros(std::string_view fraction) {
  if (fraction.empty()) return 0u;
  if (fraction[0] != '.' || fraction.size() < 2 || fraction.size() > 7) return std::nullopt;
  auto digits = Digits(fraction.substr(1));
  if (!digits) return std::nullopt;
  uint32_t micros = *digits;
  for (size_t i = fraction.size() - 1; i < 6; ++i) micros *= 10;
  return micros;
}

// "HH:MM:SS[.f]" of a DATETIME or TIMESTAMP.
bool ReadClock(std::string_view text, DateTimeValue& out) {
  if (text.size() < 8 || text[2] != ':' || text[5] != ':') return false;
  auto hour = Digits(text.substr(0, 2));
  auto minute = Digits(text.substr(3, 2));
  auto second = Digits(text.substr(6, 2));
  auto micros = Micros(text.substr(8));
  if (!hour || !minute || !second || !micros || *hour > 23 || *minute > 59 || *second > 59) {
    return false;
  }
  out.hour = static_cast<uint8_t>(*hour);
  out.minute = static_cast<uint8_t>(*minute);
  out.second = static_cast<uint8_t>(*second);
  out.micros = *micros;
  return true;
}

}  // namespace

void AppendInt(int64_t v, std::string& out) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

void AppendUInt(uint64_t v, std::string& out) {
  AppendPadded(v, 0, out);
}

void AppendPlainFloat(float v, std::string& out) {
  AppendPlain(v, out);
}
void AppendPlainDouble(double v, std::string& out) {
  AppendPlain(v, out);
}
void AppendJavaFloat(float v, std::string& out) {
  AppendJava(v, out);
}
void AppendJavaDouble(double v, std::string& out) {
  AppendJava(v, out);
}

void AppendBigDecimal(std::string_view decimal, std::string& out) {
  const bool negative = decimal.starts_with('-');
  if (negative) decimal.remove_prefix(1);
  const size_t point = decimal.find('.');
  const size_t scale = point == std::string_view::npos ? 0 : decimal.size() - point - 1;
  std::string unscaled(decimal.substr(0, point));
  if (point != std::string_view::npos) unscaled.append(decimal.substr(point + 1));
  const size_t first = unscaled.find_first_not_of('0');
  unscaled = first == std::string::npos ? "0" : unscaled.substr(first);
  const int64_t adjusted = static_cast<int64_t>(unscaled.size()) - 1 - static_cast<int64_t>(scale);
  if (negative) out.push_back('-');
  if (adjusted >= -6) {
    out.append(decimal);
    return;
  }
  out.push_back(unscaled[0]);
  if (unscaled.size() > 1) {
    out.push_back('.');
    out.append(unscaled, 1);
  }
  out.push_back('E');
  AppendInt(adjusted, out);
}

void AppendDate(const DateValue& d, std::string& out) {
  AppendPadded(d.year, 4, out);
  out.push_back('-');
  AppendPadded(d.month, 2, out);
  out.push_back('-');
  AppendPadded(d.day, 2, out);
}

void AppendTime(const TimeValue& t, uint8_t fsp, std::string& out) {
  if (t.negative) out.push_back('-');
  AppendPadded(t.hours, 2, out);
  out.push_back(':');
  AppendPadded(t.minutes, 2, out);
  out.push_back(':');
  AppendPadded(t.seconds, 2, out);
  AppendFraction(t.micros, fsp, out);
}

void AppendDateTime(const DateTimeValue& dt, uint8_t fsp, std::string& out) {
  AppendDate(dt.date, out);
  out.push_back(' ');
  AppendPadded(dt.hour, 2, out);
  out.push_back(':');
  AppendPadded(dt.minute, 2, out);
  out.push_back(':');
  AppendPadded(dt.second, 2, out);
  AppendFraction(dt.micros, fsp, out);
}

void AppendTimestampUtc(const TimestampValue& ts, uint8_t fsp, std::string& out) {
  if (ts.seconds == 0 && ts.micros == 0) {
    AppendDateTime({}, fsp, out);
    return;
  }
  int64_t days = ts.seconds / kSecondsPerDay;
  int64_t second_of_day = ts.seconds % kSecondsPerDay;
  if (second_of_day < 0) {
    second_of_day += kSecondsPerDay;
    --days;
  }
  const CivilDate date = CivilFromDays(days);
  if (date.year < 0) out.push_back('-');
  AppendPadded(static_cast<uint64_t>(date.year < 0 ? -date.year : date.year), 4, out);
  out.push_back('-');
  AppendPadded(date.month, 2, out);
  out.push_back('-');
  AppendPadded(date.day, 2, out);
  out.push_back(' ');
  AppendPadded(static_cast<uint64_t>(second_of_day / 3600), 2, out);
  out.push_back(':');
  AppendPadded(static_cast<uint64_t>(second_of_day / 60 % 60), 2, out);
  out.push_back(':');
  AppendPadded(static_cast<uint64_t>(second_of_day % 60), 2, out);
  AppendFraction(ts.micros, fsp, out);
}

void AppendLatin1AsUtf8(std::string_view bytes, std::string& out) {
  for (char c : bytes) {
    const auto byte = static_cast<uint8_t>(c);
    if (byte < 0x80) {
      out.push_back(c);
    } else {
      out.push_back(static_cast<char>(0xC0 | byte >> 6));
      out.push_back(static_cast<char>(0x80 | (byte & 0x3F)));
    }
  }
}

void AppendBase64(std::string_view bytes, std::string& out) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t n = uint32_t{static_cast<uint8_t>(bytes[i])} << 16 |
                       uint32_t{static_cast<uint8_t>(bytes[i + 1])} << 8 |
                       static_cast<uint8_t>(bytes[i + 2]);
    out.push_back(kAlphabet[n >> 18]);
    out.push_back(kAlphabet[n >> 12 & 63]);
    out.push_back(kAlphabet[n >> 6 & 63]);
    out.push_back(kAlphabet[n & 63]);
  }
  if (i + 1 == bytes.size()) {
    const uint32_t n = uint32_t{static_cast<uint8_t>(bytes[i])} << 16;
    out.push_back(kAlphabet[n >> 18]);
    out.push_back(kAlphabet[n >> 12 & 63]);
    out += "==";
  } else if (i + 2 == bytes.size()) {
    const uint32_t n = uint32_t{static_cast<uint8_t>(bytes[i])} << 16 |
                       uint32_t{static_cast<uint8_t>(bytes[i + 1])} << 8;
    out.push_back(kAlphabet[n >> 18]);
    out.push_back(kAlphabet[n >> 12 & 63]);
    out.push_back(kAlphabet[n >> 6 & 63]);
    out.push_back('=');
  }
}

void AppendGoJsonString(std::string_view text, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const auto byte = static_cast<uint8_t>(c);
    switch (c) {
      case '"': out += "\\\""; continue;
      case '\\': out += "\\\\"; continue;
      case '\n': out += "\\n"; continue;
      case '\r': out += "\\r"; continue;
      case '\t': out += "\\t"; continue;
      default: break;
    }
    if (byte < 0x20 || c == '<' || c == '>' || c == '&') {
      out += "\\u00";
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0xF]);
    } else if (byte == 0xE2 && i + 2 < text.size() && text[i + 1] == '\x80' &&
               (text[i + 2] == '\xA8' || text[i + 2] == '\xA9')) {
      out += text[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";  // line and paragraph separators
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
}

void AppendJacksonString(std::string_view text, std::string& out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out.push_back('"');
  for (char c : text) {
    switch (c) {
      case '"': out += "\\\""; continue;
      case '\\': out += "\\\\"; continue;
      case '\b': out += "\\b"; continue;
      case '\f': out += "\\f"; continue;
      case '\n': out += "\\n"; continue;
      case '\r': out += "\\r"; continue;
      case '\t': out += "\\t"; continue;
      default: break;
    }
    const auto byte = static_cast<uint8_t>(c);
    if (byte < 0x20) {
      out += "\\u00";
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0xF]);
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
}

bool IsLatin1Column(const ColumnSchema& column) {
  return IsTextType(column.type) && !column.collation.empty() &&
         CharsetOfCollation(column.collation) == "latin1";
}

std::optional<int64_t> ReadInt(std::string_view text) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

std::optional<uint64_t> ReadUInt(std::string_view text) {
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

namespace {
template <typename T>
std::optional<T> ReadReal(std::string_view text) {
  T v{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}
}  // namespace

std::optional<float> ReadFloat(std::string_view text) {
  return ReadReal<float>(text);
}
std::optional<double> ReadDouble(std::string_view text) {
  return ReadReal<double>(text);
}

std::optional<std::string> ReadDecimal(std::string_view text, const ColumnSchema& column) {
  bool negative = false;
  if (text.starts_with('-')) {
    negative = true;
    text.remove_prefix(1);
  }
  std::string digits;
  int64_t point = -1;  // digits before the point
  size_t i = 0;
  for (; i < text.size() && text[i] != 'e' && text[i] != 'E'; ++i) {
    if (text[i] == '.' && point < 0) {
      point = static_cast<int64_t>(digits.size());
    } else if (text[i] >= '0' && text[i] <= '9' && digits.size() < 200) {
      digits.push_back(text[i]);
    } else {
      return std::nullopt;
    }
  }
  if (digits.empty() || point == 0 || point == static_cast<int64_t>(digits.size())) {
    return std::nullopt;  // "", ".5" and "5." are not decimal numbers
  }
  if (point < 0) point = static_cast<int64_t>(digits.size());
  if (i < text.size()) {
    std::string_view exponent_text = text.substr(i + 1);
    if (exponent_text.starts_with('+')) exponent_text.remove_prefix(1);
    auto exponent = ReadInt(exponent_text);
    if (!exponent || *exponent < -100 || *exponent > 100) return std::nullopt;
    point += *exponent;
  }
  std::string int_part, fraction;
  if (point <= 0) {
    int_part = "0";
    fraction = std::string(static_cast<size_t>(-point), '0') + digits;
  } else if (point >= static_cast<int64_t>(digits.size())) {
    int_part = digits + std::string(static_cast<size_t>(point) - digits.size(), '0');
  } else {
    int_part = digits.substr(0, static_cast<size_t>(point));
    fraction = digits.substr(static_cast<size_t>(point));
  }
  const size_t first = int_part.find_first_not_of('0');
  int_part = first == std::string::npos ? "0" : int_part.substr(first);
  if (column.precision > 0) {
    const size_t scale = column.scale;
    while (fraction.size() > scale && fraction.back() == '0') fraction.pop_back();
    if (fraction.size() > scale) return std::nullopt;
    fraction.append(scale - fraction.size(), '0');
    if (int_part != "0" && int_part.size() > size_t{column.precision} - scale) return std::nullopt;
  }
  const bool zero = int_part == "0" && fraction.find_first_not_of('0') == std::string::npos;
  std::string out = negative && !zero ? "-" : "";
  out += int_part;
  if (!fraction.empty()) out += "." + fraction;
  if (!IsDecimalText(out)) return std::nullopt;
  return out;
}

std::optional<DateValue> ReadDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto year = Digits(text.substr(0, 4));
  auto month = Digits(text.substr(5, 2));
  auto day = Digits(text.substr(8, 2));
  if (!year || !month || !day || *month > 12 || *day > 31) return std::nullopt;
  return DateValue{static_cast<uint16_t>(*year), static_cast<uint8_t>(*month),
                   static_cast<uint8_t>(*day)};
}

std::optional<TimeValue> ReadTime(std::string_view text) {
  TimeValue t;
  if (text.starts_with('-')) {
    t.negative = true;
    text.remove_prefix(1);
  }
  const size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || text.size() < colon + 6 ||
      text[colon + 3] != ':') {
    return std::nullopt;
  }
  auto hours = Digits(text.substr(0, colon));
  auto minutes = Digits(text.substr(colon + 1, 2));
  auto seconds = Digits(text.substr(colon + 4, 2));
  auto micros = Micros(text.substr(colon + 6));
  if (!hours || !minutes || !seconds || !micros || *hours > 838 || *minutes > 59 || *seconds > 59) {
    return std::nullopt;
  }
  t.hours = static_cast<uint16_t>(*hours);
  t.minutes = static_cast<uint8_t>(*minutes);
  t.seconds = static_cast<uint8_t>(*seconds);
  t.micros = *micros;
  return t;
}

std::optional<DateTimeValue> ReadDateTime(std::string_view text) {
  if (text.size() < 19 || text[10] != ' ') return std::nullopt;
  auto date = ReadDate(text.substr(0, 10));
  DateTimeValue dt;
  if (!date || !ReadClock(text.substr(11), dt)) return std::nullopt;
  dt.date = *date;
  return dt;
}

std::optional<TimestampValue> ReadTimestampUtc(std::string_view text) {
  auto dt = ReadDateTime(text);
  if (!dt) return std::nullopt;
  if (dt->date.month == 0 || dt->date.day == 0) {
    if (*dt != DateTimeValue{}) return std::nullopt;  // only the zero timestamp has zero parts
    return TimestampValue{0, 0};
  }
  const int64_t seconds =
      DaysFromCivil(dt->date.year, dt->date.month, dt->date.day) * kSecondsPerDay +
      int64_t{dt->hour} * 3600 + int64_t{dt->minute} * 60 + dt->second;
  if (seconds < -kTimestampSecondsLimit || seconds >= kTimestampSecondsLimit) return std::nullopt;
  return TimestampValue{seconds, dt->micros};
}

std::optional<std::string> ReadUtf8AsLatin1(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<uint8_t>(text[i]);
    if (byte < 0x80) {
      out.push_back(text[i]);
      continue;
    }
    if ((byte != 0xC2 && byte != 0xC3) || i + 1 == text.size()) return std::nullopt;
    const auto next = static_cast<uint8_t>(text[++i]);
    if ((next & 0xC0) != 0x80) return std::nullopt;
    out.push_back(static_cast<char>((byte & 0x03) << 6 | (next & 0x3F)));
  }
  return out;
}

std::optional<std::string> ReadBase64(std::string_view text) {
  auto sextet = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    const int pad = last ? (text[i + 3] == '=') + (text[i + 2] == '=') : 0;
    uint32_t n = 0;
    for (size_t k = 0; k < 4; ++k) {
      const int s = k >= 4 - static_cast<size_t>(pad) ? 0 : sextet(text[i + k]);
      if (s < 0) return std::nullopt;
      n = n << 6 | static_cast<uint32_t>(s);
    }
    out.push_back(static_cast<char>(n >> 16));
    if (pad < 2) out.push_back(static_cast<char>(n >> 8 & 0xFF));
    if (pad < 1) out.push_back(static_cast<char>(n & 0xFF));
  }
  return out;
}

bool IntFits(const ColumnSchema& column, int64_t v) {
  switch (column.type) {
    case ColumnType::kTinyInt: return v >= -128 && v <= 127;
    case ColumnType::kSmallInt: return v >= -32768 && v <= 32767;
    case ColumnType::kMediumInt: return v >= -8388608 && v <= 8388607;
    case ColumnType::kInt:
      return v >= std::numeric_limits<int32_t>::min() && v <= std::numeric_limits<int32_t>::max();
    default: return true;
  }
}

bool UIntFits(const ColumnSchema& column, uint64_t v) {
  switch (column.type) {
    case ColumnType::kTinyInt: return v <= 255;
    case ColumnType::kSmallInt: return v <= 65535;
    case ColumnType::kMediumInt: return v <= 16777215;
    case ColumnType::kInt: return v <= std::numeric_limits<uint32_t>::max();
    default: return true;
  }
}

std::optional<Value> EnumByIndex(const ColumnSchema& column, uint64_t index) {
  if (index == 0) return Value::Enum(0, "");
  if (index > column.labels.size()) return std::nullopt;
  return Value::Enum(static_cast<uint16_t>(index), column.labels[index - 1]);
}

std::optional<Value> EnumByLabel(const ColumnSchema& column, std::string_view label) {
  for (size_t i = 0; i < column.labels.size(); ++i) {
    if (column.labels[i] == label) return Value::Enum(static_cast<uint16_t>(i + 1), label);
  }
  if (label.empty()) return Value::Enum(0, "");
  return std::nullopt;
}

std::optional<Value> SetByMembers(const ColumnSchema& column, uint64_t members) {
  const size_t count = column.labels.size() < 64 ? column.labels.size() : 64;
  if (count < 64 && (members >> count) != 0) return std::nullopt;
  std::string labels;
  for (size_t i = 0; i < count; ++i) {
    if ((members >> i & 1) == 0) continue;
    if (!labels.empty()) labels.push_back(',');
    labels += column.labels[i];
  }
  return Value::Set(members, labels);
}

bool ReadFilePosition(std::string_view text, SourcePosition& position) {
  const size_t colon = text.rfind(':');
  auto offset = ReadUInt(colon == std::string_view::npos ? text : text.substr(colon + 1));
  if (!offset) return false;
  position.file =
      colon == std::string_view::npos ? SourceFileName() : SourceFileName(text.substr(0, colon));
  position.offset = *offset;
  return true;
}

uint8_t BitWidth(const ColumnSchema& column) {
  return column.length >= 1 && column.length <= 64 ? static_cast<uint8_t>(column.length) : 1;
}

}  // namespace cdc::json_text
