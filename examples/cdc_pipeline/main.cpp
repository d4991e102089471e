// cdc-pipeline: runs a pipeline YAML file (source -> route -> transform -> sink), the way a
// person uses this engine without writing C++.
//
//   cdc-pipeline run FILE [--until-caught-up] [--progress-interval SECONDS]
//                         [--log-level LEVEL] [--log-format text|json]
//   cdc-pipeline validate FILE
//   cdc-pipeline --help
//
// Exit codes: 0 done (the source ended, or SIGINT/SIGTERM stopped the job after a final
// checkpoint); 1 the job failed while running (the message says why); 2 bad usage or an
// invalid pipeline file (every problem is listed with its line); 3 it could not start (an
// unusable state directory or checkpoint, a source server that cannot be one, an unreachable
// target).
#include <pthread.h>
#include <signal.h>

#include <fmt/format.h>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <iostream>
#include <string>
#include <string_view>
#include <thread>

#include "connectors/pipeline/pipeline_yaml.h"
#include "examples/cdc_pipeline/pipeline_runner.h"
#include "runtime/logger.h"

namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;
constexpr int kExitCannotStart = 3;

constexpr const char* kHelp = R"(usage:
  cdc-pipeline run FILE [--until-caught-up] [--progress-interval SECONDS]
                        [--log-level debug|info|warning|error] [--log-format text|json]
      Runs the pipeline until its source ends or SIGINT/SIGTERM arrives; then it takes a
      final checkpoint, writes out what it read and exits 0. With pipeline.state.dir set it
      resumes from the newest checkpoint there. --until-caught-up makes a MySQL source stop
      once it reaches the binlog's current end (catch-up runs, demos). A progress line goes to
      stderr every 5 seconds (--progress-interval SECONDS sets another interval; 0: never):
        progress: read N (R/s), written M (W/s), lag A s (read B s), checkpoint C at POSITION (S s ago)
      and at the end: read N changes, wrote M. N counts row changes read (snapshot rows and
      binlog rows; an update is one); M counts changes the sink finished with, after key-by
      made a key-changing update a delete and an insert and after transform filters.
      The engine's messages go to stderr as "[component] message" lines from level info on
      (--log-level sets the lowest level written; --log-format json writes one JSON object a
      line: time, level, component, message).
  cdc-pipeline validate FILE
      Checks FILE and prints what it would run, or every problem with its line.
  cdc-pipeline --help

exit codes: 0 done; 1 failed while running; 2 bad usage or invalid file; 3 could not start
)";

std::string Describe(const cdc::PipelineConfig& config) {
  std::string source = config.source.type == cdc::SourceType::kMysql
                           ? "mysql " + config.source.mysql.connection.Describe()
                           : "datagen";
  std::string sink;
  switch (config.sink.type) {
    case cdc::SinkType::kMysql: sink = "mysql " + config.sink.mysql.connection.Describe(); break;
    case cdc::SinkType::kKafka:
      sink = fmt::format("kafka {} topic {} ({})", fmt::join(config.sink.kafka.brokers, ","),
                         config.sink.kafka.topic, config.sink.kafka.protocol);
      break;
    case cdc::SinkType::kPrint: sink = "print"; break;
    case cdc::SinkType::kBlackhole: sink = "blackhole"; break;
  }
  return fmt::format(
      "pipeline '{}': {} -> {}, {} route rule(s), {} transform rule(s), parallelism {}{}",
      config.pipeline.job.name, source, sink, config.routes.size(), config.transforms.size(),
      config.pipeline.job.parallelism,
      config.pipeline.state_dir.empty() ? ", no state directory (no resume)"
                                        : ", state in " + config.pipeline.state_dir);
}

std::string ProgressLine(const cdc::PipelineProgress& now, const cdc::PipelineProgress& before,
                         double seconds) {
  auto now_us = std::chrono::duration_cast<std::chrono::microseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  // Lag: how long ago the newest change applied on the target was committed at the source,
  // and (read) the newest change read. Both grow while the source is idle.
  std::string lag = "no change read yet";
  if (now.source_commit_time_us != 0) {
    double read = (now_us - now.source_commit_time_us) / 1e6;
    lag = now.applied_commit_time_us == 0
              ? fmt::format("lag (read) {:.1f} s", read)
              : fmt::format("lag {:.1f} s (read {:.1f} s)",
                            (now_us - now.applied_commit_time_us) / 1e6, read);
  }
  std::string checkpoint =
      now.last_checkpoint == 0
          ? "no checkpoint yet"
          : fmt::format(
                "checkpoint {} at {}{}", now.last_checkpoint, now.last_checkpoint_position,
                now.last_checkpoint_time_us == 0
                    ? " (restored)"
                    : fmt::format(" ({:.0f} s ago)", (now_us - now.last_checkpoint_time_us) / 1e6));
  return fmt::format("progress: read {} ({:.0f}/s), written {} ({:.0f}/s), {}, {}", now.rows_read,
                     (now.rows_read - before.rows_read) / seconds, now.rows_written,
                     (now.rows_written - before.rows_written) / seconds, lag, checkpoint);
}

int Run(cdc::PipelineConfig config, int progress_seconds) {
  std::cerr << "cdc-pipeline: " << Describe(config) << "\n";
  // SIGINT and SIGTERM go to one waiting thread, not to whichever thread the kernel picks;
  // SIGUSR1 is how the main thread wakes that thread when the job has ended by itself.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // before any thread starts: all inherit it

  cdc::PipelineRunner runner(std::move(config));
  std::thread signal_waiter([&runner, signals] {
    int received = 0;
    sigwait(&signals, &received);
    if (received == SIGUSR1) return;
    std::cerr << "cdc-pipeline: " << strsignal(received)
              << ": taking a final checkpoint and stopping\n";
    runner.RequestStop();
  });

  std::atomic<bool> done{false};
  std::thread reporter([&] {
    if (progress_seconds <= 0) return;
    cdc::PipelineProgress before = runner.progress();
    auto last = std::chrono::steady_clock::now();
    while (!done) {
      for (int i = 0; i < progress_seconds * 10 && !done; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      if (done) break;
      auto now_time = std::chrono::steady_clock::now();
      cdc::PipelineProgress now = runner.progress();
      std::cerr << ProgressLine(now, before, std::chrono::duration<double>(now_time - last).count())
                << "\n";
      before = now;
      last = now_time;
    }
  });

  auto started = std::chrono::steady_clock::now();
  cdc::Status status = runner.Run();
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  done = true;
  pthread_kill(signal_waiter.native_handle(), SIGUSR1);
  signal_waiter.join();
  reporter.join();

  cdc::PipelineProgress final_progress = runner.progress();
  std::cerr << fmt::format(
      "cdc-pipeline: read {} changes, wrote {} in {:.1f} s ({:.0f} changes/s); last checkpoint "
      "{}{}\n",
      final_progress.rows_read, final_progress.rows_written, seconds,
      final_progress.rows_read / std::max(seconds, 1e-3), final_progress.last_checkpoint,
      final_progress.restored_from != 0
          ? fmt::format(" (resumed from checkpoint {})", final_progress.restored_from)
          : "");
  if (!status.ok()) {
    std::cerr << "cdc-pipeline: " << status.ToString() << "\n";
    return runner.started() ? kExitFailed : kExitCannotStart;
  }
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  std::string command = argc > 1 ? argv[1] : "";
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << kHelp;
    return kExitOk;
  }
  if ((command != "run" && command != "validate") || argc < 3) {
    std::cerr << "cdc-pipeline: expected 'run FILE' or 'validate FILE'\n\n" << kHelp;
    return kExitUsage;
  }
  bool until_caught_up = false;
  int progress_seconds = 5;
  cdc::LogLevel log_level = cdc::LogLevel::kInfo;
  cdc::LogFormat log_format = cdc::LogFormat::kText;
  for (int i = 3; i < argc; ++i) {
    std::string flag = argv[i];
    if (command == "run" && flag == "--until-caught-up") {
      until_caught_up = true;
    } else if (command == "run" && flag == "--progress-interval" && i + 1 < argc) {
      std::string_view value = argv[++i];
      auto [end, error] =
          std::from_chars(value.data(), value.data() + value.size(), progress_seconds);
      if (error != std::errc() || end != value.data() + value.size() || progress_seconds < 0 ||
          progress_seconds > 86400) {
        std::cerr << "cdc-pipeline: --progress-interval takes whole seconds (0: no progress "
                     "lines), not '"
                  << value << "'\n\n"
                  << kHelp;
        return kExitUsage;
      }
    } else if (command == "run" && (flag == "--log-level" || flag == "--log-format") &&
               i + 1 < argc) {
      std::string_view value = argv[++i];
      cdc::Status parsed = flag == "--log-level" ? cdc::ParseLogLevel(value).status()
                                                 : cdc::ParseLogFormat(value).status();
      if (!parsed.ok()) {
        std::cerr << "cdc-pipeline: " << flag << ": " << parsed.message() << "\n\n" << kHelp;
        return kExitUsage;
      }
      if (flag == "--log-level") log_level = *cdc::ParseLogLevel(value);
      if (flag == "--log-format") log_format = *cdc::ParseLogFormat(value);
    } else {
      std::cerr << "cdc-pipeline: unknown argument '" << flag << "'\n\n" << kHelp;
      return kExitUsage;
    }
  }
  cdc::SetLogger(std::make_shared<cdc::StreamLogger>(log_format, log_level));
  auto config = cdc::LoadPipelineFile(argv[2]);
  if (!config.ok()) {
    std::cerr << config.status().message() << "\n";
    return kExitUsage;
  }
  if (command == "validate") {
    std::cout << argv[2] << ": valid; " << Describe(*config) << "\n";
    return kExitOk;
  }
  if (until_caught_up) config->source.mysql.stop_at_end = true;
  return Run(std::move(config).value(), progress_seconds);
}
