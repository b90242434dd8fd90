-- 0013_trigger_plans: the feed and audit triggers run static statements per event. One
-- statement that changes several rows records one change and one audit row per row, each
-- paired with its own old version by its primary key (one column, (timestamp, id) on a
-- partitioned table, (user_id, id)), never a cross product of the rows; quiet-only changes
-- record nothing; soft deletes of several rows are deletes in the feed. The rewritten helper
-- functions give the same answers as before.
BEGIN;
SET search_path = public, tap;
\ir ../fixtures/fixtures.sql

SELECT plan(27);
SELECT fx.allow_tap();
SELECT fx.seed_reference();
SELECT fx.seed_user(fx.user_a());

CREATE FUNCTION pg_temp.rule(p_n int) RETURNS uuid LANGUAGE sql IMMUTABLE
AS $$ SELECT fx.rid('alert_rules', fx.user_a(), 'multi' || p_n) $$;
CREATE TEMP VIEW rule_feed AS
SELECT c.*, r.name AS current_name FROM sync_changes c JOIN alert_rules r ON r.id = c.row_id
WHERE c.table_name = 'alert_rules' AND c.row_id IN (pg_temp.rule(1), pg_temp.rule(2), pg_temp.rule(3));
CREATE TEMP VIEW rule_audit AS
SELECT l.*, r.name AS current_name FROM audit_logs l JOIN alert_rules r ON r.id = l.resource_id
WHERE l.resource_type = 'alert_rules' AND l.resource_id IN (pg_temp.rule(1), pg_temp.rule(2), pg_temp.rule(3));
GRANT SELECT ON rule_feed, rule_audit TO PUBLIC;

-- ---------------------------------------------------------------------------------------------
-- Several rows in one statement (alert_rules: key id)
-- ---------------------------------------------------------------------------------------------
SELECT fx.as_app(fx.user_a());
SELECT is(fx.affected(format(
              $$INSERT INTO alert_rules (id, user_id, name, alert_type, target_type, target_id,
                                         condition_operator, threshold_value)
                SELECT pg_temp.rule(n), %L, 'm' || n, 'price_change', 'token', 'ETH', '>', 100 + n
                FROM generate_series(1, 3) n$$, fx.user_a())), 3::bigint,
          'one INSERT creates three rules');
SELECT fx.as_superuser();
SELECT is((SELECT string_agg(row_data ->> 'name' || ':' || operation || ':' || row_version, ','
                             ORDER BY row_data ->> 'name') FROM rule_feed),
          'm1:insert:1,m2:insert:1,m3:insert:1', 'the feed has one insert per row, each with its own row');
SELECT is((SELECT string_agg(changes -> 'new' ->> 'name' || ':' || action, ',' ORDER BY changes -> 'new' ->> 'name')
           FROM rule_audit), 'm1:INSERT,m2:INSERT,m3:INSERT', 'the audit log has one INSERT per row');
SELECT is((SELECT count(*)::int FROM rule_audit WHERE changes -> 'old' <> 'null'::jsonb OR changes -> 'changed' <> 'null'::jsonb),
          0, 'an INSERT is logged without an old row or changed columns');

SELECT fx.as_app(fx.user_a());
SELECT is(fx.affected($$UPDATE alert_rules SET name = name || '+',
                                              threshold_value = CASE WHEN name = 'm1' THEN 7 ELSE threshold_value END
                        WHERE id IN (pg_temp.rule(1), pg_temp.rule(2), pg_temp.rule(3))$$), 3::bigint,
          'one UPDATE changes the three rules, one of them in two columns');
SELECT fx.as_superuser();
SELECT is((SELECT count(*)::int FROM rule_feed WHERE operation = 'update'), 3,
          'the feed has three updates, not a pairing of every old row with every new one');
SELECT is((SELECT string_agg(current_name || '=' || (row_data ->> 'name') || ':' || row_version || ':'
                             || array_to_string(changed_columns, '/'), ',' ORDER BY current_name)
           FROM rule_feed WHERE operation = 'update'),
          'm1+=m1+:2:name/threshold_value,m2+=m2+:2:name,m3+=m3+:2:name',
          'each update carries its own row, row_version and changed columns');
SELECT is((SELECT row_data ->> 'threshold_value' FROM rule_feed WHERE operation = 'update' AND current_name = 'm1+'),
          '7.000000000000000000', 'with exact values');
SELECT is((SELECT string_agg((changes -> 'old' ->> 'name') || '>' || (changes -> 'new' ->> 'name') || ':'
                             || (changes ->> 'changed'), ',' ORDER BY current_name)
           FROM rule_audit WHERE action = 'UPDATE'),
          'm1>m1+:["name", "threshold_value"],m2>m2+:["name"],m3>m3+:["name"]',
          'the audit log pairs each old row with its new one');

-- Quiet columns only: nothing a device mirrors changed.
SELECT fx.as_app(fx.user_a());
SELECT is(fx.affected($$UPDATE alert_rules SET trigger_count_today = trigger_count_today + 1
                        WHERE id IN (pg_temp.rule(1), pg_temp.rule(2), pg_temp.rule(3))$$), 3::bigint,
          'a bookkeeping update of the three rules');
SELECT fx.as_superuser();
SELECT is((SELECT count(*)::int FROM rule_feed), 6, 'records no change');
SELECT is((SELECT count(*)::int FROM rule_audit), 6, 'and no audit row');
SELECT is((SELECT string_agg(row_version::text, ',' ORDER BY id) FROM alert_rules
           WHERE id IN (pg_temp.rule(1), pg_temp.rule(2), pg_temp.rule(3))), '2,2,2',
          'and keeps the rows'' row_version');

-- Soft deletes of several rows, as an UPDATE and as a DELETE.
SELECT fx.as_app(fx.user_a());
SELECT is(fx.affected($$UPDATE alert_rules SET deleted_at = now(), is_active = false
                        WHERE id IN (pg_temp.rule(1), pg_temp.rule(2))$$), 2::bigint,
          'one UPDATE soft-deletes two rules');
SELECT lives_ok($$DELETE FROM alert_rules WHERE id = pg_temp.rule(3)$$, 'a DELETE soft-deletes the third');
SELECT fx.as_superuser();
SELECT is((SELECT string_agg(current_name || ':' || operation || ':' || row_version, ',' ORDER BY current_name)
           FROM rule_feed WHERE operation = 'delete'),
          'm1+:delete:3,m2+:delete:3,m3+:delete:3', 'the feed has a delete per rule at the next row_version');
SELECT is((SELECT count(*)::int FROM rule_audit WHERE action = 'SOFT_DELETE'), 3,
          'the audit log a SOFT_DELETE per rule');

-- ---------------------------------------------------------------------------------------------
-- Composite keys: (timestamp, id) on a partitioned table, (user_id, id)
-- ---------------------------------------------------------------------------------------------
SELECT fx.as_app(fx.user_a());
SELECT is(fx.affected(format(
              $$INSERT INTO portfolio_snapshots (id, user_id, total_value_usd, total_assets, total_chains,
                                                 total_protocols, snapshot_date, timestamp)
                SELECT fx.rid('portfolio_snapshots', %L, t), %L, 3000, 1, 1, 1, fx.ts()::date,
                       fx.ts() - n * interval '1 hour'
                FROM unnest(ARRAY ['k1', 'k2']) WITH ORDINALITY AS k(t, n)$$, fx.user_a(), fx.user_a())),
          2::bigint, 'one INSERT makes two snapshots');
SELECT lives_ok($$SELECT fx.affected(fx.insert_sql('tax_transactions', fx.user_a(), t))
                  FROM unnest(ARRAY ['k1', 'k2']) t$$,
                'and two transactions of one user');
SELECT is(fx.affected(format($$UPDATE portfolio_snapshots SET total_value_usd = CASE id WHEN %L THEN 1.5 ELSE 2.5 END
                               WHERE id IN (%L, %L)$$,
                             fx.rid('portfolio_snapshots', fx.user_a(), 'k1'),
                             fx.rid('portfolio_snapshots', fx.user_a(), 'k1'),
                             fx.rid('portfolio_snapshots', fx.user_a(), 'k2'))), 2::bigint,
          'one UPDATE gives the two snapshots different values');
SELECT is(fx.affected(format($$UPDATE tax_transactions SET notes = CASE id WHEN %L THEN 'first' ELSE 'second' END
                               WHERE id IN (%L, %L)$$,
                             fx.rid('tax_transactions', fx.user_a(), 'k1'),
                             fx.rid('tax_transactions', fx.user_a(), 'k1'),
                             fx.rid('tax_transactions', fx.user_a(), 'k2'))), 2::bigint,
          'one UPDATE gives the two transactions different notes');
SELECT fx.as_superuser();
SELECT is((SELECT string_agg(CASE row_id WHEN fx.rid('portfolio_snapshots', fx.user_a(), 'k1') THEN 'k1' ELSE 'k2' END
                             || '=' || (row_data ->> 'total_value_usd'), ',' ORDER BY row_data ->> 'total_value_usd')
           FROM sync_changes WHERE table_name = 'portfolio_snapshots' AND operation = 'update'
             AND row_id IN (fx.rid('portfolio_snapshots', fx.user_a(), 'k1'),
                            fx.rid('portfolio_snapshots', fx.user_a(), 'k2'))),
          'k1=1.50,k2=2.50',
          'snapshots (key timestamp, id): one change per row, each with its own value');
SELECT is((SELECT string_agg(CASE row_id WHEN fx.rid('tax_transactions', fx.user_a(), 'k1') THEN 'k1' ELSE 'k2' END
                             || '=' || (row_data ->> 'notes') || ':' || array_to_string(changed_columns, '/'),
                             ',' ORDER BY row_data ->> 'notes')
           FROM sync_changes WHERE table_name = 'tax_transactions' AND operation = 'update'
             AND row_id IN (fx.rid('tax_transactions', fx.user_a(), 'k1'),
                            fx.rid('tax_transactions', fx.user_a(), 'k2'))),
          'k1=first:notes,k2=second:notes',
          'transactions (key user_id, id): one change per row, each with its own value');
SELECT is((SELECT string_agg((changes -> 'old' ->> 'notes') IS NULL || ':' || (changes -> 'new' ->> 'notes'), ','
                             ORDER BY changes -> 'new' ->> 'notes')
           FROM audit_logs WHERE resource_type = 'tax_transactions' AND action = 'UPDATE'
             AND resource_id IN (fx.rid('tax_transactions', fx.user_a(), 'k1'),
                                 fx.rid('tax_transactions', fx.user_a(), 'k2'))),
          'true:first,true:second', 'and one audit row per transaction');

-- ---------------------------------------------------------------------------------------------
-- The helpers, now PL/pgSQL, answer as before
-- ---------------------------------------------------------------------------------------------
SELECT is(row_changed_columns('{"a": 1, "b": "x", "c": null}', '{"a": 2, "b": "x", "c": 1, "d": null}', '{c}'),
          '{a,d}'::text[], 'row_changed_columns: changed or new keys of the new row, ignored ones left out, in order');
SELECT is(sync_row_json('{"n": 1.50, "t": "2026-01-02T03:04:05.5+01:00", "s": "secret", "z": null}', '{s}', '{t}'),
          '{"n": "1.50", "t": "2026-01-02T02:04:05.500000Z", "z": null}'::jsonb,
          'sync_row_json: text values, UTC timestamps, secrets removed');
SELECT is(trigger_row_key('{"id": "x", "timestamp": "t", "other": 1}', '{timestamp,id}'),
          '["t", "x", null]'::jsonb, 'trigger_row_key: the key columns in order');

SELECT * FROM finish();
ROLLBACK;
