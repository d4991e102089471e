// RowFilter: a boolean expression over one table's columns, the `filter` of a pipeline's
// transform block, in Flink CDC's SQL-like syntax:
//
//   amount >= 100 AND status IN ('paid', 'shipped') AND note IS NOT NULL
//   NOT (`order id` BETWEEN 10 AND 20) OR name LIKE 'a\_%' OR price * qty > 0.3
//
// Syntax: column names (case-insensitive, `backquoted` for any other spelling); integer and
// decimal literals (1e3 is a DOUBLE); 'strings' with '' and backslash escapes; TRUE, FALSE,
// NULL; = <> != < <= > >=; AND OR NOT; parentheses; IS [NOT] NULL; [NOT] IN (list);
// [NOT] BETWEEN a AND b; [NOT] LIKE 'pattern' (% any run, _ one character, \ escapes);
// + - * / % and unary minus. Keywords are case-insensitive. Precedence as MySQL's.
//
// Semantics follow MySQL:
// - Three-valued logic: a comparison with NULL is unknown; NOT unknown is unknown; FALSE AND
//   unknown is FALSE, TRUE OR unknown is TRUE. A row matches only when the whole expression
//   is TRUE. Booleans are the numbers 1 and 0 (TRUE = 1, `WHERE flag` means flag <> 0).
// - Numbers (integer, DECIMAL, BIT, YEAR columns and literals) are exact: they compare and
//   add, subtract, multiply exactly (0.1 + 0.2 = 0.3) while they fit 38 digits, beyond that in
//   double; DECIMAL column values of any size compare exactly. `/` gives the dividend's scale
//   plus 4, rounded half away from zero (1 / 3 = 0.3333), as MySQL's div_precision_increment.
//   FLOAT and DOUBLE make the operation approximate (double). Division or modulo by zero is
//   NULL.
// - Text compares under the column's collation (schema/collation.h): under a _ci collation
//   'a' = 'A', under PAD SPACE 'a ' = 'a'; ordering compares the collation's sort keys. Two
//   literals compare as bytes. BINARY / BLOB columns compare as bytes.
// - Text against a number: the text is read as a number, as MySQL does ('12' = 12; a text
//   that is not wholly a number is read by its numeric prefix, 'abc' as 0).
// - DATE, DATETIME, TIMESTAMP and TIME compare with text in their canonical form
//   ('2024-01-31', '2024-01-31 10:00:00', with '.ffffff' when the column has fractional
//   seconds; TIMESTAMP in UTC). Two TIMEs compare as intervals.
// - ENUM and SET compare with text by label (under the column's collation, if it has one)
//   and with numbers by index / member bitmask; JSON compares with text as its text.
// - LIKE matches characters (UTF-8) under the column's case and accent rules, never padding.
//
// Type errors are found when the filter is bound, never per row: arithmetic on anything but
// numbers ('abc' + 1, a DATE column + 1), a comparison of a temporal, binary or JSON value
// with a number, GEOMETRY anywhere but IS [NOT] NULL, and a non-number used as a condition
// (`WHERE name`) are InvalidArgument naming the operand.
//
// Immutable once made: Bind returns a new, bound filter; a filter is safe to share between
// threads. Copies share the parsed expression, so binding one per table is cheap.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/status.h"
#include "schema/collation.h"
#include "schema/row_change.h"
#include "schema/table_schema.h"

namespace cdc {

namespace detail {
struct FilterProgram;

// A column a bound filter reads, resolved once per table.
struct FilterColumn {
  std::string name;
  size_t position = 0;
  ValueKind kind = ValueKind::kNull;
  Collation collation;       // the column's; binary for columns without one
  Collation like_collation;  // the same without PAD SPACE: LIKE never ignores trailing spaces
};
}  // namespace detail

class RowFilter {
 public:
  // Parses `expression`. A syntax error is InvalidArgument quoting the expression, the
  // 1-based character position and the text there: "filter 'a = = 1': syntax error at
  // position 5 near '= 1': expected a column, a literal or '('".
  static Result<RowFilter> Parse(std::string_view expression);

  // A copy of this filter whose column names are resolved against `schema`, to evaluate rows
  // of that table. InvalidArgument for a column the table does not have (naming it, the table
  // and the table's columns) and for a type error (see above).
  Result<RowFilter> Bind(const TableSchema& schema) const;

  // True when `row` satisfies the expression (TRUE, not FALSE or unknown). Requires a bound
  // filter (or one that names no column) and a row of the bound table; a row with too few
  // values is InvalidArgument.
  Result<bool> Matches(const Row& row) const;

  const std::string& expression() const;
  bool bound() const { return bound_; }

 private:
  explicit RowFilter(std::shared_ptr<const detail::FilterProgram> program)
      : program_(std::move(program)) {}

  std::shared_ptr<const detail::FilterProgram> program_;
  std::vector<detail::FilterColumn> columns_;  // one per name the expression reads, once bound
  bool bound_ = false;
};

}  // namespace cdc
