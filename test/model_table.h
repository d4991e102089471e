// ModelTarget: an in-memory target that applies row changes strictly, as a database with the
// table's key would: an insert needs the key absent, an update and a delete need the key
// present with exactly the before-image. Any violation is recorded, so tests catch changes
// applied out of order. Thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "schema/row_change.h"

namespace cdc::testing {

class ModelTarget {
 public:
  void Apply(const RowChange& change) {
    std::lock_guard lock(mu_);
    ApplyLocked(change);
  }

  std::map<std::string, std::string> rows() const {
    std::lock_guard lock(mu_);
    return rows_;
  }
  std::vector<std::string> violations() const {
    std::lock_guard lock(mu_);
    return violations_;
  }
  size_t applied() const {
    std::lock_guard lock(mu_);
    return applied_;
  }

 private:
  static std::string KeyOf(const TableSchema& schema, const Row& row) {
    std::string key = schema.id().ToString();
    for (size_t column : schema.key().columns) key += "|" + row[column].ToString();
    return key;
  }
  static std::string Image(const Row& row) {
    std::string text;
    for (const Value& value : row) text += value.ToString() + ",";
    return text;
  }

  void ApplyLocked(const RowChange& change) {
    ++applied_;
    const TableSchema& schema = *change.table;
    if (change.kind == ChangeKind::kTruncate) {
      std::string prefix = schema.id().ToString() + "|";
      for (auto it = rows_.lower_bound(prefix);
           it != rows_.end() && it->first.starts_with(prefix);) {
        it = rows_.erase(it);
      }
      return;
    }
    std::string key = KeyOf(schema, change.image());
    auto it = rows_.find(key);
    switch (change.kind) {
      case ChangeKind::kInsert:
        if (it != rows_.end()) violations_.push_back("insert of existing " + key);
        rows_[key] = Image(change.after);
        return;
      case ChangeKind::kUpdate: {
        std::string before_key = KeyOf(schema, change.before);
        auto before = rows_.find(before_key);
        if (before == rows_.end() || before->second != Image(change.before)) {
          violations_.push_back("update of missing or different " + before_key);
        }
        if (before != rows_.end()) rows_.erase(before);
        rows_[key] = Image(change.after);
        return;
      }
      case ChangeKind::kDelete:
        if (it == rows_.end() || it->second != Image(change.before)) {
          violations_.push_back("delete of missing or different " + key);
        }
        if (it != rows_.end()) rows_.erase(it);
        return;
      case ChangeKind::kTruncate:
      case ChangeKind::kSchemaChange:
        return;  // truncates are handled above; schema changes change no row
    }
  }

  mutable std::mutex mu_;  // guards everything below
  std::map<std::string, std::string> rows_;
  std::vector<std::string> violations_;
  size_t applied_ = 0;
};

}  // namespace cdc::testing
