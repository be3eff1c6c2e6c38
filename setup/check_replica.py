#!/usr/bin/env python3
# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# pylint: disable=print-used
"""Prove that Odoo serves the suite's read-only requests from the read replica
(``setup/replica.sh check DB``; the replica must be up: ``setup/replica.sh up``).

Starts Odoo on DB (a database with the suite and its demo data) with
``--db_replica_host=127.0.0.1 --db_replica_port=<replica port>``, then, for
each request kind, counts the transactions of DB on the replica and on the
primary (``pg_stat_database``, each server its own) before and after
``--requests`` requests, and lists Odoo's connections to the replica
(``pg_stat_activity``):

- read-only: the portal pages of the customer's agreements, statements and
  reviews (``/my/slm/...``, logged in as the portal user ``deco``), and the
  overview (``slm.overview.get_overview`` through ``/web/dataset/call_kw``, as
  ``admin``): served by the replica;
- read/write: the helpdesk's ticket list (``/my/tickets``, not read-only):
  served by the primary.

Each request also runs a few short transactions on the primary (Odoo checks
its registry and cache signals there), which the primary's column shows.

Exits 1 when a read-only request kind left no transaction on the replica, or a
read/write one did.
"""

import argparse
import os
import re
import signal
import subprocess
import sys
import time

import psycopg2
import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# PostgreSQL publishes a session's counters when it goes idle, at most every
# second, else after 10 s: wait that long before and after each kind.
FLUSH = 11


def xacts(db, port=None, host=None):
    """Transactions (commits + rollbacks) of ``db`` counted by one server."""
    params = {"dbname": "postgres"}
    if port:
        params.update(host=host or "127.0.0.1", port=port)
    with psycopg2.connect(**params) as conn, conn.cursor() as cr:
        cr.execute(
            "SELECT xact_commit + xact_rollback FROM pg_stat_database "
            "WHERE datname = %s",
            [db],
        )
        return cr.fetchone()[0]


def replica_connections(db, port):
    with psycopg2.connect(host="127.0.0.1", port=port, dbname="postgres") as conn:
        with conn.cursor() as cr:
            cr.execute(
                "SELECT application_name, state, left(query, 60) FROM "
                "pg_stat_activity WHERE datname = %s AND application_name "
                "LIKE 'odoo-%%'",
                [db],
            )
            return cr.fetchall()


def start_odoo(db, port, replica_port):
    log = os.path.join(ROOT, ".logs", f"check-replica-{db}.log")
    os.makedirs(os.path.dirname(log), exist_ok=True)
    odoo_addons = "/opt/odoo18/odoo/addons"
    try:
        import odoo

        odoo_addons = os.path.join(os.path.dirname(odoo.__file__), "addons")
    except ImportError:
        pass
    command = [
        os.path.join(ROOT, ".venv", "bin", "odoo-bin"),
        "-c",
        os.path.join(ROOT, "odoo.conf"),
        f"--addons-path={os.path.join(ROOT, 'addons')},{odoo_addons}",
        "-d",
        db,
        f"--db-filter=^{db}$",
        f"--http-port={port}",
        "--workers=0",
        "--max-cron-threads=0",
        "--db_replica_host=127.0.0.1",
        f"--db_replica_port={replica_port}",
    ]
    with open(log, "w") as out:
        process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    for _attempt in range(240):
        try:
            requests.get(f"http://127.0.0.1:{port}/web/health", timeout=5)
            return process, log
        except requests.RequestException:
            time.sleep(0.5)
    os.killpg(process.pid, signal.SIGTERM)
    raise RuntimeError(f"Odoo did not start (see {log})")


def portal_session(base, login, password):
    session = requests.Session()
    page = session.get(f"{base}/web/login", timeout=60).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    answer = session.post(
        f"{base}/web/login",
        data={"login": login, "password": password, "csrf_token": token},
        timeout=60,
    )
    answer.raise_for_status()
    return session


def json_session(base, db, login, password):
    session = requests.Session()
    session.post(
        f"{base}/web/session/authenticate",
        json={"params": {"db": db, "login": login, "password": password}},
        timeout=60,
    ).raise_for_status()
    return session


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--replica-port", type=int, default=5433)
    parser.add_argument("--http-port", type=int, default=8128)
    parser.add_argument("--requests", type=int, default=10)
    args = parser.parse_args()
    base = f"http://127.0.0.1:{args.http_port}"
    process, log = start_odoo(args.db, args.http_port, args.replica_port)
    ok = True
    try:
        portal = portal_session(base, "deco", "deco")
        admin = json_session(base, args.db, "admin", "admin")

        def overview():
            answer = admin.post(
                f"{base}/web/dataset/call_kw/slm.overview/get_overview",
                json={
                    "params": {
                        "model": "slm.overview",
                        "method": "get_overview",
                        "args": [],
                        "kwargs": {},
                    }
                },
                timeout=120,
            )
            answer.raise_for_status()
            assert "error" not in answer.json(), answer.json()["error"]

        def page(path):
            def get():
                answer = portal.get(f"{base}{path}", timeout=120)
                answer.raise_for_status()
                assert "/web/login" not in answer.url, "not logged in"

            return get

        kinds = [
            ("/my/slm/agreements (portal, read-only)",
             page("/my/slm/agreements"), True),
            ("/my/slm/statements (portal, read-only)",
             page("/my/slm/statements"), True),
            ("/my/slm/reviews (portal, read-only)",
             page("/my/slm/reviews"), True),
            ("slm.overview.get_overview (read-only)", overview, True),
            ("/my/tickets (helpdesk_mgmt, read/write)", page("/my/tickets"), False),
        ]  # fmt: skip
        print(
            f"Odoo on {base} (log {log}), database {args.db}, read replica "
            f"127.0.0.1:{args.replica_port}; {args.requests} requests per kind\n"
            f"{'request':45} {'replica xacts':>14} {'primary xacts':>14}  served by"
        )
        for label, call, readonly in kinds:
            call()  # warm up (caches, the pool's connections)
            time.sleep(FLUSH)
            before = (xacts(args.db, args.replica_port), xacts(args.db))
            for _i in range(args.requests):
                call()
            time.sleep(FLUSH)
            after = (xacts(args.db, args.replica_port), xacts(args.db))
            on_replica, on_primary = (
                a - b for a, b in zip(after, before, strict=False)
            )
            served = "replica" if on_replica >= args.requests else "primary"
            good = (served == "replica") == readonly
            ok &= good
            print(
                f"{label:45} {on_replica:>14} {on_primary:>14}  {served}"
                + ("" if good else "  <- UNEXPECTED")
            )
        print("\nOdoo's connections to the replica (pg_stat_activity on the replica):")
        for app, state, query in replica_connections(args.db, args.replica_port):
            print(f"  {app} {state}: {query}")
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)
    print("OK: read-only requests are served by the replica" if ok else "FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
