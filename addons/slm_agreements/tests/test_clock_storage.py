# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Stored clocks equal the engine (issue 18, classes 1-6, 9, 10 and the bad
input on calendars and leaves). Each test was written first, failing, from a
case worked by hand in its docstring; then the engine or the storage was fixed.

2026-03-02 is a Monday; Brussels is UTC+1 until 2026-03-29 01:00 UTC, then
UTC+2. Every instant is UTC unless the comment says local.
"""

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import AvailabilityCase, utc
from .test_adjustment import AdjustmentCase

CLOCK_FIELDS = (
    "status",
    "start",
    "deadline",
    "warning_at",
    "stop",
    "used_seconds",
    "paused_seconds",
    "settled_date",
)


class StoredClockMixin:
    def _fresh(self, clock, now):
        """What the engine computes for ``clock`` at ``now``, from history."""
        Clock = self.env["slm.clock"]
        vals = Clock._split_cycles(
            Clock._compute_values([(clock.ticket_id, clock.target_id)], now=now)[0]
        )[clock.cycle]
        return {name: vals[name] for name in CLOCK_FIELDS}

    def _stored(self, clock):
        clock.invalidate_recordset()
        return {name: clock[name] for name in CLOCK_FIELDS}

    def assertStoredIsFresh(self, clock, now):
        self.assertEqual(self._stored(clock), self._fresh(clock, now))


@tagged("post_install", "-at_install")
class TestClockStorage(StoredClockMixin, AdjustmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stage_cancelled = cls.env["helpdesk.ticket.stage"].create(
            {"name": "T Cancelled", "sequence": 5, "closed": True}
        )
        cls.team.user_id = cls.manager
        cls.company_b = cls.env["res.company"].create({"name": "T Company B"})

    def _scan(self, at):
        with freeze_time(at):
            return self.env["slm.clock"]._cron_settle_due_clocks()

    def _hourly(self, at):
        with freeze_time(at):
            self.env["slm.breach"]._cron_update_breaches()

    # ------------------------------------------------------------ class 1

    def test_other_company_holidays_do_not_count(self):
        """Brussels office 08:00-17:00 local = 07:00-16:00 UTC in March.
        Response 4 h from Mon 2 March 07:00 (08:00 local): 11:00 the same day.
        A public holiday (leave without calendar) of company B on that Monday
        must not move it (it did: Tue 11:00). One of our own company moves it
        to Tue 11:00; so does a leave with neither calendar nor company (a
        holiday of every company, clock rule 5)."""
        agreement = self._agreement([self._target("response", 4, self.brussels)])
        target = agreement.target_ids
        Leave = self.env["resource.calendar.leaves"]
        holiday = {
            "name": "T Holiday B",
            "calendar_id": False,
            "date_from": utc(2026, 3, 1, 23),
            "date_to": utc(2026, 3, 2, 23),
        }
        # (company_id is computed on create: the calendar's or the user's)
        Leave.create(holiday).company_id = self.company_b
        ticket = self._ticket(utc(2026, 3, 2, 7))
        self.assertEqual(self._clock(ticket, target).deadline, utc(2026, 3, 2, 11))
        # Our own company's public holiday counts.
        Leave.create(dict(holiday, name="T Holiday A")).company_id = self.company
        ticket_2 = self._ticket(utc(2026, 3, 2, 7))
        self.assertEqual(self._clock(ticket_2, target).deadline, utc(2026, 3, 3, 11))

    def test_shared_calendar_counts_the_agreements_company_holidays(self):
        """A calendar of no company, used by an agreement of ours: company B's
        public holiday on Monday does not count (Mon 07:00 + 4 h = 11:00), our
        company's does (Tue 11:00)."""
        shared = self._calendar("T Shared", "Europe/Brussels", 8, 17)
        shared.company_id = False
        agreement = self._agreement([self._target("response", 4, shared)])
        holiday = {
            "name": "T Holiday",
            "calendar_id": False,
            "date_from": utc(2026, 3, 1, 23),
            "date_to": utc(2026, 3, 2, 23),
        }
        Leave = self.env["resource.calendar.leaves"]
        Leave.create(holiday).company_id = self.company_b
        ticket = self._ticket(utc(2026, 3, 2, 7))
        clock = self._clock(ticket, agreement.target_ids)
        self.assertEqual(clock.deadline, utc(2026, 3, 2, 11))
        Leave.create(holiday).company_id = self.company
        self._refresh(ticket, utc(2026, 3, 2, 8))
        self.assertEqual(clock.deadline, utc(2026, 3, 3, 11))

    def test_companyless_leave_counts_everywhere(self):
        """A leave with neither calendar nor company (written by a script):
        a holiday of every calendar. Mon 07:00 + 4 h -> Tue 11:00."""
        agreement = self._agreement([self._target("response", 4, self.brussels)])
        leave = self.env["resource.calendar.leaves"].create(
            {
                "name": "T Universal holiday",
                "calendar_id": False,
                "date_from": utc(2026, 3, 1, 23),
                "date_to": utc(2026, 3, 2, 23),
            }
        )
        leave.company_id = False
        ticket = self._ticket(utc(2026, 3, 2, 7))
        self.assertEqual(
            self._clock(ticket, agreement.target_ids).deadline, utc(2026, 3, 3, 11)
        )

    def test_calendar_of_another_company_is_refused(self):
        """Bad input: a target or extra support hours counting the hours of a
        calendar of another company than the agreement's: a clear error,
        nothing written."""
        calendar_b = self._calendar("T Calendar B", "Europe/Brussels", 8, 17)
        calendar_b.company_id = self.company_b
        with self.assertRaisesText(ValidationError, "a calendar of T Company B"):
            self._agreement([self._target("response", 4, calendar_b)])
        draft = self.env["slm.agreement"].create(
            {
                "name": "T Draft",
                "kind": "sla",
                "structure": "service_based",
                "target_ids": [(0, 0, self._target("response", 4, self.brussels))],
            }
        )
        with self.assertRaisesText(ValidationError, "choose a calendar of"):
            draft.target_ids.calendar_id = calendar_b
        self.assertEqual(draft.target_ids.calendar_id, self.brussels)
        # Moving the agreement to company B with our calendar: refused too.
        with self.assertRaisesText(ValidationError, "but the agreement belongs to"):
            draft.company_id = self.company_b
        self.assertEqual(draft.company_id, self.company)
        with self.assertRaisesText(ValidationError, "a calendar of T Company B"):
            self._draft(
                draft,
                "extra_hours",
                utc(2026, 3, 7),
                utc(2026, 3, 8),
                calendar_id=calendar_b.id,
            )

    # ------------------------------------------------------------ class 2

    def test_warning_share_not_whole_seconds(self):
        """Calendar Mon/Wed/Fri 10:00-12:00 UTC, response 3 h, warning 66.67 %.
        Created Fri 6 March 10:00: Fri 10-12 gives 2 h; Mon 9 March 10-11 the
        third: deadline Mon 11:00. The warning share is 0.6667 x 10,800 s =
        7,200.36 s: used up 0.36 s after Mon 10:00, so the first whole second
        is Mon 10:00:01 (rounded to 7,200 s it landed on Fri 12:00, 70 h too
        early)."""
        calendar = self._calendar("T MWF", "UTC", 10, 12, (0, 2, 4))
        agreement = self._agreement(
            [self._target("response", 3, calendar, warning_pct=66.67)]
        )
        ticket = self._ticket(utc(2026, 3, 6, 10))
        clock = self._clock(ticket, agreement.target_ids)
        self.assertEqual(clock.deadline, utc(2026, 3, 9, 11))
        self.assertEqual(clock.warning_at, utc(2026, 3, 9, 10, 0, 1))
        self._scan(utc(2026, 3, 6, 12, 30))
        self.assertFalse(clock.at_risk)

    # ------------------------------------------------------------ class 3

    def test_paused_at_the_deadline_is_breached_by_the_scan(self):
        """Resolution 4 h 24x7 from Mon 09:00: deadline 13:00. The ticket enters
        a pausing stage at 13:00:00 sharp: paused (not yet past), but the pause
        does not save it; the scan at 13:05 breaches it at 13:00, records the
        breach and alerts (before: left paused, never scanned)."""
        agreement = self._agreement(
            [
                self._target(
                    "resolution", 4, pause_stage_ids=[(6, 0, self.stage_waiting.ids)]
                )
            ]
        )
        ticket = self._ticket(utc(2026, 3, 2, 9), user_id=self.agent.id)
        clock = self._clock(ticket, agreement.target_ids)
        self._at(utc(2026, 3, 2, 13), ticket, stage_id=self.stage_waiting.id)
        self.assertEqual(clock.status, "paused")
        self.assertEqual(clock.deadline, utc(2026, 3, 2, 13))
        self.assertEqual(clock.next_alert_at, utc(2026, 3, 2, 13))
        self._scan(utc(2026, 3, 2, 13, 5))
        self.assertEqual(clock.status, "breached")
        self.assertEqual(clock.settled_date, utc(2026, 3, 2, 13))
        self.assertEqual(
            self.env["slm.breach"].search_count([("clock_id", "=", clock.id)]), 1
        )
        self.assertTrue(ticket.activity_ids)
        self.assertStoredIsFresh(clock, utc(2026, 3, 2, 13, 5))

    # ------------------------------------------------------- classes 4 and 5

    def test_breached_then_reopened(self):
        """Resolution 4 h 24x7 from Mon 09:00: deadline 13:00. Closed 14:00:
        breached, stopped at 14:00, 5 h used, 1 h late. Reopened 15:00: the
        clock resumes (clock rule 3): no stop, still breached at 13:00, 5 h used
        (closed time does not count). At 17:00 the hourly action brings it up
        to now: 7 h used, and the breach 4 h late (13:00 to 17:00)."""
        agreement = self._agreement([self._target("resolution", 4)])
        ticket = self._ticket(utc(2026, 3, 2, 9), user_id=self.agent.id)
        clock = self._clock(ticket, agreement.target_ids)
        self._at(utc(2026, 3, 2, 14), ticket, stage_id=self.stage_done.id)
        self._scan(utc(2026, 3, 2, 14, 5))
        breach = self.env["slm.breach"].search([("clock_id", "=", clock.id)])
        self.assertEqual((clock.status, clock.stop), ("breached", utc(2026, 3, 2, 14)))
        self.assertEqual(breach.late_hours, 1)
        self._at(utc(2026, 3, 2, 15), ticket, stage_id=self.stage_progress.id)
        self.assertEqual(clock.status, "breached")
        self.assertFalse(clock.stop)
        self.assertFalse(breach.stop)
        self.assertEqual(clock.used_seconds, 5 * 3600)
        self.assertStoredIsFresh(clock, utc(2026, 3, 2, 15))
        self._hourly(utc(2026, 3, 2, 17))
        self.assertEqual(clock.used_seconds, 7 * 3600)
        self.assertStoredIsFresh(clock, utc(2026, 3, 2, 17))
        breach.invalidate_recordset()
        self.assertEqual(breach.late_hours, 4)

    def test_time_passing_keeps_stored_clocks_current(self):
        """Resolution 8 h 24x7 with a pausing stage, from Mon 09:00: the hourly
        action brings used and paused time of open clocks up to now.
        11:00: running, 2 h used. Paused from 12:00; at 13:30, 3 h used and
        1.5 h paused. Resumed 14:00: deadline 09:00 + 8 h + 2 h of pause =
        19:00; the scan breaches it at 19:05; at 23:00 it has 3 h + 9 h = 12 h
        used and 2 h paused (before: frozen at the breach)."""
        agreement = self._agreement(
            [
                self._target(
                    "resolution", 8, pause_stage_ids=[(6, 0, self.stage_waiting.ids)]
                )
            ]
        )
        ticket = self._ticket(utc(2026, 3, 2, 9), user_id=self.agent.id)
        clock = self._clock(ticket, agreement.target_ids)
        self._hourly(utc(2026, 3, 2, 11))
        self.assertEqual(clock.used_seconds, 2 * 3600)
        self.assertStoredIsFresh(clock, utc(2026, 3, 2, 11))
        self._at(utc(2026, 3, 2, 12), ticket, stage_id=self.stage_waiting.id)
        self._hourly(utc(2026, 3, 2, 13, 30))
        self.assertEqual(clock.paused_seconds, 5400)
        self.assertStoredIsFresh(clock, utc(2026, 3, 2, 13, 30))
        self._at(utc(2026, 3, 2, 14), ticket, stage_id=self.stage_progress.id)
        self.assertEqual(clock.deadline, utc(2026, 3, 2, 19))
        self._scan(utc(2026, 3, 2, 19, 5))
        self.assertEqual(clock.status, "breached")
        self._hourly(utc(2026, 3, 2, 23))
        self.assertEqual(clock.used_seconds, 12 * 3600)
        self.assertEqual(clock.paused_seconds, 2 * 3600)
        self.assertStoredIsFresh(clock, utc(2026, 3, 2, 23))

    # ------------------------------------------------------------ class 6

    def test_zero_warning_in_a_pausing_stage_fires_at_creation(self):
        """Warning 0 % ("at once"), ticket created Mon 09:00 in a pausing stage,
        resumed at 11:00: the share (nothing) is used at creation, 09:00 (it
        was placed at the resume, 11:00). Deadline 4 h of active time: 15:00."""
        agreement = self._agreement(
            [
                self._target(
                    "resolution",
                    4,
                    warning_pct=0,
                    pause_stage_ids=[(6, 0, self.stage_waiting.ids)],
                )
            ]
        )
        ticket = self._ticket(utc(2026, 3, 2, 9), stage_id=self.stage_waiting.id)
        clock = self._clock(ticket, agreement.target_ids)
        self.assertEqual(clock.warning_at, utc(2026, 3, 2, 9))
        self._at(utc(2026, 3, 2, 11), ticket, stage_id=self.stage_progress.id)
        self.assertEqual(clock.warning_at, utc(2026, 3, 2, 9))
        self.assertEqual(clock.deadline, utc(2026, 3, 2, 15))

    # ------------------------------------------------------------ class 7

    def test_team_change_at_the_ola_deadline(self):
        """OLA of the second line, resolution 2 h 24x7. The ticket reaches the
        team at Mon 10:00 (deadline 12:00) and is handed back at 12:00 sharp:
        paused (away), then breached at 12:00 by the next scan."""
        ola = self._agreement(
            [self._target("resolution", 2)], kind="ola", team_id=self.team_2.id
        )
        ticket = self._ticket(utc(2026, 3, 2, 9), user_id=self.agent.id)
        self._at(utc(2026, 3, 2, 10), ticket, team_id=self.team_2.id)
        clock = self._clock(ticket, ola.target_ids)
        self._at(utc(2026, 3, 2, 12), ticket, team_id=self.team.id)
        self.assertEqual(clock.status, "paused")
        self._scan(utc(2026, 3, 2, 12, 5))
        self.assertEqual(clock.status, "breached")
        self.assertEqual(clock.deadline, utc(2026, 3, 2, 12))
        self.assertStoredIsFresh(clock, utc(2026, 3, 2, 12, 5))

    # ------------------------------------------------------------ class 9

    def test_met_result_kept_after_a_temporary_change(self):
        """Resolution 2 h, Brussels office. Created Fri 6 March 15:00 (16:00
        local): 1 h on Friday; closed Mon 07:30 (08:30 local): 1.5 h used, met,
        deadline Mon 08:00. Extra hours for Saturday 08:00-18:00 local are then
        approved: from history the deadline becomes Sat 08:00 (09:00 local) and
        the clock breached. Moving the closed ticket to another closed stage
        recomputes it ordinarily: it stays met (clock rule 11). A person's
        recomputation (logged) gives the breach."""
        agreement = self._agreement(
            [self._target("resolution", 2, self.brussels)],
            provider_user_id=self.manager.id,
        )
        ticket = self._ticket(utc(2026, 3, 6, 15))
        clock = self._clock(ticket, agreement.target_ids)
        self._at(utc(2026, 3, 9, 7, 30), ticket, stage_id=self.stage_done.id)
        self.assertEqual((clock.status, clock.deadline), ("met", utc(2026, 3, 9, 8)))
        self._approved(
            agreement,
            "extra_hours",
            utc(2026, 3, 6, 23),
            utc(2026, 3, 7, 23),
            at=utc(2026, 3, 9, 9),
            calendar_id=self.saturday.id,
        )
        self._at(utc(2026, 3, 9, 10), ticket, stage_id=self.stage_cancelled.id)
        self.assertEqual((clock.status, clock.deadline), ("met", utc(2026, 3, 9, 8)))
        with freeze_time(utc(2026, 3, 9, 11)):
            self._person_recomputes(ticket, self.manager)
        self.assertEqual(clock.status, "breached")
        self.assertEqual(clock.deadline, utc(2026, 3, 7, 8))


@tagged("post_install", "-at_install")
class TestAvailabilityLocalMonths(AvailabilityCase):
    def test_maintenance_in_the_first_local_hours_of_a_month(self):
        """A 24x7 availability target counted in Brussels months (calendar
        time zone). April starts on 31 March 22:00 UTC. An outage 31 March
        22:30 - 1 April 01:00 UTC (2.5 h, all in April local), then a
        maintenance window 31 March 22:00-23:30 UTC (1 April 00:00-01:30
        local, March by its UTC dates) approved on 10 April: April's stored
        figures change at once (1.5 h of downtime left) and equal a full
        refresh (before, only March was refreshed: 2.5 h stayed)."""
        brussels = self.env["resource.calendar"].create(
            {"name": "T Brussels 24x7", "tz": "Europe/Brussels"}
        )
        # Brussels months, whether they follow the calendar or the agreement.
        fields = self.env["slm.agreement"]._fields
        zone = {"tz": "Europe/Brussels"} if "tz" in fields else {}
        sla = self._agreement(
            self.svc_a,
            [
                self._availability_target(
                    objective=99, around_the_clock=True, calendar_id=brussels.id
                )
            ],
            **zone,
        )
        target = sla.target_ids
        april = self._row  # shortcut
        with freeze_time("2026-04-10 12:00:00"):
            self._outage(self.svc_a, "2026-03-31 22:30:00", "2026-04-01 01:00:00")
            self.Availability._refresh({APRIL_FIRST}, now=AFTER)
            row = april(target, month=APRIL_FIRST)
            self.assertEqual(row.downtime_hours, 2.5)
            self._maintenance(sla, "2026-03-31 22:00:00", "2026-03-31 23:30:00")
        row.invalidate_recordset()
        stored = (row.agreed_hours, row.downtime_hours, row.availability_pct)
        self.assertEqual(row.downtime_hours, 1.5)
        self.Availability._refresh({APRIL_FIRST}, now=AFTER)
        row.invalidate_recordset()
        self.assertEqual(
            stored, (row.agreed_hours, row.downtime_hours, row.availability_pct)
        )


APRIL_FIRST = utc(2026, 4, 1).date()
AFTER = utc(2026, 4, 10, 12)
