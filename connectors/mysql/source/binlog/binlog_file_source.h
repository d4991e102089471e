// BinlogFileSource: a Source that replays MySQL/MariaDB binlog files (ROW format with
// binlog_row_metadata=FULL) as row changes, for tests and offline replay. It reads the files
// through a BinlogFileTransport and decodes them with the BinlogDecoder the live source uses,
// so memory stays bounded whatever the file size and the changes are the same as streamed.
//
// Thread-bound, like every Source.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "connectors/mysql/source/binlog/binlog_decoder.h"
#include "connectors/mysql/source/binlog/binlog_file_transport.h"
#include "operators/source.h"

namespace cdc {

struct BinlogFileSourceOptions {
  std::vector<std::string> files;  // in order; each starts with the binlog magic
  size_t events_per_poll = 256;
  std::vector<std::string> include_tables;  // regexes over "db.table"; empty: all
  std::vector<std::string> exclude_tables;
};

class BinlogFileSource final : public Source {
 public:
  explicit BinlogFileSource(BinlogFileSourceOptions options) : options_(std::move(options)) {}

  Status Open(const SubtaskInfo& info, Clock& clock) override;
  Result<PollResult> PollNext(Output& out) override;
  // "file:position" of the last transaction boundary.
  std::string SnapshotState() override;

  static SourceFactory Factory(BinlogFileSourceOptions options);

 private:
  BinlogFileSourceOptions options_;
  std::unique_ptr<BinlogFileTransport> transport_;
  std::unique_ptr<BinlogDecoder> decoder_;
};

}  // namespace cdc
