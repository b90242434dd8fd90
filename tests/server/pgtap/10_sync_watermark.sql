-- The pull never skips a change that commits late with a lower position. Two writer sessions
-- and one puller (separate connections through dblink, as llamadesk_app): writer 1 inserts
-- and stays open, writer 2 inserts after it and commits; a pull must not pass writer 1's
-- change; once writer 1 commits, the next pull returns both, in order. Also paging, and
-- SET LOCAL app.current_user_id ending with its transaction (pooled connections).
-- Runs outside a transaction (the sessions must see each other's commits), so it creates its
-- own user and removes it at the end; helpers are temporary functions.
SET search_path = public, tap;
SET client_min_messages = warning;

SELECT plan(16);

CREATE TEMP TABLE ctx AS
SELECT gen_random_uuid() AS w,
       format('host=127.0.0.1 port=%s dbname=%s user=llamadesk_app', current_setting('port'),
              current_database()) AS conninfo;

-- A pull as the puller session: rows of sync_pull as text "name@txid.seq".
CREATE FUNCTION pg_temp.pull(p_after_txid bigint, p_after_seq bigint, p_limit integer DEFAULT 500)
    RETURNS TABLE (name text, txid bigint, seq bigint) LANGUAGE sql
AS $$
    SELECT * FROM dblink('puller', format(
        'SELECT coalesce(row_data ->> ''name'', table_name), txid, seq FROM sync_pull(%L, %s, %s, %s)',
        (SELECT w FROM ctx), p_after_txid, p_after_seq, p_limit)) AS t(name text, txid bigint, seq bigint)
$$;

-- Pulls until at least p_want rows come back (a scheduled job's short transaction may hold
-- the watermark for a moment) or two seconds pass.
CREATE FUNCTION pg_temp.pull_until(p_after_txid bigint, p_after_seq bigint, p_want integer)
    RETURNS text LANGUAGE plpgsql
AS $$
DECLARE
    got text;
    n integer;
BEGIN
    FOR attempt IN 1 .. 40 LOOP
        SELECT string_agg(name, ',' ORDER BY txid, seq), count(*) INTO got, n
        FROM pg_temp.pull(p_after_txid, p_after_seq);
        EXIT WHEN n >= p_want;
        PERFORM pg_sleep(0.05);
    END LOOP;
    RETURN got;
END;
$$;

CREATE FUNCTION pg_temp.rule_sql(p_name text) RETURNS text LANGUAGE sql
AS $$
    SELECT format('INSERT INTO alert_rules (user_id, name, alert_type, target_type, target_id, condition_operator, '
                  'threshold_value) VALUES (%L, %L, ''price_change'', ''token'', ''ETH'', ''>'', 1)',
                  (SELECT w FROM ctx), p_name)
$$;

CREATE FUNCTION pg_temp.as_w() RETURNS text LANGUAGE sql
AS $$ SELECT format('SET LOCAL app.current_user_id = %L', (SELECT w FROM ctx)) $$;

-- The user, created and committed by the test's own session.
SELECT set_config('app.current_user_id', (SELECT w::text FROM ctx), false);
INSERT INTO users (id, email) SELECT w, 'watermark-' || left(w::text, 8) || '@example.com' FROM ctx;
SELECT set_config('app.current_user_id', '', false);

SELECT dblink_connect('w1', (SELECT conninfo FROM ctx));
SELECT dblink_connect('w2', (SELECT conninfo FROM ctx));
SELECT dblink_connect('w3', (SELECT conninfo FROM ctx));
SELECT dblink_connect('puller', (SELECT conninfo FROM ctx));
SELECT dblink_exec('puller', format('SET app.current_user_id = %L', (SELECT w FROM ctx)));

-- Where the puller stands: after the account's own insert.
CREATE TEMP TABLE cursor0 AS SELECT txid, seq FROM pg_temp.pull(0, 0) ORDER BY txid DESC, seq DESC LIMIT 1;
SELECT is((SELECT count(*)::int FROM cursor0), 1, 'the first pull returns the account''s creation');

-- Writer 1 inserts and stays open; writer 2 inserts after it and commits.
SELECT dblink_exec('w1', 'BEGIN');
SELECT dblink_exec('w1', pg_temp.as_w());
SELECT dblink_exec('w1', pg_temp.rule_sql('from-w1'));
CREATE TEMP TABLE w1_xid AS SELECT x FROM dblink('w1', 'SELECT pg_current_xact_id()::text::bigint') AS t(x bigint);
SELECT dblink_exec('w2', 'BEGIN');
SELECT dblink_exec('w2', pg_temp.as_w());
SELECT dblink_exec('w2', pg_temp.rule_sql('from-w2'));
SELECT dblink_exec('w2', 'COMMIT');

SELECT is((SELECT count(*)::int FROM sync_changes, ctx, cursor0
           WHERE user_id = ctx.w AND sync_changes.seq > cursor0.seq),
          1, 'writer 2''s change is committed: a reader paging by seq alone would take it now');
SELECT ok((SELECT x FROM w1_xid) < (SELECT max(txid::text::bigint) FROM sync_changes, ctx WHERE user_id = ctx.w),
          'writer 1, still open, is the older transaction');
SELECT is((SELECT count(*)::int FROM pg_temp.pull((SELECT txid FROM cursor0), (SELECT seq FROM cursor0))), 0,
          'the pull does not pass writer 1''s open change (nor return anything after it)');
SELECT ok((SELECT txid FROM dblink('puller', 'SELECT txid FROM sync_snapshot_position()') AS t(txid bigint))
          <= (SELECT x FROM w1_xid), 'the snapshot position stays below the open transaction');

-- Writer 1 commits: now both arrive, oldest transaction first.
SELECT dblink_exec('w1', 'COMMIT');
SELECT is(pg_temp.pull_until((SELECT txid FROM cursor0), (SELECT seq FROM cursor0), 2), 'from-w1,from-w2',
          'after writer 1 commits, the next pull returns its change, then writer 2''s');
CREATE TEMP TABLE cursor1 AS
SELECT txid, seq FROM pg_temp.pull((SELECT txid FROM cursor0), (SELECT seq FROM cursor0))
ORDER BY txid DESC, seq DESC LIMIT 1;
SELECT is((SELECT count(*)::int FROM pg_temp.pull((SELECT txid FROM cursor1), (SELECT seq FROM cursor1))), 0,
          'a pull from the last position returns nothing new');

-- The other order: the older transaction writes later. Writer 2 takes an id first (its first
-- write), writer 1 writes and commits, writer 2 writes again and commits last.
SELECT dblink_exec('w2', 'BEGIN');
SELECT dblink_exec('w2', pg_temp.as_w());
SELECT dblink_exec('w2', pg_temp.rule_sql('w2-first'));
SELECT dblink_exec('w1', 'BEGIN');
SELECT dblink_exec('w1', pg_temp.as_w());
SELECT dblink_exec('w1', pg_temp.rule_sql('w1-only'));
SELECT dblink_exec('w1', 'COMMIT');
SELECT dblink_exec('w2', pg_temp.rule_sql('w2-second'));
SELECT is((SELECT count(*)::int FROM pg_temp.pull((SELECT txid FROM cursor1), (SELECT seq FROM cursor1))), 0,
          'a younger committed transaction waits behind an older open one');
SELECT dblink_exec('w2', 'COMMIT');
SELECT is(pg_temp.pull_until((SELECT txid FROM cursor1), (SELECT seq FROM cursor1), 3), 'w2-first,w2-second,w1-only',
          'then all three arrive, grouped by transaction in start order');

-- Paging: five changes in one transaction, pulled two at a time, none twice, none lost.
SELECT dblink_exec('w3', 'BEGIN');
SELECT dblink_exec('w3', pg_temp.as_w());
SELECT dblink_exec('w3', pg_temp.rule_sql('page-' || n)) FROM generate_series(1, 5) n;
SELECT dblink_exec('w3', 'COMMIT');
CREATE TEMP TABLE pages (page int, name text, txid bigint, seq bigint);
CREATE TEMP TABLE cursor2 AS
SELECT txid, seq FROM pg_temp.pull((SELECT txid FROM cursor1), (SELECT seq FROM cursor1))
WHERE name = 'w1-only';
DO $$
DECLARE
    t bigint := (SELECT txid FROM cursor2);
    s bigint := (SELECT seq FROM cursor2);
BEGIN
    FOR page IN 1 .. 4 LOOP
        FOR attempt IN 1 .. 40 LOOP
            EXIT WHEN EXISTS (SELECT FROM pg_temp.pull(t, s, 2)) OR page = 4;
            PERFORM pg_sleep(0.05);
        END LOOP;
        INSERT INTO pages SELECT page, p.* FROM pg_temp.pull(t, s, 2) p;
        SELECT p.txid, p.seq INTO t, s FROM pages p ORDER BY p.txid DESC, p.seq DESC LIMIT 1;
    END LOOP;
END
$$;
SELECT is((SELECT string_agg(page || ':' || name, ',' ORDER BY txid, seq) FROM pages),
          '1:page-1,1:page-2,2:page-3,2:page-4,3:page-5', 'pages of two: 2 + 2 + 1, then nothing');
SELECT is((SELECT count(DISTINCT seq)::int FROM pages), 5, 'no change is returned twice');

-- SET LOCAL ends with the transaction: a pooled connection does not keep the user.
SELECT dblink_exec('w3', 'BEGIN');
SELECT dblink_exec('w3', pg_temp.as_w());
SELECT cmp_ok((SELECT n FROM dblink('w3', 'SELECT count(*) FROM alert_rules') AS t(n bigint)), '>=', 10::bigint,
              'inside the transaction the user''s rows are visible');
SELECT dblink_exec('w3', 'COMMIT');
SELECT is((SELECT n FROM dblink('w3', 'SELECT count(*) FROM alert_rules') AS t(n bigint)), 0::bigint,
          'after it, the same connection sees nothing');
SELECT is((SELECT v FROM dblink('w3', 'SELECT current_setting(''app.current_user_id'', true)') AS t(v text)), '',
          'and the setting is empty, not the previous user');
SELECT is((SELECT n FROM dblink('w3', 'SELECT count(*) FROM sync_pull(''' || (SELECT w FROM ctx) || ''', 0, 0)') AS t(n bigint)),
          0::bigint, 'nor can it pull that user''s changes');
SELECT is((SELECT count(*)::int FROM sync_changes, ctx WHERE user_id = ctx.w), 11,
          'every committed change is in the feed: account, 2 + 3 rules, 5 pages');

SELECT dblink_disconnect('w1');
SELECT dblink_disconnect('w2');
SELECT dblink_disconnect('w3');
SELECT dblink_disconnect('puller');

-- Clean up the committed user.
BEGIN;
SET LOCAL llamadesk.hard_delete = 'on';
DELETE FROM users WHERE id = (SELECT w FROM ctx);
DELETE FROM sync_changes WHERE user_id = (SELECT w FROM ctx);
COMMIT;

SELECT * FROM finish();
