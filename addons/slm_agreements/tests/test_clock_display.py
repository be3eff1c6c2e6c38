# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Clock display rules 1-4: business time left where agents look.

Hand-worked on a UTC calendar open 8-12 and 13-17, Monday to Friday.
2026-03-02 is a Monday.
"""

from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import Form, tagged

from .common import SlmClockCase, SlmTourCase, tour_user, utc


@tagged("post_install", "-at_install")
class TestClockDisplay(SlmClockCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.split = cls.env["resource.calendar"].create(
            {
                "name": "T Split day",
                "tz": "UTC",
                "attendance_ids": [(5, 0, 0)]
                + [
                    (0, 0, vals)
                    for day in range(5)
                    for vals in (
                        {
                            "name": f"Morning {day}",
                            "dayofweek": str(day),
                            "hour_from": 8,
                            "hour_to": 12,
                            "day_period": "morning",
                        },
                        {
                            "name": f"Afternoon {day}",
                            "dayofweek": str(day),
                            "hour_from": 13,
                            "hour_to": 17,
                            "day_period": "afternoon",
                        },
                    )
                ],
            }
        )
        cls.agreement = cls._agreement(
            [
                cls._target("response", 1, cls.split),
                cls._target(
                    "resolution",
                    4,
                    cls.split,
                    pause_stage_ids=[(6, 0, cls.stage_waiting.ids)],
                ),
            ]
        )
        cls.response = cls.agreement.target_ids.filtered(
            lambda t: t.metric == "response"
        )
        cls.resolution = cls.agreement.target_ids - cls.response

    def _read(self, clock, at):
        """The display fields of ``clock`` as read at ``at``."""
        self.env.invalidate_all()
        with freeze_time(at):
            return clock.time_left_hours, clock.display_state, clock.time_left_label

    def test_running_counts_business_time_not_wall_clock(self):
        ticket = self._ticket(utc(2026, 3, 2, 10))
        clock = self._clock(ticket, self.resolution)
        # 10:00-12:00 and 13:00-15:00.
        self.assertEqual(clock.deadline, utc(2026, 3, 2, 15))
        # 1 h used at 11:00: 3 h of the 4 h left.
        self.assertEqual(
            self._read(clock, utc(2026, 3, 2, 11)), (3.0, "on_track", "3:00 left")
        )
        # At 12:30 (lunch) 2 h used: 2 h left, not the 2:30 of the wall clock.
        self.assertEqual(self._read(clock, utc(2026, 3, 2, 12, 30))[0], 2.0)
        # Used plus left is the threshold, as the engine counts.
        with freeze_time(utc(2026, 3, 2, 12, 30)):
            ticket._slm_sync_clocks()
            self.env.invalidate_all()
            self.assertEqual(
                clock.used_seconds + clock.time_left_hours * 3600, 4 * 3600
            )

    def test_at_risk_then_overdue_then_breached_by(self):
        ticket = self._ticket(utc(2026, 3, 2, 10))
        clock = self._clock(ticket, self.resolution)
        with freeze_time(utc(2026, 3, 2, 14, 30)):
            self.env["slm.clock"]._cron_settle_due_clocks()
        self.assertTrue(clock.at_risk)
        self.assertEqual(
            self._read(clock, utc(2026, 3, 2, 14, 30)), (0.5, "at_risk", "0:30 left")
        )
        # Past the deadline before the scan saw it: already shown as breached.
        self.assertEqual(
            self._read(clock, utc(2026, 3, 2, 16)),
            (-1.0, "breached", "Overdue by 1:00"),
        )
        # Overdue business time skips the night: Tue 09:00 is 3 h past 15:00.
        self.assertEqual(self._read(clock, utc(2026, 3, 3, 9))[0], -3.0)
        self._at(utc(2026, 3, 2, 16, 30), ticket, stage_id=self.stage_done.id)
        self.assertEqual(clock.status, "breached")
        self.assertEqual(
            self._read(clock, utc(2026, 3, 3, 9)),
            (-1.5, "breached", "Breached by 1:30"),
        )

    def test_paused_shows_frozen_time_left_and_since(self):
        ticket = self._ticket(utc(2026, 3, 2, 9))
        self._at(utc(2026, 3, 2, 10), ticket, stage_id=self.stage_waiting.id)
        clock = self._clock(ticket, self.resolution)
        self.assertEqual(clock.status, "paused")
        self.assertEqual(clock.paused_since, utc(2026, 3, 2, 10))
        hours, state, label = self._read(clock, utc(2026, 3, 3, 15))
        self.assertEqual((hours, state), (3.0, "paused"))
        self.assertIn("Paused since", label)
        self.assertIn("3:00 left", label)
        # Resumed: no longer paused, the deadline pushed by the pause.
        self._at(utc(2026, 3, 3, 9), ticket, stage_id=self.stage_progress.id)
        self.assertFalse(clock.paused_since)
        self.assertEqual(clock.deadline, utc(2026, 3, 3, 12))
        self.assertEqual(self._read(clock, utc(2026, 3, 3, 10))[:2], (2.0, "on_track"))

    def test_met_shows_the_margin(self):
        ticket = self._ticket(utc(2026, 3, 2, 9))
        self._reply(utc(2026, 3, 2, 9, 20), ticket)
        self._at(utc(2026, 3, 2, 11, 30), ticket, stage_id=self.stage_done.id)
        response = self._clock(ticket, self.response)
        resolution = self._clock(ticket, self.resolution)
        self.assertEqual(
            self._read(resolution, utc(2026, 3, 4, 9)),
            (1.5, "met", "Met, 1:30 to spare"),
        )
        self.assertEqual(
            self._read(response, utc(2026, 3, 4, 9))[2], "Met, 0:40 to spare"
        )
        self.assertFalse(ticket.slm_time_left)  # nothing left to count

    def test_ticket_shows_the_most_urgent_clock(self):
        ticket = self._ticket(utc(2026, 3, 2, 9))
        self.env.invalidate_all()
        with freeze_time(utc(2026, 3, 2, 9, 15)):
            self.assertEqual(ticket.slm_time_left_hours, 0.75)
            self.assertEqual(ticket.slm_time_left_state, "on_track")
            self.assertEqual(ticket.slm_time_left, "First Response: 0:45 left")
        self._reply(utc(2026, 3, 2, 9, 30), ticket)
        self.env.invalidate_all()
        with freeze_time(utc(2026, 3, 2, 11)):
            # Response met: the resolution clock is next, 2 h used of 4.
            self.assertEqual(ticket.slm_time_left, "Resolution: 2:00 left")
            # As an agent, too.
            self.assertEqual(
                ticket.with_user(self.agent).slm_time_left, "Resolution: 2:00 left"
            )

    def test_team_counts_and_their_lists(self):
        at_risk = self._ticket(utc(2026, 3, 2, 10))
        self._reply(utc(2026, 3, 2, 10, 5), at_risk)
        breached = self._ticket(utc(2026, 3, 2, 8))
        closed = self._ticket(utc(2026, 3, 2, 8))
        self._ticket(utc(2026, 3, 2, 8), team_id=self.team_2.id)
        with freeze_time(utc(2026, 3, 2, 14, 30)):
            self.env["slm.clock"]._cron_settle_due_clocks()
        self._at(utc(2026, 3, 2, 14, 40), closed, stage_id=self.stage_done.id)
        self.assertEqual(at_risk.slm_status, "at_risk")
        self.assertEqual(breached.slm_status, "breached")
        self.assertEqual(closed.slm_status, "breached")
        team = self.team.with_user(self.manager)
        self.assertEqual((team.slm_at_risk_count, team.slm_breached_count), (1, 1))
        Ticket = self.env["helpdesk.ticket"]
        action = team.action_slm_view_at_risk()
        self.assertEqual(Ticket.search(action["domain"]), at_risk)
        action = team.action_slm_view_breached()
        self.assertEqual(Ticket.search(action["domain"]), breached)
        self.assertEqual(self.team_2.slm_breached_count, 1)

    def test_views_load(self):
        Ticket = self.env["helpdesk.ticket"].with_user(self.agent)
        views = Ticket.get_views([(False, "form"), (False, "list"), (False, "kanban")])
        form = views["views"]["form"]["arch"]
        self.assertIn("time_left_label", form)
        self.assertIn("slm_time_left", views["views"]["list"]["arch"])
        self.assertIn("slm_time_left", views["views"]["kanban"]["arch"])
        team_views = (
            self.env["helpdesk.ticket.team"]
            .with_user(self.agent)
            .get_views([(False, "kanban")])
        )
        self.assertIn("action_slm_view_breached", team_views["views"]["kanban"]["arch"])
        ticket = self._ticket(utc(2026, 3, 2, 9))
        with freeze_time(utc(2026, 3, 2, 9, 30)):
            form = Form(ticket.with_user(self.agent))
            self.assertEqual(len(form.slm_clock_ids), 2)


@tagged("post_install", "-at_install")
class TestReportingDefaults(SlmClockCase):
    """Reporting display rules 1-3: honest defaults."""

    def test_graphs_are_not_stacked_and_availability_is_scaled(self):
        graph = self.env["slm.attainment.report"].get_views([(False, "graph")])
        arch = graph["views"]["graph"]["arch"]
        self.assertIn('type="bar"', arch)
        self.assertIn('stacked="0"', arch)
        graph = self.env["slm.availability"].get_views([(False, "graph")])
        arch = graph["views"]["graph"]["arch"]
        self.assertIn('js_class="slm_scaled_graph"', arch)
        self.assertIn('stacked="0"', arch)

    def test_not_measured_instead_of_zero(self):
        agreement = self._agreement([self._target("resolution", 4, self.brussels)])
        target = agreement.target_ids
        self.assertEqual(target.current_measured, 0)
        self.assertEqual(target.current_attainment_text, "not measured")
        self.env["slm.agreement"].get_views([(False, "form")])


@tagged("post_install", "-at_install")
class TestDailyUseTour(SlmTourCase):
    def test_team_card_to_breached_ticket_and_scaled_graph(self):
        manager = tour_user(
            self.env,
            "slm_tour_daily",
            "slm_catalogue.group_slm_manager,helpdesk_mgmt.group_helpdesk_manager",
            name="Dana Daily",
        )
        customer, contact = self._customer("Tourdaily Customer", "Tourdaily Contact")
        service = self._service("TDLY", "Tourdaily Service", manager)
        self._agreed_sla(
            "Tourdaily SLA",
            customer,
            contact,
            service,
            manager,
            [("Tourdaily response in 1 h", "response", 1)],
        )
        team = self.env["helpdesk.ticket.team"].create(
            {"name": "Tourdaily Desk", "user_ids": [Command.set(manager.ids)]}
        )
        with freeze_time(fields.Datetime.now() - timedelta(hours=3)):
            ticket = self.env["helpdesk.ticket"].create(
                {
                    "name": "Tourdaily late ticket",
                    "description": "<p>Late</p>",
                    "partner_id": contact.id,
                    "service_id": service.id,
                    "team_id": team.id,
                }
            )
        self.env["slm.clock"]._cron_settle_due_clocks()
        self.assertEqual(ticket.slm_status, "breached")
        self.start_tour(
            "/odoo/action-helpdesk_mgmt.helpdesk_ticket_dashboard_action",
            "slm_agreements_daily_use_tour",
            login=manager.login,
        )
