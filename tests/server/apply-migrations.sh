#!/bin/sh
# Applies the server migrations with psql, following the contract of sql/server/README.md
# exactly as the server's migrate command does:
#   * files NNNN_name.sql, versions 1..N without gaps;
#   * schema_migrations(version, name, checksum, applied_at) records each applied file;
#   * an applied file whose SHA-256 changed, or a recorded version this tree does not have,
#     stops everything before any change;
#   * each pending file runs in ONE transaction as llamadesk_owner, under an advisory lock,
#     together with its schema_migrations row; applied files are skipped (a re-run is a no-op).
#
# usage: apply-migrations.sh DATABASE_URL [MIGRATIONS_DIR]
# Prints "applied=A skipped=S" on success.
set -eu

url=${1:?usage: apply-migrations.sh DATABASE_URL [MIGRATIONS_DIR]}
dir=${2:-$(cd "$(dirname "$0")/../../sql/server" && pwd)}
lock_key=1280068935 # the same constant the server uses for pg_advisory_xact_lock

die() {
    echo "apply-migrations.sh: $*" >&2
    exit 1
}

run_psql() {
    psql -X -q -v ON_ERROR_STOP=1 -d "$url" "$@"
}

applied_list=$(run_psql -A -t -F ' ' \
    -c "SET client_min_messages = warning" \
    -c "SET ROLE llamadesk_owner" \
    -c "CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER PRIMARY KEY CHECK (version > 0),
            name TEXT NOT NULL CHECK (name ~ '^[a-z0-9_]+\$'),
            checksum CHAR(64) NOT NULL CHECK (checksum ~ '^[0-9a-f]{64}\$'),
            applied_at TIMESTAMPTZ NOT NULL DEFAULT now())" \
    -c "SELECT version, name, checksum FROM schema_migrations ORDER BY version")

# Validate every file (name, numbering, checksum of those already applied) before any change,
# and write one psql script that applies the pending ones, each in its own transaction.
script=$(mktemp "${TMPDIR:-/tmp}/apply-migrations.XXXXXX")
trap 'rm -f "$script"' EXIT
echo '\set ON_ERROR_STOP on' >"$script"
expected=1
applied=0
skipped=0
sums=$(cd "$dir" && sha256sum [0-9][0-9][0-9][0-9]_*.sql 2>/dev/null) || die "no migrations in $dir"
while read -r sum file; do
    case "$file" in
    [0-9][0-9][0-9][0-9]_*.sql) ;;
    *) die "$file: name must be NNNN_name.sql" ;;
    esac
    name=${file#????_}
    name=${name%.sql}
    case "$name" in
    *[!a-z0-9_]* | "") die "$file: name must be NNNN_name.sql with lower-case letters, digits, _" ;;
    esac
    version=${file%%_*}
    while [ "${version#0}" != "$version" ]; do version=${version#0}; done
    [ "$version" = "$expected" ] || die "$file: expected version $expected (no gaps, no duplicates)"
    expected=$((expected + 1))
    recorded=$(echo "$applied_list" | while read -r v n c; do
        if [ "$v" = "$version" ]; then echo "$n $c"; fi
    done)
    if [ -n "$recorded" ]; then
        [ "$recorded" = "$name $sum" ] ||
            die "$file was changed after it was applied (recorded: $recorded); write a new migration instead"
        skipped=$((skipped + 1))
        continue
    fi
    # The row goes in first: if another runner applied this version meanwhile, the primary key
    # stops this transaction before the file runs.
    cat >>"$script" <<EOF
BEGIN;
SET LOCAL ROLE llamadesk_owner;
SET LOCAL search_path = public;
SELECT pg_advisory_xact_lock($lock_key);
INSERT INTO schema_migrations (version, name, checksum) VALUES ($version, '$name', '$sum');
\\i '$dir/$file'
COMMIT;
EOF
    applied=$((applied + 1))
done <<EOF
$sums
EOF
latest=$((expected - 1))
newest_recorded=$(echo "$applied_list" | while read -r v rest; do if [ -n "$v" ]; then echo "$v"; fi; done | tail -n 1)
[ "${newest_recorded:-0}" -le "$latest" ] ||
    die "the database has migration $newest_recorded, newer than this tree's $latest"

if [ $applied -gt 0 ]; then
    run_psql -f "$script" >/dev/null || die "a migration failed; it was rolled back, earlier ones stay applied"
fi
echo "applied=$applied skipped=$skipped"
