#include "connectors/kafka/protocol_encoder.h"

#include <fmt/format.h>

#include "connectors/format/canal_json_encoder.h"
#include "connectors/format/debezium_encoder.h"
#include "connectors/format/maxwell_encoder.h"

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
  if (options.protocol == "canal-json") {
    CanalJsonOptions canal;
    canal.enable_extension = options.enable_extension;
    canal.only_output_updated_columns = options.only_output_updated_columns;
    CDC_RETURN_IF_ERROR(canal.Validate().WithContext("kafka sink, protocol canal-json"));
    return std::shared_ptr<const ChangeEncoder>(std::make_shared<CanalJsonEncoder>(canal));
  }
  if (options.protocol == "maxwell") {
    return std::shared_ptr<const ChangeEncoder>(std::make_shared<MaxwellEncoder>(MaxwellOptions{}));
  }
  return Status::InvalidArgument(
      fmt::format("kafka sink: protocol {} is not built yet: use canal-json, debezium or maxwell",
                  options.protocol));
}

}  // namespace cdc
