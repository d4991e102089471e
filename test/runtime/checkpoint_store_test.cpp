#include "runtime/checkpoint_store.h"

#include <doctest/doctest.h>

#include <unistd.h>
#include <filesystem>
#include <fstream>

namespace cdc {
namespace {

namespace fs = std::filesystem;

// A fresh directory under the system's temporary directory, removed afterwards.
struct ScratchDirectory {
  std::string path;
  ScratchDirectory() {
    path = (fs::temp_directory_path() / ("cdc-checkpoint-test-" + std::to_string(::getpid())))
               .string();
    fs::remove_all(path);
  }
  ~ScratchDirectory() { fs::remove_all(path); }
};

CompletedCheckpoint Sample(uint64_t id) {
  CompletedCheckpoint checkpoint;
  checkpoint.id = id;
  checkpoint.source_states = {"binlog\tmysql-bin.000003:4711\ngtids\t0-1-42",
                              std::string("a\0b\n", 4), ""};
  checkpoint.attachments["catalog"] = "section end\nend\n";  // looks like the file's own lines
  return checkpoint;
}

}  // namespace

TEST_CASE("checkpoints read back exactly, whatever bytes their states hold") {
  CompletedCheckpoint original = Sample(7);
  auto decoded = DecodeCheckpoint(EncodeCheckpoint(original));
  REQUIRE_MESSAGE(decoded.ok(), decoded.status().ToString());
  CHECK(decoded->id == 7);
  CHECK(decoded->source_states == original.source_states);
  CHECK(decoded->attachments == original.attachments);
}

TEST_CASE("a truncated or altered checkpoint file is reported as damaged, never half-read") {
  std::string bytes = EncodeCheckpoint(Sample(3));
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    CAPTURE(cut);
    CHECK_FALSE(DecodeCheckpoint(bytes.substr(0, cut)).ok());
  }
  std::string altered = bytes;
  altered.replace(altered.find("section source.1 4"), 18, "section source.1 9");
  CHECK(DecodeCheckpoint(altered).status().message().find("damaged checkpoint") == 0);
}

TEST_CASE("a checkpoint whose section bytes changed is refused by the section's checksum") {
  std::string bytes = EncodeCheckpoint(Sample(3));
  size_t begin = bytes.find('\n', bytes.find("section source.0 ")) + 1;
  for (size_t at = begin; bytes[at] != '\n'; ++at) {
    std::string altered = bytes;
    altered[at] = static_cast<char>(altered[at] ^ 0x20);
    CAPTURE(at);
    auto decoded = DecodeCheckpoint(altered);
    REQUIRE_FALSE(decoded.ok());
    CHECK(decoded.status().message().find("section source.0 does not match its checksum") !=
          std::string::npos);
  }
}

TEST_CASE("a checkpoint written before sections had checksums still reads back") {
  CompletedCheckpoint original = Sample(5);
  std::string v1 = "cdc-checkpoint 1\nid 5\n";
  for (size_t i = 0; i < original.source_states.size(); ++i) {
    v1 += "section source." + std::to_string(i) + " " +
          std::to_string(original.source_states[i].size()) + "\n" + original.source_states[i] +
          "\n";
  }
  for (const auto& [name, state] : original.attachments) {
    v1 += "section " + name + " " + std::to_string(state.size()) + "\n" + state + "\n";
  }
  v1 += "end\n";
  auto decoded = DecodeCheckpoint(v1);
  REQUIRE_MESSAGE(decoded.ok(), decoded.status().ToString());
  CHECK(decoded->source_states == original.source_states);
  CHECK(decoded->attachments == original.attachments);
}

TEST_CASE("the store keeps the newest checkpoints and loads the latest") {
  ScratchDirectory scratch;
  auto store = CheckpointStore::Open(scratch.path + "/state", 2);
  REQUIRE_MESSAGE(store.ok(), store.status().ToString());
  auto none = store->LoadLatest();
  REQUIRE(none.ok());
  CHECK_FALSE(none->has_value());
  for (uint64_t id : {1, 2, 3, 10}) REQUIRE(store->Save(Sample(id)).ok());
  size_t files = 0;
  for (const auto& entry : fs::directory_iterator(scratch.path + "/state")) {
    (void)entry;
    ++files;
  }
  CHECK(files == 2);  // 3 and 10; 10 sorts after 3 by number, not by text
  std::ofstream(scratch.path + "/state/checkpoint-00000000000000000011.tmp")
      << "torn";  // a crash mid-write
  auto latest = store->LoadLatest();
  REQUIRE(latest.ok());
  REQUIRE(latest->has_value());
  CHECK((*latest)->id == 10);
  CHECK((*latest)->source_states == Sample(10).source_states);
}

TEST_CASE("a damaged newest checkpoint stops the restore with the file's name") {
  ScratchDirectory scratch;
  auto store = CheckpointStore::Open(scratch.path);
  REQUIRE(store.ok());
  REQUIRE(store->Save(Sample(1)).ok());
  std::ofstream(scratch.path + "/checkpoint-00000000000000000002") << "cdc-checkpoint 1\nid 2\n";
  auto latest = store->LoadLatest();
  REQUIRE_FALSE(latest.ok());
  CHECK(latest.status().message().find("checkpoint-00000000000000000002") != std::string::npos);
  CHECK(latest.status().message().find("before its 'end' line") != std::string::npos);
}

TEST_CASE("a state directory that cannot be created is an error naming it") {
  ScratchDirectory scratch;
  fs::create_directories(scratch.path);
  std::ofstream(scratch.path + "/file") << "x";
  auto store = CheckpointStore::Open(scratch.path + "/file/state");
  REQUIRE_FALSE(store.ok());
  CHECK(store.status().message().find(scratch.path + "/file/state") != std::string::npos);
}

}  // namespace cdc
