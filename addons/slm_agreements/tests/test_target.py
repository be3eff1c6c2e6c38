# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta
from psycopg2.errors import CheckViolation, UniqueViolation

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import SQL, mute_logger

from .common import AgreementCase


@tagged("post_install", "-at_install")
class TestTarget(AgreementCase):
    """Targets: names, scope, ranges, working hours, and frozen when agreed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.draft = cls._agreement(targets=[])

    def _create(self, **vals):
        return self.Target.create(self._target_vals(agreement_id=self.draft.id, **vals))

    def _target_count(self):
        return self.Target.with_context(active_test=False).search_count([])

    # ------------------------------------------------------------------
    # Names and scope
    # ------------------------------------------------------------------

    def test_name_from_metric_threshold_and_priorities(self):
        target = self._create(hours=4)
        self.assertEqual(target.name, "Resolution 4 h")
        self.assertEqual(target.display_name, f"{self.draft.reference}: Resolution 4 h")
        target.write(
            {
                "metric": "response",
                "threshold_hours": 0.5,
                "priority_ids": [
                    (6, 0, [self.priorities["2"].id, self.priorities["3"].id])
                ],
            }
        )
        self.assertEqual(target.name, "First Response 0.5 h (Very High, High)")
        named = self._create(name="Major incidents")
        self.assertEqual(named.name, "Major incidents")

    def test_name_follows_in_form(self):
        form = Form(self.Target.with_context(default_agreement_id=self.draft.id))
        form.threshold_hours = 16
        self.assertEqual(form.name, "Resolution 16 h")
        form.metric = "response"
        self.assertEqual(form.name, "First Response 16 h")
        form.name = "Own name"
        target = form.save()
        self.assertEqual(target.name, "Own name")
        self.assertEqual(target.calendar_id, self.company.resource_calendar_id)

    def test_scope_summary(self):
        all_tickets = self._create(around_the_clock=True)
        self.assertEqual(all_tickets.scope_summary, "All tickets · 24x7")
        category = self.env["helpdesk.ticket.category"].create({"name": "T Printers"})
        narrow = self._create(
            priority_ids=[(6, 0, self.priorities["3"].ids)],
            category_ids=[(6, 0, category.ids)],
        )
        self.assertEqual(
            narrow.scope_summary, "Very High · categories T Printers · T Office"
        )

    def test_priorities_mirror_the_helpdesk(self):
        priorities = self.env["slm.ticket.priority"].search([])
        self.assertEqual(sorted(priorities.mapped("value")), ["0", "1", "2", "3"])
        helpdesk = dict(
            self.env["helpdesk.ticket"]
            ._fields["priority"]
            ._description_selection(self.env)
        )
        for priority in priorities:
            self.assertEqual(priority.name, helpdesk[priority.value])
        with mute_logger("odoo.sql_db"), self.assertRaises(UniqueViolation):
            self.env["slm.ticket.priority"].create({"name": "Twice", "value": "3"})

    # ------------------------------------------------------------------
    # Bad input: a clear error, nothing written
    # ------------------------------------------------------------------

    def test_threshold_must_be_positive(self):
        count = self._target_count()
        for hours in (0, -1):
            with self.subTest(hours=hours):
                with self.assertRaisesText(ValidationError, "more than 0 hours"):
                    self._create(hours=hours)
        self.assertEqual(self._target_count(), count)
        target = self._create(hours=4)
        with self.assertRaisesText(ValidationError, "more than 0 hours (it is 0"):
            target.threshold_hours = 0
        self.assertUnchanged(target, threshold_hours=4)

    def test_objective_is_a_percentage(self):
        count = self._target_count()
        for objective in (-1, 100.5, 150):
            with self.subTest(objective=objective):
                with self.assertRaisesText(ValidationError, "between 0 and 100"):
                    self._create(objective_pct=objective)
        self.assertEqual(self._target_count(), count)
        target = self._create(objective_pct=100)
        with self.assertRaisesText(ValidationError, "between 0 and 100"):
            target.objective_pct = 101
        self.assertUnchanged(target, objective_pct=100)
        target.objective_pct = 0
        self.assertEqual(target.objective_pct, 0)

    def test_warning_below_the_threshold(self):
        count = self._target_count()
        for warning in (100, 120, -5):
            with self.subTest(warning=warning):
                with self.assertRaisesText(ValidationError, "less than 100 %"):
                    self._create(warning_pct=warning)
        self.assertEqual(self._target_count(), count)
        target = self._create(warning_pct=0)
        with self.assertRaisesText(ValidationError, "less than 100 %"):
            target.warning_pct = 100
        self.assertUnchanged(target, warning_pct=0)

    def test_database_checks_the_ranges_too(self):
        target = self._create()
        for column, value in (
            ("threshold_hours", 0),
            ("objective_pct", 101),
            ("warning_pct", 100),
        ):
            with self.subTest(column=column):
                with mute_logger("odoo.sql_db"), self.assertRaises(CheckViolation):
                    self.env.cr.execute(
                        SQL(
                            "UPDATE slm_target SET %s = %s WHERE id = %s",
                            SQL.identifier(column),
                            value,
                            target.id,
                        )
                    )

    def test_working_hours_need_a_calendar(self):
        count = self._target_count()
        with self.assertRaisesText(ValidationError, "choose its working calendar"):
            self._create(calendar_id=False)
        with self.assertRaisesText(ValidationError, "has no fixed working hours"):
            self._create(calendar_id=self.no_hours.id)
        flexible = self._calendar("T Flexible", range(5))
        flexible.flexible_hours = True
        with self.assertRaisesText(ValidationError, "has no fixed working hours"):
            self._create(calendar_id=flexible.id)
        self.assertEqual(self._target_count(), count)
        target = self._create(around_the_clock=True, calendar_id=False)
        with self.assertRaisesText(ValidationError, "choose its working calendar"):
            target.around_the_clock = False
        self.assertUnchanged(target, around_the_clock=True)
        with self.assertRaisesText(ValidationError, "has no fixed working hours"):
            target.write({"around_the_clock": False, "calendar_id": self.no_hours.id})
        self.assertUnchanged(
            target, around_the_clock=True, calendar_id=self.Target.calendar_id
        )

    def test_around_the_clock_has_no_calendar(self):
        """Issue 11 item 8: a 24x7 target is not shown with the company's
        working calendar beside it."""
        target = self._create(around_the_clock=True)
        self.assertFalse(target.calendar_id)
        target = self._create()
        self.assertTrue(target.calendar_id)
        target.around_the_clock = True
        self.assertFalse(target.calendar_id)

    def test_service_lists_the_agreements_covering_it(self):
        """Issue 11 item 8: the service form lists the agreements naming the
        service and those for every service, not the ended ones."""
        other_service = self.service.copy({"code": "TOTHER", "name": "T Other"})
        every = self._agreement(
            name="T Every service", structure="customer_based", service_ids=[]
        )
        elsewhere = self._agreement(
            name="T Elsewhere", service_ids=[(6, 0, other_service.ids)]
        )
        ended = self._agreement(name="T Ended")
        self.env.cr.execute(
            "UPDATE slm_agreement SET state = 'terminated' WHERE id = %s", [ended.id]
        )
        self.env.invalidate_all()
        agreements = self.service.agreement_ids
        self.assertIn(self.draft, agreements)
        self.assertIn(every, agreements)
        self.assertNotIn(elsewhere, agreements)
        self.assertNotIn(ended, agreements)
        self.assertIn(elsewhere, other_service.agreement_ids)

    def test_targets_of_an_agreed_agreement_are_frozen(self):
        agreed = self._agreed(targets=[self._target_vals(hours=4)])
        target = agreed.target_ids
        count = self._target_count()
        with self.assertRaisesText(UserError, "Create a new revision"):
            self.Target.create(self._target_vals(agreement_id=agreed.id))
        with self.assertRaisesText(UserError, "Create a new revision"):
            target.threshold_hours = 2
        with self.assertRaisesText(UserError, "Create a new revision"):
            target.active = False
        with self.assertRaisesText(UserError, "Create a new revision"):
            target.unlink()
        with self.assertRaisesText(UserError, "Create a new revision"):
            agreed.write({"target_ids": [(0, 0, self._target_vals())]})
        with self.assertRaisesText(UserError, "Create a new revision"):
            target.agreement_id = self.draft
        self.assertEqual(self._target_count(), count)
        self.assertUnchanged(
            target, threshold_hours=4, active=True, agreement_id=agreed
        )

    def test_targets_frozen_in_every_closed_state(self):
        expired = self._agreed(
            date_start=self.today - relativedelta(years=1),
            date_end=self.today - relativedelta(days=1),
        )
        terminated = self._agreed(termination_reason="Ended")
        terminated.action_terminate()
        superseded = self._agreed()
        revision = self.Agreement.browse(superseded.action_new_revision()["res_id"])
        self._sign(revision)
        revision.action_agree()
        for agreement in (expired, terminated, superseded):
            with self.subTest(state=agreement.state):
                with self.assertRaisesText(UserError, "Create a new revision"):
                    agreement.target_ids.objective_pct = 50
                with self.assertRaisesText(UserError, "Create a new revision"):
                    agreement.target_ids.unlink()
                self.assertUnchanged(agreement.target_ids, objective_pct=95)

    def test_targets_editable_while_prepared(self):
        agreement = self._agreement(state="requirement")
        agreement.target_ids.threshold_hours = 6
        agreement.action_negotiate()
        agreement.target_ids.threshold_hours = 5
        with Form(agreement) as form:
            with form.target_ids.new() as line:
                line.metric = "response"
                line.threshold_hours = 1
                line.around_the_clock = True
            form.target_ids.remove(0)
        self.assertEqual(agreement.target_ids.mapped("name"), ["First Response 1 h"])
