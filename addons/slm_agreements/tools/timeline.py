# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Interval algebra and the working time line, without the database.

Interval algebra is Odoo's ``Intervals`` (``resource``): union ``|``,
intersection ``&``, difference ``-``; overlapping or touching intervals merge,
empty ones vanish. ``intervals`` and ``pairs`` convert from and to plain
half-open ``(start, end)`` pairs (datetimes or integer seconds).

``Timeline`` keeps sorted working intervals in integer seconds with prefix
sums, and answers by bisection how much working time lies before an instant
and when an amount of working time is used up: the business time of a clock
(``BusinessTime``) and of the alignment comparison.
"""

from bisect import bisect_left, bisect_right

from odoo.addons.resource.models.utils import Intervals


class _NoRecords:
    """The records of a bare interval: ``Intervals`` keeps records with each
    interval and joins them (``union``) when intervals merge."""

    def union(self, *others):
        return self


NO_RECORDS = _NoRecords()


def intervals(spans):
    """``(start, end)`` pairs -> ``Intervals``."""
    return Intervals((start, end, NO_RECORDS) for start, end in spans)


def pairs(spans):
    """``Intervals`` -> sorted, disjoint, non-empty ``(start, end)`` pairs."""
    return [(start, end) for start, end, _records in spans]


class Timeline:
    """Working intervals in integer seconds, with prefix sums."""

    def __init__(self, spans):
        self.spans = intervals(spans)
        self.starts, self.ends, self._before, self._upto = [], [], [], []
        total = 0
        for start, end in pairs(self.spans):
            self.starts.append(start)
            self.ends.append(end)
            self._before.append(total)
            total += end - start
            self._upto.append(total)

    @property
    def total(self):
        return self._upto[-1] if self._upto else 0

    def position(self, t):
        """Working seconds from the start of the timeline up to ``t``."""
        k = bisect_right(self.starts, t) - 1
        if k < 0:
            return 0
        return self._before[k] + min(t, self.ends[k]) - self.starts[k]

    def reaching(self, position):
        """Earliest instant at which ``position`` working seconds are used up,
        or None beyond the timeline."""
        if position <= 0 or position > self.total:
            return None
        k = bisect_left(self._upto, position)
        return self.starts[k] + position - self._before[k]

    def add(self, t, seconds):
        """The deadline of a clock started at ``t`` with ``seconds`` to use."""
        return self.reaching(self.position(t) + seconds)

    def business_between(self, start, end):
        return self.position(end) - self.position(start)
