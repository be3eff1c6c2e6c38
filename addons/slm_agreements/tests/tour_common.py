# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Shared set-up of the browser tours of the suite (slm_agreements and
slm_reviews): users of one role each, customers, services, agreed SLAs."""

from odoo import Command
from odoo.tests import HttpCase, new_test_user


def tour_user(env, login, groups, **values):
    """A user of these groups whose password is its login."""
    return new_test_user(
        env,
        login,
        groups,
        context={"no_reset_password": True},
        password=login,
        tz="UTC",
        **values,
    )


class SlmTourCase(HttpCase):
    """Builders of the records the tours start from."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, mail_notrack=True))
        cls.stage_done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        # Without demo data the company has no e-mail address, and the e-mail
        # of helpdesk_mgmt's Done stage (sent from it) would fail and log an
        # ERROR when a tour closes a ticket.
        if not cls.env.company.email:
            cls.env.company.email = "service-desk@example.com"

    @classmethod
    def _customer(cls, name, contact_name):
        customer = cls.env["res.partner"].create({"name": name, "is_company": True})
        contact = cls.env["res.partner"].create(
            {
                "name": contact_name,
                "parent_id": customer.id,
                "email": f"{contact_name.split()[0].lower()}@example.com",
            }
        )
        return customer, contact

    @classmethod
    def _service(cls, code, name, owner):
        return cls.env["slm.service"].create(
            {"code": code, "name": name, "owner_id": owner.id, "state": "live"}
        )

    @classmethod
    def _agreed_sla(cls, name, customer, contact, service, manager, targets):
        """An SLA of the customer for the service, agreed by ``manager``, in
        force since 2020, with targets counting around the clock."""
        sla = cls.env["slm.agreement"].create(
            {
                "name": name,
                "kind": "sla",
                "structure": "customer_based",
                "partner_id": customer.id,
                "customer_contact_id": contact.id,
                "service_ids": [Command.set(service.ids)],
                "date_start": "2020-01-01",
                "customer_signed_by_id": contact.id,
                "customer_signed_date": "2020-01-01",
                "target_ids": [
                    Command.create(
                        {
                            "name": target_name,
                            "sequence": sequence,
                            "metric": metric,
                            "threshold_hours": hours,
                            "objective_pct": 90,
                            "around_the_clock": True,
                        }
                    )
                    for sequence, (target_name, metric, hours) in enumerate(targets)
                ],
            }
        )
        sla.with_user(manager).action_agree()
        return sla
