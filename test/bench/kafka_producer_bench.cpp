// Benchmark baseline for the Kafka sink (issue #17): librdkafka producing pre-encoded messages
// as fast as it can, with the sink's producer settings (connectors/kafka/kafka_producer.cpp:
// acks=-1, idempotence, no compression, the same queue limits), one message per produce call
// copied into librdkafka (RD_KAFKA_MSG_F_COPY, as the sink does).
//
//   kafka-producer-bench count BROKERS TOPIC
//       Reads TOPIC from its beginning to its end and prints
//         count: messages M bytes B partitions P
//       (B: keys and values; a tombstone counts its key only).
//   kafka-producer-bench replay BROKERS FROM_TOPIC TO_TOPIC [REPEATS=1]
//       Reads every message of FROM_TOPIC into memory (the messages a pipeline run wrote), then
//       creates TO_TOPIC with FROM_TOPIC's partition count and produces the same keys and
//       values, each to its original partition, timing from the first produce call until the
//       broker has acknowledged the last message. Prints the `count:` line for FROM_TOPIC and
//         replay: messages M bytes B seconds S messages/s R MB/s X
//       REPEATS > 1 produces them again into TO_TOPIC-2, ... (a fresh producer each time) and
//       prints one `replay:` line each, then the fastest as `best:` (same fields).
//
// test/bench/run-kafka-bench.sh runs it. Exit status 1 on any failure, with the reason.
#include <librdkafka/rdkafka.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

struct Message {
  int32_t partition = 0;
  std::string key;
  std::string value;
  bool tombstone = false;
};

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "kafka-producer-bench: %s\n", what.c_str());
  std::exit(1);
}

void Set(rd_kafka_conf_t* conf, const char* name, const std::string& value) {
  char error[512];
  if (rd_kafka_conf_set(conf, name, value.c_str(), error, sizeof error) != RD_KAFKA_CONF_OK) {
    Fail(std::string("librdkafka refuses ") + name + "=" + value + ": " + error);
  }
}

rd_kafka_t* Create(rd_kafka_type_t type, rd_kafka_conf_t* conf) {
  char error[512];
  rd_kafka_t* rk = rd_kafka_new(type, conf, error, sizeof error);
  if (rk == nullptr) Fail(std::string("cannot create a client: ") + error);
  return rk;
}

int32_t PartitionCount(rd_kafka_t* rk, const std::string& topic) {
  rd_kafka_topic_t* handle = rd_kafka_topic_new(rk, topic.c_str(), nullptr);
  const rd_kafka_metadata_t* metadata = nullptr;
  rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 0, handle, &metadata, 10'000);
  rd_kafka_topic_destroy(handle);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    Fail("metadata of topic " + topic + ": " + rd_kafka_err2str(err));
  }
  int32_t partitions = metadata->topic_cnt == 1 && metadata->topics[0].err == 0
                           ? metadata->topics[0].partition_cnt
                           : 0;
  rd_kafka_metadata_destroy(metadata);
  if (partitions <= 0) Fail("topic " + topic + " does not exist");
  return partitions;
}

// Every message of `topic`, read with a plain assigned consumer (no group) up to the end
// offsets taken before reading.
std::vector<Message> ReadAll(const std::string& brokers, const std::string& topic,
                             int32_t& partitions) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  Set(conf, "bootstrap.servers", brokers);
  Set(conf, "group.id", "kafka-producer-bench");
  Set(conf, "enable.auto.commit", "false");
  Set(conf, "fetch.message.max.bytes", "10485760");
  rd_kafka_t* rk = Create(RD_KAFKA_CONSUMER, conf);
  rd_kafka_poll_set_consumer(rk);
  partitions = PartitionCount(rk, topic);
  std::vector<int64_t> ends(partitions);
  int64_t total = 0;
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(partitions);
  for (int32_t p = 0; p < partitions; ++p) {
    int64_t low = 0;
    rd_kafka_resp_err_t err =
        rd_kafka_query_watermark_offsets(rk, topic.c_str(), p, &low, &ends[p], 10'000);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      Fail("end offset of " + topic + " partition " + std::to_string(p) + ": " +
           rd_kafka_err2str(err));
    }
    total += ends[p] - low;
    if (ends[p] > low) rd_kafka_topic_partition_list_add(list, topic.c_str(), p)->offset = low;
  }
  std::vector<Message> messages;
  messages.reserve(static_cast<size_t>(total));
  rd_kafka_assign(rk, list);
  rd_kafka_topic_partition_list_destroy(list);
  std::vector<int64_t> next(partitions, 0);
  int64_t read = 0;
  auto last_progress = std::chrono::steady_clock::now();
  while (read < total) {
    rd_kafka_message_t* m = rd_kafka_consumer_poll(rk, 1000);
    auto now = std::chrono::steady_clock::now();
    if (m == nullptr) {
      if (now - last_progress > std::chrono::seconds(30)) {
        Fail("reading " + topic + ": nothing for 30 s after " + std::to_string(read) + " of " +
             std::to_string(total) + " messages");
      }
      continue;
    }
    last_progress = now;
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      rd_kafka_message_destroy(m);
      continue;
    }
    if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      Fail("reading " + topic + ": " + rd_kafka_message_errstr(m));
    }
    if (m->offset < ends[m->partition]) {
      Message& message = messages.emplace_back();
      message.partition = m->partition;
      if (m->key != nullptr) message.key.assign(static_cast<const char*>(m->key), m->key_len);
      message.tombstone = m->payload == nullptr;
      if (m->payload != nullptr) {
        message.value.assign(static_cast<const char*>(m->payload), m->len);
      }
      ++read;
    }
    rd_kafka_message_destroy(m);
  }
  rd_kafka_consumer_close(rk);
  rd_kafka_destroy(rk);
  return messages;
}

uint64_t Bytes(const std::vector<Message>& messages) {
  uint64_t bytes = 0;
  for (const Message& m : messages) bytes += m.key.size() + m.value.size();
  return bytes;
}

void CreateTopic(rd_kafka_t* rk, const std::string& topic, int32_t partitions) {
  char error[512];
  rd_kafka_NewTopic_t* new_topic =
      rd_kafka_NewTopic_new(topic.c_str(), partitions, 1, error, sizeof error);
  if (new_topic == nullptr) Fail("topic " + topic + ": " + error);
  rd_kafka_queue_t* queue = rd_kafka_queue_new(rk);
  rd_kafka_CreateTopics(rk, &new_topic, 1, nullptr, queue);
  rd_kafka_NewTopic_destroy(new_topic);
  rd_kafka_event_t* event = rd_kafka_queue_poll(queue, 30'000);
  if (event == nullptr) Fail("creating topic " + topic + " timed out");
  size_t count = 0;
  const rd_kafka_topic_result_t** results =
      rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(event), &count);
  rd_kafka_resp_err_t err = rd_kafka_event_error(event);
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR && count == 1)
    err = rd_kafka_topic_result_error(results[0]);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    Fail("creating topic " + topic + ": " + rd_kafka_err2str(err));
  }
  rd_kafka_event_destroy(event);
  rd_kafka_queue_destroy(queue);
}

std::atomic<int64_t> delivered{0};
std::atomic<int64_t> failed{0};

// Produces `messages` into the new topic `to` of `partitions` partitions; returns the seconds
// from the first produce call to the last acknowledgement.
double ProduceAll(const std::string& brokers, const std::vector<Message>& messages,
                  const std::string& to, int32_t partitions) {
  delivered = 0;
  failed = 0;

  // The sink's Properties() with the sink's defaults (KafkaSinkOptions).
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  Set(conf, "bootstrap.servers", brokers);
  Set(conf, "client.id", "kafka-producer-bench");
  Set(conf, "acks", "-1");
  Set(conf, "enable.idempotence", "true");
  Set(conf, "compression.codec", "none");
  Set(conf, "message.max.bytes", std::to_string(10 * 1024 * 1024 + 4096));
  Set(conf, "socket.connection.setup.timeout.ms", "10000");
  Set(conf, "socket.timeout.ms", "10000");
  Set(conf, "queue.buffering.max.messages", "1000000");
  Set(conf, "queue.buffering.max.kbytes", "1048576");
  rd_kafka_conf_set_dr_msg_cb(conf, [](rd_kafka_t*, const rd_kafka_message_t* m, void*) {
    if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      delivered.fetch_add(1, std::memory_order_relaxed);
    } else {
      if (failed.fetch_add(1) == 0) {
        std::fprintf(stderr, "kafka-producer-bench: delivery failed: %s\n",
                     rd_kafka_err2str(m->err));
      }
    }
  });
  rd_kafka_t* rk = Create(RD_KAFKA_PRODUCER, conf);
  CreateTopic(rk, to, partitions);
  // The topic's metadata, so the timed loop does not wait for it.
  PartitionCount(rk, to);

  auto started = std::chrono::steady_clock::now();
  for (const Message& m : messages) {
    for (;;) {
      rd_kafka_resp_err_t err = rd_kafka_producev(
          rk, RD_KAFKA_V_TOPIC(to.c_str()), RD_KAFKA_V_PARTITION(m.partition),
          RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
          RD_KAFKA_V_KEY(m.key.empty() ? nullptr : const_cast<char*>(m.key.data()), m.key.size()),
          RD_KAFKA_V_VALUE(m.tombstone ? nullptr : const_cast<char*>(m.value.data()),
                           m.value.size()),
          RD_KAFKA_V_END);
      if (err == RD_KAFKA_RESP_ERR_NO_ERROR) break;
      if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL)
        Fail(std::string("produce: ") + rd_kafka_err2str(err));
      rd_kafka_poll(rk, 1);  // backpressure: delivery reports free room
    }
    rd_kafka_poll(rk, 0);
  }
  rd_kafka_resp_err_t flushed = rd_kafka_flush(rk, 300'000);
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (flushed != RD_KAFKA_RESP_ERR_NO_ERROR) {
    Fail(std::string("flush: ") + rd_kafka_err2str(flushed));
  }
  if (failed.load() != 0 || delivered.load() != static_cast<int64_t>(messages.size())) {
    Fail(std::to_string(failed.load()) + " deliveries failed, " + std::to_string(delivered.load()) +
         " of " + std::to_string(messages.size()) + " acknowledged");
  }
  rd_kafka_destroy(rk);
  return seconds;
}

void Replay(const std::string& brokers, const std::string& from, const std::string& to,
            int repeats) {
  int32_t partitions = 0;
  std::vector<Message> messages = ReadAll(brokers, from, partitions);
  uint64_t bytes = Bytes(messages);
  std::printf("count: messages %zu bytes %llu partitions %d\n", messages.size(),
              static_cast<unsigned long long>(bytes), partitions);
  std::fflush(stdout);
  double best = 0;
  for (int i = 1; i <= repeats; ++i) {
    double seconds =
        ProduceAll(brokers, messages, i == 1 ? to : to + "-" + std::to_string(i), partitions);
    std::printf("replay: messages %zu bytes %llu seconds %.3f messages/s %.0f MB/s %.1f\n",
                messages.size(), static_cast<unsigned long long>(bytes), seconds,
                messages.size() / seconds, bytes / seconds / 1e6);
    std::fflush(stdout);
    if (i == 1 || seconds < best) best = seconds;
  }
  std::printf("best: messages %zu bytes %llu seconds %.3f messages/s %.0f MB/s %.1f\n",
              messages.size(), static_cast<unsigned long long>(bytes), best, messages.size() / best,
              bytes / best / 1e6);
}

}  // namespace

int main(int argc, char** argv) {
  std::string command = argc > 1 ? argv[1] : "";
  if (command == "count" && argc == 4) {
    int32_t partitions = 0;
    std::vector<Message> messages = ReadAll(argv[2], argv[3], partitions);
    std::printf("count: messages %zu bytes %llu partitions %d\n", messages.size(),
                static_cast<unsigned long long>(Bytes(messages)), partitions);
    return 0;
  }
  if (command == "replay" && (argc == 5 || argc == 6)) {
    int repeats = argc == 6 ? std::atoi(argv[5]) : 1;
    if (repeats < 1) {
      std::fprintf(stderr, "kafka-producer-bench: REPEATS must be at least 1\n");
      return 2;
    }
    Replay(argv[2], argv[3], argv[4], repeats);
    return 0;
  }
  std::fprintf(stderr,
               "usage: kafka-producer-bench count BROKERS TOPIC\n"
               "       kafka-producer-bench replay BROKERS FROM_TOPIC TO_TOPIC [REPEATS]\n");
  return 2;
}
