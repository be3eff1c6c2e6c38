#!/usr/bin/env python3
# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# pylint: disable=print-used
"""Clocks for existing tickets on several workers (issue 14 item 6). Prints
figures, asserts nothing about speed; exits 1 when a check fails. Run from the
repository root after ./setup/run.sh --no-start:

    .venv/bin/python benchmarks/bench_backfill_workers.py \\
        [--tickets 200000] [--workers 1,4] [--kill-at 40] [--resume-workers 4] \\
        [--db-prefix slm_bench_backfill]

A base database ``<prefix>_base`` (the suite without demo data) is created on
first use, with N tickets bulk-inserted in SQL as the helpdesk held them before
the suite (no history, no clocks) and an agreed SLA with a response and a
resolution target in business hours covering them all. Each run works on a
fresh copy of it (``createdb -T``), on a real server started with
``--workers=1 --max-cron-threads=W`` (W cron worker processes, each one taking
the agreement's chunks as one of the *clock computation* scheduled actions):

- one run per W of ``--workers``: *Clocks for Existing Tickets* is pressed
  through JSON-RPC, then the agreement's progress (chunks done / total, tickets
  processed) is read every second until the job is done; printed: the time to
  queue, the time to finish, tickets per second, and the speed-up against the
  first W;
- the stop-and-resume run (``--kill-at P``, ``--resume-workers`` W): the server is
  killed (SIGKILL, every process) once P % of the chunks are done, started
  again, and the job finishes;

after each run the database is checked: every chunk done, every ticket with
its history (one ``created`` event, never two) and one clock per target (never
two: no chunk processed twice, no row lost).

On a 2-core machine the speed-up of 4 workers is bounded by about 2x (and by
PostgreSQL, which runs on the same cores); figures vary with the machine's
other load.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request

import psycopg2

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_clocks import ROOT, addons_path, ensure_database, in_registry  # noqa: E402

import odoo  # noqa: E402
from odoo.tools import config  # noqa: E402

SUITE = "helpdesk_mgmt,slm_catalogue,slm_agreements,slm_supplier,slm_reviews"
AGREEMENT = "Backfill bench SLA"


def psql(sql, db="postgres"):
    return subprocess.run(
        ["psql", "-XAtc", sql, db], capture_output=True, text=True, check=True
    ).stdout.strip()


def db_exists(name):
    return psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'") == "1"


def make_base(env, count):
    """N old tickets (no history, no clocks) and the agreed SLA covering them."""
    manager = env.ref("base.user_admin")
    service = env["slm.service"].create(
        {"code": "BFB", "name": "Backfill bench", "owner_id": manager.id}
    )
    service.sudo().state = "live"
    customer = env["res.partner"].create(
        {"name": "Backfill customer", "is_company": True}
    )
    calendar = env.ref("resource.resource_calendar_std")
    agreement = env["slm.agreement"].create(
        {
            "name": AGREEMENT,
            "kind": "sla",
            "structure": "service_based",
            "date_start": "2020-01-01",
            "service_ids": [(6, 0, service.ids)],
            "customer_signed_by_id": customer.id,
            "customer_signed_date": "2020-01-01",
            "target_ids": [
                (0, 0, {"name": "Response", "metric": "response",
                        "threshold_hours": 2, "calendar_id": calendar.id}),
                (0, 0, {"name": "Resolution", "metric": "resolution",
                        "threshold_hours": 16, "calendar_id": calendar.id}),
            ],
        }
    )  # fmt: skip
    template = env["helpdesk.ticket"].create(
        {
            "name": "Template",
            "description": "<p>Broken.</p>",
            "partner_id": customer.id,
            "service_id": service.id,
        }
    )
    env.flush_all()
    stages = [
        env.ref(f"helpdesk_mgmt.helpdesk_ticket_stage_{name}").id
        for name in ("new", "in_progress", "done")
    ]
    cr = env.cr
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = 'helpdesk_ticket' AND column_name NOT IN "
        "('id', 'name', 'number', 'create_date', 'write_date', 'stage_id', "
        "'closed_date', 'last_stage_update', 'priority', 'access_token')"
    )
    columns = ", ".join(f'"{row[0]}"' for row in cr.fetchall())
    # Created over the last 60 days; a third closed 5 hours later.
    cr.execute(
        f"""
        INSERT INTO helpdesk_ticket (name, number, create_date, write_date,
               stage_id, closed_date, last_stage_update, priority, {columns})
        SELECT 'Old ticket ' || n, 'BF' || n, created, created,
               (%(stages)s::int[])[n %% 3 + 1],
               CASE WHEN n %% 3 = 2 THEN created + interval '5 hours' END,
               created + CASE WHEN n %% 3 = 2 THEN interval '5 hours'
                              ELSE interval '0' END,
               (n %% 4)::varchar, {columns}
          FROM helpdesk_ticket,
               generate_series(1, %(count)s) AS n,
               LATERAL (SELECT now() at time zone 'UTC'
                               - (n %% 60) * interval '1 day'
                               - (n %% 24) * interval '1 hour'
                               - (n %% 57) * interval '1 minute' AS created) c
         WHERE id = %(template)s
        """,
        {"stages": stages, "count": count, "template": template.id},
    )
    template.unlink()
    agreement.with_user(manager).action_agree()
    cr.commit()


def ensure_base(prefix, count):
    base = f"{prefix}_base"
    if db_exists(base):
        have = int(psql("SELECT count(*) FROM helpdesk_ticket", base))
        if have >= count:
            return base
        psql(f'DROP DATABASE "{base}"')
    ensure_database(base, SUITE)
    print(f"inserting {count:,} old tickets into {base}...", flush=True)
    odoo.modules.registry.Registry.delete(base)
    in_registry(base, lambda env: make_base(env, count))
    odoo.modules.registry.Registry.delete(base)
    odoo.sql_db.close_db(base)  # a template database must have no connection
    return base


class Server:
    """An Odoo server in prefork mode with ``crons`` cron worker processes."""

    def __init__(self, db, port, crons, log):
        self.db, self.port, self.crons, self.log = db, port, crons, log
        self.process = None

    def start(self):
        command = [
            os.path.join(ROOT, ".venv", "bin", "odoo-bin"),
            "-c",
            os.path.join(ROOT, "odoo.conf"),
            f"--addons-path={addons_path()}",
            "-d",
            self.db,
            f"--db-filter=^{self.db}$",
            "--workers=1",
            f"--max-cron-threads={self.crons}",
            f"--http-port={self.port}",
            f"--gevent-port={self.port + 1}",
            "--limit-time-real=3600",
            "--limit-time-cpu=3600",
            "--limit-memory-soft=4294967296",
            "--limit-memory-hard=6442450944",
            "--log-level=warn",
        ]
        with open(self.log, "a") as log:
            self.process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        for _attempt in range(120):
            try:
                urllib.request.urlopen(
                    f"http://127.0.0.1:{self.port}/web/health", timeout=5
                )
                return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(f"the server did not start (see {self.log})")

    def kill(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.kill()

    def call(self, model, method, *args, **kwargs):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {
                "service": "object",
                "method": "execute_kw",
                "args": [self.db, 2, "admin", model, method, list(args), kwargs],
            },
        }
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/jsonrpc",
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=600) as response:
            answer = json.load(response)
        if "error" in answer:
            raise RuntimeError(answer["error"]["data"]["message"])
        return answer.get("result")


PROGRESS = [
    "clock_job_state",
    "clock_job_chunks_done",
    "clock_job_chunk_count",
    "clock_job_done",
]


def wait_done(server, agreement_id, kill_at=None, started=None):
    """Poll the agreement's progress each second until the job is done (or,
    with ``kill_at``, until that share of chunks is done: then return False)."""
    last_print = 0
    while True:
        (values,) = server.call("slm.agreement", "read", [agreement_id], PROGRESS)
        state, done, total = (values[f] for f in PROGRESS[:3])
        now = time.monotonic()
        if now - last_print >= 10 or state in ("done", "failed"):
            print(
                f"    {now - started:6.1f} s: {state}, {done}/{total} chunks, "
                f"{values['clock_job_done']:,} tickets",
                flush=True,
            )
            last_print = now
        if state in ("done", "failed"):
            return True
        if kill_at is not None and total and done * 100 >= kill_at * total:
            return False
        time.sleep(1)


def check(db, tickets):
    """Every chunk done; every ticket with one history and one clock per target."""
    with psycopg2.connect(dbname=db) as conn, conn.cursor() as cr:
        cr.execute("SELECT id FROM slm_agreement WHERE name = %s", [AGREEMENT])
        agreement_id = cr.fetchone()[0]
        cr.execute(
            "SELECT count(*) FILTER (WHERE state = 'todo'), count(*), "
            "coalesce(sum(skipped_count), 0) FROM slm_clock_job_chunk "
            "WHERE agreement_id = %s",
            [agreement_id],
        )
        todo, chunks, skipped = cr.fetchone()
        cr.execute(
            "SELECT count(*) FROM slm_target WHERE agreement_id = %s", [agreement_id]
        )
        targets = cr.fetchone()[0]
        cr.execute(
            """
            SELECT count(*) FILTER (WHERE n = 0), count(*) FILTER (WHERE n > 1)
              FROM (SELECT t.id, count(e.id) AS n FROM helpdesk_ticket t
                      LEFT JOIN slm_ticket_event e
                             ON e.ticket_id = t.id AND e.event_type = 'created'
                     WHERE t.number LIKE 'BF%%' GROUP BY t.id) s
            """
        )
        no_history, two_histories = cr.fetchone()
        cr.execute(
            """
            SELECT count(*) FILTER (WHERE n < %s), count(*) FILTER (WHERE n > %s)
              FROM (SELECT t.id, count(c.id) AS n FROM helpdesk_ticket t
                      LEFT JOIN slm_clock c
                             ON c.ticket_id = t.id AND c.agreement_id = %s
                     WHERE t.number LIKE 'BF%%' GROUP BY t.id) s
            """,
            [targets, targets, agreement_id],
        )
        missing, doubled = cr.fetchone()
    problems = {
        "chunks left to do": todo,
        "tickets skipped": skipped,
        "tickets without history": no_history,
        "tickets with two histories": two_histories,
        "tickets missing a clock": missing,
        "tickets with a clock twice": doubled,
    }
    failed = {k: v for k, v in problems.items() if v}
    print(
        f"    check: {chunks} chunks, {tickets:,} tickets x {targets} targets: "
        + (", ".join(f"{k} {v}" for k, v in failed.items()) or "all there, none twice"),
        flush=True,
    )
    return not failed


def run(base, prefix, workers, port, tickets, kill_at=None):
    db = f"{prefix}_run"
    if db_exists(db):
        psql(f'DROP DATABASE "{db}"')
    psql(f'CREATE DATABASE "{db}" TEMPLATE "{base}"')
    os.makedirs(os.path.join(ROOT, ".logs"), exist_ok=True)
    log = os.path.join(ROOT, ".logs", f"bench-backfill-{workers}.log")
    server = Server(db, port, workers, log)
    label = f"{workers} worker(s)" + (f", killed at {kill_at} %" if kill_at else "")
    print(f"  {label}: server on port {port}, log {log}", flush=True)
    try:
        server.start()
        (agreement_id,) = server.call(
            "slm.agreement", "search", [("name", "=", AGREEMENT)]
        )
        started = time.monotonic()
        server.call("slm.agreement", "action_backfill_clocks", [agreement_id])
        queued = time.monotonic() - started
        print(f"    queued in {queued:.1f} s", flush=True)
        if kill_at is not None and not wait_done(
            server, agreement_id, kill_at, started
        ):
            server.kill()
            print("    killed (SIGKILL, every process); starting again", flush=True)
            server.start()
        wait_done(server, agreement_id, started=started)
        elapsed = time.monotonic() - started
    finally:
        server.stop()
    ok = check(db, tickets)
    return queued, elapsed, ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tickets", type=int, default=200_000)
    parser.add_argument("--workers", default="1,4")
    parser.add_argument(
        "--kill-at", type=int, default=40, help="percent; 0 = no stop-and-resume run"
    )
    parser.add_argument(
        "--resume-workers",
        type=int,
        default=4,
        help="cron workers of the stop-and-resume run",
    )
    parser.add_argument("--db-prefix", default="slm_bench_backfill")
    parser.add_argument("--port", type=int, default=18831)
    args = parser.parse_args()
    config.parse_config(["-c", os.path.join(ROOT, "odoo.conf")])
    config["addons_path"] = addons_path()
    base = ensure_base(args.db_prefix, args.tickets)
    tickets = int(
        psql("SELECT count(*) FROM helpdesk_ticket WHERE number LIKE 'BF%'", base)
    )
    print(f"{tickets:,} existing tickets without clocks ({base})", flush=True)
    results = {}
    all_ok = True
    for workers in [int(w) for w in args.workers.split(",") if w]:
        queued, elapsed, ok = run(base, args.db_prefix, workers, args.port, tickets)
        results[workers] = elapsed
        all_ok &= ok
    if args.kill_at:
        workers = args.resume_workers
        _queued, elapsed, ok = run(
            base, args.db_prefix, workers, args.port, tickets, kill_at=args.kill_at
        )
        all_ok &= ok
        print(
            f"  stop and resume with {workers} worker(s): {elapsed:.1f} s in all, "
            f"{'finished' if ok else 'FAILED'}",
            flush=True,
        )
    first = min(results, default=None)
    print("\nworkers  seconds  tickets/s  speed-up")
    for workers, elapsed in sorted(results.items()):
        print(
            f"{workers:>7}  {elapsed:7.1f}  {tickets / elapsed:9.0f}  "
            f"{results[first] / elapsed:7.2f}x"
        )
    print(
        "(times from pressing the button to the job done, queueing included; "
        f"{os.cpu_count()} CPU cores, shared with whatever else runs)"
    )
    sys.exit(0 if all_ok else 1)


if __name__ == "__main__":
    main()
