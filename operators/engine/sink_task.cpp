#include "operators/engine/sink_task.h"

namespace cdc {

SinkTask::SinkTask(SubtaskInfo info, size_t producers, size_t barrier_copies,
                   size_t channel_capacity, std::unique_ptr<TableBuffer> buffer,
                   Micros flush_interval, size_t sink_index, JobContext& context)
    : StreamTask(std::move(info), producers, barrier_copies, channel_capacity, context),
      buffer_(std::move(buffer)),
      flush_interval_(flush_interval),
      sink_index_(sink_index) {}

SinkTask::~SinkTask() {
  StopTimer();
}

Status SinkTask::Open() {
  timer_ = context().clock.Every(flush_interval_, [this] { buffer_->FlushHeld(); });
  return Status::Ok();
}

bool SinkTask::ReadyForInput() {
  return buffer_->HasRoom([this] { Wake(); });
}

Status SinkTask::ProcessRows(StreamBatch& batch) {
  return buffer_->AppendAll(batch.rows, batch.row_bytes);
}

void SinkTask::OnCaughtUp(const ControlEvent&) {
  buffer_->FlushHeld();
}

void SinkTask::OnBarrier(const ControlEvent& event) {
  uint64_t id = event.barrier.id;
  buffer_->FlushAll([this, id](const Status& status) {
    if (status.ok()) context().checkpoints.Acknowledge(id, sink_index_);
  });
}

void SinkTask::OnEndOfInput(const ControlEvent&) {
  buffer_->FlushAll([this](const Status& status) {
    if (status.ok()) context().on_sink_finished();
  });
}

}  // namespace cdc
