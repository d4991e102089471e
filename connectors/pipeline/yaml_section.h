// YamlSection: reads one YAML mapping of a pipeline file key by key, as typed values
// (text, whole numbers in a range, booleans, durations, sizes, lists), substituting ${VAR}
// references, and records every problem in a YamlProblems with its file position and key path
// instead of stopping, so that one run reports them all. The value forms are those documented
// in pipeline_yaml.h. Internal to the pipeline YAML reader.
//
// Thread-bound: a section and its problems belong to one parse.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/pipeline/pipeline_yaml.h"
#include "connectors/pipeline/yaml_problems.h"
#include "runtime/clock.h"

namespace cdc::detail {

// Each getter declares its key known (for ReportUnknownKeys and its suggestions); when the key
// is present with a usable value it sets the output and returns true; when the key is absent
// it returns false and changes nothing; when the value is bad it records a problem and returns
// false.
class YamlSection {
 public:
  // `node` should be a mapping (null counts as empty); `path` is its key path ("source",
  // "route[0]", "" for the top level), `mark` where it stands. `problems` and `env` must outlive
  // the section.
  YamlSection(const YAML::Node& node, std::string path, const YAML::Mark& mark,
              YamlProblems& problems, const EnvLookup& env);

  // False when the node is not a mapping (a problem is recorded): there is nothing to read.
  bool valid() const { return valid_; }
  const std::string& path() const { return path_; }
  const YAML::Mark& mark() const { return mark_; }
  YamlProblems& problems() { return problems_; }
  const EnvLookup& env() const { return env_; }
  std::string Path(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }

  bool Has(const std::string& key) { return Find(key) != nullptr; }
  // Where `key` stands, or where the section does when the key is absent.
  YAML::Mark MarkOf(const std::string& key);
  // Records a problem about `key`.
  void Problem(const std::string& key, const std::string& what);
  // Records that `key` is absent, if it is.
  void Require(const std::string& key, const std::string& hint);
  // The raw value of `key`; a null node when absent.
  YAML::Node Node(const std::string& key);

  // The value's text, variables substituted; a key with no value is a problem naming
  // `expected`.
  std::optional<std::string> Text(const std::string& key, const char* expected = "a value");
  // As Text, but a key with no value ("password:") is the empty string.
  bool String(const std::string& key, std::string& out);
  bool Bool(const std::string& key, bool& out);
  template <typename T>
  bool Unsigned(const std::string& key, T& out, uint64_t min = 0,
                uint64_t max = std::numeric_limits<T>::max()) {
    uint64_t value = 0;
    if (!UnsignedValue(key, value, min, max)) return false;
    out = static_cast<T>(value);
    return true;
  }
  // At least `min_us` microseconds.
  bool Duration(const std::string& key, Micros& out, int64_t min_us);
  // A duration kept in milliseconds, at least `min_ms` and below 2^32 ms.
  bool Millis(const std::string& key, uint32_t& out_ms, int64_t min_ms);
  // A duration kept in whole seconds, at least 1 s.
  bool Seconds(const std::string& key, uint32_t& out_s);
  // A size in bytes, at least `min`.
  bool Bytes(const std::string& key, size_t& out, uint64_t min);
  // A YAML sequence of single values, or one value that `split` breaks into items. Empty items
  // are dropped.
  bool List(const std::string& key, std::vector<std::string>& out,
            const std::function<std::vector<std::string>(const std::string&)>& split);

  // The keys present that start with `prefix` ("properties."), in file order, each declared
  // known.
  std::vector<std::string> KeysStartingWith(const std::string& prefix);

  // Records each key no getter asked for, with a suggestion when a known key is close. Call
  // once, after every getter.
  void ReportUnknownKeys();

 private:
  struct Entry {
    std::string key;
    YAML::Mark mark;  // the key's: a null value has no position of its own
    YAML::Node value;
    bool known = false;
  };

  Entry* Find(const std::string& key);
  bool UnsignedValue(const std::string& key, uint64_t& out, uint64_t min, uint64_t max);
  // `text` with ${VAR} and ${VAR:-default} replaced; nullopt after recording a problem about
  // `key` at `mark`.
  std::optional<std::string> Substitute(const std::string& text, const std::string& key,
                                        const YAML::Mark& mark);

  std::string path_;
  YAML::Mark mark_;
  YamlProblems& problems_;
  const EnvLookup& env_;
  std::vector<Entry> entries_;
  std::vector<std::string> known_;  // keys asked for, in order
  bool valid_ = true;
};

}  // namespace cdc::detail
