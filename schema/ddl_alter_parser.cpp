#include "schema/ddl_alter_parser.h"

#include <array>
#include <optional>
#include <string>
#include <utility>

#include "schema/ddl_definition_parser.h"

namespace cdc {

namespace {

bool AtPartitionClause(const DdlTokenCursor& cursor) {
  static constexpr std::array<std::string_view, 14> kPartitionVerbs = {
      "ADD",      "DROP",    "DISCARD", "IMPORT",   "TRUNCATE", "COALESCE", "REORGANIZE",
      "EXCHANGE", "ANALYZE", "CHECK",   "OPTIMIZE", "REBUILD",  "REPAIR",   "CONVERT"};
  if (cursor.IsKeywords({"PARTITION", "BY"}) || cursor.IsKeywords({"REMOVE", "PARTITIONING"}) ||
      cursor.IsKeywords({"UPGRADE", "PARTITIONING"}) || cursor.IsKeywords({"CONVERT", "TABLE"})) {
    return true;
  }
  for (std::string_view verb : kPartitionVerbs) {
    if (cursor.IsKeyword(verb) && cursor.IsKeyword("PARTITION", 1)) return true;
  }
  return false;
}

class AlterClauseParser {
 public:
  AlterClauseParser(DdlTokenCursor& cursor, std::string_view current_database)
      : cursor_(cursor), current_database_(current_database) {}

  Status ParseClauses(std::vector<AlterClause>& clauses) {
    if (!cursor_.AtEnd() && !cursor_.IsOperator(";")) {
      do {
        if (AtPartitionClause(cursor_)) break;
        CDC_RETURN_IF_ERROR(ParseAlterClause(clauses));
      } while (cursor_.AcceptOperator(","));
    }
    if (AtPartitionClause(cursor_)) {
      // Partition maintenance comes last and changes no column; it may contain commas.
      const size_t start = cursor_.position();
      while (!cursor_.AtEnd() && !cursor_.IsOperator(";")) cursor_.Next();
      clauses.push_back(NeutralAlterClause{cursor_.Text(start, cursor_.position())});
    }
    return Status::Ok();
  }

 private:
  Result<TableId> ExpectTable() { return cursor_.ExpectTableId(current_database_); }

  Result<ColumnPosition> ParseColumnPosition() {
    ColumnPosition position;
    if (cursor_.AcceptKeyword("FIRST")) {
      position.placement = ColumnPlacement::kFirst;
    } else if (cursor_.AcceptKeyword("AFTER")) {
      auto after = cursor_.ExpectIdentifier("a column name after AFTER");
      if (!after.ok()) return after.status();
      position.placement = ColumnPlacement::kAfter;
      position.after = std::move(after).value();
    }
    return position;
  }

  static void AppendInlineIndexes(std::vector<IndexDefinition>& indexes,
                                  std::vector<AlterClause>& clauses) {
    for (IndexDefinition& index : indexes) clauses.push_back(AddIndex{std::move(index), false});
  }

  // ADD [COLUMN] [IF NOT EXISTS] definition [FIRST | AFTER c], or ADD [COLUMN] (definition, ...)
  Status ParseAddColumns(std::vector<AlterClause>& clauses) {
    const bool if_not_exists = cursor_.AcceptKeywords({"IF", "NOT", "EXISTS"});
    const bool several = cursor_.AcceptOperator("(");
    do {
      if (several && AtTableConstraint(cursor_)) {
        auto constraint = ParseTableConstraint(cursor_);
        if (!constraint.ok()) return constraint.status();
        if (constraint->index) clauses.push_back(AddIndex{std::move(*constraint->index), false});
        continue;
      }
      std::vector<IndexDefinition> inline_indexes;
      auto definition = ParseColumnDefinition(cursor_, inline_indexes);
      if (!definition.ok()) return definition.status();
      AddColumn add{std::move(definition).value(), {}, if_not_exists};
      if (!several) {
        auto position = ParseColumnPosition();
        if (!position.ok()) return position.status();
        add.position = std::move(position).value();
      }
      clauses.push_back(std::move(add));
      AppendInlineIndexes(inline_indexes, clauses);
    } while (several && cursor_.AcceptOperator(","));
    if (several) CDC_RETURN_IF_ERROR(cursor_.ExpectOperator(")"));
    return Status::Ok();
  }

  // MODIFY / CHANGE [COLUMN] [IF EXISTS] [old_name] definition [FIRST | AFTER c].
  Status ParseRedefinition(bool change, std::vector<AlterClause>& clauses) {
    cursor_.AcceptKeyword("COLUMN");
    const bool if_exists = cursor_.AcceptKeywords({"IF", "EXISTS"});
    std::string old_name;
    if (change) {
      auto name = cursor_.ExpectIdentifier("the name of the column to change");
      if (!name.ok()) return name.status();
      old_name = std::move(name).value();
    }
    std::vector<IndexDefinition> inline_indexes;
    auto definition = ParseColumnDefinition(cursor_, inline_indexes);
    if (!definition.ok()) return definition.status();
    auto position = ParseColumnPosition();
    if (!position.ok()) return position.status();
    if (change) {
      clauses.push_back(ChangeColumn{std::move(old_name), std::move(definition).value(),
                                     std::move(position).value(), if_exists});
    } else {
      clauses.push_back(
          ModifyColumn{std::move(definition).value(), std::move(position).value(), if_exists});
    }
    AppendInlineIndexes(inline_indexes, clauses);
    return Status::Ok();
  }

  Result<std::string> ExpectName(std::string_view what) { return cursor_.ExpectIdentifier(what); }

  Status ParseDropClause(std::vector<AlterClause>& clauses, size_t start) {
    if (cursor_.AcceptKeywords({"PRIMARY", "KEY"})) {
      clauses.push_back(DropPrimaryKey{});
      return Status::Ok();
    }
    if (cursor_.AcceptKeyword("INDEX") || cursor_.AcceptKeyword("KEY")) {
      const bool if_exists = cursor_.AcceptKeywords({"IF", "EXISTS"});
      auto name = ExpectName("an index name");
      if (!name.ok()) return name.status();
      clauses.push_back(DropIndex{std::move(name).value(), if_exists});
      return Status::Ok();
    }
    if (cursor_.AcceptKeyword("CONSTRAINT")) {
      const bool if_exists = cursor_.AcceptKeywords({"IF", "EXISTS"});
      auto name = ExpectName("a constraint name");
      if (!name.ok()) return name.status();
      clauses.push_back(DropConstraint{std::move(name).value(), if_exists});
      return Status::Ok();
    }
    if (cursor_.AcceptKeywords({"FOREIGN", "KEY"}) || cursor_.AcceptKeyword("CHECK") ||
        cursor_.AcceptKeywords({"PERIOD", "FOR"})) {
      cursor_.AcceptKeywords({"IF", "EXISTS"});
      auto name = ExpectName("a constraint name");
      if (!name.ok()) return name.status();
      clauses.push_back(NeutralAlterClause{cursor_.Text(start, cursor_.position())});
      return Status::Ok();
    }
    if (cursor_.AcceptKeywords({"SYSTEM", "VERSIONING"})) {
      clauses.push_back(NeutralAlterClause{cursor_.Text(start, cursor_.position())});
      return Status::Ok();
    }
    cursor_.AcceptKeyword("COLUMN");
    const bool if_exists = cursor_.AcceptKeywords({"IF", "EXISTS"});
    auto name = ExpectName("a column name");
    if (!name.ok()) return name.status();
    if (!cursor_.AcceptKeyword("RESTRICT")) cursor_.AcceptKeyword("CASCADE");
    clauses.push_back(DropColumn{std::move(name).value(), if_exists});
    return Status::Ok();
  }

  Status ParseRenameClause(std::vector<AlterClause>& clauses) {
    if (cursor_.AcceptKeyword("COLUMN")) {
      const bool if_exists = cursor_.AcceptKeywords({"IF", "EXISTS"});
      auto old_name = ExpectName("a column name");
      if (!old_name.ok()) return old_name.status();
      CDC_RETURN_IF_ERROR(cursor_.ExpectKeyword("TO"));
      auto new_name = ExpectName("the column's new name");
      if (!new_name.ok()) return new_name.status();
      clauses.push_back(
          RenameColumn{std::move(old_name).value(), std::move(new_name).value(), if_exists});
      return Status::Ok();
    }
    if (cursor_.AcceptKeyword("INDEX") || cursor_.AcceptKeyword("KEY")) {
      auto old_name = ExpectName("an index name");
      if (!old_name.ok()) return old_name.status();
      CDC_RETURN_IF_ERROR(cursor_.ExpectKeyword("TO"));
      auto new_name = ExpectName("the index's new name");
      if (!new_name.ok()) return new_name.status();
      clauses.push_back(RenameIndex{std::move(old_name).value(), std::move(new_name).value()});
      return Status::Ok();
    }
    if (!cursor_.AcceptKeyword("TO")) cursor_.AcceptKeyword("AS");
    auto table = ExpectTable();
    if (!table.ok()) return table.status();
    clauses.push_back(RenameTo{std::move(table).value()});
    return Status::Ok();
  }

  // ALTER [COLUMN] c {SET DEFAULT v | DROP DEFAULT | SET [IN]VISIBLE}, ALTER INDEX ..., ALTER
  // CHECK.
  Status ParseAlterSubclause(std::vector<AlterClause>& clauses, size_t start) {
    if (cursor_.IsKeyword("INDEX") || cursor_.IsKeyword("KEY") || cursor_.IsKeyword("CHECK") ||
        cursor_.IsKeyword("CONSTRAINT")) {
      cursor_.SkipToClauseEnd();
      clauses.push_back(NeutralAlterClause{cursor_.Text(start, cursor_.position())});
      return Status::Ok();
    }
    cursor_.AcceptKeyword("COLUMN");
    cursor_.AcceptKeywords({"IF", "EXISTS"});
    auto column = ExpectName("a column name");
    if (!column.ok()) return column.status();
    if (cursor_.AcceptKeywords({"SET", "DEFAULT"})) {
      auto value = ParseDefaultValue(cursor_);
      if (!value.ok()) return value.status();
      clauses.push_back(AlterColumnDefault{std::move(column).value(), std::move(value).value()});
    } else if (cursor_.AcceptKeywords({"DROP", "DEFAULT"})) {
      clauses.push_back(AlterColumnDefault{std::move(column).value(), std::nullopt});
    } else if (cursor_.AcceptKeywords({"SET", "VISIBLE"}) ||
               cursor_.AcceptKeywords({"SET", "INVISIBLE"})) {
      clauses.push_back(NeutralAlterClause{cursor_.Text(start, cursor_.position())});
    } else {
      return cursor_.Error("SET DEFAULT, DROP DEFAULT, SET VISIBLE or SET INVISIBLE");
    }
    return Status::Ok();
  }

  Status ParseAlterClause(std::vector<AlterClause>& clauses) {
    const size_t start = cursor_.position();
    if (cursor_.AcceptKeyword("ADD")) {
      if (cursor_.AcceptKeywords({"SYSTEM", "VERSIONING"})) {
        clauses.push_back(NeutralAlterClause{cursor_.Text(start, cursor_.position())});
        return Status::Ok();
      }
      if (cursor_.AcceptKeyword("COLUMN") || !AtTableConstraint(cursor_)) {
        return ParseAddColumns(clauses);
      }
      auto constraint = ParseTableConstraint(cursor_);
      if (!constraint.ok()) return constraint.status();
      if (constraint->index) {
        clauses.push_back(AddIndex{std::move(*constraint->index), constraint->if_not_exists});
      } else {
        clauses.push_back(NeutralAlterClause{cursor_.Text(start, cursor_.position())});
      }
      return Status::Ok();
    }
    if (cursor_.AcceptKeyword("DROP")) return ParseDropClause(clauses, start);
    if (cursor_.AcceptKeyword("MODIFY")) return ParseRedefinition(false, clauses);
    if (cursor_.AcceptKeyword("CHANGE")) return ParseRedefinition(true, clauses);
    if (cursor_.AcceptKeyword("RENAME")) return ParseRenameClause(clauses);
    if (cursor_.AcceptKeyword("ALTER")) return ParseAlterSubclause(clauses, start);
    if (cursor_.AcceptKeywords({"CONVERT", "TO"})) {
      if (!cursor_.AcceptKeyword("CHARSET")) {
        CDC_RETURN_IF_ERROR(cursor_.ExpectKeyword("CHARACTER"));
        CDC_RETURN_IF_ERROR(cursor_.ExpectKeyword("SET"));
      }
      ConvertToCharset convert;
      auto charset = ParseCharsetName(cursor_);
      if (!charset.ok()) return charset.status();
      convert.charset = std::move(charset).value();
      if (cursor_.AcceptKeyword("COLLATE")) {
        auto collation = ParseCollationName(cursor_);
        if (!collation.ok()) return collation.status();
        convert.collation = std::move(collation).value();
      }
      clauses.push_back(std::move(convert));
      return Status::Ok();
    }
    if (cursor_.AcceptKeyword("ALGORITHM") || cursor_.AcceptKeyword("LOCK")) {
      CDC_RETURN_IF_ERROR(SkipOptionValue(cursor_));
      clauses.push_back(NeutralAlterClause{cursor_.Text(start, cursor_.position())});
      return Status::Ok();
    }
    if (cursor_.AcceptKeyword("FORCE") || cursor_.AcceptKeywords({"ENABLE", "KEYS"}) ||
        cursor_.AcceptKeywords({"DISABLE", "KEYS"}) ||
        cursor_.AcceptKeywords({"DISCARD", "TABLESPACE"}) ||
        cursor_.AcceptKeywords({"IMPORT", "TABLESPACE"}) ||
        cursor_.AcceptKeywords({"WITH", "VALIDATION"}) ||
        cursor_.AcceptKeywords({"WITHOUT", "VALIDATION"})) {
      cursor_.SkipToClauseEnd();
      clauses.push_back(NeutralAlterClause{cursor_.Text(start, cursor_.position())});
      return Status::Ok();
    }
    if (cursor_.AcceptKeywords({"ORDER", "BY"})) {
      CDC_RETURN_IF_ERROR(SkipOrderBy());
      clauses.push_back(NeutralAlterClause{cursor_.Text(start, cursor_.position())});
      return Status::Ok();
    }
    ChangeTableOptions change;
    auto options = ParseTableOptions(cursor_, change.options, false);
    if (!options.ok()) return options.status();
    if (*options) {
      clauses.push_back(std::move(change));
      return Status::Ok();
    }
    return cursor_.Error("an ALTER TABLE clause (ADD, DROP, MODIFY, CHANGE, RENAME, ...)");
  }

  // ORDER BY's columns: "a, b DESC" runs on over commas while a column name follows that ends
  // the statement or is followed by ASC, DESC or another ",".
  Status SkipOrderBy() {
    while (true) {
      auto column = cursor_.ExpectIdentifier("a column name");
      if (!column.ok()) return column.status();
      if (cursor_.AcceptOperator(".")) {
        auto qualified = cursor_.ExpectIdentifier("a column name");
        if (!qualified.ok()) return qualified.status();
      }
      if (!cursor_.AcceptKeyword("ASC")) cursor_.AcceptKeyword("DESC");
      const DdlToken& after = cursor_.Peek(2);
      const bool next_is_column =
          cursor_.IsOperator(",") && cursor_.Peek(1).kind != DdlTokenKind::kOperator &&
          (after.kind == DdlTokenKind::kEnd || after.IsOperator(",") || after.IsOperator(";") ||
           after.IsOperator(".") || after.IsKeyword("ASC") || after.IsKeyword("DESC"));
      if (!next_is_column) return Status::Ok();
      cursor_.Next();
    }
  }

  DdlTokenCursor& cursor_;
  std::string_view current_database_;
};

}  // namespace

Status ParseAlterClauses(DdlTokenCursor& cursor, std::string_view current_database,
                         std::vector<AlterClause>& clauses) {
  return AlterClauseParser(cursor, current_database).ParseClauses(clauses);
}

}  // namespace cdc
