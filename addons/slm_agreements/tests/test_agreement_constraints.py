# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import AgreementCase


@tagged("post_install", "-at_install")
class TestAgreementConstraints(AgreementCase):
    """Bad input on agreements: each a clear error, and nothing written."""

    def test_end_before_start(self):
        count = self.Agreement.search_count([])
        with self.assertRaisesText(ValidationError, "before it starts on"):
            self._agreement(
                date_start=self.today, date_end=self.today - relativedelta(days=1)
            )
        self.assertEqual(self.Agreement.search_count([]), count)
        agreement = self._agreement(date_start=self.today)
        with self.assertRaisesText(ValidationError, "before it starts on"):
            agreement.date_end = self.today - relativedelta(days=1)
        self.assertUnchanged(agreement, date_end=False)
        with self.assertRaisesText(ValidationError, "before it starts on"):
            agreement.write(
                {
                    "date_start": self.today + relativedelta(days=5),
                    "date_end": self.today + relativedelta(days=4),
                }
            )
        self.assertUnchanged(agreement, date_start=self.today)
        agreement.date_end = self.today  # one day is enough
        self.assertEqual(agreement.date_end, self.today)

    def test_ola_needs_a_team(self):
        count = self.Agreement.search_count([])
        with self.assertRaisesText(ValidationError, "needs a support team"):
            self._agreement(kind="ola")
        self.assertEqual(self.Agreement.search_count([]), count)
        ola = self._agreement(kind="ola", team_id=self.team.id)
        with self.assertRaisesText(ValidationError, "needs a support team"):
            ola.team_id = False
        self.assertUnchanged(ola, team_id=self.team)

    def test_requirement_is_for_slas_only(self):
        count = self.Agreement.search_count([])
        with self.assertRaisesText(ValidationError, "only an SLA starts as a Service"):
            self._agreement(kind="ola", team_id=self.team.id, state="requirement")
        self.assertEqual(self.Agreement.search_count([]), count)

    def test_agree_without_targets(self):
        for kind in ("sla", "ola"):
            with self.subTest(kind=kind):
                agreement = self._agreement(targets=[], kind=kind, team_id=self.team.id)
                self._sign(agreement)
                with self.assertRaisesText(UserError, "it has no targets, own or"):
                    agreement.action_agree()
                self.assertUnchanged(
                    agreement, state="draft", provider_signed_date=False
                )

    def test_agree_with_archived_targets_only(self):
        agreement = self._agreement()
        agreement.target_ids.active = False
        self._sign(agreement)
        with self.assertRaisesText(UserError, "it has no targets"):
            agreement.action_agree()
        self.assertUnchanged(agreement, state="draft")

    def test_agree_scope_of_the_structure(self):
        customer_based = self._agreement(structure="customer_based")
        self._sign(customer_based)
        with self.assertRaisesText(UserError, "customer-level agreement without a"):
            customer_based.action_agree()
        self.assertUnchanged(customer_based, state="draft")
        service_based = self._agreement(service_ids=[(5, 0, 0)])
        self._sign(service_based)
        with self.assertRaisesText(UserError, "service-level agreement without"):
            service_based.action_agree()
        self.assertUnchanged(service_based, state="draft")

    def test_all_problems_listed_at_once(self):
        agreement = self._agreement(targets=[], service_ids=[(5, 0, 0)])
        with self.assertRaises(UserError) as caught:
            agreement.action_agree()
        message = str(caught.exception)
        self.assertIn("cannot be agreed yet", message)
        self.assertIn("no targets", message)
        self.assertIn("sign-off is missing", message)
        self.assertIn("without services", message)

    def test_terms_of_an_agreed_agreement_are_frozen(self):
        agreement = self._agreed(partner_id=self.customer.id)
        changes = {
            "date_end": self.today + relativedelta(years=1),
            "date_start": self.today,
            "partner_id": self.other_customer.id,
            "service_ids": [(4, self.service_2.id)],
            "structure": "customer_based",
            "customer_signed_by_id": self.other_contact.id,
        }
        for name, value in changes.items():
            with self.subTest(field=name):
                with self.assertRaisesText(UserError, "Create a new revision"):
                    agreement.write({name: value})
        self.assertUnchanged(
            agreement,
            date_end=False,
            partner_id=self.customer,
            service_ids=self.service,
            structure="service_based",
            customer_signed_by_id=self.contact,
        )
        # What is not a term stays editable.
        agreement.write(
            {
                "description": "<p>Escalate to the duty manager.</p>",
                "customer_contact_id": self.contact.id,
                "next_review_date": self.today + relativedelta(months=3),
                "provider_user_id": self.process_owner.id,
            }
        )
        self.assertEqual(agreement.provider_user_id, self.process_owner)

    def test_frozen_in_every_closed_state(self):
        expired = self._agreed(
            date_start=self.today - relativedelta(years=1),
            date_end=self.today - relativedelta(days=1),
        )
        terminated = self._agreed(termination_reason="Ended")
        terminated.action_terminate()
        for agreement in (expired, terminated):
            with self.subTest(state=agreement.state):
                with self.assertRaisesText(UserError, "Create a new revision"):
                    agreement.write({"date_end": self.today + relativedelta(days=30)})
