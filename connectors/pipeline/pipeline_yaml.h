// Pipeline YAML: reads a pipeline file (`cdc-pipeline run FILE.yaml`) into a PipelineConfig,
// checking every key before anything starts. The format follows Flink CDC's pipeline YAML, so a
// Flink CDC MySQL pipeline needs few changes. This comment is the reference for the format.
//
//   source:                              # required
//     type: mysql                        # required: mysql | datagen
//     hostname: 127.0.0.1
//     username: repl
//     password: ${MYSQL_PASSWORD}
//     tables: app_db.\.*, shop.orders_[0-9]+
//     server-id: 5401
//   sink:                                # required
//     type: mysql                        # required: mysql | kafka | print | blackhole
//     ...
//   route: [ {source-table, sink-table, replace-symbol, description}, ... ]       # optional
//   transform: [ {source-table, projection, filter, description}, ... ]           # optional
//   pipeline: {name, parallelism, flush.*, checkpoint.interval, ...}              # optional
//
// Value forms
//   duration   a whole number and a unit: ms, s (sec), min (m), h, d, as in 500ms, 10s, 1min, 2h;
//              a bare number is milliseconds (as Flink's durations). Keys kept in whole seconds
//              (the *.timeout keys) reject anything else.
//   size       a whole number of bytes, or with a unit b, kb (k, kib), mb (m, mib), gb (g, gib):
//              4mb, 512kb. Units are powers of 1024 and case-insensitive.
//   boolean    true or false (any case).
//   list       comma-separated ("a, b") or a YAML sequence ([a, b] or "- a" lines).
//   table pattern (tables, tables.exclude, source-table): Flink CDC's form. The first unescaped
//              '.' separates a database regex from a table regex; "\." is a regex "any
//              character" inside either part; other '.' are literal. app_db.\.* is every table
//              of app_db; db[0-9].orders_\d+ is the orders shards of db0..db9. A comma outside
//              brackets and braces separates patterns. Each must match the whole name
//              (RE2 syntax: Perl's, without backreferences or lookaround).
//   ${VAR}     in any value, replaced by the environment variable VAR; ${VAR:-text} gives text
//              when VAR is unset or empty; $${ is a literal "${". An unset VAR without a
//              default is an error.
//
// source, type mysql (MysqlCdcSourceOptions; defaults after '='):
//   name = ""                    a label for logs
//   hostname                     required unless socket is given
//   port = 3306 | socket = ""    a Unix socket is used instead of hostname:port when given
//   username (required), password = ""
//   tls.mode = disabled          disabled | preferred (TLS if the server offers it) | required
//                                (encrypted, certificate not checked) | verify_ca (signed by
//                                tls.ca) | verify_identity (and issued for hostname)
//   tls.ca = ""                  the CA's PEM file; verify_ca and verify_identity only
//   tls.cert, tls.key = ""       a client certificate and its key (REQUIRE X509 accounts)
//   connect.timeout = 10s, read.timeout = 60s, write.timeout = 60s   (whole seconds)
//   tables (required)            table patterns to capture
//   tables.exclude = none        table patterns to leave out, even when `tables` matches
//                                (a restart from a checkpoint with tables added to the list
//                                reads those by a snapshot of their own; see mysql_cdc_source.h)
//   server-id                    1..4294967295, unique among the server's replicas; required
//                                unless scan.startup.mode is snapshot. A Flink range
//                                "5401-5404" is accepted and its first id used (one reader).
//   scan.startup.mode = initial  initial | snapshot | latest-offset | earliest-offset |
//                                specific-offset | timestamp (latest, earliest and specific too)
//   scan.startup.specific-offset.file + .pos, or scan.startup.specific-offset.gtid-set
//                                exactly one of the two for specific-offset, and only then
//   scan.startup.timestamp-millis  Unix milliseconds; for timestamp, and only then
//   scan.incremental.snapshot.chunk.size = 8192   rows per snapshot chunk (Flink's: 8096)
//   scan.snapshot.parallelism = 2                 connections reading tables at once (1..64)
//   scan.snapshot.locking = minimal  minimal: block the source's commits for the instant each
//                                table's snapshot opens, so its binlog position is exact (needs
//                                the RELOAD grant; MariaDB 10.4+ BACKUP STAGE, else FLUSH
//                                TABLES WITH READ LOCK); none: never block, and risk losing a
//                                change committed in that instant
//                                (connectors/mysql/source/snapshot/ snapshot_opener.h)
//   scan.stop-at-end = false     stop at the binlog's current end instead of waiting
//   heartbeat.interval = 500ms   an idle stream still delivers within about this
//   connect.max-retries = 20     consecutive failed reconnects before the job fails
//   connect.retry-backoff = 200ms  first wait between reconnects, doubled up to 5 s
//   schema-change.skip-unparseable-ddl = false  a DDL the parser cannot read that names a
//                                captured table stops the job; true passes it over with a
//                                warning (apply it to the target by hand)
//
// source, type datagen (DatagenOptions): name; database = datagen; table-prefix = t;
//   table-count = 1; key-space = 1000; insert-weight = 50, update-weight = 30,
//   delete-weight = 20; key-update-percent = 0 (0..100); rows-per-second = 0 (unlimited);
//   number-of-rows = 0 (until stopped); seed = 1; rows-per-poll = 1024; value-length = 0.
//
// sink, type mysql (MysqlSinkOptions): name; the connection keys of the mysql source
//   (hostname, port, socket, username, password, tls.*, *.timeout), and
//   database = ""                every table into this database; empty: its source database
//   auto-create = true           create missing databases and tables from the source schema
//   max-connections = 8          concurrent flushes share this many connections (1..1024)
//   max-statement-size = 0       bytes per statement; 0: the server's max_allowed_packet
//   sql-log-bin = true           false: the target does not binlog the pipeline's writes (SET
//                                sql_log_bin = 0; as a native replica without log_slave_updates;
//                                needs BINLOG ADMIN or SUPER)
//   array-binding = true         MariaDB targets: upserts as one prepared statement with arrays
//                                of values (nothing parsed per row); false: multi-row SQL text
//   retry.max-attempts = 10, retry.initial-backoff = 100ms, retry.max-backoff = 10s
//   logical-delete.enabled = false        deletes set a flag instead of removing the row
//   logical-delete.flag-column = _is_deleted, logical-delete.time-column = "" (none)
//   logical-delete.tables = none          "db.table" names (as they reach the sink, after
//   logical-delete.tables.exclude = none  route) that always / never get logical deletes
//   schema-history.table = cdc_state.schema_history   where applied schema changes are
//                                recorded (by pipeline name), so a replay never applies one twice
// sink, type kafka (KafkaSinkOptions, connectors/kafka/kafka_sink_options.h): TiCDC's Kafka
//   sink, configured with TiCDC's names. Either
//   sink-uri = kafka://host:9092[,host2:9092]/topic?protocol=canal-json&partition-num=6&...
//     (TiCDC's whole sink URI, parameters by TiCDC's names, values percent-encoded), or
//   bootstrap-servers = host:9092, host2:9092 and topic = the default topic;
//   and any TiCDC parameter as a key of its own, which overrides the URI's: protocol
//   (canal-json | debezium | maxwell | open-protocol | avro), partition-num, replication-factor,
//   auto-create-topic, max-message-bytes, required-acks, compression, kafka-client-id,
//   kafka-version, dial-timeout, read-timeout, write-timeout, enable-tls, ca, cert, key,
//   insecure-skip-verify, sasl-user, sasl-password, sasl-mechanism, sasl-gssapi-*,
//   max-batch-size, enable-extension (enable-tidb-extension), avro-decimal-handling-mode,
//   avro-bigint-unsigned-handling-mode, schema-registry, large-message-handle-option,
//   large-message-handle-compression, claim-check-storage-uri, delivery-guarantee
//   (at-least-once | exactly-once);
//   dispatchers = [ {matcher: [db.*, !db.tmp_*], topic: "cdc_{schema}_{table}",
//                    partition: default | table | index-value | columns | ts,
//                    index: uk_name, columns: [a, b]}, ... ]   first matching rule decides;
//   column-selectors = [ {matcher: [...], columns: ['*', '!secret']}, ... ];
//   properties.NAME = VALUE      any librdkafka configuration property, passed as it is.
// sink, type print or blackhole: name only.
//
// route (a list; each item a mapping; RouteRule):
//   source-table (required) table patterns; sink-table (required) "database.table";
//   replace-symbol = none, e.g. <>: replaced in sink-table by the source table's name;
//   description = "".
// transform (a list; TransformRule):
//   source-table (required); projection = all: column names, or * for all (expressions are
//   not supported); filter = none: an expression, kept as written; description = "".
// pipeline (PipelineSettings):
//   name = the file's name without directory and extension
//   parallelism = 1 (1..4096); threads = 0 (one per core)
//   flush.rows = 2048, flush.bytes = 4mb, flush.interval = 200ms
//   buffer.max-rows = max(8192, 2 x flush.rows), buffer.max-bytes = max(16mb, 2 x flush.bytes)
//   checkpoint.interval = 10s (0: none); state.dir = "" (nothing kept across runs; needs
//   checkpoints)
//   schema.change.behavior = evolve: exception | evolve | try_evolve | lenient | ignore
//   (Flink CDC's default is lenient; ours is evolve); schema/schema_change_behavior.h says what
//   each does
//
// Errors: every problem in the file is reported at once, one per line, as
//   FILE:LINE:COLUMN: key.path: what is wrong: what to do
// Unknown keys (with a suggestion when one is close), duplicate keys, wrong types, values out
// of range, missing required keys, invalid regexes, inconsistent startup options, Flink CDC
// options this engine does not support, and what the options' own Validate() rejects.
//
// Stateless functions; safe to call from any thread.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "connectors/pipeline/pipeline_config.h"
#include "runtime/status.h"

namespace cdc {

// Looks up an environment variable: its value, or nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

// Parses and validates `yaml_text`; `file_name` is used in messages. InvalidArgument listing
// every problem, one per line, when the file is not a valid pipeline.
Result<PipelineConfig> ParsePipelineYaml(std::string_view yaml_text, std::string_view file_name,
                                         const EnvLookup& env);

// Reads the file at `path` and parses it with the process environment. IoError when the file
// cannot be read; otherwise as ParsePipelineYaml.
Result<PipelineConfig> LoadPipelineFile(const std::string& path);

}  // namespace cdc
