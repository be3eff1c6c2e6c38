#!/usr/bin/env python3
# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# pylint: disable=print-used
"""Benchmark against OCA helpdesk_mgmt_sla (issue: end-to-end quality). Prints
figures, asserts nothing about speed. Run from the repository root after
./setup/run.sh --no-start (which installs odoo-addon-helpdesk-mgmt-sla):

    .venv/bin/python benchmarks/bench_vs_helpdesk_mgmt_sla.py [--tickets 5000]

Three databases, created without demo data on first use (names from
--db-prefix, default slm_bench_cmp): ``_plain`` (helpdesk_mgmt),
``_oca`` (helpdesk_mgmt + helpdesk_mgmt_sla) and ``_suite`` (the SLM suite).
The same generated tickets go into each, in one run, in one transaction per
database that is rolled back at the end (the databases are reused as they are).

The SLA is the same on both sides: one resolution target of 8 hours counted
around the clock (OCA: an SLA on the ticket's team, whose working hours are a
24x7 calendar, to reach the closed stage "Done"; the suite: an agreed
customer-based SLA with one 24x7 resolution target).

1. Ticket creation: N tickets (random priorities, one team, one customer),
   created through the ORM in batches of 500; then a third of them closed.
2. Aging, not timed: batch b of 10 is moved back by (10 - b) x 2 h + 30 min
   in SQL (the tickets' creation, the OCA SLA lines' deadlines, the suite's
   events and clocks, the same shift on both sides: exact around the clock), so
   that the open tickets of the older batches are past their deadline.
3. Finding expired tickets: OCA's way (its "SLA expired" search,
   ``helpdesk.ticket`` ``sla_expired = True``; this version has no scheduled
   action) vs the suite's: the due clocks through the next-alert index (the
   breach scan's own selection), then the breach scan itself
   (``slm.clock._scan_batch`` until nothing is due, what the scheduled action
   runs, minus its commits), which also marks the clocks breached, records the
   breaches and posts the notes. The counts must agree.
4. The SLA report: OCA's SLA report (``helpdesk.sla.report``, its pivot: by
   state and month) vs the suite's attainment report (``slm.attainment.report``
   read_group by target and month: met, breached, attainment).

Each step's figure is its best of 3 runs where it only reads (finding, the
reports); creating, closing and the scan run once. Creating and closing
include what the commit of each batch would run (flush and the pre-commit
hooks: mail tracking, helpdesk_mgmt's stage e-mails).

Prints times, counts and ratios.
"""

import argparse
import os
import sys
import time
import warnings

import odoo
from odoo.tools import config

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# The database and registry helpers of the first benchmark, shared.
from bench_clocks import (  # noqa: E402
    ROOT,
    addons_path,
    ensure_database,
    in_registry,
    ticket_values,
)

SUITE = ("slm_catalogue", "slm_agreements", "slm_supplier", "slm_reviews")
BATCH = 500
AGING_STEP_HOURS = 2
THRESHOLD_HOURS = 8


def suite_modules():
    return ",".join(
        name
        for name in SUITE
        if os.path.isfile(os.path.join(ROOT, "addons", name, "__manifest__.py"))
    )


def timed(func):
    started = time.perf_counter()
    result = func()
    return time.perf_counter() - started, result


def best_of(func, runs=3):
    """Best time of ``runs`` calls of a read-only ``func``, and its result."""
    times, result = [], None
    for _run in range(runs):
        elapsed, result = timed(func)
        times.append(elapsed)
    return min(times), result


def calendar_24x7(env):
    return env["resource.calendar"].create(
        {
            "name": "Bench 24x7",
            "tz": "UTC",
            "hours_per_day": 24,
            "attendance_ids": [(5, 0, 0)]
            + [
                (
                    0,
                    0,
                    {
                        "name": f"Day {day}",
                        "dayofweek": str(day),
                        "hour_from": 0,
                        "hour_to": 24,
                    },
                )
                for day in range(7)
            ],
        }
    )


def common_setup(env):
    partner = env["res.partner"].create({"name": "Bench customer", "is_company": True})
    team = env["helpdesk.ticket.team"].create({"name": "Bench team"})
    return partner, team


# ----------------------------------------------------------------------
# Per database: setup, then the same steps
# ----------------------------------------------------------------------


def setup_plain(env):
    partner, team = common_setup(env)
    return {"partner_id": partner.id, "team_id": team.id}


def setup_oca(env):
    partner, team = common_setup(env)
    team.write({"use_sla": True, "resource_calendar_id": calendar_24x7(env).id})
    env["helpdesk.sla"].create(
        {
            "name": "Bench resolution",
            "team_ids": [(6, 0, team.ids)],
            "stage_id": env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done").id,
            "hours": THRESHOLD_HOURS,
        }
    )
    return {"partner_id": partner.id, "team_id": team.id}


def setup_suite(env):
    partner, team = common_setup(env)
    agreement = env["slm.agreement"].create(
        {
            "name": "Bench SLA",
            "kind": "sla",
            "structure": "customer_based",
            "partner_id": partner.id,
            "date_start": "2020-01-01",
            "customer_signed_by_id": partner.id,
            "customer_signed_date": "2020-01-01",
            "target_ids": [
                (
                    0,
                    0,
                    {
                        "name": "Resolution",
                        "metric": "resolution",
                        "threshold_hours": THRESHOLD_HOURS,
                        "around_the_clock": True,
                    },
                )
            ],
        }
    )
    agreement.action_agree()
    return {"partner_id": partner.id, "team_id": team.id}


def finish_transaction(env):
    """What a commit would do, without committing: flush, then the pre-commit
    hooks (mail tracking: helpdesk_mgmt's stage templates, tracking messages)."""
    env.flush_all()
    env.cr.precommit.run()
    env.flush_all()


def create_and_close(env, values, extra):
    """Create the tickets in batches, then close every third; ids by batch."""
    batches = []

    def create():
        for i in range(0, len(values), BATCH):
            tickets = env["helpdesk.ticket"].create(
                [dict(v, **extra) for v in values[i : i + BATCH]]
            )
            finish_transaction(env)
            batches.append(tickets.ids)

    created = timed(create)[0]
    done = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
    to_close = env["helpdesk.ticket"].browse(
        [tid for ids in batches for tid in ids[::3]]
    )

    def close():
        for i in range(0, len(to_close), BATCH):
            to_close[i : i + BATCH].write({"stage_id": done.id})
            finish_transaction(env)

    closed = timed(close)[0]
    return created, (closed, len(to_close)), batches


def age(env, batches, kind):
    """Move batch b back by (n - b) x 2 hours, the same on every side."""
    cr = env.cr
    env.flush_all()
    for number, ids in enumerate(batches):
        # (+30 min: past the deadline also for SQL's now(), the start of this
        # transaction, which OCA's report uses)
        shift = f"{(len(batches) - number) * AGING_STEP_HOURS * 60 + 30} minutes"
        cr.execute(
            "UPDATE helpdesk_ticket SET create_date = create_date - %s::interval, "
            "closed_date = closed_date - %s::interval, "
            "last_stage_update = last_stage_update - %s::interval "
            "WHERE id = ANY(%s)",
            [shift, shift, shift, ids],
        )
        if kind == "oca":
            cr.execute(
                "UPDATE helpdesk_ticket_sla SET deadline = deadline - %s::interval, "
                "last_state_date = last_state_date - %s::interval "
                "WHERE ticket_id = ANY(%s)",
                [shift, shift, ids],
            )
        elif kind == "suite":
            cr.execute(
                "UPDATE slm_ticket_event SET date = date - %s::interval "
                "WHERE ticket_id = ANY(%s)",
                [shift, ids],
            )
            columns = (
                "start",
                "deadline",
                "warning_at",
                "stop",
                "settled_date",
                "next_alert_at",
                "computed_at",
            )
            sets = ", ".join(f"{c} = {c} - %(shift)s::interval" for c in columns)
            cr.execute(
                f"UPDATE slm_clock SET {sets} WHERE ticket_id = ANY(%(ids)s)",
                {"shift": shift, "ids": ids},
            )
    cr.execute("ANALYZE helpdesk_ticket")
    env.invalidate_all()


def find_expired_oca(env):
    tickets = env["helpdesk.ticket"].search([("sla_expired", "=", True)])
    return len(tickets)


def find_due_suite(env):
    """The scan's own selection: the due clocks, through the next-alert index."""
    clocks = env["slm.clock"].search(
        [
            ("next_alert_at", "<=", odoo.fields.Datetime.now()),
            ("status", "in", ("running", "breached")),
            ("deadline", "<", odoo.fields.Datetime.now()),
        ]
    )
    return len(clocks.ticket_id)


def scan_suite(env):
    Clock = env["slm.clock"]
    now = odoo.fields.Datetime.now()
    for _round in range(1000):
        processed, locked = Clock._scan_batch(batch_size=1000, now=now)
        if locked < 1000 or not processed:
            break
    env.flush_all()
    return env["helpdesk.ticket"].search_count([("slm_status", "=", "breached")])


def report_oca(env):
    env.flush_all()
    groups = env["helpdesk.sla.report"]._read_group(
        [], ["state", "date:month"], ["__count"]
    )
    return {state: count for state, _month, count in groups}


def report_suite(env):
    env.flush_all()
    groups = env["slm.attainment.report"]._read_group(
        [],
        ["target_id", "settled_date:month"],
        ["met:sum", "breached:sum", "attainment:avg"],
    )
    return {
        "met": sum(met for _t, _m, met, _b, _a in groups),
        "breached": sum(breached for _t, _m, _met, breached, _a in groups),
    }


def run(dbname, kind, values):
    def func(env):
        extra = {"plain": setup_plain, "oca": setup_oca, "suite": setup_suite}[kind](
            env
        )
        env.flush_all()
        created, closed, batches = create_and_close(env, values, extra)
        result = {"create": created, "close": closed[0], "closed": closed[1]}
        if kind == "plain":
            return result
        age(env, batches, kind)
        finder = find_expired_oca if kind == "oca" else find_due_suite
        result["find"], result["expired"] = best_of(lambda: finder(env))
        if kind == "suite":
            result["scan"], result["breached"] = timed(lambda: scan_suite(env))
        reporter = report_oca if kind == "oca" else report_suite
        result["report"], result["report_rows"] = best_of(lambda: reporter(env))
        return result

    return in_registry(dbname, func)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tickets", type=int, default=5000)
    parser.add_argument("--db-prefix", default="slm_bench_cmp")
    args = parser.parse_args()
    config.parse_config(
        [
            "-c",
            os.path.join(ROOT, "odoo.conf"),
            f"--addons-path={addons_path()}",
            "--log-level=warn",
        ]
    )
    odoo.netsvc.init_logger()
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    databases = {
        "plain": (f"{args.db_prefix}_plain", "helpdesk_mgmt"),
        "oca": (f"{args.db_prefix}_oca", "helpdesk_mgmt,helpdesk_mgmt_sla"),
        "suite": (f"{args.db_prefix}_suite", suite_modules()),
    }
    for name, modules in databases.values():
        ensure_database(name, modules)
    values = ticket_values(args.tickets)
    results = {}
    for kind, (name, _modules) in databases.items():
        print(f"running on {name}...", flush=True)
        results[kind] = run(name, kind, values)
    report(args, results)


def report(args, results):
    plain, oca, suite = results["plain"], results["oca"], results["suite"]
    n = args.tickets
    print(
        f"\n1. Creating {n} tickets (batches of {BATCH}), then closing "
        f"{plain['closed']} of them (every third of each batch)"
    )
    print(f"   {'':34}{'create':>10}{'ms/ticket':>11}{'close':>10}")
    for label, res in (
        ("plain helpdesk_mgmt", plain),
        ("helpdesk_mgmt + helpdesk_mgmt_sla", oca),
        ("SLM suite", suite),
    ):
        print(
            f"   {label:34}{res['create']:9.2f}s{1000 * res['create'] / n:11.2f}"
            f"{res['close']:9.2f}s"
        )
    print(
        f"   ratios create: OCA/plain {oca['create'] / plain['create']:.2f}, "
        f"suite/plain {suite['create'] / plain['create']:.2f}, "
        f"suite/OCA {suite['create'] / oca['create']:.2f}; close: suite/OCA "
        f"{suite['close'] / oca['close']:.2f}"
    )
    print("\n2. Finding the tickets past their SLA deadline")
    print(
        f"   OCA: 'SLA expired' search (sla_expired = True)  : {oca['find']:8.3f} s, "
        f"{oca['expired']} tickets"
    )
    print(
        f"   suite: due clocks (the scan's next-alert query) : {suite['find']:8.3f} s, "
        f"{suite['expired']} tickets"
    )
    print(
        f"   suite: breach scan (marks the clocks breached,  : {suite['scan']:8.3f} s, "
        f"{suite['breached']} tickets breached\n"
        "          records the breaches, posts the notes)"
    )
    same = oca["expired"] == suite["expired"] == suite["breached"]
    print(
        f"   ratios suite/OCA: finding {suite['find'] / oca['find']:.2f}, "
        f"scan {suite['scan'] / oca['find']:.0f}  "
        f"({'same tickets counted' if same else 'COUNTS DIFFER'})"
    )
    print("\n3. SLA report (read_group)")
    rows = ", ".join(f"{k} {v}" for k, v in sorted(oca["report_rows"].items()))
    print(
        f"   OCA helpdesk.sla.report, state x month   : {oca['report']:8.3f} s ({rows})"
    )
    rows = ", ".join(f"{k} {v}" for k, v in sorted(suite["report_rows"].items()))
    print(
        f"   suite slm.attainment.report, target x month: {suite['report']:8.3f} s "
        f"({rows})"
    )
    print(
        f"   ratio suite/OCA                          : "
        f"{suite['report'] / oca['report']:8.2f}"
    )


if __name__ == "__main__":
    sys.exit(main())
