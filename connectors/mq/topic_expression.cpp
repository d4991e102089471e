#include "connectors/mq/topic_expression.h"

#include <fmt/format.h>

namespace cdc {
namespace {

constexpr size_t kMaxTopicLength = 249;  // Kafka's limit (Topic.MAX_NAME_LENGTH)

bool IsTopicChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

void AppendSanitized(std::string_view name, std::string& out) {
  for (char c : name) out.push_back(IsTopicChar(c) ? c : '_');
}

}  // namespace

bool IsValidKafkaTopicName(std::string_view name) {
  if (name.empty() || name.size() > kMaxTopicLength || name == "." || name == "..") return false;
  for (char c : name) {
    if (!IsTopicChar(c)) return false;
  }
  return true;
}

Result<TopicExpression> TopicExpression::Parse(std::string_view expression) {
  auto bad = [&](std::string_view why) {
    return Status::InvalidArgument(fmt::format(
        "topic expression '{}' {}: write [prefix]{{schema}}[middle]{{table}}[suffix], e.g. "
        "cdc_{{schema}}_{{table}}, or a fixed topic name",
        expression, why));
  };
  if (expression.empty()) return bad("is empty");
  bool schema = false, table = false;
  for (size_t i = 0; i < expression.size(); ++i) {
    char c = expression[i];
    if (c == '{') {
      size_t close = expression.find('}', i);
      if (close == std::string_view::npos) return bad("has a '{' without '}'");
      std::string_view name = expression.substr(i + 1, close - i - 1);
      if (name == "schema") {
        if (schema) return bad("has {schema} twice");
        if (table) return bad("has {table} before {schema}");
        schema = true;
      } else if (name == "table") {
        if (table) return bad("has {table} twice");
        table = true;
      } else {
        return bad(
            fmt::format("has the placeholder {{{}}}; only {{schema}} and {{table}}, in "
                        "lower case, are known",
                        name));
      }
      i = close;
    } else if (!IsTopicChar(c)) {
      return bad(
          fmt::format("has the character '{}'; prefix, middle and suffix may hold only "
                      "A-Z a-z 0-9 . _ -",
                      c));
    }
  }
  if (!schema && !table && !IsValidKafkaTopicName(expression)) {
    return bad("is not a valid topic name");
  }
  return TopicExpression(std::string(expression));
}

Result<std::string> TopicExpression::TopicFor(const TableId& table) const {
  std::string topic;
  topic.reserve(expression_.size() + table.database.size() + table.table.size());
  for (size_t i = 0; i < expression_.size(); ++i) {
    if (expression_[i] == '{') {
      size_t close = expression_.find('}', i);
      std::string_view name(expression_.data() + i + 1, close - i - 1);
      AppendSanitized(name == "schema" ? table.database : table.table, topic);
      i = close;
    } else {
      topic.push_back(expression_[i]);
    }
  }
  if (!IsValidKafkaTopicName(topic)) {
    return Status::InvalidArgument(fmt::format(
        "topic expression '{}' gives table {} the topic '{}', which is not a valid Kafka topic "
        "name (1 to {} characters, not . or ..): shorten the expression or route the table to "
        "another topic",
        expression_, table.ToString(), topic, kMaxTopicLength));
  }
  return topic;
}

}  // namespace cdc
