// Golden files of the change-event format tests: test/connectors/format/golden/<name>, found
// from this source file's path as the compiler saw it (relative paths are relative to the build
// directory, the parent of the test binary's directory). With CDC_UPDATE_GOLDEN=1 in the
// environment, CheckGolden rewrites the file instead of comparing (review the diff: goldens are
// checked against the protocols' reference examples, not only against our own output).
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <doctest/doctest.h>

namespace cdc::testing {

inline std::filesystem::path GoldenDirectory() {
  std::filesystem::path source = __FILE__;
  if (source.is_relative()) {
    const std::filesystem::path binary = std::filesystem::read_symlink("/proc/self/exe");
    source = binary.parent_path().parent_path() / source;
  }
  return source.parent_path() / "golden";
}

inline std::string ReadGolden(const std::string& name) {
  std::ifstream in(GoldenDirectory() / name, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "golden file missing: " << (GoldenDirectory() / name).string());
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// `actual` (a message; the file holds it plus a final newline) against golden file `name`.
inline void CheckGolden(const std::string& name, const std::string& actual) {
  const char* update = std::getenv("CDC_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream out(GoldenDirectory() / name, std::ios::binary);
    out << actual << '\n';
    return;
  }
  std::string golden = ReadGolden(name);
  if (!golden.empty() && golden.back() == '\n') golden.pop_back();
  CHECK_MESSAGE(actual == golden,
                "golden " << name << " differs:\n  actual: " << actual << "\n  golden: " << golden);
}

}  // namespace cdc::testing
