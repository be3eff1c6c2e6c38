# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The fixtures of the slm_supplier tests, in one module (no test here):
underpinning contracts and their clocks (``SupplierContractCase``), renewal,
compliance and supplier selection (``SupplierCompCase``), supplier
performance and management information (``SupplierPerformanceCase``).
Everything is created here, so that the tests pass with and without demo
data."""

from datetime import timedelta

from freezegun import freeze_time

from odoo.tests.common import TransactionCase, new_test_user

from odoo.addons.slm_agreements.tests.common import (  # noqa: F401 (utc: for the tests)
    SlmClockCase,
    utc,
)
from odoo.addons.slm_catalogue.tests.common import (
    AccessCheckMixin,
    SlmCatalogueCase,
    SlmTestMixin,
)

# ======================================================================
# Underpinning contracts and their clocks (formerly supplier_contract_common.py)
# ======================================================================


class SupplierContractCase(SlmClockCase):
    """Suppliers, users of each role and builders of underpinning contracts.

    Builds its own data (suppliers, services, contracts), so that the tests
    pass with and without demo data. Instants are UTC unless named local.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.fibre = Partner.create({"name": "T Fibre", "is_company": True})
        cls.fibre_signer = Partner.create(
            {"name": "T Fibre Signer", "parent_id": cls.fibre.id}
        )
        cls.hoster = Partner.create({"name": "T Hoster", "is_company": True})
        cls.hoster_signer = Partner.create(
            {"name": "T Hoster Signer", "parent_id": cls.hoster.id}
        )
        cls.stranger = Partner.create({"name": "T Stranger", "is_company": True})
        cls.other_service = cls.env["slm.service"].create(
            {
                "code": "TOTH",
                "name": "T Other Service",
                "owner_id": cls.manager.id,
                "state": "live",
            }
        )
        cls.supplier_manager = cls._role_user(
            "t_sup_manager", "slm_catalogue.group_slm_supplier_manager"
        )
        cls.analyst = cls._role_user("t_sup_analyst", "slm_catalogue.group_slm_analyst")
        cls.reader = cls._role_user("t_sup_reader", "slm_catalogue.group_slm_user")
        cls.sl_manager = cls._role_user("t_sup_slm", "slm_catalogue.group_slm_manager")
        cls.employee = cls._role_user("t_sup_employee", "base.group_user")

    @classmethod
    def _role_user(cls, login, groups):
        return new_test_user(
            cls.env, login, groups, context={"no_reset_password": True}
        )

    @classmethod
    def _uc_vals(cls, supplier=None, **vals):
        supplier = supplier or cls.fibre
        values = {
            "name": f"T Contract with {supplier.name}",
            "kind": "uc",
            "supplier_id": supplier.id,
            "date_start": "2020-01-01",
            "service_ids": [(6, 0, cls.service.ids)],
        }
        values.update(vals)
        return values

    @classmethod
    def _uc(cls, targets, supplier=None, agree=True, **vals):
        """A UC with these target values, agreed unless told otherwise."""
        values = cls._uc_vals(supplier=supplier, **vals)
        values["target_ids"] = [(0, 0, t) for t in targets]
        contract = cls.env["slm.agreement"].create(values)
        if agree:
            cls._agree(contract)
        return contract

    @classmethod
    def _agree(cls, agreement):
        if agreement.kind == "uc":
            signer = agreement.supplier_id.child_ids[:1] or agreement.supplier_id
            agreement.write(
                {
                    "supplier_signed_by_id": signer.id,
                    "supplier_signed_date": agreement.date_start,
                }
            )
            agreement.action_agree()
            return
        super()._agree(agreement)

    # ------------------------------------------------------------------
    # Hand-over steps, at a given instant, as the helpdesk agent
    # ------------------------------------------------------------------

    def _hand_over(self, at, ticket, supplier=None, user=None):
        with freeze_time(at):
            ticket.with_user(user or self.agent)._slm_hand_over(
                supplier or self.fibre, note="Please have a look"
            )

    def _ack(self, at, ticket):
        with freeze_time(at):
            ticket.with_user(self.agent).action_slm_supplier_ack()

    def _resolved(self, at, ticket):
        with freeze_time(at):
            ticket.with_user(self.agent).action_slm_supplier_resolved()

    def _take_back(self, at, ticket):
        with freeze_time(at):
            ticket.with_user(self.agent).action_slm_supplier_take_back()


# ======================================================================
# Renewal, compliance and supplier selection (formerly supplier_comp_common.py)
# ======================================================================


class SupplierCompCase(SlmTestMixin, TransactionCase):
    """Users of every role, suppliers, a service and a builder of underpinning
    contracts, for the renewal, compliance and supplier selection tests.

    No test here. Everything is created here, so that the tests pass with and
    without demo data.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, mail_notrack=True))
        cls.company = cls.env.company
        cls.reader = cls._user("comp_reader", "slm_catalogue.group_slm_user")
        cls.analyst = cls._user("comp_analyst", "slm_catalogue.group_slm_analyst")
        cls.owner = cls._user("comp_owner", "slm_catalogue.group_slm_service_owner")
        cls.supplier_manager = cls._user(
            "comp_supplier", "slm_catalogue.group_slm_supplier_manager"
        )
        cls.supplier_manager_2 = cls._user(
            "comp_supplier2", "slm_catalogue.group_slm_supplier_manager"
        )
        cls.manager = cls._user("comp_manager", "slm_catalogue.group_slm_manager")
        cls.process_owner = cls._user(
            "comp_process", "slm_catalogue.group_slm_process_owner"
        )
        cls.agent = cls._user("comp_agent", "helpdesk_mgmt.group_helpdesk_user")
        cls.outsider = cls._user("comp_outsider", "base.group_user")
        Partner = cls.env["res.partner"]
        cls.supplier = Partner.create({"name": "T Fibre Ltd", "is_company": True})
        cls.supplier_contact = Partner.create(
            {"name": "T Fibre Signer", "parent_id": cls.supplier.id}
        )
        cls.supplier_2 = Partner.create({"name": "T Airwaves Inc", "is_company": True})
        cls.supplier_3 = Partner.create({"name": "T Meshworks", "is_company": True})
        cls.not_invited = Partner.create({"name": "T Uninvited", "is_company": True})
        cls.service = cls.env["slm.service"].create(
            {"code": "TCOMP", "name": "T Wi-Fi", "owner_id": cls.manager.id}
        )
        cls.Agreement = cls.env["slm.agreement"]

    @classmethod
    def _user(cls, login, groups):
        return new_test_user(
            cls.env, login, groups, context={"no_reset_password": True}
        )

    @classmethod
    def _uc(cls, agreed=True, **vals):
        """An underpinning contract with T Fibre Ltd, watched by the test
        Supplier Manager; agreed unless told otherwise.

        Agreed directly (system write): the sign-off of a UC is the contract
        tests' business, not these.
        """
        values = {
            "name": "T Contract",
            "kind": "uc",
            "supplier_id": cls.supplier.id,
            "date_start": "2026-01-01",
            "service_ids": [(6, 0, cls.service.ids)],
            "supplier_manager_id": cls.supplier_manager.id,
            "notice_period_days": 60,
            "renewal_type": "manual",
        }
        values.update(vals)
        contract = cls.Agreement.create(values)
        if agreed:
            contract._system_write({"state": "agreed"})
        return contract

    def _activities(self, records, xmlid):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", records._name),
                ("res_id", "in", records.ids),
                ("activity_type_id", "=", self.env.ref(xmlid).id),
            ]
        )

    def _notes(self, record, text):
        """Messages of ``record`` whose body contains ``text``."""
        return record.message_ids.filtered(lambda m: text in (m.body or ""))


# ======================================================================
# Supplier performance and MI (formerly supplier_performance_common.py)
# Builders for the supplier performance and management information tests.
#
# Settled clocks are created directly (status, settled date, excused) on
# tickets of their own, instead of driving tickets through a hand-over: these
# tests are about counting settled clocks, and a ticket never handed to a
# supplier gets no UC clock of its own (slm_supplier's hand-over tests cover
# how UC clocks start and stop). Agreements are put in force with the
# lifecycle's system write, without their sign-off (covered by the contract
# tests).
# ======================================================================


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
