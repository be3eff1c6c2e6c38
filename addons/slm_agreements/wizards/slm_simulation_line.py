# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class SlmSimulationLine(models.TransientModel):
    """What one target would have achieved in one month."""

    _name = "slm.simulation.line"
    _description = "What-if Simulation Result"
    _order = "target_id, month"

    wizard_id = fields.Many2one(
        "slm.simulation.wizard", required=True, ondelete="cascade"
    )
    target_id = fields.Many2one("slm.target", required=True)
    month = fields.Date(
        required=True, help="First day of the month the clocks settled in."
    )
    measured = fields.Integer(
        help="Clocks that would have settled and count: met, or breached and not "
        "excused."
    )
    met = fields.Integer()
    breached = fields.Integer(help="Breaches that would count (not excused).")
    excused = fields.Integer(
        help="Breaches on tickets whose live breach of the same metric a Service "
        "Level Manager excused: not counted, as in the live attainment.",
    )
    attainment = fields.Float(string="Attainment (%)", compute="_compute_attainment")
    objective_pct = fields.Float(
        related="target_id.objective_pct", string="Objective (%)"
    )
    achieved = fields.Boolean(compute="_compute_attainment")

    @api.depends("met", "breached", "objective_pct")
    def _compute_attainment(self):
        for line in self:
            settled = line.met + line.breached
            line.attainment = 100.0 * line.met / settled if settled else 0.0
            line.achieved = bool(settled) and line.attainment >= line.objective_pct
