# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields
from odoo.tests import TransactionCase, tagged
from odoo.tools import convert_file

# The records of the Hudson Design Studio demo file, in its order.
HUDSON_FILE = "demo/slm_customer_calendar_demo.xml"
HUDSON_RECORDS = (
    "demo_partner_hudson",
    "demo_partner_hudson_contact",
    "demo_calendar_us_holidays",
    "demo_leave_us_juneteenth",
    "demo_leave_us_independence",
    "demo_sla_hudson",
    "demo_target_hudson_response",
    "demo_target_hudson_resolution",
    "demo_ticket_hudson_budget",
    "demo_ticket_hudson_proposed",
    "demo_ticket_hudson_negotiated",
    "demo_proposal_hudson_proposed",
    "demo_proposal_hudson_approved",
)


@tagged("post_install", "-at_install")
class TestAgreementDemo(TransactionCase):
    """The demo agreements tell a consistent story (skipped without demo data)."""

    def setUp(self):
        super().setUp()
        self.corporate = self.env.ref(
            "slm_agreements.demo_sla_corporate", raise_if_not_found=False
        )
        if not self.corporate:
            self.skipTest("no demo data")

    def _ref(self, xml_id):
        return self.env.ref(f"slm_agreements.{xml_id}")

    def test_agreed_ones_are_in_force_today(self):
        today = fields.Date.context_today(self.corporate)
        for xml_id in (
            "demo_sla_corporate",
            "demo_sla_deco_addict",
            "demo_sla_erp",
            "demo_ola_network",
        ):
            with self.subTest(agreement=xml_id):
                agreement = self._ref(xml_id)
                self.assertEqual(agreement.state, "agreed")
                self.assertLessEqual(agreement.date_start, today)
                self.assertTrue(not agreement.date_end or agreement.date_end >= today)
                self.assertTrue(agreement.provider_signed_by_id)
        self.assertEqual(self._ref("demo_slr_vpn").state, "requirement")
        self.assertEqual(self._ref("demo_sla_laptop_expired").state, "expired")

    def test_customer_level_overrides_one_corporate_target(self):
        deco = self._ref("demo_sla_deco_addict")
        self.assertEqual(deco.parent_id, self.corporate)
        self.assertEqual(
            deco._effective_targets(),
            self._ref("demo_target_deco_addict_p3_resolution")
            | self._ref("demo_target_corporate_p3_response")
            | self._ref("demo_target_corporate_p1_resolution"),
        )

    def test_ola_binds_the_consultants(self):
        ola = self._ref("demo_ola_network")
        self.assertEqual(ola.kind, "ola")
        self.assertEqual(ola.team_id, self.env.ref("helpdesk_mgmt.helpdesk_team_3"))

    def test_demo_tickets_have_agents_and_clocks_start_after_creation(self):
        """Issue 11 item 8: demo tickets are assigned to the demo's agents,
        not to OdooBot, and none of their clocks starts before the ticket."""
        demo_tickets = self.env["helpdesk.ticket"].browse(
            self.env["ir.model.data"]
            .search(
                [
                    ("model", "=", "helpdesk.ticket"),
                    (
                        "module",
                        "in",
                        ("helpdesk_mgmt", "slm_agreements", "slm_reviews"),
                    ),
                ]
            )
            .mapped("res_id")
        )
        self.assertTrue(demo_tickets)
        self.assertFalse(
            demo_tickets.filtered(
                lambda t: t.user_id == self.env.ref("base.user_root")
            ).mapped("number")
        )
        early = demo_tickets.slm_clock_ids.filtered(
            lambda c: c.start < c.ticket_id.create_date
        )
        self.assertFalse(early.mapped("ticket_id.number"))

    def test_cycle_demo_shows_the_new_clocks(self):
        """Issue 12: the agreed Wood Corner conversations SLA and its two
        tickets show next reply met and breached, periodic updates, a
        business-day deadline breached and a reopening with a new cycle."""
        agreement = self._ref("demo_slr_conversations")
        self.assertEqual(agreement.state, "agreed")

        def results(xml_id):
            clocks = self._ref(xml_id).slm_clock_ids.filtered(
                lambda c: c.agreement_id == agreement
            )
            return {
                metric: clocks.filtered(lambda c, m=metric: c.metric == m)
                .sorted("cycle")
                .mapped("status")
                for metric in set(clocks.mapped("metric"))
            }

        self.assertEqual(
            results("demo_ticket_cycle_conversation"),
            {
                "next_reply": ["met", "breached"],
                "periodic_update": ["met", "breached", "met"],
                "response": ["met"],
                "resolution": ["met"],
            },
        )
        self.assertEqual(
            results("demo_ticket_cycle_reopened"),
            {
                "periodic_update": ["met", "met"],
                "response": ["breached"],
                "resolution": ["met", "met"],
            },
        )

    def test_customer_calendar_demo_shows_budget_zone_and_negotiation(self):
        """The Hudson Design Studio SLA: hours read in New York (customer
        calendar rule 1), US holidays (rule 3), a resolution over its pause
        budget (pause budget rules 1 and 4), one deadline proposal to decide
        and one approved (negotiated deadline rules 1, 3 and 4)."""
        self._check_hudson()

    def test_customer_calendar_demo_loads_on_update(self):
        """The Hudson file added to a database installed before it: an update
        (-u) creates its noupdate records and runs its steps (which an update
        skips in noupdate data: they are in noupdate="0" blocks), without
        "demo data failed"; a second update changes nothing. Simulated by
        moving the file's xml ids aside: for the loader, its records do not
        exist yet."""
        Data = self.env["ir.model.data"]
        before = Data.search(
            [("module", "=", "slm_agreements"), ("name", "in", HUDSON_RECORDS)]
        )
        self.assertEqual(len(before), len(HUDSON_RECORDS))
        old_ids = {data.name: data.res_id for data in before}
        for data in before:
            data.name = f"{data.name}_before_update"
        self.env.flush_all()
        self.env.registry.clear_cache()  # the xml id lookups

        def update():
            convert_file(
                self.env(su=True),
                "slm_agreements",
                HUDSON_FILE,
                {},
                mode="update",
                noupdate=True,
                kind="demo",
            )
            self.env.invalidate_all()

        update()
        for name in HUDSON_RECORDS:
            self.assertNotEqual(self._ref(name).id, old_ids[name], name)
        self._check_hudson()
        Event = self.env["slm.ticket.event"]
        budget_ticket = self._ref("demo_ticket_hudson_budget")
        events = Event.search([("ticket_id", "=", budget_ticket.id)])
        approved = self._ref("demo_proposal_hudson_approved")
        state = (
            self._ref("demo_sla_hudson").provider_signed_date,
            approved.decided_on,
            budget_ticket.create_date,
            approved.clock_id.revision_ids,
        )
        self.assertTrue(state[-1], "the approval kept the superseded result")
        update()
        self._check_hudson()
        self.assertEqual(Event.search([("ticket_id", "=", budget_ticket.id)]), events)
        self.assertEqual(
            (
                self._ref("demo_sla_hudson").provider_signed_date,
                approved.decided_on,
                budget_ticket.create_date,
                approved.clock_id.revision_ids,
            ),
            state,
        )

    def _check_hudson(self):
        agreement = self._ref("demo_sla_hudson")
        self.assertEqual(agreement.state, "agreed")
        self.assertEqual(
            agreement.holiday_calendar_id, self._ref("demo_calendar_us_holidays")
        )
        self.assertTrue(agreement.holiday_calendar_id.leave_ids)
        resolution = self._ref("demo_target_hudson_resolution")
        self.assertTrue(resolution.customer_tz and resolution.pause_budget)

        def clock(ticket, target):
            return self._ref(ticket).slm_clock_ids.filtered(
                lambda c: c.target_id == self._ref(target)
            )

        budget = clock("demo_ticket_hudson_budget", "demo_target_hudson_resolution")
        self.assertEqual(budget.status, "met")
        self.assertTrue(budget.pause_budget_exceeded)
        self.assertEqual(budget.over_budget_seconds, 4 * 3600)
        self.assertEqual(
            clock("demo_ticket_hudson_budget", "demo_target_hudson_response").status,
            "met",
        )
        proposed = self._ref("demo_proposal_hudson_proposed")
        self.assertEqual(proposed.state, "proposed")
        self.assertEqual(proposed.proposer_id, self.env.ref("base.user_demo"))
        self.assertGreater(proposed.proposed_deadline, proposed.clock_id.start)
        approved = self._ref("demo_proposal_hudson_approved")
        self.assertEqual(approved.state, "approved")
        self.assertEqual(approved.decided_by_id, self.env.ref("base.user_admin"))
        self.assertTrue(approved.clock_id.negotiated)
        self.assertEqual(approved.clock_id.deadline, approved.proposed_deadline)
