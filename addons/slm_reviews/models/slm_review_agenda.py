# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import defaultdict
from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from lxml import html as lxml_html
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date, format_datetime, is_html_empty
from odoo.tools.date_utils import end_of

from odoo.addons.slm_agreements.tools.periods import months_between
from odoo.addons.slm_agreements.tools.records import composer_action

from ..report.slm_review_minutes_report import PDF_BREACH_LIMIT, sorted_breaches

# Trend: at least this many months, the last one being the period's last.
TREND_MONTHS = 6
# Over-achieved: attainment of at least objective + this margin (percentage
# points, capped at 100) in each of the last OVER_ACHIEVED_MONTHS months.
OVER_ACHIEVED_MARGIN = 5.0
OVER_ACHIEVED_MONTHS = 3
# Temporary changes shown: in force, or awaiting approval.
ADJUSTMENT_STATES = ("approved", "submitted")
# Agreements counted in the process review as having been in force.
IN_FORCE_STATES = ("agreed", "expired", "superseded", "terminated")
# Agreements counted in the process review: signed by the provider.
SIGNED = [("provider_signed_date", "!=", False)]


def _pct(value):
    return None if value is None else round(value, 2)


# Context key set by "Send Minutes" on the mail composer: posting the composed
# message on the review is what sends the minutes and freezes them.
SEND_MINUTES = "slm_review_send_minutes"
# States in which the minutes may be sent: held (first time, then frozen), or
# already sent/closed (again, e.g. to a forgotten attendee: nothing changes).
SENDABLE_STATES = ("held", "minutes_sent", "closed")


class SlmReview(models.Model):
    """Agenda and minutes of a review, generated from the records.

    Every section reads its records in one or two searches for the whole
    review (no query per ticket, breach or target). The records are read as
    superuser within the review's company: the agenda is complete whatever the
    chair may read elsewhere (e.g. helpdesk tickets).
    """

    _inherit = "slm.review"

    # ------------------------------------------------------------------
    # Periods
    # ------------------------------------------------------------------

    def _period_months(self):
        """First days of the calendar months the period touches."""
        self.ensure_one()
        return months_between(self.period_start, self.period_end)

    def _trend_months(self):
        """The period's months, preceded by earlier ones up to TREND_MONTHS."""
        months = self._period_months()
        first = min(months[0], months[-1] - relativedelta(months=TREND_MONTHS - 1))
        return months_between(first, months[-1])

    def _window(self):
        """(first day, last day) of the whole months the figures count."""
        months = self._period_months()
        return months[0], end_of(months[-1], "month")

    def _window_datetimes(self):
        """UTC bounds [start, end) of the window, for datetime fields."""
        start, end = self._window()
        return datetime.combine(start, time()), datetime.combine(
            end + timedelta(days=1), time()
        )

    # ------------------------------------------------------------------
    # Preparing the agenda
    # ------------------------------------------------------------------

    def _prepare_agenda(self):
        self.ensure_one()
        if self.kind == "service" and not self.agreement_ids:
            raise UserError(
                self.env._(
                    "Choose the agreements reviewed in %(review)s before preparing "
                    "its agenda.",
                    review=self.display_name,
                )
            )
        if self.kind == "process":
            snapshot = self._build_process_snapshot()
        else:
            snapshot = self._build_service_snapshot()
        carried = self.env["slm.review.action"].browse(
            [action["action_id"] for action in snapshot["open_actions"]]
        )
        statements = self._used_statements()
        self._system_write(
            {
                "snapshot": snapshot,
                "agenda": self._render("slm_reviews.review_agenda_document", snapshot),
                "carried_action_ids": [(6, 0, carried.ids)],
                "statement_ids": [(6, 0, statements.ids)],
                "state": "agenda_ready",
            }
        )
        self.message_post(
            body=self.env._(
                "Agenda prepared from the records of %(start)s to %(end)s.",
                start=format_date(self.env, self.period_start),
                end=format_date(self.env, self.period_end),
            ),
            subtype_xmlid="mail.mt_note",
        )

    def _used_statements(self):
        if self.kind != "service":
            return self.env["slm.service.statement"]
        return (
            self.env["slm.service.statement"]
            .sudo()
            .search(
                [
                    ("agreement_id", "in", self.agreement_ids.ids),
                    ("period_start", "in", self._period_months()),
                    ("state", "=", "issued"),
                ]
            )
        )

    def _months_tz_label(self):
        """The time zones in which the review's months run (period rule: each
        agreement's), e.g. "Europe/Brussels"."""
        self.ensure_one()
        agreements = self.sudo().agreement_ids
        if not agreements:
            agreements = (
                self.env["slm.agreement"]
                .sudo()
                .with_context(active_test=False)
                .search([("company_id", "=", self.company_id.id)])
            )
        return ", ".join(sorted({a.tz or "UTC" for a in agreements})) or "UTC"

    def _snapshot_header(self):
        self.ensure_one()
        start, end = self._window()
        review = self.sudo()
        return {
            "kind": self.kind,
            "period": {
                "start": self.period_start.isoformat(),
                "end": self.period_end.isoformat(),
                "window_start": start.isoformat(),
                "window_end": end.isoformat(),
                "months": [m.isoformat() for m in self._period_months()],
            },
            "generated_at": fields.Datetime.to_string(fields.Datetime.now()),
            "months": [m.isoformat() for m in self._trend_months()],
            "months_tz": self._months_tz_label(),
            "review": {
                "name": review.name,
                "customer": review.partner_id.display_name or "",
                "agreements": review.agreement_ids.mapped("display_name"),
                "services": review.service_ids.mapped("display_name"),
                "chair": review.chair_id.name or "",
                "meeting_date": fields.Datetime.to_string(review.date)
                if review.date
                else None,
                "attendees": [
                    {"name": p.name, "email": p.email or "", "internal": False}
                    for p in review.attendee_partner_ids
                ]
                + [
                    {"name": u.name, "email": u.email or "", "internal": True}
                    for u in review.attendee_user_ids
                ],
            },
        }

    def _build_service_snapshot(self):
        """The figures of a service review (see the model's docstring)."""
        self.ensure_one()
        env = self.env(su=True)
        agreements = self.agreement_ids.sudo()
        targets = agreements._effective_targets().sorted(
            lambda t: (t.agreement_id.id, t.sequence, t.id)
        )
        snapshot = self._snapshot_header()
        period_months = self._period_months()
        trend_months = self._trend_months()
        Statement = env["slm.service.statement"]
        figures = Statement._figures_for(agreements, trend_months)
        # Availability: the rows of the reviewed agreements and those of the
        # underpinning agreements, in one search.
        under_targets = targets.filtered(
            lambda t: t.kind == "sla"
        ).underpinning_target_ids.filtered("active")
        rows = self._availability_rows(
            (targets | under_targets).filtered(lambda t: t.metric == "availability"),
            agreements | under_targets.agreement_id,
            trend_months,
        )
        snapshot["targets"] = [
            self._target_entry(target, figures, rows, agreements, period_months)
            for target in targets
        ]
        for entry, target in zip(snapshot["targets"], targets, strict=True):
            entry["trend"] = [
                {
                    "month": month.isoformat(),
                    "attainment": self._month_value(
                        target, month, figures, rows, agreements
                    ),
                }
                for month in trend_months
            ]
        snapshot["targets_to_revisit"] = self._targets_to_revisit(
            targets, snapshot["targets"], figures, rows, agreements, trend_months
        )
        snapshot["breaches"] = self._breach_entries(targets)
        snapshot["breach_causes"] = self._breach_causes(snapshot["breaches"])
        snapshot["availability"] = self._availability_entries(
            targets, rows, agreements, figures, period_months
        )
        under_figures = Statement._figures_for(
            under_targets.agreement_id, period_months
        )
        snapshot["underpinning"] = self._underpinning_entries(
            targets, under_figures, rows, period_months
        )
        snapshot["alignment_gaps"] = self._alignment_entries(targets)
        snapshot["adjustments"] = self._adjustment_entries(agreements)
        snapshot["complaints"] = self._complaint_entries(agreements)
        snapshot["open_actions"] = self._action_entries(self._open_earlier_actions())
        return snapshot

    # ------------------------------------------------------------------
    # Performance per target
    # ------------------------------------------------------------------

    def _availability_rows(self, targets, agreements, months):
        """{(target id, month): [rows of the agreements as a whole]}."""
        rows = self.env["slm.availability"]._agreement_rows(agreements, targets, months)
        result = defaultdict(list)
        for row in rows:
            result[(row.target_id.id, row.period_start)].append(row)
        return result

    def _month_value(self, target, month, figures, rows, agreements):
        """Attainment (or availability) of one target in one month, or None."""
        figure = figures.get((target.id, month))
        if target.metric != "availability":
            return _pct(figure["attainment"]) if figure else None
        if figure and figure.get("source") == "statement":
            return _pct(figure["attainment"])
        month_rows = [
            row
            for row in rows.get((target.id, month), [])
            if row.agreement_id in agreements
        ]
        agreed = sum(row.agreed_to_date_hours for row in month_rows)
        if not agreed:
            return None
        downtime = sum(row.downtime_hours for row in month_rows)
        return _pct(100.0 * (agreed - downtime) / agreed)

    def _target_entry(self, target, figures, rows, agreements, months):
        metrics = dict(target._fields["metric"]._description_selection(self.env))
        entry = {
            "target_id": target.id,
            "agreement_id": target.agreement_id.id,
            "agreement": target.agreement_id.display_name,
            "name": target.name,
            "metric": target.metric,
            "metric_label": metrics.get(target.metric, target.metric),
            "objective": target.objective_pct,
            "measured": 0,
            "met": 0,
            "breached": 0,
            "excused": 0,
            # Negotiated deadline rule 7: results measured against a
            # negotiated deadline, counted as usual and flagged.
            "negotiated": 0,
            "attainment": None,
            "achieved": False,
        }
        if target.metric == "availability":
            # Weighted by the agreed service time of each month.
            weighted = agreed_total = 0.0
            sources = set()
            for month in months:
                value = self._month_value(target, month, figures, rows, agreements)
                if value is None:
                    continue
                agreed = (
                    sum(
                        row.agreed_to_date_hours
                        for row in rows.get((target.id, month), [])
                        if row.agreement_id in agreements
                    )
                    or 1.0
                )
                weighted += value * agreed
                agreed_total += agreed
                figure = figures.get((target.id, month))
                sources.add(figure["source"] if figure else "live")
            if agreed_total:
                entry["attainment"] = _pct(weighted / agreed_total)
            entry["source"] = self._source(sources)
        else:
            sources = set()
            for month in months:
                figure = figures.get((target.id, month))
                if not figure:
                    continue
                sources.add(figure.get("source", "live"))
                for key in ("measured", "met", "breached", "excused"):
                    entry[key] += figure[key] or 0
                entry["negotiated"] += figure.get("negotiated") or 0
            if entry["measured"]:
                entry["attainment"] = _pct(100.0 * entry["met"] / entry["measured"])
            entry["source"] = self._source(sources)
        entry["achieved"] = (
            entry["attainment"] is not None
            and entry["attainment"] >= entry["objective"]
        )
        return entry

    @staticmethod
    def _source(sources):
        if not sources:
            return "live"
        return sources.pop() if len(sources) == 1 else "mixed"

    def _targets_to_revisit(self, targets, entries, figures, rows, agreements, months):
        """Missed in the period, or over-achieved month after month."""
        result = []
        last = months[-OVER_ACHIEVED_MONTHS:]
        for target, entry in zip(targets, entries, strict=True):
            objective = entry["objective"]
            if entry["attainment"] is not None and not entry["achieved"]:
                result.append(
                    {
                        "target_id": target.id,
                        "target": target.display_name,
                        "reason": "missed",
                        "detail": self.env._(
                            "%(attainment)s %% in the period against an objective "
                            "of %(objective)s %%: find the causes, or renegotiate "
                            "the target.",
                            attainment=format(entry["attainment"], "g"),
                            objective=format(objective, "g"),
                        ),
                    }
                )
                continue
            values = [
                self._month_value(target, month, figures, rows, agreements)
                for month in last
            ]
            if target.metric != "availability":
                # Something measured each month: a month without tickets
                # proves nothing.
                measured = [
                    (figures.get((target.id, month)) or {}).get("measured")
                    for month in last
                ]
                if not all(measured):
                    continue
            bar = min(100.0, objective + OVER_ACHIEVED_MARGIN)
            if len(values) == OVER_ACHIEVED_MONTHS and all(
                value is not None and value >= bar for value in values
            ):
                result.append(
                    {
                        "target_id": target.id,
                        "target": target.display_name,
                        "reason": "over_achieved",
                        "detail": self.env._(
                            "%(values)s in the last %(count)s months against an "
                            "objective of %(objective)s %%: the target may be "
                            "tightened, or the service costs more than agreed.",
                            values=", ".join(f"{v:g} %" for v in values),
                            count=OVER_ACHIEVED_MONTHS,
                            objective=format(objective, "g"),
                        ),
                    }
                )
        return result

    # ------------------------------------------------------------------
    # Breaches, availability, underpinning, changes, complaints
    # ------------------------------------------------------------------

    def _scope_domain(self, partner_field, service_field):
        domain = [("company_id", "=", self.company_id.id)]
        if self.partner_id:
            domain.append((partner_field, "=", self.partner_id.id))
        if self.service_ids:
            domain.append((service_field, "in", self.service_ids.ids))
        return domain

    def _breach_entries(self, targets):
        # The breaches of the window's months in their agreement's time zone
        # (period rule), as counted in the attainment. Read in one query (a
        # long period has thousands): the names of targets, agreements and
        # causes once each.
        rows = self._breach_rows(targets)
        Breach = self.env["slm.breach"]
        states = dict(Breach._fields["state"]._description_selection(self.env))
        reasons = dict(Breach._fields["excuse_reason"]._description_selection(self.env))
        names = {
            model: {
                record.id: record[field]
                for record in self.env[model]
                .sudo()
                .with_context(active_test=False)
                .browse({row[column] for row in rows if row[column]})
            }
            for model, column, field in (
                ("slm.target", 1, "display_name"),
                ("slm.agreement", 2, "display_name"),
                ("slm.breach.cause", 4, "name"),
            )
        }
        return [
            {
                "breach_id": breach_id,
                "ticket": number or "",
                "ticket_name": ticket_name or "",
                "target": names["slm.target"].get(target_id, ""),
                "agreement": names["slm.agreement"].get(agreement_id, ""),
                "deadline": fields.Datetime.to_string(deadline),
                "cause": names["slm.breach.cause"].get(cause_id, ""),
                "root_cause": root_cause or "",
                "late_hours": round(late_hours or 0.0, 2),
                "excused": bool(excused),
                "excuse_reason": reasons.get(excuse_reason, "") if excused else "",
                "state": states.get(state, state),
            }
            for (
                breach_id,
                target_id,
                agreement_id,
                deadline,
                cause_id,
                root_cause,
                late_hours,
                excused,
                excuse_reason,
                state,
                number,
                ticket_name,
            ) in rows
        ]

    def _breach_rows(self, targets):
        """The window's breaches of ``targets`` as rows: id, target,
        agreement, deadline, cause, root cause, hours late, excused, excuse
        reason, state, then the ticket's number and name."""
        start, end = self._window()
        Breach = self.env["slm.breach"].sudo()
        query = Breach._search(
            self._scope_domain("partner_id", "service_id")
            + [
                ("target_id", "in", targets.ids),
                ("period_date", ">=", start),
                ("period_date", "<=", end),
            ],
            order="deadline, id",
        )
        Breach.flush_model()
        table = query.table
        ticket = query.make_alias(table, "ticket_id")
        query.add_join(
            "LEFT JOIN",
            ticket,
            "helpdesk_ticket",
            SQL(
                "%s = %s",
                SQL.identifier(table, "ticket_id"),
                SQL.identifier(ticket, "id"),
            ),
        )
        self.env["helpdesk.ticket"].flush_model(["number", "name"])
        rows = self.env.execute_query(
            query.select(
                *(
                    SQL.identifier(table, name)
                    for name in (
                        "id",
                        "target_id",
                        "agreement_id",
                        "deadline",
                        "cause_id",
                        "root_cause",
                        "late_hours",
                        "excused",
                        "excuse_reason",
                        "state",
                    )
                ),
                SQL.identifier(ticket, "number"),
                SQL.identifier(ticket, "name"),
            )
        )
        return rows

    def _breach_causes(self, breaches):
        causes = {}
        for breach in breaches:
            cause = breach["cause"] or self.env._("Not analysed yet")
            bucket = causes.setdefault(
                cause, {"cause": cause, "count": 0, "excused": 0}
            )
            bucket["count"] += 1
            bucket["excused"] += int(breach["excused"])
        return sorted(causes.values(), key=lambda c: (-c["count"], c["cause"]))

    def _availability_entries(self, targets, rows, agreements, figures, months):
        labels = dict(
            self.env["slm.availability"]
            ._fields["status"]
            ._description_selection(self.env)
        )
        entries = []
        for target in targets.filtered(lambda t: t.metric == "availability"):
            for month in months:
                for row in rows.get((target.id, month), []):
                    if row.agreement_id not in agreements:
                        continue
                    value = _pct(row.availability_pct)
                    status = labels.get(row.status, row.status)
                    figure = figures.get((target.id, month))
                    if figure and figure.get("source") == "statement":
                        # Issued to the customer: the statement's figure stands.
                        value = _pct(figure["attainment"])
                        status = labels["achieved" if figure["achieved"] else "missed"]
                    entries.append(
                        {
                            "target_id": target.id,
                            "target": target.display_name,
                            "agreement": row.agreement_id.display_name,
                            "service": "",
                            "month": month.isoformat(),
                            "availability": value,
                            "objective": row.objective_pct,
                            "status": status,
                            "agreed_hours": round(row.agreed_hours, 2),
                            "downtime_hours": round(row.downtime_hours, 2),
                        }
                    )
        return entries

    def _underpinning_entries(self, targets, figures, rows, months):
        kinds = dict(
            self.env["slm.agreement"]._fields["kind"]._description_selection(self.env)
        )
        entries = []
        for sla_target in targets.filtered(lambda t: t.kind == "sla"):
            for under in sla_target.underpinning_target_ids.filtered("active"):
                entry = self._target_entry(
                    under, figures, rows, under.agreement_id, months
                )
                entries.append(
                    {
                        "sla_target_id": sla_target.id,
                        "sla_target": sla_target.display_name,
                        "target_id": under.id,
                        "target": under.display_name,
                        "kind": kinds.get(under.kind, under.kind),
                        "agreement": under.agreement_id.display_name,
                        "objective": entry["objective"],
                        "measured": entry["measured"],
                        "met": entry["met"],
                        "breached": entry["breached"],
                        "excused": entry["excused"],
                        "attainment": entry["attainment"],
                        "achieved": entry["achieved"],
                    }
                )
        return entries

    def _alignment_entries(self, targets):
        issues = (
            self.env["slm.alignment.issue"]
            .sudo()
            .search(
                [
                    (
                        "sla_target_id",
                        "in",
                        targets.filtered(lambda t: t.kind == "sla").ids,
                    )
                ]
            )
        )
        labels = dict(issues._fields["issue_type"]._description_selection(self.env))
        return [
            {
                "sla_target": issue.sla_target_id.display_name,
                "underpinning_target": issue.underpinning_target_id.display_name or "",
                "issue_type": labels.get(issue.issue_type, issue.issue_type),
                "issue_code": issue.issue_type,
                "explanation": issue.explanation or "",
            }
            for issue in issues
        ]

    def _adjustment_entries(self, agreements):
        # A change of a higher level applies to the levels below it.
        ids = {
            int(aid)
            for agreement in agreements
            for aid in (agreement.parent_path or str(agreement.id)).split("/")
            if aid
        }
        start, end = self._window_datetimes()
        Adjustment = self.env["slm.adjustment"].sudo()
        adjustments = Adjustment.search(
            [
                ("agreement_id", "in", list(ids)),
                ("state", "in", ADJUSTMENT_STATES),
                ("date_start", "<", end),
                ("date_end", ">", start),
            ],
            order="date_start, id",
        )
        kinds = dict(Adjustment._fields["kind"]._description_selection(self.env))
        states = dict(Adjustment._fields["state"]._description_selection(self.env))
        return [
            {
                "name": adjustment.name,
                "kind": kinds.get(adjustment.kind, adjustment.kind),
                "agreement": adjustment.agreement_id.display_name,
                "start": fields.Datetime.to_string(adjustment.date_start),
                "end": fields.Datetime.to_string(adjustment.date_end),
                "state": states.get(adjustment.state, adjustment.state),
                "reason": adjustment.reason or "",
            }
            for adjustment in adjustments
        ]

    def _complaint_entries(self, agreements):
        start, end = self._window()
        tickets = (
            self.env["helpdesk.ticket"]
            .sudo()
            .with_context(active_test=False)
            .search(
                self._scope_domain("commercial_partner_id", "service_id")
                + [
                    ("slm_complaint", "=", True),
                    ("slm_complaint_date", ">=", start),
                    ("slm_complaint_date", "<=", end),
                ],
                order="slm_complaint_date, id",
            )
        )
        return [
            {
                "ticket_id": ticket.id,
                "ticket": ticket.number or "",
                "ticket_name": ticket.name,
                "customer": ticket.commercial_partner_id.display_name or "",
                "date": ticket.slm_complaint_date.isoformat(),
                "subject": ticket.name,
                "service": ticket.service_id.display_name or "",
                "stage": ticket.stage_id.name or "",
                "closed": bool(ticket.stage_id.closed),
            }
            for ticket in tickets
        ]

    # ------------------------------------------------------------------
    # Actions carried over
    # ------------------------------------------------------------------

    def _earlier_reviews_domain(self):
        """Earlier reviews of the same scope: same kind, company and customer,
        overlapping agreements (service reviews), an earlier period."""
        self.ensure_one()
        domain = [
            ("id", "!=", self.id or 0),
            ("kind", "=", self.kind),
            ("company_id", "=", self.company_id.id),
            ("period_start", "<", self.period_start),
        ]
        if self.kind == "service":
            domain += [
                ("partner_id", "=", self.partner_id.id or False),
                ("agreement_ids", "in", self.agreement_ids.ids),
            ]
        return domain

    def _open_earlier_actions(self):
        reviews = self.sudo().search(self._earlier_reviews_domain())
        return (
            self.env["slm.review.action"]
            .sudo()
            .search(
                [("review_id", "in", reviews.ids), ("state", "=", "open")],
                order="due_date, id",
            )
        )

    def _action_entries(self, actions):
        today = fields.Date.context_today(self)
        states = dict(
            self.env["slm.review.action"]
            ._fields["state"]
            ._description_selection(self.env)
        )
        return [
            {
                "action_id": action.id,
                "name": action.name,
                "owner": action.owner_id.name or "",
                "due_date": action.due_date.isoformat() if action.due_date else None,
                "state": states.get(action.state, action.state),
                "origin": action.review_id.display_name or "",
                "overdue": bool(
                    action.state == "open"
                    and action.due_date
                    and action.due_date < today
                ),
            }
            for action in actions.sudo()
        ]

    # ------------------------------------------------------------------
    # Annual review of the SLM process
    # ------------------------------------------------------------------

    def _build_process_snapshot(self):
        """Volume, impact and cost of the agreements, process issues and
        amendments agreed in the period (usually a year), for the company."""
        self.ensure_one()
        snapshot = self._snapshot_header()
        for key in (
            "targets",
            "breaches",
            "breach_causes",
            "availability",
            "targets_to_revisit",
            "underpinning",
            "alignment_gaps",
            "adjustments",
            "complaints",
        ):
            snapshot[key] = []
        scope = [("company_id", "=", self.company_id.id)]
        snapshot["process"] = {
            **self._process_volume(scope),
            **self._process_impact(scope),
            **self._process_cost(scope),
            **self._process_issues(scope),
            **self._process_amendments(scope),
        }
        snapshot["open_actions"] = self._action_entries(self._open_earlier_actions())
        return snapshot

    def _selection_labels(self, model_name, field_name):
        """{value: label} of a selection field, in the user's language."""
        field = self.env[model_name]._fields[field_name]
        return dict(field._description_selection(self.env))

    def _process_agreements(self):
        return self.env(su=True)["slm.agreement"].with_context(active_test=False)

    def _process_volume(self, scope):
        """Agreements by kind and state, new and ended in the period."""
        start, end = self._window()
        Agreement = self._process_agreements()
        kinds = self._selection_labels("slm.agreement", "kind")
        states = self._selection_labels("slm.agreement", "state")
        by_kind = {}
        for kind, state, count in Agreement._read_group(
            scope, ["kind", "state"], ["__count"]
        ):
            bucket = by_kind.setdefault(
                kind,
                {
                    "kind": kinds.get(kind, kind),
                    "kind_code": kind,
                    "total": 0,
                    "states": {},
                    "new": 0,
                    "ended": 0,
                },
            )
            bucket["states"][states.get(state, state)] = count
            bucket["total"] += count
        for kind, count in Agreement._read_group(
            scope
            + SIGNED
            + [
                ("revision", "=", 1),
                ("date_start", ">=", start),
                ("date_start", "<=", end),
            ],
            ["kind"],
            ["__count"],
        ):
            by_kind[kind]["new"] = count
        for kind, count in Agreement._read_group(
            scope
            + SIGNED
            + [
                "|",
                "&",
                ("state", "=", "expired"),
                "&",
                ("date_end", ">=", start),
                ("date_end", "<=", end),
                "&",
                ("state", "=", "terminated"),
                "&",
                ("termination_date", ">=", start),
                ("termination_date", "<=", end),
            ],
            ["kind"],
            ["__count"],
        ):
            by_kind[kind]["ended"] = count
        return {
            "agreements_by_kind": sorted(
                by_kind.values(), key=lambda b: b["kind_code"]
            ),
        }

    def _process_impact(self, scope):
        """Breaches (excused apart), attainment and availability misses."""
        env = self.env(su=True)
        start, end = self._window()
        in_period = [("period_date", ">=", start), ("period_date", "<=", end)]
        kinds = self._selection_labels("slm.agreement", "kind")
        breaches = {}
        for kind, excused, count in env["slm.breach"]._read_group(
            scope + in_period, ["agreement_kind", "excused"], ["__count"]
        ):
            bucket = breaches.setdefault(
                kind,
                {
                    "kind": kinds.get(kind, kind),
                    "kind_code": kind,
                    "counted": 0,
                    "excused": 0,
                },
            )
            bucket["excused" if excused else "counted"] += count
        # Attainment by kind, from the one source (period rule: the months of
        # each agreement's time zone).
        attainment = {}
        for (kind,), figures in (
            env["slm.clock"]
            ._attainment_counts(scope + in_period, ["agreement_kind"])
            .items()
        ):
            measured = figures["met"] + figures["breached"]
            attainment[kind] = {
                "kind": kinds.get(kind, kind),
                "kind_code": kind,
                "met": figures["met"],
                "breached": figures["breached"],
                "excused": figures["excused"],
                "negotiated": figures.get("negotiated", 0),
                "measured": measured,
                "attainment": (
                    _pct(100.0 * figures["met"] / measured) if measured else None
                ),
            }
        misses = env["slm.availability"].search(
            scope
            + [
                ("service_id", "=", False),
                ("closed", "=", True),
                ("status", "=", "missed"),
                ("period_start", ">=", start),
                ("period_start", "<=", end),
            ],
            order="period_start, id",
        )
        return {
            "breaches_by_kind": sorted(
                breaches.values(), key=lambda b: b["kind_code"] or ""
            ),
            "attainment_by_kind": sorted(
                attainment.values(), key=lambda b: b["kind_code"] or ""
            ),
            "availability_misses": [
                {
                    "target": row.target_id.display_name,
                    "agreement": row.agreement_id.display_name,
                    "month": row.period_start.isoformat(),
                    "availability": _pct(row.availability_pct),
                    "objective": row.objective_pct,
                }
                for row in misses
            ],
        }

    def _process_cost(self, scope):
        """Contract values by kind: only when a module gives agreements one."""
        Agreement = self._process_agreements()
        if "contract_value" not in Agreement._fields:
            return {"contract_values": None}
        start, end = self._window()
        kinds = self._selection_labels("slm.agreement", "kind")
        return {
            "contract_values": [
                {
                    "kind": kinds.get(kind, kind),
                    "kind_code": kind,
                    "value": value or 0.0,
                    "currency": self.company_id.currency_id.name,
                }
                for kind, value in Agreement._read_group(
                    scope
                    + SIGNED
                    + [
                        ("state", "in", IN_FORCE_STATES),
                        ("date_start", "<=", end),
                        "|",
                        ("date_end", "=", False),
                        ("date_end", ">=", start),
                    ],
                    ["kind"],
                    ["contract_value:sum"],
                )
            ]
        }

    def _process_issues(self, scope):
        """Process issues as they stand now: alignment gaps, breaches not yet
        analysed, overdue actions, open catalogue discrepancies."""
        env = self.env(su=True)
        today = fields.Date.context_today(self)
        gap_labels = self._selection_labels("slm.alignment.issue", "issue_type")
        gaps = [
            {"issue_type": gap_labels.get(issue_type, issue_type), "count": count}
            for issue_type, count in env["slm.alignment.issue"]._read_group(
                scope + [("agreement_state", "in", ("draft", "negotiation", "agreed"))],
                ["issue_type"],
                ["__count"],
            )
        ]
        unanalysed = dict(
            env["slm.breach"]._read_group(
                scope + [("state", "in", ("new", "analysing"))],
                ["state"],
                ["__count"],
            )
        )
        overdue = env["slm.review.action"].search(
            scope + [("state", "=", "open"), ("due_date", "<", today)],
            order="due_date, id",
        )
        aspects = self._selection_labels("slm.catalogue.discrepancy", "aspect")
        states = self._selection_labels("slm.catalogue.discrepancy", "state")
        discrepancies = env["slm.catalogue.discrepancy"].search(
            scope + [("state", "in", ("new", "in_progress"))],
            order="report_date, id",
        )
        return {
            "alignment_gaps": gaps,
            "alignment_gap_count": sum(gap["count"] for gap in gaps),
            "unanalysed_breaches": unanalysed.get("new", 0),
            "breaches_under_analysis": unanalysed.get("analysing", 0),
            "overdue_actions": self._action_entries(overdue),
            "discrepancies": [
                {
                    "name": discrepancy.name,
                    "service": discrepancy.service_id.display_name,
                    "aspect": aspects.get(discrepancy.aspect, discrepancy.aspect),
                    "state": states.get(discrepancy.state, discrepancy.state),
                    "report_date": discrepancy.report_date.isoformat(),
                }
                for discrepancy in discrepancies
            ],
        }

    def _process_amendments(self, scope):
        """New revisions signed and temporary changes approved in the period."""
        start_dt, end_dt = self._window_datetimes()
        kinds = self._selection_labels("slm.agreement", "kind")
        revisions = self._process_agreements().search(
            scope
            + [
                ("revision", ">", 1),
                ("provider_signed_date", ">=", start_dt),
                ("provider_signed_date", "<", end_dt),
            ],
            order="provider_signed_date, id",
        )
        change_kinds = self._selection_labels("slm.adjustment", "kind")
        changes = self.env(su=True)["slm.adjustment"].search(
            scope
            + [
                ("state", "=", "approved"),
                ("approved_date", ">=", start_dt),
                ("approved_date", "<", end_dt),
            ],
            order="approved_date, id",
        )
        return {
            "revisions": [
                {
                    "agreement": agreement.display_name,
                    "kind": kinds.get(agreement.kind, agreement.kind),
                    "revision": agreement.revision,
                    "date": fields.Datetime.to_string(agreement.provider_signed_date),
                }
                for agreement in revisions
            ],
            "temporary_changes": [
                {
                    "name": change.name,
                    "kind": change_kinds.get(change.kind, change.kind),
                    "agreement": change.agreement_id.display_name,
                    "start": fields.Datetime.to_string(change.date_start),
                    "end": fields.Datetime.to_string(change.date_end),
                    "approved": fields.Datetime.to_string(change.approved_date),
                }
                for change in changes
            ],
        }

    # ------------------------------------------------------------------
    # Minutes
    # ------------------------------------------------------------------

    def _generate_minutes(self):
        self.ensure_one()
        snapshot = dict(self.snapshot or {})
        snapshot["minutes_generated_at"] = fields.Datetime.to_string(
            fields.Datetime.now()
        )
        snapshot["new_actions"] = self._action_entries(
            self.action_ids.sorted(lambda a: (a.due_date, a.id))
        )
        snapshot["carried_actions"] = self._action_entries(self.carried_action_ids)
        self._system_write(
            {
                "snapshot": snapshot,
                "minutes": self._render(
                    "slm_reviews.review_minutes_document", snapshot
                ),
            }
        )

    def _customer_minutes(self):
        """The minutes as the customer reads them (portal page, PDF): without
        their internal-only part, the OLAs and contracts behind the targets
        (portal rule 3). Minutes generated before that part was marked lose
        their "Underpinning agreements" section, found by its table."""
        self.ensure_one()
        if is_html_empty(self.minutes):
            return self.minutes
        tree = lxml_html.fragment_fromstring(str(self.minutes), create_parent="div")
        for node in tree.xpath("//*[contains(@class, 'o_slm_internal_only')]"):
            node.getparent().remove(node)
        for table in tree.xpath(
            "//table[contains(@class, 'o_slm_review_underpinning')]"
        ):
            heading = table.getprevious()
            while heading is not None and heading.tag != "h2":
                heading = heading.getprevious()
            node = heading if heading is not None else table
            while node is not None:
                following = node.getnext()
                node.getparent().remove(node)
                if following is None or following.tag == "h2":
                    break
                node = following
        return Markup(
            "".join(lxml_html.tostring(child, encoding="unicode") for child in tree)
        )

    # ------------------------------------------------------------------
    # Rendering
    # ------------------------------------------------------------------

    def _render(self, template, snapshot):
        """The HTML of an agenda or minutes, from the snapshot only."""
        self.ensure_one()
        env = self.env

        def pct(value):
            return "-" if value is None else f"{value:.1f} %"

        def day(value):
            return format_date(env, value) if value else "-"

        def moment(value):
            return format_datetime(env, value, dt_format="short") if value else "-"

        def month(value):
            return format_date(env, value, date_format="MMM yyyy") if value else "-"

        def breach_rows(breaches):
            # A long period lists the most late (as the PDF does), in the
            # snapshot's order; every breach stays in the snapshot (XLSX).
            if len(breaches) <= PDF_BREACH_LIMIT:
                return breaches
            kept = {
                id(breach) for breach in sorted_breaches(breaches)[:PDF_BREACH_LIMIT]
            }
            return [breach for breach in breaches if id(breach) in kept]

        html = env["ir.qweb"]._render(
            template,
            {
                "review": self,
                "snap": snapshot,
                "breach_rows": breach_rows,
                "breach_limit": PDF_BREACH_LIMIT,
                "pct": pct,
                "day": day,
                "moment": moment,
                "month": month,
                "decisions": self.decisions,
            },
        )
        return Markup(html)

    minutes_recipient_ids = fields.Many2many(
        "res.partner",
        compute="_compute_minutes_recipient_ids",
        string="Minutes Recipients",
        help="Who receives the minutes: the customer attendees and the internal "
        "attendees, those with a valid e-mail address.",
    )

    @api.depends("attendee_partner_ids.email", "attendee_user_ids.partner_id.email")
    def _compute_minutes_recipient_ids(self):
        for review in self:
            partners = review.attendee_partner_ids | review.attendee_user_ids.partner_id
            review.minutes_recipient_ids = partners.filtered("email_normalized")

    def _minutes_mail_summary(self):
        """The period in a few figures, from the snapshot, for the e-mail."""
        self.ensure_one()
        snapshot = self.snapshot if isinstance(self.snapshot, dict) else {}
        targets = snapshot.get("targets") or []
        breaches = snapshot.get("breaches") or []
        return {
            "targets": len(targets),
            "measured": len([t for t in targets if t.get("attainment") is not None]),
            "achieved": len([t for t in targets if t.get("achieved")]),
            "missed": [
                t
                for t in targets
                if t.get("attainment") is not None and not t.get("achieved")
            ],
            "breaches": len([b for b in breaches if not b.get("excused")]),
            "excused": len([b for b in breaches if b.get("excused")]),
        }

    def _minutes_send_problems(self):
        """Why the minutes of these reviews cannot be sent (one line each)."""
        problems = []
        states = dict(self._fields["state"]._description_selection(self.env))
        for review in self:
            if review.state not in SENDABLE_STATES:
                problems.append(
                    self.env._(
                        "%(review)s: the minutes are sent once the meeting is held "
                        "(the review is %(state)s).",
                        review=review.display_name,
                        state=states.get(review.state, review.state),
                    )
                )
            elif is_html_empty(review.minutes) or not review.snapshot:
                problems.append(
                    self.env._(
                        "%(review)s: generate the minutes before sending them.",
                        review=review.display_name,
                    )
                )
            if not review.minutes_recipient_ids:
                problems.append(
                    self.env._(
                        "%(review)s: none of the attendees has an e-mail address. "
                        "Add the customer's contacts who attended (with their "
                        "e-mail) or an internal attendee before sending the "
                        "minutes.",
                        review=review.display_name,
                    )
                )
        return problems

    def _check_minutes_sendable(self):
        problems = self._minutes_send_problems()
        if problems:
            raise UserError(
                self.env._("The minutes cannot be sent:\n%s", "\n".join(problems))
            )

    def action_send_minutes(self):
        """Open the mail composer with the minutes template: the PDF minutes and
        the XLSX performance pack attached, the attendees as recipients. The
        minutes are frozen when the message is sent, not before (closing the
        composer changes nothing)."""
        self.ensure_one()
        self.check_access("write")
        self._check_minutes_sendable()
        template = self.env.ref(
            "slm_reviews.mail_template_review_minutes", raise_if_not_found=False
        )
        action = composer_action(
            self, template, "mail.mail_notification_layout", **{SEND_MINUTES: True}
        )
        action["name"] = self.env._("Send Minutes")
        if not template:
            # Without the template (deleted by hand), still address the attendees.
            action["context"]["default_partner_ids"] = self.minutes_recipient_ids.ids
        return action

    @api.returns("mail.message", lambda value: value.id)
    def message_post(self, **kwargs):
        if not self.env.context.get(SEND_MINUTES):
            return super().message_post(**kwargs)
        # The "Send Minutes" composer posts: check again (the review may have
        # changed since the composer opened), send, then freeze the minutes.
        # The key grants nothing (guard rule 1): the same checks as the button.
        self.check_access("write")
        self._check_minutes_sendable()
        if not kwargs.get("partner_ids"):
            raise UserError(
                self.env._(
                    "The minutes cannot be sent without recipients: add the "
                    "attendees to the message."
                )
            )
        reviews = self.with_context(**{SEND_MINUTES: False})
        message = super(SlmReview, reviews).message_post(**kwargs)
        reviews.filtered(lambda r: r.state == "held")._mark_minutes_sent()
        return message
