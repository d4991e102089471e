#include "connectors/mysql/sink/mysql_schema_change_sql.h"

#include <fmt/format.h>

#include <type_traits>

#include "connectors/mysql/client/sql_literal.h"
#include "connectors/mysql/sink/mysql_table_ddl.h"
#include "runtime/ascii.h"
#include "schema/character_set.h"

namespace cdc {
namespace {

std::string Position(const ColumnPosition& position) {
  switch (position.placement) {
    case ColumnPlacement::kDefault: return "";
    case ColumnPlacement::kFirst: return " FIRST";
    case ColumnPlacement::kAfter: return " AFTER " + QuoteIdentifier(position.after);
  }
  return "";
}

const ColumnSchema* FindColumn(const TableSchema* schema, std::string_view name) {
  if (schema == nullptr) return nullptr;
  auto position = schema->FindColumn(name);
  return position ? &schema->columns()[*position] : nullptr;
}

std::string IndexPartsSql(const IndexDefinition& index) {
  std::string sql = "(";
  for (size_t i = 0; i < index.parts.size(); ++i) {
    const IndexPart& part = index.parts[i];
    if (i > 0) sql += ", ";
    if (part.column.empty()) {
      sql += part.expression;
    } else {
      sql += QuoteIdentifier(part.column);
      if (part.prefix_length != 0) sql += fmt::format("({})", part.prefix_length);
    }
    if (part.descending) sql += " DESC";
  }
  return sql + ")";
}

class AlterTranslator {
 public:
  AlterTranslator(const SchemaChange& change, SchemaChangeBehavior behavior,
                  const TargetNaming& naming, TargetSchemaSql& out)
      : change_(change), behavior_(behavior), naming_(naming), out_(out) {}

  Status Translate() {
    for (const AlterClause& clause : change_.clauses) {
      CDC_RETURN_IF_ERROR(std::visit([this](const auto& c) { return Add(c); }, clause));
    }
    TableId from = naming_.target_of(change_.before->id());
    TableId to = naming_.target_of(change_.after->id());
    if (from != to) clauses_.push_back("RENAME TO " + to.Quoted());
    if (clauses_.empty()) return Status::Ok();
    std::string sql = "ALTER TABLE " + from.Quoted() + " ";
    for (size_t i = 0; i < clauses_.size(); ++i) sql += (i > 0 ? ", " : "") + clauses_[i];
    out_.statements.push_back(std::move(sql));
    return Status::Ok();
  }

 private:
  bool lenient() const { return behavior_ == SchemaChangeBehavior::kLenient; }
  // A column as its schema has it, with its DEFAULT, ON UPDATE and COMMENT.
  std::string ColumnSql(const ColumnSchema& column, bool nullable) const {
    return TargetColumnSql(column, nullable, naming_.mariadb);
  }
  // A column the statement defines: the after-schema's type with the clause's own DEFAULT,
  // ON UPDATE and COMMENT. A later clause of the statement may change the default, but the rows
  // the table holds take this one (ADD COLUMN fills them with it). A generated column is a plain
  // column on the target, without its expression's default.
  std::string ColumnSql(const ColumnSchema& column, const ColumnDefinition& definition,
                        bool nullable) const {
    ColumnSchema defined = column;
    defined.default_value = definition.generated_as ? std::nullopt : definition.default_value;
    defined.on_update = definition.generated_as ? std::nullopt : definition.on_update;
    defined.comment = definition.comment.value_or("");
    return TargetColumnSql(defined, nullable, naming_.mariadb);
  }
  // A renamed column: the after-schema's type with the attributes it had before the statement.
  std::string RenamedColumnSql(const ColumnSchema& column, std::string_view old_name,
                               bool nullable) const {
    ColumnSchema renamed = column;
    if (const ColumnSchema* old = FindColumn(change_.before.get(), old_name)) {
      renamed.default_value = old->default_value;
      renamed.on_update = old->on_update;
      renamed.comment = old->comment;
    }
    return TargetColumnSql(renamed, nullable, naming_.mariadb);
  }
  std::string IfExists() const { return naming_.mariadb ? "IF EXISTS " : ""; }
  std::string IfNotExists() const { return naming_.mariadb ? "IF NOT EXISTS " : ""; }

  Result<const ColumnSchema*> After(std::string_view name) const {
    const ColumnSchema* column = FindColumn(change_.after.get(), name);
    if (column != nullptr) return column;
    return Status::InvalidArgument(
        fmt::format("translating '{}' for the target: {} has no column '{}' after the statement",
                    change_.statement, change_.after->id().ToString(), name));
  }

  void Note(const std::string& what) {
    out_.note += (out_.note.empty() ? "" : "; ") + what;  // the target keeps more columns: rows fit
  }

  // Lenient: the old column stays, nullable, so no row loses a value.
  void KeepNullable(std::string_view name) {
    const ColumnSchema* old = FindColumn(change_.before.get(), name);
    if (old == nullptr) return;
    Note(fmt::format("lenient: column '{}' is kept on the target", name));
    if (old->nullable) return;
    clauses_.push_back("MODIFY COLUMN " + IfExists() + ColumnSql(*old, true));
  }

  Status Add(const AddColumn& c) {
    auto column = After(c.definition.column.name);
    if (!column.ok()) return column.status();
    bool nullable = (*column)->nullable || lenient();
    clauses_.push_back("ADD COLUMN " + IfNotExists() + ColumnSql(**column, c.definition, nullable) +
                       Position(c.position));
    return Status::Ok();
  }
  Status Add(const DropColumn& c) {
    if (lenient()) {
      KeepNullable(c.name);
      return Status::Ok();
    }
    clauses_.push_back("DROP COLUMN " + IfExists() + QuoteIdentifier(c.name));
    return Status::Ok();
  }
  Status Add(const ModifyColumn& c) {
    auto column = After(c.definition.column.name);
    if (!column.ok()) return column.status();
    clauses_.push_back("MODIFY COLUMN " + IfExists() +
                       ColumnSql(**column, c.definition, (*column)->nullable) +
                       Position(c.position));
    return Status::Ok();
  }
  Status Add(const ChangeColumn& c) {
    auto column = After(c.definition.column.name);
    if (!column.ok()) return column.status();
    bool renames = AsciiLower(c.old_name) != AsciiLower(c.definition.column.name);
    if (renames && lenient()) {
      KeepNullable(c.old_name);
      clauses_.push_back("ADD COLUMN " + IfNotExists() + ColumnSql(**column, c.definition, true) +
                         Position(c.position));
      return Status::Ok();
    }
    clauses_.push_back("CHANGE COLUMN " + IfExists() + QuoteIdentifier(c.old_name) + " " +
                       ColumnSql(**column, c.definition, (*column)->nullable) +
                       Position(c.position));
    return Status::Ok();
  }
  Status Add(const RenameColumn& c) {
    auto column = After(c.new_name);
    if (!column.ok()) return column.status();
    if (lenient()) {
      KeepNullable(c.old_name);
      clauses_.push_back("ADD COLUMN " + IfNotExists() +
                         RenamedColumnSql(**column, c.old_name, true));
      return Status::Ok();
    }
    // CHANGE works on every MySQL and MariaDB version (RENAME COLUMN needs 8.0 / 10.5).
    clauses_.push_back("CHANGE COLUMN " + IfExists() + QuoteIdentifier(c.old_name) + " " +
                       RenamedColumnSql(**column, c.old_name, (*column)->nullable));
    return Status::Ok();
  }
  Status Add(const AlterColumnDefault& c) {
    std::string sql = "ALTER COLUMN " + QuoteIdentifier(c.column);
    sql += c.default_value ? " SET DEFAULT " + *c.default_value : " DROP DEFAULT";
    clauses_.push_back(std::move(sql));
    return Status::Ok();
  }
  Status Add(const AddIndex& c) {
    const IndexDefinition& index = c.index;
    std::string name = index.name.empty() ? "" : QuoteIdentifier(index.name) + " ";
    switch (index.kind) {
      case IndexKind::kPrimary:
        clauses_.push_back("ADD PRIMARY KEY " + IndexPartsSql(index));
        break;
      case IndexKind::kUnique: {
        // With logical deletes only the row key stays unique (mysql_table_ddl.h).
        std::vector<std::string> columns;
        for (const auto& part : index.parts) columns.push_back(part.column);
        bool unique = !naming_.logical(change_.after->id()).enabled ||
                      LogicalDeleteKeepsUnique(*change_.after, columns);
        if (!unique) {
          Note(fmt::format("logical deletes: unique index {}is added as a plain index",
                           name.empty() ? "" : name));
        }
        clauses_.push_back((unique ? "ADD UNIQUE INDEX " : "ADD INDEX ") +
                           (name.empty() ? "" : IfNotExists() + name) + IndexPartsSql(index));
        break;
      }
      case IndexKind::kPlain:
        clauses_.push_back("ADD INDEX " + (name.empty() ? "" : IfNotExists() + name) +
                           IndexPartsSql(index));
        break;
      case IndexKind::kFulltext:
        clauses_.push_back("ADD FULLTEXT INDEX " + (name.empty() ? "" : IfNotExists() + name) +
                           IndexPartsSql(index));
        break;
      case IndexKind::kSpatial:
        clauses_.push_back("ADD SPATIAL INDEX " + (name.empty() ? "" : IfNotExists() + name) +
                           IndexPartsSql(index));
        break;
    }
    return Status::Ok();
  }
  Status Add(const DropIndex& c) {
    clauses_.push_back("DROP INDEX " + IfExists() + QuoteIdentifier(c.name));
    return Status::Ok();
  }
  Status Add(const DropPrimaryKey&) {
    clauses_.push_back("DROP PRIMARY KEY");
    return Status::Ok();
  }
  Status Add(const DropConstraint& c) {
    // Only unique keys reach the target (foreign keys and checks stay as the target has them).
    for (const IndexSchema& index : change_.before->unique_keys()) {
      if (AsciiLower(index.name) == AsciiLower(c.name)) {
        clauses_.push_back("DROP INDEX " + IfExists() + QuoteIdentifier(c.name));
      }
    }
    return Status::Ok();
  }
  Status Add(const RenameIndex& c) {
    clauses_.push_back("RENAME INDEX " + QuoteIdentifier(c.old_name) + " TO " +
                       QuoteIdentifier(c.new_name));
    return Status::Ok();
  }
  Status Add(const RenameTo&) { return Status::Ok(); }  // after the clauses: RENAME TO target
  Status Add(const ConvertToCharset&) {
    // Each text column as the after-schema has it: exact even for CHARACTER SET DEFAULT,
    // whose meaning (the source database's default) the target may not share.
    for (const ColumnSchema& column : change_.after->columns()) {
      const ColumnSchema* old = FindColumn(change_.before.get(), column.name);
      if (old != nullptr && *old == column) continue;
      clauses_.push_back("MODIFY COLUMN " + ColumnSql(column, column.nullable));
    }
    DefaultCollation();
    return Status::Ok();
  }
  // The table's default character set and collation as the after-schema has them (exact even
  // for CHARSET DEFAULT, whose meaning, the source database's default, the target may not share).
  void DefaultCollation() {
    const std::string& collation = change_.after->default_collation();
    if (collation.empty() || default_collation_set_) return;
    default_collation_set_ = true;
    clauses_.push_back("DEFAULT CHARACTER SET " + CharsetOfCollation(collation) + " COLLATE " +
                       collation);
  }
  Status Add(const ChangeTableOptions& c) {
    if (!c.options.charset.empty() || !c.options.collation.empty()) DefaultCollation();
    if (c.options.comment) {
      std::string sql = "COMMENT ";
      AppendQuoted(*c.options.comment, sql);
      clauses_.push_back(std::move(sql));
    }
    return Status::Ok();  // ENGINE and the rest are the target's choice
  }
  Status Add(const NeutralAlterClause&) { return Status::Ok(); }

  const SchemaChange& change_;
  SchemaChangeBehavior behavior_;
  const TargetNaming& naming_;
  TargetSchemaSql& out_;
  std::vector<std::string> clauses_;
  bool default_collation_set_ = false;
};

}  // namespace

bool IsAlreadyDoneDdlError(unsigned error) {
  switch (error) {
    case 1050:
    case 1051:
    case 1146:
    case 1060:
    case 1061:
    case 1091:
    case 1068: return true;
    default: return false;
  }
}

Result<TargetSchemaSql> TranslateSchemaChange(const SchemaChange& change,
                                              SchemaChangeBehavior behavior,
                                              const TargetNaming& naming) {
  TargetSchemaSql out;
  bool ignore = behavior == SchemaChangeBehavior::kIgnore;
  switch (change.kind) {
    case SchemaChangeKind::kCreateTable: {
      TableId target = naming.target_of(change.after->id());
      out.databases.push_back(target.database);
      out.statements.push_back(CreateTableSql(*change.after, target,
                                              naming.logical(change.after->id()), naming.mariadb));
      return out;
    }
    case SchemaChangeKind::kDropTable: {
      TableId target = naming.target_of(change.before->id());
      if (ignore || behavior == SchemaChangeBehavior::kLenient) {
        out.note = fmt::format("{}: table {} is kept on the target",
                               SchemaChangeBehaviorName(behavior), target.ToString());
        return out;
      }
      LogicalDeleteColumns logical = naming.logical(change.before->id());
      if (logical.enabled) {
        // Logical deletes keep every row: the rows are marked deleted, the table stays.
        std::string sql =
            "UPDATE " + target.Quoted() + " SET " + QuoteIdentifier(logical.flag_column) + " = 1";
        if (!logical.time_column.empty())
          sql += ", " + QuoteIdentifier(logical.time_column) + " = NOW(6)";
        sql += " WHERE " + QuoteIdentifier(logical.flag_column) + " = 0";
        out.statements.push_back(std::move(sql));
        out.note =
            fmt::format("logical deletes: the rows of {} are marked deleted and the table is kept",
                        target.ToString());
        return out;
      }
      out.statements.push_back("DROP TABLE IF EXISTS " + target.Quoted());
      if (change.drops_database) out.drop_database_if_empty = target.database;
      return out;
    }
    case SchemaChangeKind::kRenameTable: {
      if (ignore) {
        out.note = "ignore: the rename is not applied to the target";
        out.diverges = true;
        return out;
      }
      std::string sql;
      for (const TableRenameStep& step : change.renames) {
        TableId from = naming.target_of(step.from->id());
        TableId to = naming.target_of(step.to->id());
        if (from == to) continue;
        sql += (sql.empty() ? "RENAME TABLE " : ", ") + from.Quoted() + " TO " + to.Quoted();
        if (from.database != to.database) out.databases.push_back(to.database);
      }
      if (!sql.empty()) out.statements.push_back(std::move(sql));
      return out;
    }
    case SchemaChangeKind::kAlterTable: {
      if (ignore) {
        out.note = "ignore: the change is not applied to the target";
        out.diverges = true;
        return out;
      }
      AlterTranslator translator(change, behavior, naming, out);
      CDC_RETURN_IF_ERROR(translator.Translate());
      return out;
    }
  }
  return out;
}

}  // namespace cdc
