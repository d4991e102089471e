// DdlTokenCursor: a reading position in one statement's tokens, with the look-ahead, matching
// and error reporting the DDL parser needs. Errors are InvalidArgument and quote the statement
// (cut to 200 bytes), the byte offset and the token where parsing stopped.
//
// Thread-bound: one parse of one statement.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/status.h"
#include "schema/ddl_lexer.h"
#include "schema/table_id.h"

namespace cdc {

class DdlTokenCursor {
 public:
  // `tokens` end with a kEnd token (TokenizeDdl's output); `sql` is the text they come from.
  DdlTokenCursor(std::string_view sql, std::vector<DdlToken> tokens);

  // The token `ahead` tokens after the current one; kEnd past the end.
  const DdlToken& Peek(size_t ahead = 0) const;
  // The current token; moves past it (never past kEnd).
  const DdlToken& Next();
  bool AtEnd() const { return Peek().kind == DdlTokenKind::kEnd; }
  // Index of the current token, for Text() and Rewind().
  size_t position() const { return pos_; }
  void Rewind(size_t position) { pos_ = position; }

  bool IsKeyword(std::string_view keyword, size_t ahead = 0) const {
    return Peek(ahead).IsKeyword(keyword);
  }
  bool IsOperator(std::string_view op, size_t ahead = 0) const {
    return Peek(ahead).IsOperator(op);
  }
  // True when the next tokens are `keywords`, in order.
  bool IsKeywords(std::initializer_list<std::string_view> keywords) const;
  // Consume the matching token(s) and return true, or consume nothing and return false.
  bool AcceptKeyword(std::string_view keyword);
  bool AcceptKeywords(std::initializer_list<std::string_view> keywords);
  bool AcceptOperator(std::string_view op);

  // Consume the expected token, or fail with "expected <what>".
  Status ExpectKeyword(std::string_view keyword);
  Status ExpectOperator(std::string_view op);
  // An identifier: a word, a `quoted` name, or a "double quoted" one (ANSI_QUOTES; without it
  // the server rejects such a statement, so it never reaches the binlog).
  Result<std::string> ExpectIdentifier(std::string_view what);
  // db.t or t; t takes `current_database`, and fails when that is empty.
  Result<TableId> ExpectTableId(std::string_view current_database);
  Result<std::string> ExpectString(std::string_view what);
  Result<uint64_t> ExpectNumber(std::string_view what);
  // A name that may be a word, a quoted identifier or a string: charset and engine names.
  Result<std::string> ExpectName(std::string_view what);

  // At "(": skips to after the matching ")".
  Status SkipParenthesised();
  // Skips tokens up to, not including, a "," outside parentheses, a ")" closing an enclosing
  // parenthesis, ";" or the end.
  void SkipToClauseEnd();

  // The statement's text of tokens [first, last): their source bytes, joined by one space where
  // the statement had white space or a comment between them.
  std::string Text(size_t first, size_t last) const;

  // InvalidArgument: "cannot parse DDL at byte N near 'token': expected <what>; statement: ...".
  Status Error(std::string_view expected) const;
  Status ErrorAt(size_t token, std::string_view problem) const;

 private:
  std::string_view sql_;
  std::vector<DdlToken> tokens_;
  size_t pos_ = 0;
};

// The statement quoted for an error message: at most 200 bytes, "..." marking a cut.
std::string QuoteStatement(std::string_view sql);

}  // namespace cdc
