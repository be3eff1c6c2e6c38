# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""UC clocks (clock rule 2): they start at the hand-over to the supplier and
stop at its acknowledgement (response) and resolution. Every expected number
is worked out by hand from the history below; instants are UTC."""

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tests.common import new_test_user

from odoo.addons.slm_agreements.tests.common import utc

from .common import SupplierContractCase

H = 3600


@tagged("post_install", "-at_install")
class TestSupplierClock(SupplierContractCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        pause = [(6, 0, cls.stage_waiting.ids)]
        cls.uc = cls._uc(
            [
                cls._target("response", 2, pause_stage_ids=pause),
                cls._target("resolution", 8, pause_stage_ids=pause),
                cls._target("resolution", 4, pause_stage_ids=pause),
            ]
        )
        cls.uc_response, cls.uc_resolution, cls.uc_resolution_4 = cls.uc.target_ids
        # A customer SLA on the same service: its clocks run from creation.
        cls.sla = cls._agreement([cls._target("resolution", 8)])

    def _history(self, ticket, local, supplier=None):
        """Handed over at 10:00, acknowledged at 11:30, taken back from 12:00
        to 14:00, waiting for the customer from 15:00 to 16:00, resolved by
        the supplier at 18:00 (times of ``local``)."""
        self._hand_over(local(10, 0), ticket, supplier=supplier)
        self._ack(local(11, 30), ticket)
        self._take_back(local(12, 0), ticket)
        self._hand_over(local(14, 0), ticket, supplier=supplier)
        self._at(local(15, 0), ticket, stage_id=self.stage_waiting.id)
        self._at(local(16, 0), ticket, stage_id=self.stage_progress.id)
        self._resolved(local(18, 0), ticket)

    def _assert_clock(self, clock, **expected):
        self.assertEqual(
            {name: clock[name] for name in expected},
            expected,
            clock.target_id.display_name,
        )

    def test_handover_around_the_clock(self):
        def local(hour, minute):  # 24x7 targets: UTC
            return utc(2024, 1, 15, hour, minute)

        ticket = self._ticket(local(9, 0), stage_id=self.stage_progress.id)
        self._history(ticket, local)
        self._refresh(ticket, utc(2024, 1, 16, 12, 0))
        # Response: 10:00 -> acknowledged 11:30, 1.5 h of 2 h: met; the
        # deadline it would have had is 10:00 + 2 h.
        self._assert_clock(
            self._clock(ticket, self.uc_response),
            status="met",
            start=local(10, 0),
            stop=local(11, 30),
            used_seconds=int(1.5 * H),
            paused_seconds=0,
            deadline=local(12, 0),
            settled_date=local(11, 30),
        )
        # Resolution 8 h: with the supplier 10-12 (2 h), taken back 12-14
        # (not counted, not paused either), 14-15 (1 h), waiting 15-16
        # (paused 1 h), 16-18 (2 h): 5 h used at 18:00, 3 h left -> the
        # deadline is 21:00: met.
        self._assert_clock(
            self._clock(ticket, self.uc_resolution),
            status="met",
            start=local(10, 0),
            stop=local(18, 0),
            used_seconds=5 * H,
            paused_seconds=1 * H,
            deadline=local(21, 0),
            settled_date=local(18, 0),
        )
        # Resolution 4 h: 2 h at 12:00, 3 h at 15:00, paused until 16:00, 4 h
        # at 17:00 = the deadline; resolved at 18:00: breached at 17:00.
        self._assert_clock(
            self._clock(ticket, self.uc_resolution_4),
            status="breached",
            stop=local(18, 0),
            used_seconds=5 * H,
            paused_seconds=1 * H,
            deadline=local(17, 0),
            settled_date=local(17, 0),
        )
        self.assertEqual(
            set(ticket.slm_clock_ids.mapped("agreement_kind")), {"sla", "uc"}
        )
        self.assertEqual(
            self._clock(ticket, self.uc_resolution).supplier_id, self.fibre
        )
        # The SLA's clock ran from the creation, hand-over or not.
        self.assertEqual(self._clock(ticket, self.sla.target_ids).start, local(9, 0))
        # The history: the four steps, with the supplier.
        events = ticket.slm_event_ids.filtered("supplier_id")
        self.assertEqual(
            events.mapped("event_type"),
            [
                "handover",
                "supplier_ack",
                "supplier_back",
                "handover",
                "supplier_resolved",
            ],
        )
        self.assertEqual(events.supplier_id, self.fibre)
        self.assertEqual(ticket.supplier_state, "resolved")
        self.assertEqual(ticket.supplier_handover_date, local(14, 0))
        self.assertEqual(ticket.supplier_resolved_date, local(18, 0))

    def test_taken_back_time_does_not_count(self):
        ticket = self._ticket(utc(2024, 1, 15, 9, 0), stage_id=self.stage_progress.id)
        self._hand_over(utc(2024, 1, 15, 10, 0), ticket)
        self._take_back(utc(2024, 1, 15, 12, 0), ticket)
        # At 13:00, taken back an hour ago: 2 h used, the clock waits (no
        # deadline known while it waits).
        self._refresh(ticket, utc(2024, 1, 15, 13, 0))
        self._assert_clock(
            self._clock(ticket, self.uc_resolution),
            status="paused",
            used_seconds=2 * H,
            paused_seconds=0,
            deadline=False,
        )
        self.assertEqual(ticket.supplier_state, "taken_back")
        # Handed over again at 14:00: 6 h left -> due at 20:00.
        self._hand_over(utc(2024, 1, 15, 14, 0), ticket)
        self._refresh(ticket, utc(2024, 1, 15, 15, 0))
        self._assert_clock(
            self._clock(ticket, self.uc_resolution),
            status="running",
            used_seconds=3 * H,
            deadline=utc(2024, 1, 15, 20, 0),
        )

    def test_handover_on_working_hours(self):
        """The same history on the Brussels office calendar (08:00-17:00,
        Monday to Friday, UTC+1 in January)."""
        pause = [(6, 0, self.stage_waiting.ids)]
        uc = self._uc(
            [
                self._target("response", 2, self.brussels, pause_stage_ids=pause),
                self._target("resolution", 8, self.brussels, pause_stage_ids=pause),
                self._target("resolution", 4, self.brussels, pause_stage_ids=pause),
            ],
            supplier=self.hoster,
        )
        response, resolution, resolution_4 = uc.target_ids

        def local(hour, minute):  # Brussels, Monday 15 January 2024
            return utc(2024, 1, 15, hour - 1, minute)

        ticket = self._ticket(local(9, 0), stage_id=self.stage_progress.id)
        self._history(ticket, local, supplier=self.hoster)
        self._refresh(ticket, utc(2024, 1, 17, 12, 0))
        self._assert_clock(
            self._clock(ticket, response),
            status="met",
            used_seconds=int(1.5 * H),
            deadline=local(12, 0),
        )
        # 10-12 (2 h), 14-15 (1 h), paused 15-16 (1 h), 16-17 (1 h; the
        # office closes at 17:00, the supplier resolves at 18:00): 4 h used.
        # 8 h: 4 h left on Tuesday from 08:00 -> 12:00 local (11:00 UTC): met.
        self._assert_clock(
            self._clock(ticket, resolution),
            status="met",
            stop=local(18, 0),
            used_seconds=4 * H,
            paused_seconds=1 * H,
            deadline=utc(2024, 1, 16, 11, 0),
        )
        # 4 h: reached at 17:00 local, when the office closes; resolved at
        # 18:00: breached.
        self._assert_clock(
            self._clock(ticket, resolution_4),
            status="breached",
            used_seconds=4 * H,
            deadline=local(17, 0),
            settled_date=local(17, 0),
        )
        # Fibre's contract does not apply: the ticket was never with it.
        self.assertFalse(
            ticket.slm_clock_ids.filtered(lambda c: c.agreement_id == self.uc)
        )

    def test_no_handover_no_uc_clock(self):
        ticket = self._ticket(utc(2024, 1, 15, 9, 0))
        self._refresh(ticket, utc(2024, 1, 16, 9, 0))
        self.assertEqual(ticket.slm_clock_ids.agreement_id, self.sla)
        self.assertFalse(ticket.supplier_id)
        # Another supplier under contract: only its contract's clocks run.
        other = self._uc([self._target("resolution", 8)], supplier=self.hoster)
        self._hand_over(utc(2024, 1, 16, 10, 0), ticket, supplier=self.hoster)
        self.assertEqual(ticket.slm_clock_ids.agreement_id, self.sla | other)
        self.assertEqual(
            ticket.slm_clock_ids.filtered(lambda c: c.agreement_id == other).start,
            utc(2024, 1, 16, 10, 0),
        )

    def test_handover_of_a_ticket_from_before_the_suite(self):
        """A ticket with no clock history (created before the suite was
        installed) can be handed over: its history is rebuilt first, so its
        SLA clock runs from its creation and the UC clock from the hand-over."""
        ticket = self._ticket(utc(2024, 1, 15, 9, 0), stage_id=self.stage_progress.id)
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET create_date = %s WHERE id = %s",
            [utc(2024, 1, 15, 9, 0), ticket.id],
        )
        self.env.cr.execute("DELETE FROM slm_clock WHERE ticket_id = %s", [ticket.id])
        self.env.cr.execute(
            "DELETE FROM slm_ticket_event WHERE ticket_id = %s", [ticket.id]
        )
        self.env.invalidate_all()
        self._hand_over(utc(2024, 1, 15, 10, 0), ticket)
        clocks = ticket.slm_clock_ids
        self.assertEqual(clocks.agreement_id, self.sla | self.uc)
        self.assertEqual(
            clocks.filtered(lambda c: c.agreement_id == self.sla).start,
            utc(2024, 1, 15, 9, 0),
        )
        self.assertEqual(
            set(clocks.filtered(lambda c: c.agreement_id == self.uc).mapped("start")),
            {utc(2024, 1, 15, 10, 0)},
        )

    def test_closed_with_supplier_stops_its_clocks(self):
        ticket = self._ticket(utc(2024, 1, 15, 9, 0), stage_id=self.stage_progress.id)
        self._hand_over(utc(2024, 1, 15, 10, 0), ticket)
        # Closed at 13:00 while with the supplier, no acknowledgement: both
        # clocks stop at the closing (response: 3 h > 2 h, breached at 12:00).
        self._at(utc(2024, 1, 15, 13, 0), ticket, stage_id=self.stage_done.id)
        self._refresh(ticket, utc(2024, 1, 15, 20, 0))
        self._assert_clock(
            self._clock(ticket, self.uc_resolution),
            status="met",
            stop=utc(2024, 1, 15, 13, 0),
            used_seconds=3 * H,
        )
        self._assert_clock(
            self._clock(ticket, self.uc_response),
            status="breached",
            stop=utc(2024, 1, 15, 13, 0),
            deadline=utc(2024, 1, 15, 12, 0),
        )

    def test_resolved_then_handed_over_again_resumes(self):
        ticket = self._ticket(utc(2024, 1, 15, 9, 0), stage_id=self.stage_progress.id)
        self._hand_over(utc(2024, 1, 15, 10, 0), ticket)
        self._resolved(utc(2024, 1, 15, 11, 0), ticket)
        # The fix did not hold: handed over again at 15:00; the 4 h between
        # do not count. 1 h used, 7 h left -> 22:00.
        self._hand_over(utc(2024, 1, 15, 15, 0), ticket)
        self._refresh(ticket, utc(2024, 1, 15, 16, 0))
        clock = self._clock(ticket, self.uc_resolution)
        self._assert_clock(
            clock,
            status="running",
            stop=False,
            used_seconds=2 * H,
            deadline=utc(2024, 1, 15, 22, 0),
        )
        self.assertEqual(ticket.supplier_state, "handed_over")
        self.assertFalse(ticket.supplier_resolved_date)
        # The response clock stopped at the first resolution and stays so.
        self.assertEqual(
            self._clock(ticket, self.uc_response).stop, utc(2024, 1, 15, 11, 0)
        )

    def test_contract_in_force_at_handover_applies(self):
        """The hand-over date decides (not the creation date), and the most
        specific contract of a supplier wins."""
        ticket = self._ticket(utc(2024, 1, 15, 9, 0), stage_id=self.stage_progress.id)
        general = self._uc(
            [self._target("resolution", 12)],
            supplier=self.hoster,
            service_ids=[(5, 0, 0)],
            date_start="2024-01-01",
        )
        # Starts after the ticket was created, before it is handed over.
        specific = self._uc(
            [self._target("resolution", 6)],
            supplier=self.hoster,
            date_start="2024-02-01",
        )
        self._hand_over(utc(2024, 2, 5, 10, 0), ticket, supplier=self.hoster)
        hoster_clocks = ticket.slm_clock_ids.filtered(
            lambda c: c.agreement_id.supplier_id == self.hoster
        )
        self.assertEqual(hoster_clocks.agreement_id, specific)
        self.assertNotIn(general, ticket.slm_clock_ids.agreement_id)
        self.assertEqual(hoster_clocks.start, utc(2024, 2, 5, 10, 0))

    def test_uc_breach_is_recorded_by_the_scan(self):
        ticket = self._ticket(utc(2024, 1, 15, 9, 0), stage_id=self.stage_progress.id)
        self._hand_over(utc(2024, 1, 15, 10, 0), ticket)
        with freeze_time(utc(2024, 1, 15, 15, 0)):
            self.env["slm.clock"]._cron_settle_due_clocks()
        # 5 h with the supplier: the 4 h target breached at 14:00; the 2 h
        # response at 12:00.
        breaches = self.env["slm.breach"].search([("ticket_id", "=", ticket.id)])
        self.assertEqual(
            set(breaches.mapped("agreement_kind")),
            {"uc"},
            breaches.mapped("display_name"),
        )
        self.assertEqual(breaches.target_id, self.uc_resolution_4 | self.uc_response)
        self.assertEqual(
            self._clock(ticket, self.uc_resolution_4).deadline,
            utc(2024, 1, 15, 14, 0),
        )

    def test_take_back_at_the_uc_deadline_is_breached_by_the_scan(self):
        """Issue 18, class 7. Handed over at 10:00: the 4 h resolution is due
        at 14:00. Taken back at 14:00 sharp: the clock waits (not with the
        supplier), but the take-back does not save it (clock rule 7): the scan
        at 14:05 breaches it at 14:00 and records the breach."""
        ticket = self._ticket(utc(2024, 1, 15, 9, 0), stage_id=self.stage_progress.id)
        self._hand_over(utc(2024, 1, 15, 10, 0), ticket)
        self._ack(utc(2024, 1, 15, 10, 30), ticket)
        self._take_back(utc(2024, 1, 15, 14, 0), ticket)
        clock = self._clock(ticket, self.uc_resolution_4)
        self.assertEqual(clock.status, "paused")
        self.assertEqual(clock.next_alert_at, utc(2024, 1, 15, 14, 0))
        with freeze_time(utc(2024, 1, 15, 14, 5)):
            self.env["slm.clock"]._cron_settle_due_clocks()
        self.assertEqual(clock.status, "breached")
        self.assertEqual(clock.settled_date, utc(2024, 1, 15, 14, 0))
        self.assertEqual(
            self.env["slm.breach"].search_count([("clock_id", "=", clock.id)]), 1
        )

    def test_reopened_after_take_back_and_close_stays_stopped(self):
        """Issue 18, class 8. Handed over 10:00, taken back 11:00 (1 h used),
        ticket closed 12:00: the 4 h resolution is met, stopped at the closing
        (12:00). Reopened at 13:00: the supplier does not have it, the clock
        stays met and stopped at 12:00 (before: it waited again, no stop).
        Handed over again at 15:00: it resumes, 1 h used, 3 h left: due
        18:00."""
        ticket = self._ticket(utc(2024, 1, 15, 9, 0), stage_id=self.stage_progress.id)
        self._hand_over(utc(2024, 1, 15, 10, 0), ticket)
        self._take_back(utc(2024, 1, 15, 11, 0), ticket)
        self._at(utc(2024, 1, 15, 12, 0), ticket, stage_id=self.stage_done.id)
        clock = self._clock(ticket, self.uc_resolution_4)
        self._assert_clock(
            clock, status="met", stop=utc(2024, 1, 15, 12, 0), used_seconds=H
        )
        self._at(utc(2024, 1, 15, 13, 0), ticket, stage_id=self.stage_progress.id)
        self._assert_clock(
            clock, status="met", stop=utc(2024, 1, 15, 12, 0), used_seconds=H
        )
        self._refresh(ticket, utc(2024, 1, 15, 14, 0))
        self.assertEqual(clock.status, "met")
        self._hand_over(utc(2024, 1, 15, 15, 0), ticket)
        self._assert_clock(
            clock, status="running", stop=False, deadline=utc(2024, 1, 15, 18, 0)
        )

    def _cancelled_stage(self):
        return self.env["helpdesk.ticket.stage"].create(
            {
                "name": "T Duplicate",
                "sequence": 6,
                "closed": True,
                "slm_not_resolution": True,
            }
        )

    def test_closed_as_not_a_resolution_with_supplier_cancels(self):
        """UC clock rule 1 (channel rule 7): handed over at 10:00, closed as a
        duplicate at 11:00 while with the supplier, within both thresholds:
        the closing stops the clocks but resolves nothing, they are cancelled
        (kept, out of attainment), not met."""
        duplicate = self._cancelled_stage()
        ticket = self._ticket(utc(2024, 1, 15, 9, 0), stage_id=self.stage_progress.id)
        self._hand_over(utc(2024, 1, 15, 10, 0), ticket)
        self._at(utc(2024, 1, 15, 11, 0), ticket, stage_id=duplicate.id)
        self._refresh(ticket, utc(2024, 1, 15, 20, 0))
        for target in (self.uc_response, self.uc_resolution):
            clock = self._clock(ticket, target)
            self._assert_clock(clock, status="cancelled", settled_date=False)
            self.assertEqual(clock.stop, utc(2024, 1, 15, 11, 0))
        # Reopened and closed as resolved: met again, at the new closing.
        self._at(utc(2024, 1, 15, 12, 0), ticket, stage_id=self.stage_progress.id)
        self._at(utc(2024, 1, 15, 13, 0), ticket, stage_id=self.stage_done.id)
        self._assert_clock(
            self._clock(ticket, self.uc_resolution),
            status="met",
            stop=utc(2024, 1, 15, 13, 0),
            used_seconds=2 * H,
        )
        # Then marked as a duplicate: the last closed stage counts.
        self._at(utc(2024, 1, 15, 14, 0), ticket, stage_id=duplicate.id)
        self._assert_clock(
            self._clock(ticket, self.uc_resolution),
            status="cancelled",
            stop=utc(2024, 1, 15, 13, 0),
        )

    def test_closed_as_not_a_resolution_after_take_back_cancels(self):
        """UC clock rule 1: taken back at 11:00, closed as a duplicate at
        12:00: the closing ends the supplier's part without a resolution
        (cancelled); a breach stays a breach (the 2 h response, due 12:00,
        was never acknowledged: breached at the closing)."""
        duplicate = self._cancelled_stage()
        ticket = self._ticket(utc(2024, 1, 15, 9, 0), stage_id=self.stage_progress.id)
        self._hand_over(utc(2024, 1, 15, 10, 0), ticket)
        self._take_back(utc(2024, 1, 15, 11, 0), ticket)
        self._at(utc(2024, 1, 15, 12, 0), ticket, stage_id=duplicate.id)
        self._refresh(ticket, utc(2024, 1, 15, 20, 0))
        self._assert_clock(
            self._clock(ticket, self.uc_resolution_4),
            status="cancelled",
            stop=utc(2024, 1, 15, 12, 0),
        )
        late = self._ticket(utc(2024, 1, 15, 9, 0), stage_id=self.stage_progress.id)
        self._hand_over(utc(2024, 1, 15, 10, 0), late)
        self._at(utc(2024, 1, 15, 13, 0), late, stage_id=duplicate.id)
        self._refresh(late, utc(2024, 1, 15, 20, 0))
        self._assert_clock(self._clock(late, self.uc_response), status="breached")
        self._assert_clock(self._clock(late, self.uc_resolution_4), status="cancelled")

    def test_resolved_by_supplier_then_closed_as_duplicate_stays_met(self):
        """UC clock rule 1: the supplier's resolution stopped its clocks, not
        the closing: a later closing as a duplicate leaves them met."""
        duplicate = self._cancelled_stage()
        ticket = self._ticket(utc(2024, 1, 15, 9, 0), stage_id=self.stage_progress.id)
        self._hand_over(utc(2024, 1, 15, 10, 0), ticket)
        self._ack(utc(2024, 1, 15, 10, 30), ticket)
        self._resolved(utc(2024, 1, 15, 11, 0), ticket)
        self._at(utc(2024, 1, 15, 12, 0), ticket, stage_id=duplicate.id)
        self._refresh(ticket, utc(2024, 1, 15, 20, 0))
        for target in (self.uc_response, self.uc_resolution):
            self.assertEqual(self._clock(ticket, target).status, "met")
        self.assertEqual(
            self._clock(ticket, self.uc_resolution).stop, utc(2024, 1, 15, 11, 0)
        )

    def test_closed_by_the_customer_with_supplier(self):
        """UC clock rule 1: a closure by the customer never answers a response
        clock; it resolves as the contract's *Customer Closure Resolves* says."""
        portal = new_test_user(
            self.env,
            "t_sup_closure_portal",
            "base.group_portal",
            partner_id=self.contact.id,
            context={"no_reset_password": True},
        )
        ticket = self._ticket(utc(2024, 1, 15, 9, 0), stage_id=self.stage_progress.id)
        self._hand_over(utc(2024, 1, 15, 10, 0), ticket)
        with freeze_time(utc(2024, 1, 15, 11, 0)):
            ticket.with_user(portal).sudo().write({"stage_id": self.stage_done.id})
        self._refresh(ticket, utc(2024, 1, 15, 20, 0))
        self.assertEqual(self._clock(ticket, self.uc_response).status, "cancelled")
        self.assertEqual(self._clock(ticket, self.uc_resolution).status, "met")
        # A contract whose customer closures do not resolve: cancelled.
        strict = self._uc(
            [self._target("resolution", 8)],
            supplier=self.hoster,
            customer_closure_resolves=False,
        )
        other = self._ticket(utc(2024, 1, 15, 9, 0), stage_id=self.stage_progress.id)
        self._hand_over(utc(2024, 1, 15, 10, 0), other, supplier=self.hoster)
        with freeze_time(utc(2024, 1, 15, 11, 0)):
            other.with_user(portal).sudo().write({"stage_id": self.stage_done.id})
        self.assertEqual(self._clock(other, strict.target_ids).status, "cancelled")

    def test_uc_refuses_reply_cycles(self):
        """Clock rules 15, 17 and 18 are not measured for suppliers: clear
        errors, nothing written."""
        draft = self.env["slm.agreement"].create(self._uc_vals())
        Target = self.env["slm.target"]
        for vals in (
            {"metric": "next_reply"},
            {"metric": "periodic_update"},
            {"metric": "resolution", "reopen_policy": "new_cycle"},
        ):
            with self.assertRaises(ValidationError) as caught:
                Target.create(
                    dict(self._target("resolution", 4), agreement_id=draft.id, **vals)
                )
            self.assertIn("not measured for suppliers", str(caught.exception))
        self.assertFalse(draft.target_ids)
