// The source API: where a job's changes come from. A Source is pulled by the runtime on the
// source subtask's own thread: PollNext emits what is ready and says whether more is coming.
// Between two polls the runtime may inject a checkpoint barrier, asking SnapshotState() for a
// position from which the source could resume; so a source must leave each poll at a point
// where its state describes exactly the changes emitted so far.
//
// Thread-bound: one instance per source subtask, called only from that subtask's thread.
#pragma once

#include <string>

#include "operators/operator.h"
#include "runtime/clock.h"

namespace cdc {

struct PollResult {
  enum class State : uint8_t {
    kMoreAvailable,  // poll again right away
    kWait,           // nothing ready until `resume_at` (Clock::Now() time), e.g. a rate limit
    kEndOfInput,     // finished; PollNext is not called again
  };
  State state = State::kMoreAvailable;
  Micros resume_at{0};
  // Everything the source could read is emitted; more may come later (a live stream caught
  // up). The runtime then lets the sinks write what they hold at once (ControlKind::kCaughtUp):
  // every table of every sink the source feeds, so a source says it at most every few tens of
  // milliseconds, or small flushes replace batches (also for other sources sharing a sink).
  bool caught_up = false;

  static PollResult More() { return {}; }
  static PollResult WaitUntil(Micros at) { return {State::kWait, at}; }
  static PollResult End() { return {State::kEndOfInput, Micros(0)}; }
  static PollResult CaughtUp() { return {State::kMoreAvailable, Micros(0), true}; }
};

class Source {
 public:
  virtual ~Source() = default;

  // Connects, validates configuration. `clock` outlives the source.
  virtual Status Open(const SubtaskInfo& /*info*/, Clock& /*clock*/) { return Status::Ok(); }

  // Emits the changes that are ready (a bounded amount, so barriers and stop requests are seen
  // promptly). An error stops the job.
  virtual Result<PollResult> PollNext(Output& out) = 0;

  // The position to resume from, covering every change emitted so far. Opaque to the runtime.
  virtual std::string SnapshotState() { return std::string(); }

  // Checkpoint `checkpoint_id` is complete: every change up to its state is written.
  virtual void NotifyCheckpointComplete(uint64_t /*checkpoint_id*/) {}

  // Stops reading and releases connections. Called once, from the source thread.
  virtual void Close() {}
};

using SourceFactory = std::function<std::unique_ptr<Source>(const SubtaskInfo&)>;

}  // namespace cdc
