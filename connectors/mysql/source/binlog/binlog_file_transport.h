// BinlogFileTransport: binlog events read from binlog files on disk, in the order given, for
// tests and offline replay. Each file must start with the binlog magic; its format description
// says whether events carry CRC-32 trailers, which are verified. The file is read in 1 MiB
// blocks (more for a larger event) and events are parsed where they lie in the block, so memory
// stays bounded whatever the file size and no event is copied.
//
// Thread-bound.
#pragma once

#include <string>
#include <vector>

#include "connectors/mysql/source/binlog/binlog_transport.h"

namespace cdc {

class BinlogFileTransport final : public BinlogTransport {
 public:
  explicit BinlogFileTransport(std::vector<std::string> paths) : paths_(std::move(paths)) {}
  ~BinlogFileTransport() override;
  BinlogFileTransport(const BinlogFileTransport&) = delete;
  BinlogFileTransport& operator=(const BinlogFileTransport&) = delete;

  Result<bool> Next(BinlogEvent& event) override;
  const SourceFileName& file() const override { return file_name_; }

 private:
  Status OpenFile(size_t index);
  void CloseFile();
  // Makes at least `n` unread bytes available at buffer_[begin_]; fewer only at the end of the
  // file. Moves the unread tail to the front and reads on.
  Result<size_t> Fill(size_t n);
  // Points `bytes` at the next event where it lies in the buffer; false at the end of the file.
  Result<bool> NextBytes(std::string_view& bytes);

  std::vector<std::string> paths_;
  size_t index_ = 0;
  bool opened_ = false;
  int fd_ = -1;
  SourceFileName file_name_;
  uint64_t offset_ = 0;  // of the next event in the file
  bool checksums_ = false;
  std::string buffer_;  // read from the file: [begin_, end_) not yet returned
  size_t begin_ = 0;
  size_t end_ = 0;
};

}  // namespace cdc
