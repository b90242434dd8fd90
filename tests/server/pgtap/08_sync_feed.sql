-- The change feed: every insert, update and soft delete of a row of a synced table is
-- recorded once, for the row's owner, with a server-assigned row_version and the changed
-- columns; no-op and bookkeeping updates record nothing; secrets never enter it; values are
-- exact text. Also the pull's argument checks, the resync rule after pruning, and mutation
-- bookkeeping. (Pulls across concurrent transactions are in 10_sync_watermark.sql.)
BEGIN;
SET search_path = public, tap;
\ir ../fixtures/fixtures.sql

CREATE FUNCTION pg_temp.c() RETURNS uuid LANGUAGE sql AS $$ SELECT 'c0c0c0c0-c0c0-4c0c-8c0c-c0c0c0c0c0c0'::uuid $$;
CREATE TEMP TABLE synced AS
SELECT table_name,
       CASE table_name WHEN 'users' THEN pg_temp.c() ELSE fx.rid(table_name, pg_temp.c()) END AS row_id,
       array_position(fx.user_tables(), table_name) AS ord
FROM user_data_tables WHERE synced;
GRANT SELECT ON synced TO PUBLIC;

SELECT plan((SELECT 44 + 8 * count(*)::int FROM synced));
SELECT fx.allow_tap();
SELECT fx.seed_reference();

-- Exactly the synced tables carry the sync triggers.
SELECT set_eq($$SELECT table_name FROM user_data_tables WHERE synced$$,
              $$SELECT c.relname::text FROM pg_class c WHERE NOT c.relispartition AND
                  (SELECT count(*) FROM pg_trigger t WHERE t.tgrelid = c.oid AND NOT t.tgisinternal
                     AND t.tgname IN ('version_' || c.relname, 'soft_delete_' || c.relname,
                                      'sync_feed_' || c.relname || '_insert', 'sync_feed_' || c.relname || '_update',
                                      'sync_feed_' || c.relname || '_delete')) = 5$$,
              'the synced tables are exactly those with version_, soft_delete_ and sync_feed_ triggers');
SELECT ok((SELECT bool_and(table_name IN (SELECT unnest(fx.user_tables()))) FROM synced),
          'the fixtures cover every synced table');

-- C creates one row in every table, as the application.
SELECT fx.as_app(pg_temp.c());
SELECT lives_ok($$SELECT fx.affected(fx.insert_sql('users', pg_temp.c())); SELECT fx.affected(fx.insert_sql(t, pg_temp.c()))
                  FROM unnest(fx.user_tables()) t WHERE t <> 'users' ORDER BY array_position(fx.user_tables(), t)$$,
                'C creates a row in every user table');
SELECT fx.as_superuser();

CREATE TEMP VIEW feed AS
SELECT c.*, s.ord FROM sync_changes c JOIN synced s ON s.table_name = c.table_name AND s.row_id = c.row_id
WHERE c.user_id = pg_temp.c();

SELECT is((SELECT string_agg(operation || ':' || row_version, ',') FROM feed f WHERE f.table_name = s.table_name),
          'insert:1', s.table_name || ': the insert is recorded once, at row_version 1')
FROM synced s ORDER BY s.ord;
SELECT set_eq(format($$SELECT jsonb_object_keys(row_data) FROM feed WHERE table_name = %L$$, s.table_name),
              format($$SELECT attname::text FROM pg_attribute WHERE attrelid = %L::regclass AND attnum > 0
                         AND NOT attisdropped AND attname NOT IN ('password_hash', 'two_factor_secret',
                                                                 'two_factor_last_step', 'key_hash')$$,
                     s.table_name),
              s.table_name || ': the row is carried whole, secrets excepted')
FROM synced s ORDER BY s.ord;
SELECT is((SELECT count(*)::int FROM feed f, jsonb_each(f.row_data) e
           WHERE f.table_name = s.table_name AND jsonb_typeof(e.value) NOT IN ('string', 'null')), 0,
          s.table_name || ': every value is text (exact decimals)')
FROM synced s ORDER BY s.ord;
SELECT is((SELECT count(*)::int FROM feed f CROSS JOIN LATERAL jsonb_each_text(f.row_data) e
           JOIN pg_attribute a ON a.attrelid = f.table_name::regclass AND a.attname = e.key
           WHERE f.table_name = s.table_name AND a.atttypid = 'timestamptz'::regtype AND e.value IS NOT NULL
             AND e.value !~ '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$'), 0,
          s.table_name || ': timestamps in the mirror''s UTC form')
FROM synced s ORDER BY s.ord;

-- Soft delete (a DELETE by the application), undelete, and a no-op update, in every table.
SELECT fx.as_app(pg_temp.c());
SELECT is(fx.affected(format('DELETE FROM %I WHERE id = %L', s.table_name, s.row_id)), 0::bigint,
          s.table_name || ': DELETE through the application deletes nothing for real')
FROM synced s ORDER BY s.ord DESC;
SELECT fx.affected(format('UPDATE %I SET deleted_at = NULL WHERE id = %L', s.table_name, s.row_id))
FROM synced s ORDER BY s.ord;
SELECT fx.affected(format('UPDATE %I SET id = id WHERE id = %L', s.table_name, s.row_id))
FROM synced s ORDER BY s.ord;
SELECT fx.as_superuser();
SELECT is((SELECT string_agg(operation || ':' || row_version || ':' || coalesce(array_to_string(changed_columns, '+'), ''),
                             ',' ORDER BY seq) FROM feed f WHERE f.table_name = s.table_name),
          'insert:1:,delete:2:deleted_at' || CASE WHEN s.table_name IN ('users', 'alert_rules', 'api_keys')
                                                  THEN '+is_active' ELSE '' END || ',update:3:deleted_at',
          s.table_name || ': soft delete and undelete recorded, the no-op update not')
FROM synced s ORDER BY s.ord;
SELECT is(fx.affected(format('SELECT 1 FROM %I WHERE id = %L AND row_version = 3', s.table_name, s.row_id)),
          1::bigint, s.table_name || ': the row carries the feed''s row_version')
FROM synced s ORDER BY s.ord;
SELECT ok((SELECT bool_and(f.txid = pg_current_xact_id()) FROM feed f WHERE f.table_name = s.table_name),
          s.table_name || ': each change carries its transaction id')
FROM synced s ORDER BY s.ord;

-- Updates in detail, on alert_rules.
CREATE TEMP VIEW rule_feed AS
SELECT * FROM sync_changes WHERE row_id = fx.rid('alert_rules', pg_temp.c()) ORDER BY seq;
SELECT fx.as_app(pg_temp.c());
SELECT set_config('app.client_id', '12345678-1234-4234-8234-123456789012', true);
SELECT set_config('app.mutation_id', '42', true);
UPDATE alert_rules SET threshold_value = 0.000000000000000001, name = 'tiny', row_version = 99
WHERE id = fx.rid('alert_rules', pg_temp.c());
SELECT set_config('app.client_id', '', true);
SELECT set_config('app.mutation_id', '', true);
SELECT fx.as_superuser();
SELECT is((SELECT changed_columns FROM rule_feed ORDER BY seq DESC LIMIT 1), ARRAY['name', 'threshold_value'],
          'an update lists exactly the columns it changed, sorted');
SELECT is((SELECT row_version FROM rule_feed ORDER BY seq DESC LIMIT 1), 4::bigint,
          'row_version is the server''s: a client''s value is ignored');
SELECT is((SELECT row_data ->> 'threshold_value' FROM rule_feed ORDER BY seq DESC LIMIT 1),
          '0.000000000000000001', 'decimals travel exactly');
SELECT is((SELECT client_id::text || '/' || mutation_id FROM rule_feed ORDER BY seq DESC LIMIT 1),
          '12345678-1234-4234-8234-123456789012/42', 'the device and mutation behind a change are recorded');

-- Bookkeeping columns change nothing a device mirrors.
SELECT fx.as_app(pg_temp.c());
UPDATE alert_rules SET trigger_count_today = 2, trigger_count_total = 9, last_triggered_at = now() - interval '1 minute'
WHERE id = fx.rid('alert_rules', pg_temp.c());
SELECT fx.as_superuser();
SELECT is((SELECT count(*)::int FROM rule_feed), 4, 'a quiet update records no change (insert, delete, undelete, update)');
SELECT is((SELECT row_version FROM alert_rules WHERE id = fx.rid('alert_rules', pg_temp.c())), 4::bigint,
          'and keeps row_version');
SELECT is((SELECT trigger_count_total FROM alert_rules WHERE id = fx.rid('alert_rules', pg_temp.c())), 9,
          'but is stored');

-- Secrets: a password change bumps the version without revealing anything.
SELECT fx.as_app(pg_temp.c());
UPDATE users SET password_hash = '$argon2id$v=19$m=65536,t=3,p=4$b3RoZXJzYWx0$b3RoZXJoYXNo' WHERE id = pg_temp.c();
SELECT fx.as_superuser();
SELECT is((SELECT changed_columns FROM sync_changes WHERE row_id = pg_temp.c() ORDER BY seq DESC LIMIT 1),
          '{}'::text[], 'a password change is recorded with no visible column');
SELECT is((SELECT count(*)::int FROM sync_changes WHERE row_data::text ~ 'argon2id|encrypted-totp-secret'), 0,
          'no password hash or second-factor secret in the feed');
SELECT is((SELECT count(*)::int FROM sync_changes c JOIN api_keys k ON c.row_data::text LIKE '%' || k.key_hash || '%'), 0,
          'no API key hash in the feed');

-- Identity never changes.
SELECT fx.as_app(pg_temp.c());
SELECT throws_ok(format($$UPDATE dashboards SET user_id = %L WHERE id = %L$$, fx.user_a(), fx.rid('dashboards', pg_temp.c())),
                 '42501', NULL, 'the owner of a row cannot change');
SELECT throws_ok(format($$UPDATE portfolio_snapshots SET timestamp = timestamp - interval '40 days' WHERE id = %L$$,
                        fx.rid('portfolio_snapshots', pg_temp.c())),
                 '23514', NULL, 'a time-series row cannot move in time (its key)');
SELECT throws_ok(format($$UPDATE tax_transactions SET id = gen_random_uuid() WHERE id = %L$$,
                        fx.rid('tax_transactions', pg_temp.c())),
                 '23514', NULL, 'a row id cannot change');
SELECT lives_ok(format($$UPDATE tax_transactions SET timestamp = timestamp - interval '40 days' WHERE id = %L$$,
                       fx.rid('tax_transactions', pg_temp.c())),
                'a transaction''s time is an ordinary column');
-- A failed write leaves nothing behind.
SELECT throws_ok(format($$INSERT INTO alert_rules (user_id, name, alert_type, target_type, target_id, condition_operator,
                          threshold_value) VALUES (%L, 'bad', 'moon', 'token', 'x', '>', 1)$$, pg_temp.c()),
                 '23514', NULL, 'a rejected insert');
SELECT fx.as_superuser();
SELECT is((SELECT count(*)::int FROM sync_changes WHERE row_data ->> 'name' = 'bad'), 0,
          'records no change');

-- A hard delete (erasure, retention) is recorded too, one version past the last.
SELECT set_config('llamadesk.hard_delete', 'on', true);
DELETE FROM security_alerts WHERE id = fx.rid('security_alerts', pg_temp.c());
SELECT set_config('llamadesk.hard_delete', '', true);
SELECT is((SELECT operation || ':' || row_version FROM sync_changes
           WHERE row_id = fx.rid('security_alerts', pg_temp.c()) ORDER BY seq DESC LIMIT 1),
          'delete:4', 'a hard delete is recorded');
-- Other users' changes are theirs.
SELECT is((SELECT count(*)::int FROM sync_changes WHERE user_id <> pg_temp.c()), 0,
          'every change so far belongs to C');

-- Row-level triggers, as created on TimescaleDB hypertables (no transition tables there):
-- the same functions must record the same changes. A scratch table registered as a hypertable.
INSERT INTO time_series_tables (table_name, time_column, method, chunk_interval)
VALUES ('scratch_hyper', 'timestamp', 'timescaledb', interval '1 day');
CREATE TABLE scratch_hyper (id uuid DEFAULT gen_random_uuid(), user_id uuid NOT NULL, note text,
                            amount numeric(30,18), timestamp timestamptz NOT NULL DEFAULT now(),
                            updated_at timestamptz DEFAULT now(), deleted_at timestamptz,
                            row_version bigint NOT NULL DEFAULT 1, PRIMARY KEY (timestamp, id));
SELECT setup_user_table('scratch_hyper');
SELECT is((SELECT string_agg(tgname::text || ':' || (tgtype & 1)::text, ',' ORDER BY tgname) FROM pg_trigger
           WHERE tgrelid = 'scratch_hyper'::regclass AND tgname IN ('audit_scratch_hyper', 'sync_feed_scratch_hyper')),
          'audit_scratch_hyper:1,sync_feed_scratch_hyper:1', 'a hypertable gets row-level feed and audit triggers');
SELECT fx.as_app(pg_temp.c());
INSERT INTO scratch_hyper (id, user_id, note, amount) VALUES ('f0f0f0f0-f0f0-4f0f-8f0f-f0f0f0f0f0f0', pg_temp.c(), 'a', 1.10);
UPDATE scratch_hyper SET note = 'b' WHERE id = 'f0f0f0f0-f0f0-4f0f-8f0f-f0f0f0f0f0f0';
UPDATE scratch_hyper SET note = 'b' WHERE id = 'f0f0f0f0-f0f0-4f0f-8f0f-f0f0f0f0f0f0';
DELETE FROM scratch_hyper WHERE id = 'f0f0f0f0-f0f0-4f0f-8f0f-f0f0f0f0f0f0';
SELECT fx.as_superuser();
SELECT is((SELECT string_agg(operation || ':' || row_version || ':' || coalesce(array_to_string(changed_columns, '+'), '')
                             || ':' || (row_data ->> 'amount'), ',' ORDER BY seq)
           FROM sync_changes WHERE table_name = 'scratch_hyper'),
          'insert:1::1.100000000000000000,update:2:note:1.100000000000000000,delete:3:deleted_at:1.100000000000000000',
          'row-level feed triggers record insert, update, soft delete, and skip the no-op');
SELECT is((SELECT string_agg(action, ',' ORDER BY timestamp, metadata ->> 'txid', action) FROM audit_logs
           WHERE resource_type = 'scratch_hyper'),
          'INSERT,SOFT_DELETE,UPDATE', 'row-level audit triggers log the same events');
SELECT set_config('llamadesk.hard_delete', 'on', true);
DELETE FROM scratch_hyper;
SELECT set_config('llamadesk.hard_delete', '', true);
SELECT is((SELECT operation || ':' || row_version FROM sync_changes WHERE table_name = 'scratch_hyper'
           ORDER BY seq DESC LIMIT 1), 'delete:4', 'and a hard delete');

-- Pull arguments and the resync rule.
SELECT fx.as_app(pg_temp.c());
SELECT throws_ok($$SELECT * FROM sync_pull(pg_temp.c(), 0, 0, 0)$$, '22023', NULL, 'a zero limit is refused');
SELECT throws_ok($$SELECT * FROM sync_pull(pg_temp.c(), 0, 0, 100000)$$, '22023', NULL, 'a huge limit is refused');
SELECT throws_ok($$SELECT * FROM sync_pull(pg_temp.c(), -1, 0)$$, '22023', NULL, 'a negative position is refused');
SELECT is((SELECT count(*)::int FROM sync_pull(pg_temp.c(), 0, 0)), 0,
          'nothing is pulled while the writing transaction is still open (it is this one)');
SELECT ok((SELECT txid <= pg_current_xact_id()::text::bigint AND seq = 0 FROM sync_snapshot_position()),
          'a snapshot position never lies past a running transaction');
SELECT fx.as_superuser();

-- Pruning: old changes (of long-finished transactions) go, the horizon remembers how far.
INSERT INTO sync_changes (txid, user_id, table_name, row_id, operation, row_version, row_data, changed_at)
VALUES ('3', pg_temp.c(), 'alert_rules', gen_random_uuid(), 'insert', 1, '{}', now() - interval '40 days'),
       ('4', pg_temp.c(), 'alert_rules', gen_random_uuid(), 'insert', 1, '{}', now() - interval '35 days'),
       ('5', pg_temp.c(), 'alert_rules', gen_random_uuid(), 'insert', 1, '{}', now() - interval '1 day'),
       ('4', fx.user_b(), 'alert_rules', gen_random_uuid(), 'insert', 1, '{}', now() - interval '31 days');
CREATE TEMP TABLE pruned AS SELECT sync_prune(interval '30 days') AS n;
SELECT is((SELECT n FROM pruned), 3::bigint, 'sync_prune deletes the changes older than the retention');
SELECT is((SELECT pruned_txid::text FROM sync_feed_horizons WHERE user_id = pg_temp.c()), '4',
          'the horizon is the newest pruned position of that user');
SELECT is((SELECT count(*)::int FROM sync_changes WHERE user_id = pg_temp.c() AND txid = '5'), 1,
          'a recent change stays');
SELECT is((SELECT count(*)::int FROM sync_feed_horizons WHERE user_id = fx.user_b()), 1,
          'each user gets their own horizon');
SELECT fx.as_app(pg_temp.c());
SELECT throws_ok($$SELECT * FROM sync_pull(pg_temp.c(), 3, 999999)$$, 'LD001', NULL,
                 'a client behind the horizon must resync');
SELECT throws_ok($$SELECT * FROM sync_pull(pg_temp.c(), 0, 0)$$, 'LD001', NULL,
                 'so must a new client once anything was pruned');
SELECT lives_ok($$SELECT * FROM sync_pull(pg_temp.c(), 4, (SELECT pruned_seq FROM sync_feed_horizons WHERE user_id = pg_temp.c()))$$,
                'a client at the horizon pulls normally');
SELECT fx.as_superuser();
SELECT throws_ok($$SELECT sync_prune(interval '1 minute')$$, '22023', NULL, 'a retention under an hour is refused');

-- Mutations: ids move forward per client; retries get the stored answer.
SELECT fx.as_app(pg_temp.c());
SELECT lives_ok(format($$INSERT INTO sync_mutations (client_id, mutation_id, user_id, table_name, row_id, operation,
                        base_row_version, result, reason) VALUES (%L, 7, %L, 'alert_rules', %L, 'update', 3,
                        'conflict', 'name changed on another device')$$,
                       fx.rid('sync_clients', pg_temp.c()), pg_temp.c(), fx.rid('alert_rules', pg_temp.c())),
                'a mutation result is stored');
SELECT is((SELECT last_mutation_id FROM sync_clients WHERE client_id = fx.rid('sync_clients', pg_temp.c())), 7::bigint,
          'and advances the client''s last mutation id');
SELECT throws_ok(format($$INSERT INTO sync_mutations (client_id, mutation_id, user_id, table_name, row_id, operation,
                         result) VALUES (%L, 7, %L, 'alert_rules', gen_random_uuid(), 'update', 'applied')$$,
                        fx.rid('sync_clients', pg_temp.c()), pg_temp.c()),
                 '23505', NULL, 'the same mutation id cannot be recorded twice');
SELECT is((SELECT result || ':' || reason FROM sync_mutation_result(fx.rid('sync_clients', pg_temp.c()), 7)),
          'conflict:name changed on another device', 'a retry gets the stored answer');
SELECT is((SELECT result FROM sync_mutation_result(fx.rid('sync_clients', pg_temp.c()), 5)), 'expired',
          'an old id without a stored answer is reported as expired');
SELECT is((SELECT count(*)::int FROM sync_mutation_result(fx.rid('sync_clients', pg_temp.c()), 8)), 0,
          'a new id has no answer yet');
SELECT fx.as_superuser();

SELECT * FROM finish();
ROLLBACK;
