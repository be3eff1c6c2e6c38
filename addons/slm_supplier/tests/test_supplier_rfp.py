# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from odoo.addons.slm_catalogue.tests.common import AccessCheckMixin

from .common import SupplierCompCase


@tagged("post_install", "-at_install")
class TestSupplierRfp(AccessCheckMixin, SupplierCompCase):
    """Requests for proposal: weighted criteria, scores, ranking, winner."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Rfp = cls.env["slm.supplier.rfp"]
        cls.Proposal = cls.env["slm.supplier.proposal"]
        cls.rfp = cls._rfp()

    @classmethod
    def _rfp(cls, weights=(40, 35, 25), **vals):
        values = {
            "name": "T Managed Wi-Fi",
            "service_ids": [(6, 0, cls.service.ids)],
            "requirements": "<p>Wi-Fi in every office, 99.9 %.</p>",
            "user_id": cls.supplier_manager.id,
            "supplier_ids": [
                (6, 0, (cls.supplier | cls.supplier_2 | cls.supplier_3).ids)
            ],
            "criterion_ids": [
                (0, 0, {"name": name, "weight": weight, "sequence": sequence})
                for sequence, (name, weight) in enumerate(
                    zip(("Price", "Quality", "Support"), weights, strict=False), 1
                )
            ],
        }
        values.update(vals)
        return cls.env["slm.supplier.rfp"].create(values)

    def _criteria(self, rfp=None):
        rfp = rfp or self.rfp
        return {c.name: c for c in rfp.criterion_ids}

    def _propose(self, supplier, price, scores, rfp=None):
        """A proposal scored (price, quality, support)."""
        rfp = rfp or self.rfp
        proposal = self.Proposal.create(
            {"rfp_id": rfp.id, "supplier_id": supplier.id, "price": price}
        )
        criteria = self._criteria(rfp)
        for name, score in zip(("Price", "Quality", "Support"), scores, strict=True):
            proposal.score_ids.filtered(
                lambda line, c=criteria[name]: line.criterion_id == c
            ).score = score
        return proposal

    # ------------------------------------------------------------------
    # Criteria and scores
    # ------------------------------------------------------------------

    def test_weights_bad_input(self):
        with self.assertRaisesText(ValidationError, "a weight cannot be negative"):
            self._rfp(name="T Negative", weights=(40, -5, 25))
        with self.assertRaisesText(
            ValidationError, "give at least one criterion a weight above zero"
        ):
            self._rfp(name="T All Zero", weights=(0, 0, 0))
        self.assertFalse(
            self.Rfp.search([("name", "in", ("T Negative", "T All Zero"))])
        )
        criteria = self._criteria()
        with self.assertRaisesText(ValidationError, "a weight cannot be negative"):
            criteria["Price"].weight = -1
        self.assertEqual(criteria["Price"].weight, 40)
        # One criterion at zero is fine; all at zero is not.
        criteria["Price"].weight = 0
        with self.assertRaisesText(ValidationError, "weight above zero"):
            (criteria["Quality"] | criteria["Support"]).write({"weight": 0})
        self.assertEqual(criteria["Support"].weight, 25)
        with self.assertRaisesText(ValidationError, "weight above zero"):
            (criteria["Quality"] | criteria["Support"]).unlink()
        self.assertEqual(len(self.rfp.criterion_ids), 3)
        # Swapped in one save of the form: passes through (0, 0, 0) line by
        # line, but the request checks the result.
        rfp = self._rfp(name="T Swap", weights=(10, 0))
        first, second = rfp.criterion_ids
        rfp.write(
            {
                "criterion_ids": [(1, first.id, {"weight": 0})]
                + [(1, second.id, {"weight": 10})]
            }
        )
        self.assertEqual(rfp.criterion_ids.mapped("weight"), [0, 10])
        self.assertEqual(second.weight_pct, 100)

    def test_score_range(self):
        self.rfp.action_open()
        proposal = self._propose(self.supplier, 1000, (0, 10, 5))
        line = proposal.score_ids[:1]
        for bad in (10.5, -1):
            with self.subTest(score=bad):
                with self.assertRaisesText(ValidationError, "Scores go from 0 to 10"):
                    line.score = bad
                self.assertEqual(line.score, 0)
        self.assertEqual(sorted(proposal.score_ids.mapped("score")), [0, 5, 10])

    def test_ranking_hand_worked(self):
        self.rfp.action_open()
        # Weights 40 / 35 / 25 (sum 100):
        # A: (40 x 8 + 35 x 6 + 25 x 9) / 100 = (320 + 210 + 225) / 100 = 7.55
        # B: (40 x 7 + 35 x 9 + 25 x 6) / 100 = (280 + 315 + 150) / 100 = 7.45
        # C: (40 x 9 + 35 x 5 + 25 x 7) / 100 = (360 + 175 + 175) / 100 = 7.10
        a = self._propose(self.supplier, 52000, (8, 6, 9))
        b = self._propose(self.supplier_2, 48000, (7, 9, 6))
        c = self._propose(self.supplier_3, 45000, (9, 5, 7))
        self.assertAlmostEqual(a.total_score, 7.55)
        self.assertAlmostEqual(b.total_score, 7.45)
        self.assertAlmostEqual(c.total_score, 7.10)
        self.assertAlmostEqual(a.total_score_pct, 75.5)
        self.assertEqual((a.rank, b.rank, c.rank), (1, 2, 3))
        ranking = self.Proposal.search([("rfp_id", "=", self.rfp.id)])
        self.assertEqual(list(ranking), [a, b, c])
        # C rescored like B: both second, A still first.
        criteria = self._criteria()
        for name, score in (("Price", 7), ("Quality", 9), ("Support", 6)):
            c.score_ids.filtered(
                lambda line, n=name: line.criterion_id == criteria[n]
            ).score = score
        self.assertEqual((a.rank, b.rank, c.rank), (1, 2, 2))
        # Weights are relative: 8 / 7 / 5 (sum 20) gives the same totals as
        # 40 / 35 / 25. Quality alone: B and C first (9), A third (6).
        criteria["Price"].weight = 8
        criteria["Quality"].weight = 7
        criteria["Support"].weight = 5
        self.assertAlmostEqual(a.total_score, 7.55)
        self.rfp.write(
            {
                "criterion_ids": [
                    (1, criteria["Price"].id, {"weight": 0}),
                    (1, criteria["Support"].id, {"weight": 0}),
                ]
            }
        )
        self.assertAlmostEqual(a.total_score, 6)
        self.assertEqual((a.rank, b.rank, c.rank), (3, 1, 1))
        # A criterion added later: every proposal gets a score line for it.
        self.env["slm.supplier.rfp.criterion"].create(
            {"rfp_id": self.rfp.id, "name": "Security", "weight": 10}
        )
        self.assertEqual(len(a.score_ids), 4)
        # Quality 10 and Security 0 (equal weights): (10 x 6 + 10 x 0) / 20 = 3.
        criteria["Quality"].weight = 10
        self.assertAlmostEqual(a.total_score, 3)

    def test_proposal_form_scores_every_criterion(self):
        self.rfp.action_open()
        with Form(self.Proposal.with_user(self.supplier_manager)) as form:
            form.rfp_id = self.rfp
            form.supplier_id = self.supplier
            form.price = 1000
            self.assertEqual(len(form.score_ids), 3)
            for index, score in enumerate((8, 6, 9)):
                with form.score_ids.edit(index) as line:
                    line.score = score
        proposal = form.record
        self.assertEqual(len(proposal.score_ids), 3)
        self.assertEqual(
            proposal.score_ids.mapped("criterion_id"), self.rfp.criterion_ids
        )
        self.assertAlmostEqual(proposal.total_score, 7.55)

    def test_demo_request_for_proposal(self):
        rfp = self.env.ref("slm_supplier.demo_rfp_wifi", raise_if_not_found=False)
        if not rfp:
            self.skipTest("no demo data")
        self.assertEqual(rfp.state, "evaluation")
        self.assertEqual(rfp.criterion_ids.mapped("weight"), [40, 35, 25])
        ranking = rfp.proposal_ids.sorted("rank")
        self.assertEqual(ranking.mapped("rank"), [1, 2, 3])
        for proposal, total in zip(ranking, (7.55, 7.45, 7.10), strict=True):
            self.assertAlmostEqual(proposal.total_score, total)
        self.assertEqual(ranking[0].supplier_id.name, "Fibre Networks Ltd")

    # ------------------------------------------------------------------
    # Lifecycle and winner
    # ------------------------------------------------------------------

    def test_winner_drafts_the_contract(self):
        rfp = self.rfp.with_user(self.supplier_manager)
        rfp.action_open()
        Proposal = self.Proposal.with_user(self.supplier_manager)
        a = self._propose(self.supplier, 52000, (8, 6, 9))
        b = self._propose(self.supplier_2, 48000.5, (7, 9, 6))
        c = self._propose(self.supplier_3, 45000, (9, 5, 7))
        rfp.action_start_evaluation()
        self.assertEqual(rfp.state, "evaluation")
        # The second-ranked wins: the decision is the Supplier Manager's.
        action = Proposal.browse(b.id).action_select_winner()
        self.assertEqual((a.state, b.state, c.state), ("lost", "won", "lost"))
        self.assertEqual(rfp.state, "decided")
        self.assertEqual(rfp.winner_id, b)
        contract = rfp.agreement_id
        self.assertEqual(action["res_model"], "slm.agreement")
        self.assertEqual(action["res_id"], contract.id)
        self.assertEqual(contract.kind, "uc")
        self.assertEqual(contract.state, "draft")
        self.assertEqual(contract.name, "T Managed Wi-Fi")
        self.assertEqual(contract.supplier_id, self.supplier_2)
        self.assertEqual(contract.service_ids, self.service)
        self.assertEqual(contract.contract_value, 48000.5)
        self.assertEqual(contract.currency_id, b.currency_id)
        self.assertEqual(contract.supplier_manager_id, self.supplier_manager)
        self.assertEqual(contract.supplier_proposal_id, b)
        self.assertTrue(contract.reference.startswith("UC"))
        self.assertIn("Wi-Fi in every office", str(contract.description))
        # Chatter throughout.
        self.assertTrue(self._notes(rfp, "selected as the winner"))
        self.assertTrue(self._notes(b, "selected as the winner"))
        self.assertTrue(self._notes(a, "Not selected"))
        self.assertTrue(self._notes(contract, "Drafted from"))
        # Decided: the ranking stays as it was, no second winner.
        with self.assertRaisesText(UserError, "no longer change"):
            a.score_ids[:1].score = 10
        with self.assertRaisesText(UserError, "already been decided"):
            a.action_select_winner()
        with self.assertRaisesText(UserError, "no longer change"):
            self._criteria()["Price"].weight = 1
        self.assertEqual(
            self.Agreement.search_count(
                [
                    ("supplier_proposal_id", "!=", False),
                    ("name", "=", "T Managed Wi-Fi"),
                ]
            ),
            1,
        )

    def test_only_invited_suppliers_propose(self):
        self.rfp.action_open()
        with self.assertRaisesText(ValidationError, "was not invited"):
            self.Proposal.create(
                {"rfp_id": self.rfp.id, "supplier_id": self.not_invited.id}
            )
        self.assertFalse(self.rfp.proposal_ids)
        proposal = self._propose(self.supplier, 100, (5, 5, 5))
        with self.assertRaisesText(ValidationError, "was not invited"):
            proposal.supplier_id = self.not_invited
        with self.assertRaisesText(ValidationError, "stays invited"):
            self.rfp.supplier_ids = [(3, self.supplier.id)]
        self.assertIn(self.supplier, self.rfp.supplier_ids)
        # One proposal per supplier.
        with self.assertRaisesText(ValidationError, "one proposal per request"):
            self.Proposal.create(
                {"rfp_id": self.rfp.id, "supplier_id": self.supplier.id}
            )

    def test_lifecycle_bad_input(self):
        draft = self._rfp(name="T Draft", supplier_ids=[])
        with self.assertRaisesText(UserError, "invite at least one supplier"):
            draft.action_open()
        self.assertEqual(draft.state, "draft")
        with self.assertRaisesText(UserError, "open or in evaluation"):
            self.Proposal.create(
                {"rfp_id": self.rfp.id, "supplier_id": self.supplier.id}
            )
        self.assertEqual(draft.reference[:3], "RFP")
        self.rfp.action_open()
        with self.assertRaisesText(UserError, "no proposal yet"):
            self.rfp.action_start_evaluation()
        with self.assertRaisesText(UserError, "reason for cancelling"):
            self.rfp.action_cancel()
        self.assertEqual(self.rfp.state, "open")
        self.rfp.cancel_reason = "Budget withdrawn."
        self.rfp.action_cancel()
        self.assertEqual(self.rfp.state, "cancelled")
        with self.assertRaisesText(UserError, "select a winner"):
            self.rfp._select_winner(self.Proposal)
        self.rfp.action_reset_draft()
        self.assertEqual(self.rfp.state, "draft")
        self.assertFalse(self.rfp.cancel_reason)

    def test_access(self):
        self.rfp.action_open()
        proposal = self._propose(self.supplier, 100, (5, 5, 5))
        rfp_vals = {"name": "T ACL"}
        proposal_vals = {"rfp_id": self.rfp.id, "supplier_id": self.supplier_2.id}
        for user in (self.supplier_manager, self.manager, self.process_owner):
            with self.subTest(user=user.login):
                self.assertTrue(self._can(user, "create", self.Rfp, rfp_vals))
                self.assertTrue(self._can(user, "write", self.rfp, {"name": "X"}))
                self.assertTrue(self._can(user, "create", self.Proposal, proposal_vals))
                self.assertTrue(
                    self._can(user, "write", proposal.score_ids, {"score": 3})
                )
                self.assertTrue(
                    self._can(user, "write", self.rfp.criterion_ids[:1], {"weight": 3})
                )
        for user in (self.analyst, self.owner):
            with self.subTest(user=user.login):
                self.assertTrue(self._can(user, "read", self.rfp))
                self.assertTrue(self._can(user, "read", proposal))
                self.assertTrue(self._can(user, "read", proposal.score_ids))
                self.assertFalse(self._can(user, "create", self.Rfp, rfp_vals))
                self.assertFalse(self._can(user, "write", self.rfp, {"name": "X"}))
                self.assertFalse(
                    self._can(user, "create", self.Proposal, proposal_vals)
                )
                self.assertFalse(
                    self._can(user, "write", proposal.score_ids, {"score": 3})
                )
        for user in (self.reader, self.agent, self.outsider):
            with self.subTest(user=user.login):
                self.assertFalse(self._can(user, "read", self.rfp))
                self.assertFalse(self._can(user, "read", proposal))
                self.assertFalse(self._can(user, "read", proposal.score_ids))
