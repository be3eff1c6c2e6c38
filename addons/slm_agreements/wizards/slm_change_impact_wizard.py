# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from pytz import utc

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.date_utils import start_of

from ..tools import availability as avail
from ..tools.periods import months_between


class SlmChangeImpactWizard(models.TransientModel):
    """Before planned work on a service: which agreements and customers it
    affects, directly or through the services that depend on it, and the
    availability each availability target would have in the month if the
    work goes ahead."""

    _name = "slm.change.impact.wizard"
    _description = "Change Impact"

    outage_id = fields.Many2one(
        "slm.outage",
        string="Planned Outage",
        help="The planned outage assessed. It is counted once, as the work.",
    )
    service_id = fields.Many2one(
        "slm.service",
        string="Service",
        required=True,
        help="The service the work takes down.",
    )
    date_start = fields.Datetime(
        string="From", required=True, help="When the work takes the service down."
    )
    date_end = fields.Datetime(
        string="Until", required=True, help="When the service is back."
    )
    impacted_service_ids = fields.Many2many(
        "slm.service",
        "slm_change_impact_wizard_service_rel",
        "wizard_id",
        "service_id",
        string="Impacted Services",
        compute="_compute_impacted_service_ids",
        store=True,
        readonly=False,
        help="The service and every service that depends on it, directly or "
        "through others (for a planned outage: its impacted services). Remove "
        "one that keeps working (e.g. a redundant path).",
    )
    line_ids = fields.One2many(
        "slm.change.impact.line", "wizard_id", string="Impact", readonly=True
    )
    assessed = fields.Boolean(readonly=True)
    agreement_count = fields.Integer(compute="_compute_summary")
    customer_ids = fields.Many2many(
        "res.partner",
        string="Customers Affected",
        compute="_compute_summary",
        help="The customers of the agreements affected; for an agreement with "
        "every customer, the customers of the services affected.",
    )
    missed_count = fields.Integer(
        string="Objectives Missed",
        compute="_compute_summary",
        help="Availability targets whose objective the month would miss.",
    )

    @api.depends("service_id", "outage_id")
    def _compute_impacted_service_ids(self):
        graph = self.env["slm.service"]._slm_with_dependents(self.service_id)
        for wizard in self:
            outage = wizard.outage_id
            if outage and outage.service_id == wizard.service_id:
                wizard.impacted_service_ids = outage.impacted_service_ids
            else:
                wizard.impacted_service_ids = graph.get(
                    wizard.service_id.id, self.env["slm.service"]
                )

    @api.depends("line_ids")
    def _compute_summary(self):
        for wizard in self:
            lines = wizard.line_ids
            wizard.agreement_count = len(lines.agreement_id)
            wizard.customer_ids = lines.customer_ids
            wizard.missed_count = len(
                lines.filtered(lambda line: line.status == avail.MISSED)
            )

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for wizard in self:
            wizard._raise_if_bad_dates(wizard.date_start, wizard.date_end)

    def _raise_if_bad_dates(self, start, end):
        if start and end and end <= start:
            raise ValidationError(
                self.env._(
                    "The work would end on %(end)s, at or before it starts on "
                    "%(start)s: correct the dates.",
                    end=end,
                    start=start,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("date_start") and vals.get("date_end"):
                self._raise_if_bad_dates(
                    fields.Datetime.to_datetime(vals["date_start"]),
                    fields.Datetime.to_datetime(vals["date_end"]),
                )
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # Assessment
    # ------------------------------------------------------------------

    def action_assess(self):
        """List the agreements affected and project their availability."""
        self.ensure_one()
        self._raise_if_bad_dates(self.date_start, self.date_end)
        self.line_ids.unlink()
        self.write({"line_ids": [(0, 0, vals) for vals in self._impact_lines()]})
        self.assessed = True
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Change Impact"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def _impact_lines(self):
        Availability = self.env["slm.availability"].sudo()
        now = fields.Datetime.now()
        start, end = self.date_start, self.date_end
        company = self.service_id.company_id
        agreements = (
            self.env["slm.agreement"]
            .sudo()
            .search(
                [
                    ("state", "=", "agreed"),
                    ("company_id", "=", company.id),
                    ("date_start", "<=", (end + timedelta(days=1)).date()),
                    "|",
                    ("date_end", "=", False),
                    ("date_end", ">=", (start - timedelta(days=1)).date()),
                ]
            )
        )
        impacted = self.impacted_service_ids
        covered = Availability._covered_services(agreements)
        agreements = agreements.filtered(lambda a: covered[a.id] & impacted)
        # The whole months the work touches, in any time zone.
        low = start_of((start - timedelta(days=1)).date(), "month")
        high = start_of((end + timedelta(days=1)).date(), "month") + relativedelta(
            months=2
        )
        windows = Availability._maintenance_windows(
            agreements, low - timedelta(days=1), high
        )
        outages = [
            (o_start, o_end or now, services)
            for o_start, o_end, services in Availability._outages(
                agreements.company_id, low - timedelta(days=1), high, self.outage_id
            )
        ]
        clocks = {}
        lines = []
        for agreement in agreements:
            affected = covered[agreement.id] & impacted
            base = {
                "agreement_id": agreement.id,
                "impact": "direct" if self.service_id in affected else "dependency",
                "affected_service_ids": [(6, 0, affected.ids)],
                "customer_ids": [
                    (6, 0, (agreement.partner_id or affected.customer_ids).ids)
                ],
            }
            targets = agreement._effective_targets().filtered(
                lambda t: t.metric == "availability"
            )
            if not targets:
                lines.append(base)
                continue
            scope = set(covered[agreement.id].ids)
            spans = [(s, e) for s, e, services in outages if services & scope]
            for target in targets:
                measure = Availability._business_time(target, clocks).elapsed
                tz = Availability._time_zone(target, agreement)
                for month in self._months(tz):
                    bounds = Availability._bounds(agreement, tz, month)
                    if not bounds:
                        continue
                    lines.append(
                        dict(
                            base,
                            **self._projection(
                                target,
                                month,
                                bounds,
                                measure,
                                windows[agreement.id],
                                spans,
                            ),
                        )
                    )
        return lines

    def _months(self, tz):
        """First days of the months of ``tz`` that the work touches."""
        return months_between(
            self._local_date(tz, self.date_start),
            self._local_date(tz, self.date_end - timedelta(seconds=1)),
        )

    @staticmethod
    def _local_date(tz, moment):
        return utc.localize(moment).astimezone(tz).date()

    def _projection(self, target, month, bounds, measure, windows, spans):
        """Figures of one target in one month, without and with the work.

        Every outage recorded for the month counts (those still going on until
        now, planned ones ahead as planned), as if the month were over.
        """
        start, end = bounds
        before = avail.compute(measure, start, end, windows, spans, end)
        work = [(self.date_start, self.date_end)]
        after = avail.compute(measure, start, end, windows, spans + work, end)
        objective = target.objective_pct
        return {
            "target_id": target.id,
            "period_start": month,
            "agreed_hours": after.agreed / 3600,
            "downtime_hours": before.downtime / 3600,
            "work_hours": (after.downtime - before.downtime) / 3600,
            "projected_downtime_hours": after.downtime / 3600,
            "budget_hours": after.budget(objective) / 3600,
            "projected_availability_pct": after.availability,
            "objective_pct": objective,
            "status": after.status(objective, target.warning_pct, closed=False),
        }
