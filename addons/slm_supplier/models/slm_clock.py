# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from odoo.addons.slm_agreements.tools.clock_engine import (
    ACTIVE,
    PAUSED,
    Segment,
    compute_clock,
)

# States of a UC clock besides active and paused (see clock_engine).
CLOSED = "closed"  # the supplier's part is over: resolved, or the ticket closed
AWAY = "away"  # not with this supplier: not yet, taken back, with another one


class SlmClock(models.Model):
    """Clocks of underpinning contracts: they run while the ticket is with the
    contract's supplier (clock rule 2)."""

    _inherit = "slm.clock"

    supplier_id = fields.Many2one(
        related="agreement_id.supplier_id",
        store=True,
        precompute=True,  # in the clock's INSERT, not an UPDATE after it
        index="btree_not_null",
        string="Supplier",
        help="UC clocks: the supplier under contract.",
    )

    # ------------------------------------------------------------------
    # History
    # ------------------------------------------------------------------

    @api.model
    def _history_columns(self):
        # Hand-over events name their supplier.
        return {**super()._history_columns(), "supplier_id": "supplier_id"}

    # ------------------------------------------------------------------
    # Computation
    # ------------------------------------------------------------------

    @api.model
    def _compute_one(self, ticket, target, events, bt, now, cache=None):
        # Computed for whoever changes the ticket: the contract is read as the
        # system does (helpdesk agents do not read contracts).
        if target.sudo().agreement_id.kind != "uc":
            return super()._compute_one(ticket, target, events, bt, now, cache=cache)
        target = target.sudo()
        walk = self._uc_walk(target, events)
        if walk["start"] is None:
            # Never handed to this supplier: no clock (it does not apply).
            return {"status": "cancelled", "computed_at": now}
        if target.metric == "response":
            # Acknowledged by the supplier; if it resolves (or the ticket is
            # closed) without acknowledging, that answers it.
            first_ack, first_over = walk["first_ack"], walk["first_over"]
            stop = min(filter(None, (first_ack, first_over)), default=None)
            ended_by = (
                walk["first_over_closure"]
                if first_over and (first_ack is None or first_over < first_ack)
                else None
            )
        else:
            stop = walk["over_since"]
            ended_by = walk["over_closure"] if stop else None
        levels = target._alert_levels()
        result = compute_clock(
            bt,
            walk["start"],
            self._threshold_seconds(ticket, target, walk["start"], cache),
            target.warning_pct / 100,
            walk["segments"],
            stop,
            now,
            ratios=[pct / 100 for pct, _level in levels],
            pause_budget=target._pause_budget_seconds(),
        )
        values = self._clock_values(result, walk["start"], now, levels)
        if values["status"] == "met" and not self._closure_counts(target, ended_by):
            # UC clock rule 1 (channel rule 7): stopped by a closing that is
            # not a resolution: kept, out of attainment; a breach stays one.
            values.update(status="cancelled", settled_date=False, at_risk=False)
        return values

    @api.model
    def _clock_segments(self, target, events):
        # A UC clock's segments follow the supplier's part (timeline, paused
        # time by reason).
        if target.sudo().agreement_id.kind != "uc":
            return super()._clock_segments(target, events)
        return self._uc_walk(target.sudo(), events)["segments"]

    @api.model
    def _uc_walk(self, target, events):
        """Follow the ticket's history from the point of view of the target's
        supplier: when its clock starts, its segments, the first
        acknowledgement, when its part was first over and since when it is
        over for good (None while it is not), and how a closing of the ticket
        ended its part (``*_closure``: None when the supplier resolved it,
        else the closure kind of the last closed stage, UC clock rule 1)."""
        supplier = target.agreement_id.supplier_id.id
        pausing = set(target.pause_stage_ids.ids)
        walk = {
            "start": None,
            "first_ack": None,
            "first_over": None,
            "over_since": None,
            "first_over_closure": None,
            "over_closure": None,
            "segments": [],
        }
        holder = stage_id = closure = None
        closed = resolved = closing = False
        for event in events:
            if event["type"] == "reply":
                continue
            if event["stage_id"]:
                stage_id, closed = event["stage_id"], event["closed"]
                closure = (event.get("closure") or None) if closed else None
            holder, resolved = self._uc_step(event, supplier, holder, resolved)
            if walk["start"] is None:
                if holder != supplier:
                    continue
                walk["start"] = event["date"]
            if closed and holder != supplier:
                # Closed after a take-back (or with another supplier): this
                # supplier's part is over; reopening the ticket does not give
                # it back, only a new hand-over does.
                resolved = True
            if (
                event["type"] == "supplier_ack"
                and event.get("supplier_id") == supplier
                and walk["first_ack"] is None
            ):
                walk["first_ack"] = event["date"]
            state = self._uc_state(
                supplier, holder, resolved, closed, stage_id, pausing
            )
            if state == CLOSED:
                # UC clock rule 1: the supplier's resolution counts whatever
                # the closing; a closing that ends its part is judged by its
                # last closed stage (channel rule 7).
                by_closing = event["type"] != "supplier_resolved"
                if walk["first_over"] is None:
                    walk["first_over"] = event["date"]
                    walk["first_over_closure"] = closure if by_closing else None
                if walk["over_since"] is None:
                    walk["over_since"] = event["date"]
                    walk["over_closure"] = closure if by_closing else None
                    closing = by_closing
                elif closing and event["stage_id"]:
                    # Moved from closed stage to closed stage: the last one
                    # says how that closing ended; a reopening ends the run.
                    closing = closed
                    if closed:
                        walk["over_closure"] = closure
            else:
                walk["over_since"] = walk["over_closure"] = None
                closing = False
            walk["segments"].append(Segment(event["date"], state))
        return walk

    @staticmethod
    def _uc_step(event, supplier, holder, resolved):
        """(holder, resolved by ``supplier``) after ``event``."""
        event_type = event["type"]
        event_supplier = event.get("supplier_id")
        if event_type == "handover":
            holder = event_supplier
            if event_supplier == supplier:
                resolved = False  # handed again: its clock resumes
        elif event_type == "supplier_back" and holder == event_supplier:
            holder = None
        elif event_type == "supplier_resolved" and event_supplier == holder:
            holder = None
            if event_supplier == supplier:
                resolved = True
        return holder, resolved

    @staticmethod
    def _uc_state(supplier, holder, resolved, closed, stage_id, pausing):
        if closed or resolved:
            return CLOSED
        if holder != supplier:
            return AWAY
        if stage_id in pausing:
            return PAUSED
        return ACTIVE
