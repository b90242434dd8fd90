-- 0012_server_tuning: sync_clients is bookkeeping (not audited); recording push answers
-- advances the client once per statement and still refuses stale ids; 'merged' answers;
-- api_key_consume counts in api_key_usage with exact hourly and daily windows and writes
-- nothing to api_keys, the feed or the audit log; prune_auth_records publishes the usage to
-- api_keys; totp_claim_step accepts each time step once. (Row-level security of
-- api_key_usage is covered with every user-owned table in 05_row_level_security.sql.)
BEGIN;
SET search_path = public, tap;
\ir ../fixtures/fixtures.sql

SELECT plan(34);
SELECT fx.allow_tap();
SELECT fx.seed_reference();
SELECT fx.seed_user(fx.user_a());
SELECT fx.seed_user(fx.user_b());

-- The statement recording answers with the given ids for a client (A's user and dashboard).
CREATE FUNCTION pg_temp.answers(p_client uuid, p_ids bigint[], p_result text, p_reason text DEFAULT NULL)
    RETURNS text LANGUAGE sql STABLE
AS $$
    SELECT format('INSERT INTO sync_mutations (client_id, mutation_id, user_id, table_name, row_id, '
                  'operation, result, reason) SELECT %L, n, %L, %L, %L, %L, %L, %L FROM unnest(%L::bigint[]) n',
                  p_client, fx.user_a(), 'dashboards', fx.rid('dashboards', fx.user_a()), 'update',
                  p_result, p_reason, p_ids)
$$;

CREATE TEMP TABLE counts AS
SELECT (SELECT count(*) FROM audit_logs) AS audit, (SELECT count(*) FROM sync_changes) AS feed;
GRANT SELECT ON counts TO PUBLIC;

-- ---------------------------------------------------------------------------------------------
-- sync_clients and sync_mutations
-- ---------------------------------------------------------------------------------------------
SELECT is((SELECT audited FROM user_data_tables WHERE table_name = 'sync_clients'), false,
          'sync_clients is registered as not audited');
SELECT fx.as_app(fx.user_a());
SELECT is(fx.affected(format('UPDATE sync_clients SET device_name = %L, last_pull_at = now() WHERE client_id = %L',
                             'renamed', fx.rid('sync_clients', fx.user_a()))), 1::bigint,
          'the application updates its client row');
SELECT is(fx.affected(pg_temp.answers(fx.rid('sync_clients', fx.user_a()), '{2,3}', 'merged',
                                      'merged with changes made since row_version 1')), 2::bigint, 'a batch of merged answers is recorded in one statement');
SELECT is((SELECT last_mutation_id FROM sync_clients WHERE client_id = fx.rid('sync_clients', fx.user_a())), 3::bigint,
          'one statement moved the client to its highest recorded id');
SELECT is(fx.affected(pg_temp.answers(fx.rid('sync_clients', fx.user_a()),
                                      (SELECT array_agg(n) FROM generate_series(4, 500) n), 'applied')), 497::bigint, 'a batch of 497 answers is recorded in one statement');
SELECT is((SELECT last_mutation_id FROM sync_clients WHERE client_id = fx.rid('sync_clients', fx.user_a())), 500::bigint,
          'and the client moved to 500');
SELECT is(fx.error_of(pg_temp.answers(fx.rid('sync_clients', fx.user_a()), '{400}', 'applied')), '23505', 'an id already recorded is refused (primary key)');
-- 1000 in the fixture is B's; A's answers above 500 are new, but one below is stale.
SELECT is(fx.affected(pg_temp.answers(fx.rid('sync_clients', fx.user_a()), '{501,502,503}', 'applied')), 3::bigint, 'newer ids are accepted');
SELECT fx.as_superuser();
UPDATE sync_clients SET last_mutation_id = 600 WHERE client_id = fx.rid('sync_clients', fx.user_a());
SELECT fx.as_app(fx.user_a());
SELECT is(fx.error_of(pg_temp.answers(fx.rid('sync_clients', fx.user_a()), '{601,599}', 'applied')), '23514', 'a batch holding an id not newer than the client''s last one is refused whole');
SELECT is((SELECT last_mutation_id FROM sync_clients WHERE client_id = fx.rid('sync_clients', fx.user_a())), 600::bigint,
          'and the client did not move');
SELECT is(fx.error_of(pg_temp.answers(fx.rid('sync_clients', fx.user_a()), '{700}', 'ignored', 'no such result')),
          '23514', 'a result other than applied, merged, conflict, rejected is refused');
SELECT is(fx.error_of(pg_temp.answers(fx.rid('sync_clients', fx.user_b()), '{700}', 'applied')), '23503', 'answers cannot be recorded for another user''s client');
SELECT is((SELECT result || ': ' || reason FROM sync_mutation_result(fx.rid('sync_clients', fx.user_a()), 2)),
          'merged: merged with changes made since row_version 1', 'a merged answer reads back as merged');
SELECT fx.as_superuser();
SELECT is((SELECT count(*) FROM audit_logs), (SELECT audit FROM counts),
          'client and answer bookkeeping wrote no audit entry');

-- ---------------------------------------------------------------------------------------------
-- api_key_consume and api_key_usage
-- ---------------------------------------------------------------------------------------------
UPDATE api_keys SET rate_limit_per_hour = 3, rate_limit_per_day = 5 WHERE id = fx.rid('api_keys', fx.user_b());
CREATE TEMP TABLE key_b AS
SELECT row_version, usage_count, last_used_at FROM api_keys WHERE id = fx.rid('api_keys', fx.user_b());
GRANT SELECT ON key_b TO PUBLIC;
TRUNCATE counts;
INSERT INTO counts SELECT (SELECT count(*) FROM audit_logs), (SELECT count(*) FROM sync_changes);

SELECT fx.as_nobody();
SELECT is((SELECT string_agg(format('%s/%s/%s', (r).allowed, (r).hour_count, (r).day_count), ' ' ORDER BY n)
           FROM (SELECT n, api_key_consume(fx.rid('api_keys', fx.user_b())) AS r FROM generate_series(1, 3) n) x),
          't/2/2 t/3/3 f/4/4', 'the hourly limit of 3 lets the fixture''s request and two more through');
SELECT fx.as_superuser();
SELECT is((SELECT row_version FROM api_keys WHERE id = fx.rid('api_keys', fx.user_b())), (SELECT row_version FROM key_b),
          'counting does not touch api_keys');
SELECT is((SELECT count(*) FROM sync_changes), (SELECT feed FROM counts), 'counting enters nothing in the feed');
SELECT is((SELECT count(*) FROM audit_logs), (SELECT audit FROM counts), 'counting writes no audit entry');
SELECT is((SELECT usage_count FROM api_key_usage WHERE api_key_id = fx.rid('api_keys', fx.user_b())), 4::bigint,
          'api_key_usage holds every request counted');

-- The next hour of the same UTC day: the hourly count starts again, the daily one goes on.
-- (In the first hour of a UTC day the previous hour is yesterday: both counts start again.)
CREATE TEMP TABLE first_hour AS SELECT extract(hour FROM now() AT TIME ZONE 'UTC') = 0 AS yes;
GRANT SELECT ON first_hour TO PUBLIC;
UPDATE api_key_usage SET hour_start = hour_start - interval '1 hour',
                         day_start = date_trunc('day', hour_start - interval '1 hour', 'UTC')
WHERE api_key_id = fx.rid('api_keys', fx.user_b());
SELECT is((SELECT format('%s/%s/%s', allowed, hour_count, day_count) FROM api_key_consume(fx.rid('api_keys', fx.user_b()))),
          CASE WHEN (SELECT yes FROM first_hour) THEN 't/1/1' ELSE 't/1/5' END,
          'a new hour: the fifth request of the day is allowed');
SELECT is((SELECT format('%s/%s/%s', allowed, hour_count, day_count) FROM api_key_consume(fx.rid('api_keys', fx.user_b()))),
          CASE WHEN (SELECT yes FROM first_hour) THEN 't/2/2' ELSE 'f/2/6' END,
          'the sixth is over the daily limit of 5');
-- A request whose clock reading is older than the window already opened counts in the newer one.
UPDATE api_key_usage SET hour_start = date_trunc('hour', now(), 'UTC') + interval '1 hour'
WHERE api_key_id = fx.rid('api_keys', fx.user_b());
SELECT is((SELECT hour_count FROM api_key_consume(fx.rid('api_keys', fx.user_b()))), 3,
          'a late request is counted in the newest hour, not lost');
UPDATE api_key_usage SET hour_start = date_trunc('hour', now(), 'UTC') - interval '1 day',
                         day_start = date_trunc('day', now(), 'UTC') - interval '1 day'
WHERE api_key_id = fx.rid('api_keys', fx.user_b());
SELECT is((SELECT format('%s/%s/%s', allowed, hour_count, day_count) FROM api_key_consume(fx.rid('api_keys', fx.user_b()))),
          't/1/1', 'a new UTC day starts both counts again');
SELECT throws_ok(format('SELECT api_key_consume(%L)', gen_random_uuid()), 'P0002', NULL,
                 'an unknown key cannot be counted');

SELECT prune_auth_records();
SELECT is((SELECT usage_count FROM api_keys WHERE id = fx.rid('api_keys', fx.user_b())), 8::bigint,
          'prune_auth_records publishes the usage count to api_keys');
SELECT is((SELECT k.last_used_at = u.last_used_at FROM api_keys k JOIN api_key_usage u ON u.api_key_id = k.id
           WHERE k.id = fx.rid('api_keys', fx.user_b())), true, 'and the last use');

-- ---------------------------------------------------------------------------------------------
-- totp_claim_step
-- ---------------------------------------------------------------------------------------------
UPDATE users SET two_factor_secret = 'encrypted-secret' WHERE id = fx.user_a();
UPDATE users SET two_factor_secret = NULL, two_factor_enabled = false WHERE id = fx.user_b();
CREATE TEMP TABLE steps AS
SELECT floor(extract(epoch FROM now()) / 30)::bigint AS now_step,
       (SELECT row_version FROM users WHERE id = fx.user_a()) AS version,
       (SELECT count(*) FROM sync_changes) AS feed;
GRANT SELECT ON steps TO PUBLIC;
SELECT fx.as_nobody();
SELECT is(totp_claim_step(fx.user_a(), (SELECT now_step FROM steps)), true, 'a step is accepted once');
SELECT is(totp_claim_step(fx.user_a(), (SELECT now_step FROM steps)), false, 'the same step again is a replay');
SELECT is(totp_claim_step(fx.user_a(), (SELECT now_step - 1 FROM steps)), false,
          'an older step is refused after a newer one');
SELECT is(totp_claim_step(fx.user_a(), (SELECT now_step + 1 FROM steps)), true, 'the next step is accepted');
SELECT throws_ok(format('SELECT totp_claim_step(%L, %s)', fx.user_a(), (SELECT now_step + 1000 FROM steps)),
                 '22023', NULL, 'a step far from now cannot be claimed (no lock-out ahead of time)');
SELECT is(totp_claim_step(fx.user_b(), (SELECT now_step FROM steps)), false,
          'a user without a second factor has no step to claim');
SELECT fx.as_superuser();
SELECT is((SELECT row_version FROM users WHERE id = fx.user_a()) = (SELECT version FROM steps)
          AND (SELECT count(*) FROM sync_changes) = (SELECT feed FROM steps), true,
          'a claimed step changes no row_version and enters nothing in the feed');
SELECT fx.as_app(fx.user_a());
SELECT is((SELECT count(*)::int FROM sync_changes WHERE row_data ? 'two_factor_last_step'), 0,
          'the step never travels in the feed');

SELECT * FROM finish();
ROLLBACK;
