-- 0002_core_tables: the design's four core tables (users, subscriptions, api_keys, audit_logs)
-- plus what sign-in and API keys need on the server: login_attempts (failed sign-ins,
-- throttling) and api_key_rate_counters (hourly/daily limits), the functions the server calls
-- before it knows the user (sign-in lookup, API-key authentication, rate limiting, audit
-- events) and the design's encryption helpers.
-- Additions to the design's columns: row_version (sync), deleted_at where missing.

-- ---------------------------------------------------------------------------------------------
-- users
-- ---------------------------------------------------------------------------------------------
CREATE TABLE users (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    email VARCHAR(255) UNIQUE NOT NULL,
    username VARCHAR(100) UNIQUE,
    -- Argon2id encoded string ($argon2id$v=19$m=...,t=...,p=...$salt$hash), never sent to clients.
    password_hash VARCHAR(255),
    first_name VARCHAR(100),
    last_name VARCHAR(100),

    -- Subscription
    subscription_tier VARCHAR(20) DEFAULT 'free' CHECK (subscription_tier IN ('free', 'basic', 'pro', 'enterprise')),
    subscription_status VARCHAR(20) DEFAULT 'active' CHECK (subscription_status IN ('active', 'cancelled', 'expired', 'trial')),
    subscription_started_at TIMESTAMP WITH TIME ZONE,
    subscription_expires_at TIMESTAMP WITH TIME ZONE,

    -- Authentication
    email_verified BOOLEAN DEFAULT false,
    email_verified_at TIMESTAMP WITH TIME ZONE,
    two_factor_enabled BOOLEAN DEFAULT false,
    two_factor_secret VARCHAR(255), -- encrypted (encrypt_api_key), never sent to clients

    -- Activity
    last_login_at TIMESTAMP WITH TIME ZONE,
    last_activity_at TIMESTAMP WITH TIME ZONE,
    login_count INTEGER DEFAULT 0,

    -- Status
    is_active BOOLEAN DEFAULT true,
    is_banned BOOLEAN DEFAULT false,
    banned_reason TEXT,
    banned_at TIMESTAMP WITH TIME ZONE,

    -- Compliance
    consent_given_at TIMESTAMP WITH TIME ZONE,
    consent_version VARCHAR(10),
    data_retention_days INTEGER DEFAULT 90,

    -- Timestamps
    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    deleted_at TIMESTAMP WITH TIME ZONE, -- Soft delete
    row_version BIGINT NOT NULL DEFAULT 1,

    -- Constraints
    CONSTRAINT users_email_check CHECK (email ~* '^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$'),
    CONSTRAINT users_password_hash_check CHECK (
        password_hash ~ '^\$argon2id\$v=19\$m=[0-9]+,t=[0-9]+,p=[0-9]+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$'),
    CONSTRAINT users_login_count_check CHECK (login_count >= 0),
    CONSTRAINT users_data_retention_days_check CHECK (data_retention_days BETWEEN 1 AND 3650)
);

-- Indexes
CREATE INDEX idx_users_email ON users (email) WHERE deleted_at IS NULL;
CREATE INDEX idx_users_username ON users (username) WHERE deleted_at IS NULL;
CREATE INDEX idx_users_subscription ON users (subscription_tier, subscription_expires_at) WHERE is_active = true;
CREATE INDEX idx_users_last_login ON users (last_login_at DESC);
CREATE INDEX idx_users_created ON users (created_at DESC);
-- Sign-in looks emails up case-insensitively, so two accounts must not differ only by case.
CREATE UNIQUE INDEX idx_users_email_lower ON users (lower(email));

SELECT setup_user_table('users', p_owner_column => 'id',
                        p_secret_columns => ARRAY ['password_hash', 'two_factor_secret'],
                        p_quiet_columns => ARRAY ['last_login_at', 'last_activity_at', 'login_count'],
                        p_on_erase => 'anonymize');

-- ---------------------------------------------------------------------------------------------
-- subscriptions
-- ---------------------------------------------------------------------------------------------
CREATE TABLE subscriptions (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,

    -- Subscription details
    tier VARCHAR(20) NOT NULL CHECK (tier IN ('free', 'basic', 'pro', 'enterprise')),
    status VARCHAR(20) NOT NULL CHECK (status IN ('active', 'cancelled', 'expired', 'trial')),

    -- Billing
    billing_cycle VARCHAR(20) CHECK (billing_cycle IN ('monthly', 'yearly')),
    price_usd DECIMAL(10,2) CHECK (price_usd >= 0),
    currency VARCHAR(3) DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),

    -- Payment
    payment_method VARCHAR(50), -- stripe, crypto, etc.
    payment_provider_id VARCHAR(255), -- Stripe subscription ID
    payment_provider_customer_id VARCHAR(255), -- Stripe customer ID

    -- Dates
    started_at TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE,
    cancelled_at TIMESTAMP WITH TIME ZONE,
    cancellation_reason TEXT,

    -- Auto-renewal
    auto_renew BOOLEAN DEFAULT true,
    next_billing_date TIMESTAMP WITH TIME ZONE,

    -- Timestamps
    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    deleted_at TIMESTAMP WITH TIME ZONE,
    row_version BIGINT NOT NULL DEFAULT 1,

    CONSTRAINT subscriptions_dates_check CHECK (expires_at IS NULL OR expires_at >= started_at)
);

-- Indexes
CREATE INDEX idx_subscriptions_user ON subscriptions (user_id, status, expires_at DESC);
CREATE INDEX idx_subscriptions_status ON subscriptions (status, expires_at);
CREATE INDEX idx_subscriptions_provider ON subscriptions (payment_provider_id) WHERE payment_provider_id IS NOT NULL;

-- Billing records are kept after an erasure (accounting duty); they hold no contact data.
SELECT setup_user_table('subscriptions', p_on_erase => 'keep');

-- ---------------------------------------------------------------------------------------------
-- api_keys
-- ---------------------------------------------------------------------------------------------
CREATE TABLE api_keys (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,

    -- API key
    key_hash VARCHAR(255) UNIQUE NOT NULL, -- SHA-256 hash (64 lowercase hex digits)
    key_prefix VARCHAR(10) NOT NULL, -- First 8 chars for identification
    name VARCHAR(255) NOT NULL,
    description TEXT,

    -- Permissions
    scopes TEXT[] DEFAULT ARRAY['read'], -- read, write, admin
    allowed_ips INET[], -- IP whitelist

    -- Rate limiting
    rate_limit_per_hour INTEGER DEFAULT 1000,
    rate_limit_per_day INTEGER DEFAULT 10000,

    -- Usage tracking
    last_used_at TIMESTAMP WITH TIME ZONE,
    usage_count BIGINT DEFAULT 0,

    -- Status
    is_active BOOLEAN DEFAULT true,
    expires_at TIMESTAMP WITH TIME ZONE,

    -- Timestamps
    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    revoked_at TIMESTAMP WITH TIME ZONE,
    revoked_reason TEXT,
    deleted_at TIMESTAMP WITH TIME ZONE,
    row_version BIGINT NOT NULL DEFAULT 1,

    CONSTRAINT api_keys_key_hash_check CHECK (key_hash ~ '^[0-9a-f]{64}$'),
    CONSTRAINT api_keys_key_prefix_check CHECK (char_length(key_prefix) BETWEEN 4 AND 10),
    CONSTRAINT api_keys_scopes_check CHECK (cardinality(scopes) > 0
                                            AND scopes <@ ARRAY['read', 'write', 'admin']::TEXT[]),
    CONSTRAINT api_keys_rate_limits_check CHECK (rate_limit_per_hour > 0 AND rate_limit_per_day > 0),
    CONSTRAINT api_keys_usage_count_check CHECK (usage_count >= 0),
    -- Lets tables keyed by (user_id, api_key_id) point only at the same user's keys.
    CONSTRAINT api_keys_user_id_id_key UNIQUE (user_id, id)
);

-- Indexes
CREATE INDEX idx_api_keys_user ON api_keys (user_id, is_active);
CREATE INDEX idx_api_keys_hash ON api_keys (key_hash) WHERE is_active = true;
CREATE INDEX idx_api_keys_last_used ON api_keys (last_used_at DESC);

SELECT setup_user_table('api_keys', p_secret_columns => ARRAY ['key_hash'],
                        p_quiet_columns => ARRAY ['last_used_at', 'usage_count']);

-- ---------------------------------------------------------------------------------------------
-- audit_logs (time series)
-- ---------------------------------------------------------------------------------------------
SELECT create_time_series_table('audit_logs', $columns$
    id UUID DEFAULT gen_random_uuid(),

    -- Actor
    user_id UUID REFERENCES users(id) ON DELETE SET NULL,
    api_key_id UUID REFERENCES api_keys(id) ON DELETE SET NULL,
    ip_address INET,
    user_agent TEXT,

    -- Action
    action VARCHAR(50) NOT NULL, -- login, logout, create, update, delete, etc.
    resource_type VARCHAR(50) NOT NULL, -- users, alerts, portfolios, etc.
    resource_id UUID,

    -- Details
    changes JSONB, -- Before/after values
    metadata JSONB, -- Additional context

    -- Result
    status VARCHAR(20) NOT NULL CHECK (status IN ('success', 'failure', 'error')),
    error_message TEXT,

    -- Timestamp
    timestamp TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),

    PRIMARY KEY (timestamp, id)
$columns$, 'timestamp', INTERVAL '1 day');

-- Indexes
CREATE INDEX idx_audit_logs_user ON audit_logs (user_id, timestamp DESC);
CREATE INDEX idx_audit_logs_action ON audit_logs (action, timestamp DESC);
CREATE INDEX idx_audit_logs_resource ON audit_logs (resource_type, resource_id, timestamp DESC);
CREATE INDEX idx_audit_logs_status ON audit_logs (status, timestamp DESC) WHERE status = 'failure';

-- Users read their own entries; nobody but SECURITY DEFINER code writes them.
SELECT setup_user_table('audit_logs', p_user_access => 'read_only', p_synced => false,
                        p_audited => false, p_on_erase => 'keep');

-- ---------------------------------------------------------------------------------------------
-- login_attempts: every sign-in attempt, for throttling and the account's security page
-- ---------------------------------------------------------------------------------------------
CREATE TABLE login_attempts (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID REFERENCES users(id) ON DELETE CASCADE, -- NULL when the email is unknown
    email VARCHAR(255) NOT NULL, -- as typed, lower-cased
    ip_address INET,
    user_agent TEXT,
    succeeded BOOLEAN NOT NULL,
    failure_reason VARCHAR(30) CHECK (failure_reason IN (
        'unknown_email', 'bad_password', 'bad_second_factor', 'banned', 'inactive', 'throttled')),
    attempted_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),

    CONSTRAINT login_attempts_reason_check CHECK (succeeded = (failure_reason IS NULL))
);

CREATE INDEX idx_login_attempts_email ON login_attempts (email, attempted_at DESC);
CREATE INDEX idx_login_attempts_ip ON login_attempts (ip_address, attempted_at DESC) WHERE NOT succeeded;
CREATE INDEX idx_login_attempts_user ON login_attempts (user_id, attempted_at DESC);
CREATE INDEX idx_login_attempts_attempted ON login_attempts (attempted_at);

SELECT setup_user_table('login_attempts', p_user_access => 'read_only', p_synced => false,
                        p_audited => false);

-- ---------------------------------------------------------------------------------------------
-- api_key_rate_counters: requests per key per hour and per UTC day
-- ---------------------------------------------------------------------------------------------
CREATE TABLE api_key_rate_counters (
    api_key_id UUID NOT NULL,
    user_id UUID NOT NULL,
    window_kind VARCHAR(4) NOT NULL CHECK (window_kind IN ('hour', 'day')),
    window_start TIMESTAMP WITH TIME ZONE NOT NULL,
    request_count INTEGER NOT NULL DEFAULT 0 CHECK (request_count >= 0),
    PRIMARY KEY (api_key_id, window_kind, window_start),
    FOREIGN KEY (user_id, api_key_id) REFERENCES api_keys (user_id, id) ON DELETE CASCADE
);

CREATE INDEX idx_api_key_rate_counters_window ON api_key_rate_counters (window_start);

SELECT setup_user_table('api_key_rate_counters', p_user_access => 'read_only', p_synced => false,
                        p_audited => false, p_exported => false);

-- ---------------------------------------------------------------------------------------------
-- Functions the server calls before a user is known (SECURITY DEFINER, narrow results)
-- ---------------------------------------------------------------------------------------------

-- Sign-in: the account behind an email (case-insensitive), with what the server needs to
-- verify the password and second factor. Soft-deleted accounts are not found.
CREATE FUNCTION auth_find_user(p_email TEXT)
    RETURNS TABLE (user_id UUID, password_hash VARCHAR, two_factor_enabled BOOLEAN,
                   two_factor_secret VARCHAR, email_verified BOOLEAN, is_active BOOLEAN,
                   is_banned BOOLEAN)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
AS $$
    SELECT u.id, u.password_hash, u.two_factor_enabled, u.two_factor_secret, u.email_verified,
           u.is_active, u.is_banned
    FROM users u
    WHERE lower(u.email) = lower(p_email) AND u.deleted_at IS NULL
$$;

-- Records a sign-in attempt and audits it; a success also updates the user's login counters.
CREATE FUNCTION record_login_attempt(p_email TEXT, p_user_id UUID, p_ip INET, p_user_agent TEXT,
                                     p_succeeded BOOLEAN, p_failure_reason TEXT DEFAULT NULL)
    RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp
AS $$
DECLARE
    known_user UUID := (SELECT id FROM users WHERE id = p_user_id);
BEGIN
    INSERT INTO login_attempts (user_id, email, ip_address, user_agent, succeeded, failure_reason)
    VALUES (known_user, lower(p_email), p_ip, p_user_agent, p_succeeded, p_failure_reason);
    IF p_succeeded AND known_user IS NOT NULL THEN
        UPDATE users
        SET last_login_at = NOW(), last_activity_at = NOW(), login_count = login_count + 1
        WHERE id = known_user;
    END IF;
    INSERT INTO audit_logs (user_id, ip_address, user_agent, action, resource_type, resource_id,
                            metadata, status, timestamp)
    VALUES (known_user, p_ip, p_user_agent, CASE WHEN p_succeeded THEN 'login' ELSE 'login_failed' END,
            'users', known_user, jsonb_strip_nulls(jsonb_build_object('reason', p_failure_reason)),
            CASE WHEN p_succeeded THEN 'success' ELSE 'failure' END, NOW());
END;
$$;

-- Failed attempts within p_window for an email (since its last success) and for an address;
-- the server turns these counts into delays or refusals.
CREATE FUNCTION login_throttle_status(p_email TEXT, p_ip INET,
                                      p_window INTERVAL DEFAULT INTERVAL '15 minutes')
    RETURNS TABLE (email_failures INTEGER, ip_failures INTEGER, last_failure_at TIMESTAMPTZ)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
AS $$
    WITH since AS (
        SELECT GREATEST(NOW() - p_window,
                        COALESCE((SELECT max(a.attempted_at) FROM login_attempts a
                                  WHERE a.email = lower(p_email) AND a.succeeded), '-infinity')) AS t
    )
    SELECT (SELECT count(*)::int FROM login_attempts a, since
            WHERE a.email = lower(p_email) AND NOT a.succeeded AND a.attempted_at > since.t),
           (SELECT count(*)::int FROM login_attempts a
            WHERE a.ip_address = p_ip AND NOT a.succeeded AND a.attempted_at > NOW() - p_window),
           (SELECT max(a.attempted_at) FROM login_attempts a
            WHERE (a.email = lower(p_email) OR a.ip_address = p_ip) AND NOT a.succeeded
              AND a.attempted_at > NOW() - p_window)
$$;

-- API-key authentication: the key behind a SHA-256 hash if it is active, not revoked, not
-- expired, not deleted, and p_ip is allowed.
CREATE FUNCTION api_key_authenticate(p_key_hash TEXT, p_ip INET)
    RETURNS TABLE (api_key_id UUID, user_id UUID, scopes TEXT[], rate_limit_per_hour INTEGER,
                   rate_limit_per_day INTEGER)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
AS $$
    SELECT k.id, k.user_id, k.scopes, k.rate_limit_per_hour, k.rate_limit_per_day
    FROM api_keys k
             JOIN users u ON u.id = k.user_id
    WHERE k.key_hash = p_key_hash
      AND k.is_active AND k.revoked_at IS NULL AND k.deleted_at IS NULL
      AND (k.expires_at IS NULL OR k.expires_at > NOW())
      AND (k.allowed_ips IS NULL OR cardinality(k.allowed_ips) = 0
           OR p_ip <<= ANY (k.allowed_ips))
      AND u.deleted_at IS NULL AND u.is_active AND NOT u.is_banned
$$;

-- Counts one request against a key's hourly and daily windows (UTC) and says whether it is
-- within both limits. Refused requests count too, so hammering a limit does not reset it.
CREATE FUNCTION api_key_consume(p_api_key_id UUID)
    RETURNS TABLE (allowed BOOLEAN, hour_count INTEGER, day_count INTEGER, hour_limit INTEGER,
                   day_limit INTEGER)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp
AS $$
DECLARE
    k RECORD;
    hour_n INTEGER;
    day_n INTEGER;
BEGIN
    UPDATE api_keys SET usage_count = usage_count + 1, last_used_at = NOW()
    WHERE id = p_api_key_id
    RETURNING api_keys.user_id, rate_limit_per_hour, rate_limit_per_day INTO k;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'no_data_found',
            MESSAGE = format('api_key_consume: no API key %s', p_api_key_id);
    END IF;
    INSERT INTO api_key_rate_counters AS c (api_key_id, user_id, window_kind, window_start, request_count)
    VALUES (p_api_key_id, k.user_id, 'hour', date_trunc('hour', NOW()), 1)
    ON CONFLICT (api_key_id, window_kind, window_start)
        DO UPDATE SET request_count = c.request_count + 1
    RETURNING c.request_count INTO hour_n;
    INSERT INTO api_key_rate_counters AS c (api_key_id, user_id, window_kind, window_start, request_count)
    VALUES (p_api_key_id, k.user_id, 'day', date_trunc('day', NOW() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', 1)
    ON CONFLICT (api_key_id, window_kind, window_start)
        DO UPDATE SET request_count = c.request_count + 1
    RETURNING c.request_count INTO day_n;
    RETURN QUERY SELECT hour_n <= k.rate_limit_per_hour AND day_n <= k.rate_limit_per_day,
                        hour_n, day_n, k.rate_limit_per_hour, k.rate_limit_per_day;
END;
$$;

-- Audit entries the server writes itself (logout, password change, export requests...), for
-- the signed-in user of the transaction.
CREATE FUNCTION log_audit_event(p_action TEXT, p_resource_type TEXT, p_resource_id UUID,
                                p_status TEXT, p_error_message TEXT DEFAULT NULL,
                                p_metadata JSONB DEFAULT NULL, p_ip INET DEFAULT NULL,
                                p_user_agent TEXT DEFAULT NULL, p_api_key_id UUID DEFAULT NULL)
    RETURNS void
    LANGUAGE sql SECURITY DEFINER
    SET search_path = public, pg_temp
AS $$
    INSERT INTO audit_logs (user_id, api_key_id, ip_address, user_agent, action, resource_type,
                            resource_id, metadata, status, error_message, timestamp)
    VALUES ((SELECT id FROM users WHERE id = app_current_user_id()),
            (SELECT id FROM api_keys WHERE id = p_api_key_id AND user_id = app_current_user_id()),
            p_ip, p_user_agent, p_action, p_resource_type, p_resource_id, p_metadata, p_status,
            p_error_message, NOW())
$$;

-- ---------------------------------------------------------------------------------------------
-- Column encryption (the design's helpers; used for two_factor_secret and webhook secrets).
-- Fixed: a missing app.encryption_key is an error instead of a silent NULL result.
-- The server passes the key with set_config('app.encryption_key', $1, true) as a bound
-- parameter; never with a literal SET, which statement logging would record.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION app_encryption_key() RETURNS TEXT
    LANGUAGE plpgsql STABLE
AS $$
DECLARE
    k TEXT := NULLIF(current_setting('app.encryption_key', true), '');
BEGIN
    IF k IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
            MESSAGE = 'app.encryption_key is not set in this transaction';
    END IF;
    RETURN k;
END;
$$;

CREATE OR REPLACE FUNCTION encrypt_api_key(api_key TEXT)
RETURNS TEXT AS $$
BEGIN
    RETURN encode(pgp_sym_encrypt(api_key, app_encryption_key()), 'base64');
END;
$$ LANGUAGE plpgsql SET search_path = public, pg_temp;

CREATE OR REPLACE FUNCTION decrypt_api_key(encrypted_key TEXT)
RETURNS TEXT AS $$
BEGIN
    RETURN pgp_sym_decrypt(decode(encrypted_key, 'base64'), app_encryption_key());
END;
$$ LANGUAGE plpgsql SET search_path = public, pg_temp;

GRANT EXECUTE ON FUNCTION auth_find_user(TEXT), record_login_attempt(TEXT, UUID, INET, TEXT, BOOLEAN, TEXT),
    login_throttle_status(TEXT, INET, INTERVAL), api_key_authenticate(TEXT, INET),
    api_key_consume(UUID), log_audit_event(TEXT, TEXT, UUID, TEXT, TEXT, JSONB, INET, TEXT, UUID),
    app_encryption_key(), encrypt_api_key(TEXT), decrypt_api_key(TEXT)
    TO authenticated_users, admin_role;
