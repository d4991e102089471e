// KafkaSinkOptions: everything the Kafka sink is told, under the names of TiCDC's Kafka sink
// (its sink-URI parameters and its [sink] dispatchers and column selectors), so that a TiCDC
// user's configuration reads the same here. ApplyKafkaSinkUri reads a whole TiCDC sink URI
// ("kafka://host:9092,host2:9092/topic?protocol=canal-json&partition-num=6&...") into it.
//
// What each option does, and its default, is said at the field. Options that only pass through
// to librdkafka (`properties`) are not checked here: librdkafka names a bad one at start.
//
// Plain value type.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/mq/dispatch_rules.h"
#include "runtime/status.h"

namespace cdc {

struct KafkaSinkOptions {
  // Where and what.
  std::vector<std::string> brokers;  // "host:port"; the URI's host list
  std::string topic;                 // the default topic; the URI's path
  std::string protocol = "canal-json";
  // Partitions of a topic the sink creates, and at most this many are used of an existing
  // topic (TiCDC's rule: no more than the topic has). 0: create with 3, use all there are.
  uint32_t partition_num = 0;
  uint32_t replication_factor = 1;  // of a topic the sink creates
  bool auto_create_topic = true;
  uint64_t max_message_bytes = uint64_t{10} * 1024 * 1024;  // also capped by the topic's own limit
  int required_acks = -1;                                   // 0, 1 or -1 (all in-sync replicas)
  std::string compression = "none";                         // none, lz4, gzip, snappy, zstd
  std::string client_id;                                    // empty: "cdc-<pipeline name>"
  std::string kafka_version;  // accepted as TiCDC does; compared with the broker's at start
  uint32_t dial_timeout_ms = 10'000;
  uint32_t read_timeout_ms = 10'000;
  uint32_t write_timeout_ms = 10'000;

  // Security.
  bool enable_tls = false;
  std::string ca, cert, key;  // PEM files
  bool insecure_skip_verify = false;
  std::string sasl_user, sasl_password;
  std::string sasl_mechanism;  // plain, scram-sha-256, scram-sha-512, gssapi; empty: no SASL
  std::map<std::string, std::string> sasl_gssapi;  // sasl-gssapi-* keys as given (untested)

  // Encoding.
  uint32_t max_batch_size = 16;              // open-protocol: row changes per message
  bool enable_extension = false;             // our extension block (TiCDC: enable-tidb-extension)
  bool only_output_updated_columns = false;  // canal-json: `old` holds changed columns only
  std::string avro_decimal_handling_mode = "precise";       // or string
  std::string avro_bigint_unsigned_handling_mode = "long";  // or string
  std::string schema_registry;                              // avro: registry URL
  // debezium: TiCDC's debezium-disable-schema (no "schema" block; our decoder then refuses
  // the messages), Debezium's tombstones.on.delete, its handling modes by Debezium's names,
  // and the topic prefix its envelope names (source.name, schema names).
  bool debezium_disable_schema = false;
  bool tombstones_on_delete = true;
  std::string decimal_handling_mode = "precise";
  std::string time_precision_mode = "adaptive_time_microseconds";
  std::string binary_handling_mode = "bytes";
  std::string bigint_unsigned_handling_mode = "long";
  std::string debezium_topic_prefix;  // empty: the default topic

  // Large messages.
  LargeMessageHandling large_message_handling = LargeMessageHandling::kNone;
  std::string large_message_compression = "none";  // none, lz4, snappy
  std::string claim_check_storage_uri;             // file:///dir or s3://bucket/prefix

  // Delivery.
  bool exactly_once = false;  // Kafka transactions aligned with checkpoints

  // Dispatch.
  std::vector<DispatchRule> dispatchers;
  std::vector<ColumnSelectorRule> column_selectors;

  // librdkafka configuration properties, passed as given ("linger.ms": "5").
  std::map<std::string, std::string> properties;

  // InvalidArgument naming the option and the fix: no broker, no topic, a value out of range,
  // an unknown protocol, compression, SASL mechanism or dispatcher, a rule without a matcher,
  // TLS files without enable-tls, a claim-check option without its storage.
  Status Validate() const;
};

// Applies a TiCDC Kafka sink URI to `options`: the hosts become brokers, the path the default
// topic, and every query parameter the option of its name (TiCDC's parameter names, values
// percent-decoded). InvalidArgument naming the parameter for an unknown one (with the closest
// known name) or a bad value; the URI's scheme must be kafka, kafka+ssl (enable-tls) or
// kafka+sasl.
Status ApplyKafkaSinkUri(std::string_view uri, KafkaSinkOptions& options);

// Sets the option named `name` (a TiCDC parameter name, as in a sink URI or the pipeline
// YAML's sink block) from its text. InvalidArgument naming the option and the fix for a bad
// value; NotFound for a name that is no option.
Status SetKafkaSinkOption(std::string_view name, std::string_view value, KafkaSinkOptions& options);

// Every option name SetKafkaSinkOption knows, for suggestions.
const std::vector<std::string>& KafkaSinkOptionNames();

}  // namespace cdc
