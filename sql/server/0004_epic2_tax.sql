-- 0004_epic2_tax: EPIC-2 Tax Reporting (tax_transactions, tax_reports, cost_basis_lots) and
-- lot_selections, which the design lacks: its 'Specific' cost-basis method needs to say which
-- lots (and how much of each) a disposal consumes.
-- tax_transactions is hash-partitioned by user as the design's scaling section shows. Fixed:
-- a partitioned table's primary key must contain the partition key, so the key is
-- (user_id, id) and cost_basis_lots / lot_selections reference (user_id, <transaction id>),
-- which also stops a lot from pointing at another user's transaction.
-- Shared with the desktop mirror: tax_transactions.wallet and cost_basis_lots.wallet (US rules
-- track basis per wallet from 2025), deleted_at and row_version on all of them.

-- ---------------------------------------------------------------------------------------------
-- tax_transactions (hash partitioned by user)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE tax_transactions (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,

    -- Transaction details
    transaction_hash VARCHAR(66) NOT NULL,
    block_number BIGINT NOT NULL CHECK (block_number >= 0),
    chain_id INTEGER NOT NULL,
    timestamp TIMESTAMP WITH TIME ZONE NOT NULL,
    wallet VARCHAR(255) NOT NULL DEFAULT 'default',

    -- Transaction type
    transaction_type VARCHAR(50) NOT NULL CHECK (transaction_type IN (
        'buy', 'sell', 'swap', 'transfer_in', 'transfer_out',
        'staking_reward', 'mining_reward', 'airdrop', 'gift',
        'income', 'expense', 'fee'
    )),

    -- Assets
    asset_in_symbol VARCHAR(20),
    asset_in_amount DECIMAL(30,18) CHECK (asset_in_amount >= 0),
    asset_in_price_usd DECIMAL(20,8) CHECK (asset_in_price_usd >= 0),
    asset_in_value_usd DECIMAL(20,2),

    asset_out_symbol VARCHAR(20),
    asset_out_amount DECIMAL(30,18) CHECK (asset_out_amount >= 0),
    asset_out_price_usd DECIMAL(20,8) CHECK (asset_out_price_usd >= 0),
    asset_out_value_usd DECIMAL(20,2),

    -- Fees
    fee_amount DECIMAL(30,18) CHECK (fee_amount >= 0),
    fee_symbol VARCHAR(20),
    fee_value_usd DECIMAL(20,2),

    -- Tax calculation
    cost_basis_method VARCHAR(20) DEFAULT 'FIFO' CHECK (cost_basis_method IN ('FIFO', 'LIFO', 'HIFO', 'Specific')),
    cost_basis_usd DECIMAL(20,2),
    capital_gain_usd DECIMAL(20,2), -- Proceeds - Cost Basis
    holding_period_days INTEGER CHECK (holding_period_days >= 0),
    is_long_term BOOLEAN, -- >365 days

    -- Classification
    tax_category VARCHAR(50) CHECK (tax_category IN ('capital_gain', 'income', 'expense')),
    is_taxable BOOLEAN DEFAULT true,
    notes TEXT,

    -- Timestamps
    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    deleted_at TIMESTAMP WITH TIME ZONE,
    row_version BIGINT NOT NULL DEFAULT 1,

    PRIMARY KEY (user_id, id)
) PARTITION BY HASH (user_id);

CREATE TABLE tax_transactions_0 PARTITION OF tax_transactions
FOR VALUES WITH (MODULUS 4, REMAINDER 0);

CREATE TABLE tax_transactions_1 PARTITION OF tax_transactions
FOR VALUES WITH (MODULUS 4, REMAINDER 1);

CREATE TABLE tax_transactions_2 PARTITION OF tax_transactions
FOR VALUES WITH (MODULUS 4, REMAINDER 2);

CREATE TABLE tax_transactions_3 PARTITION OF tax_transactions
FOR VALUES WITH (MODULUS 4, REMAINDER 3);

-- Indexes
CREATE INDEX idx_tax_transactions_user ON tax_transactions (user_id, timestamp DESC);
CREATE INDEX idx_tax_transactions_hash ON tax_transactions (transaction_hash);
CREATE INDEX idx_tax_transactions_type ON tax_transactions (transaction_type, timestamp DESC);
-- Fixed: EXTRACT(YEAR FROM timestamptz) depends on the session time zone, so it cannot be
-- indexed; the tax year is taken in UTC.
CREATE INDEX idx_tax_transactions_year ON tax_transactions (user_id, EXTRACT(YEAR FROM (timestamp AT TIME ZONE 'UTC')));

SELECT setup_user_table('tax_transactions');

-- ---------------------------------------------------------------------------------------------
-- tax_reports
-- ---------------------------------------------------------------------------------------------
CREATE TABLE tax_reports (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,

    -- Report details
    report_type VARCHAR(50) NOT NULL CHECK (report_type IN ('annual', 'quarterly', 'custom')),
    tax_year INTEGER NOT NULL CHECK (tax_year BETWEEN 2009 AND 2100),
    country_code VARCHAR(2) NOT NULL CHECK (country_code ~ '^[A-Z]{2}$'), -- US, UK, etc.

    -- Date range
    start_date DATE NOT NULL,
    end_date DATE NOT NULL,

    -- Summary
    total_transactions INTEGER DEFAULT 0 CHECK (total_transactions >= 0),
    total_capital_gains_usd DECIMAL(20,2) DEFAULT 0,
    total_capital_losses_usd DECIMAL(20,2) DEFAULT 0,
    net_capital_gains_usd DECIMAL(20,2) DEFAULT 0,
    total_income_usd DECIMAL(20,2) DEFAULT 0,
    total_expenses_usd DECIMAL(20,2) DEFAULT 0,

    -- Long-term vs Short-term
    long_term_gains_usd DECIMAL(20,2) DEFAULT 0,
    short_term_gains_usd DECIMAL(20,2) DEFAULT 0,

    -- File
    report_format VARCHAR(20) CHECK (report_format IN ('PDF', 'CSV', 'TurboTax', 'TaxAct')),
    file_url VARCHAR(500),
    file_size_bytes BIGINT CHECK (file_size_bytes >= 0),

    -- Status
    status VARCHAR(20) DEFAULT 'pending' CHECK (status IN ('pending', 'processing', 'completed', 'failed')),
    error_message TEXT,

    -- Timestamps
    generated_at TIMESTAMP WITH TIME ZONE,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    deleted_at TIMESTAMP WITH TIME ZONE,
    row_version BIGINT NOT NULL DEFAULT 1,

    CONSTRAINT tax_reports_dates_check CHECK (end_date >= start_date)
);

-- Indexes
CREATE INDEX idx_tax_reports_user ON tax_reports (user_id, tax_year DESC);
CREATE INDEX idx_tax_reports_status ON tax_reports (status, created_at DESC);
CREATE INDEX idx_tax_reports_year ON tax_reports (tax_year, country_code);

SELECT setup_user_table('tax_reports');

-- ---------------------------------------------------------------------------------------------
-- cost_basis_lots
-- ---------------------------------------------------------------------------------------------
CREATE TABLE cost_basis_lots (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,

    -- Asset
    asset_symbol VARCHAR(20) NOT NULL,
    chain_id INTEGER NOT NULL,
    wallet VARCHAR(255) NOT NULL DEFAULT 'default',

    -- Acquisition
    acquired_transaction_id UUID,
    acquired_date TIMESTAMP WITH TIME ZONE NOT NULL,
    acquired_amount DECIMAL(30,18) NOT NULL CHECK (acquired_amount > 0),
    acquired_price_usd DECIMAL(20,8) NOT NULL CHECK (acquired_price_usd >= 0),
    cost_basis_usd DECIMAL(20,2) NOT NULL,

    -- Disposal
    disposed_transaction_id UUID,
    disposed_date TIMESTAMP WITH TIME ZONE,
    disposed_amount DECIMAL(30,18) CHECK (disposed_amount >= 0),
    disposed_price_usd DECIMAL(20,8) CHECK (disposed_price_usd >= 0),
    proceeds_usd DECIMAL(20,2),

    -- Remaining
    remaining_amount DECIMAL(30,18) NOT NULL,
    is_fully_disposed BOOLEAN DEFAULT false,

    -- Timestamps
    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    deleted_at TIMESTAMP WITH TIME ZONE,
    row_version BIGINT NOT NULL DEFAULT 1,

    CONSTRAINT cost_basis_lots_remaining_check CHECK (remaining_amount >= 0 AND remaining_amount <= acquired_amount),
    CONSTRAINT cost_basis_lots_user_id_id_key UNIQUE (user_id, id),
    CONSTRAINT cost_basis_lots_acquired_transaction_fkey FOREIGN KEY (user_id, acquired_transaction_id)
        REFERENCES tax_transactions (user_id, id) ON DELETE CASCADE,
    -- PostgreSQL 15+: SET NULL only the transaction column, not the user_id it shares.
    CONSTRAINT cost_basis_lots_disposed_transaction_fkey FOREIGN KEY (user_id, disposed_transaction_id)
        REFERENCES tax_transactions (user_id, id) ON DELETE SET NULL (disposed_transaction_id)
);

-- Indexes
CREATE INDEX idx_cost_basis_lots_user ON cost_basis_lots (user_id, asset_symbol, acquired_date);
CREATE INDEX idx_cost_basis_lots_remaining ON cost_basis_lots (user_id, asset_symbol, remaining_amount) WHERE remaining_amount > 0;
CREATE INDEX idx_cost_basis_lots_disposed ON cost_basis_lots (disposed_transaction_id) WHERE disposed_transaction_id IS NOT NULL;
CREATE INDEX idx_cost_basis_lots_acquired ON cost_basis_lots (user_id, acquired_transaction_id);

SELECT setup_user_table('cost_basis_lots');

-- ---------------------------------------------------------------------------------------------
-- lot_selections: for 'Specific' identification, which lots a disposal consumes and how much
-- ---------------------------------------------------------------------------------------------
CREATE TABLE lot_selections (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    disposal_transaction_id UUID NOT NULL,
    lot_id UUID NOT NULL,
    amount DECIMAL(30,18) NOT NULL CHECK (amount > 0),

    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    deleted_at TIMESTAMP WITH TIME ZONE,
    row_version BIGINT NOT NULL DEFAULT 1,

    CONSTRAINT lot_selections_disposal_fkey FOREIGN KEY (user_id, disposal_transaction_id)
        REFERENCES tax_transactions (user_id, id) ON DELETE CASCADE,
    CONSTRAINT lot_selections_lot_fkey FOREIGN KEY (user_id, lot_id)
        REFERENCES cost_basis_lots (user_id, id) ON DELETE CASCADE
);

CREATE UNIQUE INDEX idx_lot_selections_pair ON lot_selections (disposal_transaction_id, lot_id) WHERE deleted_at IS NULL;
CREATE INDEX idx_lot_selections_user ON lot_selections (user_id, disposal_transaction_id);
CREATE INDEX idx_lot_selections_lot ON lot_selections (user_id, lot_id);

SELECT setup_user_table('lot_selections');
