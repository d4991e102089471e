// Table routing, Flink CDC's `route` block: each source table whose "database.table" fully
// matches a rule's regex is written to that rule's sink table instead of its own, so shards
// (orders_0, orders_1, ...) merge into one table or a database is renamed on the target.
//
// TableRouter holds the compiled rules (immutable, thread-safe). RouteOperator rewrites each
// change's table to the routed schema (same columns and keys, the sink table's name); it is
// thread-bound like every operator and keeps each routed schema alive for the job's life,
// since changes downstream point at it.
//
// Schema changes are routed too: their schemas take the sink table's name and the change is a
// barrier for the sink tables. A rename whose two names route to one sink table does nothing,
// and a DROP TABLE of a table that a rule merges with others (a rule without replace symbol)
// is passed over, since the sink table holds the other tables' rows as well.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "operators/operator.h"
#include "runtime/regex_pattern.h"
#include "schema/table_schema.h"

namespace cdc {

struct RouteRule {
  std::string source_table;    // RE2 regex over the whole "database.table"
  std::string sink_table;      // "database.table"
  std::string replace_symbol;  // when set, each occurrence in sink_table becomes the source
                               // table's name (Flink CDC's replace-symbol, e.g. "<>")
  std::string description;
};

class TableRouter {
 public:
  // InvalidArgument naming the rule (1-based) for a bad regex or a sink table that is not
  // "database.table".
  static Result<TableRouter> Make(std::vector<RouteRule> rules);

  // The sink table of `source`: the first rule that matches, else `source` itself.
  TableId Route(const TableId& source) const;
  // True when the rule that routes `source` has no replace symbol: every table it matches
  // merges into one sink table.
  bool Merges(const TableId& source) const;
  bool empty() const { return rules_.empty(); }

 private:
  struct Compiled {
    RouteRule rule;
    RegexPattern pattern;
  };
  std::vector<Compiled> rules_;
};

class RouteOperator final : public Operator {
 public:
  explicit RouteOperator(std::shared_ptr<const TableRouter> router) : router_(std::move(router)) {}
  Status Process(RowChange&& change, Output& out) override;

  static OperatorFactory Factory(std::shared_ptr<const TableRouter> router);

 private:
  std::shared_ptr<const TableRouter> router_;
  struct Routed {
    TableSchemaPtr source;  // held so its address is never reused for another schema
    TableSchemaPtr sink;    // what changes carry downstream (the source itself when not routed)
  };
  std::unordered_map<const TableSchema*, Routed> routed_;
  SchemaChangePtr last_change_;  // the schema change whose barrier copies are being routed

  Result<TableSchemaPtr> RoutedSchema(const TableSchema& source);
  Status RouteSchemaChange(RowChange&& change, Output& out);
};

}  // namespace cdc
