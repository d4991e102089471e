// The Kafka broker that test/kafka/run-with-kafka.sh starts for the Kafka integration tests,
// read from the environment it exports (missing variables fail the test with the fix:
// integration tests never skip), and a plain librdkafka consumer that reads topics back.
#pragma once

#include <doctest/doctest.h>
#include <librdkafka/rdkafka.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "connectors/kafka/kafka_sink_options.h"

namespace cdc::testing {

inline std::string KafkaEnv(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr) {
    FAIL(
        name << " is not set: run the Kafka integration tests through test/kafka/run-with-kafka.sh "
                "(meson test --suite integration does)");
  }
  return value;
}

// Sink options for the plaintext listener and `topic`.
inline KafkaSinkOptions PlainKafka(const std::string& topic) {
  KafkaSinkOptions options;
  options.brokers = {KafkaEnv("CDC_TEST_KAFKA_BROKERS")};
  options.topic = topic;
  return options;
}

struct ConsumedMessage {
  std::string topic;
  int32_t partition = 0;
  int64_t offset = 0;
  std::string key;
  std::string value;
  bool null_value = false;  // a tombstone
};

// Reads `topics` from their beginning, as a new consumer group, until `expected` messages have
// arrived or nothing more came for `idle` (then the count tells the test what is missing).
// `read_committed` reads only committed transactions.
inline std::vector<ConsumedMessage> ConsumeAll(
    const std::vector<std::string>& topics, size_t expected,
    std::chrono::milliseconds idle = std::chrono::milliseconds(5000), bool read_committed = false) {
  static int group = 0;
  char error[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  auto set = [&](const char* name, const std::string& value) {
    REQUIRE_MESSAGE(
        rd_kafka_conf_set(conf, name, value.c_str(), error, sizeof error) == RD_KAFKA_CONF_OK,
        error);
  };
  set("bootstrap.servers", KafkaEnv("CDC_TEST_KAFKA_BROKERS"));
  set("group.id", "cdc-test-" + std::to_string(::getpid()) + "-" + std::to_string(++group));
  set("auto.offset.reset", "earliest");
  set("enable.auto.commit", "false");
  set("isolation.level", read_committed ? "read_committed" : "read_uncommitted");
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, error, sizeof error);
  REQUIRE_MESSAGE(rk != nullptr, error);
  rd_kafka_poll_set_consumer(rk);
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(1);
  for (const std::string& topic : topics) {
    rd_kafka_topic_partition_list_add(list, topic.c_str(), RD_KAFKA_PARTITION_UA);
  }
  REQUIRE(rd_kafka_subscribe(rk, list) == RD_KAFKA_RESP_ERR_NO_ERROR);
  rd_kafka_topic_partition_list_destroy(list);
  std::vector<ConsumedMessage> messages;
  auto last = std::chrono::steady_clock::now();
  // The first assignment takes a few seconds (the group's join): the idle wait starts once
  // something arrived or after 30 s.
  bool any = false;
  while (messages.size() < expected) {
    rd_kafka_message_t* m = rd_kafka_consumer_poll(rk, 200);
    auto now = std::chrono::steady_clock::now();
    if (m == nullptr) {
      if (now - last > (any ? idle : std::chrono::milliseconds(30'000))) break;
      continue;
    }
    if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      ConsumedMessage message;
      message.topic = rd_kafka_topic_name(m->rkt);
      message.partition = m->partition;
      message.offset = m->offset;
      if (m->key != nullptr) message.key.assign(static_cast<const char*>(m->key), m->key_len);
      if (m->payload != nullptr) {
        message.value.assign(static_cast<const char*>(m->payload), m->len);
      } else {
        message.null_value = true;
      }
      messages.push_back(std::move(message));
      any = true;
      last = now;
    }
    rd_kafka_message_destroy(m);
  }
  rd_kafka_consumer_close(rk);
  rd_kafka_destroy(rk);
  return messages;
}

// Partition counts of `topic`, or -1 when the broker does not know it.
inline int PartitionCount(const std::string& topic) {
  char error[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "bootstrap.servers", KafkaEnv("CDC_TEST_KAFKA_BROKERS").c_str(), error,
                    sizeof error);
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
  REQUIRE(rk != nullptr);
  const rd_kafka_metadata_t* metadata = nullptr;
  int count = -1;
  if (rd_kafka_metadata(rk, 1, nullptr, &metadata, 10'000) == RD_KAFKA_RESP_ERR_NO_ERROR) {
    for (int i = 0; i < metadata->topic_cnt; ++i) {
      if (topic == metadata->topics[i].topic) count = metadata->topics[i].partition_cnt;
    }
    rd_kafka_metadata_destroy(metadata);
  }
  rd_kafka_destroy(rk);
  return count;
}

}  // namespace cdc::testing
