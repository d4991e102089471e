// CaptureListChange: how the tables a MysqlCdcSource captures changed between the run that
// saved a state and this one (Flink CDC's newly added tables, here always followed). A table
// that joined the list is read by a snapshot of its own: mid-stream, one that joins the running
// stream (a backfill); mid-snapshot, with the others. A table left out stops being captured
// and is remembered as released, so that if it comes back its target is emptied before its
// snapshot refills it (reload). A backfill left out before its snapshot ended is released too.
//
// A value computed once at restore; thread-compatible.
#pragma once

#include <map>
#include <set>
#include <vector>

#include "connectors/mysql/source/mysql_source_state.h"
#include "connectors/mysql/source/table_filter.h"
#include "schema/schema_catalog.h"

namespace cdc {

struct CaptureListChange {
  std::set<TableId> released;          // captured once, out of the list now
  std::map<TableId, bool> backfill;    // tables whose snapshot joins the stream -> reload
  std::vector<TableSchemaPtr> joined;  // new to the list: their schemas as the server has them
  // Tables whose saved snapshot progress no longer holds: left out mid-backfill, or joined
  // (their snapshot starts over).
  std::set<TableId> forgotten;

  // The change from `saved`, whose schemas are `saved_catalog` (the tables a state from
  // before capture lists were kept captured), to `filter` over the captured tables the server
  // has now (`server`, the tables `filter` accepts). Logs each table that joined or left.
  static CaptureListChange Plan(const MysqlSourceState& saved, const SchemaCatalog& saved_catalog,
                                const std::map<TableId, TableSchemaPtr>& server,
                                TableFilter& filter);
};

}  // namespace cdc
