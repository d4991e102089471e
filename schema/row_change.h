// RowChange: one row's insert, update or delete as read from the source, with its before and
// after images, the source position it came from, the commit time and the transaction id.
//
// A plain movable value; owned by whichever operator holds it, never shared while mutable.
//
// `table` is a plain pointer, not an owner: the source that emits a change keeps its schema
// alive for as long as the job runs (a schema catalog keeps every version), so no reference
// count is touched per row — an atomic count shared by every row of a table would bounce its
// cache line between the source and flush threads on every change. Code that keeps a schema
// beyond the change takes shared ownership with table->shared_from_this().
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "schema/schema_change.h"
#include "schema/source_file_name.h"
#include "schema/source_gtid.h"
#include "schema/table_schema.h"
#include "schema/value.h"

namespace cdc {

using Row = std::vector<Value>;

// kTruncate: the whole table was emptied (TRUNCATE TABLE). kSchemaChange: a DDL statement
// changed the table (RowChange::schema_change says how). Neither carries images; each reaches
// every sink subtask of its tables and is applied once, after every change before it and
// before any change after it (a table barrier).
enum class ChangeKind : uint8_t { kInsert, kUpdate, kDelete, kTruncate, kSchemaChange };

// "insert", "update", "delete", "truncate", "schema change"
const char* ChangeKindName(ChangeKind kind);

inline bool IsTableBarrier(ChangeKind kind) {
  return kind == ChangeKind::kTruncate || kind == ChangeKind::kSchemaChange;
}

// Where a change came from in the source: a binlog file and offset (the event's end position)
// and, where the server has one, the transaction's GTID. Sources without files (datagen) use
// `offset` as a sequence number and leave `file` empty.
struct SourcePosition {
  SourceFileName file;
  uint64_t offset = 0;
  SourceGtid gtid;
  // The change's 1-based index among the rows of its binlog event (one rows event holds many
  // rows, all with the event's end offset): (file, offset, index) orders a stream's row
  // changes. 0 for changes that are not rows of an event (snapshot rows, DDL, truncates).
  uint32_t index = 0;
  // The server whose binlog `file` is (the server id of its format description): files and
  // offsets of two servers do not compare. 0 when unknown (snapshot rows, other sources).
  uint32_t server_id = 0;

  std::string ToString() const;  // "mysql-bin.000003:4711 (gtid 0-1-42)" or "4711"
  friend bool operator==(const SourcePosition&, const SourcePosition&) = default;
};

struct RowChange {
  ChangeKind kind = ChangeKind::kInsert;
  // kTruncate only: emptied by a snapshot that reloads a table without a key, not by a
  // TRUNCATE at the source; applied whatever the schema change behaviour.
  bool snapshot_reload = false;
  const TableSchema* table = nullptr;  // not owned; see above
  Row before;  // update and delete: the row before the change; empty for insert
  Row after;   // insert and update: the row after the change; empty for delete
  SourcePosition position;
  int64_t commit_time_us = 0;   // commit time, microseconds since the epoch, UTC
  uint64_t transaction_id = 0;  // the source's id of the change's transaction
  // kSchemaChange only: what changed. `table` is then the schema of the barrier's table
  // (after the change, or before it for a table that a drop or rename takes away).
  SchemaChangePtr schema_change;

  // The image that identifies the row now: `after` for insert and update, `before` for delete.
  const Row& image() const { return kind == ChangeKind::kDelete ? before : after; }

  // Approximate bytes held, for buffer byte thresholds.
  size_t ByteSize() const;

  // One readable line: "insert db.t id=1 k=5 c='x' @4711", "update db.t id=1 k=5->6 ...",
  // "delete db.t id=1 ...".
  std::string ToString() const;
};

// The barrier changes of `change`: one per table it names (SchemaChange::Tables), each
// carrying that table's schema, all sharing `change`.
std::vector<RowChange> SchemaChangeBarriers(const SchemaChangePtr& change,
                                            const SourcePosition& position, int64_t commit_time_us,
                                            uint64_t transaction_id);

}  // namespace cdc
