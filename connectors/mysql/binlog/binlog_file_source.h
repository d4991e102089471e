// BinlogFileSource: a Source that replays MySQL/MariaDB binlog files (ROW format with
// binlog_row_metadata=FULL) as row changes, for tests and offline replay; the streaming
// source will share its decoding. Events are read one at a time, so memory stays bounded
// whatever the file size. Each TABLE_MAP becomes the table's schema (names, types, signedness,
// collations, labels, primary key); each change carries its file, end position and MariaDB
// GTID, the commit time and a transaction number. TRUNCATE statements become truncates.
//
// Thread-bound, like every Source.
#pragma once

#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "connectors/mysql/binlog/rows_event.h"
#include "operators/source.h"

namespace cdc {

struct BinlogFileSourceOptions {
  std::vector<std::string> files;  // in order; each starts with the binlog magic
  size_t events_per_poll = 256;
};

// The TableSchema a TABLE_MAP describes. InvalidArgument when it lacks column names (the
// server must log binlog_row_metadata=FULL).
Result<TableSchemaPtr> SchemaFromTableMap(const TableMap& map);

class BinlogFileSource final : public Source {
 public:
  explicit BinlogFileSource(BinlogFileSourceOptions options) : options_(std::move(options)) {}

  Status Open(const SubtaskInfo& info, Clock& clock) override;
  Result<PollResult> PollNext(Output& out) override;
  // "file:position" of the last transaction boundary.
  std::string SnapshotState() override;

  static SourceFactory Factory(BinlogFileSourceOptions options);

 private:
  Status OpenFile(size_t index);
  // Reads the next event into `event_bytes_`; false at the end of the file.
  Result<bool> ReadEvent();
  Status Handle(const BinlogEvent& event, Output& out);

  BinlogFileSourceOptions options_;
  size_t file_index_ = 0;
  std::ifstream file_;
  uint64_t offset_ = 0;
  bool checksums_ = false;
  std::string event_bytes_;
  std::map<uint64_t, TableMap> table_maps_;                 // by table id
  std::map<uint64_t, TableSchemaPtr> schemas_by_id_;         // the current schema per table id
  std::vector<TableSchemaPtr> schemas_;                      // every schema emitted: kept alive
  std::string gtid_;
  uint64_t transaction_ = 0;
  std::string committed_;  // "file:pos" after the last commit
};

}  // namespace cdc
