# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest.mock import patch

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import SlmCatalogueCase

REVIEW_TYPE = "slm_catalogue.mail_activity_type_catalogue_review"


@tagged("post_install", "-at_install")
class TestCatalogueReview(SlmCatalogueCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.slm_review_interval_months = 12
        cls.services = cls.svc_network | cls.svc_laptop | cls.svc_office | cls.svc_erp
        cls.services.write(
            {"last_review_date": "2026-01-10", "pipeline_date": "2025-01-01"}
        )
        cls.review_type = cls.env.ref(REVIEW_TYPE)

    def _review_activities(self, services):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "slm.service"),
                ("res_id", "in", services.ids),
                ("activity_type_id", "=", self.review_type.id),
            ]
        )

    def test_flags_only_stale_entries_once(self):
        self.svc_laptop.last_review_date = "2025-01-09"
        self.svc_office.last_review_date = (
            False  # never reviewed, in pipeline since 2025-01-01
        )
        retired = self.Service.create(
            {
                "code": "TOLD",
                "name": "Old",
                "owner_id": self.owner.id,
                "state": "retired",
                "pipeline_date": "2015-01-01",
            }
        )
        with freeze_time("2026-01-10"):
            self.Service._cron_flag_unreviewed_services()
            self.Service._cron_flag_unreviewed_services()  # safe to run twice
        flagged = self.Service.search([("review_overdue", "=", True)]) & (
            self.services | retired
        )
        self.assertEqual(flagged, self.svc_laptop | self.svc_office)
        activities = self._review_activities(self.services | retired)
        self.assertEqual(
            len(activities), 2, "one activity per stale entry, not per run"
        )
        self.assertEqual(activities.user_id, self.owner)

    def test_one_bad_service_does_not_stop_the_others(self):
        self.svc_laptop.last_review_date = "2024-01-01"
        self.svc_office.last_review_date = "2024-01-01"
        real_schedule = type(self.Service).activity_schedule

        def failing_schedule(records, *args, **kwargs):
            if records == self.svc_laptop:
                raise ValueError("owner cannot receive activities")
            return real_schedule(records, *args, **kwargs)

        with (
            freeze_time("2026-01-10"),
            patch.object(type(self.Service), "activity_schedule", failing_schedule),
            mute_logger("odoo.addons.slm_catalogue.models.ir_cron"),
        ):
            self.Service._cron_flag_unreviewed_services()
        self.assertTrue(self.svc_office.review_overdue)
        self.assertEqual(len(self._review_activities(self.svc_office)), 1)
        self.assertFalse(
            self.svc_laptop.review_overdue, "rolled back, retried next run"
        )

    def test_cron_in_two_chunks_reports_progress_and_resumes(self):
        """A batched scheduled action (``ir.cron._slm_run_batches``) does at
        most ``limit`` records per call, tells the cron runner how many are
        left (``_notify_progress``), and the next call does the rest."""
        self.services.write({"last_review_date": "2024-01-01"})
        flagged_before = self.Service.search([("review_overdue", "=", True)])
        cron = self.env.ref("slm_catalogue.ir_cron_flag_unreviewed_services")
        with freeze_time("2026-01-10"):
            cron, progress = cron._add_progress()
            self.Service.with_context(
                ir_cron_progress_id=progress.id
            )._cron_flag_unreviewed_services(batch_size=1, limit=2)
            first = self.Service.search([("review_overdue", "=", True)])
            self.assertEqual(len(first - flagged_before), 2)
            self.assertEqual(progress.done, 2)
            self.assertGreaterEqual(progress.remaining, 2)  # 4 here, and demo
            left = progress.remaining
            cron, progress = cron._add_progress()
            self.Service.with_context(
                ir_cron_progress_id=progress.id
            )._cron_flag_unreviewed_services(batch_size=1)
        self.assertEqual((progress.done, progress.remaining), (left, 0))
        flagged = self.Service.search([("review_overdue", "=", True)])
        self.assertEqual(len(flagged - first), left)
        self.assertLessEqual(self.services, flagged)
        self.assertEqual(len(self._review_activities(self.services)), 4)

    def test_boundary_is_the_interval(self):
        self.svc_laptop.last_review_date = "2025-01-10"
        with freeze_time("2026-01-10"):
            self.Service._cron_flag_unreviewed_services()
        self.assertFalse(self.svc_laptop.review_overdue, "exactly 12 months: not yet")
        with freeze_time("2026-01-11"):
            self.Service._cron_flag_unreviewed_services()
        self.assertTrue(self.svc_laptop.review_overdue)

    def test_mark_reviewed_clears_flag_and_activity(self):
        self.svc_laptop.last_review_date = "2024-06-01"
        with freeze_time("2026-01-10"):
            self.Service._cron_flag_unreviewed_services()
            self.assertTrue(self.svc_laptop.review_overdue)
            self.svc_laptop.with_user(self.owner).action_mark_reviewed()
        self.assertFalse(self.svc_laptop.review_overdue)
        self.assertEqual(str(self.svc_laptop.last_review_date), "2026-01-10")
        self.assertFalse(self._review_activities(self.svc_laptop))

    def test_longer_interval_unflags(self):
        self.svc_laptop.last_review_date = "2024-10-01"
        with freeze_time("2026-01-10"):
            self.Service._cron_flag_unreviewed_services()
            self.assertTrue(self.svc_laptop.review_overdue)
            self.company.slm_review_interval_months = 24
            self.Service._cron_flag_unreviewed_services()
        self.assertFalse(self.svc_laptop.review_overdue)

    def test_interval_setting(self):
        settings = Form(self.env["res.config.settings"])
        settings.slm_review_interval_months = 6
        settings.save().execute()
        self.assertEqual(self.company.slm_review_interval_months, 6)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.company.slm_review_interval_months = 0
            self.company.flush_recordset()
