# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Customer portal: isolation between two customers.

Two customers, A and B, each with an agreed SLA, an issued monthly statement,
sent minutes and an improvement plan in progress; A also has a draft SLA, a
draft statement, a review whose minutes are not sent and a draft plan, none
of which A's contact may see. Figures are hand-worked from the statement lines
written here (the portal shows what was issued, never recomputes it).
"""

import re
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from lxml import html

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

PORTAL_A = "slm_portal_a"
PORTAL_B = "slm_portal_b"


@tagged("post_install", "-at_install")
class TestSlmPortal(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(
                cls.env.context,
                tracking_disable=True,
                mail_create_nolog=True,
                mail_notrack=True,
                no_reset_password=True,
            )
        )
        env = cls.env
        cls.manager = new_test_user(
            env, "slm_portal_manager", "slm_catalogue.group_slm_manager"
        )
        cls.service = env["slm.service"].create(
            {
                "code": "TPORTAL",
                "name": "T Portal Service",
                "owner_id": cls.manager.id,
                "state": "live",
            }
        )
        today = fields.Date.context_today(env.user)
        cls.this_month = today.replace(day=1)
        # The issued month and the month still in draft, both before this one.
        cls.issued_month = cls.this_month - relativedelta(months=2)
        cls.draft_month = cls.this_month - relativedelta(months=1)
        cls.a = cls._customer("A", today)
        cls.b = cls._customer("B", today)
        # A: 19 of 20 met (2 excused apart) = 95.0 % >= 90 (achieved);
        # 6 of 8 met = 75.0 % < 95 (missed).
        cls._issue(cls.a["statement"], (20, 19, 1, 2, 95.0), (8, 6, 2, 0, 75.0))
        # B: 7 of 10 = 70.0 %; 4 of 4 = 100.0 %.
        cls._issue(cls.b["statement"], (10, 7, 3, 0, 70.0), (4, 4, 0, 0, 100.0))
        # A's draft statement of last month: 1 of 3 = 33.3 %, never shown.
        cls._set_lines(cls.a["draft_statement"], (3, 1, 2, 0, 100.0 / 3), None)

    @classmethod
    def _customer(cls, letter, today):
        """A customer, its contact with a portal user, and its documents."""
        env = cls.env
        customer = env["res.partner"].create(
            {"name": f"T Portal Customer {letter}", "is_company": True}
        )
        contact = env["res.partner"].create(
            {
                "name": f"T Portal Contact {letter}",
                "parent_id": customer.id,
                "email": f"contact.{letter.lower()}@example.com",
            }
        )
        login = PORTAL_A if letter == "A" else PORTAL_B
        user = new_test_user(
            env,
            login,
            "base.group_portal",
            partner_id=contact.id,
            name=contact.name,
            password=login,
        )
        start = cls.this_month - relativedelta(months=14)
        agreement = env["slm.agreement"].create(
            {
                "name": f"T Portal SLA {letter}",
                "kind": "sla",
                "structure": "customer_based",
                "partner_id": customer.id,
                "service_ids": [Command.set(cls.service.ids)],
                "date_start": start,
                "customer_signed_by_id": contact.id,
                "customer_signed_date": start,
                "target_ids": [
                    Command.create(
                        {
                            "name": f"T {letter} first response",
                            "sequence": 1,
                            "metric": "response",
                            "threshold_hours": 2,
                            "objective_pct": 90,
                            "around_the_clock": True,
                        }
                    ),
                    Command.create(
                        {
                            "name": f"T {letter} resolution",
                            "sequence": 2,
                            "metric": "resolution",
                            "threshold_hours": 8,
                            "objective_pct": 95,
                            "around_the_clock": True,
                        }
                    ),
                ],
            }
        )
        agreement.with_user(cls.manager).action_agree()
        draft_agreement = env["slm.agreement"].create(
            {
                "name": f"T Portal Draft SLA {letter}",
                "kind": "sla",
                "structure": "customer_based",
                "partner_id": customer.id,
                "date_start": today,
                "target_ids": [Command.create({"metric": "resolution"})],
            }
        )
        Statement = env["slm.service.statement"]
        statement = Statement.create(
            {"agreement_id": agreement.id, "period_start": cls.issued_month}
        )
        draft_statement = Statement.create(
            {"agreement_id": agreement.id, "period_start": cls.draft_month}
        )
        period = {
            "period_start": cls.issued_month,
            "period_end": cls.draft_month - timedelta(days=1),
        }
        review = env["slm.review"].create(
            dict(
                period,
                name=f"T Portal Review {letter}",
                kind="service",
                partner_id=customer.id,
                agreement_ids=[Command.set(agreement.ids)],
                attendee_partner_ids=[Command.set(contact.ids)],
            )
        )
        held_review = env["slm.review"].create(
            dict(
                period,
                name=f"T Portal Held Review {letter}",
                kind="service",
                partner_id=customer.id,
                agreement_ids=[Command.set(agreement.ids)],
            )
        )
        held_review.write(
            {"state": "held", "minutes": f"<p>T unsent minutes {letter}</p>"}
        )
        due = today + relativedelta(days=30)
        review_action = env["slm.review.action"].create(
            {
                "name": f"T review action {letter}",
                "review_id": review.id,
                "partner_id": customer.id,
                "owner_id": cls.manager.id,
                "due_date": due,
            }
        )
        # Actions are agreed before the minutes are sent (then frozen).
        review.write(
            {
                "state": "minutes_sent",
                "minutes": f"<p>T minutes of customer {letter}</p>",
                "minutes_sent_date": fields.Datetime.now(),
            }
        )
        plan = env["slm.improvement.plan"].create(
            {
                "name": f"T Portal Plan {letter}",
                "partner_id": customer.id,
                "agreement_id": agreement.id,
                "objectives": f"<p>T objectives {letter}</p>",
            }
        )
        plan_action = env["slm.review.action"].create(
            {
                "name": f"T plan action {letter}",
                "improvement_plan_id": plan.id,
                "partner_id": customer.id,
                "owner_id": cls.manager.id,
                "due_date": due,
            }
        )
        plan.write({"state": "active"})
        draft_plan = env["slm.improvement.plan"].create(
            {"name": f"T Portal Draft Plan {letter}", "partner_id": customer.id}
        )
        return {
            "customer": customer,
            "user": user,
            "login": login,
            "agreement": agreement,
            "draft_agreement": draft_agreement,
            "statement": statement,
            "draft_statement": draft_statement,
            "review": review,
            "held_review": held_review,
            "review_action": review_action,
            "plan": plan,
            "plan_action": plan_action,
            "draft_plan": draft_plan,
        }

    @classmethod
    def _set_lines(cls, statement, response, resolution):
        """Write the figures (measured, met, breached, excused, attainment) of
        the response and resolution lines of a draft statement."""
        for line in statement.line_ids:
            figures = response if line.metric == "response" else resolution
            if not figures:
                continue
            measured, met, breached, excused, attainment = figures
            line.write(
                {
                    "measured": measured,
                    "met": met,
                    "breached": breached,
                    "excused": excused,
                    "attainment_pct": attainment,
                    "has_measure": True,
                    "achieved": attainment >= line.objective_pct,
                }
            )

    @classmethod
    def _issue(cls, statement, response, resolution):
        cls._set_lines(statement, response, resolution)
        statement.write({"state": "issued", "issued_date": fields.Datetime.now()})

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _login(self, customer):
        self.authenticate(customer["login"], customer["login"])

    def _get(self, url):
        return self.url_open(url, allow_redirects=False)

    @staticmethod
    def _text(element):
        return re.sub(r"\s+", " ", element.text_content()).strip()

    def _rows(self, response, css_class):
        tree = html.fromstring(response.content)
        return [
            [self._text(cell) for cell in row.xpath("./td")]
            for row in tree.xpath(f"//tr[contains(@class, '{css_class}')]")
        ]

    # ------------------------------------------------------------------
    # Home and lists
    # ------------------------------------------------------------------

    def test_home_counters(self):
        self._login(self.a)
        response = self._get("/my")
        self.assertEqual(response.status_code, 200)
        for url in (
            "/my/slm/agreements",
            "/my/slm/statements",
            "/my/slm/reviews",
            "/my/slm/plans",
        ):
            self.assertIn(f'href="{url}"', response.text)
        counters = self.make_jsonrpc_request(
            "/my/counters",
            {
                "counters": [
                    "slm_agreement_count",
                    "slm_statement_count",
                    "slm_review_count",
                    "slm_plan_count",
                ]
            },
        )
        # One of each: drafts, unsent minutes and B's documents left out.
        self.assertEqual(
            counters,
            {
                "slm_agreement_count": 1,
                "slm_statement_count": 1,
                "slm_review_count": 1,
                "slm_plan_count": 1,
            },
        )

    def test_lists_show_only_own_published_documents(self):
        self._login(self.a)
        pages = {
            "/my/slm/agreements": ("agreement", "draft_agreement"),
            "/my/slm/statements": ("statement", "draft_statement"),
            "/my/slm/reviews": ("review", "held_review"),
            "/my/slm/plans": ("plan", "draft_plan"),
        }
        for url, (shown, hidden) in pages.items():
            response = self._get(url)
            self.assertEqual(response.status_code, 200, url)
            links = set(re.findall(rf'href="{url}/(\d+)"', response.text))
            self.assertEqual(links, {str(self.a[shown].id)}, url)
            for record in (self.a[hidden], self.b[shown]):
                self.assertNotIn(record.name, response.text, url)

    # ------------------------------------------------------------------
    # Documents of one's own customer
    # ------------------------------------------------------------------

    def test_agreement_page_shows_issued_figures(self):
        self._login(self.a)
        response = self._get(f"/my/slm/agreements/{self.a['agreement'].id}")
        self.assertEqual(response.status_code, 200)
        tree = html.fromstring(response.content)
        # One month column: the issued statement's; last month's statement
        # is a draft, so no column. Then this month, provisional.
        month_links = tree.xpath("//th[contains(@class, 'o_slm_portal_month')]//a")
        self.assertEqual(
            [link.get("href") for link in month_links],
            [f"/my/slm/statements/{self.a['statement'].id}"],
        )
        self.assertTrue(
            tree.xpath("//th[contains(@class, 'o_slm_portal_provisional')]")
        )
        rows = self._rows(response, "o_slm_portal_attainment_row")
        # Target, objective, issued month, this month (nothing settled: dash).
        self.assertEqual(
            rows,
            [
                ["T A first response", "90 %", "95.0 %", "—"],
                ["T A resolution", "95 %", "75.0 %", "—"],
            ],
        )
        targets = self._rows(response, "o_slm_portal_target")
        self.assertEqual(
            [row[0] for row in targets], ["T A first response", "T A resolution"]
        )
        self.assertEqual([row[2] for row in targets], ["2 h", "8 h"])
        self.assertNotIn("33.3", response.text)

    def test_statement_page_shows_frozen_lines(self):
        self._login(self.a)
        response = self._get(f"/my/slm/statements/{self.a['statement'].id}")
        self.assertEqual(response.status_code, 200)
        rows = self._rows(response, "o_slm_portal_statement_line")
        # Target (with its metric), objective, measured, met, breached,
        # excused, attainment.
        self.assertEqual(
            [row[1:] for row in rows],
            [
                ["90 %", "20", "19", "1", "2", "95.0 %"],
                ["95 %", "8", "6", "2", "0", "75.0 %"],
            ],
        )
        self.assertTrue(rows[0][0].startswith("T A first response"))

    def test_review_and_plan_pages(self):
        self._login(self.a)
        response = self._get(f"/my/slm/reviews/{self.a['review'].id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("T minutes of customer A", response.text)
        self.assertEqual(
            [row[0] for row in self._rows(response, "o_slm_portal_action")],
            ["T review action A"],
        )
        response = self._get(f"/my/slm/plans/{self.a['plan'].id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("T objectives A", response.text)
        self.assertEqual(
            [row[0] for row in self._rows(response, "o_slm_portal_action")],
            ["T plan action A"],
        )

    def test_pdf_only_when_the_report_exists(self):
        self._login(self.a)
        for url, report in (
            (
                f"/my/slm/statements/{self.a['statement'].id}",
                "slm_reviews.action_report_service_statement",
            ),
            (
                f"/my/slm/reviews/{self.a['review'].id}",
                "slm_reviews.action_report_review_minutes",
            ),
        ):
            exists = bool(self.env.ref(report, raise_if_not_found=False))
            page = self._get(url)
            self.assertEqual("o_slm_portal_pdf" in page.text, exists, url)
            pdf = self._get(f"{url}?report_type=pdf&download=true")
            self.assertEqual(pdf.status_code, 200 if exists else 404, url)

    def test_parameters_cannot_take_the_place_of_arguments(self):
        # A crafted query string names arguments of the page's code (the
        # report, the model, the values added): the page answers as usual,
        # neither an error nor another customer's document.
        self._login(self.a)
        crafted = (
            "report_ref=slm_agreements.action_report_agreement&model_name="
            f"slm.agreement&record_id={self.b['agreement'].id}&key=agreement"
            "&extra_values=1&query=1&page_name=x&values=1&session_history=x"
        )
        for url, marker in (
            (f"/my/slm/agreements/{self.a['agreement'].id}", "T Portal SLA A"),
            (f"/my/slm/statements/{self.a['statement'].id}", "95.0 %"),
            (f"/my/slm/reviews/{self.a['review'].id}", "T minutes of customer A"),
            (f"/my/slm/plans/{self.a['plan'].id}", "T objectives A"),
        ):
            response = self._get(f"{url}?{crafted}")
            self.assertEqual(response.status_code, 200, url)
            self.assertIn(marker, response.text, url)
            self.assertNotIn("T Portal SLA B", response.text, url)

    # ------------------------------------------------------------------
    # Nothing of the other customer, nothing unpublished
    # ------------------------------------------------------------------

    @mute_logger("odoo.http")
    def test_other_customer_documents_refused(self):
        self._login(self.a)
        token = self.a["statement"]._portal_ensure_token()
        for url, marker in (
            (f"/my/slm/agreements/{self.b['agreement'].id}", "T Portal SLA B"),
            (f"/my/slm/statements/{self.b['statement'].id}", "70.0"),
            (f"/my/slm/reviews/{self.b['review'].id}", "T minutes of customer B"),
            (f"/my/slm/plans/{self.b['plan'].id}", "T objectives B"),
        ):
            for suffix in (
                "",
                "?access_token=not-a-token",
                f"?access_token={token}",
                "?report_type=pdf",
            ):
                response = self._get(url + suffix)
                # Issue 16: "not yours" answers as "does not exist" (was 403).
                self.assertEqual(response.status_code, 404, url + suffix)
                self.assertNotIn(marker, response.text, url + suffix)
        self.assertEqual(self._get("/my/slm/statements/999999999").status_code, 404)

    @mute_logger("odoo.http")
    def test_not_yours_answers_as_missing(self):
        """Issue 16: another customer's document and a missing one get the
        same answer, so that a customer cannot tell which ids exist."""
        self._login(self.a)
        for route, record in (
            ("agreements", self.b["agreement"]),
            ("statements", self.b["statement"]),
            ("reviews", self.b["review"]),
            ("plans", self.b["plan"]),
        ):
            missing = record.sudo().search([], order="id desc", limit=1).id + 1000
            for suffix in ("", "?report_type=pdf", "?access_token=x"):
                theirs = self._get(f"/my/slm/{route}/{record.id}{suffix}")
                absent = self._get(f"/my/slm/{route}/{missing}{suffix}")
                self.assertEqual(theirs.status_code, 404, route + suffix)
                self.assertEqual(absent.status_code, theirs.status_code, route)
                self.assertEqual(
                    theirs.headers.get("Content-Type"),
                    absent.headers.get("Content-Type"),
                )

    @mute_logger("odoo.http")
    def test_own_unpublished_documents_not_found(self):
        self._login(self.a)
        for url in (
            f"/my/slm/agreements/{self.a['draft_agreement'].id}",
            f"/my/slm/statements/{self.a['draft_statement'].id}",
            f"/my/slm/reviews/{self.a['held_review'].id}",
            f"/my/slm/plans/{self.a['draft_plan'].id}",
        ):
            response = self._get(url)
            self.assertEqual(response.status_code, 404, url)
        # Even with the record's own access token.
        token = self.a["draft_statement"]._portal_ensure_token()
        response = self._get(
            f"/my/slm/statements/{self.a['draft_statement'].id}?access_token={token}"
        )
        self.assertEqual(response.status_code, 404)

    @mute_logger("odoo.http")
    def test_access_token_link(self):
        """A link sent by e-mail carries the record's token: it opens that
        record only, logged in or not; without it, anonymous visitors log in."""
        statement = self.b["statement"]
        url = f"/my/slm/statements/{statement.id}"
        response = self._get(url)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])
        response = self._get(f"{url}?access_token={statement._portal_ensure_token()}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("70.0 %", response.text)

    @mute_logger("odoo.http")
    def test_internal_user_needs_the_token(self):
        """An employee reads every statement in the back office, but the
        portal shows the documents of one's own customer only: a customer's
        page needs its token (the link of the e-mail or of Preview)."""
        reader = new_test_user(
            self.env, "slm_portal_reader", "slm_catalogue.group_slm_user"
        )
        self.authenticate("slm_portal_reader", "slm_portal_reader")
        statement = self.a["statement"]
        # Readable in the back office: the portal's own check refuses it.
        self.assertEqual(
            statement.with_user(reader).read(["name"])[0]["id"], statement.id
        )
        url = f"/my/slm/statements/{statement.id}"
        self.assertEqual(self._get(url).status_code, 404)
        response = self._get(f"{url}?access_token={statement._portal_ensure_token()}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("95.0 %", response.text)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["slm_statement_count"]}
        )
        self.assertEqual(counters, {"slm_statement_count": 0})

    # ------------------------------------------------------------------
    # The ORM, as the portal user (what /web/dataset/call_kw would give)
    # ------------------------------------------------------------------

    def test_orm_isolation(self):
        env = self.env(user=self.a["user"])
        own = {
            "slm.agreement": self.a["agreement"],
            "slm.target": self.a["agreement"].target_ids,
            "slm.service.statement": self.a["statement"],
            "slm.service.statement.line": self.a["statement"].line_ids,
            "slm.review": self.a["review"],
            "slm.review.action": self.a["review_action"] | self.a["plan_action"],
            "slm.improvement.plan": self.a["plan"],
        }
        foreign = {
            "slm.agreement": self.b["agreement"] | self.a["draft_agreement"],
            "slm.target": self.b["agreement"].target_ids,
            "slm.service.statement": self.b["statement"] | self.a["draft_statement"],
            "slm.service.statement.line": self.b["statement"].line_ids
            | self.a["draft_statement"].line_ids,
            "slm.review": self.b["review"] | self.a["held_review"],
            "slm.review.action": self.b["review_action"] | self.b["plan_action"],
            "slm.improvement.plan": self.b["plan"] | self.a["draft_plan"],
        }
        # Hand-counted: 1 agreement, its 2 targets, 1 statement, its 2 lines,
        # 1 review, 2 actions (the review's and the plan's), 1 plan.
        expected = {
            "slm.agreement": 1,
            "slm.target": 2,
            "slm.service.statement": 1,
            "slm.service.statement.line": 2,
            "slm.review": 1,
            "slm.review.action": 2,
            "slm.improvement.plan": 1,
        }
        for model_name, records in own.items():
            Model = env[model_name]
            found = Model.search([])
            self.assertEqual(len(found), expected[model_name], model_name)
            self.assertEqual(found, records.with_env(env), model_name)
            for record in foreign[model_name]:
                with self.assertRaises(AccessError, msg=model_name):
                    record.with_env(env).read(["display_name"])
            with self.assertRaises(AccessError, msg=model_name):
                records.with_env(env).check_access("write")
        self.assertEqual(
            env["slm.service.statement"].search_count(
                [("partner_id", "=", self.b["customer"].id)]
            ),
            0,
        )

    def test_call_kw_isolation(self):
        self._login(self.a)
        rows = self.make_jsonrpc_request(
            "/web/dataset/call_kw/slm.service.statement/search_read",
            {
                "model": "slm.service.statement",
                "method": "search_read",
                "args": [[]],
                "kwargs": {"fields": ["name"]},
            },
        )
        self.assertEqual([row["id"] for row in rows], self.a["statement"].ids)
        with mute_logger("odoo.http"), self.assertRaisesRegex(Exception, "AccessError"):
            self.make_jsonrpc_request(
                "/web/dataset/call_kw/slm.review/read",
                {
                    "model": "slm.review",
                    "method": "read",
                    "args": [self.b["review"].ids, ["minutes"]],
                    "kwargs": {},
                },
            )
