# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import SlmClockCase, utc

H = 3600


@tagged("post_install", "-at_install")
class TestClockJobs(SlmClockCase):
    """Backfill of tickets that predate the suite, recomputation, simulation,
    and the attainment figures built on settled clocks."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Tracking on: the backfill reads the tracked stage changes.
        cls.env = cls.env(context=dict(cls.env.context, mail_notrack=False))

    def _old_ticket(self, created, stage_changes=(), reply_at=None):
        """A ticket as the helpdesk held it before the suite: no clock history."""
        ticket = self._ticket(created)
        with freeze_time(created):
            self.env.flush_all()
            self.env.cr.precommit.run()  # the creation's tracking, as at commit
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET create_date = %s WHERE id = %s",
            [created, ticket.id],
        )
        ticket.invalidate_recordset(["create_date"])
        for at, stage in stage_changes:
            with freeze_time(at):
                ticket.stage_id = stage
                self.env.flush_all()
                self.env.cr.precommit.run()  # writes the tracking message, dated `at`
        if reply_at:
            self._reply(reply_at, ticket)
        self.env["slm.ticket.event"].search([("ticket_id", "=", ticket.id)]).unlink()
        ticket.slm_clock_ids.unlink()
        return ticket

    def test_backfill_rebuilds_history_in_resumable_batches(self):
        tickets = [
            self._old_ticket(
                utc(2026, 3, 2, 9),
                [
                    (utc(2026, 3, 2, 10), self.stage_waiting),
                    (utc(2026, 3, 2, 11), self.stage_progress),
                    (utc(2026, 3, 2, 12), self.stage_done),
                ],
                reply_at=utc(2026, 3, 2, 9, 30),
            ),
            self._old_ticket(
                utc(2026, 3, 2, 9), [(utc(2026, 3, 2, 15), self.stage_done)]
            ),
            self._old_ticket(utc(2026, 3, 3, 9)),
        ]
        agreement = self._agreement(
            [
                self._target("response", 1),
                self._target(
                    "resolution", 4, pause_stage_ids=[(6, 0, self.stage_waiting.ids)]
                ),
            ]
        )
        response, resolution = agreement.target_ids.sorted(
            lambda t: t.metric != "response"
        )
        self.assertFalse(tickets[0].slm_clock_ids)
        self.env["ir.config_parameter"].set_param(
            "slm_agreements.clock_job_chunk_size", 2
        )
        with freeze_time(utc(2026, 3, 3, 10)):
            agreement.action_backfill_clocks()
            self.assertEqual(agreement.clock_job_state, "running")
            self.assertRecordValues(
                agreement.clock_job_chunk_ids,
                [
                    {"first_ticket_id": tickets[0].id, "ticket_count": 2},
                    {"first_ticket_id": tickets[2].id, "ticket_count": 1},
                ],
            )
            self.assertIn("3 tickets in 2 chunks", agreement.message_ids[0].body)
            # interrupted after one chunk...
            self.env["slm.agreement"]._cron_run_clock_jobs(limit=1)
            self.assertRecordValues(
                agreement,
                [
                    {
                        "clock_job_state": "running",
                        "clock_job_done": 2,
                        "clock_job_chunks_done": 1,
                        "clock_job_chunk_count": 2,
                        "clock_job_progress": 50.0,
                    }
                ],
            )
            self.assertFalse(tickets[2].slm_clock_ids)
            self.env["slm.agreement"]._cron_run_clock_jobs()  # ...and resumed
        self.assertEqual(
            (agreement.clock_job_state, agreement.clock_job_done), ("done", 3)
        )
        self.assertEqual(agreement.clock_job_progress, 100.0)
        self.assertIn("3 tickets processed", agreement.message_ids[0].body)
        first = tickets[0]
        # Rebuilt from tracking: 1 h waiting does not count, replied at 09:30.
        self.assertEqual(self._clock(first, response).stop, utc(2026, 3, 2, 9, 30))
        clock = self._clock(first, resolution)
        self.assertEqual(
            (clock.status, clock.used_seconds, clock.paused_seconds), ("met", 2 * H, H)
        )
        # Closed at 15:00 without reply: 6 h > 4 h.
        self.assertEqual(self._clock(tickets[1], resolution).status, "breached")
        self.assertEqual(
            self._clock(tickets[1], resolution).settled_date, utc(2026, 3, 2, 13)
        )
        # Created 09:00 on the 3rd, computed at 10:00: still running until 13:00.
        third = self._clock(tickets[2], resolution)
        self.assertEqual(
            (third.status, third.deadline), ("running", utc(2026, 3, 3, 13))
        )
        # Running the whole job again creates nothing new.
        clocks = self.env["slm.clock"].search_count(
            [("agreement_id", "=", agreement.id)]
        )
        with freeze_time(utc(2026, 3, 3, 10)):
            agreement.action_backfill_clocks()
            self.env["slm.agreement"]._cron_run_clock_jobs()
        self.assertEqual(
            self.env["slm.clock"].search_count([("agreement_id", "=", agreement.id)]),
            clocks,
        )

    def test_chunks_are_written_by_the_suite_only(self):
        """Clock job rule 1: nobody marks a chunk done, or adds one, by hand."""
        agreement = self._agreement([self._target("response", 1)])
        agreement.action_backfill_clocks()
        chunk = agreement.clock_job_chunk_ids[:1]
        manager = self.env.ref("base.user_admin")
        for values in ({"state": "done"}, {"last_ticket_id": 1}):
            with self.assertRaises(AccessError):
                chunk.with_user(manager).write(values)
        with self.assertRaises(AccessError):
            self.env["slm.clock.job.chunk"].with_user(manager).create(
                {
                    "agreement_id": agreement.id,
                    "first_ticket_id": 1,
                    "last_ticket_id": 2,
                }
            )
        self.assertGreaterEqual(len(agreement._clock_job_workers()), 4)

    def test_old_ticket_touched_after_install_gets_its_history_first(self):
        ticket = self._old_ticket(utc(2026, 3, 2, 9))
        agreement = self._agreement([self._target("resolution", 4)])
        # The first change after the suite arrived: its clock starts at creation.
        self._at(utc(2026, 3, 2, 10), ticket, stage_id=self.stage_progress.id)
        clock = self._clock(ticket, agreement.target_ids)
        self.assertEqual(
            (clock.start, clock.deadline), (utc(2026, 3, 2, 9), utc(2026, 3, 2, 13))
        )

    def test_recompute_is_logged_and_refused_for_unagreed(self):
        draft = self.env["slm.agreement"].create(
            {
                "name": "T Draft",
                "kind": "sla",
                "structure": "service_based",
                "date_start": "2020-01-01",
                "service_ids": [(6, 0, self.service.ids)],
            }
        )
        with self.assertRaises(UserError):
            self._person_recomputes(draft)
        self.assertFalse(draft.clock_job_state)
        agreement = self._agreement([self._target("response", 1)])
        # Previewed, then applied with a reason (recomputation rule 1).
        run = self._person_recomputes(agreement, reason="T calendar fixed")
        self.assertEqual(run.state, "applied")
        self.assertIn("T calendar fixed", agreement.message_ids[0].body)

    def test_attainment_report_and_current_month(self):
        agreement = self._agreement([self._target("response", 1)])
        target = agreement.target_ids
        with freeze_time(utc(2026, 3, 20, 12)):
            for minutes in (10, 20, 30, 90):  # three met, one breached
                ticket = self._ticket(utc(2026, 3, 2, 9))
                self._reply(utc(2026, 3, 2, 9) + timedelta(minutes=minutes), ticket)
            self._ticket(utc(2026, 3, 2, 9))  # running until the cron: not counted
            groups = self.env["slm.attainment.report"].read_group(
                [("target_id", "=", target.id)],
                ["attainment:avg", "measured:sum", "met:sum", "breached:sum"],
                ["target_id"],
            )
            target.invalidate_recordset()
            self.assertEqual(target.current_measured, 4)
            self.assertAlmostEqual(target.current_attainment, 75.0)
            self.assertFalse(
                target.current_achieved, "75 % is below the 95 % objective"
            )
        self.assertEqual(
            (groups[0]["measured"], groups[0]["met"], groups[0]["breached"]), (4, 3, 1)
        )
        self.assertAlmostEqual(groups[0]["attainment"], 75.0)

    def test_what_if_says_when_nothing_matches(self):
        """Issue 11 item 8: a simulation that finds no ticket says so."""
        lonely = self.env["res.partner"].create(
            {"name": "T Lonely Customer", "is_company": True}
        )
        slr = self.env["slm.agreement"].create(
            {
                "name": "T Requirement for nobody",
                "kind": "sla",
                "structure": "customer_based",
                "partner_id": lonely.id,
                "target_ids": [(0, 0, self._target("response", 1))],
            }
        )
        wizard = self.env["slm.simulation.wizard"].create({"agreement_id": slr.id})
        self.assertFalse(wizard.simulated)
        wizard.action_run()
        self.assertRecordValues(
            wizard, [{"simulated": True, "ticket_count": 0, "line_ids": []}]
        )

    def test_what_if_simulation_leaves_live_clocks_alone(self):
        for created, reply_minutes in (
            (utc(2026, 2, 2, 9), 30),
            (utc(2026, 2, 3, 9), 90),
            (utc(2026, 3, 2, 9), 20),
        ):
            ticket = self._ticket(created)
            with freeze_time(created + timedelta(minutes=reply_minutes)):
                ticket.message_post(
                    body="Answer",
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                    author_id=self.agent.partner_id.id,
                )
        slr = self.env["slm.agreement"].create(
            {
                "name": "T Requirement",
                "kind": "sla",
                "structure": "service_based",
                "date_start": "2026-06-01",
                "service_ids": [(6, 0, self.service.ids)],
                "target_ids": [(0, 0, self._target("response", 1))],
            }
        )
        clocks_before = self.env["slm.clock"].search_count([])
        with freeze_time(utc(2026, 3, 20, 12)):
            wizard = Form(
                self.env["slm.simulation.wizard"].with_context(
                    default_agreement_id=slr.id
                )
            )
            wizard.months = 3
            wizard = wizard.save()
            wizard.action_run()
        lines = {line.month.month: line for line in wizard.line_ids}
        self.assertEqual(set(lines), {2, 3})
        self.assertEqual(
            (lines[2].met, lines[2].breached, lines[2].attainment), (1, 1, 50.0)
        )
        self.assertEqual((lines[3].met, lines[3].breached), (1, 0))
        self.assertTrue(lines[3].achieved)
        self.assertFalse(lines[2].achieved)
        self.assertEqual(self.env["slm.clock"].search_count([]), clocks_before)
        self.assertFalse(self.env["slm.clock"].search([("agreement_id", "=", slr.id)]))
