// KafkaSink: the table-writer factory that delivers row changes to Kafka, as TiCDC's Kafka sink
// does: each change encoded by the sink's protocol (a ChangeEncoder) into one message, sent to
// its table's topic and partition (TableDispatchRules); a truncate or schema change goes to
// every partition of its table's topic, and a RENAME of several tables is split into one
// message per table, sent to the topic of the table's old name.
//
// Delivery: a writer produces a flush's messages asynchronously and calls `done` only when the
// broker has acknowledged every one of them (as required-acks asks), or with the first failure
// once librdkafka's retries are spent. So a checkpoint, which waits for every flush before its
// barrier, completes only when everything before it is in Kafka: at-least-once across
// restarts (the changes after the last checkpoint are sent again).
//
// Column selectors cut the rows to their selected columns before encoding (a table's key and
// the columns its partition dispatcher reads must stay).
//
// Topics are checked when first used: created when missing (auto-create-topic, with
// partition-num partitions, 3 by default, and replication-factor), refused when they have fewer
// partitions than partition-num; the message limit is the smaller of max-message-bytes and the
// topic's own max.message.bytes.
//
// Exactly-once (delivery-guarantee: exactly-once): each flush is one Kafka transaction of its
// subtask's transactional producer, holding the flush's messages and its DeliveryState record,
// so a read_committed consumer sees every change once across crashes (DeliveryState explains).
//
// Thread-safe: writers of every table and subtask share the producer and the topic cache.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "connectors/format/change_encoder.h"
#include "connectors/kafka/delivery_state.h"
#include "connectors/kafka/kafka_producer.h"
#include "connectors/kafka/kafka_sink_options.h"
#include "connectors/mq/claim_check_storage.h"
#include "connectors/mq/column_selector.h"
#include "connectors/mq/table_dispatch.h"
#include "operators/table_writer.h"

namespace cdc {

struct KafkaSinkStats {
  uint64_t messages = 0;               // acknowledged by the broker
  uint64_t bytes = 0;                  // keys and values of those messages
  int64_t applied_commit_time_us = 0;  // the newest commit time of an acknowledged flush
};

class KafkaSink final : public TableWriterFactory {
 public:
  // `encoder` writes every message (thread-safe: shared by all writers). `client_id` is used
  // when the options name none.
  KafkaSink(KafkaSinkOptions options, std::shared_ptr<const ChangeEncoder> encoder,
            std::string client_id = "cdc");
  ~KafkaSink() override;

  // Validates the options and the dispatch rules, reaches the cluster, compares kafka-version
  // with the broker's (a warning when they differ: librdkafka negotiates the protocol itself)
  // and checks the default topic. With exactly-once, also makes the state topic, fences the
  // transactional ids of every earlier subtask (of this or a larger parallelism) and loads the
  // delivery state; `parallelism` is the sink's. Call once before the job runs; an error
  // names the cause and the fix.
  Status Check(size_t parallelism = 1);

  Result<std::unique_ptr<TableWriter>> CreateWriter(const TableWriterContext& context) override;

  // Whether the job must route changes to this sink by table (DataStream::KeyByTable) rather
  // than by row key (KeyBy) to keep each partition in source order.
  bool NeedsTableRouting() const;

  KafkaSinkStats stats() const;

 private:
  class Writer;
  struct Topic {
    int32_t partitions = 0;
    uint64_t max_message_bytes = 0;
  };

  // The topic's partitions in use and message limit, checked (and created) on first use.
  Result<Topic> TopicFor(const std::string& name);
  void Acknowledged(uint64_t messages, uint64_t bytes, int64_t commit_time_us);

  // Exactly-once: one transactional producer per sink subtask, one transaction at a time.
  struct Transactional {
    std::mutex mu;  // held for a whole transaction
    std::unique_ptr<KafkaProducer> producer;
  };
  Status PrepareExactlyOnce(size_t parallelism);

  KafkaSinkOptions options_;
  std::shared_ptr<const ChangeEncoder> encoder_;
  std::string client_id_;
  std::unique_ptr<KafkaProducer> producer_;
  std::optional<TableDispatchRules> rules_;
  std::optional<ColumnSelector> selector_;
  std::optional<ClaimCheckStorage> claim_check_;  // large-message-handle-option claim-check

  std::mutex topics_mu_;  // guards topics_
  std::map<std::string, Topic> topics_;

  std::string state_topic_;
  std::optional<DeliveryState> delivery_state_;  // as loaded at start; read-only after
  std::vector<std::unique_ptr<Transactional>> transactional_;
  size_t parallelism_ = 1;

  std::atomic<uint64_t> messages_{0};
  std::atomic<uint64_t> bytes_{0};
  std::atomic<int64_t> applied_commit_time_us_{0};
};

}  // namespace cdc
