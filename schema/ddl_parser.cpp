#include "schema/ddl_parser.h"

#include <array>
#include <utility>

#include <fmt/format.h>

#include "schema/ddl_alter_parser.h"
#include "schema/ddl_definition_parser.h"
#include "schema/ddl_lexer.h"
#include "schema/ddl_token_cursor.h"

namespace cdc {

namespace {

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

// Statement kinds that are never schema changes, named in NotSchemaChange::verb.
constexpr std::array<std::string_view, 15> kOtherObjects = {
    "VIEW",   "TRIGGER", "PROCEDURE",  "FUNCTION", "EVENT",   "USER",     "ROLE",    "SEQUENCE",
    "SERVER", "LOGFILE", "TABLESPACE", "PACKAGE",  "SYNONYM", "RESOURCE", "INSTANCE"};

// True when the statement's leading keywords make it a schema change this parser handles.
bool IsSchemaChange(const DdlTokenCursor& cursor) {
  size_t i = 1;
  if (cursor.IsKeyword("CREATE")) {
    if (cursor.IsKeyword("OR", i) && cursor.IsKeyword("REPLACE", i + 1)) i += 2;
    if (cursor.IsKeyword("TEMPORARY", i)) ++i;
    if (cursor.IsKeyword("TABLE", i) || cursor.IsKeyword("DATABASE", i) ||
        cursor.IsKeyword("SCHEMA", i)) {
      return true;
    }
    if (cursor.IsKeyword("ONLINE", i) || cursor.IsKeyword("OFFLINE", i)) ++i;
    if (cursor.IsKeyword("UNIQUE", i) || cursor.IsKeyword("FULLTEXT", i) ||
        cursor.IsKeyword("SPATIAL", i)) {
      ++i;
    }
    return cursor.IsKeyword("INDEX", i);
  }
  if (cursor.IsKeyword("ALTER")) {
    if (cursor.IsKeyword("DATABASE", i) || cursor.IsKeyword("SCHEMA", i)) return true;
    if (cursor.IsKeyword("ONLINE", i) || cursor.IsKeyword("OFFLINE", i)) ++i;
    if (cursor.IsKeyword("IGNORE", i)) ++i;
    return cursor.IsKeyword("TABLE", i);
  }
  if (cursor.IsKeyword("DROP")) {
    if (cursor.IsKeyword("TEMPORARY", i)) ++i;
    if (cursor.IsKeyword("ONLINE", i) || cursor.IsKeyword("OFFLINE", i)) ++i;
    return cursor.IsKeyword("TABLE", i) || cursor.IsKeyword("TABLES", i) ||
           cursor.IsKeyword("DATABASE", i) || cursor.IsKeyword("SCHEMA", i) ||
           cursor.IsKeyword("INDEX", i);
  }
  if (cursor.IsKeyword("RENAME")) {
    return cursor.IsKeyword("TABLE", i) || cursor.IsKeyword("TABLES", i);
  }
  return cursor.IsKeyword("TRUNCATE");
}

// "GRANT", "CREATE VIEW", "INSERT": the leading keywords of a statement that is no schema change.
std::string StatementVerb(const DdlTokenCursor& cursor) {
  const DdlToken& first = cursor.Peek();
  if (first.kind != DdlTokenKind::kWord) return "";
  std::string verb = Upper(first.text);
  if (verb == "CREATE" || verb == "ALTER" || verb == "DROP" || verb == "RENAME") {
    for (size_t ahead = 1; ahead < 16 && cursor.Peek(ahead).kind != DdlTokenKind::kEnd; ++ahead) {
      for (std::string_view object : kOtherObjects) {
        if (cursor.IsKeyword(object, ahead)) return verb + " " + std::string(object);
      }
    }
  }
  return verb;
}

class StatementParser {
 public:
  StatementParser(DdlTokenCursor& cursor, std::string_view current_database)
      : cursor_(cursor), current_database_(current_database) {}

  Result<DdlStatement> Parse() {
    if (cursor_.IsKeyword("CREATE")) return ParseCreate();
    if (cursor_.IsKeyword("ALTER")) return ParseAlter();
    if (cursor_.IsKeyword("DROP")) return ParseDrop();
    if (cursor_.IsKeyword("RENAME")) return ParseRenameTable();
    return ParseTruncate();
  }

 private:
  Status ExpectStatementEnd() {
    cursor_.AcceptOperator(";");
    if (cursor_.AtEnd()) return Status::Ok();
    return cursor_.Error("the end of the statement");
  }

  Result<TableId> ExpectTable() { return cursor_.ExpectTableId(current_database_); }

  // WAIT n | NOWAIT (MariaDB lock wait options) after a table name.
  Status SkipLockWait() {
    if (cursor_.AcceptKeyword("NOWAIT")) return Status::Ok();
    if (!cursor_.AcceptKeyword("WAIT")) return Status::Ok();
    auto seconds = cursor_.ExpectNumber("seconds after WAIT");
    return seconds.ok() ? Status::Ok() : seconds.status();
  }

  Result<DdlStatement> ParseCreate() {
    cursor_.Next();
    const bool or_replace = cursor_.AcceptKeywords({"OR", "REPLACE"});
    const bool temporary = cursor_.AcceptKeyword("TEMPORARY");
    if (cursor_.AcceptKeyword("TABLE")) return ParseCreateTable(or_replace, temporary);
    if (cursor_.AcceptKeyword("DATABASE") || cursor_.AcceptKeyword("SCHEMA")) {
      return ParseCreateDatabase(or_replace);
    }
    return ParseCreateIndex(or_replace);
  }

  Result<DdlStatement> ParseCreateTable(bool or_replace, bool temporary) {
    CreateTable create;
    create.or_replace = or_replace;
    create.temporary = temporary;
    create.if_not_exists = cursor_.AcceptKeywords({"IF", "NOT", "EXISTS"});
    auto table = ExpectTable();
    if (!table.ok()) return table.status();
    create.table = std::move(table).value();

    const bool like_in_parentheses = cursor_.IsOperator("(") && cursor_.IsKeyword("LIKE", 1);
    if (like_in_parentheses) cursor_.Next();
    if (cursor_.AcceptKeyword("LIKE")) {
      CreateTableLike like{create.table, {}, temporary, create.if_not_exists, or_replace};
      auto source = ExpectTable();
      if (!source.ok()) return source.status();
      like.source = std::move(source).value();
      if (like_in_parentheses) CDC_RETURN_IF_ERROR(cursor_.ExpectOperator(")"));
      CDC_RETURN_IF_ERROR(ExpectStatementEnd());
      return DdlStatement(std::move(like));
    }

    if (cursor_.IsOperator("(") && !cursor_.IsKeyword("SELECT", 1) &&
        !cursor_.IsKeyword("WITH", 1) && !cursor_.IsKeyword("VALUES", 1)) {
      cursor_.Next();
      do {
        if (AtTableConstraint(cursor_)) {
          auto constraint = ParseTableConstraint(cursor_);
          if (!constraint.ok()) return constraint.status();
          if (constraint->index) create.indexes.push_back(std::move(*constraint->index));
        } else {
          auto column = ParseColumnDefinition(cursor_, create.indexes);
          if (!column.ok()) return column.status();
          create.columns.push_back(std::move(column).value());
        }
      } while (cursor_.AcceptOperator(","));
      CDC_RETURN_IF_ERROR(cursor_.ExpectOperator(")"));
    }
    auto options = ParseTableOptions(cursor_, create.options, true);
    if (!options.ok()) return options.status();
    cursor_.AcceptOperator(",");
    if (cursor_.IsKeywords({"PARTITION", "BY"})) {
      while (!cursor_.AtEnd()) cursor_.Next();  // partitioning does not change the schema
    }
    if (cursor_.IsKeyword("AS") || cursor_.IsKeyword("SELECT") || cursor_.IsKeyword("IGNORE") ||
        cursor_.IsKeyword("REPLACE") || cursor_.IsKeyword("WITH") || cursor_.IsKeyword("VALUES") ||
        cursor_.IsKeyword("TABLE") || cursor_.IsOperator("(")) {
      return DdlStatement(
          UnsupportedDdl{std::move(create.table), "unsupported: CREATE TABLE ... SELECT"});
    }
    if (create.columns.empty()) return cursor_.Error("'(' and column definitions, LIKE or SELECT");
    CDC_RETURN_IF_ERROR(ExpectStatementEnd());
    return DdlStatement(std::move(create));
  }

  // Character set, collation and other options of CREATE / ALTER DATABASE.
  Status ParseDatabaseOptions(std::string& charset, std::string& collation) {
    while (true) {
      cursor_.AcceptKeyword("DEFAULT");
      if (cursor_.AcceptKeyword("CHARSET") || cursor_.AcceptKeywords({"CHARACTER", "SET"})) {
        auto value = ParseCharsetName(cursor_);
        if (!value.ok()) return value.status();
        charset = std::move(value).value();
      } else if (cursor_.AcceptKeyword("COLLATE")) {
        auto value = ParseCollationName(cursor_);
        if (!value.ok()) return value.status();
        collation = std::move(value).value();
      } else if (cursor_.AcceptKeyword("COMMENT") || cursor_.AcceptKeyword("ENCRYPTION")) {
        CDC_RETURN_IF_ERROR(SkipOptionValue(cursor_));
      } else if (cursor_.AcceptKeywords({"READ", "ONLY"})) {
        CDC_RETURN_IF_ERROR(SkipOptionValue(cursor_));
      } else {
        return Status::Ok();
      }
    }
  }

  Result<DdlStatement> ParseCreateDatabase(bool or_replace) {
    CreateDatabase create;
    create.or_replace = or_replace;
    create.if_not_exists = cursor_.AcceptKeywords({"IF", "NOT", "EXISTS"});
    auto name = cursor_.ExpectIdentifier("a database name");
    if (!name.ok()) return name.status();
    create.database = std::move(name).value();
    CDC_RETURN_IF_ERROR(ParseDatabaseOptions(create.charset, create.collation));
    CDC_RETURN_IF_ERROR(ExpectStatementEnd());
    return DdlStatement(std::move(create));
  }

  // CREATE [OR REPLACE] [ONLINE|OFFLINE] [UNIQUE|FULLTEXT|SPATIAL] INDEX [IF NOT EXISTS] i
  // [USING type] ON t (parts) [options] [ALGORITHM=..] [LOCK=..]: one AddIndex on t.
  Result<DdlStatement> ParseCreateIndex(bool or_replace) {
    if (!cursor_.AcceptKeyword("ONLINE")) cursor_.AcceptKeyword("OFFLINE");
    IndexDefinition index;
    if (cursor_.AcceptKeyword("UNIQUE")) {
      index.kind = IndexKind::kUnique;
    } else if (cursor_.AcceptKeyword("FULLTEXT")) {
      index.kind = IndexKind::kFulltext;
    } else if (cursor_.AcceptKeyword("SPATIAL")) {
      index.kind = IndexKind::kSpatial;
    }
    CDC_RETURN_IF_ERROR(cursor_.ExpectKeyword("INDEX"));
    const bool if_not_exists = cursor_.AcceptKeywords({"IF", "NOT", "EXISTS"});
    auto name = cursor_.ExpectIdentifier("an index name");
    if (!name.ok()) return name.status();
    index.name = std::move(name).value();
    CDC_RETURN_IF_ERROR(SkipIndexOptions(cursor_));
    CDC_RETURN_IF_ERROR(cursor_.ExpectKeyword("ON"));
    auto table = ExpectTable();
    if (!table.ok()) return table.status();
    auto parts = ParseIndexParts(cursor_);
    if (!parts.ok()) return parts.status();
    index.parts = std::move(parts).value();
    CDC_RETURN_IF_ERROR(SkipIndexOptions(cursor_));
    CDC_RETURN_IF_ERROR(SkipAlgorithmAndLock());
    CDC_RETURN_IF_ERROR(ExpectStatementEnd());
    AlterTable alter;
    alter.table = std::move(table).value();
    if (or_replace) alter.clauses.push_back(DropIndex{index.name, true});
    alter.clauses.push_back(AddIndex{std::move(index), if_not_exists});
    return DdlStatement(std::move(alter));
  }

  Status SkipAlgorithmAndLock() {
    while (cursor_.AcceptKeyword("ALGORITHM") || cursor_.AcceptKeyword("LOCK")) {
      CDC_RETURN_IF_ERROR(SkipOptionValue(cursor_));
    }
    return Status::Ok();
  }

  Result<DdlStatement> ParseAlter() {
    cursor_.Next();
    if (cursor_.AcceptKeyword("DATABASE") || cursor_.AcceptKeyword("SCHEMA")) {
      AlterDatabase alter;
      if (cursor_.Peek().kind == DdlTokenKind::kQuotedIdentifier ||
          (cursor_.Peek().kind == DdlTokenKind::kWord && !cursor_.IsKeyword("DEFAULT") &&
           !cursor_.IsKeyword("CHARACTER") && !cursor_.IsKeyword("CHARSET") &&
           !cursor_.IsKeyword("COLLATE") && !cursor_.IsKeyword("COMMENT") &&
           !cursor_.IsKeyword("ENCRYPTION") && !cursor_.IsKeyword("READ"))) {
        alter.database = cursor_.Next().text;
      } else {
        alter.database = std::string(current_database_);
      }
      if (cursor_.AcceptKeywords({"UPGRADE", "DATA", "DIRECTORY", "NAME"})) {
        CDC_RETURN_IF_ERROR(ExpectStatementEnd());
        return DdlStatement(std::move(alter));
      }
      CDC_RETURN_IF_ERROR(ParseDatabaseOptions(alter.charset, alter.collation));
      CDC_RETURN_IF_ERROR(ExpectStatementEnd());
      return DdlStatement(std::move(alter));
    }
    if (!cursor_.AcceptKeyword("ONLINE")) cursor_.AcceptKeyword("OFFLINE");
    cursor_.AcceptKeyword("IGNORE");
    CDC_RETURN_IF_ERROR(cursor_.ExpectKeyword("TABLE"));
    AlterTable alter;
    alter.if_exists = cursor_.AcceptKeywords({"IF", "EXISTS"});
    auto table = ExpectTable();
    if (!table.ok()) return table.status();
    alter.table = std::move(table).value();
    CDC_RETURN_IF_ERROR(SkipLockWait());
    CDC_RETURN_IF_ERROR(ParseAlterClauses(cursor_, current_database_, alter.clauses));
    CDC_RETURN_IF_ERROR(ExpectStatementEnd());
    return DdlStatement(std::move(alter));
  }

  Result<DdlStatement> ParseDrop() {
    cursor_.Next();
    const bool temporary = cursor_.AcceptKeyword("TEMPORARY");
    if (cursor_.AcceptKeyword("TABLE") || cursor_.AcceptKeyword("TABLES")) {
      DropTable drop;
      drop.temporary = temporary;
      drop.if_exists = cursor_.AcceptKeywords({"IF", "EXISTS"});
      do {
        auto table = ExpectTable();
        if (!table.ok()) return table.status();
        drop.tables.push_back(std::move(table).value());
      } while (cursor_.AcceptOperator(","));
      CDC_RETURN_IF_ERROR(SkipLockWait());
      if (!cursor_.AcceptKeyword("RESTRICT")) cursor_.AcceptKeyword("CASCADE");
      CDC_RETURN_IF_ERROR(ExpectStatementEnd());
      return DdlStatement(std::move(drop));
    }
    if (cursor_.AcceptKeyword("DATABASE") || cursor_.AcceptKeyword("SCHEMA")) {
      DropDatabase drop;
      drop.if_exists = cursor_.AcceptKeywords({"IF", "EXISTS"});
      auto name = cursor_.ExpectIdentifier("a database name");
      if (!name.ok()) return name.status();
      drop.database = std::move(name).value();
      CDC_RETURN_IF_ERROR(ExpectStatementEnd());
      return DdlStatement(std::move(drop));
    }
    // DROP [ONLINE|OFFLINE] INDEX [IF EXISTS] i ON t [ALGORITHM=..] [LOCK=..]
    if (!cursor_.AcceptKeyword("ONLINE")) cursor_.AcceptKeyword("OFFLINE");
    CDC_RETURN_IF_ERROR(cursor_.ExpectKeyword("INDEX"));
    const bool if_exists = cursor_.AcceptKeywords({"IF", "EXISTS"});
    auto name = cursor_.ExpectIdentifier("an index name");
    if (!name.ok()) return name.status();
    CDC_RETURN_IF_ERROR(cursor_.ExpectKeyword("ON"));
    auto table = ExpectTable();
    if (!table.ok()) return table.status();
    CDC_RETURN_IF_ERROR(SkipLockWait());
    CDC_RETURN_IF_ERROR(SkipAlgorithmAndLock());
    CDC_RETURN_IF_ERROR(ExpectStatementEnd());
    AlterTable alter;
    alter.table = std::move(table).value();
    if (Upper(*name) == "PRIMARY") {
      alter.clauses.push_back(DropPrimaryKey{});
    } else {
      alter.clauses.push_back(DropIndex{std::move(name).value(), if_exists});
    }
    return DdlStatement(std::move(alter));
  }

  Result<DdlStatement> ParseRenameTable() {
    cursor_.Next();
    cursor_.Next();  // TABLE or TABLES
    cursor_.AcceptKeywords({"IF", "EXISTS"});
    RenameTable rename;
    do {
      auto from = ExpectTable();
      if (!from.ok()) return from.status();
      CDC_RETURN_IF_ERROR(SkipLockWait());
      CDC_RETURN_IF_ERROR(cursor_.ExpectKeyword("TO"));
      auto to = ExpectTable();
      if (!to.ok()) return to.status();
      rename.renames.push_back(TableRename{std::move(from).value(), std::move(to).value()});
    } while (cursor_.AcceptOperator(","));
    CDC_RETURN_IF_ERROR(ExpectStatementEnd());
    return DdlStatement(std::move(rename));
  }

  Result<DdlStatement> ParseTruncate() {
    cursor_.Next();
    cursor_.AcceptKeyword("TABLE");
    auto table = ExpectTable();
    if (!table.ok()) return table.status();
    CDC_RETURN_IF_ERROR(SkipLockWait());
    CDC_RETURN_IF_ERROR(ExpectStatementEnd());
    return DdlStatement(TruncateTable{std::move(table).value()});
  }

  DdlTokenCursor& cursor_;
  std::string_view current_database_;
};

}  // namespace

Result<DdlStatement> ParseDdl(std::string_view sql, std::string_view current_database) {
  auto tokens = TokenizeDdl(sql);
  if (!tokens.ok()) {
    // A malformed text that is no schema change (a routine body, a NO_BACKSLASH_ESCAPES
    // string) is still no schema change.
    DdlTokenCursor lenient(sql, TokenizeDdlLeniently(sql));
    if (!IsSchemaChange(lenient)) return DdlStatement(NotSchemaChange{StatementVerb(lenient)});
    return Status::InvalidArgument(
        fmt::format("{}; statement: {}", tokens.status().message(), QuoteStatement(sql)));
  }
  DdlTokenCursor cursor(sql, std::move(tokens).value());
  if (!IsSchemaChange(cursor)) return DdlStatement(NotSchemaChange{StatementVerb(cursor)});
  StatementParser parser(cursor, current_database);
  return parser.Parse();
}

}  // namespace cdc
