-- Cluster-wide roles the server schema relies on. Run once per cluster, before the first
-- migration, by a role allowed to create roles:   psql -v ON_ERROR_STOP=1 -f setup/roles.sql
-- Re-running it is harmless. Passwords are not set here: the operator sets them
-- (ALTER ROLE ... PASSWORD) or uses another authentication method.
--
--   llamadesk_owner     NOLOGIN. Owns every table, view and function. Tables use FORCE ROW LEVEL
--                       SECURITY, so even the owner reads through a policy: it is a member of
--                       admin_role, which is what the SECURITY DEFINER maintenance functions use.
--   authenticated_users NOLOGIN group the user isolation policies are written for.
--   admin_role          NOLOGIN group the admin policies are written for (operators' tools).
--   llamadesk_ingest    NOLOGIN group allowed to write reference data (prices, gas predictions...).
--   llamadesk_app       LOGIN, NOBYPASSRLS, member of authenticated_users only: the server's
--                       request connections. Every request sets app.current_user_id with
--                       SET LOCAL inside its transaction.
--   llamadesk_jobs      LOGIN, NOBYPASSRLS: scheduled jobs (pg_cron runs them as this role).
--   llamadesk_migrator  LOGIN, NOINHERIT: the migration runner. It switches to llamadesk_owner
--                       for each migration (and to llamadesk_jobs to schedule jobs).
DO $$
DECLARE
    spec record;
BEGIN
    FOR spec IN
        SELECT *
        FROM (VALUES ('llamadesk_owner', 'NOLOGIN NOBYPASSRLS NOSUPERUSER NOCREATEROLE'),
                     ('authenticated_users', 'NOLOGIN NOBYPASSRLS'),
                     ('admin_role', 'NOLOGIN NOBYPASSRLS'),
                     ('llamadesk_ingest', 'NOLOGIN NOBYPASSRLS'),
                     ('llamadesk_app', 'LOGIN NOBYPASSRLS NOSUPERUSER NOCREATEDB NOCREATEROLE'),
                     ('llamadesk_jobs', 'LOGIN NOBYPASSRLS NOSUPERUSER NOCREATEDB NOCREATEROLE'),
                     ('llamadesk_migrator', 'LOGIN NOINHERIT NOBYPASSRLS NOSUPERUSER'))
                 AS r(name, attributes)
    LOOP
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = spec.name) THEN
            EXECUTE format('CREATE ROLE %I %s', spec.name, spec.attributes);
        ELSE
            EXECUTE format('ALTER ROLE %I %s', spec.name, spec.attributes);
        END IF;
    END LOOP;
END
$$;

GRANT authenticated_users TO llamadesk_app;
GRANT admin_role TO llamadesk_owner;
GRANT llamadesk_owner TO llamadesk_migrator;
GRANT llamadesk_jobs TO llamadesk_migrator;

-- Requests must never run for minutes: a long open transaction also holds back the sync
-- feed's watermark (see docs/server-schema.md).
ALTER ROLE llamadesk_app SET idle_in_transaction_session_timeout = '60s';
ALTER ROLE llamadesk_app SET statement_timeout = '30s';
