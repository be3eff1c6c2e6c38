# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import SlmCatalogueCase


@tagged("post_install", "-at_install")
class TestCatalogueDiscrepancy(SlmCatalogueCase):
    def _report(self, user, service):
        return (
            self.env["slm.catalogue.discrepancy"]
            .with_user(user)
            .create(
                {
                    "name": "Support hours are wrong",
                    "service_id": service.id,
                    "aspect": "support_hours",
                    "description": "Supported 24x7 since March.",
                }
            )
        )

    def test_report_assigns_owner_with_activity(self):
        report = self._report(self.owner_2, self.svc_laptop)
        self.assertEqual(report.responsible_id, self.owner)
        self.assertEqual(report.reported_by_id, self.owner_2)
        self.assertEqual(report.activity_ids.user_id, self.owner)
        self.assertEqual(self.svc_laptop.open_discrepancy_count, 1)

    def test_resolution_required_to_close(self):
        report = self._report(self.owner_2, self.svc_laptop)
        with self.assertRaisesText(UserError, "Resolution"):
            report.with_user(self.owner).action_resolve()
        self.assertEqual(report.state, "new")
        report.with_user(self.owner).write({"resolution": "Support hours set to 24x7."})
        report.with_user(self.owner).action_resolve()
        self.assertEqual(report.state, "resolved")
        self.assertEqual(report.resolved_by_id, self.owner)
        self.assertFalse(report.activity_ids, "the to-do is done")
        self.assertEqual(self.svc_laptop.open_discrepancy_count, 0)

    def test_analyst_cannot_report(self):
        with self.assertRaises(AccessError):
            self._report(self.user_analyst, self.svc_laptop)

    def test_unrelated_owner_cannot_resolve(self):
        report = self._report(self.owner, self.svc_laptop)
        third = self.env["res.users"].create(
            {
                "name": "Third owner",
                "login": "slm_owner3",
                "groups_id": [
                    (6, 0, self.env.ref("slm_catalogue.group_slm_service_owner").ids)
                ],
            }
        )
        with self.assertRaises(AccessError):
            report.with_user(third).write({"resolution": "no"})
