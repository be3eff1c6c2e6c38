# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, time, timedelta

from odoo import api, fields, models

# Reviews shown this many days ahead of their meeting.
REVIEW_HORIZON_DAYS = 14


class SlmOverview(models.AbstractModel):
    _inherit = "slm.overview"

    @api.model
    def _overview_data(self):
        """Reviews to hold, agreements due for a review, improvement plans
        past their target date."""
        data = super()._overview_data()
        today = fields.Date.context_today(self)
        # Meetings until the end of the horizon's day (UTC, as stored).
        until = fields.Datetime.to_string(
            datetime.combine(today + timedelta(days=REVIEW_HORIZON_DAYS + 1), time())
        )
        today = fields.Date.to_string(today)
        self._overview_section(
            data,
            "reviews",
            self.env._("Reviews and improvement"),
            50,
            [
                self._overview_item(
                    "reviews_due",
                    self.env._(
                        "Reviews to hold within %(days)s days",
                        days=REVIEW_HORIZON_DAYS,
                    ),
                    "slm.review",
                    [
                        ("state", "in", ("planned", "agenda_ready")),
                        ("date", "<", until),
                    ],
                    "info",
                ),
                self._overview_item(
                    "agreements_review_due",
                    self.env._("Agreements due for a review"),
                    "slm.agreement",
                    # The agreements' "Review Due" filter.
                    [("state", "=", "agreed"), ("next_review_date", "<=", today)],
                    "warning",
                ),
                self._overview_item(
                    "plans_overdue",
                    self.env._("Improvement plans overdue"),
                    "slm.improvement.plan",
                    [("state", "=", "active"), ("date_target", "<", today)],
                    "danger",
                ),
                self._overview_item(
                    "review_actions_overdue",
                    self.env._("Review actions overdue"),
                    "slm.review.action",
                    [("is_overdue", "=", True)],
                    "warning",
                ),
            ],
        )
        return data
