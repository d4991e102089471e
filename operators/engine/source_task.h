// SourceTask: one source subtask running on its own runtime-owned thread. It polls the
// Source, pushes what it emits through the chained operators into the outgoing edges (blocking
// while a downstream channel is full: backpressure ends here), injects checkpoint barriers
// between polls together with the source's state, and on end of input, stop or failure
// finishes the chain and sends end of input downstream.
//
// Thread-safety: RequestBarrier and accepting_barriers may be called from any thread while
// holding the job's trigger mutex; everything else is the task's own thread.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "operators/engine/job_context.h"
#include "operators/engine/operator_chain.h"
#include "operators/source.h"

namespace cdc {

class SourceTask {
 public:
  SourceTask(SubtaskInfo info, size_t index, std::unique_ptr<Source> source,
             std::vector<std::unique_ptr<EdgeOutput>> edges, std::unique_ptr<OperatorChain> chain,
             std::vector<SubtaskInfo> chain_infos, JobContext& context, std::mutex& trigger_mu);
  ~SourceTask();

  void Start();
  void Join();

  // Requires trigger_mu. Queues a barrier to inject at the next point between polls.
  void RequestBarrier(const CheckpointBarrier& barrier);
  // Requires trigger_mu. False once the task has finished and can take no more barriers.
  bool accepting_barriers() const { return !finished_; }

  // Checkpoint `id` completed; the source hears of it on its own thread between polls.
  void OnCheckpointComplete(uint64_t id) {
    completed_.store(id, std::memory_order_release);
    context_.clock.Interrupt();  // a waiting source hears of it now
  }

  uint64_t rows_emitted() const { return rows_emitted_.load(std::memory_order_relaxed); }

 private:
  class CountingOutput;

  void Run();
  Status RunLoop();
  // Injects every queued barrier; false when the job is stopping.
  Status InjectBarriers(const std::vector<CheckpointBarrier>& barriers);
  std::vector<CheckpointBarrier> TakeBarriers();
  bool PushAll(bool all);

  const SubtaskInfo info_;
  const size_t index_;  // among all source subtasks of the job, for checkpoint state
  std::unique_ptr<Source> source_;
  std::vector<std::unique_ptr<EdgeOutput>> edges_;
  std::unique_ptr<OperatorChain> chain_;
  std::vector<SubtaskInfo> chain_infos_;
  std::unique_ptr<CountingOutput> counting_;
  JobContext& context_;
  std::mutex& trigger_mu_;  // the job's; guards barriers_ and finished_
  std::vector<CheckpointBarrier> barriers_;
  bool finished_ = false;
  std::atomic<bool> barrier_pending_{false};
  std::atomic<uint64_t> rows_emitted_{0};
  std::atomic<uint64_t> completed_{0};
  uint64_t notified_ = 0;
  uint64_t rows_at_caught_up_ = 0;  // rows emitted when the last kCaughtUp was sent
  std::thread thread_;
};

}  // namespace cdc
