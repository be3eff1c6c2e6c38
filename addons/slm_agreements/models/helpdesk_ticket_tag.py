# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class HelpdeskTicketTag(models.Model):
    _inherit = "helpdesk.ticket.tag"

    def write(self, vals):
        if "active" in vals:
            # Archived tags drop out of the targets' scope (clock rule 20).
            self.env["slm.target"]._slm_scope_records_changed(self)
        return super().write(vals)

    def unlink(self):
        # Before: the targets' links to these tags go with them (clock rule 20).
        self.env["slm.target"]._slm_scope_records_changed(self)
        return super().unlink()
