# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict
from datetime import timedelta

from odoo import Command, api, fields, models, tools
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools.misc import format_datetime

from ..tools.business_time import BusinessTime
from ..tools.periods import months_between
from ..tools.records import name_copies
from .slm_target import calendar_problem

# The terms of a change: they may change only while it is a draft, so that the
# approver approves what they saw and the clocks it changed stay explainable.
TERMS = {
    "name",
    "agreement_id",
    "kind",
    "date_start",
    "date_end",
    "reason",
    "calendar_id",
    "line_ids",
    "requested_by_id",
}
# Set by the workflow buttons only (they record who did what and when).
WORKFLOW_FIELDS = {
    "state",
    "submitted_by_id",
    "submitted_date",
    "approved_by_id",
    "approved_date",
}
# Changes that still count: they may not overlap another of the same kind.
LIVE_STATES = ("draft", "submitted", "approved")
# Agreements whose service levels may be changed for a while.
OPEN_AGREEMENT_STATES = ("draft", "negotiation", "agreed")
# Agreements that govern real tickets (slm.agreement, clock rule 1).
IN_FORCE_STATES = ("agreed", "expired", "superseded")
# Key of the clock batch cache (slm.clock._compute_values) holding what the
# batch needs to know about temporary changes.
CACHE_KEY = "slm.adjustment"


class SlmAdjustment(models.Model):
    """A temporary change of an agreement's service levels for a window of
    time (clock rule 10): extra support hours, reduced service, or an agreed
    maintenance window (freeze)."""

    _name = "slm.adjustment"
    _description = "Temporary Service Level Change"
    _inherit = ["mail.thread", "mail.activity.mixin", "slm.workflow.mixin"]
    _order = "date_start desc, id desc"
    _slm_workflow_fields = frozenset(WORKFLOW_FIELDS)
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------

    name = fields.Char(
        required=True,
        tracking=True,
        help="What the change is about, e.g. Month-end closing: Saturday support.",
    )
    agreement_id = fields.Many2one(
        "slm.agreement",
        required=True,
        index=True,
        ondelete="cascade",
        tracking=True,
        check_company=True,
        domain="[('state', 'in', ('draft', 'negotiation', 'agreed'))]",
        help="The agreement whose service levels change. The change applies to "
        "the tickets this agreement governs, for all its targets in force (its "
        "own and those it inherits from a higher level), and to the tickets its "
        "lower levels govern (they inherit its changes).",
    )
    kind = fields.Selection(
        [
            ("extra_hours", "Extra Support Hours"),
            ("reduced", "Reduced Service"),
            ("maintenance", "Maintenance Window"),
        ],
        required=True,
        default="extra_hours",
        tracking=True,
        index=True,
        help="Extra Support Hours: inside the window, time counts in the working "
        "hours of the calendar below instead of the targets' own hours. Reduced "
        "Service: tickets created inside the window get the thresholds of the "
        "lines below. Maintenance Window: an agreed freeze; inside the window no "
        "time counts on any clock of the agreement, and it is not agreed service "
        "time for availability.",
    )
    date_start = fields.Datetime(
        string="From",
        required=True,
        tracking=True,
        help="Start of the window (included).",
    )
    date_end = fields.Datetime(
        string="Until",
        required=True,
        tracking=True,
        help="End of the window (excluded): the change stops applying at this "
        "moment.",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("refused", "Refused"),
            ("cancelled", "Cancelled"),
        ],
        string="Status",
        required=True,
        default="draft",
        tracking=True,
        index=True,
        copy=False,
        help="Draft: being prepared. Submitted: waiting for a Service Level "
        "Manager other than the requester. Approved: in force, the clocks honour "
        "it; frozen (cancel it and create a new one to change it). Refused. "
        "Cancelled: no longer applies.",
    )
    reason = fields.Text(
        tracking=True,
        help="Why the service levels change for this window, as agreed with the "
        "customer or team. Required to submit.",
    )
    calendar_id = fields.Many2one(
        "resource.calendar",
        string="Support Hours",
        check_company=True,
        tracking=True,
        help="Extra Support Hours: the working hours (in their time zone, minus "
        "their public holidays) in which time counts inside the window, instead "
        "of the targets' own calendars or 24x7.",
    )
    company_id = fields.Many2one(
        related="agreement_id.company_id", store=True, index=True, precompute=True
    )
    partner_id = fields.Many2one(
        related="agreement_id.partner_id",
        string="Customer",
        help="The customer of the agreement (empty: every customer).",
    )
    line_ids = fields.One2many(
        "slm.adjustment.line",
        "adjustment_id",
        string="Thresholds",
        copy=True,
        help="Reduced Service: the threshold of each target for the tickets "
        "created inside the window. Targets not listed keep their threshold.",
    )
    allowed_target_ids = fields.Many2many(
        "slm.target",
        compute="_compute_allowed_target_ids",
        string="Targets in Force",
        help="The targets of the agreement, own and inherited.",
    )
    requested_by_id = fields.Many2one(
        "res.users",
        string="Requested By",
        default=lambda self: self.env.user,
        tracking=True,
        help="Who asks for the change. They cannot approve it themselves.",
    )
    submitted_by_id = fields.Many2one(
        "res.users", readonly=True, copy=False, help="Who submitted it for approval."
    )
    submitted_date = fields.Datetime(
        readonly=True, copy=False, help="When it was submitted for approval."
    )
    approved_by_id = fields.Many2one(
        "res.users",
        string="Approved By",
        readonly=True,
        copy=False,
        tracking=True,
        help="The Service Level Manager who approved it.",
    )
    approved_date = fields.Datetime(
        readonly=True, copy=False, help="When it was approved."
    )
    window_state = fields.Selection(
        [("upcoming", "Upcoming"), ("current", "Current"), ("past", "Past")],
        string="Window",
        compute="_compute_window_state",
        search="_search_window_state",
        help="Whether the window is still to come, under way, or over.",
    )
    duration_hours = fields.Float(
        string="Duration (h)",
        compute="_compute_duration_hours",
        help="Length of the window in hours of real time.",
    )

    _sql_constraints = [
        (
            "window_check",
            "CHECK(date_end > date_start)",
            "A temporary change must end after it starts.",
        ),
    ]

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("agreement_id")
    def _compute_allowed_target_ids(self):
        for adjustment in self:
            adjustment.allowed_target_ids = adjustment.agreement_id._effective_targets()

    @api.depends("date_start", "date_end")
    def _compute_window_state(self):
        now = fields.Datetime.now()
        for adjustment in self:
            if adjustment.date_start and adjustment.date_start > now:
                adjustment.window_state = "upcoming"
            elif adjustment.date_end and adjustment.date_end <= now:
                adjustment.window_state = "past"
            else:
                adjustment.window_state = "current"

    def _search_window_state(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(self.env._("Unsupported search on the window."))
        now = fields.Datetime.now()
        domains = {
            "upcoming": [("date_start", ">", now)],
            "current": [("date_start", "<=", now), ("date_end", ">", now)],
            "past": [("date_end", "<=", now)],
        }
        values = value if isinstance(value, list | tuple) else [value]
        domain = expression.OR([domains[v] for v in values if v in domains])
        if not domain:
            domain = expression.FALSE_DOMAIN
        if operator in ("!=", "not in"):
            domain = ["!"] + expression.normalize_domain(domain)
        return domain

    @api.depends("date_start", "date_end")
    def _compute_duration_hours(self):
        for adjustment in self:
            if adjustment.date_start and adjustment.date_end:
                seconds = (adjustment.date_end - adjustment.date_start).total_seconds()
                adjustment.duration_hours = seconds / 3600
            else:
                adjustment.duration_hours = 0.0

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("date_start", "date_end", "kind", "agreement_id", "state")
    def _check_window(self):
        for adjustment in self:
            error = adjustment._window_error(
                adjustment.date_start, adjustment.date_end, adjustment.name
            )
            if error:
                raise ValidationError(error)
        # Overlaps: one query for all of them.
        self.flush_model(["agreement_id", "kind", "date_start", "date_end", "state"])
        self.env.cr.execute(
            """
            SELECT a.id, b.id
              FROM slm_adjustment a
              JOIN slm_adjustment b
                ON b.agreement_id = a.agreement_id AND b.kind = a.kind
               AND b.id <> a.id AND b.state IN %(live)s
               AND b.date_start < a.date_end AND a.date_start < b.date_end
             WHERE a.id = ANY(%(ids)s) AND a.state IN %(live)s
          ORDER BY a.id, b.date_start
             LIMIT 1
            """,
            {"ids": self.ids, "live": LIVE_STATES},
        )
        row = self.env.cr.fetchone()
        if row:
            adjustment, other = self.browse(row[0]), self.browse(row[1])
            kinds = dict(self._fields["kind"]._description_selection(self.env))
            states = dict(self._fields["state"]._description_selection(self.env))
            raise ValidationError(
                self.env._(
                    "%(name)s (%(window)s) overlaps %(other)s (%(other_window)s, "
                    "%(state)s): an agreement has one %(kind)s at a time. Change "
                    "the dates, or cancel one of them.",
                    name=adjustment.name,
                    window=adjustment._window_label(),
                    other=other.name,
                    other_window=other._window_label(),
                    state=states[other.state].lower(),
                    kind=kinds[adjustment.kind].lower(),
                )
            )

    @api.model
    def _window_error(self, date_start, date_end, name):
        """The message for a window that does not end after its start, or None."""
        if date_start and date_end and date_end <= date_start:
            return self.env._(
                "%(name)s: the window must end after it starts (from %(start)s "
                "until %(end)s).",
                name=name or self.env._("This temporary change"),
                start=format_datetime(self.env, date_start),
                end=format_datetime(self.env, date_end),
            )
        return None

    def _window_label(self):
        self.ensure_one()
        return self.env._(
            "%(start)s to %(end)s",
            start=format_datetime(self.env, self.date_start, dt_format="short"),
            end=format_datetime(self.env, self.date_end, dt_format="short"),
        )

    @api.constrains("kind", "calendar_id")
    def _check_calendar(self):
        for adjustment in self.filtered(lambda a: a.kind == "extra_hours"):
            # Read as the system: a calendar of a company the user cannot see
            # gets the same clear message.
            calendar = adjustment.calendar_id.sudo()
            problem = calendar_problem(calendar, adjustment.company_id)
            if problem:
                raise ValidationError(adjustment._calendar_error(problem, calendar))

    def _calendar_error(self, problem, calendar):
        if problem == "missing":
            return self.env._(
                "%(name)s gives extra support hours: choose the calendar "
                "of those hours (Support Hours).",
                name=self.name,
            )
        if problem == "company":
            return self.env._(
                "%(name)s gives extra support hours in %(calendar)s, a "
                "calendar of %(other)s, but the agreement belongs to "
                "%(company)s: choose a calendar of %(company)s or one "
                "shared by every company.",
                name=self.name,
                calendar=calendar.name,
                other=calendar.company_id.name,
                company=self.company_id.name,
            )
        return self.env._(
            "%(name)s gives extra support hours, but the calendar "
            "%(calendar)s has no fixed working hours: time would never "
            "count. Choose a calendar with working hours.",
            name=self.name,
            calendar=calendar.name,
        )

    @api.constrains("state", "approved_by_id", "requested_by_id", "submitted_by_id")
    def _check_four_eyes(self):
        """Four eyes (guard rule 2): an approved change was approved by someone
        else than who asked for it, submitted or created it, whatever the path
        (even a superuser write)."""
        for adjustment in self.filtered(lambda a: a.state == "approved"):
            approver = adjustment.approved_by_id
            if approver and approver in (
                adjustment.requested_by_id
                | adjustment.submitted_by_id
                | adjustment.create_uid
            ):
                raise ValidationError(
                    self.env._(
                        "%(user)s asked for %(name)s: another Service Level "
                        "Manager must approve it.",
                        user=approver.name,
                        name=adjustment.name,
                    )
                )

    @api.constrains("kind", "line_ids", "agreement_id")
    def _check_lines(self):
        # The lines' own check refuses them unless the change is a reduced
        # service.
        self.line_ids._check_target()

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self._check_new_is_draft(
            vals_list,
            self.env._(
                "A temporary change starts as a draft: it is submitted and "
                "approved with the buttons of its form."
            ),
        )
        for vals in vals_list:
            # The database checks it too, with a less helpful message.
            error = self._window_error(
                fields.Datetime.to_datetime(vals.get("date_start")),
                fields.Datetime.to_datetime(vals.get("date_end")),
                vals.get("name"),
            )
            if error:
                raise ValidationError(error)
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            # Access rights first: who may not write learns that, not the rules.
            self.check_access("write")
            self._check_write_allowed(vals)
        if {"state", "agreement_id"}.intersection(vals):
            # Which agreements hold approved changes (_approved_change_holders).
            self.env.registry.clear_cache()
        return super().write(vals)

    def _check_write_allowed(self, vals):
        self._check_workflow_vals(
            vals,
            self.env._(
                "The status of a temporary change changes only through its "
                "buttons (Submit, Approve, Refuse, Cancel), which record who "
                "did what and when."
            ),
        )
        if not TERMS.intersection(vals):
            return
        self.filtered(lambda a: a.state == "approved")._refuse(
            self.env._(
                "%(names)s has been approved: it stays as approved so that the "
                "clocks it changed stay explainable. Cancel it and create a new "
                "one (Duplicate) to change it."
            )
        )
        self.filtered(lambda a: a.state == "cancelled")._refuse(
            self.env._(
                "%(names)s is cancelled: it stays as it was. Create a new one "
                "(Duplicate) instead."
            )
        )
        self.filtered(lambda a: a.state != "draft")._refuse(
            self.env._(
                "%(names)s is no longer a draft: send it back to draft to "
                "change it, then submit it again."
            )
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved(self):
        self.filtered("approved_date")._refuse(
            self.env._(
                "%(names)s has been approved: it stays in the records. Cancel "
                "it instead of deleting it."
            )
        )

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        name_copies(self, vals_list, default)
        for vals in vals_list:
            vals["requested_by_id"] = self.env.user.id
        return vals_list

    def _check_lines_editable(self):
        """Threshold lines change with their temporary change, while a draft."""
        if self.env.su:
            return
        self.filtered(lambda a: a.state != "draft")._refuse(
            self.env._(
                "The thresholds of %(names)s cannot change: it is no longer a "
                "draft. Send it back to draft (or, once approved, cancel it "
                "and create a new one)."
            )
        )

    # ------------------------------------------------------------------
    # Onchanges
    # ------------------------------------------------------------------

    @api.onchange("kind")
    def _onchange_kind(self):
        if self.kind != "reduced" and self.line_ids:
            self.line_ids = [Command.clear()]

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------

    def action_submit(self):
        self._check_states(("draft",), self.env._("submitted"))
        for adjustment in self:
            if not (adjustment.reason or "").strip():
                raise UserError(
                    self.env._(
                        "Give the reason for %(name)s (field Reason) before "
                        "submitting it: the approver and the customer need it.",
                        name=adjustment.name,
                    )
                )
            adjustment._check_complete()
        self._system_write(
            {
                "state": "submitted",
                "submitted_by_id": self.env.user.id,
                "submitted_date": fields.Datetime.now(),
            }
        )
        self._schedule_approval()
        return True

    def action_approve(self):
        """Approve: from now on the clocks honour the change (four-eyes)."""
        self._check_manager(self.env._("approve temporary changes of service levels"))
        self._check_states(("submitted",), self.env._("approved"))
        for adjustment in self:
            if self.env.user in (
                adjustment.requested_by_id
                | adjustment.submitted_by_id
                | adjustment.create_uid
            ):
                raise UserError(
                    self.env._(
                        "You asked for %(name)s yourself: another Service Level "
                        "Manager must approve it.",
                        name=adjustment.name,
                    )
                )
            adjustment._check_complete()
        self._system_write(
            {
                "state": "approved",
                "approved_by_id": self.env.user.id,
                "approved_date": fields.Datetime.now(),
            }
        )
        self.activity_feedback(["mail.mail_activity_data_todo"])
        self._recompute_clocks()
        self._refresh_availability()
        return True

    def action_refuse(self):
        self._check_manager(self.env._("refuse temporary changes of service levels"))
        self._check_states(("submitted",), self.env._("refused"))
        self._system_write({"state": "refused"})
        self.activity_feedback(["mail.mail_activity_data_todo"])
        return True

    def action_cancel(self):
        """Cancel: an approved change stops applying to the clocks still running."""
        approved = self.filtered(lambda a: a.state == "approved")
        if approved:
            self._check_manager(self.env._("cancel an approved temporary change"))
        self._check_states(("draft", "submitted", "approved"), self.env._("cancelled"))
        self._check_requester_or_manager()
        self._system_write({"state": "cancelled"})
        self.activity_unlink(["mail.mail_activity_data_todo"])
        approved._recompute_clocks()
        approved._refresh_availability()
        return True

    def action_to_draft(self):
        self._check_states(("submitted", "refused"), self.env._("a draft again"))
        self._check_requester_or_manager()
        self._system_write(
            {"state": "draft", "submitted_by_id": False, "submitted_date": False}
        )
        self.activity_unlink(["mail.mail_activity_data_todo"])
        return True

    def action_fill_lines(self):
        """Reduced service: one line per target in force not listed yet, with the
        target's usual threshold, to be lowered or raised."""
        for adjustment in self:
            if adjustment.kind != "reduced":
                raise UserError(
                    self.env._(
                        "%(name)s is not a reduced service: it has no thresholds.",
                        name=adjustment.name,
                    )
                )
            listed = adjustment.line_ids.target_id
            missing = adjustment.agreement_id._effective_targets() - listed
            if missing:
                adjustment.write(
                    {
                        "line_ids": [
                            Command.create(
                                {
                                    "target_id": target.id,
                                    "threshold_hours": target.threshold_hours,
                                }
                            )
                            for target in missing
                        ]
                    }
                )
        return True

    def _check_states(self, allowed, new_state):
        states = dict(self._fields["state"]._description_selection(self.env))
        wrong = self.filtered(lambda a: a.state not in allowed)
        if wrong:
            raise UserError(
                self.env._(
                    "%(names)s is %(state)s: it cannot be %(new_state)s.",
                    names=", ".join(wrong.mapped("name")),
                    state=states[wrong[0].state].lower(),
                    new_state=new_state,
                )
            )

    def _check_manager(self, what):
        if not self.env.user.has_group("slm_catalogue.group_slm_manager"):
            raise AccessError(
                self.env._(
                    "Only a Service Level Manager can %(what)s.",
                    what=what,
                )
            )

    def _check_requester_or_manager(self):
        if self.env.user.has_group("slm_catalogue.group_slm_manager"):
            return
        others = self.filtered(lambda a: a.requested_by_id != self.env.user)
        if others:
            raise AccessError(
                self.env._(
                    "Only the requester or a Service Level Manager can do this "
                    "with %(names)s.",
                    names=", ".join(others.mapped("name")),
                )
            )

    def _check_complete(self):
        """What a change needs before it is submitted and approved."""
        self.ensure_one()
        agreement = self.agreement_id
        if agreement.state not in OPEN_AGREEMENT_STATES:
            states = dict(agreement._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "%(name)s changes %(agreement)s, which is %(state)s: only "
                    "agreements in draft, negotiation or agreed can be changed for "
                    "a while.",
                    name=self.name,
                    agreement=agreement.display_name,
                    state=states[agreement.state].lower(),
                )
            )
        if self.kind == "reduced" and not self.line_ids:
            raise UserError(
                self.env._(
                    "%(name)s is a reduced service without thresholds: add the "
                    "targets whose threshold changes (button Fill from Targets), "
                    "with their thresholds for the window.",
                    name=self.name,
                )
            )
        self._check_calendar()
        self.line_ids._check_numbers()

    def _schedule_approval(self):
        """A to-do for the agreement's Service Level Manager, unless they asked."""
        for adjustment in self:
            approver = adjustment.agreement_id.provider_user_id
            if (
                approver
                and approver != self.env.user
                and approver != adjustment.requested_by_id
                and approver.has_group("slm_catalogue.group_slm_manager")
            ):
                adjustment.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=approver.id,
                    summary=self.env._("Approve or refuse this temporary change"),
                )

    def _refresh_availability(self):
        """Maintenance windows are not agreed service time (clock rule 9):
        the availability figures of the months they touch change at once."""
        months = set()
        for adjustment in self.filtered(lambda a: a.kind == "maintenance"):
            # Months are local: a day of margin on each side covers every time
            # zone (a window in the first local hours of a month is still in
            # the previous month in UTC), as for outages.
            months.update(
                months_between(
                    (adjustment.date_start - timedelta(days=1)).date(),
                    (adjustment.date_end + timedelta(days=1)).date(),
                )
            )
        if months:
            self.env["slm.availability"].sudo()._refresh(months)

    def _recompute_clocks(self):
        """Recompute, in one batch, the running and paused clocks these changes
        may affect. Settled clocks keep their result (clock rule 11): a person
        recomputes them with the buttons of the agreement or the ticket."""
        if not self:
            return
        Clock = self.env["slm.clock"].sudo()
        Agreement = self.env["slm.agreement"].sudo()
        structures = Agreement.search([("id", "child_of", self.agreement_id.ids)])
        domains = {}
        for agreement in self.agreement_id:
            # The clocks of the targets in force in it and its lower levels
            # (they inherit its changes), on the tickets it may cover.
            levels = structures.filtered(lambda a, g=agreement: g.id in _path(a))
            domain = [("target_id", "in", levels._effective_targets().ids)]
            if agreement.partner_id:
                domain.append(("partner_id", "=", agreement.partner_id.id))
            if agreement.service_ids:
                domain.append(("service_id", "in", agreement.service_ids.ids))
            domains[agreement.id] = domain
        candidates = Clock.search(
            expression.AND(
                [
                    [("status", "in", ("running", "paused"))],
                    expression.OR(list(domains.values())),
                ]
            )
        )
        affected = {}
        for adjustment in self:
            clocks = candidates.filtered_domain(domains[adjustment.agreement_id.id])
            if adjustment.kind != "reduced":
                # Only clocks started before the window ends meet it.
                clocks = clocks.filtered(lambda c, a=adjustment: c.start < a.date_end)
            affected[adjustment.id] = clocks
        Clock.union(*affected.values())._recompute()
        for adjustment in self:
            adjustment.message_post(
                body=self.env._(
                    "Clocks recomputed by %(user)s: %(count)s running or paused "
                    "clocks of the agreement's targets. Settled clocks keep their "
                    "result.",
                    user=self.env.user.name,
                    count=len(affected[adjustment.id]),
                ),
                subtype_xmlid="mail.mt_note",
            )

    # ------------------------------------------------------------------
    # Clock engine (slm.clock._business_time and _threshold_seconds)
    # ------------------------------------------------------------------

    @api.model
    def _clock_business_time(self, base, base_key, ticket, target, cache, zone=None):
        """``base`` (the target's business time), changed by the approved extra
        support hours and maintenance windows that apply to ``target``'s clock
        on ``ticket`` (see ``_for_clock``). ``zone``: the customer's time zone
        when the target reads its hours there; extra hours are then read in it
        too (customer calendar rule 7). One object per calendar, zone and set
        of changes in the batch's ``cache``."""
        adjustments = self._for_clock(ticket, target, cache)
        extra = adjustments.filtered(lambda a: a.kind == "extra_hours")
        frozen = adjustments.filtered(lambda a: a.kind == "maintenance")
        if not extra and not frozen:
            return base
        key = (
            CACHE_KEY,
            base_key,
            tuple(sorted(extra.ids)),
            tuple(sorted(frozen.ids)),
            zone if extra else None,
        )
        if key not in cache:
            overrides = []
            for adjustment in extra:
                extra_bt = self.env["slm.clock"]._calendar_business_time(
                    adjustment.calendar_id,
                    adjustment.agreement_id.company_id,
                    cache,
                    tz=zone,
                )
                overrides.append((adjustment.date_start, adjustment.date_end, extra_bt))
            removed = [(a.date_start, a.date_end) for a in frozen]
            cache[key] = BusinessTime.composed(base, overrides, removed)
        return cache[key]

    @api.model
    def _clock_threshold_hours(self, ticket, target, cache):
        """``target``'s threshold for ``ticket``: the reduced one when the ticket
        was created inside an approved reduced-service window that lists the
        target (see ``_for_clock``); the lowest level's wins when several do,
        as a lower level's target overrides the level above."""
        reduced = self._for_clock(ticket, target, cache).filtered(
            lambda a: a.kind == "reduced"
        )
        if reduced:
            created = cache[CACHE_KEY]["created"].get(ticket.id) or ticket.create_date
            for adjustment in reversed(reduced):  # lowest level first
                if adjustment.date_start <= created < adjustment.date_end:
                    for line in adjustment.line_ids:
                        if line.target_id == target:
                            return line.threshold_hours
        return target.threshold_hours

    @api.model
    def _for_clock(self, ticket, target, cache):
        """The approved changes that apply to ``target``'s clock on ``ticket``,
        highest level first.

        The agreement governing the clock is, among the agreements in force
        that cover the ticket and have ``target`` among their targets (own or
        inherited), the most specific one (clock rule 1). The changes of that
        agreement apply, and those of the levels above it: a lower level
        inherits them as it inherits their targets. A few queries per batch,
        none per clock; kept in the batch's ``cache``.
        """
        batch = cache.get(CACHE_KEY)
        if batch is None:
            batch = cache[CACHE_KEY] = {
                "roots": set(),  # target agreements whose changes are loaded
                "holders": defaultdict(set),  # root id: agreements with changes
                "by_agreement": defaultdict(set),  # agreement id: change ids
                "subtree": {},  # root id: agreements that may govern its clocks
                "effective": {},  # agreement id: targets in force
                "created": {},  # ticket id: when created
                "teams": defaultdict(set),  # ticket id: teams it has been with
                "tickets": set(),  # tickets whose facts are loaded
                "memo": {},  # (ticket id, target id): changes
            }
        memo_key = (ticket.id, target.id)
        if memo_key not in batch["memo"]:
            batch["memo"][memo_key] = self._governing_changes(ticket, target, batch)
        return batch["memo"][memo_key]

    @api.model
    def _governing_changes(self, ticket, target, batch):
        Adjustment = self.sudo()
        root = target.sudo().agreement_id
        if root.id not in batch["roots"]:
            # The whole batch's targets at once (those prefetched with this one).
            targets = target.sudo().browse(target._prefetch_ids) | target.sudo()
            self._load_changes(targets.agreement_id, batch)
        if not batch["holders"][root.id]:
            return Adjustment  # no change anywhere in the structure: most clocks
        self._load_ticket_facts(ticket, batch)
        created = (batch["created"].get(ticket.id) or ticket.create_date).date()
        ticket = ticket.sudo()
        if root.id not in batch["subtree"]:
            batch["subtree"][root.id] = root | root.search(
                [("id", "child_of", root.id), ("state", "in", IN_FORCE_STATES)]
            )
        contenders = batch["subtree"][root.id].filtered(
            lambda agreement: target in self._effective(agreement, batch)
            and ticket._slm_covered_by(agreement, created, batch["teams"])
        )
        if not contenders:
            return Adjustment
        governing = max(contenders, key=ticket._slm_specificity)
        lineage = _path(governing) or [governing.id]
        return Adjustment.browse(
            [cid for aid in lineage for cid in sorted(batch["by_agreement"][aid])]
        )

    @api.model
    @tools.ormcache()
    def _approved_change_holders(self):
        """(ids of the agreements that hold an approved change, the same with
        every level above them), kept in the registry's cache: the clocks of
        an agreement outside both read no change. Cleared when a change's
        state or agreement changes (``write``), and with the ticket index
        when an agreement's levels change."""
        self.flush_model(["state", "agreement_id"])
        self.env["slm.agreement"].flush_model(["parent_path"])
        self.env.cr.execute(
            """
            SELECT DISTINCT agreement.id, agreement.parent_path
              FROM slm_adjustment change
              JOIN slm_agreement agreement ON agreement.id = change.agreement_id
             WHERE change.state = 'approved'
            """
        )
        holders, lineage = set(), set()
        for agreement_id, parent_path in self.env.cr.fetchall():
            holders.add(agreement_id)
            lineage.update(int(i) for i in (parent_path or "").split("/") if i)
        return frozenset(holders), frozenset(lineage)

    @api.model
    def _load_changes(self, agreements, batch):
        """The approved changes of these agreements, of their lower levels and
        of the levels above them."""
        roots = agreements.filtered(lambda a: a.id not in batch["roots"])
        if not roots:
            return
        batch["roots"].update(roots.ids)
        holders, lineage = self._approved_change_holders()
        # No approved change at their levels, above or below them (the
        # registry's list): nothing to read, the usual case of a ticket.
        roots = roots.filtered(
            lambda root: root.id in lineage or holders.intersection(_path(root))
        )
        if not roots:
            return
        changes = self.sudo().search(
            [
                ("state", "=", "approved"),
                "|",
                ("agreement_id", "child_of", roots.ids),
                ("agreement_id", "parent_of", roots.ids),
            ]
        )
        above = {root.id: set(_path(root)) for root in roots}
        for change in changes:
            agreement = change.agreement_id
            batch["by_agreement"][agreement.id].add(change.id)
            path = set(_path(agreement))
            for root in roots:
                if root.id in path or agreement.id in above[root.id]:
                    batch["holders"][root.id].add(agreement.id)

    @api.model
    def _load_ticket_facts(self, ticket, batch):
        if ticket.id in batch["tickets"]:
            return
        tickets = (ticket.browse(ticket._prefetch_ids) | ticket).filtered(
            lambda t: t.id not in batch["tickets"]
        )
        created, teams = tickets.sudo()._slm_history_facts()
        batch["created"].update(created)
        for ticket_id, team_ids in teams.items():
            batch["teams"][ticket_id].update(team_ids)
        batch["tickets"].update(tickets.ids)

    @api.model
    def _effective(self, agreement, batch):
        if agreement.id not in batch["effective"]:
            batch["effective"][agreement.id] = agreement._effective_targets()
        return batch["effective"][agreement.id]


def _path(agreement):
    """Ids of the agreement's levels, from the top down to itself."""
    return [int(i) for i in (agreement.parent_path or "").split("/") if i]
