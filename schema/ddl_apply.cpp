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

bool SameName(std::string_view a, std::string_view b) { return AsciiLower(a) == AsciiLower(b); }

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
  } else if (column.type == ColumnType::kVarChar &&
             uint64_t{column.length} * new_width > 65535) {
    column.type = SmallestLobType(uint64_t{column.length} * new_width, false);
    column.length = 0;
  }
  column.collation = collation;
  if (charset == "binary") MakeBinary(column);
}

std::string JoinNames(const std::vector<ColumnSchema>& columns) {
  std::string names;
  for (const ColumnSchema& column : columns) {
    if (!names.empty()) names += ", ";
    names += column.name;
  }
  return names;
}

// A primary or unique key by column names while clauses rename and drop columns.
struct NamedKey {
  std::string name;
  std::vector<std::string> columns;
};

// A table under change: columns in order, keys by column name.
class TableEdit {
 public:
  TableEdit(TableId id, std::string statement)
      : id_(std::move(id)), statement_(std::move(statement)),
        creating_(statement_ == "CREATE TABLE") {}

  static TableEdit FromSchema(const TableSchema& schema, std::string statement) {
    TableEdit edit(schema.id(), std::move(statement));
    edit.columns_ = schema.columns();
    auto names = [&schema](const std::vector<size_t>& positions) {
      std::vector<std::string> columns;
      for (size_t position : positions) columns.push_back(schema.columns()[position].name);
      return columns;
    };
    if (!schema.primary_key().empty()) edit.primary_ = NamedKey{"PRIMARY", names(schema.primary_key())};
    for (const IndexSchema& index : schema.unique_keys()) {
      edit.unique_.push_back(NamedKey{index.name, names(index.columns)});
    }
    return edit;
  }

  void set_collation(std::string collation) { collation_ = std::move(collation); }
  // A name the statement gives a key somewhere, which unnamed keys avoid even when that key is
  // declared after them (as MySQL names keys).
  void reserve_key_name(std::string name) { reserved_names_.push_back(std::move(name)); }

  Status operator()(const AddColumn& add) {
    if (Find(add.definition.column.name)) {
      if (add.if_not_exists) return Status::Ok();
      return Error(fmt::format("{} column '{}': the table has a column of that name",
                               creating_ ? "duplicate" : "cannot add",
                               add.definition.column.name));
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
    auto drop_from = [&name](NamedKey& key) {
      std::erase_if(key.columns, [&name](const std::string& c) { return SameName(c, name); });
    };
    if (primary_) {
      drop_from(*primary_);
      if (primary_->columns.empty()) primary_.reset();
    }
    for (NamedKey& key : unique_) drop_from(key);
    std::erase_if(unique_, [](const NamedKey& key) { return key.columns.empty(); });
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
    if (!Find(alter.column)) return MissingColumn("change the default of", alter.column);
    return Status::Ok();
  }

  Status operator()(const AddIndex& add) {
    const IndexDefinition& index = add.index;
    std::vector<std::string> columns;
    bool has_expression = false;
    for (const IndexPart& part : index.parts) {
      if (part.column.empty()) {
        has_expression = true;
        continue;
      }
      const auto found = Find(part.column);
      if (!found) {
        return Error(fmt::format("cannot add key '{}': it names column '{}', which the table "
                                 "does not have (columns: {})",
                                 index.name.empty() ? part.column : index.name, part.column,
                                 JoinNames(columns_)));
      }
      columns.push_back(columns_[*found].name);
    }
    switch (index.kind) {
      case IndexKind::kPrimary:
        if (primary_) {
          if (add.if_not_exists) return Status::Ok();
          return Error(creating_ ? "the statement defines more than one primary key"
                                 : "cannot add a primary key: the table has one; drop it first");
        }
        if (columns.empty()) return Error("cannot add a primary key without columns");
        primary_ = NamedKey{"PRIMARY", std::move(columns)};
        return Status::Ok();
      case IndexKind::kUnique: {
        if (!index.name.empty() && HasKeyNamed(index.name)) {
          if (add.if_not_exists) return Status::Ok();
          return Error(fmt::format("cannot add unique key '{}': a key of that name exists",
                                   index.name));
        }
        if (has_expression || columns.empty()) return Status::Ok();
        std::string name = index.name.empty() ? KeyNameFor(columns.front()) : index.name;
        unique_.push_back(NamedKey{std::move(name), std::move(columns)});
        return Status::Ok();
      }
      default:
        if (!index.name.empty() && HasKeyNamed(index.name)) {
          if (add.if_not_exists) return Status::Ok();
          return Error(fmt::format("cannot add index '{}': a key of that name exists", index.name));
        }
        if (index.name.empty() && !columns.empty()) {
          other_index_names_.push_back(KeyNameFor(columns.front()));
        } else {
          other_index_names_.push_back(index.name);
        }
        return Status::Ok();
    }
  }

  Status operator()(const DropIndex& drop) {
    if (SameName(drop.name, "PRIMARY")) {
      if (!primary_ && drop.if_exists) return Status::Ok();
      return (*this)(DropPrimaryKey{});
    }
    // Plain indexes are not tracked, so a name not found is no error.
    DropKeyNamed(drop.name);
    return Status::Ok();
  }

  Status operator()(const DropPrimaryKey&) {
    if (!primary_) return Error("cannot drop the primary key: the table has none");
    primary_.reset();
    return Status::Ok();
  }

  Status operator()(const DropConstraint& drop) {
    DropKeyNamed(drop.name);  // otherwise a foreign key or a check
    return Status::Ok();
  }

  Status operator()(const RenameIndex& rename) {
    for (NamedKey& key : unique_) {
      if (SameName(key.name, rename.old_name)) key.name = rename.new_name;
    }
    for (std::string& name : other_index_names_) {
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
        return Error(fmt::format("cannot convert to character set '{}': it is not known",
                                 convert.charset));
      }
    }
    if (collation.empty()) collation = collation_;  // CHARACTER SET DEFAULT
    for (ColumnSchema& column : columns_) {
      if (TakesCollation(column.type)) ConvertColumn(column, collation);
    }
    return Status::Ok();
  }

  Status operator()(const ChangeTableOptions&) { return Status::Ok(); }
  Status operator()(const NeutralAlterClause&) { return Status::Ok(); }

  Status AddDefinedColumn(const ColumnDefinition& definition) {
    return (*this)(AddColumn{definition, {}, false});
  }

  Result<TableSchemaPtr> Build() {
    auto positions = [this](const NamedKey& key) {
      std::vector<size_t> result;
      for (const std::string& name : key.columns) result.push_back(*Find(name));
      return result;
    };
    std::vector<size_t> primary_key;
    if (primary_) {
      primary_key = positions(*primary_);
      for (size_t position : primary_key) columns_[position].nullable = false;
    }
    std::vector<IndexSchema> unique_keys;
    for (const NamedKey& key : unique_) unique_keys.push_back(IndexSchema{key.name, positions(key)});
    auto schema = TableSchema::Make(id_, columns_, std::move(primary_key), std::move(unique_keys));
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

  bool HasKeyNamed(std::string_view name) const {
    if (SameName(name, "PRIMARY")) return true;
    for (const NamedKey& key : unique_) {
      if (SameName(key.name, name)) return true;
    }
    for (const std::string& other : other_index_names_) {
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
    std::erase_if(unique_, [name](const NamedKey& key) { return SameName(key.name, name); });
    std::erase_if(other_index_names_,
                  [name](const std::string& other) { return SameName(other, name); });
  }

  void RenameInKeys(const std::string& old_name, const std::string& new_name) {
    auto rename = [&](NamedKey& key) {
      for (std::string& column : key.columns) {
        if (SameName(column, old_name)) column = new_name;
      }
    };
    if (primary_) rename(*primary_);
    for (NamedKey& key : unique_) rename(key);
  }

  Status CheckNewName(size_t position, std::string_view new_name) const {
    const auto existing = Find(new_name);
    if (existing && *existing != position) {
      return Error(fmt::format("cannot rename column '{}' to '{}': the table has a column of "
                               "that name",
                               columns_[position].name, new_name));
    }
    return Status::Ok();
  }

  Result<ColumnSchema> Resolve(const ColumnDefinition& definition) const {
    auto column = ResolveColumn(definition, collation_);
    if (!column.ok()) return column.status().WithContext(fmt::format("{} {}", statement_, id_.ToString()));
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
          return Error(fmt::format("cannot {} a column after '{}': the table has no such column "
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
  std::vector<ColumnSchema> columns_;
  std::optional<NamedKey> primary_;
  std::vector<NamedKey> unique_;
  std::vector<std::string> other_index_names_;  // plain, fulltext and spatial indexes
  std::vector<std::string> reserved_names_;
};

}  // namespace

Result<ColumnSchema> ResolveColumn(const ColumnDefinition& definition,
                                   std::string_view table_default_collation) {
  ColumnSchema column = definition.column;
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
    column.type = SmallestLobType(
        uint64_t{definition.text_length} * MaxBytesPerCharacter(charset), false);
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
      return Status::InvalidArgument(fmt::format(
          "the table's default character set '{}' is not known", options.charset));
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
  if (!collation.ok()) return collation.status().WithContext("CREATE TABLE " + create.table.ToString());
  TableEdit edit(create.table, "CREATE TABLE");
  edit.set_collation(std::move(collation).value());
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
  return TableSchema::Make(std::move(id), schema.columns(), schema.primary_key(),
                           schema.unique_keys());
}

}  // namespace cdc
