# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Availability of a service in a period (clock rule 9), as pure arithmetic.

Intervals are half-open ``(start, end)`` pairs of naive UTC datetimes. The
service hours are given as a function ``measure(start, end)`` that returns the
seconds of service time in ``[start, end)`` (``BusinessTime.elapsed``): the
target's calendar, its time zone and public holidays, or around the clock.

- agreed service time = the service hours of the period, minus the agreed
  maintenance windows;
- downtime = the union of the outages (overlapping outages count once),
  inside agreed service time;
- availability = (agreed - downtime) / agreed.

Nothing after ``now`` has happened yet: an outage still going on (no end)
counts until ``now``, and a later outage does not count. The agreed time of
the whole period is known in advance (the downtime budget is a share of it);
``agreed_to_date`` is the part up to ``now``, against which the availability
measured so far is reckoned.
"""

from dataclasses import dataclass

from .timeline import intervals, pairs

ACHIEVED = "achieved"
AT_RISK = "at_risk"
MISSED = "missed"
# Worse statuses have a higher rank.
STATUS_RANK = {ACHIEVED: 0, AT_RISK: 1, MISSED: 2}


def until(outages, now):
    """Outages as they stand at ``now``: one without end lasts until ``now``,
    what lies after ``now`` has not happened."""
    return pairs(intervals((start, min(end or now, now)) for start, end in outages))


@dataclass(frozen=True)
class Availability:
    """Figures of one period, in seconds of service time."""

    agreed: int  # agreed service time of the whole period
    agreed_to_date: int  # of which up to now
    downtime: int  # inside agreed service time, up to now

    @property
    def availability(self):
        """Availability so far, in % (100 when no agreed time has passed yet)."""
        if not self.agreed_to_date:
            return 100.0
        return 100.0 * (self.agreed_to_date - self.downtime) / self.agreed_to_date

    def budget(self, objective_pct):
        """Downtime the objective allows over the whole period, in seconds."""
        return round(self.agreed * (100.0 - objective_pct) / 100.0, 3)

    def status(self, objective_pct, warning_pct, closed):
        """achieved, at risk or missed.

        Missed: the downtime exceeds the budget of the whole period, so the
        objective can no longer be reached. At risk (a period still running):
        more than ``warning_pct`` % of that budget is used. Achieved otherwise.
        For a closed period, missed is exactly availability < objective.
        """
        budget = self.budget(objective_pct)
        if self.downtime > budget:
            return MISSED
        if not closed and self.downtime > round(budget * warning_pct / 100.0, 3):
            return AT_RISK
        return ACHIEVED


def compute(measure, period_start, period_end, maintenance, outages, now):
    """The ``Availability`` of one period.

    :param measure: ``measure(start, end)``: seconds of service time in
        ``[start, end)``
    :param maintenance: agreed maintenance windows, ``(start, end)`` pairs
    :param outages: ``(start, end)`` pairs, ``end`` None while still going on
    :param now: the present; nothing after it has happened yet
    """
    agreed_spans = intervals([(period_start, period_end)]) - intervals(maintenance)
    past_spans = agreed_spans & intervals([(period_start, now)])
    down_spans = intervals(until(outages, now)) & past_spans
    return Availability(
        agreed=_measured(measure, agreed_spans),
        agreed_to_date=_measured(measure, past_spans),
        downtime=_measured(measure, down_spans),
    )


def _measured(measure, spans):
    return sum(measure(start, end) for start, end in pairs(spans))
