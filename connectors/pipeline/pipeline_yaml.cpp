#include "connectors/pipeline/pipeline_yaml.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "connectors/mysql/client/binlog_position.h"
#include "connectors/mysql/client/gtid_state.h"
#include "connectors/pipeline/yaml_section.h"
#include "runtime/ascii.h"
#include "runtime/name_suggestion.h"
#include "runtime/regex_pattern.h"

// YamlSection reads values and records problems; the Read* functions here know the keys of
// each block and check how they fit together. Problems never stop the reading, so one run
// reports them all.

namespace cdc {
namespace {

using detail::KindOf;
using Section = detail::YamlSection;

constexpr uint64_t kMaxU32 = std::numeric_limits<uint32_t>::max();
constexpr uint64_t kMaxI64 = std::numeric_limits<int64_t>::max();

// Splits at commas outside [], {} and (), trimming each item.
std::vector<std::string> SplitPatterns(const std::string& text) {
  std::vector<std::string> items;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    char c = i < text.size() ? text[i] : ',';
    if (c == '\\' && i + 1 < text.size()) {
      ++i;
    } else if (c == '[' || c == '{' || c == '(') {
      ++depth;
    } else if ((c == ']' || c == '}' || c == ')') && depth > 0) {
      --depth;
    } else if (c == ',' && (depth == 0 || i == text.size())) {
      items.emplace_back(AsciiTrim(std::string_view(text).substr(start, i - start)));
      start = i + 1;
    }
  }
  return items;
}

std::vector<std::string> SplitCommas(const std::string& text) {
  std::vector<std::string> items;
  std::stringstream stream(text);
  for (std::string item; std::getline(stream, item, ',');) items.emplace_back(AsciiTrim(item));
  return items;
}

// A Flink CDC table pattern ("db.tbl_\.*") as an RE2 regex over the whole
// "database.table", or an empty string after recording a problem.
std::string PatternToRegex(const std::string& pattern, Section& section, const std::string& key) {
  std::string parts[2];
  int part = 0;
  size_t separator = std::string::npos;  // where the first unescaped '.' stands in `pattern`
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      parts[part] += pattern[i + 1] == '.' ? "." : pattern.substr(i, 2);
      ++i;
    } else if (c == '.' && part == 0) {
      part = 1;
      separator = i;
    } else {
      parts[part] += c == '.' ? "\\." : std::string(1, c);
    }
  }
  // The plain-regex form ("db\.orders", "db\..*") escapes the separator: in a Flink CDC
  // pattern that is a regex dot. The same pattern in Flink's form swaps the two.
  size_t escaped = pattern.find("\\.");
  bool regex_form = escaped != std::string::npos && escaped > 0 &&
                    (separator == std::string::npos || separator == escaped + 2);
  std::string flink_form;
  if (regex_form) {
    std::string rest = pattern.substr(escaped + 2);
    if (rest.starts_with('.')) rest = "\\" + rest;  // its first '.' was the regex's "any"
    flink_form = pattern.substr(0, escaped) + "." + rest;
  }
  if (part == 0 || parts[0].empty() || parts[1].empty()) {
    std::string fix = regex_form ? fmt::format(
                                       ": write {} (the first '.' separates database "
                                       "and table; \\. is a regex dot)",
                                       flink_form)
                                 : ": write e.g. app_db.orders or app_db.\\.* (the first "
                                   "'.' separates database and table; \\. is a regex dot)";
    section.Problem(key, fmt::format("'{}' is not a database.table pattern{}", pattern, fix));
    return "";
  }
  std::string regex = "(?:" + parts[0] + ")\\.(?:" + parts[1] + ")";
  // The parts alone first, so that a message is about what the user wrote.
  for (const std::string& text : {parts[0], parts[1], regex}) {
    auto compiled = RegexPattern::Compile(text);
    if (compiled.ok()) continue;
    // "app_db.*" is the usual slip: the '.' is taken as the separator, leaving "*" alone.
    std::string hint;
    if (regex_form) {
      hint = fmt::format(
          ": the first '.' separates database and table and \\. is a regex "
          "dot, so write {}",
          flink_form);
    } else if (parts[1].starts_with('*')) {
      hint = fmt::format(
          ": the first '.' separates database and table, so write {}.\\.* for "
          "every table",
          pattern.substr(0, separator));
    }
    section.Problem(key, fmt::format("'{}' is not a valid regular expression: {}{}", pattern,
                                     compiled.status().message(), hint));
    return "";
  }
  return regex;
}

// The patterns of `key` as regexes; false after recording a problem.
bool TableRegexes(Section& section, const std::string& key, std::vector<std::string>& out) {
  std::vector<std::string> patterns;
  if (!section.List(key, patterns, SplitPatterns)) return false;
  if (patterns.empty()) {
    section.Problem(key, "names no table: give database.table patterns");
    return false;
  }
  std::vector<std::string> regexes;
  for (const std::string& pattern : patterns) {
    regexes.push_back(PatternToRegex(pattern, section, key));
  }
  if (std::count(regexes.begin(), regexes.end(), "") != 0) return false;
  out = std::move(regexes);
  return true;
}

// The patterns of `key` as one regex matching any of them.
bool TableRegex(Section& section, const std::string& key, std::string& out) {
  std::vector<std::string> regexes;
  if (!TableRegexes(section, key, regexes)) return false;
  out = regexes.size() == 1 ? regexes[0] : fmt::format("(?:{})", fmt::join(regexes, ")|(?:"));
  return true;
}

// Lower-cased `text` if it is one of `names`, else nullopt after recording a problem.
std::optional<std::string> OneOf(Section& section, const std::string& key, const std::string& text,
                                 const std::string& what, const std::vector<std::string>& names) {
  std::string lower = AsciiLower(text);
  if (std::find(names.begin(), names.end(), lower) != names.end()) return lower;
  std::string last = names.back();
  std::vector<std::string> rest(names.begin(), names.end() - 1);
  section.Problem(key, fmt::format("unknown {} '{}': use {} or {}{}", what, text,
                                   fmt::join(rest, ", "), last, SuggestName(text, names)));
  return std::nullopt;
}

// Calls an options struct's own Validate() when the section itself had no problem, so its
// message (which names the C++ field) only adds what the keys' checks could not see.
void ValidateOptions(Section& section, size_t problems_before, const Status& status) {
  if (section.problems().size() == problems_before && !status.ok()) {
    section.problems().Add(section.mark(), section.path(), status.message());
  }
}

void ReadConnection(Section& s, MysqlOptions& options) {
  s.String("hostname", options.host);
  s.Unsigned("port", options.port, 1, 65535);
  s.String("socket", options.socket);
  s.String("username", options.user);
  s.String("password", options.password);
  if (!s.Has("socket")) s.Require("hostname", "give the server's host name or address (or socket)");
  s.Require("username", "give the user to connect as");
  bool mode_known = true;  // absent (disabled) or valid: what the other tls keys go by
  if (auto mode = s.Text("tls.mode")) {
    auto known = OneOf(s, "tls.mode", *mode, "TLS mode",
                       {"disabled", "preferred", "required", "verify_ca", "verify_identity"});
    mode_known = known.has_value();
    if (known) {
      options.tls_mode = *known;
      if ((*known == "verify_ca" || *known == "verify_identity") && !s.Has("tls.ca")) {
        s.Problem(
            "tls.mode",
            fmt::format("{} checks the server's certificate: set tls.ca to the CA file", *known));
      }
    }
  }
  s.String("tls.ca", options.tls_ca);
  s.String("tls.cert", options.tls_cert);
  s.String("tls.key", options.tls_key);
  bool verifies = options.tls_mode == "verify_ca" || options.tls_mode == "verify_identity";
  if (s.Has("tls.ca") && !verifies && mode_known) {
    s.Problem(
        "tls.ca",
        fmt::format(
            "tls.mode {} does not check the server's certificate: set tls.mode to verify_ca or "
            "verify_identity, or remove tls.ca",
            options.tls_mode));
  }
  if (s.Has("tls.cert") != s.Has("tls.key")) {
    s.Problem(s.Has("tls.cert") ? "tls.cert" : "tls.key",
              "a client certificate needs both tls.cert and tls.key: add the one missing");
  } else if (s.Has("tls.cert") && options.tls_mode == "disabled" && mode_known) {
    s.Problem("tls.cert",
              "a client certificate needs TLS: set tls.mode to required, verify_ca "
              "or verify_identity");
  }
  s.Seconds("connect.timeout", options.connect_timeout_s);
  s.Seconds("read.timeout", options.read_timeout_s);
  s.Seconds("write.timeout", options.write_timeout_s);
}

// server-id: one id, or a Flink CDC range "5401-5404" of which the first is used.
void ReadServerId(Section& s, uint32_t& out) {
  auto text = s.Text("server-id");
  if (!text) return;
  if (size_t dash = text->find('-'); dash != std::string::npos && dash > 0) {
    std::string first(AsciiTrim(text->substr(0, dash)));
    uint64_t low = 0, high = 0;
    auto ok = [](const std::string& t, uint64_t& v) {
      const char* end = t.data() + t.size();
      return !t.empty() && std::from_chars(t.data(), end, v).ptr == end;
    };
    std::string second(AsciiTrim(text->substr(dash + 1)));
    if (!ok(first, low) || !ok(second, high) || low == 0 || high < low || high > kMaxU32) {
      s.Problem("server-id", fmt::format("'{}' is not a server id or range: give a number from 1 "
                                         "to 4294967295, or a range such as 5401-5404",
                                         *text));
      return;
    }
    out = static_cast<uint32_t>(low);
    return;
  }
  s.Unsigned("server-id", out, 1, kMaxU32);
}

// False when the mode is unknown (a problem is recorded).
bool ReadStartup(Section& s, MysqlCdcSourceOptions& options) {
  static const std::vector<std::pair<std::string, StartupMode>> kModes = {
      {"initial", StartupMode::kInitial},
      {"snapshot", StartupMode::kSnapshot},
      {"latest-offset", StartupMode::kLatest},
      {"earliest-offset", StartupMode::kEarliest},
      {"specific-offset", StartupMode::kSpecific},
      {"timestamp", StartupMode::kTimestamp},
      {"latest", StartupMode::kLatest},
      {"earliest", StartupMode::kEarliest},
      {"specific", StartupMode::kSpecific}};
  const std::string kKey = "scan.startup.mode";
  bool mode_known = true;
  if (auto text = s.Text(kKey)) {
    std::vector<std::string> names;
    for (const auto& mode : kModes) names.push_back(mode.first);
    names.resize(6);  // the short aliases are accepted, not advertised
    auto it = std::find_if(kModes.begin(), kModes.end(),
                           [&](const auto& mode) { return mode.first == AsciiLower(*text); });
    if (it != kModes.end()) {
      options.startup = it->second;
    } else {
      mode_known = OneOf(s, kKey, *text, "startup mode", names).has_value();
    }
  }
  const std::string kFile = "scan.startup.specific-offset.file";
  const std::string kPos = "scan.startup.specific-offset.pos";
  const std::string kGtid = "scan.startup.specific-offset.gtid-set";
  const std::string kTimestamp = "scan.startup.timestamp-millis";
  std::string file, gtids;
  uint64_t pos = 0;
  bool has_file = s.String(kFile, file), has_pos = s.Unsigned(kPos, pos, 0, kMaxI64);
  bool has_gtids = s.String(kGtid, gtids);
  s.Unsigned(kTimestamp, options.start_timestamp_ms, 0, kMaxI64);
  if (!mode_known) return false;
  bool specific = options.startup == StartupMode::kSpecific;
  for (const std::string& key : {kFile, kPos, kGtid}) {
    if (!specific && s.Has(key)) {
      s.Problem(key,
                "is only used with scan.startup.mode: specific-offset: remove it or set "
                "the mode");
    }
  }
  if (options.startup != StartupMode::kTimestamp && s.Has(kTimestamp)) {
    s.Problem(kTimestamp,
              "is only used with scan.startup.mode: timestamp: remove it or set the "
              "mode");
  }
  if (options.startup == StartupMode::kTimestamp && !s.Has(kTimestamp)) {
    s.Problem(kKey,
              "timestamp needs scan.startup.timestamp-millis: the Unix time in milliseconds "
              "to start from");
  }
  if (!specific) return true;
  if ((has_file || has_pos) && has_gtids) {
    s.Problem(kGtid,
              "give either scan.startup.specific-offset.file and .pos, or .gtid-set, "
              "not both");
  } else if (has_gtids) {
    if (auto parsed = GtidState::Parse(gtids); !parsed.ok()) {
      s.Problem(kGtid, parsed.status().message());
    }
    options.start_position = gtids;
  } else if (has_file && has_pos) {
    options.start_position = fmt::format("{}:{}", file, pos);
    if (auto parsed = BinlogPosition::Parse(options.start_position); !parsed.ok()) {
      s.Problem(kFile, parsed.status().message());
    }
  } else if (!s.Has(kFile) && !s.Has(kPos) && !s.Has(kGtid)) {
    s.Problem(kKey,
              "specific-offset needs scan.startup.specific-offset.file and .pos (a binlog "
              "file and offset), or scan.startup.specific-offset.gtid-set");
  } else if (s.Has(kFile) != s.Has(kPos)) {
    s.Problem(s.Has(kFile) ? kFile : kPos, "needs both scan.startup.specific-offset.file and .pos");
  }
  return true;
}

void ReadMysqlSource(Section& s, MysqlCdcSourceOptions& options) {
  size_t before = s.problems().size();
  ReadConnection(s, options.connection);
  s.Require("tables", "list the tables to capture as database.table patterns, e.g. app_db.\\.*");
  TableRegexes(s, "tables", options.include_tables);
  if (s.Has("tables.exclude")) TableRegexes(s, "tables.exclude", options.exclude_tables);
  ReadServerId(s, options.server_id);
  bool mode_known = ReadStartup(s, options);
  if (mode_known && options.startup != StartupMode::kSnapshot && !s.Has("server-id")) {
    s.Problem("server-id",
              "required key is missing: streaming the binlog needs an id unique "
              "among the server's replicas, e.g. 5401");
  }
  s.Unsigned("scan.incremental.snapshot.chunk.size", options.snapshot.chunk_rows, 1, kMaxU32);
  s.Unsigned("scan.snapshot.parallelism", options.snapshot.parallelism, 1, 64);
  if (auto text = s.Text("scan.snapshot.locking")) {
    if (auto known =
            OneOf(s, "scan.snapshot.locking", *text, "snapshot locking", {"minimal", "none"})) {
      options.snapshot.locking = *ParseSnapshotLocking(*known);
    }
  }
  s.Bool("scan.stop-at-end", options.stop_at_end);
  s.Millis("heartbeat.interval", options.heartbeat_ms, 1);
  s.Unsigned("connect.max-retries", options.reconnect_attempts, 1, kMaxU32);
  s.Millis("connect.retry-backoff", options.reconnect_backoff_ms, 1);
  s.Bool("schema-change.skip-unparseable-ddl", options.skip_unparseable_ddl);
  ValidateOptions(s, before, options.connection.Validate());
}

void ReadDatagenSource(Section& s, DatagenOptions& options) {
  size_t before = s.problems().size();
  s.String("database", options.database);
  s.String("table-prefix", options.table_prefix);
  s.Unsigned("table-count", options.tables, 1, 100'000);
  s.Unsigned("key-space", options.key_space, 1, kMaxU32);
  s.Unsigned("insert-weight", options.insert_weight, 0, 1'000'000);
  s.Unsigned("update-weight", options.update_weight, 0, 1'000'000);
  s.Unsigned("delete-weight", options.delete_weight, 0, 1'000'000);
  s.Unsigned("key-update-percent", options.key_update_percent, 0, 100);
  s.Unsigned("rows-per-second", options.rate);
  s.Unsigned("number-of-rows", options.count);
  s.Unsigned("seed", options.seed);
  s.Unsigned("rows-per-poll", options.rows_per_poll, 1, 1'000'000);
  s.Unsigned("value-length", options.c_length, 0, 65'535);
  ValidateOptions(s, before, options.Validate());
}

// The value of `key` is "database.table"; false after recording a problem.
bool IsTableName(Section& s, const std::string& key, const std::string& name) {
  size_t dot = name.find('.');
  if (dot != std::string::npos && dot > 0 && dot + 1 < name.size()) return true;
  s.Problem(key, fmt::format("'{}' is not database.table: write e.g. ods.orders", name));
  return false;
}

void ReadLogicalDelete(Section& s, LogicalDeleteOptions& options) {
  s.Bool("logical-delete.enabled", options.enabled);
  if (s.String("logical-delete.flag-column", options.flag_column) && options.flag_column.empty()) {
    s.Problem("logical-delete.flag-column", "is empty: name the column that flags deleted rows");
  }
  s.String("logical-delete.time-column", options.time_column);
  if (!options.time_column.empty() && options.time_column == options.flag_column) {
    s.Problem("logical-delete.time-column", "is the flag column too: give them different names");
  }
  for (const auto& [key, on] : {std::pair{std::string("logical-delete.tables"), true},
                                std::pair{std::string("logical-delete.tables.exclude"), false}}) {
    std::vector<std::string> tables;
    s.List(key, tables, SplitCommas);
    for (const std::string& table : tables) {
      if (!IsTableName(s, key, table)) continue;
      auto [it, inserted] = options.per_table.emplace(table, on);
      if (!inserted && it->second != on) {
        s.Problem(key, fmt::format("{} is in logical-delete.tables and in "
                                   "logical-delete.tables.exclude: keep it in one",
                                   table));
      }
    }
  }
}

void ReadMysqlSink(Section& s, MysqlSinkOptions& options) {
  size_t before = s.problems().size();
  ReadConnection(s, options.connection);
  s.String("database", options.target_database);
  s.Bool("auto-create", options.auto_create);
  s.Unsigned("max-connections", options.max_connections, 1, 1024);
  s.Bytes("max-statement-size", options.max_statement_bytes, 0);
  s.Bool("sql-log-bin", options.write_binlog);
  s.Bool("array-binding", options.array_binding);
  s.Unsigned("retry.max-attempts", options.retry.max_attempts, 1, kMaxU32);
  s.Millis("retry.initial-backoff", options.retry.initial_backoff_ms, 1);
  s.Millis("retry.max-backoff", options.retry.max_backoff_ms, 1);
  if (options.retry.max_backoff_ms < options.retry.initial_backoff_ms) {
    s.Problem("retry.max-backoff", "is below retry.initial-backoff: raise it");
  }
  ReadLogicalDelete(s, options.logical_delete);
  if (s.String("schema-history.table", options.schema_history_table)) {
    IsTableName(s, "schema-history.table", options.schema_history_table);
  }
  ValidateOptions(s, before, options.connection.Validate());
}

// A TiCDC `matcher` or `columns` list: a YAML list, or one comma-separated value.
bool ReadNameList(Section& s, const std::string& key, std::vector<std::string>& out) {
  return s.List(key, out, SplitCommas);
}

void ReadDispatchRule(Section& s, DispatchRule& rule) {
  s.Require("matcher", "list the tables the rule takes, e.g. matcher: ['shop.*']");
  ReadNameList(s, "matcher", rule.matcher);
  s.String("topic", rule.topic);
  // TiCDC's older name for `partition` is `dispatcher`; a rule may not have both.
  if (s.Has("partition") && s.Has("dispatcher")) {
    s.Problem("dispatcher", "is the old name of partition: keep one of them");
  }
  const std::string key = s.Has("dispatcher") ? "dispatcher" : "partition";
  if (auto text = s.Text(key)) {
    if (auto dispatch = ParsePartitionDispatch(*text)) {
      rule.partition = *dispatch;
    } else {
      OneOf(s, key, *text, "partition dispatcher",
            {"default", "table", "index-value", "columns", "ts"});
    }
  }
  s.String("index", rule.index);
  ReadNameList(s, "columns", rule.columns);
}

void ReadColumnSelector(Section& s, ColumnSelectorRule& rule) {
  s.Require("matcher", "list the tables the selector takes, e.g. matcher: ['shop.*']");
  s.Require("columns", "list the columns to keep, e.g. columns: ['*', '!secret']");
  ReadNameList(s, "matcher", rule.matcher);
  ReadNameList(s, "columns", rule.columns);
}

void ForEachItem(Section& top, const std::string& key, const std::string& first_key,
                 const std::function<void(Section&)>& read);

void ReadKafkaSink(Section& s, KafkaSinkOptions& options) {
  size_t before = s.problems().size();
  if (auto uri = s.Text("sink-uri")) {
    if (Status applied = ApplyKafkaSinkUri(*uri, options); !applied.ok()) {
      s.Problem("sink-uri", applied.message());
    }
  }
  std::vector<std::string> brokers;
  if (s.List("bootstrap-servers", brokers, SplitCommas)) options.brokers = brokers;
  // Every TiCDC option by its own name; a key here overrides the same parameter of sink-uri.
  for (const std::string& name : KafkaSinkOptionNames()) {
    if (auto text = s.Text(name)) {
      if (Status set = SetKafkaSinkOption(name, *text, options); !set.ok()) {
        s.Problem(name, set.message());
      }
    }
  }
  ForEachItem(s, "dispatchers", "matcher",
              [&](Section& item) { ReadDispatchRule(item, options.dispatchers.emplace_back()); });
  ForEachItem(s, "column-selectors", "matcher", [&](Section& item) {
    ReadColumnSelector(item, options.column_selectors.emplace_back());
  });
  for (const std::string& key : s.KeysStartingWith("properties.")) {
    std::string value;
    if (s.String(key, value))
      options.properties[key.substr(std::string("properties.").size())] = value;
  }
  if (!s.Has("sink-uri") && !s.Has("bootstrap-servers")) {
    s.Problem("sink-uri",
              "required key is missing: give sink-uri: kafka://host:9092/topic?protocol=... or "
              "bootstrap-servers and topic");
  }
  ValidateOptions(s, before, options.Validate());
}

void ReadSource(Section& top, SourceConfig& source) {
  Section s(top.Node("source"), "source", top.MarkOf("source"), top.problems(), top.env());
  if (!top.Has("source")) {
    top.Problem("source",
                "required block is missing: add a source: block with type: mysql or "
                "datagen");
    return;
  }
  if (!s.valid()) return;
  s.String("name", source.name);
  s.Require("type", "use mysql or datagen");
  auto text = s.Text("type");
  auto type = text ? OneOf(s, "type", *text, "source type", {"mysql", "datagen"}) : std::nullopt;
  if (!type) return;  // without a type its other keys cannot be checked
  source.type = *type == "mysql" ? SourceType::kMysql : SourceType::kDatagen;
  if (source.type == SourceType::kMysql) ReadMysqlSource(s, source.mysql);
  if (source.type == SourceType::kDatagen) ReadDatagenSource(s, source.datagen);
  s.ReportUnknownKeys();
}

void ReadSink(Section& top, SinkConfig& sink) {
  Section s(top.Node("sink"), "sink", top.MarkOf("sink"), top.problems(), top.env());
  if (!top.Has("sink")) {
    top.Problem("sink",
                "required block is missing: add a sink: block with type: mysql, kafka, print or "
                "blackhole");
    return;
  }
  if (!s.valid()) return;
  s.String("name", sink.name);
  s.Require("type", "use mysql, kafka, print or blackhole");
  auto text = s.Text("type");
  auto type = text ? OneOf(s, "type", *text, "sink type", {"mysql", "kafka", "print", "blackhole"})
                   : std::nullopt;
  if (!type) return;
  sink.type = *type == "mysql"   ? SinkType::kMysql
              : *type == "kafka" ? SinkType::kKafka
              : *type == "print" ? SinkType::kPrint
                                 : SinkType::kBlackhole;
  if (sink.type == SinkType::kMysql) ReadMysqlSink(s, sink.mysql);
  if (sink.type == SinkType::kKafka) ReadKafkaSink(s, sink.kafka);
  s.ReportUnknownKeys();
}

// Calls `read` with a Section for each mapping in the list under `key`.
void ForEachItem(Section& top, const std::string& key, const std::string& first_key,
                 const std::function<void(Section&)>& read) {
  YAML::Node list = top.Node(key);
  if (!list.IsDefined() || list.IsNull()) return;
  if (!list.IsSequence()) {
    top.Problem(key, fmt::format("is {}, not a list: write each rule as a '- {}: ...' item",
                                 KindOf(list), first_key));
    return;
  }
  for (size_t i = 0; i < list.size(); ++i) {
    Section item(list[i], fmt::format("{}[{}]", top.Path(key), i), list[i].Mark(), top.problems(),
                 top.env());
    if (!item.valid()) continue;
    read(item);
    item.ReportUnknownKeys();
  }
}

void ReadRoute(Section& s, RouteRule& rule) {
  s.Require("source-table", "give the database.table pattern of the tables to route");
  s.Require("sink-table", "give the database.table the rows go to");
  TableRegex(s, "source-table", rule.source_table);
  s.String("replace-symbol", rule.replace_symbol);
  if (s.Has("replace-symbol") && rule.replace_symbol.empty()) {
    s.Problem("replace-symbol", "is empty: give the text that stands for the table name, e.g. <>");
  }
  if (s.String("sink-table", rule.sink_table)) {
    std::string name = rule.sink_table;
    for (size_t at; !rule.replace_symbol.empty() &&
                    (at = name.find(rule.replace_symbol)) != std::string::npos;) {
      name.replace(at, rule.replace_symbol.size(), "t");
    }
    IsTableName(s, "sink-table", name);
  }
  s.String("description", rule.description);
}

bool IsColumnName(const std::string& name) {
  if (name.size() >= 2 && name.front() == '`' && name.back() == '`') return true;
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' ||
           static_cast<unsigned char>(c) >= 0x80;
  });
}

void ReadTransform(Section& s, TransformRule& rule) {
  s.Require("source-table", "give the database.table pattern of the tables to transform");
  TableRegex(s, "source-table", rule.source_table);
  std::vector<std::string> columns;
  if (s.List("projection", columns, SplitCommas)) {
    if (columns.size() == 1 && columns[0] == "*") columns.clear();
    for (std::string& column : columns) {
      if (column == "*") {
        s.Problem("projection", "'*' keeps every column: give it alone, or list the columns");
      } else if (!IsColumnName(column)) {
        s.Problem("projection", fmt::format("'{}' is not a column name: list columns only "
                                            "(expressions are not supported)",
                                            column));
      } else if (column.front() == '`') {
        column = column.substr(1, column.size() - 2);
      }
    }
    rule.projection = std::move(columns);
  }
  s.String("filter", rule.filter);
  s.String("description", rule.description);
}

void ReadPipeline(Section& top, PipelineSettings& settings, std::string_view file_name) {
  Section s(top.Node("pipeline"), "pipeline", top.MarkOf("pipeline"), top.problems(), top.env());
  size_t before = s.problems().size();
  std::string stem = std::filesystem::path(std::string(file_name)).stem().string();
  settings.job.name = stem.empty() ? "cdc-pipeline" : stem;
  if (s.String("name", settings.job.name) && settings.job.name.empty()) {
    s.Problem("name", "is empty: name the pipeline, or remove the key to use the file's name");
  }
  s.Unsigned("parallelism", settings.job.parallelism, 1, 4096);
  s.Unsigned("threads", settings.job.threads, 0, 4096);
  FlushPolicy& flush = settings.flush;
  s.Unsigned("flush.rows", flush.flush_rows, 1, kMaxU32);
  s.Bytes("flush.bytes", flush.flush_bytes, 1);
  s.Duration("flush.interval", flush.flush_interval, 1000);
  flush.capacity_rows = std::max(flush.capacity_rows, 2 * flush.flush_rows);
  flush.capacity_bytes = std::max(flush.capacity_bytes, 2 * flush.flush_bytes);
  if (s.Unsigned("buffer.max-rows", flush.capacity_rows, 1, kMaxU32) &&
      flush.capacity_rows < flush.flush_rows) {
    s.Problem("buffer.max-rows", fmt::format("{} is below flush.rows ({}): raise it to at least "
                                             "flush.rows, ideally twice it",
                                             flush.capacity_rows, flush.flush_rows));
  }
  if (s.Bytes("buffer.max-bytes", flush.capacity_bytes, 1) &&
      flush.capacity_bytes < flush.flush_bytes) {
    s.Problem("buffer.max-bytes", fmt::format("{} bytes is below flush.bytes ({}): raise it to at "
                                              "least flush.bytes",
                                              flush.capacity_bytes, flush.flush_bytes));
  }
  settings.job.checkpoint_interval = Micros(10'000'000);
  s.Duration("checkpoint.interval", settings.job.checkpoint_interval, 0);
  s.String("state.dir", settings.state_dir);
  if (!settings.state_dir.empty() && settings.job.checkpoint_interval.count() == 0) {
    s.Problem("state.dir",
              "is set but checkpoint.interval is 0, so no state is ever kept: set "
              "checkpoint.interval, e.g. 10s");
  }
  if (auto text = s.Text("schema.change.behavior")) {
    if (auto behavior = ParseSchemaChangeBehavior(*text)) {
      settings.schema_change = *behavior;
    } else {
      OneOf(s, "schema.change.behavior", *text, "schema change behavior",
            {"exception", "evolve", "try_evolve", "lenient", "ignore"});
    }
  }
  s.ReportUnknownKeys();
  ValidateOptions(s, before, flush.Validate());
}

}  // namespace

Result<PipelineConfig> ParsePipelineYaml(std::string_view yaml_text, std::string_view file_name,
                                         const EnvLookup& env) {
  detail::YamlProblems problems{std::string(file_name)};
  try {
    YAML::Node root = YAML::Load(std::string(yaml_text));
    if (root.IsNull()) {
      problems.AddForFile(
          "the file is empty: a pipeline needs at least a source: and a sink: block");
      return problems.ToStatus();
    }
    if (!root.IsMap()) {
      problems.Add(root.Mark(), "",
                   fmt::format("the file is {}, not a mapping: write source:, "
                               "sink: and the other blocks at the top level",
                               KindOf(root)));
      return problems.ToStatus();
    }
    Section top(root, "", YAML::Mark(), problems, env);
    PipelineConfig config;
    config.file = std::string(file_name);
    ReadSource(top, config.source);
    ReadSink(top, config.sink);
    ForEachItem(top, "route", "source-table",
                [&](Section& item) { ReadRoute(item, config.routes.emplace_back()); });
    ForEachItem(top, "transform", "source-table",
                [&](Section& item) { ReadTransform(item, config.transforms.emplace_back()); });
    ReadPipeline(top, config.pipeline, file_name);
    // The sink applies schema changes; it records them under the pipeline's name.
    config.sink.mysql.schema_change = config.pipeline.schema_change;
    config.sink.mysql.pipeline_name = config.pipeline.job.name;
    top.ReportUnknownKeys();
    if (problems.size() != 0) return problems.ToStatus();
    return config;
  } catch (const YAML::Exception& e) {
    problems.Add(e.mark, "",
                 fmt::format("not valid YAML: {}: check the indentation, quotes and "
                             "brackets here or just above",
                             e.msg));
    return problems.ToStatus();
  } catch (const std::exception& e) {
    return Status::Internal(
        fmt::format("{}: reading the pipeline failed: {}", file_name, e.what()));
  }
}

Result<PipelineConfig> LoadPipelineFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  if (in) text << in.rdbuf();
  if (!in || in.bad()) {
    return Status::IoError(
        fmt::format("cannot read pipeline file '{}': {}", path, std::strerror(errno)));
  }
  return ParsePipelineYaml(text.str(), path, [](const std::string& name) {
    const char* value = std::getenv(name.c_str());
    return value != nullptr ? std::optional<std::string>(value) : std::nullopt;
  });
}

}  // namespace cdc
