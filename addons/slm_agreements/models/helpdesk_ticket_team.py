# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.exceptions import UserError


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    @api.ondelete(at_uninstall=False)
    def _unlink_except_slm_ola(self):
        """Fail-soft rule 6: the team of an OLA is never deleted."""
        agreements = (
            self.env["slm.agreement"]
            .sudo()
            .with_context(active_test=False)
            .search([("team_id", "in", self.ids)])
        )
        if agreements:
            raise UserError(
                self.env._(
                    "%(teams)s cannot be deleted: it is the support team of "
                    "%(agreements)s, whose clocks follow it. Archive the team "
                    "instead.",
                    teams=", ".join(agreements.team_id.mapped("name")),
                    agreements=", ".join(agreements[:5].mapped("display_name")),
                )
            )
