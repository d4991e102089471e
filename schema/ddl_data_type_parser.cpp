#include "schema/ddl_data_type_parser.h"

#include <array>
#include <optional>
#include <string>
#include <utility>

#include <fmt/format.h>

namespace cdc {

namespace {

struct TypeName {
  std::string_view name;
  ColumnType type;
};

// Type keywords that need nothing beyond the optional parenthesised numbers read generically.
constexpr std::array<TypeName, 41> kSimpleTypes = {{
    {"TINYINT", ColumnType::kTinyInt},
    {"INT1", ColumnType::kTinyInt},
    {"BOOL", ColumnType::kTinyInt},
    {"BOOLEAN", ColumnType::kTinyInt},
    {"SMALLINT", ColumnType::kSmallInt},
    {"INT2", ColumnType::kSmallInt},
    {"MEDIUMINT", ColumnType::kMediumInt},
    {"INT3", ColumnType::kMediumInt},
    {"MIDDLEINT", ColumnType::kMediumInt},
    {"INT", ColumnType::kInt},
    {"INTEGER", ColumnType::kInt},
    {"INT4", ColumnType::kInt},
    {"BIGINT", ColumnType::kBigInt},
    {"INT8", ColumnType::kBigInt},
    {"FLOAT", ColumnType::kFloat},
    {"FLOAT4", ColumnType::kFloat},
    {"DOUBLE", ColumnType::kDouble},
    {"FLOAT8", ColumnType::kDouble},
    {"REAL", ColumnType::kDouble},
    {"DECIMAL", ColumnType::kDecimal},
    {"DEC", ColumnType::kDecimal},
    {"NUMERIC", ColumnType::kDecimal},
    {"FIXED", ColumnType::kDecimal},
    {"BIT", ColumnType::kBit},
    {"YEAR", ColumnType::kYear},
    {"DATE", ColumnType::kDate},
    {"TIME", ColumnType::kTime},
    {"DATETIME", ColumnType::kDateTime},
    {"TIMESTAMP", ColumnType::kTimestamp},
    {"VARCHAR", ColumnType::kVarChar},
    {"VARCHARACTER", ColumnType::kVarChar},
    {"TINYTEXT", ColumnType::kTinyText},
    {"TEXT", ColumnType::kText},
    {"MEDIUMTEXT", ColumnType::kMediumText},
    {"LONGTEXT", ColumnType::kLongText},
    {"BINARY", ColumnType::kBinary},
    {"VARBINARY", ColumnType::kVarBinary},
    {"TINYBLOB", ColumnType::kTinyBlob},
    {"BLOB", ColumnType::kBlob},
    {"MEDIUMBLOB", ColumnType::kMediumBlob},
    {"LONGBLOB", ColumnType::kLongBlob},
}};

constexpr std::array<std::string_view, 9> kGeometryTypes = {
    "GEOMETRY",        "POINT",        "LINESTRING",         "POLYGON",       "MULTIPOINT",
    "MULTILINESTRING", "MULTIPOLYGON", "GEOMETRYCOLLECTION", "GEOMCOLLECTION"};

// "(n)" or "(n, m)" when present; numbers stay 0 when absent.
struct TypeArguments {
  bool present = false;
  uint64_t first = 0;
  std::optional<uint64_t> second;
};

Result<TypeArguments> ParseTypeArguments(DdlTokenCursor& cursor) {
  TypeArguments arguments;
  if (!cursor.AcceptOperator("(")) return arguments;
  arguments.present = true;
  auto first = cursor.ExpectNumber("a number");
  if (!first.ok()) return first.status();
  arguments.first = *first;
  if (cursor.AcceptOperator(",")) {
    auto second = cursor.ExpectNumber("a number");
    if (!second.ok()) return second.status();
    arguments.second = *second;
  }
  CDC_RETURN_IF_ERROR(cursor.ExpectOperator(")"));
  return arguments;
}

Result<std::vector<std::string>> ParseLabels(DdlTokenCursor& cursor) {
  std::vector<std::string> labels;
  CDC_RETURN_IF_ERROR(cursor.ExpectOperator("("));
  do {
    // A charset introducer (_utf8mb4'a') changes nothing about the label.
    if (cursor.Peek().kind == DdlTokenKind::kWord && cursor.Peek().text.starts_with("_") &&
        cursor.Peek(1).kind == DdlTokenKind::kString) {
      cursor.Next();
    }
    auto label = cursor.ExpectString("a quoted ENUM / SET label");
    if (!label.ok()) return label.status();
    labels.push_back(std::move(label).value());
  } while (cursor.AcceptOperator(","));
  CDC_RETURN_IF_ERROR(cursor.ExpectOperator(")"));
  return labels;
}

// A length, precision or fractional-seconds figure that must lie within [0, max].
Status CheckRange(DdlTokenCursor& cursor, size_t token, uint64_t value, uint64_t max,
                  std::string_view what) {
  if (value <= max) return Status::Ok();
  return cursor.ErrorAt(token, fmt::format("{} {} is out of range (at most {})", what, value, max));
}

}  // namespace

Status ParseDataType(DdlTokenCursor& cursor, ColumnDefinition& definition,
                     std::vector<IndexDefinition>& inline_indexes) {
  ColumnSchema& column = definition.column;
  const size_t type_token = cursor.position();
  const DdlToken& word = cursor.Peek();
  if (word.kind != DdlTokenKind::kWord) return cursor.Error("a data type");
  std::string keyword = word.text;
  for (char& c : keyword) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  cursor.Next();

  // Multi-word and special types first; they settle the type and then read arguments below.
  bool national = false;
  if (keyword == "NATIONAL") {
    national = true;
    if (cursor.AcceptKeyword("VARCHAR")) {
      keyword = "VARCHAR";
    } else if (cursor.AcceptKeyword("CHAR") || cursor.AcceptKeyword("CHARACTER")) {
      keyword = cursor.AcceptKeyword("VARYING") ? "VARCHAR" : "CHAR";
    } else {
      return cursor.Error("CHAR, CHARACTER or VARCHAR after NATIONAL");
    }
  } else if (keyword == "NCHAR") {
    national = true;
    keyword =
        cursor.AcceptKeyword("VARYING") || cursor.AcceptKeyword("VARCHAR") ? "VARCHAR" : "CHAR";
  } else if (keyword == "NVARCHAR") {
    national = true;
    keyword = "VARCHAR";
  } else if (keyword == "CHARACTER" || keyword == "CHAR") {
    keyword = cursor.AcceptKeyword("VARYING") ? "VARCHAR" : "CHAR";
  } else if (keyword == "DOUBLE") {
    cursor.AcceptKeyword("PRECISION");
  } else if (keyword == "LONG") {
    // MariaDB / MySQL aliases: LONG and LONG VARCHAR are MEDIUMTEXT, LONG VARBINARY MEDIUMBLOB.
    if (cursor.AcceptKeyword("VARBINARY")) {
      keyword = "MEDIUMBLOB";
    } else {
      if (!cursor.AcceptKeyword("VARCHAR") && cursor.AcceptKeyword("CHAR")) {
        CDC_RETURN_IF_ERROR(cursor.ExpectKeyword("VARYING"));
      }
      keyword = "MEDIUMTEXT";
    }
  }
  if (national) definition.charset = "utf8mb3";

  if (keyword == "SERIAL") {
    column.type = ColumnType::kBigInt;
    column.is_unsigned = true;
    column.nullable = false;
    definition.auto_increment = true;
    IndexDefinition unique;
    unique.kind = IndexKind::kUnique;
    unique.parts.push_back(IndexPart{column.name, 0, false, ""});
    inline_indexes.push_back(std::move(unique));
    definition.type_sql = cursor.Text(type_token, cursor.position());
    return Status::Ok();
  }
  if (keyword == "ENUM" || keyword == "SET") {
    column.type = keyword == "ENUM" ? ColumnType::kEnum : ColumnType::kSet;
    auto labels = ParseLabels(cursor);
    if (!labels.ok()) return labels.status();
    column.labels = std::move(labels).value();
    definition.type_sql = cursor.Text(type_token, cursor.position());
    return Status::Ok();
  }
  if (keyword == "JSON") {
    column.type = ColumnType::kJson;
    definition.type_sql = cursor.Text(type_token, cursor.position());
    return Status::Ok();
  }
  for (std::string_view geometry : kGeometryTypes) {
    if (keyword == geometry) {
      column.type = ColumnType::kGeometry;
      column.geometry_type = *GeometryTypeFromName(geometry);
      definition.type_sql = cursor.Text(type_token, cursor.position());
      return Status::Ok();
    }
  }
  // MariaDB 10.7+ / 10.10+ types, as the binary values their rows carry (see ddl_parser.h).
  if (keyword == "UUID" || keyword == "INET6" || keyword == "INET4") {
    column.type = ColumnType::kBinary;
    column.length = keyword == "INET4" ? 4 : 16;
    column.fixed_binary = keyword == "UUID"    ? FixedBinaryType::kUuid
                          : keyword == "INET4" ? FixedBinaryType::kInet4
                                               : FixedBinaryType::kInet6;
    definition.type_sql = cursor.Text(type_token, cursor.position());
    return Status::Ok();
  }

  bool known = keyword == "CHAR";
  if (known) column.type = ColumnType::kChar;
  for (const TypeName& simple : kSimpleTypes) {
    if (keyword == simple.name) {
      column.type = simple.type;
      known = true;
      break;
    }
  }
  if (!known) return cursor.ErrorAt(type_token, "expected a data type");

  const size_t arguments_token = cursor.position();
  auto arguments = ParseTypeArguments(cursor);
  if (!arguments.ok()) return arguments.status();
  const uint64_t n = arguments->first;
  switch (column.type) {
    case ColumnType::kFloat:
      // FLOAT(p): single precision up to 24 bits, double above.
      if (arguments->present && !arguments->second && n > 24) column.type = ColumnType::kDouble;
      CDC_RETURN_IF_ERROR(CheckRange(cursor, arguments_token, n, 255, "FLOAT precision"));
      break;
    case ColumnType::kDecimal:
      column.precision = 10;
      if (arguments->present) {
        CDC_RETURN_IF_ERROR(CheckRange(cursor, arguments_token, n, 65, "DECIMAL precision"));
        CDC_RETURN_IF_ERROR(CheckRange(cursor, arguments_token, arguments->second.value_or(0), 38,
                                       "DECIMAL scale"));
        column.precision = static_cast<uint8_t>(n);
        column.scale = static_cast<uint8_t>(arguments->second.value_or(0));
      }
      break;
    case ColumnType::kBit:
      CDC_RETURN_IF_ERROR(CheckRange(cursor, arguments_token, n, 64, "BIT length"));
      column.length = arguments->present ? static_cast<uint32_t>(n) : 1;
      break;
    case ColumnType::kTime:
    case ColumnType::kDateTime:
    case ColumnType::kTimestamp:
      CDC_RETURN_IF_ERROR(
          CheckRange(cursor, arguments_token, n, 6, "fractional seconds precision"));
      column.fsp = static_cast<uint8_t>(n);
      break;
    case ColumnType::kChar:
    case ColumnType::kBinary:
      CDC_RETURN_IF_ERROR(CheckRange(cursor, arguments_token, n, 255, "length"));
      column.length = arguments->present ? static_cast<uint32_t>(n) : 1;
      break;
    case ColumnType::kVarChar:
    case ColumnType::kVarBinary:
      if (!arguments->present) return cursor.ErrorAt(arguments_token, "expected a (length)");
      CDC_RETURN_IF_ERROR(CheckRange(cursor, arguments_token, n, 65535, "length"));
      column.length = static_cast<uint32_t>(n);
      break;
    case ColumnType::kText:
    case ColumnType::kBlob:
      CDC_RETURN_IF_ERROR(CheckRange(cursor, arguments_token, n, 4294967295, "length"));
      definition.text_length = static_cast<uint32_t>(n);
      break;
    default: break;  // display widths (INT(11), YEAR(4)) and DOUBLE(M,D) change no value
  }
  // CHAR(n) BYTE is BINARY(n).
  if (column.type == ColumnType::kChar && cursor.AcceptKeyword("BYTE")) {
    column.type = ColumnType::kBinary;
  }
  while (true) {
    if (cursor.AcceptKeyword("UNSIGNED") || cursor.AcceptKeyword("ZEROFILL")) {
      column.is_unsigned = true;  // ZEROFILL implies UNSIGNED
    } else if (!cursor.AcceptKeyword("SIGNED")) {
      break;
    }
  }
  definition.type_sql = cursor.Text(type_token, cursor.position());
  if (keyword == "BOOL" || keyword == "BOOLEAN") column.is_unsigned = false;
  return Status::Ok();
}

}  // namespace cdc
