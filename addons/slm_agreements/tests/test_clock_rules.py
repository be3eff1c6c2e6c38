# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Hand-worked cases, one or more per clock rule of the readme.

2026-03-02 is a Monday. Brussels is UTC+1 until 2026-03-29 02:00 local, then
UTC+2. New York is UTC-4 until 2026-11-01 02:00 local, then UTC-5.
"""

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tests.common import new_test_user

from .common import SlmClockCase, utc

H = 3600


@tagged("post_install", "-at_install")
class TestClockBusinessTime(SlmClockCase):
    """Rule 5 and 6: business hours, nights, weekends, holidays, DST."""

    def _resolution_deadline(self, calendar, created, hours):
        agreement = self._agreement([self._target("resolution", hours, calendar)])
        ticket = self._ticket(created)
        clock = self._clock(ticket, agreement.target_ids)
        self.assertEqual(clock.status, "running")
        return clock.deadline

    def test_across_the_night(self):
        # Mon 16:00 local + 4 business hours: 1 h on Monday, 3 h from Tue 08:00.
        self.assertEqual(
            self._resolution_deadline(self.brussels, utc(2026, 3, 2, 15), 4),
            utc(2026, 3, 3, 10),  # Tue 11:00 local
        )

    def test_across_the_weekend(self):
        # Fri 15:00 local + 4 h: 2 h on Friday, 2 h from Monday 08:00 -> Mon 10:00.
        self.assertEqual(
            self._resolution_deadline(self.brussels, utc(2026, 3, 6, 14), 4),
            utc(2026, 3, 9, 9),
        )

    def test_public_holiday_is_skipped(self):
        # Monday 2026-03-09 is a public holiday (the whole local day).
        self._holiday(self.brussels, "2026-03-08 23:00:00", "2026-03-09 23:00:00")
        self.assertEqual(
            self._resolution_deadline(self.brussels, utc(2026, 3, 6, 14), 4),
            utc(2026, 3, 10, 9),  # Tue 10:00 local
        )

    def test_company_wide_holiday_applies_to_every_calendar(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "T National holiday",
                "calendar_id": False,
                "date_from": "2026-03-08 23:00:00",
                "date_to": "2026-03-09 23:00:00",
            }
        )
        self.assertEqual(
            self._resolution_deadline(self.brussels, utc(2026, 3, 6, 14), 4),
            utc(2026, 3, 10, 9),
        )

    def test_brussels_spring_forward_business_hours(self):
        # Fri 2026-03-27 16:00 CET (15:00 UTC): 1 h on Friday; Monday is CEST:
        # 08:00 CEST + 3 h = 11:00 CEST = 09:00 UTC.
        self.assertEqual(
            self._resolution_deadline(self.brussels, utc(2026, 3, 27, 15), 4),
            utc(2026, 3, 30, 9),
        )

    def test_brussels_spring_forward_around_the_clock_calendar(self):
        # A 00:00-24:00 calendar in Brussels: the night the clocks go forward
        # has 23 real hours, and 24 h of business time are 24 real hours.
        calendar = self._calendar("T Brussels 24x7", "Europe/Brussels", 0, 24, range(7))
        self.assertEqual(
            self._resolution_deadline(calendar, utc(2026, 3, 28, 12), 24),
            utc(2026, 3, 29, 12),
        )

    def test_new_york_fall_back_business_hours(self):
        # Fri 2026-10-30 16:00 EDT (20:00 UTC) + 2 h: 1 h on Friday; Monday is
        # EST: 09:00 EST + 1 h = 10:00 EST = 15:00 UTC.
        self.assertEqual(
            self._resolution_deadline(self.new_york, utc(2026, 10, 30, 20), 2),
            utc(2026, 11, 2, 15),
        )

    def test_new_york_fall_back_around_the_clock_calendar(self):
        # The night the clocks go back has 25 real hours: no hour gained.
        calendar = self._calendar(
            "T New York 24x7", "America/New_York", 0, 24, range(7)
        )
        self.assertEqual(
            self._resolution_deadline(calendar, utc(2026, 10, 31, 12), 24),
            utc(2026, 11, 1, 12),
        )
        self.assertEqual(
            self._resolution_deadline(calendar, utc(2026, 10, 31, 12), 48),
            utc(2026, 11, 2, 12),
        )

    def test_lunch_boundary_is_not_crossed(self):
        # 08:00 + 4 h ends at 12:00 on a 08:00-12:00 / 13:00-17:00 calendar...
        calendar = self.env["resource.calendar"].create(
            {
                "name": "T Lunch",
                "tz": "UTC",
                "attendance_ids": [(5, 0, 0)]
                + [
                    (
                        0,
                        0,
                        {
                            "name": "am",
                            "dayofweek": "0",
                            "hour_from": 8,
                            "hour_to": 12,
                            "day_period": "morning",
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "name": "pm",
                            "dayofweek": "0",
                            "hour_from": 13,
                            "hour_to": 17,
                            "day_period": "afternoon",
                        },
                    ),
                ],
            }
        )
        self.assertEqual(
            self._resolution_deadline(calendar, utc(2026, 3, 2, 8), 4),
            utc(2026, 3, 2, 12),
        )
        # ...and 4 h 30 min ends after lunch, at 13:30.
        self.assertEqual(
            self._resolution_deadline(calendar, utc(2026, 3, 2, 8), 4.5),
            utc(2026, 3, 2, 13, 30),
        )


@tagged("post_install", "-at_install")
class TestClockEvents(SlmClockCase):
    """Rules 2 to 4 and 7: start, stop, pause, reopen, statuses."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agreement = cls._agreement(
            [
                cls._target("response", 1),
                cls._target(
                    "resolution", 4, pause_stage_ids=[(6, 0, cls.stage_waiting.ids)]
                ),
            ]
        )
        cls.response, cls.resolution = cls.agreement.target_ids.sorted(
            lambda t: t.metric != "response"
        )

    def test_pause_pushes_the_deadline(self):
        ticket = self._ticket(utc(2026, 3, 2, 9))
        self._at(utc(2026, 3, 2, 10), ticket, stage_id=self.stage_waiting.id)
        clock = self._clock(ticket, self.resolution)
        self.assertEqual(clock.status, "paused")
        self.assertFalse(clock.deadline, "no deadline while waiting")
        self._at(utc(2026, 3, 2, 12), ticket, stage_id=self.stage_progress.id)
        self.assertEqual(clock.status, "running")
        self.assertEqual(clock.deadline, utc(2026, 3, 2, 15))
        self.assertEqual(clock.paused_seconds, 2 * H)
        self.assertEqual(clock.used_seconds, 1 * H)
        # The response clock does not list the stage: it kept running.
        self.assertEqual(
            self._clock(ticket, self.response).deadline, utc(2026, 3, 2, 10)
        )

    def test_close_and_reopen(self):
        ticket = self._ticket(utc(2026, 3, 2, 9))
        self._at(utc(2026, 3, 2, 10), ticket, stage_id=self.stage_done.id)
        clock = self._clock(ticket, self.resolution)
        self.assertEqual((clock.status, clock.stop), ("met", utc(2026, 3, 2, 10)))
        self.assertEqual(clock.settled_date, utc(2026, 3, 2, 10))
        # Reopened at 12:00: the clock resumes; closed time does not count.
        self._at(utc(2026, 3, 2, 12), ticket, stage_id=self.stage_progress.id)
        self.assertEqual(clock.status, "running")
        self.assertFalse(clock.stop)
        self.assertEqual(clock.deadline, utc(2026, 3, 2, 15))
        self._at(utc(2026, 3, 2, 14, 30), ticket, stage_id=self.stage_done.id)
        self.assertEqual((clock.status, clock.used_seconds), ("met", int(3.5 * H)))
        # Reopened again and left open past the limit: breached at 15:30.
        self._at(utc(2026, 3, 2, 15), ticket, stage_id=self.stage_progress.id)
        self._refresh(ticket, utc(2026, 3, 2, 16))
        self.assertEqual(clock.status, "breached")
        self.assertEqual(clock.settled_date, utc(2026, 3, 2, 15, 30))

    def test_internal_note_is_not_a_response(self):
        ticket = self._ticket(utc(2026, 3, 2, 9))
        self._reply(utc(2026, 3, 2, 9, 10), ticket, internal=True)
        clock = self._clock(ticket, self.response)
        self.assertEqual(clock.status, "running")
        # The customer writing is not a response either.
        with freeze_time(utc(2026, 3, 2, 9, 20)):
            ticket.message_post(
                body="Any news?",
                author_id=self.contact.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self.assertEqual(clock.status, "running")
        self._reply(utc(2026, 3, 2, 9, 40), ticket)
        self.assertEqual((clock.status, clock.stop), ("met", utc(2026, 3, 2, 9, 40)))
        # Later replies change nothing.
        self._reply(utc(2026, 3, 2, 11), ticket)
        self.assertEqual(clock.stop, utc(2026, 3, 2, 9, 40))

    def test_late_response_is_breached(self):
        ticket = self._ticket(utc(2026, 3, 2, 9))
        self._reply(utc(2026, 3, 2, 10, 30), ticket)
        clock = self._clock(ticket, self.response)
        self.assertEqual(clock.status, "breached")
        self.assertEqual(clock.settled_date, utc(2026, 3, 2, 10))

    def test_reply_at_the_deadline_is_met(self):
        ticket = self._ticket(utc(2026, 3, 2, 9))
        self._reply(utc(2026, 3, 2, 10), ticket)
        self.assertEqual(self._clock(ticket, self.response).status, "met")

    def test_warning_then_breach_by_the_scheduled_action(self):
        ticket = self._ticket(utc(2026, 3, 2, 9))
        clock = self._clock(ticket, self.response)
        self.assertEqual(clock.warning_at, utc(2026, 3, 2, 9, 45))
        Clock = self.env["slm.clock"]
        self._cron(utc(2026, 3, 2, 9, 44))
        self.assertFalse(clock.at_risk)
        self._cron(utc(2026, 3, 2, 9, 50))
        self.assertTrue(clock.at_risk)
        self.assertEqual(ticket.slm_status, "at_risk")
        self._cron(utc(2026, 3, 2, 10, 1))
        self._cron(utc(2026, 3, 2, 10, 2))  # safe to run twice
        self.assertEqual(clock.status, "breached")
        self.assertEqual(clock.settled_date, utc(2026, 3, 2, 10))
        self.assertEqual(ticket.slm_status, "breached")
        self.assertEqual(
            Clock.search_count([("id", "=", clock.id), ("status", "=", "breached")]), 1
        )

    def _cron(self, at):
        with freeze_time(at):
            self.env["slm.clock"]._cron_settle_due_clocks()

    def test_closed_without_reply_answers_at_closing(self):
        ticket = self._ticket(utc(2026, 3, 2, 9))
        self._at(utc(2026, 3, 2, 9, 30), ticket, stage_id=self.stage_done.id)
        clock = self._clock(ticket, self.response)
        self.assertEqual((clock.status, clock.stop), ("met", utc(2026, 3, 2, 9, 30)))


@tagged("post_install", "-at_install")
class TestClockApplicability(SlmClockCase):
    """Rule 1 and re-evaluation when the ticket changes."""

    def test_priority_change_midway_keeps_pause_time(self):
        agreement = self._agreement(
            [
                self._target(
                    "resolution",
                    8,
                    priority_ids=[(6, 0, self.priorities["1"].ids)],
                    pause_stage_ids=[(6, 0, self.stage_waiting.ids)],
                ),
                self._target(
                    "resolution",
                    4,
                    priority_ids=[(6, 0, self.priorities["3"].ids)],
                    pause_stage_ids=[(6, 0, self.stage_waiting.ids)],
                ),
            ]
        )
        normal, urgent = agreement.target_ids.sorted("threshold_hours", reverse=True)
        ticket = self._ticket(utc(2026, 3, 2, 9), priority="1")
        self._at(utc(2026, 3, 2, 10), ticket, stage_id=self.stage_waiting.id)
        self._at(utc(2026, 3, 2, 11), ticket, stage_id=self.stage_progress.id)
        self.assertEqual(self._clock(ticket, normal).deadline, utc(2026, 3, 2, 18))
        self._at(utc(2026, 3, 2, 12), ticket, priority="3")
        self.assertEqual(
            self._clock(ticket, normal).status, "cancelled", "kept for history"
        )
        clock = self._clock(ticket, urgent)
        # As if it had run from creation: 4 h + the 1 h spent waiting.
        self.assertEqual(clock.start, utc(2026, 3, 2, 9))
        self.assertEqual(clock.deadline, utc(2026, 3, 2, 14))
        self.assertEqual(clock.paused_seconds, 1 * H)
        # Back to normal priority: the cancelled clock comes back, no duplicate.
        self._at(utc(2026, 3, 2, 13), ticket, priority="1")
        self.assertEqual(self._clock(ticket, normal).status, "running")
        self.assertEqual(self._clock(ticket, urgent).status, "cancelled")
        self.assertEqual(len(ticket.slm_clock_ids), 2)

    def test_ola_starts_when_the_ticket_reaches_its_team(self):
        ola = self._agreement(
            [self._target("resolution", 2)],
            kind="ola",
            team_id=self.team_2.id,
            structure="service_based",
        )
        ticket = self._ticket(utc(2026, 3, 2, 9))
        self.assertFalse(ticket.slm_clock_ids.filtered(lambda c: c.agreement_id == ola))
        self._at(utc(2026, 3, 2, 10), ticket, team_id=self.team_2.id)
        clock = self._clock(ticket, ola.target_ids)
        self.assertEqual(
            (clock.start, clock.deadline), (utc(2026, 3, 2, 10), utc(2026, 3, 2, 12))
        )
        # Handed back: time with the other team does not count against the OLA.
        self._at(utc(2026, 3, 2, 11), ticket, team_id=self.team.id)
        self.assertEqual(clock.status, "paused")
        self._at(utc(2026, 3, 2, 13), ticket, team_id=self.team_2.id)
        self.assertEqual(clock.deadline, utc(2026, 3, 2, 14))

    def test_agreement_not_in_force(self):
        future = self._agreement([self._target("response", 1)], date_start="2027-01-01")
        draft = self.env["slm.agreement"].create(
            {
                "name": "T Draft",
                "kind": "sla",
                "structure": "service_based",
                "date_start": "2020-01-01",
                "service_ids": [(6, 0, self.service.ids)],
                "target_ids": [(0, 0, self._target("response", 1))],
            }
        )
        ticket = self._ticket(utc(2026, 3, 2, 9))
        self.assertFalse(ticket.slm_clock_ids.agreement_id & (future | draft))

    def test_expired_agreement_still_governs_tickets_created_while_in_force(self):
        agreement = self._agreement(
            [self._target("response", 1)], date_end="2026-03-31"
        )
        inside = self._ticket(utc(2026, 3, 2, 9))
        outside = self._ticket(utc(2026, 4, 2, 9))
        self.assertTrue(
            inside.slm_clock_ids.filtered(lambda c: c.agreement_id == agreement)
        )
        self.assertFalse(
            outside.slm_clock_ids.filtered(lambda c: c.agreement_id == agreement)
        )

    def test_multi_level_override(self):
        corporate = self._agreement(
            [self._target("response", 2), self._target("resolution", 8)],
            name="T Corporate",
            structure="multi_level",
            level="corporate",
            service_ids=[(5, 0, 0)],
        )
        corporate_resolution = corporate.target_ids.filtered(
            lambda t: t.metric == "resolution"
        )
        customer = self._agreement(
            [self._target("resolution", 4, parent_target_id=corporate_resolution.id)],
            name="T Customer level",
            structure="multi_level",
            level="customer",
            parent_id=corporate.id,
            partner_id=self.customer.id,
            service_ids=[(5, 0, 0)],
        )
        ticket = self._ticket(utc(2026, 3, 2, 9))
        running = ticket.slm_clock_ids.target_id
        self.assertEqual(
            running,
            customer.target_ids
            | corporate.target_ids.filtered(lambda t: t.metric == "response"),
        )
        other = self._ticket(
            utc(2026, 3, 2, 9),
            partner_id=self.env["res.partner"]
            .create({"name": "T Other contact", "parent_id": self.other_customer.id})
            .id,
        )
        self.assertEqual(other.slm_clock_ids.target_id, corporate.target_ids)

    def test_most_specific_agreement_wins(self):
        by_customer = self._agreement(
            [self._target("response", 3)],
            structure="customer_based",
            partner_id=self.customer.id,
            service_ids=[(5, 0, 0)],
        )
        by_service = self._agreement([self._target("response", 2)])
        ticket = self._ticket(utc(2026, 3, 2, 9))
        self.assertEqual(ticket.slm_clock_ids.agreement_id, by_service)
        both = self._agreement(
            [self._target("response", 1)],
            structure="customer_based",
            partner_id=self.customer.id,
        )
        ticket_2 = self._ticket(utc(2026, 3, 2, 9))
        self.assertEqual(ticket_2.slm_clock_ids.agreement_id, both)
        self.assertTrue(by_customer)

    def test_target_scope_by_category_and_tag(self):
        parent = self.env["helpdesk.ticket.category"].create({"name": "T Hardware"})
        child = self.env["helpdesk.ticket.category"].create(
            {"name": "T Laptops", "parent_id": parent.id}
        )
        tag = self.env["helpdesk.ticket.tag"].create({"name": "T VIP"})
        agreement = self._agreement(
            [
                self._target("response", 1, category_ids=[(6, 0, parent.ids)]),
                self._target("response", 2, tag_ids=[(6, 0, tag.ids)]),
            ]
        )
        by_category, by_tag = agreement.target_ids.sorted("threshold_hours")
        ticket = self._ticket(utc(2026, 3, 2, 9), category_id=child.id)
        self.assertEqual(ticket.slm_clock_ids.target_id, by_category)
        self._at(utc(2026, 3, 2, 9, 30), ticket, tag_ids=[(4, tag.id)])
        self.assertEqual(ticket.slm_clock_ids.target_id, by_category | by_tag)
        self.assertEqual(self._clock(ticket, by_tag).start, utc(2026, 3, 2, 9))

    def test_deleted_or_archived_scope_tag_and_category(self):
        """Rule 20: a helpdesk manager without an SLM role archives, restores
        or deletes a tag or category a target lists: the next ticket gets
        the targets as the database now holds them; a rename, or a tag no
        target lists, leaves the registry's ticket index as it is."""
        desk_manager = new_test_user(
            self.env,
            "t_desk_manager",
            "helpdesk_mgmt.group_helpdesk_manager",
            context={"no_reset_password": True},
        )
        Category = self.env["helpdesk.ticket.category"].with_user(desk_manager)
        Tag = self.env["helpdesk.ticket.tag"].with_user(desk_manager)
        parent = Category.create({"name": "T Hardware"})
        child = Category.create({"name": "T Laptops", "parent_id": parent.id})
        tag = Tag.create({"name": "T VIP"})
        unused = Tag.create({"name": "T Unused"})
        agreement = self._agreement(
            [
                self._target("response", 1, category_ids=[(6, 0, child.ids)]),
                self._target("response", 2, tag_ids=[(6, 0, tag.ids)]),
            ]
        )
        by_category, by_tag = agreement.target_ids.sorted("threshold_hours")

        def targets_of_a_new_ticket():
            return self._ticket(utc(2026, 3, 2, 9)).slm_clock_ids.target_id

        Agreement = self.env["slm.agreement"]
        self.assertFalse(targets_of_a_new_ticket())
        index = Agreement._slm_ticket_index(self.company.id)
        tag.name = "T Very Important"
        unused.action_archive()
        unused.unlink()
        self.assertIs(Agreement._slm_ticket_index(self.company.id), index)
        # Archived: out of the target's scope, which lists no tag any more.
        tag.action_archive()
        self.assertEqual(targets_of_a_new_ticket(), by_tag)
        tag.action_unarchive()
        self.assertFalse(targets_of_a_new_ticket())
        tag.unlink()
        self.assertFalse(by_tag.tag_ids)
        self.assertEqual(targets_of_a_new_ticket(), by_tag)
        # The parent goes with its sub-category, the one the target lists.
        parent.unlink()
        self.assertFalse(child.exists())
        self.assertEqual(targets_of_a_new_ticket(), by_category | by_tag)


@tagged("post_install", "-at_install")
class TestClockHistory(SlmClockCase):
    """Rule 11: settled results are kept unless a person recomputes."""

    def test_calendar_change_does_not_rewrite_a_met_clock(self):
        agreement = self._agreement([self._target("resolution", 4, self.brussels)])
        ticket = self._ticket(utc(2026, 3, 2, 8))  # Mon 09:00 local
        self._at(
            utc(2026, 3, 2, 11), ticket, stage_id=self.stage_done.id
        )  # 12:00 local: 3 h
        clock = self._clock(ticket, agreement.target_ids)
        self.assertEqual((clock.status, clock.used_seconds), ("met", 3 * H))
        # The calendar shrinks afterwards: Monday is declared a holiday.
        self._holiday(self.brussels, "2026-03-01 23:00:00", "2026-03-02 23:00:00")
        self._at(utc(2026, 3, 3, 9), ticket, priority="2")  # an unrelated change
        self.assertEqual((clock.status, clock.used_seconds), ("met", 3 * H))
        # A person recomputes: the new calendar applies, and it is logged.
        messages = len(ticket.message_ids)
        self._person_recomputes(ticket)
        self.assertEqual(clock.used_seconds, 0)
        self.assertGreater(len(ticket.message_ids), messages)
