#include "connectors/mysql/source/table_filter.h"

#include <fmt/format.h>

#include "runtime/regex_pattern.h"

namespace cdc {
namespace {

Status Compile(const std::vector<std::string>& patterns, const char* kind,
               std::vector<RegexPattern>& out) {
  for (const std::string& pattern : patterns) {
    auto compiled = RegexPattern::Compile(pattern);
    if (!compiled.ok()) {
      return Status::InvalidArgument(fmt::format(
          "the {} table pattern '{}' is not a valid regular expression ({}); patterns match "
          "'database.table', as in 'shop\\.orders_.*'",
          kind, pattern, compiled.status().message()));
    }
    out.push_back(std::move(compiled).value());
  }
  return Status::Ok();
}

}  // namespace

Result<TableFilter> TableFilter::Make(const std::vector<std::string>& include,
                                      const std::vector<std::string>& exclude) {
  TableFilter filter;
  filter.include_text_ = include;
  CDC_RETURN_IF_ERROR(Compile(include, "include", filter.include_));
  CDC_RETURN_IF_ERROR(Compile(exclude, "exclude", filter.exclude_));
  return filter;
}

bool TableFilter::Accepts(const TableId& table) {
  auto found = decided_.find(table);
  if (found != decided_.end()) return found->second;
  std::string name = table.database + "." + table.table;
  bool accepted = include_.empty();
  for (const RegexPattern& pattern : include_) accepted |= pattern.FullMatch(name);
  for (const RegexPattern& pattern : exclude_) accepted &= !pattern.FullMatch(name);
  decided_.emplace(table, accepted);
  return accepted;
}

}  // namespace cdc
