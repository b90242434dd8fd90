-- 005_lot_selections: Specific-ID choices made in the app, used by every later tax run.
--
-- Why: under specific identification the taxpayer names, for each disposal, the lots it takes.
-- The choice is part of the user's records (it decides the reported basis), so it lives in the
-- vault next to the ledger instead of in a side file. One row per (disposal, lot); `position`
-- keeps the order in which the lots are taken.
--
-- Local-only (no sync triggers) for now: the server has no such table yet.
-- No foreign key to tax_transactions: a selection naming a deleted transaction is reported by the
-- engine as a lot selection mismatch, and a key would make every delete of a ledger row scan this
-- table.
CREATE TABLE lot_selections (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    disposal_transaction_id TEXT NOT NULL CHECK (length(disposal_transaction_id) > 0),
    lot_transaction_id TEXT NOT NULL CHECK (length(lot_transaction_id) > 0),
    position INTEGER NOT NULL CHECK (position >= 0),
    -- Exact decimal text, strictly positive.
    amount TEXT NOT NULL CHECK (length(amount) > 0 AND amount NOT GLOB '-*'),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
        CHECK (created_at GLOB '????-??-??T??:??:??.??????Z'),
    PRIMARY KEY (user_id, disposal_transaction_id, lot_transaction_id)
) WITHOUT ROWID;
