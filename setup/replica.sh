#!/usr/bin/env bash
# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
#
# A PostgreSQL streaming replica of the local server, on this machine, for
# Odoo's read replica (db_replica_host / db_replica_port): the overview, the
# reports and the customer portal pages are read-only requests that Odoo then
# serves from the replica (README.md, "Several hosts").
#
#   setup/replica.sh up      # copy the primary (pg_basebackup), start the replica
#   setup/replica.sh status  # the primary's replication and the replica's lag
#   setup/replica.sh down    # stop the replica and delete its copy
#   setup/replica.sh check DB  # prove a read-only request is served by it
#
# The primary needs wal_level = replica (or logical) and max_wal_senders > 0,
# which only a restart applies: the script says so and restarts the primary
# only when asked (--restart-primary), as that ends every session on it. It
# needs a pg_hba.conf entry for replication connections from this machine:
# when missing, the script appends one (trust, local socket and 127.0.0.1
# only) and reloads the primary's configuration, which ends no session.
#
# Variables: PGHOST / PGPORT (primary, default local socket / 5432),
# SLM_REPLICA_PORT (5433), SLM_REPLICA_DIR (/var/lib/postgresql/slm_replica_<port>),
# PG_BIN (/usr/lib/postgresql/<primary's major version>/bin).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
REPLICA_PORT="${SLM_REPLICA_PORT:-5433}"
REPLICA_DIR="${SLM_REPLICA_DIR:-/var/lib/postgresql/slm_replica_${REPLICA_PORT}}"
SOCKET_DIR="${SLM_REPLICA_SOCKET_DIR:-/var/run/postgresql}"

say() { printf '[replica] %s\n' "$*"; }
die() { say "$*" >&2; exit 1; }

primary() { psql -XAtq -d postgres -c "$1"; }
replica() { psql -XAtq -h "$SOCKET_DIR" -p "$REPLICA_PORT" -d postgres -c "$1"; }

major="$(primary "SHOW server_version_num" 2>/dev/null | cut -c1-2)" \
    || die "no PostgreSQL server answers (PGHOST=${PGHOST:-local socket}, PGPORT=${PGPORT:-5432})"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/${major}/bin}"
[ -x "$PG_BIN/pg_ctl" ] || die "no PostgreSQL $major binaries in $PG_BIN (set PG_BIN)"

# The server refuses to run as root: the replica runs as the owner of the
# primary's data directory (postgres on Debian).
OWNER="$(stat -c %U "$(primary "SHOW data_directory")" 2>/dev/null || echo postgres)"
as_owner() {
    if [ "$(id -un)" = "$OWNER" ]; then "$@"; else runuser -u "$OWNER" -- "$@"; fi
}

check_primary() {
    local wal senders restart=0
    wal="$(primary "SHOW wal_level")"
    senders="$(primary "SHOW max_wal_senders")"
    if [ "$wal" = "minimal" ] || [ "$senders" = "0" ]; then
        say "the primary has wal_level = $wal, max_wal_senders = $senders:"
        say "a replica needs wal_level = replica and max_wal_senders > 0, applied by a restart."
        if [ "${RESTART_PRIMARY:-0}" = "1" ]; then
            primary "ALTER SYSTEM SET wal_level = 'replica'"
            primary "ALTER SYSTEM SET max_wal_senders = 10"
            restart=1
        else
            die "run again with --restart-primary to set them and restart the primary (ends every session on it)"
        fi
    fi
    if [ "$restart" = "1" ]; then
        local data
        data="$(primary "SHOW data_directory")"
        say "restarting the primary ($data)..."
        if command -v pg_ctlcluster >/dev/null && [ -d "/etc/postgresql/$major/main" ]; then
            pg_ctlcluster "$major" main restart
        else
            as_owner "$PG_BIN/pg_ctl" -D "$data" restart -m fast -w
        fi
    fi
    # A replication entry in pg_hba.conf (the "all" database does not match
    # replication connections).
    local rules
    rules="$(primary "SELECT count(*) FROM pg_hba_file_rules WHERE 'replication' = ANY(database) AND error IS NULL")"
    if [ "$rules" = "0" ]; then
        local hba
        hba="$(primary "SHOW hba_file")"
        say "adding replication entries (trust, this machine only) to $hba and reloading the primary"
        {
            echo "# slm replica (setup/replica.sh): replication from this machine"
            echo "local   replication     all                                     trust"
            echo "host    replication     all             127.0.0.1/32            trust"
        } >>"$hba"
        primary "SELECT pg_reload_conf()" >/dev/null
    fi
}

cmd_up() {
    if replica "SELECT 1" >/dev/null 2>&1; then
        say "a server already answers on port $REPLICA_PORT"
        cmd_status
        return
    fi
    check_primary
    [ -e "$REPLICA_DIR" ] && die "$REPLICA_DIR exists: run '$0 down' first"
    local user
    user="$(primary "SELECT current_user")"
    mkdir -p "$REPLICA_DIR"
    chown "$OWNER" "$REPLICA_DIR"
    chmod 700 "$REPLICA_DIR"
    say "copying the primary into $REPLICA_DIR (pg_basebackup, every database)..."
    # -R: standby.signal and primary_conninfo, so the copy starts as a
    # streaming replica of the primary.
    as_owner "$PG_BIN/pg_basebackup" -h "${PGHOST:-$SOCKET_DIR}" -p "${PGPORT:-5432}" \
        -U "$user" -D "$REPLICA_DIR" -R -X stream -c fast
    # Debian keeps the configuration outside the data directory: the replica
    # gets its own. Hot standby needs these settings at least as high as the
    # primary's.
    local setting
    {
        echo "# setup/replica.sh: a hot standby of the local server"
        echo "port = $REPLICA_PORT"
        echo "listen_addresses = '127.0.0.1'"
        echo "unix_socket_directories = '$SOCKET_DIR'"
        echo "hot_standby = on"
        echo "hba_file = '$REPLICA_DIR/pg_hba.conf'"
        echo "ident_file = '$REPLICA_DIR/pg_ident.conf'"
        echo "shared_buffers = 128MB"
        echo "logging_collector = off"
        echo "log_line_prefix = '%m [%p] %a %d '"
        echo "max_standby_streaming_delay = 30s"
        echo "recovery_init_sync_method = syncfs"
        for setting in max_connections max_worker_processes max_wal_senders \
            max_prepared_transactions max_locks_per_transaction; do
            echo "$setting = $(primary "SHOW $setting")"
        done
    } >"$REPLICA_DIR/postgresql.conf"
    {
        echo "local   all             all                                     trust"
        echo "host    all             all             127.0.0.1/32            trust"
    } >"$REPLICA_DIR/pg_hba.conf"
    : >"$REPLICA_DIR/pg_ident.conf"
    chown "$OWNER" "$REPLICA_DIR"/postgresql.conf "$REPLICA_DIR"/pg_hba.conf "$REPLICA_DIR"/pg_ident.conf
    say "starting the replica on port $REPLICA_PORT (log $REPLICA_DIR/replica.log)..."
    as_owner "$PG_BIN/pg_ctl" -D "$REPLICA_DIR" -l "$REPLICA_DIR/replica.log" -w -t 600 start >/dev/null
    [ "$(replica "SELECT pg_is_in_recovery()")" = "t" ] || die "the server on port $REPLICA_PORT is not a standby"
    cmd_status
    say "Odoo: --db_replica_host=127.0.0.1 --db_replica_port=$REPLICA_PORT (or the same in odoo.conf)"
}

cmd_down() {
    if [ -f "$REPLICA_DIR/postmaster.pid" ]; then
        say "stopping the replica"
        as_owner "$PG_BIN/pg_ctl" -D "$REPLICA_DIR" -m fast -w stop >/dev/null || true
    fi
    if [ -d "$REPLICA_DIR" ]; then
        say "deleting $REPLICA_DIR"
        rm -rf "$REPLICA_DIR"
    fi
    say "down (the primary's pg_hba.conf replication entries stay; remove them by hand if unwanted)"
}

cmd_status() {
    say "primary: wal_level $(primary "SHOW wal_level"), senders:"
    primary "SELECT format('  %s from %s: %s, replay lag %s', application_name, coalesce(client_addr::text, 'local socket'), state, coalesce(replay_lag::text, '0')) FROM pg_stat_replication" || true
    if replica "SELECT 1" >/dev/null 2>&1; then
        say "replica on port $REPLICA_PORT: in recovery $(replica "SELECT pg_is_in_recovery()"), receiving $(replica "SELECT status FROM pg_stat_wal_receiver"), last replay $(replica "SELECT coalesce(now() - pg_last_xact_replay_timestamp(), '0')::text")"
    else
        say "no replica answers on port $REPLICA_PORT"
    fi
}

cmd_check() {
    [ -n "${1:-}" ] || die "usage: $0 check DATABASE (a database with the suite and its demo data)"
    replica "SELECT 1" >/dev/null 2>&1 || die "no replica on port $REPLICA_PORT: run '$0 up' first"
    "$ROOT/.venv/bin/python" "$HERE/check_replica.py" --db "$1" --replica-port "$REPLICA_PORT" "${@:2}"
}

RESTART_PRIMARY=0
args=()
for arg in "$@"; do
    case "$arg" in
        --restart-primary) RESTART_PRIMARY=1 ;;
        *) args+=("$arg") ;;
    esac
done
set -- "${args[@]:-}"
case "${1:-}" in
    up) cmd_up ;;
    down) cmd_down ;;
    status) cmd_status ;;
    check) shift; cmd_check "$@" ;;
    *) die "usage: $0 up [--restart-primary] | status | down | check DATABASE" ;;
esac
