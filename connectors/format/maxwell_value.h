// MaxwellValue: one column value as Maxwell's JSON types it, both ways. The rules and their
// sources are listed in maxwell_encoder.h.
//
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>

#include "connectors/format/json_document.h"
#include "schema/column_schema.h"
#include "schema/value.h"

namespace cdc {

// Appends `value` of `column` as a JSON value (a number, a string, an array, an embedded
// document or null). `scratch` is reused text space.
void AppendMaxwellValue(const Value& value, const ColumnSchema& column, std::string& scratch,
                        std::string& out);

// The value of `column` that JSON `node` stands for, or nullopt when it is not one (wrong JSON
// type, out of the column's range, not its text form).
std::optional<Value> ReadMaxwellValue(const JsonNode& node, const ColumnSchema& column);

}  // namespace cdc
