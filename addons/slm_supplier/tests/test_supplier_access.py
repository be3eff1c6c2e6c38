# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Who may read and change underpinning contracts, and what helpdesk agents
see of a hand-over."""

from odoo.exceptions import AccessError
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from odoo.addons.slm_agreements.tests.common import utc
from odoo.addons.slm_catalogue.tests.common import AccessCheckMixin

from .common import SupplierContractCase


@tagged("post_install", "-at_install")
class TestSupplierAccess(AccessCheckMixin, SupplierContractCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Agreement = cls.env["slm.agreement"]
        cls.Target = cls.env["slm.target"]
        cls.uc = cls._uc(
            [cls._target("resolution", 8)],
            contract_value=48000,
            budget=50000,
            monthly_fee=4000,
        )
        cls.uc_draft = cls._uc(
            [cls._target("response", 2)], supplier=cls.hoster, agree=False
        )
        cls.sla = cls._agreement([cls._target("resolution", 8)])
        cls.sla_draft = cls.Agreement.create(
            {
                "name": "T Draft SLA",
                "kind": "sla",
                "service_ids": [(6, 0, cls.service.ids)],
                "target_ids": [(0, 0, cls._target("resolution", 8))],
            }
        )
        cls.document = cls.env["ir.attachment"].create(
            {
                "name": "contract.pdf",
                "raw": b"%PDF-1.4 signed contract",
                "res_model": "slm.agreement",
                "res_id": cls.uc.id,
            }
        )
        cls.uc.document_ids = [(4, cls.document.id)]

    def _target_vals(self, agreement):
        return {
            "agreement_id": agreement.id,
            "metric": "resolution",
            "threshold_hours": 4,
            "around_the_clock": True,
        }

    def test_supplier_manager_changes_contracts_only(self):
        user = self.supplier_manager
        self.assertTrue(self._can(user, "create", self.Agreement, self._uc_vals()))
        self.assertTrue(self._can(user, "write", self.uc_draft, {"budget": 10}))
        self.assertTrue(self._can(user, "write", self.uc, {"budget": 10}))
        self.assertTrue(
            self._can(user, "create", self.Target, self._target_vals(self.uc_draft))
        )
        self.assertTrue(
            self._can(user, "write", self.uc_draft.target_ids, {"objective_pct": 90})
        )
        self.assertTrue(self._can(user, "unlink", self.uc_draft))
        # Its contract's targets back SLA targets: it links them from its side.
        self.assertTrue(
            self._can(
                user,
                "write",
                self.uc.target_ids,
                {"underpins_target_ids": [(4, self.sla.target_ids.id)]},
            )
        )
        # Through the contracts' form too.
        action = self.env.ref("slm_supplier.slm_agreement_action_uc")
        form = Form(
            self.Agreement.with_user(user).with_context(**safe_eval(action.context))
        )
        form.name = "T Contract by Form"
        form.supplier_id = self.hoster
        form.contract_value = 1200
        with form.target_ids.new() as target:
            target.metric = "response"
            target.threshold_hours = 2
            target.around_the_clock = True
        self.assertEqual(form.save().create_uid, user)
        # Not the agreements with customers or teams.
        sla_vals = {"name": "T SLA", "kind": "sla"}
        self.assertFalse(self._can(user, "create", self.Agreement, sla_vals))
        self.assertFalse(self._can(user, "write", self.sla_draft, {"name": "X"}))
        self.assertFalse(self._can(user, "unlink", self.sla_draft))
        self.assertFalse(
            self._can(user, "create", self.Target, self._target_vals(self.sla_draft))
        )
        self.assertFalse(
            self._can(user, "write", self.sla_draft.target_ids, {"objective_pct": 90})
        )
        # It prepares, negotiates, signs (for the provider) and terminates
        # UCs; agreements with customers stay with Service Level Managers.
        self.uc_draft.with_user(user).action_negotiate()
        self.assertEqual(self.uc_draft.state, "negotiation")
        with self.assertRaisesText(AccessError, "Only a Service Level Manager"):
            self.sla_draft.with_user(user).action_agree()
        self.assertEqual(self.sla_draft.state, "draft")
        self.uc_draft.with_user(user).write(
            {
                "supplier_signed_by_id": self.hoster.id,
                "supplier_signed_date": self.uc_draft.date_start,
            }
        )
        self.uc_draft.with_user(user).action_agree()
        self.assertEqual(self.uc_draft.state, "agreed")
        self.assertEqual(self.uc_draft.provider_signed_by_id, user)
        self.uc.with_user(user).write({"termination_reason": "T Cheaper elsewhere"})
        self.uc.with_user(user).action_terminate()
        self.assertEqual(self.uc.state, "terminated")

    def test_service_level_manager_changes_everything(self):
        for user in (self.sl_manager, self.manager):
            with self.subTest(user=user.login):
                self.assertTrue(self._can(user, "write", self.uc, {"budget": 10}))
                self.assertTrue(self._can(user, "write", self.sla_draft, {"name": "X"}))
                self.assertTrue(
                    self._can(user, "create", self.Agreement, self._uc_vals())
                )
                self.assertTrue(
                    self._can(
                        user, "write", self.uc_draft.target_ids, {"objective_pct": 90}
                    )
                )

    def test_analysts_and_readers_read_contracts(self):
        for user in (self.analyst, self.reader):
            with self.subTest(user=user.login):
                self.assertTrue(self._can(user, "read", self.uc))
                self.assertTrue(self._can(user, "read", self.uc.target_ids))
                self.assertTrue(self._can(user, "read", self.document))
                self.assertEqual(self.uc.with_user(user).contract_value, 48000)
                self.assertFalse(self._can(user, "write", self.uc, {"budget": 1}))
                self.assertFalse(
                    self._can(user, "create", self.Agreement, self._uc_vals())
                )
                self.assertFalse(self._can(user, "unlink", self.uc_draft))
                self.assertFalse(
                    self._can(
                        user, "write", self.uc_draft.target_ids, {"objective_pct": 1}
                    )
                )

    def test_helpdesk_agent_sees_the_handover_only(self):
        ticket = self._ticket(utc(2024, 1, 15, 9, 0))
        self._hand_over(utc(2024, 1, 15, 10, 0), ticket)
        agent = self.agent
        as_agent = ticket.with_user(agent)
        # The hand-over on the ticket: who and when.
        values = as_agent.read(
            ["supplier_id", "supplier_state", "supplier_handover_date"]
        )[0]
        self.assertEqual(values["supplier_id"][0], self.fibre.id)
        self.assertEqual(values["supplier_state"], "handed_over")
        self.assertEqual(values["supplier_handover_date"], utc(2024, 1, 15, 10, 0))
        # ... but not the contract's clock (access rule 3 of slm_agreements'
        # USAGE.md): the ticket's clocks it reads are the SLA's only.
        clock = ticket.slm_clock_ids.filtered(lambda c: c.agreement_kind == "uc")
        self.assertEqual(clock.status, "running")
        ticket.invalidate_recordset(["slm_clock_ids"])  # read as the agent
        self.assertNotIn(clock, as_agent.slm_clock_ids)
        self.assertFalse(
            self.env["slm.clock"]
            .with_user(agent)
            .search([("ticket_id", "=", ticket.id), ("agreement_kind", "=", "uc")])
        )
        with self.assertRaises(AccessError):
            clock.with_user(agent).read(["status"])
        self.assertTrue(as_agent.slm_clock_ids)
        # The ticket's form opens for the agent, without the UC clock.
        ticket.invalidate_recordset()
        shown = as_agent.web_read(
            {
                "slm_clock_ids": {
                    "fields": {
                        "status": {},
                        "agreement_id": {"fields": {"display_name": {}}},
                    }
                }
            }
        )[0]["slm_clock_ids"]
        self.assertTrue(shown)
        self.assertNotIn(clock.id, [values["id"] for values in shown])
        # The ticket's form, as the agent sees it.
        form = Form(as_agent)
        self.assertEqual(form.supplier_id, self.fibre)
        self.assertEqual(form.supplier_state, "handed_over")
        # ... but the contract itself, its money, targets and documents not.
        self.assertFalse(self._can(agent, "read", self.uc))
        self.assertFalse(self._can(agent, "read", self.uc.target_ids))
        self.assertFalse(self._can(agent, "read", self.document))
        with self.assertRaises(AccessError):
            self.uc.with_user(agent).read(["contract_value"])
        self.assertFalse(
            self.Agreement.with_user(agent).search([("id", "=", self.uc.id)])
        )
        # SLAs stay readable, as before.
        self.assertTrue(self._can(agent, "read", self.sla))
        self.assertTrue(self._can(agent, "read", self.sla.target_ids))
        # The agent records the next steps; its changes keep the UC clocks
        # current although it cannot read the contract.
        self._ack(utc(2024, 1, 15, 11, 0), ticket)
        self.assertEqual(clock.status, "running")
        self._resolved(utc(2024, 1, 15, 12, 0), ticket)
        self.assertEqual(clock.status, "met")
        self.assertEqual(clock.used_seconds, 2 * 3600)

    def test_helpdesk_agent_does_not_see_supplier_breaches(self):
        ticket = self._ticket(utc(2024, 1, 15, 9, 0))
        self._hand_over(utc(2024, 1, 15, 10, 0), ticket)
        self._resolved(utc(2024, 1, 25, 10, 0), ticket)  # days late
        clocks = ticket.slm_clock_ids.filtered(lambda c: c.status == "breached")
        uc_clocks = clocks.filtered(lambda c: c.agreement_kind == "uc")
        self.assertTrue(uc_clocks)
        breaches = self.env["slm.breach"]._slm_create_for_clocks(clocks)
        uc_breaches = breaches.filtered(lambda b: b.agreement_kind == "uc")
        self.assertEqual(len(uc_breaches), len(uc_clocks))
        Breach = self.env["slm.breach"]
        seen = Breach.with_user(self.agent).search([("ticket_id", "=", ticket.id)])
        self.assertEqual(seen, breaches - uc_breaches)
        with self.assertRaises(AccessError):
            uc_breaches[:1].with_user(self.agent).read(["late_hours"])
        # The analysts investigate them.
        self.assertEqual(
            Breach.with_user(self.analyst).search([("ticket_id", "=", ticket.id)]),
            breaches,
        )

    def test_handover_needs_a_helpdesk_or_slm_role(self):
        ticket = self._ticket(utc(2024, 1, 15, 9, 0))
        ticket.message_subscribe(partner_ids=self.employee.partner_id.ids)
        # An employee following the ticket reads it, but hands nothing over.
        self.assertTrue(self._can(self.employee, "read", ticket))
        with self.assertRaisesText(AccessError, "Only helpdesk agents"):
            self._hand_over(utc(2024, 1, 15, 10, 0), ticket, user=self.employee)
        self.assertFalse(ticket.supplier_id)
        # A service level user following it may.
        ticket.message_subscribe(partner_ids=self.reader.partner_id.ids)
        self._hand_over(utc(2024, 1, 15, 10, 0), ticket, user=self.reader)
        self.assertEqual(ticket.supplier_id, self.fibre)
