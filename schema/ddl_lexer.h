// DdlLexer: splits the text of a MySQL / MariaDB statement into tokens for the DDL parser.
//
// Words (keywords and unquoted identifiers, any byte >= 0x80 included), `backtick` identifiers
// (`` for a backtick), 'single' and "double" quoted strings (backslash escapes and doubled
// quotes; adjacent strings of one quote kind concatenated), numbers (12, 1.5e3, 0x1F, x'1F',
// b'01'), operators and punctuation. Comments are dropped: "-- " and "#" to the end of the
// line, /* ... */. The content of MySQL's executable comments /*!50100 ... */ and MariaDB's
// /*M!100301 ... */ is read as part of the statement; the version number is dropped.
//
// Stateless functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/status.h"

namespace cdc {

enum class DdlTokenKind : uint8_t {
  kWord,              // a keyword or an unquoted identifier
  kQuotedIdentifier,  // `name`
  kString,            // 'text' or "text"
  kNumber,            // 12, 1.5, 1e3, 0x1F, x'1F', b'01', 0b01
  kOperator,          // ( ) , . ; = and the other punctuation, one token per operator
  kEnd,               // after the last token
};

struct DdlToken {
  DdlTokenKind kind = DdlTokenKind::kEnd;
  // kWord and kNumber as written; kQuotedIdentifier and kString unquoted and unescaped;
  // kOperator the operator ("(", "<=", ...); kEnd empty.
  std::string text;
  size_t offset = 0;           // byte offset of the token's first byte in the statement
  size_t end = 0;              // byte offset one past its last byte
  bool double_quoted = false;  // a kString written "like this" (an identifier in ANSI_QUOTES)

  // True for a kWord equal to `keyword` ignoring ASCII case; `keyword` is upper case.
  bool IsKeyword(std::string_view keyword) const;
  // True for a kOperator equal to `op`.
  bool IsOperator(std::string_view op) const;
};

// The tokens of `sql`, ending with one kEnd token at sql.size(). InvalidArgument, naming the
// byte offset, for an unterminated string, quoted identifier or comment.
Result<std::vector<DdlToken>> TokenizeDdl(std::string_view sql);

// As TokenizeDdl, but stops quietly at a lexing error: the tokens before it, then kEnd. Enough
// to tell what kind of statement a malformed text is.
std::vector<DdlToken> TokenizeDdlLeniently(std::string_view sql);

}  // namespace cdc
