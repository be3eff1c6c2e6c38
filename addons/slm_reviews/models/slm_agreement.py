# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import datetime, time, timedelta

import psycopg2
import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import mute_logger

_logger = logging.getLogger(__name__)

# Months per review period; periods are calendar months, quarters, halves and
# years, so that a quarterly review covers Jan-Mar, Apr-Jun...
FREQUENCY_MONTHS = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}
# Reviews not yet held: an agreement has at most one of these planned ahead.
AHEAD_STATES = ("planned", "agenda_ready")
# When the planned meetings start, in the chair's time zone.
MEETING_HOUR = 10


def period_of(day, frequency):
    """(first day, last day) of the calendar period of ``frequency`` holding
    ``day``."""
    months = FREQUENCY_MONTHS[frequency]
    first_month = (day.month - 1) // months * months + 1
    start = day.replace(month=first_month, day=1)
    return start, start + relativedelta(months=months, days=-1)


class SlmAgreement(models.Model):
    _inherit = "slm.agreement"

    review_frequency = fields.Selection(
        [
            ("monthly", "Monthly"),
            ("quarterly", "Quarterly"),
            ("half_yearly", "Half-yearly"),
            ("yearly", "Yearly"),
        ],
        tracking=True,
        help="How often the agreement is reviewed with the other party, over "
        "calendar periods (months, quarters, half-years, years). A daily "
        "scheduled action plans the review of each period, the first working "
        "day after it ends, with the Service Level Manager as chair and the "
        "customer contact as attendee. Empty: reviews are planned by hand.",
    )
    review_ids = fields.Many2many(
        "slm.review",
        "slm_review_agreement_rel",
        "agreement_id",
        "review_id",
        string="Reviews",
        readonly=True,
    )
    review_count = fields.Integer(
        compute="_compute_review_count", groups="slm_catalogue.group_slm_user"
    )
    statement_ids = fields.One2many(
        "slm.service.statement", "agreement_id", string="Monthly Statements"
    )

    def _compute_review_count(self):
        counts = self._related_counts("slm.review", "agreement_ids")
        for agreement in self:
            agreement.review_count = counts.get(agreement, 0)

    def action_view_reviews(self):
        return self._related_action(
            "slm_reviews.slm_review_action_window",
            domain=[("agreement_ids", "in", self.ids)],
            context={
                "default_agreement_ids": [(6, 0, self.ids)],
                "default_partner_id": self.partner_id.id,
            },
        )

    # ------------------------------------------------------------------
    # Planning reviews
    # ------------------------------------------------------------------

    @api.model
    def _cron_plan_reviews(self):
        """Scheduled action: plan the next review of each agreement that has a
        review frequency.

        For agreed agreements in force, without a review planned ahead: the
        review of the current period (the next one if the current one is
        reviewed already), met the first working day after the period ends.
        Safe to run twice. Batched (``ir.cron._slm_run_batches``); the
        reviews of a batch are created at once, and if that fails one
        agreement at a time, so that one faulty agreement is logged and
        skipped.
        """
        today = fields.Date.context_today(self)
        agreements = self.sudo().search(
            [
                ("review_frequency", "!=", False),
                ("state", "=", "agreed"),
                ("date_start", "<=", today),
            ]
        )
        planned = self.env["ir.cron"]._slm_run_batches(
            agreements,
            lambda batch: self._plan_reviews(batch._next_review_values(today)),
        )
        return planned or self.env["slm.review"]

    @api.model
    def _plan_reviews(self, vals_list):
        """Create the reviews ``{agreement id: values}`` planned by the
        scheduled action. A review another run planned meanwhile (same
        agreement and period: ``planning_key`` is unique) is skipped."""
        planned = self.env["slm.review"]
        if not vals_list:
            return planned
        Review = self.env["slm.review"].sudo().with_context(mail_create_nolog=True)
        try:
            with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                planned = Review.create(list(vals_list.values()))
        except Exception:  # pylint: disable=broad-except
            _logger.info("Planning reviews: a batch failed, one agreement at a time")
            for agreement_id, vals in vals_list.items():
                try:
                    with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                        planned |= Review.create(vals)
                except psycopg2.errors.UniqueViolation:
                    _logger.info(
                        "Review of agreement %s already planned by another run",
                        agreement_id,
                    )
                except Exception:  # pylint: disable=broad-except
                    _logger.exception(
                        "Could not plan the review of agreement %s", agreement_id
                    )
        for review in planned:
            review.message_post(
                body=self.env._(
                    "Planned by the scheduled action from the review frequency of "
                    "%(agreement)s.",
                    agreement=", ".join(review.agreement_ids.mapped("display_name")),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return planned

    def _next_review_values(self, today):
        """{agreement id: values of its next review}, for those that need one.

        Two searches for the whole batch: the reviews not yet held, and the
        last period reviewed per agreement.
        """
        Review = self.env["slm.review"].sudo()
        ahead = Review.search(
            [("agreement_ids", "in", self.ids), ("state", "in", AHEAD_STATES)]
        )
        busy = set(ahead.agreement_ids.ids)
        last_end = {}
        for agreement, period_end in Review._read_group(
            [("agreement_ids", "in", self.ids)],
            ["agreement_ids"],
            ["period_end:max"],
        ):
            last_end[agreement.id] = period_end
        result = {}
        for agreement in self:
            if agreement.id in busy:
                continue
            try:
                vals = agreement._review_values(today, last_end.get(agreement.id))
            except Exception:  # pylint: disable=broad-except
                _logger.exception(
                    "Could not plan the review of agreement %s (id %s)",
                    agreement.display_name,
                    agreement.id,
                )
                continue
            if vals:
                result[agreement.id] = vals
        return result

    def _review_values(self, today, last_end):
        """Values of the next review, or None when the agreement ends first."""
        self.ensure_one()
        start, end = period_of(today, self.review_frequency)
        if last_end and last_end >= end:
            # The current period is reviewed already: the next one.
            start, end = period_of(last_end + timedelta(days=1), self.review_frequency)
        if self.date_end and start > self.date_end:
            return None
        chair = self.provider_user_id
        return {
            "kind": "service",
            "agreement_ids": [(6, 0, self.ids)],
            "partner_id": self.partner_id.id,
            "period_start": start,
            "period_end": end,
            "date": self._meeting_moment(end + timedelta(days=1), chair),
            "chair_id": chair.id,
            "attendee_partner_ids": [(6, 0, self.customer_contact_id.ids)],
            "company_id": self.company_id.id,
            "planning_key": f"{self.id}/{start}",
        }

    @api.model
    def _meeting_moment(self, day, chair):
        """MEETING_HOUR on the first working day (Monday to Friday) from
        ``day``, in the chair's time zone, as naive UTC."""
        while day.weekday() >= 5:
            day += timedelta(days=1)
        tz = pytz.timezone(chair.tz or self.env.user.tz or "UTC")
        local = tz.localize(datetime.combine(day, time(MEETING_HOUR)))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    statement_count = fields.Integer(
        string="Monthly Statements Count", compute="_compute_statement_count"
    )

    def _compute_statement_count(self):
        Statement = self.env["slm.service.statement"]
        counts = {}
        # Helpdesk agents read agreements (their tickets' targets), not statements.
        if Statement.has_access("read"):
            counts = self._related_counts("slm.service.statement")
        for agreement in self:
            agreement.statement_count = counts.get(agreement, 0)

    def action_view_statements(self):
        return self._related_action(
            "slm_reviews.slm_service_statement_action",
            context={"default_agreement_id": self.id},
        )
