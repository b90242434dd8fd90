-- The design's functions and views and the server's helper functions: updated_at triggers,
-- reset_daily_trigger_count, the materialized views (refresh, per-user exposure), the
-- encryption helpers, sign-in and API-key functions, shared dashboards, partition
-- maintenance and the scheduled jobs (pg_cron present or not: llamadesk.test_variant says
-- which database this is), reference data being read-only to clients, and schema_migrations.
BEGIN;
SET search_path = public, tap;
\ir ../fixtures/fixtures.sql

CREATE TEMP TABLE reference_tables AS
SELECT c.relname::text AS table_name FROM pg_class c
WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
  AND c.relname NOT IN (SELECT table_name FROM user_data_tables)
  AND c.relname NOT IN ('schema_migrations', 'user_data_tables', 'time_series_tables');
CREATE TEMP TABLE jobs (name text, command text);
INSERT INTO jobs VALUES
    ('reset-alert-counts', 'SELECT reset_daily_trigger_count()'),
    ('llamadesk-portfolio-summary', 'SELECT refresh_user_portfolio_summary()'),
    ('llamadesk-traders-leaderboard', 'SELECT refresh_top_traders_leaderboard()'),
    ('llamadesk-gas-price-hourly', 'SELECT refresh_gas_price_hourly()'),
    ('llamadesk-partition-maintenance', 'SELECT maintain_time_partitions()'),
    ('llamadesk-sync-prune', 'SELECT sync_prune()'),
    ('llamadesk-auth-prune', 'SELECT prune_auth_records()');
GRANT SELECT ON reference_tables, jobs TO PUBLIC;

SELECT plan((SELECT 63 + 3 * count(*)::int FROM reference_tables) + (SELECT 2 * count(*)::int FROM jobs)
            + (SELECT count(*)::int FROM time_series_tables));
SELECT fx.allow_tap();

SELECT ok(current_setting('llamadesk.test_variant', true) IN ('extensions', 'plain'),
          'the harness says which variant this database is');

SELECT fx.seed_reference();
SELECT fx.seed_user(fx.user_a());
SELECT fx.seed_user(fx.user_b());

-- ---------------------------------------------------------------------------------------------
-- updated_at
-- ---------------------------------------------------------------------------------------------
SELECT set_eq(
    $$SELECT c.relname::text FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'updated_at'
      WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition$$,
    $$SELECT c.relname::text FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid
      WHERE t.tgname = 'update_' || c.relname || '_updated_at' AND p.proname = 'update_updated_at_column'
        AND NOT c.relispartition$$,
    'every table with updated_at has update_<table>_updated_at running update_updated_at_column()');
UPDATE bridges SET updated_at = '2020-01-01' WHERE id = fx.bridge_id();
SELECT is((SELECT updated_at FROM bridges WHERE id = fx.bridge_id()), now(),
          'an update sets updated_at to now(), whatever the statement says');
UPDATE alert_rules SET updated_at = '2020-01-01', name = 'renamed' WHERE id = fx.rid('alert_rules', fx.user_a());
SELECT is((SELECT updated_at FROM alert_rules WHERE id = fx.rid('alert_rules', fx.user_a())), now(),
          'also on user tables');

-- ---------------------------------------------------------------------------------------------
-- reset_daily_trigger_count
-- ---------------------------------------------------------------------------------------------
UPDATE alert_rules SET trigger_count_today = 5, last_triggered_at = now() - interval '1 day'
WHERE id = fx.rid('alert_rules', fx.user_a());
UPDATE alert_rules SET trigger_count_today = 3, last_triggered_at = now()
WHERE id = fx.rid('alert_rules', fx.user_b());
CREATE TEMP TABLE feed_before AS SELECT count(*) AS n FROM sync_changes;
SELECT fx.as_app(fx.user_a());
SELECT throws_ok('SELECT reset_daily_trigger_count()', '42501', NULL, 'the application cannot run the daily reset');
SELECT fx.as_superuser();
SET LOCAL ROLE llamadesk_jobs;
SELECT lives_ok('SELECT reset_daily_trigger_count()', 'the jobs role runs the daily reset');
RESET ROLE;
SELECT is((SELECT trigger_count_today FROM alert_rules WHERE id = fx.rid('alert_rules', fx.user_a())), 0,
          'a rule last triggered yesterday (UTC) starts the day at 0');
SELECT is((SELECT trigger_count_today FROM alert_rules WHERE id = fx.rid('alert_rules', fx.user_b())), 3,
          'a rule triggered today keeps its count');
SELECT is((SELECT count(*) FROM sync_changes), (SELECT n FROM feed_before), 'the reset is not a synced change');

-- ---------------------------------------------------------------------------------------------
-- user_portfolio_summary
-- ---------------------------------------------------------------------------------------------
INSERT INTO portfolio_assets (user_id, asset_type, chain_id, balance, balance_usd)
VALUES (fx.user_a(), 'token', 1, 2, 0.10), (fx.user_a(), 'token', 1, 2, 0.20),
       (fx.user_a(), 'nft', 1, 1, 1000);
UPDATE portfolio_assets SET deleted_at = now() WHERE user_id = fx.user_a() AND asset_type = 'nft';
SET LOCAL ROLE llamadesk_jobs;
SELECT lives_ok('SELECT refresh_user_portfolio_summary()', 'the jobs role refreshes the portfolio summary');
RESET ROLE;
SELECT is((SELECT total_value_usd FROM user_portfolio_summary WHERE user_id = fx.user_a()), 3000.55,
          'the summary adds balances exactly and skips deleted assets (3000.25 + 0.10 + 0.20)');
SELECT is((SELECT count(*)::int FROM user_portfolio_summary), 2, 'the refresh sees every user (admin policy)');
SELECT fx.as_app(fx.user_a());
SELECT throws_ok('SELECT * FROM user_portfolio_summary', '42501', NULL,
                 'the application cannot read the all-users view');
SELECT is((SELECT string_agg(user_id::text || '=' || total_value_usd, ',') FROM my_portfolio_summary),
          fx.user_a() || '=3000.55', 'my_portfolio_summary shows the signed-in user''s row only');
SELECT fx.as_nobody();
SELECT is((SELECT count(*)::int FROM my_portfolio_summary), 0, 'and nothing without a user');
SELECT fx.as_superuser();
SELECT ok((SELECT indisunique FROM pg_index WHERE indexrelid = 'idx_user_portfolio_summary_user'::regclass),
          'the summary has the unique index a concurrent refresh needs');

-- ---------------------------------------------------------------------------------------------
-- top_traders_leaderboard and gas_price_hourly
-- ---------------------------------------------------------------------------------------------
INSERT INTO traders (wallet_address, chain_id, total_pnl_usd, win_rate, is_active)
VALUES ('0xbest', 1, 99999.99, 0.9, true), ('0xgone', 1, 1000000, 0.9, false), ('0xok', 10, 5000, 0.5, true);
SET LOCAL ROLE llamadesk_jobs;
SELECT lives_ok('SELECT refresh_top_traders_leaderboard()', 'the jobs role refreshes the leaderboard');
RESET ROLE;
SELECT is((SELECT string_agg(wallet_address || '#' || rank, ',' ORDER BY rank) FROM top_traders_leaderboard),
          '0xbest#1,0xok#2,0xtrader#3', 'ranked by PnL, inactive traders left out');
SELECT ok((SELECT indisunique FROM pg_index WHERE indexrelid = 'idx_top_traders_leaderboard_id'::regclass),
          'the leaderboard has a unique index (concurrent refresh)');
INSERT INTO gas_predictions (chain_id, predicted_low, predicted_medium, predicted_high, predicted_instant,
                             prediction_for, timestamp)
VALUES (1, 10, 20, 30, 40, now(), date_trunc('hour', now()) + interval '1 minute'),
       (1, 12, 25, 35, 45, now(), date_trunc('hour', now()) + interval '2 minutes');
SET LOCAL ROLE llamadesk_jobs;
SELECT lives_ok('SELECT refresh_gas_price_hourly()', 'the jobs role refreshes the hourly gas view');
RESET ROLE;
SELECT is((SELECT min_gas_price || '/' || round(avg_gas_price, 2) || '/' || max_gas_price FROM gas_price_hourly
           WHERE chain_id = 1), '10.00/22.50/35.00', 'hourly min / average / max');
SELECT fx.as_app(fx.user_a());
SELECT is((SELECT count(*)::int FROM top_traders_leaderboard), 3, 'clients read the leaderboard');
SELECT is((SELECT count(*)::int FROM gas_price_hourly), 1, 'clients read the hourly gas prices');
SELECT fx.as_superuser();

-- ---------------------------------------------------------------------------------------------
-- Encryption helpers
-- ---------------------------------------------------------------------------------------------
SELECT fx.as_app(fx.user_a());
SELECT throws_ok($$SELECT encrypt_api_key('totp-secret')$$, '22023', NULL,
                 'encrypting without app.encryption_key is an error, not a NULL');
SELECT set_config('app.encryption_key', 'k3y-from-the-server', true);
CREATE TEMP TABLE sealed AS SELECT encrypt_api_key('totp-secret') AS c;
SELECT isnt((SELECT c FROM sealed), 'totp-secret', 'the ciphertext is not the plaintext');
SELECT is((SELECT decrypt_api_key(c) FROM sealed), 'totp-secret', 'decrypting gives the plaintext back');
SELECT isnt((SELECT encrypt_api_key('totp-secret')), (SELECT c FROM sealed), 'encryption is salted');
SELECT set_config('app.encryption_key', 'another-key', true);
SELECT throws_ok($$SELECT decrypt_api_key(c) FROM sealed$$, '39000', NULL, 'a wrong key does not decrypt');
SELECT set_config('app.encryption_key', '', true);
SELECT fx.as_superuser();

-- ---------------------------------------------------------------------------------------------
-- Sign-in, throttling, API keys
-- ---------------------------------------------------------------------------------------------
SELECT fx.as_superuser();
CREATE TEMP TABLE emails AS SELECT id, email FROM users;
GRANT SELECT ON emails TO PUBLIC;
SELECT fx.as_nobody();
SELECT is((SELECT user_id FROM auth_find_user(upper((SELECT email FROM emails WHERE id = fx.user_a())))),
          fx.user_a(), 'sign-in finds the account by email, case-insensitively, with nobody signed in');
SELECT ok((SELECT password_hash LIKE '$argon2id$%' FROM auth_find_user((SELECT email FROM emails WHERE id = fx.user_a()))),
          'and returns the Argon2id hash to verify');
SELECT is((SELECT count(*)::int FROM auth_find_user('nobody@example.com')), 0, 'an unknown email finds nothing');

SELECT lives_ok($$SELECT record_login_attempt('Who@Example.com', NULL, '203.0.113.9', 'ua', false, 'unknown_email')
                  FROM generate_series(1, 3)$$, 'three failed attempts for an unknown email');
SELECT is((SELECT email_failures || '/' || ip_failures FROM login_throttle_status('who@example.com', '203.0.113.9')),
          '3/3', 'throttling counts failures per email and per address');
SELECT lives_ok($$SELECT record_login_attempt((SELECT email FROM emails WHERE id = fx.user_b()), fx.user_b(),
                                               '203.0.113.9', 'ua', true)$$, 'B signs in from that address');
SELECT is((SELECT email_failures FROM login_throttle_status((SELECT email FROM emails WHERE id = fx.user_b()), '198.51.100.1')),
          0, 'a success clears the email''s failures');
SELECT fx.as_superuser();
SELECT is((SELECT login_count FROM users WHERE id = fx.user_b()), 1, 'a success counts the login');

UPDATE api_keys SET rate_limit_per_hour = 2, allowed_ips = ARRAY['10.0.0.0/8'::inet]
WHERE id = fx.rid('api_keys', fx.user_a());
CREATE TEMP TABLE key_a AS SELECT key_hash FROM api_keys WHERE id = fx.rid('api_keys', fx.user_a());
GRANT SELECT ON key_a TO PUBLIC;
CREATE TEMP TABLE feed_before_keys AS SELECT count(*) AS n FROM sync_changes;
SELECT fx.as_nobody();
SELECT is((SELECT user_id FROM api_key_authenticate((SELECT key_hash FROM key_a), '10.1.2.3')), fx.user_a(),
          'an API key authenticates from an allowed address');
SELECT is((SELECT count(*)::int FROM api_key_authenticate((SELECT key_hash FROM key_a), '192.0.2.1')), 0,
          'not from outside the allow-list');
SELECT is((SELECT count(*)::int FROM api_key_authenticate(repeat('0', 64), '10.1.2.3')), 0, 'an unknown hash fails');
SELECT is((SELECT string_agg((r).allowed::text, ',' ORDER BY n)
           FROM (SELECT n, api_key_consume(fx.rid('api_keys', fx.user_a())) AS r FROM generate_series(1, 3) n) x),
          'true,false,false', 'the hourly limit of 2 lets two requests through');
SELECT fx.as_superuser();
SELECT is((SELECT usage_count FROM api_key_usage WHERE api_key_id = fx.rid('api_keys', fx.user_a())), 4::bigint,
          'usage is counted (1 by the fixture, 3 here)');
SELECT is((SELECT count(*) FROM sync_changes), (SELECT n FROM feed_before_keys),
          'key usage is bookkeeping: nothing enters the feed');
UPDATE api_keys SET revoked_at = now() WHERE id = fx.rid('api_keys', fx.user_a());
SELECT is((SELECT count(*)::int FROM api_key_authenticate((SELECT key_hash FROM key_a), '10.1.2.3')), 0,
          'a revoked key fails');
UPDATE api_keys SET revoked_at = NULL, expires_at = now() - interval '1 second' WHERE id = fx.rid('api_keys', fx.user_a());
SELECT is((SELECT count(*)::int FROM api_key_authenticate((SELECT key_hash FROM key_a), '10.1.2.3')), 0,
          'an expired key fails');

-- ---------------------------------------------------------------------------------------------
-- Shared dashboards
-- ---------------------------------------------------------------------------------------------
CREATE TEMP TABLE token_b AS SELECT share_token FROM dashboards WHERE id = fx.rid('dashboards', fx.user_b());
GRANT SELECT ON token_b TO PUBLIC;
CREATE TEMP TABLE feed_before_views AS SELECT count(*) AS n FROM sync_changes;
SELECT fx.as_nobody();
SELECT is((SELECT name || ':' || view_count FROM dashboard_by_share_token((SELECT share_token FROM token_b)))::text,
          'Main:1', 'a shared dashboard is readable by its token, and the view is counted');
SELECT is((SELECT view_count FROM dashboard_by_share_token((SELECT share_token FROM token_b))), 2,
          'each view counts');
SELECT is((SELECT count(*)::int FROM dashboard_by_share_token('share_' || repeat('x', 32))), 0,
          'an unknown token finds nothing');
SELECT fx.as_superuser();
SELECT is((SELECT count(*) FROM sync_changes), (SELECT n FROM feed_before_views), 'views are not synced changes');
UPDATE dashboards SET deleted_at = now() WHERE id = fx.rid('dashboards', fx.user_b());
SELECT is((SELECT count(*)::int FROM dashboard_by_share_token((SELECT share_token FROM token_b))), 0,
          'a deleted dashboard is no longer shared');

-- ---------------------------------------------------------------------------------------------
-- Reference data: read-only for clients, written by llamadesk_ingest
-- ---------------------------------------------------------------------------------------------
SELECT fx.as_app(fx.user_a());
SELECT lives_ok(format('SELECT * FROM %I LIMIT 1', table_name), table_name || ': clients read it')
FROM reference_tables ORDER BY table_name;
SELECT is(fx.error_of(format('DELETE FROM %I', table_name)), '42501', table_name || ': clients cannot change it')
FROM reference_tables ORDER BY table_name;
SELECT fx.as_superuser();
SELECT ok(has_table_privilege('llamadesk_ingest', table_name, 'INSERT,UPDATE,DELETE'),
          table_name || ': llamadesk_ingest writes it') FROM reference_tables ORDER BY table_name;

-- ---------------------------------------------------------------------------------------------
-- Time-series tables and partition maintenance
-- ---------------------------------------------------------------------------------------------
SELECT is((SELECT count(*)::int FROM time_series_tables), 9, 'nine time-series tables');
SELECT is((SELECT string_agg(DISTINCT method, ',') FROM time_series_tables),
          CASE current_setting('llamadesk.test_variant', true) WHEN 'extensions' THEN 'pg_partman' ELSE 'native' END,
          'partitioned by pg_partman when installed, natively otherwise');
SELECT ok((SELECT count(*) FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhrelid
           WHERE i.inhparent = t.table_name::regclass
             AND pg_get_expr(p.relpartbound, p.oid)
                 LIKE 'FOR VALUES FROM (''' || to_char(now() + interval '3 months', 'YYYY-MM') || '-01 %') = 1
          AND EXISTS (SELECT FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhrelid
                      WHERE i.inhparent = t.table_name::regclass AND pg_get_expr(p.relpartbound, p.oid) = 'DEFAULT'),
          t.table_name || ': partitions reach three months ahead, and a default partition catches the rest')
FROM time_series_tables t ORDER BY t.table_name;
SELECT is(extension_installed('pg_partman'), current_setting('llamadesk.test_variant', true) = 'extensions',
          'pg_partman is installed exactly in the extensions variant');
SELECT is(extension_installed('pg_cron'), current_setting('llamadesk.test_variant', true) = 'extensions',
          'pg_cron is installed exactly in the extensions variant');
SELECT is(extension_installed('timescaledb'), false, 'TimescaleDB is not packaged here; its branch is reviewed by reading');
-- Lose the newest partition of one table; maintenance brings it back.
CREATE TEMP TABLE newest AS
SELECT p.relname AS partition_name FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhrelid
WHERE i.inhparent = 'prices'::regclass AND pg_get_expr(p.relpartbound, p.oid) <> 'DEFAULT'
ORDER BY p.relname DESC LIMIT 1;
SELECT lives_ok(format('DROP TABLE %I', (SELECT partition_name FROM newest)), 'the newest prices partition is dropped');
SET LOCAL ROLE llamadesk_jobs;
SELECT lives_ok('SELECT maintain_time_partitions()', 'the jobs role runs partition maintenance');
RESET ROLE;
SELECT ok(to_regclass((SELECT partition_name FROM newest)) IS NOT NULL, 'maintenance recreated it');
SELECT lives_ok($$INSERT INTO prices (asset_symbol, price_usd, timestamp) VALUES ('ETH', 1, now() + interval '100 days'),
                  ('ETH', 1, '2001-01-01')$$, 'rows far ahead or far back still have a partition');

-- ---------------------------------------------------------------------------------------------
-- Scheduled jobs
-- ---------------------------------------------------------------------------------------------
SELECT is(fx.error_of(format('SET LOCAL ROLE llamadesk_jobs; %s; RESET ROLE', command)), NULL,
          name || ': its command runs as llamadesk_jobs') FROM jobs ORDER BY name;
CREATE FUNCTION pg_temp.cron_job(p_name text) RETURNS text LANGUAGE plpgsql
AS $$
DECLARE
    found text;
BEGIN
    IF NOT extension_installed('pg_cron') THEN
        RETURN 'no pg_cron';
    END IF;
    EXECUTE 'SELECT username || '' '' || database || '' '' || command FROM cron.job WHERE jobname = $1'
        INTO found USING p_name;
    RETURN found;
END;
$$;
SELECT is(pg_temp.cron_job(name),
          CASE current_setting('llamadesk.test_variant', true)
              WHEN 'extensions' THEN 'llamadesk_jobs ' || current_database() || ' ' || command
              ELSE 'no pg_cron' END,
          name || ': scheduled as llamadesk_jobs when pg_cron is installed') FROM jobs ORDER BY name;
CREATE FUNCTION pg_temp.cron_schedule(p_name text) RETURNS text LANGUAGE plpgsql
AS $$
DECLARE
    found text;
BEGIN
    IF NOT extension_installed('pg_cron') THEN
        RETURN 'no pg_cron';
    END IF;
    EXECUTE 'SELECT schedule FROM cron.job WHERE jobname = $1' INTO found USING p_name;
    RETURN found;
END;
$$;
SELECT is(pg_temp.cron_schedule('reset-alert-counts'),
          CASE current_setting('llamadesk.test_variant', true) WHEN 'extensions' THEN '0 0 * * *' ELSE 'no pg_cron' END,
          'the design''s daily reset runs at midnight (when pg_cron is installed)');

-- ---------------------------------------------------------------------------------------------
-- schema_migrations
-- ---------------------------------------------------------------------------------------------
SELECT is((SELECT string_agg(version || '_' || name, ',' ORDER BY version) FROM schema_migrations),
          '1_foundation,2_core_tables,3_epic1_alerts,4_epic2_tax,5_epic3_portfolio,6_epic4_trading,'
          '7_epic5_security,8_epic6_analytics,9_sync_protocol,10_gdpr,11_scheduled_jobs,12_server_tuning,'
          '13_trigger_plans',
          'schema_migrations records every migration, in order');
SELECT ok((SELECT bool_and(checksum ~ '^[0-9a-f]{64}$' AND applied_at <= now()) FROM schema_migrations),
          'each with its SHA-256 and time');
SELECT fx.as_app(fx.user_a());
SELECT is((SELECT max(version) FROM schema_migrations), 13, 'the server can check the schema version');
SELECT throws_ok($$DELETE FROM schema_migrations$$, '42501', NULL, 'but cannot change it');
SELECT fx.as_superuser();

SELECT * FROM finish();
ROLLBACK;
