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
        with freeze_time("2026-10-03 09:00"), self.assertQueryCount(54):
            review.action_prepare_agenda()
        self.assertEqual(self.review.state, "agenda_ready")
