#include "schema/schema_catalog.h"

#include <fmt/format.h>

#include <iterator>
#include <type_traits>

#include "schema/character_set.h"
#include "schema/ddl_apply.h"
#include "schema/ddl_parser.h"
#include "schema/table_schema_sql.h"

namespace cdc {
namespace {

// Save()'s lines hold no raw tab or newline: backslash, tab and newline are escaped.
std::string Escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\t')
      out += "\\t";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::string Unescape(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\' || i + 1 == text.size()) {
      out += text[i];
      continue;
    }
    char next = text[++i];
    out += next == 't' ? '\t' : next == 'n' ? '\n' : next;
  }
  return out;
}

}  // namespace

void SchemaCatalog::Put(TableSchemaPtr schema, std::string default_collation) {
  if (default_collation.empty()) default_collation = schema->default_collation();
  if (default_collation.empty()) {
    for (const ColumnSchema& column : schema->columns()) {
      if (IsTextType(column.type) && !column.collation.empty()) {
        default_collation = column.collation;
        break;
      }
    }
  }
  if (default_collation.empty()) default_collation = server_collation_;
  if (schema->default_collation() != default_collation) {
    schema = schema->WithDefaultCollation(std::move(default_collation));
  }
  TableId id = schema->id();
  tables_[id] = std::move(schema);
}

TableSchemaPtr SchemaCatalog::Find(const TableId& table) const {
  auto found = tables_.find(table);
  return found == tables_.end() ? nullptr : found->second;
}

std::string SchemaCatalog::DefaultOf(const TableId& table) const {
  TableSchemaPtr schema = Find(table);
  return schema != nullptr ? schema->default_collation() : DatabaseDefault(table.database);
}

std::string SchemaCatalog::DatabaseDefault(const std::string& database) const {
  auto found = database_collations_.find(database);
  return found != database_collations_.end() ? found->second : server_collation_;
}

Status SchemaCatalog::Apply(const DdlStatement& statement, std::vector<TableId>& named) {
  named.clear();
  return std::visit(
      [&](const auto& s) -> Status {
        using T = std::decay_t<decltype(s)>;
        if constexpr (std::is_same_v<T, CreateTable>) {
          named.push_back(s.table);
          if (s.temporary) return Status::Ok();  // temporary tables are not replicated
          if (s.if_not_exists && !s.or_replace && Find(s.table) != nullptr) return Status::Ok();
          auto collation = TableDefaultCollation(s.options, DatabaseDefault(s.table.database));
          if (!collation.ok()) return collation.status();
          auto schema = SchemaFromCreateTable(s, *collation);
          if (!schema.ok()) return schema.status();
          Put(*schema, *collation);
        } else if constexpr (std::is_same_v<T, CreateTableLike>) {
          named.push_back(s.table);
          TableSchemaPtr source = Find(s.source);
          if (source == nullptr || s.temporary) return Status::Ok();
          if (s.if_not_exists && !s.or_replace && Find(s.table) != nullptr) return Status::Ok();
          auto schema = RenamedSchema(*source, s.table);
          if (!schema.ok()) return schema.status();
          Put(*schema, DefaultOf(s.source));
        } else if constexpr (std::is_same_v<T, UnsupportedDdl>) {
          named.push_back(s.table);
        } else if constexpr (std::is_same_v<T, AlterTable>) {
          named.push_back(s.table);
          TableSchemaPtr before = Find(s.table);
          if (before == nullptr) return Status::Ok();
          std::string collation = DefaultOf(s.table);
          auto after = ApplyAlterTable(*before, s, collation);
          if (!after.ok()) return after.status();
          auto new_default = TableDefaultCollationAfter(s, collation);
          if (!new_default.ok()) return new_default.status();
          if ((*after)->id() != s.table) {  // RENAME TO
            named.push_back((*after)->id());
            tables_.erase(s.table);
          }
          Put(*after, *new_default);
        } else if constexpr (std::is_same_v<T, RenameTable>) {
          for (const TableRename& rename : s.renames) {  // in order: a -> tmp, b -> a, tmp -> b
            named.push_back(rename.from);
            named.push_back(rename.to);
            TableSchemaPtr from = Find(rename.from);
            if (from == nullptr) continue;
            auto renamed = RenamedSchema(*from, rename.to);
            if (!renamed.ok()) return renamed.status();
            std::string collation = DefaultOf(rename.from);
            tables_.erase(rename.from);
            Put(*renamed, collation);
          }
        } else if constexpr (std::is_same_v<T, DropTable>) {
          for (const TableId& table : s.tables) {
            named.push_back(table);
            if (s.temporary) continue;
            tables_.erase(table);
          }
        } else if constexpr (std::is_same_v<T, CreateDatabase>) {
          if (!s.collation.empty() && s.collation != "default") {
            database_collations_[s.database] = s.collation;
          } else if (!s.charset.empty() && s.charset != "default") {
            database_collations_[s.database] = DefaultCollationOfCharset(s.charset);
          }
        } else if constexpr (std::is_same_v<T, DropDatabase>) {
          for (auto it = tables_.begin(); it != tables_.end();) {
            if (it->first.database != s.database) {
              ++it;
              continue;
            }
            named.push_back(it->first);
            it = tables_.erase(it);
          }
          database_collations_.erase(s.database);
        }
        return Status::Ok();  // TRUNCATE, ALTER DATABASE and the rest change no schema
      },
      statement);
}

Status SchemaCatalog::Apply(const DdlStatement& statement, const std::string& sql,
                            std::vector<TableId>& named, std::vector<SchemaChange>& changes) {
  changes.clear();
  const std::map<TableId, TableSchemaPtr> before = tables_;  // shared pointers: cheap
  CDC_RETURN_IF_ERROR(Apply(statement, named));
  auto was = [&](const TableId& id) -> TableSchemaPtr {
    auto found = before.find(id);
    return found == before.end() ? nullptr : found->second;
  };
  auto add = [&](SchemaChangeKind kind, TableSchemaPtr old_schema, TableSchemaPtr new_schema) {
    SchemaChange change;
    change.kind = kind;
    change.before = std::move(old_schema);
    change.after = std::move(new_schema);
    change.statement = sql;
    changes.push_back(std::move(change));
    return &changes.back();
  };
  std::visit(
      [&](const auto& s) {
        using T = std::decay_t<decltype(s)>;
        if constexpr (std::is_same_v<T, CreateTable> || std::is_same_v<T, CreateTableLike>) {
          TableSchemaPtr now = Find(s.table);
          if (now != nullptr && now != was(s.table)) {
            // CREATE OR REPLACE of a table that existed drops it first. A plain CREATE of a
            // table the catalog holds means the catalog is ahead of the stream (read from the
            // server at start): no drop, the target keeps what it has.
            TableSchemaPtr replaced = was(s.table);
            if (replaced != nullptr && s.or_replace)
              add(SchemaChangeKind::kDropTable, replaced, nullptr);
            add(SchemaChangeKind::kCreateTable, nullptr, now);
          }
        } else if constexpr (std::is_same_v<T, AlterTable>) {
          TableSchemaPtr old_schema = was(s.table);
          if (old_schema == nullptr) return;
          TableSchemaPtr now = named.size() > 1 ? Find(named.back()) : Find(s.table);
          if (now == nullptr) return;
          add(SchemaChangeKind::kAlterTable, old_schema, now)->clauses = s.clauses;
        } else if constexpr (std::is_same_v<T, RenameTable>) {
          // Walk the pairs over a copy of the old catalog: a -> tmp, b -> a, tmp -> b.
          std::map<TableId, TableSchemaPtr> walk = before;
          SchemaChange change;
          change.kind = SchemaChangeKind::kRenameTable;
          change.statement = sql;
          for (const TableRename& rename : s.renames) {
            auto from = walk.find(rename.from);
            if (from == walk.end()) continue;
            auto renamed = RenamedSchema(*from->second, rename.to);
            if (!renamed.ok()) continue;  // Apply succeeded on the same pairs
            change.renames.push_back(TableRenameStep{from->second, *renamed});
            walk.erase(from);
            walk[rename.to] = *renamed;
          }
          // The catalog's schemas are the ones rows will carry: use them for each final name.
          for (TableRenameStep& step : change.renames) {
            TableSchemaPtr now = Find(step.to->id());
            if (now != nullptr && walk[step.to->id()] == step.to) step.to = now;
          }
          if (!change.renames.empty()) changes.push_back(std::move(change));
        } else if constexpr (std::is_same_v<T, DropTable>) {
          if (s.temporary) return;
          for (const TableId& table : s.tables) {
            if (TableSchemaPtr old_schema = was(table))
              add(SchemaChangeKind::kDropTable, old_schema, nullptr);
          }
        } else if constexpr (std::is_same_v<T, DropDatabase>) {
          for (const TableId& table : named) {
            if (TableSchemaPtr old_schema = was(table)) {
              add(SchemaChangeKind::kDropTable, old_schema, nullptr)->drops_database = true;
            }
          }
        }
      },
      statement);
  return Status::Ok();
}

std::vector<std::string> SchemaCatalog::Save() const {
  std::vector<std::string> lines;
  lines.push_back("server " + server_collation_);
  for (const auto& [database, collation] : database_collations_) {
    lines.push_back("database " + Escape(database) + " " + collation);
  }
  for (auto it = saved_.begin(); it != saved_.end();) {  // forget dropped tables
    it = tables_.count(it->first) == 0 ? saved_.erase(it) : std::next(it);
  }
  for (const auto& [id, schema] : tables_) {
    auto& [version, sql] = saved_[id];
    if (version != schema.get()) {
      version = schema.get();
      sql = Escape(CreateTableStatement(*schema));
    }
    lines.push_back("table " + sql);
  }
  return lines;
}

Result<SchemaCatalog> SchemaCatalog::Load(const std::vector<std::string>& lines) {
  SchemaCatalog catalog;
  for (const std::string& line : lines) {
    auto bad = [&](const std::string& why) {
      return Status::InvalidArgument(fmt::format("saved schema catalog line '{}': {}", line, why));
    };
    size_t space = line.find(' ');
    std::string kind = line.substr(0, space);
    std::string rest = space == std::string::npos ? "" : line.substr(space + 1);
    if (kind == "server") {
      catalog.server_collation_ = rest;
    } else if (kind == "database") {
      size_t last = rest.rfind(' ');  // collations have no spaces; names may
      if (last == std::string::npos) return bad("no collation");
      catalog.database_collations_[Unescape(rest.substr(0, last))] = rest.substr(last + 1);
    } else if (kind == "table") {
      auto statement = ParseDdl(Unescape(rest), "");
      if (!statement.ok()) return bad(statement.status().message());
      const auto* create = std::get_if<CreateTable>(&*statement);
      if (create == nullptr) return bad("not a CREATE TABLE");
      auto collation = TableDefaultCollation(create->options, catalog.server_collation_);
      if (!collation.ok()) return bad(collation.status().message());
      auto schema = SchemaFromCreateTable(*create, *collation);
      if (!schema.ok()) return bad(schema.status().message());
      catalog.Put(*schema, *collation);
    } else {
      return bad("unknown kind '" + kind + "'");
    }
  }
  return catalog;
}

}  // namespace cdc
