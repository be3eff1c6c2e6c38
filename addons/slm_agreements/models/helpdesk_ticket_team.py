# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    slm_customer_reply_stage_id = fields.Many2one(
        "helpdesk.ticket.stage",
        string="Stage on Customer Reply",
        domain="[('closed', '=', False)]",
        help="When the customer replies to a ticket of this team waiting in a "
        "stage marked Waiting for the Customer, or in a stage that pauses one of "
        "its clocks, the ticket moves to this stage and the pause ends (empty: "
        "it stays). Reopened tickets go there too. It must be an open stage "
        "that pauses no clock.",
    )
    slm_reopen_days = fields.Integer(
        string="Reopen on Customer E-mail (days)",
        default=0,
        help="A customer e-mail on a ticket closed at most this many days ago "
        "reopens it (0: never).",
    )

    slm_at_risk_count = fields.Integer(
        string="At Risk",
        compute="_compute_slm_ticket_counts",
        help="Open tickets of the team with a clock at risk (and none breached).",
    )
    slm_breached_count = fields.Integer(
        string="Breached",
        compute="_compute_slm_ticket_counts",
        help="Open tickets of the team with a breached clock.",
    )

    def _compute_slm_ticket_counts(self):
        """Counts of the open tickets at risk and breached, as the user may see
        them (one grouped query)."""
        counts = defaultdict(int)
        if self.ids:
            groups = self.env["helpdesk.ticket"]._read_group(
                self._slm_open_tickets_domain()
                + [("slm_status", "in", ("at_risk", "breached"))],
                ["team_id", "slm_status"],
                ["__count"],
            )
            for team, status, count in groups:
                counts[team.id, status] = count
        for team in self:
            team.slm_at_risk_count = counts[team.id, "at_risk"]
            team.slm_breached_count = counts[team.id, "breached"]

    def _slm_open_tickets_domain(self):
        return [("team_id", "in", self.ids), ("stage_id.closed", "=", False)]

    def _slm_action_tickets(self, status):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_mgmt.action_helpdesk_ticket_kanban_from_dashboard"
        )
        action.update(
            name=self.env._(
                "%(team)s: %(state)s",
                team=self.name,
                state=dict(
                    self.env["helpdesk.ticket"]
                    ._fields["slm_status"]
                    ._description_selection(self.env)
                )[status],
            ),
            domain=self._slm_open_tickets_domain() + [("slm_status", "=", status)],
            context={"default_team_id": self.id},
        )
        return action

    def action_slm_view_at_risk(self):
        return self._slm_action_tickets("at_risk")

    def action_slm_view_breached(self):
        return self._slm_action_tickets("breached")

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
            stage = team.slm_customer_reply_stage_id
            if stage and (
                stage.slm_waiting_customer
                or self.env["slm.target"]
                .sudo()
                .with_context(active_test=False)
                .search_count([("pause_stage_ids", "in", stage.ids)], limit=1)
            ):
                # Channel rule 11: the reply must end the pause, not start one.
                raise ValidationError(
                    self.env._(
                        "Team %(team)s: the stage on customer reply %(stage)s "
                        "waits for the customer or pauses a service level target; "
                        "choose a stage where the clocks count.",
                        team=team.name,
                        stage=stage.name,
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

    @api.ondelete(at_uninstall=False)
    def _unlink_except_slm_ola(self):
        """Fail-soft rule 6: the team of an OLA is never deleted."""
        agreements = (
            self.env["slm.agreement"]
            .sudo()
            .with_context(active_test=False)
            .search([("team_id", "in", self.ids)])
        )
        if agreements:
            raise UserError(
                self.env._(
                    "%(teams)s cannot be deleted: it is the support team of "
                    "%(agreements)s, whose clocks follow it. Archive the team "
                    "instead.",
                    teams=", ".join(agreements.team_id.mapped("name")),
                    agreements=", ".join(agreements[:5].mapped("display_name")),
                )
            )
