// TableFilter: which tables a source captures, by regular expressions over "database.table"
// (RE2 syntax, runtime/regex_pattern.h, matched against the whole name, as Flink CDC's table-name
// patterns and Debezium's table.include.list do). A table is captured when it matches some include
// pattern (or none are given) and no exclude pattern. Decisions are cached per table.
//
// Thread-bound (the cache is unsynchronised).
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/regex_pattern.h"

#include "runtime/status.h"
#include "schema/table_id.h"

namespace cdc {

class TableFilter {
 public:
  TableFilter() = default;  // captures every table

  // InvalidArgument naming the pattern that is not a valid regular expression.
  static Result<TableFilter> Make(const std::vector<std::string>& include,
                                  const std::vector<std::string>& exclude);

  bool Accepts(const TableId& table);
  // The include patterns as given (empty: every table).
  const std::vector<std::string>& include() const { return include_text_; }

 private:
  std::vector<std::string> include_text_;
  std::vector<RegexPattern> include_;
  std::vector<RegexPattern> exclude_;
  std::unordered_map<TableId, bool, TableIdHash> decided_;
};

}  // namespace cdc
