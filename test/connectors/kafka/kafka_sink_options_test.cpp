#include "connectors/kafka/kafka_sink_options.h"

#include <doctest/doctest.h>

namespace cdc {
namespace {

TEST_CASE("a TiCDC sink URI sets brokers, the topic and every parameter by its TiCDC name") {
  KafkaSinkOptions options;
  // TiCDC's documented example, with more parameters.
  Status applied = ApplyKafkaSinkUri(
      "kafka://127.0.0.1:9092,127.0.0.1:9093/topic-name?protocol=canal-json&kafka-version=2.4.0"
      "&partition-num=6&max-message-bytes=67108864&replication-factor=1&required-acks=1"
      "&compression=zstd&auto-create-topic=false&kafka-client-id=me&dial-timeout=5s"
      "&read-timeout=500ms&enable-tidb-extension=true&sasl-user=alice&sasl-password=p%40ss%2Bw"
      "&sasl-mechanism=scram-sha-512&max-batch-size=32",
      options);
  REQUIRE(applied.ok());
  CHECK(options.brokers == std::vector<std::string>{"127.0.0.1:9092", "127.0.0.1:9093"});
  CHECK(options.topic == "topic-name");
  CHECK(options.protocol == "canal-json");
  CHECK(options.kafka_version == "2.4.0");
  CHECK(options.partition_num == 6);
  CHECK(options.max_message_bytes == 67108864);
  CHECK(options.replication_factor == 1);
  CHECK(options.required_acks == 1);
  CHECK(options.compression == "zstd");
  CHECK_FALSE(options.auto_create_topic);
  CHECK(options.client_id == "me");
  CHECK(options.dial_timeout_ms == 5000);
  CHECK(options.read_timeout_ms == 500);
  CHECK(options.enable_extension);
  CHECK(options.sasl_user == "alice");
  CHECK(options.sasl_password == "p@ss+w");
  CHECK(options.sasl_mechanism == "scram-sha-512");
  CHECK(options.max_batch_size == 32);
  CHECK(options.Validate().ok());
}

TEST_CASE("bad sink URIs and values are refused naming the parameter and the fix") {
  auto error = [](const char* uri) {
    KafkaSinkOptions options;
    Status status = ApplyKafkaSinkUri(uri, options);
    REQUIRE_FALSE(status.ok());
    return status.message();
  };
  CHECK(
      error("mysql://h:1/t") ==
      "kafka sink URI 'mysql://h:1/t': scheme 'mysql' is not kafka: write kafka://host:9092/topic");
  CHECK(error("kafka:///t") ==
        "kafka sink URI 'kafka:///t' names no broker: write kafka://host:9092/topic");
  CHECK(error("kafka://h:1/t?partiton-num=3") ==
        "sink URI 'kafka://h:1/t?partiton-num=3': kafka sink: unknown option 'partiton-num': did "
        "you mean 'partition-num'?");
  CHECK(error("kafka://h:1/t?required-acks=2").find("use -1 (every in-sync replica") !=
        std::string::npos);
  CHECK(error("kafka://h:1/t?compression=brotli")
            .find("compression 'brotli': use one of none, lz4, gzip, snappy, zstd") !=
        std::string::npos);
  CHECK(error("kafka://h:1/t?protocol=canal").find("did you mean 'canal-json'?") !=
        std::string::npos);
  CHECK(error("kafka://h:1/t?partition-num=0").find("from 1 to 100000") != std::string::npos);
  CHECK(error("kafka://h:1/t?dial-timeout=soon").find("a duration such as 10s") !=
        std::string::npos);
  CHECK(error("kafka://h:1/t?sasl-password=100%").find("'%' not followed by two hex digits") !=
        std::string::npos);
}

TEST_CASE("Validate checks how the options fit together") {
  auto invalid = [](const KafkaSinkOptions& options) {
    Status status = options.Validate();
    REQUIRE_FALSE(status.ok());
    return status.message();
  };
  KafkaSinkOptions options;
  options.brokers = {"h:9092"};
  options.topic = "t";
  CHECK(options.Validate().ok());
  KafkaSinkOptions no_topic = options;
  no_topic.topic.clear();
  CHECK(invalid(no_topic).find("no default topic") != std::string::npos);
  KafkaSinkOptions tls_files = options;
  tls_files.ca = "/ca.pem";
  CHECK(invalid(tls_files) ==
        "kafka sink: ca, cert, key and insecure-skip-verify need enable-tls: true");
  KafkaSinkOptions sasl = options;
  sasl.sasl_user = "u";
  CHECK(invalid(sasl).find("need sasl-mechanism") != std::string::npos);
  KafkaSinkOptions claim = options;
  claim.large_message_handling = LargeMessageHandling::kClaimCheck;
  CHECK(invalid(claim).find("needs claim-check-storage-uri") != std::string::npos);
  KafkaSinkOptions exactly = options;
  exactly.exactly_once = true;
  exactly.required_acks = 1;
  CHECK(invalid(exactly).find("exactly-once needs required-acks -1") != std::string::npos);
  KafkaSinkOptions rule = options;
  rule.dispatchers.emplace_back();
  CHECK(invalid(rule).find("dispatchers[0] has no matcher") != std::string::npos);
  rule.dispatchers[0].matcher = {"*.*"};
  rule.dispatchers[0].partition = PartitionDispatch::kColumns;
  CHECK(invalid(rule).find("partition columns needs columns") != std::string::npos);
}

TEST_CASE("partition dispatcher names, with TiCDC's old rowid") {
  CHECK(ParsePartitionDispatch("index-value") == PartitionDispatch::kIndexValue);
  CHECK(ParsePartitionDispatch("rowid") == PartitionDispatch::kIndexValue);
  CHECK(ParsePartitionDispatch("TS") == PartitionDispatch::kTs);
  CHECK_FALSE(ParsePartitionDispatch("hash").has_value());
}

}  // namespace
}  // namespace cdc
