#include "schema/table_id.h"

#include <unordered_set>

#include <doctest/doctest.h>

namespace cdc {
namespace {

TEST_CASE("a table id prints as db.t and quotes with backticks doubled") {
  const TableId id{"shop", "orders"};
  CHECK(id.ToString() == "shop.orders");
  CHECK(id.Quoted() == "`shop`.`orders`");
  CHECK(TableId{"we`ird", "t`"}.Quoted() == "`we``ird`.`t```");
}

TEST_CASE("table ids compare and hash by both names") {
  const TableId a{"db", "t"};
  CHECK(a == TableId{"db", "t"});
  CHECK_FALSE(a == TableId{"t", "db"});
  CHECK(TableId{"a", "z"} < TableId{"b", "a"});
  CHECK(TableIdHash{}(a) == TableIdHash{}(TableId{"db", "t"}));
  CHECK(TableIdHash{}(a) != TableIdHash{}(TableId{"t", "db"}));
  std::unordered_set<TableId, TableIdHash> ids = {a, {"t", "db"}, {"db", "t"}};
  CHECK(ids.size() == 2);
}

}  // namespace
}  // namespace cdc
