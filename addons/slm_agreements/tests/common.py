# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from contextlib import contextmanager
from datetime import datetime

from freezegun import freeze_time

from odoo.tests.common import TransactionCase, new_test_user


class SlmClockCase(TransactionCase):
    """Calendars in named time zones, stages, a customer, a service, and
    helpers to build agreed agreements and to drive tickets through time.

    Every instant in these tests is UTC unless the name says local.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, mail_notrack=True))
        cls.company = cls.env.company
        cls.manager = new_test_user(
            cls.env,
            "slm_clock_manager",
            "slm_catalogue.group_slm_manager,helpdesk_mgmt.group_helpdesk_manager",
            context={"no_reset_password": True},
        )
        cls.agent = new_test_user(
            cls.env,
            "slm_clock_agent",
            "helpdesk_mgmt.group_helpdesk_user",
            context={"no_reset_password": True},
        )
        cls.brussels = cls._calendar("T Brussels office", "Europe/Brussels", 8, 17)
        cls.new_york = cls._calendar("T New York office", "America/New_York", 9, 17)
        Stage = cls.env["helpdesk.ticket.stage"]
        cls.stage_new = Stage.create({"name": "T New", "sequence": 1})
        cls.stage_progress = Stage.create({"name": "T In Progress", "sequence": 2})
        cls.stage_waiting = Stage.create({"name": "T Waiting Customer", "sequence": 3})
        cls.stage_done = Stage.create({"name": "T Done", "sequence": 4, "closed": True})
        cls.team = cls.env["helpdesk.ticket.team"].create({"name": "T Service Desk"})
        cls.team_2 = cls.env["helpdesk.ticket.team"].create({"name": "T Second Line"})
        cls.customer = cls.env["res.partner"].create(
            {"name": "T Customer", "is_company": True}
        )
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "T Contact",
                "parent_id": cls.customer.id,
                "email": "c@example.com",
            }
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "T Other Customer", "is_company": True}
        )
        cls.service = cls.env["slm.service"].create(
            {
                "code": "TCLK",
                "name": "T Clocked Service",
                "owner_id": cls.manager.id,
                "state": "live",
                "customer_ids": [(6, 0, cls.customer.ids)],
            }
        )
        cls.priorities = {p.value: p for p in cls.env["slm.ticket.priority"].search([])}

    @contextmanager
    def assertRaisesText(self, exception, text):
        """assertRaises (inside Odoo's savepoint: what failed is rolled back)
        that also checks the message."""
        with self.assertRaises(exception) as caught:
            yield caught
        self.assertIn(text, str(caught.exception))

    # ------------------------------------------------------------------
    # Builders
    # ------------------------------------------------------------------

    @classmethod
    def _calendar(cls, name, tz, hour_from, hour_to, days=(0, 1, 2, 3, 4)):
        return cls.env["resource.calendar"].create(
            {
                "name": name,
                "tz": tz,
                "attendance_ids": [(5, 0, 0)]
                + [
                    (
                        0,
                        0,
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": hour_from,
                            "hour_to": hour_to,
                            "day_period": "morning",
                        },
                    )
                    for day in days
                ],
            }
        )

    @classmethod
    def _holiday(cls, calendar, date_from, date_to):
        return cls.env["resource.calendar.leaves"].create(
            {
                "name": "T Holiday",
                "calendar_id": calendar.id,
                "date_from": date_from,
                "date_to": date_to,
            }
        )

    @classmethod
    def _agreement(cls, targets, **vals):
        """An agreed agreement with the given target values, in force since 2020."""
        values = {
            "name": "T Agreement",
            "kind": "sla",
            "structure": "service_based",
            "date_start": "2020-01-01",
            "service_ids": [(6, 0, cls.service.ids)],
        }
        values.update(vals)
        values["target_ids"] = [(0, 0, t) for t in targets]
        agreement = cls.env["slm.agreement"].create(values)
        cls._agree(agreement)
        return agreement

    @classmethod
    def _agree(cls, agreement):
        if agreement.kind == "sla":
            agreement.write(
                {
                    "customer_signed_by_id": cls.contact.id,
                    "customer_signed_date": "2020-01-01",
                }
            )
        agreement.action_agree()

    @classmethod
    def _target(cls, metric, hours, calendar=None, **vals):
        values = {
            "name": f"T {metric} {hours} h",
            "metric": metric,
            "threshold_hours": hours,
            "objective_pct": 95,
            "warning_pct": 75,
        }
        if calendar:
            values["calendar_id"] = calendar.id
        else:
            values["around_the_clock"] = True
        values.update(vals)
        return values

    @classmethod
    def _portal_user(cls, login, partner=None, company=None):
        """A portal user whose password is its login: the contact ``partner``,
        or a new contact of ``company``."""
        values = {"partner_id": partner.id} if partner else {}
        user = new_test_user(
            cls.env,
            login,
            "base.group_portal",
            context={"no_reset_password": True},
            **values,
        )
        if company:
            user.partner_id.parent_id = company
        return user

    def _ticket(self, at, **vals):
        values = {
            "name": "T Ticket",
            "description": "<p>Help</p>",
            "partner_id": self.contact.id,
            "service_id": self.service.id,
            "team_id": self.team.id,
            "stage_id": self.stage_new.id,
            "priority": "1",
            "user_id": False,
        }
        values.update(vals)
        with freeze_time(at):
            return self.env["helpdesk.ticket"].create(values)

    def _at(self, at, ticket, **vals):
        with freeze_time(at):
            ticket.write(vals)

    def _reply(self, at, ticket, internal=False, author=None):
        with freeze_time(at):
            ticket.with_user(author or self.agent).message_post(
                body="Answer",
                message_type="comment",
                subtype_xmlid="mail.mt_note" if internal else "mail.mt_comment",
            )

    @staticmethod
    def _clock(ticket, target):
        return ticket.slm_clock_ids.filtered(lambda c: c.target_id == target)

    def _refresh(self, ticket, at):
        """Recompute the ticket's clocks as they stand at ``at``."""
        with freeze_time(at):
            ticket._slm_sync_clocks()


def utc(*args):
    return datetime(*args)
