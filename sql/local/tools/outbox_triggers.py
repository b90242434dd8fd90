#!/usr/bin/env python3
"""Print the outbox triggers for synced tables of the local schema.

The migrations are the source of truth: paste the output into a new migration and commit it.
The column lists come from the schema built by the given migration files, so they are complete by
construction. Run it again for a table whenever a later migration adds a column to it: the new
migration must drop and re-create that table's update trigger, otherwise edits of the new column
never reach the outbox (TestLocalSchema checks this for every synced table).

Usage:
    outbox_triggers.py --tables alert_rules,dashboards 001_initial.sql 002_sync.sql ...

The triggers:
  <t>_id_immutable   BEFORE UPDATE: the id of a synced row never changes.
  <t>_outbox_insert  AFTER INSERT: one 'insert' row.
  <t>_outbox_update  AFTER UPDATE of anything but row_version/updated_at: one 'update' row with
                     the JSON array of changed columns, or 'delete' when deleted_at goes from NULL
                     to a value (soft delete). An UPDATE that changes nothing records nothing.
  <t>_outbox_delete  AFTER DELETE: one 'delete' row.
All of them skip recording while sync_control.applying_remote is 1 (changes pulled from the server).
"""

import argparse
import sqlite3
import sys

# Columns that never go into the outbox: the identity, the server-assigned version and the
# server-assigned modification time.
UNTRACKED = {"id", "row_version", "updated_at"}

REMOTE_GUARD = "coalesce((SELECT applying_remote FROM sync_control WHERE id = 1), 0) = 0"


def columns_of(db, table):
    cols = [row[1] for row in db.execute(f'PRAGMA table_info("{table}")')]
    if not cols:
        sys.exit(f"outbox_triggers: no table {table} in the given migrations")
    for required in ("id", "row_version", "deleted_at"):
        if required not in cols:
            sys.exit(f"outbox_triggers: table {table} has no {required} column")
    return [c for c in cols if c not in UNTRACKED]


def triggers_for(table, tracked):
    out = []
    out.append(f"DROP TRIGGER IF EXISTS {table}_id_immutable;")
    out.append(f"CREATE TRIGGER {table}_id_immutable BEFORE UPDATE OF id ON {table}")
    out.append("WHEN OLD.id IS NOT NEW.id")
    out.append("BEGIN")
    out.append(f"    SELECT RAISE(ABORT, 'the id of a synced row cannot change ({table})');")
    out.append("END;")
    out.append("")

    out.append(f"DROP TRIGGER IF EXISTS {table}_outbox_insert;")
    out.append(f"CREATE TRIGGER {table}_outbox_insert AFTER INSERT ON {table}")
    out.append(f"WHEN {REMOTE_GUARD}")
    out.append("BEGIN")
    out.append("    INSERT INTO sync_outbox (table_name, row_id, operation)")
    out.append(f"    VALUES ('{table}', NEW.id, 'insert');")
    out.append("END;")
    out.append("")

    out.append(f"DROP TRIGGER IF EXISTS {table}_outbox_update;")
    out.append(f"CREATE TRIGGER {table}_outbox_update AFTER UPDATE ON {table}")
    out.append(f"WHEN {REMOTE_GUARD}")
    changed = [f"OLD.{c} IS NOT NEW.{c}" for c in tracked]
    out.append(f"    AND ({changed[0]}")
    for expr in changed[1:]:
        out.append(f"         OR {expr}")
    out[-1] += ")"
    out.append("BEGIN")
    out.append(
        "    INSERT INTO sync_outbox (table_name, row_id, operation, changed_columns, base_row_version)"
    )
    out.append(f"    VALUES ('{table}', NEW.id,")
    out.append("            CASE WHEN OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL")
    out.append("                 THEN 'delete' ELSE 'update' END,")
    out.append("            '[' || rtrim(")
    parts = [f"CASE WHEN OLD.{c} IS NOT NEW.{c} THEN '\"{c}\",' ELSE '' END" for c in tracked]
    for i, part in enumerate(parts):
        out.append(f"                {part}" + (" ||" if i + 1 < len(parts) else ""))
    out.append("            , ',') || ']',")
    out.append("            OLD.row_version);")
    out.append("END;")
    out.append("")

    out.append(f"DROP TRIGGER IF EXISTS {table}_outbox_delete;")
    out.append(f"CREATE TRIGGER {table}_outbox_delete AFTER DELETE ON {table}")
    out.append(f"WHEN {REMOTE_GUARD}")
    out.append("BEGIN")
    out.append("    INSERT INTO sync_outbox (table_name, row_id, operation, base_row_version)")
    out.append(f"    VALUES ('{table}', OLD.id, 'delete', OLD.row_version);")
    out.append("END;")
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", required=True, help="comma-separated synced tables")
    parser.add_argument("migrations", nargs="+", help="migration files, in order")
    args = parser.parse_args()

    db = sqlite3.connect(":memory:")
    for path in args.migrations:
        with open(path, encoding="utf-8") as f:
            db.executescript(f.read())

    blocks = []
    for table in [t.strip() for t in args.tables.split(",") if t.strip()]:
        blocks.append(f"-- {table}\n" + triggers_for(table, columns_of(db, table)))
    print("\n\n".join(blocks))


if __name__ == "__main__":
    main()
