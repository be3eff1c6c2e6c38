# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, fields, models

from ..tools.business_time import BusinessTime
from ..tools.clock_engine import ACTIVE, PAUSED, Segment, compute_clock

SETTLED = ("met", "breached")


class SlmClock(models.Model):
    """One target running on one ticket: deadline, time used, status.

    Stored and indexed so that reports and the breach scan filter in SQL.
    Computed from the ticket's event history (``slm.ticket.event``).
    """

    _name = "slm.clock"
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
    agreement_kind = fields.Selection(related="agreement_id.kind", store=True)
    metric = fields.Selection(related="target_id.metric", store=True)
    threshold_hours = fields.Float(related="target_id.threshold_hours")
    status = fields.Selection(
        [
            ("running", "Running"),
            ("paused", "Paused"),
            ("met", "Met"),
            ("breached", "Breached"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="running",
        index=True,
        help="Running: time accrues. Paused: the ticket waits in a pausing stage. "
        "Met: stopped at or before the deadline. Breached: the deadline passed "
        "before it stopped. Cancelled: the target no longer applies (kept for "
        "history).",
    )
    at_risk = fields.Boolean(
        index=True,
        help="The warning share of the target's threshold is used up and the "
        "clock is still running.",
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
    settled_date = fields.Datetime(
        index=True,
        help="When the result became final: the stop for a met clock, the "
        "deadline for a breached one. Attainment counts clocks by this date.",
    )
    time_left_hours = fields.Float(
        compute="_compute_time_left",
        string="Time Left (h)",
        help="Hours until the deadline; negative when overdue.",
    )
    computed_at = fields.Datetime(help="When the clock was last computed.")
    # Copies of the ticket's attributes at computation, for reports and filters.
    partner_id = fields.Many2one("res.partner", string="Customer", index=True)
    service_id = fields.Many2one("slm.service", index=True)
    team_id = fields.Many2one("helpdesk.ticket.team", index=True)
    company_id = fields.Many2one("res.company", index=True)

    _sql_constraints = [
        (
            "ticket_target_uniq",
            "unique(ticket_id, target_id)",
            "A ticket has one clock per target.",
        ),
    ]

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("used_seconds", "paused_seconds")
    def _compute_hours(self):
        for clock in self:
            clock.used_hours = clock.used_seconds / 3600
            clock.paused_hours = clock.paused_seconds / 3600

    @api.depends("deadline", "status")
    def _compute_time_left(self):
        now = fields.Datetime.now()
        for clock in self:
            if clock.deadline and clock.status in ("running", "breached"):
                clock.time_left_hours = (clock.deadline - now).total_seconds() / 3600
            else:
                clock.time_left_hours = 0.0

    # ------------------------------------------------------------------
    # Computation from history
    # ------------------------------------------------------------------

    @api.model
    def _compute_values(self, pairs, now=None):
        """Clock values for (ticket, target) pairs, from the tickets' events.

        Set-based: one query for the events of all tickets, one business-time
        window per calendar. Returns a list of value dicts, in ``pairs`` order.
        """
        now = now or fields.Datetime.now()
        tickets = self.env["helpdesk.ticket"].browse({t.id for t, _target in pairs})
        history = self._load_history(tickets)
        calendars = {}
        results = []
        for ticket, target in pairs:
            bt = self._business_time(ticket, target, calendars)
            results.append(
                self._compute_one(ticket, target, history[ticket.id], bt, now)
            )
        return results

    @api.model
    def _business_time(self, ticket, target, cache):
        """The ``BusinessTime`` in which ``target``'s clock on ``ticket`` counts.

        ``cache`` is shared by a whole batch: one object per distinct calendar.
        """
        key = False if target.around_the_clock else target.calendar_id.id
        if key not in cache:
            cache[key] = (
                BusinessTime.around_the_clock()
                if key is False
                else BusinessTime.for_calendar(target.calendar_id)
            )
        return cache[key]

    @api.model
    def _threshold_seconds(self, ticket, target, start):
        """Business seconds allowed to ``target``'s clock on ``ticket``."""
        return round(target.threshold_hours * 3600)

    @api.model
    def _load_history(self, tickets):
        """{ticket id: [event values sorted by date]}, in one query."""
        history = defaultdict(list)
        if not tickets:
            return history
        self.env["slm.ticket.event"].flush_model()
        self.env.cr.execute(
            """
            SELECT ticket_id, date, event_type, stage_id, closed, team_id
              FROM slm_ticket_event
             WHERE ticket_id = ANY(%s)
          ORDER BY ticket_id, date, id
            """,
            [list(tickets.ids)],
        )
        for (
            ticket_id,
            date,
            event_type,
            stage_id,
            closed,
            team_id,
        ) in self.env.cr.fetchall():
            history[ticket_id].append(
                {
                    "date": date,
                    "type": event_type,
                    "stage_id": stage_id,
                    "closed": closed,
                    "team_id": team_id,
                }
            )
        return history

    @api.model
    def _compute_one(self, ticket, target, events, bt, now):
        agreement = target.agreement_id
        ola_team = agreement.team_id.id if agreement.kind == "ola" else False
        pausing = set(target.pause_stage_ids.ids)
        segments = []
        start = first_reply = first_close = closed_since = None
        stage_id = closed = team_id = None
        for event in events:
            if event["type"] == "reply":
                if start is not None and first_reply is None:
                    if not ola_team or team_id == ola_team:
                        first_reply = event["date"]
                continue
            if event["stage_id"]:
                was_closed = closed
                stage_id, closed = event["stage_id"], event["closed"]
                if closed and not was_closed:
                    closed_since = event["date"]
                elif not closed:
                    closed_since = None
            if event["type"] in ("created", "team"):
                team_id = event["team_id"]
            if start is None:
                # SLA: from creation; OLA: from when the ticket reaches the team.
                if ola_team and team_id != ola_team:
                    continue
                start = event["date"]
            if closed and first_close is None:
                first_close = event["date"]
            segments.append(
                Segment(
                    event["date"],
                    self._state(stage_id, closed, team_id, ola_team, pausing),
                )
            )
        if start is None:
            return {"status": "cancelled", "computed_at": now}

        if target.metric == "response":
            # Answered by the first public reply; a ticket closed without one
            # counts as answered when closed (the closing notice answers it).
            stop = min(filter(None, (first_reply, first_close)), default=None)
        else:
            stop = closed_since if closed else None
        result = compute_clock(
            bt,
            start,
            self._threshold_seconds(ticket, target, start),
            target.warning_pct / 100,
            segments,
            stop,
            now,
        )
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
            "settled_date": settled_date,
            "at_risk": bool(
                result.status == "running"
                and result.warning_at
                and result.warning_at <= now
            ),
            "computed_at": now,
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

    def _recompute(self, force=False):
        """Recompute these clocks from their tickets' history.

        A settled result (met, breached) is kept (brief, rule 11) unless
        ``force`` (a person's recomputation) or the ticket's own history moved
        it: a reopened ticket resumes its resolution clock.
        """
        clocks = self if force else self.filtered(lambda c: c.status != "cancelled")
        values = self._compute_values([(c.ticket_id, c.target_id) for c in clocks])
        for clock, vals in zip(clocks, values, strict=True):
            if not force and clock.status in SETTLED:
                if clock.metric == "response" or clock.status == "breached":
                    # Keep the result; only record when the ticket was answered
                    # or closed after the breach.
                    vals = {"stop": vals.get("stop") or clock.stop}
                elif vals["status"] not in ("running", "paused", "breached"):
                    continue  # still closed: the met result stands
            changed = {
                name: value
                for name, value in vals.items()
                if name != "computed_at" and clock[name] != value
            }
            if changed:
                changed["computed_at"] = (
                    vals.get("computed_at") or fields.Datetime.now()
                )
                clock.write(changed)

    # ------------------------------------------------------------------
    # Scheduled actions
    # ------------------------------------------------------------------

    @api.model
    def _cron_settle_due_clocks(self):
        """Mark running clocks whose deadline or warning time has passed.

        Touches only what is due, found through the deadline and warning
        indexes; safe to run twice (a breached clock is no longer running).
        """
        now = fields.Datetime.now()
        self.flush_model()
        # One statement: each clock settles at its own deadline.
        self.env.cr.execute(
            """
            UPDATE slm_clock
               SET status = 'breached', settled_date = deadline, at_risk = false
             WHERE status = 'running' AND deadline < %s
         RETURNING id
            """,
            [now],
        )
        breached = self.browse(row[0] for row in self.env.cr.fetchall())
        self.invalidate_model(["status", "settled_date", "at_risk"])
        breached.modified(["status", "settled_date", "at_risk"])
        self.search(
            [
                ("status", "=", "running"),
                ("at_risk", "=", False),
                ("warning_at", "<=", now),
            ]
        ).write({"at_risk": True})
