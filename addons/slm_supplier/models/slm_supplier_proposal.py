# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .slm_supplier_rfp import SCORING_STATES

# Changes of these fields would alter the ranking of a decided request.
LOCKED_FIELDS = {"rfp_id", "supplier_id", "price", "currency_id", "score_ids"}
# Scores equal to this many decimals share a rank.
RANK_DIGITS = 6


class SlmSupplierProposal(models.Model):
    """A supplier's proposal in answer to a request for proposal, scored on
    each of its criteria; the weighted total ranks it among the others."""

    _name = "slm.supplier.proposal"
    _description = "Supplier Proposal"
    _inherit = ["mail.thread", "mail.activity.mixin", "slm.workflow.mixin"]
    _order = "rfp_id desc, rank, price, id"
    _check_company_auto = True

    name = fields.Char(
        compute="_compute_name",
        store=True,
        help="The request's reference and the supplier.",
    )
    rfp_id = fields.Many2one(
        "slm.supplier.rfp",
        string="Request for Proposal",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        help="The request for proposal this proposal answers.",
    )
    rfp_state = fields.Selection(
        related="rfp_id.state", string="Request Status", help="Status of the request."
    )
    invited_supplier_ids = fields.Many2many(
        related="rfp_id.supplier_ids",
        string="Invited Suppliers",
        help="The suppliers invited to the request: only they may propose.",
    )
    supplier_id = fields.Many2one(
        "res.partner",
        string="Supplier",
        required=True,
        index=True,
        tracking=True,
        domain="[('id', 'in', invited_supplier_ids)]",
        help="The supplier who proposes; it must be invited to the request.",
    )
    company_id = fields.Many2one(related="rfp_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
        tracking=True,
        help="The currency of the price.",
    )
    price = fields.Monetary(
        tracking=True,
        help="The price proposed for the contract's term: the drafted "
        "contract's value if this proposal wins.",
    )
    date_received = fields.Date(
        string="Received On",
        default=fields.Date.context_today,
        help="When the proposal was received.",
    )
    notes = fields.Html(help="What the supplier offers, and the evaluators' notes.")
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "slm_supplier_proposal_attachment_rel",
        "proposal_id",
        "attachment_id",
        string="Documents",
        help="The proposal's documents as received from the supplier.",
    )
    score_ids = fields.One2many(
        "slm.supplier.proposal.score",
        "proposal_id",
        string="Scores",
        help="The score of the proposal on each criterion, from 0 to 10.",
    )
    total_score = fields.Float(
        string="Score (0-10)",
        compute="_compute_total_score",
        store=True,
        digits=(16, 2),
        help="The weighted score: sum of (weight x score) over the criteria, "
        "divided by the sum of the weights. From 0 to 10.",
    )
    total_score_pct = fields.Float(
        string="Score (%)",
        compute="_compute_total_score",
        store=True,
        digits=(16, 2),
        aggregator="avg",
        help="The weighted score as a percentage of the best possible (10).",
    )
    rank = fields.Integer(
        compute="_compute_rank",
        store=True,
        aggregator="min",
        help="Place among the request's proposals by weighted score, 1 being "
        "the best. Equal scores share a place.",
    )
    state = fields.Selection(
        [("submitted", "Submitted"), ("won", "Won"), ("lost", "Lost")],
        string="Status",
        required=True,
        default="submitted",
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
        help="Submitted: received, being scored. Won: selected as the winner "
        "(its contract is drafted). Lost: another proposal won.",
    )
    agreement_id = fields.Many2one(
        related="rfp_id.agreement_id",
        string="Contract",
        help="The contract drafted for the winner of the request.",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("rfp_id.reference", "supplier_id.name")
    def _compute_name(self):
        for proposal in self:
            proposal.name = " / ".join(
                part
                for part in (proposal.rfp_id.reference, proposal.supplier_id.name)
                if part
            )

    @api.depends("score_ids.score", "score_ids.criterion_id.weight")
    def _compute_total_score(self):
        for proposal in self:
            weighted = total_weight = 0.0
            for line in proposal.score_ids:
                weighted += line.criterion_id.weight * line.score
                total_weight += line.criterion_id.weight
            total = weighted / total_weight if total_weight else 0.0
            proposal.total_score = total
            proposal.total_score_pct = total * 10.0

    @api.depends("total_score", "rfp_id.proposal_ids.total_score")
    def _compute_rank(self):
        for rfp in self.rfp_id:
            scores = [
                round(score, RANK_DIGITS)
                for score in rfp.proposal_ids.mapped("total_score")
            ]
            for proposal in self.filtered(lambda p, r=rfp: p.rfp_id == r):
                own = round(proposal.total_score, RANK_DIGITS)
                proposal.rank = 1 + sum(1 for score in scores if score > own)
        (self - self.filtered("rfp_id")).rank = 0

    @api.onchange("rfp_id")
    def _onchange_rfp_id(self):
        """A new proposal shows one score line per criterion of its request."""
        if self._origin.id:
            return
        self.score_ids = [(5, 0, 0)] + [
            (0, 0, {"criterion_id": criterion.id})
            for criterion in self.rfp_id.criterion_ids
        ]

    # ------------------------------------------------------------------
    # Constraints and CRUD
    # ------------------------------------------------------------------

    @api.constrains("supplier_id", "rfp_id")
    def _check_supplier_invited(self):
        for proposal in self:
            if proposal.supplier_id not in proposal.rfp_id.supplier_ids:
                raise ValidationError(
                    self.env._(
                        "%(supplier)s was not invited to %(rfp)s: only invited "
                        "suppliers can submit proposals. Invite it first (tab "
                        "Invited Suppliers of the request).",
                        supplier=proposal.supplier_id.display_name,
                        rfp=proposal.rfp_id.display_name,
                    )
                )

    @api.constrains("supplier_id", "rfp_id")
    def _check_one_per_supplier(self):
        for proposal in self:
            twins = proposal.rfp_id.proposal_ids.filtered(
                lambda p, s=proposal.supplier_id: p.supplier_id == s
            )
            if len(twins) > 1:
                raise ValidationError(
                    self.env._(
                        "%(supplier)s already has a proposal for %(rfp)s: a "
                        "supplier submits one proposal per request. Update that "
                        "one instead.",
                        supplier=proposal.supplier_id.display_name,
                        rfp=proposal.rfp_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(
            vals.get("state", "submitted") != "submitted" for vals in vals_list
        ):
            raise UserError(self._state_error())
        proposals = super().create(vals_list)
        proposals._check_receiving()
        self.env["slm.supplier.proposal.score"]._create_missing(proposals)
        return proposals

    def write(self, vals):
        self._check_workflow_vals(vals, self._state_error())
        if LOCKED_FIELDS.intersection(vals):
            self.rfp_id._check_not_done()
        return super().write(vals)

    def _state_error(self):
        return self.env._(
            "A proposal wins or loses only through the button Select as Winner "
            "of the winning proposal: its status cannot be written directly."
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_decided(self):
        self.rfp_id._check_not_done()

    def _check_receiving(self):
        labels = dict(self.env["slm.supplier.rfp"]._fields["state"].selection)
        for proposal in self:
            if proposal.rfp_id.state not in SCORING_STATES:
                raise UserError(
                    self.env._(
                        "%(rfp)s is %(state)s: proposals are recorded while the "
                        "request is open or in evaluation.",
                        rfp=proposal.rfp_id.display_name,
                        state=labels[proposal.rfp_id.state].lower(),
                    )
                )

    # ------------------------------------------------------------------
    # Selection of the winner
    # ------------------------------------------------------------------

    def action_select_winner(self):
        """This proposal wins: the others lose, the request is decided, and
        the winner's underpinning contract is drafted and opened."""
        self.ensure_one()
        if self.state != "submitted":
            raise UserError(
                self.env._(
                    "%(proposal)s has already been decided on.",
                    proposal=self.display_name,
                )
            )
        contract = self.rfp_id._select_winner(self)
        return contract._get_form_action()

    def _contract_values(self):
        """The draft underpinning contract of this winning proposal."""
        self.ensure_one()
        rfp = self.rfp_id
        return {
            "name": rfp.name,
            "kind": "uc",
            "supplier_id": self.supplier_id.id,
            "service_ids": [(6, 0, rfp.service_ids.ids)],
            "contract_value": self.price,
            "currency_id": self.currency_id.id,
            "supplier_manager_id": rfp.user_id.id,
            "description": rfp.requirements,
            "company_id": rfp.company_id.id,
            "supplier_proposal_id": self.id,
        }
