#include "runtime/crc32.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace cdc {

TEST_CASE("the binlog CRC-32 is zlib's, at every length and alignment") {
  CHECK(Crc32("") == 0u);
  CHECK(Crc32("123456789") == 0xCBF43926u);  // the CRC-32 check value
  // Slice-by-8 against the byte-at-a-time definition, across lengths and start offsets.
  std::string data;
  for (int i = 0; i < 300; ++i) data += static_cast<char>(i * 37 + 11);
  auto reference = [](std::string_view bytes) {
    uint32_t crc = 0xFFFFFFFFu;
    for (char c : bytes) {
      crc ^= static_cast<uint8_t>(c);
      for (int bit = 0; bit < 8; ++bit) crc = (crc & 1) ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
    }
    return crc ^ 0xFFFFFFFFu;
  };
  for (size_t start = 0; start < 9; ++start) {
    for (size_t length = 0; start + length <= data.size(); length += 7) {
      std::string_view slice(data.data() + start, length);
      REQUIRE(Crc32(slice) == reference(slice));
      REQUIRE(Crc32Tables(slice) == reference(slice));
    }
  }
  // The folding path (64 bytes and more) against the tables at every length up to a few
  // folds past each boundary, and on a large buffer of pseudo-random bytes.
  std::string large;
  uint64_t state = 0x9E3779B97F4A7C15ull;
  for (int i = 0; i < 100'000; ++i) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    large += static_cast<char>(state >> 56);
  }
  for (size_t start = 0; start < 3; ++start) {
    for (size_t length = 0; length < 600; ++length) {
      std::string_view slice(large.data() + start, length);
      REQUIRE(Crc32(slice) == Crc32Tables(slice));
    }
  }
  CHECK(Crc32(large) == Crc32Tables(large));
  CHECK(Crc32(large.substr(0, 4096)) == reference(large.substr(0, 4096)));
}

}  // namespace cdc
