# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Compare the working time of an SLA target with that of its underpinning.

Instants are integer seconds since the epoch (UTC), intervals half-open
``(start, end)`` pairs, working time a ``Timeline``. Nothing here reads the
database: the caller turns the calendars into timelines
(``slm.alignment.issue``).

- ``uncovered``: the working time of the SLA target that the underpinning
  target's working time leaves out (a narrower calendar);
- ``worst_lateness``: over tickets created at any instant of a reference
  period, how much later the underpinning deadline can fall than the SLA
  deadline, each counted in its own working time (a longer threshold).
"""

from .timeline import intervals, pairs


def uncovered(required, offered, start, end):
    """The parts of ``required``'s working time within [start, end) that lie
    outside ``offered``'s, as sorted ``(start, end)`` pairs."""
    window = required.spans & intervals([(start, end)])
    return pairs(window - offered.spans)


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
