# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import mute_logger

from .common import SlmReviewCase


class TestReviewAction(SlmReviewCase):
    """Review actions: owner and due date, states, overdue reminders."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sla = cls._agreement(
            [cls._target("resolution", 4, calendar_id=False)],
            name="T Action SLA",
            structure="customer_based",
            partner_id=cls.customer.id,
            date_start="2026-01-01",
        )
        cls.review = cls._review(agreement_ids=[(6, 0, cls.sla.ids)])
        cls.activity_type = cls.env.ref(
            "slm_reviews.mail_activity_type_review_action_overdue"
        )
        cls.Action = cls.env["slm.review.action"]

    def _overdue_activities(self, actions):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "slm.review.action"),
                ("res_id", "in", actions.ids),
                ("activity_type_id", "=", self.activity_type.id),
            ]
        )

    def test_bad_input(self):
        count = self.Action.search_count([])
        with (
            freeze_time("2026-11-02"),
            self.assertRaisesText(ValidationError, "needs an owner"),
        ):
            self._action(self.review, "T No owner", "2026-11-30", owner_id=False)
        with (
            freeze_time("2026-11-02"),
            self.assertRaisesText(ValidationError, "that is in the past"),
        ):
            self._action(self.review, "T Late already", "2026-11-01")
        with (
            freeze_time("2026-11-02"),
            self.assertRaisesText(ValidationError, "needs a due date"),
        ):
            self._action(self.review, "T Whenever", False)
        self.assertEqual(self.Action.search_count([]), count)
        with freeze_time("2026-11-02"):
            # Today is fine.
            action = self._action(self.review, "T Today", "2026-11-02")
        self.assertEqual(action.partner_id, self.customer)
        self.assertEqual(action.company_id, self.review.company_id)
        with self.assertRaisesText(ValidationError, "needs an owner"):
            action.write({"owner_id": False})
        self.assertEqual(action.owner_id, self.analyst)

    def test_states(self):
        with freeze_time("2026-11-02"):
            action = self._action(self.review, "T Do it", "2026-11-20")
            action.action_done()
        self.assertEqual(action.state, "done")
        self.assertEqual(action.done_date, date(2026, 11, 2))
        with self.assertRaisesText(UserError, "cannot be marked done"):
            action.action_done()
        action.action_reopen()
        self.assertEqual((action.state, action.done_date), ("open", False))
        action.action_cancel()
        self.assertEqual(action.state, "cancelled")
        with self.assertRaisesText(UserError, "cannot be cancelled"):
            action.action_cancel()

    def test_owner_or_analyst_updates(self):
        owner = self._role_user("rev_owner", "user")
        with freeze_time("2026-11-02"):
            action = self._action(
                self.review, "T Mine", "2026-11-20", owner_id=owner.id
            )
            other = self._action(self.review, "T Not mine", "2026-11-20")
        with self.assertRaisesText(AccessError, "Only the owner"):
            other.with_user(owner).action_done()
        self.assertEqual(other.state, "open")
        action.with_user(owner).action_done()
        self.assertEqual(action.state, "done")
        other.with_user(self.analyst).action_cancel()
        self.assertEqual(other.state, "cancelled")

    def test_overdue_activity_once(self):
        with freeze_time("2026-11-01"):
            late = self._action(self.review, "T Late", "2026-11-05")
            later = self._action(self.review, "T Not yet", "2026-11-30")
            done = self._action(self.review, "T Done", "2026-11-05")
            done.action_done()
        with freeze_time("2026-11-10 05:00"):
            self.Action._cron_notify_overdue()
            self.assertEqual(
                late.search(
                    [("is_overdue", "=", True), ("id", "in", (late | later | done).ids)]
                ),
                late,
            )
        activities = self._overdue_activities(late | later | done)
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.res_id, late.id)
        self.assertEqual(activities.user_id, self.analyst)
        self.assertEqual(activities.date_deadline, date(2026, 11, 5))
        self.assertTrue(late.overdue_notified)
        # Twice: nothing new.
        with freeze_time("2026-11-11 05:00"):
            self.Action._cron_notify_overdue()
        self.assertEqual(self._overdue_activities(late | later | done), activities)
        # Postponed, then overdue again: reminded again.
        with freeze_time("2026-11-11 09:00"):
            late.due_date = "2026-11-15"
        self.assertFalse(late.overdue_notified)
        with freeze_time("2026-11-20 05:00"):
            self.Action._cron_notify_overdue()
        self.assertEqual(len(self._overdue_activities(late)), 2)
        # Done: the reminders are marked done.
        late.action_done()
        self.assertFalse(self._overdue_activities(late))

    def test_bad_action_skipped(self):
        with freeze_time("2026-11-01"):
            good = self._action(self.review, "T Good", "2026-11-05")
            bad = self._action(self.review, "T Bad", "2026-11-05")
        Action = type(self.Action)
        original = Action._notify_overdue

        def faulty(actions):
            if bad in actions:
                raise ValueError("T broken action")
            return original(actions)

        with (
            patch.object(Action, "_notify_overdue", faulty),
            mute_logger("odoo.addons.slm_catalogue.models.ir_cron"),
            freeze_time("2026-11-10 05:00"),
        ):
            self.Action._cron_notify_overdue()
        self.assertEqual(self._overdue_activities(good | bad).res_id, good.id)
        self.assertTrue(good.overdue_notified)
        self.assertFalse(bad.overdue_notified)
