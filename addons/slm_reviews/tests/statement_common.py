# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Shared set-up of the monthly statement and improvement plan tests.

A multi-level SLA of our own, agreed since 2020: corporate (every customer)
-> customer level (T Customer) -> service level (T Customer, T Clocked
Service). Every instant is UTC. Clocks are made by hand (the clock engine is
tested in slm_agreements) on tickets created before the agreements, so that
no clock of ours is computed on them.
"""

from datetime import date, datetime

from odoo.tests.common import new_test_user

from odoo.addons.slm_agreements.tests.common import SlmClockCase
from odoo.addons.slm_catalogue.tests.common import AccessCheckMixin

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
