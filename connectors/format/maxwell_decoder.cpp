#include "connectors/format/maxwell_decoder.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "connectors/format/json_document.h"
#include "connectors/format/json_value_text.h"
#include "connectors/format/maxwell_value.h"

namespace cdc {
namespace {

Status Malformed(std::string_view what) {
  return Status::InvalidArgument(fmt::format("maxwell: {}", what));
}

Result<std::string> StringField(const JsonNode& root, std::string_view name) {
  const JsonNode* node = root.Find(name);
  if (node == nullptr || node->is_null()) return std::string();
  if (node->type != JsonNode::Type::kString) {
    return Malformed(fmt::format("\"{}\" is {}, not a string", name, node->TypeName()));
  }
  return node->text;
}

// The number member `name` as T; nullopt when absent.
template <typename T>
Result<std::optional<T>> NumberField(const JsonNode& root, std::string_view name) {
  const JsonNode* node = root.Find(name);
  if (node == nullptr || node->is_null()) return std::optional<T>();
  std::optional<T> v;
  if (node->type == JsonNode::Type::kNumber) {
    if constexpr (std::is_signed_v<T>) {
      v = json_text::ReadInt(node->text);
    } else {
      v = json_text::ReadUInt(node->text);
    }
  }
  if (!v) return Malformed(fmt::format("\"{}\" is not a whole number", name));
  return v;
}

// The row of a `data` object over `base` (a copy of it, or all NULL when null): each member
// replaces its column's value.
Result<Row> ReadRow(const JsonNode& object, const TableSchema& schema, const Row* base) {
  const std::vector<ColumnSchema>& columns = schema.columns();
  Row row = base != nullptr ? *base : Row(columns.size());
  for (const auto& [name, node] : object.members) {
    size_t i = 0;
    while (i < columns.size() && columns[i].name != name) ++i;
    if (i == columns.size()) {
      return Malformed(fmt::format("{} has no column \"{}\" (the lookup's schema has {} columns)",
                                   schema.id().ToString(), name, columns.size()));
    }
    std::optional<Value> value = ReadMaxwellValue(node, columns[i]);
    if (!value) {
      std::string text = node.text;
      if (node.type != JsonNode::Type::kString && node.type != JsonNode::Type::kNumber) {
        text.clear();
        AppendMysqlJsonText(node, text);
      }
      return Malformed(fmt::format("{} column {} ({}): {} \"{}\" is not a value of its type",
                                   schema.id().ToString(), columns[i].name, columns[i].SqlType(),
                                   node.TypeName(), text.substr(0, 80)));
    }
    row[i] = std::move(*value);
  }
  return row;
}

Result<const JsonNode*> ObjectField(const JsonNode& root, std::string_view name) {
  const JsonNode* node = root.Find(name);
  if (node == nullptr || node->is_null()) return static_cast<const JsonNode*>(nullptr);
  if (node->type != JsonNode::Type::kObject) {
    return Malformed(fmt::format("\"{}\" is {}, not an object", name, node->TypeName()));
  }
  return node;
}

}  // namespace

Result<DecodedChange> MaxwellDecoder::Decode(std::string_view /*key*/,
                                             std::string_view value) const {
  Result<JsonNode> parsed = ParseJsonDocument(value);
  if (!parsed.ok()) return parsed.status().WithContext("maxwell");
  const JsonNode& root = *parsed;
  if (root.type != JsonNode::Type::kObject) {
    return Malformed(fmt::format("the message is {}, not an object", root.TypeName()));
  }
  Result<std::string> type = StringField(root, "type");
  if (!type.ok()) return type.status();
  Result<std::string> database = StringField(root, "database");
  if (!database.ok()) return database.status();
  Result<std::string> table_name = StringField(root, "table");
  if (!table_name.ok()) return table_name.status();
  if (type->starts_with("database-") || type->starts_with("bootstrap-start") ||
      type->starts_with("bootstrap-complete")) {
    return Malformed(
        fmt::format("a \"{}\" message of `{}` carries no change of a table", *type, *database));
  }
  const TableId id{*database, *table_name};
  TableSchemaPtr schema = lookup_(id);
  if (schema == nullptr)
    return Malformed(fmt::format("the lookup knows no table {}", id.ToString()));

  DecodedChange decoded;
  RowChange& change = decoded.change;
  change.table = schema.get();
  const JsonNode* position = root.Find("position");
  if (position != nullptr && !position->is_null()) {
    if (position->type != JsonNode::Type::kString ||
        !json_text::ReadFilePosition(position->text, change.position)) {
      return Malformed("\"position\" is not \"file:offset\"");
    }
  }
  Result<std::string> gtid = StringField(root, "gtid");
  if (!gtid.ok()) return gtid.status();
  if (!gtid->empty()) change.position.gtid = SourceGtid(*gtid);
  Result<std::optional<uint32_t>> server_id = NumberField<uint32_t>(root, "server_id");
  if (!server_id.ok()) return server_id.status();
  change.position.server_id = server_id->value_or(0);
  Result<std::optional<int64_t>> ts = NumberField<int64_t>(root, "ts");
  if (!ts.ok()) return ts.status();

  const bool ddl = type->starts_with("table-") || *type == "truncate";
  if (ddl) {
    change.commit_time_us = ts->value_or(0) * 1000;
    if (*type == "truncate") {
      change.kind = ChangeKind::kTruncate;
    } else {
      auto schema_change = std::make_shared<SchemaChange>();
      if (*type == "table-create") {
        schema_change->kind = SchemaChangeKind::kCreateTable;
      } else if (*type == "table-alter") {
        schema_change->kind = SchemaChangeKind::kAlterTable;
      } else if (*type == "table-drop") {
        schema_change->kind = SchemaChangeKind::kDropTable;
      } else {
        return Malformed(
            fmt::format("{}: \"{}\" is not a Maxwell message type", id.ToString(), *type));
      }
      Result<std::string> sql = StringField(root, "sql");
      if (!sql.ok()) return sql.status();
      schema_change->statement = *sql;
      change.kind = ChangeKind::kSchemaChange;
      change.schema_change = std::move(schema_change);
    }
    decoded.table = std::move(schema);
    return decoded;
  }

  change.commit_time_us = ts->value_or(0) * 1000000;
  Result<std::optional<uint64_t>> xid = NumberField<uint64_t>(root, "xid");
  if (!xid.ok()) return xid.status();
  change.transaction_id = xid->value_or(0);
  if (*type == "insert" || *type == "bootstrap-insert") {
    change.kind = ChangeKind::kInsert;
  } else if (*type == "update") {
    change.kind = ChangeKind::kUpdate;
  } else if (*type == "delete") {
    change.kind = ChangeKind::kDelete;
  } else {
    return Malformed(fmt::format("{}: \"{}\" is not a Maxwell message type", id.ToString(), *type));
  }
  Result<const JsonNode*> data = ObjectField(root, "data");
  if (!data.ok()) return data.status();
  if (*data == nullptr)
    return Malformed(fmt::format("{}: the {} has no \"data\"", id.ToString(), *type));
  Result<Row> row = ReadRow(**data, *schema, nullptr);
  if (!row.ok()) return row.status();
  if (change.kind == ChangeKind::kDelete) {
    change.before = std::move(row).value();
  } else {
    change.after = std::move(row).value();
  }
  if (change.kind == ChangeKind::kUpdate) {
    Result<const JsonNode*> old = ObjectField(root, "old");
    if (!old.ok()) return old.status();
    if (*old == nullptr) {
      change.before = change.after;  // an update that changed nothing
    } else {
      Result<Row> before = ReadRow(**old, *schema, &change.after);
      if (!before.ok()) return before.status();
      change.before = std::move(before).value();
    }
  }
  decoded.table = std::move(schema);
  return decoded;
}

}  // namespace cdc
