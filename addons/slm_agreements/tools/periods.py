# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Calendar months as first days, with Odoo's ``date_utils``.

Which month a figure belongs to is the period rule (clock rule 13: the
agreement's time zone); this only enumerates months.
"""

from odoo.tools.date_utils import date_range, start_of


def months_between(first, last):
    """First days of the months from ``first``'s to ``last``'s, both included;
    none when ``last`` comes before ``first``'s month."""
    first, last = start_of(first, "month"), start_of(last, "month")
    return list(date_range(first, last)) if first <= last else []
