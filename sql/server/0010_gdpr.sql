-- 0010_gdpr: the design's GDPR functions, over every user-owned table (user_data_tables).
-- gdpr_export_user_data returns all of a user's rows except secrets; gdpr_delete_user erases
-- the user's data and anonymizes the account. Both may be called for the signed-in user
-- (app.current_user_id) or by an admin, and are SECURITY DEFINER so they reach tables the
-- application role may only read.
-- Fixed from the design:
--   * the anonymized email was 'deleted_<id>@deleted.com', a real, registrable domain that
--     would receive any mail still sent to it; it is now 'deleted_<id>@deleted.invalid'
--     (.invalid is reserved by RFC 2606) and still satisfies users_email_check;
--   * anonymizing in one UPDATE (the design used two), with the audit trigger silenced for
--     the erased user, so the old email is not copied into audit_logs by the erasure itself;
--     earlier audit entries of the user keep their action but lose changes, IP, user agent;
--   * the user's content (alerts, portfolios, transactions...) is deleted, not kept behind a
--     soft delete: erasure means erasure; subscriptions (billing records) are kept;
--   * every table is exported, not four, with secrets removed, and [] instead of null for a
--     table without rows.

CREATE FUNCTION gdpr_authorize(p_function TEXT, p_user UUID) RETURNS void
    LANGUAGE plpgsql STABLE
AS $$
BEGIN
    IF p_user IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'null_value_not_allowed',
            MESSAGE = format('%s: no user given', p_function);
    END IF;
    IF p_user IS DISTINCT FROM app_current_user_id() AND NOT caller_is_admin() THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
            MESSAGE = format('%s: only the signed-in user or an admin may do this', p_function);
    END IF;
END;
$$;

-- ---------------------------------------------------------------------------------------------
-- Right to deletion
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION gdpr_delete_user(user_uuid UUID)
RETURNS void AS $$
DECLARE
    old_email TEXT;
    t RECORD;
BEGIN
    PERFORM gdpr_authorize('gdpr_delete_user', user_uuid);
    SELECT email INTO old_email FROM users WHERE id = user_uuid FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'no_data_found',
            MESSAGE = format('gdpr_delete_user: no user %s', user_uuid);
    END IF;

    -- Silence the feed and audit triggers for this user's rows, and let DELETE really delete.
    PERFORM set_config('llamadesk.erasing_user', user_uuid::text, true);
    PERFORM set_config('llamadesk.hard_delete', 'on', true);

    FOR t IN SELECT table_name, owner_column FROM user_data_tables
             WHERE on_erase = 'delete' ORDER BY table_name LOOP
        EXECUTE format('DELETE FROM %I WHERE %I = $1', t.table_name, t.owner_column) USING user_uuid;
    END LOOP;
    DELETE FROM login_attempts WHERE email = lower(old_email);

    -- Soft delete user and anonymize personal data, in one statement
    UPDATE users SET
        email = 'deleted_' || id || '@deleted.invalid',
        username = NULL,
        first_name = 'Deleted',
        last_name = 'User',
        password_hash = NULL,
        two_factor_enabled = false,
        two_factor_secret = NULL,
        banned_reason = NULL,
        is_active = false,
        deleted_at = NOW()
    WHERE id = user_uuid;

    UPDATE audit_logs SET changes = NULL, ip_address = NULL, user_agent = NULL
    WHERE user_id = user_uuid
       OR (resource_type = 'users' AND resource_id = user_uuid);

    -- Every device of the user must start over (its pulls now raise "resync required").
    INSERT INTO sync_feed_horizons (user_id, pruned_txid, pruned_seq, pruned_at)
    VALUES (user_uuid, pg_current_xact_id(), 9223372036854775807, NOW())
    ON CONFLICT (user_id) DO UPDATE
        SET pruned_txid = EXCLUDED.pruned_txid, pruned_seq = EXCLUDED.pruned_seq,
            pruned_at = EXCLUDED.pruned_at;

    PERFORM set_config('llamadesk.erasing_user', '', true);
    PERFORM set_config('llamadesk.hard_delete', '', true);

    -- Log deletion
    INSERT INTO audit_logs (user_id, action, resource_type, resource_id, metadata, status, timestamp)
    VALUES (user_uuid, 'GDPR_DELETE', 'users', user_uuid,
            jsonb_strip_nulls(jsonb_build_object('actor_id', app_current_user_id(),
                                                 'db_user', session_user)),
            'success', NOW());
END;
$$ LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp;

-- ---------------------------------------------------------------------------------------------
-- Data export
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION gdpr_export_user_data(user_uuid UUID)
RETURNS JSONB AS $$
DECLARE
    user_data JSONB;
    t RECORD;
    table_rows JSONB;
BEGIN
    PERFORM gdpr_authorize('gdpr_export_user_data', user_uuid);

    SELECT jsonb_build_object(
        'format_version', 1,
        'exported_at', NOW(),
        'user', (SELECT to_jsonb(u) - ARRAY ['password_hash', 'two_factor_secret']
                 FROM users u WHERE id = user_uuid)
    ) INTO user_data;

    -- The design's keys for its four tables ('alerts', 'portfolios', 'tax_reports'), every
    -- other table under its own name.
    FOR t IN SELECT * FROM user_data_tables
             WHERE exported AND table_name <> 'users' ORDER BY table_name LOOP
        EXECUTE format('SELECT COALESCE(jsonb_agg(to_jsonb(x) - $2), ''[]'') FROM %I x WHERE %I = $1',
                       t.table_name, t.owner_column)
            INTO table_rows USING user_uuid, t.secret_columns;
        user_data := user_data || jsonb_build_object(
            CASE t.table_name
                WHEN 'alert_rules' THEN 'alerts'
                WHEN 'portfolio_assets' THEN 'portfolios'
                ELSE t.table_name
            END, table_rows);
    END LOOP;

    RETURN user_data;
END;
$$ LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp;

GRANT EXECUTE ON FUNCTION gdpr_delete_user(UUID), gdpr_export_user_data(UUID)
    TO authenticated_users, admin_role;
