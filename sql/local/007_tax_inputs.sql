-- 007_tax_inputs: one compact binary record per tax_transactions row with what the tax engine
-- reads of it (TaxInputRecord: layout and meaning in core/store/TaxInputRecord.h).
--
-- Why: a tax run reads every row of the ledger. Fetching 17 text columns of a wide row and parsing
-- their decimals and times is most of a run's work; one record per row in a table of small rows
-- is a fraction of it. The records are kept by the triggers below in the writer's own
-- transaction, through the function llamadesk_tax_input() that the vault's driver gives every
-- connection, so no write can leave them behind: no other program writes this vault.
--
-- The key is the row's rowid, so that the rows of a rowid range (the reads of migration 006) are
-- the records of the same range, in the same order. Rowids of tax_transactions stay what they are:
-- nothing VACUUMs a vault, and rows are never written with REPLACE (whose implicit deletes fire no
-- trigger). Either would need the records rebuilt with the INSERT below.
CREATE TABLE tax_inputs (
    tx_rowid INTEGER PRIMARY KEY,
    record BLOB NOT NULL
);

INSERT INTO tax_inputs (tx_rowid, record)
SELECT rowid,
       llamadesk_tax_input(id, user_id, wallet, transaction_hash, timestamp, transaction_type,
                           asset_in_symbol, asset_in_amount, asset_in_price_usd,
                           asset_in_value_usd, asset_out_symbol, asset_out_amount,
                           asset_out_price_usd, asset_out_value_usd, fee_amount, fee_symbol,
                           fee_value_usd, cost_basis_usd, deleted_at)
  FROM tax_transactions;

CREATE TRIGGER tax_transactions_tax_inputs_insert AFTER INSERT ON tax_transactions
BEGIN
    INSERT INTO tax_inputs (tx_rowid, record)
    VALUES (NEW.rowid,
            llamadesk_tax_input(NEW.id, NEW.user_id, NEW.wallet, NEW.transaction_hash,
                                NEW.timestamp, NEW.transaction_type, NEW.asset_in_symbol,
                                NEW.asset_in_amount, NEW.asset_in_price_usd,
                                NEW.asset_in_value_usd, NEW.asset_out_symbol,
                                NEW.asset_out_amount, NEW.asset_out_price_usd,
                                NEW.asset_out_value_usd, NEW.fee_amount, NEW.fee_symbol,
                                NEW.fee_value_usd, NEW.cost_basis_usd, NEW.deleted_at));
END;

CREATE TRIGGER tax_transactions_tax_inputs_update AFTER UPDATE OF
    id, user_id, wallet, transaction_hash, timestamp, transaction_type,
    asset_in_symbol, asset_in_amount, asset_in_price_usd, asset_in_value_usd,
    asset_out_symbol, asset_out_amount, asset_out_price_usd, asset_out_value_usd,
    fee_amount, fee_symbol, fee_value_usd, cost_basis_usd, deleted_at
    ON tax_transactions
BEGIN
    UPDATE tax_inputs
       SET record = llamadesk_tax_input(NEW.id, NEW.user_id, NEW.wallet, NEW.transaction_hash,
                                        NEW.timestamp, NEW.transaction_type, NEW.asset_in_symbol,
                                        NEW.asset_in_amount, NEW.asset_in_price_usd,
                                        NEW.asset_in_value_usd, NEW.asset_out_symbol,
                                        NEW.asset_out_amount, NEW.asset_out_price_usd,
                                        NEW.asset_out_value_usd, NEW.fee_amount, NEW.fee_symbol,
                                        NEW.fee_value_usd, NEW.cost_basis_usd, NEW.deleted_at)
     WHERE tx_rowid = NEW.rowid;
END;

CREATE TRIGGER tax_transactions_tax_inputs_delete AFTER DELETE ON tax_transactions
BEGIN
    DELETE FROM tax_inputs WHERE tx_rowid = OLD.rowid;
END;
