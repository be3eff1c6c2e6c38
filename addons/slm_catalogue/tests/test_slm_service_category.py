# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import SlmCatalogueCase


@tagged("post_install", "-at_install")
class TestSlmServiceCategory(SlmCatalogueCase):
    def test_complete_name(self):
        self.assertEqual(self.category_child.complete_name, "Root / Child")
        self.category_root.name = "Workplace"
        self.assertEqual(self.category_child.complete_name, "Workplace / Child")

    def test_category_cycle_refused(self):
        with self.assertRaisesText(ValidationError, "its own parent"):
            self.category_root.parent_id = self.category_child
        self.env.invalidate_all()
        self.assertFalse(self.category_root.parent_id, "nothing written")

    def test_services_of_subcategories_listed(self):
        action = self.category_root.action_view_services()
        found = self.env["slm.service"].search(action["domain"])
        self.assertEqual(found, self.svc_laptop)
