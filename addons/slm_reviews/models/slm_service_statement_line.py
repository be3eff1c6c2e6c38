# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class SlmServiceStatementLine(models.Model):
    """The frozen figures of one target in a monthly statement."""

    _name = "slm.service.statement.line"
    _description = "Monthly Service Statement Line"
    _order = "statement_id, sequence, id"

    sequence = fields.Integer(default=10)
    statement_id = fields.Many2one(
        "slm.service.statement", required=True, index=True, ondelete="cascade"
    )
    target_id = fields.Many2one("slm.target", required=True, ondelete="restrict")
    target_name = fields.Char(help="The target's name when the statement was made.")
    metric = fields.Selection(
        [
            ("response", "First Response"),
            ("resolution", "Resolution"),
            ("availability", "Availability"),
        ],
        required=True,
    )
    objective_pct = fields.Float(string="Objective (%)")
    measured = fields.Integer(help="Tickets measured: met + breached (not excused).")
    met = fields.Integer()
    breached = fields.Integer(help="Breaches not excused.")
    excused = fields.Integer(help="Excused breaches, shown apart.")
    attainment_pct = fields.Float(
        string="Attainment (%)",
        help="Met / measured; for availability, the availability of the month.",
    )
    has_measure = fields.Boolean(help="Something was measured this month.")
    achieved = fields.Boolean()

    def _figures(self):
        self.ensure_one()
        return {
            "measured": self.measured,
            "met": self.met,
            "breached": self.breached,
            "excused": self.excused,
            "attainment": self.attainment_pct if self.has_measure else None,
            "objective": self.objective_pct,
            "achieved": self.achieved,
        }
