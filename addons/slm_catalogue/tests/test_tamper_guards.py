# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Tampering from the caller's side (issue 16, items 1 and 2): the sign-off of
a design document is the button's, whatever the context sent."""

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import SlmCatalogueCase

# Context keys that once lifted locks elsewhere in the suite: an attacker
# sends them all; they grant nothing.
ATTACKER_CONTEXT = dict.fromkeys(
    (
        "slm_agreement_system_write",
        "slm_review_unfreeze",
        "slm_adjustment_system_write",
        "slm_supplier_period_system_write",
        "slm_rfp_checks_weights",
    ),
    True,
)


@tagged("post_install", "-at_install")
class TestTamperGuardsDesign(SlmCatalogueCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Design = cls.env["slm.service.design"]

    def test_sign_off_only_through_the_button(self):
        """A manager cannot sign off their own document by writing its state
        and signer, nor create it signed off, nor rewrite the author first;
        another manager signs it off with the button."""
        mine = self.Design.with_user(self.manager).create(
            {"name": "T My design", "service_id": self.svc_erp.id}
        )
        for ctx in ({}, ATTACKER_CONTEXT):
            with self.subTest(ctx=ctx):
                for vals in (
                    {"state": "signed_off"},
                    {"signed_off_by_id": self.manager_2.id},
                    {"signed_off_date": "2026-05-06 16:30:00"},
                    {"submitted_by_id": self.owner.id},
                ):
                    with self.assertRaisesText(UserError, "cannot be written directly"):
                        mine.with_context(**ctx).write(vals)
                with self.assertRaisesText(UserError, "starts as a draft"):
                    self.Design.with_user(self.manager).with_context(**ctx).create(
                        {
                            "name": "T Forged",
                            "service_id": self.svc_erp.id,
                            "state": "signed_off",
                            "signed_off_by_id": self.manager_2.id,
                        }
                    )
        self.assertRecordValues(mine, [{"state": "draft", "signed_off_by_id": False}])
        # Rewriting the author does not make the creator another person.
        mine.write({"author_id": self.owner.id})
        mine.action_submit()
        with self.assertRaisesText(UserError, "another Service Level Manager"):
            mine.action_sign_off()
        with self.assertRaisesText(ValidationError, "another Service Level Manager"):
            mine.sudo().write(
                {"state": "signed_off", "signed_off_by_id": self.manager.id}
            )
        self.assertEqual(mine.state, "submitted")
        mine.with_user(self.manager_2).action_sign_off()
        self.assertRecordValues(
            mine, [{"state": "signed_off", "signed_off_by_id": self.manager_2.id}]
        )
