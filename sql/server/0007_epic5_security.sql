-- 0007_epic5_security: EPIC-5 Security & Risk Management. The design only names its ten
-- tables; they are designed here in its style (UUID keys, DECIMAL money, CHECKed
-- enumerations, JSONB details, descending time indexes, GIN on JSONB that is searched).
--   reference data (read by everyone, written by llamadesk_ingest): security_scans,
--     risk_scores, malicious_contracts, contract_risk_scores, contract_audits,
--     protocol_health (time series; shared with the desktop mirror), protocol_risk_indicators
--   user-owned, synced: wallet_approvals, wallet_security_scores, security_alerts
-- Risk levels use one vocabulary everywhere: low, medium, high, critical.

-- ---------------------------------------------------------------------------------------------
-- security_scans: contract vulnerability scans
-- ---------------------------------------------------------------------------------------------
CREATE TABLE security_scans (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    contract_address VARCHAR(66) NOT NULL,
    chain_id INTEGER NOT NULL,

    -- Scan
    scan_type VARCHAR(20) NOT NULL CHECK (scan_type IN ('static', 'dynamic', 'bytecode', 'full')),
    scanner VARCHAR(50) NOT NULL,
    scanner_version VARCHAR(20),
    status VARCHAR(20) NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'completed', 'failed')),
    -- Who asked for it; results are shared by everyone scanning the same contract.
    requested_by UUID REFERENCES users(id) ON DELETE SET NULL,

    -- Findings
    vulnerabilities JSONB, -- [{id, title, severity, location, description}, ...]
    critical_count INTEGER NOT NULL DEFAULT 0 CHECK (critical_count >= 0),
    high_count INTEGER NOT NULL DEFAULT 0 CHECK (high_count >= 0),
    medium_count INTEGER NOT NULL DEFAULT 0 CHECK (medium_count >= 0),
    low_count INTEGER NOT NULL DEFAULT 0 CHECK (low_count >= 0),
    risk_score INTEGER CHECK (risk_score BETWEEN 0 AND 100),
    error_message TEXT,

    -- Timestamps
    started_at TIMESTAMP WITH TIME ZONE,
    completed_at TIMESTAMP WITH TIME ZONE,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW()
);

-- Indexes
CREATE INDEX idx_security_scans_contract ON security_scans (chain_id, contract_address, created_at DESC);
CREATE INDEX idx_security_scans_status ON security_scans (status, created_at) WHERE status IN ('queued', 'running');
CREATE INDEX idx_security_scans_requested ON security_scans (requested_by) WHERE requested_by IS NOT NULL;
CREATE INDEX idx_security_scans_vulnerabilities ON security_scans USING GIN (vulnerabilities);

SELECT setup_reference_table('security_scans');

-- ---------------------------------------------------------------------------------------------
-- risk_scores: multi-dimensional risk assessments of any target (polymorphic)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE risk_scores (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    target_type VARCHAR(20) NOT NULL CHECK (target_type IN (
        'protocol', 'token', 'contract', 'wallet', 'pool', 'bridge', 'chain')),
    target_id VARCHAR(255) NOT NULL,
    chain_id INTEGER,

    -- Scores: 0 = no risk, 100 = maximal risk
    overall_score INTEGER NOT NULL CHECK (overall_score BETWEEN 0 AND 100),
    risk_level VARCHAR(20) NOT NULL CHECK (risk_level IN ('low', 'medium', 'high', 'critical')),
    smart_contract_score INTEGER CHECK (smart_contract_score BETWEEN 0 AND 100),
    liquidity_score INTEGER CHECK (liquidity_score BETWEEN 0 AND 100),
    centralization_score INTEGER CHECK (centralization_score BETWEEN 0 AND 100),
    market_score INTEGER CHECK (market_score BETWEEN 0 AND 100),
    operational_score INTEGER CHECK (operational_score BETWEEN 0 AND 100),
    factors JSONB, -- what moved each score
    methodology_version VARCHAR(20) NOT NULL,

    -- Validity
    calculated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
    valid_until TIMESTAMP WITH TIME ZONE,

    -- Timestamps
    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),

    CONSTRAINT risk_scores_validity_check CHECK (valid_until IS NULL OR valid_until > calculated_at)
);

-- Indexes
CREATE INDEX idx_risk_scores_target ON risk_scores (target_type, target_id, calculated_at DESC);
CREATE INDEX idx_risk_scores_level ON risk_scores (risk_level, calculated_at DESC) WHERE risk_level IN ('high', 'critical');

SELECT setup_reference_table('risk_scores');

-- ---------------------------------------------------------------------------------------------
-- malicious_contracts: blacklist
-- ---------------------------------------------------------------------------------------------
CREATE TABLE malicious_contracts (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    contract_address VARCHAR(66) NOT NULL,
    chain_id INTEGER NOT NULL,

    category VARCHAR(20) NOT NULL CHECK (category IN (
        'phishing', 'honeypot', 'rug_pull', 'drainer', 'scam_token', 'exploit', 'sanctioned', 'other')),
    severity VARCHAR(20) NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    source VARCHAR(100) NOT NULL, -- feed or analyst that reported it
    evidence JSONB,
    reported_by UUID REFERENCES users(id) ON DELETE SET NULL,
    is_confirmed BOOLEAN NOT NULL DEFAULT false,
    is_active BOOLEAN NOT NULL DEFAULT true,

    first_seen_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
    last_seen_at TIMESTAMP WITH TIME ZONE,

    -- Timestamps
    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),

    CONSTRAINT malicious_contracts_address_key UNIQUE (chain_id, contract_address)
);

-- Indexes
CREATE INDEX idx_malicious_contracts_address ON malicious_contracts (lower(contract_address)) WHERE is_active = true;
CREATE INDEX idx_malicious_contracts_category ON malicious_contracts (category, severity);
CREATE INDEX idx_malicious_contracts_reported ON malicious_contracts (reported_by) WHERE reported_by IS NOT NULL;

SELECT setup_reference_table('malicious_contracts');

-- ---------------------------------------------------------------------------------------------
-- contract_risk_scores: the current risk profile of one contract
-- ---------------------------------------------------------------------------------------------
CREATE TABLE contract_risk_scores (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    contract_address VARCHAR(66) NOT NULL,
    chain_id INTEGER NOT NULL,

    risk_score INTEGER NOT NULL CHECK (risk_score BETWEEN 0 AND 100),
    risk_level VARCHAR(20) NOT NULL CHECK (risk_level IN ('low', 'medium', 'high', 'critical')),

    -- Contract properties
    is_verified_source BOOLEAN,
    is_proxy BOOLEAN,
    is_upgradeable BOOLEAN,
    has_owner_privileges BOOLEAN,
    has_mint_function BOOLEAN,
    has_blacklist_function BOOLEAN,
    holder_concentration DECIMAL(5,4) CHECK (holder_concentration >= 0 AND holder_concentration <= 1), -- top-10 share
    liquidity_locked BOOLEAN,
    audit_count INTEGER NOT NULL DEFAULT 0 CHECK (audit_count >= 0),
    findings JSONB,

    calculated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),

    -- Timestamps
    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),

    CONSTRAINT contract_risk_scores_address_key UNIQUE (chain_id, contract_address)
);

-- Indexes
CREATE INDEX idx_contract_risk_scores_level ON contract_risk_scores (risk_level, risk_score DESC);
CREATE INDEX idx_contract_risk_scores_calculated ON contract_risk_scores (calculated_at DESC);

SELECT setup_reference_table('contract_risk_scores');

-- ---------------------------------------------------------------------------------------------
-- contract_audits: published third-party audits
-- ---------------------------------------------------------------------------------------------
CREATE TABLE contract_audits (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    contract_address VARCHAR(66),
    chain_id INTEGER,
    protocol_id VARCHAR(255), -- an audit may cover a whole protocol

    auditor VARCHAR(255) NOT NULL,
    audit_date DATE NOT NULL,
    report_url VARCHAR(500),
    scope TEXT,
    status VARCHAR(30) NOT NULL CHECK (status IN ('in_progress', 'passed', 'passed_with_issues', 'failed')),
    critical_findings INTEGER NOT NULL DEFAULT 0 CHECK (critical_findings >= 0),
    high_findings INTEGER NOT NULL DEFAULT 0 CHECK (high_findings >= 0),
    medium_findings INTEGER NOT NULL DEFAULT 0 CHECK (medium_findings >= 0),
    low_findings INTEGER NOT NULL DEFAULT 0 CHECK (low_findings >= 0),
    findings_resolved BOOLEAN,
    metadata JSONB,

    -- Timestamps
    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),

    CONSTRAINT contract_audits_target_check CHECK (contract_address IS NOT NULL OR protocol_id IS NOT NULL)
);

-- Indexes
CREATE INDEX idx_contract_audits_contract ON contract_audits (chain_id, contract_address, audit_date DESC);
CREATE INDEX idx_contract_audits_protocol ON contract_audits (protocol_id, audit_date DESC);
CREATE INDEX idx_contract_audits_auditor ON contract_audits (auditor);

SELECT setup_reference_table('contract_audits');

-- ---------------------------------------------------------------------------------------------
-- wallet_approvals (user-owned): token approvals granted by the user's wallets
-- ---------------------------------------------------------------------------------------------
CREATE TABLE wallet_approvals (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    wallet_address VARCHAR(66) NOT NULL,
    chain_id INTEGER NOT NULL,

    -- Approval
    token_address VARCHAR(66) NOT NULL,
    token_symbol VARCHAR(20),
    token_standard VARCHAR(10) NOT NULL DEFAULT 'erc20' CHECK (token_standard IN ('erc20', 'erc721', 'erc1155')),
    spender_address VARCHAR(66) NOT NULL,
    spender_name VARCHAR(255),
    allowance DECIMAL(78,0) CHECK (allowance >= 0), -- raw uint256 units
    is_unlimited BOOLEAN NOT NULL DEFAULT false,
    value_at_risk_usd DECIMAL(20,2) CHECK (value_at_risk_usd >= 0),
    risk_level VARCHAR(20) NOT NULL DEFAULT 'low' CHECK (risk_level IN ('low', 'medium', 'high', 'critical')),

    -- Lifecycle
    approved_at TIMESTAMP WITH TIME ZONE,
    approval_tx_hash VARCHAR(66),
    is_revoked BOOLEAN NOT NULL DEFAULT false,
    revoked_at TIMESTAMP WITH TIME ZONE,
    revoke_tx_hash VARCHAR(66),
    last_checked_at TIMESTAMP WITH TIME ZONE,

    -- Timestamps
    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    deleted_at TIMESTAMP WITH TIME ZONE,
    row_version BIGINT NOT NULL DEFAULT 1,

    CONSTRAINT wallet_approvals_revoked_check CHECK (is_revoked = (revoked_at IS NOT NULL))
);

-- Indexes
CREATE UNIQUE INDEX idx_wallet_approvals_key ON wallet_approvals (user_id, chain_id, wallet_address, token_address, spender_address) WHERE deleted_at IS NULL;
CREATE INDEX idx_wallet_approvals_risky ON wallet_approvals (user_id, risk_level) WHERE NOT is_revoked AND deleted_at IS NULL;
CREATE INDEX idx_wallet_approvals_spender ON wallet_approvals (chain_id, spender_address) WHERE NOT is_revoked;

SELECT setup_user_table('wallet_approvals', p_quiet_columns => ARRAY ['last_checked_at']);

-- ---------------------------------------------------------------------------------------------
-- wallet_security_scores (user-owned): a user's wallet's score over time
-- ---------------------------------------------------------------------------------------------
CREATE TABLE wallet_security_scores (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    wallet_address VARCHAR(66) NOT NULL,
    chain_id INTEGER, -- NULL: across all chains

    -- Score: 100 = safest
    security_score INTEGER NOT NULL CHECK (security_score BETWEEN 0 AND 100),
    risk_level VARCHAR(20) NOT NULL CHECK (risk_level IN ('low', 'medium', 'high', 'critical')),
    unlimited_approvals_count INTEGER NOT NULL DEFAULT 0 CHECK (unlimited_approvals_count >= 0),
    risky_approvals_count INTEGER NOT NULL DEFAULT 0 CHECK (risky_approvals_count >= 0),
    malicious_interactions_count INTEGER NOT NULL DEFAULT 0 CHECK (malicious_interactions_count >= 0),
    total_value_at_risk_usd DECIMAL(20,2) CHECK (total_value_at_risk_usd >= 0),
    factors JSONB,
    recommendations JSONB,

    calculated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),

    -- Timestamps
    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    deleted_at TIMESTAMP WITH TIME ZONE,
    row_version BIGINT NOT NULL DEFAULT 1
);

-- Indexes
CREATE INDEX idx_wallet_security_scores_wallet ON wallet_security_scores (user_id, wallet_address, calculated_at DESC);
CREATE INDEX idx_wallet_security_scores_level ON wallet_security_scores (risk_level, calculated_at DESC) WHERE risk_level IN ('high', 'critical');

SELECT setup_user_table('wallet_security_scores', p_audited => false);

-- ---------------------------------------------------------------------------------------------
-- protocol_health (time series, reference data; definition shared with the desktop mirror)
-- ---------------------------------------------------------------------------------------------
SELECT create_time_series_table('protocol_health', $columns$
    id UUID DEFAULT gen_random_uuid(),
    protocol_id VARCHAR(255) NOT NULL,
    protocol_name VARCHAR(255) NOT NULL,
    chain_id INTEGER,

    tvl_usd DECIMAL(20,2),
    tvl_change_24h_percentage DECIMAL(10,6),
    volume_24h_usd DECIMAL(20,2),
    health_score INTEGER CHECK (health_score BETWEEN 0 AND 100),
    risk_level VARCHAR(20) CHECK (risk_level IN ('low', 'medium', 'high', 'critical')),
    status VARCHAR(20) CHECK (status IN ('healthy', 'degraded', 'warning', 'critical', 'unknown')),
    anomalies JSONB,
    metadata JSONB,

    timestamp TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),

    PRIMARY KEY (timestamp, id)
$columns$, 'timestamp', INTERVAL '1 day');

-- Indexes
CREATE INDEX idx_protocol_health_protocol ON protocol_health (protocol_id, timestamp DESC);
CREATE INDEX idx_protocol_health_status ON protocol_health (status, timestamp DESC) WHERE status IN ('warning', 'critical');

SELECT setup_reference_table('protocol_health');

-- ---------------------------------------------------------------------------------------------
-- protocol_risk_indicators: individual warning signs detected for a protocol
-- ---------------------------------------------------------------------------------------------
CREATE TABLE protocol_risk_indicators (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    protocol_id VARCHAR(255) NOT NULL,
    chain_id INTEGER,

    indicator_type VARCHAR(30) NOT NULL CHECK (indicator_type IN (
        'tvl_drop', 'liquidity_drain', 'unusual_withdrawals', 'oracle_deviation', 'depeg',
        'governance_change', 'admin_key_change', 'contract_upgrade', 'exploit_reported', 'audit_expired')),
    severity VARCHAR(20) NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    value DECIMAL(30,18), -- observed value (e.g. -35.2 for a 35.2% TVL drop)
    threshold DECIMAL(30,18), -- the threshold it crossed
    description TEXT NOT NULL,
    source VARCHAR(100),
    metadata JSONB,

    is_active BOOLEAN NOT NULL DEFAULT true,
    detected_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
    resolved_at TIMESTAMP WITH TIME ZONE,

    -- Timestamps
    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),

    CONSTRAINT protocol_risk_indicators_resolved_check CHECK (resolved_at IS NULL OR resolved_at >= detected_at)
);

-- Indexes
CREATE INDEX idx_protocol_risk_indicators_protocol ON protocol_risk_indicators (protocol_id, detected_at DESC);
CREATE INDEX idx_protocol_risk_indicators_active ON protocol_risk_indicators (severity, detected_at DESC) WHERE is_active = true;

SELECT setup_reference_table('protocol_risk_indicators');

-- ---------------------------------------------------------------------------------------------
-- security_alerts (user-owned): security findings about the user's wallets and positions
-- ---------------------------------------------------------------------------------------------
CREATE TABLE security_alerts (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,

    alert_type VARCHAR(30) NOT NULL CHECK (alert_type IN (
        'malicious_approval', 'risky_contract_interaction', 'protocol_exploit', 'phishing_detected',
        'wallet_score_drop', 'large_outflow', 'protocol_health')),
    severity VARCHAR(20) NOT NULL DEFAULT 'warning' CHECK (severity IN ('info', 'warning', 'critical')),
    wallet_address VARCHAR(66),
    chain_id INTEGER,
    contract_address VARCHAR(66),
    protocol_id VARCHAR(255),

    title VARCHAR(255) NOT NULL,
    message TEXT NOT NULL,
    recommended_action TEXT,
    metadata JSONB,

    -- Status
    is_read BOOLEAN NOT NULL DEFAULT false,
    read_at TIMESTAMP WITH TIME ZONE,
    is_dismissed BOOLEAN NOT NULL DEFAULT false,
    dismissed_at TIMESTAMP WITH TIME ZONE,

    -- Timestamps
    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    deleted_at TIMESTAMP WITH TIME ZONE,
    row_version BIGINT NOT NULL DEFAULT 1
);

-- Indexes
CREATE INDEX idx_security_alerts_user ON security_alerts (user_id, created_at DESC) WHERE deleted_at IS NULL;
CREATE INDEX idx_security_alerts_unread ON security_alerts (user_id, severity) WHERE NOT is_read AND deleted_at IS NULL;

SELECT setup_user_table('security_alerts', p_audited => false);
