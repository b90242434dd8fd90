#!/bin/sh
# Runs the server schema's pgTAP suite, twice, each on its own throwaway PostgreSQL cluster:
#   extensions  a database with pg_partman and pg_cron installed (setup/extensions.sql)
#   plain       a database without them (native partitions kept by the schema, no cron)
# For each: create the roles and the database, apply sql/server migrations, apply them again
# (the second run must change nothing), then run every tests/server/pgtap/*.sql. On the plain
# database also: the migration runner refuses an edited applied migration and a gap in the
# numbering, and a failing migration leaves nothing behind. Clusters are stopped even on
# failure. The two variants run in parallel (separate clusters: the sync watermark test must
# not see the other suite's transactions); LLAMADESK_PGTAP_JOBS=1 runs them one after the other.
# Exit status: 0 all passed, 1 something failed, 77 PostgreSQL or pgTAP is not installed.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
migrations=$root/sql/server

note() { echo "run-pgtap: $*"; }

# ---------------------------------------------------------------------------------------------
# One variant (the script calls itself with --variant NAME RESULT_FILE)
# ---------------------------------------------------------------------------------------------
run_variant() {
    variant=$1
    result_file=$2
    db=llamadesk_$variant
    started=$(date +%s)
    status=0
    failed() {
        echo "run-pgtap[$variant]: FAILED: $*" >&2
        status=1
    }

    cluster_env=$(LLAMADESK_PG_CRON_DB=$db sh "$here/pg-cluster.sh" start) || exit 77
    eval "$cluster_env"
    work=$(mktemp -d "${TMPDIR:-/tmp}/llamadesk-pgtap.XXXXXX")
    trap 'sh "$here/pg-cluster.sh" stop "$LLAMADESK_PG_DIR" >/dev/null 2>&1; rm -rf "$work"' EXIT
    trap 'exit 1' INT TERM
    base="postgresql://postgres@127.0.0.1:$LLAMADESK_PG_PORT"
    # Functions use their own variable names: sh has no local variables.
    sql() {
        sql_db=$1
        shift
        psql -X -q -v ON_ERROR_STOP=1 -d "$base/$sql_db" "$@"
    }
    # Schema and bookkeeping fingerprint: must not move when migrations are re-applied. The
    # schema dump (minus pg_dump's per-run \restrict key) shows any change of definition;
    # the newest object ids show an object dropped and recreated identically.
    fingerprint() {
        {
            pg_dump -s -d "$base/$db" | grep -v '^\\\(un\)\{0,1\}restrict '
            sql "$db" -At -c "SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version" \
                -c "SELECT (SELECT max(oid::text::bigint) FROM pg_class), (SELECT max(oid::text::bigint) FROM pg_proc),
                           (SELECT max(oid::text::bigint) FROM pg_constraint),
                           (SELECT max(oid::text::bigint) FROM pg_trigger), (SELECT max(oid::text::bigint) FROM pg_policy)"
        } | sha256sum | cut -d' ' -f1
    }

    if ! sql postgres -At -c "SELECT 1 FROM pg_available_extensions WHERE name = 'pgtap'" | grep -q 1; then
        note "the pgtap extension is not installed (Debian: postgresql-15-pgtap); skipping"
        exit 77
    fi
    sql postgres -f "$migrations/setup/roles.sql" >/dev/null 2>&1 || failed "setup/roles.sql"
    sql postgres -c "CREATE DATABASE $db OWNER llamadesk_owner" \
        -c "ALTER DATABASE $db SET llamadesk.test_variant = '$variant'" >/dev/null || failed "creating $db"
    if [ "$variant" = extensions ]; then
        sql "$db" -f "$migrations/setup/extensions.sql" >/dev/null 2>&1 || failed "setup/extensions.sql"
        have=$(sql "$db" -At -c "SELECT count(*) FROM pg_extension WHERE extname IN ('pg_partman', 'pg_cron')")
        [ "$have" = 2 ] ||
            failed "pg_partman and pg_cron are not both installed (Debian: postgresql-15-partman, postgresql-15-cron)"
    fi
    sql "$db" -c "CREATE SCHEMA tap" -c "CREATE EXTENSION pgtap SCHEMA tap" \
        -c "CREATE EXTENSION dblink SCHEMA tap" -c "GRANT USAGE ON SCHEMA tap TO PUBLIC" >/dev/null ||
        failed "installing pgtap and dblink"

    count=$(ls "$migrations"/[0-9][0-9][0-9][0-9]_*.sql | wc -l | tr -d ' ')
    migrate_start=$(date +%s)
    first=$(sh "$here/apply-migrations.sh" "$base/$db" "$migrations" 2>"$work/migrate.log")
    migrate_seconds=$(($(date +%s) - migrate_start))
    if [ "$first" != "applied=$count skipped=0" ]; then
        cat "$work/migrate.log" >&2
        failed "the first migration run said '$first'"
        echo "$variant: migrations failed" >"$result_file"
        exit 1
    fi
    before=$(fingerprint)
    second=$(sh "$here/apply-migrations.sh" "$base/$db" "$migrations" 2>>"$work/migrate.log")
    [ "$second" = "applied=0 skipped=$count" ] || failed "the second migration run said '$second'"
    [ "$before" = "$(fingerprint)" ] || failed "re-applying the migrations changed the database"

    prove_start=$(date +%s)
    if command -v pg_prove >/dev/null 2>&1; then
        pg_prove -d "$base/$db" "$here"/pgtap/*.sql >"$work/prove.log" 2>&1
        rc=$?
        total=$(sed -n 's/^Files=[0-9]*, Tests=\([0-9]*\),.*/\1/p' "$work/prove.log")
    else
        # Without pg_prove (Debian: libtap-parser-sourcehandler-pgtap-perl): read the TAP
        # output of psql, checking each file's plan.
        rc=0
        total=0
        for file in "$here"/pgtap/*.sql; do
            out=$(cd "$here/pgtap" && psql -X -q -t -A -v ON_ERROR_STOP=1 -d "$base/$db" -f "$file" 2>&1) || rc=1
            echo "$out" >>"$work/prove.log"
            planned=$(echo "$out" | sed -n 's/^1\.\.\([0-9]*\)$/\1/p')
            ran=$(echo "$out" | grep -c -E '^(not )?ok [0-9]')
            if echo "$out" | grep -q '^not ok' || [ "$planned" != "$ran" ]; then rc=1; fi
            total=$((total + ran))
        done
    fi
    bad=$(grep -c -E '^# Failed test|^not ok' "$work/prove.log")
    prove_seconds=$(($(date +%s) - prove_start))
    if [ $rc -ne 0 ]; then
        cat "$work/prove.log" >&2
        failed "pgTAP: $bad failed assertions"
    fi

    runner=""
    if [ "$variant" = plain ]; then
        cp -R "$migrations" "$work/edited"
        printf '\n-- an edit after release\n' >>"$work/edited/0002_core_tables.sql"
        if sh "$here/apply-migrations.sh" "$base/$db" "$work/edited" >/dev/null 2>&1; then
            failed "runner: an edited, already applied migration was accepted"
        fi
        cp -R "$migrations" "$work/gap"
        echo "SELECT 1;" >"$work/gap/$(printf '%04d' $((count + 2)))_after_a_gap.sql"
        if sh "$here/apply-migrations.sh" "$base/$db" "$work/gap" >/dev/null 2>&1; then
            failed "runner: a gap in the numbering was accepted"
        fi
        cp -R "$migrations" "$work/broken"
        printf 'CREATE TABLE half_done (id INTEGER);\nSELECT no_such_function();\n' \
            >"$work/broken/$(printf '%04d' $((count + 1)))_broken.sql"
        if sh "$here/apply-migrations.sh" "$base/$db" "$work/broken" >/dev/null 2>&1; then
            failed "runner: a failing migration was reported as applied"
        fi
        [ "$before" = "$(fingerprint)" ] || failed "runner: a refused or failed run changed the database"
        # Two runners at once on a new database: both succeed and every file is applied once.
        sql postgres -c "CREATE DATABASE ${db}_race OWNER llamadesk_owner" >/dev/null || failed "creating ${db}_race"
        sh "$here/apply-migrations.sh" "$base/${db}_race" "$migrations" >"$work/race1" 2>&1 &
        race1=$!
        sh "$here/apply-migrations.sh" "$base/${db}_race" "$migrations" >"$work/race2" 2>&1 &
        race2=$!
        wait $race1 && wait $race2 || { cat "$work/race1" "$work/race2" >&2; failed "runner: two runners at once failed"; }
        raced=$(cat "$work/race1" "$work/race2" | sed -n 's/^applied=\([0-9]*\) skipped=.*/\1/p' |
            awk '{ n += $1 } END { print n + 0 }')
        [ "$raced" = "$count" ] || failed "runner: two runners at once applied $raced files, not $count"
        [ "$(sql "${db}_race" -At -c "SELECT count(*) FROM schema_migrations")" = "$count" ] ||
            failed "runner: two runners at once did not record every migration"
        runner="; runner refusals: 4 checks; two runners at once: 3 checks"
    fi

    echo "$variant: ${total:-0} assertions run, $((${total:-0} - bad)) passed, $bad failed;" \
        "$count migrations applied in ${migrate_seconds}s, re-applied as a no-op; pgTAP ${prove_seconds}s;" \
        "total $(($(date +%s) - started))s$runner" >"$result_file"
    exit $status
}

if [ "${1:-}" = --variant ]; then
    run_variant "$2" "$3"
fi

# ---------------------------------------------------------------------------------------------
# Both variants
# ---------------------------------------------------------------------------------------------
for tool in psql pg_dump sha256sum; do
    command -v "$tool" >/dev/null 2>&1 || { note "$tool not found; skipping"; exit 77; }
done
command -v pg_prove >/dev/null 2>&1 ||
    note "pg_prove not found (Debian: libtap-parser-sourcehandler-pgtap-perl); reading TAP from psql"

started=$(date +%s)
results=$(mktemp -d "${TMPDIR:-/tmp}/llamadesk-pgtap-results.XXXXXX")
pids=""
trap 'for p in $pids; do kill "$p" 2>/dev/null; done; rm -rf "$results"' EXIT
trap 'exit 1' INT TERM

status=0
skipped=0
for variant in extensions plain; do
    if [ "${LLAMADESK_PGTAP_JOBS:-2}" = 1 ]; then
        sh "$0" --variant "$variant" "$results/$variant"
        rc=$?
        [ $rc -eq 0 ] || { [ $rc -eq 77 ] && skipped=1 || status=1; }
    else
        sh "$0" --variant "$variant" "$results/$variant" &
        pids="$pids $!"
    fi
done
for p in $pids; do
    wait "$p"
    rc=$?
    [ $rc -eq 0 ] || { [ $rc -eq 77 ] && skipped=1 || status=1; }
done
pids=""

if [ $skipped -eq 1 ] && [ $status -eq 0 ]; then
    note "PostgreSQL, a cluster or pgTAP is not available; skipped"
    exit 77
fi
note "PostgreSQL $(psql --version | sed 's/^psql (PostgreSQL) //')"
for variant in extensions plain; do
    echo "  $(cat "$results/$variant" 2>/dev/null || echo "$variant: no result")"
done
echo "  wall time: $(($(date +%s) - started))s"
[ $status -eq 0 ] && note "all passed" || note "FAILED"
exit $status
