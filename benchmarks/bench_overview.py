#!/usr/bin/env python3
# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# pylint: disable=print-used
"""SLM overview benchmark (issue 11: the overview on a busy helpdesk). Prints
figures, asserts nothing about speed. Run from the repository root after
./setup/run.sh --no-start:

    .venv/bin/python benchmarks/bench_overview.py [--tickets 100000]
        [--db slm_bench_overview] [--runs 5]

On one database (slm_bench_overview by default: the whole suite without demo
data, created on first use and updated to the current code), in one
transaction rolled back at the end: an agreed SLA with two targets (response
2 h, resolution 16 h, 24x7) and N tickets created over the last 90 days, each
with both clocks: tickets older than two days closed, their clocks settled
(1 response in 33 and 1 resolution in 20 breached, the others met); the
newer ones open, their response met and their resolution running (1 in 10 at
risk, 1 in 20 breached today); a breach record for every breached clock (one
in three new, the others closed). Tickets, clocks and breaches are
bulk-inserted in SQL, as a helpdesk has them after months of use.

The overview (``slm.overview.get_overview``, what the landing page calls)
is then loaded R times by a Service Level Manager (with record rules), the
caches emptied before each run. Printed: the time of each run, the fastest
and the median, the number of SQL queries, and the figures it found.
"""

import argparse
import os
import statistics
import sys
import time

import odoo
from odoo.tools import config

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_breach_scan import update_database  # noqa: E402
from bench_clocks import (  # noqa: E402
    ROOT,
    addons_path,
    ensure_database,
    in_registry,
    setup_suite,
)

OVERVIEW_DB = "slm_bench_overview"
MODULES = "slm_reviews,slm_supplier"


def make_data(env, count):
    """``count`` tickets over the last 90 days with their clocks and breaches."""
    extra = setup_suite(env)
    agreement = env["slm.agreement"].search([("name", "=", "Bench SLA")], limit=1)
    targets = {t.metric: t for t in agreement.target_ids}
    template = env["helpdesk.ticket"].create(
        dict(extra, name="Bench template", description="<p>Broken</p>")
    )
    env.flush_all()
    cr = env.cr
    # The months of the figures: UTC (period rule), whatever the company says.
    cr.execute("UPDATE slm_agreement SET tz = 'UTC' WHERE id = %s", [agreement.id])
    closed = env["helpdesk.ticket.stage"].search([("closed", "=", True)], limit=1)
    now = odoo.fields.Datetime.now().replace(microsecond=0)
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = 'helpdesk_ticket' AND column_name NOT IN "
        "('id', 'create_date', 'number', 'name', 'stage_id', 'slm_status')"
    )
    cols = ", ".join(row[0] for row in cr.fetchall())
    # Ticket n is n % 90 days and n % 20 hours old; open when under 2 days.
    cr.execute(
        f"""
        INSERT INTO helpdesk_ticket (name, number, create_date, stage_id,
                                     slm_status, {cols})
        SELECT 'Bench ticket ' || n, 'BO' || n, created,
               CASE WHEN created < %(now)s - interval '2 days'
                    THEN %(closed)s ELSE stage_id END,
               CASE WHEN created < %(now)s - interval '2 days' THEN 'met'
                    WHEN n %% 20 = 0 THEN 'breached'
                    WHEN n %% 10 = 0 THEN 'at_risk'
                    ELSE 'running' END,
               {cols}
          FROM helpdesk_ticket,
               generate_series(0, %(count)s - 1) AS n,
               LATERAL (SELECT %(now)s - make_interval(days => n %% 90,
                                                       hours => n %% 20)
                               AS created) AS c
         WHERE id = %(template)s
        """,
        {"now": now, "closed": closed.id, "count": count, "template": template.id},
    )
    common = {"agreement": agreement.id, "now": now}
    # Settled clocks of the closed tickets, their day and month stored (UTC).
    for metric, hours, modulo in (("response", 2, 33), ("resolution", 16, 20)):
        cr.execute(
            """
            INSERT INTO slm_clock (ticket_id, target_id, agreement_id,
                   agreement_kind, metric, status, start, deadline, stop,
                   settled_date, period_day, period_date, used_seconds,
                   paused_seconds, excused, partner_id, service_id, team_id,
                   company_id, computed_at)
            SELECT t.id, %(target)s, %(agreement)s, 'sla', %(metric)s,
                   CASE WHEN t.id %% %(modulo)s = 0 THEN 'breached' ELSE 'met' END,
                   t.create_date, t.create_date + make_interval(hours => %(hours)s),
                   t.create_date + make_interval(hours => %(hours)s + 1),
                   s.settled, s.settled::date, date_trunc('month', s.settled)::date,
                   0, 0, false, t.commercial_partner_id, t.service_id, t.team_id,
                   t.company_id, %(now)s
              FROM helpdesk_ticket t,
                   LATERAL (SELECT t.create_date + CASE
                       WHEN t.id %% %(modulo)s = 0
                       THEN make_interval(hours => %(hours)s)
                       ELSE interval '1 hour' END AS settled) AS s
             WHERE t.number LIKE 'BO%%' AND t.stage_id = %(closed)s
            """,
            dict(
                common,
                target=targets[metric].id,
                metric=metric,
                modulo=modulo,
                hours=hours,
                closed=closed.id,
            ),
        )
    # Open tickets: response met, resolution running, at risk or breached.
    cr.execute(
        """
        INSERT INTO slm_clock (ticket_id, target_id, agreement_id, agreement_kind,
               metric, status, start, deadline, stop, settled_date, period_day,
               period_date, used_seconds, paused_seconds, excused, partner_id,
               service_id, team_id, company_id, computed_at)
        SELECT t.id, %(target)s, %(agreement)s, 'sla', 'response', 'met',
               t.create_date, t.create_date + interval '2 hours',
               t.create_date + interval '1 hour', t.create_date + interval '1 hour',
               (t.create_date + interval '1 hour')::date,
               date_trunc('month', t.create_date + interval '1 hour')::date,
               3600, 0, false, t.commercial_partner_id, t.service_id, t.team_id,
               t.company_id, %(now)s
          FROM helpdesk_ticket t
         WHERE t.number LIKE 'BO%%' AND t.slm_status != 'met'
        """,
        dict(common, target=targets["response"].id),
    )
    cr.execute(
        """
        INSERT INTO slm_clock (ticket_id, target_id, agreement_id, agreement_kind,
               metric, status, at_risk, start, deadline, settled_date,
               period_day, period_date, used_seconds, paused_seconds, excused,
               partner_id, service_id, team_id, company_id, computed_at)
        SELECT t.id, %(target)s, %(agreement)s, 'sla', 'resolution',
               CASE WHEN t.slm_status = 'breached' THEN 'breached'
                    ELSE 'running' END,
               t.slm_status = 'at_risk', t.create_date,
               CASE WHEN t.slm_status = 'breached'
                    THEN %(now)s - interval '1 minute'
                    ELSE %(now)s + interval '4 hours' END,
               CASE WHEN t.slm_status = 'breached'
                    THEN %(now)s - interval '1 minute' END,
               CASE WHEN t.slm_status = 'breached'
                    THEN (%(now)s - interval '1 minute')::date END,
               CASE WHEN t.slm_status = 'breached'
                    THEN date_trunc('month', %(now)s - interval '1 minute')::date
               END,
               0, 0, false, t.commercial_partner_id, t.service_id, t.team_id,
               t.company_id, %(now)s
          FROM helpdesk_ticket t
         WHERE t.number LIKE 'BO%%' AND t.slm_status != 'met'
        """,
        dict(common, target=targets["resolution"].id),
    )
    cr.execute(
        """
        INSERT INTO slm_breach (clock_id, ticket_id, target_id, agreement_id,
               agreement_kind, metric, partner_id, service_id, team_id,
               company_id, deadline, stop, late_hours, state, name, excused,
               period_date, create_date, write_date)
        SELECT c.id, c.ticket_id, c.target_id, c.agreement_id, 'sla', c.metric,
               c.partner_id, c.service_id, c.team_id, c.company_id, c.deadline,
               c.stop, 1.0,
               CASE WHEN c.id %% 3 = 0 THEN 'new' ELSE 'closed' END,
               'Bench breach ' || c.id, false, c.period_date,
               c.settled_date, c.settled_date
          FROM slm_clock c
         WHERE c.status = 'breached' AND c.agreement_id = %(agreement)s
        """,
        common,
    )
    for table in ("helpdesk_ticket", "slm_clock", "slm_breach"):
        cr.execute(f"ANALYZE {table}")
    env.invalidate_all()
    return {
        model: env[model].search_count([])
        for model in ("helpdesk.ticket", "slm.clock", "slm.breach")
    }


def bench(count, runs, dbname):
    def run(env):
        started = time.perf_counter()
        counts = make_data(env, count)
        print(
            f"   data: {counts['helpdesk.ticket']} tickets, {counts['slm.clock']} "
            f"clocks, {counts['slm.breach']} breaches, made in "
            f"{time.perf_counter() - started:.1f} s",
            flush=True,
        )
        manager = (
            env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": "Bench Overview Manager",
                    "login": "bench_overview_manager",
                    "groups_id": [
                        (4, env.ref("slm_catalogue.group_slm_manager").id),
                        (4, env.ref("helpdesk_mgmt.group_helpdesk_manager").id),
                    ],
                }
            )
        )
        env.flush_all()
        overview = env["slm.overview"].with_user(manager)
        timings, queries, data = [], 0, None
        for _run in range(runs):
            env.invalidate_all()
            env.registry.clear_cache()
            before = env.cr.sql_log_count
            started = time.perf_counter()
            data = overview.get_overview()
            timings.append(time.perf_counter() - started)
            queries = env.cr.sql_log_count - before
        return timings, queries, data

    timings, queries, data = in_registry(dbname, run)
    print(f"\nOverview on {count} tickets ({runs} runs, caches emptied each time)")
    print("   runs    : " + "  ".join(f"{t:.3f} s" for t in timings))
    print(
        f"   fastest : {min(timings):.3f} s   median: "
        f"{statistics.median(timings):.3f} s   ({queries} SQL queries per load)"
    )
    for section in sorted(data["sections"], key=lambda s: s["sequence"]):
        figures = ", ".join(f"{i['label']} {i['count']}" for i in section["items"])
        print(f"   {section['title']}: {figures}")
    for row in data["attainment"]:
        attainment = row["attainment"]
        shown = "not measured" if attainment is None else f"{attainment:.2f} %"
        print(
            f"   {row['agreement']} / {row['target']}: {shown} "
            f"(objective {row['objective']:.2f} %, {row['measured']} measured)"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tickets", type=int, default=100000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", default=OVERVIEW_DB)
    args = parser.parse_args()
    config.parse_config(
        ["-c", os.path.join(ROOT, "odoo.conf"), f"--addons-path={addons_path()}"]
    )
    config["log_level"] = "warn"
    odoo.netsvc.init_logger()
    ensure_database(args.db, MODULES)
    update_database(args.db, MODULES)
    bench(args.tickets, args.runs, args.db)


if __name__ == "__main__":
    main()
