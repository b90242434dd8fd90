-- 003_transaction_indexes: indexes for the transactions view and for tax runs.
--
-- Why: tax_transactions must stay smooth at 1,000,000 rows. The view pages by keyset on
-- (timestamp, id), oldest or newest first, optionally filtered by type, asset, wallet and a date
-- range; tax runs read every transaction in time order. Each index below serves one of those
-- queries as "equality prefix, then (timestamp, id)", so a page is one index range scan that stops
-- after LIMIT rows and never sorts. deleted_at comes last: it does not change the order, but the
-- "deleted_at IS NULL" test runs on the index entry before the row is read, and counts of live
-- rows are answered from the index alone. There is deliberately no index for columns nothing
-- filters on: every index is paid for by every insert of a bulk import.
--
-- Query shapes (keyset: the last row of the previous page is (:ts, :id)):
--   SELECT ... FROM tax_transactions
--    WHERE deleted_at IS NULL [AND transaction_type = :type]
--          [AND timestamp >= :from AND timestamp < :to]
--      AND (timestamp, id) > (:ts, :id)
--    ORDER BY timestamp, id LIMIT :n;      -- "<" and ORDER BY timestamp DESC, id DESC backwards
-- An asset filter matches either side of a trade: run it as two queries, asset_in_symbol = :a and
-- asset_out_symbol = :a AND coalesce(asset_in_symbol, '') <> :a (so no row comes twice), each
-- with its own LIMIT, and merge them.

-- All transactions in time order: the unfiltered view, date ranges, and tax runs.
CREATE INDEX idx_tax_transactions_time ON tax_transactions (timestamp, id, deleted_at);

-- Filter by type (buy, sell, swap, ...).
CREATE INDEX idx_tax_transactions_type
    ON tax_transactions (transaction_type, timestamp, id, deleted_at);

-- Filter by wallet; per-wallet cost basis (US rules from 2025) reads one wallet in time order.
CREATE INDEX idx_tax_transactions_wallet ON tax_transactions (wallet, timestamp, id, deleted_at);

-- Filter by asset, on either side of the trade.
CREATE INDEX idx_tax_transactions_asset_in
    ON tax_transactions (asset_in_symbol, timestamp, id, deleted_at);
CREATE INDEX idx_tax_transactions_asset_out
    ON tax_transactions (asset_out_symbol, timestamp, id, deleted_at);

-- Search by transaction hash, exact or by prefix (transaction_hash >= :p AND
-- transaction_hash < :p_next), and the importer's duplicate check.
CREATE INDEX idx_tax_transactions_hash ON tax_transactions (transaction_hash);
