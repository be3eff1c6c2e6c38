# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Clock display rule 5: the ticket form follows its clocks through Odoo's bus.

2026-03-02 is a Monday; the targets count around the clock.
"""

import json

from odoo.tests import HttpCase, tagged

from .common import SlmClockCase, utc


@tagged("post_install", "-at_install")
class TestClockLive(SlmClockCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agreement = cls._agreement(
            [cls._target("response", 1), cls._target("resolution", 4)]
        )

    def _commit(self):
        """What a commit does with the bus: the pending notifications are
        written (pre-commit), the transaction's bookkeeping is cleared."""
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.cr.postcommit.clear()

    def _notifications(self, ticket):
        channel = json.dumps(
            [self.env.cr.dbname, "helpdesk.ticket", ticket.id, "slm_clocks"],
            separators=(",", ":"),
        )
        return self.env["bus.bus"].sudo().search([("channel", "=", channel)])

    def test_one_notification_per_ticket_and_transaction(self):
        ticket = self._ticket(utc(2026, 3, 2, 9))
        other = self._ticket(utc(2026, 3, 2, 9))
        self._commit()
        # New tickets are on nobody's screen yet.
        self.assertFalse(self._notifications(ticket))
        # A reply stops the response clock; closing stops both clocks of both
        # tickets in the same transaction: one notification per ticket.
        self._reply(utc(2026, 3, 2, 9, 30), ticket)
        self._at(utc(2026, 3, 2, 10), ticket | other, stage_id=self.stage_done.id)
        self._commit()
        self.assertEqual(len(self._notifications(ticket)), 1)
        self.assertEqual(len(self._notifications(other)), 1)
        message = json.loads(self._notifications(ticket).message)
        self.assertEqual(
            message,
            {"type": "slm.clocks_changed", "payload": {"ticket_id": ticket.id}},
        )
        # A write that changes no clock announces nothing.
        ticket.write({"name": "T Ticket renamed"})
        self._at(utc(2026, 3, 2, 11), ticket, stage_id=self.stage_done.id)
        self._commit()
        self.assertEqual(len(self._notifications(ticket)), 1)

    def test_refresh_of_the_time_used_is_not_announced(self):
        """The hourly refresh changes the time used, not what the form shows
        of a running clock (its time left is read from the deadline)."""
        ticket = self._ticket(utc(2026, 3, 2, 9))
        self._commit()
        self._refresh(ticket, utc(2026, 3, 2, 9, 20))
        self._commit()
        self.assertFalse(self._notifications(ticket))


@tagged("post_install", "-at_install")
class TestClockChannel(SlmClockCase, HttpCase):
    """The ticket form's channel, through the bus's own route."""

    def _peek(self, login, ticket):
        self.authenticate(login, login)
        result = self.make_jsonrpc_request(
            "/websocket/peek_notifications",
            {
                "channels": [f"slm_clocks:{ticket.id}", "slm_clocks:x"],
                "last": 0,
                "is_first_poll": True,
            },
        )
        return [
            n["message"]["payload"]
            for n in result["notifications"]
            if n["message"]["type"] == "slm.clocks_changed"
        ]

    def test_only_readers_of_the_ticket_get_its_notifications(self):
        agreement = self._agreement([self._target("response", 1)])
        self.assertTrue(agreement.target_ids)
        ticket = self._ticket(utc(2026, 3, 2, 9))
        self.env.cr.postcommit.clear()
        self._reply(utc(2026, 3, 2, 9, 30), ticket)
        # Written by the pre-commit hooks, as at a commit.
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.assertEqual(
            self._peek("slm_clock_agent", ticket), [{"ticket_id": ticket.id}]
        )
        self._portal_user("slm_live_portal")
        self.assertEqual(self._peek("slm_live_portal", ticket), [])
