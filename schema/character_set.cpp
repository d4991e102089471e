#include "schema/character_set.h"

#include <array>

#include "runtime/ascii.h"

namespace cdc {

namespace {

struct CharsetInfo {
  std::string_view name;
  std::string_view default_collation;
  uint32_t max_bytes;
};

// MariaDB 10.11's SHOW CHARACTER SET, plus MySQL's gb18030.
constexpr std::array<CharsetInfo, 41> kCharsets = {{
    {"armscii8", "armscii8_general_ci", 1}, {"ascii", "ascii_general_ci", 1},
    {"big5", "big5_chinese_ci", 2},         {"binary", "binary", 1},
    {"cp1250", "cp1250_general_ci", 1},     {"cp1251", "cp1251_general_ci", 1},
    {"cp1256", "cp1256_general_ci", 1},     {"cp1257", "cp1257_general_ci", 1},
    {"cp850", "cp850_general_ci", 1},       {"cp852", "cp852_general_ci", 1},
    {"cp866", "cp866_general_ci", 1},       {"cp932", "cp932_japanese_ci", 2},
    {"dec8", "dec8_swedish_ci", 1},         {"eucjpms", "eucjpms_japanese_ci", 3},
    {"euckr", "euckr_korean_ci", 2},        {"gb18030", "gb18030_chinese_ci", 4},
    {"gb2312", "gb2312_chinese_ci", 2},     {"gbk", "gbk_chinese_ci", 2},
    {"geostd8", "geostd8_general_ci", 1},   {"greek", "greek_general_ci", 1},
    {"hebrew", "hebrew_general_ci", 1},     {"hp8", "hp8_english_ci", 1},
    {"keybcs2", "keybcs2_general_ci", 1},   {"koi8r", "koi8r_general_ci", 1},
    {"koi8u", "koi8u_general_ci", 1},       {"latin1", "latin1_swedish_ci", 1},
    {"latin2", "latin2_general_ci", 1},     {"latin5", "latin5_turkish_ci", 1},
    {"latin7", "latin7_general_ci", 1},     {"macce", "macce_general_ci", 1},
    {"macroman", "macroman_general_ci", 1}, {"sjis", "sjis_japanese_ci", 2},
    {"swe7", "swe7_swedish_ci", 1},         {"tis620", "tis620_thai_ci", 1},
    {"ucs2", "ucs2_general_ci", 2},         {"ujis", "ujis_japanese_ci", 3},
    {"utf16", "utf16_general_ci", 4},       {"utf16le", "utf16le_general_ci", 4},
    {"utf32", "utf32_general_ci", 4},       {"utf8mb3", "utf8mb3_general_ci", 3},
    {"utf8mb4", "utf8mb4_general_ci", 4},
}};

const CharsetInfo* FindCharset(std::string_view charset) {
  const std::string name = CanonicalCharsetName(charset);
  for (const CharsetInfo& info : kCharsets) {
    if (info.name == name) return &info;
  }
  return nullptr;
}

}  // namespace

std::string CanonicalCharsetName(std::string_view charset) {
  std::string name = AsciiLower(charset);
  if (name == "utf8") name = "utf8mb3";
  return name;
}

std::string CanonicalCollationName(std::string_view collation) {
  std::string name = AsciiLower(collation);
  if (name.starts_with("utf8_")) name.insert(4, "mb3");
  return name;
}

std::string DefaultCollationOfCharset(std::string_view charset) {
  const CharsetInfo* info = FindCharset(charset);
  return info == nullptr ? std::string() : std::string(info->default_collation);
}

std::string CharsetOfCollation(std::string_view collation) {
  const std::string name = CanonicalCollationName(collation);
  return name.substr(0, name.find('_'));
}

std::string BinCollationOfCharset(std::string_view charset) {
  const std::string name = CanonicalCharsetName(charset);
  return name == "binary" ? name : name + "_bin";
}

uint32_t MaxBytesPerCharacter(std::string_view charset) {
  const CharsetInfo* info = FindCharset(charset);
  return info == nullptr ? 1 : info->max_bytes;
}

}  // namespace cdc
