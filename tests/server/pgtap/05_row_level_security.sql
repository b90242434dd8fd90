-- Row-level security: for every user-owned table, user A (through the application role) can
-- neither see nor change user B's rows; without app.current_user_id the role sees nothing;
-- admin_role sees everyone's rows; the application role is not the owner and cannot bypass.
BEGIN;
SET search_path = public, tap;
\ir ../fixtures/fixtures.sql

CREATE TEMP TABLE owned AS
SELECT table_name, owner_column, user_access, '42501' AS intrusion_error
FROM user_data_tables;
GRANT SELECT ON owned TO PUBLIC;

SELECT plan((SELECT 8 + 5 * count(*)::int + 5 * count(*) FILTER (WHERE user_access = 'read_write')::int
                    + 4 * count(*) FILTER (WHERE user_access = 'append_only')::int
                    + 3 * count(*) FILTER (WHERE user_access = 'read_only')::int
             FROM owned));
SELECT fx.allow_tap();

-- The roles as the design wants them.
SELECT ok(NOT rolbypassrls AND NOT rolsuper AND rolcanlogin, 'llamadesk_app logs in and cannot bypass RLS')
FROM pg_roles WHERE rolname = 'llamadesk_app';
SELECT ok(NOT rolcanlogin AND NOT rolbypassrls, 'llamadesk_owner cannot log in and cannot bypass RLS')
FROM pg_roles WHERE rolname = 'llamadesk_owner';
SELECT ok(pg_has_role('llamadesk_app', 'authenticated_users', 'MEMBER'),
          'llamadesk_app is a member of authenticated_users');
SELECT ok(NOT pg_has_role('llamadesk_app', 'admin_role', 'MEMBER')
          AND NOT pg_has_role('llamadesk_app', 'llamadesk_owner', 'MEMBER'),
          'llamadesk_app is neither admin nor owner');
SELECT is((SELECT count(*)::int FROM pg_class c JOIN user_data_tables u ON u.table_name = c.relname
           WHERE c.relnamespace = 'public'::regnamespace AND NOT c.relispartition
             AND c.relowner = 'llamadesk_owner'::regrole AND c.relrowsecurity AND c.relforcerowsecurity),
          (SELECT count(*)::int FROM user_data_tables),
          'every user-owned table is owned by llamadesk_owner with RLS enabled and forced');
-- Every table with a user column is registered, so none escapes the checks below.
SELECT set_eq(
    $$SELECT c.relname::text FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
      WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
        AND a.attname = 'user_id' AND a.atttypid = 'uuid'::regtype
      UNION SELECT 'users'$$,
    $$SELECT table_name FROM user_data_tables$$,
    'every table with a user_id column (and users) is registered as user-owned');
SELECT set_eq($$SELECT table_name FROM user_data_tables WHERE user_access IN ('read_write', 'append_only')$$,
              $$SELECT unnest(fx.user_tables())$$,
              'the fixtures cover every writable user-owned table');

SELECT fx.seed_reference();
SELECT fx.seed_user(fx.user_a());
SELECT fx.seed_user(fx.user_b());

-- As A.
SELECT fx.as_app(fx.user_a());
SELECT cmp_ok(fx.count_owned(table_name, owner_column, fx.user_a()), '>=', 1::bigint,
              table_name || ': A sees its own rows') FROM owned ORDER BY table_name;
SELECT is(fx.count_owned(table_name, owner_column, fx.user_b()), 0::bigint,
          table_name || ': A sees none of B''s rows') FROM owned ORDER BY table_name;
SELECT is(fx.affected(format('SELECT 1 FROM %I WHERE %I <> %L', table_name, owner_column, fx.user_a())),
          0::bigint, table_name || ': A''s unfiltered read returns only A''s rows')
FROM owned ORDER BY table_name;

-- Writable tables: B's rows cannot be updated, deleted, inserted, or taken over.
SELECT is(fx.affected(format('UPDATE %I SET %I = %I WHERE %I = %L', table_name, owner_column,
                             owner_column, owner_column, fx.user_b())),
          0::bigint, table_name || ': A updates none of B''s rows')
FROM owned WHERE user_access = 'read_write' ORDER BY table_name;
SELECT is(fx.affected(format('DELETE FROM %I WHERE %I = %L', table_name, owner_column, fx.user_b())),
          0::bigint, table_name || ': A deletes none of B''s rows')
FROM owned WHERE user_access = 'read_write' ORDER BY table_name;
SELECT is(fx.error_of(fx.insert_sql(table_name, fx.user_b(), 'intruder')), intrusion_error,
          table_name || ': A cannot insert a row owned by B')
FROM owned WHERE user_access IN ('read_write', 'append_only') ORDER BY table_name;
SELECT is(fx.error_of(format('UPDATE %I SET %I = %L WHERE %I = %L', table_name, owner_column,
                             fx.user_b(), owner_column, fx.user_a())),
          '42501', table_name || ': A cannot hand its row over to B')
FROM owned WHERE user_access = 'read_write' ORDER BY table_name;
SELECT is(fx.error_of(fx.insert_sql(table_name, fx.user_a(), 'second')), NULL,
          table_name || ': A can insert its own rows')
FROM owned WHERE user_access IN ('read_write', 'append_only') AND table_name <> 'users' ORDER BY table_name;
SELECT is(fx.error_of(fx.insert_sql('users', fx.user_a(), 'second')), '42501',
          'users: A cannot create an account other than its own');

-- Append-only tables: what is recorded stays as recorded.
SELECT is(fx.error_of(format('UPDATE %I SET %I = %I', table_name, owner_column, owner_column)),
          '42501', table_name || ': append-only, A cannot update') FROM owned
WHERE user_access = 'append_only' ORDER BY table_name;
SELECT is(fx.error_of(format('DELETE FROM %I', table_name)),
          '42501', table_name || ': append-only, A cannot delete') FROM owned
WHERE user_access = 'append_only' ORDER BY table_name;

-- Read-only tables: no writes at all through the application role.
SELECT is(fx.error_of(format('UPDATE %I SET %I = %I', table_name, owner_column, owner_column)),
          '42501', table_name || ': read-only, A cannot update') FROM owned
WHERE user_access = 'read_only' ORDER BY table_name;
SELECT is(fx.error_of(format('DELETE FROM %I', table_name)),
          '42501', table_name || ': read-only, A cannot delete') FROM owned
WHERE user_access = 'read_only' ORDER BY table_name;
SELECT is(fx.error_of(format('INSERT INTO %I (%I) VALUES (%L)', table_name, owner_column, fx.user_a())),
          '42501', table_name || ': read-only, A cannot insert') FROM owned
WHERE user_access = 'read_only' ORDER BY table_name;

-- Without a user in the transaction the application sees nothing (and gets no error).
SELECT fx.as_nobody();
SELECT is(fx.affected(format('SELECT 1 FROM %I', table_name)), 0::bigint,
          table_name || ': no app.current_user_id, no rows') FROM owned ORDER BY table_name;

-- The admin policy: admin_role sees both users' rows.
SELECT fx.as_admin();
SELECT ok(fx.count_owned(table_name, owner_column, fx.user_a()) >= 1
          AND fx.count_owned(table_name, owner_column, fx.user_b()) >= 1,
          table_name || ': admin_role sees every user''s rows') FROM owned ORDER BY table_name;

-- The owner goes through policies too (FORCE): without admin_role it would see nothing.
SELECT fx.as_superuser();
SELECT is((SELECT count(*)::int FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
           JOIN owned o ON o.table_name = c.relname
           WHERE p.polname IN ('user_isolation_policy', 'admin_access_policy')),
          (SELECT 2 * count(*)::int FROM owned),
          'every user-owned table has user_isolation_policy and admin_access_policy');

SELECT * FROM finish();
ROLLBACK;
