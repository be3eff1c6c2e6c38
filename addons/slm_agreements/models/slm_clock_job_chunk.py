# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Chunks of a clock computation (clocks for existing tickets, recomputation),
taken by several scheduled-action workers at once (clock job rules 1-4 of
readme/USAGE.md)."""

import logging

from psycopg2 import errors

from odoo import api, fields, models
from odoo.tools import SQL, mute_logger, split_every

_logger = logging.getLogger(__name__)

# Tickets per chunk: one chunk is one transaction of one worker.
CHUNK_SIZE = 500


class SlmClockJobChunk(models.Model):
    """A range of ticket ids of one agreement's clock computation.

    Written by the suite only (access rule 1): queued by the agreement's
    action, taken and closed by the workers (``_take_next``, ``_process``).
    """

    _name = "slm.clock.job.chunk"
    _description = "Chunk of a Clock Computation"
    _inherit = ["slm.system.data.mixin"]
    _order = "id"

    agreement_id = fields.Many2one(
        "slm.agreement", required=True, index=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one(
        related="agreement_id.company_id", store=True, readonly=True
    )
    first_ticket_id = fields.Integer(required=True, readonly=True)
    last_ticket_id = fields.Integer(required=True, readonly=True)
    ticket_count = fields.Integer(
        readonly=True, help="Tickets of the agreement in this range when queued."
    )
    state = fields.Selection(
        [("todo", "To Do"), ("done", "Done")],
        default="todo",
        required=True,
        index=True,
        readonly=True,
    )
    skipped_count = fields.Integer(
        readonly=True,
        help="Tickets whose clocks could not be computed (logged, left as they were).",
    )
    date_done = fields.Datetime(readonly=True)

    def _system_data_error(self):
        return self.env._(
            "The chunks of a clock computation are written by the application only."
        )

    @api.model
    def _queue(self, agreement, ticket_ids, size=CHUNK_SIZE):
        """Split ``ticket_ids`` (sorted) into chunks of ``agreement``'s job,
        replacing any left from an earlier one (clock job rule 1)."""
        self = self.sudo()
        self.search([("agreement_id", "=", agreement.id)]).unlink()
        return self.create(
            [
                {
                    "agreement_id": agreement.id,
                    "first_ticket_id": ids[0],
                    "last_ticket_id": ids[-1],
                    "ticket_count": len(ids),
                }
                for ids in split_every(size, ticket_ids)
            ]
        )

    @api.model
    def _chunk_size(self):
        """Tickets per chunk: the system parameter
        ``slm_agreements.clock_job_chunk_size``, else 500."""
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("slm_agreements.clock_job_chunk_size")
        )
        try:
            return max(int(value), 1) if value else CHUNK_SIZE
        except ValueError:
            return CHUNK_SIZE

    @api.model
    def _take_next(self):
        """Lock the next chunk to do that no other worker holds, or return an
        empty recordset (clock job rule 2). The row lock lasts until this
        worker commits the chunk done, or dies (its transaction rolls back and
        the chunk is free again).

        Called at the start of a transaction: a chunk another worker closed
        since this one's snapshot is a serialization failure, after which the
        (empty) transaction starts again with a fresh snapshot."""
        query = SQL(
            "SELECT id FROM %s WHERE state = 'todo' ORDER BY id LIMIT 1 "
            "FOR UPDATE SKIP LOCKED",
            SQL.identifier(self._table),
        )
        for attempt in range(5):
            try:
                with mute_logger("odoo.sql_db"), self.env.cr.savepoint(flush=False):
                    self.env.cr.execute(query)
                    row = self.env.cr.fetchone()
                break
            except errors.SerializationFailure:
                if attempt == 4:
                    raise
                self.env.cr.rollback()
        return self.sudo().browse(row[0] if row else ())

    def _process(self):
        """Compute the clocks of the tickets of this chunk and mark it done, in
        the caller's transaction: both are kept, or neither (clock job rule 3).
        A ticket that fails on its own is logged and skipped."""
        self.ensure_one()
        agreement = self.agreement_id
        tickets = (
            self.env["helpdesk.ticket"]
            .sudo()
            .search(
                agreement._clock_job_domain()
                + [
                    ("id", ">=", self.first_ticket_id),
                    ("id", "<=", self.last_ticket_id),
                ],
                order="id",
            )
        )
        done = self.env["ir.cron"]._slm_isolated(tickets, agreement._compute_clocks_of)
        self.write(
            {
                "state": "done",
                "date_done": fields.Datetime.now(),
                "skipped_count": len(tickets) - len(done or ()),
            }
        )
        return tickets

    @api.model
    def _lock_agreement(self, agreement, states):
        """Lock ``agreement`` while its job is in one of ``states``, to change
        the job's state; False when another worker does it (it holds the lock,
        or changed the row since this transaction started: clock job rule 2)."""
        agreement.flush_recordset(["clock_job_state"])
        # NO KEY UPDATE: the clocks and breaches being written elsewhere hold
        # key-share locks on the agreement (their foreign keys), which only a
        # key update would wait for.
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM %s WHERE id = %s "
                        "AND clock_job_state IN %s FOR NO KEY UPDATE NOWAIT",
                        SQL.identifier(agreement._table),
                        agreement.id,
                        tuple(states),
                    )
                )
                return bool(self.env.cr.fetchone())
        except (errors.LockNotAvailable, errors.SerializationFailure):
            return False
