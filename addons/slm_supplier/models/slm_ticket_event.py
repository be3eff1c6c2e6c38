# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

# The steps of a supplier hand-over, as clock events.
SUPPLIER_EVENTS = ("handover", "supplier_ack", "supplier_resolved", "supplier_back")


class SlmTicketEvent(models.Model):
    """The hand-over of tickets to suppliers, in the clock history: the
    clocks of underpinning contracts are computed from these events."""

    _inherit = "slm.ticket.event"

    event_type = fields.Selection(
        selection_add=[
            ("handover", "Handed over to supplier"),
            ("supplier_ack", "Supplier acknowledged"),
            ("supplier_resolved", "Supplier resolved"),
            ("supplier_back", "Taken back from supplier"),
        ],
        ondelete={name: "cascade" for name in SUPPLIER_EVENTS},
    )
    supplier_id = fields.Many2one(
        "res.partner",
        string="Supplier",
        index="btree_not_null",
        help="Hand-over events: the supplier the ticket was handed to, who "
        "acknowledged or resolved it, or from whom it was taken back.",
    )
