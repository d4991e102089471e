// kafka-rebuild: a consumer that rebuilds a database's tables from the canal-json messages the
// Kafka sink wrote, for the Kafka demo and its test: the proof that what reached Kafka is the
// source, whole. Test tooling, not part of the product (the Kafka source is issue #21).
//
//   kafka-rebuild apply BROKERS TOPIC DATABASE TARGET_PORT [IDLE_SECONDS=10]
//
// Reads TOPIC from its beginning (or where its consumer group stopped: a second run goes on),
// applying it to DATABASE on the target server (user cdc / cdc on 127.0.0.1): the pipeline's
// snapshot announces each table with the CREATE TABLE of its definition then, which creates it
// (replacing a table of that name), as a consumer group of its own, in partition
// order: a DDL message's statement runs on the target (the table's messages are in one
// partition, its DDL among them, with the `table` dispatcher), and row changes are decoded by
// the target's current schema and written through the MySQL sink. Exits 0 once no message came
// for IDLE_SECONDS, printing the messages it applied; 1 with the reason on any error.
#include <librdkafka/rdkafka.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <deque>
#include <future>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "connectors/format/canal_json_decoder.h"
#include "connectors/mysql/client/mysql_connection.h"
#include "connectors/mysql/sink/mysql_sink.h"
#include "connectors/mysql/source/mysql_catalog.h"
#include "runtime/executor.h"

namespace cdc {
namespace {

MysqlOptions Server(const std::string& port) {
  MysqlOptions options;
  options.host = "127.0.0.1";
  options.port = static_cast<uint16_t>(std::stoi(port));
  options.user = "cdc";
  options.password = "cdc";
  return options;
}

class Rebuilder {
 public:
  Rebuilder(std::string database, const MysqlOptions& target)
      : database_(std::move(database)), target_(target) {
    MysqlSinkOptions sink;
    sink.connection = target;
    sink.auto_create = false;
    sink.pipeline_name = "kafka-rebuild";
    sink_ = std::make_unique<MysqlSink>(sink);
  }

  Status Open() {
    CDC_RETURN_IF_ERROR(target_connection_.Connect(target_));
    CDC_RETURN_IF_ERROR(
        target_connection_.Execute("CREATE DATABASE IF NOT EXISTS `" + database_ + "`"));
    return ReadSchemas();
  }

  void set_partitions(int partitions) { partitions_ = partitions; }

  // A message of `partition`. A DDL message comes in every partition of the topic: it is
  // applied once every partition has brought it (all rows before it, in any partition, are
  // applied by then), and a partition that brought it holds its later messages until then.
  Status Receive(int32_t partition, std::string key, std::string value) {
    if (blocked_.count(partition) != 0) {
      held_[partition].emplace_back(std::move(key), std::move(value));
      return Status::Ok();
    }
    return Process(partition, key, value);
  }

  // Messages held behind a DDL that not every partition brought.
  size_t held() const {
    size_t count = 0;
    for (const auto& entry : held_) count += entry.second.size();
    return count + blocked_.size();
  }

 private:
  Status Process(int32_t partition, std::string_view key, std::string_view value) {
    // A DDL message's table may not exist yet (the CREATE TABLE that announces it), so the
    // decoder, which types by the lookup's schema, is not asked.
    nlohmann::json message = nlohmann::json::parse(value, nullptr, false);
    if (message.is_object() && message.value("isDdl", false)) {
      std::string id = message.value("sql", "") + "|" + std::to_string(message.value("es", 0)) +
                       "|" + (message.contains("_cdc") ? message["_cdc"].dump() : "");
      blocked_.insert(partition);
      if (++arrivals_[id] < partitions_) return Status::Ok();
      arrivals_.erase(id);
      CDC_RETURN_IF_ERROR(ApplyDdl(message));
      std::set<int32_t> released = std::move(blocked_);
      blocked_.clear();
      for (int32_t p : released) {
        auto& queue = held_[p];
        while (!queue.empty() && blocked_.count(p) == 0) {
          auto [held_key, held_value] = std::move(queue.front());
          queue.pop_front();
          CDC_RETURN_IF_ERROR(Process(p, held_key, held_value));
        }
      }
      return Status::Ok();
    }
    return ApplyRow(key, value);
  }

  Status ApplyDdl(const nlohmann::json& message) {
    {
      CDC_RETURN_IF_ERROR(FlushAll());
      CDC_RETURN_IF_ERROR(
          target_connection_.Execute("CREATE DATABASE IF NOT EXISTS `" + database_ + "`"));
      CDC_RETURN_IF_ERROR(target_connection_.Execute("USE `" + database_ + "`"));
      std::string type = message.value("type", "");
      std::string sql = message.value("sql", "");
      if (type == "CREATE") {
        TableId id{message.value("database", ""), message.value("table", "")};
        CDC_RETURN_IF_ERROR(target_connection_.Execute("DROP TABLE IF EXISTS " + id.Quoted()));
      }
      CDC_RETURN_IF_ERROR(target_connection_.Execute(sql));
      ++ddl_;
      return ReadSchemas();
    }
  }

  Status ApplyRow(std::string_view key, std::string_view value) {
    CanalJsonDecoder decoder([this](const TableId& id) {
      auto it = schemas_.find(id);
      return it == schemas_.end() ? nullptr : it->second;
    });
    auto decoded = decoder.Decode(key, value);
    if (!decoded.ok()) return decoded.status();
    const RowChange& change = decoded->change;
    Pending& pending = pending_[change.table->id()];
    pending.schema = decoded->table;
    pending.changes.push_back(change);
    ++rows_;
    if (pending.changes.size() >= 1000) return Flush(change.table->id());
    return Status::Ok();
  }

 public:
  Status FlushAll() {
    for (auto& entry : pending_) CDC_RETURN_IF_ERROR(Flush(entry.first));
    return Status::Ok();
  }

  uint64_t rows() const { return rows_; }
  uint64_t ddl() const { return ddl_; }

 private:
  struct Pending {
    TableSchemaPtr schema;
    std::vector<RowChange> changes;
  };

  Status ReadSchemas() {
    auto filter = TableFilter::Make({database_ + "\\..*"}, {});
    if (!filter.ok()) return filter.status();
    auto schemas = ReadTableSchemas(target_connection_, *filter);
    if (!schemas.ok()) return schemas.status();
    schemas_ = std::move(schemas).value();
    return Status::Ok();
  }

  Status Flush(const TableId& table) {
    Pending& pending = pending_[table];
    if (pending.changes.empty()) return Status::Ok();
    auto writer =
        sink_->CreateWriter(TableWriterContext{table, pending.schema, 0, 1, &clock_, nullptr});
    if (!writer.ok()) return writer.status();
    std::promise<Status> result;
    (*writer)->Write(FlushBatch{table, 0, std::move(pending.changes)},
                     [&](Status status) { result.set_value(std::move(status)); });
    pending.changes.clear();
    return result.get_future().get();
  }

  std::string database_;
  MysqlOptions target_;
  MysqlConnection target_connection_;
  std::unique_ptr<MysqlSink> sink_;
  std::map<TableId, TableSchemaPtr> schemas_;
  std::map<TableId, Pending> pending_;
  Executor executor_{1};
  SystemClock clock_{executor_};
  uint64_t rows_ = 0;
  uint64_t ddl_ = 0;
  int partitions_ = 1;
  std::map<std::string, int> arrivals_;  // DDL messages by identity: partitions that brought it
  std::set<int32_t> blocked_;
  std::map<int32_t, std::deque<std::pair<std::string, std::string>>> held_;
};

int Run(int argc, char** argv) {
  std::string mode = argc > 1 ? argv[1] : "";
  if (mode != "apply" || argc < 6) {
    std::cerr
        << "usage: kafka-rebuild apply BROKERS TOPIC DATABASE TARGET_PORT [IDLE_SECONDS=10]\n";
    return 2;
  }
  std::string brokers = argv[2], topic = argv[3];
  int idle_seconds = argc > 6 ? std::stoi(argv[6]) : 10;
  Rebuilder rebuilder(argv[4], Server(argv[5]));
  if (Status opened = rebuilder.Open(); !opened.ok()) {
    std::cerr << "kafka-rebuild: " << opened.ToString() << "\n";
    return 1;
  }
  char error[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "bootstrap.servers", brokers.c_str(), error, sizeof error);
  rd_kafka_conf_set(conf, "group.id", ("kafka-rebuild-" + topic).c_str(), error, sizeof error);
  rd_kafka_conf_set(conf, "auto.offset.reset", "earliest", error, sizeof error);
  rd_kafka_conf_set(conf, "isolation.level", "read_committed", error, sizeof error);
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, error, sizeof error);
  if (rk == nullptr) {
    std::cerr << "kafka-rebuild: " << error << "\n";
    return 1;
  }
  rd_kafka_poll_set_consumer(rk);
  const rd_kafka_metadata_t* metadata = nullptr;
  if (rd_kafka_metadata(rk, 1, nullptr, &metadata, 10'000) == RD_KAFKA_RESP_ERR_NO_ERROR) {
    for (int i = 0; i < metadata->topic_cnt; ++i) {
      if (topic == metadata->topics[i].topic) {
        rebuilder.set_partitions(metadata->topics[i].partition_cnt);
      }
    }
    rd_kafka_metadata_destroy(metadata);
  }
  rd_kafka_topic_partition_list_t* topics = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(topics, topic.c_str(), RD_KAFKA_PARTITION_UA);
  rd_kafka_subscribe(rk, topics);
  rd_kafka_topic_partition_list_destroy(topics);
  auto last = std::chrono::steady_clock::now();
  int status = 0;
  for (;;) {
    rd_kafka_message_t* m = rd_kafka_consumer_poll(rk, 200);
    auto now = std::chrono::steady_clock::now();
    if (m == nullptr) {
      if (Status flushed = rebuilder.FlushAll(); !flushed.ok()) {
        std::cerr << "kafka-rebuild: " << flushed.ToString() << "\n";
        status = 1;
        break;
      }
      // Idle: done, unless messages wait behind a DDL that a partition has not brought yet
      // (its partition is behind: the pipeline is still writing it), which gets a minute.
      if (now - last > std::chrono::seconds(idle_seconds) && rebuilder.held() == 0) break;
      if (now - last > std::chrono::seconds(idle_seconds + 60)) {
        std::cerr << "kafka-rebuild: a DDL message did not come in every partition within a "
                     "minute: "
                  << rebuilder.held() << " messages and partitions held behind it\n";
        status = 1;
        break;
      }
      continue;
    }
    if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR && m->payload != nullptr) {
      last = now;
      Status applied = rebuilder.Receive(
          m->partition,
          std::string(static_cast<const char*>(m->key), m->key != nullptr ? m->key_len : 0),
          std::string(static_cast<const char*>(m->payload), m->len));
      if (!applied.ok()) {
        std::cerr << "kafka-rebuild: partition " << m->partition << " offset " << m->offset << ": "
                  << applied.ToString() << "\n";
        rd_kafka_message_destroy(m);
        status = 1;
        break;
      }
    }
    rd_kafka_message_destroy(m);
  }
  rd_kafka_consumer_close(rk);
  rd_kafka_destroy(rk);
  if (status == 0) {
    std::cout << "kafka-rebuild: applied " << rebuilder.rows() << " row changes and "
              << rebuilder.ddl() << " schema changes from " << topic << "\n";
  }
  return status;
}

}  // namespace
}  // namespace cdc

int main(int argc, char** argv) {
  return cdc::Run(argc, argv);
}
