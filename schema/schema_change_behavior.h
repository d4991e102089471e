// SchemaChangeBehavior: what a sink does with the schema changes and truncates it receives, as
// Flink CDC's pipeline option schema.change.behavior (whose default since Flink CDC 3.2 is
// lenient; ours is evolve):
//   exception   any schema change or truncate fails the job, after everything before it is
//               written; new tables are still created
//   evolve      apply every change to the target; a change the target rejects fails the job
//   try_evolve  apply every change; one the target rejects is skipped with a warning and the
//               table's rows are written to the columns the target has
//   lenient     never lose data: tables are not dropped or truncated; a dropped column stays
//               (made nullable); a renamed column stays and the new name is added; added
//               columns are nullable
//   ignore      create new tables, apply nothing else; rows are written to the columns the
//               target has
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace cdc {

enum class SchemaChangeBehavior : uint8_t { kEvolve, kTryEvolve, kLenient, kIgnore, kException };

// "evolve", "try_evolve", "lenient", "ignore", "exception".
const char* SchemaChangeBehaviorName(SchemaChangeBehavior behavior);
// The names above, case-insensitive ("EVOLVE" as Flink CDC's docs often write it); nullopt for
// anything else.
std::optional<SchemaChangeBehavior> ParseSchemaChangeBehavior(std::string_view text);

}  // namespace cdc
