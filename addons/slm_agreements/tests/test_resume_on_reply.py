# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Channel rule 11: the customer's reply on a ticket in a stage that pauses
one of its clocks ends the pause at the message's instant and moves the
ticket to its team's stage on customer reply.

Hand-worked business time: Brussels office hours 08:00-17:00 local (UTC+1 in
early March 2026), a resolution target of 8 business hours paused in
*T Waiting Customer* (not marked *Waiting for the Customer*: the pause alone
makes it a waiting stage)."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from . import brute_force as bf
from . import test_portal_channels
from .common import SlmChannelCase, SlmClockCase, utc
from .test_clock_properties import SETTINGS, ClockOracleMixin
from .test_clock_storage import StoredClockMixin

T0 = utc(2026, 3, 2, 8)  # Monday 09:00 Brussels


class ResumeMixin:
    @classmethod
    def _business_sla(cls):
        """A service with an 8 h business-time resolution target paused while
        waiting; the team moves replies to *T In Progress*."""
        cls.office_service = cls.env["slm.service"].create(
            {
                "code": "TRES",
                "name": "T Resume Service",
                "owner_id": cls.manager.id,
                "state": "live",
                "customer_ids": [(6, 0, cls.customer.ids)],
            }
        )
        agreement = cls._agreement(
            [
                cls._target(
                    "resolution",
                    8,
                    calendar=cls.brussels,
                    pause_stage_ids=[(6, 0, cls.stage_waiting.ids)],
                )
            ],
            name="T Resume Agreement",
            service_ids=[(6, 0, cls.office_service.ids)],
            provider_user_id=cls.manager.id,
        )
        cls.office_target = agreement.target_ids
        cls.team.slm_customer_reply_stage_id = cls.stage_progress


@tagged("post_install", "-at_install")
class TestResumeOnReply(ResumeMixin, StoredClockMixin, SlmChannelCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._business_sla()

    def _waiting_ticket(self):
        """An e-mail ticket at 09:00 local, waiting from 11:00 local (2 h used)."""
        ticket, msg_id = self._email_ticket(T0, service_id=self.office_service.id)
        self._at(utc(2026, 3, 2, 10), ticket, stage_id=self.stage_waiting.id)
        clock = self._clock(ticket, self.office_target)
        self.assertEqual(clock.status, "paused")
        return ticket, msg_id, clock

    def test_customer_email_ends_the_pause_at_its_instant(self):
        ticket, msg_id, clock = self._waiting_ticket()
        # 14:00 local: 3 business hours paused.
        reply_at = utc(2026, 3, 2, 13)
        self._email_reply(reply_at, ticket, msg_id, "c@example.com")
        self.assertEqual(ticket.stage_id, self.stage_progress)
        move = ticket.slm_event_ids.filtered(
            lambda e: e.event_type == "stage" and e.stage_id == self.stage_progress
        )
        self.assertEqual(move.date, reply_at)
        self.assertEqual(clock.status, "running")
        self.assertEqual(clock.used_seconds, 2 * 3600)
        self.assertEqual(clock.paused_seconds, 3 * 3600)
        # 6 h left from 14:00 local: 3 h today, 3 h Tuesday from 08:00 local.
        self.assertEqual(clock.deadline, utc(2026, 3, 3, 10))
        self.assertStoredIsFresh(clock, reply_at)
        self.assertTrue(
            any(
                "the customer replied" in body
                for body in ticket.message_ids.mapped("body")
            )
        )

    def test_customer_message_post_counts_the_same(self):
        ticket, _msg_id, clock = self._waiting_ticket()
        portal = self._portal_user("slm_resume_contact", partner=self.contact)
        self._reply(utc(2026, 3, 2, 13), ticket, author=portal)
        self.assertEqual(ticket.stage_id, self.stage_progress)
        self.assertEqual(clock.paused_seconds, 3 * 3600)
        self.assertStoredIsFresh(clock, utc(2026, 3, 2, 13))

    def test_no_move_without_the_team_setting(self):
        self.team.slm_customer_reply_stage_id = False
        ticket, msg_id, clock = self._waiting_ticket()
        self._email_reply(utc(2026, 3, 2, 13), ticket, msg_id, "c@example.com")
        self.assertEqual(ticket.stage_id, self.stage_waiting)
        self.assertEqual(clock.status, "paused")

    def test_no_move_from_a_stage_that_does_not_pause(self):
        ticket, msg_id = self._email_ticket(T0, service_id=self.office_service.id)
        self._at(utc(2026, 3, 2, 10), ticket, stage_id=self.stage_new.id)
        self._email_reply(utc(2026, 3, 2, 13), ticket, msg_id, "c@example.com")
        self.assertEqual(ticket.stage_id, self.stage_new)

    def test_agent_note_does_not_move(self):
        ticket, _msg_id, clock = self._waiting_ticket()
        self._reply(utc(2026, 3, 2, 13), ticket, internal=True)
        self.assertEqual(ticket.stage_id, self.stage_waiting)
        self.assertEqual(clock.status, "paused")

    def test_failed_move_keeps_the_message(self):
        ticket, msg_id, clock = self._waiting_ticket()
        # A database constraint refuses the move (rolled back with the test).
        self.env.cr.execute(
            "ALTER TABLE helpdesk_ticket ADD CONSTRAINT t_slm_no_progress "
            f"CHECK (stage_id <> {int(self.stage_progress.id)})"
        )
        with (
            mute_logger("odoo.sql_db"),
            self.assertLogs(
                "odoo.addons.slm_agreements.models.helpdesk_ticket", "WARNING"
            ),
        ):
            self._email_reply(utc(2026, 3, 2, 13), ticket, msg_id, "c@example.com")
        self.assertTrue(
            any("Some answer" in body for body in ticket.message_ids.mapped("body"))
        )
        self.assertEqual(ticket.stage_id, self.stage_waiting)
        self.assertTrue(
            any("Not moved" in body for body in ticket.message_ids.mapped("body"))
        )
        # Nothing moved: the clock stays as the move to the waiting stage left it.
        self.assertEqual(clock.status, "paused")
        self.assertStoredIsFresh(clock, utc(2026, 3, 2, 10))

    def test_bad_settings_are_refused(self):
        with self.assertRaisesText(ValidationError, "pauses a service level target"):
            self.team.slm_customer_reply_stage_id = self.stage_waiting
        self.stage_new.slm_waiting_customer = True
        with self.assertRaisesText(ValidationError, "waits for the customer"):
            self.team.slm_customer_reply_stage_id = self.stage_new
        with self.assertRaisesText(ValidationError, "must be an open stage"):
            self.team.slm_customer_reply_stage_id = self.stage_done
        self.assertEqual(self.team.slm_customer_reply_stage_id, self.stage_progress)
        # And from the target's side: pausing in the reply stage is refused.
        with self.assertRaisesText(ValidationError, "moves tickets there"):
            self.office_target.pause_stage_ids = [(4, self.stage_progress.id)]
        self.assertEqual(self.office_target.pause_stage_ids, self.stage_waiting)


@tagged("post_install", "-at_install")
class TestResumeOnPortalReply(ResumeMixin, SlmClockCase, HttpCase):
    """Through the portal's chatter, over HTTP (real time)."""

    _portal_reply = test_portal_channels.TestPortalChannels._portal_reply

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._business_sla()
        cls._portal_user("slm_resume_portal", partner=cls.contact)

    def test_portal_reply_ends_the_pause(self):
        ticket = self.env["helpdesk.ticket"].create(
            self._ticket_values(service_id=self.office_service.id)
        )
        ticket.stage_id = self.stage_waiting
        self.authenticate("slm_resume_portal", "slm_resume_portal")
        self._portal_reply(ticket, "Here is the serial number")
        self.env.invalidate_all()
        self.assertEqual(ticket.stage_id, self.stage_progress)
        message = ticket.slm_event_ids.filtered(
            lambda e: e.event_type == "customer_message"
        )
        move = ticket.slm_event_ids.filtered(
            lambda e: e.event_type == "stage" and e.stage_id == self.stage_progress
        )
        self.assertEqual(move.date, message.date)
        clock = self._clock(ticket, self.office_target)
        self.assertNotEqual(clock.status, "paused")


# A random history: (minutes after the previous action, what happens).
# Mostly short gaps (the office hours), waits followed by the customer's
# replies; sometimes a night or a weekend.
ACTIONS = st.lists(
    st.tuples(
        st.one_of(st.integers(1, 180), st.integers(181, 3000)),
        st.sampled_from(["wait", "customer", "wait", "customer", "progress", "done"]),
    ),
    min_size=3,
    max_size=10,
)


@tagged("post_install", "-at_install")
class TestResumeOnReplyProperties(
    ResumeMixin, StoredClockMixin, ClockOracleMixin, SlmChannelCase
):
    """Channel rule 11 and the pause budget rules against the minute-by-minute
    oracle: random histories of a ticket (waiting, the customer's replies,
    back in progress, closed and reopened) with or without a pause budget;
    the stored clock equals the oracle's clock of the history the rules
    describe (a customer's reply while waiting ends the pause at its
    instant; elsewhere it changes nothing)."""

    OFFICE = bf.WeeklyCalendar("Europe/Brussels", tuple((d, 8, 17) for d in range(5)))

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._business_sla()
        cls.portal = cls._portal_user("slm_resume_property", partner=cls.contact)

    def _play(self, actions):
        """Play ``actions`` on a new ticket; returns the ticket, the expected
        segments (as the rules say), the stop and the last instant."""
        at = T0
        ticket = self._ticket(T0, service_id=self.office_service.id)
        segments = [(T0, "active")]
        state = "active"
        stop = None
        for minutes, action in actions:
            at += dt.timedelta(minutes=minutes)
            if action == "customer":
                if state == "closed":
                    continue  # not a reply to an open ticket: left out
                self._reply(at, ticket, author=self.portal)
                new = "active" if state == "paused" else state
            else:
                stage = {
                    "wait": self.stage_waiting,
                    "progress": self.stage_progress,
                    "done": self.stage_done,
                }[action]
                self._at(at, ticket, stage_id=stage.id)
                new = {"wait": "paused", "progress": "active", "done": "closed"}[action]
            if new != state:
                segments.append((at, new))
                stop = at if new == "closed" else None
                state = new
        return ticket, segments, stop, at

    @settings(max_examples=25, **SETTINGS)
    @given(ACTIONS, st.one_of(st.none(), st.integers(1, 600)), st.integers(0, 600))
    def test_property_replies_and_budget(self, actions, budget, after):
        with self.env.cr.savepoint():
            self.office_target.sudo().write(
                {"pause_budget": bool(budget), "pause_budget_hours": (budget or 0) / 60}
            )
            ticket, segments, stop, last = self._play(actions)
            now = last + dt.timedelta(minutes=after)
            self._refresh(ticket, now)
            clock = self._clock(ticket, self.office_target)
            clock.invalidate_recordset()
            expected = bf.compute_clock(
                self._oracle_calendar(self.OFFICE),
                T0,
                8 * 60,
                0.75,
                segments,
                stop,
                now,
                pause_budget=budget,
            )
            what = f"actions={actions} budget={budget} now={now}\n {expected}"
            self.assertEqual(
                {
                    "status": clock.status,
                    "deadline": clock.deadline or None,
                    "stop": clock.stop or None,
                    "used": clock.used_seconds,
                    "paused": clock.paused_seconds,
                    "over": clock.over_budget_seconds,
                    "exhausted": clock.pause_budget_exhausted_at or None,
                },
                {
                    "status": expected.status,
                    "deadline": expected.deadline,
                    "stop": expected.stop,
                    "used": expected.used * 60,
                    "paused": expected.paused * 60,
                    "over": expected.over_budget * 60,
                    "exhausted": expected.budget_exhausted_at,
                },
                what,
            )
            self.assertStoredIsFresh(clock, now)
