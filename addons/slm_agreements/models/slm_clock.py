# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from collections import defaultdict
from datetime import timedelta

import babel.dates
import psycopg2
import pytz
from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL, format_datetime, mute_logger
from odoo.tools.misc import babel_locale_parse, get_lang

from ..tools.business_time import BusinessTime
from ..tools.clock_engine import (
    ACTIVE,
    OVER_BUDGET,
    PAUSED,
    Segment,
    business_day_deadline,
    compute_clock,
    explain_spans,
    pause_pieces,
    reopen_cycles,
    reply_cycles,
    share_seconds,
    stopped_counting_since,
    update_cycles,
)

# A clock's statuses: also those a superseded result or a recomputation's
# preview records (slm.clock.revision, slm.recompute.line).
STATUSES = [
    ("running", "Running"),
    ("paused", "Paused"),
    ("met", "Met"),
    ("breached", "Breached"),
    ("cancelled", "Cancelled"),
    ("error", "Error"),
]
SETTLED = ("met", "breached")
# Statuses whose alerts the breach scan fires (see ``_alert_candidates``).
ALERTING = ("running", "breached", "paused")
# Key of the clock batch cache (``_compute_values``) holding the approved
# negotiated deadlines of the batch's tickets (negotiated deadline rule 4).
NEGOTIATED_KEY = "slm.deadline.proposal"
# What the ticket form shows of a clock (clock display rules 2 and 5): a
# change of these is announced to the forms; the hourly refresh of the time
# used by a running clock is not (its time left is read from the deadline).
SHOWN_FIELDS = {"status", "at_risk", "deadline", "stop", "paused_since", "excused"}
# The values of a clock a person's recomputation or an approved deadline may
# supersede, kept as measured and as recomputed by its revisions
# (``slm.clock.revision``: recomputation rule 4, negotiated deadline rule 9),
# the pause budget figures included (pause budget rule 8).
REVISED_FIELDS = (
    "status",
    "deadline",
    "stop",
    "used_seconds",
    "paused_seconds",
    "settled_date",
    "period_date",
    "pause_budget_exceeded",
    "over_budget_seconds",
)


def format_business_duration(seconds):
    """Business seconds as hours and minutes, "3:05" (clock display rule 2)."""
    minutes = int(seconds) // 60
    return f"{minutes // 60}:{minutes % 60:02d}"


_logger = logging.getLogger(__name__)


class SlmClock(models.Model):
    """One target running on one ticket: deadline, time used, status.

    Stored and indexed so that reports and the breach scan filter in SQL.
    Computed from the ticket's event history (``slm.ticket.event``).
    """

    _name = "slm.clock"
    _inherit = ["slm.system.data.mixin"]
    _description = "Service Level Clock"
    _order = "deadline, id"
    _rec_name = "target_id"

    ticket_id = fields.Many2one(
        "helpdesk.ticket", required=True, index=True, ondelete="cascade"
    )
    target_id = fields.Many2one(
        "slm.target", required=True, index=True, ondelete="cascade"
    )
    agreement_id = fields.Many2one(
        "slm.agreement", required=True, index=True, ondelete="cascade"
    )
    # Precomputed: in the clock's INSERT, not an UPDATE after it.
    agreement_kind = fields.Selection(
        related="agreement_id.kind", store=True, precompute=True
    )
    metric = fields.Selection(related="target_id.metric", store=True, precompute=True)
    threshold_hours = fields.Float(related="target_id.threshold_hours")
    cycle = fields.Integer(
        default=0,
        readonly=True,
        help="Which cycle of the target on the ticket this clock measures, from "
        "0: a resolution clock whose reopening starts a new cycle (clock rule "
        "15) has one clock per cycle, each a result of its own (clock rule 12).",
    )
    status = fields.Selection(
        STATUSES,
        required=True,
        default="running",
        index=True,
        help="Running: time accrues. Paused: the ticket waits in a pausing stage. "
        "Met: stopped at or before the deadline. Breached: the deadline passed "
        "before it stopped. Cancelled: the target no longer applies (kept for "
        "history). Error: the clock could not be computed from the target's "
        "settings (see its error); the ticket was saved all the same.",
    )
    error_message = fields.Char(
        string="Error",
        readonly=True,
        copy=False,
        help="Why the clock could not be computed (e.g. a threshold the working "
        "calendar cannot reach, an unknown time zone). Fix the target or its "
        "calendar, then recompute the clocks.",
    )
    at_risk = fields.Boolean(
        index=True,
        help="The warning share of the target's threshold is used up and the "
        "clock is still running.",
    )
    excused = fields.Boolean(
        index=True,
        readonly=True,
        copy=False,
        help="The breach of this clock is excused by a Service Level Manager "
        "(customer-caused delay, force majeure, agreed maintenance): it does not "
        "count in attainment, and is shown apart as excused.",
    )
    start = fields.Datetime(required=True, help="When the clock started.")
    deadline = fields.Datetime(
        index=True,
        help="When the threshold of business time is used up, every pause "
        "pushing it further. Empty while the ticket waits in a pausing stage.",
    )
    warning_at = fields.Datetime(
        index=True, help="When the warning share of the threshold is used up."
    )
    stop = fields.Datetime(help="When the clock stopped (reply or closing).")
    used_seconds = fields.Integer(help="Business time counted, in seconds.")
    paused_seconds = fields.Integer(
        help="Business time spent in pausing stages, in seconds: it does not count."
    )
    used_hours = fields.Float(compute="_compute_hours", string="Used (h)")
    paused_hours = fields.Float(compute="_compute_hours", string="Paused (h)")
    # Pause budget rules: what the engine says of the target's pause budget.
    pause_budget_exhausted_at = fields.Datetime(
        string="Pause Budget Runs Out",
        readonly=True,
        copy=False,
        help="When the business time paused reached the target's pause budget "
        "(or, while the ticket waits, will reach it): from then on the clock "
        "counts in the pausing stages too. Empty: the budget was not used up "
        "(or the target has none).",
    )
    pause_budget_exceeded = fields.Boolean(
        readonly=True,
        copy=False,
        index=True,
        help="The pause budget of the target ran out while the ticket was "
        "paused (pause budget rules): the clock counted again in the pausing "
        "stage.",
    )
    over_budget_seconds = fields.Integer(
        string="Paused beyond Budget (s)",
        readonly=True,
        copy=False,
        help="Business time spent in pausing stages beyond the pause budget, "
        "in seconds: it counted (it is part of the time used).",
    )
    over_budget_hours = fields.Float(
        compute="_compute_hours",
        string="Paused beyond Budget (h)",
        help="Business hours spent in pausing stages beyond the pause budget; "
        "they counted.",
    )
    pause_budget_alerted = fields.Boolean(
        readonly=True,
        copy=False,
        help="The assignee and the Service Level Manager were told that the "
        "pause budget ran out (once per clock).",
    )
    settled_date = fields.Datetime(
        index=True,
        help="When the result became final: the stop for a met clock, the "
        "deadline for a breached one. Attainment counts clocks by this date.",
    )
    # Period rule: the local day and month of the settlement in the agreement's
    # time zone. Stored (reports group by them) and kept by the ORM whenever
    # the settlement or the agreement's time zone changes.
    period_day = fields.Date(
        string="Settled on",
        compute="_compute_period",
        store=True,
        precompute=True,
        index=True,
        help="The day of the settlement in the agreement's time zone (period "
        "rule). Empty while the clock is not settled.",
    )
    period_date = fields.Date(
        string="Month",
        compute="_compute_period",
        store=True,
        precompute=True,
        index=True,
        help="First day of the month of the settlement in the agreement's time "
        "zone: the month in which attainment counts this clock (period rule).",
    )
    time_left_hours = fields.Float(
        compute="_compute_time_left",
        string="Time Left (h)",
        help="Business hours left (threshold minus time used); negative when "
        "overdue. Paused: the time left when it paused. Met: the margin.",
    )
    paused_since = fields.Datetime(
        readonly=True,
        help="When the clock stopped counting (pausing stage, ticket with "
        "another team); empty unless paused.",
    )
    display_state = fields.Selection(
        [
            ("on_track", "On track"),
            ("at_risk", "At risk"),
            ("breached", "Breached"),
            ("paused", "Paused"),
            ("met", "Met"),
            ("cancelled", "Cancelled"),
            ("error", "Error"),
        ],
        string="State",
        compute="_compute_time_left",
        help="On track, at risk (warning share used), breached (overdue), "
        "paused, met (clock display rule 1).",
    )
    time_left_label = fields.Char(
        string="Time Left",
        compute="_compute_time_left",
        help="Business time left, overdue, frozen while paused, or the margin "
        "of a met clock (clock display rule 2).",
    )
    computed_at = fields.Datetime(help="When the clock was last computed.")
    # Negotiated deadline rules 4 and 7: computed with the clock from the
    # approved proposal (``_compute_values``), never written by hand.
    negotiated_deadline = fields.Datetime(
        readonly=True,
        copy=False,
        help="The deadline approved by a Service Level Manager (or accepted by "
        "the customer): the clock is measured against it (negotiated deadline "
        "rule 4).",
    )
    original_deadline = fields.Datetime(
        readonly=True,
        copy=False,
        help="The deadline the target's threshold gives, kept when a "
        "negotiated deadline replaces it (empty while the clock waits in a "
        "pausing stage).",
    )
    negotiated = fields.Boolean(
        compute="_compute_negotiated",
        store=True,
        index=True,
        help="Measured against a negotiated deadline: the result is flagged "
        "so in every report and statement (negotiated deadline rule 7).",
    )
    deadline_proposal_ids = fields.One2many(
        "slm.deadline.proposal", "clock_id", string="Deadline Proposals"
    )
    hours_tz = fields.Char(
        string="Hours Read In",
        compute="_compute_hours_tz",
        help="The time zone in which the target's working hours are read for "
        "this ticket: the calendar's, or the customer's when the target says "
        "so (customer calendar rule 1). Its instants are shown in it.",
    )
    timeline_html = fields.Html(
        string="Timeline",
        compute="_compute_timeline_html",
        sanitize=False,
        help="Why the clock shows what it shows: its segments (counting, "
        "paused, closed, with another team) with their business time, the "
        "events of the ticket that started, paused, resumed or stopped it, "
        "its warning and escalation instants and how its deadline was "
        "derived (clock rule 19).",
    )
    revision_ids = fields.One2many(
        "slm.clock.revision",
        "clock_id",
        string="Superseded Results",
        groups="slm_catalogue.group_slm_user",
        help="The results this clock had before a person's recomputation "
        "changed them: who, when and why (recomputation rule 4).",
    )
    # Alerts (breach scan): which levels were alerted, when the next one is due.
    alert_pct = fields.Float(
        string="Alerted up to (%)",
        readonly=True,
        copy=False,
        help="The highest share of the threshold already alerted (warning, "
        "breach, escalation levels). Each level is alerted once.",
    )
    next_alert_at = fields.Datetime(
        string="Next Alert",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="When the next warning, breach or escalation level of this clock "
        "is due. The breach scan looks only at clocks whose next alert is due.",
    )
    scan_error = fields.Char(
        readonly=True,
        copy=False,
        help="Why the breach scan could not process this clock the last time it "
        "tried (it tries again an hour later).",
    )
    # The inverse of slm.breach.clock_id (one breach per clock): a clock's
    # write finds the breaches whose related fields follow it from the
    # prefetched cache, in one query for a batch, not one search per clock.
    breach_ids = fields.One2many("slm.breach", "clock_id", string="Breach Records")
    # Copies of the ticket's attributes at computation, for reports and filters.
    partner_id = fields.Many2one("res.partner", string="Customer", index=True)
    service_id = fields.Many2one("slm.service", index=True)
    team_id = fields.Many2one("helpdesk.ticket.team", index=True)
    company_id = fields.Many2one("res.company", index=True)

    _sql_constraints = [
        (
            "ticket_target_uniq",
            "unique(ticket_id, target_id, cycle)",
            "A ticket has one clock per target and cycle.",
        ),
    ]

    # ------------------------------------------------------------------
    # Measurement is system data (access rule 1, slm_agreements' USAGE.md)
    # ------------------------------------------------------------------

    def _system_data_error(self):
        return self.env._(
            "Service level clocks are computed from the tickets' history "
            "and cannot be created, changed or deleted by hand. To "
            "correct them, a Service Level Manager uses Recompute Clocks "
            "on the ticket or the agreement (logged)."
        )

    @api.model_create_multi
    def create(self, vals_list):
        clocks = super().create(vals_list)
        clocks.ticket_id._slm_notify_clocks_changed()
        # Pause reason rule 6: no query for clocks that never paused.
        clocks.filtered("paused_seconds")._slm_sync_pauses()
        return clocks

    def write(self, vals):
        res = super().write(vals)
        if SHOWN_FIELDS.intersection(vals):
            self.ticket_id._slm_notify_clocks_changed()
        return res

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("used_seconds", "paused_seconds", "over_budget_seconds")
    def _compute_hours(self):
        for clock in self:
            clock.used_hours = clock.used_seconds / 3600
            clock.paused_hours = clock.paused_seconds / 3600
            clock.over_budget_hours = clock.over_budget_seconds / 3600

    @api.depends("negotiated_deadline")
    def _compute_negotiated(self):
        for clock in self:
            clock.negotiated = bool(clock.negotiated_deadline)

    @api.depends("settled_date", "status", "agreement_id.tz")
    def _compute_period(self):
        for clock in self:
            settled = clock.status in SETTLED and clock.settled_date
            clock.period_day, clock.period_date = (
                clock.agreement_id._period_keys(settled) if settled else (False, False)
            )

    @api.model
    def _attainment_counts(self, domain, groupby=()):
        """Attainment of the settled clocks matching ``domain``, per group.

        The one source of every attainment figure (period rule): groups on
        the stored period keys (``period_date:month``, ``period_day:day``...)
        or any other field, and returns ``{key: {"met", "breached",
        "excused", "measured", "attainment"}}`` where ``key`` is the tuple
        of the group values (ids for relational fields; ``()`` without
        ``groupby``), plus ``"negotiated"``: how many of the settled results
        were measured against a negotiated deadline. Excused breaches are
        counted apart; ``attainment`` is
        met / (met + breached) in %, None when nothing was measured: always a
        ratio of summed counts, never an average of percentages. Read with
        the caller's rights (``sudo()`` to report an agreement as a whole).
        """
        groupby = list(groupby)
        rows = self._read_group(
            list(domain)
            + [("status", "in", list(SETTLED)), ("period_date", "!=", False)],
            groupby + ["status", "excused", "negotiated"],
            ["__count"],
        )
        return self._attainment_from_rows(rows)

    @api.model
    def _attainment_from_rows(self, rows):
        """The counting of ``_attainment_counts`` on grouped rows
        ``(*group values, status, excused, negotiated, count)`` of settled
        clocks: also
        applied to clock values not stored (yet), as the preview of a
        recomputation does (recomputation rule 2)."""
        result = {}
        for row in rows:
            *values, status, excused, negotiated, count = row
            key = tuple(
                value.id if isinstance(value, models.BaseModel) else value
                for value in values
            )
            counts = result.setdefault(
                key,
                {"met": 0, "breached": 0, "excused": 0, "measured": 0, "negotiated": 0},
            )
            if negotiated:
                # Negotiated deadline rule 7: counted as usual, flagged apart.
                counts["negotiated"] += count
            if status == "met":
                counts["met"] += count
            elif excused:
                counts["excused"] += count
            else:
                counts["breached"] += count
        for counts in result.values():
            counts["measured"] = counts["met"] + counts["breached"]
            counts["attainment"] = (
                100.0 * counts["met"] / counts["measured"]
                if counts["measured"]
                else None
            )
        return result

    @api.depends(
        "deadline", "status", "stop", "used_seconds", "at_risk", "paused_since"
    )
    def _compute_time_left(self):
        """Business time left, from the stored clock and the engine's business
        time (clock display rules 1-4): never wall-clock time."""
        now = fields.Datetime.now().replace(microsecond=0)
        left = self._business_seconds_left(now)
        for clock in self:
            seconds = left.get(clock.id)
            clock.time_left_hours = (seconds or 0) / 3600
            clock.display_state = state = clock._display_state(seconds, now)
            clock.time_left_label = clock._time_left_text(state, seconds)

    def _business_seconds_left(self, now):
        """{clock id: business seconds left} (negative: overdue; met: the
        margin at the stop). Running: business time from now to the deadline,
        which is the threshold minus the time used by now (the clock counts
        until then); paused: the threshold minus the time used when it paused;
        breached: minus the business time from the deadline to the stop (or
        now). One business time per calendar for the whole set."""
        cache = {}
        Clock = self.env["slm.clock"].sudo()
        result = {}
        for clock in self.sudo():
            if clock.status in ("cancelled", "error") or not clock.target_id:
                # An error clock cannot be computed (fail-soft rule 1): its
                # message says why, there is no time left to show.
                continue
            bt = Clock._business_time(clock.ticket_id, clock.target_id, cache)
            deadline = clock.deadline
            # A negotiated deadline is a fixed instant (negotiated deadline
            # rule 4): the time left runs to it, paused or not.
            if (clock.status == "paused" and not clock.negotiated) or not deadline:
                threshold = Clock._threshold_seconds(
                    clock.ticket_id, clock.target_id, clock.start, cache
                )
                result[clock.id] = threshold - clock.used_seconds
            elif clock.status == "met":
                result[clock.id] = bt.elapsed(clock.stop, deadline)
            else:
                end = min(clock.stop or now, now)
                result[clock.id] = (
                    bt.elapsed(end, deadline)
                    if end <= deadline
                    else -bt.elapsed(deadline, end)
                )
        return result

    def _display_state(self, seconds, now):
        """The clock's state in the suite's words (clock display rule 1)."""
        self.ensure_one()
        if self.status in ("met", "paused", "cancelled", "breached", "error"):
            return self.status
        if self.deadline and self.deadline < now:
            return "breached"  # overdue: the scan will record it
        return "at_risk" if self.at_risk else "on_track"

    def _time_left_text(self, state, seconds):
        """Short text of the time left (clock display rule 2)."""
        self.ensure_one()
        _ = self.env._
        if state == "error":
            return self.error_message or _("Cannot be computed")
        if state == "cancelled" or seconds is None:
            return _("Cancelled") if state == "cancelled" else ""
        amount = format_business_duration(abs(seconds))
        if state == "met":
            return _("Met, %(amount)s to spare", amount=amount)
        if state == "breached" or seconds < 0:
            if self.stop:
                return _("Breached by %(amount)s", amount=amount)
            return _("Overdue by %(amount)s", amount=amount)
        if state == "paused":
            if self.paused_since:
                return _(
                    "Paused since %(since)s, %(amount)s left",
                    since=format_datetime(
                        self.env, self.paused_since, dt_format="short"
                    ),
                    amount=amount,
                )
            return _("Paused, %(amount)s left", amount=amount)
        return _("%(amount)s left", amount=amount)

    # ------------------------------------------------------------------
    # Explainable timeline (clock rule 19)
    # ------------------------------------------------------------------

    def _compute_hours_tz(self):
        Clock = self.env["slm.clock"]
        for clock in self:
            target = clock.sudo().target_id
            # The ticket's customer is read only for a target in its zone.
            clock.hours_tz = (
                Clock._hours_zone(target, Clock._customer_of(clock.ticket_id, target))
                if target
                else "UTC"
            )

    def _compute_timeline_html(self):
        now = fields.Datetime.now().replace(microsecond=0)
        for clock in self:
            clock.timeline_html = (
                clock._timeline_html(now)
                if clock.id and clock.status != "error" and clock.start
                else False
            )

    def _timeline(self, now):
        """The data of this clock's timeline, from the same history and
        engine as the clock: segments, events, alert instants, deadline."""
        self.ensure_one()
        clock = self.sudo()
        ticket, target = clock.ticket_id, clock.target_id
        cache = {}
        history = self._load_history(ticket)[ticket.id]
        segments = self._clock_segments(target, history)
        bt = self._business_time(ticket, target, cache)
        stop = clock.stop or None
        spans = explain_spans(
            bt,
            clock.start,
            segments,
            stop,
            now,
            pause_budget=target._pause_budget_seconds(),
        )
        threshold = self._threshold_seconds(ticket, target, clock.start, cache)
        values = self._cycle_values(
            ticket, target, bt, clock.start, stop, None, segments, now, cache
        )
        # Pause reason rule 5: the paused time by reason, from the same spans.
        pieces = pause_pieces(
            bt,
            clock.start,
            segments,
            stop,
            now,
            self._pause_marks(history),
            pause_budget=target._pause_budget_seconds(),
        )
        end = min(stop or now, now)
        events = (
            self.env["slm.ticket.event"]
            .sudo()
            .search(
                [
                    ("ticket_id", "=", ticket.id),
                    ("date", ">=", clock.start),
                    ("date", "<=", end),
                ]
            )
        )
        pushed = (
            bt.elapsed(clock.start, clock.deadline) - threshold
            if clock.deadline
            else None
        )
        # The logged recomputations by a person (their own subtype).
        recomputations = (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", "helpdesk.ticket"),
                    ("res_id", "=", ticket.id),
                    (
                        "subtype_id",
                        "=",
                        self.env.ref("slm_agreements.mt_slm_clocks_recomputed").id,
                    ),
                ],
                order="date, id",
            )
        )
        return {
            "spans": spans,
            "events": events,
            "threshold": threshold,
            "pushed": pushed,
            "levels": values.get("_level_times", []),
            "recomputations": recomputations,
            "pieces": pieces,
            "pause_budget": target._pause_budget_seconds(),
            "budget_exhausted_at": values.get("pause_budget_exhausted_at"),
        }

    def _timeline_message(self, message):
        """Which message an event stands for: its author and the start of its
        text, linked to the message (clock rule 19)."""
        if not message:
            return ""
        return Markup('<a href="/mail/message/%s">%s: %s</a>') % (
            message.id,
            message.author_id.name or message.email_from or "",
            message.preview or "",
        )

    def _timeline_html(self, now):
        """The timeline as HTML (values escaped): how the deadline was
        derived, when it was computed, the warning and escalation instants,
        the segments, the events, the paused time by reason."""
        self.ensure_one()
        data = self._timeline(now)
        return (
            Markup("<p>%s</p>") % self._timeline_derivation(data)
            + self._timeline_computed_html(data)
            + self._timeline_levels_html(data)
            + self._timeline_segments_html(data)
            + self._timeline_events_html(data)
            + self._timeline_reasons_html(data["pieces"])
        )

    def _timeline_computed_html(self, data):
        _ = self.env._
        if not data["recomputations"]:
            return Markup("<p>%s</p>") % _(
                "Last computed %(when)s; never recomputed by a person.",
                when=self._format_moment(self.computed_at),
            )
        return Markup("<p>%s</p><ul>%s</ul>") % (
            _(
                "Last computed %(when)s. Recomputed by a person:",
                when=self._format_moment(self.computed_at),
            ),
            Markup("").join(
                Markup("<li>%s, %s</li>")
                % (self._format_moment(log.date), log.author_id.name or "")
                for log in data["recomputations"]
            ),
        )

    def _timeline_levels_html(self, data):
        _ = self.env._
        rows = [
            Markup("<li>%s</li>")
            % _(
                "%(pct)s %% of the threshold: %(when)s",
                pct=format(pct, "g"),
                when=self._format_moment(moment),
            )
            for pct, _level, moment in data["levels"]
        ]
        if data["pause_budget"] is not None:
            budget = format_business_duration(data["pause_budget"])
            rows.append(
                Markup("<li>%s</li>")
                % (
                    _(
                        "Pause budget %(budget)s: ran out %(when)s",
                        budget=budget,
                        when=self._format_moment(data["budget_exhausted_at"]),
                    )
                    if data["budget_exhausted_at"]
                    else _("Pause budget %(budget)s: not used up", budget=budget)
                )
            )
        return Markup("<h5>%s</h5><ul>%s</ul>") % (
            _("Warning and escalation"),
            Markup("").join(rows),
        )

    def _timeline_segments_html(self, data):
        _ = self.env._
        states = {
            ACTIVE: _("Counting"),
            PAUSED: _("Paused (pausing stage)"),
            OVER_BUDGET: _("Paused, over budget: counting"),
            "closed": _("Closed"),
            "away": _("With another team"),
        }
        rows = [
            Markup("<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>")
            % (
                self._format_moment(begin),
                self._format_moment(end),
                states.get(state, state),
                format_business_duration(seconds),
            )
            for begin, end, state, seconds in data["spans"]
        ]
        head = Markup("<tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>") % (
            _("From"),
            _("Until"),
            _("State"),
            _("Business time"),
        )
        return Markup("<h5>%s</h5><table class='table table-sm'>%s%s</table>") % (
            _("Segments"),
            head,
            Markup("").join(rows),
        )

    def _timeline_events_html(self, data):
        _ = self.env._
        types = dict(
            self.env["slm.ticket.event"]
            ._fields["event_type"]
            ._description_selection(self.env)
        )
        rows = [
            Markup(
                "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
                "<td>%s</td></tr>"
            )
            % (
                self._format_moment(event.date),
                types.get(event.event_type, event.event_type),
                event.stage_id.name or event.team_id.name or "",
                event.sudo().reason_id.name or "",
                event.user_id.name or "",
                self._timeline_message(event.sudo().message_id),
            )
            for event in data["events"]
        ]
        head = Markup(
            "<tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
            "<th>%s</th></tr>"
        ) % (
            _("When"),
            _("What"),
            _("Stage or team"),
            _("Pause reason"),
            _("By"),
            _("Message"),
        )
        return Markup("<h5>%s</h5><table class='table table-sm'>%s%s</table>") % (
            _("Events"),
            head,
            Markup("").join(rows),
        )

    def _timeline_reasons_html(self, pieces):
        """Paused business time by pause reason (pause reason rule 5): the
        pieces of the paused segments, by the reason of the move that paused
        the ticket; they add up to the paused segments."""
        _ = self.env._
        events = (
            self.env["slm.ticket.event"]
            .sudo()
            .browse({key for _b, _e, key, _s in pieces if key})
        )
        reason_of = {event.id: event.reason_id for event in events}
        totals = {}
        for _begin, _end, key, seconds in pieces:
            reason = reason_of.get(key) or self.env["slm.pause.reason"]
            totals[reason] = totals.get(reason, 0) + seconds
        if not totals:
            return Markup("")
        rows = [
            Markup("<tr><td>%s</td><td>%s</td></tr>")
            % (
                reason.name or _("No reason given"),
                format_business_duration(seconds),
            )
            for reason, seconds in sorted(
                totals.items(), key=lambda item: (item[0].sequence, item[0].id)
            )
        ]
        return Markup("<h5>%s</h5><table class='table table-sm'>%s%s</table>") % (
            _("Paused time by reason"),
            Markup("<tr><th>%s</th><th>%s</th></tr>")
            % (_("Pause reason"), _("Business time")),
            Markup("").join(rows),
        )

    def _timeline_derivation(self, data):
        """How the deadline follows from the start, the threshold and the time
        not counted (of ``_timeline``), in words."""
        _ = self.env._
        target = self.sudo().target_id
        if target.threshold_unit == "business_days":
            threshold_text = _(
                "the business time from the start to the end of business day "
                "%(days)s: %(amount)s",
                days=target.business_days,
                amount=format_business_duration(data["threshold"]),
            )
        else:
            threshold_text = format_business_duration(data["threshold"])
        if self.negotiated:
            # Negotiated deadline rule 4: a fixed instant, not derived.
            text = _(
                "Deadline %(deadline)s negotiated (approved proposal), a fixed "
                "instant that pauses do not move; the threshold %(threshold)s "
                "gave %(original)s.",
                deadline=self._format_moment(self.deadline),
                threshold=threshold_text,
                original=self._format_moment(self.original_deadline),
            )
        elif self.deadline:
            text = _(
                "Deadline %(deadline)s = start %(start)s + threshold %(threshold)s "
                "of business time + %(pushed)s of business time not counted "
                "(paused within the pause budget, closed, with another team).",
                deadline=self._format_moment(self.deadline),
                start=self._format_moment(self.start),
                threshold=threshold_text,
                pushed=format_business_duration(data["pushed"] or 0),
            )
        else:
            text = _(
                "No deadline while the clock waits: start %(start)s, threshold "
                "%(threshold)s, %(used)s used so far.",
                start=self._format_moment(self.start),
                threshold=threshold_text,
                used=format_business_duration(self.used_seconds),
            )
        if target.around_the_clock:
            return text
        # Customer calendar rule 4: the zone the hours are read in.
        return _(
            "%(text)s Business hours of %(calendar)s in %(tz)s.",
            text=text,
            calendar=target.calendar_id.name,
            tz=self.hours_tz or "UTC",
        )

    def action_slm_open_timeline(self):
        """The clock's form, on its timeline (from a breach or the ticket)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "slm.clock",
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Clock Timeline"),
        }

    def action_slm_propose_deadline(self):
        """The wizard proposing a new deadline for this clock (negotiated
        deadline rule 1); the proposal checks what may be proposed."""
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": "slm.deadline.proposal.wizard",
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Propose a New Deadline"),
            "context": {"default_clock_id": self.id},
        }

    def action_slm_view_deadline_proposals(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "slm_agreements.slm_deadline_proposal_action"
        )
        action["domain"] = [("clock_id", "=", self.id)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------------
    # Computation from history
    # ------------------------------------------------------------------

    @api.model
    def _compute_values(self, pairs, now=None, history=None, negotiated=None):
        """Clock values for (ticket, target) pairs, from the tickets' events.

        Set-based: one query for the events of all tickets, one business-time
        window per calendar. Returns a list of value dicts, in ``pairs`` order.
        ``history``: the tickets' history when the caller has read it already
        (``_load_history``); ``negotiated``: their approved deadlines, when
        known (``{}``: none, nothing to read).
        """
        if not pairs:
            return []
        now = now or fields.Datetime.now()
        tickets = self.env["helpdesk.ticket"].browse({t.id for t, _target in pairs})
        # Their settings from the registry's cache (clock rule 21): no query.
        # Only a shortcut: if it fails the clocks read them (fail-soft rule 1).
        try:
            self.env["slm.target"].browse(
                {target.id for _t, target in pairs}
            )._slm_prefetch_engine_settings()
        except psycopg2.Error:
            raise
        except Exception:  # pylint: disable=broad-except
            _logger.exception("Clocks: settings not taken from the cache")
        if not history:
            history = self._load_history(tickets)
        if negotiated is None:
            negotiated = self._load_negotiated_deadlines(tickets)
        negotiated = {NEGOTIATED_KEY: negotiated}
        # A setting must never stop the helpdesk (fail-soft rule 1): a clock
        # that cannot be computed gets the error status. Python errors are
        # caught per clock; a database error inside one computation is isolated
        # by redoing the batch one clock per savepoint.
        cr = self.env.cr
        try:
            with cr.savepoint(flush=False):
                return self._compute_pairs(pairs, history, dict(negotiated), now)
        except psycopg2.Error:
            _logger.info("Clocks: a computation failed, isolating the cause")
        self.env.invalidate_all()
        results = []
        for pair in pairs:
            try:
                with cr.savepoint(flush=False):
                    results += self._compute_pairs(
                        [pair], history, dict(negotiated), now
                    )
            except psycopg2.Error as error:
                self.env.invalidate_all()
                results.append(self._error_values(*pair, history, error, now))
        return results

    @api.model
    def _compute_pairs(self, pairs, history, calendars, now):
        """``_compute_values`` of a batch; a clock that fails gets its error."""
        results = []
        for ticket, target in pairs:
            try:
                bt = self._business_time(ticket, target, calendars)
                vals = self._compute_one(
                    ticket, target, history[ticket.id], bt, now, cache=calendars
                )
            except psycopg2.Error:
                raise
            except Exception as error:  # pylint: disable=broad-except
                vals = self._error_values(ticket, target, history, error, now)
            else:
                vals.setdefault("error_message", False)
            results.append(vals)
        return results

    @api.model
    def _error_values(self, ticket, target, history, error, now):
        """Values of a clock that cannot be computed (fail-soft rule 1)."""
        _logger.warning(
            "Clock of target %s on ticket %s cannot be computed: %s",
            target.id,
            ticket.id,
            error,
            exc_info=True,
        )
        events = history.get(ticket.id) or []
        start = events[0]["date"] if events else ticket.create_date or now
        detail = error.args[0] if getattr(error, "args", None) else repr(error)
        message = self.env._(
            "%(target)s cannot be computed (%(detail)s). Check the target's "
            "threshold and its working calendar (time zone, working hours), then "
            "recompute the clocks.",
            target=target.display_name,
            detail=str(detail)[:200] or type(error).__name__,
        )
        return {
            "status": "error",
            "error_message": message[:250],
            "start": start,
            "deadline": False,
            "warning_at": False,
            "stop": False,
            "used_seconds": 0,
            "paused_seconds": 0,
            "over_budget_seconds": 0,
            "pause_budget_exhausted_at": False,
            "pause_budget_exceeded": False,
            "settled_date": False,
            "at_risk": False,
            "computed_at": now,
            "_level_times": [],
        }

    def _slm_notify_errors(self):
        """One activity for the Service Level Manager of each agreement with
        clocks in error, unless one is still open (fail-soft rule 2)."""
        errors = self.filtered(lambda c: c.status == "error")
        if not errors:
            return
        activity_type = self.env.ref(
            "slm_agreements.mail_activity_type_slm_clock_error",
            raise_if_not_found=False,
        )
        agreements = errors.agreement_id.sudo()
        if not activity_type or not agreements:
            return
        open_ones = set(
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "slm.agreement"),
                    ("res_id", "in", agreements.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
            .mapped("res_id")
        )
        for agreement in agreements:
            user = agreement.provider_user_id
            if agreement.id in open_ones or not user:
                continue
            clocks = errors.filtered(lambda c, a=agreement: c.agreement_id == a)
            agreement.activity_schedule(
                act_type_xmlid="slm_agreements.mail_activity_type_slm_clock_error",
                user_id=user.id,
                summary=self.env._(
                    "Clocks cannot be computed: check the targets' settings"
                ),
                note=Markup("<br/>").join(
                    {clock.error_message or "" for clock in clocks}
                ),
            )

    @api.model
    def _business_time(self, ticket, target, cache):
        """The ``BusinessTime`` in which ``target``'s clock on ``ticket`` counts.

        ``cache`` is shared by a whole batch: one object per distinct calendar,
        time zone and holiday set (customer calendar rules 1 and 3) and set of
        temporary changes (extra support hours, maintenance windows of the
        agreement governing the clock: ``slm.adjustment``).
        """
        partner = self._customer_of(ticket, target)
        base, key = self._target_hours(target, partner, cache)
        return self.env["slm.adjustment"]._clock_business_time(
            base,
            key,
            ticket,
            target,
            cache,
            zone=self._customer_zone(target, partner),
        )

    @api.model
    def _target_hours(self, target, partner, cache):
        """(``BusinessTime``, cache key) of ``target``'s service hours for the
        customer ``partner`` (a ticket's, or the agreement's): its calendar in
        the customer's time zone when the target says so (customer calendar
        rule 1), minus the holidays of its agreement (customer calendar rule
        3). One object per distinct (calendar, zone, holiday set) in ``cache``:
        no query per ticket."""
        if target.around_the_clock:
            if False not in cache:
                cache[False] = BusinessTime.around_the_clock()
            return cache[False], False
        target = target.sudo()
        calendar = target.calendar_id
        agreement = target.agreement_id
        zone = self._hours_zone(target, partner)
        if zone == calendar.tz:
            zone = None  # the calendar's own zone: shared with other targets
        holidays = agreement.holiday_calendar_id
        replace = bool(holidays) and agreement.holiday_mode == "replace"
        key = self._calendar_key(
            calendar, agreement.company_id, zone, holidays, replace
        )
        if key not in cache:
            # Its working time from the registry's cache, by blocks of weeks:
            # no query and no calendar arithmetic per transaction.
            args = (
                calendar.id,
                calendar.tz,
                (calendar.company_id or agreement.company_id).id,
                zone,
                holidays.id,
                replace,
            )
            Calendar = self.env["resource.calendar"]
            cache[key] = BusinessTime.for_calendar(
                calendar,
                company=agreement.company_id,
                tz=zone,
                holidays=holidays,
                replace=replace,
                blocks=lambda block: Calendar._slm_business_block(*args, block),
            )
        return cache[key], key

    @api.model
    def _customer_of(self, ticket, target):
        """The ticket's customer when ``target`` reads its hours in the
        customer's zone (read only then: no query for the other targets)."""
        if target.sudo().customer_tz and not target.around_the_clock:
            return ticket.sudo().partner_id
        return self.env["res.partner"]

    @api.model
    def _hours_zone(self, target, partner):
        """Name of the time zone in which ``target``'s working hours are read
        for the customer ``partner`` (customer calendar rules 1 and 2): the
        calendar's; with *Customer's Time Zone*, the customer's own zone, else
        that of the customer's company (its commercial partner), else the
        calendar's. A zone that is not a known IANA name is skipped (fail
        soft: it never stops a clock)."""
        target = target.sudo()
        if target.around_the_clock:
            return "UTC"
        return self._customer_zone(target, partner) or target.calendar_id.tz or "UTC"

    @api.model
    def _customer_zone(self, target, partner):
        """Name of the customer's time zone in which ``target`` reads working
        hours, its own and those of extra support hours (customer calendar
        rules 1, 2 and 7), or None when it reads them in the calendars' own
        zones (not in the customer's zone, 24x7, or no known zone)."""
        target = target.sudo()
        if target.around_the_clock or not target.customer_tz:
            return None
        partner = partner.sudo()
        for name in (partner.tz, partner.commercial_partner_id.tz):
            if name and name in pytz.all_timezones_set:
                return name
            if name:
                _logger.info(
                    "Customer %s has an unknown time zone %r: skipped",
                    partner.id,
                    name,
                )
        return None

    @api.model
    def _calendar_key(self, calendar, company, tz=None, holidays=None, replace=False):
        """Cache key of a calendar's business time: a calendar shared between
        companies counts the public holidays of the company using it; read in
        another zone or with an agreement's holidays, it is another object."""
        key = calendar.id if calendar.company_id else (calendar.id, company.id)
        if tz or holidays:
            key = (key, tz or None, holidays.id if holidays else None, replace)
        return key

    @api.model
    def _calendar_business_time(self, calendar, company, cache, tz=None):
        """The ``BusinessTime`` of ``calendar`` used in ``company`` (its public
        holidays, clock rule 5), its attendances read in ``tz`` when given
        (customer calendar rule 7), one per batch ``cache``."""
        tz = None if tz == calendar.tz else tz
        key = self._calendar_key(calendar, company, tz=tz)
        if key not in cache:
            cache[key] = BusinessTime.for_calendar(calendar, company=company, tz=tz)
        return cache[key]

    @api.model
    def _threshold_seconds(self, ticket, target, start, cache=None):
        """Business seconds allowed to ``target``'s clock on ``ticket``: the
        target's threshold, or a reduced service's (``slm.adjustment``).
        ``cache``: the batch's, as for ``_business_time``.

        A business-day target (clock rule 16) allows the business time from
        ``start`` to the end of its N-th working day.
        """
        if target.threshold_unit == "business_days":
            cache = {} if cache is None else cache
            bt = self._business_time(ticket, target, cache)
            # Business days are the local days of the zone the hours are
            # read in (customer calendar rule 1).
            zone = self._hours_zone(target, self._customer_of(ticket, target))
            deadline = business_day_deadline(bt, zone, start, target.business_days)
            return bt.elapsed(start, deadline)
        hours = self.env["slm.adjustment"]._clock_threshold_hours(
            ticket, target, {} if cache is None else cache
        )
        return round(hours * 3600)

    @api.model
    def _prefetch_field_names(self):
        """The fields the ORM reads at once when a clock is read, for
        ``search_fetch``: the search and the read in one query."""
        return [
            name
            for name, field in self._fields.items()
            if field.store and field.column_type and field.prefetch is True
        ]

    @api.model
    def _load_history(self, tickets):
        """{ticket id: [event values sorted by date]}, in one query."""
        history = defaultdict(list)
        if not tickets:
            return history
        columns = self._history_columns()
        self.env["slm.ticket.event"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT ticket_id, %s
                  FROM slm_ticket_event
                 WHERE ticket_id = ANY(%s)
              ORDER BY ticket_id, date, id
                """,
                SQL(", ").join(SQL.identifier(column) for column in columns.values()),
                list(tickets.ids),
            )
        )
        for ticket_id, *values in self.env.cr.fetchall():
            history[ticket_id].append(dict(zip(columns, values, strict=False)))
        return history

    @api.model
    def _load_negotiated_deadlines(self, tickets):
        """{(ticket id, target id, cycle): approved negotiated deadline}, in
        one query (negotiated deadline rule 4): the latest approval wins."""
        if not tickets:
            return {}
        self.env["slm.deadline.proposal"].flush_model(
            ["clock_id", "state", "proposed_deadline", "decided_on"]
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT clock.ticket_id, clock.target_id, clock.cycle,
                       proposal.proposed_deadline
                  FROM slm_deadline_proposal proposal
                  JOIN slm_clock clock ON clock.id = proposal.clock_id
                 WHERE proposal.state = 'approved'
                   AND proposal.ticket_id = ANY(%s)
              ORDER BY proposal.decided_on, proposal.id
                """,
                list(tickets.ids),
            )
        )
        return {
            (ticket_id, target_id, cycle): deadline
            for ticket_id, target_id, cycle, deadline in self.env.cr.fetchall()
        }

    @api.model
    def _history_columns(self):
        """{key in an event's values: column of slm_ticket_event} read for the
        clocks; modules whose clocks need more of the history add theirs."""
        return {
            "id": "id",
            "date": "date",
            "type": "event_type",
            "stage_id": "stage_id",
            "closed": "closed",
            "team_id": "team_id",
            "closure": "closure",
        }

    @api.model
    def _clock_segments(self, target, events):
        """The segments of ``target``'s clock in a ticket's history (the
        engine's input); modules whose clocks walk the history otherwise
        give theirs."""
        return self._walk_history(target, events)["segments"]

    @api.model
    def _pause_marks(self, events):
        """[(instant, event id)]: the moves that may put a ticket in a
        pausing stage, in the history's order (pause reason rule 6)."""
        return [(event["date"], event["id"]) for event in events if event["stage_id"]]

    def _pause_pieces(self, now=None):
        """{clock id: [(begin, end, event id, business seconds)]}: the paused
        time of these stored clocks, piece by piece, by the move that paused
        the ticket (``clock_engine.pause_pieces``), up to their stop or their
        last computation (or ``now``): the pieces of a clock add up to its
        paused time. One history query and one business time per calendar
        for the batch."""
        clocks = self.sudo()
        history = self._load_history(clocks.ticket_id)
        cache = {}
        result = {}
        for clock in clocks:
            if clock.status == "error" or not clock.start:
                result[clock.id] = []
                continue
            events = history[clock.ticket_id.id]
            bt = self._business_time(clock.ticket_id, clock.target_id, cache)
            result[clock.id] = pause_pieces(
                bt,
                clock.start,
                self._clock_segments(clock.target_id, events),
                clock.stop or None,
                now or clock.computed_at or fields.Datetime.now(),
                self._pause_marks(events),
                pause_budget=clock.target_id._pause_budget_seconds(),
            )
        return result

    def _slm_sync_pauses(self):
        """Store the paused time of these clocks by piece (``slm.clock.pause``,
        the *Paused Time* report; pause reason rule 6), as computed from the
        history: pieces created, brought up to date or removed. Never stops
        the ticket's change (fail soft): a failure is logged and the next
        computation of the clock tries again."""
        if not self:
            return
        Pause = self.env["slm.clock.pause"].sudo()
        # Pending writes of the caller are flushed outside the fail-soft
        # block: their errors are the caller's (e.g. a refused stage move on
        # the customer's reply, channel rule 11), not a failure to store pieces.
        self.env.flush_all()
        try:
            with self.env.cr.savepoint():
                pieces = self._pause_pieces()
                existing = {
                    (line.clock_id.id, line.event_id.id, line.date_start): line
                    for line in Pause.search([("clock_id", "in", self.ids)])
                }
                to_create = []
                for clock_id, clock_pieces in pieces.items():
                    for begin, end, event_id, seconds in clock_pieces:
                        if seconds <= 0:
                            continue
                        vals = {"date_end": end, "paused_seconds": seconds}
                        line = existing.pop((clock_id, event_id or False, begin), None)
                        if line is None:
                            to_create.append(
                                dict(
                                    vals,
                                    clock_id=clock_id,
                                    event_id=event_id or False,
                                    date_start=begin,
                                )
                            )
                        elif line.date_end != end or line.paused_seconds != seconds:
                            line.write(vals)
                Pause.browse([line.id for line in existing.values()]).unlink()
                Pause.create(to_create)
        except Exception:  # pylint: disable=broad-except
            _logger.exception(
                "Service levels: paused time of clocks %s not stored", self.ids
            )

    @api.model
    def _compute_one(self, ticket, target, events, bt, now, cache=None):
        """The values of ``target``'s clock on ``ticket``; a target measuring
        cycles (clock rule 12) gives its later cycles under ``_cycles``."""
        walk = self._walk_history(target, events)
        cycles = self._cycle_bounds(target, walk) if walk["start"] else None
        if not cycles:
            # Not started (clock rule 2), or no cycle yet: nothing
            # to measure, no clock.
            return {"status": "cancelled", "computed_at": now}
        results = [
            self._cycle_values(
                ticket, target, bt, begin, stop, ended_by, walk["segments"], now, cache
            )
            for begin, stop, ended_by in cycles
        ]
        negotiated = (cache or {}).get(NEGOTIATED_KEY) or {}
        for index, (values, (begin, _stop, _ended_by)) in enumerate(
            zip(results, cycles, strict=True)
        ):
            deadline = negotiated.get((ticket.id, target.id, index))
            if deadline:
                self._apply_negotiated_deadline(
                    values, deadline, target, bt, begin, walk["segments"], now
                )
            else:
                values.update(negotiated_deadline=False, original_deadline=False)
        values = results[0]
        values["_cycles"] = results[1:]
        return values

    @api.model
    def _apply_negotiated_deadline(
        self, values, deadline, target, bt, start, segments, now
    ):
        """Measure one cycle's values against its negotiated ``deadline``
        (negotiated deadline rule 4): a fixed instant that pauses do not move;
        met if stopped by then, breached after; the warning and escalation
        shares are shares of the business time from the start to it. The
        threshold's deadline stays as ``original_deadline``."""
        original = values.get("deadline") or False
        values.update(original_deadline=original, negotiated_deadline=deadline)
        if values.get("status") not in ("running", "paused", "met", "breached"):
            # Cancelled (channel rule 7): kept as it is, out of attainment.
            return values
        stop = values.get("stop") or None
        end_known = min(stop, now) if stop else now
        counting_since = stopped_counting_since(
            start, segments, now, bt=bt, pause_budget=target._pause_budget_seconds()
        )
        if deadline < end_known:
            status = "breached"
        elif stop:
            status = "met"
        else:
            status = "paused" if counting_since else "running"
        allowance = bt.elapsed(start, deadline)
        level_times = []
        for pct, level, _moment in values.get("_level_times") or []:
            if pct == 100:
                moment = deadline
            else:
                moment = bt.add(start, share_seconds(allowance, pct / 100))
                moment = min(moment, deadline) if pct < 100 else max(moment, deadline)
            level_times.append((pct, level, moment))
        warning_at = min(
            bt.add(start, share_seconds(allowance, target.warning_pct / 100)),
            deadline,
        )
        values.update(
            status=status,
            deadline=deadline,
            warning_at=warning_at,
            settled_date=(
                stop if status == "met" else deadline if status == "breached" else False
            ),
            at_risk=status == "running" and warning_at <= now,
            paused_since=(status == "paused" and counting_since) or False,
            _level_times=level_times,
        )
        return values

    @api.model
    def _slm_revision_snapshot(self, domain):
        """{clock id: its ``REVISED_FIELDS``} for the clocks of ``domain``,
        read as superuser before they are rewritten: what their revisions
        keep as measured (``_slm_revision_values``)."""
        return {
            row["id"]: row
            for row in self.sudo().search_read(domain, list(REVISED_FIELDS))
        }

    @api.model
    def _slm_revision_values(self, before, **origin):
        """The values of the ``slm.clock.revision`` of each clock of
        ``before`` (``_slm_revision_snapshot``) whose kept values the
        rewrite changed: as measured and as recomputed, with ``origin``
        (the recomputation or the proposal, date, user). Recomputation rule
        4, negotiated deadline rule 9."""
        self.env.flush_all()
        clocks = self.sudo().browse(list(before))
        clocks.invalidate_recordset(list(REVISED_FIELDS))
        vals_list = []
        for clock in clocks.exists():
            old = before[clock.id]
            new = {name: clock[name] for name in REVISED_FIELDS}
            # search_read gives plain values; empty ones are False in both.
            if all((old[name] or False) == (new[name] or False) for name in new):
                continue
            vals_list.append(
                {
                    "clock_id": clock.id,
                    **origin,
                    **{f"old_{name}": old[name] for name in REVISED_FIELDS},
                    **{f"new_{name}": new[name] for name in REVISED_FIELDS},
                }
            )
        return vals_list

    def _slm_apply_negotiated_deadline(self):
        """After an approval (negotiated deadline rule 4): the clocks are
        recomputed from their history with the new deadline, and their alerts
        start again from it (rule 8: a breach already recorded stays)."""
        clocks = self.sudo()
        clocks.write({"alert_pct": 0.0})
        clocks._recompute(force=True)

    @api.model
    def _walk_history(self, target, events):
        """Follow the ticket's history for ``target``'s clock: its start,
        segments, first reply and closing, and what cycles need."""
        agreement = target.agreement_id
        ola_team = agreement.team_id.id if agreement.kind == "ola" else False
        pausing = set(target.pause_stage_ids.ids)
        walk = {
            "start": None,
            "segments": [],
            "first_reply": None,
            "first_close": None,
            "first_closure": None,
            "closed_since": None,
            "closure": None,
            # Closed or not from each stage change on, and how each closing
            # ended (its last closed stage, channel rule 7): reopen cycles.
            "closings": [],
            "closure_at": {},
            # Next reply (clock rule 17): the replies that count, the
            # customer's messages.
            "replies": [],
            "messages": [],
        }
        stage_id = closed = team_id = None
        for event in events:
            if event["type"] in ("reply", "public_reply"):
                if walk["start"] is not None and (not ola_team or team_id == ola_team):
                    walk["replies"].append(event["date"])
                    if walk["first_reply"] is None and event["type"] == "reply":
                        walk["first_reply"] = event["date"]
                continue
            if event["type"] == "customer_message":
                if walk["start"] is not None:
                    walk["messages"].append(event["date"])
                continue
            if event["stage_id"]:
                was_closed = closed
                stage_id, closed = event["stage_id"], event["closed"]
                if closed and not was_closed:
                    walk["closed_since"] = event["date"]
                elif not closed:
                    walk["closed_since"] = None
                # The last closed stage says how the ticket ended (channel rule 7).
                walk["closure"] = event.get("closure") if closed else None
                walk["closings"].append((event["date"], bool(closed)))
                if closed:
                    walk["closure_at"][walk["closed_since"]] = walk["closure"]
            if event["type"] in ("created", "team"):
                team_id = event["team_id"]
            if walk["start"] is None:
                # SLA: from creation; OLA: from when the ticket reaches the team.
                if ola_team and team_id != ola_team:
                    continue
                walk["start"] = event["date"]
            if closed and walk["first_close"] is None:
                walk["first_close"] = event["date"]
                walk["first_closure"] = walk["closure"]
            walk["segments"].append(
                Segment(
                    event["date"],
                    self._state(stage_id, closed, team_id, ola_team, pausing),
                )
            )
        return walk

    @api.model
    def _cycle_bounds(self, target, walk):
        """[(start, stop or None, how the stop ended it)], one per cycle."""
        start = walk["start"]
        if target.metric == "response":
            # Answered by the first public reply; a ticket closed without one
            # counts as answered when closed (the closing notice answers it).
            first_reply, first_close = walk["first_reply"], walk["first_close"]
            stop = min(filter(None, (first_reply, first_close)), default=None)
            ended_by = (
                walk["first_closure"]
                if first_close and (first_reply is None or first_close < first_reply)
                else None
            )
            return [(start, stop, ended_by)]
        if target.metric == "next_reply":
            return [
                (begin, stop, None)
                for begin, stop in reply_cycles(
                    walk["messages"], walk["replies"], walk["closings"]
                )
            ]
        if target.metric == "periodic_update":
            return [
                (begin, stop, None)
                for begin, stop in update_cycles(walk["replies"], walk["closings"])
            ]
        if target.reopen_policy == "new_cycle":
            # Clock rule 15: each reopening starts a cycle of its own.
            return [
                (begin, stop, walk["closure_at"].get(stop) if stop else None)
                for begin, stop in reopen_cycles(start, walk["closings"])
            ]
        stop = walk["closed_since"]
        return [(start, stop, walk["closure"] if stop else None)]

    @api.model
    def _cycle_values(
        self, ticket, target, bt, start, stop, ended_by, segments, now, cache
    ):
        """The values of one cycle of a clock, from ``start`` to ``stop``."""
        levels = target._alert_levels()
        result = compute_clock(
            bt,
            start,
            self._threshold_seconds(ticket, target, start, cache),
            target.warning_pct / 100,
            segments,
            stop,
            now,
            ratios=[pct / 100 for pct, _level in levels],
            pause_budget=target._pause_budget_seconds(),
        )
        values = self._clock_values(result, start, now, levels)
        values["paused_since"] = (
            result.status == "paused" and result.stopped_since or False
        )
        if values["status"] == "met" and not self._closure_counts(target, ended_by):
            # Channel rule 7: kept, out of attainment; a breach stays a breach.
            values.update(status="cancelled", settled_date=False, at_risk=False)
        return values

    @api.model
    def _split_cycles(self, values):
        """[values of cycle 0, of cycle 1, ...] from ``_compute_values``."""
        values = dict(values)
        later = values.pop("_cycles", None) or []
        return [values, *later]

    @api.model
    def _closure_counts(self, target, closure):
        """Whether a clock stopped by a closure of kind ``closure`` is met
        (channel rule 7): not for a stage that is not a resolution; for a closure by
        the customer, never for response, for resolution as the agreement says.
        """
        if closure == "not_resolution":
            return False
        if closure == "customer":
            return target.metric != "response" and bool(
                target.sudo().agreement_id.customer_closure_resolves
            )
        return True

    @api.model
    def _clock_values(self, result, start, now, levels):
        """Field values of a computed clock (``ClockResult``), for every kind."""
        settled_date = False
        if result.status == "met":
            settled_date = result.stop
        elif result.status == "breached":
            settled_date = result.deadline
        return {
            "status": result.status,
            "start": start,
            "deadline": result.deadline or False,
            "warning_at": result.warning_at or False,
            "stop": result.stop or False,
            "used_seconds": result.used,
            "paused_seconds": result.paused,
            # Pause budget rules: over budget once it ran out by now.
            "over_budget_seconds": result.over_budget,
            "pause_budget_exhausted_at": result.budget_exhausted_at or False,
            "pause_budget_exceeded": bool(
                result.budget_exhausted_at and result.budget_exhausted_at <= now
            ),
            "settled_date": settled_date,
            "at_risk": bool(
                result.status == "running"
                and result.warning_at
                and result.warning_at <= now
            ),
            "computed_at": now,
            # Not a field: (share %, escalation level, when reached), for alerts.
            "_level_times": [
                (pct, level, moment)
                for (pct, level), moment in zip(levels, result.level_times, strict=True)
            ],
        }

    @staticmethod
    def _state(stage_id, closed, team_id, ola_team, pausing):
        if ola_team and team_id != ola_team:
            return "away"
        if stage_id in pausing:
            return PAUSED
        if closed:
            return "closed"
        return ACTIVE

    def _recompute(self, force=False, now=None, history=None):
        """Recompute these clocks from their tickets' history.

        A settled result (met, breached) is kept (clock rule 11) unless
        ``force`` (a person's recomputation) or the ticket's own history moved
        it: a reopened ticket resumes its met resolution clock. A breached
        clock stays breached at its deadline, but what goes on after the breach
        follows the history (clock rule 14): its stop (cleared by a reopening),
        used and paused time.
        Returns {clock id: level times} (see ``_compute_one``) for the alerts.
        ``history``: as for ``_compute_values``.
        """
        results, pairs, cycles_of = self._recompute_values(
            force=force, now=now, history=history
        )
        # Pause reason rule 6: the paused time by piece follows, for the
        # clocks that have paused time, before or after (no query otherwise).
        had_paused = {
            clock.id for clock, _vals, _times in results if clock.paused_seconds
        }
        level_times = {}
        for clock, vals, times in results:
            level_times[clock.id] = times
            changed = {
                name: value
                for name, value in vals.items()
                if name != "computed_at" and clock[name] != value
            }
            if changed:
                changed["computed_at"] = (
                    vals.get("computed_at") or fields.Datetime.now()
                )
                clock.sudo().write(changed)
        computed = self.browse(list(level_times))
        computed._slm_notify_errors()
        computed.filtered(
            lambda c: c.id in had_paused or c.paused_seconds
        )._slm_sync_pauses()
        self._create_cycles(pairs, cycles_of)
        return level_times

    def _recompute_values(self, force=False, now=None, history=None):
        """What ``_recompute`` writes, without writing anything: the preview
        of a person's recomputation reads it (recomputation rule 2).

        Returns ``(results, pairs, cycles_of)``: ``results`` a list of
        ``(clock, values, level times)``, the fresh values of each clock as
        ``_recompute`` writes them (settled results kept unless ``force``);
        ``pairs`` the (ticket, target) pairs computed and ``cycles_of``
        {(ticket id, target id): [values of each cycle]}, from which
        ``_create_cycles`` creates the clocks of new cycles.
        """
        clocks = self if force else self.filtered(lambda c: c.status != "cancelled")
        pairs = list(dict.fromkeys((c.ticket_id, c.target_id) for c in clocks))
        # A negotiated deadline is approved on a clock, which is recomputed
        # then with ``force`` (negotiated deadline rule 4); otherwise only the
        # clocks that have one need it read.
        negotiated = None if force or any(clocks.mapped("negotiated")) else {}
        values = self._compute_values(
            pairs, now=now, history=history, negotiated=negotiated
        )
        cycles_of = {
            (ticket.id, target.id): self._split_cycles(vals)
            for (ticket, target), vals in zip(pairs, values, strict=True)
        }
        results = []
        for clock in clocks:
            vals = self._cycle_of(
                cycles_of[(clock.ticket_id.id, clock.target_id.id)], clock.cycle, now
            )
            times = vals.pop("_level_times", [])
            if not force and clock.status in SETTLED:
                vals = self._settled_values(clock, vals)
            budget_at = vals.get(
                "pause_budget_exhausted_at", clock.pause_budget_exhausted_at
            )
            vals["next_alert_at"] = self._next_alert_at(
                vals["status"],
                vals.get("stop"),
                times,
                clock.alert_pct,
                budget_at=not clock.pause_budget_alerted and budget_at,
            ) or self._error_retry_at(vals)
            results.append((clock, vals, times))
        return results, pairs, cycles_of

    @api.model
    def _cycle_of(self, cycles, index, now):
        """The fresh values of cycle ``index`` among ``cycles`` (a copy)."""
        if index < len(cycles):
            return dict(cycles[index])
        if cycles[0].get("status") == "error":
            # Not computable now (fail-soft rule 1): every cycle shows it.
            return dict(cycles[0])
        # A cycle the history no longer has (a person recomputed after the
        # target's reopen policy changed): kept for history, out of attainment.
        return {"status": "cancelled", "settled_date": False, "computed_at": now}

    @api.model
    def _create_cycles(self, pairs, cycles_of):
        """Create the clocks of cycles the history started since the last
        computation (clock rule 12): one clock per cycle."""
        if not any(len(cycles) > 1 for cycles in cycles_of.values()):
            return self.browse()
        tickets = self.env["helpdesk.ticket"].browse({t.id for t, _g in pairs})
        targets = self.env["slm.target"].browse({g.id for _t, g in pairs})
        existing = {
            (clock.ticket_id.id, clock.target_id.id, clock.cycle)
            for clock in self.sudo().search(
                [("ticket_id", "in", tickets.ids), ("target_id", "in", targets.ids)]
            )
        }
        vals_list = []
        for ticket, target in pairs:
            for index, vals in enumerate(cycles_of[(ticket.id, target.id)]):
                if index == 0 or (ticket.id, target.id, index) in existing:
                    continue
                vals_list.append(self._new_clock_values(ticket, target, index, vals))
        return self.sudo().create(vals_list)

    @api.model
    def _new_clock_values(self, ticket, target, cycle, vals):
        """The values of a new clock of ``ticket`` on ``target`` for one
        cycle (clock rule 12) from the engine's result ``vals``: its first
        alert and the ticket's copied columns."""
        vals = dict(vals)
        times = vals.pop("_level_times", [])
        vals["next_alert_at"] = self._next_alert_at(
            vals["status"],
            vals.get("stop"),
            times,
            0.0,
            budget_at=vals.get("pause_budget_exhausted_at"),
        ) or self._error_retry_at(vals)
        return dict(
            vals,
            ticket_id=ticket.id,
            target_id=target.id,
            agreement_id=target.agreement_id.id,
            cycle=cycle,
            # In the INSERT, not in an UPDATE after it (_compute_negotiated).
            negotiated=bool(vals.get("negotiated_deadline")),
            **ticket._slm_clock_copies(),
        )

    @api.model
    def _error_retry_at(self, vals):
        """A clock in error is tried again by the breach scan an hour later
        (fail-soft rule 2): it recovers once its setting is fixed."""
        if vals.get("status") != "error":
            return False
        return (vals.get("computed_at") or fields.Datetime.now()) + timedelta(hours=1)

    @api.model
    def _settled_values(self, clock, vals):
        """What an ordinary recomputation (not a person's) may change on a
        settled clock (clock rules 11 and 14), given the fresh ``vals``.

        - breached: the result (status, deadline, warning, settlement) stays;
          the stop, used and paused time follow the ticket's history, which
          only moves forward (answered, closed, reopened, time passing);
        - met: kept as it is while its stop is the same (a temporary change
          approved since does not turn it breached); a met resolution clock
          whose ticket was reopened (or closed again later) takes the fresh
          result: the history moved it; so does one whose closing stage
          is followed by a stage that is not a resolution (channel rule 7).
        """
        if vals.get("status") == "error":
            # Not computable now (fail-soft rule 1): the settled result stays.
            return {"status": clock.status, "stop": clock.stop}
        if "start" not in vals:
            # No start in the history any more (the clock cannot be computed
            # as a clock of this ticket): the settled result stays.
            return {"status": clock.status, "stop": clock.stop}
        if clock.status == "breached":
            return {
                "status": "breached",
                "stop": vals["stop"],
                "used_seconds": vals["used_seconds"],
                "paused_seconds": vals["paused_seconds"],
                "over_budget_seconds": vals["over_budget_seconds"],
                "pause_budget_exhausted_at": vals["pause_budget_exhausted_at"],
                "pause_budget_exceeded": vals["pause_budget_exceeded"],
                "at_risk": False,
                "computed_at": vals["computed_at"],
            }
        if clock.metric in ("response", "next_reply", "periodic_update") or (
            vals["stop"] == clock.stop and vals["status"] != "cancelled"
        ):
            return {"status": clock.status, "stop": clock.stop}
        # The history moved it: reopened, closed again later, or its closure
        # turned out not to be a resolution (channel rule 7).
        return vals

    @api.model
    def _alert_candidates(self, status, stop, level_times, alert_pct):
        """The levels still to alert: [(share %, level, when)].

        A running clock alerts every level once; a breached one only the breach
        and the levels past it, up to its stop; met and cancelled clocks alert
        nothing. A paused clock alerts nothing either (it is looked at again
        when it resumes), except a deadline it reached at the very instant it
        paused: the pause does not save it (clock rule 7), the scan breaches
        it a second later.
        """
        if status not in ALERTING:
            return []
        return [
            (pct, level, moment)
            for pct, level, moment in level_times
            if pct > alert_pct
            and moment
            and (status == "running" or pct >= 100)
            and (not stop or moment <= stop)
        ]

    @api.model
    def _next_alert_at(self, status, stop, level_times, alert_pct, budget_at=False):
        """The earliest alert still to fire: a level (``_alert_candidates``)
        or ``budget_at``, the instant the pause budget runs out, not yet
        alerted (pause budget rule 3)."""
        candidates = self._alert_candidates(status, stop, level_times, alert_pct)
        moments = [moment for _pct, _level, moment in candidates]
        if self._budget_alert_pending(status, stop, budget_at):
            moments.append(budget_at)
        return min(moments, default=False)

    @api.model
    def _budget_alert_pending(self, status, stop, budget_at):
        """Whether a pause budget that runs out at ``budget_at`` (not alerted
        yet) is still to be alerted: while the clock has not stopped (pause
        budget rule 3)."""
        return bool(budget_at) and status in ALERTING and not stop

    # ------------------------------------------------------------------
    # Scheduled actions
    # ------------------------------------------------------------------

    @api.model
    def _cron_settle_due_clocks(self, batch_size=1000, now=None, limit=None):
        """The breach scan: alert the clocks whose next alert is due.

        Marks breaches, raises warnings and escalation levels, records one
        ``slm.breach`` per breached clock, posts one note per ticket, schedules
        activities and notifies the agreements' followers. Only due clocks are
        read (``next_alert_at`` index), in batches, each committed and
        reported on its own (``ir.cron._slm_commit_progress``) so that a long
        backlog is never redone; after ``limit`` clocks the runner calls again
        for the rest. Safe to run twice and on two workers at once (see
        ``_scan_batch``).
        """
        total = 0
        for _round in range(1000):  # bounded: every batch moves its clocks on
            processed, locked = self._scan_batch(batch_size=batch_size, now=now)
            total += processed
            more = processed and locked == batch_size
            self.env["ir.cron"]._slm_commit_progress(
                done=total, remaining=self._due_count(now) if more else 0
            )
            if not more or (limit and total >= limit):
                break
        return total

    @api.model
    def _due_count(self, now=None):
        """How many clocks the breach scan still has to alert."""
        return self.sudo().search_count(
            [
                ("next_alert_at", "<=", now or fields.Datetime.now()),
                ("status", "in", ("running", "breached", "paused", "error")),
            ]
        )

    @api.model
    def _scan_batch(self, batch_size=1000, now=None):
        """Alert one batch of due clocks; returns (alerted, locked) counts.

        The due clocks are locked with ``FOR UPDATE SKIP LOCKED``: a second
        worker running the scan at the same time skips the clocks the first one
        holds, and finds them no longer due once it has committed (each level
        is alerted once: ``alert_pct``). A clock that fails is logged, marked
        with the error and tried again an hour later; the others go on.
        """
        now = now or fields.Datetime.now()
        self.env.flush_all()
        cr = self.env.cr
        try:
            # (A failed statement is logged by the cursor: it is expected here.)
            with cr.savepoint(flush=False), mute_logger("odoo.sql_db"):
                cr.execute(
                    """
                    SELECT id FROM slm_clock
                     WHERE next_alert_at <= %s
                       AND status IN ('running', 'breached', 'paused', 'error')
                  ORDER BY next_alert_at, id
                     LIMIT %s
                       FOR UPDATE SKIP LOCKED
                    """,
                    [now, batch_size],
                )
                ids = [row[0] for row in cr.fetchall()]
        except psycopg2.errors.SerializationFailure:
            # Another worker alerted some of these clocks after this transaction
            # began: they are its job; the next run finds what is left.
            _logger.info("Service level scan: clocks taken by another worker")
            return 0, 0
        clocks = self.browse(ids)
        if not clocks:
            return 0, 0
        try:
            with cr.savepoint():
                clocks._alert(now)
            return len(clocks), len(clocks)
        except Exception:  # pylint: disable=broad-except
            _logger.info("Service level scan: a batch failed, isolating the cause")
        alerted = 0
        for clock in clocks:
            try:
                with cr.savepoint():
                    clock._alert(now)
                alerted += 1
            except psycopg2.errors.SerializationFailure:
                _logger.info("Service level scan: clock %s busy, tried later", clock.id)
            except Exception as error:  # pylint: disable=broad-except
                _logger.exception(
                    "Service level scan: clock %s (ticket %s) skipped",
                    clock.id,
                    clock.ticket_id.id,
                )
                self.env.invalidate_all()
                cr.execute(
                    "UPDATE slm_clock SET next_alert_at = %s, scan_error = %s "
                    "WHERE id = %s",
                    [now + timedelta(hours=1), str(error)[:250], clock.id],
                )
                self.invalidate_model(["next_alert_at", "scan_error"])
        return alerted, len(clocks)

    def _refresh_open_clocks(self, now=None, batch_size=1000, max_age=None):
        """Bring the clocks still counting up to ``now`` (clock rule 14).

        Used and paused time grow while a ticket is open, also after a breach;
        events recompute a clock, but time passing does not. Called by the
        hourly action (``slm.breach._cron_update_breaches``): running and
        paused clocks, and breached ones not stopped, not computed in the
        last ``max_age`` (55 minutes), in batches, each committed; clocks
        another worker holds are skipped (the next run takes them). A clock
        that turns breached here gets its breach and alerts from the next
        breach scan. Called on clocks, only those are looked at.
        """
        now = now or fields.Datetime.now()
        max_age = max_age if max_age is not None else timedelta(minutes=55)
        cr = self.env.cr
        done = 0
        for _round in range(1000):  # bounded: each batch is brought up to now
            self.env.flush_all()
            cr.execute(
                """
                SELECT id FROM slm_clock
                 WHERE (status IN ('running', 'paused')
                        OR (status = 'breached' AND stop IS NULL))
                   AND (computed_at IS NULL OR computed_at < %(since)s)
                   AND (%(all)s OR id = ANY(%(ids)s))
              ORDER BY computed_at NULLS FIRST, id
                 LIMIT %(limit)s
                   FOR UPDATE SKIP LOCKED
                """,
                {
                    "since": now - max_age,
                    "limit": batch_size,
                    "all": not self.ids,
                    "ids": self.ids,
                },
            )
            clocks = self.browse([row[0] for row in cr.fetchall()])
            if not clocks:
                break
            clocks._recompute(now=now)
            clocks.sudo().write({"computed_at": now})
            done += len(clocks)
            # Kept batch by batch; this loop does the rest itself.
            self.env["ir.cron"]._slm_commit_progress(done=done, remaining=0)
            if len(clocks) < batch_size:
                break
        return done

    def _alert(self, now):
        """Fire the due levels of these (locked) clocks, set-based."""
        level_times = self._recompute(now=now)
        events = []  # (clock, [(pct, level)]) newly alerted
        budget_events = self.browse()  # pause budgets newly run out
        # The clocks' new values, written once per distinct set of values.
        writes = defaultdict(list)
        for clock in self:
            if clock.status == "error":
                # Still not computable: shown, retried an hour later.
                vals = {
                    "scan_error": clock.error_message,
                    "at_risk": False,
                    "next_alert_at": now + timedelta(hours=1),
                }
                writes[tuple(sorted(vals.items()))].append(clock.id)
                continue
            candidates = self._alert_candidates(
                clock.status, clock.stop, level_times.get(clock.id, []), clock.alert_pct
            )
            # A level at or past the deadline fires once the clock is breached:
            # at the deadline's very second it is still running (rule 7).
            due = [
                (pct, level)
                for pct, level, moment in candidates
                if moment <= now and (pct < 100 or clock.status == "breached")
            ]
            # A clock breached before any scan saw it also gets its breach.
            if clock.status == "breached" and clock.alert_pct < 100:
                due = due or [(100.0, self.env["slm.escalation.level"])]
            alert_pct = max((pct for pct, _level in due), default=clock.alert_pct)
            budget_at = not clock.pause_budget_alerted and (
                clock.pause_budget_exhausted_at
            )
            budget_due = self._budget_alert_pending(
                clock.status, clock.stop, budget_at
            ) and (budget_at <= now)
            if budget_due:
                budget_events |= clock
                budget_at = False
            vals = {
                "alert_pct": alert_pct,
                "pause_budget_alerted": clock.pause_budget_alerted or budget_due,
                "scan_error": False,
                "at_risk": clock.status == "running"
                and bool(clock.warning_at)
                and clock.warning_at <= now,
                "next_alert_at": self._next_alert_at(
                    clock.status,
                    clock.stop,
                    level_times.get(clock.id, []),
                    alert_pct,
                    budget_at=budget_at,
                ),
            }
            writes[tuple(sorted(vals.items()))].append(clock.id)
            if due:
                events.append((clock, due))
        for vals, ids in writes.items():
            self.browse(ids).sudo().write(dict(vals))
        if events or budget_events:
            self._notify_alerts(events, budget_events)

    @api.model
    def _notify_alerts(self, events, budget_clocks=None):
        """Breach records, one note per ticket, activities, agreement followers;
        ``budget_clocks``: the clocks whose pause budget ran out (pause budget
        rule 3), in the same notes, activities and agreement messages."""
        budget_clocks = budget_clocks or self.browse()
        Breach = self.env["slm.breach"].sudo() if "slm.breach" in self.env else None
        breached = self.browse(
            clock.id
            for clock, due in events
            if clock.status == "breached" and any(pct >= 100 for pct, _l in due)
        )
        if Breach is not None and breached:
            # Held by this scan (``_scan_batch``): not locked again (fail-soft
            # rule 7; the query count of the scan stays as it is).
            Breach._slm_create_for_clocks(breached, locked=True)
        notes = defaultdict(list)
        activities = {}
        by_agreement = defaultdict(
            lambda: {"breach": [], "warning": [], "pause_budget": []}
        )
        locale = self._moment_locale()
        for clock in budget_clocks:
            ticket = clock.ticket_id
            notes[ticket.id].append(clock._budget_alert_line(locale=locale))
            by_agreement[clock.agreement_id]["pause_budget"].append(clock)
            # Channel rule 5: assignee, team leader, Service Level Manager.
            user = self.env["slm.escalation.level"]._first_able(
                [
                    ticket.sudo().user_id,
                    ticket.sudo().team_id.user_id,
                    clock.agreement_id.sudo().provider_user_id,
                ]
            )
            if user:
                activities.setdefault(
                    (ticket.id, user.id, "pause_budget"), (clock, 0.0, False)
                )
        for clock, due in events:
            ticket = clock.ticket_id
            line, kind = clock._alert_line(due, locale=locale)
            notes[ticket.id].append(line)
            by_agreement[clock.agreement_id][kind].append(clock)
            if clock.stop:
                continue  # answered or closed meanwhile: nothing left to do
            for pct, level in due:
                if level:
                    user = level._recipient_user(ticket, clock.agreement_id)
                    note = level.note
                else:
                    # Channel rule 5: assignee, team leader, Service Level Manager.
                    user = self.env["slm.escalation.level"]._first_able(
                        [
                            ticket.sudo().user_id,
                            ticket.sudo().team_id.user_id,
                            clock.agreement_id.sudo().provider_user_id,
                        ]
                    )
                    note = False
                if not user:
                    continue
                type_kind = "breach" if pct >= 100 else "warning"
                key = (ticket.id, user.id, type_kind)
                activities.setdefault(key, (clock, pct, note))
        # One note per ticket, all in one batch (no notification: a log).
        bodies = {
            ticket_id: Markup("<br/>").join(lines) for ticket_id, lines in notes.items()
        }
        self.env["helpdesk.ticket"].sudo().browse(list(notes))._message_log_batch(
            bodies
        )
        self._schedule_alert_activities(activities)
        for agreement, kinds in by_agreement.items():
            agreement._notify_clock_alerts(
                self.browse([clock.id for clock in kinds["breach"]]),
                self.browse([clock.id for clock in kinds["warning"]]),
                pause_budget=self.browse([clock.id for clock in kinds["pause_budget"]]),
            )

    def _alert_line(self, due, locale=None):
        """One line of the ticket's note for this clock, and its kind;
        ``locale``: see ``_format_moment``."""
        self.ensure_one()
        top = max(pct for pct, _level in due)
        values = {
            "target": self.target_id.display_name,
            "deadline": self._format_moment(self.deadline, locale=locale),
            "pct": f"{top:g}",
        }
        if self.status == "breached" and top <= 100:
            return (
                Markup("&#9888; ")
                + self.env._("%(target)s: breached (deadline %(deadline)s).", **values),
                "breach",
            )
        if top >= 100:
            return (
                self.env._(
                    "%(target)s: still open at %(pct)s %% of its threshold "
                    "(deadline was %(deadline)s): escalated.",
                    **values,
                ),
                "breach",
            )
        return (
            self.env._(
                "%(target)s: %(pct)s %% of the threshold used, at risk (deadline "
                "%(deadline)s).",
                **values,
            ),
            "warning",
        )

    def _budget_alert_line(self, locale=None):
        """The ticket's note line for a pause budget that ran out (pause
        budget rule 3); ``locale``: see ``_format_moment``."""
        self.ensure_one()
        return self.env._(
            "%(target)s: pause budget of %(budget)s used up at %(when)s; the "
            "clock counts again in the pausing stage.",
            target=self.target_id.display_name,
            budget=format_business_duration(
                self.target_id._pause_budget_seconds() or 0
            ),
            when=self._format_moment(self.pause_budget_exhausted_at, locale=locale),
        )

    def _format_moment(self, moment, locale=None):
        """A UTC datetime shown in the target's time zone, with its name.

        ``locale``: the user's language (``_moment_locale``), looked up once
        by a caller that formats many moments (the breach scan: one per
        alerted clock); the same text as ``format_datetime``'s.
        """
        if not moment:
            return "-"
        tz = self.hours_tz or "UTC"
        if locale is None:
            text = format_datetime(self.env, moment, tz=tz, dt_format="short")
        else:
            utc = pytz.utc.localize(moment, is_dst=False)
            try:
                local = utc.astimezone(pytz.timezone(tz))
            except Exception:  # pylint: disable=broad-except
                local = utc  # as format_datetime does
            text = babel.dates.format_datetime(local, "short", locale=locale)
        return f"{text} ({tz})"

    @api.model
    def _moment_locale(self):
        """The babel locale ``format_datetime`` uses for this environment."""
        return babel_locale_parse(get_lang(self.env).code)

    @api.model
    def _schedule_alert_activities(self, activities):
        """One activity per ticket, user and kind (warning, breach), in one create."""
        # A breach alerted to a user makes the same user's warning moot.
        activities = {
            key: value
            for key, value in activities.items()
            if key[2] != "warning" or (key[0], key[1], "breach") not in activities
        }
        if not activities:
            return
        types = {
            kind: self.env.ref(
                f"slm_agreements.mail_activity_type_slm_{kind}",
                raise_if_not_found=False,
            )
            # The pause budget's type only when one ran out (no query else).
            for kind in {"warning", "breach"} | {key[2] for key in activities}
        }
        model_id = self.env["ir.model"]._get_id("helpdesk.ticket")
        # An open activity of the same kind for the same user is not repeated.
        kinds = {
            activity_type.id: kind
            for kind, activity_type in types.items()
            if activity_type
        }
        existing = {
            (activity.res_id, activity.user_id.id, kinds[activity.activity_type_id.id])
            for activity in self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "helpdesk.ticket"),
                    ("res_id", "in", list({key[0] for key in activities})),
                    ("activity_type_id", "in", list(kinds)),
                ]
            )
        }
        vals_list = []
        for (ticket_id, user_id, kind), (clock, pct, note) in activities.items():
            activity_type = types[kind]
            if not activity_type or (ticket_id, user_id, kind) in existing:
                continue
            summary = (
                self.env._("Service level breached: %s", clock.target_id.display_name)
                if kind == "breach"
                else self.env._(
                    "Pause budget used up, the clock counts again: %s",
                    clock.target_id.display_name,
                )
                if kind == "pause_budget"
                else self.env._(
                    "Service level at risk (%(pct)s %%): %(target)s",
                    pct=format(pct, "g"),
                    target=clock.target_id.display_name,
                )
            )
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": ticket_id,
                    "user_id": user_id,
                    "activity_type_id": activity_type.id,
                    "summary": summary[:250],
                    "note": note or False,
                    "date_deadline": fields.Date.context_today(
                        self, clock.deadline or fields.Datetime.now()
                    ),
                }
            )
        self.env["mail.activity"].sudo().with_context(
            mail_activity_quick_update=True
        ).create(vals_list)
