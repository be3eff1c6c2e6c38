# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class SlmBreachCause(models.Model):
    """A cause category for the gap analysis of breaches (e.g. understaffed
    shift, waiting on a supplier): the breach analysis groups by it."""

    _name = "slm.breach.cause"
    _description = "Breach Cause"
    _order = "sequence, name, id"

    sequence = fields.Integer(default=10, help="Order in the selection lists.")
    name = fields.Char(
        required=True,
        translate=True,
        help="Short name of the cause category, e.g. Waiting on supplier.",
    )
    description = fields.Text(
        translate=True,
        help="When analysts should choose this cause; shown to them as a hint.",
    )
    active = fields.Boolean(
        default=True,
        help="Archive a cause no longer used: breaches that have it keep it.",
    )
    breach_count = fields.Integer(
        compute="_compute_breach_count",
        string="Breaches",
        help="Breaches analysed with this cause.",
    )

    _sql_constraints = [
        ("name_uniq", "unique(name)", "A breach cause with this name already exists."),
    ]

    @api.depends_context("uid")
    def _compute_breach_count(self):
        counts = self._related_counts("slm.breach", "cause_id")
        for cause in self:
            cause.breach_count = counts.get(cause, 0)

    def action_view_breaches(self):
        return self._related_action(
            "slm_agreements.slm_breach_action", [("cause_id", "=", self.id)]
        )
