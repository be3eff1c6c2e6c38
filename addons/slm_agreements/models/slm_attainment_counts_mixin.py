# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class SlmAttainmentCountsMixin(models.AbstractModel):
    """The settled clocks of a group (a report row, a supplier's month) as
    counted for attainment, and the attainment computed from the summed
    counts (clock rule 8). Each model says in the help what its group is."""

    _name = "slm.attainment.counts.mixin"
    _inherit = ["slm.summed.ratio.mixin"]
    _description = "SLM Attainment Counts"

    measured = fields.Integer(readonly=True)
    met = fields.Integer(readonly=True)
    breached = fields.Integer(readonly=True)
    excused = fields.Integer(readonly=True)
    attainment = fields.Float(string="Attainment (%)", readonly=True, aggregator="avg")
