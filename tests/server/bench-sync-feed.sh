#!/bin/sh
# Prints the cost of the per-row triggers (row_version, change feed, audit) and the speed of
# pulling the change feed, on a throwaway cluster. Not run by ctest.
#   sh tests/server/bench-sync-feed.sh [ROWS]      (default 20000)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
rows=${1:-20000}
eval "$(sh "$here/pg-cluster.sh" start)"
trap 'sh "$here/pg-cluster.sh" stop "$LLAMADESK_PG_DIR" >/dev/null 2>&1' EXIT
base="postgresql://postgres@127.0.0.1:$LLAMADESK_PG_PORT"
psql -X -q -d "$base/postgres" -f "$here/../../sql/server/setup/roles.sql" >/dev/null 2>&1
psql -X -q -d "$base/postgres" -c "CREATE DATABASE bench OWNER llamadesk_owner"
sh "$here/apply-migrations.sh" "$base/bench" >/dev/null 2>&1

psql -X -q -d "$base/bench" -v rows="$rows" <<'SQL'
\set ON_ERROR_STOP on
\pset tuples_only on
SELECT set_config('app.current_user_id', 'abababab-abab-4bab-8bab-abababababab', false) \gset
INSERT INTO users (id, email) VALUES ('abababab-abab-4bab-8bab-abababababab', 'bench@example.com');

CREATE FUNCTION pg_temp.insert_transactions(n integer, tag text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz := clock_timestamp();
BEGIN
    INSERT INTO tax_transactions (user_id, transaction_hash, block_number, chain_id, timestamp,
                                  transaction_type, asset_in_symbol, asset_in_amount, asset_in_price_usd, wallet)
    SELECT 'abababab-abab-4bab-8bab-abababababab', tag || i, i, 1, now() - i * interval '1 minute', 'buy', 'ETH',
           i * 0.000000000000000001 + 1, 2000.12345678, 'default'
    FROM generate_series(1, n) i;
    RETURN round(extract(epoch FROM clock_timestamp() - t0) * 1000);
END;
$$;

-- Pages of 500 until the feed is exhausted; returns "changes pages milliseconds".
CREATE FUNCTION pg_temp.pull_all() RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz := clock_timestamp();
    t bigint := 0;
    s bigint := 0;
    n bigint := 0;
    pages integer := 0;
    got integer;
    r record;
BEGIN
    LOOP
        got := 0;
        FOR r IN SELECT p.txid, p.seq FROM sync_pull('abababab-abab-4bab-8bab-abababababab', t, s, 500) p LOOP
            got := got + 1;
            t := r.txid;
            s := r.seq;
        END LOOP;
        EXIT WHEN got = 0;
        n := n + got;
        pages := pages + 1;
    END LOOP;
    RETURN n || ' changes in ' || pages || ' pages: ' || round(extract(epoch FROM clock_timestamp() - t0) * 1000) || ' ms';
END;
$$;

-- As the application role, with every trigger.
SET ROLE llamadesk_app;
SELECT pg_temp.insert_transactions(:rows, 'with-') AS with_triggers \gset
RESET ROLE;
-- The same rows without triggers (superuser, replica mode): the triggers' share.
SET session_replication_role = replica;
SELECT pg_temp.insert_transactions(:rows, 'without-') AS without_triggers \gset
SET session_replication_role = origin;
SET ROLE llamadesk_app;
SELECT pg_temp.pull_all() AS pulled \gset
RESET ROLE;

\echo 'insert' :rows 'tax_transactions as the application, all triggers (version, feed, audit):' :with_triggers 'ms'
\echo 'insert' :rows 'tax_transactions without triggers:' :without_triggers 'ms'
SELECT 'feed rows ' || (SELECT count(*) FROM sync_changes) || ', audit rows ' || (SELECT count(*) FROM audit_logs)
       || ', feed size ' || pg_size_pretty(pg_total_relation_size('sync_changes'));
\echo 'pull the whole feed as the application, pages of 500:' :pulled
\echo 'plan of one page:'
EXPLAIN (COSTS OFF)
SELECT * FROM sync_changes c
WHERE c.user_id = 'abababab-abab-4bab-8bab-abababababab'
  AND (c.txid, c.seq) > (pg_current_xact_id(), 100) AND c.txid < pg_snapshot_xmin(pg_current_snapshot())
ORDER BY c.txid, c.seq LIMIT 500;
SQL
