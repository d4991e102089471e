// ByteReader: a bounds-checked cursor over the bytes of one binlog event, with the integer
// encodings the binlog uses (little-endian fixed widths, MySQL's packed "length-encoded"
// integers, big-endian for the temporal and decimal formats). Reading past the end never reads
// memory: it sets the reader's error and returns zeros, so a truncated or corrupt event is
// reported, not decoded wrong. Thread-bound value type.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace cdc {

class ByteReader {
 public:
  ByteReader(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  explicit ByteReader(std::string_view bytes)
      : ByteReader(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()) {}

  size_t remaining() const { return size_ - pos_; }
  size_t position() const { return pos_; }
  // True once a read ran past the end.
  bool overrun() const { return overrun_; }

  // `n` (0..8) bytes, little-endian.
  uint64_t LittleEndian(size_t n) {
    if (!Need(n)) return 0;
    uint64_t value = 0;
    if constexpr (std::endian::native == std::endian::little) {
      if (size_ - pos_ >= 8) {  // one unaligned load, masked to `n` bytes
        std::memcpy(&value, data_ + pos_, 8);
        if (n < 8) value &= (uint64_t{1} << (8 * n)) - 1;
        pos_ += n;
        return value;
      }
    }
    for (size_t i = 0; i < n; ++i) value |= static_cast<uint64_t>(data_[pos_ + i]) << (8 * i);
    pos_ += n;
    return value;
  }
  // `n` (0..8) bytes, big-endian.
  uint64_t BigEndian(size_t n) {
    if (!Need(n)) return 0;
    uint64_t value = 0;
    for (size_t i = 0; i < n; ++i) value = (value << 8) | data_[pos_ + i];
    pos_ += n;
    return value;
  }
  uint8_t U8() { return static_cast<uint8_t>(LittleEndian(1)); }

  // MySQL's length-encoded integer: < 251 itself; 0xFC + 2 bytes; 0xFD + 3; 0xFE + 8.
  uint64_t Packed() {
    uint8_t first = U8();
    if (first < 0xFB) return first;
    if (first == 0xFC) return LittleEndian(2);
    if (first == 0xFD) return LittleEndian(3);
    if (first == 0xFE) return LittleEndian(8);
    overrun_ = true;  // 0xFB (NULL) and 0xFF are not lengths
    return 0;
  }

  // The next `n` bytes as a view into the event.
  std::string_view Bytes(size_t n) {
    if (!Need(n)) return {};
    std::string_view out(reinterpret_cast<const char*>(data_ + pos_), n);
    pos_ += n;
    return out;
  }

 private:
  bool Need(size_t n) {
    if (n <= size_ - pos_) return true;
    overrun_ = true;
    pos_ = size_;
    return false;
  }

  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
  bool overrun_ = false;
};

}  // namespace cdc
