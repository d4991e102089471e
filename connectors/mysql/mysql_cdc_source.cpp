#include "connectors/mysql/mysql_cdc_source.h"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>

#include <chrono>
#include <mysqld_error.h>
#include <sstream>

#include "runtime/ascii.h"
#include "connectors/mysql/binlog/table_map_schema.h"
#include "connectors/mysql/binlog/binlog_gtid_position.h"
#include "connectors/mysql/mysql_catalog.h"
#include "schema/ddl_parser.h"

namespace cdc {
namespace {

std::string Hex(std::string_view bytes) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (char c : bytes) {
    out += kDigits[static_cast<uint8_t>(c) >> 4];
    out += kDigits[static_cast<uint8_t>(c) & 15];
  }
  return out;
}

// The bytes `hex` (lower-case pairs) spells; nullopt if it is not such pairs.
std::optional<std::string> Unhex(std::string_view hex) {
  auto digit = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    int high = digit(hex[i]), low = digit(hex[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    out += static_cast<char>(high << 4 | low);
  }
  return out;
}

std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> parts;
  std::stringstream in(line);
  std::string part;
  while (std::getline(in, part, '\t')) parts.push_back(part);
  return parts;
}

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

  if (!options_.resume_state.empty()) return RestoreState(options_.resume_state);

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
      fmt::print(stderr, "[mysql source] warning: passed over a statement at {} that could not be parsed ({}): {}\n",
                 statement.position.ToString(), parsed.status().message(), statement.sql);
      return Status::Ok();
    }
    return Status::InvalidArgument(fmt::format(
        "the DDL statement at {} names the captured table {} and cannot be parsed ({}): {}; apply "
        "it to the target by hand and set source option schema-change.skip-unparseable-ddl: true "
        "to pass it over",
        statement.position.ToString(), captured, parsed.status().message(), statement.sql));
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
  std::vector<TableId> named;
  std::vector<SchemaChange> changes;
  Status applied = catalog_.Apply(*parsed, statement.sql, named, changes);
  // A statement the catalog could not follow still names its tables: their binlog table maps,
  // checked column by column, then rule.
  for (const TableId& id : named) altered_.insert(id);
  if (!applied.ok()) {
    unparsed_ddl_ = applied.message();
    fmt::print(stderr, "[mysql source] warning: the catalog could not follow the DDL at {} ({}); "
               "the tables' next table maps decide their columns: {}\n",
               statement.position.ToString(), applied.message(), statement.sql);
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
    gates_.clear();  // past every snapshot: no more events to pass over
    return true;
  }
  auto gate = gates_.find(table.id());
  return gate == gates_.end() || gate->second.position < position;
}

void MysqlCdcSource::SetGates() {
  gates_.clear();
  last_gate_ = BinlogPosition();
  for (const auto& [id, state] : snapshot_state_) {
    if (state.position.empty()) continue;
    SnapshotGate& gate = gates_[id];
    gate.position = state.position;
    auto gtids = GtidState::Parse(state.gtids);
    gate.has_gtids = !state.gtids.empty() && gtids.ok();
    if (gate.has_gtids) gate.gtids = *gtids;
    if (last_gate_.empty() || last_gate_ < state.position) last_gate_ = state.position;
  }
}

Result<PollResult> MysqlCdcSource::PollNext(Output& out) {
  if (phase_ == Phase::kSnapshot) return PollSnapshot(out);
  return PollStream(out);
}

Result<PollResult> MysqlCdcSource::PollSnapshot(Output& out) {
  if (!snapshot_ && snapshot_state_.empty() && !announced_tables_) {
    // A fresh snapshot first announces every captured table, so the sink creates even the
    // empty ones (as Flink CDC's CreateTableEvents).
    announced_tables_ = true;
    for (const auto& [id, schema] : catalog_.tables()) {
      SchemaChange create;
      create.kind = SchemaChangeKind::kCreateTable;
      create.after = schema;
      create.statement = "(the table as the snapshot found it)";
      create.source_gtids = before_snapshot_gtids_.ToString();
      auto shared = std::make_shared<const SchemaChange>(std::move(create));
      SourcePosition position{before_snapshot_.file, before_snapshot_.offset, ""};
      for (RowChange& barrier : SchemaChangeBarriers(shared, position, 0, 0)) {
        CDC_RETURN_IF_ERROR(out.Emit(std::move(barrier)));
      }
    }
  }
  if (!snapshot_) {
    std::vector<TableSchemaPtr> tables;
    for (const auto& [id, schema] : catalog_.tables()) tables.push_back(schema);
    progress_.tables_total = tables.size();
    for (const auto& [id, state] : snapshot_state_) progress_.tables_done += state.done ? 1 : 0;
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
    fmt::print(stderr,
               "[mysql source] snapshot done: {} tables, {} chunks, {} rows in {:.1f} s ({:.0f} "
               "rows/s); commits blocked {} times to open snapshots, longest {:.3f} ms, total "
               "{:.3f} ms\n",
               progress_.tables_total, progress_.chunks, progress_.rows, seconds,
               static_cast<double>(progress_.rows) / seconds, blocks.blocks,
               static_cast<double>(blocks.longest.count()) / 1e3,
               static_cast<double>(blocks.total.count()) / 1e3);
    if (options_.startup == StartupMode::kSnapshot) return PollResult::End();
    CDC_RETURN_IF_ERROR(StartStream());
    return PollResult::More();
  }
  SnapshotChunk& ready = **chunk;
  const SourcePosition at{ready.state.position.file, ready.state.position.offset, std::string()};
  if (!ready.table->has_key() && keyless_reloaded_.insert(ready.table->id()).second) {
    // A table without a key cannot be read from where a snapshot stopped, nor its rows
    // upserted: its target is emptied first and filled again, so it ends exact.
    RowChange truncate;
    truncate.kind = ChangeKind::kTruncate;
    truncate.snapshot_reload = true;
    truncate.table = ready.table.get();
    truncate.position = at;
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
    fmt::print(stderr, "[mysql source] snapshot of {} done: {} rows; {} of {} tables done\n",
               ready.table->id().ToString(), ready.state.rows, progress_.tables_done, progress_.tables_total);
  }
  snapshot_state_[ready.table->id()] = std::move(ready.state);
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
      if (!transient || ++failures_ > options_.reconnect_attempts) return opened.status();
      fmt::print(stderr, "[mysql source] cannot reach the binlog ({}); retry {} of {}\n",
                 opened.status().message(), failures_, options_.reconnect_attempts);
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
      fmt::print(stderr, "[mysql source] {}: resuming after GTIDs {}\n", transport_->moved_to_gtids(),
                 decoder_->gtids().ToString());
    } else if (transport_->gtids_at_start().has_mariadb()) {
      decoder_->AdoptGtids(transport_->gtids_at_start());  // every domain, for a later move
    }
  }
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
    auto more = transport_->Next(event);
    if (!more.ok()) {
      unsigned int error = transport_->last_error_number();
      transport_.reset();
      if (!IsTransientMysqlError(error) || ++failures_ > options_.reconnect_attempts) return more.status();
      // Resume at the last transaction boundary; the rows of the interrupted transaction that
      // were emitted already are dropped when they come again.
      decoder_->Restore(decoder_->committed(), decoder_->gtids(), decoder_->EmittedInOpenTransactions());
      fmt::print(stderr, "[mysql source] binlog stream lost ({}); reconnecting from {}\n",
                 more.status().message(), decoder_->committed().ToString());
      return BackOff();
    }
    if (!*more) return PollResult::End();
    failures_ = 0;
    bool was_in_transaction = decoder_->in_transaction();
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
      if (past) gates_.clear();
    }
    Micros now = clock_->Now();
    if (heartbeat || (committed && now - last_handoff_ >= Micros(20'000))) {
      last_handoff_ = now;
      return PollResult::WaitUntil(now);
    }
  }
  return PollResult::More();
}

// The state, one item per line, tab-separated:
//   binlog <file:offset>         streaming: the last transaction boundary
//   gtids <state>                the GTIDs up to there
//   skip <rows> [<gtid>]         rows already emitted of a transaction read again from there
//                                (by GTID; without one, the first transaction read)
//   start <file:offset> [<gtids>] the binlog end when the snapshot began (MariaDB: its GTIDs)
//   gates gtids                  the stream moved to other history: gates compare GTIDs
//   table <db> <t> <done|partial> <file:offset> <rows> <hex key literal>...
//   table-gtids <db> <t> <gtids> MariaDB: the GTID state at that table's snapshot
std::string MysqlCdcSource::SnapshotState() {
  std::string state;
  if (phase_ == Phase::kStream && decoder_ && !decoder_->committed().empty()) {
    state += "binlog\t" + decoder_->committed().ToString() + "\n";
    if (!decoder_->gtids().empty()) state += "gtids\t" + decoder_->gtids().ToString() + "\n";
    for (const auto& [gtid, rows] : decoder_->EmittedInOpenTransactions()) {
      state += fmt::format("skip\t{}", rows);
      if (!gtid.empty()) state += "\t" + gtid;
      state += "\n";
    }
  }
  if (!before_snapshot_.empty()) {
    state += "start\t" + before_snapshot_.ToString();
    if (!before_snapshot_gtids_.empty()) state += "\t" + before_snapshot_gtids_.ToString();
    state += "\n";
  }
  if (history_moved_ && !gates_.empty()) state += "gates\tgtids\n";
  // The schemas as of this position: a restart decodes the binlog after it with them.
  for (const std::string& line : catalog_.Save()) state += "catalog\t" + line + "\n";
  bool keep_tables = phase_ == Phase::kSnapshot || !gates_.empty();
  for (const auto& [id, table] : snapshot_state_) {
    if (!keep_tables) break;
    state += fmt::format("table\t{}\t{}\t{}\t{}\t{}", id.database, id.table, table.done ? "done" : "partial",
                         table.position.ToString(), table.rows);
    for (const std::string& literal : table.last_key) state += "\t" + Hex(literal);
    state += "\n";
    if (!table.gtids.empty()) {
      state += fmt::format("table-gtids\t{}\t{}\t{}\n", id.database, id.table, table.gtids);
    }
  }
  return state;
}

std::string MysqlCdcSource::DescribeState(const std::string& state) {
  std::stringstream in(state);
  std::string line;
  size_t tables = 0, done = 0;
  while (std::getline(in, line)) {
    std::vector<std::string> parts = SplitTabs(line);
    if (parts.empty()) continue;
    if (parts[0] == "binlog" && parts.size() == 2) return parts[1];
    if (parts[0] == "table" && parts.size() >= 4) {
      ++tables;
      done += parts[3] == "done";
    }
  }
  if (tables > 0) return fmt::format("snapshot, {} of {} tables done", done, tables);
  return state.empty() ? "the start" : state;
}

Status MysqlCdcSource::RestoreState(const std::string& text) {
  std::stringstream in(text);
  std::string line;
  BinlogPosition binlog;
  GtidState gtids;
  BinlogDecoder::EmittedRows emitted;
  auto bad = [&](const std::string& why) {
    return Status::InvalidArgument(fmt::format("resume state line '{}' is malformed ({}): pass the "
                                               "state the source reported, unchanged",
                                               line, why));
  };
  std::vector<std::string> catalog;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    if (line.starts_with("catalog\t")) {
      catalog.push_back(line.substr(8));
      continue;
    }
    std::vector<std::string> parts = SplitTabs(line);
    if (parts[0] == "binlog" && parts.size() == 2) {
      auto position = BinlogPosition::Parse(parts[1]);
      if (!position.ok()) return bad(position.status().message());
      binlog = *position;
    } else if (parts[0] == "gtids" && parts.size() == 2) {
      auto parsed = GtidState::Parse(parts[1]);
      if (!parsed.ok()) return bad(parsed.status().message());
      gtids = *parsed;
    } else if (parts[0] == "skip" && (parts.size() == 2 || parts.size() == 3)) {
      auto rows = ParseDecimal(parts[1]);
      if (!rows) return bad("the row count is not a number");
      emitted[parts.size() == 3 ? parts[2] : std::string()] = *rows;
    } else if (parts[0] == "start" && (parts.size() == 2 || parts.size() == 3)) {
      auto position = BinlogPosition::Parse(parts[1]);
      if (!position.ok()) return bad(position.status().message());
      before_snapshot_ = *position;
      before_snapshot_gtids_ = GtidState();
      if (parts.size() == 3) {
        auto gtids = GtidState::Parse(parts[2]);
        if (!gtids.ok()) return bad(gtids.status().message());
        before_snapshot_gtids_ = *gtids;
      }
    } else if (parts[0] == "gates" && parts.size() == 2 && parts[1] == "gtids") {
      history_moved_ = true;
    } else if (parts[0] == "table" && parts.size() >= 6) {
      TableSnapshotState table;
      table.done = parts[3] == "done";
      auto position = BinlogPosition::Parse(parts[4]);
      if (!position.ok()) return bad(position.status().message());
      table.position = *position;
      auto rows = ParseDecimal(parts[5]);
      if (!rows) return bad("the row count is not a number");
      table.rows = *rows;
      for (size_t i = 6; i < parts.size(); ++i) {
        auto key = Unhex(parts[i]);
        if (!key) return bad("a key value is not hexadecimal");
        table.last_key.push_back(std::move(*key));
      }
      snapshot_state_[TableId{parts[1], parts[2]}] = std::move(table);
    } else if (parts[0] == "table-gtids" && parts.size() == 4) {
      auto table = snapshot_state_.find(TableId{parts[1], parts[2]});
      if (table == snapshot_state_.end()) return bad("comes before its table's line");
      if (!GtidState::Parse(parts[3]).ok()) return bad("not GTIDs");
      table->second.gtids = parts[3];
    } else {
      return bad("unknown item");
    }
  }
  if (!catalog.empty()) {
    // The checkpoint's schemas replace the server's current ones (read at Open): the binlog
    // from the checkpoint on may hold DDL that the server's catalog already reflects.
    auto saved = SchemaCatalog::Load(catalog);
    if (!saved.ok()) return bad(saved.status().message());
    catalog_ = std::move(saved).value();
  }
  if (!binlog.empty()) {
    phase_ = Phase::kStream;
    SetGates();
    decoder_->Restore(binlog, gtids, std::move(emitted));
    return Status::Ok();
  }
  if (snapshot_state_.empty() && before_snapshot_.empty()) return bad("no binlog position and no snapshot");
  phase_ = Phase::kSnapshot;
  return Status::Ok();
}

}  // namespace cdc
