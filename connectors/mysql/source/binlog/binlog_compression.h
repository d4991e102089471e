// MariaDB's compressed binlog payloads (log_bin_compress=ON): QUERY_COMPRESSED and the
// *_ROWS_COMPRESSED events carry their query text or row images as one header byte
// (0x80 | algorithm << 4 | n), the uncompressed length in n big-endian bytes (1..4), then a
// zlib stream. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "runtime/status.h"

namespace cdc {

// Inflates `payload` into `out` (replacing its contents). InvalidArgument naming the cause for
// a bad header, an algorithm other than zlib, a corrupt stream or a length that differs from
// the header's.
Status UncompressBinlogPayload(std::string_view payload, std::string& out);

// The payload form of `data` that MariaDB writes, for tests and tools: header, length, zlib.
std::string CompressBinlogPayload(std::string_view data);

}  // namespace cdc
