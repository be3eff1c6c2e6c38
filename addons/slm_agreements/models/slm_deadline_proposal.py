# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_datetime

# Negotiated deadline rules (slm_agreements' USAGE.md).
OPEN_STATES = ("draft", "proposed")
DECIDED_STATES = ("approved", "refused", "expired")
# Set by the buttons only (rule 3 and guard rule 1): they record who did what
# and when, as superuser after checking the user's rights.
WORKFLOW_FIELDS = {"state", "proposer_id", "decided_by_id", "decided_on"}
# What the proposal is about: fixed once it is created.
SUBJECT_FIELDS = {"clock_id", "ticket_id", "target_id", "agreement_id", "company_id"}
# Clocks whose deadline may be negotiated (rule 1): UC deadlines are the
# supplier's contract.
NEGOTIABLE_KINDS = ("sla", "ola")


class SlmDeadlineProposal(models.Model):
    """A new deadline proposed for one clock (one target, ticket and cycle).

    Approved by a Service Level Manager (or accepted by the customer on the
    portal when the agreement allows it), the clock is measured against it
    (``slm.clock._compute_values``); refused or expired, nothing changes.
    """

    _name = "slm.deadline.proposal"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Negotiated Deadline Proposal"
    _order = "create_date desc, id desc"

    name = fields.Char(compute="_compute_name")
    clock_id = fields.Many2one(
        "slm.clock",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
        help="The clock (one target, ticket and cycle) whose deadline changes.",
    )
    ticket_id = fields.Many2one(
        "helpdesk.ticket",
        related="clock_id.ticket_id",
        store=True,
        index=True,
        readonly=True,
    )
    target_id = fields.Many2one(
        "slm.target", related="clock_id.target_id", store=True, readonly=True
    )
    agreement_id = fields.Many2one(
        "slm.agreement", related="clock_id.agreement_id", store=True, readonly=True
    )
    partner_id = fields.Many2one(
        "res.partner", related="clock_id.partner_id", string="Customer"
    )
    company_id = fields.Many2one(
        "res.company",
        related="clock_id.company_id",
        store=True,
        index=True,
        readonly=True,
    )
    clock_deadline = fields.Datetime(
        related="clock_id.deadline", string="Current Deadline"
    )
    original_deadline = fields.Datetime(
        readonly=True,
        help="The clock's deadline when the proposal was made (kept for "
        "history; the clock also keeps its original deadline).",
    )
    proposed_deadline = fields.Datetime(
        required=True,
        tracking=True,
        help="The new deadline: the clock is met if it stops by then, "
        "breached after (a fixed instant; pauses do not move it).",
    )
    reason = fields.Text(
        required=True, tracking=True, help="Why the deadline should change."
    )
    proposer_id = fields.Many2one(
        "res.users",
        string="Proposed by",
        readonly=True,
        default=lambda self: self.env.user,
        index=True,
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("proposed", "Proposed"),
            ("approved", "Approved"),
            ("refused", "Refused"),
            ("expired", "Expired"),
        ],
        default="draft",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
    )
    decided_by_id = fields.Many2one(
        "res.users",
        string="Decided by",
        readonly=True,
        help="Who approved or refused (a Service Level Manager, or the "
        "customer's portal user when the agreement lets the customer accept).",
    )
    decided_on = fields.Datetime(readonly=True)
    customer_can_accept = fields.Boolean(
        compute="_compute_customer_can_accept",
        help="The agreement lets the customer accept or decline on the portal.",
    )

    @api.depends("ticket_id", "target_id")
    def _compute_name(self):
        for proposal in self:
            proposal.name = self.env._(
                "%(ticket)s: %(target)s",
                ticket=proposal.ticket_id.sudo().display_name or "",
                target=proposal.target_id.sudo().display_name or "",
            )

    @api.depends("agreement_id")
    def _compute_customer_can_accept(self):
        for proposal in self:
            agreement = proposal.agreement_id.sudo()
            proposal.customer_can_accept = bool(
                agreement.kind == "sla" and agreement.customer_accepts_deadlines
            )

    # ------------------------------------------------------------------
    # Guards (rules 2 and 3, guard rule 1)
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                if vals.get("state", "draft") != "draft" or any(
                    vals.get(name) for name in WORKFLOW_FIELDS - {"state"}
                ):
                    raise UserError(
                        self.env._(
                            "A deadline proposal starts as a draft made by you: "
                            "it is proposed, approved or refused with its "
                            "buttons."
                        )
                    )
        vals_list = [dict(vals, proposer_id=self.env.uid) for vals in vals_list]
        for vals in vals_list:
            clock = self.env["slm.clock"].browse(vals.get("clock_id"))
            if clock:
                clock.check_access("read")
                vals["original_deadline"] = clock.sudo().deadline
        proposals = super().create(vals_list)
        proposals._check_proposal()
        return proposals

    def write(self, vals):
        if not self.env.su:
            self.check_access("write")
            if WORKFLOW_FIELDS.intersection(vals):
                raise UserError(
                    self.env._(
                        "The status of a deadline proposal changes only through "
                        "its buttons (Propose, Approve, Refuse), which record who "
                        "decided and when."
                    )
                )
            if SUBJECT_FIELDS.union({"original_deadline"}).intersection(vals):
                raise UserError(
                    self.env._(
                        "A deadline proposal stays on its clock: make a new "
                        "proposal for another clock."
                    )
                )
            decided = self.filtered(lambda p: p.state in DECIDED_STATES)
            if decided:
                raise UserError(
                    self.env._(
                        "%(names)s has been decided: it stays as it was, for the "
                        "history of the clock. Make a new proposal instead.",
                        names=", ".join(decided.mapped("name")),
                    )
                )
            others = self.filtered(lambda p: p.proposer_id != self.env.user)
            if others and not self.env.user.has_group(
                "slm_catalogue.group_slm_manager"
            ):
                raise AccessError(
                    self.env._(
                        "Only who proposed %(names)s or a Service Level Manager "
                        "can change it.",
                        names=", ".join(others.mapped("name")),
                    )
                )
        res = super().write(vals)
        if {"proposed_deadline", "clock_id"}.intersection(vals):
            self.filtered(lambda p: p.state in OPEN_STATES)._check_proposal()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_proposed(self):
        kept = self.filtered(lambda p: p.state != "draft")
        if kept:
            raise UserError(
                self.env._(
                    "%(names)s has been proposed: it stays in the history of the "
                    "clock. Only drafts are deleted.",
                    names=", ".join(kept.mapped("name")),
                )
            )

    def _check_proposal(self, now=None):
        """Bad input (rule 2): a clear error, nothing written."""
        now = now or fields.Datetime.now()
        for proposal in self:
            clock = proposal.clock_id.sudo()
            if clock.agreement_kind not in NEGOTIABLE_KINDS:
                raise ValidationError(
                    self.env._(
                        "The deadline of %(clock)s is that of an underpinning "
                        "contract: it cannot be negotiated here.",
                        clock=clock.display_name,
                    )
                )
            if clock.stop or clock.status not in ("running", "paused", "breached"):
                raise ValidationError(
                    self.env._(
                        "The clock %(clock)s has stopped (%(status)s): its "
                        "deadline can no longer be negotiated.",
                        clock=clock.display_name,
                        status=dict(
                            clock._fields["status"]._description_selection(self.env)
                        ).get(clock.status),
                    )
                )
            if proposal.proposed_deadline <= now:
                raise ValidationError(
                    self.env._(
                        "The proposed deadline %(deadline)s has already passed: "
                        "propose a deadline in the future.",
                        deadline=clock._format_moment(proposal.proposed_deadline),
                    )
                )
            if proposal.proposed_deadline <= clock.start:
                raise ValidationError(
                    self.env._(
                        "The proposed deadline is before the clock's start "
                        "(%(start)s).",
                        start=clock._format_moment(clock.start),
                    )
                )
            open_ones = self.sudo().search_count(
                [
                    ("clock_id", "=", clock.id),
                    ("state", "in", OPEN_STATES),
                    ("id", "!=", proposal.id),
                ]
            )
            if open_ones:
                raise ValidationError(
                    self.env._(
                        "%(clock)s already has a deadline proposal waiting for "
                        "a decision: decide it (or delete its draft) first.",
                        clock=clock.display_name,
                    )
                )

    def _system_write(self, vals):
        """Workflow fields, for a button: the caller's right to read these
        proposals is checked, then the write runs as superuser (guard rule 1)."""
        self.check_access("read")
        return self.sudo().write(vals)

    # ------------------------------------------------------------------
    # Actions (rules 3 to 5)
    # ------------------------------------------------------------------

    def action_propose(self):
        """Draft to proposed: an activity for the Service Level Manager(s)."""
        self._check_states(("draft",))
        others = self.filtered(lambda p: p.proposer_id != self.env.user)
        if others and not self.env.user.has_group("slm_catalogue.group_slm_manager"):
            raise AccessError(
                self.env._("Only who drafted a deadline proposal can propose it.")
            )
        stale = self._expire_stale()
        if stale:
            return self._expired_notification(stale)
        self._check_proposal()
        self._system_write({"state": "proposed"})
        self._schedule_decision()
        return True

    def action_approve(self):
        """Approve (a Service Level Manager, never the proposer): the clock is
        measured against the proposed deadline from now on (rule 4)."""
        if not self.env.user.has_group("slm_catalogue.group_slm_manager"):
            raise AccessError(
                self.env._("Only a Service Level Manager can approve a new deadline.")
            )
        stale = self._decide("approved")
        return self._expired_notification(stale) if stale else True

    def action_refuse(self):
        if not self.env.user.has_group("slm_catalogue.group_slm_manager"):
            raise AccessError(
                self.env._("Only a Service Level Manager can refuse a new deadline.")
            )
        stale = self._decide("refused")
        return self._expired_notification(stale) if stale else True

    def _decide(self, state, by_customer=False):
        """Record the decision (who, when) and, approved, recompute the clock."""
        self._check_states(("proposed",))
        if state == "approved" and not self.env.su:
            own = self.filtered(lambda p: p.proposer_id == self.env.user)
            if own:
                raise UserError(
                    self.env._(
                        "You proposed %(names)s yourself: another person decides "
                        "it (a Service Level Manager, or the customer where the "
                        "agreement allows it).",
                        names=", ".join(own.mapped("name")),
                    )
                )
        stale = self._expire_stale()
        if stale:
            # Kept expired (no error: raising would undo the expiry).
            return stale
        self._system_write(
            {
                "state": state,
                "decided_by_id": self.env.uid,
                "decided_on": fields.Datetime.now(),
            }
        )
        self.sudo().activity_unlink(["mail.mail_activity_data_todo"])
        for proposal in self:
            proposal.sudo().message_post(
                body=self._decision_message(proposal, state, by_customer),
                subtype_xmlid="mail.mt_note",
            )
        if state == "approved":
            self._apply_to_clocks()
        return self.browse()

    def _apply_to_clocks(self):
        """Approved (rule 4): the clocks are recomputed against the new
        deadlines, and the values this supersedes are kept as revisions, as a
        person's recomputation keeps them (rule 9), by the suite (superuser:
        the customer accepting on the portal included)."""
        Clock = self.env["slm.clock"]
        before = Clock._slm_revision_snapshot([("id", "in", self.clock_id.ids)])
        self.clock_id._slm_apply_negotiated_deadline()
        # One open proposal per clock (rule 2): each clock has one here.
        proposal_of = {proposal.clock_id.id: proposal.id for proposal in self}
        revisions = Clock._slm_revision_values(
            before, date=fields.Datetime.now(), user_id=self.env.user.id
        )
        for vals in revisions:
            vals["proposal_id"] = proposal_of[vals["clock_id"]]
        self.env["slm.clock.revision"].sudo().create(revisions)

    def _expired_notification(self, stale):
        """What the user sees when the proposal expired instead (rule 6)."""
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning",
                "sticky": True,
                "message": self.env._(
                    "%(names)s expired (its proposed deadline passed, or its "
                    "clock stopped, before a decision): nothing changed.",
                    names=", ".join(stale.mapped("name")),
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _decision_message(self, proposal, state, by_customer):
        _ = self.env._
        deadline = proposal.clock_id._format_moment(proposal.proposed_deadline)
        if state == "approved":
            if by_customer:
                return _(
                    "New deadline %(deadline)s accepted by the customer "
                    "(%(user)s): the clock is measured against it.",
                    deadline=deadline,
                    user=self.env.user.name,
                )
            return _(
                "New deadline %(deadline)s approved by %(user)s: the clock is "
                "measured against it.",
                deadline=deadline,
                user=self.env.user.name,
            )
        if by_customer:
            return _(
                "New deadline %(deadline)s declined by the customer (%(user)s): "
                "nothing changes.",
                deadline=deadline,
                user=self.env.user.name,
            )
        return _(
            "New deadline %(deadline)s refused by %(user)s: nothing changes.",
            deadline=deadline,
            user=self.env.user.name,
        )

    def _check_states(self, allowed):
        states = dict(self._fields["state"]._description_selection(self.env))
        wrong = self.filtered(lambda p: p.state not in allowed)
        if wrong:
            raise UserError(
                self.env._(
                    "%(names)s is %(state)s: nothing to do.",
                    names=", ".join(wrong.mapped("name")),
                    state=states[wrong[0].state].lower(),
                )
            )

    def _schedule_decision(self):
        """A to-do for the agreement's Service Level Manager, else for every
        Service Level Manager of the company (rule 3), never the proposer."""
        group = self.env.ref("slm_catalogue.group_slm_manager")
        for proposal in self.sudo():
            approver = proposal.agreement_id.provider_user_id
            users = (
                approver
                if approver and group in approver.groups_id
                else group.users.filtered(
                    lambda u, p=proposal: p.company_id in u.company_ids
                )
            )
            for user in users - proposal.proposer_id:
                proposal.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=user.id,
                    summary=self.env._("Approve or refuse this new deadline"),
                    note=proposal.reason,
                )

    # ------------------------------------------------------------------
    # Expiry (rule 6)
    # ------------------------------------------------------------------

    def _expire_stale(self, now=None):
        """Expire the open proposals among these whose proposed deadline has
        passed or whose clock stopped; returns them."""
        now = now or fields.Datetime.now()
        stale = self.sudo().filtered(
            lambda p: p.state in OPEN_STATES
            and (
                p.proposed_deadline <= now
                or p.clock_id.stop
                or p.clock_id.status not in ("running", "paused", "breached")
            )
        )
        if stale:
            stale.write({"state": "expired", "decided_on": now})
            stale.activity_unlink(["mail.mail_activity_data_todo"])
            for proposal in stale:
                proposal.message_post(
                    body=self.env._(
                        "Expired without a decision (its deadline passed or its "
                        "clock stopped): nothing changes."
                    ),
                    subtype_xmlid="mail.mt_note",
                )
        return stale

    @api.model
    def _cron_expire(self, batch_size=100):
        """Scheduled action: expire the open proposals that can no longer be
        decided (rule 6). Batched (``ir.cron._slm_run_batches``): an expired
        proposal drops out of the search, one that fails is logged and
        skipped. Returns how many expired."""
        now = fields.Datetime.now()
        candidates = self.sudo().search(
            [
                ("state", "in", OPEN_STATES),
                "|",
                "|",
                ("proposed_deadline", "<=", now),
                ("clock_id.stop", "!=", False),
                ("clock_id.status", "not in", ("running", "paused", "breached")),
            ]
        )
        expired = self.env["ir.cron"]._slm_run_batches(
            candidates, lambda batch: batch._expire_stale(now), batch_size=batch_size
        )
        return len(expired or [])

    # ------------------------------------------------------------------
    # Portal (rule 5)
    # ------------------------------------------------------------------

    @api.model
    def _slm_portal_proposals(self, ticket):
        """What the customer sees of the deadline proposals of ``ticket`` (a
        record the portal checked the access to): the proposals on SLA clocks
        of agreements that let the customer accept, open or approved, with
        their deadlines in the customer's time zone (customer timer rule 2)
        and whether this user may decide them."""
        user = self.env.user
        proposals = self.sudo().search(
            [
                ("ticket_id", "=", ticket.id),
                ("state", "in", ("proposed", "approved")),
                ("agreement_id.kind", "=", "sla"),
                ("agreement_id.customer_accepts_deadlines", "=", True),
            ],
            order="id",
        )
        may_decide = (
            user._is_portal()
            and ticket.sudo().commercial_partner_id
            == user.partner_id.commercial_partner_id
        )
        result = []
        for proposal in proposals:
            clock = proposal.clock_id
            tz = ticket._slm_customer_tz(
                clock.target_id.calendar_id.tz, clock.agreement_id.tz
            )

            def moment(value, tz=tz):
                if not value:
                    return "-"
                text = format_datetime(self.env, value, tz=tz, dt_format="short")
                return f"{text} ({tz})"

            result.append(
                {
                    "id": proposal.id,
                    "name": clock.target_id.name,
                    "state": proposal.state,
                    "original": moment(proposal.original_deadline),
                    "proposed": moment(proposal.proposed_deadline),
                    "reason": proposal.reason,
                    "can_decide": bool(may_decide and proposal.state == "proposed"),
                }
            )
        return result

    def _slm_portal_decide(self, accept):
        """The customer accepts or declines on the portal ticket.

        Called by the portal controller after it checked that the user may
        open the ticket; checked again here: a proposal on an SLA clock of an
        agreement that lets the customer accept, of a ticket of the user's
        own customer (commercial entity).
        """
        self.ensure_one()
        user = self.env.user
        proposal = self.sudo()
        ticket = proposal.ticket_id
        if (
            not user._is_portal()
            or not proposal.customer_can_accept
            or ticket.commercial_partner_id != user.partner_id.commercial_partner_id
        ):
            raise AccessError(
                self.env._("You cannot decide the deadlines of this ticket.")
            )
        # As superuser, for the portal user: the decision is recorded under
        # their name (``sudo`` keeps the user).
        stale = proposal._decide("approved" if accept else "refused", by_customer=True)
        return not stale
