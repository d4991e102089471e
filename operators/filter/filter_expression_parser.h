// ParseFilterExpression: the lexer and recursive-descent parser that turn a row filter's text
// (the syntax described in operators/filter/row_filter.h) into a FilterProgram
// (operators/filter/filter_expression.h). Precedence, loosest first: OR; AND; NOT; comparisons,
// IS [NOT] NULL, [NOT] IN, [NOT] BETWEEN, [NOT] LIKE; + -; * / %; unary + -; literals,
// columns and parentheses. A minus before a number literal is folded into it.
//
// A pure function: thread-safe.
#pragma once

#include <memory>
#include <string_view>

#include "operators/filter/filter_expression.h"
#include "runtime/status.h"

namespace cdc::detail {

// The program of `expression`, which it keeps a copy of. A syntax error is InvalidArgument
// quoting the expression, the 1-based character position and the text there:
// "filter 'a = = 1': syntax error at position 5 near '= 1': expected a column, a literal or
// '('".
Result<std::shared_ptr<const FilterProgram>> ParseFilterExpression(std::string_view expression);

}  // namespace cdc::detail
