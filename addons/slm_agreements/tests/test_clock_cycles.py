# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Reopen cycles (clock rule 15) and business-day deadlines (clock rule 16):
hand-worked cases, the engine against the minute-by-minute oracle, and real
tickets whose stored clocks equal the engine's result (clock rule 14)."""

import datetime as dt

from freezegun import freeze_time
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import TransactionCase, tagged

from ..tools.clock_engine import (
    Segment,
    business_day_deadline,
    compute_clock,
    explain_spans,
    reopen_cycles,
    reply_cycles,
    update_cycles,
)
from . import brute_force as bf
from .common import SlmClockCase, utc
from .test_clock_properties import (
    SETTINGS,
    ClockOracleMixin,
    _describe,
    calendar_and_start,
    clock_cases,
)
from .test_clock_storage import StoredClockMixin

MINUTE = dt.timedelta(minutes=1)


@st.composite
def closing_histories(draw):
    """A start, a now, and sorted (instant, closed) pairs on distinct minutes."""
    start = utc(2026, 3, 2, 8) + MINUTE * draw(st.integers(0, 1440))
    span = draw(st.integers(1, 3 * 1440))
    offsets = sorted(draw(st.sets(st.integers(-60, span), max_size=8)))
    closings = [(start + MINUTE * offset, draw(st.booleans())) for offset in offsets]
    return start, start + MINUTE * span, closings


def _draw_history(data, choices):
    """A start and, on distinct minutes of the next 10 hours, customer
    messages, replies and (instant, closed) closings drawn from ``choices``."""
    start = utc(2026, 3, 2, 8)
    offsets = data.draw(st.lists(st.integers(0, 600), unique=True, max_size=12))
    drawn = [
        (start + MINUTE * offset, data.draw(st.sampled_from(choices)))
        for offset in offsets
    ]
    messages = [at for at, kind in drawn if kind == "message"]
    replies = [at for at, kind in drawn if kind == "reply"]
    closings = sorted(
        (at, kind == "close") for at, kind in drawn if kind in ("open", "close")
    )
    return start, messages, replies, closings


@tagged("post_install", "-at_install")
class TestCycleEngine(ClockOracleMixin, TransactionCase):
    """The pure engine: hand-worked, then against the oracle."""

    # ------------------------------------------------------------ hand-worked

    def test_reopen_cycles_hand_worked(self):
        start = utc(2026, 3, 2, 8)
        closings = [
            (utc(2026, 3, 2, 10), True),
            (utc(2026, 3, 2, 11), False),
            (utc(2026, 3, 2, 12), True),
            (utc(2026, 3, 2, 12, 30), True),  # marked as a duplicate: same closing
            (utc(2026, 3, 2, 13), False),
        ]
        expected = [
            (utc(2026, 3, 2, 8), utc(2026, 3, 2, 10)),
            (utc(2026, 3, 2, 11), utc(2026, 3, 2, 12)),
            (utc(2026, 3, 2, 13), None),
        ]
        self.assertEqual(reopen_cycles(start, closings), expected)
        self.assertEqual(bf.reopen_cycles(start, closings, utc(2026, 3, 3)), expected)
        # Created closed: a first cycle of no time, then one per reopening.
        created_closed = [(start, True), (utc(2026, 3, 2, 9), False)]
        self.assertEqual(
            reopen_cycles(start, created_closed),
            [(start, start), (utc(2026, 3, 2, 9), None)],
        )

    def test_business_day_deadline_hand_worked(self):
        """Brussels 08:00-17:00 Monday to Friday; summer time from Sunday
        29 March 2026; Easter Monday 6 April a holiday."""
        calendar = bf.WeeklyCalendar(
            tz="Europe/Brussels",
            attendances=tuple((day, 8, 17) for day in range(5)),
            holidays=((dt.date(2026, 4, 6), dt.date(2026, 4, 6)),),
        )
        bt = self._business_time(calendar)
        cases = [
            # Friday 15:00 CET: the same day at 17:00 CET.
            (utc(2026, 3, 27, 14), 0, utc(2026, 3, 27, 16)),
            # N = 1: Monday 17:00, summer time by then (15:00 UTC).
            (utc(2026, 3, 27, 14), 1, utc(2026, 3, 30, 15)),
            # Friday 18:00 CET, after hours: day 0 is Monday.
            (utc(2026, 3, 27, 17), 0, utc(2026, 3, 30, 15)),
            # Saturday: day 0 is Monday.
            (utc(2026, 3, 28, 10), 0, utc(2026, 3, 30, 15)),
            # Thursday 2 April 10:00 CEST, N = 2: Thursday, Friday, then
            # Tuesday (Monday is Easter Monday) at 17:00 CEST.
            (utc(2026, 4, 2, 8), 2, utc(2026, 4, 7, 15)),
        ]
        for start, days, expected in cases:
            self.assertEqual(
                business_day_deadline(bt, "Europe/Brussels", start, days),
                expected,
                f"{start} N={days}",
            )
            self.assertEqual(
                bf.business_day_deadline(self._oracle_calendar(calendar), start, days),
                expected,
                f"oracle {start} N={days}",
            )

    # ------------------------------------------------------------ properties

    @settings(max_examples=60, **SETTINGS)
    @given(closing_histories())
    def test_property_reopen_cycles(self, history):
        start, now, closings = history
        self.assertEqual(
            reopen_cycles(start, closings),
            bf.reopen_cycles(start, closings, now),
            f"start={start} closings={closings}",
        )

    @settings(max_examples=30, **SETTINGS)
    @given(clock_cases())
    def test_property_timeline_adds_up(self, case):
        """The timeline's counting spans add up to the time used, its paused
        ones to the paused time (clock rule 19)."""
        bt = self._business_time(case["calendar"])
        segments = [Segment(at, state) for at, state in case["segments"]]
        spans = explain_spans(bt, case["start"], segments, case["stop"], case["now"])
        result = self._engine_clock(case, bt)
        self.assertEqual(
            sum(s for _b, _e, st_, s in spans if st_ == "active"), result.used
        )
        self.assertEqual(
            sum(s for _b, _e, st_, s in spans if st_ == "paused"), result.paused
        )

    @settings(max_examples=25, **SETTINGS)
    @given(calendar_and_start(), st.integers(0, 4))
    def test_property_business_day_deadline(self, example, days):
        calendar, start = example
        assume(not calendar.around_the_clock)
        bt = self._business_time(calendar)
        self.assertEqual(
            business_day_deadline(bt, calendar.tz, start, days),
            bf.business_day_deadline(self._oracle_calendar(calendar), start, days),
            f"N={days} {calendar} start={start}",
        )

    @settings(max_examples=30, **SETTINGS)
    @given(clock_cases())
    def test_property_reopen_cycle_clocks(self, case):
        """Each cycle of a history with closings and reopenings: the engine's
        cycles and clocks equal the oracle's (clock rules 12 and 15)."""
        closings = [(at, state == "closed") for at, state in case["segments"]]
        start, now = case["start"], case["now"]
        cycles = reopen_cycles(start, closings)
        self.assertEqual(cycles, bf.reopen_cycles(start, closings, now))
        for begin, stop in cycles:
            if begin > now:
                continue
            cycle_case = dict(case, start=begin, stop=stop)
            expected = bf.compute_clock(
                self._oracle_calendar(case["calendar"]),
                begin,
                case["threshold"],
                case["warning_ratio"],
                case["segments"],
                stop,
                now,
            )
            self._assert_clock_equal(cycle_case, expected, f"cycle {begin}-{stop}")
        self.assertTrue(_describe(case))

    @settings(max_examples=20, **SETTINGS)
    @given(calendar_and_start(), st.integers(0, 3), st.integers(0, 3 * 1440))
    def test_property_business_day_clock(self, example, days, pause):
        """A business-day clock is a clock whose threshold is the business
        time from its start to its business-day deadline: without a pause it
        ends there, a pause pushes it by the paused business time."""
        calendar, start = example
        assume(not calendar.around_the_clock)
        oracle_calendar = self._oracle_calendar(calendar)
        bt = self._business_time(calendar)
        deadline = business_day_deadline(bt, calendar.tz, start, days)
        threshold = bt.elapsed(start, deadline)
        assume(threshold > 0)
        self.assertEqual(
            threshold, bf.elapsed_minutes(oracle_calendar, start, deadline) * 60
        )
        now = start + MINUTE * pause
        paused = [(start, "paused"), (now, "active")] if pause else []
        result = compute_clock(
            bt,
            start,
            threshold,
            0.75,
            [Segment(at, state) for at, state in paused],
            None,
            now,
        )
        expected = bf.compute_clock(
            oracle_calendar, start, threshold // 60, 0.75, paused, None, now
        )
        self.assertEqual(result.deadline, expected.deadline)
        self.assertEqual(
            bt.elapsed(deadline, result.deadline),
            bf.elapsed_minutes(oracle_calendar, start, now) * 60,
        )


@tagged("post_install", "-at_install")
class TestClockCycles(StoredClockMixin, SlmClockCase):
    """Real tickets with reopen cycles and business-day deadlines."""

    def _assert_fresh(self, ticket, now):
        for clock in ticket.slm_clock_ids:
            self.assertStoredIsFresh(clock, now)

    def test_reopen_new_cycle_hand_worked(self):
        """Resolution 4 h 24x7. Created Monday 2 March 08:00, closed 10:00
        (cycle 0 met, 2 h used), reopened 12:00 (cycle 1, deadline 16:00),
        closed 17:00 (cycle 1 breached at 16:00, 5 h used). Resume instead:
        one clock, 2 h + 2 h used by 14:00, breached at 14:00."""
        sla = self._agreement(
            [
                self._target("resolution", 4, reopen_policy="new_cycle"),
                self._target("resolution", 4, name="T resume"),
            ]
        )
        cycled, resumed = sla.target_ids
        ticket = self._ticket(utc(2026, 3, 2, 8))
        self._at(utc(2026, 3, 2, 10), ticket, stage_id=self.stage_done.id)
        self._at(utc(2026, 3, 2, 12), ticket, stage_id=self.stage_progress.id)
        clocks = self._clock(ticket, cycled).sorted("cycle")
        self.assertEqual(clocks.mapped("cycle"), [0, 1])
        self.assertEqual(clocks[0].status, "met")
        self.assertEqual(clocks[0].used_seconds, 2 * 3600)
        self.assertEqual(clocks[1].status, "running")
        self.assertEqual(clocks[1].start, utc(2026, 3, 2, 12))
        self.assertEqual(clocks[1].deadline, utc(2026, 3, 2, 16))
        self.assertEqual(clocks[1].warning_at, utc(2026, 3, 2, 15))
        self._at(utc(2026, 3, 2, 17), ticket, stage_id=self.stage_done.id)
        self.assertEqual(clocks.mapped("status"), ["met", "breached"])
        self.assertEqual(clocks[1].settled_date, utc(2026, 3, 2, 16))
        self.assertEqual(clocks[1].used_seconds, 5 * 3600)
        resume = self._clock(ticket, resumed)
        self.assertEqual(len(resume), 1)
        self.assertEqual(resume.status, "breached")
        self.assertEqual(resume.deadline, utc(2026, 3, 2, 14))
        self._assert_fresh(ticket, utc(2026, 3, 2, 18))
        # One result per cycle in attainment (clock rule 12).
        counts = self.env["slm.clock"]._attainment_counts(
            [("ticket_id", "=", ticket.id)], ["target_id"]
        )
        self.assertEqual(
            (counts[(cycled.id,)]["met"], counts[(cycled.id,)]["breached"]), (1, 1)
        )
        self.assertEqual(counts[(cycled.id,)]["attainment"], 50.0)
        self.assertEqual(counts[(resumed.id,)]["measured"], 1)
        # A person's recomputation gives the same cycles.
        self._person_recomputes(ticket, self.manager)
        self.assertEqual(
            self._clock(ticket, cycled).sorted("cycle").mapped("status"),
            ["met", "breached"],
        )

    def test_business_days_hand_worked(self):
        """Resolution by the end of business day 1, Brussels 08:00-17:00,
        warning 75 %. Created Friday 27 March 2026 15:00 CET: deadline Monday
        30 March 17:00 CEST (15:00 UTC), 11 business hours (2 on Friday, 9 on
        Monday); warning at 8 h 15 min: Monday 14:15 CEST (12:15 UTC). One
        hour in a pausing stage on Monday pushes the deadline to Tuesday
        09:00 CEST (07:00 UTC)."""
        vals = self._target(
            "resolution",
            8,
            self.brussels,
            threshold_unit="business_days",
            business_days=1,
            pause_stage_ids=[(6, 0, self.stage_waiting.ids)],
        )
        del vals["name"]  # named after the business days
        sla = self._agreement([vals])
        target = sla.target_ids
        self.assertEqual(target.name, "Resolution by business day 1")
        ticket = self._ticket(utc(2026, 3, 27, 14))
        clock = self._clock(ticket, target)
        self.assertEqual(clock.deadline, utc(2026, 3, 30, 15))
        self.assertEqual(clock.warning_at, utc(2026, 3, 30, 12, 15))
        self._at(utc(2026, 3, 30, 7), ticket, stage_id=self.stage_waiting.id)
        self.assertEqual(clock.status, "paused")
        self._at(utc(2026, 3, 30, 8), ticket, stage_id=self.stage_progress.id)
        self.assertEqual(clock.deadline, utc(2026, 3, 31, 7))
        self.assertEqual(clock.paused_seconds, 3600)
        self._assert_fresh(ticket, utc(2026, 3, 30, 8))
        # Paused again at 11:00 CEST: 2 h on Friday, 08:00-09:00 and
        # 10:00-11:00 on Monday used; the time left is 11 h - 4 h.
        self._at(utc(2026, 3, 30, 9), ticket, stage_id=self.stage_waiting.id)
        self.assertEqual(clock.used_seconds, 4 * 3600)
        left = clock._business_seconds_left(utc(2026, 3, 30, 10))
        self.assertEqual(left[clock.id], 7 * 3600)
        self._assert_fresh(ticket, utc(2026, 3, 30, 9))
        # The timeline (clock rule 19): counting 3 h (Friday 2 h, Monday
        # 08:00-09:00), paused 1 h, counting 1 h, paused since 11:00.
        timeline = clock._timeline(utc(2026, 3, 30, 10))
        self.assertEqual(
            [(state, seconds) for _b, _e, state, seconds in timeline["spans"]],
            [
                ("active", 3 * 3600),
                ("paused", 3600),
                ("active", 3600),
                ("paused", 3600),
            ],
        )
        self.assertEqual(timeline["threshold"], 11 * 3600)
        self.assertIn("end of business day 1: 11:00", clock.timeline_html)

    def test_bad_options_refused(self):
        agreement = self.env["slm.agreement"].create(
            {
                "name": "T Draft",
                "kind": "sla",
                "structure": "service_based",
                "date_start": "2020-01-01",
                "service_ids": [(6, 0, self.service.ids)],
            }
        )
        Target = self.env["slm.target"]
        base = dict(
            self._target("resolution", 8, self.brussels), agreement_id=agreement.id
        )
        cases = [
            (
                dict(base, metric="response", reopen_policy="new_cycle"),
                "response clocks are never reopened",
            ),
            (
                dict(base, threshold_unit="business_days", business_days=-1),
                "from 0 (the same day) to 260",
            ),
            (
                dict(base, threshold_unit="business_days", business_days=261),
                "from 0 (the same day) to 260",
            ),
            (
                dict(
                    self._target("resolution", 8),
                    agreement_id=agreement.id,
                    threshold_unit="business_days",
                ),
                "needs a working calendar",
            ),
        ]
        for vals, text in cases:
            with self.assertRaisesText(ValidationError, text):
                Target.create(vals)
        self.assertFalse(agreement.target_ids)
        target = Target.create(base)
        with self.assertRaisesText(ValidationError, "never reopened"):
            target.write({"metric": "response", "reopen_policy": "new_cycle"})
        self.assertEqual(target.reopen_policy, "resume")


@tagged("post_install", "-at_install")
class TestNextReplyEngine(TransactionCase):
    """Next-reply cycles (clock rule 17): hand-worked and against the oracle."""

    def test_reply_cycles_hand_worked(self):
        h = lambda hour, minute=0: utc(2026, 3, 2, hour, minute)  # noqa: E731
        messages = [h(8, 30), h(10), h(10, 30), h(13), h(18), h(20)]
        replies = [h(9), h(11), h(17)]
        closings = [(h(19), True)]
        expected = [(h(10), h(11)), (h(13), h(17)), (h(18), h(19))]
        self.assertEqual(reply_cycles(messages, replies, closings), expected)
        self.assertEqual(bf.reply_cycles(messages, replies, closings, h(21)), expected)
        # Never answered: no cycle.
        self.assertEqual(reply_cycles(messages, [], closings), [])

    @settings(max_examples=80, **SETTINGS)
    @given(st.data())
    def test_property_reply_cycles(self, data):
        start, messages, replies, closings = _draw_history(
            data, ["message", "message", "reply", "open", "close"]
        )
        self.assertEqual(
            reply_cycles(messages, replies, closings),
            bf.reply_cycles(messages, replies, closings, start + MINUTE * 601),
            f"messages={messages} replies={replies} closings={closings}",
        )


@tagged("post_install", "-at_install")
class TestNextReply(StoredClockMixin, SlmClockCase):
    """Real tickets: customer messages and agent replies drive the cycles."""

    def _customer_says(self, at, ticket):
        with freeze_time(at):
            ticket.message_post(
                body="Any news?",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                author_id=self.contact.id,
            )

    def test_next_reply_hand_worked(self):
        """Next reply 2 h 24x7, warning 75 %, paused while waiting. Monday
        2 March: created 08:00; the customer writes 08:30 (not answered yet:
        no cycle); first response 09:00; the customer writes 10:00 (cycle 0,
        deadline 12:00) and 10:30 (a cycle runs); reply 11:00 (cycle 0 met,
        1 h used); customer 13:00 (cycle 1, deadline 15:00); waiting
        14:00-15:00 (deadline 16:00); reply 17:00 (cycle 1 breached at 16:00);
        customer 18:00 (cycle 2), closed 19:00 (met, 1 h used). Attainment:
        2 met of 3."""
        sla = self._agreement(
            [
                self._target(
                    "next_reply", 2, pause_stage_ids=[(6, 0, self.stage_waiting.ids)]
                )
            ]
        )
        target = sla.target_ids

        def h(hour, minute=0):
            return utc(2026, 3, 2, hour, minute)

        ticket = self._ticket(h(8))
        self._customer_says(h(8, 30), ticket)
        self.assertFalse(self._clock(ticket, target))
        self._reply(h(9), ticket)
        self.assertFalse(self._clock(ticket, target))
        self._customer_says(h(10), ticket)
        clock = self._clock(ticket, target)
        self.assertEqual((clock.cycle, clock.status), (0, "running"))
        self.assertEqual((clock.start, clock.deadline), (h(10), h(12)))
        self.assertEqual(clock.warning_at, h(11, 30))
        self._customer_says(h(10, 30), ticket)
        self.assertEqual(len(self._clock(ticket, target)), 1)
        self._reply(h(11), ticket)
        self.assertEqual((clock.status, clock.stop), ("met", h(11)))
        self.assertEqual(clock.used_seconds, 3600)
        self._customer_says(h(13), ticket)
        self._at(h(14), ticket, stage_id=self.stage_waiting.id)
        self._at(h(15), ticket, stage_id=self.stage_progress.id)
        second = self._clock(ticket, target) - clock
        self.assertEqual((second.cycle, second.deadline), (1, h(16)))
        self._reply(h(17), ticket)
        self.assertEqual((second.status, second.stop), ("breached", h(17)))
        self.assertEqual(second.settled_date, h(16))
        # The analyst's breach links to the clock's timeline (clock rule 19):
        # start 13:00 + 2 h + 1 h paused = 16:00.
        breach = self.env["slm.breach"].sudo()._slm_create_for_clocks(second)
        self.assertEqual(breach.action_slm_open_timeline()["res_id"], second.id)
        timeline = second._timeline(h(17, 30))
        self.assertEqual((timeline["threshold"], timeline["pushed"]), (7200, 3600))
        self.assertEqual(
            [state for _b, _e, state, _s in timeline["spans"]],
            ["active", "paused", "active"],
        )
        self.assertIn("Deadline", second.timeline_html)
        self._customer_says(h(18), ticket)
        self._at(h(19), ticket, stage_id=self.stage_done.id)
        clocks = self._clock(ticket, target).sorted("cycle")
        self.assertEqual(clocks.mapped("status"), ["met", "breached", "met"])
        self.assertEqual(clocks[2].used_seconds, 3600)
        for each in clocks:
            self.assertStoredIsFresh(each, h(20))
        counts = self.env["slm.clock"]._attainment_counts(
            [("ticket_id", "=", ticket.id)]
        )[()]
        self.assertEqual((counts["met"], counts["breached"]), (2, 1))

    def test_next_reply_threshold_refused(self):
        agreement = self.env["slm.agreement"].create(
            {
                "name": "T Draft",
                "kind": "sla",
                "structure": "service_based",
                "date_start": "2020-01-01",
                "service_ids": [(6, 0, self.service.ids)],
            }
        )
        Target = self.env["slm.target"]
        for hours, text in ((0, "more than 0 hours"), (5000, "cannot be reached")):
            with self.assertRaisesText(ValidationError, text):
                Target.create(
                    dict(
                        self._target("next_reply", hours, self.brussels),
                        agreement_id=agreement.id,
                    )
                )
        with self.assertRaisesText(ValidationError, "never reopened"):
            Target.create(
                dict(
                    self._target("next_reply", 2),
                    agreement_id=agreement.id,
                    reopen_policy="new_cycle",
                )
            )

    def test_timeline_names_the_messages(self):
        """The events that start and stop a cycle name their message, the
        timeline shows it and a person's recomputation (clock rule 19)."""
        target = self._agreement([self._target("next_reply", 2)]).target_ids
        ticket = self._ticket(utc(2026, 3, 2, 8))
        self._reply(utc(2026, 3, 2, 9), ticket)
        self._customer_says(utc(2026, 3, 2, 10), ticket)
        self._reply(utc(2026, 3, 2, 11), ticket)
        events = self.env["slm.ticket.event"].search(
            [
                ("ticket_id", "=", ticket.id),
                ("event_type", "in", ("reply", "public_reply", "customer_message")),
            ]
        )
        self.assertEqual(len(events), 3)
        self.assertEqual(
            events.message_id.author_id,
            self.contact | self.agent.partner_id,
        )
        self.assertEqual(
            set(events.message_id.mapped("body")),
            set(
                ticket.message_ids.filtered(
                    lambda m: m.message_type == "comment"
                ).mapped("body")
            ),
        )
        # Written by the suite only (access rule 1).
        with self.assertRaises(AccessError):
            events[0].with_user(self.manager).write({"message_id": False})
        clock = self._clock(ticket, target)
        html = clock._timeline_html(utc(2026, 3, 2, 12))
        self.assertIn("T Contact: Any news?", html)
        self.assertIn(f'href="/mail/message/{events[1].message_id.id}"', html)
        self.assertIn("never recomputed by a person", html)
        self._person_recomputes(ticket, self.manager)
        html = self._clock(ticket, target)._timeline_html(utc(2026, 3, 2, 12))
        self.assertIn("Recomputed by a person", html)
        self.assertIn(self.manager.name, html)


@tagged("post_install", "-at_install")
class TestPeriodicUpdate(StoredClockMixin, SlmClockCase):
    """Periodic updates (clock rule 18): engine, oracle and real tickets."""

    def test_update_cycles_hand_worked(self):
        def h(hour, minute=0):
            return utc(2026, 3, 2, hour, minute)

        replies = [h(9), h(10, 30), h(14), h(15, 30)]
        closings = [(h(15), True), (h(16), False)]
        expected = [
            (h(9), h(10, 30)),
            (h(10, 30), h(14)),
            (h(14), h(15)),
            (h(16), None),
        ]
        self.assertEqual(update_cycles(replies, closings), expected)
        self.assertEqual(bf.update_cycles(replies, closings, h(17)), expected)
        self.assertEqual(update_cycles([], closings), [])

    @settings(max_examples=80, **SETTINGS)
    @given(st.data())
    def test_property_update_cycles(self, data):
        start, _messages, replies, closings = _draw_history(
            data, ["reply", "reply", "open", "close"]
        )
        self.assertEqual(
            update_cycles(replies, closings),
            bf.update_cycles(replies, closings, start + MINUTE * 601),
            f"replies={replies} closings={closings}",
        )

    def test_periodic_update_hand_worked(self):
        """Periodic update 2 h 24x7, paused while waiting. Monday 2 March:
        created 08:00; first reply 09:00 (cycle 0); reply 10:30 (cycle 0 met,
        1 h 30 used; cycle 1); waiting 11:00-12:00; reply 14:00 (cycle 1:
        deadline 10:30 + 2 h + the hour paused = 13:30, breached, 2 h 30
        used; cycle 2); closed 15:00 (cycle 2 met, 1 h); reopened 16:00
        (cycle 3, deadline 18:00). 2 met, 1 breached, 1 running."""
        sla = self._agreement(
            [
                self._target(
                    "periodic_update",
                    2,
                    pause_stage_ids=[(6, 0, self.stage_waiting.ids)],
                )
            ]
        )
        target = sla.target_ids

        def h(hour, minute=0):
            return utc(2026, 3, 2, hour, minute)

        ticket = self._ticket(h(8))
        self.assertFalse(self._clock(ticket, target))
        self._reply(h(9), ticket)
        self._reply(h(10, 30), ticket)
        self._at(h(11), ticket, stage_id=self.stage_waiting.id)
        self._at(h(12), ticket, stage_id=self.stage_progress.id)
        self._reply(h(14), ticket)
        self._at(h(15), ticket, stage_id=self.stage_done.id)
        self._at(h(16), ticket, stage_id=self.stage_progress.id)
        clocks = self._clock(ticket, target).sorted("cycle")
        self.assertEqual(clocks.mapped("cycle"), [0, 1, 2, 3])
        self.assertEqual(clocks.mapped("status"), ["met", "breached", "met", "running"])
        self.assertEqual(clocks.mapped("used_seconds")[:3], [5400, 9000, 3600])
        self.assertEqual(clocks[1].deadline, h(13, 30))
        self.assertEqual(clocks[1].paused_seconds, 3600)
        self.assertEqual(clocks[3].deadline, h(18))
        for clock in clocks:
            self.assertStoredIsFresh(clock, h(16))
        counts = self.env["slm.clock"]._attainment_counts(
            [("ticket_id", "=", ticket.id)]
        )[()]
        self.assertEqual((counts["met"], counts["breached"]), (2, 1))
        # The customer sees each cycle with its part of the timeline
        # (customer timer rule 4).
        with freeze_time(h(16)):
            explained = [t["explain"] for t in ticket._slm_portal_timers()[ticket.id]]
        self.assertIn(
            "(UTC): 2:30 of business time counted, 1:00 paused.",
            next(text for text in explained if text.startswith("Cycle 2, from")),
        )
        self.assertEqual(len(explained), 4)
