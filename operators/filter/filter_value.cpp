#include "operators/filter/filter_value.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include "runtime/ascii.h"

namespace cdc::detail {
namespace {

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
FilterValue DecimalValue(std::string_view text) {
  FilterValue d;
  bool negative = !text.empty() && text[0] == '-';
  std::string_view body = text.substr(negative ? 1 : 0);
  size_t point = body.find('.');
  std::string_view digits = body.substr(0, point);
  std::string_view fraction = point == std::string_view::npos ? "" : body.substr(point + 1);
  while (digits.size() > 1 && digits[0] == '0') digits.remove_prefix(1);
  if (digits.size() + fraction.size() > kMaxExactDigits) {
    d.kind = FilterValueKind::kBigDecimal;
    d.text = text;
    return d;
  }
  Int128 m = 0;
  for (char c : digits) m = m * 10 + (c - '0');
  for (char c : fraction) m = m * 10 + (c - '0');
  return FilterValue::Exact(negative ? -m : m, static_cast<uint8_t>(fraction.size()));
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

std::string DecimalTextOf(const FilterValue& d) {
  return d.kind == FilterValueKind::kExact ? ExactText(d.mantissa, d.scale) : std::string(d.text);
}

// MySQL's reading of text as a number: a whole decimal number is exact; otherwise the longest
// numeric prefix as a double ('12abc' is 12, 'abc' is 0).
FilterValue TextToNumber(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  std::string_view trimmed = text;
  while (!trimmed.empty() && trimmed.back() == ' ') trimmed.remove_suffix(1);
  size_t i = (!trimmed.empty() && (trimmed[0] == '-' || trimmed[0] == '+')) ? 1 : 0;
  size_t digits = 0, points = 0;
  for (size_t j = i; j < trimmed.size(); ++j) {
    if (IsAsciiDigit(trimmed[j])) {
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
    FilterValue d = DecimalValue(canonical);
    if (d.kind == FilterValueKind::kExact) return d;
    return FilterValue::Approx(std::strtod(canonical.c_str(), nullptr));
  }
  if (i < text.size() && (IsAsciiDigit(text[i]) || text[i] == '.')) {
    return FilterValue::Approx(std::strtod(std::string(text).c_str(), nullptr));
  }
  return FilterValue::Exact(0);
}

int CompareNumbers(const FilterValue& x, const FilterValue& y) {
  if (x.kind == FilterValueKind::kApprox || y.kind == FilterValueKind::kApprox) {
    double a = ToDouble(x), b = ToDouble(y);
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (x.kind == FilterValueKind::kExact && y.kind == FilterValueKind::kExact) {
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
const Collation* CollationBetween(const FilterValue& a, const FilterValue& b) {
  if (a.kind == FilterValueKind::kBinary || b.kind == FilterValueKind::kBinary) return nullptr;
  for (const FilterValue* d : {&a, &b}) {
    if (d->collation != nullptr &&
        (d->kind == FilterValueKind::kText || d->kind == FilterValueKind::kLabel) &&
        !d->collation->is_binary()) {
      return d->collation;
    }
  }
  return nullptr;
}

FilterValue ArithApprox(Op op, double a, double b) {
  switch (op) {
    case Op::kAdd: return FilterValue::Approx(a + b);
    case Op::kSub: return FilterValue::Approx(a - b);
    case Op::kMul: return FilterValue::Approx(a * b);
    case Op::kDiv: return b == 0 ? FilterValue() : FilterValue::Approx(a / b);
    default: return b == 0 ? FilterValue() : FilterValue::Approx(std::fmod(a, b));
  }
}

// Exact arithmetic on mantissas; nullopt when a step overflows 38 digits (the caller falls
// back to double).
std::optional<FilterValue> ArithExact(Op op, const FilterValue& x, const FilterValue& y) {
  Int128 out;
  uint8_t scale = std::max(x.scale, y.scale);
  auto a = ScaleUp(x.mantissa, scale - x.scale);
  auto b = ScaleUp(y.mantissa, scale - y.scale);
  switch (op) {
    case Op::kAdd:
      if (!a || !b || __builtin_add_overflow(*a, *b, &out)) return std::nullopt;
      return FilterValue::Exact(out, scale);
    case Op::kSub:
      if (!a || !b || __builtin_sub_overflow(*a, *b, &out)) return std::nullopt;
      return FilterValue::Exact(out, scale);
    case Op::kMul:
      if (x.scale + y.scale > kMaxExactDigits ||
          __builtin_mul_overflow(x.mantissa, y.mantissa, &out)) {
        return std::nullopt;
      }
      return FilterValue::Exact(out, static_cast<uint8_t>(x.scale + y.scale));
    case Op::kDiv: {
      // x / y with x's scale + 4 digits: round(x.m * 10^(y.scale + 4) / y.m).
      if (y.mantissa == 0) return FilterValue();
      if (x.scale + 4 > kMaxExactDigits) return std::nullopt;
      auto n = ScaleUp(x.mantissa, y.scale + 4);
      if (!n) return std::nullopt;
      Int128 q = *n / y.mantissa, r = *n % y.mantissa;
      Int128 abs_r = r < 0 ? -r : r, abs_d = y.mantissa < 0 ? -y.mantissa : y.mantissa;
      if (abs_r >= abs_d - abs_r) q += ((*n < 0) != (y.mantissa < 0)) ? -1 : 1;
      return FilterValue::Exact(q, static_cast<uint8_t>(x.scale + 4));
    }
    default:  // kMod: the sign of the dividend, as MySQL
      if (y.mantissa == 0) return FilterValue();
      if (!a || !b) return std::nullopt;
      return FilterValue::Exact(*a % *b, scale);
  }
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

}  // namespace

double ToDouble(const FilterValue& d) {
  switch (d.kind) {
    case FilterValueKind::kExact: return static_cast<double>(d.mantissa) / std::pow(10.0, d.scale);
    case FilterValueKind::kApprox: return d.real;
    default: return std::strtod(std::string(d.text).c_str(), nullptr);  // kBigDecimal
  }
}

const FilterValue* AsNumber(const FilterValue& d, FilterValue& scratch) {
  if (d.is_number()) return &d;
  if (d.kind == FilterValueKind::kText) {
    scratch = TextToNumber(d.text);
    return &scratch;
  }
  if (d.kind == FilterValueKind::kLabel) {
    scratch = FilterValue::Exact(d.mantissa);
    return &scratch;
  }
  return nullptr;
}

Status Compare(const FilterValue& a, const FilterValue& b, std::optional<int>& out) {
  out.reset();
  if (a.is_null() || b.is_null()) return Status::Ok();
  if (a.is_number() || b.is_number()) {
    FilterValue sa, sb;
    const FilterValue* x = AsNumber(a, sa);
    const FilterValue* y = AsNumber(b, sb);
    if (x == nullptr || y == nullptr) {
      return Status::InvalidArgument("a number compared with a non-number");
    }
    out = CompareNumbers(*x, *y);
    return Status::Ok();
  }
  if (a.kind == FilterValueKind::kGeometry || b.kind == FilterValueKind::kGeometry) {
    return Status::InvalidArgument("GEOMETRY values do not compare");
  }
  if (a.kind == FilterValueKind::kTime && b.kind == FilterValueKind::kTime) {
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

FilterValue FromValue(const Value& value, const Collation& collation,
                      const Collation& like_collation) {
  FilterValue d;
  d.collation = &collation;
  d.like_collation = &like_collation;
  switch (value.kind()) {
    case ValueKind::kNull: break;
    case ValueKind::kInt: return FilterValue::Exact(value.int_value());
    case ValueKind::kUInt: return FilterValue::Exact(value.uint_value());
    case ValueKind::kFloat: return FilterValue::Approx(value.float_value());
    case ValueKind::kDouble: return FilterValue::Approx(value.double_value());
    case ValueKind::kDecimal: return DecimalValue(value.bytes());
    case ValueKind::kBit: return FilterValue::Exact(value.bits());
    case ValueKind::kYear: return FilterValue::Exact(value.year());
    case ValueKind::kDate:
    case ValueKind::kDateTime:
    case ValueKind::kTimestamp:
    case ValueKind::kTime: {
      std::string quoted = value.ToString();  // '2024-01-31 10:00:00'
      d.kind =
          value.kind() == ValueKind::kTime ? FilterValueKind::kTime : FilterValueKind::kTemporal;
      d.owned = quoted.substr(1, quoted.size() - 2);
      if (value.kind() == ValueKind::kTime) {
        TimeValue t = value.time();
        d.micros = ((t.hours * 60 + t.minutes) * 60 + t.seconds) * int64_t{1000000} + t.micros;
        if (t.negative) d.micros = -d.micros;
      }
      break;
    }
    case ValueKind::kString: d.kind = FilterValueKind::kText; break;
    case ValueKind::kBytes: d.kind = FilterValueKind::kBinary; break;
    case ValueKind::kEnum:
      d.kind = FilterValueKind::kLabel;
      d.mantissa = value.enum_index();
      break;
    case ValueKind::kSet:
      d.kind = FilterValueKind::kLabel;
      d.mantissa = value.set_members();
      break;
    case ValueKind::kJson: d.kind = FilterValueKind::kJson; break;
    case ValueKind::kGeometry: d.kind = FilterValueKind::kGeometry; break;
  }
  if (d.kind != FilterValueKind::kTemporal && d.kind != FilterValueKind::kTime) {
    d.text = value.bytes();
  }
  return d;
}

FilterValue Arith(Op op, const FilterValue& x, const FilterValue& y) {
  if (x.kind == FilterValueKind::kExact && y.kind == FilterValueKind::kExact) {
    if (auto exact = ArithExact(op, x, y)) return *exact;
  }
  return ArithApprox(op, ToDouble(x), ToDouble(y));
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

bool MatchesLike(const FilterValue& value, std::string_view pattern) {
  std::string number_text;
  if (value.kind == FilterValueKind::kApprox) {
    number_text = fmt::format("{}", value.real);
  } else if (value.is_number()) {
    number_text = DecimalTextOf(value);
  }
  std::string_view text = value.is_number() ? std::string_view(number_text) : value.Text();
  const Collation* collation =
      value.like_collation != nullptr &&
              (value.kind == FilterValueKind::kText || value.kind == FilterValueKind::kLabel) &&
              !value.like_collation->is_binary()
          ? value.like_collation
          : nullptr;
  return collation == nullptr ? LikeMatches(text, pattern)
                              : LikeMatches(collation->SortKey(text), collation->SortKey(pattern));
}

Truth TruthOf(const FilterValue& d) {
  FilterValue scratch;
  const FilterValue* n = d.is_null() ? nullptr : AsNumber(d, scratch);
  if (n == nullptr) return Truth::kUnknown;
  bool nonzero = n->kind == FilterValueKind::kExact    ? n->mantissa != 0
                 : n->kind == FilterValueKind::kApprox ? n->real != 0
                                                       : CompareDecimalText(n->text, "0") != 0;
  return nonzero ? Truth::kTrue : Truth::kFalse;
}

FilterValue FromTruth(Truth t) {
  return t == Truth::kUnknown ? FilterValue() : FilterValue::Exact(t == Truth::kTrue);
}

}  // namespace cdc::detail
