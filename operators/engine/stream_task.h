// StreamTask: what every subtask that consumes a channel shares, run on the thread pool as a
// SerialTask. Two kinds derive from it: OperatorTask (a chain of operators feeding outgoing
// edges) and SinkTask (a TableBuffer whose flushes go to table writers). This base owns the
// input channel, counts control events over the producers (InputGate), aligns table barriers
// that arrive in several copies (TableBarrierAlignment), runs the step loop and drops the input
// once the job has failed; the kind decides what rows and control events do.
//
// It never blocks: when the kind cannot take input (an outgoing channel or a table queue is
// full) the task parks and is woken when room appears, leaving its input channel to fill, so
// backpressure travels upstream to the source threads. Checkpoint barriers are aligned by
// count (at-least-once alignment): a barrier is handled once every producer has delivered it.
//
// Lifetime: the SerialTask lives in this base, so a derived task's members are destroyed
// before it, while it could in principle still run a step that calls into the derived object.
// None runs then: the owner (JobExecution) destroys tasks only once nothing can run or wake
// one: source threads joined, sinks' timers stopped, writers quiet, and the executor idle
// (Executor::WaitIdle: no step running or queued). A wake needs a push into the input (from
// sources, joined, or other tasks, idle), a room callback (from a downstream task or a flush,
// both idle) or the job's failure callback (raised only by running work). The executor's
// threads are joined after every task is gone (JobExecution declares executor_ first).
//
// Thread-safety: input() and Wake() are thread-safe; everything else runs inside the task.
#pragma once

#include <memory>

#include "operators/engine/input_gate.h"
#include "operators/engine/job_context.h"
#include "operators/engine/stream_batch.h"
#include "operators/engine/table_barrier_alignment.h"
#include "operators/operator.h"
#include "runtime/channel.h"
#include "runtime/serial_task.h"

namespace cdc {

class StreamTask {
 public:
  StreamTask(const StreamTask&) = delete;
  StreamTask& operator=(const StreamTask&) = delete;
  // Requires that no step runs or can be woken (see Lifetime above).
  virtual ~StreamTask() = default;

  Channel<StreamBatch>& input() { return input_; }

  // Prepares the kind (opens its operators, starts its timer). Call before any input arrives.
  [[nodiscard]] virtual Status Open() = 0;

  // Wakes the task: input or room arrived, or a failure to notice (it then drains its input).
  void Wake() { task_.Wake(); }

 protected:
  // A subtask fed by `producers` upstream producers, of which `barrier_copies` (that many or 1)
  // each deliver a copy of every table barrier (TableBarrierAlignment).
  StreamTask(SubtaskInfo info, size_t producers, size_t barrier_copies, size_t channel_capacity,
             JobContext& context);

  const SubtaskInfo& info() const { return info_; }
  JobContext& context() const { return context_; }

 private:
  // The kind's part, each called inside the task.
  // False when the task cannot take input now; it has then arranged to be woken when it can.
  virtual bool ReadyForInput() = 0;
  // The rows of one batch, in order; an error fails the job.
  [[nodiscard]] virtual Status ProcessRows(StreamBatch& batch) = 0;
  // ControlKind::kCaughtUp, each copy from every producer.
  virtual void OnCaughtUp(const ControlEvent& event) = 0;
  // A checkpoint barrier every producer has delivered.
  virtual void OnBarrier(const ControlEvent& event) = 0;
  // Every producer has ended its input.
  virtual void OnEndOfInput(const ControlEvent& event) = 0;
  // After a batch and its control event: pass on what they produced.
  virtual void AfterBatch() {}

  bool Step();
  void HandleControl(const ControlEvent& event);

  const SubtaskInfo info_;
  JobContext& context_;
  InputGate gate_;
  TableBarrierAlignment alignment_;
  Channel<StreamBatch> input_;
  SerialTask task_;
};

}  // namespace cdc
