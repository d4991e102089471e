#include "operators/table_route.h"

#include <fmt/format.h>

#include "runtime/logger.h"
#include "runtime/regex_pattern.h"

namespace cdc {

Result<TableRouter> TableRouter::Make(std::vector<RouteRule> rules) {
  TableRouter router;
  for (size_t i = 0; i < rules.size(); ++i) {
    RouteRule& rule = rules[i];
    auto pattern = RegexPattern::Compile(rule.source_table);
    if (!pattern.ok()) {
      return Status::InvalidArgument(
          fmt::format("route rule {}: source-table '{}' is not a valid regular expression ({})",
                      i + 1, rule.source_table, pattern.status().message()));
    }
    Compiled compiled{RouteRule(), std::move(pattern).value()};
    size_t dot = rule.sink_table.find('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == rule.sink_table.size()) {
      return Status::InvalidArgument(fmt::format(
          "route rule {}: sink-table '{}' must name database.table", i + 1, rule.sink_table));
    }
    compiled.rule = std::move(rule);
    router.rules_.push_back(std::move(compiled));
  }
  return router;
}

TableId TableRouter::Route(const TableId& source) const {
  std::string name = source.database + "." + source.table;
  for (const Compiled& compiled : rules_) {
    if (!compiled.pattern.FullMatch(name)) continue;
    std::string sink = compiled.rule.sink_table;
    const std::string& symbol = compiled.rule.replace_symbol;
    if (!symbol.empty()) {
      for (size_t at = sink.find(symbol); at != std::string::npos;
           at = sink.find(symbol, at + source.table.size())) {
        sink.replace(at, symbol.size(), source.table);
      }
    }
    size_t dot = sink.find('.');
    return TableId{sink.substr(0, dot), sink.substr(dot + 1)};
  }
  return source;
}

bool TableRouter::Merges(const TableId& source) const {
  std::string name = source.database + "." + source.table;
  for (const Compiled& compiled : rules_) {
    if (compiled.pattern.FullMatch(name)) return compiled.rule.replace_symbol.empty();
  }
  return false;
}

Result<TableSchemaPtr> RouteOperator::RoutedSchema(const TableSchema& source) {
  auto found = routed_.find(&source);
  if (found == routed_.end()) {
    TableId sink = router_->Route(source.id());
    Routed routed{source.shared_from_this(), source.shared_from_this()};
    if (sink != source.id()) routed.sink = source.WithId(sink);
    found = routed_.emplace(&source, std::move(routed)).first;
  }
  return found->second.sink;
}

Status RouteOperator::Process(RowChange&& change, Output& out) {
  if (change.kind == ChangeKind::kSchemaChange && change.schema_change != nullptr) {
    return RouteSchemaChange(std::move(change), out);
  }
  auto routed = RoutedSchema(*change.table);
  if (!routed.ok()) return routed.status();
  change.table = routed->get();
  return out.Emit(std::move(change));
}

Status RouteOperator::RouteSchemaChange(RowChange&& change, Output& out) {
  // The source emits one copy per table of the change, one after another: route the change
  // once, at its first copy, and emit one copy per sink table.
  if (change.schema_change == last_change_) return Status::Ok();
  last_change_ = change.schema_change;
  const SchemaChange& source = *change.schema_change;
  SchemaChange routed = source;
  auto route = [&](TableSchemaPtr& schema) -> Status {
    if (schema == nullptr) return Status::Ok();
    auto sink = RoutedSchema(*schema);
    if (!sink.ok()) return sink.status();
    schema = *sink;
    return Status::Ok();
  };
  CDC_RETURN_IF_ERROR(route(routed.before));
  CDC_RETURN_IF_ERROR(route(routed.after));
  routed.renames.clear();
  for (TableRenameStep step : source.renames) {
    CDC_RETURN_IF_ERROR(route(step.from));
    CDC_RETURN_IF_ERROR(route(step.to));
    if (step.from->id() != step.to->id()) routed.renames.push_back(std::move(step));
  }
  if (source.kind == SchemaChangeKind::kRenameTable && routed.renames.empty()) return Status::Ok();
  if (source.kind == SchemaChangeKind::kDropTable && router_->Merges(source.before->id())) {
    Log(LogLevel::kInfo, "route",
        fmt::format("{} merges into {} with other tables: its drop is not passed on",
                    source.before->id().ToString(), routed.before->id().ToString()));
    return Status::Ok();
  }
  auto shared = std::make_shared<const SchemaChange>(std::move(routed));
  for (RowChange& barrier : SchemaChangeBarriers(shared, change.position, change.commit_time_us,
                                                 change.transaction_id)) {
    CDC_RETURN_IF_ERROR(out.Emit(std::move(barrier)));
  }
  return Status::Ok();
}

OperatorFactory RouteOperator::Factory(std::shared_ptr<const TableRouter> router) {
  return [router = std::move(router)](const SubtaskInfo&) {
    return std::make_unique<RouteOperator>(router);
  };
}

}  // namespace cdc
