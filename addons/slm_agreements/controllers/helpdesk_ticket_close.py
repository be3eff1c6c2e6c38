# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.http import request

from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController


class SlmHelpdeskTicketController(HelpdeskTicketController):
    @http.route("/ticket/close", type="http", auth="user")
    def support_ticket_close(self, **kw):
        """Close a ticket from the portal: only its customer (a user of the
        ticket's contact or of its company) or an internal user who may read
        it; anyone else gets the answer given for a ticket that does not exist
        (channel rule 9). The stage must be one closable from the portal."""
        ticket = self._slm_ticket_to_close(kw.get("ticket_id"))
        if not ticket:
            return request.not_found()
        try:
            stage_id = int(kw.get("stage_id") or 0)
        except (TypeError, ValueError):
            stage_id = 0
        stage = request.env["helpdesk.ticket.stage"].sudo().browse(stage_id).exists()
        if (
            stage
            and stage.close_from_portal
            and stage in ticket.team_id._get_applicable_stages()
        ):
            # As the user (sudo for the write only): a portal user's closure is
            # recorded as the customer's (channel rule 7).
            ticket.write({"stage_id": stage.id})
        # 302, as helpdesk_mgmt answers (its tests check it).
        return request.redirect(f"/my/ticket/{ticket.id}", code=302)

    def _slm_ticket_to_close(self, ticket_id):
        """The ticket (sudo) the current user may close, or an empty recordset."""
        Ticket = request.env["helpdesk.ticket"].sudo()
        try:
            ticket = Ticket.browse(int(ticket_id or 0)).exists()
        except (TypeError, ValueError):
            return Ticket
        user = request.env.user
        if not ticket:
            return Ticket
        if not user.share:
            return ticket if ticket.with_user(user).has_access("read") else Ticket
        if ticket.partner_id and (
            user.partner_id == ticket.partner_id
            or user.commercial_partner_id == ticket.commercial_partner_id
        ):
            return ticket
        return Ticket
