# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

# Headers of automatic e-mails (RFC 3834 and the usual auto-responders).
AUTO_REPLY_HEADERS = ("X-Autoreply", "X-Autorespond", "X-Auto-Response")
AUTO_PRECEDENCE = {"auto_reply", "bulk", "junk"}


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.model
    def _slm_is_auto_submitted(self, message):
        """An out-of-office or other automatic e-mail (channel rule 1), from its
        headers: ``Auto-Submitted`` other than ``no``, the auto-responders'
        ``X-Autoreply``/``X-Autorespond``, ``Precedence: auto_reply/bulk/junk``."""
        auto_submitted = (message.get("Auto-Submitted") or "").strip().lower()
        if auto_submitted and auto_submitted != "no":
            return True
        if any(message.get(header) for header in AUTO_REPLY_HEADERS):
            return True
        precedence = (message.get("Precedence") or "").strip().lower()
        return precedence in AUTO_PRECEDENCE

    def _message_route_process(self, message, message_dict, routes):
        # The flag only ever stops a message from counting as a response or
        # moving a ticket: nothing is granted on it.
        if self._slm_is_auto_submitted(message):
            self = self.with_context(slm_auto_reply=True)
        return super()._message_route_process(message, message_dict, routes)
