#!/usr/bin/env bash
# LlamaDesk developer entry point.
#   ./build.sh start   install what is missing, build, start the app on a fresh encrypted vault
#   ./build.sh test    install what is missing, build (GCC with -Werror, then Clang for core) and run every test
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

# Debian/Ubuntu packages needed to build, run and test. One list, used by both commands.
build_packages=(
    build-essential cmake ninja-build ccache pkg-config clang
    qt6-base-dev qt6-base-dev-tools qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
    qt6-charts-dev qt6-svg-dev qt6-httpserver-dev qt6-websockets-dev libqt6sql6-psql
    libqt6opengl6-dev
    libgl-dev libxkbcommon-dev libvulkan-dev
    libsqlcipher-dev sqlcipher qtkeychain-qt6-dev libsodium-dev libpq-dev libssl-dev
    fonts-dejavu-core
)
test_packages=(
    dbus dbus-x11 gnome-keyring libsecret-1-0
    postgresql postgresql-15-pgtap postgresql-15-partman postgresql-15-cron pgbouncer
    libtap-parser-sourcehandler-pgtap-perl openssl procps
)

log() { printf '==> %s\n' "$*" >&2; }

install_missing() {
    local missing=()
    local pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "installing: ${missing[*]}"
    local sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

configure_and_build() {
    local preset="$1"
    shift
    log "configure ($preset)"
    cmake --preset "$preset" "$@" >/dev/null
    log "build ($preset)"
    cmake --build --preset "$preset" -j "$(nproc)"
}

cmd_start() {
    install_missing "${build_packages[@]}"
    configure_and_build release
    local bin="$here/build/release/app"
    local dir="$here/build/quickstart"
    mkdir -p "$dir"
    chmod 700 "$dir"
    local db="$dir/vault.llamadesk"
    rm -f "$db" "$db-wal" "$db-shm" "$db.keys"
    # A quick-start vault is protected by a random passphrase kept in a private file beside it,
    # so the demo works on machines without a keychain. Real users choose in the first-run wizard.
    local passfile="$dir/passphrase"
    (umask 077 && head -c 24 /dev/urandom | base64 >"$passfile")
    "$bin/llamadesk-cli" init --db "$db" --passphrase-file "$passfile" --no-keychain --quiet
    log "fresh encrypted vault: $db"
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
        local shot="$dir/main-window.png"
        QT_QPA_PLATFORM=offscreen "$bin/llamadesk" --db "$db" --passphrase-file "$passfile" --screenshot "$shot"
        log "no display: ran offscreen; screenshot of the main window: $shot"
    else
        exec "$bin/llamadesk" --db "$db" --passphrase-file "$passfile"
    fi
}

cmd_test() {
    install_missing "${build_packages[@]}" "${test_packages[@]}"
    configure_and_build ci-gcc
    log "test (GCC build)"
    ctest --preset ci-gcc -j 2 --timeout 900
    configure_and_build ci-clang
    log "test (Clang build: core)"
    ctest --preset ci-clang -j 2 --timeout 900
}

case "${1:-}" in
start) cmd_start ;;
test) cmd_test ;;
*)
    echo "usage: $0 start|test" >&2
    exit 2
    ;;
esac
