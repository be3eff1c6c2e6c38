# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_date, format_datetime, is_html_empty
from odoo.tools.date_utils import end_of, get_month, start_of

from odoo.addons.slm_agreements.tools.records import field_labels

# Once the minutes are sent, the review is a record of what was said: these
# fields never change again (the figures are in ``snapshot``, not recomputed).
FROZEN_STATES = ("minutes_sent", "closed")
# What the minutes record: sealed with them (seal rule 1).
SEALED_FIELDS = {
    "name",
    "kind",
    "agreement_ids",
    "partner_id",
    "service_ids",
    "period_start",
    "period_end",
    "date",
    "chair_id",
    "attendee_partner_ids",
    "attendee_user_ids",
    "agenda",
    "decisions",
    "minutes",
    "snapshot",
    "minutes_sent_date",
    "statement_ids",
}
# Frozen too, though not in the seal (seals written before would no longer
# verify): the duration, the actions and the company.
FROZEN_FIELDS = SEALED_FIELDS | {
    "duration",
    "action_ids",
    "carried_action_ids",
    "company_id",
}
# Set by the buttons only (Prepare Agenda, Meeting Held, Generate Minutes,
# Send Minutes, Close): they check the user's rights and the state, then write
# as superuser; plain writes are refused (guard rule 1). No context key lifts
# this nor the freeze: a script that must correct a frozen review runs as
# superuser (sudo()), and says so in the chatter.
WORKFLOW_FIELDS = {"state", "snapshot", "agenda", "minutes", "minutes_sent_date"}
# Changes after which the meeting in the calendar is brought up to date.
CALENDAR_FIELDS = {
    "name",
    "date",
    "duration",
    "chair_id",
    "attendee_partner_ids",
    "attendee_user_ids",
}
PROCESS_OWNER_GROUP = "slm_catalogue.group_slm_process_owner"


class SlmReview(models.Model):
    """A service review meeting: its scope and period, the agenda generated from
    Odoo records, and the minutes, frozen once sent.

    ``snapshot`` holds the figures of the agenda/minutes as JSON (a dict), so
    that the minutes, the PDF and the XLSX never recompute them later:

    {"period": {"start": "2026-10-01", "end": "2026-10-31"},
     "generated_at": "2026-11-03 09:00:00",
     "months": ["2026-05-01", ..., "2026-10-01"],          # trend months, last = period
     "targets": [{"target_id", "agreement", "name", "metric", "objective",
                  "measured", "met", "breached", "excused", "attainment" (or null),
                  "achieved", "trend": [{"month", "attainment" (or null)}]}],
     "breaches": [{"breach_id", "ticket", "target", "cause", "late_hours",
                   "excused", "state"}],
     "availability": [{"target", "agreement", "service", "month",
                       "availability", "objective", "status"}],
     "targets_to_revisit": [{"target", "reason": "missed"|"over_achieved",
                             "detail"}],
     "underpinning": [{"sla_target", "target", "kind", "agreement", "objective",
                       "attainment", "achieved"}],
     "alignment_gaps": [{"sla_target", "issue_type", "explanation"}],
     "adjustments": [{"name", "kind", "agreement", "start", "end", "state"}],
     "complaints": [{"ticket", "customer", "date", "subject"}],
     "open_actions": [{"action_id", "name", "owner", "due_date", "state",
                       "origin"}]}

    Further keys (all optional for readers):

    - "kind": "service" or "process"; "review": the header (name, customer,
      agreements, services, chair, meeting_date, attendees: [{"name",
      "email", "internal"}]); "period": also "window_start", "window_end"
      (the whole months the figures count) and "months" (the period's months);
    - "targets": also "target_id", "agreement_id", "metric_label", "source"
      ("statement", "live" or "mixed") and, for availability targets, the
      period's availability as "attainment" (measured/met/breached are 0);
    - "breaches": also "ticket_name", "agreement", "deadline", "root_cause",
      "excuse_reason"; "breach_causes": [{"cause", "count", "excused"}];
    - "availability": also "agreed_hours", "downtime_hours";
    - "underpinning": also "sla_target_id", "target_id", "measured", "met",
      "breached", "excused"; "alignment_gaps": also "underpinning_target",
      "issue_code";
    - "adjustments": also "reason"; "complaints": also "ticket_id",
      "ticket_name", "service", "stage", "closed"; "open_actions": also
      "overdue";
    - from Generate Minutes: "minutes_generated_at", "new_actions" and
      "carried_actions" (the same keys as "open_actions", with the states at
      generation);
    - process reviews: "process" (see ``slm_review_agenda.py``), and the
      service sections present but empty.

    Labels (metric_label, kind, state, status, issue_type, cause) are
    translated texts as shown when generated; dates are ISO strings, months the
    first day of the month; percentages are rounded to 2 decimals.
    """

    _name = "slm.review"
    _description = "Service Review"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "portal.mixin",
        "slm.customer.mixin",
        "slm.sealed.mixin",
    ]
    _order = "date desc, id desc"
    _sql_constraints = [
        (
            "planning_key_uniq",
            "unique(planning_key)",
            "This review is planned already (by another run of the planning).",
        ),
    ]
    _check_company_auto = True

    name = fields.Char(
        required=True,
        tracking=True,
        compute="_compute_name",
        store=True,
        readonly=False,
        precompute=True,
        help="Named after the customer (or the agreements) and the period; "
        "rename it after choosing them if you wish.",
    )
    kind = fields.Selection(
        [("service", "Service Review"), ("process", "Annual SLM Process Review")],
        required=True,
        default="service",
        tracking=True,
        index=True,
        help="Service Review: with a customer, about its agreements. Annual SLM "
        "Process Review: the Process Owner's yearly review of the process itself "
        "(volume, impact and cost of the agreements, process issues, amendments).",
    )
    state = fields.Selection(
        [
            ("planned", "Planned"),
            ("agenda_ready", "Agenda Ready"),
            ("held", "Held"),
            ("minutes_sent", "Minutes Sent"),
            ("closed", "Closed"),
        ],
        default="planned",
        required=True,
        tracking=True,
        index=True,
        copy=False,
        help="Planned: scope, period and meeting chosen. Agenda Ready: the agenda "
        "is generated from the records (prepare it again to refresh it). Held: "
        "the meeting took place; the chair records decisions and new actions and "
        "generates the minutes. Minutes Sent: sent to the attendees, the minutes "
        "and their figures are frozen. Closed: nothing left to do on the review "
        "itself (its actions are followed on their own).",
    )
    agreement_ids = fields.Many2many(
        "slm.agreement",
        "slm_review_agreement_rel",
        "review_id",
        "agreement_id",
        string="Agreements",
        check_company=True,
        help="The agreements reviewed: their targets in force (own and "
        "inherited) are reported.",
    )
    partner_id = fields.Many2one(
        help="The customer the review is held with. Breaches and complaints are "
        "those of this customer. Empty: every customer of the agreements.",
    )
    service_ids = fields.Many2many(
        "slm.service",
        "slm_review_service_rel",
        "review_id",
        "service_id",
        string="Services",
        check_company=True,
        help="Services reviewed: breaches, complaints and availability are "
        "limited to them. Empty: those of the agreements.",
    )
    period_start = fields.Date(
        required=True,
        tracking=True,
        default=lambda self: self._default_period()[0],
        help="First day of the period reviewed. Figures count the whole "
        "calendar months the period touches (UTC), as monthly statements do.",
    )
    period_end = fields.Date(
        required=True,
        tracking=True,
        default=lambda self: self._default_period()[1],
        help="Last day of the period reviewed.",
    )
    planning_key = fields.Char(
        readonly=True,
        copy=False,
        help="Set on reviews planned by the scheduled action: the agreement and "
        "the period. Unique, so that two runs at once cannot plan the same "
        "review twice.",
    )
    date = fields.Datetime(
        string="Meeting Date",
        tracking=True,
        help="When the meeting is held: the meeting is put in the calendar of "
        "the chair and the attendees, and kept up to date.",
    )
    duration = fields.Float(
        string="Meeting Duration",
        default=1.0,
        help="Length of the meeting, in hours.",
    )
    chair_id = fields.Many2one(
        "res.users",
        string="Chair",
        default=lambda self: self.env.user,
        tracking=True,
        domain=lambda self: [
            ("groups_id", "in", self.env.ref("slm_catalogue.group_slm_analyst").id)
        ],
        help="Who chairs the meeting, records decisions and sends the minutes: "
        "a Service Level Analyst or above.",
    )
    attendee_partner_ids = fields.Many2many(
        "res.partner",
        "slm_review_attendee_partner_rel",
        "review_id",
        "partner_id",
        string="Customer Attendees",
        domain="[('commercial_partner_id', '=', partner_id)] if partner_id else []",
        help="The customer's contacts at the meeting: they are invited and "
        "receive the minutes.",
    )
    attendee_user_ids = fields.Many2many(
        "res.users",
        "slm_review_attendee_user_rel",
        "review_id",
        "user_id",
        string="Internal Attendees",
        domain=[("share", "=", False)],
        help="Colleagues at the meeting (the chair attends anyway).",
    )
    calendar_event_id = fields.Many2one(
        "calendar.event",
        string="Meeting",
        copy=False,
        ondelete="set null",
        readonly=True,
        help="The meeting in the calendar, created when the meeting date is set.",
    )
    agenda = fields.Html(
        help="Generated from the records when the agenda is prepared.",
        sanitize_style=True,
        readonly=True,
        copy=False,
    )
    decisions = fields.Html(
        copy=False,
        help="What the meeting decided, recorded by the chair. Frozen once the "
        "minutes are sent.",
    )
    minutes = fields.Html(
        help="Generated from the agenda's figures, the decisions and the "
        "actions; frozen once sent.",
        sanitize_style=True,
        readonly=True,
        copy=False,
    )
    snapshot = fields.Json(
        copy=False,
        readonly=True,
        help="The figures of the agenda and minutes, as they were when generated.",
    )
    minutes_sent_date = fields.Datetime(readonly=True, copy=False)
    action_ids = fields.One2many(
        "slm.review.action",
        "review_id",
        string="New Actions",
        copy=False,
        help="Actions agreed in this meeting, each with an owner and a due date.",
    )
    carried_action_ids = fields.Many2many(
        "slm.review.action",
        "slm_review_carried_action_rel",
        "review_id",
        "action_id",
        string="Open Actions from Earlier Reviews",
        copy=False,
        readonly=True,
        help="Actions of earlier reviews of the same scope still open when the "
        "agenda was prepared: they are discussed again.",
    )
    statement_ids = fields.Many2many(
        "slm.service.statement",
        "slm_review_statement_rel",
        "review_id",
        "statement_id",
        string="Monthly Statements",
        copy=False,
        readonly=True,
        help="The issued monthly statements whose figures the agenda used.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    is_frozen = fields.Boolean(
        compute="_compute_is_frozen",
        help="The minutes are sent: the review can no longer be changed.",
    )
    action_count = fields.Integer(compute="_compute_action_count")
    recomputation_note = fields.Text(
        compute="_compute_recomputation_note",
        help="The minutes' figures never change once sent; when a Service "
        "Level Manager applies a recomputation of clocks that changes a month "
        "of the period afterwards, the difference is noted here "
        "(recomputation rule 6).",
    )

    # ------------------------------------------------------------------
    # Defaults and computes
    # ------------------------------------------------------------------

    @api.model
    def _default_period(self):
        """Last month: reviews look back at a finished period."""
        this_month = start_of(fields.Date.context_today(self), "month")
        return get_month(this_month - timedelta(days=1))

    @api.depends("kind", "partner_id", "agreement_ids", "period_start", "period_end")
    def _compute_name(self):
        for review in self:
            label = review._period_label()
            if review.kind == "process":
                review.name = self.env._("SLM Process Review %s", label)
                continue
            references = [
                ref for ref in review.agreement_ids.mapped("reference") if ref
            ]
            who = review.partner_id.name or ", ".join(references)
            review.name = (
                self.env._("Service Review %(who)s %(period)s", who=who, period=label)
                if who
                else self.env._("Service Review %s", label)
            )

    def _period_label(self):
        """2026-10, 2026-Q4, 2026-H2, 2026, or the two dates."""
        start, end = self.period_start, self.period_end
        if not (start and end):
            return ""
        if start.day == 1 and end == end_of(start, "month"):
            return start.strftime("%Y-%m")
        if start.day == 1 and end == start + relativedelta(months=3, days=-1):
            if start.month % 3 == 1:
                return f"{start.year}-Q{(start.month + 2) // 3}"
        if start.day == 1 and end == start + relativedelta(months=6, days=-1):
            if start.month in (1, 7):
                return f"{start.year}-H{1 if start.month == 1 else 2}"
        if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
            if start.year == end.year:
                return str(start.year)
        return f"{start} - {end}"

    def _get_report_base_filename(self):
        """The minutes' file name on the portal, as the report names it."""
        self.ensure_one()
        return self.env._("Minutes - %s", self.name)

    @api.depends("state")
    def _compute_is_frozen(self):
        for review in self:
            review.is_frozen = review.state in FROZEN_STATES

    def _compute_recomputation_note(self):
        """Recomputation rule 6: the figures as sent stay; each recomputation
        applied since that changed a month of the period for a target of the
        minutes is noted, with the target's attainment as sent and now."""
        for review in self:
            runs = review._recomputation_runs()
            review.recomputation_note = (
                review._recomputation_note(runs) if runs else False
            )

    def _recomputation_entries(self):
        """{target id: entry} of the ticket targets of the sent minutes."""
        self.ensure_one()
        if not self.is_frozen or not self.minutes_sent_date:
            return {}
        return {
            entry.get("target_id"): entry
            for entry in (self.snapshot or {}).get("targets", [])
            if entry.get("metric") != "availability"
        }

    def _recomputation_runs(self):
        """The recomputations applied since the minutes were sent that changed
        a month of the period for one of their targets."""
        self.ensure_one()
        entries = self._recomputation_entries()
        if not entries:
            return self.env["slm.recompute"]
        targets = self.env["slm.target"].sudo().browse(list(entries)).exists()
        return self.env["slm.service.statement"]._recomputations_since(
            self.minutes_sent_date, targets, self._period_months()
        )

    def _recomputation_note(self, runs):
        """The note of ``runs`` (recomputation rule 6): who, when, why, and
        each target they changed, as sent and now."""
        self.ensure_one()
        Statement = self.env["slm.service.statement"]
        entries = self._recomputation_entries()
        months = self._period_months()
        targets = self.env["slm.target"].sudo().browse(list(entries)).exists()
        live = Statement._figures_for(self.agreement_ids.sudo(), months, live=True)
        changed = set(
            runs.month_ids.filtered(
                lambda row: row.changed and row.period_date in months
            ).target_id.ids
        )
        notes = []
        for target in targets.filtered(lambda t: t.id in changed):
            entry = entries[target.id]
            met = measured = 0
            for month in months:
                figure = live.get((target.id, month))
                if figure:
                    met += figure["met"] or 0
                    measured += figure["measured"] or 0
            notes.append(
                self.env._(
                    "%(target)s: as sent %(sent)s, now %(now)s",
                    target=entry.get("name") or target.display_name,
                    sent=Statement._pct_label(
                        entry.get("attainment") or 0.0, entry.get("measured")
                    ),
                    now=Statement._pct_label(
                        100.0 * met / measured if measured else 0.0, measured
                    ),
                )
            )
        return "\n".join(
            self.env._(
                "Figures recomputed on %(date)s by %(who)s (%(why)s).",
                date=format_datetime(self.env, run.applied_on),
                who=run.applied_by_id.name or "",
                why=run.reason or "",
            )
            for run in runs
        ) + ("\n" + "; ".join(notes) + "." if notes else "")

    def _compute_action_count(self):
        counts = dict(
            self.env["slm.review.action"]._read_group(
                [("review_id", "in", self.ids)], ["review_id"], ["__count"]
            )
        )
        for review in self:
            review.action_count = counts.get(review, 0)

    def _compute_access_url(self):
        result = super()._compute_access_url()
        for review in self:
            review.access_url = f"/my/slm/reviews/{review.id}"
        return result

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("period_start", "period_end")
    def _check_period(self):
        for review in self:
            if review.period_end < review.period_start:
                raise ValidationError(
                    review._period_error(review.period_start, review.period_end)
                )

    def _period_error(self, start, end):
        return self.env._(
            "The review period of %(review)s would end on %(end)s, before it "
            "starts on %(start)s: correct the dates.",
            review=self.name or self.env._("this review"),
            end=format_date(self.env, end),
            start=format_date(self.env, start),
        )

    @api.constrains("partner_id", "agreement_ids", "kind")
    def _check_scope(self):
        for review in self:
            if review.kind == "process":
                continue
            partner = review.partner_id
            foreign = review.agreement_ids.filtered(
                lambda a, p=partner: a.partner_id and a.partner_id != p
            )
            if partner and foreign:
                raise ValidationError(
                    self.env._(
                        "%(agreements)s is made with another customer than "
                        "%(customer)s: review the customer's own agreements, or "
                        "agreements for every customer.",
                        agreements=", ".join(foreign.mapped("display_name")),
                        customer=partner.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # Wrong values first, in the user's words (catalogue rule).
        for vals in vals_list:
            self.browse()._slm_check_values(vals, "create")
        for vals in vals_list:
            if not self.env.su and (
                vals.get("state", "planned") != "planned"
                or any(vals.get(name) for name in WORKFLOW_FIELDS - {"state"})
            ):
                raise UserError(
                    self.env._(
                        "A review starts as planned, without agenda or minutes: "
                        "they are prepared, generated and sent with the buttons "
                        "of its form."
                    )
                )
            kind = vals.get("kind") or self.env.context.get("default_kind")
            if kind == "process":
                self._check_process_owner()
            start, end = vals.get("period_start"), vals.get("period_end")
            if start and end:
                start, end = fields.Date.to_date(start), fields.Date.to_date(end)
                if end < start:
                    raise ValidationError(self._period_error(start, end))
            if vals.get("partner_id"):
                partner = self.env["res.partner"].browse(vals["partner_id"])
                vals["partner_id"] = partner.commercial_partner_id.id
        reviews = super().create(vals_list)
        reviews.filtered("date")._sync_calendar_event()
        return reviews

    def write(self, vals):
        self._slm_check_values(vals)  # wrong values first (catalogue rule)
        if not self.env.su:
            self._check_not_frozen(vals)
            self._check_workflow_vals(vals)
        if vals.get("kind") == "process" or "process" in self.mapped("kind"):
            self._check_process_owner()
        if vals.get("partner_id"):
            partner = self.env["res.partner"].browse(vals["partner_id"])
            vals["partner_id"] = partner.commercial_partner_id.id
        result = super().write(vals)
        if CALENDAR_FIELDS.intersection(vals):
            self._sync_calendar_event()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_frozen(self):
        frozen = self.filtered(lambda r: r.state in FROZEN_STATES)
        if frozen:
            raise UserError(frozen[0]._frozen_error())

    def unlink(self):
        events = self.calendar_event_id
        result = super().unlink()
        events.sudo().unlink()
        return result

    def _check_not_frozen(self, vals):
        frozen = self.filtered(lambda r: r.state in FROZEN_STATES)
        if not frozen:
            return
        # Closing is the one move left once the minutes are sent.
        moves_state = "state" in vals and not (
            vals["state"] == "closed"
            or all(review.state == vals["state"] for review in frozen)
        )
        if moves_state or FROZEN_FIELDS.intersection(vals):
            raise UserError(frozen[0]._frozen_error())

    def _check_workflow_vals(self, vals):
        workflow = WORKFLOW_FIELDS.intersection(vals)
        if workflow:
            raise UserError(
                self.env._(
                    "The status, agenda, minutes and figures of a review change "
                    "only through its buttons (Prepare Agenda, Meeting Held, "
                    "Generate Minutes, Send Minutes, Close): %(fields)s cannot be "
                    "written directly.",
                    fields=field_labels(self, workflow),
                )
            )

    def _system_write(self, vals):
        """Write the workflow fields for a button (guard rule 1): the caller's
        right to change these reviews is checked (access rights, record rules,
        Process Owner for the process review), then the write runs as
        superuser."""
        self.check_access("write")
        if "process" in self.mapped("kind"):
            self._check_process_owner()
        return self.sudo().write(vals)

    def _frozen_error(self):
        self.ensure_one()
        return self.env._(
            "These minutes were sent on %(date)s: they cannot be changed "
            "(%(review)s). Record what changed since in the next review.",
            date=format_datetime(self.env, self.minutes_sent_date)
            if self.minutes_sent_date
            else "-",
            review=self.display_name,
        )

    def _check_process_owner(self):
        if self.env.su or self.env.user.has_group(PROCESS_OWNER_GROUP):
            return
        raise AccessError(
            self.env._(
                "Only the SLM Process Owner creates and runs the annual review of "
                "the SLM process."
            )
        )

    # ------------------------------------------------------------------
    # The meeting in the calendar
    # ------------------------------------------------------------------

    def _calendar_partners(self):
        self.ensure_one()
        return (
            self.attendee_partner_ids
            | self.attendee_user_ids.partner_id
            | self.chair_id.partner_id
        )

    def _calendar_event_values(self):
        self.ensure_one()
        return {
            "name": self.name,
            "start": self.date,
            "stop": self.date + timedelta(hours=max(self.duration, 0.25)),
            "allday": False,
            "user_id": self.chair_id.id or self.env.user.id,
            "partner_ids": [(6, 0, self._calendar_partners().ids)],
            "res_model_id": self.env["ir.model"]._get_id(self._name),
            "res_id": self.id,
            "description": self.env._(
                "Service review of %(period)s. The agenda is in Odoo: %(review)s.",
                period=self._period_label(),
                review=self.display_name,
            ),
        }

    def _sync_calendar_event(self):
        """Create, update or remove the meetings of these reviews.

        Run as superuser: the reviewer's rights were checked on the review; the
        event belongs to the chair, who may be someone else.
        """
        Event = self.env["calendar.event"].sudo()
        to_create = self.filtered(lambda r: r.date and not r.calendar_event_id)
        to_update = self.filtered(lambda r: r.date and r.calendar_event_id)
        to_remove = self.filtered(lambda r: not r.date and r.calendar_event_id)
        for review in to_update:
            review.calendar_event_id.sudo().write(review._calendar_event_values())
        if to_create:
            events = Event.create([r._calendar_event_values() for r in to_create])
            for review, event in zip(to_create, events, strict=True):
                # Not a change of the review's terms: no freeze check needed.
                super(SlmReview, review).write({"calendar_event_id": event.id})
        if to_remove:
            events = to_remove.calendar_event_id
            super(SlmReview, to_remove).write({"calendar_event_id": False})
            events.sudo().unlink()
        return True

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------

    def _check_states(self, allowed, action):
        wrong = self.filtered(lambda r: r.state not in allowed)
        if wrong:
            states = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "%(action)s: %(review)s is %(state)s (possible when it is "
                    "%(allowed)s).",
                    action=action,
                    review=wrong[0].display_name,
                    state=states[wrong[0].state].lower(),
                    allowed=", ".join(states[s].lower() for s in allowed),
                )
            )

    def action_prepare_agenda(self):
        """Generate the agenda from the records (again, while not yet held)."""
        self._check_states(
            ("planned", "agenda_ready"), self.env._("The agenda cannot be prepared")
        )
        self.check_access("write")
        for review in self:
            review._prepare_agenda()
        return True

    def action_meeting_held(self):
        self._check_states(
            ("agenda_ready",),
            self.env._("Prepare the agenda before recording the meeting as held"),
        )
        self._system_write({"state": "held"})
        return True

    def action_generate_minutes(self):
        """Render the minutes from the snapshot, the decisions and the actions."""
        self._check_states(
            ("held",),
            self.env._("Minutes are generated once the meeting is held"),
        )
        self.check_access("write")
        for review in self:
            review._generate_minutes()
        return True

    def _mark_minutes_sent(self):
        """Freeze these reviews: their minutes are sent (called by the sending).

        From now on the minutes, decisions, snapshot, actions list and scope
        cannot change.
        """
        not_ready = self.filtered(
            lambda r: r.state != "held" or is_html_empty(r.minutes)
        )
        if not_ready:
            raise UserError(
                self.env._(
                    "The minutes of %(review)s cannot be sent: hold the meeting "
                    "and generate the minutes first.",
                    review=", ".join(not_ready.mapped("display_name")),
                )
            )
        now = fields.Datetime.now()
        self._system_write({"state": "minutes_sent", "minutes_sent_date": now})
        # The minutes as sent are sealed (seal rule 1 of slm_agreements).
        self._seal()
        for review in self:
            review.message_post(
                body=self.env._(
                    "Minutes sent: the minutes and their figures are frozen."
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _seal_fields(self):
        """The minutes as sent and what they record (seal rule 1)."""
        return sorted(SEALED_FIELDS)

    @api.model
    def _seal_state_domain(self):
        return [("state", "in", FROZEN_STATES)]

    def action_close(self):
        self._check_states(
            ("minutes_sent",),
            self.env._("A review is closed once its minutes are sent"),
        )
        self._system_write({"state": "closed"})
        return True

    def action_view_actions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "slm_reviews.slm_review_action_action"
        )
        action["domain"] = [
            "|",
            ("review_id", "=", self.id),
            ("id", "in", self.carried_action_ids.ids),
        ]
        action["context"] = {"default_review_id": self.id}
        return action
