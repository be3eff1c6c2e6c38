# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from collections import defaultdict
from datetime import timedelta

from odoo import SUPERUSER_ID, Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_datetime

from .slm_clock import format_business_duration

_logger = logging.getLogger(__name__)

# Changes that can change which targets apply to a ticket.
SCOPE_FIELDS = {
    "priority",
    "team_id",
    "category_id",
    "tag_ids",
    "partner_id",
    "service_id",
    "company_id",
}
# Worst first: the ticket shows the worst status of its clocks.
STATUS_ORDER = ["breached", "at_risk", "running", "paused", "met", "none"]


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    # Tracked from now on: OLA clocks follow the ticket's teams.
    team_id = fields.Many2one(tracking=True)
    slm_clock_ids = fields.One2many("slm.clock", "ticket_id", string="Clocks")
    slm_event_ids = fields.One2many(
        "slm.ticket.event", "ticket_id", string="Clock History"
    )
    slm_breach_count = fields.Integer(
        string="Breaches",
        compute="_compute_slm_breach_count",
        help="Targets missed on this ticket (breach records for gap analysis).",
    )
    slm_status = fields.Selection(
        [
            ("breached", "Breached"),
            ("at_risk", "At risk"),
            ("running", "On track"),
            ("paused", "Paused"),
            ("met", "Met"),
            ("none", "No target"),
        ],
        string="Service Level",
        compute="_compute_slm_status",
        store=True,
        index=True,
        help="The worst status among the ticket's clocks.",
    )
    slm_next_deadline = fields.Datetime(
        string="Next Deadline",
        compute="_compute_slm_status",
        store=True,
        help="The earliest deadline of the ticket's running clocks.",
    )

    slm_time_left = fields.Char(
        string="Time Left",
        compute="_compute_slm_time_left",
        help="The most urgent open clock: its business time left, or overdue "
        "(clock display rule 2).",
    )
    slm_time_left_hours = fields.Float(
        string="Business Time Left (h)",
        compute="_compute_slm_time_left",
        help="Business hours left on the most urgent open clock; negative when "
        "overdue.",
    )
    slm_time_left_state = fields.Selection(
        lambda self: self.env["slm.clock"]._fields["display_state"].selection,
        string="Deadline State",
        compute="_compute_slm_time_left",
        help="On track, at risk, breached or paused: the state of the most "
        "urgent open clock, for colours (clock display rule 1).",
    )

    slm_pause_reason_id = fields.Many2one(
        "slm.pause.reason",
        string="Pause Reason",
        compute="_compute_slm_pause_reason_id",
        inverse="_inverse_slm_pause_reason_id",
        help="Why the ticket waits: choose it with the move to a stage that "
        "pauses its clocks (it is recorded with the move, pause reason rule "
        "3); shown here while the ticket waits in that stage.",
    )

    @api.depends("slm_event_ids")
    def _compute_slm_pause_reason_id(self):
        """The reason recorded with the ticket's last move, while the ticket
        is still where that move put it (pause reason rule 4)."""
        reasons = {}
        ids = [ticket_id for ticket_id in self.ids if ticket_id]
        if ids:
            self.env["slm.ticket.event"].flush_model(
                ["ticket_id", "stage_id", "reason_id", "date"]
            )
            self.env.cr.execute(
                """
                SELECT DISTINCT ON (ticket_id) ticket_id, reason_id
                  FROM slm_ticket_event
                 WHERE ticket_id = ANY(%s) AND stage_id IS NOT NULL
              ORDER BY ticket_id, date DESC, id DESC
                """,
                [ids],
            )
            reasons = dict(self.env.cr.fetchall())
        Reason = self.env["slm.pause.reason"]
        for ticket in self:
            ticket.slm_pause_reason_id = Reason.browse(reasons.get(ticket.id) or ())

    def _inverse_slm_pause_reason_id(self):
        """Nothing to store: ``write`` and ``create`` record the reason with
        the move (pause reason rule 3)."""

    @api.depends(
        "slm_clock_ids.status",
        "slm_clock_ids.at_risk",
        "slm_clock_ids.deadline",
        "slm_clock_ids.used_seconds",
        "slm_clock_ids.stop",
    )
    def _compute_slm_time_left(self):
        """The most urgent open clock (running, paused, or breached and still
        open), read from the stored clocks at read time (clock display rule 4)."""
        clocks = self.sudo().slm_clock_ids.filtered(
            lambda c: c.status in ("running", "paused")
            or (c.status == "breached" and not c.stop)
        )
        metrics = dict(clocks._fields["metric"]._description_selection(self.env))
        by_ticket = defaultdict(list)
        for clock in clocks:
            by_ticket[clock.ticket_id.id].append(clock)
        for ticket in self:
            urgent = min(
                by_ticket.get(ticket.id, []),
                # Counting clocks first: a paused one does not come nearer.
                key=lambda c: (c.status == "paused", c.time_left_hours, c.id),
                default=None,
            )
            if urgent is None:
                ticket.slm_time_left = False
                ticket.slm_time_left_hours = 0.0
                ticket.slm_time_left_state = False
                continue
            ticket.slm_time_left = (
                f"{metrics.get(urgent.metric, '')}: {urgent.time_left_label}"
            )
            ticket.slm_time_left_hours = urgent.time_left_hours
            ticket.slm_time_left_state = urgent.display_state

    @api.depends(
        "slm_clock_ids.status", "slm_clock_ids.at_risk", "slm_clock_ids.deadline"
    )
    def _compute_slm_status(self):
        for ticket in self:
            statuses = set()
            deadlines = []
            for clock in ticket.slm_clock_ids:
                if clock.status == "cancelled":
                    continue
                statuses.add(
                    "at_risk"
                    if clock.at_risk and clock.status == "running"
                    else clock.status
                )
                if clock.status == "running" and clock.deadline:
                    deadlines.append(clock.deadline)
            ticket.slm_status = next(
                (status for status in STATUS_ORDER if status in statuses), "none"
            )
            ticket.slm_next_deadline = min(deadlines) if deadlines else False

    # ------------------------------------------------------------------
    # CRUD: record the history, keep the clocks current
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # Pause reason rule 3: a reason given at creation is recorded when the
        # ticket starts in a pausing stage; creation is never refused.
        given = []
        for index, vals in enumerate(vals_list):
            if "slm_pause_reason_id" in vals:
                vals_list[index] = vals = dict(vals)
                given.append(vals.pop("slm_pause_reason_id"))
            else:
                given.append(False)
        tickets = super().create(vals_list)
        reasons = {
            ticket.id: ticket._slm_soft_pause_reason(reason_id)
            for ticket, reason_id in zip(tickets, given, strict=True)
            if reason_id
        }
        # Nobody has a new ticket on screen yet: no bus notification for its
        # first clocks (clock display rule 5).
        self._slm_clocks_notified().update(tickets.ids)
        # Dated by the application clock, like every later event (create_date is
        # the transaction's start).
        now = fields.Datetime.now()
        self.env["slm.ticket.event"].sudo().create(
            [
                {
                    "ticket_id": ticket.id,
                    "date": now,
                    "event_type": "created",
                    "stage_id": ticket.stage_id.id,
                    "closed": ticket.stage_id.closed,
                    "closure": ticket._slm_closure_kind(ticket.stage_id),
                    "team_id": ticket.team_id.id,
                    "reason_id": reasons.get(ticket.id, False),
                }
                for ticket in tickets
            ]
        )
        tickets._slm_sync_clocks(new=True)
        return tickets

    def write(self, vals):
        reason = self.env["slm.pause.reason"]
        if "slm_pause_reason_id" in vals:
            vals = dict(vals)
            reason = reason.browse(vals.pop("slm_pause_reason_id") or ())
            if reason and "stage_id" not in vals and not self.env.su:
                raise UserError(
                    self.env._(
                        "A pause reason is recorded with the move to a stage that "
                        "pauses the ticket's clocks: choose the stage too."
                    )
                )
        if "stage_id" in vals:
            reason = self._slm_move_pause_reason(vals["stage_id"], reason)
        if not ({"stage_id", "team_id"} | SCOPE_FIELDS).intersection(vals):
            return super().write(vals)
        # Tickets from before the suite: their history first, from what Odoo kept.
        self._slm_backfill_events()
        before = {t.id: (t.stage_id, t.team_id) for t in self}
        res = super().write(vals)
        now = fields.Datetime.now()
        events = []
        for ticket in self:
            stage, team = before[ticket.id]
            if ticket.stage_id != stage:
                events.append(
                    {
                        "ticket_id": ticket.id,
                        "date": now,
                        "event_type": "stage",
                        "stage_id": ticket.stage_id.id,
                        "closed": ticket.stage_id.closed,
                        "closure": ticket._slm_closure_kind(ticket.stage_id),
                        "reason_id": reason.id,
                    }
                )
            if ticket.team_id != team:
                events.append(
                    {
                        "ticket_id": ticket.id,
                        "date": now,
                        "event_type": "team",
                        "team_id": ticket.team_id.id,
                    }
                )
        self.env["slm.ticket.event"].sudo().create(events)
        self._slm_sync_clocks()
        return res

    # ------------------------------------------------------------------
    # Pause reasons (pause reason rules 3 and 4)
    # ------------------------------------------------------------------

    def _slm_move_pause_reason(self, stage_id, reason):
        """The reason to record with the move of these tickets to
        ``stage_id`` (an empty recordset: none), after checking it.

        A reason is recorded only with a move to a stage that pauses clocks.
        A person's move (not the superuser's: the system's moves, creation,
        the mail gateway, the customer's reply, automated and scheduled
        actions, run as superuser) is refused when a clock of the ticket
        still counting has a target requiring a reason in that stage, and
        when the reason given is not one the ticket may have. The system's
        moves are never refused: a missing or unusable reason records none.
        Without a stage that pauses or requires: no query (cached sets).
        """
        Reason = self.env["slm.pause.reason"]
        pausing, required = self.env["slm.target"]._slm_pause_stage_sets()
        stage = self.env["helpdesk.ticket.stage"].browse(stage_id or ())
        if stage.id not in pausing:
            return Reason
        if reason:
            for ticket in self:
                try:
                    reason._slm_check_for_ticket(ticket)
                except ValidationError:
                    if not self.env.su:
                        raise
                    _logger.warning(
                        "Service levels: pause reason %s not usable for ticket "
                        "%s, recorded without a reason",
                        reason.id,
                        ticket.id,
                    )
                    return Reason
            return reason
        if self.env.su or stage.id not in required:
            return Reason
        needing = self.filtered(
            lambda ticket: ticket.stage_id != stage
            and ticket._slm_pause_reason_required_in(stage)
        )
        if needing:
            raise UserError(
                self.env._(
                    "Moving %(tickets)s to %(stage)s pauses its service level "
                    "clocks: choose why in Pause Reason (waiting for the customer, "
                    "a third party...), then move it again.",
                    tickets=", ".join(needing.mapped("display_name")),
                    stage=stage.name,
                )
            )
        return Reason

    def _slm_pause_reason_required_in(self, stage):
        """A clock of this ticket still counting (clock rule 4) has a target
        that pauses in ``stage`` and requires a reason (pause reason rule 3)."""
        self.ensure_one()
        return any(
            clock.target_id.pause_reason_required
            and stage in clock.target_id.pause_stage_ids
            for clock in self.sudo().slm_clock_ids
            if not clock.stop and clock.status in ("running", "paused", "breached")
        )

    def _slm_soft_pause_reason(self, reason_id):
        """The id of the reason ``reason_id`` given at creation if the ticket
        starts in a pausing stage and may have it, else False (never
        refused)."""
        self.ensure_one()
        pausing, _required = self.env["slm.target"]._slm_pause_stage_sets()
        if self.stage_id.id not in pausing:
            return False
        reason = self.env["slm.pause.reason"].browse(reason_id)
        try:
            reason._slm_check_for_ticket(self)
        except ValidationError:
            return False
        return reason.id

    def _slm_portal_pause(self):
        """What the customer reads of the ticket's pause (pause reason rule
        5): the customer text of the reason recorded with its last move and
        since when, in the customer's time zone; None when the ticket is not
        waiting for a reason with such a text. For a ticket the user may
        read (checked here)."""
        self.ensure_one()
        self.check_access("read")
        ticket = self.sudo()
        if ticket.stage_id.closed:
            return None
        event = (
            self.env["slm.ticket.event"]
            .sudo()
            .search(
                [("ticket_id", "=", ticket.id), ("stage_id", "!=", False)],
                order="date desc, id desc",
                limit=1,
            )
        )
        reason = event.reason_id
        if not reason.customer_text or event.stage_id != ticket.stage_id:
            return None
        tz = ticket._slm_customer_tz(ticket.company_id.partner_id.tz)
        since = "{} ({})".format(
            format_datetime(self.env, event.date, tz=tz, dt_format="short"), tz
        )
        return {
            "text": self.env._(
                "%(text)s since %(since)s", text=reason.customer_text, since=since
            ),
            "waiting_customer": reason.waiting_customer,
        }

    def _slm_clocks_notified(self):
        """Ids of the tickets whose clock change this transaction announced
        (post-commit data: kept until the commit or rollback, through the
        savepoints that flush the pre-commit data)."""
        return self.env.cr.postcommit.data.setdefault("slm.clocks.notified", set())

    def _slm_notify_clocks_changed(self):
        """Tell the forms showing these tickets that their clocks changed
        (clock display rule 5): one bus notification per ticket and
        transaction, however many clocks changed, written with the other bus
        notifications when the transaction commits."""
        notified = self._slm_clocks_notified()
        Bus = self.env["bus.bus"].sudo()
        for ticket in self:
            if ticket.id not in notified:
                notified.add(ticket.id)
                Bus._sendone(
                    (ticket, "slm_clocks"),
                    "slm.clocks_changed",
                    {"ticket_id": ticket.id},
                )

    def _slm_closure_kind(self, stage):
        """How a move to ``stage`` closes this ticket (channel rule 7), or False.

        A stage marked *not a resolution* (cancelled, rejected, duplicate,
        spam) never resolves; a closure by the customer (a portal user of the
        ticket's customer, or the ticket's own requester) is recorded as such;
        any other closure resolves.
        """
        self.ensure_one()
        if not stage.closed:
            return False
        if stage.slm_not_resolution:
            return "not_resolution"
        user = self.env.user
        if self.partner_id and (
            user.partner_id == self.partner_id
            or (user.share and user.commercial_partner_id == self.commercial_partner_id)
        ):
            return "customer"
        return "resolved"

    def _message_post_after_hook(self, message, msg_values):
        res = super()._message_post_after_hook(message, msg_values)
        if message.message_type not in ("comment", "email", "email_outgoing"):
            # Neither a response nor a customer's message (channel rules 1
            # and 6): a notification, such as the ticket's creation.
            return res
        # A setting must never stop the helpdesk: the message is posted whatever
        # happens to the clocks.
        try:
            with self.env.cr.savepoint():
                self._slm_on_message(message)
        except Exception:  # pylint: disable=broad-except
            _logger.exception(
                "Service levels: message %s on tickets %s not taken into account",
                message.id,
                self.ids,
            )
        return res

    def _slm_on_message(self, message):
        """Record a response (channel rule 1), act on a customer's reply
        (channel rule 6)."""
        auto = self._slm_is_auto_reply(message)
        responded = self.browse()
        for ticket in self:
            if not auto and ticket._slm_message_responder(message):
                responded |= ticket
        if responded:
            responded._slm_record_replies(message)
        if not auto:
            customers = (self - responded).filtered(
                lambda t: t._slm_is_customer_message(message)
            )
            if customers:
                # One instant for the move and the message (channel rule 11).
                now = fields.Datetime.now()
                customers._slm_customer_replied(message, now)
                # After a reopening, so that the message finds the ticket open.
                customers._slm_record_customer_messages(message, now)

    def _slm_record_replies(self, message=None):
        """A reply event per ticket: ``reply`` for the first while with its
        current team (channel rule 2: what OLA response clocks need; the SLA
        takes the first of all), ``public_reply`` for the later ones (next
        reply, clock rule 17). Only the clocks a reply can change are
        recomputed: those of the first replies, and of the tickets whose
        next-reply or periodic-update cycle runs (clock rules 17 and 18)."""
        # One read of the history: whether it exists (else it is rebuilt
        # first) and the replies it has.
        history = self.env["slm.clock"]._load_history(self)
        if self._slm_backfill_events(history):
            history = self.env["slm.clock"]._load_history(self)
        Event = self.env["slm.ticket.event"].sudo()
        existing = {
            (ticket_id, event["team_id"])
            for ticket_id, events in history.items()
            for event in events
            if event["type"] == "reply"
        }
        first = self.filtered(lambda t: (t.id, t.team_id.id) not in existing)
        # When the message reached the ticket, not the Date header of an
        # e-mail (set by the sender's machine: channel rule 4).
        now = fields.Datetime.now()
        Event.create(
            [
                {
                    "ticket_id": ticket.id,
                    "date": now,
                    "event_type": "reply" if ticket in first else "public_reply",
                    "team_id": ticket.team_id.id,
                    "message_id": message.id if message else False,
                }
                for ticket in self
            ]
        )
        waiting = (self - first) and self.env["slm.clock"].sudo().search(
            [
                ("ticket_id", "in", (self - first).ids),
                ("metric", "in", ("next_reply", "periodic_update")),
                ("status", "in", ("running", "paused", "breached")),
                ("stop", "=", False),
            ]
        ).ticket_id.with_env(self.env)
        (first | (waiting or self.browse()))._slm_sync_clocks()

    def _slm_record_customer_messages(self, message=None, now=None):
        """A ``customer_message`` event per ticket (clock rule 17). Clocks are
        recomputed only where a next-reply cycle may start: a next-reply
        target exists, the ticket is open and was answered already."""
        self._slm_backfill_events()
        Event = self.env["slm.ticket.event"].sudo()
        now = now or fields.Datetime.now()
        Event.create(
            [
                {
                    "ticket_id": ticket.id,
                    "date": now,
                    "event_type": "customer_message",
                    "team_id": ticket.team_id.id,
                    "message_id": message.id if message else False,
                }
                for ticket in self
            ]
        )
        if (
            not self.env["slm.target"]
            .sudo()
            .search_count(
                [
                    ("metric", "=", "next_reply"),
                    ("company_id", "in", self.company_id.ids),
                ],
                limit=1,
            )
        ):
            return
        answered = Event.search(
            [
                ("ticket_id", "in", self.filtered(lambda t: not t.stage_id.closed).ids),
                ("event_type", "=", "reply"),
            ]
        ).ticket_id
        answered.with_env(self.env)._slm_sync_clocks()

    @api.model
    def _slm_provider_users(self, users):
        """The users that may act for the provider: active internal users,
        never OdooBot (whatever ``active_test`` says: channel rule 1)."""
        # OdooBot is the superuser (base.user_root): no lookup, the breach
        # scan calls this per alerted clock (issue 14 item 4).
        return users.sudo().filtered(
            lambda user: user.active and not user.share and user.id != SUPERUSER_ID
        )

    @api.model
    def _slm_is_auto_reply(self, message):
        """An automatic e-mail (out-of-office, auto-responder): flagged by the
        mail gateway from its headers (``mail.thread._message_route_process``)."""
        return bool(
            message.message_type == "email" and self.env.context.get("slm_auto_reply")
        )

    def _slm_message_responder(self, message, poster=None):
        """The user whose ``message`` on this ticket is a response (channel rule 1),
        or an empty recordset.

        A public message (not a note) to the customer, posted in the chatter,
        received by e-mail or sent from the composer, by an active internal
        user who is not the ticket's requester. For a message sent from the
        composer (a template reply) the sending user counts, whatever the
        From address; ``poster`` gives it when rebuilding history.
        """
        self.ensure_one()
        Users = self.env["res.users"]
        if message.message_type not in ("comment", "email", "email_outgoing"):
            return Users
        if poster is None and "__action_done" in self.env.context:
            # Posted by an automated action (base_automation), not by a person.
            return Users
        if not message.subtype_id._slm_is_public():
            return Users
        user = self.env.user
        if message.author_id == user.partner_id and self._slm_provider_users(user):
            # The usual case, an agent replying: the user is in the ORM cache
            # already, the other users of the author need not be read (the
            # requester check below is the same for all of them).
            users = user
        else:
            authors = message.author_id.with_context(active_test=False).user_ids
            users = self._slm_provider_users(authors)
        if poster is None and self.env.context.get("slm_composer_send"):
            # The composer of the real user sending (never granted by the
            # context alone: the user must be an active internal user).
            poster = self.env.user
        if poster and message.message_type == "comment":
            users |= self._slm_provider_users(poster)
        requester = self.partner_id
        return users.filtered(lambda user: user.partner_id != requester)

    def _slm_is_customer_message(self, message):
        """A public message written by the customer: the ticket's contact or
        someone of its company who is not acting for the provider."""
        self.ensure_one()
        if message.message_type not in ("comment", "email"):
            return False
        if not message.subtype_id._slm_is_public():
            return False
        author = message.author_id
        if not author or not self.partner_id:
            return False
        if author == self.partner_id:
            return True
        return bool(
            author.commercial_partner_id == self.commercial_partner_id
            and not self._slm_provider_users(
                author.with_context(active_test=False).user_ids
            )
        )

    def _slm_customer_replied(self, message, now=None):
        """Channel rule 6: a customer's reply moves a ticket waiting for the customer
        to its team's reply stage; a customer e-mail on a recently closed ticket
        reopens it. Channel rule 11: a stage that pauses one of the ticket's
        clocks waits for the customer too. The message is accepted already: the
        move is the system's (sudo), and a move that fails leaves the message
        posted and a note for the managers (fail soft)."""
        now = now or fields.Datetime.now()
        for ticket in self.sudo():
            team = ticket.team_id
            stage = ticket.stage_id
            target = self.env["helpdesk.ticket.stage"]
            if stage.closed:
                days = team.slm_reopen_days
                closed_at = ticket.closed_date or ticket.last_stage_update
                if (
                    message.message_type == "email"
                    and days > 0
                    and closed_at
                    and closed_at >= now - timedelta(days=days)
                ):
                    target = team._slm_reopen_stage()
            elif team.slm_customer_reply_stage_id and (
                # The team's setting first: no query without it.
                stage.slm_waiting_customer or ticket._slm_stage_pauses_a_clock()
            ):
                target = team.slm_customer_reply_stage_id
            if target and target != stage and not target.closed:
                ticket._slm_move_on_reply(target, now)

    def _slm_stage_pauses_a_clock(self):
        """The ticket's stage pauses one of its clocks still counting
        (clock rule 4)."""
        self.ensure_one()
        return any(
            self.stage_id in clock.target_id.pause_stage_ids
            for clock in self.slm_clock_ids
            if not clock.stop and clock.status in ("running", "paused", "breached")
        )

    def _slm_move_on_reply(self, stage, now):
        """Move to ``stage`` on the customer's reply, noted in the chatter; a
        move refused (a constraint, an automated rule) is noted instead and
        logged, the message stays posted (fail soft). The stage change is
        dated at the message's instant ``now``: the pause ends there."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                self.write({"stage_id": stage.id})
                move = self.slm_event_ids.filtered(
                    lambda event: event.event_type == "stage"
                    and event.stage_id == stage
                ).sorted("id")[-1:]
                if move and move.date != now:
                    # The write dated it a moment later (clock rule 14: the
                    # clocks follow the history, recomputed from it).
                    move.sudo().date = now
                    self._slm_sync_clocks()
        except Exception as error:  # pylint: disable=broad-except
            _logger.warning(
                "Service levels: ticket %s not moved to stage %s on the "
                "customer's reply: %s",
                self.id,
                stage.id,
                error,
            )
            self._message_log(
                body=self.env._(
                    "Not moved to %(stage)s on the customer's reply: %(error)s",
                    stage=stage.name,
                    error=str(error).splitlines()[0] if str(error) else "",
                )
            )
            return
        self._message_log(
            body=self.env._(
                "Moved to %(stage)s: the customer replied.", stage=stage.name
            )
        )

    def _slm_customer_tz(self, *fallbacks):
        """The zone in which the portal shows this ticket's times to its
        customer (customer timer rule 2): the contact's, else the customer
        company's, else the first of ``fallbacks`` that is set, else UTC."""
        self.ensure_one()
        zones = (self.partner_id.tz, self.commercial_partner_id.tz, *fallbacks)
        return next((tz for tz in zones if tz), "UTC")

    # ------------------------------------------------------------------
    # Clocks
    # ------------------------------------------------------------------

    def _slm_sync_clocks(self, force=False, new=False):
        """Create, recompute and cancel the clocks of these tickets.

        A target that newly applies gets a clock computed from the ticket's
        history as if it had run from its start event; a clock whose target no
        longer applies is cancelled (kept) unless already settled; a cancelled
        clock whose target applies again is brought back. ``new``: tickets
        just created, that have no clock yet.
        """
        if not self:
            return
        Clock = self.env["slm.clock"].sudo()
        # The batch's history, read once (on first use) for deciding which
        # targets apply and for computing the clocks.
        history = defaultdict(list)
        applicable = self._slm_applicable_targets(history)
        existing = (
            Clock
            if new
            else Clock.search_fetch(
                [("ticket_id", "in", self.ids)], Clock._prefetch_field_names()
            )
        )
        by_pair = defaultdict(lambda: Clock)  # every cycle (clock rule 12)
        for clock in existing:
            by_pair[(clock.ticket_id.id, clock.target_id.id)] |= clock
        by_ticket = defaultdict(list)
        for clock in existing:
            by_ticket[clock.ticket_id.id].append(clock)
        new_pairs = []
        to_recompute = Clock
        to_cancel = Clock
        for ticket in self:
            wanted = applicable.get(ticket.id, self.env["slm.target"])
            for target in wanted:
                clock = by_pair.get((ticket.id, target.id))
                if clock:
                    to_recompute |= clock
                else:
                    new_pairs.append((ticket, target))
            for clock in by_ticket[ticket.id]:
                if clock.target_id not in wanted and clock.status in (
                    "running",
                    "paused",
                    "error",
                ):
                    to_cancel |= clock
        to_cancel.write(
            {"status": "cancelled", "at_risk": False, "next_alert_at": False}
        )
        reactivated = to_recompute.filtered(lambda c: c.status == "cancelled")
        reactivated.write({"status": "running"})
        to_recompute._recompute(force=force, history=history)
        if new_pairs:
            # No clock yet, so no negotiated deadline (negotiated deadline
            # rule 4): nothing to read.
            values = Clock._compute_values(new_pairs, history=history, negotiated={})
            # No start event in the history yet (e.g. an OLA whose team never
            # had the ticket): nothing to measure, no clock (clock rule 2).
            kept = [
                (pair, vals)
                for pair, vals in zip(new_pairs, values, strict=True)
                if vals.get("start")
            ]
            vals_list = []
            for (ticket, target), pair_vals in kept:
                # One clock per cycle (clock rule 12).
                vals_list += [
                    Clock._new_clock_values(ticket, target, cycle, vals)
                    for cycle, vals in enumerate(Clock._split_cycles(pair_vals))
                ]
            Clock.create(vals_list)._slm_notify_errors()
        if to_recompute:
            # (The clocks created here have the copies already.)
            for ticket in self:
                copies = ticket._slm_clock_copies()
                Clock.concat(*by_ticket[ticket.id]).filtered(
                    lambda c, v=copies: any(c[k].id != v[k] for k in v)
                ).write(copies)

    def _slm_clock_copies(self):
        return {
            "partner_id": self.commercial_partner_id.id,
            "service_id": self.service_id.id,
            "team_id": self.team_id.id,
            "company_id": self.company_id.id,
        }

    def _slm_applicable_targets(self, history=None):
        """{ticket id: slm.target recordset} that apply (clock rule 1).

        Agreements in force when the ticket was created (agreed, or expired or
        superseded since), covering its customer and service; per kind (per
        team for OLAs) the most specific agreement wins; then each effective
        target's own scope (priorities, categories, tags) must match.
        The agreements come from the registry's ticket index (no query, however
        many agreements); one query for the batch's history (none when
        ``history``, a ``defaultdict(list)`` shared with the clocks'
        computation, holds it already: see ``_slm_history_facts``).
        """
        Agreement = self.env["slm.agreement"]
        # Superuser's targets: helpdesk agents do not read agreements; the
        # clocks run anyway.
        Target = self.env["slm.target"].sudo()
        index = {
            company.id: Agreement._slm_ticket_index_by_customer(company.id)
            for company in self.company_id
        }
        if not any(index.values()):
            # Nothing can apply (no agreement in force): no history to read.
            return {ticket.id: Target for ticket in self}
        created_at, team_history = self._slm_history_facts(history)
        result = {}
        for ticket in self:
            created = (
                created_at.get(ticket.id) or ticket.create_date or fields.Datetime.now()
            ).date()
            winners = {}
            by_customer = index.get(ticket.company_id.id, {})
            candidates = by_customer.get(False, ())
            if ticket.commercial_partner_id:
                # In the index's order, as the agreements were searched.
                candidates = sorted(
                    candidates + by_customer.get(ticket.commercial_partner_id.id, ()),
                    key=lambda pair: pair[0],
                )
            for _position, facts in candidates:
                if not ticket._slm_covered_by_facts(facts, created, team_history):
                    continue
                slot = (
                    facts["kind"],
                    facts["team_id"] if facts["kind"] == "ola" else 0,
                )
                if slot not in winners or Agreement._slm_facts_specificity(
                    facts
                ) > Agreement._slm_facts_specificity(winners[slot]):
                    winners[slot] = facts
            result[ticket.id] = Target.browse(
                [
                    scope["id"]
                    for facts in winners.values()
                    for scope in facts["targets"]
                    if ticket._slm_in_scope(scope)
                ]
            )
        return result

    def _slm_covered_by(self, agreement, created, team_history):
        self.ensure_one()
        return self._slm_covered_by_facts(
            agreement._slm_coverage_facts(), created, team_history
        )

    def _slm_covered_by_facts(self, facts, created, team_history):
        """``_slm_covered_by`` from an agreement's ``_slm_coverage_facts``."""
        self.ensure_one()
        if not self.env["slm.agreement"]._slm_facts_cover_ticket(facts, self, created):
            return False
        if facts["kind"] == "ola":
            return facts["team_id"] in team_history[self.id]
        return True

    @api.model
    def _slm_specificity(self, agreement):
        """Service-level over customer-level over corporate (clock rule 1)."""
        return self.env["slm.agreement"]._slm_facts_specificity(
            agreement._slm_coverage_facts()
        )

    def _slm_in_target_scope(self, target):
        return self._slm_in_scope(target._slm_scope_facts())

    def _slm_in_scope(self, scope):
        """The ticket matches a target's ``_slm_scope_facts`` (clock rule 1)."""
        ticket = self
        if scope["priorities"] and ticket.priority not in scope["priorities"]:
            return False
        if scope["category_ids"]:
            path = {
                int(cid)
                for cid in (ticket.category_id.parent_path or "").split("/")
                if cid
            }
            if not path & scope["category_ids"]:
                return False
        if scope["tag_ids"]:
            # An archived tag a ticket has still counts (clock rule 20).
            tag_ids = ticket.with_context(active_test=False).tag_ids.ids
            if not scope["tag_ids"].intersection(tag_ids):
                return False
        return True

    def _slm_history_facts(self, history=None):
        """({ticket id: created at}, {ticket id: team ids it has been with}).

        From the batch's history (``slm.clock._load_history``, one query).
        ``history``: an empty ``defaultdict(list)`` is filled with it, so
        that the clocks' computation that follows reads it no more.
        """
        if not history:
            loaded = self.env["slm.clock"]._load_history(self)
            if history is None:
                history = loaded
            else:
                history.update(loaded)
        created_at = {}
        teams = defaultdict(set)
        for ticket in self:
            if ticket.team_id:
                teams[ticket.id].add(ticket.team_id.id)
            for event in history.get(ticket.id, ()):
                if event["type"] not in ("created", "team"):
                    continue
                if event["type"] == "created":
                    created_at[ticket.id] = event["date"]
                if event["team_id"]:
                    teams[ticket.id].add(event["team_id"])
        return created_at, teams

    def _slm_backfill_events(self, history=None):
        """Rebuild the clock history of tickets that predate the suite.

        From what Odoo kept: the creation date, the tracked stage changes (with
        their dates), and the first public reply by an internal user. Team
        changes were not tracked before the suite: such a ticket is taken as
        having been with its current team throughout. A few queries for the
        whole batch; tickets that already have a history are left alone.
        ``history``: the batch's (``slm.clock._load_history``), when read
        already. Returns whether any history was rebuilt.
        """
        tickets = self._slm_without_history(history)
        if not tickets:
            return False
        stage_changes = tickets._slm_history_stage_changes()
        first_reply = tickets._slm_history_first_replies()
        stages = self.env["helpdesk.ticket.stage"].browse(
            {
                stage
                for history in stage_changes.values()
                for _date, old, new in history
                for stage in (old, new)
                if stage
            }
            | set(tickets.stage_id.ids)
        )
        flags = {
            stage.id: {
                "closed": stage.closed,
                "closure": stage.closed
                and ("not_resolution" if stage.slm_not_resolution else "resolved"),
            }
            for stage in stages
        }
        events = []
        for ticket in tickets:
            events += ticket._slm_backfilled_events(
                stage_changes[ticket.id], first_reply.get(ticket.id), flags
            )
        self.env["slm.ticket.event"].sudo().create(events)
        return True

    def _slm_without_history(self, history=None):
        """These tickets that have no clock history yet (no ``created``
        event; from ``history`` when given)."""
        if not self.ids:
            return self.browse()
        self.flush_recordset(["stage_id", "team_id"])
        if history is not None:
            return self.filtered(
                lambda t: not any(e["type"] == "created" for e in history.get(t.id, ()))
            )
        self.env["slm.ticket.event"].flush_model()
        self.env.cr.execute(
            "SELECT DISTINCT ticket_id FROM slm_ticket_event "
            "WHERE ticket_id = ANY(%s) AND event_type = 'created'",
            [list(self.ids)],
        )
        done = {row[0] for row in self.env.cr.fetchall()}
        return self.filtered(lambda t: t.id not in done)

    def _slm_history_stage_changes(self):
        """{ticket id: [(date, old stage id, new stage id)]}: the stage changes
        Odoo tracked, in order."""
        self.env.cr.execute(
            """
            SELECT msg.res_id, msg.date, val.old_value_integer, val.new_value_integer
              FROM mail_tracking_value val
              JOIN mail_message msg ON msg.id = val.mail_message_id
              JOIN ir_model_fields fld ON fld.id = val.field_id
             WHERE msg.model = 'helpdesk.ticket' AND msg.res_id = ANY(%s)
               AND fld.model = 'helpdesk.ticket' AND fld.name = 'stage_id'
          ORDER BY msg.res_id, msg.date, msg.id
            """,
            [list(self.ids)],
        )
        stage_changes = defaultdict(list)
        for ticket_id, date, old_stage, new_stage in self.env.cr.fetchall():
            stage_changes[ticket_id].append((date, old_stage, new_stage))
        return stage_changes

    def _slm_backfilled_events(self, history, first_reply, flags):
        """The history of one ticket: created (in the stage before its first
        tracked change), its stage changes, its first reply (the
        ``mail.message`` found, or None; the event links it, channel rule 3).
        ``flags``: {stage id: {"closed", "closure"}}."""
        self.ensure_one()
        none = {"closed": False, "closure": False}
        first_stage = history[0][1] if history else self.stage_id.id
        events = [
            {
                "ticket_id": self.id,
                "date": self.create_date,
                "event_type": "created",
                "stage_id": first_stage,
                "team_id": self.team_id.id,
                **flags.get(first_stage, none),
            }
        ]
        events += [
            {
                "ticket_id": self.id,
                "date": date,
                "event_type": "stage",
                "stage_id": new_stage,
                **flags.get(new_stage, none),
            }
            for date, _old, new_stage in history
        ]
        if first_reply:
            events.append(
                {
                    "ticket_id": self.id,
                    # Never before the ticket's creation (same second).
                    "date": max(first_reply.date, self.create_date),
                    "event_type": "reply",
                    "team_id": self.team_id.id,
                    "message_id": first_reply.id,
                }
            )
        return events

    def _slm_history_first_replies(self):
        """{ticket id: its first response (``mail.message``, sudo)} from the
        messages Odoo kept, by the same rule as live messages (channel rule
        1): public messages by an active internal user (OdooBot and archived
        users excluded, whatever ``active_test``), not the requester's; a
        template reply (authored by an address without a user) counts for the
        user who sent it. One query for the batch; the messages are then read
        together.
        """
        self.env.cr.execute(
            """
            SELECT msg.id
              FROM mail_message msg
              JOIN mail_message_subtype sub ON sub.id = msg.subtype_id
             WHERE msg.model = 'helpdesk.ticket' AND msg.res_id = ANY(%s)
               AND msg.message_type IN ('comment', 'email', 'email_outgoing')
               AND sub.internal IS NOT TRUE
          ORDER BY msg.res_id, msg.date, msg.id
            """,
            [list(self.ids)],
        )
        messages = (
            self.env["mail.message"]
            .sudo()
            .browse([row[0] for row in self.env.cr.fetchall()])
        )
        tickets = {ticket.id: ticket for ticket in self}
        first = {}
        for message in messages:
            if message.res_id in first:
                continue
            ticket = tickets[message.res_id]
            poster = self.env["res.users"]
            if not message.author_id.with_context(active_test=False).user_ids:
                poster = message.create_uid
            if ticket._slm_message_responder(message, poster=poster):
                first[message.res_id] = message
        return first

    def _slm_import_history(self, events):
        """Replace the clock history of these tickets with ``events``, recompute.

        For tickets migrated from another helpdesk tool (and the demo data):
        each event is a dict with ``date``, ``event_type`` and, as its type
        needs, ``stage_id`` or ``team_id``.
        """
        Event = self.env["slm.ticket.event"].sudo()
        Event.search([("ticket_id", "in", self.ids)]).unlink()
        stages = self.env["helpdesk.ticket.stage"].browse(
            {event["stage_id"] for event in events if event.get("stage_id")}
        )
        closed = {stage.id: stage.closed for stage in stages}
        closure = {
            stage.id: stage.closed
            and ("not_resolution" if stage.slm_not_resolution else "resolved")
            for stage in stages
        }
        Event.create(
            [
                dict(
                    {"closure": closure.get(event.get("stage_id"), False)},
                    **event,
                    ticket_id=ticket.id,
                    closed=closed.get(event.get("stage_id"), False),
                )
                for ticket in self
                for event in events
            ]
        )
        # The ticket was created when its history says: none of its clocks
        # starts before it (clock rule 2).
        created = [
            fields.Datetime.to_datetime(event["date"])
            for event in events
            if event["event_type"] == "created"
        ]
        if created:
            self.flush_recordset()
            self.env.cr.execute(
                "UPDATE helpdesk_ticket SET create_date = %s WHERE id = ANY(%s)",
                [min(created), self.ids],
            )
            self.invalidate_recordset(["create_date"])
        self._slm_sync_clocks(force=True)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def _compute_slm_breach_count(self):
        Breach = self.env["slm.breach"]
        counts = {}
        if Breach.has_access("read"):
            counts = dict(
                Breach._read_group(
                    [("ticket_id", "in", self.ids)], ["ticket_id"], ["__count"]
                )
            )
        for ticket in self:
            ticket.slm_breach_count = counts.get(ticket, 0)

    def action_slm_view_breaches(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "slm_agreements.slm_breach_action"
        )
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_slm_recompute_clocks(self):
        """Preview the recomputation of these tickets' clocks from their
        history, settled ones included, applied on confirmation and logged
        (recomputation rule 1): the only way a person corrects a
        measurement (access rule 1), a Service Level Manager's who can read
        the tickets; the clocks are then written by the suite as superuser."""
        self.env["slm.recompute"]._check_manager()
        self.check_access("read")
        return self.env["slm.recompute"]._open_new(
            {"scope": "tickets", "ticket_ids": [Command.set(self.ids)]}
        )

    # ------------------------------------------------------------------
    # Portal
    # ------------------------------------------------------------------

    def _slm_portal_timers(self):
        """{ticket id: [timer dict]}: what the customer sees of the clocks of
        these tickets in the portal (customer timer rule 1), most urgent first.

        SLA clocks only (OLA and UC clocks stay internal), of agreements that
        show timers; each with its state in the suite's words, its due time
        in the customer's time zone, the pausing stage when paused, and the
        result once settled. For tickets the user may read (checked here); the
        clocks are then read as superuser, one search for the whole set.
        """
        self.check_access("read")
        clocks = (
            self.env["slm.clock"]
            .sudo()
            .search(
                [
                    ("ticket_id", "in", self.ids),
                    ("agreement_kind", "=", "sla"),
                    ("agreement_id.portal_timers", "=", True),
                    ("status", "not in", ("cancelled", "error")),
                ]
            )
        )
        states = dict(clocks._fields["display_state"]._description_selection(self.env))
        metrics = dict(clocks._fields["metric"]._description_selection(self.env))
        order = ["breached", "at_risk", "on_track", "paused", "met"]
        timers = defaultdict(list)
        for clock in clocks:
            ticket = clock.ticket_id
            state = clock.display_state
            tz = ticket._slm_customer_tz(
                clock.target_id.calendar_id.tz, clock.agreement_id.tz
            )
            timers[ticket.id].append(
                {
                    "name": clock.target_id.name,
                    "metric": metrics.get(clock.metric, ""),
                    "state": state,
                    "state_label": states.get(state, ""),
                    "text": ticket._slm_portal_timer_text(clock, state, tz),
                    "explain": ticket._slm_portal_timer_explain(clock, tz),
                    "rank": (order.index(state) if state in order else 9),
                    "deadline": clock.deadline,
                    # Negotiated deadline rule 7: flagged for the customer too.
                    "negotiated": clock.negotiated,
                }
            )
        for ticket_timers in timers.values():
            ticket_timers.sort(
                key=lambda t: (t["rank"], t["deadline"] or fields.Datetime.now())
            )
        return dict(timers)

    def _slm_portal_timer_explain(self, clock, tz):
        """The SLA part of the clock's timeline (customer timer rule 4): when
        it started (which cycle), business time used and paused."""
        values = {
            "start": "{} ({})".format(
                format_datetime(self.env, clock.start, tz=tz, dt_format="short"), tz
            ),
            "used": format_business_duration(clock.used_seconds),
            "paused": format_business_duration(clock.paused_seconds),
            "cycle": clock.cycle + 1,
        }
        if clock.cycle:
            return self.env._(
                "Cycle %(cycle)s, from %(start)s: %(used)s of business time "
                "counted, %(paused)s paused.",
                **values,
            )
        return self.env._(
            "From %(start)s: %(used)s of business time counted, %(paused)s paused.",
            **values,
        )

    def _slm_portal_timer_text(self, clock, state, tz):
        """The customer's sentence for ``clock`` (customer timer rule 2): times in
        ``tz``, shown with it."""
        _ = self.env._

        def moment(value):
            if not value:
                return "-"
            return "{} ({})".format(
                format_datetime(self.env, value, tz=tz, dt_format="short"), tz
            )

        if state == "met":
            return _("Met on %(stop)s", stop=moment(clock.stop))
        if state == "paused":
            return _(
                "Paused while the ticket is %(stage)s, %(amount)s of business "
                "time left",
                stage=self.stage_id.name,
                amount=format_business_duration(max(clock.time_left_hours, 0) * 3600),
            )
        if state == "breached":
            if clock.stop:
                return _(
                    "Breached: due %(deadline)s, done %(stop)s",
                    deadline=moment(clock.deadline),
                    stop=moment(clock.stop),
                )
            return _("Overdue since %(deadline)s", deadline=moment(clock.deadline))
        return _("Due %(deadline)s", deadline=moment(clock.deadline))
