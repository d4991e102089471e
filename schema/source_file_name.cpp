#include "schema/source_file_name.h"

#include <mutex>
#include <unordered_set>

namespace cdc {
namespace {

// Node-based, so an interned string never moves; never freed, so a name outlives every change.
struct NameTable {
  std::mutex mutex;  // guards names
  std::unordered_set<std::string> names;
};

NameTable& Names() {
  static NameTable* table = new NameTable();  // never destroyed: names outlive static teardown
  return *table;
}

const std::string* Intern(std::string_view name) {
  NameTable& table = Names();
  std::lock_guard lock(table.mutex);
  return &*table.names.emplace(name).first;
}

}  // namespace

SourceFileName::SourceFileName() {
  static const std::string* const empty = Intern("");
  name_ = empty;
}

SourceFileName::SourceFileName(std::string_view name) : name_(Intern(name)) {}

}  // namespace cdc
