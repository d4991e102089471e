// KafkaProducer: the Kafka sink's one librdkafka producer, shared by all its writers: produces
// messages asynchronously, each with a DeliveryTracker that learns its fate (acknowledged by
// the broker as required-acks asks, or failed for good after librdkafka's retries), and answers
// the start-up questions the sink asks a broker (does a topic exist, how many partitions, its
// message size limit; create a missing topic).
//
// Delivery reports run on the producer's own poll thread. Order: librdkafka keeps the order of
// the messages produced to one partition, retries included, with the idempotent producer that
// is on whenever required-acks is -1.
//
// Thread-safe: Produce may be called from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "connectors/kafka/kafka_sink_options.h"
#include "runtime/status.h"

struct rd_kafka_s;

namespace cdc {

// Counts the messages of one unit of work (a table's flush) until each is delivered or failed,
// then calls `done` once with OK or the first failure. Thread-safe.
class DeliveryTracker {
 public:
  explicit DeliveryTracker(std::function<void(Status)> done) : done_(std::move(done)) {}

  // One more message on its way. Call before producing it.
  void Add() { pending_.fetch_add(1, std::memory_order_relaxed); }
  // A message's fate.
  void Delivered(const Status& status);
  // No more messages will be added: `done` runs once every added message has its fate. The
  // tracker deletes itself after `done`, so it must be made with new.
  void Seal() { Delivered(Status::Ok()); }

 private:
  // The creator's hold, released by Seal, keeps `done` from running before every Add.
  std::atomic<int64_t> pending_{1};
  std::mutex mu_;  // guards first_error_
  Status first_error_;
  std::function<void(Status)> done_;
};

// The librdkafka properties that reach the cluster: bootstrap servers, TLS and SASL, as
// `options` set them. Every client of the sink's (producers, the state reader) starts from them.
std::vector<std::pair<std::string, std::string>> KafkaConnectionProperties(
    const KafkaSinkOptions& options);

struct TopicInfo {
  int32_t partitions = 0;
  uint64_t max_message_bytes = 0;  // the topic's max.message.bytes; 0 when not readable
};

class KafkaProducer {
 public:
  // A producer configured from `options` (brokers, security, acks, compression, timeouts,
  // `properties`) with `client_id`. InvalidArgument naming the librdkafka property for a
  // configuration librdkafka refuses. Connects lazily: Check() talks to the broker.
  static Result<std::unique_ptr<KafkaProducer>> Create(const KafkaSinkOptions& options,
                                                       const std::string& client_id);
  // A transactional producer (exactly-once) with `transactional_id`, its transactions
  // initialised: an open transaction of an earlier producer of that id is aborted, and that
  // producer fenced. IoError naming the id when the broker does not answer.
  static Result<std::unique_ptr<KafkaProducer>> CreateTransactional(
      const KafkaSinkOptions& options, const std::string& client_id,
      const std::string& transactional_id);

  // Transactions of a transactional producer, one at a time. CommitTransaction waits until
  // every message of the transaction is acknowledged and the commit is written. After a failed
  // one, AbortTransaction (which waits for the messages in flight first: aborting right after
  // producing can fail in librdkafka 2.0, docs/kafka.md) or, for a fatal error, a new producer.
  Status BeginTransaction();
  Status CommitTransaction();
  Status AbortTransaction();
  ~KafkaProducer();
  KafkaProducer(const KafkaProducer&) = delete;
  KafkaProducer& operator=(const KafkaProducer&) = delete;

  // Reaches the cluster: IoError naming the brokers and the cause (unreachable, refused
  // credentials, TLS failure) and the fix.
  Status Check();

  // The topic's partition count and size limit; creating it first with `partitions` and
  // `replication_factor` when it is missing and `create` is set. InvalidArgument when it is
  // missing and `create` is not (naming the option), IoError when the broker refuses.
  Result<TopicInfo> EnsureTopic(const std::string& topic, bool create, int32_t partitions,
                                int32_t replication_factor, bool compacted = false);

  // The version the broker says it runs ("3.9.1"), from its configuration, or empty when the
  // broker does not tell.
  std::string BrokerVersion();

  // Queues a message (copied) for `topic` and `partition`, with a null value (a tombstone) when
  // `null_value`; `tracker` (Add() already called)
  // hears its fate from the poll thread. Waits while librdkafka's queue is full. An error
  // (unknown partition, message over librdkafka's own limit) is returned, and the tracker is
  // not told.
  Status Produce(const std::string& topic, int32_t partition, std::string_view key,
                 std::string_view value, bool null_value, DeliveryTracker* tracker);

  // Messages queued or in flight, not yet reported.
  int64_t outstanding() const;

  // A fatal error of the producer (the idempotent producer's sequence broken, fenced), or OK.
  Status fatal_error() const;

 private:
  KafkaProducer() = default;
  static Result<std::unique_ptr<KafkaProducer>> Make(
      const std::vector<std::pair<std::string, std::string>>& properties);
  void PollLoop();
  // The value of configuration `config` of a topic or broker (an rd_kafka_ResourceType_t), or
  // empty when the broker does not say it.
  std::string DescribeConfig(int resource_type, const std::string& resource_name,
                             std::string_view config);
  static void OnDelivery(rd_kafka_s* rk, const void* message, void* opaque);
  static void OnError(rd_kafka_s* rk, int error, const char* reason, void* opaque);

  rd_kafka_s* rk_ = nullptr;
  std::string brokers_;
  std::atomic<bool> stop_{false};
  std::thread poller_;
  mutable std::mutex mu_;   // guards last_error_, fatal_
  std::string last_error_;  // the last error librdkafka reported, for start-up messages
  Status fatal_;
};

}  // namespace cdc
