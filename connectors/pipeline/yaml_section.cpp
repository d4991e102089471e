#include "connectors/pipeline/yaml_section.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>
#include <tuple>

#include "runtime/ascii.h"
#include "runtime/name_suggestion.h"

namespace cdc::detail {
namespace {

constexpr uint64_t kMaxU32 = std::numeric_limits<uint32_t>::max();
constexpr uint64_t kMaxI64 = std::numeric_limits<int64_t>::max();

struct Unit {
  const char* name;
  int64_t scale;
};
constexpr Unit kDurationUnits[] = {
    {"ms", 1000},      {"s", 1'000'000},     {"sec", 1'000'000},    {"min", 60'000'000},
    {"m", 60'000'000}, {"h", 3'600'000'000}, {"d", 86'400'000'000},
};
constexpr Unit kSizeUnits[] = {
    {"b", 1},
    {"k", int64_t{1} << 10},
    {"kb", int64_t{1} << 10},
    {"kib", int64_t{1} << 10},
    {"m", int64_t{1} << 20},
    {"mb", int64_t{1} << 20},
    {"mib", int64_t{1} << 20},
    {"g", int64_t{1} << 30},
    {"gb", int64_t{1} << 30},
    {"gib", int64_t{1} << 30},
};

// "<digits>[ ]<unit>" scaled by the unit, or by `bare` without one; nullopt when malformed or
// beyond int64.
template <size_t N>
std::optional<int64_t> ParseScaled(const std::string& text, const Unit (&units)[N], int64_t bare) {
  size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  int64_t number = 0;
  if (digits == 0 || std::from_chars(text.data(), text.data() + digits, number).ec != std::errc()) {
    return std::nullopt;
  }
  std::string unit = AsciiLower(AsciiTrim(std::string_view(text).substr(digits)));
  int64_t scale = bare;
  if (!unit.empty()) {
    auto it = std::find_if(std::begin(units), std::end(units),
                           [&](const Unit& u) { return unit == u.name; });
    if (it == std::end(units)) return std::nullopt;
    scale = it->scale;
  }
  if (number > std::numeric_limits<int64_t>::max() / scale) return std::nullopt;
  return number * scale;
}

std::string Range(uint64_t min, uint64_t max) {
  if (max >= kMaxI64) return fmt::format("give a whole number of at least {}", min);
  return fmt::format("give a whole number from {} to {}", min, max);
}

std::string FormatMicros(int64_t us) {
  if (us % 1'000'000 == 0) return fmt::format("{}s", us / 1'000'000);
  return fmt::format("{}ms", us / 1000);
}

bool IsVariableName(std::string_view name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

// Flink CDC options that a Flink file may carry and this engine does not implement.
bool IsUnsupportedFlinkOption(const std::string& key) {
  static const std::set<std::string> kKeys = {"server-time-zone",
                                              "scan.snapshot.fetch.size",
                                              "connection.pool.size",
                                              "schema-change.enabled",
                                              "scan.newly-added-table.enabled",
                                              "scan.binlog.newly-added-table.enabled",
                                              "scan.incremental.close-idle-reader.enabled",
                                              "scan.incremental.snapshot.chunk.key-column",
                                              "scan.incremental.snapshot.backfill.skip",
                                              "scan.startup.specific-offset.skip-events",
                                              "scan.startup.specific-offset.skip-rows",
                                              "chunk-meta.group.size",
                                              "chunk-key.even-distribution.factor.upper-bound",
                                              "chunk-key.even-distribution.factor.lower-bound",
                                              "include-comments.enabled",
                                              "metadata.list",
                                              "treat-tinyint1-as-boolean.enabled",
                                              "scan.parse.online.schema.changes.enabled",
                                              "local-time-zone",
                                              "execution.runtime-mode",
                                              "schema.operator.uid",
                                              "schema-operator.rpc-timeout",
                                              "primary-keys",
                                              "partition-keys",
                                              "table-options",
                                              "converter-after-transform"};
  return kKeys.count(key) != 0 || key.starts_with("jdbc.properties.") ||
         key.starts_with("debezium.");
}

}  // namespace

YamlSection::YamlSection(const YAML::Node& node, std::string path, const YAML::Mark& mark,
                         YamlProblems& problems, const EnvLookup& env)
    : path_(std::move(path)), mark_(mark), problems_(problems), env_(env) {
  if (node.IsNull()) return;
  if (!node.IsMap()) {
    valid_ = false;
    problems_.Add(
        node.Mark(), path_,
        fmt::format(
            "is {}, not a mapping: write its keys indented below it, one 'key: value' a line",
            KindOf(node)));
    return;
  }
  for (auto it = node.begin(); it != node.end(); ++it) {
    if (!it->first.IsScalar()) {
      problems_.Add(it->first.Mark(), path_, "a key must be a single name");
      continue;
    }
    const std::string& key = it->first.Scalar();
    auto first = std::find_if(entries_.begin(), entries_.end(),
                              [&](const Entry& entry) { return entry.key == key; });
    if (first != entries_.end()) {
      problems_.Add(
          it->first.Mark(), Path(key),
          fmt::format("duplicate key: it is also at line {}: keep one", first->mark.line + 1));
      continue;
    }
    entries_.push_back({key, it->first.Mark(), it->second});
  }
}

YAML::Mark YamlSection::MarkOf(const std::string& key) {
  const Entry* entry = Find(key);
  return entry != nullptr ? entry->mark : mark_;
}

void YamlSection::Problem(const std::string& key, const std::string& what) {
  problems_.Add(MarkOf(key), Path(key), what);
}

void YamlSection::Require(const std::string& key, const std::string& hint) {
  if (!Has(key)) Problem(key, "required key is missing: " + hint);
}

YAML::Node YamlSection::Node(const std::string& key) {
  const Entry* entry = Find(key);
  return entry != nullptr ? entry->value : YAML::Node();
}

std::optional<std::string> YamlSection::Text(const std::string& key, const char* expected) {
  const Entry* entry = Find(key);
  if (entry == nullptr) return std::nullopt;
  if (entry->value.IsNull()) {
    Problem(key, fmt::format("has no value: give {} or remove the key", expected));
    return std::nullopt;
  }
  if (!entry->value.IsScalar()) {
    Problem(key, fmt::format("is {}, not a single value", KindOf(entry->value)));
    return std::nullopt;
  }
  return Substitute(entry->value.Scalar(), key, entry->mark);
}

bool YamlSection::String(const std::string& key, std::string& out) {
  if (const Entry* entry = Find(key); entry != nullptr && entry->value.IsNull()) {
    out.clear();
    return true;
  }
  auto text = Text(key);
  if (text) out = *text;
  return text.has_value();
}

bool YamlSection::Bool(const std::string& key, bool& out) {
  auto text = Text(key, "true or false");
  if (!text) return false;
  std::string lower = AsciiLower(*text);
  if (lower != "true" && lower != "false") {
    Problem(key, fmt::format("'{}' is not a boolean: write true or false", *text));
    return false;
  }
  out = lower == "true";
  return true;
}

bool YamlSection::UnsignedValue(const std::string& key, uint64_t& out, uint64_t min, uint64_t max) {
  auto text = Text(key, "a whole number");
  if (!text) return false;
  bool negative = text->starts_with('-') && AllAsciiDigits(std::string_view(*text).substr(1));
  if (!AllAsciiDigits(*text) && !negative) {
    Problem(key, fmt::format("'{}' is not a whole number: {}", *text, Range(min, max)));
    return false;
  }
  uint64_t value = 0;
  bool fits = std::from_chars(text->data(), text->data() + text->size(), value).ec == std::errc();
  if (negative || !fits || value < min || value > max) {
    Problem(key, fmt::format("{} is out of range: {}", *text, Range(min, max)));
    return false;
  }
  out = value;
  return true;
}

bool YamlSection::Duration(const std::string& key, Micros& out, int64_t min_us) {
  auto text = Text(key, "a duration such as 500ms or 10s");
  if (!text) return false;
  std::optional<int64_t> us = ParseScaled(*text, kDurationUnits, 1000);
  if (!us) {
    Problem(key, fmt::format("'{}' is not a duration: write a whole number with a unit ms, s, min, "
                             "h or d (500ms, 10s, 1min), or a number of milliseconds",
                             *text));
    return false;
  }
  if (*us < min_us) {
    Problem(key, fmt::format("{} is too short: give at least {}", *text, FormatMicros(min_us)));
    return false;
  }
  out = Micros(*us);
  return true;
}

bool YamlSection::Millis(const std::string& key, uint32_t& out_ms, int64_t min_ms) {
  Micros value{0};
  if (!Duration(key, value, min_ms * 1000)) return false;
  if (static_cast<uint64_t>(value.count() / 1000) > kMaxU32) {
    Problem(key, "is too long: give at most 49d");
    return false;
  }
  out_ms = static_cast<uint32_t>(value.count() / 1000);
  return true;
}

bool YamlSection::Seconds(const std::string& key, uint32_t& out_s) {
  Micros value{0};
  if (!Duration(key, value, 1'000'000)) return false;
  int64_t us = value.count();
  if (us % 1'000'000 != 0 || static_cast<uint64_t>(us / 1'000'000) > kMaxU32) {
    Problem(key, "is not a whole number of seconds: write e.g. 10s");
    return false;
  }
  out_s = static_cast<uint32_t>(value.count() / 1'000'000);
  return true;
}

bool YamlSection::Bytes(const std::string& key, size_t& out, uint64_t min) {
  auto text = Text(key, "a size such as 4mb");
  if (!text) return false;
  std::optional<int64_t> bytes = ParseScaled(*text, kSizeUnits, 1);
  if (!bytes) {
    Problem(key, fmt::format("'{}' is not a size: write a number of bytes, or one with a unit kb, "
                             "mb or gb (512kb, 4mb)",
                             *text));
    return false;
  }
  if (static_cast<uint64_t>(*bytes) < min) {
    Problem(key, fmt::format("{} is too small: give at least {} bytes", *text, min));
    return false;
  }
  out = static_cast<size_t>(*bytes);
  return true;
}

bool YamlSection::List(const std::string& key, std::vector<std::string>& out,
                       const std::function<std::vector<std::string>(const std::string&)>& split) {
  const Entry* entry = Find(key);
  if (entry == nullptr) return false;
  if (entry->value.IsNull()) {
    Problem(key, "has no value: list one or more items, or remove the key");
    return false;
  }
  std::vector<std::string> items;
  if (entry->value.IsSequence()) {
    bool ok = true;
    for (const YAML::Node& item : entry->value) {
      if (!item.IsScalar()) {
        problems_.Add(item.Mark(), Path(key),
                      fmt::format("an item is {}: list single values", KindOf(item)));
        ok = false;
      } else if (auto text = Substitute(item.Scalar(), key, item.Mark())) {
        items.emplace_back(AsciiTrim(*text));
      } else {
        ok = false;
      }
    }
    if (!ok) return false;
  } else {
    auto text = Text(key);
    if (!text) return false;
    items = split(*text);
  }
  items.erase(std::remove(items.begin(), items.end(), ""), items.end());
  out = std::move(items);
  return true;
}

void YamlSection::ReportUnknownKeys() {
  for (const Entry& entry : entries_) {
    if (entry.known) continue;
    std::string hint = SuggestName(entry.key, known_);
    if (IsUnsupportedFlinkOption(entry.key)) {
      hint = ": it is a Flink CDC option that cdc-pipeline does not support: remove it";
    } else if (hint.empty()) {
      hint = fmt::format(": remove it or check its spelling; the keys here are {}",
                         fmt::join(known_, ", "));
    }
    problems_.Add(entry.mark, Path(entry.key), "unknown key" + hint);
  }
}

std::vector<std::string> YamlSection::KeysStartingWith(const std::string& prefix) {
  std::vector<std::string> keys;
  for (Entry& entry : entries_) {
    if (entry.key.starts_with(prefix)) keys.push_back(entry.key);
  }
  for (const std::string& key : keys) Find(key);
  return keys;
}

YamlSection::Entry* YamlSection::Find(const std::string& key) {
  if (std::find(known_.begin(), known_.end(), key) == known_.end()) known_.push_back(key);
  for (Entry& entry : entries_) {
    if (entry.key == key) {
      entry.known = true;
      return &entry;
    }
  }
  return nullptr;
}

std::optional<std::string> YamlSection::Substitute(const std::string& text, const std::string& key,
                                                   const YAML::Mark& mark) {
  std::string out;
  bool ok = true;
  for (size_t i = 0; i < text.size();) {
    if (text.compare(i, 3, "$${") == 0) {
      out += "${";
      i += 3;
      continue;
    }
    if (text.compare(i, 2, "${") != 0) {
      out += text[i++];
      continue;
    }
    size_t close = text.find('}', i + 2);
    if (close == std::string::npos) {
      problems_.Add(mark, Path(key), "'${' is not closed: write ${NAME}, or $${ for a literal ${");
      return std::nullopt;
    }
    std::string inner = text.substr(i + 2, close - i - 2);
    size_t separator = inner.find(":-");
    bool has_default = separator != std::string::npos;
    std::string name = inner.substr(0, separator);
    std::optional<std::string> value;
    if (IsVariableName(name) && env_) value = env_(name);
    if (!IsVariableName(name)) {
      problems_.Add(
          mark, Path(key),
          fmt::format("'${{{}}}' is not a variable reference: a name has letters, digits and '_'",
                      inner));
      ok = false;
    } else if (value && !(value->empty() && has_default)) {
      out += *value;  // as the shell's ${VAR:-text}: an empty value takes the default too
    } else if (has_default) {
      out += inner.substr(separator + 2);
    } else {
      problems_.Add(
          mark, Path(key),
          fmt::format(
              "environment variable {0} is not set: set it, or give a default with ${{{0}:-value}}",
              name));
      ok = false;
    }
    i = close + 1;
  }
  if (!ok) return std::nullopt;
  return out;
}

}  // namespace cdc::detail
