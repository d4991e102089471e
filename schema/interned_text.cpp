#include "schema/interned_text.h"

#include <functional>
#include <mutex>
#include <unordered_set>

namespace cdc {
namespace {

// Looks texts up by std::string_view, without making a std::string.
struct TextHash {
  using is_transparent = void;
  size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
};

// Node-based, so an interned string never moves.
struct TextTable {
  std::mutex mutex;  // guards texts
  std::unordered_set<std::string, TextHash, std::equal_to<>> texts;
};

TextTable& Texts() {
  static TextTable* table = new TextTable();  // never destroyed: texts outlive static teardown
  return *table;
}

}  // namespace

const std::string& InternText(std::string_view text) {
  TextTable& table = Texts();
  std::lock_guard lock(table.mutex);
  if (auto found = table.texts.find(text); found != table.texts.end()) return *found;
  return *table.texts.emplace(text).first;
}

}  // namespace cdc
