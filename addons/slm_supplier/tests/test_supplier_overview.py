# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The supplier section of the SLM overview (reporting display rule 4 of
slm_agreements): each figure equals the contracts counted independently, and
its domain opens exactly those."""

from datetime import date, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import SupplierCompCase

TODAY = date(2027, 1, 10)


@tagged("post_install", "-at_install")
class TestSupplierOverview(SupplierCompCase):
    def test_contract_figures_match_their_records(self):
        # Notice deadlines (renewal date - 60 days): 2027-01-30, warned from
        # 2026-12-31 (due); 2027-01-01 (passed); 2027-04-01 (not yet).
        due = self._uc(renewal_date="2027-03-31")
        passed = self._uc(renewal_date="2027-03-02")
        ahead = self._uc(renewal_date="2027-05-31")
        given = self._uc(renewal_date="2027-03-31")
        given._system_write({"notice_given_date": "2027-01-05"})
        with freeze_time(TODAY):
            data = self.env["slm.overview"].with_user(self.manager).get_overview()
            items = {item["key"]: item for s in data["sections"] for item in s["items"]}
            contracts = self.Agreement.search([("kind", "=", "uc")])
            open_ = contracts.filtered(
                lambda c: c.state == "agreed" and not c.notice_given_date
            )
            expected = {
                "uc_notice_passed": open_.filtered(
                    lambda c: c.notice_deadline
                    and c.notice_deadline < TODAY <= c.renewal_due_date
                ),
                "uc_notice_due": open_.filtered(
                    lambda c: c.notice_warning_date
                    and c.notice_warning_date <= TODAY <= c.notice_deadline
                ),
                "uc_renewal_due": contracts.filtered(
                    lambda c: c.state == "agreed"
                    and c.renewal_due_date
                    and TODAY <= c.renewal_due_date <= TODAY + timedelta(days=90)
                ),
            }
            found = {
                key: self.Agreement.search(items[key]["domain"]) for key in expected
            }
        self.assertIn(due, expected["uc_notice_due"])
        self.assertIn(passed, expected["uc_notice_passed"])
        self.assertNotIn(
            ahead, expected["uc_notice_due"] | expected["uc_notice_passed"]
        )
        self.assertNotIn(given, expected["uc_notice_due"])
        for key, records in expected.items():
            with self.subTest(key=key):
                self.assertEqual(items[key]["count"], len(records))
                self.assertEqual(found[key], records)
