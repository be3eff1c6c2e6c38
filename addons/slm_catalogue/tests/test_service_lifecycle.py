# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import SlmCatalogueCase


@tagged("post_install", "-at_install")
class TestServiceLifecycle(SlmCatalogueCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.service = cls.Service.create(
            {"code": "NEW", "name": "New Service", "owner_id": cls.owner.id}
        )

    def test_forward_steps_dated_and_logged(self):
        service = self.service.with_user(self.owner)
        with freeze_time("2026-03-02"):
            service.action_set_live()
        self.assertEqual(service.state, "live")
        self.assertEqual(service.live_date, fields.Date.to_date("2026-03-02"))
        with freeze_time("2027-01-15"):
            service.action_retire()
        self.assertEqual(service.retired_date, fields.Date.to_date("2027-01-15"))
        log = service.lifecycle_log_ids.sorted("id")
        self.assertEqual(
            [(entry.from_state, entry.to_state) for entry in log],
            [("pipeline", "live"), ("live", "retired")],
        )
        self.assertEqual(log.user_id, self.owner)
        self.assertFalse(any(log.mapped("reason")))

    def test_step_back_without_reason_refused(self):
        self.service.action_set_live()
        with self.assertRaisesText(UserError, "needs a reason"):
            self.service.write({"state": "pipeline"})
        self.env.invalidate_all()
        self.assertEqual(self.service.state, "live", "nothing written")
        self.assertEqual(len(self.service.lifecycle_log_ids), 1)

    def test_blank_reason_is_no_reason(self):
        self.service.action_set_live()
        with self.assertRaisesText(UserError, "needs a reason"):
            self.service.with_context(slm_lifecycle_reason="   ").write(
                {"state": "pipeline"}
            )

    def test_step_back_with_reason_through_wizard(self):
        self.service.action_set_live()
        action = self.service.with_user(self.owner).action_open_lifecycle_wizard()
        wizard_form = Form(
            self.env[action["res_model"]]
            .with_user(self.owner)
            .with_context(**action["context"])
        )
        wizard_form.new_state = "pipeline"
        wizard_form.reason = "Go-live postponed: supplier contract not signed."
        wizard_form.save().action_apply()
        self.assertEqual(self.service.state, "pipeline")
        self.assertFalse(self.service.live_date)
        last = self.service.lifecycle_log_ids.sorted("id")[-1]
        self.assertEqual((last.from_state, last.to_state), ("live", "pipeline"))
        self.assertEqual(
            last.reason, "Go-live postponed: supplier contract not signed."
        )

    def test_wizard_requires_reason(self):
        wizard_form = Form(
            self.env["slm.service.lifecycle.wizard"].with_context(
                default_service_ids=self.service.ids
            )
        )
        wizard_form.new_state = "retired"
        with self.assertRaisesText(AssertionError, "reason"):
            wizard_form.save()
        self.assertEqual(self.service.state, "pipeline")

    def test_unchanged_state_not_logged(self):
        self.service.write({"state": "pipeline"})
        self.assertFalse(self.service.lifecycle_log_ids)

    def test_kanban_shows_every_lifecycle_column(self):
        groups = self.Service.read_group(
            [("id", "=", self.service.id)], ["state"], ["state"]
        )
        self.assertEqual([g["state"] for g in groups], ["pipeline", "live", "retired"])
