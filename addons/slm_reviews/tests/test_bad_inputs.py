# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 16, item 8: every wrong-typed or out-of-range value given to the
suite's fields and methods gets a ValidationError or UserError in the user's
words, and nothing is written. One table, one case per bad input, run as a
Process Owner (every SLM right) through the ORM, as JSON-RPC would call it."""

import json
from datetime import timedelta

from odoo import fields
from odoo.exceptions import MissingError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.slm_agreements.tests.common import SlmClockCase

GARBAGE_ID = 987654321
# Raw errors a user must never see.
RAW = (ValueError, TypeError, KeyError, AttributeError, OverflowError)


@tagged("post_install", "-at_install")
class TestBadInputs(SlmClockCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bad = new_test_user(
            cls.env,
            "t_bad_input",
            "slm_catalogue.group_slm_process_owner,"
            "helpdesk_mgmt.group_helpdesk_manager",
            context={"no_reset_password": True},
        )
        cls.agreement = cls.env["slm.agreement"].create(
            {
                "name": "T Bad-input draft",
                "kind": "sla",
                "structure": "customer_based",
                "partner_id": cls.customer.id,
                "date_start": "2026-01-01",
                "target_ids": [(0, 0, cls._target("resolution", 8))],
            }
        )
        cls.target = cls.agreement.target_ids
        cls.level = cls.env["slm.escalation.level"].create(
            {"target_id": cls.target.id, "threshold_pct": 150}
        )
        cls.agreed = cls._agreement(
            [cls._target("response", 2)], name="T Bad-input agreed"
        )
        cls.outage = cls.env["slm.outage"].create(
            {
                "name": "T Bad-input outage",
                "service_id": cls.service.id,
                "date_start": "2026-03-02 09:00:00",
                "date_end": "2026-03-02 10:00:00",
            }
        )
        cls.adjustment = cls.env["slm.adjustment"].create(
            {
                "name": "T Bad-input window",
                "agreement_id": cls.agreed.id,
                "kind": "maintenance",
                "date_start": "2026-04-01 00:00:00",
                "date_end": "2026-04-02 00:00:00",
                "reason": "T",
            }
        )
        cls.review = cls.env["slm.review"].create(
            {
                "kind": "service",
                "partner_id": cls.customer.id,
                "period_start": "2026-09-01",
                "period_end": "2026-09-30",
            }
        )
        cls.action = cls.env["slm.review.action"].create(
            {
                "name": "T Bad-input action",
                "review_id": cls.review.id,
                "owner_id": cls.manager.id,
                "due_date": fields.Date.today() + timedelta(days=30),
            }
        )
        cls.supplier = cls.env["res.partner"].create(
            {"name": "T Bad-input supplier", "is_company": True}
        )
        cls.uc = cls.env["slm.agreement"].create(
            {
                "name": "T Bad-input UC",
                "kind": "uc",
                "supplier_id": cls.supplier.id,
                "date_start": "2026-01-01",
                "service_ids": [(6, 0, cls.service.ids)],
            }
        )
        cls.rfp = cls.env["slm.supplier.rfp"].create(
            {
                "name": "T Bad-input RFP",
                "service_ids": [(6, 0, cls.service.ids)],
                "supplier_ids": [(6, 0, cls.supplier.ids)],
                "criterion_ids": [
                    (0, 0, {"name": "Price", "weight": 60}),
                    (0, 0, {"name": "Quality", "weight": 40}),
                ],
            }
        )
        cls.rfp.action_open()
        cls.criterion = cls.rfp.criterion_ids[:1]
        cls.proposal = cls.env["slm.supplier.proposal"].create(
            {"rfp_id": cls.rfp.id, "supplier_id": cls.supplier.id, "price": 100}
        )
        cls.score = cls.proposal.score_ids[:1]

    # ------------------------------------------------------------------
    # The table
    # ------------------------------------------------------------------

    def _cases(self):
        """(label, kind, subject, payload, expected exception).

        kind "write": subject is a record, payload its values; "create":
        subject a model name, payload values added to valid ones; "call":
        payload a function of the caller's environment.
        """
        t, lv, ag, uc = self.target, self.level, self.agreement, self.uc
        out, adj, rev, act = self.outage, self.adjustment, self.review, self.action
        crit, score, svc = self.criterion, self.score, self.service
        V, M = ValidationError, MissingError
        big = 2**40
        garbage_links = [(6, 0, [GARBAGE_ID])]
        return [
            # Targets: thresholds and percentages
            ("threshold not a number", "write", t, {"threshold_hours": "abc"}, V),
            ("threshold negative", "write", t, {"threshold_hours": -1}, V),
            ("threshold zero", "write", t, {"threshold_hours": 0}, V),
            ("threshold 1e12 h", "write", t, {"threshold_hours": 1e12}, V),
            ("threshold 1e308 h", "write", t, {"threshold_hours": 1e308}, V),
            ("threshold NaN", "write", t, {"threshold_hours": "nan"}, V),
            ("threshold infinite", "write", t, {"threshold_hours": "inf"}, V),
            ("threshold a list", "write", t, {"threshold_hours": [1]}, V),
            ("threshold a dict", "write", t, {"threshold_hours": {"a": 1}}, V),
            ("threshold 9000 h 24x7", "write", t, {"threshold_hours": 9000}, V),
            ("objective above 100", "write", t, {"objective_pct": 101}, V),
            ("objective negative", "write", t, {"objective_pct": -0.1}, V),
            ("objective a word", "write", t, {"objective_pct": "ninety"}, V),
            ("warning at 100", "write", t, {"warning_pct": 100}, V),
            ("warning negative", "write", t, {"warning_pct": -5}, V),
            ("warning 150", "write", t, {"warning_pct": 150}, V),
            ("metric unknown", "write", t, {"metric": "latency"}, V),
            ("calendar garbage id", "write", t, {"calendar_id": GARBAGE_ID}, V),
            ("calendar a string", "write", t, {"calendar_id": "x"}, V),
            ("calendar negative id", "write", t, {"calendar_id": -3}, V),
            (
                "priorities garbage id",
                "write",
                t,
                {"priority_ids": garbage_links},
                V,
            ),
            ("priorities not commands", "write", t, {"priority_ids": "all"}, V),
            ("stages bad command", "write", t, {"pause_stage_ids": [(4, "x")]}, V),
            ("stages unknown command", "write", t, {"pause_stage_ids": [(9, 1)]}, V),
            ("sequence too large", "write", t, {"sequence": big}, V),
            ("sequence not whole", "write", t, {"sequence": 1.5}, V),
            ("unknown field", "write", t, {"no_such_field": 1}, V),
            (
                "target created with threshold text",
                "create",
                "slm.target",
                {"agreement_id": ag.id, "threshold_hours": "eight"},
                V,
            ),
            (
                "target created for garbage agreement",
                "create",
                "slm.target",
                {"agreement_id": GARBAGE_ID},
                V,
            ),
            # Escalation levels
            ("level at 0 %", "write", lv, {"threshold_pct": 0}, V),
            ("level above 1000 %", "write", lv, {"threshold_pct": 1001}, V),
            ("level a word", "write", lv, {"threshold_pct": "half"}, V),
            ("level recipient unknown", "write", lv, {"recipient": "boss"}, V),
            ("level user garbage id", "write", lv, {"user_id": GARBAGE_ID}, V),
            # Agreements: dates, choices, links
            ("end before start", "write", ag, {"date_end": "2025-12-31"}, V),
            ("start 13th month", "write", ag, {"date_start": "2026-13-45"}, V),
            ("end a word", "write", ag, {"date_end": "tomorrow"}, V),
            ("start a number", "write", ag, {"date_start": 12345}, V),
            ("start 30 February", "write", ag, {"date_start": "2026-02-30"}, V),
            ("structure unknown", "write", ag, {"structure": "flat"}, V),
            ("customer garbage id", "write", ag, {"partner_id": GARBAGE_ID}, V),
            (
                "services garbage id",
                "write",
                ag,
                {"service_ids": garbage_links},
                V,
            ),
            ("parent a string", "write", ag, {"parent_id": "abc"}, V),
            ("color a word", "write", ag, {"color": "red"}, V),
            (
                "agreement created ending before it starts",
                "create",
                "slm.agreement",
                {"date_start": "2026-05-01", "date_end": "2026-04-01"},
                V,
            ),
            (
                "agreement created with kind unknown",
                "create",
                "slm.agreement",
                {"kind": "xla"},
                V,
            ),
            (
                "agreement created with date garbage",
                "create",
                "slm.agreement",
                {"date_start": "01/02/2026 garbage"},
                V,
            ),
            # Outages
            (
                "outage end before start",
                "write",
                out,
                {"date_end": "2026-03-02 08:00:00"},
                V,
            ),
            ("outage start a word", "write", out, {"date_start": "yesterday"}, V),
            ("outage service garbage id", "write", out, {"service_id": GARBAGE_ID}, V),
            ("outage kind unknown", "write", out, {"kind": "sometimes"}, V),
            # Temporary changes
            (
                "window end before start",
                "write",
                adj,
                {"date_end": "2026-03-01 00:00:00"},
                V,
            ),
            ("window kind unknown", "write", adj, {"kind": "holiday"}, V),
            (
                "window start 25th hour",
                "write",
                adj,
                {"date_start": "2026-04-01 25:00:00"},
                V,
            ),
            # Catalogue
            ("service state unknown", "write", svc, {"state": "dead"}, V),
            ("service owner garbage id", "write", svc, {"owner_id": GARBAGE_ID}, V),
            ("service name a dict", "write", svc, {"name": {"en": 1}}, V),
            (
                "service dependency garbage",
                "write",
                svc,
                {"dependency_ids": [(4, GARBAGE_ID)]},
                V,
            ),
            # Reviews and actions
            (
                "review period end before start",
                "write",
                rev,
                {"period_end": "2026-08-01"},
                V,
            ),
            (
                "review month out of range",
                "write",
                rev,
                {"period_start": "2026-00-01"},
                V,
            ),
            ("review kind unknown", "write", rev, {"kind": "weird"}, V),
            ("review meeting a word", "write", rev, {"date": "noon"}, V),
            ("action due date a word", "write", act, {"due_date": "soon"}, V),
            ("action owner id 0", "write", act, {"owner_id": 0}, V),
            ("action state unknown", "write", act, {"state": "maybe"}, V),
            # Underpinning contracts
            (
                "credit per breach negative",
                "write",
                uc,
                {"credit_pct_per_breach": -1},
                V,
            ),
            (
                "credit per breach above 100",
                "write",
                uc,
                {"credit_pct_per_breach": 101},
                V,
            ),
            ("credit cap 200 %", "write", uc, {"credit_cap_pct": 200}, V),
            ("breach allowance negative", "write", uc, {"breach_allowance": -1}, V),
            ("notice period negative", "write", uc, {"notice_period_days": -5}, V),
            ("monthly fee negative", "write", uc, {"monthly_fee": -100}, V),
            ("contract value a word", "write", uc, {"contract_value": "lots"}, V),
            ("contract value huge", "write", uc, {"contract_value": 1e300}, V),
            ("renewal term too large", "write", uc, {"renewal_term_months": big}, V),
            # RFPs
            ("weight negative", "write", crit, {"weight": -1}, V),
            ("weight a word", "write", crit, {"weight": "heavy"}, V),
            ("score above 10", "write", score, {"score": 11}, V),
            ("score negative", "write", score, {"score": -1}, V),
            ("score a word", "write", score, {"score": "good"}, V),
            # Garbage ids given to methods
            (
                "agree a missing agreement",
                "call",
                "slm.agreement",
                lambda env: env["slm.agreement"].browse(GARBAGE_ID).action_agree(),
                M,
            ),
            (
                "terminate a missing agreement",
                "call",
                "slm.agreement",
                lambda env: env["slm.agreement"].browse(GARBAGE_ID).action_terminate(),
                M,
            ),
            (
                "recompute clocks of a missing ticket",
                "call",
                "helpdesk.ticket",
                lambda env: env["helpdesk.ticket"]
                .browse(GARBAGE_ID)
                .action_slm_recompute_clocks(),
                M,
            ),
            (
                "end a missing outage now",
                "call",
                "slm.outage",
                lambda env: env["slm.outage"].browse(GARBAGE_ID).action_end_now(),
                M,
            ),
            (
                "submit a missing window",
                "call",
                "slm.adjustment",
                lambda env: env["slm.adjustment"].browse(GARBAGE_ID).action_submit(),
                M,
            ),
            (
                "prepare the agenda of a missing review",
                "call",
                "slm.review",
                lambda env: env["slm.review"]
                .browse(GARBAGE_ID)
                .action_prepare_agenda(),
                M,
            ),
            (
                "start a missing improvement plan",
                "call",
                "slm.improvement.plan",
                lambda env: env["slm.improvement.plan"]
                .browse(GARBAGE_ID)
                .action_start(),
                M,
            ),
        ]

    # ------------------------------------------------------------------

    def _snapshot(self, record, names):
        record = record.sudo()
        record.invalidate_recordset()
        values = {}
        for name in names:
            if name not in record._fields:
                continue
            value = record[name]
            values[name] = value.ids if hasattr(value, "ids") else value
        return values

    def test_bad_inputs(self):
        cases = self._cases()
        self.assertGreaterEqual(len(cases), 60)
        valid = {
            "slm.target": {
                "name": "T new target",
                "metric": "resolution",
                "threshold_hours": 8,
                "around_the_clock": True,
            },
            "slm.agreement": {
                "name": "T new agreement",
                "kind": "sla",
                "structure": "customer_based",
                "partner_id": self.customer.id,
            },
        }
        for label, kind, subject, payload, expected in cases:
            with self.subTest(case=label), mute_logger("odoo.sql_db"):
                if kind == "write":
                    before = self._snapshot(subject, payload)
                    with self.assertRaises(expected) as caught:
                        subject.with_user(self.bad).write(payload)
                    self.assertEqual(self._snapshot(subject, payload), before)
                else:
                    model = subject
                    Model = self.env[model].sudo().with_context(active_test=False)
                    count = Model.search_count([])
                    with self.assertRaises(expected) as caught:
                        if kind == "create":
                            vals = dict(valid[model], **payload)
                            self.env[model].with_user(self.bad).create(vals)
                        else:
                            payload(self.env(user=self.bad))
                    self.assertEqual(Model.search_count([]), count)
                self.assertIsInstance(caught.exception, UserError)
                self.assertNotIsInstance(caught.exception, RAW)
                message = str(caught.exception)
                self.assertTrue(message)
                self.assertNotIn("Traceback", message)
                self.assertNotIn("psycopg2", message)


@tagged("post_install", "-at_install")
class TestBadInputsRpc(HttpCase):
    """The same refusals through JSON-RPC: a clear error, nothing written."""

    def test_rpc_answers_with_the_message(self):
        manager = new_test_user(
            self.env,
            "t_bad_rpc",
            "slm_catalogue.group_slm_manager,helpdesk_mgmt.group_helpdesk_manager",
            context={"no_reset_password": True},
        )
        customer = self.env["res.partner"].create(
            {"name": "T RPC customer", "is_company": True}
        )
        agreement = self.env["slm.agreement"].create(
            {
                "name": "T RPC draft",
                "structure": "customer_based",
                "partner_id": customer.id,
                "target_ids": [
                    (
                        0,
                        0,
                        {
                            "metric": "resolution",
                            "threshold_hours": 8,
                            "around_the_clock": True,
                        },
                    )
                ],
            }
        )
        target = agreement.target_ids
        self.authenticate("t_bad_rpc", "t_bad_rpc")
        for method, args in (
            ("write", [target.ids, {"threshold_hours": "abc"}]),
            ("write", [target.ids, {"calendar_id": GARBAGE_ID}]),
            ("write", [target.ids, {"threshold_hours": 1e308}]),
        ):
            with self.subTest(args=args), mute_logger("odoo.http"):
                response = self.url_open(
                    f"/web/dataset/call_kw/slm.target/{method}",
                    data=json.dumps(
                        {
                            "jsonrpc": "2.0",
                            "method": "call",
                            "params": {
                                "model": "slm.target",
                                "method": method,
                                "args": args,
                                "kwargs": {},
                            },
                        }
                    ),
                    headers={"Content-Type": "application/json"},
                )
                error = response.json()["error"]["data"]
                self.assertEqual(error["name"], "odoo.exceptions.ValidationError")
                self.assertNotIn("Traceback", error["message"])
        target.invalidate_recordset()
        self.assertEqual(target.threshold_hours, 8)
        self.assertTrue(manager)
