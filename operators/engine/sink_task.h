// SinkTask: a sink subtask: the rows of its input go into a TableBuffer whose flushes go to
// the sink's table writers. Each table flushes at its size threshold and, for the rows below
// it, on the flush timer's tick or when the source has caught up (ControlKind::kCaughtUp). A
// checkpoint barrier flushes everything buffered before it, after which the subtask
// acknowledges the checkpoint; end of input flushes everything and reports the subtask
// finished. While a table's queue is full the task takes no input (StreamTask).
//
// Thread-safety: as StreamTask; StopTimer and WaitUntilQuiet from the owner's thread, stats
// through buffer() from any thread.
#pragma once

#include <memory>

#include "operators/engine/stream_task.h"
#include "operators/engine/table_buffer.h"
#include "runtime/clock.h"

namespace cdc {

class SinkTask final : public StreamTask {
 public:
  // `flush_interval` is the timer's period; `sink_index` numbers this subtask among all sink
  // subtasks of the job, for checkpoint acknowledgements. See StreamTask for the rest.
  SinkTask(SubtaskInfo info, size_t producers, size_t barrier_copies, size_t channel_capacity,
           std::unique_ptr<TableBuffer> buffer, Micros flush_interval, size_t sink_index,
           JobContext& context);
  ~SinkTask() override;

  // Starts the flush timer.
  [[nodiscard]] Status Open() override;
  // Stops the flush timer; waits for a tick that is running.
  void StopTimer() { timer_.reset(); }
  // Waits for flushes in flight to complete (see TableBuffer::WaitUntilQuiet).
  void WaitUntilQuiet() { buffer_->WaitUntilQuiet(); }

  const TableBuffer& buffer() const { return *buffer_; }

 private:
  bool ReadyForInput() override;
  [[nodiscard]] Status ProcessRows(StreamBatch& batch) override;
  void OnCaughtUp(const ControlEvent& event) override;
  void OnBarrier(const ControlEvent& event) override;
  void OnEndOfInput(const ControlEvent& event) override;

  std::unique_ptr<TableBuffer> buffer_;
  const Micros flush_interval_;
  const size_t sink_index_;
  std::unique_ptr<PeriodicTimer> timer_;  // after buffer_: stopped before it is destroyed
};

}  // namespace cdc
