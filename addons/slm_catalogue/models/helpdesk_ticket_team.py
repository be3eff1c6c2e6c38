# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


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

    # Links changed from the team's side change the registry's map of the
    # services' links (slm.service._slm_ticket_map), as from the service's.
    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        if any("slm_service_ids" in vals for vals in vals_list):
            self.env.registry.clear_cache()
        return records

    def write(self, vals):
        result = super().write(vals)
        if "slm_service_ids" in vals:
            self.env.registry.clear_cache()
            self.env["helpdesk.ticket"].sudo()._slm_assign_missing_services()
        return result
