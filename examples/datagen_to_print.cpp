// A complete job written against the operator API: generated changes for three tables, with
// deletes filtered out, keyed by primary key over two sink subtasks, buffered per table and
// printed. Copy this file to start your own job.
//
//   build/examples/datagen-to-print [changes] [parallelism]
#include <iostream>
#include <memory>
#include <optional>

#include "connectors/datagen/datagen_source.h"
#include "connectors/print/print_sink.h"
#include "operators/job.h"
#include "runtime/ascii.h"

int main(int argc, char** argv) {
  std::optional<uint64_t> changes = argc > 1 ? cdc::ParseDecimal(argv[1]) : 20;
  std::optional<uint64_t> parallelism = argc > 2 ? cdc::ParseDecimal(argv[2]) : 2;
  if (!changes || !parallelism || *parallelism == 0 || *parallelism > 256) {
    std::cerr << "usage: datagen-to-print [changes=20] [parallelism=2]: changes is a whole "
                 "number, parallelism one from 1 to 256\n";
    return 2;
  }

  cdc::DatagenOptions datagen;
  datagen.tables = 3;
  datagen.key_space = 10;
  datagen.count = *changes;
  datagen.key_update_percent = 10;

  cdc::FlushPolicy flush;
  flush.flush_rows = 4;  // tiny batches, so the per-table flushing is visible

  auto print = std::make_shared<cdc::PrintSink>(std::cout);
  cdc::JobOptions options;
  options.name = "datagen-to-print";
  options.parallelism = static_cast<size_t>(*parallelism);
  cdc::Job job(options);
  job.AddSource("datagen", cdc::DatagenSource::Factory(datagen))
      .Filter("no-deletes",
              [](const cdc::RowChange& change) { return change.kind != cdc::ChangeKind::kDelete; })
      .KeyBy()
      .SinkTo("print", print, flush);

  cdc::Status status = job.Run();
  if (!status.ok()) {
    std::cerr << "datagen-to-print failed: " << status.ToString() << "\n";
    return 1;
  }
  cdc::JobMetrics metrics = job.metrics();
  std::cerr << "datagen-to-print: " << metrics.rows_emitted << " changes generated, "
            << metrics.rows_written << " printed in " << metrics.flushes << " flushes\n";
  return 0;
}
