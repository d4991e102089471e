#include "connectors/format/json_document.h"

#include <charconv>
#include <exception>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "runtime/json_string.h"

namespace cdc {
namespace {

constexpr size_t kMaxDepth = 512;

// Builds a JsonNode tree from nlohmann's SAX events. `open_` holds the containers being
// filled, innermost last; only the innermost one grows, so pointers to the others stay valid.
class TreeBuilder final : public nlohmann::json_sax<nlohmann::json> {
 public:
  JsonNode root;
  std::string error;

  bool null() override { return Add(JsonNode{}) != nullptr; }
  bool boolean(bool v) override {
    JsonNode node;
    node.type = JsonNode::Type::kBool;
    node.boolean = v;
    return Add(std::move(node)) != nullptr;
  }
  bool number_integer(number_integer_t v) override { return Number(fmt::format("{}", v)); }
  bool number_unsigned(number_unsigned_t v) override { return Number(fmt::format("{}", v)); }
  bool number_float(number_float_t /*v*/, const string_t& text) override { return Number(text); }
  bool string(string_t& v) override {
    JsonNode node;
    node.type = JsonNode::Type::kString;
    node.text = std::move(v);
    return Add(std::move(node)) != nullptr;
  }
  bool binary(binary_t& /*v*/) override { return false; }  // not produced by the text parser
  bool start_object(std::size_t /*elements*/) override { return Open(JsonNode::Type::kObject); }
  bool key(string_t& v) override {
    open_.back()->members.push_back({std::move(v), JsonNode{}});
    return true;
  }
  bool end_object() override {
    open_.pop_back();
    return true;
  }
  bool start_array(std::size_t /*elements*/) override { return Open(JsonNode::Type::kArray); }
  bool end_array() override {
    open_.pop_back();
    return true;
  }
  bool parse_error(std::size_t position, const std::string& /*token*/,
                   const nlohmann::detail::exception& e) override {
    error = fmt::format("at byte {}: {}", position, e.what());
    return false;
  }

 private:
  bool Number(std::string text) {
    JsonNode node;
    node.type = JsonNode::Type::kNumber;
    node.text = std::move(text);
    return Add(std::move(node)) != nullptr;
  }

  JsonNode* Add(JsonNode node) {
    if (open_.empty()) {
      root = std::move(node);
      return &root;
    }
    JsonNode* parent = open_.back();
    if (parent->type == JsonNode::Type::kObject) {
      parent->members.back().value = std::move(node);
      return &parent->members.back().value;
    }
    parent->items.push_back(std::move(node));
    return &parent->items.back();
  }

  bool Open(JsonNode::Type type) {
    if (open_.size() >= kMaxDepth) {
      error = fmt::format("nested deeper than {} levels", kMaxDepth);
      return false;
    }
    JsonNode node;
    node.type = type;
    JsonNode* added = Add(std::move(node));
    open_.push_back(added);
    return true;
  }

  std::vector<JsonNode*> open_;
};

}  // namespace

const JsonNode* JsonNode::Find(std::string_view key) const {
  for (const auto& [name, value] : members) {
    if (name == key) return &value;
  }
  return nullptr;
}

const char* JsonNode::TypeName() const {
  switch (type) {
    case Type::kNull: return "null";
    case Type::kBool: return boolean ? "true" : "false";
    case Type::kNumber: return "a number";
    case Type::kString: return "a string";
    case Type::kArray: return "an array";
    case Type::kObject: return "an object";
  }
  return "?";
}

Result<JsonNode> ParseJsonDocument(std::string_view text) {
  TreeBuilder builder;
  bool ok = false;
  try {
    ok = nlohmann::json::sax_parse(text.begin(), text.end(), &builder);
  } catch (const std::exception& e) {
    builder.error = e.what();
  }
  if (!ok) {
    return Status::InvalidArgument(fmt::format(
        "malformed JSON ({}): \"{}\"", builder.error.empty() ? "parse error" : builder.error,
        text.substr(0, std::min<size_t>(text.size(), 80))));
  }
  return std::move(builder.root);
}

void AppendMysqlJsonText(const JsonNode& node, std::string& out) {
  switch (node.type) {
    case JsonNode::Type::kNull: out += "null"; return;
    case JsonNode::Type::kBool: out += node.boolean ? "true" : "false"; return;
    case JsonNode::Type::kNumber: out += node.text; return;
    case JsonNode::Type::kString: AppendJsonString(node.text, out); return;
    case JsonNode::Type::kArray:
      out.push_back('[');
      for (size_t i = 0; i < node.items.size(); ++i) {
        if (i > 0) out += ", ";
        AppendMysqlJsonText(node.items[i], out);
      }
      out.push_back(']');
      return;
    case JsonNode::Type::kObject:
      out.push_back('{');
      for (size_t i = 0; i < node.members.size(); ++i) {
        if (i > 0) out += ", ";
        AppendJsonString(node.members[i].name, out);
        out += ": ";
        AppendMysqlJsonText(node.members[i].value, out);
      }
      out.push_back('}');
      return;
  }
}

}  // namespace cdc
