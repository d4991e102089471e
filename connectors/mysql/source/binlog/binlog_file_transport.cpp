#include "connectors/mysql/source/binlog/binlog_file_transport.h"

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "connectors/mysql/source/binlog/byte_reader.h"

namespace cdc {
namespace {

constexpr size_t kBlockSize = size_t{1} << 20;

}  // namespace

BinlogFileTransport::~BinlogFileTransport() {
  CloseFile();
}

void BinlogFileTransport::CloseFile() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Status BinlogFileTransport::OpenFile(size_t index) {
  CloseFile();
  index_ = index;
  opened_ = true;
  begin_ = end_ = 0;
  fd_ = ::open(paths_[index].c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) {
    return Status::InvalidArgument(
        fmt::format("cannot open binlog file {}: {}", paths_[index], std::strerror(errno)));
  }
  auto magic = Fill(kBinlogFileMagic.size());
  if (!magic.ok()) return magic.status();
  if (*magic < kBinlogFileMagic.size() ||
      std::string_view(buffer_.data() + begin_, kBinlogFileMagic.size()) != kBinlogFileMagic) {
    return Status::InvalidArgument(fmt::format(
        "{} is not a readable binlog file (no binlog magic at its start)", paths_[index]));
  }
  begin_ += kBinlogFileMagic.size();
  file_name_ = std::filesystem::path(paths_[index]).filename().string();
  offset_ = kBinlogFileMagic.size();
  checksums_ = false;
  return Status::Ok();
}

Result<size_t> BinlogFileTransport::Fill(size_t n) {
  if (end_ - begin_ >= n) return end_ - begin_;
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  size_t wanted = std::max({n, kBlockSize, end_});
  if (buffer_.size() != wanted) {  // grows for a large event, shrinks back after it
    buffer_.resize(wanted);
    buffer_.shrink_to_fit();
  }
  while (end_ < n) {
    ssize_t got = ::read(fd_, buffer_.data() + end_, buffer_.size() - end_);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      return Status::IoError(
          fmt::format("reading binlog file {}: {}", paths_[index_], std::strerror(errno)));
    }
    if (got == 0) break;
    end_ += static_cast<size_t>(got);
  }
  return end_ - begin_;
}

Result<bool> BinlogFileTransport::NextBytes(std::string_view& bytes) {
  auto header_bytes = Fill(kBinlogHeaderSize);
  if (!header_bytes.ok()) return header_bytes.status();
  if (*header_bytes == 0) return false;
  if (*header_bytes < kBinlogHeaderSize) {
    return Status::InvalidArgument(
        fmt::format("{} ends inside an event header at offset {}", paths_[index_], offset_));
  }
  ByteReader header(std::string_view(buffer_.data() + begin_, kBinlogHeaderSize));
  header.LittleEndian(9);
  auto length = static_cast<uint32_t>(header.LittleEndian(4));
  if (length < kBinlogHeaderSize || length > (1u << 30)) {
    return Status::InvalidArgument(fmt::format("{}: impossible event length {} at offset {}",
                                               paths_[index_], length, offset_));
  }
  auto available = Fill(length);
  if (!available.ok()) return available.status();
  if (*available < length) {
    return Status::InvalidArgument(
        fmt::format("{} ends inside the event at offset {}", paths_[index_], offset_));
  }
  bytes = std::string_view(buffer_.data() + begin_, length);
  begin_ += length;
  return true;
}

Result<bool> BinlogFileTransport::Next(BinlogEvent& event) {
  if (paths_.empty()) return Status::InvalidArgument("binlog file transport: no files given");
  if (!opened_) CDC_RETURN_IF_ERROR(OpenFile(0));
  std::string_view bytes;
  while (true) {
    auto read = NextBytes(bytes);
    if (!read.ok()) return read.status();
    if (*read) break;
    if (index_ + 1 >= paths_.size()) return false;
    CDC_RETURN_IF_ERROR(OpenFile(index_ + 1));
  }
  if (static_cast<uint8_t>(bytes[4]) == static_cast<uint8_t>(BinlogEventType::kFormatDescription)) {
    checksums_ = FormatDescriptionHasChecksum(bytes);
  }
  auto parsed = ParseBinlogEvent(bytes, checksums_, offset_);
  if (!parsed.ok()) return parsed.status().WithContext(paths_[index_]);
  event = *parsed;
  offset_ += event.header.event_length;
  return true;
}

}  // namespace cdc
