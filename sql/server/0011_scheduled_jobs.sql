-- 0011_scheduled_jobs: the periodic work, through pg_cron when it is installed in this
-- database. Without pg_cron nothing is scheduled here and the server (or an operator's cron)
-- calls the same functions; see docs/server-schema.md.
--   reset-alert-counts                  daily 00:00 UTC   reset_daily_trigger_count()   (the design's job)
--   llamadesk-portfolio-summary         every 5 minutes   refresh_user_portfolio_summary()
--   llamadesk-traders-leaderboard       hourly            refresh_top_traders_leaderboard()
--   llamadesk-gas-price-hourly          hourly            refresh_gas_price_hourly()   (no-op with TimescaleDB)
--   llamadesk-partition-maintenance     hourly            maintain_time_partitions()    (not with TimescaleDB)
--   llamadesk-sync-prune                daily             sync_prune()
--   llamadesk-auth-prune                daily             prune_auth_records()
-- Jobs are scheduled as llamadesk_jobs: pg_cron connects as the job's owner, and
-- llamadesk_owner cannot log in. The runner's login role must be a member of llamadesk_jobs
-- (setup/roles.sql makes llamadesk_migrator one).

DO $$
DECLARE
    job RECORD;
    timescale BOOLEAN := extension_installed('timescaledb');
BEGIN
    IF NOT extension_installed('pg_cron') THEN
        RAISE NOTICE '0011_scheduled_jobs: pg_cron is not installed in this database; nothing scheduled';
        RETURN;
    END IF;
    IF NOT pg_has_role(session_user, 'llamadesk_jobs', 'MEMBER') THEN
        RAISE EXCEPTION '0011_scheduled_jobs: the migrating login role % must be a member of llamadesk_jobs', session_user;
    END IF;
    IF NOT has_schema_privilege('llamadesk_jobs', 'cron', 'USAGE') THEN
        RAISE EXCEPTION '0011_scheduled_jobs: llamadesk_jobs needs USAGE on schema cron (setup/extensions.sql)';
    END IF;

    -- Evaluated as llamadesk_jobs from here on: only cron.schedule and the values below.
    SET LOCAL ROLE llamadesk_jobs;
    FOR job IN
        SELECT *
        FROM (VALUES ('reset-alert-counts', '0 0 * * *', 'SELECT reset_daily_trigger_count()', true),
                     ('llamadesk-portfolio-summary', '*/5 * * * *', 'SELECT refresh_user_portfolio_summary()', true),
                     ('llamadesk-traders-leaderboard', '7 * * * *', 'SELECT refresh_top_traders_leaderboard()', true),
                     ('llamadesk-gas-price-hourly', '5 * * * *', 'SELECT refresh_gas_price_hourly()',
                      NOT timescale),
                     ('llamadesk-partition-maintenance', '15 * * * *', 'SELECT maintain_time_partitions()',
                      NOT timescale),
                     ('llamadesk-sync-prune', '30 3 * * *', 'SELECT sync_prune()', true),
                     ('llamadesk-auth-prune', '45 3 * * *', 'SELECT prune_auth_records()', true))
                 AS j(name, schedule, command, wanted)
        WHERE wanted
    LOOP
        -- Scheduling an existing name of the same user replaces that job.
        PERFORM cron.schedule(job.name, job.schedule, job.command);
    END LOOP;
    SET LOCAL ROLE llamadesk_owner;
END
$$;
