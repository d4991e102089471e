// A job that replicates generated changes into a MySQL-compatible server with the MySQL sink:
// three tables, inserts / updates (some moving rows to a new key) / deletes, keyed over two
// sink subtasks, with logical deletes. Copy it to point a job of your own at MySQL.
//
//   build/examples/datagen-to-mysql HOST PORT USER PASSWORD [changes] [database]
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "connectors/datagen/datagen_source.h"
#include "connectors/mysql/sink/mysql_sink.h"
#include "operators/job.h"
#include "runtime/ascii.h"

int main(int argc, char** argv) {
  if (argc < 5) {
    std::cerr
        << "usage: datagen-to-mysql HOST PORT USER PASSWORD [changes=100000] [database=demo]\n";
    return 2;
  }
  std::optional<uint64_t> port = cdc::ParseDecimal(argv[2]);
  std::optional<uint64_t> changes = argc > 5 ? cdc::ParseDecimal(argv[5]) : 100000;
  if (!port || *port == 0 || *port > 65535 || !changes) {
    std::cerr << "datagen-to-mysql: PORT must be a number from 1 to 65535 and changes a whole "
                 "number; got '"
              << argv[2] << "'" << (argc > 5 ? std::string(", '") + argv[5] + "'" : "") << "\n";
    return 2;
  }
  cdc::MysqlSinkOptions mysql;
  mysql.connection.host = argv[1];
  mysql.connection.port = static_cast<uint16_t>(*port);
  mysql.connection.user = argv[3];
  mysql.connection.password = argv[4];
  mysql.logical_delete.enabled = true;
  mysql.logical_delete.time_column = "_deleted_at";
  auto sink = std::make_shared<cdc::MysqlSink>(mysql);
  cdc::Status reachable = sink->Check();  // bad address or credentials: say so before starting
  if (!reachable.ok()) {
    std::cerr << "datagen-to-mysql: " << reachable.ToString() << "\n";
    return 1;
  }

  cdc::DatagenOptions datagen;
  datagen.database = argc > 6 ? argv[6] : "demo";
  datagen.tables = 3;
  datagen.key_space = 10000;
  datagen.count = *changes;
  datagen.key_update_percent = 5;

  cdc::JobOptions options;
  options.name = "datagen-to-mysql";
  options.parallelism = 2;
  options.threads = 4;  // flushes wait on the server: let one build while another waits
  cdc::Job job(options);
  job.AddSource("datagen", cdc::DatagenSource::Factory(datagen))
      .KeyBy()
      .SinkTo("mysql", sink, cdc::FlushPolicy{});

  cdc::Status status = job.Run();
  if (!status.ok()) {
    std::cerr << "datagen-to-mysql failed: " << status.ToString() << "\n";
    return 1;
  }
  cdc::MysqlSinkStats stats = sink->stats();
  std::cerr << "datagen-to-mysql: " << job.metrics().rows_emitted << " changes -> "
            << stats.rows_written << " rows written in " << stats.transactions << " transactions, "
            << stats.retries << " retries, into database " << datagen.database << "\n";
  return 0;
}
