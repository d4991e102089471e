// ASCII text helpers for names and SQL keywords (never for user data, which has charsets).
#pragma once

#include <string>
#include <string_view>

namespace cdc {

// `text` with A-Z turned into a-z; other bytes unchanged.
inline std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace cdc
