# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Management information (issue 5, item 7): volume, impact and cost of SLAs,
OLAs and UCs by month, and who sees it. Figures worked by hand below.

The report counts months in force up to the database's current date, so the
data lives in two months just before the current one (M1 and M2), not on a
frozen date."""

from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import SupplierPerformanceCase


@tagged("post_install", "-at_install")
class TestSupplierMi(SupplierPerformanceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        this_month = fields.Date.today().replace(day=1)
        cls.m1 = this_month - relativedelta(months=3)
        cls.m2 = this_month - relativedelta(months=2)
        m1, m2 = cls.m1, cls.m2
        # SLA from mid-M1, open-ended; OLA for M1 only; UC from M1 (agreed),
        # a second UC from M2 still in draft.
        cls.sla = cls._agreement(
            "sla",
            "T MI SLA",
            [cls._target("resolution", 8, 90)],
            date_start=m1 + timedelta(days=14),
        )
        cls.ola = cls._agreement(
            "ola",
            "T MI OLA",
            [cls._target("resolution", 4, 90)],
            date_start=m1,
            date_end=m2 - timedelta(days=1),
            state="expired",
        )
        cls.uc = cls._uc(cls.supplier, "T MI UC", "MI-1", date_start=m1)
        cls.uc_draft = cls._uc(
            cls.supplier,
            "T MI UC draft",
            "MI-2",
            date_start=m2,
            contract_value=10000,
            budget=0,
            state="draft",
        )
        cls.agreements = cls.sla | cls.ola | cls.uc | cls.uc_draft

        def at(month, day):
            return datetime.combine(month + timedelta(days=day - 1), time(12))

        # SLA in M2: met 2, breached 1, excused 1 -> 2 / 3
        sla_target = cls.sla.target_ids
        cls._settled(sla_target, "met", at(m2, 3), at(m2, 4))
        cls._settled(sla_target, "breached", at(m2, 5))
        cls._settled(sla_target, "breached", at(m2, 6), excused=True)
        # OLA in M1: breached 1 -> 0 / 1
        cls._settled(cls.ola.target_ids, "breached", at(m1, 10))
        # UC: M1 met 1, breached 3 (credit (3 - 2) x 5 % x 4000 = 200);
        # M2 met 1 (no credit).
        response, resolution = cls._targets(cls.uc)
        cls._settled(response, "met", at(m1, 3), at(m2, 3))
        cls._settled(resolution, "breached", at(m1, 4), at(m1, 5), at(m1, 6))
        cls.env["slm.supplier.period"]._slm_refresh(cls.uc, m1, m2)
        cls.Report = cls.env["slm.supplier.mi.report"]

    def _figures(self, user=None, groupby=("kind",), domain=()):
        Report = self.Report.with_user(user) if user else self.Report
        aggregates = [
            "agreement_count:sum",
            "in_force_count:sum",
            "contract_value:sum",
            "budget:sum",
            "fee:sum",
            "credit:sum",
            "net_cost:sum",
            "measured:sum",
            "met:sum",
            "breached:sum",
            "excused:sum",
            "attainment:avg",
        ]
        rows = Report._read_group(
            [
                ("agreement_id", "in", self.agreements.ids),
                ("period", ">=", self.m1),
                ("period", "<=", self.m2),
                *domain,
            ],
            list(groupby),
            aggregates,
        )
        names = [a.split(":")[0] for a in aggregates]
        count = len(groupby)
        result = {}
        for row in rows:
            keys, values = row[:count], row[count:]
            key = keys[0] if count == 1 else tuple(keys)
            result[key] = dict(zip(names, values, strict=True))
        return result

    def test_figures_per_kind(self):
        figures = self._figures()
        self.assertEqual(set(figures), {"sla", "ola", "uc"})
        sla, ola, uc = figures["sla"], figures["ola"], figures["uc"]
        # Volume: agreements starting in the period, agreements in force.
        self.assertEqual((sla["agreement_count"], sla["in_force_count"]), (1, 1))
        self.assertEqual((ola["agreement_count"], ola["in_force_count"]), (1, 1))
        # UCs: the agreed one and the draft start in the period; only the
        # agreed one is in force.
        self.assertEqual((uc["agreement_count"], uc["in_force_count"]), (2, 1))
        # Cost: value and budget of the UCs starting in the period (48000 +
        # 10000; 50000 + 0), fees over M1 and M2 (2 x 4000), credits (M1:
        # 200), net cost 8000 - 200.
        self.assertEqual(uc["contract_value"], 58000.0)
        self.assertEqual(uc["budget"], 50000.0)
        self.assertEqual(uc["fee"], 8000.0)
        self.assertEqual(uc["credit"], 200.0)
        self.assertEqual(uc["net_cost"], 7800.0)
        self.assertEqual((sla["fee"], sla["credit"], sla["contract_value"]), (0, 0, 0))
        # Impact: breaches, excused apart, attainment met / measured.
        self.assertEqual(
            (sla["measured"], sla["met"], sla["breached"], sla["excused"]),
            (3, 2, 1, 1),
        )
        self.assertAlmostEqual(sla["attainment"], 100 * 2 / 3)
        self.assertEqual((ola["measured"], ola["breached"]), (1, 1))
        self.assertEqual(ola["attainment"], 0.0)
        self.assertEqual(
            (uc["measured"], uc["met"], uc["breached"], uc["excused"]),
            (5, 2, 3, 0),
        )
        self.assertAlmostEqual(uc["attainment"], 40.0)

    def test_figures_per_month_and_status(self):
        by_month = self._figures(groupby=("period:month",))
        m1, m2 = by_month[self.m1], by_month[self.m2]
        # In force: M1 the OLA and the UC (the SLA starts on the 15th: also
        # M1); M2 the SLA and the UC (the OLA ended with M1).
        self.assertEqual(m1["in_force_count"], 3)
        self.assertEqual(m2["in_force_count"], 2)
        # Over both months each agreement counts once.
        self.assertEqual(self._figures(groupby=())[()]["in_force_count"], 3)
        self.assertEqual((m1["breached"], m2["breached"]), (4, 1))
        self.assertEqual((m1["credit"], m2["credit"]), (200.0, 0.0))
        self.assertEqual((m1["fee"], m2["fee"]), (4000.0, 4000.0))
        # Counts by kind and status.
        by_status = self._figures(groupby=("kind", "state"))
        self.assertEqual(
            {key: values["agreement_count"] for key, values in by_status.items()},
            {
                ("sla", "agreed"): 1,
                ("ola", "expired"): 1,
                ("uc", "agreed"): 1,
                ("uc", "draft"): 1,
            },
        )

    def test_access(self):
        # The Process Owner sees every kind.
        self.assertEqual(
            set(self._figures(user=self.process_owner)), {"sla", "ola", "uc"}
        )
        # A Supplier Manager the UC figures only.
        figures = self._figures(user=self.supplier_manager)
        self.assertEqual(set(figures), {"uc"})
        self.assertEqual(figures["uc"]["credit"], 200.0)
        # Analysts and helpdesk agents: no access.
        for user in (self.user_analyst, self.owner, self.agent):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._figures(user=user)
        # The menu follows.
        menu = self.env.ref("slm_supplier.slm_supplier_mi_report_menu")
        self.assertIn(
            self.env.ref("slm_catalogue.group_slm_supplier_manager"), menu.groups_id
        )
