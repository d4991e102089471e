// DeliveryState: the Kafka sink's exactly-once bookkeeping, kept in Kafka itself. Each flush
// of a table by a sink subtask is one Kafka transaction holding the flush's messages and one
// record in the sink's state topic (compacted, one partition): key "<db>.<table>|<subtask>"
// (or "<db>.<table>|barrier" for a schema change or truncate), value the source position of
// the flush's last change and the sink's parallelism. The record commits with the messages or
// not at all, so after a crash (kill -9 included) the state says exactly what reached the
// topics. On restart the job replays from its last checkpoint, and each writer passes over the
// changes at or before its recorded position: every change reaches a read_committed consumer
// once.
//
// Only changes the source can order (CompareInSource: binlog positions, MariaDB GTIDs) are
// passed over; snapshot rows carry no order of their own and are sent again when their chunk
// is replayed (at-least-once for a snapshot interrupted by a crash).
//
// Load reads the state topic to its end with read_committed, after the sink has fenced every
// transactional id that could hold an open transaction (so the end is reached at once).
//
// Plain value type; the encoding functions are pure.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "connectors/kafka/kafka_sink_options.h"
#include "runtime/status.h"
#include "schema/row_change.h"

namespace cdc {

struct DeliveryRecord {
  SourcePosition position;
  uint32_t parallelism = 0;
};

class DeliveryState {
 public:
  // The state topic's records, read to its end (`read_committed`: only committed ones).
  // IoError naming the topic when it cannot be read.
  static Result<DeliveryState> Load(const KafkaSinkOptions& options, const std::string& topic,
                                    bool read_committed);

  static std::string Key(const TableId& table, size_t subtask);
  static std::string BarrierKey(const TableId& table);
  static std::string Encode(const DeliveryRecord& record);
  // InvalidArgument naming the text when it is not an encoded record.
  static Result<DeliveryRecord> Decode(std::string_view text);

  // The record under `key`, if any.
  std::optional<DeliveryRecord> Find(const std::string& key) const;
  // The largest subtask number and parallelism any record names (0 when none).
  size_t max_subtasks() const;
  const std::map<std::string, DeliveryRecord>& records() const { return records_; }

 private:
  std::map<std::string, DeliveryRecord> records_;
};

}  // namespace cdc
