# Shared by examples/demo.sh and test/pipeline/crash-loop-test.sh: the `shop` database of the
# MySQL-to-MySQL demo, its workload, and the comparison of source and target. Source it with
# SOURCE_PORT and TARGET_PORT set (servers on 127.0.0.1, user cdc / password cdc).

on_source() { mariadb --no-defaults -h 127.0.0.1 -P "$SOURCE_PORT" -u cdc -pcdc --batch --skip-column-names "$@"; }
on_target() { mariadb --no-defaults -h 127.0.0.1 -P "$TARGET_PORT" -u cdc -pcdc --batch --skip-column-names "$@"; }

SHOP_TABLES="customers orders order_items audit"  # audit has no key: its changes are not idempotent

# The columns compared per table: the source's current columns, in order (a DDL in the workload
# adds and renames some; the target also has _is_deleted and _deleted_at).
shop_columns() {
  on_source -e "SELECT GROUP_CONCAT(CONCAT('\`', COLUMN_NAME, '\`') ORDER BY ORDINAL_POSITION) FROM
    information_schema.COLUMNS WHERE TABLE_SCHEMA = 'shop' AND TABLE_NAME = '$1'"
}

# Each table's column definitions (name, type, nullability, collation) on either side.
shop_definition() {
  "$1" -e "SELECT COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, IFNULL(COLLATION_NAME, '-') FROM
    information_schema.COLUMNS WHERE TABLE_SCHEMA = 'shop' AND TABLE_NAME = '$2' AND
    COLUMN_NAME NOT IN ('_is_deleted', '_deleted_at') ORDER BY ORDINAL_POSITION"
}

# The schema and an initial data set (snapshotted by the pipeline's first run).
shop_create() {
  local customers=${1:-2000}
  on_source -e "
    DROP DATABASE IF EXISTS shop; CREATE DATABASE shop; USE shop;
    CREATE TABLE shop.customers (id INT NOT NULL PRIMARY KEY, name VARCHAR(64) NOT NULL,
      city VARCHAR(32) CHARACTER SET latin1, balance DECIMAL(12,2) NOT NULL DEFAULT 0,
      created_at DATETIME(6) NOT NULL);
    CREATE TABLE shop.orders (id BIGINT NOT NULL PRIMARY KEY, customer_id INT NOT NULL,
      amount DECIMAL(10,2) NOT NULL, status ENUM('new','paid','shipped','cancelled') NOT NULL,
      note TEXT, updated_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), KEY (customer_id));
    CREATE TABLE shop.order_items (order_id BIGINT NOT NULL, line INT NOT NULL,
      sku VARCHAR(32) NOT NULL, qty INT NOT NULL, price DOUBLE NOT NULL,
      PRIMARY KEY (order_id, line));
    CREATE TABLE shop.audit (at DATETIME(6) NOT NULL, what VARCHAR(64) NOT NULL, amount DECIMAL(10,2));
    INSERT INTO shop.customers SELECT seq, CONCAT('customer ', seq, ' ü'), ELT(1 + seq % 4, 'Zürich', 'Köln', 'Lyon', NULL),
      seq * 1.25, '2024-01-01 00:00:00' + INTERVAL seq SECOND FROM seq_1_to_${customers};
    INSERT INTO shop.orders (id, customer_id, amount, status, note)
      SELECT seq, 1 + seq % ${customers}, (seq % 1000) / 7, ELT(1 + seq % 4, 'new', 'paid', 'shipped', 'cancelled'),
      IF(seq % 5 = 0, NULL, REPEAT('n', seq % 50)) FROM seq_1_to_$((customers * 2));
    INSERT INTO shop.order_items SELECT o.seq, l.seq, CONCAT('sku-', (o.seq * l.seq) % 977), l.seq, o.seq / 3.0
      FROM seq_1_to_$((customers * 2)) o JOIN seq_1_to_3 l;
    INSERT INTO shop.audit SELECT '2024-01-01 00:00:00' + INTERVAL (seq % 50) SECOND, CONCAT('start ', seq % 40), seq % 7
      FROM seq_1_to_$((customers / 4));"
}

# One round of the live workload: a transaction of new orders with items, updates and deletes,
# plus single-statement changes outside it. Round numbers make new keys unique.
shop_workload_round() {
  local round=$1 base=$((1000000 + $1 * 100))
  on_source -e "
    USE shop; START TRANSACTION;
    INSERT INTO shop.orders (id, customer_id, amount, status, note)
      SELECT ${base} + seq, 1 + FLOOR(RAND() * 2000), ROUND(RAND() * 500, 2), 'new', CONCAT('round ', ${round})
      FROM seq_1_to_20;
    INSERT INTO shop.order_items (order_id, line, sku, qty, price)
      SELECT ${base} + o.seq, l.seq, CONCAT('sku-', l.seq), l.seq, RAND()
      FROM seq_1_to_20 o JOIN seq_1_to_2 l;
    UPDATE shop.orders SET status = 'paid', amount = amount + 1 WHERE id % 97 = ${round} % 97;
    UPDATE shop.customers SET balance = balance - 1.5, city = 'Genève' WHERE id % 89 = ${round} % 89;
    DELETE FROM shop.order_items WHERE order_id % 101 = ${round} % 101 AND line = 3;
    COMMIT;
    DELETE FROM shop.orders WHERE id = 1 + (${round} * 37) % 4000;
    UPDATE shop.orders SET id = id + 5000000 WHERE id = ${base} + 1;
    INSERT INTO shop.customers (id, name, city, balance, created_at)
      VALUES (100000 + ${round}, 'new customer', NULL, 0, NOW(6))
      ON DUPLICATE KEY UPDATE balance = balance + 1;
    INSERT INTO shop.audit VALUES ('2024-02-02', 'round', ${round} % 3), ('2024-02-02', 'round', ${round} % 3),
      (NOW(6), CONCAT('round ', ${round}), NULL);
    UPDATE shop.audit SET amount = amount + 1 WHERE what = CONCAT('start ', ${round} % 40) LIMIT 2;
    DELETE FROM shop.audit WHERE what = 'round' LIMIT 1;"
  # Schema changes between the rows: the pipeline follows them on the target.
  case $round in
    10) on_source -e "ALTER TABLE shop.customers ADD COLUMN loyalty INT NOT NULL DEFAULT 0 AFTER balance" ;;
    20) on_source -e "ALTER TABLE shop.orders MODIFY note VARCHAR(200) CHARACTER SET utf8mb4" ;;
    30) on_source -e "ALTER TABLE shop.order_items ADD INDEX idx_sku (sku), ADD COLUMN discount DECIMAL(5,2) NULL" ;;
    40) on_source -e "ALTER TABLE shop.order_items DROP INDEX idx_sku, RENAME COLUMN discount TO rebate" ;;
  esac
  if ((round > 10)); then
    on_source -e "UPDATE shop.customers SET loyalty = loyalty + ${round} WHERE id % 53 = ${round} % 53"
  fi
  if ((round > 40)); then
    on_source -e "UPDATE shop.order_items SET rebate = ${round} % 100 WHERE order_id % 59 = ${round} % 59"
  fi
}

# The live rows of `table` on the source, or on the target (logically deleted rows left out),
# one per line in key order.
shop_rows_source() { on_source -e "SELECT $(shop_columns "$1") FROM shop.$1 ORDER BY $(shop_columns "$1")"; }
shop_rows_target() { on_target -e "SELECT $(shop_columns "$1") FROM shop.$1 WHERE _is_deleted = 0 ORDER BY $(shop_columns "$1")" 2>/dev/null; }

# A cheap fingerprint of every table's live rows on each side, for waiting until caught up.
shop_fingerprint_source() {
  local table out=""
  for table in $SHOP_TABLES; do
    out+=$(on_source -e "SELECT COUNT(*), COALESCE(SUM(CRC32(CONCAT_WS('|', $(shop_columns $table)))), 0) FROM shop.$table")" "
  done
  echo "$out"
}
shop_fingerprint_target() {
  local table out=""
  for table in $SHOP_TABLES; do
    out+=$(on_target -e "SELECT COUNT(*), COALESCE(SUM(CRC32(CONCAT_WS('|', $(shop_columns $table)))), 0) FROM shop.$table WHERE _is_deleted = 0" 2>/dev/null || echo missing)" "
  done
  echo "$out"
}

# Waits up to $1 seconds until the target's live rows match the source's; fails otherwise.
shop_wait_caught_up() {
  local deadline=$((SECONDS + ${1:-120})) source_print
  source_print=$(shop_fingerprint_source)
  while [[ "$(shop_fingerprint_target)" != "$source_print" ]]; do
    if ((SECONDS > deadline)); then
      echo "target did not catch up within ${1:-120} s: source [$source_print] target [$(shop_fingerprint_target)]" >&2
      return 1
    fi
    sleep 0.2
  done
}

# True when binlog position $1 ("mysql-bin.000003:4711") is at or after $2.
binlog_at_or_after() {
  local file1=${1%:*} pos1=${1##*:} file2=${2%:*} pos2=${2##*:}
  local seq1=$((10#${file1##*.})) seq2=$((10#${file2##*.}))
  ((seq1 > seq2 || (seq1 == seq2 && pos1 >= pos2)))
}

# Waits up to $2 seconds until the newest checkpoint in the state directory $1 stands at or past
# the source's binlog end: everything the source wrote is then on the target, since a checkpoint
# completes only once the sink wrote what came before it. Equal data alone does not say so
# after a restart: the replay from the last checkpoint writes older row images again before it
# reaches the newer ones, so the target can equal the source before the replay has touched it,
# and a stop in the middle of the replay leaves those older images (until the next run goes on).
shop_wait_checkpoint_at_end() {
  local dir=$1 deadline=$((SECONDS + ${2:-60})) end latest position
  end=$(on_source -e "SHOW MASTER STATUS" | awk '{print $1 ":" $2}')
  while ((SECONDS <= deadline)); do
    latest=$(find "$dir" -maxdepth 1 -name 'checkpoint-*' 2>/dev/null | sort | tail -n 1)
    if [[ -n "$latest" ]]; then
      position=$(grep -a -m 1 -oP '^binlog\t\K\S+' "$latest" || true)
      [[ -n "$position" ]] && binlog_at_or_after "$position" "$end" && return 0
    fi
    sleep 0.2
  done
  echo "no checkpoint reached the source's binlog end ($end) within ${2:-60} s; newest: ${latest:-none} at ${position:-?}" >&2
  return 1
}

# Compares every table row by row; prints a summary line per table; fails on any difference.
shop_compare() {
  local table status=0 rows deleted
  for table in $SHOP_TABLES; do
    if ! diff <(shop_definition on_source "$table") <(shop_definition on_target "$table") >"${TMPDIR:-/tmp}/shop-diff-$table.txt"; then
      echo "SCHEMA MISMATCH in shop.$table (source <, target >):" >&2
      cat "${TMPDIR:-/tmp}/shop-diff-$table.txt" >&2
      status=1
    fi
    if ! diff <(shop_rows_source "$table") <(shop_rows_target "$table") >"${TMPDIR:-/tmp}/shop-diff-$table.txt"; then
      echo "MISMATCH in shop.$table (first differences):" >&2
      head -20 "${TMPDIR:-/tmp}/shop-diff-$table.txt" >&2
      status=1
    fi
    rows=$(on_source -e "SELECT COUNT(*) FROM shop.$table")
    deleted=$(on_target -e "SELECT COUNT(*) FROM shop.$table WHERE _is_deleted = 1")
    echo "  shop.$table: $(shop_definition on_source "$table" | wc -l) columns and $rows rows equal on both sides; $deleted logically deleted rows kept on the target"
  done
  return "$status"
}
