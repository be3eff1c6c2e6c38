# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The engine against the minute-by-minute oracle for the customer calendar
rules (issue 13, item 4): a calendar read in the customer's time zone (rule
1), and the agreement's holidays in addition to or instead of the company's
(rule 3).

The oracle needs nothing new: a calendar read in the customer's zone is, for
it, the same weekly calendar in that zone (holidays are UTC instants).
"""

import datetime as dt
from contextlib import contextmanager, suppress

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from odoo.tests import TransactionCase, tagged

from . import brute_force as bf
from .test_clock_properties import (
    SETTINGS,
    TIME_ZONES,
    ClockOracleMixin,
    _describe,
    _engine,
    calendar_and_start,
    clock_cases,
)

MINUTE = dt.timedelta(minutes=1)


class _Rollback(Exception):
    """Undo one example."""


@tagged("post_install", "-at_install")
class TestClockPropertiesCustomer(ClockOracleMixin, TransactionCase):
    @contextmanager
    def _rolled_back(self):
        """One example's records (public holidays) are undone: they would
        count in the next examples."""
        with suppress(_Rollback), self.env.cr.savepoint():
            yield
            raise _Rollback

    @settings(max_examples=60, **SETTINGS)
    @given(clock_cases(), st.sampled_from(TIME_ZONES))
    def test_property_clock_in_the_customer_zone(self, case, calendar_tz):
        """A calendar of ``calendar_tz`` read in the customer's zone (the
        case's, often shortly before one of its DST changes) == the oracle's
        calendar in the customer's zone (customer calendar rule 1)."""
        calendar = case["calendar"]
        assume(not calendar.around_the_clock)
        BusinessTime = _engine()[0]
        expected = self._oracle_clock(case)
        with self._rolled_back():
            record = self._calendar_record(calendar)
            record.tz = calendar_tz
            bt = BusinessTime.for_calendar(record, tz=calendar.tz)
            got = self._engine_clock(case, bt)
        what = f"calendar in {calendar_tz}\n{_describe(case)}\n oracle={expected}"
        self.assertEqual(got.used, expected.used * 60, f"used: {what}")
        self.assertEqual(got.paused, expected.paused * 60, f"paused: {what}")
        self.assertEqual(got.deadline, expected.deadline, f"deadline: {what}")
        self.assertEqual(got.warning_at, expected.warning_at, f"warning: {what}")
        self.assertEqual(got.status, expected.status, f"status: {what}")

    @settings(max_examples=25, **SETTINGS)
    @given(
        calendar_and_start(avoid_dst_hours=True),
        st.sampled_from(["add", "replace"]),
        st.data(),
    )
    def test_property_agreement_holidays(self, example, mode, data):
        """Leaves of the calendar itself, of the agreement's holiday calendar
        and public holidays of the company: in *add* mode all three remove
        working time, in *replace* mode the public holidays do not (customer
        calendar rule 3)."""
        calendar, start = example
        assume(not calendar.around_the_clock)
        BusinessTime = _engine()[0]
        owners = data.draw(
            st.lists(st.sampled_from(["own", "holidays", "company"]), max_size=4)
        )
        leaves = []
        for owner in owners:
            begin = start + MINUTE * 15 * data.draw(st.integers(-96, 4 * 96))
            end = begin + MINUTE * 15 * data.draw(st.integers(1, 3 * 96))
            leaves.append((owner, begin, end))
        end = start + MINUTE * data.draw(st.integers(1, 10 * 1440))
        minutes = data.draw(st.integers(1, min(2400, 2 * calendar.weekly_minutes())))
        counted = tuple(
            (a, b) for owner, a, b in leaves if owner != "company" or mode == "add"
        )
        oracle = bf.WeeklyCalendar(
            calendar.tz,
            calendar.attendances,
            holidays_utc=calendar.holidays_utc + counted,
        )
        if mode == "add":
            oracle = self._oracle_calendar(oracle)  # the company's, existing
        with self._rolled_back():
            record = self._calendar_record(calendar)
            holidays = self.env["resource.calendar"].create(
                {"name": "T Customer country holidays", "tz": "UTC"}
            )
            Leave = self.env["resource.calendar.leaves"]
            for owner, begin, stop in leaves:
                Leave.create(
                    {
                        "name": f"T {owner}",
                        "calendar_id": {"own": record, "holidays": holidays}.get(
                            owner, Leave.calendar_id
                        ).id,
                        "company_id": self.env.company.id,
                        "date_from": begin,
                        "date_to": stop,
                    }
                )
            bt = BusinessTime.for_calendar(
                record,
                company=self.env.company,
                holidays=holidays,
                replace=mode == "replace",
            )
            what = f"{calendar} leaves={leaves} mode={mode}"
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
