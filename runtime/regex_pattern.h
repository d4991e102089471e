// RegexPattern: a regular expression users write in configuration (table patterns, route and
// transform rules), matched against whole names such as "database.table". RE2 syntax (Perl's,
// without backreferences and lookaround): a match takes time linear in the name whatever the
// pattern, and a pattern whose compiled form would exceed a memory bound is refused at
// compile time, so no pattern can hang or crash the process (std::regex can do both).
// Immutable once compiled; thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "runtime/status.h"

namespace re2 {
class RE2;
}

namespace cdc {

class RegexPattern {
 public:
  // The compiled `pattern`, or InvalidArgument whose message is the library's reason alone
  // (the caller names the pattern and where it came from).
  static Result<RegexPattern> Compile(const std::string& pattern);

  // Whether the whole of `text` matches.
  bool FullMatch(std::string_view text) const;
  const std::string& pattern() const { return pattern_; }

 private:
  RegexPattern(std::string pattern, std::shared_ptr<const re2::RE2> compiled)
      : pattern_(std::move(pattern)), compiled_(std::move(compiled)) {}

  std::string pattern_;
  std::shared_ptr<const re2::RE2> compiled_;
};

}  // namespace cdc
