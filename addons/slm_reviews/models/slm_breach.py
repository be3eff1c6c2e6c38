# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class SlmBreach(models.Model):
    """Breaches start Service Improvement Plans and show the plans they led to."""

    _inherit = "slm.breach"

    improvement_plan_ids = fields.Many2many(
        "slm.improvement.plan",
        "slm_improvement_plan_breach_rel",
        "breach_id",
        "plan_id",
        string="Improvement Plans",
        readonly=True,
        help="The service improvement plans started from this breach.",
    )
    improvement_plan_count = fields.Integer(compute="_compute_improvement_plan_count")

    def _compute_improvement_plan_count(self):
        for breach in self:
            breach.improvement_plan_count = len(breach.improvement_plan_ids)

    def action_start_improvement_plan(self):
        """Start one improvement plan for these breaches (of one customer)."""
        plan = self.env["slm.improvement.plan"]._create_from_breaches(self)
        return plan._get_form_action()

    def action_view_improvement_plans(self):
        return self._related_action(
            "slm_reviews.slm_improvement_plan_action",
            [("id", "in", self.improvement_plan_ids.ids)],
        )
