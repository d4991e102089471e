// The schemas of a server's tables as information_schema describes them now: columns with
// their types, signedness, nullability, lengths, precision, fractional seconds, collations,
// ENUM / SET labels, defaults, ON UPDATE and comments; every index (primary, unique, plain,
// FULLTEXT, SPATIAL, with prefix lengths and order); each table's default collation and
// comment. The binlog source's catalog starts from it (the binlog's table maps carry neither
// keys nor defaults), and the snapshot reads by it. System schemas (mysql, information_schema,
// performance_schema, sys) are never listed. MariaDB's UUID, INET4 and INET6 are known
// (ColumnSchema::fixed_binary).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "connectors/mysql/client/mysql_connection.h"
#include "connectors/mysql/source/table_filter.h"
#include "schema/table_schema.h"

namespace cdc {

// Every base table the filter accepts, by id.
Result<std::map<TableId, TableSchemaPtr>> ReadTableSchemas(MysqlConnection& connection,
                                                           TableFilter& filter);

// The ColumnType for information_schema's DATA_TYPE ("int", "varchar", "uuid", ...) and
// COLUMN_TYPE ("int(10) unsigned", "enum('a','b')"). InvalidArgument naming the type when it has
// none.
Result<ColumnSchema> ColumnFromInformationSchema(const std::string& name,
                                                 const std::string& data_type,
                                                 const std::string& column_type);

// ColumnSchema::default_value from information_schema.COLUMNS' COLUMN_DEFAULT (nullopt for SQL
// NULL) and EXTRA. MariaDB 10.2.7+ writes it as SQL: string literals quoted, expressions bare,
// 'NULL' for DEFAULT NULL. MySQL writes the bare value, with DEFAULT_GENERATED in EXTRA for an
// expression: a literal is quoted, an expression other than CURRENT_TIMESTAMP parenthesised.
std::optional<std::string> DefaultFromInformationSchema(
    const std::optional<std::string>& column_default, const std::string& extra,
    const ColumnSchema& column, bool mariadb);

// ColumnSchema::on_update from EXTRA: "on update current_timestamp(6)" -> "current_timestamp(6)".
std::optional<std::string> OnUpdateFromInformationSchema(const std::string& extra);

}  // namespace cdc
