// JobExecution: one run of a JobGraph: the thread pool, the clock, the first error, the
// checkpoint coordinator and every subtask, from start-up to a clean stop.
//
// Thread-safety: Run() on one thread; Stop(), TriggerCheckpoint() and metrics() from any.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "operators/job.h"
#include "operators/engine/job_context.h"
#include "operators/engine/source_task.h"
#include "operators/engine/stream_task.h"

namespace cdc {

class JobExecution {
 public:
  JobExecution(const JobGraph& graph, const JobOptions& options);
  ~JobExecution();

  // Builds the subtasks, runs them until done or the first error, and stops cleanly.
  Status Run();
  void Stop();
  bool TriggerCheckpoint();
  JobMetrics metrics() const;

 private:
  Status Build();
  void OnFirstError();
  void OnCheckpointComplete(const CompletedCheckpoint& checkpoint);
  void Teardown();

  const JobGraph& graph_;
  const JobOptions& options_;
  Executor executor_;
  std::unique_ptr<Clock> own_clock_;
  Clock& clock_;
  FirstError errors_;
  std::unique_ptr<CheckpointCoordinator> coordinator_;
  std::unique_ptr<JobContext> context_;

  std::vector<std::unique_ptr<SourceTask>> sources_;
  std::vector<std::unique_ptr<StreamTask>> stream_tasks_;
  std::vector<StreamTask*> sinks_;
  std::vector<std::shared_ptr<TableBarriers>> table_barriers_;  // one per sink vertex
  std::atomic<bool> built_{false};  // sources_ and sinks_ are complete: metrics() may read them

  std::mutex trigger_mu_;  // orders checkpoint triggers against sources finishing
  bool running_ = false;   // guarded by trigger_mu_

  std::mutex done_mu_;  // guards sinks_finished_, pairs with done_cv_
  std::condition_variable done_cv_;
  size_t sinks_finished_ = 0;

  std::unique_ptr<PeriodicTimer> checkpoint_timer_;
  std::atomic<uint64_t> checkpoints_completed_{0};
};

}  // namespace cdc
