# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The clock engine against an independent minute-by-minute oracle.

``brute_force.py`` models clock rules 3 to 7 (slm_agreements readme) minute by minute.
Here its answers are first checked against hand-worked cases, then the engine
(``tools/business_time.py`` and ``tools/clock_engine.py``) is compared with it on
the same cases and on random calendars, holidays, histories and instants, with
real ``resource.calendar`` records.  The oracle counts minutes, the engine
seconds.
"""

import dataclasses
import datetime as dt

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from odoo import Command
from odoo.tests import TransactionCase, tagged

from . import brute_force as bf

D = dt.datetime
CLOCK_FIELDS = ("used", "paused", "deadline", "warning_at", "status")

TIME_ZONES = [
    "UTC",
    "Europe/Brussels",
    "America/New_York",
    "Asia/Kolkata",
    "Australia/Sydney",
]
# UTC instants of the 2026 daylight-saving changes, per time zone
DST_CHANGES = {
    "Europe/Brussels": [D(2026, 3, 29, 1, 0), D(2026, 10, 25, 1, 0)],
    "America/New_York": [D(2026, 3, 8, 7, 0), D(2026, 11, 1, 6, 0)],
    "Australia/Sydney": [D(2026, 4, 4, 16, 0), D(2026, 10, 3, 16, 0)],
}
ORDINARY_DAYS = [D(2026, 1, 14, 9, 0), D(2026, 6, 17, 12, 0), D(2026, 3, 27, 15, 0)]
STATE_CHOICES = ("active", "active", "paused", "closed", "away")

SETTINGS = {
    "deadline": None,
    "derandomize": True,
    "database": None,
    "suppress_health_check": [
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
    ],
}


def _engine():
    """The engine under test, imported late so the oracle tests run without it."""
    from ..tools.business_time import BusinessTime
    from ..tools.clock_engine import Segment, compute_clock

    return BusinessTime, compute_clock, Segment


# ---------------------------------------------------------------- strategies


@st.composite
def day_attendances(draw, weekday, avoid_dst_hours=False):
    """1 or 2 disjoint attendances on a 15-minute grid; sometimes up to 24:00.

    ``avoid_dst_hours``: no bound in [01:00, 03:00[ local, where the 2026 DST
    changes of our zones skip or repeat wall-clock times (see the DST edge test).
    """
    count = draw(st.integers(1, 2))
    grid = [q for q in range(97) if not (avoid_dst_hours and 4 <= q < 12)]
    points = sorted(
        draw(
            st.lists(
                st.sampled_from(grid),
                min_size=2 * count,
                max_size=2 * count,
                unique=True,
            )
        )
    )
    if draw(st.integers(0, 4)) == 0:
        points[-1] = 96
    return [(weekday, points[2 * i] / 4, points[2 * i + 1] / 4) for i in range(count)]


@st.composite
def calendars(draw, tz, anchor, avoid_dst_hours=False):
    """A random weekly calendar (or 24x7) with 0-2 holidays near ``anchor``."""
    if draw(st.integers(0, 7)) == 0:
        return bf.WeeklyCalendar(tz=tz, around_the_clock=True)
    weekdays = sorted(draw(st.sets(st.integers(0, 6), min_size=1, max_size=7)))
    attendances = []
    for weekday in weekdays:
        attendances.extend(draw(day_attendances(weekday, avoid_dst_hours)))
    zone = bf.WeeklyCalendar(tz=tz)._zone
    local_day = anchor.replace(tzinfo=bf.UTC).astimezone(zone).date()
    holidays = []
    for _i in range(draw(st.integers(0, 2))):
        day = local_day + dt.timedelta(days=draw(st.integers(-2, 8)))
        if draw(st.booleans()):  # a whole local day
            first = D.combine(day, dt.time())
            last = first + dt.timedelta(days=1)
        else:
            first = D.combine(day, dt.time()) + dt.timedelta(
                minutes=15 * draw(st.integers(0, 95))
            )
            last = first + dt.timedelta(minutes=15 * draw(st.integers(1, 4 * 48)))
        holidays.append((bf._local_to_utc(first, zone), bf._local_to_utc(last, zone)))
    return bf.WeeklyCalendar(
        tz=tz, attendances=tuple(attendances), holidays_utc=tuple(holidays)
    )


@st.composite
def calendar_and_start(draw, avoid_dst_hours=False):
    """A time zone, a start on the minute grid (mostly shortly before one of the
    zone's 2026 DST changes, else an ordinary day) and a calendar around it."""
    tz = draw(st.sampled_from(TIME_ZONES))
    changes = DST_CHANGES.get(tz, [])
    if changes and draw(st.integers(0, 3)):
        base = draw(st.sampled_from(changes))
    else:
        base = draw(st.sampled_from(ORDINARY_DAYS))
    start = base + dt.timedelta(minutes=draw(st.integers(-5 * 1440, 1440)))
    return draw(calendars(tz, start, avoid_dst_hours)), start


def _minutes(draw, short, long):
    """Mostly-uniform choice between a short and a long range of minutes."""
    if draw(st.booleans()):
        return draw(st.integers(*short))
    return draw(st.integers(*long))


@st.composite
def clock_cases(draw, avoid_dst_hours=False):
    calendar, start = draw(calendar_and_start(avoid_dst_hours))
    weekly = calendar.weekly_minutes()
    # bounded so that the deadline is within a few weeks (oracle's cap: 60 days)
    high = min(2400, 2 * weekly) // 4
    low = min(4, high)
    threshold = 4 * _minutes(draw, (low, max(low, min(60, high))), (low, high))
    ratio = draw(st.sampled_from([0.75, 0.5]))
    span = _minutes(draw, (1, 600), (601, 10 * 1440))
    now = start + dt.timedelta(minutes=span)
    offsets = sorted(draw(st.sets(st.integers(1, span), max_size=6)))
    segments = [(start, draw(st.sampled_from(STATE_CHOICES)))]
    segments += [
        (start + dt.timedelta(minutes=offset), draw(st.sampled_from(STATE_CHOICES)))
        for offset in offsets
    ]
    stop_kind = draw(st.integers(0, 2))
    stop = None
    if stop_kind == 1:  # a response clock: the first public reply
        stop = start + dt.timedelta(minutes=draw(st.integers(0, span)))
    elif stop_kind == 2 and segments[-1][1] == "closed":  # resolution, closed now
        stop = segments[-1][0]
    return {
        "calendar": calendar,
        "start": start,
        "threshold": threshold,
        "warning_ratio": ratio,
        "segments": segments,
        "stop": stop,
        "now": now,
    }


@st.composite
def interval_cases(draw):
    calendar, start = draw(calendar_and_start())
    minutes = draw(st.integers(0, min(2400, 2 * calendar.weekly_minutes())))
    span = _minutes(draw, (0, 600), (601, 10 * 1440))
    return calendar, start, minutes, start + dt.timedelta(minutes=span)


# ------------------------------------------------------ hand-worked examples

BXL_OFFICE = bf.WeeklyCalendar("Europe/Brussels", tuple((d, 8, 17) for d in range(5)))
BXL_OFFICE_EASTER = bf.WeeklyCalendar(
    "Europe/Brussels",
    BXL_OFFICE.attendances,
    holidays=((dt.date(2026, 4, 6), dt.date(2026, 4, 6)),),  # Easter Monday
)
BXL_ALL_DAY = bf.WeeklyCalendar("Europe/Brussels", tuple((d, 0, 24) for d in range(7)))
BXL_EVENING = bf.WeeklyCalendar("Europe/Brussels", ((0, 20, 24), (1, 0, 2)))
NY_OFFICE = bf.WeeklyCalendar("America/New_York", tuple((d, 9, 17) for d in range(5)))
KOLKATA_OFFICE = bf.WeeklyCalendar(
    "Asia/Kolkata", tuple((d, 9.5, 18) for d in range(5))
)
SYDNEY_OFFICE = bf.WeeklyCalendar(
    "Australia/Sydney", tuple((d, 8, 17) for d in range(5))
)
H24 = bf.AROUND_THE_CLOCK

# (label, calendar, start, business minutes to add, expected end)
HAND_ADD = [
    (
        "Mon 16:00 +4h = Tue 11:00",
        BXL_OFFICE,
        D(2026, 3, 23, 15),
        240,
        D(2026, 3, 24, 10),
    ),
    (
        "Fri 16:00 CET +4h over spring-forward = Mon 11:00 CEST",
        BXL_OFFICE,
        D(2026, 3, 27, 15),
        240,
        D(2026, 3, 30, 9),
    ),
    (
        "24x7 +24h over spring-forward = 24 real hours",
        H24,
        D(2026, 3, 28, 12),
        1440,
        D(2026, 3, 29, 12),
    ),
    (
        "00-24 Brussels, Sun 29 Mar local 00:00 +24h = Mon 01:00 CEST",
        BXL_ALL_DAY,
        D(2026, 3, 28, 23),
        1440,
        D(2026, 3, 29, 23),
    ),
    (
        "Fri 15:00 +4h, Easter Monday off = Tue 10:00",
        BXL_OFFICE_EASTER,
        D(2026, 4, 3, 13),
        240,
        D(2026, 4, 7, 8),
    ),
    (
        "New York Fri 16:00 EDT +2h over fall-back = Mon 10:00 EST",
        NY_OFFICE,
        D(2026, 10, 30, 20),
        120,
        D(2026, 11, 2, 15),
    ),
    (
        "Mon 23:00 +2h across a 24:00 end = Tue 01:00",
        BXL_EVENING,
        D(2026, 3, 23, 22),
        120,
        D(2026, 3, 24, 0),
    ),
    (
        "Sydney Fri 16:00 AEDT +2h over fall-back = Mon 09:00 AEST",
        SYDNEY_OFFICE,
        D(2026, 4, 3, 5),
        120,
        D(2026, 4, 5, 23),
    ),
    ("+0 is the start itself", BXL_OFFICE, D(2026, 3, 21, 10), 0, D(2026, 3, 21, 10)),
    (
        "starting outside hours: Sat +1 min = Mon 08:01",
        BXL_OFFICE,
        D(2026, 3, 21, 10),
        1,
        D(2026, 3, 23, 7, 1),
    ),
]

# (label, calendar, a, b, expected business minutes in [a, b))
HAND_ELAPSED = [
    (
        "00-24 Brussels: Sun 29 Mar 2026 is 23 h",
        BXL_ALL_DAY,
        D(2026, 3, 28, 23),
        D(2026, 3, 29, 22),
        23 * 60,
    ),
    (
        "00-24 Brussels: Sun 25 Oct 2026 is 25 h",
        BXL_ALL_DAY,
        D(2026, 10, 24, 22),
        D(2026, 10, 25, 23),
        25 * 60,
    ),
    (
        "08-17 Brussels: Fri 13:00 to Fri 13:00 over spring-forward is 45 h",
        BXL_OFFICE,
        D(2026, 3, 27, 12),
        D(2026, 4, 3, 11),
        45 * 60,
    ),
    (
        "Kolkata 09:30-18:00: one day is 8.5 h",
        KOLKATA_OFFICE,
        D(2026, 6, 15, 4),
        D(2026, 6, 16, 4),
        510,
    ),
    (
        "Easter Monday counts nothing",
        BXL_OFFICE_EASTER,
        D(2026, 4, 5, 22),
        D(2026, 4, 6, 22),
        0,
    ),
    ("empty interval", BXL_OFFICE, D(2026, 3, 23, 10), D(2026, 3, 23, 10), 0),
]

# Attendance bounds inside the hour that a DST change skips or repeats: the readme's
# wall-clock rule (a minute counts when its local time is inside an attendance).
BXL_SUN_0230_0500 = bf.WeeklyCalendar("Europe/Brussels", ((6, 2.5, 5),))
BXL_SUN_0000_0230 = bf.WeeklyCalendar("Europe/Brussels", ((6, 0, 2.5),))
HAND_DST_EDGES = [
    (
        "Sun 02:30-05:00 on spring-forward day: 03:00-05:00 CEST = 2 h",
        BXL_SUN_0230_0500,
        D(2026, 3, 28, 22),
        D(2026, 3, 29, 22),
        120,
    ),
    (
        "Sun 02:30-05:00 on fall-back day: 02:30-03:00 twice + 03:00-05:00 = 3 h",
        BXL_SUN_0230_0500,
        D(2026, 10, 24, 22),
        D(2026, 10, 25, 23),
        180,
    ),
    (
        "Sun 00:00-02:30 on spring-forward day: 00:00-02:00 CET = 2 h",
        BXL_SUN_0000_0230,
        D(2026, 3, 28, 22),
        D(2026, 3, 29, 22),
        120,
    ),
    (
        "Sun 00:00-02:30 on fall-back day: 00:00-02:30 CEST + 02:00-02:30 CET = 3 h",
        BXL_SUN_0000_0230,
        D(2026, 10, 24, 22),
        D(2026, 10, 25, 23),
        180,
    ),
]


def _clock(calendar, start, threshold, ratio, segments, stop, now, **expected):
    return {
        "calendar": calendar,
        "start": start,
        "threshold": threshold,
        "warning_ratio": ratio,
        "segments": segments,
        "stop": stop,
        "now": now,
        "expected": expected,
    }


_MON = D(2026, 3, 23)  # Monday, Brussels = UTC+1
_MAY = D(2026, 5, 4)
HAND_CLOCKS = {
    # 4 business hours from Mon 09:00 local, no pause: deadline 13:00 local
    "no pause": _clock(
        BXL_OFFICE,
        _MON.replace(hour=8),
        240,
        0.75,
        [(_MON.replace(hour=8), "active")],
        None,
        _MON.replace(hour=11, minute=30),
        used=210,
        paused=0,
        deadline=_MON.replace(hour=12),
        warning_at=_MON.replace(hour=11),
        status="running",
    ),
    # paused 10:00-12:00 local: 2 business hours pushed; 1 h + 30 min used
    "pause pushes the deadline by 2 business hours": _clock(
        BXL_OFFICE,
        _MON.replace(hour=8),
        240,
        0.75,
        [
            (_MON.replace(hour=8), "active"),
            (_MON.replace(hour=9), "paused"),
            (_MON.replace(hour=11), "active"),
        ],
        None,
        _MON.replace(hour=11, minute=30),
        used=90,
        paused=120,
        deadline=_MON.replace(hour=14),
        warning_at=_MON.replace(hour=13),
        status="running",
    ),
    "still paused now: deadline unknown": _clock(
        BXL_OFFICE,
        _MON.replace(hour=8),
        240,
        0.75,
        [(_MON.replace(hour=8), "active"), (_MON.replace(hour=9), "paused")],
        None,
        _MON.replace(hour=10, minute=30),
        used=60,
        paused=90,
        deadline=None,
        warning_at=None,
        status="paused",
    ),
    "pause then breached": _clock(
        BXL_OFFICE,
        _MON.replace(hour=8),
        240,
        0.75,
        [
            (_MON.replace(hour=8), "active"),
            (_MON.replace(hour=9), "paused"),
            (_MON.replace(hour=11), "active"),
        ],
        None,
        _MON.replace(hour=15),
        used=300,
        paused=120,
        deadline=_MON.replace(hour=14),
        warning_at=_MON.replace(hour=13),
        status="breached",
    ),
    # paused Mon 16:00 -> Tue 09:00 local: only 2 business hours of pause;
    # replied Tue 10:30 local
    "overnight pause, replied in time": _clock(
        BXL_OFFICE,
        _MON.replace(hour=13),
        240,
        0.75,
        [
            (_MON.replace(hour=13), "active"),
            (_MON.replace(hour=15), "paused"),
            (D(2026, 3, 24, 8), "active"),
        ],
        D(2026, 3, 24, 9, 30),
        D(2026, 3, 24, 11),
        used=210,
        paused=120,
        deadline=D(2026, 3, 24, 10),
        warning_at=D(2026, 3, 24, 9),
        status="met",
    ),
    "reply during a pause: active after the stop for display": _clock(
        BXL_OFFICE,
        _MON.replace(hour=8),
        240,
        0.75,
        [(_MON.replace(hour=8), "active"), (_MON.replace(hour=9), "paused")],
        _MON.replace(hour=10),
        _MON.replace(hour=16),
        used=60,
        paused=60,
        deadline=_MON.replace(hour=13),
        warning_at=_MON.replace(hour=12),
        status="met",
    ),
    "created in a pausing stage before opening hours": _clock(
        BXL_OFFICE,
        _MON.replace(hour=5),
        240,
        0.75,
        [(_MON.replace(hour=5), "paused"), (_MON.replace(hour=9), "active")],
        None,
        _MON.replace(hour=10),
        used=60,
        paused=120,
        deadline=_MON.replace(hour=13),
        warning_at=_MON.replace(hour=12),
        status="running",
    ),
    "over the spring-forward weekend; warning exactly now": _clock(
        BXL_OFFICE,
        D(2026, 3, 27, 15),
        240,
        0.75,
        [],
        None,
        D(2026, 3, 30, 8),
        used=180,
        paused=0,
        deadline=D(2026, 3, 30, 9),
        warning_at=D(2026, 3, 30, 8),
        status="running",
    ),
    # resolution 8 h 24x7: active 2 h, closed 5 h, reopened 3 h, closed now
    "closed, reopened, closed again: closed time excluded": _clock(
        H24,
        _MAY.replace(hour=8),
        480,
        0.75,
        [
            (_MAY.replace(hour=8), "active"),
            (_MAY.replace(hour=10), "closed"),
            (_MAY.replace(hour=15), "active"),
            (_MAY.replace(hour=18), "closed"),
        ],
        _MAY.replace(hour=18),
        D(2026, 5, 5, 9),
        used=300,
        paused=0,
        deadline=_MAY.replace(hour=21),
        warning_at=_MAY.replace(hour=19),
        status="met",
    ),
    "closed then reopened, running": _clock(
        H24,
        _MAY.replace(hour=8),
        480,
        0.75,
        [
            (_MAY.replace(hour=8), "active"),
            (_MAY.replace(hour=10), "closed"),
            (_MAY.replace(hour=15), "active"),
        ],
        None,
        _MAY.replace(hour=20),
        used=420,
        paused=0,
        deadline=_MAY.replace(hour=21),
        warning_at=_MAY.replace(hour=19),
        status="running",
    ),
    "closed then reopened, breached": _clock(
        H24,
        _MAY.replace(hour=8),
        480,
        0.75,
        [
            (_MAY.replace(hour=8), "active"),
            (_MAY.replace(hour=10), "closed"),
            (_MAY.replace(hour=15), "active"),
        ],
        None,
        _MAY.replace(hour=22),
        used=540,
        paused=0,
        deadline=_MAY.replace(hour=21),
        warning_at=_MAY.replace(hour=19),
        status="breached",
    ),
    "closed now but not stopped (ticket closed, clock not settled)": _clock(
        H24,
        _MAY,
        120,
        0.5,
        [(_MAY, "active"), (_MAY.replace(hour=1), "closed")],
        None,
        _MAY.replace(hour=3),
        used=60,
        paused=0,
        deadline=None,
        warning_at=_MAY.replace(hour=1),
        status="paused",
    ),
    "paused after the deadline passed: breached": _clock(
        H24,
        _MAY,
        60,
        0.5,
        [(_MAY, "active"), (_MAY.replace(hour=2), "paused")],
        None,
        _MAY.replace(hour=3),
        used=120,
        paused=60,
        deadline=_MAY.replace(hour=1),
        warning_at=_MAY.replace(minute=30),
        status="breached",
    ),
    "stopped exactly at the deadline: met": _clock(
        H24,
        _MAY,
        60,
        0.5,
        [],
        _MAY.replace(hour=1),
        _MAY.replace(hour=5),
        used=60,
        paused=0,
        deadline=_MAY.replace(hour=1),
        warning_at=_MAY.replace(minute=30),
        status="met",
    ),
    "stopped one minute after the deadline: breached": _clock(
        H24,
        _MAY,
        60,
        0.5,
        [],
        _MAY.replace(hour=1, minute=1),
        _MAY.replace(hour=5),
        used=61,
        paused=0,
        deadline=_MAY.replace(hour=1),
        warning_at=_MAY.replace(minute=30),
        status="breached",
    ),
    "now exactly at the deadline: not yet breached": _clock(
        H24,
        _MAY,
        60,
        0.5,
        [],
        None,
        _MAY.replace(hour=1),
        used=60,
        paused=0,
        deadline=_MAY.replace(hour=1),
        warning_at=_MAY.replace(minute=30),
        status="running",
    ),
    "now one minute after the deadline: breached": _clock(
        H24,
        _MAY,
        60,
        0.5,
        [],
        None,
        _MAY.replace(hour=1, minute=1),
        used=61,
        paused=0,
        deadline=_MAY.replace(hour=1),
        warning_at=_MAY.replace(minute=30),
        status="breached",
    ),
    "stopped at the start": _clock(
        BXL_OFFICE,
        _MON.replace(hour=8),
        240,
        0.75,
        [],
        _MON.replace(hour=8),
        _MON.replace(hour=8),
        used=0,
        paused=0,
        deadline=_MON.replace(hour=12),
        warning_at=_MON.replace(hour=11),
        status="met",
    ),
    # an OLA clock while the ticket is away from the team: not a pause
    "away: no time accrues, not reported as paused": _clock(
        H24,
        _MAY,
        120,
        0.5,
        [(_MAY, "away")],
        None,
        _MAY.replace(minute=30),
        used=0,
        paused=0,
        deadline=None,
        warning_at=None,
        status="paused",
    ),
    "away, then back with the team": _clock(
        H24,
        _MAY,
        120,
        0.5,
        [(_MAY, "away"), (_MAY.replace(hour=1), "active")],
        None,
        _MAY.replace(hour=1, minute=30),
        used=30,
        paused=0,
        deadline=_MAY.replace(hour=3),
        warning_at=_MAY.replace(hour=2),
        status="running",
    ),
}


def _describe(case):
    calendar = case["calendar"]
    if calendar.around_the_clock:
        cal = "24x7"
    else:
        cal = (
            f"tz={calendar.tz} attendances={list(calendar.attendances)} "
            f"holidays_utc={calendar.holiday_intervals_utc()}"
        )
    return (
        f"calendar: {cal}\n start={case['start']} threshold={case['threshold']} min "
        f"warning_ratio={case['warning_ratio']}\n segments={case['segments']}\n "
        f"stop={case['stop']} now={case['now']}"
    )


class ClockOracleMixin:
    """Real calendars like the oracle's, and both computations of a case."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # public holidays (calendar_id False) of our calendars' company, or of
        # no company, apply to ours too (clock rule 5)
        leaves = cls.env["resource.calendar.leaves"].search(
            [
                ("calendar_id", "=", False),
                ("resource_id", "=", False),
                ("time_type", "=", "leave"),
                ("company_id", "in", [False, cls.env.company.id]),
            ]
        )
        cls.shared_holidays = tuple((lv.date_from, lv.date_to) for lv in leaves)

    # ------------------------------------------------------------ helpers

    def _oracle_calendar(self, calendar):
        if calendar.around_the_clock or not self.shared_holidays:
            return calendar
        return dataclasses.replace(
            calendar, holidays_utc=calendar.holidays_utc + self.shared_holidays
        )

    def _business_time(self, calendar):
        """The engine's BusinessTime on a real resource.calendar like ``calendar``."""
        BusinessTime = _engine()[0]
        if calendar.around_the_clock:
            return BusinessTime.around_the_clock()
        return BusinessTime.for_calendar(self._calendar_record(calendar))

    def _calendar_record(self, calendar):
        """A real resource.calendar like ``calendar`` (not 24x7), its holidays
        as its own leaves."""
        record = self.env["resource.calendar"].create(
            {
                "name": f"Oracle {calendar.tz}",
                "tz": calendar.tz,
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": f"{weekday} {hour_from}-{hour_to}",
                            "dayofweek": str(weekday),
                            "hour_from": hour_from,
                            "hour_to": hour_to,
                            "day_period": "morning",
                        }
                    )
                    for weekday, hour_from, hour_to in calendar.attendances
                ],
                "global_leave_ids": [Command.clear()],
            }
        )
        for date_from, date_to in calendar.holiday_intervals_utc():
            self.env["resource.calendar.leaves"].create(
                {
                    "name": "Oracle holiday",
                    "calendar_id": record.id,
                    "resource_id": False,
                    "date_from": date_from,
                    "date_to": date_to,
                }
            )
        self.assertEqual(len(record.attendance_ids), len(calendar.attendances))
        return record

    def _oracle_clock(self, case):
        return bf.compute_clock(
            self._oracle_calendar(case["calendar"]),
            case["start"],
            case["threshold"],
            case["warning_ratio"],
            case["segments"],
            case["stop"],
            case["now"],
        )

    def _engine_clock(self, case, bt):
        _BusinessTime, compute_clock, Segment = _engine()
        segments = [Segment(start=at, state=state) for at, state in case["segments"]]
        return compute_clock(
            bt,
            case["start"],
            case["threshold"] * 60,
            case["warning_ratio"],
            segments,
            case["stop"],
            case["now"],
        )

    def _assert_clock_equal(self, case, expected, label=""):
        """Engine result == ``expected`` (oracle result, minutes); one line per field
        so that hypothesis reports distinct field mismatches as distinct bugs."""
        bt = self._business_time(case["calendar"])
        got = self._engine_clock(case, bt)
        what = f"{label}\n{_describe(case)}\n oracle={expected}\n engine={got}"
        self.assertEqual(got.used, expected.used * 60, f"used: {what}")
        self.assertEqual(got.paused, expected.paused * 60, f"paused: {what}")
        self.assertEqual(got.deadline, expected.deadline, f"deadline: {what}")
        self.assertEqual(got.warning_at, expected.warning_at, f"warning_at: {what}")
        self.assertEqual(got.status, expected.status, f"status: {what}")


@tagged("post_install", "-at_install")
class TestClockProperties(ClockOracleMixin, TransactionCase):
    """Engine == oracle; oracle == hand computation."""

    # -------------------------------------------- the oracle against the hand

    def test_oracle_hand_worked(self):
        for label, calendar, start, minutes, end in HAND_ADD:
            with self.subTest(label):
                self.assertEqual(bf.add_minutes(calendar, start, minutes), end)
                self.assertEqual(bf.elapsed_minutes(calendar, start, end), minutes)
        for label, calendar, start, end, minutes in HAND_ELAPSED + HAND_DST_EDGES:
            with self.subTest(label):
                self.assertEqual(bf.elapsed_minutes(calendar, start, end), minutes)
        for label, case in HAND_CLOCKS.items():
            with self.subTest(label):
                result = bf.compute_clock(
                    case["calendar"],
                    case["start"],
                    case["threshold"],
                    case["warning_ratio"],
                    case["segments"],
                    case["stop"],
                    case["now"],
                )
                got = {name: getattr(result, name) for name in CLOCK_FIELDS}
                self.assertEqual(got, case["expected"])

    def test_oracle_pause_pushes_by_the_business_pause(self):
        """Deadline with a pause == deadline without it + the paused business time."""
        base = HAND_CLOCKS["no pause"]
        paused = HAND_CLOCKS["pause pushes the deadline by 2 business hours"]
        pushed = bf.add_minutes(
            BXL_OFFICE, base["expected"]["deadline"], paused["expected"]["paused"]
        )
        self.assertEqual(pushed, paused["expected"]["deadline"])

    # --------------------------------------- the engine against the same hand

    def test_engine_hand_worked_add_elapsed(self):
        for label, calendar, start, minutes, end in HAND_ADD:
            with self.subTest(label):
                bt = self._business_time(calendar)
                self.assertEqual(bt.add(start, minutes * 60), end)
                self.assertEqual(bt.elapsed(start, end), minutes * 60)
        for label, calendar, start, end, minutes in HAND_ELAPSED:
            with self.subTest(label):
                bt = self._business_time(calendar)
                self.assertEqual(bt.elapsed(start, end), minutes * 60)

    def test_engine_hand_worked_dst_edges(self):
        """Attendance bounds inside the skipped / repeated hour (wall-clock rule)."""
        for label, calendar, start, end, minutes in HAND_DST_EDGES:
            with self.subTest(label):
                bt = self._business_time(calendar)
                self.assertEqual(bt.elapsed(start, end), minutes * 60)

    def test_engine_hand_worked_clocks(self):
        for label, case in HAND_CLOCKS.items():
            with self.subTest(label):
                expected = bf.OracleResult(stop=case["stop"], **case["expected"])
                self._assert_clock_equal(case, expected, label)

    # ------------------------------------------------ random: engine == oracle

    @settings(max_examples=200, **SETTINGS)
    @given(interval_cases())
    def test_property_elapsed(self, example):
        calendar, start, _minutes, end = example
        with self.env.cr.savepoint():
            bt = self._business_time(calendar)
            expected = bf.elapsed_minutes(self._oracle_calendar(calendar), start, end)
            self.assertEqual(
                bt.elapsed(start, end),
                expected * 60,
                f"elapsed({start}, {end}) on {calendar}",
            )

    @settings(max_examples=200, **SETTINGS)
    @given(interval_cases())
    def test_property_add(self, example):
        calendar, start, minutes, _end = example
        with self.env.cr.savepoint():
            bt = self._business_time(calendar)
            expected = bf.add_minutes(self._oracle_calendar(calendar), start, minutes)
            self.assertEqual(
                bt.add(start, minutes * 60),
                expected,
                f"add({start}, {minutes} min) on {calendar}",
            )

    @settings(max_examples=300, **SETTINGS)
    @given(clock_cases())
    def test_property_clock(self, case):
        with self.env.cr.savepoint():
            self._assert_clock_equal(case, self._oracle_clock(case))

    @settings(max_examples=500, **SETTINGS)
    @given(clock_cases(avoid_dst_hours=True))
    def test_property_clock_bounds_outside_dst_hours(self, case):
        """As above, without attendance bounds in the hours a DST change skips or
        repeats, so that other mismatches are not hidden behind that one."""
        with self.env.cr.savepoint():
            self._assert_clock_equal(case, self._oracle_clock(case))

    @settings(max_examples=150, **SETTINGS)
    @given(
        clock_cases(avoid_dst_hours=True),
        st.sampled_from([-1, 0, 1]),
        st.booleans(),
    )
    def test_property_clock_around_its_deadline(self, case, delta, as_stop):
        """``now`` (or the stop) one minute before, at, or one minute after the
        deadline: the met / breached / running boundaries."""
        deadline = self._oracle_clock(dict(case, stop=None)).deadline
        assume(deadline is not None)
        when = deadline + delta * bf.MINUTE
        assume(when >= case["start"])
        now = max(when, case["now"]) if as_stop else when
        moved = dict(
            case,
            now=now,
            stop=when if as_stop else None,
            segments=[seg for seg in case["segments"] if seg[0] <= now],
        )
        with self.env.cr.savepoint():
            self._assert_clock_equal(moved, self._oracle_clock(moved))
