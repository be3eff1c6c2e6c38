# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    slm_complaint = fields.Boolean(
        string="Customer Complaint",
        tracking=True,
        index=True,
        help="The ticket is a complaint of the customer about the service: it "
        "is listed in the agenda of the next service review.",
    )
