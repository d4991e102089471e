#include "connectors/mysql/source/ddl_follower.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>

#include "connectors/mysql/source/binlog/table_map_schema.h"
#include "runtime/ascii.h"
#include "runtime/logger.h"
#include "schema/ddl_parser.h"

namespace cdc {
namespace {

// Whether the binlog image of `map` and the catalog's `schema` have the same columns.
std::string ColumnMismatch(const TableMap& map, const TableSchema& schema,
                           const TableSchema& decoded) {
  const auto& known = schema.columns();
  const auto& logged = decoded.columns();
  if (known.size() != logged.size()) {
    return fmt::format("the binlog has {} columns, the catalog {}", logged.size(), known.size());
  }
  for (size_t i = 0; i < known.size(); ++i) {
    if (!map.has_names || AsciiLower(known[i].name) == AsciiLower(logged[i].name)) {
      bool integer =
          known[i].value_kind() == ValueKind::kInt || known[i].value_kind() == ValueKind::kUInt;
      if (known[i].type == logged[i].type &&
          (!integer || known[i].is_unsigned == logged[i].is_unsigned)) {
        continue;
      }
    }
    return fmt::format("column {} is {} {} in the binlog but {} {} in the catalog", i + 1,
                       logged[i].name, logged[i].SqlType(), known[i].name, known[i].SqlType());
  }
  return std::string();
}

// Whether `sql` (lower-case) holds `name` (lower-case) as a whole identifier.
bool Mentions(const std::string& sql, const std::string& name) {
  auto identifier_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
  };
  for (size_t at = sql.find(name); at != std::string::npos; at = sql.find(name, at + 1)) {
    bool starts = at == 0 || !identifier_char(sql[at - 1]);
    bool ends = at + name.size() == sql.size() || !identifier_char(sql[at + name.size()]);
    if (starts && ends) return true;
  }
  return false;
}

}  // namespace

bool DdlNames(const DdlStatement& statement, const TableId& table) {
  return std::visit(
      [&](const auto& s) -> bool {
        using T = std::decay_t<decltype(s)>;
        if constexpr (std::is_same_v<T, CreateTableLike>) {
          return s.table == table || s.source == table;
        } else if constexpr (std::is_same_v<T, AlterTable>) {
          if (s.table == table) return true;
          return std::any_of(s.clauses.begin(), s.clauses.end(), [&](const AlterClause& clause) {
            const auto* rename = std::get_if<RenameTo>(&clause);
            return rename != nullptr && rename->table == table;
          });
        } else if constexpr (std::is_same_v<T, RenameTable>) {
          return std::any_of(s.renames.begin(), s.renames.end(), [&](const TableRename& r) {
            return r.from == table || r.to == table;
          });
        } else if constexpr (std::is_same_v<T, DropTable>) {
          return std::find(s.tables.begin(), s.tables.end(), table) != s.tables.end();
        } else if constexpr (std::is_same_v<T, DropDatabase>) {
          return s.database == table.database;
        } else if constexpr (std::is_same_v<T, CreateTable> || std::is_same_v<T, UnsupportedDdl> ||
                             std::is_same_v<T, TruncateTable>) {
          return s.table == table;
        } else {
          return false;
        }
      },
      statement);
}

Result<std::optional<DdlStatement>> DdlFollower::Parse(const BinlogDecoder::Statement& statement) {
  auto parsed = ParseDdl(statement.sql, statement.database);
  if (!parsed.ok()) {
    // The parser fails only on statements it knows change tables. Which table is not known:
    // stop when the text names a captured one.
    std::string lower = AsciiLower(statement.sql);
    std::string captured;
    for (const auto& [id, schema] : catalog_.tables()) {
      if (filter_.Accepts(id) && Mentions(lower, AsciiLower(id.table))) {
        captured = id.ToString();
        break;
      }
    }
    unparsed_ddl_ = parsed.status().message();
    if (captured.empty() || skip_unparseable_ddl_) {
      Log(LogLevel::kWarning, "mysql source",
          fmt::format("passed over a statement at {} that could not be parsed ({}): {}",
                      statement.position.ToString(), parsed.status().message(), statement.sql));
      return std::optional<DdlStatement>();
    }
    return Status::InvalidArgument(fmt::format(
        "the DDL statement at {} names the captured table {} and cannot be parsed ({}): {}; apply "
        "it to the target by hand and set source option schema-change.skip-unparseable-ddl: true "
        "to pass it over",
        statement.position.ToString(), captured, parsed.status().message(), statement.sql));
  }
  if (std::holds_alternative<NotSchemaChange>(*parsed)) return std::optional<DdlStatement>();
  return std::optional<DdlStatement>(std::move(parsed).value());
}

TableSchemaPtr DdlFollower::Truncated(const DdlStatement& ddl) {
  const auto* truncate = std::get_if<TruncateTable>(&ddl);
  if (truncate == nullptr) return nullptr;
  TableSchemaPtr schema = catalog_.Find(truncate->table);
  return Captured(schema) ? schema : nullptr;
}

std::vector<SchemaChange> DdlFollower::Apply(const DdlStatement& ddl,
                                             const BinlogDecoder::Statement& statement,
                                             const std::set<TableId>& held,
                                             const GtidState& gtids) {
  std::map<TableId, TableSchemaPtr> held_schemas;
  for (const TableId& id : held) held_schemas[id] = catalog_.Find(id);
  std::vector<TableId> named;
  std::vector<SchemaChange> changes;
  Status applied = catalog_.Apply(ddl, statement.sql, named, changes);
  for (const auto& [id, schema] : held_schemas) {
    if (schema != nullptr && catalog_.Find(id) != schema) catalog_.Put(schema);
    std::erase_if(changes, [&id = id](const SchemaChange& change) {
      return (change.before != nullptr && change.before->id() == id) ||
             (change.after != nullptr && change.after->id() == id);
    });
    std::erase(named, id);
  }
  // A statement the catalog could not follow still names its tables: their binlog table maps,
  // checked column by column, then rule.
  for (const TableId& id : named) altered_.insert(id);
  if (!applied.ok()) {
    unparsed_ddl_ = applied.message();
    Log(LogLevel::kWarning, "mysql source",
        fmt::format("the catalog could not follow the DDL at {} ({}); "
                    "the tables' next table maps decide their columns: {}",
                    statement.position.ToString(), applied.message(), statement.sql));
    return {};
  }
  // The source's GTIDs once this statement is applied: the sink orders replayed rows against it.
  GtidState after = gtids;
  if (!statement.position.gtid.empty()) after.Update(statement.position.gtid.str());
  std::vector<SchemaChange> captured;
  for (const SchemaChange& change : changes) {
    for (SchemaChange& one : CapturedChanges(change)) {
      one.source_gtids = after.ToString();
      captured.push_back(std::move(one));
    }
  }
  return captured;
}

std::vector<SchemaChange> DdlFollower::CapturedChanges(const SchemaChange& change) {
  std::vector<SchemaChange> emit;
  auto single = [&](SchemaChangeKind kind, TableSchemaPtr before, TableSchemaPtr after) {
    SchemaChange one;
    one.kind = kind;
    one.before = std::move(before);
    one.after = std::move(after);
    one.statement = change.statement;
    emit.push_back(std::move(one));
  };
  switch (change.kind) {
    case SchemaChangeKind::kCreateTable:
    case SchemaChangeKind::kDropTable:
      if (Captured(change.before) || Captured(change.after)) emit.push_back(change);
      break;
    case SchemaChangeKind::kAlterTable:
      // RENAME TO across the filter's edge: the table leaves or enters the captured set.
      if (Captured(change.before) && Captured(change.after)) {
        emit.push_back(change);
      } else if (Captured(change.before)) {
        single(SchemaChangeKind::kDropTable, change.before, nullptr);
      } else if (Captured(change.after)) {
        single(SchemaChangeKind::kCreateTable, nullptr, change.after);
      }
      break;
    case SchemaChangeKind::kRenameTable: {
      SchemaChange both = change;
      both.renames.clear();
      for (const TableRenameStep& step : change.renames) {
        bool from = Captured(step.from), to = Captured(step.to);
        if (from && to) {
          both.renames.push_back(step);
        } else if (from) {
          single(SchemaChangeKind::kDropTable, step.from, nullptr);
        } else if (to) {
          single(SchemaChangeKind::kCreateTable, nullptr, step.to);
        }
      }
      if (!both.renames.empty()) emit.insert(emit.begin(), std::move(both));
      break;
    }
  }
  return emit;
}

Result<TableSchemaPtr> DdlFollower::SchemaOf(const TableMap& map, bool snapshot_holds_event) {
  TableId id{map.database, map.table};
  TableSchemaPtr known = catalog_.Find(id);
  if (!map.has_names && known == nullptr) {
    return Status::InvalidArgument(fmt::format(
        "the binlog's table map for {} has no column names and the table is not in the catalog: "
        "set binlog_row_metadata=FULL on the source server",
        id.ToString()));
  }
  if (known == nullptr) return SchemaFromTableMap(map);
  TableMap named = map;
  if (!map.has_names && named.columns.size() == known->columns().size()) {
    for (size_t i = 0; i < named.columns.size(); ++i)
      named.columns[i].name = known->columns()[i].name;
    named.has_names = true;
  }
  auto decoded = SchemaFromTableMap(named);
  if (!decoded.ok()) return decoded.status();
  std::string mismatch = ColumnMismatch(map, *known, **decoded);
  if (mismatch.empty()) return known;  // the catalog's schema, with its unique keys
  if (snapshot_holds_event) {
    // A table that joined the capture list, changed before its snapshot: the catalog has its
    // schema as of the snapshot, and its events up to there are passed over.
    return *decoded;
  }
  if (altered_.count(id) != 0 && map.has_names) {
    catalog_.Put(*decoded);  // a DDL changed the table in a way the catalog did not follow
    return *decoded;
  }
  return Status::InvalidArgument(fmt::format(
      "the binlog's columns of {} differ from the table's schema ({}) with no DDL for it in the "
      "stream since the start{}: the start position may predate a schema change; start from a "
      "later position or with startup mode 'initial'",
      id.ToString(), mismatch,
      unparsed_ddl_.empty()
          ? ""
          : " that this source could follow (the last one it could not: " + unparsed_ddl_ + ")"));
}

}  // namespace cdc
