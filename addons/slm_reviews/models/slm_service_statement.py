# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_datetime
from odoo.tools.date_utils import end_of, start_of

from odoo.addons.slm_agreements.tools.records import field_labels

_logger = logging.getLogger(__name__)

# Agreements that were agreed at some point: only they have figures.
MEASURED_STATES = ("agreed", "expired", "superseded", "terminated")
# Fields that may still change on an issued statement: technical fields of
# the chatter and of the customer portal, never a figure.
# Set by the buttons and the figures' computation only (Issue, Recompute):
# plain writes are refused (guard rule 1).
WORKFLOW_FIELDS = {"state", "issued_date", "issued_by_id", "computed_date"}
WRITABLE_WHEN_ISSUED = {
    # Written once, by the sealing (seal rule 2 of slm_agreements).
    "seal_id",
    "access_token",
    "message_main_attachment_id",
    "message_follower_ids",
    "activity_ids",
    "message_ids",
    "website_message_ids",
}
MANAGER_GROUP = "slm_catalogue.group_slm_manager"


def month_start(day):
    """First day of the calendar month of ``day`` (a date, datetime or string)."""
    return start_of(fields.Date.to_date(day), "month")


class SlmServiceStatement(models.Model):
    """What an agreement achieved in one month, issued to the customer and then
    frozen: figures sent to a customer never change afterwards.

    Months are calendar months in the agreement's time zone (period rule):
    a clock counts in the month stored on it (``period_date``), an
    availability target in the month of its ``slm.availability`` row, which
    follows the same rule.
    """

    _name = "slm.service.statement"
    _description = "Monthly Service Statement"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "portal.mixin",
        "slm.sealed.mixin",
    ]
    _order = "period_start desc, agreement_id"

    name = fields.Char(
        required=True,
        default="/",
        copy=False,
        readonly=True,
        help="The agreement's reference and the month, e.g. SLA0002 2026-10.",
    )
    agreement_id = fields.Many2one(
        "slm.agreement",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
        help="The agreement reported on. A lower-level agreement reports its own "
        "targets and those it inherits, over the tickets it covers.",
    )
    agreement_kind = fields.Selection(
        related="agreement_id.kind", store=True, string="Kind"
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        related="agreement_id.partner_id",
        store=True,
        index=True,
    )
    period_start = fields.Date(
        string="Month",
        required=True,
        index=True,
        tracking=True,
        help="First day of the month reported (any day given is moved to the "
        "first of its month).",
    )
    period_end = fields.Date(
        compute="_compute_period_end",
        store=True,
        help="Last day of the month reported.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("issued", "Issued")],
        default="draft",
        required=True,
        tracking=True,
        index=True,
        copy=False,
        help="Draft: figures are recomputed on demand. Issued: sent to the "
        "customer and frozen.",
    )
    issued_date = fields.Datetime(readonly=True, copy=False)
    issued_by_id = fields.Many2one(
        "res.users", string="Issued by", readonly=True, copy=False
    )
    computed_date = fields.Datetime(
        string="Figures Computed on",
        readonly=True,
        copy=False,
        help="When the figures were last computed from the clocks and the "
        "availability figures.",
    )
    note = fields.Html(
        string="Comments",
        help="Comments for the customer, printed on the statement (e.g. what "
        "caused the month's breaches and what is done about them).",
    )
    line_ids = fields.One2many(
        "slm.service.statement.line", "statement_id", string="Targets"
    )
    company_id = fields.Many2one(
        related="agreement_id.company_id", store=True, index=True
    )
    tz = fields.Selection(
        related="agreement_id.tz",
        string="Time Zone of the Months",
        help="The month runs from its first to its last day in this time zone "
        "(the agreement's: period rule).",
    )
    # Totals of the ticket targets (response, resolution).
    total_measured = fields.Integer(
        string="Measured",
        compute="_compute_totals",
        store=True,
        help="Clocks counted over all ticket targets: met + breached (excused "
        "breaches apart).",
    )
    total_met = fields.Integer(string="Met", compute="_compute_totals", store=True)
    total_breached = fields.Integer(
        string="Breaches",
        compute="_compute_totals",
        store=True,
        help="Breaches that count (not excused), over all ticket targets.",
    )
    total_excused = fields.Integer(
        string="Excused Breaches",
        compute="_compute_totals",
        store=True,
        help="Breaches excused by a Service Level Manager: shown, not counted.",
    )
    attainment_pct = fields.Float(
        string="Overall Attainment (%)",
        compute="_compute_totals",
        store=True,
        aggregator="avg",
        help="Met / measured over all ticket targets together (0 when nothing "
        "was measured). Over several statements: their summed met over their "
        "summed measured.",
    )
    availability_pct = fields.Float(
        string="Availability (%)",
        compute="_compute_totals",
        store=True,
        aggregator="min",
        help="The month's availability of the agreement as a whole; with "
        "several availability targets, the lowest (over several statements: "
        "the lowest month).",
    )
    has_availability = fields.Boolean(
        compute="_compute_totals",
        store=True,
        help="An availability target of the agreement was measured this month.",
    )
    targets_achieved = fields.Integer(
        compute="_compute_totals",
        store=True,
        help="Targets whose attainment (or availability) reached the objective.",
    )
    targets_missed = fields.Integer(
        compute="_compute_totals",
        store=True,
        help="Targets measured this month whose objective was not reached.",
    )

    recomputation_note = fields.Text(
        compute="_compute_recomputation_note",
        help="Issued figures never change; when a Service Level Manager "
        "applies a recomputation of clocks that changes this month after the "
        "statement was issued, the difference is noted here (recomputation "
        "rule 6).",
    )

    _sql_constraints = [
        (
            "agreement_month_uniq",
            "unique(agreement_id, period_start)",
            "An agreement has one statement per month.",
        )
    ]

    @api.model
    def _read_group_select(self, aggregate_spec, query):
        # Attainment over several statements: summed met over summed
        # measured, never an average of percentages.
        if aggregate_spec.startswith("attainment_pct:"):
            return SQL(
                "COALESCE(100.0 * SUM(%s) / NULLIF(SUM(%s), 0), 0)::float",
                self._field_to_sql(self._table, "total_met", query),
                self._field_to_sql(self._table, "total_measured", query),
            )
        return super()._read_group_select(aggregate_spec, query)

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("period_start")
    def _compute_period_end(self):
        for statement in self:
            statement.period_end = statement.period_start and (
                end_of(statement.period_start, "month")
            )

    @api.depends(
        "line_ids.metric",
        "line_ids.measured",
        "line_ids.met",
        "line_ids.breached",
        "line_ids.excused",
        "line_ids.attainment_pct",
        "line_ids.has_measure",
        "line_ids.achieved",
    )
    def _compute_totals(self):
        for statement in self:
            tickets = statement.line_ids.filtered(
                lambda line: line.metric != "availability"
            )
            availability = statement.line_ids.filtered(
                lambda line: line.metric == "availability" and line.has_measure
            )
            measured = sum(tickets.mapped("measured"))
            met = sum(tickets.mapped("met"))
            statement.total_measured = measured
            statement.total_met = met
            statement.total_breached = sum(tickets.mapped("breached"))
            statement.total_excused = sum(tickets.mapped("excused"))
            statement.attainment_pct = 100.0 * met / measured if measured else 0.0
            statement.has_availability = bool(availability)
            statement.availability_pct = min(
                availability.mapped("attainment_pct"), default=0.0
            )
            measured_lines = statement.line_ids.filtered("has_measure")
            achieved = measured_lines.filtered("achieved")
            statement.targets_achieved = len(achieved)
            statement.targets_missed = len(measured_lines - achieved)

    def _compute_recomputation_note(self):
        """Recomputation rule 6: the figures as issued stay; each
        recomputation applied since that changed the month of one of the
        statement's targets is noted, with the overall attainment now."""
        for statement in self:
            runs = statement._recomputation_runs()
            statement.recomputation_note = (
                statement._recomputation_note(runs) if runs else False
            )

    def _recomputation_runs(self):
        """The recomputations applied since the statement was issued that
        changed its month for one of its targets."""
        self.ensure_one()
        if self.state != "issued" or not self.issued_date:
            return self.env["slm.recompute"]
        return self._recomputations_since(
            self.issued_date, self.line_ids.target_id, [self.period_start]
        )

    def _recomputation_note(self, runs):
        """The note of ``runs``: who, when, why, as issued and now."""
        self.ensure_one()
        now = self._overall_attainment_now()
        return "\n".join(
            self.env._(
                "Figures recomputed on %(date)s by %(who)s (%(why)s): as "
                "issued %(issued)s, now %(now)s.",
                date=format_datetime(self.env, run.applied_on),
                who=run.applied_by_id.name or "",
                why=run.reason or "",
                issued=self._pct_label(self.attainment_pct, self.total_measured),
                now=now,
            )
            for run in runs
        )

    @api.model
    def _pct_label(self, value, measured=1):
        """A percentage as the notes write it; "not measured" without clocks."""
        if not measured:
            return self.env._("not measured")
        return f"{value:.2f} %"

    @api.model
    def _recomputations_since(self, since, targets, months):
        """The recomputations applied after ``since`` that changed a month of
        ``months`` for one of ``targets`` (recomputation rule 6), oldest
        first. Read as the system: the note is part of the document."""
        if not targets or not months:
            return self.env["slm.recompute"]
        rows = (
            self.env["slm.recompute.month"]
            .sudo()
            .search(
                [
                    ("changed", "=", True),
                    ("target_id", "in", targets.ids),
                    ("period_date", "in", list(months)),
                    ("run_id.state", "=", "applied"),
                    ("run_id.applied_on", ">", since),
                ]
            )
        )
        return rows.run_id.sorted(lambda run: (run.applied_on, run.id))

    def _overall_attainment_now(self):
        """The statement's overall attainment computed now from the clocks
        (the same figures as a draft's, clock rule 13)."""
        self.ensure_one()
        figures = self._live_figures(self.agreement_id, [self.period_start])
        met = measured = 0
        for target in self.agreement_id._effective_targets():
            if target.metric == "availability":
                continue
            figure = figures.get((self.agreement_id.id, target.id, self.period_start))
            if figure:
                met += figure["met"]
                measured += figure["measured"]
        return self._pct_label(100.0 * met / measured if measured else 0.0, measured)

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for statement in self:
            statement.access_url = f"/my/slm/statements/{statement.id}"
        return res

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("agreement_id", "period_start")
    def _check_agreement_in_force(self):
        for statement in self:
            error = statement._in_force_error(
                statement.agreement_id, statement.period_start
            )
            if error:
                raise ValidationError(error)

    def _in_force_error(self, agreement, month):
        """Why ``agreement`` cannot have a statement for ``month``, or None."""
        if agreement.state not in MEASURED_STATES or not (
            agreement.provider_signed_date
        ):
            return self.env._(
                "%(agreement)s was never agreed: a monthly statement reports "
                "what an agreement in force achieved.",
                agreement=agreement.display_name,
            )
        last_day = end_of(month, "month")
        end = agreement.date_end
        if agreement.state == "terminated" and agreement.termination_date:
            end = min(end or agreement.termination_date, agreement.termination_date)
        if agreement.date_start > last_day or (end and end < month):
            return self.env._(
                "%(agreement)s was not in force in %(month)s (in force from "
                "%(start)s to %(end)s): choose a month in that time.",
                agreement=agreement.display_name,
                month=month.strftime("%Y-%m"),
                start=agreement.date_start,
                end=end or self.env._("open end"),
            )
        return None

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("period_start"):
                vals["period_start"] = month_start(vals["period_start"])
            if vals.get("state", "draft") != "draft" or (
                not self.env.su
                and any(vals.get(name) for name in WORKFLOW_FIELDS - {"state"})
            ):
                raise UserError(
                    self.env._(
                        "A statement is created as a draft; issue it once its "
                        "figures are checked."
                    )
                )
        self._check_one_per_month(
            [(vals.get("agreement_id"), vals.get("period_start")) for vals in vals_list]
        )
        statements = super().create(vals_list)
        for statement in statements:
            statement.name = statement._default_name()
        statements._recompute_lines()
        return statements

    def write(self, vals):
        if not self.env.su:
            # Computed and related values too: the totals come from the lines.
            workflow = WORKFLOW_FIELDS.intersection(vals) | {
                name
                for name in vals
                if name in self._fields and self._fields[name].compute
            }
            if workflow:
                raise UserError(
                    self.env._(
                        "A statement is issued only with its button Issue, and "
                        "its figures are computed only from the clocks "
                        "(Recompute): %(fields)s cannot be written directly.",
                        fields=field_labels(self, workflow),
                    )
                )
        issued = self.filtered(lambda s: s.state == "issued")
        if issued and not WRITABLE_WHEN_ISSUED.issuperset(vals):
            raise UserError(issued._frozen_error())
        if vals.get("period_start"):
            vals["period_start"] = month_start(vals["period_start"])
        if {"agreement_id", "period_start"}.intersection(vals):
            self._check_one_per_month(
                [
                    (
                        vals.get("agreement_id", s.agreement_id.id),
                        vals.get("period_start", s.period_start),
                    )
                    for s in self
                ],
                exclude=self,
            )
        res = super().write(vals)
        if {"agreement_id", "period_start"}.intersection(vals):
            for statement in self:
                statement.name = statement._default_name()
            self._recompute_lines()
        return res

    @api.model
    def _check_one_per_month(self, pairs, exclude=None):
        """Refuse a second statement of an agreement for a month (before the
        database does, with a clearer message). ``pairs``: (agreement id,
        month first day)."""
        pairs = [(aid, month) for aid, month in pairs if aid and month]
        if not pairs:
            return
        seen = set()
        domain = [
            ("agreement_id", "in", list({aid for aid, _month in pairs})),
            ("period_start", "in", list({month for _aid, month in pairs})),
        ]
        if exclude:
            domain.append(("id", "not in", exclude.ids))
        existing = {
            (s.agreement_id.id, s.period_start) for s in self.sudo().search(domain)
        }
        for pair in pairs:
            if pair in existing or pair in seen:
                raise ValidationError(
                    self.env._(
                        "%(agreement)s already has a statement for %(month)s: "
                        "an agreement has one statement per month.",
                        agreement=self.env["slm.agreement"]
                        .browse(pair[0])
                        .display_name,
                        month=pair[1].strftime("%Y-%m"),
                    )
                )
            seen.add(pair)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_issued(self):
        issued = self.filtered(lambda s: s.state == "issued")
        if issued:
            raise UserError(issued._frozen_error())

    def _frozen_error(self):
        return self.env._(
            "%(statements)s was issued on %(date)s: the figures sent to the "
            "customer never change, and an issued statement cannot be changed "
            "or deleted.",
            statements=", ".join(self.mapped("name")),
            date=self[:1].issued_date,
        )

    def _default_name(self):
        self.ensure_one()
        agreement = self.agreement_id
        return f"{agreement.reference or agreement.name} {self.period_start:%Y-%m}"

    def _get_report_base_filename(self):
        """The PDF's file name on the portal, as the report names it."""
        self.ensure_one()
        return self.env._("Service Statement %s", self.name)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_recompute(self):
        """Recompute the figures of draft statements from the clocks now."""
        issued = self.filtered(lambda s: s.state == "issued")
        if issued:
            raise UserError(issued._frozen_error())
        self.check_access("write")
        self._recompute_lines()
        return True

    def action_issue(self):
        """Freeze the figures (recomputed now) and mark the statements issued."""
        if not self.env.user.has_group(MANAGER_GROUP):
            raise UserError(
                self.env._(
                    "Only a Service Level Manager issues statements: the figures "
                    "are sent to the customer and frozen."
                )
            )
        issued = self.filtered(lambda s: s.state == "issued")
        if issued:
            raise UserError(
                self.env._(
                    "%(statements)s is already issued.",
                    statements=", ".join(issued.mapped("name")),
                )
            )
        # The month ends in the agreement's time zone (period rule).
        running = self.filtered(
            lambda s: s.period_start >= month_start(s.agreement_id._period_today())
        )
        if running:
            raise UserError(
                self.env._(
                    "The month of %(statements)s is not over yet: issue it from "
                    "the first day of the next month, when its figures are "
                    "complete.",
                    statements=", ".join(running.mapped("name")),
                )
            )
        self.check_access("write")
        self._recompute_lines()
        self.sudo().write(
            {
                "state": "issued",
                "issued_date": fields.Datetime.now(),
                "issued_by_id": self.env.user.id,
            }
        )
        # The figures sent to the customer are sealed (seal rule 1).
        self._seal()
        # One note per statement, logged in one batch (a note notifies no one).
        self._message_log_batch(
            {
                statement.id: self.env._(
                    "Statement issued by %(user)s: met %(met)s, breaches "
                    "%(breached)s, excused %(excused)s. Its figures are now "
                    "frozen.",
                    user=self.env.user.name,
                    met=statement.total_met,
                    breached=statement.total_breached,
                    excused=statement.total_excused,
                )
                for statement in self
            },
            author_id=self.env.user.partner_id.id,
        )
        return True

    def _seal_fields(self):
        """The figures sent to the customer (seal rule 1)."""
        return [
            "name",
            "agreement_id",
            "partner_id",
            "period_start",
            "period_end",
            "issued_date",
            "issued_by_id",
            "note",
            "total_measured",
            "total_met",
            "total_breached",
            "total_excused",
            "attainment_pct",
            "availability_pct",
            "targets_achieved",
            "targets_missed",
        ] + [
            f"line_ids.{name}"
            for name in (
                "target_id",
                "target_name",
                "inherited_from",
                "metric",
                "threshold_hours",
                "objective_pct",
                "measured",
                "met",
                "breached",
                "excused",
                "attainment_pct",
                "agreed_hours",
                "downtime_hours",
                "has_measure",
                "achieved",
            )
        ]

    @api.model
    def _seal_state_domain(self):
        return [("state", "=", "issued")]

    def action_print(self):
        return self.env.ref(
            "slm_reviews.action_report_service_statement"
        ).report_action(self)

    # ------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------

    def _recompute_lines(self):
        """Replace the lines of these (draft) statements by figures computed
        now: one computation for all of them."""
        if not self:
            return
        Line = self.env["slm.service.statement.line"].sudo()
        by_month = defaultdict(lambda: self.browse())
        for statement in self:
            by_month[statement.period_start] |= statement
        figures = {}
        for month, statements in by_month.items():
            figures.update(self._live_figures(statements.agreement_id, [month]))
        Line.search([("statement_id", "in", self.ids)]).unlink()
        # The targets of every agreement (and of their parents) in one read,
        # not one per statement (after the unlink, which empties the cache).
        agreements = self.agreement_id
        while agreements:
            agreements.target_ids.mapped("metric")
            agreements = agreements.parent_id
        vals_list = []
        for statement in self:
            agreement = statement.agreement_id
            for sequence, target in enumerate(
                self._sorted_targets(agreement._effective_targets()), start=1
            ):
                key = (agreement.id, target.id, statement.period_start)
                vals_list.append(statement._line_values(target, figures[key], sequence))
        Line.create(vals_list)
        self.sudo().write({"computed_date": fields.Datetime.now()})

    @api.model
    def _sorted_targets(self, targets):
        # Ticket targets first, then availability; as they appear in the agreement.
        order = {"response": 0, "resolution": 1, "availability": 2}
        return targets.sorted(
            lambda t: (order.get(t.metric, 3), t.agreement_id.id, t.sequence, t.id)
        )

    def _line_values(self, target, figures, sequence):
        self.ensure_one()
        attainment = figures["attainment"]
        return {
            "statement_id": self.id,
            "sequence": sequence,
            "target_id": target.id,
            "target_name": target.name,
            "inherited_from": target.agreement_id.display_name
            if target.agreement_id != self.agreement_id
            else False,
            "metric": target.metric,
            "objective_pct": figures["objective"],
            "threshold_hours": target.threshold_hours
            if target.metric != "availability"
            else 0.0,
            "measured": figures["measured"],
            "met": figures["met"],
            "breached": figures["breached"],
            "excused": figures["excused"],
            "negotiated": figures.get("negotiated", 0),
            "attainment_pct": attainment or 0.0,
            "has_measure": attainment is not None,
            "achieved": figures["achieved"],
            "agreed_hours": figures.get("agreed_hours", 0.0),
            "downtime_hours": figures.get("downtime_hours", 0.0),
        }

    @api.model
    def _live_figures(self, agreements, months):
        """Figures computed now, per (agreement id, target id, month).

        Ticket targets (clock rule 8): the clocks of the target settled in
        the month (period rule: the agreement's time zone; met ones at their
        stop, breached ones at their deadline), over the tickets the
        agreement covers (its customer and services, when it names them: a
        lower level sees only its part of an inherited target's clocks);
        excused breaches are counted apart.
        Availability targets: the agreement's ``slm.availability`` row (the
        agreement as a whole) of the month.

        Set-based: one grouped query for the clocks, one search for the
        availability rows. Read as the system: the statement reports the
        agreement as a whole, whoever computes it.
        """
        months = sorted({month_start(m) for m in months})
        result = {}
        if not agreements or not months:
            return result
        effective = {a.id: a._effective_targets() for a in agreements}
        all_targets = self.env["slm.target"].union(*effective.values())
        ticket_targets = all_targets.filtered(lambda t: t.metric != "availability")
        counts = self._clock_counts(ticket_targets, months)
        rows = self._availability_rows(agreements, all_targets - ticket_targets, months)
        for agreement in agreements:
            partner = agreement.partner_id.id
            services = set(agreement.service_ids.ids)
            for target in effective[agreement.id]:
                for month in months:
                    key = (agreement.id, target.id, month)
                    if target.metric == "availability":
                        result[key] = self._availability_figures(target, rows.get(key))
                        continue
                    met = breached = excused = negotiated = 0
                    for (
                        partner_id,
                        service_id,
                    ), figures in counts.get((target.id, month), {}).items():
                        if partner and partner_id != partner:
                            continue
                        if services and service_id not in services:
                            continue
                        met += figures["met"]
                        breached += figures["breached"]
                        excused += figures["excused"]
                        negotiated += figures.get("negotiated", 0)
                    result[key] = self._ticket_figures(
                        target, met, breached, excused, negotiated
                    )
        return result

    @api.model
    def _clock_counts(self, targets, months):
        """{(target id, month): {(partner id, service id): figures}} of the
        settled clocks of ``targets`` in ``months`` (period rule: the months
        stored on the clocks, in their agreement's time zone), from the one
        source of attainment figures (``slm.clock._attainment_counts``)."""
        counts = defaultdict(dict)
        if not targets:
            return counts
        groups = (
            self.env["slm.clock"]
            .sudo()
            ._attainment_counts(
                [("target_id", "in", targets.ids), ("period_date", "in", months)],
                ["target_id", "period_date:month", "partner_id", "service_id"],
            )
        )
        for (target_id, month, partner_id, service_id), figures in groups.items():
            counts[(target_id, month)][(partner_id, service_id)] = figures
        return counts

    @api.model
    def _availability_rows(self, agreements, targets, months):
        """{(agreement id, target id, month): slm.availability row} of the
        agreements as a whole (no service)."""
        rows = self.env["slm.availability"]._agreement_rows(agreements, targets, months)
        return {
            (row.agreement_id.id, row.target_id.id, row.period_start): row
            for row in rows
        }

    @api.model
    def _ticket_figures(self, target, met, breached, excused, negotiated=0):
        measured = met + breached
        attainment = 100.0 * met / measured if measured else None
        return {
            "metric": target.metric,
            "measured": measured,
            "met": met,
            "breached": breached,
            "excused": excused,
            # Negotiated deadline rule 7: counted as usual, flagged apart.
            "negotiated": negotiated,
            "attainment": attainment,
            "objective": target.objective_pct,
            "achieved": attainment is not None and attainment >= target.objective_pct,
            "source": "live",
        }

    @api.model
    def _availability_figures(self, target, row):
        # Nothing measured while no agreed service time has passed.
        measured = bool(row) and row.agreed_to_date_hours > 0
        attainment = row.availability_pct if measured else None
        return {
            "metric": "availability",
            "measured": 0,
            "met": 0,
            "breached": 0,
            "excused": 0,
            "attainment": attainment,
            "objective": target.objective_pct,
            "achieved": attainment is not None and attainment >= target.objective_pct,
            "agreed_hours": row.agreed_hours if row else 0.0,
            "downtime_hours": row.downtime_hours if row else 0.0,
            "source": "live",
        }

    @api.model
    def _figures_by_agreement(self, agreements, months, live=False):
        """Per (agreement id, target id, month first day): the figures of the
        issued statement of that agreement and month when there is one
        (frozen, ``source`` "statement"), computed now otherwise (``source``
        "live"). Value dicts as in ``_figures_for``. ``live``: computed now
        even where a statement was issued (the "now" of the notes of
        recomputation rule 6).
        """
        months = sorted({month_start(m) for m in months})
        if not agreements or not months:
            return {}
        # Read as the system, like the live figures: the caller chose the
        # agreements.
        issued = (
            self.browse()
            if live
            else self.sudo().search(
                [
                    ("agreement_id", "in", agreements.ids),
                    ("period_start", "in", months),
                    ("state", "=", "issued"),
                ]
            )
        )
        frozen = {(s.agreement_id.id, s.period_start): s for s in issued}
        result = {}
        live_months = defaultdict(lambda: self.env["slm.agreement"])
        for agreement in agreements:
            for month in months:
                statement = frozen.get((agreement.id, month))
                if statement:
                    for line in statement.line_ids:
                        result[(agreement.id, line.target_id.id, month)] = dict(
                            line._figures(), source="statement"
                        )
                else:
                    live_months[month] |= agreement
        # One computation per set of agreements missing the same months.
        by_set = defaultdict(list)
        for month, missing in live_months.items():
            by_set[missing].append(month)
        for missing, missing_months in by_set.items():
            live = self._live_figures(missing, missing_months)
            for key, figures in live.items():
                if (key[0], key[2]) not in frozen:
                    result[key] = figures
        return result

    @api.model
    def _figures_for(self, agreements, months, live=False):
        """Per (target id, month first day): figures for the review and exports.

        ``{(target_id, month): {"measured", "met", "breached", "excused",
        "attainment" (None when nothing measured), "objective", "achieved",
        "metric", "source": "statement" | "live"}}`` (availability targets:
        "attainment" is the month's availability, also "agreed_hours" and
        "downtime_hours"; their counts are 0). Issued statements are used as
        they are (frozen); other months are computed from the clocks (clock
        rule 8; excused breaches apart). Months are calendar months in the
        agreement's time zone (period rule).

        A target in force in several of ``agreements`` (inherited by lower
        levels) is reported over the widest of them: the highest level among
        those agreements (it covers the tickets of the lower ones); siblings
        at the same level (e.g. two customer levels) are added up. For a
        customer's figures, pass that customer's agreements only.
        """
        by_agreement = self._figures_by_agreement(agreements, months, live=live)
        depth = {a.id: len((a.parent_path or "").split("/")) for a in agreements}
        holders = defaultdict(set)
        for agreement_id, target_id, _month in by_agreement:
            holders[target_id].add(agreement_id)
        widest = {}
        for target_id, agreement_ids in holders.items():
            top = min(depth[aid] for aid in agreement_ids)
            widest[target_id] = {aid for aid in agreement_ids if depth[aid] == top}
        parts = defaultdict(list)
        for (agreement_id, target_id, month), figures in by_agreement.items():
            if agreement_id in widest[target_id]:
                parts[(target_id, month)].append(figures)
        return {key: self._add_up(figures) for key, figures in parts.items()}

    @api.model
    def _add_up(self, parts):
        """One figures dict from the figures of one target in several
        agreements of disjoint scope."""
        if len(parts) == 1:
            return parts[0]
        total = dict(parts[0])
        for name in ("measured", "met", "breached", "excused"):
            total[name] = sum(part[name] for part in parts)
        sources = {part["source"] for part in parts}
        total["source"] = sources.pop() if len(sources) == 1 else "mixed"
        if total.get("metric") == "availability":
            measured = [p["attainment"] for p in parts if p["attainment"] is not None]
            total["attainment"] = min(measured) if measured else None
        else:
            total["attainment"] = (
                100.0 * total["met"] / total["measured"] if total["measured"] else None
            )
        total["achieved"] = (
            total["attainment"] is not None
            and total["attainment"] >= total["objective"]
        )
        return total

    # ------------------------------------------------------------------
    # Scheduled action
    # ------------------------------------------------------------------

    @api.model
    def _agreements_in_force(self, month):
        """Agreements (any kind) agreed and in force on some day of ``month``."""
        last_day = end_of(month, "month")
        agreements = (
            self.env["slm.agreement"]
            .sudo()
            .search(
                [
                    ("state", "in", MEASURED_STATES),
                    ("provider_signed_date", "!=", False),
                    ("date_start", "<=", last_day),
                    "|",
                    ("date_end", "=", False),
                    ("date_end", ">=", month),
                ]
            )
        )
        return agreements.filtered(
            lambda a: not (
                a.state == "terminated"
                and a.termination_date
                and a.termination_date < month
            )
        )

    @api.model
    def _cron_create_statements(self, month=None):
        """Scheduled action (first days of the month): draft statements of
        last month for every agreement in force in it.

        Safe to run twice: an agreement that already has its statement of the
        month is skipped. Batched (``ir.cron._slm_run_batches``): one
        agreement that fails is logged and skipped; the others get their
        statement.
        """
        if month:
            month = month_start(month)
        else:
            month = month_start(fields.Datetime.now()) - relativedelta(months=1)
        agreements = self._agreements_in_force(month)
        existing = self.sudo().search(
            [("agreement_id", "in", agreements.ids), ("period_start", "=", month)]
        )
        missing = agreements - existing.agreement_id
        if not missing:
            return self.browse()
        try:
            # Availability of the month, as the hourly check would leave it.
            with self.env.cr.savepoint():
                self.env["slm.availability"].sudo()._refresh([month])
        except Exception:
            _logger.exception(
                "Could not refresh the availability of %s before the monthly "
                "statements; the statements use the figures as they are.",
                month,
            )
        created = self.env["ir.cron"]._slm_run_batches(
            missing,
            lambda agreements: self.sudo().create(
                [{"agreement_id": a.id, "period_start": month} for a in agreements]
            ),
        )
        return created or self.browse()
