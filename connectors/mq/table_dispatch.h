// TableDispatch: where a message-queue sink sends each table's changes, by the `dispatchers`
// rules in order (the first whose matcher takes the table decides): its topic (the rule's
// topic expression, or the default topic when the rule has none or no rule takes the table)
// and its PartitionDispatcher. TableDispatchRules compiles the rules once; For resolves one
// table (a sink does it once per table and schema version).
//
// Immutable; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "connectors/mq/dispatch_rules.h"
#include "connectors/mq/partition_dispatcher.h"
#include "connectors/mq/table_matcher.h"
#include "connectors/mq/topic_expression.h"

namespace cdc {

struct TableDispatch {
  std::string topic;
  PartitionDispatcher partition;
};

class TableDispatchRules {
 public:
  // InvalidArgument naming the rule (0-based, as the YAML list) for a bad matcher or topic
  // expression, or a default topic that is no valid topic name.
  static Result<TableDispatchRules> Make(const std::string& default_topic,
                                         const std::vector<DispatchRule>& rules);

  // The topic and partition dispatcher of `schema`'s table; errors as
  // TopicExpression::TopicFor and PartitionDispatcher::Make, naming the rule.
  Result<TableDispatch> For(const TableSchema& schema) const;

  // True when some rule partitions by something other than a table's row key, so a table's
  // changes must all come from one sink subtask for a partition to hold them in order
  // (DataStream::KeyByTable); false when routing by row key (KeyBy) keeps every partition's
  // order: default and index-value without a named index partition by the row key or, for
  // keyless tables and tables with several unique keys, by table, as KeyBy routes them.
  bool NeedsTableRouting() const;

 private:
  struct Compiled {
    DispatchRule rule;
    TableMatcher matcher;
    std::optional<TopicExpression> topic;
  };
  TableDispatchRules(std::string default_topic, std::vector<Compiled> rules)
      : default_topic_(std::move(default_topic)), rules_(std::move(rules)) {}

  std::string default_topic_;
  std::vector<Compiled> rules_;
};

}  // namespace cdc
