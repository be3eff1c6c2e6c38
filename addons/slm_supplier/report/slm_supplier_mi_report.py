# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models, tools
from odoo.tools import SQL

# Agreements that were (or are) in force: their months count.
IN_FORCE_STATES = ("agreed", "expired", "terminated", "superseded")


class SlmSupplierMiReport(models.Model):
    """Management information for the Process Owner: volume, impact and cost
    of SLAs, OLAs and UCs by month.

    One view, four kinds of rows, each carrying its own measures (zero on the
    others), so that any grouping sums correctly:

    - one row per agreement, in the month it starts: agreements by kind and
      status, value and budget of UCs;
    - one row per agreement and month in force (agreed, or agreed once and
      ended since), up to this month: agreements in force (counted once per
      group) and the UCs' monthly fees (their cost);
    - one row per agreement and month of settled clocks (clock rule 8, in the
      month stored on the clock: the agreement's time zone, period rule):
      measured, met, breached (not excused), excused;
    - one row per counted month of a UC (``slm.supplier.period``): its
      service credit, which reduces the net cost.
    """

    _name = "slm.supplier.mi.report"
    _inherit = ["slm.attainment.counts.mixin"]
    _description = "Service Level Management Information"
    _auto = False
    _rec_name = "agreement_id"
    _order = "period desc, agreement_id"
    _depends = {
        "slm.agreement": [
            "kind",
            "state",
            "supplier_id",
            "partner_id",
            "team_id",
            "company_id",
            "currency_id",
            "date_start",
            "date_end",
            "contract_value",
            "budget",
            "monthly_fee",
            "tz",
        ],
        "slm.clock": ["agreement_id", "status", "excused", "period_date"],
        "slm.supplier.period": ["agreement_id", "period_start", "credit_amount"],
    }

    row_type = fields.Selection(
        [
            ("agreement", "Agreement"),
            ("in_force", "Month in Force"),
            ("clocks", "Settled Clocks"),
            ("credit", "Service Credit"),
        ],
        string="Figure",
        readonly=True,
        help="What the row counts: an agreement (in its start month), a month "
        "it was in force, the clocks settled in a month, or a month's service "
        "credit.",
    )
    period = fields.Date(
        string="Month",
        readonly=True,
        help="Agreements: the month they start. In force and fees: each month "
        "in force. Clocks: the month they settled. Credits: the month counted.",
    )
    agreement_id = fields.Many2one("slm.agreement", readonly=True)
    kind = fields.Selection(
        selection=lambda self: self.env["slm.agreement"]._fields["kind"].selection,
        readonly=True,
        help="SLA, OLA or UC.",
    )
    state = fields.Selection(
        selection=lambda self: self.env["slm.agreement"]._fields["state"].selection,
        string="Status",
        readonly=True,
        help="The agreement's status today.",
    )
    supplier_id = fields.Many2one("res.partner", string="Supplier", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    team_id = fields.Many2one("helpdesk.ticket.team", string="Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(
        "res.currency",
        readonly=True,
        help="The contract's currency (the company's for SLAs and OLAs). Group "
        "by it when contracts use several currencies: amounts are not converted.",
    )
    agreement_count = fields.Integer(
        string="Agreements",
        readonly=True,
        help="Agreements, counted in the month they start (any status).",
    )
    in_force_count = fields.Integer(
        string="In Force",
        readonly=True,
        help="Agreements in force at some time in the period, each counted once.",
    )
    contract_value = fields.Monetary(
        readonly=True, help="UCs: value of the contracts starting in the period."
    )
    budget = fields.Monetary(
        readonly=True, help="UCs: budget of the contracts starting in the period."
    )
    fee = fields.Monetary(
        string="Fees",
        readonly=True,
        help="UCs: monthly fees of the contracts in force, summed over the months.",
    )
    credit = fields.Monetary(
        string="Service Credits",
        readonly=True,
        help="UCs: service credits of the months counted (computed, confirmed "
        "or claimed).",
    )
    net_cost = fields.Monetary(
        readonly=True,
        help="UCs: fees minus service credits.",
    )
    measured = fields.Integer(
        help="Clocks settled and counted: met, or breached not excused."
    )
    met = fields.Integer(help="Clocks met.")
    breached = fields.Integer(help="Clocks breached and not excused: the breaches.")
    excused = fields.Integer(help="Breaches excused: shown apart, not counted.")
    attainment = fields.Float(
        help="Met / (met + breached not excused) of the group, in %.",
    )

    @api.model
    def _read_group_select(self, aggregate_spec, query):
        # Distinct counts of the group, not sums of rows (its attainment:
        # slm.summed.ratio.mixin).
        if aggregate_spec.startswith("in_force_count:"):
            return SQL(
                "COUNT(DISTINCT %s) FILTER (WHERE %s = 1)",
                self._field_to_sql(self._table, "agreement_id", query),
                self._field_to_sql(self._table, "in_force_count", query),
            )
        return super()._read_group_select(aggregate_spec, query)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %(table)s AS (
                WITH agreement AS (
                    SELECT a.id AS agreement_id,
                           a.kind,
                           a.state,
                           a.supplier_id,
                           a.partner_id,
                           a.team_id,
                           a.company_id,
                           COALESCE(a.currency_id, company.currency_id)
                               AS currency_id,
                           a.date_start,
                           a.date_end,
                           CASE WHEN a.kind = 'uc'
                                THEN COALESCE(a.contract_value, 0) ELSE 0 END
                               AS contract_value,
                           CASE WHEN a.kind = 'uc'
                                THEN COALESCE(a.budget, 0) ELSE 0 END AS budget,
                           CASE WHEN a.kind = 'uc'
                                THEN COALESCE(a.monthly_fee, 0) ELSE 0 END
                               AS monthly_fee,
                           COALESCE(a.tz, 'UTC') AS tz
                      FROM slm_agreement a
                      JOIN res_company company ON company.id = a.company_id
                ),
                facts AS (
                    SELECT 'agreement' AS row_type,
                           ag.agreement_id,
                           date_trunc('month', ag.date_start)::date AS period,
                           1 AS agreement_count,
                           0 AS in_force_count,
                           ag.contract_value,
                           ag.budget,
                           0.0 AS fee,
                           0.0 AS credit,
                           0 AS measured,
                           0 AS met,
                           0 AS breached,
                           0 AS excused
                      FROM agreement ag
                    UNION ALL
                    SELECT 'in_force',
                           ag.agreement_id,
                           month::date,
                           0, 1, 0.0, 0.0, ag.monthly_fee, 0.0, 0, 0, 0, 0
                      FROM agreement ag
                CROSS JOIN LATERAL generate_series(
                               date_trunc('month', ag.date_start),
                               date_trunc(
                                   'month',
                                   LEAST(COALESCE(ag.date_end, CURRENT_DATE),
                                         CURRENT_DATE)
                               ),
                               interval '1 month'
                           ) AS month
                     WHERE ag.state IN %(in_force)s
                    UNION ALL
                    SELECT 'clocks',
                           clock.agreement_id,
                           clock.period_date,
                           0, 0, 0.0, 0.0, 0.0, 0.0,
                           COUNT(*) FILTER (WHERE clock.status = 'met'
                                               OR clock.excused IS NOT TRUE),
                           COUNT(*) FILTER (WHERE clock.status = 'met'),
                           COUNT(*) FILTER (WHERE clock.status = 'breached'
                                               AND clock.excused IS NOT TRUE),
                           COUNT(*) FILTER (WHERE clock.status = 'breached'
                                               AND clock.excused IS TRUE)
                      FROM slm_clock clock
                      JOIN agreement ag ON ag.agreement_id = clock.agreement_id
                     WHERE clock.status IN ('met', 'breached')
                       AND clock.period_date IS NOT NULL
                  GROUP BY 2, 3
                    UNION ALL
                    SELECT 'credit',
                           period.agreement_id,
                           period.period_start,
                           0, 0, 0.0, 0.0, 0.0, COALESCE(period.credit_amount, 0),
                           0, 0, 0, 0
                      FROM slm_supplier_period period
                )
                SELECT row_number() OVER (
                           ORDER BY facts.row_type, facts.agreement_id, facts.period
                       ) AS id,
                       facts.row_type,
                       facts.period,
                       facts.agreement_id,
                       ag.kind,
                       ag.state,
                       ag.supplier_id,
                       ag.partner_id,
                       ag.team_id,
                       ag.company_id,
                       ag.currency_id,
                       facts.agreement_count,
                       facts.in_force_count,
                       facts.contract_value,
                       facts.budget,
                       facts.fee,
                       facts.credit,
                       facts.fee - facts.credit AS net_cost,
                       facts.measured,
                       facts.met,
                       facts.breached,
                       facts.excused,
                       CASE WHEN facts.measured > 0
                            THEN 100.0 * facts.met / facts.measured END
                           AS attainment
                  FROM facts
                  JOIN agreement ag ON ag.agreement_id = facts.agreement_id
                )
                """,
                table=SQL.identifier(self._table),
                in_force=IN_FORCE_STATES,
            )
        )
