// Benchmark: datagen -> key-by -> MySQL sink into the sandboxed MariaDB, against the plainest
// fast path in the same run: the same final rows written by hand-built multi-row
// INSERT ... ON DUPLICATE KEY UPDATE statements (1,000 rows each, autocommit) over the same
// number of connections, one thread each. Rows are sysbench-sized (c of 120 characters).
// Prints rows/s for both, the ratio and InnoDB row-lock waits. Run it through the sandbox:
//
//   test/bench/run-mysql-sink-bench.sh [changes=400000] [parallelism=2]
//
// BENCH_SINK_ONLY=1 skips the baseline (for profiling the sink alone).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <thread>

#include "connectors/datagen/datagen_source.h"
#include "connectors/mysql/client/sql_literal.h"
#include "connectors/mysql/sink/mysql_sink.h"
#include "connectors/mysql/sink/mysql_table_ddl.h"
#include "operators/job.h"
#include "runtime/executor.h"

namespace {

cdc::MysqlOptions Sandbox() {
  cdc::MysqlOptions options;
  const char* port = std::getenv("CDC_TEST_MYSQL_PORT");
  if (port == nullptr) {
    std::fprintf(stderr, "run through test/run-integration.sh: CDC_TEST_MYSQL_PORT is not set\n");
    std::exit(2);
  }
  options.port = static_cast<uint16_t>(std::atoi(port));
  options.user = "cdc";
  options.password = "cdc";
  return options;
}

cdc::DatagenOptions Workload(uint64_t changes, const std::string& database) {
  cdc::DatagenOptions datagen;
  datagen.database = database;
  datagen.tables = 4;
  datagen.key_space = changes * 4;  // mostly inserts of new rows: both paths move the same rows
  datagen.insert_weight = 100;
  datagen.update_weight = 0;
  datagen.delete_weight = 0;
  datagen.count = changes;
  datagen.c_length = 120;
  return datagen;
}

void Run(cdc::MysqlConnection& admin, const std::string& sql) {
  cdc::Status status = admin.Execute(sql);
  if (!status.ok()) {
    std::fprintf(stderr, "%s\n", status.ToString().c_str());
    std::exit(1);
  }
}

// InnoDB's row-lock waits so far: (waits, milliseconds waited).
std::pair<uint64_t, uint64_t> LockWaits(cdc::MysqlConnection& admin) {
  auto rows = admin.Query(
      "SHOW GLOBAL STATUS WHERE Variable_name IN "
      "('Innodb_row_lock_waits', 'Innodb_row_lock_time')");
  std::pair<uint64_t, uint64_t> waits{0, 0};
  if (!rows.ok()) return waits;
  for (const auto& row : *rows) {
    if (*row[0] == "Innodb_row_lock_waits") waits.first = std::stoull(*row[1]);
    if (*row[0] == "Innodb_row_lock_time") waits.second = std::stoull(*row[1]);
  }
  return waits;
}

uint64_t CountRows(cdc::MysqlConnection& admin, const std::string& database, size_t tables) {
  uint64_t total = 0;
  for (size_t t = 0; t < tables; ++t) {
    auto rows = admin.Query("SELECT COUNT(*) FROM `" + database + "`.t" + std::to_string(t));
    if (rows.ok()) total += std::stoull(*(*rows)[0][0]);
  }
  return total;
}

double SinkRun(uint64_t changes, size_t parallelism) {
  cdc::MysqlSinkOptions sink_options;
  sink_options.connection = Sandbox();
  sink_options.max_connections = parallelism;
  auto sink = std::make_shared<cdc::MysqlSink>(sink_options);
  cdc::JobOptions options;
  options.parallelism = parallelism;
  // Flushes block their pool thread on the server's round trips; twice as many threads as
  // connections let one flush build its statements while another waits on the server.
  options.threads = 2 * parallelism;
  cdc::Job job(options);
  cdc::FlushPolicy flush;
  flush.flush_rows = 1000;  // the baseline's statement size
  flush.capacity_rows = 4000;
  job.AddSource("datagen", cdc::DatagenSource::Factory(Workload(changes, "bench_sink")))
      .KeyBy()
      .SinkTo("mysql", sink, flush);
  auto start = std::chrono::steady_clock::now();
  cdc::Status status = job.Run();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!status.ok()) {
    std::fprintf(stderr, "sink run failed: %s\n", status.ToString().c_str());
    std::exit(1);
  }
  return seconds;
}

double BaselineRun(uint64_t changes, size_t parallelism) {
  // The final rows, made by the same generator.
  cdc::DatagenOptions workload = Workload(changes, "bench_plain");
  cdc::DatagenSource source(workload);
  cdc::Executor executor(1);
  cdc::SystemClock clock(executor);
  if (!source.Open(cdc::SubtaskInfo{"datagen", 0, 1}, clock).ok()) std::exit(1);
  // Final rows in the order their keys first appeared, as the source produced them (sorting
  // them by key would hand the baseline sequential B-tree inserts the stream does not have).
  struct Collect final : cdc::Output {
    std::map<std::pair<const cdc::TableSchema*, int64_t>, size_t> index;
    std::vector<std::pair<const cdc::TableSchema*, cdc::Row>> rows;
    cdc::Status Emit(cdc::RowChange&& change) override {
      auto [it, inserted] =
          index.try_emplace({change.table, change.after[0].int_value()}, rows.size());
      if (inserted) {
        rows.emplace_back(change.table, std::move(change.after));
      } else {
        rows[it->second].second = std::move(change.after);
      }
      return cdc::Status::Ok();
    }
  } collect;
  while (true) {
    auto polled = source.PollNext(collect);
    if (!polled.ok() || polled->state == cdc::PollResult::State::kEndOfInput) break;
  }
  cdc::MysqlConnection admin;
  if (!admin.Connect(Sandbox()).ok()) std::exit(1);
  Run(admin, cdc::CreateDatabaseSql("bench_plain"));
  for (size_t t = 0; t < workload.tables; ++t) {
    Run(admin, cdc::CreateTableSql(*source.table(t), source.table(t)->id(), {}));
  }
  // Each thread writes its share of 1,000-row chunks, building each statement as it goes.
  struct Chunk {
    const cdc::TableSchema* table;
    std::vector<const cdc::Row*> rows;
  };
  std::vector<std::vector<Chunk>> shares(parallelism);
  std::map<const cdc::TableSchema*, std::vector<const cdc::Row*>> by_table;
  for (const auto& [table, row] : collect.rows) by_table[table].push_back(&row);
  // Chunks interleave the tables as the change stream does (writing one table after another
  // would keep only one table's pages hot and flatter the baseline).
  std::vector<Chunk> chunks;
  for (size_t first = 0;; first += 1000) {
    bool any = false;
    for (const auto& [table, rows] : by_table) {
      if (first >= rows.size()) continue;
      any = true;
      auto begin = rows.begin() + static_cast<std::ptrdiff_t>(first);
      auto end = rows.begin() + static_cast<std::ptrdiff_t>(std::min(rows.size(), first + 1000));
      chunks.push_back(Chunk{table, {begin, end}});
    }
    if (!any) break;
  }
  for (size_t i = 0; i < chunks.size(); ++i)
    shares[i % parallelism].push_back(std::move(chunks[i]));
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (size_t i = 0; i < parallelism; ++i) {
    threads.emplace_back([&, i] {
      cdc::MysqlConnection connection;
      if (!connection.Connect(Sandbox()).ok()) std::exit(1);
      for (const Chunk& chunk : shares[i]) {
        std::string sql = "INSERT INTO `bench_plain`.`" + chunk.table->id().table +
                          "` (id, k, c, updated_at) VALUES ";
        for (size_t r = 0; r < chunk.rows.size(); ++r) {
          if (r > 0) sql += ", ";
          sql += '(';
          for (size_t c = 0; c < chunk.rows[r]->size(); ++c) {
            if (c > 0) sql += ", ";
            (void)cdc::AppendSqlLiteral((*chunk.rows[r])[c], sql);
          }
          sql += ')';
        }
        sql +=
            " ON DUPLICATE KEY UPDATE k = VALUES(k), c = VALUES(c), updated_at = "
            "VALUES(updated_at)";
        Run(connection, sql);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t changes = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 400000;
  size_t parallelism = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 2;
  cdc::MysqlConnection admin;
  cdc::Status connected = admin.Connect(Sandbox());
  if (!connected.ok()) {
    std::fprintf(stderr, "%s\n", connected.ToString().c_str());
    return 1;
  }
  Run(admin, "DROP DATABASE IF EXISTS bench_sink");
  Run(admin, "DROP DATABASE IF EXISTS bench_plain");
  std::printf(
      "mysql-sink-bench: %llu changes (sysbench-sized rows, 4 tables), parallelism %zu, "
      "server %s\n",
      static_cast<unsigned long long>(changes), parallelism, admin.server_version().c_str());
  bool sink_only = std::getenv("BENCH_SINK_ONLY") != nullptr;  // for profiling the sink alone
  auto waits_before = LockWaits(admin);
  double baseline_seconds = sink_only ? 1 : BaselineRun(changes, parallelism);
  auto waits_baseline = LockWaits(admin);
  uint64_t baseline_rows = CountRows(admin, "bench_plain", 4);
  // Free the baseline's pages so the sink starts from the same (empty) buffer pool.
  Run(admin, "DROP DATABASE IF EXISTS bench_plain");
  double sink_seconds = SinkRun(changes, parallelism);
  uint64_t sink_rows = CountRows(admin, "bench_sink", 4);
  auto waits_sink = LockWaits(admin);
  std::printf("row lock waits: baseline %llu (%llu ms), sink %llu (%llu ms)\n",
              static_cast<unsigned long long>(waits_baseline.first - waits_before.first),
              static_cast<unsigned long long>(waits_baseline.second - waits_before.second),
              static_cast<unsigned long long>(waits_sink.first - waits_baseline.first),
              static_cast<unsigned long long>(waits_sink.second - waits_baseline.second));
  double baseline_rate = static_cast<double>(baseline_rows) / baseline_seconds;
  double sink_rate = static_cast<double>(sink_rows) / sink_seconds;
  std::printf("baseline (plain multi-row upserts): %llu rows in %.2f s = %.0f rows/s\n",
              static_cast<unsigned long long>(baseline_rows), baseline_seconds, baseline_rate);
  std::printf(
      "sink (datagen -> key-by -> mysql):  %llu rows in %.2f s = %.0f rows/s (%llu changes/s)\n",
      static_cast<unsigned long long>(sink_rows), sink_seconds, sink_rate,
      static_cast<unsigned long long>(static_cast<double>(changes) / sink_seconds));
  std::printf("ratio sink / baseline: %.2f\n", sink_rate / baseline_rate);
  return sink_rows == baseline_rows ? 0 : 1;
}
