#include "connectors/mq/table_matcher.h"

#include <fmt/format.h>

namespace cdc {

Result<TableMatcher> TableMatcher::Parse(const std::vector<std::string>& patterns) {
  std::vector<Rule> rules;
  for (const std::string& text : patterns) {
    std::string_view pattern = text;
    bool exclude = pattern.starts_with('!');
    if (exclude) pattern.remove_prefix(1);
    size_t dot = std::string_view::npos;
    for (size_t i = 0; i < pattern.size(); ++i) {
      if (pattern[i] == '\\') {
        ++i;
      } else if (pattern[i] == '.') {
        dot = i;
        break;
      }
    }
    if (dot == std::string_view::npos || dot == 0 || dot + 1 == pattern.size()) {
      return Status::InvalidArgument(fmt::format(
          "matcher pattern '{}' is not schema.table: write e.g. shop.* or *.orders", text));
    }
    auto schema = NameGlob::Parse(pattern.substr(0, dot));
    if (!schema.ok()) return schema.status().WithContext(fmt::format("matcher '{}'", text));
    auto table = NameGlob::Parse(pattern.substr(dot + 1));
    if (!table.ok()) return table.status().WithContext(fmt::format("matcher '{}'", text));
    rules.push_back(Rule{exclude, std::move(schema).value(), std::move(table).value()});
  }
  return TableMatcher(std::move(rules));
}

bool TableMatcher::Matches(const TableId& table) const {
  for (auto it = rules_.rbegin(); it != rules_.rend(); ++it) {
    if (it->schema.Matches(table.database) && it->table.Matches(table.table)) return !it->exclude;
  }
  return false;
}

}  // namespace cdc
