# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class ResourceCalendarAttendance(models.Model):
    """Working hours changed one by one are checked like a calendar's
    (fail-soft rule 5)."""

    _inherit = "resource.calendar.attendance"

    def _slm_check_calendars(self, calendars):
        self.env.registry.clear_cache()  # the working time of the clocks
        if self.env.cr.cache.get("slm_calendar_writes"):
            return  # checked by the calendar's write, on its final state
        calendars._slm_check_agreed_targets()

    @api.model_create_multi
    def create(self, vals_list):
        attendances = super().create(vals_list)
        self._slm_check_calendars(attendances.calendar_id)
        return attendances

    def write(self, vals):
        calendars = self.calendar_id
        result = super().write(vals)
        self._slm_check_calendars(calendars | self.calendar_id)
        return result

    def unlink(self):
        calendars = self.calendar_id
        result = super().unlink()
        self._slm_check_calendars(calendars)
        return result
