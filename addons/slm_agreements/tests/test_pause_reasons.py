# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Pause reason rules 1-6: the reason given with a move to a pausing stage,
required for a person's move when the target says so, never for the
system's; recorded on the move, shown in the timeline and on the portal,
and the paused time by reason equal to the clocks' paused time.

Hand-worked business time: Brussels office hours 08:00-17:00 local (UTC+1 in
early March 2026: 07:00-16:00 UTC); a resolution target of 8 business hours
pausing in *T Waiting Customer* and *T On Hold*, requiring a reason.
2026-03-02 is a Monday."""

import random
from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools import format_datetime

from ..tools.business_time import BusinessTime
from ..tools.clock_engine import PAUSED, Segment, compute_clock, pause_pieces
from .common import SlmClockCase, utc

T0 = utc(2026, 3, 2, 8)  # Monday 09:00 Brussels


class PauseReasonMixin:
    @classmethod
    def _pause_setup(cls):
        cls.stage_hold = cls.env["helpdesk.ticket.stage"].create(
            {"name": "T On Hold", "sequence": 3}
        )
        cls.agreement = cls._agreement(
            [
                cls._target(
                    "resolution",
                    8,
                    calendar=cls.brussels,
                    pause_stage_ids=[(6, 0, (cls.stage_waiting | cls.stage_hold).ids)],
                    pause_reason_required=True,
                )
            ],
            name="T Pause Reason SLA",
            provider_user_id=cls.manager.id,
        )
        cls.target = cls.agreement.target_ids
        cls.customer_r = cls.env.ref("slm_agreements.slm_pause_reason_customer")
        cls.third_party = cls.env.ref("slm_agreements.slm_pause_reason_third_party")
        cls.contact.tz = "Europe/Brussels"

    def _new(self, at=T0, **vals):
        return self._ticket(at, **vals)

    def _move(self, at, ticket, stage, reason=None, user=None):
        vals = {"stage_id": stage.id}
        if reason is not None:
            vals["slm_pause_reason_id"] = reason.id
        with freeze_time(at):
            ticket.with_user(user or self.agent).write(vals)

    @staticmethod
    def _last_move(ticket):
        return ticket.slm_event_ids.filtered(lambda e: e.event_type == "stage").sorted(
            lambda e: (e.date, e.id)
        )[-1:]


@tagged("post_install", "-at_install")
class TestPauseReasons(PauseReasonMixin, SlmClockCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._pause_setup()

    # -- rules 3 and 4: given, recorded, shown ---------------------------

    def test_reason_recorded_on_the_move(self):
        ticket = self._new()
        self._move(utc(2026, 3, 2, 10), ticket, self.stage_waiting, self.customer_r)
        move = self._last_move(ticket)
        self.assertEqual(move.stage_id, self.stage_waiting)
        self.assertEqual(move.reason_id, self.customer_r)
        self.assertEqual(move.user_id, self.agent)
        self.assertEqual(ticket.slm_pause_reason_id, self.customer_r)
        # Back to work: the move records no reason, the ticket shows none.
        self._move(utc(2026, 3, 2, 11), ticket, self.stage_progress)
        self.assertFalse(self._last_move(ticket).reason_id)
        self.assertFalse(ticket.slm_pause_reason_id)

    def test_reason_with_a_move_that_pauses_nothing_is_not_recorded(self):
        ticket = self._new()
        self._move(utc(2026, 3, 2, 10), ticket, self.stage_progress, self.third_party)
        self.assertEqual(ticket.stage_id, self.stage_progress)
        self.assertFalse(self._last_move(ticket).reason_id)

    def test_required_reason_missing_is_refused_for_a_person(self):
        ticket = self._new()
        events = ticket.slm_event_ids
        with self.assertRaisesRegex(UserError, "choose why in Pause Reason"):
            self._move(utc(2026, 3, 2, 10), ticket, self.stage_waiting)
        ticket.invalidate_recordset()
        self.assertEqual(ticket.stage_id, self.stage_new)
        self.assertEqual(ticket.slm_event_ids, events)
        # Whatever the context says: a context grants nothing (guard rule 1).
        hostile = ticket.with_user(self.agent).with_context(
            __action_done={}, slm_pause_reason_skip=True, active_test=False
        )
        with freeze_time(utc(2026, 3, 2, 10)), self.assertRaises(UserError):
            hostile.write({"stage_id": self.stage_hold.id})
        self.assertEqual(ticket.stage_id, self.stage_new)

    def test_not_required_moves_without_a_reason(self):
        # Not a term of the agreement: changed on an agreed one.
        self.target.with_user(self.manager).pause_reason_required = False
        ticket = self._new()
        self._move(utc(2026, 3, 2, 10), ticket, self.stage_waiting)
        self.assertEqual(ticket.stage_id, self.stage_waiting)
        self.assertFalse(self._last_move(ticket).reason_id)
        self.assertEqual(self._clock(ticket, self.target).status, "paused")

    def test_not_required_once_the_clock_stopped(self):
        """Only a clock still counting asks for a reason: a stopped clock
        (met at the closing) pauses no more."""
        ticket = self._new()
        self._move(utc(2026, 3, 2, 10), ticket, self.stage_done)
        clock = self._clock(ticket, self.target)
        self.assertEqual(clock.status, "met")
        self.assertFalse(ticket._slm_pause_reason_required_in(self.stage_waiting))

    def test_system_moves_never_fail(self):
        """Creation, automated and scheduled actions, the mail gateway and
        the customer's reply move as superuser: never refused, no reason."""
        # Created in a pausing stage, by an agent: never refused.
        with freeze_time(T0):
            created = (
                self.env["helpdesk.ticket"]
                .with_user(self.agent)
                .create(self._ticket_values(stage_id=self.stage_waiting.id))
            )
        self.assertFalse(created.slm_event_ids.reason_id)
        self.assertEqual(self._clock(created, self.target).status, "paused")
        # Created with a reason: recorded on the creation.
        with freeze_time(T0):
            with_reason = (
                self.env["helpdesk.ticket"]
                .with_user(self.agent)
                .create(
                    self._ticket_values(
                        stage_id=self.stage_hold.id,
                        slm_pause_reason_id=self.third_party.id,
                    )
                )
            )
        self.assertEqual(with_reason.slm_event_ids.reason_id, self.third_party)
        # An automated action's move (superuser): no reason, no refusal.
        ticket = self._new()
        with freeze_time(utc(2026, 3, 2, 10)):
            ticket.sudo().write({"stage_id": self.stage_waiting.id})
        self.assertEqual(ticket.stage_id, self.stage_waiting)
        self.assertFalse(self._last_move(ticket).reason_id)
        # An unusable reason given by the system: recorded as none.
        archived = self.env["slm.pause.reason"].create(
            {"name": "T Old reason", "active": False}
        )
        with freeze_time(utc(2026, 3, 2, 11)):
            ticket.sudo().write(
                {"stage_id": self.stage_hold.id, "slm_pause_reason_id": archived.id}
            )
        self.assertEqual(ticket.stage_id, self.stage_hold)
        self.assertFalse(self._last_move(ticket).reason_id)

    def test_unusable_reason_is_refused_for_a_person(self):
        ticket = self._new()
        other_company = self.env["res.company"].create({"name": "T Other Co"})
        foreign = self.env["slm.pause.reason"].create(
            {"name": "T Foreign reason", "company_id": other_company.id}
        )
        archived = self.env["slm.pause.reason"].create(
            {"name": "T Archived reason", "active": False}
        )
        for reason in (foreign, archived):
            with self.subTest(reason=reason.name):
                with self.assertRaisesRegex(ValidationError, "choose an active reason"):
                    self._move(utc(2026, 3, 2, 10), ticket, self.stage_waiting, reason)
                self.assertEqual(ticket.stage_id, self.stage_new)
        # A reason alone, without a move, is refused in the user's words.
        with self.assertRaisesRegex(UserError, "choose the stage too"):
            ticket.with_user(self.agent).write(
                {"slm_pause_reason_id": self.customer_r.id}
            )

    # -- rule 2: required with an empty list ------------------------------

    def test_required_with_an_empty_list_is_refused(self):
        Reason = self.env["slm.pause.reason"]
        offered = Reason.search(Reason._available_domain(self.company))
        # The last reason of a required target cannot be archived.
        with self.assertRaises(ValidationError) as caught:
            offered.write({"active": False})
        self.assertIn("list of pause reasons", str(caught.exception))
        offered.invalidate_recordset()
        self.assertTrue(all(offered.mapped("active")))
        # Nor moved, all of them, to another company.
        other_company = self.env["res.company"].create({"name": "T Other Co"})
        with self.assertRaises(ValidationError):
            offered.write({"company_id": other_company.id})
        offered.invalidate_recordset()
        self.assertFalse(offered.company_id)
        # Once not required, the list may be emptied; requiring is refused then.
        self.target.with_user(self.manager).pause_reason_required = False
        offered.write({"active": False})
        with self.assertRaises(ValidationError) as caught:
            self.target.with_user(self.manager).pause_reason_required = True
        self.assertIn("list of pause reasons", str(caught.exception))
        self.target.invalidate_recordset()
        self.assertFalse(self.target.pause_reason_required)
        with self.assertRaisesRegex(ValidationError, "list of pause reasons"):
            self.env["slm.agreement"].with_user(self.manager).create(
                {
                    "name": "T Draft requiring reasons",
                    "kind": "sla",
                    "structure": "service_based",
                    "date_start": "2026-01-01",
                    "service_ids": [(6, 0, self.service.ids)],
                    "target_ids": [
                        (
                            0,
                            0,
                            self._target("resolution", 4, pause_reason_required=True),
                        )
                    ],
                }
            )

    def test_reason_in_use_is_archived_not_deleted(self):
        ticket = self._new()
        self._move(utc(2026, 3, 2, 10), ticket, self.stage_waiting, self.third_party)
        with self.assertRaisesRegex(UserError, "archive it"):
            self.third_party.with_user(self.manager).unlink()

    # -- attacker's side ----------------------------------------------------

    def test_agent_cannot_write_events_reasons_or_paused_time(self):
        ticket = self._new()
        self._move(utc(2026, 3, 2, 10), ticket, self.stage_waiting, self.customer_r)
        self._refresh(ticket, utc(2026, 3, 2, 12))
        move = self._last_move(ticket)
        attack = {"slm_system_write": True, "active_test": False}
        with self.assertRaises(AccessError):
            move.with_user(self.agent).with_context(**attack).write(
                {"reason_id": self.third_party.id}
            )
        with self.assertRaises(AccessError):
            self.env["slm.ticket.event"].with_user(self.agent).with_context(
                **attack
            ).create(
                {
                    "ticket_id": ticket.id,
                    "event_type": "stage",
                    "stage_id": self.stage_progress.id,
                    "reason_id": self.third_party.id,
                }
            )
        pause = self.env["slm.clock.pause"].search([("ticket_id", "=", ticket.id)])
        self.assertTrue(pause)
        for user in (self.agent, self.manager):
            with self.assertRaises(AccessError):
                pause.with_user(user).with_context(**attack).write(
                    {"paused_seconds": 1}
                )
            with self.assertRaises(AccessError):
                pause.with_user(user).with_context(**attack).unlink()
        with self.assertRaises(AccessError):
            self.customer_r.with_user(self.agent).write({"name": "Hacked"})
        self.assertEqual(move.reason_id, self.customer_r)
        # The reason is read by agents (they choose it), the report is not.
        self.assertTrue(self.customer_r.with_user(self.agent).name)
        with self.assertRaises(AccessError):
            pause.with_user(self.agent).read(["paused_seconds"])


@tagged("post_install", "-at_install")
class TestPausedTimeByReason(PauseReasonMixin, SlmClockCase):
    """Rule 6: the report's figures are the clocks' paused seconds, split by
    the reason of each move."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._pause_setup()

    def _by_reason(self, ticket):
        rows = (
            self.env["slm.clock.pause"]
            .with_user(self.manager)
            ._read_group(
                [("ticket_id", "=", ticket.id)], ["reason_id"], ["paused_seconds:sum"]
            )
        )
        return {reason: seconds for reason, seconds in rows}

    def test_report_equals_the_clock_by_reason(self):
        ticket = self._new()  # 09:00 local
        # 11:00-13:00 local waiting for the customer, 13:00-14:00 on hold for
        # a third party, 15:00 local waiting again, moved by the system.
        self._move(utc(2026, 3, 2, 10), ticket, self.stage_waiting, self.customer_r)
        self._move(utc(2026, 3, 2, 12), ticket, self.stage_hold, self.third_party)
        self._move(utc(2026, 3, 2, 13), ticket, self.stage_progress)
        with freeze_time(utc(2026, 3, 2, 14)):
            ticket.sudo().write({"stage_id": self.stage_waiting.id})
        self._refresh(ticket, utc(2026, 3, 2, 15))  # 16:00 local
        clock = self._clock(ticket, self.target)
        self.assertEqual(clock.paused_seconds, 4 * 3600)
        none = self.env["slm.pause.reason"]
        expected = {
            self.customer_r: 2 * 3600,
            self.third_party: 3600,
            none: 3600,
        }
        self.assertEqual(self._by_reason(ticket), expected)
        # Overnight: the day ends at 17:00 local, Tuesday starts at 08:00.
        self._refresh(ticket, utc(2026, 3, 3, 8))  # Tuesday 09:00 local
        clock.invalidate_recordset()
        self.assertEqual(clock.paused_seconds, 6 * 3600)
        expected[none] = 3 * 3600
        self.assertEqual(self._by_reason(ticket), expected)
        self.assertEqual(sum(self._by_reason(ticket).values()), clock.paused_seconds)
        # The pieces say who paused, the team and the agreement.
        pieces = self.env["slm.clock.pause"].search([("ticket_id", "=", ticket.id)])
        self.assertEqual(
            pieces.filtered(lambda p: p.reason_id == self.third_party).user_id,
            self.agent,
        )
        self.assertEqual(pieces.team_id, self.team)
        self.assertEqual(pieces.agreement_id, self.agreement)
        # Resumed and recomputed by a person: the figures stay the clock's.
        self._move(utc(2026, 3, 3, 9), ticket, self.stage_progress)
        with freeze_time(utc(2026, 3, 3, 10)):
            ticket.with_user(self.manager).action_slm_recompute_clocks()
        clock.invalidate_recordset()
        self.assertEqual(clock.paused_seconds, 7 * 3600)
        self.assertEqual(sum(self._by_reason(ticket).values()), 7 * 3600)
        # Timeline (clock rule 19): the reason of each move, the paused time by
        # reason.
        with freeze_time(utc(2026, 3, 3, 10)):
            clock.invalidate_recordset(["timeline_html"])
            html = str(clock.timeline_html)
        self.assertIn("Paused time by reason", html)
        self.assertIn("Waiting for a third party", html)
        self.assertIn("No reason given", html)
        self.assertIn("1:00", html)

    def test_pieces_add_up_to_the_paused_time(self):
        """Property: on random histories, the pieces by mark add up to the
        engine's paused time, on a calendar and around the clock."""
        rng = random.Random(13)
        calendars = (
            BusinessTime.around_the_clock(),
            BusinessTime.for_calendar(self.brussels, company=self.company),
        )
        states = ["active", PAUSED, PAUSED, "closed", "away"]
        for _round in range(60):
            start = T0 + timedelta(minutes=rng.randrange(0, 600))
            instants = sorted(
                start + timedelta(minutes=rng.randrange(0, 4000)) for _i in range(6)
            )
            segments = [Segment(start, "active")] + [
                Segment(instant, rng.choice(states)) for instant in instants
            ]
            marks = [(instant, index) for index, instant in enumerate(instants)]
            now = start + timedelta(minutes=rng.randrange(1, 5000))
            stop = rng.choice([None, start + timedelta(minutes=rng.randrange(0, 5000))])
            for bt in calendars:
                result = compute_clock(bt, start, 3600 * 40, 0.75, segments, stop, now)
                pieces = pause_pieces(bt, start, segments, stop, now, marks)
                self.assertEqual(sum(p[3] for p in pieces), result.paused)


@tagged("post_install", "-at_install")
class TestPauseOnThePortal(PauseReasonMixin, SlmClockCase, HttpCase):
    """Rule 5: the customer reads why the ticket waits, and since when."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._pause_setup()
        cls.portal = cls._portal_user("slm_pause_customer", partner=cls.contact)

    def test_waiting_for_your_reply_since(self):
        ticket = self._new()
        moved_at = utc(2026, 3, 2, 10)
        self._move(moved_at, ticket, self.stage_waiting, self.customer_r)
        when = format_datetime(
            self.env, moved_at, tz="Europe/Brussels", dt_format="short"
        )
        pause = ticket.with_user(self.portal)._slm_portal_pause()
        self.assertEqual(
            pause["text"], f"Waiting for your reply since {when} (Europe/Brussels)"
        )
        self.assertTrue(pause["waiting_customer"])
        # Over HTTP, on the ticket's page.
        self.authenticate("slm_pause_customer", "slm_pause_customer")
        page = self.url_open(f"/my/ticket/{ticket.id}").text
        self.assertIn('id="slm_pause"', page)
        self.assertIn("Waiting for your reply since", page)
        # Back to work: nothing about waiting.
        self._move(utc(2026, 3, 2, 11), ticket, self.stage_progress)
        self.assertIsNone(ticket.with_user(self.portal)._slm_portal_pause())
        page = self.url_open(f"/my/ticket/{ticket.id}").text
        self.assertNotIn('id="slm_pause"', page)

    def test_no_reason_no_text_and_other_customers_see_nothing(self):
        ticket = self._new()
        with freeze_time(utc(2026, 3, 2, 10)):
            ticket.sudo().write({"stage_id": self.stage_waiting.id})
        self.assertIsNone(ticket.with_user(self.portal)._slm_portal_pause())
        stranger = self._portal_user("slm_pause_stranger", company=self.other_customer)
        with self.assertRaises(AccessError):
            ticket.with_user(stranger)._slm_portal_pause()
