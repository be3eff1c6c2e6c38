# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class SlmAgreement(models.Model):
    """Underpinning contracts (UCs): agreements with an external supplier."""

    _inherit = "slm.agreement"

    kind = fields.Selection(
        selection_add=[("uc", "UC")],
        ondelete={"uc": "cascade"},
        help="SLA: Service Level Agreement between the provider and a customer. "
        "OLA: Operational Level Agreement between the provider and an internal "
        "support team. UC: Underpinning Contract between the provider and an "
        "external supplier. Fixed once created.",
    )
    supplier_id = fields.Many2one(
        "res.partner",
        string="Supplier",
        index=True,
        tracking=True,
        domain=[("parent_id", "=", False)],
        help="UC: the supplier (company) under contract. Its clocks start when a "
        "ticket is handed to this supplier.",
    )
    contract_ref = fields.Char(
        string="Contract Reference",
        tracking=True,
        help="The supplier's reference of the contract; unique per supplier.",
    )
    currency_id = fields.Many2one(
        "res.currency",
        default=lambda self: self.env.company.currency_id,
        help="Currency of the contract's value, budget and fees.",
    )
    contract_value = fields.Monetary(
        tracking=True, help="Total value of the contract over its term."
    )
    budget = fields.Monetary(
        tracking=True, help="Budget set aside for the contract over its term."
    )
    monthly_fee = fields.Monetary(
        tracking=True,
        help="The fee paid to the supplier each month: service credits are a "
        "share of it.",
    )
    notice_period_days = fields.Integer(
        string="Notice Period (days)",
        tracking=True,
        help="Days before the renewal (or end) date by which notice must be "
        "given to end or renegotiate the contract.",
    )
    renewal_type = fields.Selection(
        [("automatic", "Automatic"), ("manual", "Manual")],
        default="manual",
        tracking=True,
        help="Automatic: the contract renews itself unless notice is given in "
        "time. Manual: it ends unless renewed.",
    )
    renewal_date = fields.Date(
        tracking=True, help="When the contract renews (or must be renewed)."
    )
    credit_pct_per_breach = fields.Float(
        string="Credit per Breach (%)",
        help="Service credit owed by the supplier per breach beyond the "
        "allowance, as a share of the monthly fee.",
    )
    breach_allowance = fields.Integer(
        help="Breaches per month that earn no service credit.",
    )
    credit_cap_pct = fields.Float(
        string="Credit Cap (%)",
        default=100.0,
        help="The most a month's service credits can reach, as a share of the "
        "monthly fee.",
    )
    document_ids = fields.Many2many(
        "ir.attachment",
        "slm_agreement_document_rel",
        "agreement_id",
        "attachment_id",
        string="Contract Documents",
        help="The signed contract, schedules and amendments.",
    )
