# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import SlmCatalogueCase


@tagged("post_install", "-at_install")
class TestSlmService(SlmCatalogueCase):
    def test_code_unique_per_company(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.Service.create(
                {"code": "TNET", "name": "Another network", "owner_id": self.owner.id}
            )
        self.assertEqual(self.Service.search_count([("code", "=", "TNET")]), 1)
        other_company = self.env["res.company"].create({"name": "Other Co"})
        self.owner.company_ids |= other_company
        twin = self.Service.create(
            {
                "code": "TNET",
                "name": "Network of the other company",
                "owner_id": self.owner.id,
                "company_id": other_company.id,
            }
        )
        self.assertEqual(twin.company_id, other_company)

    def test_code_is_trimmed(self):
        service = self.Service.create(
            {"code": "  PRINT ", "name": "Printing", "owner_id": self.owner.id}
        )
        self.assertEqual(service.code, "PRINT")
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            service.write({"code": " TNET"})

    def test_blank_code_refused(self):
        with self.assertRaisesText(ValidationError, "needs a code"):
            self.Service.create({"code": "   ", "name": "x", "owner_id": self.owner.id})

    def test_dependency_cycle_refused(self):
        # ERP -> NET already; NET -> ERP would close a loop.
        with self.assertRaisesText(ValidationError, "cycle"):
            self.svc_network.write({"dependency_ids": [(4, self.svc_erp.id)]})
        self.env.invalidate_all()
        self.assertFalse(self.svc_network.dependency_ids, "nothing written")

    def test_long_dependency_cycle_refused(self):
        self.svc_laptop.write({"dependency_ids": [(4, self.svc_erp.id)]})
        # NET -> LAPTOP -> ERP -> NET
        with self.assertRaisesText(ValidationError, "cycle"):
            self.svc_network.write({"dependency_ids": [(4, self.svc_laptop.id)]})

    def test_self_dependency_refused(self):
        with self.assertRaisesText(ValidationError, "cannot depend on itself"):
            self.svc_erp.write({"dependency_ids": [(4, self.svc_erp.id)]})

    def test_dependents_are_the_inverse(self):
        self.svc_laptop.write({"dependency_ids": [(4, self.svc_network.id)]})
        self.assertEqual(self.svc_network.dependent_ids, self.svc_erp | self.svc_laptop)
        self.assertEqual(self.svc_erp.dependency_ids, self.svc_network)

    def test_owner_must_be_service_owner(self):
        with self.assertRaisesText(ValidationError, "Service Owner group"):
            self.Service.create(
                {"code": "X1", "name": "X", "owner_id": self.user_analyst.id}
            )
        self.assertFalse(self.Service.search([("code", "=", "X1")]))
        with self.assertRaisesText(ValidationError, "Service Owner group"):
            self.svc_erp.owner_id = self.agent
        # Managers imply the Service Owner group, so they can own services.
        self.svc_erp.owner_id = self.manager
        self.assertEqual(self.svc_erp.owner_id, self.manager)

    def test_owner_defaults_to_creating_owner(self):
        form = Form(self.Service.with_user(self.manager))
        form.name = "Printing"
        form.code = "PRN"
        service = form.save()
        self.assertEqual(service.owner_id, self.manager)
        self.assertEqual(service.state, "pipeline")

    def test_ticket_counts(self):
        self._ticket(category_id=self.hd_laptops.id)
        closed_stage = self.env["helpdesk.ticket.stage"].search(
            [("closed", "=", True)], limit=1
        )
        self._ticket(category_id=self.hd_hardware.id, stage_id=closed_stage.id)
        self.assertEqual(self.svc_laptop.ticket_count, 2)
        self.assertEqual(self.svc_laptop.open_ticket_count, 1)
        action = self.svc_laptop.action_view_tickets()
        self.assertEqual(self.env["helpdesk.ticket"].search_count(action["domain"]), 2)

    def test_category_service_count_includes_children(self):
        self.assertEqual(self.category_root.service_count, 1)
        self.assertEqual(self.category_child.service_count, 1)
        self.svc_erp.category_id = self.category_root
        self.category_root.invalidate_recordset(["service_count"])
        self.assertEqual(self.category_root.service_count, 2)
