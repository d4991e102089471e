#include "schema/row_key.h"

#include <bit>
#include <cstring>
#include <string_view>

#include "runtime/assertions.h"

namespace cdc {

namespace {

constexpr uint64_t kHighBits = 0x8080808080808080ULL;

// A streaming 64-bit hash over words: each word is spread by two odd multipliers and a
// rotation (as MurmurHash3 does per block), and the result goes through MurmurHash3's fmix64
// finalizer so every input bit reaches every output bit.
class KeyHasher {
 public:
  void Add(uint64_t word) {
    state_ = std::rotl(state_ ^ (word * 0x9E3779B97F4A7C15ULL), 31) * 0xC2B2AE3D27D4EB4FULL;
  }

  uint64_t Finish() const {
    uint64_t h = state_;
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDULL;
    h ^= h >> 33;
    h *= 0xC4CEB9FE1A85EC53ULL;
    h ^= h >> 33;
    return h;
  }

 private:
  uint64_t state_ = 0x2D358DCCAA6C78A5ULL;
};

uint64_t LoadWord(const char* data, size_t size) {
  uint64_t word = 0;
  std::memcpy(&word, data, size);
  return word;
}

// Lower-cases the ASCII letters of eight ASCII bytes at once: a byte's high bit is set after
// adding 0x3F when it is >= 'A' and after adding 0x25 when it is > 'Z'; bytes below 0x80
// cannot carry into their neighbour.
uint64_t LowerAsciiWord(uint64_t word) {
  const uint64_t at_least_a = word + 0x3F3F3F3F3F3F3F3FULL;
  const uint64_t above_z = word + 0x2525252525252525ULL;
  return word | (((at_least_a & ~above_z) & kHighBits) >> 2);
}

// Hashes `text` as words; `lower` applies LowerAsciiWord to each, which gives the same hash
// as hashing the lower-cased bytes, so no folded copy is made.
void AddBytes(KeyHasher& hasher, std::string_view text, bool lower) {
  size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    const uint64_t word = LoadWord(text.data() + i, 8);
    hasher.Add(lower ? LowerAsciiWord(word) : word);
  }
  const uint64_t tail = LoadWord(text.data() + i, text.size() - i);
  hasher.Add(lower ? LowerAsciiWord(tail) : tail);
  hasher.Add(text.size());
}

bool IsAscii(std::string_view text) {
  size_t i = 0;
  uint64_t high = 0;
  for (; i + 8 <= text.size(); i += 8) high |= LoadWord(text.data() + i, 8);
  high |= LoadWord(text.data() + i, text.size() - i);
  return (high & kHighBits) == 0;
}

std::string_view StripTrailingSpaces(std::string_view text) {
  size_t end = text.size();
  while (end > 0 && text[end - 1] == ' ') --end;
  return text.substr(0, end);
}

char LowerAscii(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// Must hash exactly the bytes of collation.SortKey(text). For ASCII text the sort key is the
// text without trailing spaces (PAD SPACE), lower-cased (case-insensitive), which is hashed
// in place; only non-ASCII text under a folding collation pays for building the key.
void AddText(KeyHasher& hasher, const Collation& collation, std::string_view text) {
  if (collation.is_binary()) return AddBytes(hasher, text, false);
  std::string_view view = text;
  if (collation.pad_space) view = StripTrailingSpaces(view);
  if (!collation.case_insensitive && !collation.accent_insensitive) {
    return AddBytes(hasher, view, false);
  }
  if (IsAscii(view)) return AddBytes(hasher, view, collation.case_insensitive);
  AddBytes(hasher, collation.SortKey(text), false);
}

bool TextEquals(const Collation& collation, std::string_view a, std::string_view b) {
  if (collation.is_binary()) return a == b;
  std::string_view x = a;
  std::string_view y = b;
  if (collation.pad_space) {
    x = StripTrailingSpaces(x);
    y = StripTrailingSpaces(y);
  }
  if (!collation.case_insensitive && !collation.accent_insensitive) return x == y;
  // Accent folding is a no-op on ASCII, so two ASCII texts need at most case folding. Mixed
  // texts ('e' and 'é') may still be equal and go through the sort keys.
  if (IsAscii(x) && IsAscii(y)) {
    if (x.size() != y.size()) return false;
    if (!collation.case_insensitive) return x == y;
    for (size_t i = 0; i < x.size(); ++i) {
      if (LowerAscii(x[i]) != LowerAscii(y[i])) return false;
    }
    return true;
  }
  return collation.SortKey(a) == collation.SortKey(b);
}

void AddValue(KeyHasher& hasher, const Collation& collation, const Value& value) {
  hasher.Add(static_cast<uint64_t>(value.kind()));
  switch (value.kind()) {
    case ValueKind::kNull: break;
    case ValueKind::kInt: hasher.Add(static_cast<uint64_t>(value.int_value())); break;
    case ValueKind::kUInt:
    case ValueKind::kBit:
    case ValueKind::kSet: hasher.Add(value.uint_value()); break;
    case ValueKind::kFloat: hasher.Add(std::bit_cast<uint32_t>(value.float_value())); break;
    case ValueKind::kDouble: hasher.Add(std::bit_cast<uint64_t>(value.double_value())); break;
    case ValueKind::kYear: hasher.Add(value.year()); break;
    case ValueKind::kDate: {
      const DateValue d = value.date();
      hasher.Add(uint64_t{d.year} << 16 | uint64_t{d.month} << 8 | d.day);
      break;
    }
    case ValueKind::kTime: {
      const TimeValue t = value.time();
      hasher.Add(uint64_t{t.negative} << 63 | uint64_t{t.hours} << 48 | uint64_t{t.minutes} << 40 |
                 uint64_t{t.seconds} << 32 | t.micros);
      break;
    }
    case ValueKind::kDateTime: {
      const DateTimeValue dt = value.datetime();
      hasher.Add(uint64_t{dt.date.year} << 40 | uint64_t{dt.date.month} << 32 |
                 uint64_t{dt.date.day} << 24 | uint64_t{dt.hour} << 16 | uint64_t{dt.minute} << 8 |
                 dt.second);
      hasher.Add(dt.micros);
      break;
    }
    case ValueKind::kTimestamp: {
      const TimestampValue ts = value.timestamp();
      hasher.Add(static_cast<uint64_t>(ts.seconds));
      hasher.Add(ts.micros);
      break;
    }
    case ValueKind::kString: AddText(hasher, collation, value.bytes()); break;
    case ValueKind::kEnum:
      hasher.Add(value.enum_index());
      AddBytes(hasher, value.bytes(), false);
      break;
    case ValueKind::kGeometry:
      hasher.Add(value.srid());
      AddBytes(hasher, value.bytes(), false);
      break;
    case ValueKind::kDecimal:
    case ValueKind::kBytes:
    case ValueKind::kJson: AddBytes(hasher, value.bytes(), false); break;
  }
}

}  // namespace

uint64_t KeyHash(const TableSchema& schema, const Row& row) {
  CDC_ASSERT(schema.has_key());
  CDC_ASSERT(row.size() == schema.columns().size());
  return ColumnsHash(row, schema.key().columns, schema.key().collations);
}

uint64_t ColumnsHash(const Row& row, const std::vector<size_t>& columns,
                     const std::vector<Collation>& collations) {
  CDC_ASSERT(columns.size() == collations.size());
  KeyHasher hasher;
  for (size_t i = 0; i < columns.size(); ++i) {
    CDC_ASSERT(columns[i] < row.size());
    AddValue(hasher, collations[i], row[columns[i]]);
  }
  return hasher.Finish();
}

Collation ColumnCollation(const ColumnSchema& column) {
  return IsTextType(column.type) ? Collation::FromName(column.collation) : Collation{};
}

bool KeyEquals(const TableSchema& schema, const Row& a, const Row& b) {
  CDC_ASSERT(schema.has_key());
  const RowKeySpec& key = schema.key();
  for (size_t i = 0; i < key.columns.size(); ++i) {
    const size_t position = key.columns[i];
    CDC_ASSERT(position < a.size() && position < b.size());
    const Value& x = a[position];
    const Value& y = b[position];
    if (x.kind() == ValueKind::kString && y.kind() == ValueKind::kString) {
      if (!TextEquals(key.collations[i], x.bytes(), y.bytes())) return false;
    } else if (!(x == y)) {
      return false;
    }
  }
  return true;
}

bool KeyChanged(const RowChange& change) {
  return change.kind == ChangeKind::kUpdate && change.table && change.table->has_key() &&
         !KeyEquals(*change.table, change.before, change.after);
}

std::string KeyToString(const TableSchema& schema, const Row& row) {
  if (!schema.has_key()) return "(no key)";
  std::string out;
  for (size_t position : schema.key().columns) {
    if (!out.empty()) out += ", ";
    out += schema.columns()[position].name;
    out.push_back('=');
    out += position < row.size() ? row[position].ToString() : "?";
  }
  return out;
}

}  // namespace cdc
