// The binlog decoder against real binlog files of the sandboxed MariaDB: rows written with
// exact values (through the MySQL sink) are read back from the server's own binlog and must
// decode to exactly the same values, for every column type.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>

#include "connectors/mysql/sink/mysql_sink.h"
#include "connectors/mysql/source/binlog/binlog_event.h"
#include "connectors/mysql/source/binlog/rows_event.h"
#include "connectors/mysql/source/binlog/table_map.h"
#include "runtime/executor.h"
#include "test/integration/all_types.h"
#include "test/integration/mysql_test_env.h"

namespace cdc {
namespace {

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream bytes;
  bytes << file.rdbuf();
  return bytes.str();
}

// Every rows event of `database`.`table` in the sandbox's binlog files, decoded, in order.
std::vector<DecodedRows> ReadTableRows(const std::string& database, const std::string& table,
                                       const std::vector<ColumnType>& declared, TableMap& map_out) {
  const char* dir = std::getenv("CDC_TEST_SANDBOX_DIR");
  REQUIRE_MESSAGE(dir != nullptr, "run through test/run-integration.sh");
  std::vector<std::filesystem::path> files;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::filesystem::path(dir) / "binlog")) {
    if (entry.path().filename().string().find("mysql-bin.0") == 0) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<DecodedRows> decoded;
  std::map<uint64_t, TableMap> maps;
  for (const auto& path : files) {
    std::string bytes = ReadFile(path);
    REQUIRE(bytes.compare(0, 4, kBinlogFileMagic) == 0);
    bool checksums = false;
    for (size_t offset = 4; offset < bytes.size();) {
      std::string_view rest(bytes.data() + offset, bytes.size() - offset);
      auto header = ParseBinlogEvent(rest, false, offset);
      REQUIRE_MESSAGE(header.ok(), header.status().ToString());
      if (header->header.type == static_cast<uint8_t>(BinlogEventType::kFormatDescription)) {
        // The checksum algorithm is the byte before the (always present) CRC.
        checksums = rest[header->header.event_length - 5] == 1;
      }
      auto event = ParseBinlogEvent(rest, checksums, offset);
      REQUIRE_MESSAGE(event.ok(), event.status().ToString());
      auto type = static_cast<BinlogEventType>(event->header.type);
      if (type == BinlogEventType::kTableMap) {
        auto map = ParseTableMap(event->body);
        REQUIRE_MESSAGE(map.ok(), map.status().ToString());
        maps[map->table_id] = *map;
      } else if (type == BinlogEventType::kWriteRowsV1 || type == BinlogEventType::kUpdateRowsV1 ||
                 type == BinlogEventType::kDeleteRowsV1 || type == BinlogEventType::kWriteRowsV2 ||
                 type == BinlogEventType::kUpdateRowsV2 || type == BinlogEventType::kDeleteRowsV2) {
        auto it = maps.find(RowsEventTableId(event->body));
        REQUIRE(it != maps.end());
        if (it->second.database == database && it->second.table == table) {
          auto rows = DecodeRowsEvent(type, event->body, it->second, declared);
          REQUIRE_MESSAGE(rows.ok(), rows.status().ToString());
          decoded.push_back(std::move(rows).value());
          map_out = it->second;
        }
      }
      offset += event->header.event_length;
    }
  }
  return decoded;
}

}  // namespace

TEST_CASE("rows of every type decode from the server's binlog to exactly the values written") {
  MysqlConnection check;
  testing::ConnectOrFail(check);
  testing::Exec(check, "DROP DATABASE IF EXISTS it_binlog");
  testing::AllTypes all = testing::MakeAllTypes("it_binlog");
  RowChange max_insert;
  max_insert.kind = ChangeKind::kInsert;
  max_insert.table = all.schema.get();
  max_insert.after = all.max_row;
  RowChange min_insert = max_insert;
  min_insert.after = all.min_row;
  // Two batches, so each row is its own INSERT ... ON DUPLICATE KEY UPDATE rows event.
  REQUIRE(testing::WriteThroughSink(all.schema, {max_insert}).ok());
  REQUIRE(testing::WriteThroughSink(all.schema, {min_insert}).ok());
  testing::Exec(check, "FLUSH BINARY LOGS");

  std::vector<ColumnType> declared;
  for (const ColumnSchema& column : all.schema->columns()) declared.push_back(column.type);
  TableMap map;
  auto events = ReadTableRows("it_binlog", "all_types", declared, map);
  REQUIRE(events.size() == 2);
  CHECK(map.has_names);
  CHECK(map.columns[0].name == "id");
  CHECK(map.primary_key == std::vector<size_t>{0});
  CHECK(map.columns[0].is_unsigned);
  CHECK_FALSE(map.columns[3].is_unsigned);
  for (size_t e = 0; e < 2; ++e) {
    CAPTURE(e);
    REQUIRE(events[e].kind == ChangeKind::kInsert);
    REQUIRE(events[e].after.size() == 1);
    const Row& expected = e == 0 ? all.max_row : all.min_row;
    const Row& got = events[e].after[0];
    REQUIRE(got.size() == expected.size());
    for (size_t i = 0; i < expected.size(); ++i) {
      CAPTURE(all.schema->columns()[i].name);
      CHECK(got[i].ToString() == expected[i].ToString());
      CHECK(got[i] == expected[i]);
    }
  }
}

}  // namespace cdc

#include "connectors/datagen/datagen_source.h"
#include "connectors/mysql/source/binlog/binlog_file_source.h"
#include "operators/job.h"

namespace cdc {

using testing::TableText;

TEST_CASE("replaying the server's binlog files through a job rebuilds the tables exactly") {
  MysqlConnection check;
  testing::ConnectOrFail(check);
  testing::Exec(check, "DROP DATABASE IF EXISTS it_replay_src");
  testing::Exec(check, "DROP DATABASE IF EXISTS it_replay_copy");
  // The source tables: a generated history written through the MySQL sink, then a truncate
  // and new rows by plain SQL.
  DatagenOptions datagen;
  datagen.database = "it_replay_src";
  datagen.tables = 3;
  datagen.key_space = 200;
  datagen.count = 6000;
  datagen.key_update_percent = 10;
  MysqlSinkOptions sink;
  sink.connection = testing::SandboxOptions();
  {
    JobOptions options;
    options.parallelism = 2;
    Job job(options);
    job.AddSource("datagen", DatagenSource::Factory(datagen))
        .KeyBy()
        .SinkTo("mysql", std::make_shared<MysqlSink>(sink));
    REQUIRE(job.Run().ok());
  }
  testing::Exec(check, "TRUNCATE TABLE it_replay_src.t1");
  testing::Exec(check,
                "INSERT INTO it_replay_src.t1 (id, k, c, updated_at) VALUES "
                "(7, 70, 'after truncate', '2024-05-06 07:08:09.123456')");
  testing::Exec(check, "FLUSH BINARY LOGS");

  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(
           std::filesystem::path(std::getenv("CDC_TEST_SANDBOX_DIR")) / "binlog")) {
    if (entry.path().filename().string().find("mysql-bin.0") == 0)
      files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  MysqlSinkOptions copy = sink;
  copy.target_database = "it_replay_copy";
  JobOptions options;
  options.parallelism = 3;
  Job job(options);
  BinlogFileSourceOptions replay;
  replay.files = files;
  replay.include_tables = {"it_replay_src\\..*"};
  replay.exclude_tables = {".*\\.never_this"};
  job.AddSource("binlog", BinlogFileSource::Factory(replay))
      .Map("only the source database",
           [](RowChange& change) {
             // The include pattern keeps every other database's rows out of the stream.
             if (change.table->id().database == "it_replay_src") return Status::Ok();
             return Status::Internal("the include pattern let through " +
                                     change.table->id().ToString());
           })
      .KeyBy()
      .SinkTo("mysql", std::make_shared<MysqlSink>(copy));
  Status status = job.Run();
  REQUIRE_MESSAGE(status.ok(), status.ToString());
  for (const char* table : {"t0", "t1", "t2"}) {
    CAPTURE(table);
    std::string source = TableText(check, std::string("it_replay_src.") + table);
    CHECK(source.size() > (std::string(table) == "t1" ? 20u : 1000u));  // t1 was truncated
    CHECK(TableText(check, std::string("it_replay_copy.") + table) == source);
  }
  CHECK(TableText(check, "it_replay_copy.t1").find("after truncate") != std::string::npos);
}

}  // namespace cdc
