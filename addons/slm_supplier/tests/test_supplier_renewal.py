# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import ast
from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import SupplierCompCase

NOTICE = "slm_supplier.mail_activity_type_notice_deadline"
RENEWAL_LOGGER = "odoo.addons.slm_catalogue.models.ir_cron"


@tagged("post_install", "-at_install")
class TestSupplierRenewal(SupplierCompCase):
    """Notice deadlines, their warnings, automatic renewal, notice and expiry."""

    def _run(self, day):
        with freeze_time(day):
            self.Agreement._cron_supplier_renewals()

    # ------------------------------------------------------------------
    # Notice deadline
    # ------------------------------------------------------------------

    def test_notice_deadline_hand_worked(self):
        # 2027-03-31 minus 60 days: 31 days back is 2027-02-28, 28 more is
        # 2027-01-31, one more is 2027-01-30. Warned 30 days earlier: 2026-12-31.
        contract = self._uc(renewal_date="2027-03-31", notice_period_days=60)
        self.assertEqual(contract.renewal_due_date, date(2027, 3, 31))
        self.assertEqual(contract.notice_deadline, date(2027, 1, 30))
        self.assertEqual(contract.notice_warning_date, date(2026, 12, 31))
        # No renewal date: counted back from the end date (30 June - 30 days).
        ending = self._uc(date_end="2027-06-30", notice_period_days=30)
        self.assertEqual(ending.notice_deadline, date(2027, 5, 31))
        # A renewal date wins over the end date.
        both = self._uc(
            renewal_date="2027-03-31", date_end="2027-12-31", notice_period_days=60
        )
        self.assertEqual(both.notice_deadline, date(2027, 1, 30))
        # Neither date: no deadline. Not a UC: no deadline either.
        self.assertFalse(self._uc().notice_deadline)
        sla = self.Agreement.create(
            {"name": "T SLA", "kind": "sla", "date_end": "2027-06-30"}
        )
        self.assertFalse(sla.notice_deadline)
        # Stored and indexed: searchable.
        found = self.Agreement.search([("notice_deadline", "=", "2027-01-30")])
        self.assertIn(contract, found)
        self.assertNotIn(ending, found)
        # A later renewal date moves the deadline with it (30 April - 60 days).
        contract._system_write({"renewal_date": "2027-04-30"})
        self.assertEqual(contract.notice_deadline, date(2027, 3, 1))
        with freeze_time("2027-01-20"):
            contract.invalidate_recordset(["days_to_notice_deadline"])
            self.assertEqual(contract.days_to_notice_deadline, 40)

    def test_warning_sent_once_then_again_after_a_change(self):
        contract = self._uc(renewal_date="2027-03-31", notice_period_days=60)
        other = self._uc(renewal_date="2027-03-31", notice_warning_days=10)
        self._run("2026-12-30")
        self.assertFalse(self._activities(contract, NOTICE))
        self._run("2026-12-31")
        activity = self._activities(contract, NOTICE)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.supplier_manager)
        self.assertEqual(activity.date_deadline, date(2027, 1, 30))
        self.assertEqual(len(self._notes(contract, "2027-01-30")), 1)
        self.assertEqual(contract.notice_warned_deadline, date(2027, 1, 30))
        # 10 days before its deadline only.
        self.assertFalse(self._activities(other, NOTICE))
        # Running again (the same day, the next days) sends nothing new.
        self._run("2026-12-31")
        self._run("2027-01-19")
        self.assertEqual(self._activities(contract, NOTICE), activity)
        self.assertEqual(len(self._notes(contract, "2027-01-30")), 1)
        self.assertFalse(self._activities(other, NOTICE))
        # The other one: 10 days before 2027-01-30.
        self._run("2027-01-20")
        self.assertEqual(len(self._activities(other, NOTICE)), 1)
        self.assertEqual(self._activities(contract, NOTICE), activity)
        # The renewal date moves: new deadline 2027-03-01, warned from
        # 2027-01-30 on, once; the warning about the old deadline is withdrawn.
        contract._system_write({"renewal_date": "2027-04-30"})
        self._run("2027-01-29")
        self.assertEqual(self._activities(contract, NOTICE), activity)
        self._run("2027-01-30")
        self._run("2027-01-30")
        new_activity = self._activities(contract, NOTICE)
        self.assertEqual(len(new_activity), 1)
        self.assertNotEqual(new_activity, activity)
        self.assertEqual(new_activity.date_deadline, date(2027, 3, 1))
        self.assertEqual(len(self._notes(contract, "2027-03-01")), 1)

    def test_who_is_warned(self):
        # No Supplier Manager: the agreement's Service Level Manager is.
        contract = self._uc(
            renewal_date="2027-03-31",
            supplier_manager_id=False,
            provider_user_id=self.manager.id,
        )
        self._run("2027-01-10")
        self.assertEqual(self._activities(contract, NOTICE).user_id, self.manager)
        # The person who records a UC watches it by default.
        recorded = self.Agreement.with_user(self.manager).create(
            {"name": "T Recorded", "kind": "uc", "supplier_id": self.supplier.id}
        )
        self.assertEqual(recorded.supplier_manager_id, self.manager)

    def test_deadline_passed_unseen_still_warned_until_renewal(self):
        # The action did not run in time: it still warns, saying so, up to
        # the renewal date, and not after.
        late = self._uc(renewal_date="2027-03-31")
        self._run("2027-02-15")
        activity = self._activities(late, NOTICE)
        self.assertEqual(activity.date_deadline, date(2027, 2, 15))
        self.assertEqual(len(self._notes(late, "The notice deadline has passed")), 1)
        gone = self._uc(renewal_date="2027-03-31")
        self._run("2027-04-01")
        self.assertFalse(self._activities(gone, NOTICE))

    def test_one_bad_contract_does_not_stop_the_others(self):
        bad = self._uc(name="T Bad", renewal_date="2027-03-31")
        good = self._uc(name="T Good", renewal_date="2027-03-31")
        Model = type(self.Agreement)
        original = Model._warn_notice_deadline

        def warn(records):
            # Fails half-way: what it wrote for the bad one is rolled back.
            result = original(records)
            if records == bad:
                raise ValueError("broken contract")
            return result

        with (
            patch.object(Model, "_warn_notice_deadline", warn),
            self.assertLogs(RENEWAL_LOGGER, level="ERROR") as logs,
        ):
            self._run("2027-01-10")
        self.assertIn("T Bad", "\n".join(logs.output))
        self.assertFalse(bad.notice_warned_deadline)
        self.assertFalse(self._activities(bad, NOTICE))
        self.assertEqual(good.notice_warned_deadline, date(2027, 1, 30))
        self.assertEqual(len(self._activities(good, NOTICE)), 1)
        # Next day, repaired: the bad one is warned too.
        self._run("2027-01-11")
        self.assertEqual(len(self._activities(bad, NOTICE)), 1)

    # ------------------------------------------------------------------
    # Automatic renewal, notice, expiry
    # ------------------------------------------------------------------

    def test_automatic_renewal_without_notice(self):
        contract = self._uc(
            renewal_type="automatic",
            renewal_date="2027-03-31",
            date_end="2027-03-30",
            renewal_term_months=12,
        )
        self._run("2027-03-30")
        self.assertEqual(contract.renewal_date, date(2027, 3, 31))
        self._run("2027-03-31")
        self.assertEqual(contract.renewal_date, date(2028, 3, 31))
        self.assertEqual(contract.date_end, date(2028, 3, 30))
        self.assertEqual(contract.state, "agreed")
        self.assertEqual(contract.notice_deadline, date(2028, 1, 31))
        self.assertEqual(len(self._notes(contract, "Renewed automatically")), 1)
        # Twice the same day: nothing more.
        self._run("2027-03-31")
        self.assertEqual(contract.renewal_date, date(2028, 3, 31))
        self.assertEqual(len(self._notes(contract, "Renewed automatically")), 1)

    def test_automatic_renewal_catches_up_and_beats_expiry(self):
        # Ended on 2027-03-30: the daily expiry runs first, on 2027-05-02 --
        # it renews (twice 1 month from 2027-03-31: 2027-05-31; the end date
        # 2027-03-30 by as much: 2027-05-30) instead of expiring.
        contract = self._uc(
            renewal_type="automatic",
            renewal_date="2027-03-31",
            date_end="2027-03-30",
            renewal_term_months=1,
        )
        manual = self._uc(renewal_date="2027-03-31", date_end="2027-03-30")
        with freeze_time("2027-05-02"):
            self.Agreement._cron_expire_agreements()
        self.assertEqual(contract.state, "agreed")
        self.assertEqual(contract.renewal_date, date(2027, 5, 31))
        self.assertEqual(contract.date_end, date(2027, 5, 30))
        self.assertEqual(len(self._notes(contract, "2 term(s)")), 1)
        # A manual renewal is not renewed: it expires at its end date.
        self.assertEqual(manual.state, "expired")
        self.assertEqual(manual.renewal_date, date(2027, 3, 31))

    def test_give_notice(self):
        contract = self._uc(
            renewal_type="automatic",
            renewal_date="2027-03-31",
            renewal_term_months=12,
        )
        self._run("2027-01-10")
        self.assertEqual(len(self._activities(contract, NOTICE)), 1)
        with freeze_time("2027-01-20"):
            contract.with_user(self.supplier_manager).action_give_notice()
        self.assertEqual(contract.notice_given_date, date(2027, 1, 20))
        self.assertEqual(contract.notice_given_by_id, self.supplier_manager)
        # It ends the day before it would have renewed.
        self.assertEqual(contract.date_end, date(2027, 3, 30))
        self.assertFalse(self._activities(contract, NOTICE))
        self.assertEqual(len(self._notes(contract, "in time")), 1)
        # Not renewed, then expired after its end.
        self._run("2027-03-31")
        self.assertEqual(contract.renewal_date, date(2027, 3, 31))
        with freeze_time("2027-03-31"):
            self.Agreement._cron_expire_agreements()
        self.assertEqual(contract.state, "expired")
        # Bad input: twice, or on a contract not in force; nothing written.
        draft = self._uc(agreed=False, renewal_date="2027-03-31")
        with self.assertRaisesText(UserError, "contracts in force"):
            draft.action_give_notice()
        self.assertFalse(draft.notice_given_date)
        self.assertFalse(draft.date_end)

    def test_late_notice_and_open_ended_contract(self):
        open_ended = self._uc(notice_period_days=90)
        with freeze_time("2027-01-01"):
            open_ended.action_give_notice()
        # 2027-01-01 + 90 days: 31 (Jan) + 28 (Feb) + 31 (Mar) -> 2027-04-01.
        self.assertEqual(open_ended.date_end, date(2027, 4, 1))
        late = self._uc(renewal_date="2027-03-31")
        with freeze_time("2027-02-04"):
            late.action_give_notice()
        self.assertEqual(len(self._notes(late, "5 day(s) after the notice")), 1)
        with self.assertRaisesText(UserError, "already given"):
            late.action_give_notice()

    def test_expiry_covers_contracts(self):
        ended = self._uc(date_end="2026-06-30")
        running = self._uc(date_end="2026-12-31")
        with freeze_time("2026-07-01"):
            self.Agreement._cron_expire_agreements()
        self.assertEqual(ended.state, "expired")
        self.assertEqual(running.state, "agreed")

    def test_upcoming_renewals_order(self):
        later = self._uc(name="T Later", renewal_date="2027-09-30")
        sooner = self._uc(name="T Sooner", date_end="2027-03-31")
        no_date = self._uc(name="T Open-ended")
        draft = self._uc(name="T Draft", agreed=False, renewal_date="2027-01-31")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "slm_supplier.slm_agreement_action_renewals"
        )
        view = self.env.ref("slm_supplier.slm_agreement_view_list_renewals")
        order = view.arch_db.split('default_order="')[1].split('"')[0]
        listed = self.Agreement.search(
            [("id", "in", (later | sooner | no_date | draft).ids)]
            + ast.literal_eval(action["domain"]),
            order=order,
        )
        self.assertEqual(listed, sooner | later | no_date)
        self.assertEqual(list(listed), [sooner, later, no_date])

    def test_bad_input(self):
        with self.assertRaisesText(ValidationError, "0 or more days"):
            self._uc(name="T Negative", notice_warning_days=-1)
        with self.assertRaisesText(ValidationError, "at least one month"):
            self._uc(name="T No Term", renewal_type="automatic", renewal_term_months=0)
        self.assertFalse(
            self.Agreement.search([("name", "in", ("T Negative", "T No Term"))])
        )
