// MakeProtocolEncoder: the ChangeEncoder of a message-queue sink's `protocol` option
// (canal-json, debezium, maxwell, open-protocol, avro), configured from the sink's options.
// Shared by the sinks that speak TiCDC's protocol names. Pure; thread-safe.
#pragma once

#include <memory>

#include "connectors/format/change_encoder.h"
#include "connectors/kafka/kafka_sink_options.h"

namespace cdc {

// InvalidArgument naming the protocol when it is not built yet or its options do not fit.
Result<std::shared_ptr<const ChangeEncoder>> MakeProtocolEncoder(const KafkaSinkOptions& options);

}  // namespace cdc
