# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import UserError

from ..models import slm_review_agenda
from .common import SlmReviewCase


class TestReviewAgenda(SlmReviewCase):
    """The agenda of the seeded September review, section by section; the
    expected figures are worked out in review_common.py."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._build_scenario()
        with freeze_time("2026-10-03 09:00"):
            cls.review.action_prepare_agenda()
        cls.snap = cls.review.snapshot

    def test_state_and_period(self):
        self.assertEqual(self.review.state, "agenda_ready")
        self.assertEqual(
            self.snap["period"],
            {
                "start": "2026-09-01",
                "end": "2026-09-30",
                "window_start": "2026-09-01",
                "window_end": "2026-09-30",
                "months": ["2026-09-01"],
            },
        )
        # Six months of trend, ending with the period's month.
        self.assertEqual(
            self.snap["months"],
            [f"2026-{month:02d}-01" for month in range(4, 10)],
        )
        self.assertEqual(self.snap["generated_at"], "2026-10-03 09:00:00")
        self.assertEqual(self.snap["review"]["customer"], "T Customer")
        self.assertEqual(
            self.snap["review"]["attendees"],
            [{"name": "T Contact", "email": "c@example.com", "internal": False}],
        )

    def _entry(self, target):
        entries = [t for t in self.snap["targets"] if t["target_id"] == target.id]
        self.assertEqual(len(entries), 1)
        return entries[0]

    def test_negotiated_results_are_flagged(self):
        """Negotiated deadline rule 7: the agenda counts, per target, the
        results measured against a negotiated deadline (counted as usual)."""
        self.assertEqual(self._entry(self.t1)["negotiated"], 0)
        clocks = (
            self.env["slm.clock"]
            .sudo()
            .search(
                [
                    ("target_id", "=", self.t1.id),
                    ("period_date", "=", "2026-09-01"),
                    ("status", "=", "breached"),
                ]
            )
        )
        self.assertEqual(len(clocks), 1, "K2")
        clocks.write({"negotiated_deadline": clocks.deadline})
        with freeze_time("2026-10-03 09:00"):
            self.review.action_prepare_agenda()
        entries = [
            t for t in self.review.snapshot["targets"] if t["target_id"] == self.t1.id
        ]
        self.assertEqual(
            (entries[0]["met"], entries[0]["breached"], entries[0]["negotiated"]),
            (3, 1, 1),
        )

    def test_performance_per_target(self):
        self.assertEqual(
            [t["target_id"] for t in self.snap["targets"]],
            (self.t1 | self.t2 | self.t3).ids,
        )
        # T1 response: K1, K3, K4 met, K2 breached: 3 / 4.
        t1 = self._entry(self.t1)
        self.assertEqual(
            (t1["measured"], t1["met"], t1["breached"], t1["excused"]), (4, 3, 1, 0)
        )
        self.assertEqual(t1["attainment"], 75.0)
        self.assertEqual(t1["objective"], 90.0)
        self.assertFalse(t1["achieved"])
        # Trend: nothing measured April-July, K0 met in August.
        self.assertEqual(
            [point["attainment"] for point in t1["trend"]],
            [None, None, None, None, 100.0, 75.0],
        )
        # T2 resolution: K1, K2 met, K3 breached, K4 breached but excused:
        # 2 / 3, the excused breach shown apart.
        t2 = self._entry(self.t2)
        self.assertEqual(
            (t2["measured"], t2["met"], t2["breached"], t2["excused"]), (3, 2, 1, 1)
        )
        self.assertEqual(t2["attainment"], 66.67)
        self.assertFalse(t2["achieved"])
        self.assertEqual(
            t2["trend"][-2:],
            [
                {"month": "2026-08-01", "attainment": 100.0},
                {"month": "2026-09-01", "attainment": 66.67},
            ],
        )
        # T3 availability: 98.5 % in September, 100 % before.
        t3 = self._entry(self.t3)
        self.assertEqual(t3["metric"], "availability")
        self.assertEqual(t3["attainment"], 98.5)
        self.assertFalse(t3["achieved"])
        self.assertEqual(
            [point["attainment"] for point in t3["trend"]],
            [100.0, 100.0, 100.0, 100.0, 100.0, 98.5],
        )

    def test_breaches_with_causes(self):
        breaches = self.snap["breaches"]
        # The SLA's breaches only (the OLA's are under underpinning), by deadline.
        self.assertEqual(
            [(b["ticket"], b["target"]) for b in breaches],
            [
                (self.k2.number, self.t1.display_name),
                (self.k3.number, self.t2.display_name),
                (self.k4.number, self.t2.display_name),
            ],
        )
        self.assertEqual([b["late_hours"] for b in breaches], [1.0, 2.0, 6.0])
        self.assertEqual([b["excused"] for b in breaches], [False, False, True])
        self.assertEqual(breaches[0]["cause"], "T Staffing")
        self.assertEqual(breaches[0]["root_cause"], "Two agents were ill.")
        self.assertEqual(breaches[2]["excuse_reason"], "Customer-caused Delay")
        self.assertEqual(breaches[0]["deadline"], "2026-09-03 11:00:00")
        self.assertEqual(
            self.snap["breach_causes"],
            [
                {"cause": "Not analysed yet", "count": 2, "excused": 1},
                {"cause": "T Staffing", "count": 1, "excused": 0},
            ],
        )

    def test_long_breach_list_shows_the_most_late(self):
        """Over the limit, the agenda lists the most late breaches, in their
        order, and says so; the snapshot and the summary keep them all."""
        with patch.object(slm_review_agenda, "PDF_BREACH_LIMIT", 2):
            html = str(
                self.review._render("slm_reviews.review_agenda_document", self.snap)
            )
        self.assertIn("The 2 most late of 3 breaches", html)
        table = html[html.index("o_slm_review_breaches") :]
        table = table[: table.index("</table>")]
        # k3 2 h late and k4 6 h late are listed; k2, 1 h late, is not.
        self.assertNotIn(self.k2.number, table)
        self.assertLess(table.index(self.k3.number), table.index(self.k4.number))
        self.assertEqual(len(self.snap["breaches"]), 3)
        self.assertIn("Not analysed yet: 2", " ".join(html.split()))

    def test_availability(self):
        rows = self.snap["availability"]
        self.assertEqual(len(rows), 1)
        row = rows[0]
        self.assertEqual(row["month"], "2026-09-01")
        self.assertEqual(row["availability"], 98.5)
        self.assertEqual(row["objective"], 99.0)
        self.assertEqual(row["status"], "Missed")
        self.assertEqual(row["agreed_hours"], 720.0)
        self.assertEqual(row["downtime_hours"], 10.8)

    def test_targets_to_revisit_missed(self):
        revisit = {t["target_id"]: t["reason"] for t in self.snap["targets_to_revisit"]}
        self.assertEqual(
            revisit,
            {self.t1.id: "missed", self.t2.id: "missed", self.t3.id: "missed"},
        )

    def test_underpinning_and_alignment(self):
        self.assertEqual(len(self.snap["underpinning"]), 1)
        under = self.snap["underpinning"][0]
        self.assertEqual(under["sla_target_id"], self.t2.id)
        self.assertEqual(under["target_id"], self.o1.id)
        self.assertEqual(under["kind"], "OLA")
        # O1: K1 and K2 met, K3 and K4 breached (its own clocks, not excused).
        self.assertEqual(
            (under["measured"], under["met"], under["breached"]), (4, 2, 2)
        )
        self.assertEqual(under["attainment"], 50.0)
        self.assertEqual(under["objective"], 95.0)
        self.assertFalse(under["achieved"])
        # T1 and T3 are backed by nothing; T2 by a tighter OLA target.
        self.assertEqual(
            {
                (gap["sla_target"], gap["issue_code"])
                for gap in self.snap["alignment_gaps"]
            },
            {(self.t1.display_name, "none"), (self.t3.display_name, "none")},
        )

    def test_adjustments(self):
        self.assertEqual(
            [(a["name"], a["kind"], a["state"]) for a in self.snap["adjustments"]],
            [("T Reduced service", "Reduced Service", "Approved")],
        )
        self.assertEqual(self.snap["adjustments"][0]["start"], "2026-09-20 00:00:00")

    def test_complaints(self):
        self.assertEqual(
            [
                (c["ticket_id"], c["date"], c["customer"])
                for c in self.snap["complaints"]
            ],
            [(self.k5.id, "2026-09-15", "T Customer")],
        )
        self.assertEqual(
            self.snap["complaints"][0]["subject"], "T Complaint about the answers"
        )

    def test_open_actions_carried(self):
        self.assertEqual(
            [a["action_id"] for a in self.snap["open_actions"]], self.a1.ids
        )
        action = self.snap["open_actions"][0]
        self.assertEqual(action["due_date"], "2026-09-30")
        self.assertTrue(action["overdue"])
        self.assertEqual(action["origin"], self.earlier.name)
        self.assertEqual(self.review.carried_action_ids, self.a1)

    def test_agenda_html(self):
        html = str(self.review.agenda)
        for text in (
            "75.0 %",
            "66.7 %",
            "98.5 %",
            "T Staffing",
            "excused",
            self.k5.number,
            "T Train the agents",
            "T Reduced service",
            "No Underpinning",
            "(overdue)",
        ):
            self.assertIn(text, html)
        self.assertNotIn("T Unrelated action", html)

    def test_prepare_again_and_refused_once_held(self):
        with freeze_time("2026-10-04 09:00"):
            self.review.action_prepare_agenda()
        self.assertEqual(self.review.snapshot["targets"], self.snap["targets"])
        self.assertEqual(self.review.carried_action_ids, self.a1)
        self.review.action_meeting_held()
        with self.assertRaisesText(UserError, "The agenda cannot be prepared"):
            self.review.action_prepare_agenda()

    def test_carry_over_into_next_review(self):
        """Open actions of this review and of the earlier one come back in
        October; done ones do not."""
        self.review.action_meeting_held()
        with freeze_time("2026-10-05 10:00"):
            b1 = self._action(self.review, "T Call the customer", "2026-10-20")
            b2 = self._action(self.review, "T Publish the report", "2026-10-20")
            b2.action_done()
            self.review.action_generate_minutes()
            self.review._mark_minutes_sent()
            october = self._review(
                agreement_ids=[(6, 0, self.sla.ids)],
                period_start="2026-10-01",
                period_end="2026-10-31",
            )
            october.action_prepare_agenda()
        self.assertEqual(october.carried_action_ids, self.a1 | b1)
        self.assertEqual(
            [a["name"] for a in october.snapshot["open_actions"]],
            ["T Train the agents", "T Call the customer"],
        )

    def _prepare_queries(self):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        with freeze_time("2026-10-03 09:00"):
            self.review.action_prepare_agenda()
        self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def test_queries_do_not_grow_with_tickets(self):
        """Set-based: more tickets, breaches and complaints in the period, the
        same number of queries."""
        self._prepare_queries()
        first = self._prepare_queries()
        for day in range(20, 26):
            ticket = self._close_ticket(
                f"2026-09-{day} 10:00", f"2026-09-{day} 12:00", f"2026-09-{day} 20:00"
            )
            self.env["slm.breach"]._slm_create_for_clocks(ticket.slm_clock_ids)
            ticket.write(
                {"slm_complaint": True, "slm_complaint_date": f"2026-09-{day}"}
            )
        second = self._prepare_queries()
        self.assertEqual(len(self.review.snapshot["breaches"]), 3 + 2 * 6)
        self.assertEqual(len(self.review.snapshot["complaints"]), 1 + 6)
        self.assertLessEqual(second, first + 2)

    def test_minutes_content(self):
        self.review.action_meeting_held()
        self.review.decisions = "<p>T Decision: hire a third agent.</p>"
        with freeze_time("2026-10-05 10:00"):
            self._action(self.review, "T Hire an agent", "2026-11-30")
            self.a1.action_done()
            self.review.action_generate_minutes()
        snap = self.review.snapshot
        self.assertEqual([a["name"] for a in snap["new_actions"]], ["T Hire an agent"])
        # The carried action as it stands now: done since the agenda.
        self.assertEqual(
            [(a["name"], a["state"]) for a in snap["carried_actions"]],
            [("T Train the agents", "Done")],
        )
        minutes = str(self.review.minutes)
        for text in ("T Decision: hire a third agent.", "T Hire an agent", "75.0 %"):
            self.assertIn(text, minutes)
        # The figures are those of the agenda, not recomputed.
        self.assertEqual(snap["targets"], self.snap["targets"])


class TestTargetsToRevisit(SlmReviewCase):
    """Over-achievement: objective + 5 points (at most 100 %) in each of the
    last three months, with tickets measured in each."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sla = cls._agreement(
            [cls._target("resolution", 4, objective_pct=90, calendar_id=False)],
            name="T Generous SLA",
            structure="customer_based",
            partner_id=cls.customer.id,
            date_start="2026-01-01",
        )
        cls.target = cls.sla.target_ids

    def _met_ticket(self, day):
        return self._close_ticket(f"{day} 10:00", f"{day} 10:10", f"{day} 11:00")

    def _revisit(self, period_start="2026-09-01", period_end="2026-09-30"):
        review = self._review(
            agreement_ids=[(6, 0, self.sla.ids)],
            period_start=period_start,
            period_end=period_end,
        )
        with freeze_time("2026-10-03 09:00"):
            review.action_prepare_agenda()
        return review.snapshot["targets_to_revisit"]

    def test_over_achieved_three_months(self):
        # 100 % in July, August and September (objective 90: bar 95 %).
        for day in ("2026-07-07", "2026-08-04", "2026-09-08", "2026-09-09"):
            self._met_ticket(day)
        revisit = self._revisit()
        self.assertEqual(
            [(r["target_id"], r["reason"]) for r in revisit],
            [(self.target.id, "over_achieved")],
        )
        self.assertIn("100 %, 100 %, 100 %", revisit[0]["detail"])

    def test_month_without_tickets_proves_nothing(self):
        # Nothing measured in August: not over-achieved.
        for day in ("2026-07-07", "2026-09-08"):
            self._met_ticket(day)
        self.assertEqual(self._revisit(), [])

    def test_below_the_bar(self):
        # July: 1 met of 2 = 50 %: the three months are not all >= 95 %.
        self._met_ticket("2026-07-07")
        self._close_ticket("2026-07-08 10:00", "2026-07-08 10:10", "2026-07-08 18:00")
        for day in ("2026-08-04", "2026-09-08"):
            self._met_ticket(day)
        self.assertEqual(self._revisit(), [])

    def test_quarter_period_months(self):
        """A quarter counts its three months; the trend starts three months
        earlier (six months in all)."""
        for day in ("2026-07-07", "2026-08-04", "2026-09-08"):
            self._met_ticket(day)
        review = self._review(
            agreement_ids=[(6, 0, self.sla.ids)],
            period_start="2026-07-01",
            period_end="2026-09-30",
        )
        with freeze_time("2026-10-03 09:00"):
            review.action_prepare_agenda()
        snap = review.snapshot
        self.assertEqual(
            snap["period"]["months"], ["2026-07-01", "2026-08-01", "2026-09-01"]
        )
        self.assertEqual(snap["months"][0], "2026-04-01")
        entry = snap["targets"][0]
        self.assertEqual((entry["measured"], entry["met"]), (3, 3))
        self.assertEqual(entry["attainment"], 100.0)
        self.assertTrue(entry["achieved"])
        self.assertEqual(review.name, "Service Review T Customer 2026-Q3")


class TestProcessReviewAgenda(SlmReviewCase):
    """The annual review of the SLM process of a company of its own, so that
    the counts are those of this test only. Everything happens on
    2026-11-22 (frozen); the period is the year 2026."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2026-11-22 10:00"):
            cls._build_company()

    @classmethod
    def _build_company(cls):
        Company = cls.env["res.company"]
        cls.company_p = company = Company.create({"name": "T Process Co"})
        for user in (cls.process_owner, cls.slm_manager):
            user.write({"company_ids": [(4, company.id)]})
        env = cls.env(context=dict(cls.env.context, allowed_company_ids=company.ids))
        Service = env["slm.service"]
        cls.svc_p = Service.create(
            {
                "code": "TPROC",
                "name": "T Process Service",
                "owner_id": cls.process_owner.id,
                "state": "live",
                "company_id": company.id,
            }
        )
        cls.svc_p2 = Service.create(
            {
                "code": "TPROC2",
                "name": "T Other Process Service",
                "owner_id": cls.process_owner.id,
                "state": "live",
                "company_id": company.id,
            }
        )
        Team = env["helpdesk.ticket.team"]
        cls.team_p = Team.create({"name": "T Desk P", "company_id": company.id})
        cls.team_p2 = Team.create({"name": "T Second P", "company_id": company.id})
        Stage = env["helpdesk.ticket.stage"]
        cls.stage_new_p = Stage.create(
            {"name": "T New P", "sequence": 1, "company_id": company.id}
        )
        cls.stage_done_p = Stage.create(
            {
                "name": "T Done P",
                "sequence": 9,
                "closed": True,
                "company_id": company.id,
            }
        )

        def resolution(hours=4):
            return cls._target("resolution", hours, objective_pct=90, calendar_id=False)

        def sla(name, start, services, targets=None, agree=True, **vals):
            values = {
                "name": name,
                "kind": "sla",
                "structure": "service_based",
                "company_id": company.id,
                "service_ids": [(6, 0, services.ids)],
                "date_start": start,
            }
            values.update(vals)
            if not agree:
                values["target_ids"] = [(0, 0, t) for t in targets or [resolution()]]
                return env["slm.agreement"].create(values)
            return cls._agreement(targets or [resolution()], **values)

        # Volume. SLA A: new in 2026, with an availability target. SLA B: from
        # 2025, revised today (revision 2 agreed, revision 1 superseded).
        # SLA C: ended (expired) in May. SLA D: a draft. SLA E: terminated
        # today. OLA A: new in 2026.
        cls.sla_a = sla(
            "T SLA A",
            "2026-02-01",
            cls.svc_p,
            targets=[
                resolution(),
                {
                    "name": "T availability P",
                    "metric": "availability",
                    "objective_pct": 99.9,
                    "warning_pct": 50,
                    "around_the_clock": True,
                    "calendar_id": False,
                },
            ],
        )
        cls.sla_b = sla("T SLA B", "2025-06-01", cls.svc_p2)
        cls.sla_c = sla("T SLA C", "2025-01-01", cls.svc_p2, date_end="2026-05-31")
        cls.sla_d = sla("T SLA D", "2026-06-01", cls.svc_p2, agree=False)
        cls.sla_e = sla("T SLA E", "2024-01-01", cls.svc_p2)
        cls.sla_e.termination_reason = "Customer left"
        cls.sla_e.action_terminate()
        cls.ola_a = cls._agreement(
            [resolution(3)],
            name="T OLA A",
            kind="ola",
            company_id=company.id,
            team_id=cls.team_p2.id,
            service_ids=[(6, 0, cls.svc_p.ids)],
            date_start="2026-03-01",
        )
        action = cls.sla_b.action_new_revision()
        cls.sla_b2 = env["slm.agreement"].browse(action["res_id"])
        cls._agree(cls.sla_b2)

        # Impact: three tickets under SLA A in March: met, breached, breached
        # and excused (under analysis).
        def ticket(created, closed):
            t = cls._ticket(
                cls,
                created,
                company_id=company.id,
                service_id=cls.svc_p.id,
                team_id=cls.team_p.id,
                stage_id=cls.stage_new_p.id,
            )
            cls._at(cls, closed, t, stage_id=cls.stage_done_p.id)
            return t

        ticket("2026-03-02 10:00", "2026-03-02 12:00")
        kb = ticket("2026-03-03 10:00", "2026-03-03 16:00")
        kc = ticket("2026-03-04 10:00", "2026-03-04 20:00")
        Breach = cls.env["slm.breach"]
        Breach._slm_create_for_clocks((kb | kc).slm_clock_ids)
        breach_c = Breach.search([("ticket_id", "=", kc.id)])
        breach_c.write({"excuse_reason": "force_majeure", "excuse_note": "Storm."})
        breach_c.action_request_excuse()
        # Four eyes: a Service Level Manager decides what the system asked.
        breach_c.with_user(cls.slm_manager).with_context(
            allowed_company_ids=company.ids
        ).action_approve_excuse()
        breach_c.action_start_analysis()
        # Availability: 10 h down in April: (720 - 10) / 720 = 98.61 % < 99.9 %.
        env["slm.outage"].create(
            {
                "name": "T Outage P",
                "service_id": cls.svc_p.id,
                "kind": "unplanned",
                "date_start": "2026-04-10 00:00:00",
                "date_end": "2026-04-10 10:00:00",
            }
        )

        # Process issues: an open and a resolved catalogue discrepancy.
        Discrepancy = env["slm.catalogue.discrepancy"]
        Discrepancy.create(
            {
                "name": "T Wrong hours",
                "service_id": cls.svc_p.id,
                "aspect": "support_hours",
                "description": "The catalogue says office hours.",
            }
        )
        solved = Discrepancy.create(
            {
                "name": "T Wrong owner",
                "service_id": cls.svc_p.id,
                "aspect": "owner",
                "description": "Someone else owns it.",
                "resolution": "Corrected.",
            }
        )
        solved.action_resolve()

        # Amendments: a maintenance window approved today.
        Adjustment = env["slm.adjustment"].with_user(cls.process_owner)
        window = Adjustment.create(
            {
                "name": "T Upgrade window",
                "agreement_id": cls.sla_a.id,
                "kind": "maintenance",
                "date_start": "2026-12-05 02:00:00",
                "date_end": "2026-12-05 04:00:00",
                "reason": "Upgrade",
            }
        )
        window.action_submit()
        window.with_user(cls.slm_manager).action_approve()

        # Actions: last year's process review left one open (overdue since
        # February) and one done; an overdue action of the other company is
        # not this company's business.
        Review = env["slm.review"].with_user(cls.process_owner)
        with freeze_time("2026-01-10 10:00"):
            cls.review_2025 = Review.create(
                {
                    "kind": "process",
                    "company_id": company.id,
                    "period_start": "2025-01-01",
                    "period_end": "2025-12-31",
                }
            )
            cls.action_open = cls._action(
                cls.review_2025, "T Write the process manual", "2026-02-28"
            )
            cls._action(cls.review_2025, "T Name a deputy", "2026-02-28").action_done()
            main_review = cls._review(agreement_ids=[(6, 0, [])])
            cls._action(main_review, "T Main company action", "2026-02-28")
        cls.review_2026 = Review.create(
            {
                "kind": "process",
                "company_id": company.id,
                "period_start": "2026-01-01",
                "period_end": "2026-12-31",
            }
        )
        cls.review_2026.action_prepare_agenda()
        cls.process = cls.review_2026.snapshot["process"]

    def _by_kind(self, key):
        return {bucket["kind_code"]: bucket for bucket in self.process[key]}

    def test_volume(self):
        volume = self._by_kind("agreements_by_kind")
        self.assertEqual(set(volume), {"sla", "ola"})
        self.assertEqual(
            volume["sla"]["states"],
            {
                "Agreed": 2,
                "Superseded": 1,
                "Expired": 1,
                "Draft": 1,
                "Terminated": 1,
            },
        )
        self.assertEqual(
            (volume["sla"]["total"], volume["sla"]["new"], volume["sla"]["ended"]),
            (6, 1, 2),
        )
        self.assertEqual(volume["ola"]["states"], {"Agreed": 1})
        self.assertEqual((volume["ola"]["new"], volume["ola"]["ended"]), (1, 0))

    def test_impact(self):
        self.assertEqual(
            self._by_kind("breaches_by_kind")["sla"],
            {"kind": "SLA", "kind_code": "sla", "counted": 1, "excused": 1},
        )
        attainment = self._by_kind("attainment_by_kind")
        self.assertEqual(set(attainment), {"sla"})
        sla = attainment["sla"]
        self.assertEqual(
            (sla["met"], sla["breached"], sla["excused"], sla["measured"]),
            (1, 1, 1, 2),
        )
        self.assertEqual(sla["attainment"], 50.0)
        misses = self.process["availability_misses"]
        self.assertEqual(len(misses), 1)
        self.assertEqual(misses[0]["month"], "2026-04-01")
        self.assertEqual(misses[0]["availability"], 98.61)
        self.assertEqual(misses[0]["objective"], 99.9)

    def test_cost(self):
        if "contract_value" in self.env["slm.agreement"]._fields:
            self.assertEqual(
                {
                    v["kind_code"]: v["value"] for v in self.process["contract_values"]
                }.get("sla"),
                0.0,
            )
        else:
            self.assertIsNone(self.process["contract_values"])

    def test_process_issues(self):
        # Four SLA targets in force or in preparation are backed by nothing:
        # SLA A's two, SLA B revision 2's, SLA D's.
        self.assertEqual(
            self.process["alignment_gaps"],
            [{"issue_type": "No Underpinning", "count": 4}],
        )
        self.assertEqual(self.process["alignment_gap_count"], 4)
        self.assertEqual(self.process["unanalysed_breaches"], 1)
        self.assertEqual(self.process["breaches_under_analysis"], 1)
        self.assertEqual(
            [a["name"] for a in self.process["overdue_actions"]],
            ["T Write the process manual"],
        )
        self.assertEqual(
            [
                (d["name"], d["aspect"], d["state"])
                for d in self.process["discrepancies"]
            ],
            [("T Wrong hours", "Support hours", "New")],
        )

    def test_amendments(self):
        self.assertEqual(
            [(r["agreement"], r["revision"]) for r in self.process["revisions"]],
            [(self.sla_b2.display_name, 2)],
        )
        self.assertEqual(
            [c["name"] for c in self.process["temporary_changes"]],
            ["T Upgrade window"],
        )

    def test_carried_actions_and_html(self):
        self.assertEqual(self.review_2026.carried_action_ids, self.action_open)
        self.assertEqual(self.review_2026.snapshot["targets"], [])
        html = str(self.review_2026.agenda)
        for text in ("Volume of agreements", "T Write the process manual", "50.0 %"):
            self.assertIn(text, html)
        self.assertEqual(self.review_2026.name, "SLM Process Review 2026")
