# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Who may do what on every ``slm.*`` model: the access matrix of the suite.

The table below IS the documentation of the roles (closing note of issue 16).
Each cell says what a user of that role may do on a sample record of the main
company (a record this user neither owns nor was assigned): ``r`` read, ``w``
write, ``c`` create (a record like it), ``u`` unlink (delete); ``-`` refused.
Access rights (ir.model.access.csv) and record rules are both checked, on the
sample record; wizards (transient models) have no shared records: their
column is the access rights only.

Roles (columns, in ``ROLES`` order):

- ``read``  reader: SLM User (read)
- ``anal``  analyst: Service Level Analyst
- ``ownr``  owner: Service Owner (owns none of the samples)
- ``supp``  supplier: Supplier Manager
- ``mngr``  manager: Service Level Manager
- ``proc``  process: Process Owner
- ``agnt``  agent: helpdesk agent, *User: all tickets*, no SLM role
- ``aown``  agent_own: helpdesk agent, *User: personal tickets*, who is not
  assigned the sample ticket and is not in its team
- ``prtl``  portal: portal user of another customer
- ``othc``  other_co: Service Level Manager and helpdesk agent of a second
  company only

Beyond this table, measurement is system data (access rule 1 of
slm_agreements' USAGE.md): clocks, their tickets' history and breach records
refuse create/write/unlink outside the suite's own code (``self.env.su``),
whatever a misconfigured access right says; see ``TestMeasurementTampering``.
A model that is not in the table makes the test fail: add its row.
"""

from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tests.common import new_test_user

from odoo.addons.slm_agreements.tests.common import SlmClockCase
from odoo.addons.slm_catalogue.tests.common import AccessCheckMixin

ROLES = (
    "reader",
    "analyst",
    "owner",
    "supplier",
    "manager",
    "process",
    "agent",
    "agent_own",
    "portal",
    "other_co",
)

# fmt: off
MATRIX = {
    # model                          read anal ownr supp mngr proc agnt aown prtl othc
    # -- catalogue (slm_catalogue) --
    "slm.service":                  "r--- r--- r--- r--- rwcu rwcu r--- r--- ---- ----",
    # shared categories (no company): the Process Owner's (access rule 2)
    "slm.service.category":         "r--- r--- r--- r--- r--- rwcu r--- r--- ---- r---",
    "slm.service.design":           "r--- r--- r--- r--- rwcu rwcu ---- ---- ---- ----",
    "slm.service.lifecycle.log":    "r--- r--- r-c- r-c- r-c- r-c- ---- ---- ---- ----",
    "slm.catalogue.discrepancy":    "r--- r--- r-c- r-c- rwcu rwcu ---- ---- ---- ----",
    # -- agreements (slm_agreements) --
    "slm.agreement":                "r--- r--- r--- r--- rwcu rwcu r--- r--- ---- ----",
    "slm.seal":                     "---- ---- ---- ---- r--- r--- ---- ---- ---- ----",
    "slm.target":                   "r--- r--- r--- r--- rwcu rwcu r--- r--- ---- ----",
    "slm.escalation.level":         "r--- r--- r--- r--- rwcu rwcu r--- r--- ---- ----",
    "slm.ticket.priority":          "r--- r--- r--- r--- r--- rwcu r--- r--- ---- r---",
    "slm.adjustment":               "r--- r--- r--- r--- rwcu rwcu r--- r--- ---- ----",
    "slm.adjustment.line":          "r--- r--- r--- r--- rwcu rwcu r--- r--- ---- ----",
    "slm.alignment.issue":          "r--- r--- r--- r--- r--- r--- ---- ---- ---- ----",
    # outages: agents record them (and end those they recorded), owners
    # change those of their own services, managers all (access rule 4)
    "slm.outage":                   "r--- r--- r--- r--- rwcu rwcu r-c- r--- ---- ----",
    "slm.availability":             "r--- r--- r--- r--- r--- r--- ---- ---- ---- ----",
    # -- measurement: system data, read only for everyone (access rule 1) --
    "slm.clock":                    "r--- r--- r--- r--- r--- r--- r--- ---- ---- ----",
    "slm.ticket.event":             "r--- r--- r--- r--- r--- r--- r--- ---- ---- ----",
    "slm.attainment.report":        "r--- r--- r--- r--- r--- r--- ---- ---- ---- ----",
    # a person's recomputation: previewed and applied by managers, read by
    # the SLM roles; its preview and the superseded results are system data
    # (recomputation rule 5)
    "slm.recompute":                "r--- r--- r--- r--- rwcu rwcu ---- ---- ---- ----",
    "slm.recompute.line":           "r--- r--- r--- r--- r--- r--- ---- ---- ---- ----",
    "slm.recompute.month":          "r--- r--- r--- r--- r--- r--- ---- ---- ---- ----",
    "slm.clock.revision":           "r--- r--- r--- r--- r--- r--- ---- ---- ---- ----",
    "slm.clock.job.chunk":          "r--- r--- r--- r--- r--- r--- ---- ---- ---- ----",
    # breaches: the analysis is written (never the measured fields), none
    # created or deleted by hand
    "slm.breach":                   "r--- rw-- rw-- rw-- rw-- rw-- r--- ---- ---- ----",
    "slm.breach.cause":             "r--- r--- r--- r--- r--- rwcu r--- r--- ---- r---",
    # deadline proposals: agents propose on the tickets they see, Service
    # Level Managers decide (the buttons; guards keep decisions and the
    # decided proposals frozen, only drafts are deleted)
    "slm.deadline.proposal":        "r--- r--- r--- r--- rwcu rwcu rwcu ---- ---- ----",
    # wizards: access rights only (each user sees the wizards they opened)
    "slm.seal.verification":        "---- ---- ---- ---- rwc- rwc- ---- ---- ---- rwc-",
    "slm.simulation.wizard":        "---- ---- ---- ---- rwc- rwc- ---- ---- ---- rwc-",
    "slm.simulation.line":          "---- ---- ---- ---- rwcu rwcu ---- ---- ---- rwcu",
    "slm.change.impact.wizard":     "---- ---- rwc- rwc- rwc- rwc- ---- ---- ---- rwc-",
    "slm.change.impact.line":       "---- ---- rwcu rwcu rwcu rwcu ---- ---- ---- rwcu",
    "slm.service.lifecycle.wizard": "---- ---- rwc- rwc- rwc- rwc- ---- ---- ---- rwc-",
    "slm.deadline.proposal.wizard": "---- ---- ---- ---- rwc- rwc- rwc- rwc- ---- rwc-",
    # -- suppliers (slm_supplier; skipped when not installed) --
    "slm.supplier.compliance":      "---- r--- r--- rwcu rwcu rwcu ---- ---- ---- ----",
    "slm.supplier.rfp":             "---- r--- r--- rwcu rwcu rwcu ---- ---- ---- ----",
    "slm.supplier.rfp.criterion":   "---- r--- r--- rwcu rwcu rwcu ---- ---- ---- ----",
    "slm.supplier.proposal":        "---- r--- r--- rwcu rwcu rwcu ---- ---- ---- ----",
    "slm.supplier.proposal.score":  "---- r--- r--- rwcu rwcu rwcu ---- ---- ---- ----",
    "slm.supplier.period":          "---- r--- r--- rw-- rw-- rw-u ---- ---- ---- ----",
    "slm.supplier.period.line":     "---- r--- r--- r--- r--- r--- ---- ---- ---- ----",
    # management information: UC rows for supplier managers, all for the
    # Process Owner (the sample is an SLA row)
    "slm.supplier.mi.report":       "---- ---- ---- ---- ---- r--- ---- ---- ---- ----",
    "slm.supplier.handover.wizard": "rwc- rwc- rwc- rwc- rwc- rwc- rwc- rwc- ---- rwc-",
    # -- reviews (slm_reviews) --
    "slm.review":                   "r--- rwc- rwc- rwc- rwcu rwcu ---- ---- ---- ----",
    "slm.review.action":            "r--- rwc- rwc- rwc- rwcu rwcu ---- ---- ---- ----",
    "slm.improvement.plan":         "r--- rwc- rwc- rwc- rwcu rwcu ---- ---- ---- ----",
    "slm.service.statement":        "r--- rwc- rwc- rwc- rwcu rwcu ---- ---- ---- ----",
    "slm.service.statement.line":   "r--- rwcu rwcu rwcu rwcu rwcu ---- ---- ---- ----",
}
# fmt: on
RECOMPUTE_MODELS = (
    "slm.recompute",
    "slm.recompute.line",
    "slm.recompute.month",
    "slm.clock.revision",
)


class AccessMatrixCase(AccessCheckMixin, SlmClockCase):
    """One user per role, a second company, and measured records of the main
    company: an agreed SLA, a ticket with a breached response clock, its
    history and its breach record."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "T Second Company"})

        def user(login, groups, **kw):
            return new_test_user(
                cls.env, login, groups, context={"no_reset_password": True}, **kw
            )

        slm = "slm_catalogue.group_slm_"
        cls.users = {
            "reader": user("am_reader", slm + "user"),
            "analyst": user("am_analyst", slm + "analyst"),
            "owner": user("am_owner", slm + "service_owner"),
            "supplier": user("am_supplier", slm + "supplier_manager"),
            "manager": user("am_manager", slm + "manager"),
            "process": user("am_process", slm + "process_owner"),
            "agent": user("am_agent", "helpdesk_mgmt.group_helpdesk_user"),
            "agent_own": user("am_agent_own", "helpdesk_mgmt.group_helpdesk_user_own"),
            "portal": user("am_portal", "base.group_portal"),
            "other_co": user(
                "am_other_co",
                slm + "manager,helpdesk_mgmt.group_helpdesk_user",
                company_id=cls.company_b.id,
                company_ids=[(6, 0, cls.company_b.ids)],
            ),
        }
        # Measured records of the main company.
        cls.target_vals = cls._target("response", 1)
        cls.agreement = cls._agreement(
            [cls.target_vals], partner_id=cls.customer.id, level="customer"
        )
        with freeze_time("2024-01-08 10:00:00"):
            cls.ticket = cls.env["helpdesk.ticket"].create(
                {
                    "name": "T Measured ticket",
                    "description": "<p>Help</p>",
                    "partner_id": cls.contact.id,
                    "service_id": cls.service.id,
                    "team_id": cls.team.id,
                    "stage_id": cls.stage_new.id,
                    "priority": "1",
                    "user_id": False,
                }
            )
        with freeze_time("2024-01-08 12:00:00"):
            cls.ticket._slm_sync_clocks()
        cls.clock = cls.ticket.slm_clock_ids
        assert cls.clock.status == "breached", cls.clock.status
        cls.event = cls.ticket.slm_event_ids[:1]
        cls.breach = cls.env["slm.breach"]._slm_create_for_clocks(cls.clock)
        assert cls.breach
        # A new deadline proposed for the breached clock (still open).
        cls.proposal = cls.env["slm.deadline.proposal"].create(
            {
                "clock_id": cls.clock.id,
                "proposed_deadline": fields.Datetime.now() + timedelta(days=30),
                "reason": "T Agreed with the customer",
            }
        )
        # History of the catalogue (recorded by the lifecycle actions).
        cls.lifecycle_log = cls.env["slm.service.lifecycle.log"].create(
            {
                "service_id": cls.service.id,
                "user_id": cls.env.user.id,
                "to_state": "live",
            }
        )


@tagged("post_install", "-at_install")
class TestAccessMatrix(AccessMatrixCase):
    def _sample(self, model):
        """A record of ``model`` in the main company (the fixtures' first)."""
        own = {
            "slm.clock": self.clock,
            "slm.ticket.event": self.event,
            "slm.breach": self.breach,
            "slm.deadline.proposal": self.proposal,
            "slm.agreement": self.agreement,
            "slm.target": self.agreement.target_ids[:1],
            "slm.service": self.service,
            "slm.service.lifecycle.log": self.lifecycle_log,
        }
        if model in own:
            return own[model]
        if model == "slm.clock.job.chunk":
            # Queued by the suite as the agreement's action does (clock job rule 1).
            return self.env[model]._queue(self.agreement, self.ticket.ids)
        if model in RECOMPUTE_MODELS:
            return self._recompute_samples()[model]
        Model = self.env[model].sudo().with_context(active_test=False)
        domain = []
        if "company_id" in Model._fields and Model._fields["company_id"].store:
            domain = [("company_id", "in", [self.company.id, False])]
        return Model.search(domain, limit=1, order="id")

    def _recompute_samples(self):
        """A recomputation of the sample ticket, with a preview line and
        month and a superseded result (written as the suite writes them)."""
        if not hasattr(self, "_recompute_sample"):
            run = self.env["slm.recompute"].create(
                {
                    "scope": "tickets",
                    "ticket_ids": [Command.set(self.ticket.ids)],
                    "reason": "T sample",
                }
            )
            common = {"run_id": run.id}
            self._recompute_sample = {
                "slm.recompute": run,
                "slm.recompute.line": self.env["slm.recompute.line"].create(
                    dict(common, clock_id=self.clock.id)
                ),
                "slm.recompute.month": self.env["slm.recompute.month"].create(
                    dict(
                        common,
                        target_id=self.clock.target_id.id,
                        period_date="2024-01-01",
                    )
                ),
                "slm.clock.revision": self.env["slm.clock.revision"].create(
                    dict(common, clock_id=self.clock.id, date="2024-01-09 10:00:00")
                ),
            }
        return self._recompute_sample

    def _actual(self, model, user):
        Model = self.env[model].with_user(user)
        sample = self.env[model] if Model._transient else self._sample(model)
        target = sample.with_user(user) if sample else Model
        cell = ""
        for letter, operation in (
            ("r", "read"),
            ("w", "write"),
            ("c", "create"),
            ("u", "unlink"),
        ):
            cell += letter if target.has_access(operation) else "-"
        return cell, bool(sample)

    def test_every_model_has_a_row(self):
        models = sorted(
            name
            for name, model in self.env.registry.items()
            if name.startswith("slm.") and not model._abstract
        )
        missing = [name for name in models if name not in MATRIX]
        self.assertFalse(
            missing, f"Add these models to the access matrix: {', '.join(missing)}"
        )

    def test_every_model_has_a_company_rule(self):
        """Multi-company (access rule 2): every stored ``slm.*`` model has a
        global rule on its company, or on its ticket's; the shared reference
        data of the SLM process is listed here on purpose."""
        shared = {"slm.ticket.priority", "slm.breach.cause"}
        through_ticket = {"slm.ticket.event"}
        Rule = self.env["ir.rule"].sudo()
        for name in self._models():
            Model = self.env[name]
            if Model._transient or name in shared:
                continue
            with self.subTest(model=name):
                rules = Rule.search(
                    [("model_id.model", "=", name), ("global", "=", True)]
                )
                field = (
                    "ticket_id.company_id" if name in through_ticket else "company_id"
                )
                self.assertTrue(
                    any(
                        f"'{field}'" in rule.domain_force
                        and "company_ids" in rule.domain_force
                        for rule in rules
                    ),
                    f"{name} has no company rule",
                )

    def test_access_matrix(self):
        # Without demo data, most models have no record of the main company to
        # try the record rules on: their rows are checked on a database with
        # demo data only (the fixtures' models everywhere).
        with_demo = bool(
            self.env.ref("slm_agreements.demo_sla_corporate", raise_if_not_found=False)
        )
        actual_table = {}
        failures = []
        for model in sorted(MATRIX.keys() | set(self._models())):
            if model not in self.env:
                continue  # its addon is not installed (slm_supplier)
            row = []
            for index, role in enumerate(ROLES):
                cell, sampled = self._actual(model, self.users[role])
                if not sampled and not with_demo and not self.env[model]._transient:
                    break
                row.append(cell)
                expected = MATRIX.get(model, " ".join("?" * len(ROLES))).split()[index]
                if cell != expected:
                    failures.append(f"{model} {role}: expected {expected}, got {cell}")
            actual_table[model] = tuple(row)
        if failures:
            lines = [
                f'    "{model}":'.ljust(36) + '"' + " ".join(row) + '",'
                for model, row in sorted(actual_table.items())
            ]
            self.fail("\n".join(failures) + "\n\nActual table:\n" + "\n".join(lines))

    def _models(self):
        return [
            name
            for name, model in self.env.registry.items()
            if name.startswith("slm.") and not model._abstract
        ]


@tagged("post_install", "-at_install")
class TestMeasurementTampering(AccessMatrixCase):
    """Attacks on the measurement, as each role would send them over JSON-RPC
    (with the context keys an attacker would add)."""

    ATTACK_CONTEXT = {
        "slm_system_write": True,
        "slm_agreement_system_write": True,
        "active_test": False,
    }

    def _as(self, records, role):
        return records.with_user(self.users[role]).with_context(**self.ATTACK_CONTEXT)

    def test_no_role_creates_changes_or_deletes_clocks(self):
        vals = {
            "ticket_id": self.ticket.id,
            "target_id": self.clock.target_id.id,
            "agreement_id": self.agreement.id,
            "start": "2024-01-08 10:00:00",
            "company_id": self.company.id,
        }
        for role in ROLES:
            with self.subTest(role=role):
                with self.assertRaises(AccessError):
                    self._as(self.clock, role).write({"status": "met"})
                with self.assertRaises(AccessError):
                    self._as(self.clock, role).unlink()
                with self.assertRaises(AccessError):
                    self._as(self.env["slm.clock"], role).create(vals)
        self.assertEqual(self.clock.status, "breached")

    def test_misconfigured_access_rights_do_not_open_the_measurement(self):
        """Even if someone grants full rights on clocks, events and breaches,
        the models themselves refuse (``self.env.su`` guard)."""
        manager = self.env.ref("slm_catalogue.group_slm_manager")
        for model in ("slm.clock", "slm.ticket.event", "slm.breach"):
            self.env["ir.model.access"].create(
                {
                    "name": f"misconfigured {model}",
                    "model_id": self.env["ir.model"]._get_id(model),
                    "group_id": manager.id,
                    "perm_read": True,
                    "perm_write": True,
                    "perm_create": True,
                    "perm_unlink": True,
                }
            )
        clock = self._as(self.clock, "manager")
        event = self._as(self.event, "manager")
        breach = self._as(self.breach, "manager")
        for attempt in (
            lambda: clock.write({"status": "met", "deadline": False}),
            lambda: clock.unlink(),
            lambda: clock.copy(),
            lambda: event.write({"date": "2024-01-08 11:30:00"}),
            lambda: event.unlink(),
            lambda: event.create(
                {
                    "ticket_id": self.ticket.id,
                    "event_type": "reply",
                    "date": "2024-01-08 10:30:00",
                }
            ),
            lambda: breach.unlink(),
            lambda: breach.create({"clock_id": self.clock.id}),
            lambda: breach.write({"late_hours": 0}),
            lambda: breach.write({"deadline": "2024-01-09 10:00:00"}),
            lambda: breach.write({"stop": "2024-01-08 10:30:00"}),
        ):
            # (AccessError, or the breach guard's UserError: nothing written)
            with self.subTest(attempt=attempt), self.assertRaises(UserError):
                attempt()
        self.assertEqual(self.clock.status, "breached")
        self.assertTrue(self.breach.exists())
        self.assertEqual(len(self.ticket.slm_event_ids), 1)

    def test_no_measurement_through_the_ticket(self):
        """x2many commands on the ticket reach the same guards."""
        helpdesk_manager = self.env.ref("helpdesk_mgmt.group_helpdesk_manager")
        for role in ("agent", "manager"):
            self.users[role].groups_id = [(4, helpdesk_manager.id)]
            ticket = self._as(self.ticket, role)
            for commands in (
                {"slm_clock_ids": [(1, self.clock.id, {"status": "met"})]},
                {"slm_clock_ids": [(2, self.clock.id)]},
                {"slm_clock_ids": [(0, 0, {"target_id": self.clock.target_id.id})]},
                {"slm_event_ids": [(2, self.event.id)]},
                {"slm_event_ids": [(0, 0, {"event_type": "reply"})]},
            ):
                with self.subTest(role=role, commands=commands):
                    with self.assertRaises(AccessError):
                        ticket.write(commands)
        self.assertEqual(self.clock.status, "breached")
        self.assertEqual(len(self.ticket.slm_event_ids), 1)

    def test_slm_managers_cannot_hand_edit_the_measurement(self):
        for records, vals in (
            (self.clock, {"status": "met"}),
            (self.event, {"date": "2024-01-08 11:30:00"}),
            (self.breach, {"late_hours": 0}),
        ):
            for role in ("manager", "process"):
                with self.subTest(model=records._name, role=role):
                    with self.assertRaises(UserError):  # AccessError included
                        self._as(records, role).write(vals)
                    with self.assertRaises(AccessError):
                        self._as(records, role).unlink()
        with self.assertRaises(AccessError):
            self._as(self.env["slm.ticket.event"], "manager").create(
                {"ticket_id": self.ticket.id, "event_type": "reply"}
            )

    def test_process_owner_cannot_delete_breaches(self):
        with self.assertRaises(AccessError):
            self._as(self.breach, "process").unlink()
        self.assertTrue(self.breach.exists())
        self.assertTrue(self.clock.exists())

    def test_analysts_still_write_the_analysis(self):
        """The gap analysis is people's work: only measured fields are locked."""
        breach = self._as(self.breach, "analyst")
        breach.write({"root_cause": "Queue not watched", "corrective_action": "Rota"})
        breach.action_start_analysis()
        self.assertEqual(self.breach.state, "analysing")
        self.assertEqual(self.breach.root_cause, "Queue not watched")

    def test_second_company_cannot_read_or_alter_company_a(self):
        other = self.users["other_co"]
        for records in (self.clock, self.event, self.breach, self.agreement):
            with self.subTest(model=records._name):
                self.assertFalse(records.with_user(other).has_access("read"))
                self.assertFalse(
                    self.env[records._name]
                    .with_user(other)
                    .search([("id", "=", records.id)])
                )
                with self.assertRaises(AccessError):
                    records.with_user(other).read(["display_name"])
        with self.assertRaises(AccessError):
            self._as(self.clock, "other_co").write({"status": "met"})
        with self.assertRaises(AccessError):
            self._as(self.env["slm.ticket.event"], "other_co").create(
                {"ticket_id": self.ticket.id, "event_type": "reply"}
            )
        # The attainment report neither.
        report = self.env["slm.attainment.report"].with_user(other)
        self.assertFalse(report.search([("ticket_id", "=", self.ticket.id)]))
        self.assertEqual(self.clock.status, "breached")

    def test_agent_without_the_ticket_reads_no_clock(self):
        agent = self.users["agent_own"]
        self.assertFalse(self.ticket.with_user(agent).has_access("read"))
        for records in (self.clock, self.event, self.breach):
            with self.subTest(model=records._name):
                self.assertFalse(
                    self.env[records._name]
                    .with_user(agent)
                    .search([("ticket_id", "=", self.ticket.id)])
                )
                with self.assertRaises(AccessError):
                    records.with_user(agent).read(["ticket_id"])
        # Once the ticket is theirs, they read its clocks, history and breach.
        self.ticket.user_id = agent
        for records in (self.clock, self.event, self.breach):
            with self.subTest(model=records._name, assigned=True):
                self.assertTrue(records.with_user(agent).has_access("read"))

    def test_recompute_is_the_managers_logged_correction(self):
        for role in ("reader", "analyst", "owner", "supplier", "agent"):
            with self.subTest(role=role), self.assertRaises(AccessError):
                self._as(self.ticket, role).action_slm_recompute_clocks()
            with self.subTest(role=role), self.assertRaises(AccessError):
                self._as(self.agreement, role).action_recompute_clocks()
        manager = self.users["manager"]
        manager.groups_id = [(4, self.env.ref("helpdesk_mgmt.group_helpdesk_user").id)]
        with freeze_time("2024-01-08 12:00:00"):
            self._person_recomputes(self.ticket, manager)
        self.assertEqual(self.clock.status, "breached")
        self.assertIn(
            "recomputed by",
            self.ticket.message_ids[:1].body,
        )
