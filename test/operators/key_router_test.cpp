#include "operators/key_router.h"

#include <doctest/doctest.h>

#include <set>
#include <vector>

#include "test/test_rows.h"

namespace cdc {
namespace {

using testing::Delete;
using testing::Insert;
using testing::MakeTable;
using testing::Update;

RowChange TextKeyInsert(const TableSchemaPtr& table, const std::string& key) {
  RowChange change;
  change.kind = ChangeKind::kInsert;
  change.table = table.get();
  change.after = Row{Value::String(key, 45), Value::String("v", 45)};
  return change;
}

}  // namespace

TEST_CASE("a delete routes by its before image, like the insert of the same key") {
  auto t = MakeTable("t");
  KeyRouter router;
  for (int64_t id = 0; id < 200; ++id) {
    CHECK(router.Route(Insert(t, id, "x")).hash == router.Route(Delete(t, id, "y")).hash);
  }
}

TEST_CASE("keys equal under a _ci collation route together; under _bin they differ") {
  auto ci = MakeTable("ci", true, "utf8mb4_general_ci");
  auto bin = MakeTable("bin", true, "utf8mb4_bin");
  KeyRouter router;
  CHECK(router.Route(TextKeyInsert(ci, "Alice")).hash ==
        router.Route(TextKeyInsert(ci, "aLICE ")).hash);
  CHECK(router.Route(TextKeyInsert(bin, "Alice")).hash !=
        router.Route(TextKeyInsert(bin, "aLICE")).hash);
}

TEST_CASE("the same key in two tables is routed independently") {
  KeyRouter router;
  auto a = MakeTable("a");
  auto b = MakeTable("b");
  int same = 0;
  for (int64_t id = 0; id < 1000; ++id) {
    same +=
        router.Route(Insert(a, id, "x")).Subtask(8) == router.Route(Insert(b, id, "x")).Subtask(8);
  }
  CHECK(same < 250);  // about 1 in 8 by chance; all of them if the table were ignored
}

TEST_CASE("keyless tables always route to subtask 0") {
  auto t = MakeTable("heap", false);
  KeyRouter router;
  for (int64_t id = 0; id < 100; ++id) {
    KeyRoute route = router.Route(Insert(t, id, "x"));
    CHECK_FALSE(route.keyed);
    CHECK(route.Subtask(4) == 0);
  }
}

TEST_CASE("keys spread evenly over subtasks") {
  auto t = MakeTable("t");
  KeyRouter router;
  std::vector<int> counts(4, 0);
  for (int64_t id = 0; id < 40000; ++id) ++counts[router.Route(Insert(t, id, "x")).Subtask(4)];
  for (int count : counts) {
    CHECK(count > 9000);
    CHECK(count < 11000);
  }
}

}  // namespace cdc

namespace cdc {

TEST_CASE("a table with a unique key besides its primary key routes every row to one subtask") {
  std::vector<ColumnSchema> columns(2);
  columns[0].name = "id";
  columns[0].type = ColumnType::kBigInt;
  columns[0].nullable = false;
  columns[1].name = "email";
  columns[1].type = ColumnType::kBigInt;
  auto table =
      *TableSchema::Make(TableId{"db", "users"}, columns, {0}, {IndexSchema{"uk_email", {1}}});
  REQUIRE(table->has_secondary_unique_keys());
  KeyRouter router;
  std::set<size_t> subtasks;
  for (int64_t id = 0; id < 200; ++id) {
    RowChange change;
    change.kind = ChangeKind::kInsert;
    change.table = table.get();
    change.after = Row{Value::Int(id), Value::Int(1000 + id)};
    subtasks.insert(router.Route(change).Subtask(4));
  }
  CHECK(subtasks.size() == 1);
}

}  // namespace cdc
