#include "connectors/mysql/source/table_filter.h"

#include <doctest/doctest.h>

namespace cdc {

TEST_CASE("table filters include and exclude by whole-name regexes") {
  auto filter = TableFilter::Make({"shop\\..*", "crm\\.customers"}, {"shop\\.tmp_.*"});
  REQUIRE(filter.ok());
  CHECK(filter->Accepts(TableId{"shop", "orders"}));
  CHECK(filter->Accepts(TableId{"crm", "customers"}));
  CHECK_FALSE(filter->Accepts(TableId{"crm", "customers_old"}));  // whole-name match
  CHECK_FALSE(filter->Accepts(TableId{"shop", "tmp_x"}));
  CHECK_FALSE(filter->Accepts(TableId{"other", "orders"}));
  CHECK(TableFilter().Accepts(TableId{"any", "thing"}));
  auto bad = TableFilter::Make({"shop\\.(orders"}, {});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message().find("shop\\.(orders") != std::string::npos);
}

}  // namespace cdc
