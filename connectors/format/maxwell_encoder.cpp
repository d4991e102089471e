#include "connectors/format/maxwell_encoder.h"

#include <string>

#include <fmt/format.h>

#include "connectors/format/json_value_text.h"
#include "connectors/format/maxwell_value.h"
#include "runtime/ascii.h"
#include "schema/character_set.h"

namespace cdc {
namespace {

using json_text::AppendJacksonString;

// The commit time in whole units of `per_second`, rounded down (also before the epoch).
int64_t Floor(int64_t micros, int64_t divisor) {
  return micros >= 0 ? micros / divisor : -((-micros + divisor - 1) / divisor);
}

void AppendPosition(const SourcePosition& position, std::string& out) {
  std::string text = position.file.str();
  if (!text.empty()) text.push_back(':');
  json_text::AppendUInt(position.offset, text);
  AppendJacksonString(text, out);
}

// The key: {"database":..,"table":.., "pk.<col>": value...}.
std::string Key(const TableSchema& schema, const Row* row, std::string& scratch) {
  std::string key = "{\"database\":";
  AppendJacksonString(schema.id().database, key);
  key += ",\"table\":";
  AppendJacksonString(schema.id().table, key);
  if (row != nullptr) {
    for (size_t i : schema.primary_key()) {
      key.push_back(',');
      AppendJacksonString("pk." + AsciiLower(schema.columns()[i].name), key);
      key.push_back(':');
      AppendMaxwellValue((*row)[i], schema.columns()[i], scratch, key);
    }
  }
  key.push_back('}');
  return key;
}

// A table definition as Maxwell's "def" / "old" of a DDL message.
void AppendDefinition(const TableSchema& schema, std::string& out) {
  out += "{\"database\":";
  AppendJacksonString(schema.id().database, out);
  const std::string charset =
      schema.default_collation().empty() ? "" : CharsetOfCollation(schema.default_collation());
  if (!charset.empty()) {
    out += ",\"charset\":";
    AppendJacksonString(charset, out);
  }
  out += ",\"table\":";
  AppendJacksonString(schema.id().table, out);
  out += ",\"columns\":[";
  for (size_t i = 0; i < schema.columns().size(); ++i) {
    const ColumnSchema& column = schema.columns()[i];
    if (i > 0) out.push_back(',');
    out += "{\"type\":";
    AppendJacksonString(ColumnTypeName(column.type), out);
    out += ",\"name\":";
    AppendJacksonString(column.name, out);
    switch (column.type) {
      case ColumnType::kTinyInt:
      case ColumnType::kSmallInt:
      case ColumnType::kMediumInt:
      case ColumnType::kInt:
      case ColumnType::kBigInt:
        out += column.is_unsigned ? ",\"signed\":false" : ",\"signed\":true";
        break;
      case ColumnType::kTime:
      case ColumnType::kDateTime:
      case ColumnType::kTimestamp:
        if (column.fsp > 0) out += fmt::format(",\"column-length\":{}", column.fsp);
        break;
      case ColumnType::kEnum:
      case ColumnType::kSet:
        out += ",\"enum-values\":[";
        for (size_t k = 0; k < column.labels.size(); ++k) {
          if (k > 0) out.push_back(',');
          AppendJacksonString(column.labels[k], out);
        }
        out.push_back(']');
        break;
      default:
        if (IsTextType(column.type) && !column.collation.empty()) {
          out += ",\"charset\":";
          AppendJacksonString(CharsetOfCollation(column.collation), out);
        }
    }
    out.push_back('}');
  }
  out += "],\"primary-key\":[";
  for (size_t k = 0; k < schema.primary_key().size(); ++k) {
    if (k > 0) out.push_back(',');
    AppendJacksonString(schema.columns()[schema.primary_key()[k]].name, out);
  }
  out += "]}";
}

Status NoSchema(const RowChange& change) {
  return Status::InvalidArgument(fmt::format("maxwell: a {} at {} has no table schema",
                                             ChangeKindName(change.kind),
                                             change.position.ToString()));
}

}  // namespace

Result<EncodedMessage> MaxwellEncoder::Encode(const RowChange& change) const {
  if (IsTableBarrier(change.kind)) return EncodeTableBarrier(change);
  const TableSchema* schema = change.table;
  if (schema == nullptr) return NoSchema(change);
  const std::vector<ColumnSchema>& columns = schema->columns();
  const Row& row = change.image();
  if (row.size() != columns.size() ||
      (change.kind == ChangeKind::kUpdate && change.before.size() != columns.size())) {
    return Status::InvalidArgument(
        fmt::format("maxwell: {} of {} at {}: the image has {} values, the table {} columns",
                    ChangeKindName(change.kind), schema->id().ToString(),
                    change.position.ToString(), row.size(), columns.size()));
  }
  EncodedMessage message;
  std::string scratch;
  message.key = Key(*schema, &row, scratch);
  std::string& out = message.value;
  out.reserve(192 + columns.size() * 40);
  out += "{\"database\":";
  AppendJacksonString(schema->id().database, out);
  out += ",\"table\":";
  AppendJacksonString(schema->id().table, out);
  out += ",\"type\":\"";
  out += ChangeKindName(change.kind);  // "insert", "update", "delete"
  out += "\",\"ts\":";
  json_text::AppendInt(Floor(change.commit_time_us, 1000000), out);
  if (options_.output_commit_info && change.transaction_id != 0) {
    out += ",\"xid\":";
    json_text::AppendUInt(change.transaction_id, out);
  }
  if (options_.output_binlog_position) {
    out += ",\"position\":";
    AppendPosition(change.position, out);
  }
  if (options_.output_gtid_position && !change.position.gtid.empty()) {
    out += ",\"gtid\":";
    AppendJacksonString(change.position.gtid.str(), out);
  }
  if (options_.output_server_id && change.position.server_id != 0) {
    out += ",\"server_id\":";
    json_text::AppendUInt(change.position.server_id, out);
  }
  if (options_.output_primary_keys) {
    out += ",\"primary_key\":[";
    for (size_t k = 0; k < schema->primary_key().size(); ++k) {
      if (k > 0) out.push_back(',');
      const size_t i = schema->primary_key()[k];
      AppendMaxwellValue(row[i], columns[i], scratch, out);
    }
    out.push_back(']');
  }
  if (options_.output_primary_key_columns) {
    out += ",\"primary_key_columns\":[";
    for (size_t k = 0; k < schema->primary_key().size(); ++k) {
      if (k > 0) out.push_back(',');
      AppendJacksonString(columns[schema->primary_key()[k]].name, out);
    }
    out.push_back(']');
  }
  out += ",\"data\":{";
  bool first = true;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (row[i].is_null() && !options_.output_nulls) continue;
    if (!first) out.push_back(',');
    first = false;
    AppendJacksonString(columns[i].name, out);
    out.push_back(':');
    AppendMaxwellValue(row[i], columns[i], scratch, out);
  }
  out.push_back('}');
  if (change.kind == ChangeKind::kUpdate) {
    first = true;
    for (size_t i = 0; i < columns.size(); ++i) {
      if (change.before[i] == change.after[i]) continue;
      out += first ? ",\"old\":{" : ",";
      first = false;
      AppendJacksonString(columns[i].name, out);
      out.push_back(':');
      AppendMaxwellValue(change.before[i], columns[i], scratch, out);
    }
    if (!first) out.push_back('}');
  }
  out.push_back('}');
  return message;
}

Result<EncodedMessage> MaxwellEncoder::EncodeTableBarrier(const RowChange& change) const {
  const TableSchema* schema = change.table;
  if (schema == nullptr) return NoSchema(change);
  EncodedMessage message;
  std::string scratch;
  message.key = Key(*schema, nullptr, scratch);
  std::string& out = message.value;
  const SchemaChange* ddl = change.schema_change.get();
  const char* type = "truncate";
  if (change.kind == ChangeKind::kSchemaChange && ddl != nullptr) {
    switch (ddl->kind) {
      case SchemaChangeKind::kCreateTable: type = "table-create"; break;
      case SchemaChangeKind::kAlterTable:
      case SchemaChangeKind::kRenameTable: type = "table-alter"; break;
      case SchemaChangeKind::kDropTable: type = "table-drop"; break;
    }
  }
  out += "{\"type\":\"";
  out += type;
  out += "\",\"database\":";
  AppendJacksonString(schema->id().database, out);
  out += ",\"table\":";
  AppendJacksonString(schema->id().table, out);
  if (ddl != nullptr) {
    const TableSchema* before = ddl->before.get();
    const TableSchema* after = ddl->after.get();
    if (ddl->kind == SchemaChangeKind::kRenameTable && !ddl->renames.empty()) {
      before = ddl->renames.front().from.get();
      after = ddl->renames.back().to.get();
    }
    if (ddl->kind == SchemaChangeKind::kAlterTable || ddl->kind == SchemaChangeKind::kRenameTable) {
      if (before != nullptr) {
        out += ",\"old\":";
        AppendDefinition(*before, out);
      }
    }
    if (ddl->kind != SchemaChangeKind::kDropTable && after != nullptr) {
      out += ",\"def\":";
      AppendDefinition(*after, out);
    }
  }
  out += ",\"ts\":";
  json_text::AppendInt(Floor(change.commit_time_us, 1000), out);
  out += ",\"sql\":";
  AppendJacksonString(ddl != nullptr && change.kind == ChangeKind::kSchemaChange
                          ? ddl->statement
                          : "TRUNCATE TABLE " + schema->id().Quoted(),
                      out);
  if (options_.output_binlog_position) {
    out += ",\"position\":";
    AppendPosition(change.position, out);
  }
  if (options_.output_gtid_position && !change.position.gtid.empty()) {
    out += ",\"gtid\":";
    AppendJacksonString(change.position.gtid.str(), out);
  }
  out.push_back('}');
  return message;
}

}  // namespace cdc
