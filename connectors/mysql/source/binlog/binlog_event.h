// Binlog events as they come from a binlog file or a replication stream: the 19-byte v4
// header, the body, and the CRC32 trailer when the server writes checksums. Parsing checks the
// length and the checksum so a corrupt or truncated event is an error naming the position.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

#include "runtime/crc32.h"  // Crc32, the events' checksum
#include "runtime/status.h"

namespace cdc {

enum class BinlogEventType : uint8_t {
  kQuery = 2,
  kRotate = 4,
  kFormatDescription = 15,
  kXid = 16,
  kTableMap = 19,
  kWriteRowsV1 = 23,
  kUpdateRowsV1 = 24,
  kDeleteRowsV1 = 25,
  kHeartbeat = 27,
  kWriteRowsV2 = 30,
  kUpdateRowsV2 = 31,
  kDeleteRowsV2 = 32,
  kMysqlGtid = 33,
  kPreviousGtids = 35,
  kPartialUpdateRows = 39,
  kTransactionPayload = 40,
  kAnnotateRows = 160,
  kBinlogCheckpoint = 161,
  kMariadbGtid = 162,
  kGtidList = 163,
  kStartEncryption = 164,
  kQueryCompressed = 165,
  kWriteRowsCompressedV1 = 166,
  kUpdateRowsCompressedV1 = 167,
  kDeleteRowsCompressedV1 = 168,
  kWriteRowsCompressedV2 = 169,
  kUpdateRowsCompressedV2 = 170,
  kDeleteRowsCompressedV2 = 171,
};

struct BinlogEventHeader {
  uint32_t timestamp = 0;
  uint8_t type = 0;
  uint32_t server_id = 0;
  uint32_t event_length = 0;   // header, body and checksum
  uint32_t next_position = 0;  // where the next event starts in the binlog file (0: artificial)
  uint16_t flags = 0;
};

struct BinlogEvent {
  BinlogEventHeader header;
  std::string_view body;  // after the header, without the checksum; points into the input
};

inline constexpr size_t kBinlogHeaderSize = 19;
inline constexpr std::string_view kBinlogFileMagic =
    "\xfe"
    "bin";

// Whether the FORMAT_DESCRIPTION event `bytes` (one whole event) says the events of its file
// carry CRC-32 trailers: its checksum-algorithm byte, before the trailer, is 1 and the
// trailer matches.
bool FormatDescriptionHasChecksum(std::string_view bytes);

// The event at the start of `bytes` (which may hold more after it). With `checksums`, the last
// four bytes of the event are its CRC-32 and must match. `offset` names where the event is,
// for messages.
Result<BinlogEvent> ParseBinlogEvent(std::string_view bytes, bool checksums, uint64_t offset);

}  // namespace cdc
