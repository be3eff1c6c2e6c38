# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import Counter

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .slm_clock import SETTLED

MANAGER_GROUP = "slm_catalogue.group_slm_manager"
# Tickets computed together by the preview and the confirmation (set-based:
# one history query and one business-time window per calendar per batch).
BATCH_TICKETS = 200
# Clock lines kept in a preview; the monthly summary always covers all.
LINE_LIMIT = 500
# What a person may write on a run: the reason, while it is a preview.
EDITABLE_FIELDS = {"reason"}
# What may be given when a run is created (the rest is the suite's).
CREATE_FIELDS = {"scope", "agreement_id", "ticket_ids", "reason", "company_id"}


class SlmRecompute(models.Model):
    """A person's recomputation of clocks: previewed, then applied on
    confirmation (recomputation rules 1-6 of slm_agreements' USAGE.md).

    The preview computes the clocks of the scope as a recomputation would
    make them without writing them (``slm.clock._recompute_values``), and
    shows per clock and per month the figures as measured and as
    recomputed. *Apply* writes the clocks through the normal path
    (``_recompute``), keeps every superseded result as a
    ``slm.clock.revision`` and records who, when and why; the run is frozen
    afterwards.
    """

    _name = "slm.recompute"
    _inherit = ["mail.thread"]
    _description = "Recomputation of Service Level Clocks"
    _order = "id desc"

    name = fields.Char(compute="_compute_name", store=True)
    scope = fields.Selection(
        [("agreement", "Agreement"), ("tickets", "Tickets")],
        required=True,
        default="agreement",
        readonly=True,
        help="Agreement: every clock of the agreement. Tickets: every clock of "
        "the tickets.",
    )
    agreement_id = fields.Many2one(
        "slm.agreement", readonly=True, index=True, ondelete="restrict"
    )
    ticket_ids = fields.Many2many("helpdesk.ticket", string="Tickets", readonly=True)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True
    )
    reason = fields.Text(
        string="Why",
        tracking=True,
        help="Why the clocks are recomputed (e.g. the calendar's holidays of "
        "May were missing): logged with the recomputation and shown on the "
        "statements and minutes whose figures it changes.",
    )
    state = fields.Selection(
        [("draft", "Preview"), ("applied", "Applied"), ("discarded", "Discarded")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
        help="Preview: nothing is written to the clocks yet. Applied: the "
        "clocks were recomputed (frozen). Discarded: not applied (kept).",
    )
    previewed_on = fields.Datetime(readonly=True)
    previewed_by_id = fields.Many2one("res.users", readonly=True)
    applied_on = fields.Datetime(readonly=True, index=True)
    applied_by_id = fields.Many2one("res.users", string="Applied by", readonly=True)
    clock_count = fields.Integer(
        string="Clocks in Scope",
        readonly=True,
        help="Clocks in the scope of the preview.",
    )
    changed_count = fields.Integer(
        string="Clocks Changed",
        readonly=True,
        help="Clocks whose status, deadline, stop or month would change (or, "
        "settled, their time used or paused), new cycles included.",
    )
    lines_capped = fields.Boolean(
        readonly=True,
        help="More clocks change than the preview lists; the monthly summary "
        "covers them all.",
    )
    revised_count = fields.Integer(
        string="Results Superseded",
        readonly=True,
        help="Clocks whose result the confirmation changed (a revision each).",
    )
    summary = fields.Char(compute="_compute_summary")
    line_ids = fields.One2many("slm.recompute.line", "run_id", string="Clocks")
    month_ids = fields.One2many("slm.recompute.month", "run_id", string="Months")
    revision_ids = fields.One2many(
        "slm.clock.revision", "run_id", string="Superseded Results"
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("scope", "agreement_id", "ticket_ids")
    def _compute_name(self):
        for run in self:
            if run.scope == "agreement":
                what = run.agreement_id.display_name or ""
            else:
                what = ", ".join(run.ticket_ids[:3].mapped("display_name"))
                if len(run.ticket_ids) > 3:
                    what += ", ..."
            run.name = self.env._("Recomputation of %(what)s", what=what)

    @api.depends("state", "previewed_on", "changed_count", "clock_count")
    def _compute_summary(self):
        for run in self:
            if not run.previewed_on:
                run.summary = self.env._("Write why, then Preview.")
            elif not run.changed_count:
                run.summary = self.env._(
                    "No change: the %(count)s clocks recomputed give the "
                    "figures as measured.",
                    count=run.clock_count,
                )
            else:
                run.summary = self.env._(
                    "%(changed)s of %(count)s clocks change.",
                    changed=run.changed_count,
                    count=run.clock_count,
                )

    # ------------------------------------------------------------------
    # Guards (recomputation rule 5, guard rule 1)
    # ------------------------------------------------------------------

    def _check_manager(self):
        if not self.env.su and not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._("Only a Service Level Manager can recompute clocks.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_manager()
        for index, vals in enumerate(vals_list):
            # Defaults (the buttons' context) included: a default_state or
            # any other context key grants nothing.
            vals = vals_list[index] = self._add_missing_default_values(vals)
            wrong = {
                name
                for name, value in vals.items()
                if name not in CREATE_FIELDS
                and value
                and not (name == "state" and value == "draft")
            }
            if wrong and not self.env.su:
                raise AccessError(
                    self.env._(
                        "A recomputation starts as a preview; %(fields)s are "
                        "set by Preview and Apply only.",
                        fields=", ".join(sorted(wrong)),
                    )
                )
            vals["company_id"] = self._scope_company(vals)
        return super().create(vals_list)

    def _scope_company(self, vals):
        """The company of the scope, checked: an agreement that is or was
        agreed, or tickets of one company, that the user may read."""
        scope = vals.get("scope") or "agreement"
        if scope == "agreement":
            agreement = self.env["slm.agreement"].browse(vals.get("agreement_id"))
            if not agreement:
                raise UserError(self.env._("Choose the agreement to recompute."))
            agreement.check_access("read")
            if agreement.state not in ("agreed", "expired", "superseded"):
                raise UserError(
                    self.env._(
                        "Clocks run only for agreements that are or were "
                        "agreed: %(agreement)s is not.",
                        agreement=agreement.display_name,
                    )
                )
            return agreement.company_id.id
        ticket_ids = set()
        for command in vals.get("ticket_ids") or []:
            if command[0] == 6:
                ticket_ids.update(command[2])
            elif command[0] == 4:
                ticket_ids.add(command[1])
        tickets = self.env["helpdesk.ticket"].browse(sorted(ticket_ids))
        if not tickets:
            raise UserError(self.env._("Choose the tickets to recompute."))
        tickets.check_access("read")
        if len(tickets.company_id) > 1:
            raise UserError(
                self.env._("Recompute the tickets of one company at a time.")
            )
        return tickets.company_id.id

    def write(self, vals):
        if not self.env.su:
            frozen = self.filtered(lambda run: run.state != "draft")
            if frozen:
                raise UserError(self._frozen_error(frozen))
            wrong = set(vals) - EDITABLE_FIELDS
            if wrong:
                raise AccessError(
                    self.env._(
                        "Only the reason of a recomputation is written by hand "
                        "(%(fields)s: by Preview and Apply).",
                        fields=", ".join(sorted(wrong)),
                    )
                )
        return super().write(vals)

    def _frozen_error(self, runs):
        return self.env._(
            "%(run)s is %(state)s: a recomputation is frozen once applied or "
            "discarded.",
            run=runs[0].display_name,
            state=dict(self._fields["state"]._description_selection(self.env))[
                runs[0].state
            ].lower(),
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_only_previews(self):
        if self.filtered(lambda run: run.state == "applied"):
            raise UserError(
                self.env._(
                    "An applied recomputation is the log of the superseded "
                    "results: it is never deleted."
                )
            )

    def _check_actionable(self):
        self._check_manager()
        self.check_access("write")
        done = self.filtered(lambda run: run.state != "draft")
        if done:
            raise UserError(self._frozen_error(done))

    # ------------------------------------------------------------------
    # Scope
    # ------------------------------------------------------------------

    def _clock_domain(self):
        self.ensure_one()
        if self.scope == "agreement":
            return [("agreement_id", "=", self.agreement_id.id)]
        return [("ticket_id", "in", self.ticket_ids.ids)]

    def _clock_batches(self):
        """The clocks of the scope (as the suite), by batches of whole
        tickets: every cycle of a ticket's target is in the same batch."""
        clocks = (
            self.env["slm.clock"]
            .sudo()
            .search(self._clock_domain(), order="ticket_id, target_id, cycle, id")
        )
        batch, tickets = [], set()
        for clock_id, ticket_id in zip(
            clocks.ids, clocks.mapped(lambda c: c.ticket_id.id), strict=True
        ):
            if ticket_id not in tickets and len(tickets) >= BATCH_TICKETS:
                yield clocks.browse(batch)
                batch, tickets = [], set()
            tickets.add(ticket_id)
            batch.append(clock_id)
        if batch:
            yield clocks.browse(batch)

    # ------------------------------------------------------------------
    # Preview (recomputation rules 1-3)
    # ------------------------------------------------------------------

    def action_preview(self):
        """Compute what the recomputation would change; write no clock."""
        self._check_actionable()
        for run in self:
            if not (run.reason or "").strip():
                raise UserError(
                    self.env._("Write why the clocks are recomputed first.")
                )
            run._preview()
        if len(self) == 1:
            return self._form_action()
        return True

    def _form_action(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }

    def _preview(self):
        self.ensure_one()
        Clock = self.env["slm.clock"].sudo()
        Target = self.env["slm.target"]
        now = fields.Datetime.now()
        measured = Clock._attainment_counts(
            self._clock_domain(), ["target_id", "period_date:month"]
        )
        # Tickets are recomputed by ``_slm_sync_clocks``: it also cancels the
        # open clocks of targets that no longer apply and starts those of
        # targets that now apply; the preview shows the same.
        applicable = (
            self.ticket_ids.sudo()._slm_applicable_targets()
            if self.scope == "tickets"
            else None
        )
        # (target id, month, status, excused, negotiated): count
        acc = {"rows": Counter(), "lines": [], "changed": 0, "pairs": set()}
        clock_count = 0
        for batch in self._clock_batches():
            clock_count += len(batch)
            results, pairs, cycles_of = batch._recompute_values(force=True, now=now)
            for clock, vals, _times in results:
                acc["pairs"].add((clock.ticket_id.id, clock.target_id.id))
                if applicable is not None and clock.target_id not in applicable.get(
                    clock.ticket_id.id, Target
                ):
                    vals = self._not_applicable_values(clock)
                self._preview_add(acc, clock, clock.target_id, vals, clock.excused)
            existing = {(c.ticket_id.id, c.target_id.id, c.cycle) for c in batch}
            for ticket, target in pairs:
                if applicable is not None and target not in applicable.get(
                    ticket.id, Target
                ):
                    continue
                for cycle, vals in enumerate(cycles_of[(ticket.id, target.id)]):
                    if cycle == 0 or (ticket.id, target.id, cycle) in existing:
                        continue
                    # A cycle the history started that no clock measures yet.
                    self._preview_add(acc, Clock, target, vals, False, ticket, cycle)
        if applicable is not None:
            new_pairs = [
                (ticket, target)
                for ticket in self.ticket_ids.sudo()
                for target in applicable.get(ticket.id, Target)
                if (ticket.id, target.id) not in acc["pairs"]
            ]
            if new_pairs:
                values = Clock._compute_values(new_pairs, now=now)
                for (ticket, target), vals in zip(new_pairs, values, strict=True):
                    if not vals.get("start"):
                        continue  # nothing to measure yet (clock rule 2)
                    for cycle, cycle_vals in enumerate(Clock._split_cycles(vals)):
                        self._preview_add(
                            acc, Clock, target, cycle_vals, False, ticket, cycle
                        )
        rows, lines, changed = acc["rows"], acc["lines"], acc["changed"]
        recomputed = Clock._attainment_from_rows(
            [(*key, count) for key, count in rows.items()]
        )
        sudo = self.sudo()
        sudo.line_ids.unlink()
        sudo.month_ids.unlink()
        self.env["slm.recompute.line"].sudo().create(lines)
        self.env["slm.recompute.month"].sudo().create(
            self._month_values(measured, recomputed)
        )
        sudo.write(
            {
                "previewed_on": now,
                "previewed_by_id": self.env.user.id,
                "clock_count": clock_count,
                "changed_count": changed,
                "lines_capped": changed > len(lines),
            }
        )

    def _preview_add(self, acc, clock, target, vals, excused, ticket=None, cycle=0):
        """Count ``vals`` (a clock's recomputed values) in its month, and
        list it when it changes the clock; ``ticket`` given: a clock the
        recomputation creates (``clock`` empty)."""
        month = self._month_of(target.agreement_id, vals)
        if month:
            # The columns ``_attainment_counts`` groups by (negotiated
            # deadline rule 7: flagged apart, counted as usual).
            negotiated = bool(
                vals.get("negotiated_deadline", clock.negotiated_deadline)
            )
            acc["rows"][(target.id, month, vals["status"], excused, negotiated)] += 1
        if ticket is None and not self._differs(clock, vals, month):
            return
        acc["changed"] += 1
        if len(acc["lines"]) < LINE_LIMIT:
            line = self._line_values(clock, vals, month)
            if ticket is not None:
                line.update(
                    ticket_id=ticket.id, target_id=target.id, cycle=cycle, is_new=True
                )
            acc["lines"].append(line)

    @api.model
    def _not_applicable_values(self, clock):
        """What ``_slm_sync_clocks`` leaves of a clock whose target no longer
        applies to its ticket: an open one is cancelled, any other kept."""
        vals = {
            name: clock[name]
            for name in (
                "status",
                "deadline",
                "stop",
                "settled_date",
                "used_seconds",
                "paused_seconds",
            )
        }
        if clock.status in ("running", "paused", "error"):
            vals["status"] = "cancelled"
        return vals

    @api.model
    def _month_of(self, agreement, vals):
        """The month the values settle in (period rule, clock rule 13)."""
        if vals.get("status") not in SETTLED or not vals.get("settled_date"):
            return False
        return agreement._period_keys(vals["settled_date"])[1]

    @api.model
    def _differs(self, clock, vals, month):
        """Whether the recomputation changes the clock's result: status,
        deadline, stop or month; settled, also the time used or paused (the
        time a running clock uses grows with time alone: not a change)."""
        if (
            clock.status != vals.get("status")
            or clock.deadline != (vals.get("deadline") or False)
            or clock.stop != (vals.get("stop") or False)
            or clock.period_date != month
        ):
            return True
        return vals.get("status") in SETTLED and (
            clock.used_seconds != vals.get("used_seconds", clock.used_seconds)
            or clock.paused_seconds != vals.get("paused_seconds", clock.paused_seconds)
        )

    def _line_values(self, clock, vals, month):
        return {
            "run_id": self.id,
            "clock_id": clock.id,
            "ticket_id": clock.ticket_id.id,
            "target_id": clock.target_id.id,
            "cycle": clock.cycle,
            "measured_status": clock.status,
            "measured_deadline": clock.deadline,
            "measured_stop": clock.stop,
            "measured_used_hours": clock.used_seconds / 3600,
            "measured_month": clock.period_date,
            "recomputed_status": vals.get("status"),
            "recomputed_deadline": vals.get("deadline") or False,
            "recomputed_stop": vals.get("stop") or False,
            "recomputed_used_hours": (vals.get("used_seconds") or 0) / 3600,
            "recomputed_month": month,
        }

    def _month_values(self, measured, recomputed):
        empty = {"met": 0, "breached": 0, "attainment": None}
        vals_list = []
        for key in sorted(
            measured.keys() | recomputed.keys(), key=lambda k: (k[1], k[0])
        ):
            before = measured.get(key, empty)
            after = recomputed.get(key, empty)
            vals_list.append(
                {
                    "run_id": self.id,
                    "target_id": key[0],
                    "period_date": key[1],
                    "measured_met": before["met"],
                    "measured_breached": before["breached"],
                    "measured_attainment": before["attainment"] or 0.0,
                    "measured_has_measure": before["attainment"] is not None,
                    "recomputed_met": after["met"],
                    "recomputed_breached": after["breached"],
                    "recomputed_attainment": after["attainment"] or 0.0,
                    "recomputed_has_measure": after["attainment"] is not None,
                    "changed": (before["met"], before["breached"])
                    != (after["met"], after["breached"]),
                }
            )
        return vals_list

    # ------------------------------------------------------------------
    # Apply (recomputation rules 3-5)
    # ------------------------------------------------------------------

    def action_apply(self):
        """Recompute the clocks of the scope, settled ones included, keep the
        superseded results and log who, when and why. Once only."""
        self._check_actionable()
        # Two confirmations at the same instant: the second waits for the
        # first, then finds it applied (never applied twice).
        self.env.cr.execute(
            "SELECT id FROM slm_recompute WHERE id IN %s FOR UPDATE", [tuple(self.ids)]
        )
        self.invalidate_recordset(["state"])
        self._check_actionable()
        for run in self:
            if not run.previewed_on:
                raise UserError(
                    self.env._("Preview the recomputation before applying it.")
                )
            run._apply()
        return True

    def action_discard(self):
        """Close a preview without applying it (kept, frozen)."""
        self._check_actionable()
        self.sudo().write({"state": "discarded"})
        return True

    def _apply(self):
        self.ensure_one()
        Clock = self.env["slm.clock"].sudo()
        now = fields.Datetime.now()
        before = Clock._slm_revision_snapshot(self._clock_domain())
        # The normal path: the clocks are written as any recomputation
        # writes them (clock rules 11 and 14).
        if self.scope == "tickets":
            self.ticket_ids.sudo()._slm_sync_clocks(force=True)
        else:
            for batch in self._clock_batches():
                batch._recompute(force=True)
        revisions = Clock._slm_revision_values(
            before, run_id=self.id, date=now, user_id=self.env.user.id
        )
        revised = self.env["slm.clock.revision"].sudo().create(revisions)
        self.sudo().write(
            {
                "state": "applied",
                "applied_on": now,
                "applied_by_id": self.env.user.id,
                "revised_count": len(revised),
            }
        )
        self._log(revised)
        self._after_apply()

    def _after_apply(self):
        """Hook, once the clocks are written and logged: other addons note
        the recomputation on their documents (slm_reviews: issued statements
        and sent minutes, recomputation rule 6)."""
        return None

    def _log(self, revised):
        """Who, when and why: on the run, the agreement and the tickets
        (their clocks' timelines list it, clock rule 19)."""
        body = self.env._(
            "Service level clocks recomputed by %(user)s: %(why)s "
            "(%(count)s results superseded, kept under Superseded Results).",
            user=self.env.user.name,
            why=self.reason,
            count=len(revised),
        )
        self.sudo().message_post(body=body, subtype_xmlid="mail.mt_note")
        if self.scope == "agreement":
            self.agreement_id.sudo().message_post(
                body=body, subtype_xmlid="mail.mt_note"
            )
            tickets = revised.clock_id.ticket_id
        else:
            tickets = self.ticket_ids
        subtype = self.env.ref("slm_agreements.mt_slm_clocks_recomputed")
        self.env["mail.message"].sudo().create(
            [
                {
                    "model": "helpdesk.ticket",
                    "res_id": ticket.id,
                    "body": body,
                    "message_type": "notification",
                    "subtype_id": subtype.id,
                    "author_id": self.env.user.partner_id.id,
                }
                for ticket in tickets
            ]
        )
        tickets.invalidate_recordset(["message_ids"])

    def action_view_revisions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "slm_agreements.slm_clock_revision_action"
        )
        action["domain"] = [("run_id", "=", self.id)]
        action["context"] = {}
        return action

    @api.model
    def _open_new(self, defaults):
        """The form of a new recomputation (the buttons of the agreement and
        the ticket): a Service Level Manager's correction (access rule 1)."""
        self._check_manager()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Recompute Clocks"),
            "res_model": self._name,
            "view_mode": "form",
            "target": "current",
            "context": {f"default_{name}": value for name, value in defaults.items()},
        }
