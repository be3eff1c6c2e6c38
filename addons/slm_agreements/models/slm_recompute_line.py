# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from .slm_clock import STATUSES


class SlmRecomputeLine(models.Model):
    """One clock a recomputation would change: its result as measured and as
    recomputed, side by side (recomputation rule 2). Written by the preview
    only."""

    _name = "slm.recompute.line"
    _inherit = ["slm.recompute.preview.mixin"]
    _description = "Clock Changed by a Recomputation"
    _order = "run_id, ticket_id, target_id, cycle"

    clock_id = fields.Many2one(
        "slm.clock",
        readonly=True,
        ondelete="cascade",
        help="Empty for a clock the recomputation would create (a new cycle).",
    )
    ticket_id = fields.Many2one("helpdesk.ticket", readonly=True, ondelete="cascade")
    target_id = fields.Many2one("slm.target", readonly=True, ondelete="cascade")
    cycle = fields.Integer(readonly=True)
    is_new = fields.Boolean(
        string="New Clock",
        readonly=True,
        help="A cycle the history has that no clock measures yet (clock rule "
        "12): the recomputation creates its clock.",
    )
    measured_status = fields.Selection(STATUSES, string="Status", readonly=True)
    measured_deadline = fields.Datetime(string="Deadline", readonly=True)
    measured_stop = fields.Datetime(string="Stop", readonly=True)
    measured_used_hours = fields.Float(string="Used (h)", readonly=True)
    measured_month = fields.Date(string="Month", readonly=True)
    recomputed_status = fields.Selection(
        STATUSES, string="Status Recomputed", readonly=True
    )
    recomputed_deadline = fields.Datetime(string="Deadline Recomputed", readonly=True)
    recomputed_stop = fields.Datetime(string="Stop Recomputed", readonly=True)
    recomputed_used_hours = fields.Float(string="Used Recomputed (h)", readonly=True)
    recomputed_month = fields.Date(string="Month Recomputed", readonly=True)
