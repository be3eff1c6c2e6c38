# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    slm_service_ids = fields.Many2many(
        "slm.service",
        "slm_service_helpdesk_team_rel",
        "team_id",
        "service_id",
        string="Catalogue Services",
        help="Services of the catalogue whose tickets this team receives.",
    )
