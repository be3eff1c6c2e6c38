# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import AgreementCase


@tagged("post_install", "-at_install")
class TestAgreementLifecycle(AgreementCase):
    """Requirement, draft, negotiation, agreement, termination; sign-offs."""

    def test_reference_per_kind(self):
        sla = self._agreement()
        ola = self._agreement(kind="ola", team_id=self.team.id)
        slr = self._agreement(state="requirement")
        self.assertRegex(sla.reference, r"^SLA\d{4,}$")
        self.assertRegex(ola.reference, r"^OLA\d{4,}$")
        self.assertRegex(slr.reference, r"^SLA\d{4,}$")
        self.assertNotEqual(sla.reference, slr.reference)
        self.assertEqual(sla.display_name, f"{sla.reference} T Agreement")
        self.assertEqual(sla.revision, 1)
        found = self.Agreement.name_search(sla.reference)
        self.assertEqual([sla.id], [rid for rid, _name in found])

    def test_form_creates_draft_with_targets(self):
        form = Form(self.Agreement.with_context(default_kind="sla"))
        form.name = "T Office SLA"
        form.date_start = self.today
        form.service_ids.add(self.service)
        with form.target_ids.new() as line:
            line.metric = "response"
            line.threshold_hours = 2
            line.calendar_id = self.office_hours
        with form.target_ids.new() as line:
            line.threshold_hours = 4
            line.priority_ids.add(self.priorities["3"])
        agreement = form.save()
        self.assertEqual(agreement.state, "draft")
        self.assertEqual(agreement.provider_user_id, self.manager)
        self.assertEqual(
            agreement.next_review_date, self.today + relativedelta(years=1)
        )
        self.assertEqual(
            agreement.target_ids.mapped("name"),
            ["First Response 2 h", "Resolution 4 h (Very High)"],
        )

    def test_requirement_to_agreed(self):
        slr = self._agreement(state="requirement", partner_id=self.customer.id)
        self.env.cr.flush()  # created in an earlier transaction, as in real life
        self.assertEqual(slr.state, "requirement")
        slr.action_to_draft()
        self.assertEqual(slr.state, "draft")
        slr.action_negotiate()
        self.assertEqual(slr.state, "negotiation")
        slr.action_to_draft()
        slr.action_negotiate()
        self._sign(slr)
        before = fields.Datetime.now() - timedelta(seconds=1)
        slr.action_agree()
        self.env.cr.flush()  # mail tracking is written before commit
        self.assertEqual(slr.state, "agreed")
        self.assertEqual(slr.provider_signed_by_id, self.manager)
        self.assertGreaterEqual(slr.provider_signed_date, before)
        self.assertEqual(slr.customer_signed_by_id, self.contact)
        tracked = slr.sudo().message_ids.tracking_value_ids.filtered(
            lambda v: v.field_id.name == "state"
        )
        self.assertIn("Agreed", tracked.mapped("new_value_char"))

    def test_requirement_straight_to_negotiation(self):
        slr = self._agreement(state="requirement")
        slr.action_negotiate()
        self.assertEqual(slr.state, "negotiation")

    def test_requirement_from_action_context(self):
        slr = self.Agreement.with_context(
            default_kind="sla", slm_new_requirement=True
        ).create({"name": "T SLR", "date_start": self.today})
        self.assertEqual(slr.state, "requirement")
        slr.message_post(body="Requirement received", message_type="comment")

    def test_ola_needs_no_customer_signature(self):
        ola = self._agreement(kind="ola", team_id=self.team.id)
        ola.action_agree()
        self.assertEqual(ola.state, "agreed")
        self.assertEqual(ola.provider_signed_by_id, self.manager)
        self.assertFalse(ola.customer_signed_by_id)

    def test_sla_needs_customer_signature(self):
        sla = self._agreement()
        with self.assertRaisesText(UserError, "customer's sign-off is missing"):
            sla.action_agree()
        self.assertUnchanged(
            sla, state="draft", provider_signed_by_id=self.env["res.users"]
        )
        sla.customer_signed_by_id = self.contact
        with self.assertRaisesText(UserError, "customer's sign-off is missing"):
            sla.action_agree()
        self.assertUnchanged(sla, state="draft", provider_signed_date=False)

    def test_signer_belongs_to_the_customer(self):
        sla = self._agreement(partner_id=self.customer.id)
        self._sign(sla, signer=self.other_contact)
        with self.assertRaisesText(UserError, "is not T Customer nor one of its"):
            sla.action_agree()
        self.assertUnchanged(sla, state="draft")
        self._sign(sla, signer=self.customer)
        sla.action_agree()
        self.assertEqual(sla.state, "agreed")

    def test_signature_not_in_the_future(self):
        sla = self._agreement()
        sla.write(
            {
                "customer_signed_by_id": self.contact.id,
                "customer_signed_date": self.today + relativedelta(days=2),
            }
        )
        with self.assertRaisesText(UserError, "dated in the future"):
            sla.action_agree()
        self.assertUnchanged(sla, state="draft")

    def test_signature_dated_by_a_customer_ahead_of_us(self):
        """A customer whose day has begun (up to UTC+14) signs on their date,
        which may be tomorrow in UTC: not in the future; a day later is."""
        ahead = (fields.Datetime.now() + timedelta(hours=14)).date()
        sla = self._agreement()
        sla.write(
            {"customer_signed_by_id": self.contact.id, "customer_signed_date": ahead}
        )
        sla.action_agree()
        self.assertEqual(sla.state, "agreed")
        early = self._agreement(name="T Signed Too Early")
        early.write(
            {
                "customer_signed_by_id": self.contact.id,
                "customer_signed_date": ahead + timedelta(days=1),
            }
        )
        with self.assertRaisesText(UserError, "dated in the future"):
            early.action_agree()

    def test_only_a_service_level_manager_agrees(self):
        sla = self._agreement()
        self._sign(sla)
        with self.assertRaisesText(AccessError, "Only a Service Level Manager"):
            sla.with_user(self.supplier_manager).action_agree()
        self.assertUnchanged(sla, state="draft")

    def test_transitions_follow_the_lifecycle(self):
        agreed = self._agreed()
        slr = self._agreement(state="requirement")
        cases = [
            (slr.action_agree, "cannot go to Agreed from Requirement"),
            (agreed.action_to_draft, "cannot go to Draft from Agreed"),
            (agreed.action_negotiate, "cannot go to Negotiation from Agreed"),
            (agreed.action_agree, "cannot go to Agreed from Agreed"),
            (slr.action_new_revision, "cannot go to a new revision"),
        ]
        for action, message in cases:
            with self.subTest(message=message):
                with self.assertRaisesText(UserError, message):
                    action()
        self.assertUnchanged(slr, state="requirement")
        self.assertUnchanged(agreed, state="agreed")

    def test_status_changes_only_through_buttons(self):
        sla = self._agreement()
        with self.assertRaisesText(UserError, "changes only through its buttons"):
            sla.write({"state": "agreed"})
        self.assertUnchanged(sla, state="draft")
        count = self.Agreement.search_count([])
        with self.assertRaisesText(UserError, "starts as a requirement or a draft"):
            self._agreement(state="agreed")
        self.assertEqual(self.Agreement.search_count([]), count)

    def test_kind_is_fixed(self):
        sla = self._agreement(team_id=self.team.id)
        with self.assertRaisesText(UserError, "kind of an agreement (SLA or OLA)"):
            sla.write({"kind": "ola"})
        self.assertUnchanged(sla, kind="sla")

    def test_sla_may_name_a_team(self):
        """The team matters to OLAs only: on an SLA it is allowed and ignored."""
        sla = self._agreement(team_id=self.team.id)
        self._sign(sla)
        sla.action_agree()
        self.assertEqual(sla.state, "agreed")

    def test_customer_is_the_commercial_entity(self):
        sla = self._agreement(partner_id=self.contact.id)
        self.assertEqual(sla.partner_id, self.customer)
        sla.partner_id = self.other_contact
        self.assertEqual(sla.partner_id, self.other_customer)

    def test_review_annual_by_default(self):
        sla = self._agreement(date_start=fields.Date.to_date("2025-03-01"))
        self.assertEqual(sla.next_review_date, fields.Date.to_date("2026-03-01"))
        sla.next_review_date = "2025-09-01"
        self.assertEqual(sla.next_review_date, fields.Date.to_date("2025-09-01"))
        agreed = self._agreed()
        agreed.next_review_date = self.today
        self.assertEqual(agreed.next_review_date, self.today)

    def test_terminate_needs_a_reason(self):
        sla = self._agreed()
        with self.assertRaisesText(UserError, "Give the reason for terminating"):
            sla.action_terminate()
        self.assertUnchanged(sla, state="agreed", date_end=False)
        sla.termination_reason = "Customer left"
        sla.action_terminate()
        self.assertEqual(sla.state, "terminated")
        self.assertEqual(sla.termination_date, self.today)
        self.assertEqual(sla.date_end, self.today)

    def test_terminate_reason_from_context(self):
        sla = self._agreed(date_end=self.today + relativedelta(months=6))
        sla.with_context(
            slm_termination_reason="Merged into another SLA"
        ).action_terminate()
        self.assertEqual(sla.state, "terminated")
        self.assertEqual(sla.termination_reason, "Merged into another SLA")
        self.assertEqual(sla.date_end, self.today)

    def test_terminate_before_start_keeps_dates(self):
        start = self.today + relativedelta(months=1)
        sla = self._agreed(date_start=start)
        sla.termination_reason = "Not needed after all"
        sla.action_terminate()
        self.assertEqual(sla.state, "terminated")
        self.assertFalse(sla.date_end)

    def test_withdraw_requirement(self):
        slr = self._agreement(state="requirement")
        slr.termination_reason = "Customer chose another provider"
        slr.action_terminate()
        self.assertEqual(slr.state, "terminated")
        self.assertFalse(slr.date_end)
        with self.assertRaisesText(UserError, "cannot go to Draft from Terminated"):
            slr.action_to_draft()

    def test_terminate_parent_with_open_children(self):
        corporate = self._multi_level("corporate")
        self._sign(corporate)
        corporate.action_agree()
        self._multi_level("customer", parent=corporate)
        corporate.termination_reason = "Restructured"
        with self.assertRaisesText(UserError, "still has lower-level agreements"):
            corporate.action_terminate()
        self.assertUnchanged(corporate, state="agreed", termination_date=False)

    def test_delete_only_what_was_never_agreed(self):
        draft = self._agreement()
        target = draft.target_ids
        draft.unlink()
        self.assertFalse(target.exists())
        agreed = self._agreed()
        with self.assertRaisesText(UserError, "has been agreed: it stays"):
            agreed.unlink()
        self.assertTrue(agreed.exists())
        agreed.termination_reason = "Ended"
        agreed.action_terminate()
        with self.assertRaisesText(UserError, "has been agreed: it stays"):
            agreed.unlink()
        withdrawn = self._agreement(state="requirement", termination_reason="No")
        withdrawn.action_terminate()
        withdrawn.unlink()
        self.assertFalse(withdrawn.exists())

    def test_duplicate_is_a_new_draft(self):
        agreed = self._agreed()
        copy = agreed.copy()
        self.assertEqual(copy.state, "draft")
        self.assertNotEqual(copy.reference, agreed.reference)
        self.assertEqual(copy.revision, 1)
        self.assertEqual(copy.name, "T Agreement (copy)")
        self.assertFalse(copy.provider_signed_by_id or copy.customer_signed_by_id)
        self.assertEqual(len(copy.target_ids), 1)
        self.assertNotEqual(copy.target_ids, agreed.target_ids)

    def test_counts(self):
        sla = self._agreement(
            targets=[self._target_vals(), self._target_vals("response")]
        )
        self.assertEqual(sla.target_count, 2)
        self.assertEqual(sla.effective_target_count, 2)
        self.assertEqual(sla.revision_count, 1)
        self.assertEqual(sla.child_count, 0)
