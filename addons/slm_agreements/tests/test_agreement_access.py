# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from odoo.addons.slm_catalogue.tests.common import AccessCheckMixin

from .common import AgreementCase


@tagged("post_install", "-at_install")
class TestAgreementAccess(AccessCheckMixin, AgreementCase):
    """Who may read, create, change and delete agreements, targets, priorities."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.draft = cls._agreement()

    def test_agreement_and_target_matrix(self):
        agreement_vals = {"name": "T ACL", "date_start": self.today}
        target_vals = self._target_vals(agreement_id=self.draft.id)
        readers = (
            self.reader,
            self.analyst,
            self.owner,
            self.supplier_manager,
            self.agent,
        )
        for user in readers:
            with self.subTest(user=user.login):
                self.assertTrue(self._can(user, "read", self.draft))
                self.assertTrue(self._can(user, "read", self.draft.target_ids))
                self.assertFalse(
                    self._can(user, "create", self.Agreement, agreement_vals)
                )
                self.assertFalse(self._can(user, "write", self.draft, {"name": "X"}))
                self.assertFalse(self._can(user, "unlink", self.draft))
                self.assertFalse(self._can(user, "create", self.Target, target_vals))
                self.assertFalse(
                    self._can(
                        user, "write", self.draft.target_ids, {"objective_pct": 1}
                    )
                )
        for user in (self.manager, self.process_owner):
            with self.subTest(user=user.login):
                self.assertTrue(
                    self._can(user, "create", self.Agreement, agreement_vals)
                )
                self.assertTrue(self._can(user, "write", self.draft, {"name": "X"}))
                self.assertTrue(self._can(user, "create", self.Target, target_vals))
                self.assertTrue(self._can(user, "unlink", self.draft.target_ids))
                self.assertTrue(self._can(user, "unlink", self.draft))
        self.assertFalse(self._can(self.outsider, "read", self.draft))
        self.assertFalse(self._can(self.outsider, "read", self.draft.target_ids))

    def test_ticket_priorities_configured_by_process_owner(self):
        priority = self.env["slm.ticket.priority"].search([], limit=1)
        for user in (self.reader, self.agent, self.manager, self.process_owner):
            with self.subTest(user=user.login):
                self.assertTrue(self._can(user, "read", priority))
        self.assertFalse(self._can(self.manager, "write", priority, {"name": "X"}))
        self.assertTrue(self._can(self.process_owner, "write", priority, {"name": "X"}))

    def test_agreements_of_other_companies_are_hidden(self):
        other_company = self.env["res.company"].create({"name": "T Other Company"})
        self.manager.write({"company_ids": [(4, other_company.id)]})
        elsewhere = self.Agreement.with_company(other_company).create(
            {
                "name": "T Elsewhere",
                "date_start": self.today,
                "target_ids": [
                    (0, 0, self._target_vals(around_the_clock=True, calendar_id=False))
                ],
            }
        )
        self.assertEqual(elsewhere.company_id, other_company)
        self.assertEqual(elsewhere.target_ids.company_id, other_company)
        for model, record in (
            ("slm.agreement", elsewhere),
            ("slm.target", elsewhere.target_ids),
        ):
            with self.subTest(model=model):
                visible = self.env[model].with_user(self.reader).search([])
                self.assertNotIn(record, visible)
                self.assertFalse(self._can(self.reader, "read", record))
                # The manager sees them in the company they work in.
                in_other = (
                    self.env[model].with_user(self.manager).with_company(other_company)
                )
                self.assertIn(record, in_other.search([]))
                in_main = (
                    self.env[model].with_user(self.manager).with_company(self.company)
                )
                self.assertNotIn(record, in_main.search([]))
