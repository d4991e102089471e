#include "schema/ddl_definition_parser.h"

#include <array>
#include <utility>

#include <fmt/format.h>

#include "schema/character_set.h"
#include "schema/ddl_data_type_parser.h"

namespace cdc {

namespace {

// The key an inline PRIMARY KEY, UNIQUE or SERIAL puts on one column.
IndexDefinition ColumnKey(IndexKind kind, const std::string& column) {
  IndexPart part;
  part.column = column;
  IndexDefinition index;
  index.kind = kind;
  if (kind == IndexKind::kPrimary) index.name = "PRIMARY";
  index.parts.push_back(std::move(part));
  return index;
}

bool TakesCollation(ColumnType type) {
  return IsTextType(type) || type == ColumnType::kEnum || type == ColumnType::kSet;
}

// Table options read and dropped: their value is one word, string or number after an optional
// "=".
constexpr std::array<std::string_view, 30> kValueTableOptions = {"AUTO_INCREMENT",
                                                                 "AVG_ROW_LENGTH",
                                                                 "CHECKSUM",
                                                                 "TABLE_CHECKSUM",
                                                                 "COMPRESSION",
                                                                 "CONNECTION",
                                                                 "DELAY_KEY_WRITE",
                                                                 "ENCRYPTION",
                                                                 "ENCRYPTED",
                                                                 "ENCRYPTION_KEY_ID",
                                                                 "INSERT_METHOD",
                                                                 "KEY_BLOCK_SIZE",
                                                                 "MAX_ROWS",
                                                                 "MIN_ROWS",
                                                                 "PACK_KEYS",
                                                                 "PASSWORD",
                                                                 "ROW_FORMAT",
                                                                 "STATS_AUTO_RECALC",
                                                                 "STATS_PERSISTENT",
                                                                 "STATS_SAMPLE_PAGES",
                                                                 "PAGE_CHECKSUM",
                                                                 "PAGE_COMPRESSED",
                                                                 "PAGE_COMPRESSION_LEVEL",
                                                                 "TRANSACTIONAL",
                                                                 "SEQUENCE",
                                                                 "IETF_QUOTES",
                                                                 "AUTOEXTEND_SIZE",
                                                                 "SECONDARY_ENGINE",
                                                                 "ENGINE_ATTRIBUTE",
                                                                 "SECONDARY_ENGINE_ATTRIBUTE"};

// REFERENCES t [(cols)] [MATCH ...] [ON DELETE action] [ON UPDATE action], after REFERENCES.
Status SkipReferences(DdlTokenCursor& cursor) {
  auto table = cursor.ExpectIdentifier("the referenced table");
  if (!table.ok()) return table.status();
  if (cursor.AcceptOperator(".")) {
    auto name = cursor.ExpectIdentifier("the referenced table");
    if (!name.ok()) return name.status();
  }
  if (cursor.IsOperator("(")) CDC_RETURN_IF_ERROR(cursor.SkipParenthesised());
  if (cursor.AcceptKeyword("MATCH")) cursor.Next();
  while (cursor.IsKeyword("ON") &&
         (cursor.IsKeyword("DELETE", 1) || cursor.IsKeyword("UPDATE", 1))) {
    cursor.Next();
    cursor.Next();
    if (cursor.AcceptKeyword("RESTRICT") || cursor.AcceptKeyword("CASCADE") ||
        cursor.AcceptKeywords({"SET", "NULL"}) || cursor.AcceptKeywords({"SET", "DEFAULT"}) ||
        cursor.AcceptKeywords({"NO", "ACTION"})) {
      continue;
    }
    return cursor.Error("RESTRICT, CASCADE, SET NULL, SET DEFAULT or NO ACTION");
  }
  return Status::Ok();
}

// CHECK (expr) [[NOT] ENFORCED], after CHECK.
Status SkipCheck(DdlTokenCursor& cursor) {
  CDC_RETURN_IF_ERROR(cursor.SkipParenthesised());
  if (!cursor.AcceptKeyword("ENFORCED")) cursor.AcceptKeywords({"NOT", "ENFORCED"});
  return Status::Ok();
}

// Reads one column attribute into `definition`; COLLATE goes to `collation` and the position of
// a CHARACTER SET's name to `charset_token`, which ParseColumnDefinition resolves at the end.
Status ParseColumnAttribute(DdlTokenCursor& cursor, ColumnDefinition& definition,
                            std::string& collation, size_t& charset_token,
                            std::vector<IndexDefinition>& inline_indexes) {
  ColumnSchema& column = definition.column;
  if (cursor.AcceptKeywords({"NOT", "NULL"})) {
    column.nullable = false;
  } else if (cursor.AcceptKeyword("NULL")) {
    column.nullable = true;
  } else if (cursor.AcceptKeyword("DEFAULT")) {
    auto value = ParseDefaultValue(cursor);
    if (!value.ok()) return value.status();
    definition.default_value = std::move(value).value();
  } else if (cursor.AcceptKeywords({"ON", "UPDATE"})) {
    auto value = ParseDefaultValue(cursor);
    if (!value.ok()) return value.status();
    definition.on_update = std::move(value).value();
  } else if (cursor.AcceptKeyword("AUTO_INCREMENT")) {
    definition.auto_increment = true;
  } else if (cursor.AcceptKeyword("UNIQUE")) {
    if (!cursor.AcceptKeyword("KEY")) cursor.AcceptKeyword("INDEX");
    inline_indexes.push_back(ColumnKey(IndexKind::kUnique, column.name));
  } else if (cursor.AcceptKeywords({"PRIMARY", "KEY"}) || cursor.AcceptKeyword("KEY")) {
    inline_indexes.push_back(ColumnKey(IndexKind::kPrimary, column.name));
  } else if (cursor.AcceptKeyword("COMMENT")) {
    auto comment = cursor.ExpectString("a quoted comment");
    if (!comment.ok()) return comment.status();
    definition.comment = std::move(comment).value();
  } else if (cursor.AcceptKeyword("COLLATE")) {
    cursor.AcceptOperator("=");
    auto name = cursor.ExpectName("a collation name");
    if (!name.ok()) return name.status();
    collation = CanonicalCollationName(*name);
  } else if (cursor.IsKeywords({"CHARACTER", "SET"}) || cursor.IsKeyword("CHARSET")) {
    if (!cursor.AcceptKeyword("CHARSET")) cursor.AcceptKeywords({"CHARACTER", "SET"});
    charset_token = cursor.position();
    auto charset = ParseCharsetName(cursor);
    if (!charset.ok()) return charset.status();
    definition.charset = std::move(charset).value();
  } else if (cursor.AcceptKeyword("BINARY")) {
    definition.binary_collation = true;
  } else if (cursor.AcceptKeyword("ASCII")) {
    definition.charset = "latin1";
  } else if (cursor.AcceptKeyword("UNICODE")) {
    definition.charset = "ucs2";
  } else if (cursor.AcceptKeyword("COLUMN_FORMAT") || cursor.AcceptKeyword("STORAGE") ||
             cursor.AcceptKeyword("SRID") || cursor.AcceptKeyword("REF_SYSTEM_ID") ||
             cursor.AcceptKeyword("ENGINE_ATTRIBUTE") ||
             cursor.AcceptKeyword("SECONDARY_ENGINE_ATTRIBUTE")) {
    CDC_RETURN_IF_ERROR(SkipOptionValue(cursor));
  } else if (cursor.AcceptKeyword("COMPRESSED")) {
    if (cursor.IsOperator("=")) CDC_RETURN_IF_ERROR(SkipOptionValue(cursor));
  } else if (cursor.AcceptKeywords({"GENERATED", "ALWAYS"}) || cursor.IsKeyword("AS")) {
    CDC_RETURN_IF_ERROR(cursor.ExpectKeyword("AS"));
    const size_t start = cursor.position();
    if (cursor.AcceptKeywords({"ROW", "START"}) || cursor.AcceptKeywords({"ROW", "END"})) {
      definition.generated_as = cursor.Text(start, cursor.position());  // system versioning
      return Status::Ok();
    }
    CDC_RETURN_IF_ERROR(cursor.SkipParenthesised());
    definition.generated_as = cursor.Text(start, cursor.position());
    definition.generated_storage = GeneratedColumnStorage::kVirtual;
    if (cursor.AcceptKeyword("STORED") || cursor.AcceptKeyword("PERSISTENT")) {
      definition.generated_storage = GeneratedColumnStorage::kStored;
    } else {
      cursor.AcceptKeyword("VIRTUAL");
    }
  } else if (cursor.AcceptKeyword("INVISIBLE")) {
    definition.invisible = true;
  } else if (cursor.AcceptKeyword("VISIBLE")) {
    definition.invisible = false;
  } else if (cursor.IsKeyword("CONSTRAINT") || cursor.IsKeyword("CHECK")) {
    if (cursor.AcceptKeyword("CONSTRAINT") && !cursor.IsKeyword("CHECK")) {
      auto name = cursor.ExpectIdentifier("a constraint name");
      if (!name.ok()) return name.status();
    }
    CDC_RETURN_IF_ERROR(cursor.ExpectKeyword("CHECK"));
    CDC_RETURN_IF_ERROR(SkipCheck(cursor));
  } else if (cursor.AcceptKeyword("REFERENCES")) {
    CDC_RETURN_IF_ERROR(SkipReferences(cursor));
  } else if (cursor.AcceptKeywords({"WITH", "SYSTEM", "VERSIONING"}) ||
             cursor.AcceptKeywords({"WITHOUT", "SYSTEM", "VERSIONING"})) {
    // MariaDB system versioning of one column: no change to the column.
  } else if (cursor.AcceptKeywords({"SERIAL", "DEFAULT", "VALUE"})) {
    column.nullable = false;
    definition.auto_increment = true;
    inline_indexes.push_back(ColumnKey(IndexKind::kUnique, column.name));
  } else {
    return cursor.Error("a column attribute (NOT NULL, DEFAULT, COMMENT, ...)");
  }
  return Status::Ok();
}

bool AtColumnDefinitionEnd(const DdlTokenCursor& cursor) {
  return cursor.AtEnd() || cursor.IsOperator(",") || cursor.IsOperator(")") ||
         cursor.IsOperator(";") || cursor.IsKeyword("FIRST") || cursor.IsKeyword("AFTER");
}

// An operand of a DEFAULT expression.
Status SkipOperand(DdlTokenCursor& cursor) {
  while (cursor.AcceptOperator("-") || cursor.AcceptOperator("+") || cursor.AcceptOperator("~") ||
         cursor.AcceptOperator("!")) {
  }
  const DdlToken& token = cursor.Peek();
  switch (token.kind) {
    case DdlTokenKind::kOperator:
      if (token.IsOperator("(")) return cursor.SkipParenthesised();
      return cursor.Error("a default value");
    case DdlTokenKind::kString:
    case DdlTokenKind::kNumber:
    case DdlTokenKind::kQuotedIdentifier: cursor.Next(); return Status::Ok();
    case DdlTokenKind::kWord: {
      cursor.Next();
      const bool introducer = token.text.starts_with("_");
      const bool typed_literal =
          token.IsKeyword("DATE") || token.IsKeyword("TIME") || token.IsKeyword("TIMESTAMP");
      if ((introducer || typed_literal) && cursor.Peek().kind == DdlTokenKind::kString) {
        cursor.Next();  // _utf8mb4'x', DATE '2020-01-01'
      } else if (cursor.IsOperator("(")) {
        return cursor.SkipParenthesised();  // now(), current_timestamp(6), nextval(s)
      }
      return Status::Ok();
    }
    case DdlTokenKind::kEnd: return cursor.Error("a default value");
  }
  return cursor.Error("a default value");
}

constexpr std::array<std::string_view, 11> kArithmeticOperators = {"+", "-", "*", "/",  "%", "||",
                                                                   "&", "|", "^", "<<", ">>"};

bool AtArithmeticOperator(const DdlTokenCursor& cursor) {
  for (std::string_view op : kArithmeticOperators) {
    if (cursor.IsOperator(op)) return true;
  }
  return false;
}

// One table option into `options`; false when the cursor is at none.
Result<bool> ParseTableOption(DdlTokenCursor& cursor, TableOptions& options) {
  const size_t start = cursor.position();
  cursor.AcceptKeyword("DEFAULT");  // DEFAULT CHARSET, DEFAULT COLLATE, DEFAULT ENCRYPTION
  if (cursor.AcceptKeyword("CHARSET") || cursor.AcceptKeywords({"CHARACTER", "SET"})) {
    auto charset = ParseCharsetName(cursor);
    if (!charset.ok()) return charset.status();
    options.charset = std::move(charset).value();
    return true;
  }
  if (cursor.AcceptKeyword("COLLATE")) {
    auto collation = ParseCollationName(cursor);
    if (!collation.ok()) return collation.status();
    options.collation = std::move(collation).value();
    return true;
  }
  if (cursor.AcceptKeyword("ENGINE") || cursor.AcceptKeyword("TYPE")) {
    cursor.AcceptOperator("=");
    auto engine = cursor.ExpectName("a storage engine name");
    if (!engine.ok()) return engine.status();
    options.engine = std::move(engine).value();
    return true;
  }
  if (cursor.AcceptKeyword("COMMENT")) {
    cursor.AcceptOperator("=");
    auto comment = cursor.ExpectString("a quoted comment");
    if (!comment.ok()) return comment.status();
    options.comment = std::move(comment).value();
    return true;
  }
  if (cursor.AcceptKeyword("UNION")) {
    cursor.AcceptOperator("=");
    CDC_RETURN_IF_ERROR(cursor.SkipParenthesised());
    return true;
  }
  if (cursor.AcceptKeywords({"DATA", "DIRECTORY"}) ||
      cursor.AcceptKeywords({"INDEX", "DIRECTORY"})) {
    CDC_RETURN_IF_ERROR(SkipOptionValue(cursor));
    return true;
  }
  if (cursor.AcceptKeywords({"WITH", "SYSTEM", "VERSIONING"}) ||
      cursor.AcceptKeywords({"START", "TRANSACTION"})) {
    return true;
  }
  if (cursor.AcceptKeyword("TABLESPACE")) {
    CDC_RETURN_IF_ERROR(SkipOptionValue(cursor));
    if (cursor.AcceptKeyword("STORAGE")) CDC_RETURN_IF_ERROR(SkipOptionValue(cursor));
    return true;
  }
  if (cursor.AcceptKeyword("STORAGE")) {
    CDC_RETURN_IF_ERROR(SkipOptionValue(cursor));
    return true;
  }
  for (std::string_view option : kValueTableOptions) {
    if (cursor.AcceptKeyword(option)) {
      CDC_RETURN_IF_ERROR(SkipOptionValue(cursor));
      return true;
    }
  }
  cursor.Rewind(start);  // including a DEFAULT that starts no option
  return false;
}

}  // namespace

Result<std::string> ParseDefaultValue(DdlTokenCursor& cursor) {
  const size_t start = cursor.position();
  CDC_RETURN_IF_ERROR(SkipOperand(cursor));
  while (AtArithmeticOperator(cursor)) {
    cursor.Next();
    CDC_RETURN_IF_ERROR(SkipOperand(cursor));
  }
  return cursor.Text(start, cursor.position());
}

Result<ColumnDefinition> ParseColumnDefinition(DdlTokenCursor& cursor,
                                               std::vector<IndexDefinition>& inline_indexes) {
  const size_t start = cursor.position();
  ColumnDefinition definition;
  auto name = cursor.ExpectIdentifier("a column name");
  if (!name.ok()) return name.status();
  definition.column.name = std::move(name).value();
  CDC_RETURN_IF_ERROR(ParseDataType(cursor, definition, inline_indexes));

  std::string collation;
  size_t charset_token = start;
  while (!AtColumnDefinitionEnd(cursor)) {
    CDC_RETURN_IF_ERROR(
        ParseColumnAttribute(cursor, definition, collation, charset_token, inline_indexes));
  }
  definition.sql = cursor.Text(start, cursor.position());

  ColumnSchema& column = definition.column;
  if (!TakesCollation(column.type)) return definition;
  if (!collation.empty()) {
    column.collation = collation;
  } else if (!definition.charset.empty()) {
    column.collation = definition.binary_collation ? BinCollationOfCharset(definition.charset)
                                                   : DefaultCollationOfCharset(definition.charset);
    if (column.collation.empty()) {
      return cursor.ErrorAt(charset_token,
                            fmt::format("unknown character set '{}'", definition.charset));
    }
  }
  return definition;
}

bool AtTableConstraint(const DdlTokenCursor& cursor) {
  return cursor.IsKeyword("CONSTRAINT") || cursor.IsKeywords({"PRIMARY", "KEY"}) ||
         cursor.IsKeyword("UNIQUE") || cursor.IsKeyword("INDEX") || cursor.IsKeyword("KEY") ||
         cursor.IsKeyword("FULLTEXT") || cursor.IsKeyword("SPATIAL") ||
         cursor.IsKeywords({"FOREIGN", "KEY"}) || cursor.IsKeyword("CHECK") ||
         cursor.IsKeywords({"PERIOD", "FOR"});
}

Result<TableConstraint> ParseTableConstraint(DdlTokenCursor& cursor) {
  const size_t start = cursor.position();
  TableConstraint constraint;
  std::string constraint_name;
  if (cursor.AcceptKeyword("CONSTRAINT")) {
    constraint.if_not_exists = cursor.AcceptKeywords({"IF", "NOT", "EXISTS"});
    if (!cursor.IsKeyword("PRIMARY") && !cursor.IsKeyword("UNIQUE") &&
        !cursor.IsKeyword("FOREIGN") && !cursor.IsKeyword("CHECK")) {
      auto name = cursor.ExpectIdentifier("a constraint name");
      if (!name.ok()) return name.status();
      constraint_name = std::move(name).value();
    }
  }
  if (cursor.AcceptKeyword("CHECK")) {
    CDC_RETURN_IF_ERROR(SkipCheck(cursor));
    constraint.sql = cursor.Text(start, cursor.position());
    return constraint;
  }
  if (cursor.AcceptKeywords({"PERIOD", "FOR"})) {
    auto name = cursor.ExpectIdentifier("a period name");
    if (!name.ok()) return name.status();
    CDC_RETURN_IF_ERROR(cursor.SkipParenthesised());
    constraint.sql = cursor.Text(start, cursor.position());
    return constraint;
  }
  const bool foreign = cursor.AcceptKeywords({"FOREIGN", "KEY"});
  IndexDefinition index;
  if (foreign) {
    // The key's own name, if any, follows.
  } else if (cursor.AcceptKeywords({"PRIMARY", "KEY"})) {
    index.kind = IndexKind::kPrimary;
    index.name = "PRIMARY";
  } else if (cursor.AcceptKeyword("UNIQUE")) {
    index.kind = IndexKind::kUnique;
    if (!cursor.AcceptKeyword("INDEX")) cursor.AcceptKeyword("KEY");
  } else if (cursor.IsKeyword("FULLTEXT") || cursor.IsKeyword("SPATIAL")) {
    index.kind = cursor.Next().IsKeyword("FULLTEXT") ? IndexKind::kFulltext : IndexKind::kSpatial;
    if (!cursor.AcceptKeyword("INDEX")) cursor.AcceptKeyword("KEY");
  } else if (cursor.AcceptKeyword("INDEX") || cursor.AcceptKeyword("KEY")) {
    index.kind = IndexKind::kPlain;
  } else {
    return cursor.Error("PRIMARY KEY, UNIQUE, INDEX, KEY, FULLTEXT, SPATIAL, FOREIGN KEY or CHECK");
  }
  if (cursor.AcceptKeywords({"IF", "NOT", "EXISTS"})) constraint.if_not_exists = true;
  const bool at_index_type =
      cursor.IsKeyword("USING") || cursor.IsKeyword("TYPE");  // USING BTREE, TYPE HASH
  if (index.kind != IndexKind::kPrimary && !cursor.IsOperator("(") && !at_index_type) {
    auto name = cursor.ExpectIdentifier("an index name or '('");
    if (!name.ok()) return name.status();
    index.name = std::move(name).value();
  }
  if (index.name.empty() && index.kind != IndexKind::kPrimary) index.name = constraint_name;
  CDC_RETURN_IF_ERROR(SkipIndexOptions(cursor));
  if (foreign) {
    CDC_RETURN_IF_ERROR(cursor.SkipParenthesised());
    CDC_RETURN_IF_ERROR(cursor.ExpectKeyword("REFERENCES"));
    CDC_RETURN_IF_ERROR(SkipReferences(cursor));
    constraint.sql = cursor.Text(start, cursor.position());
    return constraint;
  }
  auto parts = ParseIndexParts(cursor);
  if (!parts.ok()) return parts.status();
  index.parts = std::move(parts).value();
  CDC_RETURN_IF_ERROR(SkipIndexOptions(cursor));
  constraint.index = std::move(index);
  constraint.sql = cursor.Text(start, cursor.position());
  return constraint;
}

Result<std::vector<IndexPart>> ParseIndexParts(DdlTokenCursor& cursor) {
  std::vector<IndexPart> parts;
  CDC_RETURN_IF_ERROR(cursor.ExpectOperator("("));
  do {
    IndexPart part;
    if (cursor.IsOperator("(")) {
      const size_t start = cursor.position();
      CDC_RETURN_IF_ERROR(cursor.SkipParenthesised());
      part.expression = cursor.Text(start, cursor.position());
    } else {
      auto column = cursor.ExpectIdentifier("a column name");
      if (!column.ok()) return column.status();
      part.column = std::move(column).value();
      if (cursor.AcceptOperator("(")) {
        auto length = cursor.ExpectNumber("a prefix length");
        if (!length.ok()) return length.status();
        part.prefix_length = static_cast<uint32_t>(*length);
        CDC_RETURN_IF_ERROR(cursor.ExpectOperator(")"));
      }
    }
    if (cursor.AcceptKeyword("DESC")) {
      part.descending = true;
    } else {
      cursor.AcceptKeyword("ASC");
    }
    parts.push_back(std::move(part));
  } while (cursor.AcceptOperator(","));
  CDC_RETURN_IF_ERROR(cursor.ExpectOperator(")"));
  return parts;
}

Status SkipIndexOptions(DdlTokenCursor& cursor) {
  while (true) {
    if (cursor.AcceptKeyword("USING") || cursor.AcceptKeyword("TYPE")) {
      if (!cursor.AcceptKeyword("BTREE") && !cursor.AcceptKeyword("HASH") &&
          !cursor.AcceptKeyword("RTREE")) {
        return cursor.Error("BTREE, HASH or RTREE");
      }
    } else if (cursor.AcceptKeyword("KEY_BLOCK_SIZE") || cursor.AcceptKeyword("COMMENT") ||
               cursor.AcceptKeyword("ENGINE_ATTRIBUTE") ||
               cursor.AcceptKeyword("SECONDARY_ENGINE_ATTRIBUTE") ||
               cursor.AcceptKeyword("CLUSTERING")) {
      CDC_RETURN_IF_ERROR(SkipOptionValue(cursor));
    } else if (cursor.AcceptKeywords({"WITH", "PARSER"})) {
      auto parser = cursor.ExpectIdentifier("a parser name");
      if (!parser.ok()) return parser.status();
    } else if (!cursor.AcceptKeyword("VISIBLE") && !cursor.AcceptKeyword("INVISIBLE") &&
               !cursor.AcceptKeyword("IGNORED") && !cursor.AcceptKeywords({"NOT", "IGNORED"})) {
      return Status::Ok();
    }
  }
}

// An option value after an optional "=": a word, string, number or quoted name.
Status SkipOptionValue(DdlTokenCursor& cursor) {
  cursor.AcceptOperator("=");
  const DdlTokenKind kind = cursor.Peek().kind;
  if (kind == DdlTokenKind::kEnd || kind == DdlTokenKind::kOperator) {
    return cursor.Error("an option value");
  }
  cursor.Next();
  return Status::Ok();
}

Result<std::string> ParseCharsetName(DdlTokenCursor& cursor) {
  cursor.AcceptOperator("=");
  auto name = cursor.ExpectName("a character set name");
  if (!name.ok()) return name.status();
  return CanonicalCharsetName(*name);
}

Result<std::string> ParseCollationName(DdlTokenCursor& cursor) {
  cursor.AcceptOperator("=");
  auto name = cursor.ExpectName("a collation name");
  if (!name.ok()) return name.status();
  return CanonicalCollationName(*name);
}

// Table options one after another; `commas` allows "," between them (CREATE TABLE).
Result<bool> ParseTableOptions(DdlTokenCursor& cursor, TableOptions& options, bool commas) {
  bool any = false;
  while (true) {
    const size_t before_comma = cursor.position();
    if (any && commas) cursor.AcceptOperator(",");
    auto read = ParseTableOption(cursor, options);
    if (!read.ok()) return read.status();
    if (!*read) {
      cursor.Rewind(before_comma);
      return any;
    }
    any = true;
  }
}

}  // namespace cdc
