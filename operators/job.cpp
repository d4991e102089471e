#include "operators/job.h"

#include <fmt/format.h>

#include "operators/engine/job_execution.h"
#include "operators/key_split_operator.h"

namespace cdc {

DataStream DataStream::Process(std::string name, OperatorFactory factory) {
  JobGraph& graph = job_->graph_;
  VertexSpec& vertex = graph.vertices[vertex_];
  bool tapped = false;
  for (const EdgeSpec& edge : graph.edges) {
    tapped |= edge.from_vertex == vertex_ && edge.from_position == position_;
  }
  // Chain onto the same subtask when nothing else consumes this point of the stream.
  if (next_ == Partitioning::kForward && vertex.kind != VertexKind::kSink &&
      position_ == vertex.chain.size() && !tapped) {
    vertex.chain.push_back(ChainedOperator{std::move(name), std::move(factory)});
    return DataStream(job_, vertex_, position_ + 1, Partitioning::kForward);
  }
  VertexSpec next;
  next.kind = VertexKind::kOperator;
  next.name = name;
  next.parallelism =
      next_ == Partitioning::kForward ? vertex.parallelism : job_->options_.parallelism;
  next.chain.push_back(ChainedOperator{std::move(name), std::move(factory)});
  graph.vertices.push_back(std::move(next));
  size_t id = graph.vertices.size() - 1;
  graph.edges.push_back(EdgeSpec{vertex_, position_, id, next_});
  return DataStream(job_, id, 1, Partitioning::kForward);
}

DataStream DataStream::Map(std::string name, MapFunction fn) {
  return Process(std::move(name), [fn = std::move(fn)](const SubtaskInfo&) {
    return std::make_unique<MapOperator>(fn);
  });
}

DataStream DataStream::Filter(std::string name, FilterPredicate keep) {
  return Process(std::move(name), [keep = std::move(keep)](const SubtaskInfo&) {
    return std::make_unique<FilterOperator>(keep);
  });
}

DataStream DataStream::KeyBy() {
  return Process("key-by", [](const SubtaskInfo&) { return std::make_unique<KeySplitOperator>(); })
      .With(Partitioning::kHash);
}

DataStream DataStream::KeyByTable() {
  return Process("key-by-table",
                 [](const SubtaskInfo&) { return std::make_unique<KeySplitOperator>(); })
      .With(Partitioning::kTableHash);
}

DataStream DataStream::Broadcast() {
  return With(Partitioning::kBroadcast);
}

DataStream DataStream::Rebalance() {
  return With(Partitioning::kRebalance);
}

void DataStream::SinkTo(std::string name, std::shared_ptr<TableWriterFactory> writers,
                        FlushPolicy policy, size_t parallelism) {
  JobGraph& graph = job_->graph_;
  VertexSpec sink;
  sink.kind = VertexKind::kSink;
  sink.name = std::move(name);
  if (parallelism != 0) {
    sink.parallelism = parallelism;
  } else if (next_ == Partitioning::kForward) {
    sink.parallelism = graph.vertices[vertex_].parallelism;
  } else {
    sink.parallelism = job_->options_.parallelism;
  }
  sink.writers = std::move(writers);
  sink.flush_policy = policy;
  graph.vertices.push_back(std::move(sink));
  graph.edges.push_back(EdgeSpec{vertex_, position_, graph.vertices.size() - 1, next_});
}

Status JobGraph::Validate() const {
  bool has_source = false;
  bool has_sink = false;
  for (size_t v = 0; v < vertices.size(); ++v) {
    const VertexSpec& vertex = vertices[v];
    if (vertex.parallelism == 0) {
      return Status::InvalidArgument(
          fmt::format("'{}' has parallelism 0: use at least 1", vertex.name));
    }
    has_source |= vertex.kind == VertexKind::kSource;
    has_sink |= vertex.kind == VertexKind::kSink;
    if (vertex.kind == VertexKind::kSource && !vertex.source) {
      return Status::InvalidArgument(fmt::format("source '{}' has no factory", vertex.name));
    }
    if (vertex.kind == VertexKind::kSink) {
      if (!vertex.writers) {
        return Status::InvalidArgument(
            fmt::format("sink '{}' has no table writer factory", vertex.name));
      }
      CDC_RETURN_IF_ERROR(
          vertex.flush_policy.Validate().WithContext(fmt::format("sink '{}'", vertex.name)));
      continue;
    }
    bool feeds_something = false;
    for (const EdgeSpec& edge : edges) feeds_something |= edge.from_vertex == v;
    if (!feeds_something) {
      return Status::InvalidArgument(
          fmt::format("the stream from '{}' leads nowhere: end it with SinkTo(...)", vertex.name));
    }
  }
  if (!has_source) return Status::InvalidArgument("the job has no source: call AddSource(...)");
  if (!has_sink)
    return Status::InvalidArgument("the job has no sink: end a stream with SinkTo(...)");
  for (const EdgeSpec& edge : edges) {
    const VertexSpec& from = vertices[edge.from_vertex];
    const VertexSpec& to = vertices[edge.to_vertex];
    if (edge.partitioning == Partitioning::kForward && from.parallelism != to.parallelism) {
      return Status::InvalidArgument(fmt::format(
          "'{}' (parallelism {}) feeds '{}' (parallelism {}) forward: a forward edge needs equal "
          "parallelism; insert KeyBy() or Rebalance() between them",
          from.name, from.parallelism, to.name, to.parallelism));
    }
  }
  return Status::Ok();
}

Job::Job(JobOptions options) : options_(std::move(options)) {}

Job::~Job() = default;

DataStream Job::AddSource(std::string name, SourceFactory factory, size_t parallelism) {
  VertexSpec source;
  source.kind = VertexKind::kSource;
  source.name = std::move(name);
  source.parallelism = parallelism;
  source.source = std::move(factory);
  graph_.vertices.push_back(std::move(source));
  return DataStream(this, graph_.vertices.size() - 1, 0, Partitioning::kForward);
}

Status Job::Run() {
  CDC_RETURN_IF_ERROR(graph_.Validate().WithContext(fmt::format("job '{}'", options_.name)));
  if (options_.batch_rows == 0 || options_.channel_capacity == 0) {
    return Status::InvalidArgument(
        fmt::format("job '{}': batch_rows and channel_capacity must be at least 1", options_.name));
  }
  auto execution = std::make_unique<JobExecution>(graph_, options_);
  {
    std::lock_guard lock(mu_);
    execution_ = execution.get();
    if (stop_before_run_) execution->Stop();
  }
  Status status = execution->Run();
  {
    std::lock_guard lock(mu_);
    final_metrics_ = execution->metrics();
    execution_ = nullptr;
  }
  return status;
}

void Job::Stop() {
  std::lock_guard lock(mu_);
  if (execution_ != nullptr) {
    execution_->Stop();
  } else {
    stop_before_run_ = true;
  }
}

bool Job::TriggerCheckpoint() {
  std::lock_guard lock(mu_);
  return execution_ != nullptr && execution_->TriggerCheckpoint();
}

JobMetrics Job::metrics() const {
  std::lock_guard lock(mu_);
  return execution_ != nullptr ? execution_->metrics() : final_metrics_;
}

}  // namespace cdc
