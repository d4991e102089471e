// PipelineConfig: everything a pipeline YAML file says, parsed and validated: which source
// and sink with their options, the route and transform rules, and the job's settings. It holds
// no YAML: ParsePipelineYaml (pipeline_yaml.h) builds it and documents every key; the
// cdc-pipeline binary turns it into a Job. Immutable value type once built.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/datagen/datagen_source.h"
#include "connectors/mysql/mysql_cdc_source.h"
#include "connectors/mysql/mysql_sink_options.h"
#include "operators/flush_policy.h"
#include "operators/job.h"
#include "operators/table_route.h"
#include "operators/table_transform.h"

namespace cdc {

// What happens to the target when a source table's schema changes, as Flink CDC's
// pipeline option schema.change.behavior (whose default since Flink CDC 3.2 is lenient; ours is
// evolve, what the MySQL sink implements):
//   exception   any schema change fails the job
//   evolve      apply every change to the target; a change the target rejects fails the job
//   try_evolve  apply every change; a change the target rejects is skipped and rows adapt
//   lenient     never drop or truncate tables or columns: drops and renames keep the old column
//               (made nullable), added columns are nullable
//   ignore      apply no schema change to the target
enum class SchemaChangeBehavior : uint8_t { kEvolve, kTryEvolve, kLenient, kIgnore, kException };

// "evolve", "try_evolve", "lenient", "ignore", "exception".
const char* SchemaChangeBehaviorName(SchemaChangeBehavior behavior);
// The names above, case-insensitive ("EVOLVE" as Flink CDC's docs often write it); nullopt for
// anything else.
std::optional<SchemaChangeBehavior> ParseSchemaChangeBehavior(std::string_view text);

enum class SourceType : uint8_t { kMysql, kDatagen };
enum class SinkType : uint8_t { kMysql, kPrint, kBlackhole };

struct SourceConfig {
  SourceType type = SourceType::kMysql;
  std::string name;                // the block's `name`, for logs; may be empty
  MysqlCdcSourceOptions mysql;     // used when type is kMysql
  DatagenOptions datagen;          // used when type is kDatagen
};

struct SinkConfig {
  SinkType type = SinkType::kPrint;
  std::string name;
  MysqlSinkOptions mysql;          // used when type is kMysql
};

// Route rules (RouteRule, operators/table_route.h): the first rule whose regex matches a
// table sends it to that rule's sink table; a table no rule matches keeps its name.

// Transform rules (TransformRule, operators/table_transform.h): projection and filter per table.

struct PipelineSettings {
  // name, parallelism, threads and checkpoint_interval come from the file; the clock and the
  // checkpoint callback are the caller's to set.
  JobOptions job;
  FlushPolicy flush;
  std::string state_dir;  // where checkpoints are kept; empty: nothing is kept across runs
  SchemaChangeBehavior schema_change = SchemaChangeBehavior::kEvolve;
};

struct PipelineConfig {
  std::string file;  // the file it was read from, for messages
  SourceConfig source;
  SinkConfig sink;
  std::vector<RouteRule> routes;  // in file order
  std::vector<TransformRule> transforms;
  PipelineSettings pipeline;
};

}  // namespace cdc
