#include "connectors/mq/topic_expression.h"

#include <doctest/doctest.h>

namespace cdc {
namespace {

std::string TopicOf(const char* expression, const TableId& table) {
  auto parsed = TopicExpression::Parse(expression);
  REQUIRE(parsed.ok());
  auto topic = parsed->TopicFor(table);
  REQUIRE(topic.ok());
  return *topic;
}

TEST_CASE("topic expressions substitute {schema} and {table} as TiCDC's examples show") {
  // The examples of TiCDC's "Topic dispatchers" documentation.
  CHECK(TopicOf("hello_{schema}_{table}", {"test1", "table1"}) == "hello_test1_table1");
  CHECK(TopicOf("hello_{schema}_world", {"test3", "x"}) == "hello_test3_world");
  CHECK(TopicOf("hard_code_topic_name", {"test5", "x"}) == "hard_code_topic_name");
  CHECK(TopicOf("{schema}_{table}", {"test", "account"}) == "test_account");
  CHECK(TopicOf("{table}", {"test", "account"}) == "account");
  // A name character a topic cannot hold becomes '_'.
  CHECK(TopicOf("cdc.{schema}.{table}", {"my db", "t$1"}) == "cdc.my_db.t_1");
}

TEST_CASE("bad topic expressions are refused with the reason") {
  auto check = [](const char* expression, const char* reason) {
    auto parsed = TopicExpression::Parse(expression);
    REQUIRE_FALSE(parsed.ok());
    CAPTURE(parsed.status().message());
    CHECK(parsed.status().message().find(reason) != std::string::npos);
  };
  check("", "is empty");
  check("{Schema}_x", "only {schema} and {table}, in lower case");
  check("{table}_{schema}", "{table} before {schema}");
  check("a b_{schema}", "has the character ' '");
  check("x_{schema", "without '}'");
  check("..", "not a valid topic name");
  auto long_topic = TopicExpression::Parse("{schema}_{table}");
  REQUIRE(long_topic.ok());
  auto topic = long_topic->TopicFor(TableId{std::string(200, 'd'), std::string(60, 't')});
  REQUIRE_FALSE(topic.ok());
  CHECK(topic.status().message().find("not a valid Kafka topic name") != std::string::npos);
}

}  // namespace
}  // namespace cdc
