#include "schema/row_change.h"

#include <string>

#include <doctest/doctest.h>

namespace cdc {
namespace {

TableSchemaPtr Orders() {
  ColumnSchema id;
  id.name = "id";
  id.type = ColumnType::kBigInt;
  id.nullable = false;
  ColumnSchema qty;
  qty.name = "qty";
  ColumnSchema note;
  note.name = "note";
  note.type = ColumnType::kVarChar;
  note.length = 32;
  note.collation = "utf8mb4_general_ci";
  auto schema = TableSchema::Make({"shop", "orders"}, {id, qty, note}, {0});
  REQUIRE(schema.ok());
  return *schema;
}

TEST_CASE("a source position prints its file, offset and gtid") {
  CHECK(SourcePosition{"mysql-bin.000003", 4711, ""}.ToString() == "mysql-bin.000003:4711");
  CHECK(SourcePosition{"mysql-bin.000003", 4711, "0-1-42"}.ToString() ==
        "mysql-bin.000003:4711 (gtid 0-1-42)");
  CHECK(SourcePosition{"", 4711, ""}.ToString() == "4711");
  CHECK(std::string(ChangeKindName(ChangeKind::kDelete)) == "delete");
}

TEST_CASE("an insert prints its after image with column names and position") {
  RowChange change;
  change.kind = ChangeKind::kInsert;
  auto orders = Orders();
  change.table = orders.get();
  change.after = {Value::Int(1), Value::Int(5), Value::String("x", 45)};
  change.position = {"mysql-bin.000001", 4711, ""};
  CHECK(&change.image() == &change.after);
  CHECK(change.ToString() == "insert shop.orders id=1 qty=5 note='x' @mysql-bin.000001:4711");
}

TEST_CASE("an update prints before->after only for the columns that changed") {
  RowChange change;
  change.kind = ChangeKind::kUpdate;
  auto orders = Orders();
  change.table = orders.get();
  change.before = {Value::Int(1), Value::Int(5), Value::String("x", 45)};
  change.after = {Value::Int(1), Value::Int(6), Value::Null()};
  change.position = {"", 42, ""};
  CHECK(change.ToString() == "update shop.orders id=1 qty=5->6 note='x'->NULL @42");
}

TEST_CASE("a delete prints its before image, and a change without schema says so") {
  RowChange change;
  change.kind = ChangeKind::kDelete;
  change.before = {Value::Int(1), Value::Int(5)};
  change.position = {"b.000002", 7, "0-1-9"};
  CHECK(&change.image() == &change.before);
  CHECK(change.ToString() == "delete (no schema) #1=1 #2=5 @b.000002:7 (gtid 0-1-9)");
}

TEST_CASE("a change's byte size counts its values, not its position's shared names") {
  RowChange change;
  change.kind = ChangeKind::kUpdate;
  change.before = {Value::Int(1), Value::Bytes(std::string(100, 'x'))};
  change.after = {Value::Int(1)};
  change.position = {"mysql-bin.000001", 4, "0-1-2"};
  const size_t expected = sizeof(RowChange) + change.before[0].ByteSize() +
                          change.before[1].ByteSize() + change.after[0].ByteSize();
  CHECK(change.ByteSize() == expected);
  CHECK(change.ByteSize() > sizeof(RowChange) + 100);
}

}  // namespace
}  // namespace cdc
