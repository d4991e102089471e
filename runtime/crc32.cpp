#include "runtime/crc32.h"

#include <array>
#include <cstring>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace cdc {
namespace {

// Slice-by-8 tables: kTables[k][b] is the CRC of byte b followed by k zero bytes, so eight
// input bytes fold in with eight lookups and no per-bit work (about 8x the byte-wise loop).
using CrcTables = std::array<std::array<uint32_t, 256>, 8>;

CrcTables MakeCrcTables() {
  CrcTables tables{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int bit = 0; bit < 8; ++bit) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    tables[0][i] = c;
  }
  for (uint32_t i = 0; i < 256; ++i) {
    for (size_t k = 1; k < 8; ++k)
      tables[k][i] = (tables[k - 1][i] >> 8) ^ tables[0][tables[k - 1][i] & 0xFF];
  }
  return tables;
}

const CrcTables& Tables() {
  static const CrcTables kTables = MakeCrcTables();
  return kTables;
}

// Continues the CRC register `crc` (already complemented) over `n` bytes.
uint32_t UpdateWithTables(uint32_t crc, const uint8_t* p, size_t n) {
  const CrcTables& t = Tables();
  while (n >= 8) {
    uint32_t low =
        crc ^ (uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24);
    crc = t[7][low & 0xFF] ^ t[6][(low >> 8) & 0xFF] ^ t[5][(low >> 16) & 0xFF] ^ t[4][low >> 24] ^
          t[3][p[4]] ^ t[2][p[5]] ^ t[1][p[6]] ^ t[0][p[7]];
    p += 8;
    n -= 8;
  }
  while (n-- > 0) crc = t[0][(crc ^ *p++) & 0xFF] ^ (crc >> 8);
  return crc;
}

#if defined(__x86_64__)

// Folding. A 16-byte block in a 128-bit register, bit m standing for the coefficient of
// x^(127-m) (bytes in order, least significant bit first: the reflected convention), is a
// polynomial X = H*x^64 + L, H in the low 64 bits. Moving X forward over D more bits of input
// multiplies it by x^D; modulo the CRC polynomial P that is H*(x^(D+64) mod P) +
// L*(x^D mod P), a value below 96 bits that fits the register again. A carry-less multiply of
// two reflected 64-bit values stands for their product times x, hence the constants below are
// x^(D+63) and x^(D-1) mod P. The register keeps a value congruent to the input so far, so the
// CRC of its 16 bytes (from a zero register) is the CRC of everything folded into it.

// x^n mod P (P = x^32 + ... the CRC-32 polynomial 0x04C11DB7, normal bit order), as a
// reflected 64-bit multiplier: the coefficient of x^j at bit 63 - j.
uint64_t FoldConstant(unsigned n) {
  uint64_t r = 1;
  for (unsigned i = 0; i < n; ++i) {
    r <<= 1;
    if (r & (uint64_t{1} << 32)) r ^= 0x104C11DB7ull;
  }
  uint64_t reflected = 0;
  for (unsigned j = 0; j < 32; ++j) {
    if ((r >> j) & 1) reflected |= uint64_t{1} << (63 - j);
  }
  return reflected;
}

struct FoldConstants {
  uint64_t by512_low, by512_high;  // one of four lanes forward over 64 bytes
  uint64_t by128_low, by128_high;  // a block forward over 16 bytes
};

const FoldConstants& Constants() {
  static const FoldConstants kConstants{FoldConstant(512 + 63), FoldConstant(512 - 1),
                                        FoldConstant(128 + 63), FoldConstant(128 - 1)};
  return kConstants;
}

__attribute__((target("pclmul,sse4.1"))) inline __m128i Fold(__m128i x, __m128i k, __m128i next) {
  __m128i low = _mm_clmulepi64_si128(x, k, 0x00);
  __m128i high = _mm_clmulepi64_si128(x, k, 0x11);
  return _mm_xor_si128(_mm_xor_si128(low, high), next);
}

__attribute__((target("pclmul,sse4.1"))) uint32_t UpdateWithClmul(uint32_t crc, const uint8_t* p,
                                                                  size_t n) {
  const FoldConstants& c = Constants();
  auto load = [](const uint8_t* at) {
    return _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));
  };
  __m128i lanes[4] = {load(p), load(p + 16), load(p + 32), load(p + 48)};
  lanes[0] = _mm_xor_si128(lanes[0], _mm_cvtsi32_si128(static_cast<int>(crc)));
  p += 64;
  n -= 64;
  const __m128i by512 =
      _mm_set_epi64x(static_cast<long long>(c.by512_high), static_cast<long long>(c.by512_low));
  while (n >= 64) {
    for (size_t i = 0; i < 4; ++i) lanes[i] = Fold(lanes[i], by512, load(p + 16 * i));
    p += 64;
    n -= 64;
  }
  const __m128i by128 =
      _mm_set_epi64x(static_cast<long long>(c.by128_high), static_cast<long long>(c.by128_low));
  __m128i x = Fold(lanes[0], by128, lanes[1]);
  x = Fold(x, by128, lanes[2]);
  x = Fold(x, by128, lanes[3]);
  while (n >= 16) {
    x = Fold(x, by128, load(p));
    p += 16;
    n -= 16;
  }
  uint8_t folded[16];
  _mm_storeu_si128(reinterpret_cast<__m128i*>(folded), x);
  return UpdateWithTables(UpdateWithTables(0, folded, 16), p, n);
}

bool HasClmul() {
  static const bool kHas = __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1");
  return kHas;
}

#endif

}  // namespace

uint32_t Crc32Tables(std::string_view bytes) {
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  return UpdateWithTables(0xFFFFFFFFu, p, bytes.size()) ^ 0xFFFFFFFFu;
}

uint32_t Crc32(std::string_view bytes) {
#if defined(__x86_64__)
  if (bytes.size() >= 64 && HasClmul()) {
    const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
    return UpdateWithClmul(0xFFFFFFFFu, p, bytes.size()) ^ 0xFFFFFFFFu;
  }
#endif
  return Crc32Tables(bytes);
}

}  // namespace cdc
