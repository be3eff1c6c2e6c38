# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.tools import SQL


class SlmSummedRatioMixin(models.AbstractModel):
    """Percentages of a group computed from its summed counts (clock rule 8):
    a group's attainment is its summed met over its summed measured, never an
    average of its rows' percentages (a month with one clock would weigh as
    much as one with a hundred). Nothing measured gives no figure, not 0 %.
    """

    _name = "slm.summed.ratio.mixin"
    _description = "SLM Percentages from Summed Counts"

    # {percentage field: (numerator field, denominator field)}
    _summed_ratios = {"attainment": ("met", "measured")}

    @api.model
    def _read_group_select(self, aggregate_spec, query):
        ratio = self._summed_ratios.get(aggregate_spec.split(":")[0])
        if ratio:
            numerator, denominator = ratio
            return SQL(
                "(100.0 * SUM(%s) / NULLIF(SUM(%s), 0))::float",
                self._field_to_sql(self._table, numerator, query),
                self._field_to_sql(self._table, denominator, query),
            )
        return super()._read_group_select(aggregate_spec, query)
