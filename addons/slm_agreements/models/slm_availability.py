# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from collections import defaultdict
from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from markupsafe import Markup
from pytz import timezone, utc

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError
from odoo.tools.date_utils import end_of, start_of

from ..tools import availability as avail

_logger = logging.getLogger(__name__)

AVAILABILITY_STATUSES = [
    (avail.ACHIEVED, "Achieved"),
    (avail.AT_RISK, "At Risk"),
    (avail.MISSED, "Missed"),
]
# Agreements whose availability is measured: agreed once (terminated ones up
# to their termination date).
MEASURED_STATES = ("agreed", "expired", "superseded", "terminated")
# The figures that a refresh writes; a row is written only when one changed.
FIGURES = (
    "company_id",
    "period_end",
    "closed",
    "agreed_hours",
    "agreed_to_date_hours",
    "downtime_hours",
    "budget_hours",
    "budget_used_pct",
    "availability_pct",
    "objective_pct",
    "status",
)


def local_midnight_utc(tz, day):
    """Midnight at the start of ``day`` in ``tz``, as a naive UTC datetime."""
    local = tz.localize(datetime.combine(day, time()))
    return local.astimezone(utc).replace(tzinfo=None)


class SlmAvailability(models.Model):
    """Availability of an agreement (or of one of its services) in one month,
    for one availability target (clock rule 9).

    Kept up to date by the hourly scheduled action and whenever an outage
    changes; read by the availability report and the agreement's targets.
    """

    _name = "slm.availability"
    _inherit = ["slm.summed.ratio.mixin"]
    _description = "Availability per Period"
    # Over several months or agreements (pivot totals, graphs by quarter):
    # summed time, never an average of percentages (clock rule 13).
    _summed_ratios = {
        "availability_pct": ("available_hours", "agreed_to_date_hours"),
        "budget_used_pct": ("downtime_hours", "budget_hours"),
    }
    _order = "period_start desc, agreement_id, target_id, service_id desc, id"
    _rec_name = "target_id"

    target_id = fields.Many2one(
        "slm.target",
        string="Target",
        required=True,
        index=True,
        ondelete="cascade",
        help="The availability target measured. A lower-level agreement "
        "measures the targets it inherits too.",
    )
    agreement_id = fields.Many2one(
        "slm.agreement",
        string="Agreement",
        required=True,
        index=True,
        ondelete="cascade",
    )
    service_id = fields.Many2one(
        "slm.service",
        string="Service",
        index="btree_not_null",
        ondelete="cascade",
        help="The service measured alone. Empty: the agreement as a whole, where "
        "a time during which any of its services is down counts once.",
    )
    partner_id = fields.Many2one(
        related="agreement_id.partner_id", string="Customer", store=True
    )
    kind = fields.Selection(related="agreement_id.kind", store=True)
    company_id = fields.Many2one("res.company", required=True, index=True)
    period_start = fields.Date(
        string="Month",
        required=True,
        index=True,
        help="First day of the month, in the agreement's time zone (period rule).",
    )
    period_end = fields.Date(required=True, help="Last day of the month.")
    closed = fields.Boolean(
        string="Period Over",
        help="The month (or the agreement's time in force in it) is over: the "
        "figures are final unless an outage of that month is corrected.",
    )
    agreed_hours = fields.Float(
        string="Agreed Service Time (h)",
        help="Service hours of the whole month (the target's calendar, or 24x7) "
        "while the agreement is in force, minus its agreed maintenance windows.",
    )
    agreed_to_date_hours = fields.Float(
        string="Agreed until Now (h)",
        help="The part of the agreed service time that has passed.",
    )
    downtime_hours = fields.Float(
        string="Downtime (h)",
        help="Agreed service time during which an outage took a covered service "
        "down, up to now. Overlapping outages count once.",
    )
    available_hours = fields.Float(
        string="Available (h)",
        compute="_compute_available_hours",
        store=True,
        help="Agreed service time passed so far without downtime.",
    )
    budget_hours = fields.Float(
        string="Downtime Budget (h)",
        help="Downtime the objective allows in the whole month: (100 - "
        "objective) % of the agreed service time.",
    )
    budget_used_pct = fields.Float(
        string="Budget Used (%)",
        aggregator="avg",
        help="Downtime as a share of the downtime budget.",
    )
    availability_pct = fields.Float(
        string="Availability (%)",
        aggregator="avg",
        help="(Agreed - downtime) / agreed, over the agreed service time passed "
        "so far (the whole month once it is over). 100 while none has passed.",
    )
    objective_pct = fields.Float(
        string="Objective (%)",
        aggregator="avg",
        help="The target's objective when the figures were computed.",
    )
    status = fields.Selection(
        AVAILABILITY_STATUSES,
        required=True,
        default=avail.ACHIEVED,
        index=True,
        help="Missed: the downtime exceeds the budget of the whole month, so the "
        "objective can no longer be reached. At Risk (current month): more than "
        "the target's warning share of the budget is used. Achieved otherwise.",
    )
    notified_status = fields.Selection(
        AVAILABILITY_STATUSES,
        required=True,
        default=avail.ACHIEVED,
        help="The status the Service Level Manager was last told about: the "
        "scheduled check warns again only when the status gets worse.",
    )
    computed_at = fields.Datetime(help="When the figures were last computed.")

    def init(self):
        # One row per target, agreement, service (or none) and month.
        tools.create_unique_index(
            self.env.cr,
            "slm_availability_period_uniq",
            self._table,
            ["target_id", "agreement_id", "COALESCE(service_id, 0)", "period_start"],
        )

    @api.depends("agreed_to_date_hours", "downtime_hours")
    def _compute_available_hours(self):
        for row in self:
            row.available_hours = row.agreed_to_date_hours - row.downtime_hours

    @api.depends("target_id", "service_id", "period_start")
    def _compute_display_name(self):
        for row in self:
            what = row.service_id.display_name or row.agreement_id.display_name
            row.display_name = (
                f"{row.target_id.display_name} · {what} · "
                f"{row.period_start and row.period_start.strftime('%Y-%m')}"
            )

    # ------------------------------------------------------------------
    # Computation
    # ------------------------------------------------------------------

    @api.model
    def _refresh(self, months, now=None):
        """Recompute the figures of the given months (first days), set-based.

        One search each for the agreements, the maintenance windows, the
        outages and the existing rows; one business-time window per calendar.
        Rows are created, written only when a figure changed, and removed
        when their target or agreement no longer applies.
        """
        months = {start_of(m, "month") for m in months}
        if not months:
            return self.browse()
        now = now or fields.Datetime.now()
        first, last = min(months), max(months) + relativedelta(months=1)
        # Calendars are in any time zone: a day of margin on each side.
        low = datetime.combine(first - timedelta(days=1), time())
        high = datetime.combine(last + timedelta(days=1), time())
        agreements = self.env["slm.agreement"].search(
            [
                ("state", "in", MEASURED_STATES),
                ("provider_signed_date", "!=", False),
                ("date_start", "<=", last),
                "|",
                ("date_end", "=", False),
                ("date_end", ">=", first - timedelta(days=1)),
            ]
        )
        targets_of = {
            agreement.id: agreement._effective_targets().filtered(
                lambda t: t.metric == "availability"
            )
            for agreement in agreements
        }
        agreements = agreements.filtered(lambda a: targets_of[a.id])
        windows = self._maintenance_windows(agreements, low, high)
        outages = self._outages(agreements.company_id, low, high)
        covered = self._covered_services(agreements)
        clocks = {}
        wanted = {}
        for agreement in agreements:
            for target in targets_of[agreement.id]:
                measure = self._business_time(target, clocks).elapsed
                tz = self._time_zone(target, agreement)
                for month in months:
                    bounds = self._bounds(agreement, tz, month)
                    if not bounds or bounds[0] > now:
                        continue
                    rows = self._figures(
                        agreement,
                        target,
                        month,
                        bounds,
                        measure,
                        windows[agreement.id],
                        outages,
                        covered[agreement.id],
                        now,
                    )
                    for vals in rows:
                        key = (
                            target.id,
                            agreement.id,
                            vals["service_id"],
                            month,
                        )
                        wanted[key] = vals
        return self._store(months, wanted, now)

    @api.model
    def _figures(
        self, agreement, target, month, bounds, measure, windows, outages, covered, now
    ):
        """Value dicts of the rows of one target of one agreement in one month:
        the agreement as a whole, then each covered service."""
        start, end = bounds
        covered_ids = set(covered.ids)
        rows = []
        scopes = [(False, covered_ids)] + [(sid, {sid}) for sid in covered.ids]
        for service_id, scope in scopes:
            spans = [(s, e) for s, e, impacted in outages if impacted & scope]
            figures = avail.compute(measure, start, end, windows, spans, now)
            budget = figures.budget(target.objective_pct)
            if budget:
                used = 100.0 * figures.downtime / budget
            else:
                used = 100.0 if figures.downtime else 0.0
            closed = end <= now
            rows.append(
                {
                    "target_id": target.id,
                    "agreement_id": agreement.id,
                    "service_id": service_id,
                    "period_start": month,
                    "period_end": end_of(month, "month"),
                    "company_id": agreement.company_id.id,
                    "closed": closed,
                    "agreed_hours": figures.agreed / 3600,
                    "agreed_to_date_hours": figures.agreed_to_date / 3600,
                    "downtime_hours": figures.downtime / 3600,
                    "budget_hours": budget / 3600,
                    "budget_used_pct": used,
                    "availability_pct": figures.availability,
                    "objective_pct": target.objective_pct,
                    "status": figures.status(
                        target.objective_pct, target.warning_pct, closed
                    ),
                }
            )
        return rows

    @api.model
    def _store(self, months, wanted, now):
        existing = self.search([("period_start", "in", list(months))])
        by_key = {
            (
                row.target_id.id,
                row.agreement_id.id,
                row.service_id.id or False,
                row.period_start,
            ): row
            for row in existing
        }
        stale = existing.browse(
            [row.id for key, row in by_key.items() if key not in wanted]
        )
        stale.unlink()
        to_create = []
        for key, vals in wanted.items():
            row = by_key.get(key)
            if not row:
                to_create.append(dict(vals, computed_at=now))
                continue
            changed = {
                name: vals[name]
                for name in FIGURES
                if (row[name].id if name == "company_id" else row[name]) != vals[name]
            }
            if changed:
                row.write(dict(changed, computed_at=now))
        created = self.create(to_create)
        return (existing - stale) | created

    @api.model
    def _bounds(self, agreement, tz, month):
        """The UTC bounds of ``month`` in ``tz`` while ``agreement`` is in
        force, or None when it is not in force in that month."""
        start = local_midnight_utc(tz, month)
        end = local_midnight_utc(tz, month + relativedelta(months=1))
        start = max(start, local_midnight_utc(tz, agreement.date_start))
        last_day = agreement.date_end
        if agreement.state == "terminated" and agreement.termination_date:
            # Ended early (or never started): not in force after that day.
            last_day = min(
                last_day or agreement.termination_date, agreement.termination_date
            )
        if last_day:
            end = min(end, local_midnight_utc(tz, last_day + timedelta(days=1)))
        return (start, end) if start < end else None

    @api.model
    def _time_zone(self, target, agreement=None):
        # Period rule: the months of the agreement's time zone, not of the
        # target's calendar (hidden on a 24x7 target).
        agreement = agreement or target.agreement_id
        return agreement._period_tz() if agreement else timezone("UTC")

    @api.model
    def _business_time(self, target, cache):
        """The service hours of ``target``: one ``BusinessTime`` per calendar,
        zone and holiday set; the customer is the agreement's (customer
        calendar rules 1 and 3)."""
        return self.env["slm.clock"]._target_hours(
            target, target.sudo().agreement_id.partner_id, cache
        )[0]

    @api.model
    def _maintenance_windows(self, agreements, low, high):
        """{agreement id: [(start, end)]}: the approved maintenance windows of
        each agreement and of the higher levels it belongs to."""
        ancestors = {
            agreement.id: [
                int(a) for a in (agreement.parent_path or "").split("/") if a
            ]
            or [agreement.id]
            for agreement in agreements
        }
        all_ids = {aid for ids in ancestors.values() for aid in ids}
        adjustments = self.env["slm.adjustment"].search_read(
            [
                ("agreement_id", "in", list(all_ids)),
                ("kind", "=", "maintenance"),
                ("state", "=", "approved"),
                ("date_start", "<", high),
                ("date_end", ">", low),
            ],
            ["agreement_id", "date_start", "date_end"],
        )
        by_agreement = defaultdict(list)
        for adjustment in adjustments:
            by_agreement[adjustment["agreement_id"][0]].append(
                (adjustment["date_start"], adjustment["date_end"])
            )
        return {
            agreement_id: [w for aid in ids for w in by_agreement[aid]]
            for agreement_id, ids in ancestors.items()
        }

    @api.model
    def _outages(self, companies, low, high, exclude=None):
        """[(start, end or None, {impacted service ids})] of the active outages
        of these companies that overlap [low, high)."""
        domain = [
            ("company_id", "in", companies.ids),
            ("date_start", "<", high),
            "|",
            ("date_end", "=", False),
            ("date_end", ">", low),
        ]
        if exclude:
            domain.append(("id", "not in", exclude.ids))
        outages = self.env["slm.outage"].search(domain)
        return [
            (
                outage.date_start,
                outage.date_end or None,
                set(outage.impacted_service_ids.ids),
            )
            for outage in outages
        ]

    @api.model
    def _covered_services(self, agreements):
        """{agreement id: the services it covers}: its own, or (none given)
        every live service of its company."""
        live = self.env["slm.service"].search(
            [
                ("company_id", "in", agreements.company_id.ids),
                ("state", "=", "live"),
            ]
        )
        by_company = defaultdict(lambda: self.env["slm.service"])
        for service in live:
            by_company[service.company_id.id] |= service
        return {
            agreement.id: agreement.service_ids or by_company[agreement.company_id.id]
            for agreement in agreements
        }

    # ------------------------------------------------------------------
    # Scheduled check
    # ------------------------------------------------------------------

    @api.model
    def _current_months(self, now=None):
        """This month and the previous one (late outages of its last days),
        in every time zone an agreement's months may run in (period rule)."""
        now = now or fields.Datetime.now()
        days = {(now + timedelta(hours=hours)).date() for hours in (-14, 0, 14)}
        months = {start_of(day, "month") for day in days}
        return months | {month - relativedelta(months=1) for month in months}

    @api.model
    def _cron_check_availability(self):
        """Scheduled action: refresh the figures of this month (and the
        last), then warn the Service Level Manager of every agreement whose
        availability target got worse (at risk, missed).

        Safe to run twice: a status already notified is not notified again.
        Flagged in batches (``ir.cron._slm_run_batches``): one agreement that
        cannot be flagged is logged and skipped.
        """
        now = fields.Datetime.now()
        self._refresh(self._current_months(now), now=now)
        rows = self.search(
            [
                ("service_id", "=", False),
                ("closed", "=", False),
                ("period_start", "<=", now.date()),
                ("agreement_id.state", "=", "agreed"),
            ]
        )
        rank = avail.STATUS_RANK
        better = rows.filtered(lambda r: rank[r.status] < rank[r.notified_status])
        for status in set(better.mapped("status")):
            better.filtered(lambda r, s=status: r.status == s).write(
                {"notified_status": status}
            )
        worse = rows.filtered(lambda r: rank[r.status] > rank[r.notified_status])

        def flag(agreements):
            for agreement in agreements:
                worse.filtered(lambda r, a=agreement: r.agreement_id == a)._flag()

        self.env["ir.cron"]._slm_run_batches(worse.agreement_id, flag)

    def _flag(self):
        """Tell the Service Level Manager of one agreement that these
        availability figures got worse: a message and an activity."""
        agreement = self.agreement_id.ensure_one()
        labels = dict(AVAILABILITY_STATUSES)
        items = Markup("").join(
            Markup("<li>%s</li>")
            % self.env._(
                "%(target)s, %(month)s: %(status)s. Availability so far "
                "%(availability).2f %% (objective %(objective)s %%); downtime "
                "%(downtime).2f h of a budget of %(budget).2f h for the month.",
                target=row.target_id.name,
                month=row.period_start.strftime("%Y-%m"),
                status=labels[row.status].lower(),
                availability=row.availability_pct,
                objective=format(row.objective_pct, "g"),
                downtime=row.downtime_hours,
                budget=row.budget_hours,
            )
            for row in self
        )
        intro = self.env._("Availability targets at risk or missed:")
        agreement.message_post(
            body=Markup("<p>%s</p><ul>%s</ul>") % (intro, items),
            subtype_xmlid="mail.mt_note",
        )
        if agreement.provider_user_id:
            agreement.activity_schedule(
                "slm_agreements.mail_activity_type_availability",
                user_id=agreement.provider_user_id.id,
                summary=self.env._("Availability at risk or missed"),
                note=Markup("<ul>%s</ul>") % items,
            )
        for status in set(self.mapped("status")):
            self.filtered(lambda r, s=status: r.status == s).write(
                {"notified_status": status}
            )

    # ------------------------------------------------------------------
    # Readers
    # ------------------------------------------------------------------

    @api.model
    def _current_rows(self, targets):
        """{target id: this month's row of the target's own agreement, as a
        whole}."""
        # This month in the agreement's time zone (period rule).
        months = {
            target._origin.id: start_of(target.agreement_id._period_today(), "month")
            for target in targets
            if target._origin.id
        }
        rows = self.sudo().search(
            [
                ("target_id", "in", list(months)),
                ("service_id", "=", False),
                ("period_start", "in", list(set(months.values()))),
            ]
        )
        return {
            row.target_id.id: row
            for row in rows
            if row.agreement_id == row.target_id.agreement_id
            and row.period_start == months[row.target_id.id]
        }

    @api.model
    def _agreement_rows(self, agreements, targets, months):
        """The rows of ``targets`` in ``months`` for ``agreements`` as a whole
        (no service), for the statements and the review agenda."""
        if not targets:
            return self.browse()
        return self.sudo().search(
            [
                ("agreement_id", "in", agreements.ids),
                ("target_id", "in", targets.ids),
                ("service_id", "=", False),
                ("period_start", "in", months),
            ]
        )

    @api.model
    def action_refresh(self):
        """Recompute this month's and last month's figures now."""
        if not self.env.user.has_group("slm_catalogue.group_slm_manager"):
            raise AccessError(
                self.env._(
                    "Only a Service Level Manager can refresh the availability "
                    "figures; they are refreshed every hour anyway."
                )
            )
        self.sudo()._refresh(self._current_months())
        return {"type": "ir.actions.client", "tag": "reload"}
