# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from .slm_clock import STATUSES


class SlmClockRevision(models.Model):
    """A clock's result superseded by a person's recomputation: what it was
    before and what it became (recomputation rule 4).

    Nothing is deleted: the clock carries its new values, the revision keeps
    the old ones readable, with the recomputation that replaced them (who,
    when, why). Written by the suite only, read-only for everyone.
    """

    _name = "slm.clock.revision"
    _inherit = ["slm.system.data.mixin"]
    _description = "Superseded Result of a Service Level Clock"
    _order = "date desc, id desc"
    _rec_name = "clock_id"

    clock_id = fields.Many2one(
        "slm.clock", required=True, readonly=True, index=True, ondelete="cascade"
    )
    run_id = fields.Many2one(
        "slm.recompute",
        string="Recomputation",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    ticket_id = fields.Many2one(related="clock_id.ticket_id", store=True)
    target_id = fields.Many2one(related="clock_id.target_id", store=True)
    cycle = fields.Integer(related="clock_id.cycle")
    company_id = fields.Many2one(related="clock_id.company_id", store=True, index=True)
    date = fields.Datetime(
        string="Recomputed on", required=True, readonly=True, index=True
    )
    user_id = fields.Many2one("res.users", string="Recomputed by", readonly=True)
    reason = fields.Text(related="run_id.reason", string="Why")
    old_status = fields.Selection(STATUSES, string="Status as Measured", readonly=True)
    old_deadline = fields.Datetime(string="Deadline as Measured", readonly=True)
    old_stop = fields.Datetime(string="Stop as Measured", readonly=True)
    old_used_seconds = fields.Integer(string="Used as Measured (s)", readonly=True)
    old_paused_seconds = fields.Integer(string="Paused as Measured (s)", readonly=True)
    old_settled_date = fields.Datetime(string="Settled as Measured", readonly=True)
    old_period_date = fields.Date(string="Month as Measured", readonly=True)
    new_status = fields.Selection(STATUSES, string="Status Recomputed", readonly=True)
    new_deadline = fields.Datetime(string="Deadline Recomputed", readonly=True)
    new_stop = fields.Datetime(string="Stop Recomputed", readonly=True)
    new_used_seconds = fields.Integer(string="Used Recomputed (s)", readonly=True)
    new_paused_seconds = fields.Integer(string="Paused Recomputed (s)", readonly=True)
    new_settled_date = fields.Datetime(string="Settled Recomputed", readonly=True)
    new_period_date = fields.Date(string="Month Recomputed", readonly=True)
    old_used_hours = fields.Float(
        string="Used as Measured (h)", compute="_compute_hours"
    )
    new_used_hours = fields.Float(
        string="Used Recomputed (h)", compute="_compute_hours"
    )

    def _compute_hours(self):
        for revision in self:
            revision.old_used_hours = revision.old_used_seconds / 3600
            revision.new_used_hours = revision.new_used_seconds / 3600

    def _system_data_error(self):
        return self.env._(
            "The superseded results of clocks are kept by the application when "
            "a Service Level Manager applies a recomputation; nobody creates, "
            "changes or deletes them."
        )
