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
per ticket.

Each step pins two counts: all its queries (helpdesk_mgmt's and mail's
included), and those the suite adds (``assertSuiteQueryCount``: made by the
code of an slm_* addon, the flush included). benchmarks/bench_ticket_life.py
measures the same steps cold, against plain helpdesk_mgmt."""

import logging
import os
import sys
from contextlib import contextmanager
from unittest.mock import patch

from freezegun import freeze_time

from odoo.sql_db import Cursor
from odoo.tests import tagged
from odoo.tests.common import warmup

from ..tools.query_origin import describe, suite_frame
from .common import SlmClockCase, utc

_logger = logging.getLogger(__name__)

# All the queries of a step, and those the suite adds (see the docstring).
# Issue 14 lowered them from 49, 29, 14 and 16 in all: the agreements come
# from the registry's ticket index (no agreement, target or scope read), the
# working time from the registry's calendar blocks (no calendar, attendance
# or leave read), a new ticket's clocks are not searched, a notification
# message opens no savepoint, the clocks' related fields go in their INSERT.
# Then 36, 26, 13 and 13: the history read once per computation (it decides
# which targets apply and computes the clocks), a reply's check of earlier
# replies from that history, no read of negotiated deadlines for clocks that
# have none, no read of temporary changes for agreements that hold none; the
# clocks' settings from the registry's cache (clock rule 21), the internal
# subtypes too, a new clock's negotiated flag in its INSERT. (The INSERTs of
# helpdesk_mgmt and mail are theirs, although the catalogue's check of values
# wraps every create: from 10 and 12 to 6 and 11 by that count alone.)
CREATE_ALL, CREATE_SUITE = 27, 6
REPLY_ALL, REPLY_SUITE = 19, 11
STAGE_ALL, STAGE_SUITE = 9, 6
CLOSE_ALL, CLOSE_SUITE = 9, 6


def _callers(frame, depth=4):
    """The suite's frames that led to a query, nearest first (for the trace)."""
    callers = []
    while frame is not None and len(callers) < depth:
        if "/addons/slm_" in frame.f_code.co_filename:
            callers.append(describe(frame))
        frame = frame.f_back
    return " < ".join(callers)


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

    @contextmanager
    def assertSuiteQueryCount(self, expected):
        """The queries the suite adds to the step, its flush included: those
        whose nearest caller in an addon (the ORM's own frames skipped) is
        the suite's code (an slm_* addon, not its tests); a query of
        helpdesk_mgmt or mail made under one of the suite's overrides is
        theirs. Fails above ``expected`` (warm run only)."""
        counted = []
        execute = Cursor.execute

        def counting(cr, query, *args, **kwargs):
            frame = suite_frame(sys._getframe(1))
            if frame:
                counted.append((query, _callers(frame)))
            return execute(cr, query, *args, **kwargs)

        with patch.object(Cursor, "execute", counting):
            yield
            self.env.flush_all()
        if not self.warm:
            return
        if os.environ.get("SLM_TRACE_QUERIES"):
            # Which code of the suite made each query (for the benchmarks'
            # breakdown): SLM_TRACE_QUERIES=1 on the test run.
            for query, caller in counted:
                _logger.info("suite query at %s: %s", caller, str(query)[:200])
        if len(counted) > expected:
            self.fail(f"The suite adds {len(counted)} queries > {expected}")
        if len(counted) < expected:
            _logger.info(
                "The suite adds fewer queries: %d < %d", len(counted), expected
            )

    def _new_ticket(self, at=None):
        with freeze_time(at or utc(2026, 3, 2, 9)):
            ticket = self.Ticket.create(dict(self.values))
        self.assertEqual(len(ticket.slm_clock_ids), 2)
        return ticket

    @warmup
    def test_ticket_create(self):
        with (
            freeze_time(utc(2026, 3, 2, 9)),
            self.assertSuiteQueryCount(CREATE_SUITE),
            self.assertQueryCount(CREATE_ALL),
        ):
            ticket = self.Ticket.create(dict(self.values))
        self.assertEqual(len(ticket.slm_clock_ids), 2)

    @warmup
    def test_public_reply(self):
        ticket = self._new_ticket()
        with (
            freeze_time(utc(2026, 3, 2, 10)),
            self.assertSuiteQueryCount(REPLY_SUITE),
            self.assertQueryCount(REPLY_ALL),
        ):
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
        with (
            freeze_time(utc(2026, 3, 2, 10)),
            self.assertSuiteQueryCount(STAGE_SUITE),
            self.assertQueryCount(STAGE_ALL),
        ):
            ticket.write({"stage_id": self.stage_progress.id})

    @warmup
    def test_close(self):
        ticket = self._new_ticket()
        with (
            freeze_time(utc(2026, 3, 2, 11)),
            self.assertSuiteQueryCount(CLOSE_SUITE),
            self.assertQueryCount(CLOSE_ALL),
        ):
            ticket.write({"stage_id": self.stage_done.id})
        self.assertEqual(set(ticket.slm_clock_ids.mapped("status")), {"met"})

    def test_settings_cache_follows_the_settings(self):
        """The clocks' settings come from the registry's cache (clock rule
        21): a setting changed after a computation (a pausing stage, a
        process setting of an agreed target) governs the next one."""
        ticket = self._new_ticket()
        resolution = self.agreement.target_ids.filtered(
            lambda t: t.metric == "resolution"
        )
        resolution.sudo().write({"pause_stage_ids": [(6, 0, self.stage_progress.ids)]})
        # A later request: nothing of this one in the ORM cache.
        self.env.flush_all()
        self.env.invalidate_all()
        with freeze_time(utc(2026, 3, 2, 10)):
            ticket.write({"stage_id": self.stage_progress.id})
        clock = ticket.slm_clock_ids.filtered(lambda c: c.target_id == resolution)
        self.assertEqual(clock.status, "paused")

    def test_ticket_index_follows_the_agreements(self):
        """The agreements come from the registry's ticket index: an agreement
        agreed after it was filled governs the next ticket (clock rule 1)."""
        self.assertEqual(len(self._new_ticket().slm_clock_ids), 2)
        specific = self._agreement(
            [self._target("response", 1)],
            name="T Customer's own SLA",
            partner_id=self.customer.id,  # more specific: wins the slot
        )
        with freeze_time(utc(2026, 3, 2, 9)):
            ticket = self.Ticket.create(dict(self.values))
        self.assertEqual(ticket.slm_clock_ids.target_id, specific.target_ids)

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
        # -2: no "created" log message per breach (the ticket's note says it).
        # -5: no read of negotiated deadlines or temporary changes for clocks
        # and agreements that have none, the settings from the registry.
        self._scan(1, 44)

    @warmup
    def test_breach_scan_three_clocks(self):
        """Set-based: a due clock more costs nothing more (its breach, note,
        activity and follower notice are created with the others')."""
        # 55 -> 50 (issue 14 item 4): the related fields of the breaches
        # follow the clocks through slm.clock.breach_ids (one read for the
        # batch), the clocks' alert values written once per distinct set.
        self._scan(3, 44)

    @warmup
    def test_breach_scan_ten_clocks(self):
        """Ten due clocks on ten tickets: the same queries as one."""
        self._scan(10, 44)
