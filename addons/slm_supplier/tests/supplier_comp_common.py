# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from contextlib import contextmanager

from odoo.tests.common import TransactionCase, new_test_user


class SupplierCompCase(TransactionCase):
    """Users of every role, suppliers, a service and a builder of underpinning
    contracts, for the renewal, compliance and supplier selection tests.

    No test here. Everything is created here, so that the tests pass with and
    without demo data.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, mail_notrack=True))
        cls.company = cls.env.company
        cls.reader = cls._user("comp_reader", "slm_catalogue.group_slm_user")
        cls.analyst = cls._user("comp_analyst", "slm_catalogue.group_slm_analyst")
        cls.owner = cls._user("comp_owner", "slm_catalogue.group_slm_service_owner")
        cls.supplier_manager = cls._user(
            "comp_supplier", "slm_catalogue.group_slm_supplier_manager"
        )
        cls.supplier_manager_2 = cls._user(
            "comp_supplier2", "slm_catalogue.group_slm_supplier_manager"
        )
        cls.manager = cls._user("comp_manager", "slm_catalogue.group_slm_manager")
        cls.process_owner = cls._user(
            "comp_process", "slm_catalogue.group_slm_process_owner"
        )
        cls.agent = cls._user("comp_agent", "helpdesk_mgmt.group_helpdesk_user")
        cls.outsider = cls._user("comp_outsider", "base.group_user")
        Partner = cls.env["res.partner"]
        cls.supplier = Partner.create({"name": "T Fibre Ltd", "is_company": True})
        cls.supplier_contact = Partner.create(
            {"name": "T Fibre Signer", "parent_id": cls.supplier.id}
        )
        cls.supplier_2 = Partner.create({"name": "T Airwaves Inc", "is_company": True})
        cls.supplier_3 = Partner.create({"name": "T Meshworks", "is_company": True})
        cls.not_invited = Partner.create({"name": "T Uninvited", "is_company": True})
        cls.service = cls.env["slm.service"].create(
            {"code": "TCOMP", "name": "T Wi-Fi", "owner_id": cls.manager.id}
        )
        cls.Agreement = cls.env["slm.agreement"]

    @classmethod
    def _user(cls, login, groups):
        return new_test_user(
            cls.env, login, groups, context={"no_reset_password": True}
        )

    @classmethod
    def _uc(cls, agreed=True, **vals):
        """An underpinning contract with T Fibre Ltd, watched by the test
        Supplier Manager; agreed unless told otherwise.

        Agreed directly (system write): the sign-off of a UC is the contract
        tests' business, not these.
        """
        values = {
            "name": "T Contract",
            "kind": "uc",
            "supplier_id": cls.supplier.id,
            "date_start": "2026-01-01",
            "service_ids": [(6, 0, cls.service.ids)],
            "supplier_manager_id": cls.supplier_manager.id,
            "notice_period_days": 60,
            "renewal_type": "manual",
        }
        values.update(vals)
        contract = cls.Agreement.create(values)
        if agreed:
            contract._system_write({"state": "agreed"})
        return contract

    @contextmanager
    def assertRaisesText(self, exception, text):
        """assertRaises (inside Odoo's savepoint: what failed is rolled back)
        that also checks the message."""
        with self.assertRaises(exception) as caught:
            yield caught
        self.assertIn(text, str(caught.exception))

    def _activities(self, records, xmlid):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", records._name),
                ("res_id", "in", records.ids),
                ("activity_type_id", "=", self.env.ref(xmlid).id),
            ]
        )

    def _notes(self, record, text):
        """Messages of ``record`` whose body contains ``text``."""
        return record.message_ids.filtered(lambda m: text in (m.body or ""))
