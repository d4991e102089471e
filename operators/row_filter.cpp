#include "operators/row_filter.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <optional>

#include "runtime/ascii.h"

namespace cdc {
namespace detail {

__extension__ typedef __int128 Int128;

enum class NodeKind : uint8_t {
  kNull, kExact, kApprox, kBigDecimal, kString, kColumn,
  kNegate, kArith, kCompare, kAnd, kOr, kNot, kIsNull, kIn, kBetween, kLike,
};
enum class Op : uint8_t { kNone, kAdd, kSub, kMul, kDiv, kMod, kEq, kNe, kLt, kLe, kGt, kGe };

struct FilterNode {
  NodeKind kind = NodeKind::kNull;
  Op op = Op::kNone;
  bool negated = false;         // IS NOT NULL, NOT IN, NOT BETWEEN, NOT LIKE
  uint8_t scale = 0;            // kExact
  int32_t a = -1, b = -1, c = -1;
  std::vector<int32_t> list;    // kIn: the items
  Int128 mantissa = 0;          // kExact: mantissa / 10^scale
  double real = 0;              // kApprox
  std::string text;             // kString, kBigDecimal, kLike's pattern
  size_t column = 0;            // kColumn: index into FilterProgram::column_names
  size_t begin = 0, end = 0;    // the node's text in the expression
};

struct FilterProgram {
  std::string expression;
  std::vector<FilterNode> nodes;
  int32_t root = -1;
  std::vector<std::string> column_names;  // each column once, as first written
};

}  // namespace detail

namespace {

using detail::FilterColumn;
using detail::FilterNode;
using detail::FilterProgram;
using detail::Int128;
using detail::NodeKind;
using detail::Op;

constexpr int kMaxExactDigits = 38;  // 10^38 < 2^127

// ---------------------------------------------------------------------------------------------
// Lexer and parser

enum class TokenKind : uint8_t { kEnd, kWord, kQuotedName, kNumber, kString, kSymbol };

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;  // the word, the unquoted name or string, the number, the symbol
  size_t begin = 0, end = 0;
};

bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '_' || c == '$' || static_cast<unsigned char>(c) >= 0x80;
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

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
    std::string where = offset < text_.size()
                            ? fmt::format("at position {} near '{}'", position,
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
      while (i < text_.size() && (text_[i] == ' ' || text_[i] == '\t' || text_[i] == '\n' ||
                                  text_[i] == '\r')) {
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
      if (IsDigit(c) || (c == '.' && i + 1 < text_.size() && IsDigit(text_[i + 1]))) {
        token.kind = TokenKind::kNumber;
        while (i < text_.size() && (IsDigit(text_[i]) || text_[i] == '.')) ++i;
        if (i < text_.size() && (text_[i] == 'e' || text_[i] == 'E')) {
          size_t j = i + 1;
          if (j < text_.size() && (text_[j] == '+' || text_[j] == '-')) ++j;
          if (j < text_.size() && IsDigit(text_[j])) {
            i = j;
            while (i < text_.size() && IsDigit(text_[i])) ++i;
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
          case '%': case '_': out += '\\'; out += e; break;
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
      if (IsKeyword(Peek(), "not") && (IsKeyword(after_not, "in") ||
                                       IsKeyword(after_not, "between") ||
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
        } else if (word == "and" || word == "or" || word == "not" || word == "is" ||
                   word == "in" || word == "between" || word == "like") {
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

// ---------------------------------------------------------------------------------------------
// Values during evaluation

namespace {

enum class DatumKind : uint8_t {
  kNull, kExact, kBigDecimal, kApprox,  // numbers
  kText, kBinary, kTemporal, kTime, kLabel, kJson, kGeometry,
};

struct Datum {
  DatumKind kind = DatumKind::kNull;
  uint8_t scale = 0;
  Int128 mantissa = 0;     // kExact: mantissa / 10^scale; kLabel: ENUM index or SET bitmask
  double real = 0;         // kApprox
  int64_t micros = 0;      // kTime: the signed interval
  std::string_view text;   // kBigDecimal, kText, kBinary, kLabel, kJson: borrowed bytes
  std::string owned;       // kTemporal, kTime: canonical text
  const FilterColumn* column = nullptr;  // the column the value came from, if any

  bool is_null() const { return kind == DatumKind::kNull; }
  bool is_number() const {
    return kind == DatumKind::kExact || kind == DatumKind::kBigDecimal ||
           kind == DatumKind::kApprox;
  }
  std::string_view Text() const {
    return kind == DatumKind::kTemporal || kind == DatumKind::kTime ? owned : text;
  }
  static Datum Exact(Int128 mantissa, uint8_t scale = 0) {
    Datum d;
    d.kind = DatumKind::kExact;
    d.mantissa = mantissa;
    d.scale = scale;
    return d;
  }
  static Datum Approx(double real) {
    Datum d;
    d.kind = DatumKind::kApprox;
    d.real = real;
    return d;
  }
};

// 10^n for n <= 38, else nullopt.
std::optional<Int128> Pow10(int n) {
  if (n < 0 || n > kMaxExactDigits) return std::nullopt;
  Int128 p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

// `m` scaled up by 10^n, or nullopt when it does not fit.
std::optional<Int128> ScaleUp(Int128 m, int n) {
  auto p = Pow10(n);
  Int128 out;
  if (!p || __builtin_mul_overflow(m, *p, &out)) return std::nullopt;
  return out;
}

std::string ExactText(Int128 mantissa, uint8_t scale) {
  bool negative = mantissa < 0;
  std::string digits;
  do {
    int digit = static_cast<int>(mantissa % 10);
    digits.insert(digits.begin(), static_cast<char>('0' + (digit < 0 ? -digit : digit)));
    mantissa /= 10;
  } while (mantissa != 0);
  if (digits.size() <= scale) digits.insert(0, scale + 1 - digits.size(), '0');
  if (scale > 0) digits.insert(digits.size() - scale, ".");
  return negative ? "-" + digits : digits;
}

// Decimal text ([-]digits[.digits]) as an exact number when it fits 38 digits, else as text.
Datum DecimalDatum(std::string_view text) {
  Datum d;
  bool negative = !text.empty() && text[0] == '-';
  std::string_view body = text.substr(negative ? 1 : 0);
  size_t point = body.find('.');
  std::string_view digits = body.substr(0, point);
  std::string_view fraction = point == std::string_view::npos ? "" : body.substr(point + 1);
  while (digits.size() > 1 && digits[0] == '0') digits.remove_prefix(1);
  if (digits.size() + fraction.size() > kMaxExactDigits) {
    d.kind = DatumKind::kBigDecimal;
    d.text = text;
    return d;
  }
  Int128 m = 0;
  for (char c : digits) m = m * 10 + (c - '0');
  for (char c : fraction) m = m * 10 + (c - '0');
  return Datum::Exact(negative ? -m : m, static_cast<uint8_t>(fraction.size()));
}

// Compares two decimal texts exactly, whatever their length: -1, 0 or 1.
int CompareDecimalText(std::string_view a, std::string_view b) {
  auto split = [](std::string_view t, bool& negative, std::string_view& whole,
                  std::string_view& fraction) {
    negative = !t.empty() && t[0] == '-';
    if (negative) t.remove_prefix(1);
    size_t point = t.find('.');
    whole = t.substr(0, point);
    fraction = point == std::string_view::npos ? "" : t.substr(point + 1);
    while (!whole.empty() && whole[0] == '0') whole.remove_prefix(1);
    while (!fraction.empty() && fraction.back() == '0') fraction.remove_suffix(1);
    if (whole.empty() && fraction.empty()) negative = false;  // -0.00 is 0
  };
  bool an, bn;
  std::string_view aw, af, bw, bf;
  split(a, an, aw, af);
  split(b, bn, bw, bf);
  if (an != bn) return an ? -1 : 1;
  int magnitude = 0;
  if (aw.size() != bw.size()) {
    magnitude = aw.size() < bw.size() ? -1 : 1;
  } else if (int c = aw.compare(bw); c != 0) {
    magnitude = c < 0 ? -1 : 1;
  } else if (int f = af.compare(bf); f != 0) {  // trailing zeros are stripped: prefix is less
    magnitude = f < 0 ? -1 : 1;
  }
  return an ? -magnitude : magnitude;
}

double ToDouble(const Datum& d) {
  switch (d.kind) {
    case DatumKind::kExact:
      return static_cast<double>(d.mantissa) / std::pow(10.0, d.scale);
    case DatumKind::kApprox: return d.real;
    default: return std::strtod(std::string(d.text).c_str(), nullptr);  // kBigDecimal
  }
}

std::string DecimalTextOf(const Datum& d) {
  return d.kind == DatumKind::kExact ? ExactText(d.mantissa, d.scale) : std::string(d.text);
}

// MySQL's reading of text as a number: a whole decimal number is exact; otherwise the longest
// numeric prefix as a double ('12abc' is 12, 'abc' is 0).
Datum TextToNumber(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  std::string_view trimmed = text;
  while (!trimmed.empty() && trimmed.back() == ' ') trimmed.remove_suffix(1);
  size_t i = (!trimmed.empty() && (trimmed[0] == '-' || trimmed[0] == '+')) ? 1 : 0;
  size_t digits = 0, points = 0;
  for (size_t j = i; j < trimmed.size(); ++j) {
    if (IsDigit(trimmed[j])) {
      ++digits;
    } else if (trimmed[j] == '.') {
      ++points;
    } else {
      digits = 0;
      break;
    }
  }
  if (digits > 0 && points <= 1 && trimmed[i] != '.' && trimmed.back() != '.') {
    std::string canonical(trimmed.substr(i));
    if (trimmed[0] == '-') canonical.insert(0, "-");
    Datum d = DecimalDatum(canonical);
    if (d.kind == DatumKind::kExact) return d;
    return Datum::Approx(std::strtod(canonical.c_str(), nullptr));
  }
  if (i < text.size() && (IsDigit(text[i]) || text[i] == '.')) {
    return Datum::Approx(std::strtod(std::string(text).c_str(), nullptr));
  }
  return Datum::Exact(0);
}

// `d` as a number: itself, or its reading into `scratch`; nullptr when it has none.
const Datum* AsNumber(const Datum& d, Datum& scratch) {
  if (d.is_number()) return &d;
  if (d.kind == DatumKind::kText) {
    scratch = TextToNumber(d.text);
    return &scratch;
  }
  if (d.kind == DatumKind::kLabel) {
    scratch = Datum::Exact(d.mantissa);
    return &scratch;
  }
  return nullptr;
}

int CompareNumbers(const Datum& x, const Datum& y) {
  if (x.kind == DatumKind::kApprox || y.kind == DatumKind::kApprox) {
    double a = ToDouble(x), b = ToDouble(y);
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (x.kind == DatumKind::kExact && y.kind == DatumKind::kExact) {
    Int128 a = x.mantissa, b = y.mantissa;
    bool aligned = true;
    if (x.scale < y.scale) {
      auto scaled = ScaleUp(a, y.scale - x.scale);
      aligned = scaled.has_value();
      if (aligned) a = *scaled;
    } else if (y.scale < x.scale) {
      auto scaled = ScaleUp(b, x.scale - y.scale);
      aligned = scaled.has_value();
      if (aligned) b = *scaled;
    }
    if (aligned) return a < b ? -1 : a > b ? 1 : 0;
  }
  return CompareDecimalText(DecimalTextOf(x), DecimalTextOf(y));
}

int CompareBytes(std::string_view a, std::string_view b) {
  int c = a.compare(b);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

// The collation that applies between two text-like values: a text or label column's, unless
// either side is binary; nullptr for bytes.
const Collation* CollationBetween(const Datum& a, const Datum& b) {
  if (a.kind == DatumKind::kBinary || b.kind == DatumKind::kBinary) return nullptr;
  for (const Datum* d : {&a, &b}) {
    if (d->column != nullptr && (d->kind == DatumKind::kText || d->kind == DatumKind::kLabel) &&
        !d->column->collation.is_binary()) {
      return &d->column->collation;
    }
  }
  return nullptr;
}

// -1, 0 or 1; nullopt when either side is NULL. Kinds that do not compare (rejected by Bind)
// are InvalidArgument.
Status Compare(const Datum& a, const Datum& b, std::optional<int>& out) {
  out.reset();
  if (a.is_null() || b.is_null()) return Status::Ok();
  if (a.is_number() || b.is_number()) {
    Datum sa, sb;
    const Datum* x = AsNumber(a, sa);
    const Datum* y = AsNumber(b, sb);
    if (x == nullptr || y == nullptr) {
      return Status::InvalidArgument("a number compared with a non-number");
    }
    out = CompareNumbers(*x, *y);
    return Status::Ok();
  }
  if (a.kind == DatumKind::kGeometry || b.kind == DatumKind::kGeometry) {
    return Status::InvalidArgument("GEOMETRY values do not compare");
  }
  if (a.kind == DatumKind::kTime && b.kind == DatumKind::kTime) {
    out = a.micros < b.micros ? -1 : a.micros > b.micros ? 1 : 0;
    return Status::Ok();
  }
  const Collation* collation = CollationBetween(a, b);
  if (collation == nullptr) {
    out = CompareBytes(a.Text(), b.Text());
  } else {
    out = CompareBytes(collation->SortKey(a.Text()), collation->SortKey(b.Text()));
  }
  return Status::Ok();
}

Datum FromValue(const Value& value, const FilterColumn& column) {
  Datum d;
  d.column = &column;
  switch (value.kind()) {
    case ValueKind::kNull: break;
    case ValueKind::kInt: return Datum::Exact(value.int_value());
    case ValueKind::kUInt: return Datum::Exact(value.uint_value());
    case ValueKind::kFloat: return Datum::Approx(value.float_value());
    case ValueKind::kDouble: return Datum::Approx(value.double_value());
    case ValueKind::kDecimal: return DecimalDatum(value.bytes());
    case ValueKind::kBit: return Datum::Exact(value.bits());
    case ValueKind::kYear: return Datum::Exact(value.year());
    case ValueKind::kDate:
    case ValueKind::kDateTime:
    case ValueKind::kTimestamp:
    case ValueKind::kTime: {
      std::string quoted = value.ToString();  // '2024-01-31 10:00:00'
      d.kind = value.kind() == ValueKind::kTime ? DatumKind::kTime : DatumKind::kTemporal;
      d.owned = quoted.substr(1, quoted.size() - 2);
      if (value.kind() == ValueKind::kTime) {
        TimeValue t = value.time();
        d.micros = ((t.hours * 60 + t.minutes) * 60 + t.seconds) * int64_t{1000000} + t.micros;
        if (t.negative) d.micros = -d.micros;
      }
      break;
    }
    case ValueKind::kString: d.kind = DatumKind::kText; break;
    case ValueKind::kBytes: d.kind = DatumKind::kBinary; break;
    case ValueKind::kEnum:
      d.kind = DatumKind::kLabel;
      d.mantissa = value.enum_index();
      break;
    case ValueKind::kSet:
      d.kind = DatumKind::kLabel;
      d.mantissa = value.set_members();
      break;
    case ValueKind::kJson: d.kind = DatumKind::kJson; break;
    case ValueKind::kGeometry: d.kind = DatumKind::kGeometry; break;
  }
  if (d.kind != DatumKind::kTemporal && d.kind != DatumKind::kTime) d.text = value.bytes();
  return d;
}

Datum ArithApprox(Op op, double a, double b) {
  switch (op) {
    case Op::kAdd: return Datum::Approx(a + b);
    case Op::kSub: return Datum::Approx(a - b);
    case Op::kMul: return Datum::Approx(a * b);
    case Op::kDiv: return b == 0 ? Datum() : Datum::Approx(a / b);
    default: return b == 0 ? Datum() : Datum::Approx(std::fmod(a, b));
  }
}

// Exact arithmetic on mantissas; nullopt when a step overflows 38 digits (the caller falls
// back to double).
std::optional<Datum> ArithExact(Op op, const Datum& x, const Datum& y) {
  Int128 out;
  uint8_t scale = std::max(x.scale, y.scale);
  auto a = ScaleUp(x.mantissa, scale - x.scale);
  auto b = ScaleUp(y.mantissa, scale - y.scale);
  switch (op) {
    case Op::kAdd:
      if (!a || !b || __builtin_add_overflow(*a, *b, &out)) return std::nullopt;
      return Datum::Exact(out, scale);
    case Op::kSub:
      if (!a || !b || __builtin_sub_overflow(*a, *b, &out)) return std::nullopt;
      return Datum::Exact(out, scale);
    case Op::kMul:
      if (x.scale + y.scale > kMaxExactDigits ||
          __builtin_mul_overflow(x.mantissa, y.mantissa, &out)) {
        return std::nullopt;
      }
      return Datum::Exact(out, static_cast<uint8_t>(x.scale + y.scale));
    case Op::kDiv: {
      // x / y with x's scale + 4 digits: round(x.m * 10^(y.scale + 4) / y.m).
      if (y.mantissa == 0) return Datum();
      if (x.scale + 4 > kMaxExactDigits) return std::nullopt;
      auto n = ScaleUp(x.mantissa, y.scale + 4);
      if (!n) return std::nullopt;
      Int128 q = *n / y.mantissa, r = *n % y.mantissa;
      Int128 abs_r = r < 0 ? -r : r, abs_d = y.mantissa < 0 ? -y.mantissa : y.mantissa;
      if (abs_r >= abs_d - abs_r) q += ((*n < 0) != (y.mantissa < 0)) ? -1 : 1;
      return Datum::Exact(q, static_cast<uint8_t>(x.scale + 4));
    }
    default:  // kMod: the sign of the dividend, as MySQL
      if (y.mantissa == 0) return Datum();
      if (!a || !b) return std::nullopt;
      return Datum::Exact(*a % *b, scale);
  }
}

Datum Arith(Op op, const Datum& x, const Datum& y) {
  if (x.kind == DatumKind::kExact && y.kind == DatumKind::kExact) {
    if (auto exact = ArithExact(op, x, y)) return *exact;
  }
  return ArithApprox(op, ToDouble(x), ToDouble(y));
}

// LIKE over UTF-8 characters: % any run, _ one character, \ makes the next one literal.
size_t CharLength(std::string_view s, size_t at) {
  unsigned char c = static_cast<unsigned char>(s[at]);
  size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
  return std::min(n, s.size() - at);
}

bool LikeMatches(std::string_view text, std::string_view pattern) {
  struct Piece {
    enum { kChar, kOne, kAny } type;
    std::string_view bytes;
  };
  std::vector<Piece> pieces;
  for (size_t i = 0; i < pattern.size();) {
    if (pattern[i] == '%' || pattern[i] == '_') {
      pieces.push_back({pattern[i] == '%' ? Piece::kAny : Piece::kOne, {}});
      ++i;
      continue;
    }
    if (pattern[i] == '\\' && i + 1 < pattern.size()) ++i;
    size_t n = CharLength(pattern, i);
    pieces.push_back({Piece::kChar, pattern.substr(i, n)});
    i += n;
  }
  size_t t = 0, p = 0, star = std::string_view::npos, star_t = 0;
  while (t < text.size()) {
    if (p < pieces.size() && pieces[p].type == Piece::kOne) {
      t += CharLength(text, t);
      ++p;
    } else if (p < pieces.size() && pieces[p].type == Piece::kChar &&
               text.substr(t).starts_with(pieces[p].bytes) &&
               CharLength(text, t) == pieces[p].bytes.size()) {
      t += pieces[p].bytes.size();
      ++p;
    } else if (p < pieces.size() && pieces[p].type == Piece::kAny) {
      star = p++;
      star_t = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      star_t += CharLength(text, star_t);
      t = star_t;
    } else {
      return false;
    }
  }
  while (p < pieces.size() && pieces[p].type == Piece::kAny) ++p;
  return p == pieces.size();
}

enum class Truth : uint8_t { kFalse, kTrue, kUnknown };

Datum FromTruth(Truth t) {
  return t == Truth::kUnknown ? Datum() : Datum::Exact(t == Truth::kTrue);
}

Truth TruthOf(const Datum& d) {
  Datum scratch;
  const Datum* n = d.is_null() ? nullptr : AsNumber(d, scratch);
  if (n == nullptr) return Truth::kUnknown;
  bool nonzero = n->kind == DatumKind::kExact      ? n->mantissa != 0
                 : n->kind == DatumKind::kApprox ? n->real != 0
                                                 : CompareDecimalText(n->text, "0") != 0;
  return nonzero ? Truth::kTrue : Truth::kFalse;
}

bool Holds(Op op, int c) {
  switch (op) {
    case Op::kEq: return c == 0;
    case Op::kNe: return c != 0;
    case Op::kLt: return c < 0;
    case Op::kLe: return c <= 0;
    case Op::kGt: return c > 0;
    default: return c >= 0;  // kGe
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Binding: static types, so that type errors stop the job when a table is first seen rather
// than on some row.

namespace {

enum class Category : uint8_t {
  kNull, kNumber, kText, kBinary, kTemporal, kLabel, kJson, kGeometry,
};

const char* CategoryName(Category c) {
  switch (c) {
    case Category::kNull: return "NULL";
    case Category::kNumber: return "a number";
    case Category::kText: return "text";
    case Category::kBinary: return "binary";
    case Category::kTemporal: return "a date or time";
    case Category::kLabel: return "an ENUM or SET";
    case Category::kJson: return "JSON";
    case Category::kGeometry: return "GEOMETRY";
  }
  return "?";
}

Category CategoryOf(ValueKind kind) {
  switch (kind) {
    case ValueKind::kNull: return Category::kNull;
    case ValueKind::kInt: case ValueKind::kUInt: case ValueKind::kFloat: case ValueKind::kDouble:
    case ValueKind::kDecimal: case ValueKind::kBit: case ValueKind::kYear:
      return Category::kNumber;
    case ValueKind::kDate: case ValueKind::kTime: case ValueKind::kDateTime:
    case ValueKind::kTimestamp:
      return Category::kTemporal;
    case ValueKind::kString: return Category::kText;
    case ValueKind::kBytes: return Category::kBinary;
    case ValueKind::kEnum: case ValueKind::kSet: return Category::kLabel;
    case ValueKind::kJson: return Category::kJson;
    case ValueKind::kGeometry: return Category::kGeometry;
  }
  return Category::kNull;
}

bool Comparable(Category a, Category b) {
  if (a == Category::kNull || b == Category::kNull) return true;
  if (a == Category::kGeometry || b == Category::kGeometry) return false;
  if (a == b) return true;
  auto pair = [&](Category x, Category y) { return (a == x && b == y) || (a == y && b == x); };
  if (pair(Category::kNumber, Category::kText) || pair(Category::kNumber, Category::kLabel)) {
    return true;
  }
  return (a == Category::kText || b == Category::kText) && a != Category::kNumber &&
         b != Category::kNumber;
}

class TypeChecker {
 public:
  TypeChecker(const FilterProgram& program, const std::vector<FilterColumn>& columns,
              const TableSchema& schema)
      : program_(program), columns_(columns), schema_(schema) {}

  Result<Category> Check(int32_t index) const {
    const FilterNode& node = program_.nodes[index];
    switch (node.kind) {
      case NodeKind::kNull: return Category::kNull;
      case NodeKind::kExact: case NodeKind::kApprox: case NodeKind::kBigDecimal:
        return Category::kNumber;
      case NodeKind::kString: return Category::kText;
      case NodeKind::kColumn: return CategoryOf(columns_[node.column].kind);
      case NodeKind::kNegate: case NodeKind::kArith: {
        std::string op = node.kind == NodeKind::kNegate
                             ? "unary -"
                             : std::string(1, "?+-*/%"[static_cast<int>(node.op)]);
        for (int32_t child : {node.a, node.b}) {
          if (child < 0) continue;
          auto c = Check(child);
          if (!c.ok()) return c;
          if (*c != Category::kNumber && *c != Category::kNull) {
            return Error(fmt::format("operator {} takes numbers, but {} is {}", op, Quote(child),
                                     CategoryName(*c)));
          }
        }
        return Category::kNumber;
      }
      case NodeKind::kAnd: case NodeKind::kOr: case NodeKind::kNot:
        for (int32_t child : {node.a, node.b}) {
          if (child < 0) continue;
          CDC_RETURN_IF_ERROR(CheckCondition(child));
        }
        return Category::kNumber;
      case NodeKind::kIsNull: {
        auto c = Check(node.a);
        if (!c.ok()) return c;
        return Category::kNumber;
      }
      case NodeKind::kCompare: case NodeKind::kBetween: case NodeKind::kIn: {
        auto left = Check(node.a);
        if (!left.ok()) return left;
        std::vector<int32_t> others = node.list;
        for (int32_t child : {node.b, node.c}) {
          if (child >= 0) others.push_back(child);
        }
        for (int32_t child : others) {
          auto right = Check(child);
          if (!right.ok()) return right;
          if (!Comparable(*left, *right)) {
            return Error(fmt::format("{} ({}) does not compare with {} ({})", Quote(node.a),
                                     CategoryName(*left), Quote(child), CategoryName(*right)));
          }
        }
        return Category::kNumber;
      }
      case NodeKind::kLike: {
        auto c = Check(node.a);
        if (!c.ok()) return c;
        if (*c == Category::kGeometry) {
          return Error(
              fmt::format("LIKE takes text, but {} is {}", Quote(node.a), CategoryName(*c)));
        }
        return Category::kNumber;
      }
    }
    return Category::kNull;
  }

  // A condition is a number (a boolean is 1 or 0) or NULL.
  Status CheckCondition(int32_t index) const {
    auto c = Check(index);
    if (!c.ok()) return c.status();
    if (*c == Category::kNumber || *c == Category::kNull) return Status::Ok();
    return Error(fmt::format("{} is {}, not a condition (true or false); compare it with a value",
                             Quote(index), CategoryName(*c)));
  }

 private:
  std::string Quote(int32_t index) const {
    const FilterNode& node = program_.nodes[index];
    std::string text = program_.expression.substr(node.begin, node.end - node.begin);
    return text.starts_with('\'') ? text : "'" + text + "'";  // a literal is quoted already
  }
  Status Error(std::string_view what) const {
    return Status::InvalidArgument(fmt::format("filter '{}' on table {}: {}", program_.expression,
                                               schema_.id().ToString(), what));
  }

  const FilterProgram& program_;
  const std::vector<FilterColumn>& columns_;
  const TableSchema& schema_;
};

// ---------------------------------------------------------------------------------------------
// Evaluation

class Evaluator {
 public:
  Evaluator(const FilterProgram& program, const std::vector<FilterColumn>& columns,
            const Row& row)
      : program_(program), columns_(columns), row_(row) {}

  Status Eval(int32_t index, Datum& out) const {
    const FilterNode& node = program_.nodes[index];
    out = Datum();
    switch (node.kind) {
      case NodeKind::kNull: return Status::Ok();
      case NodeKind::kExact: out = Datum::Exact(node.mantissa, node.scale); return Status::Ok();
      case NodeKind::kApprox: out = Datum::Approx(node.real); return Status::Ok();
      case NodeKind::kBigDecimal:
      case NodeKind::kString:
        out.kind = node.kind == NodeKind::kString ? DatumKind::kText : DatumKind::kBigDecimal;
        out.text = node.text;
        return Status::Ok();
      case NodeKind::kColumn: {
        const FilterColumn& column = columns_[node.column];
        if (column.position >= row_.size()) {
          return Status::InvalidArgument(fmt::format(
              "filter '{}': the row has {} values, no column '{}' at position {}",
              program_.expression, row_.size(), column.name, column.position + 1));
        }
        out = FromValue(row_[column.position], column);
        return Status::Ok();
      }
      case NodeKind::kNegate: {
        Datum operand, scratch;
        CDC_RETURN_IF_ERROR(Eval(node.a, operand));
        const Datum* n = operand.is_null() ? nullptr : AsNumber(operand, scratch);
        if (n == nullptr) return Status::Ok();
        out = n->kind == DatumKind::kExact ? Datum::Exact(-n->mantissa, n->scale)
                                           : Datum::Approx(-ToDouble(*n));
        return Status::Ok();
      }
      case NodeKind::kArith: {
        Datum a, b, sa, sb;
        CDC_RETURN_IF_ERROR(Eval(node.a, a));
        CDC_RETURN_IF_ERROR(Eval(node.b, b));
        const Datum* x = a.is_null() ? nullptr : AsNumber(a, sa);
        const Datum* y = b.is_null() ? nullptr : AsNumber(b, sb);
        if (x != nullptr && y != nullptr) out = Arith(node.op, *x, *y);
        return Status::Ok();
      }
      case NodeKind::kCompare: {
        Datum a, b;
        std::optional<int> c;
        CDC_RETURN_IF_ERROR(Eval(node.a, a));
        CDC_RETURN_IF_ERROR(Eval(node.b, b));
        CDC_RETURN_IF_ERROR(Context(Compare(a, b, c)));
        if (c) out = Datum::Exact(Holds(node.op, *c));
        return Status::Ok();
      }
      case NodeKind::kAnd:
      case NodeKind::kOr: {
        // FALSE AND x is FALSE and TRUE OR x is TRUE whatever x is, NULL included.
        const Truth decisive = node.kind == NodeKind::kAnd ? Truth::kFalse : Truth::kTrue;
        Datum a, b;
        CDC_RETURN_IF_ERROR(Eval(node.a, a));
        Truth ta = TruthOf(a);
        if (ta == decisive) {
          out = FromTruth(decisive);
          return Status::Ok();
        }
        CDC_RETURN_IF_ERROR(Eval(node.b, b));
        Truth tb = TruthOf(b);
        out = FromTruth(tb == decisive                                   ? decisive
                        : ta == Truth::kUnknown || tb == Truth::kUnknown ? Truth::kUnknown
                                                                         : tb);
        return Status::Ok();
      }
      case NodeKind::kNot: {
        Datum a;
        CDC_RETURN_IF_ERROR(Eval(node.a, a));
        Truth t = TruthOf(a);
        out = FromTruth(t == Truth::kUnknown ? t
                        : t == Truth::kTrue  ? Truth::kFalse
                                             : Truth::kTrue);
        return Status::Ok();
      }
      case NodeKind::kIsNull: {
        Datum a;
        CDC_RETURN_IF_ERROR(Eval(node.a, a));
        out = Datum::Exact(a.is_null() != node.negated);
        return Status::Ok();
      }
      case NodeKind::kIn: return EvalIn(node, out);
      case NodeKind::kBetween: return EvalBetween(node, out);
      case NodeKind::kLike: return EvalLike(node, out);
    }
    return Status::Internal("unknown filter node");
  }

 private:
  Status Context(Status status) const {
    if (status.ok()) return status;
    return Status::InvalidArgument(
        fmt::format("filter '{}': {}", program_.expression, status.message()));
  }

  // x IN (a, b): TRUE when x equals an item; else unknown when x or an item is NULL.
  Status EvalIn(const FilterNode& node, Datum& out) const {
    Datum x;
    CDC_RETURN_IF_ERROR(Eval(node.a, x));
    if (x.is_null()) return Status::Ok();
    bool saw_null = false;
    for (int32_t item : node.list) {
      Datum y;
      std::optional<int> c;
      CDC_RETURN_IF_ERROR(Eval(item, y));
      CDC_RETURN_IF_ERROR(Context(Compare(x, y, c)));
      if (!c) {
        saw_null = true;
      } else if (*c == 0) {
        out = Datum::Exact(!node.negated);
        return Status::Ok();
      }
    }
    if (!saw_null) out = Datum::Exact(node.negated);
    return Status::Ok();
  }

  // x BETWEEN a AND b is x >= a AND x <= b.
  Status EvalBetween(const FilterNode& node, Datum& out) const {
    Datum x, low, high;
    std::optional<int> c_low, c_high;
    CDC_RETURN_IF_ERROR(Eval(node.a, x));
    CDC_RETURN_IF_ERROR(Eval(node.b, low));
    CDC_RETURN_IF_ERROR(Eval(node.c, high));
    CDC_RETURN_IF_ERROR(Context(Compare(x, low, c_low)));
    CDC_RETURN_IF_ERROR(Context(Compare(x, high, c_high)));
    if ((c_low && *c_low < 0) || (c_high && *c_high > 0)) {
      out = Datum::Exact(node.negated);
    } else if (c_low && c_high) {
      out = Datum::Exact(!node.negated);
    }
    return Status::Ok();
  }

  Status EvalLike(const FilterNode& node, Datum& out) const {
    Datum x;
    CDC_RETURN_IF_ERROR(Eval(node.a, x));
    if (x.is_null()) return Status::Ok();
    std::string number_text;
    if (x.kind == DatumKind::kApprox) {
      number_text = fmt::format("{}", x.real);
    } else if (x.is_number()) {
      number_text = DecimalTextOf(x);
    }
    std::string_view text = x.is_number() ? std::string_view(number_text) : x.Text();
    const Collation* collation =
        x.column != nullptr && (x.kind == DatumKind::kText || x.kind == DatumKind::kLabel) &&
                !x.column->like_collation.is_binary()
            ? &x.column->like_collation
            : nullptr;
    bool matches = collation == nullptr
                       ? LikeMatches(text, node.text)
                       : LikeMatches(collation->SortKey(text), collation->SortKey(node.text));
    out = Datum::Exact(matches != node.negated);
    return Status::Ok();
  }

  const FilterProgram& program_;
  const std::vector<FilterColumn>& columns_;
  const Row& row_;
};

}  // namespace

// ---------------------------------------------------------------------------------------------
// RowFilter

Result<RowFilter> RowFilter::Parse(std::string_view expression) {
  auto program = std::make_shared<FilterProgram>();
  program->expression = std::string(expression);
  Parser parser(*program);
  CDC_RETURN_IF_ERROR(parser.Run());
  return RowFilter(std::move(program));
}

Result<RowFilter> RowFilter::Bind(const TableSchema& schema) const {
  RowFilter bound(program_);
  bound.bound_ = true;
  for (const std::string& name : program_->column_names) {
    auto position = schema.FindColumn(name);
    if (!position) {
      std::string available;
      for (const ColumnSchema& column : schema.columns()) {
        available += (available.empty() ? "" : ", ") + column.name;
      }
      return Status::InvalidArgument(
          fmt::format("filter '{}' on table {}: unknown column '{}'; the table's columns are {}",
                      program_->expression, schema.id().ToString(), name, available));
    }
    const ColumnSchema& column = schema.columns()[*position];
    FilterColumn& bound_column = bound.columns_.emplace_back();
    bound_column.name = column.name;
    bound_column.position = *position;
    bound_column.kind = column.value_kind();
    bound_column.collation = Collation::FromName(column.collation);
    bound_column.like_collation = bound_column.collation;
    bound_column.like_collation.pad_space = false;
  }
  TypeChecker checker(*program_, bound.columns_, schema);
  CDC_RETURN_IF_ERROR(checker.CheckCondition(program_->root));
  return bound;
}

Result<bool> RowFilter::Matches(const Row& row) const {
  if (!bound_ && !program_->column_names.empty()) {
    return Status::Internal(
        fmt::format("filter '{}' evaluated before it was bound to a table", expression()));
  }
  Datum result;
  CDC_RETURN_IF_ERROR(Evaluator(*program_, columns_, row).Eval(program_->root, result));
  return TruthOf(result) == Truth::kTrue;
}

const std::string& RowFilter::expression() const { return program_->expression; }

}  // namespace cdc
