// SourceFileName: the name of the source log file a change came from ("mysql-bin.000003"), as
// every row change carries it in its SourcePosition.
//
// Names are interned (schema/interned_text.h): a binlog adds one name per rotation, so the
// table stays small, while each of the millions of row changes read from a file carries its
// name by pointer. Copying, comparing and destroying a name touch no heap and
// no shared counter (a reference count shared by every row of a file would bounce its cache
// line between the source and sink threads on every change).
//
// A plain value type; thread-safe (interning locks the table; a name, once made, is immutable).
#pragma once

#include <compare>
#include <string>
#include <string_view>

namespace cdc {

class SourceFileName {
 public:
  SourceFileName();  // the empty name
  // Interns `name` (implicit, so a name is written like a string).
  SourceFileName(std::string_view name);  // NOLINT(google-explicit-constructor)
  SourceFileName(const std::string& name) : SourceFileName(std::string_view(name)) {}  // NOLINT
  SourceFileName(const char* name) : SourceFileName(std::string_view(name)) {}         // NOLINT

  const std::string& str() const { return *name_; }
  operator const std::string&() const { return *name_; }  // NOLINT(google-explicit-constructor)
  bool empty() const { return name_->empty(); }
  size_t size() const { return name_->size(); }

  // Equal names are one interned string; names order as their text.
  friend bool operator==(const SourceFileName& a, const SourceFileName& b) {
    return a.name_ == b.name_;
  }
  friend std::strong_ordering operator<=>(const SourceFileName& a, const SourceFileName& b) {
    return *a.name_ <=> *b.name_;
  }

 private:
  const std::string* name_;
};

}  // namespace cdc
