# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
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
        values["slm_deadline_proposals"] = request.env[
            "slm.deadline.proposal"
        ]._slm_portal_proposals(ticket)
        values["slm_deadline_error"] = bool(kwargs.get("slm_deadline_error"))
        return values

    @http.route(
        "/my/ticket/<int:ticket_id>/slm_deadline/<int:proposal_id>/<string:decision>",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_slm_deadline_decide(self, ticket_id, proposal_id, decision, **kw):
        """The customer accepts or declines a new deadline (negotiated
        deadline rule 5). CSRF-checked (a POST form with its token); the user
        must be able to open the ticket with their own rights (no access
        token) and belong to its customer: checked here and by the model."""
        if decision not in ("accept", "decline"):
            raise NotFound()
        try:
            ticket_sudo = self._document_check_access("helpdesk.ticket", ticket_id)
        except (AccessError, MissingError):
            raise NotFound() from None
        proposal = request.env["slm.deadline.proposal"].browse(proposal_id)
        if proposal.sudo().exists().ticket_id != ticket_sudo:
            raise NotFound()
        try:
            decided = proposal._slm_portal_decide(decision == "accept")
        except AccessError:
            raise NotFound() from None
        except UserError:
            decided = False
        if not decided:
            # Expired or decided in the meantime: said on the ticket's page,
            # in fixed words (nothing from the URL is shown).
            return request.redirect(f"/my/ticket/{ticket_id}?slm_deadline_error=1")
        return request.redirect(f"/my/ticket/{ticket_id}")
