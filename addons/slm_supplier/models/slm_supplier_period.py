# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from collections import defaultdict
from datetime import datetime, time

import pytz
from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare, format_amount
from odoo.tools.date_utils import end_of, start_of

from odoo.addons.slm_agreements.tools.periods import months_between
from odoo.addons.slm_agreements.tools.records import field_labels

_logger = logging.getLogger(__name__)

SUPPLIER_MANAGER = "slm_catalogue.group_slm_supplier_manager"
# Contracts whose months count: agreed, or agreed once and ended since.
IN_FORCE_STATES = ("agreed", "expired", "terminated", "superseded")
# Months the scheduled refresh looks back on (the current one included).
REFRESH_MONTHS = 12
# The figures and credit of a month as confirmed: sealed (seal rule 1 of
# slm_agreements).
SEALED_FIGURES = {
    "agreement_id",
    "period_start",
    "supplier_id",
    "currency_id",
    "measured",
    "met",
    "breached",
    "excused",
    "attainment",
    "targets_missed",
    "monthly_fee",
    "credit_pct_per_breach",
    "breach_allowance",
    "credit_cap_pct",
    "credited_breaches",
    "credit_uncapped",
    "credit_amount",
    "capped",
    "confirmed_by_id",
    "confirmed_date",
}
# The figures of each line of a confirmed month, sealed with it.
SEALED_LINE_FIGURES = (
    "target_id",
    "objective_pct",
    "measured",
    "met",
    "breached",
    "excused",
    "attainment",
    "achieved",
)
# What the refresh computes and the lifecycle actions set; people change none
# of it: the refresh and the actions write it as superuser (guard rule 1).
FIGURE_FIELDS = SEALED_FIGURES | {
    "computed_at",
    "recount_differs",
    "recount_note",
    "line_ids",
    "state",
    "claimed_by_id",
    "claimed_date",
    "confirmation_requested",
}
# The figures compared when a frozen month is recounted.
COUNTED = ("met", "breached", "excused", "credit_amount")


def service_credit(fee, pct, allowance, cap_pct, breaches):
    """The service credit of one month: (credited breaches, uncapped, credit).

    credit = min(cap % x fee, max(0, breaches - allowance) x pct % x fee):
    each breach beyond the allowance earns ``pct`` % of the monthly fee, and
    the month's total never exceeds ``cap_pct`` % of it.
    """
    credited = max(0, breaches - allowance)
    uncapped = credited * pct / 100.0 * fee
    return credited, uncapped, min(uncapped, cap_pct / 100.0 * fee)


class SlmSupplierPeriod(models.Model):
    """Performance of one underpinning contract in one month, and the
    service credit it earns under the contract's terms.

    Rows are counted from the UC clocks (clock rule 8 and the period rule: a
    clock counts in the month it settled, in the contract's time zone) by an
    hourly scheduled action and on demand. A month confirmed by a Supplier
    Manager is frozen: later recounts only flag a difference, they never
    change its figures.
    """

    _name = "slm.supplier.period"
    _description = "Supplier Performance per Month"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "slm.sealed.mixin",
        "slm.attainment.counts.mixin",
        "slm.workflow.mixin",
    ]
    _order = "period_start desc, supplier_id, agreement_id"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    agreement_id = fields.Many2one(
        "slm.agreement",
        string="Contract",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        domain=[("kind", "=", "uc")],
        help="The underpinning contract measured.",
    )
    supplier_id = fields.Many2one(
        "res.partner",
        string="Supplier",
        readonly=True,
        index=True,
        help="The contract's supplier when the month was last counted (kept "
        "once the month is confirmed).",
    )
    company_id = fields.Many2one(
        related="agreement_id.company_id", store=True, index=True, readonly=True
    )
    currency_id = fields.Many2one(
        "res.currency",
        readonly=True,
        help="Currency of the contract's fee and of the credit.",
    )
    period_start = fields.Date(
        string="Month",
        required=True,
        readonly=True,
        index=True,
        help="First day of the month measured. Clocks count in the month in "
        "which they settled (met at their stop, breached at their deadline), "
        "in the contract's time zone (Time Zone of the Months).",
    )
    tz = fields.Selection(
        related="agreement_id.tz", string="Time Zone of the Months", readonly=True
    )
    period_end = fields.Date(
        string="Month End",
        compute="_compute_period_end",
        store=True,
        help="Last day of the month measured.",
    )
    state = fields.Selection(
        [
            ("computed", "Computed"),
            ("confirmed", "Confirmed"),
            ("claimed", "Claimed"),
        ],
        string="Status",
        required=True,
        default="computed",
        readonly=True,
        index=True,
        tracking=True,
        help="Computed: counted again by every refresh. Confirmed: a Supplier "
        "Manager accepted the month's figures and credit; they are frozen. "
        "Claimed: the credit was claimed from the supplier (invoiced or "
        "deducted), with its reference.",
    )
    # Performance (all targets of the contract)
    measured = fields.Integer(
        help="Clocks settled in the month and counted: met, or breached and "
        "not excused.",
    )
    met = fields.Integer(help="Clocks met in the month.")
    breached = fields.Integer(
        help="Clocks breached in the month and not excused: they count in "
        "attainment and earn service credits beyond the allowance.",
    )
    excused = fields.Integer(
        help="Breaches excused by a Service Level Manager: shown apart, not "
        "counted in attainment nor in credits.",
    )
    attainment = fields.Float(
        help="Met / (met + breached not excused), in %. Totals of several "
        "months or contracts are computed from their clocks (not an average "
        "of percentages). 0 when nothing was measured.",
    )
    targets_missed = fields.Integer(
        readonly=True,
        help="Targets of the contract whose attainment in the month is below "
        "their objective.",
    )
    line_ids = fields.One2many(
        "slm.supplier.period.line",
        "period_id",
        string="Per Target",
        readonly=True,
        help="The month's figures per target of the contract (targets with "
        "settled clocks only).",
    )
    # Service credit (contract terms as counted; frozen with the month)
    monthly_fee = fields.Monetary(
        readonly=True,
        aggregator="sum",
        help="The contract's monthly fee when the month was counted.",
    )
    credit_pct_per_breach = fields.Float(
        string="Credit per Breach (%)",
        readonly=True,
        aggregator=None,
        help="Share of the monthly fee credited per breach beyond the "
        "allowance, as the contract said when the month was counted.",
    )
    breach_allowance = fields.Integer(
        readonly=True,
        aggregator=None,
        help="Breaches in the month that earn no credit.",
    )
    credit_cap_pct = fields.Float(
        string="Credit Cap (%)",
        readonly=True,
        aggregator=None,
        help="The most the month's credit can reach, as a share of the fee.",
    )
    credited_breaches = fields.Integer(
        readonly=True,
        help="Breaches beyond the allowance: max(0, breached - allowance).",
    )
    credit_uncapped = fields.Monetary(
        string="Credit before Cap",
        readonly=True,
        help="Credited breaches x credit per breach x monthly fee.",
    )
    credit_amount = fields.Monetary(
        string="Service Credit",
        readonly=True,
        tracking=True,
        help="What the supplier owes for the month: the credit before cap, "
        "limited to the cap (share of the monthly fee).",
    )
    capped = fields.Boolean(
        readonly=True, help="The credit before cap exceeded the cap."
    )
    computed_at = fields.Datetime(
        string="Counted on", readonly=True, help="When the figures were counted."
    )
    # Freezing and recounts
    confirmed_by_id = fields.Many2one(
        "res.users", string="Confirmed by", readonly=True, copy=False
    )
    confirmed_date = fields.Datetime(string="Confirmed on", readonly=True, copy=False)
    claim_ref = fields.Char(
        string="Claim Reference",
        tracking=True,
        copy=False,
        help="The credit note, invoice or deduction by which the credit was "
        "claimed from the supplier. Required to mark the credit claimed.",
    )
    claimed_by_id = fields.Many2one(
        "res.users", string="Claimed by", readonly=True, copy=False
    )
    claimed_date = fields.Date(string="Claimed on", readonly=True, copy=False)
    recount_differs = fields.Boolean(
        readonly=True,
        copy=False,
        help="The month is frozen, but its clocks now count differently (a "
        "clock recomputed, a breach excused after confirmation). The figures "
        "were kept; reset the month to accept the recount.",
    )
    recount_note = fields.Char(
        string="Recount",
        readonly=True,
        copy=False,
        help="What the last recount of a frozen month found.",
    )
    confirmation_requested = fields.Boolean(
        readonly=True,
        copy=False,
        help="An activity asked the contract's manager to confirm the month.",
    )
    note = fields.Text(
        help="Remarks on the month: disputes, agreements with the supplier."
    )

    _sql_constraints = [
        (
            "agreement_period_uniq",
            "unique(agreement_id, period_start)",
            "A contract has one performance record per month.",
        ),
    ]

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("agreement_id.reference", "period_start")
    def _compute_name(self):
        for period in self:
            period.name = " · ".join(
                filter(
                    None,
                    (
                        period.agreement_id.reference,
                        period.period_start and period.period_start.strftime("%Y-%m"),
                    ),
                )
            )

    @api.depends("period_start")
    def _compute_period_end(self):
        for period in self:
            period.period_end = period.period_start and (
                end_of(period.period_start, "month")
            )

    # ------------------------------------------------------------------
    # Time zone and months
    # ------------------------------------------------------------------

    @api.model
    def _slm_tz(self, company):
        """The company's time zone (its working hours'), where months begin."""
        name = company.resource_calendar_id.tz or "UTC"
        try:
            return pytz.timezone(name)
        except pytz.UnknownTimeZoneError:
            return pytz.utc

    @api.model
    def _slm_today(self, company):
        tz = self._slm_tz(company)
        return pytz.utc.localize(fields.Datetime.now()).astimezone(tz).date()

    @api.model
    def _slm_this_month(self, company):
        return start_of(self._slm_today(company), "month")

    @staticmethod
    def _slm_utc(tz, day):
        """The UTC instant (naive) at which ``day`` begins in ``tz``."""
        local = tz.localize(datetime.combine(day, time.min))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    # ------------------------------------------------------------------
    # Counting
    # ------------------------------------------------------------------

    @api.model
    def _slm_refresh(self, agreements=None, date_from=None, date_to=None):
        """Count the months of these UCs (all in force by default) from
        ``date_from`` to ``date_to`` (first days of months; by default the
        last REFRESH_MONTHS months). Computed months are rewritten; frozen
        ones (confirmed, claimed) only get ``recount_differs``. Set-based: one
        query per company for all clocks, one search for the rows.
        Returns the rows of the window.
        """
        Agreement = self.env["slm.agreement"].sudo()
        if agreements is None:
            agreements = Agreement.search(
                [("kind", "=", "uc"), ("state", "in", IN_FORCE_STATES)]
            )
        else:
            agreements = agreements.sudo().filtered(
                lambda a: a.kind == "uc" and a.state in IN_FORCE_STATES
            )
        # Counting is no event: no tracking, no creation message, no follower.
        Period = self.sudo().with_context(
            **{
                "tracking_disable": True,
                "mail_create_nolog": True,
                "mail_create_nosubscribe": True,
            }
        )
        rows = Period.browse()
        for company, company_agreements in agreements.grouped("company_id").items():
            rows |= Period._slm_refresh_company(
                company, company_agreements, date_from, date_to
            )
        return rows.with_env(self.env)

    @api.model
    def _slm_refresh_company(self, company, agreements, date_from, date_to):
        # Each contract's months run in its own time zone (period rule): the
        # window reaches the latest current month among them.
        this_month = max(
            [self._slm_this_month(company)]
            + [start_of(a._period_today(), "month") for a in agreements]
        )
        start = date_from or this_month - relativedelta(months=REFRESH_MONTHS - 1)
        start = start_of(start, "month")
        end = min(start_of(date_to or this_month, "month"), this_month)
        if start > end:
            return self.browse()
        counts = self._slm_count_clocks(agreements, start, end)
        wanted = set(counts)
        for agreement in agreements:
            first = max(agreement.date_start, start)
            last = min(agreement.date_end or end, end, agreement._period_today())
            wanted.update((agreement.id, m) for m in months_between(first, last))
        existing = self.search(
            [
                ("agreement_id", "in", agreements.ids),
                ("period_start", ">=", start),
                ("period_start", "<=", end),
            ]
        )
        by_key = {(p.agreement_id.id, p.period_start): p for p in existing}
        missing = sorted(wanted - set(by_key))
        if missing:
            created = self.create(
                [{"agreement_id": aid, "period_start": month} for aid, month in missing]
            )
            by_key.update({(p.agreement_id.id, p.period_start): p for p in created})
        # A computed month that is neither in force nor counted any more.
        stale = self.browse(
            p.id
            for key, p in by_key.items()
            if key not in wanted and p.state == "computed"
        )
        stale.unlink()
        rows = self.browse(p.id for key, p in by_key.items() if key in wanted)
        now = fields.Datetime.now()
        computed = rows.filtered(lambda p: p.state == "computed")
        computed._slm_write_figures(counts, now)
        (rows - computed)._slm_recount_frozen(counts, now)
        return rows

    @api.model
    def _slm_count_clocks(self, agreements, start, end):
        """{(agreement id, month): {target id: [met, breached, excused]}}, from
        the one source of attainment figures: the months stored on the clocks
        (period rule: in the contract's time zone)."""
        groups = (
            self.env["slm.clock"]
            .sudo()
            ._attainment_counts(
                [
                    ("agreement_id", "in", agreements.ids),
                    ("period_date", ">=", start),
                    ("period_date", "<=", end),
                ],
                ["agreement_id", "target_id", "period_date:month"],
            )
        )
        counts = defaultdict(dict)
        for (agreement_id, target_id, month), figures in groups.items():
            counts[(agreement_id, month)][target_id] = [
                figures["met"],
                figures["breached"],
                figures["excused"],
            ]
        return counts

    def _slm_terms(self):
        """The credit terms a computed month takes from its contract."""
        self.ensure_one()
        agreement = self.agreement_id
        return {
            "monthly_fee": agreement.monthly_fee,
            "credit_pct_per_breach": agreement.credit_pct_per_breach,
            "breach_allowance": agreement.breach_allowance,
            "credit_cap_pct": agreement.credit_cap_pct,
        }

    @staticmethod
    def _slm_totals(by_target):
        met = sum(v[0] for v in by_target.values())
        breached = sum(v[1] for v in by_target.values())
        excused = sum(v[2] for v in by_target.values())
        return met, breached, excused

    def _slm_credit(self, terms, breached, currency):
        credited, uncapped, credit = service_credit(
            terms["monthly_fee"],
            terms["credit_pct_per_breach"],
            terms["breach_allowance"],
            terms["credit_cap_pct"],
            breached,
        )
        return {
            "credited_breaches": credited,
            "credit_uncapped": currency.round(uncapped),
            "credit_amount": currency.round(credit),
            "capped": currency.compare_amounts(uncapped, credit) > 0,
        }

    def _slm_write_figures(self, counts, now):
        """Rewrite the figures and per-target lines of computed months."""
        Line = self.env["slm.supplier.period.line"].sudo()
        targets = (
            self.env["slm.target"]
            .sudo()
            .browse({tid for p in self for tid in counts.get(p._slm_key(), {})})
        )
        objectives = {t.id: t.objective_pct for t in targets}
        existing = {
            (line.period_id.id, line.target_id.id): line for line in self.line_ids
        }
        to_create = []
        seen = set()
        for period in self:
            agreement = period.agreement_id
            by_target = counts.get(period._slm_key(), {})
            met, breached, excused = self._slm_totals(by_target)
            measured = met + breached
            currency = agreement.currency_id or agreement.company_id.currency_id
            terms = period._slm_terms()
            missed = 0
            for target_id, (t_met, t_breached, t_excused) in by_target.items():
                t_measured = t_met + t_breached
                attainment = 100.0 * t_met / t_measured if t_measured else 0.0
                objective = objectives.get(target_id, 0.0)
                achieved = bool(t_measured) and (
                    float_compare(attainment, objective, precision_digits=6) >= 0
                )
                missed += bool(t_measured) and not achieved
                vals = {
                    "measured": t_measured,
                    "met": t_met,
                    "breached": t_breached,
                    "excused": t_excused,
                    "attainment": attainment,
                    "objective_pct": objective,
                    "achieved": achieved,
                }
                seen.add((period.id, target_id))
                line = existing.get((period.id, target_id))
                if line:
                    changed = {k: v for k, v in vals.items() if line[k] != v}
                    if changed:
                        line.write(changed)
                else:
                    to_create.append(
                        dict(vals, period_id=period.id, target_id=target_id)
                    )
            vals = {
                "supplier_id": agreement.supplier_id.id,
                "currency_id": currency.id,
                "measured": measured,
                "met": met,
                "breached": breached,
                "excused": excused,
                "attainment": 100.0 * met / measured if measured else 0.0,
                "targets_missed": missed,
                "computed_at": now,
                "recount_differs": False,
                "recount_note": False,
                **terms,
                **self._slm_credit(terms, breached, currency),
            }
            changed = {
                k: v
                for k, v in vals.items()
                if k != "computed_at" and period._slm_value(k) != v
            }
            if changed or not period.computed_at:
                period.write(dict(changed, computed_at=now))
        Line.browse(
            line.id for key, line in existing.items() if key not in seen
        ).unlink()
        if to_create:
            Line.create(to_create)

    def _slm_value(self, name):
        value = self[name]
        return value.id if isinstance(value, models.BaseModel) else value

    def _slm_key(self):
        return (self.agreement_id.id, self.period_start)

    def _slm_recount_frozen(self, counts, now):
        """Compare a frozen month with what its clocks say now; flag, keep."""
        for period in self:
            met, breached, excused = self._slm_totals(counts.get(period._slm_key(), {}))
            terms = {
                "monthly_fee": period.monthly_fee,
                "credit_pct_per_breach": period.credit_pct_per_breach,
                "breach_allowance": period.breach_allowance,
                "credit_cap_pct": period.credit_cap_pct,
            }
            credit = self._slm_credit(terms, breached, period.currency_id)[
                "credit_amount"
            ]
            live = (met, breached, excused, credit)
            differs = live != tuple(period[name] for name in COUNTED)
            if differs == period.recount_differs and (
                not differs or period.recount_note
            ):
                continue
            note = False
            if differs:
                note = self.env._(
                    "%(met)s met, %(breached)s breached, %(excused)s excused, "
                    "credit %(credit)s (recounted %(date)s)",
                    met=met,
                    breached=breached,
                    excused=excused,
                    credit=format_amount(self.env, credit, period.currency_id),
                    date=fields.Datetime.to_string(now),
                )
                period.message_post(
                    body=self.env._(
                        "The clocks of this frozen month now count %(note)s. "
                        "The confirmed figures are kept; reset the month to "
                        "accept the recount.",
                        note=note,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
            period.write({"recount_differs": differs, "recount_note": note})

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    def write(self, vals):
        if not self.env.su:
            figures = FIGURE_FIELDS.intersection(vals)
            if figures:
                raise UserError(
                    self.env._(
                        "The figures of a month are counted from the clocks of "
                        "its contract: %(fields)s cannot be changed by hand. Use "
                        "Refresh, Confirm, Mark as Claimed or Reset.",
                        fields=field_labels(self, figures),
                    )
                )
            if "claim_ref" in vals and any(p.state == "claimed" for p in self):
                raise UserError(
                    self.env._(
                        "The credit is claimed: its claim reference is kept. "
                        "Record corrections in the note."
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_frozen(self):
        self.filtered(lambda p: p.state != "computed")._refuse(
            self.env._(
                "%(names)s is confirmed: a confirmed month is kept as the "
                "record of the credit."
            )
        )

    # ------------------------------------------------------------------
    # Lifecycle (Supplier Manager)
    # ------------------------------------------------------------------

    def _check_supplier_manager(self, action):
        if not (self.env.su or self.env.user.has_group(SUPPLIER_MANAGER)):
            raise AccessError(
                self.env._(
                    "Only a Supplier Manager can %(action)s supplier performance "
                    "months.",
                    action=action,
                )
            )

    def _check_state(self, allowed, message):
        self.filtered(lambda p: p.state not in allowed)._refuse(message)

    def _slm_refresh_own(self):
        """Recount these rows' contracts over the span of their months."""
        if not self:
            return self.browse()
        return self._slm_refresh(
            self.agreement_id,
            min(self.mapped("period_start")),
            max(self.mapped("period_start")),
        )

    def action_refresh(self):
        self._check_supplier_manager(self.env._("refresh"))
        self._slm_refresh_own()
        return True

    def action_confirm(self):
        """Freeze the figures and credit of past months, as counted now."""
        self._check_supplier_manager(self.env._("confirm"))
        self._check_state(
            ("computed",),
            self.env._("%(names)s is already confirmed: reset it first to recount it."),
        )
        # The month ends in the contract's time zone (period rule).
        self.filtered(lambda p: p.period_end >= p.agreement_id._period_today())._refuse(
            self.env._(
                "%(names)s is not over yet: a month is confirmed once it "
                "has ended, when all its clocks could settle."
            )
        )
        self._slm_refresh_own()
        periods = self.exists()
        periods._system_write(
            {
                "state": "confirmed",
                "confirmed_by_id": self.env.user.id,
                "confirmed_date": fields.Datetime.now(),
            }
        )
        # The confirmed figures and credit are sealed (seal rule 1 of
        # slm_agreements).
        periods._seal()
        for period in periods:
            period.message_post(
                body=self.env._(
                    "Confirmed by %(user)s: %(met)s met, %(breached)s breached, "
                    "%(excused)s excused; attainment %(attainment)s %%; service "
                    "credit %(credit)s. These figures are now frozen.",
                    user=self.env.user.name,
                    met=period.met,
                    breached=period.breached,
                    excused=period.excused,
                    attainment=format(period.attainment, ".2f"),
                    credit=format_amount(
                        self.env, period.credit_amount, period.currency_id
                    ),
                ),
                subtype_xmlid="mail.mt_note",
            )
        periods.activity_feedback(
            ["slm_supplier.mail_activity_supplier_period_confirm"]
        )
        return True

    def _seal_fields(self):
        """The figures and credit confirmed (seal rule 1 of slm_agreements),
        with the month's last day."""
        return sorted(SEALED_FIGURES | {"period_end"}) + [
            f"line_ids.{name}" for name in SEALED_LINE_FIGURES
        ]

    @api.model
    def _seal_state_domain(self):
        return [("state", "in", ("confirmed", "claimed"))]

    def action_claim(self):
        """The credit was claimed from the supplier (credit note, deduction)."""
        self._check_supplier_manager(self.env._("claim the credits of"))
        self._check_state(
            ("confirmed",),
            self.env._(
                "Confirm %(names)s before claiming its credit: only a "
                "confirmed credit is claimed."
            ),
        )
        self.filtered(lambda p: p.currency_id.is_zero(p.credit_amount))._refuse(
            self.env._(
                "%(names)s earned no service credit: there is nothing to " "claim."
            )
        )
        self.filtered(lambda p: not (p.claim_ref or "").strip())._refuse(
            self.env._(
                "Enter the claim reference (the credit note, invoice or "
                "deduction) of %(names)s before marking it claimed."
            )
        )
        self._system_write(
            {
                "state": "claimed",
                "claimed_by_id": self.env.user.id,
                "claimed_date": fields.Date.context_today(self),
            }
        )
        return True

    def action_reset(self):
        """Unfreeze confirmed months and recount them (logged)."""
        self._check_supplier_manager(self.env._("reset"))
        self._check_state(
            ("confirmed",),
            self.env._(
                "Only a confirmed month can be reset: %(names)s is not "
                "confirmed, or its credit is already claimed."
            ),
        )
        before = {p.id: (p.breached, p.credit_amount) for p in self}
        # The month leaves its seal, which stays in the chain (seal rule 1).
        self._seal_release()
        self._system_write(
            {"state": "computed", "confirmed_by_id": False, "confirmed_date": False}
        )
        self._slm_refresh_own()
        for period in self:
            breached, credit = before[period.id]
            period.message_post(
                body=self.env._(
                    "Reset by %(user)s and recounted: %(old_breached)s → "
                    "%(breached)s breaches, credit %(old_credit)s → %(credit)s.",
                    user=self.env.user.name,
                    old_breached=breached,
                    breached=period.breached,
                    old_credit=format_amount(self.env, credit, period.currency_id),
                    credit=format_amount(
                        self.env, period.credit_amount, period.currency_id
                    ),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    # ------------------------------------------------------------------
    # Scheduled action
    # ------------------------------------------------------------------

    @api.model
    def _cron_refresh(self, batch_size=100):
        """Hourly: count the last months of every UC, then ask the
        contracts' managers to confirm the month that just ended.

        Both in batches (``ir.cron._slm_run_batches``): the count contract by
        contract (redone whole each hour, like the alignment check; a month
        whose figures did not change is not written, so a run cut short and
        run again costs reads only), the requests month by month (a month
        asked once drops out). One contract or month that fails is logged and
        skipped.
        """
        cron = self.env["ir.cron"]
        in_force = (
            self.env["slm.agreement"]
            .sudo()
            .search([("kind", "=", "uc"), ("state", "in", IN_FORCE_STATES)], order="id")
        )
        cron._slm_run_batches(in_force, self._slm_refresh, batch_size=batch_size)
        cron._slm_run_batches(
            self._slm_confirmations_due(),
            lambda periods: periods._slm_request_confirmations(),
            batch_size=batch_size,
        )

    @api.model
    def _slm_confirmations_due(self):
        """Last month's computed rows whose confirmation was not asked yet."""
        Period = self.sudo()
        # Last month of each company (the time zones of companies may differ).
        last_months = {
            self._slm_this_month(company) - relativedelta(months=1)
            for company in self.env["res.company"].sudo().search([])
        }
        candidates = Period.search(
            [
                ("state", "=", "computed"),
                ("confirmation_requested", "=", False),
                ("period_start", "in", list(last_months)),
            ]
        )
        return candidates.filtered(
            lambda p: p.period_start
            == self._slm_this_month(p.company_id) - relativedelta(months=1)
        ).with_env(self.env)

    def _slm_request_confirmations(self):
        """One activity per month of these rows, once."""
        due = self.sudo().filtered(lambda p: not p.confirmation_requested)
        if not due:
            return due
        activity_type = self.env.ref(
            "slm_supplier.mail_activity_supplier_period_confirm"
        )
        model_id = self.env["ir.model"]._get_id(self._name)
        vals_list = []
        for period in due:
            user = period._slm_responsible()
            if not user:
                continue
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": period.id,
                    "activity_type_id": activity_type.id,
                    # As activity_schedule: done automatically on confirmation.
                    "automated": True,
                    "user_id": user.id,
                    "date_deadline": fields.Date.context_today(self),
                    "summary": self.env._("Confirm the month's service credit"),
                    "note": Markup("<p>%s</p>")
                    % self.env._(
                        "%(month)s ended: check its breaches and confirm its "
                        "service credit of %(credit)s.",
                        month=period.display_name,
                        credit=format_amount(
                            self.env, period.credit_amount, period.currency_id
                        ),
                    ),
                }
            )
        if vals_list:
            self.env["mail.activity"].sudo().create(vals_list)
        due.sudo().write({"confirmation_requested": True})
        return due

    def _slm_responsible(self):
        """Who confirms the month: the contract's responsible manager."""
        agreement = self.agreement_id
        for name in ("supplier_manager_id", "provider_user_id"):
            if name in agreement._fields and agreement[name]:
                return agreement[name]
        return self.env["res.users"]

    # ------------------------------------------------------------------
    # Navigation
    # ------------------------------------------------------------------

    def action_view_clocks(self):
        """The clocks counted in this month."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Clocks of %s", self.display_name),
            "res_model": "slm.clock",
            "view_mode": "list,form",
            "domain": [
                ("agreement_id", "=", self.agreement_id.id),
                ("status", "in", ("met", "breached")),
                ("period_date", "=", self.period_start),
            ],
            "context": {"create": False},
        }
