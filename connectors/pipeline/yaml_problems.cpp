#include "connectors/pipeline/yaml_problems.h"

#include <fmt/format.h>

#include <algorithm>

namespace cdc::detail {
const char* KindOf(const YAML::Node& node) {
  if (node.IsSequence()) return "a list";
  if (node.IsMap()) return "a mapping";
  return "a single value";
}

void YamlProblems::Add(const YAML::Mark& mark, const std::string& path, const std::string& what) {
  int line = std::max(mark.line, 0) + 1;
  int column = std::max(mark.column, 0) + 1;
  std::string where = path.empty() ? "" : path + ": ";
  items_.push_back({line, column, fmt::format("{}:{}:{}: {}{}", file_, line, column, where, what)});
}

void YamlProblems::AddForFile(const std::string& what) {
  items_.push_back({0, 0, fmt::format("{}: {}", file_, what)});
}

Status YamlProblems::ToStatus() {
  std::stable_sort(items_.begin(), items_.end(), [](const Item& a, const Item& b) {
    return std::tie(a.line, a.column) < std::tie(b.line, b.column);
  });
  std::string message;
  for (const Item& item : items_) message += (message.empty() ? "" : "\n") + item.text;
  return Status::InvalidArgument(message);
}

}  // namespace cdc::detail
