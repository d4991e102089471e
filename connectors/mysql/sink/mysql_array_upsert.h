// ArrayUpsert: the upserts of one flush of a keyed table (the final rows and, under logical
// deletes, the flagged before-images) sent by MariaDB's array binding: one prepared
// INSERT ... ON DUPLICATE KEY UPDATE with a placeholder per column, executed with an array of
// values per column (COM_STMT_BULK_EXECUTE). No value is written as SQL text, so the server
// parses the statement once per session instead of every row's literals; measured on the
// replica benchmark, that parsing was a quarter of the target server's CPU.
//
// Values travel as integers (INT kinds, BIT, YEAR), doubles (FLOAT, DOUBLE), binary strings
// (BINARY / BLOB) or text in the session's utf8mb4 (DECIMAL digits, temporal values as
// sql_literal.h writes them, TIMESTAMP in UTC, utf8 text, ENUM / SET labels, JSON), each
// read back by the server exactly as the same value's SQL literal. Rows are split into arrays
// of at most the statement byte limit.
//
// Not thread-safe; one flush owns it. Points into the batch's rows, which must outlive it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "connectors/mysql/client/mysql_connection.h"
#include "connectors/mysql/sink/mysql_statements.h"

namespace cdc {

class ArrayUpsert {
 public:
  // The batch's upserts as arrays, or nullopt when a value must travel as SQL text: a string
  // in a character set other than utf8mb4 / utf8mb3 (the text gets an introducer), GEOMETRY, a
  // NaN or infinite float (the text path reports it), or a column whose values mix kinds. Then
  // BuildKeyedStatements writes the upserts. Empty (no rows) when the batch has none.
  static std::optional<ArrayUpsert> Build(const TableSchema& schema, const TableId& target,
                                          const CompactedBatch& batch,
                                          const LogicalDeleteColumns& logical,
                                          const StatementDialect& dialect);

  // Runs each array on `connection` (inside the caller's transaction, if any). On failure the
  // connection's last_error() has the server's error.
  Status Execute(MysqlConnection& connection);

  size_t rows() const { return rows_; }
  size_t arrays() const { return chunk_starts_.empty() ? 0 : chunk_starts_.size() - 1; }

 private:
  // One parameter's values: integers / doubles for numeric bindings, else pointers and
  // lengths; an indicator per row (none or NULL).
  struct Column {
    int type = 0;  // enum_field_types
    bool is_unsigned = false;
    std::vector<int64_t> integers;
    std::vector<double> doubles;
    std::vector<const char*> data;
    std::vector<unsigned long> lengths;
    std::vector<char> indicators;
  };

  std::string sql_;
  std::vector<Column> columns_;
  size_t rows_ = 0;
  std::vector<size_t> chunk_starts_;  // first row of each array, then rows_
  std::vector<char> text_;            // rendered values (temporal), addressed by the columns
};

}  // namespace cdc
