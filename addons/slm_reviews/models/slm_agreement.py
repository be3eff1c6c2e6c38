# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class SlmAgreement(models.Model):
    _inherit = "slm.agreement"

    review_frequency = fields.Selection(
        [
            ("monthly", "Monthly"),
            ("quarterly", "Quarterly"),
            ("half_yearly", "Half-yearly"),
            ("yearly", "Yearly"),
        ],
        tracking=True,
        help="How often the agreement is reviewed with the other party. A "
        "scheduled action plans the next review. Empty: reviews are planned by "
        "hand.",
    )
    review_ids = fields.Many2many(
        "slm.review",
        "slm_review_agreement_rel",
        "agreement_id",
        "review_id",
        string="Reviews",
        readonly=True,
    )
    statement_ids = fields.One2many(
        "slm.service.statement", "agreement_id", string="Monthly Statements"
    )
