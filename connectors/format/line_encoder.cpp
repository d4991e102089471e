#include "connectors/format/line_encoder.h"

namespace cdc {

Result<EncodedMessage> LineEncoder::Encode(const RowChange& change) const {
  EncodedMessage message;
  if (change.table != nullptr) message.key = change.table->id().Quoted();
  message.value = change.ToString();
  return message;
}

}  // namespace cdc
