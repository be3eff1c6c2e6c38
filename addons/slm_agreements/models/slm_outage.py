# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from ..tools.periods import months_between

_logger = logging.getLogger(__name__)

# Changes that move the availability figures.
FIGURE_FIELDS = {
    "service_id",
    "impacted_service_ids",
    "date_start",
    "date_end",
    "active",
}
# What a helpdesk agent may change on an outage they recorded (record rules:
# ongoing ones only): its end, its description and its ticket.
AGENT_FIELDS = {"date_end", "description", "ticket_id"}


class SlmOutage(models.Model):
    """A time during which a service was (or will be) down, e.g. a major
    incident or planned work. Availability (clock rule 9) is measured from
    these records."""

    _name = "slm.outage"
    _description = "Service Outage"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Summary",
        required=True,
        tracking=True,
        help="What happened, or what work is planned, in a few words.",
    )
    active = fields.Boolean(
        default=True,
        tracking=True,
        help="An archived outage (e.g. recorded by mistake) no longer counts.",
    )
    service_id = fields.Many2one(
        "slm.service",
        string="Service",
        required=True,
        index=True,
        tracking=True,
        ondelete="restrict",
        help="The service that is down.",
    )
    company_id = fields.Many2one(
        related="service_id.company_id", store=True, index=True, precompute=True
    )
    kind = fields.Selection(
        [("unplanned", "Unplanned"), ("planned", "Planned")],
        required=True,
        default="unplanned",
        tracking=True,
        index=True,
        help="Unplanned: an incident. Planned: work announced in advance. Both "
        "count as downtime, except the time inside a maintenance window agreed "
        "with the customer, which is not agreed service time.",
    )
    date_start = fields.Datetime(
        string="Start",
        required=True,
        index=True,
        tracking=True,
        default=fields.Datetime.now,
        help="When the service went (or will go) down.",
    )
    date_end = fields.Datetime(
        string="End",
        index=True,
        tracking=True,
        help="When the service was back. Empty: still down; the outage counts "
        "until now.",
    )
    ongoing = fields.Boolean(
        compute="_compute_ongoing",
        search="_search_ongoing",
        help="The service is down now: the outage has started and has no end yet.",
    )
    duration_hours = fields.Float(
        string="Duration (h)",
        compute="_compute_duration_hours",
        help="Real time from start to end (to now while it goes on), in hours. "
        "Only the part inside agreed service time counts as downtime.",
    )
    ticket_id = fields.Many2one(
        "helpdesk.ticket",
        string="Ticket",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        ondelete="set null",
        help="The incident or change ticket that records this outage.",
    )
    description = fields.Html(
        help="Cause, impact on users, and what was done to restore the service."
    )
    impacted_service_ids = fields.Many2many(
        "slm.service",
        "slm_outage_impacted_service_rel",
        "outage_id",
        "service_id",
        string="Impacted Services",
        compute="_compute_impacted_service_ids",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        help="The service and every service that depends on it, directly or "
        "through others, as the catalogue says when the service is chosen. "
        "Remove a service that did not go down (e.g. it has a redundant "
        "path); the outage counts against the agreements covering these.",
    )
    impacted_count = fields.Integer(compute="_compute_impacted_count")

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("service_id")
    def _compute_impacted_service_ids(self):
        # Set once from the dependencies known today: a later change of the
        # catalogue does not rewrite the impact of past outages.
        impacted = self.env["slm.service"]._slm_with_dependents(self.service_id)
        for outage in self:
            outage.impacted_service_ids = impacted.get(
                outage.service_id.id, self.env["slm.service"]
            )

    @api.depends("impacted_service_ids")
    def _compute_impacted_count(self):
        for outage in self:
            outage.impacted_count = len(outage.impacted_service_ids)

    @api.depends("date_start", "date_end")
    def _compute_ongoing(self):
        now = fields.Datetime.now()
        for outage in self:
            outage.ongoing = bool(
                outage.date_start and outage.date_start <= now and not outage.date_end
            )

    def _search_ongoing(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(self.env._("Unsupported search on Ongoing."))
        now = fields.Datetime.now()
        domain = [("date_start", "<=", now), ("date_end", "=", False)]
        if (operator == "=") == value:
            return domain
        return ["!", "&", *domain]

    @api.depends("date_start", "date_end")
    def _compute_duration_hours(self):
        now = fields.Datetime.now()
        for outage in self:
            end = outage.date_end or max(now, outage.date_start or now)
            outage.duration_hours = (
                (end - outage.date_start).total_seconds() / 3600
                if outage.date_start
                else 0.0
            )

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for outage in self:
            error = outage._date_error(outage.date_start, outage.date_end)
            if error:
                raise ValidationError(error)

    def _date_error(self, start, end):
        if not (start and end) or end > start:
            return None
        return self.env._(
            "The outage %(outage)s would end on %(end)s, at or before it starts "
            "on %(start)s: correct the end, or leave it empty while the service "
            "is still down.",
            outage=self.name or "",
            end=end,
            start=start,
        )

    @api.constrains("service_id", "impacted_service_ids")
    def _check_service_impacted(self):
        for outage in self:
            if outage.service_id not in outage.impacted_service_ids:
                raise ValidationError(
                    self.env._(
                        "The outage %(outage)s is on %(service)s: that service is "
                        "always among the impacted services.",
                        outage=outage.name,
                        service=outage.service_id.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD: the availability figures follow the outages
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # Wrong values first, in the user's words (catalogue rule).
        for vals in vals_list:
            self.browse()._slm_check_values(vals, "create")
        for vals in vals_list:
            # Checked before anything is written, with the same message.
            start, end = vals.get("date_start"), vals.get("date_end")
            if start and end:
                error = self._date_error(
                    fields.Datetime.to_datetime(start),
                    fields.Datetime.to_datetime(end),
                )
                if error:
                    raise ValidationError(error)
        outages = super().create(vals_list)
        outages._refresh_availability(outages._months())
        return outages

    def write(self, vals):
        self._check_agent_write(vals)
        refresh = bool(FIGURE_FIELDS.intersection(vals))
        months = self._months() if refresh else set()
        res = super().write(vals)
        if refresh:
            self._refresh_availability(months | self._months())
        return res

    def _check_agent_write(self, vals):
        """Helpdesk agents record outages and end those they recorded (the
        record rules say which); changing what was recorded, or archiving an
        outage, is for the owner of the service and the Service Level
        Managers (access rule 4)."""
        user = self.env.user
        if self.env.su or user.has_group("slm_catalogue.group_slm_manager"):
            return
        not_owned = self
        if user.has_group("slm_catalogue.group_slm_service_owner"):
            not_owned = self.filtered(lambda o: o.service_id.owner_id != user)
        changed = set(vals) - AGENT_FIELDS
        if not_owned and changed:
            raise AccessError(
                self.env._(
                    "Only the owner of the service or a Service Level Manager can "
                    "change or archive an outage (%(fields)s); you can end an "
                    "ongoing outage you recorded (Service Restored) and describe it.",
                    fields=", ".join(
                        self._fields[name].string
                        for name in sorted(changed)
                        if name in self._fields
                    ),
                )
            )

    def unlink(self):
        months = self._months()
        res = super().unlink()
        self._refresh_availability(months)
        return res

    def _months(self):
        """First days of the months these outages touch (with a day of margin
        on each side: a month is reckoned in the time zone of each target)."""
        now = fields.Datetime.now()
        months = set()
        for outage in self.filtered("date_start"):
            end = outage.date_end or max(now, outage.date_start)
            first = (outage.date_start - relativedelta(days=1)).date()
            months.update(months_between(first, (end + relativedelta(days=1)).date()))
        return months

    def _refresh_availability(self, months):
        """Recompute the figures of these months now. Recording an outage never
        fails because of them: on error, the hourly refresh catches up."""
        if not months:
            return
        try:
            with self.env.cr.savepoint():
                self.env["slm.availability"].sudo()._refresh(months)
        except Exception:
            _logger.exception(
                "Availability figures of %s not refreshed; the scheduled action "
                "will catch up.",
                ", ".join(sorted(m.strftime("%Y-%m") for m in months)),
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_end_now(self):
        """The service is back: the outage ends now."""
        self.filtered(lambda o: not o.date_end).write(
            {"date_end": fields.Datetime.now()}
        )

    def action_change_impact(self):
        """Which agreements and customers this work affects, and the
        availability it leaves them (for planned work)."""
        self.ensure_one()
        wizard = self.env["slm.change.impact.wizard"].create(
            {
                "outage_id": self.id,
                "service_id": self.service_id.id,
                "date_start": self.date_start,
                "date_end": self.date_end or fields.Datetime.now(),
            }
        )
        return wizard.action_assess()

    def action_view_impacted_services(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Impacted Services"),
            "res_model": "slm.service",
            "view_mode": "list,form",
            "domain": [("id", "in", self.impacted_service_ids.ids)],
        }
