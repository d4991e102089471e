#include "connectors/mysql/source/mysql_source_state.h"

#include <fmt/format.h>

#include <sstream>

#include "runtime/ascii.h"
#include "schema/schema_catalog.h"

namespace cdc {
namespace {

std::string Hex(std::string_view bytes) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (char c : bytes) {
    out += kDigits[static_cast<uint8_t>(c) >> 4];
    out += kDigits[static_cast<uint8_t>(c) & 15];
  }
  return out;
}

// The bytes `hex` (lower-case pairs) spells; nullopt if it is not such pairs.
std::optional<std::string> Unhex(std::string_view hex) {
  auto digit = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    int high = digit(hex[i]), low = digit(hex[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    out += static_cast<char>(high << 4 | low);
  }
  return out;
}

std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> parts;
  std::stringstream in(line);
  std::string part;
  while (std::getline(in, part, '\t')) parts.push_back(part);
  return parts;
}

void AppendTableLines(std::string& out, const char* item, const std::set<TableId>& tables) {
  for (const TableId& id : tables) out += fmt::format("{}\t{}\t{}\n", item, id.database, id.table);
}

}  // namespace

Result<MysqlSourceState> MysqlSourceState::Parse(const std::string& text) {
  MysqlSourceState state;
  std::stringstream in(text);
  std::string line;
  auto bad = [&](const std::string& why) {
    return Status::InvalidArgument(
        fmt::format("resume state line '{}' is malformed ({}): pass the "
                    "state the source reported, unchanged",
                    line, why));
  };
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    if (line.starts_with("catalog\t")) {
      state.catalog.push_back(line.substr(8));
      continue;
    }
    std::vector<std::string> parts = SplitTabs(line);
    const std::string& item = parts.empty() ? line : parts[0];
    if (item == "binlog" && parts.size() == 2) {
      auto position = BinlogPosition::Parse(parts[1]);
      if (!position.ok()) return bad(position.status().message());
      state.binlog = *position;
    } else if (item == "gtids" && parts.size() == 2) {
      auto parsed = GtidState::Parse(parts[1]);
      if (!parsed.ok()) return bad(parsed.status().message());
      state.gtids = *parsed;
    } else if (item == "skip" && (parts.size() == 2 || parts.size() == 3)) {
      auto rows = ParseDecimal(parts[1]);
      if (!rows) return bad("the row count is not a number");
      state.skip[parts.size() == 3 ? parts[2] : std::string()] = *rows;
    } else if (item == "start" && (parts.size() == 2 || parts.size() == 3)) {
      auto position = BinlogPosition::Parse(parts[1]);
      if (!position.ok()) return bad(position.status().message());
      state.snapshot_start = *position;
      state.snapshot_start_gtids = GtidState();
      if (parts.size() == 3) {
        auto gtids = GtidState::Parse(parts[2]);
        if (!gtids.ok()) return bad(gtids.status().message());
        state.snapshot_start_gtids = *gtids;
      }
    } else if (item == "gates" && parts.size() == 2 && parts[1] == "gtids") {
      state.watermarks_by_gtids = true;
    } else if ((item == "captured" || item == "released") && parts.size() == 3) {
      state.has_capture_list = true;
      (item == "captured" ? state.captured : state.released).insert(TableId{parts[1], parts[2]});
    } else if (item == "backfill" &&
               (parts.size() == 3 || (parts.size() == 4 && parts[3] == "reload"))) {
      state.backfill[TableId{parts[1], parts[2]}] = parts.size() == 4;
    } else if (item == "table" && parts.size() >= 6 &&
               (parts[3] == "done" || parts[3] == "partial")) {
      TableSnapshotState table;
      table.done = parts[3] == "done";
      auto position = BinlogPosition::Parse(parts[4]);
      if (!position.ok()) return bad(position.status().message());
      table.position = *position;
      auto rows = ParseDecimal(parts[5]);
      if (!rows) return bad("the row count is not a number");
      table.rows = *rows;
      for (size_t i = 6; i < parts.size(); ++i) {
        auto key = Unhex(parts[i]);
        if (!key) return bad("a key value is not hexadecimal");
        table.last_key.push_back(std::move(*key));
      }
      state.tables[TableId{parts[1], parts[2]}] = std::move(table);
    } else if (item == "table-gtids" && parts.size() == 4) {
      auto table = state.tables.find(TableId{parts[1], parts[2]});
      if (table == state.tables.end()) return bad("comes before its table's line");
      if (!GtidState::Parse(parts[3]).ok()) return bad("not GTIDs");
      table->second.gtids = parts[3];
    } else {
      return bad("unknown item");
    }
  }
  line.clear();
  if (!state.catalog.empty()) {
    auto catalog = SchemaCatalog::Load(state.catalog);
    if (!catalog.ok()) {
      return Status::InvalidArgument(fmt::format(
          "the resume state's schema catalog does not load ({}): pass the state the source "
          "reported, unchanged",
          catalog.status().message()));
    }
  }
  if (state.binlog.empty() && state.tables.empty() && state.snapshot_start.empty()) {
    return Status::InvalidArgument(
        "the resume state has no binlog position and no snapshot progress: pass the state the "
        "source reported, unchanged");
  }
  return state;
}

std::string MysqlSourceState::Format() const {
  std::string out;
  if (!binlog.empty()) {
    out += "binlog\t" + binlog.ToString() + "\n";
    if (!gtids.empty()) out += "gtids\t" + gtids.ToString() + "\n";
    for (const auto& [gtid, rows] : skip) {
      out += fmt::format("skip\t{}", rows);
      if (!gtid.empty()) out += "\t" + gtid;
      out += "\n";
    }
  }
  if (!snapshot_start.empty()) {
    out += "start\t" + snapshot_start.ToString();
    if (!snapshot_start_gtids.empty()) out += "\t" + snapshot_start_gtids.ToString();
    out += "\n";
  }
  if (watermarks_by_gtids) out += "gates\tgtids\n";
  for (const std::string& line : catalog) out += "catalog\t" + line + "\n";
  AppendTableLines(out, "captured", captured);
  AppendTableLines(out, "released", released);
  for (const auto& [id, reload] : backfill) {
    out += fmt::format("backfill\t{}\t{}{}\n", id.database, id.table, reload ? "\treload" : "");
  }
  for (const auto& [id, table] : tables) {
    out += fmt::format("table\t{}\t{}\t{}\t{}\t{}", id.database, id.table,
                       table.done ? "done" : "partial", table.position.ToString(), table.rows);
    for (const std::string& literal : table.last_key) out += "\t" + Hex(literal);
    out += "\n";
    if (!table.gtids.empty()) {
      out += fmt::format("table-gtids\t{}\t{}\t{}\n", id.database, id.table, table.gtids);
    }
  }
  return out;
}

std::string MysqlSourceState::Describe(const std::string& text) {
  auto state = Parse(text);
  if (!state.ok()) return text.empty() ? "the start" : "a damaged state";
  size_t done = 0;
  for (const auto& [id, table] : state->tables) done += table.done ? 1 : 0;
  if (!state->binlog.empty()) {
    size_t pending = 0;
    for (const auto& [id, reload] : state->backfill) {
      auto table = state->tables.find(id);
      pending += table == state->tables.end() || !table->second.done ? 1 : 0;
    }
    if (pending == 0) return state->binlog.ToString();
    return fmt::format("{}, {} added tables being read", state->binlog.ToString(), pending);
  }
  return fmt::format("snapshot, {} of {} tables done", done, state->tables.size());
}

}  // namespace cdc
