#include "operators/engine/stream_task.h"

#include <fmt/format.h>

namespace cdc {

StreamTask::StreamTask(SubtaskInfo info, size_t producers, size_t barrier_copies,
                       size_t channel_capacity, std::vector<std::unique_ptr<EdgeOutput>> edges,
                       std::unique_ptr<OperatorChain> chain, std::vector<SubtaskInfo> chain_infos,
                       JobContext& context)
    : info_(std::move(info)),
      gate_(producers),
      alignment_(barrier_copies),
      input_(channel_capacity),
      context_(context),
      edges_(std::move(edges)),
      chain_(std::move(chain)),
      chain_infos_(std::move(chain_infos)),
      task_(context.executor, [this] { return Step(); }) {
  input_.SetDataCallback([this] { task_.Wake(); });
}

StreamTask::StreamTask(SubtaskInfo info, size_t producers, size_t barrier_copies,
                       size_t channel_capacity, std::unique_ptr<TableBuffer> buffer,
                       Micros flush_interval, size_t sink_index, JobContext& context)
    : info_(std::move(info)),
      gate_(producers),
      alignment_(barrier_copies),
      input_(channel_capacity),
      context_(context),
      buffer_(std::move(buffer)),
      flush_interval_(flush_interval),
      sink_index_(sink_index),
      task_(context.executor, [this] { return Step(); }) {
  input_.SetDataCallback([this] { task_.Wake(); });
}

StreamTask::~StreamTask() { StopTimer(); }

Status StreamTask::Open() {
  if (chain_) return chain_->Open(chain_infos_);
  timer_ = context_.clock.Every(flush_interval_, [this] { buffer_->OnTick(); });
  return Status::Ok();
}

void StreamTask::StopTimer() { timer_.reset(); }

bool StreamTask::PushOutputs() {
  for (auto& edge : edges_) {
    if (!edge->TryPushAll([this] { task_.Wake(); })) return false;
  }
  return true;
}

Status StreamTask::ProcessRows(StreamBatch& batch) {
  if (chain_) {
    Output& input = chain_->input();
    if (!batch.rows.empty()) rows_since_flush_ = true;
    for (RowChange& change : batch.rows) CDC_RETURN_IF_ERROR(input.Emit(std::move(change)));
  } else {
    CDC_RETURN_IF_ERROR(buffer_->AppendAll(batch.rows, batch.row_bytes));
  }
  return Status::Ok();
}

void StreamTask::HandleControl(const ControlEvent& event) {
  if (event.kind == ControlKind::kFlush) {
    // Passed on once per rows processed since the last one, so copies from several producers
    // do not multiply downstream.
    if (chain_) {
      if (!rows_since_flush_) return;
      rows_since_flush_ = false;
      for (auto& edge : edges_) edge->AddControl(event);
      return;
    }
    buffer_->OnTick();
    return;
  }
  if (event.kind == ControlKind::kBarrier) {
    if (!gate_.OnBarrier(event.barrier.id)) return;
    if (chain_) {
      Status status = chain_->OnBarrier(event.barrier);
      if (!status.ok()) return context_.errors.Report(status);
      for (auto& edge : edges_) edge->AddControl(event);
      return;
    }
    uint64_t id = event.barrier.id;
    buffer_->FlushAll([this, id](Status status) {
      if (status.ok()) context_.checkpoints.Acknowledge(id, sink_index_);
    });
    return;
  }
  if (!gate_.OnEndOfInput()) return;
  ended_ = true;
  if (chain_) {
    Status status = chain_->Finish();
    if (!status.ok()) return context_.errors.Report(status);
    for (auto& edge : edges_) edge->AddControl(event);
    return;
  }
  buffer_->FlushAll([this](Status status) {
    if (status.ok()) context_.on_sink_finished();
  });
}

bool StreamTask::Step() {
  if (context_.errors.failed()) {
    StreamBatch dropped;
    while (input_.TryPop(dropped)) {
    }
    alignment_.Clear();
    return false;
  }
  if (!PushOutputs()) return false;  // parked until a downstream channel has room
  if (buffer_ && !buffer_->HasRoom([this] { task_.Wake(); })) return false;
  StreamBatch batch;
  std::optional<StreamBatch> aligned;  // a table barrier whose every copy is in
  Status status;
  if (alignment_.active()) {
    if (!alignment_.Next(batch, [this](StreamBatch& next) { return input_.TryPop(next); })) return false;
    status = alignment_.Split(batch, aligned);
  } else if (!input_.TryPop(batch)) {
    return false;
  }
  if (status.ok()) status = ProcessRows(batch);
  if (status.ok() && aligned) status = ProcessRows(*aligned);
  if (!status.ok()) {
    context_.errors.Report(status.WithContext(
        fmt::format("'{}' subtask {}", info_.name, info_.index)));
    return false;
  }
  if (batch.control) HandleControl(*batch.control);
  PushOutputs();  // what does not fit waits for the next step, before any new input
  return true;
}

}  // namespace cdc
