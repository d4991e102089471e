// CRC-32 benchmark: runtime/crc32's Crc32 (carry-less-multiply folding, slice-by-8 tables for
// short inputs), its table path alone (Crc32Tables) and zlib's crc32() on the same buffers, at
// the sizes the engine checksums: a binlog event header (19 bytes), a small rows event (200 B),
// a large event or checkpoint section (8 KiB) and a big one (1 MiB). Prints MB/s of each and the
// ratio ours / zlib's, best of a few rounds. No assertions; the three must agree or it exits 1.
//
//   crc32-bench [ROUNDS]
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/crc32.h"

namespace {

uint32_t ZlibCrc32(std::string_view bytes) {
  return static_cast<uint32_t>(
      crc32(0L, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size())));
}

// Pseudo-random bytes (a fixed LCG), so every run checksums the same input.
std::string MakeBuffer(size_t size) {
  std::string buffer(size, '\0');
  uint64_t state = 0x9E3779B97F4A7C15ull;
  for (char& c : buffer) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    c = static_cast<char>(state >> 56);
  }
  return buffer;
}

// MB/s (10^6 bytes per second) of `crc` over `buffers`, each checksummed in turn, repeated
// until about `budget_bytes` went through; `sink` keeps the results live.
template <typename Crc>
double MeasureMbPerSecond(Crc crc, const std::vector<std::string>& buffers, size_t budget_bytes,
                          uint32_t& sink) {
  const size_t per_pass = buffers.size() * buffers.front().size();
  const size_t passes = std::max<size_t>(1, budget_bytes / per_pass);
  const auto start = std::chrono::steady_clock::now();
  for (size_t pass = 0; pass < passes; ++pass) {
    for (const std::string& buffer : buffers) sink ^= crc(buffer);
  }
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  return static_cast<double>(passes * per_pass) / elapsed.count() / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 5;
  constexpr size_t kBudgetBytes = size_t{256} << 20;  // per measurement
  uint32_t sink = 0;
  std::printf("%9s %14s %14s %14s %12s\n", "size", "Crc32 MB/s", "tables MB/s", "zlib MB/s",
              "Crc32/zlib");
  for (size_t size : {size_t{19}, size_t{200}, size_t{8192}, size_t{1} << 20}) {
    // Several buffers at different offsets, so short sizes are not one cached line.
    const std::string source = MakeBuffer(size + size_t{4096} * 16);
    std::vector<std::string> buffers;
    for (size_t i = 0; i < 16 && buffers.size() * size < (size_t{16} << 20); ++i) {
      buffers.push_back(source.substr(i * 4096 + i, size));
    }
    for (const std::string& buffer : buffers) {
      if (cdc::Crc32(buffer) != ZlibCrc32(buffer) ||
          cdc::Crc32Tables(buffer) != ZlibCrc32(buffer)) {
        std::fprintf(stderr, "crc32-bench: the CRCs of a %zu-byte buffer differ\n", size);
        return 1;
      }
    }
    double ours = 0, tables = 0, zlib = 0;
    for (int round = 0; round < rounds; ++round) {
      ours = std::max(ours, MeasureMbPerSecond([](std::string_view b) { return cdc::Crc32(b); },
                                               buffers, kBudgetBytes, sink));
      tables = std::max(tables,
                        MeasureMbPerSecond([](std::string_view b) { return cdc::Crc32Tables(b); },
                                           buffers, kBudgetBytes, sink));
      zlib = std::max(zlib, MeasureMbPerSecond(ZlibCrc32, buffers, kBudgetBytes, sink));
    }
    std::printf("%9zu %14.0f %14.0f %14.0f %12.2f\n", size, ours, tables, zlib, ours / zlib);
  }
  std::printf("(checksum of checksums %08x)\n", sink);
  return 0;
}
