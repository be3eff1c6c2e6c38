# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    slm_review_interval_months = fields.Integer(
        string="Catalogue Review Interval (months)",
        default=12,
        help="A catalogue entry not reviewed for this many months is flagged and "
        "its owner gets a review activity.",
    )

    _sql_constraints = [
        (
            "slm_review_interval_positive",
            "CHECK(slm_review_interval_months > 0)",
            "The catalogue review interval must be at least one month.",
        ),
    ]
