# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

import pytz
from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import format_amount, format_date
from odoo.tools.date_utils import start_of

from odoo.addons.slm_agreements.tools.periods import months_between

ANALYST = "slm_catalogue.group_slm_analyst"
# Months in the scorecard's trend, the current one included.
TREND_MONTHS = 6
# Compliance status of a supplier, from worst to best.
COMPLIANCE_STATUSES = [
    ("non_compliant", "Non-compliant"),
    ("overdue", "Checks Overdue"),
    ("pending", "Checks Pending"),
    ("compliant", "Compliant"),
    ("none", "No Checklist"),
]
CLOSED_STATES = ("expired", "terminated", "superseded")


def _blank_bucket():
    """The sums of a period of the scorecard."""
    return {
        "measured": 0,
        "met": 0,
        "breached": 0,
        "excused": 0,
        "credit": 0.0,
        "claimed": 0.0,
    }


class ResPartner(models.Model):
    """Supplier scorecard: the KPIs of a supplier's underpinning contracts.

    Performance and credits come from the counted months
    (``slm.supplier.period``, refreshed hourly): a scorecard shows them as of
    the last refresh. Its months are the contracts' (the period rule, in each
    contract's time zone); the current month is the latest current month of
    the company's and the supplier's contracts' zones, as for the hourly count,
    and its quarter and year are that month's, to date.
    """

    _inherit = "res.partner"

    slm_supplier_contract_ids = fields.One2many(
        "slm.agreement",
        "supplier_id",
        string="Underpinning Contracts",
        domain=[("kind", "=", "uc")],
        groups=ANALYST,
        help="The underpinning contracts with this supplier, in any status.",
    )
    slm_supplier_currency_id = fields.Many2one(
        "res.currency",
        string="Scorecard Currency",
        compute="_compute_slm_supplier_contracts",
        groups=ANALYST,
        help="The company's currency, in which the scorecard's amounts are "
        "shown (converted at today's rate).",
    )
    slm_supplier_contract_count = fields.Integer(
        string="Contracts in Force",
        compute="_compute_slm_supplier_contracts",
        groups=ANALYST,
        help="Agreed underpinning contracts with this supplier in force today.",
    )
    slm_supplier_contract_value = fields.Monetary(
        string="Value in Force",
        currency_field="slm_supplier_currency_id",
        compute="_compute_slm_supplier_contracts",
        groups=ANALYST,
        help="Total value of the contracts in force.",
    )
    slm_supplier_monthly_fee = fields.Monetary(
        string="Monthly Fees",
        currency_field="slm_supplier_currency_id",
        compute="_compute_slm_supplier_contracts",
        groups=ANALYST,
        help="Monthly fees of the contracts in force.",
    )
    slm_supplier_attainment_month = fields.Float(
        string="Attainment this Month (%)",
        compute="_compute_slm_supplier_kpis",
        groups=ANALYST,
        help="Met / (met + breached not excused) over the supplier's UC clocks "
        "settled this month, all contracts together.",
    )
    slm_supplier_measured_month = fields.Integer(
        string="Measured this Month",
        compute="_compute_slm_supplier_kpis",
        groups=ANALYST,
        help="Clocks counted in this month's attainment (0: no attainment yet).",
    )
    slm_supplier_attainment_quarter = fields.Float(
        string="Attainment this Quarter (%)",
        compute="_compute_slm_supplier_kpis",
        groups=ANALYST,
        help="As this month's, over the calendar quarter to date.",
    )
    slm_supplier_measured_quarter = fields.Integer(
        string="Measured this Quarter",
        compute="_compute_slm_supplier_kpis",
        groups=ANALYST,
        help="Clocks counted in this quarter's attainment.",
    )
    slm_supplier_attainment_year = fields.Float(
        string="Attainment this Year (%)",
        compute="_compute_slm_supplier_kpis",
        groups=ANALYST,
        help="As this month's, over the calendar year to date.",
    )
    slm_supplier_measured_year = fields.Integer(
        string="Measured this Year",
        compute="_compute_slm_supplier_kpis",
        groups=ANALYST,
        help="Clocks counted in this year's attainment.",
    )
    slm_supplier_breached_year = fields.Integer(
        string="Breaches this Year",
        compute="_compute_slm_supplier_kpis",
        groups=ANALYST,
        help="UC clocks breached this year and not excused.",
    )
    slm_supplier_excused_year = fields.Integer(
        string="Excused this Year",
        compute="_compute_slm_supplier_kpis",
        groups=ANALYST,
        help="UC breaches excused this year: not counted in attainment nor in "
        "credits.",
    )
    slm_supplier_credit_year = fields.Monetary(
        string="Credits this Year",
        currency_field="slm_supplier_currency_id",
        compute="_compute_slm_supplier_kpis",
        groups=ANALYST,
        help="Service credits earned this year (computed, confirmed and claimed "
        "months).",
    )
    slm_supplier_credit_claimed_year = fields.Monetary(
        string="Credits Claimed this Year",
        currency_field="slm_supplier_currency_id",
        compute="_compute_slm_supplier_kpis",
        groups=ANALYST,
        help="Of this year's credits, those already claimed from the supplier.",
    )
    slm_supplier_open_breach_count = fields.Integer(
        string="Open Investigations",
        compute="_compute_slm_supplier_kpis",
        groups=ANALYST,
        help="Breaches of this supplier's contracts whose analysis is not closed.",
    )
    slm_supplier_compliance_status = fields.Selection(
        COMPLIANCE_STATUSES,
        string="Compliance",
        compute="_compute_slm_supplier_kpis",
        groups=ANALYST,
        help="The worst status of the compliance checklists of the supplier's "
        "open contracts: a requirement non-compliant, then pending past its "
        "due date, then pending; compliant when all are compliant or waived.",
    )
    slm_supplier_compliance_summary = fields.Char(
        string="Compliance Checks",
        compute="_compute_slm_supplier_kpis",
        groups=ANALYST,
        help="Requirements of the open contracts' checklists, by status.",
    )
    slm_supplier_trend_html = fields.Html(
        string="Trend",
        compute="_compute_slm_supplier_kpis",
        sanitize=False,
        groups=ANALYST,
        help="Attainment, breaches and credits of the last six months.",
    )

    # ------------------------------------------------------------------
    # KPIs
    # ------------------------------------------------------------------

    def _compute_slm_supplier_contracts(self):
        # Apart from the other KPIs: the partner form's button reads it.
        data = self._slm_supplier_scorecard_data(contracts_only=True)
        for partner in self:
            values = data[partner.id]
            partner.slm_supplier_currency_id = values["currency"]
            partner.slm_supplier_contract_count = values["contract_count"]
            partner.slm_supplier_contract_value = values["contract_value"]
            partner.slm_supplier_monthly_fee = values["monthly_fee"]

    def _compute_slm_supplier_kpis(self):
        data = self._slm_supplier_scorecard_data()
        for partner in self:
            values = data[partner.id]
            for period in ("month", "quarter", "year"):
                partner[f"slm_supplier_attainment_{period}"] = values[period][
                    "attainment"
                ]
                partner[f"slm_supplier_measured_{period}"] = values[period]["measured"]
            partner.slm_supplier_breached_year = values["year"]["breached"]
            partner.slm_supplier_excused_year = values["year"]["excused"]
            partner.slm_supplier_credit_year = values["year"]["credit"]
            partner.slm_supplier_credit_claimed_year = values["year"]["claimed"]
            partner.slm_supplier_open_breach_count = values["open_breaches"]
            partner.slm_supplier_compliance_status = values["compliance_status"]
            partner.slm_supplier_compliance_summary = values["compliance_summary"]
            partner.slm_supplier_trend_html = partner._slm_trend_html(values["trend"])

    def _slm_supplier_scorecard_data(self, contracts_only=False):
        """{partner id: KPI values}, for the scorecard form and its report.

        Set-based: one grouped read per source (contracts, counted months,
        breaches, compliance) for all the partners. ``contracts_only``: only
        the contracts in force.
        """
        dates = self._slm_scorecard_dates(self.filtered("id"))
        currency = self.env.company.currency_id
        data = {
            partner.id: {
                "currency": currency,
                "contract_count": 0,
                "contract_value": 0.0,
                "monthly_fee": 0.0,
                "month": _blank_bucket(),
                "quarter": _blank_bucket(),
                "year": _blank_bucket(),
                "months": defaultdict(_blank_bucket),
                "open_breaches": 0,
                "compliance_status": False,
                "compliance_summary": False,
            }
            for partner in self
        }
        partners = self.filtered("id")
        if not partners:
            return self._slm_finish_scorecard(data, dates["trend"])
        self._slm_contract_data(data, partners, dates["today"])
        if contracts_only:
            return data
        self._slm_month_data(data, partners, dates)
        self._slm_open_breach_data(data, partners)
        self._slm_compliance_data(data, partners)
        return self._slm_finish_scorecard(data, dates["trend"])

    @api.model
    def _slm_scorecard_dates(self, partners=None):
        """Today (the company's), the first days of this month, quarter and
        year, the months of the trend and the first month read.

        Period rule: the contracts' months run in their own time zones, so
        this month is the latest current month among the company's zone and
        those of ``partners``' contracts (as ``slm.supplier.period`` counts
        them): a clock settled at 23:30 UTC on 31 January in a Brussels
        contract shows in February at once, even with the company in UTC.
        """
        today = self.env["slm.supplier.period"]._slm_today(self.env.company)
        this_month = start_of(today, "month")
        if partners:
            now = pytz.utc.localize(fields.Datetime.now())
            for (name,) in (
                self.env["slm.agreement"]
                .sudo()
                ._read_group(
                    [("kind", "=", "uc"), ("supplier_id", "in", partners.ids)],
                    ["tz"],
                )
            ):
                if name and name in pytz.all_timezones_set:
                    local = now.astimezone(pytz.timezone(name)).date()
                    this_month = max(this_month, start_of(local, "month"))
        year = start_of(this_month, "year")
        trend = months_between(
            this_month - relativedelta(months=TREND_MONTHS - 1), this_month
        )
        return {
            "today": today,
            "month": this_month,
            "quarter": start_of(this_month, "quarter"),
            "year": year,
            "trend": trend,
            "since": min(year, trend[0]),
        }

    @api.model
    def _slm_to_company_currency(self, amount, from_currency, day):
        company = self.env.company
        if not from_currency or from_currency == company.currency_id:
            return amount
        return from_currency._convert(amount, company.currency_id, company, day)

    def _slm_contract_data(self, data, partners, today):
        """Contracts in force today: their number, value and fees."""
        for supplier, contract_currency, count, value, fee in self.env[
            "slm.agreement"
        ]._read_group(
            [
                ("kind", "=", "uc"),
                ("state", "=", "agreed"),
                ("supplier_id", "in", partners.ids),
                ("date_start", "<=", today),
                "|",
                ("date_end", "=", False),
                ("date_end", ">=", today),
            ],
            ["supplier_id", "currency_id"],
            ["__count", "contract_value:sum", "monthly_fee:sum"],
        ):
            values = data[supplier.id]
            values["contract_count"] += count
            values["contract_value"] += self._slm_to_company_currency(
                value, contract_currency, today
            )
            values["monthly_fee"] += self._slm_to_company_currency(
                fee, contract_currency, today
            )

    def _slm_month_data(self, data, partners, dates):
        """The counted months: summed per month of the trend, and into this
        month, quarter and year."""
        groups = self.env["slm.supplier.period"]._read_group(
            [
                ("supplier_id", "in", partners.ids),
                ("period_start", ">=", dates["since"]),
                ("period_start", "<=", dates["month"]),
            ],
            ["supplier_id", "period_start:month", "currency_id", "state"],
            [
                "met:sum",
                "measured:sum",
                "breached:sum",
                "excused:sum",
                "credit_amount:sum",
            ],
        )
        for supplier, month, period_currency, state, *sums in groups:
            met, measured, breached, excused, credit = sums
            credit = self._slm_to_company_currency(
                credit, period_currency, dates["today"]
            )
            values = data[supplier.id]
            buckets = [values["months"][month]]
            buckets += [
                values[name]
                for name in ("month", "quarter", "year")
                if month >= dates[name]
            ]
            for bucket in buckets:
                bucket["met"] += met
                bucket["measured"] += measured
                bucket["breached"] += breached
                bucket["excused"] += excused
                bucket["credit"] += credit
                if state == "claimed":
                    bucket["claimed"] += credit

    def _slm_open_breach_data(self, data, partners):
        """Open investigations of supplier breaches."""
        Breach = self.env["slm.breach"]
        if not Breach.has_access("read"):
            return
        for supplier, count in Breach._read_group(
            [
                ("supplier_id", "in", partners.ids),
                ("agreement_kind", "=", "uc"),
                ("state", "!=", "closed"),
            ],
            ["supplier_id"],
            ["__count"],
        ):
            data[supplier.id]["open_breaches"] = count

    def _slm_compliance_data(self, data, partners):
        """Compliance of the open contracts, when checklists are installed."""
        if "slm.supplier.compliance" not in self.env:
            return
        Compliance = self.env["slm.supplier.compliance"]
        if not Compliance.has_access("read"):
            return
        domain = [
            ("supplier_id", "in", partners.ids),
            ("agreement_id.state", "not in", CLOSED_STATES),
        ]
        labels = dict(Compliance._fields["state"]._description_selection(self.env))
        counts = defaultdict(dict)
        for supplier, state, count in Compliance._read_group(
            domain, ["supplier_id", "state"], ["__count"]
        ):
            counts[supplier.id][state] = count
        overdue = dict(
            Compliance._read_group(
                domain + [("is_overdue", "=", True)], ["supplier_id"], ["__count"]
            )
        )
        for partner in partners:
            by_state = counts.get(partner.id, {})
            late = overdue.get(partner, 0)
            if not by_state:
                status = "none"
            elif by_state.get("non_compliant"):
                status = "non_compliant"
            elif late:
                status = "overdue"
            elif by_state.get("pending"):
                status = "pending"
            else:
                status = "compliant"
            parts = [
                f"{count} {labels.get(state, state).lower()}"
                for state, count in sorted(by_state.items())
            ]
            if late:
                parts.append(self.env._("%s overdue", late))
            data[partner.id]["compliance_status"] = status
            data[partner.id]["compliance_summary"] = ", ".join(parts) or False

    @api.model
    def _slm_finish_scorecard(self, data, trend_months):
        for values in data.values():
            for name in ("month", "quarter", "year"):
                values[name]["attainment"] = self._slm_attainment(values[name])
            values["trend"] = [
                dict(
                    values["months"][month],
                    month=month,
                    attainment=self._slm_attainment(values["months"][month]),
                )
                for month in trend_months
            ]
            del values["months"]
        return data

    @staticmethod
    def _slm_attainment(bucket):
        measured = bucket["measured"]
        return round(100.0 * bucket["met"] / measured, 2) if measured else 0.0

    def _slm_trend_html(self, trend):
        """A table of the trend, with a bar per month (no JavaScript needed,
        printable)."""
        currency = self.env.company.currency_id
        head = Markup(
            "<table class='table table-sm o_slm_supplier_trend'><thead><tr>"
            "<th>%s</th><th class='text-end'>%s</th><th class='text-end'>%s</th>"
            "<th class='text-end'>%s</th><th class='text-end'>%s</th>"
            "<th style='width: 35%%'>%s</th><th class='text-end'>%s</th>"
            "</tr></thead><tbody>"
        ) % (
            self.env._("Month"),
            self.env._("Measured"),
            self.env._("Met"),
            self.env._("Breached"),
            self.env._("Excused"),
            self.env._("Attainment"),
            self.env._("Credit"),
        )
        rows = []
        for month in trend:
            if month["measured"]:
                pct = month["attainment"]
                bar = Markup(
                    "<div style='background-color: #e9ecef; height: 0.9em; "
                    "width: 100%%;'>"
                    "<div style='background-color: #3c7fb1; height: 0.9em; "
                    "width: %s%%;'></div></div><span class='small'>%s %%</span>"
                ) % (round(pct, 2), f"{pct:.2f}")
            else:
                bar = Markup("<span class='text-muted small'>%s</span>") % self.env._(
                    "nothing measured"
                )
            rows.append(
                Markup(
                    "<tr><td>%s</td><td class='text-end'>%s</td>"
                    "<td class='text-end'>%s</td><td class='text-end'>%s</td>"
                    "<td class='text-end'>%s</td><td>%s</td>"
                    "<td class='text-end'>%s</td></tr>"
                )
                % (
                    format_date(self.env, month["month"], date_format="MMMM y"),
                    month["measured"],
                    month["met"],
                    month["breached"],
                    month["excused"],
                    bar,
                    format_amount(self.env, month["credit"], currency),
                )
            )
        return head + Markup("").join(rows) + Markup("</tbody></table>")

    def _slm_scorecard_contracts(self):
        """The supplier's contracts in force today (for the printed scorecard)."""
        self.ensure_one()
        today = self.env["slm.supplier.period"]._slm_today(self.env.company)
        return self.env["slm.agreement"].search(
            [
                ("kind", "=", "uc"),
                ("state", "=", "agreed"),
                ("supplier_id", "=", self.id),
                ("date_start", "<=", today),
                "|",
                ("date_end", "=", False),
                ("date_end", ">=", today),
            ],
            order="date_start, id",
        )

    def _slm_scorecard_open_breaches(self, limit=30):
        """The supplier's breaches under investigation, the latest first."""
        self.ensure_one()
        Breach = self.env["slm.breach"]
        if not Breach.has_access("read"):
            return Breach
        return Breach.search(
            [
                ("supplier_id", "=", self.id),
                ("agreement_kind", "=", "uc"),
                ("state", "!=", "closed"),
            ],
            limit=limit,
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_slm_supplier_scorecard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Scorecard of %s", self.display_name),
            "res_model": "res.partner",
            "res_id": self.commercial_partner_id.id,
            "view_mode": "form",
            "views": [
                (
                    self.env.ref("slm_supplier.res_partner_view_form_slm_scorecard").id,
                    "form",
                )
            ],
            "target": "current",
        }

    def action_slm_supplier_contracts(self):
        return self._related_action(
            "slm_supplier.slm_agreement_action_uc",
            [("kind", "=", "uc"), ("supplier_id", "=", self.id)],
            {"default_kind": "uc", "default_supplier_id": self.id},
        )

    def action_slm_supplier_periods(self):
        return self._related_action(
            "slm_supplier.slm_supplier_period_action",
            [("supplier_id", "=", self.id)],
        )

    def action_slm_supplier_trend(self):
        """The attainment of the last six months, as a graph."""
        action = self._related_action(
            "slm_supplier.slm_supplier_period_action_trend",
            [
                ("supplier_id", "=", self.id),
                (
                    "period_start",
                    ">=",
                    self.env["slm.supplier.period"]._slm_this_month(self.env.company)
                    - relativedelta(months=TREND_MONTHS - 1),
                ),
            ],
        )
        action["name"] = self.env._("Trend of %s", self.display_name)
        return action

    def action_slm_supplier_breaches(self):
        return self._related_action(
            "slm_supplier.slm_breach_action_supplier",
            [("agreement_kind", "=", "uc"), ("supplier_id", "=", self.id)],
            {"search_default_open": 1},
        )

    def action_slm_supplier_refresh(self):
        """Count the months of the supplier's contracts now."""
        Period = self.env["slm.supplier.period"]
        Period._check_supplier_manager(self.env._("refresh"))
        contracts = self.env["slm.agreement"].search(
            [("kind", "=", "uc"), ("supplier_id", "in", self.ids)]
        )
        Period._slm_refresh(contracts)
        return True

    def action_slm_supplier_print(self):
        return self.env.ref(
            "slm_supplier.action_report_supplier_scorecard"
        ).report_action(self)
