#include "connectors/mysql/client/sql_literal.h"

#include <fmt/format.h>
#include <charconv>
#include <cmath>

#include "schema/collation.h"
#include "schema/table_id.h"

namespace cdc {

namespace {

// Appends an integer without fmt's format-string parsing: literals are built per value.
template <typename Integer>
void AppendInteger(Integer value, std::string& sql) {
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof(digits), value).ptr;
  sql.append(digits, end);
}

}  // namespace

void AppendQuoted(std::string_view text, std::string& sql) {
  sql.reserve(sql.size() + text.size() + 2);
  sql += '\'';
  // Copy runs of ordinary bytes at once; only the few special ones are escaped.
  size_t run = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char* escaped = nullptr;
    switch (text[i]) {
      case '\'': escaped = "\\'"; break;
      case '\\': escaped = "\\\\"; break;
      case '\0': escaped = "\\0"; break;
      case '\n': escaped = "\\n"; break;
      case '\r': escaped = "\\r"; break;
      case '\x1a': escaped = "\\Z"; break;
      default: continue;
    }
    sql.append(text.data() + run, i - run);
    sql.append(escaped, 2);
    run = i + 1;
  }
  sql.append(text.data() + run, text.size() - run);
  sql += '\'';
}

void AppendIdentifier(std::string_view name, std::string& sql) {
  sql += QuoteIdentifier(name);
}

std::string_view NonUtf8Charset(const Value& text) {
  std::string_view collation = CollationNameById(text.collation_id());
  std::string_view charset = collation.substr(0, collation.find('_'));
  if (charset == "utf8mb4" || charset == "utf8mb3" || charset == "utf8") return {};
  return charset;
}

Status AppendSqlLiteral(const Value& value, std::string& sql) {
  switch (value.kind()) {
    case ValueKind::kNull: sql += "NULL"; return Status::Ok();
    case ValueKind::kInt: AppendInteger(value.int_value(), sql); return Status::Ok();
    case ValueKind::kUInt: AppendInteger(value.uint_value(), sql); return Status::Ok();
    case ValueKind::kFloat:
    case ValueKind::kDouble: {
      double d = value.kind() == ValueKind::kFloat ? value.float_value() : value.double_value();
      if (!std::isfinite(d)) {
        return Status::InvalidArgument(
            fmt::format("{} cannot be stored in MySQL (no NaN or infinity in FLOAT/DOUBLE columns)",
                        value.ToString()));
      }
      // Shortest text that reads back to the same float (or double): exact round trip.
      if (value.kind() == ValueKind::kFloat) {
        // The float widened to double, in shortest double text: the server parses literals as
        // doubles, and the shortest float text can round past FLT_MAX (3.4028235e+38).
        fmt::format_to(std::back_inserter(sql), "{}", static_cast<double>(value.float_value()));
      } else {
        fmt::format_to(std::back_inserter(sql), "{}", value.double_value());
      }
      return Status::Ok();
    }
    case ValueKind::kDecimal: sql.append(value.bytes()); return Status::Ok();
    case ValueKind::kBit: {
      sql += "b'";
      for (int bit = value.bit_width() - 1; bit >= 0; --bit) {
        sql += ((value.bits() >> bit) & 1) ? '1' : '0';
      }
      sql += '\'';
      return Status::Ok();
    }
    case ValueKind::kYear:
      fmt::format_to(std::back_inserter(sql), "{}", value.year());
      return Status::Ok();
    case ValueKind::kDateTime: {
      // The common temporal type on the hot path: written digit by digit.
      DateTimeValue at = value.datetime();
      char text[32];
      auto two = [](char* out, unsigned v) {
        out[0] = static_cast<char>('0' + v / 10);
        out[1] = static_cast<char>('0' + v % 10);
      };
      text[0] = '\'';
      two(text + 1, at.date.year / 100);
      two(text + 3, at.date.year % 100);
      text[5] = '-';
      two(text + 6, at.date.month);
      text[8] = '-';
      two(text + 9, at.date.day);
      text[11] = ' ';
      two(text + 12, at.hour);
      text[14] = ':';
      two(text + 15, at.minute);
      text[17] = ':';
      two(text + 18, at.second);
      size_t length = 20;
      unsigned digits = at.micros != 0 ? 6 : value.fsp();  // all six when fsp would hide some
      if (digits > 0) {
        text[length++] = '.';
        uint32_t micros = at.micros;
        for (int i = 5; i >= 0; --i) {
          text[length + static_cast<size_t>(i)] = static_cast<char>('0' + micros % 10);
          micros /= 10;
        }
        length += digits;
      }
      text[length++] = '\'';
      sql.append(text, length);
      return Status::Ok();
    }
    case ValueKind::kDate:
    case ValueKind::kTime:
    case ValueKind::kTimestamp:
      // Value's text for temporal kinds is MySQL's literal: quoted, with the fraction to the
      // column's precision (all six digits when it would hide some), TIMESTAMP in UTC.
      sql += value.ToString();
      return Status::Ok();
    case ValueKind::kString: {
      // Text travels in its own character set: the session is utf8mb4, so other character
      // sets get an introducer (_latin1'...') and the server converts, never the client.
      std::string_view charset = NonUtf8Charset(value);
      if (!charset.empty()) {
        sql += '_';
        sql.append(charset);
      }
      AppendQuoted(value.bytes(), sql);
      return Status::Ok();
    }
    case ValueKind::kEnum:
    case ValueKind::kSet:
    case ValueKind::kJson: AppendQuoted(value.bytes(), sql); return Status::Ok();
    case ValueKind::kBytes:
      sql += "x'";
      for (unsigned char c : value.bytes()) fmt::format_to(std::back_inserter(sql), "{:02x}", c);
      sql += '\'';
      return Status::Ok();
    case ValueKind::kGeometry:
      sql += "ST_GeomFromWKB(x'";
      for (unsigned char c : value.bytes()) fmt::format_to(std::back_inserter(sql), "{:02x}", c);
      fmt::format_to(std::back_inserter(sql), "', {})", value.srid());
      return Status::Ok();
  }
  return Status::Internal("unknown value kind");
}

}  // namespace cdc
