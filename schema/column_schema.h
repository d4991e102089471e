// ColumnSchema: one column of a table as MySQL declares it: name, type, signedness,
// nullability, length / precision / scale / fractional seconds, collation and ENUM/SET labels.
// Immutable value type.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "schema/collation.h"
#include "schema/value.h"

namespace cdc {

enum class ColumnType : uint8_t {
  kTinyInt, kSmallInt, kMediumInt, kInt, kBigInt,
  kFloat, kDouble, kDecimal,
  kBit, kYear, kDate, kTime, kDateTime, kTimestamp,
  kChar, kVarChar, kTinyText, kText, kMediumText, kLongText,
  kBinary, kVarBinary, kTinyBlob, kBlob, kMediumBlob, kLongBlob,
  kEnum, kSet, kJson, kGeometry,
};

// "bigint", "varchar", ...: MySQL's lower-case type keyword.
const char* ColumnTypeName(ColumnType type);

// True for the character types (CHAR, VARCHAR, *TEXT) whose values carry a collation.
bool IsTextType(ColumnType type);

struct ColumnSchema {
  std::string name;
  ColumnType type = ColumnType::kInt;
  bool is_unsigned = false;
  bool nullable = true;
  uint32_t length = 0;      // CHAR/VARCHAR characters, BINARY/VARBINARY bytes, BIT bits
  uint8_t precision = 0;    // DECIMAL total digits (1..65)
  uint8_t scale = 0;        // DECIMAL digits after the point (0..30)
  uint8_t fsp = 0;          // TIME / DATETIME / TIMESTAMP fractional digits (0..6)
  std::string collation;    // text columns: "utf8mb4_general_ci"; empty otherwise
  std::vector<std::string> labels;  // ENUM / SET members in declaration order

  // The native MySQL type as it appears in CREATE TABLE, without nullability:
  // "bigint(20) unsigned" is written "bigint unsigned", "varchar(64)", "decimal(65,30)",
  // "datetime(6)", "enum('a','b')", "bit(64)", "char(10)". Collation is not included.
  std::string SqlType() const;

  // The ValueKind a non-NULL value of this column has.
  ValueKind value_kind() const;

  friend bool operator==(const ColumnSchema&, const ColumnSchema&) = default;
};

}  // namespace cdc
