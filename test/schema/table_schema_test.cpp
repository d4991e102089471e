#include "schema/table_schema.h"

#include <string>
#include <vector>

#include <doctest/doctest.h>

namespace cdc {
namespace {

ColumnSchema Column(std::string name, ColumnType type, bool nullable, std::string collation = "") {
  ColumnSchema column;
  column.name = std::move(name);
  column.type = type;
  column.nullable = nullable;
  column.collation = std::move(collation);
  if (type == ColumnType::kVarChar) column.length = 64;
  return column;
}

const TableId kOrders{"shop", "orders"};

// id NOT NULL, email NOT NULL, a NOT NULL, b NOT NULL, phone NULL
std::vector<ColumnSchema> OrderColumns() {
  return {Column("id", ColumnType::kBigInt, false),
          Column("email", ColumnType::kVarChar, false, "utf8mb4_general_ci"),
          Column("a", ColumnType::kInt, false), Column("b", ColumnType::kInt, false),
          Column("phone", ColumnType::kVarChar, true, "utf8mb4_bin")};
}

TEST_CASE("the primary key identifies rows when there is one") {
  auto schema =
      TableSchema::Make(kOrders, OrderColumns(), {0}, {{"uk_email", {1}}, {"uk_ab", {2, 3}}});
  REQUIRE(schema.ok());
  const TableSchema& table = **schema;
  CHECK(table.id() == kOrders);
  CHECK(table.columns().size() == 5);
  CHECK(table.primary_key() == std::vector<size_t>{0});
  CHECK(table.unique_keys().size() == 2);
  CHECK(table.has_key());
  CHECK(table.key().kind == KeyKind::kPrimary);
  CHECK(table.key().index_name == "PRIMARY");
  CHECK(table.key().columns == std::vector<size_t>{0});
  REQUIRE(table.key().collations.size() == 1);
  CHECK(table.key().collations[0].is_binary());
}

TEST_CASE("without a primary key the shortest NOT NULL unique key identifies rows") {
  auto schema =
      TableSchema::Make(kOrders, OrderColumns(), {},
                        {{"uk_ab", {2, 3}}, {"uk_phone", {4}}, {"uk_email", {1}}, {"uk_id", {0}}});
  REQUIRE(schema.ok());
  const RowKeySpec& key = (*schema)->key();
  CHECK(key.kind == KeyKind::kUnique);
  // uk_phone is shorter but nullable; uk_email and uk_id tie and uk_email is declared first.
  CHECK(key.index_name == "uk_email");
  CHECK(key.columns == std::vector<size_t>{1});
  REQUIRE(key.collations.size() == 1);
  CHECK(key.collations[0].name == "utf8mb4_general_ci");
  CHECK(key.collations[0].case_insensitive);
}

TEST_CASE("a unique key with a nullable column never identifies rows") {
  auto schema = TableSchema::Make(kOrders, OrderColumns(), {}, {{"uk_phone", {4}}});
  REQUIRE(schema.ok());
  CHECK_FALSE((*schema)->has_key());
  CHECK((*schema)->key().kind == KeyKind::kNone);
  CHECK((*schema)->key().index_name.empty());
  CHECK((*schema)->key().columns.empty());
  CHECK((*schema)->key().collations.empty());
}

TEST_CASE("a table without keys has no row key") {
  auto schema = TableSchema::Make(kOrders, OrderColumns(), {});
  REQUIRE(schema.ok());
  CHECK_FALSE((*schema)->has_key());
}

TEST_CASE("a multi-column key keeps a collation per column, binary for non-text columns") {
  auto schema = TableSchema::Make(kOrders, OrderColumns(), {1, 0});
  REQUIRE(schema.ok());
  const RowKeySpec& key = (*schema)->key();
  CHECK(key.columns == std::vector<size_t>{1, 0});
  REQUIRE(key.collations.size() == 2);
  CHECK(key.collations[0].case_insensitive);
  CHECK(key.collations[1].is_binary());
  CHECK(key.collations[1].name.empty());
}

TEST_CASE("a table without columns is rejected") {
  auto schema = TableSchema::Make(kOrders, {}, {});
  REQUIRE_FALSE(schema.ok());
  CHECK(schema.status().code() == StatusCode::kInvalidArgument);
  CHECK(schema.status().message().find("shop.orders") != std::string::npos);
  CHECK(schema.status().message().find("no columns") != std::string::npos);
}

TEST_CASE("column names that differ only in case are duplicates") {
  auto columns = OrderColumns();
  columns.push_back(Column("EMAIL", ColumnType::kInt, false));
  auto schema = TableSchema::Make(kOrders, columns, {0});
  REQUIRE_FALSE(schema.ok());
  CHECK(schema.status().code() == StatusCode::kInvalidArgument);
  const std::string& message = schema.status().message();
  CHECK(message.find("shop.orders") != std::string::npos);
  CHECK(message.find("'EMAIL'") != std::string::npos);
  CHECK(message.find("'email'") != std::string::npos);
}

TEST_CASE("an index naming a column position out of range is rejected") {
  auto pk = TableSchema::Make(kOrders, OrderColumns(), {5});
  REQUIRE_FALSE(pk.ok());
  CHECK(pk.status().code() == StatusCode::kInvalidArgument);
  CHECK(pk.status().message().find("primary key") != std::string::npos);
  CHECK(pk.status().message().find("position 5") != std::string::npos);

  auto unique = TableSchema::Make(kOrders, OrderColumns(), {0}, {{"uk_bad", {1, 9}}});
  REQUIRE_FALSE(unique.ok());
  CHECK(unique.status().message().find("shop.orders") != std::string::npos);
  CHECK(unique.status().message().find("'uk_bad'") != std::string::npos);
  CHECK(unique.status().message().find("position 9") != std::string::npos);
}

TEST_CASE("an empty unique key is rejected") {
  auto schema = TableSchema::Make(kOrders, OrderColumns(), {0}, {{"uk_empty", {}}});
  REQUIRE_FALSE(schema.ok());
  CHECK(schema.status().code() == StatusCode::kInvalidArgument);
  CHECK(schema.status().message().find("'uk_empty'") != std::string::npos);
  CHECK(schema.status().message().find("no columns") != std::string::npos);
}

TEST_CASE("a nullable primary key column is rejected") {
  auto schema = TableSchema::Make(kOrders, OrderColumns(), {0, 4});
  REQUIRE_FALSE(schema.ok());
  CHECK(schema.status().code() == StatusCode::kInvalidArgument);
  CHECK(schema.status().message().find("shop.orders") != std::string::npos);
  CHECK(schema.status().message().find("'phone'") != std::string::npos);
  CHECK(schema.status().message().find("NOT NULL") != std::string::npos);
}

TEST_CASE("columns are found by name regardless of case") {
  auto schema = TableSchema::Make(kOrders, OrderColumns(), {0});
  REQUIRE(schema.ok());
  CHECK((*schema)->FindColumn("email") == size_t{1});
  CHECK((*schema)->FindColumn("EMail") == size_t{1});
  CHECK((*schema)->FindColumn("phone") == size_t{4});
  CHECK_FALSE((*schema)->FindColumn("missing").has_value());
  CHECK_FALSE((*schema)->FindColumn("").has_value());
}

}  // namespace
}  // namespace cdc

namespace cdc {

TEST_CASE("a defined table keeps every index, with a prefix length and order per column") {
  auto schema = TableSchema::Define(kOrders, OrderColumns(),
                                    {{"PRIMARY", {0}, IndexKind::kPrimary},
                                     {"k_phone", {4, 2}, IndexKind::kPlain, {5, 0}, {false, true}},
                                     {"uk_email", {1}, IndexKind::kUnique},
                                     {"ft", {1}, IndexKind::kFulltext}},
                                    TableAttributes{"latin1_bin", "orders"});
  REQUIRE_MESSAGE(schema.ok(), schema.status().ToString());
  const TableSchema& t = **schema;
  REQUIRE(t.indexes().size() == 4);
  CHECK(t.indexes()[1].prefix_lengths == std::vector<uint32_t>{5, 0});
  CHECK(t.indexes()[1].descending == std::vector<bool>{false, true});
  CHECK(t.indexes()[2].prefix_lengths == std::vector<uint32_t>{0});  // one per column
  CHECK(t.primary_key() == std::vector<size_t>{0});
  REQUIRE(t.unique_keys().size() == 1);
  CHECK(t.unique_keys()[0].name == "uk_email");
  CHECK(t.default_collation() == "latin1_bin");
  CHECK(t.comment() == "orders");
  // Another name or default collation keeps the rest.
  TableSchemaPtr moved = t.WithId(TableId{"shop", "orders_copy"});
  CHECK(moved->id() == TableId{"shop", "orders_copy"});
  CHECK(moved->id_hash() == TableIdHash()(TableId{"shop", "orders_copy"}));
  CHECK(moved->indexes() == t.indexes());
  CHECK(moved->attributes() == t.attributes());
  CHECK(moved->key().index_name == "PRIMARY");
  CHECK(t.WithDefaultCollation("utf8mb4_bin")->default_collation() == "utf8mb4_bin");
  CHECK(t.WithDefaultCollation("utf8mb4_bin")->comment() == "orders");
}

TEST_CASE(
    "a definition with two primary keys, two indexes of one name or uneven parts is rejected") {
  auto twice = TableSchema::Define(
      kOrders, OrderColumns(),
      {{"PRIMARY", {0}, IndexKind::kPrimary}, {"PRIMARY", {2}, IndexKind::kPrimary}});
  REQUIRE_FALSE(twice.ok());
  CHECK(twice.status().message() == "table shop.orders has more than one primary key; keep one");
  auto same = TableSchema::Define(kOrders, OrderColumns(),
                                  {{"k", {0}, IndexKind::kPlain}, {"K", {2}, IndexKind::kUnique}});
  REQUIRE_FALSE(same.ok());
  CHECK(same.status().message().find("two indexes are named 'K'") != std::string::npos);
  auto uneven =
      TableSchema::Define(kOrders, OrderColumns(), {{"k", {0, 1}, IndexKind::kPlain, {3}}});
  REQUIRE_FALSE(uneven.ok());
  CHECK(uneven.status().message().find("index 'k' has 2 columns but 1 prefix lengths") !=
        std::string::npos);
  auto empty = TableSchema::Define(kOrders, OrderColumns(), {{"k", {}, IndexKind::kPlain}});
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.status().message().find("index 'k' has no columns") != std::string::npos);
}

}  // namespace cdc
