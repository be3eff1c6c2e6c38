# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The fixtures of the slm_reviews tests, in one module (no test here):
reviews and their seeded scenario (``SlmReviewCase``), monthly statements
and improvement plans (``StatementCase``)."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo.tests.common import new_test_user

from odoo.addons.slm_agreements.tests.common import SlmClockCase
from odoo.addons.slm_catalogue.tests.common import AccessCheckMixin

# ======================================================================
# Reviews (formerly review_common.py)
# A seeded scenario for the review tests: a customer's SLA with a response,
# a resolution and an availability target, an OLA backing the resolution target,
# tickets met and breached in August and September 2026, breach records (one
# with a cause, one excused), an outage, temporary changes, complaints and an
# earlier review with open and closed actions.
#
# Every instant is UTC; every target counts around the clock, so that the
# figures can be worked out by hand (see the comments).
# ======================================================================


class SlmReviewCase(SlmClockCase, AccessCheckMixin):
    """Users of the review roles and builders; ``_build_scenario`` seeds the
    records the agenda is generated from."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, no_mail_to_attendees=True))
        cls.analyst = cls._role_user("rev_analyst", "analyst")
        cls.reader = cls._role_user("rev_reader", "user")
        cls.process_owner = cls._role_user("rev_process_owner", "process_owner")
        cls.slm_manager = cls._role_user("rev_manager", "manager")

    @classmethod
    def _role_user(cls, login, role, **kw):
        return new_test_user(
            cls.env,
            login,
            f"slm_catalogue.group_slm_{role},base.group_user",
            context={"no_reset_password": True},
            tz="Europe/Brussels",
            **kw,
        )

    @classmethod
    def _review(cls, **vals):
        values = {
            "kind": "service",
            "partner_id": cls.customer.id,
            "period_start": "2026-09-01",
            "period_end": "2026-09-30",
        }
        values.update(vals)
        return cls.env["slm.review"].create(values)

    @classmethod
    def _action(cls, review, name, due, **vals):
        values = {
            "name": name,
            "review_id": review.id if review else False,
            "owner_id": cls.analyst.id,
            "due_date": due,
        }
        values.update(vals)
        return cls.env["slm.review.action"].create(values)

    @classmethod
    def _close_ticket(cls, created, replied, closed, **vals):
        """A ticket created, answered publicly and closed at these instants."""
        ticket = cls._ticket(cls, created, **vals)
        if replied:
            cls._reply(cls, replied, ticket)
        if closed:
            cls._at(cls, closed, ticket, stage_id=cls.stage_done.id)
        return ticket

    # ------------------------------------------------------------------
    # The seeded scenario
    # ------------------------------------------------------------------

    @classmethod
    def _build_scenario(cls):
        # The SLA of the customer for the service, in force since April 2026:
        # T1 response 1 h (objective 90 %), T2 resolution 4 h (80 %),
        # T3 availability (99 %), all 24x7 in UTC.
        cls.sla = cls._agreement(
            [
                cls._target("response", 1, objective_pct=90, calendar_id=False),
                cls._target("resolution", 4, objective_pct=80, calendar_id=False),
                {
                    "name": "T availability",
                    "metric": "availability",
                    "objective_pct": 99,
                    "warning_pct": 50,
                    "around_the_clock": True,
                    "calendar_id": False,
                },
            ],
            name="T Customer SLA",
            structure="customer_based",
            partner_id=cls.customer.id,
            customer_contact_id=cls.contact.id,
            date_start="2026-04-01",
        )
        cls.t1, cls.t2, cls.t3 = cls.sla.target_ids.sorted("id")
        # The OLA of the service desk team: O1 resolution 3 h (95 %), backing T2.
        cls.ola = cls._agreement(
            [cls._target("resolution", 3, objective_pct=95, calendar_id=False)],
            name="T Service Desk OLA",
            kind="ola",
            structure="service_based",
            team_id=cls.team.id,
            date_start="2026-04-01",
        )
        cls.o1 = cls.ola.target_ids
        cls.t2.underpinning_target_ids = [(6, 0, cls.o1.ids)]

        # August: K0 answered after 20 min, closed after 1 h: all met.
        cls.k0 = cls._close_ticket(
            "2026-08-10 10:00", "2026-08-10 10:20", "2026-08-10 11:00"
        )
        # September:
        # K1 answered 30 min, closed 2 h: T1 met, T2 met, O1 met.
        cls.k1 = cls._close_ticket(
            "2026-09-02 10:00", "2026-09-02 10:30", "2026-09-02 12:00"
        )
        # K2 answered 2 h (deadline 11:00, 1 h late), closed 3 h: T1 breached,
        # T2 met, O1 met (stopped exactly at its 3 h deadline).
        cls.k2 = cls._close_ticket(
            "2026-09-03 10:00", "2026-09-03 12:00", "2026-09-03 13:00"
        )
        # K3 answered 15 min, closed 6 h (deadline 14:00, 2 h late): T1 met,
        # T2 breached, O1 breached.
        cls.k3 = cls._close_ticket(
            "2026-09-04 10:00", "2026-09-04 10:15", "2026-09-04 16:00"
        )
        # K4 answered 10 min, closed 10 h (deadline 14:00, 6 h late): T1 met,
        # T2 breached but excused, O1 breached (not excused).
        cls.k4 = cls._close_ticket(
            "2026-09-05 10:00", "2026-09-05 10:10", "2026-09-05 20:00"
        )
        clocks = (cls.k0 | cls.k1 | cls.k2 | cls.k3 | cls.k4).slm_clock_ids
        Breach = cls.env["slm.breach"]
        Breach._slm_create_for_clocks(clocks.filtered(lambda c: c.status == "breached"))
        cls.cause = cls.env["slm.breach.cause"].create({"name": "T Staffing"})
        cls.breach_k2 = Breach.search([("ticket_id", "=", cls.k2.id)])
        cls.breach_k2.write(
            {"cause_id": cls.cause.id, "root_cause": "Two agents were ill."}
        )
        cls.breach_k4 = Breach.search(
            [("ticket_id", "=", cls.k4.id), ("target_id", "=", cls.t2.id)]
        )
        cls.breach_k4.write(
            {"excuse_reason": "customer", "excuse_note": "The customer held it up."}
        )
        cls.breach_k4.with_user(cls.analyst).action_request_excuse()
        cls.breach_k4.with_user(cls.manager).action_approve_excuse()

        # Availability: an outage of 10.8 h in September; the agreed service
        # time of September is 30 x 24 = 720 h: (720 - 10.8) / 720 = 98.5 %.
        # April to August had no outage: 100 %.
        with freeze_time("2026-10-03 08:00"):
            cls.env["slm.outage"].create(
                {
                    "name": "T Outage",
                    "service_id": cls.service.id,
                    "kind": "unplanned",
                    "date_start": "2026-09-10 00:00:00",
                    "date_end": "2026-09-10 10:48:00",
                }
            )
            cls.env["slm.availability"]._refresh(
                [date(2026, month, 1) for month in range(4, 10)]
            )

        # Temporary changes: a reduced service in September (shown), one in
        # October and a draft maintenance window in September (not shown).
        Adjustment = cls.env["slm.adjustment"].with_user(cls.manager)
        cls.adjustment = Adjustment.create(
            {
                "name": "T Reduced service",
                "agreement_id": cls.sla.id,
                "kind": "reduced",
                "date_start": "2026-09-20 00:00:00",
                "date_end": "2026-09-22 00:00:00",
                "reason": "Office move",
                "line_ids": [(0, 0, {"target_id": cls.t2.id, "threshold_hours": 8})],
            }
        )
        cls.adjustment_october = Adjustment.create(
            {
                "name": "T Reduced service in October",
                "agreement_id": cls.sla.id,
                "kind": "reduced",
                "date_start": "2026-10-05 00:00:00",
                "date_end": "2026-10-06 00:00:00",
                "reason": "Another move",
                "line_ids": [(0, 0, {"target_id": cls.t2.id, "threshold_hours": 8})],
            }
        )
        (cls.adjustment | cls.adjustment_october).action_submit()
        (cls.adjustment | cls.adjustment_october).with_user(
            cls.process_owner
        ).action_approve()
        Adjustment.create(
            {
                "name": "T Draft maintenance",
                "agreement_id": cls.sla.id,
                "kind": "maintenance",
                "date_start": "2026-09-25 00:00:00",
                "date_end": "2026-09-25 02:00:00",
            }
        )

        # Complaints: the customer's in September (K5, no service: no clock),
        # another customer's in September and the customer's in October.
        cls.other_contact = cls.env["res.partner"].create(
            {"name": "T Other Contact", "parent_id": cls.other_customer.id}
        )
        cls.k5 = cls._ticket(
            cls,
            "2026-09-15 08:00",
            name="T Complaint about the answers",
            service_id=False,
            slm_complaint=True,
            slm_complaint_date="2026-09-15",
        )
        cls._ticket(
            cls,
            "2026-09-16 08:00",
            name="T Other customer's complaint",
            partner_id=cls.other_contact.id,
            service_id=False,
            slm_complaint=True,
            slm_complaint_date="2026-09-16",
        )
        cls._ticket(
            cls,
            "2026-10-02 08:00",
            name="T October complaint",
            service_id=False,
            slm_complaint=True,
            slm_complaint_date="2026-10-02",
        )

        # An earlier review of the same scope (August) with an open action
        # (A1), a done one (A2) and a cancelled one (A3); a review of another
        # agreement of the customer with an open action (not the same scope).
        cls.other_sla = cls._agreement(
            [cls._target("resolution", 8, calendar_id=False)],
            name="T Other SLA",
            structure="customer_based",
            partner_id=cls.customer.id,
            service_ids=[(6, 0, [])],
            date_start="2026-04-01",
        )
        with freeze_time("2026-09-04 09:00"):
            cls.earlier = cls._review(
                agreement_ids=[(6, 0, cls.sla.ids)],
                period_start="2026-08-01",
                period_end="2026-08-31",
            )
            cls.a1 = cls._action(cls.earlier, "T Train the agents", "2026-09-30")
            cls.a2 = cls._action(cls.earlier, "T Fix the queue", "2026-09-30")
            cls.a3 = cls._action(cls.earlier, "T Buy a tool", "2026-09-30")
            cls.a2.action_done()
            cls.a3.action_cancel()
            cls.unrelated = cls._review(
                agreement_ids=[(6, 0, cls.other_sla.ids)],
                period_start="2026-08-01",
                period_end="2026-08-31",
            )
            cls.a4 = cls._action(cls.unrelated, "T Unrelated action", "2026-09-30")
        cls.review = cls._review(
            agreement_ids=[(6, 0, cls.sla.ids)],
            chair_id=cls.analyst.id,
            attendee_partner_ids=[(6, 0, cls.contact.ids)],
        )


# ======================================================================
# Monthly statements and improvement plans (formerly statement_common.py)
# Shared set-up of the monthly statement and improvement plan tests.
#
# A multi-level SLA of our own, agreed since 2020: corporate (every customer)
# -> customer level (T Customer) -> service level (T Customer, T Clocked
# Service). Every instant is UTC. Clocks are made by hand (the clock engine is
# tested in slm_agreements) on tickets created before the agreements, so that
# no clock of ours is computed on them.
# ======================================================================


FEBRUARY = date(2026, 2, 1)
MARCH = date(2026, 3, 1)
APRIL = date(2026, 4, 1)


class StatementCase(AccessCheckMixin, SlmClockCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reader = cls._role_user("stmt_reader", "user")
        cls.analyst = cls._role_user("stmt_analyst", "analyst")
        cls.slm_manager = cls._role_user("stmt_manager", "manager")
        cls.service_2 = cls.env["slm.service"].create(
            {
                "code": "TCLK2",
                "name": "T Second Service",
                "owner_id": cls.manager.id,
                "state": "live",
            }
        )
        # Tickets first: created before the agreements, they get no clock.
        cls.tickets = cls.env["helpdesk.ticket"]
        for number in range(16):
            cls.tickets |= cls.env["helpdesk.ticket"].create(
                {
                    "name": f"T Statement ticket {number}",
                    "description": "<p>Help</p>",
                    "partner_id": cls.contact.id,
                    "team_id": cls.team.id,
                    "stage_id": cls.stage_new.id,
                    "user_id": False,
                }
            )
        cls.corporate = cls._agreement(
            [
                cls._target("response", 1, objective_pct=90),
                cls._target("resolution", 8, objective_pct=80),
                cls._target("availability", 0, objective_pct=99.5),
            ],
            name="T Corporate",
            structure="multi_level",
            level="corporate",
            service_ids=[(5, 0, 0)],
        )
        cls.t_resp, cls.t_res, cls.t_avail = cls.corporate.target_ids.sorted("id")
        cls.customer_level = cls._agreement(
            [
                cls._target(
                    "resolution",
                    4,
                    objective_pct=95,
                    parent_target_id=cls.t_res.id,
                )
            ],
            name="T Customer Level",
            structure="multi_level",
            level="customer",
            parent_id=cls.corporate.id,
            partner_id=cls.customer.id,
            service_ids=[(5, 0, 0)],
        )
        cls.t_res_cust = cls.customer_level.target_ids
        cls.service_level = cls._agreement(
            [],
            name="T Service Level",
            structure="multi_level",
            level="service",
            parent_id=cls.customer_level.id,
            partner_id=cls.customer.id,
        )

    @classmethod
    def _role_user(cls, login, role):
        return new_test_user(
            cls.env,
            login,
            f"slm_catalogue.group_slm_{role}",
            context={"no_reset_password": True},
        )

    @classmethod
    def _target(cls, metric, hours, calendar=None, **vals):
        values = super()._target(metric, hours or 1, calendar, **vals)
        if metric == "availability":
            values.pop("threshold_hours")
        return values

    @classmethod
    def _settled(
        cls, target, status, settled, partner=None, service=None, excused=False
    ):
        """A clock of ``target`` settled (met or breached) at ``settled``, on
        a ticket of ``partner`` (default: T Customer) and ``service`` (default:
        T Clocked Service; False: none)."""
        if service is None:
            service = cls.service
        Clock = cls.env["slm.clock"].sudo()
        # A ticket has one clock per target: take one without.
        used = Clock.search(
            [("ticket_id", "in", cls.tickets.ids), ("target_id", "=", target.id)]
        ).ticket_id
        return Clock.create(
            {
                "ticket_id": (cls.tickets - used)[0].id,
                "target_id": target.id,
                "agreement_id": target.agreement_id.id,
                "status": status,
                "start": datetime(2026, 1, 1),
                "deadline": settled,
                "stop": settled if status == "met" else False,
                "settled_date": settled,
                "excused": excused,
                "partner_id": (partner or cls.customer).id,
                "service_id": service.id if service else False,
                "company_id": cls.company.id,
            }
        )

    @classmethod
    def _availability(cls, agreement, target, month, **vals):
        values = {
            "target_id": target.id,
            "agreement_id": agreement.id,
            "service_id": False,
            "company_id": cls.company.id,
            "period_start": month,
            "period_end": month.replace(day=28),
            "closed": True,
        }
        values.update(vals)
        return cls.env["slm.availability"].sudo().create(values)

    def _statement(self, agreement, month, user=None):
        Statement = self.env["slm.service.statement"]
        if user:
            Statement = Statement.with_user(user)
        return Statement.create({"agreement_id": agreement.id, "period_start": month})

    @staticmethod
    def _line(statement, target):
        return statement.line_ids.filtered(lambda line: line.target_id == target)

    def assertFigures(self, figures, met, breached, excused, attainment, achieved):
        self.assertEqual(
            (figures["met"], figures["breached"], figures["excused"]),
            (met, breached, excused),
        )
        self.assertEqual(figures["measured"], met + breached)
        if attainment is None:
            self.assertIsNone(figures["attainment"])
        else:
            self.assertAlmostEqual(figures["attainment"], attainment, places=2)
        self.assertEqual(figures["achieved"], achieved)

    def assertLine(self, line, met, breached, excused, attainment, achieved):
        self.assertEqual(len(line), 1)
        self.assertFigures(
            line._figures(), met, breached, excused, attainment, achieved
        )
