// JsonDocument: a parsed JSON message as the change decoders read it. Unlike a JSON library's
// DOM it keeps what exact values need: every number's text as written (a DECIMAL(65,30) or a
// FLOAT read as a double would lose digits), object members in their written order, and
// duplicate keys as they are. Parsing is nlohmann/json's (its SAX interface feeds this tree),
// the standard C++ JSON parser; only the decoders use it, never the encode path.
//
// A plain value type; thread-safe when not mutated.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "runtime/status.h"

namespace cdc {

struct JsonMember;

struct JsonNode {
  enum class Type : uint8_t { kNull, kBool, kNumber, kString, kArray, kObject };
  Type type = Type::kNull;
  bool boolean = false;
  std::string text;                 // kString: the string; kNumber: the number as written
  std::vector<JsonNode> items;      // kArray
  std::vector<JsonMember> members;  // kObject, in written order

  // The first member named `key` of an object; null when there is none or this is no object.
  const JsonNode* Find(std::string_view key) const;
  bool is_null() const { return type == Type::kNull; }

  // "null", "true", "a number", "a string", "an array", "an object": for messages.
  const char* TypeName() const;
};

struct JsonMember {
  std::string name;
  JsonNode value;
};

// `text` as one JSON value (RFC 8259; at most 512 levels deep). Errors (InvalidArgument) give
// the byte offset and what the parser expected.
Result<JsonNode> ParseJsonDocument(std::string_view text);

// `node` as MySQL writes a JSON value's text (JSON_EXTRACT, the binlog decoder): ", " between
// items and members, ": " after keys, strings escaped as runtime/json_string.h does, numbers
// as written. Reading back a JSON column's embedded document gives its MySQL text.
void AppendMysqlJsonText(const JsonNode& node, std::string& out);

}  // namespace cdc
