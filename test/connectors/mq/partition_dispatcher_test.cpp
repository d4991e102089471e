#include "connectors/mq/partition_dispatcher.h"

#include <doctest/doctest.h>

#include <set>

#include "connectors/mq/table_dispatch.h"
#include "test/test_rows.h"

namespace cdc {
namespace {

using testing::Insert;
using testing::MakeTable;

// `db`.`t` (id PK, u UNIQUE, v): two unique keys.
TableSchemaPtr TwoUniqueKeys() {
  std::vector<ColumnSchema> columns(3);
  columns[0].name = "id";
  columns[0].type = ColumnType::kBigInt;
  columns[0].nullable = false;
  columns[1].name = "u";
  columns[1].type = ColumnType::kBigInt;
  columns[1].nullable = false;
  columns[2].name = "v";
  columns[2].type = ColumnType::kVarChar;
  columns[2].collation = "utf8mb4_general_ci";
  IndexSchema unique;
  unique.name = "uk_u";
  unique.columns = {1};
  return *TableSchema::Make(TableId{"db", "t"}, columns, {0}, {unique});
}

TEST_CASE("the default dispatcher is index-value for one unique key, else table") {
  auto keyed = MakeTable("k");
  auto keyless = MakeTable("n", false);
  auto two = TwoUniqueKeys();
  CHECK(PartitionDispatcher::Make(PartitionDispatch::kDefault, "", {}, *keyed)->dispatch() ==
        PartitionDispatch::kIndexValue);
  CHECK(PartitionDispatcher::Make(PartitionDispatch::kDefault, "", {}, *keyless)->dispatch() ==
        PartitionDispatch::kTable);
  CHECK(PartitionDispatcher::Make(PartitionDispatch::kDefault, "", {}, *two)->dispatch() ==
        PartitionDispatch::kTable);
}

TEST_CASE("index-value spreads keys, keeps one key in one partition, under the collation") {
  auto table = MakeTable("t", true, "utf8mb4_general_ci");
  auto dispatcher = PartitionDispatcher::Make(PartitionDispatch::kIndexValue, "", {}, *table);
  REQUIRE(dispatcher.ok());
  std::set<int32_t> used;
  for (int i = 0; i < 200; ++i) {
    RowChange change;
    change.kind = ChangeKind::kInsert;
    change.table = table.get();
    change.after = Row{Value::String("key" + std::to_string(i), 45), Value::String("v", 45)};
    used.insert(dispatcher->Partition(change, 6));
  }
  CHECK(used.size() == 6);
  RowChange lower, upper;
  lower.table = upper.table = table.get();
  lower.after = Row{Value::String("abc", 45), Value::String("v", 45)};
  upper.after = Row{Value::String("ABC ", 45), Value::String("w", 45)};
  CHECK(dispatcher->Partition(lower, 16) == dispatcher->Partition(upper, 16));
  // A delete goes where its row's inserts went.
  RowChange remove = lower;
  remove.kind = ChangeKind::kDelete;
  remove.before = remove.after;
  remove.after.clear();
  CHECK(dispatcher->Partition(remove, 16) == dispatcher->Partition(lower, 16));
}

TEST_CASE("table, ts and columns dispatchers") {
  auto table = MakeTable("t");
  auto by_table = PartitionDispatcher::Make(PartitionDispatch::kTable, "", {}, *table);
  REQUIRE(by_table.ok());
  std::set<int32_t> used;
  for (int i = 0; i < 50; ++i) used.insert(by_table->Partition(Insert(table, i, "x"), 8));
  CHECK(used.size() == 1);

  auto by_ts = PartitionDispatcher::Make(PartitionDispatch::kTs, "", {}, *table);
  RowChange change = Insert(table, 1, "x");
  change.commit_time_us = 1'000'003;
  CHECK(by_ts->Partition(change, 4) == 3);

  auto by_columns = PartitionDispatcher::Make(PartitionDispatch::kColumns, "", {"V"}, *table);
  REQUIRE(by_columns.ok());
  CHECK(by_columns->columns() == std::vector<size_t>{1});
  CHECK(by_columns->Partition(Insert(table, 1, "same"), 8) ==
        by_columns->Partition(Insert(table, 2, "same"), 8));
}

TEST_CASE("a missing index or column is refused naming the table and the fix") {
  auto table = TwoUniqueKeys();
  auto index = PartitionDispatcher::Make(PartitionDispatch::kIndexValue, "uk_u", {}, *table);
  REQUIRE(index.ok());
  CHECK(index->columns() == std::vector<size_t>{1});
  auto missing = PartitionDispatcher::Make(PartitionDispatch::kIndexValue, "nope", {}, *table);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().message() ==
        "partition index-value: table db.t has no unique index 'nope': use one of its unique "
        "indexes (PRIMARY, uk_u)");
  auto column = PartitionDispatcher::Make(PartitionDispatch::kColumns, "", {"w"}, *table);
  REQUIRE_FALSE(column.ok());
  CHECK(column.status().message() ==
        "partition columns: table db.t has no column 'w': name columns it has");
  auto keyless = MakeTable("n", false);
  auto no_key = PartitionDispatcher::Make(PartitionDispatch::kIndexValue, "", {}, *keyless);
  REQUIRE_FALSE(no_key.ok());
  CHECK(no_key.status().message().find("has no primary key") != std::string::npos);
}

TEST_CASE("dispatch rules: the first matching rule decides, others go to the default topic") {
  std::vector<DispatchRule> rules(3);
  rules[0].matcher = {"test1.*", "test2.*"};
  rules[0].topic = "t1_{schema}_{table}";
  rules[0].partition = PartitionDispatch::kTs;
  rules[1].matcher = {"test1.*", "test5.*"};
  rules[1].topic = "t3";
  rules[1].partition = PartitionDispatch::kTable;
  rules[2].matcher = {"test6.*"};
  rules[2].partition = PartitionDispatch::kTs;
  auto compiled = TableDispatchRules::Make("default_topic", rules);
  REQUIRE(compiled.ok());
  CHECK(compiled->NeedsTableRouting());
  auto schema_of = [](const char* db) {
    return *TableSchema::Make(TableId{db, "aa"}, MakeTable("x")->columns(), {0});
  };
  auto test1 = compiled->For(*schema_of("test1"));
  REQUIRE(test1.ok());
  CHECK(test1->topic == "t1_test1_aa");
  CHECK(test1->partition.dispatch() == PartitionDispatch::kTs);
  CHECK(compiled->For(*schema_of("test5"))->topic == "t3");
  CHECK(compiled->For(*schema_of("test6"))->topic == "default_topic");
  auto other = compiled->For(*schema_of("test10"));
  CHECK(other->topic == "default_topic");
  CHECK(other->partition.dispatch() == PartitionDispatch::kIndexValue);

  std::vector<DispatchRule> by_key(1);
  by_key[0].matcher = {"*.*"};
  by_key[0].partition = PartitionDispatch::kIndexValue;
  CHECK_FALSE(TableDispatchRules::Make("d", by_key)->NeedsTableRouting());
  CHECK_FALSE(TableDispatchRules::Make("bad topic", {}).ok());
}

}  // namespace
}  // namespace cdc
