#include "operators/table_transform.h"

#include <doctest/doctest.h>

#include "test/collecting_output.h"
#include "test/test_rows.h"

namespace cdc {
namespace {

using testing::CollectingOutput;

ColumnSchema Column(std::string name, ColumnType type, bool nullable = true) {
  ColumnSchema column;
  column.name = std::move(name);
  column.type = type;
  column.nullable = nullable;
  if (type == ColumnType::kVarChar) {
    column.length = 64;
    column.collation = "utf8mb4_general_ci";
  }
  return column;
}

// `shop`.`<name>` (id BIGINT PK, sku VARCHAR NOT NULL UNIQUE, amount DECIMAL, status VARCHAR,
// note VARCHAR, UNIQUE (status, note)).
TableSchemaPtr OrdersTable(const std::string& name = "orders") {
  auto table = TableSchema::Make(
      TableId{"shop", name},
      {Column("id", ColumnType::kBigInt, false), Column("sku", ColumnType::kVarChar, false),
       Column("amount", ColumnType::kDecimal), Column("status", ColumnType::kVarChar),
       Column("note", ColumnType::kVarChar)},
      {0}, {{"uk_sku", {1}}, {"uk_status_note", {3, 4}}});
  REQUIRE_MESSAGE(table.ok(), table.status().ToString());
  return *table;
}

// `shop`.`skus` without a primary key: its row key is the unique key on `code`.
TableSchemaPtr UniqueKeyedTable() {
  auto table = TableSchema::Make(
      TableId{"shop", "skus"},
      {Column("code", ColumnType::kVarChar, false), Column("label", ColumnType::kVarChar)}, {},
      {{"uk_code", {0}}});
  REQUIRE_MESSAGE(table.ok(), table.status().ToString());
  return *table;
}

Row OrderRow(int64_t id, const std::string& amount, const std::string& status) {
  return Row{Value::Int(id), Value::String("sku-" + std::to_string(id), 45), Value::Decimal(amount),
             Value::String(status, 45), Value::Null()};
}

RowChange Change(ChangeKind kind, const TableSchemaPtr& table, Row before, Row after) {
  RowChange change;
  change.kind = kind;
  change.table = table.get();
  change.before = std::move(before);
  change.after = std::move(after);
  change.position.offset = 4711;
  return change;
}

std::shared_ptr<const TableTransformer> Transformer(std::vector<TransformRule> rules) {
  auto transformer = TableTransformer::Make(std::move(rules));
  REQUIRE_MESSAGE(transformer.ok(), transformer.status().ToString());
  return std::make_shared<TableTransformer>(std::move(transformer).value());
}

}  // namespace

TEST_CASE("the first transform rule whose regex matches the whole table name applies") {
  auto transformer = Transformer({
      {"shop\\.orders_[0-9]+", {"id", "amount"}, "", "shards"},
      {"shop\\..*", {}, "id > 0", "the rest of shop"},
  });
  auto shard = transformer->Resolve(*OrdersTable("orders_3"));
  REQUIRE(shard.ok());
  CHECK(shard->rule == 1);
  CHECK(shard->output->columns().size() == 2);
  CHECK_FALSE(shard->filter.has_value());
  auto other = transformer->Resolve(*OrdersTable("orders"));
  REQUIRE(other.ok());
  CHECK(other->rule == 2);
  CHECK(other->output == other->source);  // no projection: the very same schema
  CHECK(other->filter.has_value());
  CHECK(other->filter->bound());
  auto none = Transformer({{"shop\\.orders", {"id"}, "", ""}})->Resolve(*OrdersTable("orders_1"));
  REQUIRE(none.ok());  // "shop.orders" matches only the whole name
  CHECK(none->rule == 0);
  CHECK(none->output == none->source);
}

TEST_CASE("bad transform rules are errors naming the rule") {
  auto bad_regex = TableTransformer::Make({{"shop\\.(orders", {}, "", ""}});
  REQUIRE_FALSE(bad_regex.ok());
  CHECK(bad_regex.status().message().find("transform rule 1: source-table 'shop\\.(orders'") == 0);
  auto bad_filter = TableTransformer::Make({{"a\\.b", {}, "", ""}, {"x\\.y", {}, "id >", ""}});
  REQUIRE_FALSE(bad_filter.ok());
  CHECK(bad_filter.status().code() == StatusCode::kInvalidArgument);
  CHECK(bad_filter.status().message() ==
        "transform rule 2: filter 'id >': syntax error at the end: expected a column, a literal "
        "or '('");
  auto twice = TableTransformer::Make({{"a\\.b", {"id", "v", "ID"}, "", ""}});
  REQUIRE_FALSE(twice.ok());
  CHECK(twice.status().message() == "transform rule 1: the projection names column 'ID' twice");
  auto empty = TableTransformer::Make({{"a\\.b", {"id", ""}, "", ""}});
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.status().message() == "transform rule 1: projection item 2 is empty");
}

TEST_CASE("a projection keeps the listed columns in the listed order with the keys they hold") {
  auto transformer = Transformer({{"shop\\.orders", {"status", "ID", "amount", "sku"}, "", ""}});
  TransformOperator transform(transformer);
  auto orders = OrdersTable();
  CollectingOutput out;
  REQUIRE(
      transform.Process(Change(ChangeKind::kInsert, orders, {}, OrderRow(1, "9.50", "paid")), out)
          .ok());
  REQUIRE(transform
              .Process(Change(ChangeKind::kUpdate, orders, OrderRow(1, "9.50", "paid"),
                              OrderRow(1, "7.00", "sent")),
                       out)
              .ok());
  REQUIRE(out.changes.size() == 2);
  const TableSchema& projected = *out.changes[0].table;
  CHECK(projected.id() == orders->id());
  REQUIRE(projected.columns().size() == 4);
  CHECK(projected.columns()[0] == orders->columns()[3]);
  CHECK(projected.columns()[1] == orders->columns()[0]);
  CHECK(projected.columns()[2] == orders->columns()[2]);
  CHECK(projected.columns()[3] == orders->columns()[1]);
  CHECK(projected.primary_key() == std::vector<size_t>{1});
  REQUIRE(projected.unique_keys().size() == 1);  // uk_status_note lost `note`: dropped
  CHECK(projected.unique_keys()[0].name == "uk_sku");
  CHECK(projected.unique_keys()[0].columns == std::vector<size_t>{3});
  CHECK(out.changes[0].after == Row{Value::String("paid", 45), Value::Int(1),
                                    Value::Decimal("9.50"), Value::String("sku-1", 45)});
  CHECK(out.changes[1].kind == ChangeKind::kUpdate);
  CHECK(out.changes[1].before == Row{Value::String("paid", 45), Value::Int(1),
                                     Value::Decimal("9.50"), Value::String("sku-1", 45)});
  CHECK(out.changes[1].after == Row{Value::String("sent", 45), Value::Int(1),
                                    Value::Decimal("7.00"), Value::String("sku-1", 45)});
}

TEST_CASE("a projection that drops a row key column is an error naming the table and column") {
  auto orders = Transformer({{"shop\\..*", {"sku", "amount"}, "", ""}})->Resolve(*OrdersTable());
  REQUIRE_FALSE(orders.ok());
  CHECK(orders.status().code() == StatusCode::kInvalidArgument);
  CHECK(orders.status().message() ==
        "transform rule 1 on table shop.orders: the projection drops column 'id' of the row key "
        "(PRIMARY KEY); the sink needs the key to apply updates and deletes, so add it to the "
        "projection");
  auto skus = Transformer({{"shop\\..*", {"label"}, "", ""}})->Resolve(*UniqueKeyedTable());
  REQUIRE_FALSE(skus.ok());
  CHECK(skus.status().message().find("drops column 'code' of the row key (unique key uk_code)") !=
        std::string::npos);
  auto kept = Transformer({{"shop\\..*", {"label", "code"}, "", ""}})->Resolve(*UniqueKeyedTable());
  REQUIRE(kept.ok());
  CHECK(kept->output->key().kind == KeyKind::kUnique);
  CHECK(kept->output->key().columns == std::vector<size_t>{1});
  auto keyless = testing::MakeTable("plain", /*keyed=*/false);
  auto projected = Transformer({{"db\\..*", {"v"}, "", ""}})->Resolve(*keyless);
  REQUIRE(projected.ok());  // a keyless table has no key to keep
  CHECK(projected->output->columns().size() == 1);
}

TEST_CASE("a projection naming a missing column is an error listing the table's columns") {
  TransformOperator transform(Transformer({{"shop\\..*", {"id", "totl"}, "", ""}}));
  CollectingOutput out;
  Status status =
      transform.Process(Change(ChangeKind::kInsert, OrdersTable(), {}, OrderRow(1, "1", "x")), out);
  CHECK(status.code() == StatusCode::kInvalidArgument);
  CHECK(status.message() ==
        "transform rule 1 on table shop.orders: the projection names unknown column 'totl'; the "
        "table's columns are id, sku, amount, status, note");
  CHECK(out.changes.empty());
}

TEST_CASE("a filter passes inserts and deletes whose image matches, and truncates always") {
  auto orders = OrdersTable();
  TransformOperator transform(
      Transformer({{"shop\\..*", {"id", "amount"}, "status = 'PAID'", ""}}));
  CollectingOutput out;
  REQUIRE(transform.Process(Change(ChangeKind::kInsert, orders, {}, OrderRow(1, "1", "paid")), out)
              .ok());
  REQUIRE(transform.Process(Change(ChangeKind::kInsert, orders, {}, OrderRow(2, "1", "new")), out)
              .ok());
  REQUIRE(transform.Process(Change(ChangeKind::kDelete, orders, OrderRow(3, "1", "new"), {}), out)
              .ok());
  REQUIRE(transform.Process(Change(ChangeKind::kDelete, orders, OrderRow(4, "1", "paid"), {}), out)
              .ok());
  REQUIRE(transform.Process(Change(ChangeKind::kTruncate, orders, {}, {}), out).ok());
  REQUIRE(out.changes.size() == 3);
  CHECK(out.changes[0].kind == ChangeKind::kInsert);
  CHECK(out.changes[0].after == Row{Value::Int(1), Value::Decimal("1")});  // filtered on `status`
  CHECK(out.changes[1].kind == ChangeKind::kDelete);
  CHECK(out.changes[1].before == Row{Value::Int(4), Value::Decimal("1")});
  CHECK(out.changes[1].position.offset == 4711);
  CHECK(out.changes[2].kind == ChangeKind::kTruncate);
  CHECK(out.changes[2].table == out.changes[0].table);  // the projected schema
  CHECK(out.changes[2].table->columns().size() == 2);
}

TEST_CASE("an update is kept, becomes a delete or an insert, or is dropped by which images match") {
  auto orders = OrdersTable();
  TransformOperator transform(Transformer({{"shop\\..*", {}, "amount >= 10", ""}}));
  CollectingOutput out;
  auto update = [&](const std::string& before, const std::string& after) {
    return transform.Process(
        Change(ChangeKind::kUpdate, orders, OrderRow(1, before, "x"), OrderRow(1, after, "x")),
        out);
  };
  REQUIRE(update("10", "20.5").ok());  // both match: the update
  REQUIRE(update("12", "9.99").ok());  // only before: it left the filter, a delete
  REQUIRE(update("1", "10.00").ok());  // only after: it entered the filter, an insert
  REQUIRE(update("1", "2").ok());      // neither: dropped
  REQUIRE(out.changes.size() == 3);
  CHECK(out.changes[0].kind == ChangeKind::kUpdate);
  CHECK(out.changes[0].before == OrderRow(1, "10", "x"));
  CHECK(out.changes[0].after == OrderRow(1, "20.5", "x"));
  CHECK(out.changes[1].kind == ChangeKind::kDelete);
  CHECK(out.changes[1].before == OrderRow(1, "12", "x"));
  CHECK(out.changes[1].after.empty());
  CHECK(out.changes[2].kind == ChangeKind::kInsert);
  CHECK(out.changes[2].before.empty());
  CHECK(out.changes[2].after == OrderRow(1, "10.00", "x"));
  CHECK(out.changes[0].table == orders.get());  // no projection: the source schema
}

TEST_CASE("a table's projected schema is made once: the same pointer for every change") {
  auto transformer = Transformer({{"shop\\..*", {"id"}, "", ""}});
  auto factory = TransformOperator::Factory(transformer);
  auto transform = factory(SubtaskInfo{"transform", 0, 1});
  auto orders = OrdersTable();
  auto orders_v2 = OrdersTable();  // a new version of the table: another schema object
  auto untouched = testing::MakeTable("t");
  CollectingOutput out;
  REQUIRE(
      transform->Process(Change(ChangeKind::kInsert, orders, {}, OrderRow(1, "1", "a")), out).ok());
  REQUIRE(
      transform->Process(Change(ChangeKind::kInsert, orders, {}, OrderRow(2, "1", "a")), out).ok());
  REQUIRE(transform->Process(Change(ChangeKind::kInsert, orders_v2, {}, OrderRow(3, "1", "a")), out)
              .ok());
  REQUIRE(transform->Process(testing::Insert(untouched, 4, "d"), out).ok());
  REQUIRE(out.changes.size() == 4);
  CHECK(out.changes[0].table == out.changes[1].table);
  CHECK(out.changes[2].table != out.changes[0].table);
  CHECK(out.changes[2].table->columns() == out.changes[0].table->columns());
  CHECK(out.changes[3].table == untouched.get());
  CHECK(out.changes[3].after == testing::MakeRow(4, "d"));
  // The operator keeps the projected schema alive after the source is gone.
  const TableSchema* projected = out.changes[0].table;
  orders.reset();
  CHECK(projected->columns().size() == 1);
}

TEST_CASE("a filter error stops the change with the rule, table and position named") {
  TransformOperator unknown(Transformer({{"shop\\..*", {}, "stat = 'x'", ""}}));
  CollectingOutput out;
  Status status =
      unknown.Process(Change(ChangeKind::kInsert, OrdersTable(), {}, OrderRow(1, "1", "a")), out);
  CHECK(status.code() == StatusCode::kInvalidArgument);
  CHECK(status.message() ==
        "transform rule 1 on table shop.orders: filter 'stat = 'x'' on table shop.orders: "
        "unknown column 'stat'; the table's columns are id, sku, amount, status, note");

  TransformOperator mistyped(Transformer({{"shop\\..*", {}, "id = 1", ""}}));
  auto orders = OrdersTable();
  RowChange short_row = Change(ChangeKind::kInsert, orders, {}, {});
  short_row.after = Row{};
  status = mistyped.Process(std::move(short_row), out);
  CHECK(status.message().find("transform rule 1 on shop.orders at 4711: filter 'id = 1'") == 0);
  CHECK(out.changes.empty());
}

}  // namespace cdc
