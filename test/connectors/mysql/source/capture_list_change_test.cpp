// CaptureListChange: which tables joined or left the capture list between two runs, and what
// becomes of their snapshots; the end-to-end behaviour is
// test/integration/capture_list_change_test.
#include "connectors/mysql/source/capture_list_change.h"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "schema/ddl_apply.h"
#include "schema/ddl_parser.h"

namespace cdc {
namespace {

TableSchemaPtr Table(const char* database, const char* table) {
  auto statement =
      ParseDdl(fmt::format("CREATE TABLE {}.{} (id INT PRIMARY KEY)", database, table), "");
  REQUIRE(statement.ok());
  auto schema = SchemaFromCreateTable(std::get<CreateTable>(*statement), "utf8mb4_general_ci");
  REQUIRE(schema.ok());
  return *schema;
}

TableFilter Filter(const std::vector<std::string>& include) {
  auto filter = TableFilter::Make(include, {});
  REQUIRE(filter.ok());
  return *filter;
}

// The captured tables a server has: those of `tables` that `filter` accepts.
std::map<TableId, TableSchemaPtr> Server(TableFilter& filter,
                                         const std::vector<TableSchemaPtr>& tables) {
  std::map<TableId, TableSchemaPtr> server;
  for (const TableSchemaPtr& table : tables) {
    if (filter.Accepts(table->id())) server[table->id()] = table;
  }
  return server;
}

const TableId kOrders{"shop", "orders"};
const TableId kParts{"shop", "parts"};
const TableId kUsers{"shop", "users"};

MysqlSourceState Streaming() {
  MysqlSourceState state;
  state.binlog = BinlogPosition{"mysql-bin.000002", 4};
  state.has_capture_list = true;
  state.captured = {kOrders, kParts};
  return state;
}

}  // namespace

TEST_CASE("a table that joins a running stream is backfilled; one left out is released") {
  TableFilter filter = Filter({"shop\\.(orders|users)"});
  auto server =
      Server(filter, {Table("shop", "orders"), Table("shop", "parts"), Table("shop", "users")});
  CaptureListChange change = CaptureListChange::Plan(Streaming(), SchemaCatalog(), server, filter);
  CHECK(change.released == std::set<TableId>{kParts});
  CHECK(change.backfill == std::map<TableId, bool>{{kUsers, false}});
  REQUIRE(change.joined.size() == 1);
  CHECK(change.joined[0]->id() == kUsers);
  CHECK(change.forgotten == std::set<TableId>{kUsers});
}

TEST_CASE("a released table that comes back is reloaded: its target is emptied first") {
  MysqlSourceState saved = Streaming();
  saved.released = {kUsers};
  TableFilter filter = Filter({"shop\\..*"});
  auto server =
      Server(filter, {Table("shop", "orders"), Table("shop", "parts"), Table("shop", "users")});
  CaptureListChange change = CaptureListChange::Plan(saved, SchemaCatalog(), server, filter);
  CHECK(change.released.empty());
  CHECK(change.backfill == std::map<TableId, bool>{{kUsers, true}});
}

TEST_CASE("a backfill goes on if still captured, and is released if left out before it ended") {
  MysqlSourceState saved = Streaming();
  saved.captured.insert(kUsers);
  saved.backfill = {{kUsers, true}, {kParts, false}};
  TableFilter filter = Filter({"shop\\.(orders|users)"});
  auto server =
      Server(filter, {Table("shop", "orders"), Table("shop", "parts"), Table("shop", "users")});
  CaptureListChange change = CaptureListChange::Plan(saved, SchemaCatalog(), server, filter);
  CHECK(change.backfill == std::map<TableId, bool>{{kUsers, true}});
  CHECK(change.released == std::set<TableId>{kParts});
  CHECK(change.forgotten == std::set<TableId>{kParts});
  CHECK(change.joined.empty());
}

TEST_CASE("mid-snapshot a joining table is read with the others, not backfilled") {
  MysqlSourceState saved = Streaming();
  saved.binlog = BinlogPosition();
  TableFilter filter = Filter({"shop\\..*"});
  auto server =
      Server(filter, {Table("shop", "orders"), Table("shop", "parts"), Table("shop", "users")});
  CaptureListChange change = CaptureListChange::Plan(saved, SchemaCatalog(), server, filter);
  CHECK(change.backfill.empty());
  REQUIRE(change.joined.size() == 1);
  CHECK(change.joined[0]->id() == kUsers);
}

TEST_CASE("a state from before capture lists were kept captured the tables of its catalog") {
  MysqlSourceState saved;
  saved.binlog = BinlogPosition{"mysql-bin.000002", 4};
  SchemaCatalog catalog;
  catalog.Put(Table("shop", "orders"));
  catalog.Put(Table("shop", "parts"));
  TableFilter filter = Filter({"shop\\..*"});
  auto server = Server(filter, {Table("shop", "orders"), Table("shop", "parts")});
  CaptureListChange change = CaptureListChange::Plan(saved, catalog, server, filter);
  CHECK(change.joined.empty());
  CHECK(change.backfill.empty());
  CHECK(change.released.empty());
}

}  // namespace cdc
