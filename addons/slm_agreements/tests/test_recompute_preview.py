# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Non-destructive recomputation (recomputation rules 1-6 of USAGE.md):
previewed per clock and per month, applied on confirmation, logged, the
superseded results kept."""

from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from ..models import slm_recompute
from .common import SlmClockCase, utc

H = 3600
MARCH = utc(2026, 3, 1).date()


@tagged("post_install", "-at_install")
class TestRecomputePreview(SlmClockCase):
    """A 4 h resolution target on the Brussels calendar (08:00-17:00 local,
    UTC+1 in early March 2026).

    - ticket A: Mon 2 March 09:00-12:00 local, 3 h: met (deadline 13:00);
    - ticket B: Tue 3 March 09:00-15:00 local, 6 h: breached at 13:00
      local (12:00 UTC).

    March: 1 met, 1 breached, 50 %. Then Tuesday 3 March is declared a
    holiday: recomputed, B has used no business time when closed (met, its
    deadline Wed 4 March 12:00 local = 11:00 UTC): March 2 met, 100 %.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls._calendar("T Recompute office", "Europe/Brussels", 8, 17)
        cls.agreement = cls._agreement(
            [cls._target("resolution", 4, cls.calendar)], name="T Recompute SLA"
        )
        cls.target = cls.agreement.target_ids
        cls.analyst = new_test_user(
            cls.env,
            "slm_recompute_analyst",
            "slm_catalogue.group_slm_analyst,helpdesk_mgmt.group_helpdesk_user",
            context={"no_reset_password": True},
        )

    def setUp(self):
        super().setUp()
        self.ticket_a = self._ticket(utc(2026, 3, 2, 8))
        self._at(utc(2026, 3, 2, 11), self.ticket_a, stage_id=self.stage_done.id)
        self.ticket_b = self._ticket(utc(2026, 3, 3, 8))
        self._at(utc(2026, 3, 3, 14), self.ticket_b, stage_id=self.stage_done.id)
        self.clock_a = self._clock(self.ticket_a, self.target)
        self.clock_b = self._clock(self.ticket_b, self.target)

    def _declare_tuesday_a_holiday(self):
        self._holiday(self.calendar, "2026-03-02 23:00:00", "2026-03-03 23:00:00")

    def _new_run(self, records, user=None, reason="T Tuesday 3 March is a holiday"):
        records = records.with_user(user or self.manager)
        button = (
            records.action_recompute_clocks
            if records._name == "slm.agreement"
            else records.action_slm_recompute_clocks
        )
        action = button()
        return (
            records.env["slm.recompute"]
            .with_context(**action["context"])
            .create({"reason": reason})
        )

    def test_hand_worked_preview_then_apply(self):
        self.assertEqual(
            (self.clock_a.status, self.clock_b.status), ("met", "breached")
        )
        self.assertEqual(self.clock_b.deadline, utc(2026, 3, 3, 12))
        self.assertEqual(self.clock_b.used_seconds, 6 * H)
        self._declare_tuesday_a_holiday()
        # An ordinary recomputation keeps the settled result (clock rule 11);
        # a breached clock's used time follows the history (clock rule 14).
        self._refresh(self.ticket_b, utc(2026, 3, 5, 9))
        self.assertEqual(self.clock_b.status, "breached")
        self.assertEqual(self.clock_b.used_seconds, 0)
        run = self._new_run(self.agreement)
        with freeze_time(utc(2026, 3, 5, 10)):
            run.action_preview()
        # Per clock: only B changes, as measured and as recomputed.
        self.assertEqual((run.clock_count, run.changed_count), (2, 1))
        line = run.line_ids
        self.assertEqual(line.clock_id, self.clock_b)
        self.assertEqual(
            (line.measured_status, line.recomputed_status), ("breached", "met")
        )
        self.assertEqual(line.measured_deadline, utc(2026, 3, 3, 12))
        self.assertEqual(line.recomputed_deadline, utc(2026, 3, 4, 11))
        self.assertEqual((line.measured_used_hours, line.recomputed_used_hours), (0, 0))
        self.assertEqual((line.measured_month, line.recomputed_month), (MARCH, MARCH))
        # Per month, from the one counting of attainment: 50 % -> 100 %.
        month = run.month_ids
        self.assertEqual((month.target_id, month.period_date), (self.target, MARCH))
        self.assertEqual(
            (month.measured_met, month.measured_breached, month.measured_attainment),
            (1, 1, 50.0),
        )
        self.assertEqual(
            (
                month.recomputed_met,
                month.recomputed_breached,
                month.recomputed_attainment,
            ),
            (2, 0, 100.0),
        )
        self.assertTrue(month.changed)
        # Nothing written before the confirmation.
        self.assertEqual(self.clock_b.status, "breached")
        self.assertEqual(self.clock_b.deadline, utc(2026, 3, 3, 12))
        self.assertFalse(self.clock_b.revision_ids)
        self.assertEqual(run.state, "draft")
        # Confirmed: the clock changes, the old result stays readable.
        with freeze_time(utc(2026, 3, 5, 11)):
            run.with_user(self.manager).action_apply()
        self.assertEqual(self.clock_b.status, "met")
        self.assertEqual(self.clock_b.deadline, utc(2026, 3, 4, 11))
        self.assertEqual(self.clock_a.status, "met")
        revision = self.clock_b.revision_ids
        self.assertEqual(len(revision), 1)
        self.assertEqual(
            (revision.old_status, revision.old_deadline, revision.old_stop),
            ("breached", utc(2026, 3, 3, 12), utc(2026, 3, 3, 14)),
        )
        self.assertEqual((revision.new_status, revision.new_used_seconds), ("met", 0))
        self.assertEqual(revision.old_period_date, MARCH)
        self.assertFalse(self.clock_a.revision_ids)
        # Who, when, why.
        self.assertEqual(run.state, "applied")
        self.assertEqual(run.applied_by_id, self.manager)
        self.assertEqual(run.applied_on, utc(2026, 3, 5, 11))
        self.assertEqual((revision.user_id, revision.run_id), (self.manager, run))
        self.assertEqual(revision.reason, "T Tuesday 3 March is a holiday")
        self.assertIn(
            "T Tuesday 3 March is a holiday", self.agreement.message_ids[0].body
        )
        log = self.ticket_b.message_ids[:1]
        self.assertEqual(
            log.subtype_id, self.env.ref("slm_agreements.mt_slm_clocks_recomputed")
        )
        self.assertIn("Tuesday 3 March", log.body)
        html = self.clock_b._timeline_html(utc(2026, 3, 5, 12))
        self.assertIn("Recomputed by a person", html)
        # Attainment now reads the recomputed clocks.
        counts = self.env["slm.clock"]._attainment_counts(
            [("target_id", "=", self.target.id)], ["period_date:month"]
        )
        self.assertEqual(counts[(MARCH,)]["attainment"], 100.0)

    def test_ticket_scope_and_no_change(self):
        run = self._new_run(self.ticket_a, reason="T check")
        self.assertEqual(run.scope, "tickets")
        run.action_preview()
        self.assertEqual((run.clock_count, run.changed_count), (1, 0))
        self.assertFalse(run.line_ids)
        self.assertFalse(run.month_ids.filtered("changed"))
        self.assertIn("No change", run.summary)
        run.action_apply()
        self.assertEqual(run.revised_count, 0)
        self.assertFalse(self.clock_a.revision_ids)
        # A ticket's recomputation is logged on it, as before (clock rule 19).
        self.assertIn("recomputed by", self.ticket_a.message_ids[:1].body)

    def test_ticket_scope_shows_the_clocks_a_target_that_now_applies_starts(self):
        """An OLA of the ticket's team agreed after the ticket was closed:
        its 1 h response target now applies to A (closed at 3 h without
        reply: answered when closed, breached at 10:00 local)."""
        ola = self._agreement(
            [self._target("response", 1)],
            name="T Service Desk OLA",
            kind="ola",
            team_id=self.team.id,
        )
        run = self._new_run(self.ticket_a, reason="T OLA agreed")
        run.action_preview()
        new = run.line_ids.filtered("is_new")
        self.assertEqual(len(new), 1)
        self.assertEqual(
            (new.target_id, new.ticket_id), (ola.target_ids, self.ticket_a)
        )
        self.assertFalse(new.clock_id)
        self.assertEqual(new.recomputed_status, "breached")
        self.assertFalse(self._clock(self.ticket_a, ola.target_ids))
        run.action_apply()
        clock = self._clock(self.ticket_a, ola.target_ids)
        self.assertEqual(clock.status, "breached")
        self.assertEqual(clock.deadline, utc(2026, 3, 2, 9))

    def test_large_scope_caps_the_lines_not_the_months(self):
        self._declare_tuesday_a_holiday()
        run = self._new_run(self.agreement)
        with patch.object(slm_recompute, "LINE_LIMIT", 0):
            run.action_preview()
        self.assertEqual(run.changed_count, 1)
        self.assertFalse(run.line_ids)
        self.assertTrue(run.lines_capped)
        self.assertEqual(run.month_ids.recomputed_met, 2)

    def test_the_buttons_open_the_form(self):
        for records in (self.agreement, self.ticket_a | self.ticket_b):
            action = getattr(
                records.with_user(self.manager),
                "action_recompute_clocks"
                if records._name == "slm.agreement"
                else "action_slm_recompute_clocks",
            )()
            Run = self.env["slm.recompute"].with_user(self.manager)
            with Form(Run.with_context(**action["context"])) as form:
                form.reason = "T from the form"
            run = form.record
            self.assertEqual(run.company_id, self.env.company)
            if records._name == "slm.agreement":
                self.assertEqual(run.agreement_id, self.agreement)
            else:
                self.assertEqual(run.ticket_ids, records)
            run.action_preview()
            self.assertEqual(run.clock_count, 2)

    def test_preview_is_set_based(self):
        """The preview reads in batches: four more tickets, no more queries
        (a query per ticket or per clock would show here)."""

        def preview_queries():
            run = self._new_run(self.agreement)
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            run.action_preview()
            self.assertFalse(run.changed_count)
            return self.env.cr.sql_log_count - before

        few = preview_queries()
        for day in (9, 10, 11, 12):
            ticket = self._ticket(utc(2026, 3, day, 8))
            self._at(utc(2026, 3, day, 9), ticket, stage_id=self.stage_done.id)
        self.assertLessEqual(preview_queries(), few)

    def test_preview_is_refreshed_and_needs_a_reason(self):
        run = self._new_run(self.agreement, reason=" ")
        with self.assertRaises(UserError):
            run.action_preview()
        with self.assertRaises(UserError):
            run.action_apply()  # not previewed
        run.reason = "T holiday"
        run.action_preview()
        self.assertEqual(run.changed_count, 0)
        self._declare_tuesday_a_holiday()
        run.action_preview()
        self.assertEqual(run.changed_count, 1)
        self.assertEqual(len(run.month_ids), 1)

    # ------------------------------------------------------------------
    # Hostile callers (recomputation rule 5)
    # ------------------------------------------------------------------

    def test_only_managers_preview_and_apply(self):
        for user in (self.analyst, self.agent):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._new_run(self.agreement, user=user)
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["slm.recompute"].with_user(user).create(
                    {
                        "scope": "agreement",
                        "agreement_id": self.agreement.id,
                        "reason": "T",
                    }
                )
        run = self._new_run(self.agreement)
        run.action_preview()
        # The analyst reads it, never applies it, whatever the context.
        as_analyst = run.with_user(self.analyst).with_context(
            slm_system_write=True, slm_recompute_apply=True
        )
        self.assertEqual(as_analyst.changed_count, 0)
        for method in ("action_apply", "action_preview", "action_discard"):
            with self.subTest(method=method), self.assertRaises(AccessError):
                getattr(as_analyst, method)()
        with self.assertRaises(AccessError):
            as_analyst.write({"reason": "T other"})
        self.assertEqual(run.state, "draft")

    def test_workflow_fields_and_frozen_runs(self):
        Run = (
            self.env["slm.recompute"]
            .with_user(self.manager)
            .with_context(slm_system_write=True, slm_agreement_system_write=True)
        )
        with self.assertRaises(AccessError):
            Run.create(
                {
                    "scope": "agreement",
                    "agreement_id": self.agreement.id,
                    "reason": "T",
                    "state": "applied",
                }
            )
        # Nor through the context's defaults.
        with self.assertRaises(AccessError):
            Run.with_context(
                default_state="applied", default_applied_by_id=self.manager.id
            ).create(
                {"scope": "agreement", "agreement_id": self.agreement.id, "reason": "T"}
            )
        run = self._new_run(self.agreement).with_context(slm_system_write=True)
        for vals in (
            {"state": "applied"},
            {"applied_by_id": self.manager.id},
            {"changed_count": 0},
            {"agreement_id": self.agreement.id},
            {"line_ids": [Command.create({"clock_id": self.clock_b.id})]},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                run.write(vals)
        run.action_preview()
        run.action_apply()
        # Applied once: never again, never changed, never deleted.
        for method in ("action_apply", "action_preview", "action_discard"):
            with self.subTest(method=method), self.assertRaises(UserError):
                getattr(run, method)()
        with self.assertRaises(UserError):
            run.write({"reason": "T rewritten"})
        with self.assertRaises(UserError):
            run.unlink()
        self.assertEqual(run.reason, "T Tuesday 3 March is a holiday")

    def test_revisions_and_previews_are_written_by_the_suite_only(self):
        self._declare_tuesday_a_holiday()
        run = self._new_run(self.agreement)
        run.action_preview()
        run.action_apply()
        revision = self.clock_b.revision_ids
        context = {"slm_system_write": True, "slm_agreement_system_write": True}
        for user in (self.manager, self.analyst):
            env = self.env(user=user, context=context)
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    revision.with_env(env).write({"old_status": "met"})
                with self.assertRaises(AccessError):
                    revision.with_env(env).unlink()
                with self.assertRaises(AccessError):
                    env["slm.clock.revision"].create(
                        {
                            "clock_id": self.clock_a.id,
                            "run_id": run.id,
                            "date": "2026-03-05 10:00:00",
                        }
                    )
                with self.assertRaises(AccessError):
                    run.month_ids.with_env(env).write({"recomputed_met": 0})
                with self.assertRaises(AccessError):
                    env["slm.recompute.line"].create({"run_id": run.id})
        self.assertEqual(revision.old_status, "breached")

    def test_other_company_sees_no_run(self):
        company_b = self.env["res.company"].create({"name": "T Recompute Co B"})
        other = new_test_user(
            self.env,
            "slm_recompute_other_co",
            "slm_catalogue.group_slm_manager",
            company_id=company_b.id,
            company_ids=[Command.set(company_b.ids)],
            context={"no_reset_password": True},
        )
        run = self._new_run(self.agreement)
        run.action_preview()
        self.assertFalse(
            self.env["slm.recompute"].with_user(other).search([("id", "=", run.id)])
        )
        with self.assertRaises(AccessError):
            run.with_user(other).action_apply()
