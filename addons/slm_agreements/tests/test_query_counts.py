# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Queries of the hot paths, pinned: a ticket created under an agreement with
two targets, a public reply, a stage change, the closing, and one batch of
the breach scan. A change that adds a query per ticket or per clock shows
here first; speed itself is measured in benchmarks/.

Counts are measured warm (``warmup``: the ORM caches filled by a first run),
as the agent who works the ticket (the scan as the cron's user). When a
count goes down after an improvement, lower it here.

Every clock computation reads the approved negotiated deadlines of its
batch's tickets in one query (``slm.clock._load_negotiated_deadlines``,
negotiated deadline rule 4): one query more on each path, per batch, never
per ticket."""

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tests.common import warmup

from .common import SlmClockCase, utc


@tagged("post_install", "-at_install")
class TestQueryCounts(SlmClockCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Response 4 h and resolution 8 h, around the clock: both apply to
        # every ticket of the service.
        cls.agreement = cls._agreement(
            [cls._target("response", 4), cls._target("resolution", 8)]
        )
        cls.values = cls._ticket_values(user_id=cls.agent.id)
        cls.Ticket = cls.env["helpdesk.ticket"].with_user(cls.agent)

    def _new_ticket(self, at=None):
        with freeze_time(at or utc(2026, 3, 2, 9)):
            ticket = self.Ticket.create(dict(self.values))
        self.assertEqual(len(ticket.slm_clock_ids), 2)
        return ticket

    @warmup
    def test_ticket_create(self):
        with freeze_time(utc(2026, 3, 2, 9)), self.assertQueryCount(49):
            ticket = self.Ticket.create(dict(self.values))
        self.assertEqual(len(ticket.slm_clock_ids), 2)

    @warmup
    def test_public_reply(self):
        ticket = self._new_ticket()
        with freeze_time(utc(2026, 3, 2, 10)), self.assertQueryCount(29):
            ticket.message_post(
                body="Answer",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        response = ticket.slm_clock_ids.filtered(lambda c: c.metric == "response")
        self.assertEqual(response.stop, utc(2026, 3, 2, 10))

    @warmup
    def test_stage_change(self):
        ticket = self._new_ticket()
        with freeze_time(utc(2026, 3, 2, 10)), self.assertQueryCount(14):
            ticket.write({"stage_id": self.stage_progress.id})

    @warmup
    def test_close(self):
        ticket = self._new_ticket()
        with freeze_time(utc(2026, 3, 2, 11)), self.assertQueryCount(16):
            ticket.write({"stage_id": self.stage_done.id})
        self.assertEqual(set(ticket.slm_clock_ids.mapped("status")), {"met"})

    def _scan(self, count, queries):
        """One batch of the scan over ``count`` tickets whose response ran
        out (their resolution is not due yet)."""
        tickets = self.Ticket.browse()
        for _i in range(count):
            tickets |= self._new_ticket()
        clocks = tickets.slm_clock_ids.filtered(lambda c: c.metric == "response")
        # Only these clocks are due (demo data may hold others).
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE slm_clock SET next_alert_at = NULL WHERE NOT (id = ANY(%s))",
            [tickets.slm_clock_ids.ids],
        )
        self.env.invalidate_all()
        Clock = self.env["slm.clock"]
        with self.assertQueryCount(queries):
            alerted = Clock._cron_settle_due_clocks(now=utc(2026, 3, 2, 13, 30))
        self.assertEqual(alerted, count)
        self.assertEqual(set(clocks.mapped("status")), {"breached"})

    @warmup
    def test_breach_scan_one_clock(self):
        # 51 -> 50 (issue 14 item 4): no exists() query per escalation
        # candidate (the root user's id from the cached xmlid lookup).
        # +1 (negotiated deadline rule 4): the approved deadlines of the batch.
        self._scan(1, 51)

    @warmup
    def test_breach_scan_three_clocks(self):
        """Set-based: a due clock more costs nothing more (its breach, note,
        activity and follower notice are created with the others')."""
        # 55 -> 50 (issue 14 item 4): the related fields of the breaches
        # follow the clocks through slm.clock.breach_ids (one read for the
        # batch), the clocks' alert values written once per distinct set.
        self._scan(3, 51)

    @warmup
    def test_breach_scan_ten_clocks(self):
        """Ten due clocks on ten tickets: the same queries as one."""
        self._scan(10, 51)
