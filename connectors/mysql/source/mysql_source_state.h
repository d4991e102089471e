// MysqlSourceState: what a MysqlCdcSource checkpoints, and its text form. A restart from it
// continues exactly there: mid-snapshot, mid-backfill of tables added to the capture list, or
// mid-stream, with the schemas as of that position.
//
// Text form, one item per line, tab-separated:
//   binlog <file:offset>          streaming: the last transaction boundary
//   gtids <state>                 the GTIDs up to there
//   skip <rows> [<gtid>]          rows already emitted of a transaction read again from there
//                                 (by GTID; without one, the first transaction read)
//   start <file:offset> [<gtids>] the binlog end when the snapshot began (MariaDB: its GTIDs)
//   gates gtids                   the stream moved to other history: the snapshot watermarks
//                                 (snapshot_watermarks.h) compare GTIDs ("gates" is their
//                                 older name, kept so that saved states read back)
//   catalog <CREATE TABLE ...>    the schema catalog (SchemaCatalog::Save), one table a line
//   captured <db> <t>             a table the capture list held
//   released <db> <t>             a table captured once and left out of the list since
//   backfill <db> <t> [reload]    a captured table whose snapshot (joining a running stream)
//                                 has not finished; reload: its target is emptied first
//   table <db> <t> <done|partial> <file:offset> <rows> <hex key literal>...
//   table-gtids <db> <t> <gtids>  MariaDB: the GTID state at that table's snapshot
// States written before capture lists were kept have no captured lines (has_capture_list).
//
// A value type; Parse checks every line, so a damaged state is refused before a job starts.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "connectors/mysql/client/binlog_position.h"
#include "connectors/mysql/client/gtid_state.h"
#include "connectors/mysql/source/binlog/binlog_decoder.h"
#include "connectors/mysql/source/snapshot/snapshot_reader.h"
#include "schema/table_id.h"

namespace cdc {

struct MysqlSourceState {
  BinlogPosition binlog;  // empty: not streaming yet (a snapshot in progress)
  GtidState gtids;
  BinlogDecoder::EmittedRows skip;
  BinlogPosition snapshot_start;
  GtidState snapshot_start_gtids;
  bool watermarks_by_gtids = false;
  std::vector<std::string> catalog;
  bool has_capture_list = false;
  std::set<TableId> captured;
  std::set<TableId> released;
  std::map<TableId, bool> backfill;  // table -> reload
  std::map<TableId, TableSnapshotState> tables;

  // InvalidArgument naming the line and what is wrong with it; the catalog lines are checked
  // by loading them.
  static Result<MysqlSourceState> Parse(const std::string& text);
  std::string Format() const;

  // Where the state `text` stands, for people: the binlog position ("mysql-bin.000003:4711"),
  // with the added tables still being read, or the snapshot's progress before streaming
  // starts; "the start" for no state, "a damaged state" for one Parse refuses.
  static std::string Describe(const std::string& text);
};

}  // namespace cdc
