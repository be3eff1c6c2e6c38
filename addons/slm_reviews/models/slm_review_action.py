# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_date

ANALYST_GROUP = "slm_catalogue.group_slm_analyst"


class SlmReviewAction(models.Model):
    """An action agreed in a service review (or in an improvement plan),
    tracked to closure; open actions carry into the next review of the same
    scope."""

    _name = "slm.review.action"
    _description = "Service Review Action"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "due_date, id"
    _check_company_auto = True

    name = fields.Char(
        required=True, tracking=True, help="What is to be done, in a few words."
    )
    description = fields.Html(help="Details: why, what exactly, how it is checked.")
    review_id = fields.Many2one(
        "slm.review",
        string="Origin Review",
        index=True,
        ondelete="restrict",
        check_company=True,
        help="The review in which the action was agreed.",
    )
    review_state = fields.Selection(related="review_id.state", string="Review Status")
    improvement_plan_id = fields.Many2one(
        "slm.improvement.plan", index=True, ondelete="set null"
    )
    owner_id = fields.Many2one(
        "res.users",
        required=True,
        tracking=True,
        index=True,
        domain=lambda self: [
            ("groups_id", "in", self.env.ref("slm_catalogue.group_slm_user").id)
        ],
        help="Who carries it out: a user with a Service Level Management role, "
        "who can open the action. They get an activity when it is overdue.",
    )
    due_date = fields.Date(
        required=True,
        tracking=True,
        index=True,
        help="When it must be done: today or later when the action is agreed.",
    )
    state = fields.Selection(
        [("open", "Open"), ("done", "Done"), ("cancelled", "Cancelled")],
        default="open",
        required=True,
        tracking=True,
        index=True,
        help="Open actions of a review are carried into the next review of the "
        "same scope when its agenda is prepared.",
    )
    done_date = fields.Date(readonly=True, copy=False)
    is_overdue = fields.Boolean(
        string="Overdue",
        compute="_compute_is_overdue",
        search="_search_is_overdue",
        help="Open, and its due date has passed.",
    )
    overdue_notified = fields.Boolean(
        readonly=True,
        copy=False,
        help="The owner got an activity for this overdue action (once; again "
        "only if the due date is moved and passes again).",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        index=True,
        compute="_compute_partner_id",
        store=True,
        readonly=False,
        precompute=True,
        help="The customer of the review scope (for carrying over).",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        compute="_compute_company_id",
        store=True,
        readonly=False,
        precompute=True,
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("review_id")
    def _compute_partner_id(self):
        for action in self:
            if action.review_id:
                action.partner_id = action.review_id.partner_id

    @api.depends("review_id")
    def _compute_company_id(self):
        for action in self:
            action.company_id = (
                action.review_id.company_id or action.company_id or self.env.company
            )

    @api.depends("state", "due_date")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for action in self:
            action.is_overdue = bool(
                action.state == "open" and action.due_date and action.due_date < today
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(self.env._("Unsupported search on Overdue."))
        today = fields.Date.context_today(self)
        domain = [("state", "=", "open"), ("due_date", "<", today)]
        if (operator == "=") != bool(value):
            domain = ["!", "&"] + domain
        return domain

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # Wrong values first, in the user's words (catalogue rule).
        for vals in vals_list:
            self.browse()._slm_check_values(vals, "create")
        today = fields.Date.context_today(self)
        for vals in vals_list:
            name = vals.get("name") or self.env._("The new action")
            if not self.env.su and (
                vals.get("state", "open") != "open" or vals.get("done_date")
            ):
                raise UserError(self._state_error())
            if not vals.get("owner_id"):
                raise ValidationError(
                    self.env._(
                        "%(action)s needs an owner: choose who carries it out.",
                        action=name,
                    )
                )
            due = vals.get("due_date") and fields.Date.to_date(vals["due_date"])
            if not due:
                raise ValidationError(
                    self.env._(
                        "%(action)s needs a due date: when must it be done?",
                        action=name,
                    )
                )
            if due < today:
                raise ValidationError(
                    self.env._(
                        "%(action)s cannot be due on %(due)s: that is in the past. "
                        "Give a due date from today (%(today)s) on.",
                        action=name,
                        due=format_date(self.env, due),
                        today=format_date(self.env, today),
                    )
                )
        self._check_reviews_open(
            self.env["slm.review"].browse(
                {vals["review_id"] for vals in vals_list if vals.get("review_id")}
            )
        )
        return super().create(vals_list)

    def write(self, vals):
        self._slm_check_values(vals)  # wrong values first (catalogue rule)
        if not self.env.su and {"state", "done_date"}.intersection(vals):
            # Done, cancelled and reopened by the buttons only, which check who
            # may (guard rule 1).
            raise UserError(self._state_error())
        if "review_id" in vals:
            reviews = self.review_id | self.env["slm.review"].browse(
                vals["review_id"] or []
            )
            self._check_reviews_open(reviews)
        if "owner_id" in vals and not vals["owner_id"]:
            raise ValidationError(
                self.env._(
                    "%(action)s needs an owner: choose who carries it out.",
                    action=", ".join(self.mapped("name")),
                )
            )
        if vals.get("due_date"):
            # A new commitment: the owner is reminded again if it passes.
            vals = dict(vals, overdue_notified=False)
        return super().write(vals)

    def _state_error(self):
        return self.env._(
            "An action starts open; it is marked done, cancelled or reopened "
            "with its buttons only: its status cannot be written directly."
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_frozen_review(self):
        self._check_reviews_open(self.review_id)

    def _check_reviews_open(self, reviews):
        """The actions list of a review is part of its minutes: frozen once
        they are sent."""
        frozen = reviews.filtered(lambda r: r.state in ("minutes_sent", "closed"))
        if frozen:
            raise UserError(frozen[0]._frozen_error())

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------

    def _check_may_update(self):
        """Analysts and above update actions; an owner updates their own."""
        if self.env.su or self.env.user.has_group(ANALYST_GROUP):
            return
        others = self.filtered(lambda a: a.owner_id != self.env.user)
        if others:
            raise AccessError(
                self.env._(
                    "Only the owner of %(action)s, or a Service Level Analyst, "
                    "can mark it done or cancel it.",
                    action=others[0].display_name,
                )
            )

    def _check_action_states(self, allowed, what):
        wrong = self.filtered(lambda a: a.state not in allowed)
        if wrong:
            states = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "%(action)s is %(state)s: it cannot be %(what)s.",
                    action=wrong[0].display_name,
                    state=states[wrong[0].state].lower(),
                    what=what,
                )
            )

    def action_done(self):
        self._check_action_states(("open",), self.env._("marked done"))
        self._check_may_update()
        self.sudo().write(
            {"state": "done", "done_date": fields.Date.context_today(self)}
        )
        self.sudo().activity_feedback(
            ["slm_reviews.mail_activity_type_review_action_overdue"]
        )
        return True

    def action_cancel(self):
        self._check_action_states(("open",), self.env._("cancelled"))
        self._check_may_update()
        self.sudo().write({"state": "cancelled"})
        self.sudo().activity_unlink(
            ["slm_reviews.mail_activity_type_review_action_overdue"]
        )
        return True

    def action_reopen(self):
        self._check_action_states(("done", "cancelled"), self.env._("reopened"))
        self._check_may_update()
        self.sudo().write({"state": "open", "done_date": False})
        return True

    # ------------------------------------------------------------------
    # Scheduled action
    # ------------------------------------------------------------------

    @api.model
    def _cron_notify_overdue(self):
        """Scheduled action: an activity for the owner of each overdue action.

        Once per action (``overdue_notified``): running it twice raises
        nothing new. Batched (``ir.cron._slm_run_batches``): one faulty
        action is logged and skipped.
        """
        today = fields.Date.context_today(self)
        actions = self.sudo().search(
            [
                ("state", "=", "open"),
                ("due_date", "<", today),
                ("overdue_notified", "=", False),
            ]
        )
        self.env["ir.cron"]._slm_run_batches(
            actions, lambda batch: batch._notify_overdue()
        )

    def _notify_overdue(self):
        activity_type = self.env.ref(
            "slm_reviews.mail_activity_type_review_action_overdue"
        )
        model_id = self.env["ir.model"]._get_id(self._name)
        self.env["mail.activity"].sudo().with_context(
            mail_activity_quick_update=True
        ).create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": action.id,
                    "user_id": action.owner_id.id,
                    "activity_type_id": activity_type.id,
                    "automated": True,
                    "summary": self.env._("Overdue: %s", action.name)[:250],
                    "date_deadline": action.due_date,
                }
                for action in self
            ]
        )
        self.write({"overdue_notified": True})

    def action_start_improvement_plan(self):
        """Start an improvement plan with the scope of these actions, which
        join it, and open it."""
        plan = self.env["slm.improvement.plan"]._create_from_actions(self)
        return plan._get_form_action()
