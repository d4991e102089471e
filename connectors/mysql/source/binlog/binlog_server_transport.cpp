#include "connectors/mysql/source/binlog/binlog_server_transport.h"

#include <poll.h>

#include <mysql.h>  // first: mariadb_rpl.h needs MYSQL

#include <errmsg.h>
#include <fmt/format.h>
#include <mariadb_rpl.h>
#include <mysqld_error.h>

#include <algorithm>
#include <optional>

#include "connectors/mysql/client/sql_literal.h"
#include "connectors/mysql/source/binlog/binlog_gtid_position.h"
#include "connectors/mysql/source/binlog/byte_reader.h"

namespace cdc {

BinlogServerTransport::~BinlogServerTransport() {
  if (rpl_ != nullptr) mariadb_rpl_close(rpl_);
}

Result<std::unique_ptr<BinlogServerTransport>> BinlogServerTransport::Open(
    const BinlogServerOptions& options) {
  if (options.server_id == 0) {
    return Status::InvalidArgument(
        "binlog source: no server id: give the source a server id that no other replica of the "
        "source server uses (server-id)");
  }
  std::unique_ptr<BinlogServerTransport> transport(new BinlogServerTransport());
  transport->options_ = options;
  MysqlOptions connection = options.connection;
  // The stream must outlast idle periods: heartbeats arrive every heartbeat_ms, so a read
  // that waits several periods without one means the connection is dead.
  connection.read_timeout_s = std::max<uint32_t>(10, 4 * ((options.heartbeat_ms + 999) / 1000));
  MysqlConnection& session = transport->connection_;
  CDC_RETURN_IF_ERROR(session.Connect(connection));
  auto checksum = session.Query("SELECT @@global.binlog_checksum");
  if (!checksum.ok()) return checksum.status();
  transport->checksums_ = !checksum->empty() && (*checksum)[0][0] && *(*checksum)[0][0] != "NONE";
  CDC_RETURN_IF_ERROR(transport->PlaceStart());
  const std::string& start_gtids = transport->options_.start_gtids;
  std::string set = fmt::format(
      "SET @master_binlog_checksum = @@global.binlog_checksum, @mariadb_slave_capability = 4, "
      "@master_heartbeat_period = {}",
      uint64_t{options.heartbeat_ms} * 1'000'000);
  if (!start_gtids.empty()) {
    set += ", @slave_connect_state = ";
    AppendQuoted(start_gtids, set);
    set += ", @slave_gtid_strict_mode = 0, @slave_gtid_ignore_duplicates = 0";
  }
  CDC_RETURN_IF_ERROR(session.Execute(set));

  MYSQL* mysql = session.native_handle();
  transport->rpl_ = mariadb_rpl_init(mysql);
  if (transport->rpl_ == nullptr) return Status::IoError("binlog source: out of memory");
  std::string file = start_gtids.empty() ? options.start.file : std::string();
  unsigned long start = start_gtids.empty() ? std::max<uint64_t>(4, options.start.offset) : 4;
  unsigned int flags = options.stop_at_end ? MARIADB_RPL_BINLOG_DUMP_NON_BLOCK : 0;
  mariadb_rpl_optionsv(transport->rpl_, MARIADB_RPL_FILENAME, file.c_str(), file.size());
  mariadb_rpl_optionsv(transport->rpl_, MARIADB_RPL_START, start);
  mariadb_rpl_optionsv(transport->rpl_, MARIADB_RPL_SERVER_ID, options.server_id);
  mariadb_rpl_optionsv(transport->rpl_, MARIADB_RPL_FLAGS, flags);
  if (mariadb_rpl_open(transport->rpl_) != 0) {
    return transport->StreamError("requesting the binlog stream");
  }
  transport->file_ = file;
  transport->position_ = start;
  return transport;
}

Status BinlogServerTransport::PlaceStart() {
  BinlogServerOptions& options = options_;
  if (!options.start_gtids.empty() || !connection_.is_mariadb() || options.start.file.empty()) {
    return Status::Ok();
  }
  BinlogPosition start{options.start.file, std::max<uint64_t>(4, options.start.offset)};
  // nullopt: the file is not in this server's binlog, or `start` is not an event boundary in it.
  auto at = GtidStateAt(connection_, start);
  if (!at.ok()) return at.status();
  const std::optional<GtidState>& there = *at;
  if (there && options.start_state.AgreesWith(*there)) {
    gtids_at_start_ = *there;
    return Status::Ok();
  }
  if (!options.start_state.has_mariadb()) return Status::Ok();  // nothing else to go by
  options.start_gtids = options.start_state.ToString();
  auto state = connection_.Query("SELECT @@gtid_binlog_state");
  if (!state.ok()) return state.status();
  server_binlog_state_ = state->empty() ? std::string() : (*state)[0][0].value_or("");
  moved_to_gtids_ =
      there ? fmt::format("{} follows GTIDs {} in this server's binlog, not {}", start.ToString(),
                          there->empty() ? "(none)" : there->ToString(), options.start_gtids)
            : fmt::format("{} is not an event boundary of this server's binlog", start.ToString());
  return Status::Ok();
}

Status BinlogServerTransport::StreamError(const std::string& what) {
  Status failed = connection_.ErrorStatus(what);
  const MysqlError& error = connection_.last_error();
  std::string from =
      options_.start_gtids.empty()
          ? BinlogPosition{file_.empty() ? options_.start.file : file_.str(), position_}.ToString()
          : "GTID " + options_.start_gtids;
  switch (error.number) {
    case ER_MASTER_FATAL_ERROR_READING_BINLOG:
      return Status::InvalidArgument(fmt::format(
          "{}; the server cannot send its binlog from {}: the position may have been purged "
          "or never existed (SHOW BINARY LOGS lists the files the server still has): start "
          "from a retained position, or with startup mode 'initial' to take a new snapshot",
          failed.message(), from));
    case ER_SPECIFIC_ACCESS_DENIED_ERROR:
    case ER_ACCESS_DENIED_ERROR:
      return Status::InvalidArgument(fmt::format(
          "{}; the user may not read the binlog: GRANT REPLICATION SLAVE, REPLICATION CLIENT "
          "ON *.* TO the user (MariaDB 10.5+: REPLICATION SLAVE, BINLOG MONITOR)",
          failed.message()));
    case ER_SLAVE_SAME_ID:
      return Status::InvalidArgument(fmt::format(
          "{}; another replica connected to the server with server id {}: give this source a "
          "server id no other replica uses",
          failed.message(), options_.server_id));
    default: return failed;
  }
}

Result<bool> BinlogServerTransport::Next(BinlogEvent& event) {
  MYSQL* mysql = connection_.native_handle();
  unsigned long length = mysql_net_read_packet(mysql);
  if (length == packet_error) return StreamError("reading the binlog stream");
  const auto* data = reinterpret_cast<const char*>(mysql->net.read_pos);
  if (length < 8 && static_cast<uint8_t>(data[0]) == 0xFE) return false;  // EOF: end reached
  if (length < 1 + kBinlogHeaderSize || data[0] != 0) {
    return Status::IoError(fmt::format("binlog stream: unexpected packet of {} bytes after {}:{}",
                                       length, file_.str(), position_));
  }
  std::string_view bytes(data + 1, length - 1);
  auto type = static_cast<BinlogEventType>(static_cast<uint8_t>(bytes[4]));
  if (type == BinlogEventType::kFormatDescription) checksums_ = FormatDescriptionHasChecksum(bytes);
  auto parsed = ParseBinlogEvent(bytes, checksums_, position_);
  if (!parsed.ok())
    return parsed.status().WithContext(fmt::format("binlog stream at {}", file_.str()));
  event = *parsed;
  if (type == BinlogEventType::kRotate) {
    ByteReader in(event.body);
    position_ = in.LittleEndian(8);
    file_ = std::string(in.Bytes(in.remaining()));
  } else if (event.header.next_position != 0) {
    position_ = event.header.next_position;
  }
  return true;
}

bool BinlogServerTransport::HasPending(int wait_ms) const {
  st_mysql* handle = connection_.native_handle();
  if (handle == nullptr) return true;
  pollfd socket{static_cast<int>(mysql_get_socket(handle)), POLLIN, 0};
  return poll(&socket, 1, wait_ms) != 0;  // readable, or an error the next read will report
}

}  // namespace cdc
