-- GDPR: gdpr_export_user_data returns everything of one user and nothing else (no secrets,
-- no other user); gdpr_delete_user erases the user's data, anonymizes the account with an
-- address that still passes the email check, scrubs the audit trail and leaves other users
-- untouched. Only the user themself or an admin may call either.
BEGIN;
SET search_path = public, tap;
\ir ../fixtures/fixtures.sql

CREATE TEMP TABLE exported AS
SELECT table_name, owner_column,
       CASE table_name WHEN 'alert_rules' THEN 'alerts' WHEN 'portfolio_assets' THEN 'portfolios'
                       ELSE table_name END AS export_key,
       on_erase
FROM user_data_tables WHERE exported AND table_name <> 'users';
GRANT SELECT ON exported TO PUBLIC;

SELECT plan((SELECT 33 + 2 * count(*)::int FROM exported)
            + (SELECT count(*)::int FROM user_data_tables WHERE on_erase = 'delete'));
SELECT fx.allow_tap();

SELECT fx.seed_reference();
SELECT fx.seed_user(fx.user_a());
SELECT fx.seed_user(fx.user_b());
-- A second rule for A, so counts above one are checked too.
SELECT set_config('app.current_user_id', fx.user_a()::text, true);
SELECT fx.affected(fx.insert_sql('alert_rules', fx.user_a(), 'second'));

CREATE TEMP TABLE counts_b AS
SELECT table_name, fx.count_owned(table_name, owner_column, fx.user_b()) AS n FROM user_data_tables;
CREATE TEMP TABLE counts_a AS
SELECT table_name, fx.count_owned(table_name, owner_column, fx.user_a()) AS n FROM user_data_tables;
CREATE TEMP TABLE a_email AS SELECT email FROM users WHERE id = fx.user_a();
CREATE TEMP TABLE export_a (doc jsonb);
GRANT SELECT ON counts_a, counts_b, a_email TO PUBLIC;
GRANT ALL ON export_a TO PUBLIC;

-- Export, as A.
SELECT fx.as_app(fx.user_a());
SELECT lives_ok($$INSERT INTO export_a SELECT gdpr_export_user_data(fx.user_a())$$, 'A exports its data');
SELECT fx.as_superuser();

SELECT set_eq($$SELECT jsonb_object_keys(doc) FROM export_a$$,
              $$SELECT export_key FROM exported UNION ALL SELECT unnest(ARRAY['user', 'format_version', 'exported_at'])$$,
              'the export has the account and one entry per user-owned table');
SELECT is((SELECT doc -> 'user' ->> 'email' FROM export_a), (SELECT email FROM a_email)::text,
          'the account is A''s');
SELECT is(jsonb_array_length((SELECT doc -> export_key FROM export_a))::bigint,
          (SELECT n FROM counts_a c WHERE c.table_name = e.table_name),
          e.table_name || ': every row of A is exported')
FROM exported e ORDER BY e.table_name;
SELECT ok((SELECT bool_and(r ->> owner_column = fx.user_a()::text)
           FROM export_a, jsonb_array_elements(doc -> export_key) r) IS NOT FALSE,
          e.table_name || ': no row of anybody else') FROM exported e ORDER BY e.table_name;
SELECT ok((SELECT position(fx.user_b()::text IN doc::text) = 0 FROM export_a), 'B appears nowhere');
SELECT ok((SELECT NOT (doc ->> 'user') ~ 'password_hash|two_factor_secret|argon2id' FROM export_a),
          'no password hash or second-factor secret');
SELECT ok((SELECT NOT doc::text ~ 'key_hash' FROM export_a), 'no API key hash');
SELECT is((SELECT doc -> 'alerts' -> 0 ->> 'threshold_value' FROM export_a
           WHERE doc -> 'alerts' -> 0 ->> 'name' = 'ETH above 3000'),
          '3000.123456789012345678', 'decimals are exported exactly');

-- Only oneself or an admin.
SELECT fx.as_app(fx.user_a());
SELECT throws_ok($$SELECT gdpr_export_user_data(fx.user_b())$$, '42501', NULL, 'A cannot export B');
SELECT throws_ok($$SELECT gdpr_delete_user(fx.user_b())$$, '42501', NULL, 'A cannot erase B');
SELECT fx.as_nobody();
SELECT throws_ok($$SELECT gdpr_export_user_data(fx.user_a())$$, '42501', NULL,
                 'nobody signed in cannot export anyone');
SELECT fx.as_admin();
SELECT is((SELECT gdpr_export_user_data(fx.user_b()) -> 'user' ->> 'id'), fx.user_b()::text,
          'an admin can export anyone');

-- Erase A, as A.
SELECT fx.as_app(fx.user_a());
SELECT lives_ok($$SELECT gdpr_delete_user(fx.user_a())$$, 'A erases its account');
SELECT fx.as_superuser();

SELECT is((SELECT email FROM users WHERE id = fx.user_a())::text,
          'deleted_' || fx.user_a() || '@deleted.invalid', 'the email is anonymized');
SELECT ok((SELECT email ~* '^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$' FROM users WHERE id = fx.user_a()),
          'and still matches the design''s email format');
SELECT is((SELECT first_name || ' ' || last_name FROM users WHERE id = fx.user_a())::text, 'Deleted User',
          'the name is anonymized');
SELECT ok((SELECT password_hash IS NULL AND two_factor_secret IS NULL AND NOT two_factor_enabled
           AND username IS NULL FROM users WHERE id = fx.user_a()), 'credentials and username are gone');
SELECT ok((SELECT deleted_at IS NOT NULL AND NOT is_active FROM users WHERE id = fx.user_a()),
          'the account is soft-deleted and inactive');
SELECT is(fx.count_owned(table_name, owner_column, fx.user_a()), 0::bigint,
          table_name || ': A''s rows are erased')
FROM user_data_tables WHERE on_erase = 'delete' ORDER BY table_name;
SELECT is(fx.count_owned('subscriptions', 'user_id', fx.user_a()), 1::bigint, 'billing records are kept');
SELECT is((SELECT count(*)::int FROM login_attempts WHERE email = (SELECT lower(email) FROM a_email)), 0,
          'sign-in attempts for the old address are gone');
SELECT is((SELECT count(*)::int FROM audit_logs WHERE user_id = fx.user_a()
           AND (changes IS NOT NULL OR ip_address IS NOT NULL OR user_agent IS NOT NULL)), 0,
          'A''s audit entries keep no personal details');
SELECT is((SELECT count(*)::int FROM audit_logs WHERE position((SELECT email FROM a_email) IN coalesce(changes::text, '')) > 0), 0,
          'the old email is nowhere in the audit log');
SELECT is((SELECT count(*)::int FROM audit_logs WHERE action = 'GDPR_DELETE' AND resource_id = fx.user_a()
           AND user_id = fx.user_a() AND status = 'success'), 1, 'the erasure itself is logged');
SELECT is((SELECT count(*)::int FROM sync_changes WHERE user_id = fx.user_a()), 0,
          'the change feed holds nothing of A');
SELECT is((SELECT count(*)::int FROM auth_find_user((SELECT email FROM a_email))), 0,
          'the old email no longer signs in');

-- Devices of A are told to start over.
SELECT fx.as_app(fx.user_a());
SELECT throws_ok($$SELECT * FROM sync_pull(fx.user_a(), pg_current_xact_id()::text::bigint, 100)$$,
                 'LD001', NULL, 'A''s devices must resync, even one that was up to date');
SELECT is((SELECT jsonb_array_length(gdpr_export_user_data(fx.user_a()) -> 'alerts')), 0,
          'an export after erasure holds no content');
SELECT fx.as_superuser();

-- B is untouched.
SELECT is((SELECT count(*)::int FROM counts_b c
           WHERE c.n <> fx.count_owned(c.table_name, (SELECT owner_column FROM user_data_tables u
                                                      WHERE u.table_name = c.table_name), fx.user_b())),
          0, 'B keeps every row');
SELECT is((SELECT first_name FROM users WHERE id = fx.user_b())::text, 'Ada', 'B''s account is unchanged');
SELECT is((SELECT count(*)::int FROM audit_logs WHERE user_id = fx.user_b() AND changes IS NOT NULL)
          > 0, true, 'B''s audit trail is unchanged');

-- An admin erases B.
SELECT fx.as_admin();
SELECT lives_ok($$SELECT gdpr_delete_user(fx.user_b())$$, 'an admin erases B');
SELECT fx.as_superuser();
SELECT is((SELECT count(*)::int FROM tax_transactions WHERE user_id = fx.user_b()), 0, 'B''s transactions are gone');
SELECT ok((SELECT metadata ? 'db_user' FROM audit_logs WHERE action = 'GDPR_DELETE' AND resource_id = fx.user_b()),
          'the admin''s erasure is logged with who ran it');
SELECT throws_ok($$SELECT gdpr_delete_user('00000000-0000-4000-8000-000000000000')$$, 'P0002', NULL,
                 'erasing an unknown user is an error');

SELECT * FROM finish();
ROLLBACK;
