// TableMatcher: a `matcher` list of TiCDC's table filter, deciding whether a rule takes a table:
// each pattern is "schema.table" of two NameGlobs ("shop.*", "*.order_?", "db[0-9].t"), a
// leading '!' excludes, and the last pattern that matches a table decides (TiDB's table-filter
// rule), so ['shop.*', '!shop.tmp_*'] takes every table of shop but its tmp_ ones.
//
// Immutable; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "connectors/mq/name_glob.h"
#include "schema/table_id.h"

namespace cdc {

class TableMatcher {
 public:
  // InvalidArgument naming the pattern: no '.' between schema and table, an empty part, a bad
  // wildcard.
  static Result<TableMatcher> Parse(const std::vector<std::string>& patterns);

  bool Matches(const TableId& table) const;

 private:
  struct Rule {
    bool exclude = false;
    NameGlob schema;
    NameGlob table;
  };
  explicit TableMatcher(std::vector<Rule> rules) : rules_(std::move(rules)) {}

  std::vector<Rule> rules_;
};

}  // namespace cdc
