#!/bin/sh
# Runs a command against a real Secret Service: a private D-Bus session with its own
# gnome-keyring daemon, in fresh temporary HOME and XDG folders, so that keychain tests never
# touch the user's keyring and parallel runs never touch each other's.
#
#   with-keyring.sh STATE COMMAND [ARGS...]
#
#   unlocked  the "login" keyring exists and is unlocked, as after a desktop login
#   missing   the daemon runs but no keyring was ever created or unlocked
#   hung      no daemon at all: the test itself plays a Secret Service that never answers
#
# The command sees LLAMADESK_KEYRING_STATE=STATE and LLAMADESK_KEYRING_SCRATCH (the temporary
# folder). A missing program is an error, never a silent skip: these tests must run for real.
set -eu

usage() {
    echo "usage: $0 unlocked|missing|hung COMMAND [ARGS...]" >&2
    exit 2
}

[ $# -ge 2 ] || usage
state=$1
shift
case "$state" in
unlocked | missing | hung) ;;
*) usage ;;
esac

for tool in dbus-run-session gnome-keyring-daemon; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "with-keyring.sh: '$tool' is not installed (Debian packages: dbus, gnome-keyring," \
            "dbus-x11, libsecret-1-0); the keychain tests cannot run" >&2
        exit 2
    fi
done

scratch=$(mktemp -d "${TMPDIR:-/tmp}/llamadesk-keyring.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
trap 'exit 130' INT TERM
mkdir -p "$scratch/home" "$scratch/data" "$scratch/config" "$scratch/cache" "$scratch/runtime"
chmod 700 "$scratch/runtime"

export HOME="$scratch/home"
export XDG_DATA_HOME="$scratch/data"
export XDG_CONFIG_HOME="$scratch/config"
export XDG_CACHE_HOME="$scratch/cache"
export XDG_RUNTIME_DIR="$scratch/runtime"
export LLAMADESK_KEYRING_STATE="$state"
export LLAMADESK_KEYRING_SCRATCH="$scratch"
# No display: an unlock prompt must fail at once instead of opening a dialog on a desktop.
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS || true

# The test keyring's password is a fixed word: the keyring lives and dies with this run.
# shellcheck disable=SC2016 # expanded by the inner shell
dbus-run-session -- sh -c '
    set -eu
    case "$LLAMADESK_KEYRING_STATE" in
    unlocked)
        if ! log=$(printf secret | gnome-keyring-daemon --unlock --components=secrets 2>&1); then
            echo "with-keyring.sh: gnome-keyring-daemon --unlock failed: $log" >&2
            exit 2
        fi
        ;;
    missing)
        if ! log=$(gnome-keyring-daemon --start --components=secrets 2>&1); then
            echo "with-keyring.sh: gnome-keyring-daemon --start failed: $log" >&2
            exit 2
        fi
        ;;
    hung) ;;
    esac
    exec "$@"
' with-keyring "$@"
