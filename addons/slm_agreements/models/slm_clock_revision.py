# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .slm_clock import STATUSES


class SlmClockRevision(models.Model):
    """A clock's result superseded by a person's recomputation or by the
    approval of a new deadline: what it was before and what it became
    (recomputation rule 4, negotiated deadline rule 9).

    Nothing is deleted: the clock carries its new values, the revision keeps
    the old ones readable, with the recomputation or the proposal that
    replaced them (who, when, why). Written by the suite only, read-only for
    everyone.
    """

    _name = "slm.clock.revision"
    _inherit = ["slm.system.data.mixin"]
    _description = "Superseded Result of a Service Level Clock"
    _order = "date desc, id desc"
    _rec_name = "clock_id"

    clock_id = fields.Many2one(
        "slm.clock", required=True, readonly=True, index=True, ondelete="cascade"
    )
    run_id = fields.Many2one(
        "slm.recompute",
        string="Recomputation",
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    proposal_id = fields.Many2one(
        "slm.deadline.proposal",
        string="Deadline Proposal",
        readonly=True,
        index="btree_not_null",
        # Only a draft is deleted (it has no revision); a deleted ticket
        # takes its clocks, their proposals and revisions with it.
        ondelete="cascade",
        help="The approved new deadline that rewrote the clock (negotiated "
        "deadline rule 9).",
    )
    ticket_id = fields.Many2one(related="clock_id.ticket_id", store=True)
    target_id = fields.Many2one(related="clock_id.target_id", store=True)
    cycle = fields.Integer(related="clock_id.cycle")
    company_id = fields.Many2one(related="clock_id.company_id", store=True, index=True)
    date = fields.Datetime(
        string="Recomputed on", required=True, readonly=True, index=True
    )
    user_id = fields.Many2one("res.users", string="Recomputed by", readonly=True)
    reason = fields.Text(string="Why", compute="_compute_reason")
    old_status = fields.Selection(STATUSES, string="Status as Measured", readonly=True)
    old_deadline = fields.Datetime(string="Deadline as Measured", readonly=True)
    old_stop = fields.Datetime(string="Stop as Measured", readonly=True)
    old_used_seconds = fields.Integer(string="Used as Measured (s)", readonly=True)
    old_paused_seconds = fields.Integer(string="Paused as Measured (s)", readonly=True)
    old_settled_date = fields.Datetime(string="Settled as Measured", readonly=True)
    # Pause budget rule 8: the budget figures as measured and recomputed.
    old_pause_budget_exceeded = fields.Boolean(
        string="Pause Budget Exceeded as Measured", readonly=True
    )
    old_over_budget_seconds = fields.Integer(
        string="Paused beyond Budget as Measured (s)", readonly=True
    )
    old_period_date = fields.Date(string="Month as Measured", readonly=True)
    new_status = fields.Selection(STATUSES, string="Status Recomputed", readonly=True)
    new_deadline = fields.Datetime(string="Deadline Recomputed", readonly=True)
    new_stop = fields.Datetime(string="Stop Recomputed", readonly=True)
    new_used_seconds = fields.Integer(string="Used Recomputed (s)", readonly=True)
    new_paused_seconds = fields.Integer(string="Paused Recomputed (s)", readonly=True)
    new_settled_date = fields.Datetime(string="Settled Recomputed", readonly=True)
    new_period_date = fields.Date(string="Month Recomputed", readonly=True)
    new_pause_budget_exceeded = fields.Boolean(
        string="Pause Budget Exceeded Recomputed", readonly=True
    )
    new_over_budget_seconds = fields.Integer(
        string="Paused beyond Budget Recomputed (s)", readonly=True
    )
    old_used_hours = fields.Float(
        string="Used as Measured (h)", compute="_compute_hours"
    )
    new_used_hours = fields.Float(
        string="Used Recomputed (h)", compute="_compute_hours"
    )
    old_over_budget_hours = fields.Float(
        string="Paused beyond Budget as Measured (h)", compute="_compute_hours"
    )
    new_over_budget_hours = fields.Float(
        string="Paused beyond Budget Recomputed (h)", compute="_compute_hours"
    )

    _sql_constraints = [
        (
            "run_or_proposal",
            "CHECK (run_id IS NOT NULL OR proposal_id IS NOT NULL)",
            "A superseded result comes from a recomputation or an approved "
            "deadline proposal.",
        )
    ]

    def _compute_hours(self):
        for revision in self:
            revision.old_used_hours = revision.old_used_seconds / 3600
            revision.new_used_hours = revision.new_used_seconds / 3600
            revision.old_over_budget_hours = revision.old_over_budget_seconds / 3600
            revision.new_over_budget_hours = revision.new_over_budget_seconds / 3600

    @api.depends("run_id", "proposal_id")
    def _compute_reason(self):
        # Read as the suite: whoever reads the revision reads why.
        for revision in self:
            run = revision.run_id.sudo()
            proposal = revision.proposal_id.sudo()
            if run:
                revision.reason = run.reason
            else:
                revision.reason = self.env._(
                    "New deadline approved (%(proposal)s): %(reason)s",
                    proposal=proposal.display_name,
                    reason=proposal.reason,
                )

    def _system_data_error(self):
        return self.env._(
            "The superseded results of clocks are kept by the application when "
            "a Service Level Manager applies a recomputation; nobody creates, "
            "changes or deletes them."
        )
