// Binlog decoding benchmark: decodes a binlog into row changes, from its files on disk
// (BinlogFileTransport) and streamed from the server (BinlogServerTransport), on one core, and
// prints rows/s and MB/s of each run next to the figures the script measured for
// `mariadb-binlog --verbose` on the same files. No assertions (see the README for figures).
//
//   binlog-decode-bench PORT FILE... [--reference-seconds S --reference-rows N]
//
// PORT "-" decodes the files only (for profiling a saved binlog).
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "connectors/mysql/source/binlog/binlog_decoder.h"
#include "connectors/mysql/source/binlog/binlog_file_transport.h"
#include "connectors/mysql/source/binlog/binlog_server_transport.h"

namespace {

using namespace cdc;

// Counts the changes and touches each, as a consumer would.
struct CountingOutput final : Output {
  uint64_t rows = 0;
  uint64_t values = 0;
  Status Emit(RowChange&& change) override {
    ++rows;
    values += change.image().size();
    return Status::Ok();
  }
};

struct Run {
  uint64_t rows = 0;
  uint64_t bytes = 0;
  double seconds = 0;
  double cpu_seconds = 0;  // this process's, user and system: less than `seconds` when waiting
};

double CpuSeconds() {
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// Reads every event of `transport`; with `decode`, decodes it into row changes too. Without, the
// run measures the transport alone (framing, CRC-32, the file or the server): the ceiling of any
// decoder behind it.
Run Decode(BinlogTransport& transport, bool decode = true) {
  BinlogDecoder decoder;
  CountingOutput out;
  BinlogEvent event;
  Run run;
  double cpu_start = CpuSeconds();
  auto start = std::chrono::steady_clock::now();
  while (true) {
    auto more = transport.Next(event);
    if (!more.ok()) {
      std::fprintf(stderr, "binlog-decode-bench: %s\n", more.status().ToString().c_str());
      std::exit(1);
    }
    if (!*more) break;
    run.bytes += event.header.event_length;
    if (!decode) continue;
    Status status = decoder.Handle(event, transport.file(), out);
    if (!status.ok()) {
      std::fprintf(stderr, "binlog-decode-bench: %s\n", status.ToString().c_str());
      std::exit(1);
    }
  }
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.cpu_seconds = CpuSeconds() - cpu_start;
  run.rows = out.rows;
  return run;
}

void Print(const char* name, const Run& run, double reference_rows_per_s) {
  double rows_per_s = static_cast<double>(run.rows) / run.seconds;
  std::printf("%-34s %10llu rows %8.1f MB in %6.2f s: %10.0f rows/s %7.1f MB/s", name,
              static_cast<unsigned long long>(run.rows), static_cast<double>(run.bytes) / 1e6,
              run.seconds, rows_per_s, static_cast<double>(run.bytes) / 1e6 / run.seconds);
  if (reference_rows_per_s > 0)
    std::printf("  %6.1fx mariadb-binlog", rows_per_s / reference_rows_per_s);
  std::printf("  (CPU %.2f s)\n", run.cpu_seconds);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s PORT FILE... [--reference-seconds S --reference-rows N]\n",
                 argv[0]);
    return 2;
  }
  bool files_only = std::string(argv[1]) == "-";
  uint16_t port = files_only ? 0 : static_cast<uint16_t>(std::atoi(argv[1]));
  std::vector<std::string> files;
  double reference_seconds = 0;
  double reference_rows = 0;
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--reference-seconds" && i + 1 < argc) {
      reference_seconds = std::atof(argv[++i]);
    } else if (arg == "--reference-rows" && i + 1 < argc) {
      reference_rows = std::atof(argv[++i]);
    } else {
      files.push_back(arg);
    }
  }
  double reference = reference_seconds > 0 ? reference_rows / reference_seconds : 0;
  if (reference > 0) {
    std::printf("%-34s %10.0f rows             in %6.2f s: %10.0f rows/s\n",
                "mariadb-binlog --verbose", reference_rows, reference_seconds, reference);
  }
  auto server_transport = [&]() -> std::unique_ptr<BinlogServerTransport> {
    BinlogServerOptions server;
    server.connection.port = port;
    server.connection.user = "cdc";
    server.connection.password = "cdc";
    server.server_id = 777;
    server.start = BinlogPosition{std::filesystem::path(files.front()).filename().string(), 4};
    server.stop_at_end = true;
    auto transport = BinlogServerTransport::Open(server);
    if (!transport.ok()) {
      std::fprintf(stderr, "binlog-decode-bench: %s\n", transport.status().ToString().c_str());
      std::exit(1);
    }
    return std::move(transport).value();
  };
  uint64_t rows = 0;
  for (int repeat = 0; repeat < 3; ++repeat) {
    BinlogFileTransport file(files);
    Run decoded = Decode(file);
    rows = decoded.rows;
    Print("decode from files", decoded, reference);
    if (files_only) continue;
    Print("decode streamed from the server", Decode(*server_transport()), reference);
  }
  // The transports alone, as rows/s of the same binlog: what no decoder behind them can pass.
  for (int repeat = 0; repeat < 2; ++repeat) {
    BinlogFileTransport file(files);
    Run read = Decode(file, false);
    read.rows = rows;
    Print("read only (no decoding), files", read, reference);
    if (files_only) continue;
    read = Decode(*server_transport(), false);
    read.rows = rows;
    Print("read only (no decoding), server", read, reference);
  }
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("peak RSS %.1f MiB\n", static_cast<double>(usage.ru_maxrss) / 1024.0);
  return 0;
}
