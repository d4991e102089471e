// The schemas of a server's tables as information_schema describes them now: columns with
// their types, signedness, nullability, lengths, precision, fractional seconds, collations and
// ENUM / SET labels, the primary key and the unique keys. The binlog source's catalog starts
// from it (the binlog's table maps do not carry unique keys), and the snapshot reads by it.
// System schemas (mysql, information_schema, performance_schema, sys) are never listed.
#pragma once

#include <map>
#include <vector>

#include "connectors/mysql/binlog/table_filter.h"
#include "connectors/mysql/mysql_connection.h"
#include "schema/table_schema.h"

namespace cdc {

// Every base table the filter accepts, by id.
Result<std::map<TableId, TableSchemaPtr>> ReadTableSchemas(MysqlConnection& connection,
                                                           TableFilter& filter);

// The ColumnType for information_schema's DATA_TYPE ("int", "varchar", ...) and COLUMN_TYPE
// ("int(10) unsigned", "enum('a','b')"). InvalidArgument naming the type when it has none.
Result<ColumnSchema> ColumnFromInformationSchema(const std::string& name, const std::string& data_type,
                                                 const std::string& column_type);

}  // namespace cdc
