// The Kafka sink against a real broker (test/kafka/run-with-kafka.sh): delivery in per-key and
// per-table order, dispatchers, column selectors, topics created or refused, authentication and
// TLS, the broker stopped and restarted during a run. The sink's mechanics do not depend on the
// protocol, so these tests use the line format (LineEncoder / LineDecoder); the protocols have
// their own tests.
#include "connectors/kafka/kafka_sink.h"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cstdlib>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "connectors/format/line_decoder.h"
#include "connectors/format/line_encoder.h"
#include "operators/job.h"
#include "test/job_test_support.h"
#include "test/kafka/kafka_test_env.h"
#include "test/test_rows.h"

namespace cdc {
namespace {

using testing::ConsumeAll;
using testing::ConsumedMessage;
using testing::KafkaEnv;
using testing::MakeTable;
using testing::PlainKafka;
using testing::VectorSource;

std::string UniqueTopic(const std::string& name) {
  static int counter = 0;
  return "it_" + name + "_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
}

// Runs `changes` through KeyBy (or KeyByTable when the sink asks) into `sink`.
Status RunJob(const std::vector<RowChange>& changes, const std::shared_ptr<KafkaSink>& sink,
              size_t parallelism = 3) {
  JobOptions options;
  options.parallelism = parallelism;
  Job job(options);
  DataStream stream = job.AddSource("changes", [&](const SubtaskInfo&) {
    return std::make_unique<VectorSource>(changes, false);
  });
  (sink->NeedsTableRouting() ? stream.KeyByTable() : stream.KeyBy()).SinkTo("kafka", sink);
  return job.Run();
}

// Inserts, updates and deletes over `keys` keys of each table, in a random but fixed order.
std::vector<RowChange> Workload(const std::vector<TableSchemaPtr>& tables, int keys, int count) {
  std::mt19937 random(42);
  std::map<std::pair<const TableSchema*, int>, std::string> rows;
  std::vector<RowChange> changes;
  for (int i = 0; i < count; ++i) {
    const TableSchemaPtr& table = tables[random() % tables.size()];
    int key = static_cast<int>(random() % keys);
    auto it = rows.find({table.get(), key});
    std::string value = "v" + std::to_string(i);
    RowChange change;
    if (it == rows.end()) {
      change = testing::Insert(table, key, value, i + 1);
      rows[{table.get(), key}] = value;
    } else if (random() % 4 == 0) {
      change = testing::Delete(table, key, it->second, i + 1);
      rows.erase(it);
    } else {
      change = testing::Update(table, key, it->second, key, value, i + 1);
      it->second = value;
    }
    change.commit_time_us = 1'700'000'000'000'000 + i;
    changes.push_back(std::move(change));
  }
  return changes;
}

// The decoded line of each message, per (topic, partition), in offset order.
std::map<std::pair<std::string, int32_t>, std::vector<std::string>> ByPartition(
    const std::vector<ConsumedMessage>& messages) {
  std::map<std::pair<std::string, int32_t>, std::vector<std::string>> out;
  for (const ConsumedMessage& message : messages) {
    out[{message.topic, message.partition}].push_back(message.value);
  }
  return out;
}

TEST_CASE("every change is delivered once, each key's changes in order in one partition") {
  std::string topic = UniqueTopic("order");
  std::vector<TableSchemaPtr> tables = {MakeTable("a"), MakeTable("b"), MakeTable("c")};
  std::vector<RowChange> changes = Workload(tables, 40, 3000);
  KafkaSinkOptions options = PlainKafka(topic);
  options.partition_num = 3;
  auto sink = std::make_shared<KafkaSink>(options, std::make_shared<LineEncoder>());
  REQUIRE_MESSAGE(sink->Check().ok(), sink->Check().ToString());
  CHECK_FALSE(sink->NeedsTableRouting());
  Status run = RunJob(changes, sink);
  REQUIRE_MESSAGE(run.ok(), run.ToString());
  // Everything was acknowledged before the job ended.
  CHECK(sink->stats().messages == changes.size());
  std::vector<ConsumedMessage> messages = ConsumeAll({topic}, changes.size());
  REQUIRE(messages.size() == changes.size());
  CHECK(testing::PartitionCount(topic) == 3);

  // Per key: the partition's sequence of its changes equals the source's.
  std::map<std::string, std::vector<std::string>> expected;
  LineEncoder encoder;
  for (const RowChange& change : changes) {
    std::string key = change.table->id().table + "|" + change.image()[0].ToString();
    expected[key].push_back(encoder.Encode(change)->value);
  }
  std::map<std::string, std::vector<std::string>> got;
  std::map<std::string, std::set<int32_t>> partitions_of_key;
  std::map<std::string, TableSchemaPtr> schemas;
  for (const TableSchemaPtr& table : tables) schemas[table->id().ToString()] = table;
  LineDecoder decoder([&](const TableId& id) { return schemas[id.ToString()]; });
  for (const auto& [where, values] : ByPartition(messages)) {
    for (const std::string& value : values) {
      auto decoded = decoder.Decode("", value);
      REQUIRE_MESSAGE(decoded.ok(), decoded.status().ToString());
      const RowChange& change = decoded->change;
      std::string key = change.table->id().table + "|" + change.image()[0].ToString();
      got[key].push_back(value);
      partitions_of_key[key].insert(where.second);
    }
  }
  CHECK(got == expected);
  std::set<int32_t> used;
  for (const auto& [key, partitions] : partitions_of_key) {
    CHECK(partitions.size() == 1);
    used.insert(partitions.begin(), partitions.end());
  }
  CHECK(used.size() == 3);  // 120 keys spread over every partition
}

TEST_CASE("dispatchers: topic expressions, the table and ts dispatchers, the default topic") {
  std::string prefix = UniqueTopic("d");
  auto orders = *TableSchema::Make(TableId{"shop", "orders"}, MakeTable("x")->columns(), {0});
  auto items = *TableSchema::Make(TableId{"shop", "items"}, MakeTable("x")->columns(), {0});
  auto audit = *TableSchema::Make(TableId{"audit", "log"}, MakeTable("x")->columns(), {0});
  std::vector<RowChange> changes = Workload({orders, items, audit}, 30, 900);
  KafkaSinkOptions options = PlainKafka(prefix + "_default");
  options.partition_num = 4;
  options.dispatchers.resize(1);
  options.dispatchers[0].matcher = {"shop.*"};
  options.dispatchers[0].topic = prefix + "_{schema}_{table}";
  options.dispatchers[0].partition = PartitionDispatch::kTable;
  auto sink = std::make_shared<KafkaSink>(options, std::make_shared<LineEncoder>());
  REQUIRE_MESSAGE(sink->Check().ok(), sink->Check().ToString());
  CHECK(sink->NeedsTableRouting());
  REQUIRE(RunJob(changes, sink).ok());
  size_t shop_orders = 0, shop_items = 0;
  for (const RowChange& change : changes) {
    shop_orders += change.table == orders.get();
    shop_items += change.table == items.get();
  }
  // Created topics have partition-num partitions; one table's changes fill one of them, in
  // source order.
  for (const auto& [topic_name, count] : {std::pair{prefix + "_shop_orders", shop_orders},
                                          std::pair{prefix + "_shop_items", shop_items}}) {
    const std::string topic = topic_name;  // clang 14 cannot capture a structured binding
    CAPTURE(topic);
    std::vector<ConsumedMessage> messages = ConsumeAll({topic}, count);
    REQUIRE(messages.size() == count);
    CHECK(testing::PartitionCount(topic) == 4);
    std::set<int32_t> partitions;
    for (const ConsumedMessage& message : messages) partitions.insert(message.partition);
    CHECK(partitions.size() == 1);
    std::vector<std::string> expected;
    LineEncoder encoder;
    for (const RowChange& change : changes) {
      if (topic.ends_with(change.table->id().table))
        expected.push_back(encoder.Encode(change)->value);
    }
    std::vector<std::string> got;
    for (const ConsumedMessage& message : messages) got.push_back(message.value);
    CHECK(got == expected);
  }
  // audit.log matches no rule: the default topic, dispatched by key (index-value).
  size_t audit_count = changes.size() - shop_orders - shop_items;
  std::vector<ConsumedMessage> defaults = ConsumeAll({prefix + "_default"}, audit_count);
  CHECK(defaults.size() == audit_count);
  std::set<int32_t> partitions;
  for (const ConsumedMessage& message : defaults) partitions.insert(message.partition);
  CHECK(partitions.size() == 4);
}

TEST_CASE("a schema change and a truncate go to every partition of the table's topic") {
  std::string topic = UniqueTopic("ddl");
  auto table = MakeTable("t");
  auto change = std::make_shared<SchemaChange>();
  change->kind = SchemaChangeKind::kAlterTable;
  change->before = table;
  change->after = table;
  change->statement = "ALTER TABLE t COMMENT 'x'";
  std::vector<RowChange> changes = {testing::Insert(table, 1, "a")};
  for (RowChange& barrier : SchemaChangeBarriers(change, SourcePosition{}, 0, 0)) {
    changes.push_back(std::move(barrier));
  }
  RowChange truncate;
  truncate.kind = ChangeKind::kTruncate;
  truncate.table = table.get();
  changes.push_back(truncate);
  KafkaSinkOptions options = PlainKafka(topic);
  options.partition_num = 3;
  auto sink = std::make_shared<KafkaSink>(options, std::make_shared<LineEncoder>());
  REQUIRE(sink->Check().ok());
  REQUIRE(RunJob(changes, sink).ok());
  std::vector<ConsumedMessage> messages = ConsumeAll({topic}, 7);
  REQUIRE(messages.size() == 7);  // 1 insert + 3 x schema change + 3 x truncate
  std::map<int32_t, std::vector<std::string>> per_partition;
  for (const ConsumedMessage& message : messages) {
    per_partition[message.partition].push_back(message.value.substr(0, message.value.find(' ')));
  }
  for (auto& [partition, kinds] : per_partition) {
    if (kinds.front() == "insert") kinds.erase(kinds.begin());
    CHECK(kinds == std::vector<std::string>{"schema", "truncate"});
  }
}

TEST_CASE("column selectors cut the message; a selector that drops the key stops the job") {
  std::string topic = UniqueTopic("columns");
  auto table = MakeTable("t");
  KafkaSinkOptions options = PlainKafka(topic);
  options.column_selectors = {ColumnSelectorRule{{"db.t"}, {"*", "!v"}}};
  auto sink = std::make_shared<KafkaSink>(options, std::make_shared<LineEncoder>());
  REQUIRE(sink->Check().ok());
  REQUIRE(RunJob({testing::Insert(table, 7, "secret")}, sink).ok());
  std::vector<ConsumedMessage> messages = ConsumeAll({topic}, 1);
  REQUIRE(messages.size() == 1);
  CHECK(messages[0].value == "insert db.t id=7 @0");

  options.column_selectors = {ColumnSelectorRule{{"db.t"}, {"v"}}};
  auto dropping = std::make_shared<KafkaSink>(options, std::make_shared<LineEncoder>());
  REQUIRE(dropping->Check().ok());
  Status run = RunJob({testing::Insert(table, 7, "x")}, dropping);
  REQUIRE_FALSE(run.ok());
  CHECK(run.message().find("column-selectors[0] on table db.t drops the key column id") !=
        std::string::npos);
}

TEST_CASE("topics: auto-create off refuses a missing topic; too few partitions are refused") {
  KafkaSinkOptions missing = PlainKafka(UniqueTopic("missing"));
  missing.auto_create_topic = false;
  KafkaSink sink(missing, std::make_shared<LineEncoder>());
  Status status = sink.Check();
  REQUIRE_FALSE(status.ok());
  CHECK(status.message() == "kafka sink: topic " + missing.topic +
                                " does not exist and auto-create-topic is false: create it, or set "
                                "auto-create-topic: true");
  CHECK(testing::PartitionCount(missing.topic) == -1);  // asking did not create it

  std::string topic = UniqueTopic("few");
  KafkaSinkOptions two = PlainKafka(topic);
  two.partition_num = 2;
  REQUIRE(KafkaSink(two, std::make_shared<LineEncoder>()).Check().ok());
  KafkaSinkOptions five = PlainKafka(topic);
  five.partition_num = 5;
  Status too_few = KafkaSink(five, std::make_shared<LineEncoder>()).Check();
  REQUIRE_FALSE(too_few.ok());
  CHECK(too_few.message() ==
        "kafka sink: partition-num is 5 but topic " + topic +
            " has 2 partitions: lower partition-num to at most 2, or add partitions to the topic");
}

TEST_CASE("a message over max-message-bytes stops the job naming the table, key and size") {
  auto table = MakeTable("t");
  KafkaSinkOptions options = PlainKafka(UniqueTopic("large"));
  options.max_message_bytes = 1024;
  auto sink = std::make_shared<KafkaSink>(options, std::make_shared<LineEncoder>());
  REQUIRE(sink->Check().ok());
  Status run = RunJob({testing::Insert(table, 5, std::string(2000, 'x'))}, sink, 1);
  REQUIRE_FALSE(run.ok());
  CAPTURE(run.message());
  CHECK(run.message().find("table db.t: the message of a insert (id=5, at 0) has 2032 bytes, "
                           "over the limit of 1024 bytes") != std::string::npos);
}

TEST_CASE("SCRAM-SHA-256 and -512 over plaintext and TLS; wrong credentials and CA refused") {
  auto table = MakeTable("t");
  for (const char* mechanism : {"scram-sha-256", "scram-sha-512"}) {
    for (bool tls : {false, true}) {
      CAPTURE(mechanism);
      CAPTURE(tls);
      std::string topic = UniqueTopic("auth");
      std::string uri = fmt::format(
          "kafka://{}/{}?sasl-mechanism={}&sasl-user=cdc&sasl-password=cdc-secret{}",
          KafkaEnv(tls ? "CDC_TEST_KAFKA_TLS" : "CDC_TEST_KAFKA_SCRAM"), topic, mechanism,
          tls ? "&enable-tls=true&ca=" + KafkaEnv("CDC_TEST_KAFKA_CERTS") + "/ca.pem" : "");
      KafkaSinkOptions options;
      REQUIRE(ApplyKafkaSinkUri(uri, options).ok());
      auto sink = std::make_shared<KafkaSink>(options, std::make_shared<LineEncoder>());
      Status check = sink->Check();
      REQUIRE_MESSAGE(check.ok(), check.ToString());
      REQUIRE(RunJob({testing::Insert(table, 1, "a")}, sink, 1).ok());
      CHECK(ConsumeAll({topic}, 1).size() == 1);
    }
  }
  KafkaSinkOptions wrong;
  REQUIRE(ApplyKafkaSinkUri("kafka://" + KafkaEnv("CDC_TEST_KAFKA_SCRAM") +
                                "/t?sasl-mechanism=scram-sha-256&sasl-user=cdc&sasl-password=nope",
                            wrong)
              .ok());
  Status refused = KafkaSink(wrong, std::make_shared<LineEncoder>()).Check();
  REQUIRE_FALSE(refused.ok());
  CAPTURE(refused.message());
  CHECK(refused.message().find("check sasl-user, sasl-password and sasl-mechanism") !=
        std::string::npos);

  KafkaSinkOptions other_ca;
  REQUIRE(ApplyKafkaSinkUri("kafka://" + KafkaEnv("CDC_TEST_KAFKA_TLS") +
                                "/t?sasl-mechanism=scram-sha-256&sasl-user=cdc&sasl-password="
                                "cdc-secret&enable-tls=true&ca=" +
                                KafkaEnv("CDC_TEST_KAFKA_CERTS") + "/other-ca.pem",
                            other_ca)
              .ok());
  Status untrusted = KafkaSink(other_ca, std::make_shared<LineEncoder>()).Check();
  REQUIRE_FALSE(untrusted.ok());
  CAPTURE(untrusted.message());
  CHECK(untrusted.message().find("check enable-tls, ca, cert and key") != std::string::npos);
}

TEST_CASE("an unreachable broker is reported with the address and the fix") {
  KafkaSinkOptions options;
  options.brokers = {"127.0.0.1:1"};
  options.topic = "t";
  options.dial_timeout_ms = 1000;
  Status status = KafkaSink(options, std::make_shared<LineEncoder>()).Check();
  REQUIRE_FALSE(status.ok());
  CAPTURE(status.message());
  CHECK(status.message().starts_with("kafka sink: cannot reach the Kafka cluster at 127.0.0.1:1"));
  CHECK(status.message().ends_with(
      "check that the brokers run and that the address and port are right"));
}

TEST_CASE("the broker stopped and restarted during a run: nothing is lost, order holds") {
  std::string topic = UniqueTopic("restart");
  std::vector<TableSchemaPtr> tables = {MakeTable("a"), MakeTable("b")};
  std::vector<RowChange> changes = Workload(tables, 20, 4000);
  KafkaSinkOptions options = PlainKafka(topic);
  options.partition_num = 2;
  auto sink = std::make_shared<KafkaSink>(options, std::make_shared<LineEncoder>());
  REQUIRE(sink->Check().ok());
  std::string script = KafkaEnv("CDC_TEST_KAFKA_SCRIPT");
  std::string dir = KafkaEnv("CDC_TEST_KAFKA_DIR");
  std::string port = KafkaEnv("CDC_TEST_KAFKA_PORT");
  // A slow source: 4000 changes over about 4 s, with the broker down for about 3 s of them.
  JobOptions job_options;
  job_options.parallelism = 2;
  Job job(job_options);
  size_t emitted = 0;
  job.AddSource("changes",
                [&](const SubtaskInfo&) { return std::make_unique<VectorSource>(changes, false); })
      .Map("pace",
           [&](RowChange&) {
             if (++emitted % 100 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
             return Status::Ok();
           })
      .KeyBy()
      .SinkTo("kafka", sink);
  std::thread restarter([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
    CHECK(std::system(("bash " + script + " stop " + dir + " >/dev/null").c_str()) == 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(3000));
    std::string start = "CDC_KAFKA_TLS=" + KafkaEnv("CDC_TEST_KAFKA_CERTS") + " bash " + script +
                        " start " + dir + " " + port + " >/dev/null";
    CHECK(std::system(start.c_str()) == 0);
  });
  Status run = job.Run();
  restarter.join();
  REQUIRE_MESSAGE(run.ok(), run.ToString());
  std::vector<ConsumedMessage> messages = ConsumeAll({topic}, changes.size());
  // The idempotent producer neither loses nor duplicates across the outage.
  REQUIRE(messages.size() == changes.size());
  std::map<std::string, std::vector<std::string>> expected, got;
  LineEncoder encoder;
  for (const RowChange& change : changes) {
    expected[change.table->id().table + "|" + change.image()[0].ToString()].push_back(
        encoder.Encode(change)->value);
  }
  for (const auto& [where, values] : ByPartition(messages)) {
    for (const std::string& value : values) {
      // "insert db.a id=3 v='x' @5": the table and the key are the second and third words.
      size_t table_at = value.find(" db.") + 4;
      size_t key_at = value.find(" id=", table_at) + 4;
      std::string key = value.substr(table_at, value.find(' ', table_at) - table_at) + "|" +
                        value.substr(key_at, value.find(' ', key_at) - key_at);
      got[key].push_back(value);
    }
  }
  CHECK(got == expected);
}

}  // namespace
}  // namespace cdc

namespace cdc {
namespace {

// Stream positions (binlog file, offset, row 1) the source orders, as the binlog's rows have.
std::vector<RowChange> StreamWorkload(const std::vector<TableSchemaPtr>& tables, int keys,
                                      int count) {
  std::vector<RowChange> changes = Workload(tables, keys, count);
  for (RowChange& change : changes) {
    change.position.file = SourceFileName("mysql-bin.000001");
    change.position.index = 1;
  }
  return changes;
}

TEST_CASE("exactly-once: a replay after a restart sends only what no transaction committed") {
  std::string topic = UniqueTopic("eos");
  std::vector<TableSchemaPtr> tables = {MakeTable("a"), MakeTable("b")};
  std::vector<RowChange> changes = StreamWorkload(tables, 30, 2000);
  KafkaSinkOptions options = PlainKafka(topic);
  options.exactly_once = true;
  options.partition_num = 2;
  options.client_id = topic;  // its own transactional ids and state topic
  auto first_half = std::vector<RowChange>(changes.begin(), changes.begin() + 1200);
  {
    auto sink = std::make_shared<KafkaSink>(options, std::make_shared<LineEncoder>());
    Status check = sink->Check(3);
    REQUIRE_MESSAGE(check.ok(), check.ToString());
    REQUIRE(RunJob(first_half, sink, 3).ok());
  }
  // The restart replays from an older checkpoint: changes 500..2000, of which 500..1200 are in
  // Kafka already.
  auto replay = std::vector<RowChange>(changes.begin() + 500, changes.end());
  {
    auto sink = std::make_shared<KafkaSink>(options, std::make_shared<LineEncoder>());
    Status check = sink->Check(3);
    REQUIRE_MESSAGE(check.ok(), check.ToString());
    REQUIRE(RunJob(replay, sink, 3).ok());
    CHECK(sink->stats().messages == 800);
  }
  std::vector<ConsumedMessage> messages =
      ConsumeAll({topic}, changes.size() + 1, std::chrono::milliseconds(5000), true);
  CHECK(messages.size() == changes.size());
  std::map<std::string, int> seen;
  for (const ConsumedMessage& message : messages) ++seen[message.value];
  LineEncoder encoder;
  for (const RowChange& change : changes) {
    std::string value = encoder.Encode(change)->value;
    CAPTURE(value);
    CHECK(seen[value] == 1);
  }

  // Another parallelism cannot use the state: refused with the fix.
  KafkaSink other(options, std::make_shared<LineEncoder>());
  Status refused = other.Check(2);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.message().find("was written with parallelism 3, and the sink now runs 2") !=
        std::string::npos);
}

}  // namespace
}  // namespace cdc
