// The real Debezium messages of test/connectors/format/golden/debezium-real.jsonl (captured by
// test/debezium/capture-fixture.sh), and the changes of MakeAllTypes that stand for each, for
// the debezium format's tests.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "test/integration/all_types.h"

namespace cdc::testing {

// A file under test/connectors/format/golden/. Meson compiles with paths relative to the build
// directory, which holds the test binary's folder (build/test/): so __FILE__ is found from the
// binary's location, wherever the test is run from.
inline std::filesystem::path GoldenPath(const std::string& name) {
  std::filesystem::path source = __FILE__;
  if (source.is_relative()) {
    char exe[4096];
    const ssize_t size = readlink("/proc/self/exe", exe, sizeof exe - 1);
    REQUIRE(size > 0);
    exe[size] = '\0';
    source = std::filesystem::path(exe).parent_path().parent_path() / source;
  }
  return source.parent_path() / "golden" / name;
}

inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot read " << path.string());
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// One captured message: {"topic", "key", "value"}, with key and value as Debezium wrote them.
struct CapturedMessage {
  std::string topic;
  nlohmann::json key;
  nlohmann::json value;  // null for a tombstone
};

// The fixture's 13 messages, in capture order: 6 schema changes of the snapshot, then
//   6: r  max row (id 2^64-1)        9: d  max row        12: the ALTER TABLE's schema change
//   7: c  min row (id 0)            10: tombstone of 9
//   8: u  min row -> vc 'changed', ti 127   11: c  max row again
inline const std::vector<CapturedMessage>& RealDebeziumMessages() {
  static const std::vector<CapturedMessage> messages = [] {
    std::vector<CapturedMessage> out;
    std::ifstream in(GoldenPath("debezium-real.jsonl"));
    std::string line;
    while (std::getline(in, line)) {
      nlohmann::json parsed = nlohmann::json::parse(line);
      out.push_back({parsed["topic"], parsed["key"], parsed["value"]});
    }
    return out;
  }();
  return messages;
}

// The fixture's table: MakeAllTypes("dbz"), as the capture script declares it.
inline const AllTypes& FixtureAllTypes() {
  static const AllTypes all = MakeAllTypes("dbz");
  return all;
}

// The min row after the fixture's UPDATE (vc = 'changed', ti = 127).
inline Row UpdatedMinRow() {
  Row row = FixtureAllTypes().min_row;
  row[1] = Value::Int(127);
  row[13] = Value::String("changed", 45);
  return row;
}

// The change that fixture message `index` (6..11) stands for, with its source position's file,
// GTID, server id and row as Debezium wrote them (its `pos` is the event's start; ours would be
// the event's end) and its commit time.
inline RowChange FixtureChange(size_t index) {
  const AllTypes& all = FixtureAllTypes();
  const nlohmann::json& source = RealDebeziumMessages().at(index).value["payload"]["source"];
  RowChange change;
  change.table = all.schema.get();
  switch (index) {
    case 6:
    case 11:
      change.kind = ChangeKind::kInsert;
      change.after = all.max_row;
      break;
    case 7:
      change.kind = ChangeKind::kInsert;
      change.after = all.min_row;
      break;
    case 8:
      change.kind = ChangeKind::kUpdate;
      change.before = all.min_row;
      change.after = UpdatedMinRow();
      break;
    default: change.kind = ChangeKind::kDelete; change.before = all.max_row;
  }
  change.position.file = SourceFileName(source["file"].get<std::string>());
  change.position.offset = source["pos"].get<uint64_t>();
  if (source["gtid"].is_string()) change.position.gtid = source["gtid"].get<std::string>();
  change.position.server_id = source["server_id"].get<uint32_t>();
  change.position.index = index == 6 ? 0 : source["row"].get<uint32_t>() + 1;
  change.commit_time_us = source["ts_us"].get<int64_t>();
  return change;
}

}  // namespace cdc::testing
