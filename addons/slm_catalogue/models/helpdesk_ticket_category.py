# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskTicketCategory(models.Model):
    _inherit = "helpdesk.ticket.category"

    slm_service_ids = fields.Many2many(
        "slm.service",
        "slm_service_helpdesk_category_rel",
        "category_id",
        "service_id",
        string="Catalogue Services",
        help="Services of the catalogue that tickets of this category concern.",
    )
