# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Tickets through the real channels: raw e-mails fed to the mail gateway
(``mail.thread.message_process``, as the mail-fetch job does), the composer
with helpdesk_mgmt's templates, the chatter."""

from freezegun import freeze_time

from odoo.tests.common import new_test_user

from .common import SlmClockCase

RAW_EMAIL = """From: {email_from}
To: helpdesk@example.com
Subject: {subject}
Message-ID: <{msg_id}>
{headers}Date: Tue, 29 Nov 2011 12:43:21 +0000
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

{body}
"""


class SlmChannelCase(SlmClockCase):
    """An SLA (response 4 h, resolution 8 h, around the clock, paused while
    waiting for the customer), an agent with an e-mail address, a company
    address for the templates' From."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.email = "desk@example.com"
        cls.env.company.partner_id.email = "desk@example.com"
        cls.agent.partner_id.email = "agent@example.com"
        cls.agent.partner_id.name = "T Agent"
        cls.leader = new_test_user(
            cls.env,
            "slm_channel_leader",
            "helpdesk_mgmt.group_helpdesk_user",
            email="leader@example.com",
            context={"no_reset_password": True},
        )
        cls.sla = cls._agreement(
            [
                cls._target("response", 4),
                cls._target(
                    "resolution",
                    8,
                    pause_stage_ids=[(6, 0, cls.stage_waiting.ids)],
                ),
            ],
            provider_user_id=cls.manager.id,
        )
        cls.response = cls.sla.target_ids.filtered(lambda t: t.metric == "response")
        cls.resolution = cls.sla.target_ids - cls.response
        cls._msg_seq = 0

    # ------------------------------------------------------------------
    # Mail gateway
    # ------------------------------------------------------------------

    def _raw(self, email_from, subject="Printer down", headers="", body="Hello"):
        type(self)._msg_seq += 1
        msg_id = f"slm-channel-{self._msg_seq}-{id(self)}@example.com"
        return msg_id, RAW_EMAIL.format(
            email_from=email_from,
            subject=subject,
            msg_id=msg_id,
            headers=headers,
            body=body,
        )

    def _gateway(self, at, raw, custom_values=None):
        """Feed ``raw`` to the mail gateway at ``at``, as the mail-fetch job."""
        with freeze_time(at):
            return (
                self.env["mail.thread"]
                .with_context(fetchmail_cron_running=True)
                .message_process(
                    "helpdesk.ticket", raw, custom_values=custom_values or {}
                )
            )

    def _email_ticket(self, at, email_from="c@example.com", **custom):
        """A new ticket from a customer's e-mail; returns (ticket, message id)."""
        values = {
            "service_id": self.service.id,
            "team_id": self.team.id,
            "stage_id": self.stage_new.id,
        }
        values.update(custom)
        msg_id, raw = self._raw(email_from)
        ticket_id = self._gateway(at, raw, values)
        return self.env["helpdesk.ticket"].browse(ticket_id), msg_id

    def _email_reply(self, at, ticket, parent_msg_id, email_from, headers=""):
        """An e-mail answering ``parent_msg_id`` (routed to its ticket)."""
        _msg_id, raw = self._raw(
            email_from,
            subject=f"Re: {ticket.name}",
            headers=f"In-Reply-To: <{parent_msg_id}>\n"
            f"References: <{parent_msg_id}>\n{headers}",
            body="Some answer",
        )
        self.assertEqual(self._gateway(at, raw), ticket.id)
        return ticket.message_ids[:1]

    def _template_reply(self, at, ticket, user, template_xmlid):
        """``user`` sends one of helpdesk_mgmt's templates from the composer."""
        template = self.env.ref(template_xmlid)
        with freeze_time(at):
            composer = (
                self.env["mail.compose.message"]
                .with_user(user)
                .with_context(
                    default_model="helpdesk.ticket",
                    default_res_ids=ticket.ids,
                    default_template_id=template.id,
                    default_composition_mode="comment",
                )
                .create({})
            )
            composer.action_send_mail()
        return ticket.message_ids[:1]

    def _replies(self, ticket):
        return self.env["slm.ticket.event"].search(
            [("ticket_id", "=", ticket.id), ("event_type", "=", "reply")]
        )
