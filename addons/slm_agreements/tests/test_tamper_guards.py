# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Tampering from the caller's side (issue 16, items 1 and 2; guard rules 1-3).

Every method is reachable over JSON-RPC with any context: these tests call
``write``/``create`` as a user of the relevant role (``with_user``), with the
context keys that used to lift the lifecycle locks, and check that the caller
gets the same refusal as without them and that nothing changed. Then the
buttons still do the job."""

import json

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import new_test_user
from odoo.tools import mute_logger

from .common import SlmClockCase, utc
from .test_adjustment import AdjustmentCase

# Context keys that once decided what may be written: they now grant nothing.
CONTEXT_KEYS = (
    "slm_agreement_system_write",
    "slm_review_unfreeze",
    "slm_adjustment_system_write",
    "slm_supplier_period_system_write",
    "slm_rfp_checks_weights",
)
# An attacker sends them all at once.
ATTACKER_CONTEXT = dict.fromkeys(CONTEXT_KEYS, True)


def contexts(key):
    """The context without the key, with it, and with every key."""
    return ({}, {key: True}, ATTACKER_CONTEXT)


@tagged("post_install", "-at_install")
class TestTamperGuards(AdjustmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager_3 = new_test_user(
            cls.env,
            "slm_tamper_manager3",
            "slm_catalogue.group_slm_manager",
            context={"no_reset_password": True},
        )
        # Response in 2 h around the clock: the figure the portal shows.
        cls.agreement = cls._agreement(
            [cls._target("response", 2)], provider_user_id=cls.manager.id
        )
        cls.response = cls.agreement.target_ids
        cls.window = (utc(2026, 3, 2, 8), utc(2026, 3, 2, 18))

    def _breach(self):
        """A breach of the 2 h response: asked at 09:00, answered at 11:30."""
        with freeze_time(utc(2026, 3, 2, 12)):
            ticket = self._ticket(utc(2026, 3, 2, 9))
            self._reply(utc(2026, 3, 2, 11, 30), ticket)
        clock = self._clock(ticket, self.response)
        breach = self.env["slm.breach"]._slm_create_for_clocks(clock)
        self.assertEqual(len(breach), 1)
        breach.write({"excuse_reason": "customer", "excuse_note": "Held up."})
        return breach

    # ------------------------------------------------------------------
    # Agreements (slm_agreement_system_write)
    # ------------------------------------------------------------------

    def test_key_agreement_system_write_agreed_terms(self):
        """A manager cannot rewrite an agreed target (2 h to 200 h), put an
        agreed SLA back to draft, forge its signer or change its dates, with
        or without the key."""
        agreement = self.agreement.with_user(self.manager)
        target = self.response.with_user(self.manager)
        for ctx in contexts("slm_agreement_system_write"):
            with self.subTest(ctx=ctx):
                with self.assertRaisesText(UserError, "Create a new revision"):
                    target.with_context(**ctx).write({"threshold_hours": 200})
                with self.assertRaisesText(UserError, "cannot be written directly"):
                    agreement.with_context(**ctx).write({"state": "draft"})
                with self.assertRaisesText(UserError, "cannot be written directly"):
                    agreement.with_context(**ctx).write(
                        {"provider_signed_by_id": self.manager_2.id}
                    )
                with self.assertRaisesText(UserError, "Create a new revision"):
                    agreement.with_context(**ctx).write({"date_end": "2020-06-30"})
                with self.assertRaisesText(UserError, "Create a new revision"):
                    self.env["slm.escalation.level"].with_user(
                        self.manager
                    ).with_context(**ctx).create(
                        {
                            "target_id": target.id,
                            "threshold_pct": 50,
                            "recipient": "manager",
                        }
                    )
        self.assertRecordValues(
            self.agreement,
            [
                {
                    "state": "agreed",
                    "provider_signed_by_id": self.env.ref("base.user_root").id,
                    "date_end": False,
                }
            ],
        )
        self.assertEqual(self.response.threshold_hours, 2)
        self.assertFalse(self.response.escalation_level_ids)

    def test_key_agreement_system_write_create_and_draft(self):
        """Nobody creates an agreed agreement, nor agrees a draft by writing
        its state or sign-off; the button checks what is missing."""
        Agreement = self.env["slm.agreement"].with_user(self.manager)
        values = {
            "name": "T Forged",
            "kind": "sla",
            "structure": "service_based",
            "date_start": "2026-01-01",
            "service_ids": [(6, 0, self.service.ids)],
        }
        draft = Agreement.create(values)
        for ctx in contexts("slm_agreement_system_write"):
            with self.subTest(ctx=ctx):
                with self.assertRaisesText(UserError, "starts as a requirement"):
                    Agreement.with_context(**ctx).create(dict(values, state="agreed"))
                with self.assertRaisesText(UserError, "starts as a requirement"):
                    Agreement.with_context(**ctx).create(
                        dict(values, provider_signed_by_id=self.manager_2.id)
                    )
                for vals in (
                    {"state": "agreed"},
                    {"provider_signed_date": "2026-01-01 00:00:00"},
                    {"superseded_by_id": self.agreement.id},
                    {"revision": 7},
                    {"clock_job_state": "done"},
                ):
                    with self.assertRaisesText(UserError, "cannot be written directly"):
                        draft.with_context(**ctx).write(vals)
                with self.assertRaisesText(UserError, "has no targets"):
                    draft.with_context(**ctx).action_agree()
        self.assertRecordValues(
            draft,
            [
                {
                    "state": "draft",
                    "provider_signed_by_id": False,
                    "provider_signed_date": False,
                    "revision": 1,
                }
            ],
        )
        self.assertEqual(Agreement.search_count([("name", "=", "T Forged")]), 1)

    def test_agreement_buttons_still_work(self):
        """The legitimate path: negotiate, agree (the manager signs), revise."""
        agreement = (
            self.env["slm.agreement"]
            .with_user(self.manager)
            .create(
                {
                    "name": "T Legit",
                    "kind": "sla",
                    "structure": "service_based",
                    "date_start": "2026-01-01",
                    "service_ids": [(6, 0, self.service.ids)],
                    "customer_signed_by_id": self.contact.id,
                    "customer_signed_date": "2026-01-01",
                    "target_ids": [(0, 0, self._target("response", 4))],
                }
            )
        )
        agreement.action_negotiate()
        agreement.action_agree()
        self.assertRecordValues(
            agreement, [{"state": "agreed", "provider_signed_by_id": self.manager.id}]
        )
        action = agreement.action_new_revision()
        revision = self.env["slm.agreement"].browse(action["res_id"])
        self.assertRecordValues(
            revision,
            [{"state": "draft", "revision": 2, "previous_revision_id": agreement.id}],
        )
        self.assertEqual(revision.create_uid, self.manager)
        self.assertEqual(revision.target_ids.threshold_hours, 4)
        # A user who may not change agreements cannot press the buttons either.
        with self.assertRaises(UserError):
            revision.with_user(self.owner).action_negotiate()
        self.assertEqual(revision.state, "draft")

    # ------------------------------------------------------------------
    # Temporary changes (slm_adjustment_system_write, four eyes)
    # ------------------------------------------------------------------

    def test_key_adjustment_system_write(self):
        """A service owner cannot approve their own temporary change by writing
        its state or approver, with or without the key."""
        adjustment = self._draft(self.agreement, "maintenance", *self.window)
        adjustment.with_user(self.owner).action_submit()
        Adjustment = self.Adjustment.with_user(self.owner)
        for ctx in contexts("slm_adjustment_system_write"):
            with self.subTest(ctx=ctx):
                mine = adjustment.with_user(self.owner).with_context(**ctx)
                for vals in (
                    {"state": "approved"},
                    {"approved_by_id": self.manager_2.id},
                    {"approved_date": "2026-03-01 00:00:00"},
                    {"submitted_by_id": self.manager_2.id},
                ):
                    with self.assertRaisesText(UserError, "only through its"):
                        mine.write(vals)
                with self.assertRaisesText(UserError, "no longer a draft"):
                    mine.write({"date_end": utc(2026, 3, 3, 18)})
                with self.assertRaisesText(UserError, "starts as a draft"):
                    Adjustment.with_context(**ctx).create(
                        {
                            "name": "T Forged",
                            "agreement_id": self.agreement.id,
                            "kind": "maintenance",
                            "date_start": utc(2026, 4, 1, 8),
                            "date_end": utc(2026, 4, 1, 18),
                            "reason": "Forged.",
                            "state": "approved",
                            "approved_by_id": self.manager.id,
                        }
                    )
        self.assertRecordValues(
            adjustment,
            [
                {
                    "state": "submitted",
                    "approved_by_id": False,
                    "submitted_by_id": self.owner.id,
                    "date_end": self.window[1],
                }
            ],
        )
        self.assertFalse(self.Adjustment.search([("name", "=", "T Forged")]))
        # The button: another person, a Service Level Manager, approves.
        adjustment.with_user(self.manager).action_approve()
        self.assertRecordValues(
            adjustment, [{"state": "approved", "approved_by_id": self.manager.id}]
        )

    def test_adjustment_four_eyes_whatever_the_path(self):
        """The requester never approves: not after rewriting the requester,
        not by a plain write, not even by a superuser write."""
        mine = self._draft(
            self.agreement, "maintenance", *self.window, user=self.manager
        )
        mine.with_user(self.manager).write({"requested_by_id": self.manager_2.id})
        mine.with_user(self.manager).action_submit()
        for ctx in contexts("slm_adjustment_system_write"):
            with self.subTest(ctx=ctx):
                with self.assertRaisesText(UserError, "yourself"):
                    mine.with_user(self.manager).with_context(**ctx).action_approve()
                with self.assertRaisesText(UserError, "only through its"):
                    mine.with_user(self.manager).with_context(**ctx).write(
                        {"state": "approved", "approved_by_id": self.manager_3.id}
                    )
        with self.assertRaisesText(UserError, "yourself"):
            mine.with_user(self.manager_2).action_approve()
        with self.assertRaisesText(ValidationError, "another Service Level Manager"):
            mine.sudo().write({"state": "approved", "approved_by_id": self.manager.id})
        self.assertRecordValues(mine, [{"state": "submitted", "approved_by_id": False}])
        mine.with_user(self.manager_3).action_approve()
        self.assertRecordValues(
            mine, [{"state": "approved", "approved_by_id": self.manager_3.id}]
        )

    # ------------------------------------------------------------------
    # Breaches: excuse and analysis workflows, computed figures
    # ------------------------------------------------------------------

    def test_breach_workflow_fields_refused(self):
        """An analyst or a manager cannot write a breach's status, excuse,
        requester, approver or computed figures, with any context."""
        breach = self._breach()
        clock = breach.clock_id
        self.assertEqual(breach.late_hours, 0.5)
        for user in (self.analyst, self.manager):
            for ctx in contexts("slm_agreement_system_write"):
                mine = breach.with_user(user).with_context(**ctx)
                for vals in (
                    {"excuse_state": "approved"},
                    {"excuse_state": "requested"},
                    {"excuse_requested_by_id": self.manager_2.id},
                    {"excuse_approver_id": user.id},
                    {"excuse_decision_date": "2026-03-03 00:00:00"},
                    {"excused": True},
                    {"late_hours": 0.0},
                    {"late_computed_at": "2026-03-03 00:00:00"},
                    {"state": "closed"},
                    {"closed_date": "2026-03-03 00:00:00"},
                    {"clock_status": "met"},
                    {"deadline": "2026-03-02 12:00:00"},
                ):
                    with self.subTest(user=user.login, ctx=ctx, vals=vals):
                        with self.assertRaisesText(
                            UserError, "cannot be written directly"
                        ):
                            mine.write(vals)
        self.assertRecordValues(
            breach,
            [
                {
                    "excuse_state": False,
                    "excuse_requested_by_id": False,
                    "excuse_approver_id": False,
                    "excused": False,
                    "late_hours": 0.5,
                    "state": "new",
                    "closed_date": False,
                }
            ],
        )
        self.assertFalse(clock.excused)
        self.assertEqual(
            (clock.status, clock.deadline), ("breached", utc(2026, 3, 2, 11))
        )
        # The analysis texts stay the analyst's; the buttons move the status.
        mine = breach.with_user(self.analyst)
        mine.write({"root_cause": "Nobody on shift."})
        mine.action_start_analysis()
        self.assertRecordValues(
            breach, [{"state": "analysing", "analyst_id": self.analyst.id}]
        )

    def test_breach_excuse_four_eyes_whatever_the_path(self):
        """A manager who asked for an excuse cannot approve it: not by the
        button, not by writing the state, not by first rewriting who asked,
        not even by a superuser write. Another manager can."""
        breach = self._breach()
        mine = breach.with_user(self.manager)
        mine.action_request_excuse()
        self.assertEqual(breach.excuse_requested_by_id, self.manager)
        for ctx in contexts("slm_agreement_system_write"):
            with self.subTest(ctx=ctx):
                with self.assertRaisesText(UserError, "yourself"):
                    mine.with_context(**ctx).action_approve_excuse()
                with self.assertRaisesText(UserError, "cannot be written directly"):
                    mine.with_context(**ctx).write(
                        {"excuse_requested_by_id": self.manager_2.id}
                    )
                with self.assertRaisesText(UserError, "cannot be written directly"):
                    mine.with_context(**ctx).write({"excuse_state": "approved"})
        with self.assertRaisesText(ValidationError, "another Service Level Manager"):
            breach.sudo().write(
                {"excuse_state": "approved", "excuse_approver_id": self.manager.id}
            )
        self.assertRecordValues(
            breach,
            [
                {
                    "excuse_state": "requested",
                    "excuse_requested_by_id": self.manager.id,
                    "excused": False,
                }
            ],
        )
        self.assertFalse(breach.clock_id.excused)
        # The analyst who did not ask cannot decide either; another manager can.
        with self.assertRaisesText(UserError, "Only a Service Level Manager"):
            breach.with_user(self.analyst).action_approve_excuse()
        breach.with_user(self.manager_2).action_approve_excuse()
        self.assertRecordValues(
            breach,
            [
                {
                    "excuse_state": "approved",
                    "excuse_approver_id": self.manager_2.id,
                    "excused": True,
                }
            ],
        )
        self.assertTrue(breach.clock_id.excused)


@tagged("post_install", "-at_install")
class TestTamperGuardsJsonRpc(SlmClockCase, HttpCase):
    """The same attacks over the wire (/jsonrpc, execute_kw), as the Service
    Level Manager, with each context key."""

    def _execute_kw(self, user, model, method, args, context):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {
                "service": "object",
                "method": "execute_kw",
                "args": [
                    self.env.cr.dbname,
                    user.id,
                    user.login,
                    model,
                    method,
                    args,
                    {"context": context},
                ],
            },
        }
        with mute_logger("odoo.http", "odoo.service.model"):
            response = self.url_open(
                "/jsonrpc",
                data=json.dumps(payload),
                headers={"Content-Type": "application/json"},
            )
        return response.json()

    def test_context_keys_over_jsonrpc(self):
        agreement = self._agreement(
            [self._target("response", 2)], provider_user_id=self.manager.id
        )
        target = agreement.target_ids
        for key in (None,) + CONTEXT_KEYS:
            context = {key: True} if key else {}
            with self.subTest(key=key):
                result = self._execute_kw(
                    self.manager,
                    "slm.target",
                    "write",
                    [target.ids, {"threshold_hours": 200}],
                    context,
                )
                message = result["error"]["data"]["message"]
                self.assertIn("Create a new revision", message)
                result = self._execute_kw(
                    self.manager,
                    "slm.agreement",
                    "write",
                    [agreement.ids, {"state": "draft"}],
                    context,
                )
                self.assertIn(
                    "cannot be written directly", result["error"]["data"]["message"]
                )
        agreement.invalidate_recordset()
        target.invalidate_recordset()
        self.assertEqual((agreement.state, target.threshold_hours), ("agreed", 2))
        # What a manager may change through the wire still works.
        result = self._execute_kw(
            self.manager,
            "slm.agreement",
            "write",
            [agreement.ids, {"description": "<p>Reviewed.</p>"}],
            {"slm_agreement_system_write": True},
        )
        self.assertIs(result.get("result"), True)

    def test_scope_tag_of_an_agreed_target_over_jsonrpc(self):
        """A helpdesk manager deletes a tag an agreed target lists, over the
        wire, with the uninstall key or the attacker's keys: refused (clock
        rule 20), the tag and the sealed scope stay."""
        desk_manager = new_test_user(
            self.env,
            "rpc_desk_manager",
            "helpdesk_mgmt.group_helpdesk_manager",
            context={"no_reset_password": True},
        )
        tag = self.env["helpdesk.ticket.tag"].create({"name": "T RPC VIP"})
        agreement = self._agreement(
            [self._target("response", 2, tag_ids=tag.ids)], name="T RPC Scoped"
        )
        for context in (
            {},
            {"_force_unlink": True},
            dict(ATTACKER_CONTEXT, _force_unlink=True, active_test=False),
        ):
            with self.subTest(context=context):
                result = self._execute_kw(
                    desk_manager, "helpdesk.ticket.tag", "unlink", [tag.ids], context
                )
                message = result["error"]["data"]["message"]
                self.assertIn("T RPC VIP", message)
                self.assertIn(agreement.display_name, message)
        self.assertTrue(tag.exists())
        self.assertEqual(agreement.target_ids.tag_ids, tag)
        # A tag no agreed target lists goes.
        free = self.env["helpdesk.ticket.tag"].create({"name": "T RPC Free"})
        result = self._execute_kw(
            desk_manager, "helpdesk.ticket.tag", "unlink", [free.ids], {}
        )
        self.assertIs(result.get("result"), True)
        self.assertFalse(free.exists())

    def test_uninstall_flag_over_jsonrpc(self):
        """The flag a module's uninstall puts in the context (``_force_unlink``)
        skips Odoo's guards on deletion; over the wire it changes nothing
        (catalogue rule "Deletion guards hold for every caller"): an agreed
        agreement, its target and its seal stay."""
        agreement = self._agreement(
            [self._target("response", 2)], provider_user_id=self.manager.id
        )
        calls = (
            ("slm.agreement", agreement.ids),
            ("slm.target", agreement.target_ids.ids),
        )
        for context in (
            {"_force_unlink": True},
            dict(ATTACKER_CONTEXT, _force_unlink=True, active_test=False),
        ):
            for model, ids in calls:
                with self.subTest(context=context, model=model):
                    result = self._execute_kw(
                        self.manager, model, "unlink", [ids], context
                    )
                    self.assertIn("error", result)
        self.assertTrue(agreement.exists())
        self.assertTrue(agreement.target_ids.exists())
        self.assertEqual(agreement.state, "agreed")
        # The team of an OLA (fail-soft rule 6), deleted by a helpdesk manager
        # who may delete teams: refused with the flag too.
        desk_manager = new_test_user(
            self.env,
            "rpc_desk_manager_flag",
            "helpdesk_mgmt.group_helpdesk_manager",
            context={"no_reset_password": True},
        )
        team = self.env["helpdesk.ticket.team"].create({"name": "T OLA Team"})
        self._agreement(
            [self._target("response", 2)], name="T OLA", kind="ola", team_id=team.id
        )
        result = self._execute_kw(
            desk_manager,
            "helpdesk.ticket.team",
            "unlink",
            [team.ids],
            {"_force_unlink": True},
        )
        # The guard's own words (not only the database's foreign key).
        self.assertIn("Archive the team instead", result["error"]["data"]["message"])
        self.assertTrue(team.exists())
        # The superuser still deletes with it, as an uninstall does (here a
        # draft, so that nothing else stops it).
        draft = self.env["slm.agreement"].create(
            {"name": "T Draft to uninstall", "kind": "sla"}
        )
        draft.sudo().with_context(_force_unlink=True).unlink()
        self.assertFalse(draft.exists())
