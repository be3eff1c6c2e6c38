# shellcheck shell=bash
# Shared by setup/run.sh and setup/test.sh (sourced, not executed).
#
# Environment variables read (all optional):
#   ODOO_SRC        directory holding Odoo 18.0's source (the one containing
#                   the `odoo` package and odoo-bin); see slm_find_odoo
#   SLM_PYTHON      Python 3.11 interpreter to build .venv with (default:
#                   python3, else python3.11)
#   SLM_ADDONS      comma-separated suite addons to use instead of every
#                   installable addon found under addons/; "none" = no suite
#                   addon at all (helpdesk_mgmt only; also drops addons/ from
#                   the addons path), handy while an addon is broken mid-edit
#   SLM_EXTRA_ADDONS_PATH  comma-separated extra addons directories, put
#                   before the others on the addons path (their addons are
#                   only installed/tested when named in SLM_ADDONS)
#   SLM_APT         0 = never call apt-get, only report what is missing
#   SLM_CLONE_TIMEOUT  seconds allowed for cloning Odoo (default 1800)
#   PGHOST PGPORT PGUSER PGPASSWORD ...  libpq settings, honoured by psql,
#                   by Odoo and by pytest-odoo alike (odoo.conf sets none of
#                   db_host/db_port/db_user/db_password on purpose)

set -euo pipefail

SLM_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SLM_SETUP="$SLM_ROOT/setup"
SLM_VENV="$SLM_ROOT/.venv"
SLM_CONF="$SLM_ROOT/odoo.conf"
SLM_ODOO_BRANCH="18.0"
SLM_ODOO_DEFAULT_SRC="/opt/odoo18"
SLM_ODOO_GIT_URL="https://github.com/odoo/odoo.git"
# Addons the suite builds on, installed with the suite addons by both scripts.
SLM_BASE_MODULES="helpdesk_mgmt"

export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1
export GIT_TERMINAL_PROMPT=0

slm_log() { printf '\033[1m[slm]\033[0m %s\n' "$*" >&2; }
slm_die() {
    printf '\033[1;31m[slm] ERROR:\033[0m %s\n' "$1" >&2
    shift || true
    local line
    for line in "$@"; do printf '        %s\n' "$line" >&2; done
    exit 1
}
# slm_time LABEL CMD...: run CMD, then log how long it took. (CMD runs in an
# `||` context, where `set -e` is off: it must check its own errors.)
slm_time() {
    local label="$1" start rc=0
    shift
    start=$(date +%s)
    "$@" || rc=$?
    if [ "$rc" = 0 ]; then
        slm_log "$label: $(($(date +%s) - start))s"
    else
        slm_log "$label: $(($(date +%s) - start))s (exit $rc)"
    fi
    return "$rc"
}

# --------------------------------------------------------------------------
# System packages (Debian/Ubuntu): installed with apt-get when missing and we
# are root; otherwise the missing ones are listed and the script stops.
# --------------------------------------------------------------------------
_slm_python_has_headers() {
    "$1" -c 'import os, sys, sysconfig; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' 2>/dev/null
}

slm_find_python() {
    local cand
    for cand in ${SLM_PYTHON:-} python3 python3.11; do
        command -v "$cand" >/dev/null 2>&1 || continue
        if "$cand" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
            command -v "$cand"
            return 0
        fi
    done
    return 1
}

# slm_ensure_system_deps [browser]
slm_ensure_system_deps() {
    local want_browser="${1:-}" missing=() py
    command -v git >/dev/null || missing+=(git)
    command -v psql >/dev/null || missing+=(postgresql-client)
    command -v gcc >/dev/null || missing+=(gcc)
    command -v pg_config >/dev/null || missing+=(libpq-dev)
    if command -v ldconfig >/dev/null && ! ldconfig -p 2>/dev/null | grep -q 'libmagic\.so\.1'; then
        missing+=(libmagic1)
    fi
    if [ "$want_browser" = browser ] && ! slm_find_browser >/dev/null; then
        missing+=(chromium)
    fi
    # PDF reports (review minutes, scorecards) are rendered by wkhtmltopdf.
    command -v wkhtmltopdf >/dev/null || missing+=(wkhtmltopdf)
    py="$(slm_find_python || true)"
    if [ -z "$py" ]; then
        slm_die "Python 3.11 not found (the pins in setup/requirements*.txt are for CPython 3.11)." \
            "Install it (e.g. pyenv install 3.11; Debian 12: apt-get install python3 python3-venv python3-dev)" \
            "or point SLM_PYTHON at a python3.11 interpreter."
    fi
    if ! _slm_python_has_headers "$py"; then
        missing+=(python3-dev)
    fi
    if ! "$py" -c 'import venv, ensurepip' 2>/dev/null; then
        missing+=(python3-venv)
    fi
    [ "${#missing[@]}" -eq 0 ] && return 0

    if [ "${SLM_APT:-1}" != 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        slm_log "installing system packages: ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        if ! { apt-get update -q && apt-get install -y -q "${missing[@]}"; } \
            >"${TMPDIR:-/tmp}/slm-apt.log" 2>&1; then
            tail -20 "${TMPDIR:-/tmp}/slm-apt.log" >&2
            slm_die "apt-get install ${missing[*]} failed (log: ${TMPDIR:-/tmp}/slm-apt.log)."
        fi
    else
        slm_die "missing system packages: ${missing[*]}" \
            "Install them (Debian/Ubuntu: sudo apt-get install ${missing[*]}) and run again."
    fi
}

# slm_check_pdf_engine: say whether wkhtmltopdf can draw the company's header
# and footer (page numbers) in PDF reports. Only the build "with patched qt"
# (wkhtmltopdf 0.12.6, packaging releases) can; the distributions' builds
# (Debian, Ubuntu) print the reports without them. No registry this setup
# uses ships the patched build, so it is not installed here: README, "PDF
# reports", says what to install.
slm_check_pdf_engine() {
    local version
    version="$(wkhtmltopdf --version 2>/dev/null || true)"
    if [[ "$version" == *"with patched qt"* ]]; then
        return 0
    fi
    slm_log "PDF reports: ${version:-wkhtmltopdf} has no patched Qt: PDFs print without" \
        "the company header, footer and page numbers (README, PDF reports)."
}

slm_find_browser() {
    local b
    for b in chromium chromium-browser google-chrome google-chrome-stable; do
        if command -v "$b" >/dev/null 2>&1; then
            command -v "$b"
            return 0
        fi
    done
    return 1
}

# --------------------------------------------------------------------------
# Odoo 18.0 source
# --------------------------------------------------------------------------
# _slm_is_odoo18 DIR: DIR contains odoo/release.py of the 18.0 series.
_slm_is_odoo18() {
    [ -f "$1/odoo/release.py" ] && [ -f "$1/odoo/addons/base/__manifest__.py" ] &&
        grep -Eq '^version_info = \(18, 0,' "$1/odoo/release.py"
}

# Prints the directory of an `odoo` package importable by interpreter $1.
_slm_importable_odoo() {
    "$1" - <<'EOF' 2>/dev/null
import importlib.util, os
spec = importlib.util.find_spec("odoo")
for loc in (spec.submodule_search_locations or []) if spec else []:
    if os.path.isfile(os.path.join(loc, "release.py")):
        print(os.path.dirname(os.path.abspath(loc)))
        break
EOF
}

# Sets SLM_ODOO_SRC. Order: $ODOO_SRC, an already importable `odoo` (the
# project venv's, then python3's), /opt/odoo18, then a shallow git clone of
# the 18.0 branch into /opt/odoo18 when github.com answers.
slm_find_odoo() {
    local py dir
    if [ -n "${ODOO_SRC:-}" ]; then
        _slm_is_odoo18 "$ODOO_SRC" || slm_die "ODOO_SRC=$ODOO_SRC is not an Odoo 18.0 source tree" \
            "(expected \$ODOO_SRC/odoo/release.py with version_info = (18, 0, ...))."
        SLM_ODOO_SRC="$(cd "$ODOO_SRC" && pwd)"
        slm_log "Odoo 18.0 from \$ODOO_SRC: $SLM_ODOO_SRC"
        return 0
    fi
    for py in "$SLM_VENV/bin/python" python3; do
        { [ -x "$py" ] || command -v "$py" >/dev/null 2>&1; } || continue
        dir="$(_slm_importable_odoo "$py" || true)"
        if [ -n "$dir" ]; then
            if _slm_is_odoo18 "$dir"; then
                SLM_ODOO_SRC="$dir"
                slm_log "Odoo 18.0 importable by $py: $SLM_ODOO_SRC"
                return 0
            fi
            slm_log "ignoring the odoo importable by $py ($dir): not Odoo 18.0"
        fi
    done
    if _slm_is_odoo18 "$SLM_ODOO_DEFAULT_SRC"; then
        SLM_ODOO_SRC="$SLM_ODOO_DEFAULT_SRC"
        slm_log "Odoo 18.0 from $SLM_ODOO_SRC"
        return 0
    fi
    _slm_clone_odoo && return 0
    slm_die "Odoo 18.0 source not found, and it could not be cloned." \
        "Do one of:" \
        "  - export ODOO_SRC=/path/to/odoo   (a checkout of branch 18.0 of $SLM_ODOO_GIT_URL," \
        "                                     the directory that holds odoo-bin)" \
        "  - put that source in $SLM_ODOO_DEFAULT_SRC" \
        "  - install Odoo 18.0 so that 'python3 -c \"import odoo\"' works" \
        "then run this script again."
}

_slm_clone_odoo() {
    local dest="$SLM_ODOO_DEFAULT_SRC" tmp
    command -v git >/dev/null || return 1
    if [ -e "$dest" ] && [ -n "$(ls -A "$dest" 2>/dev/null)" ]; then
        slm_log "$dest exists but holds no Odoo 18.0 source; not cloning over it"
        return 1
    fi
    slm_log "no Odoo 18.0 found; trying: git clone --depth 1 --branch $SLM_ODOO_BRANCH $SLM_ODOO_GIT_URL $dest"
    if ! timeout 20 git ls-remote --exit-code "$SLM_ODOO_GIT_URL" "refs/heads/$SLM_ODOO_BRANCH" >/dev/null 2>&1; then
        slm_log "$SLM_ODOO_GIT_URL is not reachable from here (no network?)"
        return 1
    fi
    if ! mkdir -p "$(dirname "$dest")" 2>/dev/null || [ ! -w "$(dirname "$dest")" ]; then
        slm_log "cannot write to $(dirname "$dest")"
        return 1
    fi
    tmp="$dest.partial.$$"
    rm -rf "$tmp"
    if timeout "${SLM_CLONE_TIMEOUT:-1800}" git clone -q --depth 1 --branch "$SLM_ODOO_BRANCH" \
        "$SLM_ODOO_GIT_URL" "$tmp" && _slm_is_odoo18 "$tmp"; then
        rm -rf "$dest" && mv "$tmp" "$dest"
        SLM_ODOO_SRC="$dest"
        slm_log "cloned Odoo 18.0 into $dest"
        return 0
    fi
    rm -rf "$tmp"
    slm_log "git clone of Odoo 18.0 failed or timed out"
    return 1
}

# --------------------------------------------------------------------------
# Virtualenv + pinned requirements
# --------------------------------------------------------------------------
# Hash of everything that decides the venv's content; a stamp file in the
# venv holding it lets a second run skip pip entirely.
_slm_requirements_hash() {
    {
        cat "$SLM_SETUP/requirements-odoo.txt" "$SLM_SETUP/requirements.txt" "$SLM_SETUP/constraints.txt"
        "$SLM_VENV/bin/python" -VV
        echo "install-recipe-v1"
    } | sha256sum | cut -d' ' -f1
}

slm_ensure_venv() {
    local py stamp site
    py="$(slm_find_python)"
    if [ -x "$SLM_VENV/bin/python" ] &&
        ! "$SLM_VENV/bin/python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
        slm_log "$SLM_VENV is broken or not Python 3.11: recreating it"
        rm -rf "$SLM_VENV"
    fi
    if [ ! -x "$SLM_VENV/bin/python" ]; then
        slm_log "creating virtualenv $SLM_VENV with $py"
        "$py" -m venv "$SLM_VENV"
    fi

    # Make the Odoo source importable in the venv (no copy, no pip install).
    site="$("$SLM_VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
    printf '%s\n' "$SLM_ODOO_SRC" >"$site/slm-odoo-src.pth"
    # Launcher equivalent to odoo-bin, usable whatever the source location.
    cat >"$SLM_VENV/bin/odoo-bin" <<EOF
#!$SLM_VENV/bin/python
# Generated by setup/common.sh: Odoo from $SLM_ODOO_SRC (see slm-odoo-src.pth)
__import__('os').environ['TZ'] = 'UTC'
import odoo
if __name__ == "__main__":
    odoo.cli.main()
EOF
    chmod +x "$SLM_VENV/bin/odoo-bin"

    stamp="$SLM_VENV/.slm-requirements.sha256"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$(_slm_requirements_hash)" ]; then
        slm_log "Python requirements up to date (stamp $stamp)"
    else
        slm_time "pip install (pinned requirements)" _slm_pip_install
        _slm_requirements_hash >"$stamp"
    fi
    export PATH="$SLM_VENV/bin:$PATH"
    export VIRTUAL_ENV="$SLM_VENV"
    "$SLM_VENV/bin/python" -c 'import odoo.release as r; assert r.version_info[:2] == (18, 0), r.version' ||
        slm_die "odoo is not importable in $SLM_VENV"
}

_slm_pip_install() {
    local pip="$SLM_VENV/bin/pip" log="$SLM_VENV/pip-install.log" suite rc=0
    local -a oca
    suite="$(mktemp)"
    grep -v '^[[:space:]]*odoo-addon-' "$SLM_SETUP/requirements.txt" >"$suite"
    mapfile -t oca < <(sed -n 's/^[[:space:]]*\(odoo-addon-[^[:space:]#]*\).*/\1/p' "$SLM_SETUP/requirements.txt")
    slm_log "installing pinned Python requirements into $SLM_VENV (first run: a few minutes; log: $log)"
    {
        "$pip" install -r "$SLM_SETUP/requirements-odoo.txt" -c "$SLM_SETUP/constraints.txt" &&
            "$pip" install -r "$suite" -c "$SLM_SETUP/constraints.txt" &&
            "$pip" install --no-deps "${oca[@]}"
    } >"$log" 2>&1 || rc=$?
    rm -f "$suite"
    if [ "$rc" != 0 ]; then
        grep -v 'is ignored: it is neither a file nor a directory' "$log" | tail -30 >&2
        slm_die "pip install failed (full log: $log)"
    fi
}

# --------------------------------------------------------------------------
# PostgreSQL
# --------------------------------------------------------------------------
_slm_psql() { PGCONNECT_TIMEOUT="${PGCONNECT_TIMEOUT:-5}" psql -X -v ON_ERROR_STOP=1 -Atq "$@"; }

slm_check_postgres() {
    local user err where
    user="${PGUSER:-$(id -un)}"
    export PGUSER="$user"
    if [ "$user" = postgres ]; then
        slm_die "Odoo refuses to run as the database user 'postgres'." \
            "Set PGUSER to another role (it is created as a superuser if missing)."
    fi
    where="${PGHOST:-local socket}${PGPORT:+ port $PGPORT}"
    if err="$(_slm_psql -d postgres -c 'SELECT 1' 2>&1 >/dev/null)"; then
        return 0
    fi
    if printf '%s' "$err" | grep -q "role \"$user\" does not exist"; then
        slm_log "creating PostgreSQL role $user (SUPERUSER LOGIN)"
        if _slm_psql -U postgres -d postgres -c "CREATE ROLE \"$user\" SUPERUSER LOGIN" 2>/dev/null ||
            { [ "$(id -u)" = 0 ] && command -v runuser >/dev/null &&
                runuser -u postgres -- env PGCONNECT_TIMEOUT=5 psql -X -Atq -d postgres \
                    -c "CREATE ROLE \"$user\" SUPERUSER LOGIN"; }; then
            _slm_psql -d postgres -c 'SELECT 1' >/dev/null && return 0
        fi
        slm_die "PostgreSQL role '$user' does not exist and could not be created." \
            "Create it: sudo -u postgres psql -c 'CREATE ROLE \"$user\" SUPERUSER LOGIN'" \
            "or set PGUSER to an existing role that may create databases."
    fi
    slm_die "PostgreSQL is not reachable ($where) as role '$user':" \
        "  ${err//$'\n'/ }" \
        "Start it, e.g.:  pg_ctlcluster 15 main start     (Debian/Ubuntu; see: pg_lsclusters)" \
        "            or:  sudo systemctl start postgresql" \
        "or point PGHOST / PGPORT / PGUSER / PGPASSWORD at a running server."
}

slm_db_exists() {
    [ "$(_slm_psql -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$1'")" = 1 ]
}

# --------------------------------------------------------------------------
# Suite addons and Odoo command line
# --------------------------------------------------------------------------
# Sets SLM_SUITE_ADDONS (comma-separated, maybe empty) and SLM_ADDONS_PATH.
slm_discover_addons() {
    local found
    if [ -n "${SLM_ADDONS:-}" ]; then
        if [ "$SLM_ADDONS" = none ]; then
            SLM_SUITE_ADDONS=""
        else
            SLM_SUITE_ADDONS="$(printf '%s' "$SLM_ADDONS" | tr -d ' ')"
        fi
        slm_log "suite addons from SLM_ADDONS: ${SLM_SUITE_ADDONS:-(none)}"
    else
        # Every directory of addons/ holding an installable __manifest__.py.
        found="$("$SLM_VENV/bin/python" - "$SLM_ROOT/addons" <<'EOF'
import ast, pathlib, sys
root = pathlib.Path(sys.argv[1])
names = []
for manifest in sorted(root.glob("*/__manifest__.py")):
    try:
        data = ast.literal_eval(manifest.read_text())
    except Exception as exc:  # broken manifest: let Odoo report it
        print(f"warning: {manifest}: {exc}", file=sys.stderr)
        data = {}
    if data.get("installable", True):
        names.append(manifest.parent.name)
print(",".join(names))
EOF
)"
        SLM_SUITE_ADDONS="$found"
        slm_log "suite addons found under addons/: ${SLM_SUITE_ADDONS:-(none yet)}"
    fi
    # Addons path, computed here rather than written in odoo.conf because the
    # Odoo source location varies (ODOO_SRC, /opt/odoo18, ...). Odoo's own
    # odoo/addons is always on odoo.addons.__path__; OCA wheels in
    # site-packages/odoo/addons are found through the `odoo.addons` namespace
    # (pkgutil.extend_path), so neither needs listing beyond this.
    SLM_ADDONS_PATH="$SLM_ODOO_SRC/odoo/addons"
    if [ -n "$SLM_SUITE_ADDONS" ]; then
        SLM_ADDONS_PATH="$SLM_ROOT/addons,$SLM_ADDONS_PATH"
    fi
    if [ -n "${SLM_EXTRA_ADDONS_PATH:-}" ]; then
        SLM_ADDONS_PATH="$SLM_EXTRA_ADDONS_PATH,$SLM_ADDONS_PATH"
    fi
}

# slm_addon_dir NAME: directory of addon NAME on the addons path (or in
# site-packages/odoo/addons, where OCA wheels live); empty if not found.
slm_addon_dir() {
    local d site
    for d in ${SLM_ADDONS_PATH//,/ }; do
        if [ -f "$d/$1/__manifest__.py" ]; then
            printf '%s\n' "$d/$1"
            return 0
        fi
    done
    site="$("$SLM_VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
    if [ -f "$site/odoo/addons/$1/__manifest__.py" ]; then
        printf '%s\n' "$site/odoo/addons/$1"
    fi
}

# Modules to install: the suite's plus the ones it builds on.
slm_install_modules() {
    if [ -n "$SLM_SUITE_ADDONS" ]; then
        printf '%s,%s' "$SLM_SUITE_ADDONS" "$SLM_BASE_MODULES"
    else
        printf '%s' "$SLM_BASE_MODULES"
    fi
}

# slm_odoo ARGS...: odoo-bin with the project config and addons path.
slm_odoo() {
    "$SLM_VENV/bin/odoo-bin" -c "$SLM_CONF" --addons-path="$SLM_ADDONS_PATH" "$@"
}

# Everything both scripts need before touching a database.
slm_prepare() {
    cd "$SLM_ROOT"
    slm_ensure_system_deps "${1:-}"
    slm_check_pdf_engine
    slm_find_odoo
    slm_ensure_venv
    slm_check_postgres
    slm_discover_addons
}
