// Test support for whole-job tests: a writer factory that applies batches to a strict model
// (optionally completing later on other threads, failing a table, or holding completions
// behind a gate), and a source that emits a fixed list of changes.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "operators/source.h"
#include "operators/table_writer.h"
#include "test/model_table.h"

namespace cdc::testing {

// Completes writes later, on its own threads, after a random delay of up to 200 µs, so
// flushes of different tables finish in random order.
class DelayedCompleter {
 public:
  explicit DelayedCompleter(size_t threads) {
    for (size_t i = 0; i < threads; ++i) {
      threads_.emplace_back([this, i] {
        std::mt19937 rng(static_cast<unsigned>(i));
        while (true) {
          std::function<void()> work;
          {
            std::unique_lock lock(mu_);
            cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
            if (queue_.empty()) return;
            work = std::move(queue_.front());
            queue_.pop_front();
          }
          std::this_thread::sleep_for(std::chrono::microseconds(rng() % 200));
          work();
        }
      });
    }
  }
  ~DelayedCompleter() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    for (auto& thread : threads_) thread.join();
  }
  void Post(std::function<void()> work) {
    {
      std::lock_guard lock(mu_);
      queue_.push_back(std::move(work));
    }
    cv_.notify_one();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

// Applies every batch to a strict model; optionally completes later, fails a table, holds
// completions behind a gate, or runs a hook after each batch.
class ModelWriters final : public TableWriterFactory {
 public:
  Result<std::unique_ptr<TableWriter>> CreateWriter(const TableWriterContext& context) override {
    return std::unique_ptr<TableWriter>(std::make_unique<Writer>(*this, context.table.table));
  }

  ModelTarget model;
  DelayedCompleter* completer = nullptr;
  std::string failing_table;
  std::function<void(uint64_t rows_written)> after_batch;
  std::atomic<uint64_t> rows{0};
  std::atomic<int> overlaps{0};

  // Gate: while closed, completions wait (on the writer's thread of the completer).
  std::mutex gate_mu;
  std::condition_variable gate_cv;
  bool gate_open = true;
  std::atomic<int> batches_at_gate{0};

  void OpenGate() {
    {
      std::lock_guard lock(gate_mu);
      gate_open = true;
    }
    gate_cv.notify_all();
  }

 private:
  class Writer final : public TableWriter {
   public:
    Writer(ModelWriters& owner, std::string table) : owner_(owner), table_(std::move(table)) {}
    void Write(FlushBatch batch, std::function<void(Status)> done) override {
      if (busy_.exchange(true)) owner_.overlaps.fetch_add(1);
      if (table_ == owner_.failing_table) {
        busy_ = false;
        return done(Status::IoError("boom: the target refused the row"));
      }
      for (const RowChange& change : batch.changes) owner_.model.Apply(change);
      size_t n = batch.changes.size();
      // After done() the job may end and destroy this writer: touch only the factory then.
      auto finish = [this, &owner = owner_, n, done = std::move(done)] {
        {
          std::unique_lock lock(owner.gate_mu);
          if (!owner.gate_open) {
            owner.batches_at_gate.fetch_add(1);
            owner.gate_cv.wait(lock, [&] { return owner.gate_open; });
          }
        }
        uint64_t total = owner.rows.fetch_add(n) + n;
        busy_ = false;
        // Copied first: once the last done() runs, the test may destroy the factory (TSan saw
        // this read race with the factory's destruction).
        auto after_batch = owner.after_batch;
        done(Status::Ok());
        if (after_batch) after_batch(total);
      };
      if (owner_.completer != nullptr) {
        owner_.completer->Post(std::move(finish));
      } else {
        finish();
      }
    }

   private:
    ModelWriters& owner_;
    std::string table_;
    std::atomic<bool> busy_{false};
  };
};

// Emits a fixed list of changes, then waits for the clock forever (until stopped) or ends.
class VectorSource final : public Source {
 public:
  VectorSource(std::vector<RowChange> changes, bool then_wait)
      : changes_(std::move(changes)), then_wait_(then_wait) {}
  Result<PollResult> PollNext(Output& out) override {
    if (next_ < changes_.size()) {
      CDC_RETURN_IF_ERROR(out.Emit(RowChange(changes_[next_++])));
      return PollResult::More();
    }
    if (then_wait_) return PollResult::WaitUntil(Micros(int64_t{1} << 40));
    return PollResult::End();
  }

 private:
  std::vector<RowChange> changes_;
  bool then_wait_;
  size_t next_ = 0;
};

}  // namespace cdc::testing
