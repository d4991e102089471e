#include "connectors/mysql/source/mysql_cdc_source.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "connectors/mysql/source/capture_list_change.h"
#include "connectors/mysql/source/mysql_catalog.h"
#include "connectors/mysql/source/startup_position.h"
#include "runtime/logger.h"
#include "schema/table_schema_sql.h"

namespace cdc {

SourceFactory MysqlCdcSource::Factory(MysqlCdcSourceOptions options) {
  return [options = std::move(options)](const SubtaskInfo&) {
    return std::make_unique<MysqlCdcSource>(options);
  };
}

MysqlCdcSource::~MysqlCdcSource() {
  Close();
}

void MysqlCdcSource::Close() {
  snapshots_.Stop();
  transport_.reset();
}

Status MysqlCdcSource::Check() {
  CDC_RETURN_IF_ERROR(CheckServerId(options_));
  MysqlConnection connection;
  CDC_RETURN_IF_ERROR(connection.Connect(options_.connection));
  return CheckSourceServer(connection, options_).status();
}

Status MysqlCdcSource::Open(const SubtaskInfo& info, Clock& clock) {
  clock_ = &clock;
  reconnect_ = StreamReconnect(options_.connection.Describe(), options_.reconnect_attempts,
                               options_.reconnect_backoff_ms);
  if (info.parallelism != 1) {
    return Status::InvalidArgument(
        "a MySQL CDC source reads one binlog: give it parallelism 1 "
        "(its snapshot reads in parallel by snapshot.parallelism)");
  }
  CDC_RETURN_IF_ERROR(CheckServerId(options_));
  auto filter = TableFilter::Make(options_.include_tables, options_.exclude_tables);
  if (!filter.ok()) return filter.status();
  filter_ = std::move(filter).value();

  MysqlConnection connection;
  CDC_RETURN_IF_ERROR(connection.Connect(options_.connection));
  auto end = CheckSourceServer(connection, options_);
  if (!end.ok()) return end.status();
  before_snapshot_ = end->position;
  before_snapshot_gtids_ = end->gtids;
  TableFilter catalog_filter = filter_;
  auto catalog = ReadTableSchemas(connection, catalog_filter);
  if (!catalog.ok()) return catalog.status();
  auto server_collation = connection.Query("SELECT @@collation_server");
  if (!server_collation.ok()) return server_collation.status();
  SchemaCatalog schemas((*server_collation)[0][0].value_or("utf8mb4_general_ci"));
  for (auto& [id, schema] : *catalog) schemas.Put(schema);
  ddl_ = DdlFollower(filter_, std::move(schemas), options_.skip_unparseable_ddl);

  decoder_ = std::make_unique<BinlogDecoder>(
      filter_, [this](const TableMap& map) { return ResolveSchema(map); });
  decoder_->set_row_gate(
      [this](const TableSchema& table, const BinlogPosition& position, const SourceGtid& gtid) {
        return AfterSnapshot(table, position, gtid);
      });
  decoder_->set_ddl_listener([this](const BinlogDecoder::Statement& statement, Output& out) {
    return OnStatement(statement, out);
  });

  if (!options_.resume_state.empty()) return RestoreState(options_.resume_state, *catalog);

  if (options_.startup == StartupMode::kInitial || options_.startup == StartupMode::kSnapshot) {
    phase_ = Phase::kSnapshot;
    return Status::Ok();
  }
  auto start = ResolveStartupPosition(connection, options_, *end);
  if (!start.ok()) return start.status();
  stream_start_ = start->binlog;
  start_gtids_ = start->gtids;
  start_state_ = start->gtid_state;
  if (options_.startup == StartupMode::kTimestamp) decoder_->set_skip_before(start->skip_before_s);
  decoder_->Restore(stream_start_, start_state_);
  return Status::Ok();
}

Status MysqlCdcSource::OnStatement(const BinlogDecoder::Statement& statement, Output& out) {
  auto parsed = ddl_.Parse(statement);
  if (!parsed.ok()) return parsed.status();
  if (!parsed->has_value()) return Status::Ok();
  const DdlStatement& ddl = **parsed;
  // Whether a statement on a table added to the capture list is older than its snapshot is
  // known once that snapshot has begun: the table is read first.
  for (const auto& [id, backfill] : backfill_) {
    if (!backfill.done && DdlNames(ddl, id)) {
      CDC_RETURN_IF_ERROR(PumpBackfill(out, BackfillWait::kTable, &id));
    }
  }
  if (std::holds_alternative<TruncateTable>(ddl)) {
    TableSchemaPtr schema = ddl_.Truncated(ddl);
    if (schema == nullptr || !AfterSnapshot(*schema, statement.binlog, statement.position.gtid)) {
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
  std::set<TableId> held;
  for (const auto& [id, backfill] : backfill_) {
    if (watermarks_.SnapshotHolds(id, statement.binlog)) held.insert(id);
  }
  for (SchemaChange& change : ddl_.Apply(ddl, statement, held, decoder_->gtids())) {
    auto shared = std::make_shared<const SchemaChange>(std::move(change));
    for (RowChange& barrier : SchemaChangeBarriers(
             shared, statement.position, statement.commit_time_us, statement.transaction_id)) {
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
  return ddl_.SchemaOf(map,
                       backfill_.count(id) != 0 && watermarks_.SnapshotHolds(id, event_position_));
}

bool MysqlCdcSource::AfterSnapshot(const TableSchema& table, const BinlogPosition& position,
                                   const SourceGtid& gtid) {
  if (watermarks_.PositionPastAll(position)) {
    ClearWatermarks();  // past every snapshot: no more events to pass over
    return true;
  }
  return watermarks_.After(table.id(), position, gtid);
}

void MysqlCdcSource::SetWatermarks() {
  watermarks_.Reset();
  for (const auto& [id, state] : snapshots_.states()) {
    auto backfill = backfill_.find(id);
    if (state.position.empty() || (backfill != backfill_.end() && !backfill->second.done)) continue;
    watermarks_.Add(id, state);
  }
}

Result<PollResult> MysqlCdcSource::PollNext(Output& out) {
  if (phase_ == Phase::kSnapshot) return PollSnapshot(out);
  return PollStream(out);
}

Status MysqlCdcSource::AnnounceTable(const TableSchemaPtr& schema, Output& out) {
  SchemaChange create;
  create.kind = SchemaChangeKind::kCreateTable;
  create.after = schema;
  // No statement made the table in this stream: the statement that makes it as the snapshot
  // found it, so that a consumer of the change (a canal-json reader, say) can run it.
  create.statement = CreateTableStatement(*schema);
  bool streaming = phase_ == Phase::kStream;
  create.source_gtids =
      streaming ? decoder_->gtids().ToString() : before_snapshot_gtids_.ToString();
  const BinlogPosition& at = streaming ? decoder_->committed() : before_snapshot_;
  auto shared = std::make_shared<const SchemaChange>(std::move(create));
  for (RowChange& barrier :
       SchemaChangeBarriers(shared, SourcePosition{at.file, at.offset, ""}, 0, 0)) {
    CDC_RETURN_IF_ERROR(out.Emit(std::move(barrier)));
  }
  return Status::Ok();
}

Result<PollResult> MysqlCdcSource::PollSnapshot(Output& out) {
  if (!snapshots_.reading() && snapshots_.states().empty() && !announced_tables_) {
    // A fresh snapshot first announces every captured table, so the sink creates even the
    // empty ones (as Flink CDC's CreateTableEvents).
    announced_tables_ = true;
    for (const auto& [id, schema] : ddl_.catalog().tables()) {
      if (filter_.Accepts(id)) announce_.insert(id);
    }
  }
  for (const TableId& id : announce_) {
    if (TableSchemaPtr schema = ddl_.Find(id)) {
      CDC_RETURN_IF_ERROR(AnnounceTable(schema, out));
    }
  }
  announce_.clear();
  if (!snapshots_.reading()) {
    std::vector<TableSchemaPtr> tables;
    for (const auto& [id, schema] : ddl_.catalog().tables()) {
      if (filter_.Accepts(id)) tables.push_back(schema);
    }
    snapshots_.Start(options_.connection, options_.snapshot, std::move(tables), clock_->Now());
  }
  auto chunk = snapshots_.Next(std::chrono::milliseconds(100));
  if (!chunk.ok()) return chunk.status();
  if (!chunk->has_value()) {
    if (!snapshots_.finished()) return PollResult::More();
    snapshots_.Finish(clock_->Now());
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
  SetWatermarks();
  GtidState start_gtids;  // at stream_start_
  watermarks_.StreamStart(before_snapshot_, before_snapshot_gtids_, stream_start_, start_gtids);
  decoder_->Restore(stream_start_, start_gtids);
  return Status::Ok();
}

Result<std::optional<PollResult>> MysqlCdcSource::ConnectStream() {
  if (clock_->Now() < reconnect_.retry_at()) {
    return std::optional(PollResult::WaitUntil(reconnect_.retry_at()));
  }
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
    CDC_RETURN_IF_ERROR(reconnect_.Failed(opened.status()));
    Log(LogLevel::kWarning, "mysql source",
        fmt::format("cannot reach the binlog ({}); retry {} of {}", opened.status().message(),
                    reconnect_.failures(), reconnect_.attempts()));
    return std::optional(PollResult::WaitUntil(reconnect_.BackOff(clock_->Now())));
  }
  transport_ = std::move(opened).value();
  if (!transport_->moved_to_gtids().empty()) {
    // Another server, or a rebuilt binlog: the file position names another point there.
    CDC_RETURN_IF_ERROR(
        watermarks_.MoveToGtids(transport_->moved_to_gtids(), transport_->server_binlog_state()));
    Log(LogLevel::kInfo, "mysql source",
        fmt::format("{}: resuming after GTIDs {}", transport_->moved_to_gtids(),
                    decoder_->gtids().ToString()));
  } else if (transport_->gtids_at_start().has_mariadb()) {
    decoder_->AdoptGtids(transport_->gtids_at_start());  // every domain, for a later move
  }
  return std::optional<PollResult>();
}

Result<PollResult> MysqlCdcSource::PollStream(Output& out) {
  if (!transport_) {
    auto connected = ConnectStream();
    if (!connected.ok()) return connected.status();
    if (*connected) return **connected;  // waiting to retry
  }
  stream_out_ = &out;
  if (BackfillPending()) CDC_RETURN_IF_ERROR(PumpBackfill(out, BackfillWait::kReady));
  BinlogEvent event;
  const int64_t wall_now_s = std::chrono::duration_cast<std::chrono::seconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();
  for (size_t i = 0; i < options_.events_per_poll; ++i) {
    // About to wait for the server at the binlog's head: the sinks may write now
    // (stream_pacing.h).
    if (pacing_.CaughtUpDue(decoder_->rows(), wall_now_s) && !transport_->HasPending()) {
      int wait_ms = pacing_.CaughtUpWaitMs(clock_->Now());
      if (wait_ms == 0 || !transport_->HasPending(wait_ms)) {
        pacing_.CaughtUp(decoder_->rows(), clock_->Now());
        return PollResult::CaughtUp();
      }
    }
    if (BackfillPending() && !transport_->HasPending(5)) {
      return PollResult::More();  // an idle stream waits no longer than that for the snapshot's
                                  // chunks
    }
    auto more = transport_->Next(event);
    if (!more.ok()) {
      unsigned int error = transport_->last_error_number();
      transport_.reset();
      if (!IsTransientMysqlError(error)) return more.status();
      CDC_RETURN_IF_ERROR(reconnect_.Failed(more.status()));
      // Resume at the last transaction boundary; the rows of the interrupted transaction that
      // were emitted already are dropped when they come again.
      decoder_->Restore(decoder_->committed(), decoder_->gtids(),
                        decoder_->EmittedInOpenTransactions());
      Log(LogLevel::kWarning, "mysql source",
          fmt::format("binlog stream lost ({}); reconnecting from {}", more.status().message(),
                      decoder_->committed().ToString()));
      return PollResult::WaitUntil(reconnect_.BackOff(clock_->Now()));
    }
    if (!*more) return PollResult::End();
    reconnect_.Succeeded();
    bool was_in_transaction = decoder_->in_transaction();
    event_position_ = BinlogPosition{transport_->file(), event.header.next_position};
    CDC_RETURN_IF_ERROR(decoder_->Handle(event, transport_->file(), out));
    pacing_.OnEvent(event.header.timestamp);
    // Hand partial batches downstream after a heartbeat or a commit (stream_pacing.h).
    bool heartbeat = event.header.type == static_cast<uint8_t>(BinlogEventType::kHeartbeat);
    bool committed = was_in_transaction && !decoder_->in_transaction();
    // Past every table's snapshot, even when no captured table had a row since.
    if (committed && watermarks_.PassedBy(decoder_->committed(), decoder_->gtids())) {
      ClearWatermarks();
    }
    Micros now = clock_->Now();
    if (pacing_.HandOff(heartbeat, committed, now)) return PollResult::WaitUntil(now);
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
  state.watermarks_by_gtids = watermarks_.by_gtids() && !watermarks_.empty();
  // The schemas as of this position: a restart decodes the binlog after it with them.
  state.catalog = ddl_.catalog().Save();
  state.has_capture_list = true;
  for (const auto& [id, schema] : ddl_.catalog().tables()) {
    if (filter_.Accepts(id)) state.captured.insert(id);
  }
  state.released = released_;
  for (const auto& [id, backfill] : backfill_) state.backfill[id] = backfill.reload;
  if (phase_ == Phase::kSnapshot || !watermarks_.empty() || BackfillPending()) {
    state.tables = snapshots_.states();
  }
  return state.Format();
}

Status MysqlCdcSource::RestoreState(const std::string& text,
                                    const std::map<TableId, TableSchemaPtr>& server) {
  auto parsed = MysqlSourceState::Parse(text);
  if (!parsed.ok()) return parsed.status();
  MysqlSourceState& saved = *parsed;
  before_snapshot_ = saved.snapshot_start;
  before_snapshot_gtids_ = saved.snapshot_start_gtids;
  watermarks_ = SnapshotWatermarks(saved.watermarks_by_gtids);
  snapshots_.Restore(saved.tables);
  if (!saved.catalog.empty()) {
    // The checkpoint's schemas replace the server's current ones (read at Open): the binlog
    // from the checkpoint on may hold DDL that the server's catalog already reflects.
    auto catalog = SchemaCatalog::Load(saved.catalog);
    if (!catalog.ok()) return catalog.status();
    ddl_.Restore(std::move(catalog).value());
  }
  // Tables that joined or left the capture list since the state was saved.
  CaptureListChange change = CaptureListChange::Plan(saved, ddl_.catalog(), server, filter_);
  released_ = std::move(change.released);
  for (const TableId& id : change.forgotten) snapshots_.Forget(id);
  for (const TableSchemaPtr& schema : change.joined) {
    ddl_.Put(schema);
    if (saved.binlog.empty()) announce_.insert(schema->id());  // read with the others
  }
  for (const auto& [id, reload] : change.backfill) {
    auto table = snapshots_.states().find(id);
    backfill_[id] =
        Backfill{reload, false, table != snapshots_.states().end() && table->second.done};
  }
  if (!saved.binlog.empty()) {
    phase_ = Phase::kStream;
    SetWatermarks();
    decoder_->Restore(saved.binlog, saved.gtids, std::move(saved.skip));
    return Status::Ok();
  }
  phase_ = Phase::kSnapshot;
  return Status::Ok();
}

bool MysqlCdcSource::BackfillPending() const {
  return std::any_of(backfill_.begin(), backfill_.end(),
                     [](const auto& entry) { return !entry.second.done; });
}

void MysqlCdcSource::ClearWatermarks() {
  watermarks_.Clear();
  std::erase_if(backfill_, [](const auto& entry) { return entry.second.done; });
}

Status MysqlCdcSource::EmitChunk(SnapshotChunk& ready, Output& out) {
  const TableId& id = ready.table->id();
  auto backfill = backfill_.find(id);
  // A table captured again is emptied on the target with its first chunk.
  bool reload = backfill != backfill_.end() && backfill->second.reload &&
                ready.state.rows == ready.rows.size();
  CDC_RETURN_IF_ERROR(snapshots_.Emit(ready, reload, out));
  if (ready.state.done && backfill != backfill_.end()) {
    // From here the stream emits the table's events after its snapshot.
    backfill->second.done = true;
    watermarks_.Add(id, ready.state);
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
    if (snapshots_.states().count(id) != 0) continue;
    if (TableSchemaPtr schema = ddl_.Find(id)) {
      CDC_RETURN_IF_ERROR(AnnounceTable(schema, out));  // it joined the capture list
    }
  }
  if (!snapshots_.reading()) {
    std::vector<TableSchemaPtr> tables;
    for (const auto& [id, backfill] : backfill_) {
      TableSchemaPtr schema = ddl_.Find(id);
      if (!backfill.done && schema != nullptr) tables.push_back(schema);
    }
    snapshots_.Start(options_.connection, options_.snapshot, std::move(tables), clock_->Now());
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
    auto chunk = snapshots_.Next(std::chrono::milliseconds(blocking ? 100 : 0));
    if (!chunk.ok())
      return chunk.status().WithContext("snapshot of the tables added to the capture list");
    if (chunk->has_value()) {
      CDC_RETURN_IF_ERROR(EmitChunk(**chunk, out));
      continue;
    }
    if (snapshots_.finished() || !blocking) break;
  }
  if (snapshots_.finished() || !BackfillPending()) {
    snapshots_.Stop();
    for (auto& [id, backfill] : backfill_) {
      if (!backfill.done) {
        return Status::Internal(
            fmt::format("the snapshot of {}, added to the capture list, ended "
                        "without its last chunk",
                        id.ToString()));
      }
    }
    Log(LogLevel::kInfo, "mysql source",
        fmt::format("the tables added to the capture list are read: {} tables, {} rows",
                    snapshots_.progress().tables_done, snapshots_.progress().rows));
  }
  return Status::Ok();
}

}  // namespace cdc
