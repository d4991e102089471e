#include "connectors/mysql/source/binlog/binlog_compression.h"

#include <fmt/format.h>
#include <zlib.h>

namespace cdc {

Status UncompressBinlogPayload(std::string_view payload, std::string& out) {
  if (payload.empty()) return Status::InvalidArgument("compressed binlog payload is empty");
  auto header = static_cast<uint8_t>(payload[0]);
  size_t length_bytes = header & 0x07;
  unsigned algorithm = (header >> 4) & 0x07;
  if ((header & 0x80) == 0 || length_bytes < 1 || length_bytes > 4) {
    return Status::InvalidArgument(
        fmt::format("compressed binlog payload has a bad header byte 0x{:02x}", header));
  }
  if (algorithm != 0) {
    return Status::InvalidArgument(fmt::format(
        "compressed binlog payload uses algorithm {}, but only zlib (0) is known", algorithm));
  }
  if (payload.size() < 1 + length_bytes) {
    return Status::InvalidArgument("compressed binlog payload is truncated in its length");
  }
  uLongf length = 0;
  for (size_t i = 0; i < length_bytes; ++i) {
    length = (length << 8) | static_cast<uint8_t>(payload[1 + i]);
  }
  std::string_view stream = payload.substr(1 + length_bytes);
  out.resize(length);
  uLongf produced = length;
  int rc = uncompress(reinterpret_cast<Bytef*>(out.data()), &produced,
                      reinterpret_cast<const Bytef*>(stream.data()), stream.size());
  if (rc != Z_OK || produced != length) {
    return Status::InvalidArgument(fmt::format(
        "compressed binlog payload does not inflate to its stated {} bytes (zlib error {}, got "
        "{} bytes)",
        length, rc, produced));
  }
  return Status::Ok();
}

std::string CompressBinlogPayload(std::string_view data) {
  uLongf bound = compressBound(data.size());
  std::string out(1 + 4 + bound, '\0');
  out[0] = static_cast<char>(0x80 | 4);
  auto length = static_cast<uint32_t>(data.size());
  for (int i = 0; i < 4; ++i) out[1 + i] = static_cast<char>(length >> (8 * (3 - i)));
  uLongf written = bound;
  compress(reinterpret_cast<Bytef*>(out.data() + 5), &written,
           reinterpret_cast<const Bytef*>(data.data()), data.size());
  out.resize(5 + written);
  return out;
}

}  // namespace cdc
