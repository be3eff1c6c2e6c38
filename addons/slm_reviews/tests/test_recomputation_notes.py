# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issued statements and sent minutes keep their figures when clocks are
recomputed, and note the difference (recomputation rule 6 of
slm_agreements' USAGE.md; statement and minutes rules of this addon)."""

from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.slm_agreements.tests.common import utc

from .common import SlmReviewCase

MARCH = date(2026, 3, 1)
REASON = "T Tuesday 3 March was a holiday"


@tagged("post_install", "-at_install")
class TestRecomputationNotes(SlmReviewCase):
    """March 2026, a 4 h resolution target on a Brussels calendar: ticket A
    met (3 h), ticket B breached (6 h, Tuesday 3 March): 50 %. Tuesday is
    then declared a holiday and a person recomputes: B met, 100 %."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls._calendar("T Notes office", "Europe/Brussels", 8, 17)
        cls.agreement = cls._agreement(
            [cls._target("resolution", 4, cls.calendar, objective_pct=95)],
            name="T Notes SLA",
            partner_id=cls.customer.id,
            level="customer",
        )
        cls.target = cls.agreement.target_ids

    def setUp(self):
        super().setUp()
        ticket_a = self._ticket(utc(2026, 3, 2, 8))
        self._at(utc(2026, 3, 2, 11), ticket_a, stage_id=self.stage_done.id)
        self.ticket_b = self._ticket(utc(2026, 3, 3, 8))
        self._at(utc(2026, 3, 3, 14), self.ticket_b, stage_id=self.stage_done.id)
        with freeze_time("2026-04-02 09:00"):
            self.statement = self.env["slm.service.statement"].create(
                {"agreement_id": self.agreement.id, "period_start": MARCH}
            )
            self.statement.with_user(self.slm_manager).action_issue()
        self.review = self._review(
            period_start="2026-03-01",
            period_end="2026-03-31",
            agreement_ids=[(6, 0, self.agreement.ids)],
        )
        with freeze_time("2026-04-03 09:00"):
            self.review.action_prepare_agenda()
            self.review.action_meeting_held()
            self.review.action_generate_minutes()
            self.review._mark_minutes_sent()

    def _recompute(self, apply=True):
        run = (
            self.env["slm.recompute"]
            .with_user(self.manager)
            .create(
                {
                    "scope": "agreement",
                    "agreement_id": self.agreement.id,
                    "reason": REASON,
                }
            )
        )
        with freeze_time("2026-04-10 10:00"):
            run.action_preview()
            if apply:
                run.action_apply()
        return run

    def test_issued_statement_keeps_its_figures_and_notes_the_difference(self):
        self.assertEqual(self.statement.attainment_pct, 50.0)
        self.assertFalse(self.statement.recomputation_note)
        self._holiday(self.calendar, "2026-03-02 23:00:00", "2026-03-03 23:00:00")
        # Previewed only: nothing to note.
        run = self._recompute(apply=False)
        self.assertEqual(run.month_ids.recomputed_attainment, 100.0)
        self.statement.invalidate_recordset()
        self.assertFalse(self.statement.recomputation_note)
        run.action_apply()
        self.statement.invalidate_recordset()
        # The figures as issued stay; the note says what changed.
        self.assertEqual(self.statement.attainment_pct, 50.0)
        self.assertEqual(
            (self.statement.total_met, self.statement.total_breached), (1, 1)
        )
        note = self.statement.recomputation_note
        self.assertIn("as issued 50.00 %, now 100.00 %", note)
        self.assertIn(self.manager.name, note)
        self.assertIn(REASON, note)
        # And in its chatter, dated.
        self.assertIn(
            "as issued 50.00 %, now 100.00 %", self.statement.message_ids[0].body
        )
        # In the PDF too.
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "slm_reviews.report_service_statement", self.statement.ids
            )[0]
            .decode()
        )
        self.assertIn("as issued 50.00 %, now 100.00 %", html)

    def test_sent_minutes_keep_their_figures_and_note_the_difference(self):
        entry = self.review.snapshot["targets"][0]
        self.assertEqual(entry["attainment"], 50.0)
        self.assertFalse(self.review.recomputation_note)
        self._holiday(self.calendar, "2026-03-02 23:00:00", "2026-03-03 23:00:00")
        self._recompute()
        self.review.invalidate_recordset()
        self.assertEqual(self.review.snapshot["targets"][0]["attainment"], 50.0)
        note = self.review.recomputation_note
        self.assertIn(REASON, note)
        self.assertIn("as sent 50.00 %, now 100.00 %", note)
        self.assertIn("as sent 50.00 %, now 100.00 %", self.review.message_ids[0].body)

    def test_a_recomputation_that_changes_nothing_adds_no_note(self):
        messages = len(self.statement.message_ids), len(self.review.message_ids)
        run = self._recompute()
        self.assertEqual(
            (len(self.statement.message_ids), len(self.review.message_ids)), messages
        )
        self.assertEqual(run.changed_count, 0)
        self.statement.invalidate_recordset()
        self.review.invalidate_recordset()
        self.assertFalse(self.statement.recomputation_note)
        self.assertFalse(self.review.recomputation_note)
