# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class SlmImprovementPlan(models.Model):
    """A Service Improvement Plan (SIP): objectives and actions to raise a
    service, with progress reported to the customer."""

    _name = "slm.improvement.plan"
    _description = "Service Improvement Plan"
    _inherit = ["mail.thread", "mail.activity.mixin", "portal.mixin"]
    _order = "id desc"

    name = fields.Char(required=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        index=True,
        domain=[("parent_id", "=", False)],
    )
    service_id = fields.Many2one("slm.service", index=True)
    agreement_id = fields.Many2one("slm.agreement", index=True)
    owner_id = fields.Many2one(
        "res.users", default=lambda self: self.env.user, tracking=True
    )
    objectives = fields.Html()
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("active", "In Progress"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        tracking=True,
        index=True,
    )
    action_ids = fields.One2many(
        "slm.review.action", "improvement_plan_id", string="Actions"
    )
    breach_ids = fields.Many2many(
        "slm.breach",
        "slm_improvement_plan_breach_rel",
        "plan_id",
        "breach_id",
        string="Breaches",
    )
    origin_review_id = fields.Many2one("slm.review", string="Origin Review")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
