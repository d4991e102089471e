#include "connectors/mysql/sink/mysql_array_upsert.h"

#include <mysql.h>

#include <cmath>
#include <cstring>

#include "connectors/mysql/client/sql_literal.h"

namespace cdc {
namespace {

// How a parameter's values travel. kAny: only NULLs seen so far.
enum class Binding { kAny, kSigned, kUnsigned, kDouble, kText, kBinary };

// The binding `value` needs, or nullopt when it must travel as SQL text.
std::optional<Binding> BindingOf(const Value& value) {
  switch (value.kind()) {
    case ValueKind::kNull: return Binding::kAny;
    case ValueKind::kInt: return Binding::kSigned;
    case ValueKind::kUInt:
    case ValueKind::kBit:
    case ValueKind::kYear: return Binding::kUnsigned;
    case ValueKind::kFloat:
      if (!std::isfinite(value.float_value())) return std::nullopt;
      return Binding::kDouble;
    case ValueKind::kDouble:
      if (!std::isfinite(value.double_value())) return std::nullopt;
      return Binding::kDouble;
    case ValueKind::kString:
      if (!NonUtf8Charset(value).empty()) return std::nullopt;  // the text path's introducer
      return Binding::kText;
    case ValueKind::kDecimal:
    case ValueKind::kDate:
    case ValueKind::kTime:
    case ValueKind::kDateTime:
    case ValueKind::kTimestamp:
    case ValueKind::kEnum:
    case ValueKind::kSet:
    case ValueKind::kJson: return Binding::kText;
    case ValueKind::kBytes: return Binding::kBinary;
    case ValueKind::kGeometry: return std::nullopt;
  }
  return std::nullopt;
}

uint64_t UnsignedOf(const Value& value) {
  switch (value.kind()) {
    case ValueKind::kBit: return value.bits();
    case ValueKind::kYear: return value.year();
    default: return value.uint_value();
  }
}

// A row to upsert: its image, and for a logical delete the deleting change.
struct UpsertRow {
  const Row* row;
  const RowChange* deleted_by;  // null: a live row
};

// Bytes of a value in the bulk packet, about: an indicator, a length and the data.
constexpr size_t kValueOverhead = 10;

}  // namespace

std::optional<ArrayUpsert> ArrayUpsert::Build(const TableSchema& schema, const TableId& target,
                                              const CompactedBatch& batch,
                                              const LogicalDeleteColumns& logical,
                                              const StatementDialect& dialect) {
  std::vector<UpsertRow> rows;
  rows.reserve(batch.upserts.size() + (logical.enabled ? batch.deletes.size() : 0));
  if (logical.enabled) {
    for (const CompactedRow& deleted : batch.deletes) rows.push_back({deleted.row, deleted.change});
  }
  for (const CompactedRow& upsert : batch.upserts) rows.push_back({upsert.row, nullptr});

  const size_t width = schema.columns().size();
  std::vector<Binding> bindings(width, Binding::kAny);
  for (const UpsertRow& row : rows) {
    if (row.row->size() != width) return std::nullopt;
    for (size_t i = 0; i < width; ++i) {
      std::optional<Binding> binding = BindingOf((*row.row)[i]);
      if (!binding) return std::nullopt;
      if (*binding == Binding::kAny || *binding == bindings[i]) continue;
      if (bindings[i] != Binding::kAny) return std::nullopt;  // mixed kinds
      bindings[i] = *binding;
    }
  }
  size_t parameters = width;
  if (logical.enabled) {
    bindings.push_back(Binding::kSigned);                                  // the flag
    if (!logical.time_column.empty()) bindings.push_back(Binding::kText);  // deletion time
    parameters = bindings.size();
  }

  ArrayUpsert upsert;
  upsert.sql_ = BuildUpsertTemplate(schema, target, logical, dialect);
  upsert.rows_ = rows.size();
  upsert.columns_.resize(parameters);
  for (size_t i = 0; i < parameters; ++i) {
    Column& column = upsert.columns_[i];
    switch (bindings[i]) {
      case Binding::kSigned:
      case Binding::kUnsigned:
        column.type = MYSQL_TYPE_LONGLONG;
        column.is_unsigned = bindings[i] == Binding::kUnsigned;
        column.integers.resize(rows.size());
        break;
      case Binding::kDouble:
        column.type = MYSQL_TYPE_DOUBLE;
        column.doubles.resize(rows.size());
        break;
      case Binding::kAny:
      case Binding::kText:
      case Binding::kBinary:
        column.type = bindings[i] == Binding::kBinary ? MYSQL_TYPE_BLOB : MYSQL_TYPE_STRING;
        column.data.resize(rows.size());
        column.lengths.resize(rows.size());
        break;
    }
    column.indicators.assign(rows.size(), STMT_INDICATOR_NONE);
  }

  // Temporal values are rendered into text_; their addresses are set once it stops growing.
  struct Rendered {
    size_t column, row, offset;
  };
  std::vector<Rendered> rendered;
  std::string literal;
  auto render = [&](const Value& value, size_t column, size_t row) {
    literal.clear();
    (void)AppendSqlLiteral(value, literal);  // finite and bindable: cannot fail
    std::string_view text = literal;
    if (text.size() >= 2 && text.front() == '\'') text = text.substr(1, text.size() - 2);
    rendered.push_back({column, row, upsert.text_.size()});
    upsert.text_.insert(upsert.text_.end(), text.begin(), text.end());
    upsert.columns_[column].lengths[row] = text.size();
    return text.size();
  };

  upsert.chunk_starts_.push_back(0);
  size_t chunk_bytes = 0;
  const size_t limit = dialect.max_statement_bytes;
  for (size_t r = 0; r < rows.size(); ++r) {
    size_t row_bytes = 0;
    const Row& image = *rows[r].row;
    for (size_t i = 0; i < width; ++i) {
      const Value& value = image[i];
      Column& column = upsert.columns_[i];
      row_bytes += kValueOverhead;
      if (value.is_null()) {
        column.indicators[r] = STMT_INDICATOR_NULL;
        continue;
      }
      switch (bindings[i]) {
        case Binding::kSigned: column.integers[r] = value.int_value(); break;
        case Binding::kUnsigned:
          column.integers[r] = static_cast<int64_t>(UnsignedOf(value));
          break;
        case Binding::kDouble:
          column.doubles[r] = value.kind() == ValueKind::kFloat
                                  ? static_cast<double>(value.float_value())
                                  : value.double_value();
          break;
        case Binding::kAny: break;
        case Binding::kText:
        case Binding::kBinary:
          switch (value.kind()) {
            case ValueKind::kDate:
            case ValueKind::kTime:
            case ValueKind::kDateTime:
            case ValueKind::kTimestamp: row_bytes += render(value, i, r); break;
            default: {
              std::string_view bytes = value.bytes();  // stays in the batch's row
              column.data[r] = bytes.data();
              column.lengths[r] = bytes.size();
              row_bytes += bytes.size();
            }
          }
          break;
      }
    }
    if (logical.enabled) {
      const RowChange* deleted_by = rows[r].deleted_by;
      upsert.columns_[width].integers[r] = deleted_by != nullptr ? 1 : 0;
      row_bytes += kValueOverhead;
      if (!logical.time_column.empty()) {
        row_bytes += kValueOverhead;
        if (deleted_by == nullptr) {
          upsert.columns_[width + 1].indicators[r] = STMT_INDICATOR_NULL;
        } else {
          int64_t time_us = deleted_by->commit_time_us;
          Value at = Value::Timestamp(
              TimestampValue{time_us / 1'000'000, static_cast<uint32_t>(time_us % 1'000'000)}, 6);
          row_bytes += render(at, width + 1, r);
        }
      }
    }
    if (chunk_bytes > 0 && chunk_bytes + row_bytes > limit) {
      upsert.chunk_starts_.push_back(r);
      chunk_bytes = 0;
    }
    chunk_bytes += row_bytes;
  }
  upsert.chunk_starts_.push_back(rows.size());
  if (rows.empty()) upsert.chunk_starts_.clear();
  for (const Rendered& at : rendered) {
    upsert.columns_[at.column].data[at.row] = upsert.text_.data() + at.offset;
  }
  return upsert;
}

Status ArrayUpsert::Execute(MysqlConnection& connection) {
  std::vector<MYSQL_BIND> binds(columns_.size());
  for (size_t chunk = 0; chunk + 1 < chunk_starts_.size(); ++chunk) {
    size_t start = chunk_starts_[chunk];
    auto rows = static_cast<unsigned int>(chunk_starts_[chunk + 1] - start);
    std::memset(binds.data(), 0, binds.size() * sizeof(MYSQL_BIND));
    for (size_t i = 0; i < columns_.size(); ++i) {
      Column& column = columns_[i];
      MYSQL_BIND& bind = binds[i];
      bind.buffer_type = static_cast<enum_field_types>(column.type);
      bind.is_unsigned = column.is_unsigned;
      bind.u.indicator = column.indicators.data() + start;
      if (!column.integers.empty()) {
        bind.buffer = column.integers.data() + start;
      } else if (!column.doubles.empty()) {
        bind.buffer = column.doubles.data() + start;
      } else {
        bind.buffer = column.data.data() + start;  // column-wise: an array of pointers
        bind.length = column.lengths.data() + start;
      }
    }
    CDC_RETURN_IF_ERROR(connection.ExecuteArray(sql_, binds.data(), rows));
  }
  return Status::Ok();
}

}  // namespace cdc
