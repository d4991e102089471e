#include "connectors/mq/name_glob.h"

#include <fmt/format.h>

#include <vector>

namespace cdc {
namespace {

char Lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// Whether `c` is in the set that starts after `[` at `at`; `end` is set to the index after `]`.
bool InSet(std::string_view pattern, size_t at, char c, size_t& end) {
  bool negated = at < pattern.size() && (pattern[at] == '!' || pattern[at] == '^');
  if (negated) ++at;
  bool found = false;
  bool first = true;
  while (at < pattern.size() && (pattern[at] != ']' || first)) {
    first = false;
    char low = pattern[at];
    if (low == '\\' && at + 1 < pattern.size()) low = pattern[++at];
    char high = low;
    if (at + 2 < pattern.size() && pattern[at + 1] == '-' && pattern[at + 2] != ']') {
      high = pattern[at + 2];
      at += 2;
    }
    if (Lower(c) >= Lower(low) && Lower(c) <= Lower(high)) found = true;
    ++at;
  }
  end = at + 1;
  return found != negated;
}

bool Match(std::string_view pattern, std::string_view name) {
  // Iterative glob with one backtrack point for the last '*'.
  size_t p = 0, n = 0, star = std::string_view::npos, star_n = 0;
  while (n < name.size()) {
    if (p < pattern.size()) {
      char c = pattern[p];
      if (c == '*') {
        star = p++;
        star_n = n;
        continue;
      }
      if (c == '?') {
        ++p;
        ++n;
        continue;
      }
      if (c == '[') {
        size_t end = 0;
        if (InSet(pattern, p + 1, name[n], end)) {
          p = end;
          ++n;
          continue;
        }
      } else {
        if (c == '\\' && p + 1 < pattern.size()) c = pattern[++p];
        if (Lower(c) == Lower(name[n])) {
          ++p;
          ++n;
          continue;
        }
      }
    }
    if (star == std::string_view::npos) return false;
    p = star + 1;
    n = ++star_n;
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace

Result<NameGlob> NameGlob::Parse(std::string_view pattern) {
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '\\') {
      if (i + 1 == pattern.size()) {
        return Status::InvalidArgument(
            fmt::format("pattern '{}' ends in '\\': escape a character or remove it", pattern));
      }
      ++i;
    } else if (pattern[i] == '[') {
      size_t close = pattern.find(']', i + 2);
      if (close == std::string_view::npos) {
        return Status::InvalidArgument(fmt::format(
            "pattern '{}' has a '[' without its ']': close the set or write \\[", pattern));
      }
      i = close;
    }
  }
  return NameGlob(std::string(pattern));
}

bool NameGlob::Matches(std::string_view name) const {
  return Match(pattern_, name);
}

}  // namespace cdc
