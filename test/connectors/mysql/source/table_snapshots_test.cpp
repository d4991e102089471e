// TableSnapshots: a snapshot chunk becomes inserts at its table's snapshot position, after a
// truncate once when the target must be emptied first; the table's progress is recorded.
#include "connectors/mysql/source/table_snapshots.h"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "schema/ddl_apply.h"
#include "schema/ddl_parser.h"
#include "test/collecting_output.h"

namespace cdc {
namespace {

TableSchemaPtr Table(const char* definition) {
  auto statement = ParseDdl(fmt::format("CREATE TABLE shop.t ({})", definition), "");
  REQUIRE(statement.ok());
  auto schema = SchemaFromCreateTable(std::get<CreateTable>(*statement), "utf8mb4_general_ci");
  REQUIRE(schema.ok());
  return *schema;
}

SnapshotChunk Chunk(const TableSchemaPtr& table, const std::vector<int64_t>& ids,
                    uint64_t rows_so_far, bool done) {
  SnapshotChunk chunk;
  chunk.table = table;
  for (int64_t id : ids) chunk.rows.push_back(Row{Value::Int(id)});
  chunk.state.position = BinlogPosition{"mysql-bin.000002", 700};
  chunk.state.rows = rows_so_far;
  chunk.state.done = done;
  return chunk;
}

std::vector<ChangeKind> Kinds(const testing::CollectingOutput& out) {
  std::vector<ChangeKind> kinds;
  for (const RowChange& change : out.changes) kinds.push_back(change.kind);
  return kinds;
}

}  // namespace

TEST_CASE("a chunk of a keyed table becomes inserts at the snapshot's position") {
  TableSnapshots snapshots;
  TableSchemaPtr table = Table("id INT PRIMARY KEY");
  testing::CollectingOutput out;
  SnapshotChunk first = Chunk(table, {1, 2}, 2, false);
  REQUIRE(snapshots.Emit(first, false, out).ok());
  SnapshotChunk last = Chunk(table, {3}, 3, true);
  REQUIRE(snapshots.Emit(last, false, out).ok());
  CHECK(Kinds(out) ==
        std::vector<ChangeKind>{ChangeKind::kInsert, ChangeKind::kInsert, ChangeKind::kInsert});
  CHECK(out.changes[2].after == Row{Value::Int(3)});
  CHECK(out.changes[0].position.offset == 700);
  CHECK(snapshots.progress().chunks == 2);
  CHECK(snapshots.progress().rows == 3);
  CHECK(snapshots.progress().tables_done == 1);
  const TableSnapshotState& state = snapshots.states().at(table->id());
  CHECK(state.done);
  CHECK(state.rows == 3);
  snapshots.Forget(table->id());
  CHECK(snapshots.states().empty());
}

TEST_CASE("a keyless or reloaded table's target is emptied once, before its first rows") {
  TableSnapshots snapshots;
  TableSchemaPtr keyless = Table("id INT");
  testing::CollectingOutput out;
  SnapshotChunk first = Chunk(keyless, {1}, 1, false);
  REQUIRE(snapshots.Emit(first, false, out).ok());
  SnapshotChunk second = Chunk(keyless, {2}, 2, true);
  REQUIRE(snapshots.Emit(second, false, out).ok());
  CHECK(Kinds(out) ==
        std::vector<ChangeKind>{ChangeKind::kTruncate, ChangeKind::kInsert, ChangeKind::kInsert});
  CHECK(out.changes[0].snapshot_reload);

  TableSnapshots reloading;
  TableSchemaPtr keyed = Table("id INT PRIMARY KEY");
  testing::CollectingOutput reloaded;
  SnapshotChunk again = Chunk(keyed, {1}, 1, false);
  REQUIRE(reloading.Emit(again, true, reloaded).ok());
  SnapshotChunk more = Chunk(keyed, {2}, 2, true);
  REQUIRE(reloading.Emit(more, true, reloaded).ok());
  CHECK(Kinds(reloaded) ==
        std::vector<ChangeKind>{ChangeKind::kTruncate, ChangeKind::kInsert, ChangeKind::kInsert});
}

}  // namespace cdc
