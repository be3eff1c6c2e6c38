# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest.mock import patch

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from odoo.addons.slm_agreements.models.slm_agreement import SlmAgreement

from .common import AgreementCase


@tagged("post_install", "-at_install")
class TestAgreementRevision(AgreementCase):
    """New revisions, superseding, history; the expiry scheduled action."""

    def _revise(self, agreement):
        action = agreement.action_new_revision()
        return self.Agreement.browse(action["res_id"])

    def test_new_revision_copies_agreement_and_targets(self):
        old = self._agreed(
            targets=[self._target_vals(), self._target_vals("response", 1)],
            partner_id=self.customer.id,
        )
        new = self._revise(old)
        self.assertEqual(new.state, "draft")
        self.assertEqual(new.reference, old.reference)
        self.assertEqual(new.revision, 2)
        self.assertEqual(new.previous_revision_id, old)
        self.assertEqual(new.name, old.name)
        self.assertEqual(new.partner_id, self.customer)
        self.assertEqual(new.service_ids, self.service)
        self.assertEqual(new.date_start, self.today)
        self.assertFalse(new.provider_signed_by_id or new.customer_signed_by_id)
        self.assertEqual(len(new.target_ids), 2)
        self.assertFalse(new.target_ids & old.target_ids)
        self.assertEqual(new.target_ids.previous_target_id, old.target_ids)
        self.assertEqual(
            sorted(new.target_ids.mapped("name")), sorted(old.target_ids.mapped("name"))
        )
        self.assertIn(f"{old.reference} rev. 2", new.display_name)
        # The agreed revision is untouched, and knows of the new one.
        self.assertEqual(old.state, "agreed")
        self.assertFalse(old.superseded_by_id)
        self.assertEqual(old.revision_ids, new | old)
        self.assertEqual(new.revision_count, 2)
        self.assertIn("Revision 2 is being prepared", old.message_ids[0].body)
        action = old.action_view_revisions()
        self.assertEqual(self.Agreement.search(action["domain"]), old | new)

    def test_agreed_revision_supersedes_previous(self):
        old = self._agreed()
        old_target = old.target_ids
        new = self._revise(old)
        with Form(new) as form, form.target_ids.edit(0) as line:
            line.threshold_hours = 6
        self._sign(new)
        new.action_agree()
        self.assertEqual(new.state, "agreed")
        self.assertEqual(old.state, "superseded")
        self.assertEqual(old.superseded_by_id, new)
        self.assertEqual(old.date_end, self.today - relativedelta(days=1))
        # History kept: the old revision and its target are as they were agreed.
        self.assertEqual(old_target.threshold_hours, 8)
        self.assertEqual(old.target_ids, old_target)
        self.assertEqual(new.target_ids.threshold_hours, 6)
        self.assertIn("Superseded by", old.message_ids[0].body)

    def test_future_revision_supersedes_on_its_start(self):
        start = self.today + relativedelta(days=10)
        old = self._agreed()
        new = self._revise(old)
        new.date_start = start
        self._sign(new)
        new.action_agree()
        # Still in force until the day before the new revision starts.
        self.assertEqual(old.state, "agreed")
        self.assertEqual(old.superseded_by_id, new)
        self.assertEqual(old.date_end, start - relativedelta(days=1))
        with freeze_time(start - relativedelta(days=1)):
            self.Agreement._cron_expire_agreements()
        self.assertEqual(old.state, "agreed")
        with freeze_time(start):
            self.Agreement._cron_expire_agreements()
        self.assertEqual(old.state, "superseded")

    def test_previous_end_kept_when_earlier(self):
        end = self.today + relativedelta(days=5)
        old = self._agreed(date_end=end)
        new = self._revise(old)
        self.assertEqual(new.date_end, end)
        new.write(
            {
                "date_start": self.today + relativedelta(days=20),
                "date_end": self.today + relativedelta(years=1),
            }
        )
        self._sign(new)
        new.action_agree()
        self.assertEqual(old.date_end, end)
        self.assertEqual(old.state, "agreed")

    def test_renewal_of_expired_agreement(self):
        old = self._agreed(
            date_start=self.today - relativedelta(years=1, days=10),
            date_end=self.today - relativedelta(days=11),
        )
        self.assertEqual(old.state, "expired")
        new = self._revise(old)
        self.assertEqual(new.date_start, self.today)
        self.assertEqual(new.date_end, self.today + (old.date_end - old.date_start))
        self._sign(new)
        new.action_agree()
        self.assertEqual(old.state, "superseded")
        self.assertEqual(old.date_end, self.today - relativedelta(days=11))

    def test_one_revision_at_a_time(self):
        old = self._agreed()
        self._revise(old)
        with self.assertRaisesText(UserError, "Revision 2 of"):
            old.action_new_revision()
        self.assertEqual(old.revision_count, 2)

    def test_revise_the_latest_revision_only(self):
        old = self._agreed()
        new = self._revise(old)
        self._sign(new)
        new.action_agree()
        with self.assertRaisesText(UserError, "cannot go to a new revision"):
            old.action_new_revision()
        newest = self._revise(new)
        self.assertEqual(newest.revision, 3)

    def test_revision_starts_after_previous(self):
        old = self._agreed()
        new = self._revise(old)
        new.date_start = old.date_start
        self._sign(new)
        with self.assertRaisesText(UserError, "must start after the revision it"):
            new.action_agree()
        self.assertUnchanged(new, state="draft")
        self.assertUnchanged(old, state="agreed", superseded_by_id=self.Agreement)

    def test_revision_of_terminated_agreement_cannot_be_agreed(self):
        old = self._agreed()
        new = self._revise(old)
        old.termination_reason = "Customer left"
        old.action_terminate()
        self._sign(new)
        with self.assertRaisesText(UserError, "is no longer in force"):
            new.action_agree()
        self.assertUnchanged(new, state="draft")

    def test_lower_levels_follow_the_new_revision(self):
        corporate = self._multi_level(
            "corporate",
            targets=[self._target_vals("response", 2), self._target_vals(hours=16)],
        )
        self._sign(corporate)
        corporate.action_agree()
        response = corporate.target_ids.filtered(lambda t: t.metric == "response")
        resolution = corporate.target_ids - response
        customer = self._multi_level(
            "customer",
            parent=corporate,
            targets=[self._target_vals(hours=8, parent_target_id=resolution.id)],
        )
        self._sign(customer)
        customer.action_agree()
        override = customer.target_ids
        new_corporate = self._revise(corporate)
        new_response = new_corporate.target_ids.filtered(
            lambda t: t.previous_target_id == response
        )
        new_resolution = new_corporate.target_ids - new_response
        new_response.threshold_hours = 1
        self._sign(new_corporate)
        new_corporate.action_agree()
        self.assertEqual(customer.parent_id, new_corporate)
        self.assertEqual(override.parent_target_id, new_resolution)
        self.assertEqual(customer._effective_targets(), override | new_response)

    def test_cron_expires_ended_agreements(self):
        ended = self._agreed(date_end=self.today - relativedelta(days=1))
        ending_today = self._agreed(date_end=self.today)
        open_ended = self._agreed()
        draft = self._agreement(date_end=self.today - relativedelta(days=1))
        # Agreeing an agreement already over (recorded from paper) expires it.
        self.assertEqual(ended.state, "expired")
        with freeze_time(self.today + relativedelta(days=1)):
            self.Agreement._cron_expire_agreements()
            self.env.cr.flush()  # mail tracking is written before commit
            messages = ending_today.message_ids
            self.assertIn(
                "Expired", messages.tracking_value_ids.mapped("new_value_char")
            )
            self.Agreement._cron_expire_agreements()  # twice: nothing more happens
            self.env.cr.flush()
            ending_today.invalidate_recordset()
            self.assertEqual(ending_today.message_ids, messages)
        self.assertEqual(ending_today.state, "expired")
        self.assertEqual(open_ended.state, "agreed")
        self.assertEqual(draft.state, "draft")
        self.assertEqual(ended.state, "expired")

    def test_cron_one_failure_does_not_stop_the_others(self):
        agreements = [
            self._agreed(date_end=self.today + relativedelta(days=i)) for i in range(3)
        ]
        bad = agreements[1]
        original = SlmAgreement._expire

        def expire(records):
            if bad in records:
                raise RuntimeError("broken")
            return original(records)

        later = self.today + relativedelta(days=5)
        with (
            freeze_time(later),
            patch.object(SlmAgreement, "_expire", autospec=True, side_effect=expire),
            mute_logger("odoo.addons.slm_catalogue.models.ir_cron"),
        ):
            self.Agreement._cron_expire_agreements()
        self.assertEqual(
            [a.state for a in agreements], ["expired", "agreed", "expired"]
        )
