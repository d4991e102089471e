// BinlogDecoder: turns binlog events, in order, into row changes. It keeps each table's
// TABLE_MAP and schema, follows transaction boundaries (GTID, BEGIN, XID, COMMIT, ROLLBACK,
// standalone DDL) and tags every change with its position (file, end offset, GTID), commit time
// and transaction. TRUNCATE statements of known tables become truncates. Events of tables the
// filter rejects are passed over without decoding their rows.
//
// committed() is always a transaction boundary: resuming there replays no partial transaction.
// After a reconnect from committed(), Restore() with EmittedInOpenTransactions() drops the rows
// of interrupted transactions that were already emitted (by GTID), so nothing is emitted twice.
//
// Thread-bound.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "connectors/mysql/client/binlog_position.h"
#include "connectors/mysql/client/gtid_state.h"
#include "connectors/mysql/source/binlog/binlog_event.h"
#include "connectors/mysql/source/binlog/table_map.h"
#include "connectors/mysql/source/table_filter.h"
#include "operators/operator.h"

namespace cdc {

class BinlogDecoder {
 public:
  // The schema for a new or changed TABLE_MAP; by default SchemaFromTableMap.
  using SchemaResolver = std::function<Result<TableSchemaPtr>(const TableMap&)>;
  // Whether a row event of `table` at `position` is emitted; by default every one. The source
  // uses it to pass over events a snapshot already covers.
  using RowGate = std::function<bool(const TableSchema& table, const BinlogPosition& position,
                                     const SourceGtid& gtid)>;
  // A statement that is not transaction control (DDL, TRUNCATE, ...), where it is in the
  // stream and what changes emitted for it would carry.
  struct Statement {
    std::string database;  // the session's default database
    std::string sql;
    SourcePosition position;
    BinlogPosition binlog;  // the event's end
    int64_t commit_time_us = 0;
    uint64_t transaction_id = 0;
  };
  // Called for each statement that is not transaction control; it may emit changes (schema
  // changes, truncates). Without a listener, TRUNCATE of a table with a known table map
  // becomes a truncate and other statements are passed over.
  using DdlListener = std::function<Status(const Statement& statement, Output& out)>;

  explicit BinlogDecoder(TableFilter filter = {}, SchemaResolver resolver = {});

  void set_row_gate(RowGate gate) { gate_ = std::move(gate); }
  void set_ddl_listener(DdlListener listener) { ddl_listener_ = std::move(listener); }
  // Rows events logged before `seconds` (Unix time) are passed over: the timestamp start mode.
  void set_skip_before(int64_t seconds) { skip_before_s_ = seconds; }

  // Decodes `event` of binlog file `file` and emits its changes to `out`.
  Status Handle(const BinlogEvent& event, const SourceFileName& file, Output& out);

  // The position after the last complete transaction or DDL; where to resume.
  const BinlogPosition& committed() const { return committed_; }
  // The GTIDs of the committed transactions, per domain.
  const GtidState& gtids() const { return gtids_; }
  bool in_transaction() const { return in_transaction_; }
  // Rows of transactions the stream will read again (from committed() on) that were emitted
  // already, by the transaction's GTID ("": the first transaction read, for a server without
  // GTIDs): the open transaction's and those restored and not yet read again. Pass them back to
  // Restore so none is emitted twice.
  using EmittedRows = std::map<std::string, uint64_t>;
  EmittedRows EmittedInOpenTransactions() const;
  // Events seen, rows emitted (for progress and benchmarks).
  uint64_t events() const { return events_; }
  uint64_t rows() const { return rows_; }
  // Table maps held: one per table (a table's older ids are let go), so a long stream over a
  // server that reopens tables with new ids keeps memory bounded.
  size_t tables_held() const { return tables_.size(); }

  // Resume state: the stream restarts at `committed` with the given GTIDs; of each transaction
  // in `emitted` (by GTID) the first rows read are dropped, as many as were emitted already.
  // A transaction that does not come again (a stream resumed on another server that lacks it:
  // another GTID of its domain comes instead) has nothing dropped for it.
  void Restore(BinlogPosition committed, GtidState gtids, EmittedRows emitted = {});
  // The GTIDs of the transactions before committed() as the server reports them (every domain,
  // where gtids() may hold only those seen in the stream); they agree with gtids().
  void AdoptGtids(GtidState gtids) { gtids_ = std::move(gtids); }

 private:
  struct Table {
    std::string raw;  // the TABLE_MAP event's body: an identical one is not parsed again
    TableMap map;
    TableSchemaPtr schema;  // null when the filter rejects the table
    std::vector<ColumnType> declared;
    std::vector<BinlogColumn> columns;  // RowsEventColumns(map, declared): points into map
  };

  // OK for events that carry no row change; an error for those whose changes would be lost.
  Status CheckPassedOver(const BinlogEvent& event, const SourceFileName& file) const;
  Status HandleQuery(const BinlogEvent& event, const SourceFileName& file, Output& out);
  Status HandleTableMap(const BinlogEvent& event);
  Status HandleRows(const BinlogEvent& event, const SourceFileName& file, Output& out);
  void Commit(const BinlogEvent& event, const SourceFileName& file);
  // At the start of the transaction `gtid`: forgets rows to drop of another transaction of its
  // domain (that one will not come), and gives it those restored without a GTID.
  void ForgetSkipsOtherThan(const std::string& gtid);
  Status Emit(RowChange change, Output& out);

  TableFilter filter_;
  SchemaResolver resolver_;
  bool pure_resolver_ = false;  // the default: the schema follows from the map alone
  RowGate gate_;
  DdlListener ddl_listener_;
  int64_t skip_before_s_ = 0;

  std::map<uint64_t, Table> tables_;       // by table id
  std::map<TableId, uint64_t> latest_id_;  // each table's newest id in tables_
  std::set<TableSchemaPtr> schemas_;       // every schema emitted: changes point into them
  std::string gtid_;                       // of the current transaction
  SourceGtid position_gtid_;               // gtid_ as changes carry it (parsed once)
  SourceGtid last_gtid_;                   // the latest GTID read: its prefix is reused
  uint32_t binlog_server_id_ = 0;          // whose binlog is read (its format description's)
  bool in_transaction_ = false;
  bool standalone_ = false;  // the current GTID group is one statement, no BEGIN
  uint64_t transaction_ = 0;
  BinlogPosition committed_;
  GtidState gtids_;
  uint64_t rows_since_commit_ = 0;  // rows of the open transaction read, dropped or emitted
  EmittedRows emitted_before_;      // see Restore
  uint64_t events_ = 0;
  uint64_t rows_ = 0;
};

}  // namespace cdc
