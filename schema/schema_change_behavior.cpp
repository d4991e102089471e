#include "schema/schema_change_behavior.h"

#include <string>
#include <utility>

#include "runtime/ascii.h"

namespace cdc {
namespace {

constexpr std::pair<const char*, SchemaChangeBehavior> kBehaviors[] = {
    {"evolve", SchemaChangeBehavior::kEvolve},
    {"try_evolve", SchemaChangeBehavior::kTryEvolve},
    {"lenient", SchemaChangeBehavior::kLenient},
    {"ignore", SchemaChangeBehavior::kIgnore},
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
  std::string lower = AsciiLower(text);
  for (const auto& [name, value] : kBehaviors) {
    if (lower == name) return value;
  }
  return std::nullopt;
}

}  // namespace cdc
