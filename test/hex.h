// Test helper: bytes written as hex ("7fffff84fe37"), for hand-built binlog and JSON bytes.
#pragma once

#include <string>
#include <string_view>

namespace cdc::testing {

inline std::string Hex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

}  // namespace cdc::testing
