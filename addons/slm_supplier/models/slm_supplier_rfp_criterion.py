# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .slm_supplier_rfp import weights_checked_by_rfp

# Changes of these fields would alter the ranking of a decided request.
LOCKED_FIELDS = {"name", "weight", "rfp_id"}


class SlmSupplierRfpCriterion(models.Model):
    """A weighted criterion of a request for proposal: each proposal gets a
    score from 0 to 10 on it."""

    _name = "slm.supplier.rfp.criterion"
    _description = "Request for Proposal Criterion"
    _order = "rfp_id, sequence, id"

    name = fields.Char(
        string="Criterion",
        required=True,
        help="What is scored, e.g. price, quality of service, support.",
    )
    sequence = fields.Integer(default=10, help="Order of the criteria.")
    rfp_id = fields.Many2one(
        "slm.supplier.rfp",
        string="Request for Proposal",
        required=True,
        index=True,
        ondelete="cascade",
        help="The request for proposal this criterion belongs to.",
    )
    company_id = fields.Many2one(related="rfp_id.company_id", store=True)
    description = fields.Text(
        help="How to score it: what earns a 10, what a 0.",
    )
    weight = fields.Float(
        default=10.0,
        digits=(16, 2),
        help="How much the criterion counts: its share of the total score is "
        "its weight divided by the sum of all weights (0 or more; at least one "
        "criterion above zero).",
    )
    weight_pct = fields.Float(
        string="Share (%)",
        compute="_compute_weight_pct",
        digits=(16, 2),
        help="The criterion's share of the total score: weight / sum of "
        "weights x 100.",
    )

    @api.depends("weight", "rfp_id.criterion_ids.weight")
    def _compute_weight_pct(self):
        for criterion in self:
            total = sum(criterion.rfp_id.criterion_ids.mapped("weight"))
            criterion.weight_pct = 100.0 * criterion.weight / total if total else 0.0

    @api.constrains("weight")
    def _check_weight(self):
        for criterion in self:
            if criterion.weight < 0:
                raise ValidationError(
                    self.env._(
                        "Criterion '%(criterion)s': a weight cannot be negative "
                        "(%(weight)s). Give 0 to ignore the criterion, or more "
                        "to count it.",
                        criterion=criterion.name,
                        weight=criterion.weight,
                    )
                )
        if not weights_checked_by_rfp(self.env):
            self.rfp_id._check_weights()

    @api.model_create_multi
    def create(self, vals_list):
        criteria = super().create(vals_list)
        criteria.rfp_id._check_not_done()
        # Every proposal already received gets a score line on the new criteria.
        criteria.env["slm.supplier.proposal.score"]._create_missing(
            criteria.rfp_id.proposal_ids
        )
        return criteria

    def write(self, vals):
        if LOCKED_FIELDS.intersection(vals):
            self.rfp_id._check_not_done()
        return super().write(vals)

    def unlink(self):
        rfps = self.rfp_id
        rfps._check_not_done()
        result = super().unlink()
        rfps.exists()._check_weights()
        return result
