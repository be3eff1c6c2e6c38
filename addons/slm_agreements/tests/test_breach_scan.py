# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The breach scan (issue 4, item 1 and 2): warnings, breaches, escalation
levels, idempotency and fault isolation. Every expected instant is worked by
hand from the target's threshold; all instants are UTC."""

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import SlmClockCase, utc

SCAN_LOGGER = "odoo.addons.slm_agreements.models.slm_clock"


@tagged("post_install", "-at_install")
class TestBreachScan(SlmClockCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.leader = new_test_user(
            cls.env,
            "slm_scan_leader",
            "helpdesk_mgmt.group_helpdesk_user",
            context={"no_reset_password": True},
        )
        cls.head = new_test_user(
            cls.env,
            "slm_scan_head",
            "helpdesk_mgmt.group_helpdesk_user",
            context={"no_reset_password": True},
        )
        cls.team.user_id = cls.leader
        cls.stage_waiting.name = "T Waiting"
        # Resolution in 4 h around the clock, warning at 75 %, escalations at
        # 50 % (team leader) and 150 % (a named head of service).
        cls.agreement = cls._agreement(
            [
                cls._target(
                    "resolution",
                    4,
                    pause_stage_ids=[(6, 0, cls.stage_waiting.ids)],
                    escalation_level_ids=[
                        (0, 0, {"threshold_pct": 50, "recipient": "team_leader"}),
                        (
                            0,
                            0,
                            {
                                "threshold_pct": 150,
                                "recipient": "user",
                                "user_id": cls.head.id,
                                "note": "Call the customer",
                            },
                        ),
                    ],
                )
            ],
            provider_user_id=cls.manager.id,
        )
        cls.target = cls.agreement.target_ids

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------

    def _scan(self, at):
        with freeze_time(at):
            return self.env["slm.clock"]._cron_settle_due_clocks()

    @staticmethod
    def _notes(ticket):
        return ticket.message_ids.filtered(
            lambda m: m.message_type == "notification"
            and ("threshold" in (m.body or "") or "breached" in (m.body or ""))
        )

    def _activities(self, ticket, user=None, kind=None):
        activities = ticket.activity_ids
        if user:
            activities = activities.filtered(lambda a: a.user_id == user)
        if kind:
            xmlid = f"slm_agreements.mail_activity_type_slm_{kind}"
            activities = activities.filtered(
                lambda a: a.activity_type_id == self.env.ref(xmlid)
            )
        return activities

    def _breaches(self, clock):
        return self.env["slm.breach"].search([("clock_id", "=", clock.id)])

    # ------------------------------------------------------------------
    # tests
    # ------------------------------------------------------------------

    def test_levels_fire_once_in_order(self):
        # Created at 09:00: 50 % at 11:00, 75 % at 12:00, 100 % at 13:00,
        # 150 % at 15:00.
        ticket = self._ticket(utc(2026, 3, 2, 9), user_id=self.agent.id)
        clock = self._clock(ticket, self.target)
        self.assertEqual(clock.next_alert_at, utc(2026, 3, 2, 11))

        self.assertEqual(self._scan(utc(2026, 3, 2, 10, 59)), 0)
        self.assertFalse(ticket.activity_ids)

        self.assertEqual(self._scan(utc(2026, 3, 2, 11, 30)), 1)
        self.assertEqual(len(self._activities(ticket, self.leader, "warning")), 1)
        self.assertFalse(self._activities(ticket, self.agent))
        self.assertEqual(clock.alert_pct, 50)
        self.assertFalse(clock.at_risk)
        self.assertEqual(clock.next_alert_at, utc(2026, 3, 2, 12))
        self.assertEqual(len(self._notes(ticket)), 1)

        # Twice at the same time: nothing new.
        self.assertEqual(self._scan(utc(2026, 3, 2, 11, 31)), 0)
        self.assertEqual(len(ticket.activity_ids), 1)
        self.assertEqual(len(self._notes(ticket)), 1)

        self._scan(utc(2026, 3, 2, 12, 10))
        self.assertTrue(clock.at_risk)
        self.assertEqual(ticket.slm_status, "at_risk")
        self.assertEqual(len(self._activities(ticket, self.agent, "warning")), 1)
        self.assertEqual(clock.next_alert_at, utc(2026, 3, 2, 13))

        self._scan(utc(2026, 3, 2, 13, 5))
        self.assertEqual(clock.status, "breached")
        self.assertEqual(clock.settled_date, utc(2026, 3, 2, 13))
        self.assertFalse(clock.at_risk)
        self.assertEqual(ticket.slm_status, "breached")
        self.assertEqual(len(self._activities(ticket, self.agent, "breach")), 1)
        self.assertEqual(len(self._breaches(clock)), 1)
        self.assertEqual(clock.next_alert_at, utc(2026, 3, 2, 15))

        self._scan(utc(2026, 3, 2, 15, 1))
        head_activity = self._activities(ticket, self.head, "breach")
        self.assertEqual(len(head_activity), 1)
        self.assertIn("Call the customer", head_activity.note)
        self.assertFalse(clock.next_alert_at)
        self.assertEqual(clock.alert_pct, 150)

        self.assertEqual(self._scan(utc(2026, 3, 2, 18)), 0)
        self.assertEqual(len(self._breaches(clock)), 1)
        self.assertEqual(len(self._notes(ticket)), 4)
        self.assertEqual(len(ticket.activity_ids), 4)

    def test_late_scan_alerts_the_breach_only(self):
        ticket = self._ticket(utc(2026, 3, 2, 9), user_id=self.agent.id)
        clock = self._clock(ticket, self.target)
        # The scan was down: 50, 75 and 100 % all passed. Warnings after the
        # breach are moot: only the breach is alerted.
        self._scan(utc(2026, 3, 2, 13, 30))
        self.assertEqual(clock.status, "breached")
        self.assertEqual(clock.alert_pct, 100)
        self.assertEqual(len(self._notes(ticket)), 1)
        self.assertEqual(len(self._activities(ticket, self.agent, "breach")), 1)
        self.assertEqual(len(ticket.activity_ids), 1)
        self.assertEqual(len(self._breaches(clock)), 1)

    def test_levels_due_together_make_one_note(self):
        ticket = self._ticket(utc(2026, 3, 2, 9), user_id=self.agent.id)
        clock = self._clock(ticket, self.target)
        self._scan(utc(2026, 3, 2, 12, 30))  # 50 % and the 75 % warning
        self.assertEqual(clock.alert_pct, 75)
        self.assertEqual(len(self._notes(ticket)), 1)
        self.assertEqual(len(self._activities(ticket, self.leader, "warning")), 1)
        self.assertEqual(len(self._activities(ticket, self.agent, "warning")), 1)

    def test_note_shows_the_deadline_as_everywhere_else(self):
        """The scan formats the notes' moments with the language looked up
        once per batch: the same text as ``format_datetime`` gives, in the
        zone of the target's hours, whatever the language."""
        ticket = self._ticket(utc(2026, 3, 2, 9), user_id=self.agent.id)
        clock = self._clock(ticket, self.target)
        self._scan(utc(2026, 3, 2, 13, 5))
        self.assertEqual(clock.status, "breached")
        self.assertIn(clock._format_moment(clock.deadline), self._notes(ticket).body)
        self.env["res.lang"]._activate_lang("fr_FR")
        for lang in ("en_US", "fr_FR"):
            other = clock.with_context(lang=lang)
            self.assertEqual(
                other._format_moment(clock.deadline, locale=other._moment_locale()),
                other._format_moment(clock.deadline),
            )
        self.assertEqual(
            clock._format_moment(False, locale=clock._moment_locale()), "-"
        )

    def test_scan_at_the_deadline_second_waits_for_the_breach(self):
        # Deadline 13:00: at 13:00:00 the clock is still running (met if it
        # stopped now); the breach is alerted by the next scan, once.
        ticket = self._ticket(utc(2026, 3, 2, 9), user_id=self.agent.id)
        clock = self._clock(ticket, self.target)
        self._scan(utc(2026, 3, 2, 12, 30))  # 50 % and the warning
        self._scan(utc(2026, 3, 2, 13))
        self.assertEqual(clock.status, "running")
        self.assertEqual(clock.alert_pct, 75)
        self.assertEqual(clock.next_alert_at, utc(2026, 3, 2, 13))
        self.assertFalse(self._breaches(clock))
        self._scan(utc(2026, 3, 2, 13, 0, 1))
        self.assertEqual(clock.status, "breached")
        self.assertEqual(clock.alert_pct, 100)
        self.assertEqual(len(self._breaches(clock)), 1)
        self.assertEqual(len(self._activities(ticket, self.agent, "breach")), 1)

    def test_unassigned_ticket_alerts_the_team_leader(self):
        ticket = self._ticket(utc(2026, 3, 2, 9))
        self._scan(utc(2026, 3, 2, 12, 1))
        # 50 % (team leader) and the 75 % warning (assignee -> team leader):
        # one activity per user and kind.
        self.assertEqual(len(self._activities(ticket, self.leader, "warning")), 1)
        self.assertEqual(len(ticket.activity_ids), 1)

    def test_closed_late_gets_breach_without_activity(self):
        ticket = self._ticket(utc(2026, 3, 2, 9), user_id=self.agent.id)
        self._at(utc(2026, 3, 2, 14), ticket, stage_id=self.stage_done.id)
        clock = self._clock(ticket, self.target)
        self.assertEqual(clock.status, "breached")
        self.assertEqual(clock.next_alert_at, utc(2026, 3, 2, 13))
        self._scan(utc(2026, 3, 2, 14, 5))
        self.assertEqual(len(self._breaches(clock)), 1)
        self.assertEqual(len(self._notes(ticket)), 1)
        self.assertFalse(ticket.activity_ids)  # nothing left to do on it
        self.assertFalse(clock.next_alert_at)  # 150 % never came: it stopped
        self.assertEqual(self._scan(utc(2026, 3, 2, 20)), 0)

    def test_met_clock_alerts_nothing(self):
        ticket = self._ticket(utc(2026, 3, 2, 9), user_id=self.agent.id)
        self._at(utc(2026, 3, 2, 10), ticket, stage_id=self.stage_done.id)
        clock = self._clock(ticket, self.target)
        self.assertEqual(clock.status, "met")
        self.assertFalse(clock.next_alert_at)
        self.assertEqual(self._scan(utc(2026, 3, 3)), 0)
        self.assertFalse(self._breaches(clock))

    def test_pause_pushes_the_alerts(self):
        ticket = self._ticket(utc(2026, 3, 2, 9), user_id=self.agent.id)
        clock = self._clock(ticket, self.target)
        self._at(utc(2026, 3, 2, 10), ticket, stage_id=self.stage_waiting.id)
        self.assertFalse(clock.next_alert_at)
        self.assertEqual(self._scan(utc(2026, 3, 2, 12)), 0)
        # 1 h used before the pause; resumed at 14:00, 50 % (2 h) at 15:00.
        self._at(utc(2026, 3, 2, 14), ticket, stage_id=self.stage_progress.id)
        self.assertEqual(clock.next_alert_at, utc(2026, 3, 2, 15))
        self.assertEqual(clock.deadline, utc(2026, 3, 2, 17))

    def test_business_hours_warning_after_weekend(self):
        # Brussels 8-17 (UTC+1 in March). Created Friday 16:00 local (15:00
        # UTC): 1 h on Friday, then Monday from 08:00 local. 75 % of 4 h = 3 h
        # -> Monday 10:00 local = 09:00 UTC; deadline Monday 10:00 UTC.
        agreement = self._agreement(
            [self._target("resolution", 4, self.brussels)],
            name="T Office SLA",
            partner_id=self.customer.id,  # more specific: wins for this customer
        )
        ticket = self._ticket(utc(2026, 3, 6, 15), user_id=self.agent.id)
        clock = self._clock(ticket, agreement.target_ids)
        self.assertEqual(clock.next_alert_at, utc(2026, 3, 9, 9))
        self.assertEqual(self._scan(utc(2026, 3, 7, 12)), 0)
        self._scan(utc(2026, 3, 9, 9, 30))
        self.assertTrue(clock.at_risk)
        self.assertEqual(clock.next_alert_at, utc(2026, 3, 9, 10))

    def test_followers_get_breaches_by_default_not_warnings(self):
        follower = self.env["res.partner"].create(
            {"name": "T Follower", "email": "follower@example.com"}
        )
        self.agreement.message_subscribe(partner_ids=follower.ids)
        ticket = self._ticket(utc(2026, 3, 2, 9), user_id=self.agent.id)
        self._scan(utc(2026, 3, 2, 12, 30))  # 50 % and the warning
        self._scan(utc(2026, 3, 2, 13, 30))  # the breach
        breach_subtype = self.env.ref("slm_agreements.mt_slm_agreement_breach")
        warning_subtype = self.env.ref("slm_agreements.mt_slm_agreement_warning")
        messages = self.agreement.message_ids
        breach_msg = messages.filtered(lambda m: m.subtype_id == breach_subtype)
        warning_msg = messages.filtered(lambda m: m.subtype_id == warning_subtype)
        self.assertEqual(len(breach_msg), 1)
        self.assertEqual(len(warning_msg), 1)
        self.assertIn(ticket.name, breach_msg.body)
        self.assertIn(follower, breach_msg.notification_ids.res_partner_id)
        self.assertNotIn(follower, warning_msg.notification_ids.res_partner_id)

    def test_one_bad_clock_does_not_stop_the_others(self):
        office = self._calendar("T Fragile office", "Europe/Brussels", 8, 17)
        fragile = self._agreement(
            [self._target("resolution", 2, office)],
            name="T Fragile SLA",
            partner_id=self.customer.id,  # more specific: wins for this customer
        )
        good = self._ticket(
            utc(2026, 3, 2, 9),
            partner_id=self.other_customer.id,
            user_id=self.agent.id,
        )
        bad = self._ticket(utc(2026, 3, 2, 9), user_id=self.agent.id)
        bad_clock = self._clock(bad, fragile.target_ids)
        self.assertTrue(bad_clock.next_alert_at)
        # The calendar loses all its working hours (behind the application:
        # the ORM refuses it, fail-soft rule 5): its clocks cannot be
        # computed any more; they are stored in error (fail-soft rule 1).
        self.env.cr.execute(
            "DELETE FROM resource_calendar_attendance WHERE calendar_id = %s",
            [office.id],
        )
        self.env.invalidate_all()
        # Behind the ORM: the working time kept in the registry's cache too.
        self.env.registry.clear_cache()
        with self.assertLogs(SCAN_LOGGER, level="WARNING") as logs:
            self._scan(utc(2026, 3, 2, 14))
        self.assertIn(f"ticket {bad.id}", logs.output[0])
        good_clock = self._clock(good, self.target)
        self.assertEqual(good_clock.status, "breached")
        self.assertEqual(len(self._breaches(good_clock)), 1)
        self.assertEqual(bad_clock.status, "error")
        self.assertTrue(bad_clock.scan_error)
        self.assertEqual(bad_clock.next_alert_at, utc(2026, 3, 2, 15))
        self.assertFalse(self._breaches(bad_clock))
        # Retried an hour later, still failing, still not blocking anything.
        with self.assertLogs(SCAN_LOGGER, level="WARNING"):
            self._scan(utc(2026, 3, 2, 15, 1))
        self.assertEqual(bad_clock.next_alert_at, utc(2026, 3, 2, 16, 1))


@tagged("post_install", "-at_install")
class TestEscalationLevel(SlmClockCase):
    def test_bad_levels_are_refused(self):
        agreement = self.env["slm.agreement"].create(
            {
                "name": "T Draft SLA",
                "kind": "sla",
                "date_start": "2020-01-01",
                "target_ids": [(0, 0, self._target("resolution", 4))],
            }
        )
        target = agreement.target_ids
        Level = self.env["slm.escalation.level"]
        with self.assertRaisesText(ValidationError, "at most 1000"):
            Level.create({"target_id": target.id, "threshold_pct": 0})
        with self.assertRaisesText(ValidationError, "choose the user"):
            Level.create(
                {"target_id": target.id, "threshold_pct": 50, "recipient": "user"}
            )
        self.assertFalse(target.escalation_level_ids)
        Level.create({"target_id": target.id, "threshold_pct": 50})
        self.assertEqual(
            [pct for pct, _level in target._alert_levels()], [50.0, 75.0, 100.0]
        )

    def test_levels_are_frozen_with_the_agreement_and_copied_by_revisions(self):
        agreement = self._agreement(
            [
                self._target(
                    "resolution",
                    4,
                    escalation_level_ids=[(0, 0, {"threshold_pct": 120})],
                )
            ]
        )
        target = agreement.target_ids
        # As a Service Level Manager: the superuser (the suite's own code)
        # is not guarded (guard rule 1).
        with self.assertRaisesText(UserError, "is agreed"):
            target.escalation_level_ids.with_user(self.manager).threshold_pct = 130
        with self.assertRaisesText(UserError, "is agreed"):
            self.env["slm.escalation.level"].with_user(self.manager).create(
                {"target_id": target.id, "threshold_pct": 60}
            )
        self.assertEqual(target.escalation_level_ids.threshold_pct, 120)
        revision = self.env["slm.agreement"].browse(
            agreement.action_new_revision()["res_id"]
        )
        self.assertEqual(revision.target_ids.escalation_level_ids.threshold_pct, 120)
