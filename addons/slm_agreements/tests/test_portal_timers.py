# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Customer timer rules 1-3: the customer's SLA timers on the portal ticket list and
page; OLA clocks stay internal; other customers see nothing.

2026-03-02 is a Monday; the targets count around the clock; the customer's
contact lives in Brussels (UTC+1 in March).
"""

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools import format_datetime, mute_logger

from .common import SlmClockCase, utc


@tagged("post_install", "-at_install")
class TestPortalTimers(SlmClockCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.email = "helpdesk@example.com"
        cls.contact.tz = "Europe/Brussels"
        cls.sla = cls._agreement(
            [
                cls._target("response", 4, name="T Portal answer in 4 h"),
                cls._target(
                    "resolution",
                    8,
                    name="T Portal fix in 8 h",
                    pause_stage_ids=[(6, 0, cls.stage_waiting.ids)],
                ),
            ],
            name="T Portal SLA",
        )
        cls.ola = cls._agreement(
            [cls._target("response", 1, name="T Internal OLA answer")],
            name="T Portal OLA",
            kind="ola",
            team_id=cls.team.id,
        )
        cls.portal = cls._portal_user("slm_timer_customer", partner=cls.contact)
        cls.stranger = cls._portal_user(
            "slm_timer_stranger", company=cls.other_customer
        )

    def _local(self, moment):
        when = format_datetime(
            self.env, moment, tz="Europe/Brussels", dt_format="short"
        )
        return f"{when} (Europe/Brussels)"

    def _timers(self, ticket, at):
        """The customer's timers of ``ticket`` as read at ``at``."""
        self.env.invalidate_all()
        with freeze_time(at):
            timers = ticket.with_user(self.portal)._slm_portal_timers()
        return timers.get(ticket.id, [])

    def test_status_due_time_pause_and_result(self):
        ticket = self._ticket(utc(2026, 3, 2, 9))
        self.assertEqual(len(ticket.slm_clock_ids), 3, "SLA response, resolution, OLA")
        with self.subTest("running: due in the customer's time zone"):
            timers = self._timers(ticket, utc(2026, 3, 2, 10))
            self.assertEqual(
                [(t["name"], t["state"]) for t in timers],
                [
                    ("T Portal answer in 4 h", "on_track"),
                    ("T Portal fix in 8 h", "on_track"),
                ],
            )
            self.assertEqual(
                timers[0]["text"], f"Due {self._local(utc(2026, 3, 2, 13))}"
            )
            self.assertIn("2:00", timers[0]["text"], "13:00 UTC is 14:00 in Brussels")
        with self.subTest("paused with its reason, then met"):
            self._at(utc(2026, 3, 2, 10), ticket, stage_id=self.stage_waiting.id)
            self._reply(utc(2026, 3, 2, 11), ticket)
            timers = {t["name"]: t for t in self._timers(ticket, utc(2026, 3, 2, 12))}
            self.assertEqual(timers["T Portal fix in 8 h"]["state"], "paused")
            self.assertEqual(
                timers["T Portal fix in 8 h"]["text"],
                "Paused while the ticket is T Waiting Customer, 7:00 of business "
                "time left",
            )
            self.assertEqual(timers["T Portal answer in 4 h"]["state"], "met")
            self.assertEqual(
                timers["T Portal answer in 4 h"]["text"],
                f"Met on {self._local(utc(2026, 3, 2, 11))}",
            )
        with self.subTest("breached after the fact"):
            late = self._ticket(utc(2026, 3, 2, 9))
            self._reply(utc(2026, 3, 2, 15), late)
            timers = {t["name"]: t for t in self._timers(late, utc(2026, 3, 2, 16))}
            self.assertEqual(timers["T Portal answer in 4 h"]["state"], "breached")
            self.assertEqual(
                timers["T Portal answer in 4 h"]["text"],
                f"Breached: due {self._local(utc(2026, 3, 2, 13))}, done "
                f"{self._local(utc(2026, 3, 2, 15))}",
            )

    def test_option_per_agreement_and_access(self):
        ticket = self._ticket(utc(2026, 3, 2, 9))
        self.assertTrue(self.sla.portal_timers, "on by default")
        with self.assertRaises(AccessError):
            ticket.with_user(self.stranger)._slm_portal_timers()
        self.sla.portal_timers = False
        self.assertEqual(self._timers(ticket, utc(2026, 3, 2, 10)), [])

    def test_portal_pages(self):
        """Over HTTP, at the real time: the customer's list and page show
        the SLA timers, never the OLA's; another customer gets no page."""
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "T Portal printer down",
                "description": "<p>Help</p>",
                "partner_id": self.contact.id,
                "service_id": self.service.id,
                "team_id": self.team.id,
            }
        )
        self.authenticate("slm_timer_customer", "slm_timer_customer")
        page = self.url_open(f"/my/ticket/{ticket.id}").text
        self.assertIn('id="slm_timers"', page)
        self.assertIn("T Portal answer in 4 h", page)
        self.assertIn("T Portal fix in 8 h", page)
        self.assertIn("On track", page)
        self.assertIn("(Europe/Brussels)", page)
        self.assertNotIn("T Internal OLA answer", page)
        listing = self.url_open("/my/tickets").text
        self.assertIn("T Portal printer down", listing)
        self.assertIn("o_slm_timer_state", listing)

        self.authenticate("slm_timer_stranger", "slm_timer_stranger")
        with mute_logger("odoo.http"):
            response = self.url_open(f"/my/ticket/{ticket.id}", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertNotIn("slm_timers", response.text)
        listing = self.url_open("/my/tickets").text
        self.assertNotIn("T Portal printer down", listing)
        self.assertNotIn("o_slm_timer_state", listing)

    def test_portal_customer_sees_the_timers_tour(self):
        """Headless Chromium: the customer sees the timers of their ticket,
        and nothing of another customer's ticket, which they cannot open."""
        values = {
            "description": "<p>Help</p>",
            "service_id": self.service.id,
            "team_id": self.team.id,
        }
        Ticket = self.env["helpdesk.ticket"]
        Ticket.create(
            dict(values, name="T Portal printer down", partner_id=self.contact.id)
        )
        other = Ticket.create(
            dict(
                values,
                name="T Stranger printer down",
                partner_id=self.stranger.partner_id.id,
            )
        )
        self.assertTrue(other.slm_clock_ids)

        self.start_tour(
            "/my/tickets", "slm_agreements_portal_timers_tour", login=self.portal.login
        )

        self.authenticate(self.portal.login, self.portal.login)
        with mute_logger("odoo.http"):
            response = self.url_open(f"/my/ticket/{other.id}", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertNotIn("slm_timers", response.text)
