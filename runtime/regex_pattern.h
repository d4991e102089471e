// CompileRegex: std::regex construction without exceptions crossing our APIs. Patterns are
// ECMAScript, as users write them in configuration (table patterns, route and transform rules).
// Stateless; thread-safe.
#pragma once

#include <regex>
#include <string>

#include "runtime/status.h"

namespace cdc {

// The compiled `pattern`, or InvalidArgument whose message is the library's reason alone (the
// caller names the pattern and where it came from).
inline Result<std::regex> CompileRegex(const std::string& pattern) {
  try {
    return std::regex(pattern, std::regex::ECMAScript | std::regex::optimize);
  } catch (const std::regex_error& error) {
    return Status::InvalidArgument(error.what());
  }
}

}  // namespace cdc
