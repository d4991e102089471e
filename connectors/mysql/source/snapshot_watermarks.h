// SnapshotWatermarks: where each table's snapshot stood in the binlog (Flink CDC's high
// watermark of a snapshot split). The stream that follows a snapshot reads from the earliest
// of them; an event of a table at or before its table's watermark is already in the snapshot
// and is passed over, one after it is emitted. Once the stream has passed every watermark
// they are cleared and every event is emitted.
//
// Watermarks compare binlog positions, or, once the stream moved to other history (a failover
// to a replica, RESET MASTER) where positions name other points, the GTIDs (MariaDB) each
// snapshot recorded: an event is in a snapshot when the snapshot's GTID state holds its
// transaction.
//
// A value type, thread-bound like the source that holds it.
#pragma once

#include <map>
#include <string>

#include "connectors/mysql/client/binlog_position.h"
#include "connectors/mysql/client/gtid_state.h"
#include "connectors/mysql/source/snapshot/snapshot_reader.h"
#include "runtime/status.h"
#include "schema/source_gtid.h"
#include "schema/table_id.h"

namespace cdc {

class SnapshotWatermarks {
 public:
  // `by_gtids`: the stream moved to other history already (a restored state said so).
  explicit SnapshotWatermarks(bool by_gtids = false) : by_gtids_(by_gtids) {}

  // Sets `table`'s watermark at its snapshot `state` (position, and GTIDs when recorded).
  void Add(const TableId& table, const TableSnapshotState& state);
  // Removes every watermark and the latest position: the start of a new set.
  void Reset();
  // Removes every watermark: the stream passed them all. latest() stays as it was, so a
  // watermark added later extends it only if it is later still.
  void Clear();

  bool empty() const { return marks_.empty(); }
  // Whether watermarks compare GTIDs (the stream moved to other history), not positions.
  bool by_gtids() const { return by_gtids_; }
  const BinlogPosition& latest() const { return latest_; }

  // Whether an event of `table` at `position` (transaction `gtid`) comes after the table's
  // snapshot, so is emitted. True without a watermark for the table.
  bool After(const TableId& table, const BinlogPosition& position, const SourceGtid& gtid) const;
  // Whether, comparing positions, an event at `position` is past every watermark.
  bool PositionPastAll(const BinlogPosition& position) const;
  // Whether the stream, committed at `position` with GTIDs `gtids`, is past every watermark.
  // False without watermarks.
  bool PassedBy(const BinlogPosition& position, const GtidState& gtids) const;
  // Whether, comparing positions, `table`'s snapshot holds an event at `position` (the
  // table has a watermark at or after it).
  bool SnapshotHolds(const TableId& table, const BinlogPosition& position) const;

  // Where the stream after the snapshot starts, given the binlog end when the snapshot began
  // (`snapshot_start`, with GTIDs `snapshot_start_gtids`): the earliest of it and every
  // watermark, and the GTID state there (that of a watermark there that recorded GTIDs, else
  // the snapshot start's when it is the start, else none).
  void StreamStart(const BinlogPosition& snapshot_start, const GtidState& snapshot_start_gtids,
                   BinlogPosition& position, GtidState& gtids) const;

  // The stream reconnected to other history (`moved_to` says how, for the message): from
  // here on watermarks compare GTIDs. InvalidArgument when a watermark recorded no GTIDs, or
  // holds GTIDs that the server now serving the binlog (its binlog state `server_state`)
  // never logged.
  [[nodiscard]] Status MoveToGtids(const std::string& moved_to, const std::string& server_state);

 private:
  struct Watermark {
    BinlogPosition position;
    GtidState gtids;
    bool has_gtids = false;
  };
  std::map<TableId, Watermark> marks_;
  BinlogPosition latest_;  // the latest watermark's position
  bool by_gtids_ = false;
};

}  // namespace cdc
