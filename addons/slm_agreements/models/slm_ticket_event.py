# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class SlmTicketEvent(models.Model):
    """What happened to a ticket, as far as its clocks are concerned.

    Clocks are computed from this history only (with the target and its
    calendar), so a clock can be recomputed, or a newly applicable target
    evaluated, as if it had run from the start.
    """

    _name = "slm.ticket.event"
    _inherit = ["slm.system.data.mixin"]
    _description = "Ticket Event for Clocks"
    _order = "ticket_id, date, id"

    ticket_id = fields.Many2one(
        "helpdesk.ticket", required=True, index=True, ondelete="cascade"
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    event_type = fields.Selection(
        [
            ("created", "Created"),
            ("stage", "Stage changed"),
            ("team", "Team changed"),
            ("reply", "First public reply"),
            ("public_reply", "Public reply"),
            ("customer_message", "Customer message"),
        ],
        required=True,
    )
    closure = fields.Selection(
        [
            ("resolved", "Resolved"),
            ("not_resolution", "Not a Resolution"),
            ("customer", "Closed by the Customer"),
        ],
        help="How the ticket was closed by this event (channel rule 7): resolved, in a "
        "stage that is not a resolution, or by the customer.",
    )
    stage_id = fields.Many2one(
        "helpdesk.ticket.stage", help="The ticket's stage from this event on."
    )
    closed = fields.Boolean(help="The stage was a closed stage at the time.")
    reason_id = fields.Many2one(
        "slm.pause.reason",
        string="Pause Reason",
        index="btree_not_null",
        ondelete="restrict",
        help="Why the ticket was moved to this pausing stage, as given with the "
        "move (pause reason rule 4); empty: no reason given.",
    )
    team_id = fields.Many2one(
        "helpdesk.ticket.team", help="The ticket's team from this event on."
    )
    user_id = fields.Many2one("res.users", default=lambda self: self.env.user)
    message_id = fields.Many2one(
        "mail.message",
        index="btree_not_null",
        ondelete="set null",
        help="The public message of a reply or a customer message (clock rule 19: "
        "which message started or stopped a cycle).",
    )

    # Measurement is system data (access rule 1, slm_agreements' USAGE.md).

    def _system_data_error(self):
        return self.env._(
            "The clock history of a ticket is recorded by the application "
            "when the ticket changes: it cannot be created, changed or "
            "deleted by hand."
        )

    def init(self):
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS slm_ticket_event_ticket_date_idx "
            "ON slm_ticket_event (ticket_id, date, id)"
        )
