# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Tampering from the caller's side (issue 16, items 1 and 2; guard rule 1):
reviews and their minutes, customer statements and their figures. Each
attack runs as a user of the role, without and with the context keys that
used to lift the locks: same refusal, nothing changed (nothing reaches the
portal); the buttons still work."""

from datetime import date

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.slm_agreements.tests.test_tamper_guards import contexts

from .common import SlmReviewCase, StatementCase

MARCH = date(2026, 3, 1)


@tagged("post_install", "-at_install")
class TestTamperGuardsReviews(SlmReviewCase):
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
        cls.review = cls._review(agreement_ids=[(6, 0, cls.sla.ids)])

    def test_key_review_unfreeze_workflow_fields(self):
        """An analyst cannot send the minutes of a planned review, forge its
        minutes or figures, with or without the key."""
        review = self.review.with_user(self.analyst)
        for ctx in contexts("slm_review_unfreeze"):
            for vals in (
                {"state": "minutes_sent"},
                {"state": "held"},
                {"minutes_sent_date": "2026-10-05 10:00:00"},
                {"minutes": "<p>Forged minutes</p>"},
                {"agenda": "<p>Forged agenda</p>"},
                {"snapshot": {"targets": []}},
            ):
                with self.subTest(ctx=ctx, vals=vals):
                    with self.assertRaisesText(UserError, "cannot be written directly"):
                        review.with_context(**ctx).write(vals)
            with self.subTest(ctx=ctx, create=True):
                with self.assertRaisesText(UserError, "starts as planned"):
                    self.env["slm.review"].with_user(self.analyst).with_context(
                        **ctx
                    ).create(
                        {
                            "partner_id": self.customer.id,
                            "period_start": "2026-08-01",
                            "period_end": "2026-08-31",
                            "state": "minutes_sent",
                            "minutes": "<p>Forged minutes</p>",
                        }
                    )
        self.assertRecordValues(
            self.review,
            [{"state": "planned", "minutes_sent_date": False, "snapshot": False}],
        )
        self.assertFalse(self.review.minutes)
        # A review action is done, cancelled or reopened by its buttons only.
        due = fields.Date.add(fields.Date.today(), days=30)
        action = self._action(self.review, "T Train", due)
        for ctx in contexts("slm_review_unfreeze"):
            with self.subTest(ctx=ctx, action=True):
                with self.assertRaisesText(UserError, "buttons only"):
                    action.with_user(self.analyst).with_context(**ctx).write(
                        {"state": "done", "done_date": fields.Date.today()}
                    )
        self.assertEqual(action.state, "open")
        action.with_user(self.analyst).action_done()
        self.assertEqual(action.state, "done")
        # Not on the portal: the customer sees sent minutes only.
        self.assertNotIn(
            self.review,
            self.env["slm.review"].search(
                [("state", "in", ("minutes_sent", "closed"))]
            ),
        )

    def test_key_review_unfreeze_sent_minutes(self):
        """The buttons take the review to sent minutes; then nobody rewrites
        them, with or without the key; closing is still the button's."""
        review = self.review.with_user(self.analyst)
        with freeze_time("2026-10-05 10:00"):
            review.action_prepare_agenda()
            review.action_meeting_held()
            review.decisions = "<p>T Agreed to train the agents.</p>"
            review.action_generate_minutes()
            review._mark_minutes_sent()
        self.assertEqual(self.review.state, "minutes_sent")
        minutes, snapshot = self.review.minutes, self.review.snapshot
        for ctx in contexts("slm_review_unfreeze"):
            for vals in (
                {"minutes": "<p>Rewritten</p>"},
                {"decisions": "<p>Other decisions</p>"},
                {"snapshot": {}},
                {"state": "held"},
                {"period_end": "2026-09-15"},
            ):
                with self.subTest(ctx=ctx, vals=vals):
                    with self.assertRaisesText(UserError, "These minutes were sent"):
                        review.with_context(**ctx).write(vals)
        self.assertEqual(self.review.minutes, minutes)
        self.assertEqual(self.review.snapshot, snapshot)
        self.assertEqual(self.review.decisions, "<p>T Agreed to train the agents.</p>")
        review.action_close()
        self.assertEqual(self.review.state, "closed")
        # A reader (no write access) cannot press the buttons either.
        other = self._review(agreement_ids=[(6, 0, self.sla.ids)])
        with self.assertRaises(UserError):
            other.with_user(self.reader).action_prepare_agenda()
        self.assertEqual(other.state, "planned")


@tagged("post_install", "-at_install")
class TestTamperGuardsStatements(StatementCase):
    def test_statement_state_and_figures_refused(self):
        """An analyst cannot issue a statement by writing its state (with
        forged figures), nor write its figures; a manager cannot either. The
        button Issue still works, and then the figures are frozen."""
        statement = self._statement(self.service_level, MARCH, user=self.analyst)
        line = self._line(statement, self.t_resp)
        figures = line._figures()
        count = len(statement.line_ids)
        for user in (self.analyst, self.slm_manager):
            mine = statement.with_user(user)
            for ctx in contexts("slm_agreement_system_write"):
                for vals in (
                    {"state": "issued"},
                    {"issued_date": "2026-04-01 00:00:00"},
                    {"issued_by_id": self.slm_manager.id},
                    {"computed_date": "2026-04-01 00:00:00"},
                    {"total_met": 99},
                    {"attainment_pct": 100.0},
                    {
                        "state": "issued",
                        "line_ids": [(1, line.id, {"met": 99, "breached": 0})],
                    },
                ):
                    with self.subTest(user=user.login, ctx=ctx, vals=vals):
                        with self.assertRaisesText(
                            UserError, "cannot be written directly"
                        ):
                            mine.with_context(**ctx).write(vals)
                with self.subTest(user=user.login, ctx=ctx, line=True):
                    with self.assertRaisesText(UserError, "cannot be changed by hand"):
                        line.with_user(user).with_context(**ctx).write(
                            {"met": 99, "attainment_pct": 100.0}
                        )
                    with self.assertRaisesText(UserError, "cannot be changed by hand"):
                        self.env["slm.service.statement.line"].with_user(
                            user
                        ).with_context(**ctx).create(
                            {
                                "statement_id": statement.id,
                                "target_id": self.t_resp.id,
                                "met": 99,
                            }
                        )
                    with self.assertRaisesText(UserError, "cannot be changed by hand"):
                        line.with_user(user).with_context(**ctx).unlink()
        self.assertRecordValues(
            statement, [{"state": "draft", "issued_date": False, "issued_by_id": False}]
        )
        self.assertEqual(line._figures(), figures)
        self.assertEqual(len(statement.line_ids), count)
        # The buttons: recompute (analyst), issue (manager).
        statement.with_user(self.analyst).action_recompute()
        statement.with_user(self.slm_manager).action_issue()
        self.assertRecordValues(
            statement, [{"state": "issued", "issued_by_id": self.slm_manager.id}]
        )
        with self.assertRaisesText(UserError, "cannot be changed or deleted"):
            statement.with_user(self.slm_manager).write({"note": "<p>changed</p>"})
