# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class HelpdeskTicketCategory(models.Model):
    _inherit = "helpdesk.ticket.category"

    def write(self, vals):
        if "active" in vals:
            # Archived categories drop out of the targets' scope (clock rule
            # 20); a sub-category stays as it is (its own record).
            self.env["slm.target"]._slm_scope_records_changed(self)
        return super().write(vals)

    def unlink(self):
        # Before: the targets' links to these categories and to their
        # sub-categories (deleted with them) go with them (clock rule 20).
        self.env["slm.target"]._slm_scope_records_changed(
            self.sudo()
            .with_context(active_test=False)
            .search([("id", "child_of", self.ids)])
        )
        return super().unlink()
