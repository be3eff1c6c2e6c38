# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Tampering from the caller's side (issue 16, items 1 and 2; guard rule 1):
underpinning contracts, supplier months and requests for proposal. Each
attack runs as the Supplier Manager, without and with the context keys that
used to lift the locks: same refusal, nothing changed; the buttons still work.
"""

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.slm_agreements.tests.test_tamper_guards import contexts

from .common import SupplierCompCase, SupplierPerformanceCase, utc

NOW = utc(2026, 3, 10, 12)


@tagged("post_install", "-at_install")
class TestTamperGuardsContracts(SupplierCompCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rfp = cls.env["slm.supplier.rfp"].create(
            {
                "name": "T Managed Wi-Fi",
                "service_ids": [(6, 0, cls.service.ids)],
                "user_id": cls.supplier_manager.id,
                "supplier_ids": [(6, 0, (cls.supplier | cls.supplier_2).ids)],
                "criterion_ids": [
                    (0, 0, {"name": name, "weight": weight, "sequence": sequence})
                    for sequence, (name, weight) in enumerate(
                        (("Price", 40), ("Quality", 35), ("Support", 25)), 1
                    )
                ],
            }
        )

    # ------------------------------------------------------------------
    # Underpinning contracts (slm_agreement_system_write)
    # ------------------------------------------------------------------

    def test_key_agreement_system_write_uc(self):
        """A Supplier Manager cannot agree a UC without targets under a forged
        signer, nor record a notice, by writing; once agreed, the supplier's
        sign-off stays, with or without the key."""
        uc = self._uc(agreed=False).with_user(self.supplier_manager)
        for ctx in contexts("slm_agreement_system_write"):
            with self.subTest(ctx=ctx):
                mine = uc.with_context(**ctx)
                with self.assertRaisesText(UserError, "cannot be written directly"):
                    mine.write(
                        {
                            "state": "agreed",
                            "provider_signed_by_id": self.manager.id,
                            "provider_signed_date": "2026-01-01 00:00:00",
                        }
                    )
                with self.assertRaisesText(UserError, "cannot be written directly"):
                    mine.write({"notice_given_date": "2026-02-01"})
                with self.assertRaisesText(UserError, "cannot be agreed yet"):
                    mine.action_agree()
        self.assertRecordValues(
            uc,
            [
                {
                    "state": "draft",
                    "provider_signed_by_id": False,
                    "notice_given_date": False,
                }
            ],
        )
        # The button, with what it needs: the Supplier Manager signs.
        uc.write(
            {
                "supplier_signed_by_id": self.supplier_contact.id,
                "supplier_signed_date": "2026-01-01",
                "target_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "T response 4 h",
                            "metric": "response",
                            "threshold_hours": 4,
                            "objective_pct": 90,
                            "around_the_clock": True,
                        },
                    )
                ],
            }
        )
        uc.action_agree()
        self.assertRecordValues(
            uc,
            [{"state": "agreed", "provider_signed_by_id": self.supplier_manager.id}],
        )
        for ctx in contexts("slm_agreement_system_write"):
            with self.subTest(ctx=ctx):
                with self.assertRaisesText(UserError, "Create a new revision"):
                    uc.with_context(**ctx).write(
                        {"supplier_signed_by_id": self.supplier_2.id}
                    )
                with self.assertRaisesText(UserError, "Create a new revision"):
                    uc.target_ids.with_context(**ctx).write({"threshold_hours": 400})
        self.assertEqual(uc.supplier_signed_by_id, self.supplier_contact)
        self.assertEqual(uc.target_ids.threshold_hours, 4)

    # ------------------------------------------------------------------
    # Requests for proposal (slm_rfp_checks_weights)
    # ------------------------------------------------------------------

    def test_key_rfp_checks_weights(self):
        """The key no longer skips the weights check: all criteria at zero is
        refused; through the request, a swap of weights still passes."""
        criteria = self.rfp.criterion_ids.with_user(self.supplier_manager)
        for ctx in contexts("slm_rfp_checks_weights"):
            with self.subTest(ctx=ctx):
                with self.assertRaisesText(ValidationError, "weight above zero"):
                    criteria.with_context(**ctx).write({"weight": 0})
                with self.assertRaisesText(ValidationError, "weight above zero"):
                    self.rfp.with_user(self.supplier_manager).with_context(**ctx).write(
                        {"criterion_ids": [(1, c.id, {"weight": 0}) for c in criteria]}
                    )
        self.assertEqual(self.rfp.criterion_ids.mapped("weight"), [40, 35, 25])
        price, quality, support = criteria
        self.rfp.with_user(self.supplier_manager).write(
            {
                "criterion_ids": [
                    (1, price.id, {"weight": 0}),
                    (1, quality.id, {"weight": 0}),
                    (1, support.id, {"weight": 100}),
                ]
            }
        )
        self.assertEqual(self.rfp.criterion_ids.mapped("weight"), [0, 0, 100])

    def test_rfp_and_proposal_workflow_fields_refused(self):
        """Status and decision of a request, status of a proposal: only the
        buttons set them."""
        rfp = self.rfp.with_user(self.supplier_manager)
        for ctx in contexts("slm_rfp_checks_weights"):
            with self.subTest(ctx=ctx):
                for vals in (
                    {"state": "open"},
                    {"state": "decided"},
                    {"date_decided": "2026-02-01"},
                ):
                    with self.assertRaisesText(UserError, "cannot be written directly"):
                        rfp.with_context(**ctx).write(vals)
                with self.assertRaisesText(UserError, "starts as a draft"):
                    self.env["slm.supplier.rfp"].with_user(
                        self.supplier_manager
                    ).with_context(**ctx).create(
                        {"name": "T Forged", "state": "decided"}
                    )
        self.assertEqual(self.rfp.state, "draft")
        rfp.action_open()
        self.assertEqual(self.rfp.state, "open")
        proposal = (
            self.env["slm.supplier.proposal"]
            .with_user(self.supplier_manager)
            .create({"rfp_id": rfp.id, "supplier_id": self.supplier.id, "price": 100})
        )
        for ctx in contexts("slm_rfp_checks_weights"):
            with self.subTest(ctx=ctx):
                with self.assertRaisesText(UserError, "Select as Winner"):
                    proposal.with_context(**ctx).write({"state": "won"})
        self.assertEqual(proposal.state, "submitted")
        proposal.action_select_winner()
        self.assertEqual(proposal.state, "won")
        self.assertRecordValues(
            self.rfp, [{"state": "decided", "winner_id": proposal.id}]
        )
        self.assertEqual(self.rfp.agreement_id.state, "draft")


@tagged("post_install", "-at_install")
class TestTamperGuardsSupplierMonths(SupplierPerformanceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Fee 4000, 5 % per breach beyond 2, cap 25 %: 4 breaches in January
        # earn (4 - 2) x 5 % x 4000 = 400.
        cls.uc = cls._uc(
            cls.supplier,
            "T Fibre access",
            "FN-1",
            supplier_manager_id=cls.supplier_manager.id,
        )
        _response, resolution = cls._targets(cls.uc)
        cls._settled(
            resolution,
            "breached",
            utc(2026, 1, 8, 10),
            utc(2026, 1, 9, 10),
            utc(2026, 1, 12, 10),
            utc(2026, 1, 13, 10),
        )

    def test_key_supplier_period_system_write(self):
        """A Supplier Manager cannot rewrite a confirmed month's credit,
        figures, status or confirmer, with or without the key."""
        with freeze_time(NOW):
            self.Period._slm_refresh(agreements=self.uc)
        january = self._row(self.uc, "2026-01-01").with_user(self.supplier_manager)
        with freeze_time(NOW):
            january.action_confirm()
        self.assertRecordValues(
            january,
            [{"state": "confirmed", "breached": 4, "credit_amount": 400.0}],
        )
        for ctx in contexts("slm_supplier_period_system_write"):
            for vals in (
                {"credit_amount": 0},
                {"breached": 0},
                {"monthly_fee": 1},
                {"state": "computed"},
                {"state": "claimed"},
                {"confirmed_by_id": self.process_owner.id},
            ):
                with self.subTest(ctx=ctx, vals=vals):
                    with self.assertRaisesText(UserError, "by hand"):
                        january.with_context(**ctx).write(vals)
        self.assertRecordValues(
            january,
            [
                {
                    "state": "confirmed",
                    "breached": 4,
                    "credit_amount": 400.0,
                    "monthly_fee": 4000.0,
                    "confirmed_by_id": self.supplier_manager.id,
                }
            ],
        )
        # The buttons: reset (logged) and confirm again.
        with freeze_time(NOW):
            january.action_reset()
            self.assertEqual(january.state, "computed")
            january.action_confirm()
        self.assertEqual(january.state, "confirmed")
