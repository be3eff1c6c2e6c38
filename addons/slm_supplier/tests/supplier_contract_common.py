# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.tests import new_test_user

from odoo.addons.slm_agreements.tests.common import SlmClockCase


class SupplierContractCase(SlmClockCase):
    """Suppliers, users of each role and builders of underpinning contracts.

    Builds its own data (suppliers, services, contracts), so that the tests
    pass with and without demo data. Instants are UTC unless named local.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.fibre = Partner.create({"name": "T Fibre", "is_company": True})
        cls.fibre_signer = Partner.create(
            {"name": "T Fibre Signer", "parent_id": cls.fibre.id}
        )
        cls.hoster = Partner.create({"name": "T Hoster", "is_company": True})
        cls.hoster_signer = Partner.create(
            {"name": "T Hoster Signer", "parent_id": cls.hoster.id}
        )
        cls.stranger = Partner.create({"name": "T Stranger", "is_company": True})
        cls.other_service = cls.env["slm.service"].create(
            {
                "code": "TOTH",
                "name": "T Other Service",
                "owner_id": cls.manager.id,
                "state": "live",
            }
        )
        cls.supplier_manager = cls._role_user(
            "t_sup_manager", "slm_catalogue.group_slm_supplier_manager"
        )
        cls.analyst = cls._role_user("t_sup_analyst", "slm_catalogue.group_slm_analyst")
        cls.reader = cls._role_user("t_sup_reader", "slm_catalogue.group_slm_user")
        cls.sl_manager = cls._role_user("t_sup_slm", "slm_catalogue.group_slm_manager")
        cls.employee = cls._role_user("t_sup_employee", "base.group_user")

    @classmethod
    def _role_user(cls, login, groups):
        return new_test_user(
            cls.env, login, groups, context={"no_reset_password": True}
        )

    @classmethod
    def _uc_vals(cls, supplier=None, **vals):
        supplier = supplier or cls.fibre
        values = {
            "name": f"T Contract with {supplier.name}",
            "kind": "uc",
            "supplier_id": supplier.id,
            "date_start": "2020-01-01",
            "service_ids": [(6, 0, cls.service.ids)],
        }
        values.update(vals)
        return values

    @classmethod
    def _uc(cls, targets, supplier=None, agree=True, **vals):
        """A UC with these target values, agreed unless told otherwise."""
        values = cls._uc_vals(supplier=supplier, **vals)
        values["target_ids"] = [(0, 0, t) for t in targets]
        contract = cls.env["slm.agreement"].create(values)
        if agree:
            cls._agree(contract)
        return contract

    @classmethod
    def _agree(cls, agreement):
        if agreement.kind == "uc":
            signer = agreement.supplier_id.child_ids[:1] or agreement.supplier_id
            agreement.write(
                {
                    "supplier_signed_by_id": signer.id,
                    "supplier_signed_date": agreement.date_start,
                }
            )
            agreement.action_agree()
            return
        super()._agree(agreement)

    # ------------------------------------------------------------------
    # Hand-over steps, at a given instant, as the helpdesk agent
    # ------------------------------------------------------------------

    def _hand_over(self, at, ticket, supplier=None, user=None):
        with freeze_time(at):
            ticket.with_user(user or self.agent)._slm_hand_over(
                supplier or self.fibre, note="Please have a look"
            )

    def _ack(self, at, ticket):
        with freeze_time(at):
            ticket.with_user(self.agent).action_slm_supplier_ack()

    def _resolved(self, at, ticket):
        with freeze_time(at):
            ticket.with_user(self.agent).action_slm_supplier_resolved()

    def _take_back(self, at, ticket):
        with freeze_time(at):
            ticket.with_user(self.agent).action_slm_supplier_take_back()
