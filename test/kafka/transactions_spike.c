// Spike (test/kafka/client-spike.sh): the machine's librdkafka against the test broker. One
// transaction of 3 messages is committed and one of 2 aborted on a new topic "txn-PID",
// partition 0; a
// read_committed consumer in a new consumer group must then see exactly the 3 committed ones.
// Exits 0 when it does. Aborting flushes first when FLUSH_BEFORE_ABORT is set: without it
// librdkafka 2.0.2 sometimes gets INVALID_TXN_STATE (librdkafka#4849).
//
//   transactions_spike BROKERS
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
static void die(const char* what, rd_kafka_error_t* e) {
  fprintf(stderr, "%s: %s\n", what, e ? rd_kafka_error_string(e) : "?");
  exit(1);
}
static int count_committed(const char* brokers, const char* topic, const char* group) {
  char err[512];
  rd_kafka_conf_t* c = rd_kafka_conf_new();
  rd_kafka_conf_set(c, "bootstrap.servers", brokers, err, sizeof err);
  rd_kafka_conf_set(c, "group.id", group, err, sizeof err);
  rd_kafka_conf_set(c, "isolation.level", "read_committed", err, sizeof err);
  rd_kafka_conf_set(c, "auto.offset.reset", "earliest", err, sizeof err);
  rd_kafka_conf_set(c, "enable.partition.eof", "true", err, sizeof err);
  rd_kafka_t* k = rd_kafka_new(RD_KAFKA_CONSUMER, c, err, sizeof err);
  rd_kafka_poll_set_consumer(k);
  rd_kafka_topic_partition_list_t* t = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(t, topic, RD_KAFKA_PARTITION_UA);
  rd_kafka_subscribe(k, t);
  int n = 0, eofs = 0, polls = 0;
  while (eofs < 3 && polls++ < 300) {
    rd_kafka_message_t* m = rd_kafka_consumer_poll(k, 100);
    if (!m) continue;
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF)
      eofs++;
    else if (!m->err)
      n++;
    else
      fprintf(stderr, "consume: %s\n", rd_kafka_message_errstr(m));
    rd_kafka_message_destroy(m);
  }
  rd_kafka_consumer_close(k);
  rd_kafka_destroy(k);
  rd_kafka_topic_partition_list_destroy(t);
  return n;
}
int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s BROKERS\n", argv[0]);
    return 2;
  }
  const char* brokers = argv[1];
  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "bootstrap.servers", brokers, err, sizeof err);
  rd_kafka_conf_set(conf, "transactional.id", "spike-txn", err, sizeof err);
  rd_kafka_t* p = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  if (!p) {
    fprintf(stderr, "%s\n", err);
    return 1;
  }
  char topic[64];
  snprintf(topic, sizeof topic, "txn-%d", (int)getpid());
  rd_kafka_error_t* e;
  if ((e = rd_kafka_init_transactions(p, 30000))) die("init_transactions", e);
  // One committed transaction of 3 messages, one aborted of 2.
  for (int round = 0; round < 2; round++) {
    if ((e = rd_kafka_begin_transaction(p))) die("begin", e);
    for (int i = 0; i < (round == 0 ? 3 : 2); i++) {
      char v[32];
      snprintf(v, sizeof v, "r%d-m%d", round, i);
      rd_kafka_resp_err_t r = rd_kafka_producev(
          p, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_PARTITION(0), RD_KAFKA_V_VALUE(v, strlen(v)),
          RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
      if (r) {
        fprintf(stderr, "produce: %s\n", rd_kafka_err2str(r));
        return 1;
      }
    }
    if (round == 0) {
      if ((e = rd_kafka_commit_transaction(p, 30000))) die("commit", e);
    } else {
      if (getenv("FLUSH_BEFORE_ABORT")) rd_kafka_flush(p, 10000);
      if ((e = rd_kafka_abort_transaction(p, 30000))) die("abort", e);
    }
  }
  rd_kafka_destroy(p);
  char group[64];
  snprintf(group, sizeof group, "reader-%d", (int)getpid());
  int n = count_committed(brokers, topic, group);
  printf(
      "librdkafka %s: transactions: committed 3 + aborted 2; read_committed consumer group saw "
      "%d\n",
      rd_kafka_version_str(), n);
  return n == 3 ? 0 : 1;
}
