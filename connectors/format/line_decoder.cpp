#include "connectors/format/line_decoder.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <utility>

#include <fmt/format.h>

#include "connectors/format/line_value.h"

namespace cdc {
namespace {

// The longest database or table name the search tries: MySQL's 64 characters of up to four
// bytes each. It bounds the lookups a line with many dots and spaces costs.
constexpr size_t kMaxNameBytes = 256;

// The start of `text`, for messages.
std::string_view Excerpt(std::string_view text) {
  return text.substr(0, std::min<size_t>(text.size(), 80));
}

Status Unreadable(std::string_view what, std::string_view text) {
  return Status::InvalidArgument(fmt::format("line format: {} at \"{}\"", what, Excerpt(text)));
}

// "mysql-bin.000003:4711 (gtid 0-1-42)", "4711 (gtid 0-1-42)", "mysql-bin.000003:4711", "4711".
Result<SourcePosition> ReadPosition(std::string_view text) {
  const std::string_view whole = text;
  SourcePosition position;
  if (text.ends_with(')')) {
    static constexpr std::string_view kGtid = " (gtid ";
    const size_t gtid_at = text.rfind(kGtid);
    if (gtid_at == std::string_view::npos) return Unreadable("expected a source position", whole);
    position.gtid =
        SourceGtid(text.substr(gtid_at + kGtid.size(), text.size() - gtid_at - kGtid.size() - 1));
    text = text.substr(0, gtid_at);
  }
  const size_t colon = text.rfind(':');
  if (colon != std::string_view::npos) {
    position.file = SourceFileName(text.substr(0, colon));
    text.remove_prefix(colon + 1);
  }
  const char* end = text.data() + text.size();
  auto [at, error] = std::from_chars(text.data(), end, position.offset);
  if (text.empty() || error != std::errc() || at != end) {
    return Unreadable("expected a source position", whole);
  }
  return position;
}

// Appends `value` to `row` as its column `column`: a row with a value missing ("?") before
// this column cannot be built.
Status Place(Row& row, size_t column, Value value, std::string_view text) {
  if (row.size() != column) return Unreadable("a value after a missing one (?)", text);
  row.push_back(std::move(value));
  return Status::Ok();
}

bool TakeMissing(std::string_view& text) {
  if (!text.starts_with('?') || (text.size() > 1 && text[1] != ' ' && text[1] != '-')) return false;
  text.remove_prefix(1);
  return true;
}

// An update's column: "v" (unchanged: both images), "b->a", "?->a" or "b->?" (an image
// narrower than the other).
Status ReadUpdateCell(std::string_view& text, const ColumnSchema& column, size_t i,
                      RowChange& change) {
  const std::string_view start = text;
  std::optional<Value> before;
  if (!TakeMissing(text)) {
    Result<Value> value = ReadLineValue(text, column);
    if (!value.ok()) return value.status();
    before = std::move(value).value();
  }
  if (!text.starts_with("->")) {
    if (!before) return Unreadable("expected \"->\" after a missing value (?)", start);
    CDC_RETURN_IF_ERROR(Place(change.before, i, *before, start));
    return Place(change.after, i, std::move(*before), start);
  }
  text.remove_prefix(2);
  if (before) CDC_RETURN_IF_ERROR(Place(change.before, i, std::move(*before), start));
  if (TakeMissing(text)) return Status::Ok();
  Result<Value> after = ReadLineValue(text, column);
  if (!after.ok()) return after.status();
  return Place(change.after, i, std::move(after).value(), start);
}

// The " name=value" cells of a row change's line, through the " @" that ends them; `text`
// is left at the position.
Status ReadCells(std::string_view& text, const TableSchema& schema, RowChange& change) {
  const std::vector<ColumnSchema>& columns = schema.columns();
  for (size_t i = 0;; ++i) {
    if (i < columns.size() && text.size() > columns[i].name.size() + 1 && text[0] == ' ' &&
        text.substr(1).starts_with(columns[i].name) && text[columns[i].name.size() + 1] == '=') {
      text.remove_prefix(columns[i].name.size() + 2);
      if (change.kind == ChangeKind::kUpdate) {
        Status read = ReadUpdateCell(text, columns[i], i, change);
        if (!read.ok()) return read.WithContext(schema.id().ToString());
        continue;
      }
      Result<Value> value = ReadLineValue(text, columns[i]);
      if (!value.ok()) return value.status().WithContext(schema.id().ToString());
      Row& row = change.kind == ChangeKind::kDelete ? change.before : change.after;
      row.push_back(std::move(value).value());
      continue;
    }
    if (text.starts_with(" @")) {
      text.remove_prefix(2);
      return Status::Ok();
    }
    if (i >= columns.size() && text.starts_with(fmt::format(" #{}=", i + 1))) {
      return Unreadable(fmt::format("{} has {} columns; the line has more", schema.id().ToString(),
                                    columns.size()),
                        text);
    }
    return Unreadable(i < columns.size() ? fmt::format("expected column {} of {} or the position",
                                                       columns[i].name, schema.id().ToString())
                                         : "expected the position",
                      text);
  }
}

// Tries each table whose "db.t" name `text` may start with (split at each dot, ended by each
// space after it) that the lookup knows, in order, with `read` on the text after the name;
// the first that reads is the answer, else the first table's error.
template <typename Read>
Result<DecodedChange> ReadWithTable(const TableSchemaLookup& lookup, std::string_view text,
                                    Read read) {
  if (text.starts_with("(no schema)")) {
    return Unreadable(
        "the line was printed without its table's schema, so its values have no "
        "types to read them as",
        text);
  }
  std::optional<Status> first_error;
  const size_t dot_limit = std::min(text.size(), kMaxNameBytes + 1);
  for (size_t dot = 0; dot < dot_limit; ++dot) {
    if (text[dot] != '.') continue;
    const size_t space_limit = std::min(text.size(), dot + 2 + kMaxNameBytes);
    for (size_t space = dot + 1; space < space_limit; ++space) {
      if (text[space] != ' ') continue;
      TableSchemaPtr schema = lookup(TableId{std::string(text.substr(0, dot)),
                                             std::string(text.substr(dot + 1, space - dot - 1))});
      if (schema == nullptr) continue;
      Result<DecodedChange> decoded = read(std::move(schema), text.substr(space));
      if (decoded.ok()) return decoded;
      if (!first_error) first_error = decoded.status();
    }
  }
  if (first_error) return *first_error;
  return Unreadable("the lookup knows no table this line names", text);
}

}  // namespace

Result<DecodedChange> LineDecoder::Decode(std::string_view /*key*/, std::string_view line) const {
  static constexpr std::string_view kSchemaChange = "schema change ";
  if (line.starts_with(kSchemaChange)) {
    // "schema change db.t (alter table db.t: STATEMENT) @POSITION"
    const size_t close = line.rfind(") @");
    if (close == std::string_view::npos) return Unreadable("expected \") @\" and a position", line);
    const std::string_view position_text = line.substr(close + 3);
    const std::string_view body_end = line.substr(0, close);
    return ReadWithTable(
        lookup_, body_end.substr(kSchemaChange.size()),
        [&](TableSchemaPtr schema, std::string_view text) -> Result<DecodedChange> {
          if (!text.starts_with(" (")) return Unreadable("expected \" (\"", text);
          text.remove_prefix(2);
          auto change = std::make_shared<SchemaChange>();
          static constexpr std::array kKinds = {
              SchemaChangeKind::kCreateTable, SchemaChangeKind::kAlterTable,
              SchemaChangeKind::kRenameTable, SchemaChangeKind::kDropTable};
          const auto kind = std::find_if(kKinds.begin(), kKinds.end(), [&](SchemaChangeKind k) {
            return text.starts_with(SchemaChangeKindName(k)) &&
                   text.substr(std::string_view(SchemaChangeKindName(k)).size()).starts_with(' ');
          });
          const size_t colon = text.find(": ");
          if (kind == kKinds.end() || colon == std::string_view::npos) {
            return Unreadable("expected a schema change (\"alter table db.t: ...\")", text);
          }
          change->kind = *kind;
          change->statement = std::string(text.substr(colon + 2));
          Result<SourcePosition> position = ReadPosition(position_text);
          if (!position.ok()) return position.status();
          DecodedChange decoded;
          decoded.change.kind = ChangeKind::kSchemaChange;
          decoded.change.table = schema.get();
          decoded.change.schema_change = std::move(change);
          decoded.change.position = std::move(position).value();
          decoded.table = std::move(schema);
          return decoded;
        });
  }
  static constexpr std::array kKinds = {ChangeKind::kInsert, ChangeKind::kUpdate,
                                        ChangeKind::kDelete, ChangeKind::kTruncate};
  for (ChangeKind kind : kKinds) {
    const std::string_view name = ChangeKindName(kind);
    if (!line.starts_with(name) || line.substr(name.size(), 1) != " ") continue;
    return ReadWithTable(
        lookup_, line.substr(name.size() + 1),
        [&](TableSchemaPtr schema, std::string_view text) -> Result<DecodedChange> {
          DecodedChange decoded;
          decoded.change.kind = kind;
          decoded.change.table = schema.get();
          CDC_RETURN_IF_ERROR(ReadCells(text, *schema, decoded.change));
          Result<SourcePosition> position = ReadPosition(text);
          if (!position.ok()) return position.status();
          decoded.change.position = std::move(position).value();
          decoded.table = std::move(schema);
          return decoded;
        });
  }
  return Unreadable("expected insert, update, delete, truncate or schema change", line);
}

}  // namespace cdc
