// The MySQL CDC source against the sandboxed MariaDB: live streaming of every column type,
// multi-table transactions across a binlog rotation, resume from a saved state, reconnection
// after the stream is killed, the snapshot under concurrent writes followed by streaming, and
// the errors a misconfigured server or user gets.
#include <doctest/doctest.h>

#include <fmt/format.h>
#include <algorithm>

#include <atomic>
#include <chrono>
#include <future>
#include <random>
#include <set>
#include <thread>

#include "connectors/mysql/client/binlog_position.h"
#include "connectors/mysql/client/gtid_state.h"
#include "connectors/mysql/client/mysql_text_value.h"
#include "connectors/mysql/sink/mysql_sink.h"
#include "connectors/mysql/source/mysql_catalog.h"
#include "connectors/mysql/source/mysql_cdc_source.h"
#include "operators/job.h"
#include "runtime/executor.h"
#include "schema/ddl_parser.h"
#include "test/integration/all_types.h"
#include "test/integration/mysql_source_test_support.h"
#include "test/integration/mysql_test_env.h"

namespace cdc {
namespace {

using testing::Drain;
using testing::MasterPosition;
using testing::SourceOutput;
using testing::StreamOptions;
using testing::StreamToEnd;
using testing::TableText;

// A new database holding table t with `columns` and the rows `values` ("(1, 'a'), (2, 'b')").
void FreshTable(MysqlConnection& check, const std::string& database, const std::string& columns,
                const std::string& values) {
  testing::Exec(check, "DROP DATABASE IF EXISTS " + database);
  testing::Exec(check, "CREATE DATABASE " + database);
  testing::Exec(check, "CREATE TABLE " + database + ".t " + columns);
  testing::Exec(check, "INSERT INTO " + database + ".t VALUES " + values);
}

// Startup mode snapshot of the tables `include` matches, `chunk_rows` rows a chunk.
MysqlCdcSourceOptions SnapshotOf(const std::string& include, size_t chunk_rows) {
  MysqlCdcSourceOptions options;
  options.connection = testing::SandboxOptions();
  options.startup = StartupMode::kSnapshot;
  options.include_tables = {include};
  options.snapshot.chunk_rows = chunk_rows;
  return options;
}

// The state of a source with `options` once it has emitted `rows` snapshot rows (whole chunks).
std::string SnapshotStateAfter(const MysqlCdcSourceOptions& options, size_t rows) {
  MysqlCdcSource source(options);
  SourceOutput out;
  REQUIRE(Drain(source, out, rows).ok());
  CHECK(out.changes.size() == rows);
  return source.SnapshotState();
}

// Each row of `table` as Values, parsed from SELECT's text by the catalog's schema.
std::vector<Row> SelectRows(const TableSchema& schema) {
  MysqlConnection connection;
  testing::ConnectOrFail(connection);
  testing::Exec(connection, "SET character_set_results = NULL");
  std::string select;
  for (const ColumnSchema& column : schema.columns()) {
    select += (select.empty() ? "" : ", ") + ExactSelectExpression(column);
  }
  auto rows =
      connection.Query("SELECT " + select + " FROM " + schema.id().Quoted() + " ORDER BY 1");
  REQUIRE_MESSAGE(rows.ok(), rows.status().ToString());
  std::vector<Row> out;
  for (const auto& text : *rows) {
    Row row;
    for (size_t i = 0; i < schema.columns().size(); ++i) {
      auto value = ParseMysqlText(
          schema.columns()[i], text[i] ? std::optional<std::string_view>(*text[i]) : std::nullopt);
      REQUIRE_MESSAGE(value.ok(), value.status().ToString());
      row.push_back(std::move(value).value());
    }
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace

TEST_CASE("the binlog stream decodes every column type to exactly what SELECT returns") {
  MysqlConnection check;
  testing::ConnectOrFail(check);
  testing::Exec(check, "DROP DATABASE IF EXISTS it_cdc_types");
  testing::AllTypes all = testing::MakeAllTypes("it_cdc_types");
  RowChange insert;
  insert.kind = ChangeKind::kInsert;
  insert.table = all.schema.get();
  insert.after = all.max_row;
  REQUIRE(testing::WriteThroughSink(all.schema, {insert}).ok());  // creates the table
  testing::Exec(check, "DELETE FROM it_cdc_types.all_types");
  std::string start = MasterPosition(check);
  RowChange min_insert = insert;
  min_insert.after = all.min_row;
  REQUIRE(testing::WriteThroughSink(all.schema, {insert}).ok());
  REQUIRE(testing::WriteThroughSink(all.schema, {min_insert}).ok());
  testing::Exec(check, "UPDATE it_cdc_types.all_types SET vc = 'changed', ti = 127 WHERE id = 0");

  SourceOutput out = StreamToEnd(StreamOptions("it_cdc_types", start));
  REQUIRE(out.changes.size() == 3);
  CHECK(out.changes[0].kind == ChangeKind::kInsert);
  CHECK(out.changes[1].kind == ChangeKind::kInsert);
  CHECK(out.changes[2].kind == ChangeKind::kUpdate);
  // The changes carry the catalog's schema; what SELECT returns now is the state after them.
  const TableSchema& schema = *out.changes[0].table;
  std::vector<Row> selected = SelectRows(schema);
  REQUIRE(selected.size() == 2);
  const Row& zero = out.changes[2].after;  // id 0 after the update
  const Row& max = out.changes[0].after;   // id 2^64-1
  for (size_t i = 0; i < schema.columns().size(); ++i) {
    CAPTURE(schema.columns()[i].name);
    CHECK(zero[i].ToString() == selected[0][i].ToString());
    CHECK(zero[i] == selected[0][i]);
    CHECK(max[i].ToString() == selected[1][i].ToString());
    CHECK(max[i] == selected[1][i]);
    CHECK(out.changes[1].after[i] == (i == 1 || i == 13 ? out.changes[2].before[i] : zero[i]));
  }
  // Positions are binlog positions with the MariaDB GTID, ascending.
  CHECK(out.changes[0].position.file.str().find("mysql-bin.") == 0);
  CHECK(out.changes[0].position.server_id ==
        std::stoul(testing::QueryValue(check, "SELECT @@server_id")));
  CHECK(out.changes[0].position.gtid.str().find(
            fmt::format("0-{}-", testing::QueryValue(check, "SELECT @@server_id"))) == 0);
  CHECK(out.changes[0].position.offset < out.changes[2].position.offset);
  CHECK(out.changes[0].commit_time_us > 0);
}

TEST_CASE("compressed binlog events (log_bin_compress=ON) decode exactly like plain ones") {
  MysqlConnection check;
  testing::ConnectOrFail(check);
  testing::Exec(check, "DROP DATABASE IF EXISTS it_cdc_compressed");
  testing::AllTypes all = testing::MakeAllTypes("it_cdc_compressed");
  REQUIRE(testing::WriteThroughSink(all.schema, {all.Insert(all.max_row)}).ok());  // the table
  testing::Exec(check, "DELETE FROM it_cdc_compressed.all_types");
  std::string start = MasterPosition(check);
  struct CompressionOn {  // the setting is global: restore it whatever happens
    MysqlConnection& connection;
    explicit CompressionOn(MysqlConnection& c) : connection(c) {
      testing::Exec(connection, "SET GLOBAL log_bin_compress = ON");
      testing::Exec(connection, "SET GLOBAL log_bin_compress_min_len = 10");
    }
    ~CompressionOn() { (void)connection.Execute("SET GLOBAL log_bin_compress = OFF"); }
  };
  std::vector<Row> selected;
  {
    CompressionOn on(check);
    REQUIRE(testing::WriteThroughSink(all.schema, {all.Insert(all.max_row)}).ok());
    REQUIRE(testing::WriteThroughSink(all.schema, {all.Insert(all.min_row)}).ok());
    testing::Exec(check, "UPDATE it_cdc_compressed.all_types SET vc = 'changed' WHERE id = 0");
    auto filter = TableFilter::Make({"it_cdc_compressed\\.all_types"}, {});
    REQUIRE(filter.ok());
    auto catalog = ReadTableSchemas(check, *filter);  // the schema the source decodes with
    REQUIRE(catalog.ok());
    REQUIRE(catalog->size() == 1);
    selected = SelectRows(*catalog->begin()->second);
    testing::Exec(check, "TRUNCATE TABLE it_cdc_compressed.all_types");
  }
  // The server really wrote compressed rows and queries.
  auto events = check.Query("SHOW BINLOG EVENTS IN '" + start.substr(0, start.find(':')) + "'");
  REQUIRE(events.ok());
  size_t compressed_rows = 0, compressed_queries = 0;
  for (const auto& event : *events) {
    compressed_rows += event[2]->find("rows_compressed") != std::string::npos;
    compressed_queries += *event[2] == "Query_compressed";
  }
  CHECK(compressed_rows >= 3);
  CHECK(compressed_queries >= 1);

  SourceOutput out = StreamToEnd(StreamOptions("it_cdc_compressed", start));
  REQUIRE(out.changes.size() == 4);
  CHECK(out.changes[2].kind == ChangeKind::kUpdate);
  CHECK(out.changes[3].kind == ChangeKind::kTruncate);  // from the compressed query text
  REQUIRE(selected.size() == 2);
  for (size_t i = 0; i < all.schema->columns().size(); ++i) {
    CAPTURE(all.schema->columns()[i].name);
    CHECK(out.changes[2].after[i] == selected[0][i]);
    CHECK(out.changes[0].after[i] == selected[1][i]);
  }
}

TEST_CASE("multi-table transactions across FLUSH BINARY LOGS stream in order and resume exactly") {
  MysqlConnection check;
  testing::ConnectOrFail(check);
  testing::Exec(check, "DROP DATABASE IF EXISTS it_cdc_tx");
  testing::Exec(check, "CREATE DATABASE it_cdc_tx");
  testing::Exec(check, "CREATE TABLE it_cdc_tx.a (id INT PRIMARY KEY, v VARCHAR(20))");
  testing::Exec(check, "CREATE TABLE it_cdc_tx.b (id INT PRIMARY KEY, v VARCHAR(20))");
  testing::Exec(check, "CREATE TABLE it_cdc_tx.skipped (id INT PRIMARY KEY)");
  std::string start = MasterPosition(check);
  testing::Exec(check, "BEGIN");
  testing::Exec(check, "INSERT INTO it_cdc_tx.a VALUES (1, 'a1'), (2, 'a2')");
  testing::Exec(check, "INSERT INTO it_cdc_tx.b VALUES (1, 'b1')");
  testing::Exec(check, "INSERT INTO it_cdc_tx.skipped VALUES (1)");
  testing::Exec(check, "UPDATE it_cdc_tx.a SET v = 'a1x' WHERE id = 1");
  testing::Exec(check, "COMMIT");
  testing::Exec(check, "FLUSH BINARY LOGS");
  testing::Exec(check, "BEGIN");
  testing::Exec(check, "DELETE FROM it_cdc_tx.a WHERE id = 2");
  testing::Exec(check, "INSERT INTO it_cdc_tx.b VALUES (2, 'b2')");
  testing::Exec(check, "COMMIT");

  MysqlCdcSourceOptions options = StreamOptions("it_cdc_tx", start);
  options.exclude_tables = {"it_cdc_tx\\.skipped"};
  std::string state;
  {
    MysqlCdcSource source(options);
    SourceOutput out;
    Status status = Drain(source, out);
    REQUIRE_MESSAGE(status.ok(), status.ToString());
    std::vector<std::string> lines;
    for (const RowChange& change : out.changes) lines.push_back(change.ToString().substr(0, 40));
    REQUIRE(out.changes.size() == 6);
    CHECK(out.changes[0].table->id().table == "a");
    CHECK(out.changes[2].table->id().table == "b");
    CHECK(out.changes[3].kind == ChangeKind::kUpdate);
    CHECK(out.changes[4].kind == ChangeKind::kDelete);
    // One transaction id per transaction; the second is in the next binlog file.
    for (size_t i = 1; i < 4; ++i)
      CHECK(out.changes[i].transaction_id == out.changes[0].transaction_id);
    CHECK(out.changes[4].transaction_id != out.changes[0].transaction_id);
    CHECK(out.changes[5].transaction_id == out.changes[4].transaction_id);
    CHECK(BinlogPosition{out.changes[0].position.file, 0} <
          BinlogPosition{out.changes[4].position.file, 0});
    state = source.SnapshotState();
  }
  CHECK(state.find("binlog\t") == 0);
  testing::Exec(check, "INSERT INTO it_cdc_tx.a VALUES (3, 'after resume')");
  MysqlCdcSourceOptions resumed = options;
  resumed.resume_state = state;
  MysqlCdcSource source(resumed);
  SourceOutput out;
  Status status = Drain(source, out);
  REQUIRE_MESSAGE(status.ok(), status.ToString());
  REQUIRE(out.changes.size() == 1);
  CHECK(out.changes[0].after[1].ToString() == "'after resume'");
}

TEST_CASE("DDL in the stream is followed: rows after ALTER and RENAME decode with the new schema") {
  MysqlConnection check;
  testing::ConnectOrFail(check);
  testing::Exec(check, "DROP DATABASE IF EXISTS it_cdc_ddl");
  testing::Exec(check, "CREATE DATABASE it_cdc_ddl");
  testing::Exec(
      check,
      "CREATE TABLE it_cdc_ddl.t (id INT PRIMARY KEY, email VARCHAR(64), UNIQUE KEY (email))");
  MysqlCdcSource source(StreamOptions("it_cdc_ddl", MasterPosition(check)));
  static Executor executor(1);
  static SystemClock clock(executor);
  REQUIRE(source.Open(SubtaskInfo{"mysql", 0, 1}, clock).ok());  // reads the catalog now
  testing::Exec(check, "INSERT INTO it_cdc_ddl.t VALUES (1, 'a@x')");
  testing::Exec(
      check, "ALTER TABLE it_cdc_ddl.t ADD COLUMN note TEXT AFTER id, MODIFY email VARCHAR(128)");
  testing::Exec(check, "INSERT INTO it_cdc_ddl.t VALUES (2, 'hello', 'b@x')");
  testing::Exec(check, "RENAME TABLE it_cdc_ddl.t TO it_cdc_ddl.t2");
  testing::Exec(check, "INSERT INTO it_cdc_ddl.t2 VALUES (3, 'renamed', 'c@x')");
  SourceOutput out;
  while (true) {
    auto polled = source.PollNext(out);
    REQUIRE_MESSAGE(polled.ok(), polled.status().ToString());
    if (polled->state == PollResult::State::kEndOfInput) break;
  }
  REQUIRE(out.changes.size() == 3);
  CHECK(out.changes[0].table->unique_keys().size() == 1);
  CHECK(out.changes[0].table->columns().size() == 2);
  const TableSchema& altered = *out.changes[1].table;
  REQUIRE(altered.columns().size() == 3);
  CHECK(altered.columns()[1].name == "note");
  CHECK(altered.columns()[2].length == 128);
  CHECK(altered.unique_keys().size() == 1);  // followed from the DDL, not only the table map
  CHECK(out.changes[1].after[1].ToString() == "'hello'");
  CHECK(out.changes[2].table->id() == TableId{"it_cdc_ddl", "t2"});
  CHECK(out.changes[2].table->unique_keys().size() == 1);
  CHECK(out.changes[2].after[2].ToString() == "'c@x'");
  // The DDL reached the stream as schema changes: the ALTER on t, the RENAME on t and t2.
  REQUIRE(out.schema_changes.size() == 3);
  const SchemaChange& alter = *out.schema_changes[0].schema_change;
  // The source's GTIDs after the ALTER hold the ALTER's own transaction (the sink orders
  // replayed rows against them).
  auto after_alter = GtidState::Parse(alter.source_gtids);
  REQUIRE(after_alter.ok());
  CHECK(after_alter->Contains(out.schema_changes[0].position.gtid));
  CHECK_FALSE(out.schema_changes[0].position.gtid.empty());
  CHECK(alter.kind == SchemaChangeKind::kAlterTable);
  CHECK(alter.before->columns().size() == 2);
  CHECK(alter.after.get() == out.changes[1].table);  // the rows after it carry its schema
  CHECK(alter.clauses.size() == 2);
  CHECK(out.schema_changes[0].position.offset < out.changes[1].position.offset);
  const SchemaChange& rename = *out.schema_changes[1].schema_change;
  CHECK(rename.kind == SchemaChangeKind::kRenameTable);
  CHECK(out.schema_changes[2].schema_change == out.schema_changes[1].schema_change);
  CHECK(out.schema_changes[1].table->id() == TableId{"it_cdc_ddl", "t"});
  CHECK(out.schema_changes[2].table->id() == TableId{"it_cdc_ddl", "t2"});
}

TEST_CASE("a killed binlog connection reconnects and resumes with nothing lost or repeated") {
  MysqlConnection check;
  testing::ConnectOrFail(check);
  testing::Exec(check, "DROP DATABASE IF EXISTS it_cdc_kill");
  testing::Exec(check, "CREATE DATABASE it_cdc_kill");
  testing::Exec(check, "CREATE TABLE it_cdc_kill.t (id INT PRIMARY KEY, v INT)");
  std::string start = MasterPosition(check);
  // Transactions of 50 rows each, so the kill lands inside one.
  for (int t = 0; t < 40; ++t) {
    std::string sql = "INSERT INTO it_cdc_kill.t VALUES ";
    for (int i = 0; i < 50; ++i) sql += fmt::format("{}({}, {})", i ? "," : "", t * 50 + i, t);
    testing::Exec(check, sql);
  }
  MysqlCdcSourceOptions options = StreamOptions("it_cdc_kill", start);
  options.events_per_poll = 1;
  options.reconnect_backoff_ms = 10;
  options.stop_at_end = false;  // the server's dump thread stays, so there is one to kill
  MysqlCdcSource source(options);
  SourceOutput out;
  Status status = Drain(source, out, 725);  // mid-transaction: 14 whole ones and 25 rows
  REQUIRE_MESSAGE(status.ok(), status.ToString());
  auto dumps = check.Query(
      "SELECT ID FROM information_schema.PROCESSLIST WHERE COMMAND LIKE 'Binlog Dump%'");
  REQUIRE(dumps.ok());
  REQUIRE(dumps->size() == 1);
  testing::Exec(check, "KILL " + *(*dumps)[0][0]);
  static Executor executor(1);
  static SystemClock clock(executor);
  // Until every row came, then a little longer: a repeated row would show up.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  std::optional<std::chrono::steady_clock::time_point> settle;
  while (std::chrono::steady_clock::now() < (settle ? *settle : deadline)) {
    auto polled = source.PollNext(out);
    REQUIRE_MESSAGE(polled.ok(), polled.status().ToString());
    if (polled->state == PollResult::State::kWait)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    if (!settle && out.changes.size() >= 2000)
      settle = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  }
  REQUIRE(out.changes.size() == 2000);
  for (size_t i = 0; i < out.changes.size(); ++i) {
    CAPTURE(i);
    CHECK(out.changes[i].after[0] == Value::Int(static_cast<int64_t>(i)));
  }
}

TEST_CASE("a DDL the parser cannot read stops the job at it, unless told to pass it over") {
  MysqlConnection check;
  testing::ConnectOrFail(check);
  testing::Exec(check, "DROP DATABASE IF EXISTS it_cdc_unparsed");
  testing::Exec(check, "CREATE DATABASE it_cdc_unparsed");
  testing::Exec(check, "CREATE TABLE it_cdc_unparsed.orders (id INT PRIMARY KEY)");
  std::string start = MasterPosition(check);
  testing::Exec(check, "INSERT INTO it_cdc_unparsed.orders VALUES (1)");
  // An option no engine defines: MariaDB keeps it under IGNORE_BAD_TABLE_OPTIONS, our parser
  // does not know it.
  testing::Exec(check, "SET SESSION sql_mode = 'IGNORE_BAD_TABLE_OPTIONS'");
  testing::Exec(check, "ALTER TABLE it_cdc_unparsed.orders MADE_UP_OPTION = 1");
  testing::Exec(check, "INSERT INTO it_cdc_unparsed.orders VALUES (2)");
  {
    MysqlCdcSource source(StreamOptions("it_cdc_unparsed", start));
    SourceOutput out;
    Status status = Drain(source, out);
    REQUIRE_FALSE(status.ok());
    CHECK(status.message().find(
              "names the captured table it_cdc_unparsed.orders and cannot be parsed") !=
          std::string::npos);
    CHECK(status.message().find("MADE_UP_OPTION") != std::string::npos);
    CHECK(status.message().find("mysql-bin.") != std::string::npos);
    CHECK(status.message().find("schema-change.skip-unparseable-ddl") != std::string::npos);
    CHECK(out.changes.size() == 1);  // the row before it
  }
  MysqlCdcSourceOptions skipping = StreamOptions("it_cdc_unparsed", start);
  skipping.skip_unparseable_ddl = true;
  SourceOutput out = StreamToEnd(skipping);
  CHECK(out.changes.size() == 2);
}

TEST_CASE("a snapshot under concurrent writes, then the stream, ends equal to the source") {
  MysqlConnection check;
  testing::ConnectOrFail(check);
  testing::Exec(check, "DROP DATABASE IF EXISTS it_cdc_snap");
  testing::Exec(check, "DROP DATABASE IF EXISTS it_cdc_snap_copy");
  testing::Exec(check, "CREATE DATABASE it_cdc_snap");
  testing::Exec(check,
                "CREATE TABLE it_cdc_snap.orders (id BIGINT PRIMARY KEY, qty INT NOT NULL, "
                "note VARCHAR(40) CHARACTER SET latin1, at DATETIME(6))");
  testing::Exec(check,
                "CREATE TABLE it_cdc_snap.items (sku VARCHAR(20) NOT NULL, wh INT NOT NULL, "
                "n INT, PRIMARY KEY (sku, wh))");
  for (int batch = 0; batch < 20; ++batch) {
    std::string orders = "INSERT INTO it_cdc_snap.orders VALUES ";
    std::string items = "INSERT INTO it_cdc_snap.items VALUES ";
    for (int i = 0; i < 250; ++i) {
      int id = batch * 250 + i;
      orders += fmt::format("{}({}, {}, 'caf\xc3\xa9 {}', '2024-01-02 03:04:05.{:06}')",
                            i ? "," : "", id, id % 97, id, id);
      items += fmt::format("{}('sku-{}', {}, {})", i ? "," : "", id % 700, id / 700, id);
    }
    testing::Exec(check, orders);
    testing::Exec(check, items);
  }
  std::atomic<bool> writing{true};
  std::thread writer([&] {
    MysqlConnection connection;
    REQUIRE(connection.Connect(testing::SandboxOptions()).ok());
    std::mt19937 random(7);
    int next_id = 100000;
    for (int round = 0; round < 1200; ++round) {
      int id = static_cast<int>(random() % 5000);
      std::string sql;
      switch (round % 4) {
        case 0:
          sql = fmt::format(
              "UPDATE it_cdc_snap.orders SET qty = qty + 1, note = 'u{}' WHERE id = {}", round, id);
          break;
        case 1: sql = fmt::format("DELETE FROM it_cdc_snap.orders WHERE id = {}", id); break;
        case 2:
          sql =
              fmt::format("INSERT INTO it_cdc_snap.orders VALUES ({}, 1, 'new', NULL)", next_id++);
          break;
        default:
          sql =
              fmt::format("UPDATE it_cdc_snap.items SET n = n + 1 WHERE sku = 'sku-{}'", id % 700);
          break;
      }
      (void)connection.Execute(sql);
      if (round % 50 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    writing = false;
  });

  MysqlCdcSourceOptions options;
  options.connection = testing::SandboxOptions();
  options.server_id = 4243;
  options.startup = StartupMode::kInitial;
  options.include_tables = {"it_cdc_snap\\..*"};
  options.snapshot.chunk_rows = 100;  // many chunks, so writes land between them
  options.snapshot.parallelism = 2;
  options.heartbeat_ms = 200;
  MysqlSinkOptions sink;
  sink.connection = testing::SandboxOptions();
  sink.target_database = "it_cdc_snap_copy";
  JobOptions job_options;
  job_options.parallelism = 2;
  Job job(job_options);
  job.AddSource("mysql", MysqlCdcSource::Factory(options))
      .KeyBy()
      .SinkTo("copy", std::make_shared<MysqlSink>(sink));
  auto run = std::async(std::launch::async, [&] { return job.Run(); });
  writer.join();
  bool equal = false;
  for (int attempt = 0; attempt < 300 && !equal; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    auto copied = check.Query(
        "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'it_cdc_snap_copy'");
    if (!copied.ok() || *(*copied)[0][0] != "2") continue;
    equal = TableText(check, "it_cdc_snap.orders") == TableText(check, "it_cdc_snap_copy.orders") &&
            TableText(check, "it_cdc_snap.items") == TableText(check, "it_cdc_snap_copy.items");
  }
  job.Stop();
  Status status = run.get();
  REQUIRE_MESSAGE(status.ok(), status.ToString());
  CHECK(equal);
  CHECK(TableText(check, "it_cdc_snap.orders") == TableText(check, "it_cdc_snap_copy.orders"));
  CHECK(TableText(check, "it_cdc_snap.items") == TableText(check, "it_cdc_snap_copy.items"));
}

TEST_CASE("a snapshot resumes at chunk granularity from a saved state") {
  MysqlConnection check;
  testing::ConnectOrFail(check);
  std::string values;
  for (int i = 0; i < 1000; ++i) values += fmt::format("{}({}, {})", i ? "," : "", i, i * 3);
  FreshTable(check, "it_cdc_chunks", "(id INT PRIMARY KEY, v INT)", values);
  MysqlCdcSourceOptions options = SnapshotOf("it_cdc_chunks\\.t", 100);
  std::string state = SnapshotStateAfter(options, 300);  // three whole chunks
  CHECK(state.find("partial") != std::string::npos);
  options.resume_state = state;
  MysqlCdcSource source(options);
  SourceOutput out;
  Status status = Drain(source, out);
  REQUIRE_MESSAGE(status.ok(), status.ToString());
  REQUIRE(out.changes.size() == 700);
  CHECK(out.changes.front().after[0] == Value::Int(300));
  CHECK(out.changes.back().after[0] == Value::Int(999));
}

TEST_CASE("a snapshot resumed after its table lost a column stops with the cause and the fix") {
  MysqlConnection check;
  testing::ConnectOrFail(check);
  FreshTable(check, "it_cdc_resume_ddl", "(id INT PRIMARY KEY, v INT)", "(1, 1), (2, 2), (3, 3)");
  MysqlCdcSourceOptions options = SnapshotOf("it_cdc_resume_ddl\\.t", 1);
  std::string state = SnapshotStateAfter(options, 1);
  testing::Exec(check, "ALTER TABLE it_cdc_resume_ddl.t DROP COLUMN v");
  options.resume_state = state;
  MysqlCdcSource source(options);
  SourceOutput out;
  Status status = Drain(source, out);
  REQUIRE_FALSE(status.ok());
  CHECK(status.message().find("it_cdc_resume_ddl.t changed since its snapshot began") !=
        std::string::npos);
  CHECK(status.message().find("Unknown column") != std::string::npos);
  CHECK(status.message().find("remove the pipeline's checkpoints in state.dir") !=
        std::string::npos);
}

TEST_CASE(
    "a snapshot of a table without a key empties its target first, marked as the snapshot's") {
  MysqlConnection check;
  testing::ConnectOrFail(check);
  FreshTable(check, "it_cdc_keyless", "(a INT, b VARCHAR(8))", "(1, 'x'), (1, 'x'), (2, NULL)");
  MysqlCdcSource source(SnapshotOf("it_cdc_keyless\\.t", 8192));
  SourceOutput out;
  Status status = Drain(source, out);
  REQUIRE_MESSAGE(status.ok(), status.ToString());
  std::vector<ChangeKind> kinds;
  for (const RowChange& change : out.changes) {
    if (change.kind != ChangeKind::kSchemaChange) kinds.push_back(change.kind);
  }
  CHECK(kinds == std::vector<ChangeKind>{ChangeKind::kTruncate, ChangeKind::kInsert,
                                         ChangeKind::kInsert, ChangeKind::kInsert});
  auto truncate = std::find_if(out.changes.begin(), out.changes.end(), [](const RowChange& change) {
    return change.kind == ChangeKind::kTruncate;
  });
  REQUIRE(truncate != out.changes.end());
  CHECK(truncate->snapshot_reload);  // applied whatever the schema change behaviour
}

TEST_CASE("earliest, timestamp, MariaDB GTID and latest startup modes start where they say") {
  MysqlConnection check;
  testing::ConnectOrFail(check);
  FreshTable(check, "it_cdc_modes", "(id INT PRIMARY KEY)", "(1)");
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // binlog times are in seconds
  int64_t between_ms = std::stoll(testing::QueryValue(check, "SELECT UNIX_TIMESTAMP() * 1000"));
  std::string between_gtids = testing::QueryValue(check, "SELECT @@gtid_binlog_pos");
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  testing::Exec(check, "INSERT INTO it_cdc_modes.t VALUES (2)");
  auto ids = [](const SourceOutput& out) {
    std::vector<std::string> seen;
    for (const RowChange& change : out.changes) seen.push_back(change.after[0].ToString());
    return seen;
  };
  MysqlCdcSourceOptions options = StreamOptions("it_cdc_modes", "");
  options.startup = StartupMode::kEarliest;
  CHECK(ids(StreamToEnd(options)) == std::vector<std::string>{"1", "2"});
  options.startup = StartupMode::kTimestamp;
  options.start_timestamp_ms = between_ms;
  CHECK(ids(StreamToEnd(options)) == std::vector<std::string>{"2"});
  options.startup = StartupMode::kSpecific;
  options.start_position = between_gtids;  // "0-server-n": after the insert of 1
  CHECK(between_gtids.find('-') != std::string::npos);
  CHECK(ids(StreamToEnd(options)) == std::vector<std::string>{"2"});
  {
    options.startup = StartupMode::kLatest;
    MysqlCdcSource source(options);
    static Executor executor(1);
    static SystemClock clock(executor);
    REQUIRE(source.Open(SubtaskInfo{"mysql", 0, 1}, clock).ok());
    testing::Exec(check, "INSERT INTO it_cdc_modes.t VALUES (3)");
    SourceOutput out;
    while (true) {
      auto polled = source.PollNext(out);
      REQUIRE_MESSAGE(polled.ok(), polled.status().ToString());
      if (polled->state == PollResult::State::kEndOfInput) break;
    }
    CHECK(ids(out) == std::vector<std::string>{"3"});
  }
}

TEST_CASE("misconfigured servers and users get errors naming the setting or grant to change") {
  MysqlConnection check;
  testing::ConnectOrFail(check);
  MysqlCdcSourceOptions options = StreamOptions("it_cdc_errors", MasterPosition(check));
  auto open_error = [&](MysqlCdcSourceOptions opts) {
    MysqlCdcSource source(std::move(opts));
    SourceOutput out;
    Status status = Drain(source, out);
    REQUIRE_FALSE(status.ok());
    return status.ToString();
  };
  SUBCASE("binlog_format") {
    testing::Exec(check, "SET GLOBAL binlog_format = 'STATEMENT'");
    std::string error = open_error(options);
    testing::Exec(check, "SET GLOBAL binlog_format = 'ROW'");
    CHECK(error.find("binlog_format is STATEMENT") != std::string::npos);
    CHECK(error.find("SET GLOBAL binlog_format = 'ROW'") != std::string::npos);
  }
  SUBCASE("binlog_row_image") {
    testing::Exec(check, "SET GLOBAL binlog_row_image = 'MINIMAL'");
    std::string error = open_error(options);
    testing::Exec(check, "SET GLOBAL binlog_row_image = 'FULL'");
    CHECK(error.find("binlog_row_image is MINIMAL") != std::string::npos);
  }
  SUBCASE("no server id, or the server's own") {
    MysqlCdcSourceOptions no_id = options;
    no_id.server_id = 0;
    CHECK(open_error(no_id).find("server id") != std::string::npos);
    MysqlCdcSourceOptions own = options;
    own.server_id =
        static_cast<uint32_t>(std::stoul(testing::QueryValue(check, "SELECT @@server_id")));
    CHECK(open_error(own).find("is the id of the source server") != std::string::npos);
  }
  SUBCASE("a purged or unknown start position") {
    MysqlCdcSourceOptions gone = options;
    gone.start_position = "mysql-bin.999998:4";
    std::string error = open_error(gone);
    CHECK(error.find("error 1236") != std::string::npos);
    CHECK(error.find("purged") != std::string::npos);
    CHECK(error.find("SHOW BINARY LOGS") != std::string::npos);
  }
  SUBCASE("missing replication grants") {
    testing::Exec(check, "DROP USER IF EXISTS 'cdc_noreplication'@'%'");
    testing::Exec(check, "CREATE USER 'cdc_noreplication'@'%' IDENTIFIED BY 'x'");
    testing::Exec(check, "GRANT SELECT ON *.* TO 'cdc_noreplication'@'%'");
    MysqlCdcSourceOptions weak = options;
    weak.connection.user = "cdc_noreplication";
    weak.connection.password = "x";
    std::string error = open_error(weak);
    CHECK(error.find("GRANT REPLICATION SLAVE") != std::string::npos);
  }
  SUBCASE("another replica takes the same server id") {
    MysqlCdcSourceOptions live = options;
    live.stop_at_end = false;
    MysqlCdcSource first(live);
    SourceOutput out;
    static Executor executor(1);
    static SystemClock clock(executor);
    REQUIRE(first.Open(SubtaskInfo{"mysql", 0, 1}, clock).ok());
    REQUIRE(first.PollNext(out).ok());  // connected and streaming
    MysqlCdcSource second(live);
    REQUIRE(second.Open(SubtaskInfo{"mysql", 0, 1}, clock).ok());
    REQUIRE(second.PollNext(out).ok());
    Result<PollResult> polled = PollResult::More();
    for (int i = 0; i < 50 && polled.ok(); ++i) polled = first.PollNext(out);
    REQUIRE_FALSE(polled.ok());
    CHECK(polled.status().ToString().find("another replica") != std::string::npos);
    CHECK(polled.status().ToString().find("server id 4242") != std::string::npos);
  }
}

}  // namespace cdc

namespace cdc {

TEST_CASE("the server's catalog and the DDL parser choose the same row key among unique keys") {
  MysqlConnection check;
  testing::ConnectOrFail(check);
  testing::Exec(check, "DROP DATABASE IF EXISTS it_cdc_keys");
  testing::Exec(check, "CREATE DATABASE it_cdc_keys");
  const std::string create =
      "CREATE TABLE it_cdc_keys.t (a INT NOT NULL, b INT NOT NULL, c INT, UNIQUE KEY zz (a), "
      "UNIQUE KEY nullable_first (c), UNIQUE KEY aa (b))";
  testing::Exec(check, create);
  auto filter = TableFilter::Make({"it_cdc_keys\\..*"}, {});
  REQUIRE(filter.ok());
  auto read = ReadTableSchemas(check, *filter);
  REQUIRE_MESSAGE(read.ok(), read.status().ToString());
  const TableSchema& server = *read->at(TableId{"it_cdc_keys", "t"});
  SchemaCatalog catalog;
  std::vector<TableId> named;
  auto parsed = ParseDdl(create, "");
  REQUIRE(parsed.ok());
  REQUIRE(catalog.Apply(*parsed, named).ok());
  const TableSchema& declared = *catalog.Find(TableId{"it_cdc_keys", "t"});
  // zz and aa tie on length; zz comes first in both (not alphabetically).
  CHECK(server.key().index_name == "zz");
  CHECK(declared.key().index_name == "zz");
}

}  // namespace cdc
