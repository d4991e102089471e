// FilterValue: a value a row filter computes with, and MySQL's semantics on such values:
// exact-number arithmetic, comparison (collation-aware for text), LIKE and three-valued truth.
// See operators/filter/row_filter.h for the rules as the user sees them.
//
// Numbers are exact (an Int128 mantissa and a decimal scale, up to 38 digits), big decimals
// (longer DECIMAL text, compared exactly) or approximate (double). Text, binary, JSON and
// big-decimal values borrow their bytes from the row or the filter's program; dates and times
// own their canonical text. A value read from a column points to that column's collations.
//
// A FilterValue is a plain value, thread-compatible; the functions here are pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "operators/filter/filter_expression.h"
#include "runtime/status.h"
#include "schema/collation.h"
#include "schema/value.h"

namespace cdc::detail {

enum class FilterValueKind : uint8_t {
  kNull,
  kExact,
  kBigDecimal,
  kApprox,  // numbers
  kText,
  kBinary,
  kTemporal,
  kTime,
  kLabel,
  kJson,
  kGeometry,
};

struct FilterValue {
  FilterValueKind kind = FilterValueKind::kNull;
  uint8_t scale = 0;
  Int128 mantissa = 0;    // kExact: mantissa / 10^scale; kLabel: ENUM index or SET bitmask
  double real = 0;        // kApprox
  int64_t micros = 0;     // kTime: the signed interval
  std::string_view text;  // kBigDecimal, kText, kBinary, kLabel, kJson: borrowed bytes
  std::string owned;      // kTemporal, kTime: canonical text
  // The collations of the column a non-number value came from (see FromValue); null for
  // literals and computed values.
  const Collation* collation = nullptr;
  const Collation* like_collation = nullptr;

  bool is_null() const { return kind == FilterValueKind::kNull; }
  bool is_number() const {
    return kind == FilterValueKind::kExact || kind == FilterValueKind::kBigDecimal ||
           kind == FilterValueKind::kApprox;
  }
  std::string_view Text() const {
    return kind == FilterValueKind::kTemporal || kind == FilterValueKind::kTime ? owned : text;
  }
  static FilterValue Exact(Int128 mantissa, uint8_t scale = 0) {
    FilterValue v;
    v.kind = FilterValueKind::kExact;
    v.mantissa = mantissa;
    v.scale = scale;
    return v;
  }
  static FilterValue Approx(double real) {
    FilterValue v;
    v.kind = FilterValueKind::kApprox;
    v.real = real;
    return v;
  }
};

// `value`, a column's value, as a filter value. Text-like results borrow `value`'s bytes and
// point to `collation` and `like_collation` (the column's, LIKE's without PAD SPACE); all three
// must outlive the result.
FilterValue FromValue(const Value& value, const Collation& collation,
                      const Collation& like_collation);

// `v` as a number: itself, or its reading into `scratch` (text as MySQL reads it: '12' is 12,
// '12abc' 12.0, 'abc' 0; an ENUM or SET as its index or bitmask); nullptr when it has none.
const FilterValue* AsNumber(const FilterValue& v, FilterValue& scratch);

// A number (kExact, kBigDecimal or kApprox) as a double.
double ToDouble(const FilterValue& number);

// `x op y` for an arithmetic op on two numbers: exact while both are exact and the result fits
// 38 digits, else double. Division keeps x's scale plus 4, rounded half away from zero.
// Division or modulo by zero is NULL.
FilterValue Arith(Op op, const FilterValue& x, const FilterValue& y);

// Sets `out` to -1, 0 or 1 as `a` is less than, equal to or greater than `b`; to nullopt when
// either is NULL. A number against text or a label compares as numbers; text-likes compare
// under a column's collation unless either side is binary; two TIMEs as intervals. A number
// against any other kind, or GEOMETRY, is InvalidArgument (Bind rejects these).
[[nodiscard]] Status Compare(const FilterValue& a, const FilterValue& b, std::optional<int>& out);

// True when a comparison result `c` satisfies the comparison operator `op` (kEq..kGe).
bool Holds(Op op, int c);

// `value LIKE pattern` for a non-NULL value: % any run, _ one UTF-8 character, \ makes the
// next one literal; under a text or label column's case and accent rules, never ignoring
// trailing spaces. A number matches as its decimal text.
bool MatchesLike(const FilterValue& value, std::string_view pattern);

// Three-valued logic: a value is TRUE when it is a non-zero number (or reads as one), unknown
// when NULL or not a number.
enum class Truth : uint8_t { kFalse, kTrue, kUnknown };

Truth TruthOf(const FilterValue& v);

// 1, 0 or NULL.
FilterValue FromTruth(Truth t);

}  // namespace cdc::detail
