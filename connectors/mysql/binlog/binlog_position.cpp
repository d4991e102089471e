#include "connectors/mysql/binlog/binlog_position.h"

#include <charconv>
#include <fmt/format.h>

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

bool AllDigits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// The key a GTID is kept under: the domain of "d-s-n", the uuid of "uuid:n".
Result<std::string> GtidKey(std::string_view gtid) {
  size_t colon = gtid.rfind(':');
  if (colon != std::string_view::npos) {
    if (colon == 0 || !AllDigits(gtid.substr(colon + 1))) {
      return Status::InvalidArgument(fmt::format("'{}' is not a GTID (MySQL form: uuid:number)", gtid));
    }
    return std::string(gtid.substr(0, colon));
  }
  size_t first = gtid.find('-');
  size_t second = first == std::string_view::npos ? first : gtid.find('-', first + 1);
  if (second == std::string_view::npos || !AllDigits(gtid.substr(0, first)) ||
      !AllDigits(gtid.substr(first + 1, second - first - 1)) || !AllDigits(gtid.substr(second + 1))) {
    return Status::InvalidArgument(fmt::format(
        "'{}' is not a GTID (MariaDB form: domain-server-sequence, as in 0-1-42)", gtid));
  }
  return std::string(gtid.substr(0, first));
}

}  // namespace

std::string BinlogPosition::ToString() const { return fmt::format("{}:{}", file, offset); }

Result<BinlogPosition> BinlogPosition::Parse(std::string_view text) {
  size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || !AllDigits(text.substr(colon + 1))) {
    return Status::InvalidArgument(fmt::format(
        "'{}' is not a binlog position: write file:offset, as in mysql-bin.000003:4", text));
  }
  BinlogPosition position;
  position.file = std::string(text.substr(0, colon));
  std::from_chars(text.data() + colon + 1, text.data() + text.size(), position.offset);
  return position;
}

bool operator<(const BinlogPosition& a, const BinlogPosition& b) {
  uint64_t x = FileSequence(a.file);
  uint64_t y = FileSequence(b.file);
  if (x != y) return x < y;
  return a.offset < b.offset;
}

Result<GtidState> GtidState::Parse(std::string_view text) {
  GtidState state;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view gtid = text.substr(0, comma);
    while (!gtid.empty() && gtid.front() == ' ') gtid.remove_prefix(1);
    while (!gtid.empty() && gtid.back() == ' ') gtid.remove_suffix(1);
    auto key = GtidKey(gtid);
    if (!key.ok()) return key.status();
    state.last_[*key] = std::string(gtid);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return state;
}

void GtidState::Update(const std::string& gtid) {
  auto key = GtidKey(gtid);
  if (key.ok()) last_[*key] = gtid;
}

std::string GtidState::ToString() const {
  std::string out;
  for (const auto& [key, gtid] : last_) {
    if (!out.empty()) out += ',';
    out += gtid;
  }
  return out;
}

}  // namespace cdc
