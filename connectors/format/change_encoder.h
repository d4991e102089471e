// ChangeEncoder: a change-event format's writing half. It turns one change (an insert, update
// or delete with its images, a truncate, or a schema change, each a RowChange) into one
// EncodedMessage, whatever carries the message afterwards: the print sink writes the value as a
// line, the message-queue sinks (Kafka, Pulsar) send key and value. Its reading half is a
// ChangeDecoder (connectors/format/change_decoder.h); a format's encoder and decoder agree on
// the bytes, so what a sink writes a source can read back.
//
// One message per change, as Debezium's converters and TiCDC's row-per-message protocols
// (canal-json, open-protocol with batching off) do; putting several messages into one send is
// the sink's business, not the format's.
//
// Implementations say their thread-safety; Encode is const so that an immutable encoder can be
// shared by every subtask of a sink.
#pragma once

#include <string_view>
#include <vector>

#include "connectors/format/encoded_message.h"
#include "runtime/status.h"
#include "schema/row_change.h"

namespace cdc {

class ChangeEncoder {
 public:
  virtual ~ChangeEncoder() = default;

  // The message for `change`. An error names the change and what the format cannot write
  // (a value it has no type for, a schema a registry refused).
  virtual Result<EncodedMessage> Encode(const RowChange& change) const = 0;

  // Messages a queue sink sends right after `change`'s own, to the same partition: Debezium's
  // tombstone after a delete. None by default.
  virtual std::vector<EncodedMessage> Trailing(const RowChange& /*change*/) const { return {}; }

  // For a message over a queue's size limit (TiCDC's large-message-handle-option): the change
  // with only its handle key, marked as such; and a small message pointing at `location`, where
  // the sink stored the whole message (claim-check). Formats without these forms return
  // InvalidArgument naming the format.
  virtual Result<EncodedMessage> EncodeHandleKeyOnly(const RowChange& change) const;
  virtual Result<EncodedMessage> EncodeClaimCheckReference(const RowChange& change,
                                                           std::string_view location) const;
  // The format's name in messages: "canal-json", "debezium", ...
  virtual const char* name() const = 0;
};

}  // namespace cdc
