# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    slm_review_interval_months = fields.Integer(
        related="company_id.slm_review_interval_months", readonly=False
    )
