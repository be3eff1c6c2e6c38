# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Two workers sealing documents of the same kind at once (seal rule 3): two
real database cursors on committed data, as two Odoo workers have.

Not a TransactionCase: the other worker must see the data, so this test
commits it and deletes it afterwards (seals cannot be deleted through the
application: in SQL, restoring the head of the chain as it was).
"""

import uuid

from psycopg2 import errors

from odoo import SUPERUSER_ID, api
from odoo.sql_db import db_connect
from odoo.tests import BaseCase, tagged
from odoo.tests.common import get_db_name
from odoo.tools import mute_logger

from .common import forget_seals


@tagged("post_install", "-at_install")
class TestSealConcurrency(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.connection = db_connect(get_db_name())
        tag = uuid.uuid4().hex[:6].upper()
        with cls.connection.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"mail_notrack": True})
            cls.company_id = env.company.id
            agreements = env["slm.agreement"].create(
                [
                    {
                        "name": f"T Seal Race {tag} {number}",
                        "kind": "sla",
                        "structure": "service_based",
                        "date_start": "2001-01-01",
                    }
                    for number in range(3)
                ]
            )
            cls.agreement_ids = agreements.ids
            agreements[0]._seal()
            cr.commit()  # pylint: disable=invalid-commit
        cls.addClassCleanup(cls._delete_data)

    @classmethod
    def _delete_data(cls):
        with cls.connection.cursor() as cr:
            forget_seals(cr, "slm.agreement", cls.agreement_ids)
            cr.execute(
                "DELETE FROM mail_message WHERE model = 'slm.agreement' "
                "AND res_id = ANY(%s)",
                [cls.agreement_ids],
            )
            cr.execute(
                "DELETE FROM slm_agreement WHERE id = ANY(%s)", [cls.agreement_ids]
            )
            cr.commit()  # pylint: disable=invalid-commit

    def _worker(self):
        """A cursor and an environment, as one Odoo worker has."""
        cr = self.connection.cursor()
        self.addCleanup(cr.close)
        # A test that would block shows up as a failure, not as a hang.
        cr.execute("SET lock_timeout = '10s'")
        return cr, api.Environment(cr, SUPERUSER_ID, {})

    @mute_logger("odoo.sql_db")
    def test_two_workers_never_share_a_place_in_the_chain(self):
        first, second, third = self.agreement_ids
        cr_a, env_a = self._worker()
        cr_b, env_b = self._worker()
        # Round 1: A seals and has not committed; B waits for A's lock on the
        # head of the chain (here: gives up after a short wait).
        env_a["slm.agreement"].browse(second)._seal()
        cr_b.execute("SET lock_timeout = '200ms'")
        with self.assertRaises(errors.LockNotAvailable):
            env_b["slm.agreement"].browse(third)._seal()
        cr_b.rollback()
        # Round 2: B's transaction began before A committed: its snapshot
        # still shows the old head, which A has moved. B fails with a
        # serialization error (the server retries such requests).
        cr_b.execute("SET lock_timeout = '10s'")
        cr_b.execute("SELECT 1")
        cr_a.commit()
        env_b = api.Environment(cr_b, SUPERUSER_ID, {})
        with self.assertRaises(errors.SerializationFailure):
            env_b["slm.agreement"].browse(third)._seal()
        cr_b.rollback()
        # The retry takes the next place, linked to A's seal.
        env_b = api.Environment(cr_b, SUPERUSER_ID, {})
        seal = env_b["slm.agreement"].browse(third)._seal()
        cr_b.commit()
        with self.connection.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            agreements = env["slm.agreement"].browse([first, second, third])
            seals = agreements.seal_id
            self.assertEqual(len(seals), 3)
            sequences = seals.mapped("sequence")
            self.assertEqual(sequences, list(range(sequences[0], sequences[0] + 3)))
            self.assertEqual(seal.id, seals[2].id)
            self.assertEqual(seals[2].previous_hash, seals[1].hash)
            self.assertEqual(seals[1].previous_hash, seals[0].hash)
            self.assertEqual(seals.filtered("is_head"), seals[2])
            result = next(
                result
                for result in env["slm.seal"]._verify_chains(env.company)
                if result["kind"] == "slm.agreement"
            )
            self.assertTrue(result["ok"], result["problems"])
