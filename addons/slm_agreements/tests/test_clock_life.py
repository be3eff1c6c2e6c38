# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Random ticket lives through real tickets (issue 18, item 3): the breach
scan runs at random instants, and after each run every stored field of every
clock equals a fresh computation of the engine from the ticket's history at
that instant (clock rule 14); used and paused time and the breach's lateness
once the hourly action has run.

The life: stage changes (a pausing stage, closing, reopening), team changes
(an OLA follows its team), public replies, moves made exactly at a clock's
deadline, and scans, at random minutes. SLA: response 2 h 24x7 (warning
66.67 %, escalation at 150 %), resolution 6 h in Brussels office hours with a
pausing stage and 0 % warning; OLA of the second line: resolution 3 h 24x7.
"""

from contextlib import suppress
from datetime import timedelta

from freezegun import freeze_time
from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.tests import tagged

from .common import utc
from .test_adjustment import AdjustmentCase
from .test_clock_properties import SETTINGS
from .test_clock_storage import StoredClockMixin

SCANNED = ("status", "deadline", "warning_at", "stop", "settled_date", "start")
ACTIONS = [
    "stage:new",
    "stage:progress",
    "stage:waiting",
    "stage:done",
    "team:1",
    "team:2",
    "reply",
    "scan",
    "scan",
    "deadline:pause",
    "deadline:team",
]


class _Rollback(Exception):
    """Undo one example (its tickets, clocks, breaches)."""


@st.composite
def lives(draw):
    start = utc(2026, 3, 2, 6) + timedelta(minutes=draw(st.integers(0, 5 * 1440)))
    steps = draw(
        st.lists(
            st.tuples(
                st.integers(1, 8 * 60),
                st.sampled_from(ACTIONS),
            ),
            min_size=2,
            max_size=8,
        )
    )
    team = draw(st.sampled_from(["1", "2"]))
    return start, team, steps + [(draw(st.integers(1, 3 * 1440)), "scan")]


class ClockLifeMixin(StoredClockMixin):
    """Drives a ticket through random steps and checks the stored clocks."""

    def _check_scanned(self, ticket, now):
        """The scan at ``now``, then every clock against the engine; the hourly
        action, then used, paused and lateness too."""
        with freeze_time(now):
            self.env["slm.clock"]._cron_settle_due_clocks()
        clocks = ticket.slm_clock_ids.filtered(lambda c: c.status != "cancelled")
        for clock in clocks:
            fresh = self._fresh(clock, now)
            stored = self._stored(clock)
            what = f"{clock.target_id.name} at {now}: {self._life}"
            for name in SCANNED:
                self.assertEqual(stored[name], fresh[name], f"{name} {what}")
            warned = bool(
                fresh["status"] == "running"
                and fresh["warning_at"]
                and fresh["warning_at"] <= now
            )
            self.assertEqual(clock.at_risk, warned, f"at_risk {what}")
        with freeze_time(now):
            clocks._refresh_open_clocks(now=now, max_age=timedelta(0))
            self.env["slm.breach"]._slm_refresh_late_hours()
        Clock = self.env["slm.clock"]
        for clock in clocks:
            what = f"{clock.target_id.name} at {now}: {self._life}"
            self.assertStoredIsFresh(clock, now)
            breach = self.env["slm.breach"].search([("clock_id", "=", clock.id)])
            self.assertEqual(
                bool(breach), clock.status == "breached" and clock.alert_pct >= 100
            )
            if breach:
                bt = Clock._business_time(ticket, clock.target_id, {})
                late = bt.elapsed(clock.deadline, clock.stop or now) / 3600
                breach.invalidate_recordset()
                self.assertAlmostEqual(breach.late_hours, late, 6, f"late {what}")

    def _do(self, ticket, action, now):
        """Perform ``action`` at ``now``; returns the instant it happened."""
        kind, _sep, arg = action.partition(":")
        if kind == "deadline":
            # Exactly at the deadline of a running clock, if one is ahead.
            target = self.sla_resolution if arg == "pause" else self.ola_resolution
            clock = self._clock(ticket, target)
            if not (clock and clock.status == "running" and clock.deadline > now):
                return now
            now = clock.deadline
            kind, arg = ("stage", "waiting") if arg == "pause" else ("team", "1")
        if kind == "stage":
            stage = self.stages[arg]
            if ticket.stage_id != stage:
                self._at(now, ticket, stage_id=stage.id)
        elif kind == "team":
            team = self.team if arg == "1" else self.team_2
            if ticket.team_id != team:
                self._at(now, ticket, team_id=team.id)
        elif kind == "reply":
            self._reply(now, ticket)
        else:
            self._check_scanned(ticket, now)
        return now

    def _live(self, life):
        start, team, steps = life
        self._life = life
        with suppress(_Rollback), self.env.cr.savepoint():
            ticket = self._ticket(
                start,
                team_id=(self.team if team == "1" else self.team_2).id,
                user_id=self.agent.id,
            )
            now = start
            for minutes, action in steps:
                now = self._do(ticket, action, now + timedelta(minutes=minutes))
            raise _Rollback


@tagged("post_install", "-at_install")
class TestClockLife(ClockLifeMixin, AdjustmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team.user_id = cls.manager
        pause = [(6, 0, cls.stage_waiting.ids)]
        cls.sla = cls._agreement(
            [
                cls._target(
                    "response",
                    2,
                    warning_pct=66.67,
                    escalation_level_ids=[
                        (0, 0, {"threshold_pct": 150, "recipient": "team_leader"})
                    ],
                ),
                cls._target(
                    "resolution",
                    6,
                    cls.brussels,
                    warning_pct=0,
                    pause_stage_ids=pause,
                ),
            ]
        )
        cls.sla_response, cls.sla_resolution = cls.sla.target_ids
        cls.ola = cls._agreement(
            [cls._target("resolution", 3, pause_stage_ids=pause)],
            kind="ola",
            team_id=cls.team_2.id,
        )
        cls.ola_resolution = cls.ola.target_ids
        cls.stages = {
            "new": cls.stage_new,
            "progress": cls.stage_progress,
            "waiting": cls.stage_waiting,
            "done": cls.stage_done,
        }

    def test_hand_worked_life(self):
        """Created Mon 2 March 08:00 with the second line; paused 09:00-10:00;
        handed to the service desk at 12:00 (OLA: 3 h of 08:00-09:00 and
        10:00-12:00 used = its deadline, away at the very instant); closed
        13:00, reopened 14:00; scans at 12:05 and 15:00: every stored field
        equals the engine."""
        self._live(
            (
                utc(2026, 3, 2, 8),
                "2",
                [
                    (60, "stage:waiting"),
                    (60, "stage:progress"),
                    (120, "team:1"),
                    (5, "scan"),
                    (55, "stage:done"),
                    (60, "stage:new"),
                    (60, "scan"),
                ],
            )
        )

    @settings(max_examples=8, **SETTINGS)
    @given(lives())
    def test_property_scan_at_random_instants(self, life):
        self._live(life)

    @settings(max_examples=6, **SETTINGS)
    @given(st.integers(-180, 180), st.booleans())
    def test_property_reduced_service_by_creation(self, offset, at_end):
        """A reduced service (response 2 h -> 1 h, 24x7) from Tue 3 March
        10:00 to 14:00, approved: a ticket created ``offset`` minutes around
        one of its ends gets 1 h when created inside [10:00, 14:00), 2 h
        otherwise; a scan after the usual deadline agrees with the engine."""
        window = (utc(2026, 3, 3, 10), utc(2026, 3, 3, 14))
        created = window[at_end] + timedelta(minutes=offset)
        self._life = (created, offset, at_end)
        with suppress(_Rollback), self.env.cr.savepoint():
            self._approved(
                self.sla,
                "reduced",
                *window,
                at=utc(2026, 3, 1),
                line_ids=self._lines((self.sla_response, 1)),
            )
            hours = 1 if window[0] <= created < window[1] else 2
            ticket = self._ticket(created)
            clock = self._clock(ticket, self.sla_response)
            self.assertEqual(clock.deadline, created + timedelta(hours=hours))
            self._check_scanned(ticket, created + timedelta(hours=1, minutes=30))
            raise _Rollback
