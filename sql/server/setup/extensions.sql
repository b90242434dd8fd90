-- Optional extensions for one database, installed by a superuser before migrating:
--   psql -v ON_ERROR_STOP=1 -d <database> -f setup/extensions.sql
-- Each block installs an extension only when the server has it; the migrations then use
-- whatever is installed (TimescaleDB hypertables, else native partitions kept ahead by
-- pg_partman or by the schema's own maintenance function; pg_cron for scheduled jobs).
-- Re-running it is harmless.

-- pgcrypto is trusted, so the migrations create it themselves; creating it here too lets a
-- database that is not owned by llamadesk_owner be migrated.
CREATE EXTENSION IF NOT EXISTS pgcrypto;

DO $$
BEGIN
    -- TimescaleDB also needs shared_preload_libraries = 'timescaledb'.
    IF EXISTS (SELECT FROM pg_available_extensions WHERE name = 'timescaledb')
       AND current_setting('shared_preload_libraries') ~ 'timescaledb' THEN
        CREATE EXTENSION IF NOT EXISTS timescaledb;
    END IF;

    -- pg_partman is only useful without TimescaleDB (hypertables make their own chunks).
    IF EXISTS (SELECT FROM pg_available_extensions WHERE name = 'pg_partman')
       AND NOT EXISTS (SELECT FROM pg_extension WHERE extname = 'timescaledb') THEN
        CREATE SCHEMA IF NOT EXISTS partman;
        CREATE EXTENSION IF NOT EXISTS pg_partman SCHEMA partman;
        -- The owner creates the parent tables and runs maintenance, so it needs partman's
        -- configuration tables and functions (pg_partman's documented non-superuser setup).
        GRANT ALL ON SCHEMA partman TO llamadesk_owner;
        GRANT ALL ON ALL TABLES IN SCHEMA partman TO llamadesk_owner;
        GRANT ALL ON ALL SEQUENCES IN SCHEMA partman TO llamadesk_owner;
        GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA partman TO llamadesk_owner;
        GRANT EXECUTE ON ALL PROCEDURES IN SCHEMA partman TO llamadesk_owner;
    END IF;

    -- pg_cron lives in exactly one database (cron.database_name) and must be preloaded.
    IF EXISTS (SELECT FROM pg_available_extensions WHERE name = 'pg_cron')
       AND current_setting('shared_preload_libraries') ~ 'pg_cron'
       AND current_setting('cron.database_name', true) = current_database() THEN
        CREATE EXTENSION IF NOT EXISTS pg_cron;
        -- Jobs are scheduled and run as llamadesk_jobs (a LOGIN role: pg_cron connects as the
        -- job's user, which a NOLOGIN owner could not).
        GRANT USAGE ON SCHEMA cron TO llamadesk_jobs;
    END IF;
END
$$;
