# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The review section of the SLM overview (reporting display rule 4 of
slm_agreements): each figure equals the records counted independently, and
its domain opens exactly those."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import SlmReviewCase

TODAY = date(2026, 10, 5)


@tagged("post_install", "-at_install")
class TestReviewOverview(SlmReviewCase):
    def test_review_figures_match_their_records(self):
        # Planned in September, due on 1 October; looked at on 5 October.
        with freeze_time("2026-09-20 09:00:00"):
            soon = self._review(date="2026-10-10 09:00:00")
            later = self._review(date="2026-11-30 09:00:00")
            plan = self.env["slm.improvement.plan"].create(
                {
                    "name": "T late plan",
                    "partner_id": self.customer.id,
                    "objectives": "<p>Answer within the hour.</p>",
                    "date_target": "2026-10-01",
                }
            )
            late = self._action(
                None, "T late action", "2026-10-01", improvement_plan_id=plan.id
            )
            plan.action_start()
        with freeze_time("2026-10-05 09:00:00"):
            data = self.env["slm.overview"].with_user(self.slm_manager).get_overview()
            items = {item["key"]: item for s in data["sections"] for item in s["items"]}
            expected = {
                "reviews_due": self.env["slm.review"]
                .search([])
                .filtered(
                    lambda r: r.state in ("planned", "agenda_ready")
                    and r.date
                    and r.date < datetime(2026, 10, 20)
                ),
                "agreements_review_due": self.env["slm.agreement"]
                .search([])
                .filtered(
                    lambda a: a.state == "agreed"
                    and a.next_review_date
                    and a.next_review_date <= TODAY
                ),
                "plans_overdue": self.env["slm.improvement.plan"]
                .search([])
                .filtered(
                    lambda p: p.state == "active"
                    and p.date_target
                    and p.date_target < TODAY
                ),
                "review_actions_overdue": self.env["slm.review.action"]
                .search([])
                .filtered(
                    lambda a: a.state == "open" and a.due_date and a.due_date < TODAY
                ),
            }
            found = {
                key: self.env[items[key]["model"]].search(items[key]["domain"])
                for key in expected
            }
        self.assertIn(soon, expected["reviews_due"])
        self.assertNotIn(later, expected["reviews_due"])
        self.assertIn(plan, expected["plans_overdue"])
        self.assertIn(late, expected["review_actions_overdue"])
        for key, records in expected.items():
            with self.subTest(key=key):
                self.assertEqual(items[key]["count"], len(records))
                self.assertEqual(found[key], records)
