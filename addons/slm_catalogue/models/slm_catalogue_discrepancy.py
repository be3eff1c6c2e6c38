# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class SlmCatalogueDiscrepancy(models.Model):
    """A difference between the catalogue and reality, tracked to resolution."""

    _name = "slm.catalogue.discrepancy"
    _description = "Catalogue Discrepancy"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "state_sequence, report_date desc, id desc"

    name = fields.Char(string="Summary", required=True, tracking=True)
    service_id = fields.Many2one(
        "slm.service", required=True, index=True, ondelete="cascade", tracking=True
    )
    aspect = fields.Selection(
        [
            ("owner", "Owner"),
            ("lifecycle", "Lifecycle status"),
            ("dependencies", "Dependencies"),
            ("customers", "Customers"),
            ("support_hours", "Support hours"),
            ("helpdesk", "Helpdesk teams or categories"),
            ("design", "Design document"),
            ("other", "Other"),
        ],
        required=True,
        default="other",
        help="Which part of the catalogue entry does not match reality.",
    )
    description = fields.Text(
        required=True, help="What the catalogue says, and what is really the case."
    )
    reported_by_id = fields.Many2one(
        "res.users", required=True, default=lambda self: self.env.user, readonly=True
    )
    report_date = fields.Date(
        required=True, default=fields.Date.context_today, readonly=True
    )
    responsible_id = fields.Many2one(
        "res.users",
        compute="_compute_responsible_id",
        store=True,
        readonly=False,
        tracking=True,
        help="Who corrects the catalogue. Defaults to the service owner.",
    )
    state = fields.Selection(
        [
            ("new", "New"),
            ("in_progress", "In Progress"),
            ("resolved", "Resolved"),
            ("rejected", "Rejected"),
        ],
        required=True,
        default="new",
        tracking=True,
        index=True,
    )
    # Open reports first in lists.
    state_sequence = fields.Integer(compute="_compute_state_sequence", store=True)
    resolution = fields.Text(help="What was corrected, or why the report was rejected.")
    resolved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    resolved_date = fields.Date(readonly=True, copy=False)
    company_id = fields.Many2one(related="service_id.company_id", store=True)

    @api.depends("service_id")
    def _compute_responsible_id(self):
        for discrepancy in self:
            discrepancy.responsible_id = discrepancy.service_id.owner_id

    @api.depends("state")
    def _compute_state_sequence(self):
        order = {"new": 1, "in_progress": 2, "resolved": 3, "rejected": 4}
        for discrepancy in self:
            discrepancy.state_sequence = order[discrepancy.state]

    @api.model_create_multi
    def create(self, vals_list):
        discrepancies = super().create(vals_list)
        for discrepancy in discrepancies:
            if discrepancy.responsible_id != self.env.user:
                discrepancy.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=discrepancy.responsible_id.id,
                    summary=self.env._("Catalogue discrepancy to correct"),
                    note=discrepancy.name,
                )
        return discrepancies

    def action_start(self):
        self.write({"state": "in_progress"})

    def _close(self, state):
        missing = self.filtered(lambda d: not (d.resolution or "").strip())
        if missing:
            raise UserError(
                self.env._(
                    "Say what was corrected (or why the report is rejected) in "
                    "Resolution before closing %(reports)s.",
                    reports=", ".join(missing.mapped("name")),
                )
            )
        self.write(
            {
                "state": state,
                "resolved_by_id": self.env.user.id,
                "resolved_date": fields.Date.context_today(self),
            }
        )
        self.activity_feedback(["mail.mail_activity_data_todo"])

    def action_resolve(self):
        self._close("resolved")

    def action_reject(self):
        self._close("rejected")

    def action_reopen(self):
        self.write(
            {"state": "in_progress", "resolved_by_id": False, "resolved_date": False}
        )
