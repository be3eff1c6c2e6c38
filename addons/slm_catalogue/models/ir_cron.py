# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""How the suite's scheduled actions work through many records, in one place.

Every batched scheduled action of the four addons:

- looks up what is left to do (a record done drops out of its search, so a
  run that stopped half-way is resumed by the next one);
- works through it batch by batch, at most ``limit`` records per call, and
  tells the cron runner how far it got (``ir.cron._notify_progress``): while
  records remain, the runner calls it again at once;
- commits after each batch, except under test, so that an interruption
  loses one batch at most;
- survives one bad record: a batch that fails is run again one record at a
  time, and the record that still fails is logged and skipped.

Running at once on two workers stays safe through each action's own locks
(row locks, unique keys, flags set once).

The scheduled actions and how they batch (``data/ir_cron*.xml``):

- through ``_slm_run_batches``: agreements past their end date, the
  alignment check, the availability warnings, the missed breaches, the
  catalogue review flags, the review plans and overdue review actions, the
  monthly statements, the expired deadline proposals, the supplier renewals
  and compliance escalations, and the hourly supplier performance count
  (contract by contract, then the confirmation requests);
- with their own loop, committing and reporting through
  ``_slm_commit_progress``: the breach scan (``slm.clock``: due clocks locked
  ``FOR UPDATE SKIP LOCKED``, a batch per round) and the clock computation
  for existing tickets (``slm.agreement``: chunks of tickets taken under
  ``SKIP LOCKED`` by several workers), whose batches are not a list of
  records known in advance.
"""

import logging
import threading

from psycopg2.errors import TransactionRollbackError

from odoo import api, models
from odoo.tools import split_every

_logger = logging.getLogger(__name__)

BATCH_SIZE = 100


class IrCron(models.Model):
    _inherit = "ir.cron"

    @api.model
    def _slm_run_batches(self, records, process, batch_size=BATCH_SIZE, limit=None):
        """Run ``process(batch)`` over ``records`` (what is left to do), batch
        by batch, reporting progress and committing after each batch.

        At most ``limit`` records per call; the others are reported as
        remaining, for the next call. Returns the union of what ``process``
        returned (records it created, say; the batches themselves when it
        returns nothing), None when nothing was done.
        """
        todo = records[:limit] if limit else records
        result = None
        done = 0
        for batch in split_every(batch_size, todo.ids, records.browse):
            result = self._slm_union(result, self._slm_isolated(batch, process))
            done += len(batch)
            self._slm_commit_progress(done=done, remaining=len(records) - done)
        return result

    @api.model
    def _slm_isolated(self, records, process):
        """``process(records)`` in one savepoint; when that fails, one record
        at a time, and a record that fails on its own is logged and skipped.
        Returns what ``process`` returned (or the records done), None when
        nothing was done.

        A concurrency failure (serialization failure, deadlock) is not the
        records' fault: it goes up to the caller, whose whole transaction must
        be run again (with a new snapshot), not record by record."""
        if not records:
            return None
        try:
            with self.env.cr.savepoint():
                returned = process(records)
            return returned if isinstance(returned, models.BaseModel) else records
        except TransactionRollbackError:
            raise
        except Exception:  # pylint: disable=broad-except
            if len(records) == 1:
                _logger.exception(
                    "%s: %s (id %s) skipped",
                    records._description,
                    records.display_name,
                    records.id,
                )
                return None
            _logger.info(
                "%s: a batch of %s failed, one record at a time now",
                records._description,
                len(records),
            )
        result = None
        for record in records:
            result = self._slm_union(result, self._slm_isolated(record, process))
        return result

    @api.model
    def _slm_union(self, result, more):
        return more if result is None else result if more is None else result | more

    @api.model
    def _slm_commit_progress(self, *, done, remaining):
        """Tell the cron runner how far the action got, and keep it: the one
        place the suite commits inside a scheduled action (never in tests,
        whose transaction is rolled back at the end)."""
        self.env["ir.cron"]._notify_progress(done=done, remaining=max(remaining, 0))
        if not getattr(threading.current_thread(), "testing", False):
            self.env.cr.commit()  # pylint: disable=invalid-commit
