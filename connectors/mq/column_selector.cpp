#include "connectors/mq/column_selector.h"

#include <fmt/format.h>

#include <algorithm>

namespace cdc {

Result<ColumnSelector> ColumnSelector::Make(const std::vector<ColumnSelectorRule>& rules) {
  std::vector<Rule> compiled;
  for (size_t i = 0; i < rules.size(); ++i) {
    auto matcher = TableMatcher::Parse(rules[i].matcher);
    if (!matcher.ok()) return matcher.status().WithContext(fmt::format("column-selectors[{}]", i));
    std::vector<Pattern> columns;
    for (const std::string& text : rules[i].columns) {
      std::string_view pattern = text;
      bool exclude = pattern.starts_with('!');
      if (exclude) pattern.remove_prefix(1);
      auto glob = NameGlob::Parse(pattern);
      if (!glob.ok()) return glob.status().WithContext(fmt::format("column-selectors[{}]", i));
      columns.push_back(Pattern{exclude, std::move(glob).value()});
    }
    compiled.push_back(Rule{std::move(matcher).value(), std::move(columns)});
  }
  return ColumnSelector(std::move(compiled));
}

Result<std::optional<std::vector<size_t>>> ColumnSelector::Select(
    const TableSchema& schema, const std::vector<size_t>& needed) const {
  for (size_t r = 0; r < rules_.size(); ++r) {
    const Rule& rule = rules_[r];
    if (!rule.matcher.Matches(schema.id())) continue;
    std::vector<size_t> kept;
    for (size_t i = 0; i < schema.columns().size(); ++i) {
      bool keep = false;
      for (auto it = rule.columns.rbegin(); it != rule.columns.rend(); ++it) {
        if (it->glob.Matches(schema.columns()[i].name)) {
          keep = !it->exclude;
          break;
        }
      }
      if (keep) kept.push_back(i);
    }
    auto dropped = [&](size_t position) {
      return std::find(kept.begin(), kept.end(), position) == kept.end();
    };
    std::string where = fmt::format("column-selectors[{}] on table {}", r, schema.id().ToString());
    if (kept.empty()) {
      return Status::InvalidArgument(
          fmt::format("{} keeps no column: select at least the key columns", where));
    }
    for (size_t position : schema.key().columns) {
      if (dropped(position)) {
        return Status::InvalidArgument(fmt::format(
            "{} drops the key column {}: a consumer could not tell which row changed; keep it",
            where, schema.columns()[position].name));
      }
    }
    for (size_t position : needed) {
      if (dropped(position)) {
        return Status::InvalidArgument(fmt::format(
            "{} drops column {}, which the partition dispatcher reads: keep it, or dispatch by "
            "other columns",
            where, schema.columns()[position].name));
      }
    }
    if (kept.size() == schema.columns().size()) return std::optional<std::vector<size_t>>();
    return std::optional<std::vector<size_t>>(std::move(kept));
  }
  return std::optional<std::vector<size_t>>();
}

}  // namespace cdc
