// BinlogFileTransport: binlog events read from binlog files on disk, in the order given, for
// tests and offline replay. Each file must start with the binlog magic; its format description
// says whether events carry CRC-32 trailers, which are verified. Events are read one at a time,
// so memory stays bounded whatever the file size.
//
// Thread-bound.
#pragma once

#include <fstream>
#include <string>
#include <vector>

#include "connectors/mysql/binlog/binlog_transport.h"

namespace cdc {

class BinlogFileTransport final : public BinlogTransport {
 public:
  explicit BinlogFileTransport(std::vector<std::string> paths) : paths_(std::move(paths)) {}

  Result<bool> Next(BinlogEvent& event) override;
  const std::string& file() const override { return file_name_; }

 private:
  Status OpenFile(size_t index);
  // Reads the next event's bytes into `bytes_`; false at the end of the file.
  Result<bool> ReadBytes();

  std::vector<std::string> paths_;
  size_t index_ = 0;
  bool opened_ = false;
  std::ifstream in_;
  std::string file_name_;
  uint64_t offset_ = 0;
  bool checksums_ = false;
  std::string bytes_;
};

}  // namespace cdc
