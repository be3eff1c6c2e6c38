# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class HelpdeskTicketCategory(models.Model):
    _inherit = "helpdesk.ticket.category"

    # Archiving or restoring a category changes no target's scope (clock rule
    # 20): the targets and the tickets keep it, so the ticket index stays.

    def _slm_with_sub_categories(self):
        """These categories and their sub-categories, archived or not: the
        ones a deletion removes (the sub-categories go with their parent)."""
        return (
            self.sudo()
            .with_context(active_test=False)
            .search([("id", "child_of", self.ids)])
        )

    @api.ondelete(at_uninstall=True)
    def _unlink_except_agreed_scope(self):
        # Not skipped on the uninstall key alone: it comes with any RPC call.
        self.env["slm.target"]._slm_check_scope_records_deletable(
            self._slm_with_sub_categories(), deleted=self
        )

    def unlink(self):
        # The targets' links to these categories and to their sub-categories
        # (deleted with them) go with them: the ticket index is read again
        # (clock rule 20).
        listed = self.env["slm.target"]._slm_scope_records_listed(
            self._slm_with_sub_categories()
        )
        result = super().unlink()
        if listed:
            self.env.registry.clear_cache()
        return result
