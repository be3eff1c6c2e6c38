# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class SlmCustomerMixin(models.AbstractModel):
    """A document held with one customer (an agreement, a service review, an
    improvement plan): a company or an individual, never one of its contacts.
    Each document says in the field's help what its customer means to it."""

    _name = "slm.customer.mixin"
    _description = "SLM Document Held with a Customer"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        index=True,
        tracking=True,
        domain=[("parent_id", "=", False)],
    )
