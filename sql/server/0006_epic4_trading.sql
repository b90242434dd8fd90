-- 0006_epic4_trading: EPIC-4 Gas & Trading Optimization. gas_predictions and trade_routes as
-- designed; the six tables the design only names, in its style: yield_pools, bridges,
-- traders, trader_performance (reference data), bridge_transactions and copy_trades
-- (user-owned, synced). Then the design's materialized view top_traders_leaderboard (which
-- needs traders) and its hourly gas aggregate: a TimescaleDB continuous aggregate when the
-- extension is installed, otherwise a plain materialized view refreshed by a job.
-- Fixed from the design: both views get a unique index so they can be refreshed
-- CONCURRENTLY.

-- ---------------------------------------------------------------------------------------------
-- gas_predictions (time series, reference data)
-- ---------------------------------------------------------------------------------------------
SELECT create_time_series_table('gas_predictions', $columns$
    id UUID DEFAULT gen_random_uuid(),
    chain_id INTEGER NOT NULL,

    -- Predictions (in gwei)
    predicted_low DECIMAL(10,2) NOT NULL,
    predicted_medium DECIMAL(10,2) NOT NULL,
    predicted_high DECIMAL(10,2) NOT NULL,
    predicted_instant DECIMAL(10,2) NOT NULL,

    -- Actual (for model evaluation)
    actual_gas_price DECIMAL(10,2) CHECK (actual_gas_price >= 0),
    prediction_error DECIMAL(10,2) CHECK (prediction_error >= 0), -- |predicted - actual|

    -- Confidence
    confidence_score DECIMAL(3,2) CHECK (confidence_score >= 0 AND confidence_score <= 1),
    model_version VARCHAR(10),

    -- Network state
    pending_transactions INTEGER CHECK (pending_transactions >= 0),
    network_utilization DECIMAL(5,2) CHECK (network_utilization BETWEEN 0 AND 100), -- Percentage
    block_number BIGINT CHECK (block_number >= 0),

    -- Timestamp
    prediction_for TIMESTAMP WITH TIME ZONE NOT NULL, -- Future timestamp
    timestamp TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),

    PRIMARY KEY (timestamp, chain_id),
    CONSTRAINT gas_predictions_order_check CHECK (
        predicted_low >= 0 AND predicted_low <= predicted_medium
        AND predicted_medium <= predicted_high AND predicted_high <= predicted_instant)
$columns$, 'timestamp', INTERVAL '1 hour');

-- Indexes
CREATE INDEX idx_gas_predictions_chain ON gas_predictions (chain_id, timestamp DESC);
CREATE INDEX idx_gas_predictions_for ON gas_predictions (prediction_for, chain_id);
CREATE INDEX idx_gas_predictions_error ON gas_predictions (prediction_error DESC) WHERE actual_gas_price IS NOT NULL;

SELECT setup_reference_table('gas_predictions');

-- ---------------------------------------------------------------------------------------------
-- trade_routes (reference data: quotes, shared between users)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE trade_routes (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),

    -- Trade details
    token_in_address VARCHAR(66) NOT NULL,
    token_out_address VARCHAR(66) NOT NULL,
    amount_in DECIMAL(30,18) NOT NULL CHECK (amount_in > 0),
    chain_id INTEGER NOT NULL,

    -- Route
    route_path JSONB NOT NULL, -- [{dex: 'Uniswap', pool: '0x...', percentage: 50}, ...]
    dex_count INTEGER NOT NULL CHECK (dex_count >= 1),
    hop_count INTEGER NOT NULL CHECK (hop_count >= 1),

    -- Pricing
    amount_out DECIMAL(30,18) NOT NULL CHECK (amount_out >= 0),
    price_impact DECIMAL(10,6),
    slippage_tolerance DECIMAL(5,2) DEFAULT 0.5 CHECK (slippage_tolerance BETWEEN 0 AND 100),

    -- Fees
    gas_estimate BIGINT CHECK (gas_estimate >= 0),
    gas_cost_usd DECIMAL(10,2),
    protocol_fees_usd DECIMAL(10,2),
    total_cost_usd DECIMAL(10,2),

    -- Execution
    is_executed BOOLEAN DEFAULT false,
    transaction_hash VARCHAR(66),
    executed_at TIMESTAMP WITH TIME ZONE,

    -- Timestamps
    expires_at TIMESTAMP WITH TIME ZONE DEFAULT (NOW() + INTERVAL '5 minutes'),
    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),

    CONSTRAINT trade_routes_tokens_check CHECK (lower(token_in_address) <> lower(token_out_address))
);

-- Indexes
CREATE INDEX idx_trade_routes_tokens ON trade_routes (token_in_address, token_out_address, chain_id, created_at DESC);
CREATE INDEX idx_trade_routes_executed ON trade_routes (is_executed, created_at DESC);
CREATE INDEX idx_trade_routes_expires ON trade_routes (expires_at) WHERE is_executed = false;

SELECT setup_reference_table('trade_routes');

-- ---------------------------------------------------------------------------------------------
-- yield_pools (reference data: current state of each pool)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE yield_pools (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    pool_id VARCHAR(255) UNIQUE NOT NULL, -- upstream pool identifier
    protocol_id VARCHAR(255) NOT NULL,
    protocol_name VARCHAR(255) NOT NULL,
    chain_id INTEGER NOT NULL,

    -- Pool
    symbol VARCHAR(100) NOT NULL,
    pool_address VARCHAR(66),
    underlying_tokens TEXT[],
    pool_type VARCHAR(20) NOT NULL CHECK (pool_type IN ('lending', 'dex_lp', 'staking', 'vault', 'farm', 'other')),
    exposure VARCHAR(10) CHECK (exposure IN ('single', 'multi')),
    is_stablecoin BOOLEAN DEFAULT false,

    -- Yield (percent per year)
    tvl_usd DECIMAL(20,2) CHECK (tvl_usd >= 0),
    apy DECIMAL(14,6),
    apy_base DECIMAL(14,6),
    apy_reward DECIMAL(14,6),
    apy_mean_30d DECIMAL(14,6),
    reward_tokens TEXT[],

    -- Risk
    il_risk VARCHAR(10) CHECK (il_risk IN ('none', 'low', 'medium', 'high')),
    risk_score INTEGER CHECK (risk_score BETWEEN 0 AND 100),

    metadata JSONB,
    is_active BOOLEAN DEFAULT true,

    -- Timestamps
    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW()
);

-- Indexes
CREATE INDEX idx_yield_pools_chain ON yield_pools (chain_id, apy DESC) WHERE is_active = true;
CREATE INDEX idx_yield_pools_protocol ON yield_pools (protocol_id, chain_id);
CREATE INDEX idx_yield_pools_tvl ON yield_pools (tvl_usd DESC) WHERE is_active = true;
CREATE INDEX idx_yield_pools_metadata ON yield_pools USING GIN (metadata);

SELECT setup_reference_table('yield_pools');

-- ---------------------------------------------------------------------------------------------
-- bridges (reference data)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE bridges (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    bridge_key VARCHAR(100) UNIQUE NOT NULL, -- stable slug: 'stargate', 'across', ...
    name VARCHAR(255) NOT NULL,
    bridge_type VARCHAR(20) NOT NULL CHECK (bridge_type IN (
        'lock_mint', 'burn_mint', 'liquidity', 'native', 'optimistic', 'zk')),
    supported_chains INTEGER[] NOT NULL CHECK (cardinality(supported_chains) >= 2),

    -- Cost and speed
    fee_percentage DECIMAL(10,6) CHECK (fee_percentage BETWEEN 0 AND 100),
    avg_completion_minutes INTEGER CHECK (avg_completion_minutes >= 0),

    -- Size and safety
    tvl_usd DECIMAL(20,2) CHECK (tvl_usd >= 0),
    volume_24h_usd DECIMAL(20,2) CHECK (volume_24h_usd >= 0),
    security_score INTEGER CHECK (security_score BETWEEN 0 AND 100),
    is_audited BOOLEAN DEFAULT false,

    website_url VARCHAR(500),
    metadata JSONB,
    is_active BOOLEAN DEFAULT true,

    -- Timestamps
    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW()
);

-- Indexes
CREATE INDEX idx_bridges_active ON bridges (is_active) WHERE is_active = true;
CREATE INDEX idx_bridges_chains ON bridges USING GIN (supported_chains);

SELECT setup_reference_table('bridges');

-- ---------------------------------------------------------------------------------------------
-- bridge_transactions (user-owned: a user's cross-chain transfers)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE bridge_transactions (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    bridge_id UUID REFERENCES bridges(id) ON DELETE SET NULL,

    -- Route
    source_chain_id INTEGER NOT NULL,
    destination_chain_id INTEGER NOT NULL,
    token_address VARCHAR(66),
    token_symbol VARCHAR(20) NOT NULL,
    sender_address VARCHAR(66) NOT NULL,
    recipient_address VARCHAR(66) NOT NULL,

    -- Amounts
    amount DECIMAL(30,18) NOT NULL CHECK (amount > 0),
    amount_usd DECIMAL(20,2),
    amount_received DECIMAL(30,18) CHECK (amount_received >= 0),
    fee_usd DECIMAL(20,2) CHECK (fee_usd >= 0),

    -- Execution
    source_tx_hash VARCHAR(66),
    destination_tx_hash VARCHAR(66),
    status VARCHAR(20) NOT NULL DEFAULT 'pending' CHECK (status IN (
        'pending', 'confirmed', 'completed', 'failed', 'refunded')),
    error_message TEXT,
    initiated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
    completed_at TIMESTAMP WITH TIME ZONE,

    metadata JSONB,

    -- Timestamps
    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    deleted_at TIMESTAMP WITH TIME ZONE,
    row_version BIGINT NOT NULL DEFAULT 1,

    CONSTRAINT bridge_transactions_chains_check CHECK (source_chain_id <> destination_chain_id),
    CONSTRAINT bridge_transactions_completed_check CHECK (completed_at IS NULL OR completed_at >= initiated_at)
);

-- Indexes
CREATE INDEX idx_bridge_transactions_user ON bridge_transactions (user_id, initiated_at DESC) WHERE deleted_at IS NULL;
CREATE INDEX idx_bridge_transactions_status ON bridge_transactions (status, initiated_at) WHERE status IN ('pending', 'confirmed');
CREATE INDEX idx_bridge_transactions_source_tx ON bridge_transactions (source_tx_hash) WHERE source_tx_hash IS NOT NULL;
CREATE INDEX idx_bridge_transactions_bridge ON bridge_transactions (bridge_id);

SELECT setup_user_table('bridge_transactions');

-- ---------------------------------------------------------------------------------------------
-- traders (reference data: public on-chain traders users can follow and copy)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE traders (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    wallet_address VARCHAR(66) NOT NULL,
    chain_id INTEGER NOT NULL,
    display_name VARCHAR(100),

    -- Track record
    total_pnl_usd DECIMAL(20,2) NOT NULL DEFAULT 0,
    win_rate DECIMAL(5,4) CHECK (win_rate >= 0 AND win_rate <= 1),
    total_trades INTEGER NOT NULL DEFAULT 0 CHECK (total_trades >= 0),
    total_volume_usd DECIMAL(20,2) CHECK (total_volume_usd >= 0),
    avg_holding_hours DECIMAL(10,2) CHECK (avg_holding_hours >= 0),
    risk_level VARCHAR(20) CHECK (risk_level IN ('low', 'medium', 'high', 'critical')),
    follower_count INTEGER NOT NULL DEFAULT 0 CHECK (follower_count >= 0),

    -- Status
    is_verified BOOLEAN DEFAULT false,
    is_active BOOLEAN DEFAULT true,
    first_seen_at TIMESTAMP WITH TIME ZONE,
    last_trade_at TIMESTAMP WITH TIME ZONE,

    metadata JSONB,

    -- Timestamps
    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),

    CONSTRAINT traders_wallet_chain_key UNIQUE (wallet_address, chain_id)
);

-- Indexes
CREATE INDEX idx_traders_pnl ON traders (total_pnl_usd DESC) WHERE is_active = true;
CREATE INDEX idx_traders_followers ON traders (follower_count DESC) WHERE is_active = true;
CREATE INDEX idx_traders_last_trade ON traders (last_trade_at DESC);

SELECT setup_reference_table('traders');

-- ---------------------------------------------------------------------------------------------
-- trader_performance (time series, reference data: a trader's figures per period)
-- ---------------------------------------------------------------------------------------------
SELECT create_time_series_table('trader_performance', $columns$
    id UUID DEFAULT gen_random_uuid(),
    trader_id UUID NOT NULL REFERENCES traders(id) ON DELETE CASCADE,
    period VARCHAR(10) NOT NULL CHECK (period IN ('1d', '7d', '30d', '90d', 'all')),

    pnl_usd DECIMAL(20,2) NOT NULL,
    pnl_percentage DECIMAL(14,6),
    roi DECIMAL(14,6),
    win_rate DECIMAL(5,4) CHECK (win_rate >= 0 AND win_rate <= 1),
    trades_count INTEGER NOT NULL DEFAULT 0 CHECK (trades_count >= 0),
    volume_usd DECIMAL(20,2) CHECK (volume_usd >= 0),
    sharpe_ratio DECIMAL(10,6),
    max_drawdown DECIMAL(10,6),

    timestamp TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),

    PRIMARY KEY (timestamp, id)
$columns$, 'timestamp', INTERVAL '7 days');

-- Indexes
CREATE INDEX idx_trader_performance_trader ON trader_performance (trader_id, period, timestamp DESC);
CREATE INDEX idx_trader_performance_pnl ON trader_performance (period, pnl_usd DESC, timestamp DESC);

SELECT setup_reference_table('trader_performance');

-- ---------------------------------------------------------------------------------------------
-- copy_trades (user-owned: trades a user mirrored from a trader)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE copy_trades (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    trader_id UUID NOT NULL REFERENCES traders(id) ON DELETE RESTRICT,

    -- The trade copied
    source_tx_hash VARCHAR(66) NOT NULL,
    chain_id INTEGER NOT NULL,
    token_in_address VARCHAR(66) NOT NULL,
    token_in_symbol VARCHAR(20),
    token_out_address VARCHAR(66) NOT NULL,
    token_out_symbol VARCHAR(20),

    -- Sizing
    copy_ratio DECIMAL(10,6) NOT NULL CHECK (copy_ratio > 0 AND copy_ratio <= 1),
    max_amount_usd DECIMAL(20,2) CHECK (max_amount_usd > 0),
    amount_in DECIMAL(30,18) CHECK (amount_in >= 0),
    amount_out DECIMAL(30,18) CHECK (amount_out >= 0),

    -- Execution
    status VARCHAR(20) NOT NULL DEFAULT 'pending' CHECK (status IN (
        'pending', 'executed', 'failed', 'cancelled', 'skipped')),
    executed_tx_hash VARCHAR(66),
    executed_at TIMESTAMP WITH TIME ZONE,
    slippage_percentage DECIMAL(10,6),
    gas_cost_usd DECIMAL(10,2) CHECK (gas_cost_usd >= 0),
    pnl_usd DECIMAL(20,2),
    error_message TEXT,

    metadata JSONB,

    -- Timestamps
    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    deleted_at TIMESTAMP WITH TIME ZONE,
    row_version BIGINT NOT NULL DEFAULT 1
);

-- Indexes
CREATE INDEX idx_copy_trades_user ON copy_trades (user_id, created_at DESC) WHERE deleted_at IS NULL;
CREATE INDEX idx_copy_trades_trader ON copy_trades (trader_id, created_at DESC);
CREATE INDEX idx_copy_trades_status ON copy_trades (status, created_at) WHERE status = 'pending';

SELECT setup_user_table('copy_trades');

-- ---------------------------------------------------------------------------------------------
-- top_traders_leaderboard (the design's; refreshed hourly by 0011)
-- ---------------------------------------------------------------------------------------------
CREATE MATERIALIZED VIEW top_traders_leaderboard AS
SELECT
    t.id,
    t.wallet_address,
    t.total_pnl_usd,
    t.win_rate,
    t.follower_count,
    ROW_NUMBER() OVER (ORDER BY t.total_pnl_usd DESC) as rank
FROM traders t
WHERE t.is_active = true
ORDER BY t.total_pnl_usd DESC
LIMIT 100;

CREATE UNIQUE INDEX idx_top_traders_leaderboard_id ON top_traders_leaderboard (id);
CREATE INDEX idx_top_traders_leaderboard_rank ON top_traders_leaderboard (rank);

REVOKE ALL ON top_traders_leaderboard FROM PUBLIC;
GRANT SELECT ON top_traders_leaderboard TO authenticated_users, admin_role;

CREATE FUNCTION refresh_top_traders_leaderboard() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp
AS $$
BEGIN
    REFRESH MATERIALIZED VIEW CONCURRENTLY top_traders_leaderboard;
END;
$$;

GRANT EXECUTE ON FUNCTION refresh_top_traders_leaderboard() TO llamadesk_jobs, admin_role;

-- ---------------------------------------------------------------------------------------------
-- gas_price_hourly: the design's continuous aggregate, or its native equivalent
-- ---------------------------------------------------------------------------------------------
DO $$
BEGIN
    IF extension_installed('timescaledb') THEN
        EXECUTE $sql$
            CREATE MATERIALIZED VIEW gas_price_hourly
            WITH (timescaledb.continuous) AS
            SELECT
                time_bucket('1 hour', timestamp) AS hour,
                chain_id,
                AVG(predicted_medium) as avg_gas_price,
                MIN(predicted_low) as min_gas_price,
                MAX(predicted_high) as max_gas_price
            FROM gas_predictions
            GROUP BY hour, chain_id
        $sql$;
        PERFORM add_continuous_aggregate_policy('gas_price_hourly',
            start_offset => INTERVAL '3 hours',
            end_offset => INTERVAL '1 hour',
            schedule_interval => INTERVAL '1 hour');
    ELSE
        EXECUTE $sql$
            CREATE MATERIALIZED VIEW gas_price_hourly AS
            SELECT
                date_trunc('hour', timestamp, 'UTC') AS hour,
                chain_id,
                AVG(predicted_medium) as avg_gas_price,
                MIN(predicted_low) as min_gas_price,
                MAX(predicted_high) as max_gas_price
            FROM gas_predictions
            GROUP BY 1, chain_id
        $sql$;
        CREATE UNIQUE INDEX idx_gas_price_hourly_key ON gas_price_hourly (hour, chain_id);
    END IF;
END
$$;

REVOKE ALL ON gas_price_hourly FROM PUBLIC;
GRANT SELECT ON gas_price_hourly TO authenticated_users, admin_role;

-- A no-op under TimescaleDB, whose policy refreshes the continuous aggregate itself.
CREATE FUNCTION refresh_gas_price_hourly() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp
AS $$
BEGIN
    IF NOT extension_installed('timescaledb') THEN
        REFRESH MATERIALIZED VIEW CONCURRENTLY gas_price_hourly;
    END IF;
END;
$$;

GRANT EXECUTE ON FUNCTION refresh_gas_price_hourly() TO llamadesk_jobs, admin_role;
