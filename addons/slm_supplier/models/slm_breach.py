# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SlmBreach(models.Model):
    """Supplier breaches: the breaches of UC targets, investigated with the
    supplier (what was demanded of or agreed with them)."""

    _inherit = "slm.breach"

    supplier_id = fields.Many2one(
        related="agreement_id.supplier_id",
        store=True,
        index=True,
        string="Supplier",
        help="UC breaches: the supplier under the underpinning contract whose "
        "target was missed.",
    )
    supplier_reference = fields.Char(
        string="Supplier's Reference",
        tracking=True,
        help="The supplier's own incident or case number for this breach.",
    )
    supplier_notified_date = fields.Date(
        string="Supplier Notified on",
        tracking=True,
        help="When the breach was raised with the supplier.",
    )
    supplier_action = fields.Text(
        string="Action Taken with the Supplier",
        help="What was demanded of or agreed with the supplier: formal notice, "
        "remediation plan, service credit, escalation to their account "
        "manager. Required to close the analysis of a supplier breach.",
    )

    @api.constrains("state", "supplier_action", "agreement_kind")
    def _check_supplier_action(self):
        missing = self.filtered(
            lambda b: b.agreement_kind == "uc"
            and b.state == "closed"
            and not (b.supplier_action or "").strip()
        )
        if missing:
            raise ValidationError(
                self.env._(
                    "Record the action taken with the supplier before closing "
                    "the analysis of %(breaches)s.",
                    breaches=", ".join(missing.mapped("display_name")),
                )
            )
