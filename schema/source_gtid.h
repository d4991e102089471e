// SourceGtid: the GTID of the source transaction a change came from, as every row change
// carries it in its SourcePosition: MariaDB's "domain-server-sequence" ("0-1-42") or MySQL's
// "uuid:number".
//
// The part before the number ("0-1-", "3e11fa47-...:") is interned (schema/interned_text.h):
// there is one per replication domain and server, or per MySQL source. The number is kept
// inline, so copying, comparing and destroying a GTID touch no heap (a GTID of 16 characters or
// more, as every MySQL one, was a heap copy per row). Other text is kept whole, interned.
//
// A plain value type; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace cdc {

class SourceGtid {
 public:
  SourceGtid() = default;  // none
  // Parses `text` (implicit, so a GTID is written like a string). With `like`, a GTID whose
  // prefix is like's takes like's interned prefix without touching the table (the decoder
  // passes its previous transaction's).
  SourceGtid(std::string_view text, const SourceGtid& like);
  SourceGtid(std::string_view text) : SourceGtid(text, SourceGtid()) {}        // NOLINT
  SourceGtid(const std::string& text) : SourceGtid(std::string_view(text)) {}  // NOLINT
  SourceGtid(const char* text) : SourceGtid(std::string_view(text)) {}         // NOLINT

  bool empty() const { return prefix_ == nullptr; }
  // The text before the number ("0-1-", "uuid:"; the whole text when it has no number) and the
  // number (0 without one).
  std::string_view prefix() const {
    return prefix_ != nullptr ? std::string_view(*prefix_) : std::string_view();
  }
  bool numbered() const { return numbered_; }
  uint64_t sequence() const { return sequence_; }
  // "0-1-42", "uuid:42"; "" for none.
  std::string str() const;

  friend bool operator==(const SourceGtid& a, const SourceGtid& b) {
    return a.prefix_ == b.prefix_ && a.sequence_ == b.sequence_ && a.numbered_ == b.numbered_;
  }

 private:
  const std::string* prefix_ = nullptr;  // interned; the whole text when not numbered
  uint64_t sequence_ = 0;
  bool numbered_ = false;  // the text ends in a number after '-' or ':'
};

}  // namespace cdc
