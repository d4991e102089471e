// CharacterSet: what a MySQL / MariaDB character set means for a column's schema: its default
// collation, its longest character in bytes, the character set a collation belongs to, and the
// canonical spelling of character set and collation names ("utf8" is "utf8mb3", as MariaDB
// 10.6+ and MySQL 8.0.30+ report it).
//
// Default collations are MariaDB 10.11's (utf8mb4 -> utf8mb4_general_ci). MySQL 8 defaults
// utf8mb4 to utf8mb4_0900_ai_ci: a statement that names only CHARACTER SET utf8mb4 resolves to
// utf8mb4_general_ci here either way.
//
// Stateless functions over constant tables; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace cdc {

// Lower case; "utf8" becomes "utf8mb3".
std::string CanonicalCharsetName(std::string_view charset);

// Lower case; the "utf8_" prefix becomes "utf8mb3_" ("utf8_general_ci" -> "utf8mb3_general_ci").
std::string CanonicalCollationName(std::string_view collation);

// The collation a column of `charset` gets when it names no collation ("latin1" ->
// "latin1_swedish_ci", "binary" -> "binary"); empty when the character set is not known.
// `charset` may be in any case and may be spelled "utf8".
std::string DefaultCollationOfCharset(std::string_view charset);

// The character set `collation` belongs to: "utf8mb4_unicode_ci" -> "utf8mb4", "binary" ->
// "binary", "utf8_bin" -> "utf8mb3".
std::string CharsetOfCollation(std::string_view collation);

// The collation that compares `charset`'s bytes exactly: "utf8mb4" -> "utf8mb4_bin", "binary"
// -> "binary". This is what the column attribute BINARY (CHAR(10) BINARY) selects.
std::string BinCollationOfCharset(std::string_view charset);

// Bytes in the longest character of `charset` (utf8mb4 4, utf8mb3 3, ucs2 2, latin1 1, ...);
// 1 for character sets not known.
uint32_t MaxBytesPerCharacter(std::string_view charset);

}  // namespace cdc
