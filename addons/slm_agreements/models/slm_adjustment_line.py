# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SlmAdjustmentLine(models.Model):
    """The threshold of one target during a reduced service: it applies to the
    tickets created inside the window of its temporary change."""

    _name = "slm.adjustment.line"
    _description = "Reduced Service Threshold"
    _order = "adjustment_id, id"

    adjustment_id = fields.Many2one(
        "slm.adjustment",
        string="Temporary Change",
        required=True,
        index=True,
        ondelete="cascade",
        help="The reduced service this threshold belongs to.",
    )
    target_id = fields.Many2one(
        "slm.target",
        string="Target",
        required=True,
        index=True,
        ondelete="cascade",
        help="A target in force in the agreement (its own, or inherited from a "
        "higher level).",
    )
    threshold_hours = fields.Float(
        string="Threshold in the Window (hours)",
        compute="_compute_threshold_hours",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        help="The time allowed to the tickets created inside the window, in the "
        "target's hours (working hours of its calendar, or 24x7).",
    )
    usual_threshold_hours = fields.Float(
        related="target_id.threshold_hours",
        string="Usual Threshold (hours)",
        help="The target's threshold outside the window.",
    )
    metric = fields.Selection(related="target_id.metric")
    company_id = fields.Many2one(
        related="adjustment_id.company_id", store=True, index=True, precompute=True
    )

    _sql_constraints = [
        (
            "threshold_positive",
            "CHECK(threshold_hours > 0)",
            "A threshold must be more than 0 hours.",
        ),
        (
            "adjustment_target_uniq",
            "unique(adjustment_id, target_id)",
            "A reduced service gives each target one threshold.",
        ),
    ]

    @api.depends("target_id")
    def _compute_threshold_hours(self):
        for line in self:
            if not line.threshold_hours:
                line.threshold_hours = line.target_id.threshold_hours

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("threshold_hours")
    def _check_numbers(self):
        for line in self:
            error = line._threshold_error(line.threshold_hours, line.target_id)
            if error:
                raise ValidationError(error)

    @api.model
    def _threshold_error(self, hours, target):
        if hours is not None and hours is not False and hours <= 0:
            return self.env._(
                "The threshold of %(target)s during a reduced service must be "
                "more than 0 hours (it is %(value)s).",
                target=target.display_name or self.env._("a target"),
                value=hours,
            )
        return None

    @api.constrains("target_id", "adjustment_id")
    def _check_target(self):
        effective = {}
        for line in self:
            adjustment = line.adjustment_id
            agreement = adjustment.agreement_id
            if adjustment.kind != "reduced":
                raise ValidationError(
                    self.env._(
                        "%(name)s: thresholds are changed by a reduced service "
                        "only. Remove the threshold lines, or choose Reduced "
                        "Service.",
                        name=adjustment.name,
                    )
                )
            if agreement.id not in effective:
                effective[agreement.id] = agreement._effective_targets()
            if line.target_id not in effective[agreement.id]:
                raise ValidationError(
                    self.env._(
                        "%(target)s is not a target of %(agreement)s (neither its "
                        "own nor inherited from a higher level): %(name)s can "
                        "change only the thresholds of that agreement.",
                        target=line.target_id.display_name,
                        agreement=agreement.display_name,
                        name=adjustment.name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD: lines change with their temporary change, while it is a draft
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        Target = self.env["slm.target"]
        for vals in vals_list:
            # The database checks it too, with a less helpful message.
            error = self._threshold_error(
                vals.get("threshold_hours"), Target.browse(vals.get("target_id"))
            )
            if error:
                raise ValidationError(error)
        adjustments = self.env["slm.adjustment"].browse(
            {vals["adjustment_id"] for vals in vals_list if vals.get("adjustment_id")}
        )
        adjustments._check_lines_editable()
        return super().create(vals_list)

    def write(self, vals):
        if "threshold_hours" in vals:
            for line in self:
                error = self._threshold_error(vals["threshold_hours"], line.target_id)
                if error:
                    raise ValidationError(error)
        adjustments = self.adjustment_id
        if vals.get("adjustment_id"):
            adjustments |= adjustments.browse(vals["adjustment_id"])
        adjustments._check_lines_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_locked(self):
        self.adjustment_id._check_lines_editable()
