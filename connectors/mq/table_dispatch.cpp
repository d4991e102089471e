#include "connectors/mq/table_dispatch.h"

#include <fmt/format.h>

namespace cdc {

Result<TableDispatchRules> TableDispatchRules::Make(const std::string& default_topic,
                                                    const std::vector<DispatchRule>& rules) {
  if (!IsValidKafkaTopicName(default_topic)) {
    return Status::InvalidArgument(fmt::format(
        "the default topic '{}' is not a valid topic name: use 1 to 249 of A-Z a-z 0-9 . _ -",
        default_topic));
  }
  std::vector<Compiled> compiled;
  for (size_t i = 0; i < rules.size(); ++i) {
    const DispatchRule& rule = rules[i];
    auto matcher = TableMatcher::Parse(rule.matcher);
    if (!matcher.ok()) return matcher.status().WithContext(fmt::format("dispatchers[{}]", i));
    std::optional<TopicExpression> topic;
    if (!rule.topic.empty()) {
      auto parsed = TopicExpression::Parse(rule.topic);
      if (!parsed.ok()) return parsed.status().WithContext(fmt::format("dispatchers[{}]", i));
      topic = std::move(parsed).value();
    }
    compiled.push_back(Compiled{rule, std::move(matcher).value(), std::move(topic)});
  }
  return TableDispatchRules(default_topic, std::move(compiled));
}

Result<TableDispatch> TableDispatchRules::For(const TableSchema& schema) const {
  for (size_t i = 0; i < rules_.size(); ++i) {
    const Compiled& compiled = rules_[i];
    if (!compiled.matcher.Matches(schema.id())) continue;
    std::string topic = default_topic_;
    if (compiled.topic) {
      auto resolved = compiled.topic->TopicFor(schema.id());
      if (!resolved.ok()) return resolved.status().WithContext(fmt::format("dispatchers[{}]", i));
      topic = std::move(resolved).value();
    }
    auto partition = PartitionDispatcher::Make(compiled.rule.partition, compiled.rule.index,
                                               compiled.rule.columns, schema);
    if (!partition.ok()) return partition.status().WithContext(fmt::format("dispatchers[{}]", i));
    return TableDispatch{std::move(topic), std::move(partition).value()};
  }
  auto partition = PartitionDispatcher::Make(PartitionDispatch::kDefault, "", {}, schema);
  if (!partition.ok()) return partition.status();
  return TableDispatch{default_topic_, std::move(partition).value()};
}

bool TableDispatchRules::NeedsTableRouting() const {
  for (const Compiled& compiled : rules_) {
    PartitionDispatch dispatch = compiled.rule.partition;
    if (dispatch == PartitionDispatch::kDefault) continue;
    if (dispatch == PartitionDispatch::kIndexValue && compiled.rule.index.empty()) continue;
    return true;
  }
  return false;
}

}  // namespace cdc
