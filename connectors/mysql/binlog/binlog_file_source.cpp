#include "connectors/mysql/binlog/binlog_file_source.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fmt/format.h>

#include "connectors/mysql/binlog/byte_reader.h"
#include "schema/collation.h"

namespace cdc {
namespace {

// Bytes per character of a collation's character set, to turn byte lengths into CHAR(n).
uint32_t MaxBytesPerChar(std::string_view collation) {
  if (collation.starts_with("utf8mb4") || collation.starts_with("utf16") ||
      collation.starts_with("utf32")) {
    return 4;
  }
  if (collation.starts_with("utf8")) return 3;
  if (collation.starts_with("ucs2")) return 2;
  return 1;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool SameMap(const TableMap& a, const TableMap& b) {
  if (a.database != b.database || a.table != b.table || a.columns.size() != b.columns.size()) {
    return false;
  }
  for (size_t i = 0; i < a.columns.size(); ++i) {
    const TableMapColumn& x = a.columns[i];
    const TableMapColumn& y = b.columns[i];
    if (x.type != y.type || x.meta != y.meta || x.name != y.name || x.nullable != y.nullable ||
        x.is_unsigned != y.is_unsigned || x.collation_id != y.collation_id || x.labels != y.labels) {
      return false;
    }
  }
  return a.primary_key == b.primary_key;
}

}  // namespace

Result<TableSchemaPtr> SchemaFromTableMap(const TableMap& map) {
  if (!map.has_names) {
    return Status::InvalidArgument(fmt::format(
        "the binlog's table map for {}.{} has no column names: set binlog_row_metadata=FULL on "
        "the source server",
        map.database, map.table));
  }
  std::vector<ColumnSchema> columns;
  for (const TableMapColumn& source : map.columns) {
    ColumnSchema column;
    column.name = source.name;
    column.nullable = source.nullable;
    column.is_unsigned = source.is_unsigned;
    std::string collation(CollationNameById(source.collation_id));
    bool binary = source.collation_id == 63;
    auto text = [&](ColumnType type, ColumnType binary_type) {
      column.type = binary ? binary_type : type;
      if (!binary) column.collation = collation;
    };
    switch (source.type) {
      case BinlogType::kTiny: column.type = ColumnType::kTinyInt; break;
      case BinlogType::kShort: column.type = ColumnType::kSmallInt; break;
      case BinlogType::kInt24: column.type = ColumnType::kMediumInt; break;
      case BinlogType::kLong: column.type = ColumnType::kInt; break;
      case BinlogType::kLongLong: column.type = ColumnType::kBigInt; break;
      case BinlogType::kFloat: column.type = ColumnType::kFloat; break;
      case BinlogType::kDouble: column.type = ColumnType::kDouble; break;
      case BinlogType::kNewDecimal:
        column.type = ColumnType::kDecimal;
        column.precision = static_cast<uint8_t>(source.meta >> 8);
        column.scale = static_cast<uint8_t>(source.meta & 0xFF);
        break;
      case BinlogType::kBit: column.type = ColumnType::kBit; column.length = source.meta; break;
      case BinlogType::kYear: column.type = ColumnType::kYear; break;
      case BinlogType::kDate: case BinlogType::kNewDate: column.type = ColumnType::kDate; break;
      case BinlogType::kTime: case BinlogType::kTime2:
        column.type = ColumnType::kTime;
        column.fsp = static_cast<uint8_t>(source.type == BinlogType::kTime2 ? source.meta : 0);
        break;
      case BinlogType::kDateTime: case BinlogType::kDateTime2:
        column.type = ColumnType::kDateTime;
        column.fsp = static_cast<uint8_t>(source.type == BinlogType::kDateTime2 ? source.meta : 0);
        break;
      case BinlogType::kTimestamp: case BinlogType::kTimestamp2:
        column.type = ColumnType::kTimestamp;
        column.fsp = static_cast<uint8_t>(source.type == BinlogType::kTimestamp2 ? source.meta : 0);
        break;
      case BinlogType::kVarchar: case BinlogType::kVarString:
        text(ColumnType::kVarChar, ColumnType::kVarBinary);
        column.length = binary ? source.meta : source.meta / MaxBytesPerChar(collation);
        break;
      case BinlogType::kString: {
        BinlogType real;
        uint32_t length;
        UnpackString(source.meta, real, length);
        if (real == BinlogType::kEnum || real == BinlogType::kSet) {
          column.type = real == BinlogType::kEnum ? ColumnType::kEnum : ColumnType::kSet;
          column.labels = source.labels;
          column.collation = collation;
        } else {
          text(ColumnType::kChar, ColumnType::kBinary);
          column.length = binary ? length : length / MaxBytesPerChar(collation);
        }
        break;
      }
      case BinlogType::kTinyBlob: case BinlogType::kMediumBlob: case BinlogType::kLongBlob:
      case BinlogType::kBlob: {
        static constexpr ColumnType kText[] = {ColumnType::kTinyText, ColumnType::kText,
                                               ColumnType::kMediumText, ColumnType::kLongText};
        static constexpr ColumnType kBlob[] = {ColumnType::kTinyBlob, ColumnType::kBlob,
                                               ColumnType::kMediumBlob, ColumnType::kLongBlob};
        size_t size = std::clamp<size_t>(source.meta, 1, 4) - 1;
        text(kText[size], kBlob[size]);
        break;
      }
      case BinlogType::kGeometry: column.type = ColumnType::kGeometry; break;
      case BinlogType::kJson: column.type = ColumnType::kJson; break;
      default:
        return Status::InvalidArgument(fmt::format("column {} of {}.{} has binlog type {}, which a "
                                                   "row image cannot carry",
                                                   source.name, map.database, map.table,
                                                   static_cast<int>(source.type)));
    }
    columns.push_back(std::move(column));
  }
  return TableSchema::Make(TableId{map.database, map.table}, std::move(columns), map.primary_key);
}

SourceFactory BinlogFileSource::Factory(BinlogFileSourceOptions options) {
  return [options](const SubtaskInfo&) { return std::make_unique<BinlogFileSource>(options); };
}

Status BinlogFileSource::Open(const SubtaskInfo& info, Clock&) {
  if (info.parallelism != 1) {
    return Status::InvalidArgument("a binlog file source reads one stream: give it parallelism 1");
  }
  if (options_.files.empty()) return Status::InvalidArgument("binlog file source: no files given");
  return OpenFile(0);
}

Status BinlogFileSource::OpenFile(size_t index) {
  file_index_ = index;
  file_ = std::ifstream(options_.files[index], std::ios::binary);
  char magic[4];
  if (!file_ || !file_.read(magic, 4) || std::string_view(magic, 4) != kBinlogFileMagic) {
    return Status::InvalidArgument(fmt::format(
        "{} is not a readable binlog file (no binlog magic at its start)", options_.files[index]));
  }
  offset_ = 4;
  checksums_ = false;
  return Status::Ok();
}

Result<bool> BinlogFileSource::ReadEvent() {
  event_bytes_.resize(kBinlogHeaderSize);
  if (!file_.read(event_bytes_.data(), kBinlogHeaderSize)) {
    if (file_.gcount() == 0) return false;
    return Status::InvalidArgument(fmt::format("{} ends inside an event header at offset {}",
                                               options_.files[file_index_], offset_));
  }
  ByteReader header(event_bytes_);
  header.LittleEndian(9);
  auto length = static_cast<uint32_t>(header.LittleEndian(4));
  if (length < kBinlogHeaderSize || length > (1u << 30)) {
    return Status::InvalidArgument(fmt::format("{}: impossible event length {} at offset {}",
                                               options_.files[file_index_], length, offset_));
  }
  event_bytes_.resize(length);
  if (!file_.read(event_bytes_.data() + kBinlogHeaderSize, length - kBinlogHeaderSize)) {
    return Status::InvalidArgument(fmt::format("{} ends inside the event at offset {}",
                                               options_.files[file_index_], offset_));
  }
  return true;
}

Status BinlogFileSource::Handle(const BinlogEvent& event, Output& out) {
  auto type = static_cast<BinlogEventType>(event.header.type);
  std::string file = std::filesystem::path(options_.files[file_index_]).filename().string();
  switch (type) {
    case BinlogEventType::kMariadbGtid: {
      ByteReader in(event.body);
      uint64_t sequence = in.LittleEndian(8);
      uint64_t domain = in.LittleEndian(4);
      gtid_ = fmt::format("{}-{}-{}", domain, event.header.server_id, sequence);
      ++transaction_;
      return Status::Ok();
    }
    case BinlogEventType::kXid:
      committed_ = fmt::format("{}:{}", file, event.header.next_position);
      return Status::Ok();
    case BinlogEventType::kQuery: {
      ByteReader in(event.body);
      in.LittleEndian(8);  // thread id, execution time
      uint8_t db_length = in.U8();
      in.LittleEndian(2);  // error code
      in.Bytes(in.LittleEndian(2));  // status variables
      std::string database(in.Bytes(db_length));
      in.U8();  // NUL
      std::string query(in.Bytes(in.remaining()));
      std::string lower = Lower(query);
      if (lower == "commit") {
        committed_ = fmt::format("{}:{}", file, event.header.next_position);
        return Status::Ok();
      }
      // TRUNCATE [TABLE] [db.]table: a truncate of a table already seen in the stream.
      if (lower.starts_with("truncate")) {
        std::string rest = query.substr(8);
        auto strip = [](std::string s) {
          s.erase(std::remove_if(s.begin(), s.end(), [](char c) { return c == '`' || std::isspace(static_cast<unsigned char>(c)); }), s.end());
          return s;
        };
        rest = strip(rest);
        if (Lower(rest).starts_with("table")) rest = rest.substr(5);
        std::string table = rest;
        size_t dot = rest.find('.');
        if (dot != std::string::npos) {
          database = rest.substr(0, dot);
          table = rest.substr(dot + 1);
        }
        for (const auto& [id, schema] : schemas_by_id_) {
          if (schema->id() != TableId{database, table}) continue;
          RowChange change;
          change.kind = ChangeKind::kTruncate;
          change.table = schema.get();
          change.position = SourcePosition{file, event.header.next_position, gtid_};
          change.commit_time_us = int64_t{event.header.timestamp} * 1'000'000;
          change.transaction_id = transaction_;
          return out.Emit(std::move(change));
        }
      }
      committed_ = fmt::format("{}:{}", file, event.header.next_position);  // DDL commits
      return Status::Ok();
    }
    case BinlogEventType::kTableMap: {
      auto map = ParseTableMap(event.body);
      if (!map.ok()) return map.status();
      auto previous = table_maps_.find(map->table_id);
      if (previous != table_maps_.end() && SameMap(previous->second, *map)) return Status::Ok();
      auto schema = SchemaFromTableMap(*map);
      if (!schema.ok()) return schema.status();
      schemas_.push_back(*schema);
      schemas_by_id_[map->table_id] = *schema;
      table_maps_[map->table_id] = std::move(map).value();
      return Status::Ok();
    }
    case BinlogEventType::kWriteRowsV1: case BinlogEventType::kUpdateRowsV1:
    case BinlogEventType::kDeleteRowsV1: case BinlogEventType::kWriteRowsV2:
    case BinlogEventType::kUpdateRowsV2: case BinlogEventType::kDeleteRowsV2: {
      uint64_t id = RowsEventTableId(event.body);
      auto map = table_maps_.find(id);
      if (map == table_maps_.end()) {
        return Status::InvalidArgument(fmt::format(
            "a rows event at {}:{} refers to table id {} without a table map before it", file,
            offset_, id));
      }
      const TableSchemaPtr& schema = schemas_by_id_[id];
      std::vector<ColumnType> declared;
      for (const ColumnSchema& column : schema->columns()) declared.push_back(column.type);
      auto rows = DecodeRowsEvent(type, event.body, map->second, declared);
      if (!rows.ok()) return rows.status().WithContext(fmt::format("at {}:{}", file, offset_));
      size_t count = std::max(rows->before.size(), rows->after.size());
      for (size_t i = 0; i < count; ++i) {
        RowChange change;
        change.kind = rows->kind;
        change.table = schema.get();
        if (i < rows->before.size()) change.before = std::move(rows->before[i]);
        if (i < rows->after.size()) change.after = std::move(rows->after[i]);
        change.position = SourcePosition{file, event.header.next_position, gtid_};
        change.commit_time_us = int64_t{event.header.timestamp} * 1'000'000;
        change.transaction_id = transaction_;
        CDC_RETURN_IF_ERROR(out.Emit(std::move(change)));
      }
      return Status::Ok();
    }
    default:
      return Status::Ok();  // rotate, checkpoints, annotations, heartbeats: nothing to emit
  }
}

Result<PollResult> BinlogFileSource::PollNext(Output& out) {
  for (size_t i = 0; i < options_.events_per_poll; ++i) {
    auto read = ReadEvent();
    if (!read.ok()) return read.status();
    if (!*read) {
      if (file_index_ + 1 >= options_.files.size()) return PollResult::End();
      CDC_RETURN_IF_ERROR(OpenFile(file_index_ + 1));
      continue;
    }
    std::string_view bytes = event_bytes_;
    if (static_cast<uint8_t>(bytes[4]) == static_cast<uint8_t>(BinlogEventType::kFormatDescription)) {
      checksums_ = bytes[bytes.size() - 5] == 1;  // the algorithm byte before the CRC
    }
    auto event = ParseBinlogEvent(bytes, checksums_, offset_);
    if (!event.ok()) {
      return event.status().WithContext(options_.files[file_index_]);
    }
    CDC_RETURN_IF_ERROR(Handle(*event, out));
    offset_ += event->header.event_length;
  }
  return PollResult::More();
}

std::string BinlogFileSource::SnapshotState() { return committed_; }

}  // namespace cdc
