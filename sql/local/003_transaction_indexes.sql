-- 003_transaction_indexes: indexes for the transactions view and for tax runs.
--
-- Why: tax_transactions must stay smooth at 1,000,000 rows. The view pages by keyset on
-- (timestamp, id), newest or oldest first, optionally filtered by type, asset, wallet and a date
-- range; tax runs read every transaction in time order. Each index below serves one of those
-- queries as "equality prefix, then (timestamp, id)", so a page is one index range scan that stops
-- after LIMIT rows and never sorts. There is deliberately no index for columns nothing filters on:
-- every index is paid for by every insert of a bulk import.
--
-- Query shapes (keyset: the last row of the previous page is (:ts, :id)):
--   SELECT ... FROM tax_transactions
--    WHERE deleted_at IS NULL [AND transaction_type = :type] [AND timestamp >= :from AND timestamp < :to]
--      AND (timestamp, id) > (:ts, :id)
--    ORDER BY timestamp, id LIMIT :n;             -- (and "<" with ORDER BY ... DESC for newest first)
-- An asset filter matches either side of a trade: run it as the UNION ALL of the asset_in and the
-- asset_out queries, each with its own LIMIT, and merge (a swap of X for X counted twice is
-- impossible: both sides are the same row, so dedupe on id).

-- All transactions in time order: the unfiltered view, date ranges, and tax runs.
CREATE INDEX idx_tax_transactions_time ON tax_transactions (timestamp, id);

-- Filter by type (buy, sell, swap, ...).
CREATE INDEX idx_tax_transactions_type ON tax_transactions (transaction_type, timestamp, id);

-- Filter by wallet; per-wallet cost basis (US rules from 2025) reads one wallet in time order.
CREATE INDEX idx_tax_transactions_wallet ON tax_transactions (wallet, timestamp, id);

-- Filter by asset, on either side of the trade.
CREATE INDEX idx_tax_transactions_asset_in ON tax_transactions (asset_in_symbol, timestamp, id);
CREATE INDEX idx_tax_transactions_asset_out ON tax_transactions (asset_out_symbol, timestamp, id);

-- Search by transaction hash (exact or prefix: transaction_hash >= :p AND transaction_hash < :p_end,
-- or GLOB ':p*'), and the importer's duplicate check.
CREATE INDEX idx_tax_transactions_hash ON tax_transactions (transaction_hash);
