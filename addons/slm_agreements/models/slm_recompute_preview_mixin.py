# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class SlmRecomputePreviewMixin(models.AbstractModel):
    """A row of a recomputation's preview (recomputation rule 2): a clock
    (``slm.recompute.line``) or a month (``slm.recompute.month``) as measured
    and as recomputed. Written by the preview only, gone with its run."""

    _name = "slm.recompute.preview.mixin"
    _inherit = ["slm.system.data.mixin"]
    _description = "Row of a Recomputation's Preview"

    run_id = fields.Many2one(
        "slm.recompute",
        string="Recomputation",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="run_id.company_id", store=True, index=True)

    def _system_data_error(self):
        return self.env._(
            "The preview of a recomputation is computed by the application "
            "(Preview); it cannot be written by hand."
        )
