-- 0001_foundation: what every later migration builds on.
--   * checks that the roles of setup/roles.sql exist (they are cluster-wide, not per database);
--   * pgcrypto (gen_random_uuid is built in; pgcrypto is for the encryption helpers);
--   * the request context: app_current_user_id(), read from app.current_user_id, which the
--     server sets with SET LOCAL in each transaction (safe behind a transaction-pooling bouncer);
--   * the trigger functions: update_updated_at_column (the design's), stamp_row_version and
--     record_sync_change (the sync change feed), audit_trigger, soft_delete;
--   * setup_user_table / setup_reference_table, which give every table the same RLS policies,
--     triggers and grants, and the registries they fill (user_data_tables, time_series_tables);
--   * create_time_series_table: a TimescaleDB hypertable when the extension is installed,
--     otherwise a table range-partitioned by month, kept ahead by pg_partman or, without it,
--     by ensure_time_partitions();
--   * the change feed itself: sync_changes and sync_feed_horizons.
-- Runs as llamadesk_owner (the runner switches role), in one transaction.

DO $$
DECLARE
    missing text;
BEGIN
    SELECT string_agg(r, ', ')
    INTO missing
    FROM unnest(ARRAY ['llamadesk_owner', 'authenticated_users', 'admin_role', 'llamadesk_ingest',
                       'llamadesk_app', 'llamadesk_jobs']) AS r
    WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r);
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION '0001_foundation: missing roles: % (run setup/roles.sql first)', missing;
    END IF;
    IF current_user <> 'llamadesk_owner' THEN
        RAISE EXCEPTION '0001_foundation: migrations must run as llamadesk_owner, not %', current_user;
    END IF;
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'llamadesk_app' AND (rolbypassrls OR rolsuper)) THEN
        RAISE EXCEPTION '0001_foundation: llamadesk_app must not bypass row-level security';
    END IF;
    IF NOT pg_has_role('llamadesk_owner', 'admin_role', 'USAGE') THEN
        RAISE EXCEPTION '0001_foundation: llamadesk_owner must be a member of admin_role (setup/roles.sql)';
    END IF;
END
$$;

CREATE EXTENSION IF NOT EXISTS pgcrypto;

-- Nothing the owner creates is callable by everyone unless granted explicitly.
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;

GRANT SELECT ON schema_migrations TO authenticated_users, admin_role, llamadesk_jobs;

-- ---------------------------------------------------------------------------------------------
-- Request context
-- ---------------------------------------------------------------------------------------------

-- The signed-in user of this transaction, or NULL. missing_ok: an unset setting means "nobody"
-- (no rows) instead of an error; NULLIF: after a SET LOCAL ends the setting reads as ''.
CREATE FUNCTION app_current_user_id() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT NULLIF(current_setting('app.current_user_id', true), '')::uuid $$;

GRANT EXECUTE ON FUNCTION app_current_user_id() TO PUBLIC;

-- True when the caller (the role in effect before any SECURITY DEFINER switch) is an admin.
CREATE FUNCTION caller_is_admin() RETURNS boolean
    LANGUAGE sql STABLE
AS $$
    SELECT pg_has_role(CASE WHEN current_setting('role') = 'none' THEN session_user::text
                            ELSE current_setting('role') END::name,
                       'admin_role', 'USAGE')
$$;

CREATE FUNCTION extension_installed(p_name text) RETURNS boolean
    LANGUAGE sql STABLE
AS $$ SELECT EXISTS (SELECT FROM pg_extension WHERE extname = p_name) $$;

-- ---------------------------------------------------------------------------------------------
-- Registries
-- ---------------------------------------------------------------------------------------------

-- Every user-owned table: how its owner is found, what the application may do with the
-- user's rows (read_write, append_only: insert and read, read_only), whether it
-- is in the sync feed and the audit log, which columns never leave the server (secret) and
-- which are bookkeeping that neither bumps row_version nor creates feed/audit entries (quiet).
CREATE TABLE user_data_tables (
    table_name TEXT PRIMARY KEY,
    owner_column TEXT NOT NULL,
    user_access VARCHAR(20) NOT NULL CHECK (user_access IN ('read_write', 'append_only', 'read_only')),
    synced BOOLEAN NOT NULL,
    audited BOOLEAN NOT NULL,
    secret_columns TEXT[] NOT NULL DEFAULT '{}',
    quiet_columns TEXT[] NOT NULL DEFAULT '{}',
    on_erase VARCHAR(20) NOT NULL CHECK (on_erase IN ('delete', 'keep', 'anonymize')),
    exported BOOLEAN NOT NULL DEFAULT true
);

-- Every time-series table and how it is partitioned in this database.
CREATE TABLE time_series_tables (
    table_name TEXT PRIMARY KEY,
    time_column TEXT NOT NULL,
    method VARCHAR(20) NOT NULL CHECK (method IN ('timescaledb', 'pg_partman', 'native')),
    chunk_interval INTERVAL NOT NULL,
    partition_interval INTERVAL
);

GRANT SELECT ON user_data_tables, time_series_tables TO admin_role;

-- ---------------------------------------------------------------------------------------------
-- Change feed
-- ---------------------------------------------------------------------------------------------

-- One row per insert, update or soft/hard delete of a row of a synced table. Readers page by
-- (txid, seq) and only below the oldest running transaction (see sync_pull in 0009): seq alone
-- commits out of order, xid order below the snapshot's xmin cannot change any more.
CREATE TABLE sync_changes (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    txid XID8 NOT NULL DEFAULT pg_current_xact_id(),
    -- No foreign key: changes are recorded while a user's rows are deleted in cascade.
    user_id UUID NOT NULL,
    table_name VARCHAR(63) NOT NULL,
    row_id UUID NOT NULL,
    operation VARCHAR(10) NOT NULL CHECK (operation IN ('insert', 'update', 'delete')),
    row_version BIGINT NOT NULL CHECK (row_version > 0),
    changed_columns TEXT[],
    -- The row after the change (before it, for a hard delete), every value as text.
    row_data JSONB NOT NULL,
    -- The device and mutation that caused it (app.client_id / app.mutation_id), so a device
    -- can recognise its own echoes.
    client_id UUID,
    mutation_id BIGINT,
    changed_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE INDEX idx_sync_changes_user_position ON sync_changes (user_id, txid, seq);
CREATE INDEX idx_sync_changes_changed ON sync_changes (changed_at);

-- The newest position pruned per user: a client whose position is older must resync.
CREATE TABLE sync_feed_horizons (
    user_id UUID PRIMARY KEY,
    pruned_txid XID8 NOT NULL,
    pruned_seq BIGINT NOT NULL,
    pruned_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

-- ---------------------------------------------------------------------------------------------
-- Helpers for the triggers
-- ---------------------------------------------------------------------------------------------

-- Names of the top-level keys whose values differ between two rows, ignoring some.
CREATE FUNCTION row_changed_columns(p_old JSONB, p_new JSONB, p_ignore TEXT[]) RETURNS TEXT[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT COALESCE(array_agg(n.key ORDER BY n.key), '{}')
    FROM jsonb_each(p_new) AS n
    WHERE n.key <> ALL (p_ignore)
      AND n.value IS DISTINCT FROM (p_old -> n.key)
$$;

-- A row as the sync feed carries it: secrets removed, every value as a JSON string (exact
-- decimals; JSON numbers would become doubles in most clients), timestamps in the one UTC
-- form the desktop mirror stores: YYYY-MM-DDTHH:MM:SS.ffffffZ.
CREATE FUNCTION sync_row_json(p_row JSONB, p_secret_columns TEXT[], p_timestamp_columns TEXT[])
    RETURNS JSONB
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT COALESCE(jsonb_object_agg(e.key,
               CASE
                   WHEN jsonb_typeof(e.value) = 'null' THEN NULL
                   WHEN e.key = ANY (p_timestamp_columns) THEN
                       to_jsonb(to_char((e.value #>> '{}')::timestamptz AT TIME ZONE 'UTC',
                                        'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
                   ELSE to_jsonb(e.value #>> '{}')
               END), '{}')
    FROM jsonb_each(p_row) AS e
    WHERE e.key <> ALL (p_secret_columns)
$$;

CREATE FUNCTION trigger_arg_list(p_arg TEXT) RETURNS TEXT[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT COALESCE(string_to_array(NULLIF(p_arg, ''), ','), '{}') $$;

-- Pure helpers, also used by triggers running with the writer's rights.
GRANT EXECUTE ON FUNCTION row_changed_columns(JSONB, JSONB, TEXT[]), sync_row_json(JSONB, TEXT[], TEXT[]),
    trigger_arg_list(TEXT), extension_installed(TEXT) TO PUBLIC;

-- ---------------------------------------------------------------------------------------------
-- Trigger functions. User-table triggers get the same arguments from setup_user_table:
--   0 logical table name (a partition's TG_TABLE_NAME is the partition's own name)
--   1 owner column   2 secret columns   3 quiet columns   4 timestamptz columns
--   5 primary key columns (2 to 5 are comma lists)
-- ---------------------------------------------------------------------------------------------

-- As in the design: every table with updated_at gets update_<table>_updated_at.
CREATE FUNCTION update_updated_at_column() RETURNS TRIGGER AS $$
BEGIN
    NEW.updated_at = NOW();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

-- BEFORE INSERT OR UPDATE on synced tables; named version_<table> so it runs after
-- update_<table>_updated_at (same-event triggers fire in name order). row_version is the
-- server's: 1 on insert, +1 on every change a client can see. An update that changes only
-- quiet columns (or nothing) keeps row_version and updated_at, so it records nothing.
-- A row's owner and key never change: devices know rows by key, and on a partitioned table
-- such an update would move the row (a delete, which soft_delete would turn into a soft
-- delete of the original).
CREATE FUNCTION stamp_row_version() RETURNS TRIGGER
    LANGUAGE plpgsql
AS $$
DECLARE
    old_row JSONB;
    new_row JSONB;
    key_column TEXT;
BEGIN
    IF TG_OP = 'INSERT' THEN
        NEW.row_version := 1;
        RETURN NEW;
    END IF;
    old_row := to_jsonb(OLD);
    new_row := to_jsonb(NEW);
    IF new_row -> TG_ARGV[1] IS DISTINCT FROM old_row -> TG_ARGV[1] THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
            MESSAGE = format('%s: the owner of a row never changes', TG_ARGV[0]);
    END IF;
    FOREACH key_column IN ARRAY trigger_arg_list(TG_ARGV[5]) LOOP
        IF new_row -> key_column IS DISTINCT FROM old_row -> key_column THEN
            RAISE EXCEPTION USING ERRCODE = 'check_violation',
                MESSAGE = format('%s: key column %s never changes; insert a new row instead',
                                 TG_ARGV[0], key_column);
        END IF;
    END LOOP;
    IF row_changed_columns(old_row, new_row,
                           ARRAY ['updated_at', 'row_version'] || trigger_arg_list(TG_ARGV[3])) = '{}' THEN
        NEW.row_version := OLD.row_version;
        NEW.updated_at := OLD.updated_at;
    ELSE
        NEW.row_version := OLD.row_version + 1;
    END IF;
    RETURN NEW;
END;
$$;

-- The rows a feed or audit trigger looks at, as a query yielding (n, o): the row after and
-- before the change as JSONB (NULL where there is none), one row per changed row. Statement
-- triggers read their transition tables new_rows/old_rows; row triggers (used where
-- transition tables are not available, i.e. TimescaleDB hypertables) pass NEW and OLD as
-- parameters $1 and $2. Updated rows are paired by their primary key, which never changes.
CREATE FUNCTION trigger_rows_query(p_op TEXT, p_level TEXT, p_key_columns TEXT[]) RETURNS TEXT
    LANGUAGE sql IMMUTABLE
AS $$
    SELECT CASE p_op
        WHEN 'INSERT' THEN format('SELECT n.j AS n, NULL::jsonb AS o FROM (%s) n(j)',
                                  CASE p_level WHEN 'ROW' THEN 'SELECT $1' ELSE 'SELECT to_jsonb(x) FROM new_rows x' END)
        WHEN 'DELETE' THEN format('SELECT NULL::jsonb AS n, o.j AS o FROM (%s) o(j)',
                                  CASE p_level WHEN 'ROW' THEN 'SELECT $2' ELSE 'SELECT to_jsonb(x) FROM old_rows x' END)
        ELSE CASE p_level
            WHEN 'ROW' THEN 'SELECT $1 AS n, $2 AS o'
            ELSE format('SELECT n.j AS n, o.j AS o FROM (SELECT to_jsonb(x) FROM new_rows x) n(j) '
                        'JOIN (SELECT to_jsonb(x) FROM old_rows x) o(j) ON %s',
                        (SELECT string_agg(format('n.j -> %L = o.j -> %L', k, k), ' AND ')
                         FROM unnest(p_key_columns) AS k))
        END
    END
$$;

-- AFTER INSERT, UPDATE, DELETE on synced tables: appends to sync_changes. SECURITY DEFINER so
-- the application role cannot write the feed directly. Statement-level with transition
-- tables (one trigger per event: PostgreSQL allows transition tables on single-event
-- triggers only), so a bulk import costs one INSERT ... SELECT, not one call per row.
CREATE FUNCTION record_sync_change() RETURNS TRIGGER
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp
AS $$
BEGIN
    EXECUTE format($sql$
        INSERT INTO sync_changes (user_id, table_name, row_id, operation, row_version,
                                  changed_columns, row_data, client_id, mutation_id)
        SELECT (r.j ->> $3)::uuid, $4, (r.j ->> 'id')::uuid, r.op, r.v, r.changed,
               sync_row_json(r.j, $5, $6), $7, $8
        FROM (SELECT COALESCE(c.n, c.o) AS j,
                     CASE WHEN c.n IS NULL THEN 'delete'
                          WHEN c.o IS NULL THEN 'insert'
                          WHEN c.o ->> 'deleted_at' IS NULL AND c.n ->> 'deleted_at' IS NOT NULL THEN 'delete'
                          ELSE 'update' END AS op,
                     CASE WHEN c.n IS NULL THEN (c.o ->> 'row_version')::bigint + 1
                          ELSE (c.n ->> 'row_version')::bigint END AS v,
                     CASE WHEN c.n IS NOT NULL AND c.o IS NOT NULL
                          THEN row_changed_columns(c.o, c.n, $9) END AS changed
              FROM (%s) c
              -- An update that changed nothing a client mirrors kept its row_version.
              WHERE c.n IS NULL OR c.o IS NULL OR c.n -> 'row_version' IS DISTINCT FROM c.o -> 'row_version') r
        WHERE r.j ->> $3 IS NOT NULL AND r.j ->> $3 IS DISTINCT FROM $10
        $sql$, trigger_rows_query(TG_OP, TG_LEVEL, trigger_arg_list(TG_ARGV[5])))
    USING CASE WHEN TG_LEVEL = 'ROW' AND TG_OP <> 'DELETE' THEN to_jsonb(NEW) END,
          CASE WHEN TG_LEVEL = 'ROW' AND TG_OP <> 'INSERT' THEN to_jsonb(OLD) END,
          TG_ARGV[1], TG_ARGV[0], trigger_arg_list(TG_ARGV[2]), trigger_arg_list(TG_ARGV[4]),
          NULLIF(current_setting('app.client_id', true), '')::uuid,
          NULLIF(current_setting('app.mutation_id', true), '')::bigint,
          ARRAY ['updated_at', 'row_version'] || trigger_arg_list(TG_ARGV[2]) || trigger_arg_list(TG_ARGV[3]),
          NULLIF(current_setting('llamadesk.erasing_user', true), '');
    RETURN NULL;
END;
$$;

-- AFTER INSERT, UPDATE, DELETE on audited tables (statement-level like record_sync_change).
-- Fixed from the design: the user setting may be unset ('' or missing) without failing the
-- write; NEW is not used on DELETE; secret columns are never copied into the log (their
-- change is listed by name); quiet-only updates are not logged; an actor id that is not a
-- user (yet, or any more) is kept in metadata instead of breaking the foreign key.
-- SECURITY DEFINER: the application role cannot write audit_logs directly.
CREATE FUNCTION audit_trigger() RETURNS TRIGGER
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp
AS $$
DECLARE
    actor UUID := app_current_user_id();
BEGIN
    EXECUTE format($sql$
        INSERT INTO audit_logs (user_id, action, resource_type, resource_id, changes, metadata, status,
                                timestamp)
        SELECT (SELECT u.id FROM users u WHERE u.id = $3), r.action, $4, (r.j ->> 'id')::uuid,
               jsonb_build_object('old', r.o - $5, 'new', r.n - $5, 'changed', r.changed),
               jsonb_strip_nulls(jsonb_build_object(
                   'owner_id', r.j ->> $6,
                   'actor_id', $3,
                   'client_id', $7,
                   'db_user', session_user,
                   'txid', pg_current_xact_id()::text)),
               'success', NOW()
        FROM (SELECT c.n, c.o, COALESCE(c.n, c.o) AS j, x.changed,
                     CASE WHEN c.o IS NULL THEN 'INSERT'
                          WHEN c.n IS NULL THEN 'DELETE'
                          WHEN c.o ->> 'deleted_at' IS NULL AND c.n ->> 'deleted_at' IS NOT NULL THEN 'SOFT_DELETE'
                          ELSE 'UPDATE' END AS action
              FROM (%s) c
                   CROSS JOIN LATERAL (SELECT CASE WHEN c.n IS NOT NULL AND c.o IS NOT NULL
                                                   THEN row_changed_columns(c.o, c.n, $8) END AS changed) x
              WHERE x.changed IS NULL OR x.changed <> '{}') r
        WHERE r.j ->> $6 IS DISTINCT FROM $9
        $sql$, trigger_rows_query(TG_OP, TG_LEVEL, trigger_arg_list(TG_ARGV[5])))
    USING CASE WHEN TG_LEVEL = 'ROW' AND TG_OP <> 'DELETE' THEN to_jsonb(NEW) END,
          CASE WHEN TG_LEVEL = 'ROW' AND TG_OP <> 'INSERT' THEN to_jsonb(OLD) END,
          actor, TG_ARGV[0], trigger_arg_list(TG_ARGV[2]), TG_ARGV[1],
          NULLIF(current_setting('app.client_id', true), ''),
          ARRAY ['updated_at', 'row_version'] || trigger_arg_list(TG_ARGV[3]),
          NULLIF(current_setting('llamadesk.erasing_user', true), '');
    RETURN NULL;
END;
$$;

-- BEFORE DELETE on synced tables: a DELETE becomes a soft delete (deleted_at, and is_active
-- where the table has it), so the change reaches every device through the feed. Only an
-- erasure or retention job (llamadesk.hard_delete = on, set by gdpr_delete_user) really
-- deletes. Rewritten from the design, whose version set deleted_at on every UPDATE it was
-- attached to and failed on tables without is_active. The update goes to the logical
-- table (never a partition), so its statement-level feed and audit triggers see it.
CREATE FUNCTION soft_delete() RETURNS TRIGGER
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp
AS $$
DECLARE
    old_row JSONB := to_jsonb(OLD);
BEGIN
    IF current_setting('llamadesk.hard_delete', true) = 'on' THEN
        RETURN OLD;
    END IF;
    IF old_row ->> 'deleted_at' IS NULL THEN
        EXECUTE format('UPDATE %I SET deleted_at = NOW()%s WHERE %s', TG_ARGV[0],
                       CASE WHEN old_row ? 'is_active' THEN ', is_active = false' ELSE '' END,
                       (SELECT string_agg(format('%I = %L', k, old_row ->> k), ' AND ')
                        FROM unnest(trigger_arg_list(TG_ARGV[5])) AS k));
    END IF;
    RETURN NULL;
END;
$$;

-- ---------------------------------------------------------------------------------------------
-- Table setup helpers (run by the owner inside migrations; re-runnable)
-- ---------------------------------------------------------------------------------------------

-- Gives a user-owned table its policies (the design's user_isolation_policy for
-- authenticated_users and admin_access_policy for admin_role), FORCE RLS, grants and triggers.
-- Re-run it after adding a timestamptz column to a synced table (the feed formats those).
CREATE FUNCTION setup_user_table(
    p_table REGCLASS,
    p_owner_column TEXT DEFAULT 'user_id',
    p_user_access TEXT DEFAULT 'read_write',
    p_synced BOOLEAN DEFAULT true,
    p_audited BOOLEAN DEFAULT true,
    p_secret_columns TEXT[] DEFAULT '{}',
    p_quiet_columns TEXT[] DEFAULT '{}',
    p_on_erase TEXT DEFAULT 'delete',
    p_exported BOOLEAN DEFAULT true)
    RETURNS void
    LANGUAGE plpgsql
    SET client_min_messages = warning -- "does not exist, skipping" is expected on first run
AS $$
DECLARE
    t TEXT := (SELECT relname FROM pg_class WHERE oid = p_table);
    owner_check TEXT := format('%I = app_current_user_id()', p_owner_column);
    args TEXT;
    has_updated_at BOOLEAN;
    hypertable BOOLEAN := EXISTS (SELECT FROM time_series_tables s
                                  WHERE s.table_name = t AND s.method = 'timescaledb');
    ts_columns TEXT[];
    key_columns TEXT[];
    col TEXT;
BEGIN
    FOREACH col IN ARRAY ARRAY [p_owner_column] || p_secret_columns || p_quiet_columns LOOP
        IF NOT EXISTS (SELECT FROM pg_attribute
                       WHERE attrelid = p_table AND attname = col AND NOT attisdropped) THEN
            RAISE EXCEPTION 'setup_user_table(%): no column %', t, col;
        END IF;
    END LOOP;
    IF p_synced AND (SELECT count(*) FROM pg_attribute
                     WHERE attrelid = p_table AND NOT attisdropped
                       AND attname IN ('id', 'row_version', 'deleted_at', 'updated_at')) <> 4 THEN
        RAISE EXCEPTION 'setup_user_table(%): a synced table needs id, row_version, deleted_at, updated_at', t;
    END IF;

    INSERT INTO user_data_tables (table_name, owner_column, user_access, synced, audited,
                                  secret_columns, quiet_columns, on_erase, exported)
    VALUES (t, p_owner_column, p_user_access, p_synced, p_audited, p_secret_columns,
            p_quiet_columns, p_on_erase, p_exported)
    ON CONFLICT (table_name) DO UPDATE
        SET owner_column = EXCLUDED.owner_column, user_access = EXCLUDED.user_access,
            synced = EXCLUDED.synced, audited = EXCLUDED.audited,
            secret_columns = EXCLUDED.secret_columns, quiet_columns = EXCLUDED.quiet_columns,
            on_erase = EXCLUDED.on_erase, exported = EXCLUDED.exported;

    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', p_table);
    -- FORCE: the owner (and SECURITY DEFINER functions) go through policies too.
    EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', p_table);
    EXECUTE format('DROP POLICY IF EXISTS user_isolation_policy ON %s', p_table);
    EXECUTE format('DROP POLICY IF EXISTS admin_access_policy ON %s', p_table);
    IF p_user_access IN ('read_write', 'append_only') THEN
        EXECUTE format('CREATE POLICY user_isolation_policy ON %s FOR ALL TO authenticated_users '
                       'USING (%s) WITH CHECK (%s)', p_table, owner_check, owner_check);
    ELSE
        EXECUTE format('CREATE POLICY user_isolation_policy ON %s FOR SELECT TO authenticated_users '
                       'USING (%s)', p_table, owner_check);
    END IF;
    EXECUTE format('CREATE POLICY admin_access_policy ON %s FOR ALL TO admin_role '
                   'USING (true) WITH CHECK (true)', p_table);

    EXECUTE format('REVOKE ALL ON %s FROM PUBLIC, authenticated_users, admin_role', p_table);
    EXECUTE format('GRANT %s ON %s TO authenticated_users',
                   CASE p_user_access WHEN 'read_write' THEN 'SELECT, INSERT, UPDATE, DELETE'
                                      WHEN 'append_only' THEN 'SELECT, INSERT'
                                      ELSE 'SELECT' END, p_table);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO admin_role', p_table);

    SELECT coalesce(array_agg(attname::text ORDER BY attnum), '{}')
    INTO ts_columns
    FROM pg_attribute
    WHERE attrelid = p_table AND attnum > 0 AND NOT attisdropped
      AND atttypid = 'timestamptz'::regtype;
    SELECT coalesce(array_agg(a.attname::text ORDER BY k.ord), '{}')
    INTO key_columns
    FROM pg_constraint c
             CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
    WHERE c.conrelid = p_table AND c.contype = 'p';
    has_updated_at := 'updated_at' = ANY (ts_columns);
    args := format('%L, %L, %L, %L, %L, %L', t, p_owner_column, array_to_string(p_secret_columns, ','),
                   array_to_string(p_quiet_columns, ','), array_to_string(ts_columns, ','),
                   array_to_string(key_columns, ','));

    FOREACH col IN ARRAY ARRAY ['update_' || t || '_updated_at', 'version_' || t, 'soft_delete_' || t,
                                 'sync_feed_' || t, 'sync_feed_' || t || '_insert', 'sync_feed_' || t || '_update',
                                 'sync_feed_' || t || '_delete', 'audit_' || t, 'audit_' || t || '_insert',
                                 'audit_' || t || '_update', 'audit_' || t || '_delete'] LOOP
        EXECUTE format('DROP TRIGGER IF EXISTS %I ON %s', col, p_table);
    END LOOP;
    IF has_updated_at THEN
        EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE ON %s FOR EACH ROW '
                       'EXECUTE FUNCTION update_updated_at_column()', 'update_' || t || '_updated_at', p_table);
    END IF;
    IF p_synced THEN
        EXECUTE format('CREATE TRIGGER %I BEFORE INSERT OR UPDATE ON %s FOR EACH ROW '
                       'EXECUTE FUNCTION stamp_row_version(%s)', 'version_' || t, p_table, args);
        EXECUTE format('CREATE TRIGGER %I BEFORE DELETE ON %s FOR EACH ROW '
                       'EXECUTE FUNCTION soft_delete(%s)', 'soft_delete_' || t, p_table, args);
    END IF;
    FOREACH col IN ARRAY ARRAY ['sync_feed', 'audit'] LOOP
        CONTINUE WHEN (col = 'sync_feed' AND NOT p_synced) OR (col = 'audit' AND NOT p_audited);
        IF hypertable THEN
            -- TimescaleDB does not support transition tables on hypertables.
            EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW '
                           'EXECUTE FUNCTION %s(%s)', col || '_' || t, p_table,
                           CASE col WHEN 'audit' THEN 'audit_trigger' ELSE 'record_sync_change' END, args);
        ELSE
            EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %s REFERENCING NEW TABLE AS new_rows '
                           'FOR EACH STATEMENT EXECUTE FUNCTION %s(%s)', col || '_' || t || '_insert', p_table,
                           CASE col WHEN 'audit' THEN 'audit_trigger' ELSE 'record_sync_change' END, args);
            EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %s REFERENCING OLD TABLE AS old_rows '
                           'NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION %s(%s)',
                           col || '_' || t || '_update', p_table,
                           CASE col WHEN 'audit' THEN 'audit_trigger' ELSE 'record_sync_change' END, args);
            EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %s REFERENCING OLD TABLE AS old_rows '
                           'FOR EACH STATEMENT EXECUTE FUNCTION %s(%s)', col || '_' || t || '_delete', p_table,
                           CASE col WHEN 'audit' THEN 'audit_trigger' ELSE 'record_sync_change' END, args);
        END IF;
    END LOOP;
END;
$$;

-- Reference data (prices, gas predictions, protocol health...): everyone signed in reads it,
-- only llamadesk_ingest writes it. Not user-owned, so no RLS.
CREATE FUNCTION setup_reference_table(p_table REGCLASS) RETURNS void
    LANGUAGE plpgsql
    SET client_min_messages = warning
AS $$
DECLARE
    t TEXT := (SELECT relname FROM pg_class WHERE oid = p_table);
BEGIN
    EXECUTE format('REVOKE ALL ON %s FROM PUBLIC', p_table);
    EXECUTE format('GRANT SELECT ON %s TO authenticated_users, llamadesk_jobs', p_table);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO llamadesk_ingest, admin_role', p_table);
    IF EXISTS (SELECT FROM pg_attribute WHERE attrelid = p_table AND attname = 'updated_at'
                                          AND NOT attisdropped) THEN
        EXECUTE format('DROP TRIGGER IF EXISTS %I ON %s', 'update_' || t || '_updated_at', p_table);
        EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE ON %s FOR EACH ROW '
                       'EXECUTE FUNCTION update_updated_at_column()', 'update_' || t || '_updated_at', p_table);
    END IF;
END;
$$;

-- ---------------------------------------------------------------------------------------------
-- Time-series tables
-- ---------------------------------------------------------------------------------------------

-- Native fallback without pg_partman: monthly partitions from p_months_back before the
-- current month to p_months_ahead after it, plus a default partition for anything outside.
CREATE FUNCTION ensure_time_partitions(p_table TEXT, p_months_back INTEGER DEFAULT 4,
                                       p_months_ahead INTEGER DEFAULT 4)
    RETURNS INTEGER
    LANGUAGE plpgsql
AS $$
DECLARE
    month_start TIMESTAMP;
    partition_name TEXT;
    created INTEGER := 0;
    i INTEGER;
BEGIN
    FOR i IN -p_months_back .. p_months_ahead LOOP
        month_start := date_trunc('month', NOW() AT TIME ZONE 'UTC') + make_interval(months => i);
        partition_name := p_table || '_p' || to_char(month_start, 'YYYY_MM');
        IF to_regclass(quote_ident(partition_name)) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                           partition_name, p_table,
                           to_char(month_start, 'YYYY-MM-DD') || ' 00:00:00+00',
                           to_char(month_start + INTERVAL '1 month', 'YYYY-MM-DD') || ' 00:00:00+00');
            created := created + 1;
        END IF;
    END LOOP;
    IF to_regclass(quote_ident(p_table || '_default')) IS NULL THEN
        EXECUTE format('CREATE TABLE %I PARTITION OF %I DEFAULT', p_table || '_default', p_table);
        created := created + 1;
    END IF;
    RETURN created;
END;
$$;

-- Creates a time-series table from its column list: a hypertable with the design's chunk
-- interval under TimescaleDB, otherwise partitioned by month on p_time_column. Indexes,
-- policies and triggers are added to the parent afterwards and reach every partition.
CREATE FUNCTION create_time_series_table(p_table TEXT, p_definition TEXT, p_time_column TEXT,
                                         p_chunk_interval INTERVAL)
    RETURNS TEXT
    LANGUAGE plpgsql
AS $$
DECLARE
    method TEXT;
    partman_schema TEXT;
    partman_major INTEGER;
BEGIN
    IF extension_installed('timescaledb') THEN
        EXECUTE format('CREATE TABLE %I (%s)', p_table, p_definition);
        EXECUTE format('SELECT create_hypertable(%L, %L, chunk_time_interval => %L::interval)',
                       p_table, p_time_column, p_chunk_interval);
        method := 'timescaledb';
    ELSE
        EXECUTE format('CREATE TABLE %I (%s) PARTITION BY RANGE (%I)', p_table, p_definition,
                       p_time_column);
        IF extension_installed('pg_partman') THEN
            SELECT n.nspname, split_part(e.extversion, '.', 1)::int
            INTO partman_schema, partman_major
            FROM pg_extension e
                     JOIN pg_namespace n ON n.oid = e.extnamespace
            WHERE e.extname = 'pg_partman';
            IF partman_major >= 5 THEN
                EXECUTE format('SELECT %I.create_parent(p_parent_table => %L, p_control => %L, '
                               'p_interval => %L, p_type => %L, p_premake => 4)',
                               partman_schema, current_schema() || '.' || p_table, p_time_column,
                               '1 month', 'range');
            ELSE
                EXECUTE format('SELECT %I.create_parent(p_parent_table => %L, p_control => %L, '
                               'p_type => %L, p_interval => %L, p_premake => 4)',
                               partman_schema, current_schema() || '.' || p_table, p_time_column,
                               'native', 'monthly');
            END IF;
            -- Premake even while a table is empty (pg_partman's default waits for data).
            EXECUTE format('UPDATE %I.part_config SET infinite_time_partitions = true '
                           'WHERE parent_table = %L', partman_schema, current_schema() || '.' || p_table);
            method := 'pg_partman';
        ELSE
            PERFORM ensure_time_partitions(p_table);
            method := 'native';
        END IF;
    END IF;
    INSERT INTO time_series_tables (table_name, time_column, method, chunk_interval,
                                    partition_interval)
    VALUES (p_table, p_time_column, method, p_chunk_interval,
            CASE WHEN method = 'timescaledb' THEN NULL ELSE INTERVAL '1 month' END);
    RETURN method;
END;
$$;

-- Keeps native partitions (made without pg_partman) ahead of time.
CREATE FUNCTION maintain_native_partitions() RETURNS INTEGER
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp
AS $$
DECLARE
    t RECORD;
    created INTEGER := 0;
BEGIN
    FOR t IN SELECT table_name FROM time_series_tables WHERE method = 'native' ORDER BY table_name LOOP
        created := created + ensure_time_partitions(t.table_name);
    END LOOP;
    RETURN created;
END;
$$;

-- Keeps partitions ahead of time. Scheduled hourly when pg_cron is installed; otherwise the
-- server (or an operator's cron) calls it daily. TimescaleDB makes its chunks itself.
-- No SET search_path clause on purpose: pg_partman's run_maintenance restores the search_path
-- it found with a session-level set_config, which would leak such a clause's value to the
-- caller. Every name here is schema-qualified instead.
CREATE FUNCTION maintain_time_partitions() RETURNS INTEGER
    LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
    partman_schema TEXT;
BEGIN
    SELECT n.nspname INTO partman_schema
    FROM pg_catalog.pg_extension e
             JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
    WHERE e.extname = 'pg_partman';
    IF partman_schema IS NOT NULL
       AND EXISTS (SELECT FROM public.time_series_tables WHERE method = 'pg_partman') THEN
        EXECUTE pg_catalog.format('SELECT %I.run_maintenance(p_analyze => false)', partman_schema);
    END IF;
    RETURN public.maintain_native_partitions();
END;
$$;

GRANT EXECUTE ON FUNCTION maintain_time_partitions() TO llamadesk_jobs, admin_role;

SELECT setup_user_table('sync_changes', p_user_access => 'read_only', p_synced => false,
                        p_audited => false, p_exported => false);
SELECT setup_user_table('sync_feed_horizons', p_user_access => 'read_only', p_synced => false,
                        p_audited => false, p_on_erase => 'keep', p_exported => false);
