// DdlFollower: the stream's DDL followed in the catalog, the schema changes captured tables
// see, and binlog table maps checked against the catalog; all without a server.
#include "connectors/mysql/source/ddl_follower.h"

#include <doctest/doctest.h>

namespace cdc {
namespace {

// A follower capturing the tables of `shop`, which holds `orders (id INT, note VARCHAR(20))`.
DdlFollower ShopFollower(bool skip_unparseable_ddl = false) {
  auto filter = TableFilter::Make({"shop\\..*"}, {});
  REQUIRE(filter.ok());
  DdlFollower follower(*filter, SchemaCatalog(), skip_unparseable_ddl);
  return follower;
}

BinlogDecoder::Statement At(std::string sql, uint64_t offset = 900, const char* gtid = "0-1-43") {
  BinlogDecoder::Statement statement;
  statement.database = "shop";
  statement.sql = std::move(sql);
  statement.position = SourcePosition{"mysql-bin.000002", offset, gtid};
  statement.binlog = BinlogPosition{"mysql-bin.000002", offset};
  return statement;
}

GtidState Gtids(const char* text) {
  auto gtids = GtidState::Parse(text);
  REQUIRE(gtids.ok());
  return *gtids;
}

// Parses and applies `sql`; the schema changes captured tables see.
std::vector<SchemaChange> Follow(DdlFollower& follower, const std::string& sql,
                                 const std::set<TableId>& held = {}) {
  BinlogDecoder::Statement statement = At(sql);
  auto parsed = follower.Parse(statement);
  REQUIRE_MESSAGE(parsed.ok(), parsed.status().ToString());
  REQUIRE(parsed->has_value());
  return follower.Apply(**parsed, statement, held, Gtids("0-1-42"));
}

const TableId kOrders{"shop", "orders"};

// A follower whose catalog holds `orders (id INT PRIMARY KEY, note VARCHAR(20))` from the start
// (as read from the server), not from a DDL in the stream.
DdlFollower WithOrders() {
  DdlFollower setup = ShopFollower();
  Follow(setup, "CREATE TABLE orders (id INT PRIMARY KEY, note VARCHAR(20))");
  auto filter = TableFilter::Make({"shop\\..*"}, {});
  REQUIRE(filter.ok());
  return DdlFollower(*filter, setup.catalog(), false);
}

// The binlog's table map of orders: (id INT, note VARCHAR(20)), with `qty INT` after them when
// the table gained that column.
TableMap OrdersMap(bool with_qty) {
  TableMap map;
  map.database = "shop";
  map.table = "orders";
  TableMapColumn id;
  id.type = BinlogType::kLong;
  id.nullable = false;
  id.name = "id";
  TableMapColumn note;
  note.type = BinlogType::kVarchar;
  note.meta = 80;
  note.collation_id = 45;  // utf8mb4_general_ci
  note.name = "note";
  map.columns = {id, note};
  if (with_qty) {
    TableMapColumn qty = id;
    qty.name = "qty";
    qty.nullable = true;
    map.columns.push_back(qty);
  }
  map.primary_key = {0};
  map.has_names = true;
  return map;
}

}  // namespace

TEST_CASE(
    "a DDL of a captured table is followed in the catalog and emitted with the GTIDs after it") {
  DdlFollower follower = ShopFollower();
  auto created = Follow(follower, "CREATE TABLE orders (id INT PRIMARY KEY, note VARCHAR(20))");
  REQUIRE(created.size() == 1);
  CHECK(created[0].kind == SchemaChangeKind::kCreateTable);
  CHECK(created[0].after->id() == kOrders);
  CHECK(created[0].source_gtids == "0-1-43");
  REQUIRE(follower.Find(kOrders) != nullptr);

  auto altered = Follow(follower, "ALTER TABLE orders ADD COLUMN qty INT");
  REQUIRE(altered.size() == 1);
  CHECK(altered[0].kind == SchemaChangeKind::kAlterTable);
  CHECK(altered[0].before->columns().size() == 2);
  CHECK(altered[0].after->columns().size() == 3);
  CHECK(follower.Find(kOrders)->columns().size() == 3);

  // Not captured: followed in the catalog, not emitted.
  CHECK(Follow(follower, "CREATE TABLE audit.log (id INT)").empty());
  CHECK(follower.Find(TableId{"audit", "log"}) != nullptr);
}

TEST_CASE("a table renamed out of the captured set is dropped, one renamed into it created") {
  DdlFollower follower = ShopFollower();
  Follow(follower, "CREATE TABLE orders (id INT PRIMARY KEY)");
  Follow(follower, "CREATE TABLE audit.log (id INT PRIMARY KEY)");
  auto out = Follow(follower, "RENAME TABLE shop.orders TO audit.orders, audit.log TO shop.log");
  REQUIRE(out.size() == 2);
  CHECK(out[0].kind == SchemaChangeKind::kDropTable);
  CHECK(out[0].before->id() == kOrders);
  CHECK(out[1].kind == SchemaChangeKind::kCreateTable);
  CHECK(out[1].after->id() == TableId{"shop", "log"});

  auto moved = Follow(follower, "ALTER TABLE shop.log RENAME TO audit.log");
  REQUIRE(moved.size() == 1);
  CHECK(moved[0].kind == SchemaChangeKind::kDropTable);
  CHECK(moved[0].before->id() == TableId{"shop", "log"});
}

TEST_CASE("a held table keeps its schema and sees no schema change") {
  DdlFollower follower = ShopFollower();
  Follow(follower, "CREATE TABLE orders (id INT PRIMARY KEY)");
  TableSchemaPtr before = follower.Find(kOrders);
  CHECK(Follow(follower, "ALTER TABLE orders ADD COLUMN qty INT", {kOrders}).empty());
  CHECK(follower.Find(kOrders) == before);
}

TEST_CASE("statements that change no schema are passed over; TRUNCATE names its captured table") {
  DdlFollower follower = ShopFollower();
  Follow(follower, "CREATE TABLE orders (id INT PRIMARY KEY)");
  auto flush = follower.Parse(At("FLUSH TABLES"));
  REQUIRE(flush.ok());
  CHECK_FALSE(flush->has_value());

  auto truncate = follower.Parse(At("TRUNCATE TABLE orders"));
  REQUIRE(truncate.ok());
  REQUIRE(truncate->has_value());
  CHECK(follower.Truncated(**truncate) == follower.Find(kOrders));
  auto created = follower.Parse(At("CREATE TABLE shop.parts (id INT)"));
  REQUIRE(created.ok());
  CHECK(follower.Truncated(**created) == nullptr);
  Follow(follower, "CREATE TABLE audit.log (id INT)");
  auto other = follower.Parse(At("TRUNCATE TABLE audit.log"));
  REQUIRE(other.ok());
  CHECK(follower.Truncated(**other) == nullptr);
}

TEST_CASE("a DDL that cannot be parsed stops at a captured table unless told to pass it over") {
  DdlFollower follower = ShopFollower();
  Follow(follower, "CREATE TABLE orders (id INT PRIMARY KEY)");
  auto stopped = follower.Parse(At("ALTER TABLE shop.orders MADE_UP_OPTION = 1"));
  REQUIRE_FALSE(stopped.ok());
  CHECK(stopped.status().message().find("the DDL statement at mysql-bin.000002:900") == 0);
  CHECK(stopped.status().message().find(
            "names the captured table shop.orders and cannot be parsed") != std::string::npos);
  CHECK(stopped.status().message().find("schema-change.skip-unparseable-ddl") != std::string::npos);

  // A table whose name is only part of an identifier is not named.
  auto other = follower.Parse(At("ALTER TABLE shop.orders_old MADE_UP_OPTION = 1"));
  REQUIRE(other.ok());
  CHECK_FALSE(other->has_value());

  DdlFollower skipping = ShopFollower(true);
  Follow(skipping, "CREATE TABLE orders (id INT PRIMARY KEY)");
  auto skipped = skipping.Parse(At("ALTER TABLE shop.orders MADE_UP_OPTION = 1"));
  REQUIRE(skipped.ok());
  CHECK_FALSE(skipped->has_value());
}

TEST_CASE("a table map must match the catalog unless a DDL or the table's snapshot explains it") {
  DdlFollower follower = WithOrders();
  auto same = follower.SchemaOf(OrdersMap(false), false);
  REQUIRE_MESSAGE(same.ok(), same.status().ToString());
  CHECK(*same == follower.Find(kOrders));

  auto differs = follower.SchemaOf(OrdersMap(true), false);
  REQUIRE_FALSE(differs.ok());
  CHECK(
      differs.status().message().find("the binlog's columns of shop.orders differ from the table's "
                                      "schema (the binlog has 3 columns, the catalog 2)") == 0);
  CHECK(differs.status().message().find("with no DDL for it in the stream since the start:") !=
        std::string::npos);

  auto held = follower.SchemaOf(OrdersMap(true), true);
  REQUIRE(held.ok());
  CHECK((*held)->columns().size() == 3);
  CHECK(follower.Find(kOrders)->columns().size() == 2);  // the catalog stays as it is
}

TEST_CASE("after a DDL the catalog could not follow, the table's next table map rules") {
  DdlFollower follower = WithOrders();
  REQUIRE_FALSE(follower.SchemaOf(OrdersMap(true), false).ok());
  // Parsed, but the catalog cannot apply it: the column does not exist.
  CHECK(Follow(follower, "ALTER TABLE orders MODIFY COLUMN missing TEXT").empty());
  auto ruled = follower.SchemaOf(OrdersMap(true), false);
  REQUIRE_MESSAGE(ruled.ok(), ruled.status().ToString());
  CHECK((*ruled)->columns().size() == 3);
  CHECK(follower.Find(kOrders)->columns().size() == 3);  // taken into the catalog
}

}  // namespace cdc
