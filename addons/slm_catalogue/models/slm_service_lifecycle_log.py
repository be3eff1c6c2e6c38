# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from .slm_service import LIFECYCLE_STATES


class SlmServiceLifecycleLog(models.Model):
    """One step of a service along its lifecycle: who, when, from where, why.

    Written by the service itself on every change of lifecycle; read-only after.
    """

    _name = "slm.service.lifecycle.log"
    _description = "Service Lifecycle Step"
    _order = "date desc, id desc"

    service_id = fields.Many2one(
        "slm.service", required=True, index=True, ondelete="cascade"
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    user_id = fields.Many2one(
        "res.users",
        string="Changed By",
        required=True,
        default=lambda self: self.env.user,
        readonly=True,
    )
    from_state = fields.Selection(LIFECYCLE_STATES, string="From", readonly=True)
    to_state = fields.Selection(
        LIFECYCLE_STATES, string="To", required=True, readonly=True
    )
    reason = fields.Text(readonly=True)
    company_id = fields.Many2one(related="service_id.company_id", store=True)
