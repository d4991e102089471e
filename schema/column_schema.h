// ColumnSchema: one column of a table as MySQL declares it: name, type, signedness,
// nullability, length / precision / scale / fractional seconds, collation, ENUM/SET labels,
// and the attributes a copy of the table needs: default, ON UPDATE and comment.
// Immutable value type.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "schema/collation.h"
#include "schema/value.h"

namespace cdc {

enum class ColumnType : uint8_t {
  kTinyInt,
  kSmallInt,
  kMediumInt,
  kInt,
  kBigInt,
  kFloat,
  kDouble,
  kDecimal,
  kBit,
  kYear,
  kDate,
  kTime,
  kDateTime,
  kTimestamp,
  kChar,
  kVarChar,
  kTinyText,
  kText,
  kMediumText,
  kLongText,
  kBinary,
  kVarBinary,
  kTinyBlob,
  kBlob,
  kMediumBlob,
  kLongBlob,
  kEnum,
  kSet,
  kJson,
  kGeometry,
};

// MariaDB's types whose values are fixed-length binary strings (10.7+ / 10.10+): the binlog
// logs them as BINARY(n), and their bytes are the value in the order of its text form (a UUID's
// 16 bytes as written, INET6's 16 and INET4's 4 bytes in network order). A column of such a type
// is ColumnType::kBinary of that length, and names its type here.
enum class FixedBinaryType : uint8_t { kNone, kUuid, kInet4, kInet6 };

// GEOMETRY and its subtypes: one kind of value (ColumnType::kGeometry), each a type of its own
// in CREATE TABLE.
enum class GeometryType : uint8_t {
  kGeometry,
  kPoint,
  kLineString,
  kPolygon,
  kMultiPoint,
  kMultiLineString,
  kMultiPolygon,
  kGeometryCollection,
};

// The GeometryType of a lower- or upper-case type name ("point", "GEOMCOLLECTION"), if it is one.
std::optional<GeometryType> GeometryTypeFromName(std::string_view name);

// "bigint", "varchar", ...: MySQL's lower-case type keyword.
const char* ColumnTypeName(ColumnType type);

// True for the character types (CHAR, VARCHAR, *TEXT) whose values carry a collation.
bool IsTextType(ColumnType type);

struct ColumnSchema {
  std::string name;
  ColumnType type = ColumnType::kInt;
  bool is_unsigned = false;
  bool nullable = true;
  uint32_t length = 0;              // CHAR/VARCHAR characters, BINARY/VARBINARY bytes, BIT bits
  uint8_t precision = 0;            // DECIMAL total digits (1..65)
  uint8_t scale = 0;                // DECIMAL digits after the point (0..30)
  uint8_t fsp = 0;                  // TIME / DATETIME / TIMESTAMP fractional digits (0..6)
  std::string collation;            // text columns: "utf8mb4_general_ci"; empty otherwise
  std::vector<std::string> labels;  // ENUM / SET members in declaration order
  FixedBinaryType fixed_binary = FixedBinaryType::kNone;  // kBinary columns: UUID, INET4, INET6
  GeometryType geometry_type = GeometryType::kGeometry;   // kGeometry columns: POINT, ...

  // The column's DEFAULT as SQL the server reads back as the same default: a literal ("5",
  // "'x'", "b'101'") or an expression ("current_timestamp(6)", "(1 + 2)", "uuid()"). Empty for
  // DEFAULT NULL and for no DEFAULT, which are one thing: a nullable column defaults to NULL, a
  // NOT NULL one has no default. Generated columns have none.
  std::optional<std::string> default_value{};
  std::optional<std::string> on_update{};  // ON UPDATE expression: "current_timestamp(6)"
  std::string comment{};                   // COMMENT, unquoted; empty when none

  // The native MySQL type as it appears in CREATE TABLE, without nullability:
  // "bigint(20) unsigned" is written "bigint unsigned", "varchar(64)", "decimal(65,30)",
  // "datetime(6)", "enum('a','b')", "bit(64)", "char(10)", "uuid", "point". Collation is not
  // included.
  std::string SqlType() const;

  // The ValueKind a non-NULL value of this column has.
  ValueKind value_kind() const;

  friend bool operator==(const ColumnSchema&, const ColumnSchema&) = default;
};

}  // namespace cdc
