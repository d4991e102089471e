#include "schema/ddl_lexer.h"

#include <array>

#include <fmt/format.h>

#include "runtime/ascii.h"

namespace cdc {

namespace {

bool IsHexDigit(char c) {
  return IsAsciiDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Bytes of unquoted identifiers: MySQL allows [0-9a-zA-Z$_] and every non-ASCII character.
bool IsWordByte(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return IsAsciiDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         c == '$' || byte >= 0x80;
}

constexpr std::array<std::string_view, 3> kThreeByteOperators = {"<=>", "->>", "..."};
constexpr std::array<std::string_view, 11> kTwoByteOperators = {"<=", ">=", "<>", "!=", ":=", "||",
                                                                "&&", "<<", ">>", "->", "@@"};

class DdlLexer {
 public:
  explicit DdlLexer(std::string_view sql) : sql_(sql) {}

  // Lexes the whole text; stops at the first error, which status() then holds.
  void Run() {
    while (status_.ok()) {
      SkipSpaceAndComments();
      if (!status_.ok() || pos_ >= sql_.size()) break;
      LexToken();
    }
    if (status_.ok() && in_executable_comment_) {
      status_ = Error(executable_comment_start_, "an executable comment /*! is not closed by */");
    }
    DdlToken end;
    end.offset = end.end = sql_.size();
    tokens_.push_back(std::move(end));
  }

  const Status& status() const { return status_; }
  std::vector<DdlToken>& tokens() { return tokens_; }

 private:
  Status Error(size_t offset, std::string_view what) const {
    return Status::InvalidArgument(
        fmt::format("cannot tokenize the statement: {} (byte {})", what, offset));
  }

  char At(size_t pos) const { return pos < sql_.size() ? sql_[pos] : '\0'; }

  void SkipSpaceAndComments() {
    while (pos_ < sql_.size()) {
      const char c = sql_[pos_];
      if (IsSpace(c)) {
        ++pos_;
      } else if (c == '#' || (c == '-' && At(pos_ + 1) == '-' &&
                              (pos_ + 2 >= sql_.size() || IsSpace(At(pos_ + 2)) ||
                               static_cast<unsigned char>(At(pos_ + 2)) < 0x20))) {
        const size_t newline = sql_.find('\n', pos_);
        pos_ = newline == std::string_view::npos ? sql_.size() : newline + 1;
      } else if (c == '/' && At(pos_ + 1) == '*') {
        if (!SkipBlockComment()) return;
      } else if (c == '*' && At(pos_ + 1) == '/' && in_executable_comment_) {
        in_executable_comment_ = false;
        pos_ += 2;
      } else {
        return;
      }
    }
  }

  // At "/*": skips a comment, or enters an executable comment, whose content is lexed.
  bool SkipBlockComment() {
    const size_t start = pos_;
    size_t body = pos_ + 2;
    const bool mysql_executable = At(body) == '!';
    const bool mariadb_executable = At(body) == 'M' && At(body + 1) == '!';
    if ((mysql_executable || mariadb_executable) && !in_executable_comment_) {
      body += mysql_executable ? 1 : 2;
      while (IsAsciiDigit(At(body))) ++body;  // the version: 50100, 100301
      in_executable_comment_ = true;
      executable_comment_start_ = start;
      pos_ = body;
      return true;
    }
    const size_t close = sql_.find("*/", body);
    if (close == std::string_view::npos) {
      status_ = Error(start, "a comment /* is not closed by */");
      return false;
    }
    pos_ = close + 2;
    return true;
  }

  void LexToken() {
    const char c = sql_[pos_];
    const char next = At(pos_ + 1);
    if (c == '`') {
      LexQuoted(DdlTokenKind::kQuotedIdentifier, '`', pos_);
    } else if (c == '\'' || c == '"') {
      LexQuoted(DdlTokenKind::kString, c, pos_);
    } else if ((c == 'x' || c == 'X' || c == 'b' || c == 'B') && next == '\'') {
      LexBitOrHexString();
    } else if ((c == 'n' || c == 'N') && next == '\'') {
      ++pos_;  // N'text': a national string is a string
      LexQuoted(DdlTokenKind::kString, '\'', pos_ - 1);
    } else if (IsAsciiDigit(c) || (c == '.' && IsAsciiDigit(next) && !AfterName())) {
      LexNumberOrWord();
    } else if (IsWordByte(c)) {
      LexWord(pos_);
    } else {
      LexOperator();
    }
  }

  // True after a name, where "." qualifies it (db.t, t.1col) rather than starting a number.
  bool AfterName() const {
    return !tokens_.empty() &&
           (tokens_.back().kind == DdlTokenKind::kWord ||
            tokens_.back().kind == DdlTokenKind::kQuotedIdentifier) &&
           tokens_.back().end == pos_;
  }

  void Push(DdlTokenKind kind, std::string text, size_t start, bool double_quoted = false) {
    DdlToken token;
    token.kind = kind;
    token.text = std::move(text);
    token.offset = start;
    token.end = pos_;
    token.double_quoted = double_quoted;
    tokens_.push_back(std::move(token));
  }

  void LexWord(size_t start) {
    pos_ = start;
    while (pos_ < sql_.size() && IsWordByte(sql_[pos_])) ++pos_;
    Push(DdlTokenKind::kWord, std::string(sql_.substr(start, pos_ - start)), start);
  }

  // 12, 1.5, 1e-3, 0x1F, 0b01; a run of word bytes that starts with digits but is no number
  // ("1abc") is an identifier.
  void LexNumberOrWord() {
    const size_t start = pos_;
    if (sql_[pos_] == '0' && (At(pos_ + 1) == 'x' || At(pos_ + 1) == 'b') &&
        IsHexDigit(At(pos_ + 2))) {
      pos_ += 2;
      while (IsHexDigit(At(pos_))) ++pos_;
    } else {
      while (IsAsciiDigit(At(pos_))) ++pos_;
      if (At(pos_) == '.' && (IsAsciiDigit(At(pos_ + 1)) || pos_ == start)) {
        ++pos_;
        while (IsAsciiDigit(At(pos_))) ++pos_;
      }
      if ((At(pos_) == 'e' || At(pos_) == 'E') &&
          (IsAsciiDigit(At(pos_ + 1)) ||
           ((At(pos_ + 1) == '+' || At(pos_ + 1) == '-') && IsAsciiDigit(At(pos_ + 2))))) {
        pos_ += 2;
        while (IsAsciiDigit(At(pos_))) ++pos_;
      }
    }
    if (pos_ < sql_.size() && IsWordByte(sql_[pos_]) && sql_[start] != '.') {
      LexWord(start);
      return;
    }
    Push(DdlTokenKind::kNumber, std::string(sql_.substr(start, pos_ - start)), start);
  }

  // x'1F' and b'0101', kept as written.
  void LexBitOrHexString() {
    const size_t start = pos_;
    const size_t close = sql_.find('\'', pos_ + 2);
    if (close == std::string_view::npos) {
      status_ = Error(start, "a quoted literal is not closed");
      return;
    }
    pos_ = close + 1;
    Push(DdlTokenKind::kNumber, std::string(sql_.substr(start, pos_ - start)), start);
  }

  // At a quote: reads up to the matching quote. A doubled quote is one quote; in strings a
  // backslash escapes the next byte as MySQL does (\n, \t, \0, \Z, ...; \% and \_ stay as
  // written, being LIKE patterns).
  void LexQuoted(DdlTokenKind kind, char quote, size_t start) {
    std::string text;
    ++pos_;
    while (true) {
      if (pos_ >= sql_.size()) {
        status_ = Error(start, kind == DdlTokenKind::kString
                                   ? "a string is not closed by its quote"
                                   : "a quoted identifier is not closed by its backtick");
        return;
      }
      const char c = sql_[pos_];
      if (c == quote) {
        if (At(pos_ + 1) == quote) {
          text.push_back(quote);
          pos_ += 2;
          continue;
        }
        ++pos_;
        break;
      }
      if (c == '\\' && kind == DdlTokenKind::kString && pos_ + 1 < sql_.size()) {
        AppendEscaped(sql_[pos_ + 1], text);
        pos_ += 2;
        continue;
      }
      text.push_back(c);
      ++pos_;
    }
    const bool double_quoted = quote == '"';
    if (kind == DdlTokenKind::kString && !tokens_.empty() &&
        tokens_.back().kind == DdlTokenKind::kString &&
        tokens_.back().double_quoted == double_quoted) {
      tokens_.back().text += text;  // 'a' 'b' is 'ab'
      tokens_.back().end = pos_;
      return;
    }
    Push(kind, std::move(text), start, double_quoted);
  }

  static void AppendEscaped(char c, std::string& text) {
    switch (c) {
      case '0': text.push_back('\0'); break;
      case 'b': text.push_back('\b'); break;
      case 'n': text.push_back('\n'); break;
      case 'r': text.push_back('\r'); break;
      case 't': text.push_back('\t'); break;
      case 'Z': text.push_back('\x1A'); break;
      case '%':
      case '_':
        text.push_back('\\');
        text.push_back(c);
        break;
      default: text.push_back(c); break;
    }
  }

  void LexOperator() {
    const size_t start = pos_;
    const std::string_view rest = sql_.substr(pos_);
    for (std::string_view op : kThreeByteOperators) {
      if (rest.starts_with(op)) {
        pos_ += op.size();
        Push(DdlTokenKind::kOperator, std::string(op), start);
        return;
      }
    }
    for (std::string_view op : kTwoByteOperators) {
      if (rest.starts_with(op)) {
        pos_ += op.size();
        Push(DdlTokenKind::kOperator, std::string(op), start);
        return;
      }
    }
    ++pos_;
    Push(DdlTokenKind::kOperator, std::string(1, sql_[start]), start);
  }

  std::string_view sql_;
  size_t pos_ = 0;
  bool in_executable_comment_ = false;
  size_t executable_comment_start_ = 0;
  std::vector<DdlToken> tokens_;
  Status status_;
};

bool EqualsUpper(std::string_view text, std::string_view upper) {
  if (text.size() != upper.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c != upper[i]) return false;
  }
  return true;
}

}  // namespace

bool DdlToken::IsKeyword(std::string_view keyword) const {
  return kind == DdlTokenKind::kWord && EqualsUpper(text, keyword);
}

bool DdlToken::IsOperator(std::string_view op) const {
  return kind == DdlTokenKind::kOperator && text == op;
}

Result<std::vector<DdlToken>> TokenizeDdl(std::string_view sql) {
  DdlLexer lexer(sql);
  lexer.Run();
  if (!lexer.status().ok()) return lexer.status();
  return std::move(lexer.tokens());
}

std::vector<DdlToken> TokenizeDdlLeniently(std::string_view sql) {
  DdlLexer lexer(sql);
  lexer.Run();
  return std::move(lexer.tokens());
}

}  // namespace cdc
