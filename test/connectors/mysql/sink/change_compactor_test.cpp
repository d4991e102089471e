#include "connectors/mysql/sink/change_compactor.h"

#include <doctest/doctest.h>

#include "test/test_rows.h"

namespace cdc {
namespace {

using testing::Delete;
using testing::Insert;
using testing::MakeRow;
using testing::MakeTable;
using testing::Update;

std::vector<std::string> Images(const std::vector<CompactedRow>& rows) {
  std::vector<std::string> out;
  for (const CompactedRow& row : rows)
    out.push_back((*row.row)[0].ToString() + "=" + (*row.row)[1].ToString());
  return out;
}

}  // namespace

TEST_CASE("compaction keeps each key's final state once, deletes and upserts apart, in key order") {
  auto t = MakeTable("t");
  std::vector<RowChange> changes = {
      Insert(t, 5, "a", 1),    Delete(t, 5, "a", 2),         Insert(t, 5, "b", 3),
      Insert(t, 2, "x", 4),    Update(t, 2, "x", 2, "y", 5), Insert(t, 9, "gone", 6),
      Delete(t, 9, "gone", 7), Update(t, 7, "p", 3, "q", 8)};  // key-changing, unsplit
  CompactedBatch batch = CompactByKey(*t, changes);
  CHECK(batch.keys == 5);
  CHECK(Images(batch.upserts) == std::vector<std::string>{"2='y'", "3='q'", "5='b'"});
  CHECK(Images(batch.deletes) == std::vector<std::string>{"7='p'", "9='gone'"});
  // Each final state remembers the change that made it (for positions and deletion times).
  CHECK(batch.upserts[2].change->position.offset == 3);
  CHECK(batch.deletes[1].change->position.offset == 7);
}

TEST_CASE("compaction treats keys equal under the collation as one key") {
  auto t = MakeTable("ci", true, "utf8mb4_general_ci");
  auto text_row = [&](const std::string& key, const std::string& v, ChangeKind kind) {
    RowChange change;
    change.kind = kind;
    change.table = t.get();
    Row row{Value::String(key, 45), Value::String(v, 45)};
    (kind == ChangeKind::kDelete ? change.before : change.after) = std::move(row);
    return change;
  };
  std::vector<RowChange> changes = {text_row("Key", "1", ChangeKind::kInsert),
                                    text_row("KEY ", "1", ChangeKind::kDelete),
                                    text_row("key", "2", ChangeKind::kInsert)};
  CompactedBatch batch = CompactByKey(*t, changes);
  CHECK(batch.keys == 1);
  REQUIRE(batch.upserts.size() == 1);
  CHECK((*batch.upserts[0].row)[1] == Value::String("2", 45));
  CHECK(batch.deletes.empty());
}

}  // namespace cdc
