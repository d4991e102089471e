// MySQL's binary JSON: the form MySQL 5.7+ stores a JSON column in and writes into ROW binlog
// events (column type 245, MYSQL_TYPE_JSON), decoded to the JSON text MySQL itself prints for
// `SELECT json_col`.
//
// The format (MySQL sql-common/json_binary.h, WL#8132) is a type byte and a value. An object or
// array has a small form (2-byte counts, sizes and offsets) and a large one (4-byte): element
// count, size in bytes, then for an object one key entry (offset, 2-byte length) per member,
// then one value entry (type, offset or inlined value) per element. Offsets count from the
// byte after the container's type byte. Literals and 16-bit integers, and in the large form
// 32-bit ones, are inlined into their entry. A string is a length in 7-bit groups (low group
// first, high bit = more follows) and UTF-8 bytes. An OPAQUE value is a MySQL field type, a
// length and bytes: DECIMAL (precision, scale, binary decimal), DATE/TIME/DATETIME/TIMESTAMP
// (8-byte packed temporal), or any other type.
//
// The text follows MySQL's Json_wrapper::to_string (sql-common/json_dom.cc): separators ", "
// and ": "; object members in stored order (MySQL stores keys sorted by length, then bytes);
// strings with `"` `\` \b \f \n \r \t escaped and other bytes below 0x20 as \u00XX, everything
// else, UTF-8 included, passed through; integers in full; doubles as MySQL's my_gcvt prints
// them, with the shortest digits that round-trip ("1.5", "100.0", "-0.0", "0.00000015",
// "1e-16", "1e100"); DECIMAL with its scale ("3.10"); DATE as "2015-01-15", DATETIME and
// TIMESTAMP as "2015-01-15 23:24:25.000000", TIME as "-12:00:01.500000"; VAR_STRING opaques
// as strings; any other opaque as "base64:type<N>:<base64>" with MySQL's line break after
// every 76 base64 characters.
//
// Pure function; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "runtime/status.h"

namespace cdc {

// Converts one binary JSON value, the bytes after the column's length prefix, to JSON text.
// An empty value is JSON null, as MySQL reads it (json_binary::parse_binary: NULL inserted into
// a NOT NULL JSON column with IGNORE or a non-strict sql_mode stores zero bytes). Bytes after a
// complete top-level value are ignored, as MySQL ignores them.
// InvalidArgument naming what is malformed and its byte offset when the value is truncated,
// an offset or size points outside its container, a type or literal byte is unknown, a
// DECIMAL or temporal opaque is not a valid one, a double is NaN or infinite, containers nest
// deeper than 100 levels (MySQL's JSON_DOCUMENT_MAX_DEPTH), or values overlap so that the text
// would grow past 16 bytes per input byte (no document MySQL writes comes close).
Result<std::string> MysqlBinaryJsonToText(std::string_view bytes);

}  // namespace cdc
