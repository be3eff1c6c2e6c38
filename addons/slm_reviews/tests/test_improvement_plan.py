# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import MARCH, StatementCase


@tagged("post_install", "-at_install")
class TestImprovementPlan(StatementCase):
    """Service improvement plans: started from review actions or breaches,
    their progress, lifecycle and status reports to the customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, mail_notify_force_send=False))
        # Today as the acting users see it (not the demo administrator's zone).
        cls.today = fields.Date.context_today(
            cls.env["slm.improvement.plan"].with_user(cls.analyst)
        )
        cls.mute_contact = cls.env["res.partner"].create(
            {"name": "T Contact Without E-mail", "parent_id": cls.customer.id}
        )
        cls.review = cls.env["slm.review"].create(
            {
                "name": "T March Review",
                "partner_id": cls.customer.id,
                "agreement_ids": [(6, 0, cls.service_level.ids)],
                "period_start": MARCH,
                "period_end": MARCH.replace(day=31),
                "attendee_partner_ids": [(6, 0, cls.contact.ids)],
            }
        )
        cls.review_action = cls._action(
            "Add an on-call watcher", review_id=cls.review.id
        )
        # Breaches of the customer-level resolution target (two tickets) and
        # of the corporate response target for another customer.
        Breach = cls.env["slm.breach"]
        clocks = [
            cls._settled(cls.t_res_cust, "breached", datetime(2026, 3, 4)),
            cls._settled(cls.t_res_cust, "breached", datetime(2026, 3, 9)),
            cls._settled(
                cls.t_resp,
                "breached",
                datetime(2026, 3, 9),
                partner=cls.other_customer,
            ),
        ]
        breaches = Breach._slm_create_for_clocks([clock.id for clock in clocks])
        cls.breach_1, cls.breach_2, cls.breach_other = (
            breaches.filtered(lambda b, c=clock: b.clock_id == c) for clock in clocks
        )

    @classmethod
    def _action(cls, name, days=10, **vals):
        values = {
            "name": name,
            "owner_id": cls.analyst.id,
            "due_date": cls.today + timedelta(days=days),
        }
        values.update(vals)
        return cls.env["slm.review.action"].create(values)

    def _plan(self, **vals):
        values = {
            "name": "T Plan",
            "partner_id": self.customer.id,
            "objectives": "<p>Very High tickets resolved in 4 h again</p>",
            "contact_ids": [(6, 0, (self.contact | self.mute_contact).ids)],
        }
        values.update(vals)
        return self.env["slm.improvement.plan"].with_user(self.analyst).create(values)

    # ------------------------------------------------------------------
    # Starting a plan
    # ------------------------------------------------------------------

    def test_start_from_review_action(self):
        result = self.review_action.with_user(
            self.analyst
        ).action_start_improvement_plan()
        plan = self.env["slm.improvement.plan"].browse(result["res_id"])
        self.assertEqual(result["res_model"], "slm.improvement.plan")
        self.assertEqual(self.review_action.improvement_plan_id, plan)
        self.assertEqual(plan.action_ids, self.review_action)
        self.assertEqual(plan.name, "Add an on-call watcher")
        self.assertEqual(plan.partner_id, self.customer)
        self.assertEqual(plan.agreement_id, self.service_level)
        self.assertEqual(plan.service_id, self.service, "the agreement's service")
        self.assertEqual(plan.origin_review_id, self.review)
        self.assertEqual(plan.contact_ids, self.contact, "the review's attendees")
        self.assertIn("Add an on-call watcher", plan.objectives)
        self.assertEqual(plan.state, "draft")
        self.assertEqual(plan.owner_id, self.analyst)
        self.assertIn("Started from the review actions", plan.message_ids[0].body)
        # An action joins one plan only.
        count = self.env["slm.improvement.plan"].search_count([])
        with self.assertRaisesText(UserError, "already belongs"):
            self.review_action.action_start_improvement_plan()
        # Actions of two customers: one plan per customer.
        other = self._action(
            "Other customer's action", partner_id=self.other_customer.id
        )
        ours = self._action("Ours", partner_id=self.customer.id)
        with self.assertRaisesText(UserError, "one plan per customer"):
            (other | ours).action_start_improvement_plan()
        self.assertEqual(self.env["slm.improvement.plan"].search_count([]), count)
        self.assertFalse(other.improvement_plan_id)

    def test_start_from_breaches(self):
        breaches = self.breach_1 | self.breach_2
        result = breaches.with_user(self.analyst).action_start_improvement_plan()
        plan = self.env["slm.improvement.plan"].browse(result["res_id"])
        self.assertEqual(plan.breach_ids, breaches)
        self.assertEqual(plan.breach_count, 2)
        self.assertEqual(plan.partner_id, self.customer)
        self.assertEqual(plan.agreement_id, self.customer_level)
        self.assertEqual(plan.service_id, self.service)
        self.assertIn(self.t_res_cust.name, plan.objectives)
        self.assertIn("95 %", plan.objectives)
        self.assertIn("2 breach(es)", plan.objectives)
        self.assertEqual(self.breach_1.improvement_plan_ids, plan)
        self.assertEqual(self.breach_1.improvement_plan_count, 1)
        action = self.breach_1.action_view_improvement_plans()
        self.assertEqual(action["domain"], [("id", "in", plan.ids)])
        self.assertEqual(
            self.env["slm.breach"].search_count(plan.action_view_breaches()["domain"]),
            2,
        )
        count = self.env["slm.improvement.plan"].search_count([])
        with self.assertRaisesText(UserError, "one plan per customer"):
            (self.breach_1 | self.breach_other).action_start_improvement_plan()
        self.assertEqual(self.env["slm.improvement.plan"].search_count([]), count)
        self.assertEqual(self.breach_other.improvement_plan_count, 0)

    # ------------------------------------------------------------------
    # Actions, progress, lifecycle
    # ------------------------------------------------------------------

    def test_progress(self):
        plan = self._plan()
        self.assertEqual(plan.progress, 0.0, "no action yet")
        a1, a2, a3, a4 = (
            self._action(f"T step {n}", improvement_plan_id=plan.id) for n in range(4)
        )
        self.assertEqual(plan.action_count, 4)
        self.assertEqual(plan.progress, 0.0)
        a1.with_user(self.analyst).action_done()
        self.assertEqual(plan.progress, 25.0, "1 of 4")
        a2.with_user(self.analyst).action_cancel()
        # A cancelled action leaves the count: 1 done of 3.
        self.assertEqual(plan.action_count, 3)
        self.assertEqual(plan.action_done_count, 1)
        self.assertAlmostEqual(plan.progress, 100 / 3)
        (a3 | a4).with_user(self.analyst).action_done()
        self.assertEqual(plan.progress, 100.0)
        # Stored: the list can sort and group by it.
        found = self.env["slm.improvement.plan"].search(
            [("id", "=", plan.id), ("progress", "=", 100.0)]
        )
        self.assertEqual(found, plan)

    def test_action_rules_apply(self):
        plan = self._plan()
        Action = self.env["slm.review.action"]
        with self.assertRaisesText(ValidationError, "needs an owner"):
            Action.create(
                {
                    "name": "T no owner",
                    "due_date": self.today,
                    "improvement_plan_id": plan.id,
                }
            )
        with self.assertRaisesText(ValidationError, "in the past"):
            self._action("T late", days=-1, improvement_plan_id=plan.id)
        self.assertFalse(plan.action_ids)

    def test_lifecycle(self):
        plan = self._plan(objectives=False)
        with self.assertRaisesText(UserError, "objectives and at least one action"):
            plan.action_start()
        plan.objectives = "<p>Back to 95 %</p>"
        with self.assertRaisesText(UserError, "at least one action"):
            plan.action_start()
        self.assertEqual(plan.state, "draft")
        action = self._action("T step", improvement_plan_id=plan.id)
        plan.with_user(self.analyst).action_start()
        self.assertEqual(plan.state, "active")
        self.assertEqual(plan.date_start, self.today)
        with self.assertRaisesText(UserError, "still has open actions: T step"):
            plan.action_done()
        self.assertEqual(plan.state, "active")
        action.action_done()
        plan.action_done()
        self.assertEqual(plan.state, "done")
        self.assertEqual(plan.date_done, self.today)
        with self.assertRaisesText(UserError, "Only an open plan can be cancelled"):
            plan.action_cancel()
        other = self._plan()
        other.action_cancel()
        self.assertEqual(other.state, "cancelled")
        other.action_reset_draft()
        self.assertEqual(other.state, "draft")

    # ------------------------------------------------------------------
    # Status report
    # ------------------------------------------------------------------

    def _active_plan(self):
        plan = self._plan(date_target=self.today + timedelta(days=60))
        self._action("T watcher on call", improvement_plan_id=plan.id)
        done = self._action(
            "T leave planning",
            days=3,
            improvement_plan_id=plan.id,
            owner_id=self.slm_manager.id,
        )
        done.action_done()
        plan.with_user(self.analyst).action_start()
        return plan

    def test_send_status_report(self):
        plan = self._active_plan()
        action = plan.with_user(self.analyst).action_send_status_report()
        self.assertEqual(action["res_model"], "mail.compose.message")
        composer = Form(
            self.env["mail.compose.message"]
            .with_user(self.analyst)
            .with_context(**action["context"])
        ).save()
        self.assertEqual(composer.partner_ids, self.contact, "only with an e-mail")
        self.assertIn("50 % done", composer.subject)
        composer.action_send_mail()
        message = plan.message_ids.filtered(
            lambda m: m.message_type == "comment" and "T watcher on call" in m.body
        )
        self.assertEqual(len(message), 1, "logged in the plan's chatter")
        self.assertEqual(message.partner_ids, self.contact)
        body = message.body
        self.assertIn("Very High tickets resolved in 4 h again", body)
        self.assertIn("T leave planning", body)
        self.assertIn(self.analyst.name, body)
        self.assertIn(self.slm_manager.name, body)
        self.assertIn("Open", body)
        self.assertIn("Done", body)
        self.assertIn("50", body)
        mails = self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
        self.assertEqual(mails.recipient_ids, self.contact)
        self.assertEqual(plan.report_count, 1)
        self.assertTrue(plan.last_report_date)

    def test_send_status_report_refused(self):
        plan = self._active_plan()
        plan.contact_ids = self.mute_contact
        messages = len(plan.message_ids)
        with self.assertRaisesText(UserError, "has an e-mail address"):
            plan.action_send_status_report()
        draft = self._plan()
        with self.assertRaisesText(UserError, "in progress or done"):
            draft.action_send_status_report()
        self.assertEqual(plan.report_count, 0)
        self.assertFalse(plan.last_report_date)
        self.assertEqual(len(plan.message_ids), messages)

    # ------------------------------------------------------------------
    # Access, portal
    # ------------------------------------------------------------------

    def test_access(self):
        plan = self._plan()
        Plan = self.env["slm.improvement.plan"]
        vals = {"name": "T other plan"}
        self.assertTrue(self._can(self.reader, "read", plan))
        self.assertFalse(self._can(self.reader, "create", Plan, vals))
        self.assertFalse(self._can(self.reader, "write", plan))
        self.assertFalse(self._can(self.agent, "read", plan))
        self.assertTrue(self._can(self.analyst, "create", Plan, vals))
        self.assertTrue(self._can(self.analyst, "write", plan))
        self.assertFalse(self._can(self.analyst, "unlink", plan))
        self.assertTrue(self._can(self.slm_manager, "unlink", plan))
        self.assertEqual(plan.access_url, f"/my/slm/plans/{plan.id}")
