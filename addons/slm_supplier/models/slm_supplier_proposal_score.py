# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

SCORE_MAX = 10.0


class SlmSupplierProposalScore(models.Model):
    """The score of one proposal on one criterion of its request, 0 to 10."""

    _name = "slm.supplier.proposal.score"
    _description = "Supplier Proposal Score"
    _order = "proposal_id, sequence, criterion_id"

    proposal_id = fields.Many2one(
        "slm.supplier.proposal",
        string="Proposal",
        required=True,
        index=True,
        ondelete="cascade",
        help="The proposal scored.",
    )
    criterion_id = fields.Many2one(
        "slm.supplier.rfp.criterion",
        string="Criterion",
        required=True,
        index=True,
        ondelete="cascade",
        help="The criterion scored, from the proposal's request.",
    )
    sequence = fields.Integer(
        related="criterion_id.sequence", store=True, help="Order of the criteria."
    )
    rfp_id = fields.Many2one(
        related="proposal_id.rfp_id", store=True, help="The request for proposal."
    )
    supplier_id = fields.Many2one(
        related="proposal_id.supplier_id", store=True, help="The supplier."
    )
    company_id = fields.Many2one(related="proposal_id.company_id", store=True)
    weight = fields.Float(
        related="criterion_id.weight", help="The weight of the criterion."
    )
    score = fields.Float(
        digits=(16, 2),
        help="How well the proposal meets the criterion: 0 (not at all) to 10 "
        "(fully).",
    )
    note = fields.Char(help="Why this score.")

    _sql_constraints = [
        (
            "proposal_criterion_uniq",
            "unique(proposal_id, criterion_id)",
            "A proposal has one score per criterion.",
        ),
    ]

    @api.constrains("score")
    def _check_score(self):
        for line in self:
            if not 0 <= line.score <= SCORE_MAX:
                raise ValidationError(
                    self.env._(
                        "Scores go from 0 to 10: %(score)s for '%(criterion)s' "
                        "of %(proposal)s is outside that scale.",
                        score=line.score,
                        criterion=line.criterion_id.name,
                        proposal=line.proposal_id.display_name,
                    )
                )

    @api.constrains("proposal_id", "criterion_id")
    def _check_same_rfp(self):
        for line in self:
            if line.criterion_id.rfp_id != line.proposal_id.rfp_id:
                raise ValidationError(
                    self.env._(
                        "'%(criterion)s' is a criterion of another request than "
                        "%(proposal)s's.",
                        criterion=line.criterion_id.name,
                        proposal=line.proposal_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.proposal_id.rfp_id._check_not_done()
        return lines

    def write(self, vals):
        if {"score", "criterion_id", "proposal_id"}.intersection(vals):
            self.proposal_id.rfp_id._check_not_done()
        return super().write(vals)

    @api.model
    def _create_missing(self, proposals):
        """A score line (0) for each criterion of their request that each of
        ``proposals`` has not been scored on yet. One search, one create."""
        if not proposals:
            return self.browse()
        existing = {
            (line.proposal_id.id, line.criterion_id.id)
            for line in self.search([("proposal_id", "in", proposals.ids)])
        }
        vals_list = [
            {"proposal_id": proposal.id, "criterion_id": criterion.id}
            for proposal in proposals
            for criterion in proposal.rfp_id.criterion_ids
            if (proposal.id, criterion.id) not in existing
        ]
        return self.create(vals_list)
