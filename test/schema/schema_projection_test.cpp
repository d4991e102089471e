#include "schema/schema_projection.h"

#include <doctest/doctest.h>

namespace cdc {
namespace {

ColumnSchema Column(std::string name, ColumnType type) {
  ColumnSchema column;
  column.name = std::move(name);
  column.type = type;
  column.nullable = type != ColumnType::kBigInt;
  if (type == ColumnType::kVarChar) {
    column.length = 64;
    column.collation = "utf8mb4_general_ci";
  }
  return column;
}

}  // namespace

TEST_CASE("a projection keeps the indexes whose columns it keeps, renumbered, and the options") {
  auto orders = TableSchema::Define(
      TableId{"shop", "orders"},
      {Column("id", ColumnType::kBigInt), Column("sku", ColumnType::kVarChar),
       Column("note", ColumnType::kVarChar), Column("status", ColumnType::kVarChar)},
      {{"PRIMARY", {0}, IndexKind::kPrimary},
       {"k_status", {3, 1}, IndexKind::kPlain, {4, 0}, {true, false}},
       {"k_note", {2}, IndexKind::kPlain},
       {"uk_status_note", {3, 2}, IndexKind::kUnique},
       {"ft_sku", {1}, IndexKind::kFulltext}},
      TableAttributes{"latin1_bin", "orders"});
  REQUIRE_MESSAGE(orders.ok(), orders.status().ToString());
  auto projected = ProjectSchema(**orders, {3, 0, 1}, "transform rule 1");  // drops note
  REQUIRE_MESSAGE(projected.ok(), projected.status().ToString());
  const TableSchema& t = **projected;
  REQUIRE(t.indexes().size() == 3);
  CHECK(t.indexes()[0].name == "PRIMARY");
  CHECK(t.indexes()[0].columns == std::vector<size_t>{1});
  CHECK(t.indexes()[1].name == "k_status");
  CHECK(t.indexes()[1].columns == std::vector<size_t>{0, 2});
  CHECK(t.indexes()[1].prefix_lengths == std::vector<uint32_t>{4, 0});
  CHECK(t.indexes()[1].descending == std::vector<bool>{true, false});
  CHECK(t.indexes()[2].name == "ft_sku");
  CHECK(t.indexes()[2].kind == IndexKind::kFulltext);
  CHECK(t.unique_keys().empty());
  CHECK(t.attributes() == TableAttributes{"latin1_bin", "orders"});
}

}  // namespace cdc
