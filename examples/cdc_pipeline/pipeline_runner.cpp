#include "examples/cdc_pipeline/pipeline_runner.h"

#include <fmt/format.h>

#include <chrono>
#include <iostream>

#include "connectors/blackhole/blackhole_sink.h"
#include "connectors/datagen/datagen_source.h"
#include "connectors/kafka/kafka_sink.h"
#include "connectors/kafka/protocol_encoder.h"
#include "connectors/mysql/sink/mysql_sink.h"
#include "connectors/mysql/source/mysql_cdc_source.h"
#include "connectors/mysql/source/mysql_source_state.h"
#include "connectors/print/print_sink.h"
#include "operators/table_route.h"
#include "operators/table_transform.h"

namespace cdc {
namespace {

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

PipelineRunner::PipelineRunner(PipelineConfig config) : config_(std::move(config)) {}

std::string PipelineRunner::DisplayPosition(const std::string& state) const {
  return config_.source.type == SourceType::kMysql ? MysqlSourceState::Describe(state) : state;
}

PipelineRunner::~PipelineRunner() = default;

Status PipelineRunner::Restore() {
  if (config_.pipeline.state_dir.empty()) return Status::Ok();
  auto store = CheckpointStore::Open(config_.pipeline.state_dir);
  if (!store.ok()) return store.status();
  store_ = std::move(store).value();
  auto latest = store_->LoadLatest();
  if (!latest.ok()) return latest.status();
  if (!latest->has_value()) return Status::Ok();
  const CompletedCheckpoint& checkpoint = **latest;
  if (checkpoint.source_states.size() != 1) {
    return Status::InvalidArgument(
        "checkpoint " + std::to_string(checkpoint.id) + " in " + store_->directory() + " holds " +
        std::to_string(checkpoint.source_states.size()) +
        " source states, but this pipeline has one source; point pipeline.state.dir at this "
        "pipeline's own directory");
  }
  if (config_.source.type == SourceType::kMysql) {
    Status readable = MysqlSourceState::Parse(checkpoint.source_states[0]).status();
    if (!readable.ok()) {
      return Status::InvalidArgument(fmt::format(
          "{} holds a MySQL source state that cannot be used: {}; the file was damaged after "
          "it was written: restore it from a backup, or move it out of the directory to "
          "resume from the checkpoint before it",
          store_->PathOf(checkpoint.id), readable.message()));
    }
    config_.source.mysql.resume_state = checkpoint.source_states[0];
  }
  config_.sink.mysql.resuming = true;  // changes after the checkpoint are replayed
  std::cerr << "cdc-pipeline: resuming from checkpoint " << checkpoint.id << " in "
            << store_->directory() << " at " << DisplayPosition(checkpoint.source_states[0])
            << "\n";
  restored_id_ = checkpoint.id;
  std::lock_guard lock(mu_);
  progress_.restored_from = checkpoint.id;
  progress_.last_checkpoint = checkpoint.id;
  progress_.last_checkpoint_position = DisplayPosition(checkpoint.source_states[0]);
  return Status::Ok();
}

void PipelineRunner::OnCheckpoint(const CompletedCheckpoint& checkpoint) {
  // The job numbers its checkpoints from 1; continuing after the restored one keeps the
  // newest file the newest state across runs.
  CompletedCheckpoint numbered = checkpoint;
  numbered.id += restored_id_;
  numbered.attachments["pipeline"] = config_.pipeline.job.name;
  Status saved = store_ ? store_->Save(numbered) : Status::Ok();
  std::lock_guard lock(mu_);
  if (!saved.ok()) {
    // Running on without checkpoints would replay ever more after a restart, and say nothing
    // until the end: the first failure stops the job, which writes out what it read.
    if (save_error_.ok()) {
      save_error_ = saved.WithContext(fmt::format(
          "saving checkpoint {} (the job stopped; fix the state directory and restart: it "
          "resumes from the last checkpoint saved)",
          numbered.id));
      if (job_ != nullptr) job_->Stop();
    }
  } else {
    progress_.last_checkpoint = numbered.id;
    progress_.last_checkpoint_time_us = NowMicros();
    if (!checkpoint.source_states.empty()) {
      progress_.last_checkpoint_position = DisplayPosition(checkpoint.source_states[0]);
    }
  }
}

Status PipelineRunner::Run() {
  CDC_RETURN_IF_ERROR(Restore());

  std::shared_ptr<TableWriterFactory> sink;
  bool route_by_table = false;  // the sink orders by table, not by row key
  switch (config_.sink.type) {
    case SinkType::kMysql: {
      auto mysql = std::make_shared<MysqlSink>(config_.sink.mysql);
      CDC_RETURN_IF_ERROR(mysql->Check());
      sink = mysql;
      std::lock_guard lock(mu_);
      mysql_sink_ = mysql;
      break;
    }
    case SinkType::kKafka: {
      auto encoder = MakeProtocolEncoder(config_.sink.kafka);
      if (!encoder.ok()) return encoder.status();
      auto kafka = std::make_shared<KafkaSink>(config_.sink.kafka, std::move(encoder).value(),
                                               "cdc-" + config_.pipeline.job.name);
      CDC_RETURN_IF_ERROR(kafka->Check(config_.pipeline.job.parallelism));
      route_by_table = kafka->NeedsTableRouting();
      sink = kafka;
      std::lock_guard lock(mu_);
      kafka_sink_ = kafka;
      break;
    }
    case SinkType::kPrint: sink = std::make_shared<PrintSink>(std::cout); break;
    case SinkType::kBlackhole: sink = std::make_shared<BlackholeSink>(); break;
  }
  if (config_.source.type == SourceType::kMysql) {
    // A server that cannot be a source is a start failure, as an unreachable target is.
    Status usable = MysqlCdcSource(config_.source.mysql).Check();
    if (!usable.ok()) return usable.WithContext("mysql source");
  }
  SourceFactory source = config_.source.type == SourceType::kMysql
                             ? MysqlCdcSource::Factory(config_.source.mysql)
                             : DatagenSource::Factory(config_.source.datagen);
  auto router = TableRouter::Make(config_.routes);
  if (!router.ok()) return router.status();
  auto shared_router = std::make_shared<const TableRouter>(std::move(router).value());
  auto transformer = TableTransformer::Make(config_.transforms);
  if (!transformer.ok()) return transformer.status();
  auto shared_transformer =
      std::make_shared<const TableTransformer>(std::move(transformer).value());

  JobOptions options = config_.pipeline.job;
  options.on_checkpoint = [this](const CompletedCheckpoint& checkpoint) {
    OnCheckpoint(checkpoint);
  };
  options.final_checkpoint = true;  // at the source's end and on RequestStop()
  {
    std::lock_guard lock(mu_);
    job_ = std::make_unique<Job>(options);
    if (stop_requested_) job_->Stop();
  }
  DataStream stream = job_->AddSource("source", source).Map("progress", [this](RowChange& change) {
    int64_t seen = source_commit_time_us_.load(std::memory_order_relaxed);
    if (change.commit_time_us > seen) {
      source_commit_time_us_.store(change.commit_time_us, std::memory_order_relaxed);
    }
    return Status::Ok();
  });
  // Transform first: its rules name source tables, as Flink CDC's do.
  if (!shared_transformer->empty()) {
    stream = stream.Process("transform", TransformOperator::Factory(shared_transformer));
  }
  if (!shared_router->empty())
    stream = stream.Process("route", RouteOperator::Factory(shared_router));
  (route_by_table ? stream.KeyByTable() : stream.KeyBy())
      .SinkTo("sink", sink, config_.pipeline.flush);

  started_ = true;
  Status status = job_->Run();
  std::lock_guard lock(mu_);
  if (status.ok() && !save_error_.ok()) return save_error_;
  return status;
}

void PipelineRunner::RequestStop() {
  stop_requested_ = true;
  std::lock_guard lock(mu_);
  if (job_ != nullptr) job_->Stop();  // the job's final checkpoint saves where it stopped
}

PipelineProgress PipelineRunner::progress() const {
  std::lock_guard lock(mu_);
  PipelineProgress progress = progress_;
  if (job_ != nullptr) {
    JobMetrics metrics = job_->metrics();
    progress.rows_read = metrics.rows_emitted;
    progress.rows_written = metrics.rows_written;
  }
  progress.source_commit_time_us = source_commit_time_us_.load(std::memory_order_relaxed);
  if (mysql_sink_ != nullptr)
    progress.applied_commit_time_us = mysql_sink_->stats().applied_commit_time_us;
  if (kafka_sink_ != nullptr)
    progress.applied_commit_time_us = kafka_sink_->stats().applied_commit_time_us;
  return progress;
}

}  // namespace cdc
