// PipelineRunner: turns a validated PipelineConfig into a running job and keeps it recoverable.
//
//   source -> [transform] -> [route] -> key-by -> sink subtasks
//
// With a state directory, every completed checkpoint (the source position after everything
// before it was written to the sink) is saved there atomically, and Run() first restores the
// source from the newest one, so a job killed at any moment resumes without losing a change;
// the sink's idempotent upserts absorb the replay. When the source ends (--until-caught-up) or
// RequestStop() stops the job, a final checkpoint records exactly where the source stopped.
//
// Thread-safety: Run() on one thread; RequestStop() and progress() from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "connectors/kafka/kafka_sink.h"
#include "connectors/mysql/sink/mysql_sink.h"
#include "connectors/pipeline/pipeline_config.h"
#include "operators/job.h"
#include "runtime/checkpoint_store.h"

namespace cdc {

struct PipelineProgress {
  uint64_t rows_read = 0;             // changes the source emitted
  uint64_t rows_written = 0;          // changes the sink confirmed
  int64_t source_commit_time_us = 0;  // newest source commit time read; 0 before the first
  // Newest source commit time applied on the target (MySQL sink); 0 when unknown.
  int64_t applied_commit_time_us = 0;
  uint64_t last_checkpoint = 0;  // id of the newest saved checkpoint; 0 when none
  int64_t last_checkpoint_time_us = 0;
  std::string last_checkpoint_position;  // the source's position in it, for display
  uint64_t restored_from = 0;            // the checkpoint this run resumed from; 0: a fresh start
};

class PipelineRunner {
 public:
  explicit PipelineRunner(PipelineConfig config);
  ~PipelineRunner();

  // Builds and runs the job until the source ends, RequestStop() completes, or the first
  // error, which it returns (a bad state directory or damaged checkpoint, an unreachable
  // target, a failure while running).
  Status Run();

  // Stops the job: it writes out everything it read, takes a final checkpoint of where the
  // source stopped, and Run() returns. Safe to call before Run() (the job then stops at once)
  // and more than once.
  void RequestStop();

  PipelineProgress progress() const;

  // True once the job itself runs: errors before that (state directory, checkpoint, source
  // and target checks) mean the pipeline could not start.
  bool started() const { return started_; }

 private:
  Status Restore();
  std::string DisplayPosition(const std::string& source_state) const;
  void OnCheckpoint(const CompletedCheckpoint& checkpoint);

  PipelineConfig config_;
  std::optional<CheckpointStore> store_;
  uint64_t restored_id_ = 0;  // the checkpoint this run resumed from (set before the job runs)
  std::unique_ptr<Job> job_;
  std::atomic<int64_t> source_commit_time_us_{0};
  std::atomic<bool> stop_requested_{false};
  std::atomic<bool> started_{false};

  mutable std::mutex mu_;                  // guards the fields below and job_'s creation
  std::shared_ptr<MysqlSink> mysql_sink_;  // for the applied commit time; null for other sinks
  std::shared_ptr<KafkaSink> kafka_sink_;  // the same, for a Kafka sink
  PipelineProgress progress_;
  Status save_error_;
};

}  // namespace cdc
