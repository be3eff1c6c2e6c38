# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Availability (clock rule 9): outages, availability targets, the figures
per agreement, service and month, their status, and the scheduled check.

The figures are hand-worked in the docstrings. The office calendar is UTC,
Monday to Friday 09:00-17:00: March 2026 has 22 working days, 176 hours.
"""

import datetime as dt
from unittest.mock import patch

from freezegun import freeze_time
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import BaseCase, tagged
from odoo.tools import mute_logger

from odoo.addons.resource.models.utils import Intervals

from ..tools import availability as avail
from ..tools.business_time import BusinessTime
from ..tools.timeline import intervals, pairs
from . import brute_force as bf
from .common import AFTER_MARCH, MARCH, AvailabilityCase

D = dt.datetime
HOUR = 3600


# ---------------------------------------------------------------- pure module


class _NoRecords:
    """What Odoo's ``Intervals`` expects as the records of an interval."""

    def union(self, *others):
        return self


NO_RECORDS = _NoRecords()


def _weekly_fetch(calendar):
    """Working intervals of a UTC ``bf.WeeklyCalendar``, day by day, minus its
    holidays (Odoo's ``Intervals``): an implementation independent of both the
    module under test and the minute-by-minute oracle."""

    def fetch(start, end):
        items = []
        day = start.date() - dt.timedelta(days=1)
        while day <= end.date() + dt.timedelta(days=1):
            midnight = D.combine(day, dt.time())
            for weekday, hour_from, hour_to in calendar.attendances:
                if weekday == day.weekday():
                    items.append(
                        (
                            midnight + dt.timedelta(hours=hour_from),
                            midnight + dt.timedelta(hours=hour_to),
                            NO_RECORDS,
                        )
                    )
            day += dt.timedelta(days=1)
        holidays = Intervals([(s, e, NO_RECORDS) for s, e in calendar.holidays_utc])
        return [(s, e) for s, e, _r in Intervals(items) - holidays]

    return fetch


def _oracle(calendar, period_start, period_end, maintenance, outages, now):
    """Agreed, agreed-to-date and downtime minutes, minute by minute."""
    agreed = to_date = down = 0
    minute = period_start
    while minute < period_end:
        if calendar.is_open(minute) and not any(
            s <= minute < e for s, e in maintenance
        ):
            agreed += 1
            if minute < now:
                to_date += 1
                if any(s <= minute < (e or now) for s, e in outages):
                    down += 1
        minute += bf.MINUTE
    return agreed, to_date, down


@st.composite
def _instants(draw, base, span_minutes):
    return base + dt.timedelta(minutes=15 * draw(st.integers(0, span_minutes // 15)))


@st.composite
def _cases(draw):
    base = D(2026, 3, 2)  # a Monday
    if draw(st.integers(0, 5)) == 0:
        calendar = bf.WeeklyCalendar(tz="UTC", around_the_clock=True)
    else:
        attendances = []
        for weekday in sorted(draw(st.sets(st.integers(0, 6), min_size=1))):
            first = draw(st.integers(0, 94))
            last = draw(st.integers(first + 1, 96))
            attendances.append((weekday, first / 4, last / 4))
        holidays = []
        for _i in range(draw(st.integers(0, 2))):
            start = draw(_instants(base, 6 * 1440))
            holidays.append(
                (start, start + dt.timedelta(minutes=15 * draw(st.integers(1, 200))))
            )
        calendar = bf.WeeklyCalendar(
            tz="UTC", attendances=tuple(attendances), holidays_utc=tuple(holidays)
        )
    period_start = draw(_instants(base, 1440))
    period_end = period_start + dt.timedelta(minutes=15 * draw(st.integers(0, 480)))
    maintenance = []
    for _i in range(draw(st.integers(0, 3))):
        start = draw(_instants(base - dt.timedelta(days=1), 7 * 1440))
        maintenance.append(
            (start, start + dt.timedelta(minutes=15 * draw(st.integers(1, 100))))
        )
    outages = []
    for _i in range(draw(st.integers(0, 5))):
        start = draw(_instants(base - dt.timedelta(days=1), 7 * 1440))
        end = (
            None
            if draw(st.integers(0, 4)) == 0
            else start + dt.timedelta(minutes=15 * draw(st.integers(1, 150)))
        )
        outages.append((start, end))
    now = draw(_instants(base - dt.timedelta(days=1), 8 * 1440))
    return calendar, period_start, period_end, maintenance, outages, now


@tagged("post_install", "-at_install")
class TestAvailabilityArithmetic(BaseCase):
    """``tools/availability.py`` without Odoo records: hand-worked cases, then
    random cases against a minute-by-minute oracle."""

    def test_interval_operations(self):
        h = [D(2026, 3, 2, hour) for hour in range(24)]
        self.assertEqual(
            pairs(intervals([(h[5], h[7]), (h[1], h[3]), (h[2], h[4]), (h[4], h[5])])),
            [(h[1], h[7])],
            "overlapping and touching intervals merge",
        )
        self.assertEqual(pairs(intervals([(h[3], h[3]), (h[4], h[2])])), [])
        self.assertEqual(
            pairs(intervals([(h[1], h[5]), (h[8], h[12])]) & intervals([(h[4], h[9])])),
            [(h[4], h[5]), (h[8], h[9])],
        )
        self.assertEqual(
            pairs(
                intervals([(h[1], h[10])])
                - intervals([(h[2], h[3]), (h[5], h[6]), (h[9], h[12])])
            ),
            [(h[1], h[2]), (h[3], h[5]), (h[6], h[9])],
        )
        self.assertEqual(
            pairs(intervals([(h[2], h[4])]) - intervals([(h[1], h[5])])), []
        )
        self.assertEqual(
            avail.until([(h[1], None), (h[2], h[3]), (h[8], h[9])], h[5]),
            [(h[1], h[5])],
            "an ongoing outage lasts until now; what comes after now has not happened",
        )

    def test_compute_hand_worked_24x7(self):
        """A day, 24x7: a maintenance window 02:00-04:00 leaves 22 h agreed.
        Outages 01:00-03:00 and 02:30-05:00 overlap and overlap the window:
        downtime = 01:00-02:00 + 04:00-05:00 = 2 h. At 12:00, 10 h have been
        agreed (00:00-12:00 minus the window), availability = 8 / 10 = 80 %."""
        bt = BusinessTime.around_the_clock()
        day = D(2026, 3, 2)
        figures = avail.compute(
            bt.elapsed,
            day,
            day + dt.timedelta(days=1),
            [(day.replace(hour=2), day.replace(hour=4))],
            [
                (day.replace(hour=1), day.replace(hour=3)),
                (day.replace(hour=2, minute=30), day.replace(hour=5)),
            ],
            day.replace(hour=12),
        )
        self.assertEqual(figures.agreed, 22 * HOUR)
        self.assertEqual(figures.agreed_to_date, 10 * HOUR)
        self.assertEqual(figures.downtime, 2 * HOUR)
        self.assertAlmostEqual(figures.availability, 80.0)

    def test_status_thresholds(self):
        """Agreed 100 h, objective 99 %: budget 1 h; warning 50 %: 0.5 h."""
        for downtime, closed, expected in (
            (0, False, avail.ACHIEVED),
            (HOUR // 2, False, avail.ACHIEVED),  # exactly the warning: not more
            (HOUR // 2 + 1, False, avail.AT_RISK),
            (HOUR, False, avail.AT_RISK),  # exactly the budget: still reachable
            (HOUR + 1, False, avail.MISSED),
            (HOUR, True, avail.ACHIEVED),  # over: no at-risk any more
            (HOUR + 1, True, avail.MISSED),
        ):
            with self.subTest(downtime=downtime, closed=closed):
                figures = avail.Availability(100 * HOUR, 50 * HOUR, downtime)
                self.assertEqual(figures.budget(99), HOUR)
                self.assertEqual(figures.status(99, 50, closed), expected)
        nothing = avail.Availability(0, 0, 0)
        self.assertEqual(nothing.availability, 100.0)
        self.assertEqual(nothing.status(99.5, 80, False), avail.ACHIEVED)

    @settings(
        max_examples=150,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(_cases())
    def test_property_against_minute_oracle(self, case):
        calendar, period_start, period_end, maintenance, outages, now = case
        if calendar.around_the_clock:
            bt = BusinessTime.around_the_clock()
        else:
            bt = BusinessTime(_weekly_fetch(calendar))
        figures = avail.compute(
            bt.elapsed, period_start, period_end, maintenance, outages, now
        )
        agreed, to_date, down = _oracle(
            calendar, period_start, period_end, maintenance, outages, now
        )
        what = f"{case}"
        self.assertEqual(figures.agreed, agreed * 60, f"agreed: {what}")
        self.assertEqual(figures.agreed_to_date, to_date * 60, f"to date: {what}")
        self.assertEqual(figures.downtime, down * 60, f"downtime: {what}")


# ------------------------------------------------------------- with records


@tagged("post_install", "-at_install")
class TestAvailability(AvailabilityCase):
    """Outages, availability targets and the monthly figures."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sla = cls._agreement(
            cls.svc_a | cls.svc_other,
            [cls._availability_target(objective=99.5, calendar=cls.office)],
        )
        cls.target = cls.sla.target_ids

    # ------------------------------------------------------------------
    # Rule 9, hand-worked
    # ------------------------------------------------------------------

    def test_overlapping_outages_count_once(self):
        """A down Tue 3 March 10:00-12:00, the other service 11:00-13:00, and A
        again 10:30-11:00: the agreement is down 10:00-13:00 = 3 h; A alone
        2 h, the other service alone 2 h. Availability = (176 - 3) / 176."""
        self._outage(self.svc_a, "2026-03-03 10:00:00", "2026-03-03 12:00:00")
        self._outage(self.svc_other, "2026-03-03 11:00:00", "2026-03-03 13:00:00")
        self._outage(self.svc_a, "2026-03-03 10:30:00", "2026-03-03 11:00:00")
        self._refresh(AFTER_MARCH)
        whole = self._row(self.target)
        self.assertEqual(whole.agreed_hours, 176)
        self.assertEqual(whole.downtime_hours, 3)
        self.assertAlmostEqual(whole.availability_pct, 100 * 173 / 176)
        self.assertEqual(self._row(self.target, self.svc_a).downtime_hours, 2)
        self.assertEqual(self._row(self.target, self.svc_other).downtime_hours, 2)
        self.assertTrue(whole.closed)
        # Budget 0.5 % of 176 h = 0.88 h: 3 h misses the month.
        self.assertAlmostEqual(whole.budget_hours, 0.88)
        self.assertEqual(whole.status, "missed")

    def test_outage_partly_outside_service_hours(self):
        """Wed 4 March 16:00 to Thu 10:00 counts 16:00-17:00 and 09:00-10:00
        (2 h); Sat 7 March 00:00 to Mon 9 March 09:30 counts 09:00-09:30: 2.5 h."""
        self._outage(self.svc_a, "2026-03-04 16:00:00", "2026-03-05 10:00:00")
        self._outage(self.svc_a, "2026-03-07 00:00:00", "2026-03-09 09:30:00")
        self._refresh(AFTER_MARCH)
        self.assertEqual(self._row(self.target).downtime_hours, 2.5)
        self.assertEqual(self._row(self.target, self.svc_a).downtime_hours, 2.5)
        self.assertEqual(self._row(self.target, self.svc_other).downtime_hours, 0)

    def test_maintenance_window_is_not_agreed_time(self):
        """An approved window Tue 10 March 09:00-13:00 leaves 176 - 4 = 172 h.
        Work inside it (10:00-12:00) never counts; planned work 12:00-14:00
        counts 13:00-14:00 only (1 h). A window not approved changes nothing."""
        self._maintenance(self.sla, "2026-03-10 09:00:00", "2026-03-10 13:00:00")
        self._maintenance(
            self.sla, "2026-03-11 09:00:00", "2026-03-11 17:00:00", approve=False
        )
        self._outage(
            self.svc_a, "2026-03-10 10:00:00", "2026-03-10 12:00:00", kind="planned"
        )
        self._outage(
            self.svc_a, "2026-03-10 12:00:00", "2026-03-10 14:00:00", kind="planned"
        )
        self._refresh(AFTER_MARCH)
        whole = self._row(self.target)
        self.assertEqual(whole.agreed_hours, 172)
        self.assertEqual(whole.downtime_hours, 1)
        self.assertAlmostEqual(whole.availability_pct, 100 * 171 / 172)

    def test_approving_a_window_updates_the_figures_at_once(self):
        """Approving the window Tue 10 March 09:00-13:00 takes its 4 h out of
        March's 176 h at once, without waiting for the hourly refresh;
        cancelling it puts them back."""
        self._refresh(AFTER_MARCH)
        self.assertEqual(self._row(self.target).agreed_hours, 176)
        window = self._maintenance(
            self.sla, "2026-03-10 09:00:00", "2026-03-10 13:00:00"
        )
        self.assertEqual(self._row(self.target).agreed_hours, 172)
        window.with_user(self.manager).action_cancel()
        self.assertEqual(self._row(self.target).agreed_hours, 176)

    def test_public_holiday_is_not_service_time(self):
        """Mon 16 March is a public holiday of the calendar: 176 - 8 = 168 h,
        and an outage that day 10:00-12:00 counts nothing."""
        self.env["resource.calendar.leaves"].create(
            {
                "name": "T Holiday",
                "calendar_id": self.office.id,
                "date_from": "2026-03-16 00:00:00",
                "date_to": "2026-03-17 00:00:00",
            }
        )
        self._outage(self.svc_a, "2026-03-16 10:00:00", "2026-03-16 12:00:00")
        self._refresh(AFTER_MARCH)
        whole = self._row(self.target)
        self.assertEqual(whole.agreed_hours, 168)
        self.assertEqual(whole.downtime_hours, 0)
        self.assertEqual(whole.availability_pct, 100)
        self.assertEqual(whole.status, "achieved")

    def test_around_the_clock(self):
        """24x7, agreement in UTC: March = 31 x 24 = 744 h; Saturday 7 March
        10:00-14:00 is 4 h of downtime (none for the office target), 28 Feb
        23:30-1 March 00:30 UTC 30 minutes of it. A calendar in Brussels on a
        24x7 target (hidden by its form) changes nothing: months run in the
        agreement's time zone (clock rule 13). Agreement in Brussels: March
        runs from 28 Feb 23:00 UTC to 31 March 22:00 UTC, 743 h (the clocks
        go forward on 29 March); the whole 28 Feb 23:30-1 March 00:30 UTC
        outage is in it, 1 h.

        (Before the period rule, the hidden calendar's zone set the months:
        this test then expected 743 h for the UTC agreement's Brussels
        target.)"""
        brussels = self.env["resource.calendar"].create(
            {"name": "T Brussels 24x7", "tz": "Europe/Brussels"}
        )
        sla = self._agreement(
            self.svc_a,
            [
                self._availability_target(objective=99),
                self._availability_target(
                    objective=99, around_the_clock=True, calendar_id=brussels.id
                ),
                self._availability_target(objective=99, calendar=self.office),
            ],
            tz="UTC",
        )
        utc_target, hidden_calendar_target, office_target = sla.target_ids
        sla_brussels = self._agreement(
            self.svc_a,
            [self._availability_target(objective=99)],
            name="T Availability SLA in Brussels",
            tz="Europe/Brussels",
        )
        self._outage(self.svc_a, "2026-03-07 10:00:00", "2026-03-07 14:00:00")
        self._outage(self.svc_a, "2026-02-28 23:30:00", "2026-03-01 00:30:00")
        self._refresh(AFTER_MARCH)
        for target in (utc_target, hidden_calendar_target):
            self.assertEqual(self._row(target).agreed_hours, 744)
            self.assertEqual(self._row(target).downtime_hours, 4.5)
        self.assertEqual(self._row(sla_brussels.target_ids).agreed_hours, 743)
        self.assertEqual(self._row(sla_brussels.target_ids).downtime_hours, 5)
        self.assertEqual(self._row(office_target).downtime_hours, 0)

    def test_ongoing_outage_counts_until_now(self):
        """Down since Fri 20 March 15:00, at Mon 23 March 11:00: 15:00-17:00
        and 09:00-11:00, 4 h. Agreed so far: 15 days x 8 h + 2 h = 122 h, so
        availability so far = 118 / 122; the month's budget is 0.88 h: missed.
        Back at 12:00 and seen on 25 March: 5 h."""
        outage = self._outage(self.svc_a, "2026-03-20 15:00:00")
        self.assertTrue(outage.ongoing)
        self._refresh(D(2026, 3, 23, 11, 0))
        whole = self._row(self.target)
        self.assertEqual(whole.downtime_hours, 4)
        self.assertEqual(whole.agreed_to_date_hours, 122)
        self.assertEqual(whole.agreed_hours, 176)
        self.assertAlmostEqual(whole.availability_pct, 100 * 118 / 122)
        self.assertFalse(whole.closed)
        self.assertEqual(whole.status, "missed")
        outage.date_end = "2026-03-23 12:00:00"
        self.assertFalse(outage.ongoing)
        self._refresh(D(2026, 3, 25, 9, 0))
        self.assertEqual(self._row(self.target).downtime_hours, 5)

    def test_status_rule(self):
        """Objective 99 %, warning 50 %: budget = 1 % of 176 h = 1.76 h, warning
        above 0.88 h. Seen on 31 March 18:00 (the month still running):
        0.5 h achieved, 1 h at risk, 1.76 h (the whole budget) at risk,
        2 h missed. Once March is over, 1 h is achieved."""
        sla = self._agreement(
            self.svc_a,
            [self._availability_target(objective=99, warning=50, calendar=self.office)],
        )
        target = sla.target_ids
        outage = self._outage(self.svc_a, "2026-03-03 10:00:00", "2026-03-03 10:30:00")
        running = D(2026, 3, 31, 18, 0)
        for end, status in (
            ("2026-03-03 10:30:00", "achieved"),
            ("2026-03-03 11:00:00", "at_risk"),
            ("2026-03-03 11:45:36", "at_risk"),
            ("2026-03-03 12:00:00", "missed"),
        ):
            with self.subTest(end=end):
                outage.date_end = end
                self._refresh(running)
                row = self._row(target)
                self.assertAlmostEqual(row.budget_hours, 1.76)
                self.assertEqual(row.status, status)
        outage.date_end = "2026-03-03 11:00:00"
        self._refresh(AFTER_MARCH)
        self.assertEqual(self._row(target).status, "achieved")
        self.assertAlmostEqual(self._row(target).budget_used_pct, 100 / 1.76)

    def test_agreement_in_force_part_of_the_month(self):
        """An agreement from 16 March: 12 working days, 96 h; an outage on
        10 March is before it and does not count."""
        sla = self._agreement(
            self.svc_a,
            [self._availability_target(calendar=self.office)],
            date_start="2026-03-16",
        )
        self._outage(self.svc_a, "2026-03-10 10:00:00", "2026-03-10 12:00:00")
        self._refresh(AFTER_MARCH)
        row = self._row(sla.target_ids)
        self.assertEqual(row.agreed_hours, 96)
        self.assertEqual(row.downtime_hours, 0)

    def test_agreement_without_services_covers_the_live_ones(self):
        """No services: every live service of the company. A pipeline service's
        outage does not count; a live one's does (1 h)."""
        pipeline = self.Service.create(
            {"code": "TAVP", "name": "T Pipeline", "owner_id": self.owner.id}
        )
        sla = self._agreement(
            self.Service.browse(),
            [self._availability_target(calendar=self.office)],
            structure="multi_level",
            level="corporate",
        )
        self._outage(pipeline, "2026-03-03 10:00:00", "2026-03-03 12:00:00")
        self._outage(self.svc_other, "2026-03-04 10:00:00", "2026-03-04 11:00:00")
        self._refresh(AFTER_MARCH)
        self.assertEqual(self._row(sla.target_ids).downtime_hours, 1)
        self.assertFalse(self._row(sla.target_ids, pipeline))
        self.assertEqual(self._row(sla.target_ids, self.svc_other).downtime_hours, 1)

    def test_inherited_target_and_higher_level_window(self):
        """A customer level inherits the corporate 24x7 target (99.5 %) and the
        corporate maintenance window 10 March 09:00-13:00: agreed 744 - 4 =
        740 h for both; A down 12:00-14:00 counts 13:00-14:00, 1 h."""
        corporate = self._agreement(
            self.Service.browse(),
            [self._availability_target()],
            name="T Corporate",
            structure="multi_level",
            level="corporate",
        )
        customer = self._agreement(
            self.svc_a,
            [],
            name="T Customer Level",
            structure="multi_level",
            level="customer",
            parent_id=corporate.id,
            partner_id=self.customer_a.id,
            customer_signed_by_id=self.customer_a.id,
        )
        self._maintenance(corporate, "2026-03-10 09:00:00", "2026-03-10 13:00:00")
        self._outage(self.svc_a, "2026-03-10 12:00:00", "2026-03-10 14:00:00")
        self._refresh(AFTER_MARCH)
        target = corporate.target_ids
        for agreement in (corporate, customer):
            with self.subTest(agreement=agreement.name):
                row = self._row(target, agreement=agreement)
                self.assertEqual(row.agreed_hours, 740)
                self.assertEqual(row.downtime_hours, 1)
        self.assertEqual(
            self._row(target, self.svc_a, agreement=customer).downtime_hours, 1
        )
        self.assertFalse(self._row(target, self.svc_other, agreement=customer))

    def test_outages_keep_the_figures_current(self):
        """Recording, moving, archiving and deleting an outage refresh its
        months at once (here seen after March: final figures)."""
        outage = self._outage(self.svc_a, "2026-03-03 10:00:00", "2026-03-03 12:00:00")
        self.assertEqual(self._row(self.target).downtime_hours, 2)
        outage.date_end = "2026-03-03 11:00:00"
        self.assertEqual(self._row(self.target).downtime_hours, 1)
        outage.write(
            {"date_start": "2026-02-03 10:00:00", "date_end": "2026-02-03 11:00:00"}
        )
        self.assertEqual(self._row(self.target).downtime_hours, 0)
        february = self._row(self.target, month=MARCH.replace(month=2))
        self.assertEqual(february.downtime_hours, 1)
        self.assertEqual(february.agreed_hours, 20 * 8)
        outage.active = False
        self.assertEqual(february.downtime_hours, 0)
        outage.active = True
        self.assertEqual(february.downtime_hours, 1)
        outage.unlink()
        self.assertEqual(february.downtime_hours, 0)

    def test_outage_through_dependencies(self):
        """An outage of C takes down B and A (A needs B, B needs C): it counts
        against the agreement on A. A redundant B may be taken out; C may not."""
        outage = self._outage(self.svc_c, "2026-03-03 10:00:00", "2026-03-03 11:00:00")
        self.assertEqual(
            outage.impacted_service_ids, self.svc_a | self.svc_b | self.svc_c
        )
        self.assertEqual(self._row(self.target).downtime_hours, 1)
        self.assertEqual(self._row(self.target, self.svc_a).downtime_hours, 1)
        self.assertEqual(self.svc_a.outage_count, 1)
        self.assertEqual(self.svc_other.outage_count, 0)
        outage.impacted_service_ids -= self.svc_a | self.svc_b
        self.assertEqual(self._row(self.target).downtime_hours, 0)
        with self.assertRaisesText(ValidationError, "always among the impacted"):
            outage.impacted_service_ids = self.svc_a
        outage.invalidate_recordset()
        self.assertEqual(outage.impacted_service_ids, self.svc_c)
        # Later catalogue changes do not rewrite a recorded outage.
        self.svc_other.dependency_ids = self.svc_c
        self.assertEqual(outage.impacted_service_ids, self.svc_c)
        self.assertEqual(
            self._outage(self.svc_c, "2026-03-05 10:00:00").impacted_service_ids,
            self.svc_a | self.svc_b | self.svc_c | self.svc_other,
        )

    # ------------------------------------------------------------------
    # Targets: availability runs no ticket clock
    # ------------------------------------------------------------------

    def test_availability_target_runs_no_clock(self):
        """A ticket on A: the agreement on A (availability only) does not take
        the ticket from a broader agreement with a resolution target."""
        broad = self._agreement(
            self.Service.browse(),
            [
                {
                    "metric": "resolution",
                    "threshold_hours": 8,
                    "calendar_id": self.office.id,
                },
                self._availability_target(calendar=self.office),
            ],
            name="T Broad SLA",
            structure="customer_based",
            partner_id=self.customer_a.id,
            customer_signed_by_id=self.customer_a.id,
        )
        ticket = self._ticket(service_id=self.svc_a.id, partner_id=self.customer_a.id)
        self.assertEqual(ticket.service_id, self.svc_a)
        clocks = ticket.slm_clock_ids
        self.assertEqual(clocks.target_id.mapped("metric"), ["resolution"])
        self.assertEqual(clocks.agreement_id, broad)
        wizard = self.env["slm.simulation.wizard"].create({"agreement_id": self.sla.id})
        with self.assertRaisesText(UserError, "no response or resolution targets"):
            wizard.action_run()

    def test_availability_target_numbers(self):
        """No threshold (0 is fine), named Availability; the objective is a
        percentage between 0 and 100, else a clear error and nothing written."""
        draft = self.env["slm.agreement"].create(
            {"name": "T Draft", "service_ids": [(6, 0, self.svc_a.ids)]}
        )
        Target = self.env["slm.target"]
        count = Target.search_count([])
        for objective in (-0.5, 100.01, 150):
            with self.subTest(objective=objective):
                with self.assertRaisesText(
                    ValidationError, "percentage of the agreed service time"
                ):
                    Target.create(
                        self._availability_target(
                            objective=objective, agreement_id=draft.id
                        )
                    )
        self.assertEqual(Target.search_count([]), count)
        target = Target.create(
            self._availability_target(
                objective=99.9, agreement_id=draft.id, threshold_hours=0
            )
        )
        self.assertEqual(target.name, "Availability")
        self.assertEqual(target.threshold_hours, 0)
        with self.assertRaisesText(ValidationError, "between 0 and 100"):
            target.objective_pct = 101
        target.invalidate_recordset()
        self.assertEqual(target.objective_pct, 99.9)
        # A response target still needs a threshold.
        with self.assertRaisesText(ValidationError, "more than 0 hours"):
            target.metric = "response"

    def test_target_line_shows_this_month(self):
        with freeze_time("2026-03-20 12:00:00"):
            self._outage(self.svc_a, "2026-03-03 10:00:00", "2026-03-03 10:30:00")
            self.target.invalidate_recordset()
            row = self._row(self.target)
            self.assertFalse(row.closed)
            self.assertAlmostEqual(
                self.target.current_availability, row.availability_pct
            )
            self.assertEqual(self.target.current_availability_status, "at_risk")

    # ------------------------------------------------------------------
    # Bad input
    # ------------------------------------------------------------------

    def test_outage_must_end_after_it_starts(self):
        count = self.Outage.with_context(active_test=False).search_count([])
        for end in ("2026-03-03 09:00:00", "2026-03-03 10:00:00"):
            with self.subTest(end=end):
                with self.assertRaisesText(ValidationError, "at or before it starts"):
                    self._outage(self.svc_a, "2026-03-03 10:00:00", end)
        self.assertEqual(
            self.Outage.with_context(active_test=False).search_count([]), count
        )
        outage = self._outage(self.svc_a, "2026-03-03 10:00:00", "2026-03-03 11:00:00")
        with self.assertRaisesText(ValidationError, "at or before it starts"):
            outage.date_end = "2026-03-03 08:00:00"
        outage.invalidate_recordset()
        self.assertEqual(outage.date_end, D(2026, 3, 3, 11, 0))
        self.assertEqual(self._row(self.target).downtime_hours, 1)

    # ------------------------------------------------------------------
    # Scheduled check
    # ------------------------------------------------------------------

    def _notes(self, agreement):
        return agreement.message_ids.filtered(
            lambda m: "Availability targets at risk or missed" in (m.body or "")
        )

    def _activities(self, agreement):
        return agreement.activity_ids.filtered(
            lambda a: a.activity_type_id
            == self.env.ref("slm_agreements.mail_activity_type_availability")
        )

    @freeze_time("2026-03-20 12:00:00")
    def test_scheduled_check_idempotent_and_fault_isolated(self):
        """Two agreements get worse; flagging one of them fails: the other is
        flagged once (message + activity for its Service Level Manager), the
        failing one is logged and tried again at the next run. Runs without
        a change send nothing new; a worse status (at risk -> missed) does.

        Objective 99.5 %: budget 0.88 h, warning (50 %) above 0.44 h. A is
        down 0.5 h: at risk; the other service 2 h: missed."""
        Availability = self.Availability
        target = self._availability_target(objective=99.5, calendar=self.office)
        sla_a = self._agreement(self.svc_a, [target], name="T SLA on A")
        sla_other = self._agreement(self.svc_other, [target], name="T Other SLA")
        self._outage(self.svc_a, "2026-03-03 10:00:00", "2026-03-03 10:30:00")
        self._outage(self.svc_other, "2026-03-17 10:00:00", "2026-03-17 12:00:00")
        original = type(Availability)._flag

        def flag_failing_for_sla_a(rows):
            if rows.agreement_id == sla_a:
                raise RuntimeError("T broken agreement")
            return original(rows)

        with (
            patch.object(type(Availability), "_flag", flag_failing_for_sla_a),
            mute_logger("odoo.addons.slm_catalogue.models.ir_cron"),
        ):
            Availability._cron_check_availability()
            Availability._cron_check_availability()
        self.assertEqual(len(self._notes(sla_other)), 1)
        self.assertIn("missed", self._notes(sla_other).body)
        self.assertEqual(len(self._activities(sla_other)), 1)
        self.assertEqual(self._activities(sla_other).user_id, self.manager)
        self.assertEqual(self._row(sla_other.target_ids).notified_status, "missed")
        self.assertFalse(self._notes(sla_a))
        self.assertFalse(self._activities(sla_a))
        self.assertEqual(self._row(sla_a.target_ids).status, "at_risk")
        self.assertEqual(self._row(sla_a.target_ids).notified_status, "achieved")
        # Repaired: the skipped one is flagged now, the other not again.
        Availability._cron_check_availability()
        Availability._cron_check_availability()
        self.assertEqual(len(self._notes(sla_a)), 1)
        self.assertIn("at risk", self._notes(sla_a).body)
        self.assertEqual(len(self._activities(sla_a)), 1)
        self.assertEqual(len(self._notes(sla_other)), 1)
        self.assertEqual(len(self._activities(sla_other)), 1)
        # Worse: at risk -> missed is flagged again, once.
        self._outage(self.svc_a, "2026-03-18 10:00:00", "2026-03-18 12:00:00")
        Availability._cron_check_availability()
        Availability._cron_check_availability()
        notes = self._notes(sla_a)
        self.assertEqual(len(notes), 2)
        self.assertIn("missed", notes[0].body)
        self.assertEqual(len(self._activities(sla_a)), 2)

    # ------------------------------------------------------------------
    # Access rights
    # ------------------------------------------------------------------

    def test_access_rights(self):
        outage = self._outage(self.svc_a, "2026-03-03 10:00:00", "2026-03-03 11:00:00")
        vals = {
            "name": "T new",
            "service_id": self.svc_a.id,
            "date_start": "2026-03-04 10:00:00",
        }
        self.assertTrue(self._can(self.user_reader, "read", outage))
        self.assertFalse(self._can(self.user_reader, "create", self.Outage, vals))
        self.assertFalse(self._can(self.user_analyst, "write", outage))
        self.assertTrue(self._can(self.agent, "create", self.Outage, vals))
        self.assertTrue(self._can(self.owner, "write", outage))
        self.assertFalse(self._can(self.owner, "unlink", outage))
        self.assertTrue(self._can(self.manager, "unlink", outage))
        row = self._row(self.target)
        self.assertTrue(row)
        self.assertTrue(self._can(self.user_reader, "read", row))
        self.assertFalse(self._can(self.manager, "write", row, {"downtime_hours": 0}))
        self.assertFalse(self._can(self.manager, "unlink", row))
        with self.assertRaisesText(AccessError, "Only a Service Level Manager"):
            self.Availability.with_user(self.user_analyst).action_refresh()
        self.Availability.with_user(self.manager).action_refresh()

    def test_outages_changed_by_the_roles_and_services_that_own_them(self):
        """Access rule 4: agents record outages and end those they recorded;
        changing or archiving one is for its service's owner and managers."""
        recorded = self._outage(
            self.svc_a, "2026-03-03 10:00:00", "2026-03-03 11:00:00"
        )
        # An agent records an outage and ends it (Service Restored).
        ongoing = self.Outage.with_user(self.agent).create(
            {
                "name": "T agent's",
                "service_id": self.svc_a.id,
                "date_start": "2026-03-04 10:00:00",
            }
        )
        ongoing.with_user(self.agent).action_end_now()
        self.assertTrue(ongoing.date_end)
        # Once ended, or recorded by someone else: not the agent's to change.
        for outage in (ongoing, recorded):
            for vals in (
                {"active": False},
                {"date_start": "2026-03-04 09:00:00"},
                {"date_end": "2026-03-04 10:30:00"},
            ):
                with self.subTest(outage=outage.name, vals=vals):
                    self.assertFalse(self._can(self.agent, "write", outage, vals))
        # Nor archive their own ongoing one (it changes the figures).
        ongoing_2 = self.Outage.with_user(self.agent).create(
            {
                "name": "T agent's 2",
                "service_id": self.svc_a.id,
                "date_start": "2026-03-05 10:00:00",
            }
        )
        with self.assertRaisesText(AccessError, "Only the owner of the service"):
            ongoing_2.with_user(self.agent).write({"active": False})
        self.assertFalse(self._can(self.agent, "unlink", ongoing_2))
        # Service owners: the outages of their own services only.
        self.assertEqual(self.svc_a.owner_id, self.owner)
        self.assertTrue(self._can(self.owner, "write", recorded, {"active": False}))
        self.assertFalse(self._can(self.owner_2, "write", recorded, {"active": False}))
        self.assertFalse(
            self._can(self.owner_2, "write", recorded, {"name": "T renamed"})
        )
        self.assertFalse(
            self._can(
                self.owner_2,
                "create",
                self.Outage,
                {
                    "name": "T not mine",
                    "service_id": self.svc_a.id,
                    "date_start": "2026-03-06 10:00:00",
                },
            )
        )
        # A service owner who is also an agent: what they recorded on another
        # owner's service is not theirs to change either.
        self.owner_2.groups_id = [
            (4, self.env.ref("helpdesk_mgmt.group_helpdesk_user").id)
        ]
        theirs = self.Outage.with_user(self.owner_2).create(
            {
                "name": "T recorded by owner 2",
                "service_id": self.svc_a.id,
                "date_start": "2026-03-07 10:00:00",
            }
        )
        with self.assertRaisesText(AccessError, "Only the owner of the service"):
            theirs.with_user(self.owner_2).write({"active": False})
        theirs.with_user(self.owner_2).action_end_now()
        # Service Level Managers: every outage.
        self.assertTrue(self._can(self.manager, "write", recorded, {"active": False}))
        self.assertTrue(recorded.active)
