// The MySQL sink against lock conflicts caused for real by a second session on the sandboxed
// MariaDB: a lock wait timeout (the session holds a row the batch writes) and a deadlock (the
// session and the batch lock two rows in opposite order). Each is retried: the batch lands
// whole, the retry is counted in the sink's stats and logged with the server's error.
#include <doctest/doctest.h>

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>

#include "connectors/mysql/sink/mysql_sink.h"
#include "test/integration/mysql_test_env.h"

namespace cdc {
namespace {

using testing::ConnectOrFail;
using testing::Exec;
using testing::QueryValue;

// `database`.kv (id BIGINT NOT NULL PRIMARY KEY, v VARCHAR(32)).
TableSchemaPtr KeyValueTable(const std::string& database) {
  std::vector<ColumnSchema> columns(2);
  columns[0].name = "id";
  columns[0].type = ColumnType::kBigInt;
  columns[0].nullable = false;
  columns[1].name = "v";
  columns[1].type = ColumnType::kVarChar;
  columns[1].length = 32;
  columns[1].collation = "utf8mb4_general_ci";
  return *TableSchema::Make(TableId{database, "kv"}, std::move(columns), {0});
}

RowChange Change(ChangeKind kind, const TableSchemaPtr& table, int64_t id,
                 const std::string& before, const std::string& after, uint64_t offset) {
  RowChange change;
  change.kind = kind;
  change.table = table.get();
  if (kind != ChangeKind::kInsert) change.before = Row{Value::Int(id), Value::String(before, 45)};
  if (kind != ChangeKind::kDelete) change.after = Row{Value::Int(id), Value::String(after, 45)};
  change.position = SourcePosition{"mysql-bin.000001", offset, ""};
  return change;
}

// Creates `database`.kv holding ids 1..4 with v 'old'.
void FreshTable(MysqlConnection& check, const std::string& database) {
  Exec(check, "DROP DATABASE IF EXISTS " + database);
  Exec(check, "CREATE DATABASE " + database);
  Exec(check, "CREATE TABLE " + database + ".kv (id BIGINT NOT NULL PRIMARY KEY, v VARCHAR(32))");
  Exec(check,
       "INSERT INTO " + database + ".kv VALUES (1, 'old'), (2, 'old'), (3, 'old'), (4, 'old')");
}

// The batch the tests write: updates of ids 1 and 2 (upserted in key order: row 1 is locked
// before row 2), a delete of 3 and an insert of 5.
std::vector<RowChange> Batch(const TableSchemaPtr& table) {
  return {Change(ChangeKind::kUpdate, table, 1, "old", "new 1", 10),
          Change(ChangeKind::kUpdate, table, 2, "old", "new 2", 11),
          Change(ChangeKind::kDelete, table, 3, "old", "", 12),
          Change(ChangeKind::kInsert, table, 5, "", "new 5", 13)};
}

constexpr const char* kBatchResult = "1|new 1|\n2|new 2|\n4|old|\n5|new 5|\n";

// What the process writes to stderr while it lives (the sink logs its retries there).
class StderrCapture {
 public:
  StderrCapture() : path_(fmt::format("/tmp/cdc-stderr-{}.txt", ::getpid())) {
    std::fflush(stderr);
    saved_ = ::dup(2);
    std::FILE* file = std::fopen(path_.c_str(), "w");
    REQUIRE(file != nullptr);
    ::dup2(::fileno(file), 2);
    std::fclose(file);
  }
  ~StderrCapture() { Restore(); }
  // Everything written so far; stops capturing.
  std::string Text() {
    Restore();
    return text_;
  }

 private:
  void Restore() {
    if (saved_ < 0) return;
    std::fflush(stderr);
    ::dup2(saved_, 2);
    ::close(saved_);
    saved_ = -1;
    std::ifstream in(path_);
    std::stringstream text;
    text << in.rdbuf();
    text_ = text.str();
    std::fputs(text_.c_str(), stderr);  // still shown in the test's output
    std::remove(path_.c_str());
  }
  std::string path_;
  std::string text_;
  int saved_ = -1;
};

// Waits (bounded) until some transaction waits for a row lock. (INNODB_TRX does not list a
// transaction whose wait began in an array-bound statement, so the status counter is asked.)
void WaitForLockWait(MysqlConnection& check) {
  for (int i = 0; i < 2000; ++i) {
    auto rows = check.Query("SHOW GLOBAL STATUS LIKE 'Innodb_row_lock_current_waits'");
    REQUIRE(rows.ok());
    REQUIRE(rows->size() == 1);
    if ((*rows)[0][1] != "0") return;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  FAIL("the sink's transaction never waited for the row lock");
}

MysqlSinkOptions SinkOptions() {
  MysqlSinkOptions options;
  options.connection = testing::SandboxOptions();
  options.retry.initial_backoff_ms = 10;
  return options;
}

}  // namespace

TEST_CASE(
    "a lock wait timeout caused by another session's row lock is retried and the batch lands "
    "whole") {
  MysqlConnection check;
  ConnectOrFail(check);
  FreshTable(check, "it_lock_wait");
  auto table = KeyValueTable("it_lock_wait");
  // Sessions opened from now on (the sink's) give up on a row lock after 1 s.
  std::string timeout = QueryValue(check, "SELECT @@GLOBAL.innodb_lock_wait_timeout");
  Exec(check, "SET GLOBAL innodb_lock_wait_timeout = 1");
  struct RestoreTimeout {
    MysqlConnection& check;
    std::string value;
    ~RestoreTimeout() { (void)check.Execute("SET GLOBAL innodb_lock_wait_timeout = " + value); }
  } restore{check, timeout};

  MysqlConnection holder;
  ConnectOrFail(holder);
  Exec(holder, "START TRANSACTION");
  Exec(holder, "SELECT * FROM it_lock_wait.kv WHERE id = 2 FOR UPDATE");

  StderrCapture log;
  MysqlSink sink(SinkOptions());
  auto written = std::async(std::launch::async,
                            [&] { return testing::WriteThroughSink(sink, table, Batch(table)); });
  // The first attempt times out on row 2; release it once the retry is scheduled.
  for (int i = 0; i < 1000 && sink.stats().retries == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  uint64_t retries = sink.stats().retries;
  Exec(holder, "ROLLBACK");
  Status status = written.get();
  std::string text = log.Text();
  REQUIRE_MESSAGE(status.ok(), status.ToString());
  CHECK(retries >= 1);
  CHECK(sink.stats().failures == 0);
  CHECK(testing::TableText(check, "it_lock_wait.kv") == kBatchResult);
  CHECK(text.find("[mysql sink] warning: it_lock_wait.kv subtask 0: transient failure") !=
        std::string::npos);
  CHECK(text.find("error 1205 (HY000): Lock wait timeout exceeded") != std::string::npos);
  CHECK(text.find("retry 1 of 9") != std::string::npos);
}

TEST_CASE(
    "a deadlock with another session locking the same rows in the opposite order is retried with "
    "nothing lost") {
  MysqlConnection check;
  ConnectOrFail(check);
  FreshTable(check, "it_deadlock");
  Exec(check, "CREATE TABLE it_deadlock.ballast (id INT PRIMARY KEY, n INT)");
  Exec(check, "INSERT INTO it_deadlock.ballast SELECT seq, 0 FROM it_deadlock.seq_1_to_500");
  auto table = KeyValueTable("it_deadlock");
  // Lock waits here end by the deadlock, never by a timeout.
  REQUIRE(std::stoi(QueryValue(check, "SELECT @@GLOBAL.innodb_lock_wait_timeout")) >= 10);

  // The other session locks row 2, after changing many rows: InnoDB rolls back the lighter
  // transaction of a deadlock, so the victim will be the sink's.
  MysqlConnection other;
  ConnectOrFail(other);
  Exec(other, "START TRANSACTION");
  Exec(other, "UPDATE it_deadlock.ballast SET n = n + 1");
  Exec(other, "SELECT * FROM it_deadlock.kv WHERE id = 2 FOR UPDATE");

  StderrCapture log;
  MysqlSink sink(SinkOptions());
  auto written = std::async(std::launch::async,
                            [&] { return testing::WriteThroughSink(sink, table, Batch(table)); });
  // The sink's upsert has locked row 1 and waits for row 2. Asking for row 1 now closes the
  // cycle: the server rolls the sink back (error 1213), which lets this request through.
  WaitForLockWait(check);
  Status locked = other.Execute("SELECT * FROM it_deadlock.kv WHERE id = 1 FOR UPDATE");
  REQUIRE_MESSAGE(locked.ok(),
                  ("the other session was chosen as the deadlock's victim: " + locked.ToString()));
  for (int i = 0; i < 1000 && sink.stats().retries == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  Exec(other, "COMMIT");  // the retry, waiting for rows 1 and 2, goes through
  Status status = written.get();
  std::string text = log.Text();
  REQUIRE_MESSAGE(status.ok(), status.ToString());
  CHECK(sink.stats().retries >= 1);
  CHECK(sink.stats().failures == 0);
  CHECK(testing::TableText(check, "it_deadlock.kv") == kBatchResult);
  CHECK(QueryValue(check, "SELECT SUM(n) FROM it_deadlock.ballast") == "500");
  CHECK(text.find("[mysql sink] warning: it_deadlock.kv subtask 0: transient failure") !=
        std::string::npos);
  CHECK(text.find("error 1213 (40001): Deadlock found when trying to get lock") !=
        std::string::npos);
}

}  // namespace cdc
