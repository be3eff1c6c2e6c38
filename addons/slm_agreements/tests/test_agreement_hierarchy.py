# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import AgreementCase


@tagged("post_install", "-at_install")
class TestAgreementHierarchy(AgreementCase):
    """Multi-level agreements: levels, inheritance and overriding of targets."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.corporate = cls._multi_level(
            "corporate",
            targets=[
                cls._target_vals("response", 2, name="Corp response"),
                cls._target_vals("resolution", 16, name="Corp resolution"),
            ],
        )
        cls.corp_response = cls.corporate.target_ids.filtered(
            lambda t: t.metric == "response"
        )
        cls.corp_resolution = cls.corporate.target_ids - cls.corp_response

    def _customer_level(self, targets=None, **vals):
        return self._multi_level(
            "customer", parent=self.corporate, targets=targets, **vals
        )

    def test_three_levels_inherit_and_override(self):
        customer = self._customer_level(
            [self._target_vals(hours=8, parent_target_id=self.corp_resolution.id)]
        )
        customer_resolution = customer.target_ids
        vip = self.env["helpdesk.ticket.tag"].create({"name": "T VIP"})
        service = self._multi_level(
            "service",
            parent=customer,
            targets=[
                self._target_vals(hours=4, parent_target_id=customer_resolution.id),
                self._target_vals("response", 1, tag_ids=[(6, 0, vip.ids)]),
            ],
        )
        service_resolution = service.target_ids.filtered(
            lambda t: t.metric == "resolution"
        )
        extra_response = service.target_ids - service_resolution
        self.assertEqual(
            self.corporate._effective_targets(),
            self.corp_response | self.corp_resolution,
        )
        self.assertEqual(
            customer._effective_targets(), customer_resolution | self.corp_response
        )
        self.assertEqual(
            service._effective_targets(),
            service_resolution | extra_response | self.corp_response,
        )
        self.assertEqual(
            (customer | service)._effective_targets(),
            customer_resolution | self.corp_response | service.target_ids,
        )
        self.assertEqual(service.inherited_target_ids, self.corp_response)
        self.assertEqual(service.target_count, 2)
        self.assertEqual(service.effective_target_count, 3)
        self.assertEqual(self.corporate.child_count, 1)
        self.assertEqual(
            self.corporate.action_view_children()["domain"],
            [("parent_id", "=", self.corporate.id)],
        )

    def test_override_of_a_grandparent_target_wins(self):
        """A service level overriding the corporate target directly also hides
        the customer level's override of that same target."""
        customer = self._customer_level(
            [self._target_vals(hours=8, parent_target_id=self.corp_resolution.id)]
        )
        service = self._multi_level(
            "service",
            parent=customer,
            targets=[
                self._target_vals(hours=4, parent_target_id=self.corp_resolution.id)
            ],
        )
        self.assertEqual(
            service._effective_targets(), service.target_ids | self.corp_response
        )

    def test_archived_targets_do_not_apply(self):
        customer = self._customer_level(
            [self._target_vals(hours=8, parent_target_id=self.corp_resolution.id)]
        )
        customer.target_ids.active = False
        self.assertEqual(
            customer._effective_targets(), self.corp_response | self.corp_resolution
        )

    def test_child_without_own_targets_can_be_agreed(self):
        self._sign(self.corporate)
        self.corporate.action_agree()
        customer = self._customer_level(targets=[])
        self._sign(customer)
        customer.action_agree()
        self.assertEqual(customer.state, "agreed")
        self.assertEqual(customer.effective_target_count, 2)

    def test_form_adds_an_override(self):
        form = Form(self.Agreement)
        form.name = "T Customer level"
        form.structure = "multi_level"
        form.level = "customer"
        form.parent_id = self.corporate
        form.partner_id = self.customer
        form.service_ids.clear()
        with form.target_ids.new() as line:
            line.threshold_hours = 8
            line.parent_target_id = self.corp_resolution
        customer = form.save()
        self.assertEqual(customer.target_ids.parent_target_id, self.corp_resolution)
        self.assertEqual(
            customer._effective_targets(), customer.target_ids | self.corp_response
        )

    def test_level_only_for_multi_level(self):
        form = Form(self.Agreement)
        form.name = "T Level"
        form.structure = "multi_level"
        form.level = "service"
        form.structure = "service_based"
        agreement = form.save()
        self.assertFalse(agreement.level)

    # ------------------------------------------------------------------
    # Bad input: a clear error, nothing written
    # ------------------------------------------------------------------

    def test_level_required_when_multi_level(self):
        count = self.Agreement.search_count([])
        with self.assertRaisesText(ValidationError, "is multi-level: choose its level"):
            self._agreement(structure="multi_level")
        self.assertEqual(self.Agreement.search_count([]), count)

    def test_child_level_is_lower(self):
        customer = self._customer_level()
        cases = [
            ("customer", customer),
            ("corporate", self.corporate),
        ]
        for level, parent in cases:
            with self.subTest(level=level):
                count = self.Agreement.search_count([])
                with self.assertRaisesText(ValidationError, "cannot be below"):
                    self._multi_level(level, parent=parent)
                self.assertEqual(self.Agreement.search_count([]), count)
        with self.assertRaisesText(ValidationError, "cannot be below"):
            customer.write({"level": "corporate"})
        self.assertUnchanged(customer, level="customer")

    def test_parent_only_in_multi_level(self):
        other = self._agreement()
        with self.assertRaisesText(ValidationError, "cannot have a parent agreement"):
            other.write({"parent_id": self.corporate.id})
        self.assertUnchanged(other, parent_id=self.Agreement)

    def test_parent_of_the_same_kind(self):
        with self.assertRaisesText(ValidationError, "an SLA inherits from an SLA"):
            self._multi_level(
                "customer", parent=self.corporate, kind="ola", team_id=self.team.id
            )

    def test_no_loop(self):
        customer = self._customer_level()
        service = self._multi_level("service", parent=customer)
        for parent in (customer, service):
            with self.subTest(parent=parent.level):
                with self.assertRaisesText(ValidationError, "would form a loop"):
                    self.corporate.write({"parent_id": parent.id})
                self.assertUnchanged(self.corporate, parent_id=self.Agreement)
        self.assertFalse((self.corporate | customer | service)._has_cycle())

    def test_override_only_a_higher_level_target(self):
        unrelated = self._agreement()
        customer = self._customer_level()
        target = customer.target_ids
        with self.assertRaisesText(ValidationError, "overrides only a target of a"):
            target.parent_target_id = unrelated.target_ids
        self.assertUnchanged(target, parent_target_id=self.Target)
        with self.assertRaisesText(ValidationError, "a response target overrides"):
            target.parent_target_id = self.corp_response
        self.assertUnchanged(target, parent_target_id=self.Target)
        with self.assertRaisesText(ValidationError, "overrides only a target of a"):
            self.corp_resolution.parent_target_id = target

    def test_agree_needs_agreed_parent_and_consistent_scope(self):
        customer = self._customer_level()
        self._sign(customer)
        with self.assertRaisesText(UserError, "is not agreed: agree the higher"):
            customer.action_agree()
        self.assertUnchanged(customer, state="draft")
        self._sign(self.corporate)
        self.corporate.action_agree()
        customer.action_agree()
        service = self._multi_level(
            "service", parent=customer, partner_id=self.other_customer.id
        )
        self._sign(service, signer=self.other_contact)
        with self.assertRaisesText(UserError, "choose the same customer"):
            service.action_agree()
        self.assertUnchanged(service, state="draft")

    def test_agree_customer_level_needs_customer(self):
        self._sign(self.corporate)
        self.corporate.action_agree()
        customer = self._customer_level(partner_id=False)
        self._sign(customer)
        with self.assertRaisesText(UserError, "customer-level agreement without a"):
            customer.action_agree()
        self.assertUnchanged(customer, state="draft")

    def test_agree_service_level_within_parent_services(self):
        corporate = self._multi_level(
            "corporate", service_ids=[(6, 0, self.service.ids)]
        )
        self._sign(corporate)
        corporate.action_agree()
        service = self._multi_level(
            "service",
            parent=corporate,
            partner_id=False,
            service_ids=[(6, 0, self.service_2.ids)],
        )
        self._sign(service)
        with self.assertRaisesText(UserError, "choose among these services"):
            service.action_agree()
        service.service_ids = self.service
        service.action_agree()
        self.assertEqual(service.state, "agreed")
