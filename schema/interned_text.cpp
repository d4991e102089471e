#include "schema/interned_text.h"

#include <mutex>
#include <unordered_set>

namespace cdc {
namespace {

// Node-based, so an interned string never moves.
struct TextTable {
  std::mutex mutex;  // guards texts
  std::unordered_set<std::string> texts;
};

TextTable& Texts() {
  static TextTable* table = new TextTable();  // never destroyed: texts outlive static teardown
  return *table;
}

}  // namespace

const std::string& InternText(std::string_view text) {
  TextTable& table = Texts();
  std::lock_guard lock(table.mutex);
  return *table.texts.emplace(text).first;
}

}  // namespace cdc
