#!/usr/bin/env python3
# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# pylint: disable=print-used
"""Load and concurrency check (issue: end-to-end quality). Run from the
repository root after ./setup/run.sh --no-start:

    .venv/bin/python benchmarks/load_concurrency.py [--db slm_load] [--seconds 60]

1. Creates the database (default slm_load; the suite without demo data) on
   first use and reuses it afterwards. Sets up, once: a helpdesk agent (a
   helpdesk user, nothing else), a customer, and an agreed customer-based SLA
   with a response and a resolution target counted around the clock with short
   thresholds (0.005 h and 0.01 h by default: 18 s and 36 s), a warning at
   50 % and an escalation level at 150 %, so that warnings, breaches and
   escalations happen during the run. The breach scan's scheduled action runs
   every minute.
2. Starts Odoo on loopback with --workers=4 --max-cron-threads=2 (HTTP and
   gevent ports of its own) in a subprocess.
3. For N seconds (default 60): 20 JSON-RPC clients (threads, /jsonrpc
   execute_kw as the agent) create tickets, reply to them (message_post, a
   public comment) and close them, picking tickets from a shared pool so that
   they collide; meanwhile the scheduled breach scan runs on the cron workers
   (triggered every 15 s, as ir.cron._trigger does), and two more threads run
   the scan's own server action through JSON-RPC (as admin) back to back, so
   that up to four scans overlap. A client retries a request that failed on a
   serialization failure (up to 5 times; Odoo has already retried it 5 times
   itself) and counts it.
4. Stops Odoo, runs one last scan (what the next scheduled run would do), and
   checks the tickets of this run: no error other than retried serialization
   failures (clients and server log); one breach record per breached clock and
   none twice; no scan note line (ticket, target, level) posted twice; no
   activity twice; every clock equal, in status, stop and deadline, to the
   clock recomputed from its ticket's event history (slm.clock._compute_values).

Prints requests served, requests per second and p50/p95 latency per request
kind, errors by kind, retries, and the checks. Exit status 1 when a check fails.

Against plain helpdesk_mgmt (issue 14 item 7):

    .venv/bin/python benchmarks/load_concurrency.py --plain   # plain only
    .venv/bin/python benchmarks/load_concurrency.py --compare # both, side by side

``--plain`` runs the same clients for the same time on a database with
helpdesk_mgmt only (default ``<db>_plain``, created on first use): no
agreement, no scan, no checks of clocks. ``--compare`` runs plain, then the
suite, and prints per request kind (create, reply, close) the requests per
second and the p50/p95 latency of each, with the ratio suite / plain (aim: the
suite within 10 %). The suite side keeps its scheduled breach scan (every
minute, triggered every 15 s) but, unless ``--scan-threads`` says otherwise,
not the two extra scan threads, which have no counterpart on the plain side.
Latency is the client's: from the request to its answer, retries included.
"""

import argparse
import collections
import http.client
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import warnings

import psycopg2

import odoo
from odoo.tools import config

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SUITE = ("slm_catalogue", "slm_agreements", "slm_supplier", "slm_reviews")
AGENT = "slm_load_agent"
SLA_NAME = "Load test SLA"
RETRY_KINDS = ("SerializationFailure", "could not serialize access")
# "could not serialize" errors Odoo retried itself (odoo/service/model.py)
SERVER_RETRY = re.compile(r"odoo\.service\.model: (\w+), \d+ tries left")
SERVER_GAVE_UP = re.compile(r"odoo\.service\.model: (\w+), maximum number of tries")
LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ ")
LOG_ERROR = re.compile(r"^\S+ \S+ \d+ (ERROR|CRITICAL) ")
CONFLICTS = (
    "could not serialize access",
    "deadlock detected",
    "SerializationFailure",
    "DeadlockDetected",
)
REQUEST = re.compile(r'werkzeug: .*"POST /jsonrpc HTTP/[\d.]+" (\d{3}) ')


def addons_path():
    odoo_addons = os.path.join(os.path.dirname(odoo.__file__), "addons")
    return f"{os.path.join(ROOT, 'addons')},{odoo_addons}"


def odoo_bin(*args):
    return [
        os.path.join(ROOT, ".venv", "bin", "odoo-bin"),
        "-c",
        os.path.join(ROOT, "odoo.conf"),
        f"--addons-path={addons_path()}",
        *args,
    ]


def database_exists(name):
    out = subprocess.run(
        ["psql", "-XAtc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"]
        + ["postgres"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return out == "1"


def suite_modules():
    return ",".join(
        name
        for name in SUITE
        if os.path.isfile(os.path.join(ROOT, "addons", name, "__manifest__.py"))
    )


def ensure_database(name, modules):
    if database_exists(name):
        print(f"reusing database {name}", flush=True)
        return
    print(f"creating database {name} with {modules} (no demo data)...", flush=True)
    subprocess.run(
        odoo_bin(
            "-d",
            name,
            "-i",
            modules,
            "--without-demo=all",
            "--stop-after-init",
            "--log-level=warn",
        ),
        check=True,
    )


def in_registry(dbname, func):
    """Run ``func(env)`` as superuser and commit."""
    registry = odoo.modules.registry.Registry(dbname)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        result = func(env)
        cr.commit()  # pylint: disable=invalid-commit
        return result


def setup_data(env, response_hours, resolution_hours, plain=False):
    """Agent, customer, agreed SLA, per-minute scan (the suite only); returns
    ids for the run."""
    users = env["res.users"].with_context(no_reset_password=True)
    agent = users.with_context(active_test=False).search([("login", "=", AGENT)])
    if not agent:
        agent = users.create(
            {
                "name": "Load Agent",
                "login": AGENT,
                "password": AGENT,
                "email": "load.agent@example.com",
                "groups_id": [
                    (6, 0, [env.ref("helpdesk_mgmt.group_helpdesk_user").id])
                ],
            }
        )
    customer = env["res.partner"].search(
        [("name", "=", "Load Customer"), ("is_company", "=", True)], limit=1
    )
    if not customer:
        customer = env["res.partner"].create(
            {"name": "Load Customer", "is_company": True}
        )
        env["res.partner"].create(
            {
                "name": "Load Contact",
                "parent_id": customer.id,
                "email": "contact@load.example.com",
            }
        )
    contact = customer.child_ids[:1]
    stages = env["helpdesk.ticket.stage"].search([])
    common = {
        "agent_id": agent.id,
        "partner_id": contact.id,
        "open_stage_id": stages.filtered(lambda s: not s.closed)[:1].id,
        "done_stage_id": stages.filtered("closed")[:1].id,
        "max_ticket_id": max(env["helpdesk.ticket"].search([]).ids, default=0),
    }
    if plain:
        return common
    agreement = env["slm.agreement"].search(
        [("name", "=", SLA_NAME), ("state", "=", "agreed")], limit=1
    )
    if not agreement:
        agreement = env["slm.agreement"].create(
            {
                "name": SLA_NAME,
                "kind": "sla",
                "structure": "customer_based",
                "partner_id": customer.id,
                "date_start": "2020-01-01",
                "target_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Load response",
                            "metric": "response",
                            "threshold_hours": response_hours,
                            "warning_pct": 50,
                            "around_the_clock": True,
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "name": "Load resolution",
                            "metric": "resolution",
                            "threshold_hours": resolution_hours,
                            "warning_pct": 50,
                            "around_the_clock": True,
                            "escalation_level_ids": [
                                (
                                    0,
                                    0,
                                    {"threshold_pct": 150, "recipient": "assignee"},
                                )
                            ],
                        },
                    ),
                ],
            }
        )
        agreement.write(
            {
                "customer_signed_by_id": contact.id,
                "customer_signed_date": "2020-01-01",
            }
        )
        agreement.action_agree()
    cron = env.ref("slm_agreements.ir_cron_settle_due_clocks")
    cron.write(
        {
            "active": True,
            "interval_number": 1,
            "interval_type": "minutes",
            "nextcall": odoo.fields.Datetime.now(),
        }
    )
    return dict(
        common,
        agreement_id=agreement.id,
        scan_action_id=cron.ir_actions_server_id.id,
        cron_id=cron.id,
    )


# ----------------------------------------------------------------------
# JSON-RPC clients
# ----------------------------------------------------------------------


class RpcError(Exception):
    def __init__(self, kind, message):
        super().__init__(message)
        self.kind = kind


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.ok = collections.Counter()  # by operation
        self.errors = collections.Counter()  # by kind
        self.error_samples = {}
        self.retries = 0
        self.cron_triggers = 0
        self.latency = collections.defaultdict(list)  # seconds, by operation

    def count_ok(self, operation, seconds=None):
        with self.lock:
            self.ok[operation] += 1
            if seconds is not None:
                self.latency[operation].append(seconds)

    def percentile(self, operation, share):
        values = sorted(self.latency[operation])
        if not values:
            return float("nan")
        return values[min(len(values) - 1, int(share * len(values)))]

    def count_error(self, kind, message):
        with self.lock:
            self.errors[kind] += 1
            self.error_samples.setdefault(kind, message[:300])

    def count_retry(self):
        with self.lock:
            self.retries += 1


def rpc(port, db, uid, password, model, method, args, kwargs=None, timeout=120):
    payload = json.dumps(
        {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {
                "service": "object",
                "method": "execute_kw",
                "args": [db, uid, password, model, method, args, kwargs or {}],
            },
            "id": random.randrange(1 << 30),
        }
    )
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("POST", "/jsonrpc", payload, {"Content-Type": "application/json"})
        response = conn.getresponse()
        body = response.read()
    except (OSError, http.client.HTTPException) as error:
        raise RpcError(type(error).__name__, str(error)) from error
    finally:
        conn.close()
    if response.status != 200:
        raise RpcError(f"HTTP {response.status}", body[:300].decode(errors="replace"))
    answer = json.loads(body)
    if "error" in answer:
        data = answer["error"].get("data") or {}
        kind = data.get("name") or answer["error"].get("message") or "error"
        raise RpcError(kind, data.get("message") or str(answer["error"]))
    return answer["result"]


def login(port, db, user, password):
    payload = json.dumps(
        {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {
                "service": "common",
                "method": "login",
                "args": [db, user, password],
            },
        }
    )
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("POST", "/jsonrpc", payload, {"Content-Type": "application/json"})
        return json.loads(conn.getresponse().read())["result"]
    finally:
        conn.close()


def is_serialization_failure(error):
    return any(kind in f"{error.kind} {error}" for kind in RETRY_KINDS)


def call(stats, operation, func):
    """Run one request; retry serialization failures; count the outcome and
    its latency (from the first try to the answer)."""
    started = time.monotonic()
    for attempt in range(6):
        try:
            result = func()
        except RpcError as error:
            if is_serialization_failure(error) and attempt < 5:
                stats.count_retry()
                continue
            stats.count_error(error.kind, str(error))
            return None
        stats.count_ok(operation, time.monotonic() - started)
        return result
    return None


class Pool:
    """Open tickets of the run, shared by every client (so that they collide)."""

    def __init__(self, seed):
        self.lock = threading.Lock()
        self.open = []
        self.rng = random.Random(seed)

    def add(self, ticket_id):
        with self.lock:
            self.open.append(ticket_id)

    def pick(self, remove=False):
        with self.lock:
            if not self.open:
                return None
            index = self.rng.randrange(len(self.open))
            if remove:
                return self.open.pop(index)
            return self.open[index]


def client(number, args, ids, stats, pool, stop):
    rng = random.Random(1000 + number)
    agent = (args.port, args.db, ids["agent_uid"], AGENT)
    while not stop.is_set():
        roll = rng.random()
        ticket_id = None if roll < 0.4 else pool.pick(remove=roll >= 0.7)
        if ticket_id is None:
            new_id = call(
                stats,
                "create",
                lambda: rpc(
                    *agent,
                    "helpdesk.ticket",
                    "create",
                    [
                        {
                            "name": f"Load ticket {number}",
                            "description": "<p>It does not work.</p>",
                            "partner_id": ids["partner_id"],
                            "user_id": ids["agent_uid"],
                        }
                    ],
                ),
            )
            if new_id:
                pool.add(new_id)
        elif roll < 0.7:
            call(
                stats,
                "reply",
                lambda t=ticket_id: rpc(
                    *agent,
                    "helpdesk.ticket",
                    "message_post",
                    [[t]],
                    {
                        "body": "We are looking into it.",
                        "message_type": "comment",
                        "subtype_xmlid": "mail.mt_comment",
                    },
                ),
            )
        else:
            call(
                stats,
                "close",
                lambda t=ticket_id: rpc(
                    *agent,
                    "helpdesk.ticket",
                    "write",
                    [[t], {"stage_id": ids["done_stage_id"]}],
                ),
            )


def scanner(args, ids, stats, stop):
    """The breach scan's server action, through JSON-RPC, back to back."""
    admin = (args.port, args.db, ids["admin_uid"], "admin")
    while not stop.is_set():
        call(
            stats,
            "scan",
            lambda: rpc(*admin, "ir.actions.server", "run", [[ids["scan_action_id"]]]),
        )
        stop.wait(0.2)  # pacing only


def cron_kicker(args, ids, stats, stop):
    """Trigger the scheduled scan every 15 s, as ``ir.cron._trigger`` does.

    A cron worker of a multi-worker server otherwise sleeps up to 70 s before
    it first looks for due jobs, longer than the run.
    """
    connection = psycopg2.connect(dbname=args.db)
    # Cron workers listen on the "postgres" database (odoo/service/server.py).
    postgres = psycopg2.connect(dbname="postgres")
    postgres.autocommit = True
    try:
        while not stop.is_set():
            with connection.cursor() as cr:
                cr.execute(
                    "INSERT INTO ir_cron_trigger (cron_id, call_at, create_date, "
                    "write_date) VALUES (%s, now() at time zone 'UTC', "
                    "now() at time zone 'UTC', now() at time zone 'UTC')",
                    [ids["cron_id"]],
                )
            connection.commit()
            with postgres.cursor() as cr:
                cr.execute("SELECT pg_notify('cron_trigger', %s)", [args.db])
            with stats.lock:
                stats.cron_triggers += 1
            stop.wait(15)  # pacing only
    finally:
        connection.close()
        postgres.close()


# ----------------------------------------------------------------------
# Server
# ----------------------------------------------------------------------


def answers(args):
    """Whether the server is up and lets admin log in."""
    try:
        return bool(login(args.port, args.db, "admin", "admin"))
    except (OSError, http.client.HTTPException, ValueError, KeyError):
        return False


def start_server(args, log_path):
    log = open(log_path, "w")  # noqa: SIM115 (closed by stop_server)
    process = subprocess.Popen(
        odoo_bin(
            "-d",
            args.db,
            f"--db-filter=^{args.db}$",
            "--workers=4",
            "--max-cron-threads=2",
            f"--http-port={args.port}",
            f"--gevent-port={args.port + 1}",
            "--http-interface=127.0.0.1",
            "--log-level=info",
            "--limit-time-real=600",
            "--limit-time-cpu=300",
        ),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"Odoo exited with {process.returncode}: see {log_path}")
        if answers(args):
            return process, log
        time.sleep(0.5)  # polling the server until it answers
    stop_server(process, log)
    raise SystemExit(f"Odoo did not answer on port {args.port}: see {log_path}")


def stop_server(process, log):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=90)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    log.close()


def log_records(path):
    """The server log's records: a timestamped line and its continuation lines."""
    record = []
    with open(path, errors="replace") as log:
        for line in log:
            if LOG_LINE.match(line) and record:
                yield "".join(record)
                record = []
            record.append(line)
    if record:
        yield "".join(record)


def read_server_log(path):
    counts = {
        "requests": collections.Counter(),
        "retried": collections.Counter(),
        "gave_up": collections.Counter(),
        "conflicts": 0,
        "errors": [],
        "cron_runs": 0,
    }
    for record in log_records(path):
        first = record.split("\n", 1)[0]
        match = REQUEST.search(first)
        if match:
            counts["requests"][match.group(1)] += 1
            continue
        match = SERVER_RETRY.search(first)
        if match:
            counts["retried"][match.group(1)] += 1
            continue
        match = SERVER_GAVE_UP.search(first)
        if match:
            counts["gave_up"][match.group(1)] += 1
            continue
        if "settle due clocks" in first and " done in " in first:
            counts["cron_runs"] += 1
        if LOG_ERROR.match(first):
            if any(text in record for text in CONFLICTS):
                # A failed query or request of a transaction that lost a
                # concurrent update: retried (by Odoo, else by the client).
                counts["conflicts"] += 1
            else:
                counts["errors"].append(first.rstrip()[:300])
    return counts


# ----------------------------------------------------------------------
# Checks
# ----------------------------------------------------------------------

NOTE_LINE = re.compile(r"<br\s*/?>")
TAG = re.compile(r"<[^>]+>")


def check_database(env, ids):
    """Final scan, then the checks on the tickets of this run."""
    now = odoo.fields.Datetime.now().replace(microsecond=0)
    settled = env["slm.clock"]._cron_settle_due_clocks(now=now)
    cr = env.cr
    tickets = env["helpdesk.ticket"].search([("id", ">", ids["max_ticket_id"])])
    clocks = env["slm.clock"].search([("ticket_id", "in", tickets.ids)])
    result = {
        "final_scan": settled,
        "tickets": len(tickets),
        "closed": len(tickets.filtered("closed")),
        "clocks": len(clocks),
        "by_status": collections.Counter(clocks.mapped("status")),
    }
    # Every ticket of the run has both clocks.
    per_ticket = collections.Counter(clock.ticket_id.id for clock in clocks)
    result["missing_clocks"] = sum(
        1 for ticket in tickets if per_ticket[ticket.id] != 2
    )
    # One breach record per breached clock, never two.
    cr.execute(
        "SELECT clock_id, count(*) FROM slm_breach WHERE ticket_id = ANY(%s) "
        "GROUP BY clock_id",
        [tickets.ids],
    )
    breaches = dict(cr.fetchall())
    breached = clocks.filtered(lambda c: c.status == "breached")
    result["breaches"] = sum(breaches.values())
    result["duplicate_breaches"] = sum(1 for n in breaches.values() if n > 1)
    result["breached_without_record"] = sum(
        1 for clock in breached if clock.id not in breaches
    )
    # The scan's notes: one line per (ticket, target, level), never twice.
    cr.execute(
        "SELECT res_id, body FROM mail_message WHERE model = 'helpdesk.ticket' "
        "AND res_id = ANY(%s) AND message_type = 'notification' "
        "AND (body LIKE %s OR body LIKE %s OR body LIKE %s)",
        [tickets.ids, "%breached (deadline%", "%of the threshold used%", "%escalated%"],
    )
    lines = collections.Counter()
    for ticket_id, body in cr.fetchall():
        for line in NOTE_LINE.split(body or ""):
            text = TAG.sub("", line).strip()
            if text:
                lines[(ticket_id, text)] += 1
    result["note_lines"] = sum(lines.values())
    result["duplicate_note_lines"] = sum(1 for n in lines.values() if n > 1)
    # Activities: one per ticket, user and kind.
    cr.execute(
        "SELECT count(*) FROM (SELECT res_id, user_id, activity_type_id "
        "FROM mail_activity WHERE res_model = 'helpdesk.ticket' AND res_id = ANY(%s) "
        "GROUP BY 1, 2, 3 HAVING count(*) > 1) dup",
        [tickets.ids],
    )
    result["duplicate_activities"] = cr.fetchone()[0]
    cr.execute(
        "SELECT count(*) FROM mail_activity WHERE res_model = 'helpdesk.ticket' "
        "AND res_id = ANY(%s)",
        [tickets.ids],
    )
    result["activities"] = cr.fetchone()[0]
    # Every clock as its ticket's history says.
    values = env["slm.clock"]._compute_values(
        [(clock.ticket_id, clock.target_id) for clock in clocks], now=now
    )
    mismatches = []
    for clock, vals in zip(clocks, values, strict=True):
        for name in ("status", "stop", "deadline"):
            if (clock[name] or False) != (vals.get(name) or False):
                mismatches.append(
                    f"clock {clock.id} (ticket {clock.ticket_id.id}, "
                    f"{clock.metric}) {name}: stored {clock[name]}, "
                    f"from history {vals.get(name)}"
                )
    result["mismatches"] = mismatches
    # A clock whose breach the scan alerted (alert_pct 100) must not run on.
    stuck = clocks.filtered(lambda c: c.status == "running" and c.alert_pct >= 100)
    result["alerted_running"] = len(stuck)
    result["alerted_running_at_deadline"] = len(
        stuck.filtered(lambda c: c.computed_at == c.deadline)
    )
    return result


def run_once(args, plain):
    """One run on the suite's database, or on plain helpdesk_mgmt's: returns
    (stats, server log counts, checks or None, seconds)."""
    db = args.plain_db if plain else args.db
    args = argparse.Namespace(**dict(vars(args), db=db))
    ensure_database(db, "helpdesk_mgmt" if plain else suite_modules())
    ids = in_registry(
        db,
        lambda env: setup_data(
            env, args.response_hours, args.resolution_hours, plain=plain
        ),
    )
    odoo.modules.registry.Registry.delete(db)
    log_dir = os.path.join(ROOT, ".logs")
    os.makedirs(log_dir, exist_ok=True)
    log_path = os.path.join(log_dir, f"load-{db}.log")
    print(
        f"starting Odoo on 127.0.0.1:{args.port} for {db} (--workers=4 "
        f"--max-cron-threads=2, log {os.path.relpath(log_path, ROOT)})",
        flush=True,
    )
    process, log = start_server(args, log_path)
    stats = Stats()
    pool = Pool(seed=5)
    stop = threading.Event()
    scan_threads = 0 if plain else args.scan_threads
    try:
        ids["agent_uid"] = login(args.port, db, AGENT, AGENT)
        ids["admin_uid"] = login(args.port, db, "admin", "admin")
        threads = [
            threading.Thread(target=client, args=(n, args, ids, stats, pool, stop))
            for n in range(args.clients)
        ] + [
            threading.Thread(target=scanner, args=(args, ids, stats, stop))
            for _n in range(scan_threads)
        ]
        if not plain:
            threads.append(
                threading.Thread(target=cron_kicker, args=(args, ids, stats, stop))
            )
        print(
            f"{args.clients} clients + {scan_threads} scan threads for "
            f"{args.seconds} s...",
            flush=True,
        )
        started = time.monotonic()
        for thread in threads:
            thread.start()
        stop.wait(args.seconds)  # the run's duration
        stop.set()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    finally:
        stop.set()
        stop_server(process, log)
    server = read_server_log(log_path)
    checks = None if plain else in_registry(db, lambda env: check_database(env, ids))
    return stats, server, checks, elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default=os.environ.get("SLM_LOAD_DB", "slm_load"))
    parser.add_argument("--plain-db", help="helpdesk_mgmt only (default: <db>_plain)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--plain", action="store_true", help="run on plain helpdesk_mgmt only"
    )
    mode.add_argument(
        "--compare",
        action="store_true",
        help="run plain helpdesk_mgmt, then the suite; print them side by side",
    )
    parser.add_argument(
        "--scan-threads",
        type=int,
        help="threads running the breach scan through JSON-RPC on the suite's "
        "side (default 2; 0 with --compare)",
    )
    parser.add_argument("--port", type=int, default=18821, help="HTTP; gevent +1")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--response-hours", type=float, default=0.005)
    parser.add_argument("--resolution-hours", type=float, default=0.01)
    args = parser.parse_args()
    args.plain_db = args.plain_db or f"{args.db}_plain"
    if args.scan_threads is None:
        args.scan_threads = 0 if args.compare else 2
    config.parse_config(
        [
            "-c",
            os.path.join(ROOT, "odoo.conf"),
            f"--addons-path={addons_path()}",
            "--log-level=warn",
        ]
    )
    odoo.netsvc.init_logger()
    warnings.filterwarnings("ignore", r"'werkzeug\.urls\.", DeprecationWarning)
    if args.plain or args.compare:
        plain = run_once(args, plain=True)
        status = report(args, *plain, label="plain helpdesk_mgmt")
        if args.plain:
            return status
    suite = run_once(args, plain=False)
    status = report(args, *suite, label="the suite")
    if args.compare:
        side_by_side(args, plain, suite)
    return status


def side_by_side(args, plain, suite):
    """Requests per second and p50/p95 latency per kind, plain vs the suite."""
    (p_stats, _ps, _pc, p_elapsed), (s_stats, _ss, _sc, s_elapsed) = plain, suite
    print(
        f"\nSide by side: {args.clients} clients, {args.seconds} s each, "
        f"--workers=4 --max-cron-threads=2 (the suite: its scheduled breach "
        f"scan, {args.scan_threads} scan threads)"
    )
    print(
        f"{'kind':8} {'plain req/s':>11} {'suite req/s':>11} {'ratio':>6}   "
        f"{'plain p50':>9} {'suite p50':>9} {'ratio':>6}   "
        f"{'plain p95':>9} {'suite p95':>9} {'ratio':>6}"
    )
    kinds = ["create", "reply", "close", "all"]
    for kind in kinds:
        if kind == "all":
            p_count = sum(p_stats.ok[k] for k in kinds[:-1])
            s_count = sum(s_stats.ok[k] for k in kinds[:-1])
            for stats in (p_stats, s_stats):
                stats.latency["all"] = [v for k in kinds[:-1] for v in stats.latency[k]]
        else:
            p_count, s_count = p_stats.ok[kind], s_stats.ok[kind]
        p_rate, s_rate = p_count / p_elapsed, s_count / s_elapsed
        cells = [f"{kind:8} {p_rate:11.1f} {s_rate:11.1f} {_ratio(s_rate, p_rate)}"]
        for share in (0.5, 0.95):
            p_lat = p_stats.percentile(kind, share) * 1000
            s_lat = s_stats.percentile(kind, share) * 1000
            cells.append(f"{p_lat:7.0f}ms {s_lat:7.0f}ms {_ratio(s_lat, p_lat)}")
        print("   ".join(cells))
    print(
        "(ratio = suite / plain: above 1 is more requests per second, or a "
        "longer wait; one run each, on a shared machine: noisy)"
    )


def _ratio(suite, plain):
    return f"{suite / plain:6.2f}" if plain else "     -"


def report(args, stats, server, checks, elapsed, label="the suite"):
    served = sum(stats.ok.values())
    print(
        f"\nLoad on {label}: {args.clients} JSON-RPC clients, {elapsed:.0f} s, "
        "4 workers"
    )
    print(
        f"  requests served (client side) : {served} ({served / elapsed:.1f}/s): "
        + ", ".join(f"{op} {n}" for op, n in sorted(stats.ok.items()))
    )
    for operation in sorted(stats.ok):
        print(
            f"    {operation:6} {stats.ok[operation] / elapsed:6.1f}/s, latency "
            f"p50 {stats.percentile(operation, 0.5) * 1000:.0f} ms, "
            f"p95 {stats.percentile(operation, 0.95) * 1000:.0f} ms"
        )
    print(
        "  requests logged by the server : "
        + (
            ", ".join(f"HTTP {c}: {n}" for c, n in sorted(server["requests"].items()))
            or "none"
        )
    )
    if checks is not None:
        print(
            f"  breach scans: {stats.ok['scan']} through JSON-RPC "
            f"({args.scan_threads} threads) + {server['cron_runs']} scheduled "
            f"runs on the cron workers ({stats.cron_triggers} triggers)"
        )
    client_errors = sum(stats.errors.values())
    print(f"  client errors (after retries) : {client_errors}")
    for kind, count in stats.errors.most_common():
        print(f"    {kind}: {count}  e.g. {stats.error_samples[kind]!r}")
    print(f"  client retries (serialization failures): {stats.retries}")
    retried = ", ".join(f"{k} {n}" for k, n in server["retried"].items())
    print(f"  retried by Odoo itself        : {retried or 'none'}")
    if server["gave_up"]:
        gave_up = ", ".join(f"{k} {n}" for k, n in server["gave_up"].items())
        print(f"  Odoo gave up after 5 tries    : {gave_up}")
    print(
        f"  server log: {server['conflicts']} ERROR records of concurrent-update "
        f"conflicts (retried), {len(server['errors'])} other ERROR/CRITICAL records"
    )
    for line in server["errors"][:10]:
        print(f"    {line}")
    if checks is None:  # plain helpdesk_mgmt: nothing of the suite to check
        errors = client_errors or server["errors"]
        print("\nresult: " + ("FAILED: errors" if errors else "passed"))
        return 1 if errors else 0
    by_status = ", ".join(f"{s} {n}" for s, n in sorted(checks["by_status"].items()))
    print(
        f"\nChecks on the {checks['tickets']} tickets of the run "
        f"({checks['closed']} closed), {checks['clocks']} clocks ({by_status}); "
        f"the final scan alerted {checks['final_scan']} clocks"
    )
    failures = []

    def check(label, bad, detail=""):
        print(f"  [{'FAIL' if bad else ' ok '}] {label}{detail}")
        if bad:
            failures.append(label)

    check(
        "no error except retried serialization failures",
        client_errors or server["errors"],
        f" (client {client_errors}, server log {len(server['errors'])})",
    )
    check(
        "every ticket has its two clocks",
        checks["missing_clocks"],
        f" ({checks['missing_clocks']} without)",
    )
    check(
        "one breach record per breached clock",
        checks["duplicate_breaches"] or checks["breached_without_record"],
        f" ({checks['breaches']} records, {checks['duplicate_breaches']} clocks "
        f"with two or more, {checks['breached_without_record']} breached without)",
    )
    check(
        "no scan note line twice (ticket, target, level)",
        checks["duplicate_note_lines"],
        f" ({checks['note_lines']} lines, {checks['duplicate_note_lines']} repeated)",
    )
    check(
        "no activity twice (ticket, user, kind)",
        checks["duplicate_activities"],
        f" ({checks['activities']} activities, "
        f"{checks['duplicate_activities']} repeated)",
    )
    check(
        "every clock = recomputed from its ticket's history (status, stop, deadline)",
        checks["mismatches"],
        f" ({len(checks['mismatches'])} differ)",
    )
    for line in checks["mismatches"][:10]:
        print(f"    {line}")
    stuck = checks["alerted_running"]
    check(
        "no clock still running after the scan alerted its breach (100 %)",
        stuck,
        f" ({stuck} running with alert_pct >= 100, "
        f"{checks['alerted_running_at_deadline']} of them last computed at the "
        "very second of their deadline)",
    )
    print("\nresult: " + ("FAILED: " + "; ".join(failures) if failures else "passed"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
