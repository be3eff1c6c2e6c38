# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.slm_agreements.models.slm_agreement import CLOSED_STATES

_logger = logging.getLogger(__name__)

AREAS = [
    ("legal", "Legal"),
    ("health_safety", "Health and Safety"),
    ("security", "Security"),
    ("data_protection", "Data Protection"),
    ("other", "Other"),
]
STATES = [
    ("pending", "Pending"),
    ("compliant", "Compliant"),
    ("non_compliant", "Non-compliant"),
    ("waived", "Waived"),
]
# What was escalated last: a requirement found non-compliant, or one still
# pending past its due date. Each is escalated once until the line changes.
ESCALATIONS = [("non_compliant", "Non-compliant"), ("overdue", "Overdue")]
ESCALATION_ACTIVITY = "slm_supplier.mail_activity_type_compliance"
# Days the template checklist gives for each requirement.
TEMPLATE_DUE_DAYS = 30


class SlmSupplierCompliance(models.Model):
    """One requirement of an underpinning contract's compliance checklist:
    legal, health and safety, security or data protection, with evidence,
    status and due date."""

    _name = "slm.supplier.compliance"
    _description = "Supplier Compliance Requirement"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "agreement_id, sequence, area, id"
    _check_company_auto = True

    name = fields.Char(
        string="Requirement",
        required=True,
        tracking=True,
        help="What the supplier must comply with, e.g. 'ISO 27001 certificate "
        "valid for the term of the contract'.",
    )
    sequence = fields.Integer(default=10, help="Order within the checklist.")
    agreement_id = fields.Many2one(
        "slm.agreement",
        string="Contract",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        domain=[("kind", "=", "uc")],
        help="The underpinning contract this requirement belongs to.",
    )
    supplier_id = fields.Many2one(
        related="agreement_id.supplier_id",
        store=True,
        index=True,
        help="The supplier under contract.",
    )
    supplier_manager_id = fields.Many2one(
        related="agreement_id.supplier_manager_id",
        string="Supplier Manager",
        help="Escalations of this requirement go to the contract's Supplier "
        "Manager.",
    )
    company_id = fields.Many2one(
        related="agreement_id.company_id", store=True, index=True
    )
    area = fields.Selection(
        AREAS,
        required=True,
        default="legal",
        tracking=True,
        help="Legal (contract, insurance, licences), health and safety (work "
        "on site), security (information security), data protection "
        "(personal data processed by the supplier), or other.",
    )
    state = fields.Selection(
        STATES,
        string="Status",
        required=True,
        default="pending",
        tracking=True,
        index=True,
        help="Pending: not checked yet. Compliant: the evidence shows it is met. "
        "Non-compliant: checked and not met (escalated to the Supplier "
        "Manager). Waived: not required for this contract, for the reason "
        "given.",
    )
    description = fields.Text(
        help="How compliance is shown: which document, certificate or audit."
    )
    evidence_ids = fields.Many2many(
        "ir.attachment",
        "slm_supplier_compliance_attachment_rel",
        "compliance_id",
        "attachment_id",
        string="Evidence",
        help="Certificates, audit reports, signed agreements that show " "compliance.",
    )
    date_due = fields.Date(
        string="Due Date",
        tracking=True,
        index=True,
        help="By when the requirement must be checked. A requirement still "
        "pending after this day is overdue and escalated. It may fall before "
        "the contract starts (checks before signature).",
    )
    reviewer_id = fields.Many2one(
        "res.users",
        string="Reviewer",
        tracking=True,
        default=lambda self: self.env.user,
        help="Who checks the evidence.",
    )
    date_checked = fields.Date(
        string="Last Checked",
        tracking=True,
        help="When the requirement was last checked: set to today when it is "
        "marked compliant or non-compliant.",
    )
    waiver_reason = fields.Text(
        tracking=True,
        help="Why the requirement is waived for this contract: required to "
        "waive it.",
    )
    is_overdue = fields.Boolean(
        string="Overdue",
        compute="_compute_is_overdue",
        search="_search_is_overdue",
        help="Still pending after its due date.",
    )
    escalated_status = fields.Selection(
        ESCALATIONS,
        readonly=True,
        copy=False,
        help="What was last escalated to the Supplier Manager for this "
        "requirement; cleared when its status or due date changes, so that a "
        "new problem is escalated again.",
    )
    agreement_state = fields.Selection(
        related="agreement_id.state", string="Contract Status"
    )
    color = fields.Integer()

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("state", "date_due")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for line in self:
            line.is_overdue = (
                line.state == "pending"
                and bool(line.date_due)
                and line.date_due < today
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search Overdue with = or != only."))
        today = fields.Date.context_today(self)
        domain = [("state", "=", "pending"), ("date_due", "<", today)]
        if (operator == "=") == value:
            return domain
        return ["!", "&", *domain]

    # ------------------------------------------------------------------
    # Constraints and CRUD
    # ------------------------------------------------------------------

    @api.constrains("agreement_id")
    def _check_agreement_is_uc(self):
        for line in self:
            if line.agreement_id.kind != "uc":
                raise ValidationError(
                    self.env._(
                        "Compliance checklists belong to underpinning contracts "
                        "with suppliers: %(agreement)s is not a UC.",
                        agreement=line.agreement_id.display_name,
                    )
                )

    @api.constrains("state", "waiver_reason")
    def _check_waiver_reason(self):
        for line in self:
            if line.state == "waived" and not (line.waiver_reason or "").strip():
                raise ValidationError(
                    self.env._(
                        "Give the reason for waiving '%(requirement)s' (field "
                        "Waiver Reason): a waived requirement is a risk accepted "
                        "on purpose, and the record must say why.",
                        requirement=line.name,
                    )
                )

    @api.constrains("date_checked")
    def _check_date_checked(self):
        today = fields.Date.context_today(self)
        for line in self:
            if line.date_checked and line.date_checked > today:
                raise ValidationError(
                    self.env._(
                        "'%(requirement)s' cannot have been checked on "
                        "%(date)s: that is in the future.",
                        requirement=line.name,
                        date=line.date_checked,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        today = fields.Date.context_today(self)
        for vals in vals_list:
            if vals.get("state") in ("compliant", "non_compliant"):
                vals.setdefault("date_checked", today)
        return super().create(vals_list)

    def write(self, vals):
        if ("state" in vals or "date_due" in vals) and "escalated_status" not in vals:
            # A new status or due date is a new situation: escalate it anew.
            vals = dict(vals, escalated_status=False)
            if vals.get("state") in ("compliant", "non_compliant"):
                vals.setdefault("date_checked", fields.Date.context_today(self))
        result = super().write(vals)
        if vals.get("state") in ("compliant", "waived"):
            labels = dict(self._fields["state"]._description_selection(self.env))
            self.activity_feedback(
                [ESCALATION_ACTIVITY],
                feedback=self.env._(
                    "Requirement now %(state)s.", state=labels[vals["state"]].lower()
                ),
            )
        return result

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_mark_compliant(self):
        self.write({"state": "compliant", "reviewer_id": self.env.uid})

    def action_mark_non_compliant(self):
        self.write({"state": "non_compliant", "reviewer_id": self.env.uid})

    def action_waive(self):
        # The constraint names the requirement when its reason is missing.
        self.write({"state": "waived"})

    def action_reset_pending(self):
        self.write({"state": "pending"})

    # ------------------------------------------------------------------
    # Template checklist
    # ------------------------------------------------------------------

    @api.model
    def _template_requirements(self):
        """The requirement of each area in a new checklist."""
        return {
            "legal": self.env._(
                "Signed contract, liability insurance and required licences in "
                "place for the term of the contract"
            ),
            "health_safety": self.env._(
                "Health and safety policy and risk assessment for work on our " "sites"
            ),
            "security": self.env._(
                "Information security certification (e.g. ISO/IEC 27001) or "
                "completed security questionnaire"
            ),
            "data_protection": self.env._(
                "Data processing agreement signed and sub-processors listed"
            ),
        }

    @api.model
    def _create_template_lines(self, contracts):
        """Add to each contract one requirement per area it does not cover yet.

        Returns the action showing the checklist of a single contract.
        """
        not_uc = contracts.filtered(lambda a: a.kind != "uc")
        if not_uc:
            raise UserError(
                self.env._(
                    "Compliance checklists belong to underpinning contracts: "
                    "%(agreements)s is not a UC.",
                    agreements=", ".join(not_uc.mapped("display_name")),
                )
            )
        closed = contracts.filtered(lambda a: a.state in CLOSED_STATES)
        if closed:
            raise UserError(
                self.env._(
                    "%(contracts)s is closed: it needs no new compliance checks.",
                    contracts=", ".join(closed.mapped("display_name")),
                )
            )
        templates = self._template_requirements()
        covered = {
            (agreement.id, area)
            for agreement, area in self._read_group(
                [("agreement_id", "in", contracts.ids)], ["agreement_id", "area"]
            )
        }
        due = fields.Date.context_today(self) + timedelta(days=TEMPLATE_DUE_DAYS)
        vals_list = [
            {
                "agreement_id": contract.id,
                "area": area,
                "name": requirement,
                "sequence": sequence,
                "date_due": due,
            }
            for contract in contracts
            for sequence, (area, requirement) in enumerate(templates.items(), 1)
            if (contract.id, area) not in covered
        ]
        if not vals_list:
            raise UserError(
                self.env._(
                    "%(contracts)s already has a requirement in every area: add "
                    "more requirements in its checklist.",
                    contracts=", ".join(contracts.mapped("display_name")),
                )
            )
        lines = self.create(vals_list)
        for contract in lines.agreement_id:
            contract.message_post(
                body=self.env._(
                    "Compliance checklist created by %(user)s: %(count)s "
                    "requirement(s) due on %(date)s.",
                    user=self.env.user.name,
                    count=len(
                        lines.filtered(lambda x, c=contract: x.agreement_id == c)
                    ),
                    date=due,
                ),
                subtype_xmlid="mail.mt_note",
            )
        if len(contracts) == 1:
            return contracts.action_view_compliance()
        return True

    # ------------------------------------------------------------------
    # Escalation
    # ------------------------------------------------------------------

    def _escalation_due(self, today):
        """{line: what to escalate} for the lines whose problem is new."""
        due = {}
        for line in self:
            if line.state == "non_compliant":
                problem = "non_compliant"
            elif line.state == "pending" and line.date_due and line.date_due < today:
                problem = "overdue"
            else:
                continue
            if line.escalated_status != problem:
                due[line] = problem
        return due

    @api.model
    def _cron_escalate_non_compliance(self):
        """Scheduled action (daily): escalate to each contract's Supplier
        Manager the requirements found non-compliant or pending past their due
        date: an activity per requirement and a message on the contract.

        Safe to run twice: a requirement is escalated once per problem (until
        its status or due date changes). Batched
        (``ir.cron._slm_run_batches``): one contract whose escalation fails is
        logged and skipped.
        """
        today = fields.Date.context_today(self)
        lines = self.sudo().search(
            [
                ("agreement_id.state", "not in", CLOSED_STATES),
                "|",
                ("state", "=", "non_compliant"),
                "&",
                ("state", "=", "pending"),
                ("date_due", "<", today),
            ]
        )
        due = lines._escalation_due(today)
        by_contract = {}
        for line, problem in due.items():
            by_contract.setdefault(line.agreement_id, []).append((line, problem))

        def escalate(contracts):
            for contract in contracts:
                self._escalate(contract, by_contract[contract])

        contracts = self.env["slm.agreement"].union(*by_contract)
        self.env["ir.cron"]._slm_run_batches(contracts, escalate)

    @api.model
    def _escalate(self, contract, items):
        """One message on the contract listing the problems, one activity per
        requirement for the contract's Supplier Manager."""
        manager = contract._supplier_manager()
        areas = dict(AREAS)
        texts = {
            "non_compliant": self.env._("non-compliant"),
            "overdue": self.env._("still pending, due %s"),
        }
        rows = []
        for line, problem in items:
            text = texts[problem]
            if problem == "overdue":
                text = text % line.date_due
            rows.append(
                (
                    line,
                    problem,
                    self.env._(
                        "%(area)s: %(requirement)s (%(problem)s)",
                        area=areas[line.area],
                        requirement=line.name,
                        problem=text,
                    ),
                )
            )
        intro = self.env._(
            "Compliance of %(supplier)s needs action:",
            supplier=contract.supplier_id.display_name or contract.display_name,
        )
        contract.message_post(
            body=Markup("<p>%s</p><ul>%s</ul>")
            % (
                intro,
                Markup("").join(
                    Markup("<li>%s: %s</li>") % (line._get_html_link(), text)
                    for line, _problem, text in rows
                ),
            ),
            subtype_xmlid="mail.mt_note",
        )
        today = fields.Date.context_today(self)
        for line, _problem, text in rows:
            if manager:
                line.activity_schedule(
                    ESCALATION_ACTIVITY,
                    date_deadline=today,
                    user_id=manager.id,
                    note=text,
                )
            line.message_post(
                body=self.env._("Escalated to the Supplier Manager: %s", text),
                subtype_xmlid="mail.mt_note",
            )
        for problem, _label in ESCALATIONS:
            escalated = items[0][0].browse(
                [line.id for line, p, _t in rows if p == problem]
            )
            escalated.write({"escalated_status": problem})
        if not manager:
            _logger.warning(
                "Contract %s (id %s) has no active Supplier Manager to escalate "
                "its compliance to.",
                contract.display_name,
                contract.id,
            )
