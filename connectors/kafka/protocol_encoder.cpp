#include "connectors/kafka/protocol_encoder.h"

#include <fmt/format.h>

namespace cdc {

Result<std::shared_ptr<const ChangeEncoder>> MakeProtocolEncoder(const KafkaSinkOptions& options) {
  return Status::InvalidArgument(fmt::format(
      "kafka sink: protocol {} is not available in this build", options.protocol));
}

}  // namespace cdc
