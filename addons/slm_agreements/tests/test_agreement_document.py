# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The agreement as a document (document rule 1): the PDF, rendered by the
real engine and read back as text (PDF rules: real text, the company's
layout); and the Print menu entry."""

from odoo.tests import HttpCase, tagged

from odoo.addons.slm_catalogue.tests.common import pdf_text

from .common import AgreementCase

REPORT = "slm_agreements.action_report_agreement"


@tagged("post_install", "-at_install")
class TestAgreementDocument(AgreementCase, HttpCase):
    """An HttpCase: wkhtmltopdf loads the layout's styles and web fonts from
    the server, as in real use (the web fonts are what made text vanish)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agreement = cls._agreed(
            [
                cls._target_vals(
                    name="T Resolution in office hours",
                    objective_pct=92.5,
                    escalation_level_ids=[
                        (
                            0,
                            0,
                            {
                                "threshold_pct": 150,
                                "recipient": "manager",
                                "note": "T call the customer",
                            },
                        )
                    ],
                ),
                cls._target_vals(
                    "response",
                    2,
                    name="T Answer around the clock",
                    around_the_clock=True,
                    calendar_id=False,
                ),
            ],
            name="T Document SLA",
            partner_id=cls.customer.id,
            structure="customer_based",
        )

    def test_print_menu(self):
        report = self.env.ref(REPORT)
        self.assertEqual(report.binding_model_id.model, "slm.agreement")
        self.assertEqual(report.report_type, "qweb-pdf")

    def test_pdf_text(self):
        text = pdf_text(self.env, REPORT, self.agreement.ids)
        for expected in (
            f"SLA {self.agreement.reference} rev. 1 : T Document SLA",
            "Parties",
            "T Customer",
            self.env.company.name,
            "T Service",
            # Service hours, with their time zone.
            "T Office Europe/Brussels Monday: 08:00-17:00",
            "24x7",
            # Targets and objectives.
            "T Resolution in office hours",
            "92.5 %",
            "T Answer around the clock",
            # Escalation.
            "150 % of the threshold",
            "T call the customer",
            # Sign-off and revisions.
            "Sign-off",
            "T Customer Contact",
            self.manager.name,
            "Revision history",
        ):
            self.assertIn(expected, text)

    def test_reader_prints(self):
        """Whoever reads the agreement prints it."""
        html = (
            self.env["ir.actions.report"]
            .with_user(self.reader)
            ._render_qweb_html(REPORT, self.agreement.ids)[0]
        )
        self.assertIn(b"T Document SLA", html)
