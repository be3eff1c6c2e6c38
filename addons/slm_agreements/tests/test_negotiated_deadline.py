# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Negotiated deadline rules 1-8 (slm_agreements' USAGE.md), hand-worked.

2026-03-02 is a Monday. The target counts around the clock: resolution in
8 h, warning at 75 %. A ticket created on Monday at 09:00 is due at 17:00;
the agent proposes Tuesday 12:00 instead (27 h from the start: the warning
at 75 % of 27 h = 20 h 15, Tuesday 05:15).
"""

from datetime import timedelta

from freezegun import freeze_time

from odoo import fields, http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import new_test_user
from odoo.tools import mute_logger

from .common import SlmClockCase, utc

MONDAY_9 = utc(2026, 3, 2, 9)
MONDAY_17 = utc(2026, 3, 2, 17)
TUESDAY_12 = utc(2026, 3, 3, 12)


@tagged("post_install", "-at_install")
class TestNegotiatedDeadline(SlmClockCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fix = cls._target(
            "resolution",
            8,
            name="T Fix in 8 h",
            pause_stage_ids=[(6, 0, cls.stage_waiting.ids)],
        )
        cls.sla = cls._agreement([cls.fix], name="T Negotiated SLA")
        cls.target = cls.sla.target_ids
        cls.manager_2 = new_test_user(
            cls.env,
            "slm_clock_manager_2",
            "slm_catalogue.group_slm_manager,helpdesk_mgmt.group_helpdesk_user",
            context={"no_reset_password": True},
        )

    # helpers -----------------------------------------------------------

    def _propose(self, at, clock, deadline, user=None, reason="Parts on Tuesday"):
        with freeze_time(at):
            proposal = (
                self.env["slm.deadline.proposal"]
                .with_user(user or self.agent)
                .create(
                    {
                        "clock_id": clock.id,
                        "proposed_deadline": deadline,
                        "reason": reason,
                    }
                )
            )
            proposal.action_propose()
        return proposal

    def _decide(self, at, proposal, approve=True, user=None):
        with freeze_time(at):
            proposal = proposal.with_user(user or self.manager)
            if approve:
                proposal.action_approve()
            else:
                proposal.action_refuse()

    def _running_clock(self):
        ticket = self._ticket(MONDAY_9)
        return ticket, self._clock(ticket, self.target)

    # measurement (rule 4) ----------------------------------------------

    def test_approved_deadline_met_when_stopped_by_then(self):
        ticket, clock = self._running_clock()
        self.assertEqual(clock.deadline, MONDAY_17)
        proposal = self._propose(utc(2026, 3, 2, 10), clock, TUESDAY_12)
        self.assertEqual(proposal.state, "proposed")
        self.assertEqual(proposal.original_deadline, MONDAY_17)
        self.assertEqual(clock.deadline, MONDAY_17, "nothing changes before approval")
        self._decide(utc(2026, 3, 2, 11), proposal)
        self.assertEqual(proposal.state, "approved")
        self.assertEqual(proposal.decided_by_id, self.manager)
        self.assertRecordValues(
            clock,
            [
                {
                    "status": "running",
                    "deadline": TUESDAY_12,
                    "original_deadline": MONDAY_17,
                    "negotiated_deadline": TUESDAY_12,
                    "negotiated": True,
                    "warning_at": utc(2026, 3, 3, 5, 15),
                }
            ],
        )
        with freeze_time(utc(2026, 3, 2, 11)):
            clock.invalidate_recordset(["time_left_hours"])
            self.assertAlmostEqual(clock.time_left_hours, 25.0, msg="to Tuesday 12:00")
        # Past the original deadline, not the negotiated one: still running.
        self._refresh(ticket, utc(2026, 3, 2, 20))
        self.assertEqual(clock.status, "running")
        self._at(utc(2026, 3, 3, 11), ticket, stage_id=self.stage_done.id)
        self.assertRecordValues(
            clock,
            [
                {
                    "status": "met",
                    "stop": utc(2026, 3, 3, 11),
                    "settled_date": utc(2026, 3, 3, 11),
                    "original_deadline": MONDAY_17,
                    "negotiated": True,
                }
            ],
        )
        with self.subTest("flagged in the attainment report, counted as met"):
            row = self.env["slm.attainment.report"].search([("id", "=", clock.id)])
            self.assertRecordValues(row, [{"met": 1, "negotiated": 1}])
            counts = self.env["slm.clock"]._attainment_counts([("id", "=", clock.id)])
            self.assertEqual((counts[()]["met"], counts[()]["negotiated"]), (1, 1))
        with self.subTest("the timeline says how the deadline was set"):
            self.assertIn("negotiated", clock.timeline_html)
        with self.subTest("a person's recomputation from history keeps it"):
            with freeze_time(utc(2026, 3, 4, 9)):
                clock._recompute(force=True)
            self.assertRecordValues(
                clock, [{"status": "met", "deadline": TUESDAY_12, "negotiated": True}]
            )

    def test_approved_deadline_breached_after_it(self):
        ticket, clock = self._running_clock()
        proposal = self._propose(utc(2026, 3, 2, 10), clock, TUESDAY_12)
        self._decide(utc(2026, 3, 2, 11), proposal)
        self._at(utc(2026, 3, 3, 13), ticket, stage_id=self.stage_done.id)
        self.assertRecordValues(
            clock,
            [
                {
                    "status": "breached",
                    "deadline": TUESDAY_12,
                    "settled_date": TUESDAY_12,
                    "original_deadline": MONDAY_17,
                }
            ],
        )

    def test_pauses_do_not_move_the_negotiated_deadline(self):
        """Waiting from Monday 11:00: paused, still due Tuesday 12:00 (a fixed
        instant), breached when it passes while still waiting."""
        ticket, clock = self._running_clock()
        proposal = self._propose(utc(2026, 3, 2, 10), clock, TUESDAY_12)
        self._decide(utc(2026, 3, 2, 10, 30), proposal)
        self._at(utc(2026, 3, 2, 11), ticket, stage_id=self.stage_waiting.id)
        self.assertRecordValues(
            clock,
            [
                {
                    "status": "paused",
                    "deadline": TUESDAY_12,
                    "paused_since": utc(2026, 3, 2, 11),
                }
            ],
        )
        self._refresh(ticket, utc(2026, 3, 3, 13))
        self.assertRecordValues(
            clock,
            [
                {
                    "status": "breached",
                    "deadline": TUESDAY_12,
                    "settled_date": TUESDAY_12,
                }
            ],
        )

    def test_breach_scan_alerts_against_the_negotiated_deadline(self):
        ticket, clock = self._running_clock()
        proposal = self._propose(utc(2026, 3, 2, 10), clock, TUESDAY_12)
        self._decide(utc(2026, 3, 2, 11), proposal)
        self.assertEqual(clock.next_alert_at, utc(2026, 3, 3, 5, 15), "the warning")
        with freeze_time(utc(2026, 3, 2, 17, 30)):
            self.env["slm.clock"]._scan_batch(now=utc(2026, 3, 2, 17, 30))
        self.assertEqual(clock.status, "running", "the original deadline is gone")
        self.assertFalse(self.env["slm.breach"].search([("ticket_id", "=", ticket.id)]))
        with freeze_time(utc(2026, 3, 3, 12, 1)):
            self.env["slm.clock"]._scan_batch(now=utc(2026, 3, 3, 12, 1))
        self.assertEqual(clock.status, "breached")
        breach = self.env["slm.breach"].search([("ticket_id", "=", ticket.id)])
        self.assertEqual(breach.deadline, TUESDAY_12)
        self.assertTrue(breach.negotiated)

    def test_breach_recorded_before_approval_stays(self):
        """Rule 8: a clock already breached gets a new deadline; its breach
        record stays for history (the clock no longer breached); a breach of
        the negotiated deadline would be that same record."""
        ticket, clock = self._running_clock()
        with freeze_time(utc(2026, 3, 2, 18)):
            self.env["slm.clock"]._scan_batch(now=utc(2026, 3, 2, 18))
        self.assertEqual(clock.status, "breached")
        breach = self.env["slm.breach"].search([("ticket_id", "=", ticket.id)])
        self.assertEqual(len(breach), 1)
        proposal = self._propose(utc(2026, 3, 2, 18, 30), clock, TUESDAY_12)
        self._decide(utc(2026, 3, 2, 19), proposal)
        self.assertRecordValues(
            clock,
            [{"status": "running", "deadline": TUESDAY_12, "alert_pct": 0.0}],
        )
        self.assertTrue(breach.exists())
        self.assertEqual(breach.clock_status, "running")
        self.assertEqual(breach.original_deadline, MONDAY_17)
        self._at(utc(2026, 3, 3, 10), ticket, stage_id=self.stage_done.id)
        self.assertEqual(clock.status, "met")
        counts = self.env["slm.clock"]._attainment_counts([("id", "=", clock.id)])
        self.assertEqual(counts[()]["met"], 1)
        self.assertEqual(counts[()]["negotiated"], 1)

    def test_approval_keeps_the_superseded_result(self):
        """Rule 9: the approval keeps what the clock measured before as a
        superseded result naming the proposal, written by the suite: a
        refusal keeps nothing; the proposer, the approver or an SLM role
        cannot create, change or delete one, whatever the context."""
        ticket, clock = self._running_clock()
        refused = self._propose(
            utc(2026, 3, 2, 9, 30), clock, TUESDAY_12, reason="T too early"
        )
        self._decide(utc(2026, 3, 2, 9, 45), refused, approve=False)
        self.assertFalse(clock.revision_ids)
        proposal = self._propose(utc(2026, 3, 2, 10), clock, TUESDAY_12)
        self._decide(utc(2026, 3, 2, 11), proposal)
        revision = clock.revision_ids
        self.assertRecordValues(
            revision,
            [
                {
                    "proposal_id": proposal.id,
                    "run_id": False,
                    "user_id": self.manager.id,
                    "date": utc(2026, 3, 2, 11),
                    "old_status": "running",
                    "new_status": "running",
                    "old_deadline": MONDAY_17,
                    "new_deadline": TUESDAY_12,
                    "new_used_seconds": 2 * 3600,
                    "old_pause_budget_exceeded": False,
                    "new_pause_budget_exceeded": False,
                    "old_over_budget_seconds": 0,
                    "new_over_budget_seconds": 0,
                }
            ],
        )
        self.assertIn("Parts on Tuesday", revision.with_user(self.manager).reason)
        context = {"slm_system_write": True, "active_test": False}
        for user in (self.agent, self.manager, self.manager_2):
            env = self.env(user=user, context=context)
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    env["slm.clock.revision"].create(
                        {
                            "clock_id": clock.id,
                            "proposal_id": proposal.id,
                            "date": "2026-03-02 12:00:00",
                        }
                    )
                with self.assertRaises(AccessError):
                    revision.with_env(env).write({"old_deadline": TUESDAY_12})
                with self.assertRaises(AccessError):
                    revision.with_env(env).unlink()
        self.assertEqual(revision.old_deadline, MONDAY_17)
        # The ticket's own changes keep none (clock rule 11).
        self._at(utc(2026, 3, 3, 11), ticket, stage_id=self.stage_done.id)
        self.assertEqual(len(clock.revision_ids), 1)
        # A deleted ticket takes its clocks, proposals and revisions along.
        ticket.unlink()
        self.assertFalse(revision.exists())
        self.assertFalse((proposal | refused).exists())

    # refused, expired (rules 3 and 6) ---------------------------------

    def test_refused_changes_nothing(self):
        ticket, clock = self._running_clock()
        proposal = self._propose(utc(2026, 3, 2, 10), clock, TUESDAY_12)
        self._decide(utc(2026, 3, 2, 11), proposal, approve=False)
        self.assertEqual(proposal.state, "refused")
        self.assertRecordValues(
            clock, [{"deadline": MONDAY_17, "negotiated": False, "status": "running"}]
        )
        self._refresh(ticket, utc(2026, 3, 2, 18))
        self.assertEqual(clock.status, "breached")
        with self.assertRaises(UserError):
            self._decide(utc(2026, 3, 2, 18), proposal)

    def test_expires_when_its_deadline_passes_or_the_clock_stops(self):
        ticket, clock = self._running_clock()
        proposal = self._propose(utc(2026, 3, 2, 10), clock, TUESDAY_12)
        with freeze_time(utc(2026, 3, 3, 12, 5)):
            self.assertEqual(self.env["slm.deadline.proposal"]._cron_expire(), 1)
        self.assertEqual(proposal.state, "expired")
        with self.assertRaises(UserError):
            self._decide(utc(2026, 3, 3, 12, 6), proposal)
        self.assertEqual(clock.deadline, MONDAY_17)

        ticket_2, clock_2 = self._running_clock()
        proposal_2 = self._propose(utc(2026, 3, 2, 10), clock_2, TUESDAY_12)
        self._at(utc(2026, 3, 2, 12), ticket_2, stage_id=self.stage_done.id)
        with freeze_time(utc(2026, 3, 2, 13)):
            action = proposal_2.with_user(self.manager).action_approve()
        self.assertEqual(action["tag"], "display_notification", "said, not raised")
        self.assertEqual(proposal_2.state, "expired")
        self.assertRecordValues(
            clock_2, [{"status": "met", "deadline": MONDAY_17, "negotiated": False}]
        )

    # bad input (rule 2) ------------------------------------------------

    def test_bad_input_is_refused(self):
        ticket, clock = self._running_clock()
        Proposal = self.env["slm.deadline.proposal"]
        with self.subTest("in the past"), self.assertRaises(ValidationError):
            self._propose(utc(2026, 3, 2, 10), clock, utc(2026, 3, 2, 9, 30))
        with self.subTest("a second open proposal"):
            self._propose(utc(2026, 3, 2, 10), clock, TUESDAY_12)
            with self.assertRaises(ValidationError):
                self._propose(utc(2026, 3, 2, 10), clock, utc(2026, 3, 4, 12))
        with self.subTest("approving one's own proposal"):
            _ticket, other = self._running_clock()
            own = self._propose(
                utc(2026, 3, 2, 10), other, TUESDAY_12, user=self.manager
            )
            with self.assertRaises(UserError):
                self._decide(utc(2026, 3, 2, 11), own, user=self.manager)
            self.assertEqual(own.state, "proposed")
            self._decide(utc(2026, 3, 2, 11), own, user=self.manager_2)
            self.assertEqual(own.state, "approved")
        with self.subTest("a stopped clock"):
            ticket_3, stopped = self._running_clock()
            self._at(utc(2026, 3, 2, 12), ticket_3, stage_id=self.stage_done.id)
            with self.assertRaises(ValidationError):
                self._propose(utc(2026, 3, 2, 13), stopped, TUESDAY_12)
        self.assertEqual(
            Proposal.search_count([("clock_id", "in", (clock | stopped).ids)]), 1
        )

    # attackers (rule 3) ------------------------------------------------

    def test_agent_cannot_decide_or_write_the_decision(self):
        ticket, clock = self._running_clock()
        proposal = self._propose(utc(2026, 3, 2, 10), clock, TUESDAY_12)
        as_agent = proposal.with_user(self.agent).with_context(slm_system_write=True)
        with self.assertRaises(AccessError), freeze_time(utc(2026, 3, 2, 11)):
            as_agent.action_approve()
        for vals in (
            {"state": "approved"},
            {"decided_by_id": self.manager.id},
            {"proposer_id": self.manager.id},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                as_agent.write(vals)
        with self.assertRaises(UserError), freeze_time(utc(2026, 3, 2, 11)):
            self.env["slm.deadline.proposal"].with_user(self.agent).create(
                {
                    "clock_id": self._running_clock()[1].id,
                    "proposed_deadline": TUESDAY_12,
                    "reason": "x",
                    "state": "approved",
                }
            )
        with self.assertRaises(AccessError):
            clock.with_user(self.agent).write({"negotiated_deadline": TUESDAY_12})
        self.assertEqual(proposal.state, "proposed")
        self.assertEqual(clock.deadline, MONDAY_17)
        with self.subTest("a decided proposal is frozen, even for a manager"):
            self._decide(utc(2026, 3, 2, 11), proposal)
            with self.assertRaises(UserError):
                proposal.with_user(self.manager).write(
                    {"proposed_deadline": utc(2026, 3, 5, 12)}
                )
            with self.assertRaises(UserError):
                proposal.with_user(self.manager).unlink()

    def test_only_the_proposer_or_a_manager_changes_an_open_proposal(self):
        _ticket, clock = self._running_clock()
        proposal = self._propose(utc(2026, 3, 2, 10), clock, TUESDAY_12)
        other_agent = new_test_user(
            self.env,
            "slm_nego_other_agent",
            "helpdesk_mgmt.group_helpdesk_user",
            context={"no_reset_password": True},
        )
        with self.assertRaises(AccessError), freeze_time(utc(2026, 3, 2, 10)):
            proposal.with_user(other_agent).write({"reason": "Mine now"})
        with self.assertRaises(UserError), freeze_time(utc(2026, 3, 2, 10)):
            proposal.with_user(self.agent).write({"clock_id": clock.id})
        with freeze_time(utc(2026, 3, 2, 10)):
            proposal.with_user(self.agent).write(
                {"proposed_deadline": utc(2026, 3, 3, 15), "reason": "Later"}
            )
        self.assertEqual(proposal.proposed_deadline, utc(2026, 3, 3, 15))
        with self.assertRaises(UserError):
            proposal.with_user(self.agent).unlink()

    def test_wizard_proposes_with_an_activity(self):
        _ticket, clock = self._running_clock()
        with freeze_time(utc(2026, 3, 2, 10)):
            action = clock.with_user(self.agent).action_slm_propose_deadline()
            wizard = (
                self.env[action["res_model"]]
                .with_user(self.agent)
                .with_context(**action["context"])
                .create({"proposed_deadline": TUESDAY_12, "reason": "Parts"})
            )
            wizard.action_propose()
        proposal = clock.deadline_proposal_ids
        self.assertRecordValues(
            proposal, [{"state": "proposed", "proposer_id": self.agent.id}]
        )
        activity = proposal.activity_ids
        self.assertTrue(activity, "an activity for the Service Level Managers")
        self.assertNotIn(self.agent, activity.user_id)


@tagged("post_install", "-at_install")
class TestNegotiatedDeadlinePortal(SlmClockCase, HttpCase):
    """Rule 5: the customer accepts on the portal ticket when the agreement
    allows it; another customer's portal user, or any customer when it does
    not, gets nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sla = cls._agreement(
            [cls._target("resolution", 8, name="T Portal fix in 8 h")],
            name="T Portal negotiated SLA",
            customer_accepts_deadlines=True,
        )
        cls.portal = cls._portal_user("slm_nego_customer", partner=cls.contact)
        cls.stranger = cls._portal_user("slm_nego_stranger", company=cls.other_customer)

    def _open_proposal(self):
        now = fields.Datetime.now()
        ticket = self._ticket(now - timedelta(hours=1))
        clock = ticket.slm_clock_ids
        proposal = (
            self.env["slm.deadline.proposal"]
            .with_user(self.agent)
            .create(
                {
                    "clock_id": clock.id,
                    "proposed_deadline": now + timedelta(days=2),
                    "reason": "Parts on their way",
                }
            )
        )
        proposal.action_propose()
        return ticket, clock, proposal

    def _post(self, ticket, proposal, decision):
        return self.url_open(
            f"/my/ticket/{ticket.id}/slm_deadline/{proposal.id}/{decision}",
            data={"csrf_token": http.Request.csrf_token(self)},
            allow_redirects=False,
        )

    def test_customer_sees_and_accepts(self):
        ticket, clock, proposal = self._open_proposal()
        self.authenticate("slm_nego_customer", "slm_nego_customer")
        page = self.url_open(f"/my/ticket/{ticket.id}").text
        self.assertIn("o_slm_deadline_accept", page)
        self.assertIn("Parts on their way", page)
        response = self._post(ticket, proposal, "accept")
        self.assertEqual(response.status_code, 303)
        self.env.invalidate_all()
        self.assertRecordValues(
            proposal, [{"state": "approved", "decided_by_id": self.portal.id}]
        )
        self.assertRecordValues(
            clock,
            [{"negotiated": True, "deadline": proposal.proposed_deadline}],
        )
        # Negotiated deadline rule 9: kept under the customer's name, by the
        # suite (a portal user writes no revision).
        self.assertRecordValues(
            clock.revision_ids,
            [
                {
                    "proposal_id": proposal.id,
                    "user_id": self.portal.id,
                    "new_deadline": proposal.proposed_deadline,
                }
            ],
        )

    def test_customer_declines(self):
        ticket, clock, proposal = self._open_proposal()
        self.authenticate("slm_nego_customer", "slm_nego_customer")
        self._post(ticket, proposal, "decline")
        self.env.invalidate_all()
        self.assertEqual(proposal.state, "refused")
        self.assertFalse(clock.negotiated)

    @mute_logger("odoo.http")
    def test_stranger_and_disallowed_agreement_get_nothing(self):
        ticket, _clock, proposal = self._open_proposal()
        self.authenticate("slm_nego_stranger", "slm_nego_stranger")
        self.assertNotIn(
            "o_slm_deadline_accept",
            self.url_open(f"/my/ticket/{ticket.id}", allow_redirects=False).text,
        )
        self.assertEqual(self._post(ticket, proposal, "accept").status_code, 404)
        with self.assertRaises(AccessError):
            proposal.with_user(self.stranger)._slm_portal_decide(True)
        self.env.invalidate_all()
        self.assertEqual(proposal.state, "proposed")
        # The agreement does not let the customer accept: refused too.
        # (A frozen term of the agreed SLA: changed behind the application.)
        self.env.cr.execute(
            "UPDATE slm_agreement SET customer_accepts_deadlines = FALSE "
            "WHERE id = %s",
            [self.sla.id],
        )
        self.env.invalidate_all()
        self.authenticate("slm_nego_customer", "slm_nego_customer")
        self.assertNotIn(
            "o_slm_deadline_accept", self.url_open(f"/my/ticket/{ticket.id}").text
        )
        self.assertEqual(self._post(ticket, proposal, "accept").status_code, 404)
        self.env.invalidate_all()
        self.assertEqual(proposal.state, "proposed")
