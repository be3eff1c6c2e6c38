# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The SLM overview (reporting display rule 4): every figure equals the
records counted independently, each counter's domain yields exactly those
records, and only the roles it is for read it, within their companies."""

from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.service.model import get_public_method
from odoo.tests import new_test_user, tagged

from .common import SlmClockCase, SlmTourCase, tour_user, utc

NOW = utc(2026, 3, 11, 12, 0)


@tagged("post_install", "-at_install")
class TestOverview(SlmClockCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agreement = cls._agreement(
            [
                cls._target("response", 1, name="T overview response"),
                cls._target(
                    "resolution", 8, name="T overview resolution", objective_pct=90
                ),
            ],
            tz="UTC",
        )
        cls.response, cls.resolution = cls.agreement.target_ids.sorted(
            lambda t: t.metric != "response"
        )

    def setUp(self):
        super().setUp()
        # Answered in time; not answered (breached 2 h ago); answered in time
        # and at risk of its resolution (7 h of 8 h used, warning at 75 %).
        self.met = self._ticket(NOW - timedelta(hours=3), name="T met")
        self._reply(NOW - timedelta(hours=2, minutes=30), self.met)
        self.late = self._ticket(NOW - timedelta(hours=3), name="T late")
        self.risky = self._ticket(NOW - timedelta(hours=7), name="T risky")
        self._reply(NOW - timedelta(hours=6, minutes=30), self.risky)
        with freeze_time(NOW):
            self.env["slm.clock"]._cron_settle_due_clocks()
        self.env.flush_all()

    def _data(self, user=None):
        with freeze_time(NOW):
            return (
                self.env["slm.overview"].with_user(user or self.manager).get_overview()
            )

    @staticmethod
    def _items(data):
        return {item["key"]: item for s in data["sections"] for item in s["items"]}

    def test_counts_match_the_records(self):
        items = self._items(self._data())
        Ticket = self.env["helpdesk.ticket"]
        with freeze_time(NOW):
            expected = {
                "tickets_at_risk": Ticket.search([]).filtered(
                    lambda t: not t.stage_id.closed and t.slm_status == "at_risk"
                ),
                "tickets_breached": Ticket.search([]).filtered(
                    lambda t: not t.stage_id.closed and t.slm_status == "breached"
                ),
                "clocks_breached_today": self.env["slm.clock"]
                .search([])
                .filtered(
                    lambda c: c.status == "breached"
                    and c.period_day == c.agreement_id._period_today()
                ),
                "breaches_new": self.env["slm.breach"]
                .search([])
                .filtered(lambda b: b.state == "new"),
            }
        self.assertIn(self.risky, expected["tickets_at_risk"])
        self.assertIn(self.late, expected["tickets_breached"])
        self.assertIn(
            self._clock(self.late, self.response), expected["clocks_breached_today"]
        )
        self.assertIn(self.late, expected["breaches_new"].ticket_id)
        for key, records in expected.items():
            with self.subTest(key=key):
                item = items[key]
                self.assertEqual(item["count"], len(records))
                self.assertEqual(item["model"], records._name)
                # Clicking opens exactly the records counted.
                with freeze_time(NOW):
                    found = self.env[item["model"]].search(item["domain"])
                self.assertEqual(found, records)

    def test_attainment_against_objective(self):
        rows = {
            row["target_id"]: row
            for row in self._data()["attainment"]
            if row["agreement_id"] == self.agreement.id
        }
        # Response: 2 met, 1 breached this month; resolution: nothing settled.
        self.assertEqual(rows[self.response.id]["met"], 2)
        self.assertEqual(rows[self.response.id]["measured"], 3)
        self.assertAlmostEqual(rows[self.response.id]["attainment"], 200 / 3)
        self.assertEqual(rows[self.response.id]["objective"], 95)
        self.assertTrue(rows[self.response.id]["below"])
        self.assertIsNone(rows[self.resolution.id]["attainment"])
        self.assertFalse(rows[self.resolution.id]["below"])
        # The same figure as the one source (clock rule 13).
        counts = self.env["slm.clock"]._attainment_counts(
            [("target_id", "=", self.response.id), ("period_date", "=", "2026-03-01")]
        )
        self.assertEqual(counts[()]["measured"], 3)
        # Its rows: the settled clocks counted.
        with freeze_time(NOW):
            report = self.env["slm.attainment.report"].search(
                rows[self.response.id]["domain"]
            )
        clocks = (self.met | self.late | self.risky).slm_clock_ids.filtered(
            lambda c: c.target_id == self.response
        )
        self.assertEqual(set(report.ids), set(clocks.ids))

    def test_only_for_analysts_and_above(self):
        reader = new_test_user(
            self.env,
            "slm_overview_reader",
            "slm_catalogue.group_slm_user,helpdesk_mgmt.group_helpdesk_user",
        )
        for user in (self.agent, reader):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._data(user)
        # The figures builder is private: not callable over RPC.
        with self.assertRaises(AccessError):
            get_public_method(self.env["slm.overview"], "_overview_data")
        self.assertTrue(get_public_method(self.env["slm.overview"], "get_overview"))

    def test_other_company_sees_none_of_ours(self):
        other = self.env["res.company"].create({"name": "T Other Company"})
        analyst = new_test_user(
            self.env,
            "slm_overview_other",
            "slm_catalogue.group_slm_analyst,helpdesk_mgmt.group_helpdesk_user",
            company_id=other.id,
            company_ids=[Command.set(other.ids)],
        )
        data = self._data(analyst)
        self.assertFalse(
            [
                row
                for row in data["attainment"]
                if row["agreement_id"] == self.agreement.id
            ]
        )
        items = self._items(data)
        for key in ("tickets_at_risk", "tickets_breached", "breaches_new"):
            with self.subTest(key=key):
                self.assertEqual(items[key]["count"], 0)
        self.assertEqual(items["clocks_breached_today"]["count"], 0)


@tagged("post_install", "-at_install")
class TestOverviewTour(SlmTourCase):
    def test_overview_figures_open_their_records(self):
        """A Service Level Manager lands on the overview; the breaches
        awaiting analysis it counts are the ones the list shows."""
        manager = tour_user(
            self.env,
            "slm_tour_overview",
            "slm_catalogue.group_slm_manager,helpdesk_mgmt.group_helpdesk_manager",
            name="Olivia Overview",
        )
        customer, contact = self._customer("Tourview Logistics", "Val Viewer")
        service = self._service("TOURVIEW", "Tourview Shipping Desk", manager)
        self._agreed_sla(
            "Tourview Shipping SLA",
            customer,
            contact,
            service,
            manager,
            [
                ("Tourview response in 1 h", "response", 1),
                ("Tourview resolution in 8 h", "resolution", 8),
            ],
        )
        with freeze_time(fields.Datetime.now() - timedelta(hours=3)):
            self.env["helpdesk.ticket"].create(
                {
                    "name": "Tourview parcel lost",
                    "description": "<p>Where is my parcel?</p>",
                    "partner_id": contact.id,
                    "service_id": service.id,
                }
            )
        self.env["slm.clock"]._cron_settle_due_clocks()
        self.assertTrue(
            self.env["slm.breach"].search(
                [("partner_id", "=", customer.id), ("state", "=", "new")]
            )
        )
        self.start_tour("/odoo", "slm_agreements_overview_tour", login=manager.login)


@tagged("post_install", "-at_install")
class TestAvailabilitySums(SlmClockCase):
    """Clock rule 13: availability over several months is summed time, not
    an average of the months' percentages."""

    def test_two_months_are_summed_time(self):
        agreement = self._agreement([self._target("response", 4)])
        Availability = self.env["slm.availability"].sudo()
        common = {
            "target_id": agreement.target_ids.id,
            "agreement_id": agreement.id,
            "company_id": agreement.company_id.id,
            "objective_pct": 99.0,
        }
        # 100 h with 10 h down (90 %), 900 h with none (100 %): 990 / 1000.
        Availability.create(
            [
                dict(
                    common,
                    period_start="2026-01-01",
                    period_end="2026-01-31",
                    agreed_hours=100,
                    agreed_to_date_hours=100,
                    downtime_hours=10,
                    budget_hours=1,
                    availability_pct=90,
                ),
                dict(
                    common,
                    period_start="2026-02-01",
                    period_end="2026-02-28",
                    agreed_hours=900,
                    agreed_to_date_hours=900,
                    downtime_hours=0,
                    budget_hours=9,
                    availability_pct=100,
                ),
            ]
        )
        [(availability, used)] = Availability._read_group(
            [("agreement_id", "=", agreement.id)],
            [],
            ["availability_pct:avg", "budget_used_pct:avg"],
        )
        self.assertAlmostEqual(availability, 99.0)
        self.assertAlmostEqual(used, 100.0)
