# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from psycopg2.errors import SerializationFailure, UniqueViolation

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import mute_logger

from ..tools.records import field_labels

_logger = logging.getLogger(__name__)

EXCUSE_REASONS = [
    ("customer", "Customer-caused Delay"),
    ("force_majeure", "Force Majeure"),
    ("maintenance", "Agreed Maintenance"),
]
# Recorded from the clock and its ticket when the breach is recorded: the
# situation at the breach, which the analysis is about. Nobody edits them.
SNAPSHOT_FIELDS = {
    "clock_id",
    "ticket_id",
    "target_id",
    "agreement_id",
    "agreement_kind",
    "metric",
    "partner_id",
    "service_id",
    "team_id",
    "user_id",
    "company_id",
}
# Measured by the suite (from the clock, by the breach scan): system data,
# nobody edits them (access rule 1, slm_agreements' USAGE.md).
MEASUREMENT_FIELDS = {
    "name",
    "deadline",
    "stop",
    "clock_status",
    "late_hours",
    "late_computed_at",
    "excused",
}
# Set by the buttons only (analysis and excuse workflows), or computed: the
# actions write them as superuser after checking the user's rights; plain
# writes are refused (guard rule 1).
WORKFLOW_FIELDS = {
    "state",
    "closed_date",
    "excuse_state",
    "excuse_requested_by_id",
    "excuse_requested_date",
    "excuse_approver_id",
    "excuse_decision_date",
    "excused",
    "late_hours",
    "late_computed_at",
}
# What an excuse says: frozen while it is requested or approved.
EXCUSE_FIELDS = {"excuse_reason", "excuse_note"}
# Breaches recorded per batch (and commit) of the safety net.
MISSED_BATCH = 5000
MANAGER_GROUP = "slm_catalogue.group_slm_manager"
ANALYST_GROUP = "slm_catalogue.group_slm_analyst"


class SlmBreach(models.Model):
    """A target missed on one ticket (one breached clock), for the Service
    Level Analyst's gap analysis, and possibly excused by a Service Level
    Manager (then it no longer counts in attainment, but stays visible)."""

    _name = "slm.breach"
    _description = "Service Level Breach"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "deadline desc, id desc"

    # ------------------------------------------------------------------
    # Fields: what was breached (recorded from the clock)
    # ------------------------------------------------------------------

    name = fields.Char(
        compute="_compute_name",
        store=True,
        help="The ticket's number and the target that was missed.",
    )
    clock_id = fields.Many2one(
        "slm.clock",
        string="Clock",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
        help="The breached clock (one target on one ticket) this breach records.",
    )
    ticket_id = fields.Many2one(
        "helpdesk.ticket",
        string="Ticket",
        readonly=True,
        index=True,
        help="The ticket on which the target was missed.",
    )
    target_id = fields.Many2one(
        "slm.target",
        string="Target",
        readonly=True,
        index=True,
        help="The target that was missed.",
    )
    agreement_id = fields.Many2one(
        "slm.agreement",
        string="Agreement",
        readonly=True,
        index=True,
        help="The agreement of the missed target.",
    )
    agreement_kind = fields.Selection(
        selection=lambda self: self.env["slm.agreement"]._fields["kind"].selection,
        string="Kind",
        readonly=True,
        help="SLA (with a customer) or OLA (with an internal team).",
    )
    metric = fields.Selection(
        selection=lambda self: self.env["slm.target"]._fields["metric"].selection,
        readonly=True,
        help="First response or resolution.",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        readonly=True,
        index=True,
        help="The ticket's customer (commercial entity) when the breach was "
        "recorded.",
    )
    service_id = fields.Many2one(
        "slm.service",
        string="Service",
        readonly=True,
        index=True,
        help="The ticket's service when the breach was recorded.",
    )
    team_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="Team",
        readonly=True,
        index=True,
        help="The helpdesk team that held the ticket when the breach was recorded.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Assigned to",
        readonly=True,
        index=True,
        help="The ticket's assignee when the breach was recorded (empty: the "
        "ticket was unassigned).",
    )
    company_id = fields.Many2one(
        "res.company",
        string="Company",
        readonly=True,
        index=True,
        help="The company of the ticket's clock.",
    )
    deadline = fields.Datetime(
        related="clock_id.deadline",
        store=True,
        index=True,
        string="Deadline",
        help="When the target's time ran out. The breach analysis counts breaches "
        "by this date (as attainment does).",
    )
    stop = fields.Datetime(
        related="clock_id.stop",
        store=True,
        index=True,
        string="Answered/Resolved",
        help="When the ticket was finally answered (response target) or "
        "resolved (resolution target), after the deadline. Empty: not yet.",
    )
    clock_status = fields.Selection(
        related="clock_id.status",
        string="Clock Status",
        help="Breached, unless a person recomputed the clock since and it "
        "came out otherwise.",
    )
    negotiated = fields.Boolean(
        related="clock_id.negotiated",
        help="The clock is measured against a negotiated deadline (negotiated "
        "deadline rule 8): the deadline shown is the negotiated one.",
    )
    original_deadline = fields.Datetime(
        related="clock_id.original_deadline",
        help="The deadline the target's threshold gave, before negotiation.",
    )
    late_hours = fields.Float(
        compute="_compute_late_hours",
        store=True,
        string="Late (h)",
        help="How late, in working hours of the target's calendar (around the "
        "clock for a 24x7 target): from the deadline to the answer or "
        "resolution, or to the last update while the ticket is still waiting "
        "(updated by the breach scan).",
    )
    late_computed_at = fields.Datetime(
        compute="_compute_late_hours",
        store=True,
        string="Lateness Updated",
        help="When Late (h) was last computed.",
    )

    # ------------------------------------------------------------------
    # Fields: gap analysis (Service Level Analyst)
    # ------------------------------------------------------------------

    state = fields.Selection(
        [
            ("new", "New"),
            ("analysing", "Analysing"),
            ("action_planned", "Action Planned"),
            ("closed", "Closed"),
        ],
        string="Status",
        required=True,
        default="new",
        index=True,
        tracking=True,
        help="New: not looked at yet. Analysing: an analyst looks for the "
        "cause. Action Planned: corrective or preventive actions are agreed. "
        "Closed: analysis done (cause and root cause recorded).",
    )
    analyst_id = fields.Many2one(
        "res.users",
        string="Analyst",
        index=True,
        tracking=True,
        domain=[("share", "=", False)],
        help="The Service Level Analyst in charge of the analysis. Set to who "
        "starts the analysis, unless chosen before.",
    )
    cause_id = fields.Many2one(
        "slm.breach.cause",
        string="Cause",
        index=True,
        tracking=True,
        help="Cause category (configured under Configuration); the breach "
        "analysis groups by it.",
    )
    root_cause = fields.Text(
        help="Why the target was missed, as far as the analysis found out.",
    )
    corrective_action = fields.Text(
        help="What is done to put this case right.",
    )
    preventive_action = fields.Text(
        help="What is changed so that it does not happen again.",
    )
    closed_date = fields.Datetime(
        readonly=True, copy=False, help="When the analysis was closed."
    )

    # ------------------------------------------------------------------
    # Fields: excuse (requested by an analyst, decided by a manager)
    # ------------------------------------------------------------------

    excuse_state = fields.Selection(
        [
            ("requested", "Requested"),
            ("approved", "Approved"),
            ("refused", "Refused"),
        ],
        string="Excuse",
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        help="Empty: no excuse asked. Requested: an analyst asks a Service Level "
        "Manager to excuse the breach. Approved: excused, it leaves the "
        "attainment figures (and stays visible as excused). Refused: it counts.",
    )
    excuse_reason = fields.Selection(
        EXCUSE_REASONS,
        tracking=True,
        help="Customer-caused Delay: the customer held the ticket up (beyond "
        "any pausing stage). Force Majeure: events beyond the provider's "
        "control. Agreed Maintenance: work agreed with the customer.",
    )
    excuse_note = fields.Text(
        help="The facts behind the excuse (required to request it): what "
        "happened, and where it is documented.",
    )
    excuse_requested_by_id = fields.Many2one(
        "res.users",
        string="Excuse Requested by",
        readonly=True,
        copy=False,
        help="Who asked for the excuse.",
    )
    excuse_requested_date = fields.Datetime(
        readonly=True, copy=False, help="When the excuse was asked for."
    )
    excuse_approver_id = fields.Many2one(
        "res.users",
        string="Excuse Decided by",
        readonly=True,
        copy=False,
        tracking=True,
        help="The Service Level Manager who approved or refused the excuse.",
    )
    excuse_decision_date = fields.Datetime(
        readonly=True,
        copy=False,
        help="When the excuse was approved or refused.",
    )
    # Period rule: months in the agreement's time zone, stored as dates (the
    # viewer's time zone does not move them).
    period_date = fields.Date(
        string="Month",
        related="clock_id.period_date",
        store=True,
        index=True,
        help="The month of the breach (its deadline) in the agreement's time "
        "zone: the month whose attainment it counts in.",
    )
    excuse_period_date = fields.Date(
        string="Excuse Decided in",
        compute="_compute_excuse_period_date",
        store=True,
        help="The month of the excuse decision in the agreement's time zone.",
    )
    excused = fields.Boolean(
        compute="_compute_excused",
        store=True,
        index=True,
        help="The excuse is approved: the breach does not count in attainment.",
    )

    _sql_constraints = [
        ("clock_uniq", "unique(clock_id)", "A clock has one breach record."),
    ]

    @api.depends("excuse_decision_date", "agreement_id.tz")
    def _compute_excuse_period_date(self):
        for breach in self:
            breach.excuse_period_date = (
                breach.agreement_id._period_keys(breach.excuse_decision_date)[1]
                if breach.agreement_id
                else False
            )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("ticket_id.number", "target_id.name")
    def _compute_name(self):
        for breach in self:
            breach.name = " · ".join(
                filter(None, (breach.ticket_id.number, breach.target_id.name))
            )

    @api.depends("excuse_state")
    def _compute_excused(self):
        for breach in self:
            breach.excused = breach.excuse_state == "approved"

    @api.depends("deadline", "stop")
    def _compute_late_hours(self):
        """Business hours from the deadline to the stop (or now).

        One business-time object per calendar for the whole batch, its window
        fetched once: no query per breach.
        """
        now = fields.Datetime.now()
        Clock = self.env["slm.clock"]
        cache = {}
        spans = []
        windows = {}
        for breach in self:
            if not breach.deadline:
                spans.append(None)
                continue
            bt = Clock._business_time(breach.ticket_id, breach.target_id, cache)
            end = breach.stop or now
            spans.append((bt, breach.deadline, end))
            low, high = windows.get(id(bt), (breach.deadline, end))
            windows[id(bt)] = (min(low, breach.deadline), max(high, end))
        for bt, _deadline, _end in filter(None, spans):
            if id(bt) in windows:
                bt.elapsed(*windows.pop(id(bt)))  # fetch the whole window once
        for breach, span in zip(self, spans, strict=True):
            breach.late_hours = span[0].elapsed(span[1], span[2]) / 3600 if span else 0
            breach.late_computed_at = now

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("state", "cause_id", "root_cause")
    def _check_closed_analysis(self):
        incomplete = self.filtered(
            lambda b: b.state == "closed"
            and not (b.cause_id and (b.root_cause or "").strip())
        )
        if incomplete:
            raise ValidationError(
                self.env._(
                    "Choose a cause and describe the root cause before closing "
                    "the analysis of %(breaches)s.",
                    breaches=", ".join(incomplete.mapped("display_name")),
                )
            )

    @api.constrains("excuse_state", "excuse_requested_by_id", "excuse_approver_id")
    def _check_excuse_four_eyes(self):
        """Four eyes (guard rule 3): whoever asked for an excuse never decides
        it, whatever the path (even a superuser write)."""
        own = self.filtered(
            lambda b: b.excuse_state in ("approved", "refused")
            and b.excuse_approver_id
            and b.excuse_approver_id == b.excuse_requested_by_id
        )
        if own:
            raise ValidationError(
                self.env._(
                    "%(user)s asked for the excuse of %(breaches)s: another "
                    "Service Level Manager must decide it.",
                    user=own[0].excuse_approver_id.name,
                    breaches=", ".join(own.mapped("display_name")),
                )
            )

    @api.constrains("excuse_state", "excuse_reason", "excuse_note")
    def _check_excuse(self):
        incomplete = self.filtered(
            lambda b: b.excuse_state in ("requested", "approved")
            and not (b.excuse_reason and (b.excuse_note or "").strip())
        )
        if incomplete:
            raise ValidationError(
                self.env._(
                    "An excuse needs a reason (customer-caused delay, force "
                    "majeure or agreed maintenance) and a note with the facts: "
                    "complete them for %(breaches)s.",
                    breaches=", ".join(incomplete.mapped("display_name")),
                )
            )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(
                self.env._(
                    "Breaches are recorded by the breach scan when a clock is "
                    "breached: they cannot be created by hand."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self._check_write(vals)
            self._check_measurement_write(vals)
        res = super().write(vals)
        if "excuse_state" in vals:
            self._sync_clock_excused()
        return res

    def unlink(self):
        if not self.env.su:
            raise AccessError(
                self.env._(
                    "A breach is part of the service level record: it cannot be "
                    "deleted. Close its analysis, or have the excuse decided."
                )
            )
        # The clock counts in attainment again.
        self.filtered("excused").clock_id.sudo().write({"excused": False})
        return super().unlink()

    def _check_measurement_write(self, vals):
        """What the suite measured (deadline, stop, lateness, excused) is never
        written by a person: the clock is recomputed instead (logged)."""
        measured = MEASUREMENT_FIELDS.intersection(vals)
        if measured:
            raise AccessError(
                self.env._(
                    "%(fields)s of a breach are measured by the application from "
                    "its clock and cannot be changed by hand; a Service Level "
                    "Manager recomputes the clock instead (logged).",
                    fields=field_labels(self, measured),
                )
            )

    def _check_write(self, vals):
        """What people may change by hand: the analysis texts and the excuse's
        reason and note; never what was recorded, nor a status or decision
        (only the buttons set those, guard rule 3)."""
        recorded = SNAPSHOT_FIELDS.intersection(vals)
        if recorded:
            raise UserError(
                self.env._(
                    "A breach keeps what was recorded when the target was "
                    "missed (ticket, target, agreement, customer, service, team, "
                    "assignee): %(fields)s cannot be changed.",
                    fields=field_labels(self, recorded),
                )
            )
        # Computed and related values too (deadline, stop and clock status
        # would write through to the clock).
        workflow = WORKFLOW_FIELDS.intersection(vals) | {
            name for name in vals if name in self._fields and self._fields[name].compute
        }
        if workflow:
            raise UserError(
                self.env._(
                    "The status, excuse and lateness of a breach change only "
                    "through its buttons (Start Analysis, Plan Actions, Close, "
                    "Request, Approve, Refuse or Withdraw Excuse) and the breach "
                    "scan, which check who may do it and record who did: "
                    "%(fields)s cannot be written directly.",
                    fields=field_labels(self, workflow),
                )
            )
        if EXCUSE_FIELDS.intersection(vals):
            frozen = self.filtered(
                lambda b: b.excuse_state in ("requested", "approved")
            )
            if frozen:
                raise UserError(
                    self.env._(
                        "The excuse of %(breaches)s is requested or approved: "
                        "withdraw it before changing its reason or note.",
                        breaches=", ".join(frozen.mapped("display_name")),
                    )
                )

    def _system_write(self, vals):
        """Write workflow fields for a button (guard rules 1 and 3): the
        caller must be a Service Level Analyst (or above) who can read these
        breaches (breaches are measurement: access rights may leave them
        read-only), the button checks its own step; then the write runs as
        superuser."""
        if not self.env.user.has_group(ANALYST_GROUP):
            raise AccessError(
                self.env._(
                    "Only a Service Level Analyst (or above) analyses breaches "
                    "and asks for their excuse."
                )
            )
        self.check_access("read")
        return self.sudo().write(vals)

    def _check_manager(self):
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._(
                    "Only a Service Level Manager can approve, refuse or withdraw "
                    "the excuse of a breach."
                )
            )

    def _sync_clock_excused(self):
        """Mirror the approval on the clocks, where attainment is counted."""
        for excused, breaches in self.grouped("excused").items():
            clocks = breaches.clock_id.filtered(lambda c, e=excused: c.excused != e)
            clocks.sudo().write({"excused": excused})

    # ------------------------------------------------------------------
    # Recording breaches (called by the breach scan)
    # ------------------------------------------------------------------

    @api.model
    def _slm_create_for_clocks(self, clocks, locked=False):
        """Record one breach per breached clock that has none yet.

        ``clocks``: ``slm.clock`` records (or ids), meant to be breached;
        others are ignored. Set-based: one query locks the clocks, one finds
        those already recorded, one batch creates the rest. Runs as superuser
        inside, so the scan (cron) and people alike can call it. Returns the
        breaches created. ``locked``: the caller already holds the clocks'
        rows (the breach scan, ``slm.clock._scan_batch``), not a permission.

        Another transaction recording the same clocks meanwhile (a second
        worker, the other scheduled action) is survived without an error
        (fail-soft rule 7): the clocks it holds or changed are skipped, they
        are its job.
        """
        if not isinstance(clocks, models.BaseModel):
            clocks = self.env["slm.clock"].browse(clocks)
        clocks = clocks.sudo()
        clocks = clocks.browse(dict.fromkeys(clocks.ids)).filtered(
            lambda c: c.status == "breached"
        )
        if clocks and not locked:
            clocks = self._slm_lock_clocks(clocks)
        if not clocks:
            return self.browse()
        recorded = self._slm_recorded_clock_ids(clocks)
        vals_list = [
            {
                "clock_id": clock.id,
                "ticket_id": clock.ticket_id.id,
                "target_id": clock.target_id.id,
                "agreement_id": clock.agreement_id.id,
                "agreement_kind": clock.agreement_kind,
                "metric": clock.metric,
                "partner_id": clock.partner_id.id,
                "service_id": clock.service_id.id,
                "team_id": clock.team_id.id,
                "user_id": clock.ticket_id.user_id.id,
                "company_id": clock.company_id.id,
            }
            for clock in clocks
            if clock.id not in recorded
        ]
        if not vals_list:
            return self.browse()
        # No "created" log per breach: the ticket's note says it (one message
        # per ticket, not two), and the scan stays proportional to the due
        # clocks at the lowest cost per breach (issue 14 item 4). Nobody to
        # subscribe either (the creator is the scan; no tracked user field,
        # no subtype follows a parent) and nothing tracked is set at
        # creation: the chatter's steps per breach are skipped.
        Breach = self.sudo().with_context(tracking_disable=True)
        # A transaction that recorded some of these clocks and committed after
        # this one began is not seen by the query above: the unique index
        # refuses them, one by one then (expected: not logged as an error).
        try:
            with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                breaches = Breach.create(vals_list)
        except UniqueViolation:
            breaches = Breach.browse()
            for vals in vals_list:
                try:
                    with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                        breaches |= Breach.create(vals)
                except UniqueViolation:
                    _logger.info(
                        "Breach of clock %s recorded by another transaction.",
                        vals["clock_id"],
                    )
        return breaches.with_env(self.env)

    @api.model
    def _slm_lock_clocks(self, clocks):
        """Lock ``clocks`` for recording their breaches; returns those this
        transaction now holds (fail-soft rule 7).

        In id order, ``FOR UPDATE SKIP LOCKED``, as the breach scan does: a
        clock another worker holds is skipped without waiting (no deadlock),
        and one it changed and committed after this transaction began
        (serialization failure) too; both are its job, and the next run
        finds what is left. The failure is looked at clock by clock then, so
        that the other clocks of the batch are still recorded.
        """
        held = self._slm_lock_clock_ids(clocks.ids)
        if held is None and len(clocks) > 1:
            held = set()
            for clock_id in clocks.ids:
                held |= self._slm_lock_clock_ids([clock_id]) or set()
        held = held or set()
        return clocks.filtered(lambda c: c.id in held)

    @api.model
    def _slm_lock_clock_ids(self, ids):
        """The ids of ``ids`` locked (see ``_slm_lock_clocks``), None when
        another worker changed one of them since this transaction began."""
        cr = self.env.cr
        try:
            # (The failed statement is logged by the cursor: expected here.)
            with cr.savepoint(flush=False), mute_logger("odoo.sql_db"):
                cr.execute(
                    "SELECT id FROM slm_clock WHERE id IN %s "
                    "ORDER BY id FOR UPDATE SKIP LOCKED",
                    [tuple(ids)],
                )
                return {row[0] for row in cr.fetchall()}
        except SerializationFailure:
            _logger.info("Breaches: clocks %s changed by another worker", ids[:10])
            return None

    @api.model
    def _slm_recorded_clock_ids(self, clocks):
        """Ids of ``clocks`` that already have a breach, in one query."""
        self.flush_model(["clock_id"])
        self.env.cr.execute(
            "SELECT clock_id FROM slm_breach WHERE clock_id = ANY(%s)",
            [clocks.ids],
        )
        return {row[0] for row in self.env.cr.fetchall()}

    @api.model
    def _slm_refresh_late_hours(self):
        """Bring Late (h) up to now for the breaches still unanswered.

        Stopped breaches are final (recomputed when the clock's stop changes).
        Set-based; the breach scan calls it, so does the hourly safety net.
        """
        breaches = self.sudo().search([("stop", "=", False), ("deadline", "!=", False)])
        if breaches:
            self.env.add_to_compute(self._fields["late_hours"], breaches)
            self.env.add_to_compute(self._fields["late_computed_at"], breaches)
            breaches.flush_recordset(["late_hours", "late_computed_at"])
        return breaches

    @api.model
    def _cron_update_breaches(self, batch_size=MISSED_BATCH, limit=None):
        """Safety net: record breaches of breached clocks that have none, and
        bring lateness up to now.

        A clock can be breached without the breach scan seeing it run out:
        answered or closed after its deadline before the scan ran, or
        computed late from history (clocks for existing tickets, a
        recomputation). Found through the status index, recorded in batches
        (``ir.cron._slm_run_batches``). Safe at the same time as the breach
        scan or itself on another worker: each clock is locked, skipping
        those another worker holds (fail-soft rule 7, ``_slm_lock_clocks``).
        """
        # Used and paused time of the clocks still counting, up to now.
        self.env["slm.clock"].sudo()._refresh_open_clocks()
        self.flush_model(["clock_id"])
        self.env["slm.clock"].flush_model(["status"])
        self.env.cr.execute(
            """
            SELECT clock.id
              FROM slm_clock clock
             WHERE clock.status = 'breached'
               AND NOT EXISTS (
                    SELECT 1 FROM slm_breach breach WHERE breach.clock_id = clock.id
               )
          ORDER BY clock.id
            """
        )
        missed = (
            self.env["slm.clock"].sudo().browse(r[0] for r in self.env.cr.fetchall())
        )
        self.env["ir.cron"]._slm_run_batches(
            missed, self._slm_create_for_clocks, batch_size=batch_size, limit=limit
        )
        self._slm_refresh_late_hours()

    # ------------------------------------------------------------------
    # Gap analysis
    # ------------------------------------------------------------------

    def _check_state(self, allowed, action):
        wrong = self.filtered(lambda b: b.state not in allowed)
        if wrong:
            states = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "%(action)s: %(breaches)s is %(state)s.",
                    action=action,
                    breaches=", ".join(wrong.mapped("display_name")),
                    state=states[wrong[0].state],
                )
            )

    def action_start_analysis(self):
        self._check_state(("new",), self.env._("Only a new breach can be analysed"))
        self._set_state("analysing")

    def action_plan_actions(self):
        self._check_state(
            ("new", "analysing"),
            self.env._("Actions are planned for a breach under analysis"),
        )
        missing = self.filtered(
            lambda b: not (
                (b.corrective_action or "").strip()
                or (b.preventive_action or "").strip()
            )
        )
        if missing:
            raise UserError(
                self.env._(
                    "Describe the corrective or the preventive action before "
                    "planning actions for %(breaches)s.",
                    breaches=", ".join(missing.mapped("display_name")),
                )
            )
        self._set_state("action_planned")

    def _set_state(self, state):
        """Move to ``state``; who moves an unassigned analysis takes it."""
        unassigned = self.filtered(lambda b: not b.analyst_id)
        (self - unassigned)._system_write({"state": state})
        unassigned._system_write({"state": state, "analyst_id": self.env.user.id})

    def action_close(self):
        self._check_state(
            ("new", "analysing", "action_planned"),
            self.env._("Only an open analysis can be closed"),
        )
        self._system_write({"state": "closed", "closed_date": fields.Datetime.now()})

    def action_reopen(self):
        self._check_state(("closed",), self.env._("Only a closed analysis reopens"))
        self._system_write({"state": "analysing", "closed_date": False})

    # ------------------------------------------------------------------
    # Excuse
    # ------------------------------------------------------------------

    def action_request_excuse(self):
        """An analyst asks a Service Level Manager to excuse these breaches."""
        pending = self.filtered(lambda b: b.excuse_state in ("requested", "approved"))
        if pending:
            raise UserError(
                self.env._(
                    "The excuse of %(breaches)s is already requested or approved.",
                    breaches=", ".join(pending.mapped("display_name")),
                )
            )
        incomplete = self.filtered(
            lambda b: not (b.excuse_reason and (b.excuse_note or "").strip())
        )
        if incomplete:
            raise UserError(
                self.env._(
                    "Choose the reason of the excuse (customer-caused delay, "
                    "force majeure or agreed maintenance) and write the facts in "
                    "the note before requesting it for %(breaches)s.",
                    breaches=", ".join(incomplete.mapped("display_name")),
                )
            )
        now = fields.Datetime.now()
        self._system_write(
            {
                "excuse_state": "requested",
                "excuse_requested_by_id": self.env.user.id,
                "excuse_requested_date": now,
                "excuse_approver_id": False,
                "excuse_decision_date": False,
            }
        )
        reasons = dict(EXCUSE_REASONS)
        for breach in self:
            breach.message_post(
                body=self.env._(
                    "Excuse requested by %(user)s: %(reason)s. %(note)s",
                    user=self.env.user.name,
                    reason=reasons[breach.excuse_reason],
                    note=breach.excuse_note,
                ),
                subtype_xmlid="mail.mt_note",
            )
            approver = breach.agreement_id.provider_user_id
            if approver and approver.has_group(MANAGER_GROUP):
                breach.activity_schedule(
                    "slm_agreements.mail_activity_breach_excuse",
                    user_id=approver.id,
                    note=breach.excuse_note,
                )

    def _decide_excuse(self, state):
        self._check_manager()
        not_requested = self.filtered(lambda b: b.excuse_state != "requested")
        if not_requested:
            raise UserError(
                self.env._(
                    "No excuse is awaiting a decision for %(breaches)s.",
                    breaches=", ".join(not_requested.mapped("display_name")),
                )
            )
        # Four eyes: an excuse takes a breach out of the reported figures.
        own = self.filtered(lambda b: b.excuse_requested_by_id == self.env.user)
        if own:
            raise UserError(
                self.env._(
                    "You asked for the excuse of %(breaches)s yourself: another "
                    "Service Level Manager decides it.",
                    breaches=", ".join(own.mapped("display_name")),
                )
            )
        self._system_write(
            {
                "excuse_state": state,
                "excuse_approver_id": self.env.user.id,
                "excuse_decision_date": fields.Datetime.now(),
            }
        )
        self.activity_feedback(["slm_agreements.mail_activity_breach_excuse"])
        reasons = dict(EXCUSE_REASONS)
        for breach in self:
            breach.message_post(
                body=(
                    self.env._(
                        "Excuse approved by %(user)s (%(reason)s): the breach no "
                        "longer counts in attainment.",
                        user=self.env.user.name,
                        reason=reasons[breach.excuse_reason],
                    )
                    if state == "approved"
                    else self.env._(
                        "Excuse refused by %(user)s: the breach counts in "
                        "attainment.",
                        user=self.env.user.name,
                    )
                ),
                subtype_xmlid="mail.mt_note",
            )

    def action_approve_excuse(self):
        self._decide_excuse("approved")

    def action_refuse_excuse(self):
        self._decide_excuse("refused")

    def action_withdraw_excuse(self):
        """Back to no excuse: a pending request by its analyst, an approved or
        refused one by a Service Level Manager (it changes attainment)."""
        without = self.filtered(lambda b: not b.excuse_state)
        if without:
            raise UserError(
                self.env._(
                    "%(breaches)s has no excuse to withdraw.",
                    breaches=", ".join(without.mapped("display_name")),
                )
            )
        vals = {
            "excuse_state": False,
            "excuse_requested_by_id": False,
            "excuse_requested_date": False,
        }
        if any(b.excuse_state == "approved" for b in self):
            # Undoing an approval changes attainment: a manager's. Clearing a
            # refusal to ask again is the analyst's.
            self._check_manager()
        if any(b.excuse_state != "requested" for b in self):
            vals.update(excuse_approver_id=False, excuse_decision_date=False)
        self._system_write(vals)
        self.activity_unlink(["slm_agreements.mail_activity_breach_excuse"])
        for breach in self:
            breach.message_post(
                body=self.env._("Excuse withdrawn by %s.", self.env.user.name),
                subtype_xmlid="mail.mt_note",
            )

    # ------------------------------------------------------------------
    # Navigation
    # ------------------------------------------------------------------

    def action_slm_open_timeline(self):
        """The breached clock's explainable timeline (clock rule 19)."""
        self.ensure_one()
        return self.clock_id.action_slm_open_timeline()

    def action_view_ticket(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.ticket",
            "res_id": self.ticket_id.id,
            "view_mode": "form",
        }
