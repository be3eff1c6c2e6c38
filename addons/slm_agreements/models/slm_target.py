# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import math
from collections import defaultdict

import pytz

from odoo import api, fields, models, tools
from odoo.exceptions import UserError, ValidationError
from odoo.tools.date_utils import start_of

from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG

# Fail-soft rule 3: the furthest alert of a target (its threshold, or its
# furthest escalation level) must be reached within this many days of the
# calendar's working time (around the clock: 365 x 24 h).
SETTING_HORIZON_DAYS = 365
# Clock rule 16: a deadline at most this many business days away (a year).
MAX_BUSINESS_DAYS = 260
# Pause budget rule 2: at most a year around the clock.
MAX_PAUSE_BUDGET_HOURS = 8760

# A target's underpinning links are not terms of its agreement: they change in
# any state of the agreement.
UNDERPINNING_FIELDS = {"underpinning_target_ids", "underpins_target_ids"}
# Nor is asking agents for a pause reason (pause reason rule 2): a setting of
# the helpdesk process, changed in any state.
PROCESS_FIELDS = {"pause_reason_required"}
# Changes after which the stages that ask for a reason are read again.
PAUSE_FIELDS = {"pause_stage_ids", "pause_reason_required", "active", "agreement_id"}
# What the ticket index (slm.agreement._slm_ticket_index) holds of a target:
# a change to one of these changes which targets apply to tickets (clock rule 1).
TICKET_SCOPE_FIELDS = {
    "active",
    "metric",
    "agreement_id",
    "priority_ids",
    "category_ids",
    "tag_ids",
    "parent_target_id",
}
# The scope fields of a target, by the model of what they list (clock rule 20).
SCOPE_RECORD_FIELDS = {
    "helpdesk.ticket.tag": "tag_ids",
    "helpdesk.ticket.category": "category_ids",
}
# Changes after which the alignment gaps of the targets are checked again.
# What a clock's computation reads of its settings (clock rule 21): kept by
# target in the registry's cache (``slm.target._slm_engine_settings``) and put
# in the ORM cache before a computation, so that a ticket's step reads none of
# them. Only fields written by people (no computed ones); a change to one of
# them clears the cache (the models' ``write``). Modules add theirs through
# ``_slm_engine_fields``.
ENGINE_FIELDS = {
    "slm.target": (
        "agreement_id",
        "active",
        "metric",
        "threshold_hours",
        "objective_pct",
        "warning_pct",
        "threshold_unit",
        "business_days",
        "reopen_policy",
        "around_the_clock",
        "calendar_id",
        "customer_tz",
        "pause_stage_ids",
        "pause_reason_required",
        "pause_budget",
        "pause_budget_hours",
        "parent_target_id",
        "previous_target_id",
        "escalation_level_ids",
    ),
    "slm.escalation.level": (
        "target_id",
        "threshold_pct",
        "recipient",
        "user_id",
    ),
    "slm.agreement": (
        "kind",
        "state",
        "company_id",
        "partner_id",
        "team_id",
        "parent_id",
        "parent_path",
        "provider_user_id",
        "customer_closure_resolves",
        "holiday_calendar_id",
        "holiday_mode",
        # Computed from partner_id and company_id only, written by people
        # otherwise: each of the three clears the cache.
        "tz",
    ),
    "resource.calendar": ("tz", "company_id"),
}

ALIGNMENT_FIELDS = UNDERPINNING_FIELDS | {
    "metric",
    "threshold_hours",
    "objective_pct",
    "around_the_clock",
    "calendar_id",
    "active",
    "agreement_id",
}


def calendar_problem(calendar, company):
    """Why ``calendar`` cannot count the time of an agreement of ``company``:
    "missing", "company" (another company's calendar: clock rule 5, its
    holidays are its company's) or "no_hours" (time would never count);
    None when it can."""
    if not calendar:
        return "missing"
    if calendar.company_id and calendar.company_id != company:
        return "company"
    working = calendar.attendance_ids.filtered(lambda a: not a.display_type)
    if calendar.flexible_hours or not working:
        return "no_hours"
    return None


class SlmTarget(models.Model):
    """A measurable promise of an agreement: e.g. 95 % of the Very High tickets
    resolved within 4 hours, around the clock."""

    _name = "slm.target"
    _description = "Agreement Target"
    _order = "agreement_id, sequence, id"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------

    sequence = fields.Integer(default=10)
    agreement_id = fields.Many2one(
        "slm.agreement",
        string="Agreement",
        required=True,
        index=True,
        ondelete="cascade",
    )
    name = fields.Char(
        compute="_compute_name",
        store=True,
        readonly=False,
        required=True,
        precompute=True,
        copy=True,
        help="Named after the metric, threshold and priorities unless you "
        "give it another name.",
    )
    active = fields.Boolean(default=True)
    metric = fields.Selection(
        [
            ("response", "First Response"),
            ("resolution", "Resolution"),
            ("next_reply", "Next Reply"),
            ("periodic_update", "Periodic Update"),
            ("availability", "Availability"),
        ],
        required=True,
        default="resolution",
        help="First Response: until the first public reply to the customer by "
        "an internal user (an internal note does not count). Resolution: until "
        "the ticket enters a closed stage; a reopened ticket resumes the clock "
        "or starts a new cycle (On Reopening). Next Reply: from each public "
        "message of the customer after the first response until the next "
        "public reply of an internal user, each cycle a result of its own. "
        "Periodic Update: from the first public reply, the time between two "
        "public replies (and from the last one to the closing) while the "
        "ticket is open, each interval a cycle. "
        "Availability: the share of the agreed service time (the calendar, minus "
        "agreed maintenance windows) during which the services were up; it runs "
        "no clock on tickets and has no threshold.",
    )
    threshold_hours = fields.Float(
        string="Threshold (hours)",
        required=True,
        default=8.0,
        help="The time allowed, in working hours of the calendar (or in hours "
        "around the clock for a 24x7 target).",
    )
    objective_pct = fields.Float(
        string="Objective (%)",
        required=True,
        default=95.0,
        help="Share of tickets that must meet the threshold in a period for the "
        "target to be achieved (0 to 100).",
    )
    warning_pct = fields.Float(
        string="Warning at (%)",
        required=True,
        default=80.0,
        help="Agents are warned when this share of the threshold is used "
        "(0 to 99; 0 means at once).",
    )
    threshold_unit = fields.Selection(
        [("hours", "Hours"), ("business_days", "Business Days")],
        string="Threshold in",
        required=True,
        default="hours",
        help="Hours: the threshold is that many working hours. Business Days: "
        "the deadline is the end of the working time of the N-th working day "
        "after the day the clock starts (0: the same day), pushed by pauses "
        "(clock rule 16).",
    )
    business_days = fields.Integer(
        default=1,
        help="Business-day targets: N, the working day by the end of which the "
        "clock must be stopped (0: the day it starts; 0 to 260).",
    )
    reopen_policy = fields.Selection(
        [("resume", "Resume"), ("new_cycle", "New Cycle")],
        string="On Reopening",
        required=True,
        default="resume",
        help="Resolution targets: Resume: a reopened ticket takes its clock back "
        "to running, the closed time not counted (one result per ticket). New "
        "Cycle: the result settled at closing stays; the reopening starts a "
        "fresh cycle with the full threshold, a result of its own (clock rule "
        "15). Response clocks are never reopened.",
    )
    priority_ids = fields.Many2many(
        "slm.ticket.priority",
        "slm_target_priority_rel",
        "target_id",
        "priority_id",
        string="Priorities",
        help="Ticket priorities the target applies to. Empty: all priorities.",
    )
    category_ids = fields.Many2many(
        "helpdesk.ticket.category",
        "slm_target_helpdesk_category_rel",
        "target_id",
        "category_id",
        string="Ticket Categories",
        check_company=True,
        # Archived ones stay in the scope (clock rule 20); the form still
        # offers only active ones.
        context={"active_test": False},
        help="Ticket categories the target applies to, with their "
        "sub-categories. Empty: all categories.",
    )
    tag_ids = fields.Many2many(
        "helpdesk.ticket.tag",
        "slm_target_helpdesk_tag_rel",
        "target_id",
        "tag_id",
        string="Ticket Tags",
        check_company=True,
        # Archived ones stay in the scope (clock rule 20); the form still
        # offers only active ones.
        context={"active_test": False},
        help="The target applies to tickets with any of these tags. Empty: "
        "with or without tags.",
    )
    around_the_clock = fields.Boolean(
        string="24x7",
        help="Time counts around the clock, every day. Otherwise it counts "
        "only within the working hours of the calendar.",
    )
    calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        check_company=True,
        default=lambda self: self.env.company.resource_calendar_id,
        ondelete="restrict",
        help="Working calendar in which time counts: its attendances in its "
        "time zone, minus its public holidays. Not used for a 24x7 target.",
    )
    customer_tz = fields.Boolean(
        string="In the Customer's Time Zone",
        help="Read the calendar's working hours in the time zone of the "
        "ticket's customer (e.g. 8:00-17:00 in New York for a New York "
        "customer): the contact's time zone, else that of its company, else "
        "the calendar's own (customer calendar rule 1). Unticked: in the "
        "calendar's time zone. The agreement's months keep their own time "
        "zone (period rule).",
    )
    pause_stage_ids = fields.Many2many(
        "helpdesk.ticket.stage",
        "slm_target_pause_stage_rel",
        "target_id",
        "stage_id",
        string="Pausing Stages",
        check_company=True,
        help="While a ticket sits in one of these stages (e.g. Awaiting the "
        "customer) no time counts.",
    )
    pause_reason_required = fields.Boolean(
        help="An agent who moves a ticket to one of the pausing stages while "
        "this target's clock counts must give a pause reason (waiting for the "
        "customer, for a third party...). Moves made by the system (e-mails, "
        "the customer's reply, automated and scheduled actions) are never "
        "refused: they record no reason (pause reason rule 3). Not a term of "
        "the agreement: changed in any status.",
    )
    pause_budget = fields.Boolean(
        string="Limit Pauses",
        help="Give the pauses of each clock a budget: once a ticket has spent "
        "the Pause Budget paused (business time), the clock counts again even "
        "in a pausing stage, and the assignee and the Service Level Manager "
        "are notified (pause budget rules). Unticked: pauses are unlimited.",
    )
    pause_budget_hours = fields.Float(
        string="Pause Budget (hours)",
        help="The most business time a clock of this target may spend paused "
        "(more than 0). For a target whose reopening starts a new cycle, each "
        "cycle has the full budget.",
    )
    parent_target_id = fields.Many2one(
        "slm.target",
        string="Overrides",
        index="btree_not_null",
        ondelete="set null",
        domain="[('agreement_id', 'parent_of', agreement_parent_id or 0), "
        "('metric', '=', metric)]",
        help="Multi-level: the target of a higher-level agreement that this "
        "target replaces here. The others are inherited as they are.",
    )
    override_ids = fields.One2many(
        "slm.target", "parent_target_id", string="Overridden by"
    )
    escalation_level_ids = fields.One2many(
        "slm.escalation.level",
        "target_id",
        string="Escalation Levels",
        copy=True,
        help="Who else is alerted, and when, as the threshold is used up. The "
        "warning (assignee, or team leader when unassigned) and the breach are "
        "always alerted.",
    )
    previous_target_id = fields.Many2one(
        "slm.target",
        string="Revised From",
        copy=False,
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="The target of the previous revision this one was copied from.",
    )
    scope_summary = fields.Char(
        string="Scope",
        compute="_compute_scope_summary",
        help="Tickets the target applies to and the hours in which time counts.",
    )
    company_id = fields.Many2one(
        related="agreement_id.company_id", store=True, index=True, precompute=True
    )
    kind = fields.Selection(related="agreement_id.kind", store=True)
    agreement_state = fields.Selection(
        related="agreement_id.state", string="Agreement Status"
    )
    agreement_parent_id = fields.Many2one(related="agreement_id.parent_id")
    partner_id = fields.Many2one(related="agreement_id.partner_id")
    # Alignment: the OLA targets (and UC targets, with slm_supplier) behind an
    # SLA target. Copied with an SLA's revision: it stays backed as before.
    underpinning_target_ids = fields.Many2many(
        "slm.target",
        "slm_target_underpinning_rel",
        "sla_target_id",
        "underpinning_target_id",
        string="Underpinned by",
        copy=True,
        domain=lambda self: self._underpinning_domain(),
        help="SLA target: the targets of OLAs that back it, i.e. that commit "
        "the teams delivering it. Same metric and company. Can be changed in "
        "any status of the agreements.",
    )
    underpins_target_ids = fields.Many2many(
        "slm.target",
        "slm_target_underpinning_rel",
        "underpinning_target_id",
        "sla_target_id",
        string="Underpins",
        copy=False,
        domain="[('kind', '=', 'sla'), ('metric', '=', metric), "
        "('company_id', '=', company_id), ('agreement_id.state', 'not in', "
        "('expired', 'terminated', 'superseded'))]",
        help="OLA target: the SLA targets it backs.",
    )
    alignment_issue_ids = fields.One2many(
        "slm.alignment.issue",
        "sla_target_id",
        string="Alignment Gaps",
        groups="slm_catalogue.group_slm_user",
        help="SLA target: what its underpinning lacks (none, longer threshold, "
        "narrower working hours, lower objective, not in force).",
    )

    _sql_constraints = [
        (
            "threshold_positive",
            "CHECK(metric = 'availability' OR threshold_hours > 0)",
            "The threshold of a target must be more than 0 hours.",
        ),
        (
            "objective_range",
            "CHECK(objective_pct >= 0 AND objective_pct <= 100)",
            "The objective of a target is a percentage between 0 and 100.",
        ),
        (
            "warning_range",
            "CHECK(warning_pct >= 0 AND warning_pct < 100)",
            "The warning of a target is a percentage from 0 to less than 100.",
        ),
    ]

    # Attainment of the current month (clock rule 8), from the settled clocks.
    current_measured = fields.Integer(
        compute="_compute_current_attainment",
        help="Clocks of this target settled this month (met, or breached and "
        "not excused).",
    )
    current_attainment = fields.Float(
        compute="_compute_current_attainment",
        string="Attainment this Month (%)",
        help="Met / (met + breached not excused) over the clocks settled this "
        "month.",
    )
    current_attainment_text = fields.Char(
        compute="_compute_current_attainment_text",
        string="Attainment this Month",
        help='The attainment of the month, or "not measured" when no clock '
        "was settled (reporting rule 3).",
    )
    current_excused = fields.Integer(
        compute="_compute_current_attainment",
        string="Excused this Month",
        help="Breaches of this target this month excused by a Service Level "
        "Manager: not counted in the attainment.",
    )
    current_achieved = fields.Boolean(
        compute="_compute_current_attainment",
        help="This month's attainment reaches the objective.",
    )
    # Availability of the current month (clock rule 9), from slm.availability.
    current_availability = fields.Float(
        compute="_compute_current_availability",
        string="Availability this Month (%)",
        help="Availability target: (agreed - downtime) / agreed over the agreed "
        "service time passed this month, for the agreement as a whole.",
    )
    current_availability_status = fields.Selection(
        [("achieved", "Achieved"), ("at_risk", "At Risk"), ("missed", "Missed")],
        compute="_compute_current_availability",
        string="Availability Status",
        help="Missed: this month's downtime exceeds its budget. At Risk: more "
        "than the warning share of the budget is used.",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    def _compute_current_availability(self):
        rows = self.env["slm.availability"]._current_rows(self)
        for target in self:
            row = rows.get(target._origin.id)
            target.current_availability = row.availability_pct if row else 0.0
            target.current_availability_status = row.status if row else False

    @api.depends("current_measured", "current_attainment")
    def _compute_current_attainment_text(self):
        for target in self:
            target.current_attainment_text = (
                f"{target.current_attainment:.2f} %"
                if target.current_measured
                else self.env._("not measured")
            )

    def _compute_current_attainment(self):
        # The current month in the agreement's time zone (period rule), from
        # the one source of attainment figures.
        by_month = defaultdict(list)
        for target in self:
            if target._origin.id:
                month = start_of(target.agreement_id._period_today(), "month")
                by_month[month].append(target._origin.id)
        counts = {}
        for month, target_ids in by_month.items():
            counts.update(
                self.env["slm.clock"]._attainment_counts(
                    [("target_id", "in", target_ids), ("period_date", "=", month)],
                    ["target_id"],
                )
            )
        for target in self:
            figures = counts.get((target._origin.id,), {})
            met = figures.get("met", 0)
            measured = figures.get("measured", 0)
            target.current_excused = figures.get("excused", 0)
            target.current_measured = measured
            target.current_attainment = 100.0 * met / measured if measured else 0.0
            target.current_achieved = bool(measured) and (
                target.current_attainment >= target.objective_pct
            )

    @api.depends("agreement_id.reference", "name")
    def _compute_display_name(self):
        for target in self:
            reference = target.agreement_id.reference
            target.display_name = (
                f"{reference}: {target.name}" if reference else target.name or ""
            )

    @api.depends(
        "metric", "threshold_hours", "priority_ids", "threshold_unit", "business_days"
    )
    def _compute_name(self):
        metrics = dict(self._fields["metric"]._description_selection(self.env))
        for target in self:
            if target.metric == "availability":
                # No threshold, no ticket scope: the objective is shown beside.
                target.name = metrics["availability"]
                continue
            if target.threshold_unit == "business_days":
                name = self.env._(
                    "%(metric)s by business day %(days)s",
                    metric=metrics.get(target.metric, ""),
                    days=target.business_days,
                )
            else:
                name = self.env._(
                    "%(metric)s %(hours)s h",
                    metric=metrics.get(target.metric, ""),
                    hours=format(target.threshold_hours, "g"),
                )
            if target.priority_ids:
                priorities = ", ".join(target._sorted_priorities().mapped("name"))
                name = f"{name} ({priorities})"
            target.name = name

    @api.depends(
        "priority_ids", "category_ids", "tag_ids", "around_the_clock", "calendar_id"
    )
    def _compute_scope_summary(self):
        for target in self:
            parts = []
            if target.priority_ids:
                parts.append(", ".join(target._sorted_priorities().mapped("name")))
            if target.category_ids:
                parts.append(
                    self.env._(
                        "categories %s",
                        ", ".join(target.category_ids.mapped("name")),
                    )
                )
            if target.tag_ids:
                parts.append(
                    self.env._("tags %s", ", ".join(target.tag_ids.mapped("name")))
                )
            if not parts:
                parts.append(self.env._("All tickets"))
            if target.around_the_clock:
                parts.append(self.env._("24x7"))
            elif target.calendar_id:
                parts.append(target.calendar_id.name)
            target.scope_summary = " · ".join(parts)

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("metric", "threshold_hours", "objective_pct", "warning_pct")
    def _check_numbers(self):
        for target in self:
            error = target._number_error(
                target.threshold_hours,
                target.objective_pct,
                target.warning_pct,
                metric=target.metric,
            )
            if error:
                raise ValidationError(error)

    def _number_error(self, threshold, objective, warning, metric=None):
        """The message for the first number out of range, or None."""
        name = self.name or self.env._("This target")
        # An availability target has no threshold: its objective is a share
        # of the agreed service time.
        if metric == "availability":
            threshold = None
            if objective is not None and not 0 <= objective <= 100:
                return self.env._(
                    "%(target)s: the objective is a percentage of the agreed "
                    "service time, between 0 and 100 (it is %(value)s).",
                    target=name,
                    value=objective,
                )
        for value in (threshold, objective, warning):
            if isinstance(value, float) and not math.isfinite(value):
                return self.env._(
                    "%(target)s: thresholds and percentages must be numbers (it "
                    "is %(value)s).",
                    target=name,
                    value=value,
                )
        if threshold is not None and threshold <= 0:
            return self.env._(
                "%(target)s: the threshold must be more than 0 hours (it is "
                "%(value)s).",
                target=name,
                value=threshold,
            )
        if objective is not None and not 0 <= objective <= 100:
            return self.env._(
                "%(target)s: the objective is a percentage of tickets, between 0 "
                "and 100 (it is %(value)s).",
                target=name,
                value=objective,
            )
        if warning is not None and not 0 <= warning < 100:
            return self.env._(
                "%(target)s: the warning is the share of the threshold used before "
                "agents are warned, from 0 to less than 100 %% (it is %(value)s).",
                target=name,
                value=warning,
            )
        return None

    @api.constrains("pause_budget", "pause_budget_hours")
    def _check_pause_budget(self):
        for target in self:
            error = target._pause_budget_error(
                target.pause_budget, target.pause_budget_hours
            )
            if error:
                raise ValidationError(error)

    def _pause_budget_error(self, enabled, hours):
        """The message for a pause budget that does not fit (pause budget rule
        2), or None: more than 0 hours when set, at most a year."""
        name = self.name or self.env._("This target")
        hours = hours or 0.0
        if isinstance(hours, float) and not math.isfinite(hours):
            return self.env._(
                "%(target)s: the pause budget must be a number of hours (it is "
                "%(value)s).",
                target=name,
                value=hours,
            )
        if hours < 0 or (enabled and hours <= 0):
            return self.env._(
                "%(target)s: the pause budget must be more than 0 hours (it is "
                "%(value)s). Untick Limit Pauses for pauses without a budget.",
                target=name,
                value=hours,
            )
        if hours > MAX_PAUSE_BUDGET_HOURS:
            return self.env._(
                "%(target)s: the pause budget can be at most %(max)s hours (a "
                "year; it is %(value)s).",
                target=name,
                max=MAX_PAUSE_BUDGET_HOURS,
                value=hours,
            )
        return None

    def _pause_budget_seconds(self):
        """Business seconds a clock of this target may spend paused, or None
        (no budget): pause budget rule 1."""
        self.ensure_one()
        target = self.sudo()
        if not target.pause_budget:
            return None
        return round(target.pause_budget_hours * 3600)

    @api.constrains(
        "metric", "reopen_policy", "threshold_unit", "business_days", "around_the_clock"
    )
    def _check_cycle_options(self):
        """Clock rules 15 and 16: the options fit the metric and the hours."""
        for target in self:
            error = target._cycle_option_error()
            if error:
                raise ValidationError(error)

    def _cycle_option_error(self):
        self.ensure_one()
        name = self.name or self.env._("This target")
        if self.reopen_policy == "new_cycle" and self.metric != "resolution":
            return self.env._(
                "%(target)s: a reopen policy applies to resolution targets only; "
                "response clocks are never reopened. Set On Reopening to Resume.",
                target=name,
            )
        if self.threshold_unit != "business_days":
            return None
        if self.metric == "availability":
            return self.env._(
                "%(target)s: an availability target has no deadline; its "
                "threshold cannot be in business days.",
                target=name,
            )
        if not 0 <= self.business_days <= MAX_BUSINESS_DAYS:
            return self.env._(
                "%(target)s: the number of business days must be from 0 (the same "
                "day) to %(max)s (it is %(value)s).",
                target=name,
                max=MAX_BUSINESS_DAYS,
                value=self.business_days,
            )
        if self.around_the_clock:
            return self.env._(
                "%(target)s: a deadline in business days needs a working "
                "calendar (a business day is a day with working time); untick "
                "24x7 or give the threshold in hours.",
                target=name,
            )
        return None

    @api.constrains("around_the_clock", "calendar_id")
    def _check_calendar(self):
        for target in self.filtered(lambda t: not t.around_the_clock):
            # Read as the system: a calendar of a company the user cannot see
            # gets the same clear message.
            calendar = target.calendar_id.sudo()
            problem = calendar_problem(calendar, target.company_id)
            if problem:
                raise ValidationError(target._calendar_error(problem, calendar))

    def _calendar_error(self, problem, calendar):
        values = {
            "target": self.name,
            "agreement": self.agreement_id.display_name,
            "calendar": calendar.name,
        }
        if problem == "missing":
            return self.env._(
                "%(target)s of %(agreement)s counts working hours: choose "
                "its working calendar, or tick 24x7.",
                **values,
            )
        if problem == "company":
            return self.env._(
                "%(target)s of %(agreement)s counts the working hours of "
                "%(calendar)s, a calendar of %(other)s, but the agreement "
                "belongs to %(company)s: choose a calendar of %(company)s "
                "or one shared by every company.",
                other=calendar.company_id.name,
                company=self.company_id.name,
                **values,
            )
        return self.env._(
            "%(target)s of %(agreement)s counts working hours, but the "
            "calendar %(calendar)s has no fixed working hours: time "
            "would never count. Add its working hours, choose another "
            "calendar, or tick 24x7.",
            **values,
        )

    @api.constrains(
        "metric", "threshold_hours", "around_the_clock", "calendar_id", "active"
    )
    def _check_setting_reachable(self):
        """Fail-soft rules 3 and 4: a threshold the calendar can reach within
        the horizon, a calendar with a known time zone."""
        cache = {}
        for target in self:
            error = target._slm_setting_error(cache)
            if error:
                raise ValidationError(error)

    def _slm_setting_error(self, cache=None):
        """Why this target's clocks could not be computed, or None."""
        self.ensure_one()
        cache = {} if cache is None else cache
        calendar = self.env["resource.calendar"]
        if not self.around_the_clock:
            calendar = self.calendar_id.sudo()
        values = {
            "target": self.display_name or self.name or "",
            "calendar": calendar.name or "",
            "tz": calendar.tz or "",
        }
        if calendar and calendar.tz and calendar.tz not in pytz.all_timezones_set:
            return self.env._(
                "%(target)s counts the working hours of %(calendar)s, whose time "
                "zone %(tz)s is unknown: choose a time zone of the list (e.g. "
                "Europe/Brussels) on the calendar.",
                **values,
            )
        if (
            self.metric == "availability"
            or not self.threshold_hours
            or self.threshold_unit == "business_days"
        ):
            # A business-day deadline is at most a year away (clock rule 16).
            return None
        levels = self.sudo().escalation_level_ids.mapped("threshold_pct")
        furthest = self.threshold_hours * max([100.0, *levels]) / 100
        if calendar:
            if calendar.id not in cache:
                cache[calendar.id] = calendar._slm_horizon_hours(SETTING_HORIZON_DAYS)
            available = cache[calendar.id]
        else:
            available = SETTING_HORIZON_DAYS * 24.0
        if not furthest <= available:
            return self.env._(
                "%(target)s: %(hours)s hours (its threshold, or its furthest "
                "escalation level) cannot be reached within %(days)s days of "
                "%(time)s (%(available)s working hours). Lower the threshold or "
                "the escalation levels, or choose a calendar with more working "
                "hours.",
                hours=format(furthest, "g"),
                days=SETTING_HORIZON_DAYS,
                time=calendar.name if calendar else self.env._("around-the-clock time"),
                available=format(round(available, 2), "g"),
                **values,
            )
        return None

    @api.constrains("parent_target_id", "agreement_id", "metric")
    def _check_parent_target(self):
        for target in self:
            parent = target.parent_target_id
            if not parent:
                continue
            agreement = target.agreement_id
            ancestor_ids = [
                int(aid) for aid in (agreement.parent_path or "").split("/") if aid
            ]
            if parent.agreement_id.id not in ancestor_ids[:-1]:
                raise ValidationError(
                    self.env._(
                        "%(target)s of %(agreement)s cannot override %(parent)s: "
                        "a target overrides only a target of a higher-level "
                        "agreement of the same structure.",
                        target=target.name,
                        agreement=agreement.display_name,
                        parent=parent.display_name,
                    )
                )
            if parent.metric != target.metric:
                raise ValidationError(
                    self.env._(
                        "%(target)s cannot override %(parent)s: a response target "
                        "overrides a response target, a resolution target a "
                        "resolution target.",
                        target=target.name,
                        parent=parent.display_name,
                    )
                )

    @api.constrains("pause_reason_required", "company_id", "active")
    def _check_pause_reasons_available(self):
        """Pause reason rule 2: reasons required, but none to choose from in
        the target's company, is refused when set."""
        for target in self.filtered(lambda t: t.pause_reason_required and t.active):
            Reason = self.env["slm.pause.reason"].sudo()
            if not Reason.search_count(
                Reason._available_domain(target.company_id), limit=1
            ):
                raise ValidationError(
                    self.env._(
                        "%(target)s requires a pause reason, but the list of "
                        "pause reasons of %(company)s is empty: add an active "
                        "reason (Configuration > Pause Reasons) first, or do "
                        "not require one.",
                        target=target.display_name,
                        company=target.company_id.name,
                    )
                )

    @api.model
    @tools.ormcache()
    def _slm_pause_stage_sets(self):
        """(stage ids any target pauses in, stage ids in which a target
        requires a reason), archived targets included (a superset: the move
        checks the ticket's own clocks). Cached: no query on a ticket's
        stage change (pause reason rule 3); cleared when targets change."""
        self.flush_model(["pause_stage_ids", "pause_reason_required"])
        self.env.cr.execute(
            """
            SELECT rel.stage_id, bool_or(t.pause_reason_required)
              FROM slm_target_pause_stage_rel rel
              JOIN slm_target t ON t.id = rel.target_id
          GROUP BY rel.stage_id
            """
        )
        rows = self.env.cr.fetchall()
        return (
            frozenset(stage for stage, _required in rows),
            frozenset(stage for stage, required in rows if required),
        )

    @api.constrains("pause_stage_ids")
    def _check_pause_not_reply_stage(self):
        """Channel rule 11: the stage a team moves tickets to on a customer's
        reply ends a pause; a target may not pause in it (the same setting
        refused from the team's side)."""
        stages = self.pause_stage_ids
        if not stages:
            return
        teams = (
            self.env["helpdesk.ticket.team"]
            .sudo()
            .with_context(active_test=False)
            .search([("slm_customer_reply_stage_id", "in", stages.ids)])
        )
        for target in self:
            team = teams.filtered(
                lambda t, target=target: t.slm_customer_reply_stage_id
                in target.pause_stage_ids
            )[:1]
            if team:
                raise ValidationError(
                    self.env._(
                        "%(target)s cannot pause in %(stage)s: team %(team)s moves "
                        "tickets there on the customer's reply, to end a pause.",
                        target=target.display_name,
                        stage=team.slm_customer_reply_stage_id.name,
                        team=team.name,
                    )
                )

    @api.constrains(
        "underpinning_target_ids", "underpins_target_ids", "metric", "agreement_id"
    )
    def _check_underpinning(self):
        kinds = self._slm_underpinning_kinds()
        for target in self:
            pairs = [(target, under) for under in target.underpinning_target_ids]
            pairs += [(sla, target) for sla in target.underpins_target_ids]
            for sla, under in pairs:
                error = sla._underpinning_error(under, kinds)
                if error:
                    raise ValidationError(error)

    def _underpinning_error(self, under, kinds):
        """Why ``under`` cannot underpin this target, or None."""
        values = {
            "target": self.display_name,
            "under": under.display_name,
        }
        if under == self:
            return self.env._("%(target)s cannot underpin itself.", **values)
        kind_labels = dict(
            self.env["slm.agreement"]._fields["kind"]._description_selection(self.env)
        )
        if self.kind != "sla":
            return self.env._(
                "%(target)s is a target of an %(kind)s, not of an SLA: only the "
                "targets of SLAs (the promises to customers) are underpinned.",
                kind=kind_labels.get(self.kind, self.kind),
                **values,
            )
        if under.kind not in kinds:
            return self.env._(
                "%(under)s cannot underpin %(target)s: an SLA target is backed by "
                "targets of %(kinds)s, not of another %(kind)s.",
                kinds=", ".join(kind_labels.get(kind, kind) for kind in kinds),
                kind=kind_labels.get(under.kind, under.kind),
                **values,
            )
        if under.metric != self.metric:
            metrics = dict(self._fields["metric"]._description_selection(self.env))
            return self.env._(
                "%(under)s (%(under_metric)s) cannot underpin %(target)s "
                "(%(metric)s): a target is backed by targets of the same metric, "
                "e.g. a response target by response targets, a resolution target "
                "by resolution targets.",
                under_metric=metrics.get(under.metric, under.metric),
                metric=metrics.get(self.metric, self.metric),
                **values,
            )
        if under.company_id != self.company_id:
            return self.env._(
                "%(under)s cannot underpin %(target)s: they belong to different "
                "companies.",
                **values,
            )
        return None

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # Wrong values first, in the user's words (catalogue rule).
        for vals in vals_list:
            self.browse()._slm_check_values(vals, "create")
        agreements = self.env["slm.agreement"].browse(
            {vals["agreement_id"] for vals in vals_list if vals.get("agreement_id")}
        )
        agreements._check_targets_editable()
        for vals in vals_list:
            if vals.get("around_the_clock"):
                # A 24x7 target has no working calendar (not the default one).
                vals["calendar_id"] = False
            # The database checks these too, with a less helpful message.
            error = self._number_error(
                vals.get("threshold_hours"),
                vals.get("objective_pct"),
                vals.get("warning_pct"),
                metric=vals.get("metric"),
            )
            if error:
                raise ValidationError(error)
            error = self._pause_budget_error(
                vals.get("pause_budget"), vals.get("pause_budget_hours")
            )
            if error:
                raise ValidationError(error)
        targets = super().create(vals_list)
        # The ticket index (clock rule 1), the stages that ask for a reason
        # (pause reason rule 3).
        self.env.registry.clear_cache()
        self.env["slm.alignment.issue"]._refresh_targets(targets)
        return targets

    def write(self, vals):
        self._slm_check_values(vals)  # wrong values first (catalogue rule)
        if {"pause_budget", "pause_budget_hours"}.intersection(vals):
            for target in self:
                error = target._pause_budget_error(
                    vals.get("pause_budget", target.pause_budget),
                    vals.get("pause_budget_hours", target.pause_budget_hours),
                )
                if error:
                    # Who may not write at all learns that first.
                    self.check_access("write")
                    raise ValidationError(error)
        agreements = self.agreement_id
        if vals.get("agreement_id"):
            agreements |= agreements.browse(vals["agreement_id"])
        if not (UNDERPINNING_FIELDS | PROCESS_FIELDS).issuperset(vals):
            agreements._check_targets_editable()
        if vals.get("around_the_clock"):
            vals = dict(vals, calendar_id=False)
        engine = set(self._slm_engine_fields()[self._name])
        if (PAUSE_FIELDS | TICKET_SCOPE_FIELDS | engine).intersection(vals):
            # The ticket index (clock rule 1), the stages that ask for a
            # reason (pause reason rule 3), the clocks' settings (clock rule 21).
            self.env.registry.clear_cache()
        if not ALIGNMENT_FIELDS.intersection(vals):
            return super().write(vals)
        # The SLA targets these backed before the change may lose their backing.
        backed = self.sudo().with_context(active_test=False).underpins_target_ids
        result = super().write(vals)
        self.env["slm.alignment.issue"]._refresh_targets(self | backed)
        return result

    def unlink(self):
        backed = self.sudo().with_context(active_test=False).underpins_target_ids
        result = super().unlink()
        # The ticket index (clock rule 1), the stages asking for a reason.
        self.env.registry.clear_cache()
        self.env["slm.alignment.issue"]._refresh(backed - self)
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_agreed(self):
        self.agreement_id._check_targets_editable()

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    @api.model
    def _seal_fields(self):
        """The terms of a target sealed with its agreement (seal rule 1)."""
        return [
            "name",
            "active",
            "metric",
            "threshold_hours",
            "objective_pct",
            "warning_pct",
            "priority_ids",
            "category_ids",
            "tag_ids",
            "around_the_clock",
            "calendar_id",
            "customer_tz",
            "pause_stage_ids",
            "pause_budget",
            "pause_budget_hours",
            "threshold_unit",
            "business_days",
            "reopen_policy",
        ]

    @api.model
    def _slm_engine_fields(self):
        """{model: field names} that ``_slm_engine_settings`` holds
        (``ENGINE_FIELDS``); modules whose clocks read more add theirs."""
        return {model: tuple(names) for model, names in ENGINE_FIELDS.items()}

    @api.model
    @tools.ormcache("target_id")
    def _slm_engine_settings(self, target_id):
        """What a clock's computation reads of the target ``target_id``, its
        escalation levels, agreement and calendar (clock rule 21), as ORM
        cache values: ``((model, record id, ((field, value), ...)), ...)``.
        Kept in the registry's cache, cleared when one of these settings
        changes (``_slm_engine_fields``)."""
        env = self.env(su=True, context={})
        target = env["slm.target"].browse(target_id).exists()
        if not target:
            return ()
        fields_of = self._slm_engine_fields()
        target.fetch(fields_of["slm.target"])
        groups = (
            (target, fields_of["slm.target"]),
            (target.escalation_level_ids, fields_of["slm.escalation.level"]),
            (target.agreement_id, fields_of["slm.agreement"]),
            (target.calendar_id, fields_of["resource.calendar"]),
        )
        snapshot = []
        for records, names in groups:
            records.fetch(names)
            for record in records:
                values = tuple(
                    (name, env.cache.get(record, record._fields[name]))
                    for name in names
                )
                snapshot.append((record._name, record.id, values))
        return tuple(snapshot)

    def _slm_prefetch_engine_settings(self):
        """Put the settings of these targets (``_slm_engine_settings``) in the
        ORM cache where it holds none: a computation reads them with no query
        (a value this transaction has read or written stays as it is)."""
        cache = self.env.cache
        # Stored targets only (a new one in a form has no settings to share).
        for target_id in {i for i in self.ids if isinstance(i, int)}:
            for model, record_id, values in self._slm_engine_settings(target_id):
                record = self.env[model].browse(record_id)
                for name, value in values:
                    field = record._fields[name]
                    if not cache.contains(record, field):
                        cache.set(record, field, value)

    @api.model
    def _slm_scope_records_listed(self, records):
        """Whether a target, even archived, lists one of these tags or
        categories (``records``): the ticket index holds them
        (``_slm_scope_facts``) and is cleared when they are deleted (clock
        rule 1, clock rule 20). Asked before the deletion: the links go with
        the records."""
        fname = SCOPE_RECORD_FIELDS[records._name]
        targets = self.sudo().with_context(active_test=False)
        return bool(targets.search_count([(fname, "in", records.ids)], limit=1))

    @api.model
    def _slm_check_scope_records_deletable(self, records, deleted=None):
        """Refuse to delete tags or categories (``records``: those
        ``deleted`` with their sub-categories) that a target of an agreement
        in a sealed state lists: the agreed scope, and the seal, would change
        (clock rule 20, seal rule 1). Those of other targets are deleted with
        their links.

        Whatever the user and the context (the uninstall key comes with any
        RPC call); only the superuser uninstalling a module goes through."""
        if self.env.su and self.env.context.get(MODULE_UNINSTALL_FLAG):
            return
        fname = SCOPE_RECORD_FIELDS[records._name]
        Agreement = self.env["slm.agreement"]
        sealed = ["|", ("seal_id", "!=", False)] + Agreement._seal_state_domain()
        targets = (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [(fname, "in", records.ids), ("agreement_id", "any", sealed)],
                order="agreement_id, id",
            )
        )
        if not targets:
            return
        target = targets[0]
        listed = target[fname] & records
        states = dict(Agreement._fields["state"]._description_selection(self.env))
        kind = (
            self.env._("tag")
            if records._name == "helpdesk.ticket.tag"
            else self.env._("category")
        )
        values = {
            "kind": kind,
            "name": listed[:1].display_name,
            "target": target.display_name,
            "agreement": target.agreement_id.display_name,
            "state": states.get(target.agreement_id.state, "").lower(),
        }
        if deleted is None or listed & deleted:
            message = self.env._(
                'The %(kind)s "%(name)s" cannot be deleted: target '
                '"%(target)s" of agreement %(agreement)s (%(state)s) lists it '
                "in its scope, and deleting it would change what was agreed.",
                **values,
            )
        else:
            # A sub-category, deleted with its parent.
            message = self.env._(
                'The %(kind)s "%(parent)s" cannot be deleted: its '
                'sub-category "%(name)s" would go with it, and target '
                '"%(target)s" of agreement %(agreement)s (%(state)s) lists '
                "it in its scope; deleting it would change what was agreed.",
                parent=deleted[:1].display_name,
                **values,
            )
        others = len(targets) - 1
        if others:
            message += " " + self.env._(
                "%(count)s other agreed target(s) list it too.",
                count=others,
            )
        message += " " + self.env._(
            "Archive the %(kind)s instead: it is no longer offered for tickets, "
            "and the tickets and targets that have it keep it. Or create a new "
            "revision of the agreement without it (button New Revision) and "
            "have it agreed.",
            kind=kind,
        )
        raise UserError(message)

    def _slm_scope_facts(self):
        """This target's own scope (clock rule 1) as plain values, for the
        ticket index (``slm.agreement._slm_ticket_index``); archived tags and
        categories included (the fields read them, clock rule 20)."""
        self.ensure_one()
        return {
            "id": self.id,
            "priorities": frozenset(self.priority_ids.mapped("value")),
            "category_ids": frozenset(self.category_ids.ids),
            "tag_ids": frozenset(self.tag_ids.ids),
        }

    def _alert_levels(self):
        """[(share of the threshold in %, escalation level or None)], sorted.

        The warning and the breach (100 %) come first at their share; the
        escalation levels follow at theirs.
        """
        self.ensure_one()
        Level = self.env["slm.escalation.level"]
        levels = [(self.warning_pct, Level), (100.0, Level)]
        # Clocks are computed for whoever changes a ticket: read the levels
        # as the system does.
        levels += [
            (level.threshold_pct, level) for level in self.sudo().escalation_level_ids
        ]
        return sorted(levels, key=lambda item: (item[0], item[1].id or 0))

    @api.model
    def _slm_underpinning_kinds(self):
        """Agreement kinds whose targets may underpin an SLA target. A module
        adding a kind of agreement (e.g. 'uc', underpinning contracts) adds it
        here."""
        return ["ola"]

    @api.model
    def _underpinning_domain(self):
        """Domain (evaluated in the form) of the targets that may underpin."""
        return (
            f"[('kind', 'in', {self._slm_underpinning_kinds()!r}), "
            "('metric', '=', metric), ('company_id', '=', company_id), "
            "('agreement_id.state', 'not in', "
            "('expired', 'terminated', 'superseded'))]"
        )

    def _sorted_priorities(self):
        return self.priority_ids.sorted(lambda p: (p.sequence, p.value))

    def _override_chain(self):
        """This target and the higher-level targets it overrides, up the levels."""
        chain = self.browse()
        target = self
        while target and target not in chain:
            chain |= target
            target = target.parent_target_id
        return chain
