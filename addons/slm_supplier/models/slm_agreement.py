# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools.date_utils import start_of

from odoo.addons.slm_agreements.models.slm_agreement import EDITABLE_STATES

_logger = logging.getLogger(__name__)

NOTICE_ACTIVITY = "slm_supplier.mail_activity_type_notice_deadline"
SUPPLIER_MANAGER_GROUP = "slm_catalogue.group_slm_supplier_manager"
# An automatic renewal catches up at most this many terms in one run (a
# contract whose renewal date lies decades back is a data error, not a loop).
MAX_CATCH_UP_TERMS = 600
# The terms of a UC besides those of every agreement (FROZEN_FIELDS of
# slm_agreements): frozen once it is agreed. The money terms stay editable
# (tracked): a budget or a renegotiated fee is recorded where it is.
UC_FROZEN_FIELDS = {"supplier_id", "supplier_signed_by_id", "supplier_signed_date"}
# Set by the notice button and the notice job only (guard rule 1).
UC_WORKFLOW_FIELDS = {
    "notice_given_date",
    "notice_given_by_id",
    "notice_warned_deadline",
}
# Money of a contract: never negative.
UC_MONEY_FIELDS = ("contract_value", "budget", "monthly_fee")


class SlmAgreement(models.Model):
    """Underpinning contracts (UCs): agreements with an external supplier; their
    credit terms and months of measured performance; who watches them, their
    renewal and notice deadline, their compliance checklist and the RFP they
    came from."""

    _inherit = "slm.agreement"

    kind = fields.Selection(
        selection_add=[("uc", "UC")],
        ondelete={"uc": "cascade"},
        help="SLA: Service Level Agreement between the provider and a customer. "
        "OLA: Operational Level Agreement between the provider and an internal "
        "support team. UC: Underpinning Contract between the provider and an "
        "external supplier. Fixed once created.",
    )
    supplier_id = fields.Many2one(
        "res.partner",
        string="Supplier",
        index=True,
        tracking=True,
        domain=[("parent_id", "=", False), ("is_company", "=", True)],
        help="UC: the supplier (company) under contract. Its clocks start when a "
        "ticket is handed to this supplier.",
    )
    contract_ref = fields.Char(
        string="Contract Reference",
        tracking=True,
        help="The supplier's reference of the contract; unique per supplier "
        "(the revisions of a contract share it).",
    )
    currency_id = fields.Many2one(
        "res.currency",
        default=lambda self: self.env.company.currency_id,
        help="Currency of the contract's value, budget and fees.",
    )
    contract_value = fields.Monetary(
        tracking=True, help="Total value of the contract over its term."
    )
    budget = fields.Monetary(
        tracking=True, help="Budget set aside for the contract over its term."
    )
    monthly_fee = fields.Monetary(
        tracking=True,
        help="The fee paid to the supplier each month: service credits are a "
        "share of it.",
    )
    notice_period_days = fields.Integer(
        string="Notice Period (days)",
        tracking=True,
        help="Days before the renewal (or end) date by which notice must be "
        "given to end or renegotiate the contract. Not longer than the contract.",
    )
    renewal_type = fields.Selection(
        [("automatic", "Automatic"), ("manual", "Manual")],
        default="manual",
        tracking=True,
        help="Automatic: the contract renews itself unless notice is given in "
        "time. Manual: it ends unless renewed.",
    )
    renewal_date = fields.Date(
        tracking=True, help="When the contract renews (or must be renewed)."
    )
    credit_pct_per_breach = fields.Float(
        string="Credit per Breach (%)",
        help="Service credit owed by the supplier per breach beyond the "
        "allowance, as a share of the monthly fee.",
    )
    breach_allowance = fields.Integer(
        help="Breaches per month that earn no service credit.",
    )
    credit_cap_pct = fields.Float(
        string="Credit Cap (%)",
        default=100.0,
        help="The most a month's service credits can reach, as a share of the "
        "monthly fee.",
    )
    document_ids = fields.Many2many(
        "ir.attachment",
        "slm_agreement_document_rel",
        "agreement_id",
        "attachment_id",
        string="Contract Documents",
        help="The signed contract, schedules and amendments.",
    )
    # Sign-off by the supplier, as an SLA's by the customer.
    supplier_signed_by_id = fields.Many2one(
        "res.partner",
        string="Signed by (Supplier)",
        tracking=True,
        copy=False,
        help="UC: the person who signed the contract for the supplier: the "
        "supplier or one of its contacts. Required to agree a UC.",
    )
    supplier_signed_date = fields.Date(
        string="Signed on (Supplier)",
        tracking=True,
        copy=False,
        help="UC: when the supplier signed. Not in the future.",
    )
    contract_days = fields.Integer(
        string="Term (days)",
        compute="_compute_contract_days",
        help="UC: days from the start date to the end date, both included. "
        "Zero when the contract is open-ended.",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("date_start", "date_end")
    def _compute_contract_days(self):
        for agreement in self:
            agreement.contract_days = agreement._term_days(
                agreement.date_start, agreement.date_end
            )

    @staticmethod
    def _term_days(date_start, date_end):
        if not date_start or not date_end:
            return 0
        return (date_end - date_start).days + 1

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("kind", "supplier_id")
    def _check_uc_supplier(self):
        for agreement in self.filtered(lambda a: a.kind == "uc"):
            error = agreement._supplier_error(agreement.supplier_id)
            if error:
                raise ValidationError(error)

    def _supplier_error(self, supplier):
        if not supplier:
            return self.env._(
                "The underpinning contract %(agreement)s needs a supplier: choose "
                "the company that commits to its targets (tab Contract).",
                agreement=self.display_name or self.env._("(new)"),
            )
        if not supplier.is_company:
            return self.env._(
                "%(supplier)s is a person, not a company: the supplier of an "
                "underpinning contract is a company. Choose the company, or mark "
                "the contact as a company.",
                supplier=supplier.display_name,
            )
        return None

    @api.constrains(*UC_MONEY_FIELDS)
    def _check_uc_money(self):
        labels = {
            name: self._fields[name]._description_string(self.env)
            for name in UC_MONEY_FIELDS
        }
        for agreement in self:
            for name in UC_MONEY_FIELDS:
                if agreement[name] < 0:
                    raise ValidationError(
                        self.env._(
                            "%(agreement)s: the %(field)s cannot be negative "
                            "(it is %(value)s). Enter the amount the contract "
                            "states, or 0.",
                            agreement=agreement.display_name,
                            field=labels[name].lower(),
                            value=agreement[name],
                        )
                    )

    @api.constrains("notice_period_days", "date_start", "date_end", "renewal_date")
    def _check_uc_notice(self):
        for agreement in self:
            if agreement.notice_period_days < 0:
                raise ValidationError(
                    self.env._(
                        "%(agreement)s: the notice period cannot be negative (it "
                        "is %(days)s days). Enter 0 when no notice is required.",
                        agreement=agreement.display_name,
                        days=agreement.notice_period_days,
                    )
                )
            # Termination, revisions and notice shorten an agreed contract's
            # term (lifecycle writes, as superuser, guard rule 1): the notice
            # agreed for the full term stands.
            lifecycle = self.env.su and agreement.state not in EDITABLE_STATES
            error = not lifecycle and agreement._notice_error()
            if error:
                raise ValidationError(error)
            if agreement.renewal_date and agreement.renewal_date < agreement.date_start:
                raise ValidationError(
                    self.env._(
                        "%(agreement)s: the renewal date %(renewal)s is before "
                        "the contract starts (%(start)s).",
                        agreement=agreement.display_name,
                        renewal=agreement.renewal_date,
                        start=agreement.date_start,
                    )
                )

    def _notice_error(self):
        term = self.contract_days
        if not term or self.notice_period_days <= term:
            return None
        return self.env._(
            "%(agreement)s: the notice period (%(days)s days) is longer than "
            "the contract itself (%(term)s days, from %(start)s to %(end)s): "
            "notice could never be given in time. Shorten the notice period or "
            "correct the dates.",
            agreement=self.display_name,
            days=self.notice_period_days,
            term=term,
            start=self.date_start,
            end=self.date_end,
        )

    @api.constrains("contract_ref", "supplier_id", "kind")
    def _check_uc_contract_ref(self):
        ucs = self.filtered(lambda a: a.kind == "uc" and a.contract_ref)
        if not ucs:
            return
        # One search for the batch; compared without case or surrounding spaces.
        others = self.with_context(active_test=False).search(
            [
                ("kind", "=", "uc"),
                ("supplier_id", "in", ucs.supplier_id.ids),
                ("contract_ref", "!=", False),
            ]
        )
        for agreement in ucs:
            key = agreement.contract_ref.strip().lower()
            clash = others.filtered(
                lambda o, a=agreement, k=key: o.supplier_id == a.supplier_id
                and o.contract_ref.strip().lower() == k
                # The revisions of one contract share its reference.
                and o.reference != a.reference
            )
            if clash:
                raise ValidationError(
                    self.env._(
                        "%(supplier)s already has a contract with the reference "
                        "%(ref)s: %(other)s. A contract reference is unique per "
                        "supplier; to change that contract, create a new "
                        "revision of it instead.",
                        supplier=agreement.supplier_id.display_name,
                        ref=agreement.contract_ref,
                        other=clash[0].display_name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # Wrong values first, in the user's words (catalogue rule).
        for vals in vals_list:
            self.browse()._slm_check_values(vals, "create")
        # The person who records a UC watches it, unless the superuser
        # (installation, demo data) records it: nobody would read its warnings.
        default_kind = self.env.context.get("default_kind")
        for vals in vals_list:
            self._normalize_supplier(vals)
            kind = vals.get("kind") or default_kind
            if (
                self.env.uid != SUPERUSER_ID
                and kind == "uc"
                and "supplier_manager_id" not in vals
            ):
                vals["supplier_manager_id"] = self.env.uid
        return super().create(vals_list)

    def write(self, vals):
        self._slm_check_values(vals)  # wrong values first (catalogue rule)
        self._normalize_supplier(vals)
        return super().write(vals)

    def _normalize_supplier(self, vals):
        """The supplier of a UC is a company, not one of its contacts."""
        if vals.get("supplier_id"):
            partner = self.env["res.partner"].browse(vals["supplier_id"])
            vals["supplier_id"] = partner.commercial_partner_id.id
        if isinstance(vals.get("contract_ref"), str):
            vals["contract_ref"] = vals["contract_ref"].strip() or False

    @api.model
    def _workflow_fields(self):
        return super()._workflow_fields() | UC_WORKFLOW_FIELDS

    def _seal_fields(self):
        # The supplier's sign-off is sealed with the terms (seal rule 1 of
        # slm_agreements); empty on SLAs and OLAs.
        return super()._seal_fields() + sorted(UC_FROZEN_FIELDS)

    def _check_write_allowed(self, vals):
        result = super()._check_write_allowed(vals)
        frozen = UC_FROZEN_FIELDS.intersection(vals)
        locked = self.filtered(
            lambda a: a.kind == "uc" and a.state not in EDITABLE_STATES
        )
        if frozen and locked:
            raise UserError(locked._locked_error())
        return result

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        # A revision keeps the contract reference; a duplicate is another
        # contract, whose reference the supplier has yet to give.
        if not (default and default.get("previous_revision_id")):
            for vals in vals_list:
                vals.pop("contract_ref", None)
        return vals_list

    # ------------------------------------------------------------------
    # Readiness to agree
    # ------------------------------------------------------------------

    def _check_can_agree(self):
        """A Supplier Manager signs the contracts with suppliers (UCs); other
        agreements stay with Service Level Managers."""
        if self and all(agreement.kind == "uc" for agreement in self):
            if self.env.user.has_group("slm_catalogue.group_slm_supplier_manager"):
                return
            raise AccessError(
                self.env._(
                    "Only a Supplier Manager (or a Service Level Manager) can agree "
                    "an underpinning contract."
                )
            )
        return super()._check_can_agree()

    def _counterparty(self):
        if self.kind != "uc":
            return super()._counterparty()
        return {
            "partner": self.supplier_id,
            "signer": self.supplier_signed_by_id,
            "signed_date": self.supplier_signed_date,
            "label": self.env._("supplier"),
        }

    def _problems_of_scope(self):
        problems = super()._problems_of_scope()
        if self.kind == "uc" and not self.supplier_id:
            problems.append(self.env._("it is a UC without a supplier."))
        if self.kind == "uc" and self._notice_error():
            problems.append(self._notice_error())
        return problems

    # ------------------------------------------------------------------
    # Clocks of existing tickets
    # ------------------------------------------------------------------

    def _clock_job_start_domain(self):
        """A UC covers the tickets handed to its supplier while it was in force
        (not those created then: clock rule 2)."""
        if self.kind != "uc":
            return super()._clock_job_start_domain()
        handover = [
            ("event_type", "=", "handover"),
            ("supplier_id", "=", self.supplier_id.id),
            *self._in_force_domain("date"),
        ]
        return [("slm_event_ids", "any", handover)]

    # ------------------------------------------------------------------
    # Suppliers under contract
    # ------------------------------------------------------------------

    @api.model
    def _slm_uc_in_force(self, companies, day):
        """The agreed UCs in force on ``day`` in these companies (as superuser:
        helpdesk agents do not read contracts)."""
        return self.sudo().search(
            [
                ("kind", "=", "uc"),
                ("state", "=", "agreed"),
                ("company_id", "in", companies.ids),
                ("date_start", "<=", day),
                "|",
                ("date_end", "=", False),
                ("date_end", ">=", day),
            ]
        )

    # ------------------------------------------------------------------
    # Service credits and performance months
    # ------------------------------------------------------------------

    supplier_period_ids = fields.One2many(
        "slm.supplier.period",
        "agreement_id",
        string="Performance Months",
        help="UC: the contract's performance and service credit, month by month.",
    )
    supplier_period_count = fields.Integer(
        string="Months Measured",
        compute="_compute_supplier_period_count",
        groups="slm_catalogue.group_slm_analyst",
        help="UC: months of performance counted.",
    )

    def _compute_supplier_period_count(self):
        counts = self._related_counts("slm.supplier.period")
        for agreement in self:
            agreement.supplier_period_count = counts.get(agreement, 0)

    @api.constrains("credit_pct_per_breach", "breach_allowance", "credit_cap_pct")
    def _check_credit_terms(self):
        for agreement in self:
            name = agreement.display_name or self.env._("The contract")
            if not 0 <= agreement.credit_pct_per_breach <= 100:
                raise ValidationError(
                    self.env._(
                        "%(contract)s: the credit per breach is %(value)s %%. It "
                        "is a share of the monthly fee, from 0 to 100 %%.",
                        contract=name,
                        value=agreement.credit_pct_per_breach,
                    )
                )
            if agreement.breach_allowance < 0:
                raise ValidationError(
                    self.env._(
                        "%(contract)s: the breach allowance is %(value)s. It is "
                        "the number of breaches per month that earn no credit: "
                        "0 or more.",
                        contract=name,
                        value=agreement.breach_allowance,
                    )
                )
            if not 0 <= agreement.credit_cap_pct <= 100:
                raise ValidationError(
                    self.env._(
                        "%(contract)s: the credit cap is %(value)s %%. It is the "
                        "most a month's credits can reach as a share of the "
                        "monthly fee, from 0 to 100 %%.",
                        contract=name,
                        value=agreement.credit_cap_pct,
                    )
                )

    def action_view_supplier_periods(self):
        return self._related_action(
            "slm_supplier.slm_supplier_period_action",
            context={"default_agreement_id": self.id},
        )

    def action_refresh_supplier_periods(self):
        """Count this contract's months now, from its start (Supplier Manager)."""
        Period = self.env["slm.supplier.period"]
        Period._check_supplier_manager(self.env._("refresh"))
        for agreement in self.filtered(lambda a: a.kind == "uc"):
            Period._slm_refresh(agreement, start_of(agreement.date_start, "month"))
        return self.action_view_supplier_periods() if len(self) == 1 else True

    # ------------------------------------------------------------------
    # Renewal, notice and compliance
    # ------------------------------------------------------------------

    supplier_manager_id = fields.Many2one(
        "res.users",
        string="Supplier Manager",
        tracking=True,
        index="btree_not_null",
        domain=lambda self: [
            ("groups_id", "in", self.env.ref(SUPPLIER_MANAGER_GROUP).id)
        ],
        help="UC: the Supplier Manager who watches this contract: warned before "
        "its notice deadline and of its compliance problems. Empty: the "
        "Service Level Manager of the agreement is warned instead. Defaults "
        "to the person who records the contract.",
    )
    renewal_term_months = fields.Integer(
        string="Renewal Term (months)",
        default=12,
        tracking=True,
        help="UC with automatic renewal: how long each renewal runs. When the "
        "renewal date passes without notice, the renewal date (and the end "
        "date, when it falls before the new renewal date) moves this many "
        "months further.",
    )
    renewal_due_date = fields.Date(
        string="Renews or Ends On",
        compute="_compute_renewal_due_date",
        store=True,
        index="btree_not_null",
        help="UC: the renewal date, or the end date when the contract has no "
        "renewal date. The notice deadline is counted back from it.",
    )
    notice_deadline = fields.Date(
        compute="_compute_notice_deadline",
        store=True,
        index="btree_not_null",
        help="UC: the last day to give the supplier notice: the renewal date "
        "(or the end date when there is no renewal date) minus the notice "
        "period. Empty when the contract has neither date.",
    )
    notice_warning_days = fields.Integer(
        string="Warn (days before notice deadline)",
        default=30,
        tracking=True,
        help="UC: the Supplier Manager gets an activity and a message this many "
        "days before the notice deadline (0: on the deadline itself).",
    )
    notice_warning_date = fields.Date(
        compute="_compute_notice_warning_date",
        store=True,
        index="btree_not_null",
        help="UC: from this day on the daily scheduled action warns of the "
        "notice deadline (once per deadline).",
    )
    notice_warned_deadline = fields.Date(
        readonly=True,
        copy=False,
        help="UC: the notice deadline the Supplier Manager was last warned of. "
        "When the deadline changes, a new warning is sent.",
    )
    notice_given_date = fields.Date(
        readonly=True,
        copy=False,
        tracking=True,
        help="UC: when notice was given to the supplier (button Give Notice). "
        "The contract then does not renew: it ends at the end of its term.",
    )
    notice_given_by_id = fields.Many2one(
        "res.users",
        readonly=True,
        copy=False,
        help="UC: who recorded that notice was given.",
    )
    days_to_notice_deadline = fields.Integer(
        string="Days to Notice Deadline",
        compute="_compute_days_to_notice_deadline",
        help="UC: days left until the notice deadline (negative: passed).",
    )
    # Compliance checklist (slm.supplier.compliance)
    compliance_ids = fields.One2many(
        "slm.supplier.compliance",
        "agreement_id",
        string="Compliance Checklist",
        groups="slm_catalogue.group_slm_analyst",
        help="UC: the supplier's legal, health and safety, security and data "
        "protection requirements, with evidence and status.",
    )
    compliance_open_count = fields.Integer(
        string="Open Requirements",
        compute="_compute_compliance_counts",
        groups="slm_catalogue.group_slm_analyst",
        help="UC: compliance requirements pending or non-compliant.",
    )
    compliance_non_compliant_count = fields.Integer(
        string="Non-compliant Requirements",
        compute="_compute_compliance_counts",
        groups="slm_catalogue.group_slm_analyst",
        help="UC: compliance requirements found non-compliant.",
    )
    # Supplier selection
    supplier_proposal_id = fields.Many2one(
        "slm.supplier.proposal",
        string="Winning Proposal",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="slm_catalogue.group_slm_analyst",
        help="UC: the proposal selected in a request for proposal (RFP), from "
        "which this contract was drafted.",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("kind", "renewal_date", "date_end")
    def _compute_renewal_due_date(self):
        for agreement in self:
            agreement.renewal_due_date = (
                agreement.kind == "uc"
                and (agreement.renewal_date or agreement.date_end)
                or False
            )

    @api.depends("renewal_due_date", "notice_period_days")
    def _compute_notice_deadline(self):
        for agreement in self:
            due = agreement.renewal_due_date
            agreement.notice_deadline = due and due - timedelta(
                days=agreement.notice_period_days or 0
            )

    @api.depends("notice_deadline", "notice_warning_days")
    def _compute_notice_warning_date(self):
        for agreement in self:
            deadline = agreement.notice_deadline
            agreement.notice_warning_date = deadline and deadline - timedelta(
                days=agreement.notice_warning_days or 0
            )

    @api.depends("notice_deadline")
    def _compute_days_to_notice_deadline(self):
        today = fields.Date.context_today(self)
        for agreement in self:
            deadline = agreement.notice_deadline
            agreement.days_to_notice_deadline = (
                (deadline - today).days if deadline else 0
            )

    def _compute_compliance_counts(self):
        counts = {
            (agreement.id, state): count
            for agreement, state, count in self.env[
                "slm.supplier.compliance"
            ]._read_group(
                [
                    ("agreement_id", "in", self.ids),
                    ("state", "in", ("pending", "non_compliant")),
                ],
                ["agreement_id", "state"],
                ["__count"],
            )
        }
        for agreement in self:
            pending = counts.get((agreement.id, "pending"), 0)
            failing = counts.get((agreement.id, "non_compliant"), 0)
            agreement.compliance_open_count = pending + failing
            agreement.compliance_non_compliant_count = failing

    # ------------------------------------------------------------------
    # Constraints and CRUD
    # ------------------------------------------------------------------

    @api.constrains("kind", "renewal_type", "renewal_term_months")
    def _check_renewal_term(self):
        for agreement in self:
            if (
                agreement.kind == "uc"
                and agreement.renewal_type == "automatic"
                and agreement.renewal_term_months < 1
            ):
                raise ValidationError(
                    self.env._(
                        "%(contract)s renews automatically: give it a renewal "
                        "term of at least one month (field Renewal Term).",
                        contract=agreement.display_name,
                    )
                )

    @api.constrains("notice_warning_days")
    def _check_notice_warning_days(self):
        for agreement in self:
            if agreement.notice_warning_days < 0:
                raise ValidationError(
                    self.env._(
                        "%(contract)s: the warning cannot come after the notice "
                        "deadline. Give 0 or more days in Warn (days before "
                        "notice deadline).",
                        contract=agreement.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_give_notice(self):
        """Record that notice was given to the supplier: the contract ends at
        the end of its term instead of renewing.

        Without a renewal date it ends on its end date; with one, on the day
        before the renewal date (when it would otherwise run longer); an
        open-ended contract without either ends when the notice period runs out.
        """
        today = fields.Date.context_today(self)
        wrong = self.filtered(lambda a: a.kind != "uc" or a.state != "agreed")
        if wrong:
            raise UserError(
                self.env._(
                    "Notice is given on underpinning contracts in force: "
                    "%(contracts)s is not one.",
                    contracts=", ".join(wrong.mapped("display_name")),
                )
            )
        given = self.filtered("notice_given_date")
        if given:
            raise UserError(
                self.env._(
                    "Notice was already given on %(contracts)s.",
                    contracts=", ".join(given.mapped("display_name")),
                )
            )
        for contract in self:
            end = contract._end_after_notice(today)
            vals = {
                "notice_given_date": today,
                "notice_given_by_id": self.env.uid,
            }
            if end != contract.date_end:
                vals["date_end"] = end
            contract._system_write(vals)
            deadline = contract.notice_deadline
            if deadline and today > deadline:
                timing = self.env._(
                    "%(days)s day(s) after the notice deadline of %(deadline)s: "
                    "check that the supplier accepts it.",
                    days=(today - deadline).days,
                    deadline=deadline,
                )
            elif deadline:
                timing = self.env._(
                    "in time (notice deadline %(deadline)s).", deadline=deadline
                )
            else:
                timing = ""
            contract.message_post(
                body=self.env._(
                    "Notice given to the supplier by %(user)s on %(date)s, "
                    "%(timing)s The contract does not renew: it ends on %(end)s.",
                    user=self.env.user.name,
                    date=today,
                    timing=timing,
                    end=end or self.env._("(no end date)"),
                ),
                subtype_xmlid="mail.mt_note",
            )
        self.activity_feedback(
            [NOTICE_ACTIVITY], feedback=self.env._("Notice given to the supplier.")
        )
        return True

    def _end_after_notice(self, today):
        self.ensure_one()
        if self.renewal_date:
            last_day = max(self.renewal_date - timedelta(days=1), self.date_start)
            if not self.date_end or self.date_end > last_day:
                return last_day
            return self.date_end
        if self.date_end:
            return self.date_end
        return today + timedelta(days=self.notice_period_days or 0)

    def action_view_compliance(self):
        return self._related_action(
            "slm_supplier.slm_supplier_compliance_action",
            context={"default_agreement_id": self.id},
        )

    def action_create_compliance_checklist(self):
        """One requirement per compliance area the contract does not cover yet."""
        Compliance = self.env["slm.supplier.compliance"]
        return Compliance._create_template_lines(self)

    def action_view_supplier_proposal(self):
        self.ensure_one()
        return self.supplier_proposal_id.rfp_id._get_form_action()

    # ------------------------------------------------------------------
    # Automatic renewal
    # ------------------------------------------------------------------

    def _due_for_renewal(self, today):
        return self.filtered(
            lambda a: a.kind == "uc"
            and a.state == "agreed"
            and a.renewal_type == "automatic"
            and not a.notice_given_date
            and a.renewal_date
            and a.renewal_date <= today
            and a.renewal_term_months > 0
        )

    def _expire_ended(self):
        # An automatic-renewal contract reaching the end of its term renews
        # instead of expiring, whichever daily action runs first.
        today = fields.Date.context_today(self)
        self._due_for_renewal(today)._renew_each(today)
        return super()._expire_ended()

    def _renew_each(self, today):
        """Renew each contract on its own: one that fails is logged and skipped."""

        def renew(contracts):
            for contract in contracts:
                contract._renew_automatically(today)

        self.env["ir.cron"]._slm_isolated(self, renew)

    def _renew_automatically(self, today):
        """Move the renewal date one term further (several when the scheduled
        action did not run for a while), and the end date with it when the
        contract would otherwise end before its next renewal. Logged."""
        self.ensure_one()
        # Counted from the original dates, so that month ends do not drift
        # (31 March + 1 month = 30 April, + 2 months = 31 May).
        terms = 1
        while (
            self._plus_terms(self.renewal_date, terms) <= today
            and terms < MAX_CATCH_UP_TERMS
        ):
            terms += 1
        renewal = self._plus_terms(self.renewal_date, terms)
        end = self.date_end
        if end and end < renewal:
            end = self._plus_terms(end, terms)
        vals = {"renewal_date": renewal}
        if end != self.date_end:
            vals["date_end"] = end
        deadline = self.notice_deadline
        old_renewal, old_end = self.renewal_date, self.date_end
        self._system_write(vals)
        body = self.env._(
            "Renewed automatically (%(terms)s term(s) of %(months)s month(s)): "
            "no notice was given by the notice deadline (%(deadline)s). Renewal "
            "date %(old)s -> %(new)s.",
            months=self.renewal_term_months,
            terms=terms,
            deadline=deadline or "-",
            old=old_renewal,
            new=renewal,
        )
        if end != old_end:
            body += " " + self.env._(
                "End date %(old)s -> %(new)s.", old=old_end, new=end
            )
        self.message_post(body=body, subtype_xmlid="mail.mt_note")

    def _plus_terms(self, day, terms):
        return day + relativedelta(months=self.renewal_term_months * terms)

    # ------------------------------------------------------------------
    # Notice deadline warnings
    # ------------------------------------------------------------------

    def _supplier_manager(self):
        """Who is warned about this contract: its Supplier Manager, else its
        Service Level Manager (active users only)."""
        self.ensure_one()
        for user in (self.supplier_manager_id, self.provider_user_id):
            if user and user.active and user.id != SUPERUSER_ID:
                return user
        return self.env["res.users"]

    def _warn_notice_deadline(self):
        """An activity due on the notice deadline and a message: the contract
        renews (or ends) unless the Supplier Manager acts in time."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        deadline = self.notice_deadline
        if self.renewal_type == "automatic" and self.renewal_date:
            what = self.env._(
                "%(contract)s renews automatically on %(date)s for %(months)s "
                "month(s) unless notice is given to %(supplier)s by "
                "%(deadline)s (notice period %(days)s days).",
                months=self.renewal_term_months,
                date=self.renewal_date,
                contract=self.display_name,
                supplier=self.supplier_id.display_name,
                deadline=deadline,
                days=self.notice_period_days,
            )
        else:
            what = self.env._(
                "%(contract)s ends on %(date)s unless it is renewed: decide with "
                "%(supplier)s by %(deadline)s (notice period %(days)s days).",
                date=self.renewal_due_date,
                contract=self.display_name,
                supplier=self.supplier_id.display_name,
                deadline=deadline,
                days=self.notice_period_days,
            )
        if deadline < today:
            what += " " + self.env._("The notice deadline has passed.")
        # A warning about an earlier deadline is obsolete.
        self.activity_unlink([NOTICE_ACTIVITY])
        manager = self._supplier_manager()
        if manager:
            self.activity_schedule(
                NOTICE_ACTIVITY,
                date_deadline=max(deadline, today),
                user_id=manager.id,
                note=what,
            )
        else:
            _logger.warning(
                "Contract %s (id %s) has no active Supplier Manager to warn of "
                "its notice deadline.",
                self.display_name,
                self.id,
            )
        self.message_post(body=Markup("<p>%s</p>") % what, subtype_xmlid="mail.mt_note")
        self._system_write({"notice_warned_deadline": deadline})

    @api.model
    def _cron_supplier_renewals(self):
        """Scheduled action (daily): renew the automatic-renewal contracts whose
        renewal date has come without notice, then warn the Supplier Managers
        of the notice deadlines coming up.

        Safe to run twice: a renewed contract has a later renewal date, and a
        deadline already warned of is not warned of again (a changed deadline
        is). Batched (``ir.cron._slm_run_batches``): one contract that cannot
        be handled is logged and skipped.
        """
        today = fields.Date.context_today(self)
        Contract = self.sudo()
        due = Contract.search(
            [
                ("kind", "=", "uc"),
                ("state", "=", "agreed"),
                ("renewal_type", "=", "automatic"),
                ("notice_given_date", "=", False),
                ("renewal_date", "<=", today),
            ]
        )
        cron = self.env["ir.cron"]
        cron._slm_run_batches(
            due._due_for_renewal(today), lambda batch: batch._renew_each(today)
        )
        to_warn = Contract.search(
            [
                ("kind", "=", "uc"),
                ("state", "=", "agreed"),
                ("notice_given_date", "=", False),
                ("notice_warning_date", "<=", today),
                ("renewal_due_date", ">=", today),
            ]
        ).filtered(lambda a: a.notice_warned_deadline != a.notice_deadline)

        def warn(contracts):
            for contract in contracts:
                contract._warn_notice_deadline()

        cron._slm_run_batches(to_warn, warn)
