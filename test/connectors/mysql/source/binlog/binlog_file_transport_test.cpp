// BinlogFileTransport on binlog files written here: events of every size (many small ones that
// straddle the transport's 1 MiB read blocks, and one larger than a block) come back whole, in
// order, with their CRC-32 trailers checked and stripped, across files; a truncated or foreign
// file is an error naming the file and offset.
#include "connectors/mysql/source/binlog/binlog_file_transport.h"

#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace cdc {
namespace {

void LE(std::string& out, uint64_t v, int n) {
  for (int i = 0; i < n; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
}

constexpr uint8_t kRowsQuery = 29;  // any type the transport does not interpret

// One event: the 19-byte header, `body`, and with `checksum` its CRC-32 trailer.
std::string Event(uint8_t type, const std::string& body, uint32_t offset, bool checksum) {
  auto length = static_cast<uint32_t>(kBinlogHeaderSize + body.size() + (checksum ? 4 : 0));
  std::string event;
  LE(event, 1700000000, 4);
  event.push_back(static_cast<char>(type));
  LE(event, 1, 4);  // server id
  LE(event, length, 4);
  LE(event, offset + length, 4);
  LE(event, 0, 2);  // flags
  event += body;
  if (checksum) LE(event, Crc32(event), 4);
  return event;
}

// A format description whose last byte says CRC-32 trailers follow (or not).
std::string FormatDescription(bool checksum) {
  std::string body;
  LE(body, 4, 2);                   // binlog version
  body += std::string(50, '\0');    // server version
  LE(body, 0, 4);                   // created
  body.push_back(19);               // header length
  body += std::string(40, '\x08');  // post-header lengths
  body.push_back(checksum ? 1 : 0);
  return Event(static_cast<uint8_t>(BinlogEventType::kFormatDescription), body, 4, checksum);
}

struct WrittenFile {
  std::string path;
  std::vector<std::string> bodies;
  std::vector<uint32_t> next_positions;
};

// This process's own directory for the files (WriteBinlog creates it, each test removes it): two
// test runs at once, from two checkouts or the plain and the sanitized binaries, must not write
// each other's files while they read them.
std::filesystem::path ScratchDirectory() {
  return std::filesystem::temp_directory_path() /
         ("cdc-transport-test-" + std::to_string(::getpid()));
}

// A binlog file of a format description then `sizes` events whose bodies are patterned bytes.
WrittenFile WriteBinlog(const std::string& name, const std::vector<size_t>& sizes, bool checksum) {
  WrittenFile file;
  std::filesystem::create_directories(ScratchDirectory());
  file.path = (ScratchDirectory() / name).string();
  std::string bytes(kBinlogFileMagic);
  bytes += FormatDescription(checksum);
  for (size_t i = 0; i < sizes.size(); ++i) {
    std::string body(sizes[i], '\0');
    for (size_t j = 0; j < body.size(); ++j) body[j] = static_cast<char>((i * 31 + j * 7) & 0xFF);
    std::string event = Event(kRowsQuery, body, static_cast<uint32_t>(bytes.size()), checksum);
    bytes += event;
    file.bodies.push_back(body);
    file.next_positions.push_back(static_cast<uint32_t>(bytes.size()));
  }
  std::ofstream(file.path, std::ios::binary) << bytes;
  return file;
}

}  // namespace

TEST_CASE("binlog files return every event whole and in order across read blocks and files") {
  std::vector<size_t> sizes;
  for (size_t i = 0; i < 700; ++i) sizes.push_back(1000 + (i * 7919) % 8000);  // ~3.3 MiB
  sizes.insert(sizes.begin() + 300, size_t{3} << 20);  // one event of 3 MiB mid-file
  WrittenFile first = WriteBinlog("cdc-transport-test.000001", sizes, true);
  WrittenFile second = WriteBinlog("cdc-transport-test.000002", {10, 0, 5000}, false);

  BinlogFileTransport transport({first.path, second.path});
  BinlogEvent event;
  for (const WrittenFile* file : {&first, &second}) {
    auto more = transport.Next(event);  // the format description
    REQUIRE_MESSAGE(more.ok(), more.status().ToString());
    REQUIRE(*more);
    CHECK(event.header.type == static_cast<uint8_t>(BinlogEventType::kFormatDescription));
    CHECK(transport.file() == std::filesystem::path(file->path).filename().string());
    for (size_t i = 0; i < file->bodies.size(); ++i) {
      more = transport.Next(event);
      REQUIRE_MESSAGE(more.ok(), more.status().ToString());
      REQUIRE(*more);
      CHECK(event.header.next_position == file->next_positions[i]);
      REQUIRE(event.body.size() == file->bodies[i].size());
      CHECK(event.body == file->bodies[i]);
    }
  }
  auto end = transport.Next(event);
  REQUIRE(end.ok());
  CHECK_FALSE(*end);
  std::filesystem::remove_all(ScratchDirectory());
}

TEST_CASE("a truncated, corrupt or foreign binlog file is an error naming the file and offset") {
  WrittenFile file = WriteBinlog("cdc-transport-cut.000001", {2000000, 100}, true);
  auto full = std::filesystem::file_size(file.path);
  auto read_all = [&]() -> Status {
    BinlogFileTransport transport({file.path});
    BinlogEvent event;
    while (true) {
      auto more = transport.Next(event);
      if (!more.ok()) return more.status();
      if (!*more) return Status::Ok();
    }
  };
  CHECK(read_all().ok());

  std::filesystem::resize_file(file.path, full - 50);  // inside the last event
  Status cut = read_all();
  REQUIRE_FALSE(cut.ok());
  CHECK(cut.message() ==
        file.path + " ends inside the event at offset " + std::to_string(file.next_positions[0]));

  std::filesystem::resize_file(file.path, file.next_positions[0] + 10);  // inside a header
  Status cut_header = read_all();
  REQUIRE_FALSE(cut_header.ok());
  CHECK(cut_header.message().find("ends inside an event header at offset " +
                                  std::to_string(file.next_positions[0])) != std::string::npos);

  {  // one flipped byte in the large event's body fails its CRC-32
    WrittenFile corrupt = WriteBinlog("cdc-transport-crc.000001", {2000000}, true);
    std::fstream bytes(corrupt.path, std::ios::in | std::ios::out | std::ios::binary);
    bytes.seekp(1500000);
    bytes.put('\x55' ^ static_cast<char>(bytes.peek()));
    bytes.close();
    BinlogFileTransport transport({corrupt.path});
    BinlogEvent event;
    REQUIRE(transport.Next(event).ok());
    auto bad = transport.Next(event);
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.status().message().find("fails its CRC-32 check") != std::string::npos);
    std::filesystem::remove(corrupt.path);
  }

  std::ofstream(file.path, std::ios::binary) << "not a binlog";
  Status foreign = read_all();
  REQUIRE_FALSE(foreign.ok());
  CHECK(foreign.message() ==
        file.path + " is not a readable binlog file (no binlog magic at its start)");
  std::filesystem::remove_all(ScratchDirectory());
}

}  // namespace cdc
