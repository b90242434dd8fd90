-- 0005_epic3_portfolio: EPIC-3 Portfolio Management (portfolio_snapshots, portfolio_assets)
-- and the design's materialized view user_portfolio_summary.
-- Fixed from the design: portfolio_snapshots gets its own key (timestamp, id) like the other
-- synced tables and keeps its natural key as UNIQUE (user_id, timestamp); a materialized view
-- cannot have row-level security and holds every user's totals, so clients never read it
-- directly: they read my_portfolio_summary, which filters by the signed-in user. The view
-- ignores soft-deleted assets.

-- ---------------------------------------------------------------------------------------------
-- portfolio_snapshots (time series)
-- ---------------------------------------------------------------------------------------------
SELECT create_time_series_table('portfolio_snapshots', $columns$
    id UUID DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,

    -- Portfolio summary
    total_value_usd DECIMAL(20,2) NOT NULL,
    total_assets INTEGER NOT NULL CHECK (total_assets >= 0),
    total_chains INTEGER NOT NULL CHECK (total_chains >= 0),
    total_protocols INTEGER NOT NULL CHECK (total_protocols >= 0),

    -- Performance
    daily_pnl_usd DECIMAL(20,2),
    daily_pnl_percentage DECIMAL(10,6),
    total_pnl_usd DECIMAL(20,2),
    total_pnl_percentage DECIMAL(10,6),

    -- Risk metrics
    sharpe_ratio DECIMAL(10,6),
    max_drawdown DECIMAL(10,6),
    volatility DECIMAL(10,6) CHECK (volatility >= 0),

    -- Allocation
    allocation_by_asset_type JSONB, -- {tokens: 60%, nfts: 20%, lp: 20%}
    allocation_by_chain JSONB, -- {ethereum: 50%, bsc: 30%, polygon: 20%}
    allocation_by_protocol JSONB, -- {uniswap: 40%, aave: 30%, compound: 30%}

    -- Timestamp
    snapshot_date DATE NOT NULL,
    timestamp TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    deleted_at TIMESTAMP WITH TIME ZONE,
    row_version BIGINT NOT NULL DEFAULT 1,

    PRIMARY KEY (timestamp, id),
    CONSTRAINT portfolio_snapshots_user_id_timestamp_key UNIQUE (user_id, timestamp)
$columns$, 'timestamp', INTERVAL '1 day');

-- Indexes
CREATE INDEX idx_portfolio_snapshots_user ON portfolio_snapshots (user_id, timestamp DESC);
CREATE INDEX idx_portfolio_snapshots_date ON portfolio_snapshots (snapshot_date DESC);
CREATE INDEX idx_portfolio_snapshots_value ON portfolio_snapshots (total_value_usd DESC, timestamp DESC);

SELECT setup_user_table('portfolio_snapshots', p_audited => false);

-- ---------------------------------------------------------------------------------------------
-- portfolio_assets
-- ---------------------------------------------------------------------------------------------
CREATE TABLE portfolio_assets (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,

    -- Asset details
    asset_type VARCHAR(50) NOT NULL CHECK (asset_type IN ('token', 'nft', 'lp_position', 'staked', 'lending', 'borrowing')),
    asset_symbol VARCHAR(20),
    asset_name VARCHAR(255),
    asset_address VARCHAR(66),
    chain_id INTEGER NOT NULL,

    -- Protocol
    protocol_name VARCHAR(255),
    protocol_address VARCHAR(66),

    -- Balance
    balance DECIMAL(30,18) NOT NULL,
    balance_usd DECIMAL(20,2) NOT NULL,
    price_usd DECIMAL(20,8) CHECK (price_usd >= 0),

    -- Cost basis
    cost_basis_usd DECIMAL(20,2),
    unrealized_pnl_usd DECIMAL(20,2),
    unrealized_pnl_percentage DECIMAL(10,6),

    -- Metadata
    metadata JSONB, -- NFT metadata, LP pool info, etc.

    -- Timestamps
    first_acquired_at TIMESTAMP WITH TIME ZONE,
    last_updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    deleted_at TIMESTAMP WITH TIME ZONE,
    row_version BIGINT NOT NULL DEFAULT 1
);

-- Indexes
CREATE INDEX idx_portfolio_assets_user ON portfolio_assets (user_id, balance_usd DESC);
CREATE INDEX idx_portfolio_assets_type ON portfolio_assets (user_id, asset_type);
CREATE INDEX idx_portfolio_assets_chain ON portfolio_assets (user_id, chain_id);
CREATE INDEX idx_portfolio_assets_protocol ON portfolio_assets (user_id, protocol_name);

SELECT setup_user_table('portfolio_assets');

-- ---------------------------------------------------------------------------------------------
-- user_portfolio_summary (refreshed every 5 minutes by 0011 when pg_cron is present)
-- ---------------------------------------------------------------------------------------------
CREATE MATERIALIZED VIEW user_portfolio_summary AS
SELECT
    user_id,
    COUNT(*) as total_assets,
    SUM(balance_usd) as total_value_usd,
    MAX(last_updated_at) as last_updated_at
FROM portfolio_assets
WHERE deleted_at IS NULL
GROUP BY user_id;

-- Unique, so the view can be refreshed CONCURRENTLY (readers are never blocked).
CREATE UNIQUE INDEX idx_user_portfolio_summary_user ON user_portfolio_summary (user_id);

REVOKE ALL ON user_portfolio_summary FROM PUBLIC;
GRANT SELECT ON user_portfolio_summary TO admin_role;

CREATE VIEW my_portfolio_summary WITH (security_barrier) AS
SELECT user_id, total_assets, total_value_usd, last_updated_at
FROM user_portfolio_summary
WHERE user_id = app_current_user_id();

GRANT SELECT ON my_portfolio_summary TO authenticated_users, admin_role;

-- The refresh reads every user's assets: SECURITY DEFINER (the owner reads through the admin
-- policy, FORCE RLS being on).
CREATE FUNCTION refresh_user_portfolio_summary() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp
AS $$
BEGIN
    REFRESH MATERIALIZED VIEW CONCURRENTLY user_portfolio_summary;
END;
$$;

GRANT EXECUTE ON FUNCTION refresh_user_portfolio_summary() TO llamadesk_jobs, admin_role;
