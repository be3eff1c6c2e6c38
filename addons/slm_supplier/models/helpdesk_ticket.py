# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import AccessError, UserError

# Who may hand tickets over, acknowledge, resolve and take them back.
HANDOVER_GROUPS = (
    "helpdesk_mgmt.group_helpdesk_user_own",
    "slm_catalogue.group_slm_user",
)


class HelpdeskTicket(models.Model):
    """Hand-over of tickets to suppliers under contract; the clocks of their
    underpinning contracts (UCs)."""

    _inherit = "helpdesk.ticket"

    supplier_id = fields.Many2one(
        "res.partner",
        string="Supplier",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The supplier the ticket is (or was last) handed to, under an "
        "underpinning contract. Changed only by the buttons Hand over to "
        "Supplier, Supplier Resolved and Take Back.",
    )
    supplier_state = fields.Selection(
        [
            ("handed_over", "With Supplier"),
            ("resolved", "Resolved by Supplier"),
            ("taken_back", "Taken Back"),
        ],
        string="Supplier Status",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="With Supplier: handed over, the supplier's clocks run. Resolved by "
        "Supplier: the supplier delivered (its resolution clock stopped). "
        "Taken Back: handed back without resolution (its clocks wait).",
    )
    supplier_handover_date = fields.Datetime(
        string="Handed Over on",
        readonly=True,
        copy=False,
        help="When the ticket was last handed to the supplier.",
    )
    supplier_ack_date = fields.Datetime(
        string="Supplier Acknowledged on",
        readonly=True,
        copy=False,
        help="When the supplier acknowledged the ticket after the last hand-over "
        "(stops the response clock of its contract).",
    )
    supplier_resolved_date = fields.Datetime(
        string="Supplier Resolved on",
        readonly=True,
        copy=False,
        help="When the supplier delivered the resolution (stops the resolution "
        "clock of its contract).",
    )

    # ------------------------------------------------------------------
    # Which UC targets apply (clock rules 1 and 2)
    # ------------------------------------------------------------------

    def _slm_covered_by_facts(self, facts, created, team_history):
        # UCs apply from the hand-over, per supplier: see _slm_uc_targets
        # (slm_agreements keeps one winner per kind, not per supplier).
        if facts["kind"] == "uc":
            return False
        return super()._slm_covered_by_facts(facts, created, team_history)

    def _slm_applicable_targets(self, history=None):
        result = super()._slm_applicable_targets(history)
        empty = self.env["slm.target"]
        for ticket_id, targets in self._slm_uc_targets(history).items():
            # UC targets first: the union keeps their superuser environment
            # (helpdesk agents do not read contracts; their clocks run anyway).
            result[ticket_id] = targets | result.get(ticket_id, empty)
        return result

    def _slm_uc_targets(self, history=None):
        """{ticket id: UC targets that apply}.

        For each supplier a ticket has been handed to: the UCs of that
        supplier agreed and in force on the day of the first hand-over to it
        (expired or superseded since included), covering the ticket's service
        (and customer, if the UC names one); the most specific one wins; then
        each target's own scope must match. Two queries for the batch (one
        with ``history``, the batch's as ``slm.clock._load_history`` reads it).
        """
        Agreement = self.env["slm.agreement"]
        if not any(
            facts["kind"] == "uc"
            for company in self.company_id
            for facts in Agreement._slm_ticket_index(company.id)
        ):
            # No contract in force (the registry's ticket index): no query.
            return {}
        handovers = self._slm_supplier_handovers(history)
        if not handovers:
            return {}
        suppliers = {sid for per_ticket in handovers.values() for sid in per_ticket}
        ucs = (
            self.env["slm.agreement"]
            .sudo()
            .search(
                [
                    ("kind", "=", "uc"),
                    ("state", "in", ("agreed", "expired", "superseded")),
                    ("company_id", "in", self.company_id.ids),
                    ("supplier_id", "in", list(suppliers)),
                ]
            )
        )
        effective = ucs._slm_ticket_targets()
        ucs = ucs.filtered(lambda uc: uc.id in effective)
        result = {}
        for ticket in self:
            targets = self.env["slm.target"].sudo()
            for supplier_id, handed_at in handovers.get(ticket.id, {}).items():
                day = handed_at.date()
                covering = ucs.filtered(
                    lambda uc, t=ticket, s=supplier_id, d=day: (
                        uc.supplier_id.id == s and uc._slm_covers_ticket(t, d)
                    )
                )
                if covering:
                    winner = max(covering, key=self._slm_specificity)
                    targets |= effective[winner.id].filtered(
                        ticket._slm_in_target_scope
                    )
            result[ticket.id] = targets
        return result

    def _slm_supplier_handovers(self, history=None):
        """{ticket id: {supplier id: first hand-over (UTC)}}, in one query, or
        from ``history`` (``slm.clock._load_history``) when it holds it."""
        if not self.ids:
            return {}
        if history:
            handovers = defaultdict(dict)
            for ticket_id in self.ids:
                for event in history.get(ticket_id, ()):
                    supplier_id = event.get("supplier_id")
                    if event["type"] == "handover" and supplier_id:
                        # In date order: the first one stays.
                        handovers[ticket_id].setdefault(supplier_id, event["date"])
            return handovers
        self.env["slm.ticket.event"].flush_model()
        self.env.cr.execute(
            """
            SELECT ticket_id, supplier_id, MIN(date)
              FROM slm_ticket_event
             WHERE ticket_id = ANY(%s) AND event_type = 'handover'
               AND supplier_id IS NOT NULL
          GROUP BY ticket_id, supplier_id
            """,
            [list(self.ids)],
        )
        handovers = defaultdict(dict)
        for ticket_id, supplier_id, first in self.env.cr.fetchall():
            handovers[ticket_id][supplier_id] = first
        return handovers

    def _slm_suppliers_under_contract(self):
        """{ticket id: suppliers with an agreed UC in force today covering the
        ticket}: those it may be handed to. Today is the UTC date, as for the
        clocks (rule 1 reads the day of an instant in UTC)."""
        today = fields.Datetime.now().date()
        ucs = self.env["slm.agreement"]._slm_uc_in_force(self.company_id, today)
        partners = self.env["res.partner"]
        return {
            ticket.id: partners.browse(
                ucs.filtered(
                    lambda uc, t=ticket: uc._slm_covers_ticket(t, today)
                ).supplier_id.ids
            )
            for ticket in self
        }

    # ------------------------------------------------------------------
    # Hand-over
    # ------------------------------------------------------------------

    def _slm_check_may_hand_over(self):
        user = self.env.user
        if not any(user.has_group(group) for group in HANDOVER_GROUPS):
            raise AccessError(
                self.env._(
                    "Only helpdesk agents and service level management users "
                    "hand tickets over to suppliers."
                )
            )
        self.check_access("read")

    def action_slm_open_handover(self):
        """Button Hand over to Supplier: the wizard."""
        self.ensure_one()
        self._slm_check_may_hand_over()
        self._slm_check_open()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Hand over to Supplier"),
            "res_model": "slm.supplier.handover.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

    def _slm_check_open(self):
        closed = self.filtered("stage_id.closed")
        if closed:
            raise UserError(
                self.env._(
                    "%(tickets)s is closed: reopen it before involving a " "supplier.",
                    tickets=", ".join(closed.mapped("display_name")),
                )
            )

    def _slm_hand_over(self, supplier, note=False):
        """Hand these tickets to ``supplier``, which must be under contract
        for each of them; its UC clocks start (or resume)."""
        self._slm_check_may_hand_over()
        supplier = supplier.commercial_partner_id
        if not supplier:
            raise UserError(self.env._("Choose the supplier to hand over to."))
        self._slm_check_open()
        with_supplier = self.filtered(lambda t: t.supplier_state == "handed_over")
        if with_supplier:
            ticket = with_supplier[0]
            raise UserError(
                self.env._(
                    "%(ticket)s is already with %(supplier)s: take it back (or "
                    "record its resolution) before handing it over again.",
                    ticket=ticket.display_name,
                    supplier=ticket.supplier_id.display_name,
                )
            )
        allowed = self._slm_suppliers_under_contract()
        for ticket in self:
            if supplier not in allowed[ticket.id]:
                raise UserError(ticket._slm_not_under_contract_error(supplier))
        self._slm_supplier_step(
            "handover",
            {
                "supplier_id": supplier.id,
                "supplier_state": "handed_over",
                "supplier_ack_date": False,
                "supplier_resolved_date": False,
            },
            self.env._("Handed over to %s.", supplier.display_name),
            note=note,
            supplier=supplier,
            date_field="supplier_handover_date",
        )
        return True

    def _slm_not_under_contract_error(self, supplier):
        service = self.service_id.display_name or self.env._("(no service)")
        others = self._slm_suppliers_under_contract()[self.id]
        text = self.env._(
            "%(supplier)s is not a supplier under contract for %(ticket)s: no "
            "agreed underpinning contract with it is in force today for the "
            "service %(service)s.",
            supplier=supplier.display_name,
            ticket=self.display_name,
            service=service,
        )
        if others:
            text += " " + self.env._(
                "Suppliers under contract for it: %s.",
                ", ".join(others.mapped("display_name")),
            )
        else:
            text += " " + self.env._(
                "No supplier is under contract for it: ask your Supplier "
                "Manager to record the contract."
            )
        return text

    def action_slm_supplier_ack(self):
        """Button Supplier Acknowledged: stops the response clocks of the UC."""
        self._slm_check_with_supplier()
        tickets = self.filtered(lambda t: not t.supplier_ack_date)
        for supplier, group in tickets.grouped("supplier_id").items():
            group._slm_supplier_step(
                "supplier_ack",
                {},
                self.env._("%s acknowledged the ticket.", supplier.display_name),
                supplier=supplier,
                date_field="supplier_ack_date",
            )
        return True

    def action_slm_supplier_resolved(self):
        """Button Supplier Resolved: the supplier delivered; stops the
        resolution clocks of the UC (and the response clocks not yet stopped)."""
        self._slm_check_with_supplier()
        for supplier, group in self.grouped("supplier_id").items():
            group._slm_supplier_step(
                "supplier_resolved",
                {"supplier_state": "resolved"},
                self.env._("%s resolved the ticket.", supplier.display_name),
                supplier=supplier,
                date_field="supplier_resolved_date",
            )
        return True

    def action_slm_supplier_take_back(self):
        """Button Take Back: handed back without resolution; the UC clocks
        wait until the ticket is handed to the supplier again."""
        self._slm_check_with_supplier()
        for supplier, group in self.grouped("supplier_id").items():
            group._slm_supplier_step(
                "supplier_back",
                {"supplier_state": "taken_back"},
                self.env._(
                    "Taken back from %s without resolution.", supplier.display_name
                ),
                supplier=supplier,
            )
        return True

    def _slm_check_with_supplier(self):
        self._slm_check_may_hand_over()
        elsewhere = self.filtered(lambda t: t.supplier_state != "handed_over")
        if elsewhere:
            raise UserError(
                self.env._(
                    "%(tickets)s is not with a supplier: hand it over first.",
                    tickets=", ".join(elsewhere.mapped("display_name")),
                )
            )

    def _slm_supplier_step(
        self, event_type, vals, message, supplier, note=False, date_field=None
    ):
        """Record one step of the hand-over on these tickets: the fields, the
        clock event, a note in the chatter; then the clocks.

        Written as superuser once the user's rights are checked: a service
        level user may hand over a ticket it only reads.
        """
        # Tickets from before the suite: their history first (as on a stage
        # change), or the hand-over would be their only event.
        self._slm_backfill_events()
        now = fields.Datetime.now()
        if date_field:
            vals = dict(vals, **{date_field: now})
        self.sudo().write(vals)
        self.env["slm.ticket.event"].sudo().create(
            [
                {
                    "ticket_id": ticket.id,
                    "date": now,
                    "event_type": event_type,
                    "supplier_id": supplier.id,
                }
                for ticket in self
            ]
        )
        body = Markup("<p>%s</p>") % message
        if note:
            body += Markup("<p>%s</p>") % note
        author = self.env.user.partner_id.id
        for ticket in self.sudo():
            ticket.message_post(
                body=body, subtype_xmlid="mail.mt_note", author_id=author
            )
        self._slm_sync_clocks()
