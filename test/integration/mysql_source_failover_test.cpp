// The MySQL CDC source resumed on another server: server B holds server A's history (the same
// transactions under the same GTIDs, as a replica promoted after a failover would) at other
// binlog files and offsets. A state saved on A, even in the middle of a transaction, resumes on
// B after its GTIDs, with nothing lost or repeated; so does the catch-up after a snapshot,
// passing over what each table's snapshot holds by the GTIDs recorded with it.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <string>
#include <utility>
#include <vector>

#include "connectors/mysql/client/binlog_position.h"
#include "connectors/mysql/client/gtid_state.h"
#include "connectors/mysql/source/mysql_cdc_source.h"
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

// Runs `source` (made with OnSecondServer) to its end: "table change values" each.
std::vector<std::string> ResumeOnSecondServer(MysqlCdcSource& source, testing::SourceOutput& out) {
  Status status = testing::Drain(source, out);
  REQUIRE_MESSAGE(status.ok(), status.ToString());
  std::vector<std::string> lines;
  for (const RowChange& change : out.changes)
    lines.push_back(change.table->id().table + " " + Line(change));
  return lines;
}

// Runs a source with `options` until it emitted `changes` changes; returns the last one's Line
// and the source's state then.
std::pair<std::string, std::string> StopAfter(const MysqlCdcSourceOptions& options,
                                              size_t changes) {
  MysqlCdcSource source(options);
  testing::SourceOutput out;
  Status status = testing::Drain(source, out, changes);
  REQUIRE_MESSAGE(status.ok(), status.ToString());
  REQUIRE(out.changes.size() == changes);
  return {Line(out.changes.back()), source.SnapshotState()};
}

MysqlCdcSourceOptions OnSecondServer(MysqlCdcSourceOptions options, const std::string& state) {
  options.connection = testing::SecondSandboxOptions();
  options.resume_state = state;
  return options;
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
  auto [last, state] = StopAfter(options, 2);
  CHECK(last == "insert 2 'two'");
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
  std::string there = QueryValue(
      servers.b(), fmt::format("SELECT BINLOG_GTID_POS('{}', {})", saved->file, saved->offset));
  CHECK((there == "NULL" || !saved_gtids->AgreesWith(*GtidState::Parse(there))));
  CHECK(state.find("skip\t1\t") != std::string::npos);  // one row of a transaction, by GTID

  servers.Transaction({"UPDATE it_failover.t SET v = 'uno' WHERE id = 1"});
  servers.Transaction({"DELETE FROM it_failover.t WHERE id = 3"});

  // On B, from A's state: the rest of the interrupted transaction, then what followed.
  MysqlCdcSource source(OnSecondServer(options, state));
  testing::SourceOutput out;
  CHECK(ResumeOnSecondServer(source, out) ==
        std::vector<std::string>{"t insert 3 'three'", "t insert 4 'four'", "t update 1 'uno'",
                                 "t delete 3 'three'"});
  // The new state names B's binlog: a later resume there is at a file position again.
  std::string b_position = testing::MasterPosition(servers.b());
  CHECK(source.SnapshotState().find("binlog\t" + b_position + "\n") == 0);
}

TEST_CASE("the catch-up after a snapshot taken on one server continues on another by GTIDs") {
  MirroredServers servers;
  servers.Transaction({"DROP DATABASE IF EXISTS it_failover_gates"});
  servers.Transaction({"CREATE DATABASE it_failover_gates"});
  servers.Transaction({"CREATE TABLE it_failover_gates.t1 (id INT PRIMARY KEY, v VARCHAR(20))"});
  servers.Transaction({"CREATE TABLE it_failover_gates.t2 (id INT PRIMARY KEY, v VARCHAR(20))"});
  // On A: the snapshot began here, read t1 two transactions later and t2 two more later, as a
  // snapshot reading one table after another under writes records them.
  auto here = [&] {
    std::string at = testing::MasterPosition(servers.a());
    std::string gtids =
        QueryValue(servers.a(), "SELECT BINLOG_GTID_POS(SUBSTRING_INDEX('" + at +
                                    "', ':', 1), SUBSTRING_INDEX('" + at + "', ':', -1))");
    REQUIRE(gtids != "NULL");
    return std::pair{at, gtids};
  };
  auto [start_at, start_gtids] = here();
  servers.Transaction({"INSERT INTO it_failover_gates.t1 VALUES (1, 'one')"});
  servers.Transaction({"INSERT INTO it_failover_gates.t2 VALUES (1, 'one')"});
  auto [t1_at, t1_gtids] = here();
  servers.Transaction({"INSERT INTO it_failover_gates.t1 VALUES (2, 'two')"});  // after t1's
  servers.Transaction({"INSERT INTO it_failover_gates.t2 VALUES (2, 'two')"});  // in t2's
  auto [t2_at, t2_gtids] = here();
  servers.Transaction({"INSERT INTO it_failover_gates.t1 VALUES (3, 'three')"});
  servers.Transaction({"UPDATE it_failover_gates.t2 SET v = 'uno' WHERE id = 1"});

  // The state of a run on A whose snapshot finished before its stream began (see
  // MysqlCdcSource::SnapshotState), resumed on B: the stream starts where the snapshot began.
  std::string state = "start\t" + start_at + "\t" + start_gtids + "\n" +
                      "table\tit_failover_gates\tt1\tdone\t" + t1_at + "\t1\n" +
                      "table-gtids\tit_failover_gates\tt1\t" + t1_gtids + "\n" +
                      "table\tit_failover_gates\tt2\tdone\t" + t2_at + "\t2\n" +
                      "table-gtids\tit_failover_gates\tt2\t" + t2_gtids + "\n";
  MysqlCdcSourceOptions options = testing::StreamOptions("it_failover_gates", "");
  options.startup = StartupMode::kInitial;
  options.events_per_poll = 1;
  // Up to t1's row 2: rows 1 are in both snapshots, t1's row 2 came after t1's.
  auto [first, resumed_state] = StopAfter(OnSecondServer(options, state), 1);
  CHECK(first == "insert 2 'two'");
  // Still before t2's snapshot, on B's positions: the state says the gates go by GTID.
  CHECK(resumed_state.find("gates\tgtids\n") != std::string::npos);
  MysqlCdcSource source(OnSecondServer(options, resumed_state));
  testing::SourceOutput out;
  // t2's row 2 is in t2's snapshot: passed over again after the restart.
  CHECK(ResumeOnSecondServer(source, out) ==
        std::vector<std::string>{"t1 insert 3 'three'", "t2 update 1 'uno'"});
}

}  // namespace cdc
