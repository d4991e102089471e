// A running MySQL-to-MySQL job for the integration tests: the MySQL CDC source on one database
// of the sandboxed MariaDB (snapshot, then the binlog), optionally a transform, keyed over two
// sink subtasks into a copy database on the same server. Also the polling wait the tests use
// while it catches up.
#pragma once

#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "connectors/mysql/sink/mysql_sink.h"
#include "connectors/mysql/source/mysql_cdc_source.h"
#include "operators/job.h"
#include "operators/table_transform.h"
#include "test/integration/mysql_test_env.h"

namespace cdc::testing {

// Waits up to 30 s for `condition`.
inline bool Eventually(const std::function<bool()>& condition) {
  for (int attempt = 0; attempt < 300; ++attempt) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return condition();
}

struct LiveJobOptions {
  std::string database{};  // captured: every table of it
  std::string copy{};      // the sink's target database (and pipeline name)
  uint32_t server_id = 0;
  SchemaChangeBehavior behavior = SchemaChangeBehavior::kEvolve;
  bool logical_deletes = false;
  std::vector<TransformRule> transforms{};
  size_t snapshot_chunk_rows = 0;  // 0: the source's default
};

// A running job; Stop() ends it and returns what Run() returned.
struct LiveJob {
  std::unique_ptr<Job> job;
  std::future<Status> run;

  explicit LiveJob(const LiveJobOptions& options) {
    MysqlCdcSourceOptions source;
    source.connection = SandboxOptions();
    source.server_id = options.server_id;
    source.startup = StartupMode::kInitial;
    source.include_tables = {options.database + "\\..*"};
    source.heartbeat_ms = 100;
    if (options.snapshot_chunk_rows != 0) source.snapshot.chunk_rows = options.snapshot_chunk_rows;
    MysqlSinkOptions sink;
    sink.connection = SandboxOptions();
    sink.target_database = options.copy;
    sink.schema_change = options.behavior;
    sink.pipeline_name = options.copy;
    sink.logical_delete.enabled = options.logical_deletes;
    JobOptions job_options;
    job_options.parallelism = 2;
    job = std::make_unique<Job>(job_options);
    FlushPolicy flush;
    flush.flush_interval = Micros(50'000);
    DataStream stream = job->AddSource("mysql", MysqlCdcSource::Factory(source));
    if (!options.transforms.empty()) {
      auto transformer = TableTransformer::Make(options.transforms);
      REQUIRE_MESSAGE(transformer.ok(), transformer.status().ToString());
      stream = stream.Process(
          "transform",
          TransformOperator::Factory(std::make_shared<const TableTransformer>(*transformer)));
    }
    stream.KeyBy().SinkTo("copy", std::make_shared<MysqlSink>(sink), flush);
    run = std::async(std::launch::async, [this] { return job->Run(); });
  }

  LiveJob(const std::string& database, const std::string& copy, uint32_t server_id,
          SchemaChangeBehavior behavior)
      : LiveJob(LiveJobOptions{database, copy, server_id, behavior, false, {}, 0}) {}

  // A test that fails before Stop() still ends the job (the future would wait for it forever).
  ~LiveJob() {
    if (run.valid()) (void)Stop();
  }

  Status Stop() {
    job->Stop();
    return run.get();
  }
};

}  // namespace cdc::testing
