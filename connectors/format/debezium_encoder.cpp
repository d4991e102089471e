#include "connectors/format/debezium_encoder.h"

#include <chrono>
#include <utility>

#include <fmt/format.h>

#include "connectors/format/debezium_value.h"
#include "runtime/json_string.h"
#include "schema/character_set.h"

namespace cdc {
namespace {

// The fields of the source block's schema before and after its name, as Debezium 3.5's
// MariaDB connector writes them (the fixture); the MySQL connector's has the same fields.
constexpr std::string_view kSourceFields =
    "{\"type\":\"struct\",\"fields\":[{\"type\":\"string\",\"optional\":false,\"field\":"
    "\"version\"},{\"type\":\"string\",\"optional\":false,\"field\":\"connector\"},{\"type\":"
    "\"string\",\"optional\":false,\"field\":\"name\"},{\"type\":\"int64\",\"optional\":false,"
    "\"field\":\"ts_ms\"},{\"type\":\"string\",\"optional\":true,\"name\":\"io.debezium.data."
    "Enum\",\"version\":1,\"parameters\":{\"allowed\":\"true,first,first_in_data_collection,"
    "last_in_data_collection,last,false,incremental\"},\"default\":\"false\",\"field\":"
    "\"snapshot\"},{\"type\":\"string\",\"optional\":false,\"field\":\"db\"},{\"type\":"
    "\"string\",\"optional\":true,\"field\":\"sequence\"},{\"type\":\"int64\",\"optional\":"
    "true,\"field\":\"ts_us\"},{\"type\":\"int64\",\"optional\":true,\"field\":\"ts_ns\"},{"
    "\"type\":\"string\",\"optional\":true,\"field\":\"table\"},{\"type\":\"int64\","
    "\"optional\":false,\"field\":\"server_id\"},{\"type\":\"string\",\"optional\":true,"
    "\"field\":\"gtid\"},{\"type\":\"string\",\"optional\":false,\"field\":\"file\"},{\"type\":"
    "\"int64\",\"optional\":false,\"field\":\"pos\"},{\"type\":\"int32\",\"optional\":false,"
    "\"field\":\"row\"},{\"type\":\"int64\",\"optional\":true,\"field\":\"thread\"},{\"type\":"
    "\"string\",\"optional\":true,\"field\":\"query\"}],\"optional\":false,\"name\":\"";
constexpr std::string_view kEnvelopeTail =
    "{\"type\":\"struct\",\"fields\":[{\"type\":\"string\",\"optional\":false,\"field\":\"id\"},"
    "{\"type\":\"int64\",\"optional\":false,\"field\":\"total_order\"},{\"type\":\"int64\","
    "\"optional\":false,\"field\":\"data_collection_order\"}],\"optional\":true,\"name\":"
    "\"event.block\",\"version\":1,\"field\":\"transaction\"},{\"type\":\"string\",\"optional\":"
    "false,\"field\":\"op\"},{\"type\":\"int64\",\"optional\":true,\"field\":\"ts_ms\"},{"
    "\"type\":\"int64\",\"optional\":true,\"field\":\"ts_us\"},{\"type\":\"int64\",\"optional\":"
    "true,\"field\":\"ts_ns\"}],\"optional\":false,\"name\":";
constexpr std::string_view kSchemaChangeFields =
    "{\"type\":\"int64\",\"optional\":false,\"field\":\"ts_ms\"},{\"type\":\"string\","
    "\"optional\":true,\"field\":\"databaseName\"},{\"type\":\"string\",\"optional\":true,"
    "\"field\":\"schemaName\"},{\"type\":\"string\",\"optional\":true,\"field\":\"ddl\"},{"
    "\"type\":\"array\",\"items\":{\"type\":\"struct\",\"fields\":[{\"type\":\"string\","
    "\"optional\":false,\"field\":\"type\"},{\"type\":\"string\",\"optional\":false,\"field\":"
    "\"id\"},{\"type\":\"struct\",\"fields\":[{\"type\":\"string\",\"optional\":true,\"field\":"
    "\"defaultCharsetName\"},{\"type\":\"array\",\"items\":{\"type\":\"string\",\"optional\":"
    "false},\"optional\":true,\"field\":\"primaryKeyColumnNames\"},{\"type\":\"array\","
    "\"items\":{\"type\":\"struct\",\"fields\":[{\"type\":\"string\",\"optional\":false,"
    "\"field\":\"name\"},{\"type\":\"int32\",\"optional\":false,\"field\":\"jdbcType\"},{"
    "\"type\":\"int32\",\"optional\":true,\"field\":\"nativeType\"},{\"type\":\"string\","
    "\"optional\":false,\"field\":\"typeName\"},{\"type\":\"string\",\"optional\":true,"
    "\"field\":\"typeExpression\"},{\"type\":\"string\",\"optional\":true,\"field\":"
    "\"charsetName\"},{\"type\":\"int32\",\"optional\":true,\"field\":\"length\"},{\"type\":"
    "\"int32\",\"optional\":true,\"field\":\"scale\"},{\"type\":\"int32\",\"optional\":false,"
    "\"field\":\"position\"},{\"type\":\"boolean\",\"optional\":true,\"field\":\"optional\"},{"
    "\"type\":\"boolean\",\"optional\":true,\"field\":\"autoIncremented\"},{\"type\":"
    "\"boolean\",\"optional\":true,\"field\":\"generated\"},{\"type\":\"string\",\"optional\":"
    "true,\"field\":\"comment\"},{\"type\":\"string\",\"optional\":true,\"field\":"
    "\"defaultValueExpression\"},{\"type\":\"array\",\"items\":{\"type\":\"string\","
    "\"optional\":false},\"optional\":true,\"field\":\"enumValues\"}],\"optional\":false,"
    "\"name\":\"io.debezium.connector.schema.Column\",\"version\":1},\"optional\":false,"
    "\"field\":\"columns\"},{\"type\":\"string\",\"optional\":true,\"field\":\"comment\"}],"
    "\"optional\":true,\"name\":\"io.debezium.connector.schema.Table\",\"version\":1,"
    "\"field\":\"table\"}],\"optional\":false,\"name\":\"io.debezium.connector.schema.Change\","
    "\"version\":1},\"optional\":false,\"field\":\"tableChanges\"}],\"optional\":false,"
    "\"name\":\"io.debezium.connector.";

template <typename T>
void AppendNumber(T number, std::string& out) {
  out += fmt::format("{}", number);
}

// "{prefix}.{db}.{table}.{suffix}" as a JSON string.
void AppendSchemaName(const DebeziumOptions& options, const TableId& table, const char* suffix,
                      std::string& out) {
  AppendJsonString(
      fmt::format("{}.{}.{}.{}", options.topic_prefix, table.database, table.table, suffix), out);
}

bool IsSnapshotRow(const RowChange& change) {
  return change.kind == ChangeKind::kInsert && change.position.index == 0 &&
         change.position.server_id == 0;
}

const char* OpOf(const RowChange& change) {
  switch (change.kind) {
    case ChangeKind::kInsert: return IsSnapshotRow(change) ? "r" : "c";
    case ChangeKind::kUpdate: return "u";
    case ChangeKind::kDelete: return "d";
    default: return "t";
  }
}

Status AppendRow(const TableSchema& table, const Row& row, const DebeziumOptions& options,
                 std::string& out) {
  if (row.size() != table.columns().size()) {
    return Status::InvalidArgument(fmt::format("debezium: a row of {} has {} values for {} columns",
                                               table.id().ToString(), row.size(),
                                               table.columns().size()));
  }
  out.push_back('{');
  for (size_t i = 0; i < row.size(); ++i) {
    const ColumnSchema& column = table.columns()[i];
    if (i > 0) out.push_back(',');
    AppendJsonString(column.name, out);
    out.push_back(':');
    Status status = AppendDebeziumValue(column, row[i], options, out);
    if (!status.ok()) {
      return Status::InvalidArgument(
          fmt::format("{} (table {})", status.message(), table.id().ToString()));
    }
  }
  out.push_back('}');
  return Status::Ok();
}

void AppendRowSchema(const TableSchema& table, const DebeziumOptions& options, const char* field,
                     std::string& out) {
  out += "{\"type\":\"struct\",\"fields\":[";
  for (size_t i = 0; i < table.columns().size(); ++i) {
    if (i > 0) out.push_back(',');
    const ColumnSchema& column = table.columns()[i];
    AppendDebeziumFieldSchema(column, column.nullable, options, out);
  }
  out += "],\"optional\":true,\"name\":";
  AppendSchemaName(options, table.id(), "Value", out);
  out += ",\"field\":\"";
  out += field;
  out += "\"}";
}

// java.sql.Types of a column, as Debezium's MySQL DDL parser gives them.
int JdbcType(const ColumnSchema& column) {
  switch (column.type) {
    case ColumnType::kTinyInt:
    case ColumnType::kSmallInt: return 5;
    case ColumnType::kMediumInt:
    case ColumnType::kInt:
    case ColumnType::kYear: return 4;
    case ColumnType::kBigInt: return -5;
    case ColumnType::kFloat: return 6;
    case ColumnType::kDouble: return 8;
    case ColumnType::kDecimal: return 3;
    case ColumnType::kBit: return -7;
    case ColumnType::kDate: return 91;
    case ColumnType::kTime: return 92;
    case ColumnType::kDateTime: return 93;
    case ColumnType::kTimestamp: return 2014;
    case ColumnType::kChar:
    case ColumnType::kEnum:
    case ColumnType::kSet: return 1;
    case ColumnType::kBinary: return -2;
    case ColumnType::kVarBinary: return -3;
    case ColumnType::kTinyBlob:
    case ColumnType::kBlob:
    case ColumnType::kMediumBlob:
    case ColumnType::kLongBlob: return 2004;
    case ColumnType::kGeometry: return 1111;
    default: return 12;  // VARCHAR, *TEXT, JSON
  }
}

// The length Debezium's DDL parser gives a column: integer display widths, character and byte
// lengths, DECIMAL precision, BIT width, fractional seconds; 0 for none.
uint32_t ColumnLength(const ColumnSchema& column) {
  const bool u = column.is_unsigned;
  switch (column.type) {
    case ColumnType::kTinyInt: return u ? 3 : 4;
    case ColumnType::kSmallInt: return u ? 5 : 6;
    case ColumnType::kMediumInt: return u ? 8 : 9;
    case ColumnType::kInt: return u ? 10 : 11;
    case ColumnType::kBigInt: return 20;
    case ColumnType::kYear: return 4;
    case ColumnType::kDecimal: return column.precision;
    case ColumnType::kTime:
    case ColumnType::kDateTime:
    case ColumnType::kTimestamp: return column.fsp;
    case ColumnType::kBit:
    case ColumnType::kChar:
    case ColumnType::kVarChar:
    case ColumnType::kBinary:
    case ColumnType::kVarBinary: return column.length;
    default: return 0;
  }
}

void AppendNullableString(std::string_view text, std::string& out) {
  if (text.empty()) {
    out += "null";
  } else {
    AppendJsonString(text, out);
  }
}

void AppendTableChange(const char* type, const TableSchema& table, bool with_table,
                       std::string& out) {
  out += "{\"type\":\"";
  out += type;
  out += "\",\"id\":";
  AppendJsonString(fmt::format("\"{}\".\"{}\"", table.id().database, table.id().table), out);
  out += ",\"table\":";
  if (!with_table) {
    out += "null}";
    return;
  }
  const std::string table_charset =
      table.default_collation().empty() ? "" : CharsetOfCollation(table.default_collation());
  out += "{\"defaultCharsetName\":";
  AppendNullableString(table_charset, out);
  out += ",\"primaryKeyColumnNames\":[";
  for (size_t i = 0; i < table.primary_key().size(); ++i) {
    if (i > 0) out.push_back(',');
    AppendJsonString(table.columns()[table.primary_key()[i]].name, out);
  }
  out += "],\"columns\":[";
  for (size_t i = 0; i < table.columns().size(); ++i) {
    const ColumnSchema& column = table.columns()[i];
    if (i > 0) out.push_back(',');
    std::string type_name = ColumnTypeName(column.type);
    for (char& c : type_name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (column.is_unsigned) type_name += " UNSIGNED";
    const bool texty = IsTextType(column.type) || column.type == ColumnType::kEnum ||
                       column.type == ColumnType::kSet || column.type == ColumnType::kJson;
    std::string charset;
    if (texty) {
      charset = column.collation.empty() ? table_charset : CharsetOfCollation(column.collation);
    }
    out += "{\"name\":";
    AppendJsonString(column.name, out);
    out += fmt::format(",\"jdbcType\":{},\"nativeType\":null,\"typeName\":", JdbcType(column));
    AppendJsonString(type_name, out);
    out += ",\"typeExpression\":";
    AppendJsonString(type_name, out);
    out += ",\"charsetName\":";
    AppendNullableString(charset, out);
    const uint32_t length = ColumnLength(column);
    out += ",\"length\":";
    out += length == 0 ? std::string("null") : std::to_string(length);
    out += ",\"scale\":";
    out += column.type == ColumnType::kDecimal ? std::to_string(column.scale) : "null";
    out += fmt::format(
        ",\"position\":{},\"optional\":{},\"autoIncremented\":false,"
        "\"generated\":false,\"comment\":",
        i + 1, column.nullable);
    AppendNullableString(column.comment, out);
    out += ",\"defaultValueExpression\":";
    AppendNullableString(column.default_value.value_or(""), out);
    out += ",\"enumValues\":";
    if (column.labels.empty()) {
      out += "null";
    } else {
      out.push_back('[');
      for (size_t k = 0; k < column.labels.size(); ++k) {
        if (k > 0) out.push_back(',');
        std::string quoted = "'";
        for (char c : column.labels[k]) quoted += c == '\'' ? std::string("''") : std::string(1, c);
        quoted += "'";
        AppendJsonString(quoted, out);
      }
      out.push_back(']');
    }
    out.push_back('}');
  }
  out += "],\"comment\":";
  AppendNullableString(table.comment(), out);
  out += "}}";
}

}  // namespace

DebeziumEncoder::DebeziumEncoder(DebeziumOptions options) : options_(std::move(options)) {
  source_schema_ = std::string(kSourceFields) + "io.debezium.connector." + options_.connector +
                   ".Source\",\"version\":1,\"field\":\"source\"}";
}

int64_t DebeziumEncoder::NowMicros() const {
  if (options_.now_us) return options_.now_us();
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void DebeziumEncoder::AppendSource(const RowChange& change, bool snapshot, std::string& out) const {
  const SourcePosition& position = change.position;
  const int64_t micros = change.commit_time_us != 0 ? change.commit_time_us : NowMicros();
  out += "{\"version\":";
  AppendJsonString(options_.version, out);
  out += ",\"connector\":";
  AppendJsonString(options_.connector, out);
  out += ",\"name\":";
  AppendJsonString(options_.topic_prefix, out);
  out += fmt::format(",\"ts_ms\":{},\"snapshot\":\"{}\",\"db\":", micros / 1000,
                     snapshot ? "true" : "false");
  AppendJsonString(change.table != nullptr ? change.table->id().database : "", out);
  out +=
      fmt::format(",\"sequence\":null,\"ts_us\":{},\"ts_ns\":{},\"table\":", micros, micros * 1000);
  if (change.table != nullptr) {
    AppendJsonString(change.table->id().table, out);
  } else {
    out += "null";
  }
  out += fmt::format(",\"server_id\":{},\"gtid\":", position.server_id);
  if (position.gtid.str().empty()) {
    out += "null";
  } else {
    AppendJsonString(position.gtid.str(), out);
  }
  out += ",\"file\":";
  AppendJsonString(position.file.str(), out);
  out += fmt::format(",\"pos\":{},\"row\":{},\"thread\":null,\"query\":null}}", position.offset,
                     position.index > 0 ? position.index - 1 : 0);
}

void DebeziumEncoder::AppendSourceSchema(std::string& out) const {
  out += source_schema_;
}

Result<EncodedMessage> DebeziumEncoder::Encode(const RowChange& change) const {
  if (change.kind == ChangeKind::kSchemaChange) return EncodeSchemaChange(change);
  if (change.table == nullptr) {
    return Status::InvalidArgument(fmt::format(
        "debezium: a {} change has no table schema; the format needs the table's columns",
        ChangeKindName(change.kind)));
  }
  const TableSchema& table = *change.table;
  EncodedMessage message;
  const bool schema = options_.include_schema;

  // The key: the primary key's columns of the row's current image.
  if (change.kind != ChangeKind::kTruncate && !table.primary_key().empty()) {
    std::string& key = message.key;
    if (schema) {
      key += "{\"schema\":{\"type\":\"struct\",\"fields\":[";
      for (size_t i = 0; i < table.primary_key().size(); ++i) {
        if (i > 0) key.push_back(',');
        AppendDebeziumFieldSchema(table.columns()[table.primary_key()[i]], false, options_, key);
      }
      key += "],\"optional\":false,\"name\":";
      AppendSchemaName(options_, table.id(), "Key", key);
      key += "},\"payload\":";
    }
    const Row& image = change.image();
    key.push_back('{');
    for (size_t i = 0; i < table.primary_key().size(); ++i) {
      const size_t column = table.primary_key()[i];
      if (i > 0) key.push_back(',');
      AppendJsonString(table.columns()[column].name, key);
      key.push_back(':');
      if (column >= image.size()) {
        return Status::InvalidArgument(fmt::format("debezium: a {} of {} has no key value",
                                                   ChangeKindName(change.kind),
                                                   table.id().ToString()));
      }
      CDC_RETURN_IF_ERROR(
          AppendDebeziumValue(table.columns()[column], image[column], options_, key));
    }
    key.push_back('}');
    if (schema) key.push_back('}');
  }

  std::string& out = message.value;
  out.reserve(512 + table.columns().size() * (schema ? 160 : 40));
  if (schema) {
    out += "{\"schema\":{\"type\":\"struct\",\"fields\":[";
    AppendRowSchema(table, options_, "before", out);
    out.push_back(',');
    AppendRowSchema(table, options_, "after", out);
    out.push_back(',');
    AppendSourceSchema(out);
    out.push_back(',');
    out += kEnvelopeTail;
    AppendSchemaName(options_, table.id(), "Envelope", out);
    out += ",\"version\":2},\"payload\":";
  }
  out += "{\"before\":";
  if (change.kind == ChangeKind::kUpdate || change.kind == ChangeKind::kDelete) {
    CDC_RETURN_IF_ERROR(AppendRow(table, change.before, options_, out));
  } else {
    out += "null";
  }
  out += ",\"after\":";
  if (change.kind == ChangeKind::kInsert || change.kind == ChangeKind::kUpdate) {
    CDC_RETURN_IF_ERROR(AppendRow(table, change.after, options_, out));
  } else {
    out += "null";
  }
  out += ",\"source\":";
  AppendSource(change, IsSnapshotRow(change), out);
  const int64_t now = NowMicros();
  out += fmt::format(",\"transaction\":null,\"op\":\"{}\",\"ts_ms\":{},\"ts_us\":{},\"ts_ns\":{}}}",
                     OpOf(change), now / 1000, now, now * 1000);
  if (schema) out.push_back('}');
  return message;
}

EncodedMessage DebeziumEncoder::EncodeTombstone(const RowChange& change) const {
  RowChange keyed;
  keyed.kind = ChangeKind::kDelete;
  keyed.table = change.table;
  keyed.before = change.before;
  auto message = Encode(keyed);
  EncodedMessage tombstone;
  if (message.ok()) tombstone.key = std::move(message->key);
  tombstone.tombstone = true;
  return tombstone;
}

std::vector<EncodedMessage> DebeziumEncoder::Trailing(const RowChange& change) const {
  if (!options_.tombstones_on_delete || change.kind != ChangeKind::kDelete ||
      change.table == nullptr || !change.table->has_key()) {
    return {};
  }
  return {EncodeTombstone(change)};
}

Result<EncodedMessage> DebeziumEncoder::EncodeSchemaChange(const RowChange& change) const {
  if (change.kind != ChangeKind::kSchemaChange || change.schema_change == nullptr ||
      change.table == nullptr) {
    return Status::InvalidArgument(
        "debezium: EncodeSchemaChange needs a schema change with its table's schema");
  }
  const SchemaChange& schema_change = *change.schema_change;
  const TableSchema& table = *change.table;
  const bool schema = options_.include_schema;
  EncodedMessage message;
  if (schema) {
    message.key =
        "{\"schema\":{\"type\":\"struct\",\"fields\":[{\"type\":\"string\",\"optional\":false,"
        "\"field\":\"databaseName\"}],\"optional\":false,\"name\":\"io.debezium.connector." +
        options_.connector + ".SchemaChangeKey\",\"version\":1},\"payload\":";
  }
  message.key += "{\"databaseName\":";
  AppendJsonString(table.id().database, message.key);
  message.key += schema ? "}}" : "}";

  std::string& out = message.value;
  if (schema) {
    out += "{\"schema\":{\"type\":\"struct\",\"fields\":[";
    AppendSourceSchema(out);
    out.push_back(',');
    out += kSchemaChangeFields;
    out += options_.connector;
    out += ".SchemaChangeValue\",\"version\":1},\"payload\":";
  }
  out += "{\"source\":";
  AppendSource(change, false, out);
  out += fmt::format(",\"ts_ms\":{},\"databaseName\":", NowMicros() / 1000);
  AppendJsonString(table.id().database, out);
  out += ",\"schemaName\":null,\"ddl\":";
  AppendJsonString(schema_change.statement, out);
  out += ",\"tableChanges\":[";
  switch (schema_change.kind) {
    case SchemaChangeKind::kCreateTable: AppendTableChange("CREATE", table, true, out); break;
    case SchemaChangeKind::kDropTable: AppendTableChange("DROP", table, false, out); break;
    default: AppendTableChange("ALTER", table, true, out); break;
  }
  out += "]}";
  if (schema) out.push_back('}');
  return message;
}

}  // namespace cdc
