#include "schema/ddl_token_cursor.h"

#include <algorithm>
#include <charconv>
#include <utility>

#include <fmt/format.h>

namespace cdc {

DdlTokenCursor::DdlTokenCursor(std::string_view sql, std::vector<DdlToken> tokens)
    : sql_(sql), tokens_(std::move(tokens)) {
  if (tokens_.empty() || tokens_.back().kind != DdlTokenKind::kEnd) {
    DdlToken end;
    end.offset = end.end = sql.size();
    tokens_.push_back(std::move(end));
  }
}

const DdlToken& DdlTokenCursor::Peek(size_t ahead) const {
  const size_t index = pos_ + ahead;
  return index < tokens_.size() ? tokens_[index] : tokens_.back();
}

const DdlToken& DdlTokenCursor::Next() {
  const DdlToken& token = Peek();
  if (pos_ + 1 < tokens_.size()) ++pos_;
  return token;
}

bool DdlTokenCursor::IsKeywords(std::initializer_list<std::string_view> keywords) const {
  size_t ahead = 0;
  for (std::string_view keyword : keywords) {
    if (!IsKeyword(keyword, ahead++)) return false;
  }
  return true;
}

bool DdlTokenCursor::AcceptKeyword(std::string_view keyword) {
  if (!IsKeyword(keyword)) return false;
  Next();
  return true;
}

bool DdlTokenCursor::AcceptKeywords(std::initializer_list<std::string_view> keywords) {
  if (!IsKeywords(keywords)) return false;
  pos_ += keywords.size();
  return true;
}

bool DdlTokenCursor::AcceptOperator(std::string_view op) {
  if (!IsOperator(op)) return false;
  Next();
  return true;
}

Status DdlTokenCursor::ExpectKeyword(std::string_view keyword) {
  if (AcceptKeyword(keyword)) return Status::Ok();
  return Error(keyword);
}

Status DdlTokenCursor::ExpectOperator(std::string_view op) {
  if (AcceptOperator(op)) return Status::Ok();
  return Error(fmt::format("'{}'", op));
}

Result<std::string> DdlTokenCursor::ExpectIdentifier(std::string_view what) {
  const DdlToken& token = Peek();
  if (token.kind == DdlTokenKind::kWord || token.kind == DdlTokenKind::kQuotedIdentifier ||
      (token.kind == DdlTokenKind::kString && token.double_quoted)) {
    return Next().text;
  }
  return Error(what);
}

Result<TableId> DdlTokenCursor::ExpectTableId(std::string_view current_database) {
  const size_t first = pos_;
  auto name = ExpectIdentifier("a table name");
  if (!name.ok()) return name.status();
  if (AcceptOperator(".")) {
    auto table = ExpectIdentifier("a table name after the database name");
    if (!table.ok()) return table.status();
    return TableId{std::move(name).value(), std::move(table).value()};
  }
  if (current_database.empty()) {
    return ErrorAt(first, fmt::format("table '{}' is not qualified by a database and the "
                                      "statement has no current database",
                                      *name));
  }
  return TableId{std::string(current_database), std::move(name).value()};
}

Result<std::string> DdlTokenCursor::ExpectString(std::string_view what) {
  if (Peek().kind == DdlTokenKind::kString) return Next().text;
  return Error(what);
}

Result<uint64_t> DdlTokenCursor::ExpectNumber(std::string_view what) {
  const DdlToken& token = Peek();
  uint64_t value = 0;
  if (token.kind == DdlTokenKind::kNumber) {
    const char* begin = token.text.data();
    const char* end = begin + token.text.size();
    auto [ptr, error] = std::from_chars(begin, end, value);
    if (error == std::errc() && ptr == end) {
      Next();
      return value;
    }
  }
  return Error(what);
}

Result<std::string> DdlTokenCursor::ExpectName(std::string_view what) {
  const DdlToken& token = Peek();
  if (token.kind == DdlTokenKind::kWord || token.kind == DdlTokenKind::kQuotedIdentifier ||
      token.kind == DdlTokenKind::kString) {
    return Next().text;
  }
  return Error(what);
}

Status DdlTokenCursor::SkipParenthesised() {
  const size_t open = pos_;
  CDC_RETURN_IF_ERROR(ExpectOperator("("));
  int depth = 1;
  while (depth > 0) {
    const DdlToken& token = Next();
    if (token.kind == DdlTokenKind::kEnd) return ErrorAt(open, "this '(' is never closed");
    if (token.IsOperator("(")) ++depth;
    if (token.IsOperator(")")) --depth;
  }
  return Status::Ok();
}

void DdlTokenCursor::SkipToClauseEnd() {
  int depth = 0;
  while (!AtEnd()) {
    const DdlToken& token = Peek();
    if (depth == 0 && (token.IsOperator(",") || token.IsOperator(")") || token.IsOperator(";"))) {
      return;
    }
    if (token.IsOperator("(")) ++depth;
    if (token.IsOperator(")")) --depth;
    Next();
  }
}

std::string DdlTokenCursor::Text(size_t first, size_t last) const {
  std::string text;
  for (size_t i = first; i < last && i < tokens_.size(); ++i) {
    const DdlToken& token = tokens_[i];
    if (token.kind == DdlTokenKind::kEnd) break;
    if (i > first && token.offset > tokens_[i - 1].end) text.push_back(' ');
    text.append(sql_.substr(token.offset, token.end - token.offset));
  }
  return text;
}

Status DdlTokenCursor::Error(std::string_view expected) const {
  return ErrorAt(pos_, fmt::format("expected {}", expected));
}

Status DdlTokenCursor::ErrorAt(size_t token_index, std::string_view problem) const {
  const DdlToken& token = token_index < tokens_.size() ? tokens_[token_index] : tokens_.back();
  std::string near =
      token.kind == DdlTokenKind::kEnd
          ? std::string("the end of the statement")
          : fmt::format("'{}'",
                        sql_.substr(token.offset, std::min<size_t>(token.end - token.offset, 40)));
  return Status::InvalidArgument(
      fmt::format("cannot parse DDL at byte {} near {}: {}; statement: {}", token.offset, near,
                  problem, QuoteStatement(sql_)));
}

std::string QuoteStatement(std::string_view sql) {
  constexpr size_t kMaxBytes = 200;
  if (sql.size() <= kMaxBytes) return fmt::format("\"{}\"", sql);
  size_t cut = kMaxBytes;
  // Never cut inside a UTF-8 character.
  while (cut > 0 && (static_cast<unsigned char>(sql[cut]) & 0xC0) == 0x80) --cut;
  return fmt::format("\"{}...\"", sql.substr(0, cut));
}

}  // namespace cdc
