# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Underpinning contracts: bad input (a clear error, nothing written), the
supplier's sign-off, termination, the hand-over to a supplier under contract
only, and UC targets in the alignment checks."""

from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, TransactionCase, tagged
from odoo.tools.safe_eval import safe_eval

from odoo.addons.slm_agreements.tests.common import utc

from .common import SupplierContractCase


@tagged("post_install", "-at_install")
class TestSupplierContract(SupplierContractCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Agreement = cls.env["slm.agreement"]

    def _count_ucs(self):
        return self.Agreement.with_context(active_test=False).search_count(
            [("kind", "=", "uc")]
        )

    # ------------------------------------------------------------------
    # Bad input
    # ------------------------------------------------------------------

    def test_uc_needs_a_supplier_company(self):
        before = self._count_ucs()
        with self.assertRaisesText(ValidationError, "needs a supplier"):
            self.Agreement.create(self._uc_vals(supplier_id=False))
        with self.assertRaisesText(ValidationError, "is a person, not a company"):
            person = self.env["res.partner"].create({"name": "T Freelancer"})
            self.Agreement.create(self._uc_vals(supplier_id=person.id))
        self.assertEqual(self._count_ucs(), before)
        # A contact of the supplier stands for its company.
        contract = self.Agreement.create(
            self._uc_vals(supplier_id=self.fibre_signer.id)
        )
        self.assertEqual(contract.supplier_id, self.fibre)
        self.assertTrue(contract.reference.startswith("UC"))
        with self.assertRaisesText(ValidationError, "needs a supplier"):
            contract.write({"supplier_id": False})
        self.assertEqual(contract.supplier_id, self.fibre)

    def test_end_before_start(self):
        before = self._count_ucs()
        with self.assertRaisesText(ValidationError, "before it starts"):
            self.Agreement.create(
                self._uc_vals(date_start="2025-06-01", date_end="2025-05-31")
            )
        self.assertEqual(self._count_ucs(), before)
        contract = self.Agreement.create(self._uc_vals(date_start="2025-06-01"))
        with self.assertRaisesText(ValidationError, "before it starts"):
            contract.write({"date_end": "2025-01-01"})
        self.assertFalse(contract.date_end)

    def test_negative_money(self):
        before = self._count_ucs()
        for field in ("contract_value", "budget", "monthly_fee"):
            with (
                self.subTest(field=field),
                self.assertRaisesText(ValidationError, "cannot be negative"),
            ):
                self.Agreement.create(self._uc_vals(**{field: -1}))
        self.assertEqual(self._count_ucs(), before)
        contract = self.Agreement.create(
            self._uc_vals(contract_value=48000, budget=50000, monthly_fee=4000)
        )
        with self.assertRaisesText(ValidationError, "the budget cannot be negative"):
            contract.write({"budget": -100})
        self.assertEqual(contract.budget, 50000)
        # Zero is a value (e.g. a free trial).
        contract.write({"contract_value": 0})
        self.assertEqual(contract.contract_value, 0)

    def test_notice_period(self):
        before = self._count_ucs()
        # 1 January to 31 March 2025: 31 + 28 + 31 = 90 days.
        term = {"date_start": "2025-01-01", "date_end": "2025-03-31"}
        with self.assertRaisesText(ValidationError, "longer than the contract itself"):
            self.Agreement.create(self._uc_vals(notice_period_days=91, **term))
        with self.assertRaisesText(ValidationError, "cannot be negative"):
            self.Agreement.create(self._uc_vals(notice_period_days=-1, **term))
        self.assertEqual(self._count_ucs(), before)
        contract = self.Agreement.create(self._uc_vals(notice_period_days=90, **term))
        self.assertEqual(contract.contract_days, 90)
        # Shortening the term below the notice period is refused too.
        with self.assertRaisesText(ValidationError, "(60 days, from"):
            contract.write({"date_end": "2025-03-01"})
        self.assertEqual(contract.date_end, fields.Date.to_date("2025-03-31"))
        # Open-ended: any notice period.
        contract.write({"date_end": False, "notice_period_days": 400})
        self.assertEqual(contract.notice_period_days, 400)
        with self.assertRaisesText(ValidationError, "before the contract starts"):
            contract.write({"renewal_date": "2024-12-31"})

    def test_contract_reference_unique_per_supplier(self):
        first = self._uc([self._target("resolution", 8)], contract_ref="FN-001")
        before = self._count_ucs()
        # Same supplier, same reference (case and spaces do not matter).
        with self.assertRaisesText(ValidationError, "already has a contract"):
            self.Agreement.create(self._uc_vals(contract_ref=" fn-001 "))
        self.assertEqual(self._count_ucs(), before)
        second = self.Agreement.create(self._uc_vals(contract_ref="FN-002"))
        with self.assertRaisesText(ValidationError, "already has a contract"):
            second.write({"contract_ref": "FN-001"})
        self.assertEqual(second.contract_ref, "FN-002")
        # Another supplier may use the same reference.
        other = self.Agreement.create(
            self._uc_vals(supplier=self.hoster, contract_ref="FN-001")
        )
        self.assertEqual(other.contract_ref, "FN-001")
        # A new revision is the same contract: it keeps the reference.
        with freeze_time("2026-01-10"):
            action = first.action_new_revision()
        revision = self.Agreement.browse(action["res_id"])
        self.assertEqual(revision.contract_ref, "FN-001")
        self.assertEqual(revision.reference, first.reference)
        # A duplicate is another contract: its reference is left to fill in.
        self.assertFalse(second.copy().contract_ref)

    # ------------------------------------------------------------------
    # Sign-off, lifecycle
    # ------------------------------------------------------------------

    def test_supplier_sign_off(self):
        contract = self._uc([self._target("resolution", 8)], agree=False)
        with self.assertRaisesText(UserError, "the supplier's sign-off is missing"):
            contract.action_agree()
        self.assertEqual(contract.state, "draft")
        # Signed by someone of another company.
        contract.write(
            {
                "supplier_signed_by_id": self.hoster_signer.id,
                "supplier_signed_date": "2020-01-01",
            }
        )
        with self.assertRaisesText(UserError, "T Hoster Signer signed, but is not"):
            contract.action_agree()
        # Dated in the future.
        contract.write(
            {
                "supplier_signed_by_id": self.fibre_signer.id,
                "supplier_signed_date": fields.Date.add(fields.Date.today(), days=3),
            }
        )
        with self.assertRaisesText(UserError, "dated in the future"):
            contract.action_agree()
        self.assertEqual(contract.state, "draft")
        # The customer's sign-off is not asked of a UC.
        contract.write({"supplier_signed_date": "2020-01-01"})
        contract.action_agree()
        self.assertEqual(contract.state, "agreed")
        self.assertFalse(contract.customer_signed_by_id)
        # Agreed: the supplier and its sign-off are frozen; the budget is not
        # (as the Supplier Manager: the superuser is not held, guard rule 1).
        contract = contract.with_user(self.supplier_manager)
        with self.assertRaisesText(UserError, "cannot be changed in place"):
            contract.write({"supplier_id": self.hoster.id})
        with self.assertRaisesText(UserError, "cannot be changed in place"):
            contract.write({"supplier_signed_by_id": self.fibre.id})
        contract.write({"budget": 1000})
        self.assertEqual(contract.supplier_id, self.fibre)

    def test_terminate_uc(self):
        contract = self._uc(
            [self._target("resolution", 8)],
            date_start="2025-01-01",
            date_end="2027-12-31",
            notice_period_days=90,
        )
        with freeze_time("2026-03-10"):
            with self.assertRaisesText(UserError, "Give the reason"):
                contract.action_terminate()
            self.assertEqual(contract.state, "agreed")
            contract.termination_reason = "The supplier was taken over."
            contract.action_terminate()
        # Ends today, although less than the notice period is left.
        self.assertEqual(contract.state, "terminated")
        self.assertEqual(contract.date_end, fields.Date.to_date("2026-03-10"))
        self.assertEqual(contract.termination_date, fields.Date.to_date("2026-03-10"))

    def test_ucs_stay_out_of_the_sla_and_ola_lists(self):
        contract = self._uc([self._target("resolution", 8)])
        for xml_id, shown in (
            ("slm_agreements.slm_agreement_action_sla", False),
            ("slm_agreements.slm_agreement_action_ola", False),
            ("slm_agreements.slm_agreement_action_slr", False),
            ("slm_supplier.slm_agreement_action_uc", True),
        ):
            with self.subTest(action=xml_id):
                action = self.env.ref(xml_id)
                domain = [("id", "=", contract.id)] + safe_eval(action.domain)
                self.assertEqual(bool(self.Agreement.search(domain)), shown)

    def test_uc_form(self):
        """A UC created through its form: kind from the action's context, the
        supplier on top, the targets of any agreement."""
        action = self.env.ref("slm_supplier.slm_agreement_action_uc")
        form = Form(self.Agreement.with_context(**eval(action.context)))  # noqa: S307 pylint: disable=eval-used
        form.name = "T Form Contract"
        form.supplier_id = self.fibre
        form.contract_ref = "T-FORM-1"
        form.notice_period_days = 30
        with form.target_ids.new() as target:
            target.metric = "resolution"
            target.threshold_hours = 8
            target.around_the_clock = True
        contract = form.save()
        self.assertEqual(contract.kind, "uc")
        self.assertEqual(contract.structure, "service_based")
        self.assertEqual(len(contract.target_ids), 1)

    # ------------------------------------------------------------------
    # Hand-over
    # ------------------------------------------------------------------

    def _assert_not_handed_over(self, ticket):
        self.assertFalse(ticket.supplier_id)
        self.assertFalse(ticket.supplier_state)
        self.assertFalse(ticket.slm_event_ids.filtered("supplier_id"))
        self.assertFalse(
            ticket.slm_clock_ids.filtered(lambda c: c.agreement_kind == "uc")
        )
        self.assertFalse(
            ticket.message_ids.filtered(lambda m: "Handed over" in (m.body or ""))
        )

    def test_handover_only_to_supplier_under_contract(self):
        self._uc([self._target("resolution", 8)])
        # The hoster's contract covers another service; a draft contract
        # commits nobody; an ended one no longer does.
        self._uc(
            [self._target("resolution", 8)],
            supplier=self.hoster,
            service_ids=[(6, 0, self.other_service.ids)],
        )
        self._uc([self._target("resolution", 8)], supplier=self.hoster, agree=False)
        self._uc(
            [self._target("resolution", 8)],
            supplier=self.hoster,
            date_end="2023-12-31",
        )
        ticket = self._ticket(utc(2024, 1, 15, 9, 0))
        for partner in (self.stranger, self.hoster, self.contact):
            with self.subTest(partner=partner.name):
                with self.assertRaisesText(
                    UserError, "is not a supplier under contract"
                ) as caught:
                    self._hand_over(utc(2024, 1, 15, 10, 0), ticket, supplier=partner)
                self.assertIn(
                    "Suppliers under contract for it: T Fibre.", str(caught.exception)
                )
                self._assert_not_handed_over(ticket)
        # Nobody under contract for a ticket about another service.
        other = self._ticket(utc(2024, 1, 15, 9, 0), service_id=False)
        with self.assertRaisesText(UserError, "No supplier is under contract"):
            self._hand_over(utc(2024, 1, 15, 10, 0), other, supplier=self.fibre)
        self._assert_not_handed_over(other)
        # The supplier under contract (given as its contact).
        self._hand_over(utc(2024, 1, 15, 10, 0), ticket, supplier=self.fibre_signer)
        self.assertEqual(ticket.supplier_id, self.fibre)
        self.assertEqual(ticket.supplier_state, "handed_over")
        self.assertEqual(ticket.supplier_handover_date, utc(2024, 1, 15, 10, 0))
        note = ticket.message_ids.filtered(lambda m: "Handed over" in (m.body or ""))
        self.assertIn("Please have a look", note.body)
        self.assertTrue(note.subtype_id.internal)
        # Already with it.
        with self.assertRaisesText(UserError, "is already with T Fibre"):
            self._hand_over(utc(2024, 1, 15, 11, 0), ticket)

    def test_handover_steps_need_the_right_state(self):
        self._uc([self._target("resolution", 8)])
        ticket = self._ticket(utc(2024, 1, 15, 9, 0))
        for step in (self._ack, self._resolved, self._take_back):
            with self.assertRaisesText(UserError, "is not with a supplier"):
                step(utc(2024, 1, 15, 10, 0), ticket)
        self._assert_not_handed_over(ticket)
        self._at(utc(2024, 1, 15, 10, 0), ticket, stage_id=self.stage_done.id)
        with self.assertRaisesText(UserError, "is closed: reopen it"):
            self._hand_over(utc(2024, 1, 15, 11, 0), ticket)
        self._assert_not_handed_over(ticket)

    def test_handover_wizard(self):
        self._uc([self._target("resolution", 8)])
        ticket = self._ticket(utc(2024, 1, 15, 9, 0))
        with freeze_time(utc(2024, 1, 15, 10, 0)):
            action = ticket.with_user(self.agent).action_slm_open_handover()
            Wizard = self.env[action["res_model"]].with_user(self.agent)
            form = Form(Wizard.with_context(**action["context"]))
            # The only supplier under contract is proposed.
            self.assertEqual(form.allowed_supplier_ids[:], self.fibre)
            self.assertEqual(form.supplier_id, self.fibre)
            form.note = "Link down since 08:00"
            form.save().action_confirm()
        self.assertEqual(ticket.supplier_id, self.fibre)
        self.assertEqual(ticket.supplier_handover_date, utc(2024, 1, 15, 10, 0))
        # Forcing another partner through the wizard is refused too.
        self._take_back(utc(2024, 1, 15, 11, 0), ticket)
        with freeze_time(utc(2024, 1, 15, 12, 0)):
            wizard = Wizard.create(
                {"ticket_id": ticket.id, "supplier_id": self.stranger.id}
            )
            with self.assertRaisesText(UserError, "is not a supplier under contract"):
                wizard.action_confirm()
            wizard.supplier_id = False
            with self.assertRaisesText(UserError, "Choose the supplier"):
                wizard.action_confirm()
        self.assertEqual(ticket.supplier_state, "taken_back")
        handed = ticket.message_ids.filtered(lambda m: "Handed over" in (m.body or ""))
        self.assertEqual(len(handed), 1)
        self.assertIn("Link down since 08:00", handed.body)
        self.assertEqual(handed.author_id, self.agent.partner_id)

    def test_clocks_for_existing_tickets_follow_the_handovers(self):
        """Clocks for Existing Tickets on a UC: the tickets handed to its
        supplier while it was in force, whenever they were created."""
        general = self._uc([self._target("resolution", 12)], service_ids=[(5, 0, 0)])
        handed = self._ticket(utc(2024, 1, 15, 9, 0))
        self._hand_over(utc(2024, 3, 4, 10, 0), handed)
        kept = self._ticket(utc(2024, 3, 4, 9, 0))
        self.assertEqual(
            handed.slm_clock_ids.filtered(
                lambda c: c.agreement_kind == "uc"
            ).agreement_id,
            general,
        )
        # A more specific contract recorded later, in force since March.
        specific = self._uc([self._target("resolution", 6)], date_start="2024-03-01")
        tickets = self.env["helpdesk.ticket"].search(specific._clock_job_domain())
        self.assertIn(handed, tickets)
        self.assertNotIn(kept, tickets)
        specific.action_backfill_clocks()
        with freeze_time(utc(2024, 3, 4, 12, 0)):
            self.Agreement._cron_run_clock_jobs()
        self.assertEqual(specific.clock_job_state, "done")
        uc_clocks = handed.slm_clock_ids.filtered(lambda c: c.agreement_kind == "uc")
        self.assertEqual(
            {(c.agreement_id, c.status) for c in uc_clocks},
            {(specific, "running"), (general, "cancelled")},
        )
        # Counted from the hand-over: 2 h of 6 h used at 12:00.
        self.assertEqual(
            uc_clocks.filtered(lambda c: c.agreement_id == specific).used_seconds,
            2 * 3600,
        )
        # Another supplier's contract: not the tickets handed to T Fibre.
        self.assertNotIn(
            handed,
            self.env["helpdesk.ticket"].search(
                self._uc(
                    [self._target("resolution", 6)],
                    supplier=self.hoster,
                    date_start="2024-03-01",
                )._clock_job_domain()
            ),
        )

    # ------------------------------------------------------------------
    # Alignment
    # ------------------------------------------------------------------

    def test_uc_target_underpins_sla_target(self):
        sla = self._agreement([self._target("resolution", 8)])
        contract = self._uc([self._target("resolution", 24)])
        sla_target, uc_target = sla.target_ids, contract.target_ids
        self.assertEqual(sla_target.alignment_issue_ids.issue_type, "none")
        sla_target.underpinning_target_ids = [(4, uc_target.id)]
        issue = sla_target.alignment_issue_ids
        self.assertEqual(issue.issue_type, "threshold")
        self.assertEqual(issue.underpinning_kind, "uc")
        self.assertEqual(issue.underpinning_agreement_id, contract)
        # Both 24x7: the supplier may finish 24 - 8 = 16 h after the customer's
        # deadline.
        self.assertEqual(issue.late_hours, 16)
        self.assertIn(
            f"{contract.reference} (T Fibre) resolution 24 h backs "
            f"{sla.reference} resolution 8 h",
            issue.explanation,
        )
        self.assertIn("the supplier may take longer", issue.explanation)
        self.assertIn(issue, contract.underpinning_issue_ids)
        # A tighter contract closes the gap (in a new revision).
        with freeze_time("2026-01-10"):
            revision = self.Agreement.browse(contract.action_new_revision()["res_id"])
        revision.target_ids.threshold_hours = 6
        sla_target.underpinning_target_ids = [(6, 0, revision.target_ids.ids)]
        self.assertEqual(
            sla_target.alignment_issue_ids.mapped("issue_type"), ["not_in_force"]
        )
        self.assertIn(
            "it does not commit the supplier yet",
            sla_target.alignment_issue_ids.explanation,
        )
        # A UC target backs SLA targets only, of the same metric.
        with self.assertRaisesText(ValidationError, "not of an SLA"):
            uc_target.underpinning_target_ids = [(4, revision.target_ids.id)]
        response = self._uc(
            [self._target("response", 1)], supplier=self.hoster
        ).target_ids
        with self.assertRaisesText(ValidationError, "of the same metric"):
            sla_target.underpinning_target_ids = [(4, response.id)]


@tagged("post_install", "-at_install")
class TestSupplierContractDemo(TransactionCase):
    """The demo contracts and hand-overs tell a consistent story (skipped
    without demo data). Only what time does not change is checked."""

    def setUp(self):
        super().setUp()
        self.uc = self.env.ref("slm_supplier.demo_uc_network", raise_if_not_found=False)
        if not self.uc:
            self.skipTest("no demo data")

    def _ref(self, xml_id):
        return self.env.ref(f"slm_supplier.{xml_id}")

    def test_network_contract(self):
        uc = self.uc
        self.assertEqual(uc.kind, "uc")
        self.assertEqual(uc.state, "agreed")
        self.assertEqual(uc.supplier_id.name, "Fibre Networks Ltd")
        self.assertEqual(uc.supplier_signed_by_id.parent_id, uc.supplier_id)
        self.assertEqual(
            (uc.contract_ref, uc.contract_value, uc.budget, uc.monthly_fee),
            ("FN-2026-001", 48000, 50000, 4000),
        )
        self.assertEqual(
            (uc.credit_pct_per_breach, uc.breach_allowance, uc.credit_cap_pct),
            (5, 2, 25),
        )
        self.assertEqual(
            uc.service_ids, self.env.ref("slm_catalogue.demo_service_network")
        )
        self.assertEqual(
            [
                (t.metric, t.threshold_hours, t.objective_pct, t.around_the_clock)
                for t in uc.target_ids
            ],
            [("response", 2, 95, True), ("resolution", 8, 95, True)],
        )
        hosting = self._ref("demo_uc_hosting")
        self.assertEqual(hosting.state, "agreed")
        self.assertLessEqual(
            hosting.date_end, fields.Date.add(fields.Date.today(), days=30)
        )

    def test_handed_over_tickets(self):
        response, resolution = self.uc.target_ids

        def uc_clocks(xml_id):
            ticket = self._ref(xml_id)
            return ticket, ticket.slm_clock_ids.filtered(
                lambda c: c.agreement_id == self.uc
            )

        ticket, clocks = uc_clocks("demo_ticket_supplier_running")
        self.assertEqual(clocks.target_id, response | resolution)
        # The clocks start at the hand-over in the ticket's history (the demo
        # evaluates "now" again for the ticket's own field, maybe a second on).
        handover = ticket.slm_event_ids.filtered(lambda e: e.event_type == "handover")
        self.assertEqual(set(clocks.mapped("start")), set(handover.mapped("date")))
        ticket, clocks = uc_clocks("demo_ticket_supplier_met")
        self.assertEqual(set(clocks.mapped("status")), {"met"})
        self.assertEqual(ticket.supplier_state, "resolved")
        ticket, clocks = uc_clocks("demo_ticket_supplier_breached")
        breached = clocks.filtered(lambda c: c.target_id == resolution)
        self.assertEqual(breached.status, "breached")
        # 3 h with the supplier before it was taken back, 7 h since: the
        # 8 h were up 2 h ago. Counted from the last hand-over in the
        # ticket's history (the demo evaluates "now" again for the ticket's
        # own field, maybe a second on).
        last_handover = max(
            ticket.slm_event_ids.filtered(lambda e: e.event_type == "handover").mapped(
                "date"
            )
        )
        self.assertEqual(breached.deadline, last_handover + timedelta(hours=5))
        self.assertEqual(
            self.env["slm.breach"]
            .search([("clock_id", "=", breached.id)])
            .agreement_kind,
            "uc",
        )

    def test_network_sla_backed_by_the_contract(self):
        self.env["slm.alignment.issue"]._refresh_all()
        response = self._ref("demo_sla_network_response")
        resolution = self._ref("demo_sla_network_resolution")
        self.assertEqual(
            {
                (i.issue_type, i.underpinning_target_id)
                for i in response.alignment_issue_ids
            },
            {("threshold", self._ref("demo_uc_network_response"))},
        )
        self.assertFalse(resolution.alignment_issue_ids)
