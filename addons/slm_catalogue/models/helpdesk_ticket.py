# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, fields, models


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    service_id = fields.Many2one(
        "slm.service",
        string="Service",
        compute="_compute_service_id",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
        ondelete="restrict",
        domain="[('state', '!=', 'retired'), ('company_id', '=', company_id)]",
        help="The catalogue service this ticket is about. Derived from the "
        "ticket's category (or its team) as mapped in the service catalogue; an "
        "agent may change it. When the catalogue maps nothing, it is left as is.",
    )

    @api.depends("category_id", "team_id")
    def _compute_service_id(self):
        found = self.env["slm.service"]._find_for_tickets(self)
        for ticket in self:
            # Nothing mapped: keep the service the ticket has (maybe an agent's).
            ticket.service_id = found.get(ticket, ticket.service_id)

    @api.model
    def _slm_assign_missing_services(self):
        """Give open tickets without a service the one the catalogue now maps.

        Called when the catalogue's helpdesk links change. Tickets that already
        carry a service keep it: changing the service of a running ticket is an
        agent's decision, not a side effect of editing the catalogue.
        """
        tickets = self.search([("service_id", "=", False), ("closed", "=", False)])
        found = self.env["slm.service"]._find_for_tickets(tickets)
        by_service = defaultdict(lambda: self.browse())
        for ticket, service in found.items():
            by_service[service] |= ticket
        for service, service_tickets in by_service.items():
            service_tickets.write({"service_id": service.id})
