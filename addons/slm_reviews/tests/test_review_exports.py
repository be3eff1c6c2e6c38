# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import io
import re
import zipfile
from datetime import date, timedelta

import openpyxl

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools.pdf import PdfFileReader

from odoo.addons.slm_catalogue.tests.common import SlmCatalogueCase

MINUTES_REPORT = "slm_reviews.action_report_review_minutes"
# With the internal-only part (OLAs and contracts): staff only (portal rule 3).
INTERNAL_MINUTES_REPORT = "slm_reviews.action_report_review_minutes_internal"
XLSX_REPORT = "slm_reviews.action_report_review_performance_xlsx"


class ReviewExportsCommon(SlmCatalogueCase):
    """A held review whose snapshot is written by hand (the exports render the
    snapshot only, so its figures are the expected ones), with minutes
    generated from it; a review of the same figures without minutes yet.

    Hand-worked figures of October 2026:
    - T Response 2 h (objective 95 %): 19 met, 1 breached, 1 excused:
      measured 20, attainment 19 / 20 = 95 %, achieved (95 >= 95);
    - T Resolution 8 h (objective 90 %): 7 met, 1 breached: 7 / 8 = 87.5 %,
      missed;
    - T Resolution 4 h urgent (objective 90 %): nothing measured: no
      attainment, not achieved.
    Breaches: 3, of which 1 excused: 2 count.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, mail_notrack=True))
        cls.customer = cls.env["res.partner"].create(
            {"name": "T Review Customer", "is_company": True}
        )
        cls.alice = cls.env["res.partner"].create(
            {
                "name": "Alice Attendee",
                "parent_id": cls.customer.id,
                "email": "alice@review-customer.example.com",
            }
        )
        cls.bob = cls.env["res.partner"].create(
            {"name": "Bob Nomail", "parent_id": cls.customer.id}
        )
        cls.agreement = cls.env["slm.agreement"].create(
            {
                "name": "T Review SLA",
                "kind": "sla",
                "structure": "customer_based",
                "partner_id": cls.customer.id,
                "service_ids": [(6, 0, cls.svc_network.ids)],
                "date_start": "2025-01-01",
                "target_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "T Response 2 h",
                            "metric": "response",
                            "threshold_hours": 2,
                            "objective_pct": 95,
                            "around_the_clock": True,
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "name": "T Resolution 8 h",
                            "metric": "resolution",
                            "threshold_hours": 8,
                            "objective_pct": 90,
                            "around_the_clock": True,
                        },
                    ),
                ],
            }
        )
        cls.agreement.write(
            {
                "customer_signed_by_id": cls.alice.id,
                "customer_signed_date": "2025-01-01",
            }
        )
        cls.agreement.action_agree()
        Review = cls.env["slm.review"]
        values = {
            "kind": "service",
            "partner_id": cls.customer.id,
            "agreement_ids": [(6, 0, cls.agreement.ids)],
            "chair_id": cls.user_analyst.id,
            "attendee_partner_ids": [(6, 0, (cls.alice | cls.bob).ids)],
            "attendee_user_ids": [(6, 0, cls.owner.ids)],
        }
        cls.earlier = Review.create(
            dict(
                values,
                name="T Review September",
                period_start="2026-09-01",
                period_end="2026-09-30",
            )
        )
        today = fields.Date.context_today(cls.earlier)
        cls.due_carried = today + timedelta(days=30)
        cls.due_new = today + timedelta(days=14)
        cls.carried = cls.env["slm.review.action"].create(
            {
                "name": "T Replace the core switch",
                "review_id": cls.earlier.id,
                "owner_id": cls.owner.id,
                "due_date": cls.due_carried,
            }
        )
        cls.review = Review.create(
            dict(
                values,
                name="T Review October",
                period_start="2026-10-01",
                period_end="2026-10-31",
                date="2026-11-03 09:00:00",
            )
        )
        cls.env["slm.review.action"].create(
            {
                "name": "T Publish the VPN runbook",
                "review_id": cls.review.id,
                "owner_id": cls.user_analyst.id,
                "due_date": cls.due_new,
            }
        )
        # The agenda as prepared (the snapshot by hand), the meeting held,
        # then the minutes generated from them as the chair does.
        cls.review.write(
            {
                "state": "held",
                "snapshot": cls._snapshot(),
                "carried_action_ids": [(6, 0, cls.carried.ids)],
                "decisions": "<p>T decision: a VPN review is planned.</p>",
            }
        )
        cls.review.action_generate_minutes()
        # The same figures, before the meeting: no minutes yet.
        cls.draft = Review.create(
            dict(
                values,
                name="T Review October draft",
                period_start="2026-10-01",
                period_end="2026-10-31",
            )
        )
        cls.draft.write({"state": "agenda_ready", "snapshot": cls._snapshot()})

    @classmethod
    def _snapshot(cls):
        months = ["2026-07-01", "2026-08-01", "2026-09-01", "2026-10-01"]
        agreement = "T Review SLA"
        return {
            "kind": "service",
            "review": {
                "name": "T Review October",
                "customer": "T Review Customer",
                "agreements": [agreement],
                "services": [],
                "chair": cls.user_analyst.name,
                "meeting_date": None,
                "attendees": [
                    {"name": "Alice Attendee", "email": "", "internal": False},
                    {"name": "Bob Nomail", "email": "", "internal": False},
                ],
            },
            "period": {"start": "2026-10-01", "end": "2026-10-31"},
            "generated_at": "2026-11-03 09:00:00",
            "months": months,
            "targets": [
                {
                    "target_id": 1,
                    "agreement": agreement,
                    "name": "T Response 2 h",
                    "metric": "response",
                    "metric_label": "First Response",
                    "objective": 95.0,
                    "measured": 20,
                    "met": 19,
                    "breached": 1,
                    "excused": 1,
                    "attainment": 95.0,
                    "achieved": True,
                    "trend": [
                        {"month": "2026-07-01", "attainment": 100.0},
                        {"month": "2026-08-01", "attainment": 90.0},
                        {"month": "2026-09-01", "attainment": None},
                        {"month": "2026-10-01", "attainment": 95.0},
                    ],
                },
                {
                    "target_id": 2,
                    "agreement": agreement,
                    "name": "T Resolution 8 h",
                    "metric": "resolution",
                    "objective": 90.0,
                    "measured": 8,
                    "met": 7,
                    "breached": 1,
                    "excused": 0,
                    "attainment": 87.5,
                    "achieved": False,
                    "trend": [
                        {"month": "2026-07-01", "attainment": 80.0},
                        {"month": "2026-08-01", "attainment": 85.0},
                        {"month": "2026-09-01", "attainment": 92.5},
                        {"month": "2026-10-01", "attainment": 87.5},
                    ],
                },
                {
                    "target_id": 3,
                    "agreement": agreement,
                    "name": "T Resolution 4 h urgent",
                    "metric": "resolution",
                    "objective": 90.0,
                    "measured": 0,
                    "met": 0,
                    "breached": 0,
                    "excused": 0,
                    "attainment": None,
                    "achieved": False,
                    "trend": [{"month": m, "attainment": None} for m in months],
                },
            ],
            "breaches": [
                {
                    "breach_id": 11,
                    "ticket": "HT-T1",
                    "ticket_name": "Printer down",
                    "target": "T Resolution 8 h",
                    "cause": "Supplier late",
                    "late_hours": 3.5,
                    "excused": False,
                    "state": "analysing",
                },
                {
                    "breach_id": 12,
                    "ticket": "HT-T2",
                    "ticket_name": "VPN slow",
                    "target": "T Response 2 h",
                    "cause": "Night shift",
                    "late_hours": 0.5,
                    "excused": False,
                    "state": "New",
                },
                {
                    "breach_id": 13,
                    "ticket": "HT-T3",
                    "ticket_name": "Mail down",
                    "target": "T Response 2 h",
                    "cause": "Customer unreachable",
                    "late_hours": 1.25,
                    "excused": True,
                    "state": "Closed",
                },
            ],
            "availability": [
                {
                    "target": "T Availability 99.5 %",
                    "agreement": agreement,
                    "service": "T Network",
                    "month": "2026-10-01",
                    "availability": 99.812,
                    "objective": 99.5,
                    "status": "Achieved",
                }
            ],
            "targets_to_revisit": [
                {"target": "T Resolution 8 h", "reason": "missed", "detail": "87.5 %"}
            ],
            "underpinning": [
                {
                    "sla_target": "T Resolution 8 h",
                    "target": "T OLA Resolution 6 h",
                    "kind": "ola",
                    "agreement": "T Network OLA",
                    "objective": 95.0,
                    "attainment": 100.0,
                    "achieved": True,
                }
            ],
            "alignment_gaps": [],
            "adjustments": [],
            "complaints": [],
            "open_actions": [
                {
                    "action_id": cls.carried.id,
                    "name": "T Replace the core switch",
                    "owner": cls.owner.name,
                    "due_date": cls.due_carried.isoformat(),
                    "state": "Open",
                    "origin": "T Review September",
                }
            ],
        }

    def _render(self, report, reviews=None, **context):
        return (
            self.env["ir.actions.report"]
            .with_context(**context)
            ._render(report, (reviews or self.review).ids)
        )


@tagged("post_install", "-at_install")
class TestReviewExports(ReviewExportsCommon):
    # ------------------------------------------------------------------
    # PDF minutes
    # ------------------------------------------------------------------

    def _html(self, review, report=MINUTES_REPORT):
        html, report_format = self.env["ir.actions.report"]._render_qweb_html(
            report, review.ids
        )
        self.assertEqual(report_format, "html")
        return html.decode()

    @staticmethod
    def _rows(html, table_class):
        """The text of each row of the first table with this class."""
        table = re.search(
            rf"<table[^>]*{table_class}[^>]*>(.*?)</table>", html, re.DOTALL
        )
        if not table:
            return []
        rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(1), re.DOTALL)
        return [
            " ".join(re.sub(r"<[^>]+>", " ", row).split())
            for row in rows
            if "<td" in row
        ]

    @staticmethod
    def _text(html):
        return " ".join(re.sub(r"<[^>]+>", "", html).split())

    # The minutes, generated: printed as they are, with the charts.

    def test_minutes_pdf_html_is_the_minutes_with_charts(self):
        html = self._html(self.review)
        text = self._text(html)
        self.assertIn("Minutes: T Review October", text)
        self.assertIn("T decision: a VPN review is planned.", text)
        self.assertIn("T Publish the VPN runbook", text)
        self.assertIn("T Replace the core switch", text)
        self.assertIn("Supplier late", text)
        targets = self._rows(html, "o_slm_review_targets")
        self.assertEqual(len(targets), 3)
        self.assertIn("T Resolution 8 h", targets[1])
        self.assertIn("87.5 %", targets[1])
        # The charts once, right after the performance table.
        self.assertEqual(html.count('class="o_slm_pdf_charts"'), 1)
        self.assertLess(
            html.index("o_slm_review_targets"), html.index("o_slm_pdf_charts")
        )
        self.assertLess(
            html.index("o_slm_pdf_charts"), html.index("o_slm_review_breaches")
        )
        self.assertEqual(html.count("<svg "), 1 + 3)
        # Not the layout of a review without minutes.
        self.assertNotIn("o_slm_pdf_targets", html)

    def test_minutes_pdf_html_as_edited(self):
        """The chair's edits are what is printed; charts at the end when the
        edited minutes have no performance table."""
        self.review.minutes = "<p>T edited minutes.</p>"
        html = self._html(self.review)
        self.assertIn("T edited minutes.", html)
        self.assertNotIn("T decision: a VPN review is planned.", html)
        self.assertLess(html.index("T edited minutes."), html.index("o_slm_pdf_charts"))

    # Before the minutes: the figures of the snapshot.

    def test_figures_html_header(self):
        text = self._text(self._html(self.draft))
        self.assertIn("Minutes: T Review October draft", text)
        self.assertIn("T Review Customer", text)
        self.assertIn("T Review SLA", text)
        self.assertIn("Alice Attendee (T Review Customer)", text)
        self.assertIn("Bob Nomail", text)
        self.assertIn(self.owner.name, text)
        self.assertIn(self.user_analyst.name, text)
        self.assertIn("2026-11-03 09:00:00 (UTC)", text)
        self.assertIn("The minutes of this review are not generated yet", text)
        self.assertIn("1 of 3 targets achieved (2 with something measured)", text)

    def test_figures_html_performance_table(self):
        self.assertEqual(
            self._rows(self._html(self.draft), "o_slm_pdf_targets"),
            [
                "T Review SLA T Response 2 h First Response 95 % 20 19 1 1 95 % Yes",
                "T Review SLA T Resolution 8 h Resolution 90 % 8 7 1 0 87.5 % No",
                "T Review SLA T Resolution 4 h urgent Resolution 90 % 0 0 0 0 "
                "n/a Not measured",
            ],
        )

    def test_figures_html_breaches_availability_actions(self):
        html = self._html(self.draft)
        # The most late first.
        self.assertEqual(
            self._rows(html, "o_slm_pdf_breaches"),
            [
                "HT-T1 Printer down T Resolution 8 h Supplier late 3.5 Analysing",
                "HT-T3 Mail down T Response 2 h Customer unreachable 1.25 Excused "
                "Closed",
                "HT-T2 VPN slow T Response 2 h Night shift 0.5 New",
            ],
        )
        availability = self._rows(html, "o_slm_pdf_availability")
        self.assertEqual(len(availability), 1)
        self.assertIn("99.812 %", availability[0])
        self.assertIn("99.5 %", availability[0])
        self.assertIn("Achieved", availability[0])
        # The OLA behind a target: in the internal minutes only.
        self.assertNotIn("o_slm_pdf_underpinning", html)
        self.assertNotIn("T Network OLA", html)
        internal = self._html(self.draft, INTERNAL_MINUTES_REPORT)
        self.assertIn("Internal only: not shown to the customer", internal)
        self.assertEqual(
            self._rows(internal, "o_slm_pdf_underpinning"),
            [
                "T Resolution 8 h T OLA Resolution 6 h OLA T Network OLA 95 % "
                "100 % Yes"
            ],
        )
        self.assertEqual(
            self._rows(html, "o_slm_pdf_actions"),
            [
                f"T Replace the core switch {self.owner.name} "
                f"{self.due_carried.isoformat()} Open T Review September"
            ],
        )

    def test_figures_html_charts(self):
        html = self._html(self.draft)
        bars = re.search(
            r'o_slm_pdf_chart_bars">(<svg.*?</svg>)', html, re.DOTALL
        ).group(1)
        # Two bars (the third target measured nothing), one objective mark
        # each; the achieved one green, the missed one red.
        self.assertEqual(len(re.findall(r"<rect ", bars)), 2)
        self.assertIn('fill="#2e7d32"', bars)
        self.assertIn('fill="#c62828"', bars)
        self.assertIn("not measured", bars)
        # Plot 380 px wide from x = 230: 87.5 % is 332.5 px, 95 % is 361 px.
        self.assertIn('width="332.5"', bars)
        self.assertIn('width="361.0"', bars)
        trends = re.search(
            r'o_slm_pdf_chart_trends"[^>]*>(.*?)</table>', html, re.DOTALL
        ).group(1)
        self.assertEqual(len(re.findall(r"<svg ", trends)), 3)
        # Response: July-August joined, September missing (a gap), October
        # alone: one line of 2 points, 3 dots. Resolution 8 h: one line of 4.
        # Nothing for the unmeasured target.
        lines = re.findall(r'<polyline points="([^"]*)"', trends)
        self.assertEqual([len(points.split()) for points in lines], [2, 4])
        self.assertEqual(len(re.findall(r"<circle ", trends)), 3 + 4)
        # Response: lowest value 90 %: the axis runs from 90 to 100 %, 108 px
        # high from y = 22: 100 % at y 22, 95 % at 76, 90 % at 130.
        self.assertIn('<polyline points="40.0,22.0 129.3,130.0"', trends)
        self.assertIn('<circle cx="308.0" cy="76.0"', trends)
        self.assertIn(">90 %</text>", trends)
        self.assertIn(">100 %</text>", trends)

    def test_figures_without_snapshot(self):
        self.draft.write({"snapshot": False, "state": "planned"})
        html = self._html(self.draft)
        self.assertIn("The agenda of this review has not been prepared", html)
        self.assertNotIn("o_slm_pdf_targets", html)
        self.assertNotIn("<svg", html)

    # ------------------------------------------------------------------
    # XLSX performance pack
    # ------------------------------------------------------------------

    def _xlsx(self):
        content, report_format = self._render(XLSX_REPORT)
        self.assertEqual(report_format, "xlsx")
        return content

    @staticmethod
    def _values(sheet):
        return [list(row) for row in sheet.iter_rows(values_only=True)]

    def test_xlsx_sheets_and_summary(self):
        book = openpyxl.load_workbook(io.BytesIO(self._xlsx()))
        self.assertEqual(
            book.sheetnames,
            ["Summary", "Targets", "Trend", "Breaches", "Availability", "Actions"],
        )
        summary = {row[0]: row[1] for row in self._values(book["Summary"]) if row[0]}
        self.assertEqual(summary["Review"], "T Review October")
        self.assertEqual(summary["Customer"], "T Review Customer")
        self.assertIn("T Review SLA", summary["Agreements"])
        self.assertEqual(summary["Period Start"].date(), date(2026, 10, 1))
        self.assertEqual(summary["Period End"].date(), date(2026, 10, 31))
        self.assertEqual(summary["Targets"], 3)
        self.assertEqual(summary["Targets Achieved"], 1)
        self.assertEqual(summary["Breaches"], 2)
        self.assertEqual(summary["Excused Breaches"], 1)

    def test_xlsx_targets_and_chart(self):
        content = self._xlsx()
        sheet = openpyxl.load_workbook(io.BytesIO(content))["Targets"]
        rows = self._values(sheet)
        self.assertEqual(
            rows[0],
            [
                "Agreement",
                "Target",
                "Metric",
                "Objective (%)",
                "Measured",
                "Met",
                "Breached",
                "Excused",
                "Attainment (%)",
                "Achieved",
            ],
        )
        self.assertEqual(
            rows[1:4],
            [
                [
                    "T Review SLA",
                    "T Response 2 h",
                    "First Response",
                    95,
                    20,
                    19,
                    1,
                    1,
                    95,
                    "Yes",
                ],
                ["T Review SLA", "T Resolution 8 h", "Resolution", 90, 8, 7, 1, 0]
                + [87.5, "No"],
                ["T Review SLA", "T Resolution 4 h urgent", "Resolution", 90, 0, 0]
                + [0, 0, None, "Not measured"],
            ],
        )
        self.assertEqual(len(sheet._charts), 1)
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = archive.namelist()
            self.assertIn("xl/charts/chart1.xml", names)
            self.assertIn("xl/charts/chart2.xml", names)
            chart = archive.read("xl/charts/chart1.xml").decode()
        # Attainment as columns, the objective as a line, from the sheet.
        self.assertIn("<c:barChart>", chart)
        self.assertIn("<c:lineChart>", chart)
        self.assertIn("Targets!$I$2:$I$4", chart)
        self.assertIn("Targets!$D$2:$D$4", chart)

    def test_xlsx_trend_and_chart(self):
        content = self._xlsx()
        sheet = openpyxl.load_workbook(io.BytesIO(content))["Trend"]
        rows = self._values(sheet)
        self.assertEqual(
            rows[0],
            ["Month", "T Response 2 h", "T Resolution 8 h", "T Resolution 4 h urgent"],
        )
        self.assertEqual(
            [[row[0].date()] + row[1:] for row in rows[1:5]],
            [
                [date(2026, 7, 1), 100, 80, None],
                [date(2026, 8, 1), 90, 85, None],
                [date(2026, 9, 1), None, 92.5, None],
                [date(2026, 10, 1), 95, 87.5, None],
            ],
        )
        self.assertEqual(len(sheet._charts), 1)
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            chart = archive.read("xl/charts/chart2.xml").decode()
        self.assertIn("<c:lineChart>", chart)
        self.assertEqual(chart.count("<c:ser>"), 3)
        # Months without measure are gaps (xlsxwriter leaves Excel's default,
        # the gap, unwritten), never zeros.
        self.assertNotIn('<c:dispBlanksAs val="zero"/>', chart)

    def test_xlsx_breaches_availability_actions(self):
        book = openpyxl.load_workbook(io.BytesIO(self._xlsx()))
        self.assertEqual(
            self._values(book["Breaches"]),
            [
                ["Ticket", "Subject", "Target", "Cause", "Late (h)", "Excused"]
                + ["Status"],
                ["HT-T1", "Printer down", "T Resolution 8 h", "Supplier late", 3.5]
                + ["No", "Analysing"],
                ["HT-T3", "Mail down", "T Response 2 h", "Customer unreachable"]
                + [1.25, "Yes", "Closed"],
                ["HT-T2", "VPN slow", "T Response 2 h", "Night shift", 0.5, "No"]
                + ["New"],
            ],
        )
        availability = self._values(book["Availability"])
        self.assertEqual(
            availability[1][:3],
            ["T Availability 99.5 %"]
            + [
                "T Review SLA",
                "T Network",
            ],
        )
        self.assertEqual(availability[1][3].date(), date(2026, 10, 1))
        self.assertEqual(availability[1][4:], [99.812, 99.5, "Achieved"])
        actions = self._values(book["Actions"])
        self.assertEqual(
            actions[0], ["Action", "Owner", "Due Date", "Status"] + ["Agreed in"]
        )
        # As in the minutes: the carried action, then the new one.
        self.assertEqual(len(actions), 3)
        self.assertEqual(actions[1][:2], ["T Replace the core switch", self.owner.name])
        self.assertEqual(actions[1][2].date(), self.due_carried)
        self.assertEqual(actions[1][3:], ["Open", "T Review September"])
        self.assertEqual(
            actions[2][:2], ["T Publish the VPN runbook", self.user_analyst.name]
        )
        self.assertEqual(actions[2][2].date(), self.due_new)
        self.assertEqual(actions[2][3:], ["Open", "T Review October"])

    def test_xlsx_without_snapshot(self):
        """A review whose agenda is not prepared: the sheets, no rows, no chart."""
        self.draft.write({"snapshot": False, "state": "planned"})
        content, _format = self._render(XLSX_REPORT, self.draft)
        book = openpyxl.load_workbook(io.BytesIO(content))
        self.assertEqual(len(book["Targets"]._charts), 0)
        self.assertEqual(len(self._values(book["Targets"])), 1)
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            self.assertFalse(
                [n for n in archive.namelist() if n.startswith("xl/charts/")]
            )

    def test_xlsx_process_review(self):
        """The annual process review: its "process" section on its own sheet,
        each list as a table under its title."""
        review = self.env["slm.review"].create(
            {
                "kind": "process",
                "period_start": "2026-01-01",
                "period_end": "2026-12-31",
            }
        )
        review.write(
            {
                "snapshot": {
                    "kind": "process",
                    "period": {"start": "2026-01-01", "end": "2026-12-31"},
                    "targets": [],
                    "process": {
                        "agreements_by_kind": [
                            {
                                "kind": "SLA",
                                "total": 3,
                                "states": {"Agreed": 2, "Draft": 1},
                            },
                            {"kind": "OLA", "total": 1, "states": {"Agreed": 1}},
                        ],
                        "unanalysed_breaches": 4,
                    },
                }
            }
        )
        content, _format = self._render(XLSX_REPORT, review)
        book = openpyxl.load_workbook(io.BytesIO(content))
        self.assertEqual(book.sheetnames[-1], "Process")
        self.assertEqual(
            self._values(book["Process"]),
            [
                ["Agreements by kind", None, None],
                ["kind", "total", "states"],
                ["SLA", 3, "Agreed: 2, Draft: 1"],
                ["OLA", 1, "Agreed: 1"],
                [None, None, None],
                ["Unanalysed breaches", 4, None],
            ],
        )

    # ------------------------------------------------------------------
    # Access
    # ------------------------------------------------------------------

    def test_reports_follow_review_access(self):
        """Whoever reads the review prints it (a SLM user); a helpdesk agent
        without an SLM role does not."""
        html, _format = (
            self.env["ir.actions.report"]
            .with_user(self.user_reader)
            ._render_qweb_html(MINUTES_REPORT, self.review.ids)
        )
        self.assertIn(b"T Resolution 8 h", html)
        content, _format = (
            self.env["ir.actions.report"]
            .with_user(self.user_reader)
            ._render(XLSX_REPORT, self.review.ids)
        )
        self.assertTrue(content.startswith(b"PK"))
        with self.assertRaises(AccessError):
            self.env["ir.actions.report"].with_user(self.agent)._render_qweb_html(
                MINUTES_REPORT, self.review.ids
            )


@tagged("post_install", "-at_install")
class TestReviewMinutesPdf(ReviewExportsCommon, HttpCase):
    """wkhtmltopdf loads the report's styles from the server: an HttpCase, so
    that the server shares the test's transaction."""

    def test_minutes_pdf_renders(self):
        pdf, report_format = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(MINUTES_REPORT, self.review.ids)
        )
        self.assertEqual(report_format, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        # System fonts: the text is text (read back with PyPDF2).
        reader = PdfFileReader(io.BytesIO(pdf))
        text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
        self.assertIn("Minutes: T Review October", text)
        self.assertIn("T decision: a VPN review is planned.", text)
        self.assertIn("Supplier late", text)
        # The charts (inline SVG).
        self.assertIn("T Response 2 h 95 % T Resolution 8 h 87.5 %", text)
        self.assertIn("T Resolution 4 h urgent not measured", text)
        self.assertIn("Jul 26 Aug 26 Sep 26 Oct 26", text)
