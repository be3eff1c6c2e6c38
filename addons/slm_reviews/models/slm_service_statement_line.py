# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class SlmServiceStatementLine(models.Model):
    """The figures of one target in a monthly statement: recomputed while the
    statement is a draft, frozen once it is issued."""

    _name = "slm.service.statement.line"
    _description = "Monthly Service Statement Line"
    _order = "statement_id, sequence, id"

    sequence = fields.Integer(default=10)
    statement_id = fields.Many2one(
        "slm.service.statement", required=True, index=True, ondelete="cascade"
    )
    agreement_id = fields.Many2one(
        related="statement_id.agreement_id", store=True, index=True
    )
    period_start = fields.Date(
        related="statement_id.period_start", store=True, string="Month"
    )
    state = fields.Selection(related="statement_id.state", string="Statement Status")
    partner_id = fields.Many2one(
        related="statement_id.partner_id", store=True, string="Customer"
    )
    company_id = fields.Many2one(related="statement_id.company_id", store=True)
    target_id = fields.Many2one("slm.target", required=True, ondelete="restrict")
    target_name = fields.Char(help="The target's name when the figures were computed.")
    inherited_from = fields.Char(
        help="The higher-level agreement the target is inherited from (empty: "
        "the agreement's own target)."
    )
    # The target's metrics, whatever they are (issue 12 added cycle metrics).
    metric = fields.Selection(
        selection=lambda self: self.env["slm.target"]._fields["metric"].selection,
        required=True,
    )
    threshold_hours = fields.Float(
        string="Threshold (h)", help="The target's threshold (ticket targets)."
    )
    objective_pct = fields.Float(string="Objective (%)", aggregator="avg")
    measured = fields.Integer(help="Tickets measured: met + breached (not excused).")
    met = fields.Integer()
    breached = fields.Integer(help="Breaches not excused.")
    excused = fields.Integer(help="Excused breaches, shown apart.")
    negotiated = fields.Integer(
        help="Results (met or breached, counted as usual) measured against a "
        "deadline negotiated for the ticket (negotiated deadline rule 7).",
    )
    attainment_pct = fields.Float(
        string="Attainment (%)",
        aggregator="avg",
        help="Met / measured; for availability, the availability of the month. "
        "Over several lines: summed met over summed measured (availability: "
        "summed agreed service time less summed downtime, over summed agreed "
        "service time), never an average of percentages.",
    )
    agreed_hours = fields.Float(
        string="Agreed Service Time (h)",
        help="Availability targets: the month's agreed service time.",
    )
    downtime_hours = fields.Float(
        string="Downtime (h)",
        help="Availability targets: the unplanned downtime inside the agreed "
        "service time.",
    )
    has_measure = fields.Boolean(help="Something was measured this month.")
    achieved = fields.Boolean(
        help="Attainment (availability) at or above the objective. False when "
        "nothing was measured."
    )

    @api.model
    def _read_group_select(self, aggregate_spec, query):
        if aggregate_spec.startswith("attainment_pct:"):
            field = lambda name: self._field_to_sql(self._table, name, query)  # noqa: E731
            return SQL(
                """(CASE WHEN SUM(%(measured)s) > 0
                         THEN 100.0 * SUM(%(met)s) / SUM(%(measured)s)
                         ELSE 100.0 * (SUM(%(agreed)s) - SUM(%(downtime)s))
                              / NULLIF(SUM(%(agreed)s), 0)
                    END)::float""",
                measured=field("measured"),
                met=field("met"),
                agreed=field("agreed_hours"),
                downtime=field("downtime_hours"),
            )
        return super()._read_group_select(aggregate_spec, query)

    # ------------------------------------------------------------------
    # CRUD: the figures of an issued statement never change.
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self._check_system()
        statements = self.env["slm.service.statement"].browse(
            {vals["statement_id"] for vals in vals_list if vals.get("statement_id")}
        )
        self._check_draft(statements)
        return super().create(vals_list)

    def write(self, vals):
        self._check_system()
        statements = self.statement_id
        if vals.get("statement_id"):
            statements |= statements.browse(vals["statement_id"])
        self._check_draft(statements)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_issued(self):
        self._check_system()
        self._check_draft(self.statement_id)

    @api.model
    def _check_system(self):
        """The lines are the figures computed from the clocks (guard rule 1):
        only the computation (Recompute, Issue) writes them, as superuser."""
        if not self.env.su:
            raise UserError(
                self.env._(
                    "The lines of a statement are its figures, computed from the "
                    "clocks: they cannot be changed by hand. Use Recompute on a "
                    "draft statement."
                )
            )

    @api.model
    def _check_draft(self, statements):
        issued = statements.filtered(lambda s: s.state == "issued")
        if issued:
            raise UserError(issued._frozen_error())

    def _figures(self):
        self.ensure_one()
        figures = {
            "metric": self.metric,
            "measured": self.measured,
            "met": self.met,
            "breached": self.breached,
            "excused": self.excused,
            "negotiated": self.negotiated,
            "attainment": self.attainment_pct if self.has_measure else None,
            "objective": self.objective_pct,
            "achieved": self.achieved,
        }
        if self.metric == "availability":
            figures.update(
                agreed_hours=self.agreed_hours, downtime_hours=self.downtime_hours
            )
        return figures
