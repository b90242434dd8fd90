-- 004_tax_state: exact tax checkpoints and the watermark of ledger changes since the last tax run.
--
-- Why: a tax run over a large vault should not start from the beginning of time after every edit.
-- cost_basis_lots keeps the seed's rounded columns (cost basis in cents, price in 8 digits) for
-- display and sync, which cannot restore the engine's exact state (18 fractional digits, HIFO
-- order keys, UK pools and days waiting for their 30 days, pending transfer moves). This table
-- keeps that exact state (the engine's LotState, docs/tax-engine.md) at chosen instants, so that
-- a run can resume from the latest one that predates every change.
--
-- Local-only (no sync triggers): a checkpoint is a cache derived from tax_transactions, rebuilt
-- by the next run when missing.
CREATE TABLE tax_checkpoints (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- Digest of the options that shape the state (jurisdiction, method, scope, time zone,
    -- currency, fiat list, transfer window, lot selections); the period does not.
    settings_key TEXT NOT NULL CHECK (length(settings_key) = 64),
    at TEXT NOT NULL CHECK (at GLOB '????-??-??T??:??:??.??????Z'),
    -- A change at T invalidates the checkpoints later than T minus this window (transfer pairing
    -- looks that far around a row).
    transfer_window_seconds INTEGER NOT NULL CHECK (transfer_window_seconds >= 0),
    -- The versioned, compressed binary LotState (core/tax/persist/LotStateCodec), stored as a
    -- BLOB value: TEXT affinity leaves blobs as they are, and every column stays TEXT or INTEGER.
    state TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
        CHECK (created_at GLOB '????-??-??T??:??:??.??????Z'),
    PRIMARY KEY (user_id, settings_key, at)
) WITHOUT ROWID;

-- One row: the earliest transaction instant touched by any write since the checkpoints were last
-- brought up to date (NULL: none), and a counter of such writes (a run that saw N changes clears
-- the watermark only when no write came in meanwhile). Written by the triggers below, in the same
-- transaction as the write itself, so no change can be missed, whoever makes it (the app, an
-- import, sync applying the server's changes).
CREATE TABLE tax_ledger_changes (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    changed_from TEXT CHECK (changed_from GLOB '????-??-??T??:??:??.??????Z'),
    changes INTEGER NOT NULL DEFAULT 0 CHECK (changes >= 0)
);
INSERT INTO tax_ledger_changes (id, changed_from, changes) VALUES (1, NULL, 0);

CREATE TRIGGER tax_ledger_changes_keep_row BEFORE DELETE ON tax_ledger_changes
BEGIN
    SELECT RAISE(ABORT, 'tax_ledger_changes must keep its row');
END;

CREATE TRIGGER tax_transactions_tax_state_insert AFTER INSERT ON tax_transactions
BEGIN
    UPDATE tax_ledger_changes
       SET changes = changes + 1,
           changed_from = CASE WHEN changed_from IS NULL OR changed_from > NEW.timestamp
                               THEN NEW.timestamp ELSE changed_from END
     WHERE id = 1;
END;

-- An update can move a row in time: both its old and its new instant are affected. Only the
-- columns a tax run reads count (sync acknowledging a push only changes row_version).
CREATE TRIGGER tax_transactions_tax_state_update AFTER UPDATE OF
    id, user_id, wallet, transaction_hash, timestamp, transaction_type,
    asset_in_symbol, asset_in_amount, asset_in_price_usd, asset_in_value_usd,
    asset_out_symbol, asset_out_amount, asset_out_price_usd, asset_out_value_usd,
    fee_amount, fee_symbol, fee_value_usd, cost_basis_usd, deleted_at
    ON tax_transactions
BEGIN
    UPDATE tax_ledger_changes
       SET changes = changes + 1,
           changed_from = min(coalesce(changed_from, OLD.timestamp), OLD.timestamp, NEW.timestamp)
     WHERE id = 1;
END;

CREATE TRIGGER tax_transactions_tax_state_delete AFTER DELETE ON tax_transactions
BEGIN
    UPDATE tax_ledger_changes
       SET changes = changes + 1,
           changed_from = CASE WHEN changed_from IS NULL OR changed_from > OLD.timestamp
                               THEN OLD.timestamp ELSE changed_from END
     WHERE id = 1;
END;
