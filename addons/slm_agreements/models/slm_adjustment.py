# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class SlmAdjustment(models.Model):
    """A temporary change of an agreement's service levels for a window of
    time (brief, rule 10): extra support hours, reduced service, or an agreed
    maintenance window (freeze)."""

    _name = "slm.adjustment"
    _description = "Temporary Service Level Change"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"

    name = fields.Char(required=True, tracking=True)
    agreement_id = fields.Many2one(
        "slm.agreement",
        required=True,
        index=True,
        ondelete="cascade",
        tracking=True,
    )
    kind = fields.Selection(
        [
            ("extra_hours", "Extra Support Hours"),
            ("reduced", "Reduced Service"),
            ("maintenance", "Maintenance Window"),
        ],
        required=True,
        default="extra_hours",
        tracking=True,
        index=True,
    )
    date_start = fields.Datetime(string="From", required=True, tracking=True)
    date_end = fields.Datetime(string="Until", required=True, tracking=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("refused", "Refused"),
            ("cancelled", "Cancelled"),
        ],
        string="Status",
        required=True,
        default="draft",
        tracking=True,
        index=True,
        copy=False,
    )
    reason = fields.Text(tracking=True)
    calendar_id = fields.Many2one("resource.calendar", string="Support Hours")
    company_id = fields.Many2one(
        related="agreement_id.company_id", store=True, index=True
    )
