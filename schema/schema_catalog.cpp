#include "schema/schema_catalog.h"

#include <type_traits>

#include "schema/character_set.h"
#include "schema/ddl_apply.h"

namespace cdc {

void SchemaCatalog::Put(TableSchemaPtr schema, std::string default_collation) {
  if (default_collation.empty()) {
    for (const ColumnSchema& column : schema->columns()) {
      if (IsTextType(column.type) && !column.collation.empty()) {
        default_collation = column.collation;
        break;
      }
    }
  }
  TableId id = schema->id();
  default_collations_[id] = default_collation.empty() ? server_collation_ : default_collation;
  tables_[id] = std::move(schema);
}

TableSchemaPtr SchemaCatalog::Find(const TableId& table) const {
  auto found = tables_.find(table);
  return found == tables_.end() ? nullptr : found->second;
}

std::string SchemaCatalog::DefaultOf(const TableId& table) const {
  auto found = default_collations_.find(table);
  return found != default_collations_.end() ? found->second : DatabaseDefault(table.database);
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
          auto collation = TableDefaultCollation(s.options, DatabaseDefault(s.table.database));
          if (!collation.ok()) return collation.status();
          auto schema = SchemaFromCreateTable(s, *collation);
          if (!schema.ok()) return schema.status();
          Put(*schema, *collation);
        } else if constexpr (std::is_same_v<T, CreateTableLike>) {
          named.push_back(s.table);
          TableSchemaPtr source = Find(s.source);
          if (source == nullptr || s.temporary) return Status::Ok();
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
            default_collations_.erase(s.table);
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
            default_collations_.erase(rename.from);
            Put(*renamed, collation);
          }
        } else if constexpr (std::is_same_v<T, DropTable>) {
          for (const TableId& table : s.tables) {
            named.push_back(table);
            if (s.temporary) continue;
            tables_.erase(table);
            default_collations_.erase(table);
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
            default_collations_.erase(it->first);
            it = tables_.erase(it);
          }
          database_collations_.erase(s.database);
        }
        return Status::Ok();  // TRUNCATE, ALTER DATABASE and the rest change no schema
      },
      statement);
}

}  // namespace cdc
