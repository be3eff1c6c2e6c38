# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.exceptions import AccessError


class SlmSystemDataMixin(models.AbstractModel):
    """Measurement written by the suite's own code only (access rule 1).

    The suite writes these records as superuser (``sudo()`` inside its
    methods); whatever the access rights say, a person or an API call cannot
    create, change or delete one. Each model says why in its own words
    (``_system_data_error``).
    """

    _name = "slm.system.data.mixin"
    _description = "SLM Measurement Written by the Suite Only"

    @api.model_create_multi
    def create(self, vals_list):
        self._check_system_data()
        return super().create(vals_list)

    def write(self, vals):
        self._check_system_data()
        return super().write(vals)

    def unlink(self):
        self._check_system_data()
        return super().unlink()

    def _check_system_data(self):
        if not self.env.su:
            raise AccessError(self._system_data_error())

    def _system_data_error(self):
        """Hook: the refusal, in the user's words, for this kind of record."""
        return self.env._("These records are written by the application only.")
