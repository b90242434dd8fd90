-- 0009_sync_protocol: what the sync endpoints need besides the change feed of 0001.
--   sync_clients    one row per device: its last accepted mutation id and pull position
--   sync_mutations  the result of every pushed mutation, so a retried push gets the same
--                   answer (idempotent); mutation ids must increase per client
--   sync_conflicts  conflicts the server detected; a synced table, so they reach every device
--   sync_pull()              changes after a position, never past a still-running writer
--   sync_snapshot_position() the position matching a full (re)download
--   sync_mutation_result()   the stored answer for a retried mutation
--   sync_prune()             drops old changes and remembers how far, for the resync rule
-- See docs/server-schema.md for how the server uses them.

-- ---------------------------------------------------------------------------------------------
-- sync_clients
-- ---------------------------------------------------------------------------------------------
CREATE TABLE sync_clients (
    client_id UUID PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    device_name VARCHAR(255),
    platform VARCHAR(50),
    app_version VARCHAR(50),

    last_mutation_id BIGINT NOT NULL DEFAULT 0 CHECK (last_mutation_id >= 0),
    last_pull_txid BIGINT,
    last_pull_seq BIGINT,
    last_pull_at TIMESTAMP WITH TIME ZONE,
    last_push_at TIMESTAMP WITH TIME ZONE,
    revoked_at TIMESTAMP WITH TIME ZONE, -- signed out remotely: refuse its pushes and pulls

    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),

    CONSTRAINT sync_clients_user_id_client_id_key UNIQUE (user_id, client_id),
    CONSTRAINT sync_clients_pull_position_check CHECK ((last_pull_txid IS NULL) = (last_pull_seq IS NULL))
);

CREATE INDEX idx_sync_clients_user ON sync_clients (user_id, last_pull_at DESC);

SELECT setup_user_table('sync_clients', p_synced => false,
                        p_quiet_columns => ARRAY ['last_mutation_id', 'last_pull_txid', 'last_pull_seq',
                                                  'last_pull_at', 'last_push_at']);

-- ---------------------------------------------------------------------------------------------
-- sync_mutations
-- ---------------------------------------------------------------------------------------------
CREATE TABLE sync_mutations (
    client_id UUID NOT NULL,
    mutation_id BIGINT NOT NULL CHECK (mutation_id > 0),
    user_id UUID NOT NULL,

    -- What was asked
    table_name VARCHAR(63) NOT NULL,
    row_id UUID NOT NULL,
    operation VARCHAR(10) NOT NULL CHECK (operation IN ('insert', 'update', 'delete')),
    base_row_version BIGINT CHECK (base_row_version >= 0),

    -- What the server answered
    result VARCHAR(20) NOT NULL CHECK (result IN ('applied', 'conflict', 'rejected')),
    reason TEXT,
    result_row_version BIGINT,
    received_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),

    PRIMARY KEY (client_id, mutation_id),
    FOREIGN KEY (user_id, client_id) REFERENCES sync_clients (user_id, client_id) ON DELETE CASCADE,
    CONSTRAINT sync_mutations_reason_check CHECK (result = 'applied' OR reason IS NOT NULL)
);

CREATE INDEX idx_sync_mutations_user ON sync_mutations (user_id, received_at DESC);
CREATE INDEX idx_sync_mutations_received ON sync_mutations (received_at);

-- Answers are facts: the application records them and reads them back, never edits them.
SELECT setup_user_table('sync_mutations', p_user_access => 'append_only', p_synced => false,
                        p_audited => false);

-- Mutation ids only move forward per client; recording one advances the client's
-- last_mutation_id in the same transaction. A lower or equal id is a retry: the server must
-- answer it from sync_mutation_result() instead of applying it again.
CREATE FUNCTION sync_mutation_advance() RETURNS TRIGGER
    LANGUAGE plpgsql
AS $$
BEGIN
    UPDATE sync_clients
    SET last_mutation_id = NEW.mutation_id, last_push_at = NOW()
    WHERE client_id = NEW.client_id AND user_id = NEW.user_id
      AND last_mutation_id < NEW.mutation_id AND revoked_at IS NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation',
            MESSAGE = format('sync_mutations: mutation %s of client %s is not newer than the last one '
                             'recorded, or the client is unknown or revoked', NEW.mutation_id, NEW.client_id);
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER sync_mutations_advance BEFORE INSERT ON sync_mutations
FOR EACH ROW EXECUTE FUNCTION sync_mutation_advance();

-- ---------------------------------------------------------------------------------------------
-- sync_conflicts (synced: every device of the user sees and can resolve them)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE sync_conflicts (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,

    -- Where
    table_name VARCHAR(63) NOT NULL,
    row_id UUID NOT NULL,
    column_name VARCHAR(63) NOT NULL,

    -- The three values (text, as the feed carries them)
    local_value TEXT, -- what the pushing device wanted
    server_value TEXT, -- what the server had
    base_value TEXT, -- what both started from, when known

    -- Who made the server's value, and when: a client id, or 'server' (as the desktop mirror)
    changed_by VARCHAR(64),
    changed_at TIMESTAMP WITH TIME ZONE,

    -- The losing mutation
    client_id UUID,
    mutation_id BIGINT,

    detected_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
    resolved_at TIMESTAMP WITH TIME ZONE,
    -- The desktop mirror's vocabulary, from the resolving device's point of view.
    resolution VARCHAR(20) CHECK (resolution IN ('kept_local', 'took_server', 'merged')),

    -- Timestamps
    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    deleted_at TIMESTAMP WITH TIME ZONE,
    row_version BIGINT NOT NULL DEFAULT 1,

    CONSTRAINT sync_conflicts_resolved_check CHECK ((resolved_at IS NULL) = (resolution IS NULL))
);

CREATE INDEX idx_sync_conflicts_open ON sync_conflicts (user_id, detected_at DESC) WHERE resolved_at IS NULL AND deleted_at IS NULL;
CREATE INDEX idx_sync_conflicts_row ON sync_conflicts (user_id, table_name, row_id);

SELECT setup_user_table('sync_conflicts', p_audited => false);

-- ---------------------------------------------------------------------------------------------
-- Pull
-- ---------------------------------------------------------------------------------------------

-- The next changes of a user after position (p_after_txid, p_after_seq), oldest first.
-- Only changes of transactions below the snapshot's xmin are returned: every such
-- transaction has finished, so no change can later appear before a position already handed
-- out (a sequence or a timestamp alone would let a slow writer commit "in the past").
-- The position of the last row returned is the next p_after_*; fewer than p_limit rows means
-- the client is up to date for now. Raises SQLSTATE LD001 ("resync required") when changes
-- after the position have been pruned. Runs with the caller's rights: row-level security
-- limits it to the signed-in user.
CREATE FUNCTION sync_pull(p_user_id UUID, p_after_txid BIGINT, p_after_seq BIGINT,
                          p_limit INTEGER DEFAULT 500)
    RETURNS TABLE (txid BIGINT, seq BIGINT, table_name TEXT, row_id UUID, operation TEXT,
                   row_version BIGINT, changed_columns TEXT[], row_data JSONB, client_id UUID,
                   mutation_id BIGINT, changed_at TIMESTAMPTZ)
    LANGUAGE plpgsql
AS $$
#variable_conflict use_column
DECLARE
    watermark XID8 := pg_snapshot_xmin(pg_current_snapshot());
    after_txid XID8;
    horizon RECORD;
BEGIN
    IF p_limit IS NULL OR p_limit < 1 OR p_limit > 10000 THEN
        RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
            MESSAGE = format('sync_pull: limit %s is outside 1..10000', p_limit);
    END IF;
    IF p_after_txid IS NULL OR p_after_seq IS NULL OR p_after_txid < 0 OR p_after_seq < 0 THEN
        RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
            MESSAGE = 'sync_pull: the position must be two non-negative numbers';
    END IF;
    after_txid := p_after_txid::text::xid8;

    SELECT h.pruned_txid, h.pruned_seq INTO horizon
    FROM sync_feed_horizons h WHERE h.user_id = p_user_id;
    IF FOUND AND (after_txid, p_after_seq) < (horizon.pruned_txid, horizon.pruned_seq) THEN
        RAISE EXCEPTION USING ERRCODE = 'LD001',
            MESSAGE = 'sync_pull: resync required',
            DETAIL = format('changes up to position %s.%s were pruned', horizon.pruned_txid, horizon.pruned_seq),
            HINT = 'push unsent changes, then download a snapshot from sync_snapshot_position()';
    END IF;

    RETURN QUERY
        SELECT c.txid::text::bigint, c.seq, c.table_name::text, c.row_id, c.operation::text,
               c.row_version, c.changed_columns, c.row_data, c.client_id, c.mutation_id,
               c.changed_at
        FROM sync_changes c
        WHERE c.user_id = p_user_id
          AND (c.txid, c.seq) > (after_txid, p_after_seq)
          AND c.txid < watermark
        ORDER BY c.txid, c.seq
        LIMIT p_limit;
END;
$$;

-- The position a full download corresponds to. Call it in the REPEATABLE READ transaction
-- that reads the user's rows: every change below it is in that snapshot, and changes from
-- it on are pulled afterwards (applying one already in the snapshot is harmless because the
-- client keeps the higher row_version).
CREATE FUNCTION sync_snapshot_position(OUT txid BIGINT, OUT seq BIGINT)
    LANGUAGE sql STABLE
AS $$ SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint, 0::bigint $$;

-- The stored answer to a mutation already received (a retry), or no row if it is new.
-- result 'expired' means the id is not newer than the client's last one but its answer has
-- been pruned: the client must re-read that row.
CREATE FUNCTION sync_mutation_result(p_client_id UUID, p_mutation_id BIGINT)
    RETURNS TABLE (result TEXT, reason TEXT, result_row_version BIGINT)
    LANGUAGE sql STABLE
AS $$
    SELECT m.result::text, m.reason, m.result_row_version
    FROM sync_mutations m
    WHERE m.client_id = p_client_id AND m.mutation_id = p_mutation_id
    UNION ALL
    SELECT 'expired', 'the result of this mutation is no longer kept', NULL::bigint
    FROM sync_clients c
    WHERE c.client_id = p_client_id AND c.last_mutation_id >= p_mutation_id
      AND NOT EXISTS (SELECT FROM sync_mutations m
                      WHERE m.client_id = p_client_id AND m.mutation_id = p_mutation_id)
$$;

-- Deletes changes and mutation results older than p_retention and records, per user, the
-- newest position deleted: pulls from an older position then raise "resync required".
-- Never deletes past the watermark, so it cannot remove a change nobody could pull yet.
CREATE FUNCTION sync_prune(p_retention INTERVAL DEFAULT INTERVAL '30 days')
    RETURNS BIGINT
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp
AS $$
DECLARE
    deleted BIGINT;
BEGIN
    IF p_retention < INTERVAL '1 hour' THEN
        RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
            MESSAGE = format('sync_prune: retention %s is shorter than an hour', p_retention);
    END IF;
    WITH doomed AS (
        DELETE FROM sync_changes c
        WHERE c.changed_at < NOW() - p_retention
          AND c.txid < pg_snapshot_xmin(pg_current_snapshot())
        RETURNING c.user_id, c.txid, c.seq
    ), newest AS (
        SELECT DISTINCT ON (user_id) user_id, txid, seq
        FROM doomed
        ORDER BY user_id, txid DESC, seq DESC
    ), horizons AS (
        INSERT INTO sync_feed_horizons AS h (user_id, pruned_txid, pruned_seq, pruned_at)
        SELECT user_id, txid, seq, NOW() FROM newest
        ON CONFLICT (user_id) DO UPDATE
            SET pruned_txid = EXCLUDED.pruned_txid, pruned_seq = EXCLUDED.pruned_seq,
                pruned_at = EXCLUDED.pruned_at
            WHERE (h.pruned_txid, h.pruned_seq) < (EXCLUDED.pruned_txid, EXCLUDED.pruned_seq)
        RETURNING 1
    )
    SELECT count(*) INTO deleted FROM doomed;

    DELETE FROM sync_mutations WHERE received_at < NOW() - p_retention;
    RETURN deleted;
END;
$$;

-- Sign-in bookkeeping does not need to live for ever either.
CREATE FUNCTION prune_auth_records(p_login_retention INTERVAL DEFAULT INTERVAL '90 days')
    RETURNS void
    LANGUAGE sql SECURITY DEFINER
    SET search_path = public, pg_temp
AS $$
    DELETE FROM login_attempts WHERE attempted_at < NOW() - p_login_retention;
    DELETE FROM api_key_rate_counters WHERE window_start < NOW() - INTERVAL '2 days';
$$;

GRANT EXECUTE ON FUNCTION sync_pull(UUID, BIGINT, BIGINT, INTEGER), sync_snapshot_position(),
    sync_mutation_result(UUID, BIGINT)
    TO authenticated_users, admin_role;
GRANT EXECUTE ON FUNCTION sync_prune(INTERVAL), prune_auth_records(INTERVAL)
    TO llamadesk_jobs, admin_role;
