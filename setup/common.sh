#!/usr/bin/env bash
# Shared set-up for ctrl: Debian packages, PostgreSQL, Odoo source, virtualenv, config.
# Idempotent: every step checks before it acts, so a second run takes seconds.
# Sourced by setup/run, setup/test and setup/bench.
set -euo pipefail

CTRL_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CTRL_HOME="${CTRL_HOME:-$HOME/.local/share/ctrl}"
CTRL_VENV="${CTRL_VENV:-$CTRL_HOME/venv}"
# One config per checkout, so two clones (a CI clone beside a working tree) never share an addons path.
CTRL_CONF="$CTRL_HOME/odoo-$(printf '%s' "$CTRL_REPO" | sha1sum | cut -c1-10).conf"
ODOO_UPSTREAM="${ODOO_UPSTREAM:-https://github.com/odoo/odoo.git}"
ODOO_BRANCH=18.0
PY="${CTRL_PYTHON:-python3.11}"

say() { printf '\033[1mctrl setup:\033[0m %s\n' "$*" >&2; }
die() { printf '\033[31mctrl setup: %s\033[0m\n' "$*" >&2; exit 1; }

apt_install() {
    # Install the Debian packages in "$@" that are missing.
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null; then
        die "missing Debian packages: ${missing[*]}. Install them as root: apt-get install ${missing[*]}"
    fi
    local SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
    say "installing Debian packages: ${missing[*]}"
    if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"; } >"$CTRL_HOME/apt.log" 2>&1; then
        die "could not install Debian packages ${missing[*]} (see $CTRL_HOME/apt.log). Install them by hand: apt-get install ${missing[*]}"
    fi
}

setup_packages() {
    command -v dpkg-query >/dev/null || die "this set-up expects Debian (dpkg-query not found). Install PostgreSQL 15, wkhtmltopdf, chromium, rclone, age and openssh-server yourself, then set CTRL_SKIP_APT=1."
    [ "${CTRL_SKIP_APT:-0}" = 1 ] && return 0
    apt_install git build-essential libpq-dev libldap2-dev libsasl2-dev libxml2-dev libxslt1-dev \
        libjpeg-dev zlib1g-dev postgresql-client wkhtmltopdf chromium fonts-noto-cjk \
        rclone age openssh-server
    command -v "$PY" >/dev/null || apt_install python3.11 python3.11-venv python3.11-dev
    "$PY" -c 'import venv, ensurepip' 2>/dev/null || apt_install python3.11-venv
}

pg_ready() { pg_isready -q -t 3 ${PGHOST:+-h "$PGHOST"} ${PGPORT:+-p "$PGPORT"} 2>/dev/null; }

setup_postgres() {
    # The server named by the PG* variables, else the local one (started or installed if need be).
    if [ -n "${PGHOST:-}${PGPORT:-}" ]; then
        pg_ready || die "no PostgreSQL answers at ${PGHOST:-localhost}:${PGPORT:-5432} (from PGHOST/PGPORT). Start it, or unset PGHOST/PGPORT to use a local server."
    else
        export PGHOST=127.0.0.1 PGPORT=5432
        if ! pg_ready; then
            command -v pg_ctlcluster >/dev/null || apt_install postgresql
            local ver; ver=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)
            [ -n "$ver" ] || die "PostgreSQL is installed but has no cluster. Create one: pg_createcluster 15 main --start"
            say "starting local PostgreSQL $ver"
            pg_ctlcluster --skip-systemctl-redirect "$ver" main start 2>/dev/null || true
            for _ in 1 2 3 4 5 6 7 8 9 10; do pg_ready && break; sleep 1; done
            pg_ready || die "local PostgreSQL did not start. Try: pg_ctlcluster --skip-systemctl-redirect $ver main start, or point PGHOST/PGPORT at a server."
        fi
    fi
    export PGUSER="${PGUSER:-$(psql -tAc 'select current_user' postgres 2>/dev/null || true)}"
    if ! psql -tAc 'select 1' postgres >/dev/null 2>&1; then
        # Local server with peer auth only: make a superuser role for this user.
        if [ "$(id -u)" -eq 0 ] && command -v runuser >/dev/null; then
            local me; me=$(id -un)
            runuser -u postgres -- psql -qc "CREATE ROLE \"$me\" SUPERUSER LOGIN" postgres >/dev/null 2>&1 || true
            export PGUSER="$me"
        fi
        psql -tAc 'select 1' postgres >/dev/null 2>&1 || die "cannot log in to PostgreSQL at $PGHOST:$PGPORT as ${PGUSER:-$(id -un)}. Set PGUSER/PGPASSWORD to a role that may create databases."
    fi
}

is_odoo_tree() { [ -f "$1/odoo-bin" ] && [ -f "$1/odoo/release.py" ] && grep -q "version_info = (18, 0" "$1/odoo/release.py"; }

setup_odoo_source() {
    mkdir -p "$CTRL_HOME"
    if [ -n "${ODOO_SOURCE:-}" ]; then
        local given="$ODOO_SOURCE"
        ODOO_SOURCE="$(cd "$given" 2>/dev/null && pwd)" || die "ODOO_SOURCE=$given does not exist. Point it at an Odoo 18.0 source tree (the folder holding odoo-bin)."
        is_odoo_tree "$ODOO_SOURCE" || die "ODOO_SOURCE=$ODOO_SOURCE is not an Odoo 18.0 source tree (no odoo-bin, or odoo/release.py is not 18.0). Point it at the folder that holds odoo-bin."
        echo "$ODOO_SOURCE" > "$CTRL_HOME/odoo-source"
    elif [ -f "$CTRL_HOME/odoo-source" ] && is_odoo_tree "$(cat "$CTRL_HOME/odoo-source")"; then
        ODOO_SOURCE="$(cat "$CTRL_HOME/odoo-source")"
    else
        ODOO_SOURCE="$CTRL_HOME/odoo"
        if ! is_odoo_tree "$ODOO_SOURCE"; then
            say "cloning Odoo $ODOO_BRANCH from $ODOO_UPSTREAM (set ODOO_SOURCE to use a local tree)"
            rm -rf "$ODOO_SOURCE"
            git clone -q --depth 1 -b "$ODOO_BRANCH" "$ODOO_UPSTREAM" "$ODOO_SOURCE" \
                || die "could not clone Odoo from $ODOO_UPSTREAM. Without internet, set ODOO_SOURCE to a local Odoo 18.0 source tree."
        fi
        echo "$ODOO_SOURCE" > "$CTRL_HOME/odoo-source"
    fi
    export ODOO_SOURCE
}

setup_venv() {
    local stamp="$CTRL_VENV/.ctrl-stamp" want
    want=$(cat "$ODOO_SOURCE/requirements.txt" "$CTRL_REPO/requirements.txt" | sha256sum | cut -c1-16)
    want="$want $ODOO_SOURCE"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        return 0
    fi
    say "building the virtualenv in $CTRL_VENV (a few minutes, once)"
    [ -x "$CTRL_VENV/bin/python" ] || "$PY" -m venv "$CTRL_VENV" || die "could not create a virtualenv with $PY. Install python3.11-venv."
    local constraint="$CTRL_HOME/build-constraints.txt"
    echo 'setuptools<70' > "$constraint"
    "$CTRL_VENV/bin/pip" install -q --upgrade 'pip>=25.1' wheel >"$CTRL_HOME/pip.log" 2>&1 || die "pip upgrade failed (see $CTRL_HOME/pip.log)"
    "$CTRL_VENV/bin/pip" install -q --build-constraint "$constraint" -r "$ODOO_SOURCE/requirements.txt" -r "$CTRL_REPO/requirements.txt" \
        >>"$CTRL_HOME/pip.log" 2>&1 || die "installing Python requirements failed (see $CTRL_HOME/pip.log)"
    # Odoo itself: a path entry to the source tree, so the tree is never copied.
    local site; site=$("$CTRL_VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
    echo "$ODOO_SOURCE" > "$site/odoo-source.pth"
    "$CTRL_VENV/bin/python" -c 'import odoo, odoo.release as r; assert r.version_info[0] == 18' || die "the virtualenv cannot import Odoo 18 from $ODOO_SOURCE"
    echo "$want" > "$stamp"
}

write_config() {
    cat > "$CTRL_CONF" <<CONF
[options]
addons_path = $ODOO_SOURCE/odoo/addons,$ODOO_SOURCE/addons,$CTRL_REPO/addons
db_host = ${PGHOST:-False}
db_port = ${PGPORT:-False}
db_user = ${PGUSER:-False}
db_password = ${PGPASSWORD:-False}
data_dir = $CTRL_HOME/data
http_interface = 127.0.0.1
log_level = info
CONF
}

ctrl_setup() {
    mkdir -p "$CTRL_HOME"
    setup_packages
    setup_postgres
    setup_odoo_source
    setup_venv
    write_config
    export PATH="$CTRL_VENV/bin:$PATH"
}

# Every ctrl addon in the checkout, comma separated.
ctrl_addons() { (cd "$CTRL_REPO/addons" && ls -d ctrl_*/ | tr -d / | paste -sd,); }
odoo_bin() { "$CTRL_VENV/bin/python" "$ODOO_SOURCE/odoo-bin" -c "$CTRL_CONF" "$@"; }
