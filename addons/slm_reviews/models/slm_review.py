# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class SlmReview(models.Model):
    """A service review meeting: its scope and period, the agenda generated from
    Odoo records, and the minutes, frozen once sent.

    ``snapshot`` holds the figures of the agenda/minutes as JSON (a dict), so
    that the minutes, the PDF and the XLSX never recompute them later:

    {"period": {"start": "2026-10-01", "end": "2026-10-31"},
     "generated_at": "2026-11-03 09:00:00",
     "months": ["2026-05-01", ..., "2026-10-01"],          # trend months, last = period
     "targets": [{"target_id", "agreement", "name", "metric", "objective",
                  "measured", "met", "breached", "excused", "attainment" (or null),
                  "achieved", "trend": [{"month", "attainment" (or null)}]}],
     "breaches": [{"breach_id", "ticket", "target", "cause", "late_hours",
                   "excused", "state"}],
     "availability": [{"target", "agreement", "service", "month",
                       "availability", "objective", "status"}],
     "targets_to_revisit": [{"target", "reason": "missed"|"over_achieved",
                             "detail"}],
     "underpinning": [{"sla_target", "target", "kind", "agreement", "objective",
                       "attainment", "achieved"}],
     "alignment_gaps": [{"sla_target", "issue_type", "explanation"}],
     "adjustments": [{"name", "kind", "agreement", "start", "end", "state"}],
     "complaints": [{"ticket", "customer", "date", "subject"}],
     "open_actions": [{"action_id", "name", "owner", "due_date", "state",
                       "origin"}]}
    """

    _name = "slm.review"
    _description = "Service Review"
    _inherit = ["mail.thread", "mail.activity.mixin", "portal.mixin"]
    _order = "date desc, id desc"

    name = fields.Char(required=True, tracking=True)
    kind = fields.Selection(
        [("service", "Service Review"), ("process", "Annual SLM Process Review")],
        required=True,
        default="service",
        help="Service Review: with a customer, about its agreements. Annual SLM "
        "Process Review: the Process Owner's yearly review of the process itself.",
    )
    state = fields.Selection(
        [
            ("planned", "Planned"),
            ("agenda_ready", "Agenda Ready"),
            ("held", "Held"),
            ("minutes_sent", "Minutes Sent"),
            ("closed", "Closed"),
        ],
        default="planned",
        required=True,
        tracking=True,
        index=True,
        copy=False,
    )
    agreement_ids = fields.Many2many(
        "slm.agreement",
        "slm_review_agreement_rel",
        "review_id",
        "agreement_id",
        string="Agreements",
        help="The agreements reviewed.",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        index=True,
        domain=[("parent_id", "=", False)],
        help="The customer the review is held with.",
    )
    service_ids = fields.Many2many(
        "slm.service",
        "slm_review_service_rel",
        "review_id",
        "service_id",
        string="Services",
        help="Services reviewed. Empty: those of the agreements.",
    )
    period_start = fields.Date(required=True, help="First day of the period reviewed.")
    period_end = fields.Date(required=True, help="Last day of the period reviewed.")
    date = fields.Datetime(string="Meeting Date", help="When the meeting is held.")
    chair_id = fields.Many2one(
        "res.users",
        string="Chair",
        default=lambda self: self.env.user,
        tracking=True,
        help="Who chairs the meeting, records decisions and sends the minutes.",
    )
    attendee_partner_ids = fields.Many2many(
        "res.partner",
        "slm_review_attendee_partner_rel",
        "review_id",
        "partner_id",
        string="Customer Attendees",
        help="The customer's contacts at the meeting: they receive the minutes.",
    )
    attendee_user_ids = fields.Many2many(
        "res.users",
        "slm_review_attendee_user_rel",
        "review_id",
        "user_id",
        string="Internal Attendees",
    )
    calendar_event_id = fields.Many2one(
        "calendar.event", string="Meeting", copy=False, ondelete="set null"
    )
    agenda = fields.Html(
        help="Generated from the records when the agenda is prepared.",
        sanitize_style=True,
    )
    decisions = fields.Html(help="What the meeting decided, recorded by the chair.")
    minutes = fields.Html(
        help="Generated from the agenda and the decisions; frozen once sent.",
        sanitize_style=True,
    )
    snapshot = fields.Json(
        copy=False,
        help="The figures of the agenda and minutes, as they were when generated.",
    )
    minutes_sent_date = fields.Datetime(readonly=True, copy=False)
    action_ids = fields.One2many("slm.review.action", "review_id", string="New Actions")
    carried_action_ids = fields.Many2many(
        "slm.review.action",
        "slm_review_carried_action_rel",
        "review_id",
        "action_id",
        string="Open Actions from Earlier Reviews",
    )
    statement_ids = fields.Many2many(
        "slm.service.statement",
        "slm_review_statement_rel",
        "review_id",
        "statement_id",
        string="Monthly Statements",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
