#include "schema/source_file_name.h"

#include "schema/interned_text.h"

namespace cdc {

SourceFileName::SourceFileName() {
  static const std::string* const empty = &InternText("");
  name_ = empty;
}

SourceFileName::SourceFileName(std::string_view name) : name_(&InternText(name)) {}

}  // namespace cdc
