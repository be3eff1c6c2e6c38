# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

RECIPIENTS = [
    ("assignee", "Ticket Assignee"),
    ("team_leader", "Team Leader"),
    ("service_owner", "Service Owner"),
    ("manager", "Service Level Manager"),
    ("user", "Named User"),
]


class SlmEscalationLevel(models.Model):
    """Who is alerted when a share of a target's threshold is used up.

    E.g. at 50 % the team leader, at 100 % (the breach) the agreement's
    Service Level Manager, at 150 % a named head of service. The breach scan
    fires each level once per clock.
    """

    _name = "slm.escalation.level"
    _description = "Escalation Level"
    _order = "target_id, threshold_pct, id"

    target_id = fields.Many2one(
        "slm.target", required=True, index=True, ondelete="cascade"
    )
    threshold_pct = fields.Float(
        string="At (%)",
        required=True,
        default=100.0,
        help="Share of the target's threshold used up that triggers this level: "
        "50 is half-way, 100 the deadline (the breach), 150 half as long again "
        "past the deadline while the ticket is still not answered or resolved.",
    )
    recipient = fields.Selection(
        RECIPIENTS,
        required=True,
        default="team_leader",
        help="Ticket Assignee, Team Leader of the ticket's team, Service Owner of "
        "the ticket's service, the agreement's Service Level Manager, or a named "
        "user. When the role names nobody who can act (nobody, a portal user, an "
        "archived user, OdooBot), the next one is alerted: assignee, team "
        "leader, Service Level Manager.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="User",
        domain=[("share", "=", False)],
        help="The named user alerted at this level.",
    )
    note = fields.Char(
        help="What the recipient is expected to do (shown in the activity)."
    )
    company_id = fields.Many2one(related="target_id.company_id", store=True)

    @api.constrains("threshold_pct", "recipient", "user_id")
    def _check_level(self):
        for level in self:
            if not 0 < level.threshold_pct <= 1000:
                raise ValidationError(
                    self.env._(
                        "Escalation level of %(target)s: the share of the "
                        "threshold must be above 0 and at most 1000 %% (it is "
                        "%(value)s).",
                        target=level.target_id.display_name,
                        value=level.threshold_pct,
                    )
                )
            error = level.target_id._slm_setting_error()
            if error:
                raise ValidationError(error)
            if level.recipient == "user" and not level.user_id:
                raise ValidationError(
                    self.env._(
                        "Escalation level at %(pct)s %% of %(target)s: choose the "
                        "user to alert.",
                        pct=format(level.threshold_pct, "g"),
                        target=level.target_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        targets = self.env["slm.target"].browse(
            {vals["target_id"] for vals in vals_list if vals.get("target_id")}
        )
        targets.agreement_id._check_targets_editable()
        self.env.registry.clear_cache()  # the clocks' settings (clock rule 21)
        return super().create(vals_list)

    def write(self, vals):
        self.target_id.agreement_id._check_targets_editable()
        self.env.registry.clear_cache()  # the clocks' settings (clock rule 21)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_agreed(self):
        self.target_id.agreement_id._check_targets_editable()

    def unlink(self):
        self.env.registry.clear_cache()  # the clocks' settings (clock rule 21)
        return super().unlink()

    def _recipient_user(self, ticket, agreement):
        """The user this level alerts about ``ticket``, or an empty recordset.

        Each role falls back on the next one when it names nobody who can act
        (channel rule 5): assignee, team leader, then the agreement's Service Level
        Manager; the service owner, then the Service Level Manager; a named
        user, then the Service Level Manager. Never portal users, archived
        users or OdooBot.
        """
        self.ensure_one()
        ticket = ticket.sudo()
        manager = agreement.sudo().provider_user_id
        chains = {
            "assignee": [ticket.user_id, ticket.team_id.user_id, manager],
            "team_leader": [ticket.team_id.user_id, manager],
            "service_owner": [ticket.service_id.owner_id, manager],
            "manager": [manager],
            "user": [self.user_id, manager],
        }
        return self._first_able(chains[self.recipient])

    @api.model
    def _first_able(self, candidates):
        """The first of ``candidates`` (users) who can act for the provider."""
        Ticket = self.env["helpdesk.ticket"]
        for user in candidates:
            able = Ticket._slm_provider_users(user)
            if able:
                return able[:1]
        return self.env["res.users"]
