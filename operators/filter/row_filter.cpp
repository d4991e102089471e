#include "operators/filter/row_filter.h"

#include <fmt/format.h>

#include <optional>
#include <string>
#include <vector>

#include "operators/filter/filter_expression.h"
#include "operators/filter/filter_expression_parser.h"
#include "operators/filter/filter_value.h"

namespace cdc {
namespace {

using detail::FilterColumn;
using detail::FilterNode;
using detail::FilterProgram;
using detail::FilterValue;
using detail::FilterValueKind;
using detail::NodeKind;
using detail::Truth;

using detail::Arith;
using detail::AsNumber;
using detail::Compare;
using detail::FromTruth;
using detail::FromValue;
using detail::Holds;
using detail::MatchesLike;
using detail::ToDouble;
using detail::TruthOf;

// ---------------------------------------------------------------------------------------------
// Binding: static types, so that type errors stop the job when a table is first seen rather
// than on some row.

enum class Category : uint8_t {
  kNull,
  kNumber,
  kText,
  kBinary,
  kTemporal,
  kLabel,
  kJson,
  kGeometry,
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
    case ValueKind::kInt:
    case ValueKind::kUInt:
    case ValueKind::kFloat:
    case ValueKind::kDouble:
    case ValueKind::kDecimal:
    case ValueKind::kBit:
    case ValueKind::kYear: return Category::kNumber;
    case ValueKind::kDate:
    case ValueKind::kTime:
    case ValueKind::kDateTime:
    case ValueKind::kTimestamp: return Category::kTemporal;
    case ValueKind::kString: return Category::kText;
    case ValueKind::kBytes: return Category::kBinary;
    case ValueKind::kEnum:
    case ValueKind::kSet: return Category::kLabel;
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
      case NodeKind::kExact:
      case NodeKind::kApprox:
      case NodeKind::kBigDecimal: return Category::kNumber;
      case NodeKind::kString: return Category::kText;
      case NodeKind::kColumn: return CategoryOf(columns_[node.column].kind);
      case NodeKind::kNegate:
      case NodeKind::kArith: {
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
      case NodeKind::kAnd:
      case NodeKind::kOr:
      case NodeKind::kNot:
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
      case NodeKind::kCompare:
      case NodeKind::kBetween:
      case NodeKind::kIn: {
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
  Evaluator(const FilterProgram& program, const std::vector<FilterColumn>& columns, const Row& row)
      : program_(program), columns_(columns), row_(row) {}

  Status Eval(int32_t index, FilterValue& out) const {
    const FilterNode& node = program_.nodes[index];
    out = FilterValue();
    switch (node.kind) {
      case NodeKind::kNull: return Status::Ok();
      case NodeKind::kExact:
        out = FilterValue::Exact(node.mantissa, node.scale);
        return Status::Ok();
      case NodeKind::kApprox: out = FilterValue::Approx(node.real); return Status::Ok();
      case NodeKind::kBigDecimal:
      case NodeKind::kString:
        out.kind =
            node.kind == NodeKind::kString ? FilterValueKind::kText : FilterValueKind::kBigDecimal;
        out.text = node.text;
        return Status::Ok();
      case NodeKind::kColumn: {
        const FilterColumn& column = columns_[node.column];
        if (column.position >= row_.size()) {
          return Status::InvalidArgument(
              fmt::format("filter '{}': the row has {} values, no column '{}' at position {}",
                          program_.expression, row_.size(), column.name, column.position + 1));
        }
        out = FromValue(row_[column.position], column.collation, column.like_collation);
        return Status::Ok();
      }
      case NodeKind::kNegate: {
        FilterValue operand, scratch;
        CDC_RETURN_IF_ERROR(Eval(node.a, operand));
        const FilterValue* n = operand.is_null() ? nullptr : AsNumber(operand, scratch);
        if (n == nullptr) return Status::Ok();
        out = n->kind == FilterValueKind::kExact ? FilterValue::Exact(-n->mantissa, n->scale)
                                                 : FilterValue::Approx(-ToDouble(*n));
        return Status::Ok();
      }
      case NodeKind::kArith: {
        FilterValue a, b, sa, sb;
        CDC_RETURN_IF_ERROR(Eval(node.a, a));
        CDC_RETURN_IF_ERROR(Eval(node.b, b));
        const FilterValue* x = a.is_null() ? nullptr : AsNumber(a, sa);
        const FilterValue* y = b.is_null() ? nullptr : AsNumber(b, sb);
        if (x != nullptr && y != nullptr) out = Arith(node.op, *x, *y);
        return Status::Ok();
      }
      case NodeKind::kCompare: {
        FilterValue a, b;
        std::optional<int> c;
        CDC_RETURN_IF_ERROR(Eval(node.a, a));
        CDC_RETURN_IF_ERROR(Eval(node.b, b));
        CDC_RETURN_IF_ERROR(Context(Compare(a, b, c)));
        if (c) out = FilterValue::Exact(Holds(node.op, *c));
        return Status::Ok();
      }
      case NodeKind::kAnd:
      case NodeKind::kOr: {
        // FALSE AND x is FALSE and TRUE OR x is TRUE whatever x is, NULL included.
        const Truth decisive = node.kind == NodeKind::kAnd ? Truth::kFalse : Truth::kTrue;
        FilterValue a, b;
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
        FilterValue a;
        CDC_RETURN_IF_ERROR(Eval(node.a, a));
        Truth t = TruthOf(a);
        out = FromTruth(t == Truth::kUnknown ? t
                        : t == Truth::kTrue  ? Truth::kFalse
                                             : Truth::kTrue);
        return Status::Ok();
      }
      case NodeKind::kIsNull: {
        FilterValue a;
        CDC_RETURN_IF_ERROR(Eval(node.a, a));
        out = FilterValue::Exact(a.is_null() != node.negated);
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
  Status EvalIn(const FilterNode& node, FilterValue& out) const {
    FilterValue x;
    CDC_RETURN_IF_ERROR(Eval(node.a, x));
    if (x.is_null()) return Status::Ok();
    bool saw_null = false;
    for (int32_t item : node.list) {
      FilterValue y;
      std::optional<int> c;
      CDC_RETURN_IF_ERROR(Eval(item, y));
      CDC_RETURN_IF_ERROR(Context(Compare(x, y, c)));
      if (!c) {
        saw_null = true;
      } else if (*c == 0) {
        out = FilterValue::Exact(!node.negated);
        return Status::Ok();
      }
    }
    if (!saw_null) out = FilterValue::Exact(node.negated);
    return Status::Ok();
  }

  // x BETWEEN a AND b is x >= a AND x <= b.
  Status EvalBetween(const FilterNode& node, FilterValue& out) const {
    FilterValue x, low, high;
    std::optional<int> c_low, c_high;
    CDC_RETURN_IF_ERROR(Eval(node.a, x));
    CDC_RETURN_IF_ERROR(Eval(node.b, low));
    CDC_RETURN_IF_ERROR(Eval(node.c, high));
    CDC_RETURN_IF_ERROR(Context(Compare(x, low, c_low)));
    CDC_RETURN_IF_ERROR(Context(Compare(x, high, c_high)));
    if ((c_low && *c_low < 0) || (c_high && *c_high > 0)) {
      out = FilterValue::Exact(node.negated);
    } else if (c_low && c_high) {
      out = FilterValue::Exact(!node.negated);
    }
    return Status::Ok();
  }

  Status EvalLike(const FilterNode& node, FilterValue& out) const {
    FilterValue x;
    CDC_RETURN_IF_ERROR(Eval(node.a, x));
    if (x.is_null()) return Status::Ok();
    out = FilterValue::Exact(MatchesLike(x, node.text) != node.negated);
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
  auto program = detail::ParseFilterExpression(expression);
  if (!program.ok()) return program.status();
  return RowFilter(std::move(program).value());
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
  FilterValue result;
  CDC_RETURN_IF_ERROR(Evaluator(*program_, columns_, row).Eval(program_->root, result));
  return TruthOf(result) == Truth::kTrue;
}

const std::string& RowFilter::expression() const {
  return program_->expression;
}

}  // namespace cdc
