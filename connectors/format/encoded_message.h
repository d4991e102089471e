// EncodedMessage: one change as a message-queue format writes it: a key (what a queue
// partitions and compacts by) and a value (the change itself), both opaque bytes. Where the
// message goes (topic, partition, stream) is not part of it: the sink decides that.
//
// A plain value type.
#pragma once

#include <string>

namespace cdc {

struct EncodedMessage {
  std::string key;  // empty when the format keys nothing
  std::string value;
  // The value is null, not empty: a tombstone (Debezium's after a delete), which makes a
  // compacted topic forget the key.
  bool tombstone = false;
  friend bool operator==(const EncodedMessage&, const EncodedMessage&) = default;
};

}  // namespace cdc
