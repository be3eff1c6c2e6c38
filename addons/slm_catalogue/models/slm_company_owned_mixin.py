# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class SlmCompanyOwnedMixin(models.AbstractModel):
    """A record the company creating it owns (a service, an agreement, a
    request for proposal): its links must stay within that company."""

    _name = "slm.company.owned.mixin"
    _description = "SLM Record Owned by a Company"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
