// TopicExpression: TiCDC's topic dispatcher, "[prefix][{schema}][middle][{table}][suffix]": the
// topic of a table is the expression with {schema} and {table} replaced by its database and
// table names ("cdc_{schema}_{table}" sends shop.orders to cdc_shop_orders); an expression
// without placeholders is one fixed topic. prefix, middle and suffix may hold only
// A-Z a-z 0-9 . _ - (TiCDC's rule); a name character a Kafka topic cannot hold becomes '_', and
// a topic longer than Kafka's 249 characters is an error naming the table.
//
// Immutable; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "runtime/status.h"
#include "schema/table_id.h"

namespace cdc {

class TopicExpression {
 public:
  // InvalidArgument naming the expression and the fix: a character outside the allowed set,
  // a placeholder other than {schema} and {table} (they are lower-case), {table} before
  // {schema}, a placeholder twice, or an empty expression.
  static Result<TopicExpression> Parse(std::string_view expression);

  Result<std::string> TopicFor(const TableId& table) const;
  const std::string& expression() const { return expression_; }

 private:
  explicit TopicExpression(std::string expression) : expression_(std::move(expression)) {}

  std::string expression_;
};

// Whether `name` is a valid Kafka topic name: 1 to 249 of A-Z a-z 0-9 . _ -, not "." or "..".
bool IsValidKafkaTopicName(std::string_view name);

}  // namespace cdc
