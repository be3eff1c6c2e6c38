# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class SlmReviewAction(models.Model):
    """An action agreed in a service review (or in an improvement plan),
    tracked to closure; open actions carry into the next review of the same
    scope."""

    _name = "slm.review.action"
    _description = "Service Review Action"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "due_date, id"

    name = fields.Char(required=True, tracking=True)
    description = fields.Html()
    review_id = fields.Many2one(
        "slm.review",
        string="Origin Review",
        index=True,
        ondelete="restrict",
        help="The review in which the action was agreed.",
    )
    improvement_plan_id = fields.Many2one(
        "slm.improvement.plan", index=True, ondelete="set null"
    )
    owner_id = fields.Many2one(
        "res.users", required=True, tracking=True, help="Who carries it out."
    )
    due_date = fields.Date(required=True, tracking=True)
    state = fields.Selection(
        [("open", "Open"), ("done", "Done"), ("cancelled", "Cancelled")],
        default="open",
        required=True,
        tracking=True,
        index=True,
    )
    done_date = fields.Date(readonly=True, copy=False)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        index=True,
        help="The customer of the review scope (for carrying over).",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
