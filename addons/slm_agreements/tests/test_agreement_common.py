# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from contextlib import contextmanager

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests.common import TransactionCase, new_test_user


class AgreementCase(TransactionCase):
    """Users of every role, customers, services, teams and calendars of its own,
    and builders of agreements, for the agreement and target tests.

    No test here: the classes that inherit it hold them. Everything is created
    here, so that the tests pass with and without demo data.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.today = fields.Date.context_today(cls.env["slm.agreement"])
        cls.reader = cls._user("agr_reader", "slm_catalogue.group_slm_user")
        cls.analyst = cls._user("agr_analyst", "slm_catalogue.group_slm_analyst")
        cls.owner = cls._user("agr_owner", "slm_catalogue.group_slm_service_owner")
        cls.supplier_manager = cls._user(
            "agr_supplier", "slm_catalogue.group_slm_supplier_manager"
        )
        cls.manager = cls._user("agr_manager", "slm_catalogue.group_slm_manager")
        cls.process_owner = cls._user(
            "agr_process", "slm_catalogue.group_slm_process_owner"
        )
        cls.agent = cls._user("agr_agent", "helpdesk_mgmt.group_helpdesk_user_own")
        cls.outsider = cls._user("agr_outsider", "base.group_user")
        Partner = cls.env["res.partner"]
        cls.customer = Partner.create({"name": "T Customer", "is_company": True})
        cls.contact = Partner.create(
            {"name": "T Customer Contact", "parent_id": cls.customer.id}
        )
        cls.other_customer = Partner.create({"name": "T Other", "is_company": True})
        cls.other_contact = Partner.create(
            {"name": "T Other Contact", "parent_id": cls.other_customer.id}
        )
        Service = cls.env["slm.service"]
        cls.service = Service.create(
            {"code": "TAGR1", "name": "T Service", "owner_id": cls.manager.id}
        )
        cls.service_2 = Service.create(
            {"code": "TAGR2", "name": "T Service 2", "owner_id": cls.manager.id}
        )
        Team = cls.env["helpdesk.ticket.team"]
        cls.team = Team.create({"name": "T Second Line"})
        cls.stage_waiting = cls.env["helpdesk.ticket.stage"].create(
            {"name": "T Waiting for Customer"}
        )
        cls.office_hours = cls._calendar("T Office", range(5))
        cls.no_hours = cls._calendar("T No Hours", ())
        cls.priorities = {p.value: p for p in cls.env["slm.ticket.priority"].search([])}
        cls.Agreement = cls.env["slm.agreement"].with_user(cls.manager)
        cls.Target = cls.env["slm.target"].with_user(cls.manager)

    # ------------------------------------------------------------------
    # Builders
    # ------------------------------------------------------------------

    @classmethod
    def _user(cls, login, groups):
        return new_test_user(
            cls.env, login, groups, context={"no_reset_password": True}
        )

    @classmethod
    def _calendar(cls, name, days):
        return cls.env["resource.calendar"].create(
            {
                "name": name,
                "tz": "Europe/Brussels",
                "attendance_ids": [(5, 0, 0)]
                + [
                    (
                        0,
                        0,
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": 8,
                            "hour_to": 17,
                            "day_period": "morning",
                        },
                    )
                    for day in days
                ],
            }
        )

    @classmethod
    def _target_vals(cls, metric="resolution", hours=8, **vals):
        values = {
            "metric": metric,
            "threshold_hours": hours,
            "calendar_id": cls.office_hours.id,
        }
        values.update(vals)
        return values

    @classmethod
    def _agreement(cls, targets=None, **vals):
        """A draft SLA for the test service, in force since 10 days, as the manager.

        ``targets``: a list of target values (one 8-hour resolution target by
        default; an empty list for none).
        """
        values = {
            "name": "T Agreement",
            "kind": "sla",
            "structure": "service_based",
            "service_ids": [(6, 0, cls.service.ids)],
            "date_start": cls.today - relativedelta(days=10),
        }
        values.update(vals)
        if targets is None:
            targets = [cls._target_vals()]
        values["target_ids"] = [(0, 0, target) for target in targets]
        return cls.Agreement.create(values)

    @classmethod
    def _sign(cls, agreement, signer=None):
        agreement.write(
            {
                "customer_signed_by_id": (signer or cls.contact).id,
                "customer_signed_date": cls.today - relativedelta(days=11),
            }
        )

    @classmethod
    def _agreed(cls, targets=None, **vals):
        agreement = cls._agreement(targets, **vals)
        if agreement.kind == "sla":
            cls._sign(agreement)
        agreement.action_agree()
        return agreement

    @classmethod
    def _multi_level(cls, level, parent=None, targets=None, **vals):
        values = {
            "name": f"T {level}",
            "structure": "multi_level",
            "level": level,
            "parent_id": parent.id if parent else False,
            "service_ids": [(5, 0, 0)],
        }
        if level != "corporate":
            values["partner_id"] = cls.customer.id
        if level == "service":
            values["service_ids"] = [(6, 0, cls.service.ids)]
        values.update(vals)
        return cls._agreement(targets, **values)

    # ------------------------------------------------------------------
    # Assertions
    # ------------------------------------------------------------------

    @contextmanager
    def assertRaisesText(self, exception, text):
        """assertRaises (which rolls back to a savepoint: nothing written stays)
        plus a check of the message."""
        with self.assertRaises(exception) as caught:
            yield caught
        self.assertIn(text, str(caught.exception))

    def assertUnchanged(self, record, **expected):
        """The record, read again from the database, has these values."""
        record.invalidate_recordset()
        for name, value in expected.items():
            self.assertEqual(record[name], value, f"{record._name}.{name} changed")
