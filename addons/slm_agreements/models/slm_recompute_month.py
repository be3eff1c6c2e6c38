# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class SlmRecomputeMonth(models.Model):
    """The attainment of one target in one month as measured and as a
    recomputation would make it (recomputation rule 2): both from the one
    counting of ``slm.clock._attainment_counts`` (clock rules 8 and 13).
    Written by the preview only."""

    _name = "slm.recompute.month"
    _inherit = ["slm.recompute.preview.mixin"]
    _description = "Month Figures Changed by a Recomputation"
    _order = "run_id, period_date, target_id"

    target_id = fields.Many2one(
        "slm.target", required=True, readonly=True, index=True, ondelete="cascade"
    )
    agreement_id = fields.Many2one(related="target_id.agreement_id")
    period_date = fields.Date(string="Month", required=True, readonly=True, index=True)
    measured_met = fields.Integer(string="Met", readonly=True)
    measured_breached = fields.Integer(string="Breached", readonly=True)
    measured_attainment = fields.Float(string="Attainment (%)", readonly=True)
    measured_has_measure = fields.Boolean(readonly=True)
    recomputed_met = fields.Integer(string="Met Recomputed", readonly=True)
    recomputed_breached = fields.Integer(string="Breached Recomputed", readonly=True)
    recomputed_attainment = fields.Float(
        string="Attainment Recomputed (%)", readonly=True
    )
    recomputed_has_measure = fields.Boolean(readonly=True)
    changed = fields.Boolean(
        readonly=True,
        index=True,
        help="The recomputation changes this month's met or breached count.",
    )
