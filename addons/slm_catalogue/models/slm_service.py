# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models, tools
from odoo.exceptions import UserError, ValidationError

_logger = logging.getLogger(__name__)

LIFECYCLE_STATES = [
    ("pipeline", "Pipeline"),
    ("live", "Live"),
    ("retired", "Retired"),
]
# Position of each state on the lifecycle: moving to a lower rank is a step back.
LIFECYCLE_RANK = {state: rank for rank, (state, _label) in enumerate(LIFECYCLE_STATES)}
# Fields whose change can give open tickets without a service their service
# (and changes the registry's map of the links: ``_slm_ticket_map``).
MAPPING_FIELDS = {
    "helpdesk_team_ids",
    "helpdesk_category_ids",
    "state",
    "active",
    "company_id",
}


class SlmService(models.Model):
    """An IT service of the catalogue, as offered to customers or to other services."""

    _name = "slm.service"
    _description = "IT Service"
    _inherit = ["mail.thread", "mail.activity.mixin", "slm.company.owned.mixin"]
    _order = "sequence, name, id"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------

    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char(
        required=True,
        tracking=True,
        help="Short reference of the service, unique within the company "
        "(e.g. EMAIL, VPN). Used in agreements and reports.",
    )
    active = fields.Boolean(default=True, tracking=True)
    category_id = fields.Many2one(
        "slm.service.category",
        index=True,
        tracking=True,
        check_company=True,
        ondelete="restrict",
    )
    description = fields.Html(
        help="What the service delivers, in the customer's words."
    )
    service_type = fields.Selection(
        [("customer_facing", "Customer-facing"), ("supporting", "Supporting")],
        string="Type",
        required=True,
        default="customer_facing",
        tracking=True,
        help="Customer-facing services are visible to customers and covered by "
        "SLAs; supporting services are used by other services and covered by "
        "OLAs and underpinning contracts.",
    )
    state = fields.Selection(
        LIFECYCLE_STATES,
        string="Lifecycle",
        required=True,
        default="pipeline",
        tracking=True,
        index=True,
        group_expand="_read_group_expand_state",
        help="Pipeline: being designed or built. Live: offered and supported. "
        "Retired: no longer offered. Moving a service back requires a reason.",
    )
    pipeline_date = fields.Date(
        string="In Pipeline Since",
        default=fields.Date.context_today,
        copy=False,
        help="Date the service entered the catalogue pipeline.",
    )
    live_date = fields.Date(string="Live Since", copy=False, readonly=True)
    retired_date = fields.Date(string="Retired On", copy=False, readonly=True)
    lifecycle_log_ids = fields.One2many(
        "slm.service.lifecycle.log", "service_id", string="Lifecycle History"
    )
    owner_id = fields.Many2one(
        "res.users",
        string="Service Owner",
        required=True,
        tracking=True,
        index=True,
        default=lambda self: self._default_owner_id(),
        domain=lambda self: [
            (
                "groups_id",
                "in",
                self.env.ref("slm_catalogue.group_slm_service_owner").id,
            )
        ],
        help="Accountable for the service: must belong to the Service Owner group.",
    )
    criticality = fields.Selection(
        [
            ("low", "Low"),
            ("medium", "Medium"),
            ("high", "High"),
            ("critical", "Critical"),
        ],
        required=True,
        default="medium",
        tracking=True,
        help="Business impact of the service being unavailable.",
    )
    support_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Support Hours",
        tracking=True,
        check_company=True,
        help="Working calendar during which the service is supported "
        "(its time zone and public holidays apply). Empty: around the clock.",
    )
    customer_ids = fields.Many2many(
        "res.partner",
        "slm_service_customer_rel",
        "service_id",
        "partner_id",
        string="Customers",
        domain=[("parent_id", "=", False)],
        help="Customers (companies or individuals) who use this service.",
    )
    customer_count = fields.Integer(compute="_compute_customer_count")
    dependency_ids = fields.Many2many(
        "slm.service",
        "slm_service_dependency_rel",
        "service_id",
        "depends_on_id",
        string="Depends On",
        check_company=True,
        help="Services this service needs in order to work.",
    )
    dependent_ids = fields.Many2many(
        "slm.service",
        "slm_service_dependency_rel",
        "depends_on_id",
        "service_id",
        string="Needed By",
        help="Services that need this service in order to work.",
    )
    helpdesk_team_ids = fields.Many2many(
        "helpdesk.ticket.team",
        "slm_service_helpdesk_team_rel",
        "service_id",
        "team_id",
        string="Helpdesk Teams",
        help="Teams through which tickets about this service arrive. A ticket "
        "gets this service from its team when no category decides.",
    )
    helpdesk_category_ids = fields.Many2many(
        "helpdesk.ticket.category",
        "slm_service_helpdesk_category_rel",
        "service_id",
        "category_id",
        string="Helpdesk Categories",
        help="Ticket categories (and their sub-categories) that concern this "
        "service. A ticket in one of them gets this service.",
    )
    ticket_ids = fields.One2many("helpdesk.ticket", "service_id", string="Tickets")
    ticket_count = fields.Integer(compute="_compute_ticket_count")
    open_ticket_count = fields.Integer(compute="_compute_ticket_count")
    design_ids = fields.One2many(
        "slm.service.design", "service_id", string="Design Documents"
    )
    design_state = fields.Selection(
        [
            ("none", "No Design Document"),
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("signed_off", "Signed Off"),
        ],
        string="Design Status",
        compute="_compute_design_state",
        help="Status of the latest version of the service design document.",
    )
    discrepancy_ids = fields.One2many(
        "slm.catalogue.discrepancy", "service_id", string="Discrepancies"
    )
    open_discrepancy_count = fields.Integer(compute="_compute_open_discrepancy_count")
    last_review_date = fields.Date(
        tracking=True,
        copy=False,
        help="Last date the owner confirmed that this catalogue entry is true.",
    )
    review_overdue = fields.Boolean(
        copy=False,
        index=True,
        readonly=True,
        help="Set by the scheduled catalogue check when the entry has not been "
        "reviewed within the interval set in the settings.",
    )
    color = fields.Integer()

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "Another service of this company already uses this code: "
            "service codes must be unique within a company.",
        ),
    ]

    # ------------------------------------------------------------------
    # Defaults
    # ------------------------------------------------------------------

    @api.model
    def _default_owner_id(self):
        if self.env.user.has_group("slm_catalogue.group_slm_service_owner"):
            return self.env.user
        return False

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("customer_ids")
    def _compute_customer_count(self):
        for service in self:
            service.customer_count = len(service.customer_ids)

    def _compute_ticket_count(self):
        groups = self.env["helpdesk.ticket"]._read_group(
            [("service_id", "in", self.ids)],
            ["service_id", "closed"],
            ["__count"],
        )
        total = defaultdict(int)
        still_open = defaultdict(int)
        for service, closed, count in groups:
            total[service] += count
            if not closed:
                still_open[service] += count
        for service in self:
            service.ticket_count = total[service]
            service.open_ticket_count = still_open[service]

    @api.depends("design_ids.state", "design_ids.version_number")
    def _compute_design_state(self):
        for service in self:
            latest = service.design_ids.sorted("version_number")[-1:]
            service.design_state = latest.state or "none"

    def _compute_open_discrepancy_count(self):
        counts = self._related_counts(
            "slm.catalogue.discrepancy",
            "service_id",
            [("state", "in", ("new", "in_progress"))],
        )
        for service in self:
            service.open_discrepancy_count = counts.get(service, 0)

    @api.model
    def _read_group_expand_state(self, states, domain):
        return [state for state, _label in LIFECYCLE_STATES]

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("code")
    def _check_code(self):
        for service in self:
            if not (service.code or "").strip():
                raise ValidationError(self.env._("A service needs a code."))

    @api.constrains("dependency_ids")
    def _check_dependency_cycle(self):
        for service in self:
            if service in service.dependency_ids:
                raise ValidationError(
                    self.env._(
                        "Service %(service)s cannot depend on itself.",
                        service=service.display_name,
                    )
                )
        if self._has_cycle("dependency_ids"):
            raise ValidationError(
                self.env._(
                    "These dependencies would form a cycle: a service would end "
                    "up depending on itself through other services. Remove one "
                    "of the dependencies of %(services)s.",
                    services=", ".join(self.mapped("display_name")),
                )
            )

    @api.constrains("owner_id")
    def _check_owner_is_service_owner(self):
        for service in self:
            owner = service.owner_id
            if owner and not owner.has_group("slm_catalogue.group_slm_service_owner"):
                raise ValidationError(
                    self.env._(
                        "%(user)s cannot own service %(service)s: a service owner "
                        "must belong to the Service Owner group (Settings > Users).",
                        user=owner.name,
                        service=service.display_name,
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
        for vals in vals_list:
            if vals.get("code"):
                vals["code"] = vals["code"].strip()
            state = vals.get("state")
            today = fields.Date.context_today(self)
            if state in ("live", "retired") and not vals.get("live_date"):
                vals["live_date"] = today
            if state == "retired" and not vals.get("retired_date"):
                vals["retired_date"] = today
        services = super().create(vals_list)
        self.env.registry.clear_cache()  # the links (_slm_ticket_map)
        if any(MAPPING_FIELDS.intersection(vals) for vals in vals_list):
            self.env["helpdesk.ticket"].sudo()._slm_assign_missing_services()
        return services

    def write(self, vals):
        self._slm_check_values(vals)  # wrong values first (catalogue rule)
        if vals.get("code"):
            vals["code"] = vals["code"].strip()
        log_vals = self._prepare_lifecycle_change(vals) if "state" in vals else []
        res = super().write(vals)
        if log_vals:
            self.env["slm.service.lifecycle.log"].create(log_vals)
        if MAPPING_FIELDS.intersection(vals):
            self.env.registry.clear_cache()  # the links (_slm_ticket_map)
            self.env["helpdesk.ticket"].sudo()._slm_assign_missing_services()
        return res

    def unlink(self):
        self.env.registry.clear_cache()  # the links (_slm_ticket_map)
        return super().unlink()

    def _prepare_lifecycle_change(self, vals):
        """Check a lifecycle change, date it in ``vals``, return its log entries.

        A step back (e.g. live to pipeline) needs a reason, given by the
        lifecycle wizard in the context: the history must say why.
        """
        new_state = vals["state"]
        reason = (self.env.context.get("slm_lifecycle_reason") or "").strip()
        moved = self.filtered(lambda s: s.state != new_state)
        backwards = moved.filtered(
            lambda s: LIFECYCLE_RANK[new_state] < LIFECYCLE_RANK[s.state]
        )
        if backwards and not reason:
            raise UserError(
                self.env._(
                    "Moving %(services)s back to %(state)s needs a reason: use "
                    "the Step Back button on the service and explain why.",
                    services=", ".join(backwards.mapped("display_name")),
                    state=dict(LIFECYCLE_STATES)[new_state],
                )
            )
        today = fields.Date.context_today(self)
        if new_state == "live":
            vals.setdefault("live_date", today)
            vals.setdefault("retired_date", False)
        elif new_state == "retired":
            vals.setdefault("retired_date", today)
        elif new_state == "pipeline":
            vals.setdefault("live_date", False)
            vals.setdefault("retired_date", False)
        return [
            {
                "service_id": service.id,
                "from_state": service.state,
                "to_state": new_state,
                "reason": reason or False,
            }
            for service in moved
        ]

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_set_live(self):
        self.write({"state": "live"})

    def action_retire(self):
        self.write({"state": "retired"})

    def action_open_lifecycle_wizard(self):
        """Step a service back on its lifecycle, with a reason."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Change Lifecycle"),
            "res_model": "slm.service.lifecycle.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_service_ids": self.ids},
        }

    def action_mark_reviewed(self):
        """The owner confirms the catalogue entry is true as of today."""
        self.write(
            {
                "last_review_date": fields.Date.context_today(self),
                "review_overdue": False,
            }
        )
        self.activity_feedback(
            ["slm_catalogue.mail_activity_type_catalogue_review"],
            feedback=self.env._("Catalogue entry reviewed."),
        )

    def action_view_tickets(self):
        return self._related_action(
            "helpdesk_mgmt.helpdesk_ticket_action",
            [("service_id", "=", self.id)],
            {"default_service_id": self.id},
        )

    def action_view_customers(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Customers of %s", self.display_name),
            "res_model": "res.partner",
            "view_mode": "kanban,list,form",
            "domain": [("id", "in", self.customer_ids.ids)],
        }

    def action_report_discrepancy(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Report a Discrepancy"),
            "res_model": "slm.catalogue.discrepancy",
            "view_mode": "form",
            "target": "new",
            "context": {"default_service_id": self.id},
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    @api.model
    def _cron_flag_unreviewed_services(self, batch_size=100, limit=None):
        """Flag catalogue entries not reviewed within each company's interval.

        Safe to run twice: a service already flagged is left alone, so its owner
        gets one review activity, not one per run. Batched (``ir.cron``
        ``_slm_run_batches``): one service that cannot be flagged (e.g. its
        owner was archived) is logged and skipped.
        """
        today = fields.Date.context_today(self)
        stale = self.browse()
        for company in self.env["res.company"].sudo().search([]):
            cutoff = today - relativedelta(months=company.slm_review_interval_months)
            scope = [("company_id", "=", company.id), ("state", "!=", "retired")]
            stale |= self.search(
                scope
                + [
                    ("review_overdue", "=", False),
                    "|",
                    ("last_review_date", "<", cutoff),
                    "&",
                    ("last_review_date", "=", False),
                    ("pipeline_date", "<", cutoff),
                ]
            )
            # Entries reviewed since (or a longer interval): no longer overdue.
            fresh = self.search(
                scope
                + [
                    ("review_overdue", "=", True),
                    "|",
                    ("last_review_date", ">=", cutoff),
                    "&",
                    ("last_review_date", "=", False),
                    ("pipeline_date", ">=", cutoff),
                ]
            )
            fresh.write({"review_overdue": False})
        self.env["ir.cron"]._slm_run_batches(
            stale,
            lambda services: services._flag_unreviewed(),
            batch_size=batch_size,
            limit=limit,
        )

    def _flag_unreviewed(self):
        self.write({"review_overdue": True})
        for service in self:
            service.activity_schedule(
                "slm_catalogue.mail_activity_type_catalogue_review",
                user_id=service.owner_id.id,
                note=self.env._(
                    "This catalogue entry has not been reviewed for "
                    "%(months)s months. Check owner, customers, "
                    "dependencies, support hours and helpdesk links, "
                    "then mark it reviewed.",
                    months=service.company_id.slm_review_interval_months,
                ),
            )

    @api.model
    def _find_for_tickets(self, tickets):
        """Return {ticket: service} for the tickets whose service the catalogue decides.

        The nearest helpdesk category (the ticket's own, then its parents) linked
        to services decides; when it is linked to several, the ticket's team
        narrows the choice. Without a category link, a team linked to exactly
        one service decides. Retired and archived services are never chosen.
        The links come from the registry's cache (``_slm_ticket_map``): no
        query per ticket, however large the catalogue.
        """
        by_category, by_team = self._slm_ticket_map()
        found = {}
        for ticket in tickets:
            company_id = (ticket.company_id or self.env.company).id

            def of_company(entries, company_id=company_id):
                return [sid for sid, cid in entries if cid == company_id]

            team_services = of_company(by_team.get(ticket.team_id.id, ()))
            candidates = []
            if ticket.category_id.parent_path:
                ancestor_ids = [
                    int(cid) for cid in ticket.category_id.parent_path.split("/") if cid
                ]
                for category_id in reversed(ancestor_ids):
                    candidates = of_company(by_category.get(category_id, ()))
                    if candidates:
                        break
            if len(candidates) > 1:
                candidates = [sid for sid in candidates if sid in team_services]
            elif not candidates:
                candidates = team_services
            if len(set(candidates)) == 1:
                found[ticket] = self.browse(candidates[0])
        return found

    @api.model
    @tools.ormcache()
    def _slm_ticket_map(self):
        """({category id: ((service id, company id), ...)}, the same by team):
        the helpdesk links of the services a ticket may be about (not retired,
        not archived), kept in the registry's cache; cleared when a service
        is created or deleted or its links, state, activity or company change
        (``MAPPING_FIELDS``)."""
        by_category, by_team = defaultdict(list), defaultdict(list)
        for service in self.sudo().search([("state", "!=", "retired")]):
            entry = (service.id, service.company_id.id)
            for category in service.helpdesk_category_ids:
                by_category[category.id].append(entry)
            for team in service.helpdesk_team_ids:
                by_team[team.id].append(entry)
        return (
            {key: tuple(entries) for key, entries in by_category.items()},
            {key: tuple(entries) for key, entries in by_team.items()},
        )
