// AppendJsonString: text as a JSON string literal, quotes included. Escapes '"', '\\', the
// short forms \b \f \n \r \t and other control bytes as \u00XX; every other byte (UTF-8
// included) passes as it is, the way MySQL's double_quote() prints JSON strings. Used by the
// binlog's JSON decoding and the logger's JSON lines. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace cdc {

inline void AppendJsonString(std::string_view text, std::string& out) {
  static const char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: {
        auto byte = static_cast<uint8_t>(c);
        if (byte < 0x20) {
          out += "\\u00";
          out.push_back(kHex[byte >> 4]);
          out.push_back(kHex[byte & 0xf]);
        } else {
          out.push_back(c);
        }
      }
    }
  }
  out.push_back('"');
}

}  // namespace cdc
