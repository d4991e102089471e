#include "connectors/format/change_encoder.h"

#include <fmt/format.h>

namespace cdc {

Result<EncodedMessage> ChangeEncoder::EncodeHandleKeyOnly(const RowChange& /*change*/) const {
  return Status::InvalidArgument(
      fmt::format("the {} format has no handle-key-only message: use protocol canal-json with "
                  "enable-extension, or large-message-handle-option none",
                  name()));
}

Result<EncodedMessage> ChangeEncoder::EncodeClaimCheckReference(
    const RowChange& /*change*/, std::string_view /*location*/) const {
  return Status::InvalidArgument(fmt::format(
      "the {} format has no claim-check message: use protocol canal-json with enable-extension, "
      "or large-message-handle-option none",
      name()));
}

}  // namespace cdc
