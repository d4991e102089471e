// Collation: how a MySQL collation compares text, reduced to what key equality needs.
//
// Rules are derived from the collation's name, so every MySQL and MariaDB collation is
// understood without a table: "_bin" and "binary" compare bytes; "_ci" ignores case and, unless
// the name says "_as", accents; "_cs" / "_as_cs" compare exactly; MySQL 8's "_0900_" and
// MariaDB's "_nopad_" collations are NO PAD, the others ignore trailing spaces (PAD SPACE).
// Immutable and thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace cdc {

struct Collation {
  std::string name;  // "utf8mb4_general_ci"; empty for non-text columns
  bool case_insensitive = false;
  bool accent_insensitive = false;
  bool pad_space = false;  // trailing spaces are not significant

  // Rules for `name` (case-insensitive match on the name). An empty name is binary.
  static Collation FromName(std::string_view name);

  // The bytes that compare equal exactly when two texts are equal under this collation:
  // folds case (ASCII, Latin-1 and Latin Extended-A, Greek and Cyrillic basic letters) and
  // accents (Latin-1 and Latin Extended-A letters to their base letter) as the rules say and
  // strips trailing spaces under PAD SPACE. Text that is not valid UTF-8 is compared as bytes.
  // Under a "latin1_" collation the text is read as Latin-1 (MySQL's cp1252), one byte a letter.
  std::string SortKey(std::string_view text) const;

  // True when SortKey is the identity (byte comparison).
  bool is_binary() const { return !case_insensitive && !accent_insensitive && !pad_space; }
};

// The name of MySQL's collation number `id` for the common collations (utf8mb4, utf8mb3,
// latin1, ascii, binary and their _bin variants); empty when not known.
std::string_view CollationNameById(uint16_t id);
// The number of collation `name`, or 0 when not known.
uint16_t CollationIdByName(std::string_view name);

}  // namespace cdc
