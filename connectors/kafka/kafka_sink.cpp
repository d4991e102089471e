#include "connectors/kafka/kafka_sink.h"

#include <fmt/format.h>

#include "connectors/mysql/client/source_order.h"
#include "runtime/logger.h"
#include "schema/row_key.h"
#include "schema/schema_projection.h"

namespace cdc {
namespace {

constexpr char kComponent[] = "kafka sink";
constexpr int32_t kDefaultPartitions = 3;  // TiCDC's partition-num default for created topics

// "3.9.1" -> {3, 9}; {-1, -1} when not a version.
std::pair<int, int> MajorMinor(const std::string& version) {
  int major = -1, minor = 0;
  if (std::sscanf(version.c_str(), "%d.%d", &major, &minor) < 1) return {-1, -1};
  return {major, minor};
}

// The barriers a schema change sends: one per renamed table for a RENAME of several tables
// (each to its old name's topic), else the change itself.
std::vector<RowChange> SplitRenames(const RowChange& change) {
  const SchemaChange& schema_change = *change.schema_change;
  if (schema_change.kind != SchemaChangeKind::kRenameTable || schema_change.renames.empty()) {
    return {change};
  }
  std::vector<RowChange> parts;
  for (const TableRenameStep& step : schema_change.renames) {
    auto part = std::make_shared<SchemaChange>(schema_change);
    part->renames = {step};
    if (schema_change.renames.size() > 1) {
      part->statement =
          fmt::format("RENAME TABLE {} TO {}", step.from->id().Quoted(), step.to->id().Quoted());
    }
    RowChange barrier = change;
    barrier.table = step.from.get();
    barrier.schema_change = std::move(part);
    parts.push_back(std::move(barrier));
  }
  return parts;
}

}  // namespace

class KafkaSink::Writer final : public TableWriter {
 public:
  Writer(KafkaSink& sink, size_t subtask) : sink_(sink), subtask_(subtask) {}

  void Write(FlushBatch batch, std::function<void(Status)> done) override {
    if (sink_.options_.exactly_once) {
      Status status = WriteTransaction(batch);
      if (!status.ok())
        status = status.WithContext(fmt::format("table {}", batch.table.ToString()));
      done(status);
      return;
    }
    // Filled before the tracker is sealed, read by its callback after: Seal's release and the
    // last delivery's acquire order the two.
    auto counts = std::make_shared<Counts>();
    for (const RowChange& change : batch.changes) {
      counts->commit_time_us = std::max(counts->commit_time_us, change.commit_time_us);
    }
    auto* tracker =
        new DeliveryTracker([&sink = sink_, counts, done = std::move(done)](const Status& status) {
          if (status.ok())
            sink.Acknowledged(counts->messages, counts->bytes, counts->commit_time_us);
          done(status);
        });
    Status status = Send(batch, tracker, *counts);
    if (!status.ok()) {
      tracker->Add();
      tracker->Delivered(status.WithContext(fmt::format("table {}", batch.table.ToString())));
    }
    tracker->Seal();
  }

 private:
  // The changes the state says were committed before a restart: at or before the recorded
  // position of this table and subtask (of the table's barriers, for a barrier), where the
  // source orders them.
  void SkipCommitted(std::vector<RowChange>& changes) const {
    const DeliveryState& state = *sink_.delivery_state_;
    if (state.records().empty()) return;
    std::optional<DeliveryRecord> rows, barriers;
    bool looked = false;
    std::erase_if(changes, [&](const RowChange& change) {
      if (!looked) {
        rows = state.Find(DeliveryState::Key(change.table->id(), subtask_));
        barriers = state.Find(DeliveryState::BarrierKey(change.table->id()));
        looked = true;
      }
      const std::optional<DeliveryRecord>& record = IsTableBarrier(change.kind) ? barriers : rows;
      if (!record) return false;
      // Snapshot rows have no position of their own (index 0, no server): never passed over.
      if (change.position.index == 0 && change.position.server_id == 0 &&
          !IsTableBarrier(change.kind)) {
        return false;
      }
      return std::is_lteq(CompareInSource(change.position, record->position));
    });
  }

  Status WriteTransaction(FlushBatch& batch) {
    SkipCommitted(batch.changes);
    if (batch.changes.empty()) return Status::Ok();
    Transactional& transactional = *sink_.transactional_[subtask_];
    std::lock_guard lock(transactional.mu);
    KafkaProducer& producer = *transactional.producer;
    CDC_RETURN_IF_ERROR(producer.BeginTransaction());
    transaction_ = &producer;
    Counts counts;
    const RowChange& last = batch.changes.back();
    Status status = Send(batch, nullptr, counts);
    if (status.ok()) {
      DeliveryRecord record{last.position, static_cast<uint32_t>(sink_.parallelism_)};
      std::string key = IsTableBarrier(last.kind) ? DeliveryState::BarrierKey(batch.table)
                                                  : DeliveryState::Key(batch.table, subtask_);
      status = producer.Produce(sink_.state_topic_, 0, key, DeliveryState::Encode(record), false,
                                nullptr);
    }
    if (status.ok()) status = producer.CommitTransaction();
    transaction_ = nullptr;
    if (!status.ok()) {
      Status aborted = producer.AbortTransaction();
      if (!aborted.ok()) {
        Log(LogLevel::kWarning, kComponent, aborted.message());
      }
      return status;
    }
    int64_t commit_time_us = 0;
    for (const RowChange& change : batch.changes) {
      commit_time_us = std::max(commit_time_us, change.commit_time_us);
    }
    sink_.Acknowledged(counts.messages, counts.bytes, commit_time_us);
    return Status::Ok();
  }

  struct Counts {
    uint64_t messages = 0;
    uint64_t bytes = 0;
    int64_t commit_time_us = 0;
  };

  Status Send(const FlushBatch& batch, DeliveryTracker* tracker, Counts& counts) {
    for (const RowChange& change : batch.changes) {
      if (change.kind == ChangeKind::kSchemaChange) {
        for (const RowChange& part : SplitRenames(change)) {
          CDC_RETURN_IF_ERROR(SendToAllPartitions(part, tracker, counts));
        }
      } else if (change.kind == ChangeKind::kTruncate) {
        CDC_RETURN_IF_ERROR(SendToAllPartitions(change, tracker, counts));
      } else {
        CDC_RETURN_IF_ERROR(SendRow(change, tracker, counts));
      }
    }
    return Status::Ok();
  }

  // Queues one message; a Produce error is returned (and the tracker's count undone).
  Status Produce(const std::string& topic, int32_t partition, const EncodedMessage& message,
                 DeliveryTracker* tracker, Counts& counts) {
    // In a transaction, the commit says whether every message arrived: no tracker.
    KafkaProducer& producer = transaction_ != nullptr ? *transaction_ : *sink_.producer_;
    if (tracker != nullptr) tracker->Add();
    Status produced =
        producer.Produce(topic, partition, message.key, message.value, message.tombstone, tracker);
    if (!produced.ok()) {
      if (tracker != nullptr) tracker->Delivered(Status::Ok());
      return produced;
    }
    ++counts.messages;
    counts.bytes += message.key.size() + message.value.size();
    return Status::Ok();
  }

  // The table's dispatch and column selection, resolved once per schema version.
  Result<const TableDispatch*> DispatchOf(const TableSchema& schema) {
    if (dispatch_schema_ != &schema) {
      dispatch_schema_ = nullptr;
      auto dispatch = sink_.rules_->For(schema);
      if (!dispatch.ok()) return dispatch.status();
      dispatch_ = std::move(dispatch).value();
      auto topic = sink_.TopicFor(dispatch_->topic);
      if (!topic.ok()) return topic.status();
      topic_ = *topic;
      auto selected = sink_.selector_->Select(schema, dispatch_->partition.columns());
      if (!selected.ok()) return selected.status();
      selection_ = std::move(selected).value();
      projected_.reset();
      if (selection_) {
        auto projected = ProjectSchema(schema, *selection_, "column-selectors");
        if (!projected.ok()) return projected.status();
        projected_ = std::move(projected).value();
      }
      dispatch_schema_ = &schema;
    }
    return &*dispatch_;
  }

  // `change` with only the selected columns, or itself when every column is kept.
  const RowChange& Selected(const RowChange& change, RowChange& storage) const {
    if (!selection_) return change;
    storage = change;
    storage.table = projected_.get();
    if (!storage.before.empty()) storage.before = Project(std::move(storage.before), *selection_);
    if (!storage.after.empty()) storage.after = Project(std::move(storage.after), *selection_);
    return storage;
  }

  Result<EncodedMessage> Encode(const RowChange& change) {
    auto message = sink_.encoder_->Encode(change);
    if (!message.ok()) return message.status();
    size_t size = message->key.size() + message->value.size();
    if (size <= topic_.max_message_bytes) return message;
    LargeMessageHandling handling = sink_.options_.large_message_handling;
    if (handling != LargeMessageHandling::kNone && !IsTableBarrier(change.kind)) {
      auto small = LargeMessageForm(change, *message);
      if (!small.ok()) return small.status();
      size_t small_size = small->key.size() + small->value.size();
      if (small_size <= topic_.max_message_bytes) return small;
      size = small_size;
    }
    std::string key = change.table != nullptr && !change.image().empty() && change.table->has_key()
                          ? KeyToString(*change.table, change.image())
                          : std::string("(no key)");
    return Status::InvalidArgument(fmt::format(
        "the message of a {} ({}, at {}) has {} bytes, over the limit of {} bytes (the smaller "
        "of max-message-bytes and the topic's max.message.bytes){}",
        ChangeKindName(change.kind), key, change.position.ToString(), size,
        topic_.max_message_bytes,
        handling == LargeMessageHandling::kNone
            ? ": raise both, or set large-message-handle-option"
            : " even in its large-message form: raise the limits"));
  }

  // The handle-key-only or claim-check message standing for `change`, whose whole message is
  // `message`.
  Result<EncodedMessage> LargeMessageForm(const RowChange& change, const EncodedMessage& message) {
    if (sink_.options_.large_message_handling == LargeMessageHandling::kHandleKeyOnly) {
      return sink_.encoder_->EncodeHandleKeyOnly(change);
    }
    auto location = sink_.claim_check_->Store(
        change.table->id().database + "." + change.table->id().table, message.value);
    if (!location.ok()) return location.status();
    return sink_.encoder_->EncodeClaimCheckReference(change, *location);
  }

  Status SendRow(const RowChange& change, DeliveryTracker* tracker, Counts& counts) {
    auto dispatch = DispatchOf(*change.table);
    if (!dispatch.ok()) return dispatch.status();
    RowChange storage;
    auto message = Encode(Selected(change, storage));
    if (!message.ok()) return message.status();
    int32_t partition = (*dispatch)->partition.Partition(change, topic_.partitions);
    CDC_RETURN_IF_ERROR(Produce((*dispatch)->topic, partition, *message, tracker, counts));
    for (const EncodedMessage& trailing : sink_.encoder_->Trailing(change)) {
      CDC_RETURN_IF_ERROR(Produce((*dispatch)->topic, partition, trailing, tracker, counts));
    }
    return Status::Ok();
  }

  Status SendToAllPartitions(const RowChange& change, DeliveryTracker* tracker, Counts& counts) {
    auto dispatch = DispatchOf(*change.table);
    if (!dispatch.ok()) return dispatch.status();
    auto message = Encode(change);
    if (!message.ok()) return message.status();
    for (int32_t partition = 0; partition < topic_.partitions; ++partition) {
      CDC_RETURN_IF_ERROR(Produce((*dispatch)->topic, partition, *message, tracker, counts));
    }
    return Status::Ok();
  }

  KafkaSink& sink_;
  const size_t subtask_;
  KafkaProducer* transaction_ = nullptr;  // the open transaction's producer, if any
  const TableSchema* dispatch_schema_ = nullptr;
  std::optional<TableDispatch> dispatch_;
  Topic topic_;
  std::optional<std::vector<size_t>> selection_;  // the selected columns; none: all
  TableSchemaPtr projected_;                      // the schema of the selected columns
};

KafkaSink::KafkaSink(KafkaSinkOptions options, std::shared_ptr<const ChangeEncoder> encoder,
                     std::string client_id)
    : options_(std::move(options)),
      encoder_(std::move(encoder)),
      client_id_(options_.client_id.empty() ? std::move(client_id) : options_.client_id) {}

KafkaSink::~KafkaSink() = default;

Status KafkaSink::Check(size_t parallelism) {
  parallelism_ = parallelism;
  CDC_RETURN_IF_ERROR(options_.Validate());
  auto rules = TableDispatchRules::Make(options_.topic, options_.dispatchers);
  if (!rules.ok()) return rules.status().WithContext("kafka sink");
  rules_ = std::move(rules).value();
  auto selector = ColumnSelector::Make(options_.column_selectors);
  if (!selector.ok()) return selector.status().WithContext("kafka sink");
  selector_ = std::move(selector).value();
  if (options_.large_message_handling == LargeMessageHandling::kClaimCheck) {
    auto storage = ClaimCheckStorage::Open(options_.claim_check_storage_uri);
    if (!storage.ok()) return storage.status().WithContext("kafka sink");
    claim_check_.emplace(std::move(storage).value());
  }
  auto producer = KafkaProducer::Create(options_, client_id_);
  if (!producer.ok()) return producer.status();
  producer_ = std::move(producer).value();
  CDC_RETURN_IF_ERROR(producer_->Check());
  if (!options_.kafka_version.empty()) {
    std::string broker = producer_->BrokerVersion();
    if (broker.empty()) {
      Log(LogLevel::kInfo, kComponent,
          fmt::format("kafka-version {}: the broker does not say its version, so it is not "
                      "compared; librdkafka negotiates the protocol with the broker itself",
                      options_.kafka_version));
    } else if (MajorMinor(broker) != MajorMinor(options_.kafka_version)) {
      Log(LogLevel::kWarning, kComponent,
          fmt::format("kafka-version is {} but the broker runs {}: set kafka-version to {} (the "
                      "value does not change what is sent: librdkafka negotiates the protocol "
                      "with the broker)",
                      options_.kafka_version, broker, broker));
    }
  }
  auto topic = TopicFor(options_.topic);
  if (!topic.ok()) return topic.status();
  if (options_.exactly_once) return PrepareExactlyOnce(parallelism);
  return Status::Ok();
}

Status KafkaSink::PrepareExactlyOnce(size_t parallelism) {
  state_topic_.clear();
  for (char c : client_id_ + ".delivery-state") {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '.' || c == '_' || c == '-';
    state_topic_.push_back(plain ? c : '_');
  }
  auto info = producer_->EnsureTopic(state_topic_, true, 1,
                                     static_cast<int32_t>(options_.replication_factor), true);
  if (!info.ok()) return info.status().WithContext("the exactly-once state topic");
  // Every transactional id that may hold an open transaction: this parallelism's and any
  // larger one's of an earlier run (their records name them). Initialising an id aborts its
  // open transaction and fences its old producer, so read_committed readers never stall.
  auto earlier = DeliveryState::Load(options_, state_topic_, false);
  if (!earlier.ok()) return earlier.status();
  size_t ids = std::max(parallelism, earlier->max_subtasks());
  transactional_.clear();
  for (size_t i = 0; i < ids; ++i) {
    auto producer = KafkaProducer::CreateTransactional(options_, client_id_,
                                                       fmt::format("{}-{}", client_id_, i));
    if (!producer.ok()) return producer.status();
    if (i < parallelism) {
      auto transactional = std::make_unique<Transactional>();
      transactional->producer = std::move(producer).value();
      transactional_.push_back(std::move(transactional));
    }
  }
  auto state = DeliveryState::Load(options_, state_topic_, true);
  if (!state.ok()) return state.status();
  for (const auto& [key, record] : state->records()) {
    if (record.parallelism != parallelism) {
      return Status::InvalidArgument(fmt::format(
          "kafka sink: the exactly-once state in topic {} was written with parallelism {}, and "
          "the sink now runs {}: a changed parallelism routes keys to other subtasks, whose "
          "records do not cover them; run with parallelism {}, or delete the state topic (the "
          "changes after the last checkpoint are then sent again)",
          state_topic_, record.parallelism, parallelism, record.parallelism));
    }
  }
  delivery_state_ = std::move(state).value();
  Log(LogLevel::kInfo, kComponent,
      fmt::format("exactly-once: {} transactional producers, {} delivery records in {}",
                  parallelism, delivery_state_->records().size(), state_topic_));
  return Status::Ok();
}

Result<KafkaSink::Topic> KafkaSink::TopicFor(const std::string& name) {
  std::lock_guard lock(topics_mu_);
  if (auto it = topics_.find(name); it != topics_.end()) return it->second;
  int32_t create_with = options_.partition_num != 0 ? static_cast<int32_t>(options_.partition_num)
                                                    : kDefaultPartitions;
  auto info = producer_->EnsureTopic(name, options_.auto_create_topic, create_with,
                                     static_cast<int32_t>(options_.replication_factor));
  if (!info.ok()) return info.status();
  Topic topic;
  topic.partitions = info->partitions;
  if (options_.partition_num != 0) {
    if (options_.partition_num > static_cast<uint32_t>(info->partitions)) {
      return Status::InvalidArgument(fmt::format(
          "kafka sink: partition-num is {} but topic {} has {} partitions: lower partition-num "
          "to at most {}, or add partitions to the topic",
          options_.partition_num, name, info->partitions, info->partitions));
    }
    topic.partitions = static_cast<int32_t>(options_.partition_num);
  }
  topic.max_message_bytes = options_.max_message_bytes;
  if (info->max_message_bytes != 0 && info->max_message_bytes < topic.max_message_bytes) {
    topic.max_message_bytes = info->max_message_bytes;
  }
  topics_[name] = topic;
  return topic;
}

Result<std::unique_ptr<TableWriter>> KafkaSink::CreateWriter(const TableWriterContext& context) {
  if (producer_ == nullptr) {
    return Status::Internal("kafka sink: CreateWriter before Check(): call Check() first");
  }
  if (options_.exactly_once && context.subtask >= transactional_.size()) {
    return Status::Internal(
        fmt::format("kafka sink: subtask {} of {} has no transactional producer: Check() was given "
                    "parallelism {}; pass the sink's parallelism",
                    context.subtask, context.parallelism, transactional_.size()));
  }
  return std::unique_ptr<TableWriter>(std::make_unique<Writer>(*this, context.subtask));
}

bool KafkaSink::NeedsTableRouting() const {
  if (rules_) return rules_->NeedsTableRouting();
  auto rules = TableDispatchRules::Make(options_.topic, options_.dispatchers);
  return rules.ok() && rules->NeedsTableRouting();
}

void KafkaSink::Acknowledged(uint64_t messages, uint64_t bytes, int64_t commit_time_us) {
  messages_.fetch_add(messages, std::memory_order_relaxed);
  bytes_.fetch_add(bytes, std::memory_order_relaxed);
  int64_t seen = applied_commit_time_us_.load(std::memory_order_relaxed);
  while (commit_time_us > seen &&
         !applied_commit_time_us_.compare_exchange_weak(seen, commit_time_us)) {
  }
}

KafkaSinkStats KafkaSink::stats() const {
  return KafkaSinkStats{messages_.load(), bytes_.load(), applied_commit_time_us_.load()};
}

}  // namespace cdc
