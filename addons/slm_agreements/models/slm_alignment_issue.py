# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import math
from datetime import datetime, time, timedelta

from pytz import timezone, utc

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL
from odoo.tools.misc import format_date, format_datetime

from ..tools.alignment import uncovered, worst_lateness
from ..tools.business_time import attendance_intervals, from_seconds, to_seconds
from ..tools.timeline import Timeline

# Agreements whose SLA targets are checked: being prepared or in force. A
# Service Level Requirement is not an agreement yet; closed ones are history.
CHECKED_STATES = ("draft", "negotiation", "agreed")
PREPARED_STATES = ("requirement", "draft", "negotiation")
# Metrics measured by a clock: their thresholds are compared.
CLOCK_METRICS = ("response", "resolution")
# Differences smaller than this are rounding, not gaps.
MIN_GAP_SECONDS = 60
DAY = 86400
WEEK = 7 * DAY
# What the stored findings hold besides their key.
DETAIL_FIELDS = (
    "reason",
    "late_hours",
    "uncovered_hours",
    "example_date",
    "example_end",
)


class SlmAlignmentIssue(models.Model):
    """A gap between an SLA target and the targets that underpin it.

    Derived data: the suite writes these records when targets, their links or
    agreements change, when someone clicks Check Alignment, and every day. No
    one edits them by hand.
    """

    _name = "slm.alignment.issue"
    _description = "Alignment Gap"
    _order = "agreement_id, sla_target_id, issue_type, underpinning_target_id, id"

    sla_target_id = fields.Many2one(
        "slm.target",
        string="SLA Target",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
        help="The target promised to the customer.",
    )
    agreement_id = fields.Many2one(
        related="sla_target_id.agreement_id",
        string="SLA",
        store=True,
        index=True,
        help="The agreement with the customer that holds the SLA target.",
    )
    agreement_state = fields.Selection(
        related="agreement_id.state",
        string="SLA Status",
        help="Status of the SLA: gaps are checked on drafts, agreements in "
        "negotiation and agreed agreements.",
    )
    partner_id = fields.Many2one(
        related="agreement_id.partner_id",
        string="Customer",
        store=True,
        help="The customer of the SLA. Empty: every customer.",
    )
    service_ids = fields.Many2many(
        "slm.service",
        "slm_alignment_issue_service_rel",
        "issue_id",
        "service_id",
        string="Services",
        compute="_compute_service_ids",
        store=True,
        help="Services covered by the SLA. Empty: every service.",
    )
    metric = fields.Selection(
        related="sla_target_id.metric",
        store=True,
        help="What the SLA target measures.",
    )
    underpinning_target_id = fields.Many2one(
        "slm.target",
        string="Underpinning Target",
        readonly=True,
        index="btree_not_null",
        ondelete="cascade",
        help="The target of an OLA (or underpinning contract) that backs the "
        "SLA target. Empty when nothing backs it.",
    )
    underpinning_agreement_id = fields.Many2one(
        related="underpinning_target_id.agreement_id",
        string="Underpinning Agreement",
        store=True,
        index="btree_not_null",
        help="The OLA (or underpinning contract) of the underpinning target.",
    )
    underpinning_kind = fields.Selection(
        related="underpinning_target_id.kind",
        string="Underpinning Kind",
        store=True,
        help="OLA: an internal team backs the SLA target. Other kinds (e.g. "
        "underpinning contracts with suppliers) come with other modules.",
    )
    issue_type = fields.Selection(
        [
            ("none", "No Underpinning"),
            ("threshold", "Longer Threshold"),
            ("calendar", "Narrower Working Hours"),
            ("objective", "Lower Objective"),
            ("not_in_force", "Underpinning Not in Force"),
        ],
        string="Gap",
        required=True,
        readonly=True,
        index=True,
        help="No Underpinning: no target backs the SLA target. Longer Threshold: "
        "the underpinning deadline can fall after the SLA deadline. Narrower "
        "Working Hours: the underpinning calendar does not cover all the "
        "working hours of the SLA target. Lower Objective: the underpinning "
        "target promises a smaller share of tickets. Underpinning Not in "
        "Force: its agreement is not agreed, is closed, starts later or ends "
        "earlier than the SLA.",
    )
    reason = fields.Selection(
        [
            ("not_agreed", "Not Agreed Yet"),
            ("closed", "No Longer in Force"),
            ("archived", "Target Archived"),
            ("starts_later", "Starts Later"),
            ("ends_earlier", "Ends Earlier"),
        ],
        readonly=True,
        help="Why the underpinning target is not in force while the SLA is.",
    )
    late_hours = fields.Float(
        string="Up to Hours Later",
        readonly=True,
        aggregator="max",
        help="Longer threshold: how much later the underpinning deadline can "
        "fall than the SLA deadline, for the worst ticket creation time.",
    )
    uncovered_hours = fields.Float(
        string="Uncovered Hours per Week",
        readonly=True,
        aggregator="max",
        help="Narrower working hours: working hours of the SLA target per week "
        "in which the underpinning target's time does not count.",
    )
    example_date = fields.Datetime(
        string="Example",
        readonly=True,
        help="Longer threshold: a ticket creation time that shows the gap. "
        "Narrower working hours: the start of the first uncovered hours.",
    )
    example_end = fields.Datetime(
        readonly=True, help="Narrower working hours: the end of those uncovered hours."
    )
    explanation = fields.Text(
        compute="_compute_explanation",
        help="The gap in plain words.",
    )
    company_id = fields.Many2one(
        related="sla_target_id.company_id", store=True, index=True
    )
    key = fields.Char(
        required=True,
        readonly=True,
        index=True,
        help="SLA target, underpinning target and gap: one finding each.",
    )

    _sql_constraints = [
        (
            "key_uniq",
            "unique(key)",
            "The alignment was being checked twice at the same time: check again.",
        ),
    ]

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("agreement_id.service_ids")
    def _compute_service_ids(self):
        for issue in self:
            issue.service_ids = issue.agreement_id.service_ids

    @api.depends("sla_target_id.display_name", "issue_type")
    def _compute_display_name(self):
        types = dict(self._fields["issue_type"]._description_selection(self.env))
        for issue in self:
            issue.display_name = (
                f"{issue.sla_target_id.display_name}: "
                f"{types.get(issue.issue_type, '')}"
            )

    @api.depends(
        "issue_type",
        "reason",
        "late_hours",
        "uncovered_hours",
        "example_date",
        "example_end",
        "sla_target_id",
        "underpinning_target_id",
    )
    def _compute_explanation(self):
        for issue in self:
            method = getattr(issue, f"_explain_{issue.issue_type}", None)
            issue.explanation = method() if method else False

    # ------------------------------------------------------------------
    # Explanations, in the reader's language
    # ------------------------------------------------------------------

    def _explain_none(self):
        target = self.sla_target_id
        kinds = target._slm_underpinning_kinds()
        labels = dict(
            target.agreement_id._fields["kind"]._description_selection(self.env)
        )
        return self.env._(
            "%(sla)s is not underpinned: no %(kinds)s target backs it, so no team "
            "or supplier is committed to what the customer was promised.",
            sla=self._label(target),
            kinds=self.env._(" or ").join(labels.get(kind, kind) for kind in kinds),
        )

    def _party_words(self):
        """How the explanations name the underpinning side: who is committed,
        its agreement, and what starts its clock. Other kinds of agreements
        (e.g. a supplier's contract) say it in their own words."""
        return {
            "party": self.env._("the team"),
            "Party": self.env._("The team"),
            "agreement": self.underpinning_target_id.agreement_id.display_name,
            "started": self.env._("created"),
        }

    def _explain_threshold(self):
        sla, under = self.sla_target_id, self.underpinning_target_id
        if not self.example_date:
            return self.env._(
                "%(under)s backs %(sla)s: %(party)s may take longer than the "
                "customer was promised.",
                under=self._label(under),
                sla=self._label(sla),
                **self._party_words(),
            )
        return self.env._(
            "%(under)s (%(under_hours)s) backs %(sla)s (%(sla_hours)s): each "
            "counted in its own hours, %(party)s's deadline can fall up to "
            "%(late)s after the customer's, e.g. for a ticket %(started)s on "
            "%(when)s. %(Party)s may take longer than the customer was promised.",
            under=self._label(under),
            under_hours=self._hours_label(under),
            sla=self._label(sla),
            sla_hours=self._hours_label(sla),
            late=self._duration(self.late_hours * 3600),
            when=self._when(self.example_date),
            **self._party_words(),
        )

    def _explain_calendar(self):
        sla, under = self.sla_target_id, self.underpinning_target_id
        return self.env._(
            "%(under)s counts time in %(under_hours)s, which leaves %(hours)s a "
            "week of the working hours of %(sla)s (%(sla_hours)s) uncovered, e.g. "
            "%(start)s to %(end)s: the customer's clock runs while %(party)s is "
            "not committed.",
            under=self._label(under),
            under_hours=self._hours_label(under),
            hours=self._duration(self.uncovered_hours * 3600),
            sla=self._label(sla),
            sla_hours=self._hours_label(sla),
            start=self._when(self.example_date, with_zone=False),
            end=self._when(self.example_end, same_day_as=self.example_date),
            **self._party_words(),
        )

    def _explain_objective(self):
        sla, under = self.sla_target_id, self.underpinning_target_id
        return self.env._(
            "%(under)s promises %(under_pct)s %% of the tickets, %(sla)s "
            "promises %(sla_pct)s %%: %(party)s may miss more often than the "
            "customer was promised.",
            under=self._label(under),
            under_pct=format(under.objective_pct, "g"),
            sla=self._label(sla),
            sla_pct=format(sla.objective_pct, "g"),
            **self._party_words(),
        )

    def _explain_not_in_force(self):
        sla, under = self.sla_target_id, self.underpinning_target_id
        agreement, sla_agreement = under.agreement_id, sla.agreement_id
        states = dict(agreement._fields["state"]._description_selection(self.env))
        values = {
            "under": self._label(under),
            "sla": self._label(sla),
            "sla_agreement": sla_agreement.display_name,
            "state": states.get(agreement.state, "").lower(),
            **self._party_words(),
        }
        if self.reason == "not_agreed":
            return self.env._(
                "%(under)s backs %(sla)s, but %(agreement)s is %(state)s, not "
                "agreed: it does not commit %(party)s yet.",
                **values,
            )
        if self.reason == "closed":
            text = self.env._(
                "%(under)s backs %(sla)s, but %(agreement)s is %(state)s: it no "
                "longer commits %(party)s.",
                **values,
            )
            if agreement.superseded_by_id:
                text += " " + self.env._(
                    "Link the target of its new revision %(revision)s instead.",
                    revision=agreement.superseded_by_id.display_name,
                )
            return text
        if self.reason == "archived":
            return self.env._(
                "%(under)s backs %(sla)s, but that target is archived: it no "
                "longer commits %(party)s.",
                **values,
            )
        if self.reason == "starts_later":
            return self.env._(
                "%(under)s backs %(sla)s, but %(agreement)s starts only on "
                "%(start)s, while %(sla_agreement)s is in force from %(sla_start)s: "
                "until then %(party)s is not committed.",
                start=format_date(self.env, agreement.date_start),
                sla_start=format_date(self.env, sla_agreement.date_start),
                **values,
            )
        if sla_agreement.date_end:
            return self.env._(
                "%(under)s backs %(sla)s, but %(agreement)s ends on %(end)s, "
                "before %(sla_agreement)s (until %(sla_end)s): after that "
                "%(party)s is not committed.",
                end=format_date(self.env, agreement.date_end),
                sla_end=format_date(self.env, sla_agreement.date_end),
                **values,
            )
        return self.env._(
            "%(under)s backs %(sla)s, but %(agreement)s ends on %(end)s, while "
            "%(sla_agreement)s is open-ended: after that %(party)s is not "
            "committed.",
            end=format_date(self.env, agreement.date_end),
            **values,
        )

    def _label(self, target):
        """E.g. 'OLA0002 resolution 16 h', 'SLA0001 availability 99.5 %'."""
        metrics = dict(target._fields["metric"]._description_selection(self.env))
        metric = metrics.get(target.metric, target.metric or "").lower()
        reference = target.agreement_id.reference or target.agreement_id.name
        if target.metric in CLOCK_METRICS:
            return self.env._(
                "%(reference)s %(metric)s %(hours)s h",
                reference=reference,
                metric=metric,
                hours=format(target.threshold_hours, "g"),
            )
        return self.env._(
            "%(reference)s %(metric)s %(objective)s %%",
            reference=reference,
            metric=metric,
            objective=format(target.objective_pct, "g"),
        )

    def _hours_label(self, target):
        if target.around_the_clock:
            return self.env._("24x7")
        calendar = target.calendar_id
        return f"{calendar.name}, {calendar.tz or 'UTC'}"

    def _zone(self):
        """The time zone examples are told in: that of the SLA target's hours."""
        for target in (self.sla_target_id, self.underpinning_target_id):
            if target and not target.around_the_clock and target.calendar_id.tz:
                return target.calendar_id.tz
        return "UTC"

    def _when(self, moment, with_zone=True, same_day_as=None):
        """E.g. 'Friday 17:00 (Europe/Brussels)'; only the time when the day
        is that of ``same_day_as``."""
        zone = self._zone()
        dt_format = "EEEE HH:mm"
        if same_day_as:
            tz = timezone(zone)
            local = utc.localize(moment).astimezone(tz).date()
            if local == utc.localize(same_day_as).astimezone(tz).date():
                dt_format = "HH:mm"
        text = format_datetime(self.env, moment, tz=zone, dt_format=dt_format)
        return f"{text} ({zone})" if with_zone else text

    def _duration(self, seconds):
        minutes = round(seconds / 60)
        hours, minutes = divmod(minutes, 60)
        if hours and minutes:
            return self.env._("%(h)s h %(m)s min", h=hours, m=minutes)
        if hours:
            return self.env._("%(h)s h", h=hours)
        return self.env._("%(m)s min", m=minutes)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_check_alignment(self):
        """Button of the report: check every SLA target now."""
        self._check_may_refresh()
        self._refresh_all()
        return {"type": "ir.actions.client", "tag": "soft_reload"}

    def _check_may_refresh(self):
        if not self.env.user.has_group("slm_catalogue.group_slm_analyst"):
            raise AccessError(
                self.env._(
                    "Only Service Level Analysts and Managers can check the "
                    "alignment of the agreements."
                )
            )

    @api.model
    def _cron_check_alignment(self, batch_size=100):
        """Scheduled action, daily: calendars and dates change without touching
        the targets, and 'starts later' depends on today. Batched
        (``ir.cron._slm_run_batches``); the check is redone whole each day."""
        self.env["ir.cron"]._slm_run_batches(
            self._checked_targets(), self._refresh, batch_size=batch_size
        )

    # ------------------------------------------------------------------
    # Refresh
    # ------------------------------------------------------------------

    @api.model
    def _refresh_all(self):
        self._refresh(self._checked_targets())

    @api.model
    def _checked_targets(self):
        """The SLA targets to check, and those with findings to clear."""
        Target = self.env["slm.target"].sudo()
        targets = Target.search(
            [("kind", "=", "sla"), ("agreement_id.state", "in", CHECKED_STATES)]
        )
        return targets | self.sudo().search([]).sla_target_id

    @api.model
    def _refresh_agreements(self, agreements):
        """After a change of agreements (status, dates): their targets, and the
        SLA targets their targets back."""
        targets = agreements.sudo().with_context(active_test=False).target_ids
        self._refresh_targets(targets)

    @api.model
    def _refresh_targets(self, targets):
        """After a change of targets: the SLA ones among them, and the SLA
        targets that the others back."""
        targets = targets.sudo().with_context(active_test=False).exists()
        sla_targets = targets.filtered(lambda t: t.kind == "sla")
        self._refresh(sla_targets | targets.underpins_target_ids)

    @api.model
    def _refresh(self, sla_targets):
        """Bring the findings of these SLA targets up to date.

        One search for the current findings, one create for the new ones, one
        unlink for the obsolete ones; a write only where a detail changed.
        """
        Issue = self.sudo()
        sla_targets = sla_targets.sudo().with_context(active_test=False).exists()
        if not sla_targets:
            return Issue
        check = _AlignmentCheck(self.env)
        wanted = {}
        for target in sla_targets:
            if target.active and target.agreement_id.state in CHECKED_STATES:
                for vals in check.findings(target):
                    wanted[vals["key"]] = vals
        existing = Issue.search([("sla_target_id", "in", sla_targets.ids)])
        current = {issue.key: issue for issue in existing}
        existing.filtered(lambda issue: issue.key not in wanted)._delete()
        new = []
        for key, vals in wanted.items():
            issue = current.get(key)
            if not issue:
                new.append(vals)
                continue
            changes = {
                name: vals[name]
                for name in DETAIL_FIELDS
                if (issue[name] or False) != (vals[name] or False)
            }
            if changes:
                issue.write(changes)
        created = Issue.create(new)
        self._invalidate_lists()
        return created

    def _delete(self):
        """Delete obsolete findings.

        In SQL: they have no attachments, followers or external ids, and
        unlink() would empty the whole ORM cache in the middle of the change
        that triggered the refresh (an agreement agreed, a target saved).
        """
        if not self:
            return
        self.flush_recordset()  # no pending computation left on deleted rows
        self.env.cr.execute(
            SQL("DELETE FROM slm_alignment_issue WHERE id IN %s", tuple(self.ids))
        )
        self.invalidate_recordset(flush=False)
        self._invalidate_lists()

    @api.model
    def _invalidate_lists(self):
        """The lists of findings on agreements and targets are read anew."""
        self.env["slm.agreement"].invalidate_model(
            ["alignment_issue_ids", "underpinning_issue_ids"]
        )
        self.env["slm.target"].invalidate_model(["alignment_issue_ids"])


class _AlignmentCheck:
    """The findings of SLA targets, with calendars read once per refresh.

    Calendars are compared over a reference period: the coming week, Monday
    00:00 UTC to the next Monday (two weeks when a calendar alternates
    weeks), in absolute time, each calendar's attendances read in its own
    time zone. Public holidays and leaves are left out: they are one-off and
    differ between countries by nature.
    """

    def __init__(self, env):
        self.env = env
        now = fields.Datetime.now()
        monday = now.date() + timedelta(days=7 - now.weekday())
        self.reference = to_seconds(datetime.combine(monday, time()))
        self.today = fields.Date.context_today(env["slm.alignment.issue"])
        self._timelines = {}

    def findings(self, target):
        """Values of the findings of one SLA target (in scope)."""
        unders = target.with_context(active_test=False).underpinning_target_ids
        if not unders:
            yield self._finding(target, None, "none")
            return
        for under in unders:
            reason = self._not_in_force(target, under)
            if reason:
                yield self._finding(target, under, "not_in_force", reason=reason)
            if under.objective_pct < target.objective_pct:
                yield self._finding(target, under, "objective")
            coverage = self._coverage(target, under)
            if coverage:
                yield self._finding(target, under, "calendar", **coverage)
            if target.metric in CLOCK_METRICS:
                lateness = self._lateness(target, under)
                if lateness:
                    yield self._finding(target, under, "threshold", **lateness)

    def _finding(self, target, under, issue_type, **details):
        vals = {
            "key": f"{target.id}-{under.id if under else 0}-{issue_type}",
            "sla_target_id": target.id,
            "underpinning_target_id": under.id if under else False,
            "issue_type": issue_type,
            "reason": False,
            "late_hours": 0.0,
            "uncovered_hours": 0.0,
            "example_date": False,
            "example_end": False,
        }
        vals.update(details)
        return vals

    # ------------------------------------------------------------------
    # The checks
    # ------------------------------------------------------------------

    def _not_in_force(self, target, under):
        sla, agreement = target.agreement_id, under.agreement_id
        if agreement.state in PREPARED_STATES:
            return "not_agreed"
        if agreement.state != "agreed":
            return "closed"
        if not under.active:
            return "archived"
        if agreement.date_start > max(sla.date_start, self.today):
            return "starts_later"
        if agreement.date_end and (
            not sla.date_end or agreement.date_end < sla.date_end
        ):
            return "ends_earlier"
        return None

    def _coverage(self, target, under):
        """Details of a narrower calendar, or None."""
        if under.around_the_clock or (
            not target.around_the_clock and target.calendar_id == under.calendar_id
        ):
            return None
        start, end = self._period(target, under)
        required = self._timeline(target, start, end, 0)
        offered = self._timeline(under, start, end, 0)
        gaps = uncovered(required, offered, start, end)
        missing = sum(b - a for a, b in gaps)
        if missing < MIN_GAP_SECONDS:
            return None
        weeks = (end - start) / WEEK
        return {
            "uncovered_hours": missing / 3600 / weeks,
            "example_date": from_seconds(gaps[0][0]),
            "example_end": from_seconds(gaps[0][1]),
        }

    def _lateness(self, target, under):
        """Details of a longer threshold, or None."""
        required_seconds = round(target.threshold_hours * 3600)
        offered_seconds = round(under.threshold_hours * 3600)
        same_hours = (target.around_the_clock and under.around_the_clock) or (
            not target.around_the_clock
            and not under.around_the_clock
            and target.calendar_id == under.calendar_id
        )
        if same_hours:
            # Same time base: the hours compare as they are.
            late = offered_seconds - required_seconds
            return {"late_hours": late / 3600} if late >= MIN_GAP_SECONDS else None
        start, end = self._period(target, under)
        required = self._timeline(target, start, end, required_seconds)
        offered = self._timeline(under, start, end, offered_seconds)
        if required is None or offered is None:
            return None  # no working time at all: the calendar check says so
        late, when = worst_lateness(
            required, required_seconds, offered, offered_seconds, start, end
        )
        if late < MIN_GAP_SECONDS:
            return None
        return {"late_hours": late / 3600, "example_date": from_seconds(when)}

    # ------------------------------------------------------------------
    # Calendars as timelines
    # ------------------------------------------------------------------

    def _period(self, target, under):
        weeks = 1
        for record in (target, under):
            if not record.around_the_clock and record.calendar_id.two_weeks_calendar:
                weeks = 2
        return self.reference, self.reference + weeks * WEEK

    def _timeline(self, target, start, end, seconds):
        """Working time of a target from a day before ``start`` to far enough
        after ``end`` that a clock started in [start, end) with ``seconds`` to
        use finds its deadline. None when it has no working time."""
        period = end - start
        if target.around_the_clock:
            return Timeline([(start - DAY, end + seconds + period)])
        calendar = target.calendar_id
        base = self._calendar_timeline(calendar, start - DAY, end + DAY)
        per_period = base.business_between(start, end)
        if not seconds:
            return base
        if not per_period:
            return None
        periods = math.ceil(seconds / per_period) + 1
        return self._calendar_timeline(
            calendar, start - DAY, end + periods * period + DAY
        )

    def _calendar_timeline(self, calendar, start, end):
        key = (calendar.id, start, end)
        if key not in self._timelines:
            intervals = attendance_intervals(
                calendar,
                utc.localize(from_seconds(start)),
                utc.localize(from_seconds(end)),
            )
            self._timelines[key] = Timeline(
                [
                    (
                        to_seconds(begin.astimezone(utc).replace(tzinfo=None)),
                        to_seconds(finish.astimezone(utc).replace(tzinfo=None)),
                    )
                    for begin, finish, _attendance in intervals
                ]
            )
        return self._timelines[key]
