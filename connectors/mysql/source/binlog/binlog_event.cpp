#include "connectors/mysql/source/binlog/binlog_event.h"

#include <fmt/format.h>

#include "connectors/mysql/source/binlog/byte_reader.h"

namespace cdc {

Result<BinlogEvent> ParseBinlogEvent(std::string_view bytes, bool checksums, uint64_t offset) {
  if (bytes.size() < kBinlogHeaderSize) {
    return Status::InvalidArgument(
        fmt::format("binlog event at offset {} is truncated: {} bytes, a header needs {}", offset,
                    bytes.size(), kBinlogHeaderSize));
  }
  ByteReader in(bytes);
  BinlogEvent event;
  event.header.timestamp = static_cast<uint32_t>(in.LittleEndian(4));
  event.header.type = in.U8();
  event.header.server_id = static_cast<uint32_t>(in.LittleEndian(4));
  event.header.event_length = static_cast<uint32_t>(in.LittleEndian(4));
  event.header.next_position = static_cast<uint32_t>(in.LittleEndian(4));
  event.header.flags = static_cast<uint16_t>(in.LittleEndian(2));
  size_t trailer = checksums ? 4 : 0;
  if (event.header.event_length < kBinlogHeaderSize + trailer ||
      event.header.event_length > bytes.size()) {
    return Status::InvalidArgument(fmt::format(
        "binlog event at offset {} (type {}) claims {} bytes but {} are there: the binlog is "
        "truncated or corrupt",
        offset, event.header.type, event.header.event_length, bytes.size()));
  }
  std::string_view whole = bytes.substr(0, event.header.event_length);
  if (checksums) {
    ByteReader stored(whole.substr(whole.size() - 4));
    auto expected = static_cast<uint32_t>(stored.LittleEndian(4));
    std::string_view covered = whole.substr(0, whole.size() - 4);
    uint32_t actual;
    if (event.header.type == static_cast<uint8_t>(BinlogEventType::kFormatDescription)) {
      // The format description is checksummed with its "binlog in use" flag clear.
      std::string copy(covered);
      copy[17] = static_cast<char>(copy[17] & ~0x01);
      actual = Crc32(copy);
    } else {
      actual = Crc32(covered);
    }
    if (actual != expected) {
      return Status::InvalidArgument(fmt::format(
          "binlog event at offset {} (type {}) fails its CRC-32 check: the binlog is corrupt",
          offset, event.header.type));
    }
  }
  event.body = whole.substr(kBinlogHeaderSize, whole.size() - kBinlogHeaderSize - trailer);
  return event;
}

bool FormatDescriptionHasChecksum(std::string_view bytes) {
  if (bytes.size() < kBinlogHeaderSize + 5 || bytes[bytes.size() - 5] != 1) return false;
  return ParseBinlogEvent(bytes, true, 0).ok();
}

}  // namespace cdc
