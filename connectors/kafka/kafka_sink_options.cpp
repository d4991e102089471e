#include "connectors/kafka/kafka_sink_options.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <functional>

#include "runtime/ascii.h"
#include "runtime/name_suggestion.h"

namespace cdc {
namespace {

const std::vector<std::string> kProtocols = {"canal-json", "debezium", "maxwell", "open-protocol",
                                             "avro"};
const std::vector<std::string> kCompressions = {"none", "lz4", "gzip", "snappy", "zstd"};
const std::vector<std::string> kMechanisms = {"plain", "scram-sha-256", "scram-sha-512", "gssapi"};

bool Contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

Status Bad(std::string_view name, std::string_view value, std::string_view fix) {
  return Status::InvalidArgument(fmt::format("kafka sink: {} '{}': {}", name, value, fix));
}

Status ParseBool(std::string_view name, std::string_view text, bool& out) {
  std::string lower = AsciiLower(AsciiTrim(text));
  if (lower == "true" || lower == "1") {
    out = true;
  } else if (lower == "false" || lower == "0") {
    out = false;
  } else {
    return Bad(name, text, "write true or false");
  }
  return Status::Ok();
}

template <typename T>
Status ParseUnsigned(std::string_view name, std::string_view text, T& out, uint64_t min,
                     uint64_t max) {
  std::string_view trimmed = AsciiTrim(text);
  uint64_t value = 0;
  const char* end = trimmed.data() + trimmed.size();
  auto parsed = std::from_chars(trimmed.data(), end, value);
  if (trimmed.empty() || parsed.ec != std::errc() || parsed.ptr != end || value < min ||
      value > max) {
    return Bad(name, text, fmt::format("give a whole number from {} to {}", min, max));
  }
  out = static_cast<T>(value);
  return Status::Ok();
}

// "10s", "500ms", "1m", or a bare number of seconds (TiCDC's Go durations, the common forms).
Status ParseMillis(std::string_view name, std::string_view text, uint32_t& out) {
  std::string_view trimmed = AsciiTrim(text);
  uint64_t number = 0;
  const char* end = trimmed.data() + trimmed.size();
  auto parsed = std::from_chars(trimmed.data(), end, number);
  std::string_view unit(parsed.ptr, static_cast<size_t>(end - parsed.ptr));
  uint64_t scale = 0;
  if (unit.empty() || unit == "s") scale = 1000;
  if (unit == "ms") scale = 1;
  if (unit == "m") scale = 60'000;
  if (parsed.ec != std::errc() || scale == 0 || number == 0 || number * scale > UINT32_MAX) {
    return Bad(name, text, "give a duration such as 10s or 500ms");
  }
  out = static_cast<uint32_t>(number * scale);
  return Status::Ok();
}

Status ParseChoice(std::string_view name, std::string_view text,
                   const std::vector<std::string>& choices, std::string& out) {
  std::string lower = AsciiLower(AsciiTrim(text));
  if (!Contains(choices, lower)) {
    return Bad(
        name, text,
        fmt::format("use one of {}{}", fmt::join(choices, ", "), SuggestName(lower, choices)));
  }
  out = lower;
  return Status::Ok();
}

using Setter =
    std::function<Status(std::string_view name, std::string_view value, KafkaSinkOptions& options)>;

Setter Text(std::string KafkaSinkOptions::*field) {
  return [field](std::string_view, std::string_view value, KafkaSinkOptions& options) {
    options.*field = std::string(value);
    return Status::Ok();
  };
}

Setter Flag(bool KafkaSinkOptions::*field) {
  return [field](std::string_view name, std::string_view value, KafkaSinkOptions& options) {
    return ParseBool(name, value, options.*field);
  };
}

Setter Millis(uint32_t KafkaSinkOptions::*field) {
  return [field](std::string_view name, std::string_view value, KafkaSinkOptions& options) {
    return ParseMillis(name, value, options.*field);
  };
}

Setter Choice(std::string KafkaSinkOptions::*field, std::vector<std::string> choices) {
  return [field, choices = std::move(choices)](std::string_view name, std::string_view value,
                                               KafkaSinkOptions& options) {
    return ParseChoice(name, value, choices, options.*field);
  };
}

Setter Gssapi() {
  return [](std::string_view name, std::string_view value, KafkaSinkOptions& options) {
    options.sasl_gssapi[std::string(name)] = std::string(value);
    return Status::Ok();
  };
}

const std::vector<std::pair<std::string, Setter>>& Setters() {
  static const auto* setters = new std::vector<std::pair<std::string, Setter>>{
      {"topic", Text(&KafkaSinkOptions::topic)},
      {"protocol", Choice(&KafkaSinkOptions::protocol, kProtocols)},
      {"partition-num",
       [](std::string_view name, std::string_view value, KafkaSinkOptions& options) {
         return ParseUnsigned(name, value, options.partition_num, 1, 100'000);
       }},
      {"replication-factor",
       [](std::string_view name, std::string_view value, KafkaSinkOptions& options) {
         return ParseUnsigned(name, value, options.replication_factor, 1, 1000);
       }},
      {"auto-create-topic", Flag(&KafkaSinkOptions::auto_create_topic)},
      {"max-message-bytes",
       [](std::string_view name, std::string_view value, KafkaSinkOptions& options) {
         // TiCDC's documented maximum is 100 MB; Kafka's own message.max.bytes is an int32.
         return ParseUnsigned(name, value, options.max_message_bytes, 1024,
                              uint64_t{100} * 1024 * 1024);
       }},
      {"required-acks",
       [](std::string_view name, std::string_view value, KafkaSinkOptions& options) {
         std::string_view trimmed = AsciiTrim(value);
         if (trimmed == "-1" || trimmed == "all") {
           options.required_acks = -1;
         } else if (trimmed == "0" || trimmed == "1") {
           options.required_acks = trimmed == "1" ? 1 : 0;
         } else {
           return Bad(name, value,
                      "use -1 (every in-sync replica, the default), 1 (the leader) or 0 (no "
                      "acknowledgement)");
         }
         return Status::Ok();
       }},
      {"compression", Choice(&KafkaSinkOptions::compression, kCompressions)},
      {"kafka-client-id", Text(&KafkaSinkOptions::client_id)},
      {"kafka-version",
       [](std::string_view name, std::string_view value, KafkaSinkOptions& options) {
         // "2.4.0", "3.9", "0.11.0.2": dotted numbers.
         std::string_view trimmed = AsciiTrim(value);
         bool valid = !trimmed.empty() && trimmed.front() != '.' && trimmed.back() != '.' &&
                      trimmed.find("..") == std::string_view::npos &&
                      std::all_of(trimmed.begin(), trimmed.end(),
                                  [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
         if (!valid) return Bad(name, value, "give the broker's version, e.g. 3.9.1");
         options.kafka_version = std::string(trimmed);
         return Status::Ok();
       }},
      {"dial-timeout", Millis(&KafkaSinkOptions::dial_timeout_ms)},
      {"read-timeout", Millis(&KafkaSinkOptions::read_timeout_ms)},
      {"write-timeout", Millis(&KafkaSinkOptions::write_timeout_ms)},
      {"enable-tls", Flag(&KafkaSinkOptions::enable_tls)},
      {"ca", Text(&KafkaSinkOptions::ca)},
      {"cert", Text(&KafkaSinkOptions::cert)},
      {"key", Text(&KafkaSinkOptions::key)},
      {"insecure-skip-verify", Flag(&KafkaSinkOptions::insecure_skip_verify)},
      {"sasl-user", Text(&KafkaSinkOptions::sasl_user)},
      {"sasl-password", Text(&KafkaSinkOptions::sasl_password)},
      {"sasl-mechanism", Choice(&KafkaSinkOptions::sasl_mechanism, kMechanisms)},
      {"sasl-gssapi-auth-type", Gssapi()},
      {"sasl-gssapi-keytab-path", Gssapi()},
      {"sasl-gssapi-kerberos-config-path", Gssapi()},
      {"sasl-gssapi-service-name", Gssapi()},
      {"sasl-gssapi-user", Gssapi()},
      {"sasl-gssapi-password", Gssapi()},
      {"sasl-gssapi-realm", Gssapi()},
      {"sasl-gssapi-disable-pafxfast", Gssapi()},
      {"max-batch-size",
       [](std::string_view name, std::string_view value, KafkaSinkOptions& options) {
         return ParseUnsigned(name, value, options.max_batch_size, 1, 100'000);
       }},
      {"enable-extension", Flag(&KafkaSinkOptions::enable_extension)},
      {"enable-tidb-extension", Flag(&KafkaSinkOptions::enable_extension)},
      {"only-output-updated-columns", Flag(&KafkaSinkOptions::only_output_updated_columns)},
      {"avro-decimal-handling-mode",
       Choice(&KafkaSinkOptions::avro_decimal_handling_mode, {"precise", "string"})},
      {"avro-bigint-unsigned-handling-mode",
       Choice(&KafkaSinkOptions::avro_bigint_unsigned_handling_mode, {"long", "string"})},
      {"schema-registry", Text(&KafkaSinkOptions::schema_registry)},
      {"debezium-disable-schema", Flag(&KafkaSinkOptions::debezium_disable_schema)},
      {"tombstones-on-delete", Flag(&KafkaSinkOptions::tombstones_on_delete)},
      {"decimal-handling-mode",
       Choice(&KafkaSinkOptions::decimal_handling_mode, {"precise", "string", "double"})},
      {"time-precision-mode",
       Choice(&KafkaSinkOptions::time_precision_mode, {"adaptive_time_microseconds", "connect"})},
      {"binary-handling-mode",
       Choice(&KafkaSinkOptions::binary_handling_mode, {"bytes", "base64", "hex"})},
      {"bigint-unsigned-handling-mode",
       Choice(&KafkaSinkOptions::bigint_unsigned_handling_mode, {"long", "precise"})},
      {"debezium-topic-prefix", Text(&KafkaSinkOptions::debezium_topic_prefix)},
      {"large-message-handle-option",
       [](std::string_view name, std::string_view value, KafkaSinkOptions& options) {
         std::string choice;
         CDC_RETURN_IF_ERROR(
             ParseChoice(name, value, {"none", "handle-key-only", "claim-check"}, choice));
         options.large_message_handling = choice == "none" ? LargeMessageHandling::kNone
                                          : choice == "handle-key-only"
                                              ? LargeMessageHandling::kHandleKeyOnly
                                              : LargeMessageHandling::kClaimCheck;
         return Status::Ok();
       }},
      {"large-message-handle-compression",
       Choice(&KafkaSinkOptions::large_message_compression, {"none", "lz4", "snappy"})},
      {"claim-check-storage-uri", Text(&KafkaSinkOptions::claim_check_storage_uri)},
      {"delivery-guarantee",
       [](std::string_view name, std::string_view value, KafkaSinkOptions& options) {
         std::string choice;
         CDC_RETURN_IF_ERROR(ParseChoice(name, value, {"at-least-once", "exactly-once"}, choice));
         options.exactly_once = choice == "exactly-once";
         return Status::Ok();
       }},
  };
  return *setters;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decoding of a URI component; '+' is a space in a query, as Go's url.ParseQuery reads it.
Result<std::string> PercentDecode(std::string_view text, bool query) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      int high = i + 2 < text.size() ? HexDigit(text[i + 1]) : -1;
      int low = i + 2 < text.size() ? HexDigit(text[i + 2]) : -1;
      if (high < 0 || low < 0) {
        return Status::InvalidArgument(
            fmt::format("kafka sink URI: '{}' has a '%' not followed by two hex digits: write "
                        "%25 for a literal '%'",
                        text));
      }
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else {
      out.push_back(query && c == '+' ? ' ' : c);
    }
  }
  return out;
}

}  // namespace

const std::vector<std::string>& KafkaSinkOptionNames() {
  static const auto* names = [] {
    auto* list = new std::vector<std::string>();
    for (const auto& setter : Setters()) list->push_back(setter.first);
    return list;
  }();
  return *names;
}

Status SetKafkaSinkOption(std::string_view name, std::string_view value,
                          KafkaSinkOptions& options) {
  for (const auto& [known, setter] : Setters()) {
    if (known == name) return setter(name, value, options);
  }
  return Status::InvalidArgument(fmt::format("kafka sink: unknown option '{}'{}", name,
                                             SuggestName(name, KafkaSinkOptionNames())));
}

Status ApplyKafkaSinkUri(std::string_view uri, KafkaSinkOptions& options) {
  size_t scheme_end = uri.find("://");
  if (scheme_end == std::string_view::npos) {
    return Status::InvalidArgument(fmt::format(
        "kafka sink URI '{}' is not a URI: write kafka://host:9092/topic?protocol=...", uri));
  }
  std::string scheme = AsciiLower(uri.substr(0, scheme_end));
  if (scheme != "kafka" && scheme != "kafka+ssl" && scheme != "kafka+sasl") {
    return Status::InvalidArgument(
        fmt::format("kafka sink URI '{}': scheme '{}' is not kafka: write kafka://host:9092/topic",
                    uri, scheme));
  }
  if (scheme == "kafka+ssl") options.enable_tls = true;
  std::string_view rest = uri.substr(scheme_end + 3);
  size_t query_at = rest.find('?');
  std::string_view query =
      query_at == std::string_view::npos ? std::string_view() : rest.substr(query_at + 1);
  std::string_view authority_and_path = rest.substr(0, query_at);
  size_t path_at = authority_and_path.find('/');
  std::string_view authority = authority_and_path.substr(0, path_at);
  std::string_view path = path_at == std::string_view::npos
                              ? std::string_view()
                              : authority_and_path.substr(path_at + 1);
  if (size_t at = authority.rfind('@'); at != std::string_view::npos) {
    // userinfo: the SASL user and password, as some TiCDC users write them.
    std::string_view userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    size_t colon = userinfo.find(':');
    auto user = PercentDecode(userinfo.substr(0, colon), false);
    if (!user.ok()) return user.status();
    options.sasl_user = *user;
    if (colon != std::string_view::npos) {
      auto password = PercentDecode(userinfo.substr(colon + 1), false);
      if (!password.ok()) return password.status();
      options.sasl_password = *password;
    }
  }
  options.brokers.clear();
  for (size_t start = 0; start <= authority.size();) {
    size_t comma = authority.find(',', start);
    if (comma == std::string_view::npos) comma = authority.size();
    std::string_view broker = AsciiTrim(authority.substr(start, comma - start));
    if (!broker.empty()) options.brokers.emplace_back(broker);
    start = comma + 1;
  }
  if (options.brokers.empty()) {
    return Status::InvalidArgument(
        fmt::format("kafka sink URI '{}' names no broker: write kafka://host:9092/topic", uri));
  }
  auto topic = PercentDecode(path, false);
  if (!topic.ok()) return topic.status();
  while (!topic->empty() && topic->back() == '/') topic->pop_back();
  if (!topic->empty()) options.topic = *topic;
  for (size_t start = 0; start < query.size();) {
    size_t amp = query.find('&', start);
    if (amp == std::string_view::npos) amp = query.size();
    std::string_view item = query.substr(start, amp - start);
    start = amp + 1;
    if (item.empty()) continue;
    size_t equals = item.find('=');
    auto name = PercentDecode(item.substr(0, equals), true);
    if (!name.ok()) return name.status();
    auto value = PercentDecode(
        equals == std::string_view::npos ? std::string_view() : item.substr(equals + 1), true);
    if (!value.ok()) return value.status();
    CDC_RETURN_IF_ERROR(
        SetKafkaSinkOption(*name, *value, options).WithContext(fmt::format("sink URI '{}'", uri)));
  }
  return Status::Ok();
}

Status KafkaSinkOptions::Validate() const {
  auto invalid = [](std::string message) {
    return Status::InvalidArgument("kafka sink: " + std::move(message));
  };
  if (brokers.empty()) {
    return invalid("no broker: give the bootstrap servers, e.g. sink-uri: kafka://host:9092/topic");
  }
  for (const std::string& broker : brokers) {
    size_t colon = broker.rfind(':');
    if (broker.empty() || colon == 0) {
      return invalid(fmt::format("broker '{}' is not host:port", broker));
    }
  }
  if (topic.empty()) {
    return invalid(
        "no default topic: give it as the sink URI's path (kafka://host:9092/topic) or as topic");
  }
  if (!Contains(kProtocols, protocol)) {
    return invalid(
        fmt::format("unknown protocol '{}': use one of {}", protocol, fmt::join(kProtocols, ", ")));
  }
  if (!Contains(kCompressions, compression)) {
    return invalid(fmt::format("unknown compression '{}': use one of {}", compression,
                               fmt::join(kCompressions, ", ")));
  }
  if (required_acks != -1 && required_acks != 0 && required_acks != 1) {
    return invalid(fmt::format("required-acks {} is not -1, 0 or 1", required_acks));
  }
  if (exactly_once && required_acks != -1) {
    return invalid(
        "delivery-guarantee exactly-once needs required-acks -1 (Kafka transactions need every "
        "in-sync replica's acknowledgement): remove required-acks or set it to -1");
  }
  if (!enable_tls && (!ca.empty() || !cert.empty() || !key.empty() || insecure_skip_verify)) {
    return invalid("ca, cert, key and insecure-skip-verify need enable-tls: true");
  }
  if (cert.empty() != key.empty()) {
    return invalid("a client certificate needs both cert and key: add the one missing");
  }
  if (!sasl_mechanism.empty() && !Contains(kMechanisms, sasl_mechanism)) {
    return invalid(fmt::format("unknown sasl-mechanism '{}'", sasl_mechanism));
  }
  if (sasl_mechanism != "" && sasl_mechanism != "gssapi" && sasl_user.empty()) {
    return invalid(
        fmt::format("sasl-mechanism {} needs sasl-user and sasl-password", sasl_mechanism));
  }
  if (sasl_mechanism.empty() && (!sasl_user.empty() || !sasl_password.empty())) {
    return invalid(
        "sasl-user and sasl-password need sasl-mechanism: plain, scram-sha-256 or scram-sha-512");
  }
  if (!sasl_gssapi.empty() && sasl_mechanism != "gssapi") {
    return invalid("the sasl-gssapi-* options need sasl-mechanism: gssapi");
  }
  if (large_message_handling == LargeMessageHandling::kClaimCheck &&
      claim_check_storage_uri.empty()) {
    return invalid(
        "large-message-handle-option claim-check needs claim-check-storage-uri (file:///dir or "
        "s3://bucket/prefix)");
  }
  if (large_message_handling != LargeMessageHandling::kNone &&
      (protocol != "canal-json" || !enable_extension)) {
    return invalid(
        "large-message-handle-option handle-key-only and claim-check need protocol canal-json "
        "with enable-extension: true (the marker fields live in its extension block)");
  }
  if (!claim_check_storage_uri.empty() && !claim_check_storage_uri.starts_with("file://")) {
    return invalid(
        fmt::format("claim-check-storage-uri '{}': only file:///directory storage is built so far",
                    claim_check_storage_uri));
  }
  if (large_message_compression != "none") {
    return invalid(
        "large-message-handle-compression: only none is built so far: remove the option");
  }
  if (large_message_handling != LargeMessageHandling::kClaimCheck &&
      !claim_check_storage_uri.empty()) {
    return invalid(
        "claim-check-storage-uri is only used with large-message-handle-option: claim-check");
  }
  for (size_t i = 0; i < dispatchers.size(); ++i) {
    const DispatchRule& rule = dispatchers[i];
    if (rule.matcher.empty()) {
      return invalid(
          fmt::format("dispatchers[{}] has no matcher: list the tables it takes, "
                      "e.g. matcher: ['shop.*']",
                      i));
    }
    if (rule.partition == PartitionDispatch::kColumns && rule.columns.empty()) {
      return invalid(
          fmt::format("dispatchers[{}]: partition columns needs columns: the columns "
                      "whose values choose the partition",
                      i));
    }
    if (rule.partition != PartitionDispatch::kColumns && !rule.columns.empty()) {
      return invalid(
          fmt::format("dispatchers[{}]: columns is only used with partition: columns", i));
    }
    if (rule.partition != PartitionDispatch::kIndexValue && !rule.index.empty()) {
      return invalid(
          fmt::format("dispatchers[{}]: index is only used with partition: index-value", i));
    }
  }
  for (size_t i = 0; i < column_selectors.size(); ++i) {
    if (column_selectors[i].matcher.empty() || column_selectors[i].columns.empty()) {
      return invalid(fmt::format("column-selectors[{}] needs a matcher and columns", i));
    }
  }
  return Status::Ok();
}

}  // namespace cdc
