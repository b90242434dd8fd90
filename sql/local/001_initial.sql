-- 001_initial: the local mirror's tables.
--
-- Why: the desktop app works offline on a local copy of the signed-in user's data. These tables
-- copy the server's user-facing tables column for column (same names), plus the reference data the
-- dashboards show, plus two local-only tables (settings, schema_history).
--
-- Conventions (docs/local-schema.md has the full text):
--   UUID        TEXT, canonical lowercase "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx".
--   DECIMAL     TEXT holding the exact decimal string ("-12.345"); never REAL, no exponent.
--   TIMESTAMPTZ TEXT "YYYY-MM-DDTHH:MM:SS.ffffffZ": UTC, always six fractional digits, so text
--               order is time order and PostgreSQL's microseconds round-trip exactly.
--   DATE        TEXT "YYYY-MM-DD".
--   BOOLEAN     INTEGER 0/1.
--   TEXT[], INET[], JSONB: TEXT holding JSON, parsed in C++.
-- The CHECKs guard the shape of ids and timestamps (a wrong form would silently break equality
-- with the server's ids or the time order). They are the cheap kind (GLOB with '?' only, lower()):
-- a character-class GLOB per DECIMAL column made a 1,000,000-row import about twice as slow, so
-- DECIMAL text is validated by the Decimal type that writes it, and each DECIMAL column carries
-- the server's type in a comment. Enumerations and ranges keep the server's CHECKs. VARCHAR(n)
-- lengths and the e-mail format are checked in C++ (SQLite has no regular expressions).
--
-- Every user-owned table has id, row_version (assigned by the server; 0 = not on the server yet),
-- deleted_at (soft delete) and updated_at. A vault holds exactly one user, so no index starts with
-- user_id (every row has the same value there), except the natural key of portfolio_snapshots.
--
-- The server keeps these secrets to itself and they have no column here: users.password_hash,
-- users.two_factor_secret, api_keys.key_hash.

-- Local-only: one row per applied migration, written by the migrator in the migration's own
-- transaction (next to PRAGMA user_version).
CREATE TABLE schema_history (
    version INTEGER PRIMARY KEY CHECK (version >= 1),
    name TEXT NOT NULL,
    checksum TEXT NOT NULL CHECK (length(checksum) = 64), -- SHA-256 of the file's bytes, hex
    applied_at TEXT NOT NULL CHECK (applied_at GLOB '????-??-??T??:??:??.??????Z')
);

-- Local-only: application settings (key/value). Values are text; the C++ side owns their format.
CREATE TABLE settings (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
        CHECK (updated_at GLOB '????-??-??T??:??:??.??????Z')
);

-- ---------------------------------------------------------------------------------------------
-- Core tables
-- ---------------------------------------------------------------------------------------------

-- The signed-in user's own row (no password hash, no two-factor secret).
CREATE TABLE users (
    id TEXT PRIMARY KEY NOT NULL
        CHECK (id GLOB '????????-????-????-????-????????????' AND id = lower(id)),
    email TEXT NOT NULL UNIQUE,
    username TEXT UNIQUE,
    first_name TEXT,
    last_name TEXT,

    subscription_tier TEXT DEFAULT 'free'
        CHECK (subscription_tier IN ('free', 'basic', 'pro', 'enterprise')),
    subscription_status TEXT DEFAULT 'active'
        CHECK (subscription_status IN ('active', 'cancelled', 'expired', 'trial')),
    subscription_started_at TEXT CHECK (subscription_started_at GLOB '????-??-??T??:??:??.??????Z'),
    subscription_expires_at TEXT CHECK (subscription_expires_at GLOB '????-??-??T??:??:??.??????Z'),

    email_verified INTEGER DEFAULT 0 CHECK (email_verified IN (0, 1)),
    email_verified_at TEXT CHECK (email_verified_at GLOB '????-??-??T??:??:??.??????Z'),
    two_factor_enabled INTEGER DEFAULT 0 CHECK (two_factor_enabled IN (0, 1)),

    last_login_at TEXT CHECK (last_login_at GLOB '????-??-??T??:??:??.??????Z'),
    last_activity_at TEXT CHECK (last_activity_at GLOB '????-??-??T??:??:??.??????Z'),
    login_count INTEGER DEFAULT 0,

    is_active INTEGER DEFAULT 1 CHECK (is_active IN (0, 1)),
    is_banned INTEGER DEFAULT 0 CHECK (is_banned IN (0, 1)),
    banned_reason TEXT,
    banned_at TEXT CHECK (banned_at GLOB '????-??-??T??:??:??.??????Z'),

    consent_given_at TEXT CHECK (consent_given_at GLOB '????-??-??T??:??:??.??????Z'),
    consent_version TEXT,
    data_retention_days INTEGER DEFAULT 90,

    created_at TEXT DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
        CHECK (created_at GLOB '????-??-??T??:??:??.??????Z'),
    updated_at TEXT DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
        CHECK (updated_at GLOB '????-??-??T??:??:??.??????Z'),
    deleted_at TEXT CHECK (deleted_at GLOB '????-??-??T??:??:??.??????Z'),
    row_version INTEGER NOT NULL DEFAULT 0 CHECK (row_version >= 0)
);

CREATE TABLE subscriptions (
    id TEXT PRIMARY KEY NOT NULL
        CHECK (id GLOB '????????-????-????-????-????????????' AND id = lower(id)),
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,

    tier TEXT NOT NULL CHECK (tier IN ('free', 'basic', 'pro', 'enterprise')),
    status TEXT NOT NULL CHECK (status IN ('active', 'cancelled', 'expired', 'trial')),

    billing_cycle TEXT CHECK (billing_cycle IN ('monthly', 'yearly')),
    price_usd TEXT, -- DECIMAL(10,2)
    currency TEXT DEFAULT 'USD',

    payment_method TEXT,
    payment_provider_id TEXT,
    payment_provider_customer_id TEXT,

    started_at TEXT NOT NULL CHECK (started_at GLOB '????-??-??T??:??:??.??????Z'),
    expires_at TEXT CHECK (expires_at GLOB '????-??-??T??:??:??.??????Z'),
    cancelled_at TEXT CHECK (cancelled_at GLOB '????-??-??T??:??:??.??????Z'),
    cancellation_reason TEXT,

    auto_renew INTEGER DEFAULT 1 CHECK (auto_renew IN (0, 1)),
    next_billing_date TEXT CHECK (next_billing_date GLOB '????-??-??T??:??:??.??????Z'),

    created_at TEXT DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
        CHECK (created_at GLOB '????-??-??T??:??:??.??????Z'),
    updated_at TEXT DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
        CHECK (updated_at GLOB '????-??-??T??:??:??.??????Z'),
    deleted_at TEXT CHECK (deleted_at GLOB '????-??-??T??:??:??.??????Z'),
    row_version INTEGER NOT NULL DEFAULT 0 CHECK (row_version >= 0)
);

-- Metadata only: the key itself and its hash never leave the server.
CREATE TABLE api_keys (
    id TEXT PRIMARY KEY NOT NULL
        CHECK (id GLOB '????????-????-????-????-????????????' AND id = lower(id)),
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,

    key_prefix TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT,

    scopes TEXT DEFAULT '["read"]', -- JSON array of text
    allowed_ips TEXT,               -- JSON array of text (INET[] on the server)

    rate_limit_per_hour INTEGER DEFAULT 1000,
    rate_limit_per_day INTEGER DEFAULT 10000,

    last_used_at TEXT CHECK (last_used_at GLOB '????-??-??T??:??:??.??????Z'),
    usage_count INTEGER DEFAULT 0,

    is_active INTEGER DEFAULT 1 CHECK (is_active IN (0, 1)),
    expires_at TEXT CHECK (expires_at GLOB '????-??-??T??:??:??.??????Z'),

    created_at TEXT DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
        CHECK (created_at GLOB '????-??-??T??:??:??.??????Z'),
    updated_at TEXT DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
        CHECK (updated_at GLOB '????-??-??T??:??:??.??????Z'),
    revoked_at TEXT CHECK (revoked_at GLOB '????-??-??T??:??:??.??????Z'),
    revoked_reason TEXT,
    deleted_at TEXT CHECK (deleted_at GLOB '????-??-??T??:??:??.??????Z'),
    row_version INTEGER NOT NULL DEFAULT 0 CHECK (row_version >= 0)
);

-- ---------------------------------------------------------------------------------------------
-- EPIC-1: alerts
-- ---------------------------------------------------------------------------------------------

CREATE TABLE alert_rules (
    id TEXT PRIMARY KEY NOT NULL
        CHECK (id GLOB '????????-????-????-????-????????????' AND id = lower(id)),
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,

    name TEXT NOT NULL,
    description TEXT,
    alert_type TEXT NOT NULL CHECK (alert_type IN (
        'price_change', 'tvl_change', 'volume_spike', 'gas_price',
        'portfolio_value', 'security_risk', 'whale_movement', 'new_listing')),

    target_type TEXT NOT NULL,
    target_id TEXT NOT NULL,
    chain_id INTEGER,

    condition_operator TEXT NOT NULL
        CHECK (condition_operator IN ('>', '<', '>=', '<=', '=', '!=')),
    threshold_value TEXT NOT NULL, -- DECIMAL(30,18)
    threshold_type TEXT DEFAULT 'absolute' CHECK (threshold_type IN ('absolute', 'percentage')),
    timeframe_minutes INTEGER DEFAULT 60,

    notification_channels TEXT DEFAULT '["email"]', -- JSON array of text
    webhook_url TEXT,
    telegram_chat_id TEXT,
    discord_webhook_url TEXT,

    cooldown_minutes INTEGER DEFAULT 60,
    max_triggers_per_day INTEGER DEFAULT 10,
    last_triggered_at TEXT CHECK (last_triggered_at GLOB '????-??-??T??:??:??.??????Z'),
    trigger_count_today INTEGER DEFAULT 0,
    trigger_count_total INTEGER DEFAULT 0,

    is_active INTEGER DEFAULT 1 CHECK (is_active IN (0, 1)),
    is_paused INTEGER DEFAULT 0 CHECK (is_paused IN (0, 1)),
    paused_until TEXT CHECK (paused_until GLOB '????-??-??T??:??:??.??????Z'),

    created_at TEXT DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
        CHECK (created_at GLOB '????-??-??T??:??:??.??????Z'),
    updated_at TEXT DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
        CHECK (updated_at GLOB '????-??-??T??:??:??.??????Z'),
    deleted_at TEXT CHECK (deleted_at GLOB '????-??-??T??:??:??.??????Z'),
    row_version INTEGER NOT NULL DEFAULT 0 CHECK (row_version >= 0)
);

-- Server primary key (timestamp, id); here id alone, which is unique anyway.
CREATE TABLE alert_history (
    id TEXT PRIMARY KEY NOT NULL
        CHECK (id GLOB '????????-????-????-????-????????????' AND id = lower(id)),
    alert_rule_id TEXT NOT NULL REFERENCES alert_rules (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,

    triggered_value TEXT NOT NULL, -- DECIMAL(30,18)
    threshold_value TEXT NOT NULL, -- DECIMAL(30,18)
    condition_met TEXT NOT NULL,

    title TEXT NOT NULL,
    message TEXT NOT NULL,
    severity TEXT DEFAULT 'info' CHECK (severity IN ('info', 'warning', 'critical')),

    notification_channels TEXT NOT NULL, -- JSON array of text
    delivery_status TEXT,                -- JSON object
    metadata TEXT,                       -- JSON object

    timestamp TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
        CHECK (timestamp GLOB '????-??-??T??:??:??.??????Z'),
    updated_at TEXT DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
        CHECK (updated_at GLOB '????-??-??T??:??:??.??????Z'),
    deleted_at TEXT CHECK (deleted_at GLOB '????-??-??T??:??:??.??????Z'),
    row_version INTEGER NOT NULL DEFAULT 0 CHECK (row_version >= 0)
);

-- The history of one rule, and the child side of the cascade from alert_rules.
CREATE INDEX idx_alert_history_rule ON alert_history (alert_rule_id, timestamp);
-- The alerts list, newest first.
CREATE INDEX idx_alert_history_timestamp ON alert_history (timestamp);

CREATE TABLE notification_logs (
    id TEXT PRIMARY KEY NOT NULL
        CHECK (id GLOB '????????-????-????-????-????????????' AND id = lower(id)),
    alert_history_id TEXT REFERENCES alert_history (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,

    channel TEXT NOT NULL,
    recipient TEXT NOT NULL,

    subject TEXT,
    body TEXT NOT NULL,

    status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'delivered', 'failed', 'bounced')),
    error_message TEXT,
    retry_count INTEGER DEFAULT 0,

    provider TEXT,
    provider_message_id TEXT,

    sent_at TEXT CHECK (sent_at GLOB '????-??-??T??:??:??.??????Z'),
    delivered_at TEXT CHECK (delivered_at GLOB '????-??-??T??:??:??.??????Z'),
    timestamp TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
        CHECK (timestamp GLOB '????-??-??T??:??:??.??????Z'),
    updated_at TEXT DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
        CHECK (updated_at GLOB '????-??-??T??:??:??.??????Z'),
    deleted_at TEXT CHECK (deleted_at GLOB '????-??-??T??:??:??.??????Z'),
    row_version INTEGER NOT NULL DEFAULT 0 CHECK (row_version >= 0)
);

-- Deliveries of one alert, and the child side of the cascade from alert_history.
CREATE INDEX idx_notification_logs_alert ON notification_logs (alert_history_id);

-- ---------------------------------------------------------------------------------------------
-- EPIC-2: tax
-- ---------------------------------------------------------------------------------------------

-- The transactions table. Its indexes for the transactions view and tax runs are in 003.
CREATE TABLE tax_transactions (
    id TEXT PRIMARY KEY NOT NULL
        CHECK (id GLOB '????????-????-????-????-????????????' AND id = lower(id)),
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,

    transaction_hash TEXT NOT NULL,
    block_number INTEGER NOT NULL,
    chain_id INTEGER NOT NULL,
    timestamp TEXT NOT NULL CHECK (timestamp GLOB '????-??-??T??:??:??.??????Z'),

    transaction_type TEXT NOT NULL CHECK (transaction_type IN (
        'buy', 'sell', 'swap', 'transfer_in', 'transfer_out',
        'staking_reward', 'mining_reward', 'airdrop', 'gift',
        'income', 'expense', 'fee')),

    asset_in_symbol TEXT,
    asset_in_amount TEXT, -- DECIMAL(30,18)
    asset_in_price_usd TEXT, -- DECIMAL(20,8)
    asset_in_value_usd TEXT, -- DECIMAL(20,2)

    asset_out_symbol TEXT,
    asset_out_amount TEXT, -- DECIMAL(30,18)
    asset_out_price_usd TEXT, -- DECIMAL(20,8)
    asset_out_value_usd TEXT, -- DECIMAL(20,2)

    fee_amount TEXT, -- DECIMAL(30,18)
    fee_symbol TEXT,
    fee_value_usd TEXT, -- DECIMAL(20,2)

    cost_basis_method TEXT DEFAULT 'FIFO'
        CHECK (cost_basis_method IN ('FIFO', 'LIFO', 'HIFO', 'Specific')),
    cost_basis_usd TEXT, -- DECIMAL(20,2)
    capital_gain_usd TEXT, -- DECIMAL(20,2)
    holding_period_days INTEGER,
    is_long_term INTEGER CHECK (is_long_term IN (0, 1)),

    tax_category TEXT,
    is_taxable INTEGER DEFAULT 1 CHECK (is_taxable IN (0, 1)),
    notes TEXT,

    -- US rules need the cost basis per wallet from 2025 on.
    wallet TEXT NOT NULL DEFAULT 'default',

    created_at TEXT DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
        CHECK (created_at GLOB '????-??-??T??:??:??.??????Z'),
    updated_at TEXT DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
        CHECK (updated_at GLOB '????-??-??T??:??:??.??????Z'),
    deleted_at TEXT CHECK (deleted_at GLOB '????-??-??T??:??:??.??????Z'),
    row_version INTEGER NOT NULL DEFAULT 0 CHECK (row_version >= 0)
);

CREATE TABLE tax_reports (
    id TEXT PRIMARY KEY NOT NULL
        CHECK (id GLOB '????????-????-????-????-????????????' AND id = lower(id)),
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,

    report_type TEXT NOT NULL CHECK (report_type IN ('annual', 'quarterly', 'custom')),
    tax_year INTEGER NOT NULL,
    country_code TEXT NOT NULL,

    start_date TEXT NOT NULL CHECK (start_date GLOB '????-??-??'),
    end_date TEXT NOT NULL CHECK (end_date GLOB '????-??-??'),

    total_transactions INTEGER DEFAULT 0,
    total_capital_gains_usd TEXT DEFAULT '0', -- DECIMAL(20,2)
    total_capital_losses_usd TEXT DEFAULT '0', -- DECIMAL(20,2)
    net_capital_gains_usd TEXT DEFAULT '0', -- DECIMAL(20,2)
    total_income_usd TEXT DEFAULT '0', -- DECIMAL(20,2)
    total_expenses_usd TEXT DEFAULT '0', -- DECIMAL(20,2)

    long_term_gains_usd TEXT DEFAULT '0', -- DECIMAL(20,2)
    short_term_gains_usd TEXT DEFAULT '0', -- DECIMAL(20,2)

    report_format TEXT CHECK (report_format IN ('PDF', 'CSV', 'TurboTax', 'TaxAct')),
    file_url TEXT,
    file_size_bytes INTEGER,

    status TEXT DEFAULT 'pending'
        CHECK (status IN ('pending', 'processing', 'completed', 'failed')),
    error_message TEXT,

    generated_at TEXT CHECK (generated_at GLOB '????-??-??T??:??:??.??????Z'),
    created_at TEXT DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
        CHECK (created_at GLOB '????-??-??T??:??:??.??????Z'),
    updated_at TEXT DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
        CHECK (updated_at GLOB '????-??-??T??:??:??.??????Z'),
    deleted_at TEXT CHECK (deleted_at GLOB '????-??-??T??:??:??.??????Z'),
    row_version INTEGER NOT NULL DEFAULT 0 CHECK (row_version >= 0)
);

CREATE TABLE cost_basis_lots (
    id TEXT PRIMARY KEY NOT NULL
        CHECK (id GLOB '????????-????-????-????-????????????' AND id = lower(id)),
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,

    asset_symbol TEXT NOT NULL,
    chain_id INTEGER NOT NULL,

    acquired_transaction_id TEXT REFERENCES tax_transactions (id) ON DELETE CASCADE,
    acquired_date TEXT NOT NULL CHECK (acquired_date GLOB '????-??-??T??:??:??.??????Z'),
    acquired_amount TEXT NOT NULL, -- DECIMAL(30,18)
    acquired_price_usd TEXT NOT NULL, -- DECIMAL(20,8)
    cost_basis_usd TEXT NOT NULL, -- DECIMAL(20,2)

    disposed_transaction_id TEXT REFERENCES tax_transactions (id) ON DELETE SET NULL,
    disposed_date TEXT CHECK (disposed_date GLOB '????-??-??T??:??:??.??????Z'),
    disposed_amount TEXT, -- DECIMAL(30,18)
    disposed_price_usd TEXT, -- DECIMAL(20,8)
    proceeds_usd TEXT, -- DECIMAL(20,2)

    remaining_amount TEXT NOT NULL, -- DECIMAL(30,18)
    is_fully_disposed INTEGER DEFAULT 0 CHECK (is_fully_disposed IN (0, 1)),

    wallet TEXT NOT NULL DEFAULT 'default',

    created_at TEXT DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
        CHECK (created_at GLOB '????-??-??T??:??:??.??????Z'),
    updated_at TEXT DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
        CHECK (updated_at GLOB '????-??-??T??:??:??.??????Z'),
    deleted_at TEXT CHECK (deleted_at GLOB '????-??-??T??:??:??.??????Z'),
    row_version INTEGER NOT NULL DEFAULT 0 CHECK (row_version >= 0)
);

-- Child sides of the two foreign keys to tax_transactions: without them, deleting transactions
-- scans every lot once per deleted transaction.
CREATE INDEX idx_cost_basis_lots_acquired ON cost_basis_lots (acquired_transaction_id);
CREATE INDEX idx_cost_basis_lots_disposed ON cost_basis_lots (disposed_transaction_id);

-- ---------------------------------------------------------------------------------------------
-- EPIC-3: portfolio
-- ---------------------------------------------------------------------------------------------

-- The server's natural key (user_id, timestamp) stays unique; its index also serves the
-- value-over-time chart.
CREATE TABLE portfolio_snapshots (
    id TEXT PRIMARY KEY NOT NULL
        CHECK (id GLOB '????????-????-????-????-????????????' AND id = lower(id)),
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,

    total_value_usd TEXT NOT NULL, -- DECIMAL(20,2)
    total_assets INTEGER NOT NULL,
    total_chains INTEGER NOT NULL,
    total_protocols INTEGER NOT NULL,

    daily_pnl_usd TEXT, -- DECIMAL(20,2)
    daily_pnl_percentage TEXT, -- DECIMAL(10,6)
    total_pnl_usd TEXT, -- DECIMAL(20,2)
    total_pnl_percentage TEXT, -- DECIMAL(10,6)

    sharpe_ratio TEXT, -- DECIMAL(10,6)
    max_drawdown TEXT, -- DECIMAL(10,6)
    volatility TEXT, -- DECIMAL(10,6)

    allocation_by_asset_type TEXT, -- JSON object
    allocation_by_chain TEXT,      -- JSON object
    allocation_by_protocol TEXT,   -- JSON object

    snapshot_date TEXT NOT NULL CHECK (snapshot_date GLOB '????-??-??'),
    timestamp TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
        CHECK (timestamp GLOB '????-??-??T??:??:??.??????Z'),
    updated_at TEXT DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
        CHECK (updated_at GLOB '????-??-??T??:??:??.??????Z'),
    deleted_at TEXT CHECK (deleted_at GLOB '????-??-??T??:??:??.??????Z'),
    row_version INTEGER NOT NULL DEFAULT 0 CHECK (row_version >= 0),

    UNIQUE (user_id, timestamp)
);

CREATE TABLE portfolio_assets (
    id TEXT PRIMARY KEY NOT NULL
        CHECK (id GLOB '????????-????-????-????-????????????' AND id = lower(id)),
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,

    asset_type TEXT NOT NULL CHECK (asset_type IN (
        'token', 'nft', 'lp_position', 'staked', 'lending', 'borrowing')),
    asset_symbol TEXT,
    asset_name TEXT,
    asset_address TEXT,
    chain_id INTEGER NOT NULL,

    protocol_name TEXT,
    protocol_address TEXT,

    balance TEXT NOT NULL, -- DECIMAL(30,18)
    balance_usd TEXT NOT NULL, -- DECIMAL(20,2)
    price_usd TEXT, -- DECIMAL(20,8)

    cost_basis_usd TEXT, -- DECIMAL(20,2)
    unrealized_pnl_usd TEXT, -- DECIMAL(20,2)
    unrealized_pnl_percentage TEXT, -- DECIMAL(10,6)

    metadata TEXT, -- JSON object

    first_acquired_at TEXT CHECK (first_acquired_at GLOB '????-??-??T??:??:??.??????Z'),
    last_updated_at TEXT DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
        CHECK (last_updated_at GLOB '????-??-??T??:??:??.??????Z'),
    created_at TEXT DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
        CHECK (created_at GLOB '????-??-??T??:??:??.??????Z'),
    updated_at TEXT DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
        CHECK (updated_at GLOB '????-??-??T??:??:??.??????Z'),
    deleted_at TEXT CHECK (deleted_at GLOB '????-??-??T??:??:??.??????Z'),
    row_version INTEGER NOT NULL DEFAULT 0 CHECK (row_version >= 0)
);

-- ---------------------------------------------------------------------------------------------
-- EPIC-6: dashboards
-- ---------------------------------------------------------------------------------------------

CREATE TABLE dashboards (
    id TEXT PRIMARY KEY NOT NULL
        CHECK (id GLOB '????????-????-????-????-????????????' AND id = lower(id)),
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,

    name TEXT NOT NULL,
    description TEXT,
    is_default INTEGER DEFAULT 0 CHECK (is_default IN (0, 1)),
    is_public INTEGER DEFAULT 0 CHECK (is_public IN (0, 1)),

    layout TEXT NOT NULL,  -- JSON
    widgets TEXT NOT NULL, -- JSON

    share_token TEXT UNIQUE,
    view_count INTEGER DEFAULT 0,

    created_at TEXT DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
        CHECK (created_at GLOB '????-??-??T??:??:??.??????Z'),
    updated_at TEXT DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
        CHECK (updated_at GLOB '????-??-??T??:??:??.??????Z'),
    deleted_at TEXT CHECK (deleted_at GLOB '????-??-??T??:??:??.??????Z'),
    row_version INTEGER NOT NULL DEFAULT 0 CHECK (row_version >= 0)
);

-- ---------------------------------------------------------------------------------------------
-- Reference data (read-only here, pulled from the server, never pushed): no user_id, no
-- row_version, no outbox. Ranges on DECIMAL text are checked through a REAL cast: that is a
-- plausibility check only, the stored value stays the exact text.
-- ---------------------------------------------------------------------------------------------

-- Server key (timestamp, chain_id); here id plus that pair as a unique key, which also serves
-- "the latest predictions of a chain".
CREATE TABLE gas_predictions (
    id TEXT PRIMARY KEY NOT NULL
        CHECK (id GLOB '????????-????-????-????-????????????' AND id = lower(id)),
    chain_id INTEGER NOT NULL,

    predicted_low TEXT NOT NULL, -- DECIMAL(10,2)
    predicted_medium TEXT NOT NULL, -- DECIMAL(10,2)
    predicted_high TEXT NOT NULL, -- DECIMAL(10,2)
    predicted_instant TEXT NOT NULL, -- DECIMAL(10,2)

    actual_gas_price TEXT, -- DECIMAL(10,2)
    prediction_error TEXT, -- DECIMAL(10,2)

    confidence_score TEXT CHECK (CAST(confidence_score AS REAL) BETWEEN 0 AND 1), -- DECIMAL(3,2)
    model_version TEXT,

    pending_transactions INTEGER,
    network_utilization TEXT, -- DECIMAL(5,2)
    block_number INTEGER,

    prediction_for TEXT NOT NULL CHECK (prediction_for GLOB '????-??-??T??:??:??.??????Z'),
    timestamp TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
        CHECK (timestamp GLOB '????-??-??T??:??:??.??????Z'),

    UNIQUE (chain_id, timestamp)
);

CREATE TABLE predictions (
    id TEXT PRIMARY KEY NOT NULL
        CHECK (id GLOB '????????-????-????-????-????????????' AND id = lower(id)),

    prediction_type TEXT NOT NULL CHECK (prediction_type IN (
        'gas_price', 'token_price', 'protocol_tvl', 'market_trend')),
    target_id TEXT NOT NULL,
    chain_id INTEGER,

    predicted_value TEXT NOT NULL, -- DECIMAL(30,18)
    confidence_score TEXT CHECK (CAST(confidence_score AS REAL) BETWEEN 0 AND 1), -- DECIMAL(3,2)
    prediction_horizon_hours INTEGER NOT NULL,

    actual_value TEXT, -- DECIMAL(30,18)
    prediction_error TEXT, -- DECIMAL(30,18)

    model_name TEXT NOT NULL,
    model_version TEXT NOT NULL,

    prediction_for TEXT NOT NULL CHECK (prediction_for GLOB '????-??-??T??:??:??.??????Z'),
    timestamp TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
        CHECK (timestamp GLOB '????-??-??T??:??:??.??????Z')
);

-- "Predictions of this kind for this target over time", what the dashboard widgets ask.
CREATE INDEX idx_predictions_target ON predictions (prediction_type, target_id, timestamp);

CREATE TABLE protocol_health (
    id TEXT PRIMARY KEY NOT NULL
        CHECK (id GLOB '????????-????-????-????-????????????' AND id = lower(id)),
    protocol_id TEXT NOT NULL,
    protocol_name TEXT NOT NULL,
    chain_id INTEGER,

    tvl_usd TEXT, -- DECIMAL(20,2)
    tvl_change_24h_percentage TEXT, -- DECIMAL(10,6)
    volume_24h_usd TEXT, -- DECIMAL(20,2)

    health_score INTEGER CHECK (health_score BETWEEN 0 AND 100),
    risk_level TEXT CHECK (risk_level IN ('low', 'medium', 'high', 'critical')),
    status TEXT CHECK (status IN ('healthy', 'degraded', 'warning', 'critical', 'unknown')),

    anomalies TEXT, -- JSON
    metadata TEXT,  -- JSON

    timestamp TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
        CHECK (timestamp GLOB '????-??-??T??:??:??.??????Z')
);

-- The health history of one protocol.
CREATE INDEX idx_protocol_health_protocol ON protocol_health (protocol_id, timestamp);

-- Prices by asset and time. The key is (asset_symbol, timestamp); WITHOUT ROWID keeps the rows
-- in key order, so "the price of X at or before T" is one seek.
CREATE TABLE prices (
    asset_symbol TEXT NOT NULL,
    chain_id INTEGER,
    price_usd TEXT NOT NULL, -- DECIMAL(30,18)
    source TEXT,
    timestamp TEXT NOT NULL CHECK (timestamp GLOB '????-??-??T??:??:??.??????Z'),
    PRIMARY KEY (asset_symbol, timestamp)
) WITHOUT ROWID;
