# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class SlmTarget(models.Model):
    """UC targets underpin SLA targets, as OLA targets do."""

    _inherit = "slm.target"

    @api.model
    def _slm_engine_fields(self):
        fields_of = super()._slm_engine_fields()
        # UC clocks read their contract's supplier (clock rule 21).
        fields_of["slm.agreement"] += ("supplier_id",)
        return fields_of

    @api.model
    def _slm_underpinning_kinds(self):
        kinds = super()._slm_underpinning_kinds()
        return kinds + [kind for kind in ("uc",) if kind not in kinds]

    def _cycle_option_error(self):
        """A UC clock measures the supplier's acknowledgement (response) and
        its part of the resolution (supplier rules): no reply cycles, and a
        reopening never gives the ticket back to the supplier."""
        error = super()._cycle_option_error()
        if error or self.agreement_id.kind != "uc":
            return error
        if self.metric in ("next_reply", "periodic_update") or (
            self.reopen_policy == "new_cycle"
        ):
            return self.env._(
                "%(target)s: an underpinning contract measures the supplier's "
                "acknowledgement and resolution only; next reply, periodic "
                "update and new cycles on reopening are not measured for "
                "suppliers.",
                target=self.name or self.env._("This target"),
            )
        return None
