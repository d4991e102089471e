#include "connectors/mysql/binlog/binlog_file_transport.h"

#include <filesystem>
#include <fmt/format.h>

#include "connectors/mysql/binlog/byte_reader.h"

namespace cdc {

Status BinlogFileTransport::OpenFile(size_t index) {
  index_ = index;
  opened_ = true;
  in_ = std::ifstream(paths_[index], std::ios::binary);
  char magic[4];
  if (!in_ || !in_.read(magic, 4) || std::string_view(magic, 4) != kBinlogFileMagic) {
    return Status::InvalidArgument(fmt::format(
        "{} is not a readable binlog file (no binlog magic at its start)", paths_[index]));
  }
  file_name_ = std::filesystem::path(paths_[index]).filename().string();
  offset_ = 4;
  checksums_ = false;
  return Status::Ok();
}

Result<bool> BinlogFileTransport::ReadBytes() {
  bytes_.resize(kBinlogHeaderSize);
  if (!in_.read(bytes_.data(), kBinlogHeaderSize)) {
    if (in_.gcount() == 0) return false;
    return Status::InvalidArgument(
        fmt::format("{} ends inside an event header at offset {}", paths_[index_], offset_));
  }
  ByteReader header(bytes_);
  header.LittleEndian(9);
  auto length = static_cast<uint32_t>(header.LittleEndian(4));
  if (length < kBinlogHeaderSize || length > (1u << 30)) {
    return Status::InvalidArgument(
        fmt::format("{}: impossible event length {} at offset {}", paths_[index_], length, offset_));
  }
  bytes_.resize(length);
  if (!in_.read(bytes_.data() + kBinlogHeaderSize, length - kBinlogHeaderSize)) {
    return Status::InvalidArgument(
        fmt::format("{} ends inside the event at offset {}", paths_[index_], offset_));
  }
  return true;
}

Result<bool> BinlogFileTransport::Next(BinlogEvent& event) {
  if (paths_.empty()) return Status::InvalidArgument("binlog file transport: no files given");
  if (!opened_) CDC_RETURN_IF_ERROR(OpenFile(0));
  while (true) {
    auto read = ReadBytes();
    if (!read.ok()) return read.status();
    if (*read) break;
    if (index_ + 1 >= paths_.size()) return false;
    CDC_RETURN_IF_ERROR(OpenFile(index_ + 1));
  }
  if (static_cast<uint8_t>(bytes_[4]) == static_cast<uint8_t>(BinlogEventType::kFormatDescription)) {
    checksums_ = FormatDescriptionHasChecksum(bytes_);
  }
  auto parsed = ParseBinlogEvent(bytes_, checksums_, offset_);
  if (!parsed.ok()) return parsed.status().WithContext(paths_[index_]);
  event = *parsed;
  offset_ += event.header.event_length;
  return true;
}

}  // namespace cdc
