// Benchmark: datagen -> key-by -> per-table buffer -> blackhole, at several sink
// parallelisms. Each configuration runs in its own child process so its peak RSS is its own.
// The baseline, measured in the same run, is the datagen source alone on one thread with its
// changes destroyed as they are emitted: the cost of making the changes, which bounds what any
// pipeline behind a single source can reach. Prints changes/s, the ratio to the baseline and
// peak RSS; no assertions (see the README for figures).
//
//   build/test/pipeline-bench [changes=50000000] [parallelisms=1,2,4] [pool threads=cores]
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "connectors/blackhole/blackhole_sink.h"
#include "connectors/datagen/datagen_source.h"
#include "operators/job.h"
#include "runtime/executor.h"

namespace {

cdc::DatagenOptions BenchDatagen(uint64_t changes) {
  cdc::DatagenOptions datagen;
  datagen.tables = 8;
  datagen.key_space = 100000;
  datagen.count = changes;
  return datagen;
}

class DiscardingOutput final : public cdc::Output {
 public:
  cdc::Status Emit(cdc::RowChange&& change) override {
    cdc::RowChange dropped = std::move(change);
    ++count;
    return cdc::Status::Ok();
  }
  uint64_t count = 0;
};

// Changes per second of the source alone.
double RunBaseline(uint64_t changes) {
  cdc::Executor executor(1);
  cdc::SystemClock clock(executor);
  cdc::DatagenSource source(BenchDatagen(changes));
  if (!source.Open(cdc::SubtaskInfo{"datagen", 0, 1}, clock).ok()) return 0;
  DiscardingOutput out;
  auto start = std::chrono::steady_clock::now();
  while (true) {
    auto result = source.PollNext(out);
    if (!result.ok() || result->state == cdc::PollResult::State::kEndOfInput) break;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return static_cast<double>(out.count) / seconds;
}

int RunOne(uint64_t changes, size_t parallelism, size_t threads, double baseline) {
  cdc::DatagenOptions datagen = BenchDatagen(changes);
  auto blackhole = std::make_shared<cdc::BlackholeSink>();
  cdc::JobOptions options;
  options.name = "pipeline-bench";
  options.parallelism = parallelism;
  options.threads = threads;
  cdc::Job job(options);
  job.AddSource("datagen", cdc::DatagenSource::Factory(datagen))
      .KeyBy()
      .SinkTo("blackhole", blackhole);
  auto start = std::chrono::steady_clock::now();
  cdc::Status status = job.Run();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!status.ok()) {
    std::fprintf(stderr, "parallelism %zu failed: %s\n", parallelism, status.ToString().c_str());
    return 1;
  }
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  cdc::JobMetrics metrics = job.metrics();
  double rate = static_cast<double>(blackhole->rows()) / seconds;
  std::printf(
      "parallelism %zu: %llu changes in %.2f s = %.0f changes/s (%.2f x baseline), "
      "%llu flushes, peak RSS %.1f MiB\n",
      parallelism, static_cast<unsigned long long>(blackhole->rows()), seconds, rate,
      rate / baseline, static_cast<unsigned long long>(metrics.flushes),
      static_cast<double>(usage.ru_maxrss) / 1024.0);
  std::fflush(stdout);
  return blackhole->rows() >= changes ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t changes = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 50'000'000;
  std::vector<size_t> parallelisms = {1, 2, 4};
  if (argc > 2) {
    parallelisms.clear();
    std::stringstream list(argv[2]);
    for (std::string item; std::getline(list, item, ',');) parallelisms.push_back(std::stoul(item));
  }
  size_t threads = argc > 3 ? std::strtoul(argv[3], nullptr, 10) : 0;
  std::printf(
      "pipeline-bench: datagen -> key-by -> table buffer -> blackhole, %llu changes, "
      "8 tables, %u cores\n",
      static_cast<unsigned long long>(changes), std::thread::hardware_concurrency());
  std::fflush(stdout);
  // The baseline runs in a child too, so it leaves nothing in the parent that later children
  // would inherit and count in their peak RSS.
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) return 1;
  if (fork() == 0) {
    double rate = RunBaseline(changes);
    std::exit(write(pipe_fds[1], &rate, sizeof(rate)) == sizeof(rate) ? 0 : 1);
  }
  double baseline = 0;
  if (read(pipe_fds[0], &baseline, sizeof(baseline)) != sizeof(baseline)) return 1;
  wait(nullptr);
  std::printf("baseline: datagen alone on one thread: %.0f changes/s\n", baseline);
  std::fflush(stdout);
  int failures = 0;
  for (size_t parallelism : parallelisms) {
    pid_t child = fork();
    if (child == 0) std::exit(RunOne(changes, parallelism, threads, baseline));
    int status = 0;
    waitpid(child, &status, 0);
    failures += !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  return failures == 0 ? 0 : 1;
}
