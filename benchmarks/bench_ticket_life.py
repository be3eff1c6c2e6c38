#!/usr/bin/env python3
# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# pylint: disable=print-used
"""Benchmark of a ticket's life (issue 14 items 1 and 2). Prints figures,
ratios and SQL query counts; asserts nothing about speed. Run from the
repository root after ./setup/run.sh --no-start (which installs
odoo-addon-helpdesk-mgmt-sla):

    .venv/bin/python benchmarks/bench_ticket_life.py [--tickets 40] [--rounds 5]

The life of a ticket, one ticket per transaction step (each step followed by
what its commit would run: flush and the pre-commit hooks, as in
bench_vs_helpdesk_mgmt_sla.py), everything done as an agent (an internal
user of the helpdesk):

Each step starts with an empty ORM cache, as a new request would.

1. create: the ticket, for a customer's contact, in a team, priority random;
2. reply: a public reply (``message_post``, ``comment``, ``mail.mt_comment``);
3. stage: a move to *In Progress*;
4. close: a move to *Done*.

On four databases (created without demo data on first use, names from
--db-prefix, default ``lb_life``), the set-up committed once:

- ``_plain``: helpdesk_mgmt;
- ``_oca``: helpdesk_mgmt + OCA helpdesk_mgmt_sla, two SLAs on the team
  (4 h to *In Progress*, 16 h to *Done*) on the calendar below;
- ``_suite``: the SLM suite, an agreed customer-based SLA with two targets
  (response 4 h, resolution 16 h) on a Europe/Brussels 8-12/13-17 calendar;
- ``_suite500``: the same, plus 500 agreed customer-based SLAs of 10 targets
  each for other customers (none of them matches the tickets): the cost of
  a step should not grow with the number of agreements.

Rounds are interleaved (round r runs every database in turn) in one process,
each round in a transaction rolled back at its end; a first short round
warms the caches and is not counted. Figures are the median over the rounds
of ms per ticket, ratios are of these medians. Query counts are per ticket
(``cursor.sql_log_count``), the same in every round.

The suite's side of each step, as measured by the last run (see the README's
Benchmarks section for the figures and the machine), is what
tests/test_query_counts.py pins in queries.

Aims (issue 14, suite / plain helpdesk_mgmt): create and reply <= 1.15,
stage <= 1.5, close and the whole life <= 1.2; with 500 agreements, within
5 % of one. ``--explain`` then lists every query the suite's code makes in
each step of one ticket's life, with its caller: what is left is the
measurement itself (the event, the history, the clocks, their update, the
ticket's status), no setting (clock rule 21). The README's Benchmarks
section has the last figures and the breakdown.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
import warnings

import odoo
from odoo.sql_db import Cursor
from odoo.tools import config

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# The database helpers of the first benchmarks, shared.
from bench_clocks import ROOT, addons_path, ensure_database  # noqa: E402
from bench_vs_helpdesk_mgmt_sla import (  # noqa: E402
    finish_transaction,
    suite_modules,
)

STEPS = ("create", "reply", "stage", "close")
KINDS = ("plain", "oca", "suite", "suite500")
LABELS = {
    "plain": "helpdesk_mgmt",
    "oca": "+ helpdesk_mgmt_sla",
    "suite": "SLM suite",
    "suite500": "suite, 500 SLAs",
}
MARK = "Life bench customer"
AGREEMENTS = 500
TARGETS_PER_AGREEMENT = 10


# ----------------------------------------------------------------------
# Set-up, committed once per database
# ----------------------------------------------------------------------


def brussels_calendar(env):
    """Europe/Brussels, Monday to Friday 8-12 and 13-17."""
    return env["resource.calendar"].create(
        {
            "name": "Life bench Brussels 8-12/13-17",
            "tz": "Europe/Brussels",
            "attendance_ids": [(5, 0, 0)]
            + [
                (
                    0,
                    0,
                    {
                        "name": f"Day {day} {period}",
                        "dayofweek": str(day),
                        "hour_from": hour_from,
                        "hour_to": hour_to,
                        "day_period": period,
                    },
                )
                for day in range(5)
                for hour_from, hour_to, period in (
                    (8, 12, "morning"),
                    (13, 17, "afternoon"),
                )
            ],
        }
    )


def common_setup(env, kind):
    Partner = env["res.partner"]
    customer = Partner.create({"name": MARK, "is_company": True})
    contact = Partner.create(
        {"name": "Life bench contact", "parent_id": customer.id, "email": "c@lb.test"}
    )
    team = env["helpdesk.ticket.team"].create({"name": "Life bench team"})
    (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            {
                "name": "Life bench agent",
                "login": "lb_agent",
                "email": "agent@lb.test",
                "groups_id": [
                    (6, 0, [env.ref("helpdesk_mgmt.group_helpdesk_user").id])
                ],
            }
        )
    )
    if kind == "plain":
        return
    calendar = brussels_calendar(env)
    if kind == "oca":
        team.write({"use_sla": True, "resource_calendar_id": calendar.id})
        for name, stage, hours in (
            ("Response", "helpdesk_mgmt.helpdesk_ticket_stage_in_progress", 4),
            ("Resolution", "helpdesk_mgmt.helpdesk_ticket_stage_done", 16),
        ):
            env["helpdesk.sla"].create(
                {
                    "name": f"Life bench {name}",
                    "team_ids": [(6, 0, team.ids)],
                    "stage_id": env.ref(stage).id,
                    "hours": hours,
                }
            )
    if kind.startswith("suite"):
        suite_agreement(
            env,
            customer,
            contact,
            [
                target_values("response", 4, calendar),
                target_values("resolution", 16, calendar),
            ],
        )
    if kind == "suite500":
        many_agreements(env, calendar)


def target_values(metric, hours, calendar, **vals):
    return dict(
        {
            "name": f"Life bench {metric} {hours} h",
            "metric": metric,
            "threshold_hours": hours,
            "calendar_id": calendar.id,
        },
        **vals,
    )


def suite_agreement(env, customer, signer, targets, name="Life bench SLA"):
    agreement = env["slm.agreement"].create(
        {
            "name": name,
            "kind": "sla",
            "structure": "customer_based",
            "partner_id": customer.id,
            "date_start": "2020-01-01",
            "customer_signed_by_id": signer.id,
            "customer_signed_date": "2020-01-01",
            "target_ids": [(0, 0, t) for t in targets],
        }
    )
    agreement.action_agree()
    return agreement


def many_agreements(env, calendar):
    """500 agreed SLAs of 10 targets (response and resolution per priority,
    next reply, periodic update), each for a customer of its own."""
    priorities = env["slm.ticket.priority"].search([])
    customers = env["res.partner"].create(
        [
            {"name": f"Life bench other customer {i}", "is_company": True}
            for i in range(AGREEMENTS)
        ]
    )
    for number, customer in enumerate(customers):
        targets = [
            target_values(
                metric,
                hours + int(priority.value),
                calendar,
                name=f"{metric} P{priority.value}",
                priority_ids=[(6, 0, priority.ids)],
            )
            for metric, hours in (("response", 2), ("resolution", 12))
            for priority in priorities
        ]
        targets += [
            target_values("next_reply", 8, calendar),
            target_values("periodic_update", 24, calendar),
        ]
        suite_agreement(
            env,
            customer,
            customer,
            targets[:TARGETS_PER_AGREEMENT],
            name=f"Life bench other SLA {number}",
        )
        if number % 100 == 99:
            print(f"   {number + 1} agreements", flush=True)


def ensure_setup(dbname, kind):
    registry = odoo.modules.registry.Registry(dbname)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        if not env["res.partner"].search_count([("name", "=", MARK)]):
            print(f"setting up {dbname}...", flush=True)
            common_setup(env, kind)
            cr.commit()


def ensure_databases(prefix):
    names = {kind: f"{prefix}_{kind}" for kind in KINDS}
    ensure_database(names["plain"], "helpdesk_mgmt")
    ensure_database(names["oca"], "helpdesk_mgmt,helpdesk_mgmt_sla")
    ensure_database(names["suite"], suite_modules())
    exists = subprocess.run(
        [
            "psql",
            "-XAtc",
            f"SELECT 1 FROM pg_database WHERE datname = " f"'{names['suite500']}'",
            "postgres",
        ],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    if exists != "1":
        # A copy of the suite's database (before its set-up), filestore too.
        subprocess.run(
            ["createdb", "-T", names["suite"], names["suite500"]], check=True
        )
        filestore = os.path.join(config["data_dir"], "filestore")
        source = os.path.join(filestore, names["suite"])
        if os.path.isdir(source):
            subprocess.run(
                ["cp", "-r", source, os.path.join(filestore, names["suite500"])],
                check=True,
            )
    for kind in KINDS:
        ensure_setup(names[kind], kind)
    return names


# ----------------------------------------------------------------------
# The life of the tickets
# ----------------------------------------------------------------------


def life(env, count, seed, on_step=None):
    """``count`` tickets through their life; {step: (seconds, queries)}.
    ``on_step(step)`` is called at the end of each step."""
    agent = env["res.users"].search([("login", "=", "lb_agent")])
    contact = env["res.partner"].search([("name", "=", "Life bench contact")])
    team = env["helpdesk.ticket.team"].search([("name", "=", "Life bench team")])
    progress = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress")
    done = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
    as_agent = env(user=agent)
    Ticket = as_agent["helpdesk.ticket"]
    finish_transaction(env)
    rng = random.Random(seed)
    cr = env.cr
    totals = {step: [0.0, 0] for step in STEPS}

    def step(name, func):
        # A new request: nothing of the previous step in the ORM cache.
        env.invalidate_all()
        queries = cr.sql_log_count
        started = time.perf_counter()
        result = func()
        finish_transaction(as_agent)
        totals[name][0] += time.perf_counter() - started
        totals[name][1] += cr.sql_log_count - queries
        if on_step:
            on_step(name)
        return result

    for i in range(count):
        ticket = step(
            "create",
            lambda i=i: Ticket.create(
                {
                    "name": f"Life bench ticket {i}",
                    "description": "<p>Something is broken.</p>",
                    "partner_id": contact.id,
                    "team_id": team.id,
                    "user_id": agent.id,
                    "priority": rng.choice("0123"),
                }
            ),
        )
        step(
            "reply",
            lambda t=ticket: t.message_post(
                body="We are looking into it.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            ),
        )
        step("stage", lambda t=ticket: t.write({"stage_id": progress.id}))
        step("close", lambda t=ticket: t.write({"stage_id": done.id}))
    return {name: (seconds, queries) for name, (seconds, queries) in totals.items()}


def explain(dbname):
    """The queries the suite's code makes in each step of one ticket's life
    (cold, as in the rounds): {step: [(caller, first words of the SQL)]}.
    A query counts as the suite's when the nearest frame of an addon that
    made it is an slm_* addon's (``tools/query_origin.py``, as
    tests/test_query_counts.py counts)."""
    # Importable once the addons path is set (main).
    from odoo.addons.slm_agreements.tools.query_origin import (  # noqa: PLC0415
        describe,
        suite_frame,
    )

    made = []
    execute = Cursor.execute

    def tracing(cr, query, *args, **kwargs):
        frame = suite_frame(sys._getframe(1))
        if frame:
            made.append((describe(frame), " ".join(str(query).split())[:70]))
        return execute(cr, query, *args, **kwargs)

    per_step = {}
    registry = odoo.modules.registry.Registry(dbname)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        try:
            life(env, 2, 0)  # warm: registries and their caches
            Cursor.execute = tracing
            try:
                for step in STEPS:
                    per_step[step] = []
                life(
                    env,
                    1,
                    0,
                    on_step=lambda step: per_step[step].extend(made) or made.clear(),
                )
            finally:
                Cursor.execute = execute
        finally:
            cr.rollback()
    return per_step


def run_round(dbname, count, seed):
    registry = odoo.modules.registry.Registry(dbname)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        try:
            return life(env, count, seed)
        finally:
            cr.rollback()


def clocks_per_ticket(dbname):
    """Check: the suite's tickets got their two clocks."""
    registry = odoo.modules.registry.Registry(dbname)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        try:
            life(env, 1, 0)
            ticket = env["helpdesk.ticket"].search([], order="id desc", limit=1)
            return sorted(ticket.slm_clock_ids.mapped(lambda c: (c.metric, c.status)))
        finally:
            cr.rollback()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tickets", type=int, default=40, help="per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--db-prefix", default="lb_life")
    parser.add_argument(
        "--only", help="comma-separated databases to run (plain,oca,suite,suite500)"
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="then list the queries the suite's code makes in each step",
    )
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
    names = ensure_databases(args.db_prefix)
    kinds = args.only.split(",") if args.only else KINDS
    # Warm-up: registries loaded, ORM caches filled (not counted).
    for kind in kinds:
        run_round(names[kind], 3, 0)
    times = {kind: {step: [] for step in STEPS} for kind in kinds}
    queries = {}
    for number in range(args.rounds):
        for kind in kinds:
            result = run_round(names[kind], args.tickets, number + 1)
            for step in STEPS:
                times[kind][step].append(1000 * result[step][0] / args.tickets)
            queries[kind] = {s: result[s][1] / args.tickets for s in STEPS}
        print(f"round {number + 1}/{args.rounds} done", flush=True)
    checks = {kind: clocks_per_ticket(names[kind]) for kind in kinds if "suite" in kind}
    report(args, kinds, times, queries, checks)
    if args.explain and "suite" in kinds:
        print("\n   the suite's queries in one ticket's life (cold), by caller")
        for step, made in explain(names["suite"]).items():
            print(f"   {step}: {len(made)}")
            for caller, sql in made:
                print(f"      {caller:58} {sql}")


def report(args, kinds, times, queries, checks):
    medians = {
        kind: {step: statistics.median(times[kind][step]) for step in STEPS}
        for kind in kinds
    }
    for kind in kinds:
        medians[kind]["life"] = sum(medians[kind][s] for s in STEPS)
        queries[kind]["life"] = sum(queries[kind][s] for s in STEPS)
    load = os.getloadavg()
    print(
        f"\nA ticket's life, {args.tickets} tickets x {args.rounds} interleaved "
        f"rounds, one ticket per transaction step; {os.cpu_count()} cores, load "
        f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    columns = STEPS + ("life",)
    print("\n   ms per ticket (median of rounds)")
    print(f"   {'':22}" + "".join(f"{c:>10}" for c in columns))
    for kind in kinds:
        print(
            f"   {LABELS[kind]:22}"
            + "".join(f"{medians[kind][c]:10.2f}" for c in columns)
        )
    print("\n   ratios (of the medians)")
    pairs = [
        ("oca", "plain", "OCA sla / plain"),
        ("suite", "plain", "suite / plain"),
        ("suite", "oca", "suite / OCA sla"),
        ("suite500", "suite", "500 SLAs / 1 SLA"),
    ]
    aims = {"create": 1.15, "reply": 1.15, "stage": 1.5, "close": 1.2, "life": 1.2}
    for a, b, label in pairs:
        if a in kinds and b in kinds:
            print(
                f"   {label:22}"
                + "".join(f"{medians[a][c] / medians[b][c]:10.2f}" for c in columns)
            )
    print(f"   {'aim suite / plain':22}" + "".join(f"{aims[c]:10.2f}" for c in columns))
    print(f"   {'aim 500 / 1 SLA':22}" + "".join(f"{1.05:10.2f}" for c in columns))
    print("\n   SQL queries per ticket (cursor.sql_log_count, commit hooks included)")
    for kind in kinds:
        print(
            f"   {LABELS[kind]:22}"
            + "".join(f"{queries[kind][c]:10.1f}" for c in columns)
        )
    if "plain" in kinds:
        for kind in kinds:
            if kind != "plain":
                print(
                    f"   {'added: ' + LABELS[kind]:22}"
                    + "".join(
                        f"{queries[kind][c] - queries['plain'][c]:10.1f}"
                        for c in columns
                    )
                )
    print("\n   spread (min-max ms per ticket over the rounds)")
    for kind in kinds:
        print(
            f"   {LABELS[kind]:22}"
            + "".join(
                f"{min(times[kind][s]):>7.1f}-{max(times[kind][s]):<7.1f}"
                for s in STEPS
            )
        )
    for kind, clocks in checks.items():
        print(f"\n   {LABELS[kind]}: clocks of a closed ticket: {clocks}")


if __name__ == "__main__":
    sys.exit(main())
