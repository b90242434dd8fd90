-- 006_ledger_order: record whether tax_transactions' rowid order is its (timestamp, id) order.
--
-- Why: a tax run reads the whole ledger in (timestamp, id) order. Through the time index that is
-- one index step plus one table seek per row; when the rows were written in time order (an import
-- of a history file, a ledger kept up to date), reading the table itself in rowid order gives the
-- same rows in the same order for about a third less of SQLite's work. Only the vault can know
-- that it holds: these columns say so, kept by the triggers below in the writer's own transaction.
--
-- New rows get a rowid above every existing one (no INTEGER PRIMARY KEY and no explicit rowids in
-- this table), so the order holds as long as each inserted row sorts after the last one inserted
-- and no update moves a row in time. Once broken it stays broken (rows keep their rowids); readers
-- then use the time index as before. Deleting rows never breaks it.
ALTER TABLE tax_ledger_changes ADD COLUMN rowid_order INTEGER NOT NULL DEFAULT 0
    CHECK (rowid_order IN (0, 1));
-- The (timestamp, id) of the row inserted last: the next insert must sort after it.
ALTER TABLE tax_ledger_changes ADD COLUMN last_timestamp TEXT
    CHECK (last_timestamp GLOB '????-??-??T??:??:??.??????Z');
ALTER TABLE tax_ledger_changes ADD COLUMN last_id TEXT;

-- An existing ledger: in order when no row sorts before the row with the next lower rowid (one
-- rowid seek per row, once). Timestamps have one fixed-width form, so text order is time order.
UPDATE tax_ledger_changes
   SET last_timestamp = (SELECT timestamp FROM tax_transactions ORDER BY rowid DESC LIMIT 1),
       last_id = (SELECT id FROM tax_transactions ORDER BY rowid DESC LIMIT 1),
       rowid_order = NOT EXISTS (
           SELECT 1
             FROM tax_transactions AS a
             JOIN tax_transactions AS b
               ON b.rowid = (SELECT max(p.rowid) FROM tax_transactions AS p
                              WHERE p.rowid < a.rowid)
            WHERE b.timestamp > a.timestamp OR (b.timestamp = a.timestamp AND b.id > a.id))
 WHERE id = 1;

-- The triggers of 004 with the order kept as well. All SET expressions see the row as it was.
DROP TRIGGER tax_transactions_tax_state_insert;
CREATE TRIGGER tax_transactions_tax_state_insert AFTER INSERT ON tax_transactions
BEGIN
    UPDATE tax_ledger_changes
       SET changes = changes + 1,
           changed_from = CASE WHEN changed_from IS NULL OR changed_from > NEW.timestamp
                               THEN NEW.timestamp ELSE changed_from END,
           rowid_order = CASE WHEN last_timestamp IS NULL
                                   OR NEW.timestamp > last_timestamp
                                   OR (NEW.timestamp = last_timestamp AND NEW.id > last_id)
                              THEN rowid_order ELSE 0 END,
           last_timestamp = NEW.timestamp,
           last_id = NEW.id
     WHERE id = 1;
END;

DROP TRIGGER tax_transactions_tax_state_update;
CREATE TRIGGER tax_transactions_tax_state_update AFTER UPDATE OF
    id, user_id, wallet, transaction_hash, timestamp, transaction_type,
    asset_in_symbol, asset_in_amount, asset_in_price_usd, asset_in_value_usd,
    asset_out_symbol, asset_out_amount, asset_out_price_usd, asset_out_value_usd,
    fee_amount, fee_symbol, fee_value_usd, cost_basis_usd, deleted_at
    ON tax_transactions
BEGIN
    UPDATE tax_ledger_changes
       SET changes = changes + 1,
           changed_from = min(coalesce(changed_from, OLD.timestamp), OLD.timestamp, NEW.timestamp),
           rowid_order = CASE WHEN OLD.timestamp IS NOT NEW.timestamp OR OLD.id IS NOT NEW.id
                              THEN 0 ELSE rowid_order END
     WHERE id = 1;
END;

-- A ledger emptied (a fresh pull after a reset, say) is in order again: its next rows start over.
DROP TRIGGER tax_transactions_tax_state_delete;
CREATE TRIGGER tax_transactions_tax_state_delete AFTER DELETE ON tax_transactions
BEGIN
    UPDATE tax_ledger_changes
       SET changes = changes + 1,
           changed_from = CASE WHEN changed_from IS NULL OR changed_from > OLD.timestamp
                               THEN OLD.timestamp ELSE changed_from END
     WHERE id = 1;
    UPDATE tax_ledger_changes
       SET rowid_order = 1, last_timestamp = NULL, last_id = NULL
     WHERE id = 1 AND NOT EXISTS (SELECT 1 FROM tax_transactions);
END;
