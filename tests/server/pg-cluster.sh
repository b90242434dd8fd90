#!/bin/sh
# Throwaway PostgreSQL cluster for the server schema tests.
#
#   pg-cluster.sh start        creates a cluster in a new temporary folder, starts it on a free
#                              local port and prints shell assignments to eval:
#                              LLAMADESK_PG_DIR, LLAMADESK_PG_PORT, LLAMADESK_PG_URL
#   pg-cluster.sh url  [DIR]   prints the connection URL of a running cluster
#   pg-cluster.sh stop [DIR]   stops the cluster and removes its folder
#
# DIR defaults to $LLAMADESK_PG_DIR. Optional environment:
#   LLAMADESK_PG_BIN      folder holding initdb/pg_ctl (default: newest installed server)
#   LLAMADESK_PG_CRON_DB  database pg_cron may be created in (default: postgres)
#
# initdb and postgres refuse to run as root, so under root the server runs as the
# "postgres" system user on a folder that user owns. Clients connect over TCP as the
# database superuser "postgres" with trust authentication: never use this for real data.
set -eu

die() {
    echo "pg-cluster.sh: $*" >&2
    exit 1
}

find_bin() {
    if [ -n "${LLAMADESK_PG_BIN:-}" ]; then
        echo "$LLAMADESK_PG_BIN"
        return
    fi
    for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
        if [ -x "$candidate/initdb" ]; then
            echo "$candidate"
            return
        fi
    done
    initdb_path=$(command -v initdb 2>/dev/null || true)
    [ -n "$initdb_path" ] || die "no initdb found; set LLAMADESK_PG_BIN"
    dirname "$initdb_path"
}

# Runs a server-side command as the cluster's system user.
as_server_user() {
    if [ "$(id -u)" = 0 ]; then
        # From "/": the caller's folder may be private to root, and postgres cannot enter it.
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

cluster_dir() {
    dir=${1:-${LLAMADESK_PG_DIR:-}}
    [ -n "$dir" ] || die "no cluster folder given and LLAMADESK_PG_DIR is not set"
    [ -f "$dir/port" ] || die "$dir is not a cluster made by this script"
    echo "$dir"
}

cmd_start() {
    bin=$(find_bin)
    cron_db=${LLAMADESK_PG_CRON_DB:-postgres}
    dir=$(mktemp -d "${TMPDIR:-/tmp}/llamadesk-pg.XXXXXX")
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || die "running as root needs the 'postgres' system user"
        chown postgres "$dir"
    fi
    chmod 700 "$dir"

    if ! as_server_user "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 \
        --locale=C.UTF-8 >"$dir/initdb.log" 2>&1; then
        cat "$dir/initdb.log" >&2
        rm -rf "$dir"
        die "initdb failed"
    fi

    preload=""
    libdir=$("$bin/pg_config" --pkglibdir 2>/dev/null || echo "$bin/../lib")
    if [ -f "$libdir/pg_cron.so" ]; then
        preload="-c shared_preload_libraries=pg_cron -c cron.database_name=$cron_db -c cron.host=$dir"
    fi

    # Durability is pointless for a throwaway cluster and costs most of the run time.
    base_opts="-k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
    base_opts="$base_opts -c full_page_writes=off -c max_connections=40 $preload"

    # Pick a free port by trying: another cluster may take a port between a check and a bind.
    seed=$(( $(date +%s) + $$ ))
    attempt=0
    while [ $attempt -lt 25 ]; do
        port=$(( 20000 + (seed + attempt * 7919) % 30000 ))
        attempt=$((attempt + 1))
        if as_server_user "$bin/pg_ctl" -D "$dir/data" -o "-p $port $base_opts" -l "$dir/log" \
            -w -t 60 start >/dev/null 2>&1; then
            echo "$port" >"$dir/port"
            echo "$bin" >"$dir/bin"
            echo "export LLAMADESK_PG_DIR=$dir"
            echo "export LLAMADESK_PG_PORT=$port"
            echo "export LLAMADESK_PG_URL=postgresql://postgres@127.0.0.1:$port/postgres"
            return 0
        fi
        if ! grep -q -e "could not bind" -e "already in use" -e "could not create lock file" \
            "$dir/log" 2>/dev/null; then
            cat "$dir/log" >&2 2>/dev/null || true
            rm -rf "$dir"
            die "the server did not start"
        fi
        : >"$dir/log"
    done
    rm -rf "$dir"
    die "no free port found"
}

cmd_url() {
    dir=$(cluster_dir "${1:-}")
    echo "postgresql://postgres@127.0.0.1:$(cat "$dir/port")/postgres"
}

cmd_stop() {
    dir=$(cluster_dir "${1:-}")
    bin=$(cat "$dir/bin")
    as_server_user "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}

case "${1:-}" in
start) cmd_start ;;
url) cmd_url "${2:-}" ;;
stop) cmd_stop "${2:-}" ;;
*) die "usage: pg-cluster.sh start | url [DIR] | stop [DIR]" ;;
esac
