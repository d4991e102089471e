#include "connectors/mq/column_selector.h"

#include <doctest/doctest.h>

#include "test/test_rows.h"

namespace cdc {
namespace {

// `db`.`users` (id PK, name, password, price_a, price_b).
TableSchemaPtr Users(const std::string& db = "shop") {
  std::vector<ColumnSchema> columns(5);
  const char* names[] = {"id", "name", "password", "price_a", "price_b"};
  for (size_t i = 0; i < columns.size(); ++i) {
    columns[i].name = names[i];
    columns[i].type = ColumnType::kBigInt;
    columns[i].nullable = i != 0;
  }
  return *TableSchema::Make(TableId{db, "users"}, columns, {0});
}

std::vector<ColumnSelectorRule> Rules(std::vector<std::string> matcher,
                                      std::vector<std::string> columns) {
  return {ColumnSelectorRule{std::move(matcher), std::move(columns)}};
}

TEST_CASE("column selectors keep the selected columns; the last matching pattern decides") {
  auto selector = ColumnSelector::Make(Rules({"shop.*"}, {"*", "!password", "!price_?"}));
  REQUIRE(selector.ok());
  auto kept = selector->Select(*Users(), {});
  REQUIRE(kept.ok());
  REQUIRE(kept->has_value());
  CHECK(**kept == std::vector<size_t>{0, 1});
  // A table no rule takes keeps every column.
  auto other = selector->Select(*Users("crm"), {});
  REQUIRE(other.ok());
  CHECK_FALSE(other->has_value());
  // A selection of every column is no selection.
  auto all = ColumnSelector::Make(Rules({"*.*"}, {"*"}));
  CHECK_FALSE(all->Select(*Users(), {})->has_value());
  auto listed = ColumnSelector::Make(Rules({"*.*"}, {"id", "price_*"}));
  CHECK(**listed->Select(*Users(), {}) == std::vector<size_t>{0, 3, 4});
}

TEST_CASE("a selection may not drop the key or a column the partition dispatcher reads") {
  auto no_key = ColumnSelector::Make(Rules({"shop.users"}, {"name"}));
  auto dropped = no_key->Select(*Users(), {});
  REQUIRE_FALSE(dropped.ok());
  CHECK(dropped.status().message() ==
        "column-selectors[0] on table shop.users drops the key column id: a consumer could not "
        "tell which row changed; keep it");
  auto no_price = ColumnSelector::Make(Rules({"shop.users"}, {"*", "!price_a"}));
  auto needed = no_price->Select(*Users(), {3});
  REQUIRE_FALSE(needed.ok());
  CHECK(needed.status().message().find("drops column price_a, which the partition dispatcher "
                                       "reads") != std::string::npos);
  auto none = ColumnSelector::Make(Rules({"shop.users"}, {"!*"}));
  CHECK(none->Select(*Users(), {}).status().message().find("keeps no column") != std::string::npos);
}

}  // namespace
}  // namespace cdc
