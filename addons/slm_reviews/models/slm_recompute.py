# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class SlmRecompute(models.Model):
    _inherit = "slm.recompute"

    def _after_apply(self):
        """Recomputation rule 6: the issued statements and sent minutes whose
        month this recomputation changed keep their figures; each gets the
        difference in its chatter (and as its note)."""
        res = super()._after_apply()
        rows = self.sudo().month_ids.filtered("changed")
        if not rows:
            return res
        months = sorted(set(rows.mapped("period_date")))
        statements = (
            self.env["slm.service.statement"]
            .sudo()
            .search(
                [
                    ("state", "=", "issued"),
                    ("company_id", "=", self.company_id.id),
                    ("period_start", "in", months),
                    ("line_ids.target_id", "in", rows.target_id.ids),
                ]
            )
        )
        reviews = (
            self.env["slm.review"]
            .sudo()
            .search(
                [
                    ("state", "in", ("minutes_sent", "closed")),
                    ("company_id", "=", self.company_id.id),
                    ("period_start", "<=", months[-1]),
                    ("period_end", ">=", months[0]),
                ]
            )
        )
        for document in list(statements) + list(reviews):
            if self in document._recomputation_runs():
                document.message_post(
                    body=document._recomputation_note(self),
                    subtype_xmlid="mail.mt_note",
                )
        return res
