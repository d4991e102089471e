#include "operators/table_transform.h"

#include <fmt/format.h>

#include <algorithm>

#include "runtime/ascii.h"
#include "runtime/logger.h"
#include "runtime/regex_pattern.h"
#include "schema/schema_projection.h"

namespace cdc {
namespace {

std::string ColumnList(const TableSchema& schema) {
  std::string names;
  for (const ColumnSchema& column : schema.columns()) {
    names += (names.empty() ? "" : ", ") + column.name;
  }
  return names;
}

}  // namespace

Result<TableTransformer> TableTransformer::Make(std::vector<TransformRule> rules) {
  TableTransformer transformer;
  for (size_t i = 0; i < rules.size(); ++i) {
    TransformRule& rule = rules[i];
    auto pattern = RegexPattern::Compile(rule.source_table);
    if (!pattern.ok()) {
      return Status::InvalidArgument(
          fmt::format("transform rule {}: source-table '{}' is not a valid regular expression ({})",
                      i + 1, rule.source_table, pattern.status().message()));
    }
    Compiled compiled{TransformRule(), std::move(pattern).value(), std::nullopt};
    for (size_t c = 0; c < rule.projection.size(); ++c) {
      const std::string& name = rule.projection[c];
      if (name.empty()) {
        return Status::InvalidArgument(
            fmt::format("transform rule {}: projection item {} is empty", i + 1, c + 1));
      }
      for (size_t d = 0; d < c; ++d) {
        if (AsciiLower(rule.projection[d]) != AsciiLower(name)) continue;
        return Status::InvalidArgument(
            fmt::format("transform rule {}: the projection names column '{}' twice", i + 1, name));
      }
    }
    if (!rule.filter.empty()) {
      auto filter = RowFilter::Parse(rule.filter);
      if (!filter.ok()) {
        return filter.status().WithContext(fmt::format("transform rule {}", i + 1));
      }
      compiled.filter = std::move(filter).value();
    }
    compiled.rule = std::move(rule);
    transformer.rules_.push_back(std::move(compiled));
  }
  return transformer;
}

Result<TableTransform> TableTransformer::Resolve(const TableSchema& source) const {
  TableTransform transform;
  transform.source = source.shared_from_this();
  transform.output = transform.source;
  const std::string name = source.id().database + "." + source.id().table;
  auto match = std::find_if(rules_.begin(), rules_.end(), [&](const Compiled& compiled) {
    return compiled.pattern.FullMatch(name);
  });
  if (match == rules_.end()) return transform;
  transform.rule = static_cast<size_t>(match - rules_.begin()) + 1;
  const std::string context =
      fmt::format("transform rule {} on table {}", transform.rule, source.id().ToString());

  if (match->filter) {
    auto bound = match->filter->Bind(source);
    if (!bound.ok()) return bound.status().WithContext(context);
    transform.filter = std::move(bound).value();
  }
  if (match->rule.projection.empty()) return transform;
  for (const std::string& column : match->rule.projection) {
    auto position = source.FindColumn(column);
    if (!position) {
      return Status::InvalidArgument(
          fmt::format("{}: the projection names unknown column '{}'; the table's columns are {}",
                      context, column, ColumnList(source)));
    }
    transform.projection.push_back(*position);
  }
  auto output = ProjectSchema(source, transform.projection, context);
  if (!output.ok()) return output.status();
  transform.output = std::move(output).value();
  return transform;
}

Status TransformOperator::Process(RowChange&& change, Output& out) {
  auto found = transforms_.find(change.table);
  if (found == transforms_.end()) {
    auto transform = transformer_->Resolve(*change.table);
    if (!transform.ok()) return transform.status();
    found = transforms_.emplace(change.table, std::move(transform).value()).first;
  }
  const TableTransform& transform = found->second;

  if (change.kind == ChangeKind::kSchemaChange) {
    // The projection fixes the target's columns: only a drop reaches it.
    if (!transform.projection.empty() && change.schema_change != nullptr &&
        change.schema_change->kind != SchemaChangeKind::kDropTable) {
      Log(LogLevel::kInfo, "transform",
          fmt::format("rule {} projects {}: its schema change is not passed on: {}", transform.rule,
                      change.table->id().ToString(), change.schema_change->statement));
      return Status::Ok();
    }
    return out.Emit(std::move(change));
  }
  if (transform.filter && change.kind != ChangeKind::kTruncate) {
    auto matches = [&](const Row& row) -> Result<bool> {
      auto result = transform.filter->Matches(row);
      if (!result.ok()) {
        return result.status().WithContext(
            fmt::format("transform rule {} on {} at {}", transform.rule,
                        change.table->id().ToString(), change.position.ToString()));
      }
      return result;
    };
    bool before = false, after = false;
    if (change.kind != ChangeKind::kInsert) {
      auto m = matches(change.before);
      if (!m.ok()) return m.status();
      before = *m;
    }
    if (change.kind != ChangeKind::kDelete) {
      auto m = matches(change.after);
      if (!m.ok()) return m.status();
      after = *m;
    }
    if (!before && !after) return Status::Ok();
    if (change.kind == ChangeKind::kUpdate && !after) {  // left the filter: remove it
      change.kind = ChangeKind::kDelete;
      change.after.clear();
    } else if (change.kind == ChangeKind::kUpdate && !before) {  // entered the filter
      change.kind = ChangeKind::kInsert;
      change.before.clear();
    }
  }

  if (!transform.projection.empty()) {
    const size_t width = transform.source->columns().size();
    for (Row* image : {&change.before, &change.after}) {
      if (image->empty()) continue;
      if (image->size() != width) {
        return Status::InvalidArgument(fmt::format(
            "transform rule {} on {} at {}: the row has {} values but the table {} columns",
            transform.rule, change.table->id().ToString(), change.position.ToString(),
            image->size(), width));
      }
      *image = Project(std::move(*image), transform.projection);
    }
  }
  change.table = transform.output.get();
  return out.Emit(std::move(change));
}

OperatorFactory TransformOperator::Factory(std::shared_ptr<const TableTransformer> transformer) {
  return [transformer = std::move(transformer)](const SubtaskInfo&) {
    return std::make_unique<TransformOperator>(transformer);
  };
}

}  // namespace cdc
