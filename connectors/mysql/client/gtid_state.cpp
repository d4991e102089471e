#include "connectors/mysql/client/gtid_state.h"

#include <fmt/format.h>
#include <algorithm>
#include <charconv>
#include <optional>

#include "runtime/ascii.h"

namespace cdc {
namespace {

// ParseDecimal (runtime/ascii.h) into `number`; false, leaving it, for anything else.
bool ParseNumber(std::string_view text, uint64_t& number) {
  std::optional<uint64_t> parsed = ParseDecimal(text);
  if (parsed) number = *parsed;
  return parsed.has_value();
}

// "d-s-n": true with the domain.
bool ParseMariadbGtid(std::string_view gtid, std::string& domain) {
  size_t first = gtid.find('-');
  size_t second = first == std::string_view::npos ? first : gtid.find('-', first + 1);
  uint64_t number = 0;
  if (second == std::string_view::npos || !ParseNumber(gtid.substr(0, first), number) ||
      !ParseNumber(gtid.substr(first + 1, second - first - 1), number) ||
      !ParseNumber(gtid.substr(second + 1), number)) {
    return false;
  }
  domain = std::string(gtid.substr(0, first));
  return true;
}

}  // namespace

void GtidState::Add(Intervals& set, uint64_t first, uint64_t last) {
  auto it = std::lower_bound(set.begin(), set.end(), std::make_pair(first, first));
  if (it != set.begin() && std::prev(it)->second + 1 >= first) --it;  // touches the one before
  if (it == set.end() || it->first > last + 1) {
    set.insert(it, {first, last});
    return;
  }
  it->first = std::min(it->first, first);
  it->second = std::max(it->second, last);
  auto next = std::next(it);
  while (next != set.end() && next->first <= it->second + 1) {
    it->second = std::max(it->second, next->second);
    next = set.erase(next);
  }
}

Result<GtidState> GtidState::Parse(std::string_view text) {
  GtidState state;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view item = AsciiTrim(text.substr(0, comma));
    size_t colon = item.find(':');
    std::string domain;
    if (colon == std::string_view::npos) {
      if (!ParseMariadbGtid(item, domain)) {
        return Status::InvalidArgument(fmt::format(
            "'{}' is not a GTID (MariaDB form: domain-server-sequence, as in 0-1-42)", item));
      }
      state.mariadb_[domain] = std::string(item);
    } else {
      std::string uuid(item.substr(0, colon));
      std::string_view rest = item.substr(colon + 1);
      Intervals& set = state.mysql_[uuid];
      bool valid = !uuid.empty();
      while (valid) {
        size_t next = rest.find(':');
        std::string_view interval = rest.substr(0, next);
        size_t dash = interval.find('-');
        uint64_t first = 0, last = 0;
        valid = ParseNumber(interval.substr(0, dash), first) &&
                (dash == std::string_view::npos ? (last = first, true)
                                                : ParseNumber(interval.substr(dash + 1), last)) &&
                first >= 1 && first <= last;
        if (valid) Add(set, first, last);
        if (next == std::string_view::npos) break;
        rest.remove_prefix(next + 1);
      }
      if (!valid) {
        return Status::InvalidArgument(
            fmt::format("'{}' is not a MySQL GTID set (form: uuid:1-42:50, numbers from 1)", item));
      }
    }
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return state;
}

void GtidState::Update(const std::string& gtid) {
  size_t colon = gtid.rfind(':');
  uint64_t number = 0;
  if (colon != std::string::npos) {
    if (ParseNumber(std::string_view(gtid).substr(colon + 1), number) && number > 0) {
      Add(mysql_[gtid.substr(0, colon)], number, number);
    }
    return;
  }
  std::string domain;
  if (ParseMariadbGtid(gtid, domain)) mariadb_[domain] = gtid;
}

bool GtidState::AgreesWith(const GtidState& other) const {
  for (const auto& [domain, gtid] : mariadb_) {
    auto found = other.mariadb_.find(domain);
    if (found == other.mariadb_.end() || found->second != gtid) return false;
  }
  return true;
}

namespace {

// The sequence number of "d-s-n".
std::optional<uint64_t> MariadbSequence(std::string_view gtid) {
  size_t dash = gtid.rfind('-');
  uint64_t number = 0;
  if (dash == std::string_view::npos || !ParseNumber(gtid.substr(dash + 1), number))
    return std::nullopt;
  return number;
}

}  // namespace

bool GtidState::HeldBy(std::string_view binlog_state) const {
  std::map<std::string, uint64_t> last;  // "domain-server-" -> the last sequence number logged
  while (!binlog_state.empty()) {
    size_t comma = binlog_state.find(',');
    std::string_view gtid = AsciiTrim(binlog_state.substr(0, comma));
    binlog_state =
        comma == std::string_view::npos ? std::string_view() : binlog_state.substr(comma + 1);
    size_t dash = gtid.rfind('-');
    auto sequence = MariadbSequence(gtid);
    if (dash == std::string_view::npos || !sequence) continue;
    uint64_t& at = last[std::string(gtid.substr(0, dash + 1))];
    at = std::max(at, *sequence);
  }
  for (const auto& [domain, gtid] : mariadb_) {
    size_t dash = gtid.rfind('-');
    auto sequence = MariadbSequence(gtid);
    auto found = last.find(gtid.substr(0, dash + 1));
    if (!sequence || found == last.end() || found->second < *sequence) return false;
  }
  return true;
}

std::optional<MariadbGtid> ParseMariadbGtid(const SourceGtid& gtid) {
  std::string_view prefix = gtid.prefix();  // "domain-server-"
  size_t dash = prefix.find('-');
  uint64_t domain = 0, server = 0;
  if (!gtid.numbered() || prefix.empty() || prefix.back() != '-' || dash + 1 >= prefix.size() ||
      !ParseNumber(prefix.substr(0, dash), domain) ||
      !ParseNumber(prefix.substr(dash + 1, prefix.size() - dash - 2), server)) {
    return std::nullopt;
  }
  return MariadbGtid{domain, server, gtid.sequence()};
}

bool GtidState::Contains(const SourceGtid& gtid) const {
  if (!ParseMariadbGtid(gtid)) return false;
  auto here = mariadb_.find(std::string(gtid.prefix().substr(0, gtid.prefix().find('-'))));
  if (here == mariadb_.end()) return false;
  auto ours = MariadbSequence(here->second);
  return ours && gtid.sequence() <= *ours;
}

bool GtidState::Covers(const GtidState& other) const {
  for (const auto& [domain, gtid] : other.mariadb_) {
    if (!Contains(SourceGtid(gtid))) return false;
  }
  return true;
}

std::string GtidState::ToString() const {
  std::string out;
  for (const auto& [domain, gtid] : mariadb_) {
    if (!out.empty()) out += ',';
    out += gtid;
  }
  for (const auto& [uuid, set] : mysql_) {
    if (!out.empty()) out += ',';
    out += uuid;
    for (const auto& [first, last] : set) {
      out += first == last ? fmt::format(":{}", first) : fmt::format(":{}-{}", first, last);
    }
  }
  return out;
}

}  // namespace cdc
