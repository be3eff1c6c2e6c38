# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Pause budget rules (issue 13 item 2): hand-worked cases for the engine
and the minute-by-minute oracle, stored clocks, the alert, the reports, bad
input and the attacker's side.

Brussels office hours 08:00-17:00 local = 07:00-16:00 UTC until 29 March
2026, 06:00-15:00 UTC after. 2026-03-02 is a Monday. Instants are UTC unless
the comment says local.
"""

import datetime as dt

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, tagged

from . import brute_force as bf
from .common import SlmClockCase, utc
from .test_clock_properties import BXL_OFFICE, BXL_OFFICE_EASTER, ClockOracleMixin
from .test_clock_storage import StoredClockMixin

D = dt.datetime
MON = D(2026, 3, 2, 8)  # Monday 09:00 local
H = 60  # minutes

# (label, calendar, start, threshold min, segments, stop, now, budget min,
#  expected: used, paused, over_budget (minutes), deadline, status,
#  budget_exhausted_at)
HAND = [
    (
        "no budget: 3 h paused push the deadline by 3 h",
        BXL_OFFICE,
        MON,
        8 * H,
        [(MON, "active"), (D(2026, 3, 2, 10), "paused"), (D(2026, 3, 2, 13), "active")],
        None,
        D(2026, 3, 2, 13),
        None,
        {
            "used": 2 * H,
            "paused": 3 * H,
            "over_budget": 0,
            "deadline": D(2026, 3, 3, 10),
            "status": "running",
            "budget_exhausted_at": None,
        },
    ),
    (
        "budget 1 h, 3 h paused: the deadline moves 1 h only",
        BXL_OFFICE,
        MON,
        8 * H,
        [(MON, "active"), (D(2026, 3, 2, 10), "paused"), (D(2026, 3, 2, 13), "active")],
        None,
        D(2026, 3, 2, 13),
        1 * H,
        {
            "used": 4 * H,
            "paused": 1 * H,
            "over_budget": 2 * H,
            # Monday 16:00 without any pause, + 1 business hour: Tuesday 08:00.
            "deadline": D(2026, 3, 3, 8),
            "status": "running",
            "budget_exhausted_at": D(2026, 3, 2, 11),
        },
    ),
    (
        "within the budget: paused, no deadline; the budget runs out later",
        BXL_OFFICE,
        MON,
        8 * H,
        [(MON, "active"), (D(2026, 3, 2, 10), "paused")],
        None,
        D(2026, 3, 2, 10, 30),
        1 * H,
        {
            "used": 2 * H,
            "paused": 30,
            "over_budget": 0,
            "deadline": None,
            "status": "paused",
            "budget_exhausted_at": D(2026, 3, 2, 11),
        },
    ),
    (
        "still waiting beyond the budget: it counts, running, with a deadline",
        BXL_OFFICE,
        MON,
        8 * H,
        [(MON, "active"), (D(2026, 3, 2, 10), "paused")],
        None,
        D(2026, 3, 2, 12),
        1 * H,
        {
            "used": 3 * H,
            "paused": 1 * H,
            "over_budget": 1 * H,
            "deadline": D(2026, 3, 3, 8),
            "status": "running",
            "budget_exhausted_at": D(2026, 3, 2, 11),
        },
    ),
    (
        "overnight: 30 min on Monday, runs out Tuesday 08:30 local",
        BXL_OFFICE,
        MON,
        8 * H,
        [(MON, "active"), (D(2026, 3, 2, 15, 30), "paused")],
        None,
        D(2026, 3, 3, 9),
        1 * H,
        {
            "used": 7 * H + 30 + 90,
            "paused": 1 * H,
            "over_budget": 90,
            # 7 h 30 used by Monday 15:30 UTC, 30 min left from Tue 07:30.
            "deadline": D(2026, 3, 3, 8),
            "status": "breached",
            "budget_exhausted_at": D(2026, 3, 3, 7, 30),
        },
    ),
    (
        "over the Easter weekend: runs out on Tuesday after Easter Monday",
        BXL_OFFICE_EASTER,
        D(2026, 4, 2, 7),  # Thursday 09:00 local (UTC+2: office 06:00-15:00 UTC)
        24 * H,
        [(D(2026, 4, 2, 7), "active"), (D(2026, 4, 3, 14, 30), "paused")],
        None,
        D(2026, 4, 7, 8),
        1 * H,
        {
            # Thursday 8 h, Friday 06:00-14:30 UTC 8 h 30; paused 30 min on
            # Friday, none over the weekend and Easter Monday, 30 min on
            # Tuesday: runs out at 06:30 UTC (08:30 local); 06:30-08:00 counts.
            "used": 8 * H + 8 * H + 30 + 90,
            "paused": 1 * H,
            "over_budget": 90,
            # 6 h left at 08:00 UTC on Tuesday.
            "deadline": D(2026, 4, 7, 14),
            "status": "running",
            "budget_exhausted_at": D(2026, 4, 7, 6, 30),
        },
    ),
    (
        "several pauses add up: 20 + 30 min, then 10 more of the third",
        bf.AROUND_THE_CLOCK,
        MON,
        8 * H,
        [
            (MON, "active"),
            (D(2026, 3, 2, 9), "paused"),
            (D(2026, 3, 2, 9, 20), "active"),
            (D(2026, 3, 2, 10), "paused"),
            (D(2026, 3, 2, 10, 30), "closed"),
            (D(2026, 3, 2, 11), "paused"),
            (D(2026, 3, 2, 12), "active"),
        ],
        None,
        D(2026, 3, 2, 13),
        1 * H,
        {
            # Counted: 1 h + 40 min + 50 min (third pause over budget) + 1 h.
            "used": 3 * H + 30,
            "paused": 1 * H,
            "over_budget": 50,
            "deadline": D(2026, 3, 2, 17, 30),
            "status": "running",
            "budget_exhausted_at": D(2026, 3, 2, 11, 10),
        },
    ),
    (
        "a pause using it up exactly as it ends: the next pause counts at once",
        bf.AROUND_THE_CLOCK,
        MON,
        8 * H,
        [
            (MON, "active"),
            (D(2026, 3, 2, 9), "paused"),
            (D(2026, 3, 2, 10), "active"),
            (D(2026, 3, 2, 11), "paused"),
        ],
        None,
        D(2026, 3, 2, 12),
        1 * H,
        {
            "used": 3 * H,
            "paused": 1 * H,
            "over_budget": 1 * H,
            "deadline": D(2026, 3, 2, 17),
            "status": "running",
            "budget_exhausted_at": D(2026, 3, 2, 11),
        },
    ),
    (
        "stopped before the budget runs out: never exhausted",
        bf.AROUND_THE_CLOCK,
        MON,
        8 * H,
        [(MON, "active"), (D(2026, 3, 2, 9), "paused")],
        D(2026, 3, 2, 9, 30),
        D(2026, 3, 2, 12),
        1 * H,
        {
            "used": 1 * H,
            "paused": 30,
            "over_budget": 0,
            "deadline": D(2026, 3, 2, 16, 30),
            "status": "met",
            "budget_exhausted_at": None,
        },
    ),
]


@tagged("post_install", "-at_install")
class TestPauseBudgetEngine(ClockOracleMixin, TransactionCase):
    """Engine and oracle against the hand (pause budget rules 1, 5, 7)."""

    def _both(self, calendar, start, threshold, segments, stop, now, budget):
        from ..tools.clock_engine import Segment, compute_clock, explain_spans

        oracle = bf.compute_clock(
            self._oracle_calendar(calendar),
            start,
            threshold,
            0.75,
            segments,
            stop,
            now,
            pause_budget=budget,
        )
        bt = self._business_time(calendar)
        engine_segments = [Segment(at, state) for at, state in segments]
        engine = compute_clock(
            bt,
            start,
            threshold * 60,
            0.75,
            engine_segments,
            stop,
            now,
            pause_budget=None if budget is None else budget * 60,
        )
        spans = explain_spans(
            bt,
            start,
            engine_segments,
            stop,
            now,
            pause_budget=None if budget is None else budget * 60,
        )
        return oracle, engine, spans

    def test_hand_worked(self):
        for (
            label,
            calendar,
            start,
            threshold,
            segments,
            stop,
            now,
            budget,
            expected,
        ) in HAND:
            with self.subTest(label):
                oracle, engine, spans = self._both(
                    calendar, start, threshold, segments, stop, now, budget
                )
                got_oracle = {name: getattr(oracle, name) for name in expected}
                self.assertEqual(got_oracle, expected, f"oracle: {label}")
                got_engine = {name: getattr(engine, name) for name in expected}
                for name in ("used", "paused", "over_budget"):
                    got_engine[name] //= 60
                self.assertEqual(got_engine, expected, f"engine: {label}")
                # Timeline (pause budget rule 6): the counting segments add up
                # to the time used, the paused ones to the paused time.
                self.assertEqual(
                    sum(
                        s
                        for _b, _e, state, s in spans
                        if state in ("active", "over_budget")
                    ),
                    engine.used,
                )
                self.assertEqual(
                    sum(s for _b, _e, state, s in spans if state == "paused"),
                    engine.paused,
                )
                self.assertEqual(
                    sum(s for _b, _e, state, s in spans if state == "over_budget"),
                    engine.over_budget,
                )

    def test_budget_pushes_by_the_paused_time_within_it(self):
        """Deadline with a budget == deadline without any pause + the paused
        business time within the budget (clock rule 6, pause budget rule 6)."""
        without = bf.compute_clock(BXL_OFFICE, MON, 8 * H, 0.75, [], None, MON)
        budgeted = HAND[1][8]
        self.assertEqual(
            bf.add_minutes(BXL_OFFICE, without.deadline, budgeted["paused"]),
            budgeted["deadline"],
        )


@tagged("post_install", "-at_install")
class TestPauseBudgetClocks(StoredClockMixin, SlmClockCase):
    """Stored clocks, the alert, the reports, bad input, the attacker."""

    BUDGET_FIELDS = (
        "pause_budget_exhausted_at",
        "pause_budget_exceeded",
        "over_budget_seconds",
    )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team.user_id = cls.manager
        cls.agreement = cls._agreement(
            [
                cls._target(
                    "resolution",
                    8,
                    calendar=cls.brussels,
                    pause_stage_ids=[(6, 0, cls.stage_waiting.ids)],
                    pause_budget=True,
                    pause_budget_hours=1,
                )
            ],
            provider_user_id=cls.manager.id,
        )
        cls.target = cls.agreement.target_ids

    def _fresh_budget(self, clock, now):
        Clock = self.env["slm.clock"]
        vals = Clock._split_cycles(
            Clock._compute_values([(clock.ticket_id, clock.target_id)], now=now)[0]
        )[clock.cycle]
        return {name: vals[name] for name in self.BUDGET_FIELDS}

    def assertBudgetIsFresh(self, clock, now):
        self.assertStoredIsFresh(clock, now)
        clock.invalidate_recordset()
        self.assertEqual(
            {name: clock[name] for name in self.BUDGET_FIELDS},
            self._fresh_budget(clock, now),
        )

    def _scan(self, at, ticket):
        """The breach scan at ``at``, with only ``ticket``'s clocks due."""
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE slm_clock SET next_alert_at = NULL WHERE ticket_id <> %s",
            [ticket.id],
        )
        self.env.invalidate_all()
        return self.env["slm.clock"]._cron_settle_due_clocks(now=at)

    def _waiting(self, user=None):
        ticket = self._ticket(MON, user_id=(user or self.agent).id)
        self._at(utc(2026, 3, 2, 10), ticket, stage_id=self.stage_waiting.id)
        return ticket, self._clock(ticket, self.target)

    def test_stored_clock_and_alert(self):
        ticket, clock = self._waiting()
        self.assertEqual(clock.status, "paused")
        self.assertFalse(clock.deadline)
        # The budget runs out at 11:00: the scan's next alert.
        self.assertEqual(clock.pause_budget_exhausted_at, utc(2026, 3, 2, 11))
        self.assertFalse(clock.pause_budget_exceeded)
        self.assertEqual(clock.next_alert_at, utc(2026, 3, 2, 11))
        self.assertBudgetIsFresh(clock, utc(2026, 3, 2, 10))
        # Not yet due at 10:59.
        self.assertEqual(self._scan(utc(2026, 3, 2, 10, 59), ticket), 0)
        self.assertEqual(self._scan(utc(2026, 3, 2, 11), ticket), 1)
        self.assertEqual(clock.status, "running")
        self.assertTrue(clock.pause_budget_exceeded)
        self.assertTrue(clock.pause_budget_alerted)
        # 2 h used by 10:00, 6 h from 11:00: 5 h on Monday, 1 h on Tuesday.
        self.assertEqual(clock.deadline, utc(2026, 3, 3, 8))
        self.assertBudgetIsFresh(clock, utc(2026, 3, 2, 11))
        self.assertIn("pause budget of 1:00 used up", ticket.message_ids[0].body)
        activity = ticket.activity_ids.filtered(
            lambda a: a.activity_type_id
            == self.env.ref("slm_agreements.mail_activity_type_slm_pause_budget")
        )
        self.assertEqual(activity.user_id, self.agent)
        notice = self.agreement.message_ids.filtered(
            lambda m: "Pause budget used up" in (m.body or "")
        )
        self.assertEqual(len(notice), 1)
        self.assertIn(self.manager.partner_id, notice.partner_ids)
        # Alerted once: the next alert is the warning, nothing more now.
        self.assertEqual(clock.next_alert_at, clock.warning_at)
        self.assertEqual(self._scan(utc(2026, 3, 2, 11, 5), ticket), 0)
        self.assertEqual(len(ticket.activity_ids), 1)
        # Back in progress at 13:00: 4 h used (1 h paused, 2 h over budget).
        self._at(utc(2026, 3, 2, 13), ticket, stage_id=self.stage_progress.id)
        self.assertEqual(clock.used_seconds, 4 * 3600)
        self.assertEqual(clock.paused_seconds, 3600)
        self.assertEqual(clock.over_budget_seconds, 2 * 3600)
        self.assertEqual(clock.deadline, utc(2026, 3, 3, 8))
        self.assertBudgetIsFresh(clock, utc(2026, 3, 2, 13))
        # Timeline (pause budget rule 6).
        self.assertIn("Paused, over budget: counting", clock.timeline_html)
        self.assertIn("Pause budget 1:00: ran out", clock.timeline_html)
        # Reports: filter and group by the overrun.
        self._at(utc(2026, 3, 2, 14), ticket, stage_id=self.stage_done.id)
        self.assertEqual(clock.status, "met")
        self.env.flush_all()
        rows = self.env["slm.attainment.report"].search(
            [("ticket_id", "=", ticket.id), ("pause_budget_exceeded", "=", True)]
        )
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows.over_budget_count, 1)
        self.assertAlmostEqual(rows.over_budget_hours, 2.0)
        groups = self.env["slm.clock"]._read_group(
            [("ticket_id", "=", ticket.id)], ["pause_budget_exceeded"], ["__count"]
        )
        self.assertEqual(groups, [(True, 1)])

    def test_recomputation_keeps_the_budget_figures(self):
        """Pause budget rule 8: waiting 10:00-13:00 with a 1 h budget, closed
        at 14:00 (met, 2 h beyond the budget); Monday from 10:30 is then
        declared a holiday: recomputed, 30 min paused within the budget. The
        superseded result keeps the figures as measured and as recomputed."""
        ticket, clock = self._waiting()
        self._at(utc(2026, 3, 2, 13), ticket, stage_id=self.stage_progress.id)
        self._at(utc(2026, 3, 2, 14), ticket, stage_id=self.stage_done.id)
        self.assertRecordValues(
            clock,
            [{"status": "met", "pause_budget_exceeded": True}],
        )
        self.assertEqual(clock.over_budget_seconds, 2 * 3600)
        self._holiday(self.brussels, "2026-03-02 10:30:00", "2026-03-02 16:00:00")
        with freeze_time(utc(2026, 3, 3, 9)):
            run = self._person_recomputes(ticket, user=self.manager)
        self.assertRecordValues(
            clock,
            [{"pause_budget_exceeded": False, "over_budget_seconds": 0}],
        )
        self.assertRecordValues(
            clock.revision_ids,
            [
                {
                    "run_id": run.id,
                    "proposal_id": False,
                    "old_pause_budget_exceeded": True,
                    "new_pause_budget_exceeded": False,
                    "old_over_budget_seconds": 2 * 3600,
                    "new_over_budget_seconds": 0,
                    "old_over_budget_hours": 2.0,
                    "new_paused_seconds": 1800,
                }
            ],
        )

    def test_pause_ended_before_the_budget_runs_out(self):
        ticket, clock = self._waiting()
        self._at(utc(2026, 3, 2, 10, 30), ticket, stage_id=self.stage_progress.id)
        self.assertFalse(clock.pause_budget_exhausted_at)
        self.assertFalse(clock.pause_budget_exceeded)
        self.assertEqual(clock.paused_seconds, 1800)
        # No alert for the budget: the next one is the warning.
        self.assertEqual(clock.next_alert_at, clock.warning_at)
        self.assertBudgetIsFresh(clock, utc(2026, 3, 2, 10, 30))

    def test_resume_reopen_does_not_refill(self):
        """Resume (pause budget rule 5): 40 min paused, closed, reopened, 40
        min paused again: the budget runs out 20 min into the second pause."""
        ticket = self._ticket(MON)
        self._at(utc(2026, 3, 2, 9), ticket, stage_id=self.stage_waiting.id)
        self._at(utc(2026, 3, 2, 9, 40), ticket, stage_id=self.stage_done.id)
        self._at(utc(2026, 3, 2, 10), ticket, stage_id=self.stage_progress.id)
        self._at(utc(2026, 3, 2, 11), ticket, stage_id=self.stage_waiting.id)
        self._at(utc(2026, 3, 2, 11, 40), ticket, stage_id=self.stage_progress.id)
        clock = self._clock(ticket, self.target)
        self.assertEqual(clock.pause_budget_exhausted_at, utc(2026, 3, 2, 11, 20))
        self.assertEqual(clock.over_budget_seconds, 20 * 60)
        self.assertEqual(clock.paused_seconds, 3600)
        self.assertBudgetIsFresh(clock, utc(2026, 3, 2, 11, 40))

    def test_new_cycle_has_a_budget_of_its_own(self):
        """New Cycle (pause budget rule 5): each cycle has the full budget."""
        service = self.env["slm.service"].create(
            {
                "code": "TPBC",
                "name": "T Pause Budget Cycles",
                "owner_id": self.manager.id,
                "state": "live",
                "customer_ids": [(6, 0, self.customer.ids)],
            }
        )
        agreement = self._agreement(
            [
                self._target(
                    "resolution",
                    8,
                    calendar=self.brussels,
                    pause_stage_ids=[(6, 0, self.stage_waiting.ids)],
                    pause_budget=True,
                    pause_budget_hours=1,
                    reopen_policy="new_cycle",
                )
            ],
            name="T Cycles",
            service_ids=[(6, 0, service.ids)],
        )
        target = agreement.target_ids
        ticket = self._ticket(MON, service_id=service.id)
        self._at(utc(2026, 3, 2, 9), ticket, stage_id=self.stage_waiting.id)
        self._at(utc(2026, 3, 2, 10, 30), ticket, stage_id=self.stage_done.id)
        self._at(utc(2026, 3, 2, 11), ticket, stage_id=self.stage_progress.id)
        self._at(utc(2026, 3, 2, 12), ticket, stage_id=self.stage_waiting.id)
        self._at(utc(2026, 3, 2, 12, 50), ticket, stage_id=self.stage_progress.id)
        clocks = self._clock(ticket, target).sorted("cycle")
        self.assertEqual(clocks.mapped("cycle"), [0, 1])
        self.assertEqual(clocks[0].pause_budget_exhausted_at, utc(2026, 3, 2, 10))
        self.assertEqual(clocks[0].over_budget_seconds, 30 * 60)
        self.assertFalse(clocks[1].pause_budget_exceeded)
        self.assertEqual(clocks[1].paused_seconds, 50 * 60)
        for clock in clocks:
            self.assertBudgetIsFresh(clock, utc(2026, 3, 2, 12, 50))

    def test_bad_budget_is_refused(self):
        agreement = self.env["slm.agreement"].create(
            {
                "name": "T Draft",
                "kind": "sla",
                "structure": "service_based",
                "date_start": "2020-01-01",
                "service_ids": [(6, 0, self.service.ids)],
            }
        )
        values = dict(self._target("resolution", 8), agreement_id=agreement.id)
        Target = self.env["slm.target"]
        for hours in (0, -1):
            with self.assertRaisesText(ValidationError, "more than 0 hours"):
                Target.create(dict(values, pause_budget=True, pause_budget_hours=hours))
        with self.assertRaisesText(ValidationError, "more than 0 hours"):
            Target.create(dict(values, pause_budget_hours=-2))
        with self.assertRaisesText(ValidationError, "at most 8760 hours"):
            Target.create(dict(values, pause_budget=True, pause_budget_hours=9000))
        self.assertFalse(Target.search([("agreement_id", "=", agreement.id)]))
        # Empty: no budget.
        target = Target.create(values)
        self.assertIsNone(target._pause_budget_seconds())
        target.write({"pause_budget": True, "pause_budget_hours": 2})
        self.assertEqual(target._pause_budget_seconds(), 7200)
        with self.assertRaisesText(ValidationError, "more than 0 hours"):
            target.write({"pause_budget_hours": 0, "name": "T Renamed"})
        self.assertEqual(target.pause_budget_hours, 2)
        self.assertNotEqual(target.name, "T Renamed")
        # A budget of an agreed agreement is frozen (clock rule 11).
        with self.assertRaises(UserError):
            self.target.with_user(self.manager).write({"pause_budget_hours": 3})
        self.assertEqual(self.target.pause_budget_hours, 1)

    def test_attacker_cannot_write_budget_or_overrun(self):
        ticket, clock = self._waiting()
        draft = self.env["slm.agreement"].create(
            {
                "name": "T Draft",
                "kind": "sla",
                "structure": "service_based",
                "date_start": "2020-01-01",
                "service_ids": [(6, 0, self.service.ids)],
                "target_ids": [(0, 0, self._target("resolution", 8))],
            }
        )
        # The agreed one refuses its frozen terms first (clock rule 11).
        with self.assertRaises(UserError):
            self.target.with_user(self.agent).write({"pause_budget": False})
        with self.assertRaises(AccessError):
            draft.target_ids.with_user(self.agent).write({"pause_budget": True})
        with self.assertRaises(AccessError):
            draft.target_ids.with_user(self.agent).write({"pause_budget_hours": 100})
        with self.assertRaises(AccessError):
            # Not even a wrong value tells the agent more than "no".
            draft.target_ids.with_user(self.agent).write({"pause_budget_hours": -1})
        self.assertFalse(draft.target_ids.pause_budget)
        for values in (
            {"pause_budget_exceeded": False},
            {"over_budget_seconds": 0},
            {"pause_budget_exhausted_at": False},
            {"pause_budget_alerted": True},
        ):
            with self.assertRaises(AccessError):
                clock.with_user(self.agent).write(values)
            with self.assertRaises(AccessError):
                clock.with_user(self.manager).write(values)
        self.assertEqual(self.target.pause_budget_hours, 1)
        self.assertEqual(clock.pause_budget_exhausted_at, utc(2026, 3, 2, 11))
        self.assertFalse(clock.pause_budget_alerted)


@tagged("post_install", "-at_install")
class TestPauseBudgetNegotiated(SlmClockCase):
    """A negotiated deadline (negotiated deadline rule 4) with a pause budget:
    a clock waiting beyond its budget counts, so it runs (pause budget rule
    1). Around the clock, resolution 8 h, budget 1 h; created Monday 09:00,
    Tuesday 12:00 negotiated, waiting from 11:00: paused until 12:00."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agreement = cls._agreement(
            [
                cls._target(
                    "resolution",
                    8,
                    pause_stage_ids=[(6, 0, cls.stage_waiting.ids)],
                    pause_budget=True,
                    pause_budget_hours=1,
                )
            ],
            name="T Negotiated Budget",
        )
        cls.target = cls.agreement.target_ids

    def test_negotiated_clock_runs_once_the_budget_ran_out(self):
        ticket = self._ticket(utc(2026, 3, 2, 9))
        clock = self._clock(ticket, self.target)
        with freeze_time(utc(2026, 3, 2, 10)):
            proposal = (
                self.env["slm.deadline.proposal"]
                .with_user(self.agent)
                .create(
                    {
                        "clock_id": clock.id,
                        "proposed_deadline": utc(2026, 3, 3, 12),
                        "reason": "Parts on Tuesday",
                    }
                )
            )
            proposal.action_propose()
        with freeze_time(utc(2026, 3, 2, 10, 5)):
            proposal.with_user(self.manager).action_approve()
        self.assertEqual(clock.deadline, utc(2026, 3, 3, 12))
        self._at(utc(2026, 3, 2, 11), ticket, stage_id=self.stage_waiting.id)
        self._refresh(ticket, utc(2026, 3, 2, 11, 30))
        self.assertEqual(clock.status, "paused")
        self._refresh(ticket, utc(2026, 3, 2, 12, 30))
        self.assertEqual(clock.status, "running")
        self.assertEqual(clock.deadline, utc(2026, 3, 3, 12))
        self.assertTrue(clock.pause_budget_exceeded)
        self.assertFalse(clock.paused_since)

    def test_approval_keeps_the_budget_figures(self):
        """Pause budget rule 8, negotiated deadline rule 9: waiting from
        09:30, the budget ran out at 10:30 (computed at 11:00: 30 min beyond
        it); approved at 11:05, the superseded result keeps the figures as
        measured and as recomputed."""
        ticket = self._ticket(utc(2026, 3, 2, 9))
        clock = self._clock(ticket, self.target)
        self._at(utc(2026, 3, 2, 9, 30), ticket, stage_id=self.stage_waiting.id)
        self._refresh(ticket, utc(2026, 3, 2, 11))
        self.assertRecordValues(
            clock, [{"pause_budget_exceeded": True, "over_budget_seconds": 1800}]
        )
        with freeze_time(utc(2026, 3, 2, 11)):
            proposal = (
                self.env["slm.deadline.proposal"]
                .with_user(self.agent)
                .create(
                    {
                        "clock_id": clock.id,
                        "proposed_deadline": utc(2026, 3, 3, 12),
                        "reason": "Parts on Tuesday",
                    }
                )
            )
            proposal.action_propose()
        with freeze_time(utc(2026, 3, 2, 11, 5)):
            proposal.with_user(self.manager).action_approve()
        self.assertRecordValues(
            clock.revision_ids,
            [
                {
                    "proposal_id": proposal.id,
                    "old_pause_budget_exceeded": True,
                    "new_pause_budget_exceeded": True,
                    "old_over_budget_seconds": 1800,
                    "new_over_budget_seconds": 2100,
                    "new_deadline": utc(2026, 3, 3, 12),
                }
            ],
        )
