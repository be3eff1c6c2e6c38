# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from ..models.slm_service import LIFECYCLE_STATES


class SlmServiceLifecycleWizard(models.TransientModel):
    """Move services to another lifecycle state, stating why (required going back)."""

    _name = "slm.service.lifecycle.wizard"
    _description = "Change Service Lifecycle"

    service_ids = fields.Many2many("slm.service", required=True)
    new_state = fields.Selection(
        LIFECYCLE_STATES, string="Move To", required=True, default="pipeline"
    )
    reason = fields.Text(
        required=True,
        help="Why the service changes lifecycle; kept in its lifecycle history.",
    )

    def action_apply(self):
        self.ensure_one()
        self.service_ids.with_context(slm_lifecycle_reason=self.reason).write(
            {"state": self.new_state}
        )
        return {"type": "ir.actions.act_window_close"}
