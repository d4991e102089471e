#include "connectors/pipeline/pipeline_yaml.h"

#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

namespace cdc {
namespace {

using Vars = std::map<std::string, std::string>;

EnvLookup FakeEnv(Vars vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

Result<PipelineConfig> Parse(const std::string& text, Vars vars = {}) {
  return ParsePipelineYaml(text, "p.yaml", FakeEnv(std::move(vars)));
}

// The combined error message of a file that must fail.
std::string Errors(const std::string& text, Vars vars = {}) {
  auto result = Parse(text, std::move(vars));
  REQUIRE_FALSE(result.ok());
  CHECK(result.status().code() == StatusCode::kInvalidArgument);
  return result.status().message();
}

// A valid file with `extra` added inside the source block of a datagen-to-print pipeline.
std::string DatagenWith(const std::string& extra) {
  return "source:\n  type: datagen\n" + extra + "sink:\n  type: print\n";
}

// A valid mysql source block followed by `extra` lines inside it, then a print sink.
std::string MysqlWith(const std::string& extra) {
  return "source:\n  type: mysql\n  hostname: db\n  username: u\n  tables: a.b\n  server-id: 7\n" +
         extra + "sink:\n  type: print\n";
}

// The pipeline block's settings of a datagen-to-print file with `lines` in its pipeline block.
PipelineSettings PipelineWith(const std::string& lines) {
  auto result = Parse(DatagenWith("") + "pipeline:\n" + lines);
  REQUIRE_MESSAGE(result.ok(), result.status().message());
  return result->pipeline;
}

constexpr const char* kFullMysqlPipeline = R"(source:
  type: mysql
  name: MySQL Source
  hostname: 10.0.0.5
  port: 3307
  username: repl
  password: ${MYSQL_PASSWORD}
  tables: app_db.\.*, shop.orders_[0-9]{1,3}
  tables.exclude: app_db.tmp_\.*
  server-id: 5401-5404
  scan.startup.mode: specific-offset
  scan.startup.specific-offset.file: mysql-bin.000003
  scan.startup.specific-offset.pos: 4
  scan.incremental.snapshot.chunk.size: 8096
  scan.snapshot.parallelism: 4
  heartbeat.interval: 250ms
  connect.timeout: 5s
  read.timeout: 2min
  connect.max-retries: 3
  connect.retry-backoff: 1s
  tls.mode: verify_ca
  tls.ca: /etc/ssl/ca.pem
sink:
  type: mysql
  socket: /run/mysqld/mysqld.sock
  username: writer
  password: "p@ss: word"
  database: target_db
  auto-create: false
  max-connections: 16
  max-statement-size: 16mb
  sql-log-bin: false
  array-binding: false
  retry.max-attempts: 5
  retry.initial-backoff: 50ms
  retry.max-backoff: 2s
  logical-delete.enabled: true
  logical-delete.flag-column: _deleted
  logical-delete.time-column: _deleted_at
  logical-delete.tables: [app_db.audit]
  logical-delete.tables.exclude: app_db.sessions, app_db.tokens
route:
  - source-table: app_db.orders_\.*
    sink-table: app_db.orders
    description: merge shards
  - source-table: shop.\.*
    sink-table: ods.<>
    replace-symbol: <>
transform:
  - source-table: app_db.orders
    projection: id, amount, `status`
    filter: amount > 100
    description: big orders
pipeline:
  name: mysql-to-mysql
  parallelism: 4
  threads: 3
  flush.rows: 1000
  flush.bytes: 1mb
  flush.interval: 300ms
  buffer.max-rows: 5000
  checkpoint.interval: 30s
  state.dir: ./state
  schema.change.behavior: TRY_EVOLVE
)";

}  // namespace

TEST_CASE("a full mysql-to-mysql file parses into exactly the expected option values") {
  auto result = Parse(kFullMysqlPipeline, {{"MYSQL_PASSWORD", "s3cret"}});
  REQUIRE_MESSAGE(result.ok(), result.status().message());
  const PipelineConfig& config = *result;
  CHECK(config.file == "p.yaml");

  CHECK(config.source.type == SourceType::kMysql);
  CHECK(config.source.name == "MySQL Source");
  const MysqlCdcSourceOptions& source = config.source.mysql;
  CHECK(source.connection.host == "10.0.0.5");
  CHECK(source.connection.port == 3307);
  CHECK(source.connection.socket.empty());
  CHECK(source.connection.user == "repl");
  CHECK(source.connection.password == "s3cret");
  CHECK(source.connection.tls_mode == "verify_ca");
  CHECK(source.connection.tls_ca == "/etc/ssl/ca.pem");
  CHECK(source.connection.connect_timeout_s == 5);
  CHECK(source.connection.read_timeout_s == 120);
  CHECK(source.connection.write_timeout_s == 60);
  CHECK(source.include_tables ==
        std::vector<std::string>{"(?:app_db)\\.(?:.*)", "(?:shop)\\.(?:orders_[0-9]{1,3})"});
  CHECK(source.exclude_tables == std::vector<std::string>{"(?:app_db)\\.(?:tmp_.*)"});
  CHECK(source.server_id == 5401);
  CHECK(source.startup == StartupMode::kSpecific);
  CHECK(source.start_position == "mysql-bin.000003:4");
  CHECK(source.snapshot.chunk_rows == 8096);
  CHECK(source.snapshot.parallelism == 4);
  CHECK(source.heartbeat_ms == 250);
  CHECK(source.reconnect_attempts == 3);
  CHECK(source.reconnect_backoff_ms == 1000);
  CHECK_FALSE(source.stop_at_end);

  CHECK(config.sink.type == SinkType::kMysql);
  const MysqlSinkOptions& sink = config.sink.mysql;
  CHECK(sink.connection.socket == "/run/mysqld/mysqld.sock");
  CHECK(sink.connection.user == "writer");
  CHECK(sink.connection.password == "p@ss: word");
  CHECK(sink.connection.database.empty());
  CHECK(sink.target_database == "target_db");
  CHECK_FALSE(sink.auto_create);
  CHECK(sink.max_connections == 16);
  CHECK(sink.max_statement_bytes == 16u << 20);
  CHECK_FALSE(sink.write_binlog);
  CHECK_FALSE(sink.array_binding);
  CHECK(sink.retry.max_attempts == 5);
  CHECK(sink.retry.initial_backoff_ms == 50);
  CHECK(sink.retry.max_backoff_ms == 2000);
  CHECK(sink.logical_delete.enabled);
  CHECK(sink.logical_delete.flag_column == "_deleted");
  CHECK(sink.logical_delete.time_column == "_deleted_at");
  CHECK(sink.logical_delete.per_table == std::map<std::string, bool>{{"app_db.audit", true},
                                                                     {"app_db.sessions", false},
                                                                     {"app_db.tokens", false}});

  REQUIRE(config.routes.size() == 2);
  CHECK(config.routes[0].source_table == "(?:app_db)\\.(?:orders_.*)");
  CHECK(config.routes[0].sink_table == "app_db.orders");
  CHECK(config.routes[0].replace_symbol.empty());
  CHECK(config.routes[0].description == "merge shards");
  CHECK(config.routes[1].source_table == "(?:shop)\\.(?:.*)");
  CHECK(config.routes[1].sink_table == "ods.<>");
  CHECK(config.routes[1].replace_symbol == "<>");
  REQUIRE(config.transforms.size() == 1);
  CHECK(config.transforms[0].source_table == "(?:app_db)\\.(?:orders)");
  CHECK(config.transforms[0].projection == std::vector<std::string>{"id", "amount", "status"});
  CHECK(config.transforms[0].filter == "amount > 100");
  CHECK(config.transforms[0].description == "big orders");

  const PipelineSettings& pipeline = config.pipeline;
  CHECK(pipeline.job.name == "mysql-to-mysql");
  CHECK(pipeline.job.parallelism == 4);
  CHECK(pipeline.job.threads == 3);
  CHECK(pipeline.job.checkpoint_interval == Micros(30'000'000));
  CHECK(pipeline.flush.flush_rows == 1000);
  CHECK(pipeline.flush.flush_bytes == 1u << 20);
  CHECK(pipeline.flush.flush_interval == Micros(300'000));
  CHECK(pipeline.flush.capacity_rows == 5000);
  CHECK(pipeline.flush.capacity_bytes == 16u << 20);
  CHECK(pipeline.state_dir == "./state");
  CHECK(pipeline.schema_change == SchemaChangeBehavior::kTryEvolve);
}

TEST_CASE("a datagen-to-print file needs only the types and takes every default") {
  auto result = ParsePipelineYaml(DatagenWith(""), "conf/demo.yaml", FakeEnv({}));
  REQUIRE_MESSAGE(result.ok(), result.status().message());
  CHECK(result->source.type == SourceType::kDatagen);
  CHECK(result->sink.type == SinkType::kPrint);
  const DatagenOptions defaults;
  CHECK(result->source.datagen.tables == defaults.tables);
  CHECK(result->source.datagen.key_space == defaults.key_space);
  CHECK(result->routes.empty());
  CHECK(result->transforms.empty());
  CHECK(result->pipeline.job.name == "demo");
  CHECK(result->pipeline.job.parallelism == 1);
  CHECK(result->pipeline.job.checkpoint_interval == Micros(10'000'000));
  CHECK(result->pipeline.flush.flush_rows == 2048);
  CHECK(result->pipeline.flush.capacity_rows == 8192);
  CHECK(result->pipeline.state_dir.empty());
  CHECK(result->pipeline.schema_change == SchemaChangeBehavior::kEvolve);
}

TEST_CASE("datagen keys set the generator's options and a blackhole sink takes only a name") {
  auto result = Parse(R"(source:
  type: datagen
  database: gen
  table-prefix: tbl
  table-count: 3
  key-space: 500
  insert-weight: 1
  update-weight: 2
  delete-weight: 0
  key-update-percent: 10
  rows-per-second: 1000
  number-of-rows: 50000
  seed: 42
  rows-per-poll: 64
  value-length: 120
sink:
  type: blackhole
  name: nowhere
)");
  REQUIRE_MESSAGE(result.ok(), result.status().message());
  const DatagenOptions& gen = result->source.datagen;
  CHECK(gen.database == "gen");
  CHECK(gen.table_prefix == "tbl");
  CHECK(gen.tables == 3);
  CHECK(gen.key_space == 500);
  CHECK(gen.insert_weight == 1);
  CHECK(gen.update_weight == 2);
  CHECK(gen.delete_weight == 0);
  CHECK(gen.key_update_percent == 10);
  CHECK(gen.rate == 1000);
  CHECK(gen.count == 50000);
  CHECK(gen.seed == 42);
  CHECK(gen.rows_per_poll == 64);
  CHECK(gen.c_length == 120);
  CHECK(result->sink.type == SinkType::kBlackhole);
  CHECK(result->sink.name == "nowhere");
}

TEST_CASE("${VAR} and ${VAR:-default} are replaced from the environment in every value") {
  auto result =
      Parse(R"(source:
  type: mysql
  hostname: ${DB_HOST}
  port: ${DB_PORT:-3306}
  username: ${DB_USER:-root}
  password: pre-${EMPTY:-fallback}-$${LITERAL}
  tables: [ "${DB}.orders", other.t ]
  server-id: 1
sink:
  type: print
)",
            {{"DB_HOST", "primary.local"}, {"DB_USER", "repl"}, {"EMPTY", ""}, {"DB", "shop"}});
  REQUIRE_MESSAGE(result.ok(), result.status().message());
  const MysqlOptions& connection = result->source.mysql.connection;
  CHECK(connection.host == "primary.local");
  CHECK(connection.port == 3306);
  CHECK(connection.user == "repl");
  CHECK(connection.password == "pre-fallback-${LITERAL}");
  CHECK(result->source.mysql.include_tables ==
        std::vector<std::string>{"(?:shop)\\.(?:orders)", "(?:other)\\.(?:t)"});
}

TEST_CASE("an unset variable without a default is an error naming the variable and its line") {
  CHECK(Errors(MysqlWith("  password: ${MYSQL_PASSWORD}\n")) ==
        "p.yaml:7:3: source.password: environment variable MYSQL_PASSWORD is not set: set it, or "
        "give a default with ${MYSQL_PASSWORD:-value}");
  CHECK(Errors(MysqlWith("  password: ${MYSQL PASSWORD}\n")) ==
        "p.yaml:7:3: source.password: '${MYSQL PASSWORD}' is not a variable reference: a name has "
        "letters, digits and '_'");
  CHECK(Errors(MysqlWith("  password: ${OPEN\n")) ==
        "p.yaml:7:3: source.password: '${' is not closed: write ${NAME}, or $${ for a literal ${");
}

TEST_CASE("durations take ms, s, min, h and d units and a bare number is milliseconds") {
  CHECK(PipelineWith("  flush.interval: 500ms\n").flush.flush_interval == Micros(500'000));
  CHECK(PipelineWith("  flush.interval: 10s\n").flush.flush_interval == Micros(10'000'000));
  CHECK(PipelineWith("  flush.interval: 1min\n").flush.flush_interval == Micros(60'000'000));
  CHECK(PipelineWith("  flush.interval: 2h\n").flush.flush_interval == Micros(7'200'000'000));
  CHECK(PipelineWith("  flush.interval: 1d\n").flush.flush_interval == Micros(86'400'000'000));
  CHECK(PipelineWith("  flush.interval: 1500\n").flush.flush_interval == Micros(1'500'000));
  CHECK(PipelineWith("  flush.interval: 3 S\n").flush.flush_interval == Micros(3'000'000));
  CHECK(PipelineWith("  checkpoint.interval: 0\n").job.checkpoint_interval == Micros(0));
  CHECK(Errors(DatagenWith("") + "pipeline:\n  flush.interval: 1.5s\n") ==
        "p.yaml:6:3: pipeline.flush.interval: '1.5s' is not a duration: write a whole number with "
        "a unit ms, s, min, h or d (500ms, 10s, 1min), or a number of milliseconds");
  CHECK(Errors(DatagenWith("") + "pipeline:\n  flush.interval: 0s\n") ==
        "p.yaml:6:3: pipeline.flush.interval: 0s is too short: give at least 1ms");
  CHECK(Errors(MysqlWith("  connect.timeout: 1500ms\n")) ==
        "p.yaml:7:3: source.connect.timeout: is not a whole number of seconds: write e.g. 10s");
}

TEST_CASE("sizes take b, kb, mb and gb units in powers of 1024 and a bare number is bytes") {
  CHECK(PipelineWith("  flush.bytes: 4mb\n").flush.flush_bytes == size_t{4} << 20);
  CHECK(PipelineWith("  flush.bytes: 512kb\n").flush.flush_bytes == size_t{512} << 10);
  CHECK(PipelineWith("  flush.bytes: 1GB\n").flush.flush_bytes == size_t{1} << 30);
  CHECK(PipelineWith("  flush.bytes: 1000\n").flush.flush_bytes == 1000);
  CHECK(PipelineWith("  flush.bytes: 64 KiB\n").flush.flush_bytes == size_t{64} << 10);
  // The buffer grows with the flush size unless set: twice the flush, at least the default.
  CHECK(PipelineWith("  flush.bytes: 32mb\n").flush.capacity_bytes == size_t{64} << 20);
  CHECK(PipelineWith("  flush.rows: 10000\n").flush.capacity_rows == 20000);
  CHECK(Errors(DatagenWith("") + "pipeline:\n  flush.bytes: 4 megabytes\n") ==
        "p.yaml:6:3: pipeline.flush.bytes: '4 megabytes' is not a size: write a number of bytes, "
        "or one with a unit kb, mb or gb (512kb, 4mb)");
}

TEST_CASE("route and transform lists keep their order and every field of each rule") {
  auto result = Parse(DatagenWith("") + R"(route:
  - source-table: db1.a, db2.b
    sink-table: all.ab
  - source-table: \.*.logs_\d+
    sink-table: archive.<t>
    replace-symbol: <t>
transform:
  - source-table: datagen.t0
    projection: "*"
  - source-table: datagen.t1
    projection: [k, c]
    filter: k % 2 = 0
)");
  REQUIRE_MESSAGE(result.ok(), result.status().message());
  REQUIRE(result->routes.size() == 2);
  CHECK(result->routes[0].source_table == "(?:(?:db1)\\.(?:a))|(?:(?:db2)\\.(?:b))");
  CHECK(result->routes[0].sink_table == "all.ab");
  CHECK(result->routes[1].source_table == "(?:.*)\\.(?:logs_\\d+)");
  CHECK(result->routes[1].sink_table == "archive.<t>");
  CHECK(result->routes[1].replace_symbol == "<t>");
  REQUIRE(result->transforms.size() == 2);
  CHECK(result->transforms[0].projection.empty());
  CHECK(result->transforms[0].filter.empty());
  CHECK(result->transforms[1].projection == std::vector<std::string>{"k", "c"});
  CHECK(result->transforms[1].filter == "k % 2 = 0");
}

TEST_CASE("an unknown key is reported with a suggestion when a known key is close") {
  CHECK(Errors("source:\n  type: mysql\n  hostnme: db\n  username: u\n  tables: a.b\n"
               "  server-id: 1\nsink:\n  type: print\n") ==
        "p.yaml:1:1: source.hostname: required key is missing: give the server's host name or "
        "address (or socket)\n"
        "p.yaml:3:3: source.hostnme: unknown key: did you mean 'hostname'?");
  CHECK(Errors(MysqlWith("  user: u\n")) ==
        "p.yaml:7:3: source.user: unknown key: did you mean 'username'?");
  CHECK(Errors(DatagenWith("") + "route:\n  - source-table: a.b\n    sink-table: c.d\n"
                                 "    color: red\n") ==
        "p.yaml:8:5: route[0].color: unknown key: remove it or check its spelling; the keys here "
        "are source-table, sink-table, replace-symbol, description");
  CHECK(Errors(DatagenWith("") + "pipline:\n  parallelism: 2\n") ==
        "p.yaml:5:1: pipline: unknown key: did you mean 'pipeline'?");
  CHECK(Errors(MysqlWith("  server-time-zone: UTC\n")) ==
        "p.yaml:7:3: source.server-time-zone: unknown key: it is a Flink CDC option that "
        "cdc-pipeline does not support: remove it");
}

TEST_CASE("values of the wrong type or out of range name the key, the line and what to write") {
  CHECK(Errors(MysqlWith("  port: abc\n")) ==
        "p.yaml:7:3: source.port: 'abc' is not a whole number: give a whole number from 1 to "
        "65535");
  CHECK(Errors(MysqlWith("  port: 70000\n")) ==
        "p.yaml:7:3: source.port: 70000 is out of range: give a whole number from 1 to 65535");
  CHECK(Errors(MysqlWith("  port: -1\n")) ==
        "p.yaml:7:3: source.port: -1 is out of range: give a whole number from 1 to 65535");
  CHECK(Errors(MysqlWith("  scan.stop-at-end: yes\n")) ==
        "p.yaml:7:3: source.scan.stop-at-end: 'yes' is not a boolean: write true or false");
  CHECK(Errors(MysqlWith("  port:\n")) ==
        "p.yaml:7:3: source.port: has no value: give a whole number or remove the key");
  CHECK(Errors(MysqlWith("  port: [1, 2]\n")) ==
        "p.yaml:7:3: source.port: is a list, not a single value");
  CHECK(Errors(DatagenWith("  key-update-percent: 101\n")) ==
        "p.yaml:3:3: source.key-update-percent: 101 is out of range: give a whole number from 0 "
        "to 100");
  CHECK(Errors(DatagenWith("") + "pipeline:\n  parallelism: 0\n") ==
        "p.yaml:6:3: pipeline.parallelism: 0 is out of range: give a whole number from 1 to 4096");
  CHECK(Errors(DatagenWith("") + "pipeline:\n  schema.change.behavior: evolv\n") ==
        "p.yaml:6:3: pipeline.schema.change.behavior: unknown schema change behavior 'evolv': use "
        "exception, evolve, try_evolve, lenient or ignore: did you mean 'evolve'?");
}

TEST_CASE("missing required keys are reported where their block starts") {
  CHECK(Errors("source:\n  hostname: x\nsink:\n  name: out\n") ==
        "p.yaml:1:1: source.type: required key is missing: use mysql or datagen\n"
        "p.yaml:3:1: sink.type: required key is missing: use mysql, kafka, print or blackhole");
  CHECK(Errors("source:\n  type: mysql\nsink:\n  type: mysql\n") ==
        "p.yaml:1:1: source.hostname: required key is missing: give the server's host name or "
        "address (or socket)\n"
        "p.yaml:1:1: source.username: required key is missing: give the user to connect as\n"
        "p.yaml:1:1: source.tables: required key is missing: list the tables to capture as "
        "database.table patterns, e.g. app_db.\\.*\n"
        "p.yaml:1:1: source.server-id: required key is missing: streaming the binlog needs an id "
        "unique among the server's replicas, e.g. 5401\n"
        "p.yaml:3:1: sink.hostname: required key is missing: give the server's host name or "
        "address (or socket)\n"
        "p.yaml:3:1: sink.username: required key is missing: give the user to connect as");
  CHECK(Errors("pipeline:\n  parallelism: 2\n") ==
        "p.yaml:1:1: source: required block is missing: add a source: block with type: mysql or "
        "datagen\n"
        "p.yaml:1:1: sink: required block is missing: add a sink: block with type: mysql, kafka, "
        "print or blackhole");
  CHECK(Errors(DatagenWith("") + "route:\n  - description: nothing\n") ==
        "p.yaml:6:5: route[0].source-table: required key is missing: give the database.table "
        "pattern of the tables to route\n"
        "p.yaml:6:5: route[0].sink-table: required key is missing: give the database.table the "
        "rows go to");
}

TEST_CASE("a snapshot-only mysql source needs no server id") {
  auto result = Parse(
      "source:\n  type: mysql\n  hostname: db\n  username: u\n  tables: a.b\n"
      "  scan.startup.mode: snapshot\nsink:\n  type: print\n");
  REQUIRE_MESSAGE(result.ok(), result.status().message());
  CHECK(result->source.mysql.startup == StartupMode::kSnapshot);
  CHECK(result->source.mysql.server_id == 0);
}

TEST_CASE("an unknown source or sink type is reported with the types there are") {
  CHECK(Errors("source:\n  type: kafka\n  topic: x\nsink:\n  type: prnt\n") ==
        "p.yaml:2:3: source.type: unknown source type 'kafka': use mysql or datagen\n"
        "p.yaml:5:3: sink.type: unknown sink type 'prnt': use mysql, kafka, print or blackhole: "
        "did you "
        "mean 'print'?");
}

TEST_CASE("table patterns that are not database.table or not valid regexes are errors") {
  CHECK(Errors("source:\n  type: mysql\n  hostname: db\n  username: u\n  tables: orders\n"
               "  server-id: 1\nsink:\n  type: print\n") ==
        "p.yaml:5:3: source.tables: 'orders' is not a database.table pattern: write e.g. "
        "app_db.orders or app_db.\\.* (the first '.' separates database and table; \\. is a "
        "regex dot)");
  std::string message = Errors(
      "source:\n  type: mysql\n  hostname: db\n  username: u\n"
      "  tables: db.orders_[0-9\n  server-id: 1\nsink:\n  type: print\n");
  CHECK(message.starts_with(
      "p.yaml:5:3: source.tables: 'db.orders_[0-9' is not a valid regular expression: "));
  CHECK(message.find('\n') == std::string::npos);
  // The middle of a regex message is the standard library's text.
  message = Errors(
      "source:\n  type: mysql\n  hostname: db\n  username: u\n  tables: adb.*\n"
      "  server-id: 1\nsink:\n  type: print\n");
  CHECK(message.starts_with(
      "p.yaml:5:3: source.tables: 'adb.*' is not a valid regular expression: "));
  CHECK(message.ends_with(
      ": the first '.' separates database and table, so write adb.\\.* for every table"));
  // Plain-regex patterns, where \. separates: the hint gives the Flink CDC form.
  message = Errors(
      "source:\n  type: mysql\n  hostname: db\n  username: u\n"
      "  tables: 'torture\\..*'\n  server-id: 1\nsink:\n  type: print\n");
  CHECK(
      message.ends_with(": the first '.' separates database and table and \\. is a regex "
                        "dot, so write torture.\\.*"));
  CHECK(Errors("source:\n  type: mysql\n  hostname: db\n  username: u\n"
               "  tables: 'shop\\.orders'\n  server-id: 1\nsink:\n  type: print\n") ==
        "p.yaml:5:3: source.tables: 'shop\\.orders' is not a database.table pattern: write "
        "shop.orders (the first '.' separates database and table; \\. is a regex dot)");
  CHECK(Errors(DatagenWith("") + "route:\n  - source-table: a.(b\n    sink-table: ods\n") ==
        "p.yaml:6:5: route[0].source-table: 'a.(b' is not a valid regular expression: "
        "missing ): (b\n"  // libstdc++'s words
        "p.yaml:7:5: route[0].sink-table: 'ods' is not database.table: write e.g. ods.orders");
}

TEST_CASE("startup modes are Flink CDC's and their options must fit the mode") {
  CHECK(Errors(MysqlWith("  scan.startup.mode: latest_offset\n")) ==
        "p.yaml:7:3: source.scan.startup.mode: unknown startup mode 'latest_offset': use initial, "
        "snapshot, latest-offset, earliest-offset, specific-offset or timestamp: did you mean "
        "'latest-offset'?");
  CHECK(Errors(MysqlWith("  scan.startup.mode: specific-offset\n")) ==
        "p.yaml:7:3: source.scan.startup.mode: specific-offset needs "
        "scan.startup.specific-offset.file and .pos (a binlog file and offset), or "
        "scan.startup.specific-offset.gtid-set");
  CHECK(Errors(MysqlWith("  scan.startup.mode: specific-offset\n"
                         "  scan.startup.specific-offset.file: mysql-bin.000003\n")) ==
        "p.yaml:8:3: source.scan.startup.specific-offset.file: needs both "
        "scan.startup.specific-offset.file and .pos");
  CHECK(Errors(MysqlWith("  scan.startup.mode: specific-offset\n"
                         "  scan.startup.specific-offset.file: f.1\n"
                         "  scan.startup.specific-offset.pos: 4\n"
                         "  scan.startup.specific-offset.gtid-set: 0-1-100\n")) ==
        "p.yaml:10:3: source.scan.startup.specific-offset.gtid-set: give either "
        "scan.startup.specific-offset.file and .pos, or .gtid-set, not both");
  CHECK(Errors(MysqlWith("  scan.startup.specific-offset.pos: 4\n")) ==
        "p.yaml:7:3: source.scan.startup.specific-offset.pos: is only used with "
        "scan.startup.mode: specific-offset: remove it or set the mode");
  CHECK(Errors(MysqlWith("  scan.startup.mode: timestamp\n")) ==
        "p.yaml:7:3: source.scan.startup.mode: timestamp needs scan.startup.timestamp-millis: the "
        "Unix time in milliseconds to start from");

  auto gtid =
      Parse(MysqlWith("  scan.startup.mode: specific-offset\n"
                      "  scan.startup.specific-offset.gtid-set: 0-1-100\n"));
  REQUIRE_MESSAGE(gtid.ok(), gtid.status().message());
  CHECK(gtid->source.mysql.start_position == "0-1-100");
  auto timestamp =
      Parse(MysqlWith("  scan.startup.mode: timestamp\n"
                      "  scan.startup.timestamp-millis: 1667232000000\n"));
  REQUIRE_MESSAGE(timestamp.ok(), timestamp.status().message());
  CHECK(timestamp->source.mysql.startup == StartupMode::kTimestamp);
  CHECK(timestamp->source.mysql.start_timestamp_ms == 1667232000000);
  auto latest = Parse(MysqlWith("  scan.startup.mode: latest-offset\n"));
  REQUIRE_MESSAGE(latest.ok(), latest.status().message());
  CHECK(latest->source.mysql.startup == StartupMode::kLatest);
}

TEST_CASE("a duplicate key is reported at its second occurrence") {
  CHECK(Errors(MysqlWith("  hostname: other\n")) ==
        "p.yaml:7:3: source.hostname: duplicate key: it is also at line 3: keep one");
  CHECK(Errors(DatagenWith("") + "sink:\n  type: print\n") ==
        "p.yaml:5:1: sink: duplicate key: it is also at line 3: keep one");
}

TEST_CASE("an empty file, a file that is not a mapping and bad YAML are errors of the file") {
  CHECK(Errors("") ==
        "p.yaml: the file is empty: a pipeline needs at least a source: and a sink: block");
  CHECK(Errors("# nothing but a comment\n") ==
        "p.yaml: the file is empty: a pipeline needs at least a source: and a sink: block");
  CHECK(Errors("- source\n- sink\n") ==
        "p.yaml:1:1: the file is a list, not a mapping: write source:, sink: and the other blocks "
        "at the top level");
  CHECK(Errors("source: [a, b\nsink: x\n") ==
        "p.yaml:2:5: not valid YAML: end of sequence flow not found: check the indentation, "
        "quotes and brackets here or just above");
  CHECK(Errors(DatagenWith("") + "route:\n  source-table: a.b\n") ==
        "p.yaml:5:1: route: is a mapping, not a list: write each rule as a '- source-table: ...' "
        "item");
  CHECK(Errors("source: mysql\nsink:\n  type: print\n") ==
        "p.yaml:1:9: source: is a single value, not a mapping: write its keys indented below it, "
        "one 'key: value' a line");
}

TEST_CASE("what the options' own Validate() rejects is reported with the block's position") {
  CHECK(Errors(DatagenWith("  insert-weight: 0\n  update-weight: 0\n  delete-weight: 0\n")) ==
        "p.yaml:1:1: source: datagen: insert_weight, update_weight and delete_weight are all 0: "
        "give at least one a positive weight");
  CHECK(Errors(MysqlWith("  tls.mode: verify_identity\n")) ==
        "p.yaml:7:3: source.tls.mode: verify_identity checks the server's certificate: set tls.ca "
        "to the CA file");
  CHECK(Errors(DatagenWith("") + "pipeline:\n  flush.rows: 100\n  buffer.max-rows: 50\n") ==
        "p.yaml:7:3: pipeline.buffer.max-rows: 50 is below flush.rows (100): raise it to at least "
        "flush.rows, ideally twice it");
  CHECK(Errors(DatagenWith("") +
               "pipeline:\n  state.dir: /var/lib/cdc\n  checkpoint.interval: 0\n") ==
        "p.yaml:6:3: pipeline.state.dir: is set but checkpoint.interval is 0, so no state is ever "
        "kept: set checkpoint.interval, e.g. 10s");
}

TEST_CASE(
    "tls keys that would not do what they say are refused: a CA without verification, half a "
    "client certificate") {
  CHECK(Errors(MysqlWith("  tls.mode: required\n  tls.ca: /etc/ssl/ca.pem\n")) ==
        "p.yaml:8:3: source.tls.ca: tls.mode required does not check the server's certificate: "
        "set tls.mode to verify_ca or verify_identity, or remove tls.ca");
  CHECK(Errors(MysqlWith("  tls.ca: /etc/ssl/ca.pem\n")) ==
        "p.yaml:7:3: source.tls.ca: tls.mode disabled does not check the server's certificate: "
        "set tls.mode to verify_ca or verify_identity, or remove tls.ca");
  CHECK(Errors(MysqlWith("  tls.mode: required\n  tls.cert: /etc/ssl/me.pem\n")) ==
        "p.yaml:8:3: source.tls.cert: a client certificate needs both tls.cert and tls.key: add "
        "the one missing");
  CHECK(Errors(MysqlWith("  tls.cert: /etc/ssl/me.pem\n  tls.key: /etc/ssl/me.key\n")) ==
        "p.yaml:7:3: source.tls.cert: a client certificate needs TLS: set tls.mode to required, "
        "verify_ca or verify_identity");
  // A mode that is itself wrong is the one problem reported.
  CHECK(Errors(MysqlWith("  tls.mode: strict\n  tls.ca: /etc/ssl/ca.pem\n")).find("tls.ca") ==
        std::string::npos);
  auto parsed = Parse(MysqlWith("  tls.mode: required\n  tls.cert: /c.pem\n  tls.key: /k.pem\n"));
  REQUIRE_MESSAGE(parsed.ok(), parsed.status().message());
  CHECK(parsed->source.mysql.connection.tls_cert == "/c.pem");
  CHECK(parsed->source.mysql.connection.tls_key == "/k.pem");
}

TEST_CASE("logical-delete and projection lists are checked item by item") {
  CHECK(Errors("source:\n  type: datagen\nsink:\n  type: mysql\n  hostname: h\n  username: u\n"
               "  logical-delete.tables: a.b, c\n  logical-delete.tables.exclude: a.b\n") ==
        "p.yaml:7:3: sink.logical-delete.tables: 'c' is not database.table: write e.g. ods.orders\n"
        "p.yaml:8:3: sink.logical-delete.tables.exclude: a.b is in logical-delete.tables and in "
        "logical-delete.tables.exclude: keep it in one");
  CHECK(Errors(DatagenWith("") + "transform:\n  - source-table: a.b\n"
                                 "    projection: id, UPPER(name) AS n, *\n") ==
        "p.yaml:7:5: transform[0].projection: 'UPPER(name) AS n' is not a column name: list "
        "columns only (expressions are not supported)\n"
        "p.yaml:7:5: transform[0].projection: '*' keeps every column: give it alone, or list the "
        "columns");
}

TEST_CASE("every problem of a file is reported at once, in file order") {
  std::string message = Errors(R"(source:
  type: mysql
  hostname: db
  port: http
  username: ${NO_SUCH_USER}
  tables: app.\.*
  scan.startup.mode: nope
sink:
  type: print
  colour: red
route:
  - source-table: app.x
pipeline:
  parallelism: many
  flush.bytes: 4mb
  flush.bytes: 8mb
)");
  CHECK(message ==
        "p.yaml:4:3: source.port: 'http' is not a whole number: give a whole number from 1 to "
        "65535\n"
        "p.yaml:5:3: source.username: environment variable NO_SUCH_USER is not set: set it, or "
        "give a default with ${NO_SUCH_USER:-value}\n"
        "p.yaml:7:3: source.scan.startup.mode: unknown startup mode 'nope': use initial, snapshot, "
        "latest-offset, earliest-offset, specific-offset or timestamp\n"
        "p.yaml:10:3: sink.colour: unknown key: remove it or check its spelling; the keys here are "
        "name, type\n"
        "p.yaml:12:5: route[0].sink-table: required key is missing: give the database.table the "
        "rows go to\n"
        "p.yaml:14:3: pipeline.parallelism: 'many' is not a whole number: give a whole number from "
        "1 to 4096\n"
        "p.yaml:16:3: pipeline.flush.bytes: duplicate key: it is also at line 15: keep one");
}

TEST_CASE("LoadPipelineFile reads the file with the process environment") {
  // This process's own directory: another run of the test at the same time removes its own.
  auto dir = std::filesystem::temp_directory_path() /
             ("cdc_pipeline_yaml_test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto path = (dir / "gen.yaml").string();
  {
    std::ofstream out(path);
    out << "source:\n  type: datagen\n  database: ${CDC_PIPELINE_YAML_TEST_DB}\nsink:\n"
           "  type: print\n";
  }
  ::setenv("CDC_PIPELINE_YAML_TEST_DB", "from_env", 1);
  auto result = LoadPipelineFile(path);
  ::unsetenv("CDC_PIPELINE_YAML_TEST_DB");
  REQUIRE_MESSAGE(result.ok(), result.status().message());
  CHECK(result->source.datagen.database == "from_env");
  CHECK(result->pipeline.job.name == "gen");

  auto missing = LoadPipelineFile((dir / "absent.yaml").string());
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().code() == StatusCode::kIoError);
  CHECK(missing.status().message() == "cannot read pipeline file '" +
                                          (dir / "absent.yaml").string() +
                                          "': No such file or directory");
  std::filesystem::remove_all(dir);
}

}  // namespace cdc

namespace cdc {
namespace {

const char kDatagenSource[] = "source:\n  type: datagen\n";

TEST_CASE("a kafka sink: TiCDC's sink URI, its options as keys, dispatchers and properties") {
  auto config = Parse(std::string(kDatagenSource) +
                      "sink:\n"
                      "  type: kafka\n"
                      "  sink-uri: kafka://k1:9092,k2:9092/cdc?protocol=maxwell&partition-num=6\n"
                      "  partition-num: 4\n"
                      "  enable-tidb-extension: true\n"
                      "  dispatchers:\n"
                      "    - matcher: ['shop.*', '!shop.tmp_*']\n"
                      "      topic: cdc_{schema}_{table}\n"
                      "      partition: columns\n"
                      "      columns: [a, b]\n"
                      "    - matcher: audit.*\n"
                      "      dispatcher: ts\n"
                      "  column-selectors:\n"
                      "    - matcher: ['shop.users']\n"
                      "      columns: ['*', '!password']\n"
                      "  properties.linger.ms: 20\n"
                      "  properties.batch.num.messages: 5000\n");
  REQUIRE(config.ok());
  const KafkaSinkOptions& kafka = config->sink.kafka;
  CHECK(config->sink.type == SinkType::kKafka);
  CHECK(kafka.brokers == std::vector<std::string>{"k1:9092", "k2:9092"});
  CHECK(kafka.topic == "cdc");
  CHECK(kafka.protocol == "maxwell");
  CHECK(kafka.partition_num == 4);  // the key overrides the URI's parameter
  CHECK(kafka.enable_extension);
  REQUIRE(kafka.dispatchers.size() == 2);
  CHECK(kafka.dispatchers[0].matcher == std::vector<std::string>{"shop.*", "!shop.tmp_*"});
  CHECK(kafka.dispatchers[0].topic == "cdc_{schema}_{table}");
  CHECK(kafka.dispatchers[0].partition == PartitionDispatch::kColumns);
  CHECK(kafka.dispatchers[0].columns == std::vector<std::string>{"a", "b"});
  CHECK(kafka.dispatchers[1].matcher == std::vector<std::string>{"audit.*"});
  CHECK(kafka.dispatchers[1].partition == PartitionDispatch::kTs);
  REQUIRE(kafka.column_selectors.size() == 1);
  CHECK(kafka.column_selectors[0].columns == std::vector<std::string>{"*", "!password"});
  CHECK(kafka.properties ==
        std::map<std::string, std::string>{{"linger.ms", "20"}, {"batch.num.messages", "5000"}});
}

TEST_CASE("kafka sink problems are reported at their keys") {
  CHECK(Errors(std::string(kDatagenSource) + "sink:\n  type: kafka\n  topic: t\n") ==
        "p.yaml:3:1: sink.sink-uri: required key is missing: give sink-uri: "
        "kafka://host:9092/topic?protocol=... or bootstrap-servers and topic");
  CHECK(Errors(std::string(kDatagenSource) +
               "sink:\n  type: kafka\n  sink-uri: kafka://h:9092/t\n  compresion: lz4\n"
               "  required-acks: 2\n  dispatchers:\n    - topic: x\n      partition: hash\n") ==
        "p.yaml:6:3: sink.compresion: unknown key: did you mean 'compression'?\n"
        "p.yaml:7:3: sink.required-acks: kafka sink: required-acks '2': use -1 (every in-sync "
        "replica, the default), 1 (the leader) or 0 (no acknowledgement)\n"
        "p.yaml:9:7: sink.dispatchers[0].matcher: required key is missing: list the tables the "
        "rule takes, e.g. matcher: ['shop.*']\n"
        "p.yaml:10:7: sink.dispatchers[0].partition: unknown partition dispatcher 'hash': use "
        "default, table, index-value, columns or ts");
}

}  // namespace
}  // namespace cdc
