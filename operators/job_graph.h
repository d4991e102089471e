// JobGraph: the logical plan a Job is built into: vertices (a source, an operator chain or a
// sink, each with a parallelism) and the edges between them with their partitioning. The
// DataStream API writes it; JobExecution instantiates it. Plain data, not thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "operators/flush_policy.h"
#include "operators/operator.h"
#include "operators/source.h"
#include "operators/table_writer.h"
#include "runtime/partitioning.h"

namespace cdc {

enum class VertexKind : uint8_t { kSource, kOperator, kSink };

struct EdgeSpec {
  size_t from_vertex = 0;
  size_t from_position = 0;  // the tap: output of the first N chained operators
  size_t to_vertex = 0;
  Partitioning partitioning = Partitioning::kForward;
};

struct ChainedOperator {
  std::string name;
  OperatorFactory factory;
};

struct VertexSpec {
  VertexKind kind = VertexKind::kOperator;
  std::string name;
  size_t parallelism = 1;
  SourceFactory source;                         // kSource
  std::vector<ChainedOperator> chain;           // kSource and kOperator
  std::shared_ptr<TableWriterFactory> writers;  // kSink
  FlushPolicy flush_policy;                     // kSink
};

struct JobGraph {
  std::vector<VertexSpec> vertices;
  std::vector<EdgeSpec> edges;

  // InvalidArgument naming the vertex and the fix: no source, no sink, a stream that leads
  // nowhere, a forward edge between different parallelisms, a zero parallelism, a sink
  // without writers or with an invalid flush policy.
  Status Validate() const;
};

}  // namespace cdc
