-- The functions and views the schema provides, with their signatures, SECURITY DEFINER
-- flags and who may call them, and the privileges of the application's group role on every
-- table and view: the application role gets exactly what it needs, and only through
-- authenticated_users. The lists are the design written out.
BEGIN;
SET search_path = public, tap;

CREATE TEMP TABLE expected_functions (function_name text, arguments text, result text, security_definer boolean,
                                      language text, app_may_execute boolean, jobs_may_execute boolean);
INSERT INTO expected_functions (function_name, arguments, result, security_definer, language, app_may_execute, jobs_may_execute) VALUES
('api_key_authenticate', 'p_key_hash text, p_ip inet', 'TABLE(api_key_id uuid, user_id uuid, scopes text[], rate_limit_per_hour integer, rate_limit_per_day integer)', true, 'plpgsql', true, false),
('api_key_consume', 'p_api_key_id uuid', 'TABLE(allowed boolean, hour_count integer, day_count integer, hour_limit integer, day_limit integer)', true, 'plpgsql', true, false),
('app_current_user_id', '', 'uuid', false, 'sql', true, true),
('app_encryption_key', '', 'text', false, 'plpgsql', true, false),
('audit_trigger', '', 'trigger', true, 'plpgsql', false, false),
('auth_find_user', 'p_email text', 'TABLE(user_id uuid, password_hash character varying, two_factor_enabled boolean, two_factor_secret character varying, email_verified boolean, is_active boolean, is_banned boolean)', true, 'sql', true, false),
('caller_is_admin', '', 'boolean', false, 'sql', false, false),
('create_time_series_table', 'p_table text, p_definition text, p_time_column text, p_chunk_interval interval', 'text', false, 'plpgsql', false, false),
('dashboard_by_share_token', 'p_share_token text', 'TABLE(id uuid, name character varying, description text, layout jsonb, widgets jsonb, view_count integer, updated_at timestamp with time zone)', true, 'sql', true, false),
('decrypt_api_key', 'encrypted_key text', 'text', false, 'plpgsql', true, false),
('encrypt_api_key', 'api_key text', 'text', false, 'plpgsql', true, false),
('ensure_time_partitions', 'p_table text, p_months_back integer, p_months_ahead integer', 'integer', false, 'plpgsql', false, false),
('extension_installed', 'p_name text', 'boolean', false, 'sql', true, true),
('gdpr_authorize', 'p_function text, p_user uuid', 'void', false, 'plpgsql', false, false),
('gdpr_delete_user', 'user_uuid uuid', 'void', true, 'plpgsql', true, false),
('gdpr_export_user_data', 'user_uuid uuid', 'jsonb', true, 'plpgsql', true, false),
('log_audit_event', 'p_action text, p_resource_type text, p_resource_id uuid, p_status text, p_error_message text, p_metadata jsonb, p_ip inet, p_user_agent text, p_api_key_id uuid', 'void', true, 'sql', true, false),
('login_throttle_status', 'p_email text, p_ip inet, p_window interval', 'TABLE(email_failures integer, ip_failures integer, last_failure_at timestamp with time zone)', true, 'sql', true, false),
('maintain_native_partitions', '', 'integer', true, 'plpgsql', false, false),
('maintain_time_partitions', '', 'integer', true, 'plpgsql', false, true),
('prune_auth_records', 'p_login_retention interval', 'void', true, 'sql', false, true),
('record_login_attempt', 'p_email text, p_user_id uuid, p_ip inet, p_user_agent text, p_succeeded boolean, p_failure_reason text', 'void', true, 'plpgsql', true, false),
('record_sync_change', '', 'trigger', true, 'plpgsql', false, false),
('refresh_gas_price_hourly', '', 'void', true, 'plpgsql', false, true),
('refresh_top_traders_leaderboard', '', 'void', true, 'plpgsql', false, true),
('refresh_user_portfolio_summary', '', 'void', true, 'plpgsql', false, true),
('reset_daily_trigger_count', '', 'void', true, 'plpgsql', false, true),
('row_changed_columns', 'p_old jsonb, p_new jsonb, p_ignore text[]', 'text[]', false, 'plpgsql', true, true),
('setup_reference_table', 'p_table regclass', 'void', false, 'plpgsql', false, false),
('setup_user_table', 'p_table regclass, p_owner_column text, p_user_access text, p_synced boolean, p_audited boolean, p_secret_columns text[], p_quiet_columns text[], p_on_erase text, p_exported boolean', 'void', false, 'plpgsql', false, false),
('soft_delete', '', 'trigger', true, 'plpgsql', false, false),
('stamp_row_version', '', 'trigger', false, 'plpgsql', false, false),
('sync_mutation_result', 'p_client_id uuid, p_mutation_id bigint', 'TABLE(result text, reason text, result_row_version bigint)', false, 'sql', true, false),
('sync_mutations_advance_batch', '', 'trigger', false, 'plpgsql', false, false),
('sync_prune', 'p_retention interval', 'bigint', true, 'plpgsql', false, true),
('sync_pull', 'p_user_id uuid, p_after_txid bigint, p_after_seq bigint, p_limit integer', 'TABLE(txid bigint, seq bigint, table_name text, row_id uuid, operation text, row_version bigint, changed_columns text[], row_data jsonb, client_id uuid, mutation_id bigint, changed_at timestamp with time zone)', false, 'plpgsql', true, false),
('sync_row_json', 'p_row jsonb, p_secret_columns text[], p_timestamp_columns text[]', 'jsonb', false, 'plpgsql', true, true),
('sync_snapshot_position', 'OUT txid bigint, OUT seq bigint', 'record', false, 'sql', true, false),
('totp_claim_step', 'p_user_id uuid, p_step bigint', 'boolean', true, 'plpgsql', true, false),
('trigger_arg_list', 'p_arg text', 'text[]', false, 'sql', true, true),
('trigger_row_key', 'p_row jsonb, p_key_columns text[]', 'jsonb', false, 'sql', false, false),
('trigger_rows_query', 'p_op text, p_level text, p_key_columns text[]', 'text', false, 'sql', false, false),
('update_updated_at_column', '', 'trigger', false, 'plpgsql', false, false);

CREATE TEMP TABLE expected_grants (relation_name text, kind text, privileges text);
INSERT INTO expected_grants (relation_name, kind, privileges) VALUES
('alert_history', 'p', 'SELECT,INSERT,UPDATE,DELETE'),
('alert_rules', 'r', 'SELECT,INSERT,UPDATE,DELETE'),
('api_key_usage', 'r', 'SELECT'),
('api_keys', 'r', 'SELECT,INSERT,UPDATE,DELETE'),
('audit_logs', 'p', 'SELECT'),
('bridge_transactions', 'r', 'SELECT,INSERT,UPDATE,DELETE'),
('bridges', 'r', 'SELECT'),
('contract_audits', 'r', 'SELECT'),
('contract_risk_scores', 'r', 'SELECT'),
('copy_trades', 'r', 'SELECT,INSERT,UPDATE,DELETE'),
('cost_basis_lots', 'r', 'SELECT,INSERT,UPDATE,DELETE'),
('dashboards', 'r', 'SELECT,INSERT,UPDATE,DELETE'),
('gas_predictions', 'p', 'SELECT'),
('gas_price_hourly', 'm', 'SELECT'),
('login_attempts', 'r', 'SELECT'),
('lot_selections', 'r', 'SELECT,INSERT,UPDATE,DELETE'),
('malicious_contracts', 'r', 'SELECT'),
('my_portfolio_summary', 'v', 'SELECT'),
('notification_logs', 'p', 'SELECT,INSERT,UPDATE,DELETE'),
('portfolio_assets', 'r', 'SELECT,INSERT,UPDATE,DELETE'),
('portfolio_snapshots', 'p', 'SELECT,INSERT,UPDATE,DELETE'),
('predictions', 'p', 'SELECT'),
('prices', 'p', 'SELECT'),
('protocol_health', 'p', 'SELECT'),
('protocol_risk_indicators', 'r', 'SELECT'),
('risk_scores', 'r', 'SELECT'),
('schema_migrations', 'r', 'SELECT'),
('security_alerts', 'r', 'SELECT,INSERT,UPDATE,DELETE'),
('security_scans', 'r', 'SELECT'),
('subscriptions', 'r', 'SELECT,INSERT,UPDATE,DELETE'),
('sync_changes', 'r', 'SELECT'),
('sync_clients', 'r', 'SELECT,INSERT,UPDATE,DELETE'),
('sync_conflicts', 'r', 'SELECT,INSERT,UPDATE,DELETE'),
('sync_feed_horizons', 'r', 'SELECT'),
('sync_mutations', 'r', 'SELECT,INSERT'),
('tax_reports', 'r', 'SELECT,INSERT,UPDATE,DELETE'),
('tax_transactions', 'p', 'SELECT,INSERT,UPDATE,DELETE'),
('time_series_tables', 'r', ''),
('top_traders_leaderboard', 'm', 'SELECT'),
('trade_routes', 'r', 'SELECT'),
('trader_performance', 'p', 'SELECT'),
('traders', 'r', 'SELECT'),
('user_data_tables', 'r', ''),
('user_portfolio_summary', 'm', ''),
('users', 'r', 'SELECT,INSERT,UPDATE,DELETE'),
('wallet_approvals', 'r', 'SELECT,INSERT,UPDATE,DELETE'),
('wallet_security_scores', 'r', 'SELECT,INSERT,UPDATE,DELETE'),
('yield_pools', 'r', 'SELECT');

CREATE TEMP VIEW actual_functions AS
SELECT p.oid, p.proname::text AS function_name, pg_get_function_identity_arguments(p.oid) AS arguments
FROM pg_proc p
WHERE p.pronamespace = 'public'::regnamespace
  AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e');

SELECT plan((SELECT 4 * count(*)::int FROM expected_functions) + (SELECT count(*)::int FROM expected_grants) + 13);

SELECT set_eq($$SELECT function_name, arguments FROM actual_functions$$,
              $$SELECT function_name, arguments FROM expected_functions$$,
              'exactly the designed functions exist');
SELECT is((SELECT pg_get_function_result(a.oid) || ' ' || l.lanname FROM actual_functions a
           JOIN pg_proc p ON p.oid = a.oid JOIN pg_language l ON l.oid = p.prolang
           WHERE a.function_name = e.function_name AND a.arguments = e.arguments),
          e.result || ' ' || e.language, e.function_name || '(' || e.arguments || ') returns ' || e.result)
FROM expected_functions e ORDER BY e.function_name, e.arguments;
SELECT is((SELECT p.prosecdef FROM actual_functions a JOIN pg_proc p ON p.oid = a.oid
           WHERE a.function_name = e.function_name AND a.arguments = e.arguments),
          e.security_definer, e.function_name || CASE WHEN e.security_definer THEN ' is' ELSE ' is not' END
                              || ' SECURITY DEFINER')
FROM expected_functions e ORDER BY e.function_name, e.arguments;
SELECT is((SELECT has_function_privilege('llamadesk_app', a.oid, 'EXECUTE') FROM actual_functions a
           WHERE a.function_name = e.function_name AND a.arguments = e.arguments),
          e.app_may_execute, e.function_name || CASE WHEN e.app_may_execute THEN ': the application may call it'
                                                     ELSE ': the application may not call it' END)
FROM expected_functions e ORDER BY e.function_name, e.arguments;
SELECT is((SELECT has_function_privilege('llamadesk_jobs', a.oid, 'EXECUTE') FROM actual_functions a
           WHERE a.function_name = e.function_name AND a.arguments = e.arguments),
          e.jobs_may_execute, e.function_name || CASE WHEN e.jobs_may_execute THEN ': scheduled jobs may call it'
                                                      ELSE ': scheduled jobs may not call it' END)
FROM expected_functions e ORDER BY e.function_name, e.arguments;
SELECT ok((SELECT bool_and(p.proconfig IS NOT NULL AND 'search_path=public, pg_temp' = ANY (p.proconfig))
           FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace AND p.prosecdef
             AND p.proname <> 'maintain_time_partitions'),
          'every SECURITY DEFINER function pins its search_path (maintain_time_partitions qualifies every name)');

SELECT has_view('public', 'my_portfolio_summary', 'my_portfolio_summary is a view');
SELECT has_materialized_view('public', 'user_portfolio_summary', 'user_portfolio_summary is a materialized view');
SELECT has_materialized_view('public', 'top_traders_leaderboard', 'top_traders_leaderboard is a materialized view');
SELECT ok(EXISTS (SELECT FROM pg_class WHERE relname = 'gas_price_hourly' AND relkind IN ('m', 'v')),
          'gas_price_hourly exists (materialized view, or continuous aggregate under TimescaleDB)');
SELECT is((SELECT reloptions FROM pg_class WHERE oid = 'my_portfolio_summary'::regclass),
          ARRAY['security_barrier=true'], 'my_portfolio_summary is a security barrier view');

SELECT set_eq($$SELECT relname::text FROM pg_class WHERE relnamespace = 'public'::regnamespace
                AND relkind IN ('r', 'p', 'v', 'm') AND NOT relispartition$$,
              $$SELECT relation_name FROM expected_grants$$, 'every table and view has its expected privileges below');
SELECT is(concat_ws(',', CASE WHEN has_table_privilege('authenticated_users', e.relation_name, 'SELECT') THEN 'SELECT' END,
                         CASE WHEN has_table_privilege('authenticated_users', e.relation_name, 'INSERT') THEN 'INSERT' END,
                         CASE WHEN has_table_privilege('authenticated_users', e.relation_name, 'UPDATE') THEN 'UPDATE' END,
                         CASE WHEN has_table_privilege('authenticated_users', e.relation_name, 'DELETE') THEN 'DELETE' END,
                         CASE WHEN has_table_privilege('authenticated_users', e.relation_name, 'TRUNCATE') THEN 'TRUNCATE' END,
                         CASE WHEN has_table_privilege('authenticated_users', e.relation_name, 'REFERENCES') THEN 'REFERENCES' END,
                         CASE WHEN has_table_privilege('authenticated_users', e.relation_name, 'TRIGGER') THEN 'TRIGGER' END),
          e.privileges, e.relation_name || ': the application may ' || coalesce(nullif(e.privileges, ''), 'nothing'))
FROM expected_grants e ORDER BY e.relation_name;
SELECT is((SELECT count(*)::int FROM information_schema.role_table_grants WHERE grantee = 'llamadesk_app'), 0,
          'llamadesk_app holds no grant of its own: everything comes through authenticated_users');
SELECT is((SELECT count(*)::int FROM information_schema.role_table_grants
           WHERE grantee = 'PUBLIC' AND table_schema = 'public'), 0, 'PUBLIC is granted no table');
SELECT is((SELECT count(*)::int FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace
           AND CASE WHEN c.relkind = 'S' THEN has_sequence_privilege('llamadesk_app', c.oid, 'USAGE,UPDATE') END), 0,
          'the application can use no sequence (feed positions come from the triggers)');
SELECT is((SELECT count(*)::int FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace
           AND c.relkind IN ('r', 'p', 'v', 'm') AND c.relowner <> 'llamadesk_owner'::regrole), 0,
          'llamadesk_owner owns every table and view');
SELECT is((SELECT count(*)::int FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
           AND p.proowner <> 'llamadesk_owner'::regrole
           AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')), 0,
          'llamadesk_owner owns every function');

SELECT * FROM finish();
ROLLBACK;
