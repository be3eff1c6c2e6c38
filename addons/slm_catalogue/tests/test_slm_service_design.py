# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import SlmCatalogueCase


@tagged("post_install", "-at_install")
class TestSlmServiceDesign(SlmCatalogueCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.document = (
            cls.env["slm.service.design"]
            .with_user(cls.owner)
            .create({"name": "Laptop design", "service_id": cls.svc_laptop.id})
        )

    def test_submit_then_sign_off_records_who_and_when(self):
        with freeze_time("2026-05-04 09:00:00"):
            self.document.action_submit()
        self.assertEqual(self.document.state, "submitted")
        self.assertEqual(self.document.submitted_by_id, self.owner)
        with freeze_time("2026-05-06 16:30:00"):
            self.document.with_user(self.manager).action_sign_off()
        self.assertEqual(self.document.state, "signed_off")
        self.assertEqual(self.document.signed_off_by_id, self.manager)
        self.assertEqual(
            self.document.signed_off_date,
            fields.Datetime.to_datetime("2026-05-06 16:30:00"),
        )
        self.assertEqual(self.svc_laptop.design_state, "signed_off")

    def test_unsubmitted_document_cannot_be_signed_off(self):
        with self.assertRaisesText(UserError, "has not been submitted"):
            self.document.with_user(self.manager).action_sign_off()
        self.assertEqual(self.document.state, "draft")
        self.assertFalse(self.document.signed_off_by_id)

    def test_own_document_cannot_be_signed_off(self):
        own = (
            self.env["slm.service.design"]
            .with_user(self.manager)
            .create({"name": "My design", "service_id": self.svc_erp.id})
        )
        with self.assertRaisesText(UserError, "has not been submitted"):
            own.action_sign_off()
        own.action_submit()
        with self.assertRaisesText(UserError, "another Service Level Manager"):
            own.action_sign_off()
        self.assertEqual(own.state, "submitted")
        own.with_user(self.manager_2).action_sign_off()
        self.assertEqual(own.signed_off_by_id, self.manager_2)

    def test_only_managers_sign_off(self):
        self.document.action_submit()
        with self.assertRaises(AccessError):
            self.document.with_user(self.owner_2).action_sign_off()
        self.assertEqual(self.document.state, "submitted")

    def test_signed_off_document_is_frozen(self):
        self.document.action_submit()
        self.document.with_user(self.manager).action_sign_off()
        with self.assertRaisesText(UserError, "cannot be changed"):
            self.document.write({"content": "<p>changed</p>"})
        with self.assertRaisesText(UserError, "stays as signed"):
            self.document.action_reset_to_draft()
        action = self.document.with_user(self.owner).action_new_version()
        new = self.env["slm.service.design"].browse(action["res_id"])
        self.assertEqual(new.version_number, 2)
        self.assertEqual(new.state, "draft")
        self.assertEqual(self.svc_laptop.design_state, "draft", "latest version counts")

    def test_version_unique_per_service(self):
        from psycopg2 import IntegrityError

        from odoo.tools import mute_logger

        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.env["slm.service.design"].create(
                {"name": "Twin", "service_id": self.svc_laptop.id, "version_number": 1}
            )

    def test_owner_cannot_write_design_of_others_service(self):
        with self.assertRaises(AccessError):
            self.env["slm.service.design"].with_user(self.owner_2).create(
                {
                    "name": "Not mine",
                    "service_id": self.svc_laptop.id,
                    "version_number": 5,
                }
            )
