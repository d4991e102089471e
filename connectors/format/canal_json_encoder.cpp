#include "connectors/format/canal_json_encoder.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "connectors/format/canal_json_value.h"
#include "connectors/format/json_value_text.h"
#include "runtime/assertions.h"

namespace cdc {
namespace {

constexpr std::array<std::string_view, 13> kFields = {
    "id", "database", "table",   "pkNames",   "isDdl", "type", "es",
    "ts", "sql",      "sqlType", "mysqlType", "data",  "old"};

const char* RowTypeName(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::kInsert: return "INSERT";
    case ChangeKind::kUpdate: return "UPDATE";
    default: return "DELETE";
  }
}

// Canal's event type of a table barrier (tiflow convertDdlEventType).
const char* BarrierTypeName(const RowChange& change) {
  if (change.kind == ChangeKind::kTruncate) return "TRUNCATE";
  if (change.schema_change == nullptr) return "QUERY";
  switch (change.schema_change->kind) {
    case SchemaChangeKind::kCreateTable: return "CREATE";
    case SchemaChangeKind::kAlterTable: return "ALTER";
    case SchemaChangeKind::kRenameTable: return "RENAME";
    case SchemaChangeKind::kDropTable: return "ERASE";
  }
  return "QUERY";
}

// {"id":0,"database":...,"table":...,"pkNames": — the common head of every message.
void AppendHead(std::string_view database, std::string_view table, std::string& out) {
  out += "{\"id\":0,\"database\":";
  json_text::AppendGoJsonString(database, out);
  out += ",\"table\":";
  json_text::AppendGoJsonString(table, out);
  out += ",\"pkNames\":";
}

void AppendTimes(int64_t es_ms, int64_t ts_ms, std::string& out) {
  out += ",\"es\":";
  json_text::AppendInt(es_ms, out);
  out += ",\"ts\":";
  json_text::AppendInt(ts_ms, out);
}

void AppendPosition(const SourcePosition& position, std::string& out) {
  out.push_back('"');
  if (!position.file.empty()) {
    std::string name;
    json_text::AppendGoJsonString(position.file.str(), name);
    out.append(name, 1, name.size() - 2);
    out.push_back(':');
  }
  json_text::AppendUInt(position.offset, out);
  out.push_back('"');
}

// The milliseconds of a microsecond time, rounded down (also before the epoch).
int64_t Millis(int64_t micros) {
  return micros >= 0 ? micros / 1000 : -((-micros + 999) / 1000);
}

}  // namespace

int64_t SystemWallClockMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Status CanalJsonOptions::Validate() const {
  if (extension_block.empty()) {
    return Status::InvalidArgument(
        "canal-json extension_block: empty; name the extension block's field (\"_cdc\")");
  }
  for (std::string_view field : kFields) {
    if (extension_block == field) {
      return Status::InvalidArgument(fmt::format(
          "canal-json extension_block: \"{}\" is a canal-json field; choose another name, such "
          "as \"_cdc\"",
          extension_block));
    }
  }
  for (char c : extension_block) {
    if (static_cast<unsigned char>(c) < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' ||
        c == '&' || static_cast<unsigned char>(c) >= 0x80) {
      return Status::InvalidArgument(fmt::format(
          "canal-json extension_block: \"{}\" holds a character JSON escapes; use letters, "
          "digits and '_'",
          extension_block));
    }
  }
  return Status::Ok();
}

CanalJsonEncoder::CanalJsonEncoder(CanalJsonOptions options, WallClockMillis now)
    : options_(std::move(options)), now_(std::move(now)) {
  CDC_ASSERT(options_.Validate().ok());
  CDC_ASSERT(now_ != nullptr);
}

Result<EncodedMessage> CanalJsonEncoder::Encode(const RowChange& change) const {
  if (IsTableBarrier(change.kind)) return EncodeTableBarrier(change);
  return EncodeRow(change, RowMode::kFull, {});
}

Result<EncodedMessage> CanalJsonEncoder::EncodeHandleKeyOnly(const RowChange& change) const {
  return EncodeRow(change, RowMode::kHandleKeyOnly, {});
}

Result<EncodedMessage> CanalJsonEncoder::EncodeClaimCheckReference(
    const RowChange& change, std::string_view location) const {
  return EncodeRow(change, RowMode::kClaimCheck, location);
}

void CanalJsonEncoder::AppendExtension(const SourcePosition& position, RowMode mode,
                                       std::string_view location, std::string& out) const {
  out += ",\"";
  out += options_.extension_block;
  out += "\":{\"commitPosition\":";
  AppendPosition(position, out);
  if (!position.gtid.empty()) {
    out += ",\"gtid\":";
    json_text::AppendGoJsonString(position.gtid.str(), out);
  }
  if (mode == RowMode::kHandleKeyOnly) out += ",\"onlyHandleKey\":true";
  if (mode == RowMode::kClaimCheck) {
    out += ",\"claimCheckLocation\":";
    json_text::AppendGoJsonString(location, out);
  }
  out.push_back('}');
}

Result<EncodedMessage> CanalJsonEncoder::EncodeRow(const RowChange& change, RowMode mode,
                                                   std::string_view location) const {
  const TableSchema* schema = change.table;
  if (schema == nullptr) {
    return Status::InvalidArgument(fmt::format("canal-json: a {} at {} has no table schema",
                                               ChangeKindName(change.kind),
                                               change.position.ToString()));
  }
  const std::vector<ColumnSchema>& columns = schema->columns();
  const Row& image = change.image();
  const bool images_fit =
      image.size() == columns.size() &&
      (change.kind != ChangeKind::kUpdate || change.before.size() == columns.size());
  if (!images_fit) {
    return Status::InvalidArgument(
        fmt::format("canal-json: {} of {} at {}: the image has {} values, the table {} columns",
                    ChangeKindName(change.kind), schema->id().ToString(),
                    change.position.ToString(), image.size(), columns.size()));
  }
  // The columns written, in table order: all, or the handle key's.
  std::vector<size_t> key_columns;
  if (mode != RowMode::kFull) {
    if (!options_.enable_extension) {
      return Status::InvalidArgument(fmt::format(
          "canal-json: a handle-key-only or claim-check message of {} needs the extension block "
          "(enable_extension) to carry its marker",
          schema->id().ToString()));
    }
    if (!schema->has_key()) {
      return Status::InvalidArgument(fmt::format(
          "canal-json: {} has no primary key or NOT NULL unique key, so a message of its key "
          "alone cannot identify the row; raise the message size limit for it",
          schema->id().ToString()));
    }
    key_columns = schema->key().columns;
    std::sort(key_columns.begin(), key_columns.end());
  }
  auto written = [&](size_t i) {
    return mode == RowMode::kFull || std::binary_search(key_columns.begin(), key_columns.end(), i);
  };

  EncodedMessage message;
  std::string& out = message.value;
  out.reserve(256 + columns.size() * 48);
  std::string scratch;
  AppendHead(schema->id().database, schema->id().table, out);
  if (schema->primary_key().empty()) {
    out += "null";
  } else {
    out.push_back('[');
    for (size_t k = 0; k < schema->primary_key().size(); ++k) {
      if (k > 0) out.push_back(',');
      json_text::AppendGoJsonString(columns[schema->primary_key()[k]].name, out);
    }
    out.push_back(']');
  }
  out += ",\"isDdl\":false,\"type\":\"";
  out += RowTypeName(change.kind);
  out.push_back('"');
  AppendTimes(Millis(change.commit_time_us), now_(), out);
  out += ",\"sql\":\"\",\"sqlType\":{";
  bool first = true;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (!written(i)) continue;
    if (!first) out.push_back(',');
    first = false;
    json_text::AppendGoJsonString(columns[i].name, out);
    out.push_back(':');
    json_text::AppendInt(CanalJavaSqlType(columns[i], image[i]), out);
  }
  out += "},\"mysqlType\":{";
  first = true;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (!written(i)) continue;
    if (!first) out.push_back(',');
    first = false;
    json_text::AppendGoJsonString(columns[i].name, out);
    out += ":\"";
    AppendCanalMysqlType(columns[i], out);
    out.push_back('"');
  }
  auto append_row = [&](const Row& row, const Row* other) {
    out += "[{";
    bool first_cell = true;
    for (size_t i = 0; i < columns.size(); ++i) {
      if (!written(i)) continue;
      if (other != nullptr && (*other)[i] == row[i]) continue;  // unchanged: not in `old`
      if (!first_cell) out.push_back(',');
      first_cell = false;
      json_text::AppendGoJsonString(columns[i].name, out);
      out.push_back(':');
      AppendCanalJsonValue(row[i], columns[i], scratch, out);
    }
    out += "}]";
  };
  out += "},\"data\":";
  append_row(image, nullptr);
  out += ",\"old\":";
  if (change.kind == ChangeKind::kUpdate) {
    append_row(change.before, options_.only_output_updated_columns ? &change.after : nullptr);
  } else {
    out += "null";
  }
  if (options_.enable_extension) AppendExtension(change.position, mode, location, out);
  out.push_back('}');
  return message;
}

Result<EncodedMessage> CanalJsonEncoder::EncodeTableBarrier(const RowChange& change) const {
  if (change.table == nullptr) {
    return Status::InvalidArgument(fmt::format("canal-json: a {} at {} has no table schema",
                                               ChangeKindName(change.kind),
                                               change.position.ToString()));
  }
  const TableId& id = change.table->id();
  EncodedMessage message;
  std::string& out = message.value;
  AppendHead(id.database, id.table, out);
  out += "null,\"isDdl\":true,\"type\":\"";
  out += BarrierTypeName(change);
  out.push_back('"');
  AppendTimes(Millis(change.commit_time_us), now_(), out);
  out += ",\"sql\":";
  if (change.kind == ChangeKind::kTruncate || change.schema_change == nullptr) {
    json_text::AppendGoJsonString("TRUNCATE TABLE " + id.Quoted(), out);
  } else {
    json_text::AppendGoJsonString(change.schema_change->statement, out);
  }
  out += ",\"sqlType\":null,\"mysqlType\":null,\"data\":null,\"old\":null";
  if (options_.enable_extension) AppendExtension(change.position, RowMode::kFull, {}, out);
  out.push_back('}');
  return message;
}

Result<EncodedMessage> CanalJsonEncoder::EncodeWatermark(const SourcePosition& position,
                                                         int64_t commit_time_us) const {
  if (!options_.enable_extension) {
    return Status::InvalidArgument(
        "canal-json: watermark messages need the extension block (enable_extension), as "
        "TiCDC sends TIDB_WATERMARK only with enable-tidb-extension");
  }
  EncodedMessage message;
  std::string& out = message.value;
  AppendHead("", "", out);
  out += "null,\"isDdl\":false,\"type\":\"TIDB_WATERMARK\"";
  AppendTimes(Millis(commit_time_us), now_(), out);
  out += ",\"sql\":\"\",\"sqlType\":null,\"mysqlType\":null,\"data\":null,\"old\":null,\"";
  out += options_.extension_block;
  out += "\":{\"watermarkPosition\":";
  AppendPosition(position, out);
  if (!position.gtid.empty()) {
    out += ",\"gtid\":";
    json_text::AppendGoJsonString(position.gtid.str(), out);
  }
  out += "}}";
  return message;
}

}  // namespace cdc
