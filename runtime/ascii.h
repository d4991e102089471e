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

inline bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

// True when `text` is one or more of 0-9 and nothing else.
inline bool AllAsciiDigits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!IsAsciiDigit(c)) return false;
  }
  return true;
}

}  // namespace cdc
