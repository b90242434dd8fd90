#!/bin/sh
# Applies the server migrations with psql, following the contract of sql/server/README.md
# exactly as the server's migrate command does:
#   * files NNNN_name.sql, versions 1..N without gaps;
#   * schema_migrations(version, name, checksum, applied_at) records each applied file;
#   * an applied file whose SHA-256 changed, or a recorded version this tree does not have,
#     stops everything before any change;
#   * schema_migrations is created, and each pending file runs in ONE transaction as
#     llamadesk_owner together with its row, under an advisory lock; under the lock the runner
#     looks again and skips a file another runner applied meanwhile, so two runners at once
#     neither fail nor apply anything twice; applied files are skipped (a re-run is a no-op).
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

# The bookkeeping table is created under the runners' advisory lock: two runners starting at
# once on a new database would otherwise both try to create it, and one would fail.
applied_list=$(run_psql -A -t -F ' ' \
    -c "SET client_min_messages = warning; SET ROLE llamadesk_owner; BEGIN;
        SELECT pg_advisory_xact_lock($lock_key);
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER PRIMARY KEY CHECK (version > 0),
            name TEXT NOT NULL CHECK (name ~ '^[a-z0-9_]+\$'),
            checksum CHAR(64) NOT NULL CHECK (checksum ~ '^[0-9a-f]{64}\$'),
            applied_at TIMESTAMPTZ NOT NULL DEFAULT now());
        COMMIT" \
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
    # Under the lock, look again: another runner may have applied this version while this one
    # waited. Then the file is skipped (it must be the same file), otherwise it runs with its
    # row. psql's \if keeps this decision inside the locked transaction.
    cat >>"$script" <<EOF
BEGIN;
SET LOCAL ROLE llamadesk_owner;
SET LOCAL search_path = public;
SELECT pg_advisory_xact_lock($lock_key) AS locked \\gset
DO \$\$ BEGIN
    IF EXISTS (SELECT FROM schema_migrations WHERE version = $version AND (name <> '$name' OR checksum <> '$sum')) THEN
        RAISE EXCEPTION '$file was applied meanwhile by another runner with other contents';
    END IF;
END \$\$;
SELECT EXISTS (SELECT FROM schema_migrations WHERE version = $version) AS already_applied \\gset
\\if :already_applied
ROLLBACK;
\\echo '@@ skipped $version'
\\else
INSERT INTO schema_migrations (version, name, checksum) VALUES ($version, '$name', '$sum');
\\i '$dir/$file'
COMMIT;
\\echo '@@ applied $version'
\\endif
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
    out=$(run_psql -f "$script") || die "a migration failed; it was rolled back, earlier ones stay applied"
    # Files another runner applied meanwhile count as skipped.
    raced=$(printf '%s\n' "$out" | grep -c '^@@ skipped ' || true)
    applied=$((applied - raced))
    skipped=$((skipped + raced))
fi
echo "applied=$applied skipped=$skipped"
