#include "operators/table_route.h"

#include <doctest/doctest.h>

#include "test/collecting_output.h"
#include "test/test_rows.h"

namespace cdc {

using testing::CollectingOutput;
using testing::Insert;
using testing::MakeTable;

TEST_CASE("route rules send matching tables to their sink table, first match wins") {
  auto router = TableRouter::Make({
      {"db\\.orders_[0-9]+", "db.orders", "", "merge shards"},
      {"db\\..*", "ods.ods_<>", "<>", "rename the rest"},
  });
  REQUIRE_MESSAGE(router.ok(), router.status().ToString());
  CHECK(router->Route(TableId{"db", "orders_0"}) == TableId{"db", "orders"});
  CHECK(router->Route(TableId{"db", "orders_17"}) == TableId{"db", "orders"});
  CHECK(router->Route(TableId{"db", "orders_x"}) == TableId{"ods", "ods_orders_x"});
  CHECK(router->Route(TableId{"other", "t"}) == TableId{"other", "t"});  // no rule: unchanged
  CHECK(router->Route(TableId{"xdb", "t"}) == TableId{"xdb", "t"});      // whole-name match only
}

TEST_CASE("bad route rules are errors naming the rule") {
  auto bad_regex = TableRouter::Make({{"db\\.(orders", "db.orders", "", ""}});
  REQUIRE_FALSE(bad_regex.ok());
  CHECK(bad_regex.status().message().find("route rule 1: source-table 'db\\.(orders'") == 0);
  auto bad_sink = TableRouter::Make({{"a\\.b", "a.b", "", ""}, {"x\\.y", "nodot", "", ""}});
  REQUIRE_FALSE(bad_sink.ok());
  CHECK(bad_sink.status().message() == "route rule 2: sink-table 'nodot' must name database.table");
}

TEST_CASE("routed changes carry the sink table's schema with the source's columns and keys") {
  auto router = TableRouter::Make({{"db\\.orders_[0-9]+", "db.orders", "", ""}});
  REQUIRE(router.ok());
  RouteOperator route(std::make_shared<TableRouter>(std::move(router).value()));
  auto shard0 = MakeTable("orders_0");
  auto shard1 = MakeTable("orders_1");
  auto other = MakeTable("customers");
  CollectingOutput out;
  REQUIRE(route.Process(Insert(shard0, 1, "a"), out).ok());
  REQUIRE(route.Process(Insert(shard1, 2, "b"), out).ok());
  REQUIRE(route.Process(Insert(shard0, 3, "c"), out).ok());
  REQUIRE(route.Process(Insert(other, 4, "d"), out).ok());
  REQUIRE(out.changes.size() == 4);
  CHECK(out.changes[0].table->id() == TableId{"db", "orders"});
  CHECK(out.changes[1].table->id() == TableId{"db", "orders"});
  CHECK(out.changes[0].table == out.changes[2].table);  // one routed schema per source table
  CHECK(out.changes[0].table->columns() == shard0->columns());
  CHECK(out.changes[0].table->primary_key() == shard0->primary_key());
  CHECK(out.changes[3].table == other.get());  // not routed: the very same schema
  CHECK(out.changes[1].after == testing::MakeRow(2, "b"));
}

}  // namespace cdc

namespace cdc {
namespace {

// The barrier copies of one schema change, as the source emits them.
std::vector<RowChange> Barriers(SchemaChange change) {
  return SchemaChangeBarriers(std::make_shared<const SchemaChange>(std::move(change)),
                              SourcePosition{"mysql-bin.000001", 99, ""}, 0, 0);
}

std::vector<std::string> Targets(const std::vector<RowChange>& changes) {
  std::vector<std::string> out;
  for (const RowChange& change : changes) out.push_back(change.table->id().ToString());
  return out;
}

}  // namespace

TEST_CASE("schema changes are routed: sink names, one barrier per sink table, merged drops kept") {
  auto router = TableRouter::Make({
      {"db\\.orders_[0-9]+", "dw.orders", "", "merge shards"},
      {"db\\..*", "ods.<>", "<>", "rename database"},
  });
  REQUIRE(router.ok());
  RouteOperator route(std::make_shared<TableRouter>(std::move(router).value()));
  auto shard = MakeTable("orders_1");
  auto other = MakeTable("items");
  auto renamed =
      *TableSchema::Make(TableId{"db", "items_v2"}, other->columns(), other->primary_key());

  SchemaChange alter;
  alter.kind = SchemaChangeKind::kAlterTable;
  alter.before = shard;
  alter.after = shard;
  alter.statement = "ALTER TABLE orders_1 COMMENT 'x'";
  CollectingOutput out;
  for (RowChange& barrier : Barriers(alter)) REQUIRE(route.Process(std::move(barrier), out).ok());
  REQUIRE(out.changes.size() == 1);
  CHECK(Targets(out.changes) == std::vector<std::string>{"dw.orders"});
  CHECK(out.changes[0].schema_change->before->id() == TableId{"dw", "orders"});
  CHECK(out.changes[0].schema_change->statement == alter.statement);

  // A rename is one change, routed once though it arrives as a copy per table.
  SchemaChange rename;
  rename.kind = SchemaChangeKind::kRenameTable;
  rename.renames.push_back(TableRenameStep{other, renamed});
  out.changes.clear();
  for (RowChange& barrier : Barriers(rename)) REQUIRE(route.Process(std::move(barrier), out).ok());
  CHECK(Targets(out.changes) == std::vector<std::string>{"ods.items", "ods.items_v2"});
  CHECK(out.changes[0].schema_change == out.changes[1].schema_change);

  // A shard renamed to another shard's name, or dropped: both name the merged table, which
  // holds the other shards' rows, so neither reaches the sink.
  auto shard2 =
      *TableSchema::Make(TableId{"db", "orders_2"}, shard->columns(), shard->primary_key());
  SchemaChange shard_rename;
  shard_rename.kind = SchemaChangeKind::kRenameTable;
  shard_rename.renames.push_back(TableRenameStep{shard, shard2});
  SchemaChange drop;
  drop.kind = SchemaChangeKind::kDropTable;
  drop.before = shard;
  out.changes.clear();
  for (RowChange& barrier : Barriers(shard_rename))
    REQUIRE(route.Process(std::move(barrier), out).ok());
  for (RowChange& barrier : Barriers(drop)) REQUIRE(route.Process(std::move(barrier), out).ok());
  CHECK(out.changes.empty());
  // A table renamed by a replace-symbol rule is dropped on the sink like any other.
  SchemaChange drop_other;
  drop_other.kind = SchemaChangeKind::kDropTable;
  drop_other.before = other;
  for (RowChange& barrier : Barriers(drop_other))
    REQUIRE(route.Process(std::move(barrier), out).ok());
  CHECK(Targets(out.changes) == std::vector<std::string>{"ods.items"});
}

}  // namespace cdc
