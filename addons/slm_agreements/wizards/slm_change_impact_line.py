# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from ..models.slm_availability import AVAILABILITY_STATUSES


class SlmChangeImpactLine(models.TransientModel):
    """One agreement affected by planned work, and for each of its
    availability targets, the month's projected availability."""

    _name = "slm.change.impact.line"
    _description = "Change Impact Line"
    # Worst projections first.
    _order = "status desc nulls last, agreement_id, target_id, period_start, id"

    wizard_id = fields.Many2one(
        "slm.change.impact.wizard", required=True, ondelete="cascade"
    )
    agreement_id = fields.Many2one("slm.agreement", string="Agreement", required=True)
    partner_id = fields.Many2one(
        related="agreement_id.partner_id", string="Agreement Customer"
    )
    customer_ids = fields.Many2many(
        "res.partner",
        "slm_change_impact_line_partner_rel",
        "line_id",
        "partner_id",
        string="Customers",
        help="The agreement's customer; for an agreement with every customer, "
        "the customers of the services affected.",
    )
    impact = fields.Selection(
        [("direct", "Directly"), ("dependency", "Through Dependencies")],
        required=True,
        help="Directly: the agreement covers the service the work takes down. "
        "Through Dependencies: it covers services that depend on it.",
    )
    affected_service_ids = fields.Many2many(
        "slm.service",
        "slm_change_impact_line_service_rel",
        "line_id",
        "service_id",
        string="Services Affected",
        help="The services of the agreement that go down with the work.",
    )
    target_id = fields.Many2one(
        "slm.target",
        string="Availability Target",
        help="Empty: the agreement has no availability target.",
    )
    period_start = fields.Date(string="Month")
    agreed_hours = fields.Float(
        string="Agreed Service Time (h)",
        help="Service hours of the month while the agreement is in force, minus "
        "its agreed maintenance windows.",
    )
    downtime_hours = fields.Float(
        string="Recorded Downtime (h)",
        help="Downtime of the outages already recorded for the month (planned "
        "ones included), without the work.",
    )
    work_hours = fields.Float(
        string="Downtime of the Work (h)",
        help="What the work adds: its time inside agreed service time, outside "
        "agreed maintenance windows and other recorded outages.",
    )
    projected_downtime_hours = fields.Float(string="Projected Downtime (h)")
    budget_hours = fields.Float(
        string="Downtime Budget (h)",
        help="Downtime the objective allows in the month.",
    )
    projected_availability_pct = fields.Float(
        string="Projected Availability (%)",
        help="Availability of the month if the work goes ahead.",
    )
    objective_pct = fields.Float(string="Objective (%)")
    status = fields.Selection(
        AVAILABILITY_STATUSES,
        string="Projected Status",
        help="Missed: the month's downtime would exceed its budget. At Risk: "
        "more than the target's warning share of the budget would be used.",
    )
