# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Customer portal, the agreement as a document: the customer signs an
agreement under negotiation online, nobody else can; a signed agreement is
not signed again nor changed; the agreements for every customer that cover a
customer's tickets are shown to that customer only, with its own figures.

From the attacker's side: customer B's contact, logged in, with or without a
token, against customer A's agreement; a Service Level Manager writing the
signature fields by hand.
"""

import json

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.slm_catalogue.tests.common import pdf_text

# A 1x1 PNG: the signature drawn in the portal.
SIGNATURE = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA"
    "60e6kgAAAABJRU5ErkJggg=="
)


@tagged("post_install", "-at_install")
class TestPortalAgreementSign(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=True, no_reset_password=True)
        )
        env = cls.env
        cls.manager = new_test_user(
            env, "slm_sign_manager", "slm_catalogue.group_slm_manager"
        )
        cls.service = env["slm.service"].create(
            {
                "code": "TSIGN",
                "name": "T Sign Service",
                "owner_id": cls.manager.id,
                "state": "live",
            }
        )
        cls.a = cls._customer("A")
        cls.b = cls._customer("B")

    @classmethod
    def _customer(cls, letter):
        env = cls.env
        customer = env["res.partner"].create(
            {"name": f"T Sign Customer {letter}", "is_company": True}
        )
        contact = env["res.partner"].create(
            {
                "name": f"T Sign Contact {letter}",
                "parent_id": customer.id,
                "email": f"sign.{letter.lower()}@example.com",
            }
        )
        login = f"slm_sign_{letter.lower()}"
        user = new_test_user(
            env,
            login,
            "base.group_portal",
            partner_id=contact.id,
            name=contact.name,
            password=login,
        )
        agreement = env["slm.agreement"].create(
            {
                "name": f"T Sign SLA {letter}",
                "kind": "sla",
                "structure": "customer_based",
                "partner_id": customer.id,
                "customer_contact_id": contact.id,
                "service_ids": [Command.set(cls.service.ids)],
                "target_ids": [
                    Command.create(
                        {
                            "name": f"T Sign {letter} resolution",
                            "metric": "resolution",
                            "threshold_hours": 8,
                            "objective_pct": 95,
                            "around_the_clock": True,
                        }
                    )
                ],
            }
        )
        agreement.with_user(cls.manager).action_negotiate()
        return {
            "customer": customer,
            "contact": contact,
            "user": user,
            "login": login,
            "agreement": agreement,
        }

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _login(self, customer):
        self.authenticate(customer["login"], customer["login"])

    def _accept(self, agreement, **params):
        params.setdefault("name", "T Signer")
        params.setdefault("signature", SIGNATURE)
        response = self.url_open(
            f"/my/slm/agreements/{agreement.id}/accept",
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}),
            headers={"Content-Type": "application/json"},
        )
        return response.json()

    # ------------------------------------------------------------------
    # The customer signs
    # ------------------------------------------------------------------

    def test_customer_signs_then_provider_agrees(self):
        agreement = self.a["agreement"]
        self._login(self.a)
        page = self.url_open(f"/my/slm/agreements/{agreement.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_slm_portal_sign_button", page.text)
        self.assertIn("Waiting for your signature", page.text)
        result = self._accept(agreement, name="Anna Signer")
        self.assertTrue(result["result"]["force_refresh"], result)
        self.assertIn("message=sign_ok", result["result"]["redirect_url"])
        self.assertEqual(agreement.customer_signed_by_id, self.a["contact"])
        self.assertEqual(
            agreement.customer_signed_date, fields.Date.context_today(agreement)
        )
        self.assertEqual(agreement.customer_signed_name, "Anna Signer")
        self.assertTrue(agreement.customer_signature)
        self.assertEqual(agreement.state, "negotiation")
        message = agreement.message_ids.filtered(
            lambda m: "Signed online by Anna Signer" in (m.body or "")
        )
        self.assertEqual(len(message), 1)
        self.assertEqual(message.author_id, self.a["contact"])
        self.assertTrue(message.attachment_ids.name.endswith(".pdf"))
        # The sign-off is the one the provider's Agree checks (lifecycle).
        agreement.with_user(self.manager).action_agree()
        self.assertEqual(agreement.state, "agreed")
        page = self.url_open(f"/my/slm/agreements/{agreement.id}")
        self.assertNotIn("o_slm_portal_sign_button", page.text)
        self.assertIn("Anna Signer", page.text)

    @mute_logger("odoo.http")
    def test_signed_once_only(self):
        agreement = self.a["agreement"]
        self._login(self.a)
        self.assertIn("result", self._accept(agreement, name="First"))
        result = self._accept(agreement, name="Second", signature=SIGNATURE)
        self.assertIn("cannot be signed online", result["result"]["error"])
        self.assertEqual(agreement.customer_signed_name, "First")

    @mute_logger("odoo.http")
    def test_signature_and_name_required(self):
        agreement = self.a["agreement"]
        self._login(self.a)
        for params in ({"name": " "}, {"signature": ""}):
            result = self._accept(agreement, **params)
            self.assertIn("error", result["result"])
        self.assertFalse(agreement.customer_signed_by_id)
        self.assertFalse(agreement.customer_signature)

    @mute_logger("odoo.http")
    def test_other_customer_cannot_see_nor_sign(self):
        agreement = self.a["agreement"]
        token = agreement._portal_ensure_token()
        self._login(self.b)
        for suffix in ("", "?report_type=pdf", "?access_token=not-a-token"):
            response = self.url_open(f"/my/slm/agreements/{agreement.id}{suffix}")
            self.assertEqual(response.status_code, 404, suffix)
            self.assertNotIn("T Sign SLA A", response.text)
        # With A's token B may read the link sent to A, never sign it.
        response = self.url_open(
            f"/my/slm/agreements/{agreement.id}?access_token={token}"
        )
        self.assertNotIn("o_slm_portal_sign_button", response.text)
        for params in ({}, {"access_token": token}):
            result = self._accept(agreement, **params)
            self.assertIn("error", result)
            self.assertEqual(
                result["error"]["data"]["name"], "werkzeug.exceptions.NotFound"
            )
        self.assertFalse(agreement.customer_signed_by_id)
        # Nor through the ORM.
        with self.assertRaises(AccessError):
            agreement.with_user(self.b["user"]).read(["name"])

    @mute_logger("odoo.http")
    def test_anonymous_cannot_sign(self):
        agreement = self.a["agreement"]
        token = agreement._portal_ensure_token()
        response = self.url_open(
            f"/my/slm/agreements/{agreement.id}", allow_redirects=False
        )
        self.assertIn("/web/login", response.headers.get("Location", ""))
        page = self.url_open(f"/my/slm/agreements/{agreement.id}?access_token={token}")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("o_slm_portal_sign_button", page.text)
        result = self._accept(agreement, access_token=token)
        self.assertIn("error", result)
        self.assertFalse(agreement.customer_signed_by_id)

    def test_pdf_download(self):
        self._login(self.a)
        response = self.url_open(
            f"/my/slm/agreements/{self.a['agreement'].id}?report_type=pdf&download=true"
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("T_Sign_SLA_A.pdf", response.headers["Content-Disposition"])

    # ------------------------------------------------------------------
    # Guards: no signature by hand, nothing changed once signed
    # ------------------------------------------------------------------

    def test_signature_fields_written_by_the_portal_only(self):
        agreement = self.a["agreement"].with_user(self.manager)
        for vals in (
            {"customer_signature": SIGNATURE},
            {"customer_signed_name": "Forged"},
        ):
            with self.assertRaises(UserError):
                agreement.with_context(slm_agreement_system_write=True).write(vals)
        self.assertFalse(agreement.customer_signature)
        with self.assertRaises(UserError):
            self.a["agreement"].with_user(self.a["user"]).write(
                {"customer_signed_name": "Forged"}
            )

    def test_signed_terms_frozen_until_back_to_draft(self):
        agreement = self.a["agreement"]
        agreement.sudo()._sign_online(self.a["contact"], "Anna", SIGNATURE)
        as_manager = agreement.with_user(self.manager)
        with self.assertRaises(UserError):
            as_manager.write(
                {"date_start": fields.Date.add(agreement.date_start, days=1)}
            )
        with self.assertRaises(UserError):
            as_manager.target_ids.write({"objective_pct": 50})
        with self.assertRaises(UserError):
            as_manager.write({"customer_signed_by_id": self.b["contact"].id})
        self.assertEqual(agreement.target_ids.objective_pct, 95)
        # Back to Draft discards the signature (logged): the customer signs
        # the changed terms again.
        as_manager.action_to_draft()
        self.assertFalse(agreement.customer_signature)
        self.assertFalse(agreement.customer_signed_by_id)
        as_manager.target_ids.write({"objective_pct": 90})
        self.assertIn("discarded", agreement.message_ids[0].body)

    def test_wrong_signer_refused(self):
        agreement = self.a["agreement"]
        with self.assertRaises(UserError):
            agreement.sudo()._sign_online(self.b["contact"], "Bob", SIGNATURE)
        self.assertFalse(agreement.customer_signed_by_id)

    def test_document_says_how_often_reviewed(self):
        agreement = self.a["agreement"]
        agreement.with_user(self.manager).review_frequency = "quarterly"
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("slm_agreements.action_report_agreement", agreement.ids)[
                0
            ]
            .decode()
        )
        self.assertIn("Service reviews", html)
        self.assertIn("Quarterly", html)

    # ------------------------------------------------------------------
    # Send by e-mail
    # ------------------------------------------------------------------

    def test_send_by_email(self):
        agreement = self.a["agreement"].with_user(self.manager)
        action = agreement.action_send_agreement()
        composer = (
            self.env["mail.compose.message"]
            .with_user(self.manager)
            .with_context(**action["context"])
            .create({})
        )
        self.assertIn(agreement.get_portal_url(), composer.body)
        self.assertIn(self.a["contact"], composer.partner_ids)
        composer._action_send_mail()
        message = agreement.message_ids.filtered(lambda m: m.attachment_ids)[:1]
        # (a PDF; tests render reports as HTML)
        self.assertTrue(
            message.attachment_ids.name.startswith(
                f"{agreement.reference} - T Sign SLA A."
            )
        )


@tagged("post_install", "-at_install")
class TestPortalCustomerContent(HttpCase):
    """What reaches a customer: its SLA's figures, never the OLAs and
    contracts behind them (portal rule 3), and the SLAs for every customer
    that cover its tickets, with its own figures only (portal rule 2)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=True, no_reset_password=True)
        )
        env = cls.env
        cls.customer = env["res.partner"].create(
            {"name": "T Content Customer", "is_company": True}
        )
        cls.contact = env["res.partner"].create(
            {"name": "T Content Contact", "parent_id": cls.customer.id}
        )
        new_test_user(
            env,
            "slm_content",
            "base.group_portal",
            partner_id=cls.contact.id,
            password="slm_content",
        )
        # Minutes as generated: the internal-only part around the OLAs.
        internal = env["ir.qweb"]._render(
            "slm_reviews.review_minutes_document",
            {
                "review": env["slm.review"],
                "snap": {
                    "period": {"start": False, "end": False},
                    "underpinning": [
                        {
                            "sla_target": "T SLA resolution",
                            "target": "T secret OLA target",
                            "kind": "OLA",
                            "objective": 95.0,
                            "attainment": 80.0,
                            "achieved": False,
                        }
                    ],
                    "alignment_gaps": [
                        {
                            "sla_target": "T SLA resolution",
                            "issue_type": "Looser",
                            "explanation": "The team may take longer than the "
                            "customer was promised.",
                        }
                    ],
                },
                "pct": lambda value: f"{value} %",
                "day": str,
                "moment": str,
                "month": str,
                "decisions": "<p>T decision shown</p>",
            },
        )
        cls.review = env["slm.review"].create(
            {
                "name": "T Content Review",
                "kind": "service",
                "partner_id": cls.customer.id,
                "period_start": fields.Date.today(),
                "period_end": fields.Date.today(),
            }
        )
        cls.review.write(
            {
                "state": "minutes_sent",
                "minutes": internal,
                "minutes_sent_date": fields.Datetime.now(),
            }
        )

    def test_internal_minutes_marked(self):
        self.assertIn("Internal only: not shown to the customer", self.review.minutes)
        self.assertIn("T secret OLA target", self.review.minutes)

    def test_customer_minutes_without_olas(self):
        minutes = self.review._customer_minutes()
        self.assertIn("T decision shown", minutes)
        for secret in ("T secret OLA target", "longer than the customer", "Internal"):
            self.assertNotIn(secret, minutes)

    def test_legacy_minutes_without_the_mark(self):
        """Minutes generated before the internal part was marked lose their
        underpinning section all the same."""
        legacy = (
            '<div class="o_slm_review_minutes"><h2>5. Targets to revisit</h2>'
            "<p>None.</p><h2>6. Underpinning agreements</h2>"
            '<table class="table o_slm_review_underpinning"><tr><td>T secret OLA'
            "</td></tr></table><h3>Alignment gaps</h3><ul><li>The team may take "
            "longer than the customer was promised.</li></ul>"
            "<h2>7. Temporary changes</h2><p>T kept</p></div>"
        )
        self.review.sudo().write({"minutes": legacy})
        minutes = self.review._customer_minutes()
        self.assertIn("5. Targets to revisit", minutes)
        self.assertIn("T kept", minutes)
        for secret in ("T secret OLA", "longer than the customer", "Underpinning"):
            self.assertNotIn(secret, minutes)

    def test_portal_page_and_pdf_without_olas(self):
        self.authenticate("slm_content", "slm_content")
        url = f"/my/slm/reviews/{self.review.id}"
        for suffix in ("", "?report_type=html"):
            response = self.url_open(url + suffix)
            self.assertEqual(response.status_code, 200, suffix)
            self.assertIn("T decision shown", response.text, suffix)
            self.assertNotIn("T secret OLA target", response.text, suffix)
            self.assertNotIn("longer than the customer", response.text, suffix)
        # Staff print the internal version.
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "slm_reviews.action_report_review_minutes_internal", self.review.ids
            )[0]
            .decode()
        )
        self.assertIn("T secret OLA target", html)


@tagged("post_install", "-at_install")
class TestStatementPdf(HttpCase):
    """The statement PDF (PDF rules): real text, read back from the file
    wkhtmltopdf made with the layout's styles served by the test server."""

    def test_statement_pdf_text(self):
        env = self.env
        customer = env["res.partner"].create(
            {"name": "T Pdf Customer", "is_company": True}
        )
        contact = env["res.partner"].create(
            {"name": "T Pdf Contact", "parent_id": customer.id}
        )
        month = fields.Date.today().replace(day=1)
        agreement = env["slm.agreement"].create(
            {
                "name": "T Pdf SLA",
                "kind": "sla",
                "structure": "customer_based",
                "partner_id": customer.id,
                "date_start": month.replace(year=month.year - 1),
                "customer_signed_by_id": contact.id,
                "customer_signed_date": month.replace(year=month.year - 1),
                "target_ids": [
                    Command.create(
                        {
                            "name": "T Pdf resolution target",
                            "metric": "resolution",
                            "threshold_hours": 8,
                            "objective_pct": 95,
                            "around_the_clock": True,
                        }
                    )
                ],
            }
        )
        agreement.action_agree()
        statement = env["slm.service.statement"].create(
            {"agreement_id": agreement.id, "period_start": month}
        )
        text = pdf_text(
            env, "slm_reviews.action_report_service_statement", statement.ids
        )
        self.assertIn("Service Statement", text)
        self.assertIn("T Pdf resolution target", text)
        self.assertIn("T Pdf Customer", text)


@tagged("post_install", "-at_install")
class TestPortalSharedAgreement(HttpCase):
    """An SLA for every customer of a service (portal rule 2): shown to the
    customers whose tickets it covers, with their own figures only; not to
    another customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=True, no_reset_password=True)
        )
        env = cls.env
        if not env.company.email:
            env.company.email = "service-desk@example.com"
        manager = new_test_user(
            env, "slm_shared_manager", "slm_catalogue.group_slm_manager"
        )
        service = env["slm.service"].create(
            {
                "code": "TSHARED",
                "name": "T Shared Service",
                "owner_id": manager.id,
                "state": "live",
            }
        )
        cls.sla = env["slm.agreement"].create(
            {
                "name": "T Shared SLA",
                "kind": "sla",
                "structure": "service_based",
                "service_ids": [Command.set(service.ids)],
                "date_start": fields.Date.today().replace(day=1, month=1),
                "customer_signed_by_id": manager.partner_id.id,
                "customer_signed_date": fields.Date.today().replace(day=1, month=1),
                "target_ids": [
                    Command.create(
                        {
                            "name": "T Shared fix in 8 h",
                            "metric": "resolution",
                            "threshold_hours": 8,
                            "objective_pct": 95,
                            "around_the_clock": True,
                        }
                    )
                ],
            }
        )
        cls.sla.with_user(manager).action_agree()
        cls.contacts = {}
        for letter in ("A", "B", "C"):
            customer = env["res.partner"].create(
                {"name": f"T Shared Customer {letter}", "is_company": True}
            )
            contact = env["res.partner"].create(
                {
                    "name": f"T Shared Contact {letter}",
                    "parent_id": customer.id,
                    "email": f"shared.{letter.lower()}@example.com",
                }
            )
            login = f"slm_shared_{letter.lower()}"
            new_test_user(
                env,
                login,
                "base.group_portal",
                partner_id=contact.id,
                password=login,
            )
            cls.contacts[letter] = contact
        Ticket = env["helpdesk.ticket"]
        # A has an open ticket; C's is resolved in time (met); B has none.
        cls.ticket_a = Ticket.create(
            {
                "name": "T shared ticket A",
                "description": "T",
                "partner_id": cls.contacts["A"].id,
                "service_id": service.id,
            }
        )
        ticket_c = Ticket.create(
            {
                "name": "T shared ticket C",
                "description": "T",
                "partner_id": cls.contacts["C"].id,
                "service_id": service.id,
            }
        )
        ticket_c.stage_id = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")

    def test_covered_customer_sees_it_with_own_figures(self):
        self.assertEqual(
            self.env["slm.clock"]
            .search([("agreement_id", "=", self.sla.id)])
            .mapped("partner_id"),
            (self.contacts["A"] | self.contacts["C"]).commercial_partner_id,
        )
        self.authenticate("slm_shared_a", "slm_shared_a")
        listing = self.url_open("/my/slm/agreements")
        self.assertIn(f'href="/my/slm/agreements/{self.sla.id}"', listing.text)
        page = self.url_open(f"/my/slm/agreements/{self.sla.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_slm_portal_shared", page.text)
        self.assertIn("Every customer", page.text)
        # C's ticket was met: 100 % over every customer; nothing of A's yet.
        self.assertNotIn("100.0 %", page.text)
        self.assertNotIn("T Shared Customer C", page.text)
        self.assertNotIn("o_slm_portal_sign_button", page.text)
        # Who signed an agreement for every customer is not shown.
        self.assertNotIn("o_slm_portal_signature", page.text)

    @mute_logger("odoo.http")
    def test_uncovered_customer_does_not_see_it(self):
        self.authenticate("slm_shared_b", "slm_shared_b")
        listing = self.url_open("/my/slm/agreements")
        self.assertNotIn("T Shared SLA", listing.text)
        page = self.url_open(f"/my/slm/agreements/{self.sla.id}")
        self.assertEqual(page.status_code, 404)
        portal_b = self.env["res.users"].search([("login", "=", "slm_shared_b")])
        with self.assertRaises(AccessError):
            self.sla.with_user(portal_b).read(["name"])
        # Nor its clocks or the attainment report (no access at all).
        for model in ("slm.clock", "slm.attainment.report"):
            with self.assertRaises(AccessError):
                self.env[model].with_user(portal_b).search_read([], ["id"])

    def test_own_figures_once_settled(self):
        self.ticket_a.stage_id = self.env.ref(
            "helpdesk_mgmt.helpdesk_ticket_stage_done"
        )
        self.authenticate("slm_shared_a", "slm_shared_a")
        page = self.url_open(f"/my/slm/agreements/{self.sla.id}")
        # A's one ticket, met: 100 %, "1 of 1 tickets met".
        self.assertIn("1 of 1 tickets met", page.text)
