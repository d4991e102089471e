#include "schema/column_schema.h"

#include <fmt/format.h>

#include <utility>

namespace cdc {

namespace {

// A label as a SQL string literal: quotes doubled, backslashes escaped, as SHOW CREATE TABLE
// writes them.
void AppendQuotedLabel(const std::string& label, std::string& out) {
  out.push_back('\'');
  for (char c : label) {
    if (c == '\'') out.push_back('\'');
    if (c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('\'');
}

}  // namespace

namespace {

constexpr std::pair<std::string_view, GeometryType> kGeometryNames[] = {
    {"geometry", GeometryType::kGeometry},
    {"point", GeometryType::kPoint},
    {"linestring", GeometryType::kLineString},
    {"polygon", GeometryType::kPolygon},
    {"multipoint", GeometryType::kMultiPoint},
    {"multilinestring", GeometryType::kMultiLineString},
    {"multipolygon", GeometryType::kMultiPolygon},
    {"geometrycollection", GeometryType::kGeometryCollection},
    {"geomcollection", GeometryType::kGeometryCollection},  // MySQL 8's name
};

}  // namespace

std::optional<GeometryType> GeometryTypeFromName(std::string_view name) {
  for (const auto& [known, type] : kGeometryNames) {
    if (name.size() != known.size()) continue;
    bool same = true;
    for (size_t i = 0; i < name.size() && same; ++i) {
      same = (name[i] | 0x20) == known[i];
    }
    if (same) return type;
  }
  return std::nullopt;
}

const char* ColumnTypeName(ColumnType type) {
  switch (type) {
    case ColumnType::kTinyInt: return "tinyint";
    case ColumnType::kSmallInt: return "smallint";
    case ColumnType::kMediumInt: return "mediumint";
    case ColumnType::kInt: return "int";
    case ColumnType::kBigInt: return "bigint";
    case ColumnType::kFloat: return "float";
    case ColumnType::kDouble: return "double";
    case ColumnType::kDecimal: return "decimal";
    case ColumnType::kBit: return "bit";
    case ColumnType::kYear: return "year";
    case ColumnType::kDate: return "date";
    case ColumnType::kTime: return "time";
    case ColumnType::kDateTime: return "datetime";
    case ColumnType::kTimestamp: return "timestamp";
    case ColumnType::kChar: return "char";
    case ColumnType::kVarChar: return "varchar";
    case ColumnType::kTinyText: return "tinytext";
    case ColumnType::kText: return "text";
    case ColumnType::kMediumText: return "mediumtext";
    case ColumnType::kLongText: return "longtext";
    case ColumnType::kBinary: return "binary";
    case ColumnType::kVarBinary: return "varbinary";
    case ColumnType::kTinyBlob: return "tinyblob";
    case ColumnType::kBlob: return "blob";
    case ColumnType::kMediumBlob: return "mediumblob";
    case ColumnType::kLongBlob: return "longblob";
    case ColumnType::kEnum: return "enum";
    case ColumnType::kSet: return "set";
    case ColumnType::kJson: return "json";
    case ColumnType::kGeometry: return "geometry";
  }
  return "unknown";
}

bool IsTextType(ColumnType type) {
  switch (type) {
    case ColumnType::kChar:
    case ColumnType::kVarChar:
    case ColumnType::kTinyText:
    case ColumnType::kText:
    case ColumnType::kMediumText:
    case ColumnType::kLongText: return true;
    default: return false;
  }
}

std::string ColumnSchema::SqlType() const {
  switch (fixed_binary) {
    case FixedBinaryType::kUuid: return "uuid";
    case FixedBinaryType::kInet4: return "inet4";
    case FixedBinaryType::kInet6: return "inet6";
    case FixedBinaryType::kNone: break;
  }
  if (type == ColumnType::kGeometry) {
    for (const auto& [name, geometry] : kGeometryNames) {
      if (geometry == geometry_type) return std::string(name);
    }
  }
  std::string sql = ColumnTypeName(type);
  switch (type) {
    case ColumnType::kDecimal: sql += fmt::format("({},{})", precision, scale); break;
    case ColumnType::kBit:
    case ColumnType::kChar:
    case ColumnType::kVarChar:
    case ColumnType::kBinary:
    case ColumnType::kVarBinary: sql += fmt::format("({})", length); break;
    case ColumnType::kTime:
    case ColumnType::kDateTime:
    case ColumnType::kTimestamp:
      if (fsp > 0) sql += fmt::format("({})", fsp);
      break;
    case ColumnType::kEnum:
    case ColumnType::kSet:
      sql.push_back('(');
      for (size_t i = 0; i < labels.size(); ++i) {
        if (i > 0) sql.push_back(',');
        AppendQuotedLabel(labels[i], sql);
      }
      sql.push_back(')');
      break;
    default: break;
  }
  switch (type) {
    case ColumnType::kTinyInt:
    case ColumnType::kSmallInt:
    case ColumnType::kMediumInt:
    case ColumnType::kInt:
    case ColumnType::kBigInt:
    case ColumnType::kFloat:
    case ColumnType::kDouble:
    case ColumnType::kDecimal:
      if (is_unsigned) sql += " unsigned";
      break;
    default: break;
  }
  return sql;
}

ValueKind ColumnSchema::value_kind() const {
  switch (type) {
    case ColumnType::kTinyInt:
    case ColumnType::kSmallInt:
    case ColumnType::kMediumInt:
    case ColumnType::kInt:
    case ColumnType::kBigInt: return is_unsigned ? ValueKind::kUInt : ValueKind::kInt;
    case ColumnType::kFloat: return ValueKind::kFloat;
    case ColumnType::kDouble: return ValueKind::kDouble;
    case ColumnType::kDecimal: return ValueKind::kDecimal;
    case ColumnType::kBit: return ValueKind::kBit;
    case ColumnType::kYear: return ValueKind::kYear;
    case ColumnType::kDate: return ValueKind::kDate;
    case ColumnType::kTime: return ValueKind::kTime;
    case ColumnType::kDateTime: return ValueKind::kDateTime;
    case ColumnType::kTimestamp: return ValueKind::kTimestamp;
    case ColumnType::kChar:
    case ColumnType::kVarChar:
    case ColumnType::kTinyText:
    case ColumnType::kText:
    case ColumnType::kMediumText:
    case ColumnType::kLongText: return ValueKind::kString;
    case ColumnType::kBinary:
    case ColumnType::kVarBinary:
    case ColumnType::kTinyBlob:
    case ColumnType::kBlob:
    case ColumnType::kMediumBlob:
    case ColumnType::kLongBlob: return ValueKind::kBytes;
    case ColumnType::kEnum: return ValueKind::kEnum;
    case ColumnType::kSet: return ValueKind::kSet;
    case ColumnType::kJson: return ValueKind::kJson;
    case ColumnType::kGeometry: return ValueKind::kGeometry;
  }
  return ValueKind::kNull;
}

}  // namespace cdc
