# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models


class SlmServiceStatement(models.Model):
    """What an agreement achieved in one month, issued to the customer and then
    frozen: figures sent to a customer never change afterwards."""

    _name = "slm.service.statement"
    _description = "Monthly Service Statement"
    _inherit = ["mail.thread", "mail.activity.mixin", "portal.mixin"]
    _order = "period_start desc, agreement_id"

    name = fields.Char(required=True, default="/", copy=False)
    agreement_id = fields.Many2one(
        "slm.agreement", required=True, index=True, ondelete="restrict"
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        related="agreement_id.partner_id",
        store=True,
        index=True,
    )
    period_start = fields.Date(
        string="Month", required=True, help="First day of the month reported."
    )
    period_end = fields.Date(help="Last day of the month reported.")
    state = fields.Selection(
        [("draft", "Draft"), ("issued", "Issued")],
        default="draft",
        required=True,
        tracking=True,
        index=True,
        copy=False,
        help="Draft: figures are recomputed on demand. Issued: sent to the "
        "customer and frozen.",
    )
    issued_date = fields.Datetime(readonly=True, copy=False)
    line_ids = fields.One2many(
        "slm.service.statement.line", "statement_id", string="Targets"
    )
    company_id = fields.Many2one(
        related="agreement_id.company_id", store=True, index=True
    )

    _sql_constraints = [
        (
            "agreement_month_uniq",
            "unique(agreement_id, period_start)",
            "An agreement has one statement per month.",
        )
    ]

    @api.model
    def _figures_for(self, agreements, months):
        """Per (target id, month first day): figures for the review and exports.

        ``{(target_id, month): {"measured", "met", "breached", "excused",
        "attainment" (None when nothing measured), "objective", "achieved",
        "source": "statement" | "live"}}``. Issued statements are used as they
        are (frozen); other months are computed from the clocks (brief, rule 8;
        excused breaches apart). Set-based: one read_group for all.
        """
        months = sorted({month.replace(day=1) for month in months})
        result = {}
        if not agreements or not months:
            return result
        issued = self.search(
            [
                ("agreement_id", "in", agreements.ids),
                ("period_start", "in", months),
                ("state", "=", "issued"),
            ]
        )
        frozen = set()
        for line in issued.line_ids:
            key = (line.target_id.id, line.statement_id.period_start)
            frozen.add(key)
            result[key] = dict(line._figures(), source="statement")
        targets = agreements._effective_targets().filtered(
            lambda t: t.metric != "availability"
        )
        groups = self.env["slm.clock"]._read_group(
            [
                ("target_id", "in", targets.ids),
                ("status", "in", ("met", "breached")),
                ("settled_date", ">=", months[0]),
                ("settled_date", "<", months[-1] + relativedelta(months=1)),
            ],
            ["target_id", "settled_date:month", "status", "excused"],
            ["__count"],
        )
        counts = {}
        for target, month, status, excused, count in groups:
            key = (target.id, month.date() if hasattr(month, "date") else month)
            bucket = counts.setdefault(key, {"met": 0, "breached": 0, "excused": 0})
            if status == "met":
                bucket["met"] += count
            elif excused:
                bucket["excused"] += count
            else:
                bucket["breached"] += count
        for target in targets:
            for month in months:
                key = (target.id, month)
                if key in frozen:
                    continue
                bucket = counts.get(key, {"met": 0, "breached": 0, "excused": 0})
                measured = bucket["met"] + bucket["breached"]
                attainment = 100.0 * bucket["met"] / measured if measured else None
                result[key] = {
                    "measured": measured,
                    "met": bucket["met"],
                    "breached": bucket["breached"],
                    "excused": bucket["excused"],
                    "attainment": attainment,
                    "objective": target.objective_pct,
                    "achieved": attainment is not None
                    and attainment >= target.objective_pct,
                    "source": "live",
                }
        return result
