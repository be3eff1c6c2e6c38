# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The breach scan run by two workers at once, and at the same time as the
safety net *record missed breaches* (fail-soft rule 7): real database cursors
(separate connections, as Odoo workers have), on committed data.

Not a TransactionCase: the other worker must see the data, so this test
commits it, in 2001 so that no other clock of the database is due with it,
and deletes it afterwards.
"""

import uuid
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.sql_db import db_connect
from odoo.tests import BaseCase, tagged
from odoo.tests.common import get_db_name

from .common import forget_seals

CREATED = datetime(2001, 3, 5, 9)  # the tickets' creation, UTC
TICKETS = 6


class BreachScanConcurrencyCase(BaseCase):
    """Committed tickets of one agreement and a cursor per worker."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dbname = get_db_name()
        cls.registry = Registry(cls.dbname)
        cls.connection = db_connect(cls.dbname)
        cls.ids = {}
        tag = uuid.uuid4().hex[:6].upper()
        with cls.connection.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"mail_notrack": True})
            cls.ids["leader"] = (
                env["res.users"]
                .create({"name": f"T Leader {tag}", "login": f"t_scan_leader_{tag}"})
                .id
            )
            team = env["helpdesk.ticket.team"].create(
                {"name": f"T Scan Team {tag}", "user_id": cls.ids["leader"]}
            )
            customer = env["res.partner"].create(
                {"name": f"T Scan Customer {tag}", "is_company": True}
            )
            contact = env["res.partner"].create(
                {"name": "T Scan Contact", "parent_id": customer.id}
            )
            service = env["slm.service"].create(
                {
                    "code": f"TS{tag}",
                    "name": f"T Scan Service {tag}",
                    "owner_id": SUPERUSER_ID,
                    "state": "live",
                }
            )
            agreement = env["slm.agreement"].create(
                {
                    "name": f"T Scan SLA {tag}",
                    "kind": "sla",
                    "structure": "customer_based",
                    "partner_id": customer.id,
                    "date_start": "2000-01-01",
                    "service_ids": [(6, 0, service.ids)],
                    "customer_signed_by_id": contact.id,
                    "customer_signed_date": "2000-01-01",
                    "target_ids": [
                        (
                            0,
                            0,
                            {
                                "metric": "resolution",
                                "threshold_hours": 1,
                                "around_the_clock": True,
                                "warning_pct": 50,
                                "escalation_level_ids": [
                                    (0, 0, {"threshold_pct": 200})
                                ],
                            },
                        )
                    ],
                }
            )
            agreement.action_agree()
            stage = env["helpdesk.ticket.stage"].search(
                [("closed", "=", False)], order="sequence", limit=1
            )
            with freeze_time(CREATED):
                tickets = env["helpdesk.ticket"].create(
                    [
                        {
                            "name": f"T Scan Ticket {n}",
                            "description": "<p>Down</p>",
                            "partner_id": contact.id,
                            "service_id": service.id,
                            "team_id": team.id,
                            "stage_id": stage.id,
                            "user_id": False,  # unassigned: the team leader
                        }
                        for n in range(TICKETS)
                    ]
                )
            cls.ids.update(
                team=team.id,
                partners=[contact.id, customer.id],
                service=service.id,
                agreement=agreement.id,
                tickets=tickets.ids,
            )
            cr.commit()  # pylint: disable=invalid-commit
        cls.addClassCleanup(cls._delete_data)

    @classmethod
    def _delete_data(cls):
        ids = cls.ids
        with cls.connection.cursor() as cr:
            cr.execute(
                "DELETE FROM mail_activity WHERE res_model = 'helpdesk.ticket' "
                "AND res_id = ANY(%s)",
                [ids["tickets"]],
            )
            cr.execute(
                "DELETE FROM mail_message WHERE (model = 'helpdesk.ticket' AND "
                "res_id = ANY(%s)) OR (model = 'slm.agreement' AND res_id = %s)",
                [ids["tickets"], ids["agreement"]],
            )
            # Clocks, events and breaches go with their tickets and agreement.
            cr.execute(
                "DELETE FROM helpdesk_ticket WHERE id = ANY(%s)", [ids["tickets"]]
            )
            # The agreement was sealed when agreed (seal rule 1).
            forget_seals(cr, "slm.agreement", [ids["agreement"]])
            cr.execute("DELETE FROM slm_agreement WHERE id = %s", [ids["agreement"]])
            cr.commit()  # pylint: disable=invalid-commit
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["slm.service"].browse(ids["service"]).unlink()
            env["helpdesk.ticket.team"].browse(ids["team"]).unlink()
            env["res.partner"].browse(ids["partners"]).unlink()
            env["res.users"].browse(ids["leader"]).unlink()
            cr.commit()  # pylint: disable=invalid-commit

    # ------------------------------------------------------------------

    def _worker(self):
        """A cursor and an environment, as one Odoo worker has."""
        cr = self.connection.cursor()
        self.addCleanup(cr.close)
        # A test that would block shows up as a failure, not as a hang.
        cr.execute("SET lock_timeout = '10s'")
        return cr, api.Environment(cr, SUPERUSER_ID, {})

    def _facts(self):
        with self.connection.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM slm_breach b "
                "JOIN slm_clock c ON c.id = b.clock_id WHERE c.ticket_id = ANY(%s)",
                [self.ids["tickets"]],
            )
            breaches = cr.fetchone()[0]
            cr.execute(
                "SELECT count(*) FROM mail_message WHERE model = 'helpdesk.ticket' "
                "AND res_id = ANY(%s) AND message_type = 'notification'",
                [self.ids["tickets"]],
            )
            notes = cr.fetchone()[0]
            cr.execute(
                "SELECT count(*) FROM mail_activity "
                "WHERE res_model = 'helpdesk.ticket' AND res_id = ANY(%s)",
                [self.ids["tickets"]],
            )
            activities = cr.fetchone()[0]
            cr.execute(
                "SELECT status, alert_pct, count(*) FROM slm_clock "
                "WHERE ticket_id = ANY(%s) GROUP BY status, alert_pct",
                [self.ids["tickets"]],
            )
            clocks = cr.fetchall()
        return breaches, notes, activities, clocks


@tagged("post_install", "-at_install")
class TestBreachScanConcurrency(BreachScanConcurrencyCase):
    def test_two_workers_alert_each_level_once(self):
        # 1 h around the clock from 09:00: warning at 09:30, breach at 10:00,
        # escalation (200 %) at 11:00.
        breach_time = CREATED + timedelta(hours=1, minutes=5)
        escalation_time = CREATED + timedelta(hours=2, minutes=5)

        notes_before = self._facts()[1]  # creation messages

        # Round 1: worker B's transaction begins, then A alerts and commits;
        # B, whose snapshot predates A's commit, must leave the clocks alone.
        cr_a, env_a = self._worker()
        cr_b, env_b = self._worker()
        cr_b.execute("SELECT 1")  # B's snapshot is taken here
        alerted, _locked = env_a["slm.clock"]._scan_batch(now=breach_time)
        self.assertEqual(alerted, TICKETS)
        cr_a.commit()
        alerted, _locked = env_b["slm.clock"]._scan_batch(now=breach_time)
        self.assertEqual(alerted, 0)
        cr_b.commit()
        breaches, notes, activities, clocks = self._facts()
        self.assertEqual(
            (breaches, notes - notes_before, activities, clocks),
            (TICKETS, TICKETS, TICKETS, [("breached", 100.0, TICKETS)]),
        )

        # Round 2: both at the same time: A holds the due clocks, B skips them
        # without waiting.
        alerted, locked = env_a["slm.clock"]._scan_batch(now=escalation_time)
        self.assertEqual((alerted, locked), (TICKETS, TICKETS))
        alerted, locked = env_b["slm.clock"]._scan_batch(now=escalation_time)
        self.assertEqual((alerted, locked), (0, 0))
        cr_b.commit()
        cr_a.commit()

        # Round 3: both again, one after the other: nothing is due any more.
        for cr, env in ((cr_a, env_a), (cr_b, env_b)):
            self.assertEqual(env["slm.clock"]._scan_batch(now=escalation_time), (0, 0))
            cr.commit()  # pylint: disable=invalid-commit
        # One breach per clock; per ticket one note for the breach and one
        # for the escalation; activities: the breach (team leader, nobody
        # assigned) and the escalation (team leader again, same kind: one).
        breaches, notes, activities, clocks = self._facts()
        self.assertEqual(
            (breaches, notes - notes_before, activities, clocks),
            (TICKETS, 2 * TICKETS, TICKETS, [("breached", 200.0, TICKETS)]),
        )


@tagged("post_install", "-at_install")
class TestBreachCronsConcurrency(BreachScanConcurrencyCase):
    """The breach scan and the safety net on the same clocks at once."""

    def _safety_net(self, env, clock_ids):
        """What *record missed breaches* does with its missed clocks
        (``slm.breach._cron_update_breaches``), on these clocks only: the
        database's other clocks are left alone."""
        clocks = env["slm.clock"].browse(clock_ids)
        return env["ir.cron"]._slm_run_batches(
            clocks, env["slm.breach"]._slm_create_for_clocks
        )

    def test_scan_and_safety_net_at_once(self):
        breach_time = CREATED + timedelta(hours=1, minutes=5)
        # The clocks brought up to now, committed: breached, no breach yet,
        # not alerted (as after a late hourly refresh).
        cr, env = self._worker()
        clocks = env["slm.clock"].search([("ticket_id", "in", self.ids["tickets"])])
        clocks._refresh_open_clocks()
        cr.commit()  # pylint: disable=invalid-commit
        self.assertEqual(set(clocks.mapped("status")), {"breached"})
        notes_before = self._facts()[1]

        cr_a, env_a = self._worker()  # the safety net
        cr_b, env_b = self._worker()  # the breach scan
        cr_c, env_c = self._worker()  # the safety net again, on another worker
        cr_c.execute("SELECT 1")  # C's snapshot is taken here
        with self.assertNoLogs(level="ERROR"):
            # Round 1, at once: the scan holds half the clocks; the safety net
            # records the other half without waiting for it.
            alerted, locked = env_b["slm.clock"]._scan_batch(
                batch_size=TICKETS // 2, now=breach_time
            )
            self.assertEqual((alerted, locked), (TICKETS // 2, TICKETS // 2))
            recorded = self._safety_net(env_a, clocks.ids)
            self.assertEqual(len(recorded), TICKETS // 2)
            cr_a.commit()
            cr_b.commit()

            # Round 2: C, whose snapshot predates both, sees no breach: the
            # clocks the scan changed are skipped, the unique index refuses
            # the others; quietly.
            self.assertFalse(self._safety_net(env_c, clocks.ids))
            cr_c.commit()

            # Round 3: the scan alerts the clocks the safety net recorded:
            # note and activity, no second breach; then nothing is due.
            alerted, _locked = env_b["slm.clock"]._scan_batch(now=breach_time)
            self.assertEqual(alerted, TICKETS // 2)
            cr_b.commit()
            for cr_w, env_w in ((cr_a, env_a), (cr_b, env_b)):
                self.assertEqual(
                    env_w["slm.clock"]._scan_batch(now=breach_time), (0, 0)
                )
                self.assertFalse(self._safety_net(env_w, clocks.ids))
                cr_w.commit()  # pylint: disable=invalid-commit
        breaches, notes, activities, clock_facts = self._facts()
        self.assertEqual(
            (breaches, notes - notes_before, activities, clock_facts),
            (TICKETS, TICKETS, TICKETS, [("breached", 100.0, TICKETS)]),
        )
