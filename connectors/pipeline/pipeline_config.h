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
#include "connectors/kafka/kafka_sink_options.h"
#include "connectors/mysql/sink/mysql_sink_options.h"
#include "connectors/mysql/source/mysql_cdc_source.h"
#include "operators/flush_policy.h"
#include "operators/job.h"
#include "operators/table_route.h"
#include "operators/table_transform.h"
#include "schema/schema_change_behavior.h"

namespace cdc {

enum class SourceType : uint8_t { kMysql, kDatagen };
enum class SinkType : uint8_t { kMysql, kPrint, kBlackhole, kKafka };

struct SourceConfig {
  SourceType type = SourceType::kMysql;
  std::string name;             // the block's `name`, for logs; may be empty
  MysqlCdcSourceOptions mysql;  // used when type is kMysql
  DatagenOptions datagen;       // used when type is kDatagen
};

struct SinkConfig {
  SinkType type = SinkType::kPrint;
  std::string name;
  MysqlSinkOptions mysql;  // used when type is kMysql
  KafkaSinkOptions kafka;  // used when type is kKafka
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
