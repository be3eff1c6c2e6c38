# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 16, items 5 and 6: a setting never stops the helpdesk (fail-soft
rules), the settings that would are refused, overlapping SLAs are refused."""

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import SlmClockCase, utc

CLOCK_LOGGER = "odoo.addons.slm_agreements.models.slm_clock"


@tagged("post_install", "-at_install")
class TestFailSoft(SlmClockCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.activity_type = cls.env.ref(
            "slm_agreements.mail_activity_type_slm_clock_error"
        )
        cls.counter = 0

    def _case(self, hours=8, tz="America/New_York", around=False):
        """A service of its own, an agreed SLA with one resolution target on a
        40 h/week calendar of its own (or 24x7)."""
        type(self).counter += 1
        n = self.counter
        service = self.env["slm.service"].create(
            {
                "code": f"TFS{n}",
                "name": f"T Fail-soft service {n}",
                "owner_id": self.manager.id,
                "state": "live",
            }
        )
        calendar = self._calendar(f"T Fail-soft office {n}", tz, 9, 17)
        agreement = self._agreement(
            [self._target("resolution", hours, None if around else calendar)],
            name=f"T Fail-soft SLA {n}",
            service_ids=[(6, 0, service.ids)],
            provider_user_id=self.manager.id,
        )
        return service, calendar, agreement

    def _sql(self, query, params):
        """A setting changed behind the application (the ORM refuses it)."""
        self.env.flush_all()
        self.env.cr.execute(query, params)
        self.env.invalidate_all()

    def _activities(self, agreement):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "slm.agreement"),
                ("res_id", "=", agreement.id),
                ("activity_type_id", "=", self.activity_type.id),
            ]
        )

    # ------------------------------------------------------------------
    # Fail-soft rules 1 and 2: the ticket is saved, the clock is in error
    # ------------------------------------------------------------------

    def test_bad_settings_never_stop_a_ticket(self):
        cases = {
            "threshold 1e12 h": (
                "UPDATE slm_target SET threshold_hours = 1e12 WHERE agreement_id = %s",
                False,
            ),
            "threshold 1e308 h": (
                "UPDATE slm_target SET threshold_hours = 1e308 "
                "WHERE agreement_id = %s",
                False,
            ),
            "threshold 1e308 h, 24x7": (
                "UPDATE slm_target SET threshold_hours = 1e308 "
                "WHERE agreement_id = %s",
                True,
            ),
            "7000 h on a 40 h/week calendar": (
                "UPDATE slm_target SET threshold_hours = 7000 WHERE agreement_id = %s",
                False,
            ),
            "time zone Mars/Olympus_Mons": (
                "UPDATE resource_calendar SET tz = 'Mars/Olympus_Mons' WHERE id IN "
                "(SELECT calendar_id FROM slm_target WHERE agreement_id = %s)",
                False,
            ),
            "calendar without attendances": (
                "DELETE FROM resource_calendar_attendance WHERE calendar_id IN "
                "(SELECT calendar_id FROM slm_target WHERE agreement_id = %s)",
                False,
            ),
        }
        for label, (query, around) in cases.items():
            with self.subTest(setting=label):
                service, _calendar, agreement = self._case(around=around)
                self._sql(query, [agreement.id])
                with mute_logger(CLOCK_LOGGER):
                    ticket = self._ticket(
                        utc(2026, 3, 2, 9), service_id=service.id, name=label
                    )
                self.assertTrue(ticket.exists())
                clock = self._clock(ticket, agreement.target_ids)
                self.assertEqual(clock.status, "error")
                self.assertIn(agreement.target_ids.display_name, clock.error_message)
                self.assertEqual(clock.start, utc(2026, 3, 2, 9))
                self.assertFalse(clock.deadline)
                # Shown on the ticket as an error with its message, not as
                # time left (clock display rules): reading it raises nothing.
                self.assertEqual(clock.display_state, "error")
                self.assertEqual(clock.time_left_label, clock.error_message)
                self.assertFalse(ticket.slm_time_left)
                # Retried by the breach scan an hour later.
                self.assertEqual(clock.next_alert_at, utc(2026, 3, 2, 10))
                activities = self._activities(agreement)
                self.assertEqual(len(activities), 1)
                self.assertEqual(activities.user_id, self.manager)
                # Changing the ticket, and a second ticket: still saved, still
                # one activity (not one per write).
                with mute_logger(CLOCK_LOGGER):
                    self._at(utc(2026, 3, 2, 10), ticket, stage_id=self.stage_done.id)
                    self._ticket(utc(2026, 3, 2, 11), service_id=service.id)
                self.assertEqual(ticket.stage_id, self.stage_done)
                self.assertEqual(clock.status, "error")
                self.assertEqual(len(self._activities(agreement)), 1)

    def test_clock_recovers_when_the_setting_is_fixed(self):
        service, calendar, agreement = self._case()
        self._sql(
            "UPDATE resource_calendar SET tz = 'Mars/Olympus_Mons' WHERE id = %s",
            [calendar.id],
        )
        with mute_logger(CLOCK_LOGGER):
            ticket = self._ticket(utc(2026, 3, 2, 14), service_id=service.id)
        clock = self._clock(ticket, agreement.target_ids)
        self.assertEqual(clock.status, "error")
        calendar.tz = "America/New_York"
        # The breach scan tries it again an hour later: computed as usual.
        with freeze_time(utc(2026, 3, 2, 15, 1)):
            self.env["slm.clock"]._cron_settle_due_clocks()
        self.assertEqual(clock.status, "running")
        self.assertFalse(clock.error_message)
        # 14:00 UTC = 9:00 New York: 8 working hours, the day's end.
        self.assertEqual(clock.deadline, utc(2026, 3, 2, 22))

    def test_one_bad_target_does_not_stop_the_others(self):
        service, _calendar, agreement = self._case()
        other = self._agreement(
            [self._target("response", 2)],
            name="T Fail-soft OLA",
            kind="ola",
            team_id=self.team.id,
            service_ids=[(6, 0, service.ids)],
        )
        self._sql(
            "UPDATE slm_target SET threshold_hours = 1e308 WHERE agreement_id = %s",
            [agreement.id],
        )
        with mute_logger(CLOCK_LOGGER):
            ticket = self._ticket(utc(2026, 3, 2, 9), service_id=service.id)
        self.assertEqual(self._clock(ticket, agreement.target_ids).status, "error")
        ola_clock = self._clock(ticket, other.target_ids)
        self.assertEqual(ola_clock.status, "running")
        self.assertEqual(ola_clock.deadline, utc(2026, 3, 2, 11))

    # ------------------------------------------------------------------
    # Fail-soft rules 3 to 6: the settings are refused
    # ------------------------------------------------------------------

    def test_unreachable_thresholds_are_refused(self):
        _service, calendar, agreement = self._case()
        draft = self.env["slm.agreement"].create(
            {"name": "T Draft", "structure": "customer_based"}
        )
        cases = [
            (1e12, False, "cannot be reached within 365 days"),
            (1e308, False, "cannot be reached"),
            (1e308, True, "cannot be reached"),
            (float("inf"), True, "must be numbers"),
            (float("nan"), True, "must be numbers"),
            (7000, False, "cannot be reached"),
            (9000, True, "around-the-clock"),
        ]
        for hours, around, text in cases:
            with self.subTest(hours=hours, around=around):
                vals = self._target("resolution", hours, None if around else calendar)
                with self.assertRaisesText(ValidationError, text):
                    self.env["slm.target"].create(dict(vals, agreement_id=draft.id))
        self.assertFalse(draft.target_ids)
        # Within the horizon: accepted (40 h/week: about 2080 h a year).
        target = self.env["slm.target"].create(
            dict(self._target("resolution", 2000, calendar), agreement_id=draft.id)
        )
        # An escalation level that takes the furthest alert past the horizon.
        with self.assertRaisesText(ValidationError, "cannot be reached"):
            self.env["slm.escalation.level"].create(
                {"target_id": target.id, "threshold_pct": 150}
            )
        self.assertFalse(target.escalation_level_ids)
        self.assertTrue(agreement)

    def test_unknown_time_zone_is_refused(self):
        _service, calendar, _agreement = self._case()
        with self.assertRaisesText(ValidationError, "Mars/Olympus_Mons"):
            calendar.tz = "Mars/Olympus_Mons"
        self.assertEqual(calendar.tz, "America/New_York")
        # An unused calendar with a bad time zone cannot be given to a target.
        mars = self._calendar("T Mars office", "Mars/Olympus_Mons", 9, 17)
        draft = self.env["slm.agreement"].create(
            {"name": "T Draft", "structure": "customer_based"}
        )
        with self.assertRaisesText(ValidationError, "is unknown"):
            self.env["slm.target"].create(
                dict(self._target("resolution", 8, mars), agreement_id=draft.id)
            )
        self.assertFalse(draft.target_ids)

    def test_calendar_of_agreed_target_keeps_its_working_time(self):
        _service, calendar, _agreement = self._case()
        attendances = calendar.attendance_ids
        with self.assertRaisesText(ValidationError, "fixed working hours"):
            attendances.unlink()
        with self.assertRaisesText(ValidationError, "fixed working hours"):
            calendar.write({"attendance_ids": [(5, 0, 0)]})
        with self.assertRaisesText(ValidationError, "fixed working hours"):
            calendar.write({"flexible_hours": True})
        self.assertEqual(calendar.attendance_ids, attendances)
        # Fewer hours that still reach the threshold: accepted, also when the
        # form replaces the attendances (deleting first, then creating).
        attendances[0].unlink()
        calendar.write(
            {
                "attendance_ids": [(2, a.id) for a in calendar.attendance_ids]
                + [
                    (
                        0,
                        0,
                        {
                            "name": "Monday",
                            "dayofweek": "0",
                            "hour_from": 9,
                            "hour_to": 12,
                            "day_period": "morning",
                        },
                    )
                ],
            }
        )
        self.assertEqual(len(calendar.attendance_ids), 1)

    def test_threshold_kept_reachable_when_hours_shrink(self):
        _service, calendar, agreement = self._case(hours=300)
        # 300 h a year needs more than 1 h a week (52 h a year).
        monday = calendar.attendance_ids.filtered(lambda a: a.dayofweek == "0")
        with self.assertRaisesText(ValidationError, "cannot be reached"):
            (calendar.attendance_ids - monday).unlink()
            monday.write({"hour_to": 10})
        self.assertEqual(len(calendar.attendance_ids), 5)
        self.assertTrue(agreement)

    def test_calendar_and_team_cannot_be_deleted(self):
        _service, calendar, agreement = self._case()
        with self.assertRaisesText(UserError, agreement.display_name):
            calendar.unlink()
        self.assertTrue(calendar.exists())
        team = self.env["helpdesk.ticket.team"].create({"name": "T OLA team"})
        ola = self.env["slm.agreement"].create(
            {
                "name": "T OLA",
                "kind": "ola",
                "structure": "service_based",
                "team_id": team.id,
            }
        )
        with self.assertRaisesText(UserError, ola.display_name):
            team.unlink()
        self.assertTrue(team.exists())
        field = self.env["slm.target"]._fields["calendar_id"]
        self.assertEqual(field.ondelete, "restrict")
        self.assertEqual(
            self.env["slm.agreement"]._fields["team_id"].ondelete, "restrict"
        )


@tagged("post_install", "-at_install")
class TestAgreementOverlap(SlmClockCase):
    def _draft(self, **vals):
        values = {
            "name": "T Overlap",
            "kind": "sla",
            "structure": "customer_based",
            "partner_id": self.customer.id,
            "date_start": "2026-01-01",
            "customer_signed_by_id": self.contact.id,
            "customer_signed_date": "2025-12-01",
            "target_ids": [(0, 0, self._target("resolution", 8))],
        }
        values.update(vals)
        return self.env["slm.agreement"].create(values)

    def test_overlapping_sla_is_refused(self):
        first = self._draft(name="T First", date_end="2026-12-31")
        first.action_agree()
        second = self._draft(name="T Second", date_start="2026-06-01")
        with self.assertRaisesText(UserError, first.display_name):
            second.action_agree()
        self.assertEqual(second.state, "draft")
        # After the first one ends: accepted.
        second.date_start = "2027-01-01"
        second.action_agree()
        self.assertEqual(second.state, "agreed")

    def test_overlapping_slas_agreed_together(self):
        first = self._draft(name="T Together 1")
        second = self._draft(name="T Together 2")
        with self.assertRaisesText(UserError, "overlaps"):
            (first | second).action_agree()
        self.assertEqual((first | second).mapped("state"), ["draft", "draft"])

    def test_overlap_of_services(self):
        service_2 = self.env["slm.service"].create(
            {
                "code": "TOV2",
                "name": "T Overlap service 2",
                "owner_id": self.manager.id,
                "state": "live",
            }
        )
        first = self._draft(name="T Service 1", service_ids=[(6, 0, self.service.ids)])
        first.action_agree()
        # Other services, another customer, or every service (less specific):
        # no overlap.
        self._draft(name="T S2", service_ids=[(6, 0, service_2.ids)]).action_agree()
        self._draft(
            name="T Other",
            partner_id=self.other_customer.id,
            customer_signed_by_id=self.other_customer.id,
        ).action_agree()
        self._draft(name="T All services").action_agree()
        both = self._draft(
            name="T Both", service_ids=[(6, 0, (self.service | service_2).ids)]
        )
        with self.assertRaisesText(UserError, first.display_name):
            both.action_agree()
        self.assertEqual(both.state, "draft")

    def test_parent_and_child_may_overlap(self):
        # (Limited to a service: the demo corporate SLA covers every one.)
        services = [(6, 0, self.service.ids)]
        corporate = self._draft(
            name="T Corporate",
            structure="multi_level",
            level="corporate",
            partner_id=False,
            service_ids=services,
        )
        corporate.action_agree()
        customer = self._draft(
            name="T Customer level",
            structure="multi_level",
            level="customer",
            parent_id=corporate.id,
            service_ids=services,
        )
        customer.action_agree()
        self.assertEqual(customer.state, "agreed")
        # A second customer level for the same customer is not its parent:
        # refused.
        twin = self._draft(
            name="T Twin level",
            structure="multi_level",
            level="customer",
            parent_id=corporate.id,
            service_ids=services,
        )
        with self.assertRaisesText(UserError, customer.display_name):
            twin.action_agree()
