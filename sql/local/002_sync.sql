-- 002_sync: sync bookkeeping and the outbox of local changes.
--
-- Why: sync must never miss a local edit. Every insert, update, soft delete and delete of a
-- client-writable table records one row in sync_outbox from a trigger, so the record is part of
-- the same transaction as the edit: both commit or neither does. Changes the sync engine applies
-- from the server are not echoed back: it sets sync_control.applying_remote = 1 inside its own
-- transaction and back to 0 before COMMIT (a deferred foreign key makes a COMMIT that forgets
-- this fail, so local edits can never be silently dropped afterwards).
--
-- Client-writable (two-way, triggers below): users, alert_rules, tax_transactions, tax_reports,
-- cost_basis_lots, portfolio_assets, portfolio_snapshots, dashboards.
-- Pull-only (written by the server; no triggers): subscriptions, api_keys, alert_history,
-- notification_logs, and the reference data gas_predictions, predictions, protocol_health, prices.
-- docs/local-schema.md explains the choice.

-- One row: the sync engine's switch for "these writes come from the server".
CREATE TABLE sync_control_guard (
    applying_remote INTEGER PRIMARY KEY NOT NULL CHECK (applying_remote = 0)
);
INSERT INTO sync_control_guard (applying_remote) VALUES (0);

CREATE TABLE sync_control (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    -- 1 only inside the sync engine's own transaction. The deferred reference to the guard table
    -- (which only holds 0) lets it be 1 during the transaction but makes COMMIT fail while it is.
    applying_remote INTEGER NOT NULL DEFAULT 0 CHECK (applying_remote IN (0, 1))
        REFERENCES sync_control_guard (applying_remote) DEFERRABLE INITIALLY DEFERRED
);
INSERT INTO sync_control (id, applying_remote) VALUES (1, 0);

CREATE TRIGGER sync_control_keep_row BEFORE DELETE ON sync_control
BEGIN
    SELECT RAISE(ABORT, 'sync_control must keep its row');
END;

CREATE TRIGGER sync_control_guard_keep_row BEFORE DELETE ON sync_control_guard
BEGIN
    SELECT RAISE(ABORT, 'sync_control_guard must keep its row');
END;

-- One row: where this vault stands with the server.
CREATE TABLE sync_state (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    server_url TEXT,
    user_id TEXT CHECK (user_id GLOB '????????-????-????-????-????????????'
                        AND user_id = lower(user_id)),
    -- This installation's id towards the server (mutation ids are per client).
    client_id TEXT CHECK (client_id GLOB '????????-????-????-????-????????????'
                          AND client_id = lower(client_id)),
    -- The server's opaque change-feed position after the last complete pull (NULL: never pulled).
    pull_position TEXT,
    last_pull_at TEXT CHECK (last_pull_at GLOB '????-??-??T??:??:??.??????Z'),
    last_push_at TEXT CHECK (last_push_at GLOB '????-??-??T??:??:??.??????Z'),
    -- Next mutation id to send; increases by one per pushed mutation, never reused.
    next_mutation_id INTEGER NOT NULL DEFAULT 1 CHECK (next_mutation_id >= 1),
    -- Set when the server says our position is older than its change retention: pull everything
    -- again, keeping the unsent outbox.
    resync_required INTEGER NOT NULL DEFAULT 0 CHECK (resync_required IN (0, 1)),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
        CHECK (updated_at GLOB '????-??-??T??:??:??.??????Z')
);
INSERT INTO sync_state (id) VALUES (1);

CREATE TRIGGER sync_state_keep_row BEFORE DELETE ON sync_state
BEGIN
    SELECT RAISE(ABORT, 'sync_state must keep its row');
END;

-- Local changes not yet acknowledged by the server, in commit order. AUTOINCREMENT: a seq is never
-- reused, even after the table has been emptied by a push.
CREATE TABLE sync_outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    table_name TEXT NOT NULL,
    row_id TEXT NOT NULL,
    operation TEXT NOT NULL CHECK (operation IN ('insert', 'update', 'delete')),
    -- JSON array of the changed column names for updates and soft deletes; NULL otherwise.
    changed_columns TEXT,
    -- The row_version the change was made on (NULL for inserts).
    base_row_version INTEGER,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
        CHECK (created_at GLOB '????-??-??T??:??:??.??????Z')
);

-- Column-level conflicts found while applying server changes over unsent local ones, kept until
-- the user has looked at them.
CREATE TABLE sync_conflicts (
    id TEXT PRIMARY KEY NOT NULL
        CHECK (id GLOB '????????-????-????-????-????????????' AND id = lower(id)),
    table_name TEXT NOT NULL,
    row_id TEXT NOT NULL,
    column_name TEXT NOT NULL,
    local_value TEXT,
    server_value TEXT,
    base_value TEXT,
    changed_by TEXT, -- who made the server's change (client id or "server")
    changed_at TEXT CHECK (changed_at GLOB '????-??-??T??:??:??.??????Z'),
    detected_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
        CHECK (detected_at GLOB '????-??-??T??:??:??.??????Z'),
    resolved_at TEXT CHECK (resolved_at GLOB '????-??-??T??:??:??.??????Z'),
    resolution TEXT CHECK (resolution IN ('kept_local', 'took_server', 'merged')),
    CHECK ((resolved_at IS NULL) = (resolution IS NULL))
);

-- Rows that existed before the outbox did (a vault of schema version 1) and never reached the
-- server (row_version 0) must still be pushed.
INSERT INTO sync_outbox (table_name, row_id, operation)
    SELECT 'users', id, 'insert' FROM users WHERE row_version = 0;
INSERT INTO sync_outbox (table_name, row_id, operation)
    SELECT 'alert_rules', id, 'insert' FROM alert_rules WHERE row_version = 0;
INSERT INTO sync_outbox (table_name, row_id, operation)
    SELECT 'tax_transactions', id, 'insert' FROM tax_transactions WHERE row_version = 0;
INSERT INTO sync_outbox (table_name, row_id, operation)
    SELECT 'tax_reports', id, 'insert' FROM tax_reports WHERE row_version = 0;
INSERT INTO sync_outbox (table_name, row_id, operation)
    SELECT 'cost_basis_lots', id, 'insert' FROM cost_basis_lots WHERE row_version = 0;
INSERT INTO sync_outbox (table_name, row_id, operation)
    SELECT 'portfolio_assets', id, 'insert' FROM portfolio_assets WHERE row_version = 0;
INSERT INTO sync_outbox (table_name, row_id, operation)
    SELECT 'portfolio_snapshots', id, 'insert' FROM portfolio_snapshots WHERE row_version = 0;
INSERT INTO sync_outbox (table_name, row_id, operation)
    SELECT 'dashboards', id, 'insert' FROM dashboards WHERE row_version = 0;

-- The triggers below are generated by tools/outbox_triggers.py from the columns of 001:
--   outbox_triggers.py --tables users,alert_rules,tax_transactions,tax_reports,cost_basis_lots,\
--       portfolio_assets,portfolio_snapshots,dashboards 001_initial.sql

-- users
DROP TRIGGER IF EXISTS users_id_immutable;
CREATE TRIGGER users_id_immutable BEFORE UPDATE OF id ON users
WHEN OLD.id IS NOT NEW.id
BEGIN
    SELECT RAISE(ABORT, 'the id of a synced row cannot change (users)');
END;

DROP TRIGGER IF EXISTS users_outbox_insert;
CREATE TRIGGER users_outbox_insert AFTER INSERT ON users
WHEN coalesce((SELECT applying_remote FROM sync_control WHERE id = 1), 0) = 0
BEGIN
    INSERT INTO sync_outbox (table_name, row_id, operation)
    VALUES ('users', NEW.id, 'insert');
END;

DROP TRIGGER IF EXISTS users_outbox_update;
CREATE TRIGGER users_outbox_update AFTER UPDATE ON users
WHEN coalesce((SELECT applying_remote FROM sync_control WHERE id = 1), 0) = 0
    AND (OLD.email IS NOT NEW.email
         OR OLD.username IS NOT NEW.username
         OR OLD.first_name IS NOT NEW.first_name
         OR OLD.last_name IS NOT NEW.last_name
         OR OLD.subscription_tier IS NOT NEW.subscription_tier
         OR OLD.subscription_status IS NOT NEW.subscription_status
         OR OLD.subscription_started_at IS NOT NEW.subscription_started_at
         OR OLD.subscription_expires_at IS NOT NEW.subscription_expires_at
         OR OLD.email_verified IS NOT NEW.email_verified
         OR OLD.email_verified_at IS NOT NEW.email_verified_at
         OR OLD.two_factor_enabled IS NOT NEW.two_factor_enabled
         OR OLD.last_login_at IS NOT NEW.last_login_at
         OR OLD.last_activity_at IS NOT NEW.last_activity_at
         OR OLD.login_count IS NOT NEW.login_count
         OR OLD.is_active IS NOT NEW.is_active
         OR OLD.is_banned IS NOT NEW.is_banned
         OR OLD.banned_reason IS NOT NEW.banned_reason
         OR OLD.banned_at IS NOT NEW.banned_at
         OR OLD.consent_given_at IS NOT NEW.consent_given_at
         OR OLD.consent_version IS NOT NEW.consent_version
         OR OLD.data_retention_days IS NOT NEW.data_retention_days
         OR OLD.created_at IS NOT NEW.created_at
         OR OLD.deleted_at IS NOT NEW.deleted_at)
BEGIN
    INSERT INTO sync_outbox (table_name, row_id, operation, changed_columns, base_row_version)
    VALUES ('users', NEW.id,
            CASE WHEN OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL
                 THEN 'delete' ELSE 'update' END,
            '[' || rtrim(
                CASE WHEN OLD.email IS NOT NEW.email THEN '"email",' ELSE '' END ||
                CASE WHEN OLD.username IS NOT NEW.username THEN '"username",' ELSE '' END ||
                CASE WHEN OLD.first_name IS NOT NEW.first_name THEN '"first_name",' ELSE '' END ||
                CASE WHEN OLD.last_name IS NOT NEW.last_name THEN '"last_name",' ELSE '' END ||
                CASE WHEN OLD.subscription_tier IS NOT NEW.subscription_tier THEN '"subscription_tier",' ELSE '' END ||
                CASE WHEN OLD.subscription_status IS NOT NEW.subscription_status THEN '"subscription_status",' ELSE '' END ||
                CASE WHEN OLD.subscription_started_at IS NOT NEW.subscription_started_at THEN '"subscription_started_at",' ELSE '' END ||
                CASE WHEN OLD.subscription_expires_at IS NOT NEW.subscription_expires_at THEN '"subscription_expires_at",' ELSE '' END ||
                CASE WHEN OLD.email_verified IS NOT NEW.email_verified THEN '"email_verified",' ELSE '' END ||
                CASE WHEN OLD.email_verified_at IS NOT NEW.email_verified_at THEN '"email_verified_at",' ELSE '' END ||
                CASE WHEN OLD.two_factor_enabled IS NOT NEW.two_factor_enabled THEN '"two_factor_enabled",' ELSE '' END ||
                CASE WHEN OLD.last_login_at IS NOT NEW.last_login_at THEN '"last_login_at",' ELSE '' END ||
                CASE WHEN OLD.last_activity_at IS NOT NEW.last_activity_at THEN '"last_activity_at",' ELSE '' END ||
                CASE WHEN OLD.login_count IS NOT NEW.login_count THEN '"login_count",' ELSE '' END ||
                CASE WHEN OLD.is_active IS NOT NEW.is_active THEN '"is_active",' ELSE '' END ||
                CASE WHEN OLD.is_banned IS NOT NEW.is_banned THEN '"is_banned",' ELSE '' END ||
                CASE WHEN OLD.banned_reason IS NOT NEW.banned_reason THEN '"banned_reason",' ELSE '' END ||
                CASE WHEN OLD.banned_at IS NOT NEW.banned_at THEN '"banned_at",' ELSE '' END ||
                CASE WHEN OLD.consent_given_at IS NOT NEW.consent_given_at THEN '"consent_given_at",' ELSE '' END ||
                CASE WHEN OLD.consent_version IS NOT NEW.consent_version THEN '"consent_version",' ELSE '' END ||
                CASE WHEN OLD.data_retention_days IS NOT NEW.data_retention_days THEN '"data_retention_days",' ELSE '' END ||
                CASE WHEN OLD.created_at IS NOT NEW.created_at THEN '"created_at",' ELSE '' END ||
                CASE WHEN OLD.deleted_at IS NOT NEW.deleted_at THEN '"deleted_at",' ELSE '' END
            , ',') || ']',
            OLD.row_version);
END;

DROP TRIGGER IF EXISTS users_outbox_delete;
CREATE TRIGGER users_outbox_delete AFTER DELETE ON users
WHEN coalesce((SELECT applying_remote FROM sync_control WHERE id = 1), 0) = 0
BEGIN
    INSERT INTO sync_outbox (table_name, row_id, operation, base_row_version)
    VALUES ('users', OLD.id, 'delete', OLD.row_version);
END;

-- alert_rules
DROP TRIGGER IF EXISTS alert_rules_id_immutable;
CREATE TRIGGER alert_rules_id_immutable BEFORE UPDATE OF id ON alert_rules
WHEN OLD.id IS NOT NEW.id
BEGIN
    SELECT RAISE(ABORT, 'the id of a synced row cannot change (alert_rules)');
END;

DROP TRIGGER IF EXISTS alert_rules_outbox_insert;
CREATE TRIGGER alert_rules_outbox_insert AFTER INSERT ON alert_rules
WHEN coalesce((SELECT applying_remote FROM sync_control WHERE id = 1), 0) = 0
BEGIN
    INSERT INTO sync_outbox (table_name, row_id, operation)
    VALUES ('alert_rules', NEW.id, 'insert');
END;

DROP TRIGGER IF EXISTS alert_rules_outbox_update;
CREATE TRIGGER alert_rules_outbox_update AFTER UPDATE ON alert_rules
WHEN coalesce((SELECT applying_remote FROM sync_control WHERE id = 1), 0) = 0
    AND (OLD.user_id IS NOT NEW.user_id
         OR OLD.name IS NOT NEW.name
         OR OLD.description IS NOT NEW.description
         OR OLD.alert_type IS NOT NEW.alert_type
         OR OLD.target_type IS NOT NEW.target_type
         OR OLD.target_id IS NOT NEW.target_id
         OR OLD.chain_id IS NOT NEW.chain_id
         OR OLD.condition_operator IS NOT NEW.condition_operator
         OR OLD.threshold_value IS NOT NEW.threshold_value
         OR OLD.threshold_type IS NOT NEW.threshold_type
         OR OLD.timeframe_minutes IS NOT NEW.timeframe_minutes
         OR OLD.notification_channels IS NOT NEW.notification_channels
         OR OLD.webhook_url IS NOT NEW.webhook_url
         OR OLD.telegram_chat_id IS NOT NEW.telegram_chat_id
         OR OLD.discord_webhook_url IS NOT NEW.discord_webhook_url
         OR OLD.cooldown_minutes IS NOT NEW.cooldown_minutes
         OR OLD.max_triggers_per_day IS NOT NEW.max_triggers_per_day
         OR OLD.last_triggered_at IS NOT NEW.last_triggered_at
         OR OLD.trigger_count_today IS NOT NEW.trigger_count_today
         OR OLD.trigger_count_total IS NOT NEW.trigger_count_total
         OR OLD.is_active IS NOT NEW.is_active
         OR OLD.is_paused IS NOT NEW.is_paused
         OR OLD.paused_until IS NOT NEW.paused_until
         OR OLD.created_at IS NOT NEW.created_at
         OR OLD.deleted_at IS NOT NEW.deleted_at)
BEGIN
    INSERT INTO sync_outbox (table_name, row_id, operation, changed_columns, base_row_version)
    VALUES ('alert_rules', NEW.id,
            CASE WHEN OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL
                 THEN 'delete' ELSE 'update' END,
            '[' || rtrim(
                CASE WHEN OLD.user_id IS NOT NEW.user_id THEN '"user_id",' ELSE '' END ||
                CASE WHEN OLD.name IS NOT NEW.name THEN '"name",' ELSE '' END ||
                CASE WHEN OLD.description IS NOT NEW.description THEN '"description",' ELSE '' END ||
                CASE WHEN OLD.alert_type IS NOT NEW.alert_type THEN '"alert_type",' ELSE '' END ||
                CASE WHEN OLD.target_type IS NOT NEW.target_type THEN '"target_type",' ELSE '' END ||
                CASE WHEN OLD.target_id IS NOT NEW.target_id THEN '"target_id",' ELSE '' END ||
                CASE WHEN OLD.chain_id IS NOT NEW.chain_id THEN '"chain_id",' ELSE '' END ||
                CASE WHEN OLD.condition_operator IS NOT NEW.condition_operator THEN '"condition_operator",' ELSE '' END ||
                CASE WHEN OLD.threshold_value IS NOT NEW.threshold_value THEN '"threshold_value",' ELSE '' END ||
                CASE WHEN OLD.threshold_type IS NOT NEW.threshold_type THEN '"threshold_type",' ELSE '' END ||
                CASE WHEN OLD.timeframe_minutes IS NOT NEW.timeframe_minutes THEN '"timeframe_minutes",' ELSE '' END ||
                CASE WHEN OLD.notification_channels IS NOT NEW.notification_channels THEN '"notification_channels",' ELSE '' END ||
                CASE WHEN OLD.webhook_url IS NOT NEW.webhook_url THEN '"webhook_url",' ELSE '' END ||
                CASE WHEN OLD.telegram_chat_id IS NOT NEW.telegram_chat_id THEN '"telegram_chat_id",' ELSE '' END ||
                CASE WHEN OLD.discord_webhook_url IS NOT NEW.discord_webhook_url THEN '"discord_webhook_url",' ELSE '' END ||
                CASE WHEN OLD.cooldown_minutes IS NOT NEW.cooldown_minutes THEN '"cooldown_minutes",' ELSE '' END ||
                CASE WHEN OLD.max_triggers_per_day IS NOT NEW.max_triggers_per_day THEN '"max_triggers_per_day",' ELSE '' END ||
                CASE WHEN OLD.last_triggered_at IS NOT NEW.last_triggered_at THEN '"last_triggered_at",' ELSE '' END ||
                CASE WHEN OLD.trigger_count_today IS NOT NEW.trigger_count_today THEN '"trigger_count_today",' ELSE '' END ||
                CASE WHEN OLD.trigger_count_total IS NOT NEW.trigger_count_total THEN '"trigger_count_total",' ELSE '' END ||
                CASE WHEN OLD.is_active IS NOT NEW.is_active THEN '"is_active",' ELSE '' END ||
                CASE WHEN OLD.is_paused IS NOT NEW.is_paused THEN '"is_paused",' ELSE '' END ||
                CASE WHEN OLD.paused_until IS NOT NEW.paused_until THEN '"paused_until",' ELSE '' END ||
                CASE WHEN OLD.created_at IS NOT NEW.created_at THEN '"created_at",' ELSE '' END ||
                CASE WHEN OLD.deleted_at IS NOT NEW.deleted_at THEN '"deleted_at",' ELSE '' END
            , ',') || ']',
            OLD.row_version);
END;

DROP TRIGGER IF EXISTS alert_rules_outbox_delete;
CREATE TRIGGER alert_rules_outbox_delete AFTER DELETE ON alert_rules
WHEN coalesce((SELECT applying_remote FROM sync_control WHERE id = 1), 0) = 0
BEGIN
    INSERT INTO sync_outbox (table_name, row_id, operation, base_row_version)
    VALUES ('alert_rules', OLD.id, 'delete', OLD.row_version);
END;

-- tax_transactions
DROP TRIGGER IF EXISTS tax_transactions_id_immutable;
CREATE TRIGGER tax_transactions_id_immutable BEFORE UPDATE OF id ON tax_transactions
WHEN OLD.id IS NOT NEW.id
BEGIN
    SELECT RAISE(ABORT, 'the id of a synced row cannot change (tax_transactions)');
END;

DROP TRIGGER IF EXISTS tax_transactions_outbox_insert;
CREATE TRIGGER tax_transactions_outbox_insert AFTER INSERT ON tax_transactions
WHEN coalesce((SELECT applying_remote FROM sync_control WHERE id = 1), 0) = 0
BEGIN
    INSERT INTO sync_outbox (table_name, row_id, operation)
    VALUES ('tax_transactions', NEW.id, 'insert');
END;

DROP TRIGGER IF EXISTS tax_transactions_outbox_update;
CREATE TRIGGER tax_transactions_outbox_update AFTER UPDATE ON tax_transactions
WHEN coalesce((SELECT applying_remote FROM sync_control WHERE id = 1), 0) = 0
    AND (OLD.user_id IS NOT NEW.user_id
         OR OLD.transaction_hash IS NOT NEW.transaction_hash
         OR OLD.block_number IS NOT NEW.block_number
         OR OLD.chain_id IS NOT NEW.chain_id
         OR OLD.timestamp IS NOT NEW.timestamp
         OR OLD.transaction_type IS NOT NEW.transaction_type
         OR OLD.asset_in_symbol IS NOT NEW.asset_in_symbol
         OR OLD.asset_in_amount IS NOT NEW.asset_in_amount
         OR OLD.asset_in_price_usd IS NOT NEW.asset_in_price_usd
         OR OLD.asset_in_value_usd IS NOT NEW.asset_in_value_usd
         OR OLD.asset_out_symbol IS NOT NEW.asset_out_symbol
         OR OLD.asset_out_amount IS NOT NEW.asset_out_amount
         OR OLD.asset_out_price_usd IS NOT NEW.asset_out_price_usd
         OR OLD.asset_out_value_usd IS NOT NEW.asset_out_value_usd
         OR OLD.fee_amount IS NOT NEW.fee_amount
         OR OLD.fee_symbol IS NOT NEW.fee_symbol
         OR OLD.fee_value_usd IS NOT NEW.fee_value_usd
         OR OLD.cost_basis_method IS NOT NEW.cost_basis_method
         OR OLD.cost_basis_usd IS NOT NEW.cost_basis_usd
         OR OLD.capital_gain_usd IS NOT NEW.capital_gain_usd
         OR OLD.holding_period_days IS NOT NEW.holding_period_days
         OR OLD.is_long_term IS NOT NEW.is_long_term
         OR OLD.tax_category IS NOT NEW.tax_category
         OR OLD.is_taxable IS NOT NEW.is_taxable
         OR OLD.notes IS NOT NEW.notes
         OR OLD.wallet IS NOT NEW.wallet
         OR OLD.created_at IS NOT NEW.created_at
         OR OLD.deleted_at IS NOT NEW.deleted_at)
BEGIN
    INSERT INTO sync_outbox (table_name, row_id, operation, changed_columns, base_row_version)
    VALUES ('tax_transactions', NEW.id,
            CASE WHEN OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL
                 THEN 'delete' ELSE 'update' END,
            '[' || rtrim(
                CASE WHEN OLD.user_id IS NOT NEW.user_id THEN '"user_id",' ELSE '' END ||
                CASE WHEN OLD.transaction_hash IS NOT NEW.transaction_hash THEN '"transaction_hash",' ELSE '' END ||
                CASE WHEN OLD.block_number IS NOT NEW.block_number THEN '"block_number",' ELSE '' END ||
                CASE WHEN OLD.chain_id IS NOT NEW.chain_id THEN '"chain_id",' ELSE '' END ||
                CASE WHEN OLD.timestamp IS NOT NEW.timestamp THEN '"timestamp",' ELSE '' END ||
                CASE WHEN OLD.transaction_type IS NOT NEW.transaction_type THEN '"transaction_type",' ELSE '' END ||
                CASE WHEN OLD.asset_in_symbol IS NOT NEW.asset_in_symbol THEN '"asset_in_symbol",' ELSE '' END ||
                CASE WHEN OLD.asset_in_amount IS NOT NEW.asset_in_amount THEN '"asset_in_amount",' ELSE '' END ||
                CASE WHEN OLD.asset_in_price_usd IS NOT NEW.asset_in_price_usd THEN '"asset_in_price_usd",' ELSE '' END ||
                CASE WHEN OLD.asset_in_value_usd IS NOT NEW.asset_in_value_usd THEN '"asset_in_value_usd",' ELSE '' END ||
                CASE WHEN OLD.asset_out_symbol IS NOT NEW.asset_out_symbol THEN '"asset_out_symbol",' ELSE '' END ||
                CASE WHEN OLD.asset_out_amount IS NOT NEW.asset_out_amount THEN '"asset_out_amount",' ELSE '' END ||
                CASE WHEN OLD.asset_out_price_usd IS NOT NEW.asset_out_price_usd THEN '"asset_out_price_usd",' ELSE '' END ||
                CASE WHEN OLD.asset_out_value_usd IS NOT NEW.asset_out_value_usd THEN '"asset_out_value_usd",' ELSE '' END ||
                CASE WHEN OLD.fee_amount IS NOT NEW.fee_amount THEN '"fee_amount",' ELSE '' END ||
                CASE WHEN OLD.fee_symbol IS NOT NEW.fee_symbol THEN '"fee_symbol",' ELSE '' END ||
                CASE WHEN OLD.fee_value_usd IS NOT NEW.fee_value_usd THEN '"fee_value_usd",' ELSE '' END ||
                CASE WHEN OLD.cost_basis_method IS NOT NEW.cost_basis_method THEN '"cost_basis_method",' ELSE '' END ||
                CASE WHEN OLD.cost_basis_usd IS NOT NEW.cost_basis_usd THEN '"cost_basis_usd",' ELSE '' END ||
                CASE WHEN OLD.capital_gain_usd IS NOT NEW.capital_gain_usd THEN '"capital_gain_usd",' ELSE '' END ||
                CASE WHEN OLD.holding_period_days IS NOT NEW.holding_period_days THEN '"holding_period_days",' ELSE '' END ||
                CASE WHEN OLD.is_long_term IS NOT NEW.is_long_term THEN '"is_long_term",' ELSE '' END ||
                CASE WHEN OLD.tax_category IS NOT NEW.tax_category THEN '"tax_category",' ELSE '' END ||
                CASE WHEN OLD.is_taxable IS NOT NEW.is_taxable THEN '"is_taxable",' ELSE '' END ||
                CASE WHEN OLD.notes IS NOT NEW.notes THEN '"notes",' ELSE '' END ||
                CASE WHEN OLD.wallet IS NOT NEW.wallet THEN '"wallet",' ELSE '' END ||
                CASE WHEN OLD.created_at IS NOT NEW.created_at THEN '"created_at",' ELSE '' END ||
                CASE WHEN OLD.deleted_at IS NOT NEW.deleted_at THEN '"deleted_at",' ELSE '' END
            , ',') || ']',
            OLD.row_version);
END;

DROP TRIGGER IF EXISTS tax_transactions_outbox_delete;
CREATE TRIGGER tax_transactions_outbox_delete AFTER DELETE ON tax_transactions
WHEN coalesce((SELECT applying_remote FROM sync_control WHERE id = 1), 0) = 0
BEGIN
    INSERT INTO sync_outbox (table_name, row_id, operation, base_row_version)
    VALUES ('tax_transactions', OLD.id, 'delete', OLD.row_version);
END;

-- tax_reports
DROP TRIGGER IF EXISTS tax_reports_id_immutable;
CREATE TRIGGER tax_reports_id_immutable BEFORE UPDATE OF id ON tax_reports
WHEN OLD.id IS NOT NEW.id
BEGIN
    SELECT RAISE(ABORT, 'the id of a synced row cannot change (tax_reports)');
END;

DROP TRIGGER IF EXISTS tax_reports_outbox_insert;
CREATE TRIGGER tax_reports_outbox_insert AFTER INSERT ON tax_reports
WHEN coalesce((SELECT applying_remote FROM sync_control WHERE id = 1), 0) = 0
BEGIN
    INSERT INTO sync_outbox (table_name, row_id, operation)
    VALUES ('tax_reports', NEW.id, 'insert');
END;

DROP TRIGGER IF EXISTS tax_reports_outbox_update;
CREATE TRIGGER tax_reports_outbox_update AFTER UPDATE ON tax_reports
WHEN coalesce((SELECT applying_remote FROM sync_control WHERE id = 1), 0) = 0
    AND (OLD.user_id IS NOT NEW.user_id
         OR OLD.report_type IS NOT NEW.report_type
         OR OLD.tax_year IS NOT NEW.tax_year
         OR OLD.country_code IS NOT NEW.country_code
         OR OLD.start_date IS NOT NEW.start_date
         OR OLD.end_date IS NOT NEW.end_date
         OR OLD.total_transactions IS NOT NEW.total_transactions
         OR OLD.total_capital_gains_usd IS NOT NEW.total_capital_gains_usd
         OR OLD.total_capital_losses_usd IS NOT NEW.total_capital_losses_usd
         OR OLD.net_capital_gains_usd IS NOT NEW.net_capital_gains_usd
         OR OLD.total_income_usd IS NOT NEW.total_income_usd
         OR OLD.total_expenses_usd IS NOT NEW.total_expenses_usd
         OR OLD.long_term_gains_usd IS NOT NEW.long_term_gains_usd
         OR OLD.short_term_gains_usd IS NOT NEW.short_term_gains_usd
         OR OLD.report_format IS NOT NEW.report_format
         OR OLD.file_url IS NOT NEW.file_url
         OR OLD.file_size_bytes IS NOT NEW.file_size_bytes
         OR OLD.status IS NOT NEW.status
         OR OLD.error_message IS NOT NEW.error_message
         OR OLD.generated_at IS NOT NEW.generated_at
         OR OLD.created_at IS NOT NEW.created_at
         OR OLD.deleted_at IS NOT NEW.deleted_at)
BEGIN
    INSERT INTO sync_outbox (table_name, row_id, operation, changed_columns, base_row_version)
    VALUES ('tax_reports', NEW.id,
            CASE WHEN OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL
                 THEN 'delete' ELSE 'update' END,
            '[' || rtrim(
                CASE WHEN OLD.user_id IS NOT NEW.user_id THEN '"user_id",' ELSE '' END ||
                CASE WHEN OLD.report_type IS NOT NEW.report_type THEN '"report_type",' ELSE '' END ||
                CASE WHEN OLD.tax_year IS NOT NEW.tax_year THEN '"tax_year",' ELSE '' END ||
                CASE WHEN OLD.country_code IS NOT NEW.country_code THEN '"country_code",' ELSE '' END ||
                CASE WHEN OLD.start_date IS NOT NEW.start_date THEN '"start_date",' ELSE '' END ||
                CASE WHEN OLD.end_date IS NOT NEW.end_date THEN '"end_date",' ELSE '' END ||
                CASE WHEN OLD.total_transactions IS NOT NEW.total_transactions THEN '"total_transactions",' ELSE '' END ||
                CASE WHEN OLD.total_capital_gains_usd IS NOT NEW.total_capital_gains_usd THEN '"total_capital_gains_usd",' ELSE '' END ||
                CASE WHEN OLD.total_capital_losses_usd IS NOT NEW.total_capital_losses_usd THEN '"total_capital_losses_usd",' ELSE '' END ||
                CASE WHEN OLD.net_capital_gains_usd IS NOT NEW.net_capital_gains_usd THEN '"net_capital_gains_usd",' ELSE '' END ||
                CASE WHEN OLD.total_income_usd IS NOT NEW.total_income_usd THEN '"total_income_usd",' ELSE '' END ||
                CASE WHEN OLD.total_expenses_usd IS NOT NEW.total_expenses_usd THEN '"total_expenses_usd",' ELSE '' END ||
                CASE WHEN OLD.long_term_gains_usd IS NOT NEW.long_term_gains_usd THEN '"long_term_gains_usd",' ELSE '' END ||
                CASE WHEN OLD.short_term_gains_usd IS NOT NEW.short_term_gains_usd THEN '"short_term_gains_usd",' ELSE '' END ||
                CASE WHEN OLD.report_format IS NOT NEW.report_format THEN '"report_format",' ELSE '' END ||
                CASE WHEN OLD.file_url IS NOT NEW.file_url THEN '"file_url",' ELSE '' END ||
                CASE WHEN OLD.file_size_bytes IS NOT NEW.file_size_bytes THEN '"file_size_bytes",' ELSE '' END ||
                CASE WHEN OLD.status IS NOT NEW.status THEN '"status",' ELSE '' END ||
                CASE WHEN OLD.error_message IS NOT NEW.error_message THEN '"error_message",' ELSE '' END ||
                CASE WHEN OLD.generated_at IS NOT NEW.generated_at THEN '"generated_at",' ELSE '' END ||
                CASE WHEN OLD.created_at IS NOT NEW.created_at THEN '"created_at",' ELSE '' END ||
                CASE WHEN OLD.deleted_at IS NOT NEW.deleted_at THEN '"deleted_at",' ELSE '' END
            , ',') || ']',
            OLD.row_version);
END;

DROP TRIGGER IF EXISTS tax_reports_outbox_delete;
CREATE TRIGGER tax_reports_outbox_delete AFTER DELETE ON tax_reports
WHEN coalesce((SELECT applying_remote FROM sync_control WHERE id = 1), 0) = 0
BEGIN
    INSERT INTO sync_outbox (table_name, row_id, operation, base_row_version)
    VALUES ('tax_reports', OLD.id, 'delete', OLD.row_version);
END;

-- cost_basis_lots
DROP TRIGGER IF EXISTS cost_basis_lots_id_immutable;
CREATE TRIGGER cost_basis_lots_id_immutable BEFORE UPDATE OF id ON cost_basis_lots
WHEN OLD.id IS NOT NEW.id
BEGIN
    SELECT RAISE(ABORT, 'the id of a synced row cannot change (cost_basis_lots)');
END;

DROP TRIGGER IF EXISTS cost_basis_lots_outbox_insert;
CREATE TRIGGER cost_basis_lots_outbox_insert AFTER INSERT ON cost_basis_lots
WHEN coalesce((SELECT applying_remote FROM sync_control WHERE id = 1), 0) = 0
BEGIN
    INSERT INTO sync_outbox (table_name, row_id, operation)
    VALUES ('cost_basis_lots', NEW.id, 'insert');
END;

DROP TRIGGER IF EXISTS cost_basis_lots_outbox_update;
CREATE TRIGGER cost_basis_lots_outbox_update AFTER UPDATE ON cost_basis_lots
WHEN coalesce((SELECT applying_remote FROM sync_control WHERE id = 1), 0) = 0
    AND (OLD.user_id IS NOT NEW.user_id
         OR OLD.asset_symbol IS NOT NEW.asset_symbol
         OR OLD.chain_id IS NOT NEW.chain_id
         OR OLD.acquired_transaction_id IS NOT NEW.acquired_transaction_id
         OR OLD.acquired_date IS NOT NEW.acquired_date
         OR OLD.acquired_amount IS NOT NEW.acquired_amount
         OR OLD.acquired_price_usd IS NOT NEW.acquired_price_usd
         OR OLD.cost_basis_usd IS NOT NEW.cost_basis_usd
         OR OLD.disposed_transaction_id IS NOT NEW.disposed_transaction_id
         OR OLD.disposed_date IS NOT NEW.disposed_date
         OR OLD.disposed_amount IS NOT NEW.disposed_amount
         OR OLD.disposed_price_usd IS NOT NEW.disposed_price_usd
         OR OLD.proceeds_usd IS NOT NEW.proceeds_usd
         OR OLD.remaining_amount IS NOT NEW.remaining_amount
         OR OLD.is_fully_disposed IS NOT NEW.is_fully_disposed
         OR OLD.wallet IS NOT NEW.wallet
         OR OLD.created_at IS NOT NEW.created_at
         OR OLD.deleted_at IS NOT NEW.deleted_at)
BEGIN
    INSERT INTO sync_outbox (table_name, row_id, operation, changed_columns, base_row_version)
    VALUES ('cost_basis_lots', NEW.id,
            CASE WHEN OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL
                 THEN 'delete' ELSE 'update' END,
            '[' || rtrim(
                CASE WHEN OLD.user_id IS NOT NEW.user_id THEN '"user_id",' ELSE '' END ||
                CASE WHEN OLD.asset_symbol IS NOT NEW.asset_symbol THEN '"asset_symbol",' ELSE '' END ||
                CASE WHEN OLD.chain_id IS NOT NEW.chain_id THEN '"chain_id",' ELSE '' END ||
                CASE WHEN OLD.acquired_transaction_id IS NOT NEW.acquired_transaction_id THEN '"acquired_transaction_id",' ELSE '' END ||
                CASE WHEN OLD.acquired_date IS NOT NEW.acquired_date THEN '"acquired_date",' ELSE '' END ||
                CASE WHEN OLD.acquired_amount IS NOT NEW.acquired_amount THEN '"acquired_amount",' ELSE '' END ||
                CASE WHEN OLD.acquired_price_usd IS NOT NEW.acquired_price_usd THEN '"acquired_price_usd",' ELSE '' END ||
                CASE WHEN OLD.cost_basis_usd IS NOT NEW.cost_basis_usd THEN '"cost_basis_usd",' ELSE '' END ||
                CASE WHEN OLD.disposed_transaction_id IS NOT NEW.disposed_transaction_id THEN '"disposed_transaction_id",' ELSE '' END ||
                CASE WHEN OLD.disposed_date IS NOT NEW.disposed_date THEN '"disposed_date",' ELSE '' END ||
                CASE WHEN OLD.disposed_amount IS NOT NEW.disposed_amount THEN '"disposed_amount",' ELSE '' END ||
                CASE WHEN OLD.disposed_price_usd IS NOT NEW.disposed_price_usd THEN '"disposed_price_usd",' ELSE '' END ||
                CASE WHEN OLD.proceeds_usd IS NOT NEW.proceeds_usd THEN '"proceeds_usd",' ELSE '' END ||
                CASE WHEN OLD.remaining_amount IS NOT NEW.remaining_amount THEN '"remaining_amount",' ELSE '' END ||
                CASE WHEN OLD.is_fully_disposed IS NOT NEW.is_fully_disposed THEN '"is_fully_disposed",' ELSE '' END ||
                CASE WHEN OLD.wallet IS NOT NEW.wallet THEN '"wallet",' ELSE '' END ||
                CASE WHEN OLD.created_at IS NOT NEW.created_at THEN '"created_at",' ELSE '' END ||
                CASE WHEN OLD.deleted_at IS NOT NEW.deleted_at THEN '"deleted_at",' ELSE '' END
            , ',') || ']',
            OLD.row_version);
END;

DROP TRIGGER IF EXISTS cost_basis_lots_outbox_delete;
CREATE TRIGGER cost_basis_lots_outbox_delete AFTER DELETE ON cost_basis_lots
WHEN coalesce((SELECT applying_remote FROM sync_control WHERE id = 1), 0) = 0
BEGIN
    INSERT INTO sync_outbox (table_name, row_id, operation, base_row_version)
    VALUES ('cost_basis_lots', OLD.id, 'delete', OLD.row_version);
END;

-- portfolio_assets
DROP TRIGGER IF EXISTS portfolio_assets_id_immutable;
CREATE TRIGGER portfolio_assets_id_immutable BEFORE UPDATE OF id ON portfolio_assets
WHEN OLD.id IS NOT NEW.id
BEGIN
    SELECT RAISE(ABORT, 'the id of a synced row cannot change (portfolio_assets)');
END;

DROP TRIGGER IF EXISTS portfolio_assets_outbox_insert;
CREATE TRIGGER portfolio_assets_outbox_insert AFTER INSERT ON portfolio_assets
WHEN coalesce((SELECT applying_remote FROM sync_control WHERE id = 1), 0) = 0
BEGIN
    INSERT INTO sync_outbox (table_name, row_id, operation)
    VALUES ('portfolio_assets', NEW.id, 'insert');
END;

DROP TRIGGER IF EXISTS portfolio_assets_outbox_update;
CREATE TRIGGER portfolio_assets_outbox_update AFTER UPDATE ON portfolio_assets
WHEN coalesce((SELECT applying_remote FROM sync_control WHERE id = 1), 0) = 0
    AND (OLD.user_id IS NOT NEW.user_id
         OR OLD.asset_type IS NOT NEW.asset_type
         OR OLD.asset_symbol IS NOT NEW.asset_symbol
         OR OLD.asset_name IS NOT NEW.asset_name
         OR OLD.asset_address IS NOT NEW.asset_address
         OR OLD.chain_id IS NOT NEW.chain_id
         OR OLD.protocol_name IS NOT NEW.protocol_name
         OR OLD.protocol_address IS NOT NEW.protocol_address
         OR OLD.balance IS NOT NEW.balance
         OR OLD.balance_usd IS NOT NEW.balance_usd
         OR OLD.price_usd IS NOT NEW.price_usd
         OR OLD.cost_basis_usd IS NOT NEW.cost_basis_usd
         OR OLD.unrealized_pnl_usd IS NOT NEW.unrealized_pnl_usd
         OR OLD.unrealized_pnl_percentage IS NOT NEW.unrealized_pnl_percentage
         OR OLD.metadata IS NOT NEW.metadata
         OR OLD.first_acquired_at IS NOT NEW.first_acquired_at
         OR OLD.last_updated_at IS NOT NEW.last_updated_at
         OR OLD.created_at IS NOT NEW.created_at
         OR OLD.deleted_at IS NOT NEW.deleted_at)
BEGIN
    INSERT INTO sync_outbox (table_name, row_id, operation, changed_columns, base_row_version)
    VALUES ('portfolio_assets', NEW.id,
            CASE WHEN OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL
                 THEN 'delete' ELSE 'update' END,
            '[' || rtrim(
                CASE WHEN OLD.user_id IS NOT NEW.user_id THEN '"user_id",' ELSE '' END ||
                CASE WHEN OLD.asset_type IS NOT NEW.asset_type THEN '"asset_type",' ELSE '' END ||
                CASE WHEN OLD.asset_symbol IS NOT NEW.asset_symbol THEN '"asset_symbol",' ELSE '' END ||
                CASE WHEN OLD.asset_name IS NOT NEW.asset_name THEN '"asset_name",' ELSE '' END ||
                CASE WHEN OLD.asset_address IS NOT NEW.asset_address THEN '"asset_address",' ELSE '' END ||
                CASE WHEN OLD.chain_id IS NOT NEW.chain_id THEN '"chain_id",' ELSE '' END ||
                CASE WHEN OLD.protocol_name IS NOT NEW.protocol_name THEN '"protocol_name",' ELSE '' END ||
                CASE WHEN OLD.protocol_address IS NOT NEW.protocol_address THEN '"protocol_address",' ELSE '' END ||
                CASE WHEN OLD.balance IS NOT NEW.balance THEN '"balance",' ELSE '' END ||
                CASE WHEN OLD.balance_usd IS NOT NEW.balance_usd THEN '"balance_usd",' ELSE '' END ||
                CASE WHEN OLD.price_usd IS NOT NEW.price_usd THEN '"price_usd",' ELSE '' END ||
                CASE WHEN OLD.cost_basis_usd IS NOT NEW.cost_basis_usd THEN '"cost_basis_usd",' ELSE '' END ||
                CASE WHEN OLD.unrealized_pnl_usd IS NOT NEW.unrealized_pnl_usd THEN '"unrealized_pnl_usd",' ELSE '' END ||
                CASE WHEN OLD.unrealized_pnl_percentage IS NOT NEW.unrealized_pnl_percentage THEN '"unrealized_pnl_percentage",' ELSE '' END ||
                CASE WHEN OLD.metadata IS NOT NEW.metadata THEN '"metadata",' ELSE '' END ||
                CASE WHEN OLD.first_acquired_at IS NOT NEW.first_acquired_at THEN '"first_acquired_at",' ELSE '' END ||
                CASE WHEN OLD.last_updated_at IS NOT NEW.last_updated_at THEN '"last_updated_at",' ELSE '' END ||
                CASE WHEN OLD.created_at IS NOT NEW.created_at THEN '"created_at",' ELSE '' END ||
                CASE WHEN OLD.deleted_at IS NOT NEW.deleted_at THEN '"deleted_at",' ELSE '' END
            , ',') || ']',
            OLD.row_version);
END;

DROP TRIGGER IF EXISTS portfolio_assets_outbox_delete;
CREATE TRIGGER portfolio_assets_outbox_delete AFTER DELETE ON portfolio_assets
WHEN coalesce((SELECT applying_remote FROM sync_control WHERE id = 1), 0) = 0
BEGIN
    INSERT INTO sync_outbox (table_name, row_id, operation, base_row_version)
    VALUES ('portfolio_assets', OLD.id, 'delete', OLD.row_version);
END;

-- portfolio_snapshots
DROP TRIGGER IF EXISTS portfolio_snapshots_id_immutable;
CREATE TRIGGER portfolio_snapshots_id_immutable BEFORE UPDATE OF id ON portfolio_snapshots
WHEN OLD.id IS NOT NEW.id
BEGIN
    SELECT RAISE(ABORT, 'the id of a synced row cannot change (portfolio_snapshots)');
END;

DROP TRIGGER IF EXISTS portfolio_snapshots_outbox_insert;
CREATE TRIGGER portfolio_snapshots_outbox_insert AFTER INSERT ON portfolio_snapshots
WHEN coalesce((SELECT applying_remote FROM sync_control WHERE id = 1), 0) = 0
BEGIN
    INSERT INTO sync_outbox (table_name, row_id, operation)
    VALUES ('portfolio_snapshots', NEW.id, 'insert');
END;

DROP TRIGGER IF EXISTS portfolio_snapshots_outbox_update;
CREATE TRIGGER portfolio_snapshots_outbox_update AFTER UPDATE ON portfolio_snapshots
WHEN coalesce((SELECT applying_remote FROM sync_control WHERE id = 1), 0) = 0
    AND (OLD.user_id IS NOT NEW.user_id
         OR OLD.total_value_usd IS NOT NEW.total_value_usd
         OR OLD.total_assets IS NOT NEW.total_assets
         OR OLD.total_chains IS NOT NEW.total_chains
         OR OLD.total_protocols IS NOT NEW.total_protocols
         OR OLD.daily_pnl_usd IS NOT NEW.daily_pnl_usd
         OR OLD.daily_pnl_percentage IS NOT NEW.daily_pnl_percentage
         OR OLD.total_pnl_usd IS NOT NEW.total_pnl_usd
         OR OLD.total_pnl_percentage IS NOT NEW.total_pnl_percentage
         OR OLD.sharpe_ratio IS NOT NEW.sharpe_ratio
         OR OLD.max_drawdown IS NOT NEW.max_drawdown
         OR OLD.volatility IS NOT NEW.volatility
         OR OLD.allocation_by_asset_type IS NOT NEW.allocation_by_asset_type
         OR OLD.allocation_by_chain IS NOT NEW.allocation_by_chain
         OR OLD.allocation_by_protocol IS NOT NEW.allocation_by_protocol
         OR OLD.snapshot_date IS NOT NEW.snapshot_date
         OR OLD.timestamp IS NOT NEW.timestamp
         OR OLD.deleted_at IS NOT NEW.deleted_at)
BEGIN
    INSERT INTO sync_outbox (table_name, row_id, operation, changed_columns, base_row_version)
    VALUES ('portfolio_snapshots', NEW.id,
            CASE WHEN OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL
                 THEN 'delete' ELSE 'update' END,
            '[' || rtrim(
                CASE WHEN OLD.user_id IS NOT NEW.user_id THEN '"user_id",' ELSE '' END ||
                CASE WHEN OLD.total_value_usd IS NOT NEW.total_value_usd THEN '"total_value_usd",' ELSE '' END ||
                CASE WHEN OLD.total_assets IS NOT NEW.total_assets THEN '"total_assets",' ELSE '' END ||
                CASE WHEN OLD.total_chains IS NOT NEW.total_chains THEN '"total_chains",' ELSE '' END ||
                CASE WHEN OLD.total_protocols IS NOT NEW.total_protocols THEN '"total_protocols",' ELSE '' END ||
                CASE WHEN OLD.daily_pnl_usd IS NOT NEW.daily_pnl_usd THEN '"daily_pnl_usd",' ELSE '' END ||
                CASE WHEN OLD.daily_pnl_percentage IS NOT NEW.daily_pnl_percentage THEN '"daily_pnl_percentage",' ELSE '' END ||
                CASE WHEN OLD.total_pnl_usd IS NOT NEW.total_pnl_usd THEN '"total_pnl_usd",' ELSE '' END ||
                CASE WHEN OLD.total_pnl_percentage IS NOT NEW.total_pnl_percentage THEN '"total_pnl_percentage",' ELSE '' END ||
                CASE WHEN OLD.sharpe_ratio IS NOT NEW.sharpe_ratio THEN '"sharpe_ratio",' ELSE '' END ||
                CASE WHEN OLD.max_drawdown IS NOT NEW.max_drawdown THEN '"max_drawdown",' ELSE '' END ||
                CASE WHEN OLD.volatility IS NOT NEW.volatility THEN '"volatility",' ELSE '' END ||
                CASE WHEN OLD.allocation_by_asset_type IS NOT NEW.allocation_by_asset_type THEN '"allocation_by_asset_type",' ELSE '' END ||
                CASE WHEN OLD.allocation_by_chain IS NOT NEW.allocation_by_chain THEN '"allocation_by_chain",' ELSE '' END ||
                CASE WHEN OLD.allocation_by_protocol IS NOT NEW.allocation_by_protocol THEN '"allocation_by_protocol",' ELSE '' END ||
                CASE WHEN OLD.snapshot_date IS NOT NEW.snapshot_date THEN '"snapshot_date",' ELSE '' END ||
                CASE WHEN OLD.timestamp IS NOT NEW.timestamp THEN '"timestamp",' ELSE '' END ||
                CASE WHEN OLD.deleted_at IS NOT NEW.deleted_at THEN '"deleted_at",' ELSE '' END
            , ',') || ']',
            OLD.row_version);
END;

DROP TRIGGER IF EXISTS portfolio_snapshots_outbox_delete;
CREATE TRIGGER portfolio_snapshots_outbox_delete AFTER DELETE ON portfolio_snapshots
WHEN coalesce((SELECT applying_remote FROM sync_control WHERE id = 1), 0) = 0
BEGIN
    INSERT INTO sync_outbox (table_name, row_id, operation, base_row_version)
    VALUES ('portfolio_snapshots', OLD.id, 'delete', OLD.row_version);
END;

-- dashboards
DROP TRIGGER IF EXISTS dashboards_id_immutable;
CREATE TRIGGER dashboards_id_immutable BEFORE UPDATE OF id ON dashboards
WHEN OLD.id IS NOT NEW.id
BEGIN
    SELECT RAISE(ABORT, 'the id of a synced row cannot change (dashboards)');
END;

DROP TRIGGER IF EXISTS dashboards_outbox_insert;
CREATE TRIGGER dashboards_outbox_insert AFTER INSERT ON dashboards
WHEN coalesce((SELECT applying_remote FROM sync_control WHERE id = 1), 0) = 0
BEGIN
    INSERT INTO sync_outbox (table_name, row_id, operation)
    VALUES ('dashboards', NEW.id, 'insert');
END;

DROP TRIGGER IF EXISTS dashboards_outbox_update;
CREATE TRIGGER dashboards_outbox_update AFTER UPDATE ON dashboards
WHEN coalesce((SELECT applying_remote FROM sync_control WHERE id = 1), 0) = 0
    AND (OLD.user_id IS NOT NEW.user_id
         OR OLD.name IS NOT NEW.name
         OR OLD.description IS NOT NEW.description
         OR OLD.is_default IS NOT NEW.is_default
         OR OLD.is_public IS NOT NEW.is_public
         OR OLD.layout IS NOT NEW.layout
         OR OLD.widgets IS NOT NEW.widgets
         OR OLD.share_token IS NOT NEW.share_token
         OR OLD.view_count IS NOT NEW.view_count
         OR OLD.created_at IS NOT NEW.created_at
         OR OLD.deleted_at IS NOT NEW.deleted_at)
BEGIN
    INSERT INTO sync_outbox (table_name, row_id, operation, changed_columns, base_row_version)
    VALUES ('dashboards', NEW.id,
            CASE WHEN OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL
                 THEN 'delete' ELSE 'update' END,
            '[' || rtrim(
                CASE WHEN OLD.user_id IS NOT NEW.user_id THEN '"user_id",' ELSE '' END ||
                CASE WHEN OLD.name IS NOT NEW.name THEN '"name",' ELSE '' END ||
                CASE WHEN OLD.description IS NOT NEW.description THEN '"description",' ELSE '' END ||
                CASE WHEN OLD.is_default IS NOT NEW.is_default THEN '"is_default",' ELSE '' END ||
                CASE WHEN OLD.is_public IS NOT NEW.is_public THEN '"is_public",' ELSE '' END ||
                CASE WHEN OLD.layout IS NOT NEW.layout THEN '"layout",' ELSE '' END ||
                CASE WHEN OLD.widgets IS NOT NEW.widgets THEN '"widgets",' ELSE '' END ||
                CASE WHEN OLD.share_token IS NOT NEW.share_token THEN '"share_token",' ELSE '' END ||
                CASE WHEN OLD.view_count IS NOT NEW.view_count THEN '"view_count",' ELSE '' END ||
                CASE WHEN OLD.created_at IS NOT NEW.created_at THEN '"created_at",' ELSE '' END ||
                CASE WHEN OLD.deleted_at IS NOT NEW.deleted_at THEN '"deleted_at",' ELSE '' END
            , ',') || ']',
            OLD.row_version);
END;

DROP TRIGGER IF EXISTS dashboards_outbox_delete;
CREATE TRIGGER dashboards_outbox_delete AFTER DELETE ON dashboards
WHEN coalesce((SELECT applying_remote FROM sync_control WHERE id = 1), 0) = 0
BEGIN
    INSERT INTO sync_outbox (table_name, row_id, operation, base_row_version)
    VALUES ('dashboards', OLD.id, 'delete', OLD.row_version);
END;
