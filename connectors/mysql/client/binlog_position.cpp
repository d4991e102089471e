#include "connectors/mysql/client/binlog_position.h"

#include <fmt/format.h>
#include <charconv>
#include <optional>

#include "runtime/ascii.h"

namespace cdc {
namespace {

// The file's sequence digits after the last '.' as a number; 0 when there are none.
uint64_t FileSequence(const std::string& file) {
  size_t dot = file.rfind('.');
  uint64_t sequence = 0;
  if (dot == std::string::npos) return 0;
  std::from_chars(file.data() + dot + 1, file.data() + file.size(), sequence);
  return sequence;
}

}  // namespace

std::string BinlogPosition::ToString() const {
  return fmt::format("{}:{}", file, offset);
}

Result<BinlogPosition> BinlogPosition::Parse(std::string_view text) {
  size_t colon = text.rfind(':');
  std::optional<uint64_t> offset;
  if (colon != std::string_view::npos) offset = ParseDecimal(text.substr(colon + 1));
  if (colon == std::string_view::npos || colon == 0 || !offset) {
    return Status::InvalidArgument(fmt::format(
        "'{}' is not a binlog position: write file:offset, as in mysql-bin.000003:4", text));
  }
  return BinlogPosition{std::string(text.substr(0, colon)), *offset};
}

bool operator<(const BinlogPosition& a, const BinlogPosition& b) {
  uint64_t x = FileSequence(a.file);
  uint64_t y = FileSequence(b.file);
  if (x != y) return x < y;
  return a.offset < b.offset;
}

}  // namespace cdc
