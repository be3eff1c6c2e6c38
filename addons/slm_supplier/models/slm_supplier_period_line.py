# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class SlmSupplierPeriodLine(models.Model):
    """One target of an underpinning contract in one month: its clocks
    settled in the month, its attainment against its objective. Written by
    the month's counting only (``slm.supplier.period``), frozen with it."""

    _name = "slm.supplier.period.line"
    _inherit = ["slm.attainment.counts.mixin"]
    _description = "Supplier Performance per Target and Month"
    _order = "period_start desc, period_id, target_id"

    period_id = fields.Many2one(
        "slm.supplier.period",
        string="Month",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
        help="The contract's month this line belongs to.",
    )
    agreement_id = fields.Many2one(
        related="period_id.agreement_id",
        store=True,
        index=True,
        string="Contract",
        help="The underpinning contract.",
    )
    supplier_id = fields.Many2one(
        related="period_id.supplier_id",
        store=True,
        index=True,
        string="Supplier",
        help="The contract's supplier.",
    )
    period_start = fields.Date(
        related="period_id.period_start",
        store=True,
        index=True,
        string="Month Start",
        help="First day of the month measured.",
    )
    state = fields.Selection(
        related="period_id.state", string="Status", help="The month's status."
    )
    company_id = fields.Many2one(related="period_id.company_id", store=True)
    target_id = fields.Many2one(
        "slm.target",
        string="Target",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
        help="The contract's target measured.",
    )
    metric = fields.Selection(
        related="target_id.metric",
        store=True,
        help="First response, resolution or another measure.",
    )
    objective_pct = fields.Float(
        string="Objective (%)",
        readonly=True,
        aggregator="avg",
        help="The target's objective when the month was counted: it is "
        "achieved when its attainment reaches it.",
    )
    measured = fields.Integer(help="Clocks met, or breached and not excused.")
    met = fields.Integer(help="Clocks met in the month.")
    breached = fields.Integer(help="Clocks breached in the month, not excused.")
    excused = fields.Integer(help="Breaches excused: not counted in attainment.")
    attainment = fields.Float(
        help="Met / (met + breached not excused), in %. Totals are computed "
        "from the clocks, not averaged.",
    )
    achieved = fields.Boolean(
        readonly=True,
        help="Attainment reached the objective (a month without measured "
        "clocks is not achieved, nor missed).",
    )

    _sql_constraints = [
        (
            "period_target_uniq",
            "unique(period_id, target_id)",
            "A month has one line per target.",
        ),
    ]
