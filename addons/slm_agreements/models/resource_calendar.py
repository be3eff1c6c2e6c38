# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models, tools
from odoo.exceptions import UserError, ValidationError

from ..tools.business_time import BusinessTime


class ResourceCalendar(models.Model):
    """Working calendars used by targets are settings of agreements: the ones
    that would stop their clocks are refused (fail-soft rules 3 to 5)."""

    _inherit = "resource.calendar"

    def _slm_horizon_hours(self, days):
        """Working hours of this calendar in the coming ``days`` days (its
        attendances in its time zone, minus leaves and public holidays)."""
        self.ensure_one()
        start = datetime.combine(fields.Date.today(), time())
        try:
            seconds = BusinessTime.for_calendar(self).elapsed(
                start, start + timedelta(days=days)
            )
        except (ValueError, OverflowError, LookupError):
            return 0.0
        return seconds / 3600

    @api.model
    @tools.ormcache(
        "calendar_id", "tz", "company_id", "zone", "holidays_id", "replace", "block"
    )
    def _slm_business_block(
        self, calendar_id, tz, company_id, zone, holidays_id, replace, block
    ):
        """The working intervals of one block of a calendar used in a company,
        read in ``zone`` with the holidays of ``holidays_id``
        (``BusinessTime.block_intervals``), kept in the registry's cache for
        the clocks (clock rule 5, customer calendar rules 1 and 3). The
        calendar's time zone is part of the key; any change to a calendar
        (its ``write``), to its attendances or to leaves clears the cache."""
        env = self.env(su=True, context={})
        Calendar = env["resource.calendar"]
        return BusinessTime.block_intervals(
            Calendar.browse(calendar_id),
            env["res.company"].browse(company_id),
            block,
            tz=zone,
            holidays=Calendar.browse(holidays_id),
            replace=replace,
        )

    def _slm_targets(self, agreed_only=False):
        domain = [
            ("calendar_id", "in", self.ids),
            ("around_the_clock", "=", False),
        ]
        if agreed_only:
            domain.append(("agreement_id.state", "=", "agreed"))
        return self.env["slm.target"].sudo().search(domain)

    @api.constrains("tz")
    def _check_slm_tz(self):
        """Fail-soft rule 4: a calendar used by a target has a known time zone."""
        for calendar in self:
            if calendar.tz and calendar.tz not in pytz.all_timezones_set:
                targets = calendar._slm_targets()
                if targets:
                    raise ValidationError(
                        self.env._(
                            "The time zone %(tz)s of %(calendar)s is unknown, and "
                            "targets count its working hours (%(targets)s): "
                            "choose a time zone of the list, e.g. Europe/Brussels.",
                            tz=calendar.tz,
                            calendar=calendar.name,
                            targets=", ".join(targets[:5].mapped("display_name")),
                        )
                    )

    @api.constrains("attendance_ids", "flexible_hours", "tz")
    def _check_slm_working_time(self):
        self._slm_check_agreed_targets()

    def _slm_check_agreed_targets(self):
        """Fail-soft rule 5: a calendar used by a target of an agreed agreement
        keeps fixed working hours enough for its threshold."""
        cache = {}
        for calendar in self.exists():
            targets = calendar._slm_targets(agreed_only=True)
            if not targets:
                continue
            working = calendar.attendance_ids.filtered(lambda a: not a.display_type)
            if calendar.flexible_hours or not working:
                raise ValidationError(
                    self.env._(
                        "%(calendar)s is the working calendar of targets of agreed "
                        "agreements (%(targets)s): it must keep fixed working "
                        "hours, else their clocks could never count time. Give "
                        "those targets another calendar with a new revision "
                        "first.",
                        calendar=calendar.name,
                        targets=", ".join(targets[:5].mapped("display_name")),
                    )
                )
            for target in targets:
                error = target._slm_setting_error(cache)
                if error:
                    raise ValidationError(
                        self.env._(
                            "%(calendar)s cannot be changed so: %(error)s",
                            calendar=calendar.name,
                            error=error,
                        )
                    )

    def write(self, vals):
        # Attendances changed through the calendar are checked once, on the
        # final calendar (a form replaces them by deleting then creating).
        # (A mark of this transaction's cursor: no caller can set it.)
        marks = self.env.cr.cache
        self.env.registry.clear_cache()  # the clocks' working time (blocks)
        depth = marks.get("slm_calendar_writes", 0)
        marks["slm_calendar_writes"] = depth + 1
        try:
            return super().write(vals)
        finally:
            marks["slm_calendar_writes"] = depth

    @api.ondelete(at_uninstall=False)
    def _unlink_except_slm_targets(self):
        """Fail-soft rule 6: the calendar of a target is never deleted."""
        targets = (
            self.env["slm.target"]
            .sudo()
            .with_context(active_test=False)
            .search([("calendar_id", "in", self.ids)])
        )
        if targets:
            raise UserError(
                self.env._(
                    "%(calendars)s cannot be deleted: it is the working calendar "
                    "of targets of %(agreements)s, whose clocks count its hours. "
                    "Archive it instead, or give those targets another calendar "
                    "first (a new revision for agreed agreements).",
                    calendars=", ".join(targets.calendar_id.mapped("name")),
                    agreements=", ".join(
                        targets.agreement_id[:5].mapped("display_name")
                    ),
                )
            )
