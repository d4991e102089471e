#include "connectors/mysql/source/binlog/binlog_decoder.h"

#include <fmt/format.h>
#include <algorithm>
#include <optional>

#include "connectors/mysql/source/binlog/binlog_compression.h"
#include "connectors/mysql/source/binlog/byte_reader.h"
#include "connectors/mysql/source/binlog/rows_event.h"
#include "connectors/mysql/source/binlog/table_map_schema.h"
#include "runtime/ascii.h"
#include "schema/ddl_parser.h"

namespace cdc {

BinlogDecoder::BinlogDecoder(TableFilter filter, SchemaResolver resolver)
    : filter_(std::move(filter)), resolver_(std::move(resolver)) {
  if (!resolver_) {
    resolver_ = SchemaFromTableMap;
    pure_resolver_ = true;
  }
}

void BinlogDecoder::Restore(BinlogPosition committed, GtidState gtids, EmittedRows emitted) {
  committed_ = std::move(committed);
  gtids_ = std::move(gtids);
  emitted_before_ = std::move(emitted);
  std::erase_if(emitted_before_, [](const auto& entry) { return entry.second == 0; });
  rows_since_commit_ = 0;
  in_transaction_ = false;
  gtid_.clear();
  position_gtid_ = SourceGtid();
}

BinlogDecoder::EmittedRows BinlogDecoder::EmittedInOpenTransactions() const {
  EmittedRows emitted = emitted_before_;
  if (in_transaction_ && rows_since_commit_ > 0) {
    uint64_t& rows = emitted[gtid_];
    rows = std::max(rows, rows_since_commit_);
  }
  return emitted;
}

namespace {

// The part of a GTID that orders it: MariaDB's domain ("0" of "0-1-42"), MySQL's source uuid.
std::string_view GtidDomain(std::string_view gtid) {
  size_t colon = gtid.rfind(':');
  return colon != std::string_view::npos ? gtid.substr(0, colon) : gtid.substr(0, gtid.find('-'));
}

}  // namespace

void BinlogDecoder::ForgetSkipsOtherThan(const std::string& gtid) {
  if (emitted_before_.empty()) return;
  if (auto unnamed = emitted_before_.find(""); unnamed != emitted_before_.end()) {
    emitted_before_[gtid] =
        std::max(emitted_before_[gtid], unnamed->second);  // a state without GTIDs
    emitted_before_.erase("");
  }
  std::erase_if(emitted_before_, [&](const auto& entry) {
    return entry.first != gtid && GtidDomain(entry.first) == GtidDomain(gtid);
  });
}

void BinlogDecoder::Commit(const BinlogEvent& event, const SourceFileName& file) {
  if (event.header.next_position != 0)
    committed_ = BinlogPosition{file, event.header.next_position};
  if (!gtid_.empty()) gtids_.Update(gtid_);
  in_transaction_ = false;
  standalone_ = false;
  rows_since_commit_ = 0;
  if (!emitted_before_.empty()) emitted_before_.erase(gtid_);
  gtid_.clear();  // a transaction without a GTID event must not take this one's
  position_gtid_ = SourceGtid();
}

Status BinlogDecoder::Emit(RowChange change, Output& out) {
  ++rows_since_commit_;
  if (!emitted_before_.empty()) {
    auto emitted = emitted_before_.find(gtid_);
    if (emitted != emitted_before_.end() && rows_since_commit_ <= emitted->second)
      return Status::Ok();
  }
  ++rows_;
  return out.Emit(std::move(change));
}

Status BinlogDecoder::Handle(const BinlogEvent& event, const SourceFileName& file, Output& out) {
  ++events_;
  auto type = static_cast<BinlogEventType>(event.header.type);
  switch (type) {
    case BinlogEventType::kFormatDescription:
      // Written by the server whose binlog this is (replicated events keep their origin's id).
      binlog_server_id_ = event.header.server_id;
      return Status::Ok();
    case BinlogEventType::kMariadbGtid: {
      ByteReader in(event.body);
      uint64_t sequence = in.LittleEndian(8);
      uint64_t domain = in.LittleEndian(4);
      uint8_t flags = in.U8();
      gtid_ = fmt::format("{}-{}-{}", domain, event.header.server_id, sequence);
      position_gtid_ = last_gtid_ = SourceGtid(gtid_, last_gtid_);
      ForgetSkipsOtherThan(gtid_);
      standalone_ = (flags & 0x01) != 0;  // FL_STANDALONE: no BEGIN, one statement
      in_transaction_ = true;
      ++transaction_;
      return Status::Ok();
    }
    case BinlogEventType::kMysqlGtid: {
      ByteReader in(event.body);
      in.U8();  // flags
      std::string_view sid = in.Bytes(16);
      uint64_t number = in.LittleEndian(8);
      std::string uuid;
      for (size_t i = 0; i < sid.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) uuid += '-';
        uuid += fmt::format("{:02x}", static_cast<uint8_t>(sid[i]));
      }
      gtid_ = fmt::format("{}:{}", uuid, number);
      position_gtid_ = last_gtid_ = SourceGtid(gtid_, last_gtid_);
      ForgetSkipsOtherThan(gtid_);
      ++transaction_;
      return Status::Ok();
    }
    case BinlogEventType::kXid: Commit(event, file); return Status::Ok();
    case BinlogEventType::kQuery:
    case BinlogEventType::kQueryCompressed: return HandleQuery(event, file, out);
    case BinlogEventType::kTableMap: return HandleTableMap(event);
    default:
      if (IsRowsEvent(type)) return HandleRows(event, file, out);
      return CheckPassedOver(event, file);
  }
}

Status BinlogDecoder::CheckPassedOver(const BinlogEvent& event, const SourceFileName& file) const {
  constexpr uint16_t kIgnorableFlag = 0x80;  // LOG_EVENT_IGNORABLE_F: safe to pass over
  auto type = static_cast<BinlogEventType>(event.header.type);
  uint8_t code = event.header.type;
  // Events whose changes would be lost, flagged ignorable or not.
  bool loses_changes = type == BinlogEventType::kPartialUpdateRows ||
                       type == BinlogEventType::kTransactionPayload ||
                       type == BinlogEventType::kStartEncryption;
  // Known events that carry no row change: start/stop, rotate, statement-based context (intvar,
  // rand, user var), format description, heartbeats, rows-query and MySQL GTID bookkeeping,
  // MariaDB annotations, checkpoints and GTID lists.
  bool known = code == 1 || (code >= 3 && code <= 5) || (code >= 13 && code <= 15) || code == 27 ||
               code == 28 || code == 29 || (code >= 34 && code <= 38) || code == 41 || code == 42 ||
               code == 160 || code == 161 || code == 163;
  if (!loses_changes && (known || (event.header.flags & kIgnorableFlag) != 0)) return Status::Ok();

  const char* why;
  switch (type) {
    case BinlogEventType::kPartialUpdateRows:
      why =
          "is a partial JSON update, which carries no full row image: set "
          "binlog_row_value_options='' on the source server";
      break;
    case BinlogEventType::kTransactionPayload:
      why =
          "is a zstd-compressed transaction payload, which this source does not decode: set "
          "binlog_transaction_compression=OFF on the source server";
      break;
    case BinlogEventType::kStartEncryption:
      why =
          "starts an encrypted binlog file, which cannot be read as a file: stream it from "
          "the server instead (the server decrypts what it sends)";
      break;
    default:
      why = code == 26
                ? "is an INCIDENT event: the source server lost changes it could not log; the "
                  "replica is no longer exact and must be re-snapshotted (startup mode initial)"
                : "is not known to this decoder and is not marked ignorable, so passing over it "
                  "could lose changes; please report the server version";
  }
  return Status::InvalidArgument(fmt::format("the binlog event of type {} ending at {}:{} {}", code,
                                             file.str(), event.header.next_position, why));
}

Status BinlogDecoder::HandleQuery(const BinlogEvent& event, const SourceFileName& file,
                                  Output& out) {
  ByteReader in(event.body);
  in.LittleEndian(8);  // thread id, execution time
  uint8_t db_length = in.U8();
  in.LittleEndian(2);            // error code
  in.Bytes(in.LittleEndian(2));  // status variables
  std::string database(in.Bytes(db_length));
  in.U8();  // NUL
  std::string query;
  if (event.header.type == static_cast<uint8_t>(BinlogEventType::kQueryCompressed)) {
    Status status = UncompressBinlogPayload(in.Bytes(in.remaining()), query);
    if (!status.ok()) {
      return status.WithContext(
          fmt::format("query event ending at {}:{}", file.str(), event.header.next_position));
    }
  } else {
    query = std::string(in.Bytes(in.remaining()));
  }
  std::string lower = AsciiLower(query.substr(0, 16));
  if (lower == "begin" || lower.starts_with("xa start")) {
    if (!in_transaction_) ++transaction_;
    in_transaction_ = true;
    standalone_ = false;
    return Status::Ok();
  }
  if (lower == "commit" || lower == "rollback" || lower.starts_with("xa end") ||
      lower.starts_with("xa commit") || lower.starts_with("xa rollback")) {
    Commit(event, file);
    return Status::Ok();
  }
  if (!in_transaction_) ++transaction_;
  if (ddl_listener_) {
    Statement statement{
        std::move(database),
        std::move(query),
        SourcePosition{file, event.header.next_position, position_gtid_, 0, binlog_server_id_},
        BinlogPosition{file, event.header.next_position},
        int64_t{event.header.timestamp} * 1'000'000,
        transaction_};
    CDC_RETURN_IF_ERROR(ddl_listener_(statement, out));
  } else if (auto parsed = ParseDdl(query, database);
             parsed.ok() && std::holds_alternative<TruncateTable>(*parsed)) {
    const TableId& truncated = std::get<TruncateTable>(*parsed).table;
    for (const auto& [id, table] : tables_) {
      if (table.schema == nullptr || table.schema->id() != truncated) continue;
      RowChange change;
      change.kind = ChangeKind::kTruncate;
      change.table = table.schema.get();
      change.position =
          SourcePosition{file, event.header.next_position, position_gtid_, 0, binlog_server_id_};
      change.commit_time_us = int64_t{event.header.timestamp} * 1'000'000;
      change.transaction_id = transaction_;
      if (!gate_ ||
          gate_(*table.schema, BinlogPosition{file, event.header.next_position}, position_gtid_)) {
        CDC_RETURN_IF_ERROR(Emit(std::move(change), out));
      }
      break;
    }
  }
  // A statement outside BEGIN ... COMMIT (DDL, TRUNCATE) commits on its own.
  if (!in_transaction_ || standalone_) Commit(event, file);
  return Status::Ok();
}

Status BinlogDecoder::HandleTableMap(const BinlogEvent& event) {
  // MariaDB and MySQL repeat a table's map before each statement's rows: most are byte for
  // byte the map already held for that table id (its first 6 bytes, as in rows events).
  if (event.body.size() >= 6) {
    auto held = tables_.find(RowsEventTableId(event.body));
    if (held != tables_.end() && held->second.raw == event.body) return Status::Ok();
  }
  auto map = ParseTableMap(event.body);
  if (!map.ok()) return map.status();
  auto previous = tables_.find(map->table_id);
  if (previous != tables_.end() && SameTableMap(previous->second.map, *map)) {
    previous->second.raw = event.body;
    return Status::Ok();
  }
  Table table;
  table.raw = event.body;
  TableId name{map->database, map->table};
  // The table's map under its previous id, if still held. Rows events follow their statement's
  // own table maps, so once a table is mapped under a new id the old one is let go.
  std::optional<uint64_t> older_id;
  const Table* older = nullptr;
  if (auto latest = latest_id_.find(name); latest != latest_id_.end()) {
    auto held = tables_.find(latest->second);
    if (held != tables_.end() && held->second.map.database == name.database &&
        held->second.map.table == name.table) {
      older_id = held->first;
      older = &held->second;
    }
  }
  // The default resolver depends on the map alone: a table reopened under a new id with the
  // same map keeps its schema (others, such as the catalog's, may have moved on).
  if (pure_resolver_ && older != nullptr && SameTableMap(older->map, *map)) {
    table.schema = older->schema;
    table.declared = older->declared;
  } else if (filter_.Accepts(name)) {
    auto schema = resolver_(*map);
    if (!schema.ok()) return schema.status();
    table.schema = *schema;
    for (const ColumnSchema& column : table.schema->columns())
      table.declared.push_back(column.type);
    schemas_.insert(table.schema);
  }
  table.map = std::move(map).value();
  if (older_id && *older_id != table.map.table_id) tables_.erase(*older_id);
  latest_id_[name] = table.map.table_id;
  Table& held = tables_[table.map.table_id] = std::move(table);
  held.columns = RowsEventColumns(held.map, held.declared);  // where the map now lives
  return Status::Ok();
}

Status BinlogDecoder::HandleRows(const BinlogEvent& event, const SourceFileName& file,
                                 Output& out) {
  auto type = static_cast<BinlogEventType>(event.header.type);
  uint64_t id = RowsEventTableId(event.body);
  auto found = tables_.find(id);
  if (found == tables_.end()) {
    return Status::InvalidArgument(fmt::format(
        "a rows event ending at {}:{} refers to table id {} without a table map before it",
        file.str(), event.header.next_position, id));
  }
  const Table& table = found->second;
  if (table.schema == nullptr) return Status::Ok();  // not captured
  if (skip_before_s_ > 0 && int64_t{event.header.timestamp} < skip_before_s_) return Status::Ok();
  BinlogPosition position{file, event.header.next_position};
  if (gate_ && !gate_(*table.schema, position, position_gtid_)) return Status::Ok();
  ChangeKind kind = RowsEventKind(type);
  int64_t commit_time_us = int64_t{event.header.timestamp} * 1'000'000;
  uint32_t index = 0;
  Status emitted;  // a failure downstream, returned as it is
  Status status =
      ForEachRowImage(type, event.body, table.map, table.columns, [&](Row&& before, Row&& after) {
        RowChange change;
        change.kind = kind;
        change.table = table.schema.get();
        change.before = std::move(before);
        change.after = std::move(after);
        change.position = SourcePosition{file, event.header.next_position, position_gtid_, ++index,
                                         binlog_server_id_};
        change.commit_time_us = commit_time_us;
        change.transaction_id = transaction_;
        emitted = Emit(std::move(change), out);
        return emitted;
      });
  if (!emitted.ok()) return emitted;
  if (!status.ok()) {
    return status.WithContext(fmt::format("in the rows event of {} ending at {}",
                                          table.schema->id().ToString(), position.ToString()));
  }
  return Status::Ok();
}

}  // namespace cdc
