# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Supplier performance per contract and month, service credits, freezing of
confirmed months, supplier breaches, the scorecard, access. Every expected
figure is worked by hand below; instants are UTC, months are those of
Brussels (UTC+1 in winter), the company's time zone."""

import json
from ast import literal_eval
from unittest.mock import patch

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.slm_catalogue.tests.common import pdf_text

from ..models.slm_supplier_period import service_credit
from .common import SupplierPerformanceCase, utc

NOW = utc(2026, 3, 10, 12)


@tagged("post_install", "-at_install")
class TestSupplierPerformance(SupplierPerformanceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Fee 4000, 5 % per breach beyond 2, cap 25 %.
        cls.uc = cls._uc(
            cls.supplier,
            "T Fibre access",
            "FN-1",
            supplier_manager_id=cls.supplier_manager.id,
        )
        cls.response, cls.resolution = cls._targets(cls.uc)
        # January 2026 (Brussels):
        # response: met x3 (one at 00:30 on 1 January in Brussels, still 31
        # December in UTC), breached x1 -> 3/4 = 75 % (objective 90: missed)
        cls._settled(
            cls.response,
            "met",
            utc(2026, 1, 5, 10),
            utc(2026, 1, 12, 10),
            utc(2025, 12, 31, 23, 30),
        )
        cls._settled(cls.response, "breached", utc(2026, 1, 20, 10))
        # resolution: met x2, breached x3 (one at 23:30 on 31 January in
        # Brussels), 1 breach excused -> 2/5 = 40 % (objective 80: missed)
        cls._settled(cls.resolution, "met", utc(2026, 1, 6, 10), utc(2026, 1, 7, 10))
        cls._settled(
            cls.resolution,
            "breached",
            utc(2026, 1, 8, 10),
            utc(2026, 1, 9, 10),
            utc(2026, 1, 31, 22, 30),
        )
        cls._settled(cls.resolution, "breached", utc(2026, 1, 15, 10), excused=True)
        # Outside January: 00:30 on 1 February in Brussels (February), and
        # 23:00 on 31 December in Brussels (December).
        cls._settled(cls.response, "met", utc(2026, 1, 31, 23, 30))
        cls._settled(cls.resolution, "breached", utc(2025, 12, 31, 22))

    def _refresh(self, at=NOW, **kwargs):
        with freeze_time(at):
            return self.Period._slm_refresh(**kwargs)

    # ------------------------------------------------------------------
    # Attainment per contract and month
    # ------------------------------------------------------------------

    def test_attainment_per_contract_and_month(self):
        rows = self._refresh(agreements=self.uc)
        # In force since 2025-01-01: the default window is the last 12
        # months, April 2025 to March 2026.
        self.assertEqual(len(rows), 12)
        self.assertEqual(min(rows.mapped("period_start")).isoformat(), "2025-04-01")
        january = self._row(self.uc, "2026-01-01")
        # met 3 + 2 = 5, breached 1 + 3 = 4, excused 1; 5 / 9 = 55.56 %
        self.assertRecordValues(
            january,
            [
                {
                    "supplier_id": self.supplier.id,
                    "measured": 9,
                    "met": 5,
                    "breached": 4,
                    "excused": 1,
                    "targets_missed": 2,
                    "state": "computed",
                }
            ],
        )
        self.assertAlmostEqual(january.attainment, 100 * 5 / 9)
        self.assertEqual(january.period_end.isoformat(), "2026-01-31")
        by_target = {line.target_id: line for line in january.line_ids}
        self.assertRecordValues(
            by_target[self.response],
            [
                {
                    "measured": 4,
                    "met": 3,
                    "breached": 1,
                    "excused": 0,
                    "attainment": 75.0,
                    "objective_pct": 90.0,
                    "achieved": False,
                }
            ],
        )
        self.assertRecordValues(
            by_target[self.resolution],
            [
                {
                    "measured": 5,
                    "met": 2,
                    "breached": 3,
                    "excused": 1,
                    "attainment": 40.0,
                    "objective_pct": 80.0,
                    "achieved": False,
                }
            ],
        )
        february = self._row(self.uc, "2026-02-01")
        self.assertEqual((february.measured, february.met), (1, 1))
        self.assertEqual(february.attainment, 100.0)
        self.assertEqual(february.targets_missed, 0)
        self.assertTrue(february.line_ids.achieved)
        december = self._row(self.uc, "2025-12-01")
        self.assertEqual((december.measured, december.breached), (1, 1))
        self.assertEqual(december.attainment, 0.0)
        # A month in force without clocks: a row, nothing measured.
        march = self._row(self.uc, "2026-03-01")
        self.assertEqual((march.measured, march.attainment), (0, 0.0))
        self.assertFalse(march.line_ids)

    def test_group_attainment_is_met_over_measured(self):
        """December (0/1), January (5/9) and February (1/1) together:
        6 / 11 = 54.55 %, not the average of 0, 55.56 and 100 (51.85)."""
        self._refresh(agreements=self.uc)
        [(attainment, measured)] = self.Period._read_group(
            [
                ("agreement_id", "=", self.uc.id),
                ("period_start", ">=", "2025-12-01"),
                ("period_start", "<=", "2026-02-01"),
            ],
            [],
            ["attainment:avg", "measured:sum"],
        )
        self.assertEqual(measured, 11)
        self.assertAlmostEqual(attainment, 100 * 6 / 11)
        # Per target: response Jan 3/4 + Feb 1/1 = 4/5 = 80 %.
        [(line_attainment,)] = self.env["slm.supplier.period.line"]._read_group(
            [("target_id", "=", self.response.id)], [], ["attainment:avg"]
        )
        self.assertAlmostEqual(line_attainment, 80.0)

    def test_refresh_is_idempotent_and_follows_the_clocks(self):
        self._refresh(agreements=self.uc)
        january = self._row(self.uc, "2026-01-01")
        self._refresh(agreements=self.uc)
        self.assertEqual(self._row(self.uc, "2026-01-01"), january)
        self.assertEqual(
            self.Period.search_count([("agreement_id", "=", self.uc.id)]), 12
        )
        # A breach excused since: the computed month follows.
        clock = self.Clock.search(
            [
                ("agreement_id", "=", self.uc.id),
                ("status", "=", "breached"),
                ("settled_date", "=", utc(2026, 1, 8, 10)),
            ]
        )
        clock.sudo().excused = True
        self._refresh(agreements=self.uc)
        self.assertEqual((january.breached, january.excused), (3, 2))
        # 5 / 8 = 62.5 %; 3 breaches: (3 - 2) x 5 % x 4000 = 200
        self.assertEqual(january.attainment, 62.5)
        self.assertEqual(january.credit_amount, 200.0)

    def test_refresh_costs_the_same_queries_for_more_contracts(self):
        """Set-based: two or three contracts cost the same number of queries,
        to create their months and to count them again."""
        contracts = [
            self._uc(self.supplier_2, f"T Bulk {n}", f"BULK-{n}") for n in range(6)
        ]
        for contract in contracts:
            response, resolution = self._targets(contract)
            self._settled(response, "met", utc(2026, 2, 3, 10))
            self._settled(resolution, "breached", utc(2026, 2, 4, 10))
        counts = []
        # The first batch warms the caches up.
        for batch in (contracts[:1], contracts[1:3], contracts[3:6]) * 2:
            agreements = self.env["slm.agreement"].browse([c.id for c in batch])
            self.env.flush_all()
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            self._refresh(
                agreements=agreements,
                date_from=utc(2026, 1, 1).date(),
                date_to=utc(2026, 2, 1).date(),
            )
            self.env.flush_all()
            counts.append(self.cr.sql_log_count - start)
        # Creating the months of 2 or 3 contracts; counting them again.
        self.assertEqual(counts[1], counts[2], counts)
        self.assertEqual(counts[4], counts[5], counts)
        self.assertEqual(
            self.Period.search_count(
                [("agreement_id", "in", [c.id for c in contracts])]
            ),
            12,
        )

    # ------------------------------------------------------------------
    # Service credits
    # ------------------------------------------------------------------

    def test_service_credit_formula(self):
        # (fee, % per breach, allowance, cap %, breaches)
        # -> (credited breaches, uncapped, credit)
        cases = [
            ((4000, 5, 2, 25, 4), (2, 400.0, 400.0)),  # (4 - 2) x 5 % x 4000
            ((4000, 5, 2, 25, 10), (8, 1600.0, 1000.0)),  # capped at 25 % x 4000
            ((4000, 5, 2, 25, 1), (0, 0.0, 0.0)),  # within the allowance
            ((4000, 5, 2, 25, 2), (0, 0.0, 0.0)),
            ((4000, 5, 0, 25, 3), (3, 600.0, 600.0)),  # no allowance
            ((4000, 5, 2, 0, 9), (7, 1400.0, 0.0)),  # cap 0: no credit
            ((0, 5, 2, 25, 9), (7, 0.0, 0.0)),  # no fee
        ]
        for args, expected in cases:
            with self.subTest(args=args):
                credited, uncapped, credit = service_credit(*args)
                self.assertEqual(credited, expected[0])
                self.assertAlmostEqual(uncapped, expected[1])
                self.assertAlmostEqual(credit, expected[2])

    def test_credits_per_contract_and_month(self):
        uc_2 = self._uc(self.supplier_2, "T Cabling", "CW-1")
        response, resolution = self._targets(uc_2)
        # February: 10 breaches -> (10 - 2) x 5 % x 4000 = 1600, cap 1000.
        self._settled(
            resolution,
            "breached",
            *[utc(2026, 2, day, 10) for day in range(2, 12)],
        )
        # January: 1 breach -> within the allowance: 0.
        self._settled(response, "breached", utc(2026, 1, 14, 10))
        self._refresh()
        january = self._row(self.uc, "2026-01-01")
        self.assertRecordValues(
            january,
            [
                {
                    "monthly_fee": 4000.0,
                    "credit_pct_per_breach": 5.0,
                    "breach_allowance": 2,
                    "credit_cap_pct": 25.0,
                    "credited_breaches": 2,
                    "credit_uncapped": 400.0,
                    "credit_amount": 400.0,
                    "capped": False,
                }
            ],
        )
        self.assertRecordValues(
            self._row(uc_2, "2026-02-01"),
            [
                {
                    "breached": 10,
                    "credited_breaches": 8,
                    "credit_uncapped": 1600.0,
                    "credit_amount": 1000.0,
                    "capped": True,
                }
            ],
        )
        self.assertEqual(self._row(uc_2, "2026-01-01").credit_amount, 0.0)
        # Summed per supplier and period: January 400 + 0.
        totals = dict(
            self.Period._read_group(
                [("period_start", "=", "2026-01-01")]
                + [("agreement_id", "in", (self.uc | uc_2).ids)],
                ["supplier_id"],
                ["credit_amount:sum"],
            )
        )
        self.assertEqual(totals, {self.supplier: 400.0, self.supplier_2: 0.0})

    def test_computed_month_takes_new_terms(self):
        self._refresh(agreements=self.uc)
        self.uc.write({"monthly_fee": 5000})
        self._refresh(agreements=self.uc)
        # (4 - 2) x 5 % x 5000
        self.assertEqual(self._row(self.uc, "2026-01-01").credit_amount, 500.0)

    # ------------------------------------------------------------------
    # Confirmation: a confirmed month is frozen
    # ------------------------------------------------------------------

    def test_confirmed_month_is_not_recounted(self):
        self._refresh(agreements=self.uc)
        january = self._row(self.uc, "2026-01-01")
        with freeze_time(NOW):
            january.with_user(self.supplier_manager).action_confirm()
        self.assertEqual(january.state, "confirmed")
        self.assertEqual(january.confirmed_by_id, self.supplier_manager)
        self.assertIn("400", january.message_ids[0].body)
        # Later: a breach settles in January (recomputed clock), the fee changes.
        self._settled(self.response, "breached", utc(2026, 1, 21, 10))
        self.uc.write({"monthly_fee": 8000})
        with freeze_time(NOW):
            self.Period._cron_refresh()
        self.assertRecordValues(
            january,
            [
                {
                    "state": "confirmed",
                    "breached": 4,
                    "measured": 9,
                    "monthly_fee": 4000.0,
                    "credit_amount": 400.0,
                    "recount_differs": True,
                }
            ],
        )
        # The recount with the frozen terms: (5 - 2) x 5 % x 4000 = 600.
        self.assertIn("5 breached", january.recount_note)
        self.assertIn("600", january.recount_note)
        self.assertEqual(len(january.line_ids), 2)
        self.assertEqual(
            january.line_ids.filtered(
                lambda line: line.target_id == self.response
            ).breached,
            1,
        )
        # A second recount does not post again.
        messages = len(january.message_ids)
        self._refresh(agreements=self.uc)
        self.assertEqual(len(january.message_ids), messages)
        # Reset: recounted with the contract's terms now (fee 8000):
        # (5 - 2) x 5 % x 8000 = 1200, capped at 25 % x 8000 = 2000: 1200.
        with freeze_time(NOW):
            january.with_user(self.supplier_manager).action_reset()
        self.assertRecordValues(
            january,
            [
                {
                    "state": "computed",
                    "breached": 5,
                    "credit_amount": 1200.0,
                    "recount_differs": False,
                    "confirmed_by_id": False,
                }
            ],
        )
        self.assertIn("1,200.00", january.message_ids[0].body)

    def test_claim_a_confirmed_credit(self):
        self._refresh(agreements=self.uc)
        january = self._row(self.uc, "2026-01-01").with_user(self.supplier_manager)
        with self.assertRaisesText(UserError, "Confirm"):
            january.action_claim()
        with freeze_time(NOW):
            january.action_confirm()
        with self.assertRaisesText(UserError, "claim reference"):
            january.action_claim()
        self.assertEqual(january.state, "confirmed")
        january.claim_ref = "CN-2026-0042"
        with freeze_time(NOW):
            january.action_claim()
        self.assertRecordValues(
            january,
            [
                {
                    "state": "claimed",
                    "claimed_by_id": self.supplier_manager.id,
                    "claim_ref": "CN-2026-0042",
                }
            ],
        )
        self.assertEqual(january.claimed_date.isoformat(), "2026-03-10")
        with self.assertRaisesText(UserError, "claim reference is kept"):
            january.claim_ref = "CN-other"
        with self.assertRaisesText(UserError, "Only a confirmed month"):
            january.action_reset()
        with self.assertRaisesText(UserError, "kept as the record"):
            january.sudo().unlink()
        # Nothing to claim in February.
        february = self._row(self.uc, "2026-02-01").with_user(self.supplier_manager)
        with freeze_time(NOW):
            february.action_confirm()
        february.claim_ref = "CN-0"
        with self.assertRaisesText(UserError, "no service credit"):
            february.action_claim()
        self.assertEqual(february.state, "confirmed")

    def test_confirm_only_past_computed_months(self):
        self._refresh(agreements=self.uc)
        march = self._row(self.uc, "2026-03-01").with_user(self.supplier_manager)
        with freeze_time(NOW), self.assertRaisesText(UserError, "not over yet"):
            march.action_confirm()
        self.assertEqual(march.state, "computed")
        january = self._row(self.uc, "2026-01-01").with_user(self.supplier_manager)
        with freeze_time(NOW):
            january.action_confirm()
            with self.assertRaisesText(UserError, "already confirmed"):
                january.action_confirm()

    def test_figures_are_not_edited_by_hand(self):
        self._refresh(agreements=self.uc)
        january = self._row(self.uc, "2026-01-01").with_user(self.supplier_manager)
        for vals in (
            {"breached": 0},
            {"credit_amount": 0},
            {"state": "confirmed"},
            {"monthly_fee": 1},
        ):
            with self.subTest(vals=vals), self.assertRaisesText(UserError, "by hand"):
                january.write(vals)
        self.assertEqual((january.breached, january.credit_amount), (4, 400.0))
        january.note = "Disputed by the supplier: ticket 42 was ours."
        self.assertTrue(january.note)

    def test_cron_asks_to_confirm_last_month_once(self):
        self._refresh(agreements=self.uc)
        activity_type = self.env.ref(
            "slm_supplier.mail_activity_supplier_period_confirm"
        )
        with freeze_time(NOW):
            self.Period._cron_refresh()
            self.Period._cron_refresh()
        february = self._row(self.uc, "2026-02-01")
        activities = february.activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        )
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.supplier_manager)
        self.assertFalse(self._row(self.uc, "2026-01-01").activity_ids)
        self.assertFalse(self._row(self.uc, "2026-03-01").activity_ids)
        # Confirming it marks the activity done.
        with freeze_time(NOW):
            february.with_user(self.supplier_manager).action_confirm()
        february.invalidate_recordset(["activity_ids"])
        self.assertFalse(february.activity_ids)

    def test_cron_counts_in_batches_and_survives_a_bad_contract(self):
        """The hourly count goes through the suite's batches
        (``ir.cron._slm_run_batches``): every contract is counted in one run,
        progress is reported batch by batch, a second run writes nothing, and
        a contract whose count fails is logged and skipped, not the others."""
        other = self._uc(self.supplier_2, "T Dark fibre", "FN-2")
        self._settled(self._targets(other)[0], "breached", utc(2026, 2, 3, 10))
        Period = type(self.Period)
        real_count = Period._slm_count_clocks

        def failing_count(model, agreements, start, end):
            if self.uc in agreements:
                raise ValueError("this contract cannot be counted")
            return real_count(model, agreements, start, end)

        cron = self.env.ref("slm_supplier.ir_cron_supplier_performance")
        cron, progress = cron._add_progress()
        with (
            freeze_time(NOW),
            patch.object(Period, "_slm_count_clocks", failing_count),
            mute_logger("odoo.addons.slm_catalogue.models.ir_cron"),
        ):
            self.Period.with_context(ir_cron_progress_id=progress.id)._cron_refresh(
                batch_size=1
            )
        self.assertFalse(self.Period.search([("agreement_id", "=", self.uc.id)]))
        february = self._row(other, "2026-02-01")
        self.assertEqual((february.breached, february.measured), (1, 1))
        self.assertTrue(february.confirmation_requested)
        # The last batch reported: the confirmations, all done.
        self.assertEqual(progress.remaining, 0)
        self.assertGreaterEqual(progress.done, 1)
        # Next hour: the contract is counted; the other one is not rewritten.
        counted_at = february.computed_at
        later = NOW + relativedelta(hours=1)
        with freeze_time(later):
            self.Period._cron_refresh(batch_size=1)
        self.assertEqual(self._row(self.uc, "2026-01-01").breached, 4)
        self.assertEqual(february.computed_at, counted_at)
        activities = self.env["mail.activity"].search_count([])
        messages = self.env["mail.message"].search_count([])
        rows = self.Period.search([])
        stamps = rows.mapped("computed_at")
        with freeze_time(later + relativedelta(hours=1)):
            self.Period._cron_refresh(batch_size=1)
        self.assertEqual(self.Period.search([]), rows, "a second run: no new row")
        self.assertEqual(rows.mapped("computed_at"), stamps, "nor a figure written")
        self.assertEqual(self.env["mail.activity"].search_count([]), activities)
        self.assertEqual(self.env["mail.message"].search_count([]), messages)

    # ------------------------------------------------------------------
    # Contract terms
    # ------------------------------------------------------------------

    def test_credit_terms_constraints(self):
        cases = [
            ({"credit_pct_per_breach": -5}, "credit per breach is -5"),
            ({"credit_pct_per_breach": 150}, "from 0 to 100"),
            ({"breach_allowance": -1}, "breach allowance is -1"),
            ({"credit_cap_pct": 120}, "credit cap is 120"),
            ({"credit_cap_pct": -1}, "credit cap is -1"),
        ]
        for vals, message in cases:
            with self.subTest(vals=vals):
                with self.assertRaisesText(ValidationError, message):
                    self.uc.write(vals)
                with self.assertRaisesText(ValidationError, message):
                    self._uc(self.supplier_2, "T Bad terms", "BAD-1", **vals)
        self.uc.invalidate_recordset()
        self.assertRecordValues(
            self.uc,
            [
                {
                    "credit_pct_per_breach": 5.0,
                    "breach_allowance": 2,
                    "credit_cap_pct": 25.0,
                }
            ],
        )
        self.assertFalse(
            self.env["slm.agreement"].search([("contract_ref", "=", "BAD-1")])
        )
        # The bounds themselves are fine.
        self.uc.write(
            {"credit_pct_per_breach": 0, "breach_allowance": 0, "credit_cap_pct": 100}
        )
        self.assertEqual(self.uc.credit_cap_pct, 100.0)

    # ------------------------------------------------------------------
    # Supplier breaches
    # ------------------------------------------------------------------

    def test_supplier_breaches(self):
        breached = self.Clock.search(
            [("agreement_id", "=", self.uc.id), ("status", "=", "breached")]
        )
        breaches = self.env["slm.breach"]._slm_create_for_clocks(breached)
        self.assertEqual(len(breaches), 6)
        self.assertEqual(breaches.supplier_id, self.supplier)
        self.assertEqual(set(breaches.mapped("agreement_kind")), {"uc"})
        action = self.env.ref("slm_supplier.slm_breach_action_supplier")
        self.assertEqual(
            self.env["slm.breach"].search(
                literal_eval(action.domain) + [("supplier_id", "=", self.supplier.id)]
            ),
            breaches,
        )
        cause = self.env["slm.breach.cause"].create({"name": "T Supplier late"})
        breach = breaches[0].with_user(self.supplier_manager)
        breach.write({"cause_id": cause.id, "root_cause": "Splicing crew on leave."})
        with self.assertRaisesText(ValidationError, "action taken with the supplier"):
            breach.action_close()
        self.assertEqual(breach.state, "new")
        breach.write(
            {
                "supplier_action": "Formal notice sent; remediation plan by Friday.",
                "supplier_notified_date": "2026-01-09",
                "supplier_reference": "FN-INC-77",
            }
        )
        breach.action_close()
        self.assertEqual(breach.state, "closed")
        # An analyst investigates too.
        breaches[1].with_user(self.user_analyst).supplier_action = "Called them."
        self.assertEqual(breaches[1].supplier_action, "Called them.")
        self.assertFalse(
            self._can(self.agent, "write", breaches[1], {"supplier_action": "x"})
        )

    # ------------------------------------------------------------------
    # Scorecard
    # ------------------------------------------------------------------

    def test_scorecard(self):
        # March: response met (1), resolution breached (1): 1/2.
        self._settled(self.response, "met", utc(2026, 3, 2, 10))
        march_breach = self._settled(self.resolution, "breached", utc(2026, 3, 3, 10))
        # Another supplier's contract does not count.
        other = self._uc(self.supplier_2, "T Cabling", "CW-1", contract_value=7000)
        self._settled(self._targets(other)[0], "breached", utc(2026, 3, 4, 10))
        # Investigations: March's breach open, January's closed.
        Breach = self.env["slm.breach"]
        open_breach = Breach._slm_create_for_clocks(march_breach)
        january_clock = self.Clock.search(
            [
                ("agreement_id", "=", self.uc.id),
                ("settled_date", "=", utc(2026, 1, 8, 10)),
            ]
        )
        closed = Breach._slm_create_for_clocks(january_clock)
        closed.write(
            {
                "cause_id": self.env["slm.breach.cause"].create({"name": "T C"}).id,
                "root_cause": "Late.",
                "supplier_action": "Warned.",
            }
        )
        closed.action_close()
        # Compliance (when the checklists are installed): one requirement
        # compliant, one pending past its due date.
        compliance = "slm.supplier.compliance" in self.env
        if compliance:
            self.env["slm.supplier.compliance"].create(
                [
                    {
                        "agreement_id": self.uc.id,
                        "name": "T Insurance",
                        "area": "legal",
                        "state": "compliant",
                    },
                    {
                        "agreement_id": self.uc.id,
                        "name": "T ISO 27001",
                        "area": "security",
                        "date_due": "2026-03-01",
                    },
                ]
            )
        with freeze_time(NOW):
            self.Period._slm_refresh()
            partner = self.supplier.with_user(self.user_analyst)
            partner.invalidate_recordset()
            # Contracts in force: the one UC, value 48000, fee 4000.
            self.assertEqual(partner.slm_supplier_contract_count, 1)
            self.assertEqual(partner.slm_supplier_contract_value, 48000.0)
            self.assertEqual(partner.slm_supplier_monthly_fee, 4000.0)
            # This month (March): 1/2; quarter and year (January to March):
            # (5 + 1 + 1) / (9 + 1 + 2) = 7/12; December is last year.
            self.assertEqual(partner.slm_supplier_attainment_month, 50.0)
            self.assertEqual(partner.slm_supplier_measured_month, 2)
            self.assertAlmostEqual(partner.slm_supplier_attainment_quarter, 58.33)
            self.assertEqual(partner.slm_supplier_measured_quarter, 12)
            self.assertAlmostEqual(partner.slm_supplier_attainment_year, 58.33)
            # Breaches this year: 4 (January) + 1 (March); excused 1.
            self.assertEqual(partner.slm_supplier_breached_year, 5)
            self.assertEqual(partner.slm_supplier_excused_year, 1)
            # Credits: January 400; March's 1 breach is within the allowance.
            self.assertEqual(partner.slm_supplier_credit_year, 400.0)
            self.assertEqual(partner.slm_supplier_credit_claimed_year, 0.0)
            self.assertEqual(partner.slm_supplier_open_breach_count, 1)
            if compliance:
                self.assertEqual(partner.slm_supplier_compliance_status, "overdue")
                self.assertIn("1 overdue", partner.slm_supplier_compliance_summary)
            data = partner._slm_supplier_scorecard_data()[partner.id]
        # Trend: October 2025 to March 2026.
        self.assertEqual(
            [
                (m["month"].isoformat(), m["measured"], round(m["attainment"], 2))
                for m in data["trend"]
            ],
            [
                ("2025-10-01", 0, 0.0),
                ("2025-11-01", 0, 0.0),
                ("2025-12-01", 1, 0.0),
                ("2026-01-01", 9, 55.56),
                ("2026-02-01", 1, 100.0),
                ("2026-03-01", 2, 50.0),
            ],
        )
        self.assertEqual(open_breach.supplier_id, self.supplier)
        self.assertEqual(
            other.supplier_id.with_user(self.user_analyst).slm_supplier_contract_value,
            7000.0,
        )

    def test_scorecard_months_are_the_contracts(self):
        """Period rule: one definition of a month. With the company in UTC
        and a contract in Europe/Brussels, a clock settled at 23:30 UTC on
        31 January (00:30 on 1 February in Brussels) counts in February in
        the attainment report and in the scorecard; one at 22:30 UTC (23:30
        in Brussels) stays in January."""
        self.company.resource_calendar_id.tz = "UTC"
        self.company.partner_id.tz = "UTC"
        uc = self._uc(self.supplier_2, "T Cabling", "CW-2", tz="Europe/Brussels")
        self.assertEqual(uc.tz, "Europe/Brussels")
        response = self._targets(uc)[0]
        late = self._settled(response, "met", utc(2026, 1, 31, 23, 30))
        self._settled(response, "breached", utc(2026, 1, 31, 22, 30))
        report = self.env["slm.attainment.report"].search(
            [("agreement_id", "=", uc.id)]
        )
        self.assertEqual(
            sorted((row.period_date.isoformat(), row.met) for row in report),
            [("2026-01-01", 0), ("2026-02-01", 1)],
        )
        self.assertEqual(late.period_date.isoformat(), "2026-02-01")
        with freeze_time(NOW):
            self.Period._slm_refresh(agreements=uc)
            partner = self.supplier_2.with_user(self.user_analyst)
            data = partner._slm_supplier_scorecard_data()[partner.id]
        trend = {
            m["month"].isoformat(): (m["measured"], m["met"]) for m in data["trend"]
        }
        self.assertEqual(trend["2026-01-01"], (1, 0))
        self.assertEqual(trend["2026-02-01"], (1, 1))
        # At 23:40 UTC on 31 January the company is still in January, the
        # contract in February: its current month is February, the clock
        # shows at once (this month, and the trend's last month).
        with freeze_time(utc(2026, 1, 31, 23, 40)):
            self.Period._slm_refresh(agreements=uc)
            partner = self.supplier_2.with_user(self.user_analyst)
            partner.invalidate_recordset()
            self.assertEqual(partner.slm_supplier_measured_month, 1)
            self.assertEqual(partner.slm_supplier_attainment_month, 100.0)
            data = partner._slm_supplier_scorecard_data()[partner.id]
        self.assertEqual(
            [(m["month"].isoformat(), m["measured"]) for m in data["trend"][-2:]],
            [("2026-01-01", 1), ("2026-02-01", 1)],
        )

    def test_scorecard_report_renders(self):
        self._refresh(agreements=self.uc)
        with freeze_time(NOW):
            html, report_type = (
                self.env["ir.actions.report"]
                .with_user(self.user_analyst)
                ._render_qweb_html(
                    "slm_supplier.action_report_supplier_scorecard", self.supplier.ids
                )
            )
        self.assertEqual(report_type, "html")
        html = html.decode()
        self.assertIn("T Fibre Networks", html)
        self.assertIn("Supplier Scorecard", html)
        self.assertIn("55.56 %", html)  # January in the trend
        self.assertIn("T Fibre access", html)  # contract in force
        # Not rendered as PDF here: wkhtmltopdf fetches the report's assets
        # from the web server, which a TransactionCase does not run (it waits
        # until killed).

    # ------------------------------------------------------------------
    # Access
    # ------------------------------------------------------------------

    def test_access(self):
        self._refresh(agreements=self.uc)
        january = self._row(self.uc, "2026-01-01")
        line = january.line_ids[0]
        # Analysts (and service owners) read, do not confirm.
        for user in (self.user_analyst, self.owner):
            with self.subTest(user=user.login):
                self.assertTrue(self._can(user, "read", january))
                self.assertTrue(self._can(user, "read", line))
                with freeze_time(NOW), self.assertRaises(AccessError):
                    january.with_user(user).action_confirm()
                with self.assertRaises(AccessError):
                    january.with_user(user).action_refresh()
                self.assertFalse(self._can(user, "write", january, {"note": "x"}))
        self.assertEqual(january.state, "computed")
        # Helpdesk agents and plain SLM users: nothing.
        for user in (self.agent, self.user_reader):
            with self.subTest(user=user.login):
                self.assertFalse(self._can(user, "read", january))
                self.assertFalse(self._can(user, "read", line))
        # Nobody creates months by hand; the Process Owner deletes a computed one.
        self.assertFalse(
            self._can(
                self.process_owner,
                "create",
                self.Period,
                {"agreement_id": self.uc.id, "period_start": "2024-01-01"},
            )
        )
        self.assertFalse(self._can(self.supplier_manager, "unlink", january))
        self.assertTrue(self._can(self.process_owner, "unlink", january))
        # The Supplier Manager confirms.
        with freeze_time(NOW):
            january.with_user(self.supplier_manager).action_confirm()
        self.assertEqual(january.state, "confirmed")
        # Scorecard fields are for analysts and up.
        with self.assertRaises(AccessError):
            self.supplier.with_user(self.agent).read(["slm_supplier_attainment_month"])
        self.assertTrue(
            self.supplier.with_user(self.user_analyst).read(
                ["slm_supplier_attainment_month"]
            )
        )


@tagged("post_install", "-at_install")
class TestSupplierScorecardUi(SupplierPerformanceCase, HttpCase):
    """The scorecard as PDF and the screens in the web client. An HttpCase:
    wkhtmltopdf and the browser load their assets from the server, which
    shares the test's transaction."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.uc = cls._uc(cls.supplier, "T Fibre access", "FN-1")
        response, resolution = cls._targets(cls.uc)
        last_month = fields.Datetime.now().replace(day=1) - relativedelta(months=1)
        cls._settled(response, "met", last_month + relativedelta(days=4, hours=10))
        cls._settled(
            resolution,
            "breached",
            *[last_month + relativedelta(days=day, hours=10) for day in (5, 6, 7)],
        )
        cls.Period._slm_refresh(cls.uc)
        cls.breach = cls.env["slm.breach"]._slm_create_for_clocks(
            cls.Clock.search(
                [("agreement_id", "=", cls.uc.id), ("status", "=", "breached")]
            )
        )[0]

    def test_scorecard_pdf(self):
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(
                "slm_supplier.action_report_supplier_scorecard", self.supplier.ids
            )
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        # PDF rules: real text, read back from the file.
        text = pdf_text(
            self.env, "slm_supplier.action_report_supplier_scorecard", self.supplier.ids
        )
        self.assertIn("Supplier Scorecard", text)
        self.assertIn(self.supplier.name, text)
        self.assertIn("Contracts in Force", text)
        self.assertIn("FN-1", text)

    def test_uc_document_pdf(self):
        """The agreement's PDF of a UC names the supplier and its contract."""
        text = pdf_text(self.env, "slm_agreements.action_report_agreement", self.uc.ids)
        self.assertIn("Supplier", text)
        self.assertIn(self.supplier.name, text)
        self.assertIn("FN-1", text)
        self.assertIn("T Fibre access", text)

    def _open(self, path, selector, login):
        """Open ``path`` in the web client as ``login``; succeed when
        ``selector`` shows, opening the "More" smart buttons after 3 s (any
        client error fails the test)."""
        selector = json.dumps(selector)
        code = (
            "(async () => {"
            "  for (let i = 0; i < 150; i++) {"
            f"    if (document.querySelector({selector})) {{"
            "      console.log('test successful');"
            "      return;"
            "    }"
            # Smart buttons beyond the first few sit in the "More" dropdown.
            "    const more = document.querySelector('.o_button_more');"
            "    if (more && i === 30) { more.click(); }"
            "    await new Promise((resolve) => setTimeout(resolve, 100));"
            "  }"
            f"  console.error('Not shown: ' + {selector});"
            "})();"
        )
        self.browser_js(path, code, ready="", login=login, timeout=60)

    def test_screens_open(self):
        login = self.supplier_manager.login
        period = self.Period.search(
            [("agreement_id", "=", self.uc.id), ("measured", ">", 0)]
        )
        screens = [
            (
                "/odoo/action-slm_supplier.res_partner_action_slm_scorecard",
                ".o_kanban_record:not(.o_kanban_ghost)",
            ),
            (
                "/odoo/action-slm_supplier.res_partner_action_slm_scorecard/"
                f"{self.supplier.id}",
                ".o_slm_supplier_trend",
            ),
            ("/odoo/action-slm_supplier.slm_supplier_period_action", ".o_pivot"),
            (
                "/odoo/action-slm_supplier.slm_supplier_period_action_credit",
                ".o_list_renderer",
            ),
            ("/odoo/action-slm_supplier.slm_supplier_mi_report_action", ".o_pivot"),
            (
                "/odoo/action-slm_supplier.slm_breach_action_supplier",
                ".o_list_renderer",
            ),
            (
                f"/odoo/action-slm_supplier.slm_breach_action_supplier/{self.breach.id}",
                ".o_notebook a[name='supplier']",
            ),
            (
                f"/odoo/action-slm_supplier.slm_agreement_action_uc/{self.uc.id}",
                "button[name='action_view_supplier_periods']",
            ),
            (
                f"/odoo/action-slm_supplier.slm_supplier_period_action/{period.id}",
                "button[name='action_confirm']",
            ),
        ]
        for path, selector in screens:
            with self.subTest(path=path):
                self._open(path, selector, login)
