// Every protocol of the Kafka sink × every MySQL type, through the real broker: the all-types
// table's rows (the maxima, and the minima and NULLs) inserted, updated and deleted, sent by the
// sink with the protocol's encoder, read back by a consumer and decoded by the protocol's
// decoder into exactly the values that were sent (less what the format documents it cannot
// carry, listed here with the reason).
#include <doctest/doctest.h>

#include <deque>
#include <map>
#include <set>

#include "connectors/format/canal_json_decoder.h"
#include "connectors/format/debezium_decoder.h"
#include "connectors/format/maxwell_decoder.h"
#include "connectors/kafka/kafka_sink.h"
#include "connectors/kafka/protocol_encoder.h"
#include "operators/job.h"
#include "test/integration/all_types.h"
#include "test/job_test_support.h"
#include "test/kafka/kafka_test_env.h"

namespace cdc {
namespace {

using testing::ConsumeAll;
using testing::ConsumedMessage;
using testing::PlainKafka;
using testing::VectorSource;

std::unique_ptr<ChangeDecoder> DecoderFor(const KafkaSinkOptions& options,
                                          const TableSchemaLookup& lookup) {
  if (options.protocol == "canal-json") return std::make_unique<CanalJsonDecoder>(lookup);
  if (options.protocol == "maxwell") return std::make_unique<MaxwellDecoder>(lookup);
  DebeziumOptions debezium;
  debezium.topic_prefix = options.topic;
  return std::make_unique<DebeziumDecoder>(lookup, debezium);
}

// Columns a protocol cannot carry exactly for `row`, by docs/formats.md.
std::set<std::string> DocumentedLoss(const std::string& protocol, const Row& row) {
  std::set<std::string> lossy;
  if (protocol == "debezium") {
    // Debezium has no zero date: '0000-00-00' and its DATETIME become null (as Debezium
    // documents for zero dates).
    if (!row[9].is_null() && row[9].date() == DateValue{0, 0, 0}) lossy.insert("dt");
    if (!row[11].is_null() && row[11].datetime().date == DateValue{0, 0, 0}) lossy.insert("dtm");
  }
  return lossy;
}

TEST_CASE("every protocol carries every type of the all-types table through Kafka") {
  testing::AllTypes all = testing::MakeAllTypes("shop");
  const TableSchema& schema = *all.schema;
  Row updated = all.max_row;
  updated[1] = Value::Int(127);
  updated[13] = Value::String("changed", 45);
  std::vector<RowChange> changes;
  changes.push_back(all.Insert(all.max_row));
  changes.push_back(all.Insert(all.min_row));
  RowChange update;
  update.kind = ChangeKind::kUpdate;
  update.table = all.schema.get();
  update.before = all.max_row;
  update.after = updated;
  changes.push_back(update);
  RowChange remove;
  remove.kind = ChangeKind::kDelete;
  remove.table = all.schema.get();
  remove.before = all.min_row;
  changes.push_back(remove);
  for (size_t i = 0; i < changes.size(); ++i) {
    changes[i].position.file = SourceFileName("mysql-bin.000007");
    changes[i].position.offset = 1000 + i * 100;
    changes[i].position.index = 1;
    changes[i].commit_time_us = 1'764'000'000'000'000 + static_cast<int64_t>(i) * 1000;
  }

  for (const char* protocol : {"canal-json", "debezium", "maxwell"}) {
    std::string protocol_name = protocol;
    CAPTURE(protocol_name);
    KafkaSinkOptions options =
        PlainKafka(std::string("it_types_") + protocol + "_" + std::to_string(::getpid()));
    REQUIRE(SetKafkaSinkOption("protocol", protocol, options).ok());
    options.partition_num = 1;
    options.enable_extension = true;
    auto encoder = MakeProtocolEncoder(options);
    REQUIRE_MESSAGE(encoder.ok(), encoder.status().ToString());
    auto sink = std::make_shared<KafkaSink>(options, *encoder);
    REQUIRE_MESSAGE(sink->Check().ok(), sink->Check().ToString());
    JobOptions job_options;
    job_options.parallelism = 2;
    Job job(job_options);
    job.AddSource(
           "changes",
           [&](const SubtaskInfo&) { return std::make_unique<VectorSource>(changes, false); })
        .KeyBy()
        .SinkTo("kafka", sink);
    Status run = job.Run();
    REQUIRE_MESSAGE(run.ok(), run.ToString());
    // Debezium sends a tombstone after the delete.
    size_t expected = changes.size() + (std::string(protocol) == "debezium" ? 1 : 0);
    std::vector<ConsumedMessage> messages = ConsumeAll({options.topic}, expected);
    REQUIRE(messages.size() == expected);
    auto decoder = DecoderFor(
        options, [&](const TableId& id) { return id == schema.id() ? all.schema : nullptr; });
    // Order holds per key (two keys, two sink subtasks): each key's changes in sent order.
    std::map<std::string, std::deque<const RowChange*>> expected_of_key;
    for (const RowChange& change : changes) {
      expected_of_key[change.image()[0].ToString()].push_back(&change);
    }
    size_t decoded_count = 0;
    std::string last_key;
    std::string delete_message_key;
    for (const ConsumedMessage& message : messages) {
      if (message.null_value) {
        // After the delete of its key (another key's messages may come between: two subtasks
        // share the partition), with the same message key.
        CHECK(std::string(protocol) == "debezium");
        CHECK(!delete_message_key.empty());
        CHECK(message.key == delete_message_key);
        continue;
      }
      auto decoded = decoder->Decode(message.key, message.value);
      REQUIRE_MESSAGE(decoded.ok(), decoded.status().ToString());
      const RowChange& got = decoded->change;
      REQUIRE(got.table != nullptr);
      REQUIRE_MESSAGE(!got.image().empty(), ChangeKindName(got.kind));
      last_key = got.image()[0].ToString();
      if (got.kind == ChangeKind::kDelete) delete_message_key = message.key;
      CAPTURE(last_key);
      REQUIRE(!expected_of_key[last_key].empty());
      const RowChange& sent = *expected_of_key[last_key].front();
      expected_of_key[last_key].pop_front();
      ++decoded_count;
      CHECK(got.kind == sent.kind);
      CHECK(got.table->id() == schema.id());
      for (const auto& [sent_row, got_row] :
           {std::pair{&sent.before, &got.before}, std::pair{&sent.after, &got.after}}) {
        const Row& sent_image = *sent_row;
        const Row& got_image = *got_row;
        REQUIRE(got_image.size() == sent_image.size());
        if (sent_image.empty()) continue;
        std::set<std::string> lossy = DocumentedLoss(protocol, sent_image);
        for (size_t c = 0; c < sent_image.size(); ++c) {
          const std::string& column = schema.columns()[c].name;
          if (lossy.count(column) != 0) continue;
          CAPTURE(column);
          CHECK(got_image[c].ToString() == sent_image[c].ToString());
          CHECK(got_image[c] == sent_image[c]);
        }
      }
    }
    CHECK(decoded_count == changes.size());
  }
}

}  // namespace
}  // namespace cdc
