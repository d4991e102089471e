#include "connectors/format/debezium_value.h"

#include <array>
#include <charconv>
#include <cstdint>
#include <cstdlib>

#include <fmt/format.h>

#include "runtime/json_string.h"
#include "schema/character_set.h"
#include "schema/civil_date.h"

namespace cdc {
namespace {

constexpr int64_t kMicrosPerDay = 86'400'000'000;
constexpr char kBase64Alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// MySQL's latin1 is Windows-1252 with the five bytes cp1252 leaves undefined mapped to the C1
// controls of the same number: the code points of 0x80..0x9F.
constexpr uint16_t kCp1252High[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

enum class TextCharset : uint8_t { kUtf8, kLatin1, kOther };

TextCharset CharsetOf(const ColumnSchema& column) {
  if (column.collation.empty()) return TextCharset::kUtf8;
  const std::string charset = CharsetOfCollation(column.collation);
  if (charset == "utf8mb4" || charset == "utf8mb3" || charset == "ascii") return TextCharset::kUtf8;
  if (charset == "latin1") return TextCharset::kLatin1;
  return TextCharset::kOther;
}

void AppendUtf8(uint32_t code_point, std::string& out) {
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

template <typename T>
void AppendNumber(T number, std::string& out) {
  char buffer[32];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, number);
  out.append(buffer, end);
}

// A 256-bit unsigned integer in 32-bit limbs, least significant first: DECIMAL(65) needs 216
// bits.
using Limbs = std::array<uint32_t, 8>;

// The unscaled integer of decimal `text` at `scale` (fraction digits padded to it), its sign
// apart. False when the text has more fraction digits than the scale.
bool UnscaledFromText(std::string_view text, int scale, Limbs& limbs, bool& negative) {
  limbs.fill(0);
  negative = !text.empty() && text[0] == '-';
  if (negative) text.remove_prefix(1);
  int fraction = -1;
  auto push_digit = [&](uint32_t digit) {
    uint64_t carry = digit;
    for (uint32_t& limb : limbs) {
      const uint64_t product = uint64_t{limb} * 10 + carry;
      limb = static_cast<uint32_t>(product);
      carry = product >> 32;
    }
  };
  for (char c : text) {
    if (c == '.') {
      fraction = 0;
      continue;
    }
    push_digit(static_cast<uint32_t>(c - '0'));
    if (fraction >= 0) ++fraction;
  }
  if (fraction < 0) fraction = 0;
  if (fraction > scale) return false;
  for (; fraction < scale; ++fraction) push_digit(0);
  return true;
}

// Java BigInteger.toByteArray's form: big-endian two's complement in the fewest bytes that keep
// the sign.
void AppendUnscaledBytes(Limbs limbs, bool negative, std::string& out) {
  bool zero = true;
  for (uint32_t limb : limbs) zero = zero && limb == 0;
  if (negative && !zero) {  // two's complement: invert and add one
    uint64_t carry = 1;
    for (uint32_t& limb : limbs) {
      const uint64_t sum = uint64_t{static_cast<uint32_t>(~limb)} + carry;
      limb = static_cast<uint32_t>(sum);
      carry = sum >> 32;
    }
  }
  std::array<uint8_t, 32> bytes;
  for (size_t i = 0; i < 32; ++i) {
    bytes[i] = static_cast<uint8_t>(limbs[(31 - i) / 4] >> (8 * ((31 - i) % 4)));
  }
  const uint8_t fill = (negative && !zero) ? 0xFF : 0x00;
  size_t first = 0;
  while (first < 31 && bytes[first] == fill && ((bytes[first + 1] & 0x80) == (fill & 0x80))) {
    ++first;
  }
  AppendBase64({reinterpret_cast<const char*>(bytes.data()) + first, 32 - first}, out);
}

void AppendTwoDigits(unsigned n, std::string& out) {
  out.push_back(static_cast<char>('0' + n / 10));
  out.push_back(static_cast<char>('0' + n % 10));
}

// A DATE with a zero month or day ('0000-00-00', '2024-00-00') has no day number: Debezium
// writes null for it in a nullable column and the epoch (0) in a NOT NULL one.
bool IsZeroDate(const DateValue& date) {
  return date.month == 0 || date.day == 0;
}

int64_t EpochDays(const DateValue& date) {
  return DaysFromCivil(date.year, date.month, date.day);
}

int64_t TimeMicros(const TimeValue& time) {
  const int64_t micros =
      ((int64_t{time.hours} * 60 + time.minutes) * 60 + time.seconds) * 1'000'000 + time.micros;
  return time.negative ? -micros : micros;
}

int64_t DateTimeMicros(const DateTimeValue& value) {
  return EpochDays(value.date) * kMicrosPerDay +
         ((int64_t{value.hour} * 60 + value.minute) * 60 + value.second) * 1'000'000 + value.micros;
}

// io.debezium.time.ZonedTimestamp: ISO-8601 in UTC with the column's fractional digits.
void AppendZonedTimestamp(const TimestampValue& value, uint8_t fsp, std::string& out) {
  int64_t days = value.seconds / 86400;
  int64_t second_of_day = value.seconds % 86400;
  if (second_of_day < 0) {
    second_of_day += 86400;
    --days;
  }
  const CivilDate date = CivilFromDays(days);
  out.push_back('"');
  out += fmt::format("{:04}-{:02}-{:02}T", date.year, date.month, date.day);
  AppendTwoDigits(static_cast<unsigned>(second_of_day / 3600), out);
  out.push_back(':');
  AppendTwoDigits(static_cast<unsigned>(second_of_day / 60 % 60), out);
  out.push_back(':');
  AppendTwoDigits(static_cast<unsigned>(second_of_day % 60), out);
  if (fsp > 0) {
    char digits[7];
    (void)fmt::format_to(digits, "{:06}", value.micros);
    out.push_back('.');
    out.append(digits, fsp);
  }
  out += "Z\"";
}

void AppendBytesValue(std::string_view bytes, const DebeziumOptions& options, std::string& out) {
  out.push_back('"');
  if (options.binary_mode == DebeziumBinaryMode::kHex) {
    static const char kHex[] = "0123456789abcdef";
    for (char c : bytes) {
      out.push_back(kHex[static_cast<uint8_t>(c) >> 4]);
      out.push_back(kHex[static_cast<uint8_t>(c) & 0xF]);
    }
  } else {
    AppendBase64(bytes, out);
  }
  out.push_back('"');
}

bool IsBinaryType(ColumnType type) {
  switch (type) {
    case ColumnType::kBinary:
    case ColumnType::kVarBinary:
    case ColumnType::kTinyBlob:
    case ColumnType::kBlob:
    case ColumnType::kMediumBlob:
    case ColumnType::kLongBlob: return true;
    default: return false;
  }
}

void AppendNamed(const char* type, bool optional, const char* name, std::string& out) {
  out += "{\"type\":\"";
  out += type;
  out += optional ? "\",\"optional\":true" : "\",\"optional\":false";
  if (name != nullptr) {
    out += ",\"name\":\"";
    out += name;
    out += "\",\"version\":1";
  }
}

void AppendLabels(const std::vector<std::string>& labels, std::string& out) {
  std::string joined;
  for (const std::string& label : labels) {
    if (!joined.empty()) joined.push_back(',');
    joined += label;
  }
  out += ",\"parameters\":{\"allowed\":";
  AppendJsonString(joined, out);
  out.push_back('}');
}

Status KindMismatch(const ColumnSchema& column, const Value& value) {
  return Status::InvalidArgument(fmt::format(
      "debezium: column {} ({}) holds a {} value; the row does not match the table's schema",
      column.name, column.SqlType(), ValueKindName(value.kind())));
}

}  // namespace

void AppendBase64(std::string_view bytes, std::string& out) {
  size_t i = 0;
  out.reserve(out.size() + (bytes.size() + 2) / 3 * 4);
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t n = (uint32_t{static_cast<uint8_t>(bytes[i])} << 16) |
                       (uint32_t{static_cast<uint8_t>(bytes[i + 1])} << 8) |
                       static_cast<uint8_t>(bytes[i + 2]);
    out.push_back(kBase64Alphabet[n >> 18]);
    out.push_back(kBase64Alphabet[(n >> 12) & 63]);
    out.push_back(kBase64Alphabet[(n >> 6) & 63]);
    out.push_back(kBase64Alphabet[n & 63]);
  }
  const size_t rest = bytes.size() - i;
  if (rest == 0) return;
  uint32_t n = uint32_t{static_cast<uint8_t>(bytes[i])} << 16;
  if (rest == 2) n |= uint32_t{static_cast<uint8_t>(bytes[i + 1])} << 8;
  out.push_back(kBase64Alphabet[n >> 18]);
  out.push_back(kBase64Alphabet[(n >> 12) & 63]);
  out.push_back(rest == 2 ? kBase64Alphabet[(n >> 6) & 63] : '=');
  out.push_back('=');
}

bool DecodeBase64(std::string_view text, std::string& out) {
  if (text.size() % 4 != 0) return false;
  out.reserve(out.size() + text.size() / 4 * 3);
  auto sextet = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  for (size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    const int pad = last ? (text[i + 3] == '=') + (text[i + 2] == '=') : 0;
    uint32_t n = 0;
    for (size_t j = 0; j < 4; ++j) {
      const int v = j >= 4 - static_cast<size_t>(pad) ? 0 : sextet(text[i + j]);
      if (v < 0) return false;
      n = (n << 6) | static_cast<uint32_t>(v);
    }
    out.push_back(static_cast<char>(n >> 16));
    if (pad < 2) out.push_back(static_cast<char>((n >> 8) & 0xFF));
    if (pad < 1) out.push_back(static_cast<char>(n & 0xFF));
  }
  return true;
}

bool TextToUtf8(const ColumnSchema& column, std::string_view text, std::string& out) {
  switch (CharsetOf(column)) {
    case TextCharset::kUtf8: out.append(text); return true;
    case TextCharset::kLatin1:
      for (char c : text) {
        const auto byte = static_cast<uint8_t>(c);
        if (byte >= 0x80 && byte < 0xA0) {
          AppendUtf8(kCp1252High[byte - 0x80], out);
        } else {
          AppendUtf8(byte, out);
        }
      }
      return true;
    case TextCharset::kOther: return false;
  }
  return false;
}

bool TextFromUtf8(const ColumnSchema& column, std::string_view utf8, std::string& out) {
  switch (CharsetOf(column)) {
    case TextCharset::kUtf8: out.append(utf8); return true;
    case TextCharset::kLatin1:
      for (size_t i = 0; i < utf8.size();) {
        const auto lead = static_cast<uint8_t>(utf8[i]);
        uint32_t code_point;
        if (lead < 0x80) {
          code_point = lead;
          i += 1;
        } else if ((lead & 0xE0) == 0xC0 && i + 1 < utf8.size()) {
          code_point = ((lead & 0x1Fu) << 6) | (static_cast<uint8_t>(utf8[i + 1]) & 0x3Fu);
          i += 2;
        } else if ((lead & 0xF0) == 0xE0 && i + 2 < utf8.size()) {
          code_point = ((lead & 0x0Fu) << 12) | ((static_cast<uint8_t>(utf8[i + 1]) & 0x3Fu) << 6) |
                       (static_cast<uint8_t>(utf8[i + 2]) & 0x3Fu);
          i += 3;
        } else {
          return false;
        }
        if (code_point >= 0xA0 && code_point <= 0xFF) {
          out.push_back(static_cast<char>(code_point));
          continue;
        }
        if (code_point < 0x80) {
          out.push_back(static_cast<char>(code_point));
          continue;
        }
        bool found = false;
        for (uint8_t k = 0; k < 32 && !found; ++k) {
          if (kCp1252High[k] == code_point) {
            out.push_back(static_cast<char>(0x80 + k));
            found = true;
          }
        }
        if (!found) return false;
      }
      return true;
    case TextCharset::kOther: return false;
  }
  return false;
}

bool DecimalTextFromUnscaled(std::string_view bytes, int scale, std::string& out) {
  if (bytes.empty() || bytes.size() > 32) return false;
  const bool negative = (static_cast<uint8_t>(bytes[0]) & 0x80) != 0;
  std::array<uint8_t, 32> full;
  full.fill(negative ? 0xFF : 0x00);
  for (size_t i = 0; i < bytes.size(); ++i) {
    full[32 - bytes.size() + i] = static_cast<uint8_t>(bytes[i]);
  }
  Limbs limbs{};
  for (size_t i = 0; i < 32; ++i) limbs[(31 - i) / 4] |= uint32_t{full[i]} << (8 * ((31 - i) % 4));
  if (negative) {  // magnitude: invert and add one
    uint64_t carry = 1;
    for (uint32_t& limb : limbs) {
      const uint64_t sum = uint64_t{static_cast<uint32_t>(~limb)} + carry;
      limb = static_cast<uint32_t>(sum);
      carry = sum >> 32;
    }
  }
  std::string digits;  // least significant first
  bool nonzero = true;
  while (nonzero) {
    uint64_t remainder = 0;
    nonzero = false;
    for (size_t i = limbs.size(); i-- > 0;) {
      const uint64_t current = (remainder << 32) | limbs[i];
      limbs[i] = static_cast<uint32_t>(current / 10);
      remainder = current % 10;
      nonzero = nonzero || limbs[i] != 0;
    }
    digits.push_back(static_cast<char>('0' + remainder));
  }
  while (digits.size() <= static_cast<size_t>(scale)) digits.push_back('0');
  if (digits.size() > 65) return false;  // DECIMAL holds 65 digits at most
  if (negative) out.push_back('-');
  for (size_t i = digits.size(); i-- > 0;) {
    out.push_back(digits[i]);
    if (i == static_cast<size_t>(scale) && scale > 0) out.push_back('.');
  }
  return true;
}

void AppendDebeziumFieldSchema(const ColumnSchema& column, bool optional,
                               const DebeziumOptions& options, std::string& out) {
  const bool adaptive = options.time_mode == DebeziumTimeMode::kAdaptiveTimeMicroseconds;
  switch (column.type) {
    case ColumnType::kTinyInt: AppendNamed("int16", optional, nullptr, out); break;
    case ColumnType::kSmallInt:
      AppendNamed(column.is_unsigned ? "int32" : "int16", optional, nullptr, out);
      break;
    case ColumnType::kMediumInt: AppendNamed("int32", optional, nullptr, out); break;
    case ColumnType::kInt:
      AppendNamed(column.is_unsigned ? "int64" : "int32", optional, nullptr, out);
      break;
    case ColumnType::kBigInt:
      if (column.is_unsigned &&
          options.bigint_unsigned_mode == DebeziumBigIntUnsignedMode::kPrecise) {
        AppendNamed("bytes", optional, "org.apache.kafka.connect.data.Decimal", out);
        out += ",\"parameters\":{\"scale\":\"0\"}";
      } else {
        AppendNamed("int64", optional, nullptr, out);
      }
      break;
    case ColumnType::kFloat: AppendNamed("float", optional, nullptr, out); break;
    case ColumnType::kDouble: AppendNamed("double", optional, nullptr, out); break;
    case ColumnType::kDecimal:
      switch (options.decimal_mode) {
        case DebeziumDecimalMode::kPrecise:
          AppendNamed("bytes", optional, "org.apache.kafka.connect.data.Decimal", out);
          out += fmt::format(
              ",\"parameters\":{{\"scale\":\"{}\",\"connect.decimal.precision\":\"{}\"}}",
              column.scale, column.precision);
          break;
        case DebeziumDecimalMode::kString: AppendNamed("string", optional, nullptr, out); break;
        case DebeziumDecimalMode::kDouble: AppendNamed("double", optional, nullptr, out); break;
      }
      break;
    case ColumnType::kBit:
      if (column.length == 1) {
        AppendNamed("boolean", optional, nullptr, out);
      } else {
        AppendNamed("bytes", optional, "io.debezium.data.Bits", out);
        out += fmt::format(",\"parameters\":{{\"length\":\"{}\"}}", column.length);
      }
      break;
    case ColumnType::kYear: AppendNamed("int32", optional, "io.debezium.time.Year", out); break;
    case ColumnType::kDate:
      AppendNamed("int32", optional,
                  adaptive ? "io.debezium.time.Date" : "org.apache.kafka.connect.data.Date", out);
      break;
    case ColumnType::kTime:
      if (adaptive) {
        AppendNamed("int64", optional, "io.debezium.time.MicroTime", out);
      } else {
        AppendNamed("int32", optional, "org.apache.kafka.connect.data.Time", out);
      }
      break;
    case ColumnType::kDateTime:
      AppendNamed("int64", optional,
                  !adaptive         ? "org.apache.kafka.connect.data.Timestamp"
                  : column.fsp <= 3 ? "io.debezium.time.Timestamp"
                                    : "io.debezium.time.MicroTimestamp",
                  out);
      break;
    case ColumnType::kTimestamp:
      AppendNamed("string", optional, "io.debezium.time.ZonedTimestamp", out);
      break;
    case ColumnType::kEnum:
      AppendNamed("string", optional, "io.debezium.data.Enum", out);
      AppendLabels(column.labels, out);
      break;
    case ColumnType::kSet:
      AppendNamed("string", optional, "io.debezium.data.EnumSet", out);
      AppendLabels(column.labels, out);
      break;
    case ColumnType::kJson: AppendNamed("string", optional, "io.debezium.data.Json", out); break;
    case ColumnType::kGeometry:
      out +=
          "{\"type\":\"struct\",\"fields\":[{\"type\":\"bytes\",\"optional\":false,"
          "\"field\":\"wkb\"},{\"type\":\"int32\",\"optional\":true,\"field\":\"srid\"}],";
      out += optional ? "\"optional\":true" : "\"optional\":false";
      out += ",\"name\":\"io.debezium.data.geometry.Geometry\",\"version\":1,\"doc\":\"Geometry\"";
      break;
    default:
      if (IsBinaryType(column.type)) {
        AppendNamed(options.binary_mode == DebeziumBinaryMode::kBytes ? "bytes" : "string",
                    optional, nullptr, out);
      } else {
        AppendNamed("string", optional, nullptr, out);  // CHAR, VARCHAR, *TEXT
      }
  }
  out += ",\"field\":";
  AppendJsonString(column.name, out);
  out.push_back('}');
}

Status AppendDebeziumValue(const ColumnSchema& column, const Value& value,
                           const DebeziumOptions& options, std::string& out) {
  const bool adaptive = options.time_mode == DebeziumTimeMode::kAdaptiveTimeMicroseconds;
  if (value.is_null()) {
    out += "null";
    return Status::Ok();
  }
  if (value.kind() != column.value_kind()) return KindMismatch(column, value);
  switch (value.kind()) {
    case ValueKind::kNull: break;
    case ValueKind::kInt: AppendNumber(value.int_value(), out); break;
    case ValueKind::kUInt:
      if (column.type != ColumnType::kBigInt) {
        AppendNumber(value.uint_value(), out);
      } else if (options.bigint_unsigned_mode == DebeziumBigIntUnsignedMode::kLong) {
        AppendNumber(static_cast<int64_t>(value.uint_value()), out);  // wraps, as Debezium's
      } else {
        Limbs limbs{};
        limbs[0] = static_cast<uint32_t>(value.uint_value());
        limbs[1] = static_cast<uint32_t>(value.uint_value() >> 32);
        out.push_back('"');
        AppendUnscaledBytes(limbs, false, out);
        out.push_back('"');
      }
      break;
    case ValueKind::kFloat: AppendNumber(value.float_value(), out); break;
    case ValueKind::kDouble: AppendNumber(value.double_value(), out); break;
    case ValueKind::kDecimal:
      switch (options.decimal_mode) {
        case DebeziumDecimalMode::kPrecise: {
          Limbs limbs;
          bool negative;
          if (!UnscaledFromText(value.bytes(), column.scale, limbs, negative)) {
            return Status::InvalidArgument(
                fmt::format("debezium: column {} ({}) holds {}, more fraction digits than its "
                            "scale; the row does not match the table's schema",
                            column.name, column.SqlType(), value.bytes()));
          }
          out.push_back('"');
          AppendUnscaledBytes(limbs, negative, out);
          out.push_back('"');
          break;
        }
        case DebeziumDecimalMode::kString: AppendJsonString(value.bytes(), out); break;
        case DebeziumDecimalMode::kDouble:
          AppendNumber(std::strtod(std::string(value.bytes()).c_str(), nullptr), out);
          break;
      }
      break;
    case ValueKind::kBit:
      if (column.length == 1) {
        out += value.bits() != 0 ? "true" : "false";
      } else {
        // io.debezium.data.Bits: little-endian, (length + 7) / 8 bytes.
        char bytes[8];
        const size_t size = (value.bit_width() + 7) / 8;
        for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>(value.bits() >> (8 * i));
        out.push_back('"');
        AppendBase64({bytes, size}, out);
        out.push_back('"');
      }
      break;
    case ValueKind::kYear: AppendNumber(value.year(), out); break;
    case ValueKind::kDate:
      if (IsZeroDate(value.date())) {
        out += column.nullable ? "null" : "0";
      } else {
        AppendNumber(EpochDays(value.date()), out);
      }
      break;
    case ValueKind::kTime:
      AppendNumber(adaptive ? TimeMicros(value.time()) : TimeMicros(value.time()) / 1000, out);
      break;
    case ValueKind::kDateTime:
      if (IsZeroDate(value.datetime().date)) {
        out += column.nullable ? "null" : "0";
      } else {
        const int64_t micros = DateTimeMicros(value.datetime());
        const bool in_micros = adaptive && column.fsp > 3;
        // Floor division: a DATETIME before 1970 rounds toward the past, as Java's does.
        AppendNumber(in_micros ? micros : (micros - ((micros % 1000) + 1000) % 1000) / 1000, out);
      }
      break;
    case ValueKind::kTimestamp:
      if (value.timestamp() == TimestampValue{}) {  // the zero timestamp
        if (column.nullable) {
          out += "null";
        } else {
          AppendZonedTimestamp(TimestampValue{}, column.fsp, out);
        }
      } else {
        AppendZonedTimestamp(value.timestamp(), column.fsp, out);
      }
      break;
    case ValueKind::kString:
    case ValueKind::kEnum:
    case ValueKind::kSet: {
      std::string utf8;
      if (!TextToUtf8(column, value.bytes(), utf8)) {
        return Status::InvalidArgument(fmt::format(
            "debezium: column {} has collation {}, whose character set this encoder cannot "
            "convert to UTF-8 (only utf8mb4, utf8mb3, ascii and latin1)",
            column.name, column.collation));
      }
      AppendJsonString(utf8, out);
      break;
    }
    case ValueKind::kBytes: AppendBytesValue(value.bytes(), options, out); break;
    case ValueKind::kJson: AppendJsonString(value.bytes(), out); break;
    case ValueKind::kGeometry:
      out += "{\"wkb\":\"";
      AppendBase64(value.bytes(), out);
      out += "\",\"srid\":";
      AppendNumber(value.srid(), out);
      out.push_back('}');
      break;
  }
  return Status::Ok();
}

}  // namespace cdc
