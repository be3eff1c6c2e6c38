# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Shared set-up of the availability and change-impact tests (no test here).

Every instant is UTC. The office calendar is in UTC too, Monday to Friday
09:00-17:00, so that the hand-worked figures are easy to follow: March 2026
(1 March is a Sunday) has 22 working days, i.e. 176 hours of service time.
"""

from datetime import date, datetime

from odoo.addons.slm_catalogue.tests.common import AccessCheckMixin, SlmCatalogueCase

MARCH = date(2026, 3, 1)
APRIL = date(2026, 4, 1)
# March is over: its figures are final.
AFTER_MARCH = datetime(2026, 4, 10, 12, 0)


class AvailabilityCase(AccessCheckMixin, SlmCatalogueCase):
    """A dependency chain A -> B -> C (A depends on B, B on C), a standalone
    service, customers, a UTC office calendar, and builders of agreed
    agreements with availability targets, outages and maintenance windows."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, mail_notrack=True))
        cls.office = cls.env["resource.calendar"].create(
            {
                "name": "T UTC Office",
                "tz": "UTC",
                "attendance_ids": [(5, 0, 0)]
                + [
                    (
                        0,
                        0,
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": 9,
                            "hour_to": 17,
                            "day_period": "morning",
                        },
                    )
                    for day in range(5)
                ],
            }
        )
        Partner = cls.env["res.partner"]
        cls.customer_a = Partner.create(
            {"name": "T Avail Customer A", "is_company": True}
        )
        cls.customer_b = Partner.create(
            {"name": "T Avail Customer B", "is_company": True}
        )
        cls.signer = Partner.create({"name": "T Avail Signer"})
        cls.svc_c = cls.Service.create(
            {
                "code": "TAVC",
                "name": "T Storage (C)",
                "owner_id": cls.owner.id,
                "state": "live",
                "service_type": "supporting",
            }
        )
        cls.svc_b = cls.Service.create(
            {
                "code": "TAVB",
                "name": "T Database (B)",
                "owner_id": cls.owner.id,
                "state": "live",
                "service_type": "supporting",
                "dependency_ids": [(6, 0, cls.svc_c.ids)],
            }
        )
        cls.svc_a = cls.Service.create(
            {
                "code": "TAVA",
                "name": "T Application (A)",
                "owner_id": cls.owner.id,
                "state": "live",
                "dependency_ids": [(6, 0, cls.svc_b.ids)],
                "customer_ids": [(6, 0, cls.customer_a.ids)],
            }
        )
        cls.svc_other = cls.Service.create(
            {
                "code": "TAVO",
                "name": "T Other Service",
                "owner_id": cls.owner.id,
                "state": "live",
                "customer_ids": [(6, 0, cls.customer_b.ids)],
            }
        )
        cls.Availability = cls.env["slm.availability"]
        cls.Outage = cls.env["slm.outage"]

    # ------------------------------------------------------------------
    # Builders
    # ------------------------------------------------------------------

    @classmethod
    def _availability_target(cls, objective=99.5, warning=50, calendar=None, **vals):
        values = {
            "metric": "availability",
            "objective_pct": objective,
            "warning_pct": warning,
        }
        if calendar is None:
            values.update(around_the_clock=True, calendar_id=False)
        else:
            values.update(around_the_clock=False, calendar_id=calendar.id)
        values.update(vals)
        return values

    @classmethod
    def _agreement(cls, services, targets, **vals):
        """An SLA on ``services`` agreed by the manager, in force since 2026."""
        values = {
            "name": "T Availability SLA",
            "kind": "sla",
            "structure": "service_based",
            "date_start": "2026-01-01",
            "service_ids": [(6, 0, services.ids)],
            "customer_signed_by_id": cls.signer.id,
            "customer_signed_date": "2025-12-20",
            "provider_user_id": cls.manager.id,
            "target_ids": [(0, 0, target) for target in targets],
        }
        values.update(vals)
        agreement = cls.env["slm.agreement"].with_user(cls.manager).create(values)
        agreement.action_agree()
        return agreement.with_user(cls.env.user)

    @classmethod
    def _outage(cls, service, start, end=None, **vals):
        values = {
            "name": f"T outage of {service.code}",
            "service_id": service.id,
            "date_start": start,
            "date_end": end or False,
        }
        values.update(vals)
        return cls.Outage.create(values)

    @classmethod
    def _maintenance(cls, agreement, start, end, approve=True):
        """A maintenance window of ``agreement``, approved through the workflow
        (asked by one Service Level Manager, approved by another)."""
        window = (
            cls.env["slm.adjustment"]
            .with_user(cls.manager)
            .create(
                {
                    "name": "T maintenance",
                    "agreement_id": agreement.id,
                    "kind": "maintenance",
                    "date_start": start,
                    "date_end": end,
                    "reason": "Agreed with the customer",
                }
            )
        )
        if approve:
            window.action_submit()
            window.with_user(cls.manager_2).action_approve()
        return window

    def _row(self, target, service=None, month=MARCH, agreement=None):
        return self.Availability.search(
            [
                ("target_id", "=", target.id),
                ("agreement_id", "=", (agreement or target.agreement_id).id),
                ("service_id", "=", service.id if service else False),
                ("period_start", "=", month),
            ]
        )

    def _refresh(self, now, months=(MARCH,)):
        self.Availability._refresh(set(months), now=now)
