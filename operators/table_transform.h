// Table transforms, Flink CDC's `transform` block: for each source table whose
// "database.table" fully matches a rule's regex (the first such rule), keep only the rule's
// projected columns, in the rule's order, and only the rows that satisfy its filter
// (operators/filter/row_filter.h).
//
// Projection builds a new schema (same TableId) of the listed columns. It must keep every
// column of the row key (the primary key, else the chosen unique key): the sink upserts and
// deletes by it. Indexes not wholly projected are dropped from the projected schema.
//
// The filter is evaluated on the source row, before projection, so it may read columns the
// projection drops. Its semantics on changes keep the target holding exactly the rows that
// satisfy it:
// - insert passes when its after-image matches; delete when its before-image matches;
// - update: both images match → the update; only the before-image → a delete of the
//   before-image; only the after-image → an insert of the after-image; neither → dropped;
// - truncate always passes.
// Every change that passes carries the projected schema and projected images.
//
// Schema changes pass unchanged, except on a table with a projection: the projection decides
// the target's columns, so only a DROP TABLE passes there (the others are logged and dropped).
//
// TableTransformer holds the compiled rules (immutable, thread-safe). TransformOperator is
// thread-bound like every operator; it resolves each source schema once and keeps the source
// and projected schemas alive for the job's life, since changes downstream point at them.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "operators/filter/row_filter.h"
#include "operators/operator.h"
#include "runtime/regex_pattern.h"
#include "schema/table_schema.h"

namespace cdc {

struct TransformRule {
  std::string source_table;             // RE2 regex over the whole "database.table"
  std::vector<std::string> projection;  // column names, in output order; empty: all columns
  std::string filter;                   // an expression over the row's columns; empty: none
  std::string description;
};

// What applies to one source table: its projected schema and its filter bound to the source.
struct TableTransform {
  TableSchemaPtr source;
  TableSchemaPtr output;            // the projected schema; `source` itself without projection
  std::vector<size_t> projection;   // source positions in output order; empty: all columns
  std::optional<RowFilter> filter;  // bound to `source`; none: every row passes
  size_t rule = 0;                  // 1-based rule number; 0 when no rule matched
};

class TableTransformer {
 public:
  // Compiles the rules. InvalidArgument naming the rule (1-based) for a bad regex, a filter
  // with a syntax error, or a projection naming a column twice or an empty name.
  static Result<TableTransformer> Make(std::vector<TransformRule> rules);

  // What applies to `source`: the first matching rule's projection and filter, or nothing
  // (output == source, no filter) when no rule matches. InvalidArgument naming the rule and
  // the table for a projected column the table lacks (listing its columns), a projection
  // that drops a row key column, or a filter naming an unknown column or mistyped for it.
  Result<TableTransform> Resolve(const TableSchema& source) const;

  bool empty() const { return rules_.empty(); }

 private:
  struct Compiled {
    TransformRule rule;
    RegexPattern pattern;
    std::optional<RowFilter> filter;  // parsed, unbound
  };
  std::vector<Compiled> rules_;
};

class TransformOperator final : public Operator {
 public:
  explicit TransformOperator(std::shared_ptr<const TableTransformer> transformer)
      : transformer_(std::move(transformer)) {}
  // Filters and projects `change` as described above; an error resolving its table or
  // evaluating the filter names the table and the change's source position.
  Status Process(RowChange&& change, Output& out) override;

  static OperatorFactory Factory(std::shared_ptr<const TableTransformer> transformer);

 private:
  std::shared_ptr<const TableTransformer> transformer_;
  // Keyed by source schema; each entry holds that schema, so its address is never reused.
  std::unordered_map<const TableSchema*, TableTransform> transforms_;
};

}  // namespace cdc
