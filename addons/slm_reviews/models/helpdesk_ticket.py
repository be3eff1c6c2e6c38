# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    slm_complaint = fields.Boolean(
        string="Customer Complaint",
        tracking=True,
        index=True,
        help="The ticket is a complaint of the customer about the service: it "
        "is listed in the agenda of the service review whose period holds its "
        "complaint date.",
    )
    slm_complaint_date = fields.Date(
        string="Complaint Date",
        compute="_compute_slm_complaint_date",
        store=True,
        readonly=False,
        index="btree_not_null",
        tracking=True,
        help="When the customer complained: the ticket's creation day when it "
        "is marked as a complaint; change it when the complaint came earlier "
        "or later. Reviews list the complaints by this date.",
    )

    @api.depends("slm_complaint")
    def _compute_slm_complaint_date(self):
        for ticket in self:
            if not ticket.slm_complaint:
                ticket.slm_complaint_date = False
            elif not ticket.slm_complaint_date:
                created = ticket.create_date or fields.Datetime.now()
                ticket.slm_complaint_date = fields.Date.context_today(ticket, created)
