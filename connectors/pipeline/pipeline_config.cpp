#include "connectors/pipeline/pipeline_config.h"

#include <algorithm>
#include <cctype>

namespace cdc {
namespace {

constexpr std::pair<const char*, SchemaChangeBehavior> kBehaviors[] = {
    {"evolve", SchemaChangeBehavior::kEvolve},   {"try_evolve", SchemaChangeBehavior::kTryEvolve},
    {"lenient", SchemaChangeBehavior::kLenient}, {"ignore", SchemaChangeBehavior::kIgnore},
    {"exception", SchemaChangeBehavior::kException},
};

}  // namespace

const char* SchemaChangeBehaviorName(SchemaChangeBehavior behavior) {
  for (const auto& [name, value] : kBehaviors) {
    if (value == behavior) return name;
  }
  return "?";
}

std::optional<SchemaChangeBehavior> ParseSchemaChangeBehavior(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const auto& [name, value] : kBehaviors) {
    if (lower == name) return value;
  }
  return std::nullopt;
}

}  // namespace cdc
