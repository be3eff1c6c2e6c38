# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Queries of preparing a review's agenda, pinned (the seeded September
review of review_common.py: three targets, four tickets, breaches, actions).
Measured warm (``warmup``) as the Service Level Analyst who prepares it; when
the count goes down after an improvement, lower it here. Speed itself is
measured in benchmarks/."""

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tests.common import warmup

from .common import SlmReviewCase


@tagged("post_install", "-at_install")
class TestReviewQueryCounts(SlmReviewCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._build_scenario()

    @warmup
    def test_prepare_agenda(self):
        review = self.review.with_user(self.analyst)
        # 54 -> 52 (issue 14 item 5): the breaches in one query with their
        # tickets' numbers and names, whatever their number.
        with freeze_time("2026-10-03 09:00"), self.assertQueryCount(52):
            review.action_prepare_agenda()
        self.assertEqual(self.review.state, "agenda_ready")

    @warmup
    def test_generate_minutes(self):
        """The minutes come from the agenda's snapshot: nothing recomputed."""
        review = self.review.with_user(self.analyst)
        with freeze_time("2026-10-03 09:00"):
            review.action_prepare_agenda()
            review.action_meeting_held()
        # Issue 14 item 5: a constant count, whatever the period's breaches
        # (the agenda's snapshot is reused, nothing is recomputed).
        with freeze_time("2026-10-05 10:00"), self.assertQueryCount(2):
            review.action_generate_minutes()
        self.assertIn("Minutes:", str(self.review.minutes))
