# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class SlmClockPause(models.Model):
    """The paused business time of a clock, piece by piece, with the reason
    of the move that paused it (pause reason rule 6): the report *Paused
    Time* by reason, team, agent and agreement.

    Written by the suite whenever the clock is computed, from the same
    history and engine (``clock_engine.pause_pieces``): the pieces of a
    clock add up to its paused time. Measurement: system data.
    """

    _name = "slm.clock.pause"
    _inherit = ["slm.system.data.mixin"]
    _description = "Paused Time of a Clock"
    _order = "date_start desc, id desc"
    _rec_name = "clock_id"

    clock_id = fields.Many2one(
        "slm.clock", required=True, index=True, ondelete="cascade", readonly=True
    )
    event_id = fields.Many2one(
        "slm.ticket.event",
        string="Move",
        index="btree_not_null",
        ondelete="cascade",
        readonly=True,
        help="The stage change that put the ticket where this clock pauses.",
    )
    date_start = fields.Datetime(string="From", readonly=True)
    date_end = fields.Datetime(
        string="Until",
        readonly=True,
        help="The end of the pause, or when the clock was last computed while "
        "the ticket still waits.",
    )
    paused_seconds = fields.Integer(
        string="Paused (s)",
        readonly=True,
        help="Business time of the clock's calendar in this piece, in seconds.",
    )
    paused_hours = fields.Float(
        string="Paused (h)",
        compute="_compute_paused_hours",
        store=True,
        aggregator="sum",
        help="Business time of the clock's calendar in this piece, in hours.",
    )
    reason_id = fields.Many2one(
        related="event_id.reason_id", store=True, string="Pause Reason"
    )
    waiting_customer = fields.Boolean(
        related="event_id.reason_id.waiting_customer",
        store=True,
        string="Waiting for the Customer",
    )
    stage_id = fields.Many2one(related="event_id.stage_id", store=True)
    user_id = fields.Many2one(
        related="event_id.user_id",
        store=True,
        string="Paused by",
        help="Who moved the ticket to the pausing stage.",
    )
    ticket_id = fields.Many2one(related="clock_id.ticket_id", store=True, index=True)
    target_id = fields.Many2one(related="clock_id.target_id", store=True)
    metric = fields.Selection(related="clock_id.metric", store=True)
    agreement_id = fields.Many2one(related="clock_id.agreement_id", store=True)
    agreement_kind = fields.Selection(related="clock_id.agreement_kind", store=True)
    team_id = fields.Many2one(related="clock_id.team_id", store=True)
    partner_id = fields.Many2one(
        related="clock_id.partner_id", store=True, string="Customer"
    )
    service_id = fields.Many2one(related="clock_id.service_id", store=True)
    company_id = fields.Many2one(related="clock_id.company_id", store=True, index=True)

    def _system_data_error(self):
        return self.env._(
            "The paused time of the clocks is computed from the tickets' "
            "history and cannot be created, changed or deleted by hand."
        )

    @api.depends("paused_seconds")
    def _compute_paused_hours(self):
        for piece in self:
            piece.paused_hours = piece.paused_seconds / 3600
