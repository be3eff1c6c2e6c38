# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Sealed documents (seal rules of slm_agreements' usage readme): issued
statements, sent minutes, confirmed supplier months and agreed agreements
carry a hash chained per kind and company; Verify Integrity names the
document altered behind the application (here: in SQL)."""

from datetime import date
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import SlmReviewCase

KINDS = ("slm.agreement", "slm.review", "slm.service.statement", "slm.supplier.period")
# Context keys an attacker would send (the lifecycle keys of the suite, and
# Odoo's own).
ATTACKER_CONTEXTS = (
    {},
    {"slm_agreement_system_write": True},
    {"slm_review_unfreeze": True},
    {"slm_supplier_period_system_write": True},
    {"slm_adjustment_system_write": True},
    {"install_mode": True, "module": "slm_agreements"},
    {"tracking_disable": True, "active_test": False},
)


@tagged("post_install", "-at_install")
class TestSealedDocuments(SlmReviewCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Seal = cls.env["slm.seal"]
        # Two agreed SLAs: sealed by Agree.
        cls.sla = cls._agreement(
            [cls._target("resolution", 4, calendar_id=False)],
            name="T Sealed SLA",
            structure="customer_based",
            partner_id=cls.customer.id,
            customer_contact_id=cls.contact.id,
            date_start="2026-01-01",
        )
        other_contact = cls.env["res.partner"].create(
            {"name": "T Other Signer", "parent_id": cls.other_customer.id}
        )
        cls.sla_2 = cls.env["slm.agreement"].create(
            {
                "name": "T Sealed SLA 2",
                "kind": "sla",
                "structure": "customer_based",
                "partner_id": cls.other_customer.id,
                "date_start": "2026-01-01",
                "service_ids": [(6, 0, cls.service.ids)],
                "customer_signed_by_id": other_contact.id,
                "customer_signed_date": "2026-01-01",
                "target_ids": [(0, 0, cls._target("response", 2, calendar_id=False))],
            }
        )
        cls.sla_2.with_user(cls.slm_manager).action_agree()
        # Two issued statements.
        Statement = cls.env["slm.service.statement"]
        cls.statements = Statement.create(
            [
                {"agreement_id": cls.sla.id, "period_start": "2026-02-01"},
                {"agreement_id": cls.sla.id, "period_start": "2026-03-01"},
            ]
        )
        cls.statements.with_user(cls.slm_manager).action_issue()
        # Two reviews whose minutes are sent.
        cls.reviews = cls.env["slm.review"]
        for month in ("2026-07", "2026-08"):
            review = cls._review(
                agreement_ids=[(6, 0, cls.sla.ids)],
                period_start=f"{month}-01",
                period_end=f"{month}-28",
            )
            review.action_prepare_agenda()
            review.action_meeting_held()
            review.action_generate_minutes()
            review._mark_minutes_sent()
            cls.reviews |= review
        # A UC agreed by its Supplier Manager, and two confirmed months.
        cls.supplier = cls.env["res.partner"].create(
            {"name": "T Sealed Supplier", "is_company": True}
        )
        signer = cls.env["res.partner"].create(
            {"name": "T Supplier Signer", "parent_id": cls.supplier.id}
        )
        cls.uc = cls.env["slm.agreement"].create(
            {
                "name": "T Sealed UC",
                "kind": "uc",
                "structure": "service_based",
                "date_start": "2025-01-01",
                "service_ids": [(6, 0, cls.service.ids)],
                "supplier_id": cls.supplier.id,
                "contract_ref": "T-SEAL-1",
                "monthly_fee": 4000,
                "credit_pct_per_breach": 5,
                "breach_allowance": 0,
                "credit_cap_pct": 25,
                "supplier_signed_by_id": signer.id,
                "supplier_signed_date": "2025-01-01",
                "target_ids": [(0, 0, cls._target("resolution", 8, calendar_id=False))],
            }
        )
        cls.uc.with_user(cls.slm_manager).action_agree()
        Period = cls.env["slm.supplier.period"]
        Period._slm_refresh(cls.uc, date(2026, 1, 1), date(2026, 2, 1))
        cls.months = Period.search(
            [("agreement_id", "=", cls.uc.id)], order="period_start"
        )
        cls.months.with_user(cls.slm_manager).action_confirm()

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _verify(self):
        return {
            result["kind"]: result
            for result in self.Seal._verify_chains(self.company)
            if result["kind"] in KINDS
        }

    def _documents(self):
        return {
            "slm.agreement": self.sla | self.sla_2 | self.uc,
            "slm.review": self.reviews,
            "slm.service.statement": self.statements,
            "slm.supplier.period": self.months,
        }

    def _tamper(self, query, *params):
        """Change the database behind the application."""
        self.env.flush_all()
        self.env.cr.execute(query, params)
        self.env.invalidate_all()

    # ------------------------------------------------------------------
    # Sealing
    # ------------------------------------------------------------------

    def test_documents_are_sealed_in_chains(self):
        self.assertEqual(len(self.months), 2)
        for kind, documents in self._documents().items():
            with self.subTest(kind=kind):
                self.assertTrue(all(documents.mapped("seal_id")), kind)
                seals = documents.seal_id.sorted("sequence")
                self.assertEqual(set(seals.mapped("kind")), {kind})
                self.assertEqual(seals.company_id, self.company)
                # Each links to the seal before it, in the chain of its kind.
                for seal in seals:
                    previous = self.Seal.search(
                        [
                            ("kind", "=", kind),
                            ("company_id", "=", self.company.id),
                            ("sequence", "=", seal.sequence - 1),
                        ]
                    )
                    self.assertEqual(seal.previous_hash or "", previous.hash or "")
                    self.assertEqual(
                        seal.hash, self.Seal._hash(previous.hash, seal.payload)
                    )
                last = self.Seal.search(
                    [("kind", "=", kind), ("company_id", "=", self.company.id)],
                    order="sequence desc",
                    limit=1,
                )
                self.assertTrue(last.is_head)
                self.assertEqual(
                    self.Seal.search_count(
                        [
                            ("kind", "=", kind),
                            ("company_id", "=", self.company.id),
                            ("is_head", "=", True),
                        ]
                    ),
                    1,
                )
        document = self.statements[0]
        self.assertEqual(document.seal_hash, document.seal_id.hash)
        self.assertEqual(document.seal_sequence, document.seal_id.sequence)
        self.assertTrue(document.sealed_at)
        # The frozen figures are in the seal: lines of statements and months,
        # the minutes, the agreed targets' thresholds.
        line = self.statements[0].line_ids[0]
        self.assertIn(f'"line_ids.{line.id}.met"', document.seal_id.payload)
        self.assertIn('"minutes"', self.reviews[0].seal_id.payload)
        self.assertIn('"credit_amount"', self.months[0].seal_id.payload)
        target = self.sla.target_ids
        self.assertIn(
            f'"target_ids.{target.id}.threshold_hours":4.0', self.sla.seal_id.payload
        )
        self.assertIn('"supplier_signed_by_id"', self.uc.seal_id.payload)

    def test_unaltered_chains_verify(self):
        results = self._verify()
        self.assertEqual(set(results), set(KINDS))
        for kind, result in results.items():
            with self.subTest(kind=kind):
                self.assertTrue(result["ok"], result["problems"])
                self.assertGreaterEqual(result["count"], 2)
                self.assertEqual(result["first"].sequence, 1)
                self.assertEqual(result["last"].sequence, result["count"])
        # The wizard a manager shows an auditor, and its printout.
        wizard = (
            self.env["slm.seal.verification"].with_user(self.slm_manager).create({})
        )
        self.assertTrue(wizard.all_ok)
        self.assertIn("OK: no sealed document was altered", wizard.result_html)
        self.assertIn(self.statements[-1].name, wizard.result_html)
        html = self.env["ir.actions.report"]._render_qweb_html(
            "slm_agreements.report_seal_verification", wizard.ids
        )[0]
        self.assertIn(b"Integrity of Sealed Documents", html)
        # The result shown to an auditor cannot be edited before printing.
        with self.assertRaises(UserError):
            wizard.write({"all_ok": True, "result_html": "<p>All fine</p>"})

    def test_only_managers_verify(self):
        with self.assertRaises(AccessError):
            self.env["slm.seal.verification"].with_user(self.analyst).create({})
        with self.assertRaises(AccessError):
            self.env["slm.seal.verification"].with_user(self.analyst).default_get(
                ["result_html"]
            )
        with self.assertRaises(AccessError):
            self.Seal.with_user(self.analyst).search([])

    # ------------------------------------------------------------------
    # Tampering in SQL
    # ------------------------------------------------------------------

    def test_sql_alteration_of_a_statement_is_named(self):
        statement = self.statements[1]
        line = statement.line_ids[0]
        self._tamper(
            "UPDATE slm_service_statement_line SET met = met + 7 WHERE id = %s",
            line.id,
        )
        results = self._verify()
        result = results["slm.service.statement"]
        self.assertFalse(result["ok"])
        self.assertEqual(result["altered"], statement)
        self.assertEqual(len(result["problems"]), 1)
        self.assertIn(statement.display_name, result["problems"][0])
        self.assertIn(f"Met of line {line.id}", result["problems"][0])
        # The other statement and the other kinds stay OK.
        self.assertNotIn(self.statements[0].display_name, result["problems"][0])
        for kind in set(KINDS) - {"slm.service.statement"}:
            self.assertTrue(results[kind]["ok"], results[kind]["problems"])
        wizard = (
            self.env["slm.seal.verification"].with_user(self.slm_manager).create({})
        )
        self.assertFalse(wizard.all_ok)
        self.assertIn("ALTERED", wizard.result_html)
        self.assertIn(statement.display_name, wizard.result_html)

    def test_sql_alteration_of_each_kind_is_named(self):
        review = self.reviews[0]
        month = self.months[1]
        target = self.sla_2.target_ids
        self._tamper(
            "UPDATE slm_review SET minutes = '<p>Nothing was decided.</p>' "
            "WHERE id = %s",
            review.id,
        )
        self._tamper(
            "UPDATE slm_supplier_period SET credit_amount = 1000 " "WHERE id = %s",
            month.id,
        )
        self._tamper(
            "UPDATE slm_target SET threshold_hours = 200 WHERE id = %s", target.id
        )
        results = self._verify()
        expected = {
            "slm.review": (review, "Minutes"),
            "slm.supplier.period": (month, "Service Credit"),
            "slm.agreement": (self.sla_2, f"Threshold (hours) of line {target.id}"),
        }
        for kind, (document, field) in expected.items():
            with self.subTest(kind=kind):
                result = results[kind]
                self.assertFalse(result["ok"])
                self.assertEqual(result["altered"], document)
                self.assertEqual(len(result["problems"]), 1)
                self.assertIn(document.display_name, result["problems"][0])
                self.assertIn(field, result["problems"][0])
        self.assertTrue(results["slm.service.statement"]["ok"])

    def test_sql_removed_seal_is_named(self):
        statement = self.statements[1]
        self._tamper(
            "UPDATE slm_service_statement SET seal_id = NULL WHERE id = %s",
            statement.id,
        )
        result = self._verify()["slm.service.statement"]
        self.assertEqual(result["altered"], statement)
        self.assertIn(f"{statement.display_name} (seal No. ", result["problems"][0])
        self.assertIn("lost its seal but is still issued", result["problems"][0])

    def test_sql_deleted_line_is_named(self):
        statement = self.statements[0]
        line = statement.line_ids[0]
        self._tamper("DELETE FROM slm_service_statement_line WHERE id = %s", line.id)
        result = self._verify()["slm.service.statement"]
        self.assertEqual(result["altered"], statement)
        self.assertIn("lines added or removed", result["problems"][0])
        self.assertIn(f"Met of line {line.id}", result["problems"][0])

    def test_figures_sealed_later_are_not_compared(self):
        """A module installed later may seal more figures: the documents
        sealed before are compared on the figures they were sealed with."""
        Statement = type(self.env["slm.service.statement"])
        fields = Statement._seal_fields
        with patch.object(
            Statement,
            "_seal_fields",
            lambda self: fields(self) + ["computed_date", "line_ids.sequence"],
        ):
            self.assertTrue(self._verify()["slm.service.statement"]["ok"])

    def test_sql_alteration_of_a_seal_breaks_the_chain(self):
        seal = self.statements[0].seal_id
        self._tamper(
            "UPDATE slm_seal SET payload = replace(payload, '\"total_met\":', "
            "'\"total_met\":1') WHERE id = %s",
            seal.id,
        )
        result = self._verify()["slm.service.statement"]
        self.assertFalse(result["ok"])
        self.assertIn("The seal of", result["problems"][0])
        self.assertIn(f"No. {seal.sequence}", result["problems"][0])

    def test_sql_deletion_of_a_seal_is_found(self):
        first = self.months.seal_id.sorted("sequence")[0]
        sequence = first.sequence
        self._tamper(
            "UPDATE slm_supplier_period SET seal_id = NULL WHERE id = %s",
            self.months[0].id,
        )
        self._tamper("DELETE FROM slm_seal WHERE id = %s", first.id)
        result = self._verify()["slm.supplier.period"]
        self.assertFalse(result["ok"])
        self.assertIn(f"Seal No. {sequence} is missing", result["problems"][0])
        # The month left without a seal is counted.
        self.assertGreaterEqual(result["unsealed"], 1)

    # ------------------------------------------------------------------
    # The seal fields: written by the sealing only
    # ------------------------------------------------------------------

    @mute_logger("odoo.models")
    def test_seal_fields_refused_whatever_the_context(self):
        other_seal = self.sla_2.seal_id
        for kind, documents in self._documents().items():
            document = documents[0]
            seal = document.seal_id
            for context in ATTACKER_CONTEXTS:
                for vals in (
                    {"seal_id": False},
                    {"seal_id": other_seal.id},
                    {"seal_hash": "0" * 64},
                    {"seal_sequence": 99},
                    {"sealed_at": "2020-01-01 00:00:00"},
                ):
                    with (
                        self.subTest(kind=kind, context=context, vals=vals),
                        self.assertRaises(UserError),
                    ):
                        document.with_user(self.slm_manager).with_context(
                            **context
                        ).write(vals)
            self.assertEqual(document.seal_id, seal)
        # A seal cannot be created, changed or deleted, even by the superuser
        # through the ORM.
        seal = self.statements[0].seal_id
        payload = seal.payload
        for context in ATTACKER_CONTEXTS:
            Seal = self.Seal.with_user(self.slm_manager).with_context(**context)
            with self.assertRaises(UserError):
                Seal.browse(seal.id).write({"payload": "{}"})
            with self.assertRaises(AccessError):
                Seal.browse(seal.id).unlink()
            with self.assertRaises(UserError):
                Seal.create({"kind": "slm.review", "res_id": 1, "sequence": 99})
        with self.assertRaises(UserError):
            seal.sudo().write({"payload": "{}", "is_head": True})
        with self.assertRaises(UserError):
            seal.sudo().unlink()
        self.assertEqual(seal.payload, payload)
        # A new document cannot be created sealed.
        with self.assertRaises(UserError):
            self.env["slm.review"].with_user(self.slm_manager).create(
                {
                    "kind": "service",
                    "partner_id": self.customer.id,
                    "period_start": "2026-10-01",
                    "period_end": "2026-10-31",
                    "seal_id": seal.id,
                }
            )
        self.assertTrue(all(result["ok"] for result in self._verify().values()))

    # ------------------------------------------------------------------
    # Documents that leave their sealed state by a logged action
    # ------------------------------------------------------------------

    def test_reset_month_is_sealed_again(self):
        month = self.months[0]
        old_seal = month.seal_id
        month.with_user(self.slm_manager).action_reset()
        self.assertFalse(month.seal_id)
        self.assertTrue(old_seal.exists())
        month.with_user(self.slm_manager).action_confirm()
        self.assertTrue(month.seal_id)
        self.assertGreater(month.seal_id.sequence, old_seal.sequence)
        self.assertEqual(month.seal_id.previous_hash, self.months[1].seal_id.hash)
        self.assertTrue(self._verify()["slm.supplier.period"]["ok"])

    def test_agreed_revision_is_a_new_seal(self):
        old_seal = self.sla.seal_id
        action = self.sla.with_user(self.slm_manager).action_new_revision()
        revision = self.env["slm.agreement"].browse(action["res_id"])
        self.assertFalse(revision.seal_id)
        revision.write(
            {
                "customer_signed_by_id": self.contact.id,
                "customer_signed_date": "2026-06-01",
            }
        )
        revision.with_user(self.slm_manager).action_agree()
        self.assertTrue(revision.seal_id)
        self.assertNotEqual(revision.seal_id, old_seal)
        # The old revision keeps its seal, though it now ends earlier.
        self.assertEqual(self.sla.seal_id, old_seal)
        self.assertTrue(self._verify()["slm.agreement"]["ok"])
