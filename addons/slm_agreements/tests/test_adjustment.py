# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Temporary changes of service levels (clock rule 10): hand-worked clocks,
workflow, bad input and access.

2026-03-02 is a Monday. Brussels is UTC+1 until 2026-03-29 01:00 UTC, then
UTC+2. Every instant is UTC unless the comment says local. The Brussels office
works Monday to Friday 08:00-17:00 local.
"""

import dataclasses
import datetime as dt

from freezegun import freeze_time
from hypothesis import given, settings
from hypothesis import strategies as st

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, TransactionCase, tagged
from odoo.tests.common import new_test_user

from odoo.addons.slm_catalogue.tests.common import AccessCheckMixin, SlmCatalogueCase

from .common import SlmClockCase, utc
from .test_clock_properties import DST_CHANGES, SETTINGS, calendars


class AdjustmentCase(SlmClockCase):
    """Users of the approval workflow, calendars of extra hours, and helpers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager_2 = new_test_user(
            cls.env,
            "slm_adj_manager2",
            "slm_catalogue.group_slm_manager",
            context={"no_reset_password": True},
        )
        cls.owner = new_test_user(
            cls.env,
            "slm_adj_owner",
            "slm_catalogue.group_slm_service_owner",
            context={"no_reset_password": True},
        )
        cls.owner_2 = new_test_user(
            cls.env,
            "slm_adj_owner2",
            "slm_catalogue.group_slm_service_owner",
            context={"no_reset_password": True},
        )
        cls.analyst = new_test_user(
            cls.env,
            "slm_adj_analyst",
            "slm_catalogue.group_slm_analyst",
            context={"no_reset_password": True},
        )
        # Around the clock, every day, in Brussels.
        cls.all_day = cls._calendar(
            "T Brussels all day", "Europe/Brussels", 0, 24, range(7)
        )
        # Saturday 08:00-18:00 local only.
        cls.saturday = cls._calendar(
            "T Saturday support", "Europe/Brussels", 8, 18, (5,)
        )
        cls.Adjustment = cls.env["slm.adjustment"]
        # Service owners request changes for agreements covering a service
        # they own (access rule 4).
        cls.service.owner_id = cls.owner

    assertRaisesText = SlmCatalogueCase.assertRaisesText

    def _draft(self, agreement, kind, start, end, user=None, **vals):
        """A draft change requested by ``user`` (the service owner by default)."""
        values = {
            "name": f"T {kind}",
            "agreement_id": agreement.id,
            "kind": kind,
            "date_start": start,
            "date_end": end,
            "reason": "Agreed with the customer.",
        }
        values.update(vals)
        return self.Adjustment.with_user(user or self.owner).create(values)

    def _approved(self, agreement, kind, start, end, at=None, **vals):
        """A change requested and submitted by the service owner, approved by a
        Service Level Manager at ``at`` (its clocks are recomputed then)."""
        adjustment = self._draft(agreement, kind, start, end, **vals)
        adjustment.with_user(self.owner).action_submit()
        with freeze_time(at or utc(2026, 1, 1)):
            adjustment.with_user(self.manager).action_approve()
        return adjustment

    def _lines(self, *pairs):
        return [(0, 0, {"target_id": t.id, "threshold_hours": h}) for t, h in pairs]


@tagged("post_install", "-at_install")
class TestAdjustmentClocks(AdjustmentCase):
    """The clock engine honours approved changes, and only those."""

    # ------------------------------------------------------------ extra hours

    def test_extra_hours_weekend_around_the_clock(self):
        """Fri 16:00 local + 8 h: 1 h on Friday; the weekend window counts around
        the clock from Sat 00:00 local, so 7 h more end at Sat 07:00 local."""
        agreement = self._agreement([self._target("resolution", 8, self.brussels)])
        ticket = self._ticket(utc(2026, 3, 6, 15))
        clock = self._clock(ticket, agreement.target_ids)
        # Without the change: 1 h Friday, Monday 08:00 + 7 h = 15:00 local.
        self.assertEqual(clock.deadline, utc(2026, 3, 9, 14))
        # Approved after the ticket was created: its running clock follows.
        adjustment = self._approved(
            agreement,
            "extra_hours",
            utc(2026, 3, 6, 23),  # Sat 00:00 local
            utc(2026, 3, 8, 23),  # Mon 00:00 local
            at=utc(2026, 3, 6, 15, 30),
            calendar_id=self.all_day.id,
        )
        self.assertEqual(clock.deadline, utc(2026, 3, 7, 6))  # Sat 07:00 local
        self.assertEqual(adjustment.approved_by_id, self.manager)
        self.assertEqual(adjustment.approved_date, utc(2026, 3, 6, 15, 30))
        # A later ticket, created inside the window: around the clock at once.
        later = self._ticket(utc(2026, 3, 7, 12))
        self.assertEqual(
            self._clock(later, agreement.target_ids).deadline, utc(2026, 3, 7, 20)
        )

    def test_extra_hours_only_inside_the_window(self):
        """Window Sat 10:00-14:00 local: Fri 1 h + Sat 4 h + Mon 08:00 + 3 h."""
        agreement = self._agreement([self._target("resolution", 8, self.brussels)])
        self._approved(
            agreement,
            "extra_hours",
            utc(2026, 3, 7, 9),
            utc(2026, 3, 7, 13),
            calendar_id=self.all_day.id,
        )
        ticket = self._ticket(utc(2026, 3, 6, 15))
        self.assertEqual(
            self._clock(ticket, agreement.target_ids).deadline,
            utc(2026, 3, 9, 10),  # Mon 11:00 local
        )

    def test_extra_hours_replace_the_targets_hours(self):
        """Inside the window the change's calendar counts *instead of* the
        target's hours, or of 24x7: a Friday window with Saturday-only hours
        makes that Friday count nothing."""
        agreement = self._agreement(
            [
                self._target("resolution", 8, self.brussels),
                self._target("response", 4),  # 24x7
            ]
        )
        resolution = agreement.target_ids.filtered(lambda t: t.metric == "resolution")
        response = agreement.target_ids - resolution
        self._approved(
            agreement,
            "extra_hours",
            utc(2026, 3, 5, 23),  # Fri 00:00 local
            utc(2026, 3, 6, 23),  # Sat 00:00 local
            calendar_id=self.saturday.id,
        )
        ticket = self._ticket(utc(2026, 3, 6, 8))  # Fri 09:00 local
        # Resolution: nothing on Friday, no office hours on the weekend,
        # Monday 08:00 + 8 h = 16:00 local.
        self.assertEqual(self._clock(ticket, resolution).deadline, utc(2026, 3, 9, 15))
        # Response, 24x7 outside the window: from Sat 00:00 local + 4 h.
        self.assertEqual(self._clock(ticket, response).deadline, utc(2026, 3, 7, 3))

    def test_extra_hours_in_the_customers_zone(self):
        """Customer calendar rule 7: inside the window, the change's calendar
        replaces the target's, and is read as the target reads its own: in the
        customer's zone when the target counts there (New York, EST = UTC-5).
        The Saturday calendar says 08:00-18:00 (its own zone: Brussels)."""
        self.contact.tz = "America/New_York"
        agreement = self._agreement(
            [
                self._target("resolution", 8, self.brussels, customer_tz=True),
                self._target("response", 4, self.brussels),
            ]
        )
        in_customer_zone = agreement.target_ids.filtered("customer_tz")
        in_calendar_zone = agreement.target_ids - in_customer_zone
        self._approved(
            agreement,
            "extra_hours",
            utc(2026, 3, 7, 0),
            utc(2026, 3, 8, 12),
            calendar_id=self.saturday.id,
        )
        # Fri 2026-03-06 21:00 UTC = 16:00 EST = 22:00 CET.
        ticket = self._ticket(utc(2026, 3, 6, 21))
        # In New York: 1 h on Friday (to 17:00 EST), then Saturday 08:00 EST
        # (13:00 UTC) + 7 h = 20:00 UTC (15:00 EST). Read in Brussels it
        # would end at 14:00 UTC.
        clock = self._clock(ticket, in_customer_zone)
        self.assertEqual(clock.deadline, utc(2026, 3, 7, 20))
        # The target in its calendar's zone: Saturday 08:00 CET (07:00 UTC)
        # + 4 h = 11:00 UTC.
        self.assertEqual(
            self._clock(ticket, in_calendar_zone).deadline, utc(2026, 3, 7, 11)
        )
        # A customer without a zone: the calendars' own zones, in the same
        # batch (one business time per zone).
        colleague = self.env["res.partner"].create(
            {"name": "T Colleague", "parent_id": self.customer.id, "tz": False}
        )
        other = self._ticket(utc(2026, 3, 6, 21), partner_id=colleague.id)
        with freeze_time(utc(2026, 3, 6, 21, 30)):
            (ticket | other)._slm_sync_clocks()
        self.assertEqual(clock.deadline, utc(2026, 3, 7, 20))
        # 22:00 CET: nothing on Friday; Saturday 08:00 CET + 8 h = 15:00 UTC.
        self.assertEqual(
            self._clock(other, in_customer_zone).deadline, utc(2026, 3, 7, 15)
        )

    def test_extra_hours_across_spring_forward(self):
        """Window Sat 28 Mar 20:00 CET to Sun 29 Mar 06:00 CEST, around the
        clock: 9 real hours (the skipped hour is not gained). Fri 16:00 CET
        + 8 h: 1 h on Friday, then 7 h from Sat 19:00 UTC = Sun 02:00 UTC."""
        agreement = self._agreement([self._target("resolution", 8, self.brussels)])
        self._approved(
            agreement,
            "extra_hours",
            utc(2026, 3, 28, 19),
            utc(2026, 3, 29, 4),
            calendar_id=self.all_day.id,
        )
        ticket = self._ticket(utc(2026, 3, 27, 15))
        self.assertEqual(
            self._clock(ticket, agreement.target_ids).deadline, utc(2026, 3, 29, 2)
        )
        # Used by Sun 05:00 UTC: 1 h Friday + the whole window, 9 h.
        self._refresh(ticket, utc(2026, 3, 29, 5))
        clock = self._clock(ticket, agreement.target_ids)
        self.assertEqual(clock.status, "breached")
        self.assertEqual(clock.used_seconds, 10 * 3600)

    # ------------------------------------------------------------ maintenance

    def test_maintenance_pushes_by_its_business_overlap(self):
        """Mon 09:00 local + 8 h ends Mon 17:00 local; a freeze 12:00-14:00
        local pushes it by 2 business hours, to Tue 10:00 local."""
        agreement = self._agreement([self._target("resolution", 8, self.brussels)])
        self._approved(
            agreement, "maintenance", utc(2026, 3, 2, 11), utc(2026, 3, 2, 13)
        )
        ticket = self._ticket(utc(2026, 3, 2, 8))
        clock = self._clock(ticket, agreement.target_ids)
        self.assertEqual(clock.deadline, utc(2026, 3, 3, 9))
        # At 15:00 local: 09:00-12:00 and 14:00-15:00 counted, 4 h.
        self._refresh(ticket, utc(2026, 3, 2, 14))
        self.assertEqual(clock.used_seconds, 4 * 3600)
        self.assertEqual(clock.status, "running")

    def test_maintenance_partly_outside_business_hours(self):
        """A freeze 16:00-20:00 local overlaps the office hours by 1 h only."""
        agreement = self._agreement([self._target("resolution", 8, self.brussels)])
        self._approved(
            agreement, "maintenance", utc(2026, 3, 2, 15), utc(2026, 3, 2, 19)
        )
        ticket = self._ticket(utc(2026, 3, 2, 8))
        self.assertEqual(
            self._clock(ticket, agreement.target_ids).deadline,
            utc(2026, 3, 3, 8),  # Tue 09:00 local
        )

    def test_maintenance_across_spring_forward_around_the_clock(self):
        """24x7, 8 h from Sat 20:00 UTC; freeze Sat 22:00 CET to Sun 06:00 CEST
        is 7 real hours: 1 h before it, 7 h after Sun 04:00 UTC."""
        agreement = self._agreement([self._target("resolution", 8)])
        self._approved(
            agreement, "maintenance", utc(2026, 3, 28, 21), utc(2026, 3, 29, 4)
        )
        ticket = self._ticket(utc(2026, 3, 28, 20))
        self.assertEqual(
            self._clock(ticket, agreement.target_ids).deadline, utc(2026, 3, 29, 11)
        )

    # ---------------------------------------------------------------- reduced

    def test_reduced_service_for_tickets_created_inside(self):
        """Window Mon 10:00-12:00 local, resolution 8 h -> 16 h; the response
        target is not listed and keeps its 2 h."""
        agreement = self._agreement(
            [
                self._target("resolution", 8, self.brussels),
                self._target("response", 2, self.brussels),
            ]
        )
        resolution = agreement.target_ids.filtered(lambda t: t.metric == "resolution")
        response = agreement.target_ids - resolution
        self._approved(
            agreement,
            "reduced",
            utc(2026, 3, 2, 9),
            utc(2026, 3, 2, 11),
            line_ids=self._lines((resolution, 16)),
        )
        inside = self._ticket(utc(2026, 3, 2, 9, 30))  # 10:30 local
        # 16 h: Mon 10:30-17:00 6.5 h, Tue 9 h, Wed 08:00 + 0.5 h.
        clock = self._clock(inside, resolution)
        self.assertEqual(clock.deadline, utc(2026, 3, 4, 7, 30))
        # Warning at 75 % = 12 h: Mon 6.5 h, Tue 08:00 + 5.5 h = 13:30 local.
        self.assertEqual(clock.warning_at, utc(2026, 3, 3, 12, 30))
        self.assertEqual(
            self._clock(inside, response).deadline, utc(2026, 3, 2, 11, 30)
        )
        # One minute before the window: 8 h (Mon 7 h 01, Tue 08:00 + 59 min).
        before = self._ticket(utc(2026, 3, 2, 8, 59))
        self.assertEqual(
            self._clock(before, resolution).deadline, utc(2026, 3, 3, 7, 59)
        )
        # At the end of the window (excluded): 8 h (Mon 5 h, Tue 08:00 + 3 h).
        at_end = self._ticket(utc(2026, 3, 2, 11))
        self.assertEqual(self._clock(at_end, resolution).deadline, utc(2026, 3, 3, 10))

    def test_reduced_service_of_a_lower_level_for_an_inherited_target(self):
        """A customer-level SLA inherits the corporate 8 h target; its reduced
        service (16 h) applies to its customer's tickets, and the corporate
        level's own reduced service (24 h) to the tickets the corporate level
        governs: each ticket follows the agreement that governs it."""
        corporate = self._agreement(
            [self._target("resolution", 8, self.brussels)],
            name="T Corporate",
            structure="multi_level",
            level="corporate",
        )
        target = corporate.target_ids
        customer_level = self._agreement(
            [],
            name="T Customer level",
            structure="multi_level",
            level="customer",
            parent_id=corporate.id,
            partner_id=self.customer.id,
        )
        self.assertEqual(customer_level._effective_targets(), target)
        window = (utc(2026, 3, 2, 9), utc(2026, 3, 2, 11))
        self._approved(
            customer_level, "reduced", *window, line_ids=self._lines((target, 16))
        )
        self._approved(
            corporate, "reduced", *window, line_ids=self._lines((target, 24))
        )
        ours = self._ticket(utc(2026, 3, 2, 9, 30))
        other = self._ticket(utc(2026, 3, 2, 9, 30), partner_id=self.other_customer.id)
        # 16 h from Mon 10:30 local: Wed 08:30 local.
        self.assertEqual(self._clock(ours, target).deadline, utc(2026, 3, 4, 7, 30))
        # 24 h: Mon 6.5 h, Tue 9 h, Wed 08:00 + 8.5 h = 16:30 local.
        self.assertEqual(self._clock(other, target).deadline, utc(2026, 3, 4, 15, 30))

    def test_higher_level_changes_reach_lower_levels(self):
        """A corporate freeze (Mon 12:00-14:00 local) reaches the tickets a
        customer level governs, on its own targets too; the customer level's
        freeze (14:30-15:30 local) does not reach the corporate level's."""
        corporate = self._agreement(
            [self._target("resolution", 8, self.brussels)],
            name="T Corporate",
            structure="multi_level",
            level="corporate",
        )
        customer_level = self._agreement(
            [
                self._target(
                    "resolution",
                    4,
                    self.brussels,
                    parent_target_id=corporate.target_ids.id,
                )
            ],
            name="T Customer level",
            structure="multi_level",
            level="customer",
            parent_id=corporate.id,
            partner_id=self.customer.id,
        )
        ours = self._ticket(utc(2026, 3, 2, 8))  # Mon 09:00 local
        other = self._ticket(utc(2026, 3, 2, 8), partner_id=self.other_customer.id)
        own = self._clock(ours, customer_level.target_ids)
        inherited = self._clock(other, corporate.target_ids)
        self.assertEqual(own.deadline, utc(2026, 3, 2, 12))  # 13:00 local
        self.assertEqual(inherited.deadline, utc(2026, 3, 2, 16))
        at = utc(2026, 3, 2, 8, 30)
        self._approved(
            corporate, "maintenance", utc(2026, 3, 2, 11), utc(2026, 3, 2, 13), at=at
        )
        self._approved(
            customer_level,
            "maintenance",
            utc(2026, 3, 2, 13, 30),
            utc(2026, 3, 2, 14, 30),
            at=at,
        )
        # 4 h: 09:00-12:00, 14:00-14:30, 15:30-16:00 local.
        self.assertEqual(own.deadline, utc(2026, 3, 2, 15))
        # 8 h: 09:00-12:00, 14:00-17:00, Tue 08:00-10:00 local.
        self.assertEqual(inherited.deadline, utc(2026, 3, 3, 9))

    # ------------------------------------------------------ which ones apply

    def test_only_approved_changes_apply(self):
        """Draft, submitted, refused and cancelled changes leave the clocks alone."""
        agreement = self._agreement([self._target("resolution", 8, self.brussels)])
        target = agreement.target_ids
        ticket = self._ticket(utc(2026, 3, 2, 8))
        clock = self._clock(ticket, target)
        usual, frozen = utc(2026, 3, 2, 16), utc(2026, 3, 3, 9)
        window = (utc(2026, 3, 2, 11), utc(2026, 3, 2, 13))
        at = utc(2026, 3, 2, 9)
        first = self._draft(agreement, "maintenance", *window)
        self._refresh(ticket, at)
        self.assertEqual(clock.deadline, usual, "draft")
        first.with_user(self.owner).action_submit()
        self._refresh(ticket, at)
        self.assertEqual(clock.deadline, usual, "submitted")
        first.with_user(self.manager).action_refuse()
        self._refresh(ticket, at)
        self.assertEqual(clock.deadline, usual, "refused")
        # A refused change does not block another one on the same window.
        second = self._approved(agreement, "maintenance", *window, at=at)
        self.assertEqual(clock.deadline, frozen, "approved")
        with freeze_time(at):
            second.with_user(self.manager).action_cancel()
        self.assertEqual(second.state, "cancelled")
        self.assertEqual(clock.deadline, usual, "cancelled: recomputed back")

    def test_other_agreements_are_not_changed(self):
        """A freeze of the OLA of the second line pushes its clock on the
        ticket, not the SLA's clock on the same ticket."""
        sla = self._agreement([self._target("resolution", 8, self.brussels)])
        ola = self._agreement(
            [self._target("resolution", 8, self.brussels)],
            name="T Second line OLA",
            kind="ola",
            team_id=self.team_2.id,
        )
        self._approved(ola, "maintenance", utc(2026, 3, 2, 11), utc(2026, 3, 2, 13))
        ticket = self._ticket(utc(2026, 3, 2, 8), team_id=self.team_2.id)
        self.assertEqual(
            self._clock(ticket, sla.target_ids).deadline, utc(2026, 3, 2, 16)
        )
        self.assertEqual(
            self._clock(ticket, ola.target_ids).deadline, utc(2026, 3, 3, 9)
        )

    # ---------------------------------------------- approval and settled clocks

    def test_approval_recomputes_running_clocks_not_settled_ones(self):
        """A freeze from Fri 27 Feb 08:00 to Mon 2 Mar 12:00 local, approved on
        Mon 2 Mar 13:00 local; a 16 h target."""
        agreement = self._agreement([self._target("resolution", 16, self.brussels)])
        target = agreement.target_ids
        # Breached: Thu 26 Feb 09:00 local + 16 h = Fri 16:00 local.
        breached = self._ticket(utc(2026, 2, 26, 8))
        # Met: same start, closed Fri 10:00 local (10 h used).
        met = self._ticket(utc(2026, 2, 26, 8))
        self._at(utc(2026, 2, 27, 9), met, stage_id=self.stage_done.id)
        # Running: Mon 2 Mar 09:00 local; 16 h end Tue 16:00 local.
        running = self._ticket(utc(2026, 3, 2, 8))
        now = utc(2026, 3, 2, 12)
        self._refresh(breached, now)
        self.assertEqual(self._clock(breached, target).status, "breached")
        self.assertEqual(self._clock(met, target).status, "met")
        self.assertEqual(self._clock(running, target).deadline, utc(2026, 3, 3, 15))

        adjustment = self._approved(
            agreement,
            "maintenance",
            utc(2026, 2, 27, 7),
            utc(2026, 3, 2, 11),
            at=now,
        )
        # Running: only Mon 12:00-17:00 (5 h) and Tue (9 h) count before
        # Wed 08:00 + 2 h = 10:00 local.
        self.assertEqual(self._clock(running, target).deadline, utc(2026, 3, 4, 9))
        # Settled clocks keep their result and deadline (clock rule 11).
        for ticket, status in ((breached, "breached"), (met, "met")):
            clock = self._clock(ticket, target)
            self.assertEqual(clock.status, status)
            self.assertEqual(clock.deadline, utc(2026, 2, 27, 15))
        self.assertIn(
            "Clocks recomputed", adjustment.message_ids[:1].body or "", "logged"
        )
        # A person's recomputation applies the change to a settled clock:
        # Thu 8 h, Friday frozen, Mon 12:00-13:00 local: 9 h used, and
        # Tue 08:00 + 3 h = 11:00 local.
        with freeze_time(now):
            self._person_recomputes(breached)
        clock = self._clock(breached, target)
        self.assertEqual(clock.status, "running")
        self.assertEqual(clock.used_seconds, 9 * 3600)
        self.assertEqual(clock.deadline, utc(2026, 3, 3, 10))

    def test_no_query_per_clock(self):
        """The changes are loaded once per batch, whatever its size."""
        agreement = self._agreement([self._target("resolution", 8, self.brussels)])
        self._approved(
            agreement, "maintenance", utc(2026, 3, 2, 11), utc(2026, 3, 2, 13)
        )
        tickets = self.env["helpdesk.ticket"]
        for minute in range(12):
            tickets |= self._ticket(utc(2026, 3, 2, 8, minute))
        Clock = self.env["slm.clock"]
        target = agreement.target_ids

        def queries(batch):
            batch = self.env["helpdesk.ticket"].browse(batch.ids)
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            values = Clock._compute_values([(t, target) for t in batch])
            self.assertEqual(values[0]["deadline"], utc(2026, 3, 3, 9))
            return self.env.cr.sql_log_count - before

        # The calendar's working time is kept in the registry's cache: the
        # first batch fills it.
        queries(tickets[:1])
        self.assertEqual(queries(tickets[:3]), queries(tickets))


@tagged("post_install", "-at_install")
class TestAdjustmentWorkflow(AdjustmentCase):
    """Four-eyes approval, frozen once approved, and bad input (nothing written)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agreement = cls._agreement(
            [
                cls._target("resolution", 8, cls.brussels),
                cls._target("response", 2, cls.brussels),
            ]
        )
        cls.window = (utc(2026, 3, 2, 11), utc(2026, 3, 2, 13))

    def _count(self):
        return self.Adjustment.search_count([])

    def test_workflow_records_who_and_when(self):
        adjustment = self._draft(self.agreement, "maintenance", *self.window)
        self.assertEqual(adjustment.requested_by_id, self.owner)
        with freeze_time(utc(2026, 2, 1, 10)):
            adjustment.with_user(self.owner).action_submit()
        self.assertEqual(adjustment.state, "submitted")
        self.assertEqual(adjustment.submitted_by_id, self.owner)
        self.assertEqual(adjustment.submitted_date, utc(2026, 2, 1, 10))
        # The agreement's Service Level Manager gets a to-do.
        self.assertEqual(
            adjustment.activity_ids.user_id, self.agreement.provider_user_id
        )
        adjustment.with_user(self.owner).action_to_draft()
        self.assertEqual(adjustment.state, "draft")
        self.assertFalse(adjustment.activity_ids)
        adjustment.with_user(self.owner).action_submit()
        with freeze_time(utc(2026, 2, 2, 10)):
            adjustment.with_user(self.manager_2).action_approve()
        self.assertEqual(adjustment.state, "approved")
        self.assertEqual(adjustment.approved_by_id, self.manager_2)
        self.assertEqual(adjustment.approved_date, utc(2026, 2, 2, 10))
        self.assertFalse(adjustment.activity_ids)
        self.assertEqual(self.agreement.adjustment_count, 1)

    def test_fill_lines_from_the_targets(self):
        adjustment = self._draft(self.agreement, "reduced", *self.window)
        adjustment.with_user(self.owner).action_fill_lines()
        self.assertEqual(adjustment.line_ids.target_id, self.agreement.target_ids)
        self.assertEqual(
            sorted(adjustment.line_ids.mapped("threshold_hours")), [2.0, 8.0]
        )
        # Again: nothing new.
        adjustment.with_user(self.owner).action_fill_lines()
        self.assertEqual(len(adjustment.line_ids), 2)

    def test_form(self):
        """The form: a line gets its target's usual threshold; another kind
        drops the lines."""
        target = self.agreement.target_ids.filtered(lambda t: t.metric == "resolution")
        with Form(self.Adjustment.with_user(self.owner)) as form:
            form.name = "T form"
            form.agreement_id = self.agreement
            form.kind = "reduced"
            form.date_start = utc(2026, 4, 1, 8)
            form.date_end = utc(2026, 4, 1, 12)
            form.reason = "Move"
            with form.line_ids.new() as line:
                line.target_id = target
                self.assertEqual(line.threshold_hours, 8)
                line.threshold_hours = 12
        adjustment = form.record
        self.assertEqual(adjustment.line_ids.threshold_hours, 12)
        self.assertEqual(adjustment.duration_hours, 4)
        self.assertEqual(adjustment.allowed_target_ids, self.agreement.target_ids)
        with Form(adjustment.with_user(self.owner)) as form:
            form.kind = "maintenance"
        self.assertFalse(adjustment.line_ids)

    def test_current_upcoming_past(self):
        past = self._draft(
            self.agreement, "maintenance", utc(2026, 3, 1), utc(2026, 3, 2)
        )
        current = self._draft(
            self.agreement, "maintenance", utc(2026, 3, 2), utc(2026, 3, 3)
        )
        upcoming = self._draft(
            self.agreement, "maintenance", utc(2026, 3, 3), utc(2026, 3, 4)
        )
        mine = past | current | upcoming
        with freeze_time(utc(2026, 3, 2, 12)):
            for state, expected in (
                ("past", past),
                ("current", current),
                ("upcoming", upcoming),
            ):
                with self.subTest(state):
                    found = self.Adjustment.search(
                        [("id", "in", mine.ids), ("window_state", "=", state)]
                    )
                    self.assertEqual(found, expected)
                    self.assertEqual(expected.window_state, state)
                    self.env.invalidate_all()
            self.assertEqual(
                self.Adjustment.search(
                    [("id", "in", mine.ids), ("window_state", "!=", "current")]
                ),
                past | upcoming,
            )

    def test_window_must_end_after_it_starts(self):
        count = self._count()
        for end in (utc(2026, 3, 2, 11), utc(2026, 3, 2, 10)):
            with self.assertRaisesText(ValidationError, "must end after it starts"):
                self._draft(self.agreement, "maintenance", utc(2026, 3, 2, 11), end)
        self.assertEqual(self._count(), count)
        adjustment = self._draft(self.agreement, "maintenance", *self.window)
        with self.assertRaisesText(ValidationError, "must end after it starts"):
            adjustment.with_user(self.owner).write({"date_end": utc(2026, 3, 1)})
        self.assertEqual(adjustment.date_end, self.window[1])

    def test_no_overlap_of_the_same_kind(self):
        first = self._draft(self.agreement, "maintenance", *self.window)
        count = self._count()
        with self.assertRaisesText(ValidationError, "overlaps"):
            self._draft(
                self.agreement, "maintenance", utc(2026, 3, 2, 12), utc(2026, 3, 2, 14)
            )
        self.assertEqual(self._count(), count)
        # Touching windows do not overlap ([start, end)); another kind may overlap.
        self._draft(
            self.agreement, "maintenance", utc(2026, 3, 2, 13), utc(2026, 3, 2, 15)
        )
        self._draft(
            self.agreement, "extra_hours", *self.window, calendar_id=self.all_day.id
        )
        # Moving an existing one onto another is refused too.
        other = self._draft(
            self.agreement, "maintenance", utc(2026, 3, 3, 11), utc(2026, 3, 3, 13)
        )
        with self.assertRaisesText(ValidationError, "overlaps"):
            other.with_user(self.owner).write({"date_start": utc(2026, 3, 2, 10)})
        self.assertEqual(other.date_start, utc(2026, 3, 3, 11))
        # Once the first is refused, its window is free again.
        first.with_user(self.owner).action_submit()
        first.with_user(self.manager).action_refuse()
        self._draft(
            self.agreement, "maintenance", utc(2026, 3, 2, 12), utc(2026, 3, 2, 12, 30)
        )
        # ... and it cannot come back to draft over the new one.
        with self.assertRaisesText(ValidationError, "overlaps"):
            first.with_user(self.owner).action_to_draft()
        self.assertEqual(first.state, "refused")

    def test_extra_hours_need_a_calendar(self):
        count = self._count()
        with self.assertRaisesText(ValidationError, "choose the calendar"):
            self._draft(self.agreement, "extra_hours", *self.window)
        self.assertEqual(self._count(), count)

    def test_reduced_service_needs_thresholds(self):
        adjustment = self._draft(self.agreement, "reduced", *self.window)
        with self.assertRaisesText(UserError, "without thresholds"):
            adjustment.with_user(self.owner).action_submit()
        self.assertEqual(adjustment.state, "draft")
        target = self.agreement.target_ids[0]
        Line = self.env["slm.adjustment.line"].with_user(self.owner)
        for hours in (0, -2):
            with self.assertRaisesText(ValidationError, "more than 0 hours"):
                Line.create(
                    {
                        "adjustment_id": adjustment.id,
                        "target_id": target.id,
                        "threshold_hours": hours,
                    }
                )
        self.assertFalse(adjustment.line_ids)
        line = Line.create(
            {
                "adjustment_id": adjustment.id,
                "target_id": target.id,
                "threshold_hours": 12,
            }
        )
        with self.assertRaisesText(ValidationError, "more than 0 hours"):
            line.write({"threshold_hours": 0})
        self.assertEqual(line.threshold_hours, 12)

    def test_line_target_must_be_of_the_agreement(self):
        other = self._agreement(
            [self._target("resolution", 4, self.brussels)],
            name="T Other",
            kind="ola",
            team_id=self.team_2.id,
        )
        adjustment = self._draft(self.agreement, "reduced", *self.window)
        with self.assertRaisesText(ValidationError, "is not a target of"):
            adjustment.with_user(self.owner).write(
                {"line_ids": self._lines((other.target_ids, 6))}
            )
        self.assertFalse(adjustment.line_ids)
        count = self._count()
        with self.assertRaisesText(ValidationError, "is not a target of"):
            self._draft(
                self.agreement,
                "reduced",
                utc(2026, 4, 1),
                utc(2026, 4, 2),
                line_ids=self._lines((other.target_ids, 6)),
            )
        self.assertEqual(self._count(), count)

    def test_reason_required_to_submit(self):
        adjustment = self._draft(
            self.agreement, "maintenance", *self.window, reason=" "
        )
        with self.assertRaisesText(UserError, "Give the reason"):
            adjustment.with_user(self.owner).action_submit()
        self.assertEqual(adjustment.state, "draft")

    def test_approved_change_is_frozen(self):
        adjustment = self._approved(
            self.agreement,
            "reduced",
            *self.window,
            line_ids=self._lines((self.agreement.target_ids[0], 12)),
        )
        for vals in (
            {"date_end": utc(2026, 3, 2, 14)},
            {"name": "Renamed"},
            {"reason": "Other"},
        ):
            with self.assertRaisesText(UserError, "has been approved"):
                adjustment.with_user(self.manager).write(vals)
        self.assertEqual(adjustment.date_end, self.window[1])
        self.assertEqual(adjustment.name, "T reduced")
        with self.assertRaisesText(UserError, "cannot change"):
            adjustment.line_ids.with_user(self.manager).write({"threshold_hours": 1})
        self.assertEqual(adjustment.line_ids.threshold_hours, 12)
        with self.assertRaisesText(UserError, "stays in the records"):
            adjustment.with_user(self.manager).unlink()
        with self.assertRaisesText(UserError, "only through its buttons"):
            adjustment.with_user(self.manager).write({"state": "draft"})
        self.assertEqual(adjustment.state, "approved")
        # Cancelled, it stays frozen; a copy is a new draft.
        adjustment.with_user(self.manager).action_cancel()
        with self.assertRaisesText(UserError, "is cancelled"):
            adjustment.with_user(self.manager).write({"date_end": utc(2026, 3, 2, 14)})
        copy = adjustment.with_user(self.manager).copy()
        self.assertEqual((copy.state, copy.requested_by_id), ("draft", self.manager))
        self.assertEqual(copy.line_ids.threshold_hours, 12)

    def test_submitted_change_is_locked(self):
        adjustment = self._draft(self.agreement, "maintenance", *self.window)
        adjustment.with_user(self.owner).action_submit()
        with self.assertRaisesText(UserError, "no longer a draft"):
            adjustment.with_user(self.owner).write({"date_end": utc(2026, 3, 2, 14)})
        self.assertEqual(adjustment.date_end, self.window[1])

    def test_nobody_approves_their_own_request(self):
        mine = self._draft(
            self.agreement, "maintenance", *self.window, user=self.manager
        )
        mine.with_user(self.manager).action_submit()
        with self.assertRaisesText(UserError, "another Service Level Manager"):
            mine.with_user(self.manager).action_approve()
        self.assertEqual(mine.state, "submitted")
        self.assertFalse(mine.approved_by_id)
        # Submitted by someone else for them: still theirs.
        theirs = self._draft(
            self.agreement,
            "extra_hours",
            *self.window,
            user=self.manager_2,
            calendar_id=self.all_day.id,
        )
        theirs.with_user(self.manager_2).action_submit()
        with self.assertRaisesText(UserError, "another Service Level Manager"):
            theirs.with_user(self.manager_2).action_approve()
        theirs.with_user(self.manager).action_approve()
        self.assertEqual(theirs.approved_by_id, self.manager)

    def test_new_change_starts_as_draft(self):
        count = self._count()
        with self.assertRaisesText(UserError, "starts as a draft"):
            self._draft(self.agreement, "maintenance", *self.window, state="approved")
        self.assertEqual(self._count(), count)


@tagged("post_install", "-at_install")
class TestAdjustmentAccess(AccessCheckMixin, AdjustmentCase):
    """Service owners request, Service Level Managers approve, others read."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agreement = cls._agreement([cls._target("resolution", 8, cls.brussels)])
        cls.outsider = new_test_user(
            cls.env,
            "slm_adj_outsider",
            "base.group_user",
            context={"no_reset_password": True},
        )

    def test_analyst_reads_but_cannot_request_or_approve(self):
        adjustment = self._draft(
            self.agreement, "maintenance", utc(2026, 3, 2, 11), utc(2026, 3, 2, 13)
        )
        adjustment.with_user(self.owner).action_submit()
        self.assertTrue(self._can(self.analyst, "read", adjustment))
        self.assertFalse(self._can(self.analyst, "write", adjustment))
        self.assertFalse(
            self._can(
                self.analyst,
                "create",
                self.Adjustment,
                {
                    "name": "X",
                    "agreement_id": self.agreement.id,
                    "kind": "maintenance",
                    "date_start": utc(2026, 4, 1),
                    "date_end": utc(2026, 4, 2),
                },
            )
        )
        with self.assertRaisesText(AccessError, "Only a Service Level Manager"):
            adjustment.with_user(self.analyst).action_approve()
        with self.assertRaisesText(AccessError, "Only a Service Level Manager"):
            adjustment.with_user(self.owner).action_approve()
        self.assertEqual(adjustment.state, "submitted")

    def test_service_owners_edit_their_own_requests_only(self):
        adjustment = self._draft(
            self.agreement, "maintenance", utc(2026, 3, 2, 11), utc(2026, 3, 2, 13)
        )
        self.assertTrue(self._can(self.owner, "write", adjustment))
        self.assertFalse(self._can(self.owner_2, "write", adjustment))
        self.assertTrue(self._can(self.owner_2, "read", adjustment))
        self.assertFalse(self._can(self.owner, "unlink", adjustment))
        self.assertTrue(self._can(self.manager, "write", adjustment))
        self.assertTrue(self._can(self.manager, "unlink", adjustment))
        with self.assertRaisesText(AccessError, "Only the requester"):
            adjustment.with_user(self.owner_2).action_cancel()
        self.assertEqual(adjustment.state, "draft")

    def test_service_owners_request_changes_for_their_own_services_only(self):
        """owner_2 owns no service of the agreement: no request of theirs."""
        with self.assertRaises(AccessError):
            self._draft(
                self.agreement,
                "maintenance",
                utc(2026, 3, 2, 11),
                utc(2026, 3, 2, 13),
                user=self.owner_2,
            )
        adjustment = self._draft(
            self.agreement, "maintenance", utc(2026, 3, 2, 11), utc(2026, 3, 2, 13)
        )
        # A request stays the requester's only while the service is theirs.
        self.service.owner_id = self.owner_2
        self.assertFalse(self._can(self.owner, "write", adjustment))
        self.assertFalse(self._can(self.owner_2, "write", adjustment))
        self.assertTrue(self._can(self.manager, "write", adjustment))

    def test_agents_read_outsiders_do_not(self):
        adjustment = self._draft(
            self.agreement, "maintenance", utc(2026, 3, 2, 11), utc(2026, 3, 2, 13)
        )
        self.assertTrue(self._can(self.agent, "read", adjustment))
        self.assertFalse(self._can(self.agent, "write", adjustment))
        self.assertFalse(self._can(self.outsider, "read", adjustment))

    def test_only_managers_cancel_an_approved_change(self):
        adjustment = self._approved(
            self.agreement, "maintenance", utc(2026, 3, 2, 11), utc(2026, 3, 2, 13)
        )
        with self.assertRaisesText(AccessError, "Only a Service Level Manager"):
            adjustment.with_user(self.owner).action_cancel()
        self.assertEqual(adjustment.state, "approved")
        adjustment.with_user(self.manager_2).action_cancel()
        self.assertEqual(adjustment.state, "cancelled")


# ----------------------------------------------------------------------------
# The composed business time against a minute-by-minute model
# ----------------------------------------------------------------------------
#
# The model, from the definition of a temporary change: a minute counts when it
# lies in no maintenance window and, if it lies in one or more extra-hours
# windows, one of their calendars counts it; otherwise the usual calendar
# counts it. ``None`` stands for around the clock.

MINUTE = dt.timedelta(minutes=1)
ORIGIN = dt.datetime(2026, 3, 27)  # Friday before the Brussels spring-forward
HORIZON = 3 * 1440  # minutes after ORIGIN in which the intervals lie


def _in(pairs, minute):
    return any(start <= minute < end for start, end in pairs)


def model_counts(base, overrides, removed, minute):
    """Whether ``minute`` counts. ``base`` and each override's hours are
    functions minute -> bool."""
    if _in(removed, minute):
        return False
    inside = [hours for start, end, hours in overrides if start <= minute < end]
    if inside:
        return any(hours(minute) for hours in inside)
    return base(minute)


def model_elapsed(counts, start, end):
    return sum(1 for minute in range(start, end) if counts(minute))


def model_add(counts, start, amount, cap):
    """First minute t with ``amount`` counted minutes in [start, t); None when
    not reached by ``cap``."""
    counted, minute = 0, start
    while counted < amount:
        if minute >= cap:
            return None
        counted += counts(minute)
        minute += 1
    return minute


@st.composite
def minute_hours(draw):
    """Random working intervals (15-minute grid) inside the horizon, or None
    (around the clock)."""
    if draw(st.integers(0, 4)) == 0:
        return None
    points = sorted(
        draw(st.lists(st.integers(0, HORIZON // 15), max_size=10, unique=True))
    )
    points = points[: len(points) // 2 * 2]
    return [(15 * points[i], 15 * points[i + 1]) for i in range(0, len(points), 2)]


@st.composite
def minute_windows(draw, max_size=3):
    """Windows of minutes in the horizon; they may overlap each other."""
    windows = []
    for _i in range(draw(st.integers(0, max_size))):
        start = draw(st.integers(0, HORIZON - 1))
        end = draw(st.integers(start + 1, min(HORIZON, start + 1440)))
        windows.append((start, end))
    return windows


def _hours_function(pairs):
    if pairs is None:
        return lambda minute: True
    return lambda minute: _in(pairs, minute)


def _model(base, overrides, removed):
    """The model's ``counts(minute)`` for intervals given in minutes."""
    hours = [(s, e, _hours_function(h)) for s, e, h in overrides]
    base_hours = _hours_function(base)

    def counts(minute):
        return model_counts(base_hours, hours, removed, minute)

    return counts


def _engine_time(pairs):
    """A BusinessTime whose fetch returns ``pairs`` (minutes after ORIGIN)."""
    from ..tools.business_time import BusinessTime

    if pairs is None:
        return BusinessTime.around_the_clock()

    def fetch(start, end):
        result = []
        for first, last in pairs:
            begin, stop = ORIGIN + first * MINUTE, ORIGIN + last * MINUTE
            if begin < end and stop > start:
                result.append((max(begin, start), min(stop, end)))
        return result

    return BusinessTime(fetch)


@tagged("post_install", "-at_install")
class TestComposedBusinessTime(TransactionCase):
    """``BusinessTime.composed`` == the model, on random intervals and windows,
    then on real calendars across daylight-saving changes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        leaves = cls.env["resource.calendar.leaves"].search(
            [
                ("calendar_id", "=", False),
                ("resource_id", "=", False),
                ("time_type", "=", "leave"),
            ]
        )
        cls.shared_holidays = tuple((lv.date_from, lv.date_to) for lv in leaves)

    def _composed(self, base, overrides, removed):
        from ..tools.business_time import BusinessTime

        return BusinessTime.composed(
            _engine_time(base),
            [
                (ORIGIN + s * MINUTE, ORIGIN + e * MINUTE, _engine_time(h))
                for s, e, h in overrides
            ],
            [(ORIGIN + s * MINUTE, ORIGIN + e * MINUTE) for s, e in removed],
        )

    def test_hand_worked(self):
        """Office 09:00-17:00 on day 0; extra hours 20:00-22:00 around the clock;
        freeze 10:00-11:00: 7 h + 2 h = 9 h on day 0."""
        office = [(9 * 60, 17 * 60)]
        overrides = [(20 * 60, 22 * 60, None)]
        removed = [(10 * 60, 11 * 60)]
        bt = self._composed(office, overrides, removed)
        self.assertEqual(bt.elapsed(ORIGIN, ORIGIN + dt.timedelta(days=1)), 9 * 3600)
        # 8 h from 09:00: 09-10, 11-17 (7 h), then 20:00 + 1 h.
        self.assertEqual(
            bt.add(ORIGIN + 9 * 60 * MINUTE, 8 * 3600), ORIGIN + 21 * 60 * MINUTE
        )
        counts = _model(office, overrides, removed)
        self.assertEqual(model_elapsed(counts, 0, 1440), 9 * 60)
        self.assertEqual(model_add(counts, 9 * 60, 8 * 60, 1440), 21 * 60)

    @settings(max_examples=300, **SETTINGS)
    @given(
        minute_hours(),
        st.lists(st.tuples(minute_windows(1), minute_hours()), max_size=3),
        minute_windows(),
        st.integers(0, HORIZON),
        st.integers(0, HORIZON),
        st.integers(0, 1440),
    )
    def test_property_random_intervals(self, base, raw, removed, a, b, amount):
        overrides = [(w[0][0], w[0][1], h) for w, h in raw if w]
        counts = _model(base, overrides, removed)
        bt = self._composed(base, overrides, removed)
        a, b = min(a, b), max(a, b)
        what = f"base={base} overrides={overrides} removed={removed}"
        self.assertEqual(
            bt.elapsed(ORIGIN + a * MINUTE, ORIGIN + b * MINUTE),
            model_elapsed(counts, a, b) * 60,
            f"elapsed({a}, {b}) {what}",
        )
        expected = model_add(counts, a, amount, HORIZON + amount + 1)
        if expected is None:
            from ..tools.business_time import NoBusinessTimeError

            with self.assertRaises(NoBusinessTimeError, msg=what):
                bt.add(ORIGIN + a * MINUTE, amount * 60)
        else:
            self.assertEqual(
                bt.add(ORIGIN + a * MINUTE, amount * 60),
                ORIGIN + expected * MINUTE,
                f"add({a}, {amount} min) {what}",
            )

    # --------------------------------------------- real calendars, across DST

    def _real(self, calendar):
        """(engine BusinessTime on a real resource.calendar, model function)."""
        from ..tools.business_time import BusinessTime

        if calendar.around_the_clock:
            return BusinessTime.around_the_clock(), lambda minute: True
        record = self.env["resource.calendar"].create(
            {
                "name": f"Composed {calendar.tz}",
                "tz": calendar.tz,
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": f"{weekday} {hour_from}-{hour_to}",
                            "dayofweek": str(weekday),
                            "hour_from": hour_from,
                            "hour_to": hour_to,
                            "day_period": "morning",
                        }
                    )
                    for weekday, hour_from, hour_to in calendar.attendances
                ],
                "global_leave_ids": [Command.clear()],
            }
        )
        for date_from, date_to in calendar.holiday_intervals_utc():
            self.env["resource.calendar.leaves"].create(
                {
                    "name": "Composed holiday",
                    "calendar_id": record.id,
                    "resource_id": False,
                    "date_from": date_from,
                    "date_to": date_to,
                }
            )
        # Public holidays of every calendar (calendar_id False) apply too.
        model = dataclasses.replace(
            calendar, holidays_utc=calendar.holidays_utc + self.shared_holidays
        )
        return BusinessTime.for_calendar(record), model.is_open

    @settings(max_examples=40, **SETTINGS)
    @given(st.data())
    def test_property_real_calendars_across_dst(self, data):
        from ..tools.business_time import BusinessTime

        tz = data.draw(st.sampled_from(sorted(DST_CHANGES)))
        change = data.draw(st.sampled_from(DST_CHANGES[tz]))
        origin = change - dt.timedelta(days=2)
        base = data.draw(calendars(tz, change))
        raw_overrides = data.draw(
            st.lists(st.tuples(minute_windows(1), calendars(tz, change)), max_size=2)
        )
        removed = data.draw(minute_windows(2))
        start = data.draw(st.integers(0, HORIZON))
        span = data.draw(st.integers(0, HORIZON))
        amount = data.draw(st.integers(0, 600))
        with self.env.cr.savepoint():
            base_bt, base_model = self._real(base)
            overrides, model_overrides = [], []
            for windows, calendar in raw_overrides:
                if not windows:
                    continue
                (first, last), (bt, model) = windows[0], self._real(calendar)
                overrides.append((origin + first * MINUTE, origin + last * MINUTE, bt))
                model_overrides.append((first, last, model))
            composed = BusinessTime.composed(
                base_bt,
                overrides,
                [(origin + s * MINUTE, origin + e * MINUTE) for s, e in removed],
            )

            def counts(minute):
                return model_counts(
                    lambda m: base_model(origin + m * MINUTE),
                    [
                        (s, e, lambda m, f=f: f(origin + m * MINUTE))
                        for s, e, f in model_overrides
                    ],
                    removed,
                    minute,
                )

            what = f"tz={tz} base={base} overrides={raw_overrides} removed={removed}"
            self.assertEqual(
                composed.elapsed(
                    origin + start * MINUTE, origin + (start + span) * MINUTE
                ),
                model_elapsed(counts, start, start + span) * 60,
                f"elapsed from {start} for {span} min: {what}",
            )
            expected = model_add(counts, start, amount, start + 20 * 1440)
            if expected is not None:
                self.assertEqual(
                    composed.add(origin + start * MINUTE, amount * 60),
                    origin + expected * MINUTE,
                    f"add({start}, {amount} min): {what}",
                )


@tagged("post_install", "-at_install")
class TestAdjustmentDemo(TransactionCase):
    """The demo changes tell the four-eyes story (skipped without demo data)."""

    def test_demo_changes(self):
        saturday = self.env.ref(
            "slm_agreements.demo_adjustment_erp_saturday", raise_if_not_found=False
        )
        if not saturday:
            self.skipTest("no demo data")
        upgrade = self.env.ref("slm_agreements.demo_adjustment_erp_upgrade")
        relocation = self.env.ref("slm_agreements.demo_adjustment_deco_relocation")
        demo, admin = self.env.ref("base.user_demo"), self.env.ref("base.user_admin")
        for change in saturday | upgrade:
            self.assertEqual(change.state, "approved")
            self.assertEqual(change.requested_by_id, demo)
            self.assertEqual(change.approved_by_id, admin)
        self.assertEqual(relocation.state, "submitted")
        # It reduces an inherited corporate target too.
        self.assertIn(
            self.env.ref("slm_agreements.demo_target_corporate_p3_response"),
            relocation.line_ids.target_id,
        )
        self.assertEqual(
            relocation.activity_ids.user_id, relocation.agreement_id.provider_user_id
        )
