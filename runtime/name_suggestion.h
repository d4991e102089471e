// SuggestName: the "did you mean" of an error message about a misspelt name (a YAML key, a
// sink option, a protocol): the known name closest to what was given. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cdc {

// ": did you mean 'x'?" for the entry of `known` closest to `given` (within a few edits, or
// `given` a prefix of it), else "".
std::string SuggestName(std::string_view given, const std::vector<std::string>& known);

}  // namespace cdc
