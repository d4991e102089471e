// ASCII text helpers for names and SQL keywords (never for user data, which has charsets).
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
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

// `text` without leading and trailing spaces, tabs and line ends.
inline std::string_view AsciiTrim(std::string_view text) {
  size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  size_t end = text.find_last_not_of(" \t\r\n");
  return text.substr(begin, end - begin + 1);
}

inline bool IsAsciiDigit(char c) {
  return c >= '0' && c <= '9';
}

// True when `text` is one or more of 0-9 and nothing else.
inline bool AllAsciiDigits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!IsAsciiDigit(c)) return false;
  }
  return true;
}

// `text` as a decimal number: one or more of 0-9, nothing else, and no more than fits in
// uint64_t; nullopt otherwise (never throws, unlike std::stoull).
inline std::optional<uint64_t> ParseDecimal(std::string_view text) {
  uint64_t number = 0;
  if (!AllAsciiDigits(text)) return std::nullopt;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return number;
}

}  // namespace cdc
