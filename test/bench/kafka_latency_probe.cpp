// Live latency of the Kafka sink (issue #17): source commit to broker acknowledgement.
//
//   kafka-latency-probe create-topic BROKERS TOPIC PARTITIONS
//       Creates TOPIC with message.timestamp.type=LogAppendTime, so each message's timestamp is
//       the broker's clock when it appended the message to its log: with one broker and
//       acks=-1 that is the moment the broker acknowledges it (the reply follows the append).
//   kafka-latency-probe consume BROKERS TOPIC COLUMN EXPECTED TIMEOUT_S
//       Reads TOPIC from its beginning (start it before the workload) until EXPECTED canal-json
//       row messages carrying COLUMN in `data` arrived, or TIMEOUT_S passed. COLUMN holds the
//       source's SYSDATE(6) at the write, as canal-json writes a DATETIME(6):
//       "YYYY-MM-DD HH:MM:SS.ffffff", read as UTC (the workload sets time_zone = '+00:00').
//       Prints, in milliseconds, p50 / p99 / max of
//         appended: the broker's LogAppendTime - COLUMN (the measure)
//         consumed: this consumer's clock when the message arrived - COLUMN
//       as  latency: messages N appended p50 A p99 B max C consumed p50 D p99 E max F
//
// The broker, the source and this probe share one machine and one clock.
#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <string_view>
#include <vector>

namespace {

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "kafka-latency-probe: %s\n", what.c_str());
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

void CreateTopic(const std::string& brokers, const std::string& topic, int partitions) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  Set(conf, "bootstrap.servers", brokers);
  rd_kafka_t* rk = Create(RD_KAFKA_PRODUCER, conf);
  char error[512];
  rd_kafka_NewTopic_t* new_topic =
      rd_kafka_NewTopic_new(topic.c_str(), partitions, 1, error, sizeof error);
  if (new_topic == nullptr) Fail("topic " + topic + ": " + error);
  rd_kafka_NewTopic_set_config(new_topic, "message.timestamp.type", "LogAppendTime");
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
  rd_kafka_destroy(rk);
}

int64_t NowUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Microseconds since the epoch of "YYYY-MM-DD HH:MM:SS.ffffff" read as UTC; -1 if malformed.
int64_t ParseDatetimeUs(std::string_view text) {
  std::tm tm{};
  int micros = 0;
  std::string copy(text);
  if (std::sscanf(copy.c_str(), "%4d-%2d-%2d %2d:%2d:%2d.%6d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &micros) != 7) {
    return -1;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<int64_t>(timegm(&tm)) * 1'000'000 + micros;
}

// The value of `column` in a canal-json message's `data` (the row after the change); -1 when
// the message has none (a DDL message, another table).
int64_t SourceTimeUs(std::string_view json, const std::string& column) {
  size_t data = json.find("\"data\":[");
  if (data == std::string_view::npos) return -1;
  std::string needle = "\"" + column + "\":\"";
  size_t at = json.find(needle, data);
  if (at == std::string_view::npos) return -1;
  at += needle.size();
  size_t end = json.find('"', at);
  if (end == std::string_view::npos) return -1;
  return ParseDatetimeUs(json.substr(at, end - at));
}

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  size_t rank = static_cast<size_t>(p * static_cast<double>(values.size() - 1) + 0.5);
  return values[std::min(rank, values.size() - 1)];
}

int Consume(const std::string& brokers, const std::string& topic, const std::string& column,
            size_t expected, int timeout_s) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  Set(conf, "bootstrap.servers", brokers);
  Set(conf, "group.id", "kafka-latency-probe");
  Set(conf, "enable.auto.commit", "false");
  Set(conf, "auto.offset.reset", "earliest");
  // Deliver each message as soon as the broker has it.
  Set(conf, "fetch.wait.max.ms", "5");
  Set(conf, "fetch.min.bytes", "1");
  rd_kafka_t* rk = Create(RD_KAFKA_CONSUMER, conf);
  rd_kafka_poll_set_consumer(rk);
  const rd_kafka_metadata_t* metadata = nullptr;
  rd_kafka_topic_t* handle = rd_kafka_topic_new(rk, topic.c_str(), nullptr);
  if (rd_kafka_metadata(rk, 0, handle, &metadata, 10'000) != RD_KAFKA_RESP_ERR_NO_ERROR ||
      metadata->topic_cnt != 1 || metadata->topics[0].err != 0) {
    Fail("topic " + topic + " does not exist: create it first (create-topic)");
  }
  int partitions = metadata->topics[0].partition_cnt;
  rd_kafka_metadata_destroy(metadata);
  rd_kafka_topic_destroy(handle);
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(partitions);
  for (int p = 0; p < partitions; ++p) {
    rd_kafka_topic_partition_list_add(list, topic.c_str(), p)->offset = RD_KAFKA_OFFSET_BEGINNING;
  }
  rd_kafka_assign(rk, list);
  rd_kafka_topic_partition_list_destroy(list);
  std::fprintf(stderr, "kafka-latency-probe: reading %s (%d partitions)\n", topic.c_str(),
               partitions);

  std::vector<double> appended_ms, consumed_ms;
  size_t wrong_timestamp_type = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  while (appended_ms.size() < expected && std::chrono::steady_clock::now() < deadline) {
    rd_kafka_message_t* m = rd_kafka_consumer_poll(rk, 100);
    if (m == nullptr) continue;
    int64_t arrived_us = NowUs();
    if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR && m->payload != nullptr) {
      int64_t source_us =
          SourceTimeUs(std::string_view(static_cast<const char*>(m->payload), m->len), column);
      rd_kafka_timestamp_type_t type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE;
      int64_t appended_at_ms = rd_kafka_message_timestamp(m, &type);
      if (source_us >= 0) {
        if (type != RD_KAFKA_TIMESTAMP_LOG_APPEND_TIME) ++wrong_timestamp_type;
        appended_ms.push_back(static_cast<double>(appended_at_ms * 1000 - source_us) / 1000.0);
        consumed_ms.push_back(static_cast<double>(arrived_us - source_us) / 1000.0);
      }
    } else if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR && m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      std::fprintf(stderr, "kafka-latency-probe: %s\n", rd_kafka_message_errstr(m));
    }
    rd_kafka_message_destroy(m);
  }
  rd_kafka_consumer_close(rk);
  rd_kafka_destroy(rk);
  if (wrong_timestamp_type != 0) {
    Fail(std::to_string(wrong_timestamp_type) +
         " messages carry no LogAppendTime: create the topic with create-topic first");
  }
  std::printf(
      "latency: messages %zu appended p50 %.1f p99 %.1f max %.1f consumed p50 %.1f p99 %.1f max "
      "%.1f\n",
      appended_ms.size(), Percentile(appended_ms, 0.5), Percentile(appended_ms, 0.99),
      appended_ms.empty() ? 0 : *std::max_element(appended_ms.begin(), appended_ms.end()),
      Percentile(consumed_ms, 0.5), Percentile(consumed_ms, 0.99),
      consumed_ms.empty() ? 0 : *std::max_element(consumed_ms.begin(), consumed_ms.end()));
  if (appended_ms.size() < expected) {
    std::fprintf(stderr, "kafka-latency-probe: only %zu of %zu messages within %d s\n",
                 appended_ms.size(), expected, timeout_s);
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string command = argc > 1 ? argv[1] : "";
  if (command == "create-topic" && argc == 5) {
    CreateTopic(argv[2], argv[3], std::atoi(argv[4]));
    return 0;
  }
  if (command == "consume" && argc == 7) {
    return Consume(argv[2], argv[3], argv[4], std::strtoull(argv[5], nullptr, 10),
                   std::atoi(argv[6]));
  }
  std::fprintf(stderr,
               "usage: kafka-latency-probe create-topic BROKERS TOPIC PARTITIONS\n"
               "       kafka-latency-probe consume BROKERS TOPIC COLUMN EXPECTED TIMEOUT_S\n");
  return 2;
}
