# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    slm_customer_reply_stage_id = fields.Many2one(
        "helpdesk.ticket.stage",
        string="Stage on Customer Reply",
        domain="[('closed', '=', False)]",
        help="When the customer replies to a ticket of this team waiting in a "
        "stage marked Waiting for the Customer, the ticket moves to this stage "
        "(empty: it stays). Reopened tickets go there too.",
    )
    slm_reopen_days = fields.Integer(
        string="Reopen on Customer E-mail (days)",
        default=0,
        help="A customer e-mail on a ticket closed at most this many days ago "
        "reopens it (0: never).",
    )

    @api.constrains("slm_reopen_days", "slm_customer_reply_stage_id")
    def _check_slm_customer_reply(self):
        for team in self:
            if team.slm_reopen_days < 0:
                raise ValidationError(
                    self.env._(
                        "Team %(team)s: the number of days during which a customer "
                        "e-mail reopens a closed ticket cannot be negative.",
                        team=team.name,
                    )
                )
            if team.slm_customer_reply_stage_id.closed:
                raise ValidationError(
                    self.env._(
                        "Team %(team)s: the stage on customer reply must be an "
                        "open stage.",
                        team=team.name,
                    )
                )

    def _slm_reopen_stage(self):
        """Where a reopened ticket of this team goes: the stage on customer
        reply, else the team's first open stage."""
        self.ensure_one()
        return (
            self.slm_customer_reply_stage_id
            or (
                self._get_applicable_stages().filtered(lambda stage: not stage.closed)[
                    :1
                ]
            )
        )
