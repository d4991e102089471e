// StreamTask: one subtask that consumes a channel, run on the thread pool as a SerialTask.
// It is either an operator subtask (a chain of operators feeding outgoing edges) or a sink
// subtask (a TableBuffer whose flushes go to table writers).
//
// It never blocks: when an outgoing channel or a table queue is full it parks and is woken
// when room appears, leaving its input channel to fill, so backpressure travels upstream to
// the source threads. Checkpoint barriers are aligned by count (at-least-once alignment): a
// barrier is handled once every producer has delivered it. A sink subtask acknowledges a
// checkpoint once every row it had buffered before the barrier is written. Table barriers
// that reach it from several producers are aligned exactly (TableBarrierAlignment).
//
// Thread-safety: the input channel and Wake are thread-safe; the rest runs inside the task.
#pragma once

#include <memory>
#include <vector>

#include "operators/engine/input_gate.h"
#include "operators/engine/job_context.h"
#include "operators/engine/operator_chain.h"
#include "operators/engine/stream_batch.h"
#include "operators/engine/table_barrier_alignment.h"
#include "operators/engine/table_buffer.h"
#include "runtime/channel.h"
#include "runtime/serial_task.h"

namespace cdc {

class StreamTask {
 public:
  // An operator subtask fed by `producers` upstream producers, of which `barrier_copies`
  // (that many or 1) each deliver a copy of every table barrier (TableBarrierAlignment).
  StreamTask(SubtaskInfo info, size_t producers, size_t barrier_copies, size_t channel_capacity,
             std::vector<std::unique_ptr<EdgeOutput>> edges,
             std::unique_ptr<OperatorChain> chain, std::vector<SubtaskInfo> chain_infos,
             JobContext& context);
  // A sink subtask: `sink_index` numbers it among all sink subtasks of the job.
  StreamTask(SubtaskInfo info, size_t producers, size_t barrier_copies, size_t channel_capacity,
             std::unique_ptr<TableBuffer> buffer, Micros flush_interval, size_t sink_index,
             JobContext& context);
  ~StreamTask();

  Channel<StreamBatch>& input() { return input_; }

  // Opens the operators or starts the flush timer. Call before any input arrives.
  Status Open();
  // Stops the flush timer; waits for a tick that is running.
  void StopTimer();
  // Wakes the task so it notices a failure and drains its input.
  void Wake() { task_.Wake(); }

  const TableBuffer* buffer() const { return buffer_.get(); }
  // Sink subtasks: waits for flushes in flight to complete (see TableBuffer::WaitUntilQuiet).
  void WaitUntilQuiet() {
    if (buffer_) buffer_->WaitUntilQuiet();
  }

 private:
  bool Step();
  Status ProcessRows(StreamBatch& batch);
  void HandleControl(const ControlEvent& event);
  bool PushOutputs();

  const SubtaskInfo info_;
  InputGate gate_;
  TableBarrierAlignment alignment_;
  Channel<StreamBatch> input_;
  JobContext& context_;

  // Operator subtask.
  std::vector<std::unique_ptr<EdgeOutput>> edges_;
  std::unique_ptr<OperatorChain> chain_;
  std::vector<SubtaskInfo> chain_infos_;

  // Sink subtask.
  std::unique_ptr<TableBuffer> buffer_;
  Micros flush_interval_{0};
  size_t sink_index_ = 0;
  std::unique_ptr<PeriodicTimer> timer_;

  bool ended_ = false;
  bool rows_since_flush_ = false;  // operator subtask: rows processed since the last kFlush
  SerialTask task_;
};

}  // namespace cdc
