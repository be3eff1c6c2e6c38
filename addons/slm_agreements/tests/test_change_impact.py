# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Change impact (issue 4, item 7): planned work on a service, the agreements
and customers it affects through the service dependencies, and the projected
availability of the month.

A depends on B, B depends on C. Availability targets here are 24x7 in UTC:
March 2026 has 31 x 24 = 744 hours, April 720.
"""

from datetime import datetime

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import APRIL, MARCH, AvailabilityCase


@tagged("post_install", "-at_install")
class TestChangeImpact(AvailabilityCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # On A, for customer A: 99.5 % around the clock, warning at 50 %.
        cls.sla_a = cls._agreement(
            cls.svc_a,
            [cls._availability_target(objective=99.5, warning=50)],
            name="T SLA on A",
            structure="customer_based",
            partner_id=cls.customer_a.id,
            customer_signed_by_id=cls.customer_a.id,
        )
        # Every service and customer, no availability target.
        cls.corporate = cls._agreement(
            cls.Service.browse(),
            [{"metric": "resolution", "threshold_hours": 8, "around_the_clock": True}],
            name="T Corporate SLA",
            structure="multi_level",
            level="corporate",
        )
        # Another service, untouched by the work.
        cls.sla_other = cls._agreement(
            cls.svc_other, [cls._availability_target()], name="T SLA on Other"
        )
        cls.mine = cls.sla_a | cls.corporate | cls.sla_other
        # Recorded: A down 10:00-11:00 and B (so A too) 10:30-12:00 on 3 March,
        # 2 h for A; an agreed maintenance window 10 March 21:00-22:00.
        cls._outage(cls.svc_a, "2026-03-03 10:00:00", "2026-03-03 11:00:00")
        cls._outage(cls.svc_b, "2026-03-03 10:30:00", "2026-03-03 12:00:00")
        cls._maintenance(cls.sla_a, "2026-03-10 21:00:00", "2026-03-10 22:00:00")
        cls.Wizard = cls.env["slm.change.impact.wizard"]

    def _assess(self, start, end, service=None, **vals):
        wizard = self.Wizard.create(
            dict(
                service_id=(service or self.svc_c).id,
                date_start=start,
                date_end=end,
                **vals,
            )
        )
        action = wizard.action_assess()
        self.assertEqual(action["res_id"], wizard.id)
        return wizard

    def _lines(self, wizard, agreement):
        return wizard.line_ids.filtered(lambda line: line.agreement_id == agreement)

    def _assert_march_projection(self, line):
        """Work on C 10 March 20:00-23:00, 1 h of it in the agreed window: 2 h.
        Agreed 744 - 1 = 743 h; budget 0.5 % = 3.715 h; recorded 2 h, with the
        work 4 h: missed; projected availability (743 - 4) / 743."""
        self.assertEqual(line.period_start, MARCH)
        self.assertEqual(line.agreed_hours, 743)
        self.assertEqual(line.downtime_hours, 2)
        self.assertEqual(line.work_hours, 2)
        self.assertEqual(line.projected_downtime_hours, 4)
        self.assertAlmostEqual(line.budget_hours, 3.715)
        self.assertAlmostEqual(line.projected_availability_pct, 100 * 739 / 743)
        self.assertEqual(line.objective_pct, 99.5)
        self.assertEqual(line.status, "missed")

    def test_dependency_chain(self):
        """Work on C reaches A through B: the SLA on A is affected through the
        dependencies, the corporate SLA directly, the SLA on Other not at all."""
        wizard = self._assess("2026-03-10 20:00:00", "2026-03-10 23:00:00")
        self.assertEqual(
            wizard.impacted_service_ids, self.svc_a | self.svc_b | self.svc_c
        )
        self.assertEqual(
            wizard.line_ids.agreement_id & self.mine, self.sla_a | self.corporate
        )
        on_a = self._lines(wizard, self.sla_a)
        self.assertEqual(len(on_a), 1)
        self.assertEqual(on_a.impact, "dependency")
        self.assertEqual(on_a.affected_service_ids, self.svc_a)
        self.assertEqual(on_a.customer_ids, self.customer_a)
        self.assertEqual(on_a.target_id, self.sla_a.target_ids)
        self._assert_march_projection(on_a)
        corporate = self._lines(wizard, self.corporate)
        self.assertEqual(len(corporate), 1)
        self.assertEqual(corporate.impact, "direct")
        self.assertEqual(
            corporate.affected_service_ids, self.svc_a | self.svc_b | self.svc_c
        )
        # Every customer: those of the services affected.
        self.assertEqual(corporate.customer_ids, self.customer_a)
        self.assertFalse(corporate.target_id)
        self.assertIn(self.customer_a, wizard.customer_ids)
        self.assertNotIn(self.customer_b, wizard.customer_ids)
        self.assertGreaterEqual(wizard.missed_count, 1)

    def test_from_a_planned_outage(self):
        """The button of the planned outage: the outage is the work, counted
        once (not also as recorded downtime)."""
        outage = self._outage(
            self.svc_c, "2026-03-10 20:00:00", "2026-03-10 23:00:00", kind="planned"
        )
        action = outage.action_change_impact()
        wizard = self.Wizard.browse(action["res_id"])
        self.assertEqual(wizard.outage_id, outage)
        self.assertEqual(wizard.date_start, datetime(2026, 3, 10, 20, 0))
        self._assert_march_projection(self._lines(wizard, self.sla_a))

    def test_redundant_dependency(self):
        """B keeps working (a redundant path): without B and A among the
        impacted services, only the corporate SLA is affected, directly."""
        action = self.svc_c.action_change_impact()
        wizard = self.Wizard.with_context(**action["context"]).create(
            {"date_start": "2026-03-10 20:00:00", "date_end": "2026-03-10 23:00:00"}
        )
        self.assertEqual(wizard.service_id, self.svc_c)
        wizard.impacted_service_ids = self.svc_c
        wizard.action_assess()
        self.assertEqual(wizard.line_ids.agreement_id & self.mine, self.corporate)

    def test_work_across_two_months(self):
        """31 March 22:00 to 1 April 02:00: 2 h in each month. March: 2 + 2 h
        recorded and worked, missed. April: 720 h, budget 3.6 h, warning above
        1.8 h: 2 h puts it at risk, availability 718 / 720."""
        wizard = self._assess("2026-03-31 22:00:00", "2026-04-01 02:00:00")
        on_a = self._lines(wizard, self.sla_a).sorted("period_start")
        self.assertEqual(on_a.mapped("period_start"), [MARCH, APRIL])
        march, april = on_a
        self.assertEqual(march.work_hours, 2)
        self.assertEqual(march.projected_downtime_hours, 4)
        self.assertEqual(march.status, "missed")
        self.assertEqual(april.agreed_hours, 720)
        self.assertEqual(april.downtime_hours, 0)
        self.assertEqual(april.work_hours, 2)
        self.assertAlmostEqual(april.budget_hours, 3.6)
        self.assertAlmostEqual(april.projected_availability_pct, 100 * 718 / 720)
        self.assertEqual(april.status, "at_risk")

    def test_work_inside_the_window_costs_nothing(self):
        wizard = self._assess("2026-03-10 21:00:00", "2026-03-10 22:00:00")
        on_a = self._lines(wizard, self.sla_a)
        self.assertEqual(on_a.work_hours, 0)
        self.assertEqual(on_a.projected_downtime_hours, 2)
        self.assertEqual(on_a.status, "at_risk")  # 2 h > half of 3.715 h

    def test_bad_dates(self):
        count = self.Wizard.search_count([])
        for end in ("2026-03-10 19:00:00", "2026-03-10 20:00:00"):
            with self.subTest(end=end):
                with self.assertRaisesText(ValidationError, "at or before it starts"):
                    self._assess("2026-03-10 20:00:00", end)
        self.assertEqual(self.Wizard.search_count([]), count)

    def test_access_rights(self):
        vals = {
            "service_id": self.svc_c.id,
            "date_start": "2026-03-10 20:00:00",
            "date_end": "2026-03-10 23:00:00",
        }
        self.assertFalse(self._can(self.user_reader, "create", self.Wizard, vals))
        self.assertFalse(self._can(self.agent, "create", self.Wizard, vals))
        wizard = self.Wizard.with_user(self.owner).create(vals)
        wizard.action_assess()
        self.assertIn(self.sla_a, wizard.line_ids.agreement_id)
