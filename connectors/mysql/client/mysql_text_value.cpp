#include "connectors/mysql/client/mysql_text_value.h"

#include <fmt/format.h>
#include <charconv>
#include <cstdlib>

#include "connectors/mysql/client/sql_literal.h"
#include "schema/civil_date.h"
#include "schema/collation.h"

namespace cdc {
namespace {

class TextCursor {
 public:
  explicit TextCursor(std::string_view text) : text_(text) {}
  bool Number(uint64_t& out, size_t max_digits = 20) {
    size_t digits = 0;
    out = 0;
    while (pos_ < text_.size() && digits < max_digits && text_[pos_] >= '0' && text_[pos_] <= '9') {
      out = out * 10 + static_cast<uint64_t>(text_[pos_++] - '0');
      ++digits;
    }
    return digits > 0;
  }
  bool Expect(char c) {
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  // ".ffffff" if present: microseconds.
  bool Fraction(uint32_t& micros) {
    micros = 0;
    if (!Expect('.')) return true;
    size_t digits = 0;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') {
      if (digits < 6) micros = micros * 10 + static_cast<uint32_t>(text_[pos_] - '0');
      ++digits;
      ++pos_;
    }
    for (size_t i = digits; i < 6; ++i) micros *= 10;
    return digits > 0;
  }
  bool done() const { return pos_ == text_.size(); }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

bool ParseDate(TextCursor& in, DateValue& date) {
  uint64_t year, month, day;
  if (!in.Number(year, 4) || !in.Expect('-') || !in.Number(month, 2) || !in.Expect('-') ||
      !in.Number(day, 2)) {
    return false;
  }
  date = DateValue{static_cast<uint16_t>(year), static_cast<uint8_t>(month),
                   static_cast<uint8_t>(day)};
  return true;
}

bool ParseDateTime(std::string_view text, DateTimeValue& value) {
  TextCursor in(text);
  uint64_t hour, minute, second;
  if (!ParseDate(in, value.date) || !in.Expect(' ') || !in.Number(hour, 2) || !in.Expect(':') ||
      !in.Number(minute, 2) || !in.Expect(':') || !in.Number(second, 2) ||
      !in.Fraction(value.micros) || !in.done()) {
    return false;
  }
  value.hour = static_cast<uint8_t>(hour);
  value.minute = static_cast<uint8_t>(minute);
  value.second = static_cast<uint8_t>(second);
  return true;
}

}  // namespace

std::string ExactSelectExpression(const ColumnSchema& column) {
  std::string name;
  AppendIdentifier(column.name, name);
  if (column.type == ColumnType::kFloat) return "CAST(" + name + " AS DOUBLE)";
  // UUID, INET4, INET6: their bytes, which the text protocol would give as text.
  if (column.fixed_binary != FixedBinaryType::kNone) {
    return fmt::format("CAST({} AS BINARY({}))", name, column.length);
  }
  return name;
}

Result<Value> ParseMysqlText(const ColumnSchema& column, std::optional<std::string_view> maybe) {
  if (!maybe) return Value::Null();
  std::string_view text = *maybe;
  auto bad = [&]() {
    return Status::InvalidArgument(fmt::format("column {} ({}): '{}' is not a value of its type",
                                               column.name, column.SqlType(), text.substr(0, 64)));
  };
  switch (column.type) {
    case ColumnType::kTinyInt:
    case ColumnType::kSmallInt:
    case ColumnType::kMediumInt:
    case ColumnType::kInt:
    case ColumnType::kBigInt: {
      if (column.is_unsigned) {
        uint64_t v = 0;
        auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (error != std::errc() || end != text.data() + text.size()) return bad();
        return Value::UInt(v);
      }
      int64_t v = 0;
      auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (error != std::errc() || end != text.data() + text.size()) return bad();
      return Value::Int(v);
    }
    case ColumnType::kFloat: {
      // The exact double of the float (see ExactSelectExpression) narrows back exactly.
      double v = 0;
      auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (error != std::errc() || end != text.data() + text.size()) return bad();
      return Value::Float(static_cast<float>(v));
    }
    case ColumnType::kDouble: {
      double v = 0;
      auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (error != std::errc() || end != text.data() + text.size()) return bad();
      return Value::Double(v);
    }
    case ColumnType::kDecimal:
      if (!IsDecimalText(text)) return bad();
      return Value::Decimal(std::string(text));
    case ColumnType::kBit: {
      if (text.size() > 8) return bad();
      uint64_t bits = 0;
      for (char c : text) bits = bits << 8 | static_cast<uint8_t>(c);
      uint32_t width = column.length == 0 ? 1 : column.length;
      if (width < 64 && (bits >> width) != 0) return bad();
      return Value::Bit(bits, static_cast<uint8_t>(width));
    }
    case ColumnType::kYear: {
      uint64_t year = 0;
      TextCursor in(text);
      if (!in.Number(year, 4) || !in.done()) return bad();
      return Value::Year(static_cast<uint16_t>(year));
    }
    case ColumnType::kDate: {
      TextCursor in(text);
      DateValue date;
      if (!ParseDate(in, date) || !in.done()) return bad();
      return Value::Date(date);
    }
    case ColumnType::kTime: {
      TextCursor in(text);
      TimeValue time;
      time.negative = in.Expect('-');
      uint64_t hours, minutes, seconds;
      if (!in.Number(hours, 3) || !in.Expect(':') || !in.Number(minutes, 2) || !in.Expect(':') ||
          !in.Number(seconds, 2) || !in.Fraction(time.micros) || !in.done()) {
        return bad();
      }
      time.hours = static_cast<uint16_t>(hours);
      time.minutes = static_cast<uint8_t>(minutes);
      time.seconds = static_cast<uint8_t>(seconds);
      if (time.hours == 0 && time.minutes == 0 && time.seconds == 0 && time.micros == 0) {
        time.negative = false;
      }
      return Value::Time(time, column.fsp);
    }
    case ColumnType::kDateTime: {
      DateTimeValue value;
      if (!ParseDateTime(text, value)) return bad();
      return Value::DateTime(value, column.fsp);
    }
    case ColumnType::kTimestamp: {
      DateTimeValue wall;
      if (!ParseDateTime(text, wall)) return bad();
      TimestampValue at;
      if (wall.date.year != 0 || wall.date.month != 0 || wall.date.day != 0) {
        at.seconds = DaysFromCivil(wall.date.year, wall.date.month, wall.date.day) * 86400 +
                     int64_t{wall.hour} * 3600 + int64_t{wall.minute} * 60 + wall.second;
        at.micros = wall.micros;
      }
      return Value::Timestamp(at, column.fsp);
    }
    case ColumnType::kChar:
    case ColumnType::kVarChar:
    case ColumnType::kTinyText:
    case ColumnType::kText:
    case ColumnType::kMediumText:
    case ColumnType::kLongText:
      return Value::String(std::string(text), CollationIdByName(column.collation));
    case ColumnType::kBinary:
    case ColumnType::kVarBinary:
    case ColumnType::kTinyBlob:
    case ColumnType::kBlob:
    case ColumnType::kMediumBlob:
    case ColumnType::kLongBlob: return Value::Bytes(std::string(text));
    case ColumnType::kEnum: {
      if (text.empty()) return Value::Enum(0, std::string());
      for (size_t i = 0; i < column.labels.size(); ++i) {
        if (column.labels[i] == text)
          return Value::Enum(static_cast<uint16_t>(i + 1), std::string(text));
      }
      return bad();
    }
    case ColumnType::kSet: {
      uint64_t members = 0;
      std::string_view rest = text;
      while (!rest.empty()) {
        size_t comma = rest.find(',');
        std::string_view label = rest.substr(0, comma);
        bool found = false;
        for (size_t i = 0; i < column.labels.size() && i < 64; ++i) {
          if (column.labels[i] == label) {
            members |= uint64_t{1} << i;
            found = true;
            break;
          }
        }
        if (!found) return bad();
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
      }
      return Value::Set(members, std::string(text));
    }
    case ColumnType::kJson: return Value::Json(std::string(text));
    case ColumnType::kGeometry: {
      if (text.size() < 4) return bad();
      uint32_t srid = static_cast<uint8_t>(text[0]) | static_cast<uint8_t>(text[1]) << 8 |
                      static_cast<uint8_t>(text[2]) << 16 |
                      static_cast<uint32_t>(static_cast<uint8_t>(text[3])) << 24;
      return Value::Geometry(srid, std::string(text.substr(4)));
    }
  }
  return bad();
}

}  // namespace cdc
