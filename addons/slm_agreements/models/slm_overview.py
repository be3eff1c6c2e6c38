# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.osv import expression
from odoo.tools.date_utils import start_of

OVERVIEW_GROUP = "slm_catalogue.group_slm_analyst"


class SlmOverview(models.AbstractModel):
    """The figures of the SLM overview (the app's landing page for Service
    Level Analysts, Managers and the Process Owner: reporting display rule 4).

    ``_overview_data`` returns every figure at once, each counter with the
    model and domain of the records it counts (the screen opens exactly
    those). Read with the caller's rights: record rules and the current
    companies decide what is counted. slm_supplier and slm_reviews add their
    sections by extending ``_overview_data``.
    """

    _name = "slm.overview"
    _description = "Service Level Management Overview"

    @api.model
    @api.readonly
    def get_overview(self):
        """The overview, for the screen (the public entry point). Read-only:
        served by a read replica when the server has one (clock job rule 5)."""
        if not self.env.user.has_group(OVERVIEW_GROUP):
            raise AccessError(
                self.env._(
                    "The Service Level Management overview is for Service "
                    "Level Analysts, Service Level Managers and the Process "
                    "Owner."
                )
            )
        return self._overview_data()

    # ------------------------------------------------------------------
    # Building blocks (used by the extensions too)
    # ------------------------------------------------------------------

    @api.model
    def _overview_periods(self):
        """Today and this month in each agreement time zone in use (period
        rule): [(time zones, day)] and [(time zones, first of month)]."""
        tzs = [
            tz
            for (tz,) in self.env["slm.agreement"]
            .with_context(active_test=False)
            ._read_group([], ["tz"])
        ] or [False]
        now = pytz.utc.localize(fields.Datetime.now())
        days = defaultdict(list)
        for tz in tzs:
            try:
                zone = pytz.timezone(tz or "UTC")
            except pytz.UnknownTimeZoneError:
                zone = pytz.utc
            days[now.astimezone(zone).date()].append(tz)
        months = defaultdict(list)
        for day, day_tzs in days.items():
            months[start_of(day, "month")].extend(day_tzs)
        return (
            [(day_tzs, day) for day, day_tzs in days.items()],
            [(month_tzs, month) for month, month_tzs in months.items()],
        )

    @api.model
    def _overview_period_domain(self, periods, field, tz_path="agreement_id.tz"):
        """Records whose ``field`` is the current day or month (``periods``
        from ``_overview_periods``) of their agreement's time zone."""
        return expression.OR(
            [
                [(tz_path, "in", tzs), (field, "=", fields.Date.to_string(value))]
                for tzs, value in periods
            ]
        )

    @api.model
    def _overview_item(self, key, label, model, domain, severity="info", views=None):
        """One counter: how many records of ``model`` match ``domain`` as the
        user may see them, and how to open exactly those. None when the user
        cannot read the model at all."""
        Model = self.env[model]
        if not Model.has_access("read"):
            return None
        return {
            "key": key,
            "label": label,
            "model": model,
            "domain": domain,
            "count": Model.search_count(domain),
            "severity": severity,
            "views": views or [[False, "list"], [False, "form"]],
        }

    @api.model
    def _overview_section(self, data, key, title, sequence, items):
        items = [item for item in items if item]
        if items:
            data["sections"].append(
                {"key": key, "title": title, "sequence": sequence, "items": items}
            )

    # ------------------------------------------------------------------
    # The figures
    # ------------------------------------------------------------------

    @api.model
    def _overview_data(self):
        days, months = self._overview_periods()
        data = {"sections": [], "attainment": [], "availability": []}
        ticket_views = [[False, "list"], [False, "kanban"], [False, "form"]]
        open_tickets = [("stage_id.closed", "=", False)]
        # The same tickets as the team cards (clock display rule 4).
        self._overview_section(
            data,
            "now",
            self.env._("Now"),
            10,
            [
                self._overview_item(
                    "tickets_at_risk",
                    self.env._("Tickets at risk"),
                    "helpdesk.ticket",
                    open_tickets + [("slm_status", "=", "at_risk")],
                    "warning",
                    ticket_views,
                ),
                self._overview_item(
                    "tickets_breached",
                    self.env._("Open tickets breached"),
                    "helpdesk.ticket",
                    open_tickets + [("slm_status", "=", "breached")],
                    "danger",
                    ticket_views,
                ),
                self._overview_item(
                    "clocks_breached_today",
                    self.env._("Targets breached today"),
                    "slm.clock",
                    [("status", "=", "breached")]
                    + self._overview_period_domain(days, "period_day"),
                    "danger",
                ),
            ],
        )
        self._overview_section(
            data,
            "breaches",
            self.env._("Breaches"),
            20,
            [
                self._overview_item(
                    "breaches_new",
                    self.env._("Awaiting analysis"),
                    "slm.breach",
                    [("state", "=", "new")],
                    "warning",
                ),
                self._overview_item(
                    "breaches_analysing",
                    self.env._("Being analysed"),
                    "slm.breach",
                    [("state", "in", ("analysing", "action_planned"))],
                ),
                self._overview_item(
                    "breaches_excuse",
                    self.env._("Excuse to decide"),
                    "slm.breach",
                    [("excuse_state", "=", "requested")],
                    "warning",
                ),
            ],
        )
        agreements = self.env["slm.agreement"].search([("state", "=", "agreed")])
        self._overview_attainment(data, agreements, months)
        self._overview_availability(data, agreements, months)
        return data

    @api.model
    def _overview_attainment(self, data, agreements, months):
        """This month's attainment per target of the agreements in force,
        from the one source (clock rule 13), next to the objective."""
        month_domain = self._overview_period_domain(months, "period_date")
        counts = self.env["slm.clock"]._attainment_counts(
            [("agreement_id", "in", agreements.ids)] + month_domain,
            ["agreement_id", "target_id"],
        )
        pairs = {
            (agreement, target)
            for agreement in agreements
            for target in agreement.target_ids
            if target.metric != "availability"
        }
        Target = self.env["slm.target"].with_context(active_test=False)
        for agreement_id, target_id in counts:
            pairs.add((agreements.browse(agreement_id), Target.browse(target_id)))
        for agreement, target in sorted(
            pairs, key=lambda p: (p[0].display_name, p[1].sequence, p[1].id)
        ):
            figures = counts.get((agreement.id, target.id), {})
            attainment = figures.get("attainment")
            data["attainment"].append(
                {
                    "agreement_id": agreement.id,
                    "agreement": agreement.display_name,
                    "target_id": target.id,
                    "target": target.name,
                    "objective": target.objective_pct,
                    "attainment": attainment,
                    "met": figures.get("met", 0),
                    "measured": figures.get("measured", 0),
                    "excused": figures.get("excused", 0),
                    "below": attainment is not None
                    and attainment < target.objective_pct,
                    # The settled clocks counted (attainment report rows).
                    "domain": [
                        ("agreement_id", "=", agreement.id),
                        ("target_id", "=", target.id),
                        ("measured", "=", 1),
                    ]
                    + month_domain,
                }
            )

    @api.model
    def _overview_availability(self, data, agreements, months):
        """This month's availability of the agreements in force, as a whole
        (clock rule 9), from the stored figures."""
        Availability = self.env["slm.availability"]
        if not Availability.has_access("read"):
            return
        month_domain = self._overview_period_domain(months, "period_start")
        domain = [
            ("agreement_id", "in", agreements.ids),
            ("service_id", "=", False),
        ] + month_domain
        for row in Availability.search(domain):
            data["availability"].append(
                {
                    "id": row.id,
                    "agreement": row.agreement_id.display_name,
                    "target": row.target_id.name,
                    "availability": row.availability_pct,
                    "objective": row.objective_pct,
                    "downtime": row.downtime_hours,
                    "budget": row.budget_hours,
                    "status": row.status,
                    "domain": [("id", "=", row.id)],
                }
            )
        self._overview_section(
            data,
            "availability",
            self.env._("Availability this month"),
            40,
            [
                self._overview_item(
                    "availability_missed",
                    self.env._("Objective missed"),
                    "slm.availability",
                    domain + [("status", "=", "missed")],
                    "danger",
                ),
                self._overview_item(
                    "availability_at_risk",
                    self.env._("At risk"),
                    "slm.availability",
                    domain + [("status", "=", "at_risk")],
                    "warning",
                ),
            ],
        )
