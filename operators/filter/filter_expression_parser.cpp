#include "operators/filter/filter_expression_parser.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "runtime/ascii.h"

namespace cdc::detail {
namespace {

enum class TokenKind : uint8_t { kEnd, kWord, kQuotedName, kNumber, kString, kSymbol };

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;  // the word, the unquoted name or string, the number, the symbol
  size_t begin = 0, end = 0;
};

bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '$' || static_cast<unsigned char>(c) >= 0x80;
}

// Lexes the whole expression into tokens, then parses them by recursive descent (one method
// per precedence level), appending nodes to the program.
class Parser {
 public:
  explicit Parser(FilterProgram& program) : program_(program), text_(program.expression) {}

  Status Run() {
    CDC_RETURN_IF_ERROR(Lex());
    auto root = ParseOr();
    if (!root.ok()) return root.status();
    if (Peek().kind != TokenKind::kEnd) return SyntaxError("an operator or the end");
    program_.root = *root;
    return Status::Ok();
  }

 private:
  Status ErrorAt(size_t offset, std::string_view what) const {
    // Positions count characters, not UTF-8 bytes.
    size_t position = 1;
    for (size_t i = 0; i < offset; ++i) {
      if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++position;
    }
    std::string where = offset < text_.size() ? fmt::format("at position {} near '{}'", position,
                                                            text_.substr(offset, 24))
                                              : std::string("at the end");
    return Status::InvalidArgument(
        fmt::format("filter '{}': syntax error {}: {}", text_, where, what));
  }
  Status SyntaxError(std::string_view expected) const {
    return ErrorAt(Peek().begin, fmt::format("expected {}", expected));
  }

  Status Lex() {
    size_t i = 0;
    while (true) {
      while (i < text_.size() &&
             (text_[i] == ' ' || text_[i] == '\t' || text_[i] == '\n' || text_[i] == '\r')) {
        ++i;
      }
      Token token;
      token.begin = i;
      if (i == text_.size()) {
        token.end = i;
        tokens_.push_back(std::move(token));
        return Status::Ok();
      }
      char c = text_[i];
      if (IsAsciiDigit(c) || (c == '.' && i + 1 < text_.size() && IsAsciiDigit(text_[i + 1]))) {
        token.kind = TokenKind::kNumber;
        while (i < text_.size() && (IsAsciiDigit(text_[i]) || text_[i] == '.')) ++i;
        if (i < text_.size() && (text_[i] == 'e' || text_[i] == 'E')) {
          size_t j = i + 1;
          if (j < text_.size() && (text_[j] == '+' || text_[j] == '-')) ++j;
          if (j < text_.size() && IsAsciiDigit(text_[j])) {
            i = j;
            while (i < text_.size() && IsAsciiDigit(text_[i])) ++i;
          }
        }
        if (i < text_.size() && IsWordChar(text_[i])) return ErrorAt(token.begin, "bad number");
        token.text = text_.substr(token.begin, i - token.begin);
        if (std::count(token.text.begin(), token.text.end(), '.') > 1) {
          return ErrorAt(token.begin, "bad number");
        }
      } else if (IsWordChar(c)) {
        token.kind = TokenKind::kWord;
        while (i < text_.size() && IsWordChar(text_[i])) ++i;
        token.text = text_.substr(token.begin, i - token.begin);
      } else if (c == '`') {
        token.kind = TokenKind::kQuotedName;
        for (++i;; ++i) {
          if (i == text_.size()) return ErrorAt(token.begin, "unterminated `name`");
          if (text_[i] == '`') {
            if (i + 1 < text_.size() && text_[i + 1] == '`') {
              ++i;
            } else {
              break;
            }
          }
          token.text += text_[i];
        }
        ++i;
      } else if (c == '\'') {
        token.kind = TokenKind::kString;
        CDC_RETURN_IF_ERROR(LexString(i, token.text));
      } else if (c == '"') {
        return ErrorAt(i, "text takes 'single quotes'");
      } else {
        token.kind = TokenKind::kSymbol;
        std::string_view two = std::string_view(text_).substr(i, 2);
        if (two == "<>" || two == "!=" || two == "<=" || two == ">=") {
          token.text = std::string(two);
          i += 2;
        } else if (std::string_view("=<>+-*/%(),").find(c) != std::string_view::npos) {
          token.text = std::string(1, c);
          ++i;
        } else {
          return ErrorAt(i, "an operator, a name or a literal");
        }
      }
      token.end = i;
      tokens_.push_back(std::move(token));
    }
  }

  // MySQL's string literal: '' is a quote; backslash escapes \0 \b \n \r \t \Z and any other
  // character stands for itself, except that \% and \_ stay as written for LIKE patterns.
  Status LexString(size_t& i, std::string& out) {
    const size_t begin = i;
    for (++i;; ++i) {
      if (i >= text_.size()) return ErrorAt(begin, "unterminated 'text'");
      char c = text_[i];
      if (c == '\'') {
        if (i + 1 < text_.size() && text_[i + 1] == '\'') {
          out += '\'';
          ++i;
          continue;
        }
        ++i;
        return Status::Ok();
      }
      if (c == '\\' && i + 1 < text_.size()) {
        char e = text_[++i];
        switch (e) {
          case '0': out += '\0'; break;
          case 'b': out += '\b'; break;
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          case 'Z': out += '\x1A'; break;
          case '%':
          case '_':
            out += '\\';
            out += e;
            break;
          default: out += e; break;
        }
        continue;
      }
      out += c;
    }
  }

  const Token& Peek(size_t ahead = 0) const {
    return tokens_[std::min(next_ + ahead, tokens_.size() - 1)];
  }
  bool IsKeyword(const Token& token, std::string_view keyword) const {
    return token.kind == TokenKind::kWord && AsciiLower(token.text) == keyword;
  }
  bool TakeKeyword(std::string_view keyword) {
    if (!IsKeyword(Peek(), keyword)) return false;
    ++next_;
    return true;
  }
  bool TakeSymbol(std::string_view symbol) {
    if (Peek().kind != TokenKind::kSymbol || Peek().text != symbol) return false;
    ++next_;
    return true;
  }

  int32_t Add(FilterNode node, size_t begin) {
    node.begin = begin;
    node.end = tokens_[next_ - 1].end;
    program_.nodes.push_back(std::move(node));
    return static_cast<int32_t>(program_.nodes.size() - 1);
  }
  int32_t AddBinary(NodeKind kind, Op op, int32_t a, int32_t b) {
    FilterNode node;
    node.kind = kind;
    node.op = op;
    node.a = a;
    node.b = b;
    return Add(std::move(node), program_.nodes[a].begin);
  }

  Result<int32_t> ParseOr() {
    auto left = ParseAnd();
    while (left.ok() && TakeKeyword("or")) {
      auto right = ParseAnd();
      if (!right.ok()) return right;
      left = AddBinary(NodeKind::kOr, Op::kNone, *left, *right);
    }
    return left;
  }

  Result<int32_t> ParseAnd() {
    auto left = ParseNot();
    while (left.ok() && TakeKeyword("and")) {
      auto right = ParseNot();
      if (!right.ok()) return right;
      left = AddBinary(NodeKind::kAnd, Op::kNone, *left, *right);
    }
    return left;
  }

  Result<int32_t> ParseNot() {
    size_t begin = Peek().begin;
    if (!TakeKeyword("not")) return ParsePredicate();
    auto operand = ParseNot();
    if (!operand.ok()) return operand;
    FilterNode node;
    node.kind = NodeKind::kNot;
    node.a = *operand;
    return Add(std::move(node), begin);
  }

  std::optional<Op> ComparisonOp() const {
    const Token& token = Peek();
    if (token.kind != TokenKind::kSymbol) return std::nullopt;
    if (token.text == "=") return Op::kEq;
    if (token.text == "<>" || token.text == "!=") return Op::kNe;
    if (token.text == "<") return Op::kLt;
    if (token.text == "<=") return Op::kLe;
    if (token.text == ">") return Op::kGt;
    if (token.text == ">=") return Op::kGe;
    return std::nullopt;
  }

  Result<int32_t> ParsePredicate() {
    auto left = ParseAdditive();
    while (left.ok()) {
      const size_t begin = program_.nodes[*left].begin;
      if (auto op = ComparisonOp()) {
        ++next_;
        auto right = ParseAdditive();
        if (!right.ok()) return right;
        left = AddBinary(NodeKind::kCompare, *op, *left, *right);
        continue;
      }
      FilterNode node;
      node.a = *left;
      if (TakeKeyword("is")) {
        node.kind = NodeKind::kIsNull;
        node.negated = TakeKeyword("not");
        if (!TakeKeyword("null")) return SyntaxError("NULL or NOT NULL after IS");
        left = Add(std::move(node), begin);
        continue;
      }
      const Token& after_not = Peek(1);
      if (IsKeyword(Peek(), "not") &&
          (IsKeyword(after_not, "in") || IsKeyword(after_not, "between") ||
           IsKeyword(after_not, "like"))) {
        node.negated = true;
        ++next_;
      }
      if (TakeKeyword("in")) {
        node.kind = NodeKind::kIn;
        if (!TakeSymbol("(")) return SyntaxError("'(' after IN");
        do {
          auto item = ParseOr();
          if (!item.ok()) return item;
          node.list.push_back(*item);
        } while (TakeSymbol(","));
        if (!TakeSymbol(")")) return SyntaxError("',' or ')' in the IN list");
      } else if (TakeKeyword("between")) {
        node.kind = NodeKind::kBetween;
        auto low = ParseAdditive();
        if (!low.ok()) return low;
        if (!TakeKeyword("and")) return SyntaxError("AND in BETWEEN ... AND ...");
        auto high = ParseAdditive();
        if (!high.ok()) return high;
        node.b = *low;
        node.c = *high;
      } else if (TakeKeyword("like")) {
        node.kind = NodeKind::kLike;
        if (Peek().kind != TokenKind::kString) return SyntaxError("a 'pattern' after LIKE");
        node.text = tokens_[next_++].text;
      } else {
        break;
      }
      left = Add(std::move(node), begin);
    }
    return left;
  }

  Result<int32_t> ParseAdditive() {
    auto left = ParseMultiplicative();
    while (left.ok()) {
      Op op = TakeSymbol("+") ? Op::kAdd : TakeSymbol("-") ? Op::kSub : Op::kNone;
      if (op == Op::kNone) break;
      auto right = ParseMultiplicative();
      if (!right.ok()) return right;
      left = AddBinary(NodeKind::kArith, op, *left, *right);
    }
    return left;
  }

  Result<int32_t> ParseMultiplicative() {
    auto left = ParseUnary();
    while (left.ok()) {
      Op op = TakeSymbol("*")   ? Op::kMul
              : TakeSymbol("/") ? Op::kDiv
              : TakeSymbol("%") ? Op::kMod
                                : Op::kNone;
      if (op == Op::kNone) break;
      auto right = ParseUnary();
      if (!right.ok()) return right;
      left = AddBinary(NodeKind::kArith, op, *left, *right);
    }
    return left;
  }

  Result<int32_t> ParseUnary() {
    size_t begin = Peek().begin;
    if (TakeSymbol("+")) return ParseUnary();
    if (!TakeSymbol("-")) return ParsePrimary();
    auto operand = ParseUnary();
    if (!operand.ok()) return operand;
    FilterNode& inner = program_.nodes[*operand];
    if (inner.kind == NodeKind::kExact) {  // fold: -9223372036854775808 is one literal
      inner.mantissa = -inner.mantissa;
      inner.begin = begin;
      return operand;
    }
    FilterNode node;
    node.kind = NodeKind::kNegate;
    node.a = *operand;
    return Add(std::move(node), begin);
  }

  Result<int32_t> ParsePrimary() {
    const Token& token = Peek();
    const size_t begin = token.begin;
    FilterNode node;
    switch (token.kind) {
      case TokenKind::kNumber:
        ++next_;
        ParseNumber(token.text, node);
        return Add(std::move(node), begin);
      case TokenKind::kString:
        ++next_;
        node.kind = NodeKind::kString;
        node.text = token.text;
        return Add(std::move(node), begin);
      case TokenKind::kSymbol:
        if (!TakeSymbol("(")) break;
        {
          auto inner = ParseOr();
          if (!inner.ok()) return inner;
          if (!TakeSymbol(")")) return SyntaxError("')'");
          program_.nodes[*inner].begin = begin;
          program_.nodes[*inner].end = tokens_[next_ - 1].end;
          return inner;
        }
      case TokenKind::kWord: {
        std::string word = AsciiLower(token.text);
        if (word == "true" || word == "false") {
          node.kind = NodeKind::kExact;
          node.mantissa = word == "true" ? 1 : 0;
        } else if (word == "null") {
          node.kind = NodeKind::kNull;
        } else if (word == "and" || word == "or" || word == "not" || word == "is" || word == "in" ||
                   word == "between" || word == "like") {
          break;  // a reserved word; a column so named must be `quoted`
        } else {
          node.kind = NodeKind::kColumn;
          node.column = ColumnIndex(token.text);
        }
        ++next_;
        return Add(std::move(node), begin);
      }
      case TokenKind::kQuotedName:
        ++next_;
        node.kind = NodeKind::kColumn;
        node.column = ColumnIndex(token.text);
        return Add(std::move(node), begin);
      case TokenKind::kEnd: break;
    }
    return SyntaxError("a column, a literal or '('");
  }

  size_t ColumnIndex(const std::string& name) {
    std::vector<std::string>& names = program_.column_names;
    for (size_t i = 0; i < names.size(); ++i) {
      if (AsciiLower(names[i]) == AsciiLower(name)) return i;
    }
    names.push_back(name);
    return names.size() - 1;
  }

  // Digits with an optional point are exact (a DECIMAL); beyond 38 digits they are kept as
  // text, still compared exactly. An exponent makes a DOUBLE, as in MySQL.
  static void ParseNumber(const std::string& text, FilterNode& node) {
    if (text.find_first_of("eE") != std::string::npos) {
      node.kind = NodeKind::kApprox;
      node.real = std::strtod(text.c_str(), nullptr);
      return;
    }
    size_t point = text.find('.');
    std::string digits = text.substr(0, point);
    std::string fraction = point == std::string::npos ? "" : text.substr(point + 1);
    digits.erase(0, std::min(digits.find_first_not_of('0'), digits.size()));
    if (digits.size() + fraction.size() > kMaxExactDigits) {
      node.kind = NodeKind::kBigDecimal;
      node.text = (digits.empty() ? "0" : digits) + (fraction.empty() ? "" : "." + fraction);
      return;
    }
    node.kind = NodeKind::kExact;
    for (char c : digits + fraction) node.mantissa = node.mantissa * 10 + (c - '0');
    node.scale = static_cast<uint8_t>(fraction.size());
  }

  FilterProgram& program_;
  const std::string& text_;
  std::vector<Token> tokens_;
  size_t next_ = 0;
};

}  // namespace

Result<std::shared_ptr<const FilterProgram>> ParseFilterExpression(std::string_view expression) {
  auto program = std::make_shared<FilterProgram>();
  program->expression = std::string(expression);
  Parser parser(*program);
  CDC_RETURN_IF_ERROR(parser.Run());
  return std::shared_ptr<const FilterProgram>(std::move(program));
}

}  // namespace cdc::detail
