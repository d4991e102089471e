// YamlProblems: the problems found in one pipeline file, each with its file position and key
// path, collected so that one run reports them all; and the phrase those problems share (the kind
// of a node; suggestions for misspelt names are runtime/name_suggestion.h). Internal to the
// pipeline YAML reader.
//
// Thread-bound: belongs to one parse.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>
#include <vector>

#include "runtime/status.h"

namespace cdc::detail {

// "a list", "a mapping" or "a single value".
const char* KindOf(const YAML::Node& node);

// The problems of one file, each a line "FILE:LINE:COLUMN: key.path: what: what to do".
class YamlProblems {
 public:
  explicit YamlProblems(std::string file) : file_(std::move(file)) {}

  // A problem at `mark` (yaml-cpp's 0-based position) about `path` (may be empty).
  void Add(const YAML::Mark& mark, const std::string& path, const std::string& what);
  // A problem of the whole file, with no position.
  void AddForFile(const std::string& what);

  size_t size() const { return items_.size(); }
  // InvalidArgument with every problem, one a line, in file order. Requires size() > 0.
  Status ToStatus();

 private:
  struct Item {
    int line;
    int column;
    std::string text;
  };
  std::string file_;
  std::vector<Item> items_;
};

}  // namespace cdc::detail
