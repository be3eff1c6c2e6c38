# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.slm_catalogue.tests.common import AccessCheckMixin

from .common import SupplierCompCase

ESCALATION = "slm_supplier.mail_activity_type_compliance"
COMPLIANCE_LOGGER = "odoo.addons.slm_catalogue.models.ir_cron"


@tagged("post_install", "-at_install")
class TestSupplierCompliance(AccessCheckMixin, SupplierCompCase):
    """Compliance checklists of underpinning contracts and their escalation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contract = cls._uc(renewal_date="2027-03-31")
        cls.Compliance = cls.env["slm.supplier.compliance"]

    def _line(self, **vals):
        values = {
            "agreement_id": self.contract.id,
            "name": "T Requirement",
            "area": "security",
        }
        values.update(vals)
        return self.Compliance.create(values)

    def _escalate(self, day):
        with freeze_time(day):
            self.Compliance._cron_escalate_non_compliance()

    def test_template_checklist(self):
        with freeze_time("2026-03-01"):
            action = self.contract.with_user(
                self.supplier_manager
            ).action_create_compliance_checklist()
        lines = self.contract.compliance_ids
        self.assertEqual(
            sorted(lines.mapped("area")),
            ["data_protection", "health_safety", "legal", "security"],
        )
        self.assertEqual(set(lines.mapped("state")), {"pending"})
        # Due 30 days after the click: 2026-03-31.
        self.assertEqual(set(lines.mapped("date_due")), {date(2026, 3, 31)})
        self.assertEqual(action["domain"], [("agreement_id", "=", self.contract.id)])
        self.assertEqual(len(self._notes(self.contract, "Compliance checklist")), 1)
        # Every area covered: a second click adds nothing and says so.
        with self.assertRaisesText(UserError, "already has a requirement"):
            self.contract.action_create_compliance_checklist()
        self.assertEqual(len(self.contract.compliance_ids), 4)
        # One area removed: the click adds that one back, only.
        lines.filtered(lambda x: x.area == "legal").unlink()
        self.contract.action_create_compliance_checklist()
        self.assertEqual(len(self.contract.compliance_ids), 4)
        # Not on an SLA.
        sla = self.Agreement.create({"name": "T SLA", "kind": "sla"})
        with self.assertRaisesText(UserError, "not a UC"):
            sla.action_create_compliance_checklist()

    def test_counts_and_status_changes(self):
        pending = self._line(name="T Pending")
        failing = self._line(name="T Failing", area="legal")
        passing = self._line(name="T Passing", area="health_safety")
        waived = self._line(name="T Waived", area="other")
        with freeze_time("2026-05-04"):
            failing.with_user(self.supplier_manager).action_mark_non_compliant()
            passing.with_user(self.supplier_manager).action_mark_compliant()
        waived.write({"waiver_reason": "No work on our sites.", "state": "waived"})
        self.assertEqual(failing.date_checked, date(2026, 5, 4))
        self.assertEqual(failing.reviewer_id, self.supplier_manager)
        self.assertEqual(passing.state, "compliant")
        self.assertEqual(self.contract.compliance_open_count, 2)
        self.assertEqual(self.contract.compliance_non_compliant_count, 1)
        action = self.contract.action_view_compliance()
        self.assertEqual(
            self.Compliance.search(action["domain"]),
            pending | failing | passing | waived,
        )

    def test_escalation_once_per_line_and_problem(self):
        failing = self._line(name="T Failing", state="non_compliant")
        overdue = self._line(name="T Overdue", date_due="2026-06-30")
        not_due = self._line(name="T Not Due", date_due="2026-07-31")
        passing = self._line(name="T Passing", state="compliant")
        self._escalate("2026-07-01")
        activities = self._activities(failing | overdue, ESCALATION)
        self.assertEqual(len(activities), 2)
        self.assertEqual(activities.user_id, self.supplier_manager)
        self.assertFalse(self._activities(not_due | passing, ESCALATION))
        message = self._notes(self.contract, "Compliance of T Fibre Ltd")
        self.assertEqual(len(message), 1)
        self.assertIn("T Failing", message.body)
        self.assertIn("T Overdue", message.body)
        self.assertNotIn("T Not Due", message.body)
        self.assertEqual(failing.escalated_status, "non_compliant")
        self.assertEqual(overdue.escalated_status, "overdue")
        # Twice, or the next day: nothing new.
        self._escalate("2026-07-01")
        self._escalate("2026-07-02")
        self.assertEqual(self._activities(failing | overdue, ESCALATION), activities)
        self.assertEqual(len(self._notes(self.contract, "Compliance of")), 1)
        # The overdue one found non-compliant: a new problem, escalated again.
        overdue.action_mark_non_compliant()
        self._escalate("2026-07-03")
        self.assertEqual(len(self._activities(overdue, ESCALATION)), 2)
        self.assertEqual(len(self._notes(self.contract, "Compliance of")), 2)
        # Fixed: its escalations are done.
        failing.action_mark_compliant()
        self.assertFalse(self._activities(failing, ESCALATION))
        # A closed contract is not escalated any more.
        self.contract._system_write({"state": "terminated"})
        late = self._line(name="T Late", date_due="2026-07-01")
        self._escalate("2026-08-01")
        self.assertFalse(self._activities(late, ESCALATION))

    def test_escalation_survives_a_bad_contract(self):
        other = self._uc(name="T Other Contract")
        bad = self._line(name="T Bad", state="non_compliant")
        good = self._line(name="T Good", state="non_compliant", agreement_id=other.id)
        Model = type(self.Compliance)
        original = Model._escalate

        def escalate(model, contract, items):
            # Fails half-way: what it wrote for the bad one is rolled back.
            result = original(model, contract, items)
            if contract == self.contract:
                raise ValueError("broken contract")
            return result

        with (
            patch.object(Model, "_escalate", escalate),
            self.assertLogs(COMPLIANCE_LOGGER, level="ERROR"),
        ):
            self._escalate("2026-07-01")
        self.assertFalse(bad.escalated_status)
        self.assertFalse(self._activities(bad, ESCALATION))
        self.assertFalse(self._notes(self.contract, "Compliance of"))
        self.assertEqual(good.escalated_status, "non_compliant")
        self.assertEqual(len(self._activities(good, ESCALATION)), 1)

    def test_bad_input(self):
        line = self._line()
        # Waiving without a reason: refused, nothing written.
        with self.assertRaisesText(ValidationError, "reason for waiving"):
            line.action_waive()
        self.assertEqual(line.state, "pending")
        with self.assertRaisesText(ValidationError, "reason for waiving"):
            line.write({"state": "waived", "waiver_reason": "   "})
        self.assertEqual(line.state, "pending")
        line.write({"waiver_reason": "Covered by the group contract."})
        line.action_waive()
        self.assertEqual(line.state, "waived")
        # Only on underpinning contracts.
        sla = self.Agreement.create({"name": "T SLA", "kind": "sla"})
        with self.assertRaisesText(ValidationError, "not a UC"):
            self._line(name="T On SLA", agreement_id=sla.id)
        # Not checked in the future.
        with freeze_time("2026-05-01"):
            with self.assertRaisesText(ValidationError, "in the future"):
                self._line(name="T Future", date_checked="2026-05-02")
        self.assertFalse(
            self.Compliance.search([("name", "in", ("T On SLA", "T Future"))])
        )
        # A due date before the contract starts is allowed (checks before
        # signature).
        early = self._line(name="T Early", date_due="2025-12-01")
        self.assertEqual(early.date_due, date(2025, 12, 1))

    def test_overdue_search(self):
        overdue = self._line(name="T Overdue", date_due="2026-06-30")
        on_time = self._line(name="T On Time", date_due="2026-07-31")
        done = self._line(name="T Done", date_due="2026-06-30", state="compliant")
        with freeze_time("2026-07-01"):
            mine = overdue | on_time | done
            found = self.Compliance.search(
                [("id", "in", mine.ids), ("is_overdue", "=", True)]
            )
            self.assertEqual(found, overdue)
            found = self.Compliance.search(
                [("id", "in", mine.ids), ("is_overdue", "=", False)]
            )
            self.assertEqual(found, on_time | done)

    def test_access(self):
        line = self._line()
        vals = {
            "agreement_id": self.contract.id,
            "name": "T ACL",
            "area": "legal",
        }
        for user in (self.supplier_manager, self.manager, self.process_owner):
            with self.subTest(user=user.login):
                self.assertTrue(self._can(user, "read", line))
                self.assertTrue(self._can(user, "create", self.Compliance, vals))
                self.assertTrue(self._can(user, "write", line, {"name": "X"}))
                self.assertTrue(self._can(user, "unlink", line))
        for user in (self.analyst, self.owner):
            with self.subTest(user=user.login):
                self.assertTrue(self._can(user, "read", line))
                self.assertFalse(self._can(user, "create", self.Compliance, vals))
                self.assertFalse(self._can(user, "write", line, {"name": "X"}))
                self.assertFalse(self._can(user, "unlink", line))
        for user in (self.reader, self.agent, self.outsider):
            with self.subTest(user=user.login):
                self.assertFalse(self._can(user, "read", line))
                self.assertFalse(self._can(user, "write", line, {"name": "X"}))

    def test_contract_form_hides_compliance_from_others(self):
        # The agreement form is shared by SLAs, OLAs and UCs: users who may
        # not read compliance (readers, helpdesk agents) do not get its
        # fields, so that opening an SLA does not fail for them.
        mine = {
            "compliance_ids",
            "compliance_open_count",
            "compliance_non_compliant_count",
            "supplier_proposal_id",
        }
        for user, expected in (
            (self.analyst, mine),
            (self.supplier_manager, mine),
            (self.reader, set()),
            (self.agent, set()),
        ):
            with self.subTest(user=user.login):
                views = self.Agreement.with_user(user).get_views([(False, "form")])
                fields = set(views["models"]["slm.agreement"]["fields"])
                self.assertEqual(fields & mine, expected)

    def test_demo_checklist(self):
        contract = self.env.ref(
            "slm_supplier.demo_uc_network", raise_if_not_found=False
        )
        if not contract:
            self.skipTest("no demo data")
        lines = contract.compliance_ids
        self.assertEqual(contract.compliance_non_compliant_count, 1)
        self.assertEqual(contract.compliance_open_count, 3)
        # Escalated when the demo was loaded: the non-compliant and the
        # overdue requirement, once each.
        escalated = lines.filtered("escalated_status")
        self.assertEqual(
            sorted(escalated.mapped("escalated_status")),
            ["non_compliant", "overdue"],
        )
        self.assertEqual(len(self._activities(escalated, ESCALATION)), 2)
        self.Compliance._cron_escalate_non_compliance()
        self.assertEqual(len(self._activities(escalated, ESCALATION)), 2)
