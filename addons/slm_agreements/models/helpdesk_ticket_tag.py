# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class HelpdeskTicketTag(models.Model):
    _inherit = "helpdesk.ticket.tag"

    # Archiving or restoring a tag changes no target's scope (clock rule 20):
    # the targets and the tickets keep it, so the ticket index stays as it is.

    @api.ondelete(at_uninstall=True)
    def _unlink_except_agreed_scope(self):
        # Not skipped on the uninstall key alone: it comes with any RPC call.
        self.env["slm.target"]._slm_check_scope_records_deletable(self)

    def unlink(self):
        # The targets' links to these tags go with them: the ticket index is
        # read again (clock rule 20).
        listed = self.env["slm.target"]._slm_scope_records_listed(self)
        result = super().unlink()
        if listed:
            self.env.registry.clear_cache()
        return result
