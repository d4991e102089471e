// The Value of a column from its text in a query result (MySQL's text protocol), exactly as
// the binlog decoder would produce it: integers with signedness, FLOAT / DOUBLE round-tripped,
// canonical DECIMAL text, BIT bytes, zero dates, negative TIME with fractions, TIMESTAMP read
// in a UTC session, text in the column's own character set (the session must not convert
// results: character_set_results = NULL), BINARY with its padding, ENUM / SET labels mapped to
// their index and bitmask, GEOMETRY's SRID and WKB. Pure function; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "runtime/status.h"
#include "schema/column_schema.h"

namespace cdc {

// The select-list expression that reads `column` exactly in the text protocol: the column
// itself, except FLOAT, whose text has only 6 significant digits: CAST(... AS DOUBLE) is exact
// and ParseMysqlText narrows it back; and UUID, INET4 and INET6, read as their bytes with
// CAST(... AS BINARY(n)) (what the binlog carries for them).
std::string ExactSelectExpression(const ColumnSchema& column);

// `text` is nullopt for NULL. InvalidArgument naming the column when the text is not a value
// of its type.
Result<Value> ParseMysqlText(const ColumnSchema& column, std::optional<std::string_view> text);

}  // namespace cdc
