#include "connectors/datagen/datagen_source.h"

#include <fmt/format.h>
#include <algorithm>
#include <charconv>
#include <chrono>
#include <utility>

namespace cdc {

Status DatagenOptions::Validate() const {
  if (tables == 0) return Status::InvalidArgument("datagen: tables must be at least 1");
  if (key_space == 0) return Status::InvalidArgument("datagen: key_space must be at least 1");
  if (insert_weight + update_weight + delete_weight == 0) {
    return Status::InvalidArgument(
        "datagen: insert_weight, update_weight and delete_weight are all 0: give at least one "
        "a positive weight");
  }
  if (key_update_percent > 100) {
    return Status::InvalidArgument(fmt::format(
        "datagen: key_update_percent is {}: use a percentage from 0 to 100", key_update_percent));
  }
  if (rows_per_poll == 0)
    return Status::InvalidArgument("datagen: rows_per_poll must be at least 1");
  return Status::Ok();
}

DatagenSource::DatagenSource(DatagenOptions options) : options_(std::move(options)) {}

SourceFactory DatagenSource::Factory(DatagenOptions options) {
  return [options = std::move(options)](const SubtaskInfo&) {
    return std::make_unique<DatagenSource>(options);
  };
}

Status DatagenSource::Open(const SubtaskInfo& info, Clock& clock) {
  CDC_RETURN_IF_ERROR(options_.Validate());
  subtask_ = info.index;
  parallelism_ = info.parallelism;
  if (options_.key_space < parallelism_) {
    return Status::InvalidArgument(
        fmt::format("datagen: key_space {} is smaller than the parallelism {}: raise key_space",
                    options_.key_space, parallelism_));
  }
  rng_state_ = options_.seed * 0x9e3779b97f4a7c15ULL + subtask_;
  if (options_.count > 0) {
    quota_ = options_.count / parallelism_ + (subtask_ < options_.count % parallelism_ ? 1 : 0);
  }
  rate_ = static_cast<double>(options_.rate) / static_cast<double>(parallelism_) / 1e6;
  clock_ = &clock;
  started_at_ = clock.Now();
  wall_start_us_ =
      std::chrono::duration_cast<Micros>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  for (size_t t = 0; t < options_.tables; ++t) {
    std::vector<ColumnSchema> columns(4);
    columns[0].name = "id";
    columns[0].type = ColumnType::kBigInt;
    columns[0].nullable = false;
    columns[1].name = "k";
    columns[1].type = ColumnType::kInt;
    columns[1].nullable = false;
    columns[2].name = "c";
    columns[2].type = ColumnType::kVarChar;
    columns[2].length = static_cast<uint32_t>(std::max<size_t>(64, options_.c_length));
    columns[2].collation = "utf8mb4_general_ci";
    columns[3].name = "updated_at";
    columns[3].type = ColumnType::kDateTime;
    columns[3].fsp = 6;
    TableId id{options_.database, options_.table_prefix + std::to_string(t)};
    auto schema = TableSchema::Make(id, std::move(columns), {0});
    if (!schema.ok()) return schema.status();
    tables_.push_back(TableState{*schema, std::vector<uint32_t>(options_.key_space, 0)});
  }
  next_pick_ = PickRow();
  return Status::Ok();
}

Row DatagenSource::TakeSpareRow() {
  Row& spare = spare_rows_[next_spare_];
  next_spare_ ^= 1;
  Row row = std::move(spare);
  spare = Row();
  spare.reserve(4);
  const char* memory = reinterpret_cast<const char*>(spare.data());
  for (size_t offset = 0; offset < 4 * sizeof(Value); offset += 64) {
    __builtin_prefetch(memory + offset, 1);
  }
  if (row.capacity() < 4) row.reserve(4);
  return row;
}

Row DatagenSource::MakeRow(uint64_t id, uint32_t version) {
  // Values are a pure function of (id, version), so a before-image is rebuilt exactly.
  char text[24] = {'v'};
  auto end = std::to_chars(text + 1, text + sizeof(text), version).ptr;
  uint64_t mixed = (id + 1) * 0x9e3779b97f4a7c15ULL ^ version;
  DateTimeValue at{
      DateValue{2024, static_cast<uint8_t>(1 + version % 12), static_cast<uint8_t>(1 + id % 28)},
      static_cast<uint8_t>(version % 24), static_cast<uint8_t>(id % 60),
      static_cast<uint8_t>(version % 60), static_cast<uint32_t>(mixed % 1000000)};
  Row row = TakeSpareRow();
  row.push_back(Value::Int(static_cast<int64_t>(id)));
  row.push_back(Value::Int(static_cast<int64_t>(mixed % 1000000)));
  std::string c(text, end);
  if (options_.c_length > c.size()) {
    // Deterministic digits after the version, like sysbench's groups of digits: a window of a
    // fixed digit sequence chosen by the row, so filling costs one copy.
    static const std::string kDigits = [] {
      std::string digits;
      for (uint64_t x = 0x9e3779b97f4a7c15ULL; digits.size() < 512;
           x = x * 6364136223846793005ULL + 1) {
        digits.push_back(static_cast<char>('0' + (x >> 59) % 10));
      }
      return digits;
    }();
    size_t fill = std::min(options_.c_length - c.size(), kDigits.size() - 128);
    c.append(kDigits, mixed % 128, fill);
  }
  row.push_back(Value::String(std::move(c), 45));
  row.push_back(Value::DateTime(at, 6));
  return row;
}

uint64_t DatagenSource::Next() {
  uint64_t z = (rng_state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

uint64_t DatagenSource::Below(uint64_t n) {
  return static_cast<uint64_t>((static_cast<unsigned __int128>(Next()) * n) >> 64);
}

DatagenSource::Pick DatagenSource::PickRow() {
  uint64_t owned = (options_.key_space - subtask_ + parallelism_ - 1) / parallelism_;
  Pick pick{static_cast<size_t>(Below(tables_.size())), Below(owned) * parallelism_ + subtask_};
  __builtin_prefetch(&tables_[pick.table].rows[pick.id], 1);
  return pick;
}

Status DatagenSource::EmitOne(Output& out, int64_t commit_time_us) {
  Pick pick = next_pick_;
  next_pick_ = PickRow();
  TableState& table = tables_[pick.table];
  uint64_t id = pick.id;
  uint32_t& state = table.rows[id];
  uint32_t total = options_.insert_weight + options_.update_weight + options_.delete_weight;
  auto roll = static_cast<uint32_t>(Below(total));
  ChangeKind kind = roll < options_.insert_weight                            ? ChangeKind::kInsert
                    : roll < options_.insert_weight + options_.update_weight ? ChangeKind::kUpdate
                                                                             : ChangeKind::kDelete;
  // Keep the history consistent: insert only absent rows, update and delete only present ones.
  bool exists = (state & kExists) != 0;
  if (kind == ChangeKind::kInsert && exists) kind = ChangeKind::kUpdate;
  if (kind != ChangeKind::kInsert && !exists) kind = ChangeKind::kInsert;

  RowChange change;
  change.kind = kind;
  change.table = table.schema.get();
  change.position.offset = emitted_ + 1;
  change.commit_time_us = commit_time_us;
  change.transaction_id = emitted_ + 1;
  uint32_t version = state & ~kExists;
  if (kind != ChangeKind::kInsert) change.before = MakeRow(id, version);
  if (kind == ChangeKind::kDelete) {
    state = version;
  } else if (kind == ChangeKind::kUpdate && options_.key_update_percent > 0 &&
             Below(100) < options_.key_update_percent) {
    Pick target = PickRow();
    uint32_t& new_state = table.rows[target.id];
    if ((new_state & kExists) == 0) {
      state = version;
      uint32_t new_version = std::max(new_state, version) + 1;
      new_state = new_version | kExists;
      change.after = MakeRow(target.id, new_version);
    }
  }
  if (kind != ChangeKind::kDelete && change.after.empty()) {
    state = (version + 1) | kExists;
    change.after = MakeRow(id, version + 1);
  }
  ++emitted_;
  return out.Emit(std::move(change));
}

Result<PollResult> DatagenSource::PollNext(Output& out) {
  uint64_t batch = options_.rows_per_poll;
  if (quota_ > 0) {
    if (emitted_ >= quota_) return PollResult::End();
    batch = std::min<uint64_t>(batch, quota_ - emitted_);
  }
  Micros now = clock_->Now();
  if (rate_ > 0) {
    auto allowed = static_cast<uint64_t>(static_cast<double>((now - started_at_).count()) * rate_);
    if (allowed <= emitted_) {
      auto next = static_cast<int64_t>(static_cast<double>(emitted_ + 1) / rate_);
      return PollResult::WaitUntil(started_at_ + Micros(next));
    }
    batch = std::min<uint64_t>(batch, allowed - emitted_);
  }
  int64_t commit_time_us = wall_start_us_ + (now - started_at_).count();
  for (uint64_t i = 0; i < batch; ++i) CDC_RETURN_IF_ERROR(EmitOne(out, commit_time_us));
  if (quota_ > 0 && emitted_ >= quota_) return PollResult::End();
  return PollResult::More();
}

std::string DatagenSource::SnapshotState() {
  return fmt::format("emitted={}", emitted_);
}

}  // namespace cdc
