# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from pytz import all_timezones_set

from odoo import api, models
from odoo.exceptions import ValidationError

_logger = logging.getLogger(__name__)


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._slm_check_tz(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._slm_check_tz(vals)
        if not {"parent_id", "is_company"}.intersection(vals):
            return super().write(vals)
        before = {partner.id: partner.commercial_partner_id for partner in self}
        res = super().write(vals)
        moved = self.filtered(
            lambda partner: partner.commercial_partner_id != before[partner.id]
        )
        if moved:
            moved._slm_customer_changed()
        return res

    @api.model
    def _slm_check_tz(self, vals):
        """Customer calendar rule 2: a time zone that is not an IANA name is
        refused in the user's words (Odoo would raise a bare ValueError)."""
        tz = vals.get("tz")
        if tz and tz not in all_timezones_set:
            raise ValidationError(
                self.env._(
                    "“%(tz)s” is not a time zone. Choose one from the list, "
                    "e.g. Europe/Brussels or America/New_York.",
                    tz=tz,
                )
            )

    def _slm_customer_changed(self):
        """Rule 20: a contact moving to another company re-evaluates at once
        the clocks of its open tickets (and of its own contacts' tickets), as
        a change of the ticket's customer would."""
        tickets = (
            self.env["helpdesk.ticket"]
            .sudo()
            .search(
                [
                    ("partner_id", "child_of", self.ids),
                    ("stage_id.closed", "=", False),
                ]
            )
        )
        if not tickets:
            return
        # A setting must never stop the helpdesk: the partner is saved anyway.
        try:
            with self.env.cr.savepoint():
                tickets._slm_backfill_events()
                tickets._slm_sync_clocks()
        except Exception:  # pylint: disable=broad-except
            _logger.exception(
                "Service levels: clocks of tickets %s not re-evaluated", tickets.ids
            )
