#include "connectors/mysql/sql_literal.h"

#include <cmath>
#include <fmt/format.h>

#include "schema/collation.h"

namespace cdc {

void AppendQuoted(std::string_view text, std::string& sql) {
  sql.reserve(sql.size() + text.size() + 2);
  sql += '\'';
  for (char c : text) {
    switch (c) {
      case '\'': sql += "\\'"; break;
      case '\\': sql += "\\\\"; break;
      case '\0': sql += "\\0"; break;
      case '\n': sql += "\\n"; break;
      case '\r': sql += "\\r"; break;
      case '\x1a': sql += "\\Z"; break;
      default: sql += c;
    }
  }
  sql += '\'';
}

void AppendIdentifier(std::string_view name, std::string& sql) {
  sql += '`';
  for (char c : name) {
    if (c == '`') sql += '`';
    sql += c;
  }
  sql += '`';
}

Status AppendSqlLiteral(const Value& value, std::string& sql) {
  switch (value.kind()) {
    case ValueKind::kNull:
      sql += "NULL";
      return Status::Ok();
    case ValueKind::kInt:
      fmt::format_to(std::back_inserter(sql), "{}", value.int_value());
      return Status::Ok();
    case ValueKind::kUInt:
      fmt::format_to(std::back_inserter(sql), "{}", value.uint_value());
      return Status::Ok();
    case ValueKind::kFloat:
    case ValueKind::kDouble: {
      double d = value.kind() == ValueKind::kFloat ? value.float_value() : value.double_value();
      if (!std::isfinite(d)) {
        return Status::InvalidArgument(fmt::format(
            "{} cannot be stored in MySQL (no NaN or infinity in FLOAT/DOUBLE columns)",
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
    case ValueKind::kDecimal:
      sql.append(value.bytes());
      return Status::Ok();
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
    case ValueKind::kDate:
    case ValueKind::kTime:
    case ValueKind::kDateTime:
    case ValueKind::kTimestamp:
      // Value's text for temporal kinds is MySQL's literal: quoted, with the fraction to the
      // column's precision (all six digits when it would hide some), TIMESTAMP in UTC.
      sql += value.ToString();
      return Status::Ok();
    case ValueKind::kString: {
      // Text travels in its own character set: the session is utf8mb4, so other character
      // sets get an introducer (_latin1'...') and the server converts, never the client.
      std::string_view collation = CollationNameById(value.collation_id());
      std::string_view charset = collation.substr(0, collation.find('_'));
      if (!charset.empty() && charset != "utf8mb4" && charset != "utf8mb3" && charset != "utf8") {
        sql += '_';
        sql.append(charset);
      }
      AppendQuoted(value.bytes(), sql);
      return Status::Ok();
    }
    case ValueKind::kEnum:
    case ValueKind::kSet:
    case ValueKind::kJson:
      AppendQuoted(value.bytes(), sql);
      return Status::Ok();
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
