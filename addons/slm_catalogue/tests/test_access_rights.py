# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import AccessCheckMixin, SlmCatalogueCase


@tagged("post_install", "-at_install")
class TestAccessRights(AccessCheckMixin, SlmCatalogueCase):
    """Who may read, create, write and delete what in the catalogue."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_vals = {
            "slm.service": {"code": "ACL", "name": "ACL", "owner_id": cls.owner.id},
            "slm.service.category": {"name": "ACL category"},
        }

    def test_group_hierarchy(self):
        chain = [
            "user",
            "analyst",
            "service_owner",
            "supplier_manager",
            "manager",
            "process_owner",
        ]
        for lower, higher in zip(chain, chain[1:], strict=False):
            higher_group = self.env.ref(f"slm_catalogue.group_slm_{higher}")
            lower_group = self.env.ref(f"slm_catalogue.group_slm_{lower}")
            self.assertIn(lower_group, higher_group.trans_implied_ids)
        self.assertTrue(
            self.env.ref("base.user_admin").has_group(
                "slm_catalogue.group_slm_process_owner"
            )
        )

    def test_service_matrix(self):
        own, other = self.svc_laptop, self.svc_network  # owned by owner / owner_2
        expected = {
            # user: read, create, write own, write other, unlink own
            self.user_reader: (True, False, False, False, False),
            self.user_analyst: (True, False, False, False, False),
            self.owner: (True, False, True, False, False),
            self.manager: (True, True, True, True, True),
            self.agent: (True, False, False, False, False),
        }
        for user, (read, create, write_own, write_other, unlink) in expected.items():
            with self.subTest(user=user.login):
                self.assertEqual(self._can(user, "read", own), read)
                self.assertEqual(
                    self._can(
                        user, "create", self.Service, self._create_vals["slm.service"]
                    ),
                    create,
                )
                self.assertEqual(self._can(user, "write", own), write_own)
                self.assertEqual(self._can(user, "write", other), write_other)
                self.assertEqual(self._can(user, "unlink", own), unlink)

    def test_category_matrix(self):
        """A company's categories are its managers'; shared ones (no company)
        the Process Owner's only (access rule 2 of this addon's USAGE.md)."""
        Category = self.env["slm.service.category"]
        process_owner = self._user("slm_process_owner", "process_owner")
        own = Category.create({"name": "Own", "company_id": self.company.id})
        own_vals = dict(
            self._create_vals["slm.service.category"], company_id=self.company.id
        )
        shared_vals = self._create_vals["slm.service.category"]
        for user, own_allowed, shared_allowed in (
            (self.user_reader, False, False),
            (self.owner, False, False),
            (self.manager, True, False),
            (process_owner, True, True),
        ):
            with self.subTest(user=user.login):
                self.assertTrue(self._can(user, "read", self.category_root))
                self.assertEqual(
                    self._can(user, "create", Category, own_vals), own_allowed
                )
                self.assertEqual(self._can(user, "write", own), own_allowed)
                self.assertEqual(
                    self._can(user, "create", Category, shared_vals), shared_allowed
                )
                self.assertEqual(
                    self._can(user, "write", self.category_root), shared_allowed
                )

    def test_shared_categories_not_changed_by_another_company(self):
        company_b = self.env["res.company"].create({"name": "T Company B"})
        manager_b = new_test_user(
            self.env,
            "slm_manager_b",
            "slm_catalogue.group_slm_manager",
            company_id=company_b.id,
            company_ids=[(6, 0, company_b.ids)],
            context={"no_reset_password": True},
        )
        own = self.env["slm.service.category"].create(
            {"name": "Own", "company_id": self.company.id}
        )
        self.assertTrue(self._can(manager_b, "read", self.category_root))
        self.assertFalse(self._can(manager_b, "write", self.category_root))
        self.assertFalse(self._can(manager_b, "read", own))
        self.assertFalse(self._can(manager_b, "write", own))
        self.assertEqual(self.category_root.name, "Root")

    def test_no_access_without_slm_group(self):
        outsider = self.env["res.users"].create(
            {
                "name": "Outsider",
                "login": "outsider",
                "groups_id": [(6, 0, self.env.ref("base.group_user").ids)],
            }
        )
        self.assertFalse(self._can(outsider, "read", self.svc_laptop))

    def test_lifecycle_log_is_read_only(self):
        self.svc_laptop.with_user(self.owner).action_retire()
        log = self.svc_laptop.lifecycle_log_ids
        for user in (self.owner, self.manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                log.with_user(user).write({"reason": "rewrite history"})
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                log.with_user(user).unlink()

    def test_owner_edits_links_of_own_service_and_tickets_follow(self):
        hd_category = self.env["helpdesk.ticket.category"].create(
            {"name": "T Printers"}
        )
        ticket = self._ticket(category_id=hd_category.id)
        # The owner has no helpdesk rights: tickets are updated for them.
        self.svc_laptop.with_user(self.owner).write(
            {"helpdesk_category_ids": [(4, hd_category.id)]}
        )
        self.assertEqual(ticket.service_id, self.svc_laptop)
