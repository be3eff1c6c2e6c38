# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import Counter

from dateutil.relativedelta import relativedelta

from odoo import Command, fields, models
from odoo.exceptions import UserError


class SlmSimulationWizard(models.TransientModel):
    """Run an agreement's targets over past tickets: what would we have achieved?

    For SLRs and revisions under negotiation. Clocks are computed in memory
    from the tickets' history; live clocks are not touched.
    """

    _name = "slm.simulation.wizard"
    _description = "What-if Simulation"

    agreement_id = fields.Many2one("slm.agreement", required=True)
    months = fields.Integer(
        default=6, required=True, help="How many past months of tickets to replay."
    )
    tz = fields.Selection(
        related="agreement_id.tz",
        string="Months in",
        help="The simulated months run in the agreement's time zone.",
    )
    ticket_count = fields.Integer(readonly=True)
    simulated = fields.Boolean(
        readonly=True, help="Set once run: the form then says when nothing matched."
    )
    line_ids = fields.One2many("slm.simulation.line", "wizard_id", readonly=True)

    _sql_constraints = [
        (
            "months_range",
            "CHECK(months > 0 AND months <= 36)",
            "Simulate between 1 and 36 months of past tickets.",
        ),
    ]

    def _month(self, moment):
        """The month of a settlement in the agreement's time zone (period
        rule), as on every other attainment figure."""
        return self.agreement_id._period_keys(moment)[1]

    def action_run(self):
        self.ensure_one()
        targets = self._simulated_targets()
        now = fields.Datetime.now()
        tickets = self._replayed_tickets(now)
        counts = self._simulated_counts(tickets, targets, now)
        keys = sorted({(target_id, month) for target_id, month, _status in counts})
        self.line_ids.unlink()
        self.write(
            {
                "ticket_count": len(tickets),
                "simulated": True,
                "line_ids": [
                    Command.create(
                        {
                            "target_id": target_id,
                            "month": month,
                            "met": counts[(target_id, month, "met")],
                            "breached": counts[(target_id, month, "breached")],
                            "excused": counts[(target_id, month, "excused")],
                            "measured": counts[(target_id, month, "met")]
                            + counts[(target_id, month, "breached")],
                        }
                    )
                    for target_id, month in keys
                ],
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def _simulated_targets(self):
        """The agreement's response and resolution targets (availability
        targets run no clock on tickets: nothing to replay)."""
        targets = self.agreement_id._effective_targets().filtered(
            lambda t: t.metric != "availability"
        )
        if not targets:
            raise UserError(
                self.env._(
                    "The agreement has no response or resolution targets to "
                    "simulate."
                )
            )
        return targets

    def _replayed_tickets(self, now):
        """The tickets of the agreement's scope created in the past months,
        with their clock history (rebuilt for tickets older than the suite)."""
        agreement = self.agreement_id
        domain = [
            ("create_date", ">=", now - relativedelta(months=self.months)),
            ("company_id", "=", agreement.company_id.id),
        ]
        if agreement.partner_id:
            domain.append(("commercial_partner_id", "=", agreement.partner_id.id))
        if agreement.service_ids:
            domain.append(("service_id", "in", agreement.service_ids.ids))
        tickets = self.env["helpdesk.ticket"].search(domain)
        tickets._slm_backfill_events()
        return tickets

    def _simulated_counts(self, tickets, targets, now):
        """Counter of (target id, month, met/breached/excused): the clocks the
        targets would have run on the tickets, settled by ``now``."""
        agreement = self.agreement_id
        _created, teams = tickets._slm_history_facts()
        pairs = [
            (ticket, target)
            for ticket in tickets
            if agreement.kind != "ola" or agreement.team_id.id in teams[ticket.id]
            for target in targets.filtered(ticket._slm_in_target_scope)
        ]
        values = self.env["slm.clock"]._compute_values(pairs, now=now)
        # A live breach excused by a manager (same ticket, same metric) was
        # excused for what happened on the ticket: here too it does not count.
        excused = {
            (clock.ticket_id.id, clock.metric)
            for clock in self.env["slm.clock"].search(
                [
                    ("ticket_id", "in", tickets.ids),
                    ("status", "=", "breached"),
                    ("excused", "=", True),
                ]
            )
        }
        counts = Counter()
        Clock = self.env["slm.clock"]
        for (ticket, target), pair_vals in zip(pairs, values, strict=True):
            # Every cycle is a result of its own (clock rule 12).
            for vals in Clock._split_cycles(pair_vals):
                if (
                    vals["status"] not in ("met", "breached")
                    or not vals["settled_date"]
                ):
                    continue
                status = vals["status"]
                if status == "breached" and (ticket.id, target.metric) in excused:
                    status = "excused"
                counts[(target.id, self._month(vals["settled_date"]), status)] += 1
        return counts
