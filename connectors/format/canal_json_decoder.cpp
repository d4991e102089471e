#include "connectors/format/canal_json_decoder.h"

#include <memory>
#include <optional>
#include <utility>

#include <fmt/format.h>

#include "connectors/format/canal_json_value.h"
#include "connectors/format/json_document.h"
#include "connectors/format/json_value_text.h"

namespace cdc {
namespace {

Status Malformed(std::string_view what) {
  return Status::InvalidArgument(fmt::format("canal-json: {}", what));
}

std::string_view Excerpt(std::string_view text) {
  return text.substr(0, std::min<size_t>(text.size(), 80));
}

// The string member `name` of `root`; "" when absent or null.
Result<std::string> StringField(const JsonNode& root, std::string_view name) {
  const JsonNode* node = root.Find(name);
  if (node == nullptr || node->is_null()) return std::string();
  if (node->type != JsonNode::Type::kString) {
    return Malformed(fmt::format("\"{}\" is {}, not a string", name, node->TypeName()));
  }
  return node->text;
}

// The one row object of `data` or `old` ([{...}]); null when the field is null or absent.
Result<const JsonNode*> RowField(const JsonNode& root, std::string_view name,
                                 const TableId& table) {
  const JsonNode* node = root.Find(name);
  if (node == nullptr || node->is_null()) return static_cast<const JsonNode*>(nullptr);
  if (node->type != JsonNode::Type::kArray || node->items.size() != 1 ||
      node->items[0].type != JsonNode::Type::kObject) {
    return Malformed(
        fmt::format("{}: \"{}\" is not an array of one row object", table.ToString(), name));
  }
  return &node->items[0];
}

// The row a `data` / `old` object stands for, in schema order. A column absent from `row` takes
// `fallback`'s value (an `old` with only the changed columns), else NULL when `absent_is_null`
// (a handle-key-only message), else is an error.
Result<Row> ReadRow(const JsonNode& row, const TableSchema& schema, const Row* fallback,
                    bool absent_is_null) {
  const std::vector<ColumnSchema>& columns = schema.columns();
  for (const auto& [name, value] : row.members) {
    bool known = false;
    for (const ColumnSchema& column : columns) known = known || column.name == name;
    if (!known) {
      return Malformed(fmt::format("{} has no column \"{}\" (the lookup's schema has {} columns)",
                                   schema.id().ToString(), name, columns.size()));
    }
  }
  Row out;
  out.reserve(columns.size());
  for (size_t i = 0; i < columns.size(); ++i) {
    const ColumnSchema& column = columns[i];
    const JsonNode* cell = row.Find(column.name);
    if (cell == nullptr) {
      if (fallback != nullptr) {
        out.push_back((*fallback)[i]);
        continue;
      }
      if (absent_is_null) {
        out.emplace_back();
        continue;
      }
      return Malformed(
          fmt::format("{}: the row has no column {}", schema.id().ToString(), column.name));
    }
    if (cell->is_null()) {
      out.emplace_back();
      continue;
    }
    if (cell->type != JsonNode::Type::kString && cell->type != JsonNode::Type::kNumber) {
      return Malformed(fmt::format("{} column {}: {} where a string was expected",
                                   schema.id().ToString(), column.name, cell->TypeName()));
    }
    std::optional<Value> value = ReadCanalJsonValue(cell->text, column);
    if (!value) {
      return Malformed(fmt::format("{} column {} ({}): \"{}\" is not a value of its type",
                                   schema.id().ToString(), column.name, column.SqlType(),
                                   Excerpt(cell->text)));
    }
    out.push_back(std::move(*value));
  }
  return out;
}

// The extension block: ours ("_cdc") or TiCDC's ("_tidb"); null when neither.
const JsonNode* Extension(const JsonNode& root) {
  const JsonNode* block = root.Find("_cdc");
  if (block == nullptr) block = root.Find("_tidb");
  return block != nullptr && block->type == JsonNode::Type::kObject ? block : nullptr;
}

Status ReadPositionInto(const JsonNode& block, std::string_view field, SourcePosition& position) {
  const JsonNode* text = block.Find(field);
  if (text != nullptr && !text->is_null()) {
    if (text->type != JsonNode::Type::kString ||
        !json_text::ReadFilePosition(text->text, position)) {
      return Malformed(fmt::format("\"{}\" is not \"file:offset\" or an offset", field));
    }
  }
  const JsonNode* gtid = block.Find("gtid");
  if (gtid != nullptr && gtid->type == JsonNode::Type::kString) {
    position.gtid = SourceGtid(gtid->text);
  }
  return Status::Ok();
}

std::optional<SchemaChangeKind> SchemaChangeKindOf(std::string_view type) {
  if (type == "CREATE") return SchemaChangeKind::kCreateTable;
  if (type == "RENAME") return SchemaChangeKind::kRenameTable;
  if (type == "ERASE") return SchemaChangeKind::kDropTable;
  if (type == "ALTER" || type == "CINDEX" || type == "DINDEX" || type == "QUERY") {
    return SchemaChangeKind::kAlterTable;
  }
  return std::nullopt;
}

}  // namespace

Result<CanalJsonMessage> CanalJsonDecoder::Read(std::string_view value) const {
  Result<JsonNode> parsed = ParseJsonDocument(value);
  if (!parsed.ok()) return parsed.status().WithContext("canal-json");
  const JsonNode& root = *parsed;
  if (root.type != JsonNode::Type::kObject) {
    return Malformed(fmt::format("the message is {}, not an object", root.TypeName()));
  }
  CanalJsonMessage message;
  Result<std::string> type = StringField(root, "type");
  if (!type.ok()) return type.status();
  const JsonNode* es = root.Find("es");
  int64_t es_ms = 0;
  if (es != nullptr && !es->is_null()) {
    auto ms = es->type == JsonNode::Type::kNumber ? json_text::ReadInt(es->text) : std::nullopt;
    if (!ms) return Malformed(fmt::format("\"es\" is not a number of milliseconds"));
    es_ms = *ms;
  }
  const JsonNode* block = Extension(root);
  if (*type == "TIDB_WATERMARK") {
    message.kind = CanalJsonMessage::Kind::kWatermark;
    message.watermark_time_us = es_ms * 1000;
    if (block != nullptr) {
      CDC_RETURN_IF_ERROR(ReadPositionInto(*block, "watermarkPosition", message.watermark));
    }
    return message;
  }

  Result<std::string> database = StringField(root, "database");
  if (!database.ok()) return database.status();
  Result<std::string> table_name = StringField(root, "table");
  if (!table_name.ok()) return table_name.status();
  const TableId id{*database, *table_name};
  if (id.table.empty()) {
    return Malformed(fmt::format(
        "a {} message of database `{}` names no table: a database-level statement has no table "
        "to apply to",
        *type, id.database));
  }
  TableSchemaPtr schema = lookup_(id);
  if (schema == nullptr) {
    return Malformed(fmt::format("the lookup knows no table {}", id.ToString()));
  }
  RowChange& change = message.change.change;
  change.table = schema.get();
  change.commit_time_us = es_ms * 1000;
  if (block != nullptr) {
    CDC_RETURN_IF_ERROR(ReadPositionInto(*block, "commitPosition", change.position));
    const JsonNode* only_key = block->Find("onlyHandleKey");
    message.only_handle_key =
        only_key != nullptr && only_key->type == JsonNode::Type::kBool && only_key->boolean;
    const JsonNode* location = block->Find("claimCheckLocation");
    if (location != nullptr && location->type == JsonNode::Type::kString) {
      message.claim_check_location = location->text;
    }
  }
  const JsonNode* is_ddl = root.Find("isDdl");
  if (is_ddl != nullptr && is_ddl->type == JsonNode::Type::kBool && is_ddl->boolean) {
    Result<std::string> sql = StringField(root, "sql");
    if (!sql.ok()) return sql.status();
    if (*type == "TRUNCATE") {
      change.kind = ChangeKind::kTruncate;
    } else {
      std::optional<SchemaChangeKind> kind = SchemaChangeKindOf(*type);
      if (!kind) {
        return Malformed(fmt::format("{}: \"{}\" is not a DDL event type", id.ToString(), *type));
      }
      auto schema_change = std::make_shared<SchemaChange>();
      schema_change->kind = *kind;
      schema_change->statement = *sql;
      change.kind = ChangeKind::kSchemaChange;
      change.schema_change = std::move(schema_change);
    }
    message.change.table = std::move(schema);
    return message;
  }

  if (*type == "INSERT") {
    change.kind = ChangeKind::kInsert;
  } else if (*type == "UPDATE") {
    change.kind = ChangeKind::kUpdate;
  } else if (*type == "DELETE") {
    change.kind = ChangeKind::kDelete;
  } else {
    return Malformed(fmt::format("{}: \"{}\" is not a row event type (INSERT, UPDATE, DELETE)",
                                 id.ToString(), *type));
  }
  const bool partial = message.only_handle_key || !message.claim_check_location.empty();
  Result<const JsonNode*> data = RowField(root, "data", id);
  if (!data.ok()) return data.status();
  if (*data == nullptr)
    return Malformed(fmt::format("{}: the {} has no \"data\"", id.ToString(), *type));
  Result<Row> row = ReadRow(**data, *schema, nullptr, partial);
  if (!row.ok()) return row.status();
  if (change.kind == ChangeKind::kDelete) {
    change.before = std::move(row).value();
  } else {
    change.after = std::move(row).value();
  }
  if (change.kind == ChangeKind::kUpdate) {
    Result<const JsonNode*> old = RowField(root, "old", id);
    if (!old.ok()) return old.status();
    if (*old == nullptr) {
      return Malformed(fmt::format("{}: the UPDATE has no \"old\"", id.ToString()));
    }
    Result<Row> before = ReadRow(**old, *schema, &change.after, partial);
    if (!before.ok()) return before.status();
    change.before = std::move(before).value();
  }
  message.change.table = std::move(schema);
  return message;
}

Result<DecodedChange> CanalJsonDecoder::Decode(std::string_view /*key*/,
                                               std::string_view value) const {
  Result<CanalJsonMessage> message = Read(value);
  if (!message.ok()) return message.status();
  if (message->kind == CanalJsonMessage::Kind::kWatermark) {
    return Malformed(
        "a TIDB_WATERMARK message marks progress and carries no change; read it with "
        "CanalJsonDecoder::Read");
  }
  const std::string table = message->change.table->id().ToString();
  if (!message->claim_check_location.empty()) {
    return Malformed(fmt::format(
        "{}: a claim-check reference; the whole message is stored at \"{}\" (read that with "
        "CanalJsonDecoder::Read)",
        table, message->claim_check_location));
  }
  if (message->only_handle_key) {
    return Malformed(fmt::format(
        "{}: a handle-key-only message (the change was too large to send) holds only the key "
        "columns; read the row from the source by its key (CanalJsonDecoder::Read gives it)",
        table));
  }
  return std::move(message).value().change;
}

}  // namespace cdc
