#include "operators/table_route.h"

#include <fmt/format.h>

#include "runtime/regex_pattern.h"

namespace cdc {

Result<TableRouter> TableRouter::Make(std::vector<RouteRule> rules) {
  TableRouter router;
  for (size_t i = 0; i < rules.size(); ++i) {
    RouteRule& rule = rules[i];
    auto pattern = CompileRegex(rule.source_table);
    if (!pattern.ok()) {
      return Status::InvalidArgument(fmt::format(
          "route rule {}: source-table '{}' is not a valid regular expression ({})", i + 1,
          rule.source_table, pattern.status().message()));
    }
    Compiled compiled;
    compiled.pattern = std::move(pattern).value();
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
    if (!std::regex_match(name, compiled.pattern)) continue;
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

Status RouteOperator::Process(RowChange&& change, Output& out) {
  auto found = routed_.find(change.table);
  if (found == routed_.end()) {
    const TableSchema& source = *change.table;
    TableId sink = router_->Route(source.id());
    Routed routed{source.shared_from_this(), source.shared_from_this()};
    if (sink != source.id()) {
      auto schema = TableSchema::Make(sink, source.columns(), source.primary_key(), source.unique_keys());
      if (!schema.ok()) return schema.status().WithContext("routing " + source.id().ToString());
      routed.sink = std::move(schema).value();
    }
    found = routed_.emplace(change.table, std::move(routed)).first;
  }
  change.table = found->second.sink.get();
  return out.Emit(std::move(change));
}

OperatorFactory RouteOperator::Factory(std::shared_ptr<const TableRouter> router) {
  return [router](const SubtaskInfo&) { return std::make_unique<RouteOperator>(router); };
}

}  // namespace cdc
