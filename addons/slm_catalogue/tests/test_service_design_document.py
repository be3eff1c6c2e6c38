# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The service design document as a PDF in the company's layout, its text
real (PDF rules)."""

from odoo.tests import HttpCase, tagged

from .common import SlmCatalogueCase, pdf_text


@tagged("post_install", "-at_install")
class TestServiceDesignDocument(SlmCatalogueCase, HttpCase):
    def test_pdf_text(self):
        document = (
            self.env["slm.service.design"]
            .with_user(self.owner)
            .create(
                {
                    "name": "T Laptop design",
                    "service_id": self.svc_laptop.id,
                    "content": "<p>T laptops are replaced every four years.</p>",
                }
            )
        )
        document.action_submit()
        document.with_user(self.manager).action_sign_off()
        report = self.env.ref("slm_catalogue.action_report_service_design")
        self.assertEqual(report.binding_model_id.model, "slm.service.design")
        text = pdf_text(self.env, report.report_name, document.ids)
        for expected in (
            "Service Design Document",
            "T Laptop design",
            self.svc_laptop.name,
            "Signed Off",
            self.manager.name,
            "T laptops are replaced every four years.",
        ):
            self.assertIn(expected, text)
