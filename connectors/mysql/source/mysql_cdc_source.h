// MysqlCdcSource: the change stream of a live MySQL / MariaDB / PolarDB-for-MySQL server: a
// consistent snapshot of the captured tables, then every row change from the binlog, in order,
// with positions usable to resume. It is the source of the MySQL-to-MySQL job.
//
// Where it starts is its startup mode (mysql_cdc_source_options.h, as Flink CDC's
// scan.startup.mode; startup_position.h): a snapshot first, then the binlog, by default.
// `resume_state` (a SnapshotState() of an earlier run) overrides the mode: the run continues
// exactly there, mid-snapshot or mid-stream.
//
// Open checks what replication needs and fails with the server variable or grant to change:
// binary logging on, binlog_format=ROW, binlog_row_image=FULL, the REPLICATION grants, a server
// id, and for a snapshot the RELOAD grant that opening it at an exact position needs
// (startup_position.h). The binlog is decoded by BinlogDecoder; tables come from
// information_schema (for the snapshot, unique keys, and to check each table map against: a
// table map whose columns differ from the known schema without a DDL in the stream stops the
// job; ddl_follower.h). A lost connection is
// re-established with backoff and resumes at the last transaction boundary, dropping the rows
// of the interrupted transaction that were already emitted: nothing is lost or repeated.
//
// Positions carry the binlog file and offset and, on MariaDB, the GTIDs of every domain (from
// BINLOG_GTID_POS at the start, then the stream). A resume or reconnect whose file position
// names another point of history on the server it reaches (a failover to a replica, RESET
// MASTER) continues after the saved GTIDs instead, as a MariaDB replica with
// MASTER_USE_GTID would; rows of an interrupted transaction are dropped only if the server
// sends that transaction (by GTID) again. Each table's snapshot records the GTID state at its
// position too, so the catch-up after a snapshot passes over what the snapshot holds
// (snapshot_watermarks.h) by GTIDs once the stream has moved.
//
// Tables the capture list gains between runs (a table added to `include_tables`) are read on
// restart by a snapshot of their own, consistent with the binlog, while the stream resumes for
// the other tables (Flink CDC's scan.newly-added-table.enabled, here always on): the stream
// runs until it meets an event of such a table, then waits for that table's snapshot, so each
// table's rows come in order. A table left out of the list stops being captured (its target
// stays as it is); one captured before, left out and added again is emptied on the target
// before its snapshot refills it (under logical deletes: its rows are marked deleted and the
// refill clears the mark of those still in the source), so nothing stale remains.
//
// DDL statements are parsed (schema/ddl_parser.h) and followed in the schema catalog
// (ddl_follower.h); what they do to captured tables is emitted as schema changes (table
// barriers) carrying the schemas before and after, and TRUNCATE as a truncate. A table renamed
// into the captured set appears as a create, one renamed out of it as a drop.
//
// Thread-bound, like every Source; the snapshot reads on its own threads.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "connectors/mysql/source/binlog/binlog_decoder.h"
#include "connectors/mysql/source/binlog/binlog_server_transport.h"
#include "connectors/mysql/source/ddl_follower.h"
#include "connectors/mysql/source/mysql_cdc_source_options.h"
#include "connectors/mysql/source/mysql_source_state.h"
#include "connectors/mysql/source/snapshot/snapshot_reader.h"
#include "connectors/mysql/source/snapshot_watermarks.h"
#include "connectors/mysql/source/stream_pacing.h"
#include "connectors/mysql/source/stream_reconnect.h"
#include "connectors/mysql/source/table_snapshots.h"
#include "operators/source.h"

namespace cdc {

class MysqlCdcSource final : public Source {
 public:
  explicit MysqlCdcSource(MysqlCdcSourceOptions options) : options_(std::move(options)) {}
  ~MysqlCdcSource() override;

  Status Open(const SubtaskInfo& info, Clock& clock) override;
  Result<PollResult> PollNext(Output& out) override;
  std::string SnapshotState() override;
  void Close() override;

  const SnapshotProgress& snapshot_progress() const { return snapshots_.progress(); }

  static SourceFactory Factory(MysqlCdcSourceOptions options);

  // Connects once and checks what Open checks of the server before a job starts: binlog on,
  // ROW format, FULL row images, a usable server id, the grants to read the binlog. Each
  // failure names the setting or grant to change.
  Status Check();

 private:
  enum class Phase : uint8_t { kSnapshot, kStream };

  // `server` holds the captured tables as the server has them now (read at Open).
  Status RestoreState(const std::string& state, const std::map<TableId, TableSchemaPtr>& server);
  // Emits a snapshot chunk: its table's reload truncate first when due, then its rows.
  Status EmitChunk(SnapshotChunk& chunk, Output& out);
  // Emits the create-table change that announces a table to the sinks, its statement the
  // CREATE TABLE of the table as it is now.
  Status AnnounceTable(const TableSchemaPtr& schema, Output& out);
  // Tables added on restart: emits the snapshot chunks that are ready (kReady), or waits until
  // `table`'s snapshot (kTable) or every one (kAll) is emitted whole.
  enum class BackfillWait : uint8_t { kReady, kTable, kAll };
  Status PumpBackfill(Output& out, BackfillWait wait, const TableId* table = nullptr);
  bool BackfillPending() const;
  // The stream passed every snapshot: drops the watermarks, and the backfills they finished.
  void ClearWatermarks();
  Result<PollResult> PollSnapshot(Output& out);
  Result<PollResult> PollStream(Output& out);
  // Opens the binlog transport at the last committed position (or the stream's start): nullopt
  // once open; a poll result to return while a transient failure waits for its retry; an error
  // no retry can fix.
  Result<std::optional<PollResult>> ConnectStream();
  Status StartStream();
  // The decoder's schema resolver: a table added to the capture list is read first.
  Result<TableSchemaPtr> ResolveSchema(const TableMap& map);
  // Follows a statement of the stream in the catalog and emits what it did to captured
  // tables: schema changes and truncates (table barriers).
  Status OnStatement(const BinlogDecoder::Statement& statement, Output& out);
  // Whether an event of `table` at `position` (transaction `gtid`) is after the table's
  // snapshot, so emitted; events the snapshot holds are passed over (the decoder's row gate).
  bool AfterSnapshot(const TableSchema& table, const BinlogPosition& position,
                     const SourceGtid& gtid);
  // Sets watermarks_ from the snapshots' states: every table's but unfinished backfills'.
  void SetWatermarks();

  MysqlCdcSourceOptions options_;
  Clock* clock_ = nullptr;
  Phase phase_ = Phase::kStream;
  TableFilter filter_;
  DdlFollower ddl_;  // the schema catalog, following the stream's DDL
  // Schemas that truncates point at: changes downstream do not own them.
  std::vector<TableSchemaPtr> emitted_schemas_;

  // Snapshot.
  TableSnapshots snapshots_;
  BinlogPosition before_snapshot_;   // the binlog end when the snapshot began
  GtidState before_snapshot_gtids_;  // MariaDB: the GTID state there
  bool announced_tables_ = false;    // the snapshot's create-table changes were emitted
  std::set<TableId> announce_;       // tables whose create-table change is due

  // Capture list changes between runs (see the class comment).
  struct Backfill {
    bool reload = false;     // captured before: the target is emptied before the snapshot
    bool announced = false;  // its create-table change was emitted in this run
    bool done = false;       // its snapshot is emitted whole; it has a watermark until passed
  };
  std::map<TableId, Backfill> backfill_;
  std::set<TableId> released_;     // captured once, left out of the list since
  BinlogPosition event_position_;  // of the binlog event being decoded
  Output* stream_out_ = nullptr;   // PollStream's output, while it decodes

  // Stream.
  BinlogPosition stream_start_;
  std::string start_gtids_;
  GtidState start_state_;  // start_gtids_ parsed: the decoder's GTIDs before the first commit
  std::unique_ptr<BinlogDecoder> decoder_;
  std::unique_ptr<BinlogServerTransport> transport_;
  // Where each table's snapshot stood: events at or before it are in the snapshot.
  SnapshotWatermarks watermarks_;
  StreamReconnect reconnect_;
  StreamPacing pacing_;  // when a poll ends early to hand rows on
};

}  // namespace cdc
