#include "schema/ddl_apply.h"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "runtime/ascii.h"
#include "schema/character_set.h"

namespace cdc {

namespace {

bool SameName(std::string_view a, std::string_view b) {
  return AsciiLower(a) == AsciiLower(b);
}

bool TakesCollation(ColumnType type) {
  return IsTextType(type) || type == ColumnType::kEnum || type == ColumnType::kSet;
}

bool IsTextBlob(ColumnType type) {
  return type == ColumnType::kTinyText || type == ColumnType::kText ||
         type == ColumnType::kMediumText || type == ColumnType::kLongText;
}

uint64_t MaxBytesOf(ColumnType type) {
  switch (type) {
    case ColumnType::kTinyText:
    case ColumnType::kTinyBlob: return 255;
    case ColumnType::kText:
    case ColumnType::kBlob: return 65535;
    case ColumnType::kMediumText:
    case ColumnType::kMediumBlob: return 16777215;
    default: return 4294967295;
  }
}

// The smallest TEXT (or BLOB) type that holds `bytes`.
ColumnType SmallestLobType(uint64_t bytes, bool binary) {
  if (bytes <= 255) return binary ? ColumnType::kTinyBlob : ColumnType::kTinyText;
  if (bytes <= 65535) return binary ? ColumnType::kBlob : ColumnType::kText;
  if (bytes <= 16777215) return binary ? ColumnType::kMediumBlob : ColumnType::kMediumText;
  return binary ? ColumnType::kLongBlob : ColumnType::kLongText;
}

// Character types of the binary character set are the binary types.
void MakeBinary(ColumnSchema& column) {
  switch (column.type) {
    case ColumnType::kChar: column.type = ColumnType::kBinary; break;
    case ColumnType::kVarChar: column.type = ColumnType::kVarBinary; break;
    case ColumnType::kTinyText: column.type = ColumnType::kTinyBlob; break;
    case ColumnType::kText: column.type = ColumnType::kBlob; break;
    case ColumnType::kMediumText: column.type = ColumnType::kMediumBlob; break;
    case ColumnType::kLongText: column.type = ColumnType::kLongBlob; break;
    default: return;  // ENUM and SET keep the "binary" collation
  }
  column.collation.clear();
}

// Gives a text, ENUM or SET column `collation`, fitting its type to the new character set:
// TEXT types keep their length in characters and VARCHARs past 65535 bytes become TEXT types,
// as CONVERT TO CHARACTER SET does.
void ConvertColumn(ColumnSchema& column, const std::string& collation) {
  const uint32_t old_width = MaxBytesPerCharacter(CharsetOfCollation(column.collation));
  const std::string charset = CharsetOfCollation(collation);
  const uint32_t new_width = MaxBytesPerCharacter(charset);
  if (IsTextBlob(column.type)) {
    column.type = SmallestLobType(MaxBytesOf(column.type) / old_width * new_width, false);
  } else if (column.type == ColumnType::kVarChar && uint64_t{column.length} * new_width > 65535) {
    column.type = SmallestLobType(uint64_t{column.length} * new_width, false);
    column.length = 0;
  }
  column.collation = collation;
  if (charset == "binary") MakeBinary(column);
}

// DEFAULT NULL is no default (ColumnSchema::default_value).
std::optional<std::string> NormalDefault(const std::optional<std::string>& value) {
  if (value && AsciiLower(*value) == "null") return std::nullopt;
  return value;
}

std::string JoinNames(const std::vector<ColumnSchema>& columns) {
  std::string names;
  for (const ColumnSchema& column : columns) {
    if (!names.empty()) names += ", ";
    names += column.name;
  }
  return names;
}

// An index by column names while clauses rename and drop columns.
struct NamedKey {
  std::string name;
  IndexKind kind = IndexKind::kPlain;
  std::vector<std::string> columns;
  std::vector<uint32_t> prefix_lengths;  // one per column
  std::vector<bool> descending;          // one per column
};

// A table under change: columns in order, indexes by column name, the table's comment.
class TableEdit {
 public:
  TableEdit(TableId id, std::string statement)
      : id_(std::move(id)),
        statement_(std::move(statement)),
        creating_(statement_ == "CREATE TABLE") {}

  static TableEdit FromSchema(const TableSchema& schema, std::string statement) {
    TableEdit edit(schema.id(), std::move(statement));
    edit.columns_ = schema.columns();
    edit.comment_ = schema.comment();
    for (const IndexSchema& index : schema.indexes()) {
      NamedKey key{index.name, index.kind, {}, index.prefix_lengths, index.descending};
      for (size_t position : index.columns) key.columns.push_back(schema.columns()[position].name);
      edit.keys_.push_back(std::move(key));
    }
    return edit;
  }

  void set_collation(std::string collation) { collation_ = std::move(collation); }
  void set_comment(std::string comment) { comment_ = std::move(comment); }
  // A name the statement gives a key somewhere, which unnamed keys avoid even when that key is
  // declared after them (as MySQL names keys).
  void reserve_key_name(std::string name) { reserved_names_.push_back(std::move(name)); }

  Status operator()(const AddColumn& add) {
    if (Find(add.definition.column.name)) {
      if (add.if_not_exists) return Status::Ok();
      return Error(fmt::format("{} column '{}': the table has a column of that name",
                               creating_ ? "duplicate" : "cannot add", add.definition.column.name));
    }
    auto column = Resolve(add.definition);
    if (!column.ok()) return column.status();
    auto position = Position(add.position, columns_.size(), "add");
    if (!position.ok()) return position.status();
    columns_.insert(columns_.begin() + static_cast<ptrdiff_t>(*position), std::move(*column));
    return Status::Ok();
  }

  Status operator()(const DropColumn& drop) {
    const auto found = Find(drop.name);
    if (!found) return drop.if_exists ? Status::Ok() : MissingColumn("drop", drop.name);
    const std::string name = columns_[*found].name;
    columns_.erase(columns_.begin() + static_cast<ptrdiff_t>(*found));
    for (NamedKey& key : keys_) {
      for (size_t i = key.columns.size(); i-- > 0;) {
        if (!SameName(key.columns[i], name)) continue;
        key.columns.erase(key.columns.begin() + static_cast<ptrdiff_t>(i));
        key.prefix_lengths.erase(key.prefix_lengths.begin() + static_cast<ptrdiff_t>(i));
        key.descending.erase(key.descending.begin() + static_cast<ptrdiff_t>(i));
      }
    }
    std::erase_if(keys_, [](const NamedKey& key) { return key.columns.empty(); });
    return Status::Ok();
  }

  Status operator()(const ModifyColumn& modify) {
    return Redefine(modify.definition.column.name, modify.definition, modify.position,
                    modify.if_exists, "modify");
  }

  Status operator()(const ChangeColumn& change) {
    return Redefine(change.old_name, change.definition, change.position, change.if_exists,
                    "change");
  }

  Status operator()(const RenameColumn& rename) {
    const auto found = Find(rename.old_name);
    if (!found) return rename.if_exists ? Status::Ok() : MissingColumn("rename", rename.old_name);
    CDC_RETURN_IF_ERROR(CheckNewName(*found, rename.new_name));
    RenameInKeys(columns_[*found].name, rename.new_name);
    columns_[*found].name = rename.new_name;
    return Status::Ok();
  }

  Status operator()(const AlterColumnDefault& alter) {
    const auto found = Find(alter.column);
    if (!found) return MissingColumn("change the default of", alter.column);
    columns_[*found].default_value = NormalDefault(alter.default_value);
    return Status::Ok();
  }

  Status operator()(const AddIndex& add) {
    const IndexDefinition& index = add.index;
    NamedKey key{index.name, index.kind, {}, {}, {}};
    bool has_expression = false;
    for (const IndexPart& part : index.parts) {
      if (part.column.empty()) {
        has_expression = true;
        continue;
      }
      const auto found = Find(part.column);
      if (!found) {
        return Error(fmt::format(
            "cannot add key '{}': it names column '{}', which the table "
            "does not have (columns: {})",
            index.name.empty() ? part.column : index.name, part.column, JoinNames(columns_)));
      }
      key.columns.push_back(columns_[*found].name);
      key.prefix_lengths.push_back(part.prefix_length);
      key.descending.push_back(part.descending);
    }
    if (index.kind == IndexKind::kPrimary) {
      if (HasPrimaryKey()) {
        if (add.if_not_exists) return Status::Ok();
        return Error(creating_ ? "the statement defines more than one primary key"
                               : "cannot add a primary key: the table has one; drop it first");
      }
      if (key.columns.empty()) return Error("cannot add a primary key without columns");
      key.name = "PRIMARY";
      keys_.insert(keys_.begin(), std::move(key));
      return Status::Ok();
    }
    if (!index.name.empty() && HasKeyNamed(index.name)) {
      if (add.if_not_exists) return Status::Ok();
      return Error(fmt::format("cannot add {} '{}': a key of that name exists",
                               index.kind == IndexKind::kUnique ? "unique key" : "index",
                               index.name));
    }
    if (key.name.empty()) key.name = key.columns.empty() ? "" : KeyNameFor(key.columns.front());
    // An index over an expression (MySQL 8's functional key parts) has no set of columns a
    // schema can hold: only its name is kept, so no later index takes it.
    if (has_expression || key.columns.empty()) {
      if (!key.name.empty()) untracked_names_.push_back(key.name);
      return Status::Ok();
    }
    keys_.push_back(std::move(key));
    return Status::Ok();
  }

  Status operator()(const DropIndex& drop) {
    if (SameName(drop.name, "PRIMARY")) {
      if (!HasPrimaryKey() && drop.if_exists) return Status::Ok();
      return (*this)(DropPrimaryKey{});
    }
    // A catalog saved by an earlier version holds no plain indexes: a name not found is no error.
    DropKeyNamed(drop.name);
    return Status::Ok();
  }

  Status operator()(const DropPrimaryKey&) {
    if (!HasPrimaryKey()) return Error("cannot drop the primary key: the table has none");
    std::erase_if(keys_, [](const NamedKey& key) { return key.kind == IndexKind::kPrimary; });
    return Status::Ok();
  }

  Status operator()(const DropConstraint& drop) {
    // A unique key of that name; otherwise a foreign key or a check.
    std::erase_if(keys_, [&drop](const NamedKey& key) {
      return key.kind == IndexKind::kUnique && SameName(key.name, drop.name);
    });
    return Status::Ok();
  }

  Status operator()(const RenameIndex& rename) {
    for (NamedKey& key : keys_) {
      if (SameName(key.name, rename.old_name)) key.name = rename.new_name;
    }
    for (std::string& name : untracked_names_) {
      if (SameName(name, rename.old_name)) name = rename.new_name;
    }
    return Status::Ok();
  }

  Status operator()(const RenameTo& rename) {
    id_ = rename.table;
    return Status::Ok();
  }

  Status operator()(const ConvertToCharset& convert) {
    std::string collation = convert.collation;
    if (collation.empty() && convert.charset != "default") {
      collation = DefaultCollationOfCharset(convert.charset);
      if (collation.empty()) {
        return Error(
            fmt::format("cannot convert to character set '{}': it is not known", convert.charset));
      }
    }
    if (collation.empty()) collation = collation_;  // CHARACTER SET DEFAULT
    for (ColumnSchema& column : columns_) {
      if (TakesCollation(column.type)) ConvertColumn(column, collation);
    }
    return Status::Ok();
  }

  Status operator()(const ChangeTableOptions& change) {
    if (change.options.comment) comment_ = *change.options.comment;
    return Status::Ok();  // the default collation is the caller's (TableDefaultCollationAfter)
  }
  Status operator()(const NeutralAlterClause&) { return Status::Ok(); }

  Status AddDefinedColumn(const ColumnDefinition& definition) {
    return (*this)(AddColumn{definition, {}, false});
  }

  Result<TableSchemaPtr> Build() {
    std::vector<IndexSchema> indexes;
    for (const NamedKey& key : keys_) {
      IndexSchema index{key.name, {}, key.kind, key.prefix_lengths, key.descending};
      for (const std::string& name : key.columns) index.columns.push_back(*Find(name));
      if (key.kind == IndexKind::kPrimary) {
        for (size_t position : index.columns) columns_[position].nullable = false;
      }
      indexes.push_back(std::move(index));
    }
    auto schema = TableSchema::Define(id_, columns_, std::move(indexes),
                                      TableAttributes{collation_, comment_});
    if (!schema.ok()) return schema.status().WithContext(statement_);
    return schema;
  }

 private:
  Status Error(std::string_view what) const {
    return Status::InvalidArgument(fmt::format("{} {}: {}", statement_, id_.ToString(), what));
  }

  Status MissingColumn(std::string_view action, std::string_view name) const {
    return Error(fmt::format(
        "cannot {} column '{}': the table has no such column (columns: {}); if the source has "
        "it, the schema the pipeline holds is stale: resnapshot the table",
        action, name, JoinNames(columns_)));
  }

  std::optional<size_t> Find(std::string_view name) const {
    for (size_t i = 0; i < columns_.size(); ++i) {
      if (SameName(columns_[i].name, name)) return i;
    }
    return std::nullopt;
  }

  bool HasPrimaryKey() const {
    return std::any_of(keys_.begin(), keys_.end(),
                       [](const NamedKey& key) { return key.kind == IndexKind::kPrimary; });
  }

  bool HasKeyNamed(std::string_view name) const {
    if (SameName(name, "PRIMARY")) return true;
    for (const NamedKey& key : keys_) {
      if (SameName(key.name, name)) return true;
    }
    for (const std::string& other : untracked_names_) {
      if (SameName(other, name)) return true;
    }
    return false;
  }

  // MySQL's name for an unnamed key on `column`: the column's name, else name_2, name_3, ...
  std::string KeyNameFor(const std::string& column) const {
    auto taken = [this](std::string_view name) {
      return HasKeyNamed(name) ||
             std::any_of(reserved_names_.begin(), reserved_names_.end(),
                         [name](const std::string& reserved) { return SameName(reserved, name); });
    };
    if (!taken(column)) return column;
    for (int suffix = 2;; ++suffix) {
      std::string name = fmt::format("{}_{}", column, suffix);
      if (!taken(name)) return name;
    }
  }

  void DropKeyNamed(std::string_view name) {
    std::erase_if(keys_, [name](const NamedKey& key) {
      return key.kind != IndexKind::kPrimary && SameName(key.name, name);
    });
    std::erase_if(untracked_names_,
                  [name](const std::string& other) { return SameName(other, name); });
  }

  void RenameInKeys(const std::string& old_name, const std::string& new_name) {
    for (NamedKey& key : keys_) {
      for (std::string& column : key.columns) {
        if (SameName(column, old_name)) column = new_name;
      }
    }
  }

  Status CheckNewName(size_t position, std::string_view new_name) const {
    const auto existing = Find(new_name);
    if (existing && *existing != position) {
      return Error(
          fmt::format("cannot rename column '{}' to '{}': the table has a column of "
                      "that name",
                      columns_[position].name, new_name));
    }
    return Status::Ok();
  }

  Result<ColumnSchema> Resolve(const ColumnDefinition& definition) const {
    auto column = ResolveColumn(definition, collation_);
    if (!column.ok())
      return column.status().WithContext(fmt::format("{} {}", statement_, id_.ToString()));
    return column;
  }

  // Where a column goes: FIRST, AFTER c, or `fallback` (positions of columns_ as it is now).
  Result<size_t> Position(const ColumnPosition& position, size_t fallback,
                          std::string_view action) const {
    switch (position.placement) {
      case ColumnPlacement::kDefault: return fallback;
      case ColumnPlacement::kFirst: return size_t{0};
      case ColumnPlacement::kAfter: {
        const auto after = Find(position.after);
        if (!after) {
          return Error(
              fmt::format("cannot {} a column after '{}': the table has no such column "
                          "(columns: {})",
                          action, position.after, JoinNames(columns_)));
        }
        return *after + 1;
      }
    }
    return fallback;
  }

  Status Redefine(const std::string& old_name, const ColumnDefinition& definition,
                  const ColumnPosition& position, bool if_exists, std::string_view action) {
    const auto found = Find(old_name);
    if (!found) return if_exists ? Status::Ok() : MissingColumn(action, old_name);
    CDC_RETURN_IF_ERROR(CheckNewName(*found, definition.column.name));
    auto column = Resolve(definition);
    if (!column.ok()) return column.status();
    RenameInKeys(columns_[*found].name, definition.column.name);
    columns_.erase(columns_.begin() + static_cast<ptrdiff_t>(*found));
    auto target = Position(position, *found, action);
    if (!target.ok()) return target.status();
    columns_.insert(columns_.begin() + static_cast<ptrdiff_t>(*target), std::move(*column));
    return Status::Ok();
  }

  TableId id_;
  std::string statement_;  // "ALTER TABLE", for messages
  bool creating_ = false;  // a CREATE TABLE, whose columns are all new
  std::string collation_;  // the table's default collation
  std::string comment_;
  std::vector<ColumnSchema> columns_;
  std::vector<NamedKey> keys_;                // the primary key first, then in declaration order
  std::vector<std::string> untracked_names_;  // indexes over expressions
  std::vector<std::string> reserved_names_;
};

}  // namespace

Result<ColumnSchema> ResolveColumn(const ColumnDefinition& definition,
                                   std::string_view table_default_collation) {
  ColumnSchema column = definition.column;
  // A generated column's value is its expression's: it has no default of its own.
  column.default_value =
      definition.generated_as ? std::nullopt : NormalDefault(definition.default_value);
  column.on_update = definition.generated_as ? std::nullopt : definition.on_update;
  column.comment = definition.comment.value_or("");
  if (!TakesCollation(column.type)) {
    column.collation.clear();
    if (definition.text_length > 0 && column.type == ColumnType::kBlob) {
      column.type = SmallestLobType(definition.text_length, true);
    }
    return column;
  }
  if (column.collation.empty()) {
    if (table_default_collation.empty()) {
      return Status::InvalidArgument(fmt::format(
          "column '{}' names no collation and the table's default collation is not known; "
          "give the table's default collation",
          column.name));
    }
    column.collation = definition.binary_collation
                           ? BinCollationOfCharset(CharsetOfCollation(table_default_collation))
                           : CanonicalCollationName(table_default_collation);
  }
  const std::string charset = CharsetOfCollation(column.collation);
  if (definition.text_length > 0 && IsTextBlob(column.type)) {
    column.type =
        SmallestLobType(uint64_t{definition.text_length} * MaxBytesPerCharacter(charset), false);
  }
  if (charset == "binary") MakeBinary(column);
  return column;
}

Result<std::string> TableDefaultCollation(const TableOptions& options,
                                          std::string_view database_default_collation) {
  if (!options.collation.empty() && options.collation != "default") return options.collation;
  if (!options.charset.empty() && options.charset != "default") {
    std::string collation = DefaultCollationOfCharset(options.charset);
    if (collation.empty()) {
      return Status::InvalidArgument(
          fmt::format("the table's default character set '{}' is not known", options.charset));
    }
    return collation;
  }
  return CanonicalCollationName(database_default_collation);
}

Result<std::string> TableDefaultCollationAfter(const AlterTable& alter, std::string_view before) {
  std::string collation(before);
  for (const AlterClause& clause : alter.clauses) {
    if (const auto* options = std::get_if<ChangeTableOptions>(&clause)) {
      auto next = TableDefaultCollation(options->options, collation);
      if (!next.ok()) return next.status().WithContext("ALTER TABLE " + alter.table.ToString());
      collation = std::move(next).value();
    } else if (const auto* convert = std::get_if<ConvertToCharset>(&clause)) {
      auto next = TableDefaultCollation(TableOptions{"", convert->charset, convert->collation, {}},
                                        collation);
      if (!next.ok()) return next.status().WithContext("ALTER TABLE " + alter.table.ToString());
      collation = std::move(next).value();
    }
  }
  return collation;
}

Result<TableSchemaPtr> SchemaFromCreateTable(const CreateTable& create,
                                             std::string_view default_collation) {
  auto collation = TableDefaultCollation(create.options, default_collation);
  if (!collation.ok())
    return collation.status().WithContext("CREATE TABLE " + create.table.ToString());
  TableEdit edit(create.table, "CREATE TABLE");
  edit.set_collation(std::move(collation).value());
  edit.set_comment(create.options.comment.value_or(""));
  for (const ColumnDefinition& definition : create.columns) {
    CDC_RETURN_IF_ERROR(edit.AddDefinedColumn(definition));
  }
  // Unnamed keys avoid the names the statement gives other keys, wherever they are declared.
  for (const IndexDefinition& index : create.indexes) {
    if (index.kind != IndexKind::kPrimary && !index.name.empty()) edit.reserve_key_name(index.name);
  }
  for (const IndexDefinition& index : create.indexes) {
    CDC_RETURN_IF_ERROR(edit(AddIndex{index, false}));
  }
  return edit.Build();
}

Result<TableSchemaPtr> ApplyAlterTable(const TableSchema& before, const AlterTable& alter,
                                       std::string_view table_default_collation) {
  auto collation = TableDefaultCollationAfter(alter, table_default_collation);
  if (!collation.ok()) return collation.status();
  TableEdit edit = TableEdit::FromSchema(before, "ALTER TABLE");
  edit.set_collation(std::move(collation).value());
  for (const AlterClause& clause : alter.clauses) {
    CDC_RETURN_IF_ERROR(std::visit(edit, clause));
  }
  return edit.Build();
}

Result<TableSchemaPtr> RenamedSchema(const TableSchema& schema, TableId id) {
  return schema.WithId(std::move(id));
}

}  // namespace cdc
