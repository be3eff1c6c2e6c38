# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models, tools


class MailMessageSubtype(models.Model):
    _inherit = "mail.message.subtype"

    @api.model
    @tools.ormcache()
    def _slm_internal_ids(self):
        """Ids of the internal subtypes (notes), kept in the registry's cache
        (mail clears it when a subtype changes): whether a message is public
        (channel rules 1 and 6) costs no query per message."""
        return frozenset(
            self.sudo()
            .with_context(active_test=False)
            .search([("internal", "=", True)])
            .ids
        )

    def _slm_is_public(self):
        """This subtype is set and is not internal."""
        return bool(self) and self.id not in self._slm_internal_ids()
