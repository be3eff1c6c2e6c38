# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models, tools
from odoo.tools import SQL


class SlmAttainmentReport(models.Model):
    """Settled clocks, one row each, for attainment by any grouping and period.

    Clock rule 8 and the period rule: a met clock counts at its stop, a
    breached one at its deadline (``settled_date``), in the local day and
    month of that instant in its agreement's time zone (``period_day``,
    ``period_date``, stored on the clock: dates, which the viewer's time
    zone does not move). ``attainment`` is 100 for met and 0 for
    breached, so its average over any group is met / (met + breached) in %.
    An excused breach (``slm.breach``) stays a row, counted in ``excused``
    only: its ``attainment`` is NULL, which the average skips.
    """

    _name = "slm.attainment.report"
    _inherit = ["slm.attainment.counts.mixin"]
    _description = "Service Level Attainment"
    _auto = False
    _rec_name = "target_id"
    _order = "settled_date desc"
    # Flush these before reading the view.
    _depends = {
        "slm.clock": [
            "settled_date",
            "period_day",
            "period_date",
            "agreement_id",
            "agreement_kind",
            "target_id",
            "metric",
            "ticket_id",
            "partner_id",
            "service_id",
            "team_id",
            "company_id",
            "status",
            "excused",
            "pause_budget_exceeded",
            "over_budget_seconds",
            "negotiated",
        ],
        "slm.target": ["objective_pct"],
        "slm.agreement": ["tz"],
    }

    settled_date = fields.Datetime(readonly=True)
    period_day = fields.Date(
        string="Settled on",
        readonly=True,
        help="The day of the settlement in the agreement's time zone.",
    )
    period_date = fields.Date(
        string="Month",
        readonly=True,
        help="The month of the settlement in the agreement's time zone "
        "(period rule): group by it, not by the settlement instant.",
    )
    tz = fields.Selection(
        selection=lambda self: self.env["slm.agreement"]._fields["tz"].selection,
        string="Time Zone of the Months",
        readonly=True,
    )
    agreement_id = fields.Many2one("slm.agreement", readonly=True)
    agreement_kind = fields.Selection(
        selection=lambda self: self.env["slm.agreement"]._fields["kind"].selection,
        string="Kind",
        readonly=True,
    )
    target_id = fields.Many2one("slm.target", readonly=True)
    metric = fields.Selection(
        selection=lambda self: self.env["slm.target"]._fields["metric"].selection,
        readonly=True,
    )
    ticket_id = fields.Many2one("helpdesk.ticket", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    service_id = fields.Many2one("slm.service", readonly=True)
    team_id = fields.Many2one("helpdesk.ticket.team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    measured = fields.Integer(
        help="Clocks settled and counted: met, or breached and not excused.",
    )
    breached = fields.Integer(
        help="Breached clocks counted in attainment (not excused)."
    )
    excused = fields.Integer(
        help="Breached clocks excused by a Service Level Manager: shown here, "
        "not counted in attainment.",
    )
    attainment = fields.Float(
        help="Met / (met + breached not excused), in %.",
    )
    negotiated = fields.Integer(
        help="Results measured against a negotiated deadline (negotiated "
        "deadline rule 7): counted as met or breached as usual, flagged here.",
    )
    objective_pct = fields.Float(
        string="Objective (%)", readonly=True, aggregator="avg"
    )
    # Pause budget rule 4: overruns of the targets' pause budgets.
    pause_budget_exceeded = fields.Boolean(
        readonly=True,
        help="The clock's pause budget ran out while the ticket was paused.",
    )
    over_budget_count = fields.Integer(
        string="Over Pause Budget",
        readonly=True,
        help="Settled clocks whose pause budget ran out.",
    )
    over_budget_hours = fields.Float(
        string="Paused beyond Budget (h)",
        readonly=True,
        help="Business hours spent in pausing stages beyond the pause budget "
        "(they counted).",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %s AS (
                    SELECT clock.id,
                           clock.settled_date,
                           clock.period_day,
                           clock.period_date,
                           agreement.tz,
                           clock.agreement_id,
                           clock.agreement_kind,
                           clock.target_id,
                           clock.metric,
                           clock.ticket_id,
                           clock.partner_id,
                           clock.service_id,
                           clock.team_id,
                           clock.company_id,
                           (clock.status = 'met' OR clock.excused IS NOT TRUE)::int
                               AS measured,
                           (clock.status = 'met')::int AS met,
                           (clock.status = 'breached'
                               AND clock.excused IS NOT TRUE)::int AS breached,
                           (clock.status = 'breached' AND clock.excused IS TRUE)::int
                               AS excused,
                           CASE WHEN clock.status = 'met' THEN 100.0
                                WHEN clock.excused IS TRUE THEN NULL
                                ELSE 0.0 END AS attainment,
                           target.objective_pct,
                           COALESCE(clock.pause_budget_exceeded, FALSE)
                               AS pause_budget_exceeded,
                           COALESCE(clock.pause_budget_exceeded, FALSE)::int
                               AS over_budget_count,
                           COALESCE(clock.over_budget_seconds, 0) / 3600.0
                               AS over_budget_hours,
                           (clock.negotiated IS TRUE)::int AS negotiated
                      FROM slm_clock clock
                      JOIN slm_target target ON target.id = clock.target_id
                      JOIN slm_agreement agreement
                        ON agreement.id = clock.agreement_id
                     WHERE clock.status IN ('met', 'breached')
                       AND clock.period_date IS NOT NULL
                )
                """,
                SQL.identifier(self._table),
            )
        )
