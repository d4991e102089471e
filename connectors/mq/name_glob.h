// NameGlob: one wildcard pattern of TiCDC's table filter and column selector syntax, matched
// against a name case-insensitively (TiCDC's default, and MySQL's for names on most servers):
// `*` any run of characters, `?` one character, `[a-z]` / `[!a-z]` a character in or not in a
// set, `\` takes the next character literally.
//
// Immutable; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "runtime/status.h"

namespace cdc {

class NameGlob {
 public:
  // InvalidArgument for an unclosed '[' or a trailing '\'.
  static Result<NameGlob> Parse(std::string_view pattern);

  bool Matches(std::string_view name) const;
  const std::string& pattern() const { return pattern_; }

 private:
  explicit NameGlob(std::string pattern) : pattern_(std::move(pattern)) {}

  std::string pattern_;
};

}  // namespace cdc
