#include "connectors/kafka/protocol_encoder.h"

#include <fmt/format.h>

#include "connectors/format/debezium_encoder.h"

namespace cdc {
namespace {

Result<std::shared_ptr<const ChangeEncoder>> MakeDebezium(const KafkaSinkOptions& options) {
  DebeziumOptions debezium;
  debezium.topic_prefix =
      options.debezium_topic_prefix.empty() ? options.topic : options.debezium_topic_prefix;
  debezium.include_schema = !options.debezium_disable_schema;
  debezium.tombstones_on_delete = options.tombstones_on_delete;
  auto decimal = ParseDebeziumDecimalMode(options.decimal_handling_mode);
  if (!decimal.ok()) return decimal.status();
  debezium.decimal_mode = *decimal;
  auto time = ParseDebeziumTimeMode(options.time_precision_mode);
  if (!time.ok()) return time.status();
  debezium.time_mode = *time;
  auto binary = ParseDebeziumBinaryMode(options.binary_handling_mode);
  if (!binary.ok()) return binary.status();
  debezium.binary_mode = *binary;
  auto bigint = ParseDebeziumBigIntUnsignedMode(options.bigint_unsigned_handling_mode);
  if (!bigint.ok()) return bigint.status();
  debezium.bigint_unsigned_mode = *bigint;
  CDC_RETURN_IF_ERROR(debezium.Validate().WithContext("kafka sink, protocol debezium"));
  return std::shared_ptr<const ChangeEncoder>(std::make_shared<DebeziumEncoder>(debezium));
}

}  // namespace

Result<std::shared_ptr<const ChangeEncoder>> MakeProtocolEncoder(const KafkaSinkOptions& options) {
  if (options.protocol == "debezium") return MakeDebezium(options);
  return Status::InvalidArgument(fmt::format(
      "kafka sink: protocol {} is not available in this build: use debezium", options.protocol));
}

}  // namespace cdc
