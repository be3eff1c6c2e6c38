# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class MailComposeMessage(models.TransientModel):
    _inherit = "mail.compose.message"

    def _action_send_mail_comment(self, res_ids):
        # A reply sent from the composer (a template's From is often the
        # company): the user sending it is the one who answers (channel rule 1).
        # The flag names no one: the sender is the real user of the request,
        # and counts only if an active internal user.
        return super(
            MailComposeMessage, self.with_context(slm_composer_send=True)
        )._action_send_mail_comment(res_ids)
