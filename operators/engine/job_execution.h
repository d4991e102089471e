// JobExecution: one run of a JobGraph: the thread pool, the clock, the first error, the
// checkpoint coordinator and every subtask, from start-up to a clean stop.
//
// Thread-safety: Run() on one thread; Stop(), TriggerCheckpoint() and metrics() from any.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "operators/engine/job_context.h"
#include "operators/engine/operator_task.h"
#include "operators/engine/sink_task.h"
#include "operators/engine/source_task.h"
#include "operators/job.h"

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

  // Opens every task of `tasks` in order; the first error.
  template <typename Task>
  [[nodiscard]] static Status OpenAll(std::vector<std::unique_ptr<Task>>& tasks) {
    for (auto& task : tasks) CDC_RETURN_IF_ERROR(task->Open());
    return Status::Ok();
  }
  // Calls `visit` on every operator and sink task.
  template <typename Visit>
  void ForEachStreamTask(const Visit& visit) {
    for (auto& task : operator_tasks_) visit(*task);
    for (auto& task : sink_tasks_) visit(*task);
  }

  const JobGraph& graph_;
  const JobOptions& options_;
  Executor executor_;
  std::unique_ptr<Clock> own_clock_;
  Clock& clock_;
  FirstError errors_;
  std::unique_ptr<CheckpointCoordinator> coordinator_;
  std::unique_ptr<JobContext> context_;

  std::vector<std::unique_ptr<SourceTask>> sources_;
  // Destroyed after ~JobExecution has made the executor idle with nothing left to wake them
  // (see StreamTask's lifetime), and before executor_ joins its threads.
  std::vector<std::unique_ptr<OperatorTask>> operator_tasks_;
  std::vector<std::unique_ptr<SinkTask>> sink_tasks_;
  std::vector<std::shared_ptr<TableBarriers>> table_barriers_;  // one per sink vertex
  // sources_ and sink_tasks_ are complete: metrics() may read them
  std::atomic<bool> built_{false};

  std::mutex trigger_mu_;  // orders checkpoint triggers against sources finishing
  bool running_ = false;   // guarded by trigger_mu_

  std::mutex done_mu_;  // guards sinks_finished_, pairs with done_cv_
  std::condition_variable done_cv_;
  size_t sinks_finished_ = 0;

  std::unique_ptr<PeriodicTimer> checkpoint_timer_;
  std::atomic<uint64_t> checkpoints_completed_{0};
};

}  // namespace cdc
