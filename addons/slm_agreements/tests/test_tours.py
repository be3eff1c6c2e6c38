# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Browser tours (issue 7, item 1): a Service Level Manager agrees an SLA, a
helpdesk agent replies to and closes a ticket and sees its clocks met, a
Service Level Analyst explains a breach. Each tour runs in headless Chromium
as a user holding only the groups of that role; the records it needs are
created here, so that it passes with and without demo data. The tours are in
static/tests/tours/; after each one, the database is checked too.
"""

from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import tagged

from .common import SlmTourCase, tour_user


@tagged("post_install", "-at_install")
class TestSlmAgreementTours(SlmTourCase):
    def test_sla_manager_agrees_an_sla(self):
        """A Service Level Manager creates a service, an SLA with a response
        and a resolution target and the customer's sign-off, and agrees it."""
        manager = tour_user(
            self.env,
            "slm_tour_manager",
            "slm_catalogue.group_slm_manager",
            name="Sam Levels",
        )
        customer, signer = self._customer("Tourprint Industries", "Tara Signer")
        before = fields.Date.context_today(manager)

        self.start_tour("/odoo", "slm_agreements_sla_manager_tour", login=manager.login)

        service = self.env["slm.service"].search([("code", "=", "TOURPRINT")])
        self.assertRecordValues(
            service,
            [
                {
                    "name": "Tourprint Managed Printing",
                    "state": "live",
                    "owner_id": manager.id,
                }
            ],
        )
        sla = self.env["slm.agreement"].search(
            [("name", "=", "Tourprint Printing SLA")]
        )
        # Signed "today" in the browser: the day the tour ran, in the user's
        # zone or the browser's (the machine's) when they differ.
        self.assertIn(
            sla.customer_signed_date,
            {before, fields.Date.context_today(manager), fields.Date.today()},
        )
        self.assertRecordValues(
            sla,
            [
                {
                    "kind": "sla",
                    "state": "agreed",
                    "partner_id": customer.id,
                    "service_ids": service.ids,
                    "customer_signed_by_id": signer.id,
                    "provider_signed_by_id": manager.id,
                    "provider_user_id": manager.id,
                }
            ],
        )
        self.assertRecordValues(
            sla.target_ids.sorted(lambda t: t.metric != "response"),
            [
                {"metric": "response", "threshold_hours": 2.0},
                {"metric": "resolution", "threshold_hours": 6.0},
            ],
        )

    def test_agent_replies_and_closes_a_ticket(self):
        """A helpdesk agent replies to the customer and closes a ticket of an
        agreed SLA: its response and resolution clocks are met."""
        agent = tour_user(
            self.env,
            "slm_tour_agent",
            "helpdesk_mgmt.group_helpdesk_user",
            name="Alex Agent",
        )
        manager = tour_user(
            self.env, "slm_tour_manager", "slm_catalogue.group_slm_manager"
        )
        customer, contact = self._customer("Tourprint Industries", "Tara Signer")
        service = self._service("TOURPRINT", "Tourprint Managed Printing", manager)
        sla = self._agreed_sla(
            "Tourprint Printing SLA",
            customer,
            contact,
            service,
            manager,
            [
                ("Tour first response in 4 h", "response", 4),
                ("Tour fix in 8 h", "resolution", 8),
            ],
        )
        team = self.env["helpdesk.ticket.team"].create(
            {"name": "Tour Service Desk", "user_ids": [Command.set(agent.ids)]}
        )
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Tourprint printer jammed",
                "description": "<p>The printer on floor 2 jams on every page.</p>",
                "partner_id": contact.id,
                "service_id": service.id,
                "team_id": team.id,
                "user_id": agent.id,
            }
        )
        self.assertEqual(ticket.slm_clock_ids.mapped("status"), ["running", "running"])

        self.start_tour("/odoo", "slm_agreements_ticket_agent_tour", login=agent.login)

        self.assertEqual(ticket.stage_id, self.stage_done)
        reply = ticket.message_ids.filtered(
            lambda m: m.author_id == agent.partner_id
            and m.message_type == "comment"
            and "paper tray" in m.body
        )
        self.assertEqual(len(reply), 1)
        self.assertFalse(reply.subtype_id.internal, "a reply, not a note")
        clocks = ticket.slm_clock_ids.sorted(lambda c: c.target_id.metric != "response")
        self.assertRecordValues(
            clocks,
            [
                {"agreement_id": sla.id, "status": "met"},
                {"agreement_id": sla.id, "status": "met"},
            ],
        )
        self.assertTrue(all(clocks.mapped("stop")))
        self.assertEqual(ticket.slm_status, "met")

    def test_analyst_explains_a_breach(self):
        """A Service Level Analyst analyses a breach and closes the analysis."""
        analyst = tour_user(
            self.env,
            "slm_tour_analyst",
            "slm_catalogue.group_slm_analyst",
            name="Ana Lyst",
        )
        manager = tour_user(
            self.env, "slm_tour_manager", "slm_catalogue.group_slm_manager"
        )
        agent = tour_user(
            self.env, "slm_tour_agent", "helpdesk_mgmt.group_helpdesk_user"
        )
        customer, contact = self._customer("Tourbreach Logistics", "Bob Shipper")
        service = self._service("TOURSHIP", "Tourbreach Shipping Desk", manager)
        self._agreed_sla(
            "Tourbreach Shipping SLA",
            customer,
            contact,
            service,
            manager,
            [("Tour first response in 1 h", "response", 1)],
        )
        cause = self.env["slm.breach.cause"].create({"name": "Tour supplier delay"})
        # Created three hours ago, answered two hours later: one hour late.
        now = fields.Datetime.now().replace(microsecond=0)
        with freeze_time(now - timedelta(hours=3)):
            ticket = self.env["helpdesk.ticket"].create(
                {
                    "name": "Tourbreach parcel lost",
                    "description": "<p>Where is my parcel?</p>",
                    "partner_id": contact.id,
                    "service_id": service.id,
                }
            )
        with freeze_time(now - timedelta(hours=1)):
            ticket.with_user(agent).message_post(
                body="We are looking for it.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        clock = ticket.slm_clock_ids
        self.assertEqual(clock.status, "breached")
        breach = self.env["slm.breach"]._slm_create_for_clocks(clock)
        self.assertRecordValues(
            breach, [{"state": "new", "partner_id": customer.id, "late_hours": 1.0}]
        )

        self.start_tour(
            "/odoo", "slm_agreements_breach_analyst_tour", login=analyst.login
        )

        self.assertRecordValues(
            breach,
            [
                {
                    "state": "closed",
                    "analyst_id": analyst.id,
                    "cause_id": cause.id,
                    "root_cause": "The on-call agent was waiting for the "
                    "courier's tracking number.",
                    "corrective_action": "Answer first, then chase the courier.",
                }
            ],
        )
        self.assertTrue(breach.closed_date)
