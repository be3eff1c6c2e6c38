# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import is_html_empty

from odoo.addons.slm_agreements.tools.records import composer_action

STATES = [
    ("draft", "Draft"),
    ("active", "In Progress"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
]
# Context key set by "Send Status Report": the posted message is the report.
STATUS_REPORT = "slm_sip_status_report"


class SlmImprovementPlan(models.Model):
    """A Service Improvement Plan (SIP): objectives and actions to raise a
    service, with progress reported to the customer."""

    _name = "slm.improvement.plan"
    _description = "Service Improvement Plan"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "portal.mixin",
        "slm.customer.mixin",
    ]
    _order = "id desc"

    name = fields.Char(required=True, tracking=True)
    partner_id = fields.Many2one(
        help="The customer whose service is improved: status reports go to its "
        "contacts below, and its portal users see the plan while it is in "
        "progress or done.",
    )
    service_id = fields.Many2one(
        "slm.service", index=True, tracking=True, help="The service improved."
    )
    agreement_id = fields.Many2one(
        "slm.agreement",
        index=True,
        tracking=True,
        help="The agreement whose targets the plan aims to reach.",
    )
    owner_id = fields.Many2one(
        "res.users",
        default=lambda self: self.env.user,
        tracking=True,
        domain=[("share", "=", False)],
        help="Who drives the plan and reports its progress.",
    )
    objectives = fields.Html(
        help="What the plan must achieve, measurably (e.g. resolution of Very "
        "High tickets back to 95 % within 2 hours by the end of the quarter).",
    )
    date_start = fields.Date(
        string="Started on",
        readonly=True,
        copy=False,
        help="When the plan was put in progress.",
    )
    date_target = fields.Date(
        string="Target Date",
        tracking=True,
        help="When the objectives should be reached.",
    )
    date_done = fields.Date(string="Completed on", readonly=True, copy=False)
    state = fields.Selection(
        STATES,
        default="draft",
        required=True,
        tracking=True,
        index=True,
        copy=False,
        help="Draft: being prepared. In Progress: agreed, its actions are carried "
        "out and reported to the customer. Done: every action is done or "
        "cancelled. Cancelled: abandoned.",
    )
    action_ids = fields.One2many(
        "slm.review.action",
        "improvement_plan_id",
        string="Actions",
        help="The actions of the plan, each with an owner and a due date.",
    )
    action_count = fields.Integer(compute="_compute_progress", store=True)
    action_done_count = fields.Integer(
        string="Actions Done", compute="_compute_progress", store=True
    )
    progress = fields.Float(
        string="Progress (%)",
        compute="_compute_progress",
        store=True,
        aggregator="avg",
        help="Share of the plan's actions that are done; cancelled actions do "
        "not count. 0 while the plan has no action.",
    )
    breach_ids = fields.Many2many(
        "slm.breach",
        "slm_improvement_plan_breach_rel",
        "plan_id",
        "breach_id",
        string="Breaches",
        help="The breaches that led to the plan.",
    )
    breach_count = fields.Integer(compute="_compute_breach_count")
    origin_review_id = fields.Many2one(
        "slm.review",
        string="Origin Review",
        index="btree_not_null",
        help="The service review in which the plan was decided.",
    )
    contact_ids = fields.Many2many(
        "res.partner",
        "slm_improvement_plan_contact_rel",
        "plan_id",
        "partner_id",
        string="Customer Contacts",
        help="Who receives the status reports: contacts of the customer with an "
        "e-mail address.",
    )
    last_report_date = fields.Datetime(
        string="Last Status Report",
        readonly=True,
        copy=False,
        help="When a status report was last sent to the customer.",
    )
    report_count = fields.Integer(
        string="Status Reports Sent", readonly=True, copy=False
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    color = fields.Integer()

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("action_ids.state")
    def _compute_progress(self):
        for plan in self:
            counted = plan.action_ids.filtered(lambda a: a.state != "cancelled")
            done = counted.filtered(lambda a: a.state == "done")
            plan.action_count = len(counted)
            plan.action_done_count = len(done)
            plan.progress = 100.0 * len(done) / len(counted) if counted else 0.0

    @api.depends("breach_ids")
    def _compute_breach_count(self):
        for plan in self:
            plan.breach_count = len(plan.breach_ids)

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for plan in self:
            plan.access_url = f"/my/slm/plans/{plan.id}"
        return res

    # ------------------------------------------------------------------
    # Creation from review actions and breaches
    # ------------------------------------------------------------------

    @api.model
    def _create_from_actions(self, actions):
        """One plan with the scope of these review actions, which join it."""
        if not actions:
            raise UserError(self.env._("Select the review actions to improve on."))
        planned = actions.filtered("improvement_plan_id")
        if planned:
            raise UserError(
                self.env._(
                    "%(actions)s already belongs to the improvement plan " "%(plan)s.",
                    actions=", ".join(planned.mapped("name")),
                    plan=planned[0].improvement_plan_id.name,
                )
            )
        reviews = actions.review_id
        customers = actions.partner_id | reviews.partner_id
        self._check_one_customer(customers)
        agreements = reviews.agreement_ids
        services = reviews.service_ids or agreements.service_ids
        plan = self._create_plan(
            actions,
            customers,
            agreements,
            services,
            {
                "name": actions[0].name
                if len(actions) == 1
                else self.env._(
                    "Improvement plan for %(scope)s",
                    scope=customers.name or reviews[:1].name or actions[0].name,
                ),
                "origin_review_id": reviews.id if len(reviews) == 1 else False,
                "contact_ids": [
                    (6, 0, self._default_contacts(customers, agreements, reviews).ids)
                ],
                "objectives": Markup("<ul>%s</ul>")
                % Markup("").join(Markup("<li>%s</li>") % a.name for a in actions),
            },
            self.env._(
                "Started from the review actions: %(actions)s.",
                actions=", ".join(actions.mapped("name")),
            ),
        )
        actions.write({"improvement_plan_id": plan.id})
        return plan

    @api.model
    def _check_one_customer(self, customers):
        """A plan's status reports go to one customer: refuse a selection of
        actions or breaches of several."""
        if len(customers) > 1:
            raise UserError(
                self.env._(
                    "An improvement plan is reported to one customer: the "
                    "selection concerns %(customers)s. Start one plan per "
                    "customer.",
                    customers=", ".join(customers.mapped("display_name")),
                )
            )

    @api.model
    def _create_from_breaches(self, breaches):
        """One plan for these breaches (of one customer)."""
        if not breaches:
            raise UserError(self.env._("Select the breaches to improve on."))
        customers = breaches.partner_id
        self._check_one_customer(customers)
        agreements = breaches.agreement_id
        services = breaches.service_id
        targets = breaches.target_id
        objectives = Markup("").join(
            Markup("<li>%s</li>")
            % self.env._(
                "%(target)s of %(agreement)s: back to its objective of "
                "%(objective)s %% (%(count)s breach(es) to prevent).",
                target=target.name,
                agreement=target.agreement_id.display_name,
                objective=format(target.objective_pct, "g"),
                count=len(breaches.filtered(lambda b, t=target: b.target_id == t)),
            )
            for target in targets
        )
        scope = services.name if len(services) == 1 else agreements[:1].display_name
        return self._create_plan(
            breaches,
            customers,
            agreements,
            services,
            {
                "name": self.env._(
                    "Improvement plan: %(scope)s", scope=scope or customers.name
                ),
                "breach_ids": [(6, 0, breaches.ids)],
                "contact_ids": [
                    (6, 0, self._default_contacts(customers, agreements).ids)
                ],
                "objectives": Markup("<ul>%s</ul>") % objectives,
            },
            self.env._(
                "Started from the breaches: %(breaches)s.",
                breaches=", ".join(breaches.mapped("display_name")),
            ),
        )

    @api.model
    def _create_plan(self, sources, customers, agreements, services, vals, origin):
        """A plan for one customer, scoped to the one agreement and service of
        ``sources`` (review actions or breaches) if they have only one, with
        a note of where it started."""
        plan = self.create(
            {
                "partner_id": customers.id,
                "agreement_id": agreements.id if len(agreements) == 1 else False,
                "service_id": services.id if len(services) == 1 else False,
                "company_id": (sources.company_id[:1] or self.env.company).id,
                **vals,
            }
        )
        plan.message_post(body=origin, subtype_xmlid="mail.mt_note")
        return plan

    @api.model
    def _default_contacts(self, customers, agreements, reviews=None):
        """The customer's people who hear about the plan: the customer
        attendees of the origin review, and the agreements' customer contacts."""
        contacts = agreements.customer_contact_id
        if reviews:
            contacts |= reviews.attendee_partner_ids
        if customers:
            contacts = contacts.filtered(lambda p: p.commercial_partner_id in customers)
        return contacts

    def action_view_breaches(self):
        return self._related_action(
            "slm_agreements.slm_breach_action", [("id", "in", self.breach_ids.ids)]
        )

    def _get_form_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    # ------------------------------------------------------------------
    # Lifecycle
    # ------------------------------------------------------------------

    def _check_states(self, allowed, action):
        wrong = self.filtered(lambda p: p.state not in allowed)
        if wrong:
            labels = dict(STATES)
            raise UserError(
                self.env._(
                    "%(action)s: %(plans)s is %(state)s.",
                    action=action,
                    plans=", ".join(wrong.mapped("name")),
                    state=labels[wrong[0].state],
                )
            )

    def action_start(self):
        """Put the plan in progress: it needs objectives and actions."""
        self._check_states(
            ("draft",), self.env._("Only a draft plan can be put in progress")
        )
        for plan in self:
            missing = []
            if is_html_empty(plan.objectives):
                missing.append(self.env._("objectives"))
            if not plan.action_ids.filtered(lambda a: a.state != "cancelled"):
                missing.append(self.env._("at least one action (owner, due date)"))
            if missing:
                raise UserError(
                    self.env._(
                        "Before putting %(plan)s in progress, give it %(missing)s.",
                        plan=plan.name,
                        missing=self.env._(" and ").join(missing),
                    )
                )
        self.write({"state": "active", "date_start": fields.Date.context_today(self)})
        return True

    def action_done(self):
        """Close the plan once every action is done or cancelled."""
        self._check_states(
            ("active",), self.env._("Only a plan in progress can be completed")
        )
        for plan in self:
            open_actions = plan.action_ids.filtered(lambda a: a.state == "open")
            if open_actions:
                raise UserError(
                    self.env._(
                        "%(plan)s still has open actions: %(actions)s. Complete "
                        "or cancel them first.",
                        plan=plan.name,
                        actions=", ".join(open_actions.mapped("name")),
                    )
                )
        self.write({"state": "done", "date_done": fields.Date.context_today(self)})
        return True

    def action_cancel(self):
        self._check_states(
            ("draft", "active"), self.env._("Only an open plan can be cancelled")
        )
        self.write({"state": "cancelled"})
        return True

    def action_reset_draft(self):
        self._check_states(
            ("cancelled",), self.env._("Only a cancelled plan goes back to draft")
        )
        self.write({"state": "draft", "date_start": False, "date_done": False})
        return True

    # ------------------------------------------------------------------
    # Status report to the customer
    # ------------------------------------------------------------------

    def _report_recipients(self):
        """The customer contacts with an e-mail address; an error when none."""
        self.ensure_one()
        recipients = self.contact_ids.filtered("email")
        if not recipients:
            raise UserError(
                self.env._(
                    "No customer contact of %(plan)s has an e-mail address: add "
                    "a contact with an e-mail address under Customer Contacts "
                    "before sending a status report.",
                    plan=self.name,
                )
            )
        return recipients

    def action_send_status_report(self):
        """Open the e-mail composer with the status report to the customer."""
        self.ensure_one()
        if self.state not in ("active", "done"):
            raise UserError(
                self.env._(
                    "A status report is sent for a plan in progress or done; "
                    "%(plan)s is not.",
                    plan=self.name,
                )
            )
        recipients = self._report_recipients()
        template = self.env.ref("slm_reviews.mail_template_sip_status_report")
        return composer_action(
            self,
            template,
            "mail.mail_notification_light",
            default_partner_ids=recipients.ids,
            force_email=True,
            **{STATUS_REPORT: True},
        )

    def message_post(self, **kwargs):
        # The composer opened by "Send Status Report" posts the report: check
        # its recipients again and count it.
        if self.env.context.get(STATUS_REPORT) and len(self) == 1:
            # The key only says which composer posts: the count is written as
            # superuser for who may change the plan (guard rule 1).
            self.check_access("write")
            self._report_recipients()
            self.sudo().write(
                {
                    "last_report_date": fields.Datetime.now(),
                    "report_count": self.report_count + 1,
                }
            )
        return super().message_post(**kwargs)

    def _status_report_rows(self):
        """The actions for the status report, open ones first by due date:
        [{"name", "owner", "due_date", "state"}] (state: its label)."""
        self.ensure_one()
        Action = self.env["slm.review.action"]
        labels = dict(Action._fields["state"]._description_selection(self.env))
        order = {"open": 0, "done": 1, "cancelled": 2}
        actions = self.action_ids.sorted(
            lambda a: (order.get(a.state, 3), a.due_date or fields.Date.today(), a.id)
        )
        return [
            {
                "name": action.name,
                "owner": action.owner_id.name or "",
                "due_date": action.due_date,
                "state": labels.get(action.state, action.state),
            }
            for action in actions
        ]
