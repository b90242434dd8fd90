-- The audit trigger records who changed what: action, table, row, before/after values and the
-- changed columns, the acting user from app.current_user_id (or none, without failing), never
-- a secret column; quiet and no-op updates are not logged.
BEGIN;
SET search_path = public, tap;
\ir ../fixtures/fixtures.sql

SELECT plan(42);
SELECT fx.allow_tap();

SELECT fx.seed_reference();
SELECT fx.seed_user(fx.user_a());
SELECT fx.seed_user(fx.user_b());

CREATE TEMP TABLE ids (rule uuid);
INSERT INTO ids VALUES (gen_random_uuid());
GRANT SELECT ON ids TO PUBLIC;

-- Every audited table carries the trigger, the others do not.
SELECT set_eq(
    $$SELECT c.relname::text FROM pg_class c WHERE NOT c.relispartition
        AND (SELECT count(*) FROM pg_trigger t WHERE t.tgrelid = c.oid AND NOT t.tgisinternal
             AND t.tgname IN ('audit_' || c.relname || '_insert', 'audit_' || c.relname || '_update',
                              'audit_' || c.relname || '_delete')) = 3$$,
    $$SELECT table_name FROM user_data_tables WHERE audited$$,
    'exactly the audited user tables have audit_<table>_insert, _update and _delete triggers');
SELECT set_eq(
    $$SELECT DISTINCT p.proname::text FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
      JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname LIKE 'audit\_%' AND NOT c.relispartition$$,
    ARRAY['audit_trigger'], 'they all run audit_trigger()');

-- INSERT, as user A through the application role, from a known device.
SELECT fx.as_app(fx.user_a());
SELECT set_config('app.client_id', '99999999-9999-4999-8999-999999999999', true);
SELECT lives_ok(format($$INSERT INTO alert_rules (id, user_id, name, alert_type, target_type, target_id,
                         condition_operator, threshold_value) VALUES (%L, %L, 'gas', 'gas_price', 'chain', '1', '<', 12.5)$$,
                       (SELECT rule FROM ids), fx.user_a()), 'A creates a rule');
SELECT fx.as_superuser();

CREATE TEMP VIEW rule_audit AS
SELECT a.* FROM audit_logs a, ids WHERE a.resource_id = ids.rule ORDER BY a.timestamp, a.metadata ->> 'txid';

SELECT is((SELECT count(*)::int FROM rule_audit), 1, 'one entry for the insert');
SELECT is((SELECT action FROM rule_audit), 'INSERT', 'action is INSERT');
SELECT is((SELECT user_id FROM rule_audit), fx.user_a(), 'the actor is user A');
SELECT is((SELECT resource_type FROM rule_audit), 'alert_rules', 'the table is recorded');
SELECT is((SELECT changes -> 'new' ->> 'name' FROM rule_audit), 'gas', 'the new row is recorded');
SELECT ok((SELECT changes -> 'old' = 'null'::jsonb FROM rule_audit), 'an insert has no old row');
SELECT is((SELECT metadata ->> 'client_id' FROM rule_audit), '99999999-9999-4999-8999-999999999999',
          'the device is recorded');
SELECT is((SELECT metadata ->> 'owner_id' FROM rule_audit), fx.user_a()::text, 'the row''s owner is recorded');
SELECT is((SELECT status FROM rule_audit), 'success', 'status success');

-- UPDATE, then quiet and no-op updates.
SELECT fx.as_app(fx.user_a());
UPDATE alert_rules SET name = 'gas low', threshold_value = 10 WHERE id = (SELECT rule FROM ids);
UPDATE alert_rules SET trigger_count_today = 4, last_triggered_at = now() WHERE id = (SELECT rule FROM ids);
UPDATE alert_rules SET name = 'gas low' WHERE id = (SELECT rule FROM ids);
SELECT fx.as_superuser();
SELECT is((SELECT count(*)::int FROM rule_audit WHERE action = 'UPDATE'), 1,
          'one entry for three updates: quiet and no-op updates are not logged');
SELECT is((SELECT changes -> 'changed' FROM rule_audit WHERE action = 'UPDATE'),
          '["name", "threshold_value"]'::jsonb, 'the changed columns are listed');
SELECT is((SELECT changes -> 'old' ->> 'name' FROM rule_audit WHERE action = 'UPDATE'), 'gas',
          'the value before');
SELECT is((SELECT changes -> 'new' ->> 'name' FROM rule_audit WHERE action = 'UPDATE'), 'gas low',
          'the value after');

-- DELETE through the application is a soft delete, logged as such.
SELECT fx.as_app(fx.user_a());
DELETE FROM alert_rules WHERE id = (SELECT rule FROM ids);
SELECT fx.as_superuser();
SELECT is((SELECT count(*)::int FROM rule_audit WHERE action = 'SOFT_DELETE'), 1, 'a soft delete is logged');
SELECT ok((SELECT changes -> 'changed' ? 'deleted_at' FROM rule_audit WHERE action = 'SOFT_DELETE'),
          'with deleted_at among the changed columns');

-- A real DELETE (erasure/retention) logs the old row: the design's trigger used NEW here.
SELECT set_config('llamadesk.hard_delete', 'on', true);
SELECT lives_ok($$DELETE FROM alert_rules WHERE id = (SELECT rule FROM ids)$$, 'a hard delete works');
SELECT set_config('llamadesk.hard_delete', '', true);
SELECT is((SELECT changes -> 'old' ->> 'name' FROM rule_audit WHERE action = 'DELETE'), 'gas low',
          'a hard delete logs the old row');
SELECT ok((SELECT changes -> 'new' = 'null'::jsonb FROM rule_audit WHERE action = 'DELETE'),
          'and no new row');
SELECT is((SELECT user_id FROM rule_audit WHERE action = 'DELETE'), NULL,
          'written without app.current_user_id: no actor, and no error');

-- Unset, empty or unknown actors never break a write.
SELECT lives_ok(format($$UPDATE tax_reports SET status = 'processing' WHERE id = %L$$,
                       fx.rid('tax_reports', fx.user_b())), 'a write with no user setting at all');
SELECT is((SELECT user_id FROM audit_logs WHERE resource_id = fx.rid('tax_reports', fx.user_b())
           AND action = 'UPDATE'), NULL, 'is logged without an actor');
SELECT set_config('app.current_user_id', '', true);
SELECT lives_ok(format($$UPDATE tax_reports SET status = 'completed' WHERE id = %L$$,
                       fx.rid('tax_reports', fx.user_b())), 'a write with an empty user setting');
SELECT set_config('app.current_user_id', 'eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee', true);
SELECT lives_ok(format($$UPDATE tax_reports SET status = 'failed' WHERE id = %L$$,
                       fx.rid('tax_reports', fx.user_b())), 'a write by an id that is no user');
SELECT is((SELECT metadata ->> 'actor_id' FROM audit_logs
           WHERE resource_id = fx.rid('tax_reports', fx.user_b()) AND changes -> 'new' ->> 'status' = 'failed'),
          'eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee', 'keeps that id in metadata');
SELECT set_config('app.current_user_id', '', true);

-- Secrets never reach the log, but a change to one is still visible.
SELECT fx.as_app(fx.user_a());
UPDATE users SET password_hash = '$argon2id$v=19$m=65536,t=3,p=4$bmV3c2FsdA$bmV3aGFzaA' WHERE id = fx.user_a();
SELECT fx.as_superuser();
SELECT is((SELECT count(*)::int FROM audit_logs WHERE resource_type = 'users' AND resource_id = fx.user_a()
           AND action = 'UPDATE'), 1, 'a password change is logged');
SELECT ok((SELECT changes -> 'changed' ? 'password_hash' FROM audit_logs WHERE resource_type = 'users'
           AND resource_id = fx.user_a() AND action = 'UPDATE'), 'as a change of password_hash');
SELECT is((SELECT count(*)::int FROM audit_logs
           WHERE changes::text LIKE '%argon2id%' OR changes::text LIKE '%encrypted-totp-secret%'), 0,
          'no password hash or second-factor secret anywhere in the log');
SELECT is((SELECT count(*)::int FROM audit_logs a JOIN api_keys k ON a.changes::text LIKE '%' || k.key_hash || '%'), 0,
          'no API key hash anywhere in the log');
SELECT is((SELECT count(*)::int FROM audit_logs WHERE resource_type = 'api_keys' AND action = 'INSERT'), 2,
          'API key creation is logged (once per user)');

-- Quiet bookkeeping (sign-in counters) is not logged as a data change.
SELECT lives_ok($$SELECT record_login_attempt(upper((SELECT email FROM users WHERE id = fx.user_a())),
                                               fx.user_a(), '198.51.100.7', 'test agent', true)$$,
                'a successful sign-in is recorded');
SELECT is((SELECT count(*)::int FROM audit_logs WHERE resource_type = 'users' AND resource_id = fx.user_a()
           AND action = 'UPDATE'), 1, 'its counter updates are not a data change');
SELECT is((SELECT action || ' ' || status || ' ' || host(ip_address) FROM audit_logs
           WHERE user_id = fx.user_a() AND action LIKE 'login%' ORDER BY timestamp DESC, action LIMIT 1),
          'login success 198.51.100.7', 'the sign-in itself is audited with its address');
SELECT is((SELECT count(*)::int FROM audit_logs WHERE user_id = fx.user_b() AND action = 'login_failed'
           AND status = 'failure'), 1, 'failed sign-ins are audited as failures');

-- Tables outside the audit (high-volume, server-written) add nothing.
SELECT is((SELECT count(*)::int FROM audit_logs WHERE resource_type IN
           (SELECT table_name FROM user_data_tables WHERE NOT audited)), 0,
          'no entries for tables that are not audited');

-- log_audit_event: events the server writes itself, for the signed-in user.
SELECT fx.as_app(fx.user_a());
SELECT lives_ok($$SELECT log_audit_event('export_requested', 'users', fx.user_a(), 'success',
                                          p_ip => '203.0.113.5', p_user_agent => 'desktop/1.0')$$,
                'the server logs an event');
SELECT is((SELECT count(*)::int FROM audit_logs WHERE action = 'export_requested'), 1,
          'A reads its own event back');
SELECT is((SELECT count(*)::int FROM audit_logs WHERE user_id = fx.user_b()), 0,
          'A reads none of B''s entries');
SELECT throws_ok($$INSERT INTO audit_logs (action, resource_type, status) VALUES ('forged', 'users', 'success')$$,
                 '42501', NULL, 'the application cannot write the log directly');
SELECT throws_ok($$UPDATE audit_logs SET action = 'nothing'$$, '42501', NULL,
                 'the application cannot rewrite the log');
SELECT fx.as_superuser();

SELECT * FROM finish();
ROLLBACK;
