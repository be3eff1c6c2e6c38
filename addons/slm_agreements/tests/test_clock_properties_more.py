# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""More of the engine against the minute-by-minute oracle (issue 18, item 3):
escalation-level instants and warning shares that are not whole seconds,
pause (or a team change) at the deadline, reopening after a breach,
temporary changes (extra hours, maintenance windows; reduced service is a
threshold, see ``test_clock_life``) and public holidays of several companies.

Example counts stay modest: the whole file runs in well under a minute.
"""

import datetime as dt
from contextlib import contextmanager, suppress

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from odoo.tests import TransactionCase, tagged

from . import brute_force as bf
from .test_clock_properties import (
    SETTINGS,
    ClockOracleMixin,
    _describe,
    _engine,
    calendar_and_start,
    calendars,
    clock_cases,
)

MINUTE = dt.timedelta(minutes=1)
# Escalation levels: below, at and past the deadline, and odd shares.
LEVEL_RATIOS = st.lists(
    st.sampled_from([0.5, 1.0, 1.25, 1.5, 2.0, 0.3333, 1.0001]),
    max_size=3,
    unique=True,
)
# Pause budgets in minutes (pause budget rules): none, short, long.
PAUSE_BUDGETS = st.one_of(st.none(), st.integers(1, 120), st.integers(121, 1200))
# Warning shares with two decimals in percent (66.67 %), 0 % included.
WARNING_RATIOS = st.integers(0, 9999).map(lambda hundredths: hundredths / 10000)


@st.composite
def windows(draw, start, count=2, long=3 * 1440):
    """0..count windows (start, end) on the minute grid around ``start``."""
    result = []
    for _i in range(draw(st.integers(0, count))):
        begin = start + MINUTE * draw(st.integers(-1440, 5 * 1440))
        result.append((begin, begin + MINUTE * draw(st.integers(1, long))))
    return result


class _Rollback(Exception):
    """Undo one example."""


@tagged("post_install", "-at_install")
class TestClockPropertiesMore(ClockOracleMixin, TransactionCase):
    @contextmanager
    def _rolled_back(self):
        """One example's records (public holidays of every company) are undone,
        not only released: they would count in the next examples."""
        with suppress(_Rollback), self.env.cr.savepoint():
            yield
            raise _Rollback

    def _engine_result(self, case, bt, ratios=()):
        _BusinessTime, compute_clock, Segment = _engine()
        budget = case.get("pause_budget")
        return compute_clock(
            bt,
            case["start"],
            case["threshold"] * 60,
            case["warning_ratio"],
            [Segment(start=at, state=state) for at, state in case["segments"]],
            case["stop"],
            case["now"],
            ratios=ratios,
            pause_budget=None if budget is None else budget * 60,
        )

    def _oracle_result(self, case, calendar=None, ratios=()):
        return bf.compute_clock(
            calendar or self._oracle_calendar(case["calendar"]),
            case["start"],
            case["threshold"],
            case["warning_ratio"],
            case["segments"],
            case["stop"],
            case["now"],
            ratios=ratios,
            pause_budget=case.get("pause_budget"),
        )

    def _compare(self, case, got, expected, label=""):
        what = f"{label}\n{_describe(case)}\n oracle={expected}\n engine={got}"
        self.assertEqual(got.used, expected.used * 60, f"used: {what}")
        self.assertEqual(got.paused, expected.paused * 60, f"paused: {what}")
        self.assertEqual(got.deadline, expected.deadline, f"deadline: {what}")
        self.assertEqual(got.warning_at, expected.warning_at, f"warning_at: {what}")
        self.assertEqual(got.status, expected.status, f"status: {what}")
        self.assertEqual(
            tuple(got.level_times), expected.level_times, f"level_times: {what}"
        )
        # Pause budget rules 1 and 7.
        what = f"{what}\n pause_budget={case.get('pause_budget')}"
        self.assertEqual(
            got.over_budget, expected.over_budget * 60, f"over_budget: {what}"
        )
        self.assertEqual(
            got.budget_exhausted_at,
            expected.budget_exhausted_at,
            f"budget_exhausted_at: {what}",
        )

    def _check(self, case, ratios=(), label=""):
        bt = self._business_time(case["calendar"])
        self._compare(
            case,
            self._engine_result(case, bt, ratios),
            self._oracle_result(case, ratios=ratios),
            label,
        )

    # ------------------------------------------------------- hand-worked

    def test_oracle_places_shares_to_the_second(self):
        """Mon/Wed/Fri 10:00-12:00 UTC, 3 h from Fri 6 March 10:00: 66.67 % =
        7,200.36 s -> Mon 10:00:01; 0 % at the start; 150 % = 4.5 h -> Fri
        10:00 + 2 h, Mon + 2 h, Wed 10:30."""
        calendar = bf.WeeklyCalendar("UTC", ((0, 10, 12), (2, 10, 12), (4, 10, 12)))
        start = dt.datetime(2026, 3, 6, 10)
        result = bf.compute_clock(
            calendar, start, 180, 0.6667, [], None, start, ratios=(0, 1.5)
        )
        self.assertEqual(result.warning_at, dt.datetime(2026, 3, 9, 10, 0, 1))
        self.assertEqual(result.level_times, (start, dt.datetime(2026, 3, 11, 10, 30)))
        self.assertEqual(result.deadline, dt.datetime(2026, 3, 9, 11))

    # ---------------------------------------------------- random cases

    @settings(max_examples=25, **SETTINGS)
    @given(clock_cases(avoid_dst_hours=True), WARNING_RATIOS, LEVEL_RATIOS)
    def test_property_levels_and_warning_shares(self, case, warning, ratios):
        """Warning shares with hundredths of a percent (not whole seconds) and
        escalation levels below, at and past the deadline."""
        case = dict(case, warning_ratio=warning)
        with self.env.cr.savepoint():
            self._check(case, tuple(ratios))

    @settings(max_examples=20, **SETTINGS)
    @given(
        clock_cases(avoid_dst_hours=True),
        st.sampled_from(["paused", "away", "closed"]),
        st.sampled_from([0, 1, 60]),
        LEVEL_RATIOS,
    )
    def test_property_pause_at_the_deadline(self, case, state, after, ratios):
        """The ticket leaves the active state at the very instant of its
        deadline (a pausing stage, another team, another supplier): at the
        deadline it is not yet breached; a minute later it is (clock rule 7)."""
        running = dict(case, stop=None, segments=case["segments"][:1])
        running["segments"] = [(case["start"], "active")]
        deadline = self._oracle_result(running).deadline
        assume(deadline is not None and deadline > case["start"])
        moved = dict(
            running,
            segments=[(case["start"], "active"), (deadline, state)],
            now=deadline + after * MINUTE,
        )
        with self.env.cr.savepoint():
            self._check(moved, tuple(ratios))

    @settings(max_examples=150, **SETTINGS)
    @given(clock_cases(), PAUSE_BUDGETS, LEVEL_RATIOS)
    def test_property_pause_budget(self, case, budget, ratios):
        """Pause budgets (pause budget rules 1 and 7): random calendars (DST
        changes included), histories with several pauses, stops and
        budgets: used, paused, over budget, the instant it ran out (or will),
        deadline, warning, levels and status equal the oracle's."""
        case = dict(case, pause_budget=budget)
        with self.env.cr.savepoint():
            try:
                self._check(case, tuple(ratios))
            except bf.OracleLimitExceeded:
                assume(False)

    @settings(max_examples=40, **SETTINGS)
    @given(
        clock_cases(avoid_dst_hours=True), PAUSE_BUDGETS, st.sampled_from([-1, 0, 1])
    )
    def test_property_pause_budget_around_its_end(self, case, budget, delta):
        """``now`` one minute before, at, or after the budget runs out of a
        ticket still waiting: paused, then running with a deadline."""
        waiting = dict(
            case,
            stop=None,
            pause_budget=budget,
            segments=[(case["start"], "active"), (case["now"], "paused")],
        )
        try:
            end = self._oracle_result(waiting).budget_exhausted_at
        except bf.OracleLimitExceeded:
            assume(False)
        assume(end is not None and end + delta * MINUTE >= case["now"])
        moved = dict(waiting, now=end + delta * MINUTE)
        with self.env.cr.savepoint():
            self._check(moved, (1.5,))

    @settings(max_examples=20, **SETTINGS)
    @given(
        clock_cases(avoid_dst_hours=True),
        st.integers(1, 600),
        st.integers(1, 2000),
        st.integers(0, 2000),
        st.booleans(),
    )
    def test_property_reopen_after_breach(self, case, late, closed, after, final):
        """Closed ``late`` minutes after the deadline (breached), reopened
        ``closed`` minutes later: the clock resumes, breached at its deadline,
        without a stop; optionally closed again ``after`` minutes later."""
        base = dict(case, stop=None, segments=[(case["start"], "active")])
        deadline = self._oracle_result(base).deadline
        assume(deadline is not None)
        close = deadline + late * MINUTE
        reopen = close + closed * MINUTE
        segments = [(case["start"], "active"), (close, "closed"), (reopen, "active")]
        stop = None
        now = reopen + after * MINUTE
        if final:
            now += MINUTE
            segments.append((now, "closed"))
            stop = now
        reopened = dict(base, segments=segments, stop=stop, now=now)
        with self.env.cr.savepoint():
            self._check(reopened, (1.5,))

    @settings(max_examples=20, **SETTINGS)
    @given(clock_cases(avoid_dst_hours=True), st.data())
    def test_property_temporary_changes(self, case, data):
        """Extra support hours (another calendar inside windows, several may
        overlap) and maintenance windows (no time counts): the engine's
        composed business time against the oracle's composed calendar."""
        BusinessTime = _engine()[0]
        extra = []
        for window_start, window_end in data.draw(windows(case["start"])):
            tz = data.draw(st.sampled_from(["UTC", case["calendar"].tz]))
            extra.append(
                (window_start, window_end, data.draw(calendars(tz, case["start"])))
            )
        removed = data.draw(windows(case["start"], long=600))
        oracle = bf.ComposedCalendar(
            self._oracle_calendar(case["calendar"]),
            tuple((a, b, self._oracle_calendar(cal)) for a, b, cal in extra),
            tuple(removed),
        )
        with self.env.cr.savepoint():
            bt = BusinessTime.composed(
                self._business_time(case["calendar"]),
                [(a, b, self._business_time(cal)) for a, b, cal in extra],
                removed,
            )
            try:
                expected = self._oracle_result(case, oracle, (1.5,))
            except bf.OracleLimitExceeded:
                assume(False)
            self._compare(case, self._engine_result(case, bt, (1.5,)), expected)

    @settings(max_examples=15, **SETTINGS)
    @given(calendar_and_start(avoid_dst_hours=True), st.data())
    def test_property_holidays_of_several_companies(self, example, data):
        """Public holidays (leaves without calendar) of our company, of
        another company, and of no company; the calendar is ours or shared by
        every company (then the agreement's company counts): only ours and
        company-less ones remove working time (clock rule 5)."""
        calendar, start = example
        assume(not calendar.around_the_clock)
        BusinessTime = _engine()[0]
        ours, theirs = self.env.company, self.company_b
        owners = data.draw(
            st.lists(st.sampled_from(["ours", "theirs", "none"]), max_size=4)
        )
        leaves = []
        for owner in owners:
            begin = start + MINUTE * 15 * data.draw(st.integers(-96, 4 * 96))
            end = begin + MINUTE * 15 * data.draw(st.integers(1, 3 * 96))
            leaves.append((owner, begin, end))
        shared = data.draw(st.booleans())
        end = start + MINUTE * data.draw(st.integers(1, 10 * 1440))
        minutes = data.draw(st.integers(1, min(2400, 2 * calendar.weekly_minutes())))
        counted = tuple((a, b) for owner, a, b in leaves if owner != "theirs")
        oracle = self._oracle_calendar(
            bf.WeeklyCalendar(
                calendar.tz,
                calendar.attendances,
                holidays_utc=calendar.holidays_utc + counted,
            )
        )
        with self._rolled_back():
            record = self._calendar_record(calendar)
            if shared:
                record.company_id = False
            Leave = self.env["resource.calendar.leaves"]
            for owner, begin, stop in leaves:
                leave = Leave.create(
                    {
                        "name": f"T {owner}",
                        "calendar_id": False,
                        "date_from": begin,
                        "date_to": stop,
                    }
                )
                leave.company_id = {"ours": ours, "theirs": theirs}.get(owner, False)
            bt = BusinessTime.for_calendar(record, company=ours)
            what = f"{calendar} leaves={leaves} shared={shared}"
            self.assertEqual(
                bt.elapsed(start, end),
                bf.elapsed_minutes(oracle, start, end) * 60,
                what,
            )
            self.assertEqual(
                bt.add(start, minutes * 60),
                bf.add_minutes(oracle, start, minutes),
                what,
            )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "T Other Company"})
