# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoData(TransactionCase):
    """The demo catalogue is coherent with helpdesk_mgmt's demo tickets."""

    def setUp(self):
        super().setUp()
        if not self.env.ref(
            "slm_catalogue.demo_service_email", raise_if_not_found=False
        ):
            self.skipTest("installed without demo data")

    def test_demo_tickets_carry_their_service(self):
        ref = self.env.ref
        expected = {
            "helpdesk_mgmt.helpdesk_ticket_1": "slm_catalogue.demo_service_email",
            "helpdesk_mgmt.helpdesk_ticket_2": "slm_catalogue.demo_service_erp",
            "helpdesk_mgmt.helpdesk_ticket_4": "slm_catalogue.demo_service_network",
            "helpdesk_mgmt.helpdesk_ticket_8": "slm_catalogue.demo_service_laptop",
        }
        for ticket_xmlid, service_xmlid in expected.items():
            with self.subTest(ticket=ticket_xmlid):
                self.assertEqual(ref(ticket_xmlid).service_id, ref(service_xmlid))

    def test_demo_catalogue_covers_every_lifecycle_state(self):
        services = self.env["slm.service"].search(
            [
                (
                    "id",
                    "in",
                    [
                        self.env.ref("slm_catalogue.demo_service_fax").id,
                        self.env.ref("slm_catalogue.demo_service_sso").id,
                        self.env.ref("slm_catalogue.demo_service_email").id,
                    ],
                )
            ]
        )
        self.assertEqual(set(services.mapped("state")), {"pipeline", "live", "retired"})
        self.assertTrue(
            self.env.ref("slm_catalogue.demo_service_network").review_overdue
        )
