#include "operators/engine/job_execution.h"

#include <fmt/format.h>
#include <chrono>

#include "operators/key_router.h"

namespace cdc {
namespace {

int64_t WallClockMicros() {
  return std::chrono::duration_cast<Micros>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::unique_ptr<Clock> MaybeOwnClock(const JobOptions& options, Executor& executor) {
  if (options.clock != nullptr) return nullptr;
  return std::make_unique<SystemClock>(executor);
}

}  // namespace

JobExecution::JobExecution(const JobGraph& graph, const JobOptions& options)
    : graph_(graph),
      options_(options),
      executor_(options.threads == 0 ? DefaultThreadCount() : options.threads),
      own_clock_(MaybeOwnClock(options, executor_)),
      clock_(options.clock != nullptr ? *options.clock : *own_clock_) {
  size_t source_subtasks = 0;
  size_t sink_subtasks = 0;
  for (const VertexSpec& vertex : graph_.vertices) {
    if (vertex.kind == VertexKind::kSource) source_subtasks += vertex.parallelism;
    if (vertex.kind == VertexKind::kSink) sink_subtasks += vertex.parallelism;
  }
  coordinator_ = std::make_unique<CheckpointCoordinator>(
      source_subtasks, sink_subtasks,
      [this](const CompletedCheckpoint& checkpoint) { OnCheckpointComplete(checkpoint); });
  context_ = std::unique_ptr<JobContext>(
      new JobContext{executor_, clock_, errors_, *coordinator_, options_.batch_rows, {}, {}, {}});
  if (options_.final_checkpoint) {
    context_->on_source_ending = [this] { TriggerCheckpoint(); };
  }
  context_->on_sink_finished = [this] {
    std::lock_guard done_lock(done_mu_);
    ++sinks_finished_;
    done_cv_.notify_all();
  };
  errors_.SetStopCallback([this] { OnFirstError(); });
}

JobExecution::~JobExecution() {
  checkpoint_timer_.reset();
  for (auto& task : sink_tasks_) task->StopTimer();
  for (auto& source : sources_) source->Join();
  for (auto& task : sink_tasks_) task->WaitUntilQuiet();
  // No step runs or is queued now, and nothing is left that could wake a task: the members
  // are destroyed safely from here (see StreamTask), the tasks before the executor's threads.
  executor_.WaitIdle();
}

Status JobExecution::Build() {
  size_t sink_subtasks = 0;
  for (const VertexSpec& vertex : graph_.vertices) {
    if (vertex.kind == VertexKind::kSink) sink_subtasks += vertex.parallelism;
  }

  // Edges always run from an earlier vertex to a later one, so building back to front means
  // every channel exists before the edges that feed it.
  size_t vertex_count = graph_.vertices.size();
  std::vector<std::vector<StreamTask*>> tasks_of(vertex_count);  // each subtask's input
  std::vector<size_t> producers(vertex_count, 0);
  for (const EdgeSpec& edge : graph_.edges) {
    size_t from_parallelism = graph_.vertices[edge.from_vertex].parallelism;
    producers[edge.to_vertex] += edge.partitioning == Partitioning::kForward ? 1 : from_parallelism;
  }
  // How many copies of each table barrier a subtask receives: a redistributing edge sends a
  // barrier to every subtask it feeds, so after one, every subtask holds every barrier of the
  // stream, and a second redistributing edge delivers one copy from each of them. (Edges run
  // from earlier to later vertices, so one pass in order sees each vertex's input first.)
  std::vector<bool> holds_every_barrier(vertex_count, false);
  std::vector<size_t> barrier_copies(vertex_count, 1);
  for (const EdgeSpec& edge : graph_.edges) {
    bool redistributes = edge.partitioning != Partitioning::kForward;
    if (redistributes && holds_every_barrier[edge.from_vertex]) {
      barrier_copies[edge.to_vertex] = graph_.vertices[edge.from_vertex].parallelism;
    }
    holds_every_barrier[edge.to_vertex] = redistributes || holds_every_barrier[edge.from_vertex];
  }
  size_t sink_index = sink_subtasks;
  // Source subtasks are numbered front to back, vertex by vertex, for their checkpoint state.
  std::vector<size_t> first_source_index(vertex_count, 0);
  for (size_t v = 0, next = 0; v < vertex_count; ++v) {
    first_source_index[v] = next;
    if (graph_.vertices[v].kind == VertexKind::kSource) next += graph_.vertices[v].parallelism;
  }
  std::vector<std::unique_ptr<SourceTask>> sources_reversed;
  for (size_t v = vertex_count; v-- > 0;) {
    const VertexSpec& vertex = graph_.vertices[v];
    if (vertex.kind == VertexKind::kSink) {
      sink_index -= vertex.parallelism;
      auto barriers = std::make_shared<TableBarriers>(vertex.parallelism);
      table_barriers_.push_back(barriers);
      for (size_t i = 0; i < vertex.parallelism; ++i) {
        auto buffer = std::make_unique<TableBuffer>(vertex.flush_policy, *vertex.writers, i,
                                                    vertex.parallelism, executor_, errors_, &clock_,
                                                    barriers);
        auto task = std::make_unique<SinkTask>(
            SubtaskInfo{vertex.name, i, vertex.parallelism}, producers[v], barrier_copies[v],
            options_.channel_capacity, std::move(buffer), vertex.flush_policy.flush_interval,
            sink_index + i, *context_);
        tasks_of[v].push_back(task.get());
        sink_tasks_.push_back(std::move(task));
      }
      continue;
    }
    for (size_t i = 0; i < vertex.parallelism; ++i) {
      std::vector<std::unique_ptr<EdgeOutput>> edges;
      std::vector<std::vector<EdgeOutput*>> taps(vertex.chain.size() + 1);
      for (const EdgeSpec& edge : graph_.edges) {
        if (edge.from_vertex != v) continue;
        std::vector<Channel<StreamBatch>*> targets;
        if (edge.partitioning == Partitioning::kForward) {
          targets.push_back(&tasks_of[edge.to_vertex][i]->input());
        } else {
          for (StreamTask* target : tasks_of[edge.to_vertex]) targets.push_back(&target->input());
        }
        uint32_t producer_index =
            edge.partitioning == Partitioning::kForward ? 0 : static_cast<uint32_t>(i);
        edges.push_back(std::make_unique<EdgeOutput>(edge.partitioning, std::move(targets),
                                                     options_.batch_rows, producer_index));
        taps[edge.from_position].push_back(edges.back().get());
      }
      std::vector<std::unique_ptr<Operator>> operators;
      std::vector<SubtaskInfo> infos;
      for (const ChainedOperator& chained : vertex.chain) {
        SubtaskInfo info{chained.name, i, vertex.parallelism};
        operators.push_back(chained.factory(info));
        infos.push_back(std::move(info));
      }
      auto chain = std::make_unique<OperatorChain>(std::move(operators), std::move(taps));
      SubtaskInfo info{vertex.name, i, vertex.parallelism};
      if (vertex.kind == VertexKind::kSource) {
        std::unique_ptr<Source> source = vertex.source(info);
        if (source == nullptr) {
          return Status::InvalidArgument(
              fmt::format("the factory of source '{}' returned no source", vertex.name));
        }
        sources_reversed.push_back(std::make_unique<SourceTask>(
            info, first_source_index[v] + i, std::move(source), std::move(edges), std::move(chain),
            std::move(infos), *context_, trigger_mu_));
      } else {
        auto task = std::make_unique<OperatorTask>(info, producers[v], barrier_copies[v],
                                                   options_.channel_capacity, std::move(edges),
                                                   std::move(chain), std::move(infos), *context_);
        tasks_of[v].push_back(task.get());
        operator_tasks_.push_back(std::move(task));
      }
    }
  }
  for (auto it = sources_reversed.rbegin(); it != sources_reversed.rend(); ++it) {
    sources_.push_back(std::move(*it));
  }
  built_.store(true, std::memory_order_release);
  return Status::Ok();
}

Status JobExecution::Run() {
  Status built = Build();
  if (!built.ok()) return built;
  // Sinks first: their timers run before any operator opens (each kind in build order).
  Status opened = OpenAll(sink_tasks_);
  if (opened.ok()) opened = OpenAll(operator_tasks_);
  if (!opened.ok()) {
    errors_.Report(opened);
    Teardown();
    return errors_.status();
  }
  {
    std::lock_guard trigger_lock(trigger_mu_);
    running_ = true;
  }
  for (auto& source : sources_) source->Start();
  if (options_.checkpoint_interval.count() > 0) {
    checkpoint_timer_ = clock_.Every(options_.checkpoint_interval, [this] { TriggerCheckpoint(); });
  }
  {
    std::unique_lock done_lock(done_mu_);
    done_cv_.wait(done_lock,
                  [&] { return sinks_finished_ == sink_tasks_.size() || errors_.failed(); });
  }
  Teardown();
  return errors_.status();
}

void JobExecution::Teardown() {
  {
    std::lock_guard trigger_lock(trigger_mu_);
    running_ = false;
  }
  checkpoint_timer_.reset();
  for (auto& source : sources_) source->Join();
  for (auto& task : sink_tasks_) task->StopTimer();
  // After a failure parked tasks may still hold input: wake them so they drop it.
  ForEachStreamTask([](StreamTask& task) { task.Wake(); });
  // Flushes may complete on writers' own threads, which the pool does not see.
  for (auto& task : sink_tasks_) task->WaitUntilQuiet();
  executor_.WaitIdle();
}

void JobExecution::OnFirstError() {
  // Unblock source threads waiting on full channels and wake everything waiting on time.
  ForEachStreamTask([](StreamTask& task) { task.input().Close(); });
  // Wake every task so a parked one drops its input now rather than at teardown, and release
  // subtasks waiting at table barriers that the others will no longer reach.
  ForEachStreamTask([](StreamTask& task) { task.Wake(); });
  for (auto& barriers : table_barriers_) barriers->CancelAll(errors_.status());
  clock_.Interrupt();
  std::lock_guard done_lock(done_mu_);
  done_cv_.notify_all();
}

void JobExecution::Stop() {
  context_->stop_requested.store(true, std::memory_order_release);
  clock_.Interrupt();
}

bool JobExecution::TriggerCheckpoint() {
  std::lock_guard trigger_lock(trigger_mu_);
  if (!running_ || errors_.failed()) return false;
  for (auto& source : sources_) {
    if (!source->accepting_barriers()) return false;
  }
  CheckpointBarrier barrier = coordinator_->Trigger(WallClockMicros());
  for (auto& source : sources_) source->RequestBarrier(barrier);
  return true;
}

void JobExecution::OnCheckpointComplete(const CompletedCheckpoint& checkpoint) {
  checkpoints_completed_.fetch_add(1, std::memory_order_relaxed);
  for (auto& source : sources_) source->OnCheckpointComplete(checkpoint.id);
  if (options_.on_checkpoint) options_.on_checkpoint(checkpoint);
}

JobMetrics JobExecution::metrics() const {
  JobMetrics metrics;
  if (!built_.load(std::memory_order_acquire)) return metrics;
  for (const auto& source : sources_) metrics.rows_emitted += source->rows_emitted();
  for (const auto& sink : sink_tasks_) {
    TableBufferStats stats = sink->buffer().stats();
    metrics.rows_buffered += stats.rows_appended;
    metrics.rows_written += stats.rows_written;
    metrics.flushes += stats.flushes;
  }
  metrics.checkpoints = checkpoints_completed_.load(std::memory_order_relaxed);
  return metrics;
}

}  // namespace cdc
