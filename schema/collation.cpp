#include "schema/collation.h"

#include <array>
#include <vector>

#include "runtime/ascii.h"

namespace cdc {

namespace {

std::string_view StripTrailingSpaces(std::string_view text) {
  size_t end = text.size();
  while (end > 0 && text[end - 1] == ' ') --end;
  return text.substr(0, end);
}

// Base letters of U+00C0..U+00FF; '?' marks letters with no ASCII base (Æ, ×, Þ, ß, æ, ÷, þ).
// Ð and Ø fold to D and O as utf8mb4_general_ci does.
constexpr std::string_view kLatin1Base =
    "AAAAAA?CEEEEIIIIDNOOOOO?OUUUUY??"
    "aaaaaa?ceeeeiiiidnooooo?ouuuuy?y";

// Base letters of U+0100..U+017F (Latin Extended-A); '?' for Ĳ, ĸ, ŉ, Ŋ, Œ and their pairs.
constexpr std::string_view kLatinExtABase =
    "AaAaAaCcCcCcCcDd"   // 0100
    "DdEeEeEeEeEeGgGg"   // 0110
    "GgGgHhHhIiIiIiIi"   // 0120
    "Ii??JjKk?LlLlLlL"   // 0130
    "lLlNnNnNn???OoOo"   // 0140
    "Oo??RrRrRrSsSsSs"   // 0150
    "SsTtTtTtUuUuUuUu"   // 0160
    "UuUuWwYyYZzZzZzs";  // 0170

static_assert(kLatin1Base.size() == 0x40);
static_assert(kLatinExtABase.size() == 0x80);

char32_t StripAccent(char32_t cp) {
  char base = '?';
  if (cp >= 0xC0 && cp <= 0xFF) {
    base = kLatin1Base[cp - 0xC0];
  } else if (cp >= 0x100 && cp <= 0x17F) {
    base = kLatinExtABase[cp - 0x100];
  }
  return base == '?' ? cp : static_cast<char32_t>(base);
}

// Upper case to lower case for the scripts the collation rules cover.
char32_t FoldCase(char32_t cp) {
  if (cp < 0x80) return (cp >= 'A' && cp <= 'Z') ? cp + 0x20 : cp;
  if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 0x20;
  if (cp >= 0x100 && cp <= 0x17F) {
    // Latin Extended-A pairs upper/lower as even/odd, except two runs that pair odd/even and a
    // few letters with no pair inside the block.
    if (cp == 0x130) return 'i';
    if (cp == 0x178) return 0xFF;
    const bool even_upper =
        cp <= 0x12F || (cp >= 0x132 && cp <= 0x137) || (cp >= 0x14A && cp <= 0x177);
    const bool odd_upper = (cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E);
    if (even_upper && cp % 2 == 0) return cp + 1;
    if (odd_upper && cp % 2 == 1) return cp + 1;
    return cp;
  }
  if (cp >= 0x391 && cp <= 0x3A9 && cp != 0x3A2) return cp + 0x20;
  if (cp == 0x3C2) return 0x3C3;  // final sigma is sigma
  if (cp >= 0x410 && cp <= 0x42F) return cp + 0x20;
  if (cp >= 0x400 && cp <= 0x40F) return cp + 0x50;
  return cp;
}

void AppendUtf8(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Decodes one code point at `pos`, advancing it; false on malformed UTF-8 (truncated,
// overlong, surrogate or above U+10FFFF), so such text is never folded into a false match.
bool DecodeUtf8(std::string_view text, size_t& pos, char32_t& cp) {
  const auto lead = static_cast<unsigned char>(text[pos]);
  size_t length = 0;
  char32_t min = 0;
  if (lead < 0x80) {
    cp = lead;
    ++pos;
    return true;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2, min = 0x80, cp = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, min = 0x800, cp = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, min = 0x10000, cp = lead & 0x07;
  } else {
    return false;
  }
  if (text.size() - pos < length) return false;
  for (size_t i = 1; i < length; ++i) {
    const auto next = static_cast<unsigned char>(text[pos + i]);
    if ((next & 0xC0) != 0x80) return false;
    cp = (cp << 6) | (next & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
  pos += length;
  return true;
}

// MySQL's latin1 is Windows-1252; its letters in 0x80..0x9F that have a case partner are
// mapped to their Unicode code points, every other byte is its own code point.
char32_t Latin1CodePoint(unsigned char byte) {
  switch (byte) {
    case 0x8A: return 0x160;  // Š
    case 0x8C: return 0x152;  // Œ
    case 0x8E: return 0x17D;  // Ž
    case 0x9A: return 0x161;  // š
    case 0x9C: return 0x153;  // œ
    case 0x9E: return 0x17E;  // ž
    case 0x9F: return 0x178;  // Ÿ
    default: return byte;
  }
}

struct KnownCollation {
  uint16_t id;
  std::string_view name;
};

constexpr std::array<KnownCollation, 20> kKnownCollations = {{
    {5, "latin1_german1_ci"},
    {8, "latin1_swedish_ci"},
    {11, "ascii_general_ci"},
    {31, "latin1_german2_ci"},
    {33, "utf8mb3_general_ci"},
    {45, "utf8mb4_general_ci"},
    {46, "utf8mb4_bin"},
    {47, "latin1_bin"},
    {48, "latin1_general_ci"},
    {49, "latin1_general_cs"},
    {63, "binary"},
    {65, "ascii_bin"},
    {83, "utf8mb3_bin"},
    {192, "utf8mb3_unicode_ci"},
    {224, "utf8mb4_unicode_ci"},
    {246, "utf8mb4_unicode_520_ci"},
    {255, "utf8mb4_0900_ai_ci"},
    {278, "utf8mb4_0900_as_cs"},
    {305, "utf8mb4_0900_as_ci"},
    {309, "utf8mb4_0900_bin"},
}};

}  // namespace

Collation Collation::FromName(std::string_view name) {
  Collation collation;
  collation.name = AsciiLower(name);
  if (collation.name.empty() || collation.name == "binary") return collation;

  // The name's underscore-separated words carry the rules ("utf8mb4", "0900", "ai", "ci").
  std::vector<std::string_view> words;
  std::string_view rest = collation.name;
  while (true) {
    const size_t underscore = rest.find('_');
    words.push_back(rest.substr(0, underscore));
    if (underscore == std::string_view::npos) break;
    rest.remove_prefix(underscore + 1);
  }
  auto has_word = [&words](std::string_view word) {
    for (std::string_view w : words) {
      if (w == word) return true;
    }
    return false;
  };

  collation.pad_space = !has_word("0900") && !has_word("nopad");
  if (words.back() == "ci") {
    collation.case_insensitive = true;
    collation.accent_insensitive = !has_word("as");
  } else if (words.back() != "bin" && has_word("ai")) {
    // MariaDB's "_ai_cs": accents ignored, case kept.
    collation.accent_insensitive = true;
  }
  return collation;
}

std::string Collation::SortKey(std::string_view text) const {
  if (pad_space) text = StripTrailingSpaces(text);
  if (!case_insensitive && !accent_insensitive) return std::string(text);

  auto fold = [this](char32_t cp) {
    if (accent_insensitive) cp = StripAccent(cp);
    if (case_insensitive) cp = FoldCase(cp);
    return cp;
  };
  std::string key;
  key.reserve(text.size());
  // A latin1 column's bytes are Latin-1, never UTF-8 (Value holds text in the column's
  // character set), so they are read byte by byte; ASCII reads the same either way.
  if (name.starts_with("latin1_")) {
    for (char c : text) AppendUtf8(fold(Latin1CodePoint(static_cast<unsigned char>(c))), key);
    return key;
  }
  size_t pos = 0;
  while (pos < text.size()) {
    char32_t cp = 0;
    if (!DecodeUtf8(text, pos, cp)) return std::string(text);
    AppendUtf8(fold(cp), key);
  }
  return key;
}

std::string_view CollationNameById(uint16_t id) {
  // Looked up for every text value a sink writes: by index, not by scanning the list.
  static const auto kById = [] {
    std::array<std::string_view, 512> by_id{};
    for (const KnownCollation& known : kKnownCollations) {
      if (known.id < by_id.size()) by_id[known.id] = known.name;
    }
    return by_id;
  }();
  if (id < kById.size()) return kById[id];
  for (const KnownCollation& known : kKnownCollations) {
    if (known.id == id) return known.name;
  }
  return {};
}

uint16_t CollationIdByName(std::string_view name) {
  std::string lower = AsciiLower(name);
  // MariaDB and MySQL before 8.0.30 call utf8mb3 "utf8".
  if (lower.starts_with("utf8_")) lower.insert(4, "mb3");
  for (const KnownCollation& known : kKnownCollations) {
    if (known.name == lower) return known.id;
  }
  return 0;
}

}  // namespace cdc
