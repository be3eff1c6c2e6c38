# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class SlmSupplierHandoverWizard(models.TransientModel):
    """Hand a ticket over to a supplier under contract, with a note."""

    _name = "slm.supplier.handover.wizard"
    _description = "Hand over to Supplier"

    ticket_id = fields.Many2one(
        "helpdesk.ticket",
        required=True,
        readonly=True,
        ondelete="cascade",
        help="The ticket to hand over.",
    )
    service_id = fields.Many2one(
        related="ticket_id.service_id", help="The service the ticket is about."
    )
    allowed_supplier_ids = fields.Many2many(
        "res.partner",
        string="Suppliers under Contract",
        compute="_compute_allowed_supplier_ids",
        help="Suppliers with an agreed underpinning contract in force today that "
        "covers the ticket's service.",
    )
    supplier_id = fields.Many2one(
        "res.partner",
        string="Supplier",
        compute="_compute_supplier_id",
        store=True,
        readonly=False,
        domain="[('id', 'in', allowed_supplier_ids)]",
        help="The supplier that takes the ticket over: its contract's clocks "
        "start now.",
    )
    note = fields.Text(
        help="What the supplier is asked to do, its reference for the ticket... "
        "Logged in the ticket's chatter.",
    )

    @api.depends("ticket_id")
    def _compute_allowed_supplier_ids(self):
        allowed = self.ticket_id._slm_suppliers_under_contract()
        for wizard in self:
            wizard.allowed_supplier_ids = allowed.get(
                wizard.ticket_id.id, self.env["res.partner"]
            )

    @api.depends("ticket_id")
    def _compute_supplier_id(self):
        for wizard in self:
            # The only supplier under contract is proposed; otherwise choose.
            allowed = wizard.allowed_supplier_ids
            wizard.supplier_id = allowed if len(allowed) == 1 else False

    def action_confirm(self):
        self.ensure_one()
        self.ticket_id._slm_hand_over(self.supplier_id, note=self.note)
        return {"type": "ir.actions.act_window_close"}
