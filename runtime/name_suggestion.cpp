#include "runtime/name_suggestion.h"

#include <algorithm>

#include "runtime/ascii.h"

namespace cdc {
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

std::string SuggestName(std::string_view given, const std::vector<std::string>& known) {
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
  return best == nullptr ? "" : ": did you mean '" + *best + "'?";
}

}  // namespace cdc
