# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Agreed agreements are sealed (seal rules 1-4); the other sealed documents
are tested in slm_reviews (test_sealed_documents)."""

from unittest.mock import patch

from psycopg2 import errors

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tests.common import new_test_user
from odoo.tools import mute_logger

from .common import SlmClockCase


@tagged("post_install", "-at_install")
class TestAgreementSeal(SlmClockCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.slm_manager = new_test_user(
            cls.env,
            "seal_manager",
            "slm_catalogue.group_slm_manager",
            context={"no_reset_password": True},
        )
        cls.first = cls._agreement([cls._target("resolution", 4)], name="T Seal First")
        cls.second = cls._agreement(
            [cls._target("response", 1), cls._target("resolution", 8)],
            name="T Seal Second",
        )
        cls.Seal = cls.env["slm.seal"]

    def _result(self):
        return next(
            result
            for result in self.Seal._verify_chains(self.company)
            if result["kind"] == "slm.agreement"
        )

    def test_agreed_terms_are_sealed_and_verified(self):
        self.assertTrue(self.first.seal_id and self.second.seal_id)
        self.assertEqual(self.second.seal_previous_hash, self.first.seal_hash)
        self.assertEqual(self.second.seal_sequence, self.first.seal_sequence + 1)
        result = self._result()
        self.assertTrue(result["ok"], result["problems"])
        self.assertEqual(result["last"], self.second.seal_id)
        # A name changed in the application (not a sealed term) is fine.
        self.second.name = "T Seal Second (renamed)"
        self.assertTrue(self._result()["ok"])

    def test_target_altered_in_sql_is_named(self):
        target = self.second.target_ids.sorted("id")[1]
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE slm_target SET threshold_hours = 200 WHERE id = %s", [target.id]
        )
        self.env.invalidate_all()
        result = self._result()
        self.assertFalse(result["ok"])
        self.assertEqual(result["altered"], self.second)
        self.assertEqual(len(result["problems"]), 1)
        self.assertIn(self.second.display_name, result["problems"][0])
        self.assertIn(f"Threshold (hours) of line {target.id}", result["problems"][0])
        self.assertNotIn(self.first.display_name, result["problems"][0])

    def test_scope_tags_and_categories_of_agreed_targets(self):
        """Clock rule 20, seal rule 1: deleting a tag or a category (or its
        parent) an agreed target lists is refused, naming the tag, the target
        and the agreement, with or without the uninstall key; archiving them
        leaves the sealed terms as they were: Verify Integrity says OK."""
        desk_manager = new_test_user(
            self.env,
            "seal_desk_manager",
            "helpdesk_mgmt.group_helpdesk_manager",
            context={"no_reset_password": True},
        )
        Tag = self.env["helpdesk.ticket.tag"].with_user(desk_manager)
        Category = self.env["helpdesk.ticket.category"].with_user(desk_manager)
        tag = Tag.create({"name": "T Seal VIP"})
        parent = Category.create({"name": "T Seal Hardware"})
        child = Category.create({"name": "T Seal Laptops", "parent_id": parent.id})
        scoped = self._agreement(
            [
                self._target(
                    "response",
                    3,
                    name="T Seal VIP response",
                    tag_ids=tag.ids,
                    category_ids=child.ids,
                )
            ],
            name="T Seal Scoped",
        )
        target = scoped.target_ids
        for record, name in (
            (tag, tag.name),
            (child, child.name),
            (parent, child.name),
        ):
            for context in ({}, {"_force_unlink": True, "active_test": False}):
                with (
                    self.subTest(record=record.display_name, context=context),
                    self.assertRaises(UserError) as caught,
                ):
                    record.with_context(**context).unlink()
                message = str(caught.exception)
                self.assertIn(name, message)
                self.assertIn("T Seal VIP response", message)
                self.assertIn(scoped.display_name, message)
                self.assertIn("Archive the", message)
        self.assertTrue(tag.exists() and (child | parent).exists())
        tag.action_archive()
        (child | parent).action_archive()
        self.assertEqual(target.tag_ids, tag)
        self.assertEqual(target.category_ids, child)
        result = self._result()
        self.assertTrue(result["ok"], result["problems"])
        tag.action_unarchive()
        (child | parent).action_unarchive()
        self.assertTrue(self._result()["ok"])
        # Uninstalling a module (the superuser, with the uninstall key) is not
        # held up by the guard.
        tag.sudo().with_context(_force_unlink=True).unlink()
        parent.sudo().with_context(_force_unlink=True).unlink()
        self.assertFalse(tag.exists() or child.exists())

    def test_seal_fields_written_by_the_sealing_only(self):
        for context in (
            {},
            {"slm_agreement_system_write": True},
            {"install_mode": True},
        ):
            agreement = self.first.with_user(self.slm_manager).with_context(**context)
            for vals in ({"seal_id": False}, {"seal_hash": "forged"}):
                with self.assertRaises(UserError):
                    agreement.write(vals)
        with self.assertRaises(AccessError):
            self.Seal.with_user(self.slm_manager).browse(self.first.seal_id.id).unlink()
        with self.assertRaises(UserError):
            self.first.seal_id.sudo().write({"hash": "forged"})
        self.assertTrue(self._result()["ok"])

    @mute_logger("odoo.sql_db")
    def test_concurrent_first_seal_is_retried(self):
        """When another transaction took the same place in the chain (its
        snapshot did not show it), the unique place fails as a serialization
        error, which the server retries (seal rule 3), and nothing is kept."""
        draft = self.env["slm.agreement"].create(
            {
                "name": "T Seal Late",
                "kind": "sla",
                "structure": "service_based",
                "date_start": "2020-01-01",
            }
        )
        head = self.second.seal_id
        stale = head.browse(
            self.Seal.search(
                [("kind", "=", "slm.agreement"), ("sequence", "=", head.sequence - 1)]
            ).id
        )
        Agreement = type(self.env["slm.agreement"])
        with (
            patch.object(Agreement, "_seal_lock_head", lambda self, company: stale),
            self.assertRaises(errors.SerializationFailure),
        ):
            draft._seal()
        self.assertFalse(draft.seal_id)
        self.assertTrue(head.is_head)
        self.assertEqual(
            self.Seal.search_count(
                [("kind", "=", "slm.agreement"), ("res_id", "=", draft.id)]
            ),
            0,
        )
