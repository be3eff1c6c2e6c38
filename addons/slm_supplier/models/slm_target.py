# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class SlmTarget(models.Model):
    """UC targets underpin SLA targets, as OLA targets do."""

    _inherit = "slm.target"

    @api.model
    def _slm_underpinning_kinds(self):
        kinds = super()._slm_underpinning_kinds()
        return kinds + [kind for kind in ("uc",) if kind not in kinds]
