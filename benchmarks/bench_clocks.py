#!/usr/bin/env python3
# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# pylint: disable=print-used
"""Clock benchmarks (issue: agreements and clocks). Prints figures, asserts nothing
about speed. Run from the repository root after ./setup/run.sh --no-start:

    .venv/bin/python benchmarks/bench_clocks.py [--tickets 10000] [--deadlines 100000]

1. Ticket creation: N tickets created in batches on a database with plain
   helpdesk_mgmt and on one with the suite, where an agreement with two targets
   matches every ticket. Same ticket values on both. Aim: ratio <= 1.3.
2. Deadlines: M deadlines placed in one batch by the suite's BusinessTime vs
   resource.calendar.plan_hours called once per deadline, on the same calendar,
   start instants and thresholds; the results are compared. Aim: >= 20x.

The two databases (slm_bench_plain, slm_bench_suite) are created without demo
data on first use; every run works in a transaction that is rolled back.
"""

import argparse
import os
import random
import subprocess
import time
from datetime import datetime, timedelta

import odoo
from odoo.tools import config

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

PLAIN_DB = "slm_bench_plain"
SUITE_DB = "slm_bench_suite"


def addons_path():
    odoo_addons = os.path.join(os.path.dirname(odoo.__file__), "addons")
    return f"{os.path.join(ROOT, 'addons')},{odoo_addons}"


def ensure_database(name, modules):
    exists = subprocess.run(
        [
            "psql",
            "-XAtc",
            f"SELECT 1 FROM pg_database WHERE datname = '{name}'",
            "postgres",
        ],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    if exists == "1":
        return
    print(f"creating database {name} with {modules} (no demo data)...", flush=True)
    subprocess.run(
        [
            os.path.join(ROOT, ".venv", "bin", "odoo-bin"),
            "-c",
            os.path.join(ROOT, "odoo.conf"),
            f"--addons-path={addons_path()}",
            "-d",
            name,
            "-i",
            modules,
            "--without-demo=all",
            "--stop-after-init",
            "--log-level=warn",
        ],
        check=True,
    )


def ticket_values(count, seed=7):
    rng = random.Random(seed)
    return [
        {
            "name": f"Bench ticket {i}",
            "description": "<p>Something is broken.</p>",
            "priority": rng.choice("0123"),
        }
        for i in range(count)
    ]


def create_tickets(env, values, extra):
    batch = 500
    started = time.perf_counter()
    for i in range(0, len(values), batch):
        env["helpdesk.ticket"].create([dict(v, **extra) for v in values[i : i + batch]])
        env.flush_all()
    return time.perf_counter() - started


def setup_suite(env):
    """An agreed SLA with two targets that covers every benchmark ticket."""
    manager = env.ref("base.user_admin")
    service = env["slm.service"].create(
        {
            "code": "BENCH",
            "name": "Bench service",
            "owner_id": manager.id,
            "state": "live",
        }
    )
    calendar = env.ref("resource.resource_calendar_std")
    agreement = env["slm.agreement"].create(
        {
            "name": "Bench SLA",
            "kind": "sla",
            "structure": "service_based",
            "date_start": "2020-01-01",
            "service_ids": [(6, 0, service.ids)],
            "target_ids": [
                (
                    0,
                    0,
                    {
                        "name": "Response",
                        "metric": "response",
                        "threshold_hours": 2,
                        "calendar_id": calendar.id,
                    },
                ),
                (
                    0,
                    0,
                    {
                        "name": "Resolution",
                        "metric": "resolution",
                        "threshold_hours": 16,
                        "calendar_id": calendar.id,
                    },
                ),
            ],
        }
    )
    partner = env["res.partner"].create({"name": "Bench customer", "is_company": True})
    agreement.write(
        {"customer_signed_by_id": partner.id, "customer_signed_date": "2020-01-01"}
    )
    agreement.action_agree()
    return {"service_id": service.id, "partner_id": partner.id}


def in_registry(dbname, func):
    registry = odoo.modules.registry.Registry(dbname)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": False})
        try:
            return func(env)
        finally:
            cr.rollback()


def bench_creation(count):
    values = ticket_values(count)
    plain = in_registry(PLAIN_DB, lambda env: create_tickets(env, values, {}))

    def suite(env):
        extra = setup_suite(env)
        env.flush_all()
        elapsed = create_tickets(env, values, extra)
        clocks = env["slm.clock"].search_count([])
        return elapsed, clocks

    suite_time, clocks = in_registry(SUITE_DB, suite)
    print(f"\n1. Creating {count} tickets (batches of 500)")
    per_ticket = 1000 * plain / count
    print(f"   plain helpdesk_mgmt : {plain:8.2f} s  ({per_ticket:.2f} ms/ticket)")
    per_ticket = 1000 * suite_time / count
    print(
        f"   with the SLM suite  : {suite_time:8.2f} s  ({per_ticket:.2f} ms/ticket, "
        f"{clocks} clocks)"
    )
    print(f"   ratio suite/plain   : {suite_time / plain:8.2f}   (aim: <= 1.3)")


def bench_deadlines(count, sample):
    def run(env):
        from odoo.addons.slm_agreements.tools.business_time import BusinessTime as BT

        calendar = env.ref("resource.resource_calendar_std")
        rng = random.Random(11)
        origin = datetime(2026, 1, 5)
        starts = [
            origin + timedelta(minutes=rng.randrange(0, 60 * 24 * 300))
            for _ in range(count)
        ]
        hours = [rng.choice([1, 2, 4, 8, 16, 24, 40]) for _ in range(count)]
        started = time.perf_counter()
        business = BT.for_calendar(calendar)
        batch = business.add_many(starts, [h * 3600 for h in hours])
        batch_time = time.perf_counter() - started

        measured = min(sample, count)
        started = time.perf_counter()
        planned = [
            calendar.plan_hours(hours[i], starts[i], compute_leaves=True)
            for i in range(measured)
        ]
        plan_time = time.perf_counter() - started
        mismatches = sum(1 for i in range(measured) if planned[i] != batch[i])
        return batch_time, plan_time, measured, mismatches

    batch_time, plan_time, measured, mismatches = in_registry(SUITE_DB, run)
    per_call = plan_time / measured
    plan_total = per_call * count
    print(f"\n2. Placing {count} deadlines on the standard 40 h/week calendar")
    print(f"   BusinessTime.add_many (one batch)    : {batch_time:8.2f} s")
    label = "measured" if measured == count else f"{measured} measured, extrapolated"
    print(f"   plan_hours, one call per deadline    : {plan_total:8.2f} s  ({label})")
    ratio = plan_total / batch_time
    print(f"   ratio plan_hours/batch               : {ratio:8.1f} x  (aim: >= 20)")
    print(f"   deadlines differing from plan_hours  : {mismatches} of {measured}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tickets", type=int, default=10000)
    parser.add_argument("--deadlines", type=int, default=100000)
    parser.add_argument(
        "--plan-hours-sample",
        type=int,
        default=100000,
        help="plan_hours calls actually made (the rest is extrapolated)",
    )
    args = parser.parse_args()
    config.parse_config(
        ["-c", os.path.join(ROOT, "odoo.conf"), f"--addons-path={addons_path()}"]
    )
    config["log_level"] = "warn"
    odoo.netsvc.init_logger()
    ensure_database(PLAIN_DB, "helpdesk_mgmt")
    ensure_database(SUITE_DB, "slm_agreements")
    bench_creation(args.tickets)
    bench_deadlines(args.deadlines, args.plan_hours_sample)


if __name__ == "__main__":
    main()
