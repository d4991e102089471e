#include "connectors/kafka/kafka_producer.h"

#include <fmt/format.h>
#include <librdkafka/rdkafka.h>

#include <chrono>
#include <vector>

#include "runtime/logger.h"

namespace cdc {
std::vector<std::pair<std::string, std::string>> KafkaConnectionProperties(
    const KafkaSinkOptions& options) {
  std::vector<std::pair<std::string, std::string>> props;
  std::string brokers;
  for (const std::string& broker : options.brokers) {
    if (!brokers.empty()) brokers += ',';
    brokers += broker;
  }
  props.emplace_back("bootstrap.servers", brokers);
  std::string protocol = options.enable_tls ? "ssl" : "plaintext";
  if (!options.sasl_mechanism.empty()) {
    protocol = options.enable_tls ? "sasl_ssl" : "sasl_plaintext";
    std::string mechanism = options.sasl_mechanism == "plain"           ? "PLAIN"
                            : options.sasl_mechanism == "scram-sha-256" ? "SCRAM-SHA-256"
                            : options.sasl_mechanism == "scram-sha-512" ? "SCRAM-SHA-512"
                                                                        : "GSSAPI";
    props.emplace_back("sasl.mechanisms", mechanism);
    if (mechanism != "GSSAPI") {
      props.emplace_back("sasl.username", options.sasl_user);
      props.emplace_back("sasl.password", options.sasl_password);
    }
  }
  props.emplace_back("security.protocol", protocol);
  if (options.enable_tls) {
    if (!options.ca.empty()) props.emplace_back("ssl.ca.location", options.ca);
    if (!options.cert.empty()) props.emplace_back("ssl.certificate.location", options.cert);
    if (!options.key.empty()) props.emplace_back("ssl.key.location", options.key);
    if (options.insecure_skip_verify) {
      props.emplace_back("enable.ssl.certificate.verification", "false");
      props.emplace_back("ssl.endpoint.identification.algorithm", "none");
    }
  }
  for (const auto& [name, value] : options.sasl_gssapi) {
    // Documented, untested: no Kerberos server runs here.
    if (name == "sasl-gssapi-service-name") props.emplace_back("sasl.kerberos.service.name", value);
    if (name == "sasl-gssapi-keytab-path") props.emplace_back("sasl.kerberos.keytab", value);
    if (name == "sasl-gssapi-user") {
      auto realm = options.sasl_gssapi.find("sasl-gssapi-realm");
      props.emplace_back("sasl.kerberos.principal",
                         realm == options.sasl_gssapi.end() ? value : value + "@" + realm->second);
    }
  }
  return props;
}

namespace {

constexpr char kComponent[] = "kafka sink";

// librdkafka's admin results, freed on scope exit.
struct EventDeleter {
  void operator()(rd_kafka_event_t* event) const { rd_kafka_event_destroy(event); }
};
using EventPtr = std::unique_ptr<rd_kafka_event_t, EventDeleter>;
struct QueueDeleter {
  void operator()(rd_kafka_queue_t* queue) const { rd_kafka_queue_destroy(queue); }
};
using QueuePtr = std::unique_ptr<rd_kafka_queue_t, QueueDeleter>;
struct OptionsDeleter {
  void operator()(rd_kafka_AdminOptions_t* options) const {
    rd_kafka_AdminOptions_destroy(options);
  }
};
using AdminOptionsPtr = std::unique_ptr<rd_kafka_AdminOptions_t, OptionsDeleter>;

// The librdkafka configuration of `options` for a producer, as (property, value) pairs in the
// order set.
std::vector<std::pair<std::string, std::string>> Properties(const KafkaSinkOptions& options,
                                                            const std::string& client_id) {
  std::vector<std::pair<std::string, std::string>> props = KafkaConnectionProperties(options);
  props.emplace_back("client.id", client_id);
  props.emplace_back("acks", std::to_string(options.required_acks));
  // Per-partition order with retries, and no duplicates from them, needs every in-sync
  // replica's acknowledgement (librdkafka refuses idempotence otherwise).
  props.emplace_back("enable.idempotence", options.required_acks == -1 ? "true" : "false");
  props.emplace_back("compression.codec", options.compression);
  // A message of max_message_bytes plus its record overhead must fit a request.
  props.emplace_back("message.max.bytes", std::to_string(options.max_message_bytes + 4096));
  props.emplace_back("socket.connection.setup.timeout.ms", std::to_string(options.dial_timeout_ms));
  props.emplace_back("socket.timeout.ms",
                     std::to_string(std::max(options.read_timeout_ms, options.write_timeout_ms)));
  // Enough queue for several large flushes of every table; Produce waits when it is full.
  props.emplace_back("queue.buffering.max.messages", "1000000");
  props.emplace_back("queue.buffering.max.kbytes", "1048576");
  for (const auto& [name, value] : options.properties) props.emplace_back(name, value);
  return props;
}

}  // namespace

void DeliveryTracker::Delivered(const Status& status) {
  if (!status.ok()) {
    std::lock_guard lock(mu_);
    if (first_error_.ok()) first_error_ = status;
  }
  if (pending_.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
  Status result;
  {
    std::lock_guard lock(mu_);
    result = first_error_;
  }
  auto done = std::move(done_);
  delete this;
  done(result);
}

Result<std::unique_ptr<KafkaProducer>> KafkaProducer::Create(const KafkaSinkOptions& options,
                                                             const std::string& client_id) {
  return Make(Properties(options, client_id));
}

Result<std::unique_ptr<KafkaProducer>> KafkaProducer::CreateTransactional(
    const KafkaSinkOptions& options, const std::string& client_id,
    const std::string& transactional_id) {
  auto properties = Properties(options, client_id);
  properties.emplace_back("transactional.id", transactional_id);
  auto producer = Make(properties);
  if (!producer.ok()) return producer;
  rd_kafka_error_t* error = rd_kafka_init_transactions((*producer)->rk_, 60'000);
  if (error != nullptr) {
    std::string text = rd_kafka_error_string(error);
    rd_kafka_error_destroy(error);
    return Status::IoError(fmt::format(
        "kafka sink: initialising transactions of transactional id {}: {}: check that the "
        "brokers run and that this user may use transactional ids (TransactionalId Write)",
        transactional_id, text));
  }
  return producer;
}

namespace {

// The Status of a transaction call's error (null: OK), naming `what`.
Status TransactionStatus(rd_kafka_error_t* error, const char* what) {
  if (error == nullptr) return Status::Ok();
  std::string text = fmt::format("kafka sink: {} failed: {}{}", what, rd_kafka_error_string(error),
                                 rd_kafka_error_is_fatal(error) ? " (fatal: the producer is "
                                                                  "fenced or broken)"
                                                                : "");
  rd_kafka_error_destroy(error);
  return Status::IoError(text);
}

}  // namespace

Status KafkaProducer::BeginTransaction() {
  return TransactionStatus(rd_kafka_begin_transaction(rk_), "beginning a transaction");
}

Status KafkaProducer::CommitTransaction() {
  return TransactionStatus(rd_kafka_commit_transaction(rk_, 60'000), "committing a transaction");
}

Status KafkaProducer::AbortTransaction() {
  rd_kafka_flush(rk_, 30'000);
  return TransactionStatus(rd_kafka_abort_transaction(rk_, 60'000), "aborting a transaction");
}

Result<std::unique_ptr<KafkaProducer>> KafkaProducer::Make(
    const std::vector<std::pair<std::string, std::string>>& properties) {
  std::unique_ptr<KafkaProducer> producer(new KafkaProducer());
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char error[512];
  for (const auto& [name, value] : properties) {
    if (rd_kafka_conf_set(conf, name.c_str(), value.c_str(), error, sizeof error) !=
        RD_KAFKA_CONF_OK) {
      rd_kafka_conf_destroy(conf);
      bool secret = name.find("password") != std::string::npos;
      return Status::InvalidArgument(
          fmt::format("kafka sink: librdkafka refuses {}={}: {}: fix or remove it", name,
                      secret ? "(hidden)" : value, error));
    }
    if (name == "bootstrap.servers") producer->brokers_ = value;
  }
  rd_kafka_conf_set_opaque(conf, producer.get());
  rd_kafka_conf_set_dr_msg_cb(conf, [](rd_kafka_t* rk, const rd_kafka_message_t* message,
                                       void* opaque) { OnDelivery(rk, message, opaque); });
  rd_kafka_conf_set_error_cb(conf, [](rd_kafka_t* rk, int err, const char* reason, void* opaque) {
    OnError(rk, err, reason, opaque);
  });
  // librdkafka's own log lines go through the engine's logger, never straight to stderr.
  rd_kafka_conf_set_log_cb(
      conf, [](const rd_kafka_t*, int level, const char* facility, const char* text) {
        LogLevel ours = level <= 4   ? LogLevel::kWarning
                        : level <= 6 ? LogLevel::kInfo
                                     : LogLevel::kDebug;
        Log(ours, kComponent, fmt::format("librdkafka {}: {}", facility, text));
      });
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
  if (rk == nullptr) {
    rd_kafka_conf_destroy(conf);
    return Status::InvalidArgument(
        fmt::format("kafka sink: librdkafka cannot create a producer: {}", error));
  }
  producer->rk_ = rk;
  producer->poller_ = std::thread([p = producer.get()] { p->PollLoop(); });
  return producer;
}

KafkaProducer::~KafkaProducer() {
  if (rk_ == nullptr) return;
  // Every message has its fate before the producer goes: the sink's writers wait for their
  // trackers, so this normally returns at once; a job that failed may leave some in flight.
  rd_kafka_flush(rk_, 10'000);
  stop_ = true;
  if (poller_.joinable()) poller_.join();
  rd_kafka_destroy(rk_);
}

void KafkaProducer::PollLoop() {
  while (!stop_.load(std::memory_order_relaxed)) rd_kafka_poll(rk_, 50);
}

void KafkaProducer::OnDelivery(rd_kafka_s* /*rk*/, const void* message, void* /*opaque*/) {
  const auto* m = static_cast<const rd_kafka_message_t*>(message);
  auto* tracker = static_cast<DeliveryTracker*>(m->_private);
  if (tracker == nullptr) return;
  if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
    tracker->Delivered(Status::Ok());
    return;
  }
  std::string fix;
  switch (m->err) {
    case RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE:
      fix =
          ": the broker's message.max.bytes or the topic's max.message.bytes is below this "
          "message: raise it, or lower max-message-bytes and set large-message-handle-option";
      break;
    case RD_KAFKA_RESP_ERR__MSG_TIMED_OUT:
      fix =
          ": the broker did not acknowledge it within message.timeout.ms: check that the "
          "brokers are up and reachable";
      break;
    case RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED:
      fix = ": grant this user Write and Describe on the topic";
      break;
    case RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC:
    case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART:
      fix = ": the topic or partition is gone (deleted while the sink ran?): recreate it";
      break;
    default: break;
  }
  tracker->Delivered(
      Status::IoError(fmt::format("kafka sink: delivery to topic {} partition {} failed: {}{}",
                                  m->rkt != nullptr ? rd_kafka_topic_name(m->rkt) : "?",
                                  m->partition, rd_kafka_err2str(m->err), fix)));
}

void KafkaProducer::OnError(rd_kafka_s* rk, int error, const char* reason, void* opaque) {
  auto* self = static_cast<KafkaProducer*>(opaque);
  auto err = static_cast<rd_kafka_resp_err_t>(error);
  std::string text = fmt::format("{} ({})", reason, rd_kafka_err2name(err));
  if (err == RD_KAFKA_RESP_ERR__FATAL) {
    char fatal_reason[512];
    rd_kafka_resp_err_t fatal = rd_kafka_fatal_error(rk, fatal_reason, sizeof fatal_reason);
    text = fmt::format("{} ({})", fatal_reason, rd_kafka_err2name(fatal));
    Log(LogLevel::kError, kComponent, "the producer failed for good: " + text);
    std::lock_guard lock(self->mu_);
    self->fatal_ = Status::IoError("kafka sink: the producer failed for good: " + text +
                                   ": restart the pipeline; it resumes from its last checkpoint");
  }
  std::lock_guard lock(self->mu_);
  self->last_error_ = text;
  // librdkafka logs the same errors itself (through the log callback), and retries them.
}

Status KafkaProducer::Check() {
  const rd_kafka_metadata_t* metadata = nullptr;
  rd_kafka_resp_err_t err = rd_kafka_metadata(rk_, 1, nullptr, &metadata, 10'000);
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
    rd_kafka_metadata_destroy(metadata);
    return Status::Ok();
  }
  std::string last;
  {
    std::lock_guard lock(mu_);
    last = last_error_;
  }
  std::string fix = "check that the brokers run and that the address and port are right";
  if (last.find("Authentication") != std::string::npos || last.find("SASL") != std::string::npos) {
    fix = "check sasl-user, sasl-password and sasl-mechanism";
  } else if (last.find("SSL") != std::string::npos ||
             last.find("certificate") != std::string::npos) {
    fix = "check enable-tls, ca, cert and key, and that the port is the broker's TLS listener";
  }
  return Status::IoError(fmt::format("kafka sink: cannot reach the Kafka cluster at {}: {}{}: {}",
                                     brokers_, rd_kafka_err2str(err),
                                     last.empty() ? "" : " (" + last + ")", fix));
}

Result<TopicInfo> KafkaProducer::EnsureTopic(const std::string& topic, bool create,
                                             int32_t partitions, int32_t replication_factor,
                                             bool compacted) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    const rd_kafka_metadata_t* metadata = nullptr;
    // Every topic, so that asking does not make a broker with auto.create.topics.enable
    // create it.
    rd_kafka_resp_err_t err = rd_kafka_metadata(rk_, 1, nullptr, &metadata, 10'000);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return Status::IoError(fmt::format("kafka sink: reading the metadata of topic {}: {}", topic,
                                         rd_kafka_err2str(err)));
    }
    TopicInfo info;
    bool found = false;
    for (int i = 0; i < metadata->topic_cnt; ++i) {
      const rd_kafka_metadata_topic_t& t = metadata->topics[i];
      if (topic != t.topic) continue;
      if (t.err == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED) {
        rd_kafka_metadata_destroy(metadata);
        return Status::IoError(fmt::format(
            "kafka sink: not authorized to use topic {}: grant this user Describe and Write on "
            "it (and Create for auto-create-topic)",
            topic));
      }
      found = t.err == RD_KAFKA_RESP_ERR_NO_ERROR && t.partition_cnt > 0;
      info.partitions = t.partition_cnt;
    }
    rd_kafka_metadata_destroy(metadata);
    if (found) {
      // The topic's own size limit, where the broker says it.
      std::string limit = DescribeConfig(RD_KAFKA_RESOURCE_TOPIC, topic, "max.message.bytes");
      if (!limit.empty()) info.max_message_bytes = std::strtoull(limit.c_str(), nullptr, 10);
      return info;
    }
    if (!create) {
      return Status::InvalidArgument(fmt::format(
          "kafka sink: topic {} does not exist and auto-create-topic is false: create it, or set "
          "auto-create-topic: true",
          topic));
    }
    if (attempt > 0) break;
    char error[512];
    rd_kafka_NewTopic_t* new_topic =
        rd_kafka_NewTopic_new(topic.c_str(), partitions, replication_factor, error, sizeof error);
    if (new_topic == nullptr) {
      return Status::InvalidArgument(
          fmt::format("kafka sink: cannot describe topic {} to create: {}", topic, error));
    }
    if (compacted) rd_kafka_NewTopic_set_config(new_topic, "cleanup.policy", "compact");
    AdminOptionsPtr admin(rd_kafka_AdminOptions_new(rk_, RD_KAFKA_ADMIN_OP_CREATETOPICS));
    rd_kafka_AdminOptions_set_operation_timeout(admin.get(), 10'000, error, sizeof error);
    QueuePtr queue(rd_kafka_queue_new(rk_));
    rd_kafka_CreateTopics(rk_, &new_topic, 1, admin.get(), queue.get());
    rd_kafka_NewTopic_destroy(new_topic);
    EventPtr event(rd_kafka_queue_poll(queue.get(), 20'000));
    if (event == nullptr) {
      return Status::IoError(fmt::format("kafka sink: creating topic {} timed out", topic));
    }
    const rd_kafka_CreateTopics_result_t* result = rd_kafka_event_CreateTopics_result(event.get());
    size_t count = 0;
    const rd_kafka_topic_result_t** topics =
        result != nullptr ? rd_kafka_CreateTopics_result_topics(result, &count) : nullptr;
    rd_kafka_resp_err_t create_err = rd_kafka_event_error(event.get());
    std::string reason =
        create_err != RD_KAFKA_RESP_ERR_NO_ERROR ? rd_kafka_event_error_string(event.get()) : "";
    if (create_err == RD_KAFKA_RESP_ERR_NO_ERROR && count == 1) {
      create_err = rd_kafka_topic_result_error(topics[0]);
      const char* text = rd_kafka_topic_result_error_string(topics[0]);
      reason = text != nullptr ? text : rd_kafka_err2str(create_err);
    }
    if (create_err != RD_KAFKA_RESP_ERR_NO_ERROR &&
        create_err != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
      std::string fix = create_err == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED ||
                                create_err == RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED
                            ? "grant this user Create on the topic, or create it beforehand"
                        : create_err == RD_KAFKA_RESP_ERR_INVALID_REPLICATION_FACTOR
                            ? "lower replication-factor to at most the number of brokers"
                            : "create the topic beforehand";
      return Status::IoError(
          fmt::format("kafka sink: creating topic {} ({} partitions, "
                      "replication factor {}) failed: {}: {}",
                      topic, partitions, replication_factor, reason, fix));
    }
    Log(LogLevel::kInfo, kComponent,
        fmt::format("created topic {} with {} partitions, replication factor {}", topic, partitions,
                    replication_factor));
    // Metadata takes a moment to show a new topic on every broker.
    for (int wait = 0; wait < 50; ++wait) {
      const rd_kafka_metadata_t* check = nullptr;
      bool visible = false;
      if (rd_kafka_metadata(rk_, 1, nullptr, &check, 5'000) == RD_KAFKA_RESP_ERR_NO_ERROR) {
        for (int i = 0; i < check->topic_cnt; ++i) {
          visible |= topic == check->topics[i].topic && check->topics[i].partition_cnt > 0 &&
                     check->topics[i].err == RD_KAFKA_RESP_ERR_NO_ERROR;
        }
        rd_kafka_metadata_destroy(check);
      }
      if (visible) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  return Status::IoError(
      fmt::format("kafka sink: topic {} was created but its metadata never showed it", topic));
}

std::string KafkaProducer::BrokerVersion() {
  const rd_kafka_metadata_t* metadata = nullptr;
  if (rd_kafka_metadata(rk_, 0, nullptr, &metadata, 10'000) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return "";
  }
  std::string broker_id = metadata->broker_cnt > 0 ? std::to_string(metadata->brokers[0].id) : "";
  rd_kafka_metadata_destroy(metadata);
  if (broker_id.empty()) return "";
  // "3.9-IV0": the protocol version the broker speaks, which names its release line.
  std::string value =
      DescribeConfig(RD_KAFKA_RESOURCE_BROKER, broker_id, "inter.broker.protocol.version");
  return value.substr(0, value.find('-'));
}

std::string KafkaProducer::DescribeConfig(int resource_type, const std::string& resource_name,
                                          std::string_view config) {
  QueuePtr queue(rd_kafka_queue_new(rk_));
  rd_kafka_ConfigResource_t* resource = rd_kafka_ConfigResource_new(
      static_cast<rd_kafka_ResourceType_t>(resource_type), resource_name.c_str());
  rd_kafka_DescribeConfigs(rk_, &resource, 1, nullptr, queue.get());
  EventPtr event(rd_kafka_queue_poll(queue.get(), 10'000));
  rd_kafka_ConfigResource_destroy(resource);
  if (event == nullptr || rd_kafka_event_error(event.get()) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return "";
  }
  const rd_kafka_DescribeConfigs_result_t* result =
      rd_kafka_event_DescribeConfigs_result(event.get());
  size_t count = 0;
  const rd_kafka_ConfigResource_t** resources =
      result != nullptr ? rd_kafka_DescribeConfigs_result_resources(result, &count) : nullptr;
  for (size_t r = 0; r < count; ++r) {
    size_t entries = 0;
    const rd_kafka_ConfigEntry_t** configs =
        rd_kafka_ConfigResource_configs(resources[r], &entries);
    for (size_t e = 0; e < entries; ++e) {
      const char* value = rd_kafka_ConfigEntry_value(configs[e]);
      if (rd_kafka_ConfigEntry_name(configs[e]) == config && value != nullptr) return value;
    }
  }
  return "";
}

Status KafkaProducer::Produce(const std::string& topic, int32_t partition, std::string_view key,
                              std::string_view value, bool null_value, DeliveryTracker* tracker) {
  for (;;) {
    rd_kafka_resp_err_t err = rd_kafka_producev(
        rk_, RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(partition),
        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
        RD_KAFKA_V_KEY(key.empty() ? nullptr : const_cast<char*>(key.data()), key.size()),
        RD_KAFKA_V_VALUE(null_value ? nullptr : const_cast<char*>(value.data()),
                         null_value ? 0 : value.size()),
        RD_KAFKA_V_OPAQUE(tracker), RD_KAFKA_V_END);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return Status::Ok();
    if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
      // Backpressure: the poll thread frees room as deliveries are reported.
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      continue;
    }
    Status fatal = fatal_error();
    if (!fatal.ok()) return fatal;
    return Status::IoError(fmt::format("kafka sink: producing to topic {} partition {}: {}", topic,
                                       partition, rd_kafka_err2str(err)));
  }
}

int64_t KafkaProducer::outstanding() const {
  return rd_kafka_outq_len(rk_);
}

Status KafkaProducer::fatal_error() const {
  std::lock_guard lock(mu_);
  return fatal_;
}

}  // namespace cdc
