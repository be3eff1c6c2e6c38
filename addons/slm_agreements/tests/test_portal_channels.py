# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 17 through the portal, over HTTP as the portal user: submission,
reply, closure (channel rule 7) and the guarded ``/ticket/close`` route
(channel rule 9).
Real time (no frozen clock: the HTTP server runs alongside)."""

from odoo import http
from odoo.tests import HttpCase, new_test_user, tagged

from .common import SlmClockCase


@tagged("post_install", "-at_install")
class TestPortalChannels(SlmClockCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # helpdesk_mgmt mails the customer when a ticket closes: a database
        # without demo data needs a sender address for that mail.
        cls.env.company.email = "helpdesk@example.com"
        # A customer-based SLA: portal tickets carry no service.
        cls.sla = cls._agreement(
            [cls._target("response", 4), cls._target("resolution", 8)],
            structure="customer_based",
            partner_id=cls.customer.id,
            service_ids=[(5, 0, 0)],
            provider_user_id=cls.manager.id,
        )
        cls.response = cls.sla.target_ids.filtered(lambda t: t.metric == "response")
        cls.resolution = cls.sla.target_ids - cls.response
        cls.portal = new_test_user(
            cls.env,
            "slm_portal_customer",
            "base.group_portal",
            partner_id=cls.contact.id,
            context={"no_reset_password": True},
        )
        cls.stranger_company = cls.env["res.partner"].create(
            {"name": "T Stranger Inc", "is_company": True}
        )
        cls.stranger = new_test_user(
            cls.env,
            "slm_portal_stranger",
            "base.group_portal",
            context={"no_reset_password": True},
        )
        cls.stranger.partner_id.parent_id = cls.stranger_company
        cls.done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.cancelled = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_cancelled")

    def _submit(self, subject):
        self.authenticate("slm_portal_customer", "slm_portal_customer")
        response = self.url_open(
            "/submitted/ticket",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "subject": subject,
                "description": "The printer is down",
            },
        )
        self.assertEqual(response.status_code, 200)
        ticket = self.env["helpdesk.ticket"].search([("name", "=", subject)])
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.partner_id, self.contact)
        return ticket

    def _portal_reply(self, ticket, body, context=None):
        self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "helpdesk.ticket",
                "thread_id": ticket.id,
                # What the portal's chatter sends for "Send message".
                "post_data": {
                    "body": body,
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_comment",
                },
                "context": context or {},
            },
        )

    def _close(self, ticket_id, stage):
        return self.url_open(f"/ticket/close?ticket_id={ticket_id}&stage_id={stage.id}")

    def test_submit_reply_agent_answer_then_customer_closes(self):
        ticket = self._submit("T portal printer")
        response = self._clock(ticket, self.response)
        resolution = self._clock(ticket, self.resolution)
        self.assertEqual((response.status, resolution.status), ("running",) * 2)

        # The customer adds a detail, with the context keys an attacker would
        # send: not a response.
        self._portal_reply(
            ticket, "It is the one on floor 2", {"slm_composer_send": True}
        )
        customer_message = ticket.message_ids.filtered(
            lambda m: m.author_id == self.contact
        )[:1]
        self.assertIn("floor 2", customer_message.body)
        self.assertFalse(customer_message.subtype_id.internal)
        self.assertEqual(response.status, "running")

        # The agent answers in the chatter.
        ticket.with_user(self.agent).message_post(
            body="On my way", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        self.assertEqual(response.status, "met")

        # The customer closes it from the portal: a resolution (default).
        result = self._close(ticket.id, self.done)
        self.assertEqual(result.status_code, 200)
        self.assertEqual(ticket.stage_id, self.done)
        closing = ticket.slm_event_ids.filtered(lambda e: e.closed)
        self.assertEqual(closing.closure, "customer")
        self.assertEqual((response.status, resolution.status), ("met", "met"))

    def test_customer_closure_without_answer_is_no_response(self):
        ticket = self._submit("T portal closed at once")
        self._close(ticket.id, self.done)
        self.assertTrue(ticket.stage_id.closed)
        self.assertEqual(self._clock(ticket, self.response).status, "cancelled")
        self.assertEqual(self._clock(ticket, self.resolution).status, "met")

    def test_customer_cancels_from_the_portal(self):
        ticket = self._submit("T portal never mind")
        self._close(ticket.id, self.cancelled)
        self.assertEqual(ticket.stage_id, self.cancelled)
        self.assertEqual(set(ticket.slm_clock_ids.mapped("status")), {"cancelled"})

    def test_only_the_customer_may_close(self):
        ticket = self._submit("T portal not yours")
        self.authenticate("slm_portal_stranger", "slm_portal_stranger")
        forbidden = self._close(ticket.id, self.done)
        missing = self._close(ticket.id + 100000, self.done)
        self.assertEqual(forbidden.status_code, 404)
        self.assertEqual(missing.status_code, 404)
        self.assertFalse(ticket.stage_id.closed)
        self.assertEqual(self._clock(ticket, self.resolution).status, "running")
        # A stage not closable from the portal is refused too.
        rejected = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_rejected")
        self.authenticate("slm_portal_customer", "slm_portal_customer")
        self._close(ticket.id, rejected)
        self.assertFalse(ticket.stage_id.closed)
        # Garbage in: no traceback, the answer for a missing ticket.
        self.assertEqual(
            self.url_open("/ticket/close?ticket_id=abc&stage_id=x").status_code, 404
        )
        self.assertEqual(self.url_open("/ticket/close").status_code, 404)

    def test_internal_user_may_close(self):
        ticket = self._submit("T portal closed by the desk")
        self.authenticate("slm_clock_manager", "slm_clock_manager")
        self._close(ticket.id, self.done)
        self.assertTrue(ticket.stage_id.closed)
        closing = ticket.slm_event_ids.filtered(lambda e: e.closed)
        self.assertEqual(closing.closure, "resolved")

    def test_portal_reply_moves_a_waiting_ticket_back(self):
        self.stage_waiting.slm_waiting_customer = True
        self.team.slm_customer_reply_stage_id = self.stage_progress
        ticket = self._submit("T portal waiting for details")
        ticket.write({"team_id": self.team.id, "stage_id": self.stage_waiting.id})
        self._portal_reply(ticket, "Here is the serial number")
        self.assertEqual(ticket.stage_id, self.stage_progress)
        self.assertEqual(self._clock(ticket, self.response).status, "running")
