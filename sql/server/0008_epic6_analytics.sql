-- 0008_epic6_analytics: EPIC-6 Advanced Analytics (dashboards, predictions) as designed, the
-- shared-link read of a dashboard, and prices (reference data the dashboards chart; its
-- definition is shared with the desktop mirror).
-- Additions: dashboards gets deleted_at (the design lists dashboards among its soft-deleted
-- tables but its DDL has no such column) and row_version.

-- ---------------------------------------------------------------------------------------------
-- dashboards
-- ---------------------------------------------------------------------------------------------
CREATE TABLE dashboards (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,

    -- Dashboard details
    name VARCHAR(255) NOT NULL,
    description TEXT,
    is_default BOOLEAN DEFAULT false,
    is_public BOOLEAN DEFAULT false,

    -- Layout
    layout JSONB NOT NULL, -- Grid layout configuration
    widgets JSONB NOT NULL, -- Widget configurations

    -- Sharing
    share_token VARCHAR(255) UNIQUE,
    view_count INTEGER DEFAULT 0 CHECK (view_count >= 0),

    -- Timestamps
    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    deleted_at TIMESTAMP WITH TIME ZONE,
    row_version BIGINT NOT NULL DEFAULT 1,

    -- Share tokens are capabilities: long and random (e.g. 32 random bytes, base64url).
    CONSTRAINT dashboards_share_token_check CHECK (share_token ~ '^[A-Za-z0-9_-]{32,255}$'),
    CONSTRAINT dashboards_layout_check CHECK (jsonb_typeof(layout) = 'object'),
    CONSTRAINT dashboards_widgets_check CHECK (jsonb_typeof(widgets) = 'array')
);

-- Indexes
CREATE INDEX idx_dashboards_user ON dashboards (user_id, created_at DESC);
CREATE INDEX idx_dashboards_public ON dashboards (is_public, view_count DESC) WHERE is_public = true;
CREATE INDEX idx_dashboards_share ON dashboards (share_token) WHERE share_token IS NOT NULL;
-- At most one default dashboard per user.
CREATE UNIQUE INDEX idx_dashboards_default ON dashboards (user_id) WHERE is_default AND deleted_at IS NULL;

-- view_count moves on every shared view: bookkeeping, not a change to sync.
SELECT setup_user_table('dashboards', p_quiet_columns => ARRAY ['view_count']);

-- Public read of a shared dashboard by its token (no signed-in user): returns it and counts
-- the view. Owner-only columns (user_id, share_token) are not returned.
CREATE FUNCTION dashboard_by_share_token(p_share_token TEXT)
    RETURNS TABLE (id UUID, name VARCHAR, description TEXT, layout JSONB, widgets JSONB,
                   view_count INTEGER, updated_at TIMESTAMPTZ)
    LANGUAGE sql SECURITY DEFINER
    SET search_path = public, pg_temp
AS $$
    UPDATE dashboards d
    SET view_count = d.view_count + 1
    WHERE d.share_token = p_share_token AND d.deleted_at IS NULL
    RETURNING d.id, d.name, d.description, d.layout, d.widgets, d.view_count, d.updated_at
$$;

GRANT EXECUTE ON FUNCTION dashboard_by_share_token(TEXT) TO authenticated_users, admin_role;

-- ---------------------------------------------------------------------------------------------
-- predictions (time series, reference data)
-- ---------------------------------------------------------------------------------------------
SELECT create_time_series_table('predictions', $columns$
    id UUID DEFAULT gen_random_uuid(),

    -- Prediction target
    prediction_type VARCHAR(50) NOT NULL CHECK (prediction_type IN ('gas_price', 'token_price', 'protocol_tvl', 'market_trend')),
    target_id VARCHAR(255) NOT NULL,
    chain_id INTEGER,

    -- Prediction
    predicted_value DECIMAL(30,18) NOT NULL,
    confidence_score DECIMAL(3,2) CHECK (confidence_score >= 0 AND confidence_score <= 1),
    prediction_horizon_hours INTEGER NOT NULL CHECK (prediction_horizon_hours > 0), -- How far into future

    -- Actual (for evaluation)
    actual_value DECIMAL(30,18),
    prediction_error DECIMAL(30,18),

    -- Model
    model_name VARCHAR(100) NOT NULL,
    model_version VARCHAR(10) NOT NULL,

    -- Timestamp
    prediction_for TIMESTAMP WITH TIME ZONE NOT NULL,
    timestamp TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),

    PRIMARY KEY (timestamp, id)
$columns$, 'timestamp', INTERVAL '1 day');

-- Indexes
CREATE INDEX idx_predictions_type ON predictions (prediction_type, target_id, timestamp DESC);
CREATE INDEX idx_predictions_for ON predictions (prediction_for, prediction_type);
CREATE INDEX idx_predictions_model ON predictions (model_name, model_version, timestamp DESC);

SELECT setup_reference_table('predictions');

-- ---------------------------------------------------------------------------------------------
-- prices (time series, reference data; key (asset_symbol, timestamp) shared with the mirror)
-- ---------------------------------------------------------------------------------------------
SELECT create_time_series_table('prices', $columns$
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    asset_symbol VARCHAR(20) NOT NULL,
    chain_id INTEGER,
    price_usd DECIMAL(30,18) NOT NULL CHECK (price_usd >= 0),
    source VARCHAR(50),
    timestamp TIMESTAMP WITH TIME ZONE NOT NULL,

    PRIMARY KEY (asset_symbol, timestamp),
    CONSTRAINT prices_timestamp_id_key UNIQUE (timestamp, id)
$columns$, 'timestamp', INTERVAL '1 day');

-- Indexes
CREATE INDEX idx_prices_time ON prices (timestamp DESC);

SELECT setup_reference_table('prices');
