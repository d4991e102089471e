// CanalJsonValue: one column as canal-json carries it: its value as a JSON string (or null),
// its java.sql.Types code (`sqlType`) and its type name (`mysqlType`), both ways. The rules and
// their sources are listed in canal_json_encoder.h.
//
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "schema/column_schema.h"
#include "schema/value.h"

namespace cdc {

// Appends `value` of `column` as a JSON string literal, or null. `scratch` is reused text space
// (its contents are replaced), so that a message costs no allocation per field.
void AppendCanalJsonValue(const Value& value, const ColumnSchema& column, std::string& scratch,
                          std::string& out);

// The java.sql.Types code TiCDC writes for `column` holding `value` (unsigned integers above the
// signed range move up one type).
int CanalJavaSqlType(const ColumnSchema& column, const Value& value);

// "int unsigned", "varchar", "decimal": the type name without parameters.
void AppendCanalMysqlType(const ColumnSchema& column, std::string& out);

// The value of `column` that canal-json text `text` stands for (written by this encoder, by
// TiCDC or by Canal), or nullopt when it is not one: a number out of the column type's range, a
// DECIMAL with more digits than the column's, an ENUM index or SET bit beyond its labels, text
// not in the type's form. ENUM and SET accept labels too (a digit string is read as an index
// or bitmask first).
std::optional<Value> ReadCanalJsonValue(std::string_view text, const ColumnSchema& column);

}  // namespace cdc
