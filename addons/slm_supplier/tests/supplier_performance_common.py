# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Builders for the supplier performance and management information tests.

Settled clocks are created directly (status, settled date, excused) on
tickets of their own, instead of driving tickets through a hand-over: these
tests are about counting settled clocks, and a ticket never handed to a
supplier gets no UC clock of its own (slm_supplier's hand-over tests cover
how UC clocks start and stop). Agreements are put in force with the
lifecycle's system write, without their sign-off (covered by the contract
tests)."""

from datetime import datetime, timedelta

from odoo.addons.slm_catalogue.tests.common import AccessCheckMixin, SlmCatalogueCase


def utc(*args):
    return datetime(*args)


class SupplierPerformanceCase(AccessCheckMixin, SlmCatalogueCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(cls.env.context, mail_notrack=True, tracking_disable=True)
        )
        cls.supplier_manager = cls._user("slm_perf_supplier_mgr", "supplier_manager")
        cls.process_owner = cls._user("slm_perf_process_owner", "process_owner")
        # Months begin in the agreement's time zone (slm_agreements' clock
        # rule 13): without a customer, the company's, here Brussels. (They
        # used to follow the company's working hours: kept in Brussels too.)
        calendar = cls.env["resource.calendar"].create(
            {"name": "T Company Hours", "tz": "Europe/Brussels"}
        )
        cls.company.resource_calendar_id = calendar
        cls.company.partner_id.tz = "Europe/Brussels"
        Partner = cls.env["res.partner"]
        cls.supplier = Partner.create({"name": "T Fibre Networks", "is_company": True})
        cls.supplier_2 = Partner.create({"name": "T Cable Works", "is_company": True})
        cls.Period = cls.env["slm.supplier.period"]
        cls.Clock = cls.env["slm.clock"]

    @classmethod
    def _agreement(cls, kind, name, targets=(), state="agreed", **vals):
        values = {
            "name": name,
            "kind": kind,
            "structure": "service_based",
            "date_start": "2025-01-01",
            "service_ids": [(6, 0, cls.svc_network.ids)],
            "target_ids": [(0, 0, t) for t in targets],
        }
        if kind == "ola":
            values["team_id"] = cls.team_network.id
        values.update(vals)
        agreement = cls.env["slm.agreement"].create(values)
        if state != "draft":
            agreement._system_write({"state": state})
        return agreement

    @classmethod
    def _uc(cls, supplier, name, ref, **vals):
        values = {
            "supplier_id": supplier.id,
            "contract_ref": ref,
            "monthly_fee": 4000,
            "credit_pct_per_breach": 5,
            "breach_allowance": 2,
            "credit_cap_pct": 25,
            "contract_value": 48000,
            "budget": 50000,
        }
        values.update(vals)
        targets = values.pop("targets", None) or [
            cls._target("response", 4, 90),
            cls._target("resolution", 8, 80),
        ]
        return cls._agreement("uc", name, targets, **values)

    @staticmethod
    def _target(metric, hours, objective):
        return {
            "name": f"T {metric} {hours} h",
            "metric": metric,
            "threshold_hours": hours,
            "objective_pct": objective,
            "around_the_clock": True,
        }

    @staticmethod
    def _targets(agreement):
        """(response, resolution) targets of ``agreement``."""
        targets = agreement.target_ids
        return (
            targets.filtered(lambda t: t.metric == "response"),
            targets.filtered(lambda t: t.metric == "resolution"),
        )

    @classmethod
    def _settled(cls, target, status, *moments, excused=False):
        """One settled clock of ``target`` per moment (UTC), each on a ticket
        of its own: met at the moment (its stop), or breached with the
        moment as deadline."""
        tickets = cls.env["helpdesk.ticket"].create(
            [
                {
                    "name": "T Supplier ticket",
                    "description": "<p>Help</p>",
                    "team_id": cls.team_unmapped.id,
                    "user_id": False,
                }
                for _moment in moments
            ]
        )
        vals_list = []
        for ticket, moment in zip(tickets, moments, strict=True):
            deadline = moment if status == "breached" else moment + timedelta(hours=1)
            vals_list.append(
                {
                    "ticket_id": ticket.id,
                    "target_id": target.id,
                    "agreement_id": target.agreement_id.id,
                    "status": status,
                    "start": moment - timedelta(hours=3),
                    "deadline": deadline,
                    "stop": moment if status == "met" else False,
                    "settled_date": moment,
                    "excused": excused,
                    "service_id": cls.svc_network.id,
                    "company_id": cls.company.id,
                }
            )
        return cls.Clock.sudo().create(vals_list)

    def _row(self, agreement, month):
        """The counted month of ``agreement`` starting on ``month`` (a string)."""
        return self.Period.search(
            [("agreement_id", "=", agreement.id), ("period_start", "=", month)]
        )
