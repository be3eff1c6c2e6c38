# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Hand-worked cases of the customer calendar rules (issue 13, item 4).

2026-03-02 is a Monday. New York is UTC-5 until Sun 2026-03-08 02:00 local,
then UTC-4; Brussels is UTC+1 until Sun 2026-03-29 02:00 local, then UTC+2:
between the two (the "gap weeks") the offset between them is 5 h, not 6 h.
"""

from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from ..tools.business_time import BusinessTime
from .common import SlmClockCase, utc

H = 3600


@tagged("post_install", "-at_install")
class TestCustomerTimeZone(SlmClockCase):
    """Customer calendar rules 1, 2, 4 and 5: hours read in the customer's zone."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact.tz = "America/New_York"
        # One agreement, two targets on the Brussels 08:00-17:00 calendar: the
        # resolution one in the customer's zone, the response one not.
        cls.agreement = cls._agreement(
            [
                cls._target("resolution", 4, cls.brussels, customer_tz=True),
                cls._target("response", 4, cls.brussels),
                cls._target(
                    "resolution",
                    8,
                    cls.brussels,
                    name="T by business day 1",
                    customer_tz=True,
                    threshold_unit="business_days",
                    business_days=1,
                ),
            ]
        )
        targets = cls.agreement.target_ids
        cls.by_business_day = targets.filtered(
            lambda t: t.threshold_unit == "business_days"
        )
        cls.in_customer_zone = targets.filtered("customer_tz") - cls.by_business_day
        cls.in_calendar_zone = targets - cls.in_customer_zone - cls.by_business_day

    def test_brussels_hours_read_in_new_york(self):
        # Mon 2026-03-02 12:00 UTC = 07:00 EST = 13:00 CET.
        ticket = self._ticket(utc(2026, 3, 2, 12))
        clock = self._clock(ticket, self.in_customer_zone)
        # New York 08:00-12:00 EST = 13:00-17:00 UTC.
        self.assertEqual(clock.deadline, utc(2026, 3, 2, 17))
        self.assertEqual(clock.hours_tz, "America/New_York")
        # The other target: 13:00-17:00 CET = 12:00-16:00 UTC.
        other = self._clock(ticket, self.in_calendar_zone)
        self.assertEqual(other.deadline, utc(2026, 3, 2, 16))
        self.assertEqual(other.hours_tz, "Europe/Brussels")

    def test_new_york_dst_in_the_gap_weeks(self):
        # Fri 2026-03-06 20:00 UTC = 15:00 EST: 2 h on Friday (to 17:00 EST);
        # Monday 2026-03-09 New York is on EDT already (Brussels is not):
        # 08:00 EDT = 12:00 UTC, + 2 h = 14:00 UTC (not 15:00, as in EST).
        ticket = self._ticket(utc(2026, 3, 6, 20))
        self.assertEqual(
            self._clock(ticket, self.in_customer_zone).deadline, utc(2026, 3, 9, 14)
        )
        # Mon 2026-03-09 11:00 UTC = 07:00 EDT = 12:00 CET: 08:00-12:00 EDT =
        # 12:00-16:00 UTC; read in Brussels, 12:00-16:00 CET = 11:00-15:00 UTC.
        ticket = self._ticket(utc(2026, 3, 9, 11))
        self.assertEqual(
            self._clock(ticket, self.in_customer_zone).deadline, utc(2026, 3, 9, 16)
        )
        self.assertEqual(
            self._clock(ticket, self.in_calendar_zone).deadline, utc(2026, 3, 9, 15)
        )

    def test_europe_switch_does_not_move_new_york_hours(self):
        # Fri 2026-03-27 20:00 UTC = 16:00 EDT: 1 h on Friday; Brussels moves
        # its clocks on Sunday 29, New York does not: Mon 08:00 EDT = 12:00
        # UTC, + 3 h = 15:00 UTC.
        ticket = self._ticket(utc(2026, 3, 27, 20))
        self.assertEqual(
            self._clock(ticket, self.in_customer_zone).deadline, utc(2026, 3, 30, 15)
        )

    def test_business_days_are_the_customer_days(self):
        # A customer in Los Angeles: 08:00-17:00 PST is 17:00-02:00 in
        # Brussels, across its midnight. Created Mon 2026-03-02 17:00 UTC =
        # 09:00 PST: day 0 is Monday, day 1 Tuesday, ending 17:00 PST = Wed
        # 01:00 UTC. (Brussels days would end day 1 at Tue 24:00 CET.)
        self.contact.tz = "America/Los_Angeles"
        ticket = self._ticket(utc(2026, 3, 2, 17))
        clock = self._clock(ticket, self.by_business_day)
        self.assertEqual(clock.deadline, utc(2026, 3, 4, 1))

    def test_availability_reads_the_agreement_customer_zone(self):
        # No ticket: the agreement's customer (Kolkata, UTC+5:30) counts.
        self.customer.tz = "Asia/Kolkata"
        draft = self.env["slm.agreement"].create(
            {
                "name": "T Availability",
                "kind": "sla",
                "structure": "customer_based",
                "partner_id": self.customer.id,
                "target_ids": [
                    (
                        0,
                        0,
                        self._target("resolution", 4, self.brussels, customer_tz=True),
                    )
                ],
            }
        )
        bt = self.env["slm.availability"]._business_time(draft.target_ids, {})
        # 08:00 IST = 02:30 UTC: the first hour ends at 03:30 UTC.
        self.assertEqual(bt.add(utc(2026, 3, 2, 0), H), utc(2026, 3, 2, 3, 30))

    def test_fall_back_order(self):
        Clock = self.env["slm.clock"]
        target = self.in_customer_zone
        self.customer.tz = "Asia/Kolkata"
        # The contact's own zone first.
        self.assertEqual(Clock._hours_zone(target, self.contact), "America/New_York")
        # Then the customer's company (the commercial partner).
        self.contact.tz = False
        self.assertEqual(Clock._hours_zone(target, self.contact), "Asia/Kolkata")
        # Mon 2026-03-02 03:00 UTC = 08:30 IST; 08:30-12:30 IST = 03:00-07:00 UTC.
        ticket = self._ticket(utc(2026, 3, 2, 3))
        clock = self._clock(ticket, target)
        self.assertEqual(clock.hours_tz, "Asia/Kolkata")
        self.assertEqual(clock.deadline, utc(2026, 3, 2, 7))
        # Then the calendar's.
        self.customer.tz = False
        self.assertEqual(Clock._hours_zone(target, self.contact), "Europe/Brussels")
        # Unticked, the calendar's whatever the customer's.
        self.contact.tz = "America/New_York"
        self.assertEqual(
            Clock._hours_zone(self.in_calendar_zone, self.contact), "Europe/Brussels"
        )

    def test_unknown_zone_fails_soft(self):
        # A zone that is not an IANA name, written around the form (SQL): it
        # is skipped, the clock counts in the calendar's zone (rule 2).
        self.env.cr.execute(
            "UPDATE res_partner SET tz = 'Mars/Olympus_Mons' WHERE id = %s",
            [self.contact.id],
        )
        self.contact.invalidate_recordset(["tz"])
        ticket = self._ticket(utc(2026, 3, 2, 12))
        clock = self._clock(ticket, self.in_customer_zone)
        self.assertEqual(clock.status, "running")
        self.assertEqual(clock.hours_tz, "Europe/Brussels")
        self.assertEqual(clock.deadline, utc(2026, 3, 2, 16))
        # The engine alone: an unknown override is the calendar's zone.
        bt = BusinessTime.for_calendar(self.brussels, tz="Mars/Olympus_Mons")
        self.assertEqual(bt.add(utc(2026, 3, 2, 12), 4 * H), utc(2026, 3, 2, 16))

    def test_a_zone_not_in_the_list_is_refused(self):
        # Customer calendar rule 2: in the user's words, nothing written.
        with (
            self.assertRaisesRegex(ValidationError, "is not a time zone"),
            self.env.cr.savepoint(),
        ):
            self.contact.write({"tz": "Mars/Olympus_Mons"})
        self.assertEqual(self.contact.tz, "America/New_York")
        with (
            self.assertRaisesRegex(ValidationError, "is not a time zone"),
            self.env.cr.savepoint(),
        ):
            self.env["res.partner"].create({"name": "T Martian", "tz": "Mars/Base"})
        self.assertFalse(self.env["res.partner"].search([("name", "=", "T Martian")]))

    def test_timeline_says_the_zone(self):
        ticket = self._ticket(utc(2026, 3, 2, 12))
        clock = self._clock(ticket, self.in_customer_zone)
        with freeze_time(utc(2026, 3, 2, 14)):
            html = str(clock.timeline_html)
        self.assertIn("Business hours of T Brussels office in America/New_York.", html)
        # Instants in that zone: the deadline is 12:00 New York time.
        self.assertIn("(America/New_York)", html)

    def test_one_business_time_per_zone_in_a_batch(self):
        """The batch groups clocks by (calendar, zone, holidays): two tickets
        of New York and one of Kolkata build two business times for the
        customer-zone target, one for the other target."""
        kolkata = self.env["res.partner"].create(
            {
                "name": "T Kolkata contact",
                "parent_id": self.customer.id,
                "tz": "Asia/Kolkata",
            }
        )
        tickets = self.env["helpdesk.ticket"]
        for partner in (self.contact, self.contact, kolkata):
            tickets |= self._ticket(utc(2026, 3, 2, 12), partner_id=partner.id)
        real = BusinessTime.for_calendar.__func__
        zones = []

        def spy(cls, calendar, **kwargs):
            zones.append(kwargs.get("tz"))
            return real(cls, calendar, **kwargs)

        pairs = [(t, target) for t in tickets for target in self.agreement.target_ids]
        with patch.object(BusinessTime, "for_calendar", classmethod(spy)):
            values = self.env["slm.clock"]._compute_values(
                pairs, now=utc(2026, 3, 2, 14)
            )
        self.assertEqual(len(zones), 3)
        self.assertEqual(set(zones), {None, "America/New_York", "Asia/Kolkata"})
        self.assertEqual(len(values), 9)

    def test_later_change_applies_at_the_next_computation(self):
        ticket = self._ticket(utc(2026, 3, 2, 12))
        clock = self._clock(ticket, self.in_customer_zone)
        self.assertEqual(clock.deadline, utc(2026, 3, 2, 17))
        # The customer moves to Brussels: nothing moves until a computation.
        self.contact.tz = "Europe/Brussels"
        self.assertEqual(clock.deadline, utc(2026, 3, 2, 17))
        self._refresh(ticket, utc(2026, 3, 2, 13))
        self.assertEqual(clock.deadline, utc(2026, 3, 2, 16))

    def test_portal_customer_may_change_their_own_zone(self):
        """Rule 6: the customer's own data; an agent cannot change the target."""
        user = self._portal_user("t_tz_portal", partner=self.contact)
        user.with_user(user).write({"tz": "Europe/Brussels"})
        self.assertEqual(self.contact.tz, "Europe/Brussels")
        draft = self.env["slm.agreement"].create(
            {
                "name": "T Draft",
                "kind": "sla",
                "structure": "service_based",
                "target_ids": [(0, 0, self._target("resolution", 4, self.brussels))],
            }
        )
        with self.assertRaises(AccessError):
            draft.target_ids.with_user(self.agent).write({"customer_tz": True})
        self.assertFalse(draft.target_ids.customer_tz)
        # Agreed: a term, frozen even for its manager.
        for user in (self.agent, self.manager):
            with self.assertRaises(UserError):
                self.in_calendar_zone.with_user(user).write({"customer_tz": True})
        self.assertFalse(self.in_calendar_zone.customer_tz)


@tagged("post_install", "-at_install")
class TestAgreementHolidays(SlmClockCase):
    """Customer calendar rule 3: the agreement's holidays, add or replace.

    Mon 2026-03-09 is a holiday of the customer's country (the agreement's
    holiday calendar), Tue 2026-03-10 a public holiday of the company. A ticket
    of Fri 2026-03-06 14:00 UTC (15:00 CET), 4 business hours on the Brussels
    08:00-17:00 calendar: 2 h on Friday, 2 h from the next working day's
    08:00 CET (07:00 UTC).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.country = cls._calendar("T Customer country", "Europe/Brussels", 8, 17)
        cls._holiday(cls.country, "2026-03-08 23:00:00", "2026-03-09 23:00:00")
        cls.env["resource.calendar.leaves"].create(
            {
                "name": "T Company holiday",
                "calendar_id": False,
                "company_id": cls.company.id,
                "date_from": "2026-03-09 23:00:00",
                "date_to": "2026-03-10 23:00:00",
            }
        )

    def _deadline(self, **agreement_vals):
        agreement = self._agreement(
            [self._target("resolution", 4, self.brussels)], **agreement_vals
        )
        ticket = self._ticket(utc(2026, 3, 6, 14))
        return self._clock(ticket, agreement.target_ids).deadline

    def test_document_states_the_terms(self):
        """The agreed document says whose holidays and which zone count."""
        agreement = self._agreement(
            [self._target("resolution", 4, self.brussels, customer_tz=True)],
            holiday_calendar_id=self.country.id,
            holiday_mode="replace",
        )
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("slm_agreements.action_report_agreement", agreement.ids)[
                0
            ]
            .decode()
        )
        self.assertIn("T Customer country", html)
        self.assertIn("instead of the provider", html)
        self.assertIn("the customer&#39;s (else Europe/Brussels)", html)

    def test_company_holidays_only(self):
        # Monday counts: Mon 07:00-09:00 UTC.
        self.assertEqual(self._deadline(), utc(2026, 3, 9, 9))

    def test_holidays_in_addition(self):
        # Monday and Tuesday off: Wed 07:00-09:00 UTC.
        self.assertEqual(
            self._deadline(holiday_calendar_id=self.country.id, holiday_mode="add"),
            utc(2026, 3, 11, 9),
        )

    def test_holidays_instead(self):
        # Monday off, the company's Tuesday holiday ignored: Tue 07:00-09:00.
        self.assertEqual(
            self._deadline(holiday_calendar_id=self.country.id, holiday_mode="replace"),
            utc(2026, 3, 10, 9),
        )

    def test_calendar_own_leaves_count_when_replaced(self):
        # The target's own calendar is closed on Tuesday too: in replace mode
        # the company's holiday is ignored, the calendar's own leave is not:
        # Wed 07:00-09:00 UTC.
        self._holiday(self.brussels, "2026-03-09 23:00:00", "2026-03-10 23:00:00")
        self.assertEqual(
            self._deadline(holiday_calendar_id=self.country.id, holiday_mode="replace"),
            utc(2026, 3, 11, 9),
        )

    def test_another_company_calendar_is_refused(self):
        other = self.env["res.company"].create({"name": "T Other Provider"})
        theirs = self._calendar("T Their holidays", "Europe/Paris", 8, 17)
        theirs.company_id = other
        Agreement = self.env["slm.agreement"]
        values = {
            "name": "T Holidays elsewhere",
            "kind": "sla",
            "structure": "service_based",
            "service_ids": [(6, 0, self.service.ids)],
        }
        with self.assertRaisesRegex(ValidationError, "T Other Provider"):
            Agreement.create(dict(values, holiday_calendar_id=theirs.id))
        draft = Agreement.create(values)
        with self.assertRaisesRegex(ValidationError, "T Their holidays"):
            draft.write({"holiday_calendar_id": theirs.id})
        self.assertFalse(draft.holiday_calendar_id)
        # A calendar shared by every company is fine.
        theirs.company_id = False
        draft.write({"holiday_calendar_id": theirs.id})
        self.assertEqual(draft.holiday_calendar_id, theirs)

    def test_agent_and_agreed_terms(self):
        draft = self.env["slm.agreement"].create(
            {"name": "T Draft", "kind": "sla", "structure": "service_based"}
        )
        with self.assertRaises(AccessError):
            draft.with_user(self.agent).write({"holiday_calendar_id": self.country.id})
        self.assertFalse(draft.holiday_calendar_id)
        agreement = self._agreement(
            [self._target("resolution", 4, self.brussels)],
            holiday_calendar_id=self.country.id,
        )
        for user in (self.agent, self.manager):
            with self.assertRaises(UserError):
                agreement.with_user(user).write({"holiday_mode": "replace"})
        self.assertEqual(agreement.holiday_mode, "add")
        self.assertIn("holiday_calendar_id", agreement._seal_fields())
