#!/usr/bin/env bash
# Prepare everything and start the SLM suite in Odoo 18.0 at http://localhost:8069
#
#   ./setup/run.sh                 install what is missing, create or update the
#                                  database ${SLM_DB:-slm}, start Odoo (foreground)
#   ./setup/run.sh --no-start      the same, without starting Odoo (scripts, CI)
#   ./setup/run.sh -- ARGS...      pass ARGS to odoo-bin when starting
#                                  (e.g. -- --http-interface=0.0.0.0 --dev=xml)
#
# The database is created with every suite addon (each addons/*/ holding an
# installable __manifest__.py), helpdesk_mgmt and demo data when it does not
# exist; when it exists, the suite addons are installed/updated in it (-i/-u)
# and nothing is dropped. Environment: see README.md.
set -euo pipefail
# shellcheck source=setup/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

start=1
odoo_args=()
while [ $# -gt 0 ]; do
    case "$1" in
    --no-start) start=0 ;;
    -h | --help)
        awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
        exit 0
        ;;
    --)
        shift
        odoo_args=("$@")
        break
        ;;
    *) slm_die "unknown option: $1 (see --help)" ;;
    esac
    shift
done

DB="${SLM_DB:-slm}"
t0=$(date +%s)
slm_prepare
modules="$(slm_install_modules)"

if ! slm_db_exists "$DB"; then
    slm_log "creating database '$DB' with demo data: $modules"
    if ! slm_time "create database $DB" \
        slm_odoo -d "$DB" -i "$modules" --stop-after-init; then
        slm_die "installing $modules into the new database '$DB' failed (see the log above)." \
            "The half-built database is left for inspection; drop it with" \
            "  .venv/bin/odoo-bin db -c odoo.conf drop $DB" \
            "then run this script again."
    fi
else
    if [ "$(_slm_psql -d "$DB" -c "SELECT to_regclass('public.ir_module_module') IS NOT NULL")" != t ]; then
        slm_die "database '$DB' exists but is not an Odoo database; not touching it." \
            "Choose another name with SLM_DB=..."
    fi
    # Install the suite addons that are new since last time (-i) and update the
    # installed ones (-u), never both on one module: with -i, Odoo loads an
    # installed module in "init" mode, which re-applies its noupdate data
    # (demo records, scheduled actions a user may have tuned).
    installed="$(_slm_psql -d "$DB" -c "SELECT string_agg(name, ',') FROM ir_module_module WHERE state = 'installed'")"
    to_install=() to_update=()
    for m in ${modules//,/ }; do
        if [[ ",$installed," == *",$m,"* ]]; then to_update+=("$m"); else to_install+=("$m"); fi
    done
    args=()
    if [ "${#to_install[@]}" -gt 0 ]; then args+=(-i "$(IFS=,; echo "${to_install[*]}")"); fi
    if [ "${#to_update[@]}" -gt 0 ]; then args+=(-u "$(IFS=,; echo "${to_update[*]}")"); fi
    slm_log "database '$DB' exists: ${to_install[*]:+installing ${to_install[*]}; }${to_update[*]:+updating ${to_update[*]}}"
    if ! slm_time "update database $DB" slm_odoo -d "$DB" "${args[@]}" --stop-after-init; then
        slm_die "installing/updating $modules in '$DB' failed (see the log above)."
    fi
fi
slm_log "ready in $(($(date +%s) - t0))s"

if [ "$start" = 0 ]; then
    slm_log "--no-start: not starting Odoo. Start it with ./setup/run.sh"
    exit 0
fi

port="$(sed -n 's/^http_port *= *//p' "$SLM_CONF")"
cat >&2 <<EOF

  Odoo 18.0 + SLM suite   http://localhost:${port:-8069}/web/login
  database: $DB     login: admin     password: admin   (demo data loaded)
  database manager master password: admin   (odoo.conf admin_passwd)
  stop with Ctrl+C

EOF
exec "$SLM_VENV/bin/odoo-bin" -c "$SLM_CONF" --addons-path="$SLM_ADDONS_PATH" \
    -d "$DB" --db-filter="^${DB}\$" "${odoo_args[@]}"
