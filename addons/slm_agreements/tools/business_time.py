# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Business time of one working calendar, on a UTC time line.

Working intervals are the calendar's attendances read as wall-clock times in
its time zone, minus its leaves and public holidays (Odoo's
``_leave_intervals_batch``). ``BusinessTime`` fetches them once for a window,
keeps them as a ``Timeline`` (integer UTC seconds with prefix sums), and
answers the two questions a clock asks, by bisection:

- ``elapsed(a, b)``: how much business time lies between two instants;
- ``add(a, seconds)``: when a given amount of business time from ``a`` is used
  up, i.e. a deadline.

Instants are naive UTC datetimes, as Odoo stores them, at whole seconds.
The window grows on demand, so one object serves a whole batch of clocks.
``BusinessTime.composed`` builds the business time of a temporary change of
service levels: another business time inside some windows, none inside others.
"""

from datetime import datetime, time, timedelta

from pytz import all_timezones_set, timezone, utc

from odoo.addons.resource.models.utils import Intervals

from .timeline import Timeline, intervals, pairs

EPOCH = datetime(1970, 1, 1)
ONE_SECOND = timedelta(seconds=1)
# Fetch at least this much calendar beyond what is asked: few fetches per batch.
MIN_FETCH = timedelta(days=42)
# A calendar that yields no working time within this span is unusable.
MAX_SPAN = timedelta(days=3 * 366)
# Working time kept by block (``BusinessTime.for_calendar``'s ``blocks``):
# epoch seconds, in blocks of this many seconds.
BLOCK = 64 * 86400


def to_seconds(moment):
    """Naive UTC datetime -> integer seconds since the epoch (rounded)."""
    return round((moment - EPOCH) / ONE_SECOND)


def from_seconds(seconds):
    return EPOCH + timedelta(seconds=seconds)


def wall_clock_to_utc(tz, begin, end):
    """The UTC intervals during which the wall clock of ``tz`` shows a time in
    [begin, end) (naive local datetimes).

    Daylight saving follows from the definition: the hour skipped in spring is
    never shown, the hour repeated in autumn is shown twice. The day is cut at
    the time zone's transitions; on each piece the offset is constant. (Odoo's
    ``_attendance_intervals_batch`` reads every boundary as standard time,
    which shifts boundaries that fall in those hours by an hour.)
    """
    low, high = begin - timedelta(hours=15), end + timedelta(hours=15)
    cuts = [t for t in getattr(tz, "_utc_transition_times", ()) if low < t < high]
    bounds = [low, *cuts, high]
    intervals = []
    for piece_start, piece_end in zip(bounds, bounds[1:], strict=False):
        offset = utc.localize(piece_start).astimezone(tz).utcoffset()
        shown_from = max(begin, piece_start + offset)
        shown_to = min(end, piece_end + offset)
        if shown_from < shown_to:
            intervals.append(
                (utc.localize(shown_from - offset), utc.localize(shown_to - offset))
            )
    return intervals


def attendance_intervals(calendar, start, end, tz=None):
    """The calendar's attendances between two aware datetimes, as ``Intervals``,
    read as wall-clock times in ``tz`` (a pytz zone; default: the calendar's
    own, customer calendar rule 1)."""
    tz = tz if tz is not None else timezone(calendar.tz or "UTC")
    attendances = calendar.attendance_ids.filtered(
        lambda a: not a.resource_id and not a.display_type and a.day_period != "lunch"
    )
    Attendance = calendar.env["resource.calendar.attendance"]
    first = start.astimezone(tz).date() - timedelta(days=1)
    last = end.astimezone(tz).date() + timedelta(days=1)
    items = []
    day = first
    while day <= last:
        week_type = (
            str(Attendance.get_week_type(day)) if calendar.two_weeks_calendar else None
        )
        for attendance in attendances:
            if int(attendance.dayofweek) != day.weekday():
                continue
            if week_type is not None and attendance.week_type != week_type:
                continue
            if (attendance.date_from and day < attendance.date_from) or (
                attendance.date_to and attendance.date_to < day
            ):
                continue
            for begin, finish in wall_clock_to_utc(
                tz,
                _wall_clock(day, attendance.hour_from),
                _wall_clock(day, attendance.hour_to),
            ):
                begin, finish = max(begin, start), min(finish, end)
                if begin < finish:
                    items.append((begin, finish, attendance))
        day += timedelta(days=1)
    return Intervals(items)


def _wall_clock(day, hours):
    """``day`` at ``hours`` (a float, 24 being the next midnight), naive."""
    minutes = round(hours * 60)
    return datetime.combine(day, time()) + timedelta(minutes=minutes)


def leave_domain(calendar, company, holidays=None, replace=False):
    """The leaves that remove working time from ``calendar`` (clock rule 5),
    as a domain for ``_leave_intervals_batch(..., any_calendar=True)``: its
    own leaves, and public holidays (leaves without a calendar) of ``company``
    (a ``res.company`` record, possibly empty) or of no company.

    ``holidays``: a ``resource.calendar`` whose leaves are holidays too (the
    agreement's holiday calendar, customer calendar rule 3); with ``replace``
    they stand instead of the public holidays (the calendar's own leaves
    still count)."""
    calendars = [calendar.id] + ([holidays.id] if holidays else [])
    if holidays and replace:
        return [("time_type", "=", "leave"), ("calendar_id", "in", calendars)]
    companies = [False] + ([company.id] if company else [])
    return [
        ("time_type", "=", "leave"),
        "|",
        ("calendar_id", "in", calendars),
        "&",
        ("calendar_id", "=", False),
        ("company_id", "in", companies),
    ]


def known_zone(name):
    """The pytz zone called ``name``, or None for an empty or unknown name."""
    if not name or name not in all_timezones_set:
        return None
    return timezone(name)


class NoBusinessTimeError(ValueError):
    """The calendar has no working time within ``MAX_SPAN``."""


class BusinessTime:
    """Working intervals of a calendar, or around the clock when ``fetch`` is None.

    ``fetch(start, end)`` returns the working intervals between two naive UTC
    datetimes as (start, end) pairs of naive UTC datetimes, sorted and disjoint.
    """

    def __init__(self, fetch=None):
        self._fetch = fetch
        self._timeline = Timeline(())  # the fetched window, epoch seconds
        self._window = None  # (first, last) epoch seconds covered

    # ------------------------------------------------------------------
    # Construction
    # ------------------------------------------------------------------

    @classmethod
    def around_the_clock(cls):
        return cls(None)

    @classmethod
    def for_calendar(
        cls,
        calendar,
        company=None,
        tz=None,
        holidays=None,
        replace=False,
        blocks=None,
    ):
        """Business time of a ``resource.calendar`` record (its tz, its holidays).

        Holidays (clock rule 5): the calendar's own leaves, and the leaves
        without a calendar (public holidays) of the calendar's company, or of
        ``company`` for a calendar shared between companies; a leave with
        neither calendar nor company is a holiday of every calendar. Another
        company's public holidays never count.

        :param tz: time zone name in which the attendances are read instead of
            the calendar's (customer calendar rule 1); an unknown name falls
            back to the calendar's zone (fail soft, customer calendar rule 2)
        :param holidays: a ``resource.calendar`` whose leaves are holidays too,
            or instead of the public holidays with ``replace`` (customer
            calendar rule 3)
        :param blocks: a function of a block number giving the working
            intervals of that block (``block_intervals``), e.g. kept in a
            cache; the business time is then read from these blocks: the same
            intervals
        """
        calendar.ensure_one()
        owner = calendar.company_id or company
        domain = leave_domain(calendar, owner, holidays, replace)
        zone = known_zone(tz)  # else the calendar's (an unknown one raises)

        def fetch(start, end):
            start, end = utc.localize(start), utc.localize(end)
            leaves = calendar._leave_intervals_batch(
                start, end, domain=domain, any_calendar=True
            )[False]
            working = attendance_intervals(calendar, start, end, tz=zone) - leaves
            return [
                (
                    begin.astimezone(utc).replace(tzinfo=None),
                    stop.astimezone(utc).replace(tzinfo=None),
                )
                for begin, stop, _records in working
            ]

        if blocks is None:
            return cls(fetch)

        def fetch_blocks(start, end):
            a, b = to_seconds(start), to_seconds(end)
            merged = []
            for block in range(a // BLOCK, (b - 1) // BLOCK + 1):
                for begin, stop in blocks(block):
                    if merged and merged[-1][1] == begin:
                        merged[-1] = (merged[-1][0], stop)  # across the blocks' edge
                    else:
                        merged.append((begin, stop))
            return [
                (from_seconds(max(begin, a)), from_seconds(min(stop, b)))
                for begin, stop in merged
                if begin < b and stop > a
            ]

        return cls(fetch_blocks)

    @classmethod
    def block_intervals(
        cls, calendar, company, block, tz=None, holidays=None, replace=False
    ):
        """The working intervals of block number ``block`` (``BLOCK`` seconds
        from the epoch on) of ``calendar`` used in ``company`` (read in ``tz``,
        with ``holidays``: see ``for_calendar``), as a tuple of (start, end)
        epoch seconds."""
        start = from_seconds(block * BLOCK)
        fetched = cls.for_calendar(
            calendar, company=company, tz=tz, holidays=holidays, replace=replace
        ).intervals(start, start + timedelta(seconds=BLOCK))
        return tuple((to_seconds(begin), to_seconds(stop)) for begin, stop in fetched)

    @classmethod
    def composed(cls, base, overrides=(), removed=()):
        """Business time of ``base``, changed for windows of time (temporary
        changes of service levels, clock rule 10).

        :param base: the usual ``BusinessTime``
        :param overrides: (start, end, BusinessTime) triples: inside [start, end)
            time counts as that BusinessTime says instead of ``base``
        :param removed: (start, end) pairs in which no time counts at all
        An instant counts when it lies in an override window and that window's
        BusinessTime counts it, or in no override window and ``base`` counts it;
        and in no removed window. Returns ``base`` itself when nothing changes.
        """
        overrides = [(start, end, bt) for start, end, bt in overrides if start < end]
        removed = intervals(removed)
        if not overrides and not removed:
            return base
        windows = intervals((start, end) for start, end, _bt in overrides)

        def fetch(start, end):
            pieces = intervals(base.intervals(start, end)) - windows
            for window_start, window_end, bt in overrides:
                low, high = max(window_start, start), min(window_end, end)
                if low < high:
                    pieces |= intervals(bt.intervals(low, high))
            return pairs(pieces - removed)

        return cls(fetch)

    @property
    def is_around_the_clock(self):
        return self._fetch is None

    def intervals(self, start, end):
        """The working intervals within [start, end): sorted, disjoint (start,
        end) pairs of naive UTC datetimes."""
        if end <= start:
            return []
        if self._fetch is None:
            return [(start, end)]
        return pairs(intervals(self._fetch(start, end)) & intervals([(start, end)]))

    # ------------------------------------------------------------------
    # Queries
    # ------------------------------------------------------------------

    def elapsed(self, start, end):
        """Business seconds in [start, end)."""
        if end <= start:
            return 0
        a, b = to_seconds(start), to_seconds(end)
        if self._fetch is None:
            return b - a
        self._cover(a, b)
        return self._timeline.business_between(a, b)

    def add(self, start, seconds):
        """Earliest instant t >= start with elapsed(start, t) == seconds."""
        seconds = round(seconds)
        if seconds <= 0:
            return start
        a = to_seconds(start)
        if self._fetch is None:
            return from_seconds(a + seconds)
        span = max(MIN_FETCH, timedelta(seconds=seconds * 4))
        while True:
            self._cover(a, a + round(span / ONE_SECOND))
            deadline = self._timeline.add(a, seconds)
            if deadline is not None:
                return from_seconds(deadline)
            if span > MAX_SPAN:
                raise NoBusinessTimeError(
                    "The working calendar has no working time in the next three years."
                )
            span *= 2

    def add_many(self, starts, seconds):
        """``add`` for many clocks of this calendar (one window, no query per clock)."""
        if not starts:
            return []
        if self._fetch is not None:
            first = min(starts)
            last = max(starts) + max(MIN_FETCH, timedelta(seconds=max(seconds) * 4))
            self._cover(to_seconds(first), to_seconds(last))
        return [
            self.add(start, amount)
            for start, amount in zip(starts, seconds, strict=True)
        ]

    # ------------------------------------------------------------------
    # Internals
    # ------------------------------------------------------------------

    def _cover(self, a, b):
        """Make sure [a, b] lies inside the fetched window."""
        if self._window and self._window[0] <= a and b <= self._window[1]:
            return
        first, last = a, max(b, a + round(MIN_FETCH / ONE_SECOND))
        if self._window:
            first, last = min(first, self._window[0]), max(last, self._window[1])
        # One day of margin: an interval that crosses the window's edge is whole.
        margin = 86400
        fetched = self._fetch(from_seconds(first - margin), from_seconds(last + margin))
        self._timeline = Timeline(
            (to_seconds(begin), to_seconds(stop)) for begin, stop in fetched
        )
        self._window = (first, last)
