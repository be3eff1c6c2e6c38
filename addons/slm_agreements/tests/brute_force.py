# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A deliberately simple, minute-by-minute model of an SLA clock (test oracle).

Written from clock rules 3 to 7 of the readme, not from the
engine in ``tools/``: the property tests compare the two.  Pure Python (standard
library and ``zoneinfo`` only), no Odoo import, so it can be run and checked on
its own.

Model
-----
Every datetime is naive UTC and lies on a whole minute.  A minute ``[m, m+1)``
*is business time* when the wall clock of ``m`` in the calendar's time zone
falls inside an attendance of that local weekday and ``m`` is not inside a public
holiday (or always, for a 24x7 calendar).  Because each real UTC minute is looked
at once, daylight-saving changes neither gain nor lose time: an 08:00-17:00 day is
9 h on the change day, a 00:00-24:00 day is 23 h or 25 h of real time, and on the
autumn night the repeated wall-clock hour counts twice if it is inside an
attendance (and a spring wall-clock hour that does not exist never counts).

A minute *counts* for a clock when it is business time, the ticket's state at
``m`` is "active" and ``m < stop``.  Over ``[start, min(stop, now))``:

- ``used``: the counted minutes;
- ``paused``: business minutes whose state is "paused" ("closed" and "away" are
  not pauses and are not reported here).

The deadline and the warning are found by walking further with the state frozen:
after ``stop`` the state is taken as "active" (display of a settled clock: where
the deadline would have been); without a stop, the state at ``now`` continues.

- ``deadline``: the end of the minute in which the counted total reaches the
  threshold; ``None`` when the clock is not stopped, the state at ``now`` is not
  active, and the threshold has not been reached by ``now`` (the pause pushes it).
- ``warning_at``: likewise for ``warning_ratio * threshold``; a share that is
  not a whole number of minutes is placed to the second: the first whole
  second at which that much business time is counted (never earlier); a
  share of 0 is reached at ``start``.
- ``level_times``: likewise for each of ``ratios`` (escalation levels).
- ``status``: "breached" when ``deadline < stop``, or, without a stop, when
  ``deadline < now`` (at ``now == deadline`` the clock may still be met, so it is
  not yet breached); otherwise "met" when stopped; otherwise "paused" when the
  state at ``now`` is not active (paused, closed or away); otherwise "running".

Pause budget (pause budget rules of the readme): with ``pause_budget`` (whole
minutes), the business minutes spent "paused" are tallied from ``start`` on
(also after ``now`` while the ticket still waits); a "paused" minute at which
the tally has reached the budget counts like an "active" one (in ``used``, in
the deadline, and in ``over_budget``, not in ``paused``), and the first such
minute (business time or not) is ``budget_exhausted_at``. The state at ``now``
is then "active" for the status; while it is still "paused" within the
budget, the walk goes on until the budget runs out, and the deadline, warning
and levels are masked as for any pause.

Units are minutes here; the engine reports seconds.
"""

import datetime as _dt
from dataclasses import dataclass, field
from fractions import Fraction
from zoneinfo import ZoneInfo

MINUTE = _dt.timedelta(minutes=1)
UTC = _dt.timezone.utc
STATES = ("active", "paused", "closed", "away")
#: safety cap of the walk, in minutes of real time after ``start``
DEFAULT_CAP_MINUTES = 60 * 24 * 60


class OracleLimitExceeded(Exception):
    """The walk went further than the safety cap."""


def _check_minute(value, what):
    if not isinstance(value, _dt.datetime) or value.tzinfo is not None:
        raise ValueError(f"{what} must be a naive (UTC) datetime: {value!r}")
    if value.second or value.microsecond:
        raise ValueError(f"{what} must lie on a whole minute: {value!r}")


def _local_to_utc(value, tz):
    """A local naive wall-clock datetime (or a date: its midnight) to naive UTC.

    Ambiguous or missing wall-clock times take ``fold=0`` (the offset in force
    before the change).  Tests avoid relying on this by passing UTC holidays.
    """
    if not isinstance(value, _dt.datetime):
        value = _dt.datetime.combine(value, _dt.time())
    return value.replace(tzinfo=tz, fold=0).astimezone(UTC).replace(tzinfo=None)


@dataclass
class WeeklyCalendar:
    """A weekly working calendar.

    ``attendances``: (weekday 0=Monday, hour_from, hour_to) in local wall-clock
    time, floats (8.5 = 08:30), ``hour_to`` up to 24.  ``holidays``: (start, end)
    pairs of local naive datetimes, or of dates (a date ``d`` as start means
    ``d 00:00``, as end it means the whole day ``d``, i.e. up to ``d+1 00:00``).
    ``holidays_utc``: (start, end) pairs of naive UTC datetimes, half-open.
    ``around_the_clock``: every minute is business time (holidays ignored).
    """

    tz: str = "UTC"
    attendances: tuple = ()
    holidays: tuple = ()
    holidays_utc: tuple = ()
    around_the_clock: bool = False
    _open: bytearray = field(default=None, init=False, repr=False)
    _zone: ZoneInfo = field(default=None, init=False, repr=False)
    _holidays: list = field(default=None, init=False, repr=False)

    def __post_init__(self):
        self._zone = ZoneInfo(self.tz)
        self._open = bytearray(7 * 1440)
        for weekday, hour_from, hour_to in self.attendances:
            if not (0 <= weekday <= 6 and 0 <= hour_from <= hour_to <= 24):
                raise ValueError(f"bad attendance {(weekday, hour_from, hour_to)}")
            first, last = round(hour_from * 60), round(hour_to * 60)
            for minute in range(first, last):
                self._open[weekday * 1440 + minute] = 1
        self._holidays = list(self.holiday_intervals_utc())

    def holiday_intervals_utc(self):
        """The public holidays as half-open naive UTC intervals."""
        result = []
        for start, end in self.holidays:
            if not isinstance(end, _dt.datetime):
                end = end + _dt.timedelta(days=1)
            result.append(
                (_local_to_utc(start, self._zone), _local_to_utc(end, self._zone))
            )
        result.extend(tuple(pair) for pair in self.holidays_utc)
        return result

    def weekly_minutes(self):
        """Business minutes of a plain week (no holiday, no DST change)."""
        return 7 * 1440 if self.around_the_clock else sum(self._open)

    def is_open(self, minute):
        """Whether the UTC minute ``[minute, minute + 1)`` is business time."""
        if self.around_the_clock:
            return True
        local = minute.replace(tzinfo=UTC).astimezone(self._zone)
        if not self._open[local.weekday() * 1440 + local.hour * 60 + local.minute]:
            return False
        return not any(start <= minute < end for start, end in self._holidays)


AROUND_THE_CLOCK = WeeklyCalendar(around_the_clock=True)


def elapsed_minutes(calendar, start, end, cap_minutes=DEFAULT_CAP_MINUTES):
    """Business minutes in ``[start, end)``."""
    _check_minute(start, "start")
    _check_minute(end, "end")
    if (end - start) > cap_minutes * MINUTE:
        raise OracleLimitExceeded(f"{start} .. {end}")
    total, minute = 0, start
    while minute < end:
        total += calendar.is_open(minute)
        minute += MINUTE
    return total


def add_minutes(calendar, start, minutes, cap_minutes=DEFAULT_CAP_MINUTES):
    """Earliest ``t >= start`` with ``elapsed_minutes(start, t) == minutes``."""
    _check_minute(start, "start")
    if minutes < 0:
        raise ValueError("minutes must be >= 0")
    total, minute = 0, start
    while total < minutes:
        if (minute - start) >= cap_minutes * MINUTE:
            raise OracleLimitExceeded(f"{start} + {minutes} min")
        total += calendar.is_open(minute)
        minute += MINUTE
    return minute


@dataclass(frozen=True)
class OracleResult:
    used: int  # minutes
    paused: int  # minutes
    deadline: _dt.datetime | None
    warning_at: _dt.datetime | None
    status: str
    stop: _dt.datetime | None
    level_times: tuple = ()
    over_budget: int = 0  # minutes paused beyond the budget (counted)
    budget_exhausted_at: _dt.datetime | None = None


@dataclass
class ComposedCalendar:
    """A calendar changed for windows of time (clock rule 10): inside an
    ``overrides`` window (start, end, calendar) a minute is business time when
    that calendar says so, outside every such window when ``base`` does; and
    never inside a ``removed`` window (maintenance). Windows are half-open
    naive UTC pairs on whole minutes."""

    base: WeeklyCalendar
    overrides: tuple = ()
    removed: tuple = ()
    around_the_clock: bool = False

    def weekly_minutes(self):
        return self.base.weekly_minutes()

    def is_open(self, minute):
        if any(start <= minute < end for start, end in self.removed):
            return False
        inside = [cal for start, end, cal in self.overrides if start <= minute < end]
        if inside:
            return any(cal.is_open(minute) for cal in inside)
        return self.base.is_open(minute)


def share_seconds(threshold_minutes, ratio):
    """The share ``ratio`` of a threshold in minutes, as exact seconds."""
    return Fraction(ratio).limit_denominator(10**6) * threshold_minutes * 60


class _History:
    """State of the ticket at increasing instants (segments are sorted)."""

    def __init__(self, segments):
        self.segments = list(segments)
        self.index = -1  # last segment starting at or before the last instant asked

    def state_at(self, minute):
        while (
            self.index + 1 < len(self.segments)
            and self.segments[self.index + 1][0] <= minute
        ):
            self.index += 1
        return self.segments[self.index][1] if self.index >= 0 else "active"


def _validate(start, threshold, warning_ratio, segments, stop, now):
    _check_minute(start, "start")
    _check_minute(now, "now")
    if now < start:
        raise ValueError("now must not be before start")
    if stop is not None:
        _check_minute(stop, "stop")
        if not start <= stop <= now:
            raise ValueError("stop must lie in [start, now]")
    if not isinstance(threshold, int) or threshold <= 0:
        raise ValueError("threshold must be a positive whole number of minutes")
    warning = share_seconds(threshold, warning_ratio)
    if not 0 <= warning < threshold * 60:
        raise ValueError("warning_ratio must lie in [0, 1[")
    previous = None
    for seg_start, state in segments:
        _check_minute(seg_start, "segment start")
        if state not in STATES:
            raise ValueError(f"unknown state {state!r}")
        if previous is not None and seg_start <= previous:
            raise ValueError("segments must be sorted by strictly increasing start")
        if seg_start > now:
            raise ValueError("a segment cannot start after now (history is past)")
        previous = seg_start
    if segments and segments[0][0] > start:
        raise ValueError("the first segment must start at or before start")
    return warning


def compute_clock(
    calendar,
    start,
    threshold,
    warning_ratio,
    segments,
    stop,
    now,
    cap_minutes=DEFAULT_CAP_MINUTES,
    ratios=(),
    pause_budget=None,
):
    """The clock at ``now``; see the module docstring.  ``threshold`` in minutes.

    ``segments``: sorted (segment_start_utc, state) pairs; each lasts until the
    next one, the last one forever; no segment means "active" throughout.
    """
    warning = _validate(start, threshold, warning_ratio, segments, stop, now)
    # Shares to place, in seconds: the warning, then each ratio.
    shares = [warning] + [share_seconds(threshold, ratio) for ratio in ratios]
    history = _History(segments)
    limit = now if stop is None else stop
    state_now = _History(segments).state_at(now)
    # Paused at now with a budget: the walk goes on until the budget runs out.
    budget_open = stop is None and state_now == "paused" and pause_budget is not None
    if budget_open and _paused_minutes(calendar, segments, start, now) >= pause_budget:
        state_now = "active"  # over budget: it counts
    # Still waiting within the budget: the budget runs out later.
    budget_pending = budget_open and state_now == "paused"
    frozen_inactive = stop is None and state_now != "active" and not budget_pending

    walk = _Walk(calendar, start, threshold, shares, limit, pause_budget)
    minute = start
    while not walk.done(minute, budget_open):
        if minute >= now and frozen_inactive:
            break  # nothing accrues any more: deadline/warning unknown if not yet
        if (minute - start) >= cap_minutes * MINUTE:
            raise OracleLimitExceeded(f"clock from {start}: no deadline in the cap")
        # After the stop: active; without a stop, the state at now goes on.
        if minute >= limit and stop is not None:
            walk.step(minute, "active")
        else:
            walk.step(minute, history.state_at(minute))
        minute += MINUTE

    deadline, warning_at, *level_times = [walk.deadline, *walk.placed]
    if frozen_inactive or budget_pending:
        # Pushed by the pause: only what was reached by now is known.
        warning_at, *level_times = (
            moment if moment and moment <= now else None
            for moment in (warning_at, *level_times)
        )
    if budget_pending and deadline and deadline > now:
        deadline = None
    if deadline is not None and deadline < limit:
        status = "breached"
    elif stop is not None:
        status = "met"
    elif state_now != "active":
        status = "paused"
    else:
        status = "running"
    return OracleResult(
        walk.used,
        walk.paused,
        deadline,
        warning_at,
        status,
        stop,
        tuple(level_times),
        walk.over,
        walk.exhausted,
    )


class _Walk:
    """The minute-by-minute tallies of ``compute_clock``."""

    def __init__(self, calendar, start, threshold, shares, limit, pause_budget):
        self.calendar, self.threshold, self.shares = calendar, threshold, shares
        self.limit, self.pause_budget = limit, pause_budget
        self.placed = [start if share <= 0 else None for share in shares]
        self.used = self.paused = self.counted = self.over = self.tally = 0
        self.deadline = self.exhausted = None

    def done(self, minute, budget_open):
        return (
            minute >= self.limit
            and self.deadline is not None
            and all(moment is not None for moment in self.placed)
            and (self.exhausted is not None or not budget_open)
        )

    def step(self, minute, state):
        """Count the minute ``[minute, minute + 1)`` spent in ``state``."""
        beyond = (
            state == "paused"
            and self.pause_budget is not None
            and self.tally >= self.pause_budget
        )
        if beyond:
            self.exhausted = self.exhausted or minute
            state = "active"
        if not self.calendar.is_open(minute):
            return
        if state == "paused":
            self.tally += 1
            self.paused += minute < self.limit
        elif state == "active":
            self._count(minute, beyond)

    def _count(self, minute, beyond):
        self.counted += 1
        if minute < self.limit:
            self.used += 1
            self.over += beyond
        for index, share in enumerate(self.shares):
            if self.placed[index] is None and share <= 60 * self.counted:
                into = share - 60 * (self.counted - 1)  # seconds into the minute
                seconds = -(-into.numerator // into.denominator)  # ceil
                self.placed[index] = minute + _dt.timedelta(seconds=seconds)
        if self.counted == self.threshold:
            self.deadline = minute + MINUTE


def _paused_minutes(calendar, segments, start, end):
    """Business minutes in ``[start, end)`` whose state is "paused"."""
    history, minute, total = _History(segments), start, 0
    while minute < end:
        total += history.state_at(minute) == "paused" and calendar.is_open(minute)
        minute += MINUTE
    return total


# ----------------------------------------------------------------------
# Cycles and business-day deadlines (clock rules 12, 15 and 16)
# ----------------------------------------------------------------------


def reopen_cycles(start, closings, now):
    """Resolution cycles when a reopening starts a new cycle, minute by minute.

    ``closings``: sorted (instant, closed) pairs on whole minutes, the ticket
    being open before the first one. Walking the minutes from ``start`` to
    ``now``: a cycle runs from ``start``; it stops at the first minute the
    ticket is closed; the first minute it is open again starts the next.
    Returns (cycle start, stop or None) pairs.
    """
    _check_minute(start, "start")
    _check_minute(now, "now")

    def closed_at(minute):
        flag = False
        for instant, value in closings:
            if instant <= minute:
                flag = value
        return flag

    cycles = []
    running = None
    minute = start
    while minute <= now:
        closed = closed_at(minute)
        if running is None and not closed and (not cycles or minute > start):
            running = minute
        if minute == start and closed and not cycles:
            cycles.append((start, start))
        elif running is not None and closed:
            cycles.append((running, minute))
            running = None
        minute += MINUTE
    if running is not None:
        cycles.append((running, None))
    return cycles


def business_day_deadline(calendar, start, days, cap_days=800):
    """End of the working time of the ``days``-th working day, minute by minute.

    Local days of the calendar's time zone; a day counts when one of its
    minutes (from ``start`` on, for the day of ``start``) is business time;
    the deadline is the end of the last such minute of the day.
    """
    _check_minute(start, "start")
    zone = ZoneInfo(calendar.tz if hasattr(calendar, "tz") else "UTC")
    day = start.replace(tzinfo=UTC).astimezone(zone).date()
    counted = 0
    for _offset in range(cap_days):
        first = max(start, _local_to_utc(day, zone))
        end = _local_to_utc(day + _dt.timedelta(days=1), zone)
        last_open = None
        minute = first
        while minute < end:
            if calendar.is_open(minute):
                last_open = minute
            minute += MINUTE
        if last_open is not None:
            if counted == days:
                return last_open + MINUTE
            counted += 1
        day += _dt.timedelta(days=1)
    raise OracleLimitExceeded(f"{days} business days from {start}")


def reply_cycles(messages, replies, closings, now):
    """Next-reply cycles (clock rule 17), minute by minute.

    Instants are distinct whole minutes. Walking the minutes up to ``now``:
    the ticket's closed flag follows ``closings``; a running cycle stops at a
    reply or at the minute the ticket is closed; a customer message after the
    first reply starts a cycle when none runs and the ticket is open.
    """
    first = min(replies) if replies else None
    moments = [*messages, *replies, *(instant for instant, _flag in closings)]
    if not moments or first is None:
        return []
    cycles = []
    running = None
    closed = False
    minute = min(moments)
    while minute <= now:
        for instant, flag in closings:
            if instant == minute:
                closed = flag
        if running is not None and (minute in replies or closed):
            cycles.append((running, minute))
            running = None
        if running is None and minute in messages and minute > first and not closed:
            running = minute
        minute += MINUTE
    if running is not None:
        cycles.append((running, None))
    return cycles


def update_cycles(replies, closings, now):
    """Periodic-update cycles (clock rule 18), minute by minute.

    Instants are distinct whole minutes. Walking the minutes up to ``now``:
    the ticket's closed flag follows ``closings``; once a reply was seen, a
    cycle runs whenever the ticket is open; a reply while open ends the
    running cycle and starts the next; closing ends it; reopening starts one.
    """
    moments = [*replies, *(instant for instant, _flag in closings)]
    if not replies:
        return []
    cycles = []
    running = None
    seen = closed = False
    minute = min(moments)
    while minute <= now:
        for instant, flag in closings:
            if instant == minute:
                closed = flag
        if closed and running is not None:
            cycles.append((running, minute))
            running = None
        if minute in replies:
            seen = True
            if not closed:
                if running is not None:
                    cycles.append((running, minute))
                running = minute
        elif seen and not closed and running is None:
            running = minute
        minute += MINUTE
    if running is not None:
        cycles.append((running, None))
    return cycles
