#!/usr/bin/env python3
# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# pylint: disable=print-used
"""Service review exports benchmark (issue: service reviews). Prints figures,
asserts nothing about speed. Run from the repository root after
./setup/run.sh --no-start:

    .venv/bin/python benchmarks/bench_review_exports.py [--per-month 10000]
        [--months 12] [--db slm_bench_reviews] [--report-url URL] [--keep DIR]
        [--statements 500] [--statement-tickets 20]

On one database (slm_bench_reviews by default: the suite without demo data,
created on first use and updated to the current code), in one transaction
rolled back at the end: an agreed SLA with two targets (response 2 h,
resolution 16 h) and N tickets in each of the last M whole months (12 x
10,000 = 120,000 by default), each with both clocks settled (met, or
breached: 1 response in 33, 1 resolution in 20; 1 breached resolution in 10
excused) and a breach record with a cause for every breached clock. Tickets,
clocks and breaches are bulk-inserted in SQL, as a helpdesk has them after a
year of use.

A service review over the M months is then prepared and exported, timing:

- the monthly figures alone (slm.service.statement._figures_for, one query);
- Prepare Agenda (the snapshot of every section and the agenda's HTML), then
  Generate Minutes (their HTML, from the snapshot);
- the PDF minutes (QWeb + wkhtmltopdf) and the XLSX performance pack,

and prints their sizes. wkhtmltopdf loads the report's styles from the
server at ``report.url`` (or ``web.base.url``): with no Odoo server answering
there, the PDF is made without them (smaller and faster than in real use);
``--report-url`` points it at a running server of the same database.

Monthly statements (``--statements``, 0: none), in a transaction of their
own: N agreed SLAs, one customer each, with ``--statement-tickets`` settled
clocks per target last month; their statements drafted as the monthly action
does, then issued together (figures recomputed, sealed, one note each).

Printed: times, queries, sizes; the aims of issue 14 item 5 (agenda and
minutes 1 s each, the PDF 3 s, 500 statements issued in 10 s) and the ratio
to the times measured before that work (agenda 4.42 s, minutes 4.30 s, PDF
7.67 s).

Measured before and after issue 14 item 5, one run each on the same
database (2-core machine shared with seven other sessions, load average 10 to
14: several times slower than a quiet machine, compare within a run; the PDF
without the server's styles): Prepare Agenda 32.67 s -> 2.97 s (56 -> 36
queries), Generate Minutes 25.73 s -> 1.84 s (4,319 KB -> 52 KB of HTML),
minutes PDF 25.24 s, 349 pages -> 1.94 s, 5 pages; issuing 500 statements
19.55 s, 3,562 queries -> 5.64 s, 67 queries.
"""

import argparse
import json
import os
import sys
import time
from datetime import date

from dateutil.relativedelta import relativedelta

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

REVIEWS_DB = "slm_bench_reviews"
# Issue 14 item 5: the aims (seconds), and the times measured before that work.
AIMS = {"agenda": 1.0, "minutes": 1.0, "pdf": 3.0}
BASELINE = {"agenda": 4.42, "minutes": 4.30, "pdf": 7.67}
STATEMENTS_AIM = 10.0
MINUTES_REPORT = "slm_reviews.action_report_review_minutes"
XLSX_REPORT = "slm_reviews.action_report_review_performance_xlsx"


def make_data(env, per_month, months):
    """``per_month`` tickets in each of the last ``months`` whole months, each
    with a settled response and resolution clock; breaches for the breached."""
    extra = setup_suite(env)
    agreement = env["slm.agreement"].search([("name", "=", "Bench SLA")], limit=1)
    targets = {t.metric: t for t in agreement.target_ids}
    partner = env["res.partner"].browse(extra["partner_id"])
    contact = env["res.partner"].create(
        {
            "name": "Bench Contact",
            "parent_id": partner.id,
            "email": "bench.contact@example.com",
        }
    )
    template = env["helpdesk.ticket"].create(
        dict(
            extra,
            partner_id=contact.id,
            name="Bench template",
            description="<p>Broken</p>",
        )
    )
    env.flush_all()
    cr = env.cr
    first = date.today().replace(day=1) - relativedelta(months=months)
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = 'helpdesk_ticket' AND column_name NOT IN "
        "('id', 'create_date', 'number', 'name')"
    )
    cols = ", ".join(row[0] for row in cr.fetchall())
    # Spread over the first 26 days of each month (every clock settles in
    # the month its ticket was created); ids in creation order, so that the
    # breached ones (every k-th id) spread evenly over the months.
    cr.execute(
        f"""
        INSERT INTO helpdesk_ticket (name, number, create_date, {cols})
        SELECT 'Bench ticket ' || m || '-' || n, 'BR' || m || '-' || n,
               %(first)s::timestamp + make_interval(months => m)
                   + make_interval(secs => n * %(step)s),
               {cols}
          FROM helpdesk_ticket, generate_series(0, %(months)s - 1) AS m,
               generate_series(0, %(per_month)s - 1) AS n
         WHERE id = %(template)s
         ORDER BY m, n
        """,
        {
            "first": first,
            "step": 26 * 86400.0 / per_month,
            "months": months,
            "per_month": per_month,
            "template": template.id,
        },
    )
    # (metric, threshold, breached when ticket id % modulo = 0, met after)
    for metric, hours, modulo, met_after in (
        ("response", 2, 33, "1 hour"),
        ("resolution", 16, 20, "8 hours"),
    ):
        cr.execute(
            """
            INSERT INTO slm_clock (ticket_id, target_id, agreement_id,
                   agreement_kind, metric, status, start, deadline, stop,
                   settled_date, used_seconds, paused_seconds, excused,
                   partner_id, service_id, team_id, company_id, computed_at,
                   period_day, period_date)
            SELECT t.id, %(target)s, %(agreement)s, 'sla', %(metric)s,
                   CASE WHEN t.id %% %(modulo)s = 0 THEN 'breached' ELSE 'met' END,
                   t.create_date,
                   t.create_date + make_interval(hours => %(hours)s),
                   CASE WHEN t.id %% %(modulo)s = 0
                        THEN t.create_date + make_interval(hours => %(hours)s + 3)
                        ELSE t.create_date + %(met_after)s::interval END,
                   CASE WHEN t.id %% %(modulo)s = 0
                        THEN t.create_date + make_interval(hours => %(hours)s)
                        ELSE t.create_date + %(met_after)s::interval END,
                   0, 0,
                   %(metric)s = 'resolution' AND t.id %% (%(modulo)s * 10) = 0,
                   t.commercial_partner_id, t.service_id, t.team_id, t.company_id,
                   now() at time zone 'UTC', s.day, date_trunc('month', s.day)::date
              FROM helpdesk_ticket t,
                   -- period rule: the settled day in the agreement's time zone
                   LATERAL (
                       SELECT ((CASE WHEN t.id %% %(modulo)s = 0
                                     THEN t.create_date
                                          + make_interval(hours => %(hours)s)
                                     ELSE t.create_date + %(met_after)s::interval
                                END) AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date
                   ) AS s(day)
             WHERE t.number LIKE 'BR%%'
            """,
            {
                "target": targets[metric].id,
                "agreement": agreement.id,
                "metric": metric,
                "modulo": modulo,
                "hours": hours,
                "met_after": met_after,
                "tz": agreement._period_tz().zone,
            },
        )
    causes = env["slm.breach.cause"].search([]).ids or (
        env["slm.breach.cause"]
        .create(
            [
                {"name": "Insufficient staffing"},
                {"name": "Waiting on supplier"},
                {"name": "Wrong assignment or routing"},
            ]
        )
        .ids
    )
    env.flush_all()
    cr.execute(
        """
        INSERT INTO slm_breach (clock_id, ticket_id, target_id, agreement_id,
               agreement_kind, metric, partner_id, service_id, team_id,
               company_id, deadline, stop, late_hours, late_computed_at, state,
               cause_id, name, excused, excuse_state, create_date, write_date,
               period_date)
        SELECT c.id, c.ticket_id, c.target_id, c.agreement_id, 'sla', c.metric,
               c.partner_id, c.service_id, c.team_id, c.company_id, c.deadline,
               c.stop, 3.0, c.stop,
               CASE WHEN c.id %% 3 = 0 THEN 'analysing' ELSE 'new' END,
               (%(causes)s::int[])[1 + c.id %% %(count)s],
               t.number || ' ' || c.metric, c.excused,
               CASE WHEN c.excused THEN 'approved' END,
               c.settled_date, c.settled_date, c.period_date
          FROM slm_clock c JOIN helpdesk_ticket t ON t.id = c.ticket_id
         WHERE c.status = 'breached' AND c.agreement_id = %(agreement)s
        """,
        {"causes": causes, "count": len(causes), "agreement": agreement.id},
    )
    cr.execute("ANALYZE helpdesk_ticket")
    cr.execute("ANALYZE slm_clock")
    cr.execute("ANALYZE slm_breach")
    env.invalidate_all()
    last = date.today().replace(day=1) - relativedelta(days=1)
    review = env["slm.review"].create(
        {
            "kind": "service",
            "partner_id": partner.id,
            "agreement_ids": [(6, 0, agreement.ids)],
            "period_start": first,
            "period_end": last,
            "chair_id": env.ref("base.user_admin").id,
            "attendee_partner_ids": [(6, 0, contact.ids)],
        }
    )
    counts = {}
    for model in ("helpdesk.ticket", "slm.clock", "slm.breach"):
        counts[model] = env[model].search_count([])
    return agreement, review, counts


def timed(env, func):
    started = time.perf_counter()
    result = func()
    env.flush_all()
    return time.perf_counter() - started, result


def bench(per_month, months, db, report_url, keep):
    def run(env):
        started = time.perf_counter()
        agreement, review, counts = make_data(env, per_month, months)
        print(
            f"   data: {counts['helpdesk.ticket']} tickets, {counts['slm.clock']} "
            f"clocks, {counts['slm.breach']} breaches, made in "
            f"{time.perf_counter() - started:.1f} s",
            flush=True,
        )
        if report_url:
            env["ir.config_parameter"].set_param("report.url", report_url)
        figures_months = [
            review.period_start + relativedelta(months=i) for i in range(months)
        ]
        results = {}
        results["figures"] = timed(
            env,
            lambda: env["slm.service.statement"]._figures_for(
                agreement, figures_months
            ),
        )[0]
        if hasattr(review, "action_prepare_agenda"):
            queries = env.cr.sql_log_count
            results["agenda"] = timed(env, review.action_prepare_agenda)[0]
            results["agenda_queries"] = env.cr.sql_log_count - queries
            review.action_meeting_held()
            queries = env.cr.sql_log_count
            results["minutes"] = timed(env, review.action_generate_minutes)[0]
            results["minutes_queries"] = env.cr.sql_log_count - queries
        else:
            print("   (no Prepare Agenda: the snapshot is the figures only)")
            review.write({"snapshot": {"targets": [], "months": []}})
        snapshot = review.snapshot or {}
        results["snapshot_kb"] = len(json.dumps(snapshot, default=str)) / 1024
        results["targets"] = len(snapshot.get("targets") or [])
        results["snapshot_breaches"] = len(snapshot.get("breaches") or [])
        results["minutes_kb"] = len(review.minutes or "") / 1024
        Report = env["ir.actions.report"]
        results["html"], (html, _format) = timed(
            env, lambda: Report._render_qweb_html(MINUTES_REPORT, review.ids)
        )
        results["html_kb"] = len(html) / 1024
        results["pdf"], (pdf, _format) = timed(
            env, lambda: Report._render_qweb_pdf(MINUTES_REPORT, review.ids)
        )
        results["pdf_kb"] = len(pdf) / 1024
        results["pdf_pages"] = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
        results["xlsx"], (xlsx, _format) = timed(
            env, lambda: Report._render_xlsx(XLSX_REPORT, review.ids, None)
        )
        results["xlsx_kb"] = len(xlsx) / 1024
        if keep:
            os.makedirs(keep, exist_ok=True)
            for name, content in (
                ("minutes.html", html),
                ("minutes.pdf", pdf),
                ("pack.xlsx", xlsx),
            ):
                with open(os.path.join(keep, name), "wb") as file:
                    file.write(content)
        return results

    r = in_registry(db, run)
    print(f"\nService review over {months} months x {per_month} tickets")
    print(f"   monthly figures (_figures_for)     : {r['figures']:8.2f} s")
    if "agenda" in r:
        print(
            f"   Prepare Agenda (snapshot + HTML)   : {r['agenda']:8.2f} s  "
            f"({r['targets']} targets, {r['snapshot_breaches']} breaches, "
            f"snapshot {r['snapshot_kb']:.0f} KB, {r['agenda_queries']} queries)"
        )
        print(
            f"   Generate Minutes                   : {r['minutes']:8.2f} s  "
            f"(minutes {r['minutes_kb']:.0f} KB of HTML, "
            f"{r['minutes_queries']} queries)"
        )
    print(
        f"   minutes as HTML (QWeb, charts)     : {r['html']:8.2f} s  "
        f"({r['html_kb']:.0f} KB)"
    )
    print(
        f"   minutes as PDF (QWeb + wkhtmltopdf): {r['pdf']:8.2f} s  "
        f"({r['pdf_kb']:.0f} KB, {r['pdf_pages']} pages)"
    )
    print(
        f"   performance pack XLSX              : {r['xlsx']:8.2f} s  "
        f"({r['xlsx_kb']:.0f} KB)"
    )
    for key, label in (
        ("agenda", "Prepare Agenda"),
        ("minutes", "Generate Minutes"),
        ("pdf", "minutes PDF"),
    ):
        if key in r:
            print(
                f"   aim {label:<17}: {AIMS[key]:.0f} s "
                f"({'met' if r[key] <= AIMS[key] else 'NOT met'}); "
                f"baseline {BASELINE[key]:.2f} s, {BASELINE[key] / r[key]:.1f} x faster"
            )


def make_statement_data(env, count, tickets):
    """``count`` agreed SLAs (one customer each, response and resolution
    targets) with ``tickets`` settled clocks per target last month; returns
    the agreements and last month."""
    admin = env.ref("base.user_admin")
    calendar = env.ref("resource.resource_calendar_std")
    partners = env["res.partner"].create(
        [{"name": f"Statement customer {i}", "is_company": True} for i in range(count)]
    )
    agreements = env["slm.agreement"].create(
        [
            {
                "name": f"Statement SLA {i}",
                "kind": "sla",
                "structure": "customer_based",
                "partner_id": partner.id,
                "date_start": "2020-01-01",
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
            for i, partner in enumerate(partners)
        ]
    )
    for agreement in agreements:
        agreement.write(
            {
                "customer_signed_by_id": agreement.partner_id.id,
                "customer_signed_date": "2020-01-01",
            }
        )
    agreements.with_user(admin).action_agree()
    month = date.today().replace(day=1) - relativedelta(months=1)
    template = env["helpdesk.ticket"].create(
        {
            "name": "Statement template",
            "description": "<p>Broken</p>",
            "partner_id": partners[0].id,
        }
    )
    env.flush_all()
    cr = env.cr
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = 'helpdesk_ticket' AND column_name NOT IN "
        "('id', 'create_date', 'number', 'name')"
    )
    cols = ", ".join(row[0] for row in cr.fetchall())
    cr.execute(
        f"""
        INSERT INTO helpdesk_ticket (name, number, create_date, {cols})
        SELECT 'Statement ticket ' || n, 'ST' || n,
               %(month)s::timestamp + make_interval(hours => n), {cols}
          FROM helpdesk_ticket, generate_series(0, %(tickets)s - 1) AS n
         WHERE id = %(template)s
        RETURNING id, create_date
        """,
        {"month": month, "tickets": tickets, "template": template.id},
    )
    # The clocks of each agreement's targets on the same tickets (the
    # statements read the clocks only): 1 in 10 breached, settled last month.
    cr.execute(
        """
        INSERT INTO slm_clock (ticket_id, target_id, agreement_id,
               agreement_kind, metric, status, start, deadline, stop,
               settled_date, used_seconds, paused_seconds, excused,
               partner_id, company_id, computed_at, period_day, period_date)
        SELECT t.id, g.id, g.agreement_id, 'sla', g.metric,
               CASE WHEN (t.id + g.id) %% 10 = 0 THEN 'breached' ELSE 'met' END,
               t.create_date, t.create_date + interval '2 hours',
               t.create_date + interval '1 hour',
               t.create_date + interval '1 hour', 3600, 0, false,
               a.partner_id, a.company_id, now() at time zone 'UTC',
               t.create_date::date, %(month)s
          FROM helpdesk_ticket t, slm_target g
          JOIN slm_agreement a ON a.id = g.agreement_id
         WHERE t.number LIKE 'ST%%' AND g.agreement_id = ANY(%(agreements)s)
        """,
        {"month": month, "agreements": agreements.ids},
    )
    cr.execute("ANALYZE slm_clock")
    env.invalidate_all()
    return agreements, month


def bench_statements(count, tickets, db):
    """Draft (as the monthly action does) then issue ``count`` statements."""

    def run(env):
        started = time.perf_counter()
        agreements, month = make_statement_data(env, count, tickets)
        print(
            f"   data: {count} agreements, {2 * count * tickets} clocks, made in "
            f"{time.perf_counter() - started:.1f} s",
            flush=True,
        )
        admin = env.ref("base.user_admin")
        Statement = env["slm.service.statement"].with_user(admin)
        cr = env.cr
        results = {}
        queries = cr.sql_log_count
        results["draft"], statements = timed(
            env,
            lambda: Statement.create(
                [{"agreement_id": a.id, "period_start": month} for a in agreements]
            ),
        )
        results["draft_queries"] = cr.sql_log_count - queries
        env.invalidate_all()
        queries = cr.sql_log_count
        results["issue"] = timed(env, statements.action_issue)[0]
        results["issue_queries"] = cr.sql_log_count - queries
        results["issued"] = len(statements.filtered(lambda s: s.state == "issued"))
        return results

    r = in_registry(db, run)
    print(f"\nMonthly statements: {count} agreements x {tickets} tickets")
    print(
        f"   drafting (create + figures)        : {r['draft']:8.2f} s  "
        f"{r['draft_queries']} queries"
    )
    print(
        f"   issuing (figures, seal, notes)     : {r['issue']:8.2f} s  "
        f"{r['issue_queries']} queries, {r['issued']} issued "
        f"(aim {STATEMENTS_AIM:.0f} s for 500: "
        f"{'met' if r['issue'] <= STATEMENTS_AIM else 'NOT met'})"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--per-month", type=int, default=10000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--db", default=REVIEWS_DB)
    parser.add_argument(
        "--statements",
        type=int,
        default=500,
        help="monthly statements to draft and issue (0: none)",
    )
    parser.add_argument("--statement-tickets", type=int, default=20)
    parser.add_argument(
        "--report-url",
        help="URL of a running Odoo server of the database, for the PDF's styles",
    )
    parser.add_argument(
        "--keep", help="directory to write the HTML, PDF and XLSX minutes to"
    )
    args = parser.parse_args()
    config.parse_config(
        ["-c", os.path.join(ROOT, "odoo.conf"), f"--addons-path={addons_path()}"]
    )
    config["log_level"] = "warn"
    odoo.netsvc.init_logger()
    ensure_database(args.db, "slm_reviews")
    update_database(args.db, "slm_reviews")
    if args.statements:
        bench_statements(args.statements, args.statement_tickets, args.db)
    if args.per_month:
        bench(args.per_month, args.months, args.db, args.report_url, args.keep)


if __name__ == "__main__":
    main()
