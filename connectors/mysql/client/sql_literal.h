// SQL literals: a Value written as MySQL text that the server parses back to exactly the same
// value for the column's type: integers to 64 bits unsigned, FLOAT and DOUBLE by their
// shortest round-trip decimal text, DECIMAL as its digits, BIT as b'...', temporal values with
// their microseconds (TIMESTAMP as UTC, for a session at time_zone '+00:00'), text escaped in
// quotes, binary as x'...', ENUM and SET by label, JSON as text, GEOMETRY through
// ST_GeomFromWKB with its SRID, NULL. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "runtime/status.h"
#include "schema/value.h"

namespace cdc {

// Appends `value` as a literal to `sql`. InvalidArgument for values MySQL cannot store
// (NaN or infinite FLOAT/DOUBLE), naming the value.
Status AppendSqlLiteral(const Value& value, std::string& sql);

// The character set a kString value's text is written in when it is not utf8 (the session's
// utf8mb4 reads utf8mb3 as is): "latin1" for a latin1 collation, empty for utf8 ones. Such
// text travels with an introducer (_latin1'...') so the server converts, never the client.
std::string_view NonUtf8Charset(const Value& text);

// Appends `text` between single quotes, escaping quote, backslash, NUL, newline, carriage
// return and Ctrl-Z, so it survives any sql_mode (NO_BACKSLASH_ESCAPES aside).
void AppendQuoted(std::string_view text, std::string& sql);

// Appends an identifier in backticks, doubling backticks inside it.
void AppendIdentifier(std::string_view name, std::string& sql);

}  // namespace cdc
