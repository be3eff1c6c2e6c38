# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, TransactionCase, tagged
from odoo.tools.safe_eval import safe_eval

from odoo.addons.slm_catalogue.tests.common import AccessCheckMixin

from ..tools.alignment import uncovered, worst_lateness
from ..tools.timeline import Timeline
from .common import AgreementCase

# A Wednesday in winter: the reference week runs from Monday 12 January 2026,
# 00:00 UTC, to Monday 19 January. Brussels is then UTC+1, New York UTC-5.
WINTER = "2026-01-07 10:00:00"
# Between the two changes to summer time: New York on summer time since
# 8 March (UTC-4), Brussels not until 29 March (UTC+1). Reference week:
# Monday 16 March 2026.
MARCH = "2026-03-11 10:00:00"
H = 3600


@tagged("post_install", "-at_install")
class TestAlignment(AccessCheckMixin, AgreementCase):
    """SLA targets against the OLA targets that underpin them: the gaps found,
    kept current, the bad input refused, and who may see and do what."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.new_york = cls.env["resource.calendar"].create(
            {
                "name": "T New York",
                "tz": "America/New_York",
                "attendance_ids": [(5, 0, 0)]
                + [
                    (
                        0,
                        0,
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": 9,
                            "hour_to": 17,
                            "day_period": "morning",
                        },
                    )
                    for day in range(5)
                ],
            }
        )
        # Same hours as office_hours (Brussels, 8-17 Monday to Friday), another record.
        cls.office_copy = cls._calendar("T Office Copy", range(5))
        cls.Issue = cls.env["slm.alignment.issue"]

    # ------------------------------------------------------------------
    # Builders
    # ------------------------------------------------------------------

    def _t(self, metric="resolution", hours=8, calendar=None, objective=95, **vals):
        values = {
            "metric": metric,
            "threshold_hours": hours,
            "objective_pct": objective,
        }
        if isinstance(calendar, str):  # "24x7"
            values["around_the_clock"] = True
        else:
            values["calendar_id"] = (calendar or self.office_hours).id
        values.update(vals)
        return values

    def _sla(self, *targets, agree=True, **vals):
        values = {
            "name": "T SLA",
            "kind": "sla",
            "structure": "service_based",
            "service_ids": [(6, 0, self.service.ids)],
            "date_start": "2025-12-01",
            "customer_signed_by_id": self.contact.id,
            "customer_signed_date": "2025-11-30",
            "target_ids": [(0, 0, target) for target in targets],
        }
        values.update(vals)
        agreement = self.Agreement.create(values)
        if agree:
            agreement.action_agree()
        return agreement

    def _ola(self, *targets, agree=True, **vals):
        values = {
            "name": "T OLA",
            "kind": "ola",
            "team_id": self.team.id,
            "date_start": "2025-12-01",
            "target_ids": [(0, 0, target) for target in targets],
        }
        values.update(vals)
        agreement = self.Agreement.create(values)
        if agree:
            agreement.action_agree()
        return agreement

    def _link(self, sla_target, *unders):
        sla_target.write({"underpinning_target_ids": [(4, u.id) for u in unders]})

    def _gaps(self, target):
        """{(gap, underpinning target): finding} of an SLA target."""
        issues = self.Issue.search([("sla_target_id", "=", target.id)])
        return {(i.issue_type, i.underpinning_target_id): i for i in issues}

    # ------------------------------------------------------------------
    # Each gap
    # ------------------------------------------------------------------

    @freeze_time(WINTER)
    def test_no_underpinning(self):
        sla = self._sla(self._t())
        target = sla.target_ids
        gaps = self._gaps(target)
        self.assertEqual(list(gaps), [("none", self.env["slm.target"])])
        explanation = gaps["none", self.env["slm.target"]].explanation
        # Modules adding kinds of underpinning (slm_supplier: "OLA or UC")
        # name them after the OLA.
        self.assertIn(
            f"{sla.reference} resolution 8 h is not underpinned: no OLA", explanation
        )
        self.assertIn("target backs it", explanation)
        self.assertEqual(sla.alignment_issue_count, 1)
        self.assertEqual(sla.alignment_issue_ids.sla_target_id, target)

    @freeze_time(WINTER)
    def test_longer_threshold_same_hours(self):
        sla = self._sla(self._t(hours=8, calendar="24x7"))
        ola = self._ola(self._t(hours=16, calendar="24x7"))
        self._link(sla.target_ids, ola.target_ids)
        gaps = self._gaps(sla.target_ids)
        self.assertEqual(list(gaps), [("threshold", ola.target_ids)])
        gap = gaps["threshold", ola.target_ids]
        self.assertEqual(gap.late_hours, 8)
        self.assertEqual(
            gap.explanation,
            f"{ola.reference} resolution 16 h backs {sla.reference} resolution 8 h: "
            "the team may take longer than the customer was promised.",
        )
        # The OLA agreement shows the gap too.
        self.assertEqual(ola.alignment_issue_count, 1)
        self.assertEqual(ola.underpinning_issue_ids, gap)

    @freeze_time(WINTER)
    def test_brussels_sla_backed_by_new_york_ola_is_narrower(self):
        sla = self._sla(self._t(hours=8))
        ola = self._ola(self._t(hours=8, calendar=self.new_york))
        self._link(sla.target_ids, ola.target_ids)
        gaps = self._gaps(sla.target_ids)
        self.assertEqual(
            set(gaps),
            {("calendar", ola.target_ids), ("threshold", ola.target_ids)},
        )
        # Brussels 8-17 is 07:00-16:00 UTC, New York 9-17 is 14:00-22:00 UTC:
        # 07:00-14:00 UTC is not covered, 7 h a day, 35 h a week.
        narrower = gaps["calendar", ola.target_ids]
        self.assertEqual(narrower.uncovered_hours, 35)
        self.assertEqual(narrower.example_date, datetime(2026, 1, 12, 7, 0))
        self.assertEqual(narrower.example_end, datetime(2026, 1, 12, 14, 0))
        self.assertIn("leaves 35 h a week", narrower.explanation)
        self.assertIn("Monday 08:00 to 15:00 (Europe/Brussels)", narrower.explanation)
        # A ticket created on Monday 08:00 in Brussels (07:00 UTC): due at
        # 16:00 Brussels (15:00 UTC) for the customer; the team starts at
        # 14:00 UTC and is due at 22:00 UTC: 7 h later. No start is worse.
        later = gaps["threshold", ola.target_ids]
        self.assertEqual(later.late_hours, 7)
        self.assertEqual(later.example_date, datetime(2026, 1, 12, 7, 0))
        self.assertIn("up to 7 h after the customer's", later.explanation)
        self.assertIn("Monday 08:00 (Europe/Brussels)", later.explanation)

    @freeze_time(MARCH)
    def test_time_zones_are_compared_in_absolute_time(self):
        # 16 March 2026: Brussels 8-17 is 07:00-16:00 UTC, New York 9-17 (summer
        # time already) 13:00-21:00 UTC: 6 h a day, 30 h a week uncovered.
        sla = self._sla(self._t(hours=8))
        ola = self._ola(self._t(hours=8, calendar=self.new_york))
        self._link(sla.target_ids, ola.target_ids)
        narrower = self._gaps(sla.target_ids)["calendar", ola.target_ids]
        self.assertEqual(narrower.uncovered_hours, 30)
        self.assertEqual(narrower.example_date, datetime(2026, 3, 16, 7, 0))
        self.assertEqual(narrower.example_end, datetime(2026, 3, 16, 13, 0))

    @freeze_time(WINTER)
    def test_24x7_sla_backed_by_office_hours_is_narrower(self):
        sla = self._sla(self._t(hours=8, calendar="24x7"))
        ola = self._ola(self._t(hours=8))
        self._link(sla.target_ids, ola.target_ids)
        gaps = self._gaps(sla.target_ids)
        self.assertEqual(
            set(gaps),
            {("calendar", ola.target_ids), ("threshold", ola.target_ids)},
        )
        # 168 h a week, of which 5 x 9 h are office hours.
        narrower = gaps["calendar", ola.target_ids]
        self.assertEqual(narrower.uncovered_hours, 123)
        self.assertEqual(narrower.example_date, datetime(2026, 1, 12, 0, 0))
        self.assertEqual(narrower.example_end, datetime(2026, 1, 12, 7, 0))
        self.assertIn("(24x7)", narrower.explanation)
        # A ticket created on Friday 17:00 in Brussels is due on Saturday
        # 01:00 for the customer, on Monday 16:00 for the team: 63 h later.
        later = gaps["threshold", ola.target_ids]
        self.assertEqual(later.late_hours, 63)
        self.assertEqual(later.example_date, datetime(2026, 1, 16, 16, 0))
        self.assertIn("Friday 17:00 (Europe/Brussels)", later.explanation)

    @freeze_time(WINTER)
    def test_24x7_ola_longer_than_business_hours_sla(self):
        # SLA: 8 business hours of 8-17. OLA: 10 h around the clock. A ticket
        # created at 08:00 is due at 16:00 for the customer, at 18:00 for the
        # team: 2 h later. The 24x7 OLA covers every working hour.
        sla = self._sla(self._t(hours=8))
        ola = self._ola(self._t(hours=10, calendar="24x7"))
        self._link(sla.target_ids, ola.target_ids)
        gaps = self._gaps(sla.target_ids)
        self.assertEqual(list(gaps), [("threshold", ola.target_ids)])
        self.assertEqual(gaps["threshold", ola.target_ids].late_hours, 2)
        self.assertEqual(
            gaps["threshold", ola.target_ids].example_date,
            datetime(2026, 1, 12, 7, 0),
        )

    @freeze_time(WINTER)
    def test_lower_objective(self):
        sla = self._sla(self._t(objective=95))
        ola = self._ola(self._t(objective=90))
        self._link(sla.target_ids, ola.target_ids)
        gaps = self._gaps(sla.target_ids)
        self.assertEqual(list(gaps), [("objective", ola.target_ids)])
        explanation = gaps["objective", ola.target_ids].explanation
        self.assertIn("promises 90 % of the tickets", explanation)

    @freeze_time(WINTER)
    def test_underpinning_not_in_force(self):
        sla = self._sla(self._t(), self._t(metric="response", hours=2))
        resolution, response = sla.target_ids
        draft = self._ola(self._t(), agree=False)
        self._link(resolution, draft.target_ids)
        gaps = self._gaps(resolution)
        self.assertEqual(list(gaps), [("not_in_force", draft.target_ids)])
        self.assertEqual(gaps["not_in_force", draft.target_ids].reason, "not_agreed")
        self.assertIn(
            "is draft, not agreed", gaps["not_in_force", draft.target_ids].explanation
        )
        # Ending before an open-ended SLA.
        ending = self._ola(self._t(metric="response", hours=1), date_end="2026-06-30")
        self._link(response, ending.target_ids)
        gap = self._gaps(response)["not_in_force", ending.target_ids]
        self.assertEqual(gap.reason, "ends_earlier")
        self.assertIn(f"while {sla.display_name} is open-ended", gap.explanation)
        # Starting after the SLA (which is in force since December).
        later = self._ola(self._t(), date_start="2026-02-01")
        self._link(resolution, later.target_ids)
        self.assertEqual(
            self._gaps(resolution)["not_in_force", later.target_ids].reason,
            "starts_later",
        )

    @freeze_time(WINTER)
    def test_well_aligned_sla_has_no_gap(self):
        sla = self._sla(
            self._t(metric="response", hours=4, objective=90),
            self._t(metric="resolution", hours=8, objective=95),
            date_end="2026-12-31",
        )
        response, resolution = sla.target_ids
        # Faster, around the clock, higher objective.
        fast = self._ola(self._t(metric="response", hours=2, calendar="24x7"))
        # Equal calendars: the same hours, in another record, and the same record.
        equal = self._ola(
            self._t(calendar=self.office_copy),
            self._t(calendar=self.office_hours, hours=6),
            date_end="2027-06-30",
        )
        self._link(response, fast.target_ids)
        self._link(resolution, *equal.target_ids)
        self.assertFalse(self._gaps(response))
        self.assertFalse(self._gaps(resolution))
        self.assertEqual(sla.alignment_issue_count, 0)

    @freeze_time(WINTER)
    def test_availability_backed_by_availability(self):
        # Availability has no threshold: working hours and objective compare.
        sla = self._sla(
            self._t(metric="availability", hours=0, calendar="24x7", objective=99.5)
        )
        ola = self._ola(self._t(metric="availability", hours=0, objective=99))
        self._link(sla.target_ids, ola.target_ids)
        gaps = self._gaps(sla.target_ids)
        self.assertEqual(
            set(gaps), {("calendar", ola.target_ids), ("objective", ola.target_ids)}
        )
        self.assertEqual(gaps["calendar", ola.target_ids].uncovered_hours, 123)
        self.assertIn(
            f"{sla.reference} availability 99.5 %",
            gaps["objective", ola.target_ids].explanation,
        )
        # Another metric cannot back it.
        response = self._ola(self._t(metric="response", hours=1, calendar="24x7"))
        with self.assertRaisesText(ValidationError, "same metric"):
            self._link(sla.target_ids, response.target_ids)
        self.assertEqual(sla.target_ids.underpinning_target_ids, ola.target_ids)

    # ------------------------------------------------------------------
    # Bad input
    # ------------------------------------------------------------------

    @freeze_time(WINTER)
    def test_metric_mismatch_is_refused(self):
        sla = self._sla(self._t(metric="resolution"))
        ola = self._ola(self._t(metric="response", hours=1))
        target, under = sla.target_ids, ola.target_ids
        before = self._gaps(target)
        with self.assertRaisesText(ValidationError, "same metric"):
            self._link(target, under)
        # From the OLA side too.
        with self.assertRaisesText(ValidationError, "same metric"):
            under.write({"underpins_target_ids": [(4, target.id)]})
        # Nor at creation.
        count = self.Target.search_count([])
        with self.assertRaisesText(ValidationError, "same metric"):
            self.Target.create(
                dict(
                    self._t(metric="resolution"),
                    agreement_id=self._sla(agree=False).id,
                    underpinning_target_ids=[(6, 0, under.ids)],
                )
            )
        self.assertEqual(self.Target.search_count([]), count)
        self.env.invalidate_all()
        self.assertFalse(target.underpinning_target_ids)
        self.assertFalse(under.underpins_target_ids)
        self.assertEqual(self._gaps(target).keys(), before.keys())

    @freeze_time(WINTER)
    def test_only_ola_targets_underpin_only_sla_targets(self):
        sla = self._sla(self._t(), self._t(hours=4))
        ola = self._ola(self._t(), self._t(hours=4))
        with self.assertRaisesText(ValidationError, "backed by targets of OLA"):
            self._link(sla.target_ids[0], sla.target_ids[1])
        with self.assertRaisesText(ValidationError, "cannot underpin itself"):
            self._link(sla.target_ids[0], sla.target_ids[0])
        with self.assertRaisesText(ValidationError, "only the targets of SLAs"):
            self._link(ola.target_ids[0], ola.target_ids[1])
        other_company = self.env["res.company"].create({"name": "T Other Company"})
        other_team = self.env["helpdesk.ticket.team"].create(
            {"name": "T Other Team", "company_id": other_company.id}
        )
        foreign = (
            self.env["slm.agreement"]
            .with_company(other_company)
            .create(
                {
                    "name": "T Foreign OLA",
                    "kind": "ola",
                    "team_id": other_team.id,
                    "company_id": other_company.id,
                    "date_start": "2025-12-01",
                    "target_ids": [(0, 0, self._t(calendar="24x7"))],
                }
            )
        )
        with self.assertRaisesText(ValidationError, "different companies"):
            self._link(sla.target_ids[0].sudo(), foreign.target_ids.sudo())
        self.env.invalidate_all()
        self.assertFalse(sla.target_ids.underpinning_target_ids)
        self.assertFalse(ola.target_ids.underpinning_target_ids)

    @freeze_time(WINTER)
    def test_links_change_when_agreed_terms_do_not(self):
        sla = self._sla(self._t())
        ola = self._ola(self._t())
        self._link(sla.target_ids, ola.target_ids)
        self.assertEqual(sla.target_ids.underpinning_target_ids, ola.target_ids)
        with self.assertRaisesText(UserError, "cannot be changed in place"):
            sla.target_ids.write(
                {"threshold_hours": 4, "underpinning_target_ids": [(5, 0, 0)]}
            )
        self.assertEqual(sla.target_ids.threshold_hours, 8)
        self.assertEqual(sla.target_ids.underpinning_target_ids, ola.target_ids)
        # Through the agreement's tab Underpinning, which is not frozen.
        with Form(sla) as form, form.alignment_target_ids.edit(0) as line:
            line.underpinning_target_ids.remove(ola.target_ids.id)
        self.assertFalse(sla.target_ids.underpinning_target_ids)
        self.assertIn(("none", self.env["slm.target"]), self._gaps(sla.target_ids))
        with Form(sla) as form, form.alignment_target_ids.edit(0) as line:
            line.underpinning_target_ids.add(ola.target_ids)
        self.assertEqual(sla.target_ids.underpinning_target_ids, ola.target_ids)
        self.assertFalse(self._gaps(sla.target_ids))

    @freeze_time(WINTER)
    def test_domain_offers_ola_targets_of_the_same_metric(self):
        sla = self._sla(self._t())
        ola = self._ola(self._t(), self._t(metric="response", hours=1))
        target = sla.target_ids
        field = target._fields["underpinning_target_ids"]
        domain = safe_eval(
            field._description_domain(self.env),
            {"metric": target.metric, "company_id": target.company_id.id},
        )
        offered = self.env["slm.target"].search(domain)
        self.assertIn(ola.target_ids[0], offered)
        self.assertNotIn(ola.target_ids[1], offered)
        self.assertNotIn(target, offered)

    # ------------------------------------------------------------------
    # Kept current
    # ------------------------------------------------------------------

    @freeze_time(WINTER)
    def test_findings_follow_changes(self):
        sla = self._sla(self._t(hours=8, calendar="24x7"))
        target = sla.target_ids
        self.assertEqual(set(self._gaps(target)), {("none", self.env["slm.target"])})
        # A draft OLA, linked: not in force, and its threshold is longer.
        ola = self._ola(self._t(hours=12, calendar="24x7"), agree=False)
        under = ola.target_ids
        self._link(target, under)
        self.assertEqual(
            set(self._gaps(target)), {("not_in_force", under), ("threshold", under)}
        )
        # Its threshold shortened while it is still a draft.
        under.threshold_hours = 6
        self.assertEqual(set(self._gaps(target)), {("not_in_force", under)})
        # Agreed: aligned.
        ola.action_agree()
        self.assertFalse(self._gaps(target))
        # Terminated: no longer in force.
        ola.write({"termination_reason": "Team reorganised"})
        ola.action_terminate()
        gaps = self._gaps(target)
        self.assertEqual(set(gaps), {("not_in_force", under)})
        self.assertEqual(gaps["not_in_force", under].reason, "closed")
        # A new draft OLA target, linked, then deleted with its agreement.
        other = self._ola(self._t(hours=6, calendar="24x7"), agree=False)
        self._link(target, other.target_ids)
        self.assertIn(("not_in_force", other.target_ids), self._gaps(target))
        other.unlink()
        self.assertEqual(set(self._gaps(target)), {("not_in_force", under)})
        # Unlinked: nothing backs it any more.
        target.write({"underpinning_target_ids": [(3, under.id)]})
        self.assertEqual(set(self._gaps(target)), {("none", self.env["slm.target"])})
        # The SLA terminated: its targets are no longer checked.
        sla.write({"termination_reason": "Customer left"})
        sla.action_terminate()
        self.assertFalse(self._gaps(target))

    @freeze_time(WINTER)
    def test_deleting_an_ola_target_leaves_the_sla_target_unbacked(self):
        sla = self._sla(self._t(calendar="24x7"))
        ola = self._ola(self._t(calendar="24x7"), self._t(calendar="24x7"), agree=False)
        self._link(sla.target_ids, ola.target_ids[0])
        self.assertIn(("not_in_force", ola.target_ids[0]), self._gaps(sla.target_ids))
        ola.target_ids[0].unlink()
        self.assertEqual(
            set(self._gaps(sla.target_ids)), {("none", self.env["slm.target"])}
        )

    @freeze_time(WINTER)
    def test_check_alignment_and_daily_action_catch_calendar_changes(self):
        sla = self._sla(self._t(hours=8))
        ola = self._ola(self._t(hours=8, calendar=self.office_copy))
        self._link(sla.target_ids, ola.target_ids)
        self.assertFalse(self._gaps(sla.target_ids))
        # The team's calendar starts an hour later: not a change of a target.
        self.office_copy.attendance_ids.write({"hour_from": 9})
        self.assertFalse(self._gaps(sla.target_ids))
        sla.with_user(self.analyst).action_check_alignment()
        gap = self._gaps(sla.target_ids)["calendar", ola.target_ids]
        self.assertEqual(gap.uncovered_hours, 5)
        # Back to 8: the daily action removes the gap.
        self.office_copy.attendance_ids.write({"hour_from": 8})
        self.env.ref("slm_agreements.ir_cron_check_alignment").method_direct_trigger()
        self.assertFalse(self._gaps(sla.target_ids))

    @freeze_time(WINTER)
    def test_new_revision_keeps_its_underpinning(self):
        sla = self._sla(self._t())
        ola = self._ola(self._t())
        self._link(sla.target_ids, ola.target_ids)
        action = sla.action_new_revision()
        revision = self.env["slm.agreement"].browse(action["res_id"])
        self.assertEqual(revision.target_ids.underpinning_target_ids, ola.target_ids)
        self.assertFalse(self._gaps(revision.target_ids))
        # A new revision of the OLA does not back anything by itself.
        ola_action = ola.action_new_revision()
        ola_revision = self.env["slm.agreement"].browse(ola_action["res_id"])
        self.assertFalse(ola_revision.target_ids.underpins_target_ids)

    # ------------------------------------------------------------------
    # Access
    # ------------------------------------------------------------------

    @freeze_time(WINTER)
    def test_access(self):
        Target = self.env["slm.target"]
        sla = self._sla(self._t())
        ola = self._ola(self._t())
        issue = sla.alignment_issue_ids
        self.assertEqual(issue.issue_type, "none")
        for user in (
            self.reader,
            self.analyst,
            self.owner,
            self.supplier_manager,
            self.manager,
            self.process_owner,
        ):
            with self.subTest(user=user.login):
                self.assertTrue(self._can(user, "read", issue))
                # Derived data: nobody edits the findings by hand.
                self.assertFalse(self._can(user, "write", issue, {"key": "x"}))
                self.assertFalse(self._can(user, "unlink", issue))
                self.assertFalse(
                    self._can(
                        user,
                        "create",
                        self.Issue,
                        {
                            "key": "x",
                            "sla_target_id": sla.target_ids.id,
                            "issue_type": "none",
                        },
                    )
                )
        for user in (self.agent, self.outsider):
            with self.subTest(user=user.login):
                self.assertFalse(self._can(user, "read", issue))
        # Linking is a Service Level Manager's job.
        link = {"underpinning_target_ids": [(4, ola.target_ids.id)]}
        for user in (self.reader, self.analyst, self.supplier_manager):
            with self.subTest(user=user.login):
                self.assertFalse(self._can(user, "write", sla.target_ids, link))
        self.assertTrue(self._can(self.manager, "write", sla.target_ids, link))
        # Checking is open from the analyst up.
        with self.assertRaisesText(AccessError, "Only Service Level Analysts"):
            sla.with_user(self.reader).action_check_alignment()
        self.assertTrue(sla.with_user(self.analyst).action_check_alignment())
        self.Issue.with_user(self.analyst).action_check_alignment()
        self.assertEqual(set(self._gaps(sla.target_ids)), {("none", Target)})


@tagged("post_install", "-at_install")
class TestAlignmentTools(TransactionCase):
    """The interval arithmetic of the comparison, on hand-made timelines (hours)."""

    def test_timeline_and_uncovered(self):
        week = Timeline([(9 * H, 17 * H), (33 * H, 41 * H)])  # two days 9-17
        self.assertEqual(week.total, 16 * H)
        self.assertEqual(week.position(10 * H), 1 * H)
        self.assertEqual(week.add(16 * H, 2 * H), 34 * H)  # 1 h left, then 9-10
        self.assertEqual(week.add(17 * H, 8 * H), 41 * H)
        self.assertIsNone(week.add(40 * H, 2 * H))  # beyond the timeline
        offered = Timeline([(8 * H, 12 * H), (13 * H, 20 * H), (35 * H, 36 * H)])
        self.assertEqual(
            uncovered(week, offered, 0, 48 * H),
            [(12 * H, 13 * H), (33 * H, 35 * H), (36 * H, 41 * H)],
        )

    def test_worst_lateness(self):
        # Required: around the clock, 4 h. Offered: 9-17 each day, 4 h.
        days = [(d * 24 * H + 9 * H, d * 24 * H + 17 * H) for d in range(10)]
        offered = Timeline(days)
        required = Timeline([(0, 240 * H)])
        late, when = worst_lateness(required, 4 * H, offered, 4 * H, 24 * H, 48 * H)
        # Created at 13:00 + e: due at 17:00 + e vs 09:00 + e the next day: 16 h.
        # 17:00 is the first boundary that shows it (due 21:00 vs 13:00 next day).
        self.assertEqual(late, 16 * H)
        self.assertEqual(when, 24 * H + 17 * H)
        # Offered faster and around the clock: never later.
        late, _when = worst_lateness(offered, 4 * H, required, 2 * H, 24 * H, 48 * H)
        self.assertLessEqual(late, 0)


@tagged("post_install", "-at_install")
class TestAlignmentDemo(TransactionCase):
    """The demo shows one gap of each kind (skipped without demo data)."""

    def setUp(self):
        super().setUp()
        self.ola = self.env.ref(
            "slm_agreements.demo_ola_applications", raise_if_not_found=False
        )
        if not self.ola:
            self.skipTest("no demo data")

    def _ref(self, xml_id):
        return self.env.ref(f"slm_agreements.{xml_id}")

    def test_one_gap_of_each_kind(self):
        self.env["slm.alignment.issue"]._refresh_all()
        Target = self.env["slm.target"]
        network = self._ref("demo_target_ola_network_resolution")
        app_response = self._ref("demo_target_ola_applications_response")
        app_resolution = self._ref("demo_target_ola_applications_resolution")
        expected = {
            "demo_target_corporate_p3_response": set(),
            "demo_target_corporate_p3_resolution": set(),
            "demo_target_deco_addict_p3_resolution": {("threshold", network)},
            "demo_target_corporate_p1_resolution": {("none", Target)},
            "demo_target_erp_response": {
                ("objective", app_response),
                ("not_in_force", app_response),
            },
            "demo_target_erp_resolution_high": {
                ("calendar", app_resolution),
                ("threshold", app_resolution),
                ("not_in_force", app_resolution),
            },
        }
        for xml_id, gaps in expected.items():
            with self.subTest(target=xml_id):
                issues = self._ref(xml_id).alignment_issue_ids
                self.assertEqual(
                    {(i.issue_type, i.underpinning_target_id) for i in issues}, gaps
                )
