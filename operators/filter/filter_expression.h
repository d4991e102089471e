// FilterProgram: a row filter's expression parsed into a tree of FilterNodes, the form that
// RowFilter (operators/filter/row_filter.h) binds to a table and evaluates. Nodes live in one
// vector and refer to their operands by index; the program also lists each column name it reads, so
// binding resolves every name once. Produced by ParseFilterExpression
// (operators/filter/filter_expression_parser.h).
//
// Immutable once parsed; a program is shared between threads read-only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace cdc::detail {

__extension__ typedef __int128 Int128;

// Exact numbers keep up to 38 decimal digits in an Int128 mantissa (10^38 < 2^127).
inline constexpr int kMaxExactDigits = 38;

enum class NodeKind : uint8_t {
  kNull,
  kExact,
  kApprox,
  kBigDecimal,
  kString,
  kColumn,
  kNegate,
  kArith,
  kCompare,
  kAnd,
  kOr,
  kNot,
  kIsNull,
  kIn,
  kBetween,
  kLike,
};

// The operator of a kArith or kCompare node. The order of kNone..kMod matters: it indexes
// "?+-*/%" to name an arithmetic operator in error messages.
enum class Op : uint8_t { kNone, kAdd, kSub, kMul, kDiv, kMod, kEq, kNe, kLt, kLe, kGt, kGe };

struct FilterNode {
  NodeKind kind = NodeKind::kNull;
  Op op = Op::kNone;
  bool negated = false;  // IS NOT NULL, NOT IN, NOT BETWEEN, NOT LIKE
  uint8_t scale = 0;     // kExact
  int32_t a = -1, b = -1, c = -1;
  std::vector<int32_t> list;  // kIn: the items
  Int128 mantissa = 0;        // kExact: mantissa / 10^scale
  double real = 0;            // kApprox
  std::string text;           // kString, kBigDecimal, kLike's pattern
  size_t column = 0;          // kColumn: index into FilterProgram::column_names
  size_t begin = 0, end = 0;  // the node's text in the expression
};

struct FilterProgram {
  std::string expression;
  std::vector<FilterNode> nodes;
  int32_t root = -1;
  std::vector<std::string> column_names;  // each column once, as first written
};

}  // namespace cdc::detail
