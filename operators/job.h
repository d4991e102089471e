// Job and DataStream: the fluent API for wiring and running a job in a few lines.
//
//   cdc::JobOptions options;
//   options.parallelism = 2;
//   cdc::Job job(options);
//   job.AddSource("datagen", MakeDatagen(options))
//       .Filter("no-deletes", [](const cdc::RowChange& c) { return c.kind !=
//       cdc::ChangeKind::kDelete; }) .KeyBy() .SinkTo("print",
//       std::make_shared<cdc::PrintSink>(std::cout), cdc::FlushPolicy{});
//   cdc::Status status = job.Run();
//
// Operators on a stream are chained into the same subtask while the partitioning stays
// forward; KeyBy(), Broadcast() and Rebalance() make the next step a new set of parallel
// subtasks fed through bounded channels. Using a stream twice fans it out: each consumer gets
// every change.
//
// Thread-safety: build the job on one thread; Stop() and TriggerCheckpoint() may be called
// from any thread while Run() runs.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "operators/filter_operator.h"
#include "operators/job_graph.h"
#include "operators/map_operator.h"
#include "runtime/checkpoint_coordinator.h"
#include "runtime/clock.h"

namespace cdc {

class Job;
class JobExecution;

struct JobOptions {
  std::string name = "job";
  size_t parallelism = 1;         // default parallelism of operators and sinks after a KeyBy
  size_t threads = 0;             // thread-pool size; 0: one per core
  size_t batch_rows = 512;        // rows per batch between subtasks
  size_t channel_capacity = 8;    // batches a subtask's input channel holds
  Micros checkpoint_interval{0};  // 0: checkpoints only by TriggerCheckpoint()
  // Take a last checkpoint when the sources end or Stop() is called, holding each source's
  // final position, so a restart resumes exactly where this run stopped (Flink's final
  // checkpoint). Only when every source is still running at that moment: with several
  // sources, the first to end takes it only if none ended before.
  bool final_checkpoint = false;
  Clock* clock = nullptr;  // time source and timers; null: the system clock
  std::function<void(const CompletedCheckpoint&)> on_checkpoint;  // a checkpoint completed
};

struct JobMetrics {
  uint64_t rows_emitted = 0;   // by all source subtasks (row changes; barriers not counted)
  uint64_t rows_buffered = 0;  // appended to sink buffers
  uint64_t rows_written = 0;   // confirmed by table writers
  uint64_t flushes = 0;
  uint64_t checkpoints = 0;  // completed
};

class DataStream {
 public:
  // A chained operator built per subtask by `factory`.
  DataStream Process(std::string name, OperatorFactory factory);
  DataStream Map(std::string name, MapFunction fn);
  DataStream Filter(std::string name, FilterPredicate keep);

  // Routes by table and row key (primary key, else the shortest NOT NULL unique key; keyless
  // tables to subtask 0). A key-changing update becomes delete-old plus insert-new first.
  DataStream KeyBy();
  // Routes by table alone: one subtask receives all of a table's changes, in source order (for
  // sinks whose order is per table, such as a message queue partitioned by table). Key-changing
  // updates are split as by KeyBy().
  DataStream KeyByTable();
  // Every change to every subtask of the next step.
  DataStream Broadcast();
  // Round-robin over the next step's subtasks (stateless work only: no per-key order).
  DataStream Rebalance();

  // Writes the stream through per-table buffers into `writers`' table writers, with
  // `parallelism` subtasks (0: the job's parallelism; a forward stream keeps its own).
  void SinkTo(std::string name, std::shared_ptr<TableWriterFactory> writers,
              FlushPolicy policy = {}, size_t parallelism = 0);

 private:
  friend class Job;
  DataStream(Job* job, size_t vertex, size_t position, Partitioning next)
      : job_(job), vertex_(vertex), position_(position), next_(next) {}

  DataStream With(Partitioning next) const { return DataStream(job_, vertex_, position_, next); }

  Job* job_;
  size_t vertex_;
  size_t position_;    // number of the vertex's chained operators this stream has passed
  Partitioning next_;  // partitioning of the edge to the next step
};

class Job {
 public:
  explicit Job(JobOptions options = {});
  ~Job();

  // A source with `parallelism` subtasks, each built by `factory`.
  DataStream AddSource(std::string name, SourceFactory factory, size_t parallelism = 1);

  // Runs the job until every source has ended and every sink has written everything (OK), or
  // Stop() was called and everything in flight drained (OK), or the first error (returned,
  // after the job stopped cleanly). Call once.
  Status Run();

  // Asks the sources to stop; what was read is still written before Run() returns.
  void Stop();

  // Starts a checkpoint now. False when the job is not running or a source has finished.
  bool TriggerCheckpoint();

  JobMetrics metrics() const;
  const JobGraph& graph() const { return graph_; }

 private:
  friend class DataStream;

  JobOptions options_;
  JobGraph graph_;
  mutable std::mutex mu_;  // guards execution_, stop_before_run_, final_metrics_
  JobExecution* execution_ = nullptr;
  bool stop_before_run_ = false;
  JobMetrics final_metrics_;
};

}  // namespace cdc
