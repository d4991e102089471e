// DdlDataTypeParser: reads a column's data type in a CREATE or ALTER TABLE, every MySQL and
// MariaDB spelling of it, into the ColumnSchema it declares:
// - integers with display widths and the aliases BOOL, BOOLEAN (tinyint), INT1..INT8, INTEGER,
//   MIDDLEINT, SERIAL (BIGINT UNSIGNED NOT NULL AUTO_INCREMENT UNIQUE); SIGNED, UNSIGNED and
//   ZEROFILL (which implies UNSIGNED);
// - FLOAT[(M,D)], FLOAT(p) (DOUBLE above 24 bits), FLOAT4, FLOAT8, DOUBLE [PRECISION], REAL;
//   DECIMAL / DEC / NUMERIC / FIXED, (10,0) by default;
// - BIT (1 by default), YEAR, DATE, TIME / DATETIME / TIMESTAMP with fractional seconds;
// - CHAR (1 by default), CHAR BYTE (BINARY), VARCHAR, CHARACTER [VARYING], NATIONAL / NCHAR /
//   NVARCHAR (utf8mb3), LONG [VARCHAR] (MEDIUMTEXT), the TEXT types, TEXT(n) / BLOB(n) (n kept
//   in text_length), BINARY, VARBINARY, LONG VARBINARY (MEDIUMBLOB), the BLOB types;
// - ENUM / SET labels, JSON, GEOMETRY and its subtypes, MariaDB's UUID / INET6 (BINARY(16)) and
//   INET4 (BINARY(4)).
//
// Stateless functions; each call is bound to the cursor it reads.
#pragma once

#include <vector>

#include "runtime/status.h"
#include "schema/ddl_statement.h"
#include "schema/ddl_token_cursor.h"

namespace cdc {

// Reads the data type at the cursor into `definition`: column.type, sizes, signedness, labels,
// the NATIONAL character set and type_sql. SERIAL also sets NOT NULL and AUTO_INCREMENT and
// appends its unique key to `inline_indexes`.
Status ParseDataType(DdlTokenCursor& cursor, ColumnDefinition& definition,
                     std::vector<IndexDefinition>& inline_indexes);

}  // namespace cdc
