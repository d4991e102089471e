#include "connectors/format/line_encoder.h"

#include <memory>

#include <doctest/doctest.h>

#include "test/test_rows.h"

namespace cdc {
namespace {

EncodedMessage Encoded(const RowChange& change) {
  Result<EncodedMessage> message = LineEncoder().Encode(change);
  REQUIRE(message.ok());
  return *message;
}

}  // namespace

// The print sink's lines, which the pipeline test scripts compare, come from here: these are
// the format, byte for byte.
TEST_CASE("the line format writes each change kind as its readable line, keyed by table") {
  const TableSchemaPtr orders = testing::MakeTable("orders");
  RowChange change;
  change.table = orders.get();
  change.kind = ChangeKind::kInsert;
  change.after = {Value::Int(1), Value::String("it's\n", 45)};
  change.position = {"mysql-bin.000001", 4711, ""};
  change.commit_time_us = 1;
  change.transaction_id = 2;
  CHECK(Encoded(change) ==
        EncodedMessage{"`db`.`orders`",
                       "insert db.orders id=1 v='it\\'s\\n' @mysql-bin.000001:4711"});

  change.kind = ChangeKind::kUpdate;
  change.before = change.after;
  change.after = {Value::Int(2), Value::Null()};
  change.position = {"", 42, "0-1-9"};
  CHECK(Encoded(change).value == "update db.orders id=1->2 v='it\\'s\\n'->NULL @42 (gtid 0-1-9)");

  change.kind = ChangeKind::kDelete;
  change.after.clear();
  change.before = {Value::Int(2), Value::Bytes(std::string("\0\xff", 2))};
  CHECK(Encoded(change).value == "delete db.orders id=2 v=x'00ff' @42 (gtid 0-1-9)");

  change.kind = ChangeKind::kTruncate;
  change.before.clear();
  CHECK(Encoded(change).value == "truncate db.orders @42 (gtid 0-1-9)");

  auto alter = std::make_shared<SchemaChange>();
  alter->kind = SchemaChangeKind::kAlterTable;
  alter->before = orders;
  alter->after = orders;
  alter->statement = "ALTER TABLE orders ADD c INT";
  change.kind = ChangeKind::kSchemaChange;
  change.schema_change = alter;
  CHECK(Encoded(change) == EncodedMessage{"`db`.`orders`",
                                          "schema change db.orders (alter table db.orders: ALTER "
                                          "TABLE orders ADD c INT) @42 (gtid 0-1-9)"});
}

TEST_CASE("a change without a schema has a line with positional columns and no key") {
  RowChange change;
  change.kind = ChangeKind::kDelete;
  change.before = {Value::Int(1), Value::Int(5)};
  change.position = {"b.000002", 7, ""};
  CHECK(Encoded(change) == EncodedMessage{"", "delete (no schema) #1=1 #2=5 @b.000002:7"});
}

}  // namespace cdc
