# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.http import request

from odoo.addons.helpdesk_mgmt.controllers.myaccount import CustomerPortalHelpdesk


class SlmCustomerPortalHelpdesk(CustomerPortalHelpdesk):
    """The SLA timers of the customer's tickets (customer timer rules 1-3), computed for
    the whole page at once."""

    @http.route()
    def portal_my_tickets(self, *args, **kwargs):
        response = super().portal_my_tickets(*args, **kwargs)
        groups = response.qcontext.get("grouped_tickets") or []
        tickets = request.env["helpdesk.ticket"].browse(
            [ticket.id for group in groups for ticket in group]
        )
        response.qcontext["slm_timers"] = tickets._slm_portal_timers()
        return response

    def _ticket_get_page_view_values(self, ticket, access_token, **kwargs):
        values = super()._ticket_get_page_view_values(ticket, access_token, **kwargs)
        # ``ticket`` is the record the portal checked the access to (as
        # superuser when opened with its access token).
        values["slm_timers"] = ticket._slm_portal_timers().get(ticket.id, [])
        # Pause reason rule 5: why the ticket waits, and since when.
        values["slm_pause"] = ticket._slm_portal_pause()
        return values
