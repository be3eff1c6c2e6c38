# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskTicketStage(models.Model):
    _inherit = "helpdesk.ticket.stage"

    slm_not_resolution = fields.Boolean(
        string="Not a Resolution",
        help="A closed stage that does not resolve the ticket (cancelled, "
        "rejected, duplicate, spam): service level clocks stopped by it are "
        "cancelled (kept, out of attainment), not met. A clock already breached "
        "stays breached.",
    )
    slm_waiting_customer = fields.Boolean(
        string="Waiting for the Customer",
        help="Tickets here wait for the customer: a public reply from the "
        "customer moves them to the team's Stage on Customer Reply.",
    )
