# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""One target's clock on one ticket, as a pure function of the ticket's history.

The history is given as *segments*: from each segment's start until the next
one, the ticket was in one state for this clock:

- ``active``: time accrues (inside the target's business hours);
- ``paused``: the ticket sat in a stage the target lists as pausing;
- ``closed``: the ticket was closed (it may have been reopened since);
- ``away``: the ticket was with another team than the one an OLA binds.

A target may give its pauses a *budget* (pause budget rules): once the paused
business time reaches it, the paused time beyond counts as ``over_budget``,
like ``active`` time (the clock counts again in the pausing stage).

Only ``active`` business time counts (``used``). The clock stops for good at
``stop`` (the first public reply of a response clock; the start of the final
closed period of a resolution clock). The deadline is where the counted time
reaches the threshold, every pause pushing it further (clock rules 3 to 7).
After a stop, the deadline shown is the one the clock would have had had it
kept running; while the ticket waits in a pause, there is no deadline yet.
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from pytz import timezone, utc

ACTIVE = "active"
PAUSED = "paused"
# Paused beyond the target's pause budget: counts (pause budget rule 1).
OVER_BUDGET = "over_budget"
COUNTING = (ACTIVE, OVER_BUDGET)
STATES = {ACTIVE, PAUSED, "closed", "away"}


@dataclass(frozen=True)
class Segment:
    start: datetime
    state: str


@dataclass(frozen=True)
class ClockResult:
    deadline: datetime | None
    warning_at: datetime | None
    used: int  # business seconds counted, up to the stop (or now)
    paused: int  # business seconds spent in pausing stages, up to the stop (or now)
    status: str  # running, paused, met, breached
    stop: datetime | None
    # When each requested share of the threshold is (or would be) used up, in
    # the order of ``ratios``; None where not known (see ``deadline``).
    level_times: tuple = ()
    # Pause budget rules: business seconds paused beyond the budget (counted
    # in ``used``, not in ``paused``), up to the stop (or now); when the
    # paused business time reached the budget while the ticket was paused
    # (None: never; may lie after ``now`` while the ticket waits).
    over_budget: int = 0
    budget_exhausted_at: datetime | None = None
    # When the clock last stopped counting, as known at ``now`` (None while
    # it counts): "paused since" (clock display rule 3).
    stopped_since: datetime | None = None


def compute_clock(
    bt,
    start,
    threshold,
    warning_ratio,
    segments,
    stop,
    now,
    ratios=(),
    pause_budget=None,
):
    """Compute a clock. ``bt`` is the target's ``BusinessTime``.

    :param start: when the clock starts (ticket created, reached the team, ...)
    :param threshold: business seconds allowed
    :param warning_ratio: share of the threshold that raises the warning (0.75)
    :param segments: the history, ``Segment`` list, any order; the state before
        the first one is ``active``; the last one lasts until now and beyond
    :param stop: when the clock stopped for good, or None
    :param now: the present; nothing after it is known
    :param ratios: shares of the threshold (0.5, 1.5, ...) whose times are
        wanted in ``level_times`` (alerts and escalation levels)
    :param pause_budget: business seconds the clock may spend paused (pause
        budget rules); beyond them paused time counts. None: no budget
    """
    if stop is not None and stop < start:
        stop = start
    raw = _spans(start, segments)
    end_known = min(stop, now) if stop is not None else now
    # Nothing is paused after the stop: the budget runs out before it or never.
    spans = _clip(raw, stop) if stop is not None else raw
    spans, exhausted_at = _apply_budget(bt, spans, pause_budget)

    used = _sum_state(bt, spans, COUNTING, end_known)
    paused = _sum_state(bt, spans, (PAUSED,), end_known)
    over_budget = _sum_state(bt, spans, (OVER_BUDGET,), end_known)
    current = raw[-1][2]
    for span_start, span_end, state in spans:
        if span_start <= end_known and (span_end is None or end_known < span_end):
            current = state
            break

    # What happens after what is known: a stopped clock is shown as if it had
    # kept running; a running one goes on as it is; a paused one waits (until
    # its pause budget runs out, when it counts again).
    if stop is not None:
        future = spans + [(stop, None, ACTIVE)]
    else:
        future = spans
    deadline = _reach(bt, future, threshold)
    warning_at = _reach(bt, future, share_seconds(threshold, warning_ratio))
    level_times = [
        _reach(bt, future, share_seconds(threshold, ratio)) for ratio in ratios
    ]
    if stop is None and current not in COUNTING:
        # Pushed by the pause: only a limit already passed is known.
        deadline = _known(deadline, now)
        warning_at = _known(warning_at, now)
        level_times = [_known(moment, now) for moment in level_times]

    if deadline is not None and deadline < end_known:
        status = "breached"
    elif stop is not None:
        status = "met"
    elif current not in COUNTING:
        status = "paused"
    else:
        status = "running"
    return ClockResult(
        deadline,
        warning_at,
        used,
        paused,
        status,
        stop,
        tuple(level_times),
        over_budget=over_budget,
        budget_exhausted_at=exhausted_at,
        stopped_since=_stopped_since(spans, now),
    )


def _apply_budget(bt, spans, budget):
    """The spans with the paused time beyond ``budget`` business seconds
    relabelled ``over_budget``, and the instant the budget ran out (or None).

    The budget runs out at the first instant at which the paused business
    time reaches it while the ticket is paused (pause budget rule 1): inside
    a paused span, or at the start of the next paused span when an earlier
    one used it up exactly at its end. From then on every paused span counts.
    """
    if budget is None:
        return spans, None
    left = max(0, budget)
    exhausted = None
    result = []
    for begin, end, state in spans:
        if state != PAUSED:
            result.append((begin, end, state))
            continue
        if exhausted is not None:
            result.append((begin, end, OVER_BUDGET))
            continue
        if end is not None and bt.elapsed(begin, end) < left:
            left -= bt.elapsed(begin, end)
            result.append((begin, end, PAUSED))
            continue
        at = bt.add(begin, left)
        if end is not None and at >= end:
            # Used up at the very end of this pause: the next one counts.
            left = 0
            result.append((begin, end, PAUSED))
            continue
        exhausted = at
        if at > begin:
            result.append((begin, at, PAUSED))
        result.append((at, end, OVER_BUDGET))
    return result, exhausted


def _stopped_since(spans, now):
    since = None
    for begin, _end, state in spans:
        if begin > now:
            break
        since = None if state in COUNTING else since or begin
    return since


def share_seconds(threshold, ratio):
    """Whole business seconds after which ``ratio`` of ``threshold`` is used up.

    Instants are whole seconds: a share that is not a whole number of seconds
    is used up at the next whole second, never before (clock rule 7). A tiny
    tolerance absorbs float noise (0.7 * 10800 = 7559.999...).
    """
    return max(0, math.ceil(round(threshold * ratio, 6)))


def _known(moment, now):
    return moment if moment is not None and moment <= now else None


def _spans(start, segments):
    """The history from ``start`` on, as (begin, end or None, state) spans."""
    ordered = sorted(segments, key=lambda segment: segment.start)
    state = ACTIVE
    later = []
    for segment in ordered:
        if segment.state not in STATES:
            raise ValueError(f"Unknown clock state {segment.state!r}")
        if segment.start <= start:
            state = segment.state
        else:
            later.append(segment)
    spans = []
    begin = start
    for segment in later:
        if segment.state == state:
            continue
        spans.append((begin, segment.start, state))
        begin, state = segment.start, segment.state
    spans.append((begin, None, state))
    return spans


def _clip(spans, limit):
    """The spans cut at ``limit`` (which then ends the last one kept)."""
    clipped = []
    for begin, end, state in spans:
        if begin >= limit:
            break
        clipped.append((begin, limit if end is None or end > limit else end, state))
    return clipped


def _sum_state(bt, spans, states, limit):
    """Business seconds before ``limit`` spent in one of ``states``."""
    return sum(
        bt.elapsed(begin, end)
        for begin, end, span_state in _clip(spans, limit)
        if span_state in states
    )


def _reach(bt, spans, amount):
    """When the active business time of ``spans`` reaches ``amount``, or None.

    A zero amount is reached at the clock's start, paused or not: nothing
    needs to be used (clock rule 7).
    """
    if amount <= 0:
        return spans[0][0] if spans else None
    counted = 0
    for begin, end, state in spans:
        if state not in COUNTING:
            continue
        if end is None:
            return bt.add(begin, amount - counted)
        available = bt.elapsed(begin, end)
        if counted + available >= amount:
            return bt.add(begin, amount - counted)
        counted += available
    return None


def stopped_counting_since(start, segments, now):
    """When the clock last stopped counting (entered a state other than
    ``active``) and has not counted since, as known at ``now``; None while it
    counts. Shown as "paused since" (clock display rule 3)."""
    since = None
    for begin, _end, state in _spans(start, segments):
        if begin > now:
            break
        since = None if state == ACTIVE else since or begin
    return since


# ----------------------------------------------------------------------
# Cycles and business-day deadlines (clock rules 15 and 16)
# ----------------------------------------------------------------------


def reopen_cycles(start, closings):
    """The cycles of a resolution clock whose reopening starts a new cycle
    (clock rule 15), as (cycle start, stop or None) pairs.

    :param closings: (instant, closed) pairs, sorted: whether the ticket is
        in a closed stage from each instant on (open before the first one)
    The first cycle runs from ``start`` to the first closing at or after it;
    each reopening (closed to open) after ``start`` starts the next cycle,
    which stops at the following closing. The last one may still run.
    """
    closed = False
    later = []
    for instant, flag in closings:
        if instant <= start:
            closed = flag
        else:
            later.append((instant, flag))
    cycles = []
    begin = None
    if closed:
        cycles.append((start, start))
    else:
        begin = start
    for instant, flag in later:
        if flag and begin is not None:
            cycles.append((begin, instant))
            begin = None
        elif not flag and begin is None:
            begin = instant
    if begin is not None:
        cycles.append((begin, None))
    return cycles


def _local_midnight(tz, day):
    """Naive UTC instant of the local midnight starting ``day`` in ``tz``."""
    return (
        tz.localize(datetime.combine(day, datetime.min.time()))
        .astimezone(utc)
        .replace(tzinfo=None)
    )


# A business-day deadline further than this many calendar days from its start
# cannot be computed (a calendar with too few working days).
MAX_BUSINESS_DAY_SPAN = 3 * 366


def business_day_deadline(bt, tz_name, start, days):
    """End of the working time of the ``days``-th working day (clock rule 16).

    Days are the local days of ``tz_name`` (the calendar's time zone); a day
    counts when ``bt`` has working time on it; the day of ``start`` counts
    (as day 0) only when working time is left on it after ``start``. Returns
    the end of the last working time of that day, as a naive UTC instant.
    """
    tz = timezone(tz_name or "UTC")
    day = utc.localize(start).astimezone(tz).date()
    counted = 0
    for _offset in range(MAX_BUSINESS_DAY_SPAN):
        begin = max(start, _local_midnight(tz, day))
        end = _local_midnight(tz, day + timedelta(days=1))
        working = bt.elapsed(begin, end)
        if working > 0:
            if counted == days:
                return bt.add(begin, working)
            counted += 1
        day += timedelta(days=1)
    raise ValueError(
        f"No {days + 1} working days within {MAX_BUSINESS_DAY_SPAN} days of {start}."
    )


def reply_cycles(messages, replies, closings):
    """The cycles of a next-reply clock (clock rule 17), as (cycle start,
    stop or None) pairs.

    :param messages: instants of the customer's public messages
    :param replies: instants of the public replies that count (the first is
        the first response)
    :param closings: (instant, closed) pairs, sorted, as for ``reopen_cycles``
    A cycle starts at a customer message after the first response, while the
    ticket is open and no cycle runs (at or after the previous cycle's stop);
    it stops at the next reply (at or after the message) or at the ticket's
    next closing, whichever comes first.
    """
    replies = sorted(replies)
    if not replies:
        return []
    first = replies[0]
    cycles = []
    previous_stop = None
    for message in sorted(messages):
        if message <= first:
            continue
        if cycles and (previous_stop is None or message < previous_stop):
            continue  # a cycle runs
        closed = False
        for instant, flag in closings:
            if instant > message:
                break
            closed = flag
        if closed:
            continue
        answer = next((reply for reply in replies if reply >= message), None)
        closing = next(
            (instant for instant, flag in closings if flag and instant > message),
            None,
        )
        stop = min(filter(None, (answer, closing)), default=None)
        cycles.append((message, stop))
        previous_stop = stop
    return cycles


def update_cycles(replies, closings):
    """The cycles of a periodic-update clock (clock rule 18), as (cycle
    start, stop or None) pairs.

    :param replies: instants of the public replies that count
    :param closings: (instant, closed) pairs, sorted, as for ``reopen_cycles``
    From the first reply on, while the ticket is open, a cycle runs from a
    reply (or a reopening) to the next reply or closing; a reply while the
    ticket is closed starts nothing. At the same instant a closing or a
    reopening comes before a reply; cycles of no time are left out.
    """
    moments = sorted(
        [(instant, 0, flag) for instant, flag in closings]
        + [(instant, 1, None) for instant in replies]
    )
    cycles = []
    running = None
    started = closed = False
    for instant, kind, flag in moments:
        if kind == 0:
            closed = flag
            if closed and running is not None:
                if instant > running:
                    cycles.append((running, instant))
                running = None
            elif not closed and started and running is None:
                running = instant
            continue
        started = True
        if closed:
            continue
        if running is not None and instant > running:
            cycles.append((running, instant))
        running = instant
    if running is not None:
        cycles.append((running, None))
    return cycles


def explain_spans(bt, start, segments, stop, now, pause_budget=None):
    """The history of a clock up to its stop (or ``now``) as (begin, end,
    state, business seconds) spans: its explainable timeline. The business
    seconds of the ``active`` and ``over_budget`` spans sum to the clock's
    ``used``, those of the ``paused`` ones to its ``paused``."""
    if stop is not None and stop < start:
        stop = start
    end_known = min(stop, now) if stop is not None else now
    spans, _exhausted = _apply_budget(
        bt, _clip(_spans(start, segments), end_known), pause_budget
    )
    return [(begin, end, state, bt.elapsed(begin, end)) for begin, end, state in spans]
