#!/usr/bin/env bash
# Run every check of the SLM suite; exits non-zero on any failure.
#
#   ./setup/test.sh
#
# 1. installs what is missing (same code as run.sh: setup/common.sh)
# 2. quality gates: pre-commit run --all-files (ruff, ruff-format, pylint-odoo,
#    OCA module checks, hygiene hooks; see .pre-commit-config.yaml)
# 3. drops and rebuilds the test database ${SLM_TEST_DB:-slm_test} (ours only)
#    with the suite addons + helpdesk_mgmt and demo data, running the tests
#    with Odoo's own runner (--test-enable --test-tags /<addon>,...)
#    then the upgrade and uninstall check (setup/check_upgrade.py) on its own
#    database ${SLM_UPGRADE_DB:-<test db>_upgrade} (SLM_SKIP_UPGRADE_CHECK=1: skip)
# 4. runs the same tests again with pytest-odoo on that database
#    (pytest's summary line is the last line printed)
#
# Environment: SLM_TEST_DB, SLM_ADDONS, SLM_EXTRA_ADDONS_PATH,
# SLM_SKIP_GATES=1 (skip step 2), SLM_TEST_TIMEOUT (seconds per pytest test,
# default 600), SLM_ODOO_TEST_TIMEOUT (seconds for Odoo's runner, default 1500),
# SLM_TEST_HTTP_PORT (port of Odoo's runner, default 8169, so that a running
# ./setup/run.sh on 8069 does not clash), PG*, ODOO_SRC; see README.md.
set -euo pipefail
# shellcheck source=setup/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

DB="${SLM_TEST_DB:-slm_test}"
HTTP_PORT="${SLM_TEST_HTTP_PORT:-8169}"
LOG_DIR="$SLM_ROOT/.logs"
ODOO_LOG="$LOG_DIR/odoo-tests.log"
t0=$(date +%s)

slm_prepare browser # (not under slm_time: `set -e` must stay in force)
slm_log "prepare (system packages, Odoo, venv, PostgreSQL): $(($(date +%s) - t0))s"
modules="$(slm_install_modules)"
mkdir -p "$LOG_DIR"

# ---------------------------------------------------------------- 1. gates
# The gates run on a throwaway snapshot of the working tree, so that this
# script never rewrites your files: pre-commit's fixers (ruff --fix,
# ruff-format, end-of-file, trailing-whitespace) only change the snapshot,
# fail, and show the diff. The snapshot holds the files git tracks plus the
# untracked ones that .gitignore does not exclude (uncommitted edits
# included). To apply the fixes: .venv/bin/pre-commit run --all-files
# (with .venv/bin on PATH) in the repository.

# Working-tree files git knows or would add (NUL-separated), existing ones only.
_gate_files() {
    local f
    while IFS= read -r -d '' f; do
        if [ -e "$f" ] || [ -L "$f" ]; then printf '%s\0' "$f"; fi
    done < <(git ls-files -z --cached --others --exclude-standard)
}

run_gates() {
    if [ "${SLM_SKIP_GATES:-0}" = 1 ]; then
        slm_log "SLM_SKIP_GATES=1: quality gates skipped"
        return 0
    fi
    git -C "$SLM_ROOT" rev-parse --git-dir >/dev/null 2>&1 ||
        { slm_log "not a git checkout: pre-commit cannot run"; return 1; }
    local snap rc=0
    snap="$(mktemp -d "${TMPDIR:-/tmp}/slm-gates.XXXXXX")"
    (cd "$SLM_ROOT" && _gate_files | tar --null -T - -cf -) | tar -xf - -C "$snap" || rc=$?
    if [ "$rc" = 0 ]; then
        (cd "$snap" && git init -q && git add -A &&
            PRE_COMMIT_COLOR="$([ -t 1 ] && echo always || echo never)" \
                pre-commit run --all-files --show-diff-on-failure) || rc=$?
    fi
    rm -rf "$snap"
    return "$rc"
}
slm_time "quality gates (pre-commit)" run_gates ||
    slm_die "quality gates failed (see above). Fix, or SLM_SKIP_GATES=1 to run the tests anyway."

# ------------------------------------- 2. fresh database + Odoo's test runner
if [ "$DB" = "${SLM_DB:-slm}" ]; then
    slm_die "SLM_TEST_DB=$DB is run.sh's database (SLM_DB); test.sh drops its database: choose another name."
fi
if slm_db_exists "$DB"; then
    slm_log "dropping test database '$DB' (and its filestore)"
    out="$("$SLM_VENV/bin/odoo-bin" db -c "$SLM_CONF" drop "$DB" 2>&1)" ||
        slm_die "could not drop the test database '$DB':" "$out"
fi

# shellcheck disable=SC2086 # split the comma-separated list on purpose
tags="$(printf '/%s,' ${modules//,/ })"
tags="${tags%,}"
slm_log "Odoo runner: installing $modules into '$DB' with demo data, tests $tags (log: $ODOO_LOG)"

# odoo_runner: returns 0 when all is well, 1 when tests failed or errors were
# logged but the database got installed (pytest still runs), 2 when the
# installation itself broke.
odoo_runner() {
    # odoo_runner DB LOG TAGS [extra odoo-bin arguments...]
    local db="$1" log="$2" run_tags="$3"
    shift 3
    local rc=0 summary log_line='^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) '
    # Odoo's runner has no per-test limit (browser tests wait up to 30 min):
    # bound the whole run.
    timeout --kill-after=60 "${SLM_ODOO_TEST_TIMEOUT:-1500}" \
        "$SLM_VENV/bin/odoo-bin" -c "$SLM_CONF" --addons-path="$SLM_ADDONS_PATH" \
        -d "$db" -i "$modules" "$@" \
        --test-enable --test-tags "$run_tags" --stop-after-init \
        --http-port="$HTTP_PORT" --db-filter="^${db}\$" \
        >"$log" 2>&1 || rc=$?
    # Show progress, results and anything at WARNING or above, except the
    # DeprecationWarnings Werkzeug 2.3 raises for werkzeug.urls (used all over
    # Odoo 18; harmless) -- the full log stays in $ODOO_LOG.
    grep -E ' (WARNING|ERROR|CRITICAL) |odoo\.tests\.(result|stats)|odoo\.modules\.loading: [0-9]+ modules loaded|Starting post tests|post-tests in' \
        "$log" | grep -vE "py\.warnings: .*DeprecationWarning: 'werkzeug\.urls\." | cut -c1-400 || true
    # Odoo 18 exits non-zero when a test fails, and ends with
    # "odoo.tests.result: F failed, E error(s) of N tests when loading database".
    if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
        slm_log "Odoo runner timed out after ${SLM_ODOO_TEST_TIMEOUT:-1500}s"
        return 2
    fi
    summary="$(grep -E 'odoo\.tests\.result: .* tests when loading database' "$log" | tail -1 || true)"
    if [ -z "$summary" ] || grep -qE ' CRITICAL |Failed to initialize database' "$log"; then
        slm_log "Odoo runner: installation failed (exit $rc)"
        return 2
    fi
    if [ "$rc" != 0 ]; then
        slm_log "Odoo runner exited with $rc: ${summary#*odoo.tests.result: }"
        return 1
    fi
    if grep -qE "$log_line" "$log"; then
        slm_log "Odoo runner logged ERROR lines:"
        grep -E "$log_line" "$log" | cut -c1-400 >&2
        return 1
    fi
    if ! printf '%s' "$summary" | grep -qE ': 0 failed, 0 error\(s\) of [1-9][0-9]* tests'; then
        slm_log "Odoo runner: no test ran (${summary#*odoo.tests.result: })"
        return 1
    fi
}
odoo_status=0
slm_time "Odoo runner (install + tests)" odoo_runner "$DB" "$ODOO_LOG" "$tags" || odoo_status=$?
if [ "$odoo_status" = 2 ]; then
    slm_die "Odoo's runner broke off (installation failed or timed out); pytest not run (full log: $ODOO_LOG)."
elif [ "$odoo_status" != 0 ]; then
    slm_log "Odoo's test runner FAILED (full log: $ODOO_LOG); running pytest anyway," \
        "the script will exit non-zero whatever pytest says."
fi

# ------------------------- 2b. install without demo data (suite tests only)
# The suite's tests build their own data, so they must pass on a database
# without demo data too (the demo-data tests skip themselves there).
suite_tags="$(printf '/%s,' $(printf '%s\n' ${modules//,/ } | grep -vx "${SLM_BASE_MODULES//,/\|}"))"
suite_tags="${suite_tags%,}"
if [ -n "$suite_tags" ] && [ "${SLM_SKIP_NODEMO:-0}" != 1 ]; then
    NODEMO_DB="${DB}_nodemo"
    if slm_db_exists "$NODEMO_DB"; then
        "$SLM_VENV/bin/odoo-bin" db -c "$SLM_CONF" drop "$NODEMO_DB" >/dev/null 2>&1 ||
            slm_die "could not drop the test database '$NODEMO_DB'"
    fi
    slm_log "Odoo runner without demo data: '$NODEMO_DB', tests $suite_tags (log: $LOG_DIR/odoo-tests-nodemo.log)"
    nodemo_status=0
    slm_time "Odoo runner without demo data (install + tests)" \
        odoo_runner "$NODEMO_DB" "$LOG_DIR/odoo-tests-nodemo.log" "$suite_tags" --without-demo=all ||
        nodemo_status=$?
    if [ "$nodemo_status" != 0 ]; then
        slm_log "Odoo's test runner FAILED without demo data (log: $LOG_DIR/odoo-tests-nodemo.log)"
        odoo_status=1
    fi
fi

# ------------------------------------------- 2c. upgrade and uninstall safety
# setup/check_upgrade.py: the suite installed on a helpdesk with 5,000 tickets
# (backfill), upgraded twice (the second changes nothing), uninstalled
# (helpdesk_mgmt's tests pass afterwards), on its own database.
if [ -n "$suite_tags" ] && [ "${SLM_SKIP_UPGRADE_CHECK:-0}" != 1 ]; then
    suite_modules="${suite_tags//\//}"
    if ! slm_time "upgrade and uninstall check" \
        env SLM_UPGRADE_DB="${SLM_UPGRADE_DB:-${DB}_upgrade}" \
        SLM_UPGRADE_HTTP_PORT="$HTTP_PORT" \
        "$SLM_VENV/bin/python" "$SLM_SETUP/check_upgrade.py" \
        --suite "$suite_modules" --addons-path "$SLM_ADDONS_PATH"; then
        slm_log "upgrade/uninstall check FAILED (log: $LOG_DIR/check-upgrade.log)"
        odoo_status=1
    fi
fi

# --------------------------------------------------------------- 3. pytest
paths=()
for m in ${modules//,/ }; do
    d="$(slm_addon_dir "$m")"
    if [ -n "$d" ] && [ -d "$d/tests" ]; then
        paths+=("$(realpath --relative-to="$SLM_ROOT" "$d/tests")")
    fi
done
[ "${#paths[@]}" -gt 0 ] || slm_die "no tests/ directory in any of: $modules"
slm_log "setup + gates + Odoo runner: $(($(date +%s) - t0))s; now pytest-odoo on '$DB': ${paths[*]}"

# pytest-odoo options:
# --odoo-http: pytest-odoo 2.3 skips every HttpCase unless this is given; with
#   it, pytest-odoo starts Odoo's HTTP server (threaded, on a random free
#   port) for the session, so HttpCase tests (url_open, portal pages,
#   browser_js/HOOT and tours in headless Chromium) run under pytest too.
# conftest.py (repo root) makes pytest select the same tests as Odoo's runner
#   (no imported classes, no inherited test methods, no '-standard' tags),
#   sets odoo.modules.module.current_test like Odoo's runner, and fails the
#   run when a test module is missing from its tests/__init__.py.
# --timeout: a test running longer than SLM_TEST_TIMEOUT seconds fails
#   (SIGALRM, main thread) and the session goes on to its summary.
# TZ=UTC: odoo-bin forces it before importing Odoo; pytest does not.
rc=0
TZ=UTC pytest -p no:cacheprovider \
    --odoo-config="$SLM_CONF" --odoo-database="$DB" \
    --odoo-addons-path="$SLM_ADDONS_PATH" --odoo-http \
    --odoo-log-level=warn -r fEs \
    --timeout="${SLM_TEST_TIMEOUT:-600}" --timeout-method=signal \
    "${paths[@]}" || rc=$?
if [ "$rc" = 5 ]; then
    # pytest exit code 5 = no test collected: an error here.
    slm_die "pytest collected no test."
fi
if [ "$rc" = 0 ] && [ "$odoo_status" != 0 ]; then
    rc=1 # Odoo's runner failed (reported above, before pytest started)
fi
exit "$rc"
