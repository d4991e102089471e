#include "connectors/pipeline/yaml_problems.h"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

#include "runtime/ascii.h"

namespace cdc::detail {
namespace {

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t next = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
      diagonal = row[j];
      row[j] = next;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string Suggest(std::string_view given, const std::vector<std::string>& known) {
  std::string lower = AsciiLower(given);
  const std::string* best = nullptr;
  size_t best_distance = 0;
  for (const std::string& candidate : known) {
    size_t distance = EditDistance(lower, candidate);
    // "host" for "hostname", "user" for "username": a prefix is as good as one edit.
    if (lower.size() >= 3 && candidate.starts_with(lower)) distance = std::min<size_t>(distance, 1);
    size_t limit = std::max<size_t>(2, candidate.size() / 4);
    if (distance <= limit && (best == nullptr || distance < best_distance)) {
      best = &candidate;
      best_distance = distance;
    }
  }
  return best == nullptr ? "" : fmt::format(": did you mean '{}'?", *best);
}

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
