# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged

from odoo.addons.slm_reviews.models.slm_service_statement import (
    SlmServiceStatement,
)

from .common import APRIL, FEBRUARY, MARCH, StatementCase

CRON_LOGGER = "odoo.addons.slm_catalogue.models.ir_cron"


@tagged("post_install", "-at_install")
class TestServiceStatement(StatementCase):
    """Figures of monthly statements, worked by hand.

    Clocks (T Customer and T Clocked Service unless said otherwise):

    corporate response (1 h, objective 90 %), inherited by both lower levels:
      c1  met       2026-03-10 10:00
      c2  breached  2026-03-31 23:30 UTC (already 1 April in Brussels)
      c3  met       2026-03-15, no service (customer level, not service level)
      c4  breached  2026-03-20, another customer (corporate only)
      c5  breached  2026-03-05, excused
      c6  met       2026-04-01 00:00 (April)
      c7  met       2026-02-28 23:59 (February)
    customer-level resolution (4 h, objective 95 %, overrides the corporate one):
      c8  met       2026-03-03
      c9  breached  2026-03-04
      c10 met       2026-03-08, second service (customer level only)
    corporate resolution (8 h, objective 80 %):
      c11 met       2026-03-12, another customer
      c12 breached  2026-03-13, another customer, excused

    March, service level: response met 1 (c1), breached 1 (c2), excused 1 (c5):
    50 %; resolution met 1 (c8), breached 1 (c9): 50 %. Customer level:
    response met 2 (c1, c3), breached 1, excused 1: 66.67 %; resolution met 2
    (c8, c10), breached 1: 66.67 %. Corporate: response met 2, breached 2 (c2,
    c4), excused 1: 50 %; resolution (8 h) met 1, excused 1: 100 %, achieved.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        other = cls.other_customer
        cls.c1 = cls._settled(cls.t_resp, "met", datetime(2026, 3, 10, 10))
        cls.c2 = cls._settled(cls.t_resp, "breached", datetime(2026, 3, 31, 23, 30))
        cls.c3 = cls._settled(cls.t_resp, "met", datetime(2026, 3, 15), service=False)
        cls.c4 = cls._settled(
            cls.t_resp, "breached", datetime(2026, 3, 20), partner=other
        )
        cls.c5 = cls._settled(
            cls.t_resp, "breached", datetime(2026, 3, 5), excused=True
        )
        cls.c6 = cls._settled(cls.t_resp, "met", datetime(2026, 4, 1))
        cls.c7 = cls._settled(cls.t_resp, "met", datetime(2026, 2, 28, 23, 59))
        cls.c8 = cls._settled(cls.t_res_cust, "met", datetime(2026, 3, 3))
        cls.c9 = cls._settled(cls.t_res_cust, "breached", datetime(2026, 3, 4))
        cls.c10 = cls._settled(
            cls.t_res_cust, "met", datetime(2026, 3, 8), service=cls.service_2
        )
        cls.c11 = cls._settled(cls.t_res, "met", datetime(2026, 3, 12), partner=other)
        cls.c12 = cls._settled(
            cls.t_res, "breached", datetime(2026, 3, 13), partner=other, excused=True
        )
        # The service level's availability in March, as the hourly check
        # would have left it: 7.44 h down of 744 h agreed = 99 %.
        cls.avail_row = cls._availability(
            cls.service_level,
            cls.t_avail,
            MARCH,
            agreed_hours=744.0,
            agreed_to_date_hours=744.0,
            downtime_hours=7.44,
            availability_pct=99.0,
            objective_pct=99.5,
            status="missed",
        )

    # ------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------

    def test_service_level_statement(self):
        """Three levels: the service level reports the targets it inherits
        (through two levels) over its own tickets only."""
        statement = self._statement(self.service_level, date(2026, 3, 17))
        self.assertEqual(statement.period_start, MARCH, "moved to the 1st")
        self.assertEqual(statement.period_end, date(2026, 3, 31))
        self.assertEqual(statement.state, "draft")
        self.assertIn("2026-03", statement.name)
        self.assertEqual(len(statement.line_ids), 3)
        resp = self._line(statement, self.t_resp)
        self.assertLine(resp, 1, 1, 1, 50.0, False)
        self.assertEqual(resp.inherited_from, self.corporate.display_name)
        res = self._line(statement, self.t_res_cust)
        self.assertLine(res, 1, 1, 0, 50.0, False)
        self.assertEqual(res.objective_pct, 95)
        self.assertEqual(res.inherited_from, self.customer_level.display_name)
        self.assertFalse(self._line(statement, self.t_res), "overridden")
        avail = self._line(statement, self.t_avail)
        self.assertEqual(avail.metric, "availability")
        self.assertTrue(avail.has_measure)
        self.assertAlmostEqual(avail.attainment_pct, 99.0)
        self.assertAlmostEqual(avail.agreed_hours, 744.0)
        self.assertAlmostEqual(avail.downtime_hours, 7.44)
        self.assertFalse(avail.achieved, "99 % < 99.5 %")
        self.assertEqual(avail.measured, 0)
        # Totals: ticket targets together; availability apart.
        self.assertEqual(statement.total_measured, 4)
        self.assertEqual(statement.total_met, 2)
        self.assertEqual(statement.total_breached, 2)
        self.assertEqual(statement.total_excused, 1)
        self.assertAlmostEqual(statement.attainment_pct, 50.0)
        self.assertTrue(statement.has_availability)
        self.assertAlmostEqual(statement.availability_pct, 99.0)
        self.assertEqual(statement.targets_achieved, 0)
        self.assertEqual(statement.targets_missed, 3)

    def test_negotiated_results_are_flagged(self):
        """Negotiated deadline rule 7: a result measured against a negotiated
        deadline counts as usual and is flagged apart on its line."""
        (self.c1 | self.c9).write({"negotiated_deadline": datetime(2026, 3, 2)})
        statement = self._statement(self.service_level, MARCH)
        resp = self._line(statement, self.t_resp)
        self.assertLine(resp, 1, 1, 1, 50.0, False)
        self.assertEqual(resp.negotiated, 1)
        self.assertEqual(resp._figures()["negotiated"], 1)
        self.assertEqual(self._line(statement, self.t_res_cust).negotiated, 1)
        self.assertEqual(self._line(statement, self.t_avail).negotiated, 0)

    def test_customer_and_corporate_statements(self):
        cust = self._statement(self.customer_level, MARCH)
        self.assertLine(self._line(cust, self.t_resp), 2, 1, 1, 200 / 3, False)
        self.assertLine(self._line(cust, self.t_res_cust), 2, 1, 0, 200 / 3, False)
        avail = self._line(cust, self.t_avail)
        self.assertFalse(avail.has_measure, "no availability row of its own")
        self.assertFalse(avail.achieved)
        self.assertFalse(cust.has_availability)
        corp = self._statement(self.corporate, MARCH)
        self.assertLine(self._line(corp, self.t_resp), 2, 2, 1, 50.0, False)
        self.assertLine(self._line(corp, self.t_res), 1, 0, 1, 100.0, True)
        self.assertFalse(self._line(corp, self.t_res_cust))
        self.assertEqual(corp.total_breached, 2)
        self.assertEqual(corp.total_excused, 2)
        self.assertEqual(corp.targets_achieved, 1)
        self.assertEqual(corp.targets_missed, 1)

    def test_months_are_utc_calendar_months(self):
        """c2 settled at 23:30 UTC on 31 March counts in March, whatever the
        user's time zone; c6 (1 April 00:00) in April, c7 in February."""
        Statement = self.env["slm.service.statement"].with_context(tz="Europe/Brussels")
        figures = Statement._figures_for(self.service_level, [FEBRUARY, MARCH, APRIL])
        self.assertFigures(figures[(self.t_resp.id, FEBRUARY)], 1, 0, 0, 100.0, True)
        self.assertFigures(figures[(self.t_resp.id, MARCH)], 1, 1, 1, 50.0, False)
        self.assertFigures(figures[(self.t_resp.id, APRIL)], 1, 0, 0, 100.0, True)
        self.assertFigures(figures[(self.t_res_cust.id, APRIL)], 0, 0, 0, None, False)
        self.assertEqual(figures[(self.t_resp.id, MARCH)]["source"], "live")
        self.assertEqual(figures[(self.t_resp.id, MARCH)]["objective"], 90)
        self.assertAlmostEqual(figures[(self.t_avail.id, MARCH)]["attainment"], 99.0)
        self.assertIsNone(figures[(self.t_avail.id, APRIL)]["attainment"])
        self.assertEqual(
            {key[1] for key in figures}, {FEBRUARY, MARCH, APRIL}, "first days"
        )

    def test_figures_for_several_levels(self):
        """A target in force in several of the agreements asked for is
        reported over the widest (the highest level): here the customer level
        for the response target."""
        figures = self.env["slm.service.statement"]._figures_for(
            self.customer_level | self.service_level, [MARCH]
        )
        self.assertFigures(figures[(self.t_resp.id, MARCH)], 2, 1, 1, 200 / 3, False)

    def test_figures_for_sibling_levels(self):
        """Two customer levels under the corporate SLA: a target they both
        inherit adds up their (disjoint) tickets."""
        signer = self.env["res.partner"].create(
            {"name": "T Other Signer", "parent_id": self.other_customer.id}
        )
        other_level = self.env["slm.agreement"].create(
            {
                "name": "T Other Customer Level",
                "structure": "multi_level",
                "level": "customer",
                "parent_id": self.corporate.id,
                "partner_id": self.other_customer.id,
                "date_start": "2020-01-01",
                "customer_signed_by_id": signer.id,
                "customer_signed_date": "2020-01-01",
            }
        )
        other_level.action_agree()
        figures = self.env["slm.service.statement"]._figures_for(
            self.customer_level | other_level, [MARCH]
        )
        # Response: c1, c3 met, c2 breached, c5 excused (T Customer) + c4
        # breached (other customer).
        self.assertFigures(figures[(self.t_resp.id, MARCH)], 2, 2, 1, 50.0, False)
        # Overridden at T Customer's level: the other customer's only.
        self.assertFigures(figures[(self.t_res.id, MARCH)], 1, 0, 1, 100.0, True)
        self.assertFigures(
            figures[(self.t_res_cust.id, MARCH)], 2, 1, 0, 200 / 3, False
        )

    def test_recompute_draft(self):
        statement = self._statement(self.service_level, MARCH)
        self.c1.write({"status": "breached"})
        self.assertLine(self._line(statement, self.t_resp), 1, 1, 1, 50.0, False)
        statement.with_user(self.analyst).action_recompute()
        self.assertLine(self._line(statement, self.t_resp), 0, 2, 1, 0.0, False)
        self.assertTrue(statement.computed_date)

    # ------------------------------------------------------------------
    # Issue and freeze
    # ------------------------------------------------------------------

    def test_issue_freezes_figures(self):
        statement = self._statement(self.service_level, MARCH)
        # An excuse decided after the draft: issuing recomputes first.
        self.c9.write({"excused": True})
        statement.with_user(self.slm_manager).action_issue()
        self.assertEqual(statement.state, "issued")
        self.assertTrue(statement.issued_date)
        self.assertEqual(statement.issued_by_id, self.slm_manager)
        self.assertIn("issued", statement.message_ids[0].body)
        self.assertLine(self._line(statement, self.t_res_cust), 1, 0, 1, 100.0, True)
        # Later, clocks are recomputed: an issued statement does not move.
        self.c1.write({"status": "breached", "stop": False})
        self._settled(self.t_resp, "met", datetime(2026, 3, 20))
        self.avail_row.write({"availability_pct": 95.0, "downtime_hours": 37.2})
        with self.assertRaisesText(UserError, "cannot be changed or deleted"):
            statement.action_recompute()
        with self.assertRaisesText(UserError, "cannot be changed or deleted"):
            statement.write({"note": "<p>changed</p>"})
        with self.assertRaisesText(UserError, "cannot be changed or deleted"):
            statement.unlink()
        with self.assertRaisesText(UserError, "cannot be changed or deleted"):
            self._line(statement, self.t_resp).write({"met": 5})
        with self.assertRaisesText(UserError, "cannot be changed or deleted"):
            self._line(statement, self.t_resp).unlink()
        statement.invalidate_recordset()
        self.assertLine(self._line(statement, self.t_resp), 1, 1, 1, 50.0, False)
        self.assertAlmostEqual(self._line(statement, self.t_avail).attainment_pct, 99)
        self.assertEqual(statement.total_breached, 1)
        self.assertEqual(statement.state, "issued")
        # The portal may still give it an access token.
        statement._portal_ensure_token()
        self.assertTrue(statement.access_token)
        self.assertEqual(statement.access_url, f"/my/slm/statements/{statement.id}")

    def test_figures_for_mixes_issued_and_live(self):
        statement = self._statement(self.service_level, MARCH)
        statement.with_user(self.slm_manager).action_issue()
        # After issuing: March changes (frozen), April changes (live).
        self.c1.write({"status": "breached", "stop": False})
        self.c6.write({"status": "breached", "stop": False})
        figures = self.env["slm.service.statement"]._figures_for(
            self.service_level, [MARCH, APRIL]
        )
        march = figures[(self.t_resp.id, MARCH)]
        self.assertEqual(march["source"], "statement")
        self.assertFigures(march, 1, 1, 1, 50.0, False)
        self.assertEqual(figures[(self.t_avail.id, MARCH)]["source"], "statement")
        self.assertAlmostEqual(figures[(self.t_avail.id, MARCH)]["attainment"], 99.0)
        april = figures[(self.t_resp.id, APRIL)]
        self.assertEqual(april["source"], "live")
        self.assertFigures(april, 0, 1, 0, 0.0, False)
        # The live figures of March did change.
        live = self.env["slm.service.statement"]._live_figures(
            self.service_level, [MARCH]
        )
        self.assertFigures(
            live[(self.service_level.id, self.t_resp.id, MARCH)], 0, 2, 1, 0.0, False
        )

    def test_issue_refused(self):
        statement = self._statement(self.service_level, MARCH)
        with self.assertRaisesText(UserError, "Only a Service Level Manager"):
            statement.with_user(self.analyst).action_issue()
        self.assertEqual(statement.state, "draft")
        with freeze_time("2026-03-20 12:00"):
            with self.assertRaisesText(UserError, "is not over yet"):
                statement.with_user(self.slm_manager).action_issue()
        self.assertEqual(statement.state, "draft")
        self.assertFalse(statement.issued_date)
        statement.with_user(self.slm_manager).action_issue()
        with self.assertRaisesText(UserError, "already issued"):
            statement.with_user(self.slm_manager).action_issue()

    # ------------------------------------------------------------------
    # Bad input
    # ------------------------------------------------------------------

    def test_bad_input(self):
        Statement = self.env["slm.service.statement"]
        draft = self.env["slm.agreement"].create(
            {
                "name": "T Draft",
                "structure": "service_based",
                "service_ids": [(6, 0, self.service.ids)],
                "date_start": "2020-01-01",
            }
        )
        count = Statement.search_count([])
        with self.assertRaisesText(ValidationError, "was never agreed"):
            self._statement(draft, MARCH)
        with self.assertRaisesText(ValidationError, "was not in force in 2019-12"):
            self._statement(self.service_level, date(2019, 12, 1))
        self._statement(self.service_level, MARCH)
        with self.assertRaisesText(ValidationError, "already has a statement"):
            self._statement(self.service_level, date(2026, 3, 9))
        with self.assertRaisesText(UserError, "created as a draft"):
            Statement.create(
                {
                    "agreement_id": self.corporate.id,
                    "period_start": MARCH,
                    "state": "issued",
                }
            )
        self.assertEqual(Statement.search_count([]), count + 1)

    # ------------------------------------------------------------------
    # Scheduled action
    # ------------------------------------------------------------------

    def test_cron_creates_last_month_once(self):
        Statement = self.env["slm.service.statement"]
        ours = self.corporate | self.customer_level | self.service_level
        with freeze_time("2026-04-01 04:00"):
            Statement._cron_create_statements()
        statements = Statement.search([("agreement_id", "in", ours.ids)])
        self.assertEqual(len(statements), 3)
        self.assertEqual(set(statements.mapped("period_start")), {MARCH})
        self.assertEqual(set(statements.mapped("state")), {"draft"})
        corp = statements.filtered(lambda s: s.agreement_id == self.corporate)
        self.assertLine(self._line(corp, self.t_resp), 2, 2, 1, 50.0, False)
        total = Statement.search_count([])
        with freeze_time("2026-04-02 04:00"):
            created = Statement._cron_create_statements()
        self.assertFalse(created)
        self.assertEqual(Statement.search_count([]), total, "idempotent")

    def test_cron_skips_a_failing_agreement(self):
        Statement = self.env["slm.service.statement"]
        original = SlmServiceStatement._recompute_lines
        bad = self.customer_level

        def recompute(statements):
            if bad in statements.agreement_id:
                raise ValueError("broken agreement")
            return original(statements)

        with (
            patch.object(SlmServiceStatement, "_recompute_lines", recompute),
            freeze_time("2026-04-01 04:00"),
            self.assertLogs(CRON_LOGGER, "ERROR") as logs,
        ):
            Statement._cron_create_statements()
        self.assertIn("T Customer Level", "\n".join(logs.output))
        done = Statement.search(
            [
                ("agreement_id", "in", (self.corporate | self.service_level).ids),
                ("period_start", "=", MARCH),
            ]
        )
        self.assertEqual(len(done), 2)
        self.assertFalse(Statement.search([("agreement_id", "=", bad.id)]))
        # Mended, the next run creates the missing one only.
        with freeze_time("2026-04-02 04:00"):
            created = Statement._cron_create_statements()
        self.assertEqual(created.agreement_id, bad)

    # ------------------------------------------------------------------
    # Report, access, agreement
    # ------------------------------------------------------------------

    def test_report(self):
        statement = self._statement(self.service_level, MARCH)
        statement.note = "<p>Staffing was short in the first week.</p>"
        report = self.env.ref("slm_reviews.action_report_service_statement")
        html = report._render_qweb_html(report.report_name, statement.ids)[0]
        html = html.decode()
        self.assertIn(statement.name, html)
        self.assertIn(self.t_resp.name, html)
        self.assertIn("50.0", html)
        self.assertIn("99.000", html)
        self.assertIn("744.00", html)
        self.assertIn("Staffing was short", html)
        self.assertIn("draft", html)
        action = statement.with_context(discard_logo_check=True).action_print()
        self.assertEqual(action["report_name"], "slm_reviews.report_service_statement")

    def test_agreement_smart_button(self):
        self._statement(self.service_level, MARCH)
        self._statement(self.service_level, APRIL)
        self.assertEqual(self.service_level.statement_count, 2)
        self.assertEqual(self.corporate.statement_count, 0)
        action = self.service_level.action_view_statements()
        self.assertEqual(
            self.env["slm.service.statement"].search_count(action["domain"]), 2
        )

    def test_access(self):
        statement = self._statement(self.service_level, MARCH)
        vals = {"agreement_id": self.corporate.id, "period_start": APRIL}
        Statement = self.env["slm.service.statement"]
        self.assertTrue(self._can(self.reader, "read", statement))
        self.assertFalse(self._can(self.reader, "create", Statement, vals))
        self.assertFalse(self._can(self.reader, "write", statement, {"note": "x"}))
        self.assertFalse(self._can(self.agent, "read", statement))
        self.assertTrue(self._can(self.analyst, "create", Statement, vals))
        self.assertTrue(self._can(self.analyst, "write", statement, {"note": "x"}))
        self.assertFalse(self._can(self.analyst, "unlink", statement))
        self.assertTrue(self._can(self.slm_manager, "unlink", statement))
        with self.assertRaises(AccessError):
            statement.with_user(self.reader).action_recompute()
        # An agent opening an agreement gets no statement count (no error).
        self.assertEqual(self.service_level.with_user(self.agent).statement_count, 0)


@tagged("post_install", "-at_install")
class TestServiceStatementPdf(StatementCase, HttpCase):
    """wkhtmltopdf loads the report's styles from the server: an HttpCase, so
    that the server shares the test's transaction."""

    def test_pdf_renders(self):
        self._settled(self.t_resp, "met", datetime(2026, 3, 10, 10))
        statement = self._statement(self.service_level, MARCH)
        report = self.env.ref("slm_reviews.action_report_service_statement")
        # Tests render HTML instead of PDF unless forced.
        pdf, report_format = report.with_context(
            force_report_rendering=True
        )._render_qweb_pdf(report.report_name, statement.ids)
        self.assertEqual(report_format, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
