# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class SlmPauseReason(models.Model):
    """Why a ticket is moved to a stage that pauses its clocks (pause reason
    rules 1-6): waiting for the customer, for a third party, scheduled
    work. Recorded on the stage change (``slm.ticket.event.reason_id``)."""

    _name = "slm.pause.reason"
    _description = "Pause Reason"
    _order = "sequence, name, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10, help="Order in the selection lists.")
    name = fields.Char(
        required=True,
        translate=True,
        help="What agents choose, e.g. Waiting for the customer.",
    )
    customer_text = fields.Char(
        string="Text for the Customer",
        translate=True,
        help="What the customer reads on the portal while the ticket waits "
        "for this reason, followed by since when, e.g. 'Waiting for your "
        "reply'. Empty: the reason is not shown to the customer.",
    )
    waiting_customer = fields.Boolean(
        string="Waiting for the Customer",
        help="The ticket waits for the customer: the portal asks the customer "
        "to reply (the reply resumes the ticket, channel rule 11); reports "
        "can tell these pauses apart.",
    )
    active = fields.Boolean(
        default=True,
        help="Archive a reason no longer used: the moves that recorded it " "keep it.",
    )
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Empty: offered in every company.",
    )

    # Pause reason rule 2: a target that requires a reason keeps one to choose.

    def write(self, vals):
        if not {"active", "company_id"}.intersection(vals):
            return super().write(vals)
        # The companies the reasons leave count as much as those they reach.
        companies = self.company_id
        everywhere = any(not reason.company_id for reason in self)
        res = super().write(vals)
        self._check_required_targets(
            companies | self.company_id,
            everywhere or any(not reason.company_id for reason in self),
        )
        return res

    def unlink(self):
        companies = self.company_id
        everywhere = any(not reason.company_id for reason in self)
        res = super().unlink()
        self._check_required_targets(companies, everywhere)
        return res

    @api.model
    def _check_required_targets(self, companies, everywhere):
        """Refuse leaving a target that requires reasons without any (pause
        reason rule 2): the targets of ``companies`` (of every company when
        ``everywhere``) are checked again."""
        domain = [("pause_reason_required", "=", True)]
        if not everywhere:
            domain.append(("company_id", "in", companies.ids))
        targets = self.env["slm.target"].sudo().search(domain)
        targets._check_pause_reasons_available()

    @api.ondelete(at_uninstall=False)
    def _unlink_except_recorded(self):
        used = (
            self.env["slm.ticket.event"]
            .sudo()
            .search_count([("reason_id", "in", self.ids)], limit=1)
        )
        if used:
            raise UserError(
                self.env._(
                    "This pause reason is recorded on tickets' moves: archive it "
                    "instead of deleting it."
                )
            )

    @api.model
    def _available_domain(self, company):
        """The active reasons offered in ``company``."""
        return [("company_id", "in", [False, company.id])]

    def _slm_check_for_ticket(self, ticket):
        """Raise unless this reason may be given for ``ticket`` (active, of
        its company or of every company)."""
        self.ensure_one()
        reason = self.sudo().exists()
        if (
            not reason
            or not reason.active
            or reason.company_id not in (ticket.company_id, self.env["res.company"])
        ):
            raise ValidationError(
                self.env._(
                    "This pause reason cannot be given for ticket %(ticket)s: "
                    "choose an active reason of its company.",
                    ticket=ticket.display_name,
                )
            )
