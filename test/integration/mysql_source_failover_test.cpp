// The MySQL CDC source resumed on another server: server B holds server A's history (the same
// transactions under the same GTIDs, as a replica promoted after a failover would) at other
// binlog files and offsets. A state saved on A, even in the middle of a transaction, resumes on
// B after its GTIDs, with nothing lost or repeated.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <string>
#include <vector>

#include "connectors/mysql/binlog/binlog_position.h"
#include "connectors/mysql/mysql_cdc_source.h"
#include "test/integration/mysql_source_test_support.h"
#include "test/integration/mysql_test_env.h"

namespace cdc {
namespace {

using testing::Exec;
using testing::QueryValue;

// Runs each transaction (its statements) on A, then on B under the GTID A gave it, as a replica
// applies it: B's binlog gets the same transactions and GTIDs at its own positions.
class MirroredServers {
 public:
  MirroredServers() {
    testing::ConnectOrFail(a_);
    Status status = b_.Connect(testing::SecondSandboxOptions());
    REQUIRE_MESSAGE(status.ok(), status.ToString());
    // B's binlog starts over, from A's GTID state, in a later file than its first.
    std::string state = QueryValue(a_, "SELECT @@gtid_binlog_state");
    Exec(b_, "RESET MASTER");
    Exec(b_, "SET GLOBAL gtid_binlog_state = '" + state + "'");
    Exec(b_, "FLUSH BINARY LOGS");
    Exec(b_, "FLUSH BINARY LOGS");
  }

  void Transaction(const std::vector<std::string>& statements) {
    Apply(a_, statements);
    std::string gtid = QueryValue(a_, "SELECT @@last_gtid");  // domain-server-sequence
    size_t first = gtid.find('-');
    size_t second = gtid.find('-', first + 1);
    REQUIRE(second != std::string::npos);
    Exec(b_, fmt::format("SET SESSION gtid_domain_id = {}, server_id = {}, gtid_seq_no = {}",
                         gtid.substr(0, first), gtid.substr(first + 1, second - first - 1),
                         gtid.substr(second + 1)));
    Apply(b_, statements);
  }

  MysqlConnection& a() { return a_; }
  MysqlConnection& b() { return b_; }

 private:
  static void Apply(MysqlConnection& server, const std::vector<std::string>& statements) {
    if (statements.size() > 1) Exec(server, "BEGIN");
    for (const std::string& sql : statements) Exec(server, sql);
    if (statements.size() > 1) Exec(server, "COMMIT");
  }

  MysqlConnection a_;
  MysqlConnection b_;
};

std::string Line(const RowChange& change) {
  std::string line = ChangeKindName(change.kind);
  for (const Value& value : change.image()) line += " " + value.ToString();
  return line;
}

}  // namespace

TEST_CASE("a stream saved mid-transaction on one server resumes on another after its GTIDs") {
  MirroredServers servers;
  servers.Transaction({"DROP DATABASE IF EXISTS it_failover"});
  servers.Transaction({"CREATE DATABASE it_failover"});
  servers.Transaction({"CREATE TABLE it_failover.t (id INT PRIMARY KEY, v VARCHAR(20))"});
  std::string start = testing::MasterPosition(servers.a());
  servers.Transaction({"INSERT INTO it_failover.t VALUES (1, 'one')"});
  servers.Transaction({"INSERT INTO it_failover.t VALUES (2, 'two')",
                       "INSERT INTO it_failover.t VALUES (3, 'three')",
                       "INSERT INTO it_failover.t VALUES (4, 'four')"});

  // On A: stop after the first row of the three-row transaction.
  MysqlCdcSourceOptions options = testing::StreamOptions("it_failover", start);
  options.events_per_poll = 1;  // polls end between events, so the run can stop mid-transaction
  std::string state;
  {
    MysqlCdcSource source(options);
    testing::SourceOutput out;
    Status status = testing::Drain(source, out, 2);
    REQUIRE_MESSAGE(status.ok(), status.ToString());
    REQUIRE(out.changes.size() == 2);
    CHECK(Line(out.changes[1]) == "insert 2 'two'");
    state = source.SnapshotState();
  }
  // The saved position is A's; on B it is not the same point of history (NULL: not an event
  // boundary there, or other GTIDs), so a resume at the file position would read wrong bytes.
  size_t at = state.find("binlog\t") + 7;
  auto saved = BinlogPosition::Parse(state.substr(at, state.find('\n', at) - at));
  REQUIRE(saved.ok());
  size_t gtids_at = state.find("gtids\t");
  REQUIRE(gtids_at != std::string::npos);
  std::string gtids = state.substr(gtids_at + 6, state.find('\n', gtids_at) - gtids_at - 6);
  auto saved_gtids = GtidState::Parse(gtids);
  REQUIRE(saved_gtids.ok());
  std::string there = QueryValue(servers.b(), fmt::format("SELECT BINLOG_GTID_POS('{}', {})",
                                                           saved->file, saved->offset));
  CHECK((there == "NULL" || !saved_gtids->AgreesWith(*GtidState::Parse(there))));
  CHECK(state.find("skip\t1\t") != std::string::npos);  // one row of a transaction, by GTID

  servers.Transaction({"UPDATE it_failover.t SET v = 'uno' WHERE id = 1"});
  servers.Transaction({"DELETE FROM it_failover.t WHERE id = 3"});

  // On B, from A's state: the rest of the interrupted transaction, then what followed.
  MysqlCdcSourceOptions resumed = options;
  resumed.connection = testing::SecondSandboxOptions();
  resumed.resume_state = state;
  MysqlCdcSource source(resumed);
  testing::SourceOutput out;
  Status status = testing::Drain(source, out);
  REQUIRE_MESSAGE(status.ok(), status.ToString());
  std::vector<std::string> lines;
  for (const RowChange& change : out.changes) lines.push_back(Line(change));
  CHECK(lines == std::vector<std::string>{"insert 3 'three'", "insert 4 'four'", "update 1 'uno'",
                                          "delete 3 'three'"});
  // The new state names B's binlog: a later resume there is at a file position again.
  std::string b_position = testing::MasterPosition(servers.b());
  CHECK(source.SnapshotState().find("binlog\t" + b_position + "\n") == 0);
}

}  // namespace cdc
