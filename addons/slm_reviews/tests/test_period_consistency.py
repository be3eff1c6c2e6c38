# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""One attainment truth (clock rule 13, the period rule), on every surface.

A company of its own (partner in Europe/Brussels), a customer in
Pacific/Auckland (the agreement's time zone by default), a Service Level
Manager reading from America/Los_Angeles, and real tickets whose response
clocks (1 h, around the clock) settle within an hour of the month ends, on
both sides of midnight in Auckland (UTC+13 in summer). Every instant below is
UTC; "NZ" is the local time in Auckland.

    ticket  settles (UTC)       NZ                 result      NZ month
    A       31 Jan 10:30        31 Jan 23:30       met         January
    D       31 Jan 10:40        31 Jan 23:40       breached,   January
                                                   excused
    C       31 Jan 11:20        1 Feb 00:20        breached    February
    B       31 Jan 11:30        1 Feb 00:30        met         February
    E       31 Jan 23:30        1 Feb 12:30        met         February
    F       28 Feb 10:45        28 Feb 23:45       met         February
    G       28 Feb 11:15        1 Mar 00:15        breached    March
    H       28 Feb 11:50        1 Mar 00:50        met         March
    I, J    (cancelled before their deadline: never counted)

By the rule: January 1 met, 0 breached, 1 excused (100 %); February 3 met,
1 breached (75 %); March 1 met, 1 breached (50 %). In UTC months it would be
75 % and 66.7 %; in Brussels months 66.7 % and 75 %: any surface counting
another month shows it.
"""

from datetime import date, datetime

from freezegun import freeze_time
from lxml import html

from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import new_test_user

JAN, FEB, MAR = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)
MONTHS = (JAN, FEB, MAR)
EXPECTED = {
    JAN: {"met": 1, "breached": 0, "excused": 1, "attainment": 100.0},
    FEB: {"met": 3, "breached": 1, "excused": 0, "attainment": 75.0},
    MAR: {"met": 1, "breached": 1, "excused": 0, "attainment": 50.0},
}
READER_TZ = "America/Los_Angeles"
MINUTES_REPORT = "slm_reviews.action_report_review_minutes"
XLSX_REPORT = "slm_reviews.action_report_review_performance_xlsx"


def utc(*args):
    return datetime(*args)


@tagged("post_install", "-at_install")
class TestPeriodConsistency(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(cls.env.context, mail_notrack=True, no_mail_to_attendees=True)
        )
        main = cls.env.company
        cls.company = company = cls.env["res.company"].create({"name": "T Kiwi Co"})
        company.partner_id.tz = "Europe/Brussels"
        cls.env = env = cls.env(
            context=dict(cls.env.context, allowed_company_ids=company.ids)
        )

        def user(login, groups, tz="Europe/Brussels"):
            return new_test_user(
                env,
                login,
                groups,
                company_id=company.id,
                company_ids=[(6, 0, [company.id, main.id])],
                tz=tz,
                context={"no_reset_password": True},
            )

        managers = (
            "slm_catalogue.group_slm_manager,helpdesk_mgmt.group_helpdesk_manager,"
            "base.group_user"
        )
        cls.manager = user("t_period_manager", managers)
        # The one who reads the figures, far from both Auckland and Brussels.
        cls.reader = user("t_period_reader", managers, tz=READER_TZ)
        # The Process Owner reads the management information and runs the
        # process review, from the same far away time zone.
        cls.owner = user(
            "t_period_owner",
            "slm_catalogue.group_slm_process_owner,base.group_user",
            tz=READER_TZ,
        )
        cls.analyst = user(
            "t_period_analyst",
            "slm_catalogue.group_slm_analyst,helpdesk_mgmt.group_helpdesk_user",
        )
        cls.agent = user("t_period_agent", "helpdesk_mgmt.group_helpdesk_user")
        cls.service = env["slm.service"].create(
            {
                "code": "TKIWI",
                "name": "T Kiwi Service",
                "owner_id": cls.manager.id,
                "state": "live",
                "company_id": company.id,
            }
        )
        cls.other_service = env["slm.service"].create(
            {
                "code": "TKIWI2",
                "name": "T Uncovered Service",
                "owner_id": cls.manager.id,
                "state": "live",
                "company_id": company.id,
            }
        )
        cls.team = env["helpdesk.ticket.team"].create(
            {"name": "T Kiwi Desk", "company_id": company.id}
        )
        cls.stage_new = env["helpdesk.ticket.stage"].create(
            {"name": "T Kiwi New", "sequence": 1, "company_id": company.id}
        )
        cls.customer = env["res.partner"].create(
            {"name": "T Kiwi Customer", "is_company": True, "tz": "Pacific/Auckland"}
        )
        cls.contact = env["res.partner"].create(
            {
                "name": "T Kiwi Contact",
                "parent_id": cls.customer.id,
                "email": "kiwi@example.com",
            }
        )
        cls.portal_user = new_test_user(
            env,
            "t_period_portal",
            "base.group_portal",
            partner_id=cls.contact.id,
            password="t_period_portal",
            tz=READER_TZ,
        )
        cls.agreement = env["slm.agreement"].create(
            {
                "name": "T Kiwi SLA",
                "kind": "sla",
                "structure": "customer_based",
                "company_id": company.id,
                "partner_id": cls.customer.id,
                "service_ids": [(6, 0, cls.service.ids)],
                "date_start": "2025-01-01",
                "provider_user_id": cls.manager.id,
                "target_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "T Kiwi response 1 h",
                            "metric": "response",
                            "threshold_hours": 1,
                            "objective_pct": 80,
                            "warning_pct": 50,
                            "around_the_clock": True,
                        },
                    )
                ],
            }
        )
        cls.agreement.write(
            {
                "customer_signed_by_id": cls.contact.id,
                "customer_signed_date": "2025-01-01",
            }
        )
        cls.agreement.action_agree()
        cls.target = cls.agreement.target_ids
        cls._build_tickets()

    # ------------------------------------------------------------------
    # The tickets
    # ------------------------------------------------------------------

    @classmethod
    def _ticket(cls, name, created):
        with freeze_time(created):
            return cls.env["helpdesk.ticket"].create(
                {
                    "name": f"T Kiwi {name}",
                    "description": "<p>Help</p>",
                    "partner_id": cls.contact.id,
                    "service_id": cls.service.id,
                    "team_id": cls.team.id,
                    "stage_id": cls.stage_new.id,
                    "company_id": cls.company.id,
                    "user_id": False,
                }
            )

    @classmethod
    def _reply(cls, ticket, at):
        with freeze_time(at):
            ticket.with_user(cls.agent).message_post(
                body="Answer", message_type="comment", subtype_xmlid="mail.mt_comment"
            )

    @classmethod
    def _scan(cls, at):
        with freeze_time(at):
            cls.env["slm.clock"]._cron_settle_due_clocks(now=at)

    @classmethod
    def _build_tickets(cls):
        t = {}
        for name, created, replied in (
            ("A", utc(2026, 1, 31, 10, 0), utc(2026, 1, 31, 10, 30)),
            ("D", utc(2026, 1, 31, 9, 40), None),
            ("C", utc(2026, 1, 31, 10, 20), utc(2026, 1, 31, 12, 0)),
            ("B", utc(2026, 1, 31, 11, 0), utc(2026, 1, 31, 11, 30)),
            ("E", utc(2026, 1, 31, 23, 0), utc(2026, 1, 31, 23, 30)),
            ("F", utc(2026, 2, 28, 10, 15), utc(2026, 2, 28, 10, 45)),
            ("G", utc(2026, 2, 28, 10, 15, 1), None),
            ("H", utc(2026, 2, 28, 11, 30), utc(2026, 2, 28, 11, 50)),
            ("I", utc(2026, 1, 31, 10, 5), None),
            ("J", utc(2026, 2, 28, 10, 50), None),
        ):
            # (G's deadline: 28 Feb 11:15:01 UTC, 1 March 00:15 in Auckland.)
            t[name] = cls._ticket(name, created)
            if replied:
                cls._reply(t[name], replied)
        # I and J leave the agreement's scope before their deadline.
        with freeze_time(utc(2026, 1, 31, 10, 30)):
            t["I"].write({"service_id": cls.other_service.id})
        with freeze_time(utc(2026, 2, 28, 11, 5)):
            t["J"].write({"service_id": cls.other_service.id})
        # The breach scan marks the breaches as their deadlines pass.
        for at in (
            utc(2026, 1, 31, 10, 45),
            utc(2026, 1, 31, 11, 25),
            utc(2026, 2, 28, 11, 20),
            utc(2026, 4, 10),
        ):
            cls._scan(at)
        cls.t = t
        cls.clocks = {
            name: ticket.slm_clock_ids.filtered(lambda c: c.target_id == cls.target)
            for name, ticket in t.items()
        }
        # D's breach excused: requested by an analyst, approved by a Service
        # Level Manager on 31 January 11:30 UTC, 1 February in Auckland.
        cls.breach_d = breach = cls.env["slm.breach"].search(
            [("clock_id", "=", cls.clocks["D"].id)]
        )
        as_analyst = breach.with_user(cls.analyst)
        as_analyst.write(
            {"excuse_reason": "customer", "excuse_note": "The customer was away."}
        )
        with freeze_time(utc(2026, 1, 31, 11, 0)):
            as_analyst.action_request_excuse()
        with freeze_time(utc(2026, 1, 31, 11, 30)):
            breach.with_user(cls.manager).action_approve_excuse()

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def assertFigures(self, got, surface):
        """``got``: {month: {"met", "breached", "excused", "attainment"}}."""
        for month in MONTHS:
            expected = EXPECTED[month]
            figures = got.get(month) or {}
            self.assertEqual(
                {
                    key: (
                        round(figures[key], 2)
                        if key == "attainment" and figures.get(key) is not None
                        else figures.get(key)
                    )
                    for key in expected
                },
                expected,
                f"{surface}, {month:%B %Y}",
            )

    def _as_reader(self, model, user=None):
        return (
            self.env[model]
            .with_user(user or self.reader)
            .with_context(tz=READER_TZ, allowed_company_ids=self.company.ids)
        )

    # ------------------------------------------------------------------
    # The clocks and their stored period
    # ------------------------------------------------------------------

    def test_clocks_and_period_keys(self):
        self.assertEqual(self.agreement.tz, "Pacific/Auckland", "the customer's")
        self.assertRecordValues(
            self.clocks["B"],
            [
                {
                    "status": "met",
                    "settled_date": utc(2026, 1, 31, 11, 30),
                    "period_day": date(2026, 2, 1),
                    "period_date": FEB,
                }
            ],
        )
        expected = {
            "A": ("met", JAN),
            "D": ("breached", JAN),
            "C": ("breached", FEB),
            "B": ("met", FEB),
            "E": ("met", FEB),
            "F": ("met", FEB),
            "G": ("breached", MAR),
            "H": ("met", MAR),
            "I": ("cancelled", False),
            "J": ("cancelled", False),
        }
        self.assertEqual(
            {
                name: (clock.status, clock.period_date)
                for name, clock in self.clocks.items()
            },
            expected,
        )
        self.assertTrue(self.clocks["D"].excused)
        # The breach analysis: the breach's month, and its excuse's month,
        # in Auckland.
        self.assertEqual(self.breach_d.period_date, JAN)
        self.assertEqual(self.breach_d.excuse_period_date, FEB)
        groups = self._as_reader("slm.breach")._read_group(
            [("agreement_id", "=", self.agreement.id)],
            ["period_date:month"],
            ["__count"],
        )
        self.assertEqual(dict(groups), {JAN: 1, FEB: 1, MAR: 1})

    def test_one_source(self):
        counts = (
            self.env["slm.clock"]
            .sudo()
            ._attainment_counts(
                [("agreement_id", "=", self.agreement.id)], ["period_date:month"]
            )
        )
        self.assertFigures({key[0]: value for key, value in counts.items()}, "truth")

    # ------------------------------------------------------------------
    # slm_agreements: attainment report, targets' month, simulation
    # ------------------------------------------------------------------

    def test_attainment_report(self):
        Report = self._as_reader("slm.attainment.report")
        domain = [("agreement_id", "=", self.agreement.id)]
        for groupby in ("period_date:month", "period_day:month"):
            groups = Report.read_group(
                domain,
                ["met:sum", "breached:sum", "excused:sum", "attainment:avg"],
                [groupby],
                lazy=False,
            )
            got = {
                date.fromisoformat(group["__range"][groupby]["from"]): group
                for group in groups
            }
            self.assertFigures(got, f"attainment report by {groupby}")
        # Over the three months: summed met over summed measured (5 / 7),
        # not the average of the months' percentages.
        total = Report.read_group(domain, ["attainment:avg"], [], lazy=False)
        self.assertAlmostEqual(total[0]["attainment"], 100.0 * 5 / 7, places=4)
        self.assertEqual(set(Report.search(domain).mapped("tz")), {"Pacific/Auckland"})

    def test_target_current_month(self):
        # 31 January 11:30 UTC is already February in Auckland (and still
        # January in UTC and in Los Angeles).
        for now in (utc(2026, 1, 31, 11, 30), utc(2026, 2, 15, 12)):
            with freeze_time(now):
                target = self.target.with_user(self.reader).with_context(tz=READER_TZ)
                target.invalidate_recordset()
                self.assertEqual(
                    (
                        target.current_measured,
                        target.current_excused,
                        target.current_attainment,
                    ),
                    (4, 0, 75.0),
                    f"February, seen at {now}",
                )
        with freeze_time(utc(2026, 1, 31, 10, 50)):
            target = self.target.with_user(self.reader).with_context(tz=READER_TZ)
            target.invalidate_recordset()
            self.assertEqual(
                (
                    target.current_measured,
                    target.current_excused,
                    target.current_attainment,
                ),
                (1, 1, 100.0),
                "January, seen on its last evening in Auckland",
            )

    def test_simulation(self):
        with freeze_time(utc(2026, 4, 10)):
            wizard = (
                self.env["slm.simulation.wizard"]
                .with_user(self.manager)
                .create({"agreement_id": self.agreement.id, "months": 6})
            )
            wizard.action_run()
        got = {
            line.month: {
                "met": line.met,
                "breached": line.breached,
                "excused": line.excused,
                "attainment": 100.0 * line.met / line.measured
                if line.measured
                else None,
            }
            for line in wizard.line_ids
        }
        self.assertFigures(got, "what-if simulation")

    # ------------------------------------------------------------------
    # slm_reviews: statements, reviews, exports, portal figures
    # ------------------------------------------------------------------

    def _statements(self):
        with freeze_time(utc(2026, 4, 10)):
            return (
                self.env["slm.service.statement"]
                .with_user(self.manager)
                .create(
                    [
                        {"agreement_id": self.agreement.id, "period_start": m}
                        for m in MONTHS
                    ]
                )
            )

    def test_statements(self):
        statements = self._statements()
        got = {}
        for statement in statements:
            line = statement.line_ids.filtered(lambda row: row.target_id == self.target)
            got[statement.period_start] = {
                "met": line.met,
                "breached": line.breached,
                "excused": line.excused,
                "attainment": line.attainment_pct,
            }
            self.assertEqual(
                (
                    statement.total_met,
                    statement.total_breached,
                    statement.total_excused,
                ),
                (line.met, line.breached, line.excused),
            )
            self.assertEqual(statement.tz, "Pacific/Auckland")
        self.assertFigures(got, "statements")
        # Issued, then read back as frozen figures (portal, reviews).
        with freeze_time(utc(2026, 4, 10)):
            statements.with_user(self.manager).action_issue()
        figures = self.env["slm.service.statement"]._figures_for(
            self.agreement, list(MONTHS)
        )
        self.assertFigures(
            {month: figures[(self.target.id, month)] for month in MONTHS},
            "issued statements (portal, reviews)",
        )
        # The pivots sum counts: 5 met of 7 measured over the quarter.
        for model, domain in (
            ("slm.service.statement.line", [("target_id", "=", self.target.id)]),
            ("slm.service.statement", [("agreement_id", "=", self.agreement.id)]),
        ):
            total = self._as_reader(model).read_group(
                domain, ["attainment_pct:avg"], [], lazy=False
            )
            self.assertAlmostEqual(
                total[0]["attainment_pct"], 100.0 * 5 / 7, places=4, msg=model
            )
        # The statement's PDF says in which time zone its month runs.
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "slm_reviews.action_report_service_statement", statements[1].ids
            )[0]
            .decode()
        )
        self.assertIn("Months in <span>Pacific/Auckland</span>", html)

    def test_portal(self):
        statements = self._statements()
        with freeze_time(utc(2026, 4, 10)):
            statements.with_user(self.manager).action_issue()
        self.authenticate("t_period_portal", "t_period_portal")
        for statement in statements:
            response = self.url_open(f"/my/slm/statements/{statement.id}")
            self.assertEqual(response.status_code, 200)
            self.assertIn("Months in Pacific/Auckland", response.text)
            tree = html.fromstring(response.content)
            (row,) = tree.xpath("//tr[contains(@class, 'o_slm_portal_statement_line')]")
            cells = [" ".join(td.text_content().split()) for td in row.xpath("./td")]
            expected = EXPECTED[statement.period_start]
            # Objective, measured, met, breached, excused, attainment.
            self.assertEqual(
                cells[2:],
                [
                    str(expected["met"] + expected["breached"]),
                    str(expected["met"]),
                    str(expected["breached"]),
                    str(expected["excused"]),
                    f"{expected['attainment']:.1f} %",
                ],
                f"portal, {statement.period_start:%B %Y}",
            )
        response = self.url_open(f"/my/slm/agreements/{self.agreement.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Months in Pacific/Auckland", response.text)

    def test_live_figures(self):
        # Months without an issued statement: computed now, as the portal's
        # provisional month and the reviews do.
        figures = self.env["slm.service.statement"]._figures_for(
            self.agreement, list(MONTHS)
        )
        self.assertFigures(
            {month: figures[(self.target.id, month)] for month in MONTHS},
            "live statement figures",
        )

    def _service_review(self, start, end):
        with freeze_time(utc(2026, 4, 10)):
            review = (
                self.env["slm.review"]
                .with_user(self.manager)
                .create(
                    {
                        "kind": "service",
                        "company_id": self.company.id,
                        "partner_id": self.customer.id,
                        "agreement_ids": [(6, 0, self.agreement.ids)],
                        "period_start": start,
                        "period_end": end,
                    }
                )
            )
            review.action_prepare_agenda()
        return review

    def test_service_reviews(self):
        got = {}
        for month, end in zip(
            MONTHS,
            (date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31)),
            strict=True,
        ):
            review = self._service_review(month, end)
            (entry,) = review.snapshot["targets"]
            got[month] = entry
            self.assertEqual(review.snapshot["months_tz"], "Pacific/Auckland")
            self.assertEqual(
                len(review.snapshot["breaches"]),
                EXPECTED[month]["breached"] + EXPECTED[month]["excused"],
                f"breaches of {month:%B}",
            )
        self.assertFigures(got, "service review agenda")
        # The quarter's trend, the minutes and the XLSX pack read the same.
        quarter = self._service_review(JAN, date(2026, 3, 31))
        (entry,) = quarter.snapshot["targets"]
        trend = {
            date.fromisoformat(p["month"]): p["attainment"] for p in entry["trend"]
        }
        self.assertEqual(
            {month: trend[month] for month in MONTHS},
            {month: EXPECTED[month]["attainment"] for month in MONTHS},
        )
        self.assertEqual((entry["met"], entry["breached"], entry["excused"]), (5, 2, 1))
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(MINUTES_REPORT, quarter.ids)[0]
            .decode()
        )
        self.assertIn("Pacific/Auckland", html)
        self._check_xlsx(quarter)

    def _check_xlsx(self, review):
        import io

        import openpyxl

        content, _format = self.env["ir.actions.report"]._render(
            XLSX_REPORT, review.ids
        )
        book = openpyxl.load_workbook(io.BytesIO(content))
        summary = {r[0]: r[1] for r in book["Summary"].iter_rows(values_only=True)}
        self.assertEqual(summary["Months In"], "Pacific/Auckland")
        rows = list(book["Trend"].iter_rows(values_only=True))
        trend = {row[0].date(): row[1] for row in rows[1:] if row[0]}
        self.assertEqual(
            {month: trend[month] for month in MONTHS},
            {month: EXPECTED[month]["attainment"] for month in MONTHS},
        )

    def test_process_reviews(self):
        got = {}
        for month, end in zip(
            MONTHS,
            (date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31)),
            strict=True,
        ):
            with freeze_time(utc(2026, 4, 10)):
                review = (
                    self.env["slm.review"]
                    .with_user(self.owner)
                    .create(
                        {
                            "kind": "process",
                            "company_id": self.company.id,
                            "period_start": month,
                            "period_end": end,
                        }
                    )
                )
                review.action_prepare_agenda()
            (bucket,) = (
                b
                for b in review.snapshot["process"]["attainment_by_kind"]
                if b["kind_code"] == "sla"
            )
            got[month] = bucket
        self.assertFigures(got, "annual process review")

    # ------------------------------------------------------------------
    # slm_supplier: supplier months, management information
    # ------------------------------------------------------------------

    def test_supplier_months_and_mi(self):
        counts = self.env["slm.supplier.period"]._slm_count_clocks(
            self.agreement, JAN, MAR
        )
        got = {}
        for month in MONTHS:
            met, breached, excused = counts[(self.agreement.id, month)][self.target.id]
            got[month] = {
                "met": met,
                "breached": breached,
                "excused": excused,
                "attainment": 100.0 * met / (met + breached),
            }
        self.assertFigures(got, "supplier months")
        groups = self._as_reader("slm.supplier.mi.report", self.owner).read_group(
            [("agreement_id", "=", self.agreement.id), ("row_type", "=", "clocks")],
            ["met:sum", "breached:sum", "excused:sum", "attainment:avg"],
            ["period:month"],
            lazy=False,
        )
        got = {
            date.fromisoformat(group["__range"]["period:month"]["from"]): group
            for group in groups
        }
        self.assertFigures(got, "management information")

    # ------------------------------------------------------------------
    # The time zone: default, frozen once agreed, keys follow a change
    # ------------------------------------------------------------------

    def test_time_zone_default_and_change(self):
        Agreement = self.env["slm.agreement"].with_user(self.manager)
        without_customer = Agreement.create(
            {"name": "T Kiwi corporate", "company_id": self.company.id}
        )
        self.assertEqual(without_customer.tz, "Europe/Brussels", "the company's")
        # Bad input: a zone that does not exist; nothing written.
        with self.assertRaisesRegex(ValidationError, "is not a time zone"):
            without_customer.write({"tz": "Mars/Olympus_Mons"})
        with self.assertRaisesRegex(ValidationError, "is not a time zone"):
            Agreement.create({"name": "T Mars", "tz": "Mars/Olympus_Mons"})
        self.assertEqual(without_customer.tz, "Europe/Brussels")
        # Part of the agreed terms.
        with self.assertRaisesRegex(UserError, "cannot be changed in place"):
            self.agreement.with_user(self.manager).write({"tz": "UTC"})
        self.assertEqual(self.agreement.tz, "Pacific/Auckland")
        # Where it changes (a privileged path), the stored keys follow at once.
        self.agreement.sudo()._system_write({"tz": "UTC"})
        self.env.flush_all()
        self.assertEqual(self.clocks["B"].period_date, JAN)
        self.assertEqual(self.clocks["G"].period_date, FEB)
        self.assertEqual(self.breach_d.excuse_period_date, JAN)
