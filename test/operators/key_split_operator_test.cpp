#include "operators/key_split_operator.h"

#include <doctest/doctest.h>

#include "test/collecting_output.h"
#include "test/test_rows.h"

namespace cdc {

using testing::CollectingOutput;
using testing::Delete;
using testing::Insert;
using testing::MakeTable;
using testing::Update;

TEST_CASE("a key-changing update becomes a delete of the old key and an insert of the new one") {
  auto t = MakeTable("t");
  KeySplitOperator split;
  CollectingOutput out;
  RowChange update = Update(t, 1, "a", 2, "b", 77);
  update.commit_time_us = 5;
  update.transaction_id = 9;
  REQUIRE(split.Process(std::move(update), out).ok());
  REQUIRE(out.changes.size() == 2);
  CHECK(out.changes[0].kind == ChangeKind::kDelete);
  CHECK(out.changes[0].before == testing::MakeRow(1, "a"));
  CHECK(out.changes[0].after.empty());
  CHECK(out.changes[1].kind == ChangeKind::kInsert);
  CHECK(out.changes[1].after == testing::MakeRow(2, "b"));
  CHECK(out.changes[1].before.empty());
  for (const RowChange& change : out.changes) {
    CHECK(change.position.offset == 77);
    CHECK(change.commit_time_us == 5);
    CHECK(change.transaction_id == 9);
  }
}

TEST_CASE("updates that keep the key, inserts and deletes pass through key-by unchanged") {
  auto t = MakeTable("t");
  KeySplitOperator split;
  CollectingOutput out;
  REQUIRE(split.Process(Update(t, 1, "a", 1, "b"), out).ok());
  REQUIRE(split.Process(Insert(t, 3, "c"), out).ok());
  REQUIRE(split.Process(Delete(t, 3, "c"), out).ok());
  REQUIRE(out.changes.size() == 3);
  CHECK(out.changes[0].kind == ChangeKind::kUpdate);
  CHECK(out.changes[1].kind == ChangeKind::kInsert);
  CHECK(out.changes[2].kind == ChangeKind::kDelete);
}

}  // namespace cdc
