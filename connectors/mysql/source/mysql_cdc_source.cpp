#include "connectors/mysql/source/mysql_cdc_source.h"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>

#include <chrono>
#include <mysqld_error.h>
#include <sstream>

#include "runtime/logger.h"
#include "runtime/ascii.h"
#include "connectors/mysql/source/binlog/table_map_schema.h"
#include "connectors/mysql/source/binlog/binlog_gtid_position.h"
#include "connectors/mysql/source/mysql_catalog.h"
#include "schema/ddl_parser.h"

namespace cdc {
namespace {

// Whether the binlog image of `map` and the catalog's `schema` have the same columns.
std::string ColumnMismatch(const TableMap& map, const TableSchema& schema, const TableSchema& decoded) {
  const auto& known = schema.columns();
  const auto& logged = decoded.columns();
  if (known.size() != logged.size()) {
    return fmt::format("the binlog has {} columns, the catalog {}", logged.size(), known.size());
  }
  for (size_t i = 0; i < known.size(); ++i) {
    if (!map.has_names || AsciiLower(known[i].name) == AsciiLower(logged[i].name)) {
      bool integer = known[i].value_kind() == ValueKind::kInt || known[i].value_kind() == ValueKind::kUInt;
      if (known[i].type == logged[i].type &&
          (!integer || known[i].is_unsigned == logged[i].is_unsigned)) {
        continue;
      }
    }
    return fmt::format("column {} is {} {} in the binlog but {} {} in the catalog", i + 1,
                       logged[i].name, logged[i].SqlType(), known[i].name, known[i].SqlType());
  }
  return std::string();
}

// Whether `statement` names `table` (as its subject, the source of a LIKE, either side of a
// rename, or by dropping its database).
bool Names(const DdlStatement& statement, const TableId& table) {
  return std::visit(
      [&](const auto& s) -> bool {
        using T = std::decay_t<decltype(s)>;
        if constexpr (std::is_same_v<T, CreateTableLike>) {
          return s.table == table || s.source == table;
        } else if constexpr (std::is_same_v<T, AlterTable>) {
          if (s.table == table) return true;
          return std::any_of(s.clauses.begin(), s.clauses.end(), [&](const AlterClause& clause) {
            const auto* rename = std::get_if<RenameTo>(&clause);
            return rename != nullptr && rename->table == table;
          });
        } else if constexpr (std::is_same_v<T, RenameTable>) {
          return std::any_of(s.renames.begin(), s.renames.end(),
                             [&](const TableRename& r) { return r.from == table || r.to == table; });
        } else if constexpr (std::is_same_v<T, DropTable>) {
          return std::find(s.tables.begin(), s.tables.end(), table) != s.tables.end();
        } else if constexpr (std::is_same_v<T, DropDatabase>) {
          return s.database == table.database;
        } else if constexpr (std::is_same_v<T, CreateTable> || std::is_same_v<T, UnsupportedDdl> ||
                             std::is_same_v<T, TruncateTable>) {
          return s.table == table;
        } else {
          return false;
        }
      },
      statement);
}

}  // namespace

Result<StartupMode> ParseStartupMode(std::string_view text) {
  static const std::pair<const char*, StartupMode> kModes[] = {
      {"initial", StartupMode::kInitial},   {"snapshot", StartupMode::kSnapshot},
      {"latest", StartupMode::kLatest},     {"earliest", StartupMode::kEarliest},
      {"specific", StartupMode::kSpecific}, {"timestamp", StartupMode::kTimestamp},
  };
  for (const auto& [name, mode] : kModes) {
    if (text == name) return mode;
  }
  return Status::InvalidArgument(fmt::format(
      "unknown startup mode '{}': use initial, snapshot, latest, earliest, specific or timestamp", text));
}

SourceFactory MysqlCdcSource::Factory(MysqlCdcSourceOptions options) {
  return [options](const SubtaskInfo&) { return std::make_unique<MysqlCdcSource>(options); };
}

MysqlCdcSource::~MysqlCdcSource() { Close(); }

void MysqlCdcSource::Close() {
  if (snapshot_) snapshot_->Stop();
  snapshot_.reset();
  transport_.reset();
}

Status MysqlCdcSource::CheckServer(MysqlConnection& connection) {
  std::string server = options_.connection.Describe();
  auto rows = connection.Query("SELECT @@log_bin, @@binlog_format, @@binlog_row_image, @@server_id");
  if (!rows.ok()) return rows.status();
  const auto& row = (*rows)[0];
  auto text = [&](size_t i) { return row[i] ? *row[i] : std::string(); };
  if (text(0) != "1" && AsciiLower(text(0)) != "on") {
    return Status::InvalidArgument(fmt::format(
        "binary logging is off on {}: start the server with log_bin (log-bin=mysql-bin in my.cnf)",
        server));
  }
  if (AsciiLower(text(1)) != "row") {
    return Status::InvalidArgument(fmt::format(
        "binlog_format is {} on {}: a CDC source needs ROW; run SET GLOBAL binlog_format = 'ROW' "
        "and set binlog_format=ROW in my.cnf",
        text(1), server));
  }
  if (AsciiLower(text(2)) != "full") {
    return Status::InvalidArgument(fmt::format(
        "binlog_row_image is {} on {}: a CDC source needs FULL row images; run SET GLOBAL "
        "binlog_row_image = 'FULL' and set binlog_row_image=FULL in my.cnf",
        text(2), server));
  }
  if (options_.startup != StartupMode::kSnapshot && text(3) == std::to_string(options_.server_id)) {
    return Status::InvalidArgument(fmt::format(
        "server id {} is the id of the source server {} itself: give the source another server id",
        options_.server_id, server));
  }
  auto status = connection.Query("SHOW MASTER STATUS");
  if (!status.ok()) {
    unsigned int error = connection.last_error().number;
    if (error == ER_SPECIFIC_ACCESS_DENIED_ERROR || error == ER_ACCESS_DENIED_ERROR ||
        error == ER_DBACCESS_DENIED_ERROR) {
      return Status::InvalidArgument(fmt::format(
          "{}; the user may not read binlog status: GRANT REPLICATION SLAVE, REPLICATION CLIENT "
          "ON *.* TO the user (MariaDB 10.5+: REPLICATION SLAVE, BINLOG MONITOR)",
          status.status().message()));
    }
    return status.status();
  }
  if (status->empty() || !(*status)[0][0]) {
    return Status::InvalidArgument(fmt::format(
        "SHOW MASTER STATUS returns nothing on {}: binary logging is off; start the server with "
        "log_bin",
        server));
  }
  auto offset = ParseDecimal((*status)[0][1].value_or(""));
  if (!offset) {
    return Status::IoError(fmt::format("SHOW MASTER STATUS on {} gave no binlog offset", server));
  }
  before_snapshot_ = BinlogPosition{*(*status)[0][0], *offset};
  if (options_.startup == StartupMode::kInitial || options_.startup == StartupMode::kSnapshot) {
    CDC_RETURN_IF_ERROR(SnapshotOpener::CheckGrant(connection, options_.snapshot.locking));
  }
  auto gtids = GtidStateAt(connection, before_snapshot_);
  if (!gtids.ok()) return gtids.status();
  before_snapshot_gtids_ = gtids->value_or(GtidState());
  return Status::Ok();
}

Status MysqlCdcSource::CheckServerId() const {
  if (options_.server_id == 0 && options_.startup != StartupMode::kSnapshot) {
    return Status::InvalidArgument(
        "mysql source: no server id: give the source a server id that no other replica of the "
        "source server uses");
  }
  return Status::Ok();
}

Status MysqlCdcSource::Check() {
  CDC_RETURN_IF_ERROR(CheckServerId());
  MysqlConnection connection;
  CDC_RETURN_IF_ERROR(connection.Connect(options_.connection));
  return CheckServer(connection);
}

Status MysqlCdcSource::Open(const SubtaskInfo& info, Clock& clock) {
  clock_ = &clock;
  if (info.parallelism != 1) {
    return Status::InvalidArgument("a MySQL CDC source reads one binlog: give it parallelism 1 "
                                   "(its snapshot reads in parallel by snapshot.parallelism)");
  }
  CDC_RETURN_IF_ERROR(CheckServerId());
  auto filter = TableFilter::Make(options_.include_tables, options_.exclude_tables);
  if (!filter.ok()) return filter.status();
  filter_ = std::move(filter).value();

  MysqlConnection connection;
  CDC_RETURN_IF_ERROR(connection.Connect(options_.connection));
  CDC_RETURN_IF_ERROR(CheckServer(connection));
  TableFilter catalog_filter = filter_;
  auto catalog = ReadTableSchemas(connection, catalog_filter);
  if (!catalog.ok()) return catalog.status();
  auto server_collation = connection.Query("SELECT @@collation_server");
  if (!server_collation.ok()) return server_collation.status();
  catalog_ = SchemaCatalog((*server_collation)[0][0].value_or("utf8mb4_general_ci"));
  for (auto& [id, schema] : *catalog) catalog_.Put(schema);

  decoder_ = std::make_unique<BinlogDecoder>(
      filter_, [this](const TableMap& map) { return ResolveSchema(map); });
  decoder_->set_row_gate([this](const TableSchema& table, const BinlogPosition& position,
                                const SourceGtid& gtid) { return Gate(table, position, gtid); });
  decoder_->set_ddl_listener([this](const BinlogDecoder::Statement& statement, Output& out) {
    return OnStatement(statement, out);
  });

  if (!options_.resume_state.empty()) return RestoreState(options_.resume_state, std::move(catalog).value());

  switch (options_.startup) {
    case StartupMode::kInitial:
    case StartupMode::kSnapshot:
      phase_ = Phase::kSnapshot;
      break;
    case StartupMode::kLatest:
      stream_start_ = before_snapshot_;
      break;
    case StartupMode::kEarliest:
    case StartupMode::kTimestamp: {
      auto logs = connection.Query("SHOW BINARY LOGS");
      if (!logs.ok()) return logs.status();
      if (logs->empty() || !(*logs)[0][0]) return Status::IoError("SHOW BINARY LOGS lists no binlog");
      stream_start_ = BinlogPosition{*(*logs)[0][0], 4};
      if (options_.startup == StartupMode::kTimestamp) {
        decoder_->set_skip_before(options_.start_timestamp_ms / 1000);
      }
      break;
    }
    case StartupMode::kSpecific: {
      // A binlog file name has a '.' before its sequence number; GTIDs have none.
      size_t colon = options_.start_position.rfind(':');
      if (colon != std::string::npos && options_.start_position.find('.') < colon) {
        auto position = BinlogPosition::Parse(options_.start_position);
        if (!position.ok()) return position.status();
        stream_start_ = *position;
      } else {
        auto gtids = GtidState::Parse(options_.start_position);
        if (!gtids.ok()) {
          return Status::InvalidArgument(fmt::format(
              "start position '{}' is neither file:offset (mysql-bin.000003:4) nor MariaDB GTIDs "
              "(0-1-42)",
              options_.start_position));
        }
        start_gtids_ = options_.start_position;
        start_state_ = *gtids;
      }
      break;
    }
  }
  if (phase_ == Phase::kStream) decoder_->Restore(stream_start_, start_state_);
  return Status::Ok();
}

Status MysqlCdcSource::OnStatement(const BinlogDecoder::Statement& statement, Output& out) {
  auto parsed = ParseDdl(statement.sql, statement.database);
  if (!parsed.ok()) {
    // The parser fails only on statements it knows change tables. Which table is not known:
    // stop when the text names a captured one.
    std::string lower = AsciiLower(statement.sql);
    auto mentions = [&](const std::string& name) {  // as a whole identifier
      auto identifier_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$'; };
      for (size_t at = lower.find(name); at != std::string::npos; at = lower.find(name, at + 1)) {
        bool starts = at == 0 || !identifier_char(lower[at - 1]);
        bool ends = at + name.size() == lower.size() || !identifier_char(lower[at + name.size()]);
        if (starts && ends) return true;
      }
      return false;
    };
    std::string captured;
    for (const auto& [id, schema] : catalog_.tables()) {
      if (filter_.Accepts(id) && mentions(AsciiLower(id.table))) {
        captured = id.ToString();
        break;
      }
    }
    unparsed_ddl_ = parsed.status().message();
    if (captured.empty() || options_.skip_unparseable_ddl) {
      Log(LogLevel::kWarning, "mysql source", fmt::format("passed over a statement at {} that could not be parsed ({}): {}",
                 statement.position.ToString(), parsed.status().message(), statement.sql));
      return Status::Ok();
    }
    return Status::InvalidArgument(fmt::format(
        "the DDL statement at {} names the captured table {} and cannot be parsed ({}): {}; apply "
        "it to the target by hand and set source option schema-change.skip-unparseable-ddl: true "
        "to pass it over",
        statement.position.ToString(), captured, parsed.status().message(), statement.sql));
  }
  if (std::holds_alternative<NotSchemaChange>(*parsed)) return Status::Ok();
  // Whether a statement on a table added to the capture list is older than its snapshot is
  // known once that snapshot has begun: the table is read first.
  for (const auto& [id, backfill] : backfill_) {
    if (!backfill.done && Names(*parsed, id)) {
      CDC_RETURN_IF_ERROR(PumpBackfill(out, BackfillWait::kTable, &id));
    }
  }
  if (const auto* truncate = std::get_if<TruncateTable>(&*parsed)) {
    TableSchemaPtr schema = catalog_.Find(truncate->table);
    if (schema == nullptr || !filter_.Accepts(schema->id()) || !Gate(*schema, statement.binlog, statement.position.gtid)) {
      return Status::Ok();
    }
    RowChange change;
    change.kind = ChangeKind::kTruncate;
    change.table = schema.get();
    change.position = statement.position;
    change.commit_time_us = statement.commit_time_us;
    change.transaction_id = statement.transaction_id;
    emitted_schemas_.push_back(schema);
    return out.Emit(std::move(change));
  }
  // Tables that joined the capture list have in the catalog their schema as of their snapshot,
  // which holds what the statements before it did: those stay as they are.
  std::map<TableId, TableSchemaPtr> held;
  for (const auto& [id, backfill] : backfill_) {
    auto gate = gates_.find(id);
    if (gate != gates_.end() && !history_moved_ && !(gate->second.position < statement.binlog)) {
      held[id] = catalog_.Find(id);
    }
  }
  std::vector<TableId> named;
  std::vector<SchemaChange> changes;
  Status applied = catalog_.Apply(*parsed, statement.sql, named, changes);
  for (const auto& [id, schema] : held) {
    if (schema != nullptr && catalog_.Find(id) != schema) catalog_.Put(schema);
    std::erase_if(changes, [&](const SchemaChange& change) {
      return (change.before != nullptr && change.before->id() == id) ||
             (change.after != nullptr && change.after->id() == id);
    });
    std::erase(named, id);
  }
  // A statement the catalog could not follow still names its tables: their binlog table maps,
  // checked column by column, then rule.
  for (const TableId& id : named) altered_.insert(id);
  if (!applied.ok()) {
    unparsed_ddl_ = applied.message();
    Log(LogLevel::kWarning, "mysql source", fmt::format("the catalog could not follow the DDL at {} ({}); "
               "the tables' next table maps decide their columns: {}",
               statement.position.ToString(), applied.message(), statement.sql));
    return Status::Ok();
  }
  for (SchemaChange& change : changes) CDC_RETURN_IF_ERROR(EmitSchemaChange(std::move(change), statement, out));
  return Status::Ok();
}

Status MysqlCdcSource::EmitSchemaChange(SchemaChange change,
                                        const BinlogDecoder::Statement& statement, Output& out) {
  auto captured = [this](const TableSchemaPtr& schema) {
    return schema != nullptr && filter_.Accepts(schema->id());
  };
  std::vector<SchemaChange> emit;
  auto single = [&](SchemaChangeKind kind, TableSchemaPtr before, TableSchemaPtr after) {
    SchemaChange one;
    one.kind = kind;
    one.before = std::move(before);
    one.after = std::move(after);
    one.statement = change.statement;
    emit.push_back(std::move(one));
  };
  switch (change.kind) {
    case SchemaChangeKind::kCreateTable:
    case SchemaChangeKind::kDropTable:
      if (captured(change.before) || captured(change.after)) emit.push_back(change);
      break;
    case SchemaChangeKind::kAlterTable:
      // RENAME TO across the filter's edge: the table leaves or enters the captured set.
      if (captured(change.before) && captured(change.after)) {
        emit.push_back(change);
      } else if (captured(change.before)) {
        single(SchemaChangeKind::kDropTable, change.before, nullptr);
      } else if (captured(change.after)) {
        single(SchemaChangeKind::kCreateTable, nullptr, change.after);
      }
      break;
    case SchemaChangeKind::kRenameTable: {
      SchemaChange both = change;
      both.renames.clear();
      for (const TableRenameStep& step : change.renames) {
        bool from = captured(step.from), to = captured(step.to);
        if (from && to) {
          both.renames.push_back(step);
        } else if (from) {
          single(SchemaChangeKind::kDropTable, step.from, nullptr);
        } else if (to) {
          single(SchemaChangeKind::kCreateTable, nullptr, step.to);
        }
      }
      if (!both.renames.empty()) emit.insert(emit.begin(), std::move(both));
      break;
    }
  }
  // The source's GTIDs once this statement is applied: the sink orders replayed rows against it.
  GtidState after = decoder_->gtids();
  if (!statement.position.gtid.empty()) after.Update(statement.position.gtid.str());
  for (SchemaChange& one : emit) {
    one.source_gtids = after.ToString();
    auto shared = std::make_shared<const SchemaChange>(std::move(one));
    for (RowChange& barrier : SchemaChangeBarriers(shared, statement.position,
                                                   statement.commit_time_us, statement.transaction_id)) {
      CDC_RETURN_IF_ERROR(out.Emit(std::move(barrier)));
    }
  }
  return Status::Ok();
}

Result<TableSchemaPtr> MysqlCdcSource::ResolveSchema(const TableMap& map) {
  TableId id{map.database, map.table};
  if (auto backfill = backfill_.find(id); backfill != backfill_.end() && !backfill->second.done) {
    // The table's snapshot decides which of its events the stream emits: it comes first.
    CDC_RETURN_IF_ERROR(PumpBackfill(*stream_out_, BackfillWait::kTable, &id));
  }
  TableSchemaPtr known = catalog_.Find(id);
  if (!map.has_names && known == nullptr) {
    return Status::InvalidArgument(fmt::format(
        "the binlog's table map for {} has no column names and the table is not in the catalog: "
        "set binlog_row_metadata=FULL on the source server",
        id.ToString()));
  }
  if (known == nullptr) return SchemaFromTableMap(map);
  TableMap named = map;
  if (!map.has_names && named.columns.size() == known->columns().size()) {
    for (size_t i = 0; i < named.columns.size(); ++i) named.columns[i].name = known->columns()[i].name;
    named.has_names = true;
  }
  auto decoded = SchemaFromTableMap(named);
  if (!decoded.ok()) return decoded.status();
  std::string mismatch = ColumnMismatch(map, *known, **decoded);
  if (mismatch.empty()) return known;  // the catalog's schema, with its unique keys
  if (auto gate = gates_.find(id); gate != gates_.end() && backfill_.count(id) != 0 &&
                                   !history_moved_ && !(gate->second.position < event_position_)) {
    // A table that joined the capture list, changed before its snapshot: the catalog has its
    // schema as of the snapshot, and its events up to there are passed over.
    return *decoded;
  }
  if (altered_.count(id) != 0 && map.has_names) {
    catalog_.Put(*decoded);  // a DDL changed the table in a way the catalog did not follow
    return *decoded;
  }
  return Status::InvalidArgument(fmt::format(
      "the binlog's columns of {} differ from the table's schema ({}) with no DDL for it in the "
      "stream since the start{}: the start position may predate a schema change; start from a "
      "later position or with startup mode 'initial'",
      id.ToString(), mismatch,
      unparsed_ddl_.empty() ? "" : " that this source could follow (the last one it could not: " + unparsed_ddl_ + ")"));
}

bool MysqlCdcSource::Gate(const TableSchema& table, const BinlogPosition& position,
                          const SourceGtid& gtid) {
  if (gates_.empty()) return true;
  if (history_moved_) {
    // Other history: the transaction is in the snapshot if the snapshot's GTIDs hold it.
    auto gate = gates_.find(table.id());
    return gate == gates_.end() || !gate->second.gtids.Contains(gtid);
  }
  if (last_gate_ < position) {
    ClearGates();  // past every snapshot: no more events to pass over
    return true;
  }
  auto gate = gates_.find(table.id());
  return gate == gates_.end() || gate->second.position < position;
}

void MysqlCdcSource::SetGates() {
  gates_.clear();
  last_gate_ = BinlogPosition();
  for (const auto& [id, state] : snapshot_state_) {
    auto backfill = backfill_.find(id);
    if (state.position.empty() || (backfill != backfill_.end() && !backfill->second.done)) continue;
    AddGate(id, state);
  }
}

void MysqlCdcSource::AddGate(const TableId& id, const TableSnapshotState& state) {
  SnapshotGate& gate = gates_[id];
  gate.position = state.position;
  auto gtids = GtidState::Parse(state.gtids);
  gate.has_gtids = !state.gtids.empty() && gtids.ok();
  if (gate.has_gtids) gate.gtids = *gtids;
  if (last_gate_.empty() || last_gate_ < state.position) last_gate_ = state.position;
}

Result<PollResult> MysqlCdcSource::PollNext(Output& out) {
  if (phase_ == Phase::kSnapshot) return PollSnapshot(out);
  return PollStream(out);
}

Status MysqlCdcSource::AnnounceTable(const TableSchemaPtr& schema, const char* why, Output& out) {
  SchemaChange create;
  create.kind = SchemaChangeKind::kCreateTable;
  create.after = schema;
  create.statement = why;
  bool streaming = phase_ == Phase::kStream;
  create.source_gtids = streaming ? decoder_->gtids().ToString() : before_snapshot_gtids_.ToString();
  const BinlogPosition& at = streaming ? decoder_->committed() : before_snapshot_;
  auto shared = std::make_shared<const SchemaChange>(std::move(create));
  for (RowChange& barrier : SchemaChangeBarriers(shared, SourcePosition{at.file, at.offset, ""}, 0, 0)) {
    CDC_RETURN_IF_ERROR(out.Emit(std::move(barrier)));
  }
  return Status::Ok();
}

Result<PollResult> MysqlCdcSource::PollSnapshot(Output& out) {
  if (!snapshot_ && snapshot_state_.empty() && !announced_tables_) {
    // A fresh snapshot first announces every captured table, so the sink creates even the
    // empty ones (as Flink CDC's CreateTableEvents).
    announced_tables_ = true;
    for (const auto& [id, schema] : catalog_.tables()) {
      if (filter_.Accepts(id)) announce_.insert(id);
    }
  }
  for (const TableId& id : announce_) {
    if (TableSchemaPtr schema = catalog_.Find(id)) {
      CDC_RETURN_IF_ERROR(AnnounceTable(schema, "(the table as the snapshot found it)", out));
    }
  }
  announce_.clear();
  if (!snapshot_) {
    std::vector<TableSchemaPtr> tables;
    for (const auto& [id, schema] : catalog_.tables()) {
      if (filter_.Accepts(id)) tables.push_back(schema);
    }
    progress_.tables_total = tables.size();
    for (const TableSchemaPtr& table : tables) {
      auto state = snapshot_state_.find(table->id());
      progress_.tables_done += state != snapshot_state_.end() && state->second.done ? 1 : 0;
    }
    snapshot_ = std::make_unique<SnapshotReader>(options_.connection, options_.snapshot, tables, snapshot_state_);
    snapshot_->Start();
    snapshot_started_us_ = clock_->Now().count();
  }
  auto chunk = snapshot_->Next(std::chrono::milliseconds(100));
  if (!chunk.ok()) return chunk.status();
  if (!chunk->has_value()) {
    if (!snapshot_->finished()) return PollResult::More();
    snapshot_->Stop();
    CommitBlockStats blocks = snapshot_->commit_blocks();
    progress_.commit_blocks = blocks.blocks;
    progress_.longest_commit_block = blocks.longest;
    snapshot_.reset();
    double seconds = std::max<double>(1e-6, static_cast<double>(clock_->Now().count() - snapshot_started_us_) / 1e6);
    Log(LogLevel::kInfo, "mysql source", fmt::format("snapshot done: {} tables, {} chunks, {} rows in {:.1f} s ({:.0f} "
               "rows/s); commits blocked {} times to open snapshots, longest {:.3f} ms, total "
               "{:.3f} ms",
               progress_.tables_total, progress_.chunks, progress_.rows, seconds,
               static_cast<double>(progress_.rows) / seconds, blocks.blocks,
               static_cast<double>(blocks.longest.count()) / 1e3,
               static_cast<double>(blocks.total.count()) / 1e3));
    if (options_.startup == StartupMode::kSnapshot) return PollResult::End();
    CDC_RETURN_IF_ERROR(StartStream());
    return PollResult::More();
  }
  CDC_RETURN_IF_ERROR(EmitChunk(**chunk, out));
  return PollResult::More();
}

Status MysqlCdcSource::StartStream() {
  phase_ = Phase::kStream;
  // Stream from the earliest table snapshot; each table's events up to its own snapshot
  // position are passed over.
  stream_start_ = before_snapshot_;
  GtidState start_gtids;  // at stream_start_, when a table's snapshot started there
  SetGates();
  for (const auto& [id, gate] : gates_) {
    if (gate.position < stream_start_) stream_start_ = gate.position;
  }
  if (stream_start_ == before_snapshot_) start_gtids = before_snapshot_gtids_;
  for (const auto& [id, gate] : gates_) {
    if (gate.position == stream_start_ && gate.has_gtids) start_gtids = gate.gtids;
  }
  decoder_->Restore(stream_start_, start_gtids);
  return Status::Ok();
}

Status MysqlCdcSource::GaveUp(const Status& last) const {
  return last.WithContext(fmt::format(
      "the binlog stream of {} failed {} times in a row and the source stops (raise "
      "connect.max-retries, reconnect_attempts in C++, to wait longer for a server that comes "
      "back); the last failure",
      options_.connection.Describe(), failures_));
}

PollResult MysqlCdcSource::BackOff() {
  uint64_t backoff_ms =
      std::min<uint64_t>(5000, uint64_t{options_.reconnect_backoff_ms} << std::min(failures_, 10u));
  retry_at_ = clock_->Now() + Micros(backoff_ms * 1000);
  return PollResult::WaitUntil(retry_at_);
}

Result<PollResult> MysqlCdcSource::PollStream(Output& out) {
  if (!transport_) {
    if (clock_->Now() < retry_at_) return PollResult::WaitUntil(retry_at_);
    BinlogServerOptions server;
    server.connection = options_.connection;
    server.server_id = options_.server_id;
    server.heartbeat_ms = options_.heartbeat_ms;
    server.stop_at_end = options_.stop_at_end;
    if (!decoder_->committed().empty()) {
      server.start = decoder_->committed();
      server.start_state = decoder_->gtids();
    } else {
      server.start = stream_start_;
      server.start_gtids = start_gtids_;
    }
    auto opened = BinlogServerTransport::Open(server);
    if (!opened.ok()) {
      // The transport reports what no retry can fix (purged position, grants, server id) as
      // InvalidArgument; I/O errors are worth retrying.
      bool transient = opened.status().code() == StatusCode::kIoError;
      if (!transient) return opened.status();
      if (++failures_ > options_.reconnect_attempts) return GaveUp(opened.status());
      Log(LogLevel::kWarning, "mysql source", fmt::format("cannot reach the binlog ({}); retry {} of {}",
                 opened.status().message(), failures_, options_.reconnect_attempts));
      return BackOff();
    }
    transport_ = std::move(opened).value();
    if (!transport_->moved_to_gtids().empty()) {
      // Another server, or a rebuilt binlog: the file position names another point there.
      bool gtid_gates = std::all_of(gates_.begin(), gates_.end(),
                                    [](const auto& gate) { return gate.second.has_gtids; });
      if (!gtid_gates) {
        return Status::InvalidArgument(fmt::format(
            "the source server's binlog changed during the catch-up after the snapshot ({}): "
            "the snapshot's positions do not hold on it and it recorded no GTIDs; remove the "
            "checkpoints and start again with startup mode initial",
            transport_->moved_to_gtids()));
      }
      for (const auto& [id, gate] : gates_) {
        if (!gate.gtids.HeldBy(transport_->server_binlog_state())) {
          return Status::InvalidArgument(fmt::format(
              "the snapshot of {} holds GTIDs {} that the source server now serving the binlog "
              "never logged (its state: {}): a failover lost transactions the target already "
              "has; remove the checkpoints and start again with startup mode initial",
              id.ToString(), gate.gtids.ToString(), transport_->server_binlog_state()));
        }
      }
      history_moved_ = history_moved_ || !gates_.empty();
      Log(LogLevel::kInfo, "mysql source", fmt::format("{}: resuming after GTIDs {}", transport_->moved_to_gtids(),
                 decoder_->gtids().ToString()));
    } else if (transport_->gtids_at_start().has_mariadb()) {
      decoder_->AdoptGtids(transport_->gtids_at_start());  // every domain, for a later move
    }
  }
  stream_out_ = &out;
  if (BackfillPending()) CDC_RETURN_IF_ERROR(PumpBackfill(out, BackfillWait::kReady));
  BinlogEvent event;
  const int64_t wall_now_s = std::chrono::duration_cast<std::chrono::seconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();
  for (size_t i = 0; i < options_.events_per_poll; ++i) {
    // About to wait for the server, at the binlog's head (the last event is seconds old, not a
    // replay of history), with rows emitted since the last time: the sinks may write now
    // instead of at their flush interval. At most every 20 ms, so a trickle of small
    // transactions does not become as many target transactions: within 20 ms of the last
    // signal, wait out the rest for the server (reading on if it sends), then signal.
    if (decoder_->rows() != rows_at_caught_up_ && last_event_time_s_ + 2 >= wall_now_s &&
        !transport_->HasPending()) {
      int64_t left_us = (last_caught_up_ + Micros(20'000) - clock_->Now()).count();
      int wait_ms = static_cast<int>(std::clamp<int64_t>((left_us + 999) / 1000, 0, 20));
      if (wait_ms == 0 || !transport_->HasPending(wait_ms)) {
        rows_at_caught_up_ = decoder_->rows();
        last_caught_up_ = clock_->Now();
        return PollResult::CaughtUp();
      }
    }
    if (BackfillPending() && !transport_->HasPending(5)) {
      return PollResult::More();  // an idle stream waits no longer than that for the snapshot's chunks
    }
    auto more = transport_->Next(event);
    if (!more.ok()) {
      unsigned int error = transport_->last_error_number();
      transport_.reset();
      if (!IsTransientMysqlError(error)) return more.status();
      if (++failures_ > options_.reconnect_attempts) return GaveUp(more.status());
      // Resume at the last transaction boundary; the rows of the interrupted transaction that
      // were emitted already are dropped when they come again.
      decoder_->Restore(decoder_->committed(), decoder_->gtids(), decoder_->EmittedInOpenTransactions());
      Log(LogLevel::kWarning, "mysql source", fmt::format("binlog stream lost ({}); reconnecting from {}",
                 more.status().message(), decoder_->committed().ToString()));
      return BackOff();
    }
    if (!*more) return PollResult::End();
    failures_ = 0;
    bool was_in_transaction = decoder_->in_transaction();
    event_position_ = BinlogPosition{transport_->file(), event.header.next_position};
    CDC_RETURN_IF_ERROR(decoder_->Handle(event, transport_->file(), out));
    if (event.header.timestamp != 0) last_event_time_s_ = event.header.timestamp;
    // Hand partial batches downstream when the stream is caught up (a heartbeat means the
    // server had nothing to send) and after commits, at most every 20 ms: the next read may
    // block until the next heartbeat, and committed rows must not wait for it.
    bool heartbeat = event.header.type == static_cast<uint8_t>(BinlogEventType::kHeartbeat);
    bool committed = was_in_transaction && !decoder_->in_transaction();
    // Past every table's snapshot, even when no captured table had a row since.
    if (committed && !gates_.empty()) {
      bool past = history_moved_ ? std::all_of(gates_.begin(), gates_.end(), [&](const auto& gate) {
        return decoder_->gtids().Covers(gate.second.gtids);
      })
                                 : last_gate_ < decoder_->committed();
      if (past) ClearGates();
    }
    Micros now = clock_->Now();
    if (heartbeat || (committed && now - last_handoff_ >= Micros(20'000))) {
      last_handoff_ = now;
      return PollResult::WaitUntil(now);
    }
  }
  return PollResult::More();
}

std::string MysqlCdcSource::SnapshotState() {
  MysqlSourceState state;
  if (phase_ == Phase::kStream && decoder_ && !decoder_->committed().empty()) {
    state.binlog = decoder_->committed();
    state.gtids = decoder_->gtids();
    state.skip = decoder_->EmittedInOpenTransactions();
  }
  state.snapshot_start = before_snapshot_;
  state.snapshot_start_gtids = before_snapshot_gtids_;
  state.gates_by_gtids = history_moved_ && !gates_.empty();
  // The schemas as of this position: a restart decodes the binlog after it with them.
  state.catalog = catalog_.Save();
  state.has_capture_list = true;
  for (const auto& [id, schema] : catalog_.tables()) {
    if (filter_.Accepts(id)) state.captured.insert(id);
  }
  state.released = released_;
  for (const auto& [id, backfill] : backfill_) state.backfill[id] = backfill.reload;
  if (phase_ == Phase::kSnapshot || !gates_.empty() || BackfillPending()) state.tables = snapshot_state_;
  return state.Format();
}

Status MysqlCdcSource::CheckState(const std::string& state) {
  return MysqlSourceState::Parse(state).status();
}

std::string MysqlCdcSource::DescribeState(const std::string& text) {
  auto state = MysqlSourceState::Parse(text);
  if (!state.ok()) return text.empty() ? "the start" : "a damaged state";
  size_t done = 0;
  for (const auto& [id, table] : state->tables) done += table.done ? 1 : 0;
  if (!state->binlog.empty()) {
    size_t pending = 0;
    for (const auto& [id, reload] : state->backfill) {
      auto table = state->tables.find(id);
      pending += table == state->tables.end() || !table->second.done ? 1 : 0;
    }
    if (pending == 0) return state->binlog.ToString();
    return fmt::format("{}, {} added tables being read", state->binlog.ToString(), pending);
  }
  return fmt::format("snapshot, {} of {} tables done", done, state->tables.size());
}

Status MysqlCdcSource::RestoreState(const std::string& text,
                                    std::map<TableId, TableSchemaPtr> server) {
  auto parsed = MysqlSourceState::Parse(text);
  if (!parsed.ok()) return parsed.status();
  MysqlSourceState& saved = *parsed;
  before_snapshot_ = saved.snapshot_start;
  before_snapshot_gtids_ = saved.snapshot_start_gtids;
  history_moved_ = saved.gates_by_gtids;
  snapshot_state_ = saved.tables;
  if (!saved.catalog.empty()) {
    // The checkpoint's schemas replace the server's current ones (read at Open): the binlog
    // from the checkpoint on may hold DDL that the server's catalog already reflects.
    auto catalog = SchemaCatalog::Load(saved.catalog);
    if (!catalog.ok()) return catalog.status();
    catalog_ = std::move(catalog).value();
  }
  PlanCaptureChanges(saved, server);
  if (!saved.binlog.empty()) {
    phase_ = Phase::kStream;
    SetGates();
    decoder_->Restore(saved.binlog, saved.gtids, std::move(saved.skip));
    return Status::Ok();
  }
  phase_ = Phase::kSnapshot;
  return Status::Ok();
}

void MysqlCdcSource::PlanCaptureChanges(const MysqlSourceState& saved,
                                        const std::map<TableId, TableSchemaPtr>& server) {
  // What the list held then. A state from before capture lists were kept: its catalog.
  std::set<TableId> captured = saved.captured;
  if (!saved.has_capture_list) {
    for (const auto& [id, schema] : catalog_.tables()) captured.insert(id);
  }
  released_ = saved.released;
  for (const TableId& id : captured) {
    if (!filter_.Accepts(id)) released_.insert(id);
  }
  for (const auto& [id, reload] : saved.backfill) {
    if (!filter_.Accepts(id)) {
      released_.insert(id);  // left out before its snapshot ended: reloaded when it comes back
      snapshot_state_.erase(id);
    } else {
      backfill_[id].reload = reload;
      auto table = snapshot_state_.find(id);
      backfill_[id].done = table != snapshot_state_.end() && table->second.done;
    }
  }
  const bool streaming = !saved.binlog.empty();
  for (const auto& [id, schema] : server) {
    if (captured.count(id) != 0 || backfill_.count(id) != 0) continue;
    // Joined the list: its schema as the server has it now, the one its snapshot reads.
    catalog_.Put(schema);
    snapshot_state_.erase(id);
    bool reload = released_.erase(id) != 0;
    if (streaming) {
      backfill_[id].reload = reload;
    } else {
      announce_.insert(id);  // mid-snapshot: the snapshot reads it with the others
    }
    Log(LogLevel::kInfo, "mysql source", fmt::format("{} joined the capture list{}: its rows are read by a snapshot of its own",
               id.ToString(), reload ? " again (its target is emptied first)" : ""));
  }
  for (const TableId& id : released_) {
    if (captured.count(id) != 0) {
      Log(LogLevel::kInfo, "mysql source", fmt::format("{} left the capture list: no longer captured, its target stays as it is",
                 id.ToString()));
    }
  }
}

bool MysqlCdcSource::BackfillPending() const {
  return std::any_of(backfill_.begin(), backfill_.end(), [](const auto& entry) { return !entry.second.done; });
}

void MysqlCdcSource::ClearGates() {
  gates_.clear();
  std::erase_if(backfill_, [](const auto& entry) { return entry.second.done; });
}

Status MysqlCdcSource::EmitChunk(SnapshotChunk& ready, Output& out) {
  const TableId& id = ready.table->id();
  const SourcePosition at{ready.state.position.file, ready.state.position.offset, std::string()};
  auto backfill = backfill_.find(id);
  bool reload = backfill != backfill_.end() && backfill->second.reload &&
                ready.state.rows == ready.rows.size() && reloaded_.count(id) == 0;
  if (reload || (!ready.table->has_key() && reloaded_.count(id) == 0)) {
    // A table without a key cannot be read from where a snapshot stopped, nor its rows
    // upserted; a table captured again may hold rows the source no longer has: its target is
    // emptied first and filled again, so it ends exact.
    reloaded_.insert(id);
    RowChange truncate;
    truncate.kind = ChangeKind::kTruncate;
    truncate.snapshot_reload = true;
    truncate.table = ready.table.get();
    truncate.position = at;
    truncate.commit_time_us = std::chrono::duration_cast<std::chrono::microseconds>(
                                  std::chrono::system_clock::now().time_since_epoch())
                                  .count();
    CDC_RETURN_IF_ERROR(out.Emit(std::move(truncate)));
  }
  for (Row& row : ready.rows) {
    RowChange change;
    change.kind = ChangeKind::kInsert;
    change.table = ready.table.get();
    change.after = std::move(row);
    change.position = at;
    CDC_RETURN_IF_ERROR(out.Emit(std::move(change)));
  }
  ++progress_.chunks;
  progress_.rows += ready.rows.size();
  if (ready.state.done) {
    ++progress_.tables_done;
    Log(LogLevel::kInfo, "mysql source", fmt::format("snapshot of {} done: {} rows; {} of {} tables done",
               id.ToString(), ready.state.rows, progress_.tables_done, progress_.tables_total));
  }
  snapshot_state_[id] = ready.state;
  if (ready.state.done && backfill != backfill_.end()) {
    // From here the stream emits the table's events after its snapshot.
    backfill->second.done = true;
    AddGate(id, ready.state);
  }
  return Status::Ok();
}

Status MysqlCdcSource::PumpBackfill(Output& out, BackfillWait wait, const TableId* table) {
  if (!BackfillPending()) return Status::Ok();
  for (auto& [id, backfill] : backfill_) {
    if (backfill.announced || backfill.done) continue;
    // The sink creates the table when it is missing (an existing one is kept). A snapshot
    // resumed from a checkpoint was announced before its first chunk: not again, as the sink
    // passes over a table's changes from before its last schema change, and the resumed
    // chunks carry the position where the snapshot first stood.
    backfill.announced = true;
    if (snapshot_state_.count(id) != 0) continue;
    if (TableSchemaPtr schema = catalog_.Find(id)) {
      CDC_RETURN_IF_ERROR(AnnounceTable(schema, "(the table as its snapshot found it: it joined the capture list)", out));
    }
  }
  if (!snapshot_) {
    std::vector<TableSchemaPtr> tables;
    for (const auto& [id, backfill] : backfill_) {
      TableSchemaPtr schema = catalog_.Find(id);
      if (!backfill.done && schema != nullptr) tables.push_back(schema);
    }
    progress_ = SnapshotProgress();
    progress_.tables_total = tables.size();
    snapshot_ = std::make_unique<SnapshotReader>(options_.connection, options_.snapshot, tables, snapshot_state_);
    snapshot_->Start();
    snapshot_started_us_ = clock_->Now().count();
  }
  auto waiting = [&] {
    if (wait != BackfillWait::kTable) return BackfillPending();
    auto found = backfill_.find(*table);
    return found != backfill_.end() && !found->second.done;
  };
  // Without waiting, the chunks that are ready now (a bounded number): the stream goes on
  // meanwhile.
  const bool blocking = wait != BackfillWait::kReady;
  for (size_t chunks = 0; waiting() && (blocking || chunks < 256); ++chunks) {
    auto chunk = snapshot_->Next(std::chrono::milliseconds(blocking ? 100 : 0));
    if (!chunk.ok()) return chunk.status().WithContext("snapshot of the tables added to the capture list");
    if (chunk->has_value()) {
      CDC_RETURN_IF_ERROR(EmitChunk(**chunk, out));
      continue;
    }
    if (snapshot_->finished() || !blocking) break;
  }
  if (snapshot_->finished() || !BackfillPending()) {
    snapshot_->Stop();
    snapshot_.reset();
    for (auto& [id, backfill] : backfill_) {
      if (!backfill.done) {
        return Status::Internal(fmt::format("the snapshot of {}, added to the capture list, ended "
                                            "without its last chunk", id.ToString()));
      }
    }
    Log(LogLevel::kInfo, "mysql source", fmt::format("the tables added to the capture list are read: {} tables, {} rows",
               progress_.tables_done, progress_.rows));
  }
  return Status::Ok();
}

}  // namespace cdc
