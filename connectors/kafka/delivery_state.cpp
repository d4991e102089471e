#include "connectors/kafka/delivery_state.h"

#include <fmt/format.h>
#include <librdkafka/rdkafka.h>

#include <charconv>
#include <vector>

#include "connectors/kafka/kafka_producer.h"

namespace cdc {
namespace {

template <typename T>
bool ParseNumber(std::string_view text, T& out) {
  const char* end = text.data() + text.size();
  return !text.empty() && std::from_chars(text.data(), end, out).ptr == end;
}

std::vector<std::string_view> SplitTabs(std::string_view text) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t tab; (tab = text.find('\t', start)) != std::string_view::npos; start = tab + 1) {
    parts.push_back(text.substr(start, tab - start));
  }
  parts.push_back(text.substr(start));
  return parts;
}

}  // namespace

std::string DeliveryState::Key(const TableId& table, size_t subtask) {
  return fmt::format("{}.{}|{}", table.database, table.table, subtask);
}

std::string DeliveryState::BarrierKey(const TableId& table) {
  return fmt::format("{}.{}|barrier", table.database, table.table);
}

std::string DeliveryState::Encode(const DeliveryRecord& record) {
  const SourcePosition& p = record.position;
  return fmt::format("v1\t{}\t{}\t{}\t{}\t{}\t{}", record.parallelism,
                     static_cast<const std::string&>(p.file), p.offset, p.index, p.server_id,
                     p.gtid.str());
}

Result<DeliveryRecord> DeliveryState::Decode(std::string_view text) {
  std::vector<std::string_view> parts = SplitTabs(text);
  DeliveryRecord record;
  if (parts.size() != 7 || parts[0] != "v1" || !ParseNumber(parts[1], record.parallelism) ||
      !ParseNumber(parts[3], record.position.offset) ||
      !ParseNumber(parts[4], record.position.index) ||
      !ParseNumber(parts[5], record.position.server_id)) {
    return Status::InvalidArgument(fmt::format("'{}' is not a delivery record of this sink", text));
  }
  record.position.file = SourceFileName(parts[2]);
  if (!parts[6].empty()) record.position.gtid = SourceGtid(parts[6]);
  return record;
}

std::optional<DeliveryRecord> DeliveryState::Find(const std::string& key) const {
  auto it = records_.find(key);
  if (it == records_.end()) return std::nullopt;
  return it->second;
}

size_t DeliveryState::max_subtasks() const {
  size_t most = 0;
  for (const auto& [key, record] : records_) {
    most = std::max<size_t>(most, record.parallelism);
    size_t bar = key.rfind('|');
    size_t subtask = 0;
    if (ParseNumber(std::string_view(key).substr(bar + 1), subtask)) {
      most = std::max(most, subtask + 1);
    }
  }
  return most;
}

Result<DeliveryState> DeliveryState::Load(const KafkaSinkOptions& options, const std::string& topic,
                                          bool read_committed) {
  char error[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  // The producer's way to the cluster (TLS, SASL), and a consumer's settings.
  std::vector<std::pair<std::string, std::string>> properties = KafkaConnectionProperties(options);
  properties.emplace_back("group.id", "cdc-delivery-state");  // unused: assigned, never committed
  properties.emplace_back("enable.auto.commit", "false");
  properties.emplace_back("enable.partition.eof", "true");
  properties.emplace_back("isolation.level",
                          read_committed ? "read_committed" : "read_uncommitted");
  for (const auto& [name, value] : properties) {
    if (rd_kafka_conf_set(conf, name.c_str(), value.c_str(), error, sizeof error) !=
        RD_KAFKA_CONF_OK) {
      rd_kafka_conf_destroy(conf);
      return Status::InvalidArgument(fmt::format("kafka sink state: {}: {}", name, error));
    }
  }
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, error, sizeof error);
  if (rk == nullptr) {
    rd_kafka_conf_destroy(conf);
    return Status::IoError(fmt::format("kafka sink state: {}", error));
  }
  rd_kafka_topic_partition_list_t* partitions = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(partitions, topic.c_str(), 0)->offset =
      RD_KAFKA_OFFSET_BEGINNING;
  rd_kafka_assign(rk, partitions);
  rd_kafka_topic_partition_list_destroy(partitions);
  DeliveryState state;
  Status status;
  for (int idle = 0;;) {
    rd_kafka_message_t* m = rd_kafka_consumer_poll(rk, 500);
    if (m == nullptr) {
      if (++idle > 120) {
        status = Status::IoError(fmt::format(
            "kafka sink: reading the exactly-once state topic {} did not reach its end within a "
            "minute: check that the brokers run",
            topic));
        break;
      }
      continue;
    }
    idle = 0;
    rd_kafka_resp_err_t err = m->err;
    if (err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      rd_kafka_message_destroy(m);
      break;
    }
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      status =
          Status::IoError(fmt::format("kafka sink: reading the exactly-once state topic {}: {}",
                                      topic, rd_kafka_message_errstr(m)));
      rd_kafka_message_destroy(m);
      break;
    }
    std::string key(static_cast<const char*>(m->key), m->key != nullptr ? m->key_len : 0);
    if (m->payload == nullptr) {
      state.records_.erase(key);
    } else {
      auto record = Decode(std::string_view(static_cast<const char*>(m->payload), m->len));
      if (!record.ok()) {
        status = record.status().WithContext(fmt::format(
            "kafka sink: the exactly-once state topic {} at offset {}", topic, m->offset));
        rd_kafka_message_destroy(m);
        break;
      }
      state.records_[key] = *record;
    }
    rd_kafka_message_destroy(m);
  }
  rd_kafka_consumer_close(rk);
  rd_kafka_destroy(rk);
  if (!status.ok()) return status;
  return state;
}

}  // namespace cdc
