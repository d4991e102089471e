// ColumnSelector: TiCDC's `column-selectors` for a message-queue sink: the first rule whose
// matcher takes a table decides which of its columns the messages carry. A rule's column
// patterns are NameGlobs ("*", "price_?", "!secret" excludes); the last pattern that matches a
// column decides, and a column no pattern matches is dropped. Tables no rule takes keep every
// column. A selection must keep the row key whole (a consumer must know which row changed)
// and every column the table's partition dispatcher reads.
//
// Immutable; thread-safe.
#pragma once

#include <optional>
#include <vector>

#include "connectors/mq/dispatch_rules.h"
#include "connectors/mq/name_glob.h"
#include "connectors/mq/table_matcher.h"
#include "schema/table_schema.h"

namespace cdc {

class ColumnSelector {
 public:
  // InvalidArgument naming the rule (0-based) for a bad matcher or column pattern.
  static Result<ColumnSelector> Make(const std::vector<ColumnSelectorRule>& rules);

  // The positions of `schema`'s columns to keep, in table order, or nullopt when no rule takes
  // the table (every column is kept). InvalidArgument naming the table, the rule and the column
  // when the selection drops a row key column or one of `needed` (the partition dispatcher's
  // columns), or keeps no column.
  Result<std::optional<std::vector<size_t>>> Select(const TableSchema& schema,
                                                    const std::vector<size_t>& needed) const;

  bool empty() const { return rules_.empty(); }

 private:
  struct Pattern {
    bool exclude = false;
    NameGlob glob;
  };
  struct Rule {
    TableMatcher matcher;
    std::vector<Pattern> columns;
  };
  explicit ColumnSelector(std::vector<Rule> rules) : rules_(std::move(rules)) {}

  std::vector<Rule> rules_;
};

}  // namespace cdc
