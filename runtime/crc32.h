// CRC-32 as zlib computes it (the binlog's event checksum, the checkpoint files' section
// checksums): zlib's CRC-32 (reflected polynomial 0xEDB88320, initial value and
// final XOR 0xFFFFFFFF). On x86-64 CPUs with carry-less multiplication (PCLMULQDQ) the bulk of
// the input is folded 64 bytes at a time; elsewhere, and for the last bytes, slice-by-8
// tables. Both give the same value for every input. Faster than zlib's own crc32() at every size
// the engine checksums, 19 bytes to 1 MiB (test/bench/crc32_bench.cpp), so zlib is not linked
// here. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

namespace cdc {

uint32_t Crc32(std::string_view bytes);

// The table-driven CRC alone, for tests that compare the two paths.
uint32_t Crc32Tables(std::string_view bytes);

}  // namespace cdc
