# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models

# Renewals shown this many days ahead (the Renewals list's "within 90 days").
RENEWAL_HORIZON_DAYS = 90


class SlmOverview(models.AbstractModel):
    _inherit = "slm.overview"

    @api.model
    def _overview_data(self):
        """Contracts whose notice deadline is near or passed, renewals ahead
        (the same domains as the Renewals list's filters)."""
        data = super()._overview_data()
        today = fields.Date.context_today(self)
        horizon = fields.Date.to_string(today + timedelta(days=RENEWAL_HORIZON_DAYS))
        today = fields.Date.to_string(today)
        in_force = [
            ("kind", "=", "uc"),
            ("state", "=", "agreed"),
            ("notice_given_date", "=", False),
        ]
        views = [[False, "list"], [False, "form"]]
        self._overview_section(
            data,
            "suppliers",
            self.env._("Renewals and notice deadlines"),
            60,
            [
                self._overview_item(
                    "uc_notice_passed",
                    self.env._("Notice deadline passed"),
                    "slm.agreement",
                    in_force
                    + [
                        ("notice_deadline", "<", today),
                        ("renewal_due_date", ">=", today),
                    ],
                    "danger",
                    views,
                ),
                self._overview_item(
                    "uc_notice_due",
                    self.env._("Notice to give"),
                    "slm.agreement",
                    in_force
                    + [
                        ("notice_warning_date", "<=", today),
                        ("notice_deadline", ">=", today),
                    ],
                    "warning",
                    views,
                ),
                self._overview_item(
                    "uc_renewal_due",
                    self.env._(
                        "Renewing or ending within %(days)s days",
                        days=RENEWAL_HORIZON_DAYS,
                    ),
                    "slm.agreement",
                    [
                        ("kind", "=", "uc"),
                        ("state", "=", "agreed"),
                        ("renewal_due_date", ">=", today),
                        ("renewal_due_date", "<=", horizon),
                    ],
                    "info",
                    views,
                ),
            ],
        )
        return data
