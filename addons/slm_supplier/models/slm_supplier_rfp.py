# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from contextlib import contextmanager

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.slm_agreements.tools.records import name_copies

RFP_STATES = [
    ("draft", "Draft"),
    ("open", "Open"),
    ("evaluation", "Evaluation"),
    ("decided", "Decided"),
    ("cancelled", "Cancelled"),
]
# States in which proposals are received and scored, and a winner selected.
SCORING_STATES = ("open", "evaluation")
# States after which criteria, proposals and scores no longer change.
DONE_STATES = ("decided", "cancelled")
# Key in the cursor's cache (not the context: a caller cannot set it): while a
# request writes its criteria, it checks their weights once all are written
# (a form saves them one by one: (10, 0) -> (0, 10) passes through (0, 0)).
WEIGHTS_CHECKED_BY_RFP = "slm_rfp_checks_weights"


# Set by the buttons only (Open, Start Evaluation, Cancel, Reset to Draft,
# Select Winner): plain writes are refused (guard rule 1).
WORKFLOW_FIELDS = {"state", "winner_id", "agreement_id", "date_decided"}


def weights_checked_by_rfp(env):
    """True while a request writes its criteria (it checks the weights after)."""
    return env.cr.cache.get(WEIGHTS_CHECKED_BY_RFP, 0) > 0


class SlmSupplierRfp(models.Model):
    """A request for proposal: suppliers invited to propose for one or more
    services, their proposals scored on weighted criteria and ranked; the
    winner's proposal becomes a draft underpinning contract."""

    _name = "slm.supplier.rfp"
    _description = "Request for Proposal"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "slm.company.owned.mixin",
        "slm.workflow.mixin",
    ]
    _slm_workflow_fields = frozenset(WORKFLOW_FIELDS)
    _order = "id desc"
    _rec_names_search = ["name", "reference"]

    name = fields.Char(
        string="Title",
        required=True,
        tracking=True,
        help="What is being procured, e.g. 'Managed Wi-Fi for all offices'. "
        "The contract drafted for the winner takes this name.",
    )
    reference = fields.Char(
        readonly=True,
        copy=False,
        index=True,
        help="Numbered when the request is created (RFP0001).",
    )
    state = fields.Selection(
        RFP_STATES,
        string="Status",
        required=True,
        default="draft",
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
        help="Draft: being written. Open: sent to the invited suppliers, "
        "proposals come in. Evaluation: proposals are scored. Decided: a "
        "winner was selected and its contract drafted. Cancelled: abandoned.",
    )
    service_ids = fields.Many2many(
        "slm.service",
        "slm_supplier_rfp_service_rel",
        "rfp_id",
        "service_id",
        string="Services",
        check_company=True,
        help="The services the supplier will support; the contract drafted "
        "for the winner covers them.",
    )
    requirements = fields.Html(
        help="What the suppliers must offer: scope, service levels, volumes, "
        "constraints. Copied into the description of the drafted contract."
    )
    date_deadline = fields.Date(
        string="Proposals Due",
        tracking=True,
        help="The last day on which the suppliers may submit their proposals.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        tracking=True,
        index=True,
        domain=lambda self: [
            (
                "groups_id",
                "in",
                self.env.ref("slm_catalogue.group_slm_supplier_manager").id,
            )
        ],
        help="The Supplier Manager who runs the selection; becomes the "
        "Supplier Manager of the drafted contract.",
    )
    currency_id = fields.Many2one(
        related="company_id.currency_id",
        help="The company's currency.",
    )
    supplier_ids = fields.Many2many(
        "res.partner",
        "slm_supplier_rfp_partner_rel",
        "rfp_id",
        "partner_id",
        string="Invited Suppliers",
        domain=[("parent_id", "=", False)],
        help="The suppliers (companies) invited to propose. Only they can "
        "submit proposals.",
    )
    criterion_ids = fields.One2many(
        "slm.supplier.rfp.criterion",
        "rfp_id",
        string="Criteria",
        copy=True,
        help="What the proposals are scored on, each with its weight.",
    )
    proposal_ids = fields.One2many(
        "slm.supplier.proposal",
        "rfp_id",
        string="Proposals",
        help="The proposals received, best ranked first.",
    )
    proposal_count = fields.Integer(compute="_compute_proposal_count")
    total_weight = fields.Float(
        compute="_compute_total_weight",
        help="The sum of the criteria weights: each criterion counts for its "
        "weight divided by this sum.",
    )
    winner_id = fields.Many2one(
        "slm.supplier.proposal",
        string="Winning Proposal",
        readonly=True,
        copy=False,
        help="The proposal selected as the winner.",
    )
    agreement_id = fields.Many2one(
        "slm.agreement",
        string="Contract",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The underpinning contract drafted for the winner.",
    )
    date_decided = fields.Date(
        string="Decided On",
        readonly=True,
        copy=False,
        help="When the winner was selected.",
    )
    cancel_reason = fields.Text(
        string="Cancellation Reason",
        tracking=True,
        copy=False,
        help="Why the request was cancelled: required to cancel it.",
    )
    color = fields.Integer()

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    def _compute_proposal_count(self):
        counts = self._related_counts("slm.supplier.proposal", "rfp_id")
        for rfp in self:
            rfp.proposal_count = counts.get(rfp, 0)

    @api.depends("criterion_ids.weight")
    def _compute_total_weight(self):
        for rfp in self:
            rfp.total_weight = sum(rfp.criterion_ids.mapped("weight"))

    # ------------------------------------------------------------------
    # Constraints and CRUD
    # ------------------------------------------------------------------

    @api.constrains("supplier_ids")
    def _check_suppliers_with_proposals(self):
        for rfp in self:
            uninvited = rfp.proposal_ids.supplier_id - rfp.supplier_ids
            if uninvited:
                raise ValidationError(
                    self.env._(
                        "%(suppliers)s submitted a proposal to %(rfp)s: it stays "
                        "invited. Delete its proposal first.",
                        suppliers=", ".join(uninvited.mapped("display_name")),
                        rfp=rfp.display_name,
                    )
                )

    def _check_weights(self):
        """At least one criterion must count, or no ranking is possible."""
        for rfp in self:
            weights = rfp.criterion_ids.mapped("weight")
            if weights and not any(weight > 0 for weight in weights):
                raise ValidationError(
                    self.env._(
                        "%(rfp)s: give at least one criterion a weight above "
                        "zero, or the proposals cannot be ranked.",
                        rfp=rfp.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("reference"):
                vals["reference"] = self.env["ir.sequence"].next_by_code(
                    "slm.supplier.rfp"
                )
        self._check_new_is_draft(
            vals_list,
            self.env._(
                "A request for proposal starts as a draft: it is opened, "
                "evaluated and decided with the buttons of its form."
            ),
        )
        with self._criteria_written():
            rfps = super().create(vals_list)
        rfps._check_weights()
        return rfps

    def write(self, vals):
        self._check_workflow_vals(
            vals,
            self.env._(
                "The status and decision of a request for proposal change only "
                "through its buttons (Open, Start Evaluation, Cancel, Reset to "
                "Draft, Select Winner): %(fields)s cannot be written directly."
            ),
        )
        if "criterion_ids" not in vals:
            return super().write(vals)
        with self._criteria_written():
            result = super().write(vals)
        self._check_weights()
        return result

    @contextmanager
    def _criteria_written(self):
        """The criteria written meanwhile leave the weights check to the
        request (guard rule 1: a private flag of the cursor, not a context key
        a caller could send)."""
        cache = self.env.cr.cache
        cache[WEIGHTS_CHECKED_BY_RFP] = cache.get(WEIGHTS_CHECKED_BY_RFP, 0) + 1
        try:
            yield
        finally:
            cache[WEIGHTS_CHECKED_BY_RFP] -= 1

    @api.depends("reference", "name")
    def _compute_display_name(self):
        for rfp in self:
            rfp.display_name = (
                f"{rfp.reference} {rfp.name or ''}" if rfp.reference else rfp.name
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_running(self):
        self.filtered(lambda r: r.state not in ("draft", "cancelled"))._refuse(
            self.env._(
                "%(names)s went out to suppliers: it stays in the records. "
                "Cancel it instead."
            )
        )

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        name_copies(self, vals_list, default)
        return vals_list

    # ------------------------------------------------------------------
    # Lifecycle
    # ------------------------------------------------------------------

    def _check_state(self, allowed, action):
        labels = dict(RFP_STATES)
        wrong = self.filtered(lambda r: r.state not in allowed)
        if wrong:
            raise UserError(
                self.env._(
                    "%(rfps)s is %(state)s: it cannot %(action)s. Allowed from: "
                    "%(allowed)s.",
                    rfps=", ".join(wrong.mapped("display_name")),
                    state=labels[wrong[0].state].lower(),
                    action=action,
                    allowed=", ".join(labels[s].lower() for s in allowed),
                )
            )

    def action_open(self):
        """Send the request out: the suppliers may now submit proposals."""
        self._check_state(("draft",), self.env._("be opened"))
        for rfp in self:
            problems = []
            if not rfp.supplier_ids:
                problems.append(self.env._("invite at least one supplier"))
            if not rfp.criterion_ids:
                problems.append(
                    self.env._("add the criteria the proposals will be scored on")
                )
            if problems:
                raise UserError(
                    self.env._(
                        "%(rfp)s cannot be opened yet: %(problems)s.",
                        rfp=rfp.display_name,
                        problems="; ".join(problems),
                    )
                )
        self._system_write({"state": "open"})
        for rfp in self:
            rfp.message_post(
                body=self.env._(
                    "Opened by %(user)s: %(suppliers)s invited to propose by "
                    "%(deadline)s.",
                    user=self.env.user.name,
                    suppliers=", ".join(rfp.supplier_ids.mapped("display_name")),
                    deadline=rfp.date_deadline or self.env._("(no deadline)"),
                ),
                subtype_xmlid="mail.mt_note",
            )

    def action_start_evaluation(self):
        self._check_state(("open",), self.env._("go to evaluation"))
        self.filtered(lambda r: not r.proposal_ids)._refuse(
            self.env._(
                "%(names)s has no proposal yet: record the proposals " "received first."
            )
        )
        self._system_write({"state": "evaluation"})

    def action_cancel(self):
        self._check_state(("draft", "open", "evaluation"), self.env._("be cancelled"))
        for rfp in self:
            if not (rfp.cancel_reason or "").strip():
                raise UserError(
                    self.env._(
                        "Give the reason for cancelling %(rfp)s in the field "
                        "Cancellation Reason, then cancel it.",
                        rfp=rfp.display_name,
                    )
                )
        self._system_write({"state": "cancelled"})

    def action_reset_draft(self):
        self._check_state(("cancelled",), self.env._("go back to draft"))
        self._system_write({"state": "draft", "cancel_reason": False})

    def _check_not_done(self):
        """Criteria, proposals and scores of a decided or cancelled request
        stay as they were, so that its ranking stays the one decided on."""
        self.filtered(lambda r: r.state in DONE_STATES)._refuse(
            self.env._(
                "%(names)s is decided or cancelled: its criteria, proposals "
                "and scores no longer change, so that the ranking stays the "
                "one the decision was made on."
            )
        )

    def _select_winner(self, proposal):
        """Mark ``proposal`` won and the others lost, decide the request, and
        draft the winner's underpinning contract. Returns the contract."""
        self.ensure_one()
        self._check_state(SCORING_STATES, self.env._("select a winner"))
        self._check_weights()
        others = self.proposal_ids - proposal
        proposal._system_write({"state": "won"})
        others._system_write({"state": "lost"})
        contract = self.env["slm.agreement"].create(proposal._contract_values())
        self._system_write(
            {
                "state": "decided",
                "winner_id": proposal.id,
                "agreement_id": contract.id,
                "date_decided": fields.Date.context_today(self),
            }
        )
        summary = self.env._(
            "%(supplier)s selected as the winner by %(user)s: rank %(rank)s of "
            "%(count)s, score %(score).2f / 10, price %(price)s %(currency)s.",
            supplier=proposal.supplier_id.display_name,
            user=self.env.user.name,
            rank=proposal.rank,
            count=len(self.proposal_ids),
            score=proposal.total_score,
            price=proposal.price,
            currency=proposal.currency_id.name,
        )
        self.message_post(
            body=Markup("<p>%s</p><p>%s</p>")
            % (
                summary,
                Markup(self.env._("Contract drafted: %s")) % contract._get_html_link(),
            ),
            subtype_xmlid="mail.mt_note",
        )
        proposal.message_post(body=summary, subtype_xmlid="mail.mt_note")
        for other in others:
            other.message_post(
                body=self.env._(
                    "Not selected: %(supplier)s won %(rfp)s.",
                    supplier=proposal.supplier_id.display_name,
                    rfp=self.display_name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        contract.message_post(
            body=Markup(self.env._("Drafted from %(rfp)s, proposal of %(supplier)s."))
            % {
                "rfp": self._get_html_link(),
                "supplier": proposal.supplier_id.display_name,
            },
            subtype_xmlid="mail.mt_note",
        )
        return contract

    # ------------------------------------------------------------------
    # Navigation
    # ------------------------------------------------------------------

    def _get_form_action(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
        }

    def action_view_ranking(self):
        action = self._related_action(
            "slm_supplier.slm_supplier_proposal_action",
            [("rfp_id", "=", self.id)],
            {"default_rfp_id": self.id},
        )
        action["display_name"] = self.env._("Ranking of %s", self.display_name)
        return action

    def action_view_contract(self):
        self.ensure_one()
        return self.agreement_id._get_form_action()
