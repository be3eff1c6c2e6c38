# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import copy
from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import mute_logger

from .common import SlmReviewCase


class TestReview(SlmReviewCase):
    """Reviews: period, scope, the workflow, the meeting in the calendar."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sla = cls._agreement(
            [cls._target("resolution", 4, calendar_id=False)],
            name="T Review SLA",
            structure="customer_based",
            partner_id=cls.customer.id,
            customer_contact_id=cls.contact.id,
            date_start="2026-01-01",
        )

    def test_period_ending_before_it_starts(self):
        Review = self.env["slm.review"]
        count = Review.search_count([])
        with self.assertRaisesText(ValidationError, "would end on"):
            self._review(period_start="2026-09-30", period_end="2026-09-01")
        self.assertEqual(Review.search_count([]), count)
        review = self._review(agreement_ids=[(6, 0, self.sla.ids)])
        with self.assertRaisesText(ValidationError, "before it starts"):
            review.write({"period_end": "2026-08-15"})
        self.assertEqual(str(review.period_end), "2026-09-30")
        # A one-day period is fine.
        review.write({"period_end": "2026-09-01"})
        self.assertEqual(str(review.period_end), "2026-09-01")

    def test_scope_customer_of_the_agreements(self):
        with self.assertRaisesText(ValidationError, "another customer"):
            self._review(
                partner_id=self.other_customer.id,
                agreement_ids=[(6, 0, self.sla.ids)],
            )
        # A contact is normalised to its company.
        review = self._review(
            partner_id=self.contact.id, agreement_ids=[(6, 0, self.sla.ids)]
        )
        self.assertEqual(review.partner_id, self.customer)
        self.assertEqual(review.name, "Service Review T Customer 2026-09")

    def test_prepare_needs_agreements(self):
        review = self._review()
        with self.assertRaisesText(UserError, "Choose the agreements"):
            review.action_prepare_agenda()
        self.assertEqual(review.state, "planned")
        self.assertFalse(review.snapshot)

    def test_workflow(self):
        review = self._review(agreement_ids=[(6, 0, self.sla.ids)])
        with self.assertRaisesText(UserError, "Prepare the agenda before"):
            review.action_meeting_held()
        with self.assertRaisesText(UserError, "once the meeting is held"):
            review.action_generate_minutes()
        with self.assertRaisesText(UserError, "hold the meeting and generate"):
            review._mark_minutes_sent()
        review.action_prepare_agenda()
        self.assertEqual(review.state, "agenda_ready")
        review.action_meeting_held()
        self.assertEqual(review.state, "held")
        with self.assertRaisesText(UserError, "generate the minutes first"):
            review._mark_minutes_sent()
        with self.assertRaisesText(UserError, "once its minutes are sent"):
            review.action_close()
        review.action_generate_minutes()
        self.assertIn("Minutes:", str(review.minutes))
        with freeze_time("2026-10-06 08:30"):
            review._mark_minutes_sent()
        self.assertEqual(review.state, "minutes_sent")
        self.assertEqual(review.minutes_sent_date, datetime(2026, 10, 6, 8, 30))
        review.action_close()
        self.assertEqual(review.state, "closed")

    def test_meeting_in_the_calendar(self):
        colleague = self._role_user("rev_colleague", "user")
        review = self._review(
            agreement_ids=[(6, 0, self.sla.ids)],
            chair_id=self.analyst.id,
            attendee_partner_ids=[(6, 0, self.contact.ids)],
        )
        self.assertFalse(review.calendar_event_id)
        review.write({"date": "2026-12-01 09:00:00", "duration": 1.5})
        event = review.calendar_event_id
        self.assertTrue(event)
        self.assertEqual(event.start, datetime(2026, 12, 1, 9, 0))
        self.assertEqual(event.stop, datetime(2026, 12, 1, 10, 30))
        self.assertEqual(event.user_id, self.analyst)
        self.assertEqual(event.partner_ids, self.contact | self.analyst.partner_id)
        self.assertEqual((event.res_model, event.res_id), ("slm.review", review.id))
        # Kept in sync: another date, another attendee.
        review.write(
            {
                "date": "2026-12-02 13:00:00",
                "attendee_user_ids": [(6, 0, colleague.ids)],
            }
        )
        self.assertEqual(review.calendar_event_id, event)
        self.assertEqual(event.start, datetime(2026, 12, 2, 13, 0))
        self.assertEqual(
            event.partner_ids,
            self.contact | self.analyst.partner_id | colleague.partner_id,
        )
        # No date, no meeting.
        review.write({"date": False})
        self.assertFalse(review.calendar_event_id)
        self.assertFalse(event.exists())

    def test_default_period_is_last_month(self):
        with freeze_time("2026-03-15"):
            review = self.env["slm.review"].create(
                {
                    "partner_id": self.customer.id,
                    "agreement_ids": [(6, 0, self.sla.ids)],
                }
            )
        self.assertEqual(str(review.period_start), "2026-02-01")
        self.assertEqual(str(review.period_end), "2026-02-28")


class TestReviewFrozen(SlmReviewCase):
    """Once the minutes are sent, nothing of the review changes, and its
    figures are the snapshot's, never recomputed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._build_scenario()
        with freeze_time("2026-10-05 10:00"):
            cls.review.action_prepare_agenda()
            cls.review.action_meeting_held()
            cls.review.decisions = "<p>T Agreed to train the agents.</p>"
            cls.new_action = cls._action(cls.review, "T Train", "2026-10-31")
            cls.review.action_generate_minutes()
            cls.review._mark_minutes_sent()

    def test_frozen_fields(self):
        review = self.review
        snapshot = copy.deepcopy(review.snapshot)
        minutes = review.minutes
        for vals in (
            {"minutes": "<p>Rewritten</p>"},
            {"decisions": "<p>Other decisions</p>"},
            {"snapshot": {}},
            {"agreement_ids": [(5, 0, 0)]},
            {"period_end": "2026-09-15"},
            {"partner_id": self.other_customer.id},
            {"name": "Renamed"},
            {"state": "held"},
        ):
            with self.assertRaisesText(UserError, "These minutes were sent on"):
                # As a user: the superuser (scripts, guard rule 1) is not held.
                review.with_user(self.slm_manager).write(vals)
        self.assertEqual(review.minutes, minutes)
        self.assertEqual(review.snapshot, snapshot)
        self.assertEqual(review.state, "minutes_sent")
        self.assertEqual(review.agreement_ids, self.sla)
        self.assertEqual(review.decisions, "<p>T Agreed to train the agents.</p>")
        with self.assertRaisesText(UserError, "The agenda cannot be prepared"):
            review.action_prepare_agenda()
        with self.assertRaisesText(UserError, "once the meeting is held"):
            review.action_generate_minutes()
        with self.assertRaisesText(UserError, "These minutes were sent on"):
            review.unlink()

    def test_actions_list_frozen_but_actions_tracked(self):
        Action = self.env["slm.review.action"]
        count = Action.search_count([])
        with (
            freeze_time("2026-10-06"),
            self.assertRaisesText(UserError, "These minutes were sent on"),
        ):
            self._action(self.review, "T Sneaked in", "2026-11-30")
        self.assertEqual(Action.search_count([]), count)
        with self.assertRaisesText(UserError, "These minutes were sent on"):
            self.new_action.unlink()
        with self.assertRaisesText(UserError, "These minutes were sent on"):
            self.new_action.review_id = self.earlier
        self.assertEqual(self.new_action.review_id, self.review)
        # Its actions are still followed to closure.
        self.new_action.action_done()
        self.assertEqual(self.new_action.state, "done")
        self.review.carried_action_ids.action_done()
        self.assertEqual(self.a1.state, "done")

    def test_figures_not_recomputed(self):
        """A ticket of September settled after the minutes were sent changes
        the live figures, not the review's."""
        snapshot = copy.deepcopy(self.review.snapshot)
        self._close_ticket("2026-09-25 10:00", "2026-09-25 13:00", "2026-09-25 20:00")
        live = self.env["slm.service.statement"]._figures_for(
            self.sla, [datetime(2026, 9, 1).date()]
        )
        self.assertEqual(live[(self.t1.id, datetime(2026, 9, 1).date())]["measured"], 5)
        self.review.invalidate_recordset()
        self.assertEqual(self.review.snapshot, snapshot)
        t1 = next(
            t for t in self.review.snapshot["targets"] if t["target_id"] == self.t1.id
        )
        self.assertEqual((t1["measured"], t1["attainment"]), (4, 75.0))
        self.assertIn("75.0 %", str(self.review.minutes))

    def test_close_keeps_frozen(self):
        self.review.action_close()
        self.assertEqual(self.review.state, "closed")
        review = self.review.with_user(self.slm_manager)
        with self.assertRaisesText(UserError, "These minutes were sent on"):
            review.write({"decisions": "<p>Too late</p>"})
        with self.assertRaisesText(UserError, "These minutes were sent on"):
            review.write({"state": "minutes_sent"})


class TestReviewPlanning(SlmReviewCase):
    """The daily scheduled action that plans the next review of agreements
    with a review frequency. Today is Sunday 2026-11-22 (frozen)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.slm_manager.tz = "Europe/Brussels"

        def sla(name, frequency, **vals):
            values = {
                "name": name,
                "structure": "customer_based",
                "partner_id": cls.customer.id,
                "customer_contact_id": cls.contact.id,
                "provider_user_id": cls.slm_manager.id,
                "date_start": "2026-01-01",
            }
            values.update(vals)
            agreement = cls._agreement(
                [cls._target("resolution", 4, calendar_id=False)], **values
            )
            agreement.review_frequency = frequency
            return agreement

        def service(code):
            # Agreed SLAs of one customer may not overlap (issue 16): one
            # service each.
            return cls.env["slm.service"].create(
                {
                    "code": code,
                    "name": f"T {code}",
                    "owner_id": cls.manager.id,
                    "state": "live",
                }
            )

        cls.quarterly = sla("T Quarterly", "quarterly")
        cls.monthly = sla("T Monthly", "monthly", service_ids=[(6, 0, [])])
        cls.ending = sla(
            "T Ending",
            "quarterly",
            date_end="2026-12-31",
            service_ids=[(6, 0, service("TREVEND").ids)],
        )
        cls.never = sla(
            "T Unreviewed", False, service_ids=[(6, 0, service("TREVNEV").ids)]
        )

    def _plan(self):
        with freeze_time("2026-11-22 06:00"):
            return self.env["slm.agreement"]._cron_plan_reviews()

    def _reviews(self, agreement):
        return self.env["slm.review"].search(
            [("agreement_ids", "in", agreement.ids)], order="period_start"
        )

    def test_plan_once(self):
        self._plan()
        review = self._reviews(self.quarterly)
        self.assertEqual(len(review), 1)
        self.assertEqual(review.state, "planned")
        # The current quarter; met on Friday 1 January at 10:00 in Brussels.
        self.assertEqual(
            (str(review.period_start), str(review.period_end)),
            ("2026-10-01", "2026-12-31"),
        )
        self.assertEqual(review.date, datetime(2027, 1, 1, 9, 0))
        self.assertEqual(review.chair_id, self.slm_manager)
        self.assertEqual(review.attendee_partner_ids, self.contact)
        self.assertEqual(review.partner_id, self.customer)
        self.assertTrue(review.calendar_event_id)
        # November, met on Tuesday 1 December.
        monthly = self._reviews(self.monthly)
        self.assertEqual(
            (str(monthly.period_start), str(monthly.period_end), monthly.date),
            ("2026-11-01", "2026-11-30", datetime(2026, 12, 1, 9, 0)),
        )
        self.assertFalse(self._reviews(self.never))
        # Idempotent: one review planned ahead at most.
        self._plan()
        self.assertEqual(self._reviews(self.quarterly), review)
        self.assertEqual(len(self._reviews(self.monthly)), 1)

    def test_overlapping_runs_plan_once(self):
        """Two runs at once (issue 16): the second read the agreements before
        the first one's reviews existed; the unique planning key keeps it from
        planning them again."""
        Agreement = self.env["slm.agreement"]
        with freeze_time("2026-11-22 06:00"):
            agreements = Agreement.sudo().search(
                [("review_frequency", "!=", False), ("state", "=", "agreed")]
            )
            stale = agreements._next_review_values(datetime(2026, 11, 22).date())
            self.assertIn(self.quarterly.id, stale)
            first = Agreement._cron_plan_reviews()
            self.assertIn(self.quarterly, first.agreement_ids)
            with mute_logger(
                "odoo.addons.slm_reviews.models.slm_agreement", "odoo.sql_db"
            ):
                second = Agreement._plan_reviews(stale)
        self.assertFalse(second & first)
        self.assertFalse(second.filtered(lambda r: self.quarterly in r.agreement_ids))
        self.assertEqual(len(self._reviews(self.quarterly)), 1)
        self.assertEqual(len(self._reviews(self.monthly)), 1)
        key = self._reviews(self.quarterly).planning_key
        self.assertEqual(key, f"{self.quarterly.id}/2026-10-01")

    def test_next_period_once_held(self):
        self._plan()
        review = self._reviews(self.quarterly)
        review.action_prepare_agenda()
        review.action_meeting_held()
        self._plan()
        reviews = self._reviews(self.quarterly)
        self.assertEqual(len(reviews), 2)
        following = reviews - review
        self.assertEqual(
            (str(following.period_start), str(following.period_end)),
            ("2027-01-01", "2027-03-31"),
        )
        # Thursday 1 April 2027, 10:00 in Brussels (summer time: 08:00 UTC).
        self.assertEqual(following.date, datetime(2027, 4, 1, 8, 0))
        # The agreement ending on 31 December gets no review of 2027.
        ending = self._reviews(self.ending)
        ending.action_prepare_agenda()
        ending.action_meeting_held()
        self._plan()
        self.assertEqual(self._reviews(self.ending), ending)

    def test_bad_agreement_skipped(self):
        Agreement = type(self.env["slm.agreement"])
        original = Agreement._review_values
        quarterly = self.quarterly

        def faulty(agreement, today, last_end):
            vals = original(agreement, today, last_end)
            if agreement == quarterly:
                # Makes its creation fail: the batch, then this one alone.
                vals["period_end"] = "2026-01-01"
            return vals

        with (
            patch.object(Agreement, "_review_values", faulty),
            mute_logger("odoo.addons.slm_reviews.models.slm_agreement"),
        ):
            planned = self._plan()
        self.assertFalse(self._reviews(self.quarterly))
        self.assertEqual(len(self._reviews(self.monthly)), 1)
        self.assertIn(self._reviews(self.monthly), planned)
        # The next run plans it once the agreement is fine.
        self._plan()
        self.assertEqual(len(self._reviews(self.quarterly)), 1)

    def test_values_error_skipped(self):
        Agreement = type(self.env["slm.agreement"])
        original = Agreement._review_values
        monthly = self.monthly

        def broken(agreement, today, last_end):
            if agreement == monthly:
                raise ValueError("T broken agreement")
            return original(agreement, today, last_end)

        with (
            patch.object(Agreement, "_review_values", broken),
            mute_logger("odoo.addons.slm_reviews.models.slm_agreement"),
        ):
            self._plan()
        self.assertFalse(self._reviews(self.monthly))
        self.assertEqual(len(self._reviews(self.quarterly)), 1)


class TestReviewAccess(SlmReviewCase):
    """Analysts prepare agendas; helpdesk users see no reviews; only the
    Process Owner creates and runs process reviews."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sla = cls._agreement(
            [cls._target("resolution", 4, calendar_id=False)],
            name="T Access SLA",
            structure="customer_based",
            partner_id=cls.customer.id,
            date_start="2026-01-01",
        )
        cls.review = cls._review(agreement_ids=[(6, 0, cls.sla.ids)])

    def test_analyst_prepares_the_agenda(self):
        self.review.with_user(self.analyst).action_prepare_agenda()
        self.assertEqual(self.review.state, "agenda_ready")
        self.assertTrue(self.review.snapshot["targets"])
        self.assertTrue(
            self._can(
                self.analyst,
                "create",
                self.env["slm.review"],
                {
                    "partner_id": self.customer.id,
                    "agreement_ids": [(6, 0, self.sla.ids)],
                },
            )
        )

    def test_reader_reads_only(self):
        self.assertTrue(self._can(self.reader, "read", self.review))
        self.assertFalse(self._can(self.reader, "write", self.review))
        with self.assertRaises(AccessError):
            self.review.with_user(self.reader).action_prepare_agenda()
        self.assertEqual(self.review.state, "planned")

    def test_helpdesk_user_sees_no_review(self):
        with freeze_time("2026-10-01"):
            action = self._action(self.review, "T Action", "2026-10-31")
        self.assertTrue(self._can(self.reader, "read", action))
        self.assertFalse(self._can(self.agent, "read", self.review))
        self.assertFalse(self._can(self.agent, "read", action))
        with self.assertRaises(AccessError):
            self.env["slm.review"].with_user(self.agent).search([])

    def test_process_review_by_process_owner_only(self):
        Review = self.env["slm.review"]
        vals = {
            "kind": "process",
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
        }
        count = Review.search_count([("kind", "=", "process")])
        for user in (self.slm_manager, self.analyst):
            with self.assertRaisesText(AccessError, "Only the SLM Process Owner"):
                Review.with_user(user).create(dict(vals))
        self.assertEqual(Review.search_count([("kind", "=", "process")]), count)
        review = Review.with_user(self.process_owner).create(dict(vals))
        review.with_user(self.process_owner).action_prepare_agenda()
        self.assertEqual(review.state, "agenda_ready")
        # Others read it, but neither change nor run it.
        self.assertTrue(self._can(self.slm_manager, "read", review))
        self.assertFalse(self._can(self.slm_manager, "write", review))
        with self.assertRaises(AccessError):
            review.with_user(self.slm_manager).action_meeting_held()
        # Nor turn a service review into one.
        with self.assertRaisesText(AccessError, "Only the SLM Process Owner"):
            self.review.with_user(self.slm_manager).write({"kind": "process"})
        self.assertEqual(self.review.kind, "service")
