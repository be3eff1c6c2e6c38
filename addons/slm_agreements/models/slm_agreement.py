# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import threading
from datetime import timedelta

import pytz
from dateutil.relativedelta import relativedelta
from markupsafe import Markup
from psycopg2.errors import TransactionRollbackError

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools.date_utils import start_of

from odoo.addons.base.models.res_partner import _tz_get

from ..tools.records import field_labels, name_copies

# What the ticket index (``_slm_ticket_index``) holds of an agreement: a change
# to one of these changes which targets apply to tickets (clock rule 1).
TICKET_INDEX_FIELDS = {
    "state",
    "company_id",
    "kind",
    "team_id",
    "date_start",
    "date_end",
    "partner_id",
    "service_ids",
    "structure",
    "level",
    "parent_id",
    "target_ids",
}
IN_FORCE_FOR_TICKETS = ("agreed", "expired", "superseded")

_logger = logging.getLogger(__name__)

STATES = [
    ("requirement", "Requirement (SLR)"),
    ("draft", "Draft"),
    ("negotiation", "Negotiation"),
    ("agreed", "Agreed"),
    ("expired", "Expired"),
    ("terminated", "Terminated"),
    ("superseded", "Superseded"),
]
# States in which the terms (scope, dates, targets) may still change.
EDITABLE_STATES = ("requirement", "draft", "negotiation")
# States an agreement never leaves.
CLOSED_STATES = ("expired", "terminated", "superseded")
# States shown as kanban columns even when empty.
MAIN_STATES = ("draft", "negotiation", "agreed")
# Multi-level structure, from the top: a lower level has a higher rank.
LEVELS = [
    ("corporate", "Corporate"),
    ("customer", "Customer"),
    ("service", "Service"),
]
LEVEL_RANK = {level: rank for rank, (level, _label) in enumerate(LEVELS)}
# The terms of an agreement: frozen once it is agreed (a revision changes them).
FROZEN_FIELDS = {
    "kind",
    "structure",
    "level",
    "parent_id",
    "partner_id",
    "team_id",
    "service_ids",
    "date_start",
    "date_end",
    "company_id",
    "tz",
    "holiday_calendar_id",
    "holiday_mode",
    "target_ids",
    "customer_signed_by_id",
    "customer_signed_date",
    "provider_signed_by_id",
    "provider_signed_date",
    "revision",
    "previous_revision_id",
    "customer_closure_resolves",
    "customer_accepts_deadlines",
}
# Set by the lifecycle actions only (they record who did what and when): the
# actions write them as superuser after checking the user's rights, plain
# writes of them are refused (guard rule 1). No context key lifts this.
WORKFLOW_FIELDS = {
    "state",
    "provider_signed_by_id",
    "provider_signed_date",
    "termination_date",
    "revision",
    "previous_revision_id",
    "superseded_by_id",
    "clock_job_state",
    "clock_job_recompute",
}
# Changes of an agreement after which the alignment of its targets is checked.
ALIGNMENT_TERMS = {"state", "date_start", "date_end", "company_id"}


class SlmAgreement(models.Model):
    """A Service Level Agreement (with a customer) or an Operational Level
    Agreement (with an internal support team), from requirement to expiry."""

    _name = "slm.agreement"
    _description = "Service Level Agreement"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "slm.company.owned.mixin",
        "slm.customer.mixin",
        "slm.sealed.mixin",
        "slm.workflow.mixin",
    ]
    _order = "date_start desc, reference desc, revision desc, id desc"
    _parent_store = True
    _rec_names_search = ["name", "reference"]

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------

    name = fields.Char(required=True, tracking=True)
    reference = fields.Char(
        readonly=True,
        copy=False,
        index=True,
        help="Numbered per kind (SLA0001, OLA0001) when the agreement is created. "
        "All revisions of an agreement share its reference.",
    )
    kind = fields.Selection(
        [("sla", "SLA"), ("ola", "OLA")],
        required=True,
        default="sla",
        tracking=True,
        index=True,
        help="SLA: Service Level Agreement between the provider and a customer. "
        "OLA: Operational Level Agreement between the provider and an internal "
        "support team, underpinning the SLA targets. Fixed once created.",
    )
    state = fields.Selection(
        STATES,
        string="Status",
        required=True,
        default=lambda self: self._default_state(),
        copy=False,
        tracking=True,
        index=True,
        group_expand="_read_group_expand_state",
        help="Requirement: a customer's Service Level Requirement for a new or "
        "changed service, not yet an agreement. Draft and Negotiation: being "
        "written and discussed. Agreed: signed, in force from its start date "
        "to its end date; its terms are frozen (a new revision changes them). "
        "Expired: past its end date. Terminated: ended early or abandoned. "
        "Superseded: replaced by a later revision.",
    )
    description = fields.Html(
        help="What the agreement covers, the responsibilities of each party, "
        "reporting and escalation."
    )
    structure = fields.Selection(
        [
            ("service_based", "Service-based"),
            ("customer_based", "Customer-based"),
            ("multi_level", "Multi-level"),
        ],
        required=True,
        default="service_based",
        tracking=True,
        help="Service-based: one agreement for some services, for all their "
        "customers. Customer-based: one agreement for one customer, for the "
        "services it uses. Multi-level: corporate, customer and service levels, "
        "each lower level inheriting the targets of the level above and "
        "overriding some of them.",
    )
    level = fields.Selection(
        LEVELS,
        compute="_compute_level",
        store=True,
        readonly=False,
        tracking=True,
        help="Level in a multi-level structure: corporate (all customers), "
        "customer (one customer) or service (some services). A lower-level "
        "agreement inherits the targets of its parent.",
    )
    parent_id = fields.Many2one(
        "slm.agreement",
        string="Parent Agreement",
        index=True,
        tracking=True,
        check_company=True,
        ondelete="restrict",
        domain="[('kind', '=', kind), ('structure', '=', 'multi_level'), "
        "('state', 'not in', ('terminated', 'superseded', 'expired'))]",
        help="The higher-level agreement (corporate or customer level) whose "
        "targets this one inherits, unless one of its own targets overrides them.",
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many(
        "slm.agreement", "parent_id", string="Lower-level Agreements"
    )
    child_count = fields.Integer(compute="_compute_child_count")
    partner_id = fields.Many2one(
        help="The customer (company or individual) the agreement is made with: "
        "it covers the tickets of this customer and of its contacts. Empty: "
        "every customer.",
    )
    customer_contact_id = fields.Many2one(
        "res.partner",
        string="Customer Contact",
        tracking=True,
        domain="[('commercial_partner_id', '=', partner_id)] if partner_id else []",
        help="The customer's representative for this agreement (service reviews, "
        "escalations).",
    )
    team_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="Support Team",
        index=True,
        tracking=True,
        check_company=True,
        ondelete="restrict",
        help="OLA: the internal team that commits to the targets. Its clocks "
        "start when a ticket reaches this team.",
    )
    service_ids = fields.Many2many(
        "slm.service",
        "slm_agreement_service_rel",
        "agreement_id",
        "service_id",
        string="Services",
        tracking=True,
        check_company=True,
        help="Services covered by the agreement. Empty: every service.",
    )
    date_start = fields.Date(
        string="Start Date",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
        help="First day on which the agreement is in force.",
    )
    date_end = fields.Date(
        string="End Date",
        tracking=True,
        help="Last day on which the agreement is in force. Empty: until it is "
        "terminated or replaced by a new revision.",
    )
    next_review_date = fields.Date(
        compute="_compute_next_review_date",
        store=True,
        readonly=False,
        tracking=True,
        copy=False,
        help="When the agreement is next reviewed with the other party: one year "
        "after the start by default.",
    )
    provider_user_id = fields.Many2one(
        "res.users",
        string="Service Level Manager",
        default=lambda self: self.env.user,
        tracking=True,
        index=True,
        domain=lambda self: [
            ("groups_id", "in", self.env.ref("slm_catalogue.group_slm_manager").id)
        ],
        help="The Service Level Manager responsible for the agreement on the "
        "provider's side.",
    )
    customer_closure_resolves = fields.Boolean(
        default=True,
        tracking=True,
        help="A ticket the customer closes from the portal counts as resolved "
        "for its resolution clocks (met, or breached if late). Unticked, such "
        "clocks are cancelled (kept, out of attainment). A customer's closure "
        "never answers a response clock.",
    )
    customer_accepts_deadlines = fields.Boolean(
        string="Customer Accepts New Deadlines",
        tracking=True,
        help="A new deadline proposed for a clock of this SLA may be accepted "
        "(or declined) by the customer on the portal ticket, as well as "
        "approved by a Service Level Manager (negotiated deadline rule 5). "
        "A term of the agreement: frozen once agreed.",
    )
    portal_timers = fields.Boolean(
        string="Timers on the Portal",
        default=True,
        tracking=True,
        help="The customer sees the clocks of this SLA on their tickets in the "
        "portal: status, due time in their time zone, pauses and results "
        "(customer timer rule 1). An option of presentation: it may change at "
        "any time.",
    )
    tz = fields.Selection(
        _tz_get,
        string="Time Zone of the Months",
        compute="_compute_tz",
        store=True,
        readonly=False,
        copy=True,
        tracking=True,
        help="Where the agreement's days and months begin (period rule): a "
        "clock counts in the local day and month of its settlement in this "
        "time zone, on every report, statement, review and portal page. "
        "Default: the customer's time zone, else the company's, else UTC. "
        "Part of the agreed terms.",
    )
    holiday_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Holidays of",
        tracking=True,
        ondelete="restrict",
        domain="[('company_id', 'in', [company_id, False])]",
        help="A working calendar whose time off is the list of public holidays "
        "that apply to this agreement (e.g. a calendar holding the customer "
        "country's holidays): no time counts on them for the working-hours "
        "targets (customer calendar rule 3). Empty: the company's public "
        "holidays only. Part of the agreed terms.",
    )
    holiday_mode = fields.Selection(
        [
            ("add", "In Addition to the Company's"),
            ("replace", "Instead of the Company's"),
        ],
        string="These Holidays Apply",
        default="add",
        required=True,
        tracking=True,
        help="In addition: the company's public holidays and these both stop "
        "the clocks. Instead: only these; the company's public holidays count "
        "as working days (the time off of each target's own calendar still "
        "counts).",
    )
    target_ids = fields.One2many(
        "slm.target",
        "agreement_id",
        string="Targets",
        copy=True,
        help="The measurable promises of this agreement. A lower-level agreement "
        "also inherits the targets of its parents.",
    )
    target_count = fields.Integer(compute="_compute_target_count")
    effective_target_count = fields.Integer(
        string="Targets in Force",
        compute="_compute_target_count",
        help="Own targets plus those inherited from the parent agreements and "
        "not overridden.",
    )
    inherited_target_ids = fields.Many2many(
        "slm.target",
        string="Inherited Targets",
        compute="_compute_inherited_target_ids",
        help="Targets of the parent agreements that apply here because no "
        "target of this agreement overrides them.",
    )
    # Sign-off
    customer_signed_by_id = fields.Many2one(
        "res.partner",
        string="Signed by (Customer)",
        tracking=True,
        copy=False,
        help="The person who signed the SLA for the customer: the customer or "
        "one of its contacts. Required to agree an SLA.",
    )
    customer_signed_date = fields.Date(
        string="Signed on (Customer)",
        tracking=True,
        copy=False,
    )
    provider_signed_by_id = fields.Many2one(
        "res.users",
        string="Signed by (Provider)",
        readonly=True,
        copy=False,
        tracking=True,
        help="The Service Level Manager who agreed the agreement.",
    )
    provider_signed_date = fields.Datetime(
        string="Signed on (Provider)", readonly=True, copy=False
    )
    termination_reason = fields.Text(
        copy=False,
        tracking=True,
        help="Why the agreement was terminated (or the requirement withdrawn). "
        "Required to terminate.",
    )
    termination_date = fields.Date(readonly=True, copy=False)
    # Revisions
    revision = fields.Integer(
        required=True,
        default=1,
        copy=False,
        readonly=True,
        help="Revision number: each change of an agreed agreement is a new "
        "revision with the same reference.",
    )
    previous_revision_id = fields.Many2one(
        "slm.agreement",
        string="Previous Revision",
        copy=False,
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
    )
    superseded_by_id = fields.Many2one(
        "slm.agreement",
        string="Superseded by",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="The agreed later revision that replaces this one from its start date.",
    )
    revision_ids = fields.Many2many(
        "slm.agreement",
        string="Revisions",
        compute="_compute_revision_ids",
        help="All revisions of this agreement, the latest first.",
    )
    revision_count = fields.Integer(compute="_compute_revision_ids")
    color = fields.Integer()
    # Clocks of existing tickets (backfill) and recomputation after a change
    clock_job_state = fields.Selection(
        [
            ("queued", "Queued"),
            ("running", "Running"),
            ("done", "Done"),
            ("failed", "Failed"),
        ],
        string="Clock Computation",
        copy=False,
        readonly=True,
        index=True,
        help="Progress of the computation of clocks for the existing tickets "
        "this agreement covers (backfill, or recomputation of settled results).",
    )
    clock_job_recompute = fields.Boolean(
        copy=False,
        readonly=True,
        help="The queued computation recomputes settled results too (logged).",
    )
    clock_job_chunk_ids = fields.One2many(
        "slm.clock.job.chunk", "agreement_id", string="Clock Computation Chunks"
    )
    clock_job_chunk_count = fields.Integer(
        string="Chunks", compute="_compute_clock_job_progress"
    )
    clock_job_chunks_done = fields.Integer(
        string="Chunks Done", compute="_compute_clock_job_progress"
    )
    clock_job_done = fields.Integer(
        string="Tickets Processed",
        compute="_compute_clock_job_progress",
        help="Tickets of the chunks done so far (clock job rule 4).",
    )
    clock_job_progress = fields.Float(
        string="Clock Computation Progress",
        compute="_compute_clock_job_progress",
        help="Chunks done out of all the chunks of the computation, in percent.",
    )
    clock_count = fields.Integer(compute="_compute_clock_count")
    # Temporary changes of service levels (slm.adjustment)
    adjustment_ids = fields.One2many(
        "slm.adjustment",
        "agreement_id",
        string="Temporary Changes",
        help="Extra support hours, reduced service and maintenance windows of "
        "this agreement.",
    )
    adjustment_count = fields.Integer(compute="_compute_adjustment_count")
    # Alignment of SLA targets with their underpinning (slm.alignment.issue)
    alignment_issue_ids = fields.One2many(
        "slm.alignment.issue",
        "agreement_id",
        string="Alignment Gaps",
        groups="slm_catalogue.group_slm_user",
        help="SLA: its targets with no underpinning or with looser underpinning.",
    )
    underpinning_issue_ids = fields.One2many(
        "slm.alignment.issue",
        "underpinning_agreement_id",
        string="Gaps of the SLAs Backed",
        groups="slm_catalogue.group_slm_user",
        help="OLA: the gaps between its targets and the SLA targets they back.",
    )
    alignment_issue_count = fields.Integer(
        string="Alignment Gaps Count",
        compute="_compute_alignment_issue_count",
        groups="slm_catalogue.group_slm_user",
        help="Gaps of this SLA's targets, or of the SLA targets this OLA backs.",
    )
    alignment_target_ids = fields.One2many(
        "slm.target",
        "agreement_id",
        string="Underpinning of the Targets",
        help="The targets of this agreement with what they are backed by (SLA) "
        "or what they back (OLA). The links change in any status.",
    )
    breach_count = fields.Integer(
        compute="_compute_breach_count",
        help="Breaches of this agreement's targets recorded for gap analysis "
        "(excused ones included).",
    )

    _sql_constraints = [
        (
            "date_check",
            "CHECK(date_end IS NULL OR date_end >= date_start)",
            "An agreement cannot end before it starts.",
        ),
        (
            "revision_positive",
            "CHECK(revision > 0)",
            "The revision number of an agreement must be 1 or more.",
        ),
        (
            "reference_revision_uniq",
            "unique(reference, revision)",
            "This agreement already has a revision with this number.",
        ),
    ]

    # ------------------------------------------------------------------
    # Defaults
    # ------------------------------------------------------------------

    @api.model
    def _default_state(self):
        # Not default_state in the context: it would leak into other models.
        if self.env.context.get("slm_new_requirement"):
            return "requirement"
        return "draft"

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("reference", "name", "revision")
    def _compute_display_name(self):
        for agreement in self:
            if not agreement.reference:
                agreement.display_name = agreement.name or ""
            elif agreement.revision > 1:
                agreement.display_name = self.env._(
                    "%(reference)s rev. %(revision)s %(name)s",
                    reference=agreement.reference,
                    revision=agreement.revision,
                    name=agreement.name or "",
                )
            else:
                agreement.display_name = f"{agreement.reference} {agreement.name or ''}"

    @api.depends("partner_id", "company_id")
    def _compute_tz(self):
        # Only a new choice of customer or company proposes a zone again: a
        # later change of the customer's own time zone does not move the
        # months of an agreement (period rule).
        for agreement in self:
            agreement.tz = (
                agreement.partner_id.tz or agreement.company_id.partner_id.tz or "UTC"
            )

    def _period_tz(self):
        """The pytz zone of the agreement's months (period rule)."""
        self.ensure_one()
        try:
            return pytz.timezone(self.tz or "UTC")
        except pytz.UnknownTimeZoneError:
            return pytz.utc

    def _period_keys(self, moment):
        """(local day, first day of the local month) of the UTC datetime
        ``moment`` in the agreement's time zone (period rule); (False, False)
        without a moment."""
        self.ensure_one()
        if not moment:
            return False, False
        day = pytz.utc.localize(moment).astimezone(self._period_tz()).date()
        return day, start_of(day, "month")

    def _period_today(self):
        """Today in the agreement's time zone (its current month: period rule)."""
        return self._period_keys(fields.Datetime.now())[0]

    @api.depends("structure")
    def _compute_level(self):
        for agreement in self:
            if agreement.structure != "multi_level":
                agreement.level = False
            else:
                agreement.level = agreement.level

    def _compute_child_count(self):
        counts = self._related_counts("slm.agreement", "parent_id")
        for agreement in self:
            agreement.child_count = counts.get(agreement, 0)

    @api.depends("date_start")
    def _compute_next_review_date(self):
        for agreement in self:
            agreement.next_review_date = (
                agreement.date_start and agreement.date_start + relativedelta(years=1)
            )

    @api.depends("target_ids", "parent_id")
    def _compute_target_count(self):
        for agreement in self:
            agreement.target_count = len(agreement.target_ids)
            agreement.effective_target_count = len(agreement._effective_targets())

    @api.depends("target_ids", "parent_id")
    def _compute_inherited_target_ids(self):
        for agreement in self:
            agreement.inherited_target_ids = (
                agreement._effective_targets() - agreement.target_ids
            )

    @api.depends("reference", "revision")
    def _compute_revision_ids(self):
        references = [ref for ref in set(self.mapped("reference")) if ref]
        by_reference = {}
        if references:
            for revision in self.search(
                [("reference", "in", references)], order="revision desc"
            ):
                by_reference.setdefault(revision.reference, self.browse())
                by_reference[revision.reference] |= revision
        for agreement in self:
            revisions = by_reference.get(agreement.reference, self.browse())
            agreement.revision_ids = revisions
            agreement.revision_count = len(revisions)

    @api.model
    def _read_group_expand_state(self, states, domain):
        """Show the main steps always, and the other states that have agreements."""
        shown = set(states) | set(MAIN_STATES)
        return [state for state, _label in STATES if state in shown]

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("company_id")
    def _check_target_calendars_company(self):
        """Moving an agreement to another company: its targets' calendars
        must follow (clock rule 5), checked as when a target is saved."""
        self.target_ids._check_calendar()

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for agreement in self:
            if agreement.date_end and agreement.date_end < agreement.date_start:
                raise ValidationError(
                    agreement._date_error(agreement.date_start, agreement.date_end)
                )

    def _date_error(self, date_start, date_end):
        return self.env._(
            "%(agreement)s would end on %(end)s, before it starts on %(start)s: "
            "correct the end date, or leave it empty for an open-ended agreement.",
            agreement=self.display_name or self.env._("The agreement"),
            end=date_end,
            start=date_start,
        )

    @api.constrains("kind", "state")
    def _check_requirement_is_sla(self):
        for agreement in self:
            if agreement.state == "requirement" and agreement.kind != "sla":
                raise ValidationError(
                    self.env._(
                        "%(agreement)s is an OLA: only an SLA starts as a Service "
                        "Level Requirement. Create the OLA as a draft.",
                        agreement=agreement.display_name,
                    )
                )

    @api.constrains("kind", "team_id")
    def _check_ola_team(self):
        for agreement in self:
            if agreement.kind == "ola" and not agreement.team_id:
                raise ValidationError(
                    self.env._(
                        "The OLA %(agreement)s needs a support team: an "
                        "Operational Level Agreement is made with an internal "
                        "helpdesk team.",
                        agreement=agreement.display_name,
                    )
                )

    @api.constrains("structure", "level", "parent_id", "kind")
    def _check_hierarchy(self):
        # A loop first: it would also break the order of levels, less clearly.
        if self._has_cycle():
            raise ValidationError(self._loop_error())
        for agreement in self:
            if agreement.structure == "multi_level" and not agreement.level:
                raise ValidationError(
                    self.env._(
                        "%(agreement)s is multi-level: choose its level "
                        "(corporate, customer or service).",
                        agreement=agreement.display_name,
                    )
                )
            parent = agreement.parent_id
            if not parent:
                continue
            if (
                agreement.structure != "multi_level"
                or parent.structure != "multi_level"
            ):
                raise ValidationError(
                    self.env._(
                        "%(agreement)s cannot have a parent agreement: only the "
                        "levels of a multi-level structure inherit from each "
                        "other. Make both %(agreement)s and %(parent)s multi-level, "
                        "or remove the parent.",
                        agreement=agreement.display_name,
                        parent=parent.display_name,
                    )
                )
            if parent.kind != agreement.kind:
                raise ValidationError(
                    self.env._(
                        "%(agreement)s cannot inherit from %(parent)s: an SLA "
                        "inherits from an SLA, an OLA from an OLA.",
                        agreement=agreement.display_name,
                        parent=parent.display_name,
                    )
                )
            if LEVEL_RANK[agreement.level] <= LEVEL_RANK[parent.level]:
                levels = dict(self._fields["level"]._description_selection(self.env))
                raise ValidationError(
                    self.env._(
                        "%(agreement)s (%(level)s level) cannot be below "
                        "%(parent)s (%(parent_level)s level): a lower-level "
                        "agreement must be of a lower level than its parent "
                        "(corporate, then customer, then service).",
                        agreement=agreement.display_name,
                        level=levels[agreement.level],
                        parent=parent.display_name,
                        parent_level=levels[parent.level],
                    )
                )

    def _loop_error(self):
        return self.env._(
            "These parent agreements would form a loop: an agreement would "
            "inherit from itself. Choose another parent for %(agreements)s.",
            agreements=", ".join(self.mapped("display_name")),
        )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # Wrong values first, in the user's words (catalogue rule).
        for vals in vals_list:
            self.browse()._slm_check_values(vals, "create")
        system = self.env.su
        for vals in vals_list:
            state = vals.get("state")
            workflow = self._workflow_fields().intersection(vals) - {"state"}
            if not system and (
                (state and state not in ("requirement", "draft"))
                or any(vals[name] for name in workflow)
            ):
                raise UserError(
                    self.env._(
                        "A new agreement starts as a requirement or a draft: it is "
                        "negotiated and agreed with the buttons of its form."
                    )
                )
            if vals.get("date_end") and vals.get("date_start"):
                start = fields.Date.to_date(vals["date_start"])
                end = fields.Date.to_date(vals["date_end"])
                if end < start:
                    raise ValidationError(self._date_error(start, end))
            self._normalize_partner(vals)
            self._check_tz_value(vals)
            self._check_holiday_value(vals)
            if not vals.get("reference"):
                kind = vals.get("kind") or self.env.context.get("default_kind") or "sla"
                vals["reference"] = self.env["ir.sequence"].next_by_code(
                    f"slm.agreement.{kind}"
                )
        agreements = super().create(vals_list)
        # A new revision changes the revisions of the others.
        self.invalidate_model(["revision_ids", "revision_count"])
        self.env.registry.clear_cache()  # the ticket index (clock rule 1)
        return agreements

    def write(self, vals):
        self._slm_check_values(vals)  # wrong values first (catalogue rule)
        if not self.env.su:
            self._check_write_allowed(vals)
        self._normalize_partner(vals)
        self._check_tz_value(vals)
        self._check_holiday_value(vals)
        if vals.get("parent_id"):
            # Checked before the parent paths are updated, which would fail with
            # a bare "Recursion Detected".
            parent = self.browse(vals["parent_id"])
            ancestor_ids = {int(i) for i in (parent.parent_path or "").split("/") if i}
            if ancestor_ids.intersection(self.ids):
                raise ValidationError(self._loop_error())
        result = super().write(vals)
        engine = self.env["slm.target"]._slm_engine_fields()[self._name]
        if TICKET_INDEX_FIELDS.intersection(vals) or set(engine).intersection(vals):
            # The ticket index (clock rule 1), the clocks' settings (clock
            # rule 21).
            self.env.registry.clear_cache()
        if ALIGNMENT_TERMS.intersection(vals):
            self.env["slm.alignment.issue"]._refresh_agreements(self)
        return result

    @api.model
    def _workflow_fields(self):
        """Fields only the lifecycle actions write (hook: extended by kinds)."""
        return set(WORKFLOW_FIELDS)

    def _check_write_allowed(self, vals):
        workflow = self._workflow_fields().intersection(vals)
        if workflow:
            raise UserError(
                self.env._(
                    "The status of an agreement changes only through its buttons "
                    "(Negotiate, Agree, Terminate, New Revision), which record who "
                    "did what and when; so do its provider sign-off, revisions "
                    "and clock computations: %(fields)s cannot be written "
                    "directly.",
                    fields=field_labels(self, workflow),
                )
            )
        if "kind" in vals and self.filtered(lambda a: a.kind != vals["kind"]):
            raise UserError(
                self.env._(
                    "The kind of an agreement (SLA or OLA) is fixed once it is "
                    "created: its reference says so. Create a new agreement of the "
                    "other kind instead."
                )
            )
        frozen = FROZEN_FIELDS.intersection(vals)
        locked = self.filtered(lambda a: a.state not in EDITABLE_STATES)
        if frozen and locked:
            raise UserError(locked._locked_error())

    def _locked_error(self):
        states = dict(self._fields["state"]._description_selection(self.env))
        return self.env._(
            "%(agreements)s is %(state)s: its terms (scope, dates, sign-off and "
            "targets) cannot be changed in place, so that the history of what was "
            "agreed stays true. Create a new revision (button New Revision), "
            "change it and have it agreed.",
            agreements=", ".join(self.mapped("display_name")),
            state=states[self[:1].state].lower(),
        )

    def _check_holiday_value(self, vals):
        """Bad input: another company's holiday calendar (customer calendar
        rule 3), refused before anything is written."""
        if not ({"holiday_calendar_id", "company_id"} & set(vals)):
            return
        Calendar = self.env["resource.calendar"].sudo()
        Company = self.env["res.company"].sudo()
        for agreement in self or [self.browse()]:
            calendar = (
                Calendar.browse(vals["holiday_calendar_id"])
                if "holiday_calendar_id" in vals
                else agreement.sudo().holiday_calendar_id
            )
            company = (
                Company.browse(vals["company_id"])
                if vals.get("company_id")
                else agreement.company_id or self.env.company
            )
            error = self._holiday_error(calendar, company)
            if error:
                raise ValidationError(error)

    @api.constrains("holiday_calendar_id", "company_id")
    def _check_holiday_calendar(self):
        for agreement in self:
            error = self._holiday_error(
                agreement.sudo().holiday_calendar_id, agreement.company_id
            )
            if error:
                raise ValidationError(error)

    def _holiday_error(self, calendar, company):
        if not calendar.exists() or not calendar.company_id:
            return None
        if calendar.company_id == company:
            return None
        return self.env._(
            "The holidays of %(calendar)s are those of %(other)s, but the "
            "agreement belongs to %(company)s: choose a calendar of %(company)s "
            "or one shared by every company as the agreement's holidays.",
            calendar=calendar.name,
            other=calendar.company_id.name,
            company=company.name,
        )

    def _check_tz_value(self, vals):
        """Bad input: a time zone the suite does not know (period rule)."""
        if vals.get("tz") and vals["tz"] not in pytz.all_timezones_set:
            raise ValidationError(
                self.env._(
                    "%(tz)s is not a time zone: choose one from the list (for "
                    "example Europe/Brussels). The agreement's months run in it.",
                    tz=vals["tz"],
                )
            )

    def _normalize_partner(self, vals):
        """The customer of an agreement is a commercial entity, not a contact."""
        if vals.get("partner_id"):
            partner = self.env["res.partner"].browse(vals["partner_id"])
            vals["partner_id"] = partner.commercial_partner_id.id

    def unlink(self):
        # Their targets go with them (in the database): the SLA targets they
        # backed are checked again.
        targets = self.sudo().with_context(active_test=False).target_ids
        backed = targets.underpins_target_ids - targets
        result = super().unlink()
        self.env.registry.clear_cache()  # the ticket index (clock rule 1)
        self.env["slm.alignment.issue"]._refresh(backed)
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_signed(self):
        self.filtered("provider_signed_date")._refuse(
            self.env._(
                "%(names)s has been agreed: it stays in the records. Terminate "
                "it, or let it expire, instead of deleting it."
            )
        )

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        name_copies(self, vals_list, default)
        return vals_list

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_to_draft(self):
        self._check_states(("requirement", "negotiation"), "draft")
        self._system_write({"state": "draft"})

    def action_negotiate(self):
        self._check_states(("requirement", "draft"), "negotiation")
        self._system_write({"state": "negotiation"})

    def action_agree(self):
        """Agree the agreements: the provider signs now, as the current user.

        An SLA must carry the customer's signature (who and when) first. When
        the agreement is a revision, the previous revision is superseded from
        the new start date on.
        """
        self._check_can_agree()
        self._check_states(("draft", "negotiation"), "agreed")
        for agreement in self:
            agreement._check_ready_to_agree()
        self._system_write(
            {
                "state": "agreed",
                "provider_signed_by_id": self.env.user.id,
                "provider_signed_date": fields.Datetime.now(),
            }
        )
        if len(self) > 1:
            # Agreed together: they may not overlap one another either.
            for agreement in self:
                problems = agreement._problems_of_overlap()
                if problems:
                    raise UserError(
                        self.env._(
                            "%(agreement)s cannot be agreed yet:",
                            agreement=agreement.display_name,
                        )
                        + "\n- "
                        + "\n- ".join(problems)
                    )
        # The agreed version is sealed (seal rule 1); a revision is a new one.
        self._seal()
        revisions = self.filtered("previous_revision_id")
        for agreement in revisions:
            agreement.previous_revision_id._replace_by(agreement)
        # An agreement recorded after its end date (e.g. from paper) ends at once.
        self._expire_ended()
        return True

    def _seal_fields(self):
        """The terms agreed (seal rule 1): scope, start, sign-off and the
        targets. The end date is left out: terminating or superseding an
        agreement ends it earlier, by a logged action."""
        return [
            "reference",
            "revision",
            "previous_revision_id",
            "kind",
            "structure",
            "level",
            "partner_id",
            "team_id",
            "service_ids",
            "date_start",
            "customer_signed_by_id",
            "customer_signed_date",
            "provider_signed_by_id",
            "provider_signed_date",
            "holiday_calendar_id",
            "holiday_mode",
        ] + [f"target_ids.{name}" for name in self.env["slm.target"]._seal_fields()]

    @api.model
    def _seal_state_domain(self):
        return [("provider_signed_date", "!=", False)]

    def _check_can_agree(self):
        """Who signs for the provider: a Service Level Manager."""
        if not self.env.user.has_group("slm_catalogue.group_slm_manager"):
            raise AccessError(
                self.env._("Only a Service Level Manager can agree an agreement.")
            )

    def action_terminate(self):
        """End the agreements now, or withdraw requirements and drafts.

        The reason comes from the field Termination Reason, or from the
        context key ``slm_termination_reason`` (for a wizard).
        """
        self._check_states(EDITABLE_STATES + ("agreed",), "terminated")
        reason = (self.env.context.get("slm_termination_reason") or "").strip()
        today = fields.Date.context_today(self)
        for agreement in self:
            agreement_reason = reason or (agreement.termination_reason or "").strip()
            if not agreement_reason:
                raise UserError(
                    self.env._(
                        "Give the reason for terminating %(agreement)s in the field "
                        "Termination Reason (tab Sign-off), then terminate it.",
                        agreement=agreement.display_name,
                    )
                )
            open_children = agreement.child_ids.filtered(
                lambda a: a.state not in CLOSED_STATES
            )
            if open_children:
                raise UserError(
                    self.env._(
                        "%(agreement)s still has lower-level agreements that "
                        "inherit its targets: %(children)s. Terminate them or "
                        "give them another parent first.",
                        agreement=agreement.display_name,
                        children=", ".join(open_children.mapped("display_name")),
                    )
                )
            vals = {
                "state": "terminated",
                "termination_reason": agreement_reason,
                "termination_date": today,
            }
            # In force until today; one that has not started keeps its dates.
            started = agreement.date_start <= today
            ends_later = not agreement.date_end or agreement.date_end > today
            if agreement.state == "agreed" and started and ends_later:
                vals["date_end"] = today
            agreement._system_write(vals)
        return True

    def action_new_revision(self):
        """Copy the agreement and its targets into a draft of the next revision."""
        self.ensure_one()
        self._check_states(("agreed", "expired"), "new_revision")
        pending = self.search(
            [
                ("reference", "=", self.reference),
                ("state", "in", EDITABLE_STATES),
            ],
            limit=1,
        )
        if pending:
            raise UserError(
                self.env._(
                    "Revision %(revision)s of %(reference)s is already being "
                    "prepared: continue with that one.",
                    revision=pending.revision,
                    reference=self.reference,
                )
            )
        latest = max(self.revision_ids.mapped("revision"))
        if latest > self.revision:
            raise UserError(
                self.env._(
                    "%(agreement)s is not the latest revision: revise revision "
                    "%(latest)s instead.",
                    agreement=self.display_name,
                    latest=latest,
                )
            )
        today = fields.Date.context_today(self)
        date_start = max(today, self.date_start + relativedelta(days=1))
        date_end = self.date_end
        if date_end and date_end < date_start:
            # A renewal: same term as before.
            date_end = date_start + (self.date_end - self.date_start)
        self.check_access("write")
        new = (
            self.sudo()
            .copy(
                {
                    "name": self.name,
                    "reference": self.reference,
                    "revision": latest + 1,
                    "previous_revision_id": self.id,
                    "date_start": date_start,
                    "date_end": date_end,
                    "target_ids": [],
                }
            )
            .sudo(False)
        )
        for target in self.target_ids:
            target.copy({"agreement_id": new.id, "previous_target_id": target.id})
        self.message_post(
            body=self.env._(
                "Revision %(revision)s is being prepared: %(link)s",
                revision=new.revision,
                link=new._get_html_link(),
            )
        )
        return new._get_form_action()

    def action_view_revisions(self):
        self.ensure_one()
        action = self._get_list_action(self.env._("Revisions of %s", self.reference))
        action["domain"] = [("reference", "=", self.reference)]
        return action

    def action_view_children(self):
        self.ensure_one()
        action = self._get_list_action(
            self.env._("Lower-level agreements of %s", self.display_name)
        )
        action["domain"] = [("parent_id", "=", self.id)]
        action["context"] = {
            "default_parent_id": self.id,
            "default_kind": self.kind,
            "default_structure": "multi_level",
            "default_company_id": self.company_id.id,
        }
        return action

    def _get_form_action(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
        }

    def _get_list_action(self, name):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": self._name,
            "view_mode": "list,form",
        }

    def _related_action(self, xmlid, domain=None, context=None):
        """As for any model, the records of an agreement being found by their
        ``agreement_id`` unless ``domain`` says otherwise."""
        self.ensure_one()
        domain = domain or [("agreement_id", "=", self.id)]
        return super()._related_action(xmlid, domain, context)

    def _related_counts(self, model, field="agreement_id", domain=()):
        """As for any model, the records holding an agreement being found by
        their ``agreement_id`` unless ``field`` says otherwise."""
        return super()._related_counts(model, field, domain)

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _effective_targets(self):
        """Return the targets in force in these agreements.

        An agreement's own (active) targets, plus the effective targets of its
        parent that none of its own targets overrides. A target overrides the
        parent target it names (``parent_target_id``) and every target that
        itself overrides that one, so the lowest level wins, through any number
        of levels. For several agreements, the union of their targets.
        """
        targets = self.env["slm.target"]
        for agreement in self:
            targets |= agreement._effective_targets_of_one(set())
        return targets

    def _slm_ticket_targets(self):
        """{agreement id: its effective targets that run clocks on tickets},
        for those of these agreements that have any: availability targets run
        none, and an agreement with nothing else does not compete for the
        tickets (clock rule 9)."""
        # The targets' fields in one read for all the agreements, not one
        # query per agreement (set-based: the ticket path reads every
        # agreement of the company).
        self.target_ids.mapped("metric")
        effective = {
            agreement.id: agreement._effective_targets().filtered(
                lambda t: t.metric != "availability"
            )
            for agreement in self
        }
        return {key: targets for key, targets in effective.items() if targets}

    def _effective_targets_of_one(self, seen):
        own = self.target_ids.filtered("active")
        if not self.parent_id or self.id in seen:
            return own
        seen.add(self.id)
        inherited = self.parent_id._effective_targets_of_one(seen)
        overridden = own.parent_target_id
        if overridden:
            inherited = inherited.filtered(
                lambda target: not (target._override_chain() & overridden)
            )
        return own | inherited

    def _check_states(self, allowed, new_state):
        labels = dict(self._fields["state"]._description_selection(self.env))
        labels["new_revision"] = self.env._("a new revision")
        wrong = self.filtered(lambda a: a.state not in allowed)
        if wrong:
            raise UserError(
                self.env._(
                    "%(agreements)s cannot go to %(target)s from %(state)s. Allowed "
                    "from: %(allowed)s.",
                    agreements=", ".join(wrong.mapped("display_name")),
                    target=labels[new_state],
                    state=labels[wrong[0].state],
                    allowed=", ".join(labels[s] for s in allowed),
                )
            )

    def _check_ready_to_agree(self):
        """Raise a UserError listing all that is missing before this can be agreed."""
        self.ensure_one()
        problems = (
            self._problems_of_targets()
            + self._problems_of_sign_off()
            + self._problems_of_scope()
            + self._problems_with_parent()
            + self._problems_with_previous_revision()
            + self._problems_of_overlap()
            + self._problems_of_settings()
        )
        if problems:
            raise UserError(
                self.env._(
                    "%(agreement)s cannot be agreed yet:", agreement=self.display_name
                )
                + "\n- "
                + "\n- ".join(problems)
            )

    @api.model
    @tools.ormcache("company_id")
    def _slm_ticket_index_by_customer(self, company_id):
        """``_slm_ticket_index`` by customer: {partner id: its (position in
        the index, entry) pairs}, the agreements for every customer under
        ``False``. A ticket's candidates are those of its customer and of
        ``False`` only (an agreement for another customer never covers it):
        the cost of a ticket does not grow with the number of customers
        under agreement."""
        by_customer = {}
        for position, facts in enumerate(self._slm_ticket_index(company_id)):
            by_customer.setdefault(facts["partner_id"], []).append((position, facts))
        return {key: tuple(entries) for key, entries in by_customer.items()}

    def _slm_covers_ticket(self, ticket, day):
        """In force on ``day`` (by its dates) and covering the ticket's
        company, customer and service (clock rule 1)."""
        self.ensure_one()
        return self._slm_facts_cover_ticket(self._slm_coverage_facts(), ticket, day)

    def _slm_covers_service(self, service):
        """Covers tickets about ``service`` (no services: all)."""
        self.ensure_one()
        return not self.service_ids or service in self.service_ids

    def _slm_coverage_facts(self):
        """What decides which tickets this agreement covers and how specific it
        is (clock rule 1), as plain values: the entries of the ticket index."""
        self.ensure_one()
        return {
            "id": self.id,
            "kind": self.kind,
            "team_id": self.team_id.id,
            "company_id": self.company_id.id,
            "date_start": self.date_start,
            "date_end": self.date_end,
            "partner_id": self.partner_id.id,
            "service_ids": frozenset(self.service_ids.ids),
            "level": self.level,
        }

    @api.model
    def _slm_facts_cover_ticket(self, facts, ticket, day):
        """``_slm_covers_ticket`` from an agreement's ``_slm_coverage_facts``."""
        if facts["company_id"] != ticket.company_id.id:
            return False
        if facts["date_start"] and day < facts["date_start"]:
            return False
        if facts["date_end"] and day > facts["date_end"]:
            return False
        if (
            facts["partner_id"]
            and facts["partner_id"] != ticket.commercial_partner_id.id
        ):
            return False
        services = facts["service_ids"]
        return not services or ticket.service_id.id in services

    @api.model
    def _slm_facts_specificity(self, facts):
        """Service-level over customer-level over corporate (clock rule 1),
        from an agreement's ``_slm_coverage_facts``."""
        level = {"corporate": 0, "customer": 1, "service": 2}.get(facts["level"], 0)
        return (
            2 * bool(facts["service_ids"]) + bool(facts["partner_id"]),
            level,
            facts["date_start"] or fields.Date.today(),
            facts["id"],
        )

    @api.model
    @tools.ormcache("company_id")
    def _slm_ticket_index(self, company_id):
        """The agreements of a company that may govern tickets (clock rule 1):
        in force when a ticket was created (agreed, or expired or superseded
        since), with effective targets that run clocks on tickets; each as its
        ``_slm_coverage_facts`` plus ``targets``: the ``_slm_scope_facts`` of
        those targets, in order.

        Kept in the registry's cache: the ticket path reads no agreement and
        no target to know which targets apply, however many agreements there
        are. Cleared when an agreement, a target or a priority changes in a
        way that can change it (``TICKET_INDEX_FIELDS``, ``slm.target``'s
        ``TICKET_SCOPE_FIELDS``).
        """
        agreements = self.with_env(self.env(su=True, context={})).search(
            [
                ("state", "in", IN_FORCE_FOR_TICKETS),
                ("company_id", "=", company_id),
            ]
        )
        effective = agreements._slm_ticket_targets()
        return tuple(
            dict(
                agreement._slm_coverage_facts(),
                targets=tuple(
                    target._slm_scope_facts() for target in effective[agreement.id]
                ),
            )
            for agreement in agreements
            if agreement.id in effective
        )

    def _problems_of_targets(self):
        if self._effective_targets():
            return []
        return [
            self.env._("it has no targets, own or inherited: add at least one target.")
        ]

    def _counterparty(self):
        """The party that signs the agreement with the provider, as
        {"partner", "signer", "signed_date", "label"}: the customer of an
        SLA; None for an OLA (an internal team does not sign). Other kinds of
        agreements name theirs."""
        if self.kind != "sla":
            return None
        return {
            "partner": self.partner_id,
            "signer": self.customer_signed_by_id,
            "signed_date": self.customer_signed_date,
            "label": self.env._("customer"),
        }

    def _problems_of_sign_off(self):
        party = self._counterparty()
        if not party:
            return []
        problems = []
        signer, label = party["signer"], party["label"]
        if not signer or not party["signed_date"]:
            problems.append(
                self.env._(
                    "the %(party)s's sign-off is missing: fill in who signed "
                    "for the %(party)s and when (tab Sign-off).",
                    party=label,
                )
            )
        elif party["partner"] and signer.commercial_partner_id != party["partner"]:
            problems.append(
                self.env._(
                    "%(signer)s signed, but is not %(partner)s nor one of its "
                    "contacts.",
                    signer=signer.display_name,
                    partner=party["partner"].display_name,
                )
            )
        signed = party["signed_date"]
        # The signer may be ahead of whoever agrees (a customer in Brussels
        # signs on the 8th while it is still the 7th in UTC): in the future
        # means after today everywhere (UTC+14).
        latest_today = (fields.Datetime.now() + timedelta(hours=14)).date()
        if signed and signed > latest_today:
            problems.append(
                self.env._(
                    "the %(party)s's signature is dated in the future.", party=label
                )
            )
        return problems

    def _problems_of_scope(self):
        problems = []
        needs_customer = self.structure == "customer_based" or self.level == "customer"
        if needs_customer and not self.partner_id:
            problems.append(
                self.env._("it is a customer-level agreement without a customer.")
            )
        needs_services = self.structure == "service_based" and self.kind == "sla"
        if (needs_services or self.level == "service") and not self.service_ids:
            problems.append(
                self.env._("it is a service-level agreement without services.")
            )
        return problems

    def _problems_with_parent(self):
        parent = self.parent_id
        if not parent:
            return []
        problems = []
        if parent.state != "agreed":
            problems.append(
                self.env._(
                    "its parent %(parent)s is not agreed: agree the higher "
                    "level first.",
                    parent=parent.display_name,
                )
            )
        if parent.partner_id and self.partner_id != parent.partner_id:
            problems.append(
                self.env._(
                    "its parent covers only %(customer)s: choose the same customer.",
                    customer=parent.partner_id.display_name,
                )
            )
        if parent.service_ids and (self.service_ids - parent.service_ids):
            problems.append(
                self.env._(
                    "its parent covers only %(services)s: choose among these "
                    "services.",
                    services=", ".join(parent.service_ids.mapped("display_name")),
                )
            )
        elif parent.service_ids and not self.service_ids:
            problems.append(
                self.env._(
                    "its parent covers only some services: choose them here too."
                )
            )
        return problems

    def _problems_with_previous_revision(self):
        previous = self.previous_revision_id
        if not previous:
            return []
        problems = []
        if previous.state not in ("agreed", "expired"):
            states = dict(self._fields["state"]._description_selection(self.env))
            problems.append(
                self.env._(
                    "the revision it replaces, %(previous)s, is no longer in "
                    "force (it is %(state)s).",
                    previous=previous.display_name,
                    state=states[previous.state].lower(),
                )
            )
        if self.date_start <= previous.date_start:
            problems.append(
                self.env._(
                    "it must start after the revision it replaces, which "
                    "started on %(date)s.",
                    date=previous.date_start,
                )
            )
        return problems

    def _problems_of_overlap(self):
        """Agreement rule "Overlaps": another agreed SLA for the same customer
        and services in the same period, not a level above or below this one
        in a multi-level structure, nor a revision of it. SLAs for every
        customer are ranked by clock rule 1 instead."""
        if self.kind != "sla" or not self.partner_id:
            return []
        others = (
            self.sudo()
            .search(
                [
                    ("id", "!=", self.id),
                    ("kind", "=", "sla"),
                    ("state", "=", "agreed"),
                    ("company_id", "=", self.company_id.id),
                    ("partner_id", "=", self.partner_id.id),
                    ("reference", "!=", self.reference),
                    "|",
                    ("date_end", "=", False),
                    ("date_end", ">=", self.date_start),
                ]
                + ([("date_start", "<=", self.date_end)] if self.date_end else [])
            )
            .filtered(
                lambda other: bool(other.service_ids) == bool(self.service_ids)
                and (not self.service_ids or bool(other.service_ids & self.service_ids))
            )
        )
        own_line = {int(i) for i in (self.parent_path or "").split("/") if i}
        problems = []
        for other in others:
            other_line = {int(i) for i in (other.parent_path or "").split("/") if i}
            if other.id in own_line or self.id in other_line:
                continue  # parent or child in a multi-level structure
            problems.append(
                self.env._(
                    "it overlaps %(other)s, agreed for the same customer and "
                    "services from %(start)s to %(end)s: end or terminate that "
                    "agreement first, change the dates or services, or make one "
                    "the parent of the other (multi-level).",
                    other=other.display_name,
                    start=other.date_start,
                    end=other.date_end or self.env._("no end date"),
                )
            )
        return problems

    def _problems_of_settings(self):
        """Fail-soft rules 3 and 4, for targets set while nothing checked them
        (e.g. a calendar changed since)."""
        cache = {}
        return [
            error
            for error in (
                target._slm_setting_error(cache)
                for target in self.target_ids.filtered("active")
            )
            if error
        ]

    def _replace_by(self, new):
        """Record that the agreed revision ``new`` replaces this one.

        This revision ends the day before ``new`` starts (unless it ends
        earlier). It is superseded at once when ``new`` is already in force,
        otherwise by the daily scheduled action once it has ended.
        """
        self.ensure_one()
        day_before = new.date_start - relativedelta(days=1)
        vals = {"superseded_by_id": new.id}
        if not self.date_end or self.date_end > day_before:
            vals["date_end"] = max(day_before, self.date_start)
        self._system_write(vals)
        if self.state == "expired" or new.date_start <= fields.Date.context_today(self):
            self._supersede()

    def _supersede(self):
        """Mark these agreements superseded by their ``superseded_by_id``.

        Their lower-level agreements still open move under the new revision,
        and the targets that overrode a target of the old revision now override
        its copy in the new one (or nothing, when the revision dropped it).
        """
        Target = self.env["slm.target"].sudo()
        for old in self:
            new = old.superseded_by_id
            children = old.child_ids.filtered(lambda a: a.state not in CLOSED_STATES)
            children._system_write({"parent_id": new.id})
            old_targets = old.with_context(active_test=False).target_ids
            copies = {
                target.previous_target_id: target
                for target in new.with_context(active_test=False).target_ids
                if target.previous_target_id
            }
            # Lower levels still open, now under the new revision.
            overrides = Target.search(
                [
                    ("parent_target_id", "in", old_targets.ids),
                    ("agreement_id", "child_of", new.id),
                    ("agreement_id.state", "not in", CLOSED_STATES),
                ]
            )
            for override in overrides:
                override.parent_target_id = copies.get(
                    override.parent_target_id, Target.browse()
                )
            old._system_write({"state": "superseded"})
            old.message_post(
                body=self.env._(
                    "Superseded by %(link)s, in force from %(date)s.",
                    link=new._get_html_link(),
                    date=new.date_start,
                )
            )

    def _expire_ended(self):
        """Close the agreed agreements whose end date has passed.

        Replaced ones become superseded, the others expired. One write per
        outcome; when it fails, each agreement is tried on its own so that one
        faulty agreement does not keep the others in force (``_slm_isolated``).
        """
        today = fields.Date.context_today(self)
        ended = self.filtered(
            lambda a: a.state == "agreed" and a.date_end and a.date_end < today
        )
        replaced = ended.filtered("superseded_by_id")
        isolated = self.env["ir.cron"]._slm_isolated
        if replaced:
            isolated(replaced, lambda records: records._supersede())
        if ended - replaced:
            isolated(ended - replaced, lambda records: records._expire())

    def _expire(self):
        self._system_write({"state": "expired"})

    @api.model
    def _cron_expire_agreements(self, batch_size=100, limit=None):
        """Scheduled action: close agreed agreements whose end date has passed.

        Safe to run twice: a closed agreement is no longer 'agreed'. Batched
        (``ir.cron._slm_run_batches``).
        """
        today = fields.Date.context_today(self)
        ended = self.sudo().search(
            [("state", "=", "agreed"), ("date_end", "<", today)], order="id"
        )
        self.env["ir.cron"]._slm_run_batches(
            ended,
            lambda batch: batch._expire_ended(),
            batch_size=batch_size,
            limit=limit,
        )

    # ------------------------------------------------------------------
    # Alignment with the underpinning agreements
    # ------------------------------------------------------------------

    def _compute_alignment_issue_count(self):
        own = self._related_counts("slm.alignment.issue")
        backed = self._related_counts(
            "slm.alignment.issue", "underpinning_agreement_id"
        )
        for agreement in self:
            agreement.alignment_issue_count = own.get(agreement, 0) + backed.get(
                agreement, 0
            )

    def action_check_alignment(self):
        """Check the alignment of these agreements' targets now."""
        Issue = self.env["slm.alignment.issue"]
        Issue._check_may_refresh()
        Issue._refresh_agreements(self)
        return True

    def action_view_alignment_issues(self):
        return self._related_action(
            "slm_agreements.slm_alignment_issue_action",
            domain=[
                "|",
                ("agreement_id", "=", self.id),
                ("underpinning_agreement_id", "=", self.id),
            ],
        )

    # ------------------------------------------------------------------
    # Clocks of existing tickets
    # ------------------------------------------------------------------

    def _compute_adjustment_count(self):
        counts = self._related_counts("slm.adjustment")
        for agreement in self:
            agreement.adjustment_count = counts.get(agreement, 0)

    def _compute_clock_count(self):
        counts = self._related_counts("slm.clock")
        for agreement in self:
            agreement.clock_count = counts.get(agreement, 0)

    def action_view_clocks(self):
        return self._related_action("slm_agreements.slm_clock_action")

    def _compute_breach_count(self):
        counts = self._related_counts("slm.breach")
        for agreement in self:
            agreement.breach_count = counts.get(agreement, 0)

    def action_view_breaches(self):
        return self._related_action("slm_agreements.slm_breach_action")

    def action_backfill_clocks(self):
        """Compute clocks for the tickets this agreement covers, in the background."""
        self._queue_clock_job(recompute=False)

    def action_recompute_clocks(self):
        """Preview the recomputation of every clock of this agreement, settled
        ones included (clock rule 11), applied on confirmation
        (recomputation rule 1)."""
        self.ensure_one()
        return self.env["slm.recompute"]._open_new(
            {"scope": "agreement", "agreement_id": self.id}
        )

    def _queue_clock_job(self, recompute):
        # Correcting measurements is a Service Level Manager's, logged (access
        # rule 1); the job then writes the clocks as superuser.
        if not self.env.su and not self.env.user.has_group(
            "slm_catalogue.group_slm_manager"
        ):
            raise AccessError(
                self.env._(
                    "Only a Service Level Manager can compute or recompute clocks."
                )
            )
        not_agreed = self.filtered(
            lambda a: a.state not in ("agreed", "expired", "superseded")
        )
        if not_agreed:
            raise UserError(
                self.env._(
                    "Clocks run only for agreements that are or were agreed: "
                    "%(agreements)s is not. Use the what-if simulation to see what "
                    "its targets would give.",
                    agreements=", ".join(not_agreed.mapped("display_name")),
                )
            )
        # Running from now on: the workers never write the agreement while
        # they work (a change of its row would fail their transactions).
        self._system_write(
            {"clock_job_state": "running", "clock_job_recompute": recompute}
        )
        Chunk = self.env["slm.clock.job.chunk"]
        size = Chunk._chunk_size()
        for agreement in self:
            # The tickets to do, split into chunks the workers take one by one
            # (clock job rule 1); tickets created later get their clocks anyway.
            ticket_ids = (
                self.env["helpdesk.ticket"]
                .sudo()
                .search(agreement._clock_job_domain(), order="id")
                .ids
            )
            Chunk._queue(agreement, ticket_ids, size)
            agreement.message_post(
                body=self.env._(
                    "%(what)s queued by %(user)s: %(tickets)s tickets in %(chunks)s "
                    "chunks.",
                    what=self.env._("Recomputation of every clock")
                    if recompute
                    else self.env._("Computation of clocks for existing tickets"),
                    user=self.env.user.name,
                    tickets=len(ticket_ids),
                    chunks=-(-len(ticket_ids) // size),
                ),
                subtype_xmlid="mail.mt_note",
            )
        for worker in self._clock_job_workers():
            worker._trigger()

    @api.model
    def _clock_job_workers(self):
        """The scheduled actions that work through the chunks: each one is a
        worker, run by one cron thread or process at a time; a copy of one is
        one more worker (clock job rule 2)."""
        return (
            self.env["ir.cron"]
            .sudo()
            .search(
                [
                    ("model_id.model", "=", self._name),
                    ("code", "like", "_cron_run_clock_jobs"),
                ]
            )
        )

    @api.depends("clock_job_chunk_ids.state")
    def _compute_clock_job_progress(self):
        groups = (
            self.env["slm.clock.job.chunk"]
            .sudo()
            ._read_group(
                [("agreement_id", "in", self.ids)],
                ["agreement_id", "state"],
                ["__count", "ticket_count:sum", "skipped_count:sum"],
            )
        )
        figures = {}
        for agreement, state, count, tickets, skipped in groups:
            chunks, done, processed = figures.get(agreement.id, (0, 0, 0))
            if state == "done":
                done += count
                processed += tickets - skipped
            figures[agreement.id] = (chunks + count, done, processed)
        for agreement in self:
            chunks, done, processed = figures.get(agreement.id, (0, 0, 0))
            agreement.clock_job_chunk_count = chunks
            agreement.clock_job_chunks_done = done
            agreement.clock_job_done = processed
            agreement.clock_job_progress = 100.0 * done / chunks if chunks else 0.0

    def _clock_job_domain(self):
        self.ensure_one()
        domain = [
            ("company_id", "=", self.company_id.id),
            *self._clock_job_start_domain(),
        ]
        if self.partner_id:
            domain.append(("commercial_partner_id", "=", self.partner_id.id))
        if self.service_ids:
            domain.append(("service_id", "in", self.service_ids.ids))
        return domain

    def _clock_job_start_domain(self):
        """The tickets whose clocks started while the agreement was in force:
        those created then (clock rule 1)."""
        return self._in_force_domain("create_date")

    def _in_force_domain(self, field):
        """``field`` (a datetime) falls on a day the agreement is in force."""
        domain = [(field, ">=", fields.Datetime.to_datetime(self.date_start))]
        if self.date_end:
            end = fields.Datetime.to_datetime(self.date_end) + timedelta(days=1)
            domain.append((field, "<", end))
        return domain

    def _compute_clocks_of(self, tickets):
        """Compute (or recompute, when the job says so) this agreement's clocks
        of ``tickets``, from their history rebuilt when missing."""
        self.ensure_one()
        tickets._slm_backfill_events()
        tickets._slm_sync_clocks()
        if self.clock_job_recompute:
            self.env["slm.clock"].sudo().search(
                [("agreement_id", "=", self.id), ("ticket_id", "in", tickets.ids)]
            )._recompute(force=True)
        return tickets

    def _finish_clock_job(self):
        """Close the job of this agreement, whose chunks are all done."""
        self.ensure_one()
        skipped = sum(self.clock_job_chunk_ids.mapped("skipped_count"))
        self._system_write({"clock_job_state": "failed" if skipped else "done"})
        counts = dict(
            self.env["slm.clock"]._read_group(
                [("agreement_id", "=", self.id)], ["status"], ["__count"]
            )
        )
        body = self.env._(
            "Clock computation done: %(done)s tickets processed; clocks "
            "running %(running)s, paused %(paused)s, met %(met)s, breached "
            "%(breached)s, cancelled %(cancelled)s.",
            done=self.clock_job_done,
            **{
                status: counts.get(status, 0)
                for status in ("running", "paused", "met", "breached", "cancelled")
            },
        )
        if skipped:
            body = self.env._(
                "%(body)s Clock computation failed for %(skipped)s tickets "
                "(see the server log); their clocks are as they were.",
                body=body,
                skipped=skipped,
            )
        self.message_post(body=body, subtype_xmlid="mail.mt_note")

    @api.model
    def _cron_run_clock_jobs(self, limit=20):
        """Scheduled action (one worker): run the queued clock computations,
        chunk by chunk, next to the other workers (clock job rules 2 to 4).

        Each chunk is taken under a row lock no other worker waits for
        (``FOR UPDATE SKIP LOCKED``), computed and marked done in one
        transaction, committed and reported (``ir.cron._slm_commit_progress``):
        an interruption loses the chunk under way only, which the next run
        takes again. At most ``limit`` chunks per call, the runner calls again
        for the rest. The worker that finds nothing left closes the jobs whose
        chunks are all done.
        """
        Chunk = self.env["slm.clock.job.chunk"].sudo()
        done = retries = 0
        while limit is None or done < limit:
            chunk = Chunk._take_next()
            if not chunk:
                break
            agreement = chunk.agreement_id
            try:
                with self.env.cr.savepoint():
                    chunk._process()
            except TransactionRollbackError:
                # Another transaction changed a row this chunk refers to (the
                # agreement, a customer...): the chunk is taken again with a
                # new snapshot (clock job rule 3).
                retries += 1
                if retries > 10 or getattr(
                    threading.current_thread(), "testing", False
                ):
                    raise
                _logger.info(
                    "Clock computation of %s, tickets %s to %s: concurrent "
                    "update, chunk taken again",
                    agreement.display_name,
                    chunk.first_ticket_id,
                    chunk.last_ticket_id,
                )
                self.env.cr.rollback()  # pylint: disable=invalid-commit
                continue
            except Exception:
                _logger.exception(
                    "Clock computation failed for %s, tickets %s to %s",
                    agreement.display_name,
                    chunk.first_ticket_id,
                    chunk.last_ticket_id,
                )
                chunk.write({"state": "done", "skipped_count": chunk.ticket_count})
            done += 1
            self.env["ir.cron"]._slm_commit_progress(
                done=done, remaining=Chunk.search_count([("state", "=", "todo")])
            )
        pending = self.sudo().search(
            [("clock_job_state", "in", ("queued", "running"))], order="id"
        )
        blocked = False
        for agreement in pending:
            if Chunk.search_count(
                [("agreement_id", "=", agreement.id), ("state", "=", "todo")]
            ):
                continue
            if not Chunk._lock_agreement(agreement, ("queued", "running")):
                blocked = True  # another transaction holds it: try again soon
                continue
            agreement._finish_clock_job()
            self.env["ir.cron"]._slm_commit_progress(done=done, remaining=0)
        workers = self._clock_job_workers()[:1]
        if blocked and workers:
            workers._trigger(fields.Datetime.now() + timedelta(seconds=30))

    def _notify_clock_alerts(self, breached, at_risk, pause_budget=None):
        """Tell the agreement's followers about new breaches and warnings.

        One message per kind and scan; followers choose what they receive by
        the subtypes they follow (breaches by default, warnings on request).
        ``pause_budget``: the clocks whose pause budget ran out, in one message
        to the Service Level Manager as well (pause budget rule 3).
        """
        self.ensure_one()
        if pause_budget:
            items = Markup("").join(
                Markup("<li>%s: %s</li>")
                % (clock.ticket_id._get_html_link(), clock.target_id.display_name)
                for clock in pause_budget
            )
            manager = self.sudo().provider_user_id.partner_id
            self.sudo().message_post(
                body=Markup("<p>%s</p><ul>%s</ul>")
                % (
                    self.env._(
                        "Pause budget used up on %(count)s ticket(s): their "
                        "clocks count again in the pausing stages.",
                        count=len(pause_budget.ticket_id),
                    ),
                    items,
                ),
                subtype_xmlid="slm_agreements.mt_slm_agreement_warning",
                message_type="notification",
                partner_ids=manager.ids,
            )
        for clocks, subtype, text in (
            (
                breached,
                "slm_agreements.mt_slm_agreement_breach",
                self.env._("Service level breaches on %(count)s ticket(s):"),
            ),
            (
                at_risk,
                "slm_agreements.mt_slm_agreement_warning",
                self.env._("Service levels at risk on %(count)s ticket(s):"),
            ),
        ):
            if not clocks:
                continue
            items = Markup("").join(
                Markup("<li>%s: %s</li>")
                % (clock.ticket_id._get_html_link(), clock.target_id.display_name)
                for clock in clocks
            )
            self.sudo().message_post(
                body=Markup("<p>%s</p><ul>%s</ul>")
                % (text % {"count": len(clocks.ticket_id)}, items),
                subtype_xmlid=subtype,
                message_type="notification",
            )

    def _check_targets_editable(self):
        """Targets change only while the agreement is being prepared (the
        lifecycle actions move them, as superuser, when revising)."""
        if self.env.su:
            return
        locked = self.filtered(lambda a: a.state not in EDITABLE_STATES)
        if locked:
            raise UserError(locked._locked_error())
