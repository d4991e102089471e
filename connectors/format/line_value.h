// LineValue: reading back one column value as the line format writes it (Value::ToString):
// the column's schema says which of the Value kinds the text stands for, since the text alone
// does not (5 is an INT or an INT UNSIGNED, '2024-01-02' a DATE or a string).
//
// What the text does not carry is taken from the column: a string's collation id (the number of
// the column's collation, CollationIdByName; 0 for a collation it does not know) and the
// fractional-seconds precision of TIME, DATETIME and TIMESTAMP values. An ENUM's index and a
// SET's member bits are found from their labels among the column's. A GEOMETRY cannot be read:
// the line has its SRID and size, not its WKB. A NaN FLOAT or DOUBLE reads back as a NaN of the
// written sign without its payload bits (MySQL stores no NaN).
//
// Pure functions; thread-safe.
#pragma once

#include <string_view>

#include "runtime/status.h"
#include "schema/column_schema.h"
#include "schema/value.h"

namespace cdc {

// Reads the value at the front of `text` as a value of `column` and advances `text` past it, to
// the ' ', "->" or end that follows. Errors (InvalidArgument) name the column, its type and the
// text; `text` is then unspecified.
Result<Value> ReadLineValue(std::string_view& text, const ColumnSchema& column);

}  // namespace cdc
