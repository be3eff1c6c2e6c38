# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Compare the working time of an SLA target with that of its underpinning.

Instants are integer seconds since the epoch (UTC), intervals half-open
``(start, end)`` pairs. Nothing here reads the database: the caller turns the
calendars into intervals (``slm.alignment.issue``).

- ``uncovered``: the working time of the SLA target that the underpinning
  target's working time leaves out (a narrower calendar);
- ``worst_lateness``: over tickets created at any instant of a reference
  period, how much later the underpinning deadline can fall than the SLA
  deadline, each counted in its own working time (a longer threshold).
"""

from bisect import bisect_left, bisect_right


class Timeline:
    """Working intervals with prefix sums: business seconds and deadlines."""

    def __init__(self, intervals):
        self.starts, self.ends, self._before, self._upto = [], [], [], []
        total = 0
        for start, end in sorted(intervals):
            if end <= start:
                continue
            if self.ends and start <= self.ends[-1]:  # touching or overlapping
                if end > self.ends[-1]:
                    total += end - self.ends[-1]
                    self.ends[-1] = end
                    self._upto[-1] = total
                continue
            self.starts.append(start)
            self.ends.append(end)
            self._before.append(total)
            total += end - start
            self._upto.append(total)

    @property
    def total(self):
        return self._upto[-1] if self._upto else 0

    def intervals(self):
        return list(zip(self.starts, self.ends, strict=True))

    def position(self, t):
        """Business seconds from the start of the timeline up to ``t``."""
        k = bisect_right(self.starts, t) - 1
        if k < 0:
            return 0
        return self._before[k] + min(t, self.ends[k]) - self.starts[k]

    def reaching(self, position):
        """Earliest instant at which ``position`` business seconds are used up,
        or None beyond the timeline."""
        if position <= 0 or not self._upto or position > self._upto[-1]:
            return None
        k = bisect_left(self._upto, position)
        return self.starts[k] + position - self._before[k]

    def add(self, t, seconds):
        """The deadline of a clock started at ``t`` with ``seconds`` to use."""
        return self.reaching(self.position(t) + seconds)

    def business_between(self, start, end):
        return self.position(end) - self.position(start)


def uncovered(required, offered, start, end):
    """The parts of ``required``'s intervals within [start, end) that lie
    outside ``offered``'s intervals, as a sorted list of intervals."""
    gaps = []
    offered_intervals = offered.intervals()
    j = 0
    for req_start, req_end in required.intervals():
        a, b = max(req_start, start), min(req_end, end)
        if a >= b:
            continue
        while j < len(offered_intervals) and offered_intervals[j][1] <= a:
            j += 1
        cursor, k = a, j
        while cursor < b:
            if k >= len(offered_intervals) or offered_intervals[k][0] >= b:
                gaps.append((cursor, b))
                break
            off_start, off_end = offered_intervals[k]
            if off_start > cursor:
                gaps.append((cursor, off_start))
            cursor = max(cursor, off_end)
            k += 1
    return gaps


def worst_lateness(required, required_seconds, offered, offered_seconds, start, end):
    """How much later the offered deadline can fall than the required one.

    For a ticket created at t, the required deadline is
    ``required.add(t, required_seconds)``, the offered one
    ``offered.add(t, offered_seconds)``. Both are piecewise linear in t and
    change slope only where t, or the deadline, crosses an interval boundary:
    the difference reaches its maximum at such an instant, or just after it
    (a deadline jumps over a gap between two intervals). These instants within
    [start, end) are all tried, each at t and t + 1 s.

    Returns (seconds, instant): the largest lateness (0 or less when the
    offered deadline never falls later) and the first instant of creation
    that shows it, preferring a boundary to the second after it, and an
    instant within the required working time.
    """
    candidates = {start}
    for timeline, seconds in (
        (required, required_seconds),
        (offered, offered_seconds),
    ):
        for boundary in timeline.starts + timeline.ends:
            if start <= boundary < end:
                candidates.add(boundary)
            # Creation instants whose deadline lands on this boundary.
            t = timeline.reaching(timeline.position(boundary) - seconds)
            if t is not None and start <= t < end:
                candidates.add(t)
    results = []
    for t in sorted(candidates):
        for probe in (t, t + 1):
            due = required.add(probe, required_seconds)
            offered_due = offered.add(probe, offered_seconds)
            if due is None or offered_due is None:
                continue
            results.append((offered_due - due, probe == t, probe))
    if not results:
        return 0, None
    worst = max(late for late, _exact, _probe in results)
    # The example: preferably a boundary (a round time of day) rather than
    # the second after it, and within the required working time (a ticket
    # created while the customer's clock runs).
    for want_exact, want_working in (
        (True, True),
        (True, False),
        (False, True),
        (False, False),
    ):
        for late, exact, probe in results:
            working = required.position(probe + 1) > required.position(probe)
            if late >= worst - 1 and exact == want_exact and working >= want_working:
                return worst, probe
    return worst, None
